//! Search: the one search box (`GET /api/v1/search`, shape kept stable for outside tools), and
//! the redacteuren's synonyms, analytics and learning.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::knowledge::articles::Article;
use crate::knowledge::feedback::Feedback;
use crate::search::analytics::{self, Listing, Report};
use crate::search::learning::{self, LearnedBoost, ResetInput};
use crate::search::synonyms::{self, SynonymGroup, SynonymInput};
use crate::search::{Fragment, Hit, Query, SearchError};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What was typed. Any text; query syntax characters are ordinary separators.
    #[serde(default)]
    q: String,
    /// Hits per page, 1–50 (default 10).
    limit: Option<String>,
    /// Only these kinds, comma-separated: article, notice, tree, employee, unit.
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Only articles in this category (and below), e.g. `Burgerzaken/Reisdocumenten`.
    category: Option<String>,
    /// Only `intern` or `publiek` documents.
    audience: Option<String>,
    /// `true` while typing: the last word is also completed, and the search is not logged.
    #[serde(default)]
    live: bool,
    /// `true`: each hit also carries its title and snippet in pieces with the matching words
    /// marked (`title_marked`, `snippet_marked`); the web UI asks for them, most tools need not.
    #[serde(default)]
    marked: bool,
}

/// A piece of a title or snippet; `mark` pieces matched the query.
#[derive(Debug, Serialize, ToSchema)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// article, notice, tree, employee or unit.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    /// The id given at import (`loket import articles`), for articles that came from elsewhere.
    pub external_id: Option<String>,
    pub title: String,
    /// The passage that shows why it was found, as plain text.
    pub snippet: String,
    pub score: f32,
    /// Where the hit opens in the web UI.
    pub url: String,
    /// A short extra line: a phone number, a werkbericht's date.
    pub detail: String,
    /// The title in pieces, matching words marked (only with `marked=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_marked: Option<Vec<Piece>>,
    /// The snippet in pieces, matching words marked (only with `marked=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet_marked: Option<Vec<Piece>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    pub query: String,
    pub took_ms: f64,
    /// Documents matching every typed word (or its variants); at least the hits shown. Counting
    /// stops at 1,000 (then `total_capped` is true).
    pub total: usize,
    /// More documents match than `total` says.
    pub total_capped: bool,
    /// "Bedoelde u …?": the query with misspelt words corrected (results already include them).
    pub suggestion: Option<String>,
    /// Some hit is likely to answer the query. False when none is (the hits then only share
    /// some words with it) and when nothing was found: say "no good answer found", do not guess.
    pub confident: bool,
    pub hits: Vec<SearchHit>,
}

fn pieces(fragments: &[Fragment]) -> Vec<Piece> {
    fragments.iter().map(|f| Piece { text: f.text.clone(), mark: f.highlight }).collect()
}

/// Where a hit opens in the web UI (the query comes along so an opened article teaches the search).
pub fn url_of(hit: &Hit, query: &str) -> String {
    let q = serde_urlencoded::to_string([("q", query)]).unwrap_or_default();
    match hit.key.kind {
        loket_search::Kind::Article => format!("/kennisbank/{}?{q}", hit.key.id),
        loket_search::Kind::Notice => format!("/werkberichten#bericht-{}", hit.key.id),
        loket_search::Kind::Tree => format!("/beslisbomen/{}", hit.key.id),
        loket_search::Kind::Employee => format!("/organisatie#medewerker-{}", hit.key.id),
        loket_search::Kind::Unit => format!("/organisatie#eenheid-{}", hit.key.id),
    }
}

impl SearchHit {
    fn from_hit(hit: &Hit, query: &str, marked: bool) -> SearchHit {
        SearchHit {
            kind: hit.key.kind.id().to_owned(),
            id: hit.key.id.clone(),
            external_id: hit.external_id.clone(),
            title: hit.title.clone(),
            snippet: hit.snippet.iter().map(|f| f.text.as_str()).collect(),
            score: (hit.score * 1000.0).round() / 1000.0,
            url: url_of(hit, query),
            detail: hit.detail.clone(),
            title_marked: marked.then(|| pieces(&hit.title_marked)),
            snippet_marked: marked.then(|| pieces(&hit.snippet)),
        }
    }
}

/// Search published articles, werkberichten, beslisbomen and the directory at once.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchResponse), (status = 400, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, Problem> {
    let types: Vec<String> = p.kind.into_iter().collect();
    let query = Query::parse(&p.q, p.limit.as_deref(), &types, p.category.as_deref(), p.audience.as_deref(), p.live)?;
    // About a millisecond of CPU, no I/O: run inline (a hop to the blocking pool costs more).
    let results = state.search.search(&caller, &query)?;
    Ok(Json(SearchResponse {
        took_ms: (results.elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0,
        total: results.total,
        total_capped: results.capped,
        suggestion: results.suggestion.clone(),
        confident: results.confident,
        hits: results.hits.iter().map(|h| SearchHit::from_hit(h, &query.text, p.marked)).collect(),
        query: query.text,
    }))
}

/// Synonym groups the search applies.
#[utoipa::path(get, path = "/api/v1/search/synonyms", tag = "search",
    responses((status = 200, body = [SynonymGroup])))]
pub async fn list_synonyms(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<SynonymGroup>>, Problem> {
    Ok(Json(synonyms::list(&state.store).await?))
}

/// Add a synonym group (redacteur).
#[utoipa::path(post, path = "/api/v1/search/synonyms", tag = "search", request_body = SynonymInput,
    responses((status = 201, body = SynonymGroup), (status = 400, body = Problem)))]
pub async fn create_synonyms(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<SynonymInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(synonyms::create(&state.store, &caller, &input).await?)))
}

/// Change a synonym group (redacteur).
#[utoipa::path(put, path = "/api/v1/search/synonyms/{id}", tag = "search", params(("id" = Uuid, Path)), request_body = SynonymInput,
    responses((status = 200, body = SynonymGroup), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn update_synonyms(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SynonymInput>,
) -> Result<Json<SynonymGroup>, Problem> {
    Ok(Json(synonyms::update(&state.store, &caller, id, &input).await?))
}

/// Remove a synonym group (redacteur).
#[utoipa::path(delete, path = "/api/v1/search/synonyms/{id}", tag = "search", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete_synonyms(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, Problem> {
    synonyms::delete(&state.store, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalyticsParams {
    /// top, not_confident, no_results or nothing_opened (default top).
    listing: Option<String>,
    /// The last this many days, 1–365 (default 30).
    days: Option<i64>,
    /// At most this many queries, 1–500 (default 50).
    limit: Option<i64>,
}

/// What agents search for, what finds nothing, and what nobody opens (redacteur).
#[utoipa::path(get, path = "/api/v1/search/analytics", tag = "search", params(AnalyticsParams),
    responses((status = 200, body = Report), (status = 400, body = Problem)))]
pub async fn analytics_report(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<AnalyticsParams>,
) -> Result<Json<Report>, Problem> {
    let listing = match p.listing.as_deref() {
        None | Some("") => Listing::Top,
        Some(l) => Listing::parse(l).ok_or_else(|| {
            SearchError::Invalid(vec![crate::validation::FieldError::new(
                "listing",
                "unknown_listing",
                "Kies top, no_results of nothing_opened.",
            )])
        })?,
    };
    let days = analytics::parse_days(p.days)?;
    Ok(Json(analytics::report(&state.store, &caller, listing, days, p.limit.unwrap_or(50)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromQuery {
    pub query: String,
    /// How often it was searched (shown in the draft and the feedback).
    #[serde(default)]
    pub searches: i64,
    /// For feedback: the article it should be about.
    #[serde(default)]
    pub article_id: Option<Uuid>,
}

/// Turn a query without results into a draft article (redacteur).
#[utoipa::path(post, path = "/api/v1/search/analytics/draft", tag = "search", request_body = FromQuery,
    responses((status = 201, body = Article), (status = 400, body = Problem)))]
pub async fn draft_from_query(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FromQuery>,
) -> Result<impl IntoResponse, Problem> {
    let article = analytics::draft_from_query(&state.store, &caller, &input.query, input.searches).await?;
    Ok((StatusCode::CREATED, Json(article)))
}

/// Turn a query nobody opened anything for into a feedback item on its best hit (redacteur).
#[utoipa::path(post, path = "/api/v1/search/analytics/feedback", tag = "search", request_body = FromQuery,
    responses((status = 201, body = Feedback), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn feedback_from_query(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FromQuery>,
) -> Result<impl IntoResponse, Problem> {
    let Some(article_id) = input.article_id else {
        return Err(Problem::invalid(vec![crate::validation::FieldError::new(
            "article_id",
            "required",
            "Noem het artikel waar de melding over gaat.",
        )]));
    };
    let feedback =
        analytics::feedback_from_query(&state.store, &caller, &input.query, article_id, input.searches).await?;
    Ok((StatusCode::CREATED, Json(feedback)))
}

/// What the search learnt from agents, strongest first (redacteur).
#[utoipa::path(get, path = "/api/v1/search/learning", tag = "search",
    responses((status = 200, body = [LearnedBoost])))]
pub async fn learned(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<LearnedBoost>>, Problem> {
    Ok(Json(learning::list(&state.store, &state.search, &caller, 200).await?))
}

/// Reset what was learnt, for one query, one article, or everything (redacteur).
#[utoipa::path(post, path = "/api/v1/search/learning/reset", tag = "search", request_body = ResetInput,
    responses((status = 204), (status = 400, body = Problem)))]
pub async fn reset_learning(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ResetInput>,
) -> Result<StatusCode, Problem> {
    learning::reset(&state.store, &caller, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
