//! The resolver's passes as data (`passes.toml`): the id each pass writes
//! into [`Actor::decided_by`](annalist_doc::coded::Actor::decided_by) and
//! the sentence `annalist explain` prints for it. The ids the code uses are
//! the constants below; a test keeps them and the file in step, so that
//! every id `explain` can print has its words.

use serde::Deserialize;
use std::sync::OnceLock;

/// The passes file format version this build reads.
const FORMAT_VERSION: u32 = 1;

pub const PERSON: &str = "A-PERSON";
pub const TITLE: &str = "A-TITLE";
pub const TITLE_PLACE: &str = "A-TITLE-PLACE";
pub const ROLE_BEFORE_COMMA: &str = "A-ROLE-BEFORE-COMMA";
pub const APPOSITIVE: &str = "A-APPOSITIVE";
pub const OF_COUNTRY: &str = "A-OF-COUNTRY";
pub const SAME_PERSON: &str = "A-SAME-PERSON";
pub const SURNAME_FIRST: &str = "R-SURNAME-FIRST";
pub const TITLE_ORGANISATION: &str = "A-TITLE-ORGANISATION";
pub const OFFICE_HOLDER: &str = "A-OFFICE-HOLDER";
pub const HONORIFIC_NOT_NAME: &str = "R-HONORIFIC-NOT-NAME";
pub const SURNAME_ONE_COUNTRY: &str = "R-SURNAME-ONE-COUNTRY";
pub const ORGANISATION: &str = "A-ORGANISATION";
pub const IGO: &str = "A-IGO";
pub const KNOWN_GROUP: &str = "A-KNOWN-GROUP";
pub const COUNTRY: &str = "A-COUNTRY";
pub const CAPITAL: &str = "A-CAPITAL";
pub const TOWN_PEOPLE: &str = "A-TOWN-PEOPLE";
pub const NATIONALITY: &str = "A-NATIONALITY";
pub const NOMINAL_ACTOR: &str = "R-NOMINAL-ACTOR";
pub const COUNTRY_RANKED: &str = "R-COUNTRY-RANKED";
pub const COUNTRY_DOMINANT: &str = "R-COUNTRY-DOMINANT";
pub const COUNTRY_GOVERNMENT: &str = "R-COUNTRY-GOVERNMENT";
pub const EVENT_SIDE: &str = "A-EVENT-SIDE";
pub const PETRARCH: &str = "A-PETRARCH";

/// Every id above, in the file's order.
pub const ALL: &[&str] = &[
    PERSON,
    TITLE,
    TITLE_PLACE,
    ROLE_BEFORE_COMMA,
    APPOSITIVE,
    OF_COUNTRY,
    SAME_PERSON,
    SURNAME_FIRST,
    TITLE_ORGANISATION,
    OFFICE_HOLDER,
    HONORIFIC_NOT_NAME,
    SURNAME_ONE_COUNTRY,
    ORGANISATION,
    IGO,
    KNOWN_GROUP,
    COUNTRY,
    CAPITAL,
    TOWN_PEOPLE,
    NATIONALITY,
    NOMINAL_ACTOR,
    COUNTRY_RANKED,
    COUNTRY_DOMINANT,
    COUNTRY_GOVERNMENT,
    EVENT_SIDE,
    PETRARCH,
];

/// One pass as the file describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pass {
    pub id: String,
    pub what: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPasses {
    version: u32,
    pass: Vec<Pass>,
}

/// Reads a passes file; `name` names it in errors.
pub fn parse(name: &str, text: &str) -> Result<Vec<Pass>, String> {
    let raw: RawPasses = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    if raw.version != FORMAT_VERSION {
        return Err(format!(
            "{name}: format version {} (this build reads {FORMAT_VERSION})",
            raw.version
        ));
    }
    Ok(raw.pass)
}

/// The passes built into the binary.
pub fn builtin() -> &'static [Pass] {
    static PASSES: OnceLock<Vec<Pass>> = OnceLock::new();
    PASSES.get_or_init(|| {
        parse("passes.toml", include_str!("../passes.toml"))
            .expect("the built-in passes file is valid (a unit test checks it)")
    })
}

/// What pass `id` does, in words, if the file names it.
pub fn describe(id: &str) -> Option<&'static str> {
    builtin()
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.what.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pass_the_code_writes_is_described_once_in_the_file() {
        let ids: Vec<&str> = builtin().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids, ALL,
            "passes.toml and passes::ALL list the same ids in the same order"
        );
    }

    #[test]
    fn a_passes_file_of_another_version_is_refused_with_its_name() {
        let err = parse("mine.toml", "version = 2\npass = []\n").unwrap_err();
        assert!(err.starts_with("mine.toml: format version 2"), "{err}");
    }
}
