//! The SLA policy a beheerder sets: opening hours (the organisation's, and per channel or team
//! where they differ), a response-time target per channel and for callback requests, and the
//! callback attempt policy. Defaults follow docs/DOMAIN.md.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::hours::OpeningHours;
use crate::channels::Channel;
use crate::validation::{Checks, FieldError};

/// The target key of callback requests (beside the channel codes).
pub const CALLBACK: &str = "terugbelverzoek";
/// Internal follow-up tasks carry the due time their creator gave; they have no target of their
/// own, so they are flagged in their last open hour, as working-day targets are.
pub const TASK: &str = "taak";

/// How soon something must be answered. The clock pauses outside opening hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// Within this much open time (phone 30 s, chat 60 s).
    OpenSeconds { seconds: i64 },
    /// Before the close of the working day, plus `later_days` more working days (e-mail: 1 —
    /// "the same working day, at the latest the next").
    WorkingDay { later_days: u32 },
}

impl Target {
    /// When something that arrived at `from` is due; `None` when the hours never open.
    pub fn due(self, hours: &OpeningHours, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Target::OpenSeconds { seconds } => hours.add_open_time(from, seconds),
            Target::WorkingDay { later_days } => hours.end_of_working_day(from, later_days),
        }
    }

    /// Open time left under which an item is flagged as about to breach: a quarter of a
    /// seconds target, or the last open hour of a working-day target.
    pub fn warning_s(self) -> i64 {
        match self {
            Target::OpenSeconds { seconds } => (seconds / 4).max(1),
            Target::WorkingDay { .. } => 3_600,
        }
    }

    /// In Dutch, for the screens: "30 s", "zelfde werkdag", "uiterlijk 1 werkdag later".
    pub fn label(self) -> String {
        match self {
            Target::OpenSeconds { seconds } if seconds < 120 => format!("{seconds} s"),
            Target::OpenSeconds { seconds } => format!("{} min", seconds / 60),
            Target::WorkingDay { later_days: 0 } => "zelfde werkdag".to_owned(),
            Target::WorkingDay { later_days } => format!("uiterlijk {later_days} werkdag(en) later"),
        }
    }
}

/// How often and how far apart a callback is tried before it closes as niet bereikt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CallbackPolicy {
    pub max_attempts: u32,
    /// Minutes between a failed attempt and the next.
    pub spacing_minutes: u32,
}

impl Default for CallbackPolicy {
    fn default() -> Self {
        CallbackPolicy { max_attempts: 3, spacing_minutes: 60 }
    }
}

/// Opening hours are looked up most specific first: the team's, the channel's, the organisation's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SlaPolicy {
    /// The organisation's hours: every channel and team without hours of its own.
    pub hours: OpeningHours,
    /// Hours of a channel (by code) that differ.
    #[serde(default)]
    pub channel_hours: BTreeMap<String, OpeningHours>,
    /// Hours of a team (by unit id) that differ.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, OpeningHours>)]
    pub team_hours: BTreeMap<Uuid, OpeningHours>,
    /// Response-time target per channel code, and under `terugbelverzoek` for callbacks.
    pub targets: BTreeMap<String, Target>,
    pub callbacks: CallbackPolicy,
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for SlaPolicy {
    fn default() -> Self {
        let seconds = |s| Target::OpenSeconds { seconds: s };
        let same_day = Target::WorkingDay { later_days: 0 };
        SlaPolicy {
            hours: OpeningHours::weekdays(time(8, 30), time(17, 0)),
            channel_hours: BTreeMap::new(),
            team_hours: BTreeMap::new(),
            targets: BTreeMap::from([
                (Channel::Telefoon.code().to_owned(), seconds(30)),
                (Channel::Chat.code().to_owned(), seconds(60)),
                (Channel::Balie.code().to_owned(), seconds(0)),
                (Channel::Email.code().to_owned(), Target::WorkingDay { later_days: 1 }),
                (Channel::WhatsApp.code().to_owned(), same_day),
                (Channel::SocialMedia.code().to_owned(), same_day),
                (Channel::WebsiteApp.code().to_owned(), same_day),
                (CALLBACK.to_owned(), Target::WorkingDay { later_days: 1 }),
            ]),
            callbacks: CallbackPolicy::default(),
        }
    }
}

/// A target's open time left before it is due: negative when overdue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Remaining {
    pub due_at: DateTime<Utc>,
    /// Open seconds left (negative: open seconds overdue).
    pub open_s: i64,
    pub overdue: bool,
    /// Less than the target's warning time left, not yet overdue.
    pub near_breach: bool,
}

impl Remaining {
    /// "nog 1 u 20 min", "3 min te laat": open time, as a person would say it.
    pub fn label(&self) -> String {
        let s = self.open_s.abs();
        let span = if s >= 3_600 {
            format!("{} u {} min", s / 3_600, (s % 3_600) / 60)
        } else if s >= 60 {
            format!("{} min", s / 60)
        } else {
            format!("{s} s")
        };
        if self.overdue { format!("{span} te laat") } else { format!("nog {span}") }
    }
}

impl SlaPolicy {
    /// The hours that apply to a channel, or to a team when it has hours of its own.
    pub fn hours_for(&self, channel: Channel, team: Option<Uuid>) -> &OpeningHours {
        team.and_then(|t| self.team_hours.get(&t))
            .or_else(|| self.channel_hours.get(channel.code()))
            .unwrap_or(&self.hours)
    }

    /// The hours of back-office work: a team's own hours, or the organisation's.
    pub fn office_hours(&self, team: Option<Uuid>) -> &OpeningHours {
        team.and_then(|t| self.team_hours.get(&t)).unwrap_or(&self.hours)
    }

    /// The target of a channel or of callbacks; a channel without one must be answered the
    /// same working day.
    pub fn target(&self, key: &str) -> Target {
        self.targets.get(key).copied().unwrap_or(Target::WorkingDay { later_days: 0 })
    }

    /// When a callback requested at `at` is due: its target on the team's hours (callbacks are
    /// phone work), or the end of the citizen's window when that starts later.
    pub fn callback_due(
        &self,
        team: Option<Uuid>,
        at: DateTime<Utc>,
        window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Option<DateTime<Utc>> {
        let hours = self.hours_for(Channel::Telefoon, team);
        let due = self.target(CALLBACK).due(hours, at)?;
        Some(match window {
            Some((from, to)) if from > due => to,
            _ => due,
        })
    }

    /// The open time left until `due` at `now`, on the hours given, with the key's warning time.
    pub fn remaining(&self, key: &str, hours: &OpeningHours, due: DateTime<Utc>, now: DateTime<Utc>) -> Remaining {
        let open_s =
            if due >= now { hours.open_seconds_between(now, due) } else { -hours.open_seconds_between(due, now) };
        // Due in the past is overdue even when no open time has passed since (closed for the night).
        let overdue = due < now;
        Remaining { due_at: due, open_s, overdue, near_breach: !overdue && open_s < self.target(key).warning_s() }
    }

    /// Checks a whole policy; `channels` are the known channel codes and `teams` the known units.
    pub fn check(&self, channels: &[String], teams: &[Uuid]) -> Result<(), Vec<FieldError>> {
        let mut checks = Checks::default();
        check_hours(&mut checks, "hours", &self.hours);
        for (code, hours) in &self.channel_hours {
            let field = format!("channel_hours.{code}");
            if !channels.contains(code) {
                checks.push(FieldError::new(&field, "unknown_channel", format!("Onbekend kanaal '{code}'.")));
            }
            check_hours(&mut checks, &field, hours);
        }
        for (team, hours) in &self.team_hours {
            let field = format!("team_hours.{team}");
            if !teams.contains(team) {
                checks.push(FieldError::new(&field, "unknown_unit", "Deze afdeling of dit team bestaat niet."));
            }
            check_hours(&mut checks, &field, hours);
        }
        for (key, target) in &self.targets {
            let field = format!("targets.{key}");
            if key != CALLBACK && !channels.contains(key) {
                checks.push(FieldError::new(&field, "unknown_channel", format!("Onbekend kanaal '{key}'.")));
            }
            match *target {
                Target::OpenSeconds { seconds } if !(0..=7 * 24 * 3_600).contains(&seconds) => {
                    checks.push(FieldError::new(&field, "out_of_range", "Geef 0 seconden tot 7 dagen."))
                }
                Target::WorkingDay { later_days } if later_days > 20 => {
                    checks.push(FieldError::new(&field, "out_of_range", "Geef 0 tot 20 werkdagen erbij."))
                }
                _ => {}
            }
        }
        if !(1..=10).contains(&self.callbacks.max_attempts) {
            checks.push(FieldError::new("callbacks.max_attempts", "out_of_range", "Geef 1 tot 10 pogingen."));
        }
        if !(1..=7 * 24 * 60).contains(&self.callbacks.spacing_minutes) {
            checks.push(FieldError::new(
                "callbacks.spacing_minutes",
                "out_of_range",
                "Geef 1 minuut tot 7 dagen tussen de pogingen.",
            ));
        }
        checks.finish()
    }
}

fn check_hours(checks: &mut Checks, field: &str, hours: &OpeningHours) {
    for (day, openings) in hours.week.iter().enumerate() {
        let mut sorted = openings.clone();
        sorted.sort_by_key(|o| o.opens);
        let midnight = NaiveTime::MIN;
        for o in &sorted {
            if o.closes <= o.opens && o.closes != midnight {
                checks.push(FieldError::new(
                    &format!("{field}.week.{day}"),
                    "closes_before_opening",
                    "Een sluitingstijd ligt na de openingstijd (00:00 is middernacht).",
                ));
            }
        }
        let overlaps = sorted.windows(2).any(|w| w[0].closes == midnight || w[1].opens < w[0].closes);
        if overlaps {
            checks.push(FieldError::new(
                &format!("{field}.week.{day}"),
                "overlapping_openings",
                "Openingstijden op één dag mogen elkaar niet overlappen.",
            ));
        }
    }
    if hours.closures.len() > 1_000 {
        checks.push(FieldError::new(&format!("{field}.closures"), "too_many", "Geef hoogstens 1.000 sluitingsdagen."));
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Amsterdam;

    use super::*;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Amsterdam.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_callback_requested_on_friday_afternoon_is_due_at_the_close_of_monday() {
        let policy = SlaPolicy::default();
        // Friday 4 December 2026, 16:00; the next working day is Monday 7 December.
        let due = policy.callback_due(None, local(2026, 12, 4, 16, 0), None).unwrap();
        assert_eq!(due, local(2026, 12, 7, 17, 0));
    }

    #[test]
    fn a_callback_window_that_starts_after_the_target_moves_the_due_time_to_its_end() {
        let policy = SlaPolicy::default();
        let window = (local(2026, 12, 10, 9, 0), local(2026, 12, 10, 11, 0));
        let due = policy.callback_due(None, local(2026, 12, 4, 10, 0), Some(window)).unwrap();
        assert_eq!(due, local(2026, 12, 10, 11, 0));
    }

    #[test]
    fn a_team_with_its_own_hours_uses_them_before_the_channel_and_the_organisation() {
        let team = Uuid::now_v7();
        let mut policy = SlaPolicy::default();
        policy.team_hours.insert(team, OpeningHours::always());
        // Saturday: the organisation is closed, the team is not.
        let at = local(2026, 12, 5, 10, 0);
        assert!(policy.hours_for(Channel::Telefoon, Some(team)).is_open(at));
        assert!(!policy.hours_for(Channel::Telefoon, None).is_open(at));
    }

    #[test]
    fn remaining_time_counts_open_time_only_and_flags_the_last_hour() {
        let policy = SlaPolicy::default();
        let hours = &policy.hours;
        let due = local(2026, 12, 7, 9, 0);
        // Friday 16:30 to Monday 09:00: half an hour on Friday and half an hour on Monday.
        let r = policy.remaining(CALLBACK, hours, due, local(2026, 12, 4, 16, 30));
        assert_eq!(r.open_s, 3_600);
        assert!(!r.overdue && !r.near_breach);
        let r = policy.remaining(CALLBACK, hours, due, local(2026, 12, 7, 8, 45));
        assert!(r.near_breach);
        assert_eq!(r.label(), "nog 15 min");
        let r = policy.remaining(CALLBACK, hours, due, local(2026, 12, 7, 9, 10));
        assert!(r.overdue && !r.near_breach);
        assert_eq!(r.label(), "10 min te laat");
    }

    #[test]
    fn a_policy_with_unknown_channels_or_impossible_values_is_refused_with_every_reason() {
        let mut policy = SlaPolicy::default();
        policy.targets.insert("postduif".into(), Target::OpenSeconds { seconds: 10 });
        policy.callbacks.max_attempts = 0;
        policy.hours.week[0] = vec![super::super::hours::Opening { opens: time(17, 0), closes: time(9, 0) }];
        let channels: Vec<String> = policy.targets.keys().filter(|k| *k != "postduif").cloned().collect();
        let errors = policy.check(&channels, &[]).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["hours.week.0", "targets.postduif", "callbacks.max_attempts"]);
    }

    #[test]
    fn the_default_policy_is_valid() {
        let policy = SlaPolicy::default();
        let channels: Vec<String> = policy.targets.keys().cloned().collect();
        assert!(policy.check(&channels, &[]).is_ok());
    }
}
