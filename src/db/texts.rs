//! What texts leave behind: numbers that texted STOP, and the delivery reports the gateway sends
//! back for each text (a failed one marks its outbox row `failed`, which follow-ups read).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{outbox, texts_stopped};
use super::DbConnection;
use crate::domain::{MessageKind, OutboxStatus};

/// Whether this number (E.164) texted STOP and not START since.
pub fn stopped(conn: &mut DbConnection, number: &str) -> QueryResult<bool> {
    let n: i64 = texts_stopped::table.find(number).count().get_result(conn)?;
    Ok(n > 0)
}

/// Which of these numbers texted STOP.
pub fn stopped_among(conn: &mut DbConnection, numbers: &[String]) -> QueryResult<Vec<String>> {
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    texts_stopped::table
        .filter(texts_stopped::phone.eq_any(numbers))
        .select(texts_stopped::phone)
        .load(conn)
}

/// Stop texting this number (once; a second STOP changes nothing).
pub fn stop(conn: &mut DbConnection, number: &str, at: NaiveDateTime) -> QueryResult<()> {
    if stopped(conn, number)? {
        return Ok(());
    }
    match diesel::insert_into(texts_stopped::table)
        .values((
            texts_stopped::phone.eq(number),
            texts_stopped::stopped_at.eq(at),
        ))
        .execute(conn)
    {
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// Text this number again.
pub fn start(conn: &mut DbConnection, number: &str) -> QueryResult<()> {
    diesel::delete(texts_stopped::table.find(number))
        .execute(conn)
        .map(|_| ())
}

/// Record a text's delivery report, unless the text's last report is one of `keep`; a report
/// that it failed marks the text `failed` with why. False when nothing was recorded.
pub fn record_delivery(
    conn: &mut DbConnection,
    outbox_id: &str,
    report: &str,
    failed: Option<&str>,
    keep: &[&str],
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let text = outbox::table
        .find(outbox_id)
        .filter(outbox::kind.eq(MessageKind::Text))
        .filter(
            outbox::delivery
                .is_null()
                .or(outbox::delivery.ne_all(keep.to_vec())),
        );
    let n = match failed {
        None => diesel::update(text)
            .set((outbox::delivery.eq(report), outbox::delivery_at.eq(at)))
            .execute(conn)?,
        Some(why) => diesel::update(text)
            .set((
                outbox::delivery.eq(report),
                outbox::delivery_at.eq(at),
                outbox::status.eq(OutboxStatus::Failed),
                outbox::last_error.eq(why),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// A text's delivery report so far: `None` when there is no such text.
pub fn delivery_of(
    conn: &mut DbConnection,
    outbox_id: &str,
) -> QueryResult<Option<Option<String>>> {
    outbox::table
        .find(outbox_id)
        .filter(outbox::kind.eq(MessageKind::Text))
        .select(outbox::delivery)
        .first(conn)
        .optional()
}
