//! The HTTP API: one module per resource, each with its routes and its operations in the
//! document, listed once in [`MODULES`].

pub mod access;
pub mod action_links;
pub mod app;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod categories;
pub mod checks;
pub mod circle;
pub mod client;
pub mod concerns;
pub mod console;
pub mod delegates;
pub mod doorstep;
pub mod embedded;
pub mod events;
pub mod extract;
pub mod follow_ups;
pub mod health;
pub mod helpers;
pub mod map;
pub mod matching;
pub mod members;
pub mod membership;
pub mod notes;
pub mod offers;
pub mod openapi;
pub mod people;
pub mod people_csv;
pub mod personal_data;
pub mod photos;
pub mod places;
pub mod push;
pub mod reports;
pub mod requests;
pub mod schemas;
pub mod series;
pub mod sessions;
pub mod shared;
pub mod signed_in;
pub mod sms;
pub mod state;
pub mod time_off;
pub mod visits;

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpResponse};

use serde::Serialize;

use crate::error::{problem_response, AppError, PROBLEM_JSON};
use crate::service::Once;

/// A use case's answer under an Idempotency-Key: the value with `status`, or the first answer
/// again, marked `Idempotent-Replayed: true`.
pub fn answer_once<T: Serialize>(status: StatusCode, once: Once<T>) -> HttpResponse {
    match once {
        Once::Fresh(value) => HttpResponse::build(status).json(value),
        Once::Replay { status, body } => {
            HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK))
                .insert_header((header::CONTENT_TYPE, "application/json"))
                .insert_header(("Idempotent-Replayed", "true"))
                .body(body)
        }
    }
}

/// The metrics route, for the API's server or a server of its own (`metrics.port`).
pub fn metrics_route(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/metrics").route(web::get().to(health::metrics)));
}

/// Every resource module: its routes and its operations in the document. A new module is one
/// line here; a new endpoint of a module is that module's change alone.
macro_rules! modules {
    ($($m:ident),* $(,)?) => {
        pub const MODULES: &[Module] = &[$(Module {
            routes: $m::routes,
            operations: <$m::Operations as utoipa::OpenApi>::openapi,
        }),*];
    };
}

modules!(
    auth,
    sessions,
    calendar,
    access,
    categories,
    circle,
    members,
    delegates,
    people,
    notes,
    follow_ups,
    membership,
    helpers,
    checks,
    photos,
    time_off,
    personal_data,
    places,
    map,
    action_links,
    push,
    audit,
    series,
    events,
    concerns,
    requests,
    visits,
    doorstep,
    offers,
    matching,
    reports,
    sms,
);

/// A resource module as the route table and the document see it.
pub struct Module {
    pub routes: fn(&mut Api),
    pub operations: fn() -> utoipa::openapi::OpenApi,
}

/// The API's routes as the modules add them (paths under `/api/v1`), put into one scope per
/// collection when the server is built.
#[derive(Default)]
pub struct Api {
    routes: Vec<(&'static str, actix_web::Route)>,
}

impl Api {
    /// Serve `route` (a method and its handler) at `path`. Several modules may serve the same
    /// path with different methods.
    pub fn at(&mut self, path: &'static str, route: actix_web::Route) -> &mut Self {
        self.routes.push((path, route));
        self
    }

    /// The routes grouped by collection (the first segment of the path: `/requests`, …): a
    /// path is compared with a scope's fixed prefix before any pattern with a `{…}` segment (a
    /// regular expression) is tried, so a request is matched against its own collection's few
    /// patterns, not all of them. Within a collection, fixed paths come before patterns.
    fn into_scope(self) -> actix_web::Scope {
        let mut collections: Vec<(&'static str, Vec<(&'static str, actix_web::Route)>)> =
            Vec::new();
        for (path, route) in self.routes {
            let split = path[1..].find('/').map_or(path.len(), |i| i + 1);
            let (collection, rest) = path.split_at(split);
            match collections.iter_mut().find(|(c, _)| *c == collection) {
                Some((_, list)) => list.push((rest, route)),
                None => collections.push((collection, vec![(rest, route)])),
            }
        }
        let mut api = web::scope("/api/v1");
        for (collection, mut list) in collections {
            list.sort_by_key(|(rest, _)| rest.contains('{'));
            let mut scope = web::scope(collection);
            for (rest, route) in list {
                scope = scope.route(rest, route);
            }
            api = api.service(scope);
        }
        api
    }
}

/// Every route of the service (and `/metrics` when `with_metrics`).
pub fn routes(cfg: &mut web::ServiceConfig, with_metrics: bool) {
    if with_metrics {
        metrics_route(cfg);
    }
    console::routes(cfg);
    app::routes(cfg);
    shared::routes(cfg);
    let mut api = Api::default();
    for module in MODULES {
        (module.routes)(&mut api);
    }
    cfg.route("/health", web::get().to(health::health))
        .route("/api/v1/openapi.json", web::get().to(openapi::serve))
        .service(api.into_scope());
}

/// No route took the request: a 405 with `Allow` when the document serves its path with other
/// methods (a path may be served by several modules, each route guarded by its method), else a
/// 404.
pub async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    // A path the document names, asked with a method it does not serve (one it does serve but
    // this server does not, such as `/metrics` on a port of its own, is a 404).
    let allowed = openapi::allowed_methods_at(req.path())
        .filter(|a| !a.split(", ").any(|m| m == req.method().as_str()))
        .and_then(|a| header::HeaderValue::from_str(a).ok());
    match allowed {
        Some(allow) => {
            let mut resp = problem_response(
                StatusCode::METHOD_NOT_ALLOWED,
                "This route does not accept that method.",
            );
            resp.headers_mut().insert(header::ALLOW, allow);
            resp
        }
        None => problem_response(StatusCode::NOT_FOUND, "No such route."),
    }
}

/// Query strings that do not parse are a 400 problem.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _| {
        AppError::BadRequest(format!("The query string is not valid: {err}")).into()
    })
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _| {
        AppError::BadRequest(format!("The path is not valid: {err}")).into()
    })
}

/// Any error answer that is not already a problem (a wrong method, actix's own errors) becomes one.
pub fn problem_errors<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(to_problem)
}

fn to_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let detail = match status {
        StatusCode::NOT_FOUND => "No such route.",
        StatusCode::METHOD_NOT_ALLOWED => "This route does not accept that method.",
        StatusCode::PAYLOAD_TOO_LARGE => "The body is larger than this service accepts.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Send the body as Content-Type: application/json.",
        s if s.is_server_error() => "Something went wrong on our side; it has been logged.",
        _ => "The request could not be handled.",
    };
    let (req, _) = res.into_parts();
    let mut resp = problem_response(status, detail);
    if status == StatusCode::METHOD_NOT_ALLOWED {
        let allow = req
            .match_pattern()
            .and_then(|p| openapi::allowed_methods(&p));
        if let Some(allow) = allow.and_then(|a| header::HeaderValue::from_str(a).ok()) {
            resp.headers_mut().insert(header::ALLOW, allow);
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, resp).map_into_right_body(),
    ))
}
