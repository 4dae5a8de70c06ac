//! Logs through tracing. Every line inside a request carries its request id
//! (tracing-actix-web's span). Bodies, passwords and tokens are never logged.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
