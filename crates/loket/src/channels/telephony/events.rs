//! Live call events from a telephony platform: offered, answered, abandoned, ended. Each moves
//! one call forward; the wall board and the reports see it at once.
//!
//! The caller's number (`caller`, with `offered` or `answered`) is kept only while the call is
//! live: the agent who answers sees the matching customer (screen pop, `telephony::screen_pop`),
//! and the number is cleared when the call ends or is abandoned. A withheld number (empty,
//! `anonymous`, `anoniem`, `onbekend`, `unknown`, `private`) is no number, and so is a value
//! that is not a phone number (an extension, a SIP address): it is logged, and the call itself
//! is still recorded, because the figures matter more than the screen pop. Housekeeping clears a
//! number that outlived its call by twelve hours (an `ended` the platform never sent).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Call, CallOutcome, TelephonyError};
use crate::channels::Channel;
use crate::clock;
use crate::contacts::digital_address::PhoneNumber;
use crate::store::{self, Store};
use crate::validation::{self, Checks, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The call joined a queue (after the IVR).
    Offered,
    /// An agent took it.
    Answered,
    /// The caller hung up while waiting.
    Abandoned,
    /// An answered call ended.
    Ended,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallEvent {
    /// The platform's name; calls are unique per source. Default `live`.
    #[serde(default)]
    pub source: Option<String>,
    /// The call's id on the platform.
    pub call_id: String,
    pub event: EventKind,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// With `offered`: when the call arrived (entered the IVR); default `at`.
    #[serde(default)]
    pub arrived_at: Option<DateTime<Utc>>,
    /// With `offered`: the queue. Default `algemeen`.
    #[serde(default)]
    pub queue: Option<String>,
    /// With `offered`: the channel. Default `telefoon`.
    #[serde(default)]
    pub channel: Option<String>,
    /// With `answered`: the agent, as their Loket user name (the screen pop reaches that user).
    #[serde(default)]
    pub agent: Option<String>,
    /// With `offered` or `answered`: the caller's number (for the screen pop; kept only while
    /// the call is live).
    #[serde(default)]
    pub caller: Option<String>,
}

/// Words platforms send for a withheld number.
const WITHHELD: [&str; 7] = ["anonymous", "anoniem", "onbekend", "unknown", "private", "restricted", "withheld"];

/// The caller's number: `None` when withheld, not given, or not readable as a phone number.
fn caller_number(value: Option<&str>) -> Option<PhoneNumber> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(v) if WITHHELD.iter().any(|w| v.eq_ignore_ascii_case(w)) => None,
        Some(v) => PhoneNumber::parse(v)
            .inspect_err(|_| tracing::warn!("call event: the caller's number is not a phone number; no screen pop"))
            .ok(),
    }
}

fn name(field: &str, value: Option<&str>, default: &str) -> Result<String, FieldError> {
    match value {
        None => Ok(default.to_owned()),
        Some(v) => validation::text(v, 1, 100).map_err(|e| e.for_field(field)),
    }
}

fn seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> i32 {
    (to - from).num_seconds().clamp(0, i32::MAX as i64) as i32
}

/// Applies one event and returns the call as it now stands.
pub async fn apply(store: &Store, event: &CallEvent) -> Result<Call, TelephonyError> {
    let mut checks = Checks::default();
    let source = checks.take("source", name("source", event.source.as_deref(), "live"));
    let call_id = checks.take("call_id", validation::text(&event.call_id, 1, 100));
    let queue = checks.take("queue", name("queue", event.queue.as_deref(), "algemeen"));
    let channel = checks.take("channel", name("channel", event.channel.as_deref(), Channel::Telefoon.code()));
    let agent = match event.agent.as_deref() {
        Some(a) => checks.take("agent", validation::text(a, 1, 100)).map(Some),
        None => Some(None),
    };
    let caller = caller_number(event.caller.as_deref());
    let at = clock::truncate(event.at);
    if event.arrived_at.is_some_and(|a| a > at) {
        checks.push(FieldError::new("arrived_at", "after_event", "De aankomst ligt na het moment van de wachtrij."));
    }
    if at > clock::now() + chrono::Duration::minutes(5) {
        checks.push(FieldError::new("at", "in_future", "Het moment ligt in de toekomst."));
    }
    checks.finish().map_err(TelephonyError::Invalid)?;
    let (Some(source), Some(call_id), Some(queue), Some(channel), Some(agent)) =
        (source, call_id, queue, channel, agent)
    else {
        unreachable!("every field passed its check")
    };

    let channels = store::contacts::channels(&mut store.acquire().await?).await?;
    crate::contacts::contact::pick(&channels, &channel, "channel", "Kanaal")
        .map_err(|e| TelephonyError::Invalid(vec![e]))?;

    let mut tx = store.begin().await?;
    let existing = store::calls::find(&mut tx, &source, &call_id).await?.map(Call::from_row);
    let refused = |m: &str| Err(TelephonyError::Conflict(m.to_owned()));
    let before = |field: &str, m: &str| {
        Err(TelephonyError::Invalid(vec![FieldError::new(field, "before_previous", m.to_owned())]))
    };
    let call = match (event.event, existing) {
        (EventKind::Offered, Some(_)) => return refused("Dit gesprek is al aangeboden."),
        (EventKind::Offered, None) => {
            let arrived_at = event.arrived_at.map(clock::truncate).unwrap_or(at);
            let call = Call {
                id: Uuid::now_v7(),
                source,
                external_id: call_id,
                channel,
                queue,
                agent: None,
                arrived_at,
                ivr_s: seconds(arrived_at, at),
                queued_at: Some(at),
                queue_s: 0,
                answered_at: None,
                ended_at: None,
                talk_s: 0,
                outcome: CallOutcome::Waiting,
            };
            store::calls::insert_many(&mut tx, &[call.to_row()]).await?;
            if let Some(number) = &caller {
                store::calls::set_caller(&mut tx, call.id, Some(number.as_str())).await?;
            }
            call
        }
        (_, None) => return Err(TelephonyError::NotFound),
        (EventKind::Answered | EventKind::Abandoned, Some(c)) if c.outcome != CallOutcome::Waiting => {
            return refused("Dit gesprek wacht niet meer.");
        }
        (EventKind::Answered | EventKind::Abandoned, Some(c)) if c.queued_at.is_some_and(|q| at < q) => {
            return before("at", "Dit moment ligt vóór de start in de wachtrij.");
        }
        (EventKind::Answered, Some(mut c)) => {
            c.outcome = CallOutcome::Answered;
            c.queue_s = c.queued_at.map_or(0, |q| seconds(q, at));
            c.answered_at = Some(at);
            c.agent = agent;
            store::calls::update(&mut tx, &c.to_row()).await?;
            if let Some(number) = &caller {
                store::calls::set_caller(&mut tx, c.id, Some(number.as_str())).await?;
            }
            c
        }
        (EventKind::Abandoned, Some(mut c)) => {
            c.outcome = CallOutcome::Abandoned;
            c.queue_s = c.queued_at.map_or(0, |q| seconds(q, at));
            c.ended_at = Some(at);
            store::calls::update(&mut tx, &c.to_row()).await?;
            store::calls::set_caller(&mut tx, c.id, None).await?;
            c
        }
        (EventKind::Ended, Some(c)) if c.outcome != CallOutcome::Answered || c.ended_at.is_some() => {
            return refused("Alleen een aangenomen gesprek dat nog loopt kan eindigen.");
        }
        (EventKind::Ended, Some(c)) if c.answered_at.is_some_and(|a| at < a) => {
            return before("at", "Dit moment ligt vóór de aanname.");
        }
        (EventKind::Ended, Some(mut c)) => {
            c.ended_at = Some(at);
            c.talk_s = c.answered_at.map_or(0, |a| seconds(a, at));
            store::calls::update(&mut tx, &c.to_row()).await?;
            store::calls::set_caller(&mut tx, c.id, None).await?;
            c
        }
    };
    tx.commit().await?;
    Ok(call)
}
