//! A person's record as coordinators keep it: notes and calls logged ("rang Edith: managing,
//! will ring on Friday"), each with who wrote it and when, newest first. Coordinators only; the
//! person's export holds them and erasing the person deletes them (`db::personal_data`).

use serde::Serialize;
use utoipa::ToSchema;

use super::pagination::{page, Page, Paging};
use super::views::utc;
use super::{Error, Result, Services};
use crate::db::{self, person_notes::NoteRow};
use crate::domain::{Caller, NoteKind, Parsed, UserId};

/// A note or a call, as written.
pub struct NewNote {
    pub kind: NoteKind,
    pub text: String,
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
}

fn view((row, writer): (NoteRow, String)) -> NoteView {
    NoteView {
        id: row.id,
        kind: row.kind,
        text: row.body,
        written_by: writer,
        at: utc(row.created_at),
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
