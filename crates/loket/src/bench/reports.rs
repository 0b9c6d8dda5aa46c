//! `loket bench reports`: importing the bank's 33,344-call month, and the month's service-level
//! report on 1,000,000 generated calls (by day and by hour), the wall board's figures on a day of
//! that month (with 2,000 open follow-up tasks due around that hour), and a streamed CSV export of
//! all of them — on SQLite and on PostgreSQL.

use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use futures_util::StreamExt;
use serde::Serialize;
use uuid::Uuid;

use super::{Latency, bar};
use crate::auth::Actor;
use crate::channels::telephony::{self, mapping::Mapping};
use crate::reports::service_level::{self, ServiceLevelQuery, ServiceLevelRequest};
use crate::reports::settings::KpiSettings;
use crate::store::Store;

pub struct Options {
    pub calls: usize,
    pub bank_file: std::path::PathBuf,
    pub bank_mapping: std::path::PathBuf,
    pub repetitions: usize,
    pub postgres: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub backend: &'static str,
    pub bank_rows: u64,
    pub bank_import_s: f64,
    pub calls: usize,
    pub generate_and_store_s: f64,
    pub month_by_day: Latency,
    pub month_by_hour: Latency,
    /// The wall board's figures at 14:00 on a working day of the month.
    pub wallboard: Latency,
    pub csv_rows: u64,
    pub csv_mb: f64,
    pub csv_s: f64,
    /// How far resident memory rose above its level before the export while it streamed.
    pub csv_rss_growth_mb: f64,
    /// The same for the process's own (anonymous) memory, without mapped database pages.
    pub csv_anon_growth_mb: f64,
}

pub async fn run(options: Options) -> anyhow::Result<Vec<Run>> {
    let dir = tempfile::tempdir()?;
    let sqlite_url = format!("sqlite://{}", dir.path().join("loket.db").display());
    let mut runs = vec![one(&options, &sqlite_url).await?];
    if let Some(admin) = &options.postgres {
        let name = format!("loket_bench_{}", Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(admin).await.context("PostgreSQL for the benchmark")?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await?;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
        let result = one(&options, &format!("{base}/{name}")).await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await?;
        runs.push(result?);
    }
    Ok(runs)
}

/// February 2026: 20 working days.
fn month() -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap_or_default())
}

fn request(group: &str) -> anyhow::Result<ServiceLevelRequest> {
    let (from, to) = month();
    let q = ServiceLevelQuery {
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        group: Some(group.to_owned()),
        ..ServiceLevelQuery::default()
    };
    ServiceLevelRequest::parse(
        &q,
        &KpiSettings::default(),
        &[crate::channels::Channel::Telefoon.code().to_owned()],
        from,
        to,
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))
}

async fn one(options: &Options, url: &str) -> anyhow::Result<Run> {
    let store = Store::connect(url, 8).await?;
    store.migrate().await?;
    let backend = store.backend().name();

    let mapping = Mapping::from_toml(&std::fs::read_to_string(&options.bank_mapping)?)?;
    let data = std::fs::read(&options.bank_file).with_context(|| format!("{}", options.bank_file.display()))?;
    let started = Instant::now();
    let bank = telephony::import(&store, &Actor::system("bench"), data.as_slice(), &mapping, false, |_| {}).await?;
    let bank_import_s = started.elapsed().as_secs_f64();

    let (from, to) = month();
    let working: Vec<NaiveDate> =
        from.iter_days().take_while(|d| *d <= to).filter(|d| crate::demo::calls::volume(*d, 1.0) > 0).collect();
    let per_day = options.calls / working.len().max(1);
    let progress = bar(options.calls as u64, format!("{backend}: gesprekken genereren"));
    let started = Instant::now();
    let mut stored = 0;
    for date in &working {
        let calls = crate::demo::calls::day("bench", chrono_tz::Europe::Amsterdam, *date, per_day);
        stored += calls.len();
        telephony::record(&store, &calls, |_| {}).await?;
        progress.set_position(stored as u64);
    }
    progress.finish_and_clear();
    let generate_and_store_s = started.elapsed().as_secs_f64();

    let time = |group: &'static str, n: usize| {
        let store = store.clone();
        async move {
            let req = request(group)?;
            let mut samples = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                let report = service_level::report(&store, &req).await?;
                samples.push(t.elapsed());
                anyhow::ensure!(report.total.offered > 0, "the report counted nothing");
            }
            anyhow::Ok(Latency::of(&samples))
        }
    };
    let month_by_day = time("day", options.repetitions).await?;
    let month_by_hour = time("hour", options.repetitions).await?;
    let wallboard = {
        use chrono::TimeZone;
        let at = chrono_tz::Europe::Amsterdam
            .with_ymd_and_hms(2026, 2, 16, 14, 0, 0)
            .single()
            .context("a wall-clock time in February")?
            .with_timezone(&chrono::Utc);
        open_tasks(&store, at, OPEN_TASKS).await?;
        let kpi = KpiSettings::default();
        let mut samples = Vec::with_capacity(options.repetitions * 5);
        for _ in 0..options.repetitions * 5 {
            let t = Instant::now();
            let board =
                crate::reports::wallboard::snapshot(&store, &kpi, crate::channels::Channel::Telefoon.code(), at)
                    .await?;
            samples.push(t.elapsed());
            anyhow::ensure!(board.today.offered > 0, "the wall board counted nothing");
            anyhow::ensure!(!board.at_risk.is_empty(), "the wall board saw no task at risk");
        }
        Latency::of(&samples)
    };

    let pid = std::process::id();
    let before = super::rss_mb(pid).unwrap_or(0.0);
    let anon_before = super::anon_mb(pid).unwrap_or(0.0);
    let (mut peak, mut anon_peak) = (before, anon_before);
    let started = Instant::now();
    // The comma-separated form, as the figures in docs/BENCHMARKS.md were measured.
    let dialect = crate::reports::calls::CsvDialect::Comma;
    let mut stream = Box::pin(crate::reports::calls::csv(store.clone(), request("day")?.calls(), dialect));
    let (mut bytes, mut lines) = (0usize, 0u64);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        peak = peak.max(super::rss_mb(pid).unwrap_or(0.0));
        anon_peak = anon_peak.max(super::anon_mb(pid).unwrap_or(0.0));
    }
    let csv_s = started.elapsed().as_secs_f64();
    store.close().await;
    Ok(Run {
        backend,
        bank_rows: bank.rows,
        bank_import_s,
        calls: stored,
        generate_and_store_s,
        month_by_day,
        month_by_hour,
        wallboard,
        csv_rows: lines.saturating_sub(1),
        csv_mb: bytes as f64 / 1e6,
        csv_s,
        csv_rss_growth_mb: peak - before,
        csv_anon_growth_mb: anon_peak - anon_before,
    })
}

/// Open follow-up tasks on the wall board's day, for its items near breach.
const OPEN_TASKS: usize = 2_000;

/// Stores `n` open follow-up tasks due between two hours before and six hours after `at`, so the
/// wall board has work at risk to find among work that is not.
async fn open_tasks(store: &Store, at: chrono::DateTime<chrono::Utc>, n: usize) -> anyhow::Result<()> {
    let mut tx = store.begin().await?;
    for i in 0..n {
        let due = at + chrono::Duration::minutes(i as i64 * 480 / n as i64 - 120);
        let row = crate::store::work::WorkItemRow {
            id: Uuid::now_v7(),
            kind: "opvolging".to_owned(),
            channel: None,
            contact_id: None,
            party_id: None,
            action: format!("Aanvraag {i} beoordelen"),
            explanation: String::new(),
            assignee_kind: "geautomatiseerd".to_owned(),
            assignee_id: None,
            assignee_name: "Zaaksysteem".to_owned(),
            unit_id: None,
            status: "te_verwerken".to_owned(),
            due_at: Some(due),
            created_at: due - chrono::Duration::days(1),
            created_by: "bench".to_owned(),
            done_at: None,
            done_by: None,
            result: String::new(),
        };
        crate::store::work::insert(&mut tx, &row).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub fn markdown(runs: &[Run]) -> String {
    let mut out = String::from(
        "| backend | bank import (33,344 rows) s | calls | month SL by day p50 / p99 ms | by hour p50 / p99 ms | wall board p50 / p99 ms | CSV rows | CSV MB | CSV s | RSS growth while streaming MB | of which own memory (RssAnon) MB |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in runs {
        out.push_str(&format!(
            "| {} | {:.2} | {} | {:.0} / {:.0} | {:.0} / {:.0} | {:.1} / {:.1} | {} | {:.0} | {:.1} | {:.1} | {:.1} |\n",
            r.backend,
            r.bank_import_s,
            r.calls,
            r.month_by_day.p50_ms,
            r.month_by_day.p99_ms,
            r.month_by_hour.p50_ms,
            r.month_by_hour.p99_ms,
            r.wallboard.p50_ms,
            r.wallboard.p99_ms,
            r.csv_rows,
            r.csv_mb,
            r.csv_s,
            r.csv_rss_growth_mb,
            r.csv_anon_growth_mb,
        ));
    }
    out
}
