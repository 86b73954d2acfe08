//! Writing query results as an aligned table, CSV or JSON Lines.

use crate::query::{CountBy, CountRow, ReportRow, StoryRow};
use serde::Serialize;
use std::io::Write;

/// The output formats of `annalist query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "table" => Format::Table,
            "jsonl" => Format::Jsonl,
            "csv" => Format::Csv,
            _ => return None,
        })
    }
}

/// A row with named columns, printable in every format.
pub trait Tabular: Serialize {
    fn columns() -> Vec<&'static str>;
    fn cells(&self) -> Vec<String>;
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

impl Tabular for StoryRow {
    fn columns() -> Vec<&'static str> {
        vec![
            "story",
            "date",
            "type",
            "cameo",
            "modality",
            "source",
            "src_country",
            "target",
            "tgt_country",
            "place",
            "articles",
            "sources",
            "mentions",
            "trigger",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.story.to_string(),
            opt(&self.date),
            self.kind.clone(),
            opt(&self.cameo),
            self.modality.clone(),
            opt(&self.source),
            opt(&self.source_country),
            opt(&self.target),
            opt(&self.target_country),
            opt(&self.place),
            self.num_articles.to_string(),
            self.num_sources.to_string(),
            self.num_mentions.to_string(),
            self.trigger.clone(),
        ]
    }
}

impl Tabular for ReportRow {
    fn columns() -> Vec<&'static str> {
        vec![
            "report",
            "story",
            "doc_id",
            "event",
            "date",
            "type",
            "cameo",
            "modality",
            "source",
            "src_country",
            "target",
            "tgt_country",
            "place",
            "trigger",
        ]
    }
    fn cells(&self) -> Vec<String> {
        vec![
            self.report.to_string(),
            self.story.to_string(),
            self.doc_id.clone(),
            self.event_id.clone(),
            opt(&self.date),
            self.kind.clone(),
            opt(&self.cameo),
            self.modality.clone(),
            opt(&self.source),
            opt(&self.source_country),
            opt(&self.target),
            opt(&self.target_country),
            opt(&self.place),
            self.trigger.clone(),
        ]
    }
}

/// The CSV cell of a CAMEO code: always quoted, so that readers that honour
/// quotes keep it as text with its leading zero ("073", not 73).
pub fn csv_cameo(code: &str) -> String {
    format!("\"{}\"", code.replace('"', "\"\""))
}

/// The extra CSV column that repeats a CAMEO code as `CAMEO:073`: pandas and
/// spreadsheets turn even a quoted "073" into the number 73, but never this.
pub const CAMEO_TEXT: &str = "cameo_text";

/// The `cameo_text` cell of a CAMEO code; empty when there is none.
pub fn cameo_text(code: Option<&str>) -> String {
    code.filter(|c| !c.is_empty())
        .map_or(String::new(), |c| csv_field(&format!("CAMEO:{c}")))
}

/// A CSV line of `cells` under `columns`, with the CAMEO code quoted and
/// repeated in a last `cameo_text` column when there is a `cameo` column.
fn csv_cells(columns: &[&str], cells: &[String]) -> String {
    let mut out: Vec<String> = Vec::with_capacity(cells.len() + 1);
    let mut cameo = None;
    for (c, v) in columns.iter().zip(cells) {
        if *c == "cameo" && !v.is_empty() {
            cameo = Some(v.as_str());
            out.push(csv_cameo(v));
        } else {
            out.push(csv_field(v));
        }
    }
    if columns.contains(&"cameo") {
        out.push(cameo_text(cameo));
    }
    out.join(",")
}

/// Quotes a CSV field when it needs it (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `rows` in `format`; a table pads columns to their widest cell.
pub fn write_rows<T: Tabular>(
    out: &mut dyn Write,
    format: Format,
    rows: &[T],
) -> std::io::Result<()> {
    let columns = T::columns();
    match format {
        Format::Jsonl => {
            for r in rows {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            let mut header = columns.clone();
            if header.contains(&"cameo") {
                header.push(CAMEO_TEXT);
            }
            writeln!(out, "{}", header.join(","))?;
            for r in rows {
                writeln!(out, "{}", csv_cells(&columns, &r.cells()))?;
            }
        }
        Format::Table => {
            let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells()).collect();
            let header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            write_table(out, &header, &cells)?;
        }
    }
    Ok(())
}

/// Writes counts in `format`.
pub fn write_counts(
    out: &mut dyn Write,
    format: Format,
    by: CountBy,
    rows: &[CountRow],
) -> std::io::Result<()> {
    let mut header: Vec<String> = by.key_columns().iter().map(|c| c.to_string()).collect();
    header.push("count".into());
    match format {
        Format::Jsonl => {
            for r in rows {
                let mut obj = serde_json::Map::new();
                for (k, v) in by.key_columns().iter().zip(&r.key) {
                    let v = if v.is_empty() {
                        serde_json::Value::Null
                    } else {
                        v.clone().into()
                    };
                    obj.insert(k.to_string(), v);
                }
                obj.insert("count".into(), r.count.into());
                serde_json::to_writer(&mut *out, &obj)?;
                out.write_all(b"\n")?;
            }
        }
        Format::Csv => {
            writeln!(out, "{}", header.join(","))?;
            for r in rows {
                let mut cells: Vec<String> = r.key.iter().map(|c| csv_field(c)).collect();
                cells.push(r.count.to_string());
                writeln!(out, "{}", cells.join(","))?;
            }
        }
        Format::Table => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut c = r.key.clone();
                    c.push(r.count.to_string());
                    c
                })
                .collect();
            write_table(out, &header, &cells)?;
        }
    }
    Ok(())
}

/// `s` with every other control character written as an escape (`\u{1b}`):
/// article text may carry ANSI sequences, and a table is printed to a
/// terminal, which would obey them.
pub fn terminal_safe(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// An aligned plain-text table; empty cells show as `-` so that columns stay
/// readable, and long cells are cut to keep lines within a terminal's reach.
fn write_table(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    const MAX: usize = 40;
    let shown = |s: &str| -> String {
        let s = if s.is_empty() { "-" } else { s };
        let s = terminal_safe(&s.replace(['\n', '\t', '\r'], " "));
        if s.chars().count() > MAX {
            let cut: String = s.chars().take(MAX - 1).collect();
            format!("{cut}…")
        } else {
            s
        }
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| shown(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", line(header))?;
    for r in &rows {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}
