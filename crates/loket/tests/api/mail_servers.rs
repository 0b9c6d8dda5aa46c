//! E-mail through real servers: mail delivered to an IMAP account (pymap) is fetched once, the
//! receipt and the agent's answer arrive at an SMTP sink (aiosmtpd) with the right headers.
//! Both servers come from PyPI into `target/mail-venv` (scripts/test installs them; outside CI
//! a missing venv skips these tests with a message).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use loket::auth::Role;
use serde_json::json;

use crate::callbacks::{get, post};
use crate::contacts::unit_with_agent;
use crate::helpers::TestApp;

const MAILBOX: &str = "post@dijkstad.example.nl";

fn venv() -> Option<PathBuf> {
    let dir = std::env::var("LOKET_MAIL_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/mail-venv"));
    if dir.join("bin/pymap").exists() && dir.join("bin/python").exists() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(!ci, "pymap and aiosmtpd are required under CI (scripts/test installs them into {})", dir.display());
    eprintln!("SKIPPED: no pymap/aiosmtpd in {} (scripts/test installs them)", dir.display());
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A child process that is killed when the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "the server on port {port} did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Delivers a mail to the IMAP account as a mail server would (APPEND).
fn append(venv: &Path, port: u16, raw: &str) {
    let script = "import imaplib,sys\n\
                  m=imaplib.IMAP4('127.0.0.1',int(sys.argv[1]))\n\
                  m.login('kcc','geheim')\n\
                  m.append('INBOX',None,None,sys.stdin.buffer.read())\n\
                  m.logout()\n";
    let mut child = Command::new(venv.join("bin/python"))
        .args(["-c", script, &port.to_string()])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(raw.replace('\n', "\r\n").as_bytes()).unwrap();
    assert!(child.wait().unwrap().success(), "APPEND failed");
}

/// The mails the sink has received, as raw text.
fn received(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else { return Vec::new() };
    entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect()
}

async fn until<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(Instant::now() < deadline, "waited 60 s for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn mail_from_an_imap_account_is_fetched_once_and_answers_reach_the_smtp_sink(backend: loket::store::Backend) {
    let Some(venv) = venv() else { return };
    let (imap_port, smtp_port) = (free_port(), free_port());
    let _imap = Server(
        Command::new(venv.join("bin/pymap"))
            .args(["--host", "127.0.0.1", "--port", &imap_port.to_string(), "--no-tls", "dict"])
            .args(["--demo-user", "kcc", "--demo-password", "geheim"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let sink_dir = tempfile::tempdir().unwrap();
    let maildir = sink_dir.path().join("sink");
    let _smtp = Server(
        Command::new(venv.join("bin/python"))
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{smtp_port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(imap_port).await;
    wait_for_port(smtp_port).await;
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let Some(app) = TestApp::spawn_with(backend, |s| s.smtp_url = Some(smtp_url)).await else { return };

    append(
        &venv,
        imap_port,
        "Message-ID: <imap-1@burger.example.nl>\nFrom: Els de Boer <els@burger.example.nl>\nTo: post@dijkstad.example.nl\n\
         Subject: Parkeervergunning\nDate: Mon, 7 Dec 2026 10:00:00 +0100\n\nHoe vraag ik een vergunning aan?\n",
    );
    let (unit, agent) = unit_with_agent(&app, "Team Post").await;
    let admin = app.token(&[Role::Beheerder]).await;
    let url = format!("imap://kcc@127.0.0.1:{imap_port}/INBOX");
    let body = json!({"address": MAILBOX, "team": unit, "imap_url": url, "password": "geheim"});
    let (status, created) = post(&app, &admin, "/api/v1/mailboxes", &body).await;
    assert_eq!(status, 201, "{created}");

    let id = until("the mail to be fetched", async || {
        let (_, queue) = get(&app, &agent, "/api/v1/work-items?channel=e-mail").await;
        queue["items"].as_array().and_then(|i| i.first()).map(|i| i["id"].as_str().unwrap().to_owned())
    })
    .await;
    // The mail was in the folder before Loket first read it: a thread, but no receipt days late.
    // A second mail while Loket watches (IDLE) gets one.
    append(
        &venv,
        imap_port,
        "Message-ID: <imap-2@burger.example.nl>\nFrom: piet@burger.example.nl\nTo: post@dijkstad.example.nl\n\
         Subject: Afval\n\nDe container is vol.\n",
    );
    until("the second mail", async || {
        let (_, queue) = get(&app, &agent, "/api/v1/work-items?channel=e-mail").await;
        (queue["items"].as_array().map_or(0, Vec::len) == 2).then_some(())
    })
    .await;
    let receipt = until("the receipt at the SMTP sink", async || {
        received(&maildir).into_iter().find(|m| m.contains("Auto-Submitted: auto-replied"))
    })
    .await;
    assert!(receipt.contains("In-Reply-To: <imap-2@burger.example.nl>"), "{receipt}");
    assert!(receipt.contains("From: post@dijkstad.example.nl"), "{receipt}");
    assert!(receipt.contains("To: piet@burger.example.nl"), "{receipt}");
    assert!(!received(&maildir).iter().any(|m| m.contains("To: els@burger.example.nl")), "no receipt for the old mail");

    // The whole folder once more from the start (another spelling of the server makes it a new
    // account): nothing is added twice.
    let mut again =
        json!({"address": MAILBOX, "team": unit, "imap_url": format!("imap://kcc@localhost:{imap_port}/INBOX")});
    let (status, refused) =
        crate::helpers::put_json(&app, &admin, &format!("/api/v1/mailboxes/{MAILBOX}"), &again).await;
    assert_eq!(
        (status, refused["errors"][0]["field"].as_str()),
        (400, Some("password")),
        "another server needs the password again"
    );
    again["password"] = json!("geheim");
    let (status, changed) =
        crate::helpers::put_json(&app, &admin, &format!("/api/v1/mailboxes/{MAILBOX}"), &again).await;
    assert_eq!(status, 200, "{changed}");
    until("the folder to be read again", async || {
        let (_, boxes) = get(&app, &admin, "/api/v1/mailboxes").await;
        boxes[0]["imap"]["working"].as_bool().filter(|w| *w).map(|_| ())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, queue) = get(&app, &agent, "/api/v1/work-items?channel=e-mail").await;
    assert_eq!(queue["items"].as_array().unwrap().len(), 2, "fetching the whole folder again adds nothing: {queue}");
    let item = get(&app, &agent, &format!("/api/v1/work-items/{id}")).await.1;
    assert_eq!(item["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "in").count(), 1);

    // The agent's answer arrives threaded.
    post(&app, &agent, &format!("/api/v1/work-items/{id}/claim"), &json!({})).await;
    let (status, _) =
        post(&app, &agent, &format!("/api/v1/work-items/{id}/reply"), &json!({"body": "Via het digitale loket."}))
            .await;
    assert_eq!(status, 201);
    let answer = until("the answer at the SMTP sink", async || {
        received(&maildir).into_iter().find(|m| m.contains("Via het digitale loket."))
    })
    .await;
    assert!(answer.contains("In-Reply-To: <imap-1@burger.example.nl>"), "{answer}");
    assert!(!answer.contains("Auto-Submitted"), "{answer}");
    let reference = item["reference"].as_str().unwrap();
    assert!(answer.contains(reference), "{answer}");
}

#[tokio::test]
async fn sqlite_mail_from_an_imap_account_is_fetched_once_and_answers_reach_the_smtp_sink() {
    mail_from_an_imap_account_is_fetched_once_and_answers_reach_the_smtp_sink(loket::store::Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_mail_from_an_imap_account_is_fetched_once_and_answers_reach_the_smtp_sink() {
    mail_from_an_imap_account_is_fetched_once_and_answers_reach_the_smtp_sink(loket::store::Backend::Postgres).await;
}

/// An IMAP server that is not there is reported on the mailbox and in /metrics; Loket serves on.
#[tokio::test]
async fn an_imap_server_that_is_away_is_reported_and_loket_keeps_serving() {
    let Some(app) = TestApp::spawn(loket::store::Backend::Sqlite).await else { return };
    let (unit, _) = unit_with_agent(&app, "Team Post").await;
    let admin = app.token(&[Role::Beheerder]).await;
    let url = format!("imap://kcc@127.0.0.1:{}/INBOX", free_port());
    let body = json!({"address": MAILBOX, "team": unit, "imap_url": url, "password": "geheim"});
    assert_eq!(post(&app, &admin, "/api/v1/mailboxes", &body).await.0, 201);
    let status = until("the failure to be reported", async || {
        let (_, boxes) = get(&app, &admin, "/api/v1/mailboxes").await;
        boxes[0]["imap"]["status"].as_str().filter(|s| !s.is_empty()).map(str::to_owned)
    })
    .await;
    assert!(status.contains("bereiken"), "{status}");
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(&format!("loket_mailbox_imap_up{{mailbox=\"{MAILBOX}\"}} 0")), "{metrics}");
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200, "the rest of Loket keeps serving");
}
