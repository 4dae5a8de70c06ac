//! The HTTP API: one module per resource, and the route table in one place.

pub mod access;
pub mod action_links;
pub mod app;
pub mod audit;
pub mod auth;
pub mod client;
pub mod concerns;
pub mod console;
pub mod embedded;
pub mod events;
pub mod extract;
pub mod health;
pub mod helpers;
pub mod map;
pub mod matching;
pub mod members;
pub mod membership;
pub mod offers;
pub mod openapi;
pub mod people;
pub mod personal_data;
pub mod places;
pub mod push;
pub mod reports;
pub mod requests;
pub mod schemas;
pub mod series;
pub mod signed_in;
pub mod state;
pub mod visits;

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, HttpResponse};

use serde::Serialize;

use crate::domain::{Caller, Role};
use crate::error::{problem_response, AppError, AppResult, PROBLEM_JSON};
use crate::service::Once;

/// Refuse callers without one of `roles` (403).
pub fn require(caller: &Caller, roles: &[Role]) -> AppResult<()> {
    if caller.has_role(roles) {
        Ok(())
    } else {
        Err(AppError::Forbidden(Caller::needs(roles)))
    }
}

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

/// Every route of the service (and `/metrics` when `with_metrics`). The API's routes are grouped in
/// one scope per collection: a path is compared with a scope's fixed prefix before any pattern with
/// a `{…}` segment (a regular expression) is tried, so a request is matched against its own
/// collection's few patterns, not all of them.
pub fn routes(cfg: &mut web::ServiceConfig, with_metrics: bool) {
    if with_metrics {
        metrics_route(cfg);
    }
    console::routes(cfg);
    app::routes(cfg);
    cfg.service(web::resource("/health").route(web::get().to(health::health)))
        .service(web::resource("/api/v1/openapi.json").route(web::get().to(openapi::serve)))
        .service(
            web::scope("/api/v1")
                .service(
                    web::scope("/auth")
                        .service(web::resource("/login").route(web::post().to(auth::login)))
                        .service(
                            web::resource("/refresh").route(web::post().to(auth::refresh_tokens)),
                        )
                        .service(web::resource("/logout").route(web::post().to(auth::logout)))
                        .service(
                            web::resource("/password-reset")
                                .route(web::post().to(access::request_reset)),
                        )
                        .service(
                            web::resource("/password-reset/confirm")
                                .route(web::post().to(access::confirm_reset)),
                        ),
                )
                .service(web::resource("/me").route(web::get().to(auth::me)))
                .service(
                    web::resource("/me/push-subscriptions")
                        .route(web::post().to(push::subscribe))
                        .route(web::delete().to(push::unsubscribe)),
                )
                .service(web::resource("/push/key").route(web::get().to(push::key)))
                .service(
                    web::scope("/members")
                        .service(
                            web::resource("")
                                .route(web::get().to(people::search_members))
                                .route(web::post().to(members::create_member)),
                        )
                        .service(
                            web::resource("/{id}")
                                .route(web::get().to(members::get_member))
                                .route(web::patch().to(people::update_member)),
                        )
                        .service(
                            web::resource("/{id}/memberships")
                                .route(web::post().to(membership::add_membership)),
                        )
                        .service(
                            web::resource("/{id}/account")
                                .route(web::get().to(membership::account)),
                        )
                        .service(
                            web::resource("/{id}/account/credits")
                                .route(web::post().to(membership::credit)),
                        )
                        .service(
                            web::resource("/{id}/account/adjustments")
                                .route(web::post().to(membership::adjust)),
                        )
                        .service(
                            web::resource("/{id}/blocks")
                                .route(web::post().to(members::block_helper)),
                        )
                        .service(
                            web::resource("/{id}/blocks/{helper_id}")
                                .route(web::delete().to(members::unblock_helper)),
                        ),
                )
                .service(
                    web::scope("/helpers")
                        .service(
                            web::resource("")
                                .route(web::get().to(people::list_helpers))
                                .route(web::post().to(helpers::create_helper)),
                        )
                        .service(
                            web::resource("/{id}")
                                .route(web::get().to(helpers::get_helper))
                                .route(web::patch().to(people::update_helper)),
                        )
                        .service(
                            web::resource("/{id}/availability")
                                .route(web::get().to(people::get_availability))
                                .route(web::put().to(helpers::put_availability)),
                        )
                        .service(
                            web::resource("/{id}/vetting")
                                .route(web::post().to(helpers::vet_helper)),
                        ),
                )
                .service(
                    web::scope("/users")
                        .service(
                            web::resource("/{id}/deactivate")
                                .route(web::post().to(access::deactivate)),
                        )
                        .service(
                            web::resource("/{id}/reactivate")
                                .route(web::post().to(access::reactivate)),
                        )
                        .service(
                            web::resource("/{id}/export")
                                .route(web::get().to(personal_data::export)),
                        )
                        .service(
                            web::resource("/{id}/erase")
                                .route(web::post().to(personal_data::erase)),
                        ),
                )
                .service(web::resource("/audit").route(web::get().to(audit::read_log)))
                .service(
                    web::resource("/places/{postcode}").route(web::get().to(places::get_place)),
                )
                .service(web::resource("/map/tiles").route(web::get().to(map::tiles)))
                .service(
                    web::resource("/action-links/{token}")
                        .route(web::get().to(action_links::read))
                        .route(web::post().to(action_links::act)),
                )
                .service(
                    web::resource("/memberships/renewals")
                        .route(web::get().to(membership::renewals)),
                )
                .service(
                    web::scope("/events")
                        .service(
                            web::resource("")
                                .route(web::get().to(events::list))
                                .route(web::post().to(events::create)),
                        )
                        .service(
                            web::resource("/{id}")
                                .route(web::get().to(events::get))
                                .route(web::patch().to(events::update)),
                        )
                        .service(
                            web::resource("/{id}/signups").route(web::post().to(events::sign_up)),
                        )
                        .service(
                            web::resource("/{id}/signups/{member_id}")
                                .route(web::delete().to(events::leave)),
                        )
                        .service(
                            web::resource("/{id}/attendance")
                                .route(web::post().to(events::attendance)),
                        )
                        .service(
                            web::resource("/{id}/cancel").route(web::post().to(events::cancel)),
                        ),
                )
                .service(
                    web::scope("/series")
                        .service(
                            web::resource("")
                                .route(web::get().to(series::list))
                                .route(web::post().to(series::create)),
                        )
                        .service(web::resource("/{id}").route(web::get().to(series::get)))
                        .service(web::resource("/{id}/pause").route(web::post().to(series::pause)))
                        .service(
                            web::resource("/{id}/resume").route(web::post().to(series::resume)),
                        )
                        .service(web::resource("/{id}/end").route(web::post().to(series::end)))
                        .service(
                            web::resource("/{id}/helper").route(web::put().to(series::set_helper)),
                        ),
                )
                .service(
                    web::scope("/concerns")
                        .service(
                            web::resource("")
                                .route(web::get().to(concerns::list))
                                .route(web::post().to(concerns::raise)),
                        )
                        .service(web::resource("/{id}").route(web::get().to(concerns::get)))
                        .service(
                            web::resource("/{id}/status")
                                .route(web::post().to(concerns::change_status)),
                        ),
                )
                .service(
                    web::scope("/requests")
                        .service(
                            web::resource("")
                                .route(web::get().to(requests::list_requests))
                                .route(web::post().to(requests::create_request)),
                        )
                        .service(
                            web::resource("/counts").route(web::get().to(requests::count_requests)),
                        )
                        .service(web::resource("/{id}").route(web::get().to(requests::get_request)))
                        .service(
                            web::resource("/{id}/cancel")
                                .route(web::post().to(requests::cancel_request)),
                        )
                        .service(
                            web::resource("/{id}/complete")
                                .route(web::post().to(requests::complete_request)),
                        )
                        .service(
                            web::resource("/{id}/feedback")
                                .route(web::post().to(requests::give_feedback)),
                        )
                        .service(
                            web::resource("/{id}/assign")
                                .route(web::post().to(requests::assign_request)),
                        )
                        .service(
                            web::resource("/{id}/candidates")
                                .route(web::get().to(requests::candidates)),
                        )
                        .service(
                            web::resource("/{id}/timeline")
                                .route(web::get().to(requests::timeline)),
                        )
                        .service(
                            web::resource("/{id}/confirm").route(web::post().to(visits::confirm)),
                        )
                        .service(
                            web::resource("/{id}/check-in").route(web::post().to(visits::check_in)),
                        )
                        .service(
                            web::resource("/{id}/check-out")
                                .route(web::post().to(visits::check_out)),
                        )
                        .service(
                            web::resource("/{id}/withdraw").route(web::post().to(visits::withdraw)),
                        )
                        .service(
                            web::resource("/{id}/no-show").route(web::post().to(visits::no_show)),
                        ),
                )
                .service(
                    web::scope("/offers")
                        .service(web::resource("").route(web::get().to(offers::inbox)))
                        .service(
                            web::resource("/{id}/accept").route(web::post().to(offers::accept)),
                        )
                        .service(
                            web::resource("/{id}/decline").route(web::post().to(offers::decline)),
                        ),
                )
                .service(web::resource("/matching/runs").route(web::post().to(matching::run)))
                .service(
                    web::scope("/reports")
                        .service(web::resource("/weekly").route(web::get().to(reports::weekly)))
                        .service(
                            web::resource("/weekly/send")
                                .route(web::post().to(reports::send_weekly)),
                        ),
                )
                .service(web::resource("/outbox").route(web::get().to(reports::outbox))),
        );
}

/// Unknown routes are a problem too.
pub async fn not_found() -> HttpResponse {
    problem_response(StatusCode::NOT_FOUND, "No such route.")
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
