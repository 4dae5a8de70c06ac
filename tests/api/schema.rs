//! Both migration sets run up from empty and give the same tables and columns.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::harness::{postgres_database, TestApp};
use neighbourly::db::{self, DbConnection};

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// SQLite's tables, but for `helper_reach_*`: its R*Tree index of helpers' reach and the keys it
/// needs, where PostgreSQL has a GiST index on `helpers` itself.
fn sqlite_columns(path: &str) -> BTreeMap<String, Vec<String>> {
    let mut conn = SqliteConnection::establish(path).unwrap();
    let mut conn_db =
        neighbourly::db::DbConnection::Sqlite(SqliteConnection::establish(path).unwrap());
    neighbourly::db::run_migrations(&mut conn_db).unwrap();
    let rows: Vec<Column> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
         AND m.name NOT LIKE 'sqlite_%' AND m.name != '__diesel_schema_migrations' \
         AND m.name NOT LIKE 'helper_reach_%' ORDER BY 1, 2",
    )
    .load(&mut conn)
    .unwrap();
    group(rows)
}

fn postgres_columns(url: &str) -> BTreeMap<String, Vec<String>> {
    let mut conn_db = neighbourly::db::DbConnection::Pg(PgConnection::establish(url).unwrap());
    neighbourly::db::run_migrations(&mut conn_db).unwrap();
    let mut conn = PgConnection::establish(url).unwrap();
    let rows: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name != '__diesel_schema_migrations' ORDER BY 1, 2",
    )
    .load(&mut conn)
    .unwrap();
    group(rows)
}

fn group(rows: Vec<Column>) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        map.entry(r.table_name).or_default().push(r.column_name);
    }
    map
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.db").display().to_string();
    let lite = tokio::task::spawn_blocking(move || sqlite_columns(&path))
        .await
        .unwrap();
    assert!(
        lite.contains_key("help_requests") && lite.contains_key("users"),
        "{lite:?}"
    );
    let Some(url) = tokio::task::spawn_blocking(postgres_database)
        .await
        .unwrap()
    else {
        return;
    };
    let pg = tokio::task::spawn_blocking(move || postgres_columns(&url))
        .await
        .unwrap();
    assert_eq!(lite, pg);
    // The running service agrees: it starts on both.
    let _ = TestApp::spawn(crate::harness::Backend::Sqlite)
        .await
        .unwrap();
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Withdrawal {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    detail: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    on_behalf_of: Option<String>,
}

/// Migrating an existing database: withdrawals a coordinator made for a helper, once written as
/// "withdrew_late {helper}" in the detail, name the helper in their own column; and back down.
fn split_old_withdrawals(conn: &mut DbConnection) {
    use diesel_migrations::MigrationHarness;
    // Back down to before the migration that moved them (and every later one).
    let revert = |conn: &mut DbConnection| -> Result<(), String> {
        loop {
            let version = match conn {
                DbConnection::Sqlite(c) => c.revert_last_migration(db::SQLITE_MIGRATIONS),
                DbConnection::Pg(c) => c.revert_last_migration(db::POSTGRES_MIGRATIONS),
            }
            .map_err(|e| e.to_string())?;
            if version
                .to_string()
                .replace('-', "")
                .starts_with("20261206000025")
            {
                return Ok(());
            }
        }
    };
    db::run_migrations(conn).unwrap();
    revert(conn).unwrap();
    diesel::sql_query(
        "INSERT INTO audit_log (id, actor_id, action, subject_id, detail, created_at) VALUES \
         ('a1', 'coord', 'visit.withdrawn', 'r1', 'withdrew_late helper-1', '2026-12-01 10:00:00'), \
         ('a2', 'helper-2', 'visit.withdrawn', 'r2', 'withdrew', '2026-12-01 11:00:00')",
    )
    .execute(conn)
    .unwrap();
    db::run_migrations(conn).unwrap();
    let read = |conn: &mut DbConnection| -> Vec<Withdrawal> {
        diesel::sql_query("SELECT detail, on_behalf_of FROM audit_log ORDER BY id")
            .load(conn)
            .unwrap()
    };
    let line = |detail: &str, for_id: Option<&str>| Withdrawal {
        detail: Some(detail.into()),
        on_behalf_of: for_id.map(Into::into),
    };
    assert_eq!(
        read(conn),
        [
            line("withdrew_late", Some("helper-1")),
            line("withdrew", None)
        ]
    );
    revert(conn).unwrap();
    let before: Vec<Withdrawal> = diesel::sql_query(
        "SELECT detail, CAST(NULL AS TEXT) AS on_behalf_of FROM audit_log ORDER BY id",
    )
    .load(conn)
    .unwrap();
    assert_eq!(
        before,
        [line("withdrew_late helper-1", None), line("withdrew", None)]
    );
}

#[tokio::test]
async fn old_withdrawals_for_a_helper_move_to_their_own_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db").display().to_string();
    tokio::task::spawn_blocking(move || {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(&path).unwrap());
        split_old_withdrawals(&mut conn);
        let Some(url) = postgres_database() else {
            return;
        };
        let mut conn = DbConnection::Pg(PgConnection::establish(&url).unwrap());
        split_old_withdrawals(&mut conn);
    })
    .await
    .unwrap();
}
