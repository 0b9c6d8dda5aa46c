//! Mail Loket sends: notifications to colleagues (a callback request addressed to them), and
//! the receipts and replies of the e-mail channel (`channels::email`), from a mailbox's address
//! as replies in their thread.
//!
//! Rules:
//! - Mail is written to the outbox in the same transaction as the change it tells about, and
//!   delivered afterwards by a background step, so a crash loses neither.
//! - A notification names the work, never the citizen: no name, number or note, only the
//!   subject, the due time and a link into Loket (where reading it is logged).
//! - Delivery needs an SMTP server (`--smtp-url`); without one the outbox keeps the mail until it
//!   is purged. A failed delivery is tried again after 1, 2, 4 and 8 minutes, at most five times;
//!   mail older than a day is no longer sent, and the outbox forgets it after a week.
//! - Several processes may deliver from one database: each claims a batch of mails (with a token
//!   of its own, for two minutes, in one statement) before sending them, so only one sends each;
//!   a batch that takes longer than 90 s is given up before the claim runs out, and only the
//!   claim's holder marks the mails. A process that crashes between sending and marking leaves
//!   claims that run out, and the mails are sent again: at least once, not exactly once.
//! - A step drains the outbox batch after batch (32 sends at a time), so that a burst of
//!   receipts leaves within seconds rather than fifty per tick.
//! - lettre builds and sends the message (SMTP with STARTTLS or TLS through rustls).

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;
use uuid::Uuid;

use crate::clock;
use crate::contacts::digital_address::EmailAddress;
use crate::store::mail::OutboxRow;
use crate::store::{self, Executor, Store, StoreError};

/// How often a mail is tried before it is left.
const MAX_ATTEMPTS: i32 = 5;
/// Mail older than this is not sent any more.
const FRESH_FOR: Duration = Duration::hours(24);
/// The outbox forgets mail after this.
pub const KEEP_FOR: Duration = Duration::days(7);
/// How long a process holds a mail it is sending, and how long one send may take (well within).
const CLAIM_FOR: Duration = Duration::minutes(2);
const SEND_WITHIN: std::time::Duration = std::time::Duration::from_secs(90);

/// A message as a sender gets it, with the link already made absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The mailbox it is sent from; `None`: the configured sender (`--mail-from`).
    pub from: Option<String>,
    /// Without angle brackets; `None`: the sender makes one.
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// A receipt: `Auto-Submitted: auto-replied` (RFC 3834), so that other systems do not answer it.
    pub auto_submitted: bool,
}

/// A mail to a citizen in an e-mail thread (a receipt or a reply), as the channel hands it over.
#[derive(Debug, Clone)]
pub struct ThreadMail<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub message_id: &'a str,
    pub in_reply_to: &'a str,
    pub references: &'a [String],
    pub auto_submitted: bool,
}

/// Puts a mail of a thread in the outbox inside the caller's transaction.
pub async fn enqueue_in_thread(ex: &mut impl Executor, mail: &ThreadMail<'_>) -> Result<(), StoreError> {
    let row = OutboxRow {
        id: Uuid::now_v7(),
        to_address: mail.to.to_owned(),
        subject: mail.subject.to_owned(),
        body: mail.body.to_owned(),
        link_path: String::new(),
        created_at: clock::now(),
        sent_at: None,
        attempts: 0,
        last_error: String::new(),
        from_address: mail.from.to_owned(),
        message_id: mail.message_id.to_owned(),
        in_reply_to: mail.in_reply_to.to_owned(),
        refs: mail.references.join(" "),
        auto_submitted: mail.auto_submitted,
    };
    store::mail::insert(ex, &row).await
}

/// Puts a mail in the outbox inside the caller's transaction.
pub async fn enqueue(
    ex: &mut impl Executor,
    to: &EmailAddress,
    subject: &str,
    body: &str,
    link_path: &str,
) -> Result<(), StoreError> {
    let row = OutboxRow {
        id: Uuid::now_v7(),
        to_address: to.as_str().to_owned(),
        subject: subject.to_owned(),
        body: body.to_owned(),
        link_path: link_path.to_owned(),
        created_at: clock::now(),
        sent_at: None,
        attempts: 0,
        last_error: String::new(),
        from_address: String::new(),
        message_id: String::new(),
        in_reply_to: String::new(),
        refs: String::new(),
        auto_submitted: false,
    };
    store::mail::insert(ex, &row).await
}

/// Something that delivers a message (SMTP in production, a list in tests).
pub trait Sender: Send + Sync {
    fn send(&self, mail: Outgoing) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

/// Delivery over SMTP.
pub struct Smtp {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Smtp {
    /// `url` like `smtp://mail.gemeente.nl:587?tls=required` or `smtps://user:pass@host`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Smtp> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("--mail-from '{from}': {e}"))?;
        Ok(Smtp { transport, from })
    }
}

impl Sender for Smtp {
    async fn send(&self, mail: Outgoing) -> Result<(), String> {
        use lettre::AsyncTransport;
        let to: lettre::message::Mailbox = mail.to.parse().map_err(|e| format!("{e}"))?;
        let from = match &mail.from {
            Some(address) => address.parse().map_err(|e| format!("{e}"))?,
            None => self.from.clone(),
        };
        let mut builder = lettre::Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject)
            .message_id(mail.message_id.map(|id| format!("<{id}>")))
            .header(lettre::message::header::ContentType::TEXT_PLAIN);
        if let Some(id) = mail.in_reply_to.filter(|id| !id.is_empty()) {
            builder = builder.in_reply_to(format!("<{id}>"));
        }
        if !mail.references.is_empty() {
            let refs: Vec<String> = mail.references.iter().map(|id| format!("<{id}>")).collect();
            builder = builder.references(refs.join(" "));
        }
        if mail.auto_submitted {
            builder = builder.header(AutoSubmitted);
        }
        let message = builder.body(mail.body).map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// `Auto-Submitted: auto-replied` (RFC 3834), which lettre does not know.
#[derive(Clone)]
struct AutoSubmitted;

impl lettre::message::header::Header for AutoSubmitted {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "auto-replied".to_owned())
    }
}

/// Mails claimed and sent together; several are sent at once over the transport's pooled
/// connections.
const BATCH: i64 = 50;
const SEND_AT_ONCE: usize = 32;
/// The wait after a failed try, doubled with each try.
const RETRY_AFTER: Duration = Duration::minutes(1);
/// Batches per step: a step drains a backlog (a burst of receipts) instead of 50 every tick.
const BATCHES_PER_STEP: usize = 40;

/// One delivery step: sends what is pending, a batch at a time until nothing is left (or
/// [`BATCHES_PER_STEP`]), marks each sent or failed. Returns how many were sent. `public_url`
/// goes before each mail's link.
pub async fn deliver_step(store: &Store, sender: &impl Sender, public_url: &str) -> Result<usize, StoreError> {
    let mut sent = 0;
    for _ in 0..BATCHES_PER_STEP {
        let now = clock::now();
        let since = now - FRESH_FOR;
        let mut conn = store.acquire().await?;
        let pending = store::mail::pending(&mut conn, since, now, MAX_ATTEMPTS, BATCH).await?;
        let full = pending.len() as i64 == BATCH;
        // This batch's claims carry its own token, so it marks only what it still holds; another
        // process may have taken some since the list was read.
        let token = Uuid::now_v7();
        let ids: Vec<Uuid> = pending.iter().map(|m| m.id).collect();
        let claimed =
            store::mail::claim_many(&mut conn, &ids, token, since, MAX_ATTEMPTS, now, now + CLAIM_FOR).await?;
        drop(conn);
        let mails: Vec<OutboxRow> = pending.into_iter().filter(|m| claimed.contains(&m.id)).collect();
        let outcomes = std::sync::Mutex::new(Vec::with_capacity(mails.len()));
        let sends = futures_util::stream::iter(mails.iter().map(|mail| {
            let outcomes = &outcomes;
            async move {
                let result = sender.send(outgoing(mail, public_url)).await;
                if let Ok(mut o) = outcomes.lock() {
                    o.push((mail.id, result));
                }
            }
        }))
        .for_each_concurrent(SEND_AT_ONCE, |send| send);
        // A batch that outlived its claim could be repeated by another process: what has not
        // been sent by then is given up for a later step.
        let timed_out = tokio::time::timeout(SEND_WITHIN, sends).await.is_err();
        let outcomes = outcomes.into_inner().unwrap_or_default();
        let mut conn = store.acquire().await?;
        let ok: Vec<Uuid> = outcomes.iter().filter(|(_, r)| r.is_ok()).map(|(id, _)| *id).collect();
        let marked = store::mail::mark_sent_many(&mut conn, &ok, token, clock::now()).await?;
        if (marked as usize) < ok.len() {
            tracing::warn!(mails = ok.len() - marked as usize, "e-mail verstuurd nadat de claim was verlopen");
        }
        sent += marked as usize;
        // A failed mail waits before its next try: 1, 2, 4, 8 minutes (a mail server that is
        // away for a while, or greylisting, must not use up the tries in seconds).
        let retry_at = |mail_id: Uuid| {
            let tried = mails.iter().find(|m| m.id == mail_id).map_or(0, |m| m.attempts.clamp(0, 6));
            clock::now() + RETRY_AFTER * 2_i32.pow(tried as u32)
        };
        let mut failed = false;
        for (id, result) in &outcomes {
            if let Err(e) = result {
                failed = true;
                tracing::warn!(error = %e, "e-mail kon niet worden verstuurd");
                store::mail::mark_failed(&mut conn, *id, token, e, retry_at(*id)).await?;
            }
        }
        if timed_out {
            failed = true;
            let unfinished = mails.iter().filter(|m| !outcomes.iter().any(|(id, _)| *id == m.id));
            for mail in unfinished {
                let e = format!("no answer within {} s", SEND_WITHIN.as_secs());
                store::mail::mark_failed(&mut conn, mail.id, token, &e, retry_at(mail.id)).await?;
            }
        }
        // A batch with failures ends the step: the server is not taking mail now.
        if !full || failed {
            break;
        }
    }
    Ok(sent)
}

/// A row of the outbox as a sender gets it.
fn outgoing(mail: &OutboxRow, public_url: &str) -> Outgoing {
    let body = match mail.link_path.as_str() {
        "" => mail.body.clone(),
        path => format!("{}\n\n{}{path}\n", mail.body, public_url.trim_end_matches('/')),
    };
    let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    Outgoing {
        to: mail.to_address.clone(),
        subject: mail.subject.clone(),
        body,
        from: some(&mail.from_address),
        message_id: some(&mail.message_id),
        in_reply_to: some(&mail.in_reply_to),
        references: mail.refs.split_whitespace().map(str::to_owned).collect(),
        auto_submitted: mail.auto_submitted,
    }
}

/// Forgets mail older than a week.
pub async fn purge_step(store: &Store, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let mut conn = store.acquire().await?;
    store::mail::purge(&mut conn, now - KEEP_FOR).await
}
