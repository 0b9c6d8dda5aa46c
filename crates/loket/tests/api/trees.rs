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

on_both_backends!(a_tree_is_checked_at_save_published_through_the_cycle_and_walked_by_agents);
