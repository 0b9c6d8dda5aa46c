//! The organisation page: afdelingen with their teams, contact details and head counts.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{PageContext, problem_page, render};
use crate::auth::Caller;
use crate::http::AppState;
use crate::organisation::{self, Unit, UnitKind};

pub struct AfdelingView {
    pub unit: Unit,
    pub teams: Vec<Unit>,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    page: PageContext,
    afdelingen: Vec<AfdelingView>,
}

/// Groups teams under their afdeling; afdelingen in name order.
fn group(units: Vec<Unit>) -> Vec<AfdelingView> {
    let (afdelingen, teams): (Vec<Unit>, Vec<Unit>) = units.into_iter().partition(|u| u.kind == UnitKind::Afdeling);
    afdelingen
        .into_iter()
        .map(|a| {
            let teams = teams.iter().filter(|t| t.parent_id == Some(a.id)).cloned().collect();
            AfdelingView { unit: a, teams }
        })
        .collect()
}

pub async fn show(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Response {
    match organisation::list(&state.store).await {
        Ok(units) => {
            let page = PageContext::new(&headers, Some(&caller), "organisation.title", "/organisatie");
            render(StatusCode::OK, &OrganisationPage { page, afdelingen: group(units) })
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}
