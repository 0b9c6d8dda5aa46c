//! Generated calls with the shape of a municipal phone line: busy Monday mornings, a lunch dip,
//! quiet Fridays, closed at weekends and on holidays; waits that grow with the load, callers who
//! give up when the wait exceeds their patience. Deterministic per day, so a demo or benchmark
//! loaded twice holds the same calls.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::channels::telephony::{Call, CallOutcome};
use crate::sla::holidays;

/// Relative volume per opening hour, 08:00 to 20:00.
const HOURLY: [f64; 12] = [1.0, 1.7, 1.9, 1.6, 1.0, 1.4, 1.5, 1.3, 1.0, 0.6, 0.4, 0.3];
/// Relative volume Monday … Sunday.
const WEEKDAY: [f64; 7] = [1.3, 1.1, 1.0, 1.0, 0.8, 0.0, 0.0];

const QUEUES: [&str; 4] = ["burgerzaken", "belastingen", "afval", "algemeen"];
const AGENTS: [&str; 8] =
    ["anouk", "bas", "Mila de Vries", "Joost Bakker", "Sanne Visser", "Daan Smit", "Lotte Mulder", "Ruben Peters"];

/// Exponentially distributed seconds with the given mean.
fn exponential(rng: &mut StdRng, mean: f64) -> f64 {
    -mean * (1.0 - rng.r#gen::<f64>()).ln()
}

/// How many calls a day gets out of a weekly average of `per_weekday` (0 when closed).
pub fn volume(date: NaiveDate, per_weekday: f64) -> usize {
    if holidays::closing_holiday(date).is_some() {
        return 0;
    }
    (per_weekday * WEEKDAY[date.weekday().num_days_from_monday() as usize]).round() as usize
}

/// The calls of one day, `count` of them, arriving between 08:00 and 20:00 local time.
pub fn day(source: &str, zone: Tz, date: NaiveDate, count: usize) -> Vec<Call> {
    let seed = (date.num_days_from_ce() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = StdRng::seed_from_u64(seed);
    let total: f64 = HOURLY.iter().sum();
    let opening = zone
        .from_local_datetime(&date.and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default()))
        .earliest()
        .map_or_else(|| Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)), |t| t.with_timezone(&Utc));
    let mut calls = Vec::with_capacity(count);
    let mut n = 0;
    for (hour, weight) in HOURLY.iter().enumerate() {
        let in_hour = (count as f64 * weight / total).round() as usize;
        // Busier hours wait longer: the mean wait grows with the square of the load.
        let mean_wait = 8.0 * weight * weight;
        for _ in 0..in_hour {
            n += 1;
            let arrived_at = opening + Duration::seconds(hour as i64 * 3600 + rng.gen_range(0..3600));
            let ivr_s = rng.gen_range(8..45);
            let queued = rng.r#gen::<f64>() < 0.9;
            let wait = if queued { exponential(&mut rng, mean_wait) as i32 } else { 0 };
            let patience = exponential(&mut rng, 150.0) as i32;
            let queued_at = queued.then(|| arrived_at + Duration::seconds(ivr_s as i64));
            let abandoned = queued && patience < wait;
            let queue_s = if abandoned { patience } else { wait };
            let left_queue = arrived_at + Duration::seconds((ivr_s + queue_s) as i64);
            let talk_s = if abandoned { 0 } else { 60 + exponential(&mut rng, 200.0) as i32 };
            calls.push(Call {
                id: Uuid::now_v7(),
                source: source.to_owned(),
                external_id: format!("{}-{n}", date.format("%Y%m%d")),
                channel: crate::channels::Channel::Telefoon.code().to_owned(),
                queue: QUEUES[rng.gen_range(0..QUEUES.len())].to_owned(),
                agent: (!abandoned).then(|| AGENTS[rng.gen_range(0..AGENTS.len())].to_owned()),
                arrived_at,
                ivr_s,
                queued_at,
                queue_s,
                answered_at: (!abandoned).then_some(left_queue),
                ended_at: Some(left_queue + Duration::seconds(talk_s as i64)),
                talk_s,
                outcome: if abandoned { CallOutcome::Abandoned } else { CallOutcome::Answered },
            });
        }
    }
    calls.sort_by_key(|c| c.arrived_at);
    calls
}

/// The demo's live phone line: a new call every 10 to 40 seconds through the same events a
/// telephony platform sends (`offered`, then `answered` and `ended`, or `abandoned`), so a team
/// lead sees the wall board move at any hour. Runs until the process stops; a failed event is
/// logged and the next call goes on.
pub fn simulate(store: crate::store::Store) -> tokio::task::JoinHandle<()> {
    use crate::channels::telephony::events::{self, CallEvent, EventKind};
    tokio::spawn(async move {
        let mut rng = StdRng::from_entropy();
        loop {
            let pause = rng.gen_range(10..40);
            tokio::time::sleep(std::time::Duration::from_secs(pause)).await;
            let call_id = format!("demo-{}", Uuid::now_v7());
            let queue = QUEUES[rng.gen_range(0..QUEUES.len())].to_owned();
            let wait = exponential(&mut rng, 25.0).min(240.0) as u64;
            let gives_up = exponential(&mut rng, 120.0) < wait as f64;
            let talk = 60 + exponential(&mut rng, 180.0) as u64;
            // Not the demo's own logins (anouk, bas): a live call answered in their name would
            // open their desk (screen pop) while a newcomer is looking around.
            let agent = AGENTS[rng.gen_range(2..AGENTS.len())].to_owned();
            let event = move |kind: EventKind| CallEvent {
                source: Some("demo".into()),
                call_id: call_id.clone(),
                event: kind,
                at: crate::clock::now(),
                arrived_at: None,
                queue: Some(queue.clone()),
                channel: None,
                agent: (kind == EventKind::Answered).then(|| agent.clone()),
                caller: None,
            };
            let store = store.clone();
            tokio::spawn(async move {
                let steps: Vec<(u64, EventKind)> = if gives_up {
                    vec![(0, EventKind::Offered), (wait, EventKind::Abandoned)]
                } else {
                    vec![(0, EventKind::Offered), (wait, EventKind::Answered), (talk, EventKind::Ended)]
                };
                for (after, kind) in steps {
                    tokio::time::sleep(std::time::Duration::from_secs(after)).await;
                    if let Err(e) = events::apply(&store, &event(kind)).await {
                        tracing::warn!(error = %e, "demo call event refused");
                        return;
                    }
                }
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_the_same_each_time_and_weekends_and_holidays_are_closed() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let a = day("t", chrono_tz::Europe::Amsterdam, monday, 500);
        let b = day("t", chrono_tz::Europe::Amsterdam, monday, 500);
        assert_eq!(a.len(), b.len());
        assert!(a.iter().zip(&b).all(|(x, y)| x.external_id == y.external_id && x.queue_s == y.queue_s));
        assert!(a.iter().any(|c| c.outcome == CallOutcome::Abandoned));
        assert_eq!(volume(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(), 600.0), 0, "Saturday");
        assert_eq!(volume(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(), 600.0), 0, "Christmas");
        assert!(volume(monday, 600.0) > volume(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(), 600.0));
    }
}
