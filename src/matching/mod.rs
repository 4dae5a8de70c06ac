//! The matcher: pure code that takes plain facts and returns plain answers. No database, no HTTP.
//!
//! - [`eligibility`]: the hard rules, each with a name.
//! - [`score`]: the ranking score and its reasons.
//! - [`rank`]: rank helpers for one job (a slice, or a spatial [`index`] for large sets).
//! - [`batch`]: assign many jobs at once (most served, then least total distance).

pub mod batch;
pub mod eligibility;
pub mod facts;
pub mod index;
pub mod rank;
pub mod score;

pub use eligibility::Rule;
pub use facts::{HelperFacts, JobFacts, MemberContext, PastHelp, SkillSet};
pub use rank::{rank, Candidate};
pub use score::{Reasons, Weights};

#[cfg(test)]
mod spec;
