//! Contact reports: volumes by channel, subject, outcome, afdeling, hour of day or weekday; both
//! first-contact-resolution definitions; and the response time per channel against its target.
//!
//! Rules:
//! - A contact counts in the local day (Europe/Amsterdam) it started; subjects are grouped
//!   case-insensitively, trimmed.
//! - FCR by the agent: contacts with the outcome `zelfstandig_afgehandeld` / contacts in which
//!   contact was made.
//! - FCR without repeat: of the contacts with a customer, those after which the same customer had
//!   no new contact on the same subject within N days (the `fcr_days` parameter). A contact whose
//!   N days have not yet passed is left out, so a recent period is not flattered.
//! - Response time: per channel with a seconds target, the answered calls of the period with a
//!   wait within the target (the SLA policy's target as T, same clock and denominator rules as
//!   the service level). Channels with a working-day target (e-mail, WhatsApp …) have no response
//!   data in Loket yet and are listed without a figure.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ReportError;
use super::service_level::{self, Group, ServiceLevelRequest, local_midnight, parse_period};
use super::settings::KpiSettings;
use crate::sla::{self, Target};
use crate::store::{self, Store};
use crate::validation::{Checks, FieldError};

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
pub struct ContactsQuery {
    /// First day, YYYY-MM-DD (local).
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (local), included.
    pub to: Option<String>,
    /// One channel; default all.
    pub channel: Option<String>,
    /// channel (default), subject, outcome, unit, hour or weekday.
    pub by: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VolumeBy {
    Channel,
    Subject,
    Outcome,
    Unit,
    Hour,
    Weekday,
}

impl VolumeBy {
    pub const ALL: [VolumeBy; 6] =
        [VolumeBy::Channel, VolumeBy::Subject, VolumeBy::Outcome, VolumeBy::Unit, VolumeBy::Hour, VolumeBy::Weekday];

    pub fn id(self) -> &'static str {
        match self {
            VolumeBy::Channel => "channel",
            VolumeBy::Subject => "subject",
            VolumeBy::Outcome => "outcome",
            VolumeBy::Unit => "unit",
            VolumeBy::Hour => "hour",
            VolumeBy::Weekday => "weekday",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VolumeBy::Channel => "kanaal",
            VolumeBy::Subject => "onderwerp",
            VolumeBy::Outcome => "gespreksresultaat",
            VolumeBy::Unit => "afdeling",
            VolumeBy::Hour => "uur van de dag",
            VolumeBy::Weekday => "weekdag",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ContactsRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub channel: Option<String>,
    pub by: VolumeBy,
}

impl ContactsRequest {
    pub fn parse(
        q: &ContactsQuery,
        channels: &[String],
        default_from: NaiveDate,
        default_to: NaiveDate,
    ) -> Result<ContactsRequest, Vec<FieldError>> {
        let mut checks = Checks::default();
        let period = parse_period(&q.from, &q.to, default_from, default_to);
        let channel = q.channel.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        if let Some(c) = &channel
            && !channels.contains(c)
        {
            checks.push(FieldError::new("channel", "unknown_channel", format!("Onbekend kanaal '{c}'.")));
        }
        let by = match q.by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            None => Some(VolumeBy::Channel),
            Some(b) => {
                let found = VolumeBy::ALL.into_iter().find(|v| v.id() == b);
                if found.is_none() {
                    checks.push(FieldError::new(
                        "by",
                        "unknown_grouping",
                        "Kies channel, subject, outcome, unit, hour of weekday.",
                    ));
                }
                found
            }
        };
        let period = match period {
            Ok(p) => Some(p),
            Err(errors) => {
                errors.into_iter().for_each(|e| checks.push(e));
                None
            }
        };
        checks.finish()?;
        match (period, by) {
            (Some((from, to)), Some(by)) => Ok(ContactsRequest { from, to, channel, by }),
            _ => unreachable!("every field passed its check"),
        }
    }

    fn instants(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (local_midnight(Amsterdam, self.from), local_midnight(Amsterdam, self.to + Duration::days(1)))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VolumeRow {
    /// The code grouped by (channel code, outcome code, unit id, hour 0–23, weekday 1–7 from Monday).
    pub key: String,
    pub label: String,
    pub contacts: i64,
    /// Of the selection's total; null when it is empty.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Fcr {
    /// `/kpi#fcr_agent`
    pub agent_definition: String,
    pub resolved_by_agent: i64,
    pub contact_made: i64,
    pub agent_rate: Option<f64>,
    /// `/kpi#fcr_repeat`
    pub repeat_definition: String,
    pub days: i32,
    /// Contacts with a customer whose N days have passed.
    pub with_party: i64,
    pub without_repeat: i64,
    pub repeat_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResponseRow {
    pub channel: String,
    /// The SLA policy's target, in words.
    pub target: String,
    /// Answered in the period (null: no response data for this channel).
    pub answered: Option<i64>,
    pub within_target: Option<i64>,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactsReport {
    /// `/kpi#contact_volume`
    pub definition: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub channel: Option<String>,
    pub by: VolumeBy,
    pub total: i64,
    /// Largest first; hours and weekdays in their own order.
    pub rows: Vec<VolumeRow>,
    pub fcr: Fcr,
    /// `/kpi#response_time`
    pub response_definition: String,
    pub response: Vec<ResponseRow>,
}

const WEEKDAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];

fn ratio(a: i64, b: i64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

pub async fn report(
    store: &Store,
    request: &ContactsRequest,
    kpi: &KpiSettings,
) -> Result<ContactsReport, ReportError> {
    let (from, to) = request.instants();
    let days = kpi.fcr_days;
    let mut conn = store.acquire().await?;
    // The repeat definition looks N days past the period's end.
    let facts = store::contacts::facts_between(&mut conn, from, to + Duration::days(days.into()), None).await?;
    let channels = store::contacts::channels(&mut conn).await?;
    let outcomes = store::contacts::outcomes(&mut conn).await?;
    let units = store::units::list(&mut conn).await?;
    let policy = sla::load(&mut conn).await?;
    drop(conn);

    let selected: Vec<_> = facts
        .iter()
        .filter(|f| f.started_at < to && request.channel.as_ref().is_none_or(|c| *c == f.channel))
        .collect();
    let total = selected.len() as i64;
    let name_of = |list: &[store::contacts::ListEntryRow], code: &str| {
        list.iter().find(|e| e.code == code).map_or_else(|| code.to_owned(), |e| e.name.clone())
    };
    let mut counts: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for f in &selected {
        let local = f.started_at.with_timezone(&Amsterdam);
        let (key, label) = match request.by {
            VolumeBy::Channel => (f.channel.clone(), name_of(&channels, &f.channel)),
            VolumeBy::Subject => {
                let key = f.subject.trim().to_lowercase();
                (key, f.subject.trim().to_owned())
            }
            VolumeBy::Outcome => match &f.outcome {
                Some(o) => (o.clone(), name_of(&outcomes, o)),
                None => (String::new(), "(geen)".to_owned()),
            },
            VolumeBy::Unit => match f.unit_id {
                Some(u) => {
                    let name = units.iter().find(|x| x.id == u).map_or_else(|| u.to_string(), |x| x.name.clone());
                    (u.to_string(), name)
                }
                None => (String::new(), "(geen)".to_owned()),
            },
            VolumeBy::Hour => {
                (format!("{:02}", local.hour()), format!("{:02}:00–{:02}:00", local.hour(), local.hour() + 1))
            }
            VolumeBy::Weekday => {
                let d = local.weekday().number_from_monday();
                (d.to_string(), WEEKDAYS[(d - 1) as usize].to_owned())
            }
        };
        counts.entry(key).or_insert((label, 0)).1 += 1;
    }
    let mut rows: Vec<VolumeRow> = counts
        .into_iter()
        .map(|(key, (label, contacts))| VolumeRow { key, label, contacts, share: ratio(contacts, total) })
        .collect();
    if !matches!(request.by, VolumeBy::Hour | VolumeBy::Weekday) {
        rows.sort_by_key(|r| std::cmp::Reverse(r.contacts));
    }

    let fcr = first_contact_resolution(&facts, &selected, to, days);
    let response = response_times(store, request, kpi, &policy, &channels).await?;
    Ok(ContactsReport {
        definition: "/kpi#contact_volume".to_owned(),
        from: request.from,
        to: request.to,
        channel: request.channel.clone(),
        by: request.by,
        total,
        rows,
        fcr,
        response_definition: "/kpi#response_time".to_owned(),
        response,
    })
}

fn first_contact_resolution(
    all: &[store::contacts::ContactFactRow],
    selected: &[&store::contacts::ContactFactRow],
    period_end: DateTime<Utc>,
    days: i32,
) -> Fcr {
    let made: Vec<_> = selected.iter().filter(|f| f.contact_made).collect();
    let resolved = made.iter().filter(|f| f.outcome.as_deref() == Some("zelfstandig_afgehandeld")).count() as i64;
    let window = Duration::days(days.into());
    // Later contacts per (party, subject), in time order (`all` is ordered by start).
    let mut later: HashMap<(Uuid, String), Vec<DateTime<Utc>>> = HashMap::new();
    for f in all {
        if let Some(p) = f.party_id {
            later.entry((p, f.subject.trim().to_lowercase())).or_default().push(f.started_at);
        }
    }
    let now = crate::clock::now();
    let mut with_party = 0;
    let mut without_repeat = 0;
    for f in selected {
        let Some(party) = f.party_id else { continue };
        if f.started_at + window > now.min(period_end + window) {
            continue;
        }
        with_party += 1;
        let times = &later[&(party, f.subject.trim().to_lowercase())];
        let repeated = times.iter().any(|t| *t > f.started_at && *t <= f.started_at + window);
        without_repeat += i64::from(!repeated);
    }
    Fcr {
        agent_definition: "/kpi#fcr_agent".to_owned(),
        resolved_by_agent: resolved,
        contact_made: made.len() as i64,
        agent_rate: ratio(resolved, made.len() as i64),
        repeat_definition: "/kpi#fcr_repeat".to_owned(),
        days,
        with_party,
        without_repeat,
        repeat_rate: ratio(without_repeat, with_party),
    }
}

async fn response_times(
    store: &Store,
    request: &ContactsRequest,
    kpi: &KpiSettings,
    policy: &sla::SlaPolicy,
    channels: &[store::contacts::ListEntryRow],
) -> Result<Vec<ResponseRow>, ReportError> {
    let mut rows = Vec::new();
    for c in channels.iter().filter(|c| c.active && request.channel.as_ref().is_none_or(|x| *x == c.code)) {
        let target = policy.target(&c.code);
        let (answered, within) = match target {
            Target::OpenSeconds { seconds } => {
                let sl = ServiceLevelRequest {
                    from: request.from,
                    to: request.to,
                    channel: c.code.clone(),
                    group: Group::None,
                    threshold_s: i32::try_from(seconds).unwrap_or(i32::MAX),
                    clock: kpi.clock,
                    denominator: kpi.sl_denominator,
                    short_abandon_s: kpi.short_abandon_s,
                    zone: Amsterdam,
                };
                let total = service_level::report(store, &sl).await?.total;
                if total.offered == 0 { (None, None) } else { (Some(total.answered), Some(total.answered_within)) }
            }
            Target::WorkingDay { .. } => (None, None),
        };
        rows.push(ResponseRow {
            channel: c.name.clone(),
            target: target.label(),
            answered,
            within_target: within,
            rate: match (within, answered) {
                (Some(w), Some(a)) => ratio(w, a),
                _ => None,
            },
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::contacts::ContactFactRow;

    fn fact(party: Option<Uuid>, subject: &str, days_ago: i64, outcome: Option<&str>) -> ContactFactRow {
        ContactFactRow {
            id: Uuid::now_v7(),
            channel: "telefoon".into(),
            subject: subject.into(),
            outcome: outcome.map(str::to_owned),
            unit_id: None,
            started_at: crate::clock::now() - Duration::days(days_ago),
            contact_made: true,
            party_id: party,
        }
    }

    #[test]
    fn a_repeat_on_the_same_subject_within_n_days_is_not_first_contact_resolution() {
        let party = Uuid::now_v7();
        let mut all = vec![
            fact(Some(party), "Bladkorf", 30, Some("zelfstandig_afgehandeld")),
            fact(Some(party), "bladkorf ", 27, None),
            fact(Some(party), "Paspoort", 20, Some("zelfstandig_afgehandeld")),
            fact(None, "Anoniem", 20, Some("doorverbonden")),
            fact(Some(party), "Parkeren", 2, None),
        ];
        all.sort_by_key(|f| f.started_at);
        let selected: Vec<_> = all.iter().collect();
        let fcr = first_contact_resolution(&all, &selected, crate::clock::now(), 7);
        assert_eq!((fcr.resolved_by_agent, fcr.contact_made), (2, 5));
        // The recent one (2 days ago) is left out: its 7 days have not passed.
        assert_eq!((fcr.without_repeat, fcr.with_party), (2, 3), "the first Bladkorf contact had a repeat");
        assert_eq!(fcr.repeat_rate, Some(2.0 / 3.0));
    }

    #[test]
    fn an_unknown_grouping_or_channel_is_refused_by_field() {
        let q = ContactsQuery { by: Some("maanstand".into()), channel: Some("postduif".into()), ..Default::default() };
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let errors = ContactsRequest::parse(&q, &["telefoon".to_owned()], day, day).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["channel", "by"]);
    }
}
