//! The column mapping of a call-detail export (a TOML file): which column holds which moment of
//! a call, how times are written, in which time zone, and what the outcome codes mean.
//! docs/TELEPHONY.md documents every key; docs/examples/ holds a mapping for the bank data.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use uuid::Uuid;

use super::{BadRow, Call, CallOutcome, TelephonyError};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Names the export; (source, call id) is unique.
    pub source: String,
    /// One character; `\t` for tab-separated files. Default `,`.
    #[serde(default = "comma")]
    pub delimiter: String,
    /// The IANA time zone the export's wall-clock times are in. Default Europe/Amsterdam.
    #[serde(default = "amsterdam")]
    pub time_zone: String,
    /// The channel the calls count for. Default `telefoon`.
    #[serde(default = "telefoon")]
    pub channel: String,
    pub columns: Columns,
    #[serde(default)]
    pub format: Format,
    /// Outcome code in the file → `answered`, `abandoned` or `ignore`.
    pub outcomes: BTreeMap<String, String>,
}

/// One column, or several whose values together identify a call (joined with `:`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum IdColumns {
    One(String),
    Several(Vec<String>),
}

impl IdColumns {
    fn names(&self) -> Vec<&str> {
        match self {
            IdColumns::One(c) => vec![c.as_str()],
            IdColumns::Several(cs) => cs.iter().map(String::as_str).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The call's id in the export: unique per source (with several columns, unique together).
    pub call_id: IdColumns,
    /// When the time columns hold times of day: the column with the call's date.
    #[serde(default)]
    pub date: Option<String>,
    pub arrival: String,
    #[serde(default)]
    pub ivr_exit: Option<String>,
    #[serde(default)]
    pub queue_entry: Option<String>,
    #[serde(default)]
    pub queue_exit: Option<String>,
    #[serde(default)]
    pub answer: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    pub outcome: String,
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default)]
    pub queue: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format {
    /// chrono format of the date column (with `columns.date`). Default `%Y-%m-%d`.
    #[serde(default = "iso_date")]
    pub date: String,
    /// chrono format of a time of day (with `columns.date`) or of a full timestamp (without).
    /// Default `%H:%M:%S`.
    #[serde(default = "hms")]
    pub time: String,
    /// Values of a time column that mean "did not happen" (never queued, never answered).
    #[serde(default)]
    pub empty_times: Vec<String>,
    /// Values of the agent column that mean "no agent".
    #[serde(default)]
    pub empty_agents: Vec<String>,
}

impl Default for Format {
    fn default() -> Self {
        Format { date: iso_date(), time: hms(), empty_times: Vec::new(), empty_agents: Vec::new() }
    }
}

fn comma() -> String {
    ",".into()
}
fn amsterdam() -> String {
    "Europe/Amsterdam".into()
}
fn telefoon() -> String {
    crate::channels::Channel::Telefoon.code().into()
}
fn iso_date() -> String {
    "%Y-%m-%d".into()
}
fn hms() -> String {
    "%H:%M:%S".into()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Meaning {
    Outcome(CallOutcome),
    Ignore,
}

/// What a read produced: valid calls, the rows to ignore, the rows that were refused.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: u64,
    pub ignored: u64,
    pub calls: Vec<Call>,
    pub bad: Vec<BadRow>,
}

/// Column positions, found in the header once.
struct Positions {
    call_id: Vec<usize>,
    date: Option<usize>,
    arrival: usize,
    ivr_exit: Option<usize>,
    queue_entry: Option<usize>,
    queue_exit: Option<usize>,
    answer: Option<usize>,
    end: Option<usize>,
    outcome: usize,
    agent: Option<usize>,
    queue: Option<usize>,
}

/// A later moment of a call written as a time of day is on the arrival's date, or the next day
/// when it is more than twelve hours "earlier" (the call crossed midnight).
const MIDNIGHT_SLACK_HOURS: i64 = 12;

impl Mapping {
    pub fn from_toml(text: &str) -> Result<Mapping, TelephonyError> {
        let mapping: Mapping = toml::from_str(text).map_err(|e| TelephonyError::Mapping(e.message().to_owned()))?;
        mapping.check()?;
        Ok(mapping)
    }

    fn check(&self) -> Result<(), TelephonyError> {
        let bad = |m: String| Err(TelephonyError::Mapping(m));
        if self.source.trim().is_empty() {
            return bad("source must name the export".into());
        }
        if self.delimiter_byte().is_none() {
            return bad(format!("delimiter must be one character, not {:?}", self.delimiter));
        }
        if self.zone().is_none() {
            return bad(format!("time_zone {:?} is not an IANA time zone", self.time_zone));
        }
        for (code, meaning) in &self.outcomes {
            if self.meaning(meaning).is_none() {
                return bad(format!("outcome {code:?} must mean answered, abandoned or ignore, not {meaning:?}"));
            }
        }
        Ok(())
    }

    fn delimiter_byte(&self) -> Option<u8> {
        match self.delimiter.as_str() {
            "\\t" | "\t" | "tab" => Some(b'\t'),
            d if d.len() == 1 => Some(d.as_bytes()[0]),
            _ => None,
        }
    }

    fn zone(&self) -> Option<Tz> {
        self.time_zone.parse().ok()
    }

    fn meaning(&self, m: &str) -> Option<Meaning> {
        match m {
            "answered" => Some(Meaning::Outcome(CallOutcome::Answered)),
            "abandoned" => Some(Meaning::Outcome(CallOutcome::Abandoned)),
            "ignore" => Some(Meaning::Ignore),
            _ => None,
        }
    }

    fn positions(&self, header: &csv::StringRecord) -> Result<Positions, TelephonyError> {
        let find = |name: &str| -> Result<usize, TelephonyError> {
            header.iter().position(|h| h.trim() == name).ok_or_else(|| {
                TelephonyError::Mapping(format!(
                    "column {name:?} is not in the file (its columns: {})",
                    header.iter().collect::<Vec<_>>().join(", ")
                ))
            })
        };
        let optional = |name: &Option<String>| name.as_deref().map(find).transpose();
        Ok(Positions {
            call_id: self.columns.call_id.names().into_iter().map(find).collect::<Result<_, _>>()?,
            date: optional(&self.columns.date)?,
            arrival: find(&self.columns.arrival)?,
            ivr_exit: optional(&self.columns.ivr_exit)?,
            queue_entry: optional(&self.columns.queue_entry)?,
            queue_exit: optional(&self.columns.queue_exit)?,
            answer: optional(&self.columns.answer)?,
            end: optional(&self.columns.end)?,
            outcome: find(&self.columns.outcome)?,
            agent: optional(&self.columns.agent)?,
            queue: optional(&self.columns.queue)?,
        })
    }

    /// Reads every row. A missing column or an unreadable file stops the read; a bad row is
    /// listed and the read goes on.
    pub fn read(&self, reader: impl std::io::Read, progress: &mut impl FnMut(u64)) -> Result<Parsed, TelephonyError> {
        let delimiter = self.delimiter_byte().ok_or_else(|| TelephonyError::Mapping("delimiter".into()))?;
        let zone = self.zone().ok_or_else(|| TelephonyError::Mapping("time_zone".into()))?;
        let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(reader);
        let header = csv.headers().map_err(|e| TelephonyError::Read(e.to_string()))?.clone();
        let at = self.positions(&header)?;
        let mut parsed = Parsed::default();
        let mut record = csv::StringRecord::new();
        // A call id seen twice in one export: the second is refused (which one is right?).
        let mut seen: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    parsed.bad.push(BadRow { line, message: format!("onleesbare regel: {e}") });
                    continue;
                }
            }
            parsed.rows += 1;
            if parsed.rows % 1000 == 0 {
                progress(parsed.rows);
            }
            let line = record.position().map_or(0, |p| p.line());
            // A row with more or fewer fields than the header is shifted or cut off: any value
            // read from it could be another column's, so it is refused as it is.
            if record.len() != header.len() {
                let message = format!(
                    "deze regel heeft {} kolommen, de kopregel {}; controleer het scheidingsteken en de aanhalingstekens",
                    record.len(),
                    header.len()
                );
                parsed.bad.push(BadRow { line, message });
                continue;
            }
            match self.row(&record, &at, zone) {
                Ok(Some(call)) => match seen.get(&call.external_id) {
                    Some(first) => parsed.bad.push(BadRow {
                        line,
                        message: format!("gespreks-id {} staat al op regel {first}", call.external_id),
                    }),
                    None => {
                        seen.insert(call.external_id.clone(), line);
                        parsed.calls.push(call);
                    }
                },
                Ok(None) => parsed.ignored += 1,
                Err(message) => parsed.bad.push(BadRow { line, message }),
            }
        }
        progress(parsed.rows);
        Ok(parsed)
    }

    /// One row as a call; `None` for a row to ignore; the reason in Dutch when it is refused.
    fn row(&self, r: &csv::StringRecord, at: &Positions, zone: Tz) -> Result<Option<Call>, String> {
        let field = |i: usize| r.get(i).map(str::trim).unwrap_or("");
        let code = field(at.outcome);
        let outcome = match self.outcomes.get(code).and_then(|m| self.meaning(m)) {
            Some(Meaning::Ignore) => return Ok(None),
            Some(Meaning::Outcome(o)) => o,
            None => return Err(format!("onbekende uitkomstcode {code:?} in kolom {}", self.columns.outcome)),
        };
        let parts: Vec<&str> = at.call_id.iter().map(|i| field(*i)).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(format!("geen gespreks-id in kolom {}", self.columns.call_id.names().join(", ")));
        }
        let call_id = parts.join(":");
        let date = match at.date {
            Some(i) => Some(
                NaiveDate::parse_from_str(field(i), &self.format.date)
                    .map_err(|_| format!("datum {:?} past niet bij het formaat {}", field(i), self.format.date))?,
            ),
            None => None,
        };
        let arrival_column = &self.columns.arrival;
        let arrival_local = self
            .local_time(field(at.arrival), date, None, false)?
            .ok_or_else(|| format!("geen aankomsttijd in {arrival_column}"))?;
        // `literal` reads a marker of "did not happen" as the time it spells (midnight).
        let read = |i: Option<usize>, name: &str, literal: bool| -> Result<Option<DateTime<Utc>>, String> {
            let Some(i) = i else { return Ok(None) };
            let Some(local) = self.local_time(field(i), date, Some(arrival_local), literal)? else { return Ok(None) };
            let instant = to_instant(zone, local).ok_or_else(|| format!("{name} {local} bestaat niet in {zone}"))?;
            Ok(Some(instant))
        };
        let arrived_at = to_instant(zone, arrival_local)
            .ok_or_else(|| format!("aankomst {arrival_local} bestaat niet in {zone}"))?;
        let ivr_exit = read(at.ivr_exit, "IVR-einde", false)?;
        let queue_exit = read(at.queue_exit, "wachtrij-einde", false)?;
        let ended_at = read(at.end, "einde", false)?;
        // A marker beside a real exit is a real time: the call joined the queue (or was answered)
        // at exactly midnight. One bank call did.
        let queued_at = read(at.queue_entry, "wachtrij-start", queue_exit.is_some())?;
        let answered_at = read(at.answer, "aanname", ended_at.is_some())?;

        let before = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t < arrived_at);
        if before(ivr_exit) {
            return Err("onmogelijke tijden: het IVR-einde ligt vóór de aankomst".into());
        }
        if before(queued_at) {
            return Err("onmogelijke tijden: de wachtrij-start ligt vóór de aankomst".into());
        }
        if before(answered_at) {
            return Err("onmogelijke tijden: de aanname ligt vóór de aankomst".into());
        }
        let seconds =
            |from: DateTime<Utc>, to: DateTime<Utc>| (to - from).num_seconds().clamp(0, i32::MAX as i64) as i32;
        let queue_s = match (queued_at, queue_exit) {
            (Some(q), Some(e)) if e < q => return Err("onmogelijke tijden: de wachtrij eindigt vóór de start".into()),
            (Some(q), Some(e)) => seconds(q, e),
            (Some(q), None) => answered_at.map_or(0, |a| seconds(q, a)),
            (None, _) => 0,
        };
        let talk_s = match (answered_at, ended_at) {
            (Some(a), Some(e)) if e < a => return Err("onmogelijke tijden: het einde ligt vóór de aanname".into()),
            (Some(a), Some(e)) => seconds(a, e),
            _ => 0,
        };
        // Some exports mark a call served without its service times (50 rows in the bank data):
        // it was answered when it left the queue (or the IVR, when it never queued).
        let answered_at = match (outcome, answered_at) {
            (CallOutcome::Answered, None) => Some(
                queue_exit
                    .or(ivr_exit)
                    .or(queued_at)
                    .ok_or_else(|| "beantwoord, maar zonder aanname-, wachtrij- of IVR-tijd".to_owned())?,
            ),
            (_, a) => a,
        };
        let ivr_s = match (ivr_exit, queued_at) {
            (Some(x), _) => seconds(arrived_at, x),
            (None, Some(q)) => seconds(arrived_at, q),
            (None, None) => 0,
        };
        let agent = at
            .agent
            .map(field)
            .filter(|a| !a.is_empty() && !self.format.empty_agents.iter().any(|e| e == a))
            .map(str::to_owned);
        Ok(Some(Call {
            id: Uuid::now_v7(),
            source: self.source.clone(),
            external_id: call_id,
            channel: self.channel.clone(),
            queue: at.queue.map(field).unwrap_or("").to_owned(),
            agent,
            arrived_at,
            ivr_s,
            queued_at,
            queue_s,
            answered_at: if outcome == CallOutcome::Answered { answered_at } else { None },
            ended_at: ended_at.or(if outcome == CallOutcome::Abandoned { queue_exit } else { None }),
            talk_s: if outcome == CallOutcome::Answered { talk_s } else { 0 },
            outcome,
        }))
    }

    /// A time column as local wall-clock time; `None` when empty or marked as "did not happen"
    /// (unless `literal`).
    /// With a date column the value is a time of day, moved to the next day when it lies more
    /// than twelve hours before `after` (crossing midnight).
    fn local_time(
        &self,
        value: &str,
        date: Option<NaiveDate>,
        after: Option<NaiveDateTime>,
        literal: bool,
    ) -> Result<Option<NaiveDateTime>, String> {
        if value.is_empty() || (!literal && self.format.empty_times.iter().any(|e| e == value)) {
            return Ok(None);
        }
        let bad = || format!("tijd {value:?} past niet bij het formaat {}", self.format.time);
        let local = match date {
            Some(date) => {
                let time = NaiveTime::parse_from_str(value, &self.format.time).map_err(|_| bad())?;
                let mut t = NaiveDateTime::new(date, time);
                if let Some(after) = after
                    && after - t > Duration::hours(MIDNIGHT_SLACK_HOURS)
                {
                    t += Duration::days(1);
                }
                t
            }
            None => NaiveDateTime::parse_from_str(value, &self.format.time).map_err(|_| bad())?,
        };
        Ok(Some(local))
    }
}

/// A wall-clock time as an instant. In the autumn's repeated hour the earlier reading is taken;
/// a time in the spring's skipped hour does not exist.
fn to_instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANK: &str = include_str!("../../../../../docs/examples/anonymous-bank-1999-02.toml");

    fn read(mapping: &Mapping, text: &str) -> Parsed {
        mapping.read(text.as_bytes(), &mut |_| {}).unwrap()
    }

    const HEADER: &str = "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\n";

    #[test]
    fn the_bank_mapping_reads_a_served_call_with_its_waits() {
        let m = Mapping::from_toml(BANK).unwrap();
        let text = format!(
            "{HEADER}AA0101\t34539\t0\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:52\t30\tAGENT\t8:09:51\t8:12:00\t129\tDORIT\n"
        );
        let p = read(&m, &text);
        assert_eq!(p.bad, vec![]);
        let call = &p.calls[0];
        assert_eq!(call.outcome, CallOutcome::Answered);
        assert_eq!((call.ivr_s, call.queue_s, call.talk_s), (6, 30, 129));
        assert_eq!(call.agent.as_deref(), Some("DORIT"));
        assert_eq!(call.queue, "PS");
        // Israel in February is UTC+2.
        assert_eq!(call.arrived_at, Utc.with_ymd_and_hms(1999, 2, 1, 6, 9, 16).unwrap());
    }

    #[test]
    fn phantoms_are_ignored_and_unknown_codes_and_impossible_times_are_refused_by_line() {
        let m = Mapping::from_toml(BANK).unwrap();
        let text = format!(
            "{HEADER}\
             AA0101\t1\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER\n\
             AA0101\t2\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tBUSY\t0:00:00\t0:00:00\t0\tNO_SERVER\n\
             AA0101\t3\t0\t0\tPS\t990201\t9:48:14\t9:47:17\t-57\t9:47:17\t9:50:11\t174\tAGENT\t9:50:11\t9:51:28\t77\tDORIT\n\
             AA0101\t4\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tNO_SERVER\n"
        );
        let p = read(&m, &text);
        assert_eq!(p.rows, 4);
        assert_eq!(p.ignored, 1);
        assert_eq!(p.bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![3, 4]);
        assert!(p.bad[0].message.contains("BUSY"), "{}", p.bad[0].message);
        assert!(p.bad[1].message.contains("vóór de aankomst"), "{}", p.bad[1].message);
        // Answered a second before the IVR says it let go: a clock skew, not an error.
        assert_eq!(p.calls.len(), 1);
        assert_eq!(p.calls[0].agent, None);
        assert_eq!(p.calls[0].queued_at, None);
    }

    #[test]
    fn rows_with_too_few_or_too_many_columns_are_refused_for_that_reason() {
        let m = Mapping::from_toml(BANK).unwrap();
        let text = format!(
            "{HEADER}\
             AA0101\t1\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\n\
             AA0101\t2\t0\t0\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:52\t30\tAGENT\t8:09:51\t8:12:00\t129\tDORIT\textra\n\
             AA0101\t3\t0\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:52\t30\tAGENT\t8:09:51\t8:12:00\t129\tDORIT\n"
        );
        let p = read(&m, &text);
        assert_eq!(p.bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![2, 3]);
        assert!(p.bad[0].message.contains("9 kolommen, de kopregel 17"), "{}", p.bad[0].message);
        assert!(p.bad[1].message.contains("18 kolommen, de kopregel 17"), "{}", p.bad[1].message);
        assert_eq!(p.calls.len(), 1, "the whole row is read");
    }

    #[test]
    fn a_call_id_seen_twice_in_one_export_is_refused_the_second_time() {
        let m = Mapping::from_toml(BANK).unwrap();
        let row = "AA0101\t7\t0\t2\tPS\t990201\t8:09:16\t8:09:22\t6\t8:09:22\t8:09:52\t30\tAGENT\t8:09:51\t8:12:00\t129\tDORIT\n";
        let p = read(&m, &format!("{HEADER}{row}{row}"));
        assert_eq!(p.calls.len(), 1);
        assert_eq!(p.bad[0].line, 3);
        assert!(p.bad[0].message.contains("staat al op regel 2"), "{}", p.bad[0].message);
    }

    #[test]
    fn a_call_crossing_midnight_ends_the_next_day() {
        let m = Mapping::from_toml(BANK).unwrap();
        let text = format!(
            "{HEADER}AA0101\t5\t0\t0\tPS\t990201\t23:59:50\t23:59:55\t5\t23:59:55\t0:00:25\t30\tAGENT\t0:00:25\t0:01:25\t60\tTOVA\n"
        );
        let call = &read(&m, &text).calls[0];
        assert_eq!((call.queue_s, call.talk_s), (30, 60));
        assert_eq!(call.ended_at.unwrap() - call.arrived_at, Duration::seconds(95));
    }

    #[test]
    fn a_call_queued_at_exactly_midnight_is_not_taken_for_one_that_never_queued() {
        let m = Mapping::from_toml(BANK).unwrap();
        let text = format!(
            "{HEADER}AA0102\t31056\t0\t2\tPS\t990215\t23:59:54\t23:59:54\t0\t0:00:00\t0:00:27\t27\tAGENT\t0:00:26\t0:01:33\t67\tAVNI\n"
        );
        let call = &read(&m, &text).calls[0];
        assert!(call.queued_at.is_some());
        assert_eq!((call.queue_s, call.talk_s), (27, 67));
    }

    #[test]
    fn a_mapping_naming_a_missing_column_or_a_bad_zone_is_refused_before_reading() {
        let m = Mapping::from_toml(&BANK.replace("\"q_start\"", "\"queue_start\"")).unwrap();
        let err = m.read(HEADER.as_bytes(), &mut |_| {}).unwrap_err();
        assert!(err.to_string().contains("queue_start"), "{err}");
        let err = Mapping::from_toml(&BANK.replace("Asia/Jerusalem", "Mars/Olympus")).unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"), "{err}");
        let err = Mapping::from_toml(&BANK.replace("\"abandoned\"", "\"lost\"")).unwrap_err();
        assert!(err.to_string().contains("lost"), "{err}");
    }

    #[test]
    fn local_times_on_a_daylight_saving_day_become_the_right_instants() {
        let m = Mapping::from_toml(
            "source = \"t\"\n[columns]\ncall_id = \"id\"\narrival = \"a\"\noutcome = \"o\"\nanswer = \"b\"\n\
             [format]\ntime = \"%Y-%m-%d %H:%M:%S\"\n[outcomes]\nok = \"answered\"\n",
        )
        .unwrap();
        // 25 October 2026: 02:00–03:00 happens twice in Amsterdam; 01:59 CEST is 23:59 UTC.
        let p = read(&m, "id,a,o,b\n1,2026-10-25 01:59:00,ok,2026-10-25 03:01:00\n");
        let call = &p.calls[0];
        assert_eq!(call.arrived_at, Utc.with_ymd_and_hms(2026, 10, 24, 23, 59, 0).unwrap());
        assert_eq!(call.answered_at.unwrap(), Utc.with_ymd_and_hms(2026, 10, 25, 2, 1, 0).unwrap());
        // 29 March 2026 02:30 does not exist in Amsterdam.
        let p = read(&m, "id,a,o,b\n1,2026-03-29 02:30:00,ok,2026-03-29 03:10:00\n");
        assert!(p.bad[0].message.contains("bestaat niet"), "{:?}", p.bad);
    }
}
