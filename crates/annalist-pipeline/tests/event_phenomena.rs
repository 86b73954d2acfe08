//! Regression tests for coding phenomena, one sentence each, written in our
//! own words: the unnamed side of an event, promises, conditional threats,
//! demonyms standing for their country, and where statements are located.

use annalist_ingest::Document;
use annalist_pipeline::Pipeline;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::builtin().expect("built-in models load"))
}

/// The pipeline with the learned event coder.
fn learned() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        Pipeline::builtin()
            .expect("built-in models load")
            .with_event_model(annalist_events::EventModel::builtin())
    })
}

/// Each event as "TYPE SRC→TGT" with the actors' countries, in text order.
fn events(text: &str) -> (annalist_doc::Record, Vec<String>) {
    events_by(pipeline(), text)
}

/// [`events`] as `p` codes them.
fn events_by(p: &Pipeline, text: &str) -> (annalist_doc::Record, Vec<String>) {
    let r = p.code(Document {
        text: text.to_string(),
        ..Document::default()
    });
    let country = |id: &String| {
        r.actors
            .iter()
            .find(|a| &a.id == id)
            .and_then(|a| a.country.clone())
            .unwrap_or_else(|| "?".into())
    };
    let out = r
        .events
        .iter()
        .map(|e| {
            let side = |ids: &[String]| ids.iter().map(country).collect::<Vec<_>>().join("+");
            format!("{} {}→{}", e.kind, side(&e.source), side(&e.target))
        })
        .collect();
    (r, out)
}

#[test]
fn issue6_unnamed_police_act_for_the_country_of_the_place() {
    let (_, ev) = events("Police in Lyon arrested three men on Tuesday.");
    assert!(ev.contains(&"COERCE FRA→FRA".to_string()), "{ev:?}");
}

#[test]
fn issue6_a_future_cooperative_act_is_a_promise() {
    let (r, ev) = events("Norway will provide emergency aid to Chad.");
    assert!(ev.contains(&"AGREE NOR→TCD".to_string()), "{ev:?}");
    let e = r.events.iter().find(|e| e.kind == "AGREE").unwrap();
    assert_eq!(e.cameo.as_deref(), Some("033"));
    assert_eq!(e.modality, "future");
}

#[test]
fn issue6_a_hostile_act_under_a_condition_is_a_threat() {
    let (_, ev) = events("Kenya will withdraw its troops from Somalia unless the talks resume.");
    assert!(ev.iter().any(|e| e.starts_with("THREATEN KEN→")), "{ev:?}");
}

#[test]
fn issue5_a_demonym_stands_for_its_country() {
    let (_, ev) = events("Chile rejected a Peruvian proposal on Monday.");
    assert!(ev.contains(&"REJECT CHL→PER".to_string()), "{ev:?}");
}

#[test]
fn issue7_statements_are_not_placed_where_their_object_is() {
    let (r, ev) = events("Egypt demanded the release of an Egyptian sailor held in Greece.");
    assert!(ev.iter().any(|e| e.starts_with("REQUEST EGY")), "{ev:?}");
    assert!(
        r.events.iter().all(|e| e.location.is_none()),
        "{:?}",
        r.events
    );
}

#[test]
fn issue6_each_country_of_a_coordinated_subject_takes_part() {
    let (_, ev) =
        events("Senior Chilean and Peruvian officials agreed on Friday to reopen the border.");
    assert!(
        ev.iter()
            .any(|e| e.starts_with("AGREE") && e.contains("CHL") && e.contains("PER")),
        "{ev:?}"
    );
}

#[test]
fn issue6_an_actor_inside_the_subject_phrase_acts() {
    let (_, ev) =
        events("European Union foreign ministers agreed on Monday to send aid to Moldova.");
    assert!(ev.iter().any(|e| e.contains("EUR→")), "{ev:?}");
}

#[test]
fn issue6_a_progressive_is_not_a_passive() {
    let (_, ev) = events("Bolivia is demanding the return of its ambassador from Chile.");
    assert!(ev.iter().any(|e| e.starts_with("REQUEST BOL")), "{ev:?}");
}

#[test]
fn issue6_it_and_they_stand_for_the_actor_before_them() {
    let (_, ev) = events("Norway said on Monday that it would send medical aid to Chad.");
    assert!(ev.iter().any(|e| e.starts_with("AGREE NOR→TCD")), "{ev:?}");
}

#[test]
fn issue5_an_envoy_of_an_intergovernmental_body_speaks_for_it() {
    let (r, _) = events("Anna Berg, the UN special envoy for Sudan, met rebel leaders on Monday.");
    let berg = r
        .actors
        .iter()
        .find(|a| a.name.contains("Berg"))
        .expect("Berg is an actor");
    assert_eq!(berg.country.as_deref(), Some("UNO"));
}

#[test]
fn issue5_an_abbreviation_in_brackets_is_the_same_organisation() {
    let (r, _) = events("The National Liberation Front (NLF) said on Monday it would disarm.");
    let nlf: Vec<_> = r
        .actors
        .iter()
        .filter(|a| a.name.contains("Liberation"))
        .collect();
    assert_eq!(nlf.len(), 1, "{:?}", r.actors);
    assert_eq!(nlf[0].mentions.len(), 2, "{:?}", r.actors);
    assert!(r.actors.iter().all(|a| a.name != "NLF"), "{:?}", r.actors);
}

#[test]
fn issue7_narrowing_words_keep_the_place_governed() {
    let (r, ev) =
        events("Two soldiers were killed in a roadside bombing near the town of Kandahar.");
    assert!(ev.iter().any(|e| e.starts_with("ASSAULT AFG")), "{ev:?}");
    let e = r.events.iter().find(|e| e.kind == "ASSAULT").unwrap();
    assert_eq!(
        e.location.as_ref().map(|p| p.name.as_str()),
        Some("Kandahar")
    );
}

#[test]
fn issue6_an_unnamed_group_in_a_country_acts_for_it() {
    let (_, ev) =
        events("Opposition groups in Kenya are demanding that the government lower fuel prices.");
    assert!(ev.iter().any(|e| e.starts_with("REQUEST KEN")), "{ev:?}");
}

#[test]
fn issue6_opposed_to_is_an_adjective_not_a_passive() {
    let (_, ev) = events("Japan is opposed to Chinese mediation in the dispute.");
    assert!(ev.iter().any(|e| e.starts_with("REJECT JPN→CHN")), "{ev:?}");
}

#[test]
fn issue6_a_recipient_left_unnamed_is_domestic() {
    let (_, ev) = events("Vice-President Daniel Moi of Kenya declined to resign on Friday.");
    assert!(ev.iter().any(|e| e == "REJECT KEN→KEN"), "{ev:?}");
}

#[test]
fn issue6_what_another_must_do_is_a_demand() {
    // The demanded act is not coded: nothing was returned.
    let (_, ev) = events("Kenya said on Tuesday that Uganda must return the seized trucks.");
    assert!(ev.contains(&"REQUEST KEN→UGA".to_string()), "{ev:?}");
    assert!(
        !ev.iter()
            .any(|e| e.starts_with("RETREAT") || e.starts_with("CONCEDE")),
        "{ev:?}"
    );
}

#[test]
fn issue6_a_present_participle_acts_for_whoever_made_the_noun() {
    let (_, ev) = events(
        "The Kenyan opposition issued a statement demanding that the Ugandan government free the prisoners.",
    );
    assert!(
        ev.iter().any(|e| e.starts_with("REQUEST KEN→UGA")),
        "{ev:?}"
    );
}

#[test]
fn issue5_a_country_after_on_or_from_is_a_side() {
    let (_, ev) = events("Canada lifted its sanctions on Chile on Monday.");
    assert!(ev.iter().any(|e| e.ends_with("CAN→CHL")), "{ev:?}");
    let (_, ev) = events("Norway completed the withdrawal of its troops from Mali.");
    assert!(ev.iter().any(|e| e == "RETREAT NOR→MLI"), "{ev:?}");
}

#[test]
fn issue5_a_titled_surname_is_the_leader_of_the_larger_country() {
    let (r, _) = events("President Bush criticized Chile on Monday.");
    let bush = r.actors.iter().find(|a| a.name.contains("Bush")).unwrap();
    assert_eq!(bush.country.as_deref(), Some("USA"));
}

#[test]
fn issue5_a_people_named_where_it_lives_is_of_that_country() {
    let (r, _) = events("Ethnic Hungarians protested on Sunday in Romania.");
    let a = r
        .actors
        .iter()
        .find(|a| a.name.contains("Hungarians"))
        .unwrap();
    assert_eq!(a.country.as_deref(), Some("ROU"));
    let (r, _) = events("The Hungarians of northern Serbia demanded autonomy.");
    let a = r
        .actors
        .iter()
        .find(|a| a.name.contains("Hungarians"))
        .unwrap();
    assert_eq!(a.country.as_deref(), Some("SRB"));
}

#[test]
fn issue5_a_capital_belongs_to_the_state_that_has_it_now() {
    // GeoNames still lists Serbia and Montenegro with Belgrade as capital.
    let (r, _) = events("Belgrade criticized the decision on Monday.");
    let a = r.actors.iter().find(|a| a.name == "Belgrade").unwrap();
    assert_eq!(a.country.as_deref(), Some("SRB"));
}

#[test]
fn issue5_a_part_of_a_country_named_as_a_side_is_the_country() {
    let (_, ev) = events("Syria launched an invasion of South Lebanon on Friday.");
    assert!(ev.iter().any(|e| e.ends_with("SYR→LBN")), "{ev:?}");
}

#[test]
fn issue5_the_country_an_envoy_is_sent_to_is_not_his() {
    let (r, _) =
        events("Kenyan Ambassador to the Netherlands John Kamau said the talks went well.");
    let a = r.actors.iter().find(|a| a.name.contains("Kamau")).unwrap();
    assert_eq!(a.country.as_deref(), Some("KEN"));
    let (r, _) = events("UN special envoy to Chad Peter Holm arrived in the capital on Monday.");
    let a = r.actors.iter().find(|a| a.name.contains("Holm")).unwrap();
    assert_eq!(a.country.as_deref(), Some("UNO"));
}

#[test]
fn issue5_a_name_of_a_country_is_of_it() {
    let (r, _) = events(
        "Prime Minister Jan Novak of the Czech Republic met President Emmanuel Macron of France.",
    );
    let a = r.actors.iter().find(|a| a.name.contains("Novak")).unwrap();
    assert_eq!(a.country.as_deref(), Some("CZE"));
}

#[test]
fn issue5_a_name_after_a_comma_starts_a_list_not_an_appositive() {
    let (r, _) = events(
        "Condemnation came from Kofi Annan, Pope Francis, and the spokesman of the Chilean president.",
    );
    let a = r.actors.iter().find(|a| a.name.contains("Annan")).unwrap();
    assert_ne!(a.title.as_deref(), Some("Pope Francis"));
    assert!(
        r.actors.iter().any(|a| a.name.contains("Francis")),
        "{:?}",
        r.actors
    );
}

#[test]
fn issue5_unknown_names_in_a_story_naming_one_country_are_of_it() {
    let (r, _) = events(
        "Chilean police arrested a man on Friday.\n\nThe man was named as Pedro Ruiz.\n\nHe will appear in court on Monday.",
    );
    let a = r.actors.iter().find(|a| a.name.contains("Ruiz")).unwrap();
    assert_eq!(a.country.as_deref(), Some("CHL"));
}

#[test]
fn issue5_a_surname_holder_must_agree_with_the_first_name_given() {
    // The knowledge base may hold one "Tamim", but not this one.
    let (r, _) = events("The manager, Dr Ali bin Tamim, blamed the rebels for the bombing.");
    let a = r.actors.iter().find(|a| a.name.contains("Tamim")).unwrap();
    assert_ne!(a.country.as_deref(), Some("BGD"));
}

#[test]
fn issue6_a_nominal_event_takes_its_own_arguments() {
    let (_, ev) = events("Kenya said the Chilean president's visit to Peru went well.");
    assert!(ev.iter().any(|e| e.ends_with("CHL→PER")), "{ev:?}");
}

#[test]
fn issue7_last_night_is_the_day_before_publication() {
    let r = pipeline().code(Document {
        text: "Police in Lyon arrested three men last night.".to_string(),
        published: Some("2021-03-10".to_string()),
        ..Document::default()
    });
    let e = r.events.first().expect("an event");
    assert_eq!(e.date.as_deref(), Some("2021-03-09"));
    assert_eq!(e.date_source.as_deref(), Some("text"));
}

#[test]
fn issue7_names_inside_the_narrowing_phrase_keep_the_place_governed() {
    let r = pipeline().code(Document {
        text: "Kenyan troops attacked rebels in the Somali capital Mogadishu on Monday."
            .to_string(),
        ..Document::default()
    });
    let e = r
        .events
        .iter()
        .find(|e| e.kind == "ASSAULT")
        .expect("an attack");
    let place = e.location.as_ref().expect("a place");
    assert_eq!(place.name, "Mogadishu");
}

#[test]
fn issue6_a_sworn_attack_is_a_threat() {
    let (_, ev) = events("Kenyan rebels have sworn to attack Uganda.");
    assert!(ev.iter().any(|e| e.starts_with("THREATEN")), "{ev:?}");
    assert!(!ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
}

#[test]
fn issue6_a_decided_sanction_is_no_threat() {
    let (_, ev) = events("Canada announced that it would impose sanctions on Chile.");
    assert!(!ev.iter().any(|e| e.starts_with("THREATEN")), "{ev:?}");
}

#[test]
fn issue6_defying_a_law_and_failing_to_agree_are_rejections() {
    let (_, ev) = events("Chile violated the treaty with Peru on Monday.");
    assert!(ev.iter().any(|e| e.starts_with("REJECT CHL")), "{ev:?}");
    let (_, ev) = events("Chile and Peru failed to reach agreement on Monday.");
    assert!(ev.iter().any(|e| e.starts_with("REJECT")), "{ev:?}");
}

#[test]
fn issue6_a_warning_of_what_will_come_is_a_threat() {
    let (_, ev) =
        events("The Chilean president warned that Chile will not tolerate Peruvian incursions.");
    assert!(ev.iter().any(|e| e.starts_with("THREATEN CHL")), "{ev:?}");
}

#[test]
fn issue5_a_verb_after_the_comma_starts_no_appositive() {
    let (r, _) = events("The manager, Dr Peter Holm, blamed the bombing on Houthi rebels.");
    let a = r.actors.iter().find(|a| a.name.contains("Holm")).unwrap();
    assert!(!a.sectors.contains(&"REB".to_string()), "{a:?}");
}

#[test]
fn issue6_a_bracketed_abbreviation_stays_inside_the_subject() {
    let (_, ev) = events(
        "Chilean Miners Association (CMA) officials demanded support from the Chilean government.",
    );
    assert!(ev.iter().any(|e| e.starts_with("REQUEST CHL")), "{ev:?}");
}

#[test]
fn issue5_a_country_name_of_several_words_is_found_where_the_tagger_misses_it() {
    let (r, _) = events(
        "Spain, Austria, Denmark, Finland, France, Latvia, Portugal, and the United Kingdom recognized the new government.",
    );
    assert!(
        r.actors.iter().any(|a| a.country.as_deref() == Some("GBR")),
        "{:?}",
        r.actors
    );
}

#[test]
fn issue5_a_role_before_the_comma_describes_the_name_after_it() {
    let (r, _) =
        events("The general manager of Abu Dhabi Media, Dr Ali bin Tamim, blamed the rebels.");
    let a = r.actors.iter().find(|a| a.name.contains("Tamim")).unwrap();
    assert_eq!(a.country.as_deref(), Some("ARE"));
    // A place alone before the comma is no role (the story's country may
    // still be inferred from it, as the only country named).
    let (r, _) = events("In Berlin, Peter Holm said the talks had failed.");
    let a = r.actors.iter().find(|a| a.name.contains("Holm")).unwrap();
    assert!(a.sectors.is_empty() && a.title.is_none(), "{a:?}");
}

#[test]
fn issue5_a_town_before_a_word_for_people_says_where_they_are_from() {
    let (r, _) = events("Police arrested a 36-year-old Cheltenham man on Tuesday.");
    let a = r
        .actors
        .iter()
        .find(|a| a.name.contains("Cheltenham"))
        .unwrap();
    assert_eq!(a.country.as_deref(), Some("GBR"));
}

#[test]
fn issue5_a_name_with_a_particle_keeps_its_given_name() {
    let (r, _) = events(
        "The bomb was placed in a market, stated Minister of Information Moammar al-Eryani.",
    );
    assert!(
        r.entities
            .iter()
            .any(|e| e.text == "Moammar al-Eryani" && e.kind == annalist_doc::EntityType::Per),
        "{:?}",
        r.entities
    );
}

#[test]
fn issue5_the_europeans_are_the_european_union() {
    let (r, _) = events(
        "Turkey wants a date for the talks. The Europeans could thereby show that they are serious.",
    );
    assert!(
        r.actors.iter().any(|a| a.country.as_deref() == Some("EUR")),
        "{:?}",
        r.actors
    );
}

#[test]
fn issue6_a_pattern_may_start_with_an_auxiliary_and_hold_an_adverb() {
    let (_, ev) = events("France is ready to contribute troops to a force in Mali.");
    assert!(ev.iter().any(|e| e.starts_with("AGREE FRA")), "{ev:?}");
    let (_, ev) = events("The UK is pushing hard for the US support of its plan.");
    assert!(ev.iter().any(|e| e == "REQUEST GBR→USA"), "{ev:?}");
}

#[test]
fn issue6_blockades_imposed_and_agencies_forced_out() {
    let (_, ev) = events("Israel reimposed blockades on Gaza on Friday.");
    assert!(ev.iter().any(|e| e.starts_with("COERCE ISR")), "{ev:?}");
    let (_, ev) = events("Kenya forced the UN refugee agency out of the country.");
    assert!(ev.iter().any(|e| e.starts_with("SANCTION KEN")), "{ev:?}");
}

#[test]
fn issue5_an_unknown_name_in_a_sentence_naming_one_country_is_of_it() {
    let (_, ev) =
        events("Cairo's security chief has warned the Tamarod group against new rallies.");
    assert!(ev.iter().any(|e| e.ends_with("EGY→EGY")), "{ev:?}");
}

#[test]
fn issue5_the_places_a_text_names_say_what_it_is_about() {
    let (r, _) = events("President Omar Haddad threatened to impose a curfew in Algiers.");
    let a = r.actors.iter().find(|a| a.name.contains("Haddad")).unwrap();
    assert_eq!(a.country.as_deref(), Some("DZA"));
}

#[test]
fn issue6_a_group_word_opening_the_sentence_is_no_name() {
    let (_, ev) =
        events("Demonstrators in Caracas blocked a road to show their anger at the United States.");
    assert!(ev.iter().any(|e| e == "PROTEST VEN→USA"), "{ev:?}");
}

#[test]
fn issue6_a_dated_month_long_before_the_report_is_history() {
    let r = pipeline().code(Document {
        text: "On June 7, 2017, militants attacked the parliament in Tehran.".to_string(),
        published: Some("2018-03-10".to_string()),
        ..Document::default()
    });
    assert!(r.events.is_empty(), "{:?}", r.events);
}

#[test]
fn issue6_subjects_of_two_countries_act_together_with_no_inferred_recipient() {
    let (_, ev) = events("Norway and Chile signed a treaty of friendship on Monday.");
    assert!(
        ev.iter().any(|e| e.starts_with("SUPPORT ")
            && e.contains("NOR")
            && e.contains("CHL")
            && e.ends_with('→')),
        "{ev:?}"
    );
}

#[test]
fn issue6_the_reporter_of_an_event_is_not_its_recipient() {
    let (_, ev) = events(
        "Peruvian troops have recaptured a village near the border after heavy fighting, Ecuadorean officials said.",
    );
    assert!(!ev.iter().any(|e| e.contains("PER→ECU")), "{ev:?}");
}

#[test]
fn issue6_a_recipient_may_share_the_source_country_unless_only_a_place() {
    let (_, ev) = events(
        "The Kurdish Democratic Party rejected an invitation to a meeting of Iraqi parties hosted by Turkey.",
    );
    assert!(ev.iter().any(|e| e.starts_with("REJECT IRQ→IRQ")), "{ev:?}");
    let (_, ev) = events("Canada will host new talks in the Canadian capital, Ottawa.");
    assert!(!ev.iter().any(|e| e.contains("CAN→CAN")), "{ev:?}");
}

#[test]
fn issue5_prc_is_china() {
    let (_, ev) = events("The PRC on Friday demanded that Japan stop its patrols.");
    assert!(ev.iter().any(|e| e.starts_with("REQUEST CHN→")), "{ev:?}");
}

#[test]
fn issue7_a_country_once_called_a_province_is_the_country() {
    let (r, _) = events("Serbia eased emergency measures on Wednesday in Montenegro province.");
    let place = r
        .entities
        .iter()
        .find(|e| e.text.contains("Montenegro"))
        .and_then(|e| e.place.as_ref());
    assert_eq!(
        place.and_then(|p| p.country.as_deref()),
        Some("MNE"),
        "{:?}",
        r.entities
    );
}

/// The place of the first event of `kind`, by name.
fn location_of(r: &annalist_doc::Record, kind: &str) -> Option<String> {
    r.events
        .iter()
        .find(|e| e.kind == kind)
        .and_then(|e| e.location.as_ref())
        .map(|p| p.name.clone())
}

#[test]
fn issue7_talks_over_the_phone_have_no_place() {
    let (r, ev) = events(
        "Protesters blocked roads in Basra on Monday. Iran's foreign minister discussed the unrest with his Kuwaiti counterpart over the phone.",
    );
    assert!(ev.iter().any(|e| e.starts_with("CONSULT")), "{ev:?}");
    assert_eq!(location_of(&r, "CONSULT"), None);
}

#[test]
fn issue7_a_building_named_after_its_town_places_the_event_there() {
    let (r, ev) = events(
        "Gunmen attacked the Jolo Cathedral in Mindanao, Philippines, killing five worshippers.",
    );
    assert!(ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
    assert_eq!(location_of(&r, "ASSAULT").as_deref(), Some("Jolo"));
}

#[test]
fn issue7_what_is_agreed_at_talks_happens_where_the_talks_are() {
    let (r, ev) = events(
        "Yemen's government and the Houthi rebels agreed to exchange prisoners during talks in Sweden's Stockholm.",
    );
    assert!(ev.iter().any(|e| e.starts_with("AGREE")), "{ev:?}");
    assert_eq!(location_of(&r, "AGREE").as_deref(), Some("Stockholm"));
}

#[test]
fn issue6_a_withdrawal_has_no_inferred_recipient() {
    let (_, ev) = events("Two hundred Malian rebels surrendered last week in the town of Gao.");
    assert!(ev.iter().any(|e| e == "RETREAT MLI→"), "{ev:?}");
}

#[test]
fn issue6_a_noun_with_its_own_doer_stands_without_a_recipient() {
    let (_, ev) =
        events("Chadian officials said on Monday their troops had completed their withdrawal.");
    assert!(ev.iter().any(|e| e == "RETREAT TCD→"), "{ev:?}");
}

#[test]
fn issue6_joint_war_games_are_military_cooperation() {
    let (_, ev) = events(
        "Greek and Egyptian warships launched five days of war games in the Aegean Sea on Monday.",
    );
    assert!(
        ev.iter()
            .any(|e| e.starts_with("COOPERATE ") && e.contains("GRC") && e.contains("EGY")),
        "{ev:?}"
    );
}

#[test]
fn issue6_an_attack_in_part_of_a_country_targets_that_country() {
    let (_, ev) = events(
        "Thai troops have captured a strategic village in Western Cambodia after fierce fighting.",
    );
    assert!(ev.iter().any(|e| e.contains("THA→KHM")), "{ev:?}");
}

#[test]
fn issue6_workers_affiliated_with_a_union_who_stop_work_are_on_strike() {
    let (_, ev) = events(
        "Some 20,000 workers affiliated with the Croatian Teachers' Union stopped work on Monday.",
    );
    assert!(ev.iter().any(|e| e.starts_with("PROTEST HRV→")), "{ev:?}");
}

#[test]
fn issue6_police_preventing_a_demonstration_is_coercion() {
    let (_, ev) = events("Greek police prevented the demonstration staged by farmers in Larissa.");
    assert!(ev.iter().any(|e| e.starts_with("COERCE GRC→")), "{ev:?}");
}

#[test]
fn issue5_the_government_of_a_province_acts_for_its_country() {
    let (_, ev) =
        events("The government of Punjab province has ordered patrols by police after the riots.");
    assert!(ev.iter().any(|e| e.starts_with("MOBILIZE PAK→")), "{ev:?}");
}

#[test]
fn issue6_calling_another_side_criminals_is_an_accusation() {
    let (_, ev) = events(
        "Chile's foreign minister said Bolivian officials are criminals and should be tried.",
    );
    assert!(ev.iter().any(|e| e.starts_with("ACCUSE CHL→BOL")), "{ev:?}");
    let (_, ev) = events("Chile's foreign minister said Bolivian officials are not criminals.");
    assert!(!ev.iter().any(|e| e.starts_with("ACCUSE")), "{ev:?}");
}

#[test]
fn issue6_a_pattern_object_may_be_the_head_of_a_long_phrase() {
    let (_, ev) =
        events("The Indian army displayed its new long-range air defense missile system.");
    assert!(ev.iter().any(|e| e.starts_with("MOBILIZE IND→")), "{ev:?}");
}

#[test]
fn issue6_ending_a_bid_is_a_retreat() {
    let (_, ev) = events(
        "United States Senator Elizabeth Warren ended her bid for the Democratic Party's nomination on Thursday.",
    );
    assert!(ev.iter().any(|e| e.starts_with("RETREAT USA→")), "{ev:?}");
}

#[test]
fn issue6_a_warning_that_acts_will_not_go_unanswered_is_a_threat() {
    let (_, ev) = events(
        "A Turkish government spokesman said the Syrian regime's attacks will not go unanswered.",
    );
    assert!(
        ev.iter().any(|e| e.starts_with("THREATEN TUR→SYR")),
        "{ev:?}"
    );
}

#[test]
fn issue6_attributing_a_bombing_to_someone_accuses_them() {
    let (_, ev) =
        events("Pakistan's interior minister attributed the bombing to Afghan militants.");
    assert!(ev.iter().any(|e| e.starts_with("ACCUSE PAK→AFG")), "{ev:?}");
}

#[test]
fn issue6_a_trigger_that_only_modifies_a_noun_is_no_event() {
    let (_, ev) = events("Italy sold attack helicopters to Qatar last year.");
    assert!(!ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
}

#[test]
fn issue6_an_unnamed_attack_of_a_named_side_is_that_sides() {
    let (_, ev) = events(
        "Two Lebanese soldiers were martyred in an Israeli bombing near the border on Monday.",
    );
    assert!(
        ev.iter().any(|e| e.starts_with("ASSAULT ISR→LBN")),
        "{ev:?}"
    );
}

#[test]
fn issue6_a_weapons_test_named_by_a_noun_is_a_show_of_force() {
    let (_, ev) =
        events("North Korea released footage of the successful test-launch of its new missile.");
    assert!(ev.iter().any(|e| e.starts_with("MOBILIZE PRK→")), "{ev:?}");
}

#[test]
fn issue6_a_sentence_opening_with_a_dated_year_is_background_in_an_undated_report() {
    let (_, ev) = events(
        "Iran sentenced three men on Sunday. On June 7, 2017, militants stormed the parliament in Tehran.",
    );
    assert!(!ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
    let (_, ev) = events("Militants stormed the parliament in Tehran on Sunday.");
    assert!(ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
}

#[test]
fn issue6_what_a_weapon_can_hit_is_a_capability_not_an_attack() {
    let (_, ev) = events(
        "Iran unveiled a new air defence system on Sunday. The system is capable of tracking and engaging six targets at a time.",
    );
    assert!(!ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
}

#[test]
fn issue6_one_side_agreeing_alone_concurs_in_an_opinion() {
    let (_, ev) = events("Regional Governor Ahmed Hassan of Somalia agreed, saying only this group could have done it.");
    assert!(!ev.iter().any(|e| e.starts_with("AGREE")), "{ev:?}");
}

#[test]
fn issue6_a_participle_joined_to_a_name_is_a_modifier() {
    let (_, ev) = events("Saudi airstrikes on Yemen used U.S.-supplied cluster munitions.");
    assert!(!ev.iter().any(|e| e.starts_with("AID")), "{ev:?}");
}

#[test]
fn issue6_what_an_accusation_alleges_is_not_coded_again() {
    let (_, ev) = events("Canada accused Russia of attacking Ukrainian ports.");
    assert!(ev.iter().any(|e| e.starts_with("ACCUSE CAN→RUS")), "{ev:?}");
    assert!(!ev.iter().any(|e| e.starts_with("ASSAULT")), "{ev:?}");
}

#[test]
fn issue6_a_by_phrase_past_another_verb_is_not_the_agent() {
    let (_, ev) = events("These bombs are banned in Norway under a treaty signed by Chile.");
    assert!(!ev.iter().any(|e| e.contains("CHL→")), "{ev:?}");
}

#[test]
fn issue6_when_asked_is_a_passive() {
    let (_, ev) =
        events("Spokesman Ali Rezaei of Iran, when asked about the talks, declined to comment.");
    assert!(!ev.iter().any(|e| e.starts_with("REQUEST")), "{ev:?}");
}

#[test]
fn issue6_a_side_past_another_clause_or_across_a_border_is_no_recipient() {
    let (_, ev) = events(
        "Kurdish rebels demanded a truce with Turkish forces before allowing Red Cross convoys from Iraq.",
    );
    assert!(!ev.iter().any(|e| e.contains("→IRQ")), "{ev:?}");
    let (_, ev) = events(
        "Albanian rebels have sworn to fight for villages near Greece's border with Bulgaria.",
    );
    assert!(!ev.iter().any(|e| e.contains("→BGR")), "{ev:?}");
}

#[test]
fn issue6_talks_need_a_partner() {
    let (_, ev) = events("The Norwegian envoy arrived in Kabul on Saturday.");
    assert!(
        !ev.iter()
            .any(|e| e.starts_with("CONSULT NOR→") && e.ends_with('→')),
        "{ev:?}"
    );
}

#[test]
fn issue6_ministers_of_two_countries_act_together() {
    let (_, ev) =
        events("The foreign ministers of Peru and Chile discussed the border dispute on Monday.");
    assert!(
        ev.iter()
            .any(|e| e.starts_with("CONSULT ") && e.contains("PER") && e.contains("CHL")),
        "{ev:?}"
    );
}

#[test]
fn issue6_recognizing_a_fact_is_no_support() {
    let (_, ev) =
        events("Erdogan of Turkey said, recognizing that patience is needed for the talks.");
    assert!(!ev.iter().any(|e| e.starts_with("SUPPORT")), "{ev:?}");
}

#[test]
fn issue6_the_unnamed_side_of_a_place_has_the_places_country() {
    // The rioters stand for Kenya (the place); the capital named as the
    // place is no second Kenyan side, and the rule they protest is the
    // recipient.
    let (_, ev) = events(
        "Inmates rioted at a prison in Kenya's capital Nairobi on Monday, joining thousands of protesters in demanding independence from British rule, locals said.",
    );
    assert!(ev.iter().any(|e| e == "PROTEST KEN→GBR"), "{ev:?}");
}

#[test]
fn issue4_a_name_that_keeps_its_article_is_still_its_country() {
    // Universal NER writes "the Netherlands" with its article; the actor
    // is the country all the same, named without it.
    let (r, ev) = events("Belgium and the Netherlands recognized the new government of Ruritania.");
    let nld = r
        .actors
        .iter()
        .find(|a| a.country.as_deref() == Some("NLD"))
        .unwrap_or_else(|| panic!("no NLD actor: {:?}", r.actors));
    assert_eq!(nld.name, "Netherlands");
    assert!(ev.iter().any(|e| e.contains("NLD")), "{ev:?}");
}

#[test]
fn issue17_a_statement_is_not_addressed_to_the_city_it_was_made_in() {
    // Where a speaker stood says nothing of whom a condemnation, a demand
    // or a rejection addresses (R-SPEECH-PLACE): the city is the event's
    // place, and its country is no side.
    let cases = [
        (
            "Speaking in Vienna, Iran's envoy condemned the new sanctions.",
            "AUT",
        ),
        (
            "Talking to reporters in Geneva, the Russian minister rejected the claims.",
            "CHE",
        ),
        (
            "Addressing a conference in Oslo, Cuba's foreign minister demanded an apology.",
            "NOR",
        ),
    ];
    for (name, p) in [("rules", pipeline()), ("learned", learned())] {
        for (text, host) in cases {
            let (r, ev) = events_by(p, text);
            assert!(!ev.is_empty(), "{name}: the statement is coded: {text}");
            assert!(
                ev.iter().all(|e| !e.contains(host)),
                "{name}: {host} is no side of {text:?}: {ev:?}"
            );
            let place = r.events[0].location.as_ref().map(|l| l.country.clone());
            if name == "learned" {
                assert_eq!(place, Some(Some(host.to_string())), "{name}: {text}");
            }
        }
    }
}

#[test]
fn a_list_of_countries_is_one_event_for_each_even_where_the_parse_splits_it() {
    // "the UK, France and Germany's move": the parser may not coordinate
    // the names (here the possessive on the last one), but a list of names
    // joined by commas and "and" is one side each (R-CONJUNCT-SIDES), as
    // annotators code it.
    let (_, ev) = events_by(
        learned(),
        "Iran's foreign ministry spokesman strongly condemned the UK, France and Germany's move in drafting the resolution.",
    );
    for c in ["GBR", "FRA", "DEU"] {
        assert!(
            ev.iter()
                .any(|e| e.starts_with("ACCUSE IRN→") && e.ends_with(c)),
            "{c} is one of the condemned: {ev:?}"
        );
    }
    // A symmetric event between three parties is one event per pair.
    let (_, ev) = events_by(
        learned(),
        "The deal came after a phone call between Trump, Israeli Prime Minister Benjamin Netanyahu, and Sheikh Mohammed bin Zayed Al Nahyan, the crown prince of Abu Dhabi.",
    );
    for pair in [["USA", "ISR"], ["USA", "ARE"], ["ISR", "ARE"]] {
        assert!(
            ev.iter()
                .any(|e| e.starts_with("CONSULT") && e.contains(pair[0]) && e.contains(pair[1])),
            "{pair:?} spoke: {ev:?}"
        );
    }
}

#[test]
fn a_statement_that_calls_an_act_a_crime_accuses_whoever_did_it() {
    // "Said X was a crime": the accusation is in the words the statement
    // governs, not in "said", and its target is the author of the act. The
    // trigger model reads those words (and the side model where the author
    // hangs from the trigger); before it did, the first sentence was coded
    // as nothing and the second as Qatar coercing itself.
    for (text, want) in [
        (
            "Iran's foreign ministry spokesman said the new US sanctions were a crime against the Iranian people.",
            "ACCUSE IRN→USA",
        ),
        (
            "Qatar's foreign minister said the blockade imposed by Saudi Arabia was illegal.",
            "ACCUSE QAT→SAU",
        ),
    ] {
        let (_, ev) = events_by(learned(), text);
        assert!(ev.contains(&want.to_string()), "{text}: {ev:?}");
    }
}

#[test]
fn a_meeting_the_lead_reports_and_a_later_sentence_reports_again_is_one_event() {
    // One event per interaction per document, as annotators count: the
    // talks of the third sentence are the meeting of the first, not a
    // second one. The learned coder merged repeats only within a sentence
    // before, and coded this meeting twice.
    let text = "Iran's foreign minister met his Turkish counterpart in Ankara on Monday. \
                The two ministers discussed bilateral trade and the war in Syria. \
                Iran's foreign minister also held talks with Turkey's president during the visit.";
    let (_, ev) = events_by(learned(), text);
    let meetings = ev
        .iter()
        .filter(|e| *e == "CONSULT IRN→TUR" || *e == "CONSULT TUR→IRN")
        .count();
    assert_eq!(meetings, 1, "{ev:?}");
}
