//! The weekly report over 1,000,000 requests on SQLite.
//!
//!     cargo bench --bench report
//!
//! The generator fills a fresh SQLite file (about 20 s): 2,000 members, 500 helpers and 1,000,000
//! requests spread over 2026, in every state, with feedback on a third of the completed ones.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use diesel::connection::SimpleConnection;
use neighbourly::config::{Environment, Secret, Settings};
use neighbourly::db::{self, DbConnection};
use neighbourly::reports::IsoWeek;

/// Fill the database in SQL (a recursive CTE), so that making a million rows takes seconds.
pub fn generate(conn: &mut DbConnection, requests: u32) {
    let sql = format!(
        "
        PRAGMA foreign_keys = OFF;
        BEGIN;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
        INSERT INTO users (id, role, name, email, phone, password_hash, created_at)
            SELECT 'm' || i, 'member', 'Member ' || i, 'm' || i || '@example.org', NULL, NULL,
                   datetime('2025-06-01', '+' || (i * 37 % 500) || ' days') FROM n;
        INSERT INTO members (user_id, address, lat, lon, created_by)
            SELECT id, 'Somewhere', 51.28 + (abs(random()) % 4200) / 10000.0, -0.51 + (abs(random()) % 8400) / 10000.0, NULL
            FROM users WHERE role = 'member';
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
        INSERT INTO users (id, role, name, email, phone, password_hash, created_at)
            SELECT 'h' || i, 'helper', 'Helper ' || i, 'h' || i || '@example.org', NULL, NULL,
                   datetime('2025-06-01', '+' || (i * 53 % 500) || ' days') FROM n;
        INSERT INTO helpers (user_id, home_lat, home_lon, max_distance_km, skills, vetting_status,
                vetting_expires_on, vetting_note, vetted_by, vetted_at, availability,
                reach_min_lat, reach_max_lat, reach_min_lon, reach_max_lon)
            SELECT id, 51.5, -0.1, 3.0, ',gardening,diy,', 'approved', date('2026-06-01', '+' || (abs(random()) % 400) || ' days'),
                   NULL, NULL, created_at,
                   '{{\"timezone\":\"Europe/London\",\"weekly\":[{{\"day\":\"mon\",\"start\":\"09:00\",\"end\":\"17:00\"}}],\"time_off\":[]}}',
                   51.4, 51.6, -0.2, 0.0
            FROM users WHERE role = 'helper';
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {requests}),
        base AS (
            SELECT i,
                   datetime('2026-01-01', '+' || (i * 31 % 525600) || ' minutes') AS created,
                   i % 10 AS kind,
                   (i * 7 % 9) AS cat
            FROM n
        )
        INSERT INTO help_requests (id, member_id, created_by, category, description, status,
                window_start, window_end, duration_minutes, lat, lon, helper_id, scheduled_start,
                created_at, assigned_at, completed_at, cancelled_at, cancel_reason, minutes_spent,
                assigned_distance_km)
            SELECT 'r' || i, 'm' || (1 + i % 2000), 'm' || (1 + i % 2000),
                   CASE cat WHEN 0 THEN 'shopping' WHEN 1 THEN 'gardening' WHEN 2 THEN 'diy' WHEN 3 THEN 'cleaning'
                            WHEN 4 THEN 'it_help' WHEN 5 THEN 'companionship' WHEN 6 THEN 'transport'
                            WHEN 7 THEN 'paperwork' ELSE 'other' END,
                   'generated',
                   CASE WHEN kind < 6 THEN 'completed' WHEN kind = 6 THEN 'assigned' WHEN kind = 7 THEN 'cancelled'
                        WHEN kind = 8 THEN 'expired' ELSE 'open' END,
                   datetime(created, '+2 days'), datetime(created, '+2 days', '+4 hours'), 60,
                   51.28 + (i * 13 % 4200) / 10000.0, -0.51 + (i * 17 % 8400) / 10000.0,
                   CASE WHEN kind < 7 THEN 'h' || (1 + i % 500) END,
                   CASE WHEN kind < 7 THEN datetime(created, '+2 days', '+1 hours') END,
                   created,
                   CASE WHEN kind < 7 THEN datetime(created, '+' || (10 + i % 300) || ' minutes') END,
                   CASE WHEN kind < 6 THEN datetime(created, '+2 days', '+2 hours') END,
                   CASE WHEN kind = 7 THEN datetime(created, '+5 hours') END,
                   NULL,
                   CASE WHEN kind < 6 THEN 45 + i % 90 END,
                   CASE WHEN kind < 7 THEN (i % 4000) / 1000.0 END
            FROM base;
        INSERT INTO feedback (request_id, member_id, helper_id, rating, comment, created_at)
            SELECT id, member_id, helper_id, 1 + abs(random()) % 5, NULL, datetime(completed_at, '+1 hours')
            FROM help_requests WHERE status = 'completed' AND abs(random()) % 3 = 0;
        COMMIT;
        ANALYZE;
        "
    );
    conn.batch_execute(&sql).expect("generate the data");
}

fn report_over_a_million_requests(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings =
        Settings::load_from(std::path::Path::new("config"), Environment::Test).unwrap();
    settings.database.url = Secret::new(format!(
        "sqlite://{}",
        dir.path().join("report.db").display()
    ));
    let pool = db::connect(&settings.database.connect_options()).unwrap();
    let mut conn = pool.get().unwrap();
    let started = std::time::Instant::now();
    generate(&mut conn, 1_000_000);
    eprintln!(
        "generated 1,000,000 requests in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut group = c.benchmark_group("weekly_report_sqlite_1m_requests");
    group.sample_size(10);
    // The usual case, last week's report (the data ends a few days after it), and an old week in
    // the middle of the year.
    for week in ["2026-W52", "2026-W27"] {
        let week = IsoWeek::parse(week).unwrap();
        let r = neighbourly::db::reports::weekly(&mut conn, week, chrono_tz::Europe::London, 60)
            .unwrap();
        eprintln!(
            "{week}: {} created, {} completed, {} open at the end",
            r.figures.requests.totals.created,
            r.figures.requests.totals.completed,
            r.figures.requests.totals.open
        );
        group.bench_function(week.to_string(), |b| {
            b.iter(|| {
                black_box(
                    neighbourly::db::reports::weekly(
                        &mut conn,
                        week,
                        chrono_tz::Europe::London,
                        60,
                    )
                    .unwrap(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, report_over_a_million_requests);
criterion_main!(benches);
