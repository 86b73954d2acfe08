//! Cross-document de-duplication: deciding whether a reported event is one
//! more report of a story event already in the store.
//!
//! GDELT counts reports, so one kidnapping reported 300 times becomes 300
//! events. Here each new event is compared with the story events that could
//! be the same happening (the *block*: same type, modality and dyad, dates
//! within [`DAY_WINDOW`] days) and joins the best one whose place is
//! compatible and whose wording is similar enough; otherwise it starts a new
//! story event. Everything is decided from the event and the rows already
//! stored, in input order, so the same input always gives the same stories.

/// How many days apart two reports of the same event may date it. Reports
/// dated by their publication day often trail the event by a day or two.
pub const DAY_WINDOW: i64 = 2;

/// The longest a story event may span, first to last report date; it keeps
/// a chain of reports one day apart each from drifting into one long story.
pub const MAX_SPAN: i64 = 2 * DAY_WINDOW;

/// Two known places farther apart than this are different events.
pub const MAX_KM: f64 = 50.0;

/// The least wording similarity (see [`similarity`]) for a report to join a
/// story event. Tuned on differently worded reports of one event against
/// different events of the same type, dyad and day (see the tests).
pub const MIN_SIMILARITY: f64 = 0.3;

/// How many of a story's reports are compared with a new one: the first
/// reports are representative, and the cap bounds the work on huge stories.
pub const MAX_COMPARED: usize = 32;

/// The most word hashes a story event's signature keeps: enough for the
/// wording of many reports, small enough to compare quickly.
pub const MAX_STORY_SIG: usize = 256;

/// The sorted union of two signatures, cut at [`MAX_STORY_SIG`] hashes.
pub fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut u: Vec<u32> = a.iter().chain(b).copied().collect();
    u.sort_unstable();
    u.dedup();
    u.truncate(MAX_STORY_SIG);
    u
}

/// PLOVER types where "A and B" is the same event as "B and A".
pub fn is_symmetric(kind: &str) -> bool {
    matches!(kind, "CONSULT" | "AGREE" | "COOPERATE")
}

/// The dyad part of the blocking key. Each side is the actor's country, or
/// its lowercased name where the country is unknown (so that unrelated
/// country-less actors do not all share one block), or `-` for no actor.
pub fn dyad_key(kind: &str, src: &str, tgt: &str) -> String {
    if is_symmetric(kind) && tgt < src {
        format!("{tgt}|{src}")
    } else {
        format!("{src}|{tgt}")
    }
}

/// One side of [`dyad_key`].
pub fn side_key(country: Option<&str>, name: Option<&str>) -> String {
    match (country, name) {
        (Some(c), _) if !c.is_empty() => c.to_string(),
        (_, Some(n)) if !n.trim().is_empty() => n.trim().to_lowercase(),
        _ => "-".to_string(),
    }
}

/// Great-circle distance in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// Whether two event places can be one place: a report that names no place
/// does not contradict one that does, but two named places must be close.
pub fn places_compatible(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> bool {
    match (a, b) {
        (Some((la, oa)), Some((lb, ob))) => haversine_km(la, oa, lb, ob) <= MAX_KM,
        _ => true,
    }
}

/// Function words and reporting verbs: they say nothing about which event a
/// sentence reports.
const STOPWORDS: &[&str] = &[
    "about",
    "according",
    "added",
    "after",
    "again",
    "against",
    "agency",
    "all",
    "also",
    "among",
    "and",
    "another",
    "any",
    "are",
    "around",
    "been",
    "before",
    "being",
    "between",
    "both",
    "but",
    "can",
    "could",
    "did",
    "does",
    "during",
    "each",
    "earlier",
    "for",
    "friday",
    "from",
    "had",
    "has",
    "have",
    "her",
    "here",
    "his",
    "how",
    "its",
    "last",
    "later",
    "monday",
    "more",
    "most",
    "new",
    "news",
    "not",
    "now",
    "off",
    "official",
    "officials",
    "one",
    "only",
    "other",
    "our",
    "out",
    "over",
    "report",
    "reported",
    "reports",
    "said",
    "saturday",
    "say",
    "says",
    "she",
    "should",
    "since",
    "some",
    "statement",
    "such",
    "sunday",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thursday",
    "today",
    "told",
    "tomorrow",
    "tuesday",
    "under",
    "until",
    "upon",
    "very",
    "was",
    "wednesday",
    "week",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "would",
    "year",
    "yesterday",
];

/// The wording signature of a passage: sorted, distinct 32-bit hashes of its
/// content words, each cut to its first six letters (a crude stem that maps
/// "attacked", "attacks" and "attackers" together), leaving out stopwords
/// and words under three letters. Actor names stay in: "French aid worker"
/// tells one kidnapping from another, and the dyad's country names, which
/// every event of a block shares, only raise all scores of the block alike.
pub fn signature(text: &str) -> Vec<u32> {
    let mut sig: Vec<u32> = words(text)
        .filter(|w| w.chars().count() >= 3 || w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| STOPWORDS.binary_search(&w.as_str()).is_err())
        .map(|w| stem(&w))
        .map(|w| fnv32(&w))
        .collect();
    sig.sort_unstable();
    sig.dedup();
    sig
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn stem(w: &str) -> String {
    w.chars().take(6).collect()
}

fn fnv32(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Wording similarity of two signatures: the overlap coefficient
/// `|A ∩ B| / min(|A|, |B|)`. It is used rather than Jaccard because a short
/// headline-like report of an event shares most of its words with a long
/// one, but few of the long one's. Empty signatures say nothing, scoring 0.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    let small = a.len().min(b.len());
    if small == 0 {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    // Tiny signatures overlap by chance: one shared word of two is not
    // evidence. Shrinking towards zero by one word keeps them from matching
    // on a single common word.
    common as f64 / (small as f64 + 1.0)
}

/// Packs a signature for the `sig` column (little-endian u32s).
pub fn pack(sig: &[u32]) -> Vec<u8> {
    sig.iter().flat_map(|h| h.to_le_bytes()).collect()
}

/// Unpacks a `sig` column.
pub fn unpack(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        let mut sorted = STOPWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOPWORDS);
    }

    #[test]
    fn symmetric_dyads_sort() {
        assert_eq!(dyad_key("CONSULT", "TJK", "IRN"), "IRN|TJK");
        assert_eq!(dyad_key("ASSAULT", "TJK", "IRN"), "TJK|IRN");
        assert_eq!(side_key(None, Some(" Hamas ")), "hamas");
        assert_eq!(side_key(Some("IRN"), Some("Iran")), "IRN");
        assert_eq!(side_key(None, None), "-");
    }

    #[test]
    fn distances() {
        // Tehran to Karaj is about 35 km; Tehran to Dushanbe about 1,400 km.
        let d = haversine_km(35.69, 51.42, 35.84, 50.94);
        assert!((30.0..50.0).contains(&d), "{d}");
        assert!(!places_compatible(
            Some((35.69, 51.42)),
            Some((38.54, 68.78))
        ));
        assert!(places_compatible(None, Some((38.54, 68.78))));
    }

    #[test]
    fn signature_stems_and_drops_stopwords() {
        let a = signature("Gunmen attacked a police post in Kandahar");
        let b = signature("an attack on the Kandahar post by gunmen");
        assert_eq!(a.len(), 5);
        assert!(similarity(&a, &b) >= 0.75, "{}", similarity(&a, &b));
    }

    proptest! {
        #[test]
        fn similarity_is_bounded_and_symmetric(a in "[a-z ]{0,80}", b in "[a-z ]{0,80}") {
            let (sa, sb) = (signature(&a), signature(&b));
            let s = similarity(&sa, &sb);
            prop_assert!((0.0..1.0).contains(&s));
            prop_assert_eq!(s, similarity(&sb, &sa));
            prop_assert_eq!(unpack(&pack(&sa)), sa);
        }
    }
}
