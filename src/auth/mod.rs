//! Who is calling: passwords, access and refresh tokens, the signed-in-user extractor, roles,
//! and the login rate limit.

pub mod extractor;
pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod tokens;

pub use crate::domain::Role;
pub use extractor::{AuthUser, MaybeAuthUser};
pub use tokens::TokenKeys;
