//! A coordinator's batch run: match every open request at once and offer each proposal.

use super::offering::batch::{self, BatchRun};
use super::{Result, Services};
use crate::db;
use crate::domain::{AuditAction, Caller};

/// Propose (and unless `dry_run`, offer) an assignment of every open request.
pub fn run_batch(svc: &Services, caller: &Caller, dry_run: bool) -> Result<BatchRun> {
    super::coordinators_only(caller)?;
    svc.write(|c| {
        let result = batch::run(c, &svc.settings, dry_run, svc.now())?;
        if !dry_run {
            let detail = format!("{} offers", result.proposals.len());
            db::audit::record(
                c,
                svc.now(),
                Some(caller.id.as_str()),
                AuditAction::MatchingBatchRun,
                "matching",
                Some(&detail),
            )?;
        }
        Ok(result)
    })
}
