//! Logs through tracing. Every line inside a request carries its request id
//! (tracing-actix-web's span). Bodies, query strings, addresses, passwords and tokens are never
//! logged.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(default_filter: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _ = fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The span every request's log lines carry: its method, its path without the query string (a
/// member search's query names a person and a street), its status and its request id. Never
/// the client's address, its user agent, a body or a query string.
pub struct QuietSpans;

impl tracing_actix_web::RootSpanBuilder for QuietSpans {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.path = %loggable_path(request.path()),
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
            request_id = %request_id,
        )
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        tracing_actix_web::DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// Paths whose last part is a secret: a one-tap link's token works without signing in.
const SECRET_TAILS: &[&str] = &["/api/v1/action-links/", "/app/a/"];

/// The path as logged: a one-tap link's token is replaced by `{token}`.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in SECRET_TAILS {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() {
                return format!("{prefix}{{token}}").into();
            }
        }
    }
    path.into()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn link_tokens_never_reach_the_log() {
        assert_eq!(
            loggable_path("/api/v1/action-links/abcDEF123"),
            "/api/v1/action-links/{token}"
        );
        assert_eq!(loggable_path("/app/a/abcDEF123"), "/app/a/{token}");
        assert_eq!(loggable_path("/api/v1/requests/r1"), "/api/v1/requests/r1");
    }
}
