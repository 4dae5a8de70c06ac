//! The database: one connection type over SQLite and PostgreSQL, a pool, the embedded migrations,
//! and one module per aggregate.

/// `INSERT … ON CONFLICT DO NOTHING` on either backend; gives how many rows went in. Catching a
/// unique violation instead would abort a PostgreSQL transaction.
macro_rules! insert_or_ignore {
    ($conn:expr, $table:expr, $values:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => diesel::insert_into($table)
                .values($values)
                .on_conflict_do_nothing()
                .execute(c),
            $crate::db::DbConnection::Pg(c) => diesel::insert_into($table)
                .values($values)
                .on_conflict_do_nothing()
                .execute(c),
        }
    };
}

/// Insert these rows; gives how many went in. On SQLite one kept statement is run per row: a
/// many-row `INSERT`'s text depends on how many rows it has, so it would be parsed and planned
/// anew each time, which costs more than running a prepared one a few times (SQLite runs in
/// this process: there is no round trip to save). On PostgreSQL one statement for all rows, one
/// round trip.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite(c) => {
                let mut n = 0;
                for row in $rows {
                    n += diesel::insert_into($table).values(row).execute(c)?;
                }
                Ok::<usize, diesel::result::Error>(n)
            }
            $crate::db::DbConnection::Pg(c) => diesel::insert_into($table).values($rows).execute(c),
        }
    };
}

/// Run one statement on the backend's own connection instead of through [`DbConnection`]: the
/// two-backend wrapper writes out a statement's whole SQL text on every call (to ask whether it
/// may be kept, and again to bind its values), even when the connection finds it prepared by
/// its type; the backend's own connection finds it by its type alone. For the statements every
/// request runs (the token check, one request and the people on it). `$body` is written once and
/// compiled for each backend.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($c) => $body,
            $crate::db::DbConnection::Pg($c) => $body,
        }
    };
}

pub mod action_links;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod concerns;
pub mod delegates;
pub mod directory;
pub mod doorstep;
pub mod events;
pub mod feedback;
pub mod follow_ups;
pub mod helper_checks;
pub mod helpers;
pub mod housekeeping;
pub mod idempotency;
pub mod ledger;
pub mod lists;
pub mod login_failures;
pub mod matching;
pub mod members;
pub mod offers;
pub mod outbox;
pub mod password_resets;
pub mod person_notes;
pub mod personal_data;
pub mod photos;
pub mod places;
pub mod push_subscriptions;
pub mod refresh_tokens;
pub mod reports;
pub mod requests;
pub mod schema;
pub mod secrets;
pub mod series;
pub mod sign_in_codes;
#[cfg(test)]
mod sweep_plans;
pub mod texts;
pub mod types;
pub mod users;
pub mod visits;
pub mod writer;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type for both backends; the backend is chosen by the URL.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

impl DbConnection {
    pub fn is_postgres(&self) -> bool {
        matches!(self, DbConnection::Pg(_))
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// Which backend a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(String),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_string()))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// URL needs a file path".into());
            }
            Ok(DbUrl::Sqlite(path.to_string()))
        } else if let Some(path) = url.strip_prefix("sqlite:") {
            Ok(DbUrl::Sqlite(path.to_string()))
        } else {
            Err("database.url must start with sqlite:// or postgres://".into())
        }
    }
}

/// Process-wide SQLite settings, before its first connection opens:
/// - no memory statistics: each allocation would otherwise take one global mutex, which every
///   reader thread contends for;
/// - the multi-thread mode, without a mutex per connection: the pool hands a connection to one
///   thread at a time;
/// - every connection opened from then on has the query planner's stability guarantee (QPSG):
///   plans do not depend on the values bound to a statement. Without it SQLite (3.4x and later)
///   reads the value bound to `LIMIT ?` while planning, and so marks every statement with a
///   `LIMIT` (each `.first()`) to be planned again whenever its values are bound anew: each
///   run of a cached statement was parsed and planned from scratch.
///
/// Once SQLite is initialised the first two are refused, harmlessly.
fn configure_sqlite_library() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config is called before any connection of this process is opened by
        // the pool, with the integer argument each option takes; it returns SQLITE_MISUSE
        // without effect if SQLite was already initialised elsewhere. The auto-extension is a
        // plain function that SQLite calls with each new connection's handle.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0);
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MULTITHREAD);
            libsqlite3_sys::sqlite3_auto_extension(Some(stable_plans));
        }
    });
}

/// Run by SQLite for each connection it opens: turn the planner's stability guarantee on.
unsafe extern "C" fn stable_plans(
    db: *mut libsqlite3_sys::sqlite3,
    _error: *mut *mut std::ffi::c_char,
    _api: *const libsqlite3_sys::sqlite3_api_routines,
) -> std::ffi::c_int {
    // SAFETY: `db` is the connection being opened, valid for this call; ENABLE_QPSG takes an
    // int and an optional int pointer for the new setting.
    unsafe {
        libsqlite3_sys::sqlite3_db_config(
            db,
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    }
}

diesel::define_sql_function! {
    /// Text as searches compare it (`domain::directory::fold_text`): registered on each SQLite
    /// connection; a SQL function of the same name on PostgreSQL (migration 000018).
    fn fold(text: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

/// Opens connections for the pool and prepares each one for use.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DbUrl,
    statement_timeout_ms: u64,
    busy_timeout_ms: u64,
    /// The longest a write waits for the writer's turn.
    write_wait: Duration,
}

impl Manager {
    fn new(url: DbUrl, settings: &ConnectOptions) -> Self {
        Manager {
            url,
            statement_timeout_ms: settings.statement_timeout_ms,
            busy_timeout_ms: settings.sqlite_busy_timeout_ms,
            write_wait: Duration::from_millis(settings.write_wait_ms),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        let mut conn = match &self.url {
            DbUrl::Sqlite(path) => DbConnection::Sqlite({
                configure_sqlite_library();
                SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?
            }),
            DbUrl::Postgres(url) => DbConnection::Pg(
                PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?,
            ),
        };
        if let DbConnection::Sqlite(c) = &mut conn {
            fold_utils::register_impl(c, |text: Option<String>| {
                text.map(|t| crate::domain::directory::fold_text(&t))
            })
            .map_err(r2d2::Error::QueryError)?;
        }
        // SQLite: the savepoint each write runs in (`writer`) copies every page it first changes
        // to a sub-journal; in memory (`temp_store`) that is a copy, not a write to a file.
        let setup = match &conn {
            DbConnection::Sqlite(_) => format!(
                "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                 PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY;",
                self.busy_timeout_ms
            ),
            DbConnection::Pg(_) => format!(
                "SET statement_timeout = {}; SET TIME ZONE 'UTC';",
                self.statement_timeout_ms
            ),
        };
        conn.batch_execute(&setup)
            .map_err(r2d2::Error::QueryError)?;
        Ok(conn)
    }

    /// A PostgreSQL connection is asked `SELECT 1` at checkout, since the server may have gone
    /// away; a SQLite connection is a file handle in this process and is not asked.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        match conn {
            DbConnection::Sqlite(_) => Ok(()),
            DbConnection::Pg(_) => conn
                .batch_execute("SELECT 1")
                .map_err(r2d2::Error::QueryError),
        }
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("{0}")]
    Url(String),
    #[error("could not create the database folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("could not open the database: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("could not check out a connection: {0}")]
    Checkout(String),
    #[error("migrations failed: {0}")]
    Migrations(String),
}

/// How to reach the database and size the pool.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub url: String,
    pub pool_size: u32,
    pub checkout_timeout_ms: u64,
    pub statement_timeout_ms: u64,
    pub sqlite_busy_timeout_ms: u64,
    pub write_wait_ms: u64,
}

/// Build the pool and apply pending migrations.
pub fn connect(settings: &ConnectOptions) -> Result<Pool, DbSetupError> {
    let url = DbUrl::parse(&settings.url).map_err(DbSetupError::Url)?;
    if let DbUrl::Sqlite(path) = &url {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
    }
    let manager = Manager::new(url, settings);
    // One connection first: WAL mode (kept in the file) and migrations, before the pool opens more.
    let mut first = manager
        .connect()
        .map_err(|e| DbSetupError::Checkout(e.to_string()))?;
    if let DbConnection::Sqlite(_) = first {
        first
            .batch_execute("PRAGMA journal_mode = WAL;")
            .map_err(|e| DbSetupError::Checkout(e.to_string()))?;
    }
    run_migrations(&mut first)?;
    drop(first);
    let pool = r2d2::Pool::builder()
        .max_size(settings.pool_size)
        .connection_timeout(Duration::from_millis(settings.checkout_timeout_ms))
        .build(manager)?;
    Ok(pool)
}

/// The connection SQLite's write transactions take turns on; `None` on PostgreSQL, which writes
/// on any pooled connection. Opened at the first write.
pub fn writer(settings: &ConnectOptions) -> Result<Option<writer::Writer>, DbSetupError> {
    let url = DbUrl::parse(&settings.url).map_err(DbSetupError::Url)?;
    Ok(writer::Writer::for_database(Manager::new(url, settings)))
}

/// Apply every pending migration for the connection's backend; returns how many ran.
/// On PostgreSQL several processes may start at once: each takes a session advisory lock first,
/// so that one migrates while the others wait and then find nothing left to do, and lifts the
/// statement timeout meanwhile (a long migration, or the wait, is not a stuck query).
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, DbSetupError> {
    let failed = |e: diesel::result::Error| DbSetupError::Migrations(e.to_string());
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Pg(c) => {
            c.batch_execute(&format!(
                "SET statement_timeout = 0; SELECT pg_advisory_lock({MIGRATION_LOCK});"
            ))
            .map_err(failed)?;
            let applied = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len());
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK});"))
                .map_err(failed)?;
            applied
        }
    };
    applied.map_err(|e| DbSetupError::Migrations(e.to_string()))
}

/// The advisory lock PostgreSQL's migrations run under (any fixed number; "NBLY").
const MIGRATION_LOCK: i64 = 0x4E42_4C59;

/// Now, as the UTC wall-clock time every table stores, truncated to microseconds so that both
/// backends give back exactly what was written.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now)
}

/// A fresh id, as every table stores ids ([`crate::domain::ids::fresh`]).
pub fn new_id() -> String {
    crate::domain::ids::fresh()
}

/// True when the error is a unique-constraint violation.
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// One write transaction at a time per process on SQLite (which allows one writer per file
/// anyway): writers queue here in turn rather than in SQLite's busy handler, which sleeps and
/// retries and so gives long, unfair waits under load. Unlike a mutex's guard, the turn may be
/// given back by another thread than took it: a batch of writes ([`writer`]) begins on one
/// request's thread and commits on another's.
pub(crate) mod sqlite_turn {
    use std::sync::{Condvar, Mutex, PoisonError};

    static HELD: Mutex<bool> = Mutex::new(false);
    static FREED: Condvar = Condvar::new();

    /// Wait for the turn and take it.
    pub fn take() {
        let mut held = HELD.lock().unwrap_or_else(PoisonError::into_inner);
        while *held {
            held = FREED.wait(held).unwrap_or_else(PoisonError::into_inner);
        }
        *held = true;
    }

    /// Give the turn back (from whichever thread ends the transaction).
    pub fn give_back() {
        *HELD.lock().unwrap_or_else(PoisonError::into_inner) = false;
        FREED.notify_one();
    }

    /// The turn for as long as the guard lives.
    pub struct Held(());

    impl Held {
        pub fn take() -> Held {
            take();
            Held(())
        }
    }

    impl Drop for Held {
        fn drop(&mut self) {
            give_back();
        }
    }
}

/// Run `f` in a transaction that takes the write lock at once. On SQLite this is
/// `BEGIN IMMEDIATE`, so that read-then-write work waits for the lock (busy_timeout) instead of
/// failing when another writer got in between. `f` must not open a transaction of its own.
pub fn write_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Pg(_) => conn.transaction(f),
        DbConnection::Sqlite(_) => {
            let _turn = sqlite_turn::Held::take();
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(v) => match conn.batch_execute("COMMIT") {
                    Ok(()) => Ok(v),
                    Err(e) => {
                        let _ = conn.batch_execute("ROLLBACK");
                        Err(e.into())
                    }
                },
                Err(e) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

/// Run read-only work on one snapshot of the database. On SQLite that is a deferred transaction:
/// a connection that begins reading after another has committed throws its page cache and memory
/// map away, and each statement outside a transaction begins reading anew, so a use case's reads
/// in one transaction pay for that once instead of once a statement (under a steady stream of
/// writes, a third of the read time was spent so). On PostgreSQL each statement runs on its own,
/// without the two round trips of a transaction. `f` must not write.
pub fn read_tx<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Pg(_) => f(conn),
        DbConnection::Sqlite(_) => conn.transaction(f),
    }
}

/// Run `f` inside the caller's transaction so that, when it fails, what it wrote is undone and
/// the rest of the transaction goes on (an SQL savepoint, on both backends).
pub fn savepoint<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    // PostgreSQL: diesel's own nested transaction, a savepoint it keeps count of.
    if let DbConnection::Pg(_) = conn {
        return conn.transaction(f);
    }
    conn.batch_execute("SAVEPOINT neighbourly_step")?;
    match f(conn) {
        Ok(v) => {
            conn.batch_execute("RELEASE SAVEPOINT neighbourly_step")?;
            Ok(v)
        }
        Err(e) => {
            conn.batch_execute(
                "ROLLBACK TO SAVEPOINT neighbourly_step; RELEASE SAVEPOINT neighbourly_step",
            )?;
            Err(e)
        }
    }
}

/// A round trip to the database.
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}
