//! The start page: for whoever works the queue, their worklist first (open contacts, work
//! addressed to them and to their team by due time, unread important werkberichten, the team's
//! queue in figures); then what the user does in Loket per role, their team and — for a
//! beheerder — the state of the accounts.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Timelike;
use chrono_tz::Europe::Amsterdam;
use uuid::Uuid;

use super::{PageContext, problem_page, render};
use crate::auth::{Caller, Role, users};
use crate::contacts::drafts;
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::knowledge::notices::{self, Priority};
use crate::organisation::{self, Colleague, Unit};
use crate::work::{self, Queue, WorkItem};
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

/// An open contact (draft) on the start page.
pub struct DraftView {
    pub href: String,
    pub label: String,
    pub started: String,
}

/// The team's queue in figures: open, near the deadline, past it.
pub struct QueueFigures {
    pub open: usize,
    pub near: usize,
    pub overdue: usize,
}

/// What comes to the agent: open contacts, work addressed to them and to their team by due
/// time, unread important werkberichten, and the team's queue in figures.
pub struct Worklist {
    pub drafts: Vec<DraftView>,
    pub mine: Vec<super::work::ItemView>,
    pub team: Vec<super::work::ItemView>,
    pub notices: Vec<(Uuid, String)>,
    pub figures: Option<QueueFigures>,
}

/// Items on the start page per list; the rest is one click away in the werkvoorraad.
const WORKLIST_ITEMS: usize = 10;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: PageContext,
    worklist: Option<Worklist>,
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
    let worklist = if caller.can(Permission::WorkQueue) { Some(worklist(state, caller).await?) } else { None };
    Ok(HomePage {
        worklist,
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

/// By due time, the soonest first; work without a due time after it.
fn by_due(mut items: Vec<WorkItem>) -> Vec<WorkItem> {
    items.sort_by_key(|i| (i.due_at.is_none(), i.due_at));
    items
}

async fn worklist(state: &AppState, caller: &Caller) -> Result<Worklist, Problem> {
    let drafts = if caller.can(Permission::RegisterContacts) {
        drafts::mine(&state.store, caller)
            .await?
            .into_iter()
            .map(|d| DraftView {
                href: match d.party_id {
                    Some(p) => format!("/klanten/{p}?concept={}#nieuw-contact", d.id),
                    None => format!("/contacten/nieuw?concept={}", d.id),
                },
                label: match (d.fields.party_name.as_str(), d.fields.subject.as_str()) {
                    ("", "") => "—".to_owned(),
                    ("", subject) => subject.to_owned(),
                    (name, "") => name.to_owned(),
                    (name, subject) => format!("{name}: {subject}"),
                },
                started: clock::format_local(d.started_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mine = by_due(work::list(&state.store, caller, Queue::Mine, None, None).await?);
    let team_items = match caller.unit_id {
        Some(unit) => Some(by_due(work::list(&state.store, caller, Queue::Team(unit), None, None).await?)),
        None => None,
    };
    let figures = team_items.as_ref().map(|items| QueueFigures {
        open: items.len(),
        near: items.iter().filter(|i| i.remaining.as_ref().is_some_and(|r| r.near_breach && !r.overdue)).count(),
        overdue: items.iter().filter(|i| i.remaining.as_ref().is_some_and(|r| r.overdue)).count(),
    });
    // The team's list leaves out what is already on "mine".
    let team: Vec<WorkItem> =
        team_items.unwrap_or_default().into_iter().filter(|i| !mine.iter().any(|m| m.id == i.id)).collect();
    let view = |items: Vec<WorkItem>, queue: &str| -> Vec<super::work::ItemView> {
        items.iter().take(WORKLIST_ITEMS).map(|i| super::work::ItemView::new(i, caller, queue)).collect()
    };
    let notices = notices::current(&state.store, caller)
        .await?
        .into_iter()
        .filter(|n| n.read_at.is_none() && n.priority == Priority::Belangrijk)
        .map(|n| (n.id, n.title))
        .collect();
    let team_queue = caller.unit_id.map(|u| u.to_string()).unwrap_or_default();
    Ok(Worklist { drafts, mine: view(mine, "mine"), team: view(team, &team_queue), notices, figures })
}
