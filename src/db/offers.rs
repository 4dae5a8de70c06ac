//! Offers of a job to helpers. Status: `open`, then `accepted`, `declined`, `lapsed` or
//! `withdrawn` (someone else took the job, or it was cancelled or expired).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::lists::any_of;
use super::schema::offers;
use super::DbConnection;
use crate::domain::OfferStatus;

// `None` is inserted as NULL, not DEFAULT, so that several rows go in one statement on SQLite
// (which has no DEFAULT keyword, and for which diesel would insert them one by one).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = offers, treat_none_as_default_value = false)]
pub struct OfferRow {
    pub id: String,
    pub request_id: String,
    pub helper_id: String,
    pub status: OfferStatus,
    pub score: f64,
    pub distance_km: f64,
    /// JSON of the matcher's reasons.
    pub reasons: String,
    /// When the helper could start, as the matcher found.
    pub start_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub responded_at: Option<NaiveDateTime>,
}

/// Insert these offers in one statement.
pub fn insert_all(conn: &mut DbConnection, rows: &[OfferRow]) -> QueryResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    insert_rows!(conn, offers::table, rows).map(|_| ())
}

pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OfferRow>> {
    offers::table
        .find(id)
        .select(OfferRow::as_select())
        .first(conn)
        .optional()
}

/// Open again the withdrawn offer this helper had for this request, with the new offer's
/// terms; false if they had none (or it was not withdrawn).
/// The withdrawn offer of `request_id` to `helper_id`, which [`reopen`] would make again.
pub fn withdrawn_of(
    conn: &mut DbConnection,
    request_id: &str,
    helper_id: &str,
) -> QueryResult<Option<OfferRow>> {
    offers::table
        .filter(offers::request_id.eq(request_id))
        .filter(offers::helper_id.eq(helper_id))
        .filter(offers::status.eq(OfferStatus::Withdrawn))
        .select(OfferRow::as_select())
        .first(conn)
        .optional()
}

pub fn reopen(conn: &mut DbConnection, offer: &OfferRow) -> QueryResult<bool> {
    let n = diesel::update(
        offers::table
            .filter(offers::request_id.eq(&offer.request_id))
            .filter(offers::helper_id.eq(&offer.helper_id))
            .filter(offers::status.eq(OfferStatus::Withdrawn)),
    )
    .set((
        offers::status.eq(OfferStatus::Open),
        offers::score.eq(offer.score),
        offers::distance_km.eq(offer.distance_km),
        offers::reasons.eq(&offer.reasons),
        offers::start_at.eq(offer.start_at),
        offers::created_at.eq(offer.created_at),
        offers::expires_at.eq(offer.expires_at),
        offers::responded_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The open offers of a request to these helpers, in one statement.
pub fn open_for(
    conn: &mut DbConnection,
    request_id: &str,
    helper_ids: &[&str],
) -> QueryResult<Vec<OfferRow>> {
    if helper_ids.is_empty() {
        return Ok(Vec::new());
    }
    offers::table
        .filter(offers::request_id.eq(request_id))
        .filter(any_of(offers::helper_id, helper_ids))
        .filter(offers::status.eq(OfferStatus::Open))
        .select(OfferRow::as_select())
        .load(conn)
}

/// Every offer of a request, oldest first.
pub fn for_request(conn: &mut DbConnection, request_id: &str) -> QueryResult<Vec<OfferRow>> {
    offers::table
        .filter(offers::request_id.eq(request_id))
        .order((offers::created_at.asc(), offers::id.asc()))
        .select(OfferRow::as_select())
        .load(conn)
}

/// Every helper offered this request, with their offer's status.
pub fn offered_helpers(
    conn: &mut DbConnection,
    request_id: &str,
) -> QueryResult<Vec<(String, OfferStatus)>> {
    offers::table
        .filter(offers::request_id.eq(request_id))
        .select((offers::helper_id, offers::status))
        .load(conn)
}

/// Helpers who have had an offer for this request in one of `statuses`.
pub fn helpers_offered(
    conn: &mut DbConnection,
    request_id: &str,
    statuses: &[OfferStatus],
) -> QueryResult<Vec<String>> {
    Ok(
        helpers_offered_each(conn, &[request_id.to_string()], statuses)?
            .into_iter()
            .map(|(_, h)| h)
            .collect(),
    )
}

/// [`helpers_offered`] for each of these requests: `(request, helper)`.
pub fn helpers_offered_each(
    conn: &mut DbConnection,
    request_ids: &[String],
    statuses: &[OfferStatus],
) -> QueryResult<Vec<(String, String)>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    offers::table
        .filter(any_of(offers::request_id, request_ids))
        .filter(any_of(offers::status, statuses))
        .select((offers::request_id, offers::helper_id))
        .load(conn)
}

pub fn open_count(
    conn: &mut DbConnection,
    request_id: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    offers::table
        .filter(offers::request_id.eq(request_id))
        .filter(offers::status.eq(OfferStatus::Open))
        .filter(offers::expires_at.gt(now))
        .count()
        .get_result(conn)
}

/// For each of these requests with open offers, when the first of them lapses.
pub fn first_lapse(
    conn: &mut DbConnection,
    request_ids: &[String],
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    if request_ids.is_empty() {
        return Ok(Vec::new());
    }
    offers::table
        .filter(any_of(offers::request_id, request_ids))
        .filter(offers::status.eq(OfferStatus::Open))
        .group_by(offers::request_id)
        .select((offers::request_id, diesel::dsl::min(offers::expires_at)))
        .load(conn)
}

pub struct InboxQuery<'a> {
    pub helper_id: &'a str,
    pub status: Option<OfferStatus>,
    pub after: Option<(NaiveDateTime, String)>,
    pub limit: i64,
}

/// A helper's offers, newest first.
pub fn inbox(conn: &mut DbConnection, q: &InboxQuery<'_>) -> QueryResult<Vec<OfferRow>> {
    let mut query = offers::table
        .filter(offers::helper_id.eq(q.helper_id.to_string()))
        .select(OfferRow::as_select())
        .into_boxed();
    if let Some(s) = q.status {
        query = query.filter(offers::status.eq(s));
    }
    if let Some((at, id)) = &q.after {
        query = query.filter(
            offers::created_at
                .lt(*at)
                .or(offers::created_at.eq(*at).and(offers::id.lt(id.clone()))),
        );
    }
    query
        .order((offers::created_at.desc(), offers::id.desc()))
        .limit(q.limit)
        .load(conn)
}

/// Move one offer from `open` to `to`; false if it was no longer open.
pub fn respond(
    conn: &mut DbConnection,
    id: &str,
    to: OfferStatus,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        offers::table
            .find(id)
            .filter(offers::status.eq(OfferStatus::Open)),
    )
    .set((offers::status.eq(to), offers::responded_at.eq(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Withdraw every open offer for a request.
pub fn withdraw_open(
    conn: &mut DbConnection,
    request_id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        offers::table
            .filter(offers::request_id.eq(request_id))
            .filter(offers::status.eq(OfferStatus::Open)),
    )
    .set((
        offers::status.eq(OfferStatus::Withdrawn),
        offers::responded_at.eq(at),
    ))
    .execute(conn)
}

/// Mark open offers past their time as lapsed; returns the requests they were for.
pub fn lapse_due(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<String>> {
    let due: Vec<(String, String)> = offers::table
        .filter(offers::status.eq(OfferStatus::Open))
        .filter(offers::expires_at.le(now))
        .select((offers::id, offers::request_id))
        .load(conn)?;
    let mut requests = Vec::new();
    for (id, request_id) in due {
        if respond(conn, &id, OfferStatus::Lapsed, now)? && !requests.contains(&request_id) {
            requests.push(request_id);
        }
    }
    Ok(requests)
}

/// Withdraw the open offers made to a helper for jobs whose whole window lies in
/// `from..until` (they cannot take them); returns the requests they were for.
pub fn withdraw_for_helper_within(
    conn: &mut DbConnection,
    helper_id: &str,
    from: NaiveDateTime,
    until: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    use super::schema::help_requests as hr;
    let open: Vec<(String, String)> = offers::table
        .inner_join(hr::table.on(hr::id.eq(offers::request_id)))
        .filter(offers::helper_id.eq(helper_id))
        .filter(offers::status.eq(OfferStatus::Open))
        .filter(hr::window_start.ge(from))
        .filter(hr::window_end.le(until))
        .select((offers::id, offers::request_id))
        .load(conn)?;
    let mut requests = Vec::new();
    for (id, request_id) in open {
        if respond(conn, &id, OfferStatus::Withdrawn, at)? {
            requests.push(request_id);
        }
    }
    Ok(requests)
}

/// Withdraw every open offer made to a helper; returns the requests they were for.
pub fn withdraw_for_helper(
    conn: &mut DbConnection,
    helper_id: &str,
    at: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let open: Vec<(String, String)> = offers::table
        .filter(offers::helper_id.eq(helper_id))
        .filter(offers::status.eq(OfferStatus::Open))
        .select((offers::id, offers::request_id))
        .load(conn)?;
    let mut requests = Vec::new();
    for (id, request_id) in open {
        if respond(conn, &id, OfferStatus::Withdrawn, at)? {
            requests.push(request_id);
        }
    }
    Ok(requests)
}
