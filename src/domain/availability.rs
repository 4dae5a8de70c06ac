//! A helper's availability: weekly slots in their own time zone, minus dates they are away.
//! Turning local slots into UTC intervals is where daylight-saving days are handled.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::validator::FieldError;

pub const MAX_WEEKLY_SLOTS: usize = 70;
pub const MAX_TIME_OFF: usize = 200;

/// One weekly slot as the API shows it: `{day: "mon", start: "09:00", end: "12:30"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WeeklySlot {
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
    #[schema(example = "mon", pattern = "^(mon|tue|wed|thu|fri|sat|sun)$")]
    pub day: String,
    /// Local time `HH:MM`.
    #[schema(example = "09:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub start: String,
    /// Local time `HH:MM`, after `start`; `24:00` is the end of the day.
    #[schema(example = "12:30", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub end: String,
}

/// A period away, as UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimeOff {
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<Utc>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<Utc>,
}

/// A period away as a caller writes it: RFC 3339 instants, or dates (`2026-12-24`, whole local
/// days, `end` included), each within a year back and three years ahead of today.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TimeOffInput {
    /// A date `YYYY-MM-DD` (from the start of that local day) or an RFC 3339 time.
    #[schema(
        example = "2026-12-24",
        pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9:.]+([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub start: String,
    /// A date `YYYY-MM-DD` (to the end of that local day) or an RFC 3339 time, after `start`.
    #[schema(
        example = "2026-12-27",
        pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9:.]+([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
    )]
    pub end: String,
}

/// What is stored and shown: the time zone, the weekly slots, time off, and "I can help now".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Availability {
    #[schema(example = "Europe/London")]
    pub timezone: String,
    pub weekly: Vec<WeeklySlot>,
    pub time_off: Vec<TimeOff>,
    /// "I can help now": free for any job until then, beside the weekly slots (set with
    /// `PUT /helpers/{id}/help-now`; a `PUT` of availability keeps it). Absent when off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime, read_only)]
    pub help_now_until: Option<DateTime<Utc>>,
}

/// The longest "I can help now" lasts, in hours.
pub const HELP_NOW_MAX_HOURS: i64 = 8;

/// A slot parsed for computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub day: Weekday,
    /// Minutes after local midnight.
    pub start_min: u32,
    /// Minutes after local midnight, up to 1440.
    pub end_min: u32,
}

impl Default for Availability {
    fn default() -> Self {
        Availability {
            timezone: "Europe/London".into(),
            weekly: Vec::new(),
            time_off: Vec::new(),
            help_now_until: None,
        }
    }
}

pub fn parse_timezone(s: &str) -> Result<Tz, String> {
    s.parse::<Tz>()
        .map_err(|_| format!("unknown time zone {s:?}; use an IANA name such as Europe/London"))
}

pub fn parse_day(s: &str) -> Result<Weekday, String> {
    match s {
        "mon" => Ok(Weekday::Mon),
        "tue" => Ok(Weekday::Tue),
        "wed" => Ok(Weekday::Wed),
        "thu" => Ok(Weekday::Thu),
        "fri" => Ok(Weekday::Fri),
        "sat" => Ok(Weekday::Sat),
        "sun" => Ok(Weekday::Sun),
        _ => Err("must be one of mon, tue, wed, thu, fri, sat, sun".into()),
    }
}

pub fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// `HH:MM` to minutes after midnight; `24:00` allowed only when `allow_end_of_day`.
pub fn parse_clock(s: &str, allow_end_of_day: bool) -> Result<u32, String> {
    let bad = || "must be a time HH:MM (00:00 to 23:59)".to_string();
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let digits = |x: &str| x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if allow_end_of_day && h == 24 && m == 0 {
        return Ok(1440);
    }
    if h > 23 || m > 59 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

pub fn clock(min: u32) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

impl Slot {
    pub fn parse(s: &WeeklySlot) -> Result<Slot, Vec<FieldError>> {
        let mut errors = Vec::new();
        let day = parse_day(&s.day)
            .map_err(|m| errors.push(FieldError::new("day", m)))
            .ok();
        let start = parse_clock(&s.start, false)
            .map_err(|m| errors.push(FieldError::new("start", m)))
            .ok();
        let end = parse_clock(&s.end, true)
            .map_err(|m| errors.push(FieldError::new("end", m)))
            .ok();
        if let (Some(a), Some(b)) = (start, end) {
            if b <= a {
                errors.push(FieldError::new("end", "must be after start"));
            }
        }
        match (day, start, end, errors.is_empty()) {
            (Some(day), Some(start_min), Some(end_min), true) => Ok(Slot {
                day,
                start_min,
                end_min,
            }),
            _ => Err(errors),
        }
    }

    fn show(&self) -> WeeklySlot {
        WeeklySlot {
            day: day_name(self.day).into(),
            start: clock(self.start_min),
            end: clock(self.end_min),
        }
    }
}

/// The instant a local wall-clock time names. Ambiguous times (clocks going back) take the
/// earlier instant for a start and the later one for an end; times that do not exist (clocks
/// going forward) move on to the first minute that does.
fn local_to_utc(tz: Tz, local: NaiveDateTime, is_end: bool) -> DateTime<Utc> {
    let mut t = local;
    for _ in 0..=180 {
        match tz.from_local_datetime(&t) {
            LocalResult::Single(x) => return x.with_timezone(&Utc),
            LocalResult::Ambiguous(a, b) => {
                return if is_end { b } else { a }.with_timezone(&Utc);
            }
            LocalResult::None => t += Duration::minutes(1),
        }
    }
    Utc.from_utc_datetime(&local)
}

fn parse_time_off_bound(s: &str, tz: Tz, is_end: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let day = if is_end {
            d.succ_opt().ok_or("date out of range")?
        } else {
            d
        };
        return Ok(local_to_utc(tz, day.and_time(NaiveTime::MIN), false));
    }
    Err("must be a date YYYY-MM-DD or an RFC 3339 time".into())
}

impl TimeOffInput {
    /// One period away, read in `tz`; errors name `start` and `end`.
    pub fn read(&self, tz: Tz) -> Result<TimeOff, Vec<FieldError>> {
        let mut errors = Vec::new();
        let start = parse_time_off_bound(&self.start, tz, false)
            .map_err(|m| errors.push(FieldError::new("start", m)))
            .ok();
        let end = parse_time_off_bound(&self.end, tz, true)
            .map_err(|m| errors.push(FieldError::new("end", m)))
            .ok();
        match (start, end) {
            (Some(start), Some(end)) if end > start => Ok(TimeOff { start, end }),
            (Some(_), Some(_)) => Err(vec![FieldError::new("end", "must be after start")]),
            _ => Err(errors),
        }
    }
}

impl Availability {
    /// Parse what a helper sent. Errors name `timezone`, `weekly[i].day`, `time_off[i].end`, ...
    pub fn parse(
        timezone: &str,
        weekly: &[WeeklySlot],
        time_off: &[TimeOffInput],
    ) -> Result<Availability, Vec<FieldError>> {
        let mut errors = Vec::new();
        let tz = parse_timezone(timezone)
            .map_err(|m| errors.push(FieldError::new("timezone", m)))
            .ok();
        if weekly.len() > MAX_WEEKLY_SLOTS {
            errors.push(FieldError::new(
                "weekly",
                format!("at most {MAX_WEEKLY_SLOTS} slots"),
            ));
        }
        if time_off.len() > MAX_TIME_OFF {
            errors.push(FieldError::new(
                "time_off",
                format!("at most {MAX_TIME_OFF} periods"),
            ));
        }
        let mut slots = Vec::new();
        for (i, s) in weekly.iter().enumerate() {
            match Slot::parse(s) {
                Ok(slot) => slots.push(slot),
                Err(es) => errors.extend(
                    es.into_iter()
                        .map(|e| FieldError::new(format!("weekly[{i}].{}", e.field), e.message)),
                ),
            }
        }
        let mut offs = Vec::new();
        if let Some(tz) = tz {
            for (i, o) in time_off.iter().enumerate() {
                match o.read(tz) {
                    Ok(off) => offs.push(off),
                    Err(es) => {
                        errors.extend(es.into_iter().map(|e| {
                            FieldError::new(format!("time_off[{i}].{}", e.field), e.message)
                        }))
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        slots.sort_by_key(|s| (s.day.num_days_from_monday(), s.start_min, s.end_min));
        slots.dedup();
        offs.sort_by_key(|o| o.start);
        Ok(Availability {
            timezone: timezone.to_string(),
            weekly: slots.iter().map(Slot::show).collect(),
            time_off: offs,
            help_now_until: None,
        })
    }

    pub fn tz(&self) -> Tz {
        parse_timezone(&self.timezone).unwrap_or(chrono_tz::Europe::London)
    }

    pub fn slots(&self) -> Vec<Slot> {
        self.weekly
            .iter()
            .filter_map(|s| Slot::parse(s).ok())
            .collect()
    }

    /// The parsed form the matcher works with.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            tz: self.tz(),
            slots: self.slots(),
            time_off: self.time_off.iter().map(|o| (o.start, o.end)).collect(),
            help_now_until: self.help_now_until,
        }
    }

    /// The UTC intervals in `[from, to)` when the helper is available: weekly slots in their
    /// time zone, minus time off. Sorted and not overlapping.
    pub fn free_intervals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Interval> {
        self.schedule().free_intervals(from, to)
    }
}

/// A span of UTC time, `[start, end)`.
pub type Interval = (DateTime<Utc>, DateTime<Utc>);

/// Availability parsed once: the zone, the weekly slots, and time off as UTC intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub tz: Tz,
    pub slots: Vec<Slot>,
    pub time_off: Vec<Interval>,
    /// "I can help now": free from any moment until then.
    pub help_now_until: Option<DateTime<Utc>>,
}

impl Schedule {
    /// The UTC intervals in `[from, to)` covered by weekly slots (or "I can help now") and not
    /// by time off.
    pub fn free_intervals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Interval> {
        let now_until = self.help_now_until.map(|u| u.min(to)).filter(|u| *u > from);
        if to <= from || (self.slots.is_empty() && now_until.is_none()) {
            return Vec::new();
        }
        let tz = self.tz;
        let first = from.with_timezone(&tz).date_naive() - Duration::days(1);
        let last = to.with_timezone(&tz).date_naive() + Duration::days(1);
        let mut out: Vec<Interval> = Vec::new();
        let mut day = first;
        while day <= last {
            for s in self.slots.iter().filter(|s| s.day == day.weekday()) {
                let midnight = day.and_time(NaiveTime::MIN);
                let a = local_to_utc(tz, midnight + Duration::minutes(s.start_min.into()), false)
                    .max(from);
                let b =
                    local_to_utc(tz, midnight + Duration::minutes(s.end_min.into()), true).min(to);
                if a < b {
                    out.push((a, b));
                }
            }
            day += Duration::days(1);
        }
        if let Some(until) = now_until {
            out.push((from, until));
        }
        out.sort();
        subtract(merge(out), &self.time_off)
    }
}

/// Merge sorted intervals that touch or overlap.
pub fn merge(sorted: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(sorted.len());
    for (a, b) in sorted {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Remove every `busy` interval from `free`.
pub fn subtract(
    free: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    busy: &[(DateTime<Utc>, DateTime<Utc>)],
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::with_capacity(free.len());
    for (mut a, b) in free {
        let mut cut: Vec<_> = busy
            .iter()
            .filter(|(s, e)| *s < b && *e > a)
            .copied()
            .collect();
        cut.sort();
        for (s, e) in cut {
            if s > a {
                out.push((a, s.min(b)));
            }
            a = a.max(e);
            if a >= b {
                break;
            }
        }
        if a < b {
            out.push((a, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(day: &str, start: &str, end: &str) -> WeeklySlot {
        WeeklySlot {
            day: day.into(),
            start: start.into(),
            end: end.into(),
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn refuses_bad_slots_and_zones() {
        let errs = Availability::parse(
            "Mars/Olympus",
            &[
                slot("funday", "09:00", "10:00"),
                slot("mon", "12:00", "11:00"),
                slot("tue", "9am", "24:00"),
            ],
            &[],
        )
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "timezone",
                "weekly[0].day",
                "weekly[1].end",
                "weekly[2].start"
            ]
        );
    }

    #[test]
    fn help_now_adds_free_time_until_it_ends_and_time_off_still_counts() {
        let mut a =
            Availability::parse("Europe/London", &[slot("mon", "09:00", "12:00")], &[]).unwrap();
        a.help_now_until = Some(utc("2026-12-14T15:00:00Z"));
        let free = a.free_intervals(utc("2026-12-14T10:00:00Z"), utc("2026-12-14T18:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-12-14T10:00:00Z"), utc("2026-12-14T15:00:00Z"))]
        );
        // Once it has ended it adds nothing; nor with no weekly times before it.
        let later = a.free_intervals(utc("2026-12-14T16:00:00Z"), utc("2026-12-14T18:00:00Z"));
        assert!(later.is_empty(), "{later:?}");
        a.weekly.clear();
        a.time_off.push(TimeOff {
            start: utc("2026-12-14T13:00:00Z"),
            end: utc("2026-12-14T14:00:00Z"),
        });
        let free = a.free_intervals(utc("2026-12-14T12:00:00Z"), utc("2026-12-14T18:00:00Z"));
        assert_eq!(
            free,
            vec![
                (utc("2026-12-14T12:00:00Z"), utc("2026-12-14T13:00:00Z")),
                (utc("2026-12-14T14:00:00Z"), utc("2026-12-14T15:00:00Z")),
            ]
        );
    }

    #[test]
    fn summer_slot_is_an_hour_earlier_in_utc() {
        let a =
            Availability::parse("Europe/London", &[slot("mon", "09:00", "12:00")], &[]).unwrap();
        // Monday 2026-06-15, BST (UTC+1).
        let free = a.free_intervals(utc("2026-06-15T00:00:00Z"), utc("2026-06-16T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-06-15T08:00:00Z"), utc("2026-06-15T11:00:00Z"))]
        );
        // Monday 2026-12-14, GMT.
        let free = a.free_intervals(utc("2026-12-14T00:00:00Z"), utc("2026-12-15T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-12-14T09:00:00Z"), utc("2026-12-14T12:00:00Z"))]
        );
    }

    #[test]
    fn last_sunday_of_march_is_two_hours_shorter_overnight() {
        // 2026-03-29: clocks go from 01:00 GMT to 02:00 BST. A 00:00-03:00 local slot lasts 2 hours.
        let a =
            Availability::parse("Europe/London", &[slot("sun", "00:00", "03:00")], &[]).unwrap();
        let free = a.free_intervals(utc("2026-03-28T12:00:00Z"), utc("2026-03-30T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-03-29T00:00:00Z"), utc("2026-03-29T02:00:00Z"))]
        );
        // A slot that starts inside the gap starts when the clocks land.
        let a =
            Availability::parse("Europe/London", &[slot("sun", "01:30", "04:00")], &[]).unwrap();
        let free = a.free_intervals(utc("2026-03-28T12:00:00Z"), utc("2026-03-30T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-03-29T01:00:00Z"), utc("2026-03-29T03:00:00Z"))]
        );
    }

    #[test]
    fn last_sunday_of_october_repeats_an_hour() {
        // 2026-10-25: clocks go from 02:00 BST back to 01:00 GMT. 00:00-03:00 local lasts 4 hours.
        let a =
            Availability::parse("Europe/London", &[slot("sun", "00:00", "03:00")], &[]).unwrap();
        let free = a.free_intervals(utc("2026-10-24T12:00:00Z"), utc("2026-10-26T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-10-24T23:00:00Z"), utc("2026-10-25T03:00:00Z"))]
        );
        // 01:30 local happens twice; a slot starting then starts at the first.
        let a =
            Availability::parse("Europe/London", &[slot("sun", "01:30", "02:30")], &[]).unwrap();
        let free = a.free_intervals(utc("2026-10-24T12:00:00Z"), utc("2026-10-26T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-10-25T00:30:00Z"), utc("2026-10-25T02:30:00Z"))]
        );
    }

    #[test]
    fn time_off_removes_whole_local_days() {
        let a = Availability::parse(
            "Europe/London",
            &[slot("mon", "09:00", "17:00"), slot("tue", "09:00", "17:00")],
            &[TimeOffInput {
                start: "2026-12-14".into(),
                end: "2026-12-14".into(),
            }],
        )
        .unwrap();
        let free = a.free_intervals(utc("2026-12-14T00:00:00Z"), utc("2026-12-16T00:00:00Z"));
        assert_eq!(
            free,
            vec![(utc("2026-12-15T09:00:00Z"), utc("2026-12-15T17:00:00Z"))]
        );
    }

    #[test]
    fn subtract_cuts_holes() {
        let free = vec![(utc("2026-01-01T09:00:00Z"), utc("2026-01-01T17:00:00Z"))];
        let busy = [
            (utc("2026-01-01T10:00:00Z"), utc("2026-01-01T11:00:00Z")),
            (utc("2026-01-01T16:00:00Z"), utc("2026-01-01T18:00:00Z")),
        ];
        assert_eq!(
            subtract(free, &busy),
            vec![
                (utc("2026-01-01T09:00:00Z"), utc("2026-01-01T10:00:00Z")),
                (utc("2026-01-01T11:00:00Z"), utc("2026-01-01T16:00:00Z")),
            ]
        );
    }
}
