//! Finding people: members by any part of their name, phone, email or address; helpers by
//! vetting, skill, expiring vetting, nearness and name. Case- and space-insensitive, on both
//! backends, with the same SQL (placeholders numbered for PostgreSQL).

use diesel::prelude::*;
use diesel::sql_types::{Date, Double, Text};

use super::helpers::HelperRow;
use super::members::MemberRow;
use super::users::UserRow;
use super::{DbConnection, MultiBackend};
pub use crate::domain::directory::{fold_term, HelperFilter};
use crate::domain::{MembershipState, VettingStatus};

/// `text` folded, as SQL: accents off, lower case, no spaces or hyphens; how names, phones and
/// emails compare ([`crate::domain::directory::fold_text`]; SQLite's connections register it,
/// PostgreSQL has it from migration 000018).
fn folded(text: &str) -> String {
    format!("fold({text})")
}

/// `?` placeholders as PostgreSQL's `$1, $2, …`, in order.
fn placeholders(conn: &DbConnection, sql: &str) -> String {
    if !conn.is_postgres() {
        return sql.to_string();
    }
    let mut n = 0;
    sql.chars()
        .map(|c| match c {
            '?' => {
                n += 1;
                format!("${n}")
            }
            c => c.to_string(),
        })
        .collect()
}

#[derive(QueryableByName)]
struct MemberHit {
    #[diesel(embed)]
    user: UserRow,
    #[diesel(embed)]
    member: MemberRow,
    #[diesel(sql_type = diesel::sql_types::Nullable<Date>)]
    membership_ends_on: Option<chrono::NaiveDate>,
}

/// Which members to find.
pub struct MemberFilter<'a> {
    /// From [`fold_term`]; empty matches everyone.
    pub term: &'a str,
    pub include_closed: bool,
    /// Only those whose membership stands so on `today`.
    pub membership: Option<(MembershipState, chrono::NaiveDate)>,
}

/// A member found, with the day their latest membership ends.
pub type MemberLine = (UserRow, MemberRow, Option<chrono::NaiveDate>);

/// Members matching `term` (from [`fold_term`]; empty matches everyone), open accounts only
/// unless `include_closed`, best match first: the
/// name starting with it, then the name holding it, then the phone, then anything else; then
/// by name.
pub fn search_members(
    conn: &mut DbConnection,
    filter: &MemberFilter<'_>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<MemberLine>> {
    let term = filter.term;
    let name = folded("users.name");
    let phone = folded("coalesce(users.phone, '')");
    let haystack = folded(
        "users.name || '|' || coalesce(users.phone, '') || '|' || coalesce(users.email, '') \
         || '|' || members.address",
    );
    let open_only = match filter.include_closed {
        true => "",
        false => "AND users.deactivated_at IS NULL ",
    };
    let last_end = "(SELECT max(ms.ends_on) FROM memberships ms WHERE ms.member_id = users.id)";
    let (membership, days) = match filter.membership {
        None => ("", None),
        Some((MembershipState::Current, today)) => {
            ("AND q.membership_ends_on >= ? ", Some((today, today)))
        }
        Some((MembershipState::Ending, today)) => (
            "AND q.membership_ends_on >= ? AND q.membership_ends_on <= ? ",
            Some((today, today + chrono::Days::new(28))),
        ),
        Some((MembershipState::Ended, today)) => {
            ("AND q.membership_ends_on < ? ", Some((today, today)))
        }
        Some((MembershipState::None, _)) => ("AND q.membership_ends_on IS NULL ", None),
    };
    let sql = format!(
        "SELECT * FROM (SELECT users.*, members.*, {last_end} AS membership_ends_on \
         FROM users JOIN members ON members.user_id = users.id \
         WHERE {haystack} LIKE ? ESCAPE '\\' {open_only}) q WHERE 1 = 1 {membership}\
         ORDER BY CASE WHEN {q_name} LIKE ? ESCAPE '\\' THEN 0 \
                       WHEN {q_name} LIKE ? ESCAPE '\\' THEN 1 \
                       WHEN {q_phone} LIKE ? ESCAPE '\\' THEN 2 ELSE 3 END, \
                  lower(q.name), q.id \
         LIMIT ? OFFSET ?",
        q_name = name.replace("users.", "q."),
        q_phone = phone.replace("users.", "q."),
    );
    let contains = format!("%{term}%");
    let mut query = diesel::sql_query(placeholders(conn, &sql))
        .into_boxed::<MultiBackend>()
        .bind::<Text, _>(contains.clone());
    match (filter.membership, days) {
        (Some((MembershipState::Ending, _)), Some((from, to))) => {
            query = query.bind::<Date, _>(from).bind::<Date, _>(to);
        }
        (_, Some((day, _))) => query = query.bind::<Date, _>(day),
        _ => {}
    }
    let hits: Vec<MemberHit> = query
        .bind::<Text, _>(format!("{term}%"))
        .bind::<Text, _>(contains.clone())
        .bind::<Text, _>(contains)
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .bind::<diesel::sql_types::BigInt, _>(offset)
        .load(conn)?;
    Ok(hits
        .into_iter()
        .map(|h| (h.user, h.member, h.membership_ends_on))
        .collect())
}

#[derive(QueryableByName)]
struct HelperHit {
    #[diesel(embed)]
    user: UserRow,
    #[diesel(embed)]
    helper: HelperRow,
}

/// Helpers passing `filter`, ordered: applications oldest first, expiring vetting soonest first,
/// otherwise by name. `page` is `(limit, offset)`; `None` reads them all (for nearness, which the
/// caller orders by distance).
pub fn list_helpers(
    conn: &mut DbConnection,
    filter: &HelperFilter,
    page: Option<(i64, i64)>,
) -> QueryResult<Vec<(UserRow, HelperRow)>> {
    let mut wheres = vec!["1 = 1".to_string()];
    if !filter.include_closed {
        wheres.push("users.deactivated_at IS NULL".into());
    }
    if filter.vetting.is_some() {
        wheres.push("helpers.vetting_status = ?".into());
    }
    if filter.skill.is_some() {
        wheres.push("helpers.skills LIKE ?".into());
    }
    if filter.expiring_by.is_some() {
        wheres
            .push("helpers.vetting_status = 'approved' AND helpers.vetting_expires_on <= ?".into());
    }
    if filter.near.is_some() {
        wheres.push("helpers.home_lat BETWEEN ? AND ? AND helpers.home_lon BETWEEN ? AND ?".into());
    }
    if filter.term.is_some() {
        let haystack = folded(
            "users.name || '|' || coalesce(users.phone, '') || '|' || coalesce(users.email, '')",
        );
        wheres.push(format!("{haystack} LIKE ? ESCAPE '\\'"));
    }
    let order = if filter.vetting == Some(VettingStatus::Pending) {
        "users.created_at, users.id"
    } else if filter.expiring_by.is_some() {
        "helpers.vetting_expires_on, users.id"
    } else {
        "lower(users.name), users.id"
    };
    let mut sql = format!(
        "SELECT users.*, helpers.* FROM users JOIN helpers ON helpers.user_id = users.id \
         WHERE {} ORDER BY {order}",
        wheres.join(" AND ")
    );
    if page.is_some() {
        sql.push_str(" LIMIT ? OFFSET ?");
    }
    let mut query = diesel::sql_query(placeholders(conn, &sql)).into_boxed::<MultiBackend>();
    if let Some(v) = filter.vetting {
        query = query.bind::<Text, _>(v.as_str());
    }
    if let Some(skill) = filter.skill {
        query = query.bind::<Text, _>(format!("%,{},%", skill.as_str()));
    }
    if let Some(by) = filter.expiring_by {
        query = query.bind::<Date, _>(by);
    }
    if let Some((at, km)) = filter.near {
        let b = at.reach_box(km);
        query = query
            .bind::<Double, _>(b.min_lat)
            .bind::<Double, _>(b.max_lat)
            .bind::<Double, _>(b.min_lon)
            .bind::<Double, _>(b.max_lon);
    }
    if let Some(term) = &filter.term {
        query = query.bind::<Text, _>(format!("%{term}%"));
    }
    if let Some((limit, offset)) = page {
        query = query
            .bind::<diesel::sql_types::BigInt, _>(limit)
            .bind::<diesel::sql_types::BigInt, _>(offset);
    }
    let hits: Vec<HelperHit> = query.load(conn)?;
    Ok(hits.into_iter().map(|h| (h.user, h.helper)).collect())
}
