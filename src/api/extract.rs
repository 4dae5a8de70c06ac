//! Request extractors that answer every failure as a problem: `ApiJson` for bodies,
//! `IdempotencyHeader`.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{AppError, FieldError};

/// A JSON body, parsed strictly: `application/json` only, size-limited, and every problem named.
pub struct ApiJson<T> {
    pub value: T,
    pub raw: web::Bytes,
}

fn is_json(req: &HttpRequest) -> bool {
    let Some(ct) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn payload_error(e: actix_web::Error) -> AppError {
    if e.as_response_error().status_code() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge("The body is larger than this service accepts.".into())
    } else {
        AppError::BadRequest("The body could not be read.".into())
    }
}

/// Parse JSON, naming the field at fault: syntax errors are 400, wrong values 422.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Every body is an object (or `null` where it is optional); serde would also read a struct
    // from an array.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(AppError::Validation(vec![FieldError::new(
            "",
            "the body must be a JSON object",
        )]));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let msg = inner.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                let field = match msg
                    .strip_prefix("missing field `")
                    .and_then(|m| m.split('`').next())
                {
                    Some(name) if path == "." => name.to_string(),
                    Some(name) => format!("{path}.{name}"),
                    None if path == "." => String::new(),
                    None => path,
                };
                AppError::Validation(vec![FieldError::new(field, msg)])
            }
            _ => AppError::BadRequest(format!("The body is not valid JSON: {inner}")),
        }
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(AppError::UnsupportedMediaType(
                    "Send the body as Content-Type: application/json.".into(),
                ));
            }
            let raw = bytes.await.map_err(payload_error)?;
            let value = parse_json(&raw)?;
            Ok(ApiJson { value, raw })
        })
    }
}

/// A JSON body that may be left out entirely; an empty body means the default (a body of
/// whitespace alone sent as JSON is a 400, as any other body that is not JSON).
pub struct OptionalJson<T> {
    pub value: T,
}

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let raw = bytes.await.map_err(payload_error)?;
            // Nothing at all is no body; whitespace alone with a JSON type is not JSON (400).
            if raw.is_empty() || (!json && raw.iter().all(u8::is_ascii_whitespace)) {
                return Ok(OptionalJson {
                    value: T::default(),
                });
            }
            if !json {
                return Err(AppError::UnsupportedMediaType(
                    "Send the body as Content-Type: application/json.".into(),
                ));
            }
            // `null` is the same as no body.
            let value: Option<T> = parse_json(&raw)?;
            Ok(OptionalJson {
                value: value.unwrap_or_default(),
            })
        })
    }
}

/// The `Idempotency-Key` header, if sent: 1 to 255 visible ASCII characters.
pub struct IdempotencyHeader(pub Option<String>);

impl FromRequest for IdempotencyHeader {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = match req.headers().get("Idempotency-Key") {
            None => Ok(IdempotencyHeader(None)),
            Some(v) => match v.to_str() {
                Ok(s)
                    if (1..=255).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) =>
                {
                    Ok(IdempotencyHeader(Some(s.to_string())))
                }
                _ => Err(AppError::BadRequest(
                    "Idempotency-Key must be 1 to 255 visible ASCII characters.".into(),
                )),
            },
        };
        std::future::ready(key)
    }
}

impl IdempotencyHeader {
    /// The key for a use case, bound to the caller, the operation and the body as sent.
    pub fn for_body(
        self,
        caller: Option<&crate::domain::Caller>,
        route: &str,
        body: &[u8],
    ) -> Option<crate::service::IdempotencyKey> {
        self.0
            .map(|key| crate::service::IdempotencyKey::new(caller, key, route, body))
    }
}

/// An integer field that also takes a JSON number with no fraction (`90.0`), as JSON Schema's
/// `integer` does.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    use serde::de::Error;
    let n = serde_json::Number::deserialize(d)?;
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(D::Error::custom(format!(
            "invalid type: {n}, expected an integer"
        ))),
    }
}

/// As [`whole_number`], for a field that may be left out (`null` is refused).
pub fn some_whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    whole_number(d).map(Some)
}
