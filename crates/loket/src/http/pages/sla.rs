//! Opening hours, closures, response-time targets and the callback policy (/beheer/sla). One
//! form per scope: the organisation's hours, or a channel's or team's own hours.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{Datelike, NaiveDate, NaiveTime};
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::Caller;
use crate::clock;
use crate::contacts::contact;
use crate::http::AppState;
use crate::organisation;
use crate::sla::hours::{Opening, OpeningHours};
use crate::sla::{self, SlaError, SlaPolicy, Target, holidays, policy::CALLBACK};
use crate::validation::FieldError;

/// Which hours the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HoursScope {
    Organisation,
    Channel(String),
    Team(Uuid),
}

impl HoursScope {
    fn parse(s: &str) -> HoursScope {
        match s.split_once(':') {
            Some(("kanaal", code)) if !code.is_empty() => HoursScope::Channel(code.to_owned()),
            Some(("team", id)) => id.parse().map_or(HoursScope::Organisation, HoursScope::Team),
            _ => HoursScope::Organisation,
        }
    }

    fn value(&self) -> String {
        match self {
            HoursScope::Organisation => "organisatie".to_owned(),
            HoursScope::Channel(code) => format!("kanaal:{code}"),
            HoursScope::Team(id) => format!("team:{id}"),
        }
    }

    fn own<'a>(&self, policy: &'a SlaPolicy) -> Option<&'a OpeningHours> {
        match self {
            HoursScope::Organisation => Some(&policy.hours),
            HoursScope::Channel(code) => policy.channel_hours.get(code),
            HoursScope::Team(id) => policy.team_hours.get(id),
        }
    }
}

pub struct TargetRow {
    pub key: String,
    pub label: String,
    pub working_day: bool,
    pub value: i64,
}

pub struct DayRow {
    pub index: usize,
    pub name: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "sla.html")]
struct SlaPage {
    page: PageContext,
    scopes: Vec<(String, String, bool)>,
    scope: String,
    is_organisation: bool,
    has_own: bool,
    days: Vec<DayRow>,
    closures: String,
    closed_on_holidays: bool,
    targets: Vec<TargetRow>,
    max_attempts: u32,
    spacing_minutes: u32,
    holidays: Vec<(String, &'static str, bool)>,
    errors: FormErrors,
    saved: bool,
}

const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

/// "08:30-12:00, 13:00-17:00"; empty is closed.
fn format_openings(openings: &[Opening]) -> String {
    openings
        .iter()
        .map(|o| format!("{}-{}", o.opens.format("%H:%M"), o.closes.format("%H:%M")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_openings(field: &str, text: &str) -> Result<Vec<Opening>, FieldError> {
    let bad =
        || FieldError::new(field, "invalid_hours", "Schrijf openingstijden als 08:30-17:00, meerdere met een komma.");
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            let (opens, closes) = part.split_once('-').ok_or_else(bad)?;
            let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| bad());
            Ok(Opening { opens: time(opens)?, closes: time(closes)? })
        })
        .collect()
}

fn parse_closures(text: &str) -> Result<Vec<NaiveDate>, FieldError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            NaiveDate::parse_from_str(l, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(l, "%d-%m-%Y")).map_err(
                |_| {
                    FieldError::new(
                        "closures",
                        "invalid_date",
                        format!("'{l}' is geen datum (DD-MM-JJJJ of JJJJ-MM-DD)."),
                    )
                },
            )
        })
        .collect()
}

async fn sla_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    scope: HoursScope,
    shown: Option<SlaPolicy>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Response {
    let page = PageContext::new(headers, Some(caller), "sla.title", "/beheer/sla");
    let loaded = sla::current(&state.store).await;
    let (policy, channels, units) =
        match (loaded, contact::channels(&state.store).await, organisation::list(&state.store).await) {
            (Ok(p), Ok(c), Ok(u)) => (shown.unwrap_or(p), c, u),
            (Err(e), _, _) => return problem_page(headers, Some(caller), e.into()),
            (_, Err(e), _) => return problem_page(headers, Some(caller), e.into()),
            (_, _, Err(e)) => return problem_page(headers, Some(caller), e.into()),
        };
    let mut scopes = vec![("organisatie".to_owned(), page.t.get("sla.organisation").to_owned(), false)];
    scopes.extend(
        channels
            .iter()
            .map(|c| (format!("kanaal:{}", c.code), format!("{}: {}", page.t.get("sla.channel"), c.name), false)),
    );
    scopes.extend(
        units.iter().map(|u| (format!("team:{}", u.id), format!("{}: {}", page.t.get("sla.team"), u.name), false)),
    );
    for s in &mut scopes {
        s.2 = s.0 == scope.value();
    }
    let own = scope.own(&policy);
    let hours = own.unwrap_or(&policy.hours);
    let mut targets: Vec<TargetRow> = channels
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .chain(std::iter::once((CALLBACK.to_owned(), page.t.get("callbacks.title").to_owned())))
        .map(|(key, label)| {
            let (working_day, value) = match policy.target(&key) {
                Target::OpenSeconds { seconds } => (false, seconds),
                Target::WorkingDay { later_days } => (true, i64::from(later_days)),
            };
            TargetRow { key, label, working_day, value }
        })
        .collect();
    targets.dedup_by(|a, b| a.key == b.key);
    let year = clock::now().with_timezone(&chrono_tz::Europe::Amsterdam).year();
    let holidays = (year..=year + 1)
        .flat_map(holidays::of_year)
        .map(|h| (h.date.format("%d-%m-%Y").to_string(), h.name, h.closed))
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(
        status,
        &SlaPage {
            page,
            scope: scope.value(),
            is_organisation: scope == HoursScope::Organisation,
            has_own: own.is_some(),
            days: DAYS
                .iter()
                .enumerate()
                .map(|(index, name)| DayRow { index, name, text: format_openings(&hours.week[index]) })
                .collect(),
            closures: hours.closures.iter().map(|d| d.format("%d-%m-%Y").to_string()).collect::<Vec<_>>().join("\n"),
            closed_on_holidays: hours.closed_on_holidays,
            targets,
            max_attempts: policy.callbacks.max_attempts,
            spacing_minutes: policy.callbacks.spacing_minutes,
            holidays,
            scopes,
            errors: FormErrors::naming_fields(errors),
            saved,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct SlaQuery {
    #[serde(default)]
    voor: String,
    #[serde(default)]
    opgeslagen: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<SlaQuery>,
) -> Response {
    sla_page(&state, &caller, &headers, HoursScope::parse(&q.voor), None, Vec::new(), q.opgeslagen.is_some()).await
}

/// The whole form: `voor`, `own_hours`, `day.0`…`day.6`, `closures`, `closed_on_holidays`,
/// `target.{key}.kind` / `target.{key}.value`, `max_attempts`, `spacing_minutes`.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let get = |key: &str| form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let scope = HoursScope::parse(get("voor").unwrap_or(""));
    let mut policy = {
        match sla::current(&state.store).await {
            Ok(p) => p,
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        }
    };
    let mut errors = Vec::new();
    let mut number = |field: &str| -> Option<i64> {
        match get(field).map(str::trim).unwrap_or("").parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new(field, "not_a_number", "Geef een geheel getal."));
                None
            }
        }
    };
    let max_attempts = number("max_attempts");
    let spacing = number("spacing_minutes");
    let mut targets = Vec::new();
    for (key, _) in &form {
        let Some(code) = key.strip_prefix("target.").and_then(|k| k.strip_suffix(".kind")).filter(|c| !c.is_empty())
        else {
            continue;
        };
        if let Some(n) = number(&format!("target.{code}.value")) {
            targets.push((code.to_owned(), get(key) == Some("working_day"), n));
        }
    }
    if let Some(n) = max_attempts {
        policy.callbacks.max_attempts = u32::try_from(n).unwrap_or(0);
    }
    if let Some(n) = spacing {
        policy.callbacks.spacing_minutes = u32::try_from(n).unwrap_or(0);
    }
    for (code, working_day, n) in targets {
        let target = if working_day {
            Target::WorkingDay { later_days: u32::try_from(n).unwrap_or(u32::MAX) }
        } else {
            Target::OpenSeconds { seconds: n }
        };
        policy.targets.insert(code, target);
    }
    let own = scope == HoursScope::Organisation || get("own_hours").is_some();
    let hours = if own {
        let mut hours = OpeningHours::always();
        for (i, day) in hours.week.iter_mut().enumerate() {
            let field = format!("day.{i}");
            match parse_openings(&field, get(&field).unwrap_or("")) {
                Ok(o) => *day = o,
                Err(e) => errors.push(e),
            }
        }
        match parse_closures(get("closures").unwrap_or("")) {
            Ok(c) => hours.closures = c,
            Err(e) => errors.push(e),
        }
        hours.closed_on_holidays = get("closed_on_holidays").is_some();
        Some(hours)
    } else {
        None
    };
    match (&scope, hours) {
        (HoursScope::Organisation, Some(h)) => policy.hours = h,
        (HoursScope::Channel(code), Some(h)) => {
            policy.channel_hours.insert(code.clone(), h);
        }
        (HoursScope::Team(id), Some(h)) => {
            policy.team_hours.insert(*id, h);
        }
        (HoursScope::Channel(code), None) => {
            policy.channel_hours.remove(code);
        }
        (HoursScope::Team(id), None) => {
            policy.team_hours.remove(id);
        }
        (HoursScope::Organisation, None) => {}
    }
    if errors.is_empty() {
        match sla::save(&state.store, &caller.actor(), &policy).await {
            Ok(_) => {
                let back = serde_urlencoded::to_string([("voor", scope.value().as_str()), ("opgeslagen", "1")])
                    .unwrap_or_default();
                return Redirect::to(&format!("/beheer/sla?{back}")).into_response();
            }
            Err(SlaError::Invalid(e)) => errors = e,
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        }
    }
    sla_page(&state, &caller, &headers, scope, Some(policy), errors, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openings_are_read_as_times_separated_by_commas_and_an_empty_day_is_closed() {
        let o = parse_openings("day.0", "08:30-12:00, 13:00-17:00").unwrap();
        assert_eq!(format_openings(&o), "08:30-12:00, 13:00-17:00");
        assert!(parse_openings("day.6", "  ").unwrap().is_empty());
        assert_eq!(parse_openings("day.1", "8 tot 5").unwrap_err().code, "invalid_hours");
    }

    #[test]
    fn closures_take_dutch_and_iso_dates_one_per_line() {
        let c = parse_closures("24-12-2026\n2026-12-31\n").unwrap();
        assert_eq!(c.len(), 2);
        assert!(parse_closures("morgen").is_err());
    }
}
