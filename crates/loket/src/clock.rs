//! Time as Loket keeps it: stored in UTC with microsecond precision (what both backends hold),
//! shown in Europe/Amsterdam so daylight-saving changes never shift what a user reads.

use chrono::{DateTime, Offset, SubsecRound, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

/// The current time, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A time from outside (an API client), truncated to microseconds like every stored time.
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

const DAYS_NL: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const DAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_NL: [&str; 12] = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];
const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A report's period as people read it: `2026-12-04T09:00+01:00` (an hour) is "vr 4 dec 09:00",
/// `1999-02-01` (a day) is "ma 1 feb 1999", `from/to` is "1 feb 1999 – 28 feb 1999". The hour
/// keeps its offset in brackets when it is not the usual one of winter or summer time in the
/// Netherlands, so the doubled hour of the autumn change reads as two. Anything else is shown
/// as it is.
pub fn period_label(period: &str, english: bool) -> String {
    use chrono::{Datelike, NaiveDate, Timelike};
    let (days, months) = if english { (DAYS_EN, MONTHS_EN) } else { (DAYS_NL, MONTHS_NL) };
    let day = |d: NaiveDate, weekday: bool| {
        let month = months[d.month0() as usize];
        if weekday {
            format!("{} {} {month} {}", days[d.weekday().num_days_from_monday() as usize], d.day(), d.year())
        } else {
            format!("{} {month} {}", d.day(), d.year())
        }
    };
    if let Some((from, to)) = period.split_once('/') {
        return match (NaiveDate::parse_from_str(from, "%Y-%m-%d"), NaiveDate::parse_from_str(to, "%Y-%m-%d")) {
            (Ok(f), Ok(t)) => format!("{} – {}", day(f, false), day(t, false)),
            _ => period.to_owned(),
        };
    }
    if let Ok(d) = NaiveDate::parse_from_str(period, "%Y-%m-%d") {
        return day(d, true);
    }
    match DateTime::parse_from_str(period, "%Y-%m-%dT%H:%M%:z") {
        Ok(t) => {
            let d = t.date_naive();
            let month = months[d.month0() as usize];
            let weekday = days[d.weekday().num_days_from_monday() as usize];
            let mut out = format!("{weekday} {} {month} {:02}:{:02}", d.day(), t.hour(), t.minute());
            // The autumn change repeats an hour: its second time carries winter time's offset.
            let offset = t.offset().local_minus_utc();
            let usual = Amsterdam.offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc();
            if offset != usual || is_repeated_hour(t.with_timezone(&Utc)) {
                out.push_str(&format!(" ({})", t.format("%:z")));
            }
            out
        }
        Err(_) => period.to_owned(),
    }
}

/// Whether this instant's local hour in Amsterdam occurs twice (the night summer time ends).
fn is_repeated_hour(at: DateTime<Utc>) -> bool {
    use chrono::{Duration, Offset};
    // Summer time ends: the offset drops, and the hour on either side of the drop is read twice.
    let here = |t: DateTime<Utc>| t.with_timezone(&Amsterdam).offset().fix().local_minus_utc();
    here(at + Duration::hours(1)) < here(at) || here(at - Duration::hours(1)) > here(at)
}

/// `23-11-2026 15:04:05`, in Dutch local time.
pub fn format_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam).format("%d-%m-%Y %H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn report_periods_read_as_days_and_hours_in_dutch() {
        assert_eq!(period_label("2026-12-04T09:00+01:00", false), "vr 4 dec 09:00");
        assert_eq!(period_label("2026-12-04T09:00+01:00", true), "Fri 4 Dec 09:00");
        assert_eq!(period_label("1999-02-01", false), "ma 1 feb 1999");
        assert_eq!(period_label("1999-02-01/1999-02-28", false), "1 feb 1999 – 28 feb 1999");
        // The doubled hour of the autumn change: both named with their offset.
        assert_eq!(period_label("2026-10-25T02:00+02:00", false), "zo 25 okt 02:00 (+02:00)");
        assert_eq!(period_label("2026-10-25T02:00+01:00", false), "zo 25 okt 02:00 (+01:00)");
        assert_eq!(period_label("2026-10-25T03:00+01:00", false), "zo 25 okt 03:00");
        assert_eq!(period_label("2026-03-29T03:00+02:00", false), "zo 29 mrt 03:00", "spring repeats nothing");
        assert_eq!(period_label("iets anders", false), "iets anders");
    }

    #[test]
    fn times_are_shown_in_amsterdam_time_across_daylight_saving() {
        let winter = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 15, 12, 0, 0).unwrap();
        assert_eq!(format_local(winter), "15-01-2026 13:00:00");
        assert_eq!(format_local(summer), "15-07-2026 14:00:00");
    }

    #[test]
    fn now_keeps_no_more_than_microseconds() {
        assert_eq!(now().timestamp_subsec_nanos() % 1000, 0);
    }
}
