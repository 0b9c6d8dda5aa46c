//! `loket bench`: measurements on real data, with the peers an issue names, in one run.
//!
//! Rules: every figure comes from this machine in this run; the corpus and the queries are
//! files anyone can read (`../shared/data`, `crates/loket-search/testdata`); the command that
//! produced a table is printed with it. Timings are reported, never asserted.

pub mod contacts;
pub mod follow;
pub mod mail;
pub mod reports;
pub mod search;

use std::time::Duration;

/// p50, p99 and max of a set of latencies, in milliseconds.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
}

impl Latency {
    pub fn of(samples: &[Duration]) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).clamp(1, ms.len()) - 1];
        Latency {
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            max_ms: ms[ms.len() - 1],
            mean_ms: ms.iter().sum::<f64>() / ms.len() as f64,
        }
    }
}

/// `loket serve` as a process of its own on a free port, on the database at `url`, with
/// `extra` arguments; answers the child (killed when dropped) and its address once it is ready.
pub(crate) async fn serve(
    url: &str,
    backend: crate::store::Backend,
    data_dir: &std::path::Path,
    extra: &[String],
) -> anyhow::Result<(tokio::process::Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut command = tokio::process::Command::new(std::env::current_exe()?);
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(extra)
        .arg("--data-dir")
        .arg(data_dir)
        .env("LOKET_LOG", "warn")
        .env_remove("LOKET_SEARCH_DIR")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true);
    if backend == crate::store::Backend::Postgres {
        command.args(["--database-url", url]);
    } else {
        command.env_remove("LOKET_DATABASE_URL");
    }
    let server = command.spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    search::wait_ready_for(&client, &base).await?;
    Ok((server, base))
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub(crate) fn bar(total: u64, message: impl Into<std::borrow::Cow<'static, str>>) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total).with_message(message);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:32} [{bar:30}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Resident memory of a process in MB (Linux), for the report.
pub(crate) fn rss_mb(pid: u32) -> Option<f64> {
    status_mb(pid, "VmRSS:")
}

/// The process's own memory (heap and stacks) in MB, without file pages it has mapped: SQLite
/// maps its database file (`mmap_size`), and those pages count in the RSS but are the page cache.
pub(crate) fn anon_mb(pid: u32) -> Option<f64> {
    status_mb(pid, "RssAnon:")
}

fn status_mb(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with(field))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_sample_at_the_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let l = Latency::of(&samples);
        assert_eq!((l.p50_ms, l.p99_ms, l.max_ms), (50.0, 99.0, 100.0));
        assert_eq!(Latency::of(&[]).p99_ms, 0.0);
    }
}
