//! The `loket` command line. Settings (`--listen`, `--data-dir`, `--database-url`, …) are global:
//! every subcommand acts on the instance they name.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

use crate::app::{Application, open_store};
use crate::auth::password::Password;
use crate::auth::users::{self, NewUser, NewUserInput, Username};
use crate::auth::{Actor, tokens};
use crate::config::{LogFormat, Settings, SettingsArgs};
use crate::{channels, demo, knowledge, organisation, search};

#[derive(Parser, Debug)]
#[command(name = "loket", version, about = "Loket — open-source klantcontactcentrum (contact-center platform)")]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web UI and the API (migrates the database first)
    Serve,
    /// Bring the database schema up to date, then exit
    Migrate,
    /// Load the demo organisation (Gemeente Dijkstad) and serve; prints the demo logins
    Demo {
        /// Also generate customers and contacts at scale, for measurements (skipped when the
        /// database already holds that many contacts)
        #[arg(long)]
        scale: bool,
        /// Parties to generate with --scale
        #[arg(long, default_value_t = 1_000_000)]
        parties: usize,
        /// Contacts to generate with --scale
        #[arg(long, default_value_t = 5_000_000)]
        contacts: usize,
        /// Keep the wall board moving with generated live calls (a new one every 10–40 s);
        /// `false` for measurements and tests that count calls
        #[arg(long, env = "LOKET_DEMO_LIVE_CALLS", default_value_t = true, action = clap::ArgAction::Set)]
        live_calls: bool,
    },
    /// Manage user accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage the mailboxes of the e-mail channel
    #[command(subcommand)]
    Mailbox(MailboxCommand),
    /// Import data: articles (JSON Lines) or the UPL product list (CSV)
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export data
    #[command(subcommand)]
    Export(ExportCommand),
    /// Rebuild the search index from the database (a running server rebuilds its own instead)
    Reindex,
    /// Measure: search against PostgreSQL and SQLite full-text search, or how fast the index
    /// follows a publish (results and commands in docs/BENCHMARKS.md)
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Print the version
    Version,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import knowledge articles from a JSON Lines file (format: docs/IMPORT.md); re-importing
    /// updates by id instead of duplicating
    Articles { file: std::path::PathBuf },
    /// Import the UPL list of government product names (CSV with columns naam, uri, burger, bedrijf)
    Upl { file: std::path::PathBuf },
    /// Import synonym groups: one group per line, words separated by commas (# starts a comment)
    Synonyms { file: std::path::PathBuf },
    /// Import call-detail records (CSV/TSV export of a telephony platform) with a column mapping
    /// (format: docs/TELEPHONY.md; docs/examples/ has one for the bank data). Bad rows are listed
    /// by line number; the valid ones are stored in one transaction
    Calls {
        file: std::path::PathBuf,
        #[arg(long)]
        mapping: std::path::PathBuf,
        /// Store nothing when any row is bad
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Importing the bank's call month, and the month's service-level report (by day, by hour)
    /// and a streamed CSV export on generated calls, on SQLite and PostgreSQL
    Reports {
        /// Calls to generate in one month
        #[arg(long, default_value_t = 1_000_000)]
        calls: usize,
        #[arg(long, default_value = "../shared/data/callcenter/anonymous-bank-1999-02.tsv")]
        bank_file: std::path::PathBuf,
        #[arg(long, default_value = "docs/examples/anonymous-bank-1999-02.toml")]
        bank_mapping: std::path::PathBuf,
        /// Reports timed per grouping
        #[arg(long, default_value_t = 20)]
        repetitions: usize,
        /// PostgreSQL server (a database is created and dropped)
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres: String,
        #[arg(long)]
        no_postgres: bool,
    },
    /// Loket's search through its HTTP API, PostgreSQL FTS and SQLite FTS5, on the same
    /// documents and queries, at several corpus sizes
    Search {
        /// JSON Lines corpus ({"id","title","body"})
        #[arg(long, default_value = "../shared/data/kb/rijksoverheid-vac.jsonl")]
        corpus: std::path::PathBuf,
        /// Query files, comma-separated (crates/loket-search/testdata/README.md); lines without
        /// judgements are questions without an answer
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "crates/loket-search/testdata/agent-queries.jsonl,crates/loket-search/testdata/held-out-queries.jsonl,crates/loket-search/testdata/no-answer-queries.jsonl"
        )]
        queries: Vec<std::path::PathBuf>,
        /// Corpus sizes (scale-ups of the corpus, the originals inside)
        #[arg(long, value_delimiter = ',', default_value = "500,10000,100000")]
        sizes: Vec<usize>,
        /// PostgreSQL server for the PostgreSQL peer (a database is created and dropped)
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres: String,
        /// Skip the PostgreSQL peer
        #[arg(long)]
        no_postgres: bool,
        /// Only Loket, no peers
        #[arg(long)]
        loket_only: bool,
        /// Seconds of load per engine for the throughput figure
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Concurrent clients for the throughput figure
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Also write the results as JSON here
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// How long after a publish an article is found, through the writing process and through
    /// a second process on the same database
    Follow {
        /// The database both processes share (a fresh PostgreSQL database, or sqlite://FILE)
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 30)]
        repetitions: usize,
    },
    /// Registering contacts over HTTP with concurrent clients, finding parties by phone,
    /// e-mail and BSN, and a 1,000-item timeline, on SQLite and PostgreSQL, on data generated
    /// as by `loket demo --scale`
    Contacts {
        /// Parties to generate
        #[arg(long, default_value_t = 1_000_000)]
        parties: usize,
        /// Contacts to generate
        #[arg(long, default_value_t = 5_000_000)]
        contacts: usize,
        /// Concurrent clients registering contacts
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Seconds of registration load per backend
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// PostgreSQL server for the PostgreSQL run (a database is created and dropped)
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres: String,
        /// Skip the PostgreSQL run
        #[arg(long)]
        no_postgres: bool,
    },
    /// E-mail intake through the inbound endpoint: mails per second, latency, how soon receipts
    /// leave, and the precision and recall of the threading, on SQLite and PostgreSQL
    Mail {
        /// Mails to deliver
        #[arg(long, default_value_t = 10_000)]
        mails: usize,
        /// Concurrent deliveries
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// PostgreSQL server for the PostgreSQL run (a database is created and dropped)
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
        postgres: String,
        /// Skip the PostgreSQL run
        #[arg(long)]
        no_postgres: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Export every article (published version, else latest) as JSON Lines, to FILE or stdout
    Articles { file: Option<std::path::PathBuf> },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user
    Add {
        /// User name (lower-case letters, digits, . _ -)
        name: String,
        /// Role id; repeat or separate with commas: klantcontactmedewerker, tweedelijn,
        /// kennisexpert, redacteur, teamleider, beheerder
        #[arg(long = "role", required = true, value_delimiter = ',')]
        roles: Vec<String>,
        /// Full name as shown to colleagues [default: the user name]
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// Name of the afdeling or team the user belongs to
        #[arg(long)]
        unit: Option<String>,
        /// Read the password from the first line of standard input instead of prompting
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (ends their sessions)
    Passwd {
        name: String,
        /// Read the password from the first line of standard input instead of prompting
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum MailboxCommand {
    /// Add a mailbox (or change the one with this address): the address citizens write to, the
    /// IMAP account Loket fetches it from, the team whose queue it feeds
    Add {
        /// The mailbox's address, e.g. info@gemeente.nl
        address: String,
        /// imap[s]://USER@HOST:PORT/FOLDER (the password apart, from standard input)
        #[arg(long)]
        imap_url: Option<String>,
        /// Read the IMAP password from the first line of standard input (never from the command line)
        #[arg(long)]
        password_stdin: bool,
        /// Name of the team whose queue the mail goes to [default: the only team]
        #[arg(long)]
        team: Option<String>,
    },
    /// List the mailboxes (never their passwords)
    List,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (once; it cannot be shown again)
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        label: Option<String>,
    },
}

/// A mailbox error as one line for the terminal.
fn mailbox_error(e: crate::channels::email::EmailError) -> anyhow::Error {
    match e {
        crate::channels::email::EmailError::Invalid(errors) => {
            anyhow::anyhow!(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        }
        e => anyhow::anyhow!(e),
    }
}

fn bytecount_lines(data: &[u8]) -> u64 {
    data.iter().filter(|b| **b == b'\n').count() as u64
}

/// A progress bar on stderr (hidden when stderr is not a terminal, e.g. in tests and CI logs).
fn progress_bar(total: u64, message: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total).with_message(message);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {percent}% ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn init_tracing(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&settings.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

fn read_password(from_stdin: bool) -> anyhow::Result<Password> {
    let raw = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    } else {
        if !std::io::stdin().is_terminal() {
            bail!("no terminal to ask for a password; use --password-stdin");
        }
        let first = rpassword::prompt_password("Wachtwoord: ")?;
        let second = rpassword::prompt_password("Nogmaals: ")?;
        if first != second {
            bail!("the two passwords differ");
        }
        first
    };
    Password::parse(&raw).map_err(|e| anyhow::anyhow!(e.message))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::resolve(cli.settings)?;
    init_tracing(&settings);
    match cli.command {
        Command::Version => println!("loket {}", env!("CARGO_PKG_VERSION")),
        Command::Migrate => {
            open_store(&settings).await?;
            println!("Database bijgewerkt: {}", crate::store::redact(&settings.database_url()));
        }
        Command::Serve => serve(settings, None, None).await?,
        Command::Demo { scale, parties, contacts, live_calls } => {
            serve(settings, Some(live_calls), scale.then_some((parties, contacts))).await?
        }
        Command::User(UserCommand::Add { name, roles, display_name, email, unit, password_stdin }) => {
            let store = open_store(&settings).await?;
            let unit_id = match unit {
                Some(u) => Some(
                    organisation::find_id_by_name(&store, &u)
                        .await?
                        .with_context(|| format!("no afdeling or team named '{u}'"))?,
                ),
                None => None,
            };
            let password = read_password(password_stdin)?;
            let input = NewUserInput {
                username: name,
                display_name,
                email,
                unit_id,
                phone: None,
                topics: None,
                roles,
                password: Some(password.expose().to_owned()),
                kind: None,
            };
            let new = NewUser::parse(&input)
                .map_err(|errs| anyhow::anyhow!(errs.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
            let user = users::create(&store, &Actor::system("cli"), new).await?;
            println!("Gebruiker '{}' aangemaakt ({}).", user.username, user.id);
        }
        Command::Mailbox(MailboxCommand::Add { address, imap_url, password_stdin, team }) => {
            let store = open_store(&settings).await?;
            let password = match (password_stdin, &imap_url) {
                (true, _) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .lock()
                        .read_line(&mut line)
                        .context("cannot read the password from standard input")?;
                    Some(line.trim_end_matches(['\n', '\r']).to_owned())
                }
                (false, Some(_)) if std::io::stdin().is_terminal() => {
                    Some(rpassword::prompt_password("IMAP-wachtwoord: ").context("cannot read the password")?)
                }
                _ => None,
            };
            let input = crate::channels::email::MailboxInput {
                address,
                imap_url,
                password,
                team,
                max_message_bytes: None,
                max_attachment_bytes: None,
            };
            let actor = Actor::system("loket mailbox add");
            let saved =
                crate::channels::email::save_mailbox(&store, &actor, settings.secret_key.as_ref(), &input, true)
                    .await
                    .map_err(mailbox_error)?;
            println!("Mailbox {} ingesteld voor team {}.", saved.address, saved.team);
            if let Some(url) = &saved.imap_url {
                let how =
                    if saved.password_sealed { "versleuteld" } else { "onversleuteld (stel --secret-key-file in)" };
                println!("IMAP: {url}; wachtwoord {how} bewaard.");
            }
        }
        Command::Mailbox(MailboxCommand::List) => {
            let store = open_store(&settings).await?;
            for m in crate::channels::email::mailboxes(&store).await.map_err(mailbox_error)? {
                println!("{}\t{}\t{}", m.address, m.team, m.imap_url.as_deref().unwrap_or("(alleen doorgestuurd)"));
            }
        }
        Command::User(UserCommand::Passwd { name, password_stdin }) => {
            let store = open_store(&settings).await?;
            let username = Username::parse(&name)?;
            let password = read_password(password_stdin)?;
            users::set_password(&store, &Actor::system("cli"), &username, password).await?;
            println!("Wachtwoord van '{username}' gewijzigd; bestaande sessies zijn beëindigd.");
        }
        Command::Import(ImportCommand::Articles { file }) => {
            let store = open_store(&settings).await?;
            let size = std::fs::metadata(&file).with_context(|| format!("cannot read {}", file.display()))?.len();
            let reader = std::io::BufReader::new(std::fs::File::open(&file)?);
            let bar = progress_bar(size, "artikelen importeren");
            let started = std::time::Instant::now();
            let report = knowledge::import::import_articles(&store, reader, |done| bar.set_position(done)).await?;
            bar.finish_and_clear();
            println!(
                "{} nieuw, {} bijgewerkt, {} ongewijzigd, {} fout in {:.2} s",
                report.created,
                report.updated,
                report.unchanged,
                report.errors.len(),
                started.elapsed().as_secs_f64()
            );
            for (line, note) in &report.warnings {
                eprintln!("regel {line}: let op: {note}");
            }
            for (line, error) in &report.errors {
                eprintln!("regel {line}: {error}");
            }
            if !report.errors.is_empty() {
                bail!("{} regel(s) niet geïmporteerd", report.errors.len());
            }
        }
        Command::Import(ImportCommand::Upl { file }) => {
            let store = open_store(&settings).await?;
            let reader = std::fs::File::open(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let bar = indicatif::ProgressBar::new_spinner().with_message("UPL-producten importeren");
            let count = knowledge::import::import_upl(&store, reader, |n| bar.set_position(n)).await?;
            bar.finish_and_clear();
            println!("{count} UPL-producten ingelezen");
        }
        Command::Import(ImportCommand::Synonyms { file }) => {
            let store = open_store(&settings).await?;
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let added = search::synonyms::import_lines(&store, "import", &text).await?;
            println!("{added} synoniemengroepen toegevoegd");
        }
        Command::Import(ImportCommand::Calls { file, mapping, strict }) => {
            let text =
                std::fs::read_to_string(&mapping).with_context(|| format!("cannot read {}", mapping.display()))?;
            let mapping = channels::telephony::mapping::Mapping::from_toml(&text)
                .with_context(|| format!("mapping {} is not usable", mapping.display()))?;
            let data = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let rows = bytecount_lines(&data).saturating_sub(1);
            let store = open_store(&settings).await?;
            let bar = progress_bar(rows, "gesprekken importeren");
            let started = std::time::Instant::now();
            let result =
                channels::telephony::import(&store, &Actor::system("cli"), data.as_slice(), &mapping, strict, |n| {
                    bar.set_position(n)
                })
                .await;
            bar.finish_and_clear();
            let summary = match result {
                Ok(summary) => summary,
                Err(channels::telephony::TelephonyError::BadRows(bad)) => {
                    for row in &bad {
                        eprintln!("regel {}: {}", row.line, row.message);
                    }
                    bail!("{} regel(s) ongeldig; met --strict is niets opgeslagen", bad.len());
                }
                Err(e) => return Err(e.into()),
            };
            for row in &summary.bad {
                eprintln!("regel {}: {}", row.line, row.message);
            }
            println!(
                "{} regels: {} gesprekken opgeslagen, {} bijgewerkt, {} waren er al, {} genegeerd, {} ongeldig, in {:.2} s",
                summary.rows,
                summary.imported,
                summary.updated,
                summary.already_present,
                summary.ignored,
                summary.bad.len(),
                started.elapsed().as_secs_f64()
            );
            // Refused rows are a failure for whoever runs this from a script, even though the
            // valid rows were stored.
            if !summary.bad.is_empty() {
                bail!("{} regel(s) geweigerd; de geldige regels zijn opgeslagen", summary.bad.len());
            }
        }
        Command::Reindex => reindex(&settings).await?,
        Command::Bench(BenchCommand::Search {
            corpus,
            queries,
            sizes,
            postgres,
            no_postgres,
            loket_only,
            seconds,
            clients,
            out,
        }) => {
            let options = crate::bench::search::Options {
                corpus,
                queries,
                sizes,
                postgres_url: (!no_postgres).then_some(postgres),
                seconds,
                clients,
                out,
                loket_only,
            };
            crate::bench::search::run(options).await?;
        }
        Command::Bench(BenchCommand::Contacts { parties, contacts, clients, seconds, postgres, no_postgres }) => {
            let options = crate::bench::contacts::Options {
                parties,
                contacts,
                clients,
                seconds,
                postgres: (!no_postgres).then_some(postgres),
                data_dir: settings.data_dir.join(format!("bench-contacts-{parties}-{contacts}")),
            };
            let runs = crate::bench::contacts::run(options).await?;
            println!("{}", crate::bench::contacts::markdown(&runs));
            println!("{}", crate::bench::contacts::pages_markdown(&runs));
            println!("{}", serde_json::to_string_pretty(&runs)?);
        }
        Command::Bench(BenchCommand::Mail { mails, clients, postgres, no_postgres }) => {
            let options = crate::bench::mail::Options { mails, clients, postgres: (!no_postgres).then_some(postgres) };
            let runs = crate::bench::mail::run(options).await?;
            println!("{}", crate::bench::mail::markdown(&runs));
            println!("{}", serde_json::to_string_pretty(&runs)?);
        }
        Command::Bench(BenchCommand::Reports {
            calls,
            bank_file,
            bank_mapping,
            repetitions,
            postgres,
            no_postgres,
        }) => {
            let options = crate::bench::reports::Options {
                calls,
                bank_file,
                bank_mapping,
                repetitions,
                postgres: (!no_postgres).then_some(postgres),
            };
            let runs = crate::bench::reports::run(options).await?;
            println!("{}", crate::bench::reports::markdown(&runs));
            println!("{}", serde_json::to_string_pretty(&runs)?);
        }
        Command::Bench(BenchCommand::Follow { database_url, repetitions }) => {
            let report = crate::bench::follow::run(&database_url, repetitions).await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
        Command::Export(ExportCommand::Articles { file }) => {
            let store = open_store(&settings).await?;
            let count = match file {
                Some(path) => {
                    let out = std::io::BufWriter::new(std::fs::File::create(&path)?);
                    knowledge::import::export_articles(&store, out).await?
                }
                None => knowledge::import::export_articles(&store, std::io::stdout().lock()).await?,
            };
            eprintln!("{count} artikelen geëxporteerd");
        }
        Command::Token(TokenCommand::Create { user, label }) => {
            let store = open_store(&settings).await?;
            let username = Username::parse(&user)?;
            let label = tokens::parse_label(label.as_deref())?;
            let issued = tokens::create(&store, &Actor::system("cli"), &username, label).await?;
            eprintln!(
                "API-token '{}' voor {} aangemaakt. Bewaar het nu: het wordt niet opnieuw getoond.",
                issued.label, user
            );
            println!("{}", issued.token);
        }
    }
    Ok(())
}

/// Rebuilds the index in place, or, when a running server holds it, asks that server (and every
/// other process on the database) to rebuild its own.
async fn reindex(settings: &Settings) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let dir = settings.search_dir();
    match search::Search::open(&dir, settings.dictionary.as_deref()) {
        Ok((search, _)) => {
            let bar = progress_bar(0, "zoekindex opbouwen");
            let built = search::follow::rebuild(&store, &search, |done, total| {
                bar.set_length(total.max(done));
                bar.set_position(done);
            })
            .await?;
            bar.finish_and_clear();
            println!(
                "{} documenten geïndexeerd in {:.2} s ({} MB in {})",
                built.documents,
                built.elapsed.as_secs_f64(),
                search.index().size_on_disk() / 1_000_000,
                dir.display()
            );
        }
        Err(search::SearchError::Index(loket_search::IndexError::Locked(_))) => {
            search::follow::request_rebuild(&store).await?;
            println!("Een draaiende Loket gebruikt {}; die bouwt de zoekindex nu zelf opnieuw op.", dir.display());
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// `demo`: `Some(live calls)` loads the demo organisation first.
async fn serve(settings: Settings, demo: Option<bool>, scale: Option<(usize, usize)>) -> anyhow::Result<()> {
    let with_demo = demo.is_some();
    let started = std::time::Instant::now();
    let app = Application::build(settings.clone()).await?;
    if with_demo {
        let report = demo::load(app.store()).await?;
        let added: usize = report.iter().map(|(_, n)| n).sum();
        tracing::info!(added, "demogegevens geladen");
        // The wall board moves at any hour: a small live phone line of generated calls.
        if demo == Some(true) {
            demo::calls::simulate(app.store().clone());
        }
    }
    if let Some((parties, contacts)) = scale {
        generate_scale(app.store(), parties, contacts).await?;
    }
    let address = match &settings.public_url {
        Some(url) => url.clone(),
        None => format!("http://{}", app.address()),
    };
    println!(
        "Loket draait op {address}  (database: {}, klaar in {} ms)",
        app.store().backend().name(),
        started.elapsed().as_millis()
    );
    if with_demo {
        println!("Demo-accounts (wachtwoord voor allemaal: {}):", demo::DEMO_PASSWORD);
        for (username, name, role, unit) in demo::USERS.iter().take(6) {
            println!("  {username:<8} {name:<16} {:<24} {unit}", role.id());
        }
    }
    println!("Stoppen: Ctrl+C");
    app.run_until_stopped().await
}

/// `loket demo --scale`: generated customers and contacts, with a progress bar.
async fn generate_scale(store: &crate::store::Store, parties: usize, contacts: usize) -> anyhow::Result<()> {
    let mut conn = store.acquire().await?;
    let existing = crate::store::contacts::count(&mut conn).await?;
    drop(conn);
    if existing >= contacts as i64 {
        println!("Schaalgegevens staan er al ({existing} contacten).");
        return Ok(());
    }
    let agent = users::find_by_username(store, &Username::parse("anouk")?).await?;
    let bar = progress_bar((parties + contacts) as u64, "Klanten en contacten genereren");
    let started = std::time::Instant::now();
    demo::scale::generate(store, (agent.id, "Anouk Jansen"), parties, contacts, |done, _| bar.set_position(done))
        .await?;
    bar.finish_and_clear();
    println!("{parties} partijen en {contacts} contacten gegenereerd in {:.0} s.", started.elapsed().as_secs_f64());
    Ok(())
}
