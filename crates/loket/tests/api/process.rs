//! The `loket` binary as operators and scripts use it: settings, subcommands, shutdown, crashes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use loket::auth::Role;

use crate::helpers::TestApp;
use crate::on_both_backends;

fn loket() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_loket"));
    // Settings must come from the flags each test passes, not from the developer's shell.
    for (key, _) in std::env::vars() {
        if key.starts_with("LOKET_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

/// Starts `loket <args>` and waits for its "Loket draait op http://…" line.
fn start(args: &[&str]) -> (Child, String) {
    let mut child = loket().args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("loket starts");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines.next().expect("loket prints its address").unwrap();
        if let Some(rest) = line.strip_prefix("Loket draait op ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining stdout so the process never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

fn wait_for_exit(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn serve_help_documents_every_setting_with_its_environment_variable() {
    let output = loket().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for (flag, env) in [
        ("--listen", "LOKET_LISTEN"),
        ("--data-dir", "LOKET_DATA_DIR"),
        ("--database-url", "LOKET_DATABASE_URL"),
        ("--config", "LOKET_CONFIG"),
        ("--log-format", "LOKET_LOG_FORMAT"),
        ("--public-url", "LOKET_PUBLIC_URL"),
        ("--max-body-bytes", "LOKET_MAX_BODY_BYTES"),
        ("--login-max-failures", "LOKET_LOGIN_MAX_FAILURES"),
    ] {
        assert!(help.contains(flag) && help.contains(env), "{flag} / {env} missing from:\n{help}");
    }
}

#[test]
fn version_prints_the_version() {
    let output = loket().arg("version").output().unwrap();
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("loket "));
}

#[tokio::test]
async fn serve_creates_its_data_dir_with_a_wal_database_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("loket-data");
    let (mut child, address) = start(&["serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir.to_str().unwrap()]);
    let ready: serde_json::Value = reqwest::get(format!("{address}/readyz")).await.unwrap().json().await.unwrap();
    assert_eq!(ready["database"], "sqlite");
    let db = data_dir.join("loket.db");
    assert!(db.exists());
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&pool).await.unwrap();
    assert_eq!(mode, "wal");
    pool.close().await;

    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let status = wait_for_exit(&mut child, Duration::from_secs(10)).expect("loket stops within 10 s");
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[tokio::test]
async fn an_acknowledged_write_survives_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap().to_owned();
    let mut add = loket()
        .args(["user", "add", "beheer", "--role", "beheerder", "--password-stdin", "--data-dir", &data_dir])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"een-lang-wachtwoord\n").unwrap();
    assert!(add.wait().unwrap().success());
    let token_out = loket().args(["token", "create", "--user", "beheer", "--data-dir", &data_dir]).output().unwrap();
    assert!(token_out.status.success(), "{}", String::from_utf8_lossy(&token_out.stderr));
    let token = String::from_utf8(token_out.stdout).unwrap().trim().to_owned();

    let (mut child, address) = start(&["serve", "--listen", "127.0.0.1:0", "--data-dir", &data_dir]);
    let client = reqwest::Client::new();
    let created = client
        .post(format!("{address}/api/v1/units"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "Team Na De Crash", "kind": "afdeling"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    child.kill().unwrap(); // SIGKILL: no shutdown, no flush.
    child.wait().unwrap();

    let (mut child, address) = start(&["serve", "--listen", "127.0.0.1:0", "--data-dir", &data_dir]);
    let units: Vec<serde_json::Value> =
        client.get(format!("{address}/api/v1/units")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert!(units.iter().any(|u| u["name"] == "Team Na De Crash"));
    child.kill().unwrap();
    child.wait().unwrap();
}

fn shared_data(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path)
}

#[test]
fn the_500_real_articles_import_once_and_a_reimport_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let file = shared_data("kb/rijksoverheid-vac.jsonl");
    let first = loket().args(["import", "articles", file.to_str().unwrap(), "--data-dir", data_dir]).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).starts_with("500 nieuw, 0 bijgewerkt, 0 ongewijzigd, 0 fout"));
    let again = loket().args(["import", "articles", file.to_str().unwrap(), "--data-dir", data_dir]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("0 nieuw, 0 bijgewerkt, 500 ongewijzigd"));

    // Export, then import the export: the same articles, nothing changes.
    let exported = dir.path().join("export.jsonl");
    assert!(
        loket()
            .args(["export", "articles", exported.to_str().unwrap(), "--data-dir", data_dir])
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(std::fs::read_to_string(&exported).unwrap().lines().count(), 500);
    let round =
        loket().args(["import", "articles", exported.to_str().unwrap(), "--data-dir", data_dir]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&round.stdout).starts_with("0 nieuw, 0 bijgewerkt, 500 ongewijzigd"),
        "{}",
        String::from_utf8_lossy(&round.stdout)
    );
}

#[test]
fn bad_import_lines_are_reported_by_number_and_the_rest_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let file = dir.path().join("artikelen.jsonl");
    std::fs::write(
        &file,
        [
            r#"{"id": "a1", "title": "Parkeervergunning aanvragen", "body": "Vraag hem online aan."}"#,
            r#"{"id": "a2", "title": "Kapot"#,
            r#"{"id": "a3", "title": "x", "body": "te korte titel"}"#,
            r#"{"id": "a4", "title": "Afvalpas kwijt", "body": "Vraag een nieuwe aan.", "kleur": "blauw"}"#,
            r#"{"id": "a5", "title": "Kwijtschelding gemeentelijke belastingen", "body": "Wie weinig verdient...", "related": ["a1", "onbekend"]}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = loket().args(["import", "articles", file.to_str().unwrap(), "--data-dir", data_dir]).output().unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.starts_with("2 nieuw, 0 bijgewerkt, 0 ongewijzigd, 3 fout"), "{stdout}");
    for expected in [
        "regel 2:",
        "regel 3: title",
        "regel 4: unknown field `kleur`",
        "regel 5: let op: gerelateerd artikel 'onbekend'",
    ] {
        assert!(stderr.contains(expected), "{expected} missing from:\n{stderr}");
    }
}

#[test]
fn a_line_that_is_not_utf8_is_reported_by_number_and_the_other_lines_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("artikelen.jsonl");
    let mut bytes =
        br#"{"id": "a1", "title": "Parkeervergunning aanvragen", "body": "Vraag hem online aan."}"#.to_vec();
    bytes.extend_from_slice(b"\n{\"id\": \"a2\", \"title\": \"Caf\xe9 vergunning\", \"body\": \"Latin-1.\"}\n");
    bytes.extend_from_slice(br#"{"id": "a3", "title": "Afvalpas kwijt", "body": "Vraag een nieuwe aan."}"#);
    std::fs::write(&file, bytes).unwrap();
    let out = loket()
        .args(["import", "articles", file.to_str().unwrap(), "--data-dir", dir.path().join("data").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("2 nieuw, 0 bijgewerkt, 0 ongewijzigd, 1 fout"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("regel 2: deze regel is geen geldige UTF-8-tekst"), "{stderr}");
}

#[test]
fn demo_refuses_a_database_that_has_accounts_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let add = loket()
        .args(["user", "add", "echte.beheerder", "--role", "beheerder", "--password-stdin", "--data-dir", data_dir])
        .stdin(Stdio::piped())
        .output_piped();
    assert!(finish_with_input(add, b"een-lang-wachtwoord\n").status.success());
    let demo = loket().args(["demo", "--listen", "127.0.0.1:0", "--data-dir", data_dir]).output().unwrap();
    assert!(!demo.status.success());
    assert!(String::from_utf8_lossy(&demo.stderr).contains("of its own"));
}

async fn the_cli_adds_users_sets_passwords_and_issues_tokens_on_the_instance_it_is_pointed_at(app: &TestApp) {
    let db = ["--database-url", app.database_url.as_str()];
    let mut add = loket()
        .args(["user", "add", "integratie", "--role", "klantcontactmedewerker,teamleider", "--password-stdin"])
        .args(db)
        .stdin(Stdio::piped())
        .output_piped();
    add.stdin.take().unwrap().write_all(b"eerste-wachtwoord\n").unwrap();
    assert!(add.wait().unwrap().success());

    let mut passwd = loket()
        .args(["user", "passwd", "integratie", "--password-stdin"])
        .args(db)
        .stdin(Stdio::piped())
        .output_piped();
    passwd.stdin.take().unwrap().write_all(b"tweede-wachtwoord\n").unwrap();
    assert!(passwd.wait().unwrap().success());

    let out =
        loket().args(["token", "create", "--user", "integratie", "--label", "Koppeling"]).args(db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let me: serde_json::Value =
        app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"], serde_json::json!(["klantcontactmedewerker", "teamleider"]));

    let short = loket()
        .args(["user", "add", "kort", "--role", "redacteur", "--password-stdin"])
        .args(db)
        .stdin(Stdio::piped())
        .output_piped();
    let short = finish_with_input(short, b"kort\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("minimaal 10"));

    let unknown_role = loket()
        .args(["user", "add", "x2", "--role", "koning", "--password-stdin"])
        .args(db)
        .stdin(Stdio::piped())
        .output_piped();
    let unknown_role = finish_with_input(unknown_role, b"lang-genoeg-wachtwoord\n");
    assert!(String::from_utf8_lossy(&unknown_role.stderr).contains("koning"));
    let _ = Role::ALL;
}

trait SpawnPiped {
    fn output_piped(&mut self) -> Child;
}

impl SpawnPiped for Command {
    fn output_piped(&mut self) -> Child {
        self.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
    }
}

fn finish_with_input(mut child: Child, input: &[u8]) -> std::process::Output {
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

async fn the_demo_starts_again_on_its_own_database_and_adds_nothing_twice(app: &TestApp) {
    let first = loket::demo::load(&app.store).await.unwrap();
    let added = |report: &[(&str, usize)], step: &str| report.iter().find(|(s, _)| *s == step).map(|(_, n)| *n);
    assert!(added(&first, "klanten") > Some(0), "{first:?}");
    // The demo customers include one under geheimhouding, which an agent does not find by BSN.
    let again = loket::demo::load(&app.store).await.expect("a second start on the demo's own database");
    assert_eq!(added(&again, "klanten"), Some(0), "{again:?}");
    assert_eq!(added(&again, "gebruikers"), Some(0), "{again:?}");
}

on_both_backends!(
    the_cli_adds_users_sets_passwords_and_issues_tokens_on_the_instance_it_is_pointed_at,
    the_demo_starts_again_on_its_own_database_and_adds_nothing_twice,
);

#[test]
fn the_bank_call_log_imports_with_the_shipped_mapping_and_bad_rows_are_named_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap();
    let file = shared_data("callcenter/anonymous-bank-1999-02.tsv");
    let mapping =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples/anonymous-bank-1999-02.toml");
    let run = |extra: &[&str]| {
        let mut args = vec!["import", "calls", file.to_str().unwrap(), "--mapping", mapping.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--data-dir", data_dir]);
        loket().args(&args).output().unwrap()
    };
    let strict = run(&["--strict"]);
    assert!(!strict.status.success(), "with --strict a bad row stores nothing");
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert!(stderr.contains("regel 25374: onmogelijke tijden"), "{stderr}");

    let first = run(&[]);
    assert!(!first.status.success(), "refused rows make the command fail, though the valid ones are stored");
    assert!(String::from_utf8_lossy(&first.stderr).contains("23 regel(s) geweigerd"));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.contains(
            "33344 regels: 33043 gesprekken opgeslagen, 0 bijgewerkt, 0 waren er al, 278 genegeerd, 23 ongeldig"
        ),
        "{stdout}"
    );
    let again = run(&[]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("0 gesprekken opgeslagen, 0 bijgewerkt, 33043 waren er al"), "{stdout}");
}

#[test]
fn a_call_import_exits_non_zero_when_rows_are_refused_and_names_the_real_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("centrale.toml");
    std::fs::write(
        &mapping,
        "source = \"centrale\"\n[columns]\ncall_id = \"id\"\narrival = \"a\"\noutcome = \"o\"\n\
         [format]\ntime = \"%Y-%m-%d %H:%M:%S\"\n[outcomes]\nok = \"abandoned\"\n",
    )
    .unwrap();
    let file = dir.path().join("calls.csv");
    std::fs::write(&file, "id,a,o\n1,2026-03-02 09:00:00,ok\n2,2026-03-02 09:01:00\n3,2026-03-02 09:02:00,ok,extra\n")
        .unwrap();
    let out = loket()
        .args(["import", "calls", file.to_str().unwrap(), "--mapping", mapping.to_str().unwrap(), "--data-dir"])
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("regel 3: deze regel heeft 2 kolommen, de kopregel 3"), "{stderr}");
    assert!(stderr.contains("regel 4: deze regel heeft 4 kolommen, de kopregel 3"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 gesprekken opgeslagen"), "{stdout}");
}
