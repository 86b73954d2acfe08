//! The Annalist document model.
//!
//! A [`Doc`] holds the plain text of one document, per-token column arrays
//! ([`Tokens`], a struct of arrays) and typed spans (sentences, entities).
//! Pipeline components fill their own columns in place and never fail on text.
//! A [`Record`] is the public output contract (`annalist.record/1`, see
//! `RECORD.md`); [`Doc::to_record`] converts byte offsets to code-point offsets.

pub mod coded;
pub mod conllu;
pub mod dates;
mod doc;
mod labels;
mod offsets;
pub mod record;
pub mod words;

pub use doc::{Dateline, Doc, EntitySpan, Meta, Sentence, Tokens, ROOT};
pub use labels::{DepRel, EntityType, Upos, Xpos};
pub use offsets::CharIndex;
pub use record::Record;

/// The PLOVER/CAMEO actor codes that are no state's: intergovernmental and
/// non-governmental organisations, militant and insurgent groups,
/// multinational companies, the United Nations and the European Union.
/// Records and the store keep them where a country code would be.
pub const NON_STATE_CODES: [&str; 7] = ["IGO", "NGO", "IMG", "ISM", "MNC", "UNO", "EUR"];

/// The schema identifier written into every record.
pub const SCHEMA: &str = "annalist.record/1";

/// Derives a stable document id from the text when the input gives none.
///
/// FNV-1a over the UTF-8 bytes is stable across platforms and releases, which
/// is what matters for an id: re-coding the same text yields the same id, so
/// the store can de-duplicate by it.
pub fn derive_doc_id(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("doc-{h:016x}")
}
