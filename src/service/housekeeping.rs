//! The periodic sweep a server runs: lapse offers and re-offer, expire requests, make standing
//! requests' occurrences, ask helpers to confirm their visits (and pass on those who do not),
//! remind those going to tomorrow's events, members whose membership ends soon and helpers whose
//! vetting runs out, queue the scheduled weekly report, prune old records.
//! Safe in several processes at once.

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
    let now = svc.now();
    let report = sweep_offers(svc, now)?;
    super::visits::sweep(svc, now)?;
    super::series::make_occurrences(svc, now)?;
    super::events::remind(svc, now)?;
    svc.write(|c| {
        crate::notify::events::vetting_reminders(c, now.date(), now)?;
        let days = svc.settings.membership.remind_days_before;
        crate::notify::events::membership_reminders(c, now.date(), days, now)?;
        super::reports::queue_scheduled(c, &svc.settings, now.and_utc())?;
        Ok(())
    })?;
    let window = chrono::Duration::seconds(svc.settings.auth.login_failure_window_secs);
    let keep_bodies = chrono::Duration::days(svc.settings.email.keep_sent_days);
    svc.write(|c| Ok(db::housekeeping::prune(c, now, window, keep_bodies)?))?;
    crate::notify::transport::prune_copies(&svc.settings.email, std::time::SystemTime::now());
    Ok(report)
}

/// Does the database answer? (`/health`)
pub fn database_answers(svc: &Services) -> Result<()> {
    svc.read(|c| db::ping(c).map_err(super::Error::unavailable))
}

/// The metrics as Prometheus text, with the gauges read now: the pool, the outbox, requests by
/// status.
pub fn metrics_text(svc: &Services) -> Result<String> {
    let m = &svc.metrics;
    let pool = svc.pool.state();
    let idle = i64::from(pool.idle_connections);
    m.pool_connections
        .with_label_values(&["in_use"])
        .set(i64::from(pool.connections) - idle);
    m.pool_connections.with_label_values(&["idle"]).set(idle);
    let (outbox, requests) = svc.read(|c| {
        Ok((
            db::outbox::count_by_status(c)?,
            db::requests::count_by_status(c)?,
        ))
    })?;
    for status in crate::domain::OutboxStatus::ALL {
        let n = outbox
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n);
        m.outbox_emails.with_label_values(&[status.as_str()]).set(n);
    }
    for status in crate::domain::RequestStatus::ALL {
        let n = requests
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n);
        m.requests.with_label_values(&[status.as_str()]).set(n);
    }
    Ok(m.render())
}
