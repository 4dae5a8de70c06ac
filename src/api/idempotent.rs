//! Honour `Idempotency-Key` on creating POSTs: the same key and body replay the first answer; the
//! same key with another body is refused. Keys are kept per caller.

use std::future::Future;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::AuthUser;
use crate::db::idempotency::{self, Claim};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub struct Idempotent<'a> {
    pub state: &'a AppState,
    pub caller: Option<&'a AuthUser>,
    pub key: Option<String>,
    pub route: &'static str,
    pub body: &'a [u8],
}

fn json_response(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .body(body)
}

impl Idempotent<'_> {
    /// Run `create` once per key; answer with its status and JSON.
    pub async fn run<T, F, Fut>(self, status: StatusCode, create: F) -> AppResult<HttpResponse>
    where
        T: Serialize,
        F: FnOnce() -> Fut,
        Fut: Future<Output = AppResult<T>>,
    {
        let Some(key) = self.key else {
            let value = create().await?;
            return Ok(json_response(
                status,
                serde_json::to_string(&value).map_err(AppError::internal)?,
            ));
        };
        let scope = match self.caller {
            Some(u) => format!("user:{}", u.id),
            None => "anonymous".to_string(),
        };
        let mut hasher = Sha256::new();
        hasher.update(self.route.as_bytes());
        hasher.update([0]);
        hasher.update(self.body);
        let hash: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();

        let claim = {
            let (scope, key, hash) = (scope.clone(), key.clone(), hash.clone());
            self.state
                .db(move |c| Ok(idempotency::claim(c, &scope, &key, &hash)?))
                .await?
        };
        match claim {
            Claim::Replay { status, body } => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                let mut resp = json_response(status, body);
                resp.headers_mut().insert(
                    header::HeaderName::from_static("idempotent-replayed"),
                    header::HeaderValue::from_static("true"),
                );
                Ok(resp)
            }
            Claim::Mismatch => Err(AppError::Unprocessable(
                "This Idempotency-Key was already used with a different request body.".into(),
            )),
            Claim::InProgress => Err(AppError::Conflict(
                "A request with this Idempotency-Key is still being processed; retry shortly."
                    .into(),
            )),
            Claim::Fresh => match create().await {
                Ok(value) => {
                    let body = serde_json::to_string(&value).map_err(AppError::internal)?;
                    let stored = body.clone();
                    self.state
                        .db(move |c| {
                            Ok(idempotency::complete(
                                c,
                                &scope,
                                &key,
                                status.as_u16(),
                                &stored,
                            )?)
                        })
                        .await?;
                    Ok(json_response(status, body))
                }
                Err(e) => {
                    let released = self
                        .state
                        .db(move |c| Ok(idempotency::release(c, &scope, &key)?))
                        .await;
                    if let Err(r) = released {
                        tracing::warn!(error = %r, "could not release an idempotency key");
                    }
                    Err(e)
                }
            },
        }
    }
}
