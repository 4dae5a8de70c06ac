//! Both migration sets run up from empty and give the same tables and columns.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::{postgres_database, TestApp};

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
    let _ = TestApp::spawn(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
}
