//! The verwerkingslog: what is recorded, who may read it, and that nothing can rewrite it.

use loket::auth::Role;
use loket::store::Backend;
use serde_json::Value;

use crate::helpers::{Browser, TestApp};
use crate::on_both_backends;

async fn entries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let page: Value = app
        .client
        .get(app.url(&format!("/api/v1/audit-log?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["entries"].as_array().unwrap().clone()
}

async fn reading_the_user_list_is_logged_with_who_and_why(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    app.client.get(app.url("/api/v1/users")).bearer_auth(&admin).send().await.unwrap();
    let found = entries(app, &admin, "action=users_listed").await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["actor_kind"], "token");
    assert_eq!(found[0]["purpose"], "gebruikersbeheer");
    assert_eq!(found[0]["ip"], "127.0.0.1");
}

async fn reading_the_audit_log_is_itself_logged(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    entries(app, &admin, "").await;
    let found = entries(app, &admin, "action=audit_log_read").await;
    assert!(!found.is_empty());
    assert_eq!(found[0]["purpose"], "toezicht");
}

async fn failed_logins_are_logged_with_the_name_tried(app: &TestApp) {
    Browser::new(app).submit_login("mallory", "geraden-wachtwoord").await;
    let admin = app.token(&[Role::Beheerder]).await;
    let found = entries(app, &admin, "action=login_failed&actor=mallo").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["actor_name"], "mallory");
    assert_eq!(found[0]["actor_kind"], "anonymous");
}

async fn the_log_pages_newest_first_and_filters_by_day(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    for _ in 0..3 {
        app.client.get(app.url("/api/v1/users")).bearer_auth(&admin).send().await.unwrap();
    }
    let page: Value = app
        .client
        .get(app.url("/api/v1/audit-log?action=users_listed&limit=2"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = page["entries"].as_array().unwrap();
    assert_eq!(first.len(), 2);
    assert!(first[0]["id"].as_i64() > first[1]["id"].as_i64());
    let next = page["next_before"].as_i64().unwrap();
    let rest = entries(app, &admin, &format!("action=users_listed&before={next}")).await;
    assert_eq!(rest.len(), 1);
    let none = entries(app, &admin, "action=users_listed&from=2001-01-01&to=2001-01-31").await;
    assert!(none.is_empty());
}

async fn a_bad_filter_is_a_400_naming_each_field(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let response = app
        .client
        .get(app.url("/api/v1/audit-log?action=hacken&from=gisteren"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["action", "from"]);
}

async fn the_database_refuses_to_change_or_delete_audit_entries(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    app.client.get(app.url("/api/v1/users")).bearer_auth(&admin).send().await.unwrap();
    let (update, delete) = match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
            let u = sqlx::query("UPDATE audit_log SET action = 'niets'").execute(&pool).await;
            let d = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
            (u.map(|_| ()), d.map(|_| ()))
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
            let u = sqlx::query("UPDATE audit_log SET action = 'niets'").execute(&pool).await;
            let d = sqlx::query("DELETE FROM audit_log").execute(&pool).await;
            (u.map(|_| ()), d.map(|_| ()))
        }
    };
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert!(!entries(app, &admin, "action=users_listed").await.is_empty());
}

async fn the_beheerder_screen_shows_and_filters_the_log(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let page = browser.client.get(browser.url("/beheer/verwerkingslog?action=login")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Ingelogd") && html.contains(&admin));
    assert!(html.contains("<label for=\"f-actor\">"), "filters have labels");
    let bad = browser.client.get(browser.url("/beheer/verwerkingslog?from=morgen")).send().await.unwrap();
    assert_eq!(bad.status(), 400);
}

async fn the_screen_names_people_and_customers_and_finds_by_either(app: &TestApp) {
    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let token = app.token_for(&agent).await;
    let citizen = crate::contacts::citizen();
    let created = app.client.post(app.url("/api/v1/parties")).bearer_auth(&token).json(&citizen).send().await.unwrap();
    let party: serde_json::Value = created.json().await.unwrap();
    let id = party["id"].as_str().unwrap();
    let read = app.client.get(app.url(&format!("/api/v1/parties/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(read.status(), 200);

    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let by_customer = browser.page("/beheer/verwerkingslog?klant=%C3%96zdemir").await;
    assert!(by_customer.contains("klant: Fatma Özdemir"), "the customer is named, not an id");
    assert!(!by_customer.contains(&format!("party {id}")));
    let display = agent.replace("gebruiker", "Gebruiker ");
    let by_name = browser.page(&format!("/beheer/verwerkingslog?actor={}", display.replace(' ', "%20"))).await;
    assert!(by_name.contains(&format!("{display} ({agent})")), "found by their name, shown with both");
    assert!(!by_name.contains("<code>{"), "details read as words, not raw JSON");
    let unknown = browser.client.get(browser.url("/beheer/verwerkingslog?klant=Janssen")).send().await.unwrap();
    assert_eq!(unknown.status(), 400);
    assert!(unknown.text().await.unwrap().contains("Geen klant gevonden"));
}

on_both_backends!(
    reading_the_user_list_is_logged_with_who_and_why,
    reading_the_audit_log_is_itself_logged,
    failed_logins_are_logged_with_the_name_tried,
    the_log_pages_newest_first_and_filters_by_day,
    a_bad_filter_is_a_400_naming_each_field,
    the_database_refuses_to_change_or_delete_audit_entries,
    the_beheerder_screen_shows_and_filters_the_log,
    the_screen_names_people_and_customers_and_finds_by_either,
);
