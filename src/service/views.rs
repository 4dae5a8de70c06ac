//! What the use cases answer with: views built from rows, with times as RFC 3339 UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::helpers::HelperRow;
use crate::db::members::MemberRow;
use crate::db::requests::RequestRow;
use crate::db::users::UserRow;
use crate::domain::{Availability, Category, Location, RequestStatus, TimeWindow, VettingStatus};

pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub location: Location,
    /// False once a coordinator has deactivated the account.
    pub active: bool,
    /// What a helper at the door needs to know ("knock loudly"); the assigned helper sees it
    /// while the visit is theirs.
    pub access_needs: Option<String>,
    /// Who to ring in an emergency.
    pub emergency_contact: Option<EmergencyContact>,
    /// The day their latest membership ends (coordinators' lists and the member's own
    /// profile); `null` when they have never had one.
    #[schema(value_type = Option<String>, format = Date)]
    pub membership_ends_on: Option<chrono::NaiveDate>,
    /// How to reach them, in order: as set, or what their details give (email, then a text to a
    /// UK mobile, then a call).
    pub contact_by: Vec<crate::domain::Channel>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
}

/// Who to ring in an emergency: for the member and coordinators.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct EmergencyContact {
    pub name: String,
    pub phone: String,
    /// How they are related ("daughter", "neighbour").
    pub relation: Option<String>,
}

impl MemberView {
    pub fn new(user: UserRow, member: MemberRow) -> Self {
        MemberView {
            contact_by: crate::domain::contact::route(
                user.contact_by.as_deref(),
                user.email.as_deref(),
                user.phone.as_deref(),
            ),
            active: user.is_active(),
            id: user.id,
            name: user.name,
            email: user.email,
            phone: user.phone,
            address: member.address,
            location: Location {
                lat: member.lat,
                lon: member.lon,
            },
            access_needs: member.access_needs,
            emergency_contact: match (member.emergency_name, member.emergency_phone) {
                (Some(name), Some(phone)) => Some(EmergencyContact {
                    name,
                    phone,
                    relation: member.emergency_relation,
                }),
                _ => None,
            },
            membership_ends_on: None,
            created_at: utc(user.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VettingView {
    pub status: VettingStatus,
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<NaiveDate>,
    pub note: Option<String>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HelperView {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub home: Location,
    pub skills: Vec<Category>,
    pub max_distance_km: f64,
    pub vetting: VettingView,
    pub availability: Availability,
    /// False once a coordinator has deactivated the account.
    pub active: bool,
    /// How to reach them, in order: as set, or what their details give.
    pub contact_by: Vec<crate::domain::Channel>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
}

impl HelperView {
    pub fn new(user: UserRow, helper: HelperRow) -> diesel::QueryResult<Self> {
        let availability = helper.availability()?;
        Ok(HelperView {
            contact_by: crate::domain::contact::route(
                user.contact_by.as_deref(),
                user.email.as_deref(),
                user.phone.as_deref(),
            ),
            active: user.is_active(),
            id: user.id,
            name: user.name,
            email: user.email,
            phone: user.phone,
            home: Location {
                lat: helper.home_lat,
                lon: helper.home_lon,
            },
            skills: Category::decode_set(&helper.skills),
            max_distance_km: helper.max_distance_km,
            vetting: VettingView {
                status: helper.vetting_status,
                expires_on: helper.vetting_expires_on,
                note: helper.vetting_note,
                decided_at: helper.vetted_at.map(utc),
            },
            availability,
            created_at: utc(user.created_at),
        })
    }
}

/// The assigned helper, as the member sees them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HelperContact {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
}

/// A member's rating of a visit that was done, and their note to the helper ("Thank you, Hal").
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SaidOfVisit {
    /// 1 (poor) to 5 (very good).
    pub rating: i32,
    pub comment: Option<String>,
}

/// The member's contact details: shown only to the member, the assigned helper and coordinators.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberContact {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub address: String,
    /// What the helper at the door needs to know ("knock loudly"), while the visit is theirs.
    pub access_needs: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestView {
    pub id: String,
    pub member_id: String,
    pub category: Category,
    pub description: String,
    pub status: RequestStatus,
    pub window: TimeWindow,
    pub duration_minutes: i32,
    /// Where the help is wanted. A helper sees the exact place only while the visit is theirs
    /// (as the member's contact details); otherwise the centre of its area of about 550 m.
    pub location: Location,
    /// The postcode district the place is in ("SE15"), once postcodes are loaded: for people to
    /// read instead of the position.
    pub area_name: Option<String>,
    /// The standing request this is an occurrence of; `null` for a one-off request.
    pub series_id: Option<String>,
    /// The member's name, for the member and coordinators (and for the assigned helper while
    /// the visit is theirs, when the request is read on its own): lists need no read per row.
    pub member_name: Option<String>,
    pub helper: Option<HelperContact>,
    /// Present for the member, the assigned helper and coordinators when the request is read
    /// on its own (not in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberContact>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub assigned_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub completed_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancel_reason: Option<String>,
    pub minutes_spent: Option<i32>,
    /// When the assigned helper confirmed they are coming.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirmed_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_in_at: Option<DateTime<Utc>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub checked_out_at: Option<DateTime<Utc>>,
    /// When the assigned helper, running late, now expects to arrive; `null` unless they said
    /// so (and until they arrive).
    #[schema(value_type = Option<String>, format = DateTime)]
    pub eta: Option<DateTime<Utc>>,
    /// The assigned helper's planned arrival, which the rules of time count from; `null`
    /// before anyone is assigned.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub planned_start: Option<DateTime<Utc>>,
    /// Every action the caller's part could take on the request now: allowed or not, from and
    /// until when, and why not.
    pub actions: Vec<crate::domain::actions::Action>,
    /// In the answer to a withdrawal: whether it came too close to the start (a late withdrawal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late: Option<bool>,
    /// Whether the member has rated the visit (a done request is rated once).
    pub rated: bool,
    /// What the member said of the visit, once rated: shown to the member, the helper who came
    /// and coordinators (whoever sees the request).
    pub feedback: Option<SaidOfVisit>,
    /// On open requests in a coordinator's list: how many helpers with the skill within 10 km
    /// each hard rule turned away.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<Vec<Excluded>>,
    /// On offered requests in a coordinator's list: when the first open offer lapses (the next
    /// helpers are asked then).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub offers_lapse_at: Option<DateTime<Utc>>,
}

impl RequestView {
    /// With what the assigned helper's visit holds: confirmed, checked in, checked out.
    pub fn with_visit(mut self, visit: Option<&crate::db::visits::VisitRow>) -> Self {
        if let Some(v) = visit.filter(|v| v.ended.is_none()) {
            self.confirmed_at = v.confirmed_at.map(utc);
            self.checked_in_at = v.checked_in_at.map(utc);
            self.checked_out_at = v.checked_out_at.map(utc);
            self.eta = v.eta.filter(|_| v.checked_in_at.is_none()).map(utc);
        }
        self
    }

    /// As a one-tap link's page shows it, opened without signing in: the job, without the
    /// member's contact details or exact place (the helper has them by email and in the app).
    pub fn for_a_link(self) -> Self {
        RequestView {
            member: None,
            ..self
        }
        .placed(false)
    }

    /// The exact place, or (for a helper who may no longer see the member) only the centre
    /// of its area, as offers show it.
    pub fn placed(mut self, exact: bool) -> Self {
        if !exact {
            self.location = crate::domain::area::Area::of(self.location).center;
        }
        self
    }
}

/// How many helpers one hard rule turned away (the first rule each failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Excluded {
    pub rule: crate::matching::Rule,
    pub count: usize,
}

impl RequestView {
    pub fn new(
        row: RequestRow,
        helper: Option<HelperContact>,
        member: Option<MemberContact>,
    ) -> Self {
        RequestView {
            status: row.status,
            category: row.category,
            id: row.id,
            member_id: row.member_id,
            description: row.description,
            window: TimeWindow {
                start: utc(row.window_start),
                end: utc(row.window_end),
            },
            duration_minutes: row.duration_minutes,
            location: Location {
                lat: row.lat,
                lon: row.lon,
            },
            area_name: row.area_name,
            series_id: row.series_id,
            member_name: member.as_ref().map(|m| m.name.clone()),
            planned_start: row
                .scheduled_start
                .filter(|_| row.helper_id.is_some())
                .map(utc),
            helper,
            member,
            created_at: utc(row.created_at),
            assigned_at: row.assigned_at.map(utc),
            completed_at: row.completed_at.map(utc),
            cancelled_at: row.cancelled_at.map(utc),
            cancel_reason: row.cancel_reason,
            minutes_spent: row.minutes_spent,
            rated: false,
            feedback: None,
            excluded: None,
            offers_lapse_at: None,
            confirmed_at: None,
            checked_in_at: None,
            checked_out_at: None,
            eta: None,
            late: None,
            actions: Vec::new(),
        }
    }
}

/// The people a page of requests or series names, read in one statement: each helper's contact,
/// and each member's name for callers who may see it.
pub struct Names(std::collections::HashMap<String, NameAndContact>);

/// A person's name and phone, and a member's access needs.
type NameAndContact = (String, Option<String>, Option<String>);

impl Names {
    pub fn read(
        c: &mut crate::db::DbConnection,
        ids: impl IntoIterator<Item = String>,
    ) -> diesel::QueryResult<Names> {
        let ids: Vec<String> = ids
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        Ok(Names(
            crate::db::users::names(c, &ids)?
                .into_iter()
                .map(|(id, name, phone, access)| (id, (name, phone, access)))
                .collect(),
        ))
    }

    /// A helper's name and phone.
    pub fn helper(&self, id: Option<&String>) -> Option<HelperContact> {
        let id = id?;
        self.0.get(id).map(|(name, phone, _)| HelperContact {
            id: id.clone(),
            name: name.clone(),
            phone: phone.clone(),
        })
    }

    /// A member's contact, for a helper who may see it now ([`MemberContact`]), at the request's
    /// `address`.
    pub fn member_contact(&self, id: &str, address: Option<String>) -> Option<MemberContact> {
        let (name, phone, access_needs) = self.0.get(id)?;
        Some(MemberContact {
            id: id.to_string(),
            name: name.clone(),
            phone: phone.clone(),
            access_needs: access_needs.clone(),
            address: address?,
        })
    }

    /// A member's name, for the member and coordinators (a helper's lists say it only with the
    /// contact, while they may see it).
    pub fn member(&self, caller: &crate::domain::Caller, id: &str) -> Option<String> {
        match caller.role {
            crate::domain::Role::Helper => None,
            _ => self.0.get(id).map(|(name, _, _)| name.clone()),
        }
    }
}
