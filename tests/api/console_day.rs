//! A coordinator's day in the console, in a real browser on the real server: a request followed
//! after it is asked (send a helper and tell the member their phone, confirm for a helper who
//! rang, cancel only after saying yes twice; nobody came, and done, once the visit's time has
//! come), a member's requests and details on their account page, a registration that warns of
//! a phone number already registered, and a corrected form sent without an Idempotency-Key
//! complaint.

use crate::harness::RawDb;
use fantoccini::Locator;

use crate::browser::{
    assert_accessible, keep_screenshot, labelled, press_button, type_into, wait_for_text,
};
use crate::console::{app_and_browser, assert_reads_as_words, sign_in};
use crate::harness::TestApp;

/// Move a request's window to have started an hour ago (as if time had passed).
async fn started(app: &TestApp, id: &str) {
    let id = id.to_string();
    let start = chrono::Utc::now().naive_utc() - chrono::Duration::hours(1);
    app.state
        .db(move |c| {
            use diesel::RunQueryDsl;
            diesel::sql_query(format!(
                "UPDATE help_requests SET window_start = '{start}', window_end = '{}', \
                 scheduled_start = '{start}' WHERE id = '{id}'",
                start + chrono::Duration::hours(4)
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_coordinator_follows_a_request_after_it_is_asked() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    let first = app.request(&member).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (second, _) = crate::visits::assigned(&app, &member, &helper, 2).await;
    let (third, _) = crate::visits::assigned(&app, &member, &helper, 3).await;
    started(&app, &second).await;
    started(&app, &third).await;
    let email = coord.email.clone();
    let (one, two, three) = (first.clone(), second.clone(), third.clone());
    browser
        .run("console-request", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;

            // Asked: send a helper; the coordinator is given their phone for the member.
            c.goto(&format!("{base}/console#/request/{one}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Gardening for Ada Member").await;
            press_button(&c, "Send Hal Helper").await;
            wait_for_text(&c, "[role=status]", "Hal Helper is going").await;
            wait_for_text(&c, "[role=status]", "Their phone: 020 7946 0002").await;
            wait_for_text(&c, "main", "A helper is going, not confirmed yet").await;
            press_button(&c, "Hal Helper rang: confirm the visit").await;
            wait_for_text(&c, "[role=status]", "Confirmed for Hal Helper.").await;
            wait_for_text(&c, "main li", "Assigned: Hal Helper").await;
            // Before the visit: when it can be marked done, and no button to do it early.
            wait_for_text(&c, "main", "The visit can be marked done from").await;
            let shown = c
                .execute("return document.querySelector('main').innerText;", vec![])
                .await
                .unwrap();
            let shown = shown.as_str().unwrap().to_string();
            assert!(
                !shown.contains("Mark it done") && !shown.contains("Nobody came"),
                "{shown}"
            );
            keep_screenshot(&c, "request-actions").await;
            assert_accessible(&c, "request with actions").await;
            assert_reads_as_words(&c, "request with actions").await;

            // Cancelling asks first, and "no" changes nothing.
            press_button(&c, "Cancel this request").await;
            wait_for_text(&c, "[role=alert]", "Hal Helper is told by email").await;
            keep_screenshot(&c, "request-cancel-ask").await;
            press_button(&c, "No, keep it").await;
            press_button(&c, "Cancel this request").await;
            type_into(&c, "Why (optional)", "Her daughter will do it").await;
            press_button(&c, "Yes, cancel it").await;
            wait_for_text(&c, "[role=status]", "Cancelled.").await;
            wait_for_text(&c, "main li", "Her daughter will do it").await;

            // The visit's time has come: done, with the minutes.
            c.goto(&format!("{base}/console#/request/{two}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Gardening for Ada Member").await;
            let minutes = labelled(&c, "Minutes it took").await;
            minutes.clear().await.unwrap();
            minutes.send_keys("75").await.unwrap();
            press_button(&c, "Mark it done").await;
            wait_for_text(&c, "[role=status]", "Done: 1 hour 15 minutes recorded.").await;

            // Nobody came.
            c.goto(&format!("{base}/console#/request/{three}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Gardening for Ada Member").await;
            press_button(&c, "Nobody came").await;
            wait_for_text(&c, "[role=status]", "did not come").await;

            // Every request is on the member's account page.
            c.find(Locator::LinkText("Ada Member's account and requests"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Ada Member's account").await;
            wait_for_text(&c, "main li", "Cancelled").await;
            wait_for_text(&c, "main li", "Done").await;
            keep_screenshot(&c, "member-account").await;
            assert_accessible(&c, "member account").await;
            assert_reads_as_words(&c, "member account").await;
            let phone = labelled(&c, "Phone number").await;
            phone.clear().await.unwrap();
            phone.send_keys("020 7946 0777").await.unwrap();
            press_button(&c, "Save their details").await;
            wait_for_text(&c, "[role=status]", "Ada Member's details are saved.").await;
            wait_for_text(&c, "main dd", "020 7946 0777").await;
        })
        .await;
    let read = |id: String| {
        let app = &app;
        let token = coord.token.clone();
        async move {
            app.get(&format!("/api/v1/requests/{id}"), Some(&token))
                .await
                .expect(200)
        }
    };
    assert_eq!(read(first).await["status"], "cancelled");
    let done = read(second).await;
    assert_eq!(done["status"], "completed");
    assert_eq!(done["minutes_spent"], 75);
    assert_ne!(read(third).await["helper"]["id"], helper.id.as_str());
    let ada = app
        .get(
            &format!("/api/v1/members/{}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(ada["phone"], "020 7946 0777");
}

#[tokio::test]
async fn registering_warns_of_a_phone_already_registered_and_a_correction_is_sent() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    crate::places::import_sample(&app).await;
    let email = coord.email.clone();
    browser
        .run("console-register-twice", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            let register = |name: &'static str, street: &'static str, postcode: &'static str| {
                let c = c.clone();
                let base = base.clone();
                async move {
                    c.goto(&format!("{base}/console#/today")).await.unwrap();
                    wait_for_text(&c, "main h1", "Today").await;
                    c.goto(&format!("{base}/console#/call")).await.unwrap();
                    wait_for_text(&c, "main h1", "Take a call").await;
                    c.find(Locator::Css("summary"))
                        .await
                        .unwrap()
                        .click()
                        .await
                        .unwrap();
                    for (label, text) in [
                        ("Their name", name),
                        ("Their phone number", "020 7946 0303"),
                        ("Their house number and street", street),
                        ("Their postcode", postcode),
                    ] {
                        labelled(&c, label).await.send_keys(text).await.unwrap();
                    }
                    press_button(&c, "Register them").await;
                }
            };
            // A wrong postcode, corrected: the corrected form is sent as a new request.
            register("Olive Twice", "3 Bellenden Road", "SE15 9ZZ").await;
            wait_for_text(&c, "[role=alert]", "is not a postcode we know").await;
            let postcode = labelled(&c, "Their postcode").await;
            postcode.clear().await.unwrap();
            postcode.send_keys("SE15 1AN").await.unwrap();
            press_button(&c, "Register them").await;
            wait_for_text(&c, "[role=status]", "Olive Twice is registered.").await;

            // The page drawn again (a reload) and the same caller registered again: a warning
            // names who has the number, and helping them is one press.
            register("Olive Twice", "3 Bellenden Road", "SE15 1AN").await;
            wait_for_text(
                &c,
                "[role=alert]",
                "already registered with this phone number",
            )
            .await;
            wait_for_text(
                &c,
                "[role=alert]",
                "Olive Twice, 3 Bellenden Road, SE15 1AN",
            )
            .await;
            keep_screenshot(&c, "register-duplicate").await;
            assert_accessible(&c, "register duplicate").await;
            press_button(&c, "Help Olive Twice").await;
            wait_for_text(&c, "main h2", "What help does Olive Twice need?").await;
        })
        .await;
    let found = app
        .get("/api/v1/members?q=Olive", Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(
        found["items"].as_array().unwrap().len(),
        1,
        "one Olive: {found}"
    );
}

/// Today with 500 requests nobody fits: the numbers at the top say 500, the queue shows a page
/// of one-line rows, soonest first, with more a press away; the page makes a fixed number of
/// API calls (not one a request) and stays short.
#[tokio::test]
async fn today_stays_short_and_quick_with_500_waiting() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let start = chrono::Utc::now() + chrono::Duration::days(2);
    for chunk in (0..500).collect::<Vec<i64>>().chunks(25) {
        let asks = chunk.iter().map(|i| {
            let mut body = TestApp::request_body("paperwork");
            let at = start + chrono::Duration::minutes(10 * i);
            body["window"] = serde_json::json!({
                "start": at.to_rfc3339(),
                "end": (at + chrono::Duration::hours(3)).to_rfc3339(),
            });
            body["description"] = serde_json::json!(format!("Letter number {i}"));
            app.post("/api/v1/requests", Some(&member.token), body)
        });
        for answer in futures_util::future::join_all(asks).await {
            answer.expect(201);
        }
    }
    let email = coord.email.clone();
    browser
        .run("console-today-500", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            wait_for_text(&c, "main .counts", "500 nobody found yet").await;
            wait_for_text(&c, "#open h2", "Nobody found yet (500)").await;
            keep_screenshot(&c, "today-500").await;
            assert_accessible(&c, "today with 500 waiting").await;
            assert_reads_as_words(&c, "today with 500 waiting").await;
            let shown = |c: fantoccini::Client| async move {
                c.execute(
                    "return [
                       document.querySelectorAll('#open li').length,
                       performance.getEntriesByType('resource')
                         .filter((e) => new URL(e.name).pathname.startsWith('/api/')).length,
                       document.documentElement.scrollHeight,
                       [...document.querySelectorAll('#open li .said')].map((e) => e.textContent),
                     ];",
                    vec![],
                )
                .await
                .unwrap()
            };
            let now = shown(c.clone()).await;
            assert_eq!(now[0], 25, "a page of rows: {now}");
            let calls = now[1].as_u64().unwrap();
            assert!(
                calls <= 12,
                "{calls} API calls for Today (sign-in included)"
            );
            let height = now[2].as_u64().unwrap();
            assert!(height < 4000, "Today is {height} px tall with 500 waiting");
            let said: Vec<String> = serde_json::from_value(now[3].clone()).unwrap();
            assert_eq!(said[0], "“Letter number 0”", "soonest first: {said:?}");
            assert_eq!(said[24], "“Letter number 24”", "{said:?}");
            press_button(&c, "Show 25 more").await;
            wait_for_text(&c, "#open", "Letter number 49").await;
            let more = shown(c.clone()).await;
            assert_eq!(more[0], 50, "{more}");
            assert_eq!(more[1].as_u64().unwrap(), calls + 1, "one call a page");
        })
        .await;
}

/// The console on a phone (390 px): the menu folds away, and no page scrolls sideways (tables
/// show a row as a block, each cell led by its column's heading).
#[tokio::test]
async fn the_console_fits_a_phone() {
    let app = TestApp::spawn(crate::harness::Backend::Sqlite)
        .await
        .unwrap();
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let member = app.member().await;
    let (request, _) = crate::visits::assigned(&app, &member, &helper, 2).await;
    let event = crate::events::event(&app, &coord, chrono::Duration::days(5), 20).await;
    crate::events::sign_up(&app, &member, &event.to_string(), serde_json::json!({})).await;
    app.post(
        &format!("/api/v1/members/{}/account/credits", member.id),
        Some(&coord.token),
        serde_json::json!({"tokens": 5, "amount_pence": 1000}),
    )
    .await
    .expect(201);
    let email = coord.email.clone();
    let member_id = member.id.clone();
    browser
        .run("console-phone", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            let menu_height = c
                .execute("return document.querySelector('.top').getBoundingClientRect().height;", vec![])
                .await
                .unwrap();
            assert!(menu_height.as_f64().unwrap() < 844.0 * 0.15, "the menu takes {menu_height} px");
            keep_screenshot(&c, "today-phone").await;
            press_button(&c, "Menu").await;
            c.find(Locator::LinkText("Helpers")).await.unwrap().click().await.unwrap();
            wait_for_text(&c, "main h1", "Helpers").await;
            for (route, heading) in [
                ("today", "Today"),
                ("call", "Take a call"),
                ("helpers", "Helpers"),
                ("series", "Standing requests"),
                ("events", "Social events"),
                ("renewals", "Renewals"),
                ("concerns", "Concerns"),
                ("report", "Weekly report"),
                ("map", "Map"),
                (&format!("account/{member_id}"), "account"),
                (&format!("request/{request}"), "Gardening for"),
                (&format!("event/{event}"), "Coffee morning"),
            ] {
                c.goto(&format!("{base}/console#/{route}")).await.unwrap();
                wait_for_text(&c, "main h1", heading).await;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                let sizes = c
                    .execute(
                        "return [document.documentElement.scrollWidth, window.innerWidth,
                                 [...document.querySelectorAll('body *')]
                                   .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
                                   .map((e) => e.tagName + ' ' + e.textContent.slice(0, 40))];",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert!(
                    sizes[0].as_i64() <= sizes[1].as_i64(),
                    "#/{route} scrolls sideways on a phone: {sizes}"
                );
                let page = route.split('/').next().unwrap_or("today");
                keep_screenshot(&c, &format!("console-{page}-phone")).await;
                if route.starts_with("account") {
                    // The statement: each row a block, each cell led by its column's heading.
                    let cell = c
                        .execute(
                            "const td = document.querySelector('main tbody td');
                             return [getComputedStyle(td).display, td.getAttribute('data-label')];",
                            vec![],
                        )
                        .await
                        .unwrap();
                    assert_eq!(cell, serde_json::json!(["block", "When"]));
                    keep_screenshot(&c, "account-phone").await;
                }
            }
        })
        .await;
}

/// A member made by a coordinator with this name and phone.
async fn member_named(
    app: &TestApp,
    coord: &crate::harness::User,
    name: &str,
    phone: &str,
) -> String {
    let mut body = TestApp::member_body("unused@example.org");
    body["name"] = serde_json::json!(name);
    body["phone"] = serde_json::json!(phone);
    body.as_object_mut().unwrap().remove("email");
    body.as_object_mut().unwrap().remove("password");
    app.post("/api/v1/members", Some(&coord.token), body)
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The harmful presses ask first, and "No, go back" changes nothing: suspending a helper (then
/// reinstating them), not accepting an application, ending a standing request, taking someone
/// off an event (which names who got the place). Signing up "Hughes" when two match offers both.
#[tokio::test]
async fn harmful_presses_ask_first_and_say_what_followed() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let applicant = app.applicant().await;
    let member = app.member().await;
    let series = crate::series::weekly_series(&app, &member).await;
    let event = crate::events::event(&app, &coord, chrono::Duration::days(5), 1).await;
    crate::events::sign_up(&app, &member, &event, serde_json::json!({}))
        .await
        .expect(201);
    member_named(&app, &coord, "Huw Hughes", "020 7946 0401").await;
    let gwen = member_named(&app, &coord, "Gwen Hughes", "020 7946 0402").await;
    let email = coord.email.clone();
    let ev = event.clone();
    browser
        .run("console-ask-first", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;

            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            wait_for_text(&c, "main h1", "Helpers").await;
            press_button(&c, "Do not accept Hal Helper").await;
            wait_for_text(
                &c,
                "[role=alert]",
                "Not accept Hal Helper? They will get no offers.",
            )
            .await;
            press_button(&c, "Yes, do not accept Hal Helper").await;
            wait_for_text(&c, "[role=status]", "Hal Helper was not accepted.").await;
            type_into(&c, "Name, phone number or email", "Hal").await;
            press_button(&c, "Find").await;
            press_button(&c, "Suspend Hal Helper").await;
            wait_for_text(
                &c,
                "[role=alert]",
                "Suspend Hal Helper? Their open offers go to others",
            )
            .await;
            keep_screenshot(&c, "suspend-ask").await;
            assert_accessible(&c, "suspend asked").await;
            press_button(&c, "No, go back").await;
            press_button(&c, "Suspend Hal Helper").await;
            press_button(&c, "Yes, suspend Hal Helper").await;
            wait_for_text(&c, "[role=status]", "Hal Helper is suspended").await;
            press_button(&c, "Reinstate Hal Helper").await;
            wait_for_text(&c, "[role=status]", "Hal Helper is reinstated until").await;

            c.goto(&format!("{base}/console#/series")).await.unwrap();
            wait_for_text(&c, "main h1", "Standing requests").await;
            press_button(&c, "End Ada Member's Gardening").await;
            wait_for_text(&c, "[role=alert]", "End Ada Member's regular gardening?").await;
            press_button(&c, "No, go back").await;
            press_button(&c, "End Ada Member's Gardening").await;
            press_button(&c, "Yes, end it").await;
            wait_for_text(&c, "[role=status]", "Ended").await;

            c.goto(&format!("{base}/console#/event/{ev}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Coffee morning").await;
            type_into(&c, "Which member?", "Hughes").await;
            press_button(&c, "Find and sign up").await;
            wait_for_text(&c, "main", "2 members match. Which one?").await;
            press_button(&c, "Sign up Gwen Hughes").await;
            wait_for_text(
                &c,
                "[role=status]",
                "Gwen Hughes is waiting, number 1 in the queue.",
            )
            .await;
            press_button(&c, "Take Ada Member off").await;
            wait_for_text(&c, "[role=alert]", "The first one waiting gets the place").await;
            press_button(&c, "Yes, take Ada Member off").await;
            wait_for_text(
                &c,
                "[role=status]",
                "Ada Member is taken off. Gwen Hughes now has the place and has been told.",
            )
            .await;
            assert_reads_as_words(&c, "event after taking someone off").await;
        })
        .await;
    let h = app
        .get(
            &format!("/api/v1/helpers/{}", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(h["vetting"]["status"], "approved", "reinstated: {h}");
    let a = app
        .get(
            &format!("/api/v1/helpers/{}", applicant.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(a["vetting"]["status"], "rejected");
    let s = app
        .get(&format!("/api/v1/series/{series}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(s["status"], "ended");
    let e = app
        .get(&format!("/api/v1/events/{event}"), Some(&coord.token))
        .await
        .expect(200);
    let going: Vec<&str> = e["people"]["going"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["member_id"].as_str().unwrap())
        .collect();
    assert_eq!(going, [gwen.as_str()]);
}

/// Asking for a member who already has help asked for that day warns first, naming it; asking
/// again makes the second request.
#[tokio::test]
async fn asking_twice_for_one_day_warns_first() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    app.request(&member).await;
    let email = coord.email.clone();
    browser
        .run("console-same-day", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/call")).await.unwrap();
            wait_for_text(&c, "main h1", "Take a call").await;
            type_into(&c, "Name, phone number or postcode", "Ada").await;
            press_button(&c, "Find").await;
            press_button(&c, "Help Ada Member").await;
            type_into(&c, "What needs doing?", "Post a parcel").await;
            press_button(&c, "Ask for help for Ada Member").await;
            wait_for_text(
                &c,
                "[role=alert]",
                "Ada Member already has help asked for that day",
            )
            .await;
            wait_for_text(&c, "[role=alert] li", "Gardening").await;
            keep_screenshot(&c, "same-day-warning").await;
            assert_accessible(&c, "same day warning").await;
            press_button(&c, "Ask for help for Ada Member").await;
            wait_for_text(&c, "[role=status]", "Asked.").await;
        })
        .await;
    let theirs = app
        .get(
            &format!("/api/v1/requests?member_id={}", member.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(theirs["items"].as_array().unwrap().len(), 2, "{theirs}");
}

/// Every helper is listed (not only found by a search), and a coordinator sets when one can
/// help, as the helper said on the phone.
#[tokio::test]
async fn a_coordinator_goes_through_all_helpers_and_sets_when_one_can_help() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let helper = app.helper(&coord).await;
    let email = coord.email.clone();
    browser
        .run("console-all-helpers", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/helpers")).await.unwrap();
            wait_for_text(&c, "main h1", "Helpers").await;
            press_button(&c, "Show the helpers").await;
            wait_for_text(&c, "main li", "Hal Helper").await;
            press_button(&c, "Open Hal Helper").await;
            c.find(Locator::XPath("//summary[contains(., 'When Hal Helper can help')]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // Only Tuesday and Thursday mornings.
            c.execute(
                "for (const box of document.querySelectorAll('input[data-day]')) {
                   box.checked = ['tue', 'thu'].includes(box.dataset.day) && box.dataset.from === '09:00';
                 }",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "helper-availability").await;
            assert_accessible(&c, "helper availability").await;
            press_button(&c, "Save when Hal Helper can help").await;
            wait_for_text(&c, "[role=status]", "offers to Hal Helper follow these times").await;
        })
        .await;
    let when = app
        .get(
            &format!("/api/v1/helpers/{}/availability", helper.id),
            Some(&coord.token),
        )
        .await
        .expect(200);
    assert_eq!(
        when["weekly"],
        serde_json::json!([
            {"day": "tue", "start": "09:00", "end": "12:00"},
            {"day": "thu", "start": "09:00", "end": "12:00"},
        ]),
        "{when}"
    );
}

/// A caller wants the same help every week: the coordinator makes the standing request while
/// taking the call, then chooses its regular helper by name.
#[tokio::test]
async fn a_coordinator_makes_regular_help_and_chooses_its_helper() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    app.helper(&coord).await;
    let lyn = crate::series::lifts_only_helper(&app, &coord, "Lyn Lifts").await;
    let member = app.member().await;
    let email = coord.email.clone();
    browser
        .run("console-regular", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/call")).await.unwrap();
            wait_for_text(&c, "main h1", "Take a call").await;
            type_into(&c, "Name, phone number or postcode", "Ada").await;
            press_button(&c, "Find").await;
            press_button(&c, "Help Ada Member").await;
            c.execute(
                "document.querySelector('select[name=category]').value = 'gardening';",
                vec![],
            )
            .await
            .unwrap();
            type_into(&c, "What needs doing?", "Mow the back lawn").await;
            c.execute(
                "document.querySelector('select[name=every]').value = 'week';",
                vec![],
            )
            .await
            .unwrap();
            press_button(&c, "Ask for help for Ada Member").await;
            wait_for_text(
                &c,
                "[role=status]",
                "Regular help made: every week, from 10:00 to 14:00",
            )
            .await;
            c.find(Locator::LinkText(
                "See it with the other standing requests, and choose its regular helper",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            wait_for_text(&c, "main h1", "Standing requests").await;
            wait_for_text(&c, "main li", "Mow the back lawn").await;
            c.find(Locator::XPath(
                "//summary[contains(., 'Choose a regular helper')]",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            type_into(&c, "Helper's name, phone or email", "Hal").await;
            press_button(&c, "Find the helper").await;
            press_button(&c, "Make Hal Helper the regular helper").await;
            wait_for_text(&c, "[role=status]", "Hal Helper is the regular helper").await;
            // The card says so at once, without a reload.
            wait_for_text(&c, "main li", "Regular helper: Hal Helper").await;
            keep_screenshot(&c, "series-regular-helper").await;
            // Someone who does not suit: the checks are named, and a reason lets them be chosen.
            c.find(Locator::XPath(
                "//summary[contains(., 'Change the regular helper')]",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
            type_into(&c, "Helper's name, phone or email", "Lyn").await;
            press_button(&c, "Find the helper").await;
            press_button(&c, "Make Lyn Lifts the regular helper").await;
            wait_for_text(
                &c,
                "[role=alert]",
                "Lyn Lifts may not suit this regular help",
            )
            .await;
            wait_for_text(&c, "[role=alert]", "does not offer help with the garden").await;
            wait_for_text(&c, "[role=alert]", "weekly times do not hold the visit").await;
            c.execute(
                "document.querySelector('[role=alert]').scrollIntoView();",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "series-regular-helper-check").await;
            assert_accessible(&c, "a regular helper who does not suit").await;
            type_into(
                &c,
                "Why choose them anyway? (kept in the record)",
                "Ada asked for Lyn by name",
            )
            .await;
            press_button(&c, "Choose Lyn Lifts anyway").await;
            wait_for_text(
                &c,
                "[role=status]",
                "Lyn Lifts is the regular helper, with your reason noted",
            )
            .await;
            wait_for_text(&c, "main li", "Regular helper: Lyn Lifts").await;
            assert_accessible(&c, "standing requests").await;
            assert_reads_as_words(&c, "standing requests").await;
        })
        .await;
    let series = app
        .get("/api/v1/series", Some(&coord.token))
        .await
        .expect(200);
    let items = series["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{series}");
    assert_eq!(items[0]["member_id"], member.id.as_str());
    assert_eq!(items[0]["every"], "week");
    assert_eq!(items[0]["helper"]["id"], lyn.id.as_str());
}

/// Sending someone else: the helper going rang to say they cannot come; the coordinator says so
/// (with why), and sends another helper from the same page.
#[tokio::test]
async fn a_coordinator_sends_someone_else_when_a_helper_cannot_come() {
    let Some((app, browser)) = app_and_browser().await else {
        return;
    };
    let coord = app.coordinator().await;
    let first = app.helper(&coord).await;
    let member = app.member().await;
    let (id, _) = crate::visits::assigned(&app, &member, &first, 3).await;
    let second = app.helper(&coord).await;
    let email = coord.email.clone();
    let rid = id.clone();
    browser
        .run("console-reassign", |c, base| async move {
            sign_in(&c, &base, &email).await;
            wait_for_text(&c, "main h1", "Today").await;
            c.goto(&format!("{base}/console#/request/{rid}"))
                .await
                .unwrap();
            wait_for_text(&c, "main h1", "Gardening for Ada Member").await;
            press_button(&c, "Hal Helper rang: cannot come").await;
            press_button(&c, "Yes, Hal Helper cannot come").await;
            wait_for_text(&c, ".field-error", "Why").await;
            type_into(&c, "Why they cannot come", "Her car broke down").await;
            press_button(&c, "Yes, Hal Helper cannot come").await;
            wait_for_text(&c, "[role=status]", "Hal Helper is no longer going.").await;
            wait_for_text(&c, "main li", "they rang Cora Coordinator").await;
            press_button(&c, "Send Hal Helper").await;
            wait_for_text(&c, "[role=status]", "Hal Helper is going").await;
            keep_screenshot(&c, "request-reassigned").await;
            assert_reads_as_words(&c, "request reassigned").await;
        })
        .await;
    let r = app
        .get(&format!("/api/v1/requests/{id}"), Some(&coord.token))
        .await
        .expect(200);
    assert_eq!(r["status"], "assigned");
    assert_eq!(
        r["helper"]["id"],
        second.id.as_str(),
        "the other helper: {r}"
    );
}
