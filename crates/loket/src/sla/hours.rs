//! Opening hours and the SLA clock that runs only while they are open.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::holidays;

/// One opening on a weekday, `opens` before `closes`, local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Opening {
    #[schema(value_type = String, example = "08:30")]
    pub opens: NaiveTime,
    #[schema(value_type = String, example = "17:00")]
    pub closes: NaiveTime,
}

/// The week of a channel or team: openings per weekday (Monday first), closing days, and whether
/// public holidays close it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OpeningHours {
    /// Seven lists, Monday to Sunday.
    pub week: [Vec<Opening>; 7],
    /// One-off closures (a staff day, a storm).
    #[schema(value_type = Vec<String>)]
    pub closures: Vec<NaiveDate>,
    pub closed_on_holidays: bool,
}

/// How far a clock looks ahead for an opening before it gives up (a week that is never open).
const HORIZON_DAYS: i64 = 400;

/// A local wall-clock time as an instant. A time inside the spring-forward gap does not exist;
/// it is taken as the first instant after the gap.
fn local_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = NaiveDateTime::new(date, time);
    match Amsterdam.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => {
            let later = naive + Duration::hours(1);
            Amsterdam
                .from_local_datetime(&later)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
        }
    }
}

impl OpeningHours {
    /// Monday to Friday `opens`–`closes`, closed at weekends and on holidays.
    pub fn weekdays(opens: NaiveTime, closes: NaiveTime) -> OpeningHours {
        let day = vec![Opening { opens, closes }];
        OpeningHours {
            week: [day.clone(), day.clone(), day.clone(), day.clone(), day, Vec::new(), Vec::new()],
            closures: Vec::new(),
            closed_on_holidays: true,
        }
    }

    /// Every hour of every day (a channel that never closes).
    pub fn always() -> OpeningHours {
        let midnight = NaiveTime::MIN;
        let day = vec![Opening { opens: midnight, closes: midnight }];
        OpeningHours { week: std::array::from_fn(|_| day.clone()), closures: Vec::new(), closed_on_holidays: false }
    }

    /// Whether the whole day is closed (closure or holiday).
    pub fn closed_on(&self, date: NaiveDate) -> bool {
        self.closures.contains(&date) || (self.closed_on_holidays && holidays::closing_holiday(date).is_some())
    }

    /// The open intervals of one local day as instants. `closes` at or before `opens` means
    /// "until midnight" (00:00–00:00 is the whole day).
    pub fn intervals_on(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.closed_on(date) {
            return Vec::new();
        }
        let weekday = date.weekday().num_days_from_monday() as usize;
        self.week[weekday]
            .iter()
            .map(|o| {
                let start = local_instant(date, o.opens);
                let end = if o.closes <= o.opens {
                    local_instant(date + Duration::days(1), NaiveTime::MIN)
                } else {
                    local_instant(date, o.closes)
                };
                (start, end)
            })
            .collect()
    }

    /// Open intervals from the local day of `from` onwards, in order, for at most the horizon.
    fn intervals_from(&self, from: DateTime<Utc>) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)> + '_ {
        let first = from.with_timezone(&Amsterdam).date_naive();
        (0..HORIZON_DAYS)
            .flat_map(move |d| self.intervals_on(first + Duration::days(d)))
            .filter(move |(_, end)| *end > from)
    }

    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let date = at.with_timezone(&Amsterdam).date_naive();
        self.intervals_on(date).iter().any(|(s, e)| *s <= at && at < *e)
    }

    /// When `open_seconds` of open time have passed after `start`: the clock pauses while closed.
    /// `None` when the hours never open within the horizon.
    pub fn add_open_time(&self, start: DateTime<Utc>, open_seconds: i64) -> Option<DateTime<Utc>> {
        let mut left = Duration::seconds(open_seconds.max(0));
        for (s, e) in self.intervals_from(start) {
            let s = s.max(start);
            if e - s >= left {
                return Some(s + left);
            }
            left -= e - s;
        }
        None
    }

    /// Open time between two instants, in seconds (0 when `to` is not after `from`).
    pub fn open_seconds_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        let mut total = 0;
        for (s, e) in self.intervals_from(from) {
            if s >= to {
                break;
            }
            total += (e.min(to) - s.max(from)).num_seconds().max(0);
        }
        total
    }

    /// The close of the working day `at` falls in; when `at` is after today's last closing (or on
    /// a closed day), the close of the next open day. `later_days` more open days are added on
    /// top (1 = "at the latest the next working day").
    pub fn end_of_working_day(&self, at: DateTime<Utc>, later_days: u32) -> Option<DateTime<Utc>> {
        let first = at.with_timezone(&Amsterdam).date_naive();
        let mut skipped = 0;
        for d in 0..HORIZON_DAYS {
            let intervals = self.intervals_on(first + Duration::days(d));
            let Some(close) = intervals.iter().map(|(_, e)| *e).max() else { continue };
            if close <= at {
                continue;
            }
            if skipped == later_days {
                return Some(close);
            }
            skipped += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Amsterdam.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn office() -> OpeningHours {
        OpeningHours::weekdays(NaiveTime::from_hms_opt(8, 30, 0).unwrap(), NaiveTime::from_hms_opt(17, 0, 0).unwrap())
    }

    #[test]
    fn the_clock_pauses_overnight_and_over_the_weekend() {
        // Friday 16:59 plus two open minutes is Monday 08:31.
        let due = office().add_open_time(local(2026, 11, 27, 16, 59), 120).unwrap();
        assert_eq!(due, local(2026, 11, 30, 8, 31));
        // Arriving on Saturday starts the clock on Monday morning.
        assert_eq!(
            office().add_open_time(local(2026, 11, 28, 11, 0), 30).unwrap(),
            local(2026, 11, 30, 8, 30) + Duration::seconds(30)
        );
    }

    #[test]
    fn holidays_and_closures_are_skipped() {
        // Thursday 24 December 2026 16:00 + 2 open hours: Christmas and Boxing Day are closed,
        // then a weekend: Monday 28 December 09:30.
        let due = office().add_open_time(local(2026, 12, 24, 16, 0), 2 * 3600).unwrap();
        assert_eq!(due, local(2026, 12, 28, 9, 30));
        let mut hours = office();
        hours.closures.push(NaiveDate::from_ymd_opt(2026, 12, 28).unwrap());
        assert_eq!(hours.add_open_time(local(2026, 12, 24, 16, 0), 2 * 3600).unwrap(), local(2026, 12, 29, 9, 30));
    }

    #[test]
    fn opening_hours_stay_local_across_daylight_saving_changes() {
        // Summer time starts on Sunday 29 March 2026; Monday opens at 08:30 CEST = 06:30 UTC.
        let monday = office().intervals_on(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap());
        assert_eq!(monday[0].0, Utc.with_ymd_and_hms(2026, 3, 30, 6, 30, 0).unwrap());
        let friday = office().intervals_on(NaiveDate::from_ymd_opt(2026, 3, 27).unwrap());
        assert_eq!(friday[0].0, Utc.with_ymd_and_hms(2026, 3, 27, 7, 30, 0).unwrap());
        // A channel open day and night has a 23-hour Sunday then.
        let always = OpeningHours::always();
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let (s, e) = always.intervals_on(sunday)[0];
        assert_eq!((e - s).num_hours(), 23);
    }

    #[test]
    fn open_time_between_counts_only_open_time() {
        let h = office();
        assert_eq!(h.open_seconds_between(local(2026, 11, 27, 16, 0), local(2026, 11, 30, 9, 0)), 3600 + 1800);
        assert_eq!(h.open_seconds_between(local(2026, 11, 30, 9, 0), local(2026, 11, 27, 16, 0)), 0);
        assert!(h.is_open(local(2026, 11, 30, 9, 0)));
        assert!(!h.is_open(local(2026, 11, 28, 9, 0)));
    }

    #[test]
    fn same_working_day_and_next_working_day_deadlines() {
        let h = office();
        // An e-mail on Friday morning: due Friday 17:00, at the latest Monday 17:00.
        assert_eq!(h.end_of_working_day(local(2026, 11, 27, 10, 0), 0), Some(local(2026, 11, 27, 17, 0)));
        assert_eq!(h.end_of_working_day(local(2026, 11, 27, 10, 0), 1), Some(local(2026, 11, 30, 17, 0)));
        // After closing on Friday it counts from Monday.
        assert_eq!(h.end_of_working_day(local(2026, 11, 27, 18, 0), 0), Some(local(2026, 11, 30, 17, 0)));
    }

    #[test]
    fn hours_that_never_open_give_no_due_time() {
        let closed = OpeningHours { week: Default::default(), closures: Vec::new(), closed_on_holidays: true };
        assert_eq!(closed.add_open_time(local(2026, 11, 27, 10, 0), 60), None);
    }
}
