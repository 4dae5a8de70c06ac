//! The week's care of visits, people and time: confirmations, no-shows and withdrawals;
//! safeguarding concerns as counts; tokens bought and used, members low on time.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::sql::ratio;
use crate::db::DbConnection;
use crate::domain::{ConcernCategory, ConcernStatus, Urgency, VisitEnd};
use crate::reports::figures::{HelperNoShows, Membership, Safeguarding, Visits};

/// The week's tokens, time used, members low on time, memberships ending soon.
pub(super) fn membership(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
    minutes_per_token: i32,
) -> QueryResult<Membership> {
    use crate::db::schema::{ledger_entries as le, ledger_movements as lm, memberships as ms};
    use crate::domain::MovementKind;
    let per_token = i64::from(minutes_per_token.max(1));
    let moved: Vec<(MovementKind, i32, Option<i32>)> = lm::table
        .inner_join(le::table.on(le::movement_id.eq(lm::id)))
        .filter(lm::at.ge(s).and(lm::at.lt(e)))
        .filter(le::account.ne(crate::db::ledger::CIRCLE))
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
        .map(|m| crate::db::ledger::account_of(m))
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
    let lapsing =
        crate::db::ledger::renewals_due(conn, day, day + Duration::weeks(4))?.len() as i64;
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
pub(super) fn visits(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Visits> {
    use crate::db::schema::visits as v;
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
    let names = crate::db::users::name_map(conn, ids)?;
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
pub(super) fn safeguarding(
    conn: &mut DbConnection,
    s: NaiveDateTime,
    e: NaiveDateTime,
) -> QueryResult<Safeguarding> {
    use crate::db::schema::{concern_history as h, concerns as c};
    let raised: Vec<(ConcernCategory, Urgency)> = c::table
        .filter(c::created_at.ge(s).and(c::created_at.lt(e)))
        .select((c::category, c::urgency))
        .load(conn)?;
    let mut raised_by_category = BTreeMap::new();
    for (category, _) in &raised {
        *raised_by_category.entry(*category).or_insert(0) += 1;
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
        *by_status.entry(*status).or_insert(0) += 1;
    }
    Ok(Safeguarding {
        raised_by_category,
        by_status,
        urgent_raised: raised.iter().filter(|(_, u)| *u == Urgency::Urgent).count() as i64,
    })
}
