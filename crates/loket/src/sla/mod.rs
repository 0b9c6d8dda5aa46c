//! Service-level agreements: when the organisation is open, which days are Dutch public holidays,
//! the response-time targets, and how an SLA clock runs.
//!
//! Rules:
//! - Holidays are computed per year, never typed in: the fixed ones, the Easter-based ones
//!   (Goede Vrijdag, Pasen, Hemelvaart, Pinksteren) and Koningsdag, which moves to 26 April when
//!   27 April is a Sunday. Goede Vrijdag and Bevrijdingsdag (outside lustrum years) are listed but
//!   not closing days by default: most municipalities are open then.
//! - Opening hours are given per weekday in Europe/Amsterdam wall-clock time; a holiday or a
//!   one-off closure closes the whole day. Daylight-saving changes are handled by the time zone,
//!   so an opening at 08:00 is 08:00 local on both sides of a change.
//! - A team's hours go before its channel's, a channel's before the organisation's.
//! - An SLA clock only runs while open: a due time adds open time, and the time left counts open
//!   time only. Something due in the past is overdue even when the office has been closed since.
//! - The policy is one document, saved whole by a beheerder (audited) or not at all; a stored
//!   policy that no longer parses falls back to the defaults, with a log line.

pub mod holidays;
pub mod hours;
pub mod policy;

pub use policy::{CallbackPolicy, Remaining, SlaPolicy, Target};

use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::clock;
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::FieldError;

/// The settings key the policy is stored under.
const KEY: &str = "sla_policy";

#[derive(Debug, thiserror::Error)]
pub enum SlaError {
    #[error("invalid SLA policy")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The policy in force (the defaults until a beheerder saves one).
pub async fn load(ex: &mut impl Executor) -> Result<SlaPolicy, StoreError> {
    let Some(json) = store::kpi_settings::get(ex, KEY).await? else { return Ok(SlaPolicy::default()) };
    Ok(serde_json::from_str(&json).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "the stored SLA policy does not parse; using the defaults");
        SlaPolicy::default()
    }))
}

/// [`load`] on a connection of its own.
pub async fn current(store: &Store) -> Result<SlaPolicy, StoreError> {
    let mut conn = store.acquire().await?;
    load(&mut conn).await
}

/// Replaces the policy; nothing changes when any part is invalid.
pub async fn save(store: &Store, actor: &Actor, policy: &SlaPolicy) -> Result<SlaPolicy, SlaError> {
    let mut tx = store.begin().await?;
    let channels: Vec<String> = store::contacts::channels(&mut tx).await?.into_iter().map(|c| c.code).collect();
    let teams: Vec<uuid::Uuid> = store::units::list(&mut tx).await?.into_iter().map(|u| u.id).collect();
    policy.check(&channels, &teams).map_err(SlaError::Invalid)?;
    let mut policy = policy.clone();
    for hours in std::iter::once(&mut policy.hours)
        .chain(policy.channel_hours.values_mut())
        .chain(policy.team_hours.values_mut())
    {
        hours.closures.sort();
        hours.closures.dedup();
    }
    // Plain data with string keys: serialising cannot fail.
    let json = serde_json::to_string(&policy).expect("an SLA policy serialises");
    store::kpi_settings::put(&mut tx, KEY, &json, clock::now(), &actor.name).await?;
    let mut event = AuditEvent::new(AuditAction::SlaPolicyChanged, "sla_policy", None);
    event.detail = serde_json::to_value(&policy).ok();
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    Ok(policy)
}
