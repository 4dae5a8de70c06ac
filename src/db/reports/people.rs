//! The week's people: helpers' hours, who was busy or idle, applications and approvals; whether
//! members kept their helpers and how they rated them; new and active members.

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count, sum};
use diesel::prelude::*;
use diesel::sql_types::Timestamp;

use super::sql::{ratio, round4, sql_for, Cell};
use crate::db::schema::{feedback, help_requests as hr, helpers, members, users};
use crate::db::DbConnection;
use crate::domain::{RequestStatus, Role, VettingStatus, VETTING_NOTICE_DAYS};
use crate::reports::figures::{Helpers, Members, Relationships};

/// Helpers over `[s, e)`: hours given, busy and idle, applications, approvals, vetting running
/// out.
pub(super) fn helpers(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Helpers> {
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
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, 0 AS la, 0 AS lo FROM helpers h \
             WHERE h.vetting_status = '{}' \
             AND h.vetted_at < ? AND h.vetting_expires_on >= ? AND h.availability NOT LIKE '%\"weekly\":[]%' \
             AND NOT EXISTS (SELECT 1 FROM help_requests r WHERE r.helper_id = h.user_id \
                 AND r.scheduled_start >= ? AND r.scheduled_start < ?)",
            VettingStatus::Approved.as_str()
        ),
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
    Ok(Helpers {
        hours_delivered: minutes_delivered.unwrap_or(0) as f64 / 60.0,
        active,
        idle: idle.first().map(|c| c.n).unwrap_or(0),
        new_applications,
        approvals,
        vetting_expiring_within_30_days: expiring,
    })
}

/// Of the `completed` jobs of `[s, e)`, the share done by a helper who had helped that member
/// before; and the ratings given.
pub(super) fn relationships(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
    completed: i64,
) -> QueryResult<Relationships> {
    let continued_sql = sql_for(
        conn,
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, 0 AS la, 0 AS lo FROM help_requests r \
             WHERE r.completed_at >= ? AND r.completed_at < ? AND EXISTS (SELECT 1 FROM help_requests p \
                 WHERE p.member_id = r.member_id AND p.helper_id = r.helper_id AND p.status = '{}' \
                 AND p.completed_at < r.completed_at)",
            RequestStatus::Completed.as_str()
        ),
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
    Ok(Relationships {
        continuity_rate: ratio(continued, completed),
        average_rating: (ratings > 0)
            .then(|| round4(rating_sum.unwrap_or(0) as f64 / ratings as f64)),
        ratings,
    })
}

/// Members who joined in `[s, e)`, and those who asked for help in it.
pub(super) fn members(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Members> {
    let new: i64 = users::table
        .inner_join(members::table)
        .filter(users::created_at.ge(s).and(users::created_at.lt(e)))
        .count()
        .get_result(conn)?;
    let active: i64 = hr::table
        .filter(hr::created_at.ge(s).and(hr::created_at.lt(e)))
        .select(count(hr::member_id).aggregate_distinct())
        .first(conn)?;
    Ok(Members { new, active })
}
