//! The search library end to end: documents in, queries out, on a small municipal corpus.

use loket_search::analysis::Lexicon;
use loket_search::learning::{Params, Signal, SignalKind};
use loket_search::*;

fn article(id: &str, title: &str, body: &str) -> Document {
    Document {
        key: DocKey::new(Kind::Article, id),
        external_id: Some(format!("ext-{id}")),
        title: title.into(),
        body: body.into(),
        audience: Audience::Publiek,
        ..Default::default()
    }
}

fn corpus() -> Vec<Document> {
    vec![
        article(
            "energie",
            "Energietoeslag aanvragen",
            "Huishoudens met een laag inkomen krijgen een eenmalige energietoeslag van de gemeente.",
        ),
        article(
            "huur",
            "Huurtoeslag",
            "De Belastingdienst betaalt huurtoeslag als uw huur hoog is in verhouding tot uw inkomen.",
        ),
        article(
            "paspoort",
            "Paspoort of identiteitskaart aanvragen",
            "U vraagt een paspoort of identiteitskaart aan bij de balie van de gemeente. Neem een pasfoto mee.",
        ),
        article(
            "verhuizen",
            "Verhuizing doorgeven",
            "Geef uw verhuizing binnen vijf dagen door aan de gemeente waar u gaat wonen.",
        ),
        article(
            "afval",
            "Grofvuil laten ophalen",
            "Grof huishoudelijk afval zoals meubels haalt de gemeente op afspraak op.",
        ),
        Document {
            audience: Audience::Intern,
            ..article(
                "intern",
                "Werkwijze fraudesignalen",
                "Interne werkwijze voor signalen van uitkeringsfraude bij de bijstand.",
            )
        },
    ]
}

fn index_with(docs: &[Document]) -> SearchIndex {
    let index = SearchIndex::in_memory(Lexicon::builtin()).unwrap();
    let mut vocabulary = Vocabulary::default();
    docs.iter().for_each(|d| vocabulary.add(d));
    index.use_vocabulary(vocabulary);
    for d in docs {
        index.upsert(d).unwrap();
    }
    index.commit(Some(1)).unwrap();
    index
}

fn employee() -> Viewer {
    Viewer::Employee { units: vec![] }
}

fn search(index: &SearchIndex, text: &str) -> Results {
    search_as(index, text, &employee(), Extras::default())
}

fn search_as(index: &SearchIndex, text: &str, viewer: &Viewer, extras: Extras<'_>) -> Results {
    let request =
        Request { text, limit: 10, kinds: &[], category: None, audience: None, viewer, now: 1_000, as_you_type: false };
    index.search(&request, extras).unwrap()
}

fn top(results: &Results) -> Option<&str> {
    results.hits.first().map(|h| h.key.id.as_str())
}

#[test]
fn a_word_in_another_form_finds_the_article() {
    let index = index_with(&corpus());
    assert_eq!(top(&search(&index, "verhuizen")), Some("verhuizen"));
    assert_eq!(top(&search(&index, "aanvraag energietoeslag")), Some("energie"));
}

#[test]
fn part_of_a_compound_finds_the_compound() {
    let index = index_with(&corpus());
    let results = search(&index, "toeslag");
    let ids: Vec<&str> = results.hits.iter().map(|h| h.key.id.as_str()).collect();
    assert!(ids.contains(&"energie") && ids.contains(&"huur"), "{ids:?}");
}

#[test]
fn a_compound_written_as_two_words_finds_the_compound() {
    let index = index_with(&corpus());
    assert_eq!(top(&search(&index, "energie toeslag")), Some("energie"));
    assert_eq!(top(&search(&index, "huur toeslag")), Some("huur"));
}

#[test]
fn a_misspelt_word_is_corrected_and_suggested() {
    let index = index_with(&corpus());
    let results = search(&index, "energietoesalg");
    assert_eq!(top(&results), Some("energie"));
    assert_eq!(results.suggestion.as_deref(), Some("energietoeslag"));
    let results = search(&index, "identiteitskaat");
    assert_eq!(top(&results), Some("paspoort"));
}

#[test]
fn a_question_an_article_answers_is_answered_with_confidence() {
    let index = index_with(&corpus());
    for q in ["huurtoeslag", "hoe vraag ik een paspoort aan", "energietoesalg", "kan de gemeente mijn grofvuil ophalen"]
    {
        assert!(search(&index, q).confident, "{q:?} should be answered with confidence");
    }
}

#[test]
fn a_question_no_article_answers_is_not_answered_with_confidence_though_it_finds_hits() {
    let index = index_with(&corpus());
    // "gemeente" and "aanvragen" are in several texts; what is asked is in none.
    for q in ["hondenbelasting", "parkeervergunning aanvragen bij de gemeente", "mag ik een dakkapel bouwen"] {
        let results = search(&index, q);
        assert!(!results.confident, "{q:?} has no answer here");
    }
    assert!(!search(&index, "parkeervergunning aanvragen bij de gemeente").hits.is_empty());
    assert!(!search(&index, "xyzzy").confident, "nothing found is never confident");
}

#[test]
fn what_agents_taught_counts_as_an_answer() {
    let index = index_with(&corpus());
    let analyzer = index.analyzer();
    let query = "kapotte lantaarnpaal melden bij de gemeente";
    assert!(!search(&index, query).confident);
    // Four agents each say the grofvuil article answered it, or each only open it.
    let four = |kind: SignalKind| {
        let signals = (0..4).map(move |i| Signal {
            query: query.into(),
            doc: DocKey::new(Kind::Article, "afval"),
            kind,
            person: format!("agent{i}"),
            age_days: 1.0,
        });
        Learning::new(&analyzer, signals, Params::default())
    };
    let learning = four(SignalKind::Answered);
    let extras = Extras { synonyms: None, learning: Some(&learning) };
    assert!(search_as(&index, query, &employee(), extras).confident);
    // Opening a hit is not saying it answers: it raises the hit, not the confidence.
    let learning = four(SignalKind::Opened);
    let extras = Extras { synonyms: None, learning: Some(&learning) };
    let results = search_as(&index, query, &employee(), extras);
    assert_eq!(top(&results), Some("afval"));
    assert!(!results.confident);
}

#[test]
fn everyday_words_find_the_official_ones_and_count_as_an_answer() {
    let index = index_with(&corpus());
    let everyday = Synonyms::with_everyday(&index.analyzer(), &[]);
    let extras = Extras { synonyms: Some(&everyday), learning: None };
    // The citizen says "vuilnis", the article "afval".
    let plain = search(&index, "vuilnis");
    assert!(top(&plain) != Some("afval") || !plain.confident);
    let bridged = search_as(&index, "vuilnis", &employee(), extras);
    assert_eq!(top(&bridged), Some("afval"));
    assert!(bridged.confident);
}

#[test]
fn the_words_of_a_synonym_phrase_count_as_an_answer_only_together() {
    let index = index_with(&corpus());
    let synonyms = Synonyms::new(&index.analyzer(), &[vec!["rommel".into(), "meubels weggooien".into()]]);
    let extras = Extras { synonyms: Some(&synonyms), learning: None };
    // The grofvuil text holds "meubels" but not "weggooien": found, but not as the answer.
    let results = search_as(&index, "rommel", &employee(), extras);
    assert_eq!(top(&results), Some("afval"));
    assert!(!results.confident);
}

#[test]
fn a_correctly_spelt_query_gets_no_suggestion() {
    let index = index_with(&corpus());
    assert_eq!(search(&index, "paspoort").suggestion, None);
}

/// A lexicon read from a word list in hunspell's format (the entry count, then word/FLAGS).
fn lexicon_with_dictionary(words: &[&str]) -> Lexicon {
    let dir = std::env::temp_dir().join(format!("loket-dic-{}-{}", std::process::id(), words.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let dic = dir.join("nl.dic");
    let lines: Vec<String> = words.iter().map(|w| format!("{w}/AB")).collect();
    std::fs::write(&dic, format!("{}\n{}\n", words.len(), lines.join("\n"))).unwrap();
    let (lexicon, problem) = Lexicon::with_hunspell(&dic);
    assert_eq!(problem, None);
    std::fs::remove_dir_all(&dir).unwrap();
    lexicon
}

#[test]
fn a_word_the_dictionary_knows_is_never_corrected_into_a_neighbour() {
    let docs = vec![
        article("lek", "Lekkende kraan", "Bij lekken van de waterleiding belt u de storingsdienst."),
        article("afspraak", "Afspreken met de balie", "U kunt afspreken voor een bezoek aan de balie."),
        article("ruimen", "Sneeuw ruimen", "De gemeente laat sneeuw ruimen op de hoofdwegen."),
    ];
    let dictionary = lexicon_with_dictionary(&["lekker", "afsteken", "opruimen", "lekken", "Amsterdam"]);
    let index = SearchIndex::in_memory(dictionary).unwrap();
    let mut vocabulary = Vocabulary::default();
    docs.iter().for_each(|d| vocabulary.add(d));
    index.use_vocabulary(vocabulary);
    for d in &docs {
        index.upsert(d).unwrap();
    }
    index.commit(Some(1)).unwrap();
    for word in ["lekker", "afsteken", "opruimen"] {
        assert_eq!(search(&index, word).suggestion, None, "{word} is a word");
    }
    // A word that is in no dictionary still is corrected.
    assert_eq!(search(&index, "afsprekne").suggestion.as_deref(), Some("afspreken"));
    // An inflection of a word in the texts is a word too (gecertificeerd, gecertificeerde).
    let docs = [article("cert", "Gecertificeerde installateur", "Kies een gecertificeerde installateur.")];
    let index = index_with(&docs);
    assert_eq!(search(&index, "gecertificeerd").suggestion, None);
    assert_eq!(top(&search(&index, "gecertificeerd")), Some("cert"));
}

#[test]
fn the_dictionary_is_read_into_a_lexicon_that_knows_its_words_and_their_forms() {
    let lexicon = lexicon_with_dictionary(&["vergunning", "aanvragen", "kat", "Zwolle"]);
    assert!(lexicon.knows("vergunning") && lexicon.knows("aanvragen"));
    assert!(lexicon.knows("vergunningen"), "an inflection, through its stem");
    assert!(!lexicon.knows("zwolle"), "proper names are not read");
    assert!(!lexicon.knows("vergunnign"));
    assert!(lexicon.contains("vergunning", 6), "a long dictionary word is a compound part");
    assert!(!lexicon.contains("kat", 6), "a short one alone is not");
    let copy = lexicon.clone();
    assert_eq!(copy.len(), lexicon.len());
}

#[test]
fn short_words_are_not_corrected_into_something_else() {
    let index = index_with(&corpus());
    assert!(search(&index, "xyz").hits.is_empty());
}

#[test]
fn diacritics_do_not_matter() {
    let index = index_with(&corpus());
    assert_eq!(top(&search(&index, "pásfóto")), Some("paspoort"));
}

#[test]
fn synonyms_apply_at_query_time_without_reindexing() {
    let index = index_with(&corpus());
    let analyzer = index.analyzer();
    let synonyms = Synonyms::new(&analyzer, &[vec!["ID-kaart".into(), "identiteitskaart".into()]]);
    let extras = Extras { synonyms: Some(&synonyms), learning: None };
    assert_eq!(top(&search_as(&index, "id kaart", &employee(), extras)), Some("paspoort"));
    assert_eq!(top(&search_as(&index, "ID-kaart", &employee(), extras)), Some("paspoort"));
}

#[test]
fn only_stop_words_still_search() {
    let index = index_with(&corpus());
    let results = search(&index, "de");
    assert!(!results.hits.is_empty());
}

#[test]
fn query_syntax_and_control_characters_are_plain_separators() {
    let index = index_with(&corpus());
    for q in [
        "\"paspoort\"",
        "paspoort(",
        "paspoort:*^~-+[]",
        "paspoort\u{0}\u{7}",
        "(((",
        "*",
        "-paspoort",
        "\u{202e}paspoort",
    ] {
        let results = search(&index, q);
        assert!(results.hits.iter().all(|h| !h.title.is_empty()), "{q:?}");
    }
    assert_eq!(top(&search(&index, "\"paspoort\" AND (aanvragen)")), Some("paspoort"));
}

#[test]
fn an_empty_or_huge_query_is_answered() {
    let index = index_with(&corpus());
    assert!(search(&index, "").hits.is_empty());
    assert!(search(&index, "   ").hits.is_empty());
    let huge = "paspoort ".repeat(1_200);
    assert_eq!(top(&search(&index, &huge)), Some("paspoort"));
}

#[test]
fn the_public_sees_only_public_articles() {
    let mut docs = corpus();
    docs.push(Document {
        key: DocKey::new(Kind::Notice, "n1"),
        title: "Storing bijstand".into(),
        ..Default::default()
    });
    let index = index_with(&docs);
    assert_eq!(top(&search(&index, "fraudesignalen")), Some("intern"));
    assert!(search_as(&index, "fraudesignalen", &Viewer::Public, Extras::default()).hits.is_empty());
    assert!(search_as(&index, "storing", &Viewer::Public, Extras::default()).hits.is_empty());
    assert_eq!(top(&search(&index, "storing")), Some("n1"));
}

#[test]
fn a_notice_for_a_team_is_found_only_by_that_team() {
    let mut docs = corpus();
    docs.push(Document {
        key: DocKey::new(Kind::Notice, "n1"),
        title: "Storing telefooncentrale".into(),
        reach: Reach::Units(vec!["team-a".into()]),
        ..Default::default()
    });
    let index = index_with(&docs);
    let team_a = Viewer::Employee { units: vec!["team-a".into()] };
    let team_b = Viewer::Employee { units: vec!["team-b".into()] };
    assert_eq!(top(&search_as(&index, "telefooncentrale", &team_a, Extras::default())), Some("n1"));
    assert!(search_as(&index, "telefooncentrale", &team_b, Extras::default()).hits.is_empty());
}

#[test]
fn outside_its_validity_window_a_document_is_not_found() {
    let mut docs = corpus();
    docs.push(Document { valid_from: Some(2_000), ..article("later", "Kwijtschelding 2027", "Nieuwe regeling.") });
    docs.push(Document { valid_until: Some(500), ..article("voorbij", "Kwijtschelding 2025", "Oude regeling.") });
    let index = index_with(&docs);
    let results = search(&index, "kwijtschelding");
    assert!(results.hits.is_empty(), "{:?}", results.hits.iter().map(|h| &h.key.id).collect::<Vec<_>>());
}

#[test]
fn filters_by_type_and_category() {
    let mut docs = corpus();
    docs[2].category = "Burgerzaken/Reisdocumenten".into();
    docs.push(Document {
        key: DocKey::new(Kind::Unit, "burgerzaken"),
        title: "Burgerzaken".into(),
        ..Default::default()
    });
    let index = index_with(&docs);
    let viewer = employee();
    let request = |kinds: &'static [Kind], category: Option<&'static str>| Request {
        text: "burgerzaken paspoort",
        limit: 10,
        kinds,
        category,
        audience: None,
        viewer: &viewer,
        now: 1_000,
        as_you_type: false,
    };
    let units = index.search(&request(&[Kind::Unit], None), Extras::default()).unwrap();
    assert!(units.hits.iter().all(|h| h.key.kind == Kind::Unit) && !units.hits.is_empty());
    let in_category = index.search(&request(&[], Some("burgerzaken")), Extras::default()).unwrap();
    assert_eq!(in_category.hits.len(), 1);
    assert_eq!(in_category.hits[0].key.id, "paspoort");
}

#[test]
fn while_typing_the_last_word_is_completed() {
    let index = index_with(&corpus());
    let viewer = employee();
    let request = Request {
        text: "grofv",
        limit: 10,
        kinds: &[],
        category: None,
        audience: None,
        viewer: &viewer,
        now: 1_000,
        as_you_type: true,
    };
    let results = index.search(&request, Extras::default()).unwrap();
    assert_eq!(top(&results), Some("afval"));
    assert_eq!(results.suggestion, None, "an unfinished word is no typo");
}

#[test]
fn snippets_mark_the_matching_words() {
    let index = index_with(&corpus());
    let results = search(&index, "pasfoto");
    let marked: Vec<&str> = results.hits[0].snippet.iter().filter(|f| f.highlight).map(|f| f.text.as_str()).collect();
    assert_eq!(marked, ["pasfoto"]);
    let paspoort = search(&index, "paspoort");
    let title_marked: Vec<&str> =
        paspoort.hits[0].title_marked.iter().filter(|f| f.highlight).map(|f| f.text.as_str()).collect();
    assert_eq!(title_marked, ["Paspoort"]);
}

#[test]
fn clicks_and_answers_raise_an_article_for_that_query_but_cannot_take_over() {
    let index = index_with(&corpus());
    let analyzer = index.analyzer();
    // "gemeente" is in several texts; nobody learned anything yet.
    let before = search(&index, "gemeente");
    let first_before = top(&before).unwrap().to_owned();
    let target = before.hits.iter().map(|h| h.key.id.clone()).find(|id| *id != first_before).unwrap();
    let signals = (0..8).map(|i| Signal {
        query: "gemeente".into(),
        doc: DocKey::new(Kind::Article, &target),
        kind: SignalKind::Answered,
        person: format!("agent{i}"),
        age_days: 1.0,
    });
    let learning = Learning::new(&analyzer, signals, Params::default());
    let extras = Extras { synonyms: None, learning: Some(&learning) };
    let after = search_as(&index, "gemeente", &employee(), extras);
    assert_eq!(top(&after), Some(target.as_str()));
    assert!(after.hits[0].learned > 0.0);
    // An unrelated query is not affected.
    let other = search_as(&index, "paspoort", &employee(), extras);
    assert_eq!(top(&other), Some("paspoort"));
    // One click on a clearly worse match does not beat the exact title.
    let one = Learning::new(
        &analyzer,
        [Signal {
            query: "huurtoeslag".into(),
            doc: DocKey::new(Kind::Article, "afval"),
            kind: SignalKind::Opened,
            person: "a".into(),
            age_days: 0.0,
        }],
        Params::default(),
    );
    let extras = Extras { synonyms: None, learning: Some(&one) };
    assert_eq!(top(&search_as(&index, "huurtoeslag", &employee(), extras)), Some("huur"));
}

#[test]
fn the_external_id_comes_back_with_the_hit() {
    let index = index_with(&corpus());
    assert_eq!(search(&index, "grofvuil").hits[0].external_id.as_deref(), Some("ext-afval"));
}

#[test]
fn a_replaced_document_is_found_by_its_new_text_only() {
    let index = index_with(&corpus());
    index.upsert(&article("afval", "Grofvuil wegbrengen", "Breng grofvuil naar de milieustraat.")).unwrap();
    index.commit(Some(2)).unwrap();
    assert_eq!(top(&search(&index, "milieustraat")), Some("afval"));
    assert!(search(&index, "meubels").hits.iter().all(|h| h.key.id != "afval"));
    index.delete(&DocKey::new(Kind::Article, "afval"));
    index.commit(Some(3)).unwrap();
    assert!(search(&index, "milieustraat").hits.is_empty());
}

#[test]
fn an_index_on_disk_remembers_its_position_and_a_corrupt_one_starts_fresh() {
    let dir = std::env::temp_dir().join(format!("loket-search-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let (index, opened) = SearchIndex::open(&dir, Lexicon::builtin()).unwrap();
        assert!(matches!(opened, Opened::Fresh { .. }));
        index.upsert(&corpus()[0]).unwrap();
        index.commit(Some(42)).unwrap();
    }
    {
        let (index, opened) = SearchIndex::open(&dir, Lexicon::builtin()).unwrap();
        assert_eq!(opened, Opened::Existing { position: Some(42) });
        assert_eq!(index.num_docs(), 1);
    }
    std::fs::write(dir.join("meta.json"), b"{ niet te lezen").unwrap();
    let (index, opened) = SearchIndex::open(&dir, Lexicon::builtin()).unwrap();
    assert!(matches!(opened, Opened::Fresh { ref reason } if reason.contains("unreadable")), "{opened:?}");
    assert_eq!(index.num_docs(), 0);
    drop(index);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_writer_on_the_same_folder_is_refused_clearly() {
    let dir = std::env::temp_dir().join(format!("loket-search-lock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (_first, _) = SearchIndex::open(&dir, Lexicon::builtin()).unwrap();
    let second = SearchIndex::open(&dir, Lexicon::builtin());
    assert!(matches!(second, Err(IndexError::Locked(_))), "{second:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn counting_stops_at_the_cap_and_says_so() {
    let mut docs: Vec<Document> = (0..COUNT_CAP + 5)
        .map(|i| article(&format!("d{i}"), &format!("Parkeervergunning {i}"), "Een vergunning voor parkeren."))
        .collect();
    docs.push(article("ander", "Hondenbelasting", "Belasting voor wie een hond heeft."));
    let index = index_with(&docs);

    let many = search(&index, "parkeervergunning");
    assert_eq!(many.total, COUNT_CAP);
    assert!(many.capped, "more match than were counted");
    assert_eq!(many.hits.len(), 10);

    let one = search(&index, "hondenbelasting");
    assert_eq!(one.total, 1);
    assert!(!one.capped);
}
