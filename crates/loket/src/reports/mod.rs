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

pub mod calls;
pub mod catalogue;
pub mod contacts;
pub mod service_level;
pub mod settings;
pub mod wallboard;

use crate::store::StoreError;
use crate::validation::FieldError;

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
