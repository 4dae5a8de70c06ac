//! The OpenAPI 3 document, served at `/api/v1/openapi.json`.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{health, requests};
use crate::domain::availability::{TimeOff, TimeOffInput, WeeklySlot};
use crate::error::{FieldError, Problem};
use crate::service::{offers::OfferView, pagination, views};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Neighbourly API",
        version = "1",
        description = "Members ask for practical help; vetted local helpers take the job."
    ),
    components(schemas(
        Problem,
        requests::ListOrder,
        crate::domain::MembershipState,
        FieldError,
        WeeklySlot,
        TimeOff,
        TimeOffInput,
        views::MemberView,
        views::HelperView,
        views::RequestView,
        pagination::Page<views::RequestView>,
        pagination::Page<OfferView>,
        pagination::Page<views::MemberView>,
        pagination::Page<views::HelperView>,
        pagination::Page<crate::service::audit::AuditEntryView>,
        pagination::Page<crate::service::concerns::ConcernView>,
        pagination::Page<crate::service::series::SeriesView>,
        pagination::Page<crate::service::events::EventView>,
        pagination::Page<crate::service::membership::RenewalDue>,
    )),
    tags(
        (name = "accounts", description = "Members, helpers and vetting"),
        (name = "auth", description = "Sign-in and tokens"),
        (name = "safeguarding", description = "Safeguarding concerns: raised by anyone, worked by coordinators, never edited or deleted"),
        (name = "people", description = "Finding members and helpers, changing their details, deactivating accounts, the audit log"),
        (name = "requests", description = "Help requests"),
        (name = "follow-ups", description = "What needs a coordinator today"),
        (name = "membership", description = "Memberships, tokens and the time ledger"),
        (name = "events", description = "Social events: sign-ups, the waiting list, lifts, reminders and attendance"),
        (name = "series", description = "Standing requests: the same help on a rhythm, with a regular helper"),
        (name = "visits", description = "Confirming, checking in and out, withdrawing, no-shows"),
        (name = "offers", description = "A helper's job inbox"),
        (name = "matching", description = "Batch matching runs"),
        (name = "reports", description = "The weekly report and the email outbox"),
        (name = "places", description = "Places from postcodes"),
        (name = "map", description = "The console's map"),
        (name = "push", description = "Web Push to phones and browsers"),
        (name = "texts", description = "Texts from phones and delivery reports, from the SMS gateway (Kannel)"),
        (name = "action links", description = "One-tap links in emails: accept or decline an offer, confirm a visit, without signing in"),
        (name = "operations", description = "Health and the API document"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The answers every operation of a kind can give, as shared response components: each secured
/// operation can answer 401, each with a body 400/413/415/422, each with query parameters or an
/// Idempotency-Key 400/422, each with a path id 404, and every one 503 when the database is away.
struct CommonResponses;

const COMMON: [(&str, &str, &str); 8] = [
    ("400", "BadRequest", "The body is not JSON, or a query string, path or header does not parse."),
    ("401", "Unauthorized", "No access token, or it is invalid or has expired."),
    ("404", "NotFound", "No such resource, or it is not yours to see."),
    ("413", "PayloadTooLarge", "The body is larger than this service accepts."),
    ("415", "UnsupportedMediaType", "The body must be sent as Content-Type: application/json."),
    ("422", "Unprocessable", "Values are invalid (each named in `errors`), or an Idempotency-Key was reused with another body."),
    ("429", "TooManyRequests", "Too many attempts; see Retry-After."),
    ("503", "Unavailable", "The database is unreachable or busy; try again shortly."),
];

fn problem_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            crate::error::PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{Ref, RefOr};
        let components = openapi.components.get_or_insert_with(Default::default);
        for (_, name, description) in COMMON {
            components
                .responses
                .insert(name.to_string(), RefOr::T(problem_response(description)));
        }
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let params = op.parameters.as_deref().unwrap_or_default();
                let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
                let mut statuses = vec!["503"];
                if op.security.is_some() {
                    statuses.push("401");
                }
                if op.request_body.is_some() {
                    statuses.extend(["400", "413", "415", "422"]);
                }
                if has(ParameterIn::Query) || has(ParameterIn::Header) {
                    statuses.extend(["400", "422"]);
                }
                if has(ParameterIn::Path) {
                    statuses.push("404");
                }
                for status in statuses {
                    let (_, name, _) = COMMON
                        .iter()
                        .find(|(s, _, _)| *s == status)
                        .copied()
                        .unwrap_or(COMMON[0]);
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
            }
        }
    }
}

/// The OpenAPI document for this service: `/metrics` is in it only when this port serves it.
pub async fn serve(state: actix_web::web::Data<crate::api::state::AppState>) -> HttpResponse {
    let metrics = &state.settings.metrics;
    if metrics.enabled && metrics.port == 0 {
        return HttpResponse::Ok().json(document());
    }
    static WITHOUT_METRICS: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    HttpResponse::Ok().json(WITHOUT_METRICS.get_or_init(|| {
        let mut doc = document().clone();
        if let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) {
            paths.remove("/metrics");
        }
        doc
    }))
}

/// The whole document as utoipa makes it: the shared parts, `/health` and `/metrics`, and each
/// resource module's own operations (`api::MODULES`).
fn openapi() -> utoipa::openapi::OpenApi {
    let mut api = ApiDoc::openapi();
    api.merge(health::Operations::openapi());
    for module in super::MODULES {
        api.merge((module.operations)());
    }
    // The shared answers are added once every operation is in.
    BearerAuth.modify(&mut api);
    CommonResponses.modify(&mut api);
    api
}

/// The document as served: utoipa's, with the rules between fields that its derives cannot say.
pub fn document() -> &'static serde_json::Value {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = serde_json::to_value(openapi()).unwrap_or_default();
        refine(&mut doc);
        doc
    })
}

/// Add `extra`'s keys to the component schema `name`.
fn extend_schema(doc: &mut serde_json::Value, name: &str, extra: serde_json::Value) {
    let schema = doc.pointer_mut(&format!("/components/schemas/{name}"));
    if let (Some(serde_json::Value::Object(s)), serde_json::Value::Object(extra)) = (schema, extra)
    {
        s.extend(extra);
    }
}

fn refine(doc: &mut serde_json::Value) {
    use serde_json::json;
    // Idempotency-Key: 1 to 255 visible ASCII characters.
    let operations = doc
        .get_mut("paths")
        .and_then(|p| p.as_object_mut())
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut());
    for op in operations {
        let params = op.get_mut("parameters").and_then(|p| p.as_array_mut());
        for p in params.into_iter().flatten() {
            if p["name"] == "Idempotency-Key" {
                p["schema"] = json!({
                    "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$",
                });
            }
        }
    }
    // Links from what a create answers to the operations that take its id, so that a client (or
    // a stateful tester) can chain them.
    let links: [(&str, &str, &[&str]); 4] = [
        ("/api/v1/members", "post", &["get_member", "block_helper"]),
        (
            "/api/v1/helpers",
            "post",
            &["get_helper", "put_availability", "vet_helper"],
        ),
        (
            "/api/v1/requests",
            "post",
            &[
                "get_request",
                "cancel_request",
                "complete_request",
                "give_feedback",
                "assign_request",
                "request_candidates",
            ],
        ),
        (
            "/api/v1/events",
            "post",
            &["get_event", "sign_up", "record_attendance"],
        ),
    ];
    for (path, method, targets) in links {
        let pointer = format!("/paths/{}/{method}/responses/201", path.replace('/', "~1"));
        if let Some(serde_json::Value::Object(response)) = doc.pointer_mut(&pointer) {
            let links: serde_json::Map<String, serde_json::Value> = targets
                .iter()
                .map(|op| {
                    let link = json!({
                        "operationId": op,
                        "parameters": {"id": "$response.body#/id"},
                    });
                    (op.to_string(), link)
                })
                .collect();
            response.insert("links".into(), serde_json::Value::Object(links));
        }
    }
    // A member needs an email or a phone, and a postcode or a location; a password needs an
    // email to sign in with.
    extend_schema(
        doc,
        "NewMember",
        json!({
            "allOf": [
                {"anyOf": [{"required": ["email"]}, {"required": ["phone"]}]},
                {"anyOf": [{"required": ["postcode"]}, {"required": ["location"]}]},
            ],
            "dependentRequired": {"password": ["email"]},
        }),
    );
    // A place is a postcode or a position.
    extend_schema(
        doc,
        "NewHelper",
        json!({"anyOf": [{"required": ["postcode"]}, {"required": ["home"]}]}),
    );
    extend_schema(
        doc,
        "EventInput",
        json!({"anyOf": [{"required": ["postcode"]}, {"required": ["location"]}]}),
    );
    // Forcing an assignment past a hard rule needs a reason.
    extend_schema(
        doc,
        "AssignInput",
        json!({
            "anyOf": [
                {"properties": {"force": {"const": false}}},
                {"required": ["reason"], "properties": {"reason": {"type": "string"}}},
            ],
        }),
    );
}

/// The methods a path of the document accepts, for the `Allow` header of a 405: `"GET, POST"`.
pub fn allowed_methods(path_pattern: &str) -> Option<&'static str> {
    static ALLOW: std::sync::OnceLock<std::collections::HashMap<String, String>> =
        std::sync::OnceLock::new();
    let table = ALLOW.get_or_init(|| {
        openapi()
            .paths
            .paths
            .into_iter()
            .map(|(path, item)| {
                let methods: Vec<&str> = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (path, methods.join(", "))
            })
            .collect()
    });
    table.get(path_pattern).map(String::as_str)
}

/// The methods the document serves at the path a request names (`/api/v1/members/42` matches
/// `/api/v1/members/{id}`), for a 405 when no route took the request's method.
pub fn allowed_methods_at(path: &str) -> Option<&'static str> {
    static PATTERNS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| openapi().paths.paths.into_keys().collect());
    let asked: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    patterns
        .iter()
        .find(|pattern| {
            let parts: Vec<&str> = pattern.split('/').collect();
            parts.len() == asked.len()
                && parts.iter().zip(&asked).all(|(p, a)| {
                    (p.starts_with('{') && p.ends_with('}') && !a.is_empty()) || p == a
                })
        })
        .and_then(|pattern| allowed_methods(pattern))
}
