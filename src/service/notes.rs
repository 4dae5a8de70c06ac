//! A person's record as coordinators keep it: notes and calls logged ("rang Edith: managing,
//! will ring on Friday"), each with who wrote it and when, newest first, and call-backs ("ring
//! Edith on Friday"), which are follow-ups from their day until marked done. Coordinators only;
//! the person's export holds them and erasing the person deletes them (`db::personal_data`).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::{page, Page, Paging};
use super::views::utc;
use super::{Error, Result, Services};
use crate::db::{self, person_notes::NoteRow};
use crate::domain::{Caller, NoteId, NoteKind, Parsed, UserId};

/// A note, a call, or a call-back with its day, as written.
pub struct NewNote {
    pub kind: NoteKind,
    pub text: String,
    /// The day to ring on: a call-back has one, nothing else does.
    pub due_on: Option<NaiveDate>,
}

/// One line of a person's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    pub id: String,
    pub kind: NoteKind,
    pub text: String,
    /// The coordinator who wrote it, by name.
    pub written_by: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: chrono::DateTime<chrono::Utc>,
    /// A call-back's day to ring on.
    #[schema(value_type = Option<String>, format = Date)]
    pub due_on: Option<NaiveDate>,
    /// When a call-back was marked done; `null` while it is still to make.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn view((row, writer): (NoteRow, String)) -> NoteView {
    NoteView {
        id: row.id,
        kind: row.kind,
        text: row.body,
        written_by: writer,
        at: utc(row.created_at),
        due_on: row.due_on,
        done_at: row.done_at.map(utc),
    }
}

/// A call-back is for today or a day within the year ahead; only a call-back has a day.
fn check_day(kind: NoteKind, due_on: Option<NaiveDate>, today: NaiveDate) -> Result<()> {
    match (kind, due_on) {
        (NoteKind::CallBack, None) => Err(Error::invalid(
            "due_on",
            "a call-back needs the day to ring on",
        )),
        (NoteKind::CallBack, Some(d)) if d < today => {
            Err(Error::invalid("due_on", "must be today or later"))
        }
        (NoteKind::CallBack, Some(d)) if d > crate::domain::dates::a_year_from(today) => {
            Err(Error::invalid("due_on", "must be within a year"))
        }
        (NoteKind::Note | NoteKind::Call, Some(_)) => Err(Error::invalid(
            "due_on",
            "only a call-back has a day; leave it out for a note or a call",
        )),
        _ => Ok(()),
    }
}

/// A coordinator writes a note, or logs a call, on a person's record (404 for nobody).
pub fn add_note(
    svc: &Services,
    caller: &Caller,
    person: &UserId,
    note: impl Into<Parsed<NewNote>>,
) -> Result<NoteView> {
    super::coordinators_only(caller)?;
    let note = note.into().take()?;
    check_day(note.kind, note.due_on, svc.now().date())?;
    svc.write(|c| {
        db::users::find(c, person.as_str())?.ok_or(Error::NotFound)?;
        let writer = db::users::find(c, caller.id.as_str())?
            .map(|u| u.name)
            .unwrap_or_default();
        let row = NoteRow {
            id: db::new_id(),
            person_id: person.to_string(),
            kind: note.kind,
            body: note.text,
            written_by: caller.id.to_string(),
            created_at: svc.now(),
            due_on: note.due_on,
            done_at: None,
            done_by: None,
        };
        db::person_notes::insert(c, &row)?;
        Ok(view((row, writer)))
    })
}

/// A person's record, newest first, a page at a time (404 for nobody).
pub fn notes(
    svc: &Services,
    caller: &Caller,
    person: &UserId,
    paging: impl Into<Parsed<Paging>>,
) -> Result<Page<NoteView>> {
    super::coordinators_only(caller)?;
    let paging = paging.into().take()?;
    let rows = svc.read(|c| {
        db::users::find(c, person.as_str())?.ok_or(Error::NotFound)?;
        Ok(db::person_notes::list(
            c,
            person.as_str(),
            paging.after.clone(),
            paging.limit,
        )?)
    })?;
    Ok(page(
        rows,
        paging.limit,
        |(r, _)| (r.created_at, r.id.clone()),
        view,
    ))
}

/// A coordinator marks a call-back made (404 for another person's line; 409 for a note or a
/// call, which have nothing to do). Marking it again changes nothing.
pub fn mark_done(
    svc: &Services,
    caller: &Caller,
    person: &UserId,
    note_id: &NoteId,
) -> Result<NoteView> {
    let note_id = note_id.as_str();
    super::coordinators_only(caller)?;
    svc.write(|c| {
        let row = db::person_notes::get(c, note_id)?
            .filter(|r| r.person_id == person.as_str())
            .ok_or(Error::NotFound)?;
        if row.kind != NoteKind::CallBack {
            return Err(Error::Conflict(
                "Only a call-back is marked done; this is a note.".into(),
            ));
        }
        db::person_notes::mark_done(c, note_id, caller.id.as_str(), svc.now())?;
        let row = db::person_notes::get(c, note_id)?.ok_or(Error::NotFound)?;
        let writer = db::users::find(c, &row.written_by)?
            .map(|u| u.name)
            .unwrap_or_default();
        Ok(view((row, writer)))
    })
}
