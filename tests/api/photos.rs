//! Helpers' photos through the API, with real JPEG and PNG files that carry EXIF metadata (a
//! camera and a GPS position): what is kept is a square JPEG of at most 512 pixels with none of
//! it; damaged, too large or not a photo at all is a 422 in words; only coordinators, the helper
//! and a member expecting them see it.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, RgbImage};
use serde_json::json;

use crate::harness::{Backend, TestApp, User};
use crate::visits::assigned;

crate::on_both_backends!(backend: photos_lose_their_metadata_and_are_seen_only_by_those_expecting_them);

/// TIFF-structured EXIF: the camera's make, and a GPS position (51° 28' N).
fn exif() -> Vec<u8> {
    let mut t: Vec<u8> = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // IFD0 at 8: two entries (Make, GPS IFD pointer), then no next IFD.
    let ifd0_len = 2 + 2 * 12 + 4;
    let make_at = 8 + ifd0_len as u32;
    let gps_at = make_at + 8;
    t.extend_from_slice(&2u16.to_be_bytes());
    t.extend_from_slice(&[0x01, 0x0f, 0x00, 0x02]);
    t.extend_from_slice(&8u32.to_be_bytes());
    t.extend_from_slice(&make_at.to_be_bytes());
    t.extend_from_slice(&[0x88, 0x25, 0x00, 0x04]);
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&gps_at.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    t.extend_from_slice(b"TestCam\x00");
    // The GPS IFD: GPSLatitudeRef "N", GPSLatitude 51/1 28/1 0/1.
    let lat_at = gps_at + 2 + 2 * 12 + 4;
    t.extend_from_slice(&2u16.to_be_bytes());
    t.extend_from_slice(&[0x00, 0x01, 0x00, 0x02]);
    t.extend_from_slice(&2u32.to_be_bytes());
    t.extend_from_slice(b"N\x00\x00\x00");
    t.extend_from_slice(&[0x00, 0x02, 0x00, 0x05]);
    t.extend_from_slice(&3u32.to_be_bytes());
    t.extend_from_slice(&lat_at.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    for (n, d) in [(51u32, 1u32), (28, 1), (0, 1)] {
        t.extend_from_slice(&n.to_be_bytes());
        t.extend_from_slice(&d.to_be_bytes());
    }
    t
}

fn picture(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 200) as u8, (y % 200) as u8, 120])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// A JPEG with an EXIF segment (APP1) just after its start.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let plain = picture(w, h, ImageFormat::Jpeg);
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend(exif());
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= *b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG with an `eXIf` chunk after its header chunk.
fn png_with_exif(w: u32, h: u32) -> Vec<u8> {
    let plain = picture(w, h, ImageFormat::Png);
    // The signature (8) and the IHDR chunk (4 + 4 + 13 + 4).
    let split = 8 + 25;
    let data = exif();
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"eXIf".to_vec();
    typed.extend(&data);
    chunk.extend(&typed);
    chunk.extend(crc32(&typed).to_be_bytes());
    let mut out = plain[..split].to_vec();
    out.extend(chunk);
    out.extend_from_slice(&plain[split..]);
    out
}

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

async fn put(
    app: &TestApp,
    who: &User,
    helper: &str,
    kind: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let r = app
        .client
        .put(format!("{}/api/v1/helpers/{helper}/photo", app.address))
        .bearer_auth(&who.token)
        .header("Content-Type", kind)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(json!(null)))
}

async fn get(app: &TestApp, who: &User, helper: &str) -> (u16, Vec<u8>) {
    let r = app
        .client
        .get(format!("{}/api/v1/helpers/{helper}/photo", app.address))
        .bearer_auth(&who.token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

async fn photos_lose_their_metadata_and_are_seen_only_by_those_expecting_them(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let other_helper = app.helper(&coord).await;
    let member = app.member().await;
    let stranger = app.member().await;

    // A phone's JPEG, with the camera and where it was taken: kept square, small, and clean.
    let sent = jpeg_with_exif(1600, 1200);
    assert!(has(&sent, b"Exif") && has(&sent, b"TestCam"));
    assert_eq!(
        put(&app, &helper, &helper.id, "image/jpeg", sent).await.0,
        204
    );
    let (status, kept) = get(&app, &helper, &helper.id).await;
    assert_eq!(status, 200);
    let back = image::load_from_memory(&kept).unwrap();
    assert_eq!((back.width(), back.height()), (512, 512));
    assert!(
        !has(&kept, b"Exif") && !has(&kept, b"TestCam"),
        "no metadata kept"
    );

    // A coordinator puts a PNG for them (with an eXIf chunk): the same.
    let sent = png_with_exif(300, 400);
    assert!(has(&sent, b"eXIf"));
    assert_eq!(
        put(&app, &coord, &helper.id, "image/png", sent).await.0,
        204
    );
    let (_, kept) = get(&app, &coord, &helper.id).await;
    assert_eq!(image::guess_format(&kept).unwrap(), ImageFormat::Jpeg);
    let back = image::load_from_memory(&kept).unwrap();
    assert_eq!((back.width(), back.height()), (300, 300));
    assert!(!has(&kept, b"Exif") && !has(&kept, b"eXIf") && !has(&kept, b"TestCam"));

    // Damaged, too large, or not a photo: said in words, and the photo kept is unchanged.
    let whole = jpeg_with_exif(800, 600);
    let cut = whole[..whole.len() / 3].to_vec();
    let mut big = picture(64, 64, ImageFormat::Png);
    big.resize(6 * 1024 * 1024, 0);
    for (kind, body, says) in [
        ("image/jpeg", cut, "could not be read"),
        ("image/png", big, "at most 5 MB"),
        (
            "image/jpeg",
            b"This is a letter, not a photo.".to_vec(),
            "JPEG or PNG",
        ),
    ] {
        let (status, problem) = put(&app, &helper, &helper.id, kind, body).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "photo");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(says),
            "{problem}"
        );
    }
    assert_eq!(
        put(&app, &helper, &helper.id, "text/plain", b"hello".to_vec())
            .await
            .0,
        415
    );
    assert_eq!(get(&app, &helper, &helper.id).await.1.len(), kept.len());

    // Who may see it: not another helper, nor a member with no visit from them; not another's
    // to change.
    assert_eq!(get(&app, &other_helper, &helper.id).await.0, 404);
    assert_eq!(get(&app, &member, &helper.id).await.0, 404);
    let jpeg = picture(100, 100, ImageFormat::Jpeg);
    assert_eq!(
        put(&app, &other_helper, &helper.id, "image/jpeg", jpeg)
            .await
            .0,
        404
    );
    // A member expecting them sees it, and the visit's doorstep words point at it.
    let (id, _) = assigned(&app, &member, &helper, 3).await;
    assert_eq!(get(&app, &member, &helper.id).await.0, 200);
    assert_eq!(get(&app, &stranger, &helper.id).await.0, 404);
    let door = app
        .get(
            &format!("/api/v1/requests/{id}/doorstep"),
            Some(&member.token),
        )
        .await
        .expect(200);
    assert_eq!(
        door["helper"]["photo_url"],
        format!("/api/v1/helpers/{}/photo", helper.id)
    );
    app.get(&format!("/api/v1/helpers/{}/photo", helper.id), None)
        .await
        .expect(401);
}

/// In the app: the helper takes a photo (here, a file chosen) in Your details; the member then
/// sees it beside the words at the door.
#[tokio::test]
async fn a_helper_puts_a_photo_from_the_phone_and_the_member_sees_it() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    assigned(&app, &member, &helper, 3).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("me.jpg");
    std::fs::write(&file, jpeg_with_exif(1200, 1600)).unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let (h_email, m_email) = (helper.email.clone(), member.email.clone());
    let path = file.display().to_string();
    browser
        .run("app-photo", |c, base| async move {
            use crate::browser::{assert_accessible, keep_screenshot, wait_for, wait_for_text};
            crate::app::sign_in(&c, &base, &h_email).await;
            c.goto(&format!("{base}/app/#/details")).await.unwrap();
            let input = wait_for(&c, "#photo").await;
            input.send_keys(&path).await.unwrap();
            wait_for_text(&c, "main .message", "your photo is saved").await;
            wait_for(&c, "main .photo img[alt='Your photo']").await;
            c.execute(
                "document.querySelector('.photo img').scrollIntoView({block: 'center'});",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "app-photo-helper-phone").await;
            assert_accessible(&c, "a helper's details, with their photo").await;
            c.execute("sessionStorage.clear(); localStorage.clear();", vec![]).await.unwrap();
            c.delete_all_cookies().await.unwrap();
            crate::app::sign_in(&c, &base, &m_email).await;
            wait_for(&c, "main .doorstep img[alt='Photo of Hal']").await;
            let mut width = 0;
            for _ in 0..100 {
                let shown = c
                    .execute(
                        "const i = document.querySelector('main .doorstep img'); return i.complete ? i.naturalWidth : 0;",
                        vec![],
                    )
                    .await
                    .unwrap();
                width = shown.as_u64().unwrap_or(0);
                if width > 0 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            assert_eq!(width, 512, "the photo shows, as the service keeps it");
            keep_screenshot(&c, "app-photo-member-phone").await;
        })
        .await;
}

/// In the console (Chromium, laptop width): a coordinator puts a photo for a helper with no phone
/// camera, chosen from the computer; it shows at once, as the service keeps it, and a file that
/// is not a picture is refused in words.
#[tokio::test]
async fn a_coordinator_puts_a_helpers_photo_from_the_console() {
    let Some((app, browser)) = crate::console::app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let dir = tempfile::tempdir().unwrap();
    let (photo, text) = (dir.path().join("hal.png"), dir.path().join("notes.jpg"));
    std::fs::write(&photo, png_with_exif(900, 700)).unwrap();
    std::fs::write(&text, "not a picture at all").unwrap();
    let (photo, text) = (photo.display().to_string(), text.display().to_string());
    let (coord_email, helper_id) = (coord.email.clone(), helper.id.clone());
    browser
        .run("console-photo", |c, base| async move {
            use crate::browser::{keep_screenshot, wait_for, wait_for_text};
            crate::console::sign_in(&c, &base, &coord_email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            wait_for_text(&c, "main h1", "Helpers").await;
            crate::browser::type_into(&c, "Name, phone number or email", "Hal").await;
            crate::browser::button(&c, "Find").await.click().await.unwrap();
            wait_for_text(&c, "main details summary", "Photo of Hal Helper").await;
            let summary = c
                .wait()
                .at_most(std::time::Duration::from_secs(20))
                .for_element(fantoccini::Locator::XPath("//summary[normalize-space(.)='Photo of Hal Helper']"))
                .await
                .unwrap();
            summary.click().await.unwrap();
            wait_for_text(&c, "main details[open] .photo", "No photo of Hal Helper yet.").await;
            let input = wait_for(&c, "main details[open] input[type=file]").await;
            input.send_keys(&text).await.unwrap();
            wait_for_text(&c, "main details[open] .message", "The photo").await;
            input.send_keys(&photo).await.unwrap();
            wait_for_text(&c, "main details[open] .message", "The photo of Hal Helper is kept.").await;
            wait_for(&c, "main details[open] .photo img[alt='Photo of Hal Helper']").await;
            c.execute(
                "document.querySelector('main details[open] .photo img').scrollIntoView({block: 'center'});",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "console-helper-photo").await;
        })
        .await;
    let (status, jpeg) = get(&app, &coord, &helper_id).await;
    assert_eq!(status, 200);
    let (w, h) = image::load_from_memory(&jpeg)
        .unwrap()
        .to_rgb8()
        .dimensions();
    assert_eq!((w, h), (512, 512));
}

/// A photo put for `helper` by `who` (a coordinator, or that helper).
pub(crate) async fn put_photo(app: &TestApp, who: &User, helper: &str) {
    let (status, body) = put(app, who, helper, "image/jpeg", jpeg_with_exif(600, 800)).await;
    assert_eq!(status, 204, "{body}");
}
