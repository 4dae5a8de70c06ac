//! The checks behind a helper's vetting: a DBS certificate, references, proof of identity, each
//! with its day and the coordinator who recorded it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{helper_checks, users};
use super::DbConnection;
use crate::domain::CheckKind;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = helper_checks)]
pub struct CheckRow {
    pub id: String,
    pub helper_id: String,
    pub kind: CheckKind,
    /// A DBS certificate's number; a referee's name; the document seen.
    pub reference: Option<String>,
    pub checked_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &CheckRow) -> QueryResult<()> {
    diesel::insert_into(helper_checks::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A helper's checks, the latest day first, each with the name of who recorded it.
pub fn of_helper(conn: &mut DbConnection, helper_id: &str) -> QueryResult<Vec<(CheckRow, String)>> {
    helper_checks::table
        .inner_join(users::table.on(users::id.eq(helper_checks::recorded_by)))
        .filter(helper_checks::helper_id.eq(helper_id))
        .order((
            helper_checks::checked_on.desc(),
            helper_checks::created_at.desc(),
        ))
        .select((CheckRow::as_select(), users::name))
        .load(conn)
}
