//! What every editor page of versioned content shows alike: the cycle with its step buttons,
//! the history with compare and restore, and the comparison of two versions
//! (`templates/parts/cycle.html`, `parts/version_history.html`, `content_diff.html`).

use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::{PageContext, PageError, render};
use crate::auth::Caller;
use crate::clock;
use crate::content::cycle::{State as CycleState, Transition};
use crate::content::{DiffLine, VersionInfo};
use crate::http::problem::Problem;
use crate::validation::FieldError;

pub struct StepButton {
    pub id: &'static str,
    pub label: String,
}

pub struct HistoryRow {
    pub version: i32,
    pub state: String,
    pub author: String,
    pub at: String,
    pub reason: String,
    pub urgent: bool,
    pub substantive: bool,
}

/// The cycle and history of one item as its editor page shows them.
pub struct CycleView {
    /// The item's editor page, e.g. `/redactie/artikelen/{id}`; steps, restore and compare hang below it.
    pub path: String,
    pub latest_version: i32,
    pub published_version: Option<i32>,
    /// Where the published version can be tried out, when there is such a place.
    pub try_href: Option<String>,
    /// The latest version's state, in words.
    pub state: String,
    pub steps: Vec<StepButton>,
    pub history: Vec<HistoryRow>,
}

pub fn state_label(page: &PageContext, state: CycleState) -> String {
    page.t.get(&format!("knowledge.state.{}", state.id())).to_owned()
}

impl CycleView {
    pub fn new(
        page: &PageContext,
        path: String,
        (latest_version, published_version): (i32, Option<i32>),
        transitions: &[Transition],
        history: Vec<VersionInfo>,
    ) -> CycleView {
        let state = history
            .iter()
            .find(|v| v.version == latest_version)
            .map(|v| state_label(page, v.state))
            .unwrap_or_default();
        CycleView {
            path,
            latest_version,
            published_version,
            try_href: None,
            state,
            steps: transitions
                .iter()
                .map(|t| StepButton { id: t.id(), label: page.t.get(&format!("knowledge.step.{}", t.id())).to_owned() })
                .collect(),
            history: history
                .into_iter()
                .map(|v| HistoryRow {
                    version: v.version,
                    state: state_label(page, v.state),
                    author: v.author_name,
                    at: clock::format_local(v.created_at),
                    reason: v.reason,
                    urgent: v.urgent,
                    substantive: v.substantive,
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "content_diff.html")]
struct DiffPage {
    page: PageContext,
    back: String,
    from: i32,
    to: i32,
    lines: Vec<DiffLine>,
}

/// `?van=…&tot=…` on a compare page.
#[derive(Deserialize)]
pub struct DiffQuery {
    pub van: i32,
    pub tot: i32,
}

/// The two versions a compare address asks for.
pub fn versions_asked(
    query: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<DiffQuery, PageError> {
    match query {
        Ok(Query(q)) => Ok(q),
        Err(_) => {
            Err(PageError::from(Problem::invalid(vec![FieldError::new("van", "required", "Kies twee versies.")])))
        }
    }
}

/// The compare page.
pub fn diff_page(headers: &HeaderMap, caller: &Caller, back: String, q: &DiffQuery, lines: Vec<DiffLine>) -> Response {
    let page = PageContext::new(headers, Some(caller), "redactie.diff_title", "/redactie");
    render(StatusCode::OK, &DiffPage { page, back, from: q.van, to: q.tot, lines })
}
