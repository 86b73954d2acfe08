//! The learned event coder end to end, on a corpus small enough to write by
//! hand (our own sentences): annotations are aligned to the text, the
//! models are trained, written, read back, and code unseen text; folds keep
//! every article once.

use annalist_events::train::{GoldArticle, TrainSettings};
use annalist_events::EventModel;
use annalist_ingest::Document;
use annalist_pipeline::learn::{cross_validate, fold_of, prepare, train_model};
use annalist_pipeline::Pipeline;

/// An article in which `a` and `b` meet: the trigger "met", the sides the
/// two countries' names.
fn meeting(id: usize, a: (&str, &str), b: (&str, &str)) -> GoldArticle {
    let text = format!(
        "{} officials met {} officials in Geneva on Monday. The weather was mild.",
        a.0, b.0
    );
    let evidence = format!(
        "{} officials met {} officials in Geneva on Monday",
        a.0, b.0
    );
    let json = serde_json::json!({
        "doc_id": format!("synthetic-{id}"),
        "text": text,
        "events": [{
            "type": "CONSULT",
            "source": {"text": a.0, "country": a.1, "sectors": ["GOV"]},
            "target": {"text": b.0, "country": b.1, "sectors": ["GOV"]},
            "modality": "asserted",
            "evidence": evidence,
            "trigger": "met"
        }]
    });
    serde_json::from_value(json).expect("a valid gold article")
}

fn corpus() -> Vec<GoldArticle> {
    let pairs = [
        (("Iranian", "IRN"), ("Iraqi", "IRQ")),
        (("French", "FRA"), ("German", "DEU")),
        (("Russian", "RUS"), ("Chinese", "CHN")),
        (("Turkish", "TUR"), ("Syrian", "SYR")),
        (("Indian", "IND"), ("Pakistani", "PAK")),
        (("Japanese", "JPN"), ("Korean", "KOR")),
    ];
    pairs
        .iter()
        .cycle()
        .take(24)
        .enumerate()
        .map(|(i, &(a, b))| meeting(i, a, b))
        .collect()
}

#[test]
fn a_model_trained_on_meetings_codes_an_unseen_meeting_and_survives_a_write() {
    let pipeline = Pipeline::builtin()
        .expect("built-in models load")
        .with_event_model(None);
    let docs = prepare(&pipeline, corpus(), 2);
    assert_eq!(docs.len(), 24, "every article is prepared once, in order");
    assert!(
        docs.iter()
            .all(|p| p.examples.aligned == 1 && p.examples.unaligned == 0),
        "every trigger is found on its word"
    );
    let all: Vec<_> = docs.iter().collect();
    let model = train_model(&all, &TrainSettings::default(), "{}".into());
    let bytes = model.write();
    let read = EventModel::read(&bytes).expect("the model reads back");
    assert_eq!(
        read.write(),
        bytes,
        "reading and writing gives the same bytes"
    );

    let pipeline = pipeline.with_event_model(Some(read));
    let record = pipeline.code(Document {
        text: "Egyptian officials met Saudi officials in Cairo on Friday.".into(),
        ..Document::default()
    });
    assert!(
        record.events.iter().any(|e| e.kind == "CONSULT"),
        "the meeting is coded: {:?}",
        record.events
    );
}

#[test]
fn cross_validation_codes_every_article_once_with_a_model_that_never_saw_it() {
    let pipeline = Pipeline::builtin()
        .expect("built-in models load")
        .with_event_model(None);
    let docs = prepare(&pipeline, corpus(), 1);
    let records = cross_validate(&pipeline, &docs, 3, 1.0, &TrainSettings::default(), true).records;
    assert_eq!(records.len(), docs.len());
    for (r, p) in records.iter().zip(&docs) {
        assert_eq!(r.doc_id, p.gold.doc_id, "records keep the input order");
    }
    // Folds follow the article id, not its position: adding articles never
    // moves one from fold to fold.
    assert_eq!(fold_of("tt-100809", 5), fold_of("tt-100809", 5));
    assert!((0..5).contains(&fold_of("anything", 5)));
}

#[test]
fn an_unreadable_event_model_is_refused_with_a_hint() {
    let err = EventModel::read(b"not a model").unwrap_err().to_string();
    assert!(err.contains("annalist train events"), "{err}");
}

/// An article in which a country's leader orders its own ministry: one
/// country on both sides.
fn domestic_order(id: usize, (people, code): (&str, &str)) -> GoldArticle {
    let sentence = format!(
        "The {people} president ordered the {people} interior ministry to help the flood victims"
    );
    let json = serde_json::json!({
        "doc_id": format!("domestic-{id}"),
        "text": format!("{sentence}. Rain fell for a week."),
        "events": [{
            "type": "REQUEST",
            "source": {"text": format!("The {people} president"), "country": code, "sectors": ["GOV"]},
            "target": {"text": format!("{people} interior ministry"), "country": code, "sectors": ["GOV"]},
            "modality": "asserted",
            "evidence": sentence,
            "trigger": "ordered"
        }]
    });
    serde_json::from_value(json).expect("a valid gold article")
}

#[test]
fn a_domestic_event_has_one_country_on_both_sides() {
    // A sixth of annotated events are domestic (a president orders a
    // ministry, police arrest protesters): the side model must be able to
    // name the source's own country as the target, which a model that
    // picks two different countries never can.
    let pipeline = Pipeline::builtin()
        .expect("built-in models load")
        .with_event_model(None);
    let peoples = [
        ("Iranian", "IRN"),
        ("French", "FRA"),
        ("Russian", "RUS"),
        ("Turkish", "TUR"),
        ("Indian", "IND"),
        ("Japanese", "JPN"),
    ];
    let articles: Vec<GoldArticle> = peoples
        .iter()
        .cycle()
        .take(24)
        .enumerate()
        .map(|(i, &p)| domestic_order(i, p))
        .collect();
    let docs = prepare(&pipeline, articles, 2);
    let all: Vec<_> = docs.iter().collect();
    let model = train_model(&all, &TrainSettings::default(), "{}".into());
    let pipeline = pipeline.with_event_model(Some(model));
    let record = pipeline.code(Document {
        text: "The Egyptian president ordered the Egyptian interior ministry to help the flood victims."
            .into(),
        ..Document::default()
    });
    let country = |ids: &[String]| -> Vec<Option<String>> {
        ids.iter()
            .map(|id| {
                record
                    .actors
                    .iter()
                    .find(|a| &a.id == id)
                    .and_then(|a| a.country.clone())
            })
            .collect()
    };
    let domestic = record.events.iter().find(|e| e.kind == "REQUEST");
    let domestic = domestic.unwrap_or_else(|| panic!("the order is coded: {:?}", record.events));
    assert_eq!(country(&domestic.source), vec![Some("EGY".to_string())]);
    assert_eq!(country(&domestic.target), vec![Some("EGY".to_string())]);
}

/// A story filed in Tehran about Iraq, quoting a spokesman the text gives
/// no country, whom the annotation makes Iranian.
fn spokesman_story(id: usize, name: &str) -> GoldArticle {
    let sentence =
        format!("Spokesman {name} said Iraqi officials should meet Iraqi ministers in Baghdad");
    let json = serde_json::json!({
        "doc_id": format!("spokesman-{id}"),
        "publisher": "Example Times",
        "text": format!("TEHRAN – {sentence}. Iraq, Syria and Turkey disagree."),
        "events": [{
            "type": "REQUEST",
            "source": {"text": format!("Spokesman {name}"), "country": "IRN", "sectors": ["GOV"]},
            "target": {"text": "Iraqi officials", "country": "IRQ", "sectors": ["GOV"]},
            "modality": "asserted",
            "evidence": sentence,
            "trigger": "said"
        }]
    });
    serde_json::from_value(json).expect("a valid gold article")
}

#[test]
fn an_actor_without_a_country_gets_the_one_the_ranker_learned() {
    // No country has two fifths of the story, so the dominant-country rule
    // abstains; the annotated corpus teaches the ranker that the country
    // where the story was filed is the likelier home.
    let pipeline = Pipeline::builtin()
        .expect("built-in models load")
        .with_event_model(None);
    let names = ["Ali Rezaei", "Hamid Karimi", "Reza Ahmadi", "Mehdi Moradi"];
    let articles: Vec<GoldArticle> = (0..20)
        .map(|i| spokesman_story(i, names[i % names.len()]))
        .collect();
    let docs = prepare(&pipeline, articles, 2);
    assert!(
        docs.iter().any(|p| !p.countries.is_empty()),
        "the spokesman is a training example for the ranker"
    );
    let model = annalist_pipeline::learn::train_country_model(&docs, "{}".into());
    let read = annalist_actors::fallback::CountryModel::read(&model.write())
        .expect("the ranker reads back");
    let spokesman_country = |doc: &annalist_doc::Doc| {
        doc.actors
            .iter()
            .find(|a| a.name.contains("Karimi"))
            .and_then(|a| a.country.clone())
    };
    let mut doc = Pipeline::doc_of(Document {
        text: "TEHRAN – Spokesman Hamid Karimi said Iraqi officials should meet Syrian and Turkish ministers. Iraq, Syria and Turkey disagree.".into(),
        publisher: Some("Example Times".into()),
        ..Document::default()
    });
    pipeline.annotate_through_actors_unranked(&mut doc);
    let decided = annalist_actors::fallback::explain(&read, &doc);
    assert!(
        decided.iter().all(|(_, rule, _)| rule.is_none()),
        "the dominant-country rule abstains here: {decided:?}"
    );
    annalist_actors::fallback::apply(
        &read,
        &mut doc,
        annalist_actors::fallback::CountryPolicy::DominantFirst,
    );
    assert_eq!(spokesman_country(&doc).as_deref(), Some("IRN"));
}

#[test]
fn the_built_in_country_ranker_reads_back_to_the_same_bytes() {
    let model = annalist_actors::fallback::CountryModel::builtin().expect("a ranker is built in");
    let bytes = model.write();
    let read = annalist_actors::fallback::CountryModel::read(&bytes).expect("it reads back");
    assert_eq!(read.write(), bytes);
}

/// A meeting filed from Tehran that happened in another country's city,
/// annotated with that city as its location.
fn meeting_abroad(
    id: usize,
    (people, code): (&str, &str),
    (city, at): (&str, &str),
) -> GoldArticle {
    let sentence = format!("{people} officials met Iranian officials in {city} on Monday");
    let json = serde_json::json!({
        "doc_id": format!("abroad-{id}"),
        "text": format!("TEHRAN – {sentence}. Tehran hopes for more trade."),
        "events": [{
            "type": "CONSULT",
            "source": {"text": format!("{people} officials"), "country": code, "sectors": ["GOV"]},
            "target": {"text": "Iranian officials", "country": "IRN", "sectors": ["GOV"]},
            "modality": "asserted",
            "location": {"name": city, "country": at},
            "evidence": sentence,
            "trigger": "met"
        }]
    });
    serde_json::from_value(json).expect("a valid gold article")
}

#[test]
fn an_event_is_placed_where_its_sentence_says_not_where_the_story_was_filed() {
    // The place model learns from annotated locations; the dateline and a
    // later mention of the capital it names are candidates too, and must
    // lose to the city the meeting was held in.
    let pipeline = Pipeline::builtin()
        .expect("built-in models load")
        .with_event_model(None);
    let cases = [
        (("French", "FRA"), ("Geneva", "CHE")),
        (("German", "DEU"), ("Vienna", "AUT")),
        (("Russian", "RUS"), ("Baku", "AZE")),
        (("Indian", "IND"), ("Doha", "QAT")),
    ];
    let articles: Vec<GoldArticle> = cases
        .iter()
        .cycle()
        .take(20)
        .enumerate()
        .map(|(i, &(p, c))| meeting_abroad(i, p, c))
        .collect();
    let docs = prepare(&pipeline, articles, 2);
    assert!(
        docs.iter().all(|p| p.examples.place.len() == 1),
        "each annotated location is a place example"
    );
    let all: Vec<_> = docs.iter().collect();
    let model = train_model(&all, &TrainSettings::default(), "{}".into());
    let model = EventModel::read(&model.write()).expect("the model reads back");
    let pipeline = pipeline.with_event_model(Some(model));
    let record = pipeline.code(Document {
        text: "TEHRAN – Japanese officials met Iranian officials in Oslo on Friday. Tehran hopes for more trade."
            .into(),
        ..Document::default()
    });
    let meeting = record.events.iter().find(|e| e.kind == "CONSULT");
    let meeting = meeting.unwrap_or_else(|| panic!("the meeting is coded: {:?}", record.events));
    let place = meeting.location.as_ref().map(|p| p.name.as_str());
    assert_eq!(place, Some("Oslo"), "{:?}", meeting.location);
}
