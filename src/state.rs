//! What every handler can reach: the use cases (`Services`) and the per-process login limiter.

use std::sync::Arc;

use crate::auth::rate_limit::AddressLimiter;
use crate::config::Settings;
use crate::db::{DbConnection, Pool};
use crate::error::AppResult;
use crate::service::{self, Services};

#[derive(Clone)]
pub struct AppState {
    pub services: Services,
    pub settings: Arc<Settings>,
    pub login_limiter: Arc<AddressLimiter>,
}

impl AppState {
    pub fn new(pool: Pool, settings: Settings) -> Self {
        let settings = Arc::new(settings);
        AppState {
            services: Services::new(pool, settings.clone()),
            login_limiter: Arc::new(AddressLimiter::new(
                settings.auth.login_per_address_per_minute,
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

    /// A raw connection on the blocking pool, for tools and tests that look at the database.
    pub async fn db<F, T>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.services.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}
