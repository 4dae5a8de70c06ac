//! Coordinators' weekly report (JSON or CSV), sending it by email, and the outbox's failures.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::views::utc;
use crate::auth::{AuthUser, Role};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::reports::{self, IsoWeek, WeeklyReport};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct WeekQuery {
    /// An ISO week, `2026-W47`; the last complete week when left out.
    pub week: Option<String>,
}

fn week_of(state: &AppState, q: &WeekQuery) -> AppResult<(IsoWeek, chrono_tz::Tz)> {
    let tz = crate::domain::availability::parse_timezone(&state.settings.reports.timezone)
        .map_err(AppError::internal)?;
    let week = match &q.week {
        Some(w) => IsoWeek::parse(w).map_err(|m| AppError::invalid("week", m))?,
        None => IsoWeek::last_complete(Utc::now(), tz),
    };
    Ok((week, tz))
}

fn wants_csv(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"))
}

/// The weekly report: JSON, or CSV with `Accept: text/csv`.
#[utoipa::path(
    get, path = "/api/v1/reports/weekly", tag = "reports",
    params(WeekQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = WeeklyReport, description = "JSON; with Accept: text/csv, CSV lines `section,figure,category,this_week,previous_week`"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn weekly(
    state: web::Data<AppState>,
    caller: AuthUser,
    req: HttpRequest,
    q: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Coordinator])?;
    let (week, tz) = week_of(&state, &q)?;
    let report = state.db(move |c| Ok(reports::build(c, week, tz)?)).await?;
    if wants_csv(&req) {
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"neighbourly-{week}.csv\""),
            ))
            .body(reports::csv(&report)));
    }
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    pub week: String,
    /// Emails queued, one per coordinator with an email address.
    pub queued: usize,
}

/// Email the weekly report to every coordinator (through the outbox).
#[utoipa::path(
    post, path = "/api/v1/reports/weekly/send", tag = "reports",
    params(WeekQuery),
    security(("bearer" = [])),
    responses(
        (status = 202, body = Queued),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn send_weekly(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Coordinator])?;
    let (week, _) = week_of(&state, &q)?;
    let st = state.clone();
    let queued = state
        .db(move |c| {
            db::write_tx(c, |c| {
                let n = reports::queue_for_coordinators(c, &st.settings, week, false, db::now())?;
                db::audit::record(c, Some(&caller.id), "report.sent", &week.to_string(), None)?;
                Ok(n)
            })
        })
        .await?;
    Ok(HttpResponse::Accepted().json(Queued {
        week: week.to_string(),
        queued,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OutboxQuery {
    /// `pending`, `sending`, `sent` or `failed` (default `failed`).
    pub status: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub next_attempt_at: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxList {
    pub items: Vec<OutboxItem>,
}

/// Emails by state; coordinators look here for the ones that could not be delivered.
#[utoipa::path(
    get, path = "/api/v1/outbox", tag = "reports",
    params(OutboxQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, body = OutboxList),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn outbox(
    state: web::Data<AppState>,
    caller: AuthUser,
    q: web::Query<OutboxQuery>,
) -> AppResult<HttpResponse> {
    caller.require(&[Role::Coordinator])?;
    let status = q.status.clone().unwrap_or_else(|| "failed".into());
    if !["pending", "sending", "sent", "failed"].contains(&status.as_str()) {
        return Err(AppError::invalid(
            "status",
            "must be pending, sending, sent or failed",
        ));
    }
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::invalid("limit", "must be between 1 and 200"));
    }
    let rows = state
        .db(move |c| Ok(db::outbox::list(c, &status, limit)?))
        .await?;
    let items = rows
        .into_iter()
        .map(|r| OutboxItem {
            id: r.id,
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            status: r.status,
            attempts: r.attempts,
            last_error: r.last_error,
            next_attempt_at: utc(r.next_attempt_at),
            created_at: utc(r.created_at),
            sent_at: r.sent_at.map(utc),
        })
        .collect();
    Ok(HttpResponse::Ok().json(OutboxList { items }))
}
