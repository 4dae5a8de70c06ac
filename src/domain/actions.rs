//! What may be done now, and by whom, to a request, an offer, an event or a standing request:
//! the one place that decides. For a request,
//! the caller's part in it and a time, [`request_actions`] answers every action that part could
//! take (allowed or not, from and until when, and why not in a plain sentence). The use cases
//! refuse with that sentence (409), the views serve the answers as `actions`, and the app and the
//! console draw their buttons from them.
//!
//! The rules of time: arriving opens [`TimeRules::check_in_early`] before the helper's planned
//! start and closes [`CHECK_IN_CLOSES_AFTER_WINDOW`] after the window; leaving follows arriving;
//! "it is done" opens at the planned start (at once after arriving); "nobody came" opens
//! [`TimeRules::no_show_after`] after the planned start and closes [`NO_SHOW_CLOSES_AFTER_WINDOW`]
//! after the window; a rating follows completion, once, for [`FEEDBACK_FOR`]; a member may cancel
//! until the window starts (coordinators until completion); a helper may withdraw until the
//! window starts.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use super::{RequestStatus, SeriesStatus};

/// Why nothing can be done for a deactivated or erased member.
pub const CLOSED_MEMBER: &str = "This member's account is closed.";

pub const CHECK_IN_CLOSES_AFTER_WINDOW: Duration = Duration::hours(12);
pub const NO_SHOW_CLOSES_AFTER_WINDOW: Duration = Duration::days(7);
pub const FEEDBACK_FOR: Duration = Duration::days(30);

/// The settings the rules of time read.
#[derive(Debug, Clone, Copy)]
pub struct TimeRules {
    pub check_in_early: Duration,
    pub no_show_after: Duration,
    /// The Circle's time zone, in which reasons name times.
    pub tz: Tz,
}

/// One action and whether it may be taken now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Action {
    /// The action's last path segment (`cancel`, `check-in`, …).
    #[schema(example = "check-in")]
    pub name: &'static str,
    pub allowed: bool,
    /// When a time-bound action opens.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub from: Option<DateTime<Utc>>,
    /// When a time-bound action closes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub until: Option<DateTime<Utc>>,
    /// Why not, in one plain sentence; present whenever `allowed` is false.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "You can say you have arrived from 09:00 on Tuesday 8 December.")]
    pub reason: Option<String>,
}

/// The caller's part in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The member who asked.
    Member,
    /// The helper assigned to it.
    Helper,
    /// A helper who once had it (or never did): sees it, may do nothing.
    Onlooker,
    Coordinator,
}

/// What the rules read of a request.
#[derive(Debug, Clone, Copy)]
pub struct RequestFacts {
    pub status: RequestStatus,
    pub window_start: NaiveDateTime,
    pub window_end: NaiveDateTime,
    /// The assigned helper's planned arrival.
    pub planned_start: Option<NaiveDateTime>,
    pub confirmed: bool,
    pub checked_in: bool,
    pub checked_out: bool,
    pub completed_at: Option<NaiveDateTime>,
    pub rated: bool,
    /// The member's account is deactivated or erased.
    pub member_closed: bool,
    /// The assigned helper may no longer go into homes: suspended, no longer approved, vetting
    /// lapsed, or their account closed ([`helper_fit`]).
    pub helper_unfit: bool,
}

/// Why an assigned helper who may no longer go into homes cannot take the visit's steps.
pub const HELPER_PAUSED: &str =
    "A coordinator has paused your visits. Please ring your coordinator.";

/// Whether a helper may go into homes on `today`: an open account, approved, vetting in date.
pub fn helper_fit(
    account_open: bool,
    vetting: super::VettingStatus,
    vetting_expires_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> bool {
    account_open
        && vetting == super::VettingStatus::Approved
        && vetting_expires_on.is_some_and(|d| d >= today)
}

impl RequestFacts {
    /// When the visit counts from: the helper's planned arrival, or the window's start.
    pub fn start(&self) -> NaiveDateTime {
        self.planned_start.unwrap_or(self.window_start)
    }
}

/// The actions each part could take, in the order screens show them.
pub fn names_for(part: Part) -> &'static [&'static str] {
    match part {
        Part::Member => &["cancel", "no-show", "feedback"],
        Part::Helper => &[
            "confirm",
            "running-late",
            "check-in",
            "check-out",
            "complete",
            "withdraw",
        ],
        Part::Onlooker => &[],
        Part::Coordinator => &[
            "assign", "confirm", "complete", "no-show", "withdraw", "cancel",
        ],
    }
}

/// Every action `part` could take on the request, decided at `now`.
pub fn request_actions(
    f: &RequestFacts,
    part: Part,
    now: NaiveDateTime,
    rules: &TimeRules,
) -> Vec<Action> {
    names_for(part)
        .iter()
        .map(|name| decide(f, part, name, now, rules))
        .collect()
}

/// One action, decided at `now`. An action the part could never take is refused with a reason.
pub fn decide(
    f: &RequestFacts,
    part: Part,
    name: &'static str,
    now: NaiveDateTime,
    rules: &TimeRules,
) -> Action {
    let d = Decision {
        f,
        now,
        rules,
        name,
    };
    let coordinator = part == Part::Coordinator;
    let member = part == Part::Member;
    let helper = part == Part::Helper;
    // A helper paused by a coordinator takes no step of the visit (withdrawing stays open, so
    // that it goes to someone else).
    if helper
        && f.helper_unfit
        && matches!(
            name,
            "confirm" | "running-late" | "check-in" | "check-out" | "complete"
        )
    {
        return d.no(HELPER_PAUSED);
    }
    match name {
        "cancel" if member || coordinator => d.cancel(coordinator),
        "confirm" if helper || coordinator => d.confirm(helper),
        "withdraw" if helper || coordinator => d.withdraw(),
        "check-in" if helper => d.check_in(),
        "running-late" if helper => d.running_late(),
        "check-out" if helper => d.check_out(),
        "complete" if helper || coordinator => d.complete(),
        "no-show" if member || coordinator => d.no_show(),
        "feedback" if member => d.feedback(),
        "assign" if coordinator => d.assign(),
        _ => d.no("This is not yours to do."),
    }
}

struct Decision<'a> {
    f: &'a RequestFacts,
    now: NaiveDateTime,
    rules: &'a TimeRules,
    name: &'static str,
}

impl Decision<'_> {
    fn action(&self, allowed: bool, reason: Option<String>) -> Action {
        Action {
            name: self.name,
            allowed,
            from: None,
            until: None,
            reason: if allowed { None } else { reason },
        }
    }

    fn yes(&self) -> Action {
        self.action(true, None)
    }

    fn no(&self, why: &str) -> Action {
        self.action(false, Some(why.to_string()))
    }

    /// Open from `from` (if any) until `until` (if any), with the sentences for too early and
    /// too late.
    fn between(
        &self,
        from: Option<NaiveDateTime>,
        until: Option<NaiveDateTime>,
        early: impl FnOnce(String) -> String,
        late: &str,
    ) -> Action {
        let mut a = if from.is_some_and(|t| self.now < t) {
            self.no(&early(self.at(from.unwrap_or(self.now))))
        } else if until.is_some_and(|t| self.now >= t) {
            self.no(late)
        } else {
            self.yes()
        };
        a.from = from.map(|t| t.and_utc());
        a.until = until.map(|t| t.and_utc());
        a
    }

    /// "09:00 on Tuesday 8 December", in the Circle's zone.
    fn at(&self, t: NaiveDateTime) -> String {
        t.and_utc()
            .with_timezone(&self.rules.tz)
            .format("%H:%M on %A %-d %B")
            .to_string()
    }

    fn assigned(&self) -> Option<Action> {
        match self.f.status {
            RequestStatus::Assigned => None,
            RequestStatus::Completed => Some(self.no("This visit is done.")),
            RequestStatus::Cancelled => Some(self.no("This request was cancelled.")),
            RequestStatus::Expired => Some(self.no("This request ran out with nobody going.")),
            RequestStatus::Open | RequestStatus::Offered => {
                Some(self.no("Nobody has said yes to this visit yet."))
            }
        }
    }

    fn cancel(&self, coordinator: bool) -> Action {
        if self.f.status.is_final() {
            return self.assigned().unwrap_or_else(|| self.yes());
        }
        if coordinator {
            return self.yes();
        }
        self.between(
            None,
            Some(self.f.window_start),
            |_| String::new(),
            "The visit's time has begun, so it can no longer be cancelled here. Please ring your coordinator.",
        )
    }

    fn confirm(&self, helper: bool) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        if self.f.confirmed {
            return self.no(if helper {
                "You have already said you are coming."
            } else {
                "The helper has already said they are coming."
            });
        }
        self.between(
            None,
            Some(self.f.start()),
            |_| String::new(),
            "The visit's time has come: there is nothing to confirm now.",
        )
    }

    fn withdraw(&self) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        self.between(
            None,
            Some(self.f.window_start),
            |_| String::new(),
            "The visit's time has begun: please ring your coordinator instead.",
        )
    }

    fn check_in(&self) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        if self.f.checked_in {
            return self.no("You have already said you have arrived.");
        }
        self.between(
            Some(self.f.start() - self.rules.check_in_early),
            Some(self.f.window_end + CHECK_IN_CLOSES_AFTER_WINDOW),
            |t| format!("You can say you have arrived from {t}."),
            "The visit's time has passed. Please ring your coordinator.",
        )
    }

    /// From when arriving opens until the window ends, while they have not arrived.
    fn running_late(&self) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        if self.f.checked_in {
            return self.no("You have already said you have arrived.");
        }
        self.between(
            Some(self.f.start() - self.rules.check_in_early),
            Some(self.f.window_end),
            |t| format!("You can say you are running late from {t}."),
            "The visit's time has passed. Please ring your coordinator.",
        )
    }

    fn check_out(&self) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        if !self.f.checked_in {
            return self.no("Say you have arrived first.");
        }
        if self.f.checked_out {
            return self.no("You have already said you have finished.");
        }
        self.yes()
    }

    fn complete(&self) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        if self.f.checked_in {
            return self.yes();
        }
        self.between(
            Some(self.f.start()),
            None,
            |t| format!("The visit can be marked done from {t}, when it is due to start."),
            "",
        )
    }

    fn no_show(&self) -> Action {
        if let Some(no) = self.assigned() {
            return no;
        }
        if self.f.checked_in {
            return self.no("The helper said they had arrived for this visit.");
        }
        self.between(
            Some(self.f.start() + self.rules.no_show_after),
            Some(self.f.window_end + NO_SHOW_CLOSES_AFTER_WINDOW),
            |t| format!("You can say nobody came from {t}."),
            "It is too long since the visit to say nobody came. Please ring your coordinator.",
        )
    }

    fn feedback(&self) -> Action {
        if self.f.status != RequestStatus::Completed {
            return self.no("You can say how it went once the visit is done.");
        }
        if self.f.rated {
            return self.no("You have already said how it went. Thank you.");
        }
        let done = self.f.completed_at.unwrap_or(self.f.window_end);
        self.between(
            None,
            Some(done + FEEDBACK_FOR),
            |_| String::new(),
            "It is too long since the visit to say how it went.",
        )
    }

    fn assign(&self) -> Action {
        match self.f.status {
            RequestStatus::Open | RequestStatus::Offered => {}
            RequestStatus::Assigned => return self.no("A helper is already going."),
            _ => return self.assigned().unwrap_or_else(|| self.yes()),
        }
        if self.f.member_closed {
            return self.no(CLOSED_MEMBER);
        }
        self.between(
            None,
            Some(self.f.window_end),
            |_| String::new(),
            "The time asked for has passed.",
        )
    }
}

/// Why an offer cannot be answered now (accepted or declined); `None` while it is open.
pub fn offer_closed(
    status: super::OfferStatus,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Option<String> {
    use super::OfferStatus;
    match status {
        OfferStatus::Open if expires_at <= now => {
            Some("This offer has lapsed: the time to answer it has passed.".into())
        }
        OfferStatus::Open => None,
        OfferStatus::Accepted => Some("You have already accepted this job.".into()),
        OfferStatus::Withdrawn => {
            Some("This job was taken by another helper or is no longer needed.".into())
        }
        OfferStatus::Lapsed => {
            Some("This offer has lapsed: the time to answer it has passed.".into())
        }
        OfferStatus::Declined => Some("You said no to this one.".into()),
    }
}

/// A helper's answers to an offer, `accept` and `decline`, open until the offer runs out.
pub fn offer_actions(
    status: super::OfferStatus,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Vec<Action> {
    let why = offer_closed(status, expires_at, now);
    ["accept", "decline"]
        .into_iter()
        .map(|name| Action {
            name,
            allowed: why.is_none(),
            from: None,
            until: Some(expires_at.and_utc()),
            reason: why.clone(),
        })
        .collect()
}

/// What the rules read of a social event.
#[derive(Debug, Clone, Copy)]
pub struct EventFacts {
    pub cancelled: bool,
    pub starts_at: NaiveDateTime,
    /// The calling member's own place, as a word (`going`, `waiting`), if they have one.
    pub signed_up: Option<&'static str>,
}

/// Every action the caller could take on an event: a member `signups`, and `leave` (giving up
/// their place) once they have one; a coordinator `edit`, `cancel` and `signups` before it starts, and
/// `attendance` (who came) from its start. A cancelled event allows nothing but reading.
pub fn event_actions(f: &EventFacts, coordinator: bool, now: NaiveDateTime) -> Vec<Action> {
    let names: &[&'static str] = match coordinator {
        true => &["edit", "cancel", "signups", "attendance"],
        false => &["signups", "leave"],
    };
    names
        .iter()
        .filter(|name| coordinator || **name != "leave" || f.signed_up.is_some())
        .map(|name| decide_event(f, coordinator, name, now))
        .collect()
}

/// One action on an event, decided at `now`.
pub fn decide_event(
    f: &EventFacts,
    coordinator: bool,
    name: &'static str,
    now: NaiveDateTime,
) -> Action {
    let refuse = |why: String| Action {
        name,
        allowed: false,
        from: None,
        until: Some(f.starts_at.and_utc()),
        reason: Some(why),
    };
    if name == "attendance" && coordinator {
        return match (f.cancelled, now < f.starts_at) {
            (true, _) => refuse("The event is cancelled.".into()),
            (false, true) => Action {
                from: Some(f.starts_at.and_utc()),
                until: None,
                ..refuse("Who came can be recorded once the event has started.".into())
            },
            (false, false) => Action {
                name,
                allowed: true,
                from: Some(f.starts_at.and_utc()),
                until: None,
                reason: None,
            },
        };
    }
    let (cancelled, started) = match name {
        "edit" if coordinator => (
            "The event is cancelled.",
            "The event has started; it can no longer be changed.",
        ),
        "cancel" if coordinator => (
            "The event is already cancelled.",
            "The event has started; it can no longer be cancelled.",
        ),
        "signups" => (
            "The event is cancelled; sign-ups are closed.",
            "The event has started; sign-ups are closed.",
        ),
        "leave" if !coordinator => (
            "The event is cancelled: there is nothing to leave.",
            "The event has started: it is too late to leave it.",
        ),
        _ => return refuse("This is not yours to do.".into()),
    };
    if f.cancelled {
        return refuse(cancelled.into());
    }
    if now >= f.starts_at {
        return refuse(started.into());
    }
    match (coordinator, name, f.signed_up) {
        (false, "signups", Some(place)) => return refuse(format!("Already signed up: {place}.")),
        (false, "leave", None) => return refuse("You have not signed up for this event.".into()),
        _ => {}
    }
    Action {
        name,
        allowed: true,
        from: None,
        until: Some(f.starts_at.and_utc()),
        reason: None,
    }
}

/// What decides a standing request's actions.
#[derive(Debug, Clone, Copy)]
pub struct SeriesFacts {
    pub status: SeriesStatus,
    pub member_closed: bool,
}

/// Every action the caller could take on a standing request: its member `pause`, `resume` and
/// `end`; a coordinator those and `helper` (choosing its regular helper). Its helper and others
/// read it only.
pub fn series_actions(f: &SeriesFacts, part: Part) -> Vec<Action> {
    let names: &[&'static str] = match part {
        Part::Coordinator => &["pause", "resume", "end", "helper"],
        Part::Member => &["pause", "resume", "end"],
        Part::Helper | Part::Onlooker => &[],
    };
    names
        .iter()
        .map(|name| decide_series(f, part, name))
        .collect()
}

/// One action on a standing request.
pub fn decide_series(f: &SeriesFacts, part: Part, name: &'static str) -> Action {
    let refuse = |why: &str| Action {
        name,
        allowed: false,
        from: None,
        until: None,
        reason: Some(why.into()),
    };
    let yours = match name {
        "pause" | "resume" | "end" => matches!(part, Part::Member | Part::Coordinator),
        "helper" => part == Part::Coordinator,
        _ => false,
    };
    if !yours {
        return refuse("This is not yours to do.");
    }
    if f.status == SeriesStatus::Ended {
        return refuse("This regular help has ended.");
    }
    let why = match (name, f.status) {
        ("pause", SeriesStatus::Paused) => Some("This regular help is already paused."),
        ("resume", SeriesStatus::Active) => Some("This regular help is not paused."),
        ("resume" | "helper", _) if f.member_closed => Some(CLOSED_MEMBER),
        _ => None,
    };
    match why {
        Some(why) => refuse(why),
        None => Action {
            name,
            allowed: true,
            from: None,
            until: None,
            reason: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_event_allows_nothing_but_reading() {
        let f = EventFacts {
            cancelled: true,
            starts_at: at("2026-12-10 10:00"),
            signed_up: None,
        };
        for coordinator in [true, false] {
            for a in event_actions(&f, coordinator, at("2026-12-06 10:00")) {
                assert!(!a.allowed, "{a:?}");
            }
        }
        let on = EventFacts {
            cancelled: false,
            ..f
        };
        assert!(decide_event(&on, false, "signups", at("2026-12-06 10:00")).allowed);
        assert!(!decide_event(&on, false, "signups", at("2026-12-10 10:00")).allowed);
        let going = EventFacts {
            signed_up: Some("going"),
            ..on
        };
        assert_eq!(
            decide_event(&going, false, "signups", at("2026-12-06 10:00"))
                .reason
                .as_deref(),
            Some("Already signed up: going.")
        );
        // Leaving: only with a place, before the start, and not once it is cancelled.
        assert!(decide_event(&going, false, "leave", at("2026-12-06 10:00")).allowed);
        assert!(!decide_event(&on, false, "leave", at("2026-12-06 10:00")).allowed);
        assert!(!decide_event(&going, false, "leave", at("2026-12-10 10:00")).allowed);
        let called_off = EventFacts {
            cancelled: true,
            ..going
        };
        assert!(!decide_event(&called_off, false, "leave", at("2026-12-06 10:00")).allowed);
    }

    #[test]
    fn standing_requests_say_what_comes_next() {
        let active = SeriesFacts {
            status: SeriesStatus::Active,
            member_closed: false,
        };
        let allowed = |f: &SeriesFacts, part| {
            series_actions(f, part)
                .into_iter()
                .filter(|a| a.allowed)
                .map(|a| a.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(allowed(&active, Part::Member), ["pause", "end"]);
        assert_eq!(
            allowed(&active, Part::Coordinator),
            ["pause", "end", "helper"]
        );
        assert!(series_actions(&active, Part::Helper).is_empty());
        let paused = SeriesFacts {
            status: SeriesStatus::Paused,
            ..active
        };
        assert_eq!(allowed(&paused, Part::Member), ["resume", "end"]);
        let closed = SeriesFacts {
            member_closed: true,
            ..paused
        };
        assert_eq!(allowed(&closed, Part::Coordinator), ["end"]);
        let ended = SeriesFacts {
            status: SeriesStatus::Ended,
            ..active
        };
        assert!(allowed(&ended, Part::Coordinator).is_empty());
        assert_eq!(
            decide_series(&ended, Part::Member, "resume")
                .reason
                .as_deref(),
            Some("This regular help has ended.")
        );
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn rules() -> TimeRules {
        TimeRules {
            check_in_early: Duration::minutes(60),
            no_show_after: Duration::minutes(30),
            tz: chrono_tz::Europe::London,
        }
    }

    /// Tuesday 8 December 2026, 09:00 to 12:00, the helper planning 10:00.
    fn tuesday() -> RequestFacts {
        RequestFacts {
            status: RequestStatus::Assigned,
            window_start: at("2026-12-08 09:00"),
            window_end: at("2026-12-08 12:00"),
            planned_start: Some(at("2026-12-08 10:00")),
            confirmed: false,
            checked_in: false,
            checked_out: false,
            completed_at: None,
            rated: false,
            member_closed: false,
            helper_unfit: false,
        }
    }

    #[test]
    fn a_paused_helper_takes_no_step_but_may_withdraw() {
        let f = RequestFacts {
            helper_unfit: true,
            ..tuesday()
        };
        for name in ["confirm", "check-in", "complete"] {
            let a = allowed(&f, Part::Helper, name, "2026-12-08 10:15");
            assert_eq!(a.reason.as_deref(), Some(HELPER_PAUSED), "{name}");
        }
        assert!(allowed(&f, Part::Helper, "withdraw", "2026-12-07 10:00").allowed);
        // A coordinator may still mark it done, or send someone else.
        assert!(allowed(&f, Part::Coordinator, "complete", "2026-12-08 10:15").allowed);
    }

    fn allowed(f: &RequestFacts, part: Part, name: &'static str, now: &str) -> Action {
        decide(f, part, name, at(now), &rules())
    }

    #[test]
    fn nothing_is_done_before_it_happens() {
        let f = tuesday();
        let sunday = "2026-12-06 15:00";
        let early = allowed(&f, Part::Helper, "check-in", sunday);
        assert!(!early.allowed);
        assert_eq!(
            early.reason.as_deref(),
            Some("You can say you have arrived from 09:00 on Tuesday 8 December.")
        );
        assert!(!allowed(&f, Part::Helper, "complete", sunday).allowed);
        assert!(!allowed(&f, Part::Coordinator, "complete", sunday).allowed);
        assert!(!allowed(&f, Part::Member, "no-show", sunday).allowed);
        assert!(allowed(&f, Part::Helper, "check-in", "2026-12-08 09:00").allowed);
        assert!(!allowed(&f, Part::Helper, "complete", "2026-12-08 09:59").allowed);
        assert!(allowed(&f, Part::Helper, "complete", "2026-12-08 10:00").allowed);
        let arrived = RequestFacts {
            checked_in: true,
            ..tuesday()
        };
        assert!(allowed(&arrived, Part::Helper, "complete", "2026-12-08 09:05").allowed);
        assert!(!allowed(&arrived, Part::Member, "no-show", "2026-12-08 11:00").allowed);
    }

    #[test]
    fn nobody_came_opens_half_an_hour_after_the_planned_start() {
        let f = tuesday();
        let no = allowed(&f, Part::Coordinator, "no-show", "2026-12-08 10:29");
        assert_eq!(
            no.reason.as_deref(),
            Some("You can say nobody came from 10:30 on Tuesday 8 December.")
        );
        assert!(allowed(&f, Part::Coordinator, "no-show", "2026-12-08 10:30").allowed);
        assert!(!allowed(&f, Part::Member, "no-show", "2026-12-15 12:00").allowed);
    }

    #[test]
    fn a_member_cancels_until_the_window_and_a_coordinator_after() {
        let f = tuesday();
        assert!(allowed(&f, Part::Member, "cancel", "2026-12-08 08:59").allowed);
        assert!(!allowed(&f, Part::Member, "cancel", "2026-12-08 09:00").allowed);
        assert!(allowed(&f, Part::Coordinator, "cancel", "2026-12-08 11:00").allowed);
        let done = RequestFacts {
            status: RequestStatus::Completed,
            completed_at: Some(at("2026-12-08 11:00")),
            ..tuesday()
        };
        assert!(!allowed(&done, Part::Coordinator, "cancel", "2026-12-08 11:30").allowed);
        assert!(allowed(&done, Part::Member, "feedback", "2026-12-20 11:30").allowed);
        assert!(!allowed(&done, Part::Member, "feedback", "2027-01-08 11:01").allowed);
    }

    #[test]
    fn every_refusal_says_why() {
        let parts = [
            Part::Member,
            Part::Helper,
            Part::Onlooker,
            Part::Coordinator,
        ];
        for status in RequestStatus::ALL {
            let f = RequestFacts {
                status,
                ..tuesday()
            };
            for part in parts {
                for now in ["2026-12-01 10:00", "2026-12-08 10:45", "2027-02-01 10:00"] {
                    for a in request_actions(&f, part, at(now), &rules()) {
                        assert_eq!(a.allowed, a.reason.is_none(), "{a:?}");
                        assert!(a.reason.as_ref().is_none_or(|r| r.ends_with('.')), "{a:?}");
                    }
                }
            }
        }
    }
}
