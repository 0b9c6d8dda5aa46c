//! Search screens: the kennisbank's search box (results while typing, through `/static/zoeken.js`;
//! a plain form without JavaScript), and the redacteuren's analytics, synonyms and learning.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::Caller;
use crate::clock;
use crate::http::AppState;
use crate::http::api::search::url_of;
use crate::knowledge::articles;
use crate::search::analytics::{self, Listing, QueryRow};
use crate::search::learning::{self, LearnedBoost, ResetInput};
use crate::search::synonyms::{self, SynonymGroup, SynonymInput, terms_from_line};
use crate::search::{Fragment, Query as SearchQuery, SearchError};

pub struct KindOption {
    pub id: &'static str,
    pub label: String,
    pub selected: bool,
}

pub struct HitView {
    pub kind_label: String,
    pub url: String,
    pub title: Vec<Fragment>,
    pub snippet: Vec<Fragment>,
    pub detail: String,
}

pub struct ArticleLink {
    pub id: Uuid,
    pub title: String,
    pub short_answer: String,
}

#[derive(Template)]
#[template(path = "kennisbank.html")]
struct KennisbankPage {
    page: PageContext,
    q: String,
    kinds: Vec<KindOption>,
    searched: bool,
    total: usize,
    capped: bool,
    suggestion: Option<String>,
    /// A hit is likely to answer the query (else "geen goed antwoord gevonden").
    confident: bool,
    hits: Vec<HitView>,
    articles: Vec<ArticleLink>,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct KennisbankQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "type")]
    kind: String,
}

const KINDS: [&str; 5] = ["article", "notice", "tree", "employee", "unit"];

fn kind_label(page: &PageContext, kind: &str) -> String {
    page.t.get(&format!("search.kind.{kind}")).to_owned()
}

/// The kennisbank: search results for a query, else every published article by title.
pub async fn kennisbank(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<KennisbankQuery>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "knowledge.title", "/kennisbank");
    let kinds = std::iter::once(KindOption {
        id: "",
        label: page.t.get("search.kind.all").to_owned(),
        selected: query.kind.is_empty(),
    })
    .chain(KINDS.iter().map(|k| KindOption { id: k, label: kind_label(&page, k), selected: query.kind == *k }))
    .collect();
    let mut view = KennisbankPage {
        page,
        q: query.q.clone(),
        kinds,
        searched: false,
        total: 0,
        capped: false,
        suggestion: None,
        confident: false,
        hits: Vec::new(),
        articles: Vec::new(),
        errors: FormErrors::default(),
    };
    if query.q.trim().is_empty() {
        match articles::list_published(&state.store, None, 200).await {
            Ok(list) => {
                view.articles = list
                    .into_iter()
                    .map(|a| ArticleLink { id: a.id, title: a.title, short_answer: a.short_answer })
                    .collect();
            }
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        }
        return render(StatusCode::OK, &view);
    }
    let types: Vec<String> = Some(query.kind.clone()).filter(|k| !k.is_empty()).into_iter().collect();
    let parsed = match SearchQuery::parse(&query.q, None, &types, None, None, false) {
        Ok(q) => q,
        Err(errors) => {
            view.errors = FormErrors::new(errors);
            return render(StatusCode::BAD_REQUEST, &view);
        }
    };
    match state.search.search(&caller, &parsed) {
        Ok(results) => {
            view.searched = true;
            view.total = results.total;
            view.capped = results.capped;
            view.suggestion = results.suggestion.clone();
            view.confident = results.confident;
            view.hits = results
                .hits
                .iter()
                .map(|h| HitView {
                    kind_label: kind_label(&view.page, h.key.kind.id()),
                    url: url_of(h, &parsed.text),
                    title: h.title_marked.clone(),
                    snippet: h.snippet.clone(),
                    detail: h.detail.clone(),
                })
                .collect();
            render(StatusCode::OK, &view)
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

pub struct ListingOption {
    pub id: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "search_analytics.html")]
struct AnalyticsPage {
    page: PageContext,
    listings: Vec<ListingOption>,
    days: i64,
    from: String,
    searches: i64,
    without_results: i64,
    not_confident: i64,
    queries: Vec<QueryRow>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AnalyticsQuery {
    #[serde(default)]
    lijst: String,
    dagen: Option<i64>,
    melding: Option<String>,
}

pub async fn analytics_page(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<AnalyticsQuery>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "search.analytics_title", "/redactie");
    let listing = Listing::parse(&q.lijst).unwrap_or_default();
    let days = match analytics::parse_days(q.dagen) {
        Ok(d) => d,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let report = match analytics::report(&state.store, &caller, listing, days, 100).await {
        Ok(r) => r,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let listings = Listing::ALL
        .iter()
        .map(|l| ListingOption {
            id: l.id(),
            label: page.t.get(&format!("search.listing.{}", l.id())).to_owned(),
            selected: *l == listing,
        })
        .collect();
    let notice = match q.melding.as_deref() {
        Some("feedback") => Some(page.t.get("search.feedback_made").to_owned()),
        _ => None,
    };
    render(
        StatusCode::OK,
        &AnalyticsPage {
            page,
            listings,
            days,
            from: clock::format_local(report.from),
            searches: report.searches,
            without_results: report.without_results,
            not_confident: report.not_confident,
            queries: report.queries,
            notice,
        },
    )
}

#[derive(Deserialize)]
pub struct FromQueryForm {
    query: String,
    #[serde(default)]
    searches: i64,
    #[serde(default)]
    article_id: Option<Uuid>,
}

/// One click: a draft article titled after the query; the editor opens on it.
pub async fn draft(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<FromQueryForm>,
) -> Response {
    match analytics::draft_from_query(&state.store, &caller, &form.query, form.searches).await {
        Ok(article) => Redirect::to(&format!("/redactie/artikelen/{}", article.id)).into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

/// One click: a feedback item on the best hit that nobody opened.
pub async fn feedback(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<FromQueryForm>,
) -> Response {
    let Some(article_id) = form.article_id else {
        return problem_page(&headers, Some(&caller), SearchError::NotFound.into());
    };
    match analytics::feedback_from_query(&state.store, &caller, &form.query, article_id, form.searches).await {
        Ok(_) => Redirect::to("/redactie/zoeken?lijst=nothing_opened&melding=feedback").into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

pub struct SynonymView {
    pub id: Uuid,
    pub line: String,
    pub created_by: String,
    pub updated_at: String,
}

#[derive(Template)]
#[template(path = "search_synonyms.html")]
struct SynonymsPage {
    page: PageContext,
    groups: Vec<SynonymView>,
    errors: FormErrors,
    typed: String,
    notice: Option<String>,
}

fn views(groups: Vec<SynonymGroup>) -> Vec<SynonymView> {
    groups
        .into_iter()
        .map(|g| SynonymView {
            id: g.id,
            line: g.terms.join(", "),
            created_by: g.created_by,
            updated_at: clock::format_local(g.updated_at),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    melding: Option<String>,
}

async fn synonyms_view(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    status: StatusCode,
    errors: FormErrors,
    typed: String,
    melding: Option<&str>,
) -> Response {
    let page = PageContext::new(headers, Some(caller), "search.synonyms_title", "/redactie");
    let groups = match synonyms::list(&state.store).await {
        Ok(g) => views(g),
        Err(e) => return problem_page(headers, Some(caller), e.into()),
    };
    let notice = melding.map(|m| page.t.get(&format!("search.synonyms_{m}")).to_owned());
    render(status, &SynonymsPage { page, groups, errors, typed, notice })
}

pub async fn synonyms_page(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let melding = q.melding.as_deref().filter(|m| matches!(*m, "saved" | "deleted"));
    synonyms_view(&state, &caller, &headers, StatusCode::OK, FormErrors::default(), String::new(), melding).await
}

#[derive(Deserialize)]
pub struct SynonymForm {
    #[serde(default)]
    terms: String,
}

async fn after_save(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    result: Result<SynonymGroup, SearchError>,
    typed: String,
) -> Response {
    match result {
        Ok(_) => Redirect::to("/redactie/synoniemen?melding=saved").into_response(),
        Err(SearchError::Invalid(errors)) => {
            synonyms_view(state, caller, headers, StatusCode::BAD_REQUEST, FormErrors::new(errors), typed, None).await
        }
        Err(e) => problem_page(headers, Some(caller), e.into()),
    }
}

pub async fn synonyms_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<SynonymForm>,
) -> Response {
    let input = SynonymInput { terms: terms_from_line(&form.terms) };
    let result = synonyms::create(&state.store, &caller, &input).await;
    after_save(&state, &caller, &headers, result, form.terms).await
}

pub async fn synonyms_update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<SynonymForm>,
) -> Response {
    let input = SynonymInput { terms: terms_from_line(&form.terms) };
    let result = synonyms::update(&state.store, &caller, id, &input).await;
    after_save(&state, &caller, &headers, result, form.terms).await
}

pub async fn synonyms_delete(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
) -> Response {
    match synonyms::delete(&state.store, &caller, id).await {
        Ok(()) => Redirect::to("/redactie/synoniemen?melding=deleted").into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Template)]
#[template(path = "search_learning.html")]
struct LearningPage {
    page: PageContext,
    learned: Vec<LearnedBoost>,
    notice: bool,
}

pub async fn learning_page(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "search.learning_title", "/redactie");
    match learning::list(&state.store, &state.search, &caller, 200).await {
        Ok(learned) => render(StatusCode::OK, &LearningPage { page, learned, notice: q.melding.is_some() }),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    query_key: String,
    #[serde(default)]
    article_id: String,
}

pub async fn learning_reset(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    // An article id that does not parse must not widen the reset to everything.
    let article_id = match form.article_id.trim() {
        "" => None,
        id => match Uuid::parse_str(id) {
            Ok(id) => Some(id),
            Err(_) => return problem_page(&headers, Some(&caller), SearchError::NotFound.into()),
        },
    };
    let input = ResetInput { query_key: Some(form.query_key).filter(|k| !k.trim().is_empty()), article_id };
    match learning::reset(&state.store, &caller, &input).await {
        Ok(()) => Redirect::to("/redactie/zoeken/geleerd?melding=reset").into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

/// The search-as-you-type script (no inline scripts: the Content-Security-Policy forbids them).
pub async fn script() -> Response {
    javascript(include_str!("../../../static/zoeken.js"))
}

/// The agent workspace script of the customer page.
pub async fn workspace_script() -> Response {
    javascript(include_str!("../../../static/werkplek.js"))
}

/// A script shipped in the binary, cached for an hour.
pub(crate) fn javascript(source: &'static str) -> Response {
    let mut response = source.into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("public, max-age=3600"));
    response
}

/// The keys that work on every page (Alt+N: a new contact) and the header's customer search.
pub async fn desk_script() -> Response {
    javascript(include_str!("../../../static/bureau.js"))
}
