//! Issue 20: the record contract ships with the code. `docs/record.md`, the
//! JSON Schema `docs/record.schema.json` and the Rust record type list the
//! same fields, and every record snapshot in the repository validates
//! against the schema.

use annalist_doc::record::{
    Actor, Entity, Event, Place, RecordDateline, RecordError, RecordMention, RecordMeta, Size,
    Span, Trigger,
};
use annalist_doc::{EntityType, Record, SCHEMA};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    let p = repo_root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn place() -> Place {
    Place {
        name: "Dushanbe".into(),
        country: Some("TJK".into()),
        admin1: Some("Dushanbe".into()),
        lat: 38.5,
        lon: 68.8,
        geonames_id: Some(1221874),
        feature: Some("PPLC".into()),
        start: Some(0),
        end: Some(8),
    }
}

fn trigger() -> Trigger {
    Trigger {
        text: "met".into(),
        start: 9,
        end: 12,
    }
}

/// A record with every field filled, written as struct literals so that a
/// field added to the Rust type stops this test from compiling until it is
/// added here, and then to the documentation and the schema.
fn full_record() -> Record {
    Record {
        schema: SCHEMA.into(),
        doc_id: "d1".into(),
        meta: RecordMeta {
            title: Some("t".into()),
            url: Some("https://example.org/2022/05/17/a".into()),
            publisher: Some("p".into()),
            published: Some("2022-05-17".into()),
            language: "en".into(),
            license: Some("CC BY 4.0".into()),
            dateline: Some(RecordDateline {
                text: "DUSHANBE".into(),
                start: 0,
                end: 8,
                place: Some(place()),
            }),
            publisher_mention: Some(RecordMention {
                text: "P".into(),
                kind: EntityType::Org,
                start: 20,
                end: 21,
            }),
            title_source: Some("url".into()),
        },
        text: "Dushanbe met someone. P".into(),
        sentences: vec![Span { start: 0, end: 21 }],
        entities: vec![Entity {
            id: "T1".into(),
            kind: EntityType::Loc,
            text: "Dushanbe".into(),
            start: 0,
            end: 8,
            sentence: 0,
            actor: Some("A1".into()),
            place: Some(place()),
            // Every optional field present: a nominal mention says so.
            nominal: true,
        }],
        actors: vec![Actor {
            id: "A1".into(),
            name: "Tajikistan".into(),
            country: Some("TJK".into()),
            sectors: vec!["GOV".into()],
            title: Some("President".into()),
            mentions: vec!["T1".into()],
            cameo: Some("TJKGOV".into()),
            wikidata: Some("Q863".into()),
        }],
        events: vec![Event {
            id: "E1".into(),
            kind: "CONSULT".into(),
            mode: Some("visit".into()),
            contexts: vec!["military".into()],
            cameo: Some("042".into()),
            quad_class: Some(1),
            intensity: Some(1.0),
            source: vec!["A1".into()],
            target: vec![],
            trigger: trigger(),
            sentence: 0,
            modality: "asserted".into(),
            reported_by: Some(trigger()),
            location: Some(place()),
            date: Some("2022-05-17".into()),
            date_source: Some("published".into()),
            size: Size {
                dead: Some(1),
                injured: Some(2),
                arrested: Some(3),
            },
            confidence: 0.5,
        }],
        error: Some(RecordError {
            code: "c".into(),
            message: "m".into(),
        }),
        warnings: vec!["w".into()],
    }
}

/// The fields of each kind of object in a serialized record, by the names
/// `docs/record.md` gives the kinds.
fn fields_of_record() -> BTreeMap<String, BTreeSet<String>> {
    let v = serde_json::to_value(full_record()).unwrap();
    let keys = |v: &Value| -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut out = BTreeMap::new();
    let mut put = |kind: &str, v: &Value| {
        out.insert(kind.to_string(), keys(v));
    };
    put("record", &v);
    put("meta", &v["meta"]);
    put("dateline", &v["meta"]["dateline"]);
    put("publisher_mention", &v["meta"]["publisher_mention"]);
    put("span", &v["sentences"][0]);
    put("place", &v["entities"][0]["place"]);
    put("entity", &v["entities"][0]);
    put("actor", &v["actors"][0]);
    put("event", &v["events"][0]);
    put("trigger", &v["events"][0]["trigger"]);
    put("size", &v["events"][0]["size"]);
    put("error", &v["error"]);
    out
}

/// The fields `docs/record.md` documents: under each "## `kind`" heading,
/// the first cell of every table row, in backticks.
fn fields_of_doc() -> BTreeMap<String, BTreeSet<String>> {
    let text = read("docs/record.md");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut kind: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            kind = h
                .trim()
                .strip_prefix('`')
                .and_then(|r| r.strip_suffix('`'))
                .map(String::from);
            if let Some(k) = &kind {
                out.entry(k.clone()).or_default();
            }
            continue;
        }
        let (Some(k), Some(row)) = (&kind, line.strip_prefix("| `")) else {
            continue;
        };
        let field = row.split('`').next().unwrap_or("");
        out.get_mut(k).unwrap().insert(field.to_string());
    }
    out
}

/// The properties the schema gives each kind (`record` is the top level).
fn fields_of_schema(schema: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let props = |v: &Value| -> BTreeSet<String> {
        v["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut out = BTreeMap::new();
    out.insert("record".to_string(), props(schema));
    for (k, v) in schema["$defs"].as_object().unwrap() {
        out.insert(k.clone(), props(v));
    }
    out
}

fn schema() -> Value {
    serde_json::from_str(&read("docs/record.schema.json")).expect("the schema is JSON")
}

#[test]
fn documented_fields_are_the_fields_the_record_carries() {
    let record = fields_of_record();
    let doc = fields_of_doc();
    assert_eq!(
        doc.keys().collect::<Vec<_>>(),
        record.keys().collect::<Vec<_>>(),
        "docs/record.md documents other kinds of object than the record has"
    );
    for (kind, fields) in &record {
        let documented = &doc[kind];
        let undocumented: Vec<_> = fields.difference(documented).collect();
        let extra: Vec<_> = documented.difference(fields).collect();
        assert!(
            undocumented.is_empty() && extra.is_empty(),
            "`{kind}`: carried but not documented {undocumented:?}; documented but not \
             carried {extra:?}"
        );
    }
}

#[test]
fn the_schema_has_the_documented_fields() {
    assert_eq!(fields_of_schema(&schema()), fields_of_doc());
}

#[test]
fn a_full_record_and_a_failed_one_validate() {
    let s = schema();
    let full = serde_json::to_value(full_record()).unwrap();
    validate(&s, &s, &full, "$").unwrap();
    let failed = serde_json::to_value(Record::failed("x", "empty_input", "x: empty")).unwrap();
    validate(&s, &s, &failed, "$").unwrap();
    // And the validator does refuse: a number where a CAMEO string belongs,
    // an invented field, a missing one.
    let mut bad = full.clone();
    bad["events"][0]["cameo"] = 42.into();
    assert!(validate(&s, &s, &bad, "$").is_err());
    let mut bad = full.clone();
    bad["events"][0]["when"] = "today".into();
    assert!(validate(&s, &s, &bad, "$").is_err());
    let mut bad = full;
    bad["meta"].as_object_mut().unwrap().remove("published");
    assert!(validate(&s, &s, &bad, "$").is_err());
}

/// Every `*.snap` file under `crates/`, outside build folders.
fn snapshots(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() && name != "target" && !name.starts_with('.') {
            snapshots(&p, out);
        } else if name.ends_with(".snap") {
            out.push(p);
        }
    }
}

/// The records a snapshot holds: its body (after insta's header) as one JSON
/// value, or as JSON Lines, keeping the objects that are records.
fn records_in(snap: &str) -> Vec<Value> {
    let body = snap
        .strip_prefix("---")
        .and_then(|r| r.split_once("\n---\n"))
        .map_or(snap, |(_, b)| b);
    let values: Vec<Value> = match serde_json::from_str::<Value>(body) {
        Ok(v) => vec![v],
        Err(_) => body
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect(),
    };
    let mut out = Vec::new();
    for v in values {
        match v {
            Value::Array(items) => out.extend(items),
            other => out.push(other),
        }
    }
    out.retain(|v| v.get("schema").and_then(Value::as_str) == Some(SCHEMA));
    out
}

#[test]
fn every_record_snapshot_validates_against_the_schema() {
    let s = schema();
    let mut files = Vec::new();
    snapshots(&repo_root().join("crates"), &mut files);
    let mut checked = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (k, rec) in records_in(&text).iter().enumerate() {
            if let Err(e) = validate(&s, &s, rec, "$") {
                panic!("{} (record {k}): {e}", f.display());
            }
            checked += 1;
        }
    }
    assert!(
        checked > 0,
        "no record snapshot found under crates/ (looked at {} snapshots)",
        files.len()
    );
}

// ---- a validator for the part of JSON Schema that record.schema.json uses:
// type, properties, required, additionalProperties, items, enum, const,
// anyOf, $ref to $defs, minimum, maximum and simple patterns.

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn validate(root: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r
            .strip_prefix("#/$defs/")
            .ok_or(format!("unknown $ref {r}"))?;
        return validate(root, &root["$defs"][name], v, at);
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(|s| validate(root, s, v, at).is_ok()) {
            return Err(format!("{at}: matches none of anyOf"));
        }
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => return Err(format!("{at}: not {t}: {v}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)) => {
            return Err(format!("{at}: not any of {ts:?}: {v}"))
        }
        _ => {}
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            return Err(format!("{at}: {v} is not {c}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            return Err(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let Some(n) = v.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            return Err(format!("{at}: {n} is below the minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            return Err(format!("{at}: {n} is above the maximum"));
        }
    }
    if let (Some(p), Some(s)) = (schema.get("pattern").and_then(Value::as_str), v.as_str()) {
        if !pattern_matches(p, s) {
            return Err(format!("{at}: `{s}` does not match {p}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or("");
            if !obj.contains_key(r) {
                return Err(format!("{at}: `{r}` is missing"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(root, ps, val, &format!("{at}.{k}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{at}: `{k}` is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(root, items, x, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// Anchored patterns made of literal characters and `[0-9]`, each followed
/// by nothing, `{n}` or `+`: all that the schema uses.
fn pattern_matches(p: &str, s: &str) -> bool {
    let body = p
        .strip_prefix('^')
        .and_then(|r| r.strip_suffix('$'))
        .expect("patterns in the schema are anchored");
    let pc: Vec<char> = body.chars().collect();
    let sc: Vec<char> = s.chars().collect();
    let (mut i, mut j) = (0, 0);
    while i < pc.len() {
        let digit = pc[i..].starts_with(&['[', '0', '-', '9', ']']);
        let lit = pc[i];
        let one = |c: char| if digit { c.is_ascii_digit() } else { c == lit };
        i += if digit { 5 } else { 1 };
        let (min, max) = match pc.get(i) {
            Some('+') => {
                i += 1;
                (1, usize::MAX)
            }
            Some('{') => {
                let close = pc[i..].iter().position(|&c| c == '}').unwrap() + i;
                let n: usize = pc[i + 1..close].iter().collect::<String>().parse().unwrap();
                i = close + 1;
                (n, n)
            }
            _ => (1, 1),
        };
        let mut k = 0;
        while k < max && j < sc.len() && one(sc[j]) {
            j += 1;
            k += 1;
        }
        if k < min {
            return false;
        }
    }
    j == sc.len()
}
