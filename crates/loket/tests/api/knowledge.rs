//! Knowledge articles: the content cycle end to end over the API, versions, diff, validity.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

struct People {
    expert: String,
    expert_id: String,
    editor: String,
    second_line: String,
    agent: String,
}

async fn people(app: &TestApp) -> People {
    let expert = app.token(&[Role::Kennisexpert]).await;
    let me: Value =
        app.client.get(app.url("/api/v1/me")).bearer_auth(&expert).send().await.unwrap().json().await.unwrap();
    People {
        expert_id: me["id"].as_str().unwrap().to_owned(),
        expert,
        editor: app.token(&[Role::Redacteur]).await,
        second_line: app.token(&[Role::Tweedelijn]).await,
        agent: app.token(&[Role::Klantcontactmedewerker]).await,
    }
}

async fn call(app: &TestApp, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let value = response.json().await.unwrap_or(Value::Null);
    (status, value)
}

async fn step(app: &TestApp, id: &str, token: &str, transition: &str) -> (u16, Value) {
    call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/articles/{id}/transitions"),
        token,
        Some(json!({"transition": transition})),
    )
    .await
}

fn article(title: &str, body: &str) -> Value {
    json!({"title": title, "short_answer": "Vraag een paspoort aan bij de balie.", "body": body, "keywords": ["paspoort"], "audience": "publiek"})
}

async fn only_what_the_redacteur_published_reaches_agents_and_drafts_do_not(app: &TestApp) {
    let p = people(app).await;
    let (status, created) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.expert,
        Some(json!({"article": article("Paspoort aanvragen", "Maak een afspraak."), "owner_id": p.expert_id})),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["version"]["state"], "concept");
    assert_eq!(
        call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await.0,
        404,
        "a concept is invisible to agents"
    );

    assert_eq!(step(app, &id, &p.second_line, "indienen").await.0, 200);
    let (status, refused) = step(app, &id, &p.editor, "publiceren").await;
    assert_eq!(status, 403, "substance needs the kennisexpert first: {refused}");
    assert_eq!(step(app, &id, &p.expert, "goedkeuren").await.0, 200);
    let (status, published) = step(app, &id, &p.editor, "publiceren").await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["published_version"], 1);

    let (status, seen) = call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await;
    assert_eq!(status, 200);
    assert_eq!(seen["version"]["body"], "Maak een afspraak.");
    assert_eq!(seen["transitions"], json!([]), "an agent has no buttons");

    // The tweede lijn prepares a small correction; agents keep the published text meanwhile.
    let change = json!({"base_version": 1, "substantive": false, "reason": "Typefout", "article": article("Paspoort aanvragen", "Maak online een afspraak.")});
    let (status, draft) =
        call(app, reqwest::Method::PUT, &format!("/api/v1/articles/{id}"), &p.second_line, Some(change)).await;
    assert_eq!(status, 200, "{draft}");
    assert_eq!(draft["latest_version"], 2);
    let (_, seen) = call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await;
    assert_eq!(seen["version"]["body"], "Maak een afspraak.", "agents see the published version while a draft exists");
    assert_eq!(step(app, &id, &p.second_line, "publiceren").await.0, 403, "the tweede lijn cannot publish");
    assert_eq!(step(app, &id, &p.editor, "publiceren").await.0, 200, "a small correction needs no approval");
    let (_, seen) = call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await;
    assert_eq!(seen["version"]["body"], "Maak online een afspraak.");

    let (_, history) =
        call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}/versions"), &p.editor, None).await;
    let states: Vec<&str> = history.as_array().unwrap().iter().map(|v| v["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["gepubliceerd", "vervangen"]);
    assert!(history[1]["approved_by"].is_string(), "the approval is recorded on the version");
}

async fn a_save_over_a_newer_version_is_refused_instead_of_overwriting(app: &TestApp) {
    let p = people(app).await;
    let (_, created) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.editor,
        Some(json!({"article": article("Verhuizing doorgeven", "Binnen 5 dagen.")})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let first = json!({"base_version": 1, "article": article("Verhuizing doorgeven", "Binnen 5 dagen, online.")});
    let second = json!({"base_version": 1, "article": article("Verhuizing doorgeven", "Binnen 5 werkdagen.")});
    assert_eq!(call(app, reqwest::Method::PUT, &format!("/api/v1/articles/{id}"), &p.expert, Some(first)).await.0, 200);
    let (status, problem) =
        call(app, reqwest::Method::PUT, &format!("/api/v1/articles/{id}"), &p.second_line, Some(second)).await;
    assert_eq!(status, 409);
    assert!(problem["detail"].as_str().unwrap().contains("versie 2"), "{problem}");
}

async fn versions_can_be_compared_and_an_old_one_restored_as_a_new_draft(app: &TestApp) {
    let p = people(app).await;
    let (_, created) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.editor,
        Some(json!({"article": article("Bladkorf aanvragen", "Vraag een bladkorf aan voor 1 oktober.")})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let change = json!({"base_version": 1, "article": article("Bladkorf aanvragen", "Vraag een bladkorf aan voor 15 september.")});
    call(app, reqwest::Method::PUT, &format!("/api/v1/articles/{id}"), &p.editor, Some(change)).await;
    let (status, diff) =
        call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}/diff?from=1&to=2"), &p.editor, None).await;
    assert_eq!(status, 200);
    let lines = diff.as_array().unwrap();
    assert!(lines.iter().any(|l| l["change"] == "verwijderd" && l["text"] == "Vraag een bladkorf aan voor 1 oktober."));
    assert!(
        lines.iter().any(|l| l["change"] == "toegevoegd" && l["text"] == "Vraag een bladkorf aan voor 15 september.")
    );
    assert!(lines.iter().any(|l| l["change"] == "gelijk" && l["text"] == "Bladkorf aanvragen"));

    let (status, restored) = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/articles/{id}/restore"),
        &p.editor,
        Some(json!({"version": 1, "base_version": 2})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(restored["latest_version"], 3);
    assert_eq!(restored["version"]["body"], "Vraag een bladkorf aan voor 1 oktober.");
    assert_eq!(restored["version"]["reason"], "Hersteld van versie 1");
}

async fn expired_articles_disappear_for_agents_and_overdue_reviews_reach_the_owner(app: &TestApp) {
    let p = people(app).await;
    let expired = json!({"article": {"title": "Energietoeslag 2022", "body": "Aanvragen kon tot 31 december.", "valid_until": "2023-01-01T00:00:00Z", "review_date": "2023-01-01"}, "owner_id": p.expert_id});
    let (_, created) = call(app, reqwest::Method::POST, "/api/v1/articles", &p.expert, Some(expired)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(step(app, &id, &p.editor, "spoed_publiceren").await.0, 200);
    assert_eq!(call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await.0, 404);
    let (_, list) = call(app, reqwest::Method::GET, "/api/v1/articles?q=energietoeslag", &p.agent, None).await;
    assert!(list.as_array().unwrap().is_empty());

    let (_, worklist) = call(app, reqwest::Method::GET, "/api/v1/editor/review-worklist", &p.expert, None).await;
    assert!(worklist.as_array().unwrap().iter().any(|a| a["id"] == id.as_str()), "{worklist}");
    let (_, history) =
        call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}/versions"), &p.editor, None).await;
    assert_eq!(history[0]["urgent"], true, "fast-tracking is recorded");
}

async fn script_typed_into_an_article_is_neutralised_and_tweede_lijn_cannot_create(app: &TestApp) {
    let p = people(app).await;
    let evil = json!({"article": {"title": "Afvalkalender", "body": "Zie <script>alert(1)</script><img src=x onerror=alert(2)>", "instructions": "<a href=\"javascript:alert(3)\">klik</a>"}});
    let (status, created) = call(app, reqwest::Method::POST, "/api/v1/articles", &p.editor, Some(evil)).await;
    assert_eq!(status, 201);
    let html = format!("{}{}", created["version"]["body_html"], created["version"]["instructions_html"]);
    assert!(!html.contains("<script") && !html.contains("onerror") && !html.contains("javascript:"), "{html}");
    let (status, _) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.second_line,
        Some(json!({"article": article("Nieuw", "x")})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, problem) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.editor,
        Some(json!({"article": {"title": "x", "audience": "iedereen"}})),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);
}

async fn archiving_takes_an_article_away_from_agents(app: &TestApp) {
    let p = people(app).await;
    let (_, created) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.editor,
        Some(json!({"article": article("Hondenbelasting", "Wordt niet meer geheven.")})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    step(app, &id, &p.editor, "spoed_publiceren").await;
    assert_eq!(call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await.0, 200);
    assert_eq!(step(app, &id, &p.expert, "archiveren").await.0, 403);
    assert_eq!(step(app, &id, &p.editor, "archiveren").await.0, 200);
    assert_eq!(call(app, reqwest::Method::GET, &format!("/api/v1/articles/{id}"), &p.agent, None).await.0, 404);
}

async fn editors_work_through_the_screens_and_only_see_the_buttons_their_role_allows(app: &TestApp) {
    let expert_name = app.user(&[Role::Kennisexpert]).await;
    let editor_name = app.user(&[Role::Redacteur]).await;
    let second_name = app.user(&[Role::Tweedelijn]).await;
    let agent_name = app.user(&[Role::Klantcontactmedewerker]).await;
    let expert = app.login(&expert_name).await;
    let form = [
        ("csrf_token", expert.csrf.as_str()),
        ("title", "Gehandicaptenparkeerkaart aanvragen"),
        ("short_answer", "Vraag de kaart online aan; een arts beoordeelt uw situatie."),
        ("body", "Een **medische keuring** is nodig. <script>alert(1)</script>"),
        ("audience", "publiek"),
        ("keywords", "parkeren, gehandicapt"),
        ("substantive", "1"),
        ("base_version", "0"),
    ];
    let created = expert.client.post(expert.url("/redactie/artikelen")).form(&form).send().await.unwrap();
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let page = expert.client.get(expert.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("<strong>medische keuring</strong>") && !page.contains("<script>alert(1)"),
        "preview is rendered and clean"
    );
    assert!(
        page.contains("value=\"indienen\"") && !page.contains("value=\"publiceren\""),
        "a kennisexpert submits, never publishes"
    );

    let second = app.login(&second_name).await;
    let page = second.client.get(second.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("value=\"publiceren\"") && !page.contains("value=\"spoed_publiceren\""));
    let forged = second
        .client
        .post(second.url(&format!("{location}/stap")))
        .form(&[("csrf_token", second.csrf.as_str()), ("stap", "spoed_publiceren")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "a forged form is refused by the domain, not only hidden");

    let editor = app.login(&editor_name).await;
    let page = editor.client.get(editor.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"spoed_publiceren\""));
    let published = editor
        .client
        .post(editor.url(&format!("{location}/stap")))
        .form(&[("csrf_token", editor.csrf.as_str()), ("stap", "spoed_publiceren")])
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 303);

    // A stale form (base version 1 while 2 exists) is refused with a readable message.
    let save = |base: &'static str, body: &'static str| {
        [
            ("csrf_token", editor.csrf.clone()),
            ("title", "Gehandicaptenparkeerkaart aanvragen".into()),
            ("body", body.into()),
            ("base_version", base.into()),
            ("reason", "test".into()),
        ]
    };
    assert_eq!(
        editor.client.post(editor.url(&location)).form(&save("1", "Tekst twee")).send().await.unwrap().status(),
        303
    );
    let stale = editor.client.post(editor.url(&location)).form(&save("1", "Tekst drie")).send().await.unwrap();
    assert_eq!(stale.status(), 409);
    assert!(stale.text().await.unwrap().contains("intussen door iemand anders gewijzigd"));
    let diff = editor
        .client
        .get(editor.url(&format!("{location}/vergelijk?van=1&tot=2")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(diff.contains("<ins>Tekst twee</ins>"), "{diff}");

    let agent = app.login(&agent_name).await;
    app.wait_for_search().await;
    let list = agent.client.get(agent.url("/kennisbank?q=parkeerkaart")).send().await.unwrap().text().await.unwrap();
    let id = location.rsplit('/').next().unwrap();
    // The search marks the matching word: <mark>Gehandicaptenparkeerkaart</mark> aanvragen.
    assert!(
        list.contains(&format!("/kennisbank/{id}?q=parkeerkaart")) && list.contains("parkeerkaart</mark>"),
        "{list}"
    );
    let view = agent.client.get(agent.url(&format!("/kennisbank/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        view.contains("Vraag de kaart online aan") && view.contains("<strong>medische keuring</strong>"),
        "agents see the published version 1"
    );
    assert!(!view.contains("Tekst twee"), "the newer draft stays with the editors");
    assert!(!view.contains("/redactie/artikelen/"), "no edit link for agents");
}

async fn feedback_reaches_the_owner_and_the_reply_reaches_the_agent(app: &TestApp) {
    let p = people(app).await;
    let other_expert = app.token(&[Role::Kennisexpert]).await;
    let (_, created) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.expert,
        Some(json!({"article": article("Afvalpas kwijt", "Vraag een nieuwe pas aan."), "owner_id": p.expert_id})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    step(app, &id, &p.editor, "spoed_publiceren").await;

    let flag = json!({"kind": "verouderd", "note": "De pas kost sinds dit jaar € 10.", "search_query": "afvalpas kwijt", "contact_ref": "KC-2026-0042"});
    let (status, flagged) =
        call(app, reqwest::Method::POST, &format!("/api/v1/articles/{id}/feedback"), &p.agent, Some(flag)).await;
    assert_eq!(status, 201, "{flagged}");
    assert_eq!(flagged["status"], "nieuw");
    assert_eq!(flagged["search_query"], "afvalpas kwijt");
    let fid = flagged["id"].as_str().unwrap().to_owned();

    let (_, owners) = call(app, reqwest::Method::GET, "/api/v1/feedback?status=nieuw", &p.expert, None).await;
    assert!(owners.as_array().unwrap().iter().any(|f| f["id"] == fid.as_str()), "on the owner's worklist");
    let (_, others) = call(app, reqwest::Method::GET, "/api/v1/feedback", &other_expert, None).await;
    assert!(!others.as_array().unwrap().iter().any(|f| f["id"] == fid.as_str()), "not on another expert's worklist");
    let (_, editors) = call(app, reqwest::Method::GET, "/api/v1/feedback", &p.editor, None).await;
    assert!(editors.as_array().unwrap().iter().any(|f| f["id"] == fid.as_str()), "on the editors' worklist");
    assert_eq!(call(app, reqwest::Method::GET, "/api/v1/feedback", &p.agent, None).await.0, 403);

    let refused = json!({"status": "afgewezen"});
    assert_eq!(
        call(app, reqwest::Method::PATCH, &format!("/api/v1/feedback/{fid}"), &p.expert, Some(refused)).await.0,
        400,
        "a rejection needs a reason"
    );
    assert_eq!(
        call(
            app,
            reqwest::Method::PATCH,
            &format!("/api/v1/feedback/{fid}"),
            &other_expert,
            Some(json!({"status": "in_behandeling"}))
        )
        .await
        .0,
        403
    );
    let handled = json!({"status": "verwerkt", "reply": "Aangepast, dank!", "resolved_version": 1});
    let (status, done) =
        call(app, reqwest::Method::PATCH, &format!("/api/v1/feedback/{fid}"), &p.expert, Some(handled)).await;
    assert_eq!(status, 200, "{done}");
    let (_, mine) = call(app, reqwest::Method::GET, "/api/v1/feedback/mine", &p.agent, None).await;
    assert_eq!(mine[0]["reply"], "Aangepast, dank!");
    assert_eq!(mine[0]["resolved_version"], 1);

    let answered = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/articles/{id}/answered"),
        &p.agent,
        Some(json!({"search_query": "afvalpas"})),
    )
    .await;
    assert_eq!(answered.0, 204);
    let bad = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/articles/{id}/feedback"),
        &p.agent,
        Some(json!({"kind": "saai"})),
    )
    .await;
    assert_eq!(bad.0, 400);
}

async fn related_articles_and_the_owner_are_kept_and_shown_and_only_the_right_people_change_the_owner(app: &TestApp) {
    let p = people(app).await;
    let (_, a) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.editor,
        Some(json!({"article": article("Grofvuil ophalen", "Maak een afspraak.")})),
    )
    .await;
    let a_id = a["id"].as_str().unwrap().to_owned();
    step(app, &a_id, &p.editor, "spoed_publiceren").await;
    let with_related = json!({"article": {"title": "Milieustraat", "body": "Open op zaterdag.", "related": [a_id]}, "owner_id": p.expert_id});
    let (status, b) = call(app, reqwest::Method::POST, "/api/v1/articles", &p.editor, Some(with_related)).await;
    assert_eq!(status, 201, "{b}");
    let b_id = b["id"].as_str().unwrap().to_owned();
    step(app, &b_id, &p.editor, "spoed_publiceren").await;
    let bad = json!({"article": {"title": "Kapot", "related": ["0192f5e0-0000-7000-8000-000000000000"]}});
    assert_eq!(call(app, reqwest::Method::POST, "/api/v1/articles", &p.editor, Some(bad)).await.0, 400);

    // A tweede lijn saves a correction on the screen: related articles and the owner stay.
    let second_name = app.user(&[Role::Tweedelijn]).await;
    let second = app.login(&second_name).await;
    let page = second
        .client
        .get(second.url(&format!("/redactie/artikelen/{b_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("<option value=\"{a_id}\" selected>")), "the related article is preselected");
    let form = [
        ("csrf_token", second.csrf.as_str()),
        ("title", "Milieustraat"),
        ("body", "Open op zaterdag van 9 tot 16 uur."),
        ("related", a_id.as_str()),
        ("owner_id", p.expert_id.as_str()),
        ("base_version", "1"),
    ];
    assert_eq!(
        second
            .client
            .post(second.url(&format!("/redactie/artikelen/{b_id}")))
            .form(&form)
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    let (_, latest) =
        call(app, reqwest::Method::GET, &format!("/api/v1/articles/{b_id}/versions/2"), &p.editor, None).await;
    assert_eq!(latest["version"]["related"], json!([a_id]));
    assert_eq!(latest["owner_id"], p.expert_id.as_str());

    // Changing the owner is not for the tweede lijn, and nothing is saved when refused.
    let takeover = [
        ("csrf_token", second.csrf.as_str()),
        ("title", "Milieustraat"),
        ("body", "x"),
        ("owner_id", ""),
        ("base_version", "2"),
    ];
    assert_eq!(
        second
            .client
            .post(second.url(&format!("/redactie/artikelen/{b_id}")))
            .form(&takeover)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let (_, history) =
        call(app, reqwest::Method::GET, &format!("/api/v1/articles/{b_id}/versions"), &p.editor, None).await;
    assert_eq!(history.as_array().unwrap().len(), 2, "no version was added");

    let agent_name = app.user(&[Role::Klantcontactmedewerker]).await;
    let agent = app.login(&agent_name).await;
    let view = agent.client.get(agent.url(&format!("/kennisbank/{b_id}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        view.contains("Zie ook") && view.contains(&format!("/kennisbank/{a_id}")),
        "related articles are linked for agents"
    );
}

async fn a_small_save_cannot_carry_an_unapproved_change_past_the_owner_and_stale_steps_are_refused(app: &TestApp) {
    let p = people(app).await;
    let (_, created) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.expert,
        Some(json!({"article": article("Rijbewijs verlengen", "Online aanvragen."), "owner_id": p.expert_id})),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    step(app, &id, &p.editor, "spoed_publiceren").await;
    let substantive = json!({"base_version": 1, "substantive": true, "article": article("Rijbewijs verlengen", "Alleen aan de balie.")});
    assert_eq!(
        call(app, reqwest::Method::PUT, &format!("/api/v1/articles/{id}"), &p.second_line, Some(substantive)).await.0,
        200
    );
    let small = json!({"base_version": 2, "substantive": false, "article": article("Rijbewijs verlengen", "Alleen aan de balie, op afspraak.")});
    let (_, v3) = call(app, reqwest::Method::PUT, &format!("/api/v1/articles/{id}"), &p.second_line, Some(small)).await;
    assert_eq!(v3["version"]["substantive"], true, "the pending substance carries over");
    assert_eq!(step(app, &id, &p.editor, "publiceren").await.0, 403);

    // A step for version 2, taken when version 3 exists, is refused.
    let stale = json!({"transition": "indienen", "version": 2});
    assert_eq!(
        call(app, reqwest::Method::POST, &format!("/api/v1/articles/{id}/transitions"), &p.expert, Some(stale)).await.0,
        409
    );
    let current = json!({"transition": "indienen", "version": 3});
    assert_eq!(
        call(app, reqwest::Method::POST, &format!("/api/v1/articles/{id}/transitions"), &p.expert, Some(current))
            .await
            .0,
        200
    );

    // Feedback is only for what agents can see.
    let (_, draft) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/articles",
        &p.expert,
        Some(json!({"article": article("Nog geheim", "Concept.")})),
    )
    .await;
    let flag = json!({"kind": "onduidelijk"});
    assert_eq!(
        call(
            app,
            reqwest::Method::POST,
            &format!("/api/v1/articles/{}/feedback", draft["id"].as_str().unwrap()),
            &p.agent,
            Some(flag)
        )
        .await
        .0,
        404
    );
}

async fn the_redacteur_sees_what_waits_for_publication_and_open_feedback_only_by_default(app: &TestApp) {
    let p = people(app).await;
    let new = |title: &str| json!({"article": article(title, "Tekst."), "owner_id": p.expert_id});
    let (_, waiting) =
        call(app, reqwest::Method::POST, "/api/v1/articles", &p.expert, Some(new("Rijbewijs verlengen"))).await;
    let waiting = waiting["id"].as_str().unwrap().to_owned();
    step(app, &waiting, &p.expert, "indienen").await;
    assert_eq!(step(app, &waiting, &p.expert, "goedkeuren").await.0, 200);
    let (_, live) = call(app, reqwest::Method::POST, "/api/v1/articles", &p.expert, Some(new("Afvalpas kwijt"))).await;
    let live = live["id"].as_str().unwrap().to_owned();
    step(app, &live, &p.editor, "spoed_publiceren").await;

    let flag = |note: &str| json!({"kind": "verouderd", "note": note});
    let (_, open) = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/articles/{live}/feedback"),
        &p.agent,
        Some(flag("Nog open")),
    )
    .await;
    let (_, done) = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/articles/{live}/feedback"),
        &p.agent,
        Some(flag("Al verwerkt")),
    )
    .await;
    let handled = json!({"status": "verwerkt", "reply": "Aangepast"});
    let path = format!("/api/v1/feedback/{}", done["id"].as_str().unwrap());
    assert_eq!(call(app, reqwest::Method::PATCH, &path, &p.expert, Some(handled)).await.0, 200);
    assert!(open["id"].is_string());

    let editor = app.user(&[Role::Redacteur]).await;
    let browser = app.login(&editor).await;
    let redactie = browser.page("/redactie").await;
    let awaiting = redactie.split("id=\"publicatie-kop\"").nth(1).expect("a 'wacht op publicatie' list");
    assert!(redactie.contains("Wacht op publicatie (1)"));
    assert!(awaiting.contains("Rijbewijs verlengen"), "the approved article waits for publication");
    let feedback = browser.page("/redactie/feedback").await;
    assert!(feedback.contains("Nog open") && !feedback.contains("Al verwerkt"), "the default list is the open items");
    let all = browser.page("/redactie/feedback?status=alle").await;
    assert!(all.contains("Nog open") && all.contains("Al verwerkt"), "'alle' shows the handled ones too");
    let (_, api) = call(app, reqwest::Method::GET, "/api/v1/feedback", &p.editor, None).await;
    assert_eq!(api.as_array().unwrap().len(), 2, "the API without a status still answers every status");
}

on_both_backends!(
    a_small_save_cannot_carry_an_unapproved_change_past_the_owner_and_stale_steps_are_refused,
    related_articles_and_the_owner_are_kept_and_shown_and_only_the_right_people_change_the_owner,
    feedback_reaches_the_owner_and_the_reply_reaches_the_agent,
    editors_work_through_the_screens_and_only_see_the_buttons_their_role_allows,
    only_what_the_redacteur_published_reaches_agents_and_drafts_do_not,
    a_save_over_a_newer_version_is_refused_instead_of_overwriting,
    versions_can_be_compared_and_an_old_one_restored_as_a_new_draft,
    expired_articles_disappear_for_agents_and_overdue_reviews_reach_the_owner,
    script_typed_into_an_article_is_neutralised_and_tweede_lijn_cannot_create,
    archiving_takes_an_article_away_from_agents,
    the_redacteur_sees_what_waits_for_publication_and_open_feedback_only_by_default,
);
