//! Plain types and rules with no I/O: what a valid value is, and which steps a request may take.

pub mod area;
pub mod availability;
pub mod category;
pub mod fields;
pub mod lifecycle;
pub mod location;
pub mod validator;
pub mod window;

pub use availability::Availability;
pub use category::Category;
pub use lifecycle::RequestStatus;
pub use location::Location;
pub use validator::Validator;
pub use window::TimeWindow;
