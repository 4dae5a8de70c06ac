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

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Instant;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};

use super::{DbConnection, DbUrl, Manager};

/// Writes between two checkpoints: a few thousand pages of log, a few MiB.
const CHECKPOINT_EVERY: u32 = 200;

/// The size, in bytes, the log file is cut back to when it starts over.
const LOG_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

/// The connection write transactions take turns on (SQLite only).
pub struct Writer {
    manager: Manager,
    /// Opened at the first write; dropped (and opened again) after a panic inside a write.
    /// The checkpoint thread takes the lock too, for the last part of its copy.
    conn: Arc<Mutex<Option<DbConnection>>>,
    /// Whether a write holds the turn; a write waits at most the manager's `write_wait` for it.
    busy: Mutex<bool>,
    freed: Condvar,
    /// Writes since the checkpoint thread was last woken.
    writes: AtomicU32,
    /// Wakes the checkpoint thread, started at the first checkpoint; the thread ends when the
    /// writer is dropped.
    checkpoints: OnceLock<SyncSender<()>>,
}

impl Writer {
    /// The writer for this database, or `None` when the backend takes writes on any connection.
    pub(super) fn for_database(manager: Manager) -> Option<Writer> {
        match manager.url {
            DbUrl::Sqlite(_) => Some(Writer {
                manager,
                conn: Arc::new(Mutex::new(None)),
                busy: Mutex::new(false),
                freed: Condvar::new(),
                writes: AtomicU32::new(0),
                checkpoints: OnceLock::new(),
            }),
            DbUrl::Postgres(_) => None,
        }
    }

    /// Wait for the writer's turn (at most the `database.write_wait_ms` setting: then
    /// [`WriteWait::TimedOut`]), then run `f` on its connection.
    pub fn with<T>(&self, f: impl FnOnce(&mut DbConnection) -> T) -> Result<T, WriteWait> {
        let _turn = self.wait_for_turn()?;
        let out = {
            let mut slot = self.turn();
            let conn = match slot.as_mut() {
                Some(conn) => conn,
                None => slot.insert(self.open()?),
            };
            f(conn)
        };
        if self.writes.fetch_add(1, Ordering::Relaxed) + 1 >= CHECKPOINT_EVERY {
            self.writes.store(0, Ordering::Relaxed);
            // A full channel means a checkpoint is already due: nothing to add.
            let _ = self.checkpointer().try_send(());
        }
        Ok(out)
    }

    /// Take the turn, waiting at most `write_wait`; it is given back when the guard drops.
    fn wait_for_turn(&self) -> Result<TurnGuard<'_>, WriteWait> {
        let deadline = Instant::now() + self.manager.write_wait;
        let mut busy = self.busy.lock().unwrap_or_else(PoisonError::into_inner);
        while *busy {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(WriteWait::TimedOut);
            }
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *busy = true;
        Ok(TurnGuard(self))
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

    /// The lock, taken in turn. A write that panicked may have left its transaction open: its
    /// connection is closed (which rolls the transaction back) and the next write opens another.
    fn turn(&self) -> MutexGuard<'_, Option<DbConnection>> {
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

/// The writer's turn, held by one write; given back (and the next write woken) when dropped.
struct TurnGuard<'a>(&'a Writer);

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        *self.0.busy.lock().unwrap_or_else(PoisonError::into_inner) = false;
        self.0.freed.notify_one();
    }
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
