//! SQLite's single writer: one connection kept for write transactions, so that its page cache
//! stays valid from one write to the next, and a background checkpoint that keeps the copying of
//! the write-ahead log into the database file (and its fsync) out of the writer's turn.
//!
//! A SQLite connection that starts a transaction and finds that another connection has committed
//! since its own last one throws away its whole page cache and unmaps its memory map of the
//! file. With writes spread over the pool's connections, every write transaction began that way:
//! the munmap and the page faults that followed were a quarter of a request's time, all of it
//! inside the one writer's turn. Writes made on this one connection find, each time, that only
//! they have written, and keep their cache. PostgreSQL writes on any pooled connection.
//!
//! SQLite checkpoints the log itself, in the commit that takes it past 1,000 pages; here that
//! commit was the writer's and held every other writer back while it copied and synced. The
//! writer's connection has automatic checkpoints off; every [`CHECKPOINT_EVERY`] writes it wakes
//! a thread that copies the log on a connection of its own, beside the writes, and then copies
//! the little written meanwhile in the writer's turn. The log starts again from its beginning
//! only when a write finds it copied in full, so that second step is what keeps it small.
//!
//! Writes that wait for the turn commit together (group commit). A write runs in a savepoint of
//! the writer's open transaction; if others are waiting it hands the turn on with the
//! transaction still open and waits for the batch's commit before it answers; the last write of
//! the batch (nobody waiting, [`BATCH_MOST`] reached, or its own work failed) commits for all.
//! A write whose work fails is rolled back to its savepoint alone, and the others go on. The
//! `BEGIN` and the `COMMIT` (with the log pages it writes) are paid once a batch instead of once
//! a write; nothing is answered before it is committed, so an acknowledged write survives the
//! process being killed. If the commit itself fails, every write of the batch is told so.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};

use super::{DbConnection, DbUrl, Manager};

/// Writes between two checkpoints: a few thousand pages of log, a few MiB.
const CHECKPOINT_EVERY: u32 = 200;

/// The size, in bytes, the log file is cut back to when it starts over.
const LOG_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

/// The most writes one transaction holds, however many are waiting.
pub const BATCH_MOST: usize = 32;

/// How long a write whose work is done waits for its batch's commit before it gives up (the
/// commit is a few milliseconds; this only bounds a failure nobody foresaw).
const SETTLE_WAIT: Duration = Duration::from_secs(60);

/// How many failed batches are remembered (with why) for the writes still waiting on them.
const KEEP_FAILURES: usize = 64;

/// The connection write transactions take turns on (SQLite only).
pub struct Writer {
    manager: Manager,
    /// Opened at the first write; dropped (and opened again) after a panic inside a write.
    /// The checkpoint thread takes the lock too, for the last part of its copy.
    conn: Arc<Mutex<Option<DbConnection>>>,
    /// Who holds the turn, who waits for it, and the batch in progress.
    turn: Mutex<Turn>,
    /// The turn was given back.
    freed: Condvar,
    /// A batch was committed (or failed to be).
    settled: Condvar,
    /// Writes since the checkpoint thread was last woken.
    writes: AtomicU32,
    /// Wakes the checkpoint thread, started at the first checkpoint; the thread ends when the
    /// writer is dropped.
    checkpoints: OnceLock<SyncSender<()>>,
}

/// The state of the writer's turn.
#[derive(Default)]
struct Turn {
    /// Whether a write holds the turn; a write waits at most the manager's `write_wait` for it.
    busy: bool,
    /// Writes waiting for the turn.
    waiting: usize,
    /// The batch whose transaction is open: its number and how many writes it holds so far.
    open: Option<(u64, usize)>,
    /// Batches are numbered in order; every one up to this has been committed or has failed.
    settled_upto: u64,
    /// The latest batches whose commit failed, with why.
    failed: VecDeque<(u64, String)>,
}

impl Writer {
    /// The writer for this database, or `None` when the backend takes writes on any connection.
    pub(super) fn for_database(manager: Manager) -> Option<Writer> {
        match manager.url {
            DbUrl::Sqlite(_) => Some(Writer {
                manager,
                conn: Arc::new(Mutex::new(None)),
                turn: Mutex::new(Turn::default()),
                freed: Condvar::new(),
                settled: Condvar::new(),
                writes: AtomicU32::new(0),
                checkpoints: OnceLock::new(),
            }),
            DbUrl::Postgres(_) => None,
        }
    }

    /// Run `f` as one write: wait for the writer's turn (at most the `database.write_wait_ms`
    /// setting: then [`WriteWait::TimedOut`]), run `f` in a savepoint of the batch's
    /// transaction, and answer once the batch has committed. What `f` wrote is undone if it
    /// fails; its error is its answer.
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<Result<T, E>, WriteWait>
    where
        E: From<diesel::result::Error>,
    {
        let mut turn = self.wait_for_turn()?;
        let mut slot = self.connection();
        let conn = match slot.as_mut() {
            Some(conn) => conn,
            None => slot.insert(self.open()?),
        };
        let (batch, first) = match turn.batch {
            Some(batch) => (batch, false),
            None => {
                super::sqlite_turn::take();
                if let Err(e) = conn.batch_execute("BEGIN IMMEDIATE") {
                    super::sqlite_turn::give_back();
                    return Ok(Err(e.into()));
                }
                (turn.begin(), true)
            }
        };
        // The batch's first write needs no savepoint: if it fails, nothing else is in the
        // transaction yet, and it is rolled back. A later one is undone alone if it fails.
        let out = match first {
            true => f(conn),
            false => super::savepoint(conn, f),
        };
        self.count_write();
        if out.is_ok() && turn.others_waiting() {
            drop(slot);
            turn.hand_on();
            return Ok(match self.wait_for_commit(batch) {
                Ok(()) => out,
                Err(why) => Err(commit_failed(why).into()),
            });
        }
        let ended = match (first, &out) {
            (true, Err(_)) => conn.batch_execute("ROLLBACK").inspect_err(|_| *slot = None),
            _ => commit(conn),
        };
        drop(slot);
        turn.settle(ended.as_ref().err().map(ToString::to_string));
        Ok(match (out, ended) {
            (Ok(v), Ok(())) => Ok(v),
            (Ok(_), Err(e)) => Err(e.into()),
            (Err(e), _) => Err(e),
        })
    }

    /// Wake the checkpoint thread every [`CHECKPOINT_EVERY`] writes.
    fn count_write(&self) {
        if self.writes.fetch_add(1, Ordering::Relaxed) + 1 >= CHECKPOINT_EVERY {
            self.writes.store(0, Ordering::Relaxed);
            // A full channel means a checkpoint is already due: nothing to add.
            let _ = self.checkpointer().try_send(());
        }
    }

    /// Take the turn, waiting at most `write_wait`; it is given back when the guard drops.
    fn wait_for_turn(&self) -> Result<TurnGuard<'_>, WriteWait> {
        let deadline = Instant::now() + self.manager.write_wait;
        let mut turn = self.turn.lock().unwrap_or_else(PoisonError::into_inner);
        turn.waiting += 1;
        while turn.busy {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                turn.waiting -= 1;
                return Err(WriteWait::TimedOut);
            }
            turn = self
                .freed
                .wait_timeout(turn, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        turn.waiting -= 1;
        turn.busy = true;
        let batch = turn.open.map(|(batch, _)| batch);
        Ok(TurnGuard {
            writer: self,
            batch,
            done: false,
        })
    }

    /// Wait until `batch` is committed: `Err` with why if its commit failed.
    fn wait_for_commit(&self, batch: u64) -> Result<(), String> {
        let deadline = Instant::now() + SETTLE_WAIT;
        let mut turn = self.turn.lock().unwrap_or_else(PoisonError::into_inner);
        while turn.settled_upto < batch {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err("the write's batch was not committed in time".into());
            }
            turn = self
                .settled
                .wait_timeout(turn, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        match turn.failed.iter().find(|(b, _)| *b == batch) {
            Some((_, why)) => Err(why.clone()),
            None => Ok(()),
        }
    }

    /// The writer's connection: as the pool's, without automatic checkpoints, and cutting the log
    /// file back to [`LOG_SIZE_LIMIT`] when a write starts it over (a burst of writes, or a reader
    /// holding an old snapshot, may have grown it).
    fn open(&self) -> Result<DbConnection, r2d2::Error> {
        let mut conn = self.manager.connect()?;
        conn.batch_execute(&format!(
            "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {LOG_SIZE_LIMIT};"
        ))
        .map_err(r2d2::Error::QueryError)?;
        Ok(conn)
    }

    /// The connection's lock. A write that panicked left its transaction open: the connection
    /// is closed (which rolls the transaction back) and the next write opens another.
    fn connection(&self) -> MutexGuard<'_, Option<DbConnection>> {
        self.conn.lock().unwrap_or_else(|poisoned| {
            let mut slot = poisoned.into_inner();
            *slot = None;
            self.conn.clear_poison();
            slot
        })
    }

    fn checkpointer(&self) -> &SyncSender<()> {
        self.checkpoints.get_or_init(|| {
            let (wake, woken) = sync_channel(1);
            let manager = self.manager.clone();
            let turn = Arc::clone(&self.conn);
            let started = std::thread::Builder::new()
                .name("sqlite-checkpoint".into())
                .spawn(move || checkpoint_when_woken(&manager, &turn, &woken));
            if let Err(e) = started {
                // The receiver is gone with the closure: sends fail, and the log is
                // checkpointed when the last connection closes.
                tracing::warn!(error = %e, "no checkpoint thread");
            }
            wake
        })
    }
}

/// Why a write could not run: its turn did not come in time, or its connection would not open.
#[derive(Debug, thiserror::Error)]
pub enum WriteWait {
    #[error("the write waited longer than database.write_wait_ms for its turn")]
    TimedOut,
    #[error(transparent)]
    Open(#[from] r2d2::Error),
}

/// The writer's turn, held by one write: it begins a batch, hands the turn on with the batch
/// still open, or settles it. Dropped any other way (an error before the write ran, or a panic
/// inside it) it gives the turn back; after a panic the open batch is rolled back and every write
/// in it told so.
struct TurnGuard<'a> {
    writer: &'a Writer,
    /// The batch this write joined or began.
    batch: Option<u64>,
    /// Whether the turn was already handed on or the batch settled.
    done: bool,
}

impl TurnGuard<'_> {
    /// Begin a batch: its number.
    fn begin(&mut self) -> u64 {
        let batch = {
            let mut turn = self.state();
            let batch = turn.settled_upto + 1;
            turn.open = Some((batch, 0));
            batch
        };
        self.batch = Some(batch);
        batch
    }

    /// Count this write in the batch; whether it should leave the commit to a write waiting.
    fn others_waiting(&self) -> bool {
        let mut turn = self.state();
        let Some((_, writes)) = turn.open.as_mut() else {
            return false;
        };
        *writes += 1;
        let writes = *writes;
        turn.waiting > 0 && writes < BATCH_MOST
    }

    /// Give the turn to the next write, the batch still open.
    fn hand_on(mut self) {
        self.done = true;
        self.state().busy = false;
        self.writer.freed.notify_one();
    }

    /// The batch is committed (or, with why, failed): tell its writes, give the turn back.
    fn settle(mut self, failed: Option<String>) {
        self.done = true;
        super::sqlite_turn::give_back();
        let mut turn = self.state();
        finish(&mut turn, failed);
        drop(turn);
        self.writer.settled.notify_all();
        self.writer.freed.notify_one();
    }

    fn state(&self) -> MutexGuard<'_, Turn> {
        self.writer
            .turn
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut turn = self.state();
        if std::thread::panicking() && turn.open.is_some() {
            // Closing the connection rolls the batch back.
            *self.writer.connection() = None;
            super::sqlite_turn::give_back();
            finish(&mut turn, Some("another write in its batch failed".into()));
            self.writer.settled.notify_all();
        }
        turn.busy = false;
        drop(turn);
        self.writer.freed.notify_one();
    }
}

/// Close the open batch: settled, and failed with why if it was.
fn finish(turn: &mut Turn, failed: Option<String>) {
    if let Some((batch, _)) = turn.open.take() {
        turn.settled_upto = batch;
        if let Some(why) = failed {
            turn.failed.push_back((batch, why));
            if turn.failed.len() > KEEP_FAILURES {
                turn.failed.pop_front();
            }
        }
    }
    turn.busy = false;
}

/// Commit the batch; if that fails, roll it back so that the connection is ready for the next.
fn commit(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    conn.batch_execute("COMMIT").inspect_err(|_| {
        let _ = conn.batch_execute("ROLLBACK");
    })
}

/// The error a write is answered with when its batch's commit failed.
fn commit_failed(why: String) -> diesel::result::Error {
    diesel::result::Error::DatabaseError(
        diesel::result::DatabaseErrorKind::Unknown,
        Box::new(format!("the write was not committed: {why}")),
    )
}

/// The checkpoint thread: each time it is woken, until the writer is dropped, a passive
/// checkpoint (which waits for no one and copies what no reader still needs) beside the writes,
/// then another in the writer's turn for what was written meanwhile.
fn checkpoint_when_woken(
    manager: &Manager,
    turn: &Mutex<Option<DbConnection>>,
    woken: &Receiver<()>,
) {
    let mut conn: Option<DbConnection> = None;
    while woken.recv().is_ok() {
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match manager.connect() {
                Ok(c) => conn.insert(c),
                Err(e) => {
                    tracing::warn!(error = %e, "checkpoint: no connection");
                    continue;
                }
            },
        };
        let copied = c.batch_execute(CHECKPOINT).and_then(|()| {
            let _turn = turn.lock().unwrap_or_else(PoisonError::into_inner);
            c.batch_execute(CHECKPOINT)
        });
        if let Err(e) = copied {
            tracing::warn!(error = %e, "checkpoint failed");
            conn = None;
        }
    }
}

const CHECKPOINT: &str = "PRAGMA wal_checkpoint(PASSIVE)";

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use diesel::prelude::*;

    use super::*;
    use crate::db::ConnectOptions;

    /// A write's outcome as its caller saw it.
    enum Seen {
        Written,
        Refused,
        Panicked,
    }

    fn writer_on(path: &std::path::Path) -> Writer {
        let options = ConnectOptions {
            url: format!("sqlite://{}", path.display()),
            pool_size: 4,
            checkout_timeout_ms: 5_000,
            statement_timeout_ms: 5_000,
            sqlite_busy_timeout_ms: 5_000,
            write_wait_ms: 30_000,
        };
        crate::db::writer(&options).unwrap().unwrap()
    }

    fn stored(path: &std::path::Path) -> HashSet<i64> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = SqliteConnection::establish(&path.display().to_string()).unwrap();
        diesel::sql_query("SELECT n FROM written")
            .load::<Row>(&mut c)
            .unwrap()
            .into_iter()
            .map(|r| r.n)
            .collect()
    }

    /// Sixteen threads write at once, so that writes wait and commit together. A write that
    /// fails leaves nothing and its batch goes on; a write that panics takes its batch down, and
    /// each write in it is told; every write answered as written is in the file, and nothing else.
    #[test]
    fn writes_commit_together_and_each_answer_is_true() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let writer = Arc::new(writer_on(&path));
        writer
            .write(|c| c.batch_execute("CREATE TABLE written (n INTEGER PRIMARY KEY)"))
            .unwrap()
            .unwrap();
        let threads: Vec<_> = (0..16_i64)
            .map(|t| {
                let writer = Arc::clone(&writer);
                std::thread::spawn(move || {
                    (0..200_i64)
                        .map(|i| {
                            let n = t * 1000 + i;
                            let run =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    writer.write(|c| -> diesel::QueryResult<()> {
                                        diesel::sql_query("INSERT INTO written (n) VALUES (?)")
                                            .bind::<diesel::sql_types::BigInt, _>(n)
                                            .execute(c)?;
                                        if n % 7 == 0 {
                                            return Err(diesel::result::Error::RollbackTransaction);
                                        }
                                        if n == 5_150 {
                                            panic!("a write that panics");
                                        }
                                        Ok(())
                                    })
                                }));
                            let seen = match run {
                                Ok(Ok(Ok(()))) => Seen::Written,
                                Ok(Ok(Err(_))) => Seen::Refused,
                                Ok(Err(e)) => panic!("no turn: {e}"),
                                Err(_) => Seen::Panicked,
                            };
                            (n, seen)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let seen: Vec<(i64, Seen)> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        let rows = stored(&path);
        let mut written = 0;
        for (n, how) in &seen {
            match how {
                Seen::Written => {
                    written += 1;
                    assert!(
                        rows.contains(n),
                        "{n} was answered as written but is not there"
                    );
                }
                Seen::Refused | Seen::Panicked => {
                    assert!(!rows.contains(n), "{n} was refused but is there");
                }
            }
        }
        assert_eq!(
            rows.len(),
            written,
            "nothing but what was answered as written"
        );
        // Most writes went in: the failures are the sevens, the panic and its batch.
        assert!(written > 16 * 200 * 6 / 7 - BATCH_MOST, "{written}");
        let turn = writer.turn.lock().unwrap();
        assert!(
            turn.settled_upto < 16 * 200,
            "writes shared commits: {} batches for {} writes",
            turn.settled_upto,
            16 * 200
        );
        assert!(!turn.busy && turn.open.is_none() && turn.waiting == 0);
    }
}
