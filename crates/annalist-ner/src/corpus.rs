//! Readers for the NER training and evaluation formats, from text.
//!
//! Every reader returns [`RawSentence`]s: tokens and spans with the corpus'
//! own label strings. Harmonising labels to our types is a separate step
//! ([`harmonise`]), so that each corpus' label map is written in one place.

use crate::train::TrainSentence;
use annalist_doc::EntityType;

/// A sentence with spans labelled in the corpus' own label set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawSentence {
    pub words: Vec<String>,
    /// Token ranges (end exclusive) with the corpus label.
    pub spans: Vec<(usize, usize, String)>,
    /// The 1-based line of the sentence's first token (for messages).
    pub line: usize,
    /// The document the sentence belongs to (counts `# newdoc` comments).
    pub doc: usize,
}

/// Reads column files with BIO/IOB tags: Universal NER `.iob2` (index, word,
/// tag, ...; `#` comment lines), CoNLL-style `word tag` (space or tab), and
/// IOB1 files such as wikigold (an `I-` after `O` starts an entity).
/// `-DOCSTART-` lines are skipped. Malformed lines are skipped, not fatal:
/// returns the sentences and the 1-based numbers of the skipped lines.
pub fn read_iob(text: &str) -> (Vec<RawSentence>, Vec<usize>) {
    let mut out = Vec::new();
    let mut bad = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut first_line = 0;
    let mut doc = 0;
    let flush = |words: &mut Vec<String>,
                 tags: &mut Vec<String>,
                 line: usize,
                 doc: usize,
                 out: &mut Vec<RawSentence>| {
        if !words.is_empty() {
            out.push(RawSentence {
                words: std::mem::take(words),
                spans: bio_spans(tags),
                line,
                doc,
            });
        }
        tags.clear();
    };
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut words, &mut tags, first_line, doc, &mut out);
            continue;
        }
        // Comments are `# key = value`; a bare `#` token line is data.
        if line.starts_with("# ") && line.contains(" = ") {
            if line.starts_with("# newdoc") {
                flush(&mut words, &mut tags, first_line, doc, &mut out);
                doc += 1;
            }
            continue;
        }
        let fields: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        if fields.first() == Some(&"-DOCSTART-") {
            flush(&mut words, &mut tags, first_line, doc, &mut out);
            doc += 1;
            continue;
        }
        let numbered = fields.len() >= 3 && fields[0].chars().all(|c| c.is_ascii_digit());
        let (word, tag) = if numbered {
            (fields[1], fields[2])
        } else if fields.len() >= 2 {
            (fields[0], fields[fields.len() - 1])
        } else {
            bad.push(ln + 1);
            continue;
        };
        if words.is_empty() {
            first_line = ln + 1;
        }
        words.push(word.to_string());
        tags.push(tag.to_string());
    }
    flush(&mut words, &mut tags, first_line, doc, &mut out);
    (out, bad)
}

/// Spans from BIO or IOB1 tags (both read the same way: `B-` always starts
/// an entity, `I-` starts one unless it continues the same type).
pub fn bio_spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, label) = match t.split_once('-') {
            Some((p @ ("B" | "I" | "E" | "S" | "L" | "U"), l)) => (p, l),
            _ => ("O", ""),
        };
        match p {
            "B" | "S" | "U" => {
                if let Some((s, l)) = open.take() {
                    out.push((s, i, l.to_string()));
                }
                open = Some((i, label));
            }
            "I" | "E" | "L" => match open {
                Some((_, l)) if l == label => {}
                _ => {
                    if let Some((s, l)) = open.take() {
                        out.push((s, i, l.to_string()));
                    }
                    open = Some((i, label));
                }
            },
            _ => {
                if let Some((s, l)) = open.take() {
                    out.push((s, i, l.to_string()));
                }
            }
        }
        if matches!(p, "S" | "U" | "E" | "L") {
            if let Some((s, l)) = open.take() {
                out.push((s, i + 1, l.to_string()));
            }
        }
    }
    if let Some((s, l)) = open {
        out.push((s, tags.len(), l.to_string()));
    }
    out
}

/// Writes spans back as IOB2 tags for `n` tokens, PER/ORG/LOC only (the
/// Universal NER label set; other types are written as `O`).
pub fn to_iob2(n: usize, spans: &[(usize, usize, EntityType)]) -> Vec<&'static str> {
    let mut out = vec!["O"; n];
    for &(a, b, ty) in spans {
        let (bt, it) = match ty {
            EntityType::Per => ("B-PER", "I-PER"),
            EntityType::Org => ("B-ORG", "I-ORG"),
            EntityType::Loc => ("B-LOC", "I-LOC"),
            _ => continue,
        };
        if a >= b || b > n {
            continue;
        }
        out[a] = bt;
        for o in &mut out[a + 1..b] {
            *o = it;
        }
    }
    out
}

/// Reads GUM's CoNLL-U with `Entity=` annotations in MISC and keeps the
/// proper-name mentions of people, organisations and places: spans whose
/// tokens (after a leading determiner) start and end with a proper noun and
/// hold only proper nouns, numbers and the glue of names ("of", "and", "the",
/// "&", "-", "'s"). Nested names inside a kept name are dropped (the
/// "Chicago" in "University of Chicago"); labels are GUM's (`person`,
/// `organization`, `place`).
pub fn read_gum_conllu(text: &str) -> Vec<RawSentence> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut upos: Vec<String> = Vec::new();
    let mut mentions: Vec<(usize, usize, String)> = Vec::new();
    // Open mentions: (entity id, start token, type).
    let mut open: Vec<(String, usize, String)> = Vec::new();
    let mut first_line = 0;
    let mut finish = |words: &mut Vec<String>,
                      upos: &mut Vec<String>,
                      mentions: &mut Vec<(usize, usize, String)>,
                      open: &mut Vec<(String, usize, String)>,
                      line: usize| {
        if !words.is_empty() {
            let spans = gum_names(words, upos, mentions);
            out.push(RawSentence {
                words: std::mem::take(words),
                spans,
                line,
                doc: 0,
            });
        }
        upos.clear();
        mentions.clear();
        open.clear();
    };
    for (ln, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            finish(&mut words, &mut upos, &mut mentions, &mut open, first_line);
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 10 || f[0].contains('-') || f[0].contains('.') {
            continue;
        }
        if words.is_empty() {
            first_line = ln + 1;
        }
        let i = words.len();
        words.push(f[1].to_string());
        upos.push(f[3].to_string());
        let Some(ent) = f[9].split('|').find_map(|m| m.strip_prefix("Entity=")) else {
            continue;
        };
        let b = ent.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if b[k] == b'(' {
                let s = k + 1;
                let mut e = s;
                while e < b.len() && b[e] != b'(' && b[e] != b')' {
                    e += 1;
                }
                let body = &ent[s..e];
                let mut parts = body.split('-');
                let id = parts.next().unwrap_or("").to_string();
                let ty = parts.next().unwrap_or("").to_string();
                if e < b.len() && b[e] == b')' {
                    mentions.push((i, i + 1, ty));
                    k = e + 1;
                } else {
                    open.push((id, i, ty));
                    k = e;
                }
            } else if b[k].is_ascii_digit() {
                let s = k;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                let id = &ent[s..k];
                if k < b.len() && b[k] == b')' {
                    k += 1;
                }
                if let Some(p) = open.iter().rposition(|(oid, _, _)| oid == id) {
                    let (_, st, ty) = open.remove(p);
                    mentions.push((st, i + 1, ty));
                }
            } else {
                k += 1;
            }
        }
    }
    finish(&mut words, &mut upos, &mut mentions, &mut open, first_line);
    out
}

fn gum_names(
    words: &[String],
    upos: &[String],
    mentions: &[(usize, usize, String)],
) -> Vec<(usize, usize, String)> {
    let glue = |w: &str| {
        matches!(
            w.to_lowercase().as_str(),
            "of" | "and" | "the" | "&" | "-" | "'s" | "de" | "for"
        )
    };
    let mut names: Vec<(usize, usize, String)> = Vec::new();
    for (s, e, ty) in mentions {
        if !matches!(ty.as_str(), "person" | "organization" | "place") {
            continue;
        }
        // GUM mentions are whole noun phrases ("the younger John Edleston",
        // "Mary Chaworth, whom he met at school"): the name is the run of
        // proper nouns that starts among the first words of the phrase.
        let mut s = *s;
        while s < *e && upos[s] != "PROPN" {
            if !matches!(upos[s].as_str(), "DET" | "ADJ" | "NUM") {
                break;
            }
            s += 1;
        }
        if s >= *e || upos[s] != "PROPN" {
            continue;
        }
        let mut end = s + 1;
        loop {
            if end < *e && (upos[end] == "PROPN" || upos[end] == "NUM") {
                end += 1;
                continue;
            }
            // Glue joins two proper nouns ("Bank of England").
            if end + 1 < *e && glue(&words[end]) && upos[end + 1] == "PROPN" {
                end += 2;
                continue;
            }
            break;
        }
        if end - s <= 10 {
            names.push((s, end, ty.clone()));
        }
    }
    // Outermost first; drop anything overlapping a kept name.
    names.sort_by_key(|(s, e, _)| (*s, std::cmp::Reverse(*e)));
    let mut kept: Vec<(usize, usize, String)> = Vec::new();
    for n in names {
        if kept.iter().all(|k| n.1 <= k.0 || n.0 >= k.1) {
            kept.push(n);
        }
    }
    kept.sort_by_key(|k| k.0);
    kept
}

/// Splits raw text into tokens (char ranges) the way UD English does, near
/// enough for training: words, punctuation apart, "'s" and "n't" apart, and
/// a final period apart unless the word is an abbreviation ("U.S.").
fn rough_tokens(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !chars[i].is_whitespace() {
            i += 1;
        }
        // Peel punctuation off both ends of the whitespace-separated piece.
        let mut a = start;
        let mut b = i;
        let mut tail = Vec::new();
        while a < b && !chars[a].is_alphanumeric() {
            out.push((a, a + 1));
            a += 1;
        }
        while b > a && !chars[b - 1].is_alphanumeric() {
            let inner_dot = chars[a..b - 1].contains(&'.');
            if chars[b - 1] == '.' && (inner_dot || b - 1 - a == 1) {
                break;
            }
            tail.push((b - 1, b));
            b -= 1;
        }
        if a < b {
            let w: String = chars[a..b].iter().collect();
            let lower = w.to_lowercase();
            if b - a > 2 && (lower.ends_with("'s") || lower.ends_with("’s")) {
                out.push((a, b - 2));
                out.push((b - 2, b));
            } else {
                out.push((a, b));
            }
        }
        out.extend(tail.into_iter().rev());
    }
    out
}

/// Reads one re3d dataset (its `documents.json` and `entities.json`, one
/// JSON object per line, character offsets) into sentences. Nested and
/// overlapping entities keep the longest; spans that do not fall on our
/// token boundaries are dropped. Labels are re3d's (`Person`, ...).
pub fn read_re3d(documents: &str, entities: &str) -> Vec<RawSentence> {
    use std::collections::HashMap;
    let mut by_doc: HashMap<String, Vec<(usize, usize, String)>> = HashMap::new();
    for line in entities.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line.trim()) else {
            continue;
        };
        let (Some(d), Some(b), Some(e), Some(t)) = (
            v["documentId"].as_str(),
            v["begin"].as_u64(),
            v["end"].as_u64(),
            v["type"].as_str(),
        ) else {
            continue;
        };
        by_doc
            .entry(d.to_string())
            .or_default()
            .push((b as usize, e as usize, t.to_string()));
    }
    let mut out = Vec::new();
    for (k, line) in documents.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line.trim()) else {
            continue;
        };
        let (Some(id), Some(text)) = (v["_id"].as_str(), v["text"].as_str()) else {
            continue;
        };
        let chars: Vec<char> = text.chars().collect();
        let toks = rough_tokens(&chars);
        let mut ents = by_doc.remove(id).unwrap_or_default();
        ents.sort_by_key(|(b, e, _)| (*b, std::cmp::Reverse(*e)));
        // Sentence breaks: after . ! ? before a capital, and at newlines.
        let mut sent_start = 0;
        let mut sentences = Vec::new();
        for i in 0..toks.len() {
            let last = i + 1 == toks.len();
            let end_punct =
                matches!(chars[toks[i].0], '.' | '!' | '?') && toks[i].1 - toks[i].0 == 1;
            let next_cap = !last && chars[toks[i + 1].0].is_uppercase();
            let newline = !last && chars[toks[i].1..toks[i + 1].0].contains(&'\n');
            if last || (end_punct && next_cap) || newline {
                sentences.push(sent_start..i + 1);
                sent_start = i + 1;
            }
        }
        for r in sentences {
            let words: Vec<String> = toks[r.clone()]
                .iter()
                .map(|(a, b)| chars[*a..*b].iter().collect())
                .collect();
            let mut spans: Vec<(usize, usize, String)> = Vec::new();
            for (b, e, t) in &ents {
                let first = toks[r.clone()].iter().position(|(a, _)| a == b);
                let last = toks[r.clone()].iter().position(|(_, z)| z == e);
                if let (Some(f), Some(l)) = (first, last) {
                    if f <= l && spans.iter().all(|(x, y, _)| l < *x || f >= *y) {
                        spans.push((f, l + 1, t.clone()));
                    }
                }
            }
            spans.sort_by_key(|s| s.0);
            out.push(RawSentence {
                words,
                spans,
                line: k + 1,
                doc: k,
            });
        }
    }
    out
}

/// re3d: people, organisations and locations when written as proper names
/// (capitalised), weapons and military platforms as products when named
/// ("Ababil 2", "F-16"). Nationalities are left to the demonym rule, as the
/// other corpora do not mark them.
pub fn map_re3d_span(words: &[String], label: &str) -> Option<EntityType> {
    let named = |w: &String| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
            || matches!(
                w.as_str(),
                "of" | "and" | "the" | "for" | "-" | "&" | "'s" | "al" | "de"
            )
    };
    let start = words
        .iter()
        .take_while(|w| w.eq_ignore_ascii_case("the"))
        .count();
    let words = &words[start..];
    let proper = words
        .first()
        .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words.iter().all(named);
    let ty = match label {
        "Person" => EntityType::Per,
        "Organisation" => EntityType::Org,
        "Location" => EntityType::Loc,
        "Weapon" | "MilitaryPlatform" => EntityType::Product,
        _ => return None,
    };
    proper.then_some(ty)
}

/// Maps a corpus label to our type, `None` for labels we do not learn.
pub type LabelMap = fn(&str) -> Option<EntityType>;

/// Universal NER, wikigold (PER/ORG/LOC; MISC handled by the caller) and
/// GUM's entity types.
pub fn map_common(label: &str) -> Option<EntityType> {
    match label {
        "PER" | "person" | "Person" => Some(EntityType::Per),
        "ORG" | "organization" | "Organisation" => Some(EntityType::Org),
        "LOC" | "place" | "Location" => Some(EntityType::Loc),
        _ => None,
    }
}

/// CrossNER politics: politicians and people are PER, parties and
/// organisations ORG, countries and locations LOC; elections, events and
/// misc are not names of our types.
pub fn map_crossner(label: &str) -> Option<EntityType> {
    match label {
        "person" | "politician" => Some(EntityType::Per),
        "organisation" | "politicalparty" => Some(EntityType::Org),
        "country" | "location" => Some(EntityType::Loc),
        _ => None,
    }
}

/// Harmonises a raw sentence: maps labels (dropping unmapped ones, whose
/// tokens become O) and follows the Universal NER convention of no leading
/// "the" inside a span.
pub fn harmonise(s: &RawSentence, map: impl Fn(&str) -> Option<EntityType>) -> TrainSentence {
    harmonise_with(s, |_, l| map(l))
}

/// [`harmonise`] with a label map that also sees the span's words.
pub fn harmonise_with(
    s: &RawSentence,
    map: impl Fn(&[String], &str) -> Option<EntityType>,
) -> TrainSentence {
    let mut spans = Vec::new();
    for (a, b, l) in &s.spans {
        let Some(ty) = s.words.get(*a..*b).and_then(|w| map(w, l)) else {
            continue;
        };
        let mut a = *a;
        while a < *b && s.words[a].eq_ignore_ascii_case("the") {
            a += 1;
        }
        // Titles stay outside person spans ("Mr. Smith" → "Smith"), as in
        // Universal NER; GUM marks them as part of the name.
        while ty == EntityType::Per && a + 1 < *b && crate::gazetteer::is_name_title(&s.words[a]) {
            a += 1;
        }
        if a < *b && *b <= s.words.len() {
            spans.push((a, *b, ty));
        }
    }
    TrainSentence {
        words: s.words.clone(),
        spans,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_uner_and_iob1() {
        let uner = "# sent_id = x\n# text = Ann went to Rome\n1\tAnn\tB-PER\t-\t-\n2\twent\tO\t-\t-\n3\tto\tO\t-\t-\n4\tRome\tB-LOC\t-\t-\n\n";
        let (s, bad) = read_iob(uner);
        assert!(bad.is_empty());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words, ["Ann", "went", "to", "Rome"]);
        assert_eq!(s[0].spans, vec![(0, 1, "PER".into()), (3, 4, "LOC".into())]);

        let iob1 = "-DOCSTART- O\n\nThe I-ORG\nRed I-ORG\nBand I-ORG\nplayed O\nin O\nNew I-LOC\nYork I-LOC\n";
        let (s, _) = read_iob(iob1);
        assert_eq!(s[0].spans, vec![(0, 3, "ORG".into()), (5, 7, "LOC".into())]);
        let h = harmonise(&s[0], map_common);
        assert_eq!(
            h.spans,
            vec![(1, 3, EntityType::Org), (5, 7, EntityType::Loc)]
        );
    }

    #[test]
    fn gum_keeps_outer_proper_names_only() {
        let rows = [
            (
                "1",
                "the",
                "DET",
                "Entity=(1-organization-new-x-cf1-2-coref",
            ),
            ("2", "University", "PROPN", "_"),
            ("3", "of", "ADP", "_"),
            ("4", "Lund", "PROPN", "Entity=(2-place-new-x-cf2-1-sgl)1)"),
            ("5", "hired", "VERB", "_"),
            ("6", "a", "DET", "Entity=(3-person-new-x-cf3-2-sgl"),
            ("7", "teacher", "NOUN", "Entity=3)"),
        ];
        let mut text = String::new();
        for (i, w, u, m) in rows {
            text.push_str(&format!("{i}\t{w}\t_\t{u}\t_\t_\t0\t_\t_\t{m}\n"));
        }
        let s = read_gum_conllu(&text);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].spans, vec![(1, 4, "organization".into())]);
    }

    #[test]
    fn re3d_offsets_become_token_spans() {
        let docs = r#"{ "_id" : "d1", "text" : "The Harbour Guard seized a Kestrel 4 drone near Port Alba. Two officials said so." }"#;
        let ents = concat!(
            r#"{ "documentId" : "d1", "begin" : 0, "end" : 17, "type" : "Organisation" }"#,
            "\n",
            r#"{ "documentId" : "d1", "begin" : 27, "end" : 36, "type" : "Weapon" }"#,
            "\n",
            r#"{ "documentId" : "d1", "begin" : 48, "end" : 57, "type" : "Location" }"#,
            "\n",
            r#"{ "documentId" : "d1", "begin" : 63, "end" : 72, "type" : "Organisation" }"#,
        );
        let s = read_re3d(docs, ents);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].words.last().map(String::as_str), Some("."));
        let h = harmonise_with(&s[0], map_re3d_span);
        assert_eq!(
            h.spans,
            vec![
                (1, 3, EntityType::Org),
                (5, 7, EntityType::Product),
                (9, 11, EntityType::Loc)
            ]
        );
        // "officials" is a common noun phrase, not a name.
        assert!(harmonise_with(&s[1], map_re3d_span).spans.is_empty());
    }

    #[test]
    fn iob2_output_drops_other_types() {
        let tags = to_iob2(4, &[(0, 2, EntityType::Per), (3, 4, EntityType::Norp)]);
        assert_eq!(tags, ["B-PER", "I-PER", "O", "O"]);
    }
}
