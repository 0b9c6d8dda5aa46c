//! Knowledge screens: the kennisbank for agents (list, article view) and the redactie for
//! editors (lists, worklist, edit form with preview, cycle buttons, history, diff, restore).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::content::{self, CycleView, DiffQuery, state_label};
use super::{FormErrors, PageContext, PageId, PageResult, problem_page, render};
use crate::auth::{Caller, Role};
use crate::clock;
use crate::content::cycle::{State as CycleState, Transition};
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::knowledge::KnowledgeError;
use crate::knowledge::articles::{self, Article, ArticleInput, ArticleSummary, ArticleVersion, Content, Ownership};
use crate::knowledge::feedback::{
    self, Feedback, FeedbackHandling, FeedbackInput, FeedbackKind, FeedbackStatus, Signal,
};
use crate::validation::FieldError;

fn day(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.with_timezone(&chrono_tz::Europe::Amsterdam).format("%Y-%m-%d").to_string()).unwrap_or_default()
}

pub struct Row {
    pub id: Uuid,
    pub title: String,
    pub short_answer: String,
    pub state: String,
    pub category: String,
    pub review_date: String,
}

fn rows(page: &PageContext, list: Vec<ArticleSummary>) -> Vec<Row> {
    list.into_iter()
        .map(|a| Row {
            id: a.id,
            state: state_label(page, a.state),
            title: a.title,
            short_answer: a.short_answer,
            category: a.category,
            review_date: a.review_date.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default(),
        })
        .collect()
}

pub struct KindOption {
    pub id: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    page: PageContext,
    article: Article,
    valid_until: String,
    can_edit: bool,
    q: String,
    kinds: Vec<KindOption>,
    notice: Option<String>,
    related: Vec<(Uuid, String)>,
}

#[derive(Deserialize, Default)]
pub struct ArticleQuery {
    #[serde(default)]
    q: String,
    melding: Option<String>,
}

fn kind_options(page: &PageContext) -> Vec<KindOption> {
    FeedbackKind::ALL
        .iter()
        .map(|k| KindOption { id: k.id(), label: page.t.get(&format!("feedback.kind.{}", k.id())).to_owned() })
        .collect()
}

/// The agent's article view. Each view is recorded (with the search query that led here) for
/// the search ranking.
pub async fn article(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Query(query): Query<ArticleQuery>,
) -> Response {
    let article = match articles::for_agent(&state.store, &caller, id).await {
        Ok(a) => a,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    if query.melding.is_none()
        && let Err(e) = feedback::record_signal(&state.store, &caller, id, Signal::Viewed, Some(&query.q)).await
    {
        return problem_page(&headers, Some(&caller), e.into());
    }
    let mut page = PageContext::new(&headers, Some(&caller), "knowledge.title", "/kennisbank");
    page.title.clone_from(&article.version.title);
    let notice = match query.melding.as_deref() {
        Some("feedback") => Some(page.t.get("feedback.thanks").to_owned()),
        Some("beantwoord") => Some(page.t.get("feedback.answered_thanks").to_owned()),
        _ => None,
    };
    let kinds = kind_options(&page);
    let valid_until = article.version.valid_until.map(clock::format_local).unwrap_or_default();
    let related = match articles::related_titles(&state.store, &article.version.related).await {
        Ok(r) => r,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let can_edit = articles::is_editor(&caller);
    render(StatusCode::OK, &ArticlePage { page, article, valid_until, can_edit, q: query.q, kinds, notice, related })
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    q: String,
}

fn back_to_article(id: Uuid, q: &str, melding: &str) -> Response {
    let query = serde_urlencoded::to_string([("q", q), ("melding", melding)]).unwrap_or_default();
    Redirect::to(&format!("/kennisbank/{id}?{query}")).into_response()
}

pub async fn submit_feedback(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<FeedbackForm>,
) -> Response {
    let Some(kind) = FeedbackKind::parse(&form.kind) else {
        let problem =
            Problem::invalid(vec![FieldError::new("kind", "required", "Kies wat er mis is met het artikel.")]);
        return problem_page(&headers, Some(&caller), problem);
    };
    let input = FeedbackInput { kind, note: form.note, search_query: Some(form.q.clone()), contact_ref: None };
    match feedback::submit(&state.store, &caller, id, &input).await {
        Ok(_) => back_to_article(id, &form.q, "feedback"),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize)]
pub struct AnsweredForm {
    #[serde(default)]
    q: String,
}

pub async fn answered(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<AnsweredForm>,
) -> Response {
    match feedback::record_signal(&state.store, &caller, id, Signal::Answered, Some(&form.q)).await {
        Ok(()) => back_to_article(id, &form.q, "beantwoord"),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

pub struct FeedbackView {
    pub id: Uuid,
    pub article_id: Uuid,
    pub article_title: String,
    pub kind: String,
    pub note: String,
    pub query: String,
    pub submitter: String,
    pub at: String,
    pub status_id: &'static str,
    pub status: String,
    pub reply: String,
    pub handled_by: String,
    pub resolved_version: Option<i32>,
    pub article_version: i32,
}

fn feedback_views(page: &PageContext, list: Vec<Feedback>) -> Vec<FeedbackView> {
    list.into_iter()
        .map(|f| FeedbackView {
            id: f.id,
            article_id: f.article_id,
            kind: page.t.get(&format!("feedback.kind.{}", f.kind.id())).to_owned(),
            status_id: f.status.id(),
            status: page.t.get(&format!("feedback.status.{}", f.status.id())).to_owned(),
            article_title: f.article_title,
            note: f.note,
            query: f.search_query.unwrap_or_default(),
            submitter: f.submitter_name,
            at: clock::format_local(f.created_at),
            reply: f.reply,
            handled_by: f.handled_by.unwrap_or_default(),
            resolved_version: f.resolved_version,
            article_version: f.article_version,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "feedback_mine.html")]
struct MinePage {
    page: PageContext,
    items: Vec<FeedbackView>,
}

pub async fn my_feedback(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "feedback.mine_title", "/kennisbank");
    match feedback::mine(&state.store, &caller).await {
        Ok(list) => {
            let items = feedback_views(&page, list);
            render(StatusCode::OK, &MinePage { page, items })
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

pub struct StatusOption {
    pub id: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "feedback_worklist.html")]
struct WorklistPage {
    page: PageContext,
    items: Vec<FeedbackView>,
    statuses: Vec<StatusOption>,
    /// "Alle" chosen in the filter.
    all: bool,
    notice: bool,
}

#[derive(Deserialize, Default)]
pub struct WorklistQuery {
    #[serde(default)]
    status: String,
    melding: Option<String>,
}

pub async fn feedback_worklist(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<WorklistQuery>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "feedback.worklist_title", "/redactie");
    // Without a status: the open items (nieuw, in behandeling), what still needs someone.
    let filter = match q.status.as_str() {
        "" => None,
        "alle" => Some(feedback::WorklistFilter::All),
        s => FeedbackStatus::parse(s).map(feedback::WorklistFilter::One),
    };
    let result = feedback::worklist(&state.store, &caller, filter.unwrap_or(feedback::WorklistFilter::Open)).await;
    match result {
        Ok(list) => {
            let statuses = FeedbackStatus::ALL
                .iter()
                .map(|s| StatusOption {
                    id: s.id(),
                    label: page.t.get(&format!("feedback.status.{}", s.id())).to_owned(),
                    selected: filter == Some(feedback::WorklistFilter::One(*s)),
                })
                .collect();
            let items = feedback_views(&page, list);
            let all = filter == Some(feedback::WorklistFilter::All);
            render(StatusCode::OK, &WorklistPage { page, items, statuses, all, notice: q.melding.is_some() })
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize)]
pub struct HandleForm {
    status: String,
    #[serde(default)]
    reply: String,
    #[serde(default)]
    resolved_version: String,
}

pub async fn handle_feedback(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<HandleForm>,
) -> Response {
    let Some(status) = FeedbackStatus::parse(&form.status) else {
        return problem_page(
            &headers,
            Some(&caller),
            Problem::invalid(vec![FieldError::new("status", "required", "Kies een status.")]),
        );
    };
    let resolved_version = form.resolved_version.trim().parse::<i32>().ok();
    let input = FeedbackHandling { status, reply: form.reply, resolved_version };
    match feedback::handle(&state.store, &caller, id, &input).await {
        Ok(_) => Redirect::to("/redactie/feedback?melding=opgeslagen").into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

pub struct StateOption {
    pub id: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "redactie.html")]
struct RedactiePage {
    page: PageContext,
    q: String,
    states: Vec<StateOption>,
    articles: Vec<Row>,
    worklist: Vec<Row>,
    /// Approved, not yet published ("wacht op publicatie").
    awaiting: Vec<Row>,
    can_create: bool,
    can_manage_search: bool,
}

#[derive(Deserialize, Default)]
pub struct RedactieQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
}

pub async fn redactie(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<RedactieQuery>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "redactie.title", "/redactie");
    let filter = CycleState::parse(&query.status);
    let list = match articles::list_for_editors(&state.store, &caller, filter, Some(&query.q), 300).await {
        Ok(list) => list,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let worklist = match articles::review_worklist(&state.store, &caller).await {
        Ok(list) => list,
        Err(KnowledgeError::Forbidden(_)) => Vec::new(),
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let awaiting =
        match articles::list_for_editors(&state.store, &caller, Some(CycleState::Goedgekeurd), None, 300).await {
            Ok(list) => list,
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        };
    let states = CycleState::ALL
        .iter()
        .map(|s| StateOption { id: s.id(), label: state_label(&page, *s), selected: filter == Some(*s) })
        .collect();
    let (articles, worklist, awaiting) = (rows(&page, list), rows(&page, worklist), rows(&page, awaiting));
    render(
        StatusCode::OK,
        &RedactiePage {
            page,
            q: query.q,
            states,
            articles,
            worklist,
            awaiting,
            can_create: articles::may_create(&caller),
            can_manage_search: caller.can(crate::auth::Permission::ManageSearch),
        },
    )
}

/// The article form as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    short_answer: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    synonyms: String,
    #[serde(default)]
    upl_product: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_until: String,
    #[serde(default)]
    review_date: String,
    #[serde(default)]
    substantive: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    base_version: i32,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    unit_id: String,
}

fn optional_uuid(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s.trim()).ok()
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', '\n']).map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

fn parse_day(field: &str, s: &str) -> Result<Option<NaiveDate>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| FieldError::new(field, "invalid_date", "Geen geldige datum (JJJJ-MM-DD).")),
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    chrono_tz::Europe::Amsterdam
        .from_local_datetime(&d.and_time(NaiveTime::MIN))
        .earliest()
        .map_or_else(|| d.and_time(NaiveTime::MIN).and_utc(), |t| t.with_timezone(&Utc))
}

impl ArticleForm {
    fn content(&self) -> Result<Content, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut take = |field: &str, s: &str| match parse_day(field, s) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let valid_from = take("valid_from", &self.valid_from).map(midnight);
        let valid_until = take("valid_until", &self.valid_until).map(midnight);
        let review_date = take("review_date", &self.review_date);
        let related: Vec<Uuid> =
            self.related.iter().filter(|r| !r.is_empty()).filter_map(|r| optional_uuid(r)).collect();
        let input = ArticleInput {
            title: self.title.clone(),
            short_answer: self.short_answer.clone(),
            body: self.body.clone(),
            instructions: self.instructions.clone(),
            audience: Some(if self.audience.is_empty() { "intern".into() } else { self.audience.clone() }),
            keywords: split_list(&self.keywords),
            synonyms: split_list(&self.synonyms),
            upl_product: Some(self.upl_product.clone()),
            category: self.category.clone(),
            valid_from,
            valid_until,
            review_date,
            related,
        };
        match Content::parse(&input) {
            Ok(c) if errors.is_empty() => Ok(c),
            Ok(_) => Err(errors),
            Err(mut more) => {
                more.extend(errors);
                Err(more)
            }
        }
    }

    fn ownership(&self) -> Ownership {
        Ownership { owner_id: optional_uuid(&self.owner_id), unit_id: optional_uuid(&self.unit_id) }
    }

    fn from_article(a: &Article) -> ArticleForm {
        ArticleForm {
            related: a.version.related.iter().map(ToString::to_string).collect(),
            owner_id: a.owner_id.map(|o| o.to_string()).unwrap_or_default(),
            unit_id: a.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            ..ArticleForm::from_version(&a.version, a.latest_version)
        }
    }

    fn from_version(v: &ArticleVersion, base_version: i32) -> ArticleForm {
        ArticleForm {
            title: v.title.clone(),
            short_answer: v.short_answer.clone(),
            body: v.body.clone(),
            instructions: v.instructions.clone(),
            audience: v.audience.id().to_owned(),
            keywords: v.keywords.join(", "),
            synonyms: v.synonyms.join(", "),
            upl_product: v.upl_product.clone().unwrap_or_default(),
            category: v.category.clone(),
            valid_from: day(v.valid_from),
            valid_until: day(v.valid_until),
            review_date: v.review_date.map(|d| d.to_string()).unwrap_or_default(),
            substantive: Some("1".into()),
            reason: String::new(),
            base_version,
            related: Vec::new(),
            owner_id: String::new(),
            unit_id: String::new(),
        }
    }
}

/// A choice in a select: value, label, selected.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "article_edit.html")]
struct EditPage {
    page: PageContext,
    /// `None` for a new article.
    article: Option<Article>,
    cycle: Option<CycleView>,
    form: ArticleForm,
    errors: FormErrors,
    upl: Vec<String>,
    notice: Option<String>,
    related_choices: Vec<Choice>,
    owner_choices: Vec<Choice>,
    unit_choices: Vec<Choice>,
}

/// What the edit page shows besides the article: the form as typed (or `None` for the stored
/// version), what went wrong, and a notice after a redirect.
#[derive(Default)]
struct Shown {
    form: Option<ArticleForm>,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

async fn edit_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Option<Uuid>,
    shown: Shown,
) -> Result<EditPage, Problem> {
    let Shown { form, errors, notice } = shown;
    let mut page = PageContext::new(headers, Some(caller), "redactie.new_article", "/redactie");
    let upl = crate::knowledge::articles::upl_names(&state.store).await?;
    let others = articles::list_for_editors(&state.store, caller, None, None, 500).await?;
    let experts = crate::organisation::colleagues_with_role(&state.store, Role::Kennisexpert).await?;
    let units = crate::organisation::list(&state.store).await?;
    let choices = |form: &ArticleForm| {
        let related = others
            .iter()
            .filter(|a| Some(a.id) != id)
            .map(|a| Choice {
                value: a.id.to_string(),
                label: a.title.clone(),
                selected: form.related.contains(&a.id.to_string()),
            })
            .collect::<Vec<_>>();
        let owners = experts
            .iter()
            .map(|(uid, name)| Choice {
                value: uid.to_string(),
                label: name.clone(),
                selected: form.owner_id == uid.to_string(),
            })
            .collect::<Vec<_>>();
        let units = units
            .iter()
            .map(|u| Choice {
                value: u.id.to_string(),
                label: u.name.clone(),
                selected: form.unit_id == u.id.to_string(),
            })
            .collect::<Vec<_>>();
        (related, owners, units)
    };
    let Some(id) = id else {
        let form = form.unwrap_or_else(|| ArticleForm {
            substantive: Some("1".into()),
            owner_id: if caller.roles.contains(&Role::Kennisexpert) {
                caller.user_id.to_string()
            } else {
                String::new()
            },
            unit_id: caller.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            ..ArticleForm::default()
        });
        let (related_choices, owner_choices, unit_choices) = choices(&form);
        return Ok(EditPage {
            page,
            article: None,
            cycle: None,
            form,
            errors: FormErrors::new(errors),
            upl,
            notice,
            related_choices,
            owner_choices,
            unit_choices,
        });
    };
    let article = articles::for_editor(&state.store, caller, id, None).await?;
    page.title = format!("{}: {}", page.t.get("redactie.edit_article"), article.version.title);
    let cycle = CycleView::new(
        &page,
        format!("/redactie/artikelen/{id}"),
        (article.latest_version, article.published_version),
        &article.transitions,
        articles::version_list(&state.store, caller, id).await?,
    );
    let form = form.unwrap_or_else(|| ArticleForm::from_article(&article));
    let (related_choices, owner_choices, unit_choices) = choices(&form);
    Ok(EditPage {
        page,
        article: Some(article),
        cycle: Some(cycle),
        form,
        errors: FormErrors::new(errors),
        upl,
        notice,
        related_choices,
        owner_choices,
        unit_choices,
    })
}

async fn respond(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    status: StatusCode,
    id: Option<Uuid>,
    shown: Shown,
) -> Response {
    match edit_page(state, caller, headers, id, shown).await {
        Ok(p) => render(status, &p),
        Err(problem) => problem_page(headers, Some(caller), problem),
    }
}

/// Shows the form again with what went wrong (validation, a conflicting save, a refused step).
async fn failed(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Option<Uuid>,
    form: Option<ArticleForm>,
    e: KnowledgeError,
) -> Response {
    let problem = Problem::from(e);
    if problem.status().is_server_error() || problem.status() == StatusCode::NOT_FOUND {
        return problem_page(headers, Some(caller), problem);
    }
    let status = problem.status();
    let errors = if problem.errors.is_empty() {
        vec![FieldError::new("", "refused", problem.detail.clone().unwrap_or(problem.title.clone()))]
    } else {
        problem.errors
    };
    respond(state, caller, headers, status, id, Shown { form, errors, notice: None }).await
}

pub async fn new_article(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Response {
    respond(&state, &caller, &headers, StatusCode::OK, None, Shown::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<ArticleForm>,
) -> Response {
    let content = match form.content() {
        Ok(c) => c,
        Err(errors) => {
            return respond(
                &state,
                &caller,
                &headers,
                StatusCode::BAD_REQUEST,
                None,
                Shown { form: Some(form), errors, notice: None },
            )
            .await;
        }
    };
    match articles::create(&state.store, &caller, content, form.ownership(), &form.reason).await {
        Ok(article) => Redirect::to(&format!("/redactie/artikelen/{}?melding=opgeslagen", article.id)).into_response(),
        Err(e) => failed(&state, &caller, &headers, None, Some(form), e).await,
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    melding: Option<String>,
}

fn notice_text(page_headers: &HeaderMap, key: Option<&str>) -> Option<String> {
    let key = match key? {
        "opgeslagen" => "redactie.saved",
        "stap" => "redactie.step_taken",
        "hersteld" => "redactie.restored",
        _ => return None,
    };
    Some(crate::http::i18n::Tr::new(crate::http::i18n::Lang::from_headers(page_headers)).get(key).to_owned())
}

pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let notice = notice_text(&headers, q.melding.as_deref());
    respond(&state, &caller, &headers, StatusCode::OK, Some(id), Shown { notice, ..Shown::default() }).await
}

pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ArticleForm>,
) -> Response {
    let content = match form.content() {
        Ok(c) => c,
        Err(errors) => {
            return respond(
                &state,
                &caller,
                &headers,
                StatusCode::BAD_REQUEST,
                Some(id),
                Shown { form: Some(form), errors, notice: None },
            )
            .await;
        }
    };
    match articles::save(
        &state.store,
        &caller,
        id,
        form.base_version,
        content,
        form.substantive.is_some(),
        &form.reason,
        Some(form.ownership()),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/redactie/artikelen/{id}?melding=opgeslagen")).into_response(),
        Err(e) => failed(&state, &caller, &headers, Some(id), Some(form), e).await,
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    stap: String,
    /// The version the button was shown for.
    #[serde(default)]
    versie: Option<i32>,
}

pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<StepForm>,
) -> Response {
    let Some(transition) = Transition::parse(&form.stap) else {
        return failed(
            &state,
            &caller,
            &headers,
            Some(id),
            None,
            KnowledgeError::Invalid(vec![FieldError::new("stap", "unknown_step", "Onbekende stap.")]),
        )
        .await;
    };
    match articles::transition(&state.store, &caller, id, transition, form.versie).await {
        Ok(_) => Redirect::to(&format!("/redactie/artikelen/{id}?melding=stap")).into_response(),
        Err(e) => failed(&state, &caller, &headers, Some(id), None, e).await,
    }
}

#[derive(Deserialize)]
pub struct RestoreForm {
    version: i32,
    base_version: i32,
}

pub async fn restore(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<RestoreForm>,
) -> Response {
    match articles::restore(&state.store, &caller, id, form.version, form.base_version).await {
        Ok(_) => Redirect::to(&format!("/redactie/artikelen/{id}?melding=hersteld")).into_response(),
        Err(e) => failed(&state, &caller, &headers, Some(id), None, e).await,
    }
}

pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    query: Result<Query<DiffQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let q = content::versions_asked(query)?;
    let lines = articles::diff(&state.store, &caller, id, q.van, q.tot).await?;
    Ok(content::diff_page(&headers, &caller, format!("/redactie/artikelen/{id}"), &q, lines))
}
