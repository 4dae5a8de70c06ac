//! The JSON Schemas of request fields, written to say exactly what the server checks, so that a
//! client generated from the document refuses what the server would refuse.

use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaFormat, SchemaType, Type};

/// Characters a text may not hold: control characters other than newline, and the characters
/// that change how text reads without showing (bidirectional controls, zero-width characters).
const NO_CONTROL: &str = r"\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF";
/// Characters a one-line text (a name, a title) may not hold: those, and newline too.
const NO_CONTROL_ON_A_LINE: &str =
    r"\u0000-\u001F\u007F-\u009F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF";

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new().schema_type(ty)
}

/// A text of 1 to `max` characters, not only spaces, holding none of `forbidden`. Spaces
/// around it are trimmed before it is kept.
fn text_without(forbidden: &str, max: usize, nullable: bool) -> Object {
    string(nullable)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(format!(
            "^[^{forbidden}]*[^\\s{forbidden}][^{forbidden}]*$"
        )))
        .build()
}

/// A text that may run over several lines: no control characters but newline.
fn text(max: usize, nullable: bool) -> Object {
    text_without(NO_CONTROL, max, nullable)
}

/// A name: one line of visible text.
pub fn name() -> Object {
    text_without(NO_CONTROL_ON_A_LINE, 100, false)
}

pub fn optional_name() -> Object {
    text_without(NO_CONTROL_ON_A_LINE, 100, true)
}

pub fn title() -> Object {
    text_without(NO_CONTROL_ON_A_LINE, 100, false)
}

pub fn address() -> Object {
    text(300, false)
}

pub fn description() -> Object {
    text(2000, false)
}

pub fn comment() -> Object {
    text(2000, true)
}

pub fn reason() -> Object {
    text(500, true)
}

pub fn required_reason() -> Object {
    text(500, false)
}

fn email_of(nullable: bool) -> Object {
    string(nullable)
        .format(Some(SchemaFormat::Custom("email".into())))
        .max_length(Some(254))
        .build()
}

pub fn email() -> Object {
    email_of(false)
}

pub fn optional_email() -> Object {
    email_of(true)
}

fn password_of(nullable: bool) -> Object {
    string(nullable)
        .format(Some(SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Password,
        )))
        .min_length(Some(crate::domain::fields::MIN_PASSWORD_CHARS))
        .max_length(Some(crate::domain::fields::MAX_PASSWORD_CHARS))
        .build()
}

pub fn password() -> Object {
    password_of(false)
}

pub fn optional_password() -> Object {
    password_of(true)
}

/// Digits, spaces and `+ ( ) -`, with 7 to 15 digits.
pub fn optional_phone() -> Object {
    string(true)
        .pattern(Some(r"^[ +()\-]*(?:[0-9][ +()\-]*){7,15}$"))
        .examples(["020 7946 0001"])
        .build()
}

/// A UK postcode, any case, spaces between its two parts (`domain::postcode::PATTERN`).
pub fn optional_postcode() -> Object {
    string(true)
        .pattern(Some(crate::domain::postcode::PATTERN))
        .examples(["SE15 4QF"])
        .build()
}

/// An IANA time zone name.
pub fn timezone() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
        .examples(["Europe/London"])
        .build()
}

/// An ISO week in a query string, `2026-W47`.
pub fn iso_week() -> Object {
    string(false)
        .pattern(Some(r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"))
        .examples(["2026-W47"])
        .build()
}

/// The most members one attendance call may name, so that the largest list fits in a request
/// body whatever the ids hold.
pub const MAX_ATTENDANCE_IDS: usize = 100;

/// Members' ids (UUIDs, at most 36 characters), 1 to [`MAX_ATTENDANCE_IDS`] of them.
pub fn member_ids() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(string(false).max_length(Some(36)).build())
        .min_items(Some(1))
        .max_items(Some(MAX_ATTENDANCE_IDS))
        .build()
}
