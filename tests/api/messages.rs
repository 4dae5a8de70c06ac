//! Snapshots of every email's text, so that a change to what people read is always seen.

use chrono::{DateTime, NaiveDate, Utc};
use neighbourly::notify::messages::{self, JobSummary};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn links() -> messages::OfferLinks {
    messages::OfferLinks {
        accept: "https://circle.example.org/app/a/ACCEPT".into(),
        decline: "https://circle.example.org/app/a/DECLINE".into(),
        in_app: "https://circle.example.org/app/#/offers/o1".into(),
    }
}

fn job() -> JobSummary<'static> {
    JobSummary {
        category: neighbourly::domain::Category::Gardening,
        description: "Trim the front hedge & sweep up",
        window_start: at("2026-12-02T10:00:00Z"),
        window_end: at("2026-12-02T14:00:00Z"),
        duration_minutes: 90,
        tz: chrono_tz::Europe::London,
    }
}

#[test]
fn offer() {
    let m = messages::offer(
        "hal@example.org",
        "Hal",
        &job(),
        Some("SE15"),
        1.2,
        at("2026-12-01T12:00:00Z"),
        &links(),
    );
    assert_eq!(m.recipient, "hal@example.org");
    // Words, not codes or coordinates.
    assert!(
        m.text_body.contains("in SE15, about 1.2 km from you"),
        "{}",
        m.text_body
    );
    assert!(!m.text_body.contains("51."), "{}", m.text_body);
    insta::assert_snapshot!("offer_subject", m.subject);
    insta::assert_snapshot!("offer_text", m.text_body);
    insta::assert_snapshot!("offer_html", m.html_body);
}

#[test]
fn job_details() {
    let m = messages::job_details(
        "hal@example.org",
        "Hal",
        &job(),
        at("2026-12-02T10:30:00Z"),
        "Ada Lovelace",
        Some("020 7946 0001"),
        "12 Choumert Road, London SE15",
        "https://circle.example.org/app/#/visits/r1",
    );
    insta::assert_snapshot!("job_details_subject", m.subject);
    insta::assert_snapshot!("job_details_text", m.text_body);
}

#[test]
fn helper_coming() {
    let m = messages::helper_coming(
        "ada@example.org",
        "Ada Lovelace",
        &job(),
        at("2026-12-02T10:30:00Z"),
        "Hal Helper",
        "https://circle.example.org/app/#/requests/r1",
    );
    insta::assert_snapshot!("helper_coming_subject", m.subject);
    insta::assert_snapshot!("helper_coming_text", m.text_body);
}

#[test]
fn visit_reminder() {
    let m = messages::visit_reminder(
        "ada@example.org",
        "Ada Lovelace",
        &job(),
        at("2026-12-02T10:30:00Z"),
        "Hal Helper",
        "https://circle.example.org/app/#/requests/r1",
    );
    insta::assert_snapshot!("visit_reminder_subject", m.subject);
    insta::assert_snapshot!("visit_reminder_text", m.text_body);
    let push = m.push.expect("a push goes with it");
    assert_eq!(push.title, "Hal is coming");
    assert!(!m.text_body.contains("Choumert"), "never the address");
}

#[test]
fn cancellation() {
    let m = messages::cancellation("hal@example.org", "Hal", &job(), Some("Feeling poorly"));
    insta::assert_snapshot!("cancellation_subject", m.subject);
    insta::assert_snapshot!("cancellation_text", m.text_body);
}

#[test]
fn vetting() {
    let d = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
    let a = messages::vetting_approved("hal@example.org", "Hal", d);
    insta::assert_snapshot!("vetting_approved_text", a.text_body);
    let e = messages::vetting_expiring("hal@example.org", "Hal", d);
    assert_eq!(
        e.dedup_key.as_deref(),
        Some("vetting-expiring:hal@example.org:2027-01-31")
    );
    insta::assert_snapshot!("vetting_expiring_subject", e.subject);
    insta::assert_snapshot!("vetting_expiring_text", e.text_body);
}

#[test]
fn html_is_escaped() {
    let j = JobSummary {
        description: "<script>alert(1)</script>",
        ..job()
    };
    let m = messages::offer(
        "hal@example.org",
        "Hal",
        &j,
        None,
        1.0,
        at("2026-12-01T12:00:00Z"),
        &links(),
    );
    assert!(!m.html_body.contains("<script>"));
    assert!(m.html_body.contains("&lt;script&gt;"));
}

fn coffee_morning() -> messages::EventSummary<'static> {
    messages::EventSummary {
        title: "Coffee morning",
        place: "St Giles church hall, Camberwell",
        starts_at: at("2026-12-03T10:30:00Z"),
        tz: chrono_tz::Europe::London,
        in_app: "https://circle.example.org/app/#/events/e1".into(),
    }
}

#[test]
fn event_place() {
    let m = messages::event_place("ada@example.org", "Ada", &coffee_morning());
    insta::assert_snapshot!("event_place_subject", m.subject);
    insta::assert_snapshot!("event_place_text", m.text_body);
}

#[test]
fn event_reminder() {
    let m = messages::event_reminder(
        "ada@example.org",
        "Ada",
        &coffee_morning(),
        "event-reminder:e:m".into(),
        true,
    );
    assert_eq!(m.dedup_key.as_deref(), Some("event-reminder:e:m"));
    insta::assert_snapshot!("event_reminder_subject", m.subject);
    insta::assert_snapshot!("event_reminder_text", m.text_body);
}

#[test]
fn membership_ending() {
    let m = messages::membership_ending(
        "ada@example.org",
        "Ada",
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        "membership-ending:ms".into(),
    );
    insta::assert_snapshot!("membership_ending_subject", m.subject);
    insta::assert_snapshot!("membership_ending_text", m.text_body);
}

/// Every category reads as words in an offer, never its code; with no postcodes loaded the offer
/// gives the distance alone.
#[test]
fn offers_name_the_help_in_words_for_every_category() {
    for category in neighbourly::domain::Category::ALL {
        let j = JobSummary { category, ..job() };
        let m = messages::offer(
            "hal@example.org",
            "Hal",
            &j,
            None,
            2.0,
            at("2026-12-01T12:00:00Z"),
            &links(),
        );
        for text in [&m.subject, &m.text_body] {
            assert!(!text.contains('_'), "{text}");
            assert!(text.contains(category.in_words()), "{text}");
        }
        assert!(
            m.text_body.contains("Where: about 2.0 km from you."),
            "{}",
            m.text_body
        );
    }
}

#[test]
fn helper_cannot_come() {
    let start = at("2026-12-02T10:30:00Z");
    let asking =
        messages::helper_cannot_come("ada@example.org", "Ada", &job(), start, "Hal Helper", true);
    insta::assert_snapshot!("helper_cannot_come_subject", asking.subject);
    insta::assert_snapshot!("helper_cannot_come_text", asking.text_body);
    let too_late =
        messages::helper_cannot_come("ada@example.org", "Ada", &job(), start, "Hal Helper", false);
    assert!(
        too_late.text_body.contains("ring your coordinator"),
        "{}",
        too_late.text_body
    );
    assert!(!too_late.text_body.contains("Helper"), "no surname");
}

#[test]
fn event_cancelled() {
    let m = messages::event_cancelled(
        "ada@example.org",
        "Ada",
        &coffee_morning(),
        "The hall's heating has broken",
    );
    insta::assert_snapshot!("event_cancelled_subject", m.subject);
    insta::assert_snapshot!("event_cancelled_text", m.text_body);
}

#[test]
fn event_changed() {
    let m = messages::event_changed("ada@example.org", "Ada", &coffee_morning());
    insta::assert_snapshot!("event_changed_subject", m.subject);
    insta::assert_snapshot!("event_changed_text", m.text_body);
}

#[test]
fn occurrences_unmade() {
    let days = [
        NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 22).unwrap(),
    ];
    let member = messages::occurrences_unmade(
        "ada@example.org",
        "Ada",
        "a computer or phone",
        &days,
        30,
        90,
    );
    assert!(
        member.text_body.contains(
            "on Tuesday 8 December, Tuesday 15 December and Tuesday 22 December, because"
        ),
        "{}",
        member.text_body
    );
    assert!(member
        .text_body
        .contains("needs 1 hour 30 minutes, and you have 30 minutes"));
    insta::assert_snapshot!("occurrences_unmade_subject", member.subject);
    insta::assert_snapshot!("occurrences_unmade_text", member.text_body);
    let coordinator = messages::occurrences_unmade_for_coordinator(
        "cora@example.org",
        "Ada Lovelace",
        "a computer or phone",
        &days[..1],
        "https://circle.example.org/console/#/account/m1",
    );
    insta::assert_snapshot!("occurrences_unmade_coordinator_text", coordinator.text_body);
}

#[test]
fn offer_links_accept_and_decline_in_one_tap() {
    let m = messages::offer(
        "hal@example.org",
        "Hal",
        &job(),
        Some("SE15"),
        1.2,
        at("2026-12-01T12:00:00Z"),
        &links(),
    );
    assert!(m
        .text_body
        .contains("Yes, I can help: https://circle.example.org/app/a/ACCEPT"));
    assert!(m
        .text_body
        .contains("No, not this time: https://circle.example.org/app/a/DECLINE"));
    assert!(m
        .html_body
        .contains("href=\"https://circle.example.org/app/a/ACCEPT\""));
    assert!(!m.text_body.contains("Open the Neighbourly app"));
}

#[test]
fn confirm_visit() {
    let m = messages::confirm_visit(
        "hal@example.org",
        "Hal",
        &job(),
        at("2026-12-02T10:30:00Z"),
        "https://circle.example.org/app/a/CONFIRM",
        "https://circle.example.org/app/#/visits/r1",
    );
    assert!(m
        .html_body
        .contains("href=\"https://circle.example.org/app/a/CONFIRM\""));
    insta::assert_snapshot!("confirm_visit_text", m.text_body);
}
