//! Places from postcodes: importing the open postcode list (the ONS Postcode Directory, or a
//! plain `postcode,lat,lon` file) and looking one postcode up.
//!
//! The import streams the file and writes it in transactions of [`ROWS_PER_TRANSACTION`] rows,
//! so that the whole UK (about 2.7 million rows) goes in within minutes and in bounded memory.
//! Retired postcodes (an ONS `doterm`) and rows with no position are skipped and counted. A row
//! that cannot be read (a malformed postcode, a position that is not a number) is reported with
//! its line and skipped; everything else is imported, since one bad row in a national file
//! should not hold back the other 2.7 million, and importing again updates what is there.

use std::io::Read;

use serde::Serialize;
use utoipa::ToSchema;

use super::{Error, Requester, Result, Services};
use crate::db::{self, places::PlaceRow};
use crate::domain::{Location, Place, Postcode};

/// Rows written in one transaction.
pub const ROWS_PER_TRANSACTION: usize = 50_000;
/// Bad lines listed in the report (all are counted).
const BAD_LINES_LISTED: usize = 20;

/// One place, as the API answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceView {
    #[schema(example = "SE15 4QF")]
    pub postcode: String,
    /// The postcode district (the outward code), as people name the area.
    #[schema(example = "SE15")]
    pub district: String,
    pub location: Location,
}

/// The place of a postcode typed any way; unknown or malformed postcodes are not found.
pub fn place(svc: &Services, postcode: &str) -> Result<PlaceView> {
    let postcode = Postcode::parse(postcode).map_err(|_| Error::NotFound)?;
    let row = svc
        .read(|c| Ok(db::places::find(c, postcode.as_str())?))?
        .ok_or(Error::NotFound)?;
    Ok(PlaceView {
        postcode: row.postcode,
        district: row.district,
        location: Location {
            lat: row.lat,
            lon: row.lon,
        },
    })
}

/// The position of a place as given: a postcode's, looked up, or the position itself; then
/// checked against the Circle's area. Errors name `postcode`, or `location_field` for a position.
pub fn resolve(
    c: &mut crate::db::DbConnection,
    settings: &crate::config::Settings,
    place: &Place,
    location_field: &str,
) -> Result<Location> {
    let (at, field) = match place {
        Place::At(at) => (*at, location_field),
        Place::Postcode(postcode) => {
            let row = db::places::find(c, postcode.as_str())?.ok_or_else(|| {
                Error::invalid(
                    "postcode",
                    format!("{postcode} is not a postcode we know. Please check it; if it is new, give a neighbour's postcode instead."),
                )
            })?;
            let at = Location {
                lat: row.lat,
                lon: row.lon,
            };
            (at, "postcode")
        }
    };
    if let Some(area) = settings.circle.area() {
        area.check(at).map_err(|why| Error::invalid(field, why))?;
    }
    Ok(at)
}

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    /// Postcodes written (new or updated).
    pub imported: usize,
    /// Postcodes the ONS has retired (`doterm` set), skipped.
    pub retired: usize,
    /// Rows with no position (the ONS gives some postcodes none), skipped.
    pub without_position: usize,
    /// Rows that could not be read, skipped: how many, and the first few with their line.
    pub bad: usize,
    pub bad_lines: Vec<(u64, String)>,
}

/// The columns of the two formats read.
struct Columns {
    postcode: usize,
    lat: usize,
    lon: usize,
    retired: Option<usize>,
}

fn columns(header: &csv::StringRecord) -> std::result::Result<Columns, String> {
    let find = |name: &str| {
        header.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(name)
        })
    };
    if let (Some(postcode), Some(lat), Some(lon)) = (find("pcds"), find("lat"), find("long")) {
        return Ok(Columns {
            postcode,
            lat,
            lon,
            retired: find("doterm"),
        });
    }
    if let (Some(postcode), Some(lat), Some(lon)) = (find("postcode"), find("lat"), find("lon")) {
        return Ok(Columns {
            postcode,
            lat,
            lon,
            retired: None,
        });
    }
    Err("the file is neither the ONS Postcode Directory (columns pcds, lat, long, doterm) nor a postcode,lat,lon list".into())
}

/// One row read: a place, or why it is skipped.
enum Row {
    Place(PlaceRow),
    Retired,
    WithoutPosition,
    Bad(String),
}

fn read_row(record: &csv::StringRecord, cols: &Columns) -> Row {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    if cols.retired.is_some_and(|i| !field(i).is_empty()) {
        return Row::Retired;
    }
    let postcode = match Postcode::parse(field(cols.postcode)) {
        Ok(p) => p,
        Err(why) => return Row::Bad(why),
    };
    let (lat, lon) = (field(cols.lat), field(cols.lon));
    if lat.is_empty() || lon.is_empty() {
        return Row::WithoutPosition;
    }
    let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
        return Row::Bad(format!("the position {lat:?}, {lon:?} is not two numbers"));
    };
    // The ONS marks a postcode with no position with latitude 99.999999.
    if lat > 90.0 {
        return Row::WithoutPosition;
    }
    match Location::parse(lat, lon) {
        Ok(at) => Row::Place(PlaceRow {
            district: postcode.district().to_string(),
            postcode: postcode.as_str().to_string(),
            lat: at.lat,
            lon: at.lon,
        }),
        Err(_) => Row::Bad(format!("the position {lat}, {lon} is not on the Earth")),
    }
}

/// Import a postcode file (the command line, or a coordinator). `progress` is told the rows read
/// so far after each transaction.
pub fn import(
    svc: &Services,
    by: Requester<'_>,
    file: impl Read,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport> {
    by.coordinators_only()?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .comment(Some(b'#'))
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let header = reader
        .headers()
        .map_err(|e| Error::invalid("file", format!("its first line cannot be read: {e}")))?
        .clone();
    let cols = columns(&header).map_err(|why| Error::invalid("file", why))?;
    let mut report = ImportReport::default();
    let mut batch: Vec<PlaceRow> = Vec::with_capacity(ROWS_PER_TRANSACTION);
    let mut record = csv::StringRecord::new();
    let mut rows_read = 0u64;
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::invalid("file", format!("line {line} cannot be read: {e}"))
        })?;
        if more {
            rows_read += 1;
            match read_row(&record, &cols) {
                Row::Place(p) => batch.push(p),
                Row::Retired => report.retired += 1,
                Row::WithoutPosition => report.without_position += 1,
                Row::Bad(why) => {
                    report.bad += 1;
                    if report.bad_lines.len() < BAD_LINES_LISTED {
                        let line = record.position().map_or(0, |p| p.line());
                        report.bad_lines.push((line, why));
                    }
                }
            }
        }
        if batch.len() >= ROWS_PER_TRANSACTION || (!more && !batch.is_empty()) {
            report.imported += write_batch(svc, &mut batch)?;
            progress(rows_read);
        }
        if !more {
            return Ok(report);
        }
    }
}

/// Write one batch in one transaction, the last row of a postcode given twice winning.
fn write_batch(svc: &Services, batch: &mut Vec<PlaceRow>) -> Result<usize> {
    batch.reverse();
    batch.sort_by(|a, b| a.postcode.cmp(&b.postcode));
    batch.dedup_by(|later, kept| later.postcode == kept.postcode);
    let written = svc.write(|c| Ok(db::places::upsert(c, batch)?))?;
    batch.clear();
    Ok(written)
}
