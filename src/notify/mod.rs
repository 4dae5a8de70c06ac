//! Email, Web Push and text messages: the messages, the links they carry, the outbox worker that
//! sends them, and the transports (SMTP, Web Push, a Kannel SMS gateway).
//!
//! Nothing is sent directly: events write rows to the outbox (`db::outbox`) in their own
//! transaction, and the worker sends them with retries. See docs/operations.md.

pub mod events;
pub mod links;
pub mod messages;
pub mod push;
pub mod sms_gateway;
pub mod texts;
pub mod transport;
pub mod worker;
