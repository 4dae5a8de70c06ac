//! `Application::build(settings)`: the pool, migrations, and a server bound to its port
//! (port 0 in tests picks a free one).

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::api;
use crate::api::state::AppState;
use crate::config::Settings;
use crate::db;

pub struct Application {
    port: u16,
    server: Server,
    /// `/metrics` on a port of its own, when configured: stopped after the API has drained.
    metrics_server: Option<Server>,
    state: AppState,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbSetupError),
    #[error("email settings: {0}")]
    Email(String),
    #[error("push settings: {0}")]
    Push(String),
    #[error("could not listen: {0}")]
    Bind(#[from] std::io::Error),
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        Self::build_with_clock(settings, crate::service::clock::Clock::system()).await
    }

    /// As [`Application::build`], acting at the times `clock` gives (tests move it).
    pub async fn build_with_clock(
        mut settings: Settings,
        clock: crate::service::clock::Clock,
    ) -> Result<Self, StartError> {
        let db_settings = settings.database.connect_options();
        let pool = actix_web::rt::task::spawn_blocking(move || db::connect(&db_settings))
            .await
            .map_err(|e| db::DbSetupError::Checkout(e.to_string()))??;
        {
            // Numbers written before E.164 was kept beside them, read once (which also loads
            // the numbering rules every sign-up reads).
            actix_web::rt::task::spawn_blocking(crate::domain::contact::warm)
                .await
                .map_err(|e| db::DbSetupError::Checkout(e.to_string()))?;
            let pool = pool.clone();
            actix_web::rt::task::spawn_blocking(move || -> Result<usize, db::DbSetupError> {
                let mut conn = pool.get()?;
                db::users::fill_e164(&mut conn)
                    .map_err(|e| db::DbSetupError::Checkout(e.to_string()))
            })
            .await
            .map_err(|e| db::DbSetupError::Checkout(e.to_string()))??;
        }
        if !settings.configured_secret_usable() {
            let pool = pool.clone();
            let kept = actix_web::rt::task::spawn_blocking(move || kept_signing_secret(&pool))
                .await
                .map_err(|e| db::DbSetupError::Checkout(e.to_string()))??;
            settings.auth.jwt_secret = crate::config::Secret::new(kept);
        }
        if settings.push.vapid_private_key.is_none() {
            let pool = pool.clone();
            let kept = actix_web::rt::task::spawn_blocking(move || kept_vapid_key(&pool))
                .await
                .map_err(|e| db::DbSetupError::Checkout(e.to_string()))??;
            settings.push.vapid_private_key = Some(crate::config::Secret::new(kept));
        }
        let listener = TcpListener::bind((settings.server.host.as_str(), settings.server.port))?;
        let port = listener.local_addr()?.port();
        let state = AppState::with_clock(pool, settings, clock);
        let metrics = &state.settings.metrics;
        let metrics_here = metrics.enabled && metrics.port == 0;
        let server = run(listener, state.clone(), metrics_here)?;
        let mut metrics_server_ = None;
        if metrics.enabled && metrics.port != 0 {
            let addr = (metrics.host.as_str(), metrics.port);
            metrics_server_ = Some(metrics_server(TcpListener::bind(addr)?, state.clone())?);
        }
        spawn_sweeper(state.clone());
        if state.settings.email.poll_interval_ms > 0 {
            let mailer = crate::notify::transport::Mailer::from_settings(&state.settings.email)
                .map_err(StartError::Email)?;
            tracing::info!("email: {}", mailer.describe());
            if state.settings.environment == crate::config::Environment::Production
                && matches!(mailer, crate::notify::transport::Mailer::Files { .. })
            {
                tracing::warn!(
                    "PRODUCTION WITHOUT SMTP: emails (with live links) are written as files to {} and nobody receives them; set email.smtp_url. The files are deleted after email.keep_sent_days.",
                    state.settings.email.mail_dir
                );
            }
            let worker = crate::notify::worker::Worker::new(
                state.services.pool.clone(),
                state.settings.email.clone(),
                std::sync::Arc::new(mailer),
            )
            .with_circle(&state.settings.circle);
            let texts = crate::notify::sms_gateway::Kannel::from_settings(
                &state.settings.sms,
                &state.settings.server.public_url,
                std::time::Duration::from_secs(state.settings.email.send_timeout_secs.max(1)),
            )
            .map_err(StartError::Email)?;
            match &texts {
                Some(_) => tracing::info!("texts: through Kannel"),
                None => tracing::info!("texts: no gateway set (sms.gateway); none is sent"),
            }
            let worker = worker.with_sms(texts.map(std::sync::Arc::new));
            let worker = match push_sender(&state.settings) {
                Ok(push) => worker.with_push(std::sync::Arc::new(push)),
                Err(e) => return Err(StartError::Push(e)),
            };
            crate::notify::worker::spawn(worker);
        }
        Ok(Application {
            port,
            server,
            metrics_server: metrics_server_,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stop the server from elsewhere (tests stop theirs when done).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serve until a signal or the handle stops the API (it drains the requests in flight);
    /// the metrics port, which takes no signals of its own, closes after it.
    pub async fn run_until_stopped(self) -> Result<(), std::io::Error> {
        let metrics = self.metrics_server.map(|own| {
            let handle = own.handle();
            (tokio::spawn(own), handle)
        });
        let served = self.server.await;
        if let Some((task, handle)) = metrics {
            handle.stop(false).await;
            let _ = task.await;
        }
        served
    }
}

/// The access tokens' signing key when none is configured: 32 random bytes made on the first
/// start and kept in the database, so that it survives restarts and every process signs alike.
fn kept_signing_secret(pool: &db::Pool) -> Result<String, db::DbSetupError> {
    let mut conn = pool.get()?;
    let candidate = crate::auth::refresh::new_token();
    db::secrets::keep(&mut conn, "access_token_key", &candidate)
        .map_err(|e| db::DbSetupError::Checkout(e.to_string()))
}

/// The Web Push VAPID key when none is configured: made on the first start and kept in the
/// database, so that subscriptions outlive restarts and every process signs alike.
fn kept_vapid_key(pool: &db::Pool) -> Result<String, db::DbSetupError> {
    let mut conn = pool.get()?;
    let candidate = crate::notify::push::Vapid::new_private_key();
    db::secrets::keep(&mut conn, "vapid_private_key", &candidate)
        .map_err(|e| db::DbSetupError::Checkout(e.to_string()))
}

/// The push sender, signing with the (kept or configured) VAPID key.
pub fn push_sender(settings: &Settings) -> Result<crate::notify::push::PushSender, String> {
    let key = settings
        .push
        .vapid_private_key
        .as_ref()
        .ok_or("no VAPID key")?;
    let vapid = crate::notify::push::Vapid::from_private_key(key.expose(), &settings.email.from)?;
    Ok(crate::notify::push::PushSender::new(
        vapid,
        std::time::Duration::from_secs(settings.email.send_timeout_secs),
        settings.push.allow_http_loopback,
    ))
}

/// Count every answer by method, route pattern and status, with its latency.
async fn count_requests(
    metrics: std::sync::Arc<crate::metrics::Metrics>,
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    let route = res.request().match_pattern();
    metrics.observe_http(
        method.as_str(),
        route.as_deref().unwrap_or("unmatched"),
        res.status().as_u16(),
        started.elapsed(),
    );
    Ok(res)
}

/// Answers of the API (personal data, tokens) are never kept by a browser or a proxy, unless
/// the handler said otherwise (the OpenAPI document may be cached).
async fn no_store_for_api(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let api = req.path().starts_with("/api/");
    let mut res = next.call(req).await?;
    if api && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    Ok(res)
}

/// `/metrics` alone, on a port of its own. It takes no signals: a SIGTERM is the API's to
/// handle (its drain would be cut short if this server stopped the runtime first).
fn metrics_server(listener: TcpListener, state: AppState) -> Result<Server, std::io::Error> {
    let data = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(api::metrics_route)
            .default_service(web::to(api::not_found))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)?
    .run())
}

fn run(
    listener: TcpListener,
    state: AppState,
    with_metrics: bool,
) -> Result<Server, std::io::Error> {
    let limit = state.settings.server.json_limit_bytes;
    let workers = state.settings.server.workers;
    let keys = web::Data::from(state.services.keys.clone());
    let metrics = state.services.metrics.clone();
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        App::new()
            .wrap(api::problem_errors())
            .wrap(
                actix_web::middleware::DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "no-referrer")),
            )
            .wrap(actix_web::middleware::from_fn(no_store_for_api))
            .wrap(TracingLogger::<crate::telemetry::QuietSpans>::new())
            .wrap(actix_web::middleware::from_fn({
                let metrics = metrics.clone();
                move |req, next| count_requests(metrics.clone(), req, next)
            }))
            .app_data(data.clone())
            .app_data(keys.clone())
            .app_data(web::PayloadConfig::new(limit))
            .app_data(api::query_config())
            .app_data(api::path_config())
            .configure(|cfg| api::routes(cfg, with_metrics))
            .default_service(web::to(api::not_found))
    })
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// Lapse offers, re-offer and expire requests every `matching.sweep_interval_secs`.
fn spawn_sweeper(state: AppState) {
    let every = state.settings.matching.sweep_interval_secs;
    if every == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(every));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let result = state.run(crate::service::housekeeping::tick).await;
            match result {
                Ok(r) if r.expired + r.lapsed_for > 0 => tracing::info!(?r, "sweep"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweep failed"),
            }
        }
    });
}
