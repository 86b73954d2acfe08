//! The PETRARCH-compatible coder on small dictionaries and sentences of our
//! own, with hand-written parses so that the results do not move when the
//! parser model is retrained.

use annalist_doc::{DepRel, Doc, Sentence, Upos, Xpos, ROOT};
use annalist_petrarch::{
    parse_record_date, ActorDict, AgentDict, Discards, Outcome, PetrarchCoder, VerbDict,
};

const VERBS: &str = "\
<!-- a verb dictionary for the tests -->
&TIEKIND
+TRADE
+CULTURAL

--- RENEW [---] ---
RENEW
- * &TIEKIND_TIES [064]  # only right before TIES
- * TIES [065]

--- MEET [040:040] ---
MEET {MET}
- % * [043]

--- CONDEMN [122] ---
CONDEMN
DENOUNCE [121]

--- ARREST [173] ---
ARREST
+ROUND_UP {+ROUNDED_UP}

--- WARN [130] ---
WARN
- * ^ ABOUT + [131]
";

const ACTORS: &str = "\
RURITANIA_ [RUR]
+RURITANIAN
+STRELSAU
GRAUSTARK [GRK]
KING_RUDOLF
\t[RURGOV 19800101-19991231]
\t[RURELI > 20000101]
OLD_ARMY [RURMIL]
BORDER_LANDS [BRD/RUR]
";

const AGENTS: &str = "\
MINISTER [~GOV]
POLICE {} [~COP]
STUDENT [~EDU]
CHARITY {CHARITIES} [NGO~]
";

const DISCARDS: &str = "+FOOTBALL_LEAGUE\nCHESS\n";

fn coder() -> PetrarchCoder {
    PetrarchCoder::new(
        VerbDict::parse(VERBS),
        ActorDict::parse(ACTORS),
        &AgentDict::parse(AGENTS),
        Discards::parse(DISCARDS),
    )
}

/// A one-sentence doc from rows `ID FORM UPOS XPOS HEAD DEPREL` (HEAD 0 is
/// the root), words joined by single spaces.
fn doc(rows: &str) -> Doc {
    let rows: Vec<Vec<&str>> = rows
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|r| r.len() == 6)
        .collect();
    let text = rows.iter().map(|r| r[1]).collect::<Vec<_>>().join(" ");
    let mut d = Doc::new("t", text);
    let mut at = 0;
    for r in &rows {
        let end = at + r[1].len();
        d.tokens.push(at, end, true);
        at = end + 1;
        d.tokens.upos.push(Upos::parse(r[2]).unwrap());
        d.tokens.xpos.push(Xpos::parse(r[3]).unwrap());
        d.tokens.lemma.push(r[1].to_lowercase());
        let h: u32 = r[4].parse().unwrap();
        d.tokens.head.push(if h == 0 { ROOT } else { h - 1 });
        d.tokens.deprel.push(DepRel::parse(r[5]).unwrap());
    }
    d.sentences.push(Sentence {
        start: 0,
        end: rows.len() as u32,
    });
    d
}

fn code(rows: &str, date: &str) -> Outcome {
    coder().code_doc(&doc(rows), parse_record_date(date))
}

const RENEW_TRADE: &str = "
1 Ruritania PROPN NNP 3 nsubj
2 will AUX MD 3 aux
3 renew VERB VB 0 root
4 trade NOUN NN 5 compound
5 ties NOUN NNS 3 obj
6 with ADP IN 7 case
7 Graustark PROPN NNP 5 nmod
8 . PUNCT . 3 punct";

#[test]
fn synset_pattern_codes_the_dyad() {
    insta::assert_json_snapshot!(code(RENEW_TRADE, "20200101"));
}

#[test]
fn adjacency_is_required_by_underscores() {
    // "trade" is not right before "ties": the looser pattern applies.
    let rows = "
1 Ruritania PROPN NNP 3 nsubj
2 will AUX MD 3 aux
3 renew VERB VB 0 root
4 trade NOUN NN 6 compound
5 friendly ADJ JJ 6 amod
6 ties NOUN NNS 3 obj
7 with ADP IN 8 case
8 Graustark PROPN NNP 6 nmod";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn passive_by_phrase_is_the_source() {
    let rows = "
1 Graustark PROPN NNP 3 nsubj:pass
2 was AUX VBD 3 aux:pass
3 denounced VERB VBN 0 root
4 by ADP IN 6 case
5 Ruritanian ADJ JJ 6 amod
6 police NOUN NNS 3 obl:agent";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn compound_subject_meets_pairwise() {
    let rows = "
1 Ruritania PROPN NNP 4 nsubj
2 and CCONJ CC 3 cc
3 Graustark PROPN NNP 1 conj
4 met VERB VBD 0 root
5 . PUNCT . 4 punct";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn agents_and_multi_word_verbs() {
    let rows = "
1 Strelsau PROPN NNP 2 compound
2 police NOUN NNS 3 nsubj
3 rounded VERB VBD 0 root
4 up ADP RP 3 compound:prt
5 Graustark PROPN NNP 6 compound
6 students NOUN NNS 3 obj";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn skip_and_target_slots() {
    let rows = "
1 Ruritania PROPN NNP 2 nsubj
2 warned VERB VBD 0 root
3 everyone PRON NN 2 obj
4 about ADP IN 7 case
5 the DET DT 7 det
6 old ADJ JJ 7 amod
7 Graustark PROPN NNP 2 obl";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn prefix_agents_and_split_codes() {
    let rows = "
1 Ruritanian ADJ JJ 2 amod
2 charities NOUN NNS 3 nsubj
3 condemned VERB VBD 0 root
4 the DET DT 6 det
5 border NOUN NN 6 compound
6 lands NOUN NNS 3 obj";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

const KING: &str = "
1 King PROPN NNP 2 compound
2 Rudolf PROPN NNP 3 nsubj
3 condemned VERB VBD 0 root
4 Graustark PROPN NNP 3 obj";

#[test]
fn date_restrictions_follow_the_record_date() {
    let in_office = code(KING, "19950601");
    let retired = code(KING, "20050601");
    insta::assert_json_snapshot!((in_office, retired));
}

#[test]
fn discards_stop_coding() {
    let rows = "
1 Ruritania PROPN NNP 2 nsubj
2 condemned VERB VBD 0 root
3 Graustark PROPN NNP 5 compound
4 chess NOUN NN 5 compound
5 players NOUN NNS 2 obj";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn no_parse_falls_back_on_word_order() {
    let mut d = doc(RENEW_TRADE);
    d.tokens.head.clear();
    d.tokens.deprel.clear();
    let out = coder().code_doc(&d, None);
    insta::assert_json_snapshot!(out);
}

#[test]
fn issue6_petrarch_date_restrictions_written_with_blanks() {
    // PETRARCH's validation files write `[HOB < 950601]` and
    // `[HOBGOV 19950601 - 19990815]`; the blanks used to drop the restriction.
    let d = ActorDict::parse("SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    let e = d.lookup("smeagol").unwrap();
    assert_eq!(e.code_on(Some((1995, 1, 1))), Some("HOB"));
    assert_eq!(e.code_on(Some((1996, 1, 1))), Some("HOBGOV"));
}

#[test]
fn issue6_petrarch_verb_reader_reports_bad_lines() {
    let d =
        VerbDict::parse("- * X [1]\n--- A [010] ---\nA\n- no verb here [011]\n- * &NOPE [012]\n");
    let lines: Vec<usize> = d.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [1, 4, 5]);
    assert_eq!(d.groups[0].patterns.len(), 0);
}

#[test]
fn empty_docs_code_to_nothing() {
    let out = coder().code_doc(&Doc::new("e", ""), None);
    assert_eq!(out, Outcome::Events { events: vec![] });
}

#[test]
fn coordination_read_from_words_when_the_parse_misses_it() {
    // The parse attaches only "Graustark" to the verb; the words show a list.
    let rows = "
1 Strelsau PROPN NNP 0 root
2 and CCONJ CC 5 cc
3 the DET DT 5 det
4 old ADJ JJ 5 amod
5 Graustark PROPN NNP 6 nsubj
6 condemned VERB VBD 1 acl:relcl
7 the DET DT 9 det
8 old ADJ JJ 9 amod
9 army NOUN NN 6 obj";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}

#[test]
fn verbs_completing_a_coded_verb_are_folded_into_it() {
    // "denounced ... to arrest": one event, the main verb's.
    let rows = "
1 Ruritania PROPN NNP 2 nsubj
2 denounced VERB VBD 0 root
3 Graustark PROPN NNP 2 obj
4 to PART TO 5 mark
5 arrest VERB VB 2 xcomp
6 students NOUN NNS 5 obj";
    insta::assert_json_snapshot!(code(rows, "20200101"));
}
