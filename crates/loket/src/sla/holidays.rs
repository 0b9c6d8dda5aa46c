//! Dutch public holidays (feestdagen), computed for any year.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: &'static str,
    /// Whether an organisation is usually closed (Goede Vrijdag and Bevrijdingsdag outside
    /// lustrum years are official but ordinary working days for most municipalities).
    pub closed: bool,
}

/// Easter Sunday (Gregorian calendar), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // The algorithm only yields 22 March … 25 April, always a valid date.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a valid date")
}

/// Koningsdag: 27 April, or 26 April when the 27th is a Sunday (since 2014; Koninginnedag before,
/// on 30 April, moved to the 29th on a Sunday).
fn kings_day(year: i32) -> (NaiveDate, &'static str) {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("a fixed date");
    if year >= 2014 {
        let day = ymd(4, 27);
        (if day.weekday() == Weekday::Sun { ymd(4, 26) } else { day }, "Koningsdag")
    } else {
        let day = ymd(4, 30);
        (if day.weekday() == Weekday::Sun { ymd(4, 29) } else { day }, "Koninginnedag")
    }
}

/// Every Dutch public holiday of `year`, in date order.
pub fn of_year(year: i32) -> Vec<Holiday> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("a fixed date");
    let easter = easter_sunday(year);
    let (kings, kings_name) = kings_day(year);
    let mut days = vec![
        Holiday { date: ymd(1, 1), name: "Nieuwjaarsdag", closed: true },
        Holiday { date: easter - Duration::days(2), name: "Goede Vrijdag", closed: false },
        Holiday { date: easter, name: "Eerste Paasdag", closed: true },
        Holiday { date: easter + Duration::days(1), name: "Tweede Paasdag", closed: true },
        Holiday { date: kings, name: kings_name, closed: true },
        Holiday { date: ymd(5, 5), name: "Bevrijdingsdag", closed: year % 5 == 0 },
        Holiday { date: easter + Duration::days(39), name: "Hemelvaartsdag", closed: true },
        Holiday { date: easter + Duration::days(49), name: "Eerste Pinksterdag", closed: true },
        Holiday { date: easter + Duration::days(50), name: "Tweede Pinksterdag", closed: true },
        Holiday { date: ymd(12, 25), name: "Eerste Kerstdag", closed: true },
        Holiday { date: ymd(12, 26), name: "Tweede Kerstdag", closed: true },
    ];
    days.sort_by_key(|h| h.date);
    days
}

/// The holiday on `date` that closes the organisation, if any.
pub fn closing_holiday(date: NaiveDate) -> Option<Holiday> {
    of_year(date.year()).into_iter().find(|h| h.date == date && h.closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_falls_on_the_published_dates() {
        // Known Easter Sundays, including the earliest (22 March) and latest (25 April) possible.
        for (y, m, d) in
            [(1818, 3, 22), (1943, 4, 25), (2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25)]
        {
            assert_eq!(easter_sunday(y), date(y, m, d), "{y}");
        }
    }

    #[test]
    fn the_holidays_of_2026_are_the_official_ones() {
        let names: Vec<(NaiveDate, &str)> = of_year(2026).iter().map(|h| (h.date, h.name)).collect();
        assert_eq!(
            names,
            vec![
                (date(2026, 1, 1), "Nieuwjaarsdag"),
                (date(2026, 4, 3), "Goede Vrijdag"),
                (date(2026, 4, 5), "Eerste Paasdag"),
                (date(2026, 4, 6), "Tweede Paasdag"),
                (date(2026, 4, 27), "Koningsdag"),
                (date(2026, 5, 5), "Bevrijdingsdag"),
                (date(2026, 5, 14), "Hemelvaartsdag"),
                (date(2026, 5, 24), "Eerste Pinksterdag"),
                (date(2026, 5, 25), "Tweede Pinksterdag"),
                (date(2026, 12, 25), "Eerste Kerstdag"),
                (date(2026, 12, 26), "Tweede Kerstdag"),
            ]
        );
    }

    #[test]
    fn kings_day_moves_to_saturday_when_the_27th_is_a_sunday() {
        assert_eq!(date(2025, 4, 27).weekday(), Weekday::Sun);
        assert_eq!(closing_holiday(date(2025, 4, 26)).map(|h| h.name), Some("Koningsdag"));
        assert_eq!(closing_holiday(date(2025, 4, 27)), None);
        assert_eq!(closing_holiday(date(2031, 4, 26)).map(|h| h.name), Some("Koningsdag"));
        assert_eq!(closing_holiday(date(2027, 4, 27)).map(|h| h.name), Some("Koningsdag"));
    }

    #[test]
    fn liberation_day_closes_only_in_lustrum_years_and_good_friday_never_by_default() {
        assert!(closing_holiday(date(2025, 5, 5)).is_some());
        assert!(closing_holiday(date(2026, 5, 5)).is_none());
        assert!(closing_holiday(date(2026, 4, 3)).is_none());
        assert!(closing_holiday(date(2026, 5, 14)).is_some());
    }
}
