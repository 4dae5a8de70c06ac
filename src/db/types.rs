//! The domain's words as stored text: each status, role, category and audit action is written by
//! its `as_str` and read by its `parse`. A word the domain does not know is a deserialisation
//! error (logged at the edge as a 500), never a silent default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::domain::{
    AuditAction, Category, CheckKind, ConcernCategory, ConcernStatus, LinkAction, MessageKind,
    MovementKind, NoteKind, OfferStatus, OutboxStatus, RequestStatus, Role, SeriesStatus,
    SignupStatus, Urgency, VettingStatus, VisitEnd,
};

macro_rules! stored_as_text {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> FromSql<Text, DB> for $t
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let word = String::from_sql(bytes)?;
                <$t>::parse(&word).map_err(|why| {
                    format!(
                        "unknown {} {word:?} in the database: {why}",
                        stringify!($t)
                    )
                    .into()
                })
            }
        }

        impl<DB> ToSql<Text, DB> for $t
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }
    )+};
}

stored_as_text!(
    AuditAction,
    CheckKind,
    NoteKind,
    MessageKind,
    LinkAction,
    Category,
    ConcernCategory,
    ConcernStatus,
    MovementKind,
    SeriesStatus,
    SignupStatus,
    Urgency,
    VisitEnd,
    OfferStatus,
    OutboxStatus,
    RequestStatus,
    Role,
    VettingStatus,
);
