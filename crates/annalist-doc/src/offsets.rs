/// Converts byte offsets of a `str` into Unicode code-point offsets.
///
/// Rust slices strings by byte, while the record contract counts code points
/// (as Python and spaCy do). The index stores, for every 64th code point, its
/// byte offset, so a lookup costs one binary search and a short scan.
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of code point `k * STRIDE`.
    marks: Vec<usize>,
    ascii: bool,
}

const STRIDE: usize = 64;

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut marks = Vec::new();
        if !ascii {
            for (k, (b, _)) in text.char_indices().enumerate() {
                if k % STRIDE == 0 {
                    marks.push(b);
                }
            }
        }
        CharIndex { text, marks, ascii }
    }

    /// The code-point offset of byte offset `byte`, which must lie on a char
    /// boundary (or at the end of the text). Offsets inside a character are
    /// rounded down to its start, so a bad span never panics.
    pub fn char_of(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if self.ascii {
            return byte;
        }
        let k = match self.marks.binary_search(&byte) {
            Ok(k) => return k * STRIDE,
            Err(0) => 0,
            Err(k) => k - 1,
        };
        let from = self.marks[k];
        let mut chars = k * STRIDE;
        for (b, _) in self.text[from..].char_indices() {
            if from + b == byte {
                return chars;
            }
            if from + b > byte {
                return chars - 1;
            }
            chars += 1;
        }
        if byte == self.text.len() {
            chars
        } else {
            // `byte` lies inside the last character of the text.
            chars - 1
        }
    }

    /// The byte offset of code-point offset `ch` (clamped to the text's end).
    pub fn byte_of(&self, ch: usize) -> usize {
        if self.ascii {
            return ch.min(self.text.len());
        }
        let k = ch / STRIDE;
        let Some(&from) = self.marks.get(k) else {
            return self.text.len();
        };
        self.text[from..]
            .char_indices()
            .nth(ch - k * STRIDE)
            .map_or(self.text.len(), |(b, _)| from + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn byte_and_char_offsets_round_trip(s in "\\PC{0,300}") {
            let idx = CharIndex::new(&s);
            for (k, (b, _)) in s.char_indices().enumerate() {
                prop_assert_eq!(idx.char_of(b), k);
                prop_assert_eq!(idx.byte_of(k), b);
            }
            prop_assert_eq!(idx.char_of(s.len()), s.chars().count());
        }
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let s = "a–b";
        let idx = CharIndex::new(s);
        assert_eq!(idx.char_of(2), 1);
        assert_eq!(idx.char_of(4), 2);
    }
}
