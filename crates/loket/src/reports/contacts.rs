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
//! - Drill-down: [`items`] lists the contacts behind any volume row or FCR count by the same
//!   selection and the same rules as [`report`], so the list is exactly as long as the figure.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::ReportError;
use super::service_level::{self, Group, ServiceLevelRequest, local_midnight, parse_period};
use super::settings::KpiSettings;
use crate::auth::audit::{self, Actor, AuditAction, AuditEvent, Purpose};
use crate::sla::{self, Target};
use crate::store::{self, Store};
use crate::validation::{Checks, FieldError};

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
    /// The channel's code.
    pub code: String,
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

/// The contacts of a report's days (and the N days after, for the repeat definition), with the
/// names to show their codes by.
struct Loaded {
    facts: Vec<store::contacts::ContactFactRow>,
    channels: Vec<store::contacts::ListEntryRow>,
    outcomes: Vec<store::contacts::ListEntryRow>,
    units: Vec<store::units::UnitRow>,
    /// Where the report's days end.
    to: DateTime<Utc>,
    days: i32,
}

impl Loaded {
    async fn load(store: &Store, request: &ContactsRequest, kpi: &KpiSettings) -> Result<Loaded, ReportError> {
        let (from, to) = request.instants();
        let days = kpi.fcr_days;
        let mut conn = store.acquire().await?;
        let facts = store::contacts::facts_between(&mut conn, from, to + Duration::days(days.into()), None).await?;
        Ok(Loaded {
            facts,
            channels: store::contacts::channels(&mut conn).await?,
            outcomes: store::contacts::outcomes(&mut conn).await?,
            units: store::units::list(&mut conn).await?,
            to,
            days,
        })
    }

    /// The contacts the report counts: its days, its channel.
    fn selected(&self, request: &ContactsRequest) -> Vec<&store::contacts::ContactFactRow> {
        self.facts
            .iter()
            .filter(|f| f.started_at < self.to && request.channel.as_ref().is_none_or(|c| *c == f.channel))
            .collect()
    }

    fn name_of(list: &[store::contacts::ListEntryRow], code: &str) -> String {
        list.iter().find(|e| e.code == code).map_or_else(|| code.to_owned(), |e| e.name.clone())
    }

    fn unit_name(&self, id: Uuid) -> String {
        self.units.iter().find(|x| x.id == id).map_or_else(|| id.to_string(), |x| x.name.clone())
    }

    /// The row of the volume table a contact counts in: its key and its label.
    fn group(&self, f: &store::contacts::ContactFactRow, by: VolumeBy) -> (String, String) {
        let local = f.started_at.with_timezone(&Amsterdam);
        match by {
            VolumeBy::Channel => (f.channel.clone(), Self::name_of(&self.channels, &f.channel)),
            VolumeBy::Subject => (f.subject.trim().to_lowercase(), f.subject.trim().to_owned()),
            VolumeBy::Outcome => match &f.outcome {
                Some(o) => (o.clone(), Self::name_of(&self.outcomes, o)),
                None => (String::new(), "(geen)".to_owned()),
            },
            VolumeBy::Unit => match f.unit_id {
                Some(u) => (u.to_string(), self.unit_name(u)),
                None => (String::new(), "(geen)".to_owned()),
            },
            VolumeBy::Hour => {
                (format!("{:02}", local.hour()), format!("{:02}:00–{:02}:00", local.hour(), local.hour() + 1))
            }
            VolumeBy::Weekday => {
                let d = local.weekday().number_from_monday();
                (d.to_string(), WEEKDAYS[(d - 1) as usize].to_owned())
            }
        }
    }

    fn repeats(&self) -> Repeats {
        Repeats::new(&self.facts, self.to, self.days)
    }
}

pub async fn report(
    store: &Store,
    request: &ContactsRequest,
    kpi: &KpiSettings,
) -> Result<ContactsReport, ReportError> {
    let loaded = Loaded::load(store, request, kpi).await?;
    let selected = loaded.selected(request);
    let total = selected.len() as i64;
    let mut counts: BTreeMap<String, (String, i64)> = BTreeMap::new();
    for f in &selected {
        let (key, label) = loaded.group(f, request.by);
        counts.entry(key).or_insert((label, 0)).1 += 1;
    }
    let mut rows: Vec<VolumeRow> = counts
        .into_iter()
        .map(|(key, (label, contacts))| VolumeRow { key, label, contacts, share: ratio(contacts, total) })
        .collect();
    if !matches!(request.by, VolumeBy::Hour | VolumeBy::Weekday) {
        rows.sort_by_key(|r| std::cmp::Reverse(r.contacts));
    }

    let fcr = first_contact_resolution(&loaded.repeats(), &selected);
    let response = response_times(store, request, kpi, &loaded.channels).await?;
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

/// Whether a customer came back on the same subject within N days.
struct Repeats {
    /// Contact times per (customer, folded subject), in time order.
    later: HashMap<(Uuid, String), Vec<DateTime<Utc>>>,
    /// A contact counts only when its N days had passed by then.
    judged_until: DateTime<Utc>,
    window: Duration,
}

impl Repeats {
    /// `all` holds the report's days and the N days after, in time order.
    fn new(all: &[store::contacts::ContactFactRow], period_end: DateTime<Utc>, days: i32) -> Repeats {
        let window = Duration::days(days.into());
        let mut later: HashMap<(Uuid, String), Vec<DateTime<Utc>>> = HashMap::new();
        for f in all {
            if let Some(p) = f.party_id {
                later.entry((p, f.subject.trim().to_lowercase())).or_default().push(f.started_at);
            }
        }
        Repeats { later, judged_until: crate::clock::now().min(period_end + window), window }
    }

    /// `None` when the contact is not judged (no customer, or its N days have not yet passed);
    /// otherwise whether it had a repeat.
    fn repeated(&self, f: &store::contacts::ContactFactRow) -> Option<bool> {
        let party = f.party_id?;
        if f.started_at + self.window > self.judged_until {
            return None;
        }
        let times = self.later.get(&(party, f.subject.trim().to_lowercase()))?;
        Some(times.iter().any(|t| *t > f.started_at && *t <= f.started_at + self.window))
    }
}

fn resolved_by_agent(f: &store::contacts::ContactFactRow) -> bool {
    f.contact_made && f.outcome.as_deref() == Some("zelfstandig_afgehandeld")
}

fn first_contact_resolution(repeats: &Repeats, selected: &[&store::contacts::ContactFactRow]) -> Fcr {
    let made = selected.iter().filter(|f| f.contact_made).count() as i64;
    let resolved = selected.iter().filter(|f| resolved_by_agent(f)).count() as i64;
    let judged: Vec<bool> = selected.iter().filter_map(|f| repeats.repeated(f)).collect();
    let with_party = judged.len() as i64;
    let without_repeat = judged.iter().filter(|r| !**r).count() as i64;
    Fcr {
        agent_definition: "/kpi#fcr_agent".to_owned(),
        resolved_by_agent: resolved,
        contact_made: made,
        agent_rate: ratio(resolved, made),
        repeat_definition: "/kpi#fcr_repeat".to_owned(),
        days: repeats.window.num_days() as i32,
        with_party,
        without_repeat,
        repeat_rate: ratio(without_repeat, with_party),
    }
}

/// Which of a report's figures to list the contacts of (drill-down).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ContactFigure)]
pub enum Figure {
    /// The contacts counted in the volume, or in one row of it (`key`).
    Volume,
    /// FCR by the agent, the denominator: contacts in which contact was made.
    ContactMade,
    /// FCR by the agent, the numerator: of those, the ones resolved by the agent.
    ResolvedByAgent,
    /// FCR without repeat, the denominator: contacts with a customer whose N days have passed.
    WithParty,
    /// FCR without repeat, the numerator: of those, the ones without a repeat.
    WithoutRepeat,
}

impl Figure {
    pub const ALL: [Figure; 5] =
        [Figure::Volume, Figure::ContactMade, Figure::ResolvedByAgent, Figure::WithParty, Figure::WithoutRepeat];

    /// The same names as the report's fields.
    pub fn id(self) -> &'static str {
        match self {
            Figure::Volume => "volume",
            Figure::ContactMade => "contact_made",
            Figure::ResolvedByAgent => "resolved_by_agent",
            Figure::WithParty => "with_party",
            Figure::WithoutRepeat => "without_repeat",
        }
    }

    /// Default: the volume.
    pub fn parse(s: Option<&str>) -> Result<Figure, FieldError> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Figure::Volume),
            Some(s) => Figure::ALL.into_iter().find(|f| f.id() == s).ok_or_else(|| {
                FieldError::new(
                    "figure",
                    "unknown_figure",
                    "Kies volume, contact_made, resolved_by_agent, with_party of without_repeat.",
                )
            }),
        }
    }

    pub fn definition(self) -> &'static str {
        match self {
            Figure::Volume => "/kpi#contact_volume",
            Figure::ContactMade | Figure::ResolvedByAgent => "/kpi#fcr_agent",
            Figure::WithParty | Figure::WithoutRepeat => "/kpi#fcr_repeat",
        }
    }
}

/// The contacts behind a figure of the contacts report: the report's own query, plus which
/// figure and (for the volume) which row.
#[derive(Debug, Default, Clone, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// First day, YYYY-MM-DD (local).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (local), included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// One channel; default all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The volume's grouping: channel (default), subject, outcome, unit, hour or weekday.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// One row of the volume: its `key` in the report (empty: the row "(geen)"). Without it,
    /// every contact of the figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// volume (default), contact_made, resolved_by_agent, with_party or without_repeat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// Where the page starts: the `next` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Contacts per page, 1–1000 (default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

impl ItemsQuery {
    pub fn report(&self) -> ContactsQuery {
        ContactsQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            channel: self.channel.clone(),
            by: self.by.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ItemsRequest {
    pub report: ContactsRequest,
    pub figure: Figure,
    pub key: Option<String>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: usize,
}

impl ItemsRequest {
    pub fn parse(
        q: &ItemsQuery,
        channels: &[String],
        default_from: NaiveDate,
        default_to: NaiveDate,
    ) -> Result<ItemsRequest, Vec<FieldError>> {
        let report = ContactsRequest::parse(&q.report(), channels, default_from, default_to);
        let mut checks = Checks::default();
        let figure = checks.take("figure", Figure::parse(q.figure.as_deref()));
        let key = q.key.as_deref().map(str::trim);
        if key.is_some() && figure.is_some_and(|f| f != Figure::Volume) {
            checks.push(FieldError::new("key", "not_a_volume_row", "Een rij (key) hoort bij figure=volume."));
        }
        let after = checks.take("after", super::parse_cursor(q.after.as_deref())).flatten();
        let limit = checks.take("limit", super::parse_limit(q.limit.as_deref()));
        let report = match report {
            Ok(r) => Some(r),
            Err(errors) => {
                errors.into_iter().for_each(|e| checks.push(e));
                None
            }
        };
        checks.finish()?;
        match (report, figure, limit) {
            (Some(report), Some(figure), Some(limit)) => {
                // Keys as the report writes them: subjects folded, hours with two digits.
                let key = key.map(|k| match report.by {
                    VolumeBy::Subject => k.to_lowercase(),
                    VolumeBy::Hour => k.parse::<u32>().map_or_else(|_| k.to_owned(), |h| format!("{h:02}")),
                    _ => k.to_owned(),
                });
                Ok(ItemsRequest { report, figure, key, after, limit })
            }
            _ => unreachable!("every field passed its check"),
        }
    }
}

/// One contact behind a figure: what it was about, not who it was with (the customer's page,
/// guarded and logged on its own, is a link away).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactItem {
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    pub channel: String,
    pub channel_name: String,
    pub subject: String,
    pub outcome: Option<String>,
    pub outcome_name: Option<String>,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    /// The customer, when the contact had one.
    pub party_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactItems {
    /// The definition of the figure, on `/kpi`.
    pub definition: String,
    pub figure: Figure,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub channel: Option<String>,
    pub by: VolumeBy,
    pub key: Option<String>,
    /// The row's label, when one row was asked for.
    pub label: Option<String>,
    /// How many contacts the figure counts: the number shown in the report.
    pub total: i64,
    /// This page, the earliest first.
    pub items: Vec<ContactItem>,
    /// Where the next page starts (`after`); null on the last page.
    pub next: Option<String>,
}

/// The contacts a figure of the report counts: the same selection and the same rules as
/// [`report`], so the list is as long as the figure says. A page that shows contacts is written
/// to the audit log (they lead to customers).
pub async fn items(
    store: &Store,
    actor: &Actor,
    request: &ItemsRequest,
    kpi: &KpiSettings,
) -> Result<ContactItems, ReportError> {
    let loaded = Loaded::load(store, &request.report, kpi).await?;
    let repeats = loaded.repeats();
    let by = request.report.by;
    let mut matching: Vec<&store::contacts::ContactFactRow> = loaded
        .selected(&request.report)
        .into_iter()
        .filter(|f| match request.figure {
            Figure::Volume => request.key.as_ref().is_none_or(|key| loaded.group(f, by).0 == *key),
            Figure::ContactMade => f.contact_made,
            Figure::ResolvedByAgent => resolved_by_agent(f),
            Figure::WithParty => repeats.repeated(f).is_some(),
            Figure::WithoutRepeat => repeats.repeated(f) == Some(false),
        })
        .collect();
    matching.sort_by_key(|f| (f.started_at, f.id));
    // The report labels a row by its first contact; so does the list.
    let label = request.key.as_ref().and(matching.first()).map(|f| loaded.group(f, by).1);
    let total = matching.len() as i64;
    let start = request.after.map_or(0, |after| matching.partition_point(|f| (f.started_at, f.id) <= after));
    let page: Vec<_> = matching.iter().skip(start).take(request.limit).collect();
    let next =
        (start + page.len() < matching.len()).then(|| page.last().map(|f| super::cursor(f.started_at, f.id))).flatten();
    let items = page
        .iter()
        .map(|f| ContactItem {
            id: f.id,
            started_at: f.started_at,
            channel: f.channel.clone(),
            channel_name: Loaded::name_of(&loaded.channels, &f.channel),
            subject: f.subject.clone(),
            outcome: f.outcome.clone(),
            outcome_name: f.outcome.as_deref().map(|o| Loaded::name_of(&loaded.outcomes, o)),
            unit_id: f.unit_id,
            unit_name: f.unit_id.map(|u| loaded.unit_name(u)),
            party_id: f.party_id,
        })
        .collect::<Vec<ContactItem>>();
    if !items.is_empty() {
        let shown: Vec<String> = items.iter().map(|i| i.id.to_string()).collect();
        let detail = serde_json::json!({
            "figure": request.figure.id(), "from": request.report.from, "to": request.report.to,
            "channel": request.report.channel, "by": request.report.by.id(), "key": request.key, "contacts": shown,
        });
        let event = AuditEvent::new(AuditAction::ContactsListed, "contact", None).purpose(Purpose::Reporting);
        audit::record_now(store, actor, event.detail(detail)).await?;
    }
    Ok(ContactItems {
        definition: request.figure.definition().to_owned(),
        figure: request.figure,
        from: request.report.from,
        to: request.report.to,
        channel: request.report.channel.clone(),
        by: request.report.by,
        key: request.key.clone(),
        label,
        total,
        items,
        next,
    })
}

async fn response_times(
    store: &Store,
    request: &ContactsRequest,
    kpi: &KpiSettings,
    channels: &[store::contacts::ListEntryRow],
) -> Result<Vec<ResponseRow>, ReportError> {
    let policy = sla::load(&mut store.acquire().await?).await?;
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
            code: c.code.clone(),
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
        let fcr = first_contact_resolution(&Repeats::new(&all, crate::clock::now(), 7), &selected);
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
