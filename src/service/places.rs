//! Places from postcodes: importing the open postcode list (the ONS Postcode Directory, or a
//! plain `postcode,lat,lon` file) and looking one postcode up.
//!
//! The import streams the file and writes it in transactions of [`ROWS_PER_TRANSACTION`] rows,
//! so that the whole UK (about 2.7 million rows) goes in within minutes and in bounded memory.
//! Retired postcodes (an ONS `doterm`) and rows with no position are skipped and counted. A row
//! that cannot be read (a malformed postcode, a position that is not a number) is reported with
//! its line and skipped; everything else is imported, since one bad row in a national file
//! should not hold back the other 2.7 million, and importing again updates what is there.
//! A row that is not UTF-8 text, or a line longer than [`MAX_LINE_BYTES`], is such a bad row:
//! the reader never holds more than one bounded line (fields are read unquoted, so that an
//! unclosed quote cannot swallow the rest of the file).

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
/// The longest line read; an ONS row is about 1 KB.
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// Put in place of the rest of a line that is too long.
const TOO_LONG: &[u8] = b"\x01too long";

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

fn columns(header: &csv::ByteRecord) -> std::result::Result<Columns, String> {
    let header: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim_matches('"').to_string())
        .collect();
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

fn read_row(record: &csv::ByteRecord, cols: &Columns) -> Row {
    if record.iter().any(|f| f.ends_with(TOO_LONG)) {
        return Row::Bad(format!("the line is longer than {MAX_LINE_BYTES} bytes"));
    }
    let mut text = Vec::with_capacity(record.len());
    for f in record.iter() {
        match std::str::from_utf8(f) {
            Ok(t) => text.push(t.trim().trim_matches('"').trim()),
            Err(_) => return Row::Bad("the line is not UTF-8 text".into()),
        }
    }
    let field = |i: usize| text.get(i).copied().unwrap_or("");
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
        .quoting(false)
        .from_reader(LinesAtMost::new(std::io::BufReader::with_capacity(
            1 << 20,
            file,
        )));
    let header = reader
        .byte_headers()
        .map_err(|e| Error::invalid("file", format!("its first line cannot be read: {e}")))?
        .clone();
    let cols = columns(&header).map_err(|why| Error::invalid("file", why))?;
    let mut report = ImportReport::default();
    let mut batch: Vec<PlaceRow> = Vec::with_capacity(ROWS_PER_TRANSACTION);
    let mut record = csv::ByteRecord::new();
    let mut rows_read = 0u64;
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
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

/// A reader that passes lines of at most [`MAX_LINE_BYTES`] bytes; the rest of a longer line is
/// dropped and [`TOO_LONG`] put in its place, so that the CSV reader's buffer stays bounded and
/// the line is reported as bad.
struct LinesAtMost<R> {
    inner: R,
    line: usize,
    skipping: bool,
    chunk: Vec<u8>,
    out: std::collections::VecDeque<u8>,
    done: bool,
}

impl<R: Read> LinesAtMost<R> {
    fn new(inner: R) -> Self {
        LinesAtMost {
            inner,
            line: 0,
            skipping: false,
            chunk: vec![0; 64 * 1024],
            out: std::collections::VecDeque::new(),
            done: false,
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        while self.out.is_empty() && !self.done {
            let n = self.inner.read(&mut self.chunk)?;
            if n == 0 {
                self.done = true;
                if self.skipping {
                    self.out.push_back(b'\n');
                }
                return Ok(());
            }
            let mut rest = &self.chunk[..n];
            while !rest.is_empty() {
                let end = rest.iter().position(|&b| b == b'\n');
                let line = &rest[..end.unwrap_or(rest.len())];
                if !self.skipping {
                    let room = MAX_LINE_BYTES - self.line;
                    if line.len() <= room {
                        self.out.extend(line);
                        self.line += line.len();
                    } else {
                        self.out.extend(&line[..room]);
                        self.out.extend(TOO_LONG);
                        self.skipping = true;
                    }
                }
                match end {
                    Some(i) => {
                        self.out.push_back(b'\n');
                        self.line = 0;
                        self.skipping = false;
                        rest = &rest[i + 1..];
                    }
                    None => rest = &[],
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for LinesAtMost<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.fill()?;
        let n = buf.len().min(self.out.len());
        for (slot, b) in buf.iter_mut().zip(self.out.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_to_a_marker_and_the_next_line_survives() {
        let mut text = b"postcode,lat,lon\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES * 3));
        text.extend(b"\nSE15 4QF,51.47,-0.07\n");
        let mut read = Vec::new();
        LinesAtMost::new(&text[..]).read_to_end(&mut read).unwrap();
        let lines: Vec<&[u8]> = read.split(|b| *b == b'\n').collect();
        assert_eq!(lines[0], b"postcode,lat,lon");
        assert_eq!(lines[1].len(), MAX_LINE_BYTES + TOO_LONG.len());
        assert!(lines[1].ends_with(TOO_LONG));
        assert_eq!(lines[2], b"SE15 4QF,51.47,-0.07");
    }
}
