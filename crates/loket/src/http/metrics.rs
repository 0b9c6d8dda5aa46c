//! `/metrics` in the Prometheus/OpenMetrics text format: requests by route, method and status,
//! a latency histogram per route, the database pool, and whether each mailbox's IMAP intake
//! works (read from the database, so every process tells the same). Each app has its own registry (no global
//! recorder), so several apps in one test process do not mix their figures.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MailboxLabels {
    mailbox: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    mailbox_up: Family<MailboxLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms … ~8 s
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        let mut registry = Registry::with_prefix("loket");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(latency_histogram as fn() -> Histogram);
        let (pool_size, pool_idle, pool_max) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register("http_requests", "HTTP requests by route, method and status", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency by route", latency.clone());
        registry.register("db_pool_connections", "Open database connections", pool_size.clone());
        registry.register("db_pool_idle_connections", "Idle database connections", pool_idle.clone());
        registry.register("db_pool_max_connections", "Maximum database connections", pool_max.clone());
        let mailbox_up = Family::<MailboxLabels, Gauge>::default();
        registry.register(
            "mailbox_imap_up",
            "1 when the mailbox's last IMAP fetch worked, 0 when it failed (the reason is on the beheerder's screen)",
            mailbox_up.clone(),
        );
        Arc::new(Metrics { registry, requests, latency, pool_size, pool_idle, pool_max, mailbox_up })
    }
}

/// Counts and times every request, labelled with the route pattern (not the raw path, which
/// would make one series per id).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(req).await;
    let status = response.status().as_u16();
    state.metrics.requests.get_or_create(&RequestLabels { method: method.clone(), route: route.clone(), status }).inc();
    state.metrics.latency.get_or_create(&RouteLabels { method, route }).observe(started.elapsed().as_secs_f64());
    response
}

pub async fn render(State(state): State<AppState>) -> Response {
    let pool = state.store.pool_stats();
    state.metrics.pool_size.set(i64::from(pool.size));
    state.metrics.pool_idle.set(pool.idle as i64);
    state.metrics.pool_max.set(i64::from(pool.max));
    // A database that cannot answer leaves the last figures; /readyz tells about the database.
    if let Ok(mailboxes) = crate::channels::email::imap_health(&state.store).await {
        for m in mailboxes {
            state.metrics.mailbox_up.get_or_create(&MailboxLabels { mailbox: m.address }).set(i64::from(m.working));
        }
    }
    let mut body = String::new();
    if let Err(e) = prometheus_client::encoding::text::encode(&mut body, &state.metrics.registry) {
        return super::problem::Problem::internal(&e).into_response();
    }
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}
