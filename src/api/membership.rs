//! Membership and time: `POST /members/{id}/memberships`, `GET /members/{id}/account` (JSON, or
//! the statement as CSV), `POST /members/{id}/account/credits`, `/adjustments`, and
//! `GET /memberships/renewals` (whom to remind or ring).

use std::fmt::Write;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::answer_once;
use super::extract::{ApiJson, IdempotencyHeader};
use crate::api::signed_in::AuthUser;
use crate::api::state::AppState;
use crate::domain::dates;
use crate::domain::Invalid;
use crate::domain::{fields, MemberId, MovementKind, Validator};
use crate::error::AppResult;
use crate::service::membership::{
    self as uc, MembershipView, MovementView, RenewalDue, TimeAccount,
};
use crate::service::pagination::Page;
use crate::validated;

#[derive(Debug, Deserialize, ToSchema)]
pub struct MembershipInput {
    /// A day within a year back and three years ahead of today (422 otherwise). Left out: the
    /// day after the member's current membership ends (today when it has ended), so that a
    /// renewal never shortens the year.
    #[schema(value_type = Option<String>, format = Date, example = "2026-12-01")]
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// After `starts_on`, within a year back and three years ahead of today (422 otherwise).
    /// Left out: a year on from `starts_on`.
    #[schema(value_type = Option<String>, format = Date, example = "2027-11-30")]
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// The fee in pence (£10 is 1000).
    #[schema(minimum = 0, maximum = 1000000, example = 1000)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub fee_pence: i64,
    /// Who paid, if not the member (a daughter, a charity …).
    #[schema(schema_with = super::schemas::reason)]
    pub paid_by: Option<String>,
}

/// A coordinator records a member's membership (a renewal is a new one).
#[utoipa::path(
    post, path = "/api/v1/members/{id}/memberships", operation_id = "add_membership", tag = "membership",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    request_body = MembershipInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = MembershipView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn add_membership(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MemberId>,
    key: IdempotencyHeader,
    body: ApiJson<MembershipInput>,
) -> AppResult<HttpResponse> {
    let member = id.into_inner();
    let new = parse_membership(&body.value, state.services.now().date());
    let route = format!("POST /members/{member}/memberships");
    let key = key.for_body(Some(caller.claims()), &route, &body.raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::add_membership(svc, caller, &member, new, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

/// A membership as sent, its dates checked against `today`.
fn parse_membership(
    input: &MembershipInput,
    today: NaiveDate,
) -> Result<uc::NewMembership, Invalid> {
    let mut v = Validator::new();
    if let Some(d) = input.starts_on {
        v.check("starts_on", dates::date(d, today));
    }
    if let Some(d) = input.ends_on {
        v.check("ends_on", dates::date(d, today));
    }
    if !(0..=1_000_000).contains(&input.fee_pence) {
        v.add("fee_pence", "must be between 0 and 1000000");
    }
    let paid_by = v.check_opt("paid_by", input.paid_by.as_deref(), fields::reason);
    v.finish()?;
    validated!(paid_by);
    Ok(uc::NewMembership {
        starts_on: input.starts_on,
        ends_on: input.ends_on,
        fee_pence: input.fee_pence as i32,
        paid_by,
    })
}

/// The member's account: balance, holds, available minutes and tokens, membership and every
/// movement; with `Accept: text/csv`, the statement as CSV.
#[utoipa::path(
    get, path = "/api/v1/members/{id}/account", operation_id = "member_account", tag = "membership",
    params(("id" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = TimeAccount, description = "JSON; with Accept: text/csv, the statement in words: `Date,What,Hours,Balance (hours),Visit,Paid (£),Paid by,Note`"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn account(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: AuthUser,
    id: web::Path<MemberId>,
) -> AppResult<HttpResponse> {
    let member = id.into_inner();
    let view = state
        .run_as(caller, move |svc, caller| uc::account(svc, caller, &member))
        .await?;
    if super::reports::wants_csv(&req) {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .body(statement_csv(
                &view,
                state.services.settings.reports.timezone,
            )));
    }
    Ok(HttpResponse::Ok().json(view))
}

/// One line a movement, oldest first, with the running balance, in words a coordinator reads in
/// a spreadsheet: the time in the Circle's zone, what it was, hours, the visit it was for, money
/// in pounds.
fn statement_csv(view: &TimeAccount, tz: chrono_tz::Tz) -> String {
    use crate::csv::{optional_cell, text_cell};
    let mut out = String::from("Date,What,Hours,Balance (hours),Visit,Paid (£),Paid by,Note\n");
    let hours = |minutes: i64| {
        if minutes % 60 == 0 {
            format!("{}", minutes / 60)
        } else {
            format!("{:.2}", minutes as f64 / 60.0)
        }
    };
    let mut balance = 0i64;
    for m in &view.movements {
        balance += i64::from(m.minutes);
        let what = match m.kind {
            MovementKind::Credit => "Tokens bought",
            MovementKind::Debit => "Help used",
            MovementKind::Adjustment => "Correction",
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            m.at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            text_cell(what),
            hours(i64::from(m.minutes)),
            hours(balance),
            optional_cell(m.visit.as_deref()),
            m.amount_pence
                .map(|p| format!("{}.{:02}", p / 100, p % 100))
                .unwrap_or_default(),
            optional_cell(m.paid_by.as_deref()),
            optional_cell(m.note.as_deref()),
        );
    }
    out
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreditInput {
    /// Tokens bought, 1 to 100 (one token is an hour, a setting).
    #[schema(minimum = 1, maximum = 100, example = 3)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub tokens: i64,
    /// What was paid, in pence (3 tokens for £30 is 3000).
    #[schema(minimum = 0, maximum = 1000000, example = 3000)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub amount_pence: i64,
    /// Who paid, if not the member (family buying tokens as a gift).
    #[schema(schema_with = super::schemas::reason)]
    pub paid_by: Option<String>,
    #[schema(schema_with = super::schemas::reason)]
    pub note: Option<String>,
}

/// A coordinator records tokens bought for the member.
#[utoipa::path(
    post, path = "/api/v1/members/{id}/account/credits", operation_id = "credit_account", tag = "membership",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    request_body = CreditInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = MovementView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn credit(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MemberId>,
    key: IdempotencyHeader,
    body: ApiJson<CreditInput>,
) -> AppResult<HttpResponse> {
    let per_token = state.settings.membership.minutes_per_token;
    let new = parse_credit(&body.value, per_token);
    let to = (id.into_inner(), "credits");
    record_movement(state, caller, to, key, &body.raw, new).await
}

/// Record a movement on a member's account (`to`: the member and the route's last word),
/// once per Idempotency-Key.
async fn record_movement(
    state: web::Data<AppState>,
    caller: AuthUser,
    (member, kind): (MemberId, &str),
    key: IdempotencyHeader,
    raw: &[u8],
    new: Result<uc::NewMovement, Invalid>,
) -> AppResult<HttpResponse> {
    let route = format!("POST /members/{member}/account/{kind}");
    let key = key.for_body(Some(caller.claims()), &route, raw);
    let once = state
        .run_as(caller, move |svc, caller| {
            uc::record_movement(svc, caller, &member, new, key.as_ref())
        })
        .await?;
    Ok(answer_once(StatusCode::CREATED, once))
}

/// Tokens bought, as sent, in minutes of `per_token`.
fn parse_credit(input: &CreditInput, per_token: i32) -> Result<uc::NewMovement, Invalid> {
    let mut v = Validator::new();
    if !(1..=100).contains(&input.tokens) {
        v.add("tokens", "must be between 1 and 100");
    }
    if !(0..=1_000_000).contains(&input.amount_pence) {
        v.add("amount_pence", "must be between 0 and 1000000");
    }
    let paid_by = v.check_opt("paid_by", input.paid_by.as_deref(), fields::reason);
    let note = v.check_opt("note", input.note.as_deref(), fields::reason);
    v.finish()?;
    validated!(paid_by, note);
    Ok(uc::NewMovement {
        kind: MovementKind::Credit,
        minutes: input.tokens as i32 * per_token,
        amount_pence: Some(input.amount_pence as i32),
        paid_by,
        note,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AdjustmentInput {
    /// Minutes into (or, negative, out of) the member's account: -6000 to 6000, not 0.
    #[schema(minimum = -6000, maximum = 6000, example = -30)]
    #[serde(deserialize_with = "super::extract::whole_number")]
    pub minutes: i64,
    #[schema(schema_with = super::schemas::required_reason)]
    pub reason: String,
}

/// A coordinator corrects a member's balance, with a reason.
#[utoipa::path(
    post, path = "/api/v1/members/{id}/account/adjustments", operation_id = "adjust_account", tag = "membership",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retry safely: the first answer is replayed")),
    request_body = AdjustmentInput,
    security(("bearer" = [])),
    responses(
        (status = 201, body = MovementView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn adjust(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<MemberId>,
    key: IdempotencyHeader,
    body: ApiJson<AdjustmentInput>,
) -> AppResult<HttpResponse> {
    let new = parse_adjustment(&body.value);
    let to = (id.into_inner(), "adjustments");
    record_movement(state, caller, to, key, &body.raw, new).await
}

/// A correction to an account, as sent.
fn parse_adjustment(input: &AdjustmentInput) -> Result<uc::NewMovement, Invalid> {
    let mut v = Validator::new();
    if input.minutes == 0 || !(-6000..=6000).contains(&input.minutes) {
        v.add("minutes", "must be between -6000 and 6000, and not 0");
    }
    let reason = v.check("reason", fields::reason(&input.reason));
    v.finish()?;
    validated!(reason);
    Ok(uc::NewMovement {
        kind: MovementKind::Adjustment,
        minutes: input.minutes as i32,
        amount_pence: None,
        paid_by: None,
        note: Some(reason),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RenewalsFilter {
    /// Memberships ending within this many days, or ended within as many: 1 to 366 (default 30).
    #[param(minimum = 1, maximum = 366)]
    pub within_days: Option<i64>,
}

/// Members whose membership ends soon or has just ended, soonest first: those with email are
/// reminded by email, the others are the call list.
#[utoipa::path(
    get, path = "/api/v1/memberships/renewals", operation_id = "renewals_due", tag = "membership",
    params(RenewalsFilter),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Page<RenewalDue>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn renewals(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<RenewalsFilter>,
) -> AppResult<HttpResponse> {
    let days = match q.within_days.unwrap_or(30) {
        days @ 1..=366 => Ok(days),
        _ => Err(Invalid::field("within_days", "must be between 1 and 366")),
    };
    let page = state
        .run_as(caller, move |svc, caller| {
            uc::renewals_due(svc, caller, days)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at(
        "/members/{id}/memberships",
        actix_web::web::post().to(add_membership),
    );
    api.at("/members/{id}/account", actix_web::web::get().to(account));
    api.at(
        "/members/{id}/account/credits",
        actix_web::web::post().to(credit),
    );
    api.at(
        "/members/{id}/account/adjustments",
        actix_web::web::post().to(adjust),
    );
    api.at("/memberships/renewals", actix_web::web::get().to(renewals));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(add_membership, account, credit, adjust, renewals))]
pub struct Operations;
