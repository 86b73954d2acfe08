//! Closed label sets stored in the token columns.
//!
//! Labels are small integers into static tables rather than strings: a column
//! of one-byte tags is what makes the struct-of-arrays `Doc` cheap, and the
//! tables give every model the same ids. A label outside a table maps to the
//! table's fallback (`X`, `XX`, `dep`) instead of failing.

use serde::{Deserialize, Serialize};

macro_rules! label_table {
    ($(#[$m:meta])* $name:ident, $fallback:expr, [$($s:expr),* $(,)?]) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub u8);

        impl $name {
            /// Every label of the table, in id order.
            pub const ALL: &'static [&'static str] = &[$($s),*];

            /// The label's id, or the fallback's for an unknown label.
            pub fn from_str_lossy(s: &str) -> Self {
                Self::ALL
                    .iter()
                    .position(|x| *x == s)
                    .map_or(Self::fallback(), |i| $name(i as u8))
            }

            /// The label's id, or `None` for a label outside the table.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().position(|x| *x == s).map(|i| $name(i as u8))
            }

            pub fn fallback() -> Self {
                Self::parse($fallback).expect("fallback label is in its table")
            }

            pub fn as_str(self) -> &'static str {
                Self::ALL.get(self.0 as usize).copied().unwrap_or($fallback)
            }

            pub fn count() -> usize {
                Self::ALL.len()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

label_table!(
    /// Universal part-of-speech tags (UD v2).
    Upos, "X",
    ["ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART",
     "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X"]
);

label_table!(
    /// Penn Treebank tags as used by UD English (EWT, GUM).
    Xpos, "XX",
    ["NN", "IN", "DT", "NNP", "JJ", "PRP", "RB", ".", "NNS", ",", "VB", "CC", "VBD",
     "VBP", "VBZ", "CD", "VBN", "VBG", "TO", "PRP$", "MD", "-RRB-", "-LRB-", ":", "WDT",
     "WRB", "UH", "HYPH", "``", "''", "WP", "POS", "RP", "NNPS", "JJR", "JJS", "EX", "RBR",
     "SYM", "FW", "NFP", "$", "GW", "ADD", "PDT", "RBS", "LS", "AFX", "WP$", "XX", "#"]
);

label_table!(
    /// Universal dependency relations with the English subtypes.
    DepRel, "dep",
    ["root", "punct", "case", "det", "nsubj", "amod", "advmod", "obj", "obl", "nmod",
     "conj", "compound", "cc", "mark", "aux", "cop", "nmod:poss", "advcl", "xcomp", "flat",
     "acl:relcl", "ccomp", "acl", "aux:pass", "appos", "nummod", "parataxis", "nsubj:pass",
     "nmod:unmarked", "obl:unmarked", "discourse", "compound:prt", "fixed", "expl", "iobj",
     "list", "dep", "obl:agent", "nmod:desc", "csubj", "nsubj:outer", "det:predet",
     "advcl:relcl", "vocative", "cc:preconj", "reparandum", "goeswith", "orphan",
     "dislocated", "csubj:pass", "csubj:outer", "obl:tmod", "obl:npmod", "nmod:tmod",
     "nmod:npmod", "flat:foreign", "flat:name", "compound:redup", "det:poss", "expl:pv",
     "clf"]
);

/// Entity types of the record contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "NORP")]
    Norp,
    #[serde(rename = "PRODUCT")]
    Product,
}

impl EntityType {
    pub const ALL: [EntityType; 5] = [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Norp,
        EntityType::Product,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Norp => "NORP",
            EntityType::Product => "PRODUCT",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_unknowns_fall_back() {
        for (i, s) in DepRel::ALL.iter().enumerate() {
            assert_eq!(DepRel::parse(s), Some(DepRel(i as u8)));
        }
        assert_eq!(DepRel::from_str_lossy("nonsense").as_str(), "dep");
        assert_eq!(Upos::from_str_lossy("PROPN").as_str(), "PROPN");
        assert_eq!(Xpos::from_str_lossy("??").as_str(), "XX");
        assert!(Upos::count() < 256 && Xpos::count() < 256 && DepRel::count() < 256);
    }
}
