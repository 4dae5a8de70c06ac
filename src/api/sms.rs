//! What the SMS gateway calls: `GET`/`POST /sms/inbound` with a text from a phone (Kannel's
//! `get-url`, or a JSON or form body), and `GET`/`POST /sms/delivery` with a delivery report
//! (Kannel's `dlr-url`). Both carry `sms.inbound_secret` as `secret` in the query; without it
//! (or with none set) the answer is 401. Both answer 204 with no body, so that a gateway that
//! texts back what it is answered texts nothing.

use actix_web::{http::header, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::parse_json;
use crate::api::state::AppState;
use crate::auth::refresh;
use crate::error::{AppError, AppResult};
use crate::service::texts as uc;

/// The longest text read (ten joined parts).
const LONGEST_TEXT: usize = 1600;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GatewaySecret {
    /// `sms.inbound_secret`.
    pub secret: Option<String>,
}

/// A text from a phone, as Kannel's `get-url` gives it: `from=%p&text=%a`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboundQuery {
    /// `sms.inbound_secret`.
    pub secret: Option<String>,
    /// The sender's number, in any form the Circle's region reads.
    pub from: Option<String>,
    /// What they wrote.
    pub text: Option<String>,
}

/// A text from a phone.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InboundText {
    /// The sender's number, in any form the Circle's region reads.
    #[schema(example = "447700900123", min_length = 1, max_length = 32)]
    pub from: String,
    /// What they wrote.
    #[schema(example = "YES 4821", max_length = 1600)]
    pub text: String,
}

/// A delivery report, as Kannel's `dlr-url` gives it.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `sms.inbound_secret`.
    pub secret: Option<String>,
    /// The text, as the service named it when it was sent.
    pub id: Option<String>,
    /// Kannel's report kind: 1 delivered, 2 failed, 4 buffered, 8 accepted by the operator,
    /// 16 rejected by it (anything else is a 422).
    pub status: Option<String>,
}

/// The gateway, known by its secret.
fn gateway(state: &AppState, secret: Option<&str>) -> AppResult<()> {
    let kept = state.settings.sms.inbound_secret.expose();
    let given = secret.unwrap_or_default();
    match !kept.is_empty() && refresh::same(&refresh::hash(given), &refresh::hash(kept)) {
        true => Ok(()),
        false => Err(AppError::Unauthorized(
            "This address is for the SMS gateway, which gives its secret.".into(),
        )),
    }
}

fn missing(field: &str) -> AppError {
    AppError::invalid(field, "must be given")
}

/// Read and act on one text.
async fn handle(state: web::Data<AppState>, from: String, text: String) -> AppResult<HttpResponse> {
    match from.chars().count() {
        0 => return Err(AppError::invalid("from", "must not be empty")),
        33.. => return Err(AppError::invalid("from", "must be at most 32 characters")),
        _ => {}
    }
    if text.chars().count() > LONGEST_TEXT {
        return Err(AppError::invalid("text", "must be at most 1600 characters"));
    }
    let handled = state.run(move |svc| uc::inbound(svc, &from, &text)).await?;
    tracing::info!(?handled, "a text came in");
    Ok(HttpResponse::NoContent().finish())
}

/// A text from a phone, as Kannel's `get-url` passes it (`from=%p&text=%a`).
#[utoipa::path(
    get, path = "/api/v1/sms/inbound", operation_id = "receive_text", tag = "texts",
    params(InboundQuery),
    responses(
        (status = 204, description = "Read, and answered by text where it asks for one"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn inbound_get(
    state: web::Data<AppState>,
    q: web::Query<InboundQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    gateway(&state, q.secret.as_deref())?;
    let from = q.from.ok_or_else(|| missing("from"))?;
    let text = q.text.ok_or_else(|| missing("text"))?;
    handle(state, from, text).await
}

/// A text from a phone, posted as JSON `{from, text}` or as a form with those fields.
#[utoipa::path(
    post, path = "/api/v1/sms/inbound", operation_id = "post_text", tag = "texts",
    params(GatewaySecret),
    request_body(content(
        (InboundText = "application/json"),
        (InboundText = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 204, description = "Read, and answered by text where it asks for one"),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn inbound_post(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: web::Query<GatewaySecret>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    gateway(&state, q.secret.as_deref())?;
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let InboundText { from, text } = if kind.starts_with("application/json") {
        parse_json(&body)?
    } else if kind.starts_with("application/x-www-form-urlencoded") {
        let mut from = None;
        let mut text = None;
        for (k, v) in url::form_urlencoded::parse(&body) {
            match k.as_ref() {
                "from" => from = Some(v.into_owned()),
                "text" => text = Some(v.into_owned()),
                _ => {}
            }
        }
        InboundText {
            from: from.ok_or_else(|| missing("from"))?,
            text: text.ok_or_else(|| missing("text"))?,
        }
    } else {
        return Err(AppError::UnsupportedMediaType(
            "Send the text as application/json or application/x-www-form-urlencoded.".into(),
        ));
    };
    handle(state, from, text).await
}

/// A delivery report on a text, as Kannel's `dlr-url` passes it.
#[utoipa::path(
    get, path = "/api/v1/sms/delivery", operation_id = "text_delivery_report", tag = "texts",
    params(DeliveryQuery),
    responses(
        (status = 204, description = "Recorded (a report on no known text is let go)"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delivery(
    state: web::Data<AppState>,
    q: web::Query<DeliveryQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    gateway(&state, q.secret.as_deref())?;
    let id = q.id.ok_or_else(|| missing("id"))?;
    let kind: i32 = q
        .status
        .ok_or_else(|| missing("status"))?
        .trim()
        .parse()
        .map_err(|_| {
            AppError::invalid(
                "status",
                "must be one of Kannel's delivery report kinds 1, 2, 4, 8 or 16",
            )
        })?;
    let known = state.run(move |svc| uc::delivery(svc, &id, kind)).await?;
    if !known {
        tracing::info!("a delivery report on no known text");
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The same delivery report, posted (some gateways post their callbacks).
#[utoipa::path(
    post, path = "/api/v1/sms/delivery", operation_id = "post_text_delivery_report", tag = "texts",
    params(DeliveryQuery),
    responses(
        (status = 204, description = "Recorded (a report on no known text is let go)"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delivery_post(
    state: web::Data<AppState>,
    q: web::Query<DeliveryQuery>,
) -> AppResult<HttpResponse> {
    delivery(state, q).await
}

/// This module's routes, under `/api/v1`.
pub fn routes(api: &mut super::Api) {
    api.at("/sms/inbound", web::get().to(inbound_get));
    api.at("/sms/inbound", web::post().to(inbound_post));
    api.at("/sms/delivery", web::get().to(delivery));
    api.at("/sms/delivery", web::post().to(delivery_post));
}

/// This module's operations, merged into the served document by [`super::openapi`].
#[derive(utoipa::OpenApi)]
#[openapi(paths(inbound_get, inbound_post, delivery, delivery_post))]
pub struct Operations;
