//! `annalist explain`: for one coded document, which passes found each
//! actor and gave it its country and sectors, and which rules, models and
//! features decided each event. It reads what the components wrote into the
//! doc (`Actor::decided_by`, `Event::decided_by`) and the words of the data
//! files that define each id (`annalist-actors/passes.toml`,
//! `annalist-events/rules.toml`), so that what it prints is what decided,
//! not a second account of it.

use annalist_doc::coded::{Actor, Event};
use annalist_doc::Doc;
use annalist_events::Rules;
use std::fmt::Write;

/// The explanation of a coded `doc` as text, one block per actor and per
/// event, with a legend of the event steps it names at the end.
pub fn explain(doc: &Doc, rules: &Rules) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "document {}", doc.doc_id);
    if let Some(p) = &doc.meta.published {
        let _ = writeln!(out, "published {p}");
    }
    let _ = writeln!(out, "\nactors ({})", doc.actors.len());
    for (i, a) in doc.actors.iter().enumerate() {
        actor_block(&mut out, doc, i, a);
    }
    let _ = writeln!(out, "\nevents ({})", doc.events.len());
    let mut used: Vec<String> = Vec::new();
    for (i, e) in doc.events.iter().enumerate() {
        event_block(&mut out, doc, i, e);
        for w in &e.decided_by {
            if !used.iter().any(|u| *u == w.id) {
                used.push(w.id.to_string());
            }
        }
    }
    if !used.is_empty() {
        let _ = writeln!(out, "\nthe event steps named above");
        for id in &used {
            let what = rules
                .describe(id)
                .unwrap_or_else(|| "(not described in rules.toml)".to_string());
            let _ = writeln!(out, "  {id}: {what}");
        }
    }
    out
}

/// A short label of actor `i`: its name and codes.
fn actor_label(doc: &Doc, i: u32) -> String {
    match doc.actors.get(i as usize) {
        Some(a) => {
            let mut codes = vec![a.country.clone().unwrap_or_else(|| "no country".into())];
            codes.extend(a.sectors.iter().cloned());
            format!("A{i} {} ({})", a.name, codes.join(" "))
        }
        None => format!("A{i}"),
    }
}

fn actor_block(out: &mut String, doc: &Doc, i: usize, a: &Actor) {
    let _ = writeln!(out, "  {}", actor_label(doc, i as u32));
    if let Some(t) = &a.title {
        let _ = writeln!(out, "    title: {t}");
    }
    let mentions: Vec<String> = a
        .mentions
        .iter()
        .filter_map(|&m| doc.entities.get(m as usize))
        .filter_map(|e| {
            let (s, t) = (e.start as usize, e.end as usize);
            let start = *doc.tokens.start.get(s)? as usize;
            let end = *doc.tokens.end.get(t.checked_sub(1)?)? as usize;
            doc.text.get(start..end).map(|w| format!("\"{w}\""))
        })
        .collect();
    if !mentions.is_empty() {
        let _ = writeln!(out, "    mentions: {}", mentions.join(", "));
    }
    if a.decided_by.is_empty() {
        let _ = writeln!(out, "    (no pass recorded)");
    }
    for id in &a.decided_by {
        let what = annalist_actors::passes::describe(id).unwrap_or("(not described)");
        let _ = writeln!(out, "    {id}: {what}");
    }
}

fn event_block(out: &mut String, doc: &Doc, i: usize, e: &Event) {
    let trigger = doc.text.get(e.trigger.clone()).unwrap_or("");
    let _ = writeln!(
        out,
        "  E{i} {}{} (CAMEO {}) at \"{trigger}\", sentence {}, {}, confidence {:.2}",
        e.kind,
        e.mode
            .as_deref()
            .map(|m| format!(":{m}"))
            .unwrap_or_default(),
        e.cameo.as_deref().unwrap_or("-"),
        e.sentence,
        e.modality.as_str(),
        e.confidence
    );
    let side = |ids: &[u32]| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.iter()
                .map(|&a| actor_label(doc, a))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let _ = writeln!(out, "    source: {}", side(&e.source));
    let _ = writeln!(out, "    target: {}", side(&e.target));
    if let Some(p) = e.location.and_then(|p| doc.places.get(p as usize)) {
        let _ = writeln!(
            out,
            "    location: {} ({})",
            p.name,
            p.country.as_deref().unwrap_or("no country")
        );
    }
    for w in &e.decided_by {
        let _ = writeln!(out, "    {}: {}", w.id, w.detail);
    }
}
