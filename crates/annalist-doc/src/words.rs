//! The word lists several components read, one home each: a plain-text
//! file per list in `words/` (one entry per line, `#` for comments), so that
//! a reader who is no programmer can check and extend them, and no list is
//! written out twice in code. Lists one component alone reads live in that
//! component's own data file (`agents.toml`, `lexicon.toml`, `rules.toml`).
//!
//! | list | read by |
//! |---|---|
//! | `news_outlets.txt` | the entity tagger (gazetteer feature), the actor resolver (never an actor) |
//! | `person_titles.txt` | the entity tagger (gazetteer feature) |
//! | `name_titles.txt` | the entity tagger (outside a person span) |
//! | `ranks.txt` | the actor resolver (a title of ranks alone) |
//! | `title_adjectives.txt` | the actor resolver (words inside a title) |
//! | `office_words.txt` | the knowledge compiler (an office's name, not a person's) |
//!
//! Honorifics that open a name ("Seyyed", "Sheikh") are in the agents
//! lexicon (`annalist-actors/agents.toml`, `[honorifics]`), which a user
//! may replace whole.

use std::collections::HashSet;

/// One word list: its entries in file order, and their lower-case forms.
#[derive(Debug)]
pub struct WordList {
    name: &'static str,
    words: Vec<&'static str>,
    lower: HashSet<String>,
}

impl WordList {
    /// Reads a list file's text: one entry per line, trimmed; empty lines
    /// and lines starting with `#` are skipped.
    pub fn parse(name: &'static str, text: &'static str) -> WordList {
        let words: Vec<&'static str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let lower = words.iter().map(|w| w.to_lowercase()).collect();
        WordList { name, words, lower }
    }

    /// The file the list comes from (`ranks.txt`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The entries, in file order.
    pub fn words(&self) -> &[&'static str] {
        &self.words
    }

    /// Whether `word` is an entry, exactly as written.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(&word)
    }

    /// Whether `word` is an entry, ignoring case.
    pub fn contains_ignore_case(&self, word: &str) -> bool {
        self.lower.contains(&word.to_lowercase())
    }
}

/// Defines `fn NAME() -> &'static WordList` reading `words/FILE` of the
/// crate that invokes it (the path is relative to the invoking source
/// file, which must sit in `src/`), parsed once.
#[macro_export]
macro_rules! word_list {
    ($(#[$doc:meta])* $vis:vis $fn_name:ident, $file:literal) => {
        $(#[$doc])*
        $vis fn $fn_name() -> &'static $crate::words::WordList {
            static LIST: std::sync::OnceLock<$crate::words::WordList> = std::sync::OnceLock::new();
            LIST.get_or_init(|| {
                $crate::words::WordList::parse($file, include_str!(concat!("../words/", $file)))
            })
        }
    };
}

word_list!(
    /// News agencies, broadcasters and papers cited as sources.
    pub news_outlets,
    "news_outlets.txt"
);
word_list!(
    /// Words that precede people's names (the entity tagger's gazetteer).
    pub person_titles,
    "person_titles.txt"
);
word_list!(
    /// Titles that precede a name but stay outside the person span.
    pub name_titles,
    "name_titles.txt"
);
word_list!(
    /// Military and police ranks.
    pub ranks,
    "ranks.txt"
);
word_list!(
    /// Words that may stand inside a title without being role words.
    pub title_adjectives,
    "title_adjectives.txt"
);
word_list!(
    /// Words an office's name is made of in the office-holder sources.
    pub office_words,
    "office_words.txt"
);

/// Every list, for the tests that check them.
pub fn all() -> [&'static WordList; 6] {
    [
        news_outlets(),
        person_titles(),
        name_titles(),
        ranks(),
        title_adjectives(),
        office_words(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_list_is_empty_or_names_an_entry_twice() {
        for list in all() {
            assert!(!list.words().is_empty(), "{} is empty", list.name());
            let mut seen = HashSet::new();
            for w in list.words() {
                assert!(
                    seen.insert(w.to_lowercase()),
                    "{} names `{w}` twice",
                    list.name()
                );
            }
        }
    }

    #[test]
    fn comments_and_blank_lines_are_no_entries() {
        let list = WordList::parse("t.txt", "# a comment\n\n  general  \n#major\ncolonel\n");
        assert_eq!(list.words(), ["general", "colonel"]);
        assert!(list.contains_ignore_case("General"));
        assert!(!list.contains("General"));
    }
}
