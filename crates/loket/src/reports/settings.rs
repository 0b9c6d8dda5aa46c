//! The KPI parameters a beheerder sets: SL threshold per channel, denominator, clock start,
//! short-abandon threshold and the FCR window. Defaults are those of docs/DOMAIN.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ReportError;
use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::channels::Channel;
use crate::clock;
use crate::store::{self, Store};
use crate::validation::{Checks, FieldError};

/// Where the wait is measured from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// From entering the queue (after the IVR menu).
    Queue,
    /// From arrival, including the time in the IVR menu.
    Arrival,
}

impl Clock {
    pub fn id(self) -> &'static str {
        match self {
            Clock::Queue => "queue",
            Clock::Arrival => "arrival",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Clock, FieldError> {
        match s.trim() {
            "queue" => Ok(Clock::Queue),
            "arrival" => Ok(Clock::Arrival),
            other => Err(FieldError::new(
                field,
                "unknown_clock",
                format!("Onbekende klok '{other}'; kies queue of arrival."),
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Clock::Queue => "vanaf de wachtrij",
            Clock::Arrival => "inclusief IVR (vanaf aankomst)",
        }
    }
}

/// What the service level is divided by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Answered plus abandoned after T (the default: who hung up quickly was not failed).
    AnsweredAndAbandonedAfterThreshold,
    /// Every offered call.
    Offered,
    /// Answered calls only.
    Answered,
}

impl Denominator {
    pub const ALL: [Denominator; 3] =
        [Denominator::AnsweredAndAbandonedAfterThreshold, Denominator::Offered, Denominator::Answered];

    pub fn id(self) -> &'static str {
        match self {
            Denominator::AnsweredAndAbandonedAfterThreshold => "answered_and_abandoned_after_threshold",
            Denominator::Offered => "offered",
            Denominator::Answered => "answered",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Denominator, FieldError> {
        Denominator::ALL.into_iter().find(|d| d.id() == s.trim()).ok_or_else(|| {
            let known: Vec<&str> = Denominator::ALL.iter().map(|d| d.id()).collect();
            FieldError::new(
                field,
                "unknown_denominator",
                format!("Onbekende noemer '{s}'; kies uit {}.", known.join(", ")),
            )
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Denominator::AnsweredAndAbandonedAfterThreshold => "aangenomen + opgehangen na T",
            Denominator::Offered => "alle aangeboden",
            Denominator::Answered => "alleen aangenomen",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KpiSettings {
    /// Service-level threshold T in seconds, per channel.
    pub sl_threshold_s: BTreeMap<String, i32>,
    pub sl_denominator: Denominator,
    pub clock: Clock,
    /// Who hangs up within this many seconds in the queue is not counted as offered.
    pub short_abandon_s: i32,
    /// The window of the repeat-contact FCR definition.
    pub fcr_days: i32,
}

impl Default for KpiSettings {
    fn default() -> Self {
        KpiSettings {
            sl_threshold_s: BTreeMap::from([
                (Channel::Telefoon.code().to_owned(), 30),
                (Channel::Chat.code().to_owned(), 60),
            ]),
            sl_denominator: Denominator::AnsweredAndAbandonedAfterThreshold,
            clock: Clock::Queue,
            short_abandon_s: 5,
            fcr_days: 7,
        }
    }
}

/// The threshold when a channel has none set.
pub const DEFAULT_THRESHOLD_S: i32 = 30;
const MAX_THRESHOLD_S: i32 = 24 * 3600;

impl KpiSettings {
    pub fn threshold_for(&self, channel: &str) -> i32 {
        self.sl_threshold_s.get(channel).copied().unwrap_or(DEFAULT_THRESHOLD_S)
    }
}

/// Parses a number of seconds within bounds (shared by the settings and report parameters).
pub fn seconds(field: &str, value: &str, max: i32) -> Result<i32, FieldError> {
    match value.trim().parse::<i32>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(field, "out_of_range", format!("Geef een geheel aantal seconden van 0 tot {max}."))),
    }
}

pub async fn load(store: &Store) -> Result<KpiSettings, ReportError> {
    let mut conn = store.acquire().await?;
    let mut settings = KpiSettings::default();
    for (key, value) in store::kpi_settings::all(&mut conn).await? {
        // A stored value was checked when saved; one that no longer parses keeps the default.
        match key.as_str() {
            "sl_denominator" => {
                settings.sl_denominator = Denominator::parse(&key, &value).unwrap_or(settings.sl_denominator)
            }
            "clock" => settings.clock = Clock::parse(&key, &value).unwrap_or(settings.clock),
            "short_abandon_s" => settings.short_abandon_s = value.parse().unwrap_or(settings.short_abandon_s),
            "fcr_days" => settings.fcr_days = value.parse().unwrap_or(settings.fcr_days),
            k => {
                if let (Some(channel), Ok(n)) = (k.strip_prefix("sl_threshold_s."), value.parse()) {
                    settings.sl_threshold_s.insert(channel.to_owned(), n);
                }
            }
        }
    }
    Ok(settings)
}

/// Saves a whole set of parameters; nothing is saved when one is invalid. Channels must exist.
pub async fn save(store: &Store, actor: &Actor, input: &KpiSettings) -> Result<KpiSettings, ReportError> {
    let mut checks = Checks::default();
    let mut conn = store.acquire().await?;
    let channels: Vec<String> = store::contacts::channels(&mut conn).await?.into_iter().map(|c| c.code).collect();
    drop(conn);
    for (channel, t) in &input.sl_threshold_s {
        let field = format!("sl_threshold_s.{channel}");
        if !channels.contains(channel) {
            checks.push(FieldError::new(&field, "unknown_channel", format!("Onbekend kanaal '{channel}'.")));
        } else if !(1..=MAX_THRESHOLD_S).contains(t) {
            checks.push(FieldError::new(&field, "out_of_range", format!("Geef 1 tot {MAX_THRESHOLD_S} seconden.")));
        }
    }
    if !(0..=600).contains(&input.short_abandon_s) {
        checks.push(FieldError::new("short_abandon_s", "out_of_range", "Geef 0 tot 600 seconden."));
    }
    if !(1..=90).contains(&input.fcr_days) {
        checks.push(FieldError::new("fcr_days", "out_of_range", "Geef 1 tot 90 dagen."));
    }
    checks.finish()?;
    let now = clock::now();
    let mut tx = store.begin().await?;
    let mut put = vec![
        ("sl_denominator".to_owned(), input.sl_denominator.id().to_owned()),
        ("clock".to_owned(), input.clock.id().to_owned()),
        ("short_abandon_s".to_owned(), input.short_abandon_s.to_string()),
        ("fcr_days".to_owned(), input.fcr_days.to_string()),
    ];
    put.extend(input.sl_threshold_s.iter().map(|(c, t)| (format!("sl_threshold_s.{c}"), t.to_string())));
    for (key, value) in &put {
        store::kpi_settings::put(&mut tx, key, value, now, &actor.name).await?;
    }
    let detail = serde_json::to_value(input).ok();
    let mut event = AuditEvent::new(AuditAction::KpiSettingsChanged, "kpi_settings", None);
    event.detail = detail;
    audit::record(&mut tx, actor, event).await?;
    tx.commit().await?;
    load(store).await
}
