//! Dates to ISO 8601 `YYYY-MM-DD`, shared by ingest (publication dates),
//! the text layer (date lines, datelines) and the knowledge compiler.
//!
//! Feeds and pages write dates in many ways: RFC 3339 (`2022-05-17T10:00:00Z`),
//! RFC 2822 (`Tue, 17 May 2022 10:00:00 +0000`), prose (`May 17, 2022`,
//! `17 May 2022`) and compact crawl stamps (`20220517100000`). Only the date
//! part is kept, in the writer's own time zone: the record's `published` is a
//! calendar day, and shifting it to UTC would move evening reports a day on.

/// Normalises a date to `YYYY-MM-DD`, or `None` when it cannot be read with
/// confidence (an ambiguous `05/06/2022` is not guessed).
pub fn normalize(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (y, m, d) = iso(s).or_else(|| compact(s)).or_else(|| prose(s))?;
    valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYY.MM.DD`, anything after it ignored.
fn iso(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = b[4];
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let y: u32 = s[..4].parse().ok()?;
    let rest = &s[5..];
    let m_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&m_len) || rest.as_bytes().get(m_len) != Some(&sep) {
        return None;
    }
    let m: u32 = rest[..m_len].parse().ok()?;
    let rest = &rest[m_len + 1..];
    let d_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&d_len) {
        return None;
    }
    let d: u32 = rest[..d_len].parse().ok()?;
    Some((y, m, d))
}

/// `YYYYMMDD`, alone, before a `T` or as the start of a 14-digit stamp.
fn compact(s: &str) -> Option<(u32, u32, u32)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let next = s.as_bytes().get(digits);
    let ok = match digits {
        8 => next.is_none_or(|&c| c == b'T' || c.is_ascii_whitespace()),
        14 => true,
        _ => false,
    };
    if !ok {
        return None;
    }
    Some((
        s[..4].parse().ok()?,
        s[4..6].parse().ok()?,
        s[6..8].parse().ok()?,
    ))
}

/// The English month names, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names: the full name or an abbreviation of at least
/// three letters (`Sep`, `Sept`, `Jan.`).
pub fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .map(|i| i as u32 + 1)
}

/// Dates written with words or with numbers in day-month order: RFC 2822,
/// `May 17, 2022`, `17 May 2022`, `17th of May 2022`, `17.05.2022`.
fn prose(s: &str) -> Option<(u32, u32, u32)> {
    let mut month_no = None;
    let mut numbers: Vec<(u32, usize)> = Vec::new();
    for token in s.split(|c: char| !(c.is_ascii_alphanumeric() || c == ':')) {
        if token.is_empty() || token.contains(':') {
            // A time of day such as `10:00:00`.
            continue;
        }
        let digits = token.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let suffix = token[digits..].to_ascii_lowercase();
            if !matches!(suffix.as_str(), "" | "st" | "nd" | "rd" | "th") {
                continue;
            }
            if digits > 4 {
                continue;
            }
            if let Ok(n) = token[..digits].parse() {
                numbers.push((n, digits));
            }
        } else if month_no.is_none() {
            month_no = month(token);
        }
    }
    match month_no {
        Some(m) => {
            let year_at = numbers.iter().position(|&(n, len)| len == 4 && n >= 1000);
            let day_at = numbers
                .iter()
                .position(|&(n, len)| len <= 2 && (1..=31).contains(&n))?;
            let year = match year_at {
                Some(i) => numbers[i].0,
                None => {
                    // RFC 2822 allows two-digit years: the number after the day.
                    let &(yy, len) = numbers.get(day_at + 1)?;
                    if len != 2 {
                        return None;
                    }
                    if yy < 50 {
                        2000 + yy
                    } else {
                        1900 + yy
                    }
                }
            };
            Some((year, m, numbers[day_at].0))
        }
        None => {
            // All numbers: only day-month-year with a four-digit year at the
            // end, and only where the order is not in doubt.
            let [(a, la), (b, lb), (y, 4)] = numbers[..] else {
                return None;
            };
            if la > 2 || lb > 2 {
                return None;
            }
            if s.contains('.') || a > 12 {
                Some((y, b, a))
            } else if b > 12 || a == b {
                Some((y, a, b))
            } else {
                None
            }
        }
    }
}

fn valid(y: u32, m: u32, d: u32) -> bool {
    if !(1000..=2999).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    d <= days
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn common_forms() {
        for s in [
            "2022-05-17",
            "2022-05-17T10:00:00Z",
            "2022-05-17T23:30:00+04:30",
            "2022/5/17",
            "Tue, 17 May 2022 10:00:00 +0000",
            "17 May 2022 10:00:00 GMT",
            "Tue, 17 May 22 10:00:00 +0000",
            "May 17, 2022",
            "17 May 2022",
            "Tuesday, May 17th, 2022 at 10:00",
            "Sept. 17, 2022",
            "20220517",
            "20220517100000",
            "17.05.2022",
            "05/17/2022",
        ] {
            let want = if s.starts_with("Sept") {
                "2022-09-17"
            } else {
                "2022-05-17"
            };
            assert_eq!(normalize(s).as_deref(), Some(want), "{s}");
        }
    }

    #[test]
    fn unreadable_or_ambiguous() {
        for s in [
            "",
            "yesterday",
            "05/06/2022",
            "2022-13-01",
            "2022-02-30",
            "Feb 30, 2022",
            "12345",
            "May 2022",
        ] {
            assert_eq!(normalize(s), None, "{s}");
        }
        assert_eq!(normalize("2024-02-29").as_deref(), Some("2024-02-29"));
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's
/// algorithm), so that relative dates need no calendar crate.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// Parses an ISO `YYYY-MM-DD` date into its day count.
fn day_number(iso_date: &str) -> Option<i64> {
    let (y, m, d) = iso(iso_date)?;
    valid(y, m, d).then(|| days_from_civil(i64::from(y), i64::from(m), i64::from(d)))
}

/// `iso_date` moved by `days` (negative for earlier), as `YYYY-MM-DD`.
pub fn add_days(iso_date: &str, days: i64) -> Option<String> {
    let (y, m, d) = civil_from_days(day_number(iso_date)? + days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The weekday of an ISO date, 0 for Monday to 6 for Sunday.
pub fn weekday(iso_date: &str) -> Option<u32> {
    // 1970-01-01 was a Thursday (3).
    Some(((day_number(iso_date)? + 3).rem_euclid(7)) as u32)
}

/// Weekday names in lower case, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The weekday a word names, 0 for Monday to 6 for Sunday.
pub fn weekday_number(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    WEEKDAYS.iter().position(|d| *d == w).map(|i| i as u32)
}

#[cfg(test)]
mod relative_tests {
    use super::*;

    #[test]
    fn days_and_weekdays() {
        assert_eq!(add_days("2019-01-04", -1).as_deref(), Some("2019-01-03"));
        assert_eq!(add_days("2020-03-01", -1).as_deref(), Some("2020-02-29"));
        assert_eq!(add_days("2019-12-31", 1).as_deref(), Some("2020-01-01"));
        assert_eq!(weekday("2019-01-04"), Some(4), "a Friday");
        assert_eq!(weekday("2022-05-17"), Some(1), "a Tuesday");
        assert_eq!(weekday_number("Sunday"), Some(6));
        assert_eq!(add_days("not a date", 1), None);
    }
}
