//! Standing requests: the same help on a rhythm. The sweep makes each occurrence (an ordinary
//! request with the series' id) a few weeks ahead, once however many processes sweep, and
//! offers it first to the series' regular helper alone; if they do not take it in time, or are
//! away, it goes to the best few as usual, and the next occurrence goes back to them. With tokens
//! required, an occurrence the member cannot cover is left unmade (the member and coordinators are
//! told once) and made by a later sweep once tokens are added. A helper
//! who accepts with `whole_series` becomes the regular helper. Pausing or ending cancels the
//! future occurrences nobody is assigned to.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::offering::flow;
use super::pagination::{page, Page, Paging};
use super::requests::{list_views, HelperSight};
use super::views::{utc, HelperContact, Names, RequestView};
use super::{Asked, Error, IdempotencyKey, Once, Result, Services};
use crate::db::{
    self,
    requests::{NewRequestRow, RequestRow},
    series::{SeriesRow, SeriesScope},
    DbConnection,
};
use crate::domain::actions::{self, Action, Part, SeriesFacts};
use crate::domain::availability::{clock, day_name};
use crate::domain::regular;
use crate::domain::rhythm::Rhythm;
use crate::domain::Parsed;
use crate::domain::{
    AuditAction, Caller, Category, Every, FieldError, Location, MemberId, RequestStatus, Role,
    SeriesId, SeriesStatus, UserId,
};
use crate::notify;

/// A new standing request, checked.
pub struct NewSeries {
    pub member: MemberId,
    pub category: Category,
    pub description: String,
    pub rhythm: Rhythm,
    pub duration_minutes: i32,
    pub location: Option<Location>,
}

impl super::ForMember for NewSeries {
    fn member(&self) -> &MemberId {
        &self.member
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesWindow {
    #[schema(example = "10:00")]
    pub start: String,
    #[schema(example = "12:00")]
    pub end: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesView {
    pub id: String,
    pub member_id: String,
    /// The member's name, for the member and coordinators.
    pub member_name: Option<String>,
    pub category: Category,
    pub description: String,
    pub every: Every,
    #[schema(example = "tue")]
    pub weekday: String,
    pub window: SeriesWindow,
    #[schema(example = "Europe/London")]
    pub timezone: String,
    pub duration_minutes: i32,
    #[schema(value_type = String, format = Date)]
    pub starts_on: NaiveDate,
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<NaiveDate>,
    /// Where the help is wanted; a regular helper who is blocked, suspended or out of date
    /// sees only the centre of its area.
    pub location: Location,
    pub status: SeriesStatus,
    /// Paused until this day: on it the series is active again by itself, and the visits from
    /// it on are made as before. Null when not paused, or paused with no end.
    #[schema(value_type = Option<String>, format = Date)]
    pub paused_until: Option<NaiveDate>,
    /// The regular helper, offered each occurrence first.
    pub helper: Option<HelperContact>,
    /// The occurrences still to come, soonest first.
    pub upcoming: Vec<RequestView>,
    /// What the caller may do to it now: `pause`, `resume`, `end` (its member, coordinators)
    /// and `helper` (coordinators).
    pub actions: Vec<Action>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
}

fn weekday_of(n: i32) -> chrono::Weekday {
    chrono::Weekday::try_from((n - 1).clamp(0, 6) as u8).unwrap_or(chrono::Weekday::Mon)
}

/// The rhythm a stored series follows.
pub fn rhythm(row: &SeriesRow) -> Result<Rhythm> {
    let minute = |s: &str| {
        crate::domain::availability::parse_clock(s, true)
            .map_err(|e| Error::internal("a stored series time", e))
    };
    Ok(Rhythm {
        every_weeks: row.every_weeks.max(1) as u32,
        weekday: weekday_of(row.weekday),
        start_minute: minute(&row.window_start)?,
        end_minute: minute(&row.window_end)?,
        tz: row
            .timezone
            .parse()
            .map_err(|e: chrono_tz::ParseError| Error::internal("a stored series time zone", e))?,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
    })
}

fn view(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    row: SeriesRow,
    now: NaiveDateTime,
) -> Result<SeriesView> {
    views(c, svc, caller, vec![row], now)?
        .pop()
        .ok_or_else(|| Error::internal("a series without its view", String::new()))
}

/// Views of these series for `caller`, in the same few statements however many: the regular
/// helpers' contacts and the members' names together, and every series' occurrences to come as
/// one list of requests.
pub(super) fn views(
    c: &mut DbConnection,
    svc: &Services,
    caller: &Caller,
    rows: Vec<SeriesRow>,
    now: NaiveDateTime,
) -> Result<Vec<SeriesView>> {
    let names = Names::read(
        c,
        rows.iter()
            .flat_map(|r| [r.helper_id.clone(), Some(r.member_id.clone())])
            .flatten(),
    )?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut upcoming: HashMap<String, Vec<RequestView>> = HashMap::new();
    let occurrences = db::series::upcoming_of(c, &ids, now)?;
    for v in list_views(c, svc, caller, occurrences)? {
        if let Some(series) = v.series_id.clone() {
            upcoming.entry(series).or_default().push(v);
        }
    }
    let members: Vec<String> = rows.iter().map(|r| r.member_id.clone()).collect();
    let closed = db::users::closed_among(c, &members)?;
    let sight = match caller.role {
        Role::Helper => {
            let members: Vec<String> = rows.iter().map(|r| r.member_id.clone()).collect();
            HelperSight::read(c, caller.id.as_str(), &members)?
        }
        _ => None,
    };
    rows.into_iter()
        .map(|row| {
            let helper = names.helper(row.helper_id.as_ref());
            let member_name = names.member(caller, &row.member_id);
            let exact = caller.role != Role::Helper
                || sight.as_ref().is_some_and(|s| {
                    s.sees_standing_place(&row.member_id, row.helper_id.as_deref(), now)
                });
            let at = Location {
                lat: row.lat,
                lon: row.lon,
            };
            let facts = SeriesFacts {
                status: row.status,
                member_closed: closed.contains(&row.member_id),
            };
            Ok(SeriesView {
                actions: actions::series_actions(&facts, part_of(caller, &row)),
                every: Every::of_weeks(row.every_weeks).ok_or_else(|| {
                    Error::internal("a stored series rhythm", row.every_weeks.to_string())
                })?,
                weekday: day_name(weekday_of(row.weekday)).to_string(),
                window: SeriesWindow {
                    start: row.window_start,
                    end: row.window_end,
                },
                location: if exact {
                    at
                } else {
                    crate::domain::area::Area::of(at).center
                },
                created_at: utc(row.created_at),
                upcoming: upcoming.remove(&row.id).unwrap_or_default(),
                id: row.id,
                member_id: row.member_id,
                member_name,
                category: row.category,
                description: row.description,
                timezone: row.timezone,
                duration_minutes: row.duration_minutes,
                starts_on: row.starts_on,
                ends_on: row.ends_on,
                status: row.status,
                paused_until: row.paused_until,
                helper,
            })
        })
        .collect()
}

/// The caller's part in a series: its member, its regular helper, a coordinator, or none.
fn part_of(caller: &Caller, row: &SeriesRow) -> Part {
    match caller.role {
        Role::Coordinator => Part::Coordinator,
        Role::Member if row.member_id == caller.id.as_str() => Part::Member,
        Role::Helper if row.helper_id.as_deref() == Some(caller.id.as_str()) => Part::Helper,
        _ => Part::Onlooker,
    }
}

/// Refuse `name` (409 with the reason `actions` gives) unless it is allowed now.
fn allow(c: &mut DbConnection, caller: &Caller, row: &SeriesRow, name: &'static str) -> Result<()> {
    let facts = SeriesFacts {
        status: row.status,
        member_closed: db::users::is_closed(c, &row.member_id)?,
    };
    let decided = actions::decide_series(&facts, part_of(caller, row), name);
    match decided.allowed {
        true => Ok(()),
        false => Err(Error::Conflict(decided.reason.unwrap_or_default())),
    }
}

fn visible_to(caller: &Caller, row: &SeriesRow) -> bool {
    match caller.role {
        Role::Coordinator => true,
        Role::Member => row.member_id == caller.id.as_str(),
        Role::Helper => row.helper_id.as_deref() == Some(caller.id.as_str()),
        Role::Delegate => false,
    }
}

/// A member asks for a standing request (a coordinator for them). Its first occurrences are
/// made at once.
pub fn create(
    svc: &Services,
    caller: &Caller,
    new: impl Into<Asked<NewSeries>>,
    key: Option<&IdempotencyKey>,
) -> Result<Once<SeriesView>> {
    let new = new.into().take_for(caller)?;
    svc.write_once(key, 201, |c| {
        let (_, member) = db::members::get(c, new.member.as_str())?
            .ok_or_else(|| Error::invalid("member_id", "no member has this id"))?;
        super::member_account_open(c, new.member.as_str())?;
        let at = new.location.unwrap_or(Location {
            lat: member.lat,
            lon: member.lon,
        });
        let r = &new.rhythm;
        let now = svc.now();
        let row = SeriesRow {
            id: SeriesId::new().into_string(),
            member_id: new.member.to_string(),
            created_by: caller.id.to_string(),
            category: new.category,
            description: new.description.clone(),
            every_weeks: r.every_weeks as i32,
            weekday: r.weekday.number_from_monday() as i32,
            window_start: clock(r.start_minute),
            window_end: clock(r.end_minute),
            timezone: r.tz.name().to_string(),
            duration_minutes: new.duration_minutes,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            lat: at.lat,
            lon: at.lon,
            status: SeriesStatus::Active,
            helper_id: None,
            created_at: now,
            paused_until: None,
        };
        db::series::insert(c, &row)?;
        make_in(c, svc, &row, now)?;
        view(c, svc, caller, row, now)
    })
}

/// One series: its member, its regular helper, coordinators.
pub fn series(svc: &Services, caller: &Caller, id: &SeriesId) -> Result<SeriesView> {
    svc.read(|c| {
        let row = db::series::get(c, id.as_str())?
            .filter(|r| visible_to(caller, r))
            .ok_or(Error::NotFound)?;
        view(c, svc, caller, row, svc.now())
    })
}

/// Series newest first: a member's own, a helper's as regular helper, all for coordinators.
pub fn list(
    svc: &Services,
    caller: &Caller,
    of: SeriesOf,
    paging: Paging,
) -> Result<Page<SeriesView>> {
    let not_theirs = match &of {
        SeriesOf::Member(m) => m.as_str() != caller.id.as_str(),
        SeriesOf::Helper(h) => h.as_str() != caller.id.as_str(),
        SeriesOf::Everyone => false,
    };
    if not_theirs && !caller.is_coordinator() {
        return Err(Error::Forbidden(
            "Only coordinators may list another person's standing requests.".into(),
        ));
    }
    svc.read(|c| {
        let scope = match (caller.role, &of) {
            (Role::Member, _) => SeriesScope::Member(caller.id.as_str()),
            (Role::Helper, _) => SeriesScope::Helper(caller.id.as_str()),
            (Role::Coordinator, SeriesOf::Member(m)) => SeriesScope::Member(m.as_str()),
            (Role::Coordinator, SeriesOf::Helper(h)) => SeriesScope::Helper(h.as_str()),
            (Role::Coordinator, SeriesOf::Everyone) => SeriesScope::All,
            (Role::Delegate, _) => {
                return Err(Error::Forbidden(
                    "Standing requests are arranged by the member or a coordinator.".into(),
                ))
            }
        };
        let rows = db::series::list(c, scope, paging.after.clone(), paging.limit + 1)?;
        let now = svc.now();
        let shown: Vec<SeriesRow> = rows.iter().take(paging.limit as usize).cloned().collect();
        let mut views = views(c, svc, caller, shown, now)?.into_iter();
        Ok(page(
            rows,
            paging.limit,
            |r| (r.created_at, r.id.clone()),
            |_| views.next().expect("a view for each row shown"),
        ))
    })
}

/// Whose standing requests a list is of: coordinators name a member or a helper (their regular
/// members); members and helpers see their own whatever they name.
#[derive(Debug, Clone)]
pub enum SeriesOf {
    Member(crate::domain::MemberId),
    Helper(crate::domain::HelperId),
    Everyone,
}

/// Set a series' status in the caller's transaction; pausing and ending cancel its future
/// occurrences nobody is assigned to, and withdraw their offers.
pub(super) fn set_status_in(
    c: &mut DbConnection,
    id: &str,
    to: SeriesStatus,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    set_status_until(c, id, to, None, reason, now)
}

/// As [`set_status_in`]; paused `until` a day, only the occurrences before it are cancelled.
fn set_status_until(
    c: &mut DbConnection,
    id: &str,
    to: SeriesStatus,
    until: Option<NaiveDate>,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    db::series::set_status(c, id, to, until)?;
    if to != SeriesStatus::Active {
        let why = reason.unwrap_or(if to == SeriesStatus::Paused {
            "The standing request was paused"
        } else {
            "The standing request ended"
        });
        for request in db::series::cancel_unassigned(c, id, until, why, now)? {
            db::offers::withdraw_open(c, &request, now)?;
            // The request's story says why it was cancelled.
            db::audit::record(
                c,
                now,
                None,
                AuditAction::RequestCancelled,
                &request,
                Some(why),
            )?;
        }
    }
    Ok(())
}

/// Pause, resume or end. Pausing and ending cancel the future occurrences nobody is assigned
/// to (assigned ones are kept); resuming makes them again from the next day on. Paused `until`
/// a day (after today, within a year), the visits from that day on stay and are made as before,
/// and on that day the series is active again by itself.
pub fn change_status(
    svc: &Services,
    caller: &Caller,
    id: &SeriesId,
    to: SeriesStatus,
    until: Option<NaiveDate>,
    reason: Option<&str>,
) -> Result<SeriesView> {
    let now = svc.now();
    let until = match until {
        Some(day) if to == SeriesStatus::Paused => Some(pause_ends(svc, day)?),
        Some(_) => {
            return Err(Error::Invalid(vec![FieldError::new(
                "until",
                "only a pause has an end day",
            )]))
        }
        None => None,
    };
    svc.write(|c| {
        let row = db::series::get(c, id.as_str())?
            .filter(|r| visible_to(caller, r))
            .ok_or(Error::NotFound)?;
        if !(caller.is_coordinator() || row.member_id == caller.id.as_str()) {
            return Err(Error::Forbidden(
                "Only the member or a coordinator may do this.".into(),
            ));
        }
        let action = match to {
            SeriesStatus::Paused => "pause",
            SeriesStatus::Active => "resume",
            SeriesStatus::Ended => "end",
        };
        allow(c, caller, &row, action)?;
        set_status_until(c, &row.id, to, until, reason, now)?;
        let mut detail = format!("status={}", to.as_str());
        if let Some(day) = until {
            detail.push_str(&format!("; until={day}"));
        }
        db::audit::record(
            c,
            now,
            Some(caller.id.as_str()),
            AuditAction::SeriesChanged,
            &row.id,
            Some(&detail),
        )?;
        let row = db::series::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        make_in(c, svc, &row, now)?;
        view(c, svc, caller, row, now)
    })
}

/// The day a pause ends: after today in the series' Circle, and within a year.
fn pause_ends(svc: &Services, day: NaiveDate) -> Result<NaiveDate> {
    let today = svc.now().date();
    let invalid = |why: &str| Error::Invalid(vec![FieldError::new("until", why)]);
    if day <= today {
        return Err(invalid("must be a day after today"));
    }
    if day > crate::domain::dates::a_year_from(today) {
        return Err(invalid("must be within a year"));
    }
    Ok(day)
}

/// A coordinator's choice of regular helper.
pub struct RegularChoice {
    /// None clears it.
    pub helper: Option<UserId>,
    /// Choose them despite failed checks of skill, reach or times, for this reason.
    pub override_reason: Option<String>,
}

/// A coordinator sets the regular helper, or clears it. A helper who is closed, suspended or
/// lapsed is refused (409); one who fails a check of skill, reach or weekly times is a 422
/// naming each, unless overridden with a reason, which is audited.
pub fn set_helper(
    svc: &Services,
    caller: &Caller,
    id: &SeriesId,
    choice: impl Into<Parsed<RegularChoice>>,
) -> Result<SeriesView> {
    super::coordinators_only(caller)?;
    let choice = choice.into().take()?;
    let helper = choice.helper;
    svc.write(|c| {
        let row = db::series::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        allow(c, caller, &row, "helper")?;
        let overridden = match &helper {
            Some(h) => check_regular(c, svc, &row, h, choice.override_reason.as_deref())?,
            None => Vec::new(),
        };
        db::series::set_helper(c, &row.id, helper.as_ref().map(|h| h.as_str()))?;
        let mut detail = format!("helper={}", helper.as_ref().map_or("none", |h| h.as_str()));
        if let (false, Some(why)) = (overridden.is_empty(), &choice.override_reason) {
            detail.push_str(&format!(
                "; override: {}; reason: {why}",
                overridden.join(",")
            ));
        }
        db::audit::record(
            c,
            svc.now(),
            Some(caller.id.as_str()),
            AuditAction::SeriesChanged,
            &row.id,
            Some(&detail),
        )?;
        let row = db::series::get(c, id.as_str())?.ok_or(Error::NotFound)?;
        view(c, svc, caller, row, svc.now())
    })
}

/// Check a helper before they become this series' regular helper: the hard rules (409), then
/// skill, reach and times (422 naming each, unless overridden). Answers the checks overridden.
fn check_regular(
    c: &mut DbConnection,
    svc: &Services,
    row: &SeriesRow,
    helper: &UserId,
    override_reason: Option<&str>,
) -> Result<Vec<&'static str>> {
    let (user, h) = db::helpers::get(c, helper.as_str())?
        .ok_or_else(|| Error::invalid("helper_id", "no helper has this id"))?;
    let availability = h.availability()?;
    let weekly = crate::domain::availability::Schedule {
        time_off: Vec::new(),
        help_now_until: None,
        ..availability.schedule()
    };
    let skills = Category::decode_set(&h.skills);
    let today = svc.now().date();
    let candidate = regular::Candidate {
        account_open: user.is_active(),
        vetting: h.vetting_status,
        vetting_expires_on: h.vetting_expires_on,
        skills: &skills,
        home: h.home(),
        max_distance_km: h.max_distance_km,
        weekly: &weekly,
    };
    if let Some(why) = regular::hard_refusal(&candidate, today) {
        return Err(Error::Conflict(why.into()));
    }
    let rhythm = rhythm(row)?;
    let standing = regular::Standing {
        category: row.category,
        location: Location {
            lat: row.lat,
            lon: row.lon,
        },
        rhythm: &rhythm,
        duration_minutes: row.duration_minutes.into(),
    };
    let failed = regular::soft_failures(&candidate, &standing, today);
    if failed.is_empty() || override_reason.is_some() {
        return Ok(failed.iter().map(|f| f.check).collect());
    }
    Err(Error::Invalid(
        failed
            .into_iter()
            .map(|f| crate::domain::validator::FieldError::new(f.check, f.message))
            .collect(),
    ))
}

/// A helper accepted an occurrence `for_whole_series`: they become the regular helper, the open
/// offers others hold for the later occurrences are withdrawn, and those go to them alone.
pub fn become_regular(
    c: &mut DbConnection,
    svc: &Services,
    request: &RequestRow,
    helper_id: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(series_id) = &request.series_id else {
        return Err(Error::invalid(
            "whole_series",
            "this job is not part of a standing request",
        ));
    };
    db::series::set_helper(c, series_id, Some(helper_id))?;
    for later in db::series::upcoming(c, series_id, now)? {
        if later.window_start <= request.window_start
            || !matches!(later.status, RequestStatus::Open | RequestStatus::Offered)
        {
            continue;
        }
        db::offers::withdraw_open(c, &later.id, now)?;
        let hours = svc.settings.series.regular_first_hours;
        if !flow::offer_to_regular(c, &svc.settings, &later.id, helper_id, hours, now)? {
            flow::offer_next(c, &svc.settings, &later.id, now)?;
        }
    }
    Ok(())
}

/// What one pass of making occurrences did.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
pub struct MadeOccurrences {
    pub made: usize,
    pub to_regular: usize,
}

/// Make the occurrences of every active series up to `series.weeks_ahead` weeks after `now`;
/// a series paused until today or earlier is active again first.
pub fn make_occurrences(svc: &Services, now: NaiveDateTime) -> Result<MadeOccurrences> {
    svc.write(|c| {
        for id in db::series::resume_due(c, now.date())? {
            let detail = "status=active; the pause ended";
            db::audit::record(c, now, None, AuditAction::SeriesChanged, &id, Some(detail))?;
        }
        Ok(())
    })?;
    let ids = svc.read(|c| Ok(db::series::active(c)?))?;
    let mut done = MadeOccurrences::default();
    for row in ids {
        let one = make_for(svc, &SeriesId::from_string(row.id), now)?;
        done.made += one.made;
        done.to_regular += one.to_regular;
    }
    Ok(done)
}

/// Make one series' missing occurrences from `now` on, in one transaction.
fn make_for(svc: &Services, id: &SeriesId, now: NaiveDateTime) -> Result<MadeOccurrences> {
    svc.write(|c| match db::series::get(c, id.as_str())? {
        Some(row) => make_in(c, svc, &row, now),
        None => Ok(MadeOccurrences::default()),
    })
}

/// Make an active series' missing occurrences up to `series.weeks_ahead` weeks after `now`,
/// each offered to the regular helper first, or as usual.
fn make_in(
    c: &mut DbConnection,
    svc: &Services,
    row: &SeriesRow,
    now: NaiveDateTime,
) -> Result<MadeOccurrences> {
    let mut done = MadeOccurrences::default();
    // Paused until a day: the visits from that day on are made, for helpers to hear in time.
    let from_day = match (row.status, row.paused_until) {
        (SeriesStatus::Active, _) => None,
        (SeriesStatus::Paused, Some(day)) => Some(day),
        _ => return Ok(done),
    };
    let address = db::members::get(c, &row.member_id)?.map(|(_, m)| m.address);
    let area_name = db::places::nearest_district(
        c,
        Location {
            lat: row.lat,
            lon: row.lon,
        },
    )?;
    let rhythm = rhythm(row)?;
    let until = now.date() + Duration::weeks(svc.settings.series.weeks_ahead);
    let mut unmade = Vec::new();
    let mut available = None;
    for day in rhythm.days(now.date(), until) {
        let (start, end) = rhythm.window(day);
        if start.naive_utc() <= now || from_day.is_some_and(|first| day < first) {
            continue;
        }
        if svc.settings.membership.tokens_required && !db::series::has_occurrence(c, &row.id, day)?
        {
            let left = match available {
                Some(left) => left,
                None => super::membership::available_minutes(c, &row.member_id)?,
            };
            available = Some(left);
            if left < i64::from(row.duration_minutes) {
                unmade.push(day);
                continue;
            }
            available = Some(left - i64::from(row.duration_minutes));
        }
        let occurrence = RequestRow {
            series_id: Some(row.id.clone()),
            occurs_on: Some(day),
            ..NewRequestRow {
                member_id: row.member_id.clone(),
                created_by: row.created_by.clone(),
                category: row.category,
                description: row.description.clone(),
                window_start: start.naive_utc(),
                window_end: end.naive_utc(),
                duration_minutes: row.duration_minutes,
                lat: row.lat,
                lon: row.lon,
                address: address.clone(),
                area_name: area_name.clone(),
                created_at: now,
            }
            .into()
        };
        if !db::series::add_occurrence(c, &occurrence)? {
            continue;
        }
        done.made += 1;
        let hours = svc.settings.series.regular_first_hours;
        let regular = match &row.helper_id {
            Some(h) => flow::offer_to_regular(c, &svc.settings, &occurrence.id, h, hours, now)?,
            None => false,
        };
        if regular {
            done.to_regular += 1;
        } else {
            flow::offer_next(c, &svc.settings, &occurrence.id, now)?;
        }
    }
    tell_unmade(c, svc, row, &unmade, available.unwrap_or(0), now)?;
    Ok(done)
}

/// Occurrences left unmade for want of tokens: the member and coordinators are told once per
/// day, and the log says which days.
fn tell_unmade(
    c: &mut DbConnection,
    svc: &Services,
    row: &SeriesRow,
    days: &[NaiveDate],
    available: i64,
    now: NaiveDateTime,
) -> Result<()> {
    let mut new_days = Vec::new();
    for day in days {
        let detail = day.to_string();
        if !db::audit::has(c, AuditAction::OccurrenceUnmade, &row.id, &detail)? {
            db::audit::record(
                c,
                now,
                None,
                AuditAction::OccurrenceUnmade,
                &row.id,
                Some(&detail),
            )?;
            new_days.push(*day);
        }
    }
    if !new_days.is_empty() {
        notify::events::occurrences_unmade(c, &svc.settings, row, &new_days, available, now)?;
    }
    Ok(())
}
