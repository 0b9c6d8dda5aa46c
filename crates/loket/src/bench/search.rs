//! `loket bench search`: Loket's search through its HTTP API against PostgreSQL full-text
//! search (`dutch`, GIN, `ts_rank_cd`) and SQLite FTS5 (`bm25`), on the same documents and the
//! same queries, at several corpus sizes.
//!
//! - Corpus: the Rijksoverheid pages and deterministic scale-ups of them
//!   (`loket_search::corpus::scale_up`, seed 42), the originals inside.
//! - Queries: the 500 page titles (each finds its own page), the hand-written agent queries
//!   with graded judgements (`crates/loket-search/testdata/agent-queries.jsonl`), the held-out
//!   set written later without the engine (long questions, typos in several words), and
//!   questions the corpus has no answer to (`no-answer-queries.jsonl`, kind `no_answer`).
//!   Every figure is also given per kind: quality, the share Loket marks as not `confident`,
//!   latency with one client and Loket's throughput with `clients`.
//! - Loket runs as its own process (`loket serve`) on SQLite, so its memory is its own; the
//!   peers are queried over their own client connections (no HTTP in front of them, which
//!   favours them). Throughput uses wrk when installed (it costs the server the least CPU).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use loket_search::corpus::{CorpusDoc, scale_up};
use loket_search::evaluation::{self, Judgements, Quality};
use serde::Serialize;
use sqlx::Row;

use super::{Latency, bar, rss_mb};
use crate::auth::password::Password;
use crate::auth::users::{self, NewUser, Username};
use crate::auth::{Actor, Role, tokens};
use crate::store::Store;

/// Hits asked per query, and the cut-off of the quality measures.
const K: usize = 10;

#[derive(Debug, Clone)]
pub struct Options {
    pub corpus: PathBuf,
    /// Query files (testdata/README.md's format); a line without judgements has no answer.
    pub queries: Vec<PathBuf>,
    pub sizes: Vec<usize>,
    pub postgres_url: Option<String>,
    pub seconds: u64,
    pub clients: usize,
    pub out: Option<PathBuf>,
    /// Skip the peers (only Loket).
    pub loket_only: bool,
}

/// One query with what is relevant for it.
#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub text: String,
    pub judged: Judgements,
    /// title, or the kind of agent query (short, loose, misspelt, …).
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineRun {
    pub engine: String,
    pub documents: usize,
    pub build_s: f64,
    pub size_mb: f64,
    pub memory_mb: Option<f64>,
    /// Every query once, one at a time.
    pub latency: Latency,
    /// Queries per second with `clients` at once.
    pub throughput_qps: f64,
    pub throughput_p99_ms: Option<f64>,
    pub titles: Quality,
    /// Every query that has an answer, titles left out.
    pub agent: Quality,
    pub by_kind: BTreeMap<String, KindRun>,
}

/// The figures of one kind of query.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindRun {
    pub quality: Quality,
    /// One client, every query of the kind once.
    pub latency: Latency,
    /// The share of the kind's queries marked not `confident` (Loket only).
    pub not_confident: Option<f64>,
    /// Queries per second of this kind alone with `clients` (Loket only).
    pub throughput_qps: Option<f64>,
}

/// The kind of the queries that have no answer.
pub const NO_ANSWER: &str = "no_answer";

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub command: String,
    pub machine: String,
    pub clients: usize,
    pub seconds: u64,
    pub runs: Vec<EngineRun>,
}

pub fn load_corpus(path: &Path) -> anyhow::Result<Vec<CorpusDoc>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    loket_search::corpus::read_jsonl(&text).with_context(|| format!("{} is not a corpus", path.display()))
}

pub fn load_queries(originals: &[CorpusDoc], paths: &[PathBuf]) -> anyhow::Result<Vec<BenchQuery>> {
    let mut out: Vec<BenchQuery> = originals
        .iter()
        .map(|d| BenchQuery {
            text: d.title.clone(),
            judged: Judgements::from([(d.id.clone(), 2)]),
            kind: "title".into(),
        })
        .collect();
    for path in paths {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let judged: Judgements = v["relevant"]
                .as_object()
                .map(|o| o.iter().map(|(id, g)| (id.clone(), g.as_u64().unwrap_or(0) as u8)).collect())
                .unwrap_or_default();
            let kind = if judged.is_empty() { NO_ANSWER } else { v["kind"].as_str().unwrap_or("agent") };
            out.push(BenchQuery {
                text: v["query"].as_str().unwrap_or_default().to_owned(),
                judged,
                kind: kind.to_owned(),
            });
        }
    }
    Ok(out)
}

fn quality(
    engine: &str,
    documents: usize,
    build_s: f64,
    size_mb: f64,
    queries: &[BenchQuery],
    ranked: &[Vec<String>],
) -> EngineRun {
    let pick = |f: &dyn Fn(&BenchQuery) -> bool| {
        evaluation::mean(queries.iter().zip(ranked).filter(|(q, _)| f(q)).map(|(q, r)| (r.as_slice(), &q.judged)), K)
    };
    let mut by_kind = BTreeMap::new();
    for kind in queries.iter().map(|q| q.kind.clone()) {
        by_kind
            .entry(kind.clone())
            .or_insert_with(|| KindRun { quality: pick(&|q: &BenchQuery| q.kind == kind), ..Default::default() });
    }
    EngineRun {
        engine: engine.to_owned(),
        documents,
        build_s,
        size_mb,
        memory_mb: None,
        latency: Latency::default(),
        throughput_qps: 0.0,
        throughput_p99_ms: None,
        titles: pick(&|q| q.kind == "title"),
        agent: pick(&|q| q.kind != "title" && q.kind != NO_ANSWER),
        by_kind,
    }
}

/// Latency per kind from the samples of one pass over `queries`.
fn latency_by_kind(run: &mut EngineRun, queries: &[BenchQuery], samples: &[Duration]) {
    for (kind, entry) in &mut run.by_kind {
        let mine: Vec<Duration> =
            queries.iter().zip(samples).filter(|(q, _)| q.kind == *kind).map(|(_, d)| *d).collect();
        entry.latency = Latency::of(&mine);
    }
}

pub async fn run(options: Options) -> anyhow::Result<Report> {
    let originals = load_corpus(&options.corpus)?;
    let queries = load_queries(&originals, &options.queries)?;
    eprintln!("{} documenten, {} zoekvragen ({} titels)", originals.len(), queries.len(), originals.len());
    let mut runs = Vec::new();
    for &size in &options.sizes {
        let corpus = scale_up(&originals, size, 42);
        let loket = loket(&options, &corpus, &queries).await?;
        print_run(&loket);
        runs.push(loket);
        if options.loket_only {
            continue;
        }
        if let Some(url) = &options.postgres_url {
            for run in postgres(&options, url, &corpus, &queries).await? {
                print_run(&run);
                runs.push(run);
            }
        }
        for run in sqlite_fts(&options, &corpus, &queries).await? {
            print_run(&run);
            runs.push(run);
        }
    }
    let report = Report {
        command: std::env::args().collect::<Vec<_>>().join(" "),
        machine: machine(),
        clients: options.clients,
        seconds: options.seconds,
        runs,
    };
    if let Some(out) = &options.out {
        std::fs::write(out, serde_json::to_string_pretty(&report)?)?;
    }
    println!("\n{}", markdown(&report));
    Ok(report)
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    format!("{cpus} cores, {model}")
}

fn print_run(r: &EngineRun) {
    eprintln!(
        "{:<22} {:>7} docs  build {:>6.1} s  {:>7.1} MB  p50 {:>6.2} ms  p99 {:>7.2} ms  {:>6.0} q/s  titels MRR {:.3}  agent MRR {:.3} nDCG {:.3} R {:.3}",
        r.engine,
        r.documents,
        r.build_s,
        r.size_mb,
        r.latency.p50_ms,
        r.latency.p99_ms,
        r.throughput_qps,
        r.titles.mrr,
        r.agent.mrr,
        r.agent.ndcg,
        r.agent.recall
    );
}

/// The tables for docs/BENCHMARKS.md.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!("Machine: {}. Command: `{}`\n\n", report.machine, report.command));
    out.push_str(&format!(
        "| engine | docs | build s | index MB | memory MB | p50 ms | p99 ms | q/s ({} clients) | p99 ms under load | titles MRR@10 | answerable MRR@10 | answerable nDCG@10 | answerable recall@10 |\n",
        report.clients
    ));
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for r in &report.runs {
        out.push_str(&format!(
            "| {} | {} | {:.1} | {:.1} | {} | {:.2} | {:.2} | {:.0} | {} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
            r.engine,
            r.documents,
            r.build_s,
            r.size_mb,
            r.memory_mb.map_or("–".into(), |m| format!("{m:.0}")),
            r.latency.p50_ms,
            r.latency.p99_ms,
            r.throughput_qps,
            r.throughput_p99_ms.map_or("–".into(), |m| format!("{m:.1}")),
            r.titles.mrr,
            r.agent.mrr,
            r.agent.ndcg,
            r.agent.recall
        ));
    }
    let kinds: Vec<String> = report.runs.first().map(|r| r.by_kind.keys().cloned().collect()).unwrap_or_default();
    out.push_str("\nBy kind of query, MRR@10:\n\n| engine | docs |");
    for k in &kinds {
        out.push_str(&format!(" {k} |"));
    }
    out.push_str("\n|---|---:|");
    for _ in &kinds {
        out.push_str("---:|");
    }
    out.push('\n');
    for r in &report.runs {
        out.push_str(&format!("| {} | {} |", r.engine, r.documents));
        for k in &kinds {
            match r.by_kind.get(k) {
                Some(_) if k == NO_ANSWER => out.push_str(" – |"),
                Some(kind) => out.push_str(&format!(" {:.3} |", kind.quality.mrr)),
                None => out.push_str(" – |"),
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "\nBy kind of query, Loket: queries, MRR@10, share not `confident`, p50 / p99 ms with one client, q/s with {} clients; the peers' p50 / p99 ms:\n\n| docs | kind | queries | MRR@10 | not confident | p50 / p99 ms | q/s | peers p50 / p99 ms |\n|---:|---|---:|---:|---:|---:|---:|---|\n",
        report.clients
    ));
    for r in report.runs.iter().filter(|r| r.engine.starts_with("Loket")) {
        for (kind, k) in &r.by_kind {
            let peers: Vec<String> = report
                .runs
                .iter()
                .filter(|p| p.documents == r.documents && !p.engine.starts_with("Loket"))
                .filter_map(|p| {
                    p.by_kind
                        .get(kind)
                        .map(|pk| format!("{} {:.2} / {:.2}", p.engine, pk.latency.p50_ms, pk.latency.p99_ms))
                })
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {:.2} / {:.2} | {} | {} |\n",
                r.documents,
                kind,
                k.quality.queries,
                if kind == NO_ANSWER { "–".to_owned() } else { format!("{:.3}", k.quality.mrr) },
                k.not_confident.map_or("–".into(), |s| format!("{:.0} %", s * 100.0)),
                k.latency.p50_ms,
                k.latency.p99_ms,
                k.throughput_qps.map_or("–".into(), |q| format!("{q:.0}")),
                if peers.is_empty() { "–".to_owned() } else { peers.join("; ") }
            ));
        }
    }
    out
}

// --- Loket, through its HTTP API ------------------------------------------------------------

async fn loket(options: &Options, corpus: &[CorpusDoc], queries: &[BenchQuery]) -> anyhow::Result<EngineRun> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().to_owned();
    let url = format!("sqlite://{}", data.join("loket.db").display());
    let store = Store::connect(&url, 4).await?;
    store.migrate().await?;
    let mut lines = String::with_capacity(corpus.iter().map(|d| d.body.len() + d.title.len() + 80).sum());
    for d in corpus {
        let record = serde_json::json!({"id": d.id, "title": d.title, "body": d.body, "audience": "publiek"});
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    let progress = bar(lines.len() as u64, format!("Loket: {} artikelen importeren", corpus.len()));
    let report =
        crate::knowledge::import::import_articles(&store, lines.as_bytes(), |done| progress.set_position(done)).await?;
    progress.finish_and_clear();
    if !report.errors.is_empty() {
        bail!("import failed: {:?}", &report.errors[..report.errors.len().min(3)]);
    }
    let token = bench_token(&store).await?;
    // The index is built the way `loket reindex` builds it, timed.
    let dictionary = std::path::Path::new(loket_search::analysis::SYSTEM_DICTIONARY);
    let (search, _) = crate::search::Search::open(&data.join("zoekindex"), Some(dictionary))?;
    let progress = bar(0, "Loket: zoekindex opbouwen");
    let built = crate::search::follow::rebuild(&store, &search, |done, total| {
        progress.set_length(total);
        progress.set_position(done);
    })
    .await?;
    progress.finish_and_clear();
    let size_mb = search.index().size_on_disk() as f64 / 1e6;
    drop(search);
    store.close().await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = tokio::process::Command::new(std::env::current_exe()?)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(&data)
        .env("LOKET_LOG", "warn")
        .env_remove("LOKET_DATABASE_URL")
        .env_remove("LOKET_SEARCH_DIR")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build()?;
    wait_ready(&client, &base).await?;

    let ranked_of = |body: &serde_json::Value| -> Vec<String> {
        body["hits"].as_array().map_or(Vec::new(), |hits| {
            hits.iter().filter_map(|h| h["external_id"].as_str().map(str::to_owned)).collect()
        })
    };
    let ask = |q: &str| {
        client
            .get(format!("{base}/api/v1/search"))
            .query(&[("q", q), ("limit", &K.to_string())])
            .bearer_auth(&token)
            .send()
    };
    // A warm-up pass (page cache, analysis cache), then the measured one.
    for q in queries {
        ask(&q.text).await?.error_for_status()?;
    }
    let mut samples = Vec::with_capacity(queries.len());
    let mut ranked = Vec::with_capacity(queries.len());
    let mut unsure = Vec::with_capacity(queries.len());
    for q in queries {
        let started = Instant::now();
        let body: serde_json::Value = ask(&q.text).await?.error_for_status()?.json().await?;
        samples.push(started.elapsed());
        ranked.push(ranked_of(&body));
        unsure.push(body["confident"] != serde_json::Value::Bool(true));
    }
    let mut run = quality("Loket (HTTP)", corpus.len(), built.elapsed.as_secs_f64(), size_mb, queries, &ranked);
    run.latency = Latency::of(&samples);
    latency_by_kind(&mut run, queries, &samples);
    let path_of = |q: &BenchQuery| {
        format!(
            "/api/v1/search?{}",
            serde_urlencoded::to_string([("q", q.text.as_str()), ("limit", "10")]).unwrap_or_default()
        )
    };
    let per_kind_seconds = (options.seconds / 2).max(2);
    for (kind, entry) in &mut run.by_kind {
        let mine: Vec<bool> = queries.iter().zip(&unsure).filter(|(q, _)| q.kind == *kind).map(|(_, u)| *u).collect();
        entry.not_confident = Some(mine.iter().filter(|u| **u).count() as f64 / mine.len().max(1) as f64);
        let paths: Vec<String> = queries.iter().filter(|q| q.kind == *kind).map(path_of).collect();
        let progress = bar(0, format!("Loket: {kind} onder belasting"));
        entry.throughput_qps =
            wrk(&base, &paths, &token, options.clients, per_kind_seconds, dir.path()).await.map(|(qps, _)| qps);
        progress.finish_and_clear();
    }
    let paths: Vec<String> = queries.iter().map(path_of).collect();
    let (qps, p99) = match wrk(&base, &paths, &token, options.clients, options.seconds, dir.path()).await {
        Some(result) => result,
        None => {
            let client = client.clone();
            let base = base.clone();
            let token = token.clone();
            let urls: Vec<String> = paths.iter().map(|p| format!("{base}{p}")).collect();
            load(options.clients, options.seconds, urls, move |url: String| {
                let client = client.clone();
                let token = token.clone();
                async move { client.get(url).bearer_auth(token).send().await.map(|_| ()).map_err(anyhow::Error::from) }
            })
            .await
        }
    };
    run.throughput_qps = qps;
    run.throughput_p99_ms = p99;
    run.memory_mb = server.id().and_then(rss_mb);
    let _ = server.kill().await;
    Ok(run)
}

async fn bench_token(store: &Store) -> anyhow::Result<String> {
    bench_token_for(store).await
}

/// A klantcontactmedewerker "bench" and an API token for it.
pub(crate) async fn bench_token_for(store: &Store) -> anyhow::Result<String> {
    let actor = Actor::system("bench");
    let username = Username::parse("bench")?;
    let new = NewUser {
        username: username.clone(),
        display_name: "Benchmark".into(),
        email: None,
        unit_id: None,
        phone: None,
        topics: String::new(),
        roles: [Role::Klantcontactmedewerker].into(),
        password: Some(Password::parse("benchmark-wachtwoord")?),
        kind: crate::auth::users::AccountKind::Medewerker,
    };
    users::create(store, &actor, new).await?;
    Ok(tokens::create(store, &actor, &username, "bench".into()).await?.token)
}

async fn wait_ready(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    wait_ready_for(client, base).await
}

/// Waits until a server answers /readyz with 200.
pub(crate) async fn wait_ready_for(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the server at {base} did not become ready")
}

/// Runs wrk against `paths` in turn (each connection starts elsewhere in the list); None when
/// wrk is not installed.
async fn wrk(
    base: &str,
    paths: &[String],
    token: &str,
    clients: usize,
    seconds: u64,
    dir: &Path,
) -> Option<(f64, Option<f64>)> {
    if std::process::Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk ontbreekt (apt-get install wrk); de belasting komt uit dit proces");
        return None;
    }
    let script = dir.join("queries.lua");
    let mut lua = String::from("local paths = {\n");
    for p in paths {
        lua.push_str(&format!("  {:?},\n", p));
    }
    lua.push_str(&format!(
        "}}\nlocal i = 0\nfunction init(args)\n  i = math.random(#paths)\nend\nfunction request()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i], {{[\"Authorization\"] = \"Bearer {token}\"}})\nend\n"
    ));
    std::fs::write(&script, lua).ok()?;
    let output = tokio::process::Command::new("wrk")
        .args(["-t2", &format!("-c{clients}"), &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(&script)
        .arg(base)
        .output()
        .await
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let qps = text.lines().find(|l| l.starts_with("Requests/sec:"))?.split_whitespace().nth(1)?.parse().ok()?;
    let errors = text.lines().any(|l| l.contains("Non-2xx") || l.contains("Socket errors"));
    if errors {
        eprintln!("wrk meldt fouten:\n{text}");
    }
    let p99 = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(parse_wrk_duration);
    Some((qps, p99))
}

pub(crate) fn parse_wrk_duration(s: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (s, 1.0)
    };
    number.parse::<f64>().ok().map(|v| v * factor)
}

/// `clients` tasks calling `call` with the items in turn for `seconds`: (calls per second, p99 ms).
async fn load<T, F, Fut>(clients: usize, seconds: u64, items: Vec<T>, call: F) -> (f64, Option<f64>)
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let items = std::sync::Arc::new(items);
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let items = items.clone();
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut i = c * items.len() / clients.max(1);
            while Instant::now() < until {
                let t = Instant::now();
                if call(items[i % items.len()].clone()).await.is_ok() {
                    samples.push(t.elapsed());
                }
                i += 1;
            }
            samples
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    let elapsed = started.elapsed().as_secs_f64();
    (all.len() as f64 / elapsed, Some(Latency::of(&all).p99_ms))
}

// --- PostgreSQL full-text search ------------------------------------------------------------

/// The query for PostgreSQL: `websearch_to_tsquery` (all words, as users type), or the same
/// lexemes with OR (any word), ranked with `ts_rank_cd`.
const PG_AND: &str = "SELECT external_id FROM docs, websearch_to_tsquery('dutch', $1) q WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC LIMIT 10";
const PG_OR: &str = "SELECT external_id FROM docs, to_tsquery('dutch', NULLIF(replace(plainto_tsquery('dutch', $1)::text, ' & ', ' | '), '')) q WHERE tsv @@ q ORDER BY ts_rank_cd(tsv, q) DESC LIMIT 10";

async fn postgres(
    options: &Options,
    admin_url: &str,
    corpus: &[CorpusDoc],
    queries: &[BenchQuery],
) -> anyhow::Result<Vec<EngineRun>> {
    let admin = sqlx::PgPool::connect(admin_url).await.context("PostgreSQL for the peer")?;
    let name = format!("loket_bench_fts_{}_{}", std::process::id(), corpus.len());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await?;
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(b, _)| b);
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(options.clients as u32 + 2)
        .connect(&format!("{base}/{name}"))
        .await?;
    let result = postgres_in(options, &pool, corpus, queries).await;
    pool.close().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await?;
    result
}

async fn postgres_in(
    options: &Options,
    pool: &sqlx::PgPool,
    corpus: &[CorpusDoc],
    queries: &[BenchQuery],
) -> anyhow::Result<Vec<EngineRun>> {
    sqlx::query("CREATE TABLE docs (id BIGSERIAL PRIMARY KEY, external_id TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, tsv TSVECTOR)")
        .execute(pool)
        .await?;
    let progress = bar(corpus.len() as u64, "PostgreSQL: documenten laden");
    for chunk in corpus.chunks(500) {
        let mut b = sqlx::QueryBuilder::<sqlx::Postgres>::new("INSERT INTO docs (external_id, title, body) ");
        b.push_values(chunk, |mut row, d| {
            row.push_bind(&d.id).push_bind(&d.title).push_bind(&d.body);
        });
        b.build().execute(pool).await?;
        progress.inc(chunk.len() as u64);
    }
    progress.finish_and_clear();
    let started = Instant::now();
    sqlx::query("UPDATE docs SET tsv = setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('dutch', body), 'B')")
        .execute(pool)
        .await?;
    sqlx::query("CREATE INDEX docs_tsv ON docs USING GIN (tsv)").execute(pool).await?;
    sqlx::query("VACUUM ANALYZE docs").execute(pool).await?;
    let build_s = started.elapsed().as_secs_f64();
    let index: i64 = sqlx::query_scalar("SELECT pg_relation_size('docs_tsv')").fetch_one(pool).await?;
    let vectors: i64 =
        sqlx::query_scalar("SELECT COALESCE(SUM(pg_column_size(tsv)), 0)::BIGINT FROM docs").fetch_one(pool).await?;
    let size_mb = (index + vectors) as f64 / 1e6;
    let mut runs = Vec::new();
    for (label, sql) in [("PostgreSQL FTS (AND)", PG_AND), ("PostgreSQL FTS (OR)", PG_OR)] {
        let pool = pool.clone();
        let search = move |q: String| pg_query(pool.clone(), sql, q);
        runs.push(measure_peer(label, corpus.len(), build_s, size_mb, queries, options, search).await?);
    }
    Ok(runs)
}

/// One peer variant: a warm-up pass, the single-threaded latency and ranking of every query,
/// then the throughput of `options.clients` concurrent clients.
async fn measure_peer<F, Fut>(
    label: &str,
    documents: usize,
    build_s: f64,
    size_mb: f64,
    queries: &[BenchQuery],
    options: &Options,
    search: F,
) -> anyhow::Result<EngineRun>
where
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Vec<String>>> + Send,
{
    for q in queries {
        search(q.text.clone()).await?;
    }
    let mut samples = Vec::new();
    let mut ranked = Vec::new();
    for q in queries {
        let t = Instant::now();
        ranked.push(search(q.text.clone()).await?);
        samples.push(t.elapsed());
    }
    let mut run = quality(label, documents, build_s, size_mb, queries, &ranked);
    run.latency = Latency::of(&samples);
    latency_by_kind(&mut run, queries, &samples);
    let texts: Vec<String> = queries.iter().map(|q| q.text.clone()).collect();
    let (qps, p99) = load(options.clients, options.seconds, texts, move |q: String| {
        let search = search.clone();
        async move { search(q).await.map(|_| ()) }
    })
    .await;
    run.throughput_qps = qps;
    run.throughput_p99_ms = p99;
    Ok(run)
}

async fn pg_query(pool: sqlx::PgPool, sql: &'static str, q: String) -> anyhow::Result<Vec<String>> {
    let rows = sqlx::query(sql).bind(q).fetch_all(&pool).await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

// --- SQLite FTS5 ----------------------------------------------------------------------------

/// An FTS5 match expression of the typed words, each quoted (so no word is syntax), joined
/// with spaces (all words) or OR (any word).
pub fn fts5_query(text: &str, any: bool) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.to_lowercase()))
        .collect();
    if words.is_empty() { None } else { Some(words.join(if any { " OR " } else { " " })) }
}

async fn sqlite_fts(options: &Options, corpus: &[CorpusDoc], queries: &[BenchQuery]) -> anyhow::Result<Vec<EngineRun>> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("fts.db");
    let connect = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(options.clients as u32 + 1)
        .connect_with(connect)
        .await?;
    sqlx::query("CREATE VIRTUAL TABLE docs USING fts5(external_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')")
        .execute(&pool)
        .await?;
    let progress = bar(corpus.len() as u64, "SQLite FTS5: indexeren");
    let started = Instant::now();
    for chunk in corpus.chunks(1000) {
        let mut tx = pool.begin().await?;
        for d in chunk {
            sqlx::query("INSERT INTO docs (external_id, title, body) VALUES ($1, $2, $3)")
                .bind(&d.id)
                .bind(&d.title)
                .bind(&d.body)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        progress.inc(chunk.len() as u64);
    }
    sqlx::query("INSERT INTO docs (docs) VALUES ('optimize')").execute(&pool).await?;
    let build_s = started.elapsed().as_secs_f64();
    progress.finish_and_clear();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await?;
    let size_mb = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let mut runs = Vec::new();
    for (label, any) in [("SQLite FTS5 (AND)", false), ("SQLite FTS5 (OR)", true)] {
        let shared = pool.clone();
        let search = move |q: String| fts5_search(shared.clone(), any, q);
        runs.push(measure_peer(label, corpus.len(), build_s, size_mb, queries, options, search).await?);
    }
    pool.close().await;
    Ok(runs)
}

/// BM25 with the title weighing 2.5 times the text (as PostgreSQL's A and B weights do).
async fn fts5_search(pool: sqlx::SqlitePool, any: bool, q: String) -> anyhow::Result<Vec<String>> {
    let Some(expr) = fts5_query(&q, any) else { return Ok(Vec::new()) };
    let rows =
        sqlx::query("SELECT external_id FROM docs WHERE docs MATCH $1 ORDER BY bm25(docs, 0.0, 2.5, 1.0) LIMIT 10")
            .bind(expr)
            .fetch_all(&pool)
            .await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_queries_quote_every_word_so_nothing_is_syntax() {
        assert_eq!(fts5_query("paspoort \"kwijt\" OR (NEAR", false).unwrap(), "\"paspoort\" \"kwijt\" \"or\" \"near\"");
        assert_eq!(fts5_query("a b", true).unwrap(), "\"a\" OR \"b\"");
        assert_eq!(fts5_query("?!", false), None);
    }

    fn run_of(engine: &str, kinds: &[(&str, f64, Option<f64>)]) -> EngineRun {
        let mut by_kind = BTreeMap::new();
        for (kind, mrr, unsure) in kinds {
            let quality = Quality { queries: 2, mrr: *mrr, ndcg: 0.0, recall: 0.0 };
            by_kind.insert((*kind).to_owned(), KindRun { quality, not_confident: *unsure, ..Default::default() });
        }
        EngineRun {
            engine: engine.into(),
            documents: 500,
            build_s: 0.0,
            size_mb: 0.0,
            memory_mb: None,
            latency: Latency::default(),
            throughput_qps: 0.0,
            throughput_p99_ms: None,
            titles: Quality::default(),
            agent: Quality::default(),
            by_kind,
        }
    }

    #[test]
    fn the_tables_give_every_kind_and_no_mrr_for_questions_without_an_answer() {
        let report = Report {
            command: "loket bench search".into(),
            machine: "test".into(),
            clients: 8,
            seconds: 1,
            runs: vec![
                run_of("Loket (HTTP)", &[("question", 0.75, Some(0.25)), (NO_ANSWER, 0.0, Some(0.9))]),
                run_of("SQLite FTS5 (OR)", &[("question", 0.5, None), (NO_ANSWER, 0.0, None)]),
            ],
        };
        let text = markdown(&report);
        assert!(text.contains("| 500 | question | 2 | 0.750 | 25 % |"), "{text}");
        assert!(text.contains("| 500 | no_answer | 2 | – | 90 % |"), "{text}");
        assert!(text.contains("| SQLite FTS5 (OR) | 500 | – | 0.500 |"), "{text}");
        assert!(text.contains("SQLite FTS5 (OR) 0.00 / 0.00"), "the peers' latency per kind: {text}");
    }

    #[test]
    fn wrk_durations_are_read_in_milliseconds() {
        assert_eq!(parse_wrk_duration("12.50ms"), Some(12.5));
        assert_eq!(parse_wrk_duration("850.00us"), Some(0.85));
        assert_eq!(parse_wrk_duration("1.20s"), Some(1200.0));
    }
}
