//! The app's shell: installable (a manifest with its icons, each served at its size), a service
//! worker for `/app/` that keeps the app's files and never an answer of the API.

use serde_json::{json, Value};

use crate::harness::{Backend, TestApp};

async fn fetch(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let r = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

/// Sign in to the app as `email`, and wait for the first screen.
pub(crate) async fn sign_in(c: &fantoccini::Client, base: &str, email: &str) {
    use crate::browser::{button, labelled, wait_for_text};
    c.goto(&format!("{base}/app/")).await.unwrap();
    wait_for_text(c, "main h1", "Sign in").await;
    labelled(c, "Your email")
        .await
        .send_keys(email)
        .await
        .unwrap();
    labelled(c, "Your password")
        .await
        .send_keys(crate::harness::PASSWORD)
        .await
        .unwrap();
    button(c, "Sign in").await.click().await.unwrap();
    wait_for_text(c, "main h1", "Your help").await;
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[tokio::test]
async fn the_app_is_installable() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, kind, body) = fetch(&app, "/app/manifest.webmanifest").await;
    assert_eq!(status, 200);
    assert_eq!(kind, "application/manifest+json");
    let manifest: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(manifest["name"], "Neighbourly");
    assert_eq!(manifest["scope"], "/app/");
    assert!(manifest["start_url"].as_str().unwrap().starts_with("/app/"));
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["theme_color"].is_string() && manifest["background_color"].is_string());
    let icons = manifest["icons"].as_array().unwrap();
    let mut sizes = Vec::new();
    for icon in icons {
        let (status, kind, png) = fetch(&app, icon["src"].as_str().unwrap()).await;
        assert_eq!((status, kind.as_str()), (200, "image/png"), "{icon}");
        let (w, h) = png_size(&png);
        assert_eq!(
            icon["sizes"],
            format!("{w}x{h}"),
            "the icon is the size it says"
        );
        sizes.push((w, icon["purpose"].as_str().unwrap_or("any").to_string()));
    }
    assert!(sizes.contains(&(192, "any".into())), "{sizes:?}");
    assert!(sizes.contains(&(512, "any".into())), "{sizes:?}");
    assert!(sizes.contains(&(512, "maskable".into())), "{sizes:?}");

    let (status, kind, sw) = fetch(&app, "/app/sw.js").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/javascript"), "{kind}");
    let sw = String::from_utf8(sw).unwrap();
    assert!(
        !sw.contains("\"/api/"),
        "the service worker keeps no answer of the API"
    );
    let page = app
        .client
        .get(format!("{}/app/", app.address))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("manifest-src 'self'") && csp.contains("worker-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("rel=\"manifest\" href=\"/app/manifest.webmanifest\""));
}

/// The Circle's name and number come from its settings (`GET /circle`, no sign-in), and the
/// screens that say to ring give them as a number the phone can call: the sign-in screen, and a
/// one-tap link that does not work, whose answer from the service says to ring too.
#[tokio::test]
async fn screens_that_say_to_ring_give_the_circles_number() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let circle = app.get("/api/v1/circle", None).await.expect(200);
    assert_eq!(circle["name"], "Test Circle", "{circle}");
    assert_eq!(circle["phone"], "020 7946 0999", "{circle}");
    assert_eq!(circle["hours"], "Monday to Friday, 9am to 5pm", "{circle}");
    // The rules the app's screens follow, as the settings say them.
    assert_eq!(circle["min_notice_minutes"], 60, "{circle}");
    assert_eq!(circle["max_days_ahead"], 90, "{circle}");
    assert_eq!(
        circle["maps_url"], "https://www.openstreetmap.org/search?query={address}",
        "{circle}"
    );
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    browser
        .run("app-ring", |c, base| async move {
            use crate::browser::{keep_screenshot, wait_for_text};
            let call = "const a = [...document.querySelectorAll('main a[href^=\"tel:\"]')]; \
                        return a.map((l) => [l.textContent, l.getAttribute('href')]);";
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(
                &c,
                "main",
                "No email and no mobile? Please ring Test Circle on 020 7946 0999.",
            )
            .await;
            let links = c.execute(call, vec![]).await.unwrap();
            assert_eq!(
                links,
                json!([["ring Test Circle on 020 7946 0999", "tel:02079460999"]]),
                "the number is a link the phone can call"
            );
            keep_screenshot(&c, "app-signin-ring-phone").await;
            c.goto(&format!("{base}/app/a/not-a-real-link"))
                .await
                .unwrap();
            wait_for_text(&c, "[role=alert]", "or ring Test Circle on 020 7946 0999.").await;
        })
        .await;
}

/// On a phone, the service worker takes the app's pages and keeps its files, so that the app
/// opens with no network; it keeps nothing of the API.
#[tokio::test]
async fn the_service_worker_keeps_the_shell() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    browser
        .run("app-shell", |c, base| async move {
            c.goto(&format!("{base}/app/")).await.unwrap();
            let ready = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     navigator.serviceWorker.ready.then((r) => done(r.scope), (e) => done(String(e)));",
                    vec![],
                )
                .await
                .unwrap();
            assert!(ready.as_str().unwrap().ends_with("/app/"), "{ready}");
            c.refresh().await.unwrap();
            let kept = c
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     (async () => {
                       const names = await caches.keys();
                       const urls = [];
                       for (const n of names) {
                         for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname);
                       }
                       return { controlled: Boolean(navigator.serviceWorker.controller), urls };
                     })().then(done, (e) => done(String(e)));",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(kept["controlled"], true, "{kept}");
            let urls: Vec<String> = serde_json::from_value(kept["urls"].clone()).unwrap();
            for needed in ["/app/", "/app/app.css", "/app/app.js", "/shared/words.js"] {
                assert!(urls.iter().any(|u| u == needed), "{needed} kept: {urls:?}");
            }
            assert!(urls.iter().all(|u| !u.starts_with("/api/")), "{urls:?}");
            crate::browser::keep_screenshot(&c, "app-start-phone").await;
            crate::browser::assert_accessible(&c, "app start").await;
        })
        .await;
}

/// A helper on a phone: signs in, sees the offer in words, says yes, sees the address and the
/// member's phone, and confirms; a member sees who is coming. Every screen is accessible and
/// shows no code, id or coordinate; names are shown as text.
#[tokio::test]
async fn a_helper_takes_a_job_and_a_member_sees_who_is_coming_on_a_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    app.call(
        reqwest::Method::PATCH,
        &format!("/api/v1/members/{}", member.id),
        Some(&coord.token),
        Some(json!({"access_needs": "Deaf in the left ear: knock loudly."})),
    )
    .await
    .expect(200);
    let request = app.request(&member).await;
    let (helper_email, member_email) = (helper.email.clone(), member.email.clone());
    let id = request["id"].as_str().unwrap().to_string();
    let first_description = request["description"].as_str().unwrap().to_string();
    let visit_id = id.clone();
    let clock = app.clock.clone();
    browser
        .run("app-helper", |c, base| async move {
            use crate::browser::{
                assert_accessible, button, keep_screenshot, labelled, wait_for_text,
            };
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            keep_screenshot(&c, "app-signin-phone").await;
            assert_accessible(&c, "app sign-in").await;

            sign_in(&c, &base, &helper_email).await;
            wait_for_text(&c, "main li", "Help with the garden").await;
            keep_screenshot(&c, "app-helper-offers-phone").await;
            assert_accessible(&c, "app helper home").await;
            crate::console::assert_reads_as_words(&c, "app helper home").await;
            button(&c, "Yes, I can help").await.click().await.unwrap();
            wait_for_text(&c, "main", "Address: 12 Choumert Road").await;
            wait_for_text(&c, "main", "At the door: Deaf in the left ear: knock loudly.").await;
            wait_for_text(&c, "main", "020 7946 0001").await;
            keep_screenshot(&c, "app-visit-phone").await;
            assert_accessible(&c, "app visit").await;
            crate::console::assert_reads_as_words(&c, "app visit").await;
            // An https map every phone opens; on this Android phone, its maps app as well.
            let maps = c
                .execute(
                    "return [...document.querySelectorAll('main a.button')].filter((a) => a.textContent.includes('map')).map((a) => a.getAttribute('href'));",
                    vec![],
                )
                .await
                .unwrap();
            let maps: Vec<String> = serde_json::from_value(maps).unwrap();
            assert_eq!(maps.len(), 2, "{maps:?}");
            assert!(
                maps[0].starts_with("https://www.openstreetmap.org/search?query=12%20Choumert%20Road"),
                "{maps:?}"
            );
            assert!(maps[1].starts_with("geo:0,0?q=12%20Choumert"), "{maps:?}");
            button(&c, "Yes, I am coming").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "your visit is confirmed").await;
            wait_for_text(&c, "main h1", "Help with the garden").await;
            // Before the visit: when arriving opens, and no step to take.
            wait_for_text(&c, "main", "You can say you have arrived from").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            let shown = shown.as_str().unwrap().to_string();
            for step in ["I have arrived", "I have finished", "It is done"] {
                assert!(!shown.contains(step), "{step} before the visit: {shown}");
            }
            keep_screenshot(&c, "app-visit-before-phone").await;
            // Their first screen lists the visit with whose and where: first name and street.
            let visit_page = c.current_url().await.unwrap();
            c.goto(&format!("{base}/app/#/")).await.unwrap();
            wait_for_text(&c, "main li", "For Ada, at 12 Choumert Road").await;
            c.goto(visit_page.as_str()).await.unwrap();
            // The day of the visit.
            clock.advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
            c.refresh().await.unwrap();
            wait_for_text(&c, "main h1", "Help with the garden").await;
            button(&c, "I have arrived").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "you have arrived").await;
            button(&c, "I have finished").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "you have finished").await;
            labelled(&c, "How many minutes did it take? Leave it empty to use the times you arrived and finished.")
                .await
                .send_keys("75")
                .await
                .unwrap();
            keep_screenshot(&c, "app-visit-done-phone").await;
            assert_accessible(&c, "app visit done").await;
            button(&c, "It is done").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "the visit is done").await;

            // Time away over the new year.
            c.goto(&format!("{base}/app/#/when")).await.unwrap();
            wait_for_text(&c, "main h1", "When you can help").await;
            c.execute(
                "document.getElementById('away-from').value = '2027-01-04';
                 document.getElementById('away-to').value = '2027-01-08';",
                vec![],
            )
            .await
            .unwrap();
            button(&c, "Add this time away").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "no offers from Monday 4 January to Friday 8 January").await;
            keep_screenshot(&c, "app-when-phone").await;
            assert_accessible(&c, "app when").await;
            crate::console::assert_reads_as_words(&c, "app when").await;
            button(&c, "Sign out").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;

            sign_in(&c, &base, &member_email).await;
            wait_for_text(&c, "main li", "Done on").await;
            c.execute(
                "const t = document.querySelector('main li textarea'); t.value = 'Thank you, the hedge looks lovely';",
                vec![],
            )
            .await
            .unwrap();
            wait_for_text(&c, "main li label", "A note for ").await;
            button(&c, "Very good").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Thank you for saying").await;
            wait_for_text(&c, "main li", "Thank you for saying how it was.").await;
            let again = c
                .execute(
                    "return [...document.querySelectorAll('button')].some((b) => b.textContent === 'Very good');",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(again, json!(false), "a visit is rated once");
            // Back to the phone's day: the app names days by the phone's clock, and tomorrow
            // morning may be less than the notice from a service clock a day ahead.
            clock.advance(-(chrono::Duration::days(1) + chrono::Duration::minutes(1)));
            c.find(fantoccini::Locator::LinkText("Ask for help"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Ask for help").await;
            labelled(&c, "What needs doing?")
                .await
                .send_keys("Change the bulb <b>in the hall</b>")
                .await
                .unwrap();
            // The day is one of the next fortnight, named; today among them while half an hour
            // can still start by 16:30 after the Circle's hour of notice (by the phone's clock);
            // tomorrow chosen.
            let days = c
                .execute(
                    "const s = document.getElementById('day'); const d = new Date(); \
                     const left = 16 * 60 + 30 - (d.getHours() * 60 + d.getMinutes() + 65); \
                     return [s.options.length, s.options[0].text, s.options[1].text, s.options[s.selectedIndex].text, left];",
                    vec![],
                )
                .await
                .unwrap();
            // Minutes to spare before today closes, by the phone's clock now; the form was drawn
            // a moment earlier, so within two minutes of the close either is right.
            let left = days[4].as_i64().unwrap();
            let offered = days[1].as_str().unwrap().starts_with("Today, ");
            if left.abs() > 2 {
                assert_eq!(offered, left >= 0, "today offered while help can still start: {days}");
            }
            let tomorrow = if offered {
                assert_eq!(days[0], json!(14), "{days}");
                assert!(days[1].as_str().unwrap().starts_with("Today, "), "{days}");
                &days[2]
            } else {
                assert_eq!(days[0], json!(13), "late in the day, today is not offered: {days}");
                &days[1]
            };
            assert!(tomorrow.as_str().unwrap().starts_with("Tomorrow, "), "{days}");
            assert_eq!(*tomorrow, days[3], "tomorrow is chosen first");
            keep_screenshot(&c, "app-ask-phone").await;
            assert_accessible(&c, "app ask").await;
            button(&c, "Ask for this help").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "we are asking helpers nearby").await;
            wait_for_text(&c, "main li", "Change the bulb <b>in the hall</b>").await;
            // Cancelling asks first; "No, keep it" keeps it.
            button(&c, "Cancel this").await.click().await.unwrap();
            wait_for_text(&c, "[role=alert]", "Nobody has said yes yet.").await;
            button(&c, "No, keep it").await.click().await.unwrap();
            wait_for_text(&c, "main li", "Change the bulb <b>in the hall</b>").await;
            keep_screenshot(&c, "app-member-home-phone").await;
            assert_accessible(&c, "app member home").await;
            crate::console::assert_reads_as_words(&c, "app member home").await;
            // The visit that was done: the same help again, from the same helper first.
            let again = c
                .execute(
                    "const a = [...document.querySelectorAll('main a')].find((l) => /^Ask .+ again$/.test(l.textContent)); \
                     a.click(); return a.textContent;",
                    vec![],
                )
                .await
                .unwrap();
            let again = again.as_str().unwrap().to_string();
            wait_for_text(&c, "main h1", &again).await;
            let first = again.trim_start_matches("Ask ").trim_end_matches(" again");
            wait_for_text(&c, "main", &format!("We will ask {first} first.")).await;
            let prefilled = c
                .execute("return document.getElementById('what').value;", vec![])
                .await
                .unwrap();
            assert_eq!(prefilled, json!(first_description), "the same help, again");
            keep_screenshot(&c, "app-ask-again-phone").await;
            assert_accessible(&c, "app ask again").await;
            button(&c, "Ask for this help").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "we are asking helpers nearby").await;
            // The helper who came reads what she said.
            button(&c, "Sign out").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            sign_in(&c, &base, &helper_email).await;
            c.goto(&format!("{base}/app/#/visits/{visit_id}")).await.unwrap();
            wait_for_text(&c, "main", "said it was very good.").await;
            wait_for_text(&c, "main", "Thank you, the hedge looks lovely").await;
            keep_screenshot(&c, "app-visit-thanks-phone").await;
            assert_accessible(&c, "app visit thanks").await;
        })
        .await;
    let done = app
        .get(&format!("/api/v1/requests/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(done["status"], "completed");
    assert_eq!(done["minutes_spent"], 75);
    assert_eq!(
        done["feedback"],
        json!({"rating": 5, "comment": "Thank you, the hedge looks lovely"})
    );
    let mine = app
        .get("/api/v1/requests", Some(&member.token))
        .await
        .expect(200);
    let asked: Vec<&Value> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["description"] == "Change the bulb <b>in the hall</b>")
        .collect();
    assert_eq!(asked.len(), 1, "asked once, with the name as text");
    assert_eq!(done["helper"]["id"], helper.id.as_str());
    // Asked again: offered to the helper who came.
    let again: Vec<&Value> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["description"] == done["description"] && r["id"] != done["id"])
        .collect();
    assert_eq!(again.len(), 1, "asked again once");
    let offers = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    assert!(
        offers["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["request_id"] == again[0]["id"]),
        "{offers}"
    );
    let when = app
        .get(
            &format!("/api/v1/helpers/{}/availability", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let away = when["time_off"].as_array().unwrap();
    assert_eq!(away.len(), 1, "{when}");
    assert!(
        away[0]["start"].as_str().unwrap().starts_with("2027-01-04"),
        "{when}"
    );
    assert_eq!(
        when["weekly"].as_array().unwrap().len(),
        21,
        "mornings, afternoons and evenings: {when}"
    );
    assert!(done["confirmed_at"].is_string());
}

/// With no network, the app still opens (the service worker's shell) and the helper's visits are
/// there, as they were when last loaded, saying so; signing out forgets them.
#[tokio::test]
async fn with_no_network_the_next_visit_stays_readable() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    crate::visits::assigned(&app, &member, &helper, 2).await;
    let email = helper.email.clone();
    browser
        .run("app-offline", |c, base| async move {
            use crate::browser::{button, cdp, keep_screenshot, wait_for_text};
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main li", "Help with the garden").await;
            c.execute_async(
                "const done = arguments[arguments.length - 1]; navigator.serviceWorker.ready.then(() => done(true));",
                vec![],
            )
            .await
            .unwrap();
            cdp(&c, "Network.enable", json!({})).await;
            cdp(
                &c,
                "Network.emulateNetworkConditions",
                json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
            )
            .await;
            c.refresh().await.unwrap();
            wait_for_text(&c, "[role=alert]", "No connection: this is as it was at").await;
            wait_for_text(&c, "main li", "Help with the garden").await;
            keep_screenshot(&c, "app-offline-phone").await;
            cdp(
                &c,
                "Network.emulateNetworkConditions",
                json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
            )
            .await;
            button(&c, "Sign out").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            let left = c
                .execute(
                    "return Object.keys(sessionStorage).filter((k) => k.startsWith('neighbourly.'));",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(left, json!([]), "nothing of the helper is left on the phone");
        })
        .await;
}

/// A neighbour joins from their phone by postcode: one the Circle does not know is refused in
/// words and nothing is made; then they are a member, signed in, and can ask. A helper applies and
/// is told a coordinator will ring.
#[tokio::test]
async fn neighbours_join_by_postcode_on_a_phone() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    crate::places::import_sample(&app).await;
    browser
        .run("app-join", |c, base| async move {
            use crate::browser::{
                assert_accessible, button, keep_screenshot, labelled, wait_for_text,
            };
            c.goto(&format!("{base}/app/")).await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            c.find(fantoccini::Locator::LinkText("New to Neighbourly? Join"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Join Neighbourly").await;
            assert_accessible(&c, "app join").await;
            c.find(fantoccini::Locator::LinkText("I would like help"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Ask for help with Neighbourly").await;
            for (label, text) in [
                ("Your name", "Nell Newcomer"),
                ("Your email", "nell@example.org"),
                ("Choose a password", "a long enough password"),
                ("Your phone number", "020 7946 0303"),
                ("Your house number and street", "4 Bellenden Road"),
                ("Your postcode", "SE15 9ZZ"),
            ] {
                labelled(&c, label).await.send_keys(text).await.unwrap();
            }
            button(&c, "Join").await.click().await.unwrap();
            wait_for_text(
                &c,
                "[role=alert]",
                "Your postcode SE15 9ZZ is not a postcode we know",
            )
            .await;
            keep_screenshot(&c, "app-join-phone").await;
            assert_accessible(&c, "app join form").await;
            let postcode = labelled(&c, "Your postcode").await;
            postcode.clear().await.unwrap();
            postcode.send_keys("se151an").await.unwrap();
            button(&c, "Join").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Your help").await;
            wait_for_text(&c, "main", "You have not asked for help yet.").await;
            button(&c, "Sign out").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;

            c.goto(&format!("{base}/app/#/join/helper")).await.unwrap();
            wait_for_text(&c, "main h1", "Offer to help").await;
            for (label, text) in [
                ("Your name", "Harry Handy"),
                ("Your email", "harry@example.org"),
                ("Choose a password", "a long enough password"),
                ("Your postcode", "SE5 8AG"),
            ] {
                labelled(&c, label).await.send_keys(text).await.unwrap();
            }
            c.find(fantoccini::Locator::Css("input[value=diy]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // Joining asks when they can help, starting from weekday daytimes: Friday morning
            // off, Saturday evening on.
            for time in ["Morning on Friday", "Evening on Saturday"] {
                let xpath = format!("//label[normalize-space(.)='{time}']");
                c.find(fantoccini::Locator::XPath(&xpath))
                    .await
                    .unwrap()
                    .click()
                    .await
                    .unwrap();
            }
            keep_screenshot(&c, "app-join-helper-phone").await;
            button(&c, "Apply to help").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "A coordinator will ring you").await;
            keep_screenshot(&c, "app-applied-phone").await;
            assert_accessible(&c, "app applied").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            assert!(
                !shown.as_str().unwrap().contains("You have not said when"),
                "{shown}"
            );
        })
        .await;
    let coord = app.coordinator().await;
    let found = app
        .get("/api/v1/members?q=Nell", Some(&coord.token))
        .await
        .expect(200);
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "joined once: {found}");
    assert_eq!(items[0]["address"], "4 Bellenden Road, SE15 1AN");
    let pending = app
        .get("/api/v1/helpers?vetting=pending", Some(&coord.token))
        .await
        .expect(200);
    let harry = pending["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Harry Handy" && h["skills"] == json!(["diy"]))
        .cloned()
        .unwrap_or_else(|| panic!("applied: {pending}"));
    let week = app
        .get(
            &format!(
                "/api/v1/helpers/{}/availability",
                harry["id"].as_str().unwrap()
            ),
            Some(&coord.token),
        )
        .await
        .expect(200);
    let mut times: Vec<String> = week["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {}-{}",
                s["day"].as_str().unwrap(),
                s["start"].as_str().unwrap(),
                s["end"].as_str().unwrap()
            )
        })
        .collect();
    times.sort();
    let mut expected: Vec<String> = ["mon", "tue", "wed", "thu"]
        .iter()
        .flat_map(|d| [format!("{d} 09:00-12:00"), format!("{d} 12:00-17:00")])
        .chain(["fri 12:00-17:00".to_string(), "sat 17:00-20:00".to_string()])
        .collect();
    expected.sort();
    assert_eq!(times, expected, "{week}");
}

/// A link in an email names a page: signing in from it goes on to that page, not the first screen.
#[tokio::test]
async fn signing_in_from_a_link_goes_on_to_its_page() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let member = app.member().await;
    let request = app.request(&member).await;
    let id = request["id"].as_str().unwrap().to_string();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let email = member.email.clone();
    browser
        .run("app-link-sign-in", |c, base| async move {
            use crate::browser::{button, labelled, wait_for_text};
            c.goto(&format!("{base}/app/#/requests/{id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            labelled(&c, "Your email")
                .await
                .send_keys(&email)
                .await
                .unwrap();
            labelled(&c, "Your password")
                .await
                .send_keys(crate::harness::PASSWORD)
                .await
                .unwrap();
            button(&c, "Sign in").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Your request").await;
            wait_for_text(&c, "main li", "Trim the front hedge").await;
        })
        .await;
}

/// A helper who has said no times is told so first, plainly, with the way to say them: no offer
/// can come to them until they do.
#[tokio::test]
async fn a_helper_with_no_times_is_told_so_first() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    app.put(
        &format!("/api/v1/helpers/{}/availability", helper.id),
        Some(&helper.token),
        json!({"timezone": "Europe/London", "weekly": [], "time_off": []}),
    )
    .await
    .expect(200);
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let email = helper.email.clone();
    browser
        .run("app-no-times", |c, base| async move {
            use crate::browser::{assert_accessible, keep_screenshot, wait_for_text};
            sign_in(&c, &base, &email).await;
            wait_for_text(
                &c,
                "main .card",
                "You have not said when you can help, so no offers can come to you yet.",
            )
            .await;
            keep_screenshot(&c, "app-helper-no-times-phone").await;
            assert_accessible(&c, "app helper with no times").await;
            c.find(fantoccini::Locator::LinkText("Say when you can help"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "When you can help").await;
        })
        .await;
}

/// A member on a phone signs up to a get-together with a lift, sees they are going, and leaves.
#[tokio::test]
async fn a_member_goes_to_a_get_together_with_a_lift() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let event = crate::events::event(&app, &coord, chrono::Duration::days(5), 20).await;
    let email = member.email.clone();
    browser
        .run("app-events", |c, base| async move {
            use crate::browser::{
                assert_accessible, button, keep_screenshot, labelled, wait_for_text,
            };
            sign_in(&c, &base, &email).await;
            c.find(fantoccini::Locator::LinkText("Get-togethers"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main li", "Coffee morning").await;
            wait_for_text(&c, "main li", "20 places left.").await;
            wait_for_text(&c, "main li", "all welcome").await;
            labelled(&c, "I would like a lift there and home")
                .await
                .click()
                .await
                .unwrap();
            button(&c, "I would like to go")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "[role=status]", "You are going to Coffee morning.").await;
            wait_for_text(&c, "main li", "You are going, with a lift there and home.").await;
            keep_screenshot(&c, "app-events-phone").await;
            assert_accessible(&c, "app events").await;
            crate::console::assert_reads_as_words(&c, "app events").await;
            let markup = c
                .execute("return document.querySelectorAll('main b').length;", vec![])
                .await
                .unwrap();
            assert_eq!(markup, json!(0), "a description is shown as text");
            button(&c, "I cannot go after all")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "[role=status]", "You have left Coffee morning.").await;
        })
        .await;
    let read = app
        .get(&format!("/api/v1/events/{event}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(read["going"], 0, "{read}");
}

/// The app's and the console's files go compressed to a browser that takes gzip (icons, already
/// compressed, as they are), each with an entity tag; asked again with it, the answer is a
/// `304` with no body.
#[tokio::test]
async fn the_apps_files_are_compressed_and_answered_304_when_unchanged() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    for path in [
        "/app/app.js",
        "/app/",
        "/console/app.js",
        "/shared/words.js",
    ] {
        let (_, _, raw) = fetch(&app, path).await;
        let url = format!("{}{path}", app.address);
        let zipped = app
            .client
            .get(&url)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(zipped.status(), 200, "{path}");
        assert_eq!(zipped.headers()["content-encoding"], "gzip", "{path}");
        let tag = zipped.headers()["etag"].to_str().unwrap().to_string();
        let body = zipped.bytes().await.unwrap();
        assert!(
            body.len() < raw.len(),
            "{path}: {} of {}",
            body.len(),
            raw.len()
        );
        let again = app
            .client
            .get(&url)
            .header("if-none-match", &tag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
        assert!(again.bytes().await.unwrap().is_empty(), "{path}");
        let changed = app
            .client
            .get(&url)
            .header("if-none-match", "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(changed.status(), 200, "{path}");
    }
    let icon = app
        .client
        .get(format!("{}/app/icons/icon-192.png", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_ne!(
        icon.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let (_, _, png) = fetch(&app, "/app/icons/icon-192.png").await;
    assert_eq!(icon.bytes().await.unwrap(), png);
}
