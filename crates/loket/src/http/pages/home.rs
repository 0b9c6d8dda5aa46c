//! The start page: what the user does in Loket, per role, with their team and — for a
//! beheerder — the state of the accounts.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Timelike;
use chrono_tz::Europe::Amsterdam;

use super::{PageContext, problem_page, render};
use crate::auth::{Caller, Role, users};
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::organisation::{self, Colleague, Unit};
use crate::{auth::Permission, clock};

pub struct RoleCard {
    pub id: &'static str,
    pub label: String,
    pub description: String,
}

pub struct RoleCount {
    pub label: String,
    pub count: i64,
}

pub struct MemberView {
    pub name: String,
    pub roles: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageContext,
    greeting: &'static str,
    name: String,
    roles: Vec<RoleCard>,
    team: Option<Unit>,
    members: Vec<MemberView>,
    role_counts: Vec<RoleCount>,
    unit_count: usize,
    is_beheerder: bool,
    is_teamleider: bool,
}

fn greeting_key() -> &'static str {
    match clock::now().with_timezone(&Amsterdam).hour() {
        5..=11 => "home.good_morning",
        12..=17 => "home.good_afternoon",
        _ => "home.good_evening",
    }
}

fn role_labels(page: &PageContext, roles: &[Role]) -> String {
    roles.iter().map(|r| page.t.get(&format!("role.{}", r.id())).to_owned()).collect::<Vec<_>>().join(", ")
}

pub async fn show(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "home.title", "/");
    match build(&state, &caller, page).await {
        Ok(home) => render(StatusCode::OK, &home),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}

async fn build(state: &AppState, caller: &Caller, page: PageContext) -> Result<HomePage, Problem> {
    let t = page.t;
    let text = |key: String| t.get(&key).to_owned();
    let roles = caller
        .roles
        .iter()
        .map(|r| RoleCard {
            id: r.id(),
            label: text(format!("role.{}", r.id())),
            description: text(format!("role.{}.description", r.id())),
        })
        .collect();
    let (team, members) = match caller.unit_id {
        Some(unit_id) => {
            let (unit, colleagues) = organisation::members(&state.store, unit_id).await?;
            let members = colleagues
                .into_iter()
                .map(|Colleague { display_name, roles, .. }| MemberView {
                    name: display_name,
                    roles: role_labels(&page, &roles),
                })
                .collect();
            (Some(unit), members)
        }
        None => (None, Vec::new()),
    };
    let is_beheerder = caller.can(Permission::ManageUsers);
    let (role_counts, unit_count) = if is_beheerder {
        let counts = users::count_by_role(&state.store).await?;
        let counts = counts
            .into_iter()
            .map(|(role, count)| RoleCount { label: text(format!("role.{}", role.id())), count })
            .collect();
        (counts, organisation::list(&state.store).await?.len())
    } else {
        (Vec::new(), 0)
    };
    Ok(HomePage {
        greeting: t.get(greeting_key()),
        name: caller.display_name.clone(),
        roles,
        team,
        members,
        role_counts,
        unit_count,
        is_beheerder,
        is_teamleider: caller.roles.contains(&Role::Teamleider),
        page,
    })
}
