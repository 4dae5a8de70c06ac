//! What every handler can reach: the pool, the settings, the token keys and the login limiter.

use std::sync::Arc;

use crate::auth::password::PasswordPolicy;
use crate::auth::rate_limit::AddressLimiter;
use crate::auth::TokenKeys;
use crate::config::Settings;
use crate::db::{DbConnection, Pool};
use crate::error::AppResult;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub keys: Arc<TokenKeys>,
    pub login_limiter: Arc<AddressLimiter>,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings) -> Self {
        AppState {
            pool,
            keys: Arc::new(TokenKeys::new(&settings.auth)),
            login_limiter: Arc::new(AddressLimiter::new(
                settings.auth.login_per_address_per_minute,
            )),
            settings: Arc::new(settings),
        }
    }

    pub fn passwords(&self) -> PasswordPolicy {
        PasswordPolicy {
            memory_kib: self.settings.auth.argon2_memory_kib,
            iterations: self.settings.auth.argon2_iterations,
        }
    }

    /// Run database work on the blocking pool: checkout, queries and transaction all happen there.
    pub async fn db<F, T>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}
