//! The event coders' word lists, one plain-text file each in `words/`
//! (lists other crates read too are in `annalist_doc::words`).

annalist_doc::word_list!(
    /// Verbs whose subject is the sentence's speaker, for the learned coder's
    /// side features.
    pub(crate) speaker_verbs,
    "speaker_verbs.txt"
);

annalist_doc::word_list!(
    /// Verbs that report speech, for the rule coder's speakers,
    /// R-SPEECH-DEMAND and R-SPEECH-PLACE.
    pub(crate) reporting_verbs,
    "reporting_verbs.txt"
);

annalist_doc::word_list!(
    /// Attacks named without their perpetrator ("twin bombings struck a
    /// cathedral"): event data codes the unknown attacker by the country the
    /// attack happens in.
    pub(crate) unnamed_attacks,
    "unnamed_attacks.txt"
);

annalist_doc::word_list!(
    /// Common nouns for unnamed groups of people ("police arrested", "protesters
    /// blocked"): as subjects they act for the country the event takes place in.
    pub(crate) unnamed_groups,
    "unnamed_groups.txt"
);

annalist_doc::word_list!(
    /// Gatherings whose place is where what is said at them is said.
    pub(crate) venues,
    "venues.txt"
);

annalist_doc::word_list!(
    /// Predicates that, said of another side, accuse it: "Saudi rulers are war
    /// criminals", "Washington is complicit in ...".
    pub(crate) accusing_predicates,
    "accusing_predicates.txt"
);

annalist_doc::word_list!(
    /// Words between a locative preposition and a place name that only narrow
    /// the place: "in central Baghdad", "near the town of Samarra", "in the port
    /// city of Mokha".
    pub(crate) narrowing_words,
    "narrowing_words.txt"
);

annalist_doc::word_list!(
    /// Verbs of speaking that report no content ("spoke", "addressed"):
    /// with [`reporting_verbs`], the verbs whose place is where something
    /// was said, not whom it was said to (R-SPEECH-PLACE).
    pub(crate) speaking_verbs,
    "speaking_verbs.txt"
);
