//! Helpers apply, set their availability, and are vetted by coordinators.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::extract::{ApiJson, IdempotencyKey};
use super::idempotent::Idempotent;
use super::views::HelperView;
use crate::auth::{AuthUser, MaybeAuthUser, Role};
use crate::db::{self, helpers::HelperRow, users::UserRow};
use crate::domain::availability::{TimeOffInput, WeeklySlot};
use crate::domain::{fields, Availability, Category, Location, Validator};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::validated;

pub const MAX_TRAVEL_KM: f64 = 50.0;

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewHelper {
    pub email: String,
    pub password: String,
    pub name: String,
    pub phone: Option<String>,
    pub home: Location,
    #[schema(example = json!(["gardening", "diy"]))]
    pub skills: Vec<String>,
    #[schema(example = 3.0)]
    pub max_distance_km: f64,
}

/// Apply to be a helper. The application waits for a coordinator's vetting.
#[utoipa::path(
    post, path = "/api/v1/helpers", tag = "accounts",
    request_body = NewHelper,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    responses(
        (status = 201, body = HelperView),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_helper(
    state: web::Data<AppState>,
    caller: MaybeAuthUser,
    key: IdempotencyKey,
    body: ApiJson<NewHelper>,
) -> AppResult<HttpResponse> {
    let input = body.value;
    let mut v = Validator::new();
    let name = v.check("name", fields::name(&input.name));
    let email = v.check("email", fields::email(&input.email));
    let password = v.check("password", fields::password(&input.password));
    let phone = v.check_opt("phone", input.phone.as_deref(), fields::phone);
    let skills = v.check("skills", Category::parse_skills(&input.skills));
    let home = Location::parse(input.home.lat, input.home.lon)
        .map_err(|es| v.extend("home", es))
        .ok();
    let max_km = input.max_distance_km;
    let max_distance_km = v.check(
        "max_distance_km",
        if max_km.is_finite() && max_km > 0.0 && max_km <= MAX_TRAVEL_KM {
            Ok(max_km)
        } else {
            Err(format!(
                "must be more than 0 and at most {MAX_TRAVEL_KM} km"
            ))
        },
    );
    v.finish()?;
    validated!(name, email, password, phone, skills, home, max_distance_km);

    let policy = state.passwords();
    let hash = web::block(move || policy.hash(&password))
        .await?
        .map_err(AppError::internal)?;
    let user = UserRow {
        id: db::new_id(),
        role: Role::Helper.as_str().into(),
        name,
        email: Some(email),
        phone,
        password_hash: Some(hash),
        created_at: db::now(),
    };
    let (reach_min_lat, reach_max_lat, reach_min_lon, reach_max_lon) =
        db::helpers::reach_box(home.lat, home.lon, max_distance_km);
    let helper = HelperRow {
        reach_min_lat,
        reach_max_lat,
        reach_min_lon,
        reach_max_lon,
        user_id: user.id.clone(),
        home_lat: home.lat,
        home_lon: home.lon,
        max_distance_km,
        skills: Category::encode_set(&skills),
        vetting_status: "pending".into(),
        vetting_expires_on: None,
        vetting_note: None,
        vetted_by: None,
        vetted_at: None,
        availability: serde_json::to_string(&Availability::default())
            .map_err(AppError::internal)?,
    };
    let caller = caller.0;
    Idempotent {
        state: &state,
        caller: caller.as_ref(),
        key: key.0,
        route: "POST /helpers",
        body: &body.raw,
    }
    .run(StatusCode::CREATED, || async {
        state
            .db(move |c| {
                let taken =
                    || AppError::Conflict("An account with this email already exists.".into());
                if db::users::email_taken(c, user.email.as_deref().unwrap_or_default())? {
                    return Err(taken());
                }
                db::helpers::create(c, &user, &helper).map_err(|e| {
                    if db::is_unique_violation(&e) {
                        taken()
                    } else {
                        e.into()
                    }
                })?;
                Ok(HelperView::new(user, helper))
            })
            .await
    })
    .await
}

fn may_see_helper(caller: &AuthUser, id: &str) -> AppResult<()> {
    if caller.is_coordinator() || caller.id == id {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

async fn load(state: &AppState, id: String) -> AppResult<HelperView> {
    let (user, helper) = state
        .db(move |c| db::helpers::get(c, &id)?.ok_or(AppError::NotFound))
        .await?;
    Ok(HelperView::new(user, helper))
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
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    may_see_helper(&caller, &id)?;
    Ok(HttpResponse::Ok().json(load(&state, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AvailabilityInput {
    /// An IANA time zone name; weekly slots are in this zone.
    #[schema(example = "Europe/London")]
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
    id: web::Path<String>,
    body: ApiJson<AvailabilityInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    may_see_helper(&caller, &id)?;
    let input = body.value;
    let availability = Availability::parse(&input.timezone, &input.weekly, &input.time_off)
        .map_err(AppError::Validation)?;
    let json = serde_json::to_string(&availability).map_err(AppError::internal)?;
    state
        .db(
            move |c| match db::helpers::set_availability(c, &id, &json)? {
                0 => Err(AppError::NotFound),
                _ => Ok(()),
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(availability))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VettingInput {
    /// `approved`, `rejected` or `suspended`.
    #[schema(example = "approved")]
    pub status: String,
    /// Required when approving: the date the vetting (e.g. a DBS check) runs out.
    #[schema(value_type = Option<String>, format = Date, example = "2027-11-22")]
    pub expires_on: Option<NaiveDate>,
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
    id: web::Path<String>,
    body: ApiJson<VettingInput>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Coordinator])?;
    let id = id.into_inner();
    let input = body.value;
    let mut v = Validator::new();
    let status = v.check(
        "status",
        match input.status.as_str() {
            s @ ("approved" | "rejected" | "suspended") => Ok(s.to_string()),
            _ => Err("must be approved, rejected or suspended".into()),
        },
    );
    let today = Utc::now().date_naive();
    if input.status == "approved" {
        match input.expires_on {
            None => v.add("expires_on", "is required when approving"),
            Some(d) if d <= today => v.add("expires_on", "must be after today"),
            Some(_) => {}
        }
    }
    let note = v.check_opt("note", input.note.as_deref(), fields::reason);
    v.finish()?;
    validated!(status, note);
    let expires_on = input.expires_on;
    let actor = caller.id.clone();
    let st = state.clone();
    let view = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let change = db::helpers::VettingChange {
                    status: &status,
                    expires_on,
                    note: note.as_deref(),
                    by: &actor,
                    at: db::now(),
                };
                crate::offering::flow::decide_vetting(c, &st.settings, &id, &change)?;
                let (user, helper) = db::helpers::get(c, &id)?.ok_or(AppError::NotFound)?;
                Ok(HelperView::new(user, helper))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
