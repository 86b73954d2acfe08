//! Name normalisation shared by the compiler and the lookups.
//!
//! Every lookup key goes through [`key`], so that "Côte d'Ivoire", "COTE D'IVOIRE" and
//! "Cote dIvoire" meet at the same key. Keeping this in one place is what makes the
//! compiled index and the runtime query agree.

/// Folds one character to its unaccented lowercase ASCII form where one exists.
///
/// The table covers Latin-1 and Latin Extended-A, which is where the accents of the
/// place and person names in English news come from; other characters are lowercased.
fn fold(c: char, out: &mut String) {
    let s: &str = match c {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'Ā' | 'ā' | 'Ă'
        | 'ă' | 'Ą' | 'ą' | 'ǎ' | 'Ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' | 'ậ' | 'ắ' | 'ằ' | 'ặ' => {
            "a"
        }
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' | 'Č' | 'č' => "c",
        'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' | 'ḍ' | 'Ḍ' => "d",
        'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' | 'Ē' | 'ē' | 'Ĕ' | 'ĕ' | 'Ė' | 'ė' | 'Ę'
        | 'ę' | 'Ě' | 'ě' | 'ẹ' | 'ẻ' | 'ẽ' | 'ế' | 'ề' | 'ể' | 'ễ' | 'ệ' | 'ə' | 'Ə' => {
            "e"
        }
        'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ġ' | 'ġ' | 'Ģ' | 'ģ' | 'ǧ' => "g",
        'Ĥ' | 'ĥ' | 'Ħ' | 'ħ' | 'ḥ' | 'Ḥ' | 'ḩ' => "h",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' | 'Ĩ' | 'ĩ' | 'Ī' | 'ī' | 'Ĭ' | 'ĭ' | 'Į'
        | 'į' | 'İ' | 'ı' | 'ǐ' | 'ị' | 'ỉ' => "i",
        'Ĵ' | 'ĵ' => "j",
        'Ķ' | 'ķ' => "k",
        'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' | 'Ŀ' | 'ŀ' | 'Ł' | 'ł' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' => "n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ō' | 'ō' | 'Ŏ'
        | 'ŏ' | 'Ő' | 'ő' | 'ǒ' | 'ơ' | 'Ơ' | 'ọ' | 'ỏ' | 'ố' | 'ồ' | 'ổ' | 'ỗ' | 'ộ' | 'ớ'
        | 'ờ' | 'ợ' => "o",
        'Œ' | 'œ' => "oe",
        'Ŕ' | 'ŕ' | 'Ŗ' | 'ŗ' | 'Ř' | 'ř' => "r",
        'Ś' | 'ś' | 'Ŝ' | 'ŝ' | 'Ş' | 'ş' | 'Š' | 'š' | 'Ș' | 'ș' | 'ṣ' | 'Ṣ' => "s",
        'ß' => "ss",
        'Ţ' | 'ţ' | 'Ť' | 'ť' | 'Ŧ' | 'ŧ' | 'Ț' | 'ț' | 'ṭ' | 'Ṭ' => "t",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'ù' | 'ú' | 'û' | 'ü' | 'Ũ' | 'ũ' | 'Ū' | 'ū' | 'Ŭ' | 'ŭ' | 'Ů'
        | 'ů' | 'Ű' | 'ű' | 'Ų' | 'ų' | 'ư' | 'Ư' | 'ǔ' | 'ụ' | 'ủ' | 'ứ' | 'ừ' | 'ử' | 'ữ'
        | 'ự' => "u",
        'Ŵ' | 'ŵ' => "w",
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' | 'ỳ' | 'ỹ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' | 'ẓ' => "z",
        'Þ' | 'þ' => "th",
        _ => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push_str(s);
}

/// The lookup key of a name: lowercase, accents folded, apostrophes and dots dropped
/// ("U.S." → "us", "Côte d'Ivoire" → "cote divoire"), other punctuation and runs of
/// whitespace turned into single spaces, and a leading "the " dropped.
pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true;
    for c in name.chars() {
        match c {
            '\'' | '’' | '‘' | '`' | '.' | 'ʻ' | 'ʼ' | 'ʿ' | 'ʾ' => {}
            c if c.is_alphanumeric() => {
                fold(c, &mut out);
                space = false;
            }
            _ => {
                if !space {
                    out.push(' ');
                    space = true;
                }
            }
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    if let Some(rest) = out.strip_prefix("the ") {
        return rest.to_string();
    }
    out
}

/// Drops a possessive ending ("Iran's" → "Iran", "Tehran’s" → "Tehran").
pub fn strip_possessive(name: &str) -> &str {
    let t = name.trim_end();
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(s) = t.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    t
}

/// Whether a name is written without lowercase letters ("US", "U.S.", "DRC"), which is
/// how short codes and acronyms appear; short keys only match such spellings, so that
/// the pronoun "us" never becomes the United States.
pub fn is_upper(name: &str) -> bool {
    name.chars().any(|c| c.is_alphabetic()) && !name.chars().any(|c| c.is_lowercase())
}

/// Whether a name is in Latin script (letters from the Latin blocks, digits, spaces and
/// punctuation only). The gazetteer keeps only such names, since English news writes
/// place names in Latin script.
pub fn is_latin(name: &str) -> bool {
    name.chars().all(|c| {
        !c.is_alphabetic()
            || c.is_ascii_alphabetic()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    })
}

/// Title-cases a word written in capitals ("RAHMON" → "Rahmon", "AL-SISI" → "Al-Sisi"),
/// for names from sources that capitalise surnames.
pub fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    // Letters since the last word start: an apostrophe after one letter starts a new
    // part ("O'Brien", "D'Alema"), after more it does not ("Ma'mun").
    let mut run = 0;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        if c.is_alphabetic() {
            run += 1;
            start = false;
        } else {
            start = !matches!(c, '\'' | '’') || run == 1;
            run = 0;
        }
    }
    out
}

/// FNV-1a 64-bit hash, used to record which source bytes a compiled file came from.
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_accents_and_punctuation() {
        assert_eq!(key("Côte d'Ivoire"), "cote divoire");
        assert_eq!(key("U.S."), "us");
        assert_eq!(key("  The  Gambia "), "gambia");
        assert_eq!(key("Mazar-i-Sharif"), "mazar i sharif");
        assert_eq!(key("São Tomé"), "sao tome");
        assert_eq!(key("İstanbul"), "istanbul");
    }

    #[test]
    fn scripts_and_case() {
        assert!(is_latin("Dušanbe"));
        assert!(!is_latin("Душанбе"));
        assert!(is_upper("U.S."));
        assert!(!is_upper("us"));
        assert_eq!(title_case("AL-SISI"), "Al-Sisi");
        assert_eq!(title_case("O'BRIEN"), "O'Brien");
    }
}
