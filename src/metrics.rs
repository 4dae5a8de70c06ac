//! What the service counts for Prometheus: requests and their latency by route, the pool, the
//! outbox, the matcher, and requests by status. One registry per running application (held by
//! `Services`); `GET /metrics` renders it in the text format.

use std::time::Duration;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub http_requests: IntCounterVec,
    pub http_seconds: HistogramVec,
    pub matcher_seconds: Histogram,
    pub pool_connections: IntGaugeVec,
    pub outbox_emails: IntGaugeVec,
    pub requests: IntGaugeVec,
    pub up: IntGauge,
}

const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("neighbourly".into()), None)?;
        let http_requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route and status",
            ),
            &["method", "route", "status"],
        )?;
        let http_seconds = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer, by route")
                .buckets(LATENCY_BUCKETS.to_vec()),
            &["method", "route"],
        )?;
        let matcher_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "matcher_duration_seconds",
                "Time to find and rank the helpers for one request (queries and ranking)",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
        )?;
        let pool_connections = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database connections by state"),
            &["state"],
        )?;
        let outbox_emails = IntGaugeVec::new(
            Opts::new("outbox_emails", "Emails in the outbox by status"),
            &["status"],
        )?;
        let requests = IntGaugeVec::new(
            Opts::new("help_requests", "Help requests by status"),
            &["status"],
        )?;
        let up = IntGauge::new("up", "1 while the service runs")?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_seconds.clone()))?;
        registry.register(Box::new(matcher_seconds.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(outbox_emails.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(up.clone()))?;
        up.set(1);
        Ok(Metrics {
            registry,
            http_requests,
            http_seconds,
            matcher_seconds,
            pool_connections,
            outbox_emails,
            requests,
            up,
        })
    }

    /// Count one answered request. `route` is the route's pattern (`/api/v1/requests/{id}`), so
    /// that ids never become labels.
    pub fn observe_http(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.http_requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.http_seconds
            .with_label_values(&[method, route])
            .observe(took.as_secs_f64());
    }

    /// The registry in Prometheus's text format.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::warn!(error = %e, "metrics could not be rendered");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}
