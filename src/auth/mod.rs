//! Who is calling: passwords, access and refresh tokens, roles, and the login rate limit. The
//! HTTP side (reading a token from a request) is `api::signed_in`.

pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod tokens;

pub use crate::domain::Role;
pub use tokens::TokenKeys;
