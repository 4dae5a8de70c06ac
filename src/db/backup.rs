//! Backups of a SQLite database, without the `sqlite3` program: a consistent copy written while
//! the service runs (`VACUUM INTO`, which reads one snapshot, so every write committed before it
//! began is in the copy), and a restore that refuses to replace a database in use.
//! PostgreSQL is backed up with its own tools (`pg_dump`, `pg_restore`).
//!
//! A copy holds everything, the access tokens' signing key and the Web Push key among it (kept
//! in the database when none is configured), so it is written readable by its owner alone
//! (mode 0600); docs/operations.md says what to rotate when one leaks.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::SqliteConnection;

use super::DbUrl;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Database(String),
    #[error("{0}")]
    File(#[from] std::io::Error),
}

fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    match DbUrl::parse(url).map_err(BackupError::Refused)? {
        DbUrl::Sqlite(path) => Ok(PathBuf::from(path)),
        DbUrl::Postgres(_) => Err(BackupError::Refused(
            "this database is PostgreSQL: back it up with pg_dump (pg_dump -Fc -f FILE DATABASE_URL) and restore it with pg_restore".into(),
        )),
    }
}

fn open(path: &Path) -> Result<SqliteConnection, BackupError> {
    let mut c = SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|e| BackupError::Database(e.to_string()))?;
    c.batch_execute("PRAGMA busy_timeout = 5000;")
        .map_err(|e| BackupError::Database(e.to_string()))?;
    Ok(c)
}

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Write a consistent copy of the database at `url` to `dest`, which must not exist yet.
pub fn backup(url: &str, dest: &Path) -> Result<(), BackupError> {
    let source = sqlite_path(url)?;
    if !source.exists() {
        return Err(BackupError::Refused(format!(
            "there is no database at {}",
            source.display()
        )));
    }
    if dest.exists() {
        return Err(BackupError::Refused(format!(
            "{} already exists: choose a new file name",
            dest.display()
        )));
    }
    // Made empty and private first: `VACUUM INTO` writes into an empty file, keeping its mode.
    private_empty_file(dest)?;
    let mut c = open(&source)?;
    let quoted = dest.to_string_lossy().replace('\'', "''");
    if let Err(e) = c.batch_execute(&format!("VACUUM INTO '{quoted}'")) {
        let _ = std::fs::remove_file(dest);
        return Err(BackupError::Database(format!("the copy failed: {e}")));
    }
    check(dest)
}

/// Create `path` empty, readable and writable by its owner only; refused when it exists.
fn private_empty_file(path: &Path) -> Result<(), BackupError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    Ok(())
}

/// Is `file` a whole Neighbourly database?
fn check(file: &Path) -> Result<(), BackupError> {
    let mut c = open(file)?;
    let bad = |why: String| BackupError::Refused(format!("{} {why}", file.display()));
    let lines: Vec<Line> =
        diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check()")
            .load(&mut c)
            .map_err(|e| bad(format!("is not a database: {e}")))?;
    if lines.len() != 1 || lines[0].line != "ok" {
        return Err(bad("is damaged".into()));
    }
    let migrated: Vec<Line> = diesel::sql_query(
        "SELECT name AS line FROM sqlite_master WHERE name = '__diesel_schema_migrations'",
    )
    .load(&mut c)
    .map_err(|e| bad(format!("is not a database: {e}")))?;
    if migrated.is_empty() {
        return Err(bad("is not a Neighbourly database".into()));
    }
    Ok(())
}

/// Put the copy `file` in place of the database at `url`. Refused while anything has the
/// database open (the service must be stopped first), and when `file` is not a whole copy.
pub fn restore(url: &str, file: &Path) -> Result<(), BackupError> {
    let target = sqlite_path(url)?;
    check(file)?;
    // Held until the copy is in place: nobody may open a transaction meanwhile.
    let mut _held = None;
    if target.exists() && open_in_another_process(&target) {
        return Err(in_use(&target));
    }
    if target.exists() {
        // Leaving write-ahead logging needs the database to itself: it fails while any other
        // connection, in any process, has it open.
        let mut c = open(&target)?;
        c.batch_execute("PRAGMA busy_timeout = 0;")
            .map_err(|e| BackupError::Database(e.to_string()))?;
        let mode: Vec<JournalMode> = diesel::sql_query("PRAGMA journal_mode = DELETE")
            .load(&mut c)
            .map_err(|_| in_use(&target))?;
        if mode.first().map(|m| m.journal_mode.as_str()) != Some("delete") {
            return Err(in_use(&target));
        }
        // A database already in rollback-journal mode switches without a word while others
        // read it: an exclusive lock is refused while anyone holds a transaction, reading or
        // writing, and keeps them out until the copy is in place.
        c.batch_execute("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
            .map_err(|_| in_use(&target))?;
        _held = Some(c);
    }
    let staged = target.with_extension("restoring");
    let _ = std::fs::remove_file(&staged);
    private_empty_file(&staged)?;
    std::io::copy(
        &mut std::fs::File::open(file)?,
        &mut std::fs::OpenOptions::new().write(true).open(&staged)?,
    )?;
    std::fs::File::open(&staged)?.sync_all()?;
    for stale in ["-wal", "-shm", "-journal"] {
        let mut p = target.clone().into_os_string();
        p.push(stale);
        let _ = std::fs::remove_file(p);
    }
    std::fs::rename(&staged, &target)?;
    Ok(())
}

/// Whether another process has the file open (read from `/proc` where there is one): a
/// connection idle in rollback-journal mode holds no lock that SQLite could see.
fn open_in_another_process(target: &Path) -> bool {
    let Ok(target) = target.canonicalize() else {
        return false;
    };
    let me = std::process::id().to_string();
    let Ok(processes) = std::fs::read_dir("/proc") else {
        return false;
    };
    processes
        .flatten()
        .filter(|p| {
            let name = p.file_name();
            let name = name.to_string_lossy();
            name.chars().all(|c| c.is_ascii_digit()) && name != me
        })
        .filter_map(|p| std::fs::read_dir(p.path().join("fd")).ok())
        .flat_map(|fds| fds.flatten())
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|to| to == target))
}

fn in_use(target: &Path) -> BackupError {
    BackupError::Refused(format!(
        "{} is in use: stop the service (and anything else using it) first",
        target.display()
    ))
}
