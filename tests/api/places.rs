//! Places from postcodes: the import (the shipped sample, the ONS format with its retired and
//! position-less rows, a bad row, a second import that updates), `GET /places/{postcode}`, and a
//! postcode wherever a place is given; the Circle's area.

use crate::harness::RawDb;
use serde_json::{json, Value};

use crate::harness::{test_settings, Backend, TestApp};
use crate::on_both_backends;
use neighbourly::service::{places, Requester};

on_both_backends!(
    the_sample_imports_and_postcodes_are_found_however_typed,
    the_ons_directory_skips_retired_and_unplaced_rows_and_reports_bad_ones,
    people_and_events_are_placed_by_postcode,
    offers_name_the_area_and_never_a_coordinate,
);

/// An offer names its area by postcode district, and its email too; before any postcodes are
/// loaded it has no name, and the email gives the distance alone.
async fn offers_name_the_area_and_never_a_coordinate(app: TestApp) {
    let coord = app.coordinator().await;
    let helper = app.helper_at(&coord, 51.4690, -0.0715).await;
    let member = app.member().await;
    let before = app.request(&member).await;
    import_sample(&app).await;
    let after = app.request(&member).await;
    let inbox = app
        .get("/api/v1/offers?status=open", Some(&helper.token))
        .await
        .expect(200);
    let offer_for = |id: &Value| {
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["request_id"] == *id)
            .cloned()
            .expect("offered")
    };
    assert!(offer_for(&before["id"])["area_name"].is_null());
    assert_eq!(offer_for(&after["id"])["area_name"], "SE15");
    let bodies = app
        .state
        .db(|c| {
            use diesel::prelude::*;
            use neighbourly::db::schema::outbox;
            Ok(outbox::table
                .filter(outbox::kind.eq("offer"))
                .select(outbox::text_body)
                .load::<String>(c)?)
        })
        .await
        .unwrap();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies.iter().any(|b| b.contains("Where: in SE15, about")),
        "{bodies:?}"
    );
    assert!(
        bodies.iter().any(|b| b.contains("Where: about")),
        "{bodies:?}"
    );
    for b in &bodies {
        assert!(!b.contains("51.4") && !b.contains("-0.0"), "{b}");
        assert!(b.contains("help with the garden"), "{b}");
    }
}

const SAMPLE: &str = "docs/examples/postcodes-peckham-camberwell.csv";

async fn import_text(app: &TestApp, text: &'static str) -> places::ImportReport {
    app.state
        .run(move |svc| places::import(svc, Requester::CommandLine, text.as_bytes(), |_| {}))
        .await
        .unwrap()
}

pub(crate) async fn import_sample(app: &TestApp) -> places::ImportReport {
    app.state
        .run(|svc| {
            let file = std::fs::File::open(SAMPLE).expect("the sample file");
            places::import(svc, Requester::CommandLine, file, |_| {})
        })
        .await
        .unwrap()
}

async fn the_sample_imports_and_postcodes_are_found_however_typed(app: TestApp) {
    let report = import_sample(&app).await;
    assert!(report.imported > 300, "{report:?}");
    assert_eq!((report.bad, report.retired), (0, 0));
    for typed in ["SE15 4QF", "se154qf", "%20SE15%20%204QF%20"] {
        let place = app
            .get(&format!("/api/v1/places/{typed}"), None)
            .await
            .expect(200);
        assert_eq!(place["postcode"], "SE15 4QF", "{typed}");
        assert_eq!(place["district"], "SE15");
        assert!((place["location"]["lat"].as_f64().unwrap() - 51.4686).abs() < 1e-6);
    }
    for unknown in ["ZZ99 9ZZ", "not-a-postcode", "SE15"] {
        let r = app.get(&format!("/api/v1/places/{unknown}"), None).await;
        assert_eq!(r.status, 404, "{unknown}: {}", r.body);
    }
    // Importing again updates: a moved position replaces the old one.
    let again = import_text(&app, "postcode,lat,lon\nse15 4qf,51.4700,-0.0700\n").await;
    assert_eq!(again.imported, 1);
    let place = app.get("/api/v1/places/SE154QF", None).await.expect(200);
    assert_eq!(place["location"], json!({"lat": 51.47, "lon": -0.07}));
}

async fn the_ons_directory_skips_retired_and_unplaced_rows_and_reports_bad_ones(app: TestApp) {
    let report = import_text(
        &app,
        "pcd,pcd2,pcds,dointr,doterm,oscty,lat,long\n\
         \"SE154QF\",\"SE15 4QF\",\"SE15 4QF\",\"198001\",\"\",\"E99999999\",51.468600,-0.071200\n\
         \"SE5 8RS\",\"SE5  8RS\",\"SE5 8RS\",\"198001\",\"\",\"E99999999\",51.474000,-0.093000\n\
         \"SE1 1ZZ\",\"SE1  1ZZ\",\"SE1 1ZZ\",\"198001\",\"200012\",\"E99999999\",51.500000,-0.090000\n\
         \"SE1 2ZZ\",\"SE1  2ZZ\",\"SE1 2ZZ\",\"198001\",\"\",\"E99999999\",99.999999,0.000000\n\
         \"BADCODE\",\"BADCODE\",\"BADCODE\",\"198001\",\"\",\"E99999999\",51.5,-0.1\n",
    )
    .await;
    assert_eq!(report.imported, 2, "{report:?}");
    assert_eq!(report.retired, 1);
    assert_eq!(report.without_position, 1);
    assert_eq!(report.bad, 1);
    assert_eq!(report.bad_lines[0].0, 6, "the bad row's line: {report:?}");
    app.get("/api/v1/places/SE5 8RS", None).await.expect(200);
    let retired = app.get("/api/v1/places/SE1 1ZZ", None).await;
    assert_eq!(retired.status, 404);
    // A file of neither format is refused as a whole, saying which columns it needs.
    let refused = app
        .state
        .run(|svc| places::import(svc, Requester::CommandLine, "a,b\n1,2\n".as_bytes(), |_| {}))
        .await;
    assert!(format!("{refused:?}").contains("pcds"), "{refused:?}");
}

fn signup(email: &str) -> Value {
    let mut body = TestApp::member_body(email);
    body.as_object_mut().unwrap().remove("location");
    body["postcode"] = json!("se15 4qf");
    body
}

async fn people_and_events_are_placed_by_postcode(app: TestApp) {
    import_sample(&app).await;
    let coord = app.coordinator().await;
    // A member signs up by postcode: their home is the postcode's place.
    let email = format!("pc-{}@example.org", uuid::Uuid::new_v4());
    let m = app
        .post("/api/v1/members", None, signup(&email))
        .await
        .expect(201);
    assert_eq!(m["location"], json!({"lat": 51.4686, "lon": -0.0712}));
    // Unknown, malformed, or no place at all: 422 on postcode, saying what to do.
    for (postcode, words) in [
        (json!("ZZ99 9ZZ"), "not a postcode we know"),
        (json!("51.4686, -0.0712"), "is not a UK postcode"),
        (Value::Null, "give a postcode"),
    ] {
        let mut body = signup(&format!("pc-{}@example.org", uuid::Uuid::new_v4()));
        body["postcode"] = postcode.clone();
        let r = app.post("/api/v1/members", None, body).await;
        assert_eq!(r.status, 422, "{postcode}: {}", r.body);
        assert_eq!(r.fields(), ["postcode"], "{}", r.body);
        assert!(r.body.to_string().contains(words), "{}", r.body);
    }
    // A location given wins over the postcode.
    let mut both = signup(&format!("pc-{}@example.org", uuid::Uuid::new_v4()));
    both["location"] = json!({"lat": 51.4740, "lon": -0.0930});
    let m2 = app.post("/api/v1/members", None, both).await.expect(201);
    assert_eq!(m2["location"], json!({"lat": 51.474, "lon": -0.093}));
    // ... but a postcode sent must still be one.
    let mut bad = signup(&format!("pc-{}@example.org", uuid::Uuid::new_v4()));
    bad["location"] = json!({"lat": 51.4740, "lon": -0.0930});
    bad["postcode"] = json!("");
    let r = app.post("/api/v1/members", None, bad).await;
    assert_eq!(r.fields(), ["postcode"], "{}", r.body);
    // A member moves, by postcode.
    let moved = app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/members/{}", m["id"].as_str().unwrap()),
            Some(&coord.token),
            Some(json!({"postcode": "SE5 8RS", "address": "3 New Street, Camberwell"})),
        )
        .await
        .expect(200);
    assert_eq!(moved["location"], json!({"lat": 51.474, "lon": -0.093}));
    // A helper applies by postcode, and moves by postcode.
    let mut helper = TestApp::helper_body(&format!("h-{}@example.org", uuid::Uuid::new_v4()));
    helper.as_object_mut().unwrap().remove("home");
    helper["postcode"] = json!("SE15 4QF");
    let h = app.post("/api/v1/helpers", None, helper).await.expect(201);
    assert_eq!(h["home"], json!({"lat": 51.4686, "lon": -0.0712}));
    let r = app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/helpers/{}", h["id"].as_str().unwrap()),
            Some(&coord.token),
            Some(json!({"postcode": "nowhere"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.fields(), ["postcode"]);
    // An event by postcode.
    let starts = chrono::Utc::now() + chrono::Duration::days(10);
    let event = app
        .post(
            "/api/v1/events",
            Some(&coord.token),
            json!({
                "title": "Coffee morning",
                "description": "Tea and cake",
                "place": "St Giles church hall, Camberwell",
                "postcode": "SE5 8RS",
                "starts_at": starts.to_rfc3339(),
                "ends_at": (starts + chrono::Duration::hours(2)).to_rfc3339(),
                "capacity": 20,
            }),
        )
        .await
        .expect(201);
    assert_eq!(event["location"], json!({"lat": 51.474, "lon": -0.093}));
}

/// With the Circle's area set, a place outside it is refused, a swapped latitude and longitude
/// said to be swapped; inside, all is as before.
#[tokio::test]
async fn places_outside_the_circle_are_refused() {
    let mut settings = test_settings();
    settings.circle.centre = Some(neighbourly::domain::Location {
        lat: 51.4700,
        lon: -0.0800,
    });
    settings.circle.radius_km = Some(8.0);
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let mut swapped = TestApp::member_body("swapped@example.org");
    swapped["location"] = json!({"lat": -0.0712, "lon": 51.4686});
    let r = app.post("/api/v1/members", None, swapped).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.fields(), ["location"]);
    assert!(r.body.to_string().contains("look swapped"), "{}", r.body);
    let member = app.member().await;
    let mut far = TestApp::request_body("gardening");
    far["location"] = json!({"lat": 53.4808, "lon": -2.2426});
    let r = app.post("/api/v1/requests", Some(&member.token), far).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.to_string().contains("outside its area of 8 km"),
        "{}",
        r.body
    );
    app.request(&member).await;
}

/// The demo runs on the development settings: they set the Circle's area, and every home in the
/// demo's sample of postcodes lies within it.
#[test]
fn the_demo_circle_holds_every_sample_postcode() {
    let demo = neighbourly::config::Settings::load_from(
        std::path::Path::new("config"),
        neighbourly::config::Environment::Development,
    )
    .expect("the development settings load");
    let area = demo.circle.area().expect("the demo sets the Circle's area");
    let sample = std::fs::read_to_string("docs/examples/postcodes-peckham-camberwell.csv").unwrap();
    let mut seen = 0;
    for line in sample.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let at = neighbourly::domain::Location {
            lat: cells[1].parse().unwrap(),
            lon: cells[2].parse().unwrap(),
        };
        assert!(area.check(at).is_ok(), "{line} is outside the demo Circle");
        seen += 1;
    }
    assert!(seen > 300, "{seen} postcodes read");
}
