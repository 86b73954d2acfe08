//! Calendar arithmetic on day numbers (days since 1970-01-01), and the one
//! place where a missing publication date is filled in.
//!
//! The store keeps dates as day numbers so that "within two days" is plain
//! subtraction across month and year ends, and date ranges are index ranges.
//! [`fill_date`] and [`mark_date_source`] live here, next to
//! [`date_in_url`], so that `annalist code`, `annalist ingest` and the
//! server's API fill and label dates the same way.

use annalist_doc::Record;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses the date part of an ISO 8601 string (`2022-05-17`, also with a time
/// after it) into a day number; `None` for anything else, including partial
/// dates such as `2022-05`, which are too vague to place an event on a day.
pub fn parse_day(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD` of a day number.
pub fn iso(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYYMMDD` as a number, the way GDELT writes its `Day` column.
pub fn yyyymmdd(day: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    y * 10_000 + i64::from(m) * 100 + i64::from(d)
}

/// The Monday that starts the ISO week holding `day` (1970-01-01 was a
/// Thursday, hence the offset of 3).
pub fn week_start(day: i64) -> i64 {
    day - (day + 3).rem_euclid(7)
}

/// `YYYY-MM` of a day number.
pub fn month(day: i64) -> String {
    let (y, m, _) = civil_from_days(day);
    format!("{y:04}-{m:02}")
}

/// The publication day a URL's path gives, as `YYYY-MM-DD`: news sites
/// write it as `/2022/05/17/`, `/2022-05-17/` or `/20220517/` (as a whole
/// path segment or at the start of one, before a `-`, `_` or `.`). Only the
/// path is read, never the host or the query, and only years 1900 to 2099,
/// so that article numbers are not taken for dates. A month without a day
/// (`/2022/05/`) is too vague and gives `None`.
pub fn date_in_url(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let plausible = |y: &str, m: &str, d: &str| -> Option<String> {
        let year: i64 = y.parse().ok()?;
        if !(1900..=2099).contains(&year) {
            return None;
        }
        let s = format!("{y}-{m}-{d}");
        parse_day(&s).map(|_| s)
    };
    // The leading digits and dashes of a segment, before a slug.
    let head = |seg: &str| -> String {
        seg.split(['_', '.'])
            .next()
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect()
    };
    for (k, seg) in segments.iter().enumerate() {
        let h = head(seg);
        let b = h.as_bytes();
        if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && (b.len() == 10 || b[10] == b'-') {
            if let Some(d) = plausible(&h[0..4], &h[5..7], &h[8..10]) {
                return Some(d);
            }
        }
        if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && (b.len() == 8 || b[8] == b'-') {
            if let Some(d) = plausible(&h[0..4], &h[4..6], &h[6..8]) {
                return Some(d);
            }
        }
        let two = |s: Option<&&str>| -> Option<String> {
            let t = head(s?);
            let t = t.split('-').next().unwrap_or("");
            match t.len() {
                1 => Some(format!("0{t}")),
                2 => Some(t.to_string()),
                _ => None,
            }
        };
        if seg.len() == 4 && seg.bytes().all(|c| c.is_ascii_digit()) {
            if let (Some(m), Some(d)) = (two(segments.get(k + 1)), two(segments.get(k + 2))) {
                // The day must be a whole segment or lead one ("17-slug"),
                // and the month a whole segment.
                let month_whole = segments[k + 1].len() <= 2;
                if month_whole {
                    if let Some(d) = plausible(seg, &m, &d) {
                        return Some(d);
                    }
                }
            }
        }
    }
    None
}

/// Fills in a missing publication date: from a date in the URL's path,
/// else from `default` (the `--published` date a user gave for a batch),
/// with a warning saying which. Returns where the date came from, `url` or
/// `default`, for [`mark_date_source`]; `None` when the document had its own
/// date or none was found. It takes a document's fields rather than the
/// document, because the store does not depend on the readers' crate.
pub fn fill_date(
    published: &mut Option<String>,
    url: Option<&str>,
    default: Option<&str>,
    warnings: &mut Vec<String>,
) -> Option<&'static str> {
    if published.is_some() {
        return None;
    }
    if let Some(d) = url.and_then(date_in_url) {
        warnings.push(format!(
            "no publication date given; {d} taken from the url path"
        ));
        *published = Some(d);
        return Some("url");
    }
    let d = default?;
    warnings.push(format!(
        "no publication date given; {d} taken from --published"
    ));
    *published = Some(d.to_string());
    Some("default")
}

/// Marks the events dated by a filled-in publication date with where that
/// date came from (`from`, as [`fill_date`] returned it), so that nobody
/// takes it for the publisher's own: the coder marks every event dated by
/// the publication date `published`, and cannot tell a filled-in one.
pub fn mark_date_source(record: &mut Record, from: Option<&str>) {
    let Some(from) = from else { return };
    for ev in &mut record.events {
        if ev.date_source.as_deref() == Some("published") {
            ev.date_source = Some(from.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_days() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2022-05-17"), Some(19_129));
        assert_eq!(parse_day("2022-05-17T10:00:00Z"), Some(19_129));
        assert_eq!(parse_day("2022-02-30"), None);
        assert_eq!(parse_day("2022-05"), None);
        assert_eq!(parse_day("yesterday"), None);
        assert_eq!(iso(week_start(19_129)), "2022-05-16");
        assert_eq!(month(19_129), "2022-05");
        assert_eq!(yyyymmdd(19_129), 20_220_517);
    }

    #[test]
    fn dates_in_url_paths() {
        let d = |u: &str| date_in_url(u);
        assert_eq!(
            d("https://news.example/2022/05/17/talks-in-dushanbe"),
            Some("2022-05-17".into())
        );
        assert_eq!(
            d("https://news.example/world/2022-05-17-talks.html"),
            Some("2022-05-17".into())
        );
        assert_eq!(
            d("https://news.example/a/20220517/story"),
            Some("2022-05-17".into())
        );
        assert_eq!(
            d("https://news.example/2022/5/7/x"),
            Some("2022-05-07".into())
        );
        // Not dates: a month alone, an impossible day, article numbers, the
        // host or the query string.
        assert_eq!(d("https://news.example/2022/05/talks"), None);
        assert_eq!(d("https://news.example/2022/02/30/x"), None);
        assert_eq!(d("https://news.example/article/12345678"), None);
        assert_eq!(d("https://20220517.example/x"), None);
        assert_eq!(d("https://news.example/x?date=2022-05-17"), None);
        assert_eq!(d("not a url"), None);
        assert_eq!(d(""), None);
    }

    /// Fills a document with no date of its own, as `fill_date` is called.
    fn filled(
        published: Option<&str>,
        url: Option<&str>,
        default: Option<&str>,
    ) -> (Option<String>, Option<&'static str>, Vec<String>) {
        let mut published = published.map(String::from);
        let mut warnings = Vec::new();
        let from = fill_date(&mut published, url, default, &mut warnings);
        (published, from, warnings)
    }

    #[test]
    fn a_missing_date_is_taken_from_the_url_before_the_default() {
        let url = Some("https://news.example/2022/05/17/talks");
        let (published, from, warnings) = filled(None, url, Some("2023-01-01"));
        assert_eq!(published.as_deref(), Some("2022-05-17"));
        assert_eq!(from, Some("url"));
        assert_eq!(
            warnings,
            ["no publication date given; 2022-05-17 taken from the url path"]
        );
        let (published, from, warnings) =
            filled(None, Some("https://news.example/talks"), Some("2023-01-01"));
        assert_eq!(published.as_deref(), Some("2023-01-01"));
        assert_eq!(from, Some("default"));
        assert_eq!(
            warnings,
            ["no publication date given; 2023-01-01 taken from --published"]
        );
    }

    #[test]
    fn a_given_date_or_no_date_at_all_is_left_alone() {
        let url = Some("https://news.example/2022/05/17/talks");
        let (published, from, warnings) = filled(Some("2021-03-04"), url, Some("2023-01-01"));
        assert_eq!(published.as_deref(), Some("2021-03-04"));
        assert_eq!(from, None);
        assert!(warnings.is_empty());
        let (published, from, warnings) = filled(None, None, None);
        assert_eq!((published, from), (None, None));
        assert!(warnings.is_empty());
    }

    #[test]
    fn only_events_dated_by_the_filled_in_date_are_relabelled() {
        let event = |id: &str, date_source: Option<&str>| {
            serde_json::json!({
                "id": id, "type": "CONSULT", "mode": null, "contexts": [],
                "cameo": "040", "quad_class": 1, "intensity": 1.0,
                "source": [], "target": [],
                "trigger": {"text": "met", "start": 0, "end": 3},
                "sentence": 0, "modality": "asserted", "reported_by": null,
                "location": null, "date": "2022-05-17", "date_source": date_source,
                "size": {"dead": null, "injured": null, "arrested": null},
                "confidence": 0.5
            })
        };
        let mut record = Record::failed("d", "x", "m");
        record.error = None;
        record.events = serde_json::from_value(serde_json::json!([
            event("E1", Some("published")),
            event("E2", Some("text")),
            event("E3", None),
        ]))
        .unwrap();
        let sources = |r: &Record| -> Vec<Option<String>> {
            r.events.iter().map(|e| e.date_source.clone()).collect()
        };
        let before = sources(&record);
        mark_date_source(&mut record, None);
        assert_eq!(sources(&record), before);
        mark_date_source(&mut record, Some("url"));
        assert_eq!(
            sources(&record),
            [Some("url".to_string()), Some("text".to_string()), None]
        );
    }

    proptest! {
        #[test]
        fn civil_round_trips(day in -800_000i64..800_000) {
            let (y, m, d) = civil_from_days(day);
            prop_assert_eq!(days_from_civil(y, m, d), day);
            let w = week_start(day);
            prop_assert!(w <= day && day - w < 7);
            prop_assert_eq!((w + 3).rem_euclid(7), 0);
        }

        #[test]
        fn date_in_url_never_panics(url in "\\PC{0,80}") {
            if let Some(d) = date_in_url(&url) {
                prop_assert!(parse_day(&d).is_some());
            }
        }
    }
}
