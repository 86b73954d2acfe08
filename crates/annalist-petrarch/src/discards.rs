//! PETRARCH discard lists: phrases that mark a sentence (or, with a leading
//! `+`, the whole story) as out of scope, such as sports results.

use crate::verbs::phrase_words;

/// One discard phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discard {
    /// Upper-case words.
    pub words: Vec<String>,
    /// `+PHRASE`: the whole story is discarded, not only the sentence.
    pub story: bool,
    /// The phrase ended in `_`: its last word must match whole; otherwise
    /// it is a stem ("BASEBALL" also matches "baseballs").
    pub exact: bool,
}

/// A discard list.
#[derive(Debug, Clone, Default)]
pub struct Discards {
    pub phrases: Vec<Discard>,
}

impl Discards {
    /// Reads a discard list; it has no syntax that can fail.
    pub fn parse(text: &str) -> Discards {
        let mut phrases = Vec::new();
        for raw in text.lines() {
            let line = raw.split(['#', ';']).next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with("<!") {
                continue;
            }
            let (story, body) = match line.strip_prefix('+') {
                Some(b) => (true, b.trim()),
                None => (false, line),
            };
            let words = phrase_words(body);
            if words.is_empty() {
                continue;
            }
            phrases.push(Discard {
                words,
                story,
                exact: body.ends_with('_'),
            });
        }
        Discards { phrases }
    }

    /// The first phrase found in `words` (upper-case words of a sentence).
    pub fn find(&self, words: &[String]) -> Option<&Discard> {
        self.phrases.iter().find(|d| {
            let n = d.words.len();
            n <= words.len()
                && (0..=words.len() - n).any(|i| {
                    d.words.iter().enumerate().all(|(k, w)| {
                        let t = &words[i + k];
                        if k + 1 == n && !d.exact {
                            t.starts_with(w.as_str())
                        } else {
                            t == w
                        }
                    })
                })
        })
    }
}
