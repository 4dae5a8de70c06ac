//! What a use case can answer instead of a value. The HTTP edge maps each to a status; an
//! internal error keeps its cause so that the log shows the whole chain.

use crate::domain::{FieldError, Invalid};

pub type Result<T, E = Error> = std::result::Result<T, E>;

type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such thing, or the caller may not know it exists.
    #[error("not found")]
    NotFound,
    #[error("not signed in: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The state of things does not allow it (already taken, already done).
    #[error("conflict: {0}")]
    Conflict(String),
    /// It was there and has ended: a link used already or past its time.
    #[error("gone: {0}")]
    Gone(String),
    /// Values that are wrong, each named by its field.
    #[error("invalid values: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Understood but refused as a whole (an Idempotency-Key reused with another body).
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The database could not be reached in time.
    #[error("database unavailable")]
    Unavailable(#[source] Cause),
    #[error("database")]
    Database(#[source] diesel::result::Error),
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        cause: Cause,
    },
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(field, message)])
    }

    pub fn unavailable(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Unavailable(Box::new(e))
    }

    /// An error that is ours, with what we were doing.
    pub fn internal(context: &'static str, cause: impl Into<Cause>) -> Self {
        Error::Internal {
            context,
            cause: cause.into(),
        }
    }

    /// The error and every cause under it, `outer: inner: innermost`.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => Error::NotFound,
            busy if is_busy(&busy) => Error::unavailable(busy),
            other => Error::Database(other),
        }
    }
}

/// The database was too busy to answer in time: SQLite's file locked past its busy timeout, or
/// a PostgreSQL statement cancelled by its timeout or a lock wait. The caller may try again.
fn is_busy(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error as E};
    match e {
        E::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        E::DatabaseError(_, info) => {
            let m = info.message();
            m.contains("database is locked")
                || m.contains("database table is locked")
                || m.contains("statement timeout")
                || m.contains("lock timeout")
        }
        _ => false,
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e.0)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::internal("json", e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_names_every_cause() {
        let e = Error::internal("reading a helper", std::io::Error::other("disk on fire"));
        assert_eq!(e.chain(), "reading a helper: disk on fire");
        let e = Error::from(diesel::result::Error::NotFound);
        assert!(matches!(e, Error::NotFound));
    }
}
