//! The actor resolver's own word lists, one plain-text file each in
//! `words/` (shared lists, such as news outlets and ranks, are in
//! `annalist_doc::words`; role words, group nouns and honorifics are in
//! `agents.toml`).

use annalist_doc::words::WordList;
use std::sync::OnceLock;

macro_rules! list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub(crate) fn $name() -> &'static WordList {
            static LIST: OnceLock<WordList> = OnceLock::new();
            LIST.get_or_init(|| WordList::parse($file, include_str!(concat!("../words/", $file))))
        }
    };
}

list!(
    /// Words after a name that make it a division ("Sindh province").
    division_words,
    "division_words.txt"
);

list!(
    /// Words for people that a town before them places ("a Cheltenham man").
    local_people,
    "local_people.txt"
);

list!(
    /// Words that end the name of a building or site named after its town.
    facilities,
    "facilities.txt"
);

list!(
    /// Prepositions after which a place name is a place, not an actor. Not
    /// "from", "on" or "towards": a country after them is most often a side of
    /// the event ("withdrawal from Panama", "sanctions on Burma", "an offer from
    /// Afghanistan", "policy towards Iran").
    locative_prepositions,
    "locative_prepositions.txt"
);

list!(
    /// Words after a capital that make it a modifier ("the Stockholm agreement"),
    /// not the government acting.
    capital_modifiers,
    "capital_modifiers.txt"
);

list!(
    /// Names a tagger may take for people that are never actors.
    not_actors,
    "not_actors.txt"
);

#[cfg(test)]
mod tests {
    #[test]
    fn every_list_has_entries_and_none_twice() {
        for list in [
            super::division_words(),
            super::local_people(),
            super::facilities(),
            super::locative_prepositions(),
            super::capital_modifiers(),
            super::not_actors(),
        ] {
            let mut seen = std::collections::HashSet::new();
            assert!(!list.words().is_empty(), "{}", list.name());
            for w in list.words() {
                assert!(seen.insert(*w), "{} names `{w}` twice", list.name());
            }
        }
    }
}
