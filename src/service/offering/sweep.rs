//! The periodic sweep: lapse offers past their time and re-offer, expire requests whose window
//! has passed. Safe to run in several processes at once: every step is a conditional update.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::flow::offer_next;
use crate::config::Settings;
use crate::db::{self, DbConnection};
use crate::domain::AuditAction;
use crate::domain::RequestStatus;
use crate::service::Result;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub lapsed_for: usize,
    pub reoffered: usize,
    pub expired: usize,
}

pub fn sweep(
    conn: &mut DbConnection,
    settings: &Settings,
    now: NaiveDateTime,
) -> Result<SweepReport> {
    let mut report = SweepReport::default();
    for row in db::requests::past_due(conn, now)? {
        if db::requests::set_status(conn, &row.id, row.status(), RequestStatus::Expired)? {
            db::offers::withdraw_open(conn, &row.id, now)?;
            db::audit::record(conn, now, None, AuditAction::RequestExpired, &row.id, None)?;
            report.expired += 1;
        }
    }
    let lapsed = db::offers::lapse_due(conn, now)?;
    report.lapsed_for = lapsed.len();
    for request_id in lapsed {
        if offer_next(conn, settings, &request_id, now)? > 0 {
            report.reoffered += 1;
        }
    }
    Ok(report)
}
