//! Helpers apply, set their availability (and "I can help now"), and are vetted by coordinators.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader};
use crate::api::signed_in::{AuthUser, MaybeAuthUser};
use crate::api::state::AppState;
use crate::domain::availability::{TimeOffInput, WeeklySlot};
use crate::domain::dates;
use crate::domain::Invalid;
use crate::domain::{
    fields, Availability, Category, HelperId, Location, Validator, VettingDecision,
};
use crate::error::AppResult;
use crate::service::accounts as uc;
use crate::service::views::HelperView;
use crate::validated;

pub const MAX_TRAVEL_KM: f64 = 50.0;

/// A distance to travel or search: more than 0, at most [`MAX_TRAVEL_KM`].
pub fn travel_km(km: f64) -> Result<f64, String> {
    if km.is_finite() && km > 0.0 && km <= MAX_TRAVEL_KM {
        Ok(km)
    } else {
        Err(format!(
            "must be more than 0 and at most {MAX_TRAVEL_KM} km"
        ))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewHelper {
    #[schema(schema_with = super::schemas::email)]
    pub email: String,
    #[schema(schema_with = super::schemas::password)]
    pub password: String,
    #[schema(schema_with = super::schemas::name)]
    pub name: String,
    #[schema(schema_with = super::schemas::optional_phone)]
    pub phone: Option<String>,
    /// Where they live: the postcode's place is used (one of `postcode` and `home` is needed; a
    /// `home` given wins).
    #[schema(schema_with = super::schemas::optional_postcode)]
    pub postcode: Option<String>,
    pub home: Option<Location>,
    #[schema(example = json!(["gardening", "diy"]))]
    #[schema(value_type = Vec<Category>, min_items = 1)]
    pub skills: Vec<String>,
    /// More than 0, at most 50.
    #[schema(example = 3.0, exclusive_minimum = 0.0, maximum = 50.0)]
    pub max_distance_km: f64,
}

/// Apply to be a helper. The application waits for a coordinator's vetting.
#[utoipa::path(
    post, path = "/api/v1/helpers", tag = "accounts",
    request_body = NewHelper,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    responses(
        (status = 201, body = HelperView),
        (status = 401, description = "A bearer token was sent that is not valid or no longer works (a sign-up needs none)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address; see Retry-After", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_helper(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: MaybeAuthUser,
    key: IdempotencyHeader,
    body: ApiJson<NewHelper>,
) -> AppResult<HttpResponse> {
    let new = parse_new_helper(&body.value)?;
    let caller = caller.0;
    if !caller.as_ref().is_some_and(|c| c.is_coordinator()) {
        let trusted = &state.settings.auth.trusted_proxies;
        super::client::limit(&req, trusted, &state.signup_limiter)?;
    }
    let key = key.for_body(caller.as_ref(), "POST /helpers", &body.raw);
    let once = state
        .run(move |svc| uc::apply_as_helper(svc, caller.as_ref(), new, key.as_ref()))
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

fn parse_new_helper(input: &NewHelper) -> AppResult<uc::NewHelper> {
    let mut v = Validator::new();
    let name = v.check("name", fields::name(&input.name));
    let email = v.check("email", fields::email(&input.email));
    let password = v.check("password", fields::password(&input.password));
    let phone = v.check_opt("phone", input.phone.as_deref(), fields::phone);
    let skills = v.check("skills", Category::parse_skills(&input.skills));
    let home = super::places::parse_place(&mut v, "home", input.home, input.postcode.as_deref());
    let max_distance_km = v.check("max_distance_km", travel_km(input.max_distance_km));
    v.finish()?;
    validated!(name, email, password, phone, skills, home, max_distance_km);
    Ok(uc::NewHelper {
        name,
        email,
        phone,
        password,
        home,
        skills,
        max_distance_km,
    })
}

/// A helper's profile: that helper and coordinators only.
#[utoipa::path(
    get, path = "/api/v1/helpers/{id}", tag = "accounts",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = HelperView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_helper(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| uc::helper(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AvailabilityInput {
    /// An IANA time zone name; weekly slots are in this zone.
    #[schema(example = "Europe/London")]
    #[schema(schema_with = super::schemas::timezone)]
    pub timezone: String,
    pub weekly: Vec<WeeklySlot>,
    #[serde(default)]
    pub time_off: Vec<TimeOffInput>,
}

/// Replace a helper's weekly availability and time off.
#[utoipa::path(
    put, path = "/api/v1/helpers/{id}/availability", tag = "accounts",
    params(("id" = String, Path)),
    request_body = AvailabilityInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Availability),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn put_availability(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
    body: ApiJson<AvailabilityInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let availability = parse_availability(body.value, state.services.now().and_utc());
    let saved = state
        .run_as(caller, move |svc, caller| {
            uc::set_availability(svc, caller, &id, availability)
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// A helper's weekly times and time off, as sent; time off is checked against `now`.
fn parse_availability(
    input: AvailabilityInput,
    now: DateTime<Utc>,
) -> Result<Availability, Invalid> {
    let availability =
        Availability::parse(&input.timezone, &input.weekly, &input.time_off).map_err(Invalid)?;
    let mut v = Validator::new();
    for (i, off) in availability.time_off.iter().enumerate() {
        v.check(&format!("time_off[{i}].start"), dates::time(off.start, now));
        v.check(&format!("time_off[{i}].end"), dates::time(off.end, now));
    }
    v.finish()?;
    Ok(availability)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HelpNowInput {
    /// For how many hours from now, 1 to 8.
    #[schema(minimum = 1, maximum = 8, example = 3)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub hours: i64,
}

/// "I can help now": the helper is free for any job for the next `hours`, beside their weekly
/// times, and off again by itself; open requests that could start in that time are offered again
/// at once. That helper, or a coordinator.
#[utoipa::path(
    put, path = "/api/v1/helpers/{id}/help-now", operation_id = "help_now", tag = "accounts",
    params(("id" = String, Path)),
    request_body = HelpNowInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = Availability),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn help_now(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
    body: ApiJson<HelpNowInput>,
) -> AppResult<HttpResponse> {
    let (id, hours) = (id.into_inner(), body.value.hours);
    let saved = state
        .run_as(caller, move |svc, caller| {
            uc::help_now(svc, caller, &id, Some(hours))
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

/// Turn "I can help now" off before its time.
#[utoipa::path(
    delete, path = "/api/v1/helpers/{id}/help-now", operation_id = "stop_help_now", tag = "accounts",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Availability),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn stop_help_now(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let saved = state
        .run_as(caller, move |svc, caller| {
            uc::help_now(svc, caller, &id, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VettingInput {
    /// `approved`, `rejected` or `suspended`.
    #[schema(value_type = VettingDecision)]
    pub status: String,
    /// When approving: the date the vetting (e.g. a DBS check) runs out, after today and at most
    /// three years ahead. Left out, a year from the current expiry when that has not passed,
    /// else a year from today.
    #[schema(value_type = Option<String>, format = Date, example = "2027-11-22")]
    pub expires_on: Option<NaiveDate>,
    #[schema(schema_with = super::schemas::reason)]
    pub note: Option<String>,
}

/// A coordinator approves, rejects or suspends a helper.
#[utoipa::path(
    post, path = "/api/v1/helpers/{id}/vetting", tag = "accounts",
    params(("id" = String, Path)),
    request_body = VettingInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = HelperView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn vet_helper(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<HelperId>,
    body: ApiJson<VettingInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let vetting = parse_vetting(body.value, state.services.now().date());
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::vet_helper(svc, caller, &id, vetting)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Approving takes an expiry after today; left out, the vetting runs a year from its current
/// expiry (when that has not passed) or from today.
fn parse_vetting(input: VettingInput, today: NaiveDate) -> Result<uc::Vetting, Invalid> {
    let mut v = Validator::new();
    let decision = v.check(
        "status",
        VettingDecision::parse(&input.status)
            .map_err(|_| "must be approved, rejected or suspended".to_string()),
    );
    if decision == Some(VettingDecision::Approved) {
        match input.expires_on {
            None => {}
            Some(d) if d <= today => v.add("expires_on", "must be after today"),
            Some(d) => {
                v.check("expires_on", dates::date(d, today));
            }
        }
    }
    let note = v.check_opt("note", input.note.as_deref(), fields::reason);
    v.finish()?;
    validated!(decision, note);
    Ok(uc::Vetting {
        decision,
        expires_on: input.expires_on,
        note,
    })
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/helpers", actix_web::web::post().to(create_helper));
    api.at("/helpers/{id}", actix_web::web::get().to(get_helper));
    api.at(
        "/helpers/{id}/availability",
        actix_web::web::put().to(put_availability),
    );
    api.at(
        "/helpers/{id}/vetting",
        actix_web::web::post().to(vet_helper),
    );
    api.at("/helpers/{id}/help-now", actix_web::web::put().to(help_now));
    api.at(
        "/helpers/{id}/help-now",
        actix_web::web::delete().to(stop_help_now),
    );
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    create_helper,
    get_helper,
    put_availability,
    vet_helper,
    help_now,
    stop_help_now
))]
pub struct Operations;
