//! Liveness and readiness for load balancers and orchestrators.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::AppState;

/// The process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The process can serve: the database answers and the search index has caught up after start
/// (while it is being rebuilt, agents would not find what exists).
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = state.store.ping().await;
    let search = state.search.is_ready();
    let body = json!({
        "status": if database && search { "ready" } else { "unavailable" },
        "database": state.store.backend().name(),
        "search": if search { "ready" } else { "building" },
    });
    let status = if database && search { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body))
}
