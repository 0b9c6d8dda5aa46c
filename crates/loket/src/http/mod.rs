//! HTTP: the JSON API (`/api/v1`, with its OpenAPI document), the HTML pages, health and metrics.
//!
//! Rules: every route is declared through [`access::Routes`] with the access it needs; handlers
//! parse input into domain types, call one domain function and render — no SQL, no rules here;
//! errors become problem documents (API) or error pages (HTML) in one place ([`problem`]).

pub mod access;
pub mod api;
pub mod health;
pub mod i18n;
pub mod klantinteracties;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod problem;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::store::Store;
use access::{Access, RouteSpec, Routes};
use problem::Problem;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
    pub metrics: Arc<metrics::Metrics>,
    pub search: Arc<crate::search::Search>,
    /// Becomes true when the server stops: long-lived responses (server-sent events) end then,
    /// so a graceful shutdown does not wait for open wall boards.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// The huisstijl as screens show it.
    pub branding: Arc<crate::branding::Cache>,
}

/// Builds the application router and the table of declared routes.
pub fn router(state: AppState) -> (Router, Vec<RouteSpec>) {
    let routes = Routes::new(state.clone())
        .add(Method::GET, "/healthz", Access::Public, access::Surface::Api, health::healthz)
        .add(Method::GET, "/readyz", Access::Public, access::Surface::Api, health::readyz)
        .add(Method::GET, "/metrics", Access::Public, access::Surface::Api, metrics::render)
        .add(Method::GET, "/api/openapi.json", Access::Public, access::Surface::Api, openapi::document);
    let routes = api::routes(routes);
    let routes = klantinteracties::routes(routes);
    let routes = pages::routes(routes);
    let (router, specs) = routes.finish();
    let router = with_layers(router.fallback(not_found), state);
    (router, specs)
}

/// Wraps routes in the layers every request passes: panics become a 500 problem, requests are
/// traced and measured, slow ones time out, bodies are capped, and browsers get safe defaults.
/// The panic catcher sits innermost, so a panic's 500 is counted and gets the security headers.
pub fn with_layers(router: Router<AppState>, state: AppState) -> Router {
    let timeout = state.settings.request_timeout;
    let max_body = state.settings.max_body_bytes;
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), pages::with_branding))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout.max(Duration::from_millis(1))))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("referrer-policy", "same-origin"))
        .layer(security_header(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(HeaderName::from_static(name), HeaderValue::from_static(value))
}

fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    Problem::internal(&format!("handler panicked: {message}")).into_response()
}

async fn not_found(req: axum::extract::Request) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/klantinteracties/") {
        Problem::not_found().detail("Deze URL bestaat niet.").into_response()
    } else {
        pages::error_page(req.headers(), StatusCode::NOT_FOUND, "error.not_found", "")
    }
}
