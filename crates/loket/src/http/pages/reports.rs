//! The reports screen (teamleider, beheerder) and the KPI catalogue with its parameters.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::{Caller, Permission};
use crate::channels::Channel;
use crate::http::AppState;
use crate::http::api::reports::parse_service_level;
use crate::reports::calls::CsvDialect;
use crate::reports::catalogue::{self, Wording};
use crate::reports::contacts::Figure;
use crate::reports::service_level::{self, Row, ServiceLevelQuery};
use crate::reports::settings::{self, Clock, Denominator, KpiSettings};
use crate::validation::FieldError;

/// `83,4%`, or n.v.t. without a denominator.
fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "n.v.t.".to_owned(), |v| format!("{:.1}%", v * 100.0).replace('.', ","))
}

/// The words of the KPI parameters and groupings on the screen, in the page's language (the
/// domain's `label()`s are the Dutch of the API).
fn clock_label(t: &crate::http::i18n::Tr, c: Clock) -> String {
    t.get(&format!("reports.clock.{}", c.id())).to_owned()
}

fn denominator_label(t: &crate::http::i18n::Tr, d: Denominator) -> String {
    t.get(&format!("reports.denominator.{}", d.id())).to_owned()
}

fn by_label(t: &crate::http::i18n::Tr, by: crate::reports::contacts::VolumeBy) -> String {
    t.get(&format!("reports.by.{}", by.id())).to_owned()
}

fn clock_choices(t: &crate::http::i18n::Tr, selected: &str) -> Vec<Choice> {
    let values: Vec<(&str, String)> =
        [Clock::Queue, Clock::Arrival].iter().map(|c| (c.id(), clock_label(t, *c))).collect();
    options(&values, selected)
}

fn denominator_choices(t: &crate::http::i18n::Tr, selected: &str) -> Vec<Choice> {
    let values: Vec<(&str, String)> = Denominator::ALL.iter().map(|d| (d.id(), denominator_label(t, *d))).collect();
    options(&values, selected)
}

/// "Servicelevel 30 s, vanaf de wachtrij, noemer …": the definition with its parameters in words.
fn definition_words(t: &crate::http::i18n::Tr, english: bool, d: &service_level::Definition) -> String {
    let name = catalogue::find(d.id).map_or(d.name, |k| k.wording(english).name);
    t.get("reports.definition_label")
        .replace("{name}", name)
        .replace("{threshold}", &d.threshold_s.to_string())
        .replace("{clock}", &clock_label(t, d.clock))
        .replace("{denominator}", &denominator_label(t, d.denominator))
        .replace("{short}", &d.short_abandon_s.to_string())
}

/// A volume row's label: weekdays and "none" in the page's language, names as they are.
fn row_label(t: &crate::http::i18n::Tr, by: crate::reports::contacts::VolumeBy, key: &str, label: &str) -> String {
    use crate::reports::contacts::VolumeBy;
    match (by, key) {
        (VolumeBy::Outcome | VolumeBy::Unit, "") => t.get("reports.none_value").to_owned(),
        (VolumeBy::Weekday, day) => t.get(&format!("reports.weekday.{day}")).to_owned(),
        _ => label.to_owned(),
    }
}

fn seconds(v: Option<f64>) -> String {
    v.map_or_else(|| "n.v.t.".to_owned(), |v| format!("{v:.1} s").replace('.', ","))
}

pub struct RowView {
    /// The period as people read it ("di 4 dec 09:00").
    pub period: String,
    pub offered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub answered_within: i64,
    pub service_level: String,
    pub asa: String,
    pub aht: String,
    pub abandonment: String,
    /// Where the calls behind this row are listed.
    pub drill_down: String,
}

impl RowView {
    fn new(r: &Row, drill_down: String, english: bool) -> RowView {
        RowView {
            period: crate::clock::period_label(&r.period, english),
            offered: r.offered,
            answered: r.answered,
            abandoned: r.abandoned,
            answered_within: r.answered_within,
            service_level: percent(r.service_level),
            asa: seconds(r.asa_s),
            aht: seconds(r.aht_s),
            abandonment: percent(r.abandonment),
            drill_down,
        }
    }
}

/// One bar of the service-level chart, in SVG user units.
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    page: PageContext,
    query: ServiceLevelQuery,
    errors: FormErrors,
    channels: Vec<Choice>,
    groups: Vec<Choice>,
    clocks: Vec<Choice>,
    denominators: Vec<Choice>,
    definition_label: String,
    definition_url: String,
    total: Option<RowView>,
    previous: Option<RowView>,
    rows: Vec<RowView>,
    bars: Vec<Bar>,
    chart_width: f64,
    /// This period's callback figures, and the previous period's.
    callbacks: Option<(CallbackView, CallbackView)>,
    /// Contact volumes, FCR and response times over the same days (all channels).
    contacts: Option<crate::reports::contacts::ContactsReport>,
    /// The contact grouping chooser.
    groupings: Vec<Choice>,
    /// What the contacts are grouped by, in words.
    by_label: String,
}

/// `per`: how the contact volumes are grouped (channel, subject, outcome, unit, hour, weekday).
#[derive(Debug, Default, Deserialize)]
pub struct ContactsPageQuery {
    #[serde(default)]
    per: Option<String>,
}

/// "83,4%" or n.v.t.; for the templates.
pub fn share(v: &Option<f64>) -> String {
    percent(*v)
}

pub struct CallbackView {
    pub created: i64,
    pub completed: i64,
    pub reached: i64,
    pub due: i64,
    pub on_time: i64,
    pub on_time_rate: String,
    pub attempts_per_callback: String,
    pub open_overdue: i64,
    pub open_by_age: Vec<crate::reports::callbacks::AgeBucket>,
    /// The local days counted, for the links to the callbacks behind each figure.
    pub days: (NaiveDate, NaiveDate),
}

impl CallbackView {
    /// The figures of the local days `from`–`to`.
    fn new(f: crate::reports::callbacks::Figures, from: NaiveDate, to: NaiveDate) -> CallbackView {
        CallbackView {
            created: f.created,
            completed: f.completed,
            reached: f.reached,
            due: f.due,
            on_time: f.on_time,
            on_time_rate: percent(f.on_time_rate),
            attempts_per_callback: f
                .attempts_per_callback
                .map_or_else(|| "n.v.t.".to_owned(), |v| format!("{v:.1}").replace('.', ",")),
            open_overdue: f.open_overdue,
            open_by_age: f.open_by_age,
            days: (from, to),
        }
    }

    /// Where the callbacks behind one figure (by its id) are listed.
    pub fn link(&self, figure: &str) -> String {
        callbacks_link(&self.days.0.to_string(), &self.days.1.to_string(), figure)
    }
}

pub const CHART_HEIGHT: f64 = 200.0;

fn chart(rows: &[Row], english: bool) -> (Vec<Bar>, f64) {
    let step = if rows.len() > 60 { 6.0 } else { 20.0 };
    let bars = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let sl = r.service_level?;
            Some(Bar {
                x: 40.0 + i as f64 * step,
                y: 10.0 + CHART_HEIGHT * (1.0 - sl),
                width: step * 0.7,
                height: CHART_HEIGHT * sl,
                title: format!("{}: {}", crate::clock::period_label(&r.period, english), percent(Some(sl))),
            })
        })
        .collect();
    (bars, 50.0 + rows.len() as f64 * step)
}

fn options(values: &[(&str, String)], selected: &str) -> Vec<Choice> {
    values
        .iter()
        .map(|(v, label)| Choice { value: (*v).to_owned(), label: label.clone(), selected: *v == selected })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<axum::extract::Query<ServiceLevelQuery>, axum::extract::rejection::QueryRejection>,
    per: Result<axum::extract::Query<ContactsPageQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let per = per.map(|q| q.0.per).unwrap_or_default();
    let page = PageContext::new(&headers, Some(&caller), "reports.title", "/rapportages");
    let t = page.t;
    let mut query = query.map(|q| q.0).unwrap_or_default();
    let channel_list = match service_level::channels(&state.store).await {
        Ok(c) => c,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let (mut errors, mut rows, mut total, mut previous) = (Vec::new(), Vec::new(), None, None);
    let (mut definition_label, mut definition_url) = (String::new(), String::new());
    let mut chosen = (Channel::Telefoon.code().to_owned(), String::from("day"), String::new(), String::new());
    let mut bars = (Vec::new(), 0.0);
    let mut callbacks = None;
    let mut contacts = None;
    match parse_service_level(&state, &query).await {
        Ok((request, kpi)) => {
            // The form shows what was counted, defaults included.
            query.from = Some(request.from.to_string());
            query.to = Some(request.to.to_string());
            query.threshold = Some(request.threshold_s.to_string());
            chosen = (
                request.channel.clone(),
                request.group.id().to_owned(),
                request.clock.id().to_owned(),
                request.denominator.id().to_owned(),
            );
            let drill = |from: &str, to: &str| {
                let q = [("from", from), ("to", to), ("channel", request.channel.as_str())];
                format!("/rapportages/gesprekken?{}", serde_urlencoded::to_string(q).unwrap_or_default())
            };
            let report = match service_level::report(&state.store, &request).await {
                Ok(r) => r,
                Err(e) => return problem_page(&headers, Some(&caller), e.into()),
            };
            // Only the previous period's total is shown.
            let mut earlier = request.previous();
            earlier.group = service_level::Group::None;
            let before = match service_level::report(&state.store, &earlier).await {
                Ok(r) => r,
                Err(e) => return problem_page(&headers, Some(&caller), e.into()),
            };
            let figures = async {
                let mut conn = state.store.acquire().await?;
                let (from, to) = request.instants();
                let (pfrom, pto) = earlier.instants();
                let now = crate::reports::callbacks::figures(&mut conn, from, to, None).await?;
                let then = crate::reports::callbacks::figures(&mut conn, pfrom, pto, None).await?;
                Ok::<_, crate::store::StoreError>((
                    CallbackView::new(now, request.from, request.to),
                    CallbackView::new(then, earlier.from, earlier.to),
                ))
            };
            callbacks = match figures.await {
                Ok(f) => Some(f),
                Err(e) => return problem_page(&headers, Some(&caller), e.into()),
            };
            let contacts_query = crate::reports::contacts::ContactsQuery {
                from: Some(request.from.to_string()),
                to: Some(request.to.to_string()),
                channel: None,
                by: per.clone(),
            };
            match crate::reports::contacts::ContactsRequest::parse(
                &contacts_query,
                &channel_list,
                request.from,
                request.to,
            ) {
                Ok(r) => match crate::reports::contacts::report(&state.store, &r, &kpi).await {
                    Ok(mut c) => {
                        for row in &mut c.rows {
                            row.label = row_label(&t, c.by, &row.key, &row.label);
                        }
                        contacts = Some(c)
                    }
                    Err(e) => return problem_page(&headers, Some(&caller), e.into()),
                },
                Err(e) => errors.extend(e),
            }
            definition_label = definition_words(&t, page.lang == "en", &report.definition);
            definition_url = report.definition.url.clone();
            let from = request.from.to_string();
            let to = request.to.to_string();
            let english = page.lang == "en";
            total = Some(RowView::new(&report.total, drill(&from, &to), english));
            let prev = request.previous();
            previous = Some(RowView::new(&before.total, drill(&prev.from.to_string(), &prev.to.to_string()), english));
            bars = chart(&report.rows, english);
            rows = report
                .rows
                .iter()
                .map(|r| {
                    let day = r.period.get(..10).unwrap_or(&r.period).to_owned();
                    let link = if r.period.contains('/') { drill(&from, &to) } else { drill(&day, &day) };
                    RowView::new(r, link, english)
                })
                .collect();
        }
        Err(problem) => errors = problem.errors,
    }
    let channels =
        channel_list.iter().map(|c| Choice { value: c.clone(), label: c.clone(), selected: *c == chosen.0 }).collect();
    let groups = options(
        &[
            ("day", t.get("reports.group_day").to_owned()),
            ("hour", t.get("reports.group_hour").to_owned()),
            ("none", t.get("reports.group_none").to_owned()),
        ],
        &chosen.1,
    );
    let clocks = clock_choices(&t, &chosen.2);
    let denominators = denominator_choices(&t, &chosen.3);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(
        status,
        &ReportsPage {
            page,
            query,
            errors: FormErrors::new(errors),
            channels,
            groups,
            clocks,
            denominators,
            definition_label,
            definition_url,
            total,
            previous,
            rows,
            chart_width: bars.1,
            callbacks,
            groupings: crate::reports::contacts::VolumeBy::ALL
                .iter()
                .map(|v| Choice {
                    value: v.id().to_owned(),
                    label: by_label(&t, *v),
                    selected: contacts.as_ref().is_some_and(|c| c.by == *v),
                })
                .collect(),
            by_label: contacts.as_ref().map(|c| by_label(&t, c.by)).unwrap_or_default(),
            contacts,
            bars: bars.0,
        },
    )
}

#[derive(Template)]
#[template(path = "kpi.html")]
struct KpiPage {
    page: PageContext,
    /// (id, words in the page's language, parameters).
    definitions: Vec<(&'static str, Wording, &'static [&'static str])>,
    /// The clock and the denominator in force, in words.
    current: (String, String),
    settings: KpiSettings,
    thresholds: Vec<(String, i32)>,
    may_edit: bool,
    clocks: Vec<Choice>,
    denominators: Vec<Choice>,
    errors: FormErrors,
    saved: bool,
}

async fn kpi_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    errors: Vec<FieldError>,
    saved: bool,
) -> Response {
    let page = PageContext::new(headers, Some(caller), "kpi.title", "/kpi");
    let settings = match settings::load(&state.store).await {
        Ok(s) => s,
        Err(e) => return problem_page(headers, Some(caller), e.into()),
    };
    let channels = match service_level::channels(&state.store).await {
        Ok(c) => c,
        Err(e) => return problem_page(headers, Some(caller), e.into()),
    };
    let thresholds = channels.iter().map(|c| (c.clone(), settings.threshold_for(c))).collect();
    let t = page.t;
    let clocks = clock_choices(&t, settings.clock.id());
    let denominators = denominator_choices(&t, settings.sl_denominator.id());
    let english = page.lang == "en";
    let definitions = catalogue::CATALOGUE.iter().map(|d| (d.id, d.wording(english), d.parameters)).collect();
    let current = (clock_label(&t, settings.clock), denominator_label(&t, settings.sl_denominator));
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(
        status,
        &KpiPage {
            page,
            definitions,
            current,
            may_edit: caller.can(Permission::ManageKpis),
            settings,
            thresholds,
            clocks,
            denominators,
            errors: FormErrors::naming_fields(errors),
            saved,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    opgeslagen: Option<String>,
}

pub async fn catalogue_page(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<axum::extract::Query<SavedQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let saved = query.is_ok_and(|q| q.opgeslagen.is_some());
    kpi_page(&state, &caller, &headers, Vec::new(), saved).await
}

/// The settings form: `threshold.{channel}` per channel, plus the other parameters.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let mut errors = Vec::new();
    let mut input = KpiSettings::default();
    input.sl_threshold_s.clear();
    for (key, value) in &form {
        match key.as_str() {
            "clock" => match Clock::parse("clock", value) {
                Ok(c) => input.clock = c,
                Err(e) => errors.push(e),
            },
            "sl_denominator" => match Denominator::parse("sl_denominator", value) {
                Ok(d) => input.sl_denominator = d,
                Err(e) => errors.push(e),
            },
            "short_abandon_s" => match settings::seconds("short_abandon_s", value, 600) {
                Ok(n) => input.short_abandon_s = n,
                Err(e) => errors.push(e),
            },
            "fcr_days" => match value.trim().parse() {
                Ok(n) => input.fcr_days = n,
                Err(_) => errors.push(FieldError::new("fcr_days", "not_a_number", "Geef een aantal dagen.")),
            },
            k => {
                if let Some(channel) = k.strip_prefix("threshold.") {
                    let field = format!("sl_threshold_s.{channel}");
                    match settings::seconds(&field, value, 24 * 3600) {
                        Ok(n) => {
                            input.sl_threshold_s.insert(channel.to_owned(), n);
                        }
                        Err(e) => errors.push(e),
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        match settings::save(&state.store, &caller.actor(), &input).await {
            Ok(_) => return Redirect::to("/kpi?opgeslagen=1").into_response(),
            Err(crate::reports::ReportError::Invalid(e)) => errors = e,
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        }
    }
    kpi_page(&state, &caller, &headers, errors, false).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CallsQuery {
    #[serde(flatten)]
    pub report: ServiceLevelQuery,
    /// `csv` for the whole selection as a download.
    #[serde(default)]
    pub format: Option<String>,
    /// Where the next page starts: `{arrived_at}_{id}` of the last call shown.
    #[serde(default)]
    pub na: Option<String>,
}

pub struct CallView {
    pub arrived: String,
    pub queue: String,
    pub agent: String,
    pub ivr_s: i32,
    pub queue_s: i32,
    pub talk_s: i32,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "report_calls.html")]
struct CallsPage {
    page: PageContext,
    heading: String,
    calls: Vec<CallView>,
    next_page: Option<String>,
    /// For Dutch Excel.
    csv: String,
    /// Comma-separated, for programs.
    csv_comma: String,
}

const CALLS_PER_PAGE: i64 = 100;

/// The calls behind a figure (drill-down), a page at a time, or all of them as CSV.
pub async fn calls(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<axum::extract::Query<CallsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "reports.calls_title", "/rapportages/gesprekken");
    let t = page.t;
    let query = query.map(|q| q.0).unwrap_or_default();
    let request = match parse_service_level(&state, &query.report).await {
        Ok((r, _)) => r,
        Err(problem) => return problem_page(&headers, Some(&caller), problem),
    };
    // "csv" opens in Dutch Excel; "csv-komma" is the comma-separated file for programs.
    match query.format.as_deref() {
        Some("csv") => return crate::http::api::reports::csv_response(&state, &request, CsvDialect::Excel),
        Some("csv-komma") => return crate::http::api::reports::csv_response(&state, &request, CsvDialect::Comma),
        _ => {}
    }
    let after = query.na.as_deref().and_then(|n| {
        let (at, id) = n.split_once('_')?;
        Some((at.parse().ok()?, id.parse().ok()?))
    });
    let selection = request.calls();
    let list = match crate::reports::calls::page(&state.store, &selection, after, CALLS_PER_PAGE).await {
        Ok(l) => l,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let base =
        [("from", request.from.to_string()), ("to", request.to.to_string()), ("channel", request.channel.clone())];
    let next_page = (list.len() as i64 == CALLS_PER_PAGE).then(|| list.last()).flatten().map(|last| {
        let mut q = base.to_vec();
        q.push(("na", format!("{}_{}", last.arrived_at.timestamp(), last.id)));
        format!("/rapportages/gesprekken?{}", serde_urlencoded::to_string(q).unwrap_or_default())
    });
    let download = |format: &str| {
        let mut q = base.to_vec();
        q.push(("format", format.to_owned()));
        format!("/rapportages/gesprekken?{}", serde_urlencoded::to_string(q).unwrap_or_default())
    };
    let calls = list
        .iter()
        .map(|c| CallView {
            arrived: crate::clock::format_local(c.arrived_at),
            queue: c.queue.clone(),
            agent: c.agent.clone().unwrap_or_default(),
            ivr_s: c.ivr_s,
            queue_s: c.queue_s,
            talk_s: c.talk_s,
            outcome: t.get(&format!("reports.outcome.{}", c.outcome.id())).to_owned(),
        })
        .collect();
    let heading = format!("{} · {} – {}", request.channel, request.from, request.to);
    render(
        StatusCode::OK,
        &CallsPage { page, heading, calls, next_page, csv: download("csv"), csv_comma: download("csv-komma") },
    )
}

pub struct ContactItemView {
    pub started: String,
    pub channel: String,
    pub subject: String,
    pub outcome: String,
    pub unit: String,
    /// The customer's page, for a caller who may open it.
    pub customer: Option<String>,
}

#[derive(Template)]
#[template(path = "report_contacts.html")]
struct ContactItemsPage {
    page: PageContext,
    heading: String,
    definition: String,
    definition_name: &'static str,
    total: i64,
    items: Vec<ContactItemView>,
    next_page: Option<String>,
}

/// The contacts behind a figure of the contacts report (drill-down), a page at a time.
pub async fn contact_items(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<axum::extract::Query<crate::reports::contacts::ItemsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "reports.contact_items_title", "/rapportages/contacten");
    let t = page.t;
    let query = query.map(|q| q.0).unwrap_or_default();
    let (request, kpi) = match crate::http::api::reports::parse_contact_items(&state, &query).await {
        Ok(r) => r,
        Err(problem) => return problem_page(&headers, Some(&caller), problem),
    };
    let list = match crate::reports::contacts::items(&state.store, &caller.actor(), &request, &kpi).await {
        Ok(l) => l,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let may_open = caller.can(Permission::FindCustomers);
    let next_page = list.next.as_ref().map(|next| {
        let q = crate::reports::contacts::ItemsQuery { after: Some(next.clone()), ..query.clone() };
        format!("/rapportages/contacten?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    });
    let what = match (&list.key, &list.label) {
        (Some(key), Some(label)) => format!("{} {}", by_label(&t, list.by), row_label(&t, list.by, key, label)),
        // A row that holds nothing in this period: named by its key.
        (Some(key), None) => format!("{} {}", by_label(&t, list.by), row_label(&t, list.by, key, key)),
        (None, _) => t.get(&format!("reports.figure.{}", list.figure.id())).to_owned(),
    };
    let channel = list.channel.clone().unwrap_or_else(|| t.get("reports.all_channels").to_owned());
    let heading = format!("{what} · {channel} · {} – {}", list.from, list.to);
    let items = list
        .items
        .iter()
        .map(|c| ContactItemView {
            started: crate::clock::format_local(c.started_at),
            channel: c.channel_name.clone(),
            subject: c.subject.clone(),
            outcome: c.outcome_name.clone().unwrap_or_default(),
            unit: c.unit_name.clone().unwrap_or_default(),
            customer: c.party_id.filter(|_| may_open).map(|p| format!("/klanten/{p}")),
        })
        .collect();
    render(
        StatusCode::OK,
        &ContactItemsPage {
            definition_name: t.get(match list.figure {
                Figure::Volume => "reports.contact_volume",
                Figure::ContactMade | Figure::ResolvedByAgent => "reports.fcr_agent",
                Figure::WithParty | Figure::WithoutRepeat => "reports.fcr_repeat",
            }),
            page,
            heading,
            definition: list.definition,
            total: list.total,
            items,
            next_page,
        },
    )
}

pub struct CallbackItemView {
    pub subject: String,
    pub created: String,
    pub due: String,
    pub done: String,
    pub outcome: String,
    pub attempts: u32,
    pub holder: String,
    pub customer: Option<String>,
}

#[derive(Template)]
#[template(path = "report_callbacks.html")]
struct CallbackItemsPage {
    page: PageContext,
    heading: String,
    total: i64,
    items: Vec<CallbackItemView>,
    next_page: Option<String>,
}

/// The callbacks behind a callback figure (drill-down), a page at a time.
pub async fn callback_items(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<
        axum::extract::Query<crate::reports::callbacks::ItemsQuery>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Response {
    let page =
        PageContext::new(&headers, Some(&caller), "reports.callback_items_title", "/rapportages/terugbelverzoeken");
    let t = page.t;
    let query = query.map(|q| q.0).unwrap_or_default();
    let request = match crate::http::api::callbacks::item_request(&query) {
        Ok(r) => r,
        Err(errors) => return problem_page(&headers, Some(&caller), crate::http::problem::Problem::invalid(errors)),
    };
    let list = match crate::reports::callbacks::behind(&state.store, &caller.actor(), &request).await {
        Ok(l) => l,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let may_open = caller.can(Permission::FindCustomers);
    let next_page = list.next.as_ref().map(|next| {
        let q = crate::reports::callbacks::ItemsQuery { after: Some(next.clone()), ..query.clone() };
        format!("/rapportages/terugbelverzoeken?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    });
    let day = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    let heading = format!(
        "{} · {} – {}",
        t.get(&format!("reports.cb_figure.{}", list.figure.id())),
        day(list.from),
        day(list.to - chrono::Duration::seconds(1))
    );
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(crate::clock::format_local).unwrap_or_default();
    let items = list
        .items
        .iter()
        .map(|c| CallbackItemView {
            subject: c.subject.clone(),
            created: crate::clock::format_local(c.created_at),
            due: when(c.due_at),
            done: when(c.done_at),
            outcome: c
                .outcome
                .as_deref()
                .map(|o| t.get(&format!("reports.cb_outcome.{o}")).to_owned())
                .unwrap_or_default(),
            attempts: c.attempts,
            holder: c.holder.clone(),
            customer: c.party_id.filter(|_| may_open).map(|p| format!("/klanten/{p}")),
        })
        .collect();
    render(StatusCode::OK, &CallbackItemsPage { page, heading, total: list.total, items, next_page })
}

/// Where the callbacks behind a callback figure of `[from, to]` are listed.
pub fn callbacks_link(from: &str, to: &str, figure: &str) -> String {
    let q = [("from", from), ("to", to), ("figure", figure)];
    format!("/rapportages/terugbelverzoeken?{}", serde_urlencoded::to_string(q).unwrap_or_default())
}

/// Where the contacts behind a figure of the contacts report are listed.
pub fn contacts_link(report: &crate::reports::contacts::ContactsReport, figure: &str, key: Option<&str>) -> String {
    let q = crate::reports::contacts::ItemsQuery {
        from: Some(report.from.to_string()),
        to: Some(report.to.to_string()),
        channel: report.channel.clone(),
        by: Some(report.by.id().to_owned()),
        key: key.map(str::to_owned),
        figure: Some(figure.to_owned()),
        ..Default::default()
    };
    format!("/rapportages/contacten?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
}

/// Where the calls behind a channel's response time are listed (channels with a seconds target).
pub fn response_link(report: &crate::reports::contacts::ContactsReport, channel: &str) -> String {
    let q = [("from", report.from.to_string()), ("to", report.to.to_string()), ("channel", channel.to_owned())];
    format!("/rapportages/gesprekken?{}", serde_urlencoded::to_string(q).unwrap_or_default())
}

#[derive(Template)]
#[template(path = "wallboard.html")]
struct WallboardPage {
    page: PageContext,
    channel: String,
    board: crate::reports::wallboard::Wallboard,
    service_level: String,
    asa: String,
    abandonment: String,
    stream: String,
    at_local: String,
}

/// The wall board: server-rendered once, then kept current by server-sent events.
pub async fn wallboard(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<
        axum::extract::Query<crate::http::api::reports::WallboardQuery>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "wallboard.title", "/wandbord");
    let query = query.map(|q| q.0).unwrap_or_default();
    let channel = match crate::http::api::reports::wallboard_channel(&state, &query).await {
        Ok(c) => c,
        Err(problem) => return problem_page(&headers, Some(&caller), problem),
    };
    let board = match crate::reports::wallboard::now(&state.store, &channel).await {
        Ok(b) => b,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let stream =
        format!("/wandbord/stroom?{}", serde_urlencoded::to_string([("channel", &channel)]).unwrap_or_default());
    render(
        StatusCode::OK,
        &WallboardPage {
            page,
            service_level: percent(board.today.service_level),
            asa: seconds(board.today.asa_s),
            abandonment: percent(board.today.abandonment),
            at_local: crate::clock::format_local(board.at),
            channel,
            board,
            stream,
        },
    )
}

/// How often the wall board's figures are sent.
const WALLBOARD_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Server-sent events: a `figures` event with the wall board's JSON every two seconds, until the
/// client leaves or the server stops.
pub async fn wallboard_stream(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<
        axum::extract::Query<crate::http::api::reports::WallboardQuery>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let query = query.map(|q| q.0).unwrap_or_default();
    let channel = match crate::http::api::reports::wallboard_channel(&state, &query).await {
        Ok(c) => c,
        Err(problem) => return problem_page(&headers, Some(&caller), problem),
    };
    let mut stopping = state.stopping.clone();
    let stream = futures_util::stream::unfold((state, channel, true), move |(state, channel, first)| async move {
        if !first {
            tokio::time::sleep(WALLBOARD_EVERY).await;
        }
        if *state.stopping.borrow() {
            return None;
        }
        let event = match crate::reports::wallboard::now(&state.store, &channel).await {
            Ok(b) => Event::default().event("figures").json_data(&b).unwrap_or_else(|_| Event::default().comment("")),
            Err(e) => {
                tracing::warn!(error = %e, "wall board figures failed");
                Event::default().event("unavailable").data("")
            }
        };
        Some((Ok::<_, std::convert::Infallible>(event), (state, channel, false)))
    });
    let until_stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    use futures_util::StreamExt;
    Sse::new(stream.take_until(until_stop)).keep_alive(KeepAlive::default()).into_response()
}

pub async fn wallboard_script() -> Response {
    super::search::javascript(include_str!("../../../static/wandbord.js"))
}
