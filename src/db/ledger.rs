//! Memberships and the time ledger. A movement is written with its entries in the caller's
//! transaction: the member's account and the Circle's, summing to zero. Nothing is ever changed
//! or deleted (the tables refuse it); balances are sums of entries.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sum;
use diesel::prelude::*;

use super::schema::{
    help_requests as hr, ledger_entries as entries, ledger_movements as movements, memberships,
};
use super::DbConnection;
use crate::domain::{MovementKind, RequestStatus};

/// The Circle's own account, the other side of every movement.
pub const CIRCLE: &str = "circle";

/// A member's account.
pub fn account_of(member_id: &str) -> String {
    format!("member:{member_id}")
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct MembershipRow {
    pub id: String,
    pub member_id: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub fee_pence: i32,
    pub paid_by: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = movements)]
pub struct MovementRow {
    pub id: String,
    pub member_id: String,
    pub kind: MovementKind,
    pub request_id: Option<String>,
    pub amount_pence: Option<i32>,
    pub paid_by: Option<String>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub at: NaiveDateTime,
}

pub fn add_membership(conn: &mut DbConnection, row: &MembershipRow) -> QueryResult<()> {
    diesel::insert_into(memberships::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The member's membership that ends last.
pub fn latest_membership(
    conn: &mut DbConnection,
    member_id: &str,
) -> QueryResult<Option<MembershipRow>> {
    memberships::table
        .filter(memberships::member_id.eq(member_id))
        .order((memberships::ends_on.desc(), memberships::created_at.desc()))
        .select(MembershipRow::as_select())
        .first(conn)
        .optional()
}

/// Write a movement of `minutes` into the member's account (out of the Circle's), with both
/// entries. False if it was a debit already written for that request.
pub fn move_minutes(conn: &mut DbConnection, m: &MovementRow, minutes: i32) -> QueryResult<bool> {
    if insert_or_ignore!(conn, movements::table, m)? == 0 {
        return Ok(false);
    }
    for (account, sign) in [(account_of(&m.member_id), 1), (CIRCLE.to_string(), -1)] {
        diesel::insert_into(entries::table)
            .values((
                entries::id.eq(super::new_id()),
                entries::movement_id.eq(&m.id),
                entries::account.eq(account),
                entries::minutes.eq(sign * minutes),
                entries::at.eq(m.at),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

/// An account's balance: the sum of its entries.
pub fn balance(conn: &mut DbConnection, account: &str) -> QueryResult<i64> {
    let total: Option<i64> = entries::table
        .filter(entries::account.eq(account))
        .select(sum(entries::minutes))
        .first(conn)?;
    Ok(total.unwrap_or(0))
}

/// The sum of every entry in the ledger: zero, always.
pub fn total(conn: &mut DbConnection) -> QueryResult<i64> {
    let total: Option<i64> = entries::table.select(sum(entries::minutes)).first(conn)?;
    Ok(total.unwrap_or(0))
}

/// The member's movements, oldest first, with the minutes each put into their account.
pub fn statement(conn: &mut DbConnection, member_id: &str) -> QueryResult<Vec<(MovementRow, i32)>> {
    movements::table
        .inner_join(entries::table.on(entries::movement_id.eq(movements::id)))
        .filter(movements::member_id.eq(member_id))
        .filter(entries::account.eq(account_of(member_id)))
        .order((movements::at.asc(), movements::id.asc()))
        .select((MovementRow::as_select(), entries::minutes))
        .load(conn)
}

/// The member's requests not yet done (asked, offered or assigned), each holding its duration:
/// `(request, minutes)`.
pub fn holds(conn: &mut DbConnection, member_id: &str) -> QueryResult<Vec<(String, i32)>> {
    hr::table
        .filter(hr::member_id.eq(member_id))
        .filter(hr::status.eq_any([
            RequestStatus::Open.as_str(),
            RequestStatus::Offered.as_str(),
            RequestStatus::Assigned.as_str(),
        ]))
        .order(hr::window_start.asc())
        .select((hr::id, hr::duration_minutes))
        .load(conn)
}

/// A member whose latest membership ends in a given span, and how to reach them.
#[derive(Debug, Clone)]
pub struct RenewalDue {
    pub membership: MembershipRow,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Members whose latest membership ends in `[from, to]`, soonest end first.
pub fn renewals_due(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<RenewalDue>> {
    use super::schema::users;
    let rows: Vec<(MembershipRow, String, Option<String>, Option<String>)> = memberships::table
        .inner_join(users::table.on(users::id.eq(memberships::member_id)))
        .filter(memberships::ends_on.ge(from))
        .filter(memberships::ends_on.le(to))
        .filter(users::deactivated_at.is_null())
        .order((memberships::ends_on.asc(), memberships::member_id.asc()))
        .select((
            MembershipRow::as_select(),
            users::name,
            users::phone,
            users::email,
        ))
        .load(conn)?;
    let members: Vec<String> = rows.iter().map(|r| r.0.member_id.clone()).collect();
    let latest: std::collections::HashMap<String, Option<NaiveDate>> = memberships::table
        .filter(memberships::member_id.eq_any(&members))
        .group_by(memberships::member_id)
        .select((
            memberships::member_id,
            diesel::dsl::max(memberships::ends_on),
        ))
        .load(conn)?
        .into_iter()
        .collect();
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(m, ..)| latest.get(&m.member_id) == Some(&Some(m.ends_on)))
        .filter(|(m, ..)| seen.insert(m.member_id.clone()))
        .map(|(membership, name, phone, email)| RenewalDue {
            membership,
            name,
            phone,
            email,
        })
        .collect())
}
