//! Werkberichten: who sees them, the unread counter, read receipts, ending one early.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.client.post(app.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let r = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// A user in `unit` with `role`, and their token.
async fn member(app: &TestApp, admin: &str, name: &str, role: &str, unit: &str) -> String {
    let (status, _) = post(
        app,
        admin,
        "/api/v1/users",
        json!({"username": name, "display_name": name, "roles": [role], "unit_id": unit}),
    )
    .await;
    assert_eq!(status, 201);
    app.token_for(name).await
}

async fn a_notice_reaches_its_teams_counts_as_unread_and_shows_who_has_not_read_it(app: &TestApp) {
    let admin = app.token(&[loket::auth::Role::Beheerder]).await;
    let kcc =
        post(app, &admin, "/api/v1/units", json!({"name": "Klantcontactcentrum", "kind": "afdeling"})).await.1["id"]
            .as_str()
            .unwrap()
            .to_owned();
    let phone = post(app, &admin, "/api/v1/units", json!({"name": "Team Telefonie", "kind": "team", "parent_id": kcc}))
        .await
        .1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let taxes = post(app, &admin, "/api/v1/units", json!({"name": "Belastingen", "kind": "afdeling"})).await.1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lead = member(app, &admin, "esra", "teamleider", &phone).await;
    let agent = member(app, &admin, "anouk", "klantcontactmedewerker", &phone).await;
    let colleague = member(app, &admin, "mohamed", "klantcontactmedewerker", &phone).await;
    let elsewhere = member(app, &admin, "bart", "klantcontactmedewerker", &taxes).await;

    let important = json!({"kind": "werkinstructie", "title": "Energietoeslag: vragen doorzetten", "body": "Zet vragen over **bezwaar** door naar Werk en Inkomen.", "priority": "belangrijk", "targets": [kcc]});
    let (status, created) = post(app, &lead, "/api/v1/notices", important).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    post(app, &lead, "/api/v1/notices", json!({"kind": "nieuws", "title": "Kerstborrel vrijdag", "body": "Om vier uur in de kantine.", "priority": "normaal"})).await;

    let (_, seen) = get(app, &agent, "/api/v1/notices").await;
    let titles: Vec<&str> = seen.as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["Energietoeslag: vragen doorzetten", "Kerstborrel vrijdag"],
        "important first; an afdeling's notice reaches its teams"
    );
    let (_, other) = get(app, &elsewhere, "/api/v1/notices").await;
    assert_eq!(other.as_array().unwrap().len(), 1, "another afdeling sees only the notice for everyone");

    assert_eq!(post(app, &agent, &format!("/api/v1/notices/{id}/read"), json!({})).await.0, 204);
    let (_, seen) = get(app, &agent, "/api/v1/notices").await;
    assert!(seen[0]["read_at"].is_string());

    let (status, receipts) = get(app, &lead, &format!("/api/v1/notices/{id}/receipts")).await;
    assert_eq!(status, 200);
    let readers = receipts["readers"].as_array().unwrap();
    assert_eq!(readers.len(), 3, "the three people in the KCC: {readers:?}");
    assert_eq!(readers[0]["read_at"], Value::Null, "unread first");
    assert!(readers.iter().any(|r| r["name"] == "anouk" && r["read_at"].is_string()));
    assert!(readers.iter().any(|r| r["name"] == "mohamed" && r["read_at"].is_null()));

    assert_eq!(
        post(
            app,
            &agent,
            "/api/v1/notices",
            json!({"kind": "nieuws", "title": "Mag niet", "body": "x", "priority": "normaal"})
        )
        .await
        .0,
        403
    );
    assert_eq!(post(app, &lead, &format!("/api/v1/notices/{id}/end"), json!({})).await.0, 204);
    let (_, after) = get(app, &colleague, "/api/v1/notices").await;
    assert_eq!(after.as_array().unwrap().len(), 1, "an ended notice is gone");
}

async fn the_menu_counts_unread_notices(app: &TestApp) {
    let lead = app.token(&[loket::auth::Role::Teamleider]).await;
    let agent = app.user(&[loket::auth::Role::Klantcontactmedewerker]).await;
    post(app, &lead, "/api/v1/notices", json!({"kind": "nieuws", "title": "Storing telefonie", "body": "De wachtrij valt weg.", "priority": "belangrijk"})).await;
    let browser = app.login(&agent).await;
    let home = browser.client.get(browser.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("<span class=\"badge\">1"), "the menu shows one unread notice");
    let page = browser.client.get(browser.url("/werkberichten")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Storing telefonie") && page.contains("Belangrijk"));
    let bad =
        post(app, &lead, "/api/v1/notices", json!({"kind": "nieuws", "title": "x", "body": "", "priority": "normaal"}))
            .await;
    assert_eq!(bad.0, 400);
    assert_eq!(bad.1["errors"].as_array().unwrap().len(), 2);
}

on_both_backends!(
    a_notice_reaches_its_teams_counts_as_unread_and_shows_who_has_not_read_it,
    the_menu_counts_unread_notices
);
