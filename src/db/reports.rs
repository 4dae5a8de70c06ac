//! The weekly report's figures, aggregated in SQL: counts and sums by index range scans, medians and
//! percentiles by `ORDER BY … LIMIT 1 OFFSET k`; no rows are loaded to be counted in memory.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count, count_star, sum};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::{feedback, help_requests as hr, helpers, members, users};
use super::DbConnection;
use crate::domain::area::{Area, CELL_LAT, CELL_LON};
use crate::domain::{
    Category, ConcernCategory, ConcernStatus, Location, Role, Urgency, VettingStatus, VisitEnd,
    VETTING_NOTICE_DAYS,
};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusCounts {
    /// Asked for during the week.
    pub created: i64,
    /// Given a helper during the week.
    pub assigned: i64,
    /// Done during the week.
    pub completed: i64,
    /// Cancelled during the week.
    pub cancelled: i64,
    /// Whose window ended during the week with no helper.
    pub expired: i64,
    /// Still without a helper when the week ended (not cancelled or expired).
    pub open: i64,
}

impl StatusCounts {
    /// Each count with its name, in a fixed order.
    pub fn named(&self) -> [(&'static str, i64); 6] {
        [
            ("created", self.created),
            ("assigned", self.assigned),
            ("completed", self.completed),
            ("cancelled", self.cancelled),
            ("expired", self.expired),
            ("open", self.open),
        ]
    }
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Requests {
    pub by_category: BTreeMap<String, StatusCounts>,
    pub totals: StatusCounts,
    /// Of the requests created in the week, the share with a helper by the week's end.
    pub match_rate: Option<f64>,
    /// Minutes from asking to having a helper, for requests assigned in the week.
    pub median_minutes_to_assignment: Option<f64>,
    pub p90_minutes_to_assignment: Option<f64>,
    /// Between the helper's home and the job, for requests assigned in the week.
    pub median_distance_km: Option<f64>,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Helpers {
    /// Minutes spent on jobs completed in the week, in hours.
    pub hours_delivered: f64,
    /// Helpers who completed at least one job in the week.
    pub active: i64,
    /// Approved, with valid vetting and weekly availability, but given no job in the week.
    pub idle: i64,
    pub new_applications: i64,
    pub approvals: i64,
    /// Approved helpers whose vetting runs out within 30 days of the week's end.
    pub vetting_expiring_within_30_days: i64,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Relationships {
    /// Of the jobs completed in the week, the share done by a helper who had helped that member before.
    pub continuity_rate: Option<f64>,
    /// Ratings given in the week.
    pub average_rating: Option<f64>,
    pub ratings: i64,
}

/// Unmet requests in one area: the same cells, with the same label, as offers' `area`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AreaCount {
    /// The cell's centre, `lat, lon` to four places.
    #[schema(example = "51.4825, -0.0880")]
    pub area: String,
    /// The area as people name it: the postcode district nearest its centre ("SE15"), when
    /// postcodes are loaded.
    pub area_name: Option<String>,
    pub center: Location,
    /// About how wide the cell is, in metres.
    pub cell_size_m: u32,
    pub count: i64,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Unmet {
    /// Open at the week's end plus expired in the week, by category.
    pub by_category: BTreeMap<String, i64>,
    /// The same, by area, most first.
    pub by_area: Vec<AreaCount>,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Members {
    pub new: i64,
    /// Members who asked for help in the week.
    pub active: i64,
}

/// A helper and how many visits they did not come to.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HelperNoShows {
    pub helper_id: String,
    pub name: String,
    pub no_shows: i64,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Visits {
    /// Helpers asked in the week to confirm a visit.
    pub asked_to_confirm: i64,
    /// Of those, how many confirmed.
    pub confirmed: i64,
    /// `confirmed / asked_to_confirm`; null when nobody was asked.
    pub confirmation_rate: Option<f64>,
    /// Visits the helper did not come to, reported in the week.
    pub no_shows: i64,
    /// Withdrawals in the week, and those less than a day before the start.
    pub withdrawals: i64,
    pub late_withdrawals: i64,
    /// Visits passed on in the week because their helper never confirmed.
    pub unconfirmed_passed_on: i64,
    /// Helpers with two or more no-shows in the twelve weeks to the week's end, most first.
    pub repeated_no_shows: Vec<HelperNoShows>,
}

/// Safeguarding concerns as counts only: never who, never what.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Safeguarding {
    /// Raised in the week, by category.
    pub raised_by_category: BTreeMap<String, i64>,
    /// Every concern raised by the week's end, by where it stood then.
    pub by_status: BTreeMap<String, i64>,
    pub urgent_raised: i64,
}

/// Time and money: tokens bought, time used, who is running low, whose membership ends soon.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Membership {
    /// Tokens bought in the week (by members, or for them as gifts).
    pub tokens_sold: i64,
    /// What was paid for them, in pence.
    pub amount_pence: i64,
    /// Minutes debited for visits done in the week.
    pub minutes_used: i64,
    /// Members whose membership was active at the week's end and whose balance then was under
    /// one token.
    pub members_below_one_token: i64,
    /// Members whose latest membership ends in the four weeks after the week's end.
    pub memberships_lapsing: i64,
}

/// Social events that started in the week.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Events {
    pub held: i64,
    /// Places taken (members going) at them.
    pub places_taken: i64,
    /// Members recorded as having come.
    pub attended: i64,
}

#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct Figures {
    pub requests: Requests,
    pub helpers: Helpers,
    pub relationships: Relationships,
    pub unmet: Unmet,
    pub members: Members,
    pub visits: Visits,
    pub safeguarding: Safeguarding,
    pub membership: Membership,
    pub events: Events,
}

/// The week's tokens, time used, members low on time, memberships ending soon.
fn membership_figures(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
    minutes_per_token: i32,
) -> QueryResult<Membership> {
    use super::schema::{ledger_entries as le, ledger_movements as lm, memberships as ms};
    use crate::domain::MovementKind;
    let per_token = i64::from(minutes_per_token.max(1));
    let moved: Vec<(MovementKind, i32, Option<i32>)> = lm::table
        .inner_join(le::table.on(le::movement_id.eq(lm::id)))
        .filter(lm::at.ge(s).and(lm::at.lt(e)))
        .filter(le::account.ne(super::ledger::CIRCLE))
        .filter(lm::kind.ne(MovementKind::Adjustment))
        .select((lm::kind, le::minutes, lm::amount_pence))
        .load(conn)?;
    let (mut sold, mut pence, mut used) = (0i64, 0i64, 0i64);
    for (kind, minutes, amount) in moved {
        match kind {
            MovementKind::Credit => {
                sold += i64::from(minutes);
                pence += i64::from(amount.unwrap_or(0));
            }
            MovementKind::Debit => used -= i64::from(minutes),
            MovementKind::Adjustment => {}
        }
    }
    let day = e.date();
    let active: Vec<String> = ms::table
        .filter(ms::starts_on.le(day).and(ms::ends_on.ge(day)))
        .select(ms::member_id)
        .distinct()
        .load(conn)?;
    let accounts: Vec<String> = active
        .iter()
        .map(|m| super::ledger::account_of(m))
        .collect();
    let balances: Vec<(String, Option<i64>)> = le::table
        .filter(le::account.eq_any(&accounts))
        .filter(le::at.lt(e))
        .group_by(le::account)
        .select((le::account, diesel::dsl::sum(le::minutes)))
        .load(conn)?;
    let above = balances
        .iter()
        .filter(|(_, b)| b.unwrap_or(0) >= per_token)
        .count() as i64;
    let lapsing = super::ledger::renewals_due(conn, day, day + Duration::weeks(4))?.len() as i64;
    Ok(Membership {
        tokens_sold: sold / per_token,
        amount_pence: pence,
        minutes_used: used,
        members_below_one_token: active.len() as i64 - above,
        memberships_lapsing: lapsing,
    })
}

/// The week's visits: confirmations, no-shows, withdrawals, and the helpers who repeatedly did
/// not come.
fn visits_figures(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Visits> {
    use super::schema::visits as v;
    let asked: i64 = v::table
        .filter(v::confirm_asked_at.ge(s).and(v::confirm_asked_at.lt(e)))
        .count()
        .get_result(conn)?;
    let confirmed: i64 = v::table
        .filter(v::confirm_asked_at.ge(s).and(v::confirm_asked_at.lt(e)))
        .filter(v::confirmed_at.is_not_null())
        .count()
        .get_result(conn)?;
    let ended: Vec<(Option<VisitEnd>, i64)> = v::table
        .filter(v::ended_at.ge(s).and(v::ended_at.lt(e)))
        .group_by(v::ended)
        .select((v::ended, count_star()))
        .load(conn)?;
    let n = |what: VisitEnd| {
        ended
            .iter()
            .find(|(k, _)| *k == Some(what))
            .map_or(0, |(_, n)| *n)
    };
    let counted: Vec<(String, i64)> = v::table
        .filter(v::ended.eq(VisitEnd::NoShow))
        .filter(
            v::ended_at
                .ge(e - Duration::weeks(12))
                .and(v::ended_at.lt(e)),
        )
        .group_by(v::helper_id)
        .select((v::helper_id, count_star()))
        .load(conn)?;
    let repeated: Vec<(String, i64)> = counted.into_iter().filter(|(_, n)| *n >= 2).collect();
    let ids: Vec<String> = repeated.iter().map(|(id, _)| id.clone()).collect();
    let names = super::users::name_map(conn, ids)?;
    let mut repeated_no_shows: Vec<HelperNoShows> = repeated
        .into_iter()
        .map(|(helper_id, no_shows)| HelperNoShows {
            name: names.get(&helper_id).cloned().unwrap_or_default(),
            helper_id,
            no_shows,
        })
        .collect();
    repeated_no_shows.sort_by(|a, b| b.no_shows.cmp(&a.no_shows).then(a.name.cmp(&b.name)));
    Ok(Visits {
        asked_to_confirm: asked,
        confirmed,
        confirmation_rate: ratio(confirmed, asked),
        no_shows: n(VisitEnd::NoShow),
        withdrawals: n(VisitEnd::Withdrew) + n(VisitEnd::WithdrewLate),
        late_withdrawals: n(VisitEnd::WithdrewLate),
        unconfirmed_passed_on: n(VisitEnd::Unconfirmed),
        repeated_no_shows,
    })
}

/// Concerns as counts by category and status (the status each had at the week's end).
fn safeguarding_figures(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Safeguarding> {
    use super::schema::{concern_history as h, concerns as c};
    let raised: Vec<(ConcernCategory, Urgency)> = c::table
        .filter(c::created_at.ge(s).and(c::created_at.lt(e)))
        .select((c::category, c::urgency))
        .load(conn)?;
    let mut raised_by_category = BTreeMap::new();
    for (category, _) in &raised {
        *raised_by_category
            .entry(category.as_str().to_string())
            .or_insert(0) += 1;
    }
    // Each concern's latest step by the week's end.
    let steps: Vec<(String, i32, ConcernStatus)> = h::table
        .filter(h::at.lt(e))
        .select((h::concern_id, h::seq, h::status))
        .load(conn)?;
    let mut latest: BTreeMap<String, (i32, ConcernStatus)> = BTreeMap::new();
    for (id, seq, status) in steps {
        let entry = latest.entry(id).or_insert((seq, status));
        if seq >= entry.0 {
            *entry = (seq, status);
        }
    }
    let mut by_status = BTreeMap::new();
    for (_, status) in latest.values() {
        *by_status.entry(status.as_str().to_string()).or_insert(0) += 1;
    }
    Ok(Safeguarding {
        raised_by_category,
        by_status,
        urgent_raised: raised.iter().filter(|(_, u)| *u == Urgency::Urgent).count() as i64,
    })
}

/// Rewrite `?` placeholders for PostgreSQL (`$1`, `$2`, …).
fn sql_for(conn: &DbConnection, sql: &str) -> String {
    if !conn.is_postgres() {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// `floor(expr)` as an integer: PostgreSQL's FLOOR; SQLite (whose FLOOR needs the optional math
/// functions) truncates and steps down for negative values.
fn floor_int(conn: &DbConnection, expr: &str) -> String {
    if conn.is_postgres() {
        format!("CAST(FLOOR({expr}) AS INTEGER)")
    } else {
        format!("(CAST({expr} AS INTEGER) - (({expr}) < CAST({expr} AS INTEGER)))")
    }
}

fn minutes_between(conn: &DbConnection, later: &str, earlier: &str) -> String {
    if conn.is_postgres() {
        format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) / 60.0 AS DOUBLE PRECISION)")
    } else {
        format!("((julianday({later}) - julianday({earlier})) * 1440.0)")
    }
}

#[derive(QueryableByName)]
struct Value {
    #[diesel(sql_type = Nullable<Double>)]
    v: Option<f64>,
}

#[derive(QueryableByName)]
struct Cell {
    #[diesel(sql_type = Integer)]
    la: i32,
    #[diesel(sql_type = Integer)]
    lo: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The `k`-th smallest of `expr` over rows matching `filter` (two timestamp binds).
fn nth(
    conn: &mut DbConnection,
    expr: &str,
    filter: &str,
    s: NaiveDateTime,
    e: NaiveDateTime,
    k: i64,
) -> QueryResult<Option<f64>> {
    let sql = sql_for(
        conn,
        &format!(
            "SELECT {expr} AS v FROM help_requests WHERE {filter} ORDER BY 1 LIMIT 1 OFFSET {k}"
        ),
    );
    let rows: Vec<Value> = diesel::sql_query(sql)
        .bind::<Timestamp, _>(s)
        .bind::<Timestamp, _>(e)
        .load(conn)?;
    Ok(rows.first().and_then(|r| r.v))
}

/// Median (mean of the two middle values) and 90th percentile (nearest rank) of `expr`.
fn median_p90(
    conn: &mut DbConnection,
    expr: &str,
    filter: &str,
    s: NaiveDateTime,
    e: NaiveDateTime,
    n: i64,
) -> QueryResult<(Option<f64>, Option<f64>)> {
    if n == 0 {
        return Ok((None, None));
    }
    let lo = nth(conn, expr, filter, s, e, (n - 1) / 2)?;
    let hi = nth(conn, expr, filter, s, e, n / 2)?;
    let median = lo.zip(hi).map(|(a, b)| (a + b) / 2.0);
    let rank = ((0.9 * n as f64).ceil() as i64).clamp(1, n) - 1;
    Ok((median, nth(conn, expr, filter, s, e, rank)?))
}

fn by_category(rows: Vec<(String, i64)>) -> BTreeMap<String, i64> {
    rows.into_iter().collect()
}

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| round4(a as f64 / b as f64))
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Every figure for `[s, e)`.
pub fn compute(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
    minutes_per_token: i32,
) -> QueryResult<Figures> {
    let in_week = |col: hr::created_at| col.ge(s).and(col.lt(e));
    let created = by_category(
        hr::table
            .filter(in_week(hr::created_at))
            .group_by(hr::category)
            .select((hr::category, count_star()))
            .load(conn)?,
    );
    let assigned = by_category(
        hr::table
            .filter(hr::assigned_at.ge(s).and(hr::assigned_at.lt(e)))
            .group_by(hr::category)
            .select((hr::category, count_star()))
            .load(conn)?,
    );
    let completed = by_category(
        hr::table
            .filter(hr::completed_at.ge(s).and(hr::completed_at.lt(e)))
            .group_by(hr::category)
            .select((hr::category, count_star()))
            .load(conn)?,
    );
    let cancelled = by_category(
        hr::table
            .filter(hr::cancelled_at.ge(s).and(hr::cancelled_at.lt(e)))
            .group_by(hr::category)
            .select((hr::category, count_star()))
            .load(conn)?,
    );
    let expired = by_category(
        hr::table
            .filter(hr::status.eq("expired"))
            .filter(hr::window_end.ge(s).and(hr::window_end.lt(e)))
            .group_by(hr::category)
            .select((hr::category, count_star()))
            .load(conn)?,
    );
    // Open at the week's end: asked before it ended, its window still running, and by then
    // neither given a helper nor cancelled. (A window that ended in the week without a helper is
    // counted as expired.)
    // On SQLite the unary `+` keeps the planner on the window_end index: requests still running at
    // the week's end are few, requests created before it are most of the table.
    let created_col = if conn.is_postgres() {
        "created_at"
    } else {
        "+created_at"
    };
    let open_filter = format!(
        "{created_col} < ?2 AND window_end >= ?2 AND (assigned_at IS NULL OR assigned_at >= ?2) \
         AND (cancelled_at IS NULL OR cancelled_at >= ?2)"
    );
    let open_filter = open_filter.as_str();
    let open: BTreeMap<String, i64> = {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            category: String,
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let sql = format!(
            "SELECT category, COUNT(*) AS n FROM help_requests WHERE {} GROUP BY category",
            open_filter.replace("?2", "?")
        );
        let sql = sql_for(conn, &sql);
        let mut q = diesel::sql_query(sql).into_boxed();
        for _ in 0..open_filter.matches("?2").count() {
            q = q.bind::<Timestamp, _>(e);
        }
        q.load::<Row>(conn)?
            .into_iter()
            .map(|r| (r.category, r.n))
            .collect()
    };

    let mut by_cat: BTreeMap<String, StatusCounts> = BTreeMap::new();
    for c in Category::ALL {
        let k = c.as_str();
        let g = |m: &BTreeMap<String, i64>| m.get(k).copied().unwrap_or(0);
        let counts = StatusCounts {
            created: g(&created),
            assigned: g(&assigned),
            completed: g(&completed),
            cancelled: g(&cancelled),
            expired: g(&expired),
            open: g(&open),
        };
        if counts != StatusCounts::default() {
            by_cat.insert(k.to_string(), counts);
        }
    }
    let mut totals = StatusCounts::default();
    for c in by_cat.values() {
        totals.created += c.created;
        totals.assigned += c.assigned;
        totals.completed += c.completed;
        totals.cancelled += c.cancelled;
        totals.expired += c.expired;
        totals.open += c.open;
    }

    let matched: i64 = hr::table
        .filter(in_week(hr::created_at))
        .filter(hr::assigned_at.lt(e))
        .count()
        .get_result(conn)?;
    let assigned_filter = "assigned_at >= ? AND assigned_at < ?";
    let minutes = minutes_between(conn, "assigned_at", "created_at");
    let (median_minutes, p90_minutes) =
        median_p90(conn, &minutes, assigned_filter, s, e, totals.assigned)?;
    let with_distance: i64 = hr::table
        .filter(hr::assigned_at.ge(s).and(hr::assigned_at.lt(e)))
        .filter(hr::assigned_distance_km.is_not_null())
        .count()
        .get_result(conn)?;
    let (median_distance, _) = median_p90(
        conn,
        "assigned_distance_km",
        "assigned_at >= ? AND assigned_at < ? AND assigned_distance_km IS NOT NULL",
        s,
        e,
        with_distance,
    )?;

    // Helpers.
    let (minutes_delivered, active): (Option<i64>, i64) = hr::table
        .filter(hr::completed_at.ge(s).and(hr::completed_at.lt(e)))
        .select((
            sum(hr::minutes_spent),
            count(hr::helper_id).aggregate_distinct(),
        ))
        .first(conn)?;
    let week_end_day = (e - Duration::seconds(1)).date();
    let idle_sql = sql_for(
        conn,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, 0 AS la, 0 AS lo FROM helpers h WHERE h.vetting_status = 'approved' \
         AND h.vetted_at < ? AND h.vetting_expires_on >= ? AND h.availability NOT LIKE '%\"weekly\":[]%' \
         AND NOT EXISTS (SELECT 1 FROM help_requests r WHERE r.helper_id = h.user_id \
             AND r.scheduled_start >= ? AND r.scheduled_start < ?)",
    );
    let idle: Vec<Cell> = diesel::sql_query(idle_sql)
        .bind::<Timestamp, _>(e)
        .bind::<diesel::sql_types::Date, _>(week_end_day)
        .bind::<Timestamp, _>(s)
        .bind::<Timestamp, _>(e)
        .load(conn)?;
    let new_applications: i64 = users::table
        .filter(users::role.eq(Role::Helper))
        .filter(users::created_at.ge(s).and(users::created_at.lt(e)))
        .count()
        .get_result(conn)?;
    let approvals: i64 = helpers::table
        .filter(helpers::vetting_status.eq(VettingStatus::Approved))
        .filter(helpers::vetted_at.ge(s).and(helpers::vetted_at.lt(e)))
        .count()
        .get_result(conn)?;
    let expiring: i64 = helpers::table
        .filter(helpers::vetting_status.eq(VettingStatus::Approved))
        .filter(helpers::vetted_at.lt(e))
        .filter(helpers::vetting_expires_on.ge(week_end_day))
        .filter(helpers::vetting_expires_on.le(week_end_day + Duration::days(VETTING_NOTICE_DAYS)))
        .count()
        .get_result(conn)?;

    // Relationships.
    let continued_sql = sql_for(
        conn,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, 0 AS la, 0 AS lo FROM help_requests r \
         WHERE r.completed_at >= ? AND r.completed_at < ? AND EXISTS (SELECT 1 FROM help_requests p \
             WHERE p.member_id = r.member_id AND p.helper_id = r.helper_id AND p.status = 'completed' \
             AND p.completed_at < r.completed_at)",
    );
    let continued: Vec<Cell> = diesel::sql_query(continued_sql)
        .bind::<Timestamp, _>(s)
        .bind::<Timestamp, _>(e)
        .load(conn)?;
    let continued = continued.first().map(|c| c.n).unwrap_or(0);
    let (rating_sum, ratings): (Option<i64>, i64) = feedback::table
        .filter(feedback::created_at.ge(s).and(feedback::created_at.lt(e)))
        .select((sum(feedback::rating), count(feedback::rating)))
        .first(conn)?;

    // Unmet demand.
    let mut unmet_by_category = BTreeMap::new();
    for (k, c) in &by_cat {
        if c.open + c.expired > 0 {
            unmet_by_category.insert(k.clone(), c.open + c.expired);
        }
    }
    let (row, col) = (
        floor_int(conn, &format!("lat / {CELL_LAT}")),
        floor_int(conn, &format!("lon / {CELL_LON}")),
    );
    let area_sql = sql_for(
        conn,
        &format!(
            "SELECT {row} AS la, {col} AS lo, \
             CAST(COUNT(*) AS BIGINT) AS n FROM help_requests \
             WHERE ({}) OR (status = 'expired' AND window_end >= ? AND window_end < ?) \
             GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20",
            open_filter.replace("?2", "?")
        ),
    );
    let mut q = diesel::sql_query(area_sql).into_boxed();
    for _ in 0..open_filter.matches("?2").count() {
        q = q.bind::<Timestamp, _>(e);
    }
    let cells: Vec<Cell> = q
        .bind::<Timestamp, _>(s)
        .bind::<Timestamp, _>(e)
        .load(conn)?;
    let by_area = cells
        .into_iter()
        .map(|c| {
            let area = Area::of_cell(c.la.into(), c.lo.into());
            Ok(AreaCount {
                area: area.label(),
                area_name: super::places::nearest_district(conn, area.center)?,
                center: area.center,
                cell_size_m: area.cell_size_m,
                count: c.n,
            })
        })
        .collect::<QueryResult<Vec<_>>>()?;

    // Members.
    let new_members: i64 = users::table
        .inner_join(members::table)
        .filter(users::created_at.ge(s).and(users::created_at.lt(e)))
        .count()
        .get_result(conn)?;
    let active_members: i64 = hr::table
        .filter(in_week(hr::created_at))
        .select(count(hr::member_id).aggregate_distinct())
        .first(conn)?;

    let visits = visits_figures(conn, s, e)?;
    let safeguarding = safeguarding_figures(conn, s, e)?;
    let membership = membership_figures(conn, s, e, minutes_per_token)?;
    let (held, places_taken, attended) = super::events::week_figures(conn, s, e)?;
    Ok(Figures {
        requests: Requests {
            match_rate: ratio(matched, totals.created),
            median_minutes_to_assignment: median_minutes.map(|m| (m * 10.0).round() / 10.0),
            p90_minutes_to_assignment: p90_minutes.map(|m| (m * 10.0).round() / 10.0),
            median_distance_km: median_distance.map(|d| (d * 1000.0).round() / 1000.0),
            by_category: by_cat,
            totals,
        },
        helpers: Helpers {
            hours_delivered: minutes_delivered.unwrap_or(0) as f64 / 60.0,
            active,
            idle: idle.first().map(|c| c.n).unwrap_or(0),
            new_applications,
            approvals,
            vetting_expiring_within_30_days: expiring,
        },
        relationships: Relationships {
            continuity_rate: ratio(continued, totals.completed),
            average_rating: (ratings > 0)
                .then(|| round4(rating_sum.unwrap_or(0) as f64 / ratings as f64)),
            ratings,
        },
        unmet: Unmet {
            by_category: unmet_by_category,
            by_area,
        },
        members: Members {
            new: new_members,
            active: active_members,
        },
        visits,
        safeguarding,
        membership,
        events: Events {
            held,
            places_taken,
            attended,
        },
    })
}
