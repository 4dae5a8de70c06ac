//! One-tap links from emails, by the hash of their token: written with the email that carries
//! them, read when the link is opened, spent once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::action_links;
use super::DbConnection;
use crate::domain::LinkAction;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = action_links, treat_none_as_default_value = false)]
pub struct ActionLinkRow {
    pub token_hash: String,
    pub action: LinkAction,
    /// The offer an accept or decline link answers.
    pub offer_id: Option<String>,
    pub request_id: String,
    pub helper_id: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Keep these links, in one statement.
pub fn insert_all(conn: &mut DbConnection, rows: &[ActionLinkRow]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    insert_rows!(conn, action_links::table, rows).map(|_| ())
}

pub fn find(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<ActionLinkRow>> {
    action_links::table
        .find(token_hash)
        .select(ActionLinkRow::as_select())
        .first(conn)
        .optional()
}

/// Spend the link; false when it was already spent (also by a use racing this one).
pub fn spend(conn: &mut DbConnection, token_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        action_links::table
            .find(token_hash)
            .filter(action_links::used_at.is_null()),
    )
    .set(action_links::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Forget links that ended before `before`: they can no longer do anything.
pub fn delete_ended(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(action_links::table.filter(action_links::expires_at.lt(before))).execute(conn)
}
