//! Query benchmark on a generated store of millions of events (issue 8:
//! indexed queries under 100 ms on 10 million events).
//!
//! ```text
//! cargo run --release -p annalist-store --example bench_store -- [EVENTS] [DB]
//! ```
//!
//! EVENTS defaults to 10,000,000 and DB to `$TMPDIR/annalist-bench-EVENTS.db`.
//! The store holds documents of ten events each, dated in order over ten
//! years, with Zipf-distributed countries and a third of the events
//! re-reports of recent ones. It is written directly with batched inserts
//! and the indexes built at the end (add a third argument `ingest` to go
//! through `Store::ingest` and de-duplication instead, which measures ingest
//! but takes hours for ten million events), and kept: a second run reuses it
//! and only times the queries. Each query runs with varied parameters; the medians
//! and maxima are printed.

use annalist_doc::record::{Actor, Event, Place, RecordMeta, Size, Span, Trigger};
use annalist_doc::{Record, SCHEMA};
use annalist_store::{CountBy, Filter, Store, Unit};
use std::time::Instant;

/// SplitMix64: a small, good, seedable generator, so runs are repeatable
/// without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A rank in `0..n` with probability proportional to 1/(rank+1).
    fn zipf(&mut self, cdf: &[f64]) -> usize {
        let u = self.unit();
        cdf.partition_point(|&c| c < u).min(cdf.len() - 1)
    }
}

const COUNTRIES: &[&str] = &[
    "USA", "CHN", "RUS", "IRN", "ISR", "UKR", "SYR", "IRQ", "AFG", "PAK", "IND", "TUR", "SAU",
    "GBR", "FRA", "DEU", "JPN", "KOR", "PRK", "EGY", "LBN", "YEM", "QAT", "ARE", "AZE", "ARM",
    "TJK", "UZB", "KAZ", "KGZ", "TKM", "IGO", "NGO", "IMG", "BRA", "MEX", "VEN", "COL", "NGA",
    "ETH", "SDN", "SOM", "KEN", "ZAF", "LBY", "TUN", "DZA", "MAR", "IDN", "MYS", "PHL", "VNM",
    "THA", "MMR", "BGD", "LKA", "NPL", "CAN", "AUS", "ITA",
];

const TYPES: &[(&str, &str)] = &[
    ("AGREE", "057"),
    ("CONSULT", "040"),
    ("SUPPORT", "051"),
    ("CONCEDE", "081"),
    ("COOPERATE", "061"),
    ("AID", "070"),
    ("RETREAT", "087"),
    ("REQUEST", "020"),
    ("ACCUSE", "112"),
    ("REJECT", "120"),
    ("THREATEN", "130"),
    ("PROTEST", "140"),
    ("SANCTION", "163"),
    ("MOBILIZE", "150"),
    ("COERCE", "170"),
    ("ASSAULT", "190"),
];

const SECTORS: &[&str] = &["GOV", "MIL", "COP", "REB", "BUS", "CVL", "JUD", "LEG"];

/// Ten years of days from 2015-01-01.
const DAY0: usize = 16_436;
const DAYS: usize = 3_653;

#[derive(Clone)]
struct GenEvent {
    kind: usize,
    src: usize,
    tgt: usize,
    day: usize,
    place: Option<(usize, f64, f64)>,
    words: Vec<usize>,
}

fn word(k: usize) -> String {
    // Pronounceable made-up words, so that the full-text index sees a
    // vocabulary of realistic size.
    const SYL: &[&str] = &[
        "ka", "ro", "mi", "tesh", "lan", "vo", "dur", "eni", "sap", "qua",
    ];
    let mut w = String::new();
    let mut k = k + 10;
    while k > 0 {
        w.push_str(SYL[k % SYL.len()]);
        k /= SYL.len();
    }
    w
}

fn generate(store: &mut Store, events: usize) {
    let mut rng = Rng(8);
    let h: Vec<f64> = (0..COUNTRIES.len()).map(|r| 1.0 / (r + 1) as f64).collect();
    let total: f64 = h.iter().sum();
    let mut acc = 0.0;
    let cdf: Vec<f64> = h
        .iter()
        .map(|x| {
            acc += x / total;
            acc
        })
        .collect();
    let docs = events.div_ceil(10);
    let mut recent: Vec<GenEvent> = Vec::new();
    let mut batch = Vec::with_capacity(500);
    let start = Instant::now();
    for d in 0..docs {
        let day = DAY0 + d * DAYS / docs;
        let mut evs = Vec::with_capacity(10);
        for _ in 0..10 {
            let ev = if !recent.is_empty() && rng.below(3) == 0 {
                // Another report of a recent event, in partly other words,
                // dating it on its day or the day after.
                let mut e = recent[rng.below(recent.len())].clone();
                e.day += rng.below(2);
                for w in e.words.iter_mut().take(4) {
                    *w = rng.below(20_000);
                }
                e
            } else {
                let src = rng.zipf(&cdf);
                let mut tgt = rng.zipf(&cdf);
                if tgt == src {
                    tgt = (tgt + 1) % COUNTRIES.len();
                }
                let place = (rng.below(10) < 7).then(|| {
                    let city = rng.below(2_000);
                    (
                        city,
                        (city % 140) as f64 - 60.0,
                        (city / 140) as f64 * 12.0 - 170.0,
                    )
                });
                GenEvent {
                    kind: rng.below(TYPES.len()),
                    src,
                    tgt,
                    day,
                    place,
                    words: (0..12).map(|_| rng.below(20_000)).collect(),
                }
            };
            // The last 500 events are the ones that get reported again.
            if recent.len() == 500 {
                recent.remove(0);
            }
            recent.push(ev.clone());
            evs.push(ev);
        }
        batch.push(record(d, day, &evs, &mut rng));
        if batch.len() == 500 || d + 1 == docs {
            store.ingest(&batch).expect("ingest");
            batch.clear();
            if (d + 1) % 50_000 < 500 {
                let secs = start.elapsed().as_secs_f64();
                eprintln!(
                    "{} documents, {} events, {secs:.0} s, {:.0} events/s",
                    d + 1,
                    (d + 1) * 10,
                    (d + 1) as f64 * 10.0 / secs
                );
            }
        }
    }
}

/// The query indexes of schema migration 2 (and the story index): dropped
/// during a bulk load and built once at the end, which is far faster than
/// updating them row by row.
const INDEXES: &[&str] = &[
    "events_story",
    "events_dyad_day",
    "events_tgt_day",
    "events_type_src_day",
    "events_type_place_day",
    "events_place_day",
    "events_cameo_day",
    "events_day",
];

/// Generates the same kind of store as [`generate`], but writes the rows
/// directly in large transactions, linking re-reports to their story event
/// as the generator knows it, instead of going through ingest and
/// de-duplication: minutes rather than hours for ten million events.
fn generate_raw(store: &mut Store, events: usize) {
    let mut rng = Rng(8);
    let h: Vec<f64> = (0..COUNTRIES.len()).map(|r| 1.0 / (r + 1) as f64).collect();
    let total: f64 = h.iter().sum();
    let mut acc = 0.0;
    let cdf: Vec<f64> = h
        .iter()
        .map(|x| {
            acc += x / total;
            acc
        })
        .collect();
    let docs = events.div_ceil(10);
    let conn = store.raw_connection();
    let indexes: Vec<String> = INDEXES
        .iter()
        .map(|name| {
            conn.query_row(
                "SELECT sql FROM sqlite_master WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .expect("index sql")
        })
        .collect();
    for name in INDEXES {
        conn.execute_batch(&format!("DROP INDEX {name}"))
            .expect("drop");
    }
    // Story rows are written after the events that point at them.
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .expect("pragma");
    struct Story {
        mentions: i64,
        day_last: usize,
        first: GenEvent,
        first_event: i64,
    }
    let mut stories: Vec<Story> = Vec::new();
    let mut recent: Vec<(usize, GenEvent)> = Vec::new();
    let start = Instant::now();
    let mut event_id: i64 = 0;
    let chunk = 20_000;
    let mut d = 0;
    while d < docs {
        let tx = conn.transaction().expect("tx");
        {
            let mut doc_st = tx
                .prepare("INSERT INTO documents (id, doc_id, url, source, published, pub_day, language, n_chars, n_events, record, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'en', 1000, 10, x'', 1700000000)")
                .expect("prepare");
            let mut ev_st = tx
                .prepare("INSERT INTO events (id, doc, event_id, part, story, type, contexts, cameo, root_code, quad_class, intensity, modality, src_name, src_country, src_sector, tgt_name, tgt_country, tgt_sector, day, place_name, place_country, lat, lon, geonames_id, sentence, trigger, trigger_start, confidence, sig) VALUES (?1, ?2, ?3, 0, ?4, ?5, '', ?6, ?7, ?8, ?9, 'asserted', ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, 'word', 0, 0.7, x'')")
                .expect("prepare");
            for d in d..(d + chunk).min(docs) {
                let day = DAY0 + d * DAYS / docs;
                let url = format!("https://outlet{}.example/{d}", d % 300);
                doc_st
                    .execute(rusqlite::params![
                        d as i64 + 1,
                        format!("bench-{d}"),
                        url,
                        format!("outlet{}", d % 300),
                        annalist_store::dates::iso(day as i64),
                        day as i64
                    ])
                    .expect("doc");
                for k in 0..10 {
                    let (story, ev) = if !recent.is_empty() && rng.below(3) == 0 {
                        let (story, mut e) = recent[rng.below(recent.len())].clone();
                        e.day += rng.below(2);
                        (story, e)
                    } else {
                        let src = rng.zipf(&cdf);
                        let mut tgt = rng.zipf(&cdf);
                        if tgt == src {
                            tgt = (tgt + 1) % COUNTRIES.len();
                        }
                        let place = (rng.below(10) < 7).then(|| {
                            let city = rng.below(2_000);
                            (
                                city,
                                (city % 140) as f64 - 60.0,
                                (city / 140) as f64 * 12.0 - 170.0,
                            )
                        });
                        let e = GenEvent {
                            kind: rng.below(TYPES.len()),
                            src,
                            tgt,
                            day,
                            place,
                            words: vec![],
                        };
                        stories.push(Story {
                            mentions: 0,
                            day_last: day,
                            first: e.clone(),
                            first_event: event_id + 1,
                        });
                        (stories.len() - 1, e)
                    };
                    if recent.len() == 500 {
                        recent.remove(0);
                    }
                    recent.push((story, ev.clone()));
                    let s = &mut stories[story];
                    s.mentions += 1;
                    s.day_last = s.day_last.max(ev.day);
                    event_id += 1;
                    let (kind, cameo) = TYPES[ev.kind];
                    let place = ev.place.map(|(c, lat, lon)| {
                        (
                            format!("City {c}"),
                            COUNTRIES[c % COUNTRIES.len()],
                            lat,
                            lon,
                            c as i64,
                        )
                    });
                    ev_st
                        .execute(rusqlite::params![
                            event_id,
                            d as i64 + 1,
                            format!("E{}", k + 1),
                            story as i64 + 1,
                            kind,
                            cameo,
                            &cameo[..2],
                            1 + (ev.kind / 4) as i64,
                            ev.kind as f64 - 8.0,
                            format!("{} actor", COUNTRIES[ev.src]),
                            COUNTRIES[ev.src],
                            SECTORS[ev.src % SECTORS.len()],
                            format!("{} actor", COUNTRIES[ev.tgt]),
                            COUNTRIES[ev.tgt],
                            SECTORS[ev.tgt % SECTORS.len()],
                            ev.day as i64,
                            place.as_ref().map(|p| p.0.clone()),
                            place.as_ref().map(|p| p.1),
                            place.as_ref().map(|p| p.2),
                            place.as_ref().map(|p| p.3),
                            place.as_ref().map(|p| p.4),
                            k as i64,
                        ])
                        .expect("event");
                }
            }
        }
        tx.commit().expect("commit");
        d = (d + chunk).min(docs);
        let secs = start.elapsed().as_secs_f64();
        eprintln!("{d} documents, {} events, {secs:.0} s", d * 10);
    }
    let tx = conn.transaction().expect("tx");
    {
        let mut st = tx
            .prepare("INSERT INTO stories (id, type, modality, dyad, cameo, quad_class, intensity, src_name, src_country, tgt_name, tgt_country, day_first, day_last, place_name, place_country, lat, lon, geonames_id, num_mentions, num_articles, num_sources, first_event) VALUES (?1, ?2, 'asserted', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?18, ?19)")
            .expect("prepare");
        for (i, s) in stories.iter().enumerate() {
            let e = &s.first;
            let (kind, cameo) = TYPES[e.kind];
            let place = e.place.map(|(c, lat, lon)| {
                (
                    format!("City {c}"),
                    COUNTRIES[c % COUNTRIES.len()],
                    lat,
                    lon,
                    c as i64,
                )
            });
            st.execute(rusqlite::params![
                i as i64 + 1,
                kind,
                format!("{}|{}", COUNTRIES[e.src], COUNTRIES[e.tgt]),
                cameo,
                1 + (e.kind / 4) as i64,
                e.kind as f64 - 8.0,
                format!("{} actor", COUNTRIES[e.src]),
                COUNTRIES[e.src],
                format!("{} actor", COUNTRIES[e.tgt]),
                COUNTRIES[e.tgt],
                e.day as i64,
                s.day_last as i64,
                place.as_ref().map(|p| p.0.clone()),
                place.as_ref().map(|p| p.1),
                place.as_ref().map(|p| p.2),
                place.as_ref().map(|p| p.3),
                place.as_ref().map(|p| p.4),
                s.mentions,
                s.first_event,
            ])
            .expect("story");
        }
    }
    tx.commit().expect("commit");
    eprintln!(
        "{} story events written, {:.0} s",
        stories.len(),
        start.elapsed().as_secs_f64()
    );
    for sql in &indexes {
        let t = Instant::now();
        conn.execute_batch(sql).expect("index");
        eprintln!("{sql}: {:.0} s", t.elapsed().as_secs_f64());
    }
    conn.execute_batch("ANALYZE").expect("analyze");
}

fn record(d: usize, day: usize, evs: &[GenEvent], rng: &mut Rng) -> Record {
    let mut text = String::new();
    let mut sentences = Vec::new();
    let mut actors = Vec::new();
    let mut events = Vec::new();
    for (k, e) in evs.iter().enumerate() {
        let start = text.chars().count();
        let s: Vec<String> = e.words.iter().map(|&w| word(w)).collect();
        text.push_str(&format!(
            "{} {} {}. ",
            COUNTRIES[e.src],
            s.join(" "),
            COUNTRIES[e.tgt]
        ));
        sentences.push(Span {
            start,
            end: text.chars().count() - 1,
        });
        for (side, c) in [(0, e.src), (1, e.tgt)] {
            actors.push(Actor {
                id: format!("A{}", 2 * k + side + 1),
                name: format!("{} actor {}", COUNTRIES[c], rng.below(50)),
                country: Some(COUNTRIES[c].into()),
                sectors: vec![SECTORS[rng.below(SECTORS.len())].into()],
                title: None,
                mentions: vec![],
                cameo: None,
                wikidata: None,
            });
        }
        let (kind, cameo) = TYPES[e.kind];
        events.push(Event {
            id: format!("E{}", k + 1),
            kind: kind.into(),
            mode: None,
            contexts: vec![],
            cameo: Some(cameo.into()),
            quad_class: Some(1 + (e.kind / 4) as u8),
            intensity: Some(e.kind as f64 - 8.0),
            source: vec![format!("A{}", 2 * k + 1)],
            target: vec![format!("A{}", 2 * k + 2)],
            trigger: Trigger {
                text: word(e.words[0]),
                start,
                end: start + 3,
            },
            sentence: k,
            modality: "asserted".into(),
            reported_by: None,
            location: e.place.map(|(city, lat, lon)| Place {
                name: format!("City {city}"),
                country: Some(COUNTRIES[city % COUNTRIES.len()].into()),
                admin1: None,
                lat,
                lon,
                geonames_id: Some(city as u64),
                feature: Some("PPL".into()),
                start: None,
                end: None,
            }),
            date: Some(annalist_store::dates::iso(e.day as i64)),
            date_source: Some("text".into()),
            size: Size::default(),
            confidence: 0.7,
        });
    }
    Record {
        schema: SCHEMA.into(),
        doc_id: format!("bench-{d}"),
        meta: RecordMeta {
            title: None,
            url: Some(format!("https://outlet{}.example/{d}", d % 300)),
            publisher: None,
            published: Some(annalist_store::dates::iso(day as i64)),
            language: "en".into(),
            license: None,
            dateline: None,
            publisher_mention: None,
            title_source: None,
        },
        text,
        sentences,
        entities: vec![],
        actors,
        events,
        error: None,
        warnings: vec![],
    }
}

fn median_max(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

fn time<T>(label: &str, runs: &mut dyn FnMut(usize) -> T, n: usize) {
    let mut ms = Vec::new();
    for k in 0..n {
        let t = Instant::now();
        std::hint::black_box(runs(k));
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let (med, max) = median_max(ms);
    println!("{label:<58} median {med:7.1} ms   max {max:7.1} ms");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let db = args
        .get(2)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("annalist-bench-{events}.db")));
    let fresh = !db.exists();
    let mut store = Store::open(&db).expect("open");
    if fresh {
        store.set_cache_mib(4096).expect("cache");
        let t = Instant::now();
        if args.get(3).map(String::as_str) == Some("ingest") {
            generate(&mut store, events);
        } else {
            generate_raw(&mut store, events);
        }
        eprintln!("generated in {:.0} s", t.elapsed().as_secs_f64());
    }
    drop(store);
    let store = Store::open_read_only(&db).expect("open");
    let stats = store.stats().expect("stats");
    println!(
        "store {}: {} documents, {} reports, {} story events, {:.2} GB",
        db.display(),
        stats.documents,
        stats.reports,
        stats.story_events,
        stats.bytes as f64 / 1e9
    );
    let n = 21;
    let pairs = [
        ("USA", "CHN"),
        ("IRN", "ISR"),
        ("RUS", "UKR"),
        ("TJK", "UZB"),
        ("IND", "PAK"),
    ];
    let month = |k: usize| {
        let from = DAY0 as i64 + (k as i64 * 173) % (DAYS as i64 - 31);
        (
            annalist_store::dates::iso(from),
            annalist_store::dates::iso(from + 30),
        )
    };
    let year = |k: usize| {
        let from = DAY0 as i64 + (k as i64 * 173) % (DAYS as i64 - 366);
        (
            annalist_store::dates::iso(from),
            annalist_store::dates::iso(from + 365),
        )
    };
    let dyad = |k: usize, range: (String, String)| Filter {
        actor_country: Some(pairs[k % pairs.len()].0.into()),
        target_country: Some(pairs[k % pairs.len()].1.into()),
        from: Some(range.0),
        to: Some(range.1),
        ..Filter::default()
    };
    let kinds = ["ASSAULT", "CONSULT", "PROTEST", "AGREE", "SANCTION"];
    let countries = ["USA", "IRN", "SYR", "TJK", "CHN", "AFG", "RUS"];
    let type_place = |k: usize| Filter {
        kind: Some(kinds[k % kinds.len()].into()),
        place_country: Some(countries[k % countries.len()].into()),
        ..Filter::default()
    };
    let type_actor = |k: usize| Filter {
        kind: Some(kinds[k % kinds.len()].into()),
        actor_country: Some(countries[k % countries.len()].into()),
        ..Filter::default()
    };
    time(
        "dyad + 1 month: list 100 story events",
        &mut |k| store.stories(&dyad(k, month(k)), Some(100)).unwrap().len(),
        n,
    );
    time(
        "dyad + 1 month: count story events",
        &mut |k| store.count(&dyad(k, month(k)), Unit::Stories).unwrap(),
        n,
    );
    time(
        "dyad + 1 year: list 100 story events",
        &mut |k| store.stories(&dyad(k, year(k)), Some(100)).unwrap().len(),
        n,
    );
    time(
        "dyad + 1 year: count story events",
        &mut |k| store.count(&dyad(k, year(k)), Unit::Stories).unwrap(),
        n,
    );
    time(
        "dyad + 1 year: count reports",
        &mut |k| store.count(&dyad(k, year(k)), Unit::Reports).unwrap(),
        n,
    );
    time(
        "dyad + 1 year: story events by week",
        &mut |k| {
            store
                .count_by(&dyad(k, year(k)), Unit::Stories, CountBy::Week)
                .unwrap()
                .len()
        },
        n,
    );
    time(
        "type + place country: list 100 story events",
        &mut |k| store.stories(&type_place(k), Some(100)).unwrap().len(),
        n,
    );
    time(
        "type + place country: count story events",
        &mut |k| store.count(&type_place(k), Unit::Stories).unwrap(),
        n,
    );
    time(
        "type + actor country: list 100 story events",
        &mut |k| store.stories(&type_actor(k), Some(100)).unwrap().len(),
        n,
    );
    time(
        "type + actor country: count story events",
        &mut |k| store.count(&type_actor(k), Unit::Stories).unwrap(),
        n,
    );
    time(
        "type + actor country + 1 year: story events by month",
        &mut |k| {
            let mut f = type_actor(k);
            (f.from, f.to) = (Some(year(k).0), Some(year(k).1));
            store
                .count_by(&f, Unit::Stories, CountBy::Month)
                .unwrap()
                .len()
        },
        n,
    );
}
