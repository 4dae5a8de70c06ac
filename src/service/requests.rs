//! Help requests: ask (a member, or a coordinator for one), list, read, cancel, complete, rate,
//! and a coordinator's candidates and assignment by hand.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::delegates::speak_for;
use super::offering::{self, answers, by_hand, ranking};
use super::pagination::{page, Page, Paging};
use super::views::{utc, Excluded, HelperContact, MemberContact, Names, RequestView, SaidOfVisit};
use super::{Asked, Error, IdempotencyKey, Once, Result, Services};
use crate::db::{
    self,
    feedback::FeedbackRow,
    requests::{NewRequestRow, RequestRow},
    DbConnection,
};
use crate::domain::actions::{self, Part, RequestFacts};
use crate::domain::delegation::Deed;
use crate::domain::Parsed;
use crate::domain::{
    privacy, AuditAction, Caller, Category, HelperId, Location, MemberId, Place, RequestId,
    RequestStatus, Role, TimeWindow,
};

/// A request for help, checked.
pub struct NewRequest {
    /// Who it is for: the caller when a member asks.
    pub member: MemberId,
    pub category: Category,
    pub description: String,
    pub window: TimeWindow,
    pub duration_minutes: i32,
    /// Defaults to the member's home.
    pub location: Option<Location>,
    /// A coordinator's reason for asking although the member's account is short (when tokens
    /// are required).
    pub overdraw_reason: Option<String>,
    /// A helper who has done a visit for this member, offered the job alone first.
    pub ask_first: Option<HelperId>,
}

impl super::ForMember for NewRequest {
    fn member(&self) -> &MemberId {
        &self.member
    }
}

/// A request as asked: for whom and whether beyond the member's account are known even when
/// the rest is wrong, so that a caller who may not ask is refused before the rest is checked.
pub struct AskedRequest {
    pub asked: Asked<NewRequest>,
    /// A coordinator asks although the member's account is short.
    pub beyond_account: bool,
}

impl From<NewRequest> for AskedRequest {
    fn from(new: NewRequest) -> Self {
        AskedRequest {
            beyond_account: new.overdraw_reason.is_some(),
            asked: new.into(),
        }
    }
}

/// Contact details for a request's view. The member's are revealed only when `reveal_member`;
/// the address is the one the visit was asked for.
fn contacts(
    c: &mut DbConnection,
    row: &RequestRow,
    reveal_member: bool,
) -> Result<(Option<HelperContact>, Option<MemberContact>)> {
    let helper = match &row.helper_id {
        Some(hid) => db::users::find(c, hid)?.map(|u| HelperContact {
            id: u.id,
            name: u.name,
            phone: u.phone,
        }),
        None => None,
    };
    let member = if reveal_member {
        db::members::get(c, &row.member_id)?.map(|(u, m)| MemberContact {
            id: u.id,
            name: u.name,
            phone: u.phone,
            address: row.address.clone().unwrap_or(m.address),
            access_needs: m.access_needs,
        })
    } else {
        None
    };
    Ok((helper, member))
}

/// What a helper may see of requests now: their vetting, read once, and which of the members
/// concerned have blocked them. The one rule ([`privacy::helper_sees_contact`]) that the
/// request's view, lists, series, exports and emails follow.
pub(super) struct HelperSight {
    helper_id: String,
    vetting: crate::domain::VettingStatus,
    vetting_expires_on: Option<chrono::NaiveDate>,
    blocked_by: std::collections::HashSet<String>,
}

impl HelperSight {
    /// For the helper `helper_id` looking at requests of `members`; `None` when no such helper.
    pub(super) fn read(
        c: &mut DbConnection,
        helper_id: &str,
        members: &[String],
    ) -> Result<Option<HelperSight>> {
        let Some((_, helper)) = db::helpers::get(c, helper_id)? else {
            return Ok(None);
        };
        Ok(Some(HelperSight {
            helper_id: helper_id.to_string(),
            vetting: helper.vetting_status,
            vetting_expires_on: helper.vetting_expires_on,
            blocked_by: db::matching::blocked_by_among(c, helper_id, members)?
                .into_iter()
                .collect(),
        }))
    }

    /// Whether the helper sees this request's member: contact details and exact place.
    pub(super) fn sees_member(&self, row: &RequestRow, now: chrono::NaiveDateTime) -> bool {
        let facts = privacy::ContactFacts {
            assigned_to_them: row.helper_id.as_deref() == Some(self.helper_id.as_str()),
            status: row.status,
            window_end: row.window_end,
            vetting: self.vetting,
            vetting_expires_on: self.vetting_expires_on,
            blocked_by_member: self.blocked_by.contains(&row.member_id),
        };
        privacy::helper_sees_contact(&facts, now)
    }

    /// Whether the helper sees a standing request's exact place.
    pub(super) fn sees_standing_place(
        &self,
        member_id: &str,
        regular_helper: Option<&str>,
        now: chrono::NaiveDateTime,
    ) -> bool {
        privacy::regular_helper_sees_place(
            regular_helper == Some(self.helper_id.as_str()),
            self.vetting,
            self.vetting_expires_on,
            self.blocked_by.contains(member_id),
            now,
        )
    }
}

/// Whether `caller` sees the member's contact details and exact place on this request: the
/// member and coordinators always; a helper only while the visit is theirs.
pub(super) fn reveals_member(
    c: &mut DbConnection,
    caller: &Caller,
    row: &RequestRow,
    now: chrono::NaiveDateTime,
) -> Result<bool> {
    if caller.role != Role::Helper {
        return Ok(caller.is_self_or_coordinator(&row.member_id));
    }
    let sight = HelperSight::read(c, caller.id.as_str(), std::slice::from_ref(&row.member_id))?;
    Ok(sight.is_some_and(|s| s.sees_member(row, now)))
}

/// The caller's part in a request they can see.
pub(super) fn part_of(caller: &Caller, row: &RequestRow) -> Part {
    match caller.role {
        Role::Coordinator => Part::Coordinator,
        // A delegate who may only look on sees the request as a helper who once had it would.
        Role::Member if !caller.may(Deed::Arrange) => Part::Onlooker,
        Role::Member => Part::Member,
        Role::Helper if row.helper_id.as_deref() == Some(caller.id.as_str()) => Part::Helper,
        Role::Helper | Role::Delegate => Part::Onlooker,
    }
}

/// What the rules of [`actions`] read of a request, from its row and its helper's visit.
fn facts(
    row: &RequestRow,
    visit: Option<&db::visits::VisitRow>,
    rated: bool,
    member_closed: bool,
    helper_unfit: bool,
) -> RequestFacts {
    let visit = visit
        .filter(|v| v.ended.is_none() && row.helper_id.as_deref() == Some(v.helper_id.as_str()));
    RequestFacts {
        status: row.status,
        window_start: row.window_start,
        window_end: row.window_end,
        planned_start: row.scheduled_start.filter(|_| row.helper_id.is_some()),
        confirmed: visit.is_some_and(|v| v.confirmed_at.is_some()),
        checked_in: visit.is_some_and(|v| v.checked_in_at.is_some()),
        checked_out: visit.is_some_and(|v| v.checked_out_at.is_some()),
        completed_at: row.completed_at,
        rated,
        member_closed,
        helper_unfit: helper_unfit && row.helper_id.is_some(),
    }
}

/// Which of these helpers may no longer go into homes on `today` (see
/// [`actions::helper_fit`]), in one read.
fn unfit_among(
    c: &mut DbConnection,
    helpers: &[&str],
    today: chrono::NaiveDate,
) -> Result<std::collections::HashSet<String>> {
    Ok(db::helpers::get_all(c, helpers)?
        .into_iter()
        .filter(|(u, h)| {
            !actions::helper_fit(u.is_active(), h.vetting_status, h.vetting_expires_on, today)
        })
        .map(|(u, _)| u.id)
        .collect())
}

/// The request's facts as they stand, read in the caller's transaction.
fn facts_now(
    c: &mut DbConnection,
    row: &RequestRow,
    now: chrono::NaiveDateTime,
) -> Result<RequestFacts> {
    let visit = match &row.helper_id {
        Some(h) => db::visits::get(c, &row.id, h)?,
        None => None,
    };
    facts_with_visit(c, row, visit.as_ref(), now)
}

/// The request's facts, its helper's visit already read.
fn facts_with_visit(
    c: &mut DbConnection,
    row: &RequestRow,
    visit: Option<&db::visits::VisitRow>,
    now: chrono::NaiveDateTime,
) -> Result<RequestFacts> {
    // One request: statements by one key, which the connection keeps prepared (a list's
    // `IN (…)` is planned anew each time).
    let rated = said_of(c, row)?.is_some();
    let closed = db::users::is_closed(c, &row.member_id)?;
    let unfit = match &row.helper_id {
        Some(h) if row.status == RequestStatus::Assigned => match db::helpers::get(c, h)? {
            Some((u, h)) => !actions::helper_fit(
                u.is_active(),
                h.vetting_status,
                h.vetting_expires_on,
                now.date(),
            ),
            None => false,
        },
        _ => false,
    };
    Ok(facts(row, visit, rated, closed, unfit))
}

/// What the member said of a visit that was done, if they have rated it.
fn said_of(c: &mut DbConnection, row: &RequestRow) -> Result<Option<SaidOfVisit>> {
    if row.status != RequestStatus::Completed {
        return Ok(None);
    }
    let said = db::feedback::of_requests(c, std::slice::from_ref(&row.id))?;
    Ok(said
        .into_iter()
        .next()
        .map(|(_, rating, comment)| SaidOfVisit { rating, comment }))
}

/// Go on only if the rules allow `caller` to take the action `name` on the request at `now`;
/// else a conflict (409) with the rules' own sentence, the one the request's `actions` shows.
pub(super) fn allow(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    row: &RequestRow,
    name: &'static str,
    now: chrono::NaiveDateTime,
) -> Result<()> {
    let f = facts_now(c, row, now)?;
    let a = actions::decide(&f, part_of(caller, row), name, now, &svc.time_rules());
    match a.allowed {
        true => Ok(()),
        false => Err(Error::Conflict(a.reason.unwrap_or_default())),
    }
}

/// The full view of one request for one caller allowed to see it.
pub fn full_view(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    row: RequestRow,
) -> Result<RequestView> {
    let now = svc.now();
    let reveal = reveals_member(c, caller, &row, now)?;
    let (helper, member) = contacts(c, &row, reveal)?;
    let visit = match &row.helper_id {
        Some(h) => db::visits::get(c, &row.id, h)?,
        None => None,
    };
    let f = facts_with_visit(c, &row, visit.as_ref(), now)?;
    let actions = actions::request_actions(&f, part_of(caller, &row), now, &svc.time_rules());
    let feedback = match f.rated {
        true => said_of(c, &row)?,
        false => None,
    };
    Ok(RequestView {
        rated: f.rated,
        feedback,
        actions,
        ..RequestView::new(row, helper, member)
            .with_visit(visit.as_ref())
            .placed(exact_place(caller, reveal))
    })
}

/// Members and coordinators see a request's exact place; a helper only while they see the member.
fn exact_place(caller: &Caller, reveals_member: bool) -> bool {
    caller.role != Role::Helper || reveals_member
}

/// Can `caller` see this request at all? Others are told it does not exist.
fn visible_to(caller: &Caller, row: &RequestRow) -> bool {
    match caller.role {
        Role::Coordinator => true,
        Role::Member => row.member_id == caller.id.as_str(),
        Role::Helper => row.helper_id.as_deref() == Some(caller.id.as_str()),
        Role::Delegate => false,
    }
}

pub(super) fn load_visible(
    c: &mut DbConnection,
    caller: &Caller,
    id: &RequestId,
) -> Result<RequestRow> {
    match db::requests::get(c, id.as_str())? {
        Some(row) if visible_to(caller, &row) => Ok(row),
        _ => Err(Error::NotFound),
    }
}

/// A request as its member's delegate may reach it for `deed`, or as [`load_visible`] for
/// anyone else: the row, and the caller the rules then read (the member, for a delegate).
pub(super) fn load_for(
    c: &mut DbConnection,
    caller: &Caller,
    id: &RequestId,
    deed: Deed,
) -> Result<(RequestRow, Caller)> {
    let row = db::requests::get(c, id.as_str())?.ok_or(Error::NotFound)?;
    if visible_to(caller, &row) {
        return Ok((row, caller.clone()));
    }
    let acting = speak_for(c, caller, &row.member_id, deed)?;
    match acting.on_behalf.is_some() && visible_to(&acting, &row) {
        true => Ok((row, acting)),
        false => Err(Error::NotFound),
    }
}

/// Ask for help; the best few helpers are offered the job in the same transaction.
pub fn create_request(
    svc: &Services,
    caller: &Caller,
    new: impl Into<AskedRequest>,
    key: Option<&IdempotencyKey>,
) -> Result<Once<RequestView>> {
    let AskedRequest {
        asked,
        beyond_account,
    } = new.into();
    let caller = &super::delegates::acting(svc, caller, asked.member.as_ref(), Deed::Arrange)?;
    super::require(caller, &[Role::Member, Role::Coordinator])?;
    let other = asked.member.as_ref().is_some_and(|m| *m != caller.id);
    if caller.role == Role::Member && other {
        return Err(Error::Forbidden(Caller::ONLY_FOR_THEMSELVES.into()));
    }
    if beyond_account && caller.role != Role::Coordinator {
        return Err(Error::Forbidden(
            "Only a coordinator may ask beyond a member's account.".into(),
        ));
    }
    let new = asked.details.take()?;
    let overdraw = new.overdraw_reason.clone();
    let ask_first = new.ask_first.clone();
    // Read and rank first; the write transaction then holds the writer only to re-check and write.
    let (row, ranked) = svc.read(|c| {
        let Some((user, member)) = db::members::get(c, new.member.as_str())? else {
            return Err(Error::invalid("member_id", "no member has this id"));
        };
        if !user.is_active() {
            return Err(Error::Conflict(actions::CLOSED_MEMBER.into()));
        }
        let at = match new.location {
            Some(at) => super::places::resolve(c, &svc.settings, &Place::At(at), "location")?,
            None => Location {
                lat: member.lat,
                lon: member.lon,
            },
        };
        let area_name = db::places::nearest_district(c, at)?;
        if let Some(helper) = &new.ask_first {
            if !db::requests::has_visited(c, new.member.as_str(), helper.as_str())? {
                return Err(Error::invalid(
                    "ask_first",
                    "only a helper who has done a visit for this member can be asked first",
                ));
            }
        }
        let row = new_request_row(caller, new, at, member.address, area_name, svc.now());
        let timer = svc.metrics.matcher_seconds.start_timer();
        let ranked = offering::ranking::rank_before_writing(c, &svc.settings, &row, svc.now())?;
        timer.observe_duration();
        Ok((row, ranked))
    })?;
    svc.write_once(key, 201, |c| {
        let now = svc.now();
        let row = RequestRow {
            created_at: now,
            ..row
        };
        super::membership::check_time_for(c, &svc.settings, caller, &row, overdraw.as_deref())?;
        let row = match &ask_first {
            Some(helper) => {
                offering::flow::write_and_offer_first(c, &svc.settings, row, helper, now)?
            }
            None => offering::flow::write_and_offer(c, &svc.settings, row, ranked, now)?,
        };
        if caller.on_behalf.is_some() {
            super::audit::by(c, caller, now, AuditAction::RequestAsked, &row.id, None)?;
        }
        // Read back: the view shows what was stored (times as the backend keeps them).
        let row = db::requests::get(c, &row.id)?.ok_or(Error::NotFound)?;
        full_view(c, svc, caller, row)
    })
}

/// The row of a new request, open, not yet written.
fn new_request_row(
    caller: &Caller,
    new: NewRequest,
    at: Location,
    address: String,
    area_name: Option<String>,
    now: chrono::NaiveDateTime,
) -> RequestRow {
    NewRequestRow {
        member_id: new.member.to_string(),
        created_by: caller.actor().0.to_string(),
        category: new.category,
        description: new.description,
        window_start: new.window.start.naive_utc(),
        window_end: new.window.end.naive_utc(),
        duration_minutes: new.duration_minutes,
        lat: at.lat,
        lon: at.lon,
        address: Some(address),
        area_name,
        created_at: now,
    }
    .into()
}

/// Which requests a list holds, and in what order.
#[derive(Debug, Default, Clone)]
pub struct RequestFilter {
    pub status: Option<RequestStatus>,
    /// One member's requests (coordinators; a member only their own).
    pub member: Option<MemberId>,
    /// One helper's visits, their diary (coordinators; a helper only their own).
    pub helper: Option<HelperId>,
    pub order: Order,
}

/// The order of a list of requests.
pub use crate::db::requests::Order;

/// Members see their own requests, helpers those assigned to them, coordinators all (or one
/// member's). Newest first, soonest window first, or latest window first.
pub fn list_requests(
    svc: &Services,
    caller: &Caller,
    filter: &RequestFilter,
    paging: Paging,
) -> Result<Page<RequestView>> {
    let caller =
        &super::delegates::acting(svc, caller, filter.member.as_ref(), Deed::ReadRequests)?;
    if let Some(m) = &filter.member {
        if !(caller.is_coordinator() || caller.id.as_str() == m.as_str()) {
            return Err(Error::Forbidden(
                "Only coordinators may list another member's requests.".into(),
            ));
        }
    }
    if let Some(h) = &filter.helper {
        if !(caller.is_coordinator() || (caller.role == Role::Helper && *h == caller.id)) {
            return Err(Error::Forbidden(
                "Only coordinators may list another helper's visits.".into(),
            ));
        }
    }
    if filter.member.is_some() && filter.helper.is_some() {
        return Err(Error::invalid(
            "helper_id",
            "give either member_id or helper_id, not both",
        ));
    }
    svc.read(|c| {
        let scope = match (caller.role, &filter.member, &filter.helper) {
            (Role::Coordinator, Some(m), _) => db::requests::Scope::Member(m.as_str()),
            (Role::Coordinator, None, Some(h)) => db::requests::Scope::Helper(h.as_str()),
            (Role::Member, _, _) => db::requests::Scope::Member(caller.id.as_str()),
            (Role::Helper, _, _) => db::requests::Scope::Helper(caller.id.as_str()),
            (Role::Coordinator, None, None) => db::requests::Scope::All,
            (Role::Delegate, _, _) => {
                return Err(Error::invalid(
                    "member_id",
                    "give the id of the member whose requests to list",
                ))
            }
        };
        let rows = db::requests::list(
            c,
            &db::requests::ListQuery {
                scope,
                status: filter.status,
                order: filter.order,
                after: paging.after,
                limit: paging.limit + 1,
            },
        )?;
        let shown: Vec<RequestRow> = rows.iter().take(paging.limit as usize).cloned().collect();
        let mut views = list_views(c, svc, caller, shown)?.into_iter();
        let order = filter.order;
        Ok(page(
            rows,
            paging.limit,
            |r| order.key(r),
            |_| views.next().expect("a view for each row shown"),
        ))
    })
}

/// How many requests wait in each of a coordinator's queues.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestCounts {
    /// Nobody found yet.
    pub open: i64,
    /// Waiting for a helper to say yes.
    pub offered: i64,
    /// A helper is going (confirmed or not).
    pub assigned: i64,
}

/// The numbers at the top of a coordinator's Today.
pub fn count_requests(svc: &Services, caller: &Caller) -> Result<RequestCounts> {
    super::require(caller, &[Role::Coordinator])?;
    use RequestStatus::{Assigned, Offered, Open};
    let counts = svc.read(|c| Ok(db::requests::count_by_status(c)?))?;
    let of = |status: RequestStatus| {
        counts
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    };
    Ok(RequestCounts {
        open: of(Open),
        offered: of(Offered),
        assigned: of(Assigned),
    })
}

/// Views of a page of requests for `caller`, in the same few statements however long the page:
/// the helpers' contacts, the members' names (not for helpers), the visits, and for coordinators
/// when offers lapse and why nobody fits each open request. Lists never carry the member's
/// contact details.
pub(super) fn list_views(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    rows: Vec<RequestRow>,
) -> Result<Vec<RequestView>> {
    let settings = &svc.settings;
    let now = svc.now();
    let rules = svc.time_rules();
    let coordinator = caller.role == Role::Coordinator;
    let members: Vec<String> = rows.iter().map(|r| r.member_id.clone()).collect();
    let sight = match caller.role {
        Role::Helper => HelperSight::read(c, caller.id.as_str(), &members)?,
        _ => None,
    };
    // A helper sees a member in a list exactly when they would in the request's own view.
    let sees = |r: &RequestRow| match caller.role {
        Role::Helper => sight.as_ref().is_some_and(|s| s.sees_member(r, now)),
        _ => true,
    };
    let names = Names::read(
        c,
        rows.iter()
            .filter_map(|r| r.helper_id.clone())
            .chain(rows.iter().filter(|r| sees(r)).map(|r| r.member_id.clone())),
    )?;
    let pairs: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| r.helper_id.clone().map(|h| (r.id.clone(), h)))
        .collect();
    let visits = db::visits::of_pairs(c, &pairs)?;
    let done: Vec<String> = rows
        .iter()
        .filter(|r| r.status == RequestStatus::Completed)
        .map(|r| r.id.clone())
        .collect();
    let said: HashMap<String, SaidOfVisit> = db::feedback::of_requests(c, &done)?
        .into_iter()
        .map(|(id, rating, comment)| (id, SaidOfVisit { rating, comment }))
        .collect();
    let closed: std::collections::HashSet<String> =
        db::users::closed_among(c, &members)?.into_iter().collect();
    let assigned_helpers: Vec<&str> = rows
        .iter()
        .filter(|r| r.status == RequestStatus::Assigned)
        .filter_map(|r| r.helper_id.as_deref())
        .collect();
    let unfit = unfit_among(c, &assigned_helpers, now.date())?;
    let mut excluded = HashMap::new();
    let mut lapse = HashMap::new();
    if coordinator {
        let offered: Vec<String> = rows
            .iter()
            .filter(|r| r.status == RequestStatus::Offered)
            .map(|r| r.id.clone())
            .collect();
        lapse.extend(db::offers::first_lapse(c, &offered)?);
        let open: Vec<&RequestRow> = rows
            .iter()
            .filter(|r| r.status == RequestStatus::Open)
            .collect();
        excluded = offering::excluded::excluded_each(c, settings, &open, now)?;
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let helper = names.helper(r.helper_id.as_ref());
            let helper_sees = caller.role == Role::Helper && sees(&r);
            let member = helper_sees
                .then(|| names.member_contact(&r.member_id, r.address.clone()))
                .flatten();
            let member_name = match helper_sees {
                true => member.as_ref().map(|m| m.name.clone()),
                false => names.member(caller, &r.member_id),
            };
            let why = excluded.remove(&r.id);
            let lapses = lapse.remove(&r.id).flatten().map(utc);
            let visit = visits
                .iter()
                .find(|v| v.request_id == r.id && r.helper_id.as_ref() == Some(&v.helper_id));
            let sees = sight.as_ref().is_some_and(|s| s.sees_member(&r, now));
            let f = facts(
                &r,
                visit,
                said.contains_key(&r.id),
                closed.contains(&r.member_id),
                r.helper_id.as_ref().is_some_and(|h| unfit.contains(h)),
            );
            let actions = actions::request_actions(&f, part_of(caller, &r), now, &rules);
            RequestView {
                rated: said.contains_key(&r.id),
                feedback: said.get(&r.id).cloned(),
                actions,
                excluded: why,
                offers_lapse_at: lapses,
                member_name,
                ..RequestView::new(r, helper, member)
            }
            .with_visit(visit)
            .placed(exact_place(caller, sees))
        })
        .collect())
}

/// One request: its member, its assigned helper, or coordinators.
pub fn request(svc: &Services, caller: &Caller, id: &RequestId) -> Result<RequestView> {
    svc.read(|c| {
        let (row, caller) = load_for(c, caller, id, Deed::ReadRequests)?;
        full_view(c, svc, &caller, row)
    })
}

/// The member or a coordinator cancels a request that is not finished; its helper is told.
pub fn cancel_request(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    reason: Option<String>,
) -> Result<RequestView> {
    svc.write(|c| {
        let (row, caller) = load_for(c, caller, id, Deed::Arrange)?;
        let caller = &caller;
        super::require(caller, &[Role::Member, Role::Coordinator])?;
        let now = svc.now();
        allow(c, svc, caller, &row, "cancel", now)?;
        let row = cancel_in(c, svc, caller, &row, reason.as_deref(), now)?;
        full_view(c, svc, caller, row)
    })
}

/// Cancel a request in the caller's transaction: its open offers are withdrawn, its helper told,
/// the cancellation audited. Returns the request as it now is.
pub(super) fn cancel_in(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    row: &RequestRow,
    reason: Option<&str>,
    now: chrono::NaiveDateTime,
) -> Result<RequestRow> {
    let row = answers::transition(c, row, RequestStatus::Cancelled, |c| {
        db::requests::cancel(c, &row.id, reason, now)
    })?;
    db::offers::withdraw_open(c, &row.id, now)?;
    crate::notify::events::cancelled(c, &svc.settings, &row, reason, now)?;
    super::audit::by(
        c,
        caller,
        now,
        AuditAction::RequestCancelled,
        &row.id,
        reason,
    )?;
    Ok(row)
}

/// The assigned helper or a coordinator marks the job done, with the minutes it took.
pub fn complete_request(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    minutes_spent: Option<i32>,
) -> Result<RequestView> {
    svc.write(|c| {
        let row = load_visible(c, caller, id)?;
        super::require(caller, &[Role::Helper, Role::Coordinator])?;
        let now = svc.now();
        allow(c, svc, caller, &row, "complete", now)?;
        let minutes_spent = match minutes_spent {
            Some(m) => m,
            None => minutes_on_site(c, &row)?,
        };
        let row = answers::transition(c, &row, RequestStatus::Completed, |c| {
            db::requests::complete(c, id.as_str(), minutes_spent, now)
        })?;
        super::membership::debit_visit(c, &svc.settings, &row, now)?;
        crate::notify::events::visit_done(c, &svc.settings, &row, now)?;
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::RequestCompleted,
            id.as_str(),
            None,
        )?;
        full_view(c, svc, caller, row)
    })
}

/// The minutes between the helper's check-in and check-out, rounded up; without both, the
/// caller must say how long it took.
fn minutes_on_site(c: &mut DbConnection, row: &RequestRow) -> Result<i32> {
    let visit = match &row.helper_id {
        Some(h) => db::visits::get(c, &row.id, h)?,
        None => None,
    };
    match visit.and_then(|v| Some((v.checked_in_at?, v.checked_out_at?))) {
        Some((arrived, left)) => {
            let seconds = (left - arrived).num_seconds().max(1);
            Ok(((seconds + 59) / 60).clamp(1, 1440) as i32)
        }
        None => Err(Error::invalid(
            "minutes_spent",
            "is required unless the helper checked in and out",
        )),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub request_id: String,
    pub helper_id: String,
    pub rating: i32,
    pub comment: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
}

/// The member rates a completed job, once.
pub fn give_feedback(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    rating: i32,
    comment: Option<String>,
) -> Result<FeedbackView> {
    svc.write(|c| {
        let (row, caller) = load_for(c, caller, id, Deed::Arrange)?;
        let caller = &caller;
        if caller.role != Role::Member {
            return Err(Error::Forbidden(
                "Only the member who asked can give feedback.".into(),
            ));
        }
        allow(c, svc, caller, &row, "feedback", svc.now())?;
        if row.status != RequestStatus::Completed {
            return Err(Error::Conflict(format!(
                "Feedback can be given once the job is completed; this request is {}.",
                row.status.as_str()
            )));
        }
        let helper_id = row.helper_id.clone().ok_or_else(|| {
            Error::internal(
                "reading a completed request",
                "a completed request has no helper",
            )
        })?;
        let fb = FeedbackRow {
            request_id: row.id,
            member_id: caller.id.to_string(),
            helper_id,
            rating,
            comment,
            created_at: svc.now(),
        };
        if !db::feedback::insert_once(c, &fb)? {
            return Err(Error::Conflict(
                "Feedback for this request was already given.".into(),
            ));
        }
        Ok(FeedbackView {
            request_id: fb.request_id,
            helper_id: fb.helper_id,
            rating: fb.rating,
            comment: fb.comment,
            created_at: utc(fb.created_at),
        })
    })
}

/// A coordinator's assignment by hand, checked: `force` comes with a reason.
pub struct Assignment {
    pub helper: HelperId,
    pub force: bool,
    pub reason: Option<String>,
}

/// A coordinator gives the job to a helper; the hard rules apply unless forced (and logged).
pub fn assign_request(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    assignment: impl Into<Parsed<Assignment>>,
) -> Result<RequestView> {
    super::require(caller, &[Role::Coordinator])?;
    let assignment = assignment.into().take()?;
    svc.write(|c| {
        let by = by_hand::ByHand {
            helper_id: assignment.helper.as_str(),
            force: assignment.force,
            reason: assignment.reason.as_deref(),
            coordinator_id: caller.id.as_str(),
        };
        let now = svc.now();
        let row = load_visible(c, caller, id)?;
        allow(c, svc, caller, &row, "assign", now)?;
        let row = by_hand::assign_by_hand(c, &svc.settings, id.as_str(), &by, now)?;
        full_view(c, svc, caller, row)
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub helper_id: String,
    pub name: String,
    pub distance_km: f64,
    pub score: f64,
    /// The earliest time inside the window the helper is free.
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<Utc>,
    pub reasons: crate::matching::Reasons,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Candidates {
    pub items: Vec<CandidateView>,
    /// Why the others do not fit: per hard rule, how many helpers with the skill within 10 km
    /// it turned away (the first rule each failed).
    pub excluded: Vec<Excluded>,
}

/// The eligible helpers for a request, best first, with their scores and reasons.
pub fn candidates(
    svc: &Services,
    caller: &Caller,
    id: &RequestId,
    limit: impl Into<Parsed<usize>>,
) -> Result<Candidates> {
    super::require(caller, &[Role::Coordinator])?;
    let limit = limit.into().take()?;
    let (ranked, excluded) = svc.read(|c| {
        let row = db::requests::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        let now = svc.now();
        let ranked = {
            let _timer = svc.metrics.matcher_seconds.start_timer();
            ranking::rank(c, &svc.settings, &row, limit, now)?
        };
        let excluded = offering::excluded::excluded(c, &svc.settings, &row, now)?;
        Ok((ranked, excluded))
    })?;
    let round = crate::matching::score::round;
    Ok(Candidates {
        items: ranked
            .into_iter()
            .map(|c| CandidateView {
                helper_id: c.helper_id,
                name: c.name,
                distance_km: round(c.distance_km, 3),
                score: round(c.score, 3),
                start: c.start,
                reasons: c.reasons,
            })
            .collect(),
        excluded,
    })
}
