//! Social events: `POST /events`, `GET /events`, `GET /events/{id}`,
//! `POST /events/{id}/signups`, `DELETE /events/{id}/signups/{member_id}`,
//! `POST /events/{id}/attendance`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::dates;
use crate::domain::Invalid;
use crate::domain::{fields, EventId, Location, MemberId, Validator};
use crate::error::AppResult;
use crate::service::events::{self as uc, EventView, NewEvent, SignupView};
use crate::service::pagination::{Page, PageParams};
use crate::validated;

/// The most places an event may have.
const MAX_CAPACITY: i64 = 1000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct EventInput {
    #[schema(schema_with = super::schemas::title, example = "Coffee morning")]
    pub title: String,
    #[schema(schema_with = super::schemas::description)]
    pub description: String,
    /// Where, in words ("St Mary's church hall, Camberwell Grove").
    #[schema(schema_with = super::schemas::address)]
    pub place: String,
    /// Where on the map: the postcode's place (one of `postcode` and `location` is needed; a
    /// `location` given wins).
    #[schema(schema_with = super::schemas::optional_postcode)]
    pub postcode: Option<String>,
    pub location: Option<Location>,
    /// On a day within a year back and three years ahead of today (422 otherwise).
    #[schema(value_type = String, format = DateTime, example = "2026-12-03T10:30:00Z")]
    pub starts_at: DateTime<Utc>,
    /// After `starts_at`, and at most 24 hours after it, on a day within a year back and three years ahead of today (422 otherwise).
    #[schema(value_type = String, format = DateTime, example = "2026-12-03T12:00:00Z")]
    pub ends_at: DateTime<Utc>,
    /// Places, 1 to 1000.
    #[schema(minimum = 1, maximum = 1000, example = 30)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub capacity: i64,
}

/// A coordinator puts an event on.
#[utoipa::path(
    post, path = "/api/v1/events", operation_id = "create_event", tag = "events",
    request_body = EventInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    security(("bearer" = [])),
    responses(
        (status = 201, body = EventView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    caller: AuthUser,
    key: IdempotencyHeader,
    body: ApiJson<EventInput>,
) -> AppResult<HttpResponse> {
    let new = parse_event(&body.value, state.services.now().and_utc());
    let key = key.for_body(Some(caller.claims()), "POST /events", &body.raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::create(svc, caller, new, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

/// An event as sent, checked against `now`.
fn parse_event(input: &EventInput, now: DateTime<Utc>) -> Result<NewEvent, Invalid> {
    let mut v = Validator::new();
    let title = v.check("title", fields::title(&input.title));
    let description = v.check("description", fields::description(&input.description));
    let place = v.check("place", fields::address(&input.place));
    let location = super::places::parse_place(
        &mut v,
        "location",
        input.location,
        input.postcode.as_deref(),
    );
    v.check("starts_at", dates::time(input.starts_at, now));
    v.check("ends_at", dates::time(input.ends_at, now));
    if input.ends_at <= input.starts_at {
        v.add("ends_at", "must be after starts_at");
    } else if input.ends_at - input.starts_at > Duration::hours(24) {
        v.add("ends_at", "must be at most 24 hours after starts_at");
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        v.add("capacity", format!("must be between 1 and {MAX_CAPACITY}"));
    }
    v.finish()?;
    validated!(title, description, place, location);
    Ok(NewEvent {
        title,
        description,
        place,
        location,
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        capacity: input.capacity as i32,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Events starting at or after this (RFC 3339); default now.
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// Events starting before this (RFC 3339); after `from`.
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
    /// Only the events this member is going to or waiting for (coordinators; a member only
    /// their own, anyone else 403).
    pub member_id: Option<String>,
    /// How many, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

fn instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "must be an RFC 3339 date-time, such as 2026-12-03T10:30:00Z".to_string())
}

/// Events coming up, soonest first, with how many are going and waiting. Coordinators also get
/// the names; a member gets their own sign-up.
#[utoipa::path(
    get, path = "/api/v1/events", operation_id = "list_events", tag = "events",
    params(EventFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<EventView>),
        (status = 403, description = "`member_id` names another member and the caller is not a coordinator", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<EventFilter>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut v = Validator::new();
    let from = v.check_opt("from", q.from.as_deref(), instant);
    let to = v.check_opt("to", q.to.as_deref(), instant);
    if let (Some(Some(f)), Some(Some(t))) = (from, to) {
        if t <= f {
            v.add("to", "must be after from");
        }
    }
    v.finish()?;
    validated!(from, to);
    let paging = PageParams {
        limit: q.limit,
        cursor: q.cursor,
    }
    .parse()?;
    let member = q.member_id.map(MemberId::from_string);
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::list(svc, caller, from, to, member.as_ref(), paging)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One event; coordinators also see who is going and waiting, and the call list.
#[utoipa::path(
    get, path = "/api/v1/events/{id}", operation_id = "get_event", tag = "events",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = EventView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<EventId>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| uc::event(svc, caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignupInput {
    /// Required when a coordinator signs a member up; a member signs up themself.
    pub member_id: Option<String>,
    /// A lift there and home: a transport request for the event's time, made once they are going.
    #[serde(default)]
    pub needs_lift: bool,
}

/// Sign up: `going` while places are free, then `waiting` in order.
#[utoipa::path(
    post, path = "/api/v1/events/{id}/signups", operation_id = "sign_up", tag = "events",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    request_body = SignupInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = SignupView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Already signed up, the event has started, or (tokens required, with a lift) not enough time in the account"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn sign_up(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<EventId>,
    key: IdempotencyHeader,
    body: ApiJson<SignupInput>,
) -> AppResult<HttpResponse> {
    let event = id.into_inner();
    let member = body.value.member_id.clone().map(MemberId::from_string);
    let needs_lift = body.value.needs_lift;
    // The event's id is part of what the key stands for: the same key for another event is
    // another request.
    let route = format!("POST /events/{event}/signups");
    let key = key.for_body(Some(caller.claims()), &route, &body.raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::sign_up(svc, caller, &event, member, needs_lift, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

/// Leave an event (the member, or a coordinator for them). A place freed goes to the first
/// waiting, who is told.
#[utoipa::path(
    delete, path = "/api/v1/events/{id}/signups/{member_id}", operation_id = "leave_event", tag = "events",
    params(("id" = String, Path), ("member_id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Left"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The event has started", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn leave(
    state: web::Data<AppState>,
    caller: AuthUser,
    path: web::Path<(EventId, MemberId)>,
) -> AppResult<HttpResponse> {
    let (event, member) = path.into_inner();
    state
        .run_as(caller, move |svc, caller| {
            uc::leave(svc, caller, &event, &member)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceInput {
    /// Members going to the event who came: 1 to 100 ids a call.
    #[schema(schema_with = super::schemas::member_ids)]
    pub member_ids: Vec<String>,
}

/// A coordinator records who came (from the event's start).
#[utoipa::path(
    post, path = "/api/v1/events/{id}/attendance", operation_id = "record_attendance", tag = "events",
    params(("id" = String, Path)),
    request_body = AttendanceInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = EventView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "The event has not started"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn attendance(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<EventId>,
    body: ApiJson<AttendanceInput>,
) -> AppResult<HttpResponse> {
    let ids = &body.value.member_ids;
    let most = super::schemas::MAX_ATTENDANCE_IDS;
    let members = match ids.is_empty() || ids.len() > most {
        true => Err(Invalid::field(
            "member_ids",
            format!("must hold 1 to {most} ids"),
        )),
        false => Ok(ids.iter().cloned().map(MemberId::from_string).collect()),
    };
    let event = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::record_attendance(svc, caller, &event, members)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelEventInput {
    /// Why, in words for those going: it is in the email they receive.
    #[schema(schema_with = super::schemas::reason)]
    pub reason: String,
}

/// Cancel an event before it starts: everyone going or waiting is told, their lifts are
/// cancelled, and the event answers `status: "cancelled"` and takes no more sign-ups.
#[utoipa::path(
    post, path = "/api/v1/events/{id}/cancel", operation_id = "cancel_event", tag = "events",
    params(("id" = String, Path)),
    request_body = CancelEventInput,
    security(("bearer" = [])),
    responses(
        (status = 200, body = EventView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already cancelled, or started", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<EventId>,
    body: ApiJson<CancelEventInput>,
) -> AppResult<HttpResponse> {
    let event = id.into_inner();
    let reason = body.value.reason;
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::cancel(svc, caller, &event, &reason)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct EventPatch {
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(schema_with = super::schemas::title)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(schema_with = super::schemas::description)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(schema_with = super::schemas::address)]
    pub place: Option<Option<String>>,
    /// A new place on the map by postcode (a `location` given wins).
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(schema_with = super::schemas::optional_postcode)]
    pub postcode: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(value_type = Location)]
    pub location: Option<Option<Location>>,
    /// On a day within a year back and three years ahead of today (422 otherwise).
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: Option<Option<DateTime<Utc>>>,
    /// After `starts_at`, at most 24 hours after it, on a day within a year back and three years ahead of today (422 otherwise).
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: Option<Option<DateTime<Utc>>>,
    /// Never below the number going.
    #[serde(default, deserialize_with = "super::people::present")]
    #[schema(value_type = i64, minimum = 1, maximum = 1000)]
    pub capacity: Option<Option<i64>>,
}

/// Change an event before it starts (fields left out stay). Those going are told of a new time
/// or place; more places go to those waiting, in turn.
#[utoipa::path(
    patch, path = "/api/v1/events/{id}", operation_id = "update_event", tag = "events",
    params(("id" = String, Path)),
    request_body = EventPatch,
    security(("bearer" = [])),
    responses(
        (status = 200, body = EventView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cancelled, started, or a capacity below the number going", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<EventId>,
    body: ApiJson<EventPatch>,
) -> AppResult<HttpResponse> {
    let event = id.into_inner();
    let change = parse_change(body.value, state.services.now().and_utc());
    let view = state
        .run_as(caller, move |svc, caller| {
            uc::change(svc, caller, &event, change)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The fields of an event that were sent, each checked against `now`.
fn parse_change(input: EventPatch, now: DateTime<Utc>) -> Result<uc::EventChange, Invalid> {
    let mut v = Validator::new();
    use super::people::required_if_sent as sent;
    let title = sent(&mut v, "title", input.title);
    let description = sent(&mut v, "description", input.description);
    let place = sent(&mut v, "place", input.place);
    let postcode = sent(&mut v, "postcode", input.postcode);
    let location = sent(&mut v, "location", input.location);
    let starts_at = sent(&mut v, "starts_at", input.starts_at)
        .and_then(|t| v.check("starts_at", dates::time(t, now)));
    let ends_at = sent(&mut v, "ends_at", input.ends_at)
        .and_then(|t| v.check("ends_at", dates::time(t, now)));
    let capacity = sent(&mut v, "capacity", input.capacity);
    let place_given = location.is_some() || postcode.is_some();
    let change = uc::EventChange {
        title: title.and_then(|t| v.check("title", fields::title(&t))),
        description: description.and_then(|d| v.check("description", fields::description(&d))),
        place: place.and_then(|p| v.check("place", fields::address(&p))),
        location: place_given
            .then(|| super::places::parse_place(&mut v, "location", location, postcode.as_deref()))
            .flatten(),
        starts_at,
        ends_at,
        capacity: capacity.and_then(|n| {
            if (1..=MAX_CAPACITY).contains(&n) {
                Some(n as i32)
            } else {
                v.add("capacity", format!("must be between 1 and {MAX_CAPACITY}"));
                None
            }
        }),
    };
    v.finish()?;
    Ok(change)
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/events", actix_web::web::get().to(list));
    api.at("/events", actix_web::web::post().to(create));
    api.at("/events/{id}", actix_web::web::get().to(get));
    api.at("/events/{id}", actix_web::web::patch().to(update));
    api.at("/events/{id}/signups", actix_web::web::post().to(sign_up));
    api.at(
        "/events/{id}/signups/{member_id}",
        actix_web::web::delete().to(leave),
    );
    api.at(
        "/events/{id}/attendance",
        actix_web::web::post().to(attendance),
    );
    api.at("/events/{id}/cancel", actix_web::web::post().to(cancel));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(create, list, get, sign_up, leave, cancel, update, attendance))]
pub struct Operations;
