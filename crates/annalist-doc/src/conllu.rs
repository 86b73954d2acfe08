//! CoNLL-U reading and writing (UD treebanks), from and to strings.
//!
//! Multi-word token lines (`1-2`) and empty nodes (`1.1`) are kept aside:
//! the syntactic words are what taggers and parsers train on, and the
//! multi-word ranges are written back unchanged.

/// One syntactic word of a CoNLL-U sentence (the ten columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 0 for the root, else the 1-based index of the head word.
    pub head: usize,
    pub deprel: String,
    pub deps: String,
    pub misc: String,
}

impl Word {
    /// Whether the MISC column says `SpaceAfter=No`.
    pub fn no_space_after(&self) -> bool {
        self.misc.split('|').any(|f| f == "SpaceAfter=No")
    }
}

/// A multi-word token line such as `1-2 don't` (tab-separated), kept for round trips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiWord {
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    /// Comment lines without the leading `# `, in order (`sent_id = ...`, `text = ...`).
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub multiwords: Vec<MultiWord>,
}

impl Sentence {
    /// The value of a `# key = value` comment.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|c| {
            let (k, v) = c.split_once('=')?;
            (k.trim() == key).then(|| v.trim())
        })
    }

    /// The sentence text: the `# text` comment, else rebuilt from forms.
    pub fn text(&self) -> String {
        if let Some(t) = self.comment("text") {
            return t.to_string();
        }
        let mut s = String::new();
        for (i, w) in self.words.iter().enumerate() {
            s.push_str(&w.form);
            if i + 1 < self.words.len() && !w.no_space_after() {
                s.push(' ');
            }
        }
        s
    }
}

/// A CoNLL-U syntax error: the 1-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ConlluError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ConlluError {}

/// Parses a whole CoNLL-U file.
pub fn parse(input: &str) -> Result<Vec<Sentence>, ConlluError> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    for (n, line) in input.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let err = |message: String| ConlluError {
            line: n + 1,
            message,
        };
        if line.trim().is_empty() {
            if !cur.words.is_empty() || !cur.comments.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            cur.comments.push(c.trim_start().to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(format!(
                "expected 10 tab-separated columns, found {}",
                cols.len()
            )));
        }
        let id = cols[0];
        if id.contains('.') {
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let first = a.parse().map_err(|_| err(format!("bad range id `{id}`")))?;
            let last = b.parse().map_err(|_| err(format!("bad range id `{id}`")))?;
            cur.multiwords.push(MultiWord {
                first,
                last,
                form: cols[1].to_string(),
                misc: cols[9].to_string(),
            });
            continue;
        }
        let idx: usize = id.parse().map_err(|_| err(format!("bad word id `{id}`")))?;
        if idx != cur.words.len() + 1 {
            return Err(err(format!("word id {idx} out of sequence")));
        }
        let head = match cols[6] {
            "_" => 0,
            h => h.parse().map_err(|_| err(format!("bad head `{h}`")))?,
        };
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            deps: cols[8].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Writes sentences as CoNLL-U (comments, multi-word ranges and words).
pub fn write(sentences: &[Sentence]) -> String {
    let mut s = String::new();
    for sent in sentences {
        for c in &sent.comments {
            s.push_str("# ");
            s.push_str(c);
            s.push('\n');
        }
        for (i, w) in sent.words.iter().enumerate() {
            for mw in sent.multiwords.iter().filter(|m| m.first == i + 1) {
                s.push_str(&format!(
                    "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}\n",
                    mw.first, mw.last, mw.form, mw.misc
                ));
            }
            let f = |x: &str| {
                if x.is_empty() {
                    "_".to_string()
                } else {
                    x.to_string()
                }
            };
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                i + 1,
                f(&w.form),
                f(&w.lemma),
                f(&w.upos),
                f(&w.xpos),
                f(&w.feats),
                w.head,
                f(&w.deprel),
                f(&w.deps),
                f(&w.misc)
            ));
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = 1\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn parse_and_write_round_trip() {
        let s = parse(SAMPLE).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].words.len(), 5);
        assert_eq!(s[0].comment("text"), Some("I don't know."));
        assert_eq!(s[0].words[3].head, 0);
        assert_eq!(write(&s), SAMPLE);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("1\tI\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
