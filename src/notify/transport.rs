//! Sending one message: over SMTP (lettre's tokio transport, with a timeout on every send), or, with
//! no SMTP configured, as `.eml` files in a folder.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::EmailSettings;
use crate::db::outbox::OutboxRow;

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        timeout: Duration,
    },
    Files {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Mailer {
    /// `email.smtp_url` set: SMTP (`smtp://host:port` plain for a local relay;
    /// `smtp://host:587?tls=required` for STARTTLS; `smtps://host:465` for implicit TLS), with
    /// `email.username`/`email.password` when given. Empty: files under `email.mail_dir`.
    pub fn from_settings(s: &EmailSettings) -> Result<Mailer, String> {
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|e| format!("email.from {:?}: {e}", s.from))?;
        let url = s.smtp_url.expose().trim();
        if url.is_empty() {
            return Ok(Mailer::Files {
                dir: PathBuf::from(&s.mail_dir),
                from,
            });
        }
        let timeout = Duration::from_secs(s.send_timeout_secs.max(1));
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("email.smtp_url is not a valid SMTP URL: {e}"))?
            .timeout(Some(timeout));
        if let (Some(user), Some(pass)) = (&s.username, &s.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
        }
        Ok(Mailer::Smtp {
            transport: builder.build(),
            from,
            timeout,
        })
    }

    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp { .. } => "SMTP".into(),
            Mailer::Files { dir, .. } => format!(
                "no SMTP configured: writing .eml files to {}",
                dir.display()
            ),
        }
    }

    fn build(from: &Mailbox, row: &OutboxRow) -> Result<Message, String> {
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| format!("recipient {:?}: {e}", row.recipient))?;
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(format!("<{}@neighbourly>", row.id)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(row.text_body.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(row.html_body.clone()),
                    ),
            )
            .map_err(|e| format!("could not build the message: {e}"))
    }

    /// Send one message; an error says why, for the attempt log.
    pub async fn send(&self, row: &OutboxRow) -> Result<(), String> {
        match self {
            Mailer::Smtp {
                transport,
                from,
                timeout,
            } => {
                let message = Self::build(from, row)?;
                match tokio::time::timeout(
                    *timeout + Duration::from_secs(1),
                    transport.send(message),
                )
                .await
                {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(e)) => Err(format!("SMTP: {e}")),
                    Err(_) => Err(format!("SMTP: no answer within {} s", timeout.as_secs())),
                }
            }
            Mailer::Files { dir, from } => {
                let bytes = Self::build(from, row)?.formatted();
                let path = dir.join(format!("{}.eml", row.id));
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)?;
                    write_private(&path, &bytes)
                })
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("writing the .eml file: {e}"))
            }
        }
    }
}

/// Write a file only its owner can read: an email holds addresses, phones and live links.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// With no SMTP configured, the `.eml` copy of each of these outbox rows is deleted (an erased
/// person's emails). Nothing to do when mail goes over SMTP.
pub fn forget_copies(s: &EmailSettings, outbox_ids: &[String]) {
    if !s.smtp_url.expose().trim().is_empty() {
        return;
    }
    let dir = PathBuf::from(&s.mail_dir);
    for id in outbox_ids {
        let path = dir.join(format!("{id}.eml"));
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(error = %e, "an erased person's email file could not be deleted")
            }
        }
    }
}

/// With no SMTP configured, `.eml` files older than `email.keep_sent_days` are deleted, as the
/// outbox empties the bodies it keeps. Returns how many went.
pub fn prune_copies(s: &EmailSettings, now: std::time::SystemTime) -> usize {
    if !s.smtp_url.expose().trim().is_empty() {
        return 0;
    }
    let keep = Duration::from_secs(s.keep_sent_days.max(0) as u64 * 86_400);
    let Ok(entries) = std::fs::read_dir(&s.mail_dir) else {
        return 0;
    };
    let mut pruned = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("eml") {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age > keep));
        if old && std::fs::remove_file(&path).is_ok() {
            pruned += 1;
        }
    }
    pruned
}
