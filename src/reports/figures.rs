//! The weekly report's figures for one week: requests, helpers, relationships, unmet demand,
//! members, visits, safeguarding, membership and events, each keyed by the service's own enums.
//! Computed in SQL by `db::reports`.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Category, ConcernCategory, ConcernStatus, Location};

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
    pub by_category: BTreeMap<Category, StatusCounts>,
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
    pub by_category: BTreeMap<Category, i64>,
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
    pub raised_by_category: BTreeMap<ConcernCategory, i64>,
    /// Every concern raised by the week's end, by where it stood then.
    pub by_status: BTreeMap<ConcernStatus, i64>,
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
