//! Beslisbomen in the browser: the list, the runner for agents (the path is in the address, so
//! back, restart and the browser's own back button all work without JavaScript), and the editor.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::content::{self, CycleView, DiffQuery};
use super::{FormErrors, PageContext, PageError, PageId, PageResult, render};
use crate::auth::Caller;
use crate::content::cycle::Transition;
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::knowledge::KnowledgeError;
use crate::knowledge::trees::{self, Definition, Outcome, Tree, TreeInput, TreeSummary};
use crate::validation::FieldError;

#[derive(Template)]
#[template(path = "trees.html")]
struct ListPage {
    page: PageContext,
    trees: Vec<TreeSummary>,
    editor: bool,
}

pub async fn list(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> PageResult {
    let list = trees::list(&state.store, true).await?;
    let page = PageContext::new(&headers, Some(&caller), "trees.title", "/kennisbank");
    Ok(render(StatusCode::OK, &ListPage { page, trees: list, editor: trees::editable_by(&caller) }))
}

pub struct Taken {
    pub question: String,
    pub answer: String,
    /// The address of the tree at this question (to go back to it).
    pub href: String,
}

pub struct Choice {
    pub label: String,
    pub href: String,
}

pub enum End {
    Text(String),
    Article(Uuid),
    Action { action: String, text: String },
}

#[derive(Template)]
#[template(path = "tree_run.html")]
struct RunPage {
    page: PageContext,
    tree: Tree,
    taken: Vec<Taken>,
    question: Option<String>,
    choices: Vec<Choice>,
    end: Option<End>,
    back: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct RunQuery {
    #[serde(default)]
    pad: String,
}

fn href(id: Uuid, path: &[usize]) -> String {
    if path.is_empty() {
        format!("/beslisbomen/{id}")
    } else {
        let pad = path.iter().map(ToString::to_string).collect::<Vec<_>>().join(".");
        format!("/beslisbomen/{id}?pad={pad}")
    }
}

pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Query(q): Query<RunQuery>,
) -> PageResult {
    let tree = trees::for_agent(&state.store, &caller, id).await?;
    let path: Vec<usize> =
        q.pad.split('.').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).take(500).collect();
    let Some((steps, node)) = tree.definition.walk(&path) else {
        // An outdated or hand-made address: start again rather than fail.
        return Ok(Redirect::to(&href(id, &[])).into_response());
    };
    let taken = steps
        .into_iter()
        .enumerate()
        .map(|(i, (question, answer))| Taken { question, answer, href: href(id, &path[..i]) })
        .collect();
    let choices = node
        .answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut next = path.clone();
            next.push(i);
            Choice { label: a.label.clone(), href: href(id, &next) }
        })
        .collect();
    let end = node.outcome.as_ref().map(|o| match o {
        Outcome::Text { text } => End::Text(text.clone()),
        Outcome::Article { article_id } => End::Article(*article_id),
        Outcome::Action { action, text } => End::Action { action: action.clone(), text: text.clone() },
    });
    let question = node.question.clone();
    let back = (!path.is_empty()).then(|| href(id, &path[..path.len() - 1]));
    let mut page = PageContext::new(&headers, Some(&caller), "trees.title", "/kennisbank");
    page.title.clone_from(&tree.title);
    Ok(render(StatusCode::OK, &RunPage { page, tree, taken, question, choices, end, back }))
}

pub struct TreeRowView {
    pub id: Uuid,
    pub title: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "tree_edit.html")]
struct EditPage {
    page: PageContext,
    tree: Option<Tree>,
    all: Vec<TreeRowView>,
    cycle: Option<CycleView>,
    title: String,
    description: String,
    definition: String,
    base_version: i32,
    errors: FormErrors,
    notice: bool,
}

const EXAMPLE: &str = r#"{
  "start": "vraag1",
  "nodes": [
    {"id": "vraag1", "question": "Wat is de vraag?", "answers": [
      {"label": "Antwoord A", "next": "einde-a"},
      {"label": "Antwoord B", "next": "einde-b"}]},
    {"id": "einde-a", "outcome": {"type": "text", "text": "Wat de medewerker zegt."}},
    {"id": "einde-b", "outcome": {"type": "action", "action": "terugbelverzoek", "text": "Maak een terugbelverzoek."}}
  ]
}"#;

struct Shown {
    title: String,
    description: String,
    definition: String,
    errors: Vec<FieldError>,
    notice: bool,
}

async fn edit_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Option<Uuid>,
    shown: Option<Shown>,
) -> Result<EditPage, Problem> {
    let mut page = PageContext::new(headers, Some(caller), "trees.editor_title", "/redactie");
    let all = trees::list(&state.store, false)
        .await?
        .into_iter()
        .map(|t| TreeRowView {
            id: t.id,
            title: t.title,
            state: page.t.get(&format!("knowledge.state.{}", t.state.id())).to_owned(),
        })
        .collect();
    let tree = match id {
        Some(id) => Some(trees::for_editor(&state.store, caller, id).await?),
        None => None,
    };
    let cycle = match &tree {
        Some(t) => {
            let mut cycle = CycleView::new(
                &page,
                format!("/redactie/beslisbomen/{}", t.id),
                (t.latest_version, t.published_version),
                &t.transitions,
                trees::history(&state.store, caller, t.id).await?,
            );
            cycle.try_href = Some(format!("/beslisbomen/{}", t.id));
            Some(cycle)
        }
        None => None,
    };
    if let Some(t) = &tree {
        page.title = format!("{}: {}", page.title, t.title);
    }
    let shown = shown.unwrap_or_else(|| match &tree {
        Some(t) => Shown {
            title: t.title.clone(),
            description: t.description.clone(),
            definition: serde_json::to_string_pretty(&t.definition).unwrap_or_default(),
            errors: Vec::new(),
            notice: false,
        },
        None => Shown {
            title: String::new(),
            description: String::new(),
            definition: EXAMPLE.to_owned(),
            errors: Vec::new(),
            notice: false,
        },
    });
    Ok(EditPage {
        page,
        base_version: tree.as_ref().map_or(0, |t| t.latest_version),
        all,
        tree,
        cycle,
        title: shown.title,
        description: shown.description,
        definition: shown.definition,
        errors: FormErrors::new(shown.errors),
        notice: shown.notice,
    })
}

async fn respond(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    status: StatusCode,
    id: Option<Uuid>,
    shown: Option<Shown>,
) -> PageResult {
    Ok(render(status, &edit_page(state, caller, headers, id, shown).await?))
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    melding: Option<String>,
}

pub async fn editor(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> PageResult {
    respond(&state, &caller, &headers, StatusCode::OK, None, None).await
}

pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    if q.melding.is_some() {
        let t = trees::for_editor(&state.store, &caller, id).await?;
        let shown = Shown {
            title: t.title.clone(),
            description: t.description.clone(),
            definition: serde_json::to_string_pretty(&t.definition).unwrap_or_default(),
            errors: Vec::new(),
            notice: true,
        };
        return respond(&state, &caller, &headers, StatusCode::OK, Some(id), Some(shown)).await;
    }
    respond(&state, &caller, &headers, StatusCode::OK, Some(id), None).await
}

#[derive(Deserialize, Default)]
pub struct TreeForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    definition: String,
    #[serde(default)]
    base_version: i32,
    #[serde(default)]
    reason: String,
}

impl TreeForm {
    fn input(&self) -> Result<TreeInput, FieldError> {
        let definition: Definition = serde_json::from_str(&self.definition)
            .map_err(|e| FieldError::new("definition", "invalid_json", format!("De boom is geen geldige JSON: {e}")))?;
        Ok(TreeInput { title: self.title.clone(), description: self.description.clone(), definition })
    }
}

async fn failed(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Option<Uuid>,
    form: TreeForm,
    e: KnowledgeError,
) -> PageResult {
    let problem = Problem::from(e);
    if problem.status().is_server_error() || problem.status() == StatusCode::NOT_FOUND {
        return Err(PageError::from(problem));
    }
    let errors = if problem.errors.is_empty() {
        vec![FieldError::new("", "refused", problem.detail.clone().unwrap_or(problem.title.clone()))]
    } else {
        problem.errors.clone()
    };
    let shown =
        Shown { title: form.title, description: form.description, definition: form.definition, errors, notice: false };
    respond(state, caller, headers, problem.status(), id, Some(shown)).await
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<TreeForm>,
) -> PageResult {
    let result = match form.input() {
        Ok(input) => trees::create(&state.store, &caller, &input).await,
        Err(e) => Err(KnowledgeError::Invalid(vec![e])),
    };
    match result {
        Ok(t) => Ok(Redirect::to(&format!("/redactie/beslisbomen/{}?melding=opgeslagen", t.id)).into_response()),
        Err(e) => failed(&state, &caller, &headers, None, form, e).await,
    }
}

pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<TreeForm>,
) -> PageResult {
    let result = match form.input() {
        Ok(input) => trees::save(&state.store, &caller, id, form.base_version, &input, &form.reason).await,
        Err(e) => Err(KnowledgeError::Invalid(vec![e])),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/redactie/beslisbomen/{id}?melding=opgeslagen")).into_response()),
        Err(e) => failed(&state, &caller, &headers, Some(id), form, e).await,
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    stap: String,
    #[serde(default)]
    versie: Option<i32>,
}

pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    PageId(id): PageId,
    Form(form): Form<StepForm>,
) -> PageResult {
    let transition = Transition::parse(&form.stap)
        .ok_or_else(|| Problem::invalid(vec![FieldError::new("stap", "unknown_step", "Onbekende stap.")]))?;
    trees::transition(&state.store, &caller, id, transition, form.versie).await?;
    Ok(Redirect::to(&format!("/redactie/beslisbomen/{id}?melding=stap")).into_response())
}

#[derive(Deserialize)]
pub struct RestoreForm {
    version: i32,
    base_version: i32,
}

pub async fn restore(
    State(state): State<AppState>,
    caller: Caller,
    PageId(id): PageId,
    Form(form): Form<RestoreForm>,
) -> PageResult {
    trees::restore(&state.store, &caller, id, form.version, form.base_version).await?;
    Ok(Redirect::to(&format!("/redactie/beslisbomen/{id}?melding=hersteld")).into_response())
}

pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    query: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let q = content::versions_asked(query)?;
    let lines = trees::diff(&state.store, &caller, id, q.van, q.tot).await?;
    Ok(content::diff_page(&headers, &caller, format!("/redactie/beslisbomen/{id}"), &q, lines))
}
