//! Standing requests: `POST /series`, `GET /series`, `GET /series/{id}`,
//! `POST /series/{id}/pause|resume|end`, `PUT /series/{id}/helper`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader, OptionalJson};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::auth::Role;
use crate::domain::availability::{parse_clock, parse_day, parse_timezone};
use crate::domain::dates;
use crate::domain::rhythm::Rhythm;
use crate::domain::{
    fields, Category, Every, Location, MemberId, SeriesId, SeriesStatus, UserId, Validator,
};
use crate::domain::{Caller, Invalid};
use crate::error::AppResult;
use crate::service::pagination::{Page, PageParams};
use crate::service::series::{self as uc, NewSeries, SeriesView};
use crate::service::Asked;
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct LocalWindow {
    /// Local time `HH:MM`.
    #[schema(example = "10:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// Local time `HH:MM` (or `24:00`), after `start`.
    #[schema(example = "12:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub end: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSeriesInput {
    #[schema(value_type = Category)]
    pub category: String,
    #[schema(schema_with = super::schemas::description)]
    pub description: String,
    #[schema(value_type = Every)]
    pub every: String,
    #[schema(example = "tue", pattern = "^(mon|tue|wed|thu|fri|sat|sun)$")]
    pub weekday: String,
    pub window: LocalWindow,
    #[schema(schema_with = super::schemas::timezone)]
    pub timezone: String,
    /// 1 to 480 minutes, and no longer than the window.
    #[schema(example = 60, minimum = 1, maximum = 480)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub duration_minutes: i64,
    /// The first day it may fall on: today or later, at most three years ahead.
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub starts_on: NaiveDate,
    /// The last day it may fall on, at most three years ahead; for ever when left out.
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<NaiveDate>,
    /// Defaults to the member's home.
    pub location: Option<Location>,
    /// Required when a coordinator asks on a member's behalf.
    pub member_id: Option<String>,
}

/// A member asks for the same help on a rhythm (a coordinator for them).
#[utoipa::path(
    post, path = "/api/v1/series", operation_id = "create_series", tag = "series",
    request_body = NewSeriesInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = SeriesView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyHeader,
    body: ApiJson<NewSeriesInput>,
) -> AppResult<HttpResponse> {
    let new = Asked {
        member: body.value.member_id.clone().map(MemberId::from_string),
        details: parse_new_series(caller.claims(), &body.value, state.services.now().date()).into(),
    };
    let key = key.for_body(Some(caller.claims()), "POST /series", &body.raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::create(svc, caller, new, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

fn parse_new_series(
    caller: &Caller,
    input: &NewSeriesInput,
    today: chrono::NaiveDate,
) -> Result<NewSeries, Invalid> {
    let mut v = Validator::new();
    let category = v.check("category", Category::parse(&input.category));
    let description = v.check("description", fields::description(&input.description));
    let every = v.check("every", Every::parse(&input.every));
    let weekday = v.check("weekday", parse_day(&input.weekday));
    let start = v.check("window.start", parse_clock(&input.window.start, false));
    let end = v.check("window.end", parse_clock(&input.window.end, true));
    let tz = v.check("timezone", parse_timezone(&input.timezone));
    let duration = input.duration_minutes;
    if !(1..=480).contains(&duration) {
        v.add("duration_minutes", "must be between 1 and 480");
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            v.add("window.end", "must be after window.start");
        } else if i64::from(e - s) < duration {
            v.add("duration_minutes", "must fit inside the window");
        }
    }
    if input.starts_on < today {
        v.add("starts_on", "must be today or later");
    } else {
        v.check("starts_on", dates::date(input.starts_on, today));
    }
    if let Some(ends_on) = input.ends_on {
        v.check("ends_on", dates::date(ends_on, today));
    }
    if input.ends_on.is_some_and(|e| e < input.starts_on) {
        v.add("ends_on", "must not be before starts_on");
    }
    let location = match input.location {
        Some(l) => Location::parse(l.lat, l.lon)
            .map(Some)
            .map_err(|es| v.extend("location", es))
            .ok(),
        None => Some(None),
    };
    let member = match (caller.role, &input.member_id) {
        (Role::Coordinator, None) => {
            v.add(
                "member_id",
                "is required when a coordinator asks for a member",
            );
            None
        }
        (_, Some(id)) => Some(MemberId::from_string(id.clone())),
        (_, None) => Some(caller.id.as_member()),
    };
    v.finish()?;
    validated!(
        category,
        description,
        every,
        weekday,
        start,
        end,
        tz,
        location,
        member
    );
    Ok(NewSeries {
        member,
        category,
        description,
        rhythm: Rhythm {
            every_weeks: every.weeks(),
            weekday,
            start_minute: start,
            end_minute: end,
            tz,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
        },
        duration_minutes: duration as i32,
        location,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesFilter {
    /// Coordinators: only this member's standing requests.
    pub member_id: Option<String>,
    /// Coordinators: only those this helper is the regular helper of (their regular members).
    pub helper_id: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// Standing requests, newest first: a member's own, a helper's as regular helper, all for
/// coordinators (or one member's, or one helper's regular members).
#[utoipa::path(
    get, path = "/api/v1/series", operation_id = "list_series", tag = "series",
    params(SeriesFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<SeriesView>),
        (status = 403, description = "`member_id` or `helper_id` names someone else and the caller is not a coordinator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<SeriesFilter>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let of = match (q.member_id, q.helper_id) {
        (Some(_), Some(_)) => {
            return Err(crate::error::AppError::invalid(
                "helper_id",
                "give either member_id or helper_id, not both",
            ))
        }
        (Some(m), None) => uc::SeriesOf::Member(crate::domain::MemberId::from_string(m)),
        (None, Some(h)) => uc::SeriesOf::Helper(crate::domain::HelperId::from_string(h)),
        (None, None) => uc::SeriesOf::Everyone,
    };
    let page = state
        .run_as(caller, move |svc, caller| uc::list(svc, caller, of, paging))
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One standing request with its upcoming occurrences: its member, its regular helper,
/// coordinators.
#[utoipa::path(
    get, path = "/api/v1/series/{id}", operation_id = "get_series", tag = "series",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SeriesView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<SeriesId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| uc::series(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SeriesReason {
    #[schema(schema_with = super::schemas::reason)]
    pub reason: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PauseInput {
    #[schema(schema_with = super::schemas::reason)]
    pub reason: Option<String>,
    /// Pause until this day (after today, within a year): the visits from it on stay, and on
    /// it the standing request is active again by itself. Left out: until it is resumed.
    #[schema(value_type = Option<String>, format = Date, example = "2027-01-05")]
    pub until: Option<NaiveDate>,
}

async fn change(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: SeriesId,
    reason: Option<String>,
    to: SeriesStatus,
    until: Option<NaiveDate>,
) -> AppResult<HttpResponse> {
    let mut v = Validator::new();
    let reason = v.check_opt("reason", reason.as_deref(), fields::reason);
    v.finish()?;
    validated!(reason);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::change_status(svc, caller, &id, to, until, reason.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Pause: future occurrences nobody is assigned to are cancelled (paused `until` a day, only
/// those before it); assigned ones are kept. On the `until` day it is active again by itself.
#[utoipa::path(
    post, path = "/api/v1/series/{id}/pause", operation_id = "pause_series", tag = "series",
    params(("id" = String, Path)),
    request_body(content = Option<PauseInput>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SeriesView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn pause(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<SeriesId>,
    body: OptionalJson<PauseInput>,
) -> AppResult<HttpResponse> {
    let PauseInput { reason, until } = body.value;
    change(
        state,
        caller,
        id.into_inner(),
        reason,
        SeriesStatus::Paused,
        until,
    )
    .await
}

/// Resume a paused series: occurrences are made again from the next day on.
#[utoipa::path(
    post, path = "/api/v1/series/{id}/resume", operation_id = "resume_series", tag = "series",
    params(("id" = String, Path)),
    request_body(content = Option<SeriesReason>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SeriesView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not paused", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn resume(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<SeriesId>,
    body: OptionalJson<SeriesReason>,
) -> AppResult<HttpResponse> {
    change(
        state,
        caller,
        id.into_inner(),
        body.value.reason,
        SeriesStatus::Active,
        None,
    )
    .await
}

/// End a series for good: as pausing, and no more occurrences are made.
#[utoipa::path(
    post, path = "/api/v1/series/{id}/end", operation_id = "end_series", tag = "series",
    params(("id" = String, Path)),
    request_body(content = Option<SeriesReason>, description = "May be left out"),
    security(("bearer" = [])),
    responses(
        (status = 200, body = SeriesView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already ended", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn end(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<SeriesId>,
    body: OptionalJson<SeriesReason>,
) -> AppResult<HttpResponse> {
    change(
        state,
        caller,
        id.into_inner(),
        body.value.reason,
        SeriesStatus::Ended,
        None,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegularHelper {
    /// An approved helper, or null to clear the regular helper.
    pub helper_id: Option<String>,
    /// Choose them although they fail a check of skill, reach or weekly times (audited with
    /// `reason`). Never past a closed account, a suspension or lapsed vetting.
    #[serde(default, rename = "override")]
    pub override_checks: bool,
    /// Why, required with `override`.
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

/// Coordinators set or clear a series' regular helper. The helper's skill, reach to the member
/// and weekly times are checked against the series (422 naming each check failed, as `skill`,
/// `reach` or `availability`, unless `override` with a `reason`); a closed, suspended or
/// lapsed helper is a 409.
#[utoipa::path(
    put, path = "/api/v1/series/{id}/helper", operation_id = "set_series_helper", tag = "series",
    params(("id" = String, Path)),
    request_body = RegularHelper,
    security(("bearer" = [])),
    responses(
        (status = 200, body = SeriesView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The helper's account is closed, they are suspended or their vetting has lapsed; or the series has ended", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The helper fails a check (skill, reach, availability), or override without a reason", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_helper(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<SeriesId>,
    body: ApiJson<RegularHelper>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let choice = parse_choice(body.value);
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::set_helper(svc, caller, &id, choice)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The regular helper chosen, and why the checks are overridden if they are.
fn parse_choice(input: RegularHelper) -> Result<uc::RegularChoice, Invalid> {
    let mut v = Validator::new();
    let reason = v.check_opt("reason", input.reason.as_deref(), fields::reason);
    if input.override_checks && reason.as_ref().is_none_or(Option::is_none) {
        v.add("reason", "is required with override");
    }
    v.finish()?;
    Ok(uc::RegularChoice {
        helper: input.helper_id.map(UserId::from_string),
        override_reason: reason.flatten().filter(|_| input.override_checks),
    })
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/series", actix_web::web::get().to(list));
    api.at("/series", actix_web::web::post().to(create));
    api.at("/series/{id}", actix_web::web::get().to(get));
    api.at("/series/{id}/pause", actix_web::web::post().to(pause));
    api.at("/series/{id}/resume", actix_web::web::post().to(resume));
    api.at("/series/{id}/end", actix_web::web::post().to(end));
    api.at("/series/{id}/helper", actix_web::web::put().to(set_helper));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(create, list, get, pause, resume, end, set_helper))]
pub struct Operations;
