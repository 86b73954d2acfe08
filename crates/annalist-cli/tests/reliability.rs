//! Issue 20, "data a researcher can trust": closed pipes, bad paths, outputs
//! that are inputs, oversized inputs, damaged text and honest labels.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::{annalist, records};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("annalist-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn closed_stdout_ends_quietly() {
    let dir = scratch("closed-stdout");
    let big = dir.join("big.jsonl");
    let mut lines = String::new();
    for i in 0..400 {
        lines.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"Police in Nairobi arrested twelve protesters on Friday, officials said.\"}}\n"
        ));
    }
    std::fs::write(&big, lines).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["code", s(&big)])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -1`: read one line, then close the pipe.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("\"doc_id\":\"d0\""), "{first}");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "nothing on stderr");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn bad_paths_in_a_directory_become_error_records() {
    use std::os::unix::fs::symlink;
    let dir = scratch("bad-paths");
    let text = "Police in Nairobi arrested twelve protesters on Friday.";
    std::fs::write(dir.join("a.txt"), text).unwrap();
    symlink(dir.join("gone.txt"), dir.join("b-dangling.txt")).unwrap();
    symlink(dir.join("c-loop.txt"), dir.join("c-loop.txt")).unwrap();
    std::fs::create_dir(dir.join("d")).unwrap();
    // A link back to an ancestor: read once, not forever.
    symlink(&dir, dir.join("d/up")).unwrap();
    std::fs::write(dir.join("d/e.txt"), text).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(dir.join("f.fifo"))
        .status()
        .is_ok_and(|st| st.success());
    let locked = dir.join("g-locked.txt");
    std::fs::write(&locked, text).unwrap();
    set_mode(&locked, 0o000);
    let locked_out = std::fs::read(&locked).is_err();
    std::fs::write(dir.join("h.txt"), text).unwrap();

    let out = annalist(&["code", s(&dir)], None);
    set_mode(&locked, 0o644);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let recs = records(&out);
    let ok: Vec<String> = recs
        .iter()
        .filter(|r| r.get("error").is_none())
        .map(|r| r["doc_id"].as_str().unwrap().to_string())
        .collect();
    let errors: Vec<String> = recs
        .iter()
        .filter_map(|r| r.get("error"))
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    // a.txt, d/e.txt (once) and h.txt, read whatever came before them
    // (and g-locked.txt where permissions cannot lock a file out: root).
    assert_eq!(ok.len(), if locked_out { 3 } else { 4 }, "{recs:?}");
    assert!(errors[0].contains("dangling symbolic link"), "{errors:?}");
    assert!(errors[1].contains("symbolic link loop"), "{errors:?}");
    if locked_out {
        assert!(errors[2].contains("permission denied"), "{errors:?}");
    }
    let err = stderr(&out);
    assert!(err.contains("already read"), "{err}");
    if fifo {
        assert!(err.contains("f.fifo: a fifo"), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn output_that_is_an_input_is_refused() {
    let dir = scratch("same-output");
    let same = dir.join("same.jsonl");
    std::fs::copy("tests/fixtures/batch.jsonl", &same).unwrap();
    let before = std::fs::read(&same).unwrap();
    let out = annalist(&["code", "-o", s(&same), s(&same)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("also an input"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&same).unwrap(), before, "the input is intact");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_file_appears_whole_and_leaves_no_temporary_file() {
    let dir = scratch("atomic-output");
    let target = dir.join("records.jsonl");
    std::fs::write(&target, "old records\n").unwrap();
    let out = annalist(
        &["code", "--format", "text", "-o", s(&target), "-"],
        Some(b"The Senate voted on Tuesday."),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("{\"schema\""), "{written}");
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn decompression_bomb_becomes_an_error_record() {
    let dir = scratch("bomb");
    let bomb = dir.join("bomb.txt.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..(3 << 10) {
        gz.write_all(&[b'a'; 1024]).unwrap();
    }
    std::fs::write(&bomb, gz.finish().unwrap()).unwrap();
    let after = dir.join("after.txt");
    std::fs::write(&after, "The Senate voted on Tuesday.").unwrap();
    let out = annalist(&["code", "--max-input-mb", "1", s(&bomb), s(&after)], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let recs = records(&out);
    assert_eq!(recs.len(), 2, "the batch goes on");
    assert_eq!(recs[0]["error"]["code"], "input_too_large");
    assert!(recs[1].get("error").is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn oversized_document_becomes_an_error_record() {
    let big = "word ".repeat(300_000);
    let mut lines = format!("{{\"id\": \"big\", \"text\": \"{big}\"}}\n");
    lines.push_str("{\"id\": \"small\", \"text\": \"The Senate voted on Tuesday.\"}\n");
    let out = annalist(
        &["code", "--max-document-mb", "1", "--format", "jsonl", "-"],
        Some(lines.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let recs = records(&out);
    assert_eq!(recs[0]["error"]["code"], "document_too_large");
    assert_eq!(recs[1]["doc_id"], "small");
}

#[test]
fn pretty_prints_one_record_readably() {
    let out = annalist(
        &["code", "--pretty", "--format", "text", "-"],
        Some(b"The Senate voted on Tuesday."),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("{\n  \"schema\""), "{text}");
    let rec: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(rec["text"], "The Senate voted on Tuesday.");
}

#[test]
fn one_bad_byte_keeps_utf8_text_readable() {
    let mut bytes = "Talks in Zürich and Genève ended \u{2014} \u{201c}a success\u{201d}."
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"\xff Both sides agreed.");
    let out = annalist(&["code", "--format", "text", "-"], Some(&bytes));
    assert!(out.status.success(), "{}", stderr(&out));
    let rec = &records(&out)[0];
    let text = rec["text"].as_str().unwrap();
    assert!(text.contains("Zürich and Genève"), "{text}");
    assert!(text.contains('\u{fffd}'), "{text}");
    assert!(rec["warnings"][0].as_str().unwrap().contains("replaced"));
}

#[test]
fn stray_nul_byte_is_a_space_not_a_rejection() {
    let out = annalist(
        &["code", "--format", "text", "-"],
        Some(b"The Senate\0voted on Tuesday."),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rec = &records(&out)[0];
    assert_eq!(rec["text"], "The Senate voted on Tuesday.");
}

#[test]
fn non_english_text_is_not_labelled_english() {
    let out = annalist(
        &["code", "--format", "text", "-"],
        Some("Министр иностранных дел России заявил в понедельник о переговорах.".as_bytes()),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let rec = &records(&out)[0];
    assert_eq!(rec["meta"]["language"], "und-Cyrl");
    let warnings = rec["warnings"].to_string();
    assert!(warnings.contains("English only"), "{warnings}");
}

#[test]
fn missing_title_is_derived_from_the_url_slug() {
    let line = r#"{"id": "t1", "url": "https://www.tehrantimes.com/news/480123/Iran-says-talks-continue", "text": "Iran said talks would continue."}"#;
    let out = annalist(&["code", "--format", "jsonl", "-"], Some(line.as_bytes()));
    assert!(out.status.success(), "{}", stderr(&out));
    let rec = &records(&out)[0];
    assert_eq!(rec["meta"]["title"], "Iran says talks continue");
    assert!(rec["warnings"].to_string().contains("derived from the url"));
}
