//! Feature hashing.
//!
//! Features are never stored as strings: a feature is a 64-bit hash of its
//! template id and its values, so extracting one costs a few multiplications
//! and no allocation. That is what keeps tagging and parsing fast.

use std::hash::{BuildHasherDefault, Hasher};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixes two values into one well-distributed 64-bit hash.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    let x = (a ^ b.rotate_left(23)).wrapping_add(K).wrapping_mul(K);
    x ^ (x >> 31)
}

/// A feature of one value.
#[inline]
pub fn f1(template: u64, a: u64) -> u64 {
    mix(template.wrapping_mul(0x1000_0000_01b3), a)
}

/// A feature of two values.
#[inline]
pub fn f2(template: u64, a: u64, b: u64) -> u64 {
    mix(f1(template, a), b)
}

/// A feature of three values.
#[inline]
pub fn f3(template: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(f2(template, a, b), c)
}

/// Hash of a string (FNV-1a, then mixed).
#[inline]
pub fn str_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// Hash of a byte string (FNV-1a, then mixed).
#[inline]
pub fn bytes_hash(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= u64::from(x);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h, b.len() as u64)
}

/// A hasher for keys that are already hashes: it passes them through.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

pub type IdBuild = BuildHasherDefault<IdHasher>;
pub type IdMap<V> = std::collections::HashMap<u64, V, IdBuild>;

/// A small deterministic random number generator (xorshift64*), so that
/// training is reproducible from a seed without an extra dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(mix(seed, 0x5EED) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}
