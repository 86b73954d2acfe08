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
        let c = self.c;
        for &f in feats {
            let next = self.rows.len() as u32;
            let r = *self.index.entry(f).or_insert(next);
            if r == next {
                self.rows.push(Vec::new());
            }
            let row = &mut self.rows[r as usize];
            for (class, d) in [(truth, 1.0f32), (guess, -1.0f32)] {
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
        let mut max = 0f32;
        for (&f, &r) in &self.index {
            for e in &self.rows[r as usize] {
                let avg = (f64::from(e.w) - e.u / self.c) as f32;
                if avg.abs() >= prune && avg != 0.0 {
                    items.push((key32(f), e.class as u8, avg));
                    max = max.max(avg.abs());
                }
            }
        }
        items.sort_by_key(|a| (a.0, a.1));
        let scale = if max > 0.0 { max / 32000.0 } else { 1.0 };
        let mut w = Weights {
            nclasses: self.nclasses as u16,
            scale,
            ..Weights::default()
        };
        let mut i = 0;
        while i < items.len() {
            let key = items[i].0;
            w.keys.push(key);
            w.starts.push(w.packed.len() as u32);
            while i < items.len() && items[i].0 == key {
                // Two features whose 32-bit keys collide share one row; their
                // weights for the same class are summed.
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
        }
        w.starts.push(w.packed.len() as u32);
        w.build_slots();
        w
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
    keys: Vec<u32>,
    starts: Vec<u32>,
    /// Row entries: class in the low 16 bits, quantised weight in the high.
    packed: Vec<u32>,
    /// Slots: `[key, start << 8 | len]`, `EMPTY` in the second for none.
    table: Vec<[u32; 2]>,
    mask: usize,
}

const EMPTY: u32 = u32::MAX;

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
    fn build_slots(&mut self) {
        // A load factor between 1/3 and 2/3: short probes, and a table
        // small enough to build quickly at load time.
        let cap = (self.keys.len() * 3 / 2 + 1).next_power_of_two().max(16);
        self.mask = cap - 1;
        self.table = vec![[0, EMPTY]; cap];
        for (i, &k) in self.keys.iter().enumerate() {
            let (a, b) = (self.starts[i], self.starts[i + 1]);
            let mut s = slot_of(k, self.mask);
            while self.table[s][1] != EMPTY {
                s = (s + 1) & self.mask;
            }
            self.table[s] = [k, a << 8 | (b - a).min(255)];
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
                    prefetch(&self.packed[(row >> 8) as usize]);
                    *r = row;
                }
            }
            for &row in &rows[..chunk.len()] {
                if row == EMPTY {
                    continue;
                }
                let a = (row >> 8) as usize;
                let b = a + (row & 0xff) as usize;
                for &e in &self.packed[a..b] {
                    scores[(e & 0xffff) as usize] += i32::from((e >> 16) as u16 as i16);
                }
            }
        }
    }

    pub fn num_features(&self) -> usize {
        self.keys.len()
    }

    /// Drops weights whose absolute value is below `min` (and features left
    /// without weights): a smaller file for a little accuracy.
    pub fn prune(&mut self, min: f32) {
        let old = std::mem::take(&mut self.packed);
        let (keys, starts) = (
            std::mem::take(&mut self.keys),
            std::mem::take(&mut self.starts),
        );
        self.starts.push(0);
        for (i, &k) in keys.iter().enumerate() {
            let before = self.packed.len();
            for &e in &old[starts[i] as usize..starts[i + 1] as usize] {
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
        w.u32(self.keys.len() as u32);
        w.u32(self.packed.len() as u32);
        // Keys are sorted: their deltas are small and compress well.
        let mut prev = 0u32;
        for &k in &self.keys {
            w.u32(k.wrapping_sub(prev));
            prev = k;
        }
        // Row lengths rather than offsets, for the same reason.
        for p in self.starts.windows(2) {
            w.u8((p[1] - p[0]).min(255) as u8);
        }
        for &e in &self.packed {
            w.u8((e & 0xff) as u8);
        }
        for &e in &self.packed {
            w.u16((e >> 16) as u16);
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
        let classes = r.bytes(m)?;
        if classes.iter().any(|&c| u16::from(c) >= nclasses) {
            return Err(ModelError::invalid("weight class out of range"));
        }
        let mut w = Weights {
            nclasses,
            scale,
            keys,
            starts,
            packed: Vec::with_capacity(m),
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
}
