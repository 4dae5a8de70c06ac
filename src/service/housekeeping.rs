//! The periodic sweep a server runs: lapse offers and re-offer, expire requests, remind helpers
//! whose vetting runs out, queue the scheduled weekly report, prune old records. Safe in several
//! processes at once.

use chrono::NaiveDateTime;

use super::offering::sweep::{self, SweepReport};
use super::{Result, Services};
use crate::db;

/// Lapse and re-offer, and expire, as at `now` (tests move the clock).
pub fn sweep_offers(svc: &Services, now: NaiveDateTime) -> Result<SweepReport> {
    svc.write(|c| sweep::sweep(c, &svc.settings, now))
}

/// One tick of the sweep, each step in a transaction of its own.
pub fn tick(svc: &Services) -> Result<SweepReport> {
    let now = db::now();
    let report = sweep_offers(svc, now)?;
    svc.write(|c| {
        crate::notify::events::vetting_reminders(c, now.date(), now)?;
        super::reports::queue_scheduled(c, &svc.settings, now.and_utc())?;
        Ok(())
    })?;
    let window = chrono::Duration::seconds(svc.settings.auth.login_failure_window_secs);
    svc.write(|c| Ok(db::housekeeping::prune(c, now, window)?))?;
    Ok(report)
}

/// Does the database answer? (`/health`)
pub fn database_answers(svc: &Services) -> Result<()> {
    svc.read(|c| db::ping(c).map_err(super::Error::unavailable))
}
