//! Bad input gets a clear problem document and changes nothing.

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use loket::auth::Role;
use loket::http::{AppState, metrics::Metrics, with_layers};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

async fn post_users(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/users"))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn malformed_unknown_oversized_or_mistyped_bodies_are_refused_and_store_nothing(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let before = app.usernames().await.len();

    let malformed = post_users(app, &admin, "application/json", "{\"username\": \"kapot\",").await;
    assert_eq!(malformed.status(), 400);
    assert_eq!(malformed.headers()["content-type"], "application/problem+json");
    let problem: Value = malformed.json().await.unwrap();
    assert_eq!(problem["status"], 400);
    assert!(problem["detail"].as_str().unwrap().contains("EOF"), "{problem}");

    let unknown = post_users(
        app,
        &admin,
        "application/json",
        json!({"username": "extra", "roles": ["redacteur"], "admin": true}).to_string(),
    )
    .await;
    assert_eq!(unknown.status(), 400);
    assert!(unknown.text().await.unwrap().contains("unknown field `admin`"));

    let wrong_type = post_users(app, &admin, "text/plain", "username=x").await;
    assert_eq!(wrong_type.status(), 415);

    let huge = json!({"username": "groot", "roles": ["redacteur"], "display_name": "x".repeat(100_000)}).to_string();
    let too_large = post_users(app, &admin, "application/json", huge).await;
    assert_eq!(too_large.status(), 413);

    assert_eq!(app.usernames().await.len(), before);
}

async fn invalid_fields_are_all_named_with_their_rule(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let body = json!({"username": "1x", "email": "geen-mail", "roles": ["koning"], "password": "kort"}).to_string();
    let response = post_users(app, &admin, "application/json", body).await;
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:loket:problem:validation");
    let codes: Vec<(&str, &str)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("username", "invalid_characters"),
            ("email", "invalid_email"),
            ("roles", "unknown_role"),
            ("password", "too_short")
        ]
    );
}

async fn unknown_urls_and_malformed_ids_are_404_and_400_not_500(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let missing = app.client.get(app.url("/api/v1/bestaat-niet")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["content-type"], "application/problem+json");
    let bad_id = app.client.get(app.url("/api/v1/users/geen-uuid")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(bad_id.status(), 400);
    let no_user = app
        .client
        .get(app.url("/api/v1/users/0192f5e0-0000-7000-8000-000000000000"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(no_user.status(), 404);
    let page = app.client.get(app.url("/bestaat-niet")).send().await.unwrap();
    assert_eq!(page.status(), 404);
    assert!(page.text().await.unwrap().contains("Pagina niet gevonden"));
}

async fn a_panicking_handler_becomes_a_500_problem_and_the_server_keeps_serving(app: &TestApp) {
    // The same layer stack as the product, around a route that panics.
    let state = AppState {
        store: app.store.clone(),
        settings: Arc::new(loket::config::Settings::default()),
        metrics: Metrics::new(),
        search: Arc::new(loket::search::Search::in_memory().unwrap()),
        stopping: tokio::sync::watch::channel(false).1,
        branding: Default::default(),
    };
    let router: Router =
        with_layers(Router::new().route("/boem", get(boom)).route("/ok", get(|| async { "ok" })), state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let response = app.client.get(format!("http://{address}/boem")).send().await.unwrap();
    assert_eq!(response.status(), 500);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "urn:loket:problem:internal");
    assert!(!problem.to_string().contains("kapot"), "panic details stay in the log");
    assert_eq!(app.client.get(format!("http://{address}/ok")).send().await.unwrap().status(), 200);
}

#[allow(unreachable_code)]
async fn boom() -> &'static str {
    panic!("kapot")
}

async fn html_typed_into_a_name_is_escaped_on_the_page(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let body =
        json!({"username": "xss", "display_name": "<script>alert(1)</script>", "roles": ["beheerder"]}).to_string();
    assert_eq!(post_users(app, &admin, "application/json", body).await.status(), 201);
    let viewer = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&viewer).await;
    let html = browser.client.get(browser.url("/beheer/gebruikers")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&#60;script&#62;"));
    assert!(!html.contains("<script>alert(1)</script>"));
}

on_both_backends!(
    malformed_unknown_oversized_or_mistyped_bodies_are_refused_and_store_nothing,
    invalid_fields_are_all_named_with_their_rule,
    unknown_urls_and_malformed_ids_are_404_and_400_not_500,
    a_panicking_handler_becomes_a_500_problem_and_the_server_keeps_serving,
    html_typed_into_a_name_is_escaped_on_the_page,
);
