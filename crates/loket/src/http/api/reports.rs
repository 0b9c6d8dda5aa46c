//! Reports, the KPI catalogue and its parameters, and live call events.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::channels::telephony::{Call, events};
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiQuery, Problem};
use crate::reports::calls::CsvDialect;
use crate::reports::catalogue::{self, KpiDefinition};
use crate::reports::contacts::{
    ContactItems, ContactsQuery, ContactsReport, ContactsRequest, ItemsQuery, ItemsRequest,
};
use crate::reports::service_level::{self, ServiceLevelQuery, ServiceLevelReport, ServiceLevelRequest};
use crate::reports::settings::{self, KpiSettings};
use crate::validation::FieldError;

/// Today and the first of this month in Dutch time: the period when a query names none.
pub fn this_month() -> (NaiveDate, NaiveDate) {
    let today = crate::clock::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    (today.with_day(1).unwrap_or(today), today)
}

/// Checks a service-level query against the settings and the channel list.
pub async fn parse_service_level(
    state: &AppState,
    query: &ServiceLevelQuery,
) -> Result<(ServiceLevelRequest, KpiSettings), Problem> {
    let kpi = settings::load(&state.store).await?;
    let channels = service_level::channels(&state.store).await?;
    let (first, today) = this_month();
    let request = ServiceLevelRequest::parse(query, &kpi, &channels, first, today).map_err(Problem::invalid)?;
    Ok((request, kpi))
}

/// Service level, ASA, AHT and abandonment per day, hour or for the whole period, with the
/// definition the figures were counted by. Periods without calls have `null` figures.
#[utoipa::path(get, path = "/api/v1/reports/service-level", tag = "reports", params(ServiceLevelQuery),
    responses((status = 200, body = ServiceLevelReport), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn service_level(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ServiceLevelQuery>,
) -> Result<Json<ServiceLevelReport>, Problem> {
    let (request, _) = parse_service_level(&state, &query).await?;
    Ok(Json(service_level::report(&state.store, &request).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiCatalogue {
    pub definitions: Vec<KpiDefinition>,
    pub settings: KpiSettings,
}

/// Every KPI definition, in Dutch, with the parameters currently set.
#[utoipa::path(get, path = "/api/v1/kpis", tag = "reports",
    responses((status = 200, body = KpiCatalogue), (status = 403, body = Problem)))]
pub async fn kpis(State(state): State<AppState>, _caller: Caller) -> Result<Json<KpiCatalogue>, Problem> {
    let settings = settings::load(&state.store).await?;
    Ok(Json(KpiCatalogue { definitions: catalogue::CATALOGUE.to_vec(), settings }))
}

/// Sets every KPI parameter at once (beheerder); nothing changes when one is invalid.
#[utoipa::path(put, path = "/api/v1/kpi-settings", tag = "reports", request_body = KpiSettings,
    responses((status = 200, body = KpiSettings), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<KpiSettings>,
) -> Result<Json<KpiSettings>, Problem> {
    Ok(Json(settings::save(&state.store, &caller.actor(), &input).await?))
}

/// A live event of the telephony platform: `offered` (joined a queue), `answered`, `abandoned`,
/// `ended`. Events must come in that order per call.
#[utoipa::path(post, path = "/api/v1/telephony/events", tag = "reports", request_body = events::CallEvent,
    responses((status = 200, body = Call), (status = 201, body = Call), (status = 400, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn call_event(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(event): ApiJson<events::CallEvent>,
) -> Result<impl IntoResponse, Problem> {
    let call = events::apply(&state.store, &event).await?;
    let status = if event.event == events::EventKind::Offered { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(call)))
}

/// The whole selection as a streamed CSV download.
pub fn csv_response(state: &AppState, request: &ServiceLevelRequest, dialect: CsvDialect) -> Response {
    use futures_util::StreamExt;
    let stream = crate::reports::calls::csv(state.store.clone(), request.calls(), dialect)
        .map(|r| r.map(axum::body::Bytes::from));
    let filename =
        format!("attachment; filename=\"gesprekken-{}-{}-{}.csv\"", request.channel, request.from, request.to);
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, filename),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

/// Every call behind a report (one channel, from–to), as CSV streamed without a row limit.
/// Times are in the report's time zone, with their offset.
#[utoipa::path(get, path = "/api/v1/reports/calls", tag = "reports", params(ServiceLevelQuery, CsvFormatQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = Problem)))]
pub async fn calls_csv(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ServiceLevelQuery>,
    ApiQuery(format): ApiQuery<CsvFormatQuery>,
) -> Result<Response, Problem> {
    let dialect = match format.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        None => CsvDialect::Excel,
        Some(f) => CsvDialect::parse(f)
            .ok_or_else(|| Problem::invalid(vec![FieldError::new("format", "invalid", "Kies excel of comma.")]))?,
    };
    let (request, _) = parse_service_level(&state, &query).await?;
    Ok(csv_response(&state, &request, dialect))
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CsvFormatQuery {
    /// `excel` (default): semicolons, UTF-8 with a byte-order mark, Dutch column names, local
    /// times, for Dutch Excel; `comma`: commas, the English column names, RFC 3339 times.
    pub format: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct WallboardQuery {
    /// Default telefoon.
    pub channel: Option<String>,
}

/// Checks the wall board's channel.
pub async fn wallboard_channel(state: &AppState, query: &WallboardQuery) -> Result<String, Problem> {
    let channels = service_level::channels(&state.store).await?;
    let channel =
        service_level::channel_or_phone(query.channel.as_deref(), &channels).map_err(|e| Problem::invalid(vec![e]))?;
    Ok(channel)
}

/// Today's figures, the calls waiting now, open callbacks by age and items near breach (what
/// the wall board shows).
#[utoipa::path(get, path = "/api/v1/reports/wallboard", tag = "reports", params(WallboardQuery),
    responses((status = 200, body = crate::reports::wallboard::Wallboard), (status = 400, body = Problem)))]
pub async fn wallboard(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<WallboardQuery>,
) -> Result<Json<crate::reports::wallboard::Wallboard>, Problem> {
    let channel = wallboard_channel(&state, &query).await?;
    Ok(Json(crate::reports::wallboard::now(&state.store, &channel).await?))
}

/// Contact volumes by channel, subject, outcome, afdeling, hour or weekday; both FCR
/// definitions; the response time per channel against its SLA target.
#[utoipa::path(get, path = "/api/v1/reports/contacts", tag = "reports", params(ContactsQuery),
    responses((status = 200, body = ContactsReport), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn contacts(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ContactsQuery>,
) -> Result<Json<ContactsReport>, Problem> {
    let kpi = settings::load(&state.store).await?;
    let channels = service_level::channels(&state.store).await?;
    let (first, today) = this_month();
    let request = ContactsRequest::parse(&query, &channels, first, today).map_err(Problem::invalid)?;
    Ok(Json(crate::reports::contacts::report(&state.store, &request, &kpi).await?))
}

/// The contacts behind a figure of the contacts report (drill-down): one row of the volume
/// (`by` + `key`) or one count of either FCR definition (`figure`), a page at a time. `total` is
/// the figure itself. Written to the audit log.
#[utoipa::path(get, path = "/api/v1/reports/contacts/items", tag = "reports", params(ItemsQuery),
    responses((status = 200, body = ContactItems), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn contact_items(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ItemsQuery>,
) -> Result<Json<ContactItems>, Problem> {
    let (request, kpi) = parse_contact_items(&state, &query).await?;
    Ok(Json(crate::reports::contacts::items(&state.store, &caller.actor(), &request, &kpi).await?))
}

/// Checks a drill-down query against the channel list; the period defaults to this month.
pub async fn parse_contact_items(state: &AppState, query: &ItemsQuery) -> Result<(ItemsRequest, KpiSettings), Problem> {
    let kpi = settings::load(&state.store).await?;
    let channels = service_level::channels(&state.store).await?;
    let (first, today) = this_month();
    let request = ItemsRequest::parse(query, &channels, first, today).map_err(Problem::invalid)?;
    Ok((request, kpi))
}
