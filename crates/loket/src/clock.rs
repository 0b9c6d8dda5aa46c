//! Time as Loket keeps it: stored in UTC with microsecond precision (what both backends hold),
//! shown in Europe/Amsterdam so daylight-saving changes never shift what a user reads.

use chrono::{DateTime, SubsecRound, Utc};
use chrono_tz::Europe::Amsterdam;

/// The current time, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A time from outside (an API client), truncated to microseconds like every stored time.
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
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
