//! `loket bench follow`: how long after a publish an article is found, through the process
//! that wrote it and through another process on the same database (the scale-out setup).
//!
//! Two `loket serve` processes share one database; articles are published through the domain
//! (the import, as `loket import articles` does) and both processes' search APIs are polled
//! until the article is there. Reported: p50, p99 and max over the repetitions.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::bail;
use serde::Serialize;

use super::Latency;
use crate::store::Store;

#[derive(Debug, Clone, Serialize)]
pub struct FollowReport {
    pub backend: String,
    pub repetitions: usize,
    /// Publish to found, through the process whose database connection wrote it.
    pub same_process: Latency,
    /// Publish to found, through the other process.
    pub other_process: Latency,
}

/// Runs the measurement on `database_url` (a fresh PostgreSQL database or a SQLite file URL).
pub async fn run(database_url: &str, repetitions: usize) -> anyhow::Result<FollowReport> {
    let store = Store::connect(database_url, 4).await?;
    store.migrate().await?;
    let a = tempfile::tempdir()?;
    let b = tempfile::tempdir()?;
    let token = super::search::bench_token_for(&store).await?;
    let (mut first, base_a) = spawn(database_url, a.path()).await?;
    let (mut second, base_b) = spawn(database_url, b.path()).await?;
    let client = reqwest::Client::new();
    for base in [&base_a, &base_b] {
        super::search::wait_ready_for(&client, base).await?;
    }
    let mut same = Vec::new();
    let mut other = Vec::new();
    for n in 0..repetitions {
        let word = format!("volgwoord{n}x{}", std::process::id());
        let line = serde_json::json!({"id": format!("volg-{n}-{}", std::process::id()), "title": format!("Meting {word}"), "body": "Een artikel om het volgen te meten.", "audience": "publiek"});
        let started = Instant::now();
        crate::knowledge::import::import_articles(&store, format!("{line}\n").as_bytes(), |_| {}).await?;
        let (mut seen_a, mut seen_b) = (None, None);
        while seen_a.is_none() || seen_b.is_none() {
            if started.elapsed() > Duration::from_secs(30) {
                bail!("article {word} not found within 30 s");
            }
            for (base, seen) in [(&base_a, &mut seen_a), (&base_b, &mut seen_b)] {
                if seen.is_none() && found(&client, base, &token, &word).await? {
                    *seen = Some(started.elapsed());
                }
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        same.extend(seen_a);
        other.extend(seen_b);
    }
    let _ = first.kill().await;
    let _ = second.kill().await;
    store.close().await;
    Ok(FollowReport {
        backend: store.backend().name().to_owned(),
        repetitions,
        same_process: Latency::of(&same),
        other_process: Latency::of(&other),
    })
}

async fn found(client: &reqwest::Client, base: &str, token: &str, word: &str) -> anyhow::Result<bool> {
    let body: serde_json::Value = client
        .get(format!("{base}/api/v1/search"))
        .query(&[("q", word)])
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(body["total"].as_u64().unwrap_or(0) > 0)
}

async fn spawn(database_url: &str, data: &std::path::Path) -> anyhow::Result<(tokio::process::Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", database_url])
        .arg("--data-dir")
        .arg(data)
        .env("LOKET_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    Ok((child, format!("http://127.0.0.1:{port}")))
}
