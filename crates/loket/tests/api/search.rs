//! Search through the API and the screens: what is found, by whom, how it follows publishing,
//! synonyms, learning, analytics, bad input, and several processes on one database.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

const ARTICLES: &str = r#"{"id": "ext-energie", "title": "Energietoeslag aanvragen", "short_answer": "Huishoudens met een laag inkomen vragen de energietoeslag aan bij de gemeente.", "body": "U vraagt de **energietoeslag** online aan met DigiD.", "keywords": ["energie"], "audience": "publiek"}
{"id": "ext-paspoort", "title": "Paspoort of identiteitskaart aanvragen", "body": "Maak een afspraak bij de balie. Neem een pasfoto mee.", "audience": "publiek"}
{"id": "ext-blad", "title": "Bladkorf aanvragen", "body": "Een bladkorf in uw straat vraagt u aan via het formulier. De gemeente leegt hem elke week in de herfst.", "audience": "intern"}
{"id": "ext-grofvuil", "title": "Grofvuil laten ophalen", "body": "Meubels en matrassen haalt de gemeente op afspraak op.", "audience": "publiek"}
"#;

async fn import(app: &TestApp, lines: &str) {
    let report = loket::knowledge::import::import_articles(&app.store, lines.as_bytes(), |_| {}).await.unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    app.wait_for_search().await;
}

async fn search(app: &TestApp, token: &str, query: &str) -> (u16, Value) {
    let response =
        app.client.get(app.url("/api/v1/search")).query(&[("q", query)]).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// GET `path` with `token`, as JSON.
async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}

fn external_ids(body: &Value) -> Vec<String> {
    body["hits"].as_array().unwrap().iter().filter_map(|h| h["external_id"].as_str().map(str::to_owned)).collect()
}

fn first_external_id(body: &Value) -> Option<String> {
    external_ids(body).into_iter().next()
}

async fn article_id(app: &TestApp, external: &str) -> String {
    loket::knowledge::articles::id_by_external_id(&app.store, external).await.unwrap().unwrap().to_string()
}

async fn an_imported_article_is_found_in_the_shape_outside_tools_expect(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, body) = search(app, &agent, "energietoeslag").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["query"], "energietoeslag");
    assert!(body["took_ms"].is_number() && body["total"].as_u64().unwrap() >= 1);
    assert_eq!(body["total_capped"], false);
    assert!(body["suggestion"].is_null());
    let hit = &body["hits"][0];
    assert_eq!(hit["type"], "article");
    assert_eq!(hit["external_id"], "ext-energie");
    assert_eq!(hit["id"], article_id(app, "ext-energie").await);
    assert_eq!(hit["title"], "Energietoeslag aanvragen");
    assert!(hit["snippet"].as_str().unwrap().contains("energietoeslag"), "{hit}");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(hit.get("snippet_marked").is_none(), "marked pieces only when asked for: {hit}");
    let marked_body = get_json(app, &agent, "/api/v1/search?q=energietoeslag&marked=true").await;
    let marked: Vec<&str> = marked_body["hits"][0]["snippet_marked"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["mark"] == true)
        .filter_map(|p| p["text"].as_str())
        .collect();
    assert!(marked.iter().any(|m| m.eq_ignore_ascii_case("energietoeslag")), "{hit}");
    // Markdown is text in the index: no asterisks in the snippet.
    assert!(!hit["snippet"].as_str().unwrap().contains("**"));
}

async fn dutch_words_are_understood_compounds_forms_and_typos(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    for (query, expected) in [
        ("energie toeslag", "ext-energie"),
        ("toeslag", "ext-energie"),
        ("aanvraag bladkorven", "ext-blad"),
        ("identiteitskaat", "ext-paspoort"),
        ("grof vuil", "ext-grofvuil"),
        ("PASFOTO", "ext-paspoort"),
    ] {
        let (status, body) = search(app, &agent, query).await;
        assert_eq!(status, 200);
        assert_eq!(first_external_id(&body).as_deref(), Some(expected), "{query}: {body}");
    }
    let (_, body) = search(app, &agent, "energietoesalg").await;
    assert_eq!(body["suggestion"], "energietoeslag");
    assert_eq!(first_external_id(&body).as_deref(), Some("ext-energie"));
}

async fn publishing_and_archiving_reach_the_search_without_a_restart(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let editor = app.token(&[Role::Redacteur]).await;
    let id = article_id(app, "ext-grofvuil").await;
    let step = app
        .client
        .post(app.url(&format!("/api/v1/articles/{id}/transitions")))
        .bearer_auth(&editor)
        .json(&json!({"transition": "archiveren"}))
        .send()
        .await
        .unwrap();
    assert_eq!(step.status(), 200);
    app.wait_for_search().await;
    let (_, body) = search(app, &agent, "grofvuil matrassen").await;
    assert!(!external_ids(&body).contains(&"ext-grofvuil".to_owned()), "archived: {body}");
    // A changed article is re-imported (published at once): found by its new words only.
    import(app, r#"{"id": "ext-paspoort", "title": "Paspoort of identiteitskaart aanvragen", "body": "Vraag het reisdocument aan in het stadskantoor.", "audience": "publiek"}"#).await;
    let (_, body) = search(app, &agent, "stadskantoor").await;
    assert_eq!(first_external_id(&body).as_deref(), Some("ext-paspoort"));
    let (_, body) = search(app, &agent, "pasfoto").await;
    assert!(!external_ids(&body).contains(&"ext-paspoort".to_owned()));
}

async fn bad_input_gets_an_answer_or_a_clear_400_and_never_a_500(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let long = "paspoort ".repeat(1_200);
    for query in [
        "",
        "   ",
        long.as_str(),
        "\"():*^~-+[]",
        "paspoort\u{0}\u{1b}[31m",
        "'; DROP TABLE articles; --",
        "\u{202e}\u{fffd}",
    ] {
        let (status, body) = search(app, &agent, query).await;
        assert_eq!(status, 200, "{query:?}: {body}");
        assert!(body["hits"].is_array());
    }
    let (_, body) = search(app, &agent, "").await;
    assert_eq!(body["total"], 0);
    // Bytes that are no UTF-8 are read as replacement characters: a sensible (empty) answer.
    let response = app.client.get(app.url("/api/v1/search?q=%FF%FE")).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["total"], 0);
    for bad in [
        "/api/v1/search?q=x&limit=0",
        "/api/v1/search?q=x&limit=veel",
        "/api/v1/search?q=x&type=kaas",
        "/api/v1/search?q=x&audience=iedereen",
    ] {
        let response = app.client.get(app.url(bad)).bearer_auth(&agent).send().await.unwrap();
        assert_eq!(response.status(), 400, "{bad}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{bad}");
    }
    let response =
        app.client.get(app.url("/api/v1/search?q=x&limit=0&type=kaas")).bearer_auth(&agent).send().await.unwrap();
    let problem: Value = response.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["limit", "type"]);
    assert_eq!(app.client.get(app.url("/api/v1/search?q=paspoort")).send().await.unwrap().status(), 401);
}

async fn a_type_filter_and_the_directory_find_colleagues_and_units_with_their_phone_numbers(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let unit = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Team Afval", "kind": "afdeling", "phone": "010 123 4545", "description": "Grofvuil, containers en bladkorven"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unit.status(), 201);
    let created = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "lotte", "display_name": "Lotte van den Berg", "roles": ["kennisexpert"], "phone": "06-12345678", "topics": "afvalpas, zwerfafval"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let response = app
        .client
        .get(app.url("/api/v1/search"))
        .query(&[("q", "afvalpas"), ("type", "employee")])
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["hits"][0]["type"], "employee", "{body}");
    assert_eq!(body["hits"][0]["title"], "Lotte van den Berg");
    assert!(body["hits"][0]["detail"].as_str().unwrap().contains("06 1234 5678"), "{body}");
    let (_, body) = search(app, &agent, "bladkorven").await;
    let kinds: Vec<&str> = body["hits"].as_array().unwrap().iter().filter_map(|h| h["type"].as_str()).collect();
    assert!(kinds.contains(&"article") && kinds.contains(&"unit"), "{body}");
    // A colleague who leaves disappears from the directory.
    let lotte = created_id(app, &admin, "lotte").await;
    let off = app
        .client
        .patch(app.url(&format!("/api/v1/users/{lotte}")))
        .bearer_auth(&admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(off.status(), 200);
    app.wait_for_search().await;
    let (_, body) = search(app, &agent, "afvalpas").await;
    assert!(body["hits"].as_array().unwrap().iter().all(|h| h["type"] != "employee"), "{body}");
}

async fn created_id(app: &TestApp, admin: &str, username: &str) -> String {
    let users: Value = get_json(app, admin, "/api/v1/users").await;
    users.as_array().unwrap().iter().find(|u| u["username"] == username).unwrap()["id"].as_str().unwrap().to_owned()
}

async fn a_werkbericht_for_one_team_is_found_only_by_that_team(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let unit = |name: &'static str| {
        let admin = admin.clone();
        async move {
            let r = app
                .client
                .post(app.url("/api/v1/units"))
                .bearer_auth(&admin)
                .json(&json!({"name": name, "kind": "afdeling"}))
                .send()
                .await
                .unwrap();
            r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
        }
    };
    let telefonie = unit("Telefonie").await;
    let balie = unit("Balie").await;
    let member = |name: &'static str, unit: String| {
        let admin = admin.clone();
        async move {
            let body = json!({"username": name, "roles": ["klantcontactmedewerker"], "unit_id": unit});
            let r = app.client.post(app.url("/api/v1/users")).bearer_auth(&admin).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 201);
            app.token_for(name).await
        }
    };
    let phone_agent = member("telefonist", telefonie.clone()).await;
    let desk_agent = member("baliemedewerker", balie).await;
    let writer = app.token(&[Role::Teamleider]).await;
    let notice = app
        .client
        .post(app.url("/api/v1/notices"))
        .bearer_auth(&writer)
        .json(&json!({"kind": "werkinstructie", "title": "Storing telefooncentrale", "body": "Verwijs bellers naar het contactformulier.", "priority": "belangrijk", "targets": [telefonie]}))
        .send()
        .await
        .unwrap();
    assert_eq!(notice.status(), 201, "{}", notice.text().await.unwrap());
    app.wait_for_search().await;
    let (_, body) = search(app, &phone_agent, "storing telefooncentrale").await;
    assert_eq!(body["hits"][0]["type"], "notice", "{body}");
    let (_, body) = search(app, &desk_agent, "storing telefooncentrale").await;
    assert!(body["hits"].as_array().unwrap().iter().all(|h| h["type"] != "notice"), "{body}");
}

async fn synonyms_of_the_redacteur_apply_at_once_and_only_a_redacteur_changes_them(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let editor = app.token(&[Role::Redacteur]).await;
    let (_, before) = search(app, &agent, "loofzak").await;
    assert!(!external_ids(&before).contains(&"ext-blad".to_owned()), "{before}");
    let group = json!({"terms": ["loofzak", "bladkorf"]});
    let refused =
        app.client.post(app.url("/api/v1/search/synonyms")).bearer_auth(&agent).json(&group).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let created =
        app.client.post(app.url("/api/v1/search/synonyms")).bearer_auth(&editor).json(&group).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    app.wait_for_search().await;
    let (_, after) = search(app, &agent, "loofzak").await;
    assert_eq!(first_external_id(&after).as_deref(), Some("ext-blad"), "{after}");
    let invalid = app
        .client
        .post(app.url("/api/v1/search/synonyms"))
        .bearer_auth(&editor)
        .json(&json!({"terms": ["alleen"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 400);
    let id = created["id"].as_str().unwrap();
    let gone =
        app.client.delete(app.url(&format!("/api/v1/search/synonyms/{id}"))).bearer_auth(&editor).send().await.unwrap();
    assert_eq!(gone.status(), 204);
    let again =
        app.client.delete(app.url(&format!("/api/v1/search/synonyms/{id}"))).bearer_auth(&editor).send().await.unwrap();
    assert_eq!(again.status(), 404);
    app.wait_for_search().await;
    let (_, reset) = search(app, &agent, "loofzak").await;
    assert!(!external_ids(&reset).contains(&"ext-blad".to_owned()));
}

async fn what_agents_open_and_mark_as_answered_raises_an_article_and_a_redacteur_can_reset_it(app: &TestApp) {
    import(app, ARTICLES).await;
    let editor = app.token(&[Role::Redacteur]).await;
    // "gemeente" is in several texts; learning should lift the bladkorf article for it.
    let blad = article_id(app, "ext-blad").await;
    for n in 0..4 {
        let name = app.user(&[Role::Klantcontactmedewerker]).await;
        let browser = app.login(&name).await;
        let view =
            browser.client.get(browser.url(&format!("/kennisbank/{blad}?q=gemeente+legen"))).send().await.unwrap();
        assert_eq!(view.status(), 200, "agent {n}");
        let answered = browser
            .client
            .post(browser.url(&format!("/kennisbank/{blad}/beantwoord")))
            .form(&[("csrf_token", browser.csrf.as_str()), ("q", "gemeente legen")])
            .send()
            .await
            .unwrap();
        assert_eq!(answered.status(), 303);
    }
    let learned = wait_for_learning(app, &editor, |list| list.first().is_some_and(|l| l["people"] == 4)).await;
    assert_eq!(learned[0]["article_id"], blad.as_str());
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, body) = search(app, &agent, "gemeente legen").await;
    assert_eq!(first_external_id(&body).as_deref(), Some("ext-blad"), "{body}");
    let reset = app
        .client
        .post(app.url("/api/v1/search/learning/reset"))
        .bearer_auth(&editor)
        .json(&json!({"article_id": blad}))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert!(wait_for_learning(app, &editor, |list| list.is_empty()).await.is_empty());
}

/// The learned list once `done` holds for it; learning reloads within about a second.
async fn wait_for_learning(app: &TestApp, editor: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let list = get_json(app, editor, "/api/v1/search/learning").await;
        let list = list.as_array().unwrap().clone();
        if done(&list) {
            return list;
        }
        assert!(std::time::Instant::now() < deadline, "learning did not reload");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn searches_without_results_reach_the_redacteur_who_turns_one_into_a_draft(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let editor = app.token(&[Role::Redacteur]).await;
    for _ in 0..3 {
        search(app, &agent, "hondenbelasting").await;
    }
    search(app, &agent, "bsn 123456782 paspoort").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let report = loop {
        let report = get_json(app, &editor, "/api/v1/search/analytics?listing=no_results&days=7").await;
        // The log is written in batches, a fraction of a second after the searches.
        if report["searches"] == 4 && !report["queries"].as_array().unwrap().is_empty() {
            break report;
        }
        assert!(std::time::Instant::now() < deadline, "the search log was not written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let row = &report["queries"][0];
    assert_eq!(row["query"], "hondenbelasting");
    assert_eq!(row["searches"], 3);
    assert_eq!(row["results"], 0);
    let top = get_json(app, &editor, "/api/v1/search/analytics?days=7").await;
    let queries: Vec<&str> = top["queries"].as_array().unwrap().iter().filter_map(|q| q["query"].as_str()).collect();
    assert!(queries.contains(&"bsn [nummer] paspoort"), "a BSN is not kept: {queries:?}");
    let draft = app
        .client
        .post(app.url("/api/v1/search/analytics/draft"))
        .bearer_auth(&editor)
        .json(&json!({"query": "hondenbelasting", "searches": 3}))
        .send()
        .await
        .unwrap();
    assert_eq!(draft.status(), 201);
    let draft: Value = draft.json().await.unwrap();
    assert_eq!(draft["version"]["title"], "Hondenbelasting");
    assert_eq!(draft["version"]["state"], "concept");
    let refused = app.client.get(app.url("/api/v1/search/analytics")).bearer_auth(&agent).send().await.unwrap();
    assert_eq!(refused.status(), 403);
}

async fn a_search_says_whether_it_found_an_answer_and_the_redacteur_sees_those_without_one(app: &TestApp) {
    import(app, ARTICLES).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let editor = app.token(&[Role::Redacteur]).await;
    let (_, answered) = search(app, &agent, "hoe vraag ik een paspoort aan").await;
    assert_eq!(answered["confident"], true, "{answered}");
    // Hits that share only "gemeente" with the question are shown, but not as an answer.
    let (_, unsure) = search(app, &agent, "parkeervergunning aanvragen bij de gemeente").await;
    assert_eq!(unsure["confident"], false, "{unsure}");
    assert!(!unsure["hits"].as_array().unwrap().is_empty(), "{unsure}");
    let (_, nothing) = search(app, &agent, "xyzzy").await;
    assert_eq!(nothing["confident"], false, "{nothing}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let report = loop {
        let report = get_json(app, &editor, "/api/v1/search/analytics?listing=not_confident&days=7").await;
        if report["searches"] == 3 {
            break report;
        }
        assert!(std::time::Instant::now() < deadline, "the search log was not written: {report}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(report["not_confident"], 2, "{report}");
    assert_eq!(report["without_results"], 1, "{report}");
    let mut listed: Vec<&str> =
        report["queries"].as_array().unwrap().iter().filter_map(|q| q["query"].as_str()).collect();
    listed.sort_unstable();
    assert_eq!(listed, ["parkeervergunning aanvragen bij de gemeente", "xyzzy"]);
    assert!(report["queries"].as_array().unwrap().iter().all(|q| q["confident"] == false));
    // The agent reads it on the kennisbank page; the redacteur finds the list on theirs.
    let name = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&name).await;
    let page = browser.page("/kennisbank?q=parkeervergunning+aanvragen+bij+de+gemeente").await;
    assert!(page.contains("<p id=\"geen-antwoord\" class=\"notice unsure\">Geen goed antwoord gevonden."), "{page}");
    let page = browser.page("/kennisbank?q=paspoort").await;
    assert!(page.contains("<p id=\"geen-antwoord\" class=\"notice unsure\" hidden>"), "{page}");
    let editor = app.login(&app.user(&[Role::Redacteur]).await).await;
    let analytics = editor.page("/redactie/zoeken?lijst=not_confident&dagen=7").await;
    assert!(analytics.contains("zonder goed antwoord"), "{analytics}");
    assert!(analytics.contains("parkeervergunning aanvragen bij de gemeente"), "{analytics}");
}

async fn the_kennisbank_page_shows_marked_results_and_a_suggestion(app: &TestApp) {
    import(app, ARTICLES).await;
    let name = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&name).await;
    let page = browser.page("/kennisbank?q=energietoesalg").await;
    assert!(page.contains("Bedoelde u:"), "{page}");
    assert!(page.contains("<mark>Energietoeslag</mark>"), "{page}");
    assert!(page.contains("/static/zoeken.js"));
    let script = app.client.get(app.url("/static/zoeken.js")).send().await.unwrap();
    assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
    // User text in results is escaped like everything else.
    import(app, r#"{"id": "ext-xss", "title": "Kapotte <script>alert(1)</script> lantaarnpaal", "body": "Meld een kapotte lantaarnpaal.", "audience": "publiek"}"#).await;
    let page = browser.page("/kennisbank?q=lantaarnpaal").await;
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(page.contains("alert(1)"), "the title is shown, escaped: {page}");
}

async fn a_missing_or_corrupt_index_is_rebuilt_from_the_database(app: &TestApp) {
    import(app, ARTICLES).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.json"), b"{ kapot").unwrap();
    let (search, opened) = loket::search::Search::open(dir.path(), None).unwrap();
    assert!(matches!(opened, loket_search::Opened::Fresh { .. }), "{opened:?}");
    loket::search::follow::start(&app.store, &search, &opened).await.unwrap();
    assert!(search.is_ready());
    let viewer = loket::auth::Caller {
        user_id: uuid::Uuid::nil(),
        username: "test".into(),
        display_name: "Test".into(),
        unit_id: None,
        roles: [Role::Klantcontactmedewerker].into(),
        account: loket::auth::users::AccountKind::Medewerker,
        created_by: None,
        credential: loket::auth::Credential::Token { token_id: uuid::Uuid::nil() },
        ip: None,
        unread_notices: None,
    };
    let query = loket::search::Query::parse("bladkorf", None, &[], None, None, true).unwrap();
    let results = search.search(&viewer, &query).unwrap();
    assert_eq!(results.hits[0].external_id.as_deref(), Some("ext-blad"));
}

async fn an_article_published_through_one_process_is_found_through_another(app: &TestApp) {
    let other = app.another_process().await;
    let agent = other.token(&[Role::Klantcontactmedewerker]).await;
    import(app, ARTICLES).await;
    // The other process follows the same change log on its own, without a restart.
    other.wait_for_search().await;
    let (_, body) = search(&other, &agent, "bladkorf").await;
    assert_eq!(first_external_id(&body).as_deref(), Some("ext-blad"), "{body}");
}

on_both_backends!(
    an_imported_article_is_found_in_the_shape_outside_tools_expect,
    dutch_words_are_understood_compounds_forms_and_typos,
    publishing_and_archiving_reach_the_search_without_a_restart,
    bad_input_gets_an_answer_or_a_clear_400_and_never_a_500,
    a_type_filter_and_the_directory_find_colleagues_and_units_with_their_phone_numbers,
    a_werkbericht_for_one_team_is_found_only_by_that_team,
    synonyms_of_the_redacteur_apply_at_once_and_only_a_redacteur_changes_them,
    what_agents_open_and_mark_as_answered_raises_an_article_and_a_redacteur_can_reset_it,
    searches_without_results_reach_the_redacteur_who_turns_one_into_a_draft,
    a_search_says_whether_it_found_an_answer_and_the_redacteur_sees_those_without_one,
    the_kennisbank_page_shows_marked_results_and_a_suggestion,
    a_missing_or_corrupt_index_is_rebuilt_from_the_database,
    an_article_published_through_one_process_is_found_through_another,
);
