//! The outbox worker: claim due messages (emails, push messages and texts), send them, record
//! each attempt; retry with exponential backoff, and give up only after `email.max_attempts` (an
//! email is then `failed`, and coordinators see it at `GET /api/v1/outbox?status=failed`). A push
//! service that no longer knows a subscription (404, 410) has it forgotten. A text with no
//! gateway set up fails at once, and one to a number that texted STOP is not sent.

use std::sync::Arc;

use chrono::Duration;
use serde::Serialize;

use super::messages;
use super::push::{PushOutcome, PushSender};
use super::sms_gateway::Kannel;
use super::transport::Mailer;
use crate::config::EmailSettings;
use crate::db::{self, outbox, DbConnection, Pool};
use crate::domain::MessageKind;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Drained {
    pub sent: usize,
    pub retrying: usize,
    pub failed: usize,
}

pub struct Worker {
    pub pool: Pool,
    pub settings: EmailSettings,
    pub mailer: Arc<Mailer>,
    /// Posts push messages; without it they wait (and fail after their tries).
    pub push: Option<Arc<PushSender>>,
    /// Hands texts to the SMS gateway; without it they fail at once.
    pub sms: Option<Arc<Kannel>>,
    /// "ring Test Circle on 020 7946 0999": put into the words of an email that say to ring, as
    /// it leaves (the Circle's `name` and `phone`); without a number the words stay as written.
    pub ring: Option<String>,
    /// Identifies this worker in claims and the attempt log.
    pub name: String,
}

impl Worker {
    pub fn new(pool: Pool, settings: EmailSettings, mailer: Arc<Mailer>) -> Self {
        Worker {
            pool,
            settings,
            mailer,
            push: None,
            sms: None,
            ring: None,
            name: format!("worker-{}", db::new_id()),
        }
    }

    /// This worker gives the Circle's number wherever an email says to ring.
    pub fn with_circle(self, circle: &crate::config::CircleSettings) -> Self {
        Worker {
            ring: circle
                .phone
                .as_ref()
                .map(|phone| format!("ring {} on {phone}", circle.name)),
            ..self
        }
    }

    /// This worker also posts push messages.
    pub fn with_push(self, push: Arc<PushSender>) -> Self {
        Worker {
            push: Some(push),
            ..self
        }
    }

    /// This worker also sends texts.
    pub fn with_sms(self, sms: Option<Arc<Kannel>>) -> Self {
        Worker { sms, ..self }
    }

    /// Send one claimed row: an email by the mailer, a push message by the push sender, a text
    /// by the gateway. `Err((why, false))` is not tried again.
    async fn send(&self, row: &outbox::OutboxRow) -> Result<(), (String, bool)> {
        if row.kind == MessageKind::Text {
            return self.text(row).await;
        }
        self.email_or_push(row).await.map_err(|e| (e, true))
    }

    async fn text(&self, row: &outbox::OutboxRow) -> Result<(), (String, bool)> {
        let Some(sms) = &self.sms else {
            return Err(("no text gateway is set up (sms.gateway)".into(), false));
        };
        let number = row.recipient.clone();
        let stopped = self
            .db(move |c| db::texts::stopped(c, &number))
            .await
            .map_err(|e| (e.to_string(), true))?;
        if stopped && !texts_stop_answer(row) {
            return Err(("the number texted STOP".into(), false));
        }
        sms.send(&row.id, &row.recipient, &row.text_body)
            .await
            .map_err(|e| (e, true))
    }

    async fn email_or_push(&self, row: &outbox::OutboxRow) -> Result<(), String> {
        if row.kind != MessageKind::Push {
            let Some(ring) = &self.ring else {
                return self.mailer.send(row).await;
            };
            let numbered = outbox::OutboxRow {
                text_body: messages::with_number(&row.text_body, ring, false),
                html_body: messages::with_number(&row.html_body, ring, true),
                ..row.clone()
            };
            return self.mailer.send(&numbered).await;
        }
        let push = self.push.clone().ok_or("Web Push is not set up")?;
        let id = row.recipient.clone();
        let Some(sub) = self
            .db(move |c| db::push_subscriptions::get(c, &id))
            .await
            .map_err(|e| e.to_string())?
        else {
            // Unsubscribed since: nothing left to deliver.
            return Ok(());
        };
        let note: crate::domain::push::PushNote =
            serde_json::from_str(&row.text_body).map_err(|e| format!("push note: {e}"))?;
        match push.send(&sub, &note).await {
            PushOutcome::Delivered => Ok(()),
            PushOutcome::Gone => {
                let id = sub.id.clone();
                self.db(move |c| db::push_subscriptions::delete(c, &id))
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
            PushOutcome::Failed(why) => Err(why),
        }
    }

    /// Backoff before attempt `n + 1`: base × 2^n, at most the cap.
    fn backoff(&self, attempts_so_far: i32) -> Duration {
        let s = &self.settings;
        let secs = s
            .backoff_base_secs
            .saturating_mul(1i64 << attempts_so_far.clamp(0, 20));
        Duration::seconds(secs.min(s.backoff_max_secs).max(1))
    }

    /// How many messages one claim takes: as many as can be sent, each within
    /// `email.send_timeout_secs`, before the lease ends (at most 20).
    fn per_lease(&self) -> i64 {
        let one = self.settings.send_timeout_secs as i64 + 1;
        (self.settings.lease_secs / one).clamp(1, 20)
    }

    /// Claim and send what is due now; returns what happened.
    pub async fn drain_once(&self) -> Result<Drained, WorkerError> {
        self.drain_at(db::now()).await
    }

    /// As [`Worker::drain_once`], with the clock at `now` (tests move it forward).
    pub async fn drain_at(&self, now: chrono::NaiveDateTime) -> Result<Drained, WorkerError> {
        let name = self.name.clone();
        let lease = Duration::seconds(self.settings.lease_secs);
        let claim = self.per_lease();
        let batch = self
            .db(move |c| outbox::claim(c, &name, now, now + lease, claim))
            .await?;
        let mut report = Drained::default();
        let claimed_at = std::time::Instant::now();
        let lease = std::time::Duration::from_secs(self.settings.lease_secs.max(0) as u64);
        let one_send = std::time::Duration::from_secs(self.settings.send_timeout_secs);
        for row in batch {
            // A send that might outlast the lease is left for a later claim: after the lease
            // another worker may take the message, and it must not be sent twice.
            if claimed_at.elapsed() + one_send >= lease {
                break;
            }
            let result = self.send(&row).await;
            let attempts = row.attempts + 1;
            let max = match &result {
                Err((_, false)) => attempts,
                _ => self.settings.max_attempts,
            };
            let result = result.map_err(|(e, _)| e);
            let retry = self.backoff(row.attempts);
            let name = self.name.clone();
            let outcome = result.clone();
            self.db(move |c| {
                match &outcome {
                    Ok(()) => outbox::mark_sent(c, &row, &name, now)?,
                    Err(e) => {
                        let retry_at = (row.attempts + 1 < max).then_some(now + retry);
                        outbox::mark_failed(c, &row, &name, now, e, retry_at)?;
                    }
                }
                Ok(())
            })
            .await?;
            match result {
                Ok(()) => report.sent += 1,
                Err(e) => {
                    tracing::warn!(error = %e, "email not sent");
                    if attempts >= max {
                        report.failed += 1;
                    } else {
                        report.retrying += 1;
                    }
                }
            }
        }
        Ok(report)
    }
}

/// The answer to STOP is the one text a stopped number is sent.
fn texts_stop_answer(row: &outbox::OutboxRow) -> bool {
    row.dedup_key
        .as_deref()
        .is_some_and(|k| k.starts_with(super::texts::STOP_ANSWER_KEY))
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("outbox database: {0}")]
    Database(#[from] diesel::result::Error),
    #[error("outbox database unreachable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("outbox task: {0}")]
    Task(#[from] actix_web::error::BlockingError),
}

impl Worker {
    /// Database work on the blocking pool.
    async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> diesel::QueryResult<T> + Send + 'static,
    ) -> Result<T, WorkerError> {
        let pool = self.pool.clone();
        actix_web::web::block(move || -> Result<T, WorkerError> { Ok(f(&mut *pool.get()?)?) })
            .await?
    }
}

/// Run the worker until the process ends, polling every `email.poll_interval_ms`.
pub fn spawn(worker: Worker) {
    let every = std::time::Duration::from_millis(worker.settings.poll_interval_ms.max(50));
    tokio::spawn(async move {
        loop {
            match worker.drain_once().await {
                Ok(d) if d.sent + d.retrying + d.failed > 0 => tracing::info!(?d, "outbox"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "outbox worker"),
            }
            tokio::time::sleep(every).await;
        }
    });
}
