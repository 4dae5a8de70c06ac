//! The states and kinds that are stored as words: offer and vetting statuses, roles, outbox
//! states, audit actions, safeguarding concerns' kinds and states. Each is an enum here; `db::types` converts it to and from its stored
//! text, and an unknown stored word is an error there, never a default.

use serde::{Deserialize, Serialize};

/// An enum stored as text: its words, `as_str`, `parse` (naming the words it knows), `ALL`.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            pub fn parse(s: &str) -> Result<Self, String> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let words: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    format!("must be one of {}", words.join(", "))
                })
            }
        }

        // Written by hand: the derive does not see the words through this macro.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($word),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl PartialEq<&str> for $name {
            fn eq(&self, word: &&str) -> bool {
                self.as_str() == *word
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// A line of a person's record: a note, a call logged, or a call-back to make on a day.
    NoteKind {
        Note = "note",
        Call = "call",
        CallBack = "call_back",
    }
);

text_enum!(
    /// A way to reach a person, as `contact_by` lists them in order.
    Channel {
        /// The app on their phone (Web Push).
        App = "app",
        Email = "email",
        /// A text to their mobile.
        Sms = "sms",
        /// A coordinator rings them.
        PhoneCall = "phone_call",
    }
);

impl Channel {
    /// The way in words.
    pub fn label(self) -> &'static str {
        match self {
            Channel::App => "The app",
            Channel::Email => "Email",
            Channel::Sms => "A text message",
            Channel::PhoneCall => "A phone call",
        }
    }
}

text_enum!(
    /// A check behind a helper's vetting.
    CheckKind {
        /// A DBS certificate: its number and date.
        Dbs = "dbs",
        /// A reference taken up: the referee.
        Reference = "reference",
        /// Proof of identity seen.
        Identity = "identity",
    }
);

impl CheckKind {
    /// The check in words.
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Dbs => "DBS certificate",
            CheckKind::Reference => "Reference",
            CheckKind::Identity => "Proof of identity",
        }
    }
}

text_enum!(
    /// Where a member's membership stands, for finding members by it.
    MembershipState {
        /// Their latest membership has not ended.
        Current = "current",
        /// It ends within the next four weeks.
        Ending = "ending",
        /// It has ended.
        Ended = "ended",
        /// They have never had one.
        None = "none",
    }
);

text_enum!(
    /// What needs a coordinator today, and why.
    FollowUpKind {
        /// A visit's window passed and no one said how it went.
        VisitWithoutOutcome = "visit_without_outcome",
        /// A safeguarding concern's review date has come, or it has none.
        ConcernReview = "concern_review",
        /// An email (or text) failed for someone with a visit in the next 48 hours.
        MessageFailed = "message_failed",
        /// A member with no email, no phone and no app.
        NoContactRoute = "no_contact_route",
        /// A call-back a coordinator set, on or after its day.
        CallBack = "call_back",
        /// A visit under way whose helper has not said they have arrived.
        NoArrival = "no_arrival",
        /// A member with no email or texts has a visit in the next two days: ring to say who is
        /// coming and the words at the door (gone once a call is logged on their record).
        TellWhoIsComing = "tell_who_is_coming",
    }
);

text_enum!(
    /// What a signed-in caller is.
    Role {
        Member = "member",
        Helper = "helper",
        Coordinator = "coordinator",
        /// Someone a member asked to arrange help for them (family, a friend), with no help of
        /// their own: they act only for the members who invited them, with the rights given.
        Delegate = "delegate",
    }
);

text_enum!(
    /// What a member's delegate may do for them: `ask` for help (and cancel it, or say nobody
    /// came), `see` their visits, the words at the door and their events, and `account` (their
    /// tokens, membership and details), which only a coordinator gives.
    Right {
        Ask = "ask",
        See = "see",
        Account = "account",
    }
);

text_enum!(
    /// An offer of a job to one helper: `open`, then one of the others. `lapsed` is stored once
    /// the sweep has seen it; an open offer past its time is shown as lapsed before that.
    OfferStatus {
        Open = "open",
        Accepted = "accepted",
        Declined = "declined",
        Lapsed = "lapsed",
        /// Someone else took the job, or it was cancelled, expired or the helper stopped being approved.
        Withdrawn = "withdrawn",
    }
);

impl OfferStatus {
    /// Offers that mean a helper turned a job down, in words or by silence.
    pub const TURNED_DOWN: &'static [OfferStatus] = &[OfferStatus::Declined, OfferStatus::Lapsed];
}

text_enum!(
    /// Where a helper's vetting stands.
    VettingStatus {
        /// Applied; waiting for a coordinator.
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Suspended = "suspended",
    }
);

text_enum!(
    /// A coordinator's vetting decision: every vetting status but `pending`.
    VettingDecision {
        Approved = "approved",
        Rejected = "rejected",
        Suspended = "suspended",
    }
);

impl VettingDecision {
    pub fn status(self) -> VettingStatus {
        match self {
            VettingDecision::Approved => VettingStatus::Approved,
            VettingDecision::Rejected => VettingStatus::Rejected,
            VettingDecision::Suspended => VettingStatus::Suspended,
        }
    }
}

text_enum!(
    /// Where an email in the outbox stands.
    OutboxStatus {
        Pending = "pending",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
    }
);

text_enum!(
    /// What a one-tap link in an email does.
    LinkAction {
        Accept = "accept",
        Decline = "decline",
        Confirm = "confirm",
    }
);

text_enum!(
    /// What the audit log records.
    AuditAction {
        /// Help asked for a member by their delegate (on behalf of the member); other requests
        /// name who asked in their `created_by`.
        RequestAsked = "request.asked",
        RequestCancelled = "request.cancelled",
        RequestCompleted = "request.completed",
        RequestExpired = "request.expired",
        RequestAssigned = "request.assigned",
        RequestAssignForced = "request.assign_forced",
        OfferAccepted = "offer.accepted",
        /// An offer withdrawn earlier was made again to the same helper: the detail keeps the
        /// earlier offer's lines (JSON: `helper`, `offered_at`, `km`, `answer`, `answered_at`),
        /// so that the request's story keeps them.
        OfferSuperseded = "offer.superseded",
        MemberAddressRevealed = "member.address_revealed",
        MemberBlockedHelper = "member.blocked_helper",
        MemberUnblockedHelper = "member.unblocked_helper",
        HelperVetting = "helper.vetting",
        MatchingBatchRun = "matching.batch_run",
        ReportSent = "report.sent",
        UserDeactivated = "user.deactivated",
        /// A coordinator erased a person's data (UK GDPR); the detail is the reason.
        UserErased = "user.erased",
        /// A person's data was exported.
        UserExported = "user.exported",
        UserReactivated = "user.reactivated",
        SignedOutEverywhere = "user.signed_out_everywhere",
        ProfileChanged = "user.profile_changed",
        PasswordReset = "user.password_reset",
        ConcernRaised = "concern.raised",
        ConcernRead = "concern.read",
        ConcernStatusChanged = "concern.status_changed",
        VisitConfirmed = "visit.confirmed",
        /// The helper said they are running late; the detail is by how much.
        VisitRunningLate = "visit.running_late",
        VisitWithdrawn = "visit.withdrawn",
        VisitNoShow = "visit.no_show",
        VisitUnconfirmed = "visit.unconfirmed",
        SeriesChanged = "series.changed",
        /// An occurrence of a standing request was not made: the member's tokens could not cover
        /// it. The detail is its day; the member and coordinators were told once.
        OccurrenceUnmade = "series.occurrence_unmade",
        MembershipAdded = "membership.added",
        LedgerMovement = "ledger.movement",
        EventCreated = "event.created",
        EventSignedUp = "event.signed_up",
        EventLeft = "event.left",
        EventCancelled = "event.cancelled",
        EventChanged = "event.changed",
        EventAttendance = "event.attendance",
        /// A one-tap link from an email was used; the detail says what it did.
        ActionLinkUsed = "action_link.used",
        /// Someone was invited to act for a member; the detail names them and the rights.
        DelegateInvited = "delegate.invited",
        /// An invitation was accepted: the actor now acts for the member.
        DelegateAccepted = "delegate.accepted",
        /// A delegate was stopped, or an invitation withdrawn.
        DelegateRemoved = "delegate.removed",
    }
);

text_enum!(
    /// What a safeguarding concern is about.
    ConcernCategory {
        Neglect = "neglect",
        SelfNeglect = "self_neglect",
        Financial = "financial",
        Physical = "physical",
        Emotional = "emotional",
        HelperConduct = "helper_conduct",
        Other = "other",
    }
);

text_enum!(
    /// How soon a concern needs a coordinator: urgent ones email every coordinator at once.
    Urgency {
        Routine = "routine",
        Urgent = "urgent",
    }
);

text_enum!(
    /// Where a concern stands: raised (`open`), being looked into, referred on (to the council's
    /// adult social care, the police …), or closed with a reason.
    ConcernStatus {
        Open = "open",
        Investigating = "investigating",
        Referred = "referred",
        Closed = "closed",
    }
);

impl ConcernCategory {
    /// The kind of concern in words, as the console says it.
    pub fn label(self) -> &'static str {
        match self {
            ConcernCategory::Neglect => "Neglect by others",
            ConcernCategory::SelfNeglect => "Not looking after themselves",
            ConcernCategory::Financial => "Money or belongings",
            ConcernCategory::Physical => "Physical harm",
            ConcernCategory::Emotional => "Emotional harm",
            ConcernCategory::HelperConduct => "A helper's behaviour",
            ConcernCategory::Other => "Something else",
        }
    }
}

impl ConcernStatus {
    /// Where a concern stands, in words.
    pub fn label(self) -> &'static str {
        match self {
            ConcernStatus::Open => "New, not yet picked up",
            ConcernStatus::Investigating => "Being looked into",
            ConcernStatus::Referred => "Passed on",
            ConcernStatus::Closed => "Closed",
        }
    }

    /// A coordinator may move a concern to `to` (or note progress in the same status), but never
    /// back to `open`, and a closed concern stays closed.
    pub fn may_become(self, to: ConcernStatus) -> bool {
        self != ConcernStatus::Closed && to != ConcernStatus::Open
    }
}

text_enum!(
    /// How a helper's visit stopped before it happened.
    VisitEnd {
        /// The helper withdrew with a day or more to spare.
        Withdrew = "withdrew",
        /// The helper withdrew less than a day before the start.
        WithdrewLate = "withdrew_late",
        /// The helper did not come.
        NoShow = "no_show",
        /// The helper never confirmed, and the visit went to others.
        Unconfirmed = "unconfirmed",
    }
);

text_enum!(
    /// How often a standing request recurs.
    Every {
        Week = "week",
        Fortnight = "fortnight",
        FourWeeks = "four_weeks",
    }
);

impl Every {
    pub fn weeks(self) -> u32 {
        match self {
            Every::Week => 1,
            Every::Fortnight => 2,
            Every::FourWeeks => 4,
        }
    }

    pub fn of_weeks(weeks: i32) -> Option<Every> {
        Every::ALL
            .iter()
            .copied()
            .find(|e| e.weeks() as i32 == weeks)
    }
}

text_enum!(
    /// Whether a standing request makes occurrences.
    SeriesStatus {
        Active = "active",
        Paused = "paused",
        Ended = "ended",
    }
);

text_enum!(
    /// A movement of time in the ledger.
    MovementKind {
        /// Tokens bought (by the member, or as a gift).
        Credit = "credit",
        /// A coordinator's correction, with a reason; may be negative.
        Adjustment = "adjustment",
        /// Time used on a completed visit.
        Debit = "debit",
    }
);

text_enum!(
    /// Where a member stands for a social event.
    SignupStatus {
        /// Has a place.
        Going = "going",
        /// On the waiting list, in the order they signed up.
        Waiting = "waiting",
        /// Left (or was taken off); may sign up again, at the back.
        Left = "left",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concerns_move_forward_and_stay_closed() {
        use ConcernStatus::*;
        assert!(Open.may_become(Investigating));
        assert!(Investigating.may_become(Investigating));
        assert!(Referred.may_become(Closed));
        assert!(Open.may_become(Closed));
        assert!(!Investigating.may_become(Open));
        for to in ConcernStatus::ALL {
            assert!(!Closed.may_become(*to));
        }
    }

    #[test]
    fn words_round_trip_and_unknown_words_are_named() {
        for s in OfferStatus::ALL {
            assert_eq!(OfferStatus::parse(s.as_str()), Ok(*s));
        }
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Ok(*a));
        }
        let e = VettingStatus::parse("maybe").unwrap_err();
        assert!(e.contains("pending, approved, rejected, suspended"), "{e}");
        assert_eq!(
            serde_json::to_string(&Role::Coordinator).unwrap(),
            "\"coordinator\""
        );
    }
}

text_enum!(
    /// A line of a request's story, as coordinators read it.
    TimelineEvent {
        Asked = "asked",
        Offered = "offered",
        Accepted = "accepted",
        Declined = "declined",
        Lapsed = "lapsed",
        Withdrawn = "withdrawn",
        AddressShown = "address_shown",
        Assigned = "assigned",
        AssignedByHand = "assigned_by_hand",
        Confirmed = "confirmed",
        Withdrew = "withdrew",
        NoShow = "no_show",
        Unconfirmed = "unconfirmed",
        Completed = "completed",
        Cancelled = "cancelled",
        Expired = "expired",
    }
);

text_enum!(
    /// What a message in the outbox is: each email the service sends, and the push that goes
    /// with one.
    MessageKind {
        /// A job offered to a helper.
        Offer = "offer",
        /// The job's details for the helper who took it.
        JobDetails = "job_details",
        /// The member is told who is coming.
        HelperComing = "helper_coming",
        /// A member's family delegate is told a visit is done.
        VisitDone = "visit_done",
        /// The member is reminded the day before who is coming.
        VisitReminder = "visit_reminder",
        /// The member is told their helper cannot come.
        HelperCannotCome = "helper_cannot_come",
        /// A helper is told a job they had is cancelled.
        Cancellation = "cancellation",
        /// A helper is asked to confirm a visit.
        ConfirmVisit = "confirm_visit",
        /// A visit never confirmed went to others.
        VisitUnconfirmed = "visit_unconfirmed",
        /// A helper's visit was given to others.
        VisitTakenBack = "visit_taken_back",
        /// A helper is approved.
        VettingApproved = "vetting_approved",
        /// A helper's vetting runs out soon.
        VettingExpiring = "vetting_expiring",
        /// A member's membership ends soon.
        MembershipEnding = "membership_ending",
        /// A link to set a new password.
        PasswordReset = "password_reset",
        /// Someone is asked to help arrange a member's visits, with a link to accept.
        DelegateInvitation = "delegate_invitation",
        /// Coordinators are told of an urgent concern.
        UrgentConcern = "urgent_concern",
        /// A place at an event (from the waiting list).
        EventPlace = "event_place",
        /// An event one is going to has changed.
        EventChanged = "event_changed",
        /// An event one was going to is cancelled.
        EventCancelled = "event_cancelled",
        /// The day before an event.
        EventReminder = "event_reminder",
        /// A member's standing request could not make its visits.
        OccurrencesUnmade = "occurrences_unmade",
        /// Coordinators are told a standing request could not make its visits.
        OccurrencesUnmadeCoordinator = "occurrences_unmade_coordinator",
        /// The weekly report to coordinators.
        WeeklyReport = "weekly_report",
        /// The member is told their helper is running late.
        RunningLate = "running_late",
        /// Coordinators are told a visit started with no check-in.
        NoCheckIn = "no_check_in",
        /// A Web Push message that goes with an email.
        Push = "push",
        /// A text message (`recipient` is the number in E.164; `subject` says what it is).
        Text = "text",
    }
);
