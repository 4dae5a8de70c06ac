//! Texts that come back from phones through the gateway, and its delivery reports.
//!
//! `YES 4821`, `NO 4821` and `OK 4821` from the number on a helper's record do what the app's
//! buttons and the email's one-tap links do, by the same path ([`action_links::act_in`]): the
//! code is looked up only among that helper's own offers and visits, the first yes wins, and a
//! late yes is thanked. A number that sends many codes that match nothing waits an hour. `STOP`
//! stops every text to the number, `START` starts them again, `HELP` gives the Circle's number;
//! anything else is answered once a day, politely. Every answer goes through the outbox, in the
//! same transaction as what the text did.

use chrono::{Duration, NaiveDateTime};

use super::action_links::{self, LinkChoice};
use super::{Error, Result, Services};
use crate::auth::refresh;
use crate::db::{self, outbox, outbox::NewEmail, DbConnection};
use crate::domain::sms::{self, Answer, Inbound, TextCode};
use crate::domain::{contact, LinkAction, Role};
use crate::notify::links::text_token;
use crate::notify::texts::{Texting, STOP_ANSWER_KEY};

/// Codes matching nothing that a number may send in an hour before it waits.
pub const MOST_WRONG_CODES: i64 = 5;
const WRONG_CODES_WINDOW: Duration = Duration::hours(1);
/// Where wrong codes are counted (`login_failures.address`, with the number as its key).
const WRONG_CODE: &str = "wrong code by text";

/// What a text from a phone did, for the log and the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Took,
    TooLate,
    TurnedDown,
    Confirmed,
    CodeUnknown,
    Slowed,
    Stopped,
    Started,
    Helped,
    Answered,
    /// Not a number that reads: nothing to answer.
    Ignored,
}

/// A text from `from` saying `text`.
pub fn inbound(svc: &Services, from: &str, text: &str) -> Result<Handled> {
    let Some(number) = contact::e164(from) else {
        return Ok(Handled::Ignored);
    };
    let texting = Texting::from_settings(&svc.settings);
    svc.write(|c| {
        let now = svc.now();
        let reply = |c: &mut DbConnection, about: &str, body: String| {
            outbox::enqueue(c, &Texting::queued(&number, about, body, None), now).map(|_| ())
        };
        let handled = match sms::read(text) {
            Inbound::Stop => {
                let key = format!("{STOP_ANSWER_KEY}{number}:{}", now.and_utc().timestamp());
                let answer =
                    Texting::queued(&number, "texts stopped", texting.stopped(), Some(key));
                outbox::enqueue_once(c, &answer, now)?;
                db::texts::stop(c, &number, now)?;
                Handled::Stopped
            }
            Inbound::Start => {
                db::texts::start(c, &number)?;
                reply(c, "texts started", texting.started())?;
                Handled::Started
            }
            Inbound::Help => {
                reply(c, "help", texting.help())?;
                Handled::Helped
            }
            Inbound::AnswerWithoutCode(answer) => {
                reply(c, "a code is missing", texting.code_missing(answer.word()))?;
                Handled::Answered
            }
            Inbound::NotUnderstood => {
                not_understood(c, &texting, &number, now)?;
                Handled::Answered
            }
            Inbound::Answer(answer, code) => {
                answered(c, svc, &texting, &number, answer, &code, now)?
            }
        };
        Ok(handled)
    })
}

/// One polite answer a day to a number whose texts are not understood (an answering machine
/// that replies to replies stops there).
fn not_understood(
    c: &mut DbConnection,
    texting: &Texting,
    number: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let key = format!("text-not-understood:{number}:{}", now.date());
    let answer = Texting::queued(
        number,
        "not understood",
        texting.not_understood(),
        Some(key),
    );
    outbox::enqueue_once(c, &answer, now)?;
    Ok(())
}

/// `YES 4821`, `NO 4821`, `OK 4821` from a helper's number.
fn answered(
    c: &mut DbConnection,
    svc: &Services,
    texting: &Texting,
    number: &str,
    answer: Answer,
    code: &TextCode,
    now: NaiveDateTime,
) -> Result<Handled> {
    let helpers: Vec<_> = db::users::by_number(c, number)?
        .into_iter()
        .filter(|u| u.role == Role::Helper)
        .collect();
    if helpers.is_empty() {
        not_understood(c, texting, number, now)?;
        return Ok(Handled::Answered);
    }
    let reply = |c: &mut DbConnection, about: &str, body: String| -> Result<()> {
        outbox::enqueue(c, &Texting::queued(number, about, body, None), now)?;
        Ok(())
    };
    let (wrong, _) = db::login_failures::since(c, number, WRONG_CODE, now - WRONG_CODES_WINDOW)?;
    if wrong >= MOST_WRONG_CODES {
        let key = format!("text-slowed:{number}:{}", now.format("%Y-%m-%dT%H"));
        let slowed = Texting::queued(
            number,
            "too many codes",
            texting.too_many_codes(),
            Some(key),
        );
        outbox::enqueue_once(c, &slowed, now)?;
        return Ok(Handled::Slowed);
    }
    let action = match answer {
        Answer::Yes => LinkAction::Accept,
        Answer::No => LinkAction::Decline,
        Answer::Ok => LinkAction::Confirm,
    };
    let mut found = None;
    for helper in &helpers {
        let hash = refresh::hash(&text_token(&helper.id, action, code));
        if db::action_links::find(c, &hash)?.is_some() {
            found = Some((helper, hash));
            break;
        }
    }
    let Some((helper, hash)) = found else {
        db::login_failures::record(c, number, WRONG_CODE, now)?;
        reply(c, "a code not found", texting.code_unknown(code))?;
        return Ok(Handled::CodeUnknown);
    };
    // What the code names ended, was used, or its helper can no longer help.
    let link = match action_links::usable_by_hash(c, &hash, now) {
        Ok(link) => link,
        Err(Error::NotFound | Error::Gone(_)) => {
            reply(c, "a code no longer in use", texting.code_unknown(code))?;
            return Ok(Handled::CodeUnknown);
        }
        Err(e) => return Err(e),
    };
    let when = match db::requests::get(c, &link.request_id)? {
        Some(r) => texting.day(r.scheduled_start.unwrap_or(r.window_start).and_utc()),
        None => String::new(),
    };
    let done = db::savepoint(c, |c| {
        action_links::act_in(c, svc, &link, LinkChoice::default(), "text", now)
    });
    let name = &helper.name;
    match (answer, done) {
        (Answer::Yes, Ok(_)) => {
            reply(c, "the job is yours", texting.job_is_yours(name, &when))?;
            Ok(Handled::Took)
        }
        (Answer::Yes, Err(Error::Conflict(_) | Error::Gone(_))) => {
            reply(
                c,
                "someone else is going",
                texting.someone_else_is_going(name),
            )?;
            Ok(Handled::TooLate)
        }
        (Answer::No, Ok(_)) => {
            reply(c, "thank you", texting.turned_down(name))?;
            Ok(Handled::TurnedDown)
        }
        (Answer::Ok, Ok(_)) => {
            reply(c, "visit confirmed", texting.confirmed(name, &when))?;
            Ok(Handled::Confirmed)
        }
        (_, Err(Error::Conflict(_) | Error::Gone(_) | Error::NotFound)) => {
            reply(c, "a code no longer in use", texting.code_unknown(code))?;
            Ok(Handled::CodeUnknown)
        }
        (_, Err(e)) => Err(e),
    }
}

/// A delivery report's kind as Kannel gives it (`%d` in its `dlr-url`).
pub fn report_in_words(kind: i32) -> Option<(&'static str, Option<&'static str>)> {
    Some(match kind {
        1 => ("delivered", None),
        2 => (
            "failed",
            Some("the phone network could not deliver the text"),
        ),
        4 => ("buffered", None),
        8 => ("accepted", None),
        16 => ("rejected", Some("the phone network refused the text")),
        _ => return None,
    })
}

/// The reports after which a text's fate is known; a later report of progress (buffered,
/// accepted) does not change them, whatever order the gateway's reports arrive in.
pub const SETTLED_REPORTS: [&str; 3] = ["delivered", "failed", "rejected"];

/// The gateway reports on a text: recorded on its outbox row; a failure makes it `failed`, and
/// so a follow-up when a visit is near. A report of progress after the last word (delivered,
/// failed, rejected) does not change it: the update itself says so, so that two reports at once
/// cannot undo each other. False when there is no such text.
pub fn delivery(svc: &Services, outbox_id: &str, kind: i32) -> Result<bool> {
    let Some((word, failed)) = report_in_words(kind) else {
        return Err(Error::Unprocessable(
            "status: must be one of Kannel's delivery report kinds 1, 2, 4, 8 or 16".into(),
        ));
    };
    let keep: &[&str] = match SETTLED_REPORTS.contains(&word) {
        true => &[],
        false => &SETTLED_REPORTS,
    };
    svc.write(|c| {
        let now = svc.now();
        if db::texts::record_delivery(c, outbox_id, word, failed, keep, now)? {
            return Ok(true);
        }
        Ok(db::texts::delivery_of(c, outbox_id)?.is_some())
    })
}

/// The text that would tell a phone a sign-in code: to the number however it was written.
pub fn sign_in_code_text(svc: &Services, number: &str, code: &str, minutes: i64) -> NewEmail {
    let texting = Texting::from_settings(&svc.settings);
    Texting::queued(
        number,
        "a sign-in code",
        texting.sign_in_code(code, minutes),
        None,
    )
}
