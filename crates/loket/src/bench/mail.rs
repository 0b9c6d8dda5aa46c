//! `loket bench mail`: mail piped in through the inbound endpoint, as a mail server delivers
//! it, on SQLite and PostgreSQL: mails per second and latency, how soon each receipt leaves
//! (through a small SMTP sink in this process), and how well the threads are found.
//!
//! The mails are generated: a fifth of the senders write again, answering their own earlier
//! mail (by In-Reply-To, or by the reference of its receipt in the subject, or only with the
//! reference quoted in the body, as a mail server that rewrites Message-IDs leaves it), and
//! some answer someone else's mail with the same headers (a reply from Cc, a newsletter). The
//! expected thread of each is known, so precision and recall of the threading are counted.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::StreamExt;
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use uuid::Uuid;

use super::{Latency, bar};
use crate::auth::users::Username;
use crate::store::{self, Store};

pub struct Options {
    pub mails: usize,
    pub clients: usize,
    pub postgres: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub backend: String,
    pub mails: usize,
    pub clients: usize,
    pub per_s: f64,
    pub latency: Latency,
    pub refused: usize,
    pub threads: usize,
    pub receipts: usize,
    /// From intake (the receipt's row, written with the mail) to accepted by the SMTP sink.
    pub receipt_delay: Latency,
    pub receipts_unsent: usize,
    pub precision: f64,
    pub recall: f64,
    pub replies: usize,
}

/// What a generated mail is, for the threading count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// A new question: a thread of its own.
    New,
    /// An answer to this earlier mail by the same sender: joins its thread.
    Joins(usize),
    /// An answer to someone else's mail: must not join its thread.
    Apart(usize),
}

const MAILBOX: &str = "info@dijkstad.example";

pub async fn run(options: Options) -> anyhow::Result<Vec<Run>> {
    let dir = tempfile::tempdir()?;
    let sqlite_url = format!("sqlite://{}", dir.path().join("loket.db").display());
    let mut runs = vec![one(&options, &sqlite_url, dir.path()).await?];
    if let Some(admin) = &options.postgres {
        let name = format!("loket_bench_{}", Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(admin).await.context("PostgreSQL for the benchmark")?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await?;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b).to_owned();
        let pg_dir = tempfile::tempdir()?;
        let result = one(&options, &format!("{base}/{name}"), pg_dir.path()).await;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&pool).await?;
        runs.push(result?);
    }
    Ok(runs)
}

/// A mail server that accepts everything and forgets it: the receipts' delivery is timed by
/// the outbox's own `sent_at`.
async fn smtp_sink() -> anyhow::Result<u16> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = if in_data {
                        if line == "." {
                            in_data = false;
                            b"250 ok\r\n"
                        } else {
                            continue;
                        }
                    } else {
                        match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                            Some("EHLO") | Some("HELO") => b"250 sink\r\n",
                            Some("DATA") => {
                                in_data = true;
                                b"354 go on\r\n"
                            }
                            Some("QUIT") => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        }
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok(port)
}

fn generate(n: usize) -> Vec<(String, Expect, usize)> {
    // (raw mail, what it is, its sender's number)
    let senders = (n / 5).max(1);
    let mut mails = Vec::with_capacity(n);
    for i in 0..n {
        let earlier = i.checked_sub(200);
        let (sender, expect) = match (i % 10, earlier) {
            // An answer to one's own earlier mail.
            (3 | 6, Some(e)) => (mails_sender(&mails, e), Expect::Joins(e)),
            // Someone else answering that mail with its headers.
            (8, Some(e)) => ((mails_sender(&mails, e) + 1) % senders, Expect::Apart(e)),
            _ => (i % senders, Expect::New),
        };
        let from = format!("burger{sender}@burger.example");
        let (subject, headers, body) = match expect {
            Expect::New => (format!("Vraag {i} over de afvalinzameling"), String::new(), format!("Vraag nummer {i}.")),
            Expect::Joins(e) | Expect::Apart(e) => match i % 3 {
                0 => (
                    format!("Re: Vraag {e}"),
                    format!("In-Reply-To: <bench-{e}@burger.example>\r\n"),
                    "Aanvulling.".into(),
                ),
                1 => (format!("RE: Vraag {e} [REF-{e}]"), String::new(), "Nog een vraag.".into()),
                _ => (format!("Antw: Vraag {e}"), String::new(), format!("Dank u.\r\n\r\n> Ons kenmerk: REF-{e}")),
            },
        };
        let raw = format!(
            "Message-ID: <bench-{i}@burger.example>\r\nFrom: Burger {sender} <{from}>\r\nTo: {MAILBOX}\r\n\
             Subject: {subject}\r\n{headers}Date: Mon, 7 Dec 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        mails.push((raw, expect, sender));
    }
    mails
}

fn mails_sender(mails: &[(String, Expect, usize)], i: usize) -> usize {
    mails[i].2
}

async fn one(options: &Options, url: &str, data_dir: &Path) -> anyhow::Result<Run> {
    let store = Store::connect(url, 4).await?;
    store.migrate().await?;
    let backend = store.backend();
    crate::demo::load(&store).await?;
    let token = crate::auth::tokens::create(
        &store,
        &crate::auth::Actor::system("bench"),
        &Username::parse("frank")?,
        "bench".into(),
    )
    .await?
    .token;
    store.close().await;

    let smtp = smtp_sink().await?;
    let smtp_url = format!("smtp://127.0.0.1:{smtp}");
    let (mut server, base) = super::serve(url, backend, data_dir, &["--smtp-url".into(), smtp_url]).await?;
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build()?;

    // The references the generated answers quote are the receipts' real ones: the first round
    // delivers the new questions, the second the answers, with "REF-n" replaced by the
    // reference of mail n's thread.
    let mails = generate(options.mails);
    let endpoint = format!("{base}/api/v1/mailboxes/{MAILBOX}/inbound");
    let progress = bar(mails.len() as u64, format!("{}: e-mail binnen", backend.name()));
    let store = Store::connect(url, 2).await?;
    let references: Arc<tokio::sync::RwLock<HashMap<usize, String>>> = Arc::default();
    let items: Arc<tokio::sync::RwLock<HashMap<usize, Uuid>>> = Arc::default();
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(mails.len());
    let mut refused = 0;
    // In waves of 200, so that an answer's earlier mail is in before the answer is sent.
    for wave in mails.chunks(200).enumerate() {
        let (w, chunk) = wave;
        let results = futures_util::stream::iter(chunk.iter().enumerate().map(|(k, (raw, expect, _))| {
            let i = w * 200 + k;
            let (client, endpoint, token, references) = (&client, &endpoint, &token, references.clone());
            async move {
                let mut raw = raw.clone();
                if let Expect::Joins(e) | Expect::Apart(e) = expect
                    && let Some(r) = references.read().await.get(e)
                {
                    raw = raw.replace(&format!("REF-{e}"), r);
                }
                let t = Instant::now();
                let response = client
                    .post(endpoint)
                    .bearer_auth(token)
                    .header("Content-Type", "message/rfc822")
                    .body(raw)
                    .send()
                    .await;
                let took = t.elapsed();
                let item = match response {
                    Ok(r) if r.status().as_u16() == 202 => {
                        r.json::<serde_json::Value>().await.ok().and_then(|v| v["work_item"].as_str()?.parse().ok())
                    }
                    _ => None,
                };
                (i, took, item)
            }
        }))
        .buffer_unordered(options.clients)
        .collect::<Vec<_>>()
        .await;
        let mut conn = store.acquire().await?;
        for (i, took, item) in results {
            latencies.push(took);
            progress.inc(1);
            match item {
                Some(id) => {
                    items.write().await.insert(i, id);
                    if let Some(t) = store::email::thread(&mut conn, id).await? {
                        references.write().await.insert(i, t.reference);
                    }
                }
                None => refused += 1,
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    progress.finish_and_clear();

    // Wait for the outbox to empty (at most a minute), then time each receipt.
    let deadline = Instant::now() + Duration::from_secs(60);
    let delays = loop {
        let mut conn = store.acquire().await?;
        let rows = store::mail::receipt_delays(&mut conn).await?;
        if rows.iter().all(|(_, sent)| sent.is_some()) || Instant::now() > deadline {
            break rows;
        }
        drop(conn);
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let receipts = delays.len();
    let unsent = delays.iter().filter(|(_, s)| s.is_none()).count();
    let receipt_delay: Vec<Duration> =
        delays.iter().filter_map(|(created, sent)| ((*sent)? - *created).to_std().ok()).collect();

    let items = items.read().await;
    let (mut tp, mut fp, mut fne, mut replies) = (0usize, 0usize, 0usize, 0usize);
    for (i, (_, expect, _)) in mails.iter().enumerate() {
        let Some(got) = items.get(&i) else { continue };
        match expect {
            Expect::New => {}
            Expect::Joins(e) => {
                replies += 1;
                match items.get(e) {
                    Some(want) if want == got => tp += 1,
                    _ => fne += 1,
                }
            }
            Expect::Apart(e) => {
                replies += 1;
                if items.get(e) == Some(got) {
                    fp += 1;
                }
            }
        }
    }
    let threads = items.values().collect::<std::collections::HashSet<_>>().len();
    server.kill().await.ok();
    store.close().await;
    Ok(Run {
        backend: backend.name().to_owned(),
        mails: mails.len(),
        clients: options.clients,
        per_s: mails.len() as f64 / elapsed,
        latency: Latency::of(&latencies),
        refused,
        threads,
        receipts,
        receipt_delay: Latency::of(&receipt_delay),
        receipts_unsent: unsent,
        precision: if tp + fp == 0 { 1.0 } else { tp as f64 / (tp + fp) as f64 },
        recall: if tp + fne == 0 { 1.0 } else { tp as f64 / (tp + fne) as f64 },
        replies,
    })
}

pub fn markdown(runs: &[Run]) -> String {
    let mut out = String::from(
        "| backend | mails | clients | mails/s | p50 ms | p99 ms | max ms | refused | threads | receipts | receipt leaves p50 / p99 / max s | unsent | answers | precision | recall |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in runs {
        out.push_str(&format!(
            "| {} | {} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {} | {} | {} | {:.2} / {:.2} / {:.2} | {} | {} | {:.3} | {:.3} |\n",
            r.backend,
            r.mails,
            r.clients,
            r.per_s,
            r.latency.p50_ms,
            r.latency.p99_ms,
            r.latency.max_ms,
            r.refused,
            r.threads,
            r.receipts,
            r.receipt_delay.p50_ms / 1000.0,
            r.receipt_delay.p99_ms / 1000.0,
            r.receipt_delay.max_ms / 1000.0,
            r.receipts_unsent,
            r.replies,
            r.precision,
            r.recall,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_answers_point_back_at_least_a_wave_and_apart_ones_come_from_someone_else() {
        let mails = generate(1000);
        for (i, (_, expect, sender)) in mails.iter().enumerate() {
            match expect {
                Expect::Joins(e) => assert!(*e + 200 <= i && mails[*e].2 == *sender),
                Expect::Apart(e) => assert!(*e + 200 <= i && mails[*e].2 != *sender),
                Expect::New => {}
            }
        }
        assert!(mails.iter().filter(|m| m.1 != Expect::New).count() > 200);
    }
}
