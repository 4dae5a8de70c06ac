//! What every handler can reach: the use cases (`Services`) and the per-process limits on
//! logins, sign-ups and password resets by client address.

use std::sync::Arc;

use super::signed_in::SignedIn;
use crate::auth::rate_limit::AddressLimiter;
use crate::config::Settings;
use crate::domain::Caller;
use crate::error::AppResult;
use crate::service::Pool;
use crate::service::{self, access, Services};

const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);
const HOUR: std::time::Duration = std::time::Duration::from_secs(3600);

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub settings: Arc<Settings>,
    pub login_limiter: Arc<AddressLimiter>,
    /// Sign-ups without a bearer token, per client address an hour.
    pub signup_limiter: Arc<AddressLimiter>,
    /// Password-reset requests and confirmations, per client address an hour.
    pub reset_limiter: Arc<AddressLimiter>,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings) -> Self {
        Self::with_clock(pool, settings, crate::service::clock::Clock::system())
    }

    /// Serving at the times `clock` gives (tests move it).
    pub fn with_clock(pool: Pool, settings: Settings, clock: crate::service::clock::Clock) -> Self {
        let settings = Arc::new(settings);
        AppState {
            services: Services::new(pool, settings.clone()).with_clock(clock),
            login_limiter: Arc::new(AddressLimiter::new(
                settings.auth.login_per_address_per_minute,
                MINUTE,
            )),
            signup_limiter: Arc::new(AddressLimiter::new(
                settings.auth.signups_per_address_per_hour,
                HOUR,
            )),
            reset_limiter: Arc::new(AddressLimiter::new(
                settings.auth.resets_per_address_per_hour,
                HOUR,
            )),
            settings,
        }
    }

    /// Run a use case on the blocking pool: diesel is synchronous, so checkout, queries and
    /// transaction all happen there, never on the async workers.
    pub async fn run<F, T>(&self, use_case: F) -> AppResult<T>
    where
        F: FnOnce(&Services) -> service::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let services = self.services.clone();
        Ok(actix_web::web::block(move || use_case(&services)).await??)
    }

    /// Run a signed-in caller's use case on the blocking pool. The check that their account
    /// still accepts the token (one primary-key read) is the first statement of the use case's
    /// first transaction ([`access::TokenClaim`]): a deactivated account, or a token from before
    /// a password change, is a 401, the use case does nothing, and nothing it found is given.
    pub async fn run_as<F, T>(&self, who: SignedIn, use_case: F) -> AppResult<T>
    where
        F: FnOnce(&Services, &Caller) -> service::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let services = self.services.clone();
        actix_web::web::block(move || answer_as(&services, who, use_case)).await?
    }

    /// As [`AppState::run_as`], for a use case that only reads a few rows by key (one request,
    /// one offer): on SQLite, while the pool has a connection idle, the use case runs here on
    /// the async worker, which saves handing the work to a blocking thread and back (two thread
    /// wake-ups, more than the read itself). Otherwise it hops as `run_as` does.
    pub async fn read_as<F, T>(&self, who: SignedIn, use_case: F) -> AppResult<T>
    where
        F: FnOnce(&Services, &Caller) -> service::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        if !self.services.reads_in_place() {
            return self.run_as(who, use_case).await;
        }
        answer_as(&self.services, who, use_case)
    }
}

/// The use case, its transactions each checking first that the account accepts the caller's
/// token; its answer only once the account has.
fn answer_as<F, T>(services: &Services, who: SignedIn, use_case: F) -> AppResult<T>
where
    F: FnOnce(&Services, &Caller) -> service::Result<T>,
{
    let (caller, version) = who.into_parts();
    let claim = Arc::new(access::TokenClaim::new(&caller, version));
    let services = services.answering(claim.clone());
    let answer = use_case(&services, &caller);
    claim.settle(&services)?;
    Ok(answer?)
}
