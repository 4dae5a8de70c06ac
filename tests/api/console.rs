//! The coordinators' console in a real browser (headless Chromium) against the real server on a
//! real SQLite file: signing in, taking a call for a phone-only member (by mouse and by keyboard
//! alone), vetting an application, the weekly report and its CSV, names shown as text, and an
//! accessibility check of every page.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use crate::browser::{
    assert_accessible, button, keep_screenshot, labelled, press, tab_to, wait_for, wait_for_text,
    Browser,
};
use crate::harness::{Backend, TestApp, User, PASSWORD};

pub(crate) async fn app_and_browser() -> Option<(TestApp, Browser)> {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let browser = Browser::start(&app.address).await?;
    Some((app, browser))
}

async fn heading_is(c: &Client, text: &str) {
    wait_for_text(c, "main h1", text).await;
}

pub(crate) async fn sign_in(c: &Client, base: &str, email: &str) {
    c.goto(&format!("{base}/console")).await.unwrap();
    heading_is(c, "Sign in").await;
    labelled(c, "Email").await.send_keys(email).await.unwrap();
    labelled(c, "Password")
        .await
        .send_keys(PASSWORD)
        .await
        .unwrap();
    button(c, "Sign in").await.click().await.unwrap();
}

/// What a page shows a person has no coordinates, ids or codes in it: no position such as
/// 51.4700, no id, no category or status code.
pub(crate) async fn assert_reads_as_words(c: &Client, page: &str) {
    let text = c
        .execute("return document.querySelector('main').innerText;", vec![])
        .await
        .unwrap();
    let text = text.as_str().unwrap_or_default().to_string();
    for word in text.split(|ch: char| ch.is_whitespace() || ",;:()".contains(ch)) {
        let coordinate =
            word.trim_start_matches('-')
                .split_once('.')
                .is_some_and(|(whole, part)| {
                    !whole.is_empty()
                        && whole.len() <= 3
                        && whole.chars().all(|ch| ch.is_ascii_digit())
                        && part.len() >= 3
                        && part.chars().all(|ch| ch.is_ascii_digit())
                });
        assert!(!coordinate, "{page} shows a coordinate {word:?}: {text}");
        assert!(
            uuid::Uuid::parse_str(word).is_err(),
            "{page} shows an id {word:?}: {text}"
        );
        for code in [
            "it_help",
            "helper_conduct",
            "self_neglect",
            "no_show",
            "four_weeks",
        ] {
            assert!(!word.contains(code), "{page} shows the code {code}: {text}");
        }
        let week_code = word.len() >= 8
            && word[..4].chars().all(|ch| ch.is_ascii_digit())
            && word[4..].starts_with("-W");
        assert!(!week_code, "{page} shows a week code {word:?}: {text}");
    }
}

/// A member registered by a coordinator, with no email: the phone is how they are found.
async fn phone_only_member(app: &TestApp, coord: &User, name: &str) -> String {
    let body = app
        .post(
            "/api/v1/members",
            Some(&coord.token),
            json!({"name": name, "phone": "020 7946 0101", "address": "3 Bellenden Road, SE15 4RF",
                   "location": {"lat": 51.4700, "lon": -0.0700}}),
        )
        .await
        .expect(201);
    body["id"].as_str().unwrap().to_string()
}

/// The member's requests, as a coordinator sees them.
async fn requests_of(app: &TestApp, coord: &User, member_id: &str) -> Vec<Value> {
    let all = app
        .get("/api/v1/requests?limit=200", Some(&coord.token))
        .await
        .expect(200);
    all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["member_id"] == member_id)
        .cloned()
        .collect()
}

#[tokio::test]
async fn every_page_needs_a_coordinator_and_passes_the_accessibility_check() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let open = app.request(&member).await;
    let _applicant = app.applicant().await;
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    app.post(
        "/api/v1/series",
        Some(&member.token),
        json!({"category": "shopping", "description": "The weekly shop", "every": "week",
               "weekday": tomorrow.format("%a").to_string().to_lowercase(),
               "window": {"start": "10:00", "end": "12:00"}, "timezone": "Europe/London",
               "duration_minutes": 60, "starts_on": tomorrow.to_string()}),
    )
    .await
    .expect(201);

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
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );

    let id = open["id"].as_str().unwrap().to_string();
    let member_email = member.email.clone();
    browser
        .run("pages", |c, base| async move {
            c.goto(&format!("{base}/console#/today")).await.unwrap();
            heading_is(&c, "Sign in").await;
            keep_screenshot(&c, "signin").await;
            assert_accessible(&c, "sign-in").await;

            // A member is sent to the app, signed in there.
            sign_in(&c, &base, &member_email).await;
            wait_for_text(&c, "main h1", "Your help").await;
            let at = c.current_url().await.unwrap();
            assert_eq!(at.path(), "/app/", "members are sent to the app");
            button(&c, "Sign out").await.click().await.unwrap();
            wait_for_text(&c, "main h1", "Sign in").await;
            c.goto(&format!("{base}/console#/today")).await.unwrap();
            heading_is(&c, "Sign in").await;

            sign_in(&c, &base, &coord.email).await;
            heading_is(&c, "Today").await;
            wait_for_text(&c, "main li", "Trim the front hedge").await;
            // The applicant nearby is why nobody fits, in words.
            wait_for_text(&c, "main li", "1 helper is not approved yet").await;
            keep_screenshot(&c, "today").await;
            assert_accessible(&c, "today").await;
            let stored = c
                .execute(
                    "return [localStorage.length, sessionStorage.length];",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(stored, json!([0, 1]), "tokens live in sessionStorage only");

            for (hash, heading, shot) in [
                ("#/call".to_string(), "Take a call", "call"),
                ("#/helpers".to_string(), "Helpers", "helpers"),
                ("#/report".to_string(), "Weekly report", "report"),
                ("#/map".to_string(), "Map", "map"),
                (
                    format!("#/request/{id}"),
                    "Gardening for Ada Member",
                    "request",
                ),
                (
                    "#/reset/a-token".to_string(),
                    "Choose a new password",
                    "reset",
                ),
                ("#/series".to_string(), "Standing requests", "series"),
                ("#/concerns".to_string(), "Concerns", "concerns-empty"),
            ] {
                c.goto(&format!("{base}/console{hash}")).await.unwrap();
                heading_is(&c, heading).await;
                if shot == "report" {
                    wait_for(&c, "svg.chart").await;
                }
                if shot == "series" {
                    wait_for_text(&c, "main li", "Every ").await;
                }
                if shot == "request" {
                    wait_for_text(&c, "main li", "Asked for help").await;
                }
                keep_screenshot(&c, shot).await;
                assert_accessible(&c, shot).await;
                assert_reads_as_words(&c, shot).await;
            }

            button(&c, "Sign out").await.click().await.unwrap();
            heading_is(&c, "Sign in").await;
            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            heading_is(&c, "Sign in").await;
        })
        .await;
}

#[tokio::test]
async fn a_coordinator_takes_a_call_for_a_phone_only_member() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let edith = phone_only_member(&app, &coord, "Edith Phone").await;
    let helper = app.helper(&coord).await;

    let email = coord.email.clone();
    browser
        .run("take-a-call", |c, base| async move {
            sign_in(&c, &base, &email).await;
            heading_is(&c, "Today").await;
            button(&c, "Take a call").await.click().await.unwrap();
            heading_is(&c, "Take a call").await;
            labelled(&c, "Name, phone number or postcode")
                .await
                .send_keys("02079460101")
                .await
                .unwrap();
            button(&c, "Find").await.click().await.unwrap();
            button(&c, "Help Edith Phone").await.click().await.unwrap();
            labelled(&c, "What kind of help?")
                .await
                .select_by_value("gardening")
                .await
                .unwrap();
            labelled(&c, "What needs doing?")
                .await
                .send_keys("Cut back the hedge by the gate")
                .await
                .unwrap();
            button(&c, "Ask for help for Edith Phone")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "[role=status]", "Asked.").await;
            wait_for_text(&c, "main li", "Hal Helper").await;
            keep_screenshot(&c, "call-candidates").await;
            button(&c, "Send Hal Helper").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Hal Helper is going").await;
            keep_screenshot(&c, "call-assigned").await;

            button(&c, "See this request's story")
                .await
                .click()
                .await
                .unwrap();
            heading_is(&c, "Gardening for Edith Phone").await;
            wait_for_text(&c, "main li", "Assigned").await;
        })
        .await;

    let requests = requests_of(&app, &coord, &edith).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["status"], "assigned");
    assert_eq!(requests[0]["helper"]["id"], helper.id.as_str());
    assert_eq!(requests[0]["description"], "Cut back the hedge by the gate");
    assert_eq!(requests[0]["category"], "gardening");
}

#[tokio::test]
async fn taking_a_call_works_by_keyboard_alone() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let edith = phone_only_member(&app, &coord, "Edith Keys").await;
    let helper = app.helper(&coord).await;

    let email = coord.email.clone();
    browser
        .run("keyboard", |c, base| async move {
            c.goto(&format!("{base}/console")).await.unwrap();
            heading_is(&c, "Sign in").await;
            tab_to(&c, "el.name === 'email'")
                .await
                .send_keys(&email)
                .await
                .unwrap();
            press(&c, Key::Tab).await;
            c.active_element()
                .await
                .unwrap()
                .send_keys(PASSWORD)
                .await
                .unwrap();
            press(&c, Key::Enter).await;
            heading_is(&c, "Today").await;

            tab_to(&c, "el.textContent.trim() === 'Take a call'").await;
            press(&c, Key::Enter).await;
            heading_is(&c, "Take a call").await;
            tab_to(&c, "el.name === 'q'")
                .await
                .send_keys("se15 4rf")
                .await
                .unwrap();
            press(&c, Key::Enter).await;
            wait_for_text(&c, "main li", "Edith Keys").await;
            tab_to(&c, "el.textContent.trim() === 'Help Edith Keys'").await;
            press(&c, Key::Enter).await;
            // The form opens with the kind of help focused.
            wait_for_text(&c, "main h2", "What help does Edith Keys need?").await;
            let focused = c
                .execute("return document.activeElement.name;", vec![])
                .await
                .unwrap();
            assert_eq!(focused, "category");
            c.active_element()
                .await
                .unwrap()
                .send_keys("Gar")
                .await
                .unwrap();
            press(&c, Key::Tab).await;
            c.active_element()
                .await
                .unwrap()
                .send_keys("Weed the front path")
                .await
                .unwrap();
            tab_to(
                &c,
                "el.textContent.trim() === 'Ask for help for Edith Keys'",
            )
            .await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "main li", "Hal Helper").await;
            tab_to(&c, "el.textContent.trim() === 'Send Hal Helper'").await;
            press(&c, Key::Enter).await;
            wait_for_text(&c, "[role=status]", "Hal Helper is going").await;
            keep_screenshot(&c, "keyboard").await;
        })
        .await;

    let requests = requests_of(&app, &coord, &edith).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["category"], "gardening");
    assert_eq!(requests[0]["description"], "Weed the front path");
    assert_eq!(requests[0]["helper"]["id"], helper.id.as_str());
}

#[tokio::test]
async fn a_coordinator_vets_an_application_and_downloads_the_report() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let applicant = app.applicant().await;
    let downloads = browser.downloads.clone();

    let email = coord.email.clone();
    browser
        .run("vet-and-report", |c, base| async move {
            sign_in(&c, &base, &email).await;
            heading_is(&c, "Today").await;
            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            heading_is(&c, "Helpers").await;
            wait_for_text(&c, "main li", "Hal Helper").await;
            button(&c, "Approve Hal Helper")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "[role=status]", "Hal Helper is approved until").await;
            keep_screenshot(&c, "helpers-approved").await;

            c.goto(&format!("{base}/console#/report")).await.unwrap();
            heading_is(&c, "Weekly report").await;
            wait_for(&c, "svg.chart").await;
            wait_for_text(&c, "main table", "Requests asked").await;
            wait_for_text(&c, "main h2", "The week of Monday").await;
            assert_reads_as_words(&c, "weekly report").await;
            button(&c, "Download as a spreadsheet (CSV)")
                .await
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "[role=status]", "is downloaded").await;
            let mut csv = None;
            for _ in 0..100 {
                csv = std::fs::read_dir(&downloads)
                    .unwrap()
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|x| x == "csv"));
                if csv.is_some() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let csv = csv.expect("the CSV was downloaded");
            let text = std::fs::read_to_string(&csv).unwrap();
            let rows = crate::harness::read_csv(&text);
            assert_eq!(
                rows[0],
                [
                    "Section",
                    "Figure",
                    "Detail",
                    "This week",
                    "The week before",
                    "Coordinates"
                ]
            );
        })
        .await;

    let profile = app
        .get(
            &format!("/api/v1/helpers/{}", applicant.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(profile["vetting"]["status"], "approved");
    let a_year = (chrono::Local::now() + chrono::Duration::days(365)).date_naive();
    assert_eq!(profile["vetting"]["expires_on"], a_year.to_string());
}

#[tokio::test]
async fn a_coordinator_works_an_urgent_concern() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let raised = app
        .post(
            "/api/v1/concerns",
            Some(&member.token),
            json!({"category": "financial", "urgency": "urgent",
                   "description": "A man keeps calling my neighbour about her bank card."}),
        )
        .await
        .expect(201);
    let id = raised["id"].as_str().unwrap().to_string();

    let email = coord.email.clone();
    browser
        .run("concern", |c, base| async move {
            sign_in(&c, &base, &email).await;
            heading_is(&c, "Today").await;
            wait_for_text(&c, "main li h3", "URGENT: Money or belongings").await;
            c.goto(&format!("{base}/console#/concerns")).await.unwrap();
            heading_is(&c, "Concerns").await;
            wait_for_text(&c, "main li", "bank card").await;
            keep_screenshot(&c, "concerns").await;
            assert_accessible(&c, "concerns").await;

            c.goto(&format!("{base}/console#/concern/{id}"))
                .await
                .unwrap();
            heading_is(&c, "Urgent concern: Money or belongings").await;
            labelled(&c, "What now?")
                .await
                .select_by_value("referred")
                .await
                .unwrap();
            labelled(&c, "What was done or found")
                .await
                .send_keys("Rang her daughter; she is going round now.")
                .await
                .unwrap();
            labelled(&c, "Passed to (when passing on)")
                .await
                .send_keys("Southwark adult social care")
                .await
                .unwrap();
            button(&c, "Add this step").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "The step is added").await;
            wait_for_text(&c, "main li", "Passed to Southwark adult social care").await;
            keep_screenshot(&c, "concern").await;
            assert_accessible(&c, "concern").await;
        })
        .await;

    let full = app
        .get(
            &format!("/api/v1/concerns/{}", raised["id"].as_str().unwrap()),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(full["status"], "referred");
    assert_eq!(
        full["history"][1]["referred_to"],
        "Southwark adult social care"
    );
}

#[tokio::test]
async fn names_are_shown_as_text_never_run() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let name = "<img src=x onerror=\"document.title='pwned'\">";
    let id = phone_only_member(&app, &coord, name).await;
    let mut body = TestApp::request_body("gardening");
    body["member_id"] = json!(id);
    body["description"] = json!("<script>document.title='pwned'</script>");
    app.post("/api/v1/requests", Some(&coord.token), body)
        .await
        .expect(201);

    let email = coord.email.clone();
    browser
        .run("xss", |c, base| async move {
            sign_in(&c, &base, &email).await;
            heading_is(&c, "Today").await;
            let item = wait_for_text(&c, "#open li a", "<img src=x").await;
            assert_eq!(item.text().await.unwrap(), format!("Gardening for {name}"));
            // Her name on the follow-ups (a landline only) is text too.
            let person = wait_for_text(&c, "#follow-ups li a", "<img src=x").await;
            assert_eq!(person.text().await.unwrap(), name);
            wait_for_text(
                &c,
                "main li .said",
                "<script>document.title='pwned'</script>",
            )
            .await;
            c.goto(&format!("{base}/console#/call")).await.unwrap();
            heading_is(&c, "Take a call").await;
            labelled(&c, "Name, phone number or postcode")
                .await
                .send_keys("onerror")
                .await
                .unwrap();
            button(&c, "Find").await.click().await.unwrap();
            let found = wait_for_text(&c, "main li h3", "onerror").await;
            assert_eq!(found.text().await.unwrap(), name);
            keep_screenshot(&c, "names-as-text").await;
            assert!(c
                .find_all(Locator::Css("main img, main script"))
                .await
                .unwrap()
                .is_empty());
            let title = c.execute("return document.title;", vec![]).await.unwrap();
            assert_ne!(title, "pwned");
        })
        .await;
}

#[tokio::test]
async fn a_coordinator_puts_on_an_event_signs_up_a_caller_and_keeps_their_account() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    crate::places::import_sample(&app).await;
    let edna = phone_only_member(&app, &coord, "Edna Phone").await;
    let today = chrono::Utc::now().date_naive();
    app.post(
        &format!("/api/v1/members/{edna}/memberships"),
        Some(&coord.token),
        json!({"starts_on": (today - chrono::Duration::days(355)).to_string(),
               "ends_on": (today + chrono::Duration::days(10)).to_string(), "fee_pence": 1000}),
    )
    .await
    .expect(201);

    let email = coord.email.clone();
    let member = edna.clone();
    let (address, token) = (app.address.clone(), coord.token.clone());
    browser
        .run("events", |c, base| async move {
            sign_in(&c, &base, &email).await;
            heading_is(&c, "Today").await;
            c.goto(&format!("{base}/console#/events")).await.unwrap();
            heading_is(&c, "Social events").await;
            for (label, text) in [
                ("What is it called?", "Harvest lunch"),
                ("What happens there?", "Soup, bread and a quiz"),
                ("Where?", "St Giles church hall, Camberwell"),
                ("Its postcode", "se5 8ag"),
            ] {
                labelled(&c, label).await.send_keys(text).await.unwrap();
            }
            button(&c, "Put the event on").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Harvest lunch is on.").await;
            c.find(Locator::LinkText("Open it"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Harvest lunch").await;
            labelled(&c, "Which member?")
                .await
                .send_keys("Edna")
                .await
                .unwrap();
            c.find(Locator::Id("needs-lift"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            button(&c, "Find and sign up").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Edna Phone is going.").await;
            // The lists are drawn again with her, without reloading.
            wait_for_text(&c, "main ul", "Edna Phone: 020 7946 0101").await;
            keep_screenshot(&c, "event").await;
            assert_accessible(&c, "event").await;

            c.goto(&format!("{base}/console#/renewals")).await.unwrap();
            heading_is(&c, "Renewals").await;
            wait_for_text(&c, "table", "Edna Phone").await;
            keep_screenshot(&c, "renewals").await;
            assert_accessible(&c, "renewals").await;

            c.goto(&format!("{base}/console#/account/{member}"))
                .await
                .unwrap();
            heading_is(&c, "Edna Phone's account").await;
            button(&c, "Record the tokens").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Recorded: 3 tokens bought.").await;
            // The statement is drawn again with them, without reloading the page.
            wait_for_text(&c, "table", "Tokens bought").await;
            keep_screenshot(&c, "account").await;
            assert_accessible(&c, "account").await;

            c.goto(&format!("{base}/console#/events")).await.unwrap();
            wait_for_text(&c, "main li", "1 of 30 places taken").await;
            keep_screenshot(&c, "events").await;
            assert_accessible(&c, "events").await;

            // Cancelled through the API, it reads cancelled in the console: no sign-up form,
            // and her lift cancelled too.
            let client = reqwest::Client::new();
            let listed: serde_json::Value = client
                .get(format!("{address}/api/v1/events"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let id = listed["items"][0]["id"].as_str().unwrap().to_string();
            let r = client
                .post(format!("{address}/api/v1/events/{id}/cancel"))
                .bearer_auth(&token)
                .json(&json!({"reason": "The hall's heating has broken"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            c.goto(&format!("{base}/console#/event/{id}"))
                .await
                .unwrap();
            wait_for_text(&c, "main", "Cancelled on").await;
            wait_for_text(&c, "main", "The hall's heating has broken").await;
            wait_for_text(&c, "main table", "Lift cancelled").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            let shown = shown.as_str().unwrap().to_string();
            assert!(!shown.contains("Find and sign up"), "{shown}");
            assert!(!shown.contains("Lift arranged"), "{shown}");
            keep_screenshot(&c, "event-cancelled").await;
            assert_accessible(&c, "event cancelled").await;
        })
        .await;

    let events = app
        .get("/api/v1/events", Some(&coord.token))
        .await
        .expect(200);
    let e = &events["items"][0];
    assert_eq!(e["title"], "Harvest lunch");
    assert_eq!(
        e["location"],
        json!({"lat": 51.473622, "lon": -0.095788}),
        "placed at its postcode"
    );
    assert_eq!(e["people"]["going"][0]["member_id"], edna.as_str());
    assert_eq!(e["people"]["going"][0]["needs_lift"], true);
    assert!(e["people"]["going"][0]["lift_request_id"].is_string());
    let acc = app
        .get(
            &format!("/api/v1/members/{edna}/account"),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(acc["balance_minutes"], 180);
    assert_eq!(acc["movements"][0]["amount_pence"], 3000);
}

/// A coordinator registers a caller by their postcode, however typed: a postcode the Circle does
/// not know is an error in words that says what to do, and nothing is registered; the right one
/// places them and the request asked for them.
#[tokio::test]
async fn a_coordinator_registers_a_caller_by_postcode() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    crate::places::import_sample(&app).await;
    let email = coord.email.clone();
    browser
        .run("register", |c, base| async move {
            sign_in(&c, &base, &email).await;
            heading_is(&c, "Today").await;
            c.goto(&format!("{base}/console#/call")).await.unwrap();
            c.find(Locator::Css("summary"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            for (label, text) in [
                ("Their name", "Nora Postcode"),
                ("Their phone number", "020 7946 0202"),
                ("Their house number and street", "7 Bellenden Road"),
                ("Their postcode", "SE15 9ZZ"),
            ] {
                labelled(&c, label).await.send_keys(text).await.unwrap();
            }
            button(&c, "Register them").await.click().await.unwrap();
            let alert = wait_for_text(&c, "[role=alert]", "is not a postcode we know").await;
            let said = alert.text().await.unwrap();
            assert!(said.contains("Postcode: SE15 9ZZ"), "{said}");
            // Said next to the field too, which is marked invalid and described by it.
            let marked = c
                .execute(
                    "const input = document.querySelector('input[name=postcode]');
                     const said = document.getElementById(input.id + '-error');
                     return [input.getAttribute('aria-invalid'), said && said.textContent,
                             input.getAttribute('aria-describedby').includes(said.id)];",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(marked[0], "true", "{marked}");
            assert!(
                marked[1]
                    .as_str()
                    .unwrap()
                    .contains("is not a postcode we know"),
                "{marked}"
            );
            assert_eq!(marked[2], true, "{marked}");
            assert!(!said.contains("postcode:"), "no field codes: {said}");
            c.set_window_size(390, 844).await.unwrap();
            c.execute(
                "document.querySelector('[role=alert]').scrollIntoView({block: 'end'});",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "register-phone").await;
            c.set_window_size(1280, 1000).await.unwrap();
            let postcode = labelled(&c, "Their postcode").await;
            postcode.clear().await.unwrap();
            postcode.send_keys("se151an").await.unwrap();
            button(&c, "Register them").await.click().await.unwrap();
            wait_for_text(&c, "[role=status]", "Nora Postcode is registered.").await;
            keep_screenshot(&c, "register").await;
            assert_accessible(&c, "register").await;
        })
        .await;

    let found = app
        .get("/api/v1/members?q=Nora", Some(&coord.token))
        .await
        .expect(200);
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "registered once: {found}");
    let id = items[0]["id"].as_str().unwrap();
    let nora = app
        .get(&format!("/api/v1/members/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(nora["address"], "7 Bellenden Road, SE15 1AN");
    assert_eq!(nora["location"], json!({"lat": 51.46534, "lon": -0.063411}));
}
