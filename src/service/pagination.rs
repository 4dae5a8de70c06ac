//! `?limit=` (default 50, max 200) and `?cursor=`: an opaque keyset cursor.

use base64::Engine;
use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::Invalid;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which page: how many items, and after which one. Parsed from [`PageParams`].
#[derive(Debug, Clone)]
pub struct Paging {
    pub limit: i64,
    pub after: Option<(NaiveDateTime, String)>,
}

impl PageParams {
    /// Check both parameters; the first one at fault is named.
    pub fn parse(&self) -> Result<Paging, Invalid> {
        Ok(Paging {
            limit: self.limit()?,
            after: self.after()?,
        })
    }

    pub fn limit(&self) -> Result<i64, Invalid> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            Some(_) => Err(Invalid::field(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            )),
        }
    }

    pub fn after(&self) -> Result<Option<(NaiveDateTime, String)>, Invalid> {
        // An empty cursor is the first page, as if none were sent.
        self.cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(decode_cursor)
            .transpose()
    }
}

pub fn encode_cursor(at: NaiveDateTime, id: &str) -> String {
    let raw = format!("{}|{id}", at.and_utc().timestamp_micros());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(s: &str) -> Result<(NaiveDateTime, String), Invalid> {
    let bad = || Invalid::field("cursor", "is not a cursor this service gave out");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (micros, id) = raw.split_once('|').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let at = DateTime::from_timestamp_micros(micros)
        .ok_or_else(bad)?
        .naive_utc();
    Ok((at, id.to_string()))
}

/// Build a page from `limit + 1` rows: the extra row only tells that there is more.
pub fn page<R, T>(
    mut rows: Vec<R>,
    limit: i64,
    key: impl Fn(&R) -> (NaiveDateTime, String),
    view: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| {
            let (at, id) = key(r);
            encode_cursor(at, &id)
        })
    } else {
        None
    };
    Page {
        items: rows.into_iter().map(view).collect(),
        next_cursor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let at = DateTime::from_timestamp_micros(1_790_000_000_123_456)
            .unwrap()
            .naive_utc();
        let c = encode_cursor(at, "abc");
        let p = PageParams {
            limit: None,
            cursor: Some(c),
        };
        assert_eq!(p.after().unwrap(), Some((at, "abc".to_string())));
        assert!(PageParams {
            limit: None,
            cursor: Some("!!".into())
        }
        .after()
        .is_err());
        assert!(PageParams {
            limit: Some(0),
            cursor: None
        }
        .limit()
        .is_err());
        assert!(PageParams {
            limit: Some(201),
            cursor: None
        }
        .limit()
        .is_err());
    }
}
