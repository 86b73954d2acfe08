//! End-to-end tests of the `annalist` binary: records and CLI output.

mod common;
use common::{annalist, records};

#[test]
fn issue2_example_article_record() {
    let out = annalist(&["code", "../../examples/vienna-2015.txt"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 1);
    insta::assert_json_snapshot!(recs[0]);
}

#[test]
fn issue2_offsets_are_code_points() {
    let out = annalist(&["code", "../../examples/vienna-2015.txt"], None);
    let rec = &records(&out)[0];
    let text: Vec<char> = rec["text"].as_str().unwrap().chars().collect();
    let slice = |v: &serde_json::Value| -> String {
        let (s, e) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        text[s..e].iter().collect()
    };
    assert_eq!(slice(&rec["meta"]["dateline"]), "VIENNA");
    for e in rec["entities"].as_array().unwrap() {
        assert_eq!(slice(e), e["text"].as_str().unwrap());
    }
    for s in rec["sentences"].as_array().unwrap() {
        let sentence = slice(s);
        assert_eq!(sentence.trim(), sentence, "sentences start and end on text");
        assert!(
            !sentence.contains("licensed under"),
            "the licence footer is metadata"
        );
    }
}

#[test]
fn issue2_stdin_and_format_override() {
    let out = annalist(
        &["code", "--format", "text", "-"],
        Some("WASHINGTON (AP) — The Senate voted.".as_bytes()),
    );
    assert!(out.status.success());
    let rec = &records(&out)[0];
    assert_eq!(rec["meta"]["dateline"]["text"], "WASHINGTON");
}

#[test]
fn issue2_batch_keeps_order_and_goes_on_after_bad_lines() {
    for threads in ["1", "3"] {
        let out = annalist(
            &["code", "--threads", threads, "tests/fixtures/batch.jsonl"],
            None,
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "a failed document makes the exit status 1"
        );
        let recs = records(&out);
        let ids: Vec<&str> = recs.iter().map(|r| r["doc_id"].as_str().unwrap()).collect();
        insta::assert_json_snapshot!(format!("batch_ids_threads_{threads}"), ids);
        let errors: Vec<_> = recs.iter().filter_map(|r| r.get("error")).collect();
        assert_eq!(
            errors.len(),
            2,
            "the malformed line and the line without text"
        );
    }
}

#[test]
fn issue2_missing_file_is_a_clear_error() {
    let out = annalist(&["code", "no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn issue2_help_teaches() {
    let out = annalist(&["code", "--help"], None);
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn explain_names_the_pass_behind_each_actor_and_the_steps_behind_each_event() {
    let text =
        b"Kenya's Interior Minister Kithure Kindiki met Somali officials in Nairobi on Monday.";
    let out = annalist(&["explain", "--coder", "learned", "-"], Some(text));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains("A-PERSON: a person the text names"),
        "{printed}"
    );
    assert!(printed.contains("A-TITLE: "), "{printed}");
    assert!(printed.contains("M-TRIGGER: \"met\""), "{printed}");
}

#[test]
fn explain_refuses_bytes_that_are_not_text_and_names_the_input() {
    let out = annalist(&["explain", "-"], Some(b"Iran \xff\xfe met Iraq."));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard input: not UTF-8 text"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}
