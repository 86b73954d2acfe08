//! The pipeline: text layer, then trained components, then coding.
//!
//! Every stage takes a `&mut Doc` and fills its own columns; no stage fails on
//! text. Only building the pipeline (loading models) can fail.

use annalist_doc::{derive_doc_id, Doc, Record};
use annalist_ingest::{Document, Failure};

pub mod explain;
pub mod learn;

/// The loaded components. Cheap to share between threads by reference.
pub struct Pipeline {
    tagger: annalist_models::Tagger,
    parser: annalist_models::Parser,
    ner: annalist_ner::Ner,
    actors: annalist_actors::ActorResolver,
    events: annalist_events::Coder,
}

impl Pipeline {
    /// The pipeline with the models built into the binary.
    pub fn builtin() -> Result<Self, String> {
        let ner = annalist_ner::Ner::builtin()
            .map_err(|e| format!("cannot load the built-in NER model: {e}"))?;
        let tagger = annalist_models::Tagger::builtin()
            .map_err(|e| format!("cannot load the built-in tagger: {e}"))?;
        let parser = annalist_models::Parser::builtin()
            .map_err(|e| format!("cannot load the built-in parser: {e}"))?;
        let events = annalist_events::Coder::builtin().with_clusters(tagger.clusters().clone());
        Ok(Pipeline {
            tagger,
            parser,
            ner,
            actors: annalist_actors::ActorResolver::builtin(),
            events,
        })
    }

    /// Runs the entity tagger alone (the doc must be tokenized, tagged and
    /// parsed): for benchmarks that time each stage.
    pub fn annotate_entities(&self, doc: &mut Doc) {
        self.ner.annotate(doc);
    }

    /// Runs the actor layer alone (after the entity tagger).
    pub fn annotate_actors(&self, doc: &mut Doc) {
        self.actors.annotate(doc);
    }

    /// Runs the event coder alone (after the actor layer).
    pub fn annotate_events(&self, doc: &mut Doc) {
        self.events.annotate(doc);
    }

    /// Runs every component over `doc` in place.
    pub fn annotate(&self, doc: &mut Doc) {
        self.annotate_through_actors(doc);
        self.events.annotate(doc);
        self.finish(doc);
    }

    /// The passes after the event coder (country actors' sectors).
    pub fn finish(&self, doc: &mut Doc) {
        self.actors.finish(doc);
    }

    /// Runs every component before the event coder: what the event coder
    /// and its training read.
    pub fn annotate_through_actors(&self, doc: &mut Doc) {
        self.annotate_before_actors(doc);
        self.actors.annotate(doc);
    }

    /// [`Self::annotate_through_actors`] with no country ranker: actors the
    /// text gives no country keep none (what training the ranker reads).
    pub fn annotate_through_actors_unranked(&self, doc: &mut Doc) {
        self.annotate_before_actors(doc);
        self.actors.annotate_with(doc, None);
    }

    fn annotate_before_actors(&self, doc: &mut Doc) {
        annalist_text::meta::detect(doc);
        annalist_text::tokenize::tokenize(doc);
        annalist_text::sentences::split_sentences(doc);
        self.tagger.tag_doc(doc);
        self.parser.parse_doc(doc);
        self.ner.annotate(doc);
    }

    /// The event coder.
    pub fn coder(&self) -> &annalist_events::Coder {
        &self.events
    }

    /// This pipeline with `model` as the event coder's learned model
    /// (`None`: the lexicon rules alone).
    ///
    /// Each coder gets the actor-country policy it was measured with
    /// (`annalist_actors::fallback::CountryPolicy`): the learned coder the
    /// ranker alone, the rules the dominant country first.
    pub fn with_event_model(mut self, model: Option<annalist_events::EventModel>) -> Self {
        let policy = if model.is_some() {
            annalist_actors::fallback::CountryPolicy::Ranked
        } else {
            annalist_actors::fallback::CountryPolicy::DominantFirst
        };
        self.actors = self.actors.with_country_policy(policy);
        self.events = self.events.with_model(model);
        self
    }

    /// Builds the doc for `input`, annotates it and returns its record.
    pub fn code(&self, input: Document) -> Record {
        let mut doc = Self::doc_of(input);
        self.annotate(&mut doc);
        doc.to_record()
    }

    /// The doc for `input`, not yet annotated: its text, id (given, else
    /// derived from the text) and the metadata the input gives.
    pub fn doc_of(input: Document) -> Doc {
        let doc_id = input
            .doc_id
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| derive_doc_id(&input.text));
        // The label says what the text looks like: every consumer of a
        // record (code, ingest, serve) gets the same one.
        let language = annalist_ingest::language::detect(&input.text).code;
        let mut doc = Doc::new(doc_id, input.text);
        doc.meta.language = language.to_string();
        doc.meta.title = input.title;
        doc.meta.title_source = input.title_source;
        doc.meta.url = input.url;
        doc.meta.published = input.published;
        doc.meta.publisher = input.publisher;
        doc.meta.license = input.license;
        doc.warnings = input.warnings;
        doc
    }
}

/// The record for a document that could not be read: no analysis, an error.
pub fn failed_record(failure: &Failure) -> Record {
    let doc_id = failure
        .doc_id
        .clone()
        .unwrap_or_else(|| match failure.origin.line {
            Some(line) => format!("{}:{line}", failure.origin.source),
            None => format!("{}#{}", failure.origin.source, failure.origin.index),
        });
    Record::failed(doc_id, failure.code, failure.message.clone())
}
