//! Which language a text is in, as far as its script and its commonest
//! words tell: enough to label non-English input honestly rather than as
//! `en`, and to warn that only English is coded.

/// The language Annalist codes.
pub const SUPPORTED: &str = "en";

/// What the text looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// A BCP 47 tag: `en`, a script's likely language (`el`, `ko`), or
    /// `und` with the script (`und-Arab`) where the script is shared by many
    /// languages.
    pub code: &'static str,
    /// The dominant script's name, for messages.
    pub script: &'static str,
}

impl Detected {
    /// The warning for a text that is not English, if it is not.
    pub fn warning(&self) -> Option<String> {
        (self.code != SUPPORTED).then(|| {
            format!(
                "the text looks like {} (language {:?}), not English; annalist codes English only, \
                 so expect few entities and events",
                self.script, self.code
            )
        })
    }
}

/// Scripts by code-point range: (first, last, script name, language tag).
const SCRIPTS: &[(u32, u32, &str, &str)] = &[
    (0x0370, 0x03FF, "Greek script", "el"),
    (0x0400, 0x052F, "Cyrillic script", "und-Cyrl"),
    (0x0530, 0x058F, "Armenian script", "hy"),
    (0x0590, 0x05FF, "Hebrew script", "he"),
    (0x0600, 0x06FF, "Arabic script", "und-Arab"),
    (0x0750, 0x077F, "Arabic script", "und-Arab"),
    (0xFB50, 0xFDFF, "Arabic script", "und-Arab"),
    (0xFE70, 0xFEFF, "Arabic script", "und-Arab"),
    (0x0900, 0x097F, "Devanagari script", "und-Deva"),
    (0x0980, 0x09FF, "Bengali script", "bn"),
    (0x0E00, 0x0E7F, "Thai script", "th"),
    (0x10A0, 0x10FF, "Georgian script", "ka"),
    (0x1100, 0x11FF, "Hangul script", "ko"),
    (0xAC00, 0xD7AF, "Hangul script", "ko"),
    (0x3040, 0x30FF, "Japanese kana", "ja"),
    (0x4E00, 0x9FFF, "Han script", "zh"),
    (0x3400, 0x4DBF, "Han script", "zh"),
];

/// English function words: a fifth or more of the words of English prose,
/// rare in other Latin-script languages.
const ENGLISH: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "was", "with", "he", "it",
    "as", "at", "by", "said", "has", "have", "be", "from", "are", "were", "this", "which", "his",
    "an", "will", "its", "not", "but", "they", "who", "their", "had", "been",
];

/// Looks at the first 64 KB of letters at most: enough to tell a script.
const SAMPLE: usize = 64 << 10;

/// Detects the text's language from its letters' scripts and, for Latin
/// script, the share of English function words.
pub fn detect(text: &str) -> Detected {
    let english = Detected {
        code: SUPPORTED,
        script: "English",
    };
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let mut latin = 0usize;
    let mut counts = vec![0usize; SCRIPTS.len()];
    for c in sample.chars().filter(|c| c.is_alphabetic()) {
        let cp = c as u32;
        if cp < 0x0250 || (0x1E00..=0x1EFF).contains(&cp) {
            latin += 1;
        } else if let Some(i) = SCRIPTS
            .iter()
            .position(|&(a, b, _, _)| (a..=b).contains(&cp))
        {
            counts[i] += 1;
        }
    }
    // Scripts split over several ranges count together.
    let mut best: Option<(&str, &str, usize)> = None;
    for (i, &(_, _, script, code)) in SCRIPTS.iter().enumerate() {
        let n: usize = SCRIPTS
            .iter()
            .zip(&counts)
            .filter(|((_, _, s, _), _)| *s == script)
            .map(|(_, n)| n)
            .sum();
        if counts[i] > 0 && best.is_none_or(|(_, _, m)| n > m) {
            best = Some((script, code, n));
        }
    }
    if let Some((script, code, n)) = best {
        // Japanese mixes kana with Han: any kana beside Han means Japanese.
        let kana = counts[SCRIPTS.iter().position(|s| s.3 == "ja").unwrap_or(0)];
        let (script, code) = if code == "zh" && kana > 0 {
            ("Japanese", "ja")
        } else {
            (script, code)
        };
        if n > latin {
            return Detected { code, script };
        }
    }
    if latin_is_english(sample) {
        english
    } else {
        Detected {
            code: "und-Latn",
            script: "a Latin-script language other than English",
        }
    }
}

/// Whether Latin-script text reads as English: at least one word in twenty
/// is an English function word. Short texts (headlines, lists of names) are
/// given the benefit of the doubt.
fn latin_is_english(sample: &str) -> bool {
    let mut words = 0usize;
    let mut hits = 0usize;
    for w in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        let lower = w.to_lowercase();
        if ENGLISH.contains(&lower.as_str()) {
            hits += 1;
        }
    }
    words < 40 || hits * 20 >= words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_news_is_english() {
        let text = "The Iranian foreign minister said on Monday that talks with the European \
                    Union would resume in Vienna next week, according to state media.";
        assert_eq!(detect(text).code, "en");
        assert!(detect(text).warning().is_none());
    }

    #[test]
    fn non_latin_scripts_are_labelled_by_script() {
        assert_eq!(detect("وزير الخارجية الإيراني يلتقي نظيره").code, "und-Arab");
        assert_eq!(
            detect("Министр иностранных дел России заявил").code,
            "und-Cyrl"
        );
        assert_eq!(detect("Ο υπουργός Εξωτερικών δήλωσε").code, "el");
        assert_eq!(detect("外務大臣は月曜日に会談した").code, "ja");
        assert_eq!(detect("外交部长周一表示").code, "zh");
        let w = detect("Министр иностранных дел").warning().unwrap();
        assert!(w.contains("Cyrillic") && w.contains("English only"), "{w}");
    }

    #[test]
    fn latin_script_other_than_english_is_not_labelled_english() {
        let french = "Le ministre des affaires étrangères a déclaré lundi que les négociations \
                      avec l'Union européenne reprendraient à Vienne la semaine prochaine, selon \
                      les médias d'État. Il a ajouté que la délégation iranienne serait conduite \
                      par son adjoint et que les discussions porteraient sur les sanctions.";
        assert_eq!(detect(french).code, "und-Latn");
    }
}
