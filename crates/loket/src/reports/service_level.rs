//! The service-level report: offered, answered, abandoned, answered within T, SL, ASA and AHT
//! per day, hour or for the whole period, counted from calls by one explicit definition.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ReportError;
use super::catalogue;
use super::settings::{self, Clock, Denominator, KpiSettings};
use crate::channels::Channel;
use crate::store::calls::{Bucket, CountRule};
use crate::store::{self, Store};
use crate::validation::{Checks, FieldError};

/// The query as it arrives; every field is text so each can be refused by name.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ServiceLevelQuery {
    /// First day, YYYY-MM-DD (local).
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (local), included.
    pub to: Option<String>,
    /// Default telefoon.
    pub channel: Option<String>,
    /// day (default), hour or none.
    pub group: Option<String>,
    /// Threshold T in seconds; default the channel's setting.
    pub threshold: Option<String>,
    /// queue or arrival; default the setting.
    pub clock: Option<String>,
    /// answered_and_abandoned_after_threshold, offered or answered; default the setting.
    pub denominator: Option<String>,
    /// IANA time zone the days are counted in; default Europe/Amsterdam.
    pub tz: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Day,
    Hour,
    None,
}

impl Group {
    pub fn id(self) -> &'static str {
        match self {
            Group::Day => "day",
            Group::Hour => "hour",
            Group::None => "none",
        }
    }
}

/// A checked request.
#[derive(Debug, Clone)]
pub struct ServiceLevelRequest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub channel: String,
    pub group: Group,
    pub threshold_s: i32,
    pub clock: Clock,
    pub denominator: Denominator,
    pub short_abandon_s: i32,
    pub zone: Tz,
}

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 366;

/// A report's local days `from`–`to` (both included, defaults when missing), at most
/// [`MAX_DAYS`] long; the errors name the fields `from` and `to`.
pub fn parse_period(
    from: &Option<String>,
    to: &Option<String>,
    default_from: NaiveDate,
    default_to: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
    let mut checks = Checks::default();
    let date = |field: &str, v: &Option<String>, default: NaiveDate| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| FieldError::new(field, "invalid_date", format!("'{s}' is geen datum (JJJJ-MM-DD)."))),
    };
    let from = checks.take("from", date("from", from, default_from));
    let to = checks.take("to", date("to", to, default_to));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            checks.push(FieldError::new("to", "before_from", "De einddatum ligt vóór de begindatum."));
        } else if (t - f).num_days() >= MAX_DAYS {
            checks.push(FieldError::new("to", "too_long", format!("Een rapport beslaat hoogstens {MAX_DAYS} dagen.")));
        }
    }
    checks.finish()?;
    match (from, to) {
        (Some(f), Some(t)) => Ok((f, t)),
        _ => unreachable!("both dates parsed"),
    }
}

impl ServiceLevelRequest {
    /// Checks the query against the settings and the channels that exist; `today` fills a
    /// missing date (the page opens on the current month).
    pub fn parse(
        q: &ServiceLevelQuery,
        kpi: &KpiSettings,
        channels: &[String],
        default_from: NaiveDate,
        default_to: NaiveDate,
    ) -> Result<ServiceLevelRequest, Vec<FieldError>> {
        let mut checks = Checks::default();
        let period = match parse_period(&q.from, &q.to, default_from, default_to) {
            Ok(p) => Some(p),
            Err(errors) => {
                errors.into_iter().for_each(|e| checks.push(e));
                None
            }
        };
        // An unknown channel is already an error; the empty one only lets the other checks run.
        let channel = checks.take("channel", channel_or_phone(q.channel.as_deref(), channels)).unwrap_or_default();
        let group = match q.group.as_deref().map(str::trim) {
            None | Some("") | Some("day") => Some(Group::Day),
            Some("hour") => Some(Group::Hour),
            Some("none") => Some(Group::None),
            Some(other) => {
                checks.push(FieldError::new(
                    "group",
                    "unknown_group",
                    format!("Onbekende groepering '{other}'; kies day, hour of none."),
                ));
                None
            }
        };
        let threshold_s = match q.threshold.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => checks.take("threshold", settings::seconds("threshold", t, 3600)),
            None => Some(kpi.threshold_for(&channel)),
        };
        let clock = match q.clock.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(c) => checks.take("clock", Clock::parse("clock", c)),
            None => Some(kpi.clock),
        };
        let denominator = match q.denominator.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(d) => checks.take("denominator", Denominator::parse("denominator", d)),
            None => Some(kpi.sl_denominator),
        };
        let zone = match q.tz.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(z) => checks.take(
                "tz",
                z.parse::<Tz>()
                    .map_err(|_| FieldError::new("tz", "unknown_time_zone", format!("'{z}' is geen IANA-tijdzone."))),
            ),
            None => Some(chrono_tz::Europe::Amsterdam),
        };
        checks.finish()?;
        match (period, group, threshold_s, clock, denominator, zone) {
            (Some((from, to)), Some(group), Some(threshold_s), Some(clock), Some(denominator), Some(zone)) => {
                Ok(ServiceLevelRequest {
                    from,
                    to,
                    channel,
                    group,
                    threshold_s,
                    clock,
                    denominator,
                    short_abandon_s: kpi.short_abandon_s,
                    zone,
                })
            }
            _ => unreachable!("every field passed its check"),
        }
    }

    /// The instants the period covers, `[start, end)` in Unix seconds.
    pub fn bounds(&self) -> (i64, i64) {
        (
            local_midnight(self.zone, self.from).timestamp(),
            local_midnight(self.zone, self.to + Duration::days(1)).timestamp(),
        )
    }

    /// [`Self::bounds`] as instants.
    pub fn instants(&self) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
        let (from, to) = self.bounds();
        let at = |s| chrono::DateTime::from_timestamp(s, 0).unwrap_or_default();
        (at(from), at(to))
    }

    /// The calls behind this report's figures.
    pub fn calls(&self) -> super::calls::CallSelection {
        let (from, to) = self.bounds();
        super::calls::CallSelection { channel: self.channel.clone(), from, to, zone: self.zone }
    }

    /// The period of the same length just before this one (for comparison).
    pub fn previous(&self) -> ServiceLevelRequest {
        let days = (self.to - self.from).num_days() + 1;
        ServiceLevelRequest {
            from: self.from - Duration::days(days),
            to: self.from - Duration::days(1),
            ..self.clone()
        }
    }
}

/// The channel a report or the wall board is asked for: telephony when none is given, else one
/// of `channels` (the codes of the beheerder's list).
pub fn channel_or_phone(input: Option<&str>, channels: &[String]) -> Result<String, FieldError> {
    let channel = input.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(Channel::Telefoon.code()).to_owned();
    if channels.contains(&channel) {
        Ok(channel)
    } else {
        Err(FieldError::new("channel", "unknown_channel", format!("Onbekend kanaal '{channel}'.")))
    }
}

/// What the figures were counted with, shown beside them.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ServiceLevelDefinition)]
pub struct Definition {
    pub id: &'static str,
    pub name: &'static str,
    /// Where the definition is explained.
    pub url: String,
    pub formula: &'static str,
    pub channel: String,
    pub threshold_s: i32,
    pub clock: Clock,
    pub denominator: Denominator,
    pub short_abandon_s: i32,
    pub time_zone: String,
    /// The figure's name with its parameters in words, e.g. "Servicelevel 20 s, vanaf de wachtrij, …".
    pub label: String,
}

/// One period's figures; a figure without a denominator is `null` (n.v.t.).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Row {
    /// `1999-02-01` (day), `2026-10-25T02:00+01:00` (hour, with its offset), `from/to` (none).
    pub period: String,
    pub offered: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub answered_within: i64,
    /// Hung up within the short-abandon threshold: not offered, shown for completeness.
    pub short_abandoned: i64,
    /// 0.0–1.0, or null when nothing was offered.
    pub service_level: Option<f64>,
    /// Mean wait of answered calls, seconds.
    pub asa_s: Option<f64>,
    /// Mean handling time of answered calls, seconds.
    pub aht_s: Option<f64>,
    /// Abandoned / offered.
    pub abandonment: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceLevelReport {
    pub definition: Definition,
    pub rows: Vec<Row>,
    pub total: Row,
}

/// Midnight of a local day as an instant; where a zone skips midnight, the first instant after.
pub(crate) fn local_midnight(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut t = date.and_time(NaiveTime::MIN);
    for _ in 0..4 {
        if let Some(at) = zone.from_local_datetime(&t).earliest() {
            return at.with_timezone(&Utc);
        }
        t += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

/// How many parts a long period is counted in at once, each on its own connection.
const PARTS: i64 = 4;
/// Below this span (six hours) one query is quicker than several.
const SPLIT_FROM_S: i64 = 6 * 3_600;

/// [`store::calls::count_by_bucket`] over bucket-aligned parts of the period at once: the sums
/// are per bucket, so parts that do not share a bucket simply add up.
async fn count_in_parallel(store: &Store, rule: &CountRule) -> Result<Vec<Bucket>, ReportError> {
    let span = rule.to - rule.from;
    let parts = if span >= SPLIT_FROM_S { PARTS } else { 1 };
    let step = (span / parts).div_euclid(rule.bucket_s).max(1) * rule.bucket_s;
    let mut bounds: Vec<(i64, i64)> = Vec::new();
    let mut from = rule.from;
    for i in 0..parts {
        let to = if i == parts - 1 {
            rule.to
        } else {
            (rule.from.div_euclid(rule.bucket_s) * rule.bucket_s + step * (i + 1)).min(rule.to)
        };
        if to > from {
            bounds.push((from, to));
        }
        from = to;
    }
    let queries = bounds.into_iter().map(|(from, to)| {
        let rule = CountRule { from, to, ..rule.clone() };
        async move {
            let mut conn = store.acquire().await?;
            Ok::<_, ReportError>(store::calls::count_by_bucket(&mut conn, &rule).await?)
        }
    });
    Ok(futures_util::future::try_join_all(queries).await?.into_iter().flatten().collect())
}

/// Each period's start instant and label, in order; the last ends at the end of `to`.
fn periods(req: &ServiceLevelRequest) -> (Vec<(i64, String)>, i64) {
    let end = local_midnight(req.zone, req.to + Duration::days(1)).timestamp();
    let mut out = Vec::new();
    match req.group {
        Group::None => out.push((local_midnight(req.zone, req.from).timestamp(), format!("{}/{}", req.from, req.to))),
        Group::Day => {
            for d in req.from.iter_days().take_while(|d| *d <= req.to) {
                out.push((local_midnight(req.zone, d).timestamp(), d.to_string()));
            }
        }
        Group::Hour => {
            let mut t = local_midnight(req.zone, req.from).timestamp();
            while t < end {
                let label = DateTime::from_timestamp(t, 0)
                    .map(|u| u.with_timezone(&req.zone).format("%Y-%m-%dT%H:%M%:z").to_string())
                    .unwrap_or_default();
                out.push((t, label));
                t += 3600;
            }
        }
    }
    (out, end)
}

/// Buckets of a quarter hour: every time zone's offset is a multiple of 15 minutes, so a bucket
/// never straddles a local hour or day.
const BUCKET_S: i64 = 900;

fn ratio(n: i64, d: i64, places: i32) -> Option<f64> {
    (d > 0).then(|| {
        let scale = 10f64.powi(places);
        (n as f64 / d as f64 * scale).round() / scale
    })
}

fn row(period: String, b: &Bucket, denominator: Denominator) -> Row {
    let offered = b.answered + b.abandoned;
    let sl_base = match denominator {
        Denominator::AnsweredAndAbandonedAfterThreshold => b.answered + b.abandoned_after,
        Denominator::Offered => offered,
        Denominator::Answered => b.answered,
    };
    Row {
        period,
        offered,
        answered: b.answered,
        abandoned: b.abandoned,
        answered_within: b.answered_within,
        short_abandoned: b.short_abandoned,
        service_level: ratio(b.answered_within, sl_base, 4),
        asa_s: ratio(b.wait_s, b.answered, 1),
        aht_s: ratio(b.handle_s, b.answered, 1),
        abandonment: ratio(b.abandoned, offered, 4),
    }
}

fn add(into: &mut Bucket, b: &Bucket) {
    into.answered += b.answered;
    into.answered_within += b.answered_within;
    into.abandoned += b.abandoned;
    into.abandoned_after += b.abandoned_after;
    into.short_abandoned += b.short_abandoned;
    into.wait_s += b.wait_s;
    into.handle_s += b.handle_s;
}

pub fn definition(req: &ServiceLevelRequest) -> Definition {
    // The catalogue always holds service_level; its test checks that.
    let def = catalogue::find("service_level").unwrap_or(&catalogue::CATALOGUE[1]);
    Definition {
        id: def.id,
        name: def.name,
        url: def.url(),
        formula: def.formula,
        channel: req.channel.clone(),
        threshold_s: req.threshold_s,
        clock: req.clock,
        denominator: req.denominator,
        short_abandon_s: req.short_abandon_s,
        time_zone: req.zone.name().to_owned(),
        label: format!(
            "{} {} s, {}, noemer {}, korte ophangers < {} s niet meegeteld",
            def.name,
            req.threshold_s,
            req.clock.label(),
            req.denominator.label(),
            req.short_abandon_s
        ),
    }
}

/// Counts the report. Days without calls are rows with zero counts and no figures.
pub async fn report(store: &Store, req: &ServiceLevelRequest) -> Result<ServiceLevelReport, ReportError> {
    let (periods, end) = periods(req);
    let start = periods.first().map_or(end, |p| p.0);
    let rule = CountRule {
        channel: req.channel.clone(),
        from: start,
        to: end,
        threshold_s: req.threshold_s,
        short_abandon_s: req.short_abandon_s,
        include_ivr: req.clock == Clock::Arrival,
        bucket_s: BUCKET_S,
    };
    let buckets = count_in_parallel(store, &rule).await?;
    let mut sums = vec![Bucket::default(); periods.len()];
    let mut total = Bucket::default();
    for b in &buckets {
        let at = b.bucket * BUCKET_S;
        // The last period starting at or before the bucket.
        let i = periods.partition_point(|p| p.0 <= at).saturating_sub(1);
        if let Some(sum) = sums.get_mut(i) {
            add(sum, b);
        }
        add(&mut total, b);
    }
    let rows = periods.into_iter().zip(&sums).map(|((_, label), b)| row(label, b, req.denominator)).collect();
    Ok(ServiceLevelReport {
        definition: definition(req),
        rows,
        total: row(format!("{}/{}", req.from, req.to), &total, req.denominator),
    })
}

/// The channel codes a report may name.
pub async fn channels(store: &Store) -> Result<Vec<String>, ReportError> {
    let mut conn = store.acquire().await?;
    Ok(store::contacts::channels(&mut conn).await?.into_iter().map(|c| c.code).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(from: &str, to: &str, group: &str) -> ServiceLevelRequest {
        let q = ServiceLevelQuery {
            from: Some(from.into()),
            to: Some(to.into()),
            group: Some(group.into()),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        ServiceLevelRequest::parse(&q, &KpiSettings::default(), &["telefoon".into()], today, today).unwrap()
    }

    #[test]
    fn a_day_with_a_daylight_saving_change_has_23_or_25_hours_each_with_its_offset() {
        let (autumn, _) = periods(&request("2026-10-25", "2026-10-25", "hour"));
        assert_eq!(autumn.len(), 25);
        assert_eq!(autumn[2].1, "2026-10-25T02:00+02:00");
        assert_eq!(autumn[3].1, "2026-10-25T02:00+01:00");
        let (spring, _) = periods(&request("2026-03-29", "2026-03-29", "hour"));
        assert_eq!(spring.len(), 23);
        assert_eq!(spring[2].1, "2026-03-29T03:00+02:00");
    }

    #[test]
    fn an_empty_period_has_no_figures_rather_than_zero() {
        let r = row("2026-12-01".into(), &Bucket::default(), Denominator::AnsweredAndAbandonedAfterThreshold);
        assert_eq!((r.offered, r.service_level, r.asa_s, r.aht_s, r.abandonment), (0, None, None, None, None));
    }

    #[test]
    fn the_denominator_variants_count_differently() {
        let b = Bucket { answered: 8, answered_within: 6, abandoned: 2, abandoned_after: 1, ..Bucket::default() };
        let sl = |d| row(String::new(), &b, d).service_level.unwrap();
        assert_eq!(sl(Denominator::AnsweredAndAbandonedAfterThreshold), 0.6667);
        assert_eq!(sl(Denominator::Offered), 0.6);
        assert_eq!(sl(Denominator::Answered), 0.75);
    }

    #[test]
    fn bad_parameters_are_named_and_a_reversed_or_overlong_period_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let q = ServiceLevelQuery {
            from: Some("2026-13-01".into()),
            group: Some("week".into()),
            threshold: Some("-3".into()),
            clock: Some("wall".into()),
            channel: Some("fax".into()),
            tz: Some("Europe/Nowhere".into()),
            ..Default::default()
        };
        let errors =
            ServiceLevelRequest::parse(&q, &KpiSettings::default(), &["telefoon".into()], today, today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["from", "channel", "group", "threshold", "clock", "tz"]);
        let reversed =
            ServiceLevelQuery { from: Some("2026-02-02".into()), to: Some("2026-02-01".into()), ..Default::default() };
        let errors = ServiceLevelRequest::parse(&reversed, &KpiSettings::default(), &["telefoon".into()], today, today)
            .unwrap_err();
        assert_eq!(errors[0].code, "before_from");
        let long =
            ServiceLevelQuery { from: Some("2020-01-01".into()), to: Some("2026-01-01".into()), ..Default::default() };
        let errors =
            ServiceLevelRequest::parse(&long, &KpiSettings::default(), &["telefoon".into()], today, today).unwrap_err();
        assert_eq!(errors[0].code, "too_long");
    }

    #[test]
    fn the_previous_period_has_the_same_length_just_before() {
        let prev = request("1999-02-01", "1999-02-28", "day").previous();
        assert_eq!((prev.from.to_string(), prev.to.to_string()), ("1999-01-04".into(), "1999-01-31".into()));
    }
}
