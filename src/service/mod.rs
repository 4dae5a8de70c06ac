//! The use cases: one function each. A use case takes the caller and parsed domain values, opens
//! its own transaction (`Services::write`, or `Services::write_once` when an Idempotency-Key
//! came with it), calls `db` and `matching`, queues notifications in that same transaction, and
//! returns plain values or an [`Error`]. Nothing here knows about HTTP.

pub mod access;
pub mod accounts;
pub mod action_links;
pub mod audit;
pub mod calendar;
pub mod checks;
pub mod clock;
pub mod concerns;
pub mod delegates;
pub mod doorstep;
pub mod error;
pub mod events;
pub mod follow_ups;
pub mod housekeeping;
pub mod idempotency;
pub mod map;
pub mod matching_runs;
pub mod membership;
pub mod notes;
pub mod offering;
pub mod offers;
pub mod pagination;
pub mod people;
pub mod personal_data;
pub mod photos;
pub mod places;
pub mod push;
pub mod reports;
pub mod requests;
pub mod series;
pub mod sessions;
pub mod text_sign_in;
pub mod texts;
pub mod time_off;
pub mod timeline;
pub mod views;
pub mod visits;

use std::sync::Arc;

use serde::Serialize;

/// The database's connections, as startup hands them to the API's state.
pub use crate::db::Pool;
pub use error::{Error, Result};
pub use idempotency::{IdempotencyKey, Once};

use crate::auth::password::PasswordPolicy;
use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::domain::{Caller, MemberId, Parsed, Role};
use crate::metrics::Metrics;

/// Refuse a caller who is not a coordinator. Every use case checks its own caller: a handler's
/// check is not relied on.
pub fn coordinators_only(caller: &Caller) -> Result<()> {
    require(caller, &[Role::Coordinator])
}

/// Go on only for a caller with one of `roles` (403 otherwise): the one role check, made by
/// the use cases ([`Caller::require`]).
pub fn require(caller: &Caller, roles: &[Role]) -> Result<()> {
    caller.require(roles).map_err(Error::Forbidden)
}

/// A reason for the audit log, read once the caller may act (a 422 on `reason` otherwise).
pub fn reason(value: &str) -> Result<String> {
    crate::domain::fields::reason(value).map_err(|m| Error::invalid("reason", m))
}

/// Help asked for a member, as a handler read it. Whom it is for is kept even when the rest is
/// wrong, so that the use case refuses a member asking for someone else (403) before it says
/// what is wrong with the rest (422).
#[derive(Debug)]
pub struct Asked<T> {
    /// The member named in the body, if any (left out, a member asks for themselves).
    pub member: Option<MemberId>,
    pub details: Parsed<T>,
}

/// Something asked for one member.
pub trait ForMember {
    fn member(&self) -> &MemberId;
}

impl<T: ForMember> From<T> for Asked<T> {
    fn from(details: T) -> Self {
        Asked {
            member: Some(details.member().clone()),
            details: details.into(),
        }
    }
}

impl<T> Asked<T> {
    /// The details, once the caller may ask for this member: members for themselves,
    /// coordinators for anyone.
    pub fn take_for(self, caller: &Caller) -> Result<T> {
        require(caller, &[Role::Member, Role::Coordinator])?;
        let other = self.member.as_ref().is_some_and(|m| *m != caller.id);
        if caller.role == Role::Member && other {
            return Err(Error::Forbidden(Caller::ONLY_FOR_THEMSELVES.into()));
        }
        Ok(self.details.take()?)
    }
}

/// Who asks for a use case the command line can run too: a signed-in person, or the operator
/// at the command line (who holds the server's settings and database already).
#[derive(Debug, Clone, Copy)]
pub enum Requester<'a> {
    Person(&'a Caller),
    CommandLine,
}

impl Requester<'_> {
    /// Coordinators and the command line only.
    pub fn coordinators_only(self) -> Result<()> {
        match self {
            Requester::Person(caller) => coordinators_only(caller),
            Requester::CommandLine => Ok(()),
        }
    }
}

/// What every use case may reach: the pool, the settings, the token keys, the metrics.
#[derive(Clone)]
pub struct Services {
    pub pool: Pool,
    /// SQLite's write connection ([`db::writer`]); writes use the pool when there is none.
    writer: Option<Arc<db::writer::Writer>>,
    pub settings: Arc<Settings>,
    pub keys: Arc<TokenKeys>,
    pub metrics: Arc<Metrics>,
    /// The time use cases act at.
    pub clock: clock::Clock,
    /// The signed-in caller's token, checked in the first transaction these run
    /// ([`Services::answering`]); none for the service's own work.
    claim: Option<Arc<access::TokenClaim>>,
}

impl Services {
    pub fn new(pool: Pool, settings: Arc<Settings>) -> Self {
        Services {
            keys: Arc::new(TokenKeys::new(&settings.auth)),
            metrics: Arc::new(Metrics::new().expect("the metric definitions are valid")),
            // The pool was opened from the same URL, so it parses; a writer is only a speed-up.
            writer: db::writer(&settings.database.connect_options())
                .ok()
                .flatten()
                .map(Arc::new),
            pool,
            settings,
            clock: clock::Clock::system(),
            claim: None,
        }
    }

    /// The same services, acting at the times `clock` gives.
    pub fn with_clock(self, clock: clock::Clock) -> Self {
        Services { clock, ..self }
    }

    /// These services for one use case of a signed-in caller: every transaction they run first
    /// checks `claim` (once), so that the token check costs no read of its own.
    pub fn answering(&self, claim: Arc<access::TokenClaim>) -> Self {
        Services {
            claim: Some(claim),
            ..self.clone()
        }
    }

    /// The caller's token, checked on `c` before the use case's statements run.
    fn admit(&self, c: &mut DbConnection) -> Result<()> {
        match &self.claim {
            Some(claim) => claim.admit(c),
            None => Ok(()),
        }
    }

    /// Now, as the service's clock has it.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }

    /// The rules of time for visits, from the settings.
    pub fn time_rules(&self) -> crate::domain::actions::TimeRules {
        self.settings.time_rules()
    }

    pub fn passwords(&self) -> PasswordPolicy {
        PasswordPolicy {
            memory_kib: self.settings.auth.argon2_memory_kib,
            iterations: self.settings.auth.argon2_iterations,
            at_once: self.settings.auth.hashing_at_once,
        }
    }

    /// Whether a short read may run on the calling thread rather than hop to the blocking pool:
    /// on SQLite (a read is a few page lookups in this process's memory, never a network round
    /// trip, and readers do not wait for the writer), while the pool has a connection idle, so
    /// that taking one does not wait.
    pub fn reads_in_place(&self) -> bool {
        self.writer.is_some() && self.pool.state().idle_connections > 0
    }

    fn checkout(&self) -> Result<db::PooledConnection> {
        self.pool.get().map_err(Error::unavailable)
    }

    /// Read only: on SQLite all of `f` sees one snapshot, on PostgreSQL each statement sees
    /// what was committed when it ran ([`db::read_tx`]).
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T>) -> Result<T> {
        db::read_tx(&mut *self.checkout()?, |c| {
            self.admit(c)?;
            f(c)
        })
    }

    /// One statement, read on its own: it sees one snapshot by itself, so it needs no
    /// transaction around it (on SQLite that saves a `BEGIN` and a `COMMIT`, each parsed anew).
    pub fn read_one<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T>) -> Result<T> {
        let mut conn = self.checkout()?;
        self.admit(&mut conn)?;
        f(&mut conn)
    }

    /// One write transaction: everything in `f` commits together or not at all.
    pub fn write<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T>) -> Result<T> {
        let f = |c: &mut DbConnection| {
            self.admit(c)?;
            f(c)
        };
        match &self.writer {
            Some(writer) => writer.write(f).map_err(Error::unavailable)?,
            None => db::write_tx(&mut *self.checkout()?, f),
        }
    }

    /// As [`Services::write`], honouring an Idempotency-Key: the key's claim, the work and the
    /// answer (`status` and the value as JSON) commit in the one transaction. A retry with the
    /// same key and body replays that answer; if the process died before the commit, nothing of
    /// the first attempt is left and the retry does the work.
    pub fn write_once<T: Serialize>(
        &self,
        key: Option<&IdempotencyKey>,
        status: u16,
        f: impl FnOnce(&mut DbConnection) -> Result<T>,
    ) -> Result<Once<T>> {
        self.write(|c| idempotency::run(c, key, status, f))
    }
}

/// Go on only while the member `id` has an open account: nothing is asked, booked, credited or
/// renewed for a deactivated or erased member (409).
pub(crate) fn member_account_open(c: &mut db::DbConnection, id: &str) -> Result<()> {
    match db::users::is_closed(c, id)? {
        false => Ok(()),
        true => Err(Error::Conflict(
            crate::domain::actions::CLOSED_MEMBER.into(),
        )),
    }
}
