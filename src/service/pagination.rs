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
    #[param(minimum = 1, maximum = 200)]
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

/// Which page of a list ordered by rank (a search): how many, and how many to skip.
#[derive(Debug, Clone, Copy)]
pub struct OffsetPaging {
    pub limit: i64,
    pub offset: i64,
}

impl PageParams {
    /// As [`PageParams::parse`], for lists ordered by rank rather than by time.
    pub fn parse_offset(&self) -> Result<OffsetPaging, Invalid> {
        let limit = self.limit()?;
        let offset = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => 0,
            Some(c) => decode_offset(c)?,
        };
        Ok(OffsetPaging { limit, offset })
    }
}

fn encode_offset(offset: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("o|{offset}"))
}

fn decode_offset(s: &str) -> Result<i64, Invalid> {
    let bad = || Invalid::field("cursor", "is not a cursor this service gave out");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    raw.strip_prefix("o|")
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 0)
        .ok_or_else(bad)
}

/// A page from `limit + 1` rows read at `paging.offset`.
pub fn offset_page<R, T>(
    mut rows: Vec<R>,
    paging: OffsetPaging,
    view: impl FnMut(R) -> T,
) -> Page<T> {
    let more = rows.len() as i64 > paging.limit;
    rows.truncate(paging.limit as usize);
    Page {
        next_cursor: more.then(|| encode_offset(paging.offset + paging.limit)),
        items: rows.into_iter().map(view).collect(),
    }
}

/// A cursor holds the key's time to the nanosecond ("n" and the nanoseconds since 1970), as a
/// time given by a client (a request's window) is stored to the nanosecond on SQLite. Cursors
/// given out before hold microseconds, and are still read.
pub fn encode_cursor(at: NaiveDateTime, id: &str) -> String {
    let at = at.and_utc();
    let raw = match at.timestamp_nanos_opt() {
        Some(nanos) => format!("n{nanos}|{id}"),
        None => format!("{}|{id}", at.timestamp_micros()),
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(s: &str) -> Result<(NaiveDateTime, String), Invalid> {
    let bad = || Invalid::field("cursor", "is not a cursor this service gave out");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (time, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = match time.strip_prefix('n') {
        Some(nanos) => DateTime::from_timestamp_nanos(nanos.parse().map_err(|_| bad())?),
        None => {
            DateTime::from_timestamp_micros(time.parse().map_err(|_| bad())?).ok_or_else(bad)?
        }
    }
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
    fn cursors_keep_nanoseconds_and_read_the_older_microseconds() {
        let at = DateTime::from_timestamp_nanos(1_790_000_000_123_456_789).naive_utc();
        let p = PageParams {
            limit: None,
            cursor: Some(encode_cursor(at, "abc")),
        };
        assert_eq!(p.after().unwrap(), Some((at, "abc".to_string())));
        let older = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("1790000000123456|abc");
        let p = PageParams {
            limit: None,
            cursor: Some(older),
        };
        let micros = DateTime::from_timestamp_micros(1_790_000_000_123_456)
            .unwrap()
            .naive_utc();
        assert_eq!(p.after().unwrap(), Some((micros, "abc".to_string())));
    }

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

    #[test]
    fn offset_cursor_round_trip() {
        let page = offset_page(
            vec![1, 2, 3],
            OffsetPaging {
                limit: 2,
                offset: 4,
            },
            |n| n,
        );
        assert_eq!(page.items, vec![1, 2]);
        let p = PageParams {
            limit: Some(2),
            cursor: page.next_cursor,
        };
        assert_eq!(p.parse_offset().unwrap().offset, 6);
        let time_cursor = encode_cursor(chrono::DateTime::UNIX_EPOCH.naive_utc(), "x");
        assert!(PageParams {
            limit: None,
            cursor: Some(time_cursor)
        }
        .parse_offset()
        .is_err());
    }
}
