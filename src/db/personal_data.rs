//! What the service holds about one person, read out for an export (every row that names them,
//! as JSON objects, table by table), and erased: their name, contact details, address, places and
//! free text removed where they are kept, the rows that the ledger's sums and the audit's shape
//! need left in place under the account's id, which then names nobody.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::schema::{
    feedback, help_requests as hr, helpers, ledger_movements, login_failures, members, memberships,
    outbox, outbox_attempts, refresh_tokens, series, users, visits,
};
use super::{DbConnection, MultiBackend};
use crate::domain::{RequestStatus, SeriesStatus};

/// How a holding's rows reach the person's export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// As stored, under this section, leaving out the columns named (they say something about
    /// someone else, or are secrets).
    Rows(&'static str, &'static [&'static str]),
    /// Under this section, through the views the API answers the person with (the use case
    /// renders them), so that the export shows no more than the person may see now.
    AsSeen(&'static str, Seen),
    /// Not exported, for the reason given.
    Not(&'static str),
}

/// Which view an [`Export::AsSeen`] holding is rendered through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// The requests assigned to a helper, as `GET /requests/{id}` shows them to that helper.
    Jobs,
    /// A helper's offers, as their inbox shows them.
    Offers,
    /// The standing requests a helper is the regular helper of, as `GET /series/{id}` shows them.
    StandingRequests,
}

/// What erasing the person does to a holding's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    /// The rows are deleted (walked by [`erase`] from this registry).
    Deleted,
    /// The rows stay, with the person's name, contact details, places and free text emptied.
    Emptied,
    /// The rows stay as they are, for the reason given (they hold ids and sums, no personal data).
    Kept(&'static str),
}

/// One place where a person's id is held: a table, the column that holds the id, and what the
/// export and the erasure do with its rows.
#[derive(Debug, Clone, Copy)]
pub struct Holding {
    pub table: &'static str,
    pub column: &'static str,
    pub export: Export,
    pub erase: Erase,
}

const fn holding(
    table: &'static str,
    column: &'static str,
    export: Export,
    erase: Erase,
) -> Holding {
    Holding {
        table,
        column,
        export,
        erase,
    }
}

const WORK: &str = "a coordinator's own work, which names the person it was done for";
const IDS: &str = "ids and times only";
const LEDGER: &str = "the ledger's sums must still add up";

/// Every place the service holds a person's id: the one registry that the export and the
/// erasure both walk, checked by a test against every table of the database.
#[rustfmt::skip]
pub const HOLDINGS: &[Holding] = &[
    holding("users", "id", Export::Rows("account", &["password_hash", "token_version"]), Erase::Emptied),
    holding("members", "user_id", Export::Rows("member", &[]), Erase::Emptied),
    holding("members", "created_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("helpers", "user_id", Export::Rows("helper", &["reach_min_lat", "reach_max_lat", "reach_min_lon", "reach_max_lon"]), Erase::Emptied),
    holding("helpers", "vetted_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("helper_reach_keys", "user_id", Export::Not("the matcher's index of where helpers reach"), Erase::Kept("the index is emptied with the helper's places")),
    holding("help_requests", "member_id", Export::Rows("requests", &[]), Erase::Emptied),
    holding("help_requests", "helper_id", Export::AsSeen("jobs", Seen::Jobs), Erase::Kept(IDS)),
    holding("help_requests", "created_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("offers", "helper_id", Export::AsSeen("offers", Seen::Offers), Erase::Kept(IDS)),
    holding("visits", "helper_id", Export::Rows("visits", &[]), Erase::Emptied),
    holding("series", "member_id", Export::Rows("standing_requests", &[]), Erase::Emptied),
    holding("series", "helper_id", Export::AsSeen("standing_requests_as_helper", Seen::StandingRequests), Erase::Kept(IDS)),
    holding("series", "created_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("memberships", "member_id", Export::Rows("memberships", &[]), Erase::Emptied),
    holding("memberships", "created_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("ledger_movements", "member_id", Export::Rows("ledger_movements", &[]), Erase::Emptied),
    holding("ledger_movements", "created_by", Export::Not(WORK), Erase::Kept(LEDGER)),
    holding("feedback", "member_id", Export::Rows("ratings_given", &[]), Erase::Emptied),
    holding("feedback", "helper_id", Export::Rows("ratings_received", &["member_id"]), Erase::Kept(IDS)),
    holding("member_blocks", "member_id", Export::Rows("helpers_blocked", &[]), Erase::Deleted),
    holding("member_blocks", "helper_id", Export::Not("a helper is not told who has blocked them"), Erase::Deleted),
    holding("event_signups", "member_id", Export::Rows("events", &[]), Erase::Kept(IDS)),
    holding("event_signups", "signed_up_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("events", "created_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("concerns", "raised_by", Export::Rows("concerns_raised", &[]), Erase::Kept("safeguarding records are never lost")),
    holding("concerns", "about_id", Export::Not("safeguarding records about a person are read by coordinators only"), Erase::Kept("safeguarding records are never lost")),
    holding("concern_history", "by_id", Export::Not(WORK), Erase::Kept("safeguarding records are never lost")),
    holding("concern_history", "owner_id", Export::Not(WORK), Erase::Kept("safeguarding records are never lost")),
    holding("audit_log", "subject_id", Export::Rows("audit", &[]), Erase::Kept("the audit keeps its shape")),
    holding("audit_log", "actor_id", Export::Not(WORK), Erase::Kept("the audit keeps its shape")),
    holding("audit_log", "on_behalf_of", Export::Rows("audit_on_their_behalf", &[]), Erase::Kept("the audit keeps its shape")),
    holding("push_subscriptions", "user_id", Export::Rows("push_subscriptions", &["p256dh", "auth"]), Erase::Deleted),
    holding("person_notes", "person_id", Export::Rows("notes_about_them", &["written_by", "done_by"]), Erase::Deleted),
    holding("person_notes", "written_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("person_notes", "done_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("helper_checks", "helper_id", Export::Rows("vetting_checks", &["recorded_by"]), Erase::Deleted),
    holding("helper_checks", "recorded_by", Export::Not(WORK), Erase::Kept(IDS)),
    holding("refresh_tokens", "user_id", Export::Rows("sessions", &["token_hash"]), Erase::Kept("revoked at once, deleted when they run out")),
    holding("password_resets", "user_id", Export::Not("one-time links, held hashed"), Erase::Deleted),
    holding("action_links", "helper_id", Export::Not("one-time links, held hashed"), Erase::Deleted),
    holding("doorstep_words", "helper_id", Export::Not("words said once at a door, new each visit"), Erase::Deleted),
    holding("helper_photos", "helper_id", Export::Not("the photo itself, given back at GET /helpers/{id}/photo"), Erase::Deleted),
    holding("calendar_feeds", "user_id", Export::Not("a secret address, held hashed"), Erase::Deleted),
    holding("sign_in_codes", "user_id", Export::Not("one-time codes, held hashed"), Erase::Deleted),
    holding("delegates", "member_id", Export::Rows("delegates", &["token_hash"]), Erase::Deleted),
    holding("delegates", "delegate_id", Export::Rows("helps_arrange_for", &["token_hash"]), Erase::Deleted),
    holding("delegates", "invited_by", Export::Not(WORK), Erase::Kept(IDS)),
];

/// Places that hold a person by their email address rather than their id.
pub const HELD_BY_EMAIL: &[(&str, &str)] = &[("login_failures", "email"), ("outbox", "recipient")];
// Texts are held by the number in E.164 (`outbox.recipient`, as emails), and a number that said
// STOP is kept in `texts_stopped` after its account goes: the wish not to be texted outlives it.

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// Every row of `table` whose `column` is `id`, each as a JSON object in text, without the
/// columns `without`.
pub fn rows_as_json(
    conn: &mut DbConnection,
    table: &str,
    column: &str,
    without: &[&str],
    id: &str,
) -> QueryResult<Vec<String>> {
    let sql = if conn.is_postgres() {
        let drop: String = without.iter().map(|c| format!(" - '{c}'")).collect();
        format!("SELECT (to_jsonb(t){drop})::text AS line FROM {table} t WHERE {column} = $1")
    } else {
        let columns: Vec<Line> = diesel::sql_query(format!(
            "SELECT name AS line FROM pragma_table_info('{table}')"
        ))
        .load(conn)?;
        let pairs: Vec<String> = columns
            .iter()
            .filter(|c| !without.contains(&c.line.as_str()))
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
/// replaces their name. Their sessions end; emails to them are dropped, and emails to others
/// that name them are emptied (or, not yet sent, go with `alias` in their place). Returns the
/// ids of the emails dropped or emptied, whose copies kept as files must go too.
pub fn erase(
    conn: &mut DbConnection,
    id: &str,
    alias: &str,
    now: chrono::NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let needles = identifying(conn, id)?;
    let mut files = Vec::new();
    // Texts to them went to their number in E.164.
    let number: Option<String> = users::table
        .find(id)
        .select(users::phone_e164)
        .first(conn)
        .optional()?
        .flatten();
    for address in needles.email.iter().chain(number.iter()) {
        diesel::delete(login_failures::table.filter(login_failures::email.eq(address)))
            .execute(conn)?;
        let theirs: Vec<String> = outbox::table
            .filter(outbox::recipient.eq(address))
            .select(outbox::id)
            .load(conn)?;
        diesel::delete(outbox_attempts::table.filter(outbox_attempts::outbox_id.eq_any(&theirs)))
            .execute(conn)?;
        diesel::delete(outbox::table.filter(outbox::id.eq_any(&theirs))).execute(conn)?;
        files.extend(theirs);
    }
    files.extend(redact_messages_about(conn, &needles.words(), alias)?);
    for h in HOLDINGS.iter().filter(|h| h.erase == Erase::Deleted) {
        diesel::sql_query(format!("DELETE FROM {} WHERE {} = $1", h.table, h.column))
            .into_boxed::<MultiBackend>()
            .bind::<Text, _>(id)
            .execute(conn)?;
    }
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(alias),
            users::email.eq(None::<String>),
            users::phone.eq(None::<String>),
            users::phone_e164.eq(None::<String>),
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
    diesel::update(members::table.find(id))
        .set((
            members::address.eq(""),
            members::lat.eq(0.0),
            members::lon.eq(0.0),
            members::access_needs.eq(None::<String>),
            members::emergency_name.eq(None::<String>),
            members::emergency_phone.eq(None::<String>),
            members::emergency_relation.eq(None::<String>),
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
    Ok(files)
}

/// What identifies a person in the words of a message: their name, email, phone and the
/// addresses of their home and of the visits they asked for.
struct Identifying {
    email: Option<String>,
    others: Vec<String>,
}

impl Identifying {
    /// Every form to look for, as written in text and as escaped in HTML; short ones (a
    /// name of two letters) would match unrelated words, and are left out.
    fn words(&self) -> Vec<String> {
        let mut words: Vec<String> = self.email.iter().chain(&self.others).cloned().collect();
        let escaped: Vec<String> = words.iter().map(|w| crate::domain::html::esc(w)).collect();
        words.extend(escaped);
        words.retain(|w| w.trim().chars().count() >= 4);
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        words.dedup();
        words
    }
}

fn identifying(conn: &mut DbConnection, id: &str) -> QueryResult<Identifying> {
    let user: Option<(String, Option<String>, Option<String>)> = users::table
        .find(id)
        .select((users::name, users::email, users::phone))
        .first(conn)
        .optional()?;
    let Some((name, email, phone)) = user else {
        return Ok(Identifying {
            email: None,
            others: Vec::new(),
        });
    };
    let mut others = vec![name];
    others.extend(phone);
    let home: Option<String> = members::table
        .find(id)
        .select(members::address)
        .first(conn)
        .optional()?;
    others.extend(home);
    let visits: Vec<Option<String>> = hr::table
        .filter(hr::member_id.eq(id))
        .select(hr::address)
        .distinct()
        .load(conn)?;
    others.extend(visits.into_iter().flatten());
    Ok(Identifying { email, others })
}

/// Messages to others that name the person: those waiting to go are sent with the person's
/// words replaced by `alias`; those sent or given up lose their bodies. Returns their ids (a
/// sent message may also be kept as a file named by its id).
fn redact_messages_about(
    conn: &mut DbConnection,
    words: &[String],
    alias: &str,
) -> QueryResult<Vec<String>> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let contains = if conn.is_postgres() {
        "strpos(subject || ' ' || text_body || ' ' || html_body, $1) > 0"
    } else {
        "instr(subject || ' ' || text_body || ' ' || html_body, $1) > 0"
    };
    let mut found: Vec<super::outbox::OutboxRow> = Vec::new();
    for word in words {
        let rows: Vec<super::outbox::OutboxRow> =
            diesel::sql_query(format!("SELECT * FROM outbox WHERE {contains}"))
                .into_boxed::<MultiBackend>()
                .bind::<Text, _>(word)
                .load(conn)?;
        for row in rows {
            if !found.iter().any(|f| f.id == row.id) {
                found.push(row);
            }
        }
    }
    let replace = |text: &str| {
        words
            .iter()
            .fold(text.to_string(), |t, w| t.replace(w.as_str(), alias))
    };
    for row in &found {
        let waiting = matches!(
            row.status,
            crate::domain::OutboxStatus::Pending | crate::domain::OutboxStatus::Sending
        );
        let (text, html) = if waiting {
            (replace(&row.text_body), replace(&row.html_body))
        } else {
            (String::new(), String::new())
        };
        diesel::update(outbox::table.find(&row.id))
            .set((
                outbox::subject.eq(replace(&row.subject)),
                outbox::text_body.eq(text),
                outbox::html_body.eq(html),
            ))
            .execute(conn)?;
    }
    Ok(found.into_iter().map(|r| r.id).collect())
}

/// The requests ever assigned to the helper `id` and still naming them, oldest first.
pub fn jobs_of(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<super::requests::RequestRow>> {
    hr::table
        .filter(hr::helper_id.eq(id))
        .order((hr::created_at.asc(), hr::id.asc()))
        .select(super::requests::RequestRow::as_select())
        .load(conn)
}

/// Every offer made to the helper `id`, with its request, oldest first.
pub fn offers_of(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Vec<(super::offers::OfferRow, super::requests::RequestRow)>> {
    use super::schema::offers;
    offers::table
        .inner_join(hr::table)
        .filter(offers::helper_id.eq(id))
        .order((offers::created_at.asc(), offers::id.asc()))
        .select((
            super::offers::OfferRow::as_select(),
            super::requests::RequestRow::as_select(),
        ))
        .load(conn)
}

/// The standing requests whose regular helper is `id`.
pub fn series_helped_by(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Vec<super::series::SeriesRow>> {
    series::table
        .filter(series::helper_id.eq(id))
        .order((series::created_at.asc(), series::id.asc()))
        .select(super::series::SeriesRow::as_select())
        .load(conn)
}
