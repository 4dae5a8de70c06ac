//! Sending a text through Kannel's smsbox `sendsms` interface (an HTTP GET), asking for every
//! delivery report at `{sms.callback_url}/api/v1/sms/delivery`, which names the outbox row. A
//! text needing Unicode goes as UCS-2 (`coding=2`), any other in the GSM alphabet.

use std::time::Duration;

use crate::config::SmsSettings;
use crate::domain::sms::{self, Coding};

pub struct Kannel {
    client: reqwest::Client,
    sendsms: reqwest::Url,
    username: String,
    password: String,
    from: String,
    /// `…/api/v1/sms/delivery?secret=…`: the row's id and Kannel's `%d` are added to it.
    delivery: String,
}

/// Kannel's delivery report kinds asked for: delivered (1), failed (2), buffered (4), accepted by
/// the operator (8) and rejected by it (16).
const ALL_REPORTS: &str = "31";

impl Kannel {
    /// The gateway the settings name; `None` when texts are off (`sms.gateway` empty).
    pub fn from_settings(
        s: &SmsSettings,
        public_url: &str,
        timeout: Duration,
    ) -> Result<Option<Kannel>, String> {
        if !s.enabled() {
            return Ok(None);
        }
        let sendsms = reqwest::Url::parse(&s.kannel_url)
            .map_err(|e| format!("sms.kannel_url {:?}: {e}", s.kannel_url))?;
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| format!("an HTTP client for the SMS gateway: {e}"))?;
        let base = match s.callback_url.trim() {
            "" => public_url,
            url => url,
        };
        let mut delivery = reqwest::Url::parse(&format!(
            "{}/api/v1/sms/delivery",
            base.trim_end_matches('/')
        ))
        .map_err(|e| format!("sms.callback_url {base:?}: {e}"))?;
        delivery
            .query_pairs_mut()
            .append_pair("secret", s.inbound_secret.expose());
        Ok(Some(Kannel {
            client,
            sendsms,
            username: s.username.clone(),
            password: s.password.expose().to_string(),
            from: s.from.clone(),
            delivery: delivery.to_string(),
        }))
    }

    /// Hand one text to the gateway; an error says why, for the attempt log.
    pub async fn send(&self, outbox_id: &str, to: &str, text: &str) -> Result<(), String> {
        let coding = match sms::measure(text).coding {
            Coding::Gsm => "0",
            Coding::Ucs2 => "2",
        };
        // Kannel puts the report's kind where `%d` stands; the rest is ours.
        let dlr_url = format!("{}&id={outbox_id}&status=%d", self.delivery);
        let mut url = self.sendsms.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("username", &self.username)
                .append_pair("password", &self.password)
                .append_pair("to", to)
                .append_pair("text", text)
                .append_pair("charset", "UTF-8")
                .append_pair("coding", coding)
                .append_pair("dlr-mask", ALL_REPORTS)
                .append_pair("dlr-url", &dlr_url);
            if !self.from.is_empty() {
                q.append_pair("from", &self.from);
            }
        }
        let answer = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| match e.is_timeout() {
                true => "the SMS gateway did not answer in time".to_string(),
                false => format!("the SMS gateway could not be reached: {}", e.without_url()),
            })?;
        let status = answer.status();
        let body = answer.text().await.unwrap_or_default();
        // "0: Accepted for delivery" (202), "3: Queued for later delivery" (202).
        match status.is_success() {
            true => Ok(()),
            false => Err(format!(
                "the SMS gateway refused the text ({}): {}",
                status.as_u16(),
                body.trim().chars().take(200).collect::<String>()
            )),
        }
    }
}
