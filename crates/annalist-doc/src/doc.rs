use crate::coded::{Actor, Event, Place};
use crate::labels::{DepRel, EntityType, Upos, Xpos};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The head of a sentence's root token.
pub const ROOT: u32 = u32::MAX;

/// Per-token columns, one entry per token (a struct of arrays).
///
/// Offsets are byte offsets into [`Doc::text`] on char boundaries. The
/// tokenizer fills `start`/`end`/`space_after`; later components fill their
/// own columns, which are either empty (not run) or as long as `start`.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    pub start: Vec<u32>,
    pub end: Vec<u32>,
    pub space_after: Vec<bool>,
    pub upos: Vec<Upos>,
    pub xpos: Vec<Xpos>,
    pub lemma: Vec<String>,
    /// Absolute token index of the head within the doc, or [`ROOT`].
    pub head: Vec<u32>,
    pub deprel: Vec<DepRel>,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// Appends a token; the annotation columns are left for their components.
    pub fn push(&mut self, start: usize, end: usize, space_after: bool) {
        self.start.push(start as u32);
        self.end.push(end as u32);
        self.space_after.push(space_after);
    }

    pub fn span(&self, i: usize) -> Range<usize> {
        self.start[i] as usize..self.end[i] as usize
    }

    /// Whether the tagger filled the `upos` and `xpos` columns (both or
    /// neither: it writes them together).
    pub fn tagged(&self) -> bool {
        self.upos.len() == self.len() && self.xpos.len() == self.len()
    }

    /// Whether the parser filled the `head` and `deprel` columns (both or
    /// neither: it writes them together).
    pub fn parsed(&self) -> bool {
        self.head.len() == self.len() && self.deprel.len() == self.len()
    }
}

/// A sentence as a half-open range of token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub start: u32,
    pub end: u32,
}

impl Sentence {
    pub fn tokens(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A named-entity mention as a half-open range of token indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntitySpan {
    pub start: u32,
    pub end: u32,
    pub label: EntityType,
    /// A common-noun mention of an actor ("police", "the government"),
    /// not a name: R-NOMINAL-ACTOR adds them, the tagger of names never.
    pub nominal: bool,
}

/// A dateline found at the start of the text: where the report was filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The place as written ("TEHRAN").
    pub text: String,
    /// Byte span of the place name in [`Doc::text`].
    pub span: Range<usize>,
    /// Byte span of the whole dateline, punctuation and agency included.
    pub full: Range<usize>,
    /// A date written in the dateline ("May 17"), if any, as written.
    pub date: Option<String>,
}

/// Document metadata: from the input where it gives it, else from the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub title: Option<String>,
    /// Where `title` came from when the source gave none (`url`: spelled
    /// from the URL's slug).
    pub title_source: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub language: String,
    pub license: Option<String>,
    pub dateline: Option<Dateline>,
    /// Byte span of the publisher's name where the text itself gives it (in a
    /// licence footer): metadata, never an entity or an actor.
    pub publisher_span: Option<Range<usize>>,
}

/// One document: its text and everything the pipeline knows about it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub doc_id: String,
    pub text: String,
    pub meta: Meta,
    /// Byte ranges of the text that are metadata (licence footers,
    /// boilerplate): they stay in `text` but are never tokenized or coded.
    pub excluded: Vec<Range<usize>>,
    pub tokens: Tokens,
    pub sentences: Vec<Sentence>,
    pub entities: Vec<EntitySpan>,
    /// Per entity (parallel to `entities`, or empty): the index of its actor.
    pub entity_actor: Vec<Option<u32>>,
    /// Per entity (parallel to `entities`, or empty): the index of its place.
    pub entity_place: Vec<Option<u32>>,
    pub actors: Vec<Actor>,
    /// Per token (parallel to the token columns, or empty): the actor whose
    /// mention, title or description the token is part of.
    pub token_actor: Vec<Option<u32>>,
    pub places: Vec<Place>,
    pub events: Vec<Event>,
    /// Warnings about the input (e.g. a lossy decoding), kept for the record.
    pub warnings: Vec<String>,
    /// Whether the coders should also write what costs extra work to
    /// explain (the trigger model's features behind each event, M-TRIGGER),
    /// for `annalist explain`; off when coding corpora. Not part of the
    /// record.
    pub explain: bool,
}

impl Doc {
    pub fn new(doc_id: impl Into<String>, text: impl Into<String>) -> Self {
        Doc {
            doc_id: doc_id.into(),
            text: text.into(),
            meta: Meta {
                language: "en".to_string(),
                ..Meta::default()
            },
            ..Doc::default()
        }
    }

    /// The byte ranges that analysis should see: the text minus `excluded`.
    pub fn analysed_ranges(&self) -> Vec<Range<usize>> {
        let mut excluded = self.excluded.clone();
        excluded.sort_by_key(|r| r.start);
        let mut out = Vec::new();
        let mut at = 0;
        for r in excluded {
            if r.start > at {
                out.push(at..r.start);
            }
            at = at.max(r.end);
        }
        if at < self.text.len() {
            out.push(at..self.text.len());
        }
        out
    }

    /// The text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        &self.text[self.tokens.span(i)]
    }

    /// Byte span covered by tokens `range`.
    pub fn token_range_span(&self, range: Range<usize>) -> Range<usize> {
        if range.is_empty() {
            return 0..0;
        }
        self.tokens.start[range.start] as usize..self.tokens.end[range.end - 1] as usize
    }

    /// The index of the sentence holding token `i`, if sentences are split.
    pub fn sentence_of(&self, i: usize) -> Option<usize> {
        let i = i as u32;
        let k = self.sentences.partition_point(|s| s.end <= i);
        (k < self.sentences.len() && self.sentences[k].start <= i).then_some(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysed_ranges_skip_excluded_text() {
        let mut doc = Doc::new("d", "abc footer");
        doc.excluded.push(4..10);
        assert_eq!(doc.analysed_ranges(), vec![0..4]);
        doc.excluded = vec![0..1, 0..2];
        assert_eq!(doc.analysed_ranges(), vec![2..10]);
    }

    #[test]
    fn sentence_of_finds_the_holding_sentence() {
        let mut doc = Doc::new("d", "");
        doc.sentences = vec![Sentence { start: 0, end: 3 }, Sentence { start: 3, end: 5 }];
        assert_eq!(doc.sentence_of(0), Some(0));
        assert_eq!(doc.sentence_of(3), Some(1));
        assert_eq!(doc.sentence_of(5), None);
    }
}
