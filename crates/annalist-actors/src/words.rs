//! The actor resolver's own word lists, one plain-text file each in
//! `words/` (shared lists, such as news outlets and ranks, are in
//! `annalist_doc::words`; role words, group nouns and honorifics are in
//! `agents.toml`).

annalist_doc::word_list!(
    /// Words after a name that make it a division ("Sindh province").
    pub(crate) division_words,
    "division_words.txt"
);

annalist_doc::word_list!(
    /// Words for people that a town before them places ("a Cheltenham man").
    pub(crate) local_people,
    "local_people.txt"
);

annalist_doc::word_list!(
    /// Words that end the name of a building or site named after its town.
    pub(crate) facilities,
    "facilities.txt"
);

annalist_doc::word_list!(
    /// Prepositions after which a place name is a place, not an actor. Not
    /// "from", "on" or "towards": a country after them is most often a side of
    /// the event ("withdrawal from Panama", "sanctions on Burma", "an offer from
    /// Afghanistan", "policy towards Iran").
    pub(crate) locative_prepositions,
    "locative_prepositions.txt"
);

annalist_doc::word_list!(
    /// Words after a capital that make it a modifier ("the Stockholm agreement"),
    /// not the government acting.
    pub(crate) capital_modifiers,
    "capital_modifiers.txt"
);

annalist_doc::word_list!(
    /// Names a tagger may take for people that are never actors.
    pub(crate) not_actors,
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
