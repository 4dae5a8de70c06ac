//! The console's map: without tiles (the default) drawn from the places alone, each dot a link
//! to its request or helper; with `console.map_tiles_url` set, the same dots on tiles drawn by
//! the vendored Leaflet, fetched from a tile server run by the test, which the page's Content
//! Security Policy then allows, and nothing else.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::browser::wait_for_text;
use crate::console::{assert_reads_as_words, sign_in};
use crate::harness::{Backend, TestApp};

/// A tile server on 127.0.0.1: every GET answers the same PNG; it counts what it served.
async fn tile_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        let png: &[u8] = include_bytes!("../../app/icons/icon-192.png");
        while let Ok((mut socket, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let Ok(n) = socket.read(&mut buf).await else {
                    return;
                };
                if !buf[..n].starts_with(b"GET ") {
                    return;
                }
                count.fetch_add(1, Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    png.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(png).await;
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), served)
}

#[tokio::test]
async fn without_tiles_each_dot_opens_its_request() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let _helper = app.helper(&coord).await;
    let member = app.member().await;
    app.request(&member).await;
    let none = app
        .get("/api/v1/map/tiles", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(none, serde_json::json!({"url": null, "attribution": null}));
    app.get("/api/v1/map/tiles", Some(&member.token))
        .await
        .expect(403);
    app.get("/api/v1/map/tiles", None).await.expect(401);
    let email = coord.email.clone();
    browser
        .run("console-map-svg", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/map")).await.unwrap();
            wait_for_text(&c, "main h1", "Map").await;
            crate::browser::wait_for(&c, "svg.map a rect")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Gardening for Ada Member").await;
            c.goto(&format!("{base}/console#/map")).await.unwrap();
            wait_for_text(&c, "main h1", "Map").await;
            crate::browser::wait_for(&c, "svg.map a circle")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Hal Helper").await;
        })
        .await;
}

#[tokio::test]
async fn with_tiles_the_dots_are_drawn_on_them() {
    let (tiles, served) = tile_server().await;
    let mut settings = crate::harness::test_settings();
    settings.console.map_tiles_url = format!("{tiles}/{{z}}/{{x}}/{{y}}.png");
    settings.console.map_attribution = "Tiles from the test".into();
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let Some(browser) = crate::browser::Browser::start(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let _helper = app.helper(&coord).await;
    let member = app.member().await;
    app.request(&member).await;
    let page = app
        .client
        .get(format!("{}/console", app.address))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains(&format!("img-src 'self' data: {tiles};")),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let email = coord.email.clone();
    browser
        .run("console-map-tiles", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/map")).await.unwrap();
            wait_for_text(&c, "main h1", "Map").await;
            crate::browser::wait_for(&c, ".leaflet-tile-loaded").await;
            wait_for_text(&c, ".leaflet-control-attribution", "Tiles from the test").await;
            assert!(served.load(Ordering::SeqCst) > 0, "tiles were asked for");
            crate::browser::keep_screenshot(&c, "map-tiles").await;
            crate::browser::assert_accessible(&c, "map on tiles").await;
            assert_reads_as_words(&c, "map on tiles").await;
            // The request's dot (red) opens the request (a pointer's click on it, as Leaflet
            // listens for; keyboards use the table's links below the map).
            let clicked = c
                .execute(
                    "const dot = document.querySelector(\"path.leaflet-interactive[fill='#a4161a']\");
                     const box = dot.getBoundingClientRect();
                     dot.dispatchEvent(new MouseEvent('click', {bubbles: true,
                       clientX: box.x + box.width / 2, clientY: box.y + box.height / 2}));
                     return box.width > 0;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(clicked, serde_json::json!(true), "the dot is drawn");
            wait_for_text(&c, "main h1", "Gardening for Ada Member").await;
        })
        .await;
}

/// Requests placed at one spot (members placed by one postcode) are one numbered dot that lists
/// them below the map, by mouse or by keyboard; the table under the map shows 50 rows at a time.
#[tokio::test]
async fn dots_at_one_place_are_listed_and_the_table_pages() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    app.helper(&coord).await;
    for i in 0..52 {
        let id = app
            .post(
                "/api/v1/members",
                Some(&coord.token),
                serde_json::json!({"name": format!("Neighbour {i:02}"), "phone": format!("020 7946 {:04}", 2000 + i),
                       "address": format!("{i} Bellenden Road, SE15"), "location": {"lat": 51.468, "lon": -0.071}}),
            )
            .await
            .expect(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let mut body = TestApp::request_body("shopping");
        body["member_id"] = serde_json::json!(id);
        app.post("/api/v1/requests", Some(&coord.token), body)
            .await
            .expect(201);
    }
    let email = coord.email.clone();
    browser
        .run("console-map-places", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/map")).await.unwrap();
            wait_for_text(&c, "main h1", "Map").await;
            let place = crate::browser::wait_for(&c, "svg.map g.place").await;
            assert_eq!(
                place.attr("aria-label").await.unwrap().as_deref(),
                Some("52 at this place: show them")
            );
            place.click().await.unwrap();
            wait_for_text(&c, "main h2", "At this place: 52 on the map").await;
            let listed = c
                .find_all(fantoccini::Locator::Css(
                    "ul[aria-label='At this place'] li a",
                ))
                .await
                .unwrap();
            assert_eq!(listed.len(), 52);
            // By keyboard: the numbered dot takes the focus and Enter lists the place.
            c.execute(
                "document.querySelector('main [aria-live] h2').remove();",
                vec![],
            )
            .await
            .unwrap();
            c.execute("document.querySelector('svg.map g.place').focus();", vec![])
                .await
                .unwrap();
            crate::browser::press(&c, fantoccini::key::Key::Enter).await;
            wait_for_text(&c, "main h2", "At this place: 52 on the map").await;
            crate::browser::keep_screenshot(&c, "map-places").await;
            crate::browser::assert_accessible(&c, "map places").await;

            let rows = || async {
                c.find_all(fantoccini::Locator::Css("table tbody tr"))
                    .await
                    .unwrap()
                    .len()
            };
            assert_eq!(rows().await, 50);
            crate::browser::button(&c, "Show 50 more")
                .await
                .click()
                .await
                .unwrap();
            assert_eq!(rows().await, 53, "52 requests and a helper");
        })
        .await;
}
