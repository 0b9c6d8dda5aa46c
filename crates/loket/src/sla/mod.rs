//! Service-level agreements: when the organisation is open, which days are Dutch public holidays,
//! and how an SLA clock runs.
//!
//! Rules:
//! - Holidays are computed per year, never typed in: the fixed ones, the Easter-based ones
//!   (Goede Vrijdag, Pasen, Hemelvaart, Pinksteren) and Koningsdag, which moves to 26 April when
//!   27 April is a Sunday. Goede Vrijdag and Bevrijdingsdag (outside lustrum years) are listed but
//!   not closing days by default: most municipalities are open then.
//! - Opening hours are given per weekday in Europe/Amsterdam wall-clock time; a holiday or a
//!   one-off closure closes the whole day. Daylight-saving changes are handled by the time zone,
//!   so an opening at 08:00 is 08:00 local on both sides of a change.
//! - An SLA clock only runs while open: a due time adds open time, and the time left counts open
//!   time only.

pub mod holidays;
pub mod hours;
