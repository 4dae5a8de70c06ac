//! What the service holds about one person, read out for an export (every row that names them,
//! as JSON objects, table by table), and erased: their name, contact details, address, places and
//! free text removed where they are kept, the rows that the ledger's sums and the audit's shape
//! need left in place under the account's id, which then names nobody.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::schema::{
    feedback, help_requests as hr, helpers, ledger_movements, login_failures, member_blocks,
    members, memberships, outbox, outbox_attempts, password_resets, refresh_tokens, series, users,
    visits,
};
use super::{DbConnection, MultiBackend};
use crate::domain::{RequestStatus, SeriesStatus};

/// Where a person appears: an export's section, the table, and the column that holds their id.
pub const HOLDINGS: &[(&str, &str, &str)] = &[
    ("account", "users", "id"),
    ("member", "members", "user_id"),
    ("helper", "helpers", "user_id"),
    ("requests", "help_requests", "member_id"),
    ("jobs", "help_requests", "helper_id"),
    ("offers", "offers", "helper_id"),
    ("visits", "visits", "helper_id"),
    ("standing_requests", "series", "member_id"),
    ("standing_requests_as_helper", "series", "helper_id"),
    ("memberships", "memberships", "member_id"),
    ("ledger_movements", "ledger_movements", "member_id"),
    ("ratings_given", "feedback", "member_id"),
    ("ratings_received", "feedback", "helper_id"),
    ("helpers_blocked", "member_blocks", "member_id"),
    ("events", "event_signups", "member_id"),
    ("concerns_raised", "concerns", "raised_by"),
    ("audit", "audit_log", "subject_id"),
];

/// Columns never exported: secrets, and the matcher's own bookkeeping.
const NOT_EXPORTED: &[&str] = &["password_hash", "token_version"];

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every row of `table` whose `column` is `id`, each as a JSON object in text.
pub fn rows_as_json(
    conn: &mut DbConnection,
    table: &str,
    column: &str,
    id: &str,
) -> QueryResult<Vec<String>> {
    let sql = if conn.is_postgres() {
        let drop: String = NOT_EXPORTED.iter().map(|c| format!(" - '{c}'")).collect();
        format!("SELECT (to_jsonb(t){drop})::text AS line FROM {table} t WHERE {column} = $1")
    } else {
        let columns: Vec<Line> = diesel::sql_query(format!(
            "SELECT name AS line FROM pragma_table_info('{table}')"
        ))
        .load(conn)?;
        let pairs: Vec<String> = columns
            .iter()
            .filter(|c| !NOT_EXPORTED.contains(&c.line.as_str()))
            .map(|c| format!("'{0}', \"{0}\"", c.line))
            .collect();
        format!(
            "SELECT json_object({}) AS line FROM {table} WHERE {column} = ?",
            pairs.join(", ")
        )
    };
    let lines: Vec<Line> = diesel::sql_query(sql)
        .into_boxed::<MultiBackend>()
        .bind::<Text, _>(id)
        .load(conn)?;
    Ok(lines.into_iter().map(|l| l.line).collect())
}

/// What stands in the way of erasing someone now: their requests not finished, the jobs
/// assigned to them, their standing requests still running.
pub fn unfinished(conn: &mut DbConnection, id: &str) -> QueryResult<i64> {
    let open = [
        RequestStatus::Open,
        RequestStatus::Offered,
        RequestStatus::Assigned,
    ];
    let asked: i64 = hr::table
        .filter(hr::member_id.eq(id))
        .filter(hr::status.eq_any(open))
        .count()
        .get_result(conn)?;
    let jobs: i64 = hr::table
        .filter(hr::helper_id.eq(id))
        .filter(hr::status.eq(RequestStatus::Assigned))
        .count()
        .get_result(conn)?;
    let standing: i64 = series::table
        .filter(series::member_id.eq(id).or(series::helper_id.eq(id)))
        .filter(series::status.ne(SeriesStatus::Ended))
        .count()
        .get_result(conn)?;
    Ok(asked + jobs + standing)
}

/// Remove everything that names or places the person `id`, keeping their rows' shape. `alias`
/// replaces their name. Their sessions end; emails to them not yet sent are dropped.
pub fn erase(
    conn: &mut DbConnection,
    id: &str,
    alias: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    let email: Option<String> = users::table
        .find(id)
        .select(users::email)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    if let Some(email) = &email {
        diesel::delete(login_failures::table.filter(login_failures::email.eq(email)))
            .execute(conn)?;
        let theirs: Vec<String> = outbox::table
            .filter(outbox::recipient.eq(email))
            .select(outbox::id)
            .load(conn)?;
        diesel::delete(outbox_attempts::table.filter(outbox_attempts::outbox_id.eq_any(&theirs)))
            .execute(conn)?;
        diesel::delete(outbox::table.filter(outbox::id.eq_any(&theirs))).execute(conn)?;
    }
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(alias),
            users::email.eq(None::<String>),
            users::phone.eq(None::<String>),
            users::password_hash.eq(None::<String>),
            users::token_version.eq(users::token_version + 1),
        ))
        .execute(conn)?;
    diesel::update(
        users::table
            .find(id)
            .filter(users::deactivated_at.is_null()),
    )
    .set(users::deactivated_at.eq(Some(now)))
    .execute(conn)?;
    diesel::update(refresh_tokens::table.filter(refresh_tokens::user_id.eq(id)))
        .set(refresh_tokens::revoked_at.eq(Some(now)))
        .execute(conn)?;
    diesel::delete(password_resets::table.filter(password_resets::user_id.eq(id))).execute(conn)?;
    diesel::delete(
        super::schema::action_links::table.filter(super::schema::action_links::helper_id.eq(id)),
    )
    .execute(conn)?;
    super::push_subscriptions::delete_all_of(conn, id)?;
    diesel::update(members::table.find(id))
        .set((
            members::address.eq(""),
            members::lat.eq(0.0),
            members::lon.eq(0.0),
        ))
        .execute(conn)?;
    diesel::update(helpers::table.find(id))
        .set((
            helpers::home_lat.eq(0.0),
            helpers::home_lon.eq(0.0),
            helpers::reach_min_lat.eq(0.0),
            helpers::reach_max_lat.eq(0.0),
            helpers::reach_min_lon.eq(0.0),
            helpers::reach_max_lon.eq(0.0),
            helpers::vetting_note.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(hr::table.filter(hr::member_id.eq(id)))
        .set((
            hr::description.eq(""),
            hr::address.eq(None::<String>),
            hr::cancel_reason.eq(None::<String>),
            hr::lat.eq(0.0),
            hr::lon.eq(0.0),
        ))
        .execute(conn)?;
    diesel::update(series::table.filter(series::member_id.eq(id)))
        .set((
            series::description.eq(""),
            series::lat.eq(0.0),
            series::lon.eq(0.0),
        ))
        .execute(conn)?;
    diesel::update(visits::table.filter(visits::helper_id.eq(id)))
        .set(visits::note.eq(None::<String>))
        .execute(conn)?;
    diesel::update(feedback::table.filter(feedback::member_id.eq(id)))
        .set(feedback::comment.eq(None::<String>))
        .execute(conn)?;
    diesel::update(ledger_movements::table.filter(ledger_movements::member_id.eq(id)))
        .set((
            ledger_movements::paid_by.eq(None::<String>),
            ledger_movements::note.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(memberships::table.filter(memberships::member_id.eq(id)))
        .set(memberships::paid_by.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(member_blocks::table.filter(member_blocks::member_id.eq(id))).execute(conn)?;
    Ok(())
}
