//! The averaged perceptron (Collins 2002): a sparse trainer and a compact,
//! quantised model for inference.
//!
//! Training keeps, per feature, only the classes it was ever updated for,
//! because most features are seen with a handful of classes. Averaging uses
//! the usual trick (keep `w` and `u = sum of c * delta`; the average is
//! `w - u / c`), so no per-weight timestamps are needed.

use crate::hash::IdMap;
use crate::io::{ByteReader, ByteWriter};
use crate::ModelError;

#[derive(Clone, Copy, Debug)]
struct Entry {
    class: u16,
    w: f32,
    u: f64,
}

/// A perceptron being trained.
#[derive(Debug)]
pub struct Averaged {
    pub nclasses: usize,
    index: IdMap<u32>,
    rows: Vec<Vec<Entry>>,
    c: f64,
}

impl Averaged {
    pub fn new(nclasses: usize) -> Self {
        Averaged {
            nclasses,
            index: IdMap::default(),
            rows: Vec::new(),
            c: 1.0,
        }
    }

    /// Adds every feature's weights into `scores` (which is cleared first).
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        for f in feats {
            if let Some(&r) = self.index.get(f) {
                for e in &self.rows[r as usize] {
                    scores[e.class as usize] += e.w;
                }
            }
        }
    }

    /// Moves the weights towards `truth` and away from `guess`.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        self.add_pairs(feats, &[(truth, 1.0), (guess, -1.0)]);
    }

    /// Adds `delta` to the weights of `feats` for `class`: the update of a
    /// structured perceptron, whose truth and guess are made of parts
    /// scored by different classes.
    pub fn add(&mut self, feats: &[u64], class: usize, delta: f32) {
        self.add_pairs(feats, &[(class, delta)]);
    }

    fn add_pairs(&mut self, feats: &[u64], deltas: &[(usize, f32)]) {
        let c = self.c;
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Vec::new());
            }
            let row = &mut self.rows[r as usize];
            for &(class, d) in deltas {
                match row.iter_mut().find(|e| e.class as usize == class) {
                    Some(e) => {
                        e.w += d;
                        e.u += c * f64::from(d);
                    }
                    None => row.push(Entry {
                        class: class as u16,
                        w: d,
                        u: c * f64::from(d),
                    }),
                }
            }
        }
    }

    /// Counts one training instance (for averaging).
    pub fn tick(&mut self) {
        self.c += 1.0;
    }

    pub fn num_features(&self) -> usize {
        self.rows.len()
    }

    /// The averaged weights, with entries below `prune` (in absolute value)
    /// dropped and the rest quantised to 16 bits.
    pub fn finish(&self, prune: f32) -> Weights {
        let mut items: Vec<(u32, u8, f32)> = Vec::new();
        for (&f, &r) in &self.index {
            for e in &self.rows[r as usize] {
                let avg = (f64::from(e.w) - e.u / self.c) as f32;
                if avg.abs() >= prune && avg != 0.0 {
                    items.push((key32(f), e.class as u8, avg));
                }
            }
        }
        Weights::from_items(self.nclasses as u16, items)
    }
}

/// Rows with at least this many entries (and a quarter of the classes) are
/// also stored densely.
const DENSE_MIN: usize = 8;

/// The most weights a table holds: a slot packs a row's start into 24 bits.
const MAX_WEIGHTS: usize = (1 << 24) - 1;

/// Drops the smallest weights of a table that would not fit the slot
/// layout. Only an unpruned model trained on far more data than ours comes
/// near the limit, and its smallest weights are the ones pruning drops
/// first.
fn keep_largest(items: &mut Vec<(u32, u8, f32)>) {
    if items.len() > MAX_WEIGHTS {
        items.sort_by(|a, b| b.2.abs().total_cmp(&a.2.abs()));
        items.truncate(MAX_WEIGHTS);
    }
}

/// The 32-bit key a 64-bit feature hash is stored under.
#[inline]
fn key32(f: u64) -> u32 {
    ((f >> 32) as u32) ^ (f as u32)
}

#[inline]
fn slot_of(key: u32, mask: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 7) as usize & mask
}

/// Averaged, pruned, quantised weights: what a model file holds.
///
/// At run time a feature costs one probe of an open-addressing table whose
/// slots hold the key and the row's position and length together, then one
/// read of the row (class and weight packed in a `u32`): two cache misses
/// at most, and `score` prefetches both for all features before using any.
#[derive(Debug, Default, Clone)]
pub struct Weights {
    pub nclasses: u16,
    pub scale: f32,
    /// Row keys and starts while a table is built; `build_slots` moves
    /// them into `table` and frees them (`rows` recovers them), which saves
    /// a third of a model's memory.
    keys: Vec<u32>,
    starts: Vec<u32>,
    nfeatures: usize,
    /// Long rows again as dense vectors of `nclasses` weights, and where
    /// each one is in `packed` (start, length). A feature seen with most
    /// classes (a tag, a tag pair) is among the most frequent, and adding
    /// its row densely vectorises, where scattering it entry by entry was
    /// most of the parser's time.
    dense: Vec<i16>,
    dense_rows: Vec<(u32, u32)>,
    /// Row entries: class in the low 16 bits, quantised weight in the high.
    packed: Vec<u32>,
    /// Slots: `[key, start << 8 | len]`, `EMPTY` in the second for none;
    /// `[key, d << 8]` (length 0) for dense row `d`.
    table: Vec<[u32; 2]>,
    mask: usize,
}

const EMPTY: u32 = u32::MAX;

/// A vector of `n` copies of `x`, whose memory the kernel is asked to back
/// with huge pages before it is first written. Scoring probes the weight
/// tables (tens of megabytes) at random: with 4 KB pages nearly every probe
/// also misses the TLB, with 2 MB pages almost none does. Where huge pages
/// are off, or on other systems, the hint does nothing.
fn huge_vec<T: Copy>(n: usize, x: T) -> Vec<T> {
    let mut v = huge_capacity(n);
    v.resize(n, x);
    v
}

/// An empty vector with room for `n` items, advised like [`huge_vec`].
fn huge_capacity<T>(n: usize) -> Vec<T> {
    let v: Vec<T> = Vec::with_capacity(n);
    advise_huge(v.as_ptr().cast(), n * std::mem::size_of::<T>());
    v
}

#[cfg(target_os = "linux")]
fn advise_huge(p: *const u8, len: usize) {
    // Tables smaller than a few huge pages gain nothing.
    if len < 4 << 20 {
        return;
    }
    const PAGE: usize = 4096;
    let start = (p as usize).div_ceil(PAGE) * PAGE;
    let end = (p as usize + len) / PAGE * PAGE;
    if end > start {
        // SAFETY: madvise only gives the kernel a hint about pages of an
        // allocation we own (the range is rounded inwards to whole pages);
        // it neither reads nor writes them, and a failure is harmless.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_: *const u8, _: usize) {}

#[inline]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, even on a bad address.
    #[allow(unused_unsafe)]
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

impl Weights {
    /// A table of (key, class, weight) items, quantised to 16 bits. Two
    /// features whose 32-bit keys collide share one row, their weights for
    /// the same class summed; a row whose weights all round to zero is
    /// left out. If the slot layout cannot hold every item, the smallest
    /// are dropped.
    fn from_items(nclasses: u16, mut items: Vec<(u32, u8, f32)>) -> Weights {
        keep_largest(&mut items);
        items.sort_by_key(|a| (a.0, a.1));
        let max = items.iter().fold(0f32, |m, e| m.max(e.2.abs()));
        let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
        let mut w = Weights {
            nclasses,
            scale,
            ..Weights::default()
        };
        w.starts.push(0);
        let mut i = 0;
        while i < items.len() {
            let key = items[i].0;
            let before = w.packed.len();
            while i < items.len() && items[i].0 == key {
                let class = items[i].1;
                let mut v = 0f32;
                while i < items.len() && items[i].0 == key && items[i].1 == class {
                    v += items[i].2;
                    i += 1;
                }
                let q = (v / scale).round().clamp(-32767.0, 32767.0) as i16;
                if q != 0 {
                    w.push_entry(class, q);
                }
            }
            if w.packed.len() > before {
                w.keys.push(key);
                w.starts.push(w.packed.len() as u32);
            }
        }
        w.build_slots();
        w
    }

    fn build_slots(&mut self) {
        // A load factor between 1/3 and 2/3: short probes, and a table
        // small enough to build quickly at load time.
        let keys = std::mem::take(&mut self.keys);
        let starts = std::mem::take(&mut self.starts);
        let cap = (keys.len() * 3 / 2 + 1).next_power_of_two().max(16);
        self.mask = cap - 1;
        self.table = huge_vec(cap, [0, EMPTY]);
        let n = usize::from(self.nclasses);
        self.dense.clear();
        self.dense_rows.clear();
        self.nfeatures = 0;
        for (i, &k) in keys.iter().enumerate() {
            let (a, b) = (starts[i], starts[i + 1]);
            let len = b - a;
            // An empty row scores nothing, and its length would read as a
            // dense row's mark.
            if len == 0 {
                continue;
            }
            self.nfeatures += 1;
            // A slot holds the row's start and length; length 0 (no row is
            // empty) marks a dense row, the start its number.
            let value = if len as usize >= DENSE_MIN.max(n / 4) {
                let d = self.dense_rows.len() as u32;
                self.dense_rows.push((a, len));
                let at = self.dense.len();
                self.dense.resize(at + n, 0);
                for &e in &self.packed[a as usize..b as usize] {
                    self.dense[at + (e & 0xffff) as usize] = (e >> 16) as u16 as i16;
                }
                d << 8
            } else {
                a << 8 | len.min(255)
            };
            let mut s = slot_of(k, self.mask);
            while self.table[s][1] != EMPTY {
                s = (s + 1) & self.mask;
            }
            self.table[s] = [k, value];
        }
    }

    fn push_entry(&mut self, class: u8, v: i16) {
        self.packed
            .push(u32::from(class) | u32::from(v as u16) << 16);
    }

    #[inline]
    fn find(&self, f: u64) -> Option<u32> {
        let k = key32(f);
        let mut s = slot_of(k, self.mask);
        loop {
            let e = self.table[s];
            if e[1] == EMPTY {
                return None;
            }
            if e[0] == k {
                return Some(e[1]);
            }
            s = (s + 1) & self.mask;
        }
    }

    /// Adds every feature's weights into `scores` (cleared first).
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        scores.fill(0);
        for chunk in feats.chunks(32) {
            for &f in chunk {
                prefetch(&self.table[slot_of(key32(f), self.mask)]);
            }
            let mut rows = [EMPTY; 32];
            for (r, &f) in rows.iter_mut().zip(chunk) {
                if let Some(row) = self.find(f) {
                    if row & 0xff == 0 {
                        prefetch(&self.dense[(row >> 8) as usize * usize::from(self.nclasses)]);
                    } else {
                        prefetch(&self.packed[(row >> 8) as usize]);
                    }
                    *r = row;
                }
            }
            for &row in &rows[..chunk.len()] {
                if row == EMPTY {
                    continue;
                }
                let a = (row >> 8) as usize;
                let len = (row & 0xff) as usize;
                if len == 0 {
                    let n = usize::from(self.nclasses);
                    for (s, &w) in scores.iter_mut().zip(&self.dense[a * n..(a + 1) * n]) {
                        *s += i32::from(w);
                    }
                    continue;
                }
                for &e in &self.packed[a..a + len] {
                    scores[(e & 0xffff) as usize] += i32::from((e >> 16) as u16 as i16);
                }
            }
        }
    }

    /// The mean of weight tables over the same classes, requantised: what
    /// scoring with every table and summing the scores would give, at the
    /// cost of one table. Perceptrons trained on the same data in different
    /// orders make different mistakes, and their mean makes fewer than any
    /// of them. Mean weights below `prune` (in absolute value) are dropped.
    /// `None` when the list is empty or the class counts differ.
    pub fn average(tables: &[&Weights], prune: f32) -> Option<Weights> {
        let first = tables.first()?;
        if tables.iter().any(|t| t.nclasses != first.nclasses) {
            return None;
        }
        let k = tables.len() as f32;
        let mut sums: std::collections::HashMap<(u32, u8), f32> = Default::default();
        for t in tables {
            for (key, a, b) in t.rows() {
                for &e in &t.packed[a..b] {
                    let x = f32::from((e >> 16) as u16 as i16) * t.scale / k;
                    *sums.entry((key, (e & 0xff) as u8)).or_default() += x;
                }
            }
        }
        let items: Vec<(u32, u8, f32)> = sums
            .into_iter()
            .filter(|(_, x)| x.abs() >= prune && *x != 0.0)
            .map(|((key, class), x)| (key, class, x))
            .collect();
        Some(Weights::from_items(first.nclasses, items))
    }

    pub fn num_features(&self) -> usize {
        self.nfeatures
    }

    /// Every row as (key, start, end) in `packed`, sorted by key.
    fn rows(&self) -> Vec<(u32, usize, usize)> {
        let mut rows: Vec<(u32, usize, usize)> = self
            .table
            .iter()
            .filter(|s| s[1] != EMPTY)
            .map(|s| {
                let (a, len) = match s[1] & 0xff {
                    0 => self.dense_rows[(s[1] >> 8) as usize],
                    len => (s[1] >> 8, len),
                };
                (s[0], a as usize, (a + len) as usize)
            })
            .collect();
        rows.sort_unstable();
        rows
    }

    /// Drops weights whose absolute value is below `min` (and features left
    /// without weights): a smaller file for a little accuracy.
    pub fn prune(&mut self, min: f32) {
        let old = std::mem::take(&mut self.packed);
        let rows = self.rows();
        self.starts.push(0);
        for (k, a, b) in rows {
            let before = self.packed.len();
            for &e in &old[a..b] {
                let v = (e >> 16) as u16 as i16;
                if f32::from(v).abs() * self.scale >= min {
                    self.push_entry((e & 0xff) as u8, v);
                }
            }
            if self.packed.len() > before {
                self.keys.push(k);
                self.starts.push(self.packed.len() as u32);
            }
        }
        self.build_slots();
    }

    pub fn num_weights(&self) -> usize {
        self.packed.len()
    }

    pub fn write(&self, w: &mut ByteWriter) {
        w.u16(self.nclasses);
        w.f32(self.scale);
        let rows = self.rows();
        w.u32(rows.len() as u32);
        w.u32(rows.iter().map(|r| r.2 - r.1).sum::<usize>() as u32);
        // Keys are sorted: their deltas are small and compress well.
        let mut prev = 0u32;
        for &(k, _, _) in &rows {
            w.u32(k.wrapping_sub(prev));
            prev = k;
        }
        // Row lengths rather than offsets, for the same reason.
        for &(_, a, b) in &rows {
            w.u8((b - a) as u8);
        }
        for &(_, a, b) in &rows {
            for &e in &self.packed[a..b] {
                w.u8((e & 0xff) as u8);
            }
        }
        for &(_, a, b) in &rows {
            for &e in &self.packed[a..b] {
                w.u16((e >> 16) as u16);
            }
        }
    }

    pub fn read(r: &mut ByteReader) -> Result<Self, ModelError> {
        let nclasses = r.u16()?;
        let scale = r.f32()?;
        let n = r.u32()? as usize;
        let m = r.u32()? as usize;
        r.check_len(n.saturating_mul(5).saturating_add(m.saturating_mul(3)))?;
        let mut keys = Vec::with_capacity(n);
        let mut prev = 0u32;
        for _ in 0..n {
            prev = prev.wrapping_add(r.u32()?);
            keys.push(prev);
        }
        let mut starts = Vec::with_capacity(n + 1);
        let mut at = 0u32;
        starts.push(0);
        for _ in 0..n {
            at += u32::from(r.u8()?);
            starts.push(at);
        }
        if at as usize != m {
            return Err(ModelError::invalid("weight table lengths disagree"));
        }
        if m > MAX_WEIGHTS {
            return Err(ModelError::invalid(
                "the weight table is larger than the format allows",
            ));
        }
        let classes = r.bytes(m)?;
        if classes.iter().any(|&c| u16::from(c) >= nclasses) {
            return Err(ModelError::invalid("weight class out of range"));
        }
        let mut w = Weights {
            nclasses,
            scale,
            keys,
            starts,
            nfeatures: 0,
            dense: Vec::new(),
            dense_rows: Vec::new(),
            packed: huge_capacity(m),
            table: Vec::new(),
            mask: 0,
        };
        for &c in classes {
            let v = r.u16()? as i16;
            w.push_entry(c, v);
        }
        w.build_slots();
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let mut p = Averaged::new(3);
        let data = [(vec![1u64, 10], 0usize), (vec![2, 10], 1), (vec![3, 10], 2)];
        let mut s = vec![0f32; 3];
        for _ in 0..5 {
            for (f, y) in &data {
                p.score(f, &mut s);
                let g = (0..3).max_by(|&a, &b| s[a].total_cmp(&s[b])).unwrap();
                p.update(f, *y, g);
                p.tick();
            }
        }
        let w = p.finish(0.0);
        let mut bw = ByteWriter::default();
        w.write(&mut bw);
        let bytes = bw.into_inner();
        let w2 = Weights::read(&mut ByteReader::new(&bytes)).unwrap();
        let mut si = vec![0i32; 3];
        for (f, y) in &data {
            w2.score(f, &mut si);
            let g = (0..3).max_by_key(|&a| si[a]).unwrap();
            assert_eq!(g, *y);
        }
    }

    #[test]
    fn the_mean_scores_like_the_sum_of_its_members() {
        let mut a = Averaged::new(3);
        let mut b = Averaged::new(3);
        a.update(&[1, 2], 0, 1);
        a.tick();
        b.update(&[2, 3], 2, 0);
        b.tick();
        let (wa, wb) = (a.finish(0.0), b.finish(0.0));
        let mean = Weights::average(&[&wa, &wb], 0.0).unwrap();
        assert_eq!(mean.num_features(), 3);
        let feats = [1u64, 2, 3, 4];
        let (mut sa, mut sb, mut sm) = (vec![0i32; 3], vec![0i32; 3], vec![0i32; 3]);
        wa.score(&feats, &mut sa);
        wb.score(&feats, &mut sb);
        mean.score(&feats, &mut sm);
        // Quantisation scales differ, so compare the order of the classes.
        let order = |s: &[i32]| {
            let mut o: Vec<usize> = (0..3).collect();
            o.sort_by_key(|&c| (s[c], c));
            o
        };
        let sum: Vec<i32> = (0..3)
            .map(|c| (sa[c] as f32 * wa.scale + sb[c] as f32 * wb.scale).round() as i32)
            .collect();
        assert_eq!(order(&sm), order(&sum));
        // Pruned, written and read back, the mean keeps its rows.
        let mut pruned = mean.clone();
        pruned.prune(0.0);
        let mut bw = ByteWriter::default();
        pruned.write(&mut bw);
        let back = Weights::read(&mut ByteReader::new(&bw.into_inner())).unwrap();
        let mut sr = vec![0i32; 3];
        back.score(&feats, &mut sr);
        assert_eq!(sr, sm);
    }

    #[test]
    fn dense_rows_score_like_sparse_ones() {
        // Feature 1 is seen with every class (a dense row), feature 2 with
        // two (a sparse one).
        let mut p = Averaged::new(20);
        for c in 1..20 {
            for _ in 0..c {
                p.update(&[1], c, 0);
            }
        }
        p.update(&[2], 3, 4);
        p.tick();
        let w = p.finish(0.0);
        assert_eq!(w.dense_rows.len(), 1);
        let mut scores = vec![0i32; 20];
        w.score(&[1, 2, 9], &mut scores);
        let mut expected = vec![0f32; 20];
        p.score(&[1, 2, 9], &mut expected);
        // One tick after all the updates: the averages are half the
        // weights.
        for (s, e) in scores.iter().zip(&expected) {
            assert!(
                (*s as f32 * w.scale * 2.0 - e).abs() < 0.05,
                "{scores:?} {expected:?}"
            );
        }
        // Written and read back, and pruned, the rows are the same.
        let mut bw = ByteWriter::default();
        w.write(&mut bw);
        let mut back = Weights::read(&mut ByteReader::new(&bw.into_inner())).unwrap();
        back.prune(0.0);
        let mut again = vec![0i32; 20];
        back.score(&[1, 2, 9], &mut again);
        assert_eq!(again, scores);
    }

    #[test]
    fn a_row_that_rounds_to_nothing_is_left_out() {
        // Feature 2's average is tiny next to feature 1's weights, so it
        // quantises to zero; an empty row would read as a dense one.
        let mut p = Averaged::new(3);
        for _ in 0..100 {
            p.update(&[1], 2, 0);
        }
        p.update(&[2], 1, 0);
        p.tick();
        p.update(&[2], 0, 1);
        for _ in 0..1000 {
            p.tick();
        }
        let w = p.finish(0.0);
        assert_eq!(w.num_features(), 1);
        let mut scores = vec![0i32; 3];
        w.score(&[1, 2], &mut scores);
        assert!(scores[2] > 0 && scores[0] < 0, "{scores:?}");
    }
}
