//! Training on a tiny hand-written fixture, model round trips and garbage.

use annalist_doc::EntityType;
use annalist_ner::corpus::{self, map_common};
use annalist_ner::gazetteer::{GazKind, Gazetteer};
use annalist_ner::lexicon::Lexicon;
use annalist_ner::train::{train, TrainConfig};
use annalist_ner::{Error, Ner};

const FIXTURE: &str = include_str!("fixtures/tiny.iob2");

fn tiny_model() -> Ner {
    let (raw, bad) = corpus::read_iob(FIXTURE);
    assert!(bad.is_empty());
    assert_eq!(raw.len(), 8);
    let data: Vec<_> = raw
        .iter()
        .map(|s| (corpus::harmonise(s, map_common), 1))
        .collect();
    let mut gaz = Gazetteer::new();
    gaz.add_hand_lists();
    gaz.add(GazKind::City, "Lisbon");
    gaz.add(GazKind::Demonym, "Peruvian");
    let cfg = TrainConfig {
        epochs: 10,
        ..TrainConfig::default()
    };
    let mut epochs = 0;
    let ner = train(&data, gaz, Lexicon::default(), &cfg, |_, _, _| epochs += 1);
    assert_eq!(epochs, 10);
    ner
}

fn labelled(ner: &Ner, words: &[&str]) -> Vec<(String, EntityType)> {
    ner.label_sentence(words)
        .into_iter()
        .map(|s| (words[s.start as usize..s.end as usize].join(" "), s.label))
        .collect()
}

#[test]
fn training_fits_the_fixture() {
    let ner = tiny_model();
    let words = ["Lena", "Berg", "flew", "from", "Oslo", "to", "Nairobi", "."];
    assert_eq!(
        labelled(&ner, &words),
        vec![
            ("Lena Berg".to_string(), EntityType::Per),
            ("Oslo".to_string(), EntityType::Loc),
            ("Nairobi".to_string(), EntityType::Loc),
        ]
    );
    // The demonym rule adds NORP on top of the model.
    let words = ["the", "Peruvian", "boats", "were", "slow", "."];
    assert_eq!(
        labelled(&ner, &words),
        vec![("Peruvian".to_string(), EntityType::Norp)]
    );
}

#[test]
fn model_round_trips_through_bytes() {
    let ner = tiny_model();
    let bytes = ner.to_bytes();
    assert!(bytes.starts_with(annalist_ner::MAGIC));
    let back = Ner::load(&bytes).expect("a written model loads");
    assert_eq!(
        back.to_bytes(),
        bytes,
        "writing is deterministic and lossless after one quantisation"
    );
    let words = ["Kofi", "Mensah", "spoke", "in", "Accra", "."];
    assert_eq!(labelled(&back, &words), labelled(&ner, &words));
    assert_eq!(back.gazetteer().len(), ner.gazetteer().len());
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    assert!(matches!(Ner::load(b""), Err(Error::Magic)));
    assert!(matches!(
        Ner::load(b"hello world, not a model"),
        Err(Error::Magic)
    ));
    let bytes = tiny_model().to_bytes();
    let mut wrong_version = bytes.clone();
    wrong_version[annalist_ner::MAGIC.len()] = 99;
    assert!(matches!(
        Ner::load(&wrong_version),
        Err(Error::Version { found: 99, .. })
    ));
    for cut in [
        annalist_ner::MAGIC.len() + 2,
        bytes.len() / 2,
        bytes.len() - 1,
    ] {
        assert!(Ner::load(&bytes[..cut]).is_err(), "truncated at {cut}");
    }
    let mut flipped = bytes.clone();
    let mid = bytes.len() * 2 / 3;
    flipped[mid] ^= 0x55;
    // A flipped byte inside the compressed body either fails to load or
    // loads as some model; it must never panic.
    let _ = Ner::load(&flipped);
    let e = Ner::load(b"ANNALIST-NER\n").unwrap_err().to_string();
    assert!(e.starts_with("ner model is corrupt"), "{e}");
}
