//! Collects every invalid field of a request body, so that one 422 names them all.

use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field in a 422 answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// Dotted path to the field, e.g. `window.end`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Some values were invalid: every field at fault, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Invalid(vec![FieldError::new(field, message)])
    }
}

/// Values as a handler read them, good or not. A use case asks who may first and takes the
/// values after, so that someone who may not do a thing is told that (403), not what was wrong
/// with what they sent (422). Plain values convert, so other callers pass them as they are.
#[derive(Debug, Clone)]
pub struct Parsed<T>(Result<T, Invalid>);

impl<T> Parsed<T> {
    /// The values, or every field at fault.
    pub fn take(self) -> Result<T, Invalid> {
        self.0
    }
}

impl<T> From<T> for Parsed<T> {
    fn from(value: T) -> Self {
        Parsed(Ok(value))
    }
}

impl<T> From<Result<T, Invalid>> for Parsed<T> {
    fn from(read: Result<T, Invalid>) -> Self {
        Parsed(read)
    }
}

#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keep the value when it parsed, or record why it did not.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(message) => {
                self.errors.push(FieldError::new(field, message));
                None
            }
        }
    }

    /// Check an optional value: absent is fine, present must parse.
    pub fn check_opt<T, U>(
        &mut self,
        field: &str,
        value: Option<U>,
        parse: impl FnOnce(U) -> Result<T, String>,
    ) -> Option<Option<T>> {
        match value {
            None => Some(None),
            Some(v) => self.check(field, parse(v)).map(Some),
        }
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// Record errors found by a nested check, with their fields under `prefix`.
    pub fn extend(&mut self, prefix: &str, errors: Vec<FieldError>) {
        for e in errors {
            let field = match (prefix.is_empty(), e.field.is_empty()) {
                (true, _) => e.field,
                (false, true) => prefix.to_string(),
                (false, false) => format!("{prefix}.{}", e.field),
            };
            self.errors.push(FieldError::new(field, e.message));
        }
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// Unwrap values that a successful [`Validator::finish`] guarantees are present.
#[macro_export]
macro_rules! validated {
    ($($v:ident),+ $(,)?) => {
        let ($(Some($v),)+) = ($($v,)+) else {
            return Err($crate::domain::validator::Invalid::field(
                "",
                "a value was missing after it had been checked",
            )
            .into());
        };
    };
}
