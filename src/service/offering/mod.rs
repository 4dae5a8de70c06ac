//! Puts the matcher to work on the database: offers for new requests, accepts and declines,
//! re-offers when offers run out, lapses and expiry, coordinators' candidates and batch runs.
//! Every function here runs inside the caller's write transaction (`db::write_tx`).

pub mod answers;
pub mod batch;
pub mod by_hand;
pub mod excluded;
pub mod facts;
pub mod flow;
pub mod ranking;
pub mod sweep;

pub use answers::{accept, decline};
pub use flow::offer_next;
pub use sweep::sweep;
