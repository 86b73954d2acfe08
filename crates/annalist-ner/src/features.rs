//! Token features, hashed to 32-bit keys.
//!
//! Features are never materialised as strings: each one is an FNV-1a hash of
//! a template id and the bytes of its parts. That keeps extraction free of
//! allocation per feature (it runs on every token of every document) and
//! makes the model a map from 32-bit keys to weights.

use crate::gazetteer::{GazKind, Gazetteer};
use crate::lexicon::{Lexicon, NO_CLUSTER};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
fn feed(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Hashes a template id and its parts into a feature key.
#[inline]
fn key(template: u8, parts: &[&[u8]]) -> u32 {
    let mut h = feed(FNV_OFFSET, &[template]);
    for p in parts {
        // A separator keeps ("ab", "c") and ("a", "bc") apart.
        h = feed(h, &[0xff]);
        h = feed(h, p);
    }
    (h ^ (h >> 32)) as u32
}

/// The word shape: `X` upper, `x` lower, `d` digit, other characters as
/// they are, runs cut at four ("Xxxxx" for "Tehran", "dddd" for "2019").
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            last = s;
        }
        if run <= 4 {
            out.push(s);
        }
    }
    out
}

/// The shape with every run cut to one ("Xx" for "Tehran", "X.X." for "U.S.").
pub fn short_shape(shape: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for c in shape.chars() {
        if c != last {
            out.push(c);
            last = c;
        }
    }
    out
}

/// Per-token strings computed once per sentence.
struct TokenInfo {
    lower: String,
    shape: String,
    sshape: String,
}

/// Normalises a word for lookup: lowercase, digits folded to `0` so that
/// years and counts share statistics, curly quotes made straight.
pub fn normalise(word: &str) -> String {
    word.chars()
        .flat_map(|c| c.to_lowercase())
        .map(|c| match c {
            '0'..='9' => '0',
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            c => c,
        })
        .collect()
}

/// Feature keys of every token of a sentence: `keys[offsets[i]..offsets[i+1]]`.
#[derive(Debug, Default, Clone)]
pub struct SentenceFeatures {
    pub offsets: Vec<u32>,
    pub keys: Vec<u32>,
}

impl SentenceFeatures {
    pub fn token(&self, i: usize) -> &[u32] {
        &self.keys[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const BOS: &[u8] = b"<s>";
const EOS: &[u8] = b"</s>";

/// Computes the features of every token of a sentence.
pub fn extract(gaz: &Gazetteer, lex: &Lexicon, words: &[&str]) -> SentenceFeatures {
    let n = words.len();
    let info: Vec<TokenInfo> = words
        .iter()
        .map(|w| {
            let shape = shape(w);
            let sshape = short_shape(&shape);
            TokenInfo {
                lower: normalise(w),
                shape,
                sshape,
            }
        })
        .collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let gz = gaz.matches(&lower, words);
    // Lexicon statistics per token: capitalisation bucket as a digit byte
    // (`?` for unknown words) and cluster ids as little-endian bytes.
    let stats: Vec<([u8; 1], [u8; 2], [u8; 2])> = info
        .iter()
        .map(|t| match lex.get(&t.lower) {
            Some(s) => ([b'0' + s.cap], s.fine.to_le_bytes(), s.coarse.to_le_bytes()),
            None => ([b'?'], NO_CLUSTER.to_le_bytes(), NO_CLUSTER.to_le_bytes()),
        })
        .collect();
    let st = |j: isize| -> Option<&([u8; 1], [u8; 2], [u8; 2])> {
        if j < 0 || j as usize >= n {
            None
        } else {
            Some(&stats[j as usize])
        }
    };

    // A sentence written in capitals (a headline, a dateline) says little
    // through capitalisation; the model learns to discount it.
    let alpha = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    let caps = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase))
        .count();
    let sent_caps: &[u8] = if alpha >= 3 && caps * 2 > alpha {
        b"C"
    } else if caps == 0 && words.iter().all(|w| !w.chars().any(char::is_uppercase)) {
        b"l"
    } else {
        b"m"
    };

    let lw = |j: isize| -> &[u8] {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            info[j as usize].lower.as_bytes()
        }
    };
    let ss = |j: isize| -> &[u8] {
        if j < 0 {
            BOS
        } else if j as usize >= n {
            EOS
        } else {
            info[j as usize].sshape.as_bytes()
        }
    };
    let gzf = |j: isize, template: u8, out: &mut Vec<u32>| {
        if j < 0 || j as usize >= n {
            return;
        }
        for (kind, pos) in &gz[j as usize] {
            out.push(key(template, &[&[kind.id(), pos.as_byte()]]));
        }
    };

    let mut out = SentenceFeatures {
        offsets: Vec::with_capacity(n + 1),
        keys: Vec::with_capacity(n * 40),
    };
    out.offsets.push(0);
    for i in 0..n {
        let k = &mut out.keys;
        let t = &info[i];
        let ii = i as isize;
        let lower = t.lower.as_bytes();
        k.push(key(0, &[]));
        k.push(key(1, &[lower]));
        if words[i].as_bytes() != lower {
            k.push(key(2, &[words[i].as_bytes()]));
        }
        // An unknown capitalised word inside the sentence is most likely a
        // name, yet its affixes are mostly learned from common words
        // ("Seagal" starts like "season", "Blunt" is an adjective): it
        // takes its affix evidence only from words of its own shape.
        let name_like = i > 0
            && words[i].chars().next().is_some_and(char::is_uppercase)
            && stats[i].0[0] == b'?';
        let ssb = t.sshape.as_bytes();
        let affix = |k: &mut Vec<u32>, template: u8, a: &[u8]| {
            if name_like {
                k.push(key(template, &[a, ssb]));
            } else {
                k.push(key(template, &[a]));
            }
        };
        // Prefixes of one to three characters and suffixes of one to four,
        // found on char boundaries without collecting the chars.
        for (end, _) in t.lower.char_indices().skip(1).take(3) {
            affix(k, 3, &lower[..end]);
        }
        let nc = t.lower.chars().count();
        if nc <= 3 {
            affix(k, 3, lower);
        }
        for (start, _) in t.lower.char_indices().rev().take(4) {
            affix(k, 4, &lower[start..]);
        }
        k.push(key(5, &[t.shape.as_bytes()]));
        k.push(key(6, &[t.sshape.as_bytes()]));
        k.push(key(7, &[lw(ii - 1)]));
        k.push(key(8, &[lw(ii + 1)]));
        k.push(key(9, &[lw(ii - 2)]));
        k.push(key(10, &[lw(ii + 2)]));
        k.push(key(11, &[ss(ii - 1), ss(ii)]));
        k.push(key(12, &[ss(ii), ss(ii + 1)]));
        k.push(key(13, &[lw(ii - 1), lower]));
        k.push(key(14, &[lower, lw(ii + 1)]));
        k.push(key(15, &[&[u8::from(i == 0)], ss(ii)]));
        k.push(key(16, &[sent_caps, ss(ii)]));
        k.push(key(17, &[ss(ii - 1), ss(ii), ss(ii + 1)]));
        k.push(key(18, &[lw(ii - 1), ss(ii)]));
        k.push(key(19, &[ss(ii), lw(ii + 1)]));
        gzf(ii, 20, k);
        gzf(ii - 1, 21, k);
        gzf(ii + 1, 22, k);
        gzf(ii - 2, 23, k);
        gzf(ii + 2, 24, k);
        // A gazetteer hit together with the token's own shape separates
        // "Turkey" the country from "TURKEY" in a shouting headline.
        for (kind, pos) in &gz[i] {
            k.push(key(25, &[&[kind.id(), pos.as_byte()], t.sshape.as_bytes()]));
        }
        if gz[i].is_empty() {
            k.push(key(26, &[]));
        }
        if !lex.is_empty() {
            let (cap, fine, coarse) = &stats[i];
            k.push(key(27, &[cap, t.sshape.as_bytes()]));
            k.push(key(28, &[st(ii - 1).map_or(BOS, |s| &s.0[..]), cap]));
            k.push(key(29, &[cap, st(ii + 1).map_or(EOS, |s| &s.0[..])]));
            k.push(key(30, &[fine]));
            k.push(key(31, &[coarse, t.sshape.as_bytes()]));
            k.push(key(32, &[st(ii - 1).map_or(BOS, |s| &s.1[..])]));
            k.push(key(33, &[st(ii + 1).map_or(EOS, |s| &s.1[..])]));
            k.push(key(34, &[coarse, cap]));
            k.push(key(35, &[&[u8::from(i == 0)], cap]));
            k.push(key(36, &[st(ii - 1).map_or(BOS, |s| &s.1[..]), fine]));
            k.push(key(37, &[fine, st(ii + 1).map_or(EOS, |s| &s.1[..])]));
            k.push(key(38, &[lw(ii - 1), cap]));
        }
        out.offsets.push(k.len() as u32);
    }
    out
}

/// Whether a word is listed as a demonym (used by the NORP rule).
pub fn is_demonym(gaz: &Gazetteer, words: &[&str]) -> bool {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
    gaz.contains(GazKind::Demonym, &refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Tehran"), "Xxxxx");
        assert_eq!(short_shape(&shape("Tehran")), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("2019"), "dddd");
    }

    #[test]
    fn every_token_gets_features() {
        let g = Gazetteer::new();
        let l = Lexicon::default();
        let f = extract(&g, &l, &["Hello", "world", "!"]);
        assert_eq!(f.len(), 3);
        assert!(f.token(0).len() > 10);
        assert!(extract(&g, &l, &[]).is_empty());
    }
}
