//! Reports and the KPI catalogue: one definition per figure, with the parameters it was counted
//! with, so no figure is ever shown without saying what it counts.
//!
//! Rules:
//! - Every figure carries its definition (id, Dutch name, parameters) and a link to its
//!   explanation on `/kpi`. A beheerder sets the parameters; a report may override them per
//!   request (threshold, clock), and then says so in its definition.
//! - Periods are local days (or hours) in the organisation's time zone, so a day with a
//!   daylight-saving change has 23 or 25 hours, each labelled with its UTC offset.
//! - An empty period has no figure ("n.v.t."; `null` in the API), never 0 or NaN.
//! - Telephony figures come from calls (channels::telephony): offered = answered + abandoned
//!   after queueing at least the short-abandon threshold; waits are queue time, or IVR + queue
//!   time when the clock starts at arrival; answered within T = answered with wait ≤ T.

pub mod callbacks;
pub mod calls;
pub mod catalogue;
pub mod contacts;
pub mod service_level;
pub mod settings;
pub mod wallboard;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::store::StoreError;
use crate::validation::FieldError;

/// Where a drill-down page starts: `{unix microseconds}_{id}` of the last item shown.
pub fn cursor(at: DateTime<Utc>, id: Uuid) -> String {
    format!("{}_{id}", at.timestamp_micros())
}

/// Reads a [`cursor`]; empty is the first page.
pub fn parse_cursor(s: Option<&str>) -> Result<Option<(DateTime<Utc>, Uuid)>, FieldError> {
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let parsed = s
        .split_once('_')
        .and_then(|(at, id)| Some((DateTime::from_timestamp_micros(at.parse().ok()?)?, id.parse().ok()?)));
    parsed
        .map(Some)
        .ok_or_else(|| FieldError::new("after", "invalid_cursor", "Gebruik de 'next' van de vorige pagina."))
}

/// Items per drill-down page: 1–1000, 100 when not given.
pub fn parse_limit(s: Option<&str>) -> Result<usize, FieldError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(100),
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => Ok(n),
            _ => Err(FieldError::new("limit", "out_of_range", "Geef een aantal van 1 tot en met 1000.")),
        },
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("invalid report request")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Vec<FieldError>> for ReportError {
    fn from(errors: Vec<FieldError>) -> Self {
        ReportError::Invalid(errors)
    }
}
