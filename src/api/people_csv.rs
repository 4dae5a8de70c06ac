//! The members and helpers lists as CSV files a coordinator opens in a spreadsheet, in words:
//! membership and vetting as sentences with dates, kinds of help by name, no ids or coordinates.
//! (`GET /members` and `GET /helpers` with `Accept: text/csv`, the same filters as the lists.)

use std::fmt::Write;

use chrono::NaiveDate;

use crate::csv::{optional_cell, text_cell};
use crate::domain::VettingStatus;
use crate::service::pagination::OffsetPaging;
use crate::service::views::{HelperView, MemberView};

/// At most this many lines in one file.
pub const MOST: i64 = 5000;

/// The whole list, for a file.
pub fn all() -> OffsetPaging {
    OffsetPaging {
        limit: MOST,
        offset: 0,
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn account(active: bool) -> &'static str {
    if active {
        "Open"
    } else {
        "Closed"
    }
}

/// `Name,Phone,Email,Address,Membership,Account`.
pub fn members(list: &[MemberView], today: NaiveDate) -> String {
    let mut out = String::from("Name,Phone,Email,Address,Membership,Account\n");
    for m in list {
        let membership = match m.membership_ends_on {
            None => "None".to_string(),
            Some(d) if d >= today => format!("Until {}", day(d)),
            Some(d) => format!("Ended {}", day(d)),
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            text_cell(&m.name),
            optional_cell(m.phone.as_deref()),
            optional_cell(m.email.as_deref()),
            text_cell(&m.address),
            text_cell(&membership),
            account(m.active),
        );
    }
    out
}

/// `Name,Phone,Email,Vetting,Helps with,Travels up to (km),Account`.
pub fn helpers(list: &[HelperView]) -> String {
    let mut out = String::from("Name,Phone,Email,Vetting,Helps with,Travels up to (km),Account\n");
    for h in list {
        let vetting = match (h.vetting.status, h.vetting.expires_on) {
            (VettingStatus::Approved, Some(d)) => format!("Approved until {}", day(d)),
            (VettingStatus::Approved, None) => "Approved".to_string(),
            (VettingStatus::Pending, _) => "Waiting to be checked".to_string(),
            (VettingStatus::Rejected, _) => "Not accepted".to_string(),
            (VettingStatus::Suspended, _) => "Suspended".to_string(),
        };
        let skills: Vec<&str> = h.skills.iter().map(|c| c.label()).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            text_cell(&h.name),
            optional_cell(h.phone.as_deref()),
            optional_cell(h.email.as_deref()),
            text_cell(&vetting),
            text_cell(&skills.join(", ")),
            h.max_distance_km,
            account(h.active),
        );
    }
    out
}
