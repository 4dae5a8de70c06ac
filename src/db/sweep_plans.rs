//! The daily sweep's reminders are planned on indexes of what falls due: it runs in the writer's
//! turn, and at a million helpers reading every helper (vetting ending) or every account
//! (memberships ending) there held every other write back for the length of the scan.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};
use diesel::connection::{Connection, InstrumentationEvent};
use diesel::prelude::*;

use super::{connect, ConnectOptions};

#[derive(QueryableByName)]
struct Step {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

/// SQLite's plan for `sql`, a line a step.
fn plan(conn: &mut super::DbConnection, sql: &str) -> Vec<String> {
    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
        .load::<Step>(conn)
        .unwrap()
        .into_iter()
        .map(|s| s.detail)
        .collect()
}

#[test]
fn reminders_due_are_found_by_index_not_by_reading_everyone() {
    let dir = tempfile::tempdir().unwrap();
    let pool = connect(&ConnectOptions {
        url: format!("sqlite://{}", dir.path().join("plans.db").display()),
        pool_size: 1,
        checkout_timeout_ms: 5_000,
        statement_timeout_ms: 5_000,
        sqlite_busy_timeout_ms: 5_000,
        write_wait_ms: 5_000,
    })
    .unwrap();
    let mut conn = pool.get().unwrap();
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let into = seen.clone();
    conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            into.lock().unwrap().push(query.to_string());
        }
    });
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    super::helpers::vetting_expiring(&mut conn, today, today + Duration::days(30)).unwrap();
    super::ledger::renewals_due(&mut conn, today, today + Duration::days(30)).unwrap();
    conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
    let statements = seen.lock().unwrap().clone();
    let wanted = [
        ("`vetting_expires_on` >=", "helpers_vetting_expires"),
        ("`ends_on` >=", "memberships_ends"),
    ];
    for (shape, index) in wanted {
        let sql = statements
            .iter()
            .find(|s| s.contains(shape))
            .unwrap_or_else(|| panic!("no statement with {shape} in {statements:?}"));
        let sql = sql.split(" -- binds:").next().unwrap();
        let steps = plan(&mut conn, sql);
        assert!(
            steps.iter().any(|s| s.contains(index)),
            "{sql}\nshould use {index}: {steps:?}"
        );
        assert!(
            steps.iter().all(|s| !s.starts_with("SCAN")),
            "{sql}\nreads a whole table: {steps:?}"
        );
    }
}
