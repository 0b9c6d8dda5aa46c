//! Health, readiness, metrics and the OpenAPI document.

use crate::helpers::TestApp;
use crate::on_both_backends;
use loket::http::access::Surface;

async fn health_and_readiness_answer_without_login(app: &TestApp) {
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready: serde_json::Value = app.client.get(app.url("/readyz")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["database"], app.backend.name());
}

async fn metrics_count_requests_by_route_and_status_and_show_the_pool(app: &TestApp) {
    for _ in 0..3 {
        app.client.get(app.url("/healthz")).send().await.unwrap();
    }
    app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains(r#"loket_http_requests_total{method="GET",route="/healthz",status="200"} 3"#), "{text}");
    assert!(text.contains(r#"loket_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1"#), "{text}");
    assert!(text.contains("loket_http_request_duration_seconds_bucket"), "{text}");
    assert!(text.contains("loket_db_pool_max_connections 5"), "{text}");
}

async fn the_openapi_document_describes_every_api_route(app: &TestApp) {
    let doc: serde_json::Value =
        app.client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let api_routes = app.routes.iter().filter(|r| r.surface == Surface::Api && r.path.starts_with("/api/v1/"));
    let mut missing = Vec::new();
    for route in api_routes {
        let method = route.method.as_str().to_lowercase();
        if doc["paths"][route.path][&method].is_null() {
            missing.push(format!("{} {}", route.method, route.path));
        }
    }
    assert!(missing.is_empty(), "routes missing from the OpenAPI document: {missing:?}");
    assert_eq!(doc["components"]["securitySchemes"]["token"]["scheme"], "bearer");
}

on_both_backends!(
    health_and_readiness_answer_without_login,
    metrics_count_requests_by_route_and_status_and_show_the_pool,
    the_openapi_document_describes_every_api_route,
);
