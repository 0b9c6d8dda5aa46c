//! Werkberichten: the current notices with read buttons, and for redacteuren and teamleiders the
//! form to publish one, the list of all, and who has (not) read each.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::Form;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, PageId, PageResult, render};
use crate::auth::Caller;
use crate::clock;
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::knowledge::notices::{self, Notice, NoticeInput, NoticeKind, Priority};
use crate::organisation::{self, Unit};
use crate::validation::FieldError;

pub struct NoticeView {
    pub id: Uuid,
    pub title: String,
    pub body_html: String,
    pub important: bool,
    pub kind: String,
    pub author: String,
    pub from: String,
    pub until: String,
    pub read: Option<String>,
    pub current: bool,
}

fn view(page: &PageContext, n: Notice) -> NoticeView {
    let now = clock::now();
    NoticeView {
        id: n.id,
        important: n.priority == Priority::Belangrijk,
        kind: page
            .t
            .get(if n.kind == NoticeKind::Werkinstructie { "notices.werkinstructie" } else { "notices.nieuws" })
            .to_owned(),
        title: n.title,
        body_html: n.body_html,
        author: n.author_name,
        from: clock::format_local(n.publish_from),
        until: n.publish_until.map(clock::format_local).unwrap_or_default(),
        read: n.read_at.map(clock::format_local),
        current: n.publish_from <= now && n.publish_until.is_none_or(|u| u > now),
    }
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    page: PageContext,
    current: Vec<NoticeView>,
    all: Vec<NoticeView>,
    may_write: bool,
    units: Vec<Unit>,
    errors: FormErrors,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    melding: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<NoticesPage, Problem> {
    let page = PageContext::new(headers, Some(caller), "notices.title", "/werkberichten");
    let current = notices::current(&state.store, caller).await?.into_iter().map(|n| view(&page, n)).collect();
    let may_write = notices::may_write(caller);
    let (all, units) = if may_write {
        let all = notices::all(&state.store, caller).await?.into_iter().map(|n| view(&page, n)).collect();
        (all, organisation::list(&state.store).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(NoticesPage { page, current, all, may_write, units, errors: FormErrors::new(errors), notice })
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let notice = match q.melding.as_deref() {
        Some("geplaatst") => Some("notices.published"),
        Some("beeindigd") => Some("notices.ended"),
        _ => None,
    };
    Ok(render(StatusCode::OK, &page(&state, &caller, &headers, Vec::new(), notice).await?))
}

#[derive(Deserialize, Default)]
pub struct NoticeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    targets: Vec<String>,
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<NoticeForm>,
) -> PageResult {
    let until = match form.until.trim() {
        "" => Ok(None),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            // "Up to and including" that day: it ends at the start of the next.
            .map(|d| {
                chrono_tz::Europe::Amsterdam
                    .from_local_datetime(&(d + chrono::Days::new(1)).and_time(NaiveTime::MIN))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            })
            .map_err(|_| FieldError::new("until", "invalid_date", "Geen geldige datum (JJJJ-MM-DD).")),
    };
    let targets: Result<Vec<Uuid>, _> =
        form.targets.iter().filter(|t| !t.is_empty()).map(|t| Uuid::parse_str(t)).collect();
    let result = match (until, targets) {
        (Ok(until), Ok(targets)) => {
            let input = NoticeInput {
                kind: if form.kind == "werkinstructie" { NoticeKind::Werkinstructie } else { NoticeKind::Nieuws },
                title: form.title,
                body: form.body,
                priority: if form.priority == "belangrijk" { Priority::Belangrijk } else { Priority::Normaal },
                publish_from: None,
                publish_until: until,
                targets,
            };
            notices::create(&state.store, &caller, &input).await.map_err(Problem::from)
        }
        (Err(e), _) => Err(Problem::invalid(vec![e])),
        (_, Err(_)) => Err(Problem::invalid(vec![FieldError::new("targets", "unknown_unit", "Onbekend team.")])),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/werkberichten?melding=geplaatst").into_response()),
        // The form again, with what was wrong.
        Err(problem) if !problem.errors.is_empty() => {
            Ok(render(problem.status(), &page(&state, &caller, &headers, problem.errors.clone(), None).await?))
        }
        Err(problem) => Err(problem.into()),
    }
}

pub async fn read(State(state): State<AppState>, caller: Caller, PageId(id): PageId) -> PageResult {
    notices::mark_read(&state.store, &caller, id).await?;
    Ok(Redirect::to("/werkberichten").into_response())
}

pub async fn end(State(state): State<AppState>, caller: Caller, PageId(id): PageId) -> PageResult {
    notices::end(&state.store, &caller, id).await?;
    Ok(Redirect::to("/werkberichten?melding=beeindigd").into_response())
}

pub struct ReceiptView {
    pub name: String,
    pub read_at: Option<String>,
}

#[derive(Template)]
#[template(path = "notice_receipts.html")]
struct ReceiptsPage {
    page: PageContext,
    notice: NoticeView,
    readers: Vec<ReceiptView>,
    unread: usize,
}

pub async fn receipts(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
) -> PageResult {
    let (notice, readers) = notices::receipts(&state.store, &caller, id).await?;
    let page = PageContext::new(&headers, Some(&caller), "notices.receipts_title", "/werkberichten");
    let readers: Vec<ReceiptView> = readers
        .into_iter()
        .map(|r| ReceiptView { name: r.name, read_at: r.read_at.map(clock::format_local) })
        .collect();
    let unread = readers.iter().filter(|r| r.read_at.is_none()).count();
    let notice = view(&page, notice);
    Ok(render(StatusCode::OK, &ReceiptsPage { page, notice, readers, unread }))
}
