//! Beslisbomen: validation at save, the content cycle, walking the published version.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn send(app: &TestApp, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
    let mut r = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn tree(nodes: Value) -> Value {
    json!({"title": "Grofvuil: wat mag mee?", "description": "Voor vragen over grofvuil.", "definition": {"start": "q1", "nodes": nodes}})
}

async fn a_tree_is_checked_at_save_published_through_the_cycle_and_walked_by_agents(app: &TestApp) {
    let expert = app.token(&[Role::Kennisexpert]).await;
    let editor = app.token(&[Role::Redacteur]).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;

    let cyclic = tree(json!([
        {"id": "q1", "question": "Past het in de container?", "answers": [{"label": "Ja", "next": "q2"}]},
        {"id": "q2", "question": "Zeker?", "answers": [{"label": "Nee", "next": "q1"}]}
    ]));
    let (status, problem) = send(app, reqwest::Method::POST, "/api/v1/decision-trees", &expert, Some(cyclic)).await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["code"], "cycle", "{problem}");

    let dead_end = tree(
        json!([{"id": "q1", "question": "Past het in de container?", "answers": [{"label": "Ja", "next": "nergens"}]}]),
    );
    assert_eq!(
        send(app, reqwest::Method::POST, "/api/v1/decision-trees", &expert, Some(dead_end)).await.1["errors"][0]["code"],
        "dead_end"
    );
    let unknown_article = tree(
        json!([{"id": "q1", "outcome": {"type": "article", "article_id": "0192f5e0-0000-7000-8000-000000000000"}}]),
    );
    assert_eq!(
        send(app, reqwest::Method::POST, "/api/v1/decision-trees", &expert, Some(unknown_article)).await.1["errors"][0]
            ["code"],
        "unknown_article"
    );

    let good = tree(json!([
        {"id": "q1", "question": "Past het in de container?", "answers": [{"label": "Ja", "next": "container"}, {"label": "Nee", "next": "ophalen"}]},
        {"id": "container", "outcome": {"type": "text", "text": "Dan gewoon in de container."}},
        {"id": "ophalen", "outcome": {"type": "action", "action": "afspraak", "text": "Maak een afspraak voor grofvuil."}}
    ]));
    let (status, created) = send(app, reqwest::Method::POST, "/api/v1/decision-trees", &expert, Some(good)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        send(app, reqwest::Method::GET, &format!("/api/v1/decision-trees/{id}"), &agent, None).await.0,
        404,
        "a concept is not for agents"
    );

    let step = |token: String, t: &'static str| {
        let id = id.clone();
        async move {
            send(
                app,
                reqwest::Method::POST,
                &format!("/api/v1/decision-trees/{id}/transitions"),
                &token,
                Some(json!({"transition": t})),
            )
            .await
            .0
        }
    };
    assert_eq!(step(expert.clone(), "indienen").await, 200);
    assert_eq!(step(editor.clone(), "publiceren").await, 403, "the owner approves first");
    assert_eq!(step(expert.clone(), "goedkeuren").await, 200);
    assert_eq!(step(expert.clone(), "publiceren").await, 403, "only a redacteur publishes");
    assert_eq!(step(editor.clone(), "publiceren").await, 200);
    let (status, published) =
        send(app, reqwest::Method::GET, &format!("/api/v1/decision-trees/{id}"), &agent, None).await;
    assert_eq!(status, 200);
    assert_eq!(published["definition"]["nodes"].as_array().unwrap().len(), 3);

    // A stale save is refused.
    let change = json!({"base_version": 0, "tree": tree(json!([{"id": "q1", "outcome": {"type": "text", "text": "Altijd ophalen."}}]))});
    assert_eq!(
        send(app, reqwest::Method::PUT, &format!("/api/v1/decision-trees/{id}"), &expert, Some(change)).await.0,
        409
    );

    // The agent walks it in the browser: forward, back, restart.
    let agent_name = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&agent_name).await;
    let start =
        browser.client.get(browser.url(&format!("/beslisbomen/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(start.contains("Past het in de container?") && start.contains(&format!("/beslisbomen/{id}?pad=1")));
    let end = browser
        .client
        .get(browser.url(&format!("/beslisbomen/{id}?pad=1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(end.contains("Maak een afspraak voor grofvuil.") && end.contains("afspraak"));
    assert!(end.contains(&format!("href=\"/beslisbomen/{id}\"")), "back leads to the first question");
    let nonsense = browser.client.get(browser.url(&format!("/beslisbomen/{id}?pad=9.9"))).send().await.unwrap();
    assert_eq!(nonsense.status(), 303, "an impossible path starts again");
}

async fn a_tree_keeps_its_versions_which_can_be_compared_and_an_old_one_restored_as_a_new_draft(app: &TestApp) {
    let expert = app.token(&[Role::Kennisexpert]).await;
    let redacteur = app.token(&[Role::Redacteur]).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let first = tree(json!([
        {"id": "q1", "question": "Past het in de container?", "answers": [{"label": "Ja", "next": "container"}, {"label": "Nee", "next": "ophalen"}]},
        {"id": "container", "outcome": {"type": "text", "text": "Dan gewoon in de container."}},
        {"id": "ophalen", "outcome": {"type": "text", "text": "Wij halen het op."}}
    ]));
    let (_, created) = send(app, reqwest::Method::POST, "/api/v1/decision-trees", &expert, Some(first)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/decision-trees/{id}");
    for (token, t) in [(&expert, "indienen"), (&expert, "goedkeuren"), (&redacteur, "publiceren")] {
        let body = json!({"transition": t});
        assert_eq!(send(app, reqwest::Method::POST, &format!("{path}/transitions"), token, Some(body)).await.0, 200);
    }
    let second = tree(json!([
        {"id": "q1", "question": "Past het in de container?", "answers": [{"label": "Ja", "next": "container"}, {"label": "Nee", "next": "ophalen"}]},
        {"id": "container", "outcome": {"type": "text", "text": "Dan gewoon in de container."}},
        {"id": "ophalen", "outcome": {"type": "action", "action": "afspraak", "text": "Maak een afspraak voor grofvuil."}}
    ]));
    let change = json!({"base_version": 1, "reason": "Ophalen gaat op afspraak", "tree": second});
    let (status, saved) = send(app, reqwest::Method::PUT, &path, &expert, Some(change)).await;
    assert_eq!(
        (status, saved["latest_version"].as_i64(), saved["published_version"].as_i64()),
        (200, Some(2), Some(1))
    );

    let (status, versions) = send(app, reqwest::Method::GET, &format!("{path}/versions"), &expert, None).await;
    assert_eq!(status, 200, "{versions}");
    let listed: Vec<_> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["state"].as_str().unwrap(), v["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, [(2, "concept", "Ophalen gaat op afspraak"), (1, "gepubliceerd", "Nieuwe beslisboom")]);
    assert_eq!(versions[1]["published_by"].as_str().map(str::is_empty), Some(false));
    assert_eq!(send(app, reqwest::Method::GET, &format!("{path}/versions"), &agent, None).await.0, 403);

    let (status, lines) = send(app, reqwest::Method::GET, &format!("{path}/diff?from=1&to=2"), &expert, None).await;
    assert_eq!(status, 200, "{lines}");
    let changed: Vec<_> = lines
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["change"] != "gelijk")
        .map(|l| (l["change"].as_str().unwrap(), l["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        changed,
        [
            ("verwijderd", "[ophalen] Uitkomst: Wij halen het op."),
            ("toegevoegd", "[ophalen] Uitkomst: afspraak: Maak een afspraak voor grofvuil."),
        ],
        "one changed outcome is one changed line"
    );
    assert_eq!(send(app, reqwest::Method::GET, &format!("{path}/diff?from=1&to=9"), &expert, None).await.0, 404);

    let stale = json!({"version": 1, "base_version": 1});
    assert_eq!(send(app, reqwest::Method::POST, &format!("{path}/restore"), &expert, Some(stale)).await.0, 409);
    let restore = json!({"version": 1, "base_version": 2});
    let (status, restored) = send(app, reqwest::Method::POST, &format!("{path}/restore"), &expert, Some(restore)).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!((restored["version"].as_i64(), restored["state"].as_str()), (Some(3), Some("concept")));
    assert_eq!(restored["reason"], "Hersteld van versie 1");
    assert_eq!(restored["definition"]["nodes"][2]["outcome"]["text"], "Wij halen het op.");
    let (_, versions) = send(app, reqwest::Method::GET, &format!("{path}/versions"), &expert, None).await;
    assert_eq!(versions.as_array().unwrap().len(), 3, "restoring adds a version and rewrites none");
    let (_, published) = send(app, reqwest::Method::GET, &path, &agent, None).await;
    assert_eq!(published["version"], 1, "agents keep the published version meanwhile");

    // The editor page shows the history, and compares and restores from it.
    let name = app.user(&[Role::Kennisexpert]).await;
    let browser = app.login(&name).await;
    let page = browser.client.get(browser.url(&format!("/redactie/beslisbomen/{id}"))).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Geschiedenis") && page.contains("Hersteld van versie 1"), "{page}");
    assert!(page.contains(&format!("/redactie/beslisbomen/{id}/vergelijk?van=2&amp;tot=3")), "{page}");
    assert!(page.contains(&format!("action=\"/redactie/beslisbomen/{id}/herstel\"")));
    let compare = browser
        .client
        .get(browser.url(&format!("/redactie/beslisbomen/{id}/vergelijk?van=2&tot=3")))
        .send()
        .await
        .unwrap();
    assert_eq!(compare.status(), 200);
    let compare = compare.text().await.unwrap();
    assert!(compare.contains("Maak een afspraak voor grofvuil.") && compare.contains("<del>"), "{compare}");
    assert!(compare.contains(&format!("href=\"/redactie/beslisbomen/{id}\"")), "back to the tree");

    // The tweede lijn reads the history but restores nothing: the refusal is a whole page, in
    // the reader's language, with their menu.
    let second_line = app.user(&[Role::Tweedelijn]).await;
    let browser = app.login(&second_line).await;
    let restore = [("csrf_token", browser.csrf.as_str()), ("version", "1"), ("base_version", "3")];
    let url = browser.url(&format!("/redactie/beslisbomen/{id}/herstel"));
    let refused = browser.client.post(&url).form(&restore).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("Beslisbomen bewerken kennisexperts en redacteuren.")
            && refused.contains("action=\"/logout\""),
        "{refused}"
    );
    browser.client.get(browser.url("/taal/en?terug=/")).send().await.unwrap();
    let refused = browser.client.post(&url).form(&restore).send().await.unwrap().text().await.unwrap();
    assert!(refused.contains("<html lang=\"en\">") && refused.contains("Your role gives no access"), "{refused}");
    let (_, versions) = send(app, reqwest::Method::GET, &format!("{path}/versions"), &expert, None).await;
    assert_eq!(versions.as_array().unwrap().len(), 3, "a refused restore adds nothing");
}

on_both_backends!(
    a_tree_is_checked_at_save_published_through_the_cycle_and_walked_by_agents,
    a_tree_keeps_its_versions_which_can_be_compared_and_an_old_one_restored_as_a_new_draft,
);
