//! Plain types and rules with no I/O: ids, statuses, what a valid value is, and which steps a
//! request may take.

pub mod actions;
pub mod area;
pub mod availability;
pub mod caller;
pub mod category;
pub mod contact;
pub mod dates;
pub mod delegation;
pub mod device;
pub mod directory;
pub mod doorstep;
pub mod fields;
pub mod gathering;
pub mod html;
pub mod ids;
pub mod lifecycle;
pub mod location;
pub mod photo;
pub mod place;
pub mod postcode;
pub mod privacy;
pub mod push;
pub mod quiet;
pub mod regular;
pub mod rhythm;
pub mod sms;
pub mod status;
pub mod validator;
pub mod window;

pub use availability::Availability;
pub use caller::Caller;
pub use category::Category;
pub use ids::{
    CheckId, ConcernId, EventId, HelperId, MemberId, NoteId, OfferId, RequestId, SeriesId,
    SessionId, UserId,
};
pub use lifecycle::RequestStatus;
pub use location::Location;
pub use place::{CircleArea, Place};
pub use postcode::Postcode;
pub use status::{
    AuditAction, Channel, CheckKind, ConcernCategory, ConcernStatus, Every, FollowUpKind,
    LinkAction, MembershipState, MessageKind, MovementKind, NoteKind, OfferStatus, OutboxStatus,
    Right, Role, SeriesStatus, SignupStatus, TimelineEvent, Urgency, VettingDecision,
    VettingStatus, VisitEnd,
};
pub use validator::{FieldError, Invalid, Parsed, Validator};
pub use window::TimeWindow;

/// Helpers (and the weekly report) are told about vetting that runs out within this many days.
pub const VETTING_NOTICE_DAYS: i64 = 30;
