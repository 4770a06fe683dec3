//! When a talk was given: a day, or a day and a time, with the offset from
//! UTC the note wrote (`2018-05-02`, `2018-05-02 10:00:00 +0200`,
//! `2023-10-16T09:45:00-04:00`).
//!
//! The time is kept as written: pages show the local time of the talk, and a
//! day's talks are listed by it.

use std::cmp::Ordering;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// The years a date may have: those that feeds (RFC 3339) and sitemaps (W3C
/// dates) can carry, four digits and not year 0.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// A day, with the time of day and its offset from UTC when the note gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    day: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
}

/// Why a text is not a [`When`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAWhen {
    /// It is not a date in any shape talkbook reads.
    NotADate,
    /// It is a date, in this year outside [`YEARS`].
    Year(i32),
}

impl When {
    /// Reads `2018-05-02`, optionally followed (after `T` or a space) by a
    /// time `10:00` or `10:00:00[.fff]`, optionally followed (with or
    /// without a space) by an offset `Z`, `+02:00`, `+0200` or `+02`.
    pub fn parse(text: &str) -> Result<When, NotAWhen> {
        let text = text.trim();
        let (day, rest) = match text.find(['T', 't', ' ']) {
            Some(at) => (&text[..at], text[at + 1..].trim_start()),
            None => (text, ""),
        };
        let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| NotAWhen::NotADate)?;
        if !YEARS.contains(&day.year()) {
            return Err(NotAWhen::Year(day.year()));
        }
        if rest.is_empty() {
            return Ok(When::on(day));
        }
        let time_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(rest.len());
        let time = parse_time(&rest[..time_len]).ok_or(NotAWhen::NotADate)?;
        let offset = match rest[time_len..].trim_start() {
            "" => None,
            offset => Some(parse_offset(offset).ok_or(NotAWhen::NotADate)?),
        };
        Ok(When {
            day,
            time: Some(time),
            offset,
        })
    }

    /// The whole day `day`, without a time.
    pub fn on(day: NaiveDate) -> When {
        When {
            day,
            time: None,
            offset: None,
        }
    }

    /// The day, as the note wrote it (the talk's local day).
    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// The day alone, `2018-05-02`: for sitemaps and search results.
    pub fn day_iso(&self) -> String {
        self.day.format("%Y-%m-%d").to_string()
    }

    /// The date, and the time with its offset when there is one, for a
    /// `<time datetime>` attribute: `2018-05-02`, `2018-05-02T10:00:00`,
    /// `2018-05-02T10:00:00+02:00`.
    pub fn iso(&self) -> String {
        let day = self.day_iso();
        match (self.time, self.offset) {
            (None, _) => day,
            (Some(time), None) => format!("{day}T{}", time.format("%H:%M:%S")),
            (Some(time), Some(offset)) => format!("{day}T{}{offset}", time.format("%H:%M:%S")),
        }
    }

    /// For readers: `2 May 2018`, `2 May 2018, 10:00`, `2 May 2018, 10:00 (UTC+02:00)`.
    pub fn human(&self) -> String {
        let day = self.day.format("%-d %B %Y");
        let Some(time) = self.time else {
            return day.to_string();
        };
        let time = time.format("%H:%M");
        match self.offset {
            None => format!("{day}, {time}"),
            Some(offset) if offset.local_minus_utc() == 0 => format!("{day}, {time} (UTC)"),
            Some(offset) => format!("{day}, {time} (UTC{offset})"),
        }
    }

    /// An RFC 3339 timestamp, for feeds: a date alone is midnight UTC, a
    /// time without offset is taken as UTC.
    pub fn rfc3339(&self) -> String {
        let at = self.local().format("%Y-%m-%dT%H:%M:%S");
        match self.offset {
            Some(offset) => format!("{at}{offset}"),
            None => format!("{at}Z"),
        }
    }

    /// The moment in UTC, as [`When::rfc3339`] reads it: for the newest of
    /// several talks.
    pub fn instant(&self) -> NaiveDateTime {
        let offset = self.offset.map_or(0, |o| o.local_minus_utc());
        let local = self.local();
        local
            .checked_sub_signed(chrono::TimeDelta::seconds(i64::from(offset)))
            .unwrap_or(local)
    }

    fn local(&self) -> NaiveDateTime {
        self.day.and_time(self.time.unwrap_or_default())
    }

    /// What a [`When`] is ordered by: the day, then the local time of day
    /// (a date alone first), then the offset.
    fn key(&self) -> (NaiveDate, Option<NaiveTime>, Option<i32>) {
        (
            self.day,
            self.time,
            self.offset.map(|o| o.local_minus_utc()),
        )
    }
}

impl Ord for When {
    fn cmp(&self, other: &When) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl PartialOrd for When {
    fn partial_cmp(&self, other: &When) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The order of talk lists: newest day first, one day's talks earliest
/// first (a date without a time before the day's times), undated last.
pub fn newest_day_first(a: Option<&When>, b: Option<&When>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.day.cmp(&a.day).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `10:00`, `10:00:00`, `10:00:00.123`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    ["%H:%M:%S%.f", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
}

/// `Z`, `+02:00`, `+0200`, `+02`, `-4`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text.eq_ignore_ascii_case("z") {
        return FixedOffset::east_opt(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &text[1..];
    if !digits.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (hours, minutes) = match digits.split_once(':') {
        Some((hours, minutes)) if minutes.len() == 2 => (hours, minutes),
        Some(_) => return None,
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    if hours.is_empty() || hours.len() > 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if minutes >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(text: &str) -> When {
        When::parse(text).unwrap_or_else(|err| panic!("{text}: {err:?}"))
    }

    #[test]
    fn a_date_alone_stays_a_date() {
        let w = when("2018-05-02");
        assert_eq!(w, When::on(NaiveDate::from_ymd_opt(2018, 5, 2).unwrap()));
        assert_eq!(w.iso(), "2018-05-02");
        assert_eq!(w.human(), "2 May 2018");
        assert_eq!(w.rfc3339(), "2018-05-02T00:00:00Z");
    }

    #[test]
    fn times_keep_their_offset_in_every_shape() {
        for text in [
            "2018-05-02 10:00:00 +0200",
            "2018-05-02 10:00:00+02:00",
            "2018-05-02T10:00:00+02:00",
            "2018-05-02t10:00+02",
            "2018-05-02 10:00:00.000 +02:00",
        ] {
            let w = when(text);
            assert_eq!(w.iso(), "2018-05-02T10:00:00+02:00", "{text}");
            assert_eq!(w.human(), "2 May 2018, 10:00 (UTC+02:00)", "{text}");
            assert_eq!(w.rfc3339(), "2018-05-02T10:00:00+02:00", "{text}");
        }
        let w = when("2023-10-16 09:45:00-04:00");
        assert_eq!(w.human(), "16 October 2023, 09:45 (UTC-04:00)");
        assert_eq!(
            when("2018-05-02T10:00:00Z").human(),
            "2 May 2018, 10:00 (UTC)"
        );
    }

    #[test]
    fn a_time_without_offset_is_local_and_utc_in_feeds() {
        for text in ["2018-05-02T10:00", "2018-05-02 10:00:00"] {
            let w = when(text);
            assert_eq!(w.iso(), "2018-05-02T10:00:00", "{text}");
            assert_eq!(w.human(), "2 May 2018, 10:00", "{text}");
            assert_eq!(w.rfc3339(), "2018-05-02T10:00:00Z", "{text}");
        }
    }

    #[test]
    fn jekyll_dates_with_an_offset_are_read() {
        // Found by the fuzz test: Jekyll writes `2018-05-02 10:00:00 +0200`.
        let w = when("2018-05-02 10:00:00 +0200");
        assert_eq!(w.day(), NaiveDate::from_ymd_opt(2018, 5, 2).unwrap());
        assert_eq!(w.instant().to_string(), "2018-05-02 08:00:00");
    }

    #[test]
    fn what_is_not_a_date() {
        for text in [
            "May 2",
            "2018-13-45",
            "2018-05-02 25:00",
            "2018-05-02 10:00 CEST",
            "2018-05-02 10:00 +2:3",
            "10000-01-01",
        ] {
            assert_eq!(When::parse(text), Err(NotAWhen::NotADate), "{text}");
        }
        assert_eq!(When::parse("0000-01-01"), Err(NotAWhen::Year(0)));
        assert_eq!(When::parse("+10000-01-01"), Err(NotAWhen::Year(10000)));
        assert!(When::parse("0001-01-01").is_ok());
        assert!(When::parse("9999-12-31 23:59 -12:00").is_ok());
    }

    #[test]
    fn newest_day_first_then_earliest_time() {
        let mut dates = [
            None,
            Some(when("2018-05-02 14:00 +02:00")),
            Some(when("2018-05-01 09:00")),
            Some(when("2018-05-02 09:30 +02:00")),
            Some(when("2018-05-02")),
            Some(when("2018-05-03 18:00")),
        ];
        dates.sort_by(|a, b| newest_day_first(a.as_ref(), b.as_ref()));
        let shown: Vec<String> = dates.iter().flatten().map(When::iso).collect();
        assert_eq!(
            shown,
            [
                "2018-05-03T18:00:00",
                "2018-05-02",
                "2018-05-02T09:30:00+02:00",
                "2018-05-02T14:00:00+02:00",
                "2018-05-01T09:00:00",
            ]
        );
        assert_eq!(dates.last(), Some(&None));
    }
}
