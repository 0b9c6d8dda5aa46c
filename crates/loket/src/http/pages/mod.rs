//! Server-rendered HTML pages (askama templates, auto-escaped). Dutch by default, English on
//! request; every page shares one layout with a skip link, landmarks and a visible focus style.

pub mod account;
pub mod admin;
pub mod audit_log;
pub mod branding;
pub mod callbacks;
pub mod content;
pub mod customers;
pub mod desk;
pub mod email;
pub mod home;
pub mod knowledge;
pub mod language;
pub mod lists;
pub mod login;
pub mod notices;
pub mod organisation;
pub mod privacy;
pub mod reports;
pub mod search;
pub mod sla;
pub mod trees;
pub mod work;

use askama::Template;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use super::access::{Access, Routes};
use super::i18n::{Lang, Tr};
use crate::auth::{Caller, Permission};
use crate::validation::FieldError;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/", Access::Authenticated, home::show)
        .page(Method::GET, "/login", Access::Public, login::show)
        .page(Method::POST, "/login", Access::Public, login::submit)
        .page(Method::POST, "/logout", Access::Authenticated, login::logout)
        .page(Method::GET, "/taal/{lang}", Access::Public, language::switch)
        .page(Method::GET, "/organisatie", Access::Permission(Permission::ViewDirectory), organisation::show)
        .page(Method::POST, "/organisatie", Access::Permission(Permission::ManageUnits), organisation::create)
        .page(Method::GET, "/beheer/gebruikers", Access::Permission(Permission::ManageUsers), admin::users)
        .page(Method::POST, "/beheer/gebruikers", Access::Permission(Permission::ManageUsers), admin::create_user)
        .page(Method::GET, "/beheer/gebruikers/{id}", Access::Permission(Permission::ManageUsers), admin::edit)
        .page(Method::POST, "/beheer/gebruikers/{id}", Access::Permission(Permission::ManageUsers), admin::save)
        .page(
            Method::POST,
            "/beheer/gebruikers/{id}/wachtwoord",
            Access::Permission(Permission::ManageUsers),
            admin::reset_password,
        )
        .page(
            Method::POST,
            "/beheer/gebruikers/{id}/tokens",
            Access::Permission(Permission::ManageApiTokens),
            admin::issue_token,
        )
        .page(
            Method::POST,
            "/beheer/tokens/{id}/intrekken",
            Access::Permission(Permission::ManageApiTokens),
            admin::revoke_token,
        )
        .page(Method::GET, "/contacten/nieuw", Access::Permission(Permission::RegisterContacts), desk::show)
        .page(Method::POST, "/contacten", Access::Permission(Permission::RegisterContacts), desk::save)
        .page(Method::GET, "/bureau/gesprekken", Access::Permission(Permission::RegisterContacts), desk::calls_stream)
        .page(Method::GET, "/klanten", Access::Permission(Permission::FindCustomers), customers::list)
        .page(Method::POST, "/klanten", Access::Permission(Permission::RegisterContacts), customers::create)
        .page(Method::GET, "/klanten/{id}", Access::Permission(Permission::FindCustomers), customers::show)
        .page(
            Method::POST,
            "/klanten/{id}/contacten",
            Access::Permission(Permission::RegisterContacts),
            customers::register_contact,
        )
        .page(
            Method::POST,
            "/klanten/{id}/verzoeken",
            Access::Permission(Permission::RegisterContacts),
            customers::register_request,
        )
        .page(
            Method::POST,
            "/klanten/{id}/taken",
            Access::Permission(Permission::RegisterContacts),
            customers::create_task,
        )
        .page(
            Method::POST,
            "/verzoeken/{id}/status",
            Access::Permission(Permission::RegisterContacts),
            customers::change_request_status,
        )
        .page(Method::GET, "/taken", Access::Permission(Permission::WorkQueue), customers::worklist)
        .page(Method::GET, "/werkvoorraad", Access::Permission(Permission::WorkQueue), work::list)
        .page(Method::POST, "/werkvoorraad/{id}/oppakken", Access::Permission(Permission::WorkQueue), work::claim)
        .page(Method::GET, "/werkvoorraad/e-mail/{id}", Access::Permission(Permission::WorkQueue), email::show)
        .page(
            Method::POST,
            "/werkvoorraad/e-mail/{id}/oppakken",
            Access::Permission(Permission::WorkQueue),
            email::claim,
        )
        .page(
            Method::POST,
            "/werkvoorraad/e-mail/{id}/antwoord",
            Access::Permission(Permission::WorkQueue),
            email::answer,
        )
        .page(
            Method::POST,
            "/werkvoorraad/e-mail/{id}/afronden",
            Access::Permission(Permission::WorkQueue),
            email::close,
        )
        .page(
            Method::POST,
            "/werkvoorraad/{id}/terugzetten",
            Access::Permission(Permission::WorkQueue),
            work::return_to_team,
        )
        .page(Method::POST, "/werkvoorraad/{id}/overdragen", Access::Permission(Permission::WorkQueue), work::reassign)
        .page(Method::GET, "/terugbelverzoeken", Access::Permission(Permission::WorkQueue), callbacks::list)
        .page(
            Method::POST,
            "/klanten/{id}/terugbelverzoeken",
            Access::Permission(Permission::WorkQueue),
            callbacks::create,
        )
        .page(
            Method::POST,
            "/terugbelverzoeken/{id}/oppakken",
            Access::Permission(Permission::WorkQueue),
            callbacks::claim,
        )
        .page(
            Method::POST,
            "/terugbelverzoeken/{id}/terugzetten",
            Access::Permission(Permission::WorkQueue),
            callbacks::return_to_team,
        )
        .page(
            Method::POST,
            "/terugbelverzoeken/{id}/overdragen",
            Access::Permission(Permission::WorkQueue),
            callbacks::reassign,
        )
        .page(
            Method::POST,
            "/terugbelverzoeken/{id}/pogingen",
            Access::Permission(Permission::WorkQueue),
            callbacks::attempt,
        )
        .page(
            Method::POST,
            "/taken/{id}/afronden",
            Access::Permission(Permission::RegisterContacts),
            customers::complete_task,
        )
        .page(Method::GET, "/kennisbank", Access::Permission(Permission::ReadKnowledge), search::kennisbank)
        .page(Method::GET, "/redactie/zoeken", Access::Permission(Permission::ManageSearch), search::analytics_page)
        .page(Method::POST, "/redactie/zoeken/concept", Access::Permission(Permission::ManageSearch), search::draft)
        .page(Method::POST, "/redactie/zoeken/melding", Access::Permission(Permission::ManageSearch), search::feedback)
        .page(
            Method::GET,
            "/redactie/zoeken/geleerd",
            Access::Permission(Permission::ManageSearch),
            search::learning_page,
        )
        .page(
            Method::POST,
            "/redactie/zoeken/geleerd/terugzetten",
            Access::Permission(Permission::ManageSearch),
            search::learning_reset,
        )
        .page(Method::GET, "/redactie/synoniemen", Access::Permission(Permission::ManageSearch), search::synonyms_page)
        .page(
            Method::POST,
            "/redactie/synoniemen",
            Access::Permission(Permission::ManageSearch),
            search::synonyms_create,
        )
        .page(
            Method::POST,
            "/redactie/synoniemen/{id}",
            Access::Permission(Permission::ManageSearch),
            search::synonyms_update,
        )
        .page(
            Method::POST,
            "/redactie/synoniemen/{id}/verwijderen",
            Access::Permission(Permission::ManageSearch),
            search::synonyms_delete,
        )
        .page(
            Method::GET,
            "/kennisbank/meldingen",
            Access::Permission(Permission::ReadKnowledge),
            knowledge::my_feedback,
        )
        .page(Method::GET, "/kennisbank/{id}", Access::Permission(Permission::ReadKnowledge), knowledge::article)
        .page(
            Method::POST,
            "/kennisbank/{id}/feedback",
            Access::Permission(Permission::ReadKnowledge),
            knowledge::submit_feedback,
        )
        .page(
            Method::POST,
            "/kennisbank/{id}/beantwoord",
            Access::Permission(Permission::ReadKnowledge),
            knowledge::answered,
        )
        .page(
            Method::GET,
            "/redactie/feedback",
            Access::Permission(Permission::EditKnowledge),
            knowledge::feedback_worklist,
        )
        .page(
            Method::POST,
            "/redactie/feedback/{id}",
            Access::Permission(Permission::EditKnowledge),
            knowledge::handle_feedback,
        )
        .page(Method::GET, "/redactie", Access::Permission(Permission::EditKnowledge), knowledge::redactie)
        .page(
            Method::GET,
            "/redactie/artikelen/nieuw",
            Access::Permission(Permission::EditKnowledge),
            knowledge::new_article,
        )
        .page(Method::POST, "/redactie/artikelen", Access::Permission(Permission::EditKnowledge), knowledge::create)
        .page(Method::GET, "/redactie/artikelen/{id}", Access::Permission(Permission::EditKnowledge), knowledge::edit)
        .page(Method::POST, "/redactie/artikelen/{id}", Access::Permission(Permission::EditKnowledge), knowledge::save)
        .page(
            Method::POST,
            "/redactie/artikelen/{id}/stap",
            Access::Permission(Permission::EditKnowledge),
            knowledge::step,
        )
        .page(
            Method::POST,
            "/redactie/artikelen/{id}/herstel",
            Access::Permission(Permission::EditKnowledge),
            knowledge::restore,
        )
        .page(
            Method::GET,
            "/redactie/artikelen/{id}/vergelijk",
            Access::Permission(Permission::EditKnowledge),
            knowledge::diff,
        )
        .page(Method::GET, "/beslisbomen", Access::Permission(Permission::ReadKnowledge), trees::list)
        .page(Method::GET, "/beslisbomen/{id}", Access::Permission(Permission::ReadKnowledge), trees::run)
        .page(Method::GET, "/redactie/beslisbomen", Access::Permission(Permission::EditKnowledge), trees::editor)
        .page(Method::POST, "/redactie/beslisbomen", Access::Permission(Permission::EditKnowledge), trees::create)
        .page(Method::GET, "/redactie/beslisbomen/{id}", Access::Permission(Permission::EditKnowledge), trees::edit)
        .page(Method::POST, "/redactie/beslisbomen/{id}", Access::Permission(Permission::EditKnowledge), trees::save)
        .page(
            Method::POST,
            "/redactie/beslisbomen/{id}/stap",
            Access::Permission(Permission::EditKnowledge),
            trees::step,
        )
        .page(
            Method::POST,
            "/redactie/beslisbomen/{id}/herstel",
            Access::Permission(Permission::EditKnowledge),
            trees::restore,
        )
        .page(
            Method::GET,
            "/redactie/beslisbomen/{id}/vergelijk",
            Access::Permission(Permission::EditKnowledge),
            trees::diff,
        )
        .page(Method::GET, "/werkberichten", Access::Permission(Permission::ReadKnowledge), notices::show)
        .page(Method::POST, "/werkberichten", Access::Permission(Permission::WriteNotices), notices::create)
        .page(Method::POST, "/werkberichten/{id}/gelezen", Access::Permission(Permission::ReadKnowledge), notices::read)
        .page(
            Method::POST,
            "/werkberichten/{id}/beeindigen",
            Access::Permission(Permission::WriteNotices),
            notices::end,
        )
        .page(
            Method::GET,
            "/werkberichten/{id}/leesbevestigingen",
            Access::Permission(Permission::WriteNotices),
            notices::receipts,
        )
        .page(Method::GET, "/rapportages", Access::Permission(Permission::ViewReports), reports::show)
        .page(Method::GET, "/rapportages/gesprekken", Access::Permission(Permission::ViewReports), reports::calls)
        .page(
            Method::GET,
            "/rapportages/terugbelverzoeken",
            Access::Permission(Permission::ViewReports),
            reports::callback_items,
        )
        .page(
            Method::GET,
            "/rapportages/contacten",
            Access::Permission(Permission::ViewReports),
            reports::contact_items,
        )
        .page(Method::GET, "/wandbord", Access::Permission(Permission::ViewReports), reports::wallboard)
        .page(Method::GET, "/wandbord/stroom", Access::Permission(Permission::ViewReports), reports::wallboard_stream)
        .page(Method::GET, "/kpi", Access::Permission(Permission::ViewReports), reports::catalogue_page)
        .page(Method::POST, "/kpi", Access::Permission(Permission::ManageKpis), reports::save)
        .page(Method::GET, "/account", Access::Authenticated, account::show)
        .page(Method::POST, "/account/wachtwoord", Access::Authenticated, account::change_password)
        .page(Method::GET, "/beheer/verwerkingslog", Access::Permission(Permission::ReadAuditLog), audit_log::show)
        .page(Method::GET, "/beheer/privacy", Access::Permission(Permission::HandlePrivacyRequests), privacy::show)
        .page(Method::GET, "/beheer", Access::Authenticated, admin::overview)
        .page(Method::GET, "/beheer/huisstijl", Access::Permission(Permission::ManageBranding), branding::show)
        .page(Method::POST, "/beheer/huisstijl", Access::Permission(Permission::ManageBranding), branding::save)
        .page(
            Method::POST,
            "/beheer/huisstijl/logo",
            Access::Permission(Permission::ManageBranding),
            branding::save_logo,
        )
        .page(Method::GET, "/huisstijl.css", Access::Public, branding::stylesheet)
        .page(Method::GET, "/huisstijl/logo", Access::Public, branding::logo)
        .page(Method::GET, "/beheer/sla", Access::Permission(Permission::ManageSla), sla::show)
        .page(Method::GET, "/beheer/lijsten", Access::Permission(Permission::ManageContactLists), lists::show)
        .page(Method::POST, "/beheer/lijsten", Access::Permission(Permission::ManageContactLists), lists::save)
        .page(Method::POST, "/beheer/sla", Access::Permission(Permission::ManageSla), sla::save)
        .page(
            Method::GET,
            "/beheer/privacy/{id}/export",
            Access::Permission(Permission::HandlePrivacyRequests),
            privacy::export,
        )
        .page(
            Method::POST,
            "/beheer/privacy/{id}/wissen",
            Access::Permission(Permission::HandlePrivacyRequests),
            privacy::erase,
        )
        .page(Method::GET, "/static/loket.css", Access::Public, stylesheet)
        .page(Method::GET, "/static/zoeken.js", Access::Public, search::script)
        .page(Method::GET, "/static/werkplek.js", Access::Public, search::workspace_script)
        .page(Method::GET, "/static/bureau.js", Access::Public, search::desk_script)
        .page(Method::GET, "/static/wandbord.js", Access::Public, reports::wallboard_script)
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
    /// A count shown beside the label (unread werkberichten).
    pub badge: Option<i64>,
}

pub struct LangLink {
    pub href: String,
    pub code: &'static str,
    pub label: &'static str,
}

/// What the layout needs on every page.
pub struct PageContext {
    pub t: Tr,
    pub lang: &'static str,
    pub title: String,
    pub user_name: Option<String>,
    pub csrf_token: String,
    pub nav: Vec<NavItem>,
    pub other_lang: LangLink,
    /// The header's customer search box.
    pub find_customers: bool,
    /// "Nieuw contact" in the header, and Alt+N from every page.
    pub desk: bool,
    /// The organisation's name, logo and colour (the huisstijl in force for this request).
    pub brand: BrandView,
}

/// What the layout shows of the huisstijl.
pub struct BrandView {
    pub name: String,
    pub logo: bool,
    /// Asks browsers for the stylesheet and logo of this version.
    pub version: String,
}

tokio::task_local! {
    /// The huisstijl for the page being rendered; set per request by [`with_branding`].
    static BRANDING: std::sync::Arc<crate::branding::Branding>;
}

/// Middleware: every page rendered for this request shows the huisstijl in force. Pages are
/// built without the application state (`PageContext::new`), so the huisstijl travels with the
/// request's task; it is read from the store at most every few seconds (`branding::Cache`).
pub async fn with_branding(
    axum::extract::State(state): axum::extract::State<super::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path();
    // Not for the API, static files and the health and metrics endpoints (which must answer
    // without the database).
    if path.starts_with("/api/") || path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
    {
        return next.run(req).await;
    }
    let branding = state.branding.get(&state.store).await;
    BRANDING.scope(branding, next.run(req)).await
}

/// A menu entry: shown to everyone, to holders of one permission, or (the admin screens, one
/// entry for all so that the menu stays on one line) to holders of any admin permission.
#[derive(Clone, Copy)]
enum Shown {
    Always,
    With(Permission),
    Admin,
}

const NAV: [(&str, &str, Shown); 13] = [
    ("/", "nav.home", Shown::Always),
    ("/klanten", "nav.customers", Shown::With(Permission::FindCustomers)),
    ("/werkvoorraad", "nav.work", Shown::With(Permission::WorkQueue)),
    ("/taken", "nav.tasks", Shown::With(Permission::WorkQueue)),
    ("/terugbelverzoeken", "nav.callbacks", Shown::With(Permission::WorkQueue)),
    ("/werkberichten", "nav.notices", Shown::With(Permission::ReadKnowledge)),
    ("/kennisbank", "nav.knowledge", Shown::With(Permission::ReadKnowledge)),
    ("/redactie", "nav.redactie", Shown::With(Permission::EditKnowledge)),
    ("/rapportages", "nav.reports", Shown::With(Permission::ViewReports)),
    ("/wandbord", "nav.wallboard", Shown::With(Permission::ViewReports)),
    ("/organisatie", "nav.organisation", Shown::With(Permission::ViewDirectory)),
    ("/beheer", "nav.admin", Shown::Admin),
    ("/account", "nav.account", Shown::Always),
];

/// The admin screens on `/beheer`: where, what (title and one line), and who may use it.
pub const ADMIN_SCREENS: [(&str, &str, &str, Permission); 6] = [
    ("/beheer/gebruikers", "nav.users", "admin.users_about", Permission::ManageUsers),
    ("/beheer/verwerkingslog", "nav.audit_log", "admin.audit_log_about", Permission::ReadAuditLog),
    ("/beheer/privacy", "nav.privacy", "admin.privacy_about", Permission::HandlePrivacyRequests),
    ("/beheer/sla", "nav.sla", "admin.sla_about", Permission::ManageSla),
    ("/beheer/lijsten", "nav.lists", "admin.lists_about", Permission::ManageContactLists),
    ("/beheer/huisstijl", "nav.branding", "admin.branding_about", Permission::ManageBranding),
];

impl PageContext {
    /// `path` is where the language switch returns to; `title_key` names the page.
    pub fn new(headers: &HeaderMap, caller: Option<&Caller>, title_key: &str, path: &str) -> PageContext {
        let lang = Lang::from_headers(headers);
        let t = Tr::new(lang);
        let nav = match caller {
            Some(c) => NAV
                .iter()
                .filter(|(_, _, shown)| match shown {
                    Shown::Always => true,
                    Shown::With(p) => c.can(*p),
                    Shown::Admin => ADMIN_SCREENS.iter().any(|(.., p)| c.can(*p)),
                })
                .map(|(href, key, _)| NavItem {
                    href,
                    label: Tr::new(lang).get(key),
                    current: *href == path || (*href == "/beheer" && path.starts_with("/beheer/")),
                    badge: if *href == "/werkberichten" { c.unread_notices.filter(|n| *n > 0) } else { None },
                })
                .collect(),
            None => Vec::new(),
        };
        let other = if lang == Lang::Nl { Lang::En } else { Lang::Nl };
        let back = serde_urlencoded::to_string([("terug", path)]).unwrap_or_default();
        let branding = BRANDING.try_with(|b| b.clone()).unwrap_or_default();
        PageContext {
            brand: BrandView {
                name: branding.name.clone(),
                logo: branding.logo.is_some(),
                version: branding.version.clone(),
            },
            t,
            lang: lang.code(),
            title: t.get(title_key).to_owned(),
            user_name: caller.map(|c| c.display_name.clone()),
            csrf_token: caller.and_then(Caller::csrf_token).unwrap_or_default().to_owned(),
            nav,
            find_customers: caller.is_some_and(|c| c.can(Permission::FindCustomers)),
            desk: caller.is_some_and(|c| c.can(Permission::RegisterContacts)),
            other_lang: LangLink {
                href: format!("/taal/{}?{back}", other.code()),
                code: other.code(),
                label: if other == Lang::En { "English" } else { "Nederlands" },
            },
        }
    }
}

/// Field errors of a form, looked up by field name in templates.
#[derive(Default)]
pub struct FormErrors(pub Vec<FieldError>, pub FieldNames);

/// Whether an error summary names the field of each error: on the settings screens, whose
/// fields are the setting names the page shows (`thresholds.telefoon`); elsewhere the message
/// sits beside its field and the summary gives the message alone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FieldNames {
    #[default]
    Hidden,
    Shown,
}

impl FormErrors {
    pub fn new(errors: Vec<FieldError>) -> FormErrors {
        FormErrors(errors, FieldNames::Hidden)
    }

    /// For the settings screens: the summary names each field.
    pub fn naming_fields(errors: Vec<FieldError>) -> FormErrors {
        FormErrors(errors, FieldNames::Shown)
    }

    /// A field name as a person reads it: the weekday instead of its index in a week of opening
    /// hours (`hours.week.0` → `hours.maandag`); other names are the settings' own.
    pub fn label(&self, t: &Tr, e: &FieldError) -> String {
        let parts: Vec<&str> = e.field.split('.').collect();
        let mut out: Vec<String> = Vec::with_capacity(parts.len());
        let mut i = 0;
        while i < parts.len() {
            let day = parts.get(i + 1).and_then(|d| d.parse::<usize>().ok()).filter(|d| *d < 7);
            match (parts[i], day) {
                ("week", Some(d)) => {
                    out.push(t.get(&format!("reports.weekday.{}", d + 1)).to_owned());
                    i += 2;
                }
                (part, _) => {
                    out.push(part.to_owned());
                    i += 1;
                }
            }
        }
        out.join(".")
    }

    /// The message for `field`, in the reader's language.
    pub fn text(&self, t: &Tr, field: &str) -> Option<String> {
        self.0.iter().find(|e| e.field == field).map(|e| t.message(e))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    pub fn names_fields(&self) -> bool {
        self.1 == FieldNames::Shown
    }
}

/// Renders a template; a template error is a bug, answered with a plain 500.
/// The mark of open work with a due time (a border and a word): overdue, near or ok.
pub fn urgency(remaining: Option<&crate::sla::Remaining>) -> &'static str {
    match remaining {
        Some(r) if r.overdue => "overdue",
        Some(r) if r.near_breach => "near",
        _ => "ok",
    }
}

pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Interne fout").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    status: u16,
    detail: String,
}

/// An error page for refusals and failures outside a handler (the guard, the fallback).
pub fn error_page(headers: &HeaderMap, status: StatusCode, title_key: &str, detail: &str) -> Response {
    let page = PageContext::new(headers, None, title_key, "/");
    let detail = if detail.is_empty() { String::new() } else { page.t.detail(status.as_u16(), detail, &[]) };
    render(status, &ErrorPage { page, status: status.as_u16(), detail })
}

/// Shows a domain failure inside a page handler: the problem's title and detail, its status.
pub fn problem_page(headers: &HeaderMap, caller: Option<&Caller>, problem: super::problem::Problem) -> Response {
    let page = PageContext::new(headers, caller, "error.title", "/");
    let dutch = problem.detail.clone().unwrap_or_else(|| problem.title.clone());
    let detail = page.t.detail(problem.status, &dutch, &problem.errors);
    let mut response = render(problem.status(), &ErrorPage { page, status: problem.status, detail });
    if let Some(secs) = problem.retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// A page handler's error, so that a handler can use `?`: it carries the problem, and the
/// route guard renders it as the error page in the reader's language, with their menu (a page
/// needs both, and the guard has both). On its own, outside a guarded page, it is a bare status.
pub struct PageError(Box<super::problem::Problem>);

/// The problem a page handler failed with, left on the response for the guard to render.
#[derive(Clone)]
pub struct PageProblem(pub super::problem::Problem);

impl<E: Into<super::problem::Problem>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(Box::new(e.into()))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.0.status().into_response();
        response.extensions_mut().insert(PageProblem(*self.0));
        response
    }
}

/// What a page handler answers: the page, or the error page.
pub type PageResult = Result<Response, PageError>;

/// The `{id}` of a page's path. Anything that is not a UUID names nothing: the 404 page.
pub struct PageId(pub uuid::Uuid);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Response> {
        axum::extract::Path::<uuid::Uuid>::from_request_parts(parts, state)
            .await
            .map(|p| PageId(p.0))
            .map_err(|_| error_page(&parts.headers, StatusCode::NOT_FOUND, "error.not_found", ""))
    }
}

async fn stylesheet() -> Response {
    let mut response = include_str!("../../../static/loket.css").into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::i18n::Lang;

    #[test]
    fn an_error_on_a_day_of_opening_hours_names_the_weekday() {
        let errors = FormErrors::naming_fields(Vec::new());
        let e = FieldError::new("hours.week.0", "closes_before_opening", "x");
        assert_eq!(errors.label(&Tr::new(Lang::Nl), &e), "hours.maandag");
        let e = FieldError::new("units.abc.hours.week.6", "overlapping_openings", "x");
        assert_eq!(errors.label(&Tr::new(Lang::En), &e), "units.abc.hours.Sunday");
        let e = FieldError::new("callbacks.max_attempts", "out_of_range", "x");
        assert_eq!(errors.label(&Tr::new(Lang::Nl), &e), "callbacks.max_attempts");
    }
}
