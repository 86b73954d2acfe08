//! The progress line of long runs (`annalist code`): done/total, a rate, an
//! ETA, redrawn in place on standard error, and one clean summary line at
//! the end.
//!
//! The drawing takes the terminal as any `Write` and the time as an
//! `Instant` the caller passes, so that tests drive it with a fake terminal
//! and a fake clock and snapshot exactly the bytes a user would see.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The shortest time between two redraws: faster redraws cost more than
/// they tell.
const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// Returns the cursor to the start of the line and clears it.
const CLEAR: &str = "\r\x1b[2K";

/// A total that may become known while the run goes on (a thread counting
/// the lines of the inputs): 0 until it is known.
#[derive(Clone, Default)]
pub struct Total(Arc<AtomicU64>);

impl Total {
    pub fn set(&self, n: u64) {
        // Stored as n + 1 so that an empty input (0 documents) is a known total.
        self.0.store(n + 1, Ordering::Relaxed);
    }

    pub fn get(&self) -> Option<u64> {
        self.0.load(Ordering::Relaxed).checked_sub(1)
    }
}

/// A progress line drawn on `term`.
pub struct Progress<W: Write> {
    term: W,
    total: Total,
    done: u64,
    start: Instant,
    last_draw: Option<Instant>,
    /// What is counted, plural ("documents").
    noun: &'static str,
    /// The summary line was written: nothing is left to clear.
    finished: bool,
}

impl<W: Write> Drop for Progress<W> {
    /// A run that ends early (an error, a closed pipe) leaves no half line
    /// behind for the shell prompt to be glued to.
    fn drop(&mut self) {
        if !self.finished && self.last_draw.is_some() {
            let _ = write!(self.term, "{CLEAR}");
            let _ = self.term.flush();
        }
    }
}

impl<W: Write> Progress<W> {
    pub fn new(term: W, total: Total, noun: &'static str, start: Instant) -> Self {
        Progress {
            term,
            total,
            done: 0,
            start,
            last_draw: None,
            noun,
            finished: false,
        }
    }

    /// Counts `n` more done and redraws when the last redraw is old enough.
    pub fn inc(&mut self, n: u64, now: Instant) {
        self.done += n;
        let due = self
            .last_draw
            .is_none_or(|last| now.saturating_duration_since(last) >= REDRAW_EVERY);
        if due {
            self.draw(now);
        }
    }

    /// Prints a message above the progress line, which is redrawn below it,
    /// so that warnings never end up glued to the line.
    pub fn note(&mut self, message: &str, now: Instant) {
        let _ = writeln!(self.term, "{CLEAR}{message}");
        self.draw(now);
    }

    /// Clears the progress line and leaves one summary line in its place.
    pub fn finish(mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.start);
        let line = summary(self.done, elapsed, self.noun);
        let _ = writeln!(self.term, "{CLEAR}{line}");
        let _ = self.term.flush();
        self.finished = true;
    }

    fn draw(&mut self, now: Instant) {
        self.last_draw = Some(now);
        let elapsed = now.saturating_duration_since(self.start);
        let line = status_line(self.done, self.total.get(), elapsed, self.noun);
        let _ = write!(self.term, "{CLEAR}{line}");
        let _ = self.term.flush();
    }
}

/// The line shown while a run goes on: `1,234/5,000 documents (24.7%),
/// 102 documents/s, ETA 0:37` when the total is known, else the count, the
/// rate and the time so far.
pub fn status_line(done: u64, total: Option<u64>, elapsed: Duration, noun: &str) -> String {
    let rate = rate(done, elapsed);
    let speed = match rate {
        Some(r) => format!(", {} {noun}/s", number(r)),
        None => String::new(),
    };
    match total {
        // More done than counted (a blank line counted, a whole-file value
        // read): the count was only a guess, so the total is dropped.
        Some(total) if total >= done && total > 0 => {
            let pct = 100.0 * done as f64 / total as f64;
            let eta = match rate {
                Some(r) if r > 0.0 => {
                    let left = Duration::from_secs_f64((total - done) as f64 / r);
                    format!(", ETA {}", clock(left))
                }
                _ => String::new(),
            };
            format!(
                "{}/{} {noun} ({pct:.1}%){speed}{eta}",
                thousands(done),
                thousands(total)
            )
        }
        _ => format!(
            "{} {noun}{speed}, {} elapsed",
            thousands(done),
            clock(elapsed)
        ),
    }
}

/// The final line: `coded 1,234 documents in 0:12 (102 documents/s)`.
pub fn summary(done: u64, elapsed: Duration, noun: &str) -> String {
    match rate(done, elapsed) {
        Some(r) => format!(
            "coded {} {noun} in {} ({} {noun}/s)",
            thousands(done),
            clock(elapsed),
            number(r)
        ),
        None => format!("coded {} {noun} in {}", thousands(done), clock(elapsed)),
    }
}

/// Items per second, once there is enough to say (a rate over a few
/// milliseconds is noise).
fn rate(done: u64, elapsed: Duration) -> Option<f64> {
    let secs = elapsed.as_secs_f64();
    (done > 0 && secs >= 0.05).then(|| done as f64 / secs)
}

/// A rate with three significant figures at most: 209, 12.3, 1.23, 0.05.
pub fn number(x: f64) -> String {
    if x >= 100.0 {
        thousands(x.round() as u64)
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// An integer with thousands separators: 12,345.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration as `m:ss`, or `h:mm:ss` from an hour on.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a terminal shows: the text after the last line clear of each
    /// line, every frame kept (escape codes written as `⟲`).
    fn frames(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).replace(CLEAR, "⟲")
    }

    #[test]
    fn progress_line_shows_total_rate_and_eta() {
        let t0 = Instant::now();
        let total = Total::default();
        total.set(1000);
        let mut term = Vec::new();
        let mut p = Progress::new(&mut term, total, "documents", t0);
        for i in 1..=1000u64 {
            // A fake clock: 5 ms a document, 200 documents a second.
            p.inc(1, t0 + Duration::from_millis(5 * i));
            if i == 500 {
                p.note("warning: x.txt is empty", t0 + Duration::from_millis(5 * i));
            }
        }
        p.finish(t0 + Duration::from_secs(5));
        let shown = frames(&term);
        assert!(shown.contains("⟲500/1,000 documents (50.0%), 200 documents/s, ETA 0:02"));
        assert!(shown.contains("⟲warning: x.txt is empty\n⟲500/1,000"));
        assert!(shown.ends_with("⟲coded 1,000 documents in 0:05 (200 documents/s)\n"));
        // Redraws are throttled: at most one per 100 ms of the fake clock.
        assert!(shown.matches('⟲').count() <= 5 * 10 + 3, "{shown}");
    }

    #[test]
    fn progress_frames_snapshot() {
        let t0 = Instant::now();
        let total = Total::default();
        let mut term = Vec::new();
        let mut p = Progress::new(&mut term, total.clone(), "documents", t0);
        p.inc(1, t0 + Duration::from_millis(20));
        p.inc(40, t0 + Duration::from_millis(400));
        // The counting thread finishes: from now on the total is shown.
        total.set(300);
        p.inc(100, t0 + Duration::from_millis(1400));
        p.inc(159, t0 + Duration::from_millis(3000));
        p.finish(t0 + Duration::from_millis(3010));
        // One frame a line: each is what the terminal shows after a redraw.
        let all = frames(&term);
        let shown: Vec<&str> = all
            .split('⟲')
            .filter(|f| !f.is_empty())
            .map(str::trim_end)
            .collect();
        insta::assert_snapshot!(shown.join("\n"), @r"
        1 documents, 0:00 elapsed
        41 documents, 103 documents/s, 0:00 elapsed
        141/300 documents (47.0%), 101 documents/s, ETA 0:01
        300/300 documents (100.0%), 100 documents/s, ETA 0:00
        coded 300 documents in 0:03 (99.7 documents/s)
        ");
    }

    #[test]
    fn rates_have_sensible_precision() {
        assert_eq!(number(208.5934), "209");
        assert_eq!(number(12_345.6), "12,346");
        assert_eq!(number(12.345), "12.3");
        assert_eq!(number(1.2345), "1.23");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
    }

    #[test]
    fn more_done_than_counted_drops_the_total() {
        let line = status_line(12, Some(10), Duration::from_secs(2), "documents");
        assert_eq!(line, "12 documents, 6.00 documents/s, 0:02 elapsed");
    }
}
