//! The work queue page (/werkvoorraad): every kind of work item of a team's queue, one's own, or
//! every team's for a team lead, with claim, return and hand over. A kind's own steps (a
//! callback's attempts, a follow-up's result) stay on its own page, linked from each item.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::{Caller, Permission};
use crate::clock;
use crate::http::AppState;
use crate::http::api::work::{parse_kind, parse_queue};
use crate::organisation::{self, Unit};
use crate::validation::FieldError;
use crate::work::{self, AssignInput, AssigneeInput, AssigneeKind, Queue, WorkError, WorkItem, WorkKind};

/// One item as the queue shows it; no citizen's name (the customer link opens the record, which
/// is logged there).
pub struct ItemView {
    pub id: Uuid,
    pub kind_key: &'static str,
    pub action: String,
    pub channel: Option<String>,
    pub party_id: Option<Uuid>,
    pub due: String,
    pub remaining: String,
    pub urgency: &'static str,
    pub holder: String,
    pub held_by_me: bool,
    pub in_queue: bool,
    /// For an automated actor: in no queue, nobody claims or moves it.
    pub automated: bool,
    /// Where the kind's own steps are done, and the locale key of that link (none when the
    /// caller may not do that step, e.g. a team lead and a follow-up).
    pub work_href: Option<String>,
    pub work_key: &'static str,
}

impl ItemView {
    pub(super) fn new(i: &WorkItem, caller: &Caller, queue: &str) -> ItemView {
        let (work_href, work_key) = match i.kind {
            WorkKind::Terugbelverzoek => {
                let q = serde_urlencoded::to_string([("wachtrij", queue)]).unwrap_or_default();
                (format!("/terugbelverzoeken?{q}#terugbelverzoek-{}", i.id), "work.to_callback")
            }
            WorkKind::Opvolging => (format!("/taken#taak-{}", i.id), "work.to_task"),
            WorkKind::Email => (format!("/werkvoorraad/e-mail/{}", i.id), "work.to_mail"),
        };
        let may_do_step = match i.kind {
            WorkKind::Terugbelverzoek => true,
            WorkKind::Opvolging => caller.can(Permission::RegisterContacts),
            WorkKind::Email => true,
        };
        ItemView {
            id: i.id,
            kind_key: i.kind.label_key(),
            action: i.action.clone(),
            channel: i.channel.clone(),
            party_id: i.party_id,
            due: i.due_at.map(clock::format_local).unwrap_or_else(|| "—".to_owned()),
            remaining: i.remaining.as_ref().map(|r| r.label()).unwrap_or_default(),
            urgency: super::urgency(i.remaining.as_ref()),
            holder: i.assignee.name.clone(),
            held_by_me: i.assignee.kind == AssigneeKind::Medewerker && i.assignee.id == Some(caller.user_id),
            in_queue: i.assignee.kind == AssigneeKind::Eenheid,
            automated: i.assignee.kind == AssigneeKind::Geautomatiseerd,
            work_href: may_do_step.then_some(work_href),
            work_key,
        }
    }
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    page: PageContext,
    items: Vec<ItemView>,
    /// (value, label, selected) of the queue and kind choosers.
    queues: Vec<(String, String, bool)>,
    kinds: Vec<(String, String, bool)>,
    queue: String,
    kind: String,
    units: Vec<Unit>,
    /// Named colleagues work can be handed to.
    colleagues: Vec<(Uuid, String)>,
    may_distribute: bool,
    notice: Option<&'static str>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    wachtrij: Option<String>,
    #[serde(default)]
    soort: Option<String>,
    #[serde(default)]
    melding: String,
}

/// The queue chooser: one's own, every team's (team leads), and the teams one may see.
pub(super) fn queue_choices(
    page: &PageContext,
    caller: &Caller,
    units: &[Unit],
    queue: Queue,
) -> Vec<(String, String, bool)> {
    let may_distribute = caller.can(Permission::DistributeWork);
    let mut queues = vec![("mine".to_owned(), page.t.get("callbacks.mine").to_owned(), queue == Queue::Mine)];
    if may_distribute {
        queues.push(("all".to_owned(), page.t.get("callbacks.all").to_owned(), queue == Queue::All));
    }
    // Agents choose their own team's queue; team leads every team's.
    queues.extend(
        units
            .iter()
            .filter(|u| may_distribute || caller.unit_id == Some(u.id))
            .map(|u| (u.id.to_string(), u.name.clone(), queue == Queue::Team(u.id))),
    );
    queues
}

/// The value of a queue in a link or form.
pub(super) fn queue_value(queue: Queue) -> String {
    match queue {
        Queue::Mine => "mine".to_owned(),
        Queue::All => "all".to_owned(),
        Queue::Team(id) => id.to_string(),
    }
}

async fn queue_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    (queue_param, kind_param): (Option<&str>, Option<&str>),
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> Response {
    let page = PageContext::new(headers, Some(caller), "work.title", "/werkvoorraad");
    let (queue, kind) = match (parse_queue(caller, queue_param), parse_kind(kind_param)) {
        (Ok(q), Ok(k)) => (q, k),
        (q, k) => {
            let problem = crate::http::problem::Problem::invalid(q.err().into_iter().chain(k.err()).collect());
            return problem_page(headers, Some(caller), problem);
        }
    };
    let (listed, units) =
        match (work::list(&state.store, caller, queue, kind, None).await, organisation::list(&state.store).await) {
            (Ok(l), Ok(u)) => (l, u),
            (Err(e), _) => return problem_page(headers, Some(caller), e.into()),
            (_, Err(e)) => return problem_page(headers, Some(caller), e.into()),
        };
    let colleagues = match organisation::addressees(&state.store).await {
        Ok(c) => c,
        Err(e) => return problem_page(headers, Some(caller), e.into()),
    };
    let queues = queue_choices(&page, caller, &units, queue);
    let mut kinds = vec![(String::new(), page.t.get("work.every_kind").to_owned(), kind.is_none())];
    kinds.extend(
        WorkKind::ALL.iter().map(|k| (k.code().to_owned(), page.t.get(k.label_key()).to_owned(), kind == Some(*k))),
    );
    let value = queue_value(queue);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(
        status,
        &WorkPage {
            items: listed.iter().map(|i| ItemView::new(i, caller, &value)).collect(),
            page,
            queues,
            kinds,
            queue: value,
            kind: kind.map(|k| k.code().to_owned()).unwrap_or_default(),
            units,
            colleagues,
            may_distribute: caller.can(Permission::DistributeWork),
            notice,
            errors: FormErrors::new(errors),
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let notice = queue_notice(&q.melding);
    queue_page(&state, &caller, &headers, (q.wachtrij.as_deref(), q.soort.as_deref()), notice, Vec::new()).await
}

/// The notice after a step of the queue (`melding=` in the link back).
pub(super) fn queue_notice(melding: &str) -> Option<&'static str> {
    match melding {
        "opgepakt" => Some("callbacks.claimed"),
        "teruggezet" => Some("callbacks.returned"),
        "overgedragen" => Some("callbacks.reassigned"),
        "afgerond" => Some("email.closed_notice"),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    /// The queue and kind to return to.
    #[serde(default)]
    wachtrij: String,
    #[serde(default)]
    soort: String,
    /// For a hand-over: `eenheid:<id>` or `medewerker:<id>`.
    #[serde(default)]
    naar: String,
}

/// After an action: back to the queue with a notice, or the queue with the refusal shown.
async fn after<T>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    form: &ActionForm,
    id: Uuid,
    result: Result<T, WorkError>,
    notice: &str,
) -> Response {
    let (queue, kind) = (form.wachtrij.trim(), form.soort.trim());
    let back = (Some(queue).filter(|q| !q.is_empty()), Some(kind).filter(|k| !k.is_empty()));
    match result {
        Ok(_) => {
            let query = serde_urlencoded::to_string([("wachtrij", queue), ("soort", kind), ("melding", notice)])
                .unwrap_or_default();
            Redirect::to(&format!("/werkvoorraad?{query}#werkitem-{id}")).into_response()
        }
        Err(WorkError::Invalid(errors)) => queue_page(state, caller, headers, back, None, errors).await,
        Err(e @ (WorkError::Closed | WorkError::Forbidden(_))) => {
            let problem = crate::http::problem::Problem::from(e);
            let error = FieldError::new("work_item", "refused", problem.detail.unwrap_or(problem.title));
            queue_page(state, caller, headers, back, None, vec![error]).await
        }
        Err(e) => problem_page(headers, Some(caller), e.into()),
    }
}

pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let result = work::claim(&state.store, &caller, id).await;
    after(&state, &caller, &headers, &form, id, result, "opgepakt").await
}

pub async fn return_to_team(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let result = work::return_to_team(&state.store, &caller, id).await;
    after(&state, &caller, &headers, &form, id, result, "teruggezet").await
}

/// `eenheid:<id>` or `medewerker:<id>` as an assignee.
pub(super) fn assignee_of(value: &str) -> AssigneeInput {
    let (kind, id) = value.split_once(':').unwrap_or(("", ""));
    AssigneeInput { kind: kind.to_owned(), id: Uuid::parse_str(id.trim()).ok(), name: None }
}

pub async fn reassign(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let input = AssignInput { assignee: assignee_of(&form.naar) };
    let result = work::reassign(&state.store, &caller, id, &input).await;
    after(&state, &caller, &headers, &form, id, result, "overgedragen").await
}
