//! Calendar feeds, read back with an independent iCalendar parser (the `ical` crate): a
//! member's feed holds who is coming and the event she is going to; a helper's visit shows the
//! area only until the day before, then the address; a new address ends the old one; the feed
//! needs no sign-in and a made-up address is a 404.

use chrono::Duration;
use serde_json::json;

use crate::events::{event, sign_up};
use crate::harness::{Backend, TestApp};
use crate::visits::assigned;

crate::on_both_backends!(backend: calendars_list_visits_and_events_and_hide_the_address_until_the_day_before);

/// Each entry of a feed: its properties by name.
fn entries(ics: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = parser.next().expect("a calendar").expect("it parses");
    assert!(parser.next().is_none(), "one calendar");
    cal.events
        .into_iter()
        .map(|e| {
            e.properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect()
        })
        .collect()
}

async fn read(app: &TestApp, url: &str) -> (u16, String, String) {
    let path = url
        .split_once("/api/v1/")
        .map(|(_, p)| format!("/api/v1/{p}"))
        .unwrap();
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
    (status, kind, r.text().await.unwrap())
}

async fn calendars_list_visits_and_events_and_hide_the_address_until_the_day_before(
    backend: Backend,
) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let coord = app.coordinator().await;
    let member = app.member().await;
    let helper = app.helper(&coord).await;
    let (id, _) = assigned(&app, &member, &helper, 3).await;
    let party = event(&app, &coord, Duration::days(5), 10).await;
    sign_up(&app, &member, &party, json!({})).await.expect(201);

    let mine = app
        .post("/api/v1/me/calendar", Some(&member.token), json!({}))
        .await
        .expect(201)["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(mine.ends_with(".ics"), "{mine}");
    let (status, kind, ics) = read(&app, &mine).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/calendar"), "{kind}");
    let list = entries(&ics);
    let visit = list
        .iter()
        .find(|e| e["UID"] == format!("{id}@neighbourly"))
        .expect("the visit");
    assert_eq!(visit["SUMMARY"], "Hal comes to help with the garden");
    assert!(
        visit["DTSTART"].ends_with('Z') && visit.contains_key("DTEND"),
        "{visit:?}"
    );
    let party_entry = list
        .iter()
        .find(|e| e["UID"] == format!("{party}@neighbourly"))
        .expect("the event she is going to");
    assert!(party_entry.contains_key("LOCATION"));
    assert!(!ics.contains("7946"), "no phone number in a feed");

    // The helper's feed: the area until the day before, then the address.
    let theirs = app
        .post("/api/v1/me/calendar", Some(&helper.token), json!({}))
        .await
        .expect(201)["url"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, ics) = read(&app, &theirs).await;
    let job = entries(&ics)
        .into_iter()
        .find(|e| e["UID"] == format!("{id}@neighbourly"))
        .expect("the helper's visit");
    assert_eq!(job["SUMMARY"], "Help Ada with the garden");
    assert!(!job["LOCATION"].contains("Choumert"), "{job:?}");
    assert!(job["LOCATION"].contains("the day before"), "{job:?}");
    app.travel(Duration::days(2) + Duration::hours(12));
    let (_, _, ics) = read(&app, &theirs).await;
    let job = entries(&ics)
        .into_iter()
        .find(|e| e["UID"] == format!("{id}@neighbourly"))
        .unwrap();
    assert!(job["LOCATION"].contains("12 Choumert Road"), "{job:?}");

    // A new address ends the old one; a made-up one is unknown; none needs a sign-in.
    let again = app
        .post("/api/v1/me/calendar", Some(&member.token), json!({}))
        .await
        .expect(201)["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(again, mine);
    assert_eq!(read(&app, &mine).await.0, 404);
    assert_eq!(read(&app, &again).await.0, 200);
    app.get("/api/v1/calendar/not-a-calendar.ics", None)
        .await
        .expect(404);
    app.post("/api/v1/me/calendar", None, json!({}))
        .await
        .expect(401);
}

/// In the app: "Your details" makes the address and offers it to the phone's calendar.
#[tokio::test]
async fn a_member_puts_her_visits_in_her_phones_calendar() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let member = app.member().await;
    let Some(browser) = crate::browser::Browser::start_phone(&app.address).await else {
        return;
    };
    let email = member.email.clone();
    let address = app.address.clone();
    let found = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let kept = found.clone();
    browser
        .run("app-calendar", |c, base| async move {
            use crate::browser::{assert_accessible, button, keep_screenshot, wait_for};
            crate::app::sign_in(&c, &base, &email).await;
            c.goto(&format!("{base}/app/#/details")).await.unwrap();
            button(&c, "Put my visits in my phone's calendar")
                .await
                .click()
                .await
                .unwrap();
            let link = wait_for(&c, "#calendar-link").await;
            let href = link.attr("href").await.unwrap().unwrap();
            *kept.lock().unwrap() = href;
            c.execute(
                "document.getElementById('calendar-link').scrollIntoView({block: 'center'});",
                vec![],
            )
            .await
            .unwrap();
            keep_screenshot(&c, "app-calendar-phone").await;
            assert_accessible(&c, "your details, with the calendar's address").await;
        })
        .await;
    // The address is at the Circle's public address, for the phone's calendar app.
    let href = found.lock().unwrap().clone();
    let public = app.settings.server.public_url.clone();
    let host = public.split_once("://").unwrap().1.trim_end_matches('/');
    assert!(
        href.starts_with(&format!("webcal://{host}/api/v1/calendar/")),
        "{href}"
    );
    let path = href.split_once(host).unwrap().1.to_string();
    let r = app
        .client
        .get(format!("{address}{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().starts_with("BEGIN:VCALENDAR"));
}
