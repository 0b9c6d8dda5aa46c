//! E-mail as a channel: mailboxes, intake, threads and answers. An e-mail thread is a work item
//! of kind `e-mail` in the queue of the mailbox's team; its messages, in and out, hang on it.
//!
//! Rules:
//! - A beheerder configures mailboxes (address, IMAP account, team, limits). The IMAP password
//!   is sealed (`auth::secrets`) and never shown again.
//! - Intake is idempotent on (mailbox, Message-ID): the same mail delivered twice, by IMAP or
//!   piped in, is one message. A mail is stored in one transaction with its thread, its
//!   attachments, its receipt and the audit line; what is over a limit is refused by name, and
//!   the mail still becomes a work item that says so.
//! - Which thread a mail joins, and whether it gets a receipt, is decided in `thread`.
//! - The receipt leaves from the mailbox's address with the thread's reference in its subject
//!   and the due date from the SLA policy (working days, opening hours, holidays); replies carry
//!   the reference too, and In-Reply-To/References, so the citizen's answer finds its thread.
//! - Reading a thread is a read of personal data: logged like a work item's read.

pub mod imap;
pub mod parse;
pub mod thread;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use self::parse::Incoming;
use self::thread::{Found, Placement, Reference};
use crate::auth::audit::{self, Actor, AuditAction, AuditEvent, Purpose};
use crate::auth::secrets::{self, SecretKey};
use crate::auth::{Ability, Caller};
use crate::channels::Channel;
use crate::clock;
use crate::contacts::digital_address::EmailAddress;
use crate::store::email::{AttachmentRow, MailboxRow, MessageRow, ThreadRow};
use crate::store::work::{EventRow, WorkItemRow};
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::FieldError;
use crate::work::{self, AssigneeKind, EventAction, WorkKind, WorkStatus};

/// Default limits: a message of 25 MB, an attachment of 10 MB (what most mail servers accept).
pub const DEFAULT_MAX_MESSAGE_BYTES: i64 = 25 * 1024 * 1024;
pub const DEFAULT_MAX_ATTACHMENT_BYTES: i64 = 10 * 1024 * 1024;
/// What the inbound endpoint reads at most; a larger message is refused before it is read.
pub const MAX_INBOUND_BYTES: usize = 64 * 1024 * 1024;
/// Bodies longer than this are cut (a mail bomb of text); the cut is said in `refused`.
const MAX_BODY_CHARS: usize = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("invalid mailbox or message")]
    Invalid(Vec<FieldError>),
    #[error("no such mailbox")]
    UnknownMailbox,
    #[error("no such e-mail thread")]
    NotFound,
    #[error("{0}")]
    Forbidden(String),
    #[error("the thread is closed")]
    Closed,
    #[error("a mailbox with this address exists")]
    Exists,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<work::WorkError> for EmailError {
    fn from(e: work::WorkError) -> Self {
        match e {
            work::WorkError::Invalid(errors) => EmailError::Invalid(errors),
            work::WorkError::NotFound => EmailError::NotFound,
            work::WorkError::Closed => EmailError::Closed,
            work::WorkError::Forbidden(m) => EmailError::Forbidden(m),
            work::WorkError::Store(e) => EmailError::Store(e),
        }
    }
}

fn rejected(error: FieldError) -> EmailError {
    EmailError::Invalid(vec![error])
}

/// An IMAP account: `imap[s]://USER@HOST:PORT/FOLDER`, the password apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapUrl {
    pub tls: bool,
    pub user: String,
    pub host: String,
    pub port: u16,
    pub folder: String,
}

impl ImapUrl {
    pub fn parse(input: &str) -> Result<ImapUrl, FieldError> {
        let bad = |m: &str| FieldError::new("imap_url", "invalid_imap_url", m);
        let input = input.trim();
        let (tls, rest) = if let Some(r) = input.strip_prefix("imaps://") {
            (true, r)
        } else if let Some(r) = input.strip_prefix("imap://") {
            (false, r)
        } else {
            return Err(bad("Begin met imap:// of imaps://, zoals imaps://kcc@mail.gemeente.nl:993/INBOX."));
        };
        let (account, path) = rest.split_once('/').unwrap_or((rest, "INBOX"));
        let (user, server) =
            account.rsplit_once('@').ok_or_else(|| bad("Noem de gebruiker: imaps://GEBRUIKER@server/map."))?;
        if user.contains(':') {
            return Err(bad("Zet het wachtwoord niet in het adres; geef het apart op."));
        }
        let (host, port) = match server.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad("De poort is een getal, zoals 993."))?),
            None => (server, if tls { 993 } else { 143 }),
        };
        let user = percent_decode(user);
        if user.contains(':') {
            return Err(bad("Zet het wachtwoord niet in het adres; geef het apart op."));
        }
        let folder = percent_decode(path);
        let ok = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_control() || c.is_whitespace() && c != ' ');
        if !ok(&user) || !ok(host) || host.contains(['/', '@', ' ']) || folder.chars().any(char::is_control) {
            return Err(bad("Dit is geen IMAP-adres zoals imaps://kcc@mail.gemeente.nl:993/INBOX."));
        }
        let folder = if folder.is_empty() { "INBOX".to_owned() } else { folder };
        Ok(ImapUrl { tls, user, host: host.to_ascii_lowercase(), port, folder })
    }
}

impl std::fmt::Display for ImapUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.tls { "imaps" } else { "imap" };
        write!(f, "{scheme}://{}@{}:{}/{}", self.user, self.host, self.port, self.folder)
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A mailbox as a beheerder sets it up.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailboxInput {
    /// The address citizens write to.
    pub address: String,
    /// `imap[s]://USER@HOST:PORT/FOLDER`; none: mail is only piped in (inbound endpoint).
    #[serde(default)]
    pub imap_url: Option<String>,
    /// The IMAP password; stored sealed, never shown again.
    #[serde(default)]
    pub password: Option<String>,
    /// The team (its id or name) whose queue the mailbox feeds; none: the only team there is.
    #[serde(default)]
    pub team: Option<String>,
    /// A larger message keeps its text and loses its attachments. Default 25 MB.
    #[serde(default)]
    pub max_message_bytes: Option<i64>,
    /// A larger attachment is refused by name. Default 10 MB.
    #[serde(default)]
    pub max_attachment_bytes: Option<i64>,
}

/// A mailbox as the API and the screens show it: never its password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mailbox {
    pub address: String,
    pub team_id: Option<Uuid>,
    pub team: String,
    /// Without the password.
    pub imap_url: Option<String>,
    /// Whether a password is kept, and whether it is sealed with a key.
    pub password_stored: bool,
    pub password_sealed: bool,
    pub max_message_bytes: i64,
    pub max_attachment_bytes: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// The IMAP intake's last result; none without an IMAP account.
    pub imap: Option<ImapHealth>,
}

async fn mailbox_view(ex: &mut impl Executor, row: MailboxRow) -> Result<Mailbox, StoreError> {
    let team = match row.unit_id {
        Some(id) => store::units::find(ex, id).await?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let imap = !row.imap_url.is_empty();
    Ok(Mailbox {
        address: row.address.clone(),
        team_id: row.unit_id,
        team,
        imap_url: Some(row.imap_url).filter(|u| !u.is_empty()),
        password_stored: row.imap_secret.len() > "plain:".len() || secrets::is_sealed(&row.imap_secret),
        password_sealed: secrets::is_sealed(&row.imap_secret),
        max_message_bytes: row.max_message_bytes,
        max_attachment_bytes: row.max_attachment_bytes,
        created_at: row.created_at,
        created_by: row.created_by,
        imap: imap.then(|| ImapHealth {
            working: imap_working(&row.imap_status, row.imap_checked_at),
            address: row.address.clone(),
            status: row.imap_status.clone(),
            checked_at: row.imap_checked_at,
        }),
    })
}

/// Adds a mailbox, or changes one with the same address (`replace`); the password given
/// replaces the stored one, none keeps it.
pub async fn save_mailbox(
    store: &Store,
    actor: &Actor,
    key: Option<&SecretKey>,
    input: &MailboxInput,
    replace: bool,
) -> Result<Mailbox, EmailError> {
    let address = EmailAddress::parse(&input.address)
        .map_err(|e| e.for_field("address"))
        .map_err(|e| EmailError::Invalid(vec![e]))?;
    let address = address.as_str().to_lowercase();
    let imap_url = match input.imap_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => ImapUrl::parse(url).map_err(|e| EmailError::Invalid(vec![e]))?.to_string(),
        None => String::new(),
    };
    let limit = |v: Option<i64>, default: i64, field: &'static str| match v {
        None => Ok(default),
        Some(n) if (1024..=1 << 30).contains(&n) => Ok(n),
        Some(_) => {
            Err(rejected(FieldError::new(field, "invalid_limit", "Kies een grens tussen 1 kB en 1 GB (in bytes).")))
        }
    };
    let max_message_bytes = limit(input.max_message_bytes, DEFAULT_MAX_MESSAGE_BYTES, "max_message_bytes")?;
    let max_attachment_bytes = limit(input.max_attachment_bytes, DEFAULT_MAX_ATTACHMENT_BYTES, "max_attachment_bytes")?;
    let mut tx = store.begin().await?;
    let unit_id = resolve_team(&mut tx, input.team.as_deref()).await?;
    let existing = store::email::mailbox(&mut tx, &address).await?;
    if existing.is_some() && !replace {
        return Err(EmailError::Exists);
    }
    let imap_secret = match (input.password.as_deref(), &existing) {
        (Some(p), _) if !p.is_empty() => {
            if p.len() > 1000 || p.chars().any(char::is_control) {
                return Err(rejected(FieldError::new(
                    "password",
                    "invalid_password",
                    "Dit wachtwoord kan Loket niet bewaren.",
                )));
            }
            if key.is_none() {
                tracing::warn!(mailbox = %address, "IMAP-wachtwoord onversleuteld bewaard: stel --secret-key-file in");
            }
            secrets::seal(key, p)
        }
        // The stored password goes only to the account it was given for: another server, port
        // or user needs it again (else a changed address would send it elsewhere).
        (_, Some(old)) if old.imap_url == imap_url => old.imap_secret.clone(),
        _ => String::new(),
    };
    if !imap_url.is_empty() && imap_secret.is_empty() {
        return Err(rejected(FieldError::new(
            "password",
            "password_required",
            "Geef het wachtwoord van het IMAP-account op.",
        )));
    }
    let row = MailboxRow {
        address: address.clone(),
        unit_id,
        imap_url,
        imap_secret,
        max_message_bytes,
        max_attachment_bytes,
        created_at: existing.as_ref().map_or_else(clock::now, |e| e.created_at),
        created_by: existing.as_ref().map_or_else(|| actor.name.clone(), |e| e.created_by.clone()),
        imap_status: String::new(),
        imap_checked_at: None,
    };
    match existing {
        Some(_) => {
            store::email::update_mailbox(&mut tx, &row).await?;
        }
        None => store::email::insert_mailbox(&mut tx, &row).await.map_err(|e| match e {
            StoreError::Conflict(_) => EmailError::Exists,
            e => e.into(),
        })?,
    }
    let detail = serde_json::json!({ "address": address, "team": unit_id, "imap_url": row.imap_url });
    audit::record(
        &mut tx,
        actor,
        AuditEvent::new(AuditAction::MailboxChanged, "mailbox", address.clone()).detail(detail),
    )
    .await?;
    let view = mailbox_view(&mut tx, row).await?;
    tx.commit().await?;
    Ok(view)
}

/// The team (or afdeling) by id or name; none given: the only one there is.
async fn resolve_team(ex: &mut impl Executor, team: Option<&str>) -> Result<Option<Uuid>, EmailError> {
    let unknown = || rejected(FieldError::new("team", "unknown_team", "Dit team bestaat niet."));
    match team.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let unit = match t.parse::<Uuid>() {
                Ok(id) => store::units::find(ex, id).await?,
                Err(_) => store::units::find_by_name(ex, t).await?,
            };
            Ok(Some(unit.ok_or_else(unknown)?.id))
        }
        None => {
            let units = store::units::list(ex).await?;
            match units.as_slice() {
                [only] => Ok(Some(only.id)),
                _ => Err(rejected(FieldError::new(
                    "team",
                    "team_required",
                    "Kies het team in wiens wachtrij de mail van deze mailbox komt.",
                ))),
            }
        }
    }
}

/// How a mailbox's IMAP intake is doing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImapHealth {
    pub address: String,
    /// Whether the last fetch worked.
    pub working: bool,
    /// Why it did not, in Dutch; empty when it worked.
    pub status: String,
    /// When it was last tried; none: not yet.
    pub checked_at: Option<DateTime<Utc>>,
}

/// Whether an intake works: its last look went well and was recent (a look every 20–30 s; a
/// process that hangs or went away stops looking).
fn imap_working(status: &str, checked_at: Option<DateTime<Utc>>) -> bool {
    status.is_empty() && checked_at.is_some_and(|at| clock::now() - at < Duration::minutes(5))
}

/// The IMAP intake of every mailbox that has an IMAP account.
pub async fn imap_health(store: &Store) -> Result<Vec<ImapHealth>, StoreError> {
    let mut conn = store.acquire().await?;
    Ok(store::email::imap_statuses(&mut conn)
        .await?
        .into_iter()
        .map(|(address, status, checked_at)| ImapHealth {
            address,
            working: imap_working(&status, checked_at),
            status,
            checked_at,
        })
        .collect())
}

pub async fn mailboxes(store: &Store) -> Result<Vec<Mailbox>, EmailError> {
    let mut conn = store.acquire().await?;
    let mut out = Vec::new();
    for row in store::email::mailboxes(&mut conn).await? {
        out.push(mailbox_view(&mut conn, row).await?);
    }
    Ok(out)
}

/// What became of a mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Intake {
    /// The work item (thread) that holds it.
    pub work_item: Uuid,
    /// Whether it started a thread.
    pub new_thread: bool,
}

/// Takes in one raw mail for a mailbox (see the rules). `actor` is who delivered it: the mail
/// server's koppeling, a beheerder, or Loket's own IMAP intake.
pub async fn receive(store: &Store, actor: &Actor, mailbox: &str, raw: &[u8]) -> Result<Intake, EmailError> {
    receive_as(store, actor, mailbox, raw, false).await
}

/// As [`receive`]; `backlog`: the mail was in an IMAP folder before Loket first read it (it was
/// answered, or not, before Loket came): it becomes a thread but gets no receipt now.
pub(crate) async fn receive_as(
    store: &Store,
    actor: &Actor,
    mailbox: &str,
    raw: &[u8],
    backlog: bool,
) -> Result<Intake, EmailError> {
    let mailbox = mailbox.trim().to_lowercase();
    let row = {
        let mut conn = store.acquire().await?;
        store::email::mailbox(&mut conn, &mailbox).await?.ok_or(EmailError::UnknownMailbox)?
    };
    // A large mail is read off the async threads.
    let mail = if raw.len() > 256 * 1024 {
        let raw = raw.to_vec();
        tokio::task::spawn_blocking(move || parse::read(&raw))
            .await
            .map_err(|e| StoreError::Database(sqlx::Error::Protocol(format!("mail reader stopped: {e}"))))?
    } else {
        parse::read(raw)
    };
    match receive_parsed(store, actor, &row, &mail, backlog).await {
        // Two deliveries of one mail at once: the other one stored it.
        Err(EmailError::Store(StoreError::Conflict(_))) => {
            let mut conn = store.acquire().await?;
            let item = store::email::item_of_message(&mut conn, &mailbox, &mail.message_id).await?;
            item.map(|work_item| Intake { work_item, new_thread: false })
                .ok_or(EmailError::Store(StoreError::Conflict("mail_messages".into())))
        }
        other => other,
    }
}

async fn receive_parsed(
    store: &Store,
    actor: &Actor,
    mailbox: &MailboxRow,
    mail: &Incoming,
    backlog: bool,
) -> Result<Intake, EmailError> {
    let now = clock::now();
    // Everything intake only reads is read before the write transaction, so that SQLite's one
    // writer is held for the writes alone. A mail stored meanwhile by another delivery is
    // caught by the unique Message-ID (see `receive`); a thread closed meanwhile takes the
    // mail still (closing and a new mail crossing each other).
    let prepared = {
        let mut conn = store.acquire().await?;
        if let Some(work_item) = store::email::item_of_message(&mut conn, &mailbox.address, &mail.message_id).await? {
            return Ok(Intake { work_item, new_thread: false });
        }
        Prepared::read(&mut conn, mailbox, mail, now).await?
    };
    let mut tx = store.begin().await?;
    let bounce = mail.bounce_of.is_some();
    // Only a bounce whose bounced mail was found joins a thread whoever sent it; a report that
    // names none of Loket's mails is matched like any other mail.
    let placement = thread::place(prepared.found.as_ref(), &mail.from_address, prepared.found_by_bounce);
    let (work_item, new_thread) = match placement {
        Placement::Join(id) => (id, false),
        Placement::New => (open_thread(&mut tx, actor, mailbox, mail, None, &prepared, now).await?, true),
        Placement::NewLinked(old) => {
            (open_thread(&mut tx, actor, mailbox, mail, Some(old), &prepared, now).await?, true)
        }
    };
    let (refused, kept) = limits(mailbox, mail);
    let message = MessageRow {
        id: Uuid::now_v7(),
        work_item_id: work_item,
        mailbox: mailbox.address.clone(),
        direction: "in".into(),
        kind: if bounce { "onbestelbaar" } else { "bericht" }.into(),
        message_id: mail.message_id.clone(),
        in_reply_to: mail.in_reply_to.join(" "),
        refs: mail.references.join(" "),
        from_address: mail.from_address.clone(),
        from_name: mail.from_name.clone(),
        to_addresses: mail.to.join(", "),
        cc_addresses: mail.cc.join(", "),
        subject: mail.subject.clone(),
        text_body: cut(&mail.text),
        html_body: cut(&mail.html),
        at: now,
        size: i64::try_from(mail.size).unwrap_or(i64::MAX),
        refused: refused.join(" "),
        written_by: String::new(),
    };
    store::email::insert_message(&mut tx, &message).await?;
    for (attachment, keep) in mail.attachments.iter().zip(kept) {
        let row = AttachmentRow {
            id: Uuid::now_v7(),
            message: message.id,
            filename: attachment.filename.clone(),
            content_type: attachment.content_type.clone(),
            size: i64::try_from(attachment.content.len()).unwrap_or(i64::MAX),
            content: keep.then(|| attachment.content.clone()),
        };
        store::email::insert_attachment(&mut tx, &row).await?;
    }
    let thread_row = store::email::thread(&mut tx, work_item).await?.ok_or(EmailError::NotFound)?;
    let refusal = match thread::no_receipt_because(mail, &mailbox.address, !thread_row.receipt_sent, prepared.receipts)
    {
        None if backlog => Some("al in de map voordat Loket hem las"),
        other => other,
    };
    // One receipt per thread even when two mails of a new thread arrive at once.
    let refusal = match refusal {
        None if !store::email::take_receipt_turn(&mut tx, work_item).await? => Some("al bevestigd in deze draad"),
        other => other,
    };
    if refusal.is_none() {
        send_receipt(&mut tx, mailbox, &thread_row, mail, &prepared.organisation, now).await?;
    }
    let detail = serde_json::json!({
        "mailbox": mailbox.address, "new_thread": new_thread, "linked_to": thread_row.linked_to,
        "receipt": refusal.map_or("verstuurd", |why| why), "size": mail.size,
    });
    audit::record(
        &mut tx,
        actor,
        AuditEvent::new(AuditAction::MailReceived, "work_item", work_item.to_string()).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(Intake { work_item, new_thread })
}

/// What intake reads before it writes.
struct Prepared {
    found: Option<Found>,
    /// Whether `found` is the thread of the mail this bounce names.
    found_by_bounce: bool,
    policy: crate::sla::SlaPolicy,
    /// The name of the mailbox's team (whose queue a new thread is in).
    team: Option<String>,
    /// The one customer with the sender's address.
    suggested: Option<Uuid>,
    /// Receipts sent to the sender in the last 24 hours.
    receipts: i64,
    /// The organisation's name, to sign the receipt.
    organisation: String,
}

impl Prepared {
    async fn read(
        ex: &mut impl Executor,
        mailbox: &MailboxRow,
        mail: &Incoming,
        now: DateTime<Utc>,
    ) -> Result<Prepared, StoreError> {
        let (found, found_by_bounce) = find_thread(ex, &mailbox.address, mail).await?;
        let team = match mailbox.unit_id {
            Some(unit) => store::units::find(ex, unit).await?.map(|u| u.name),
            None => None,
        };
        // One customer with this address is suggested; several or none: the agent looks.
        let suggested = if mail.from_address.is_empty() {
            None
        } else {
            match store::parties::parties_by_digital_address(ex, &mail.from_address, 2).await?.as_slice() {
                [only] => Some(only.id),
                _ => None,
            }
        };
        Ok(Prepared {
            found,
            found_by_bounce,
            policy: crate::sla::load(ex).await?,
            team,
            suggested,
            receipts: store::email::receipts_since(ex, &mail.from_address, now - Duration::hours(24)).await?,
            organisation: crate::branding::load(ex).await?.name,
        })
    }
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_BODY_CHARS) {
        Some((i, _)) => s[..i].to_owned(),
        None => s.to_owned(),
    }
}

/// What is refused of a mail (in Dutch) and, per attachment, whether it is kept.
fn limits(mailbox: &MailboxRow, mail: &Incoming) -> (Vec<String>, Vec<bool>) {
    let mut refused: Vec<String> = mail.problems.clone();
    let too_big = i64::try_from(mail.size).unwrap_or(i64::MAX) > mailbox.max_message_bytes;
    if too_big {
        refused.push(format!(
            "Het bericht is {} groot, meer dan de grens van {}; de bijlagen zijn niet bewaard.",
            human_size(mail.size as i64),
            human_size(mailbox.max_message_bytes)
        ));
    }
    let kept = mail
        .attachments
        .iter()
        .map(|a| {
            let size = a.content.len() as i64;
            if too_big {
                false
            } else if size > mailbox.max_attachment_bytes {
                refused.push(format!(
                    "Bijlage '{}' ({}) is groter dan {} en is niet bewaard.",
                    a.filename,
                    human_size(size),
                    human_size(mailbox.max_attachment_bytes)
                ));
                false
            } else {
                true
            }
        })
        .collect();
    if mail.text.chars().nth(MAX_BODY_CHARS).is_some() || mail.html.chars().nth(MAX_BODY_CHARS).is_some() {
        refused.push("De tekst was langer dan een miljoen tekens en is ingekort.".to_owned());
    }
    (refused, kept)
}

/// A size as people read it ("2.3 MB", "12 kB").
pub fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} kB", b / 1024),
        b => format!("{b} bytes"),
    }
}

/// The thread a mail's keys lead to, in the order of the rules, and whether it was found as
/// the thread of the mail a bounce names.
async fn find_thread(
    ex: &mut impl Executor,
    mailbox: &str,
    mail: &Incoming,
) -> Result<(Option<Found>, bool), StoreError> {
    let found = |f: store::email::FoundRow| Found {
        id: f.work_item_id,
        citizen_address: f.citizen_address,
        open: WorkStatus::of(&f.status) == WorkStatus::TeVerwerken,
    };
    // A bounce names the mail it bounced.
    if let Some(bounced) = &mail.bounce_of {
        let hits = store::email::threads_by_message_ids(ex, mailbox, "out", bounced).await?;
        if let Some((_, f)) = hits.into_iter().next() {
            return Ok((Some(found(f)), true));
        }
    }
    if let Some(reference) = thread::reference_named(mail)
        && let Some(f) = store::email::thread_by_reference(ex, reference.as_str()).await?
    {
        return Ok((Some(found(f)), false));
    }
    let answered = thread::answered_ids(mail);
    let own = store::email::threads_by_message_ids(ex, mailbox, "out", &answered).await?;
    if let Some(f) = first_in_order(&answered, own) {
        return Ok((Some(found(f)), false));
    }
    if let Some(reference) = Reference::find_in(&mail.text)
        && let Some(f) = store::email::thread_by_reference(ex, reference.as_str()).await?
    {
        return Ok((Some(found(f)), false));
    }
    let others = store::email::threads_by_message_ids(ex, mailbox, "in", &answered).await?;
    Ok((first_in_order(&answered, others).map(found), false))
}

/// Of the hits by Message-ID, the one for the nearest id.
fn first_in_order<T>(order: &[String], hits: Vec<(String, T)>) -> Option<T> {
    let mut hits = hits;
    hits.sort_by_key(|(id, _)| order.iter().position(|o| o == id).unwrap_or(usize::MAX));
    hits.into_iter().next().map(|(_, t)| t)
}

/// A new thread for a mail: a work item in the queue of the mailbox's team, due by the e-mail
/// target, with the sender's customer suggested when one customer has that address.
async fn open_thread(
    ex: &mut impl Executor,
    actor: &Actor,
    mailbox: &MailboxRow,
    mail: &Incoming,
    linked_to: Option<Uuid>,
    prepared: &Prepared,
    now: DateTime<Utc>,
) -> Result<Uuid, EmailError> {
    let policy = &prepared.policy;
    let due_at = policy
        .target(Channel::Email.code())
        .due(policy.hours_for(Channel::Email, mailbox.unit_id), now)
        .map(clock::truncate);
    let (assignee_kind, assignee_name) =
        (AssigneeKind::Eenheid, prepared.team.clone().unwrap_or_else(|| mailbox.address.clone()));
    let subject = thread::bare_subject(&mail.subject);
    let id = Uuid::now_v7();
    let sender = match (mail.from_name.as_str(), mail.from_address.as_str()) {
        ("", "") => "onbekende afzender".to_owned(),
        ("", address) => address.to_owned(),
        (name, address) => format!("{name} <{address}>"),
    };
    let item = WorkItemRow {
        id,
        kind: WorkKind::Email.code().to_owned(),
        channel: Some(Channel::Email.code().to_owned()),
        contact_id: None,
        party_id: None,
        action: if subject.is_empty() { "(geen onderwerp)".to_owned() } else { parse::one_line(&subject, 200) },
        explanation: format!("E-mail van {sender} aan {}", mailbox.address),
        assignee_kind: assignee_kind.id().to_owned(),
        assignee_id: mailbox.unit_id,
        assignee_name: assignee_name.clone(),
        unit_id: mailbox.unit_id,
        status: "te_verwerken".to_owned(),
        due_at,
        created_at: now,
        created_by: actor.name.clone(),
        done_at: None,
        done_by: None,
        result: String::new(),
    };
    store::work::insert(ex, &item).await?;
    let event = EventRow {
        work_item_id: id,
        at: now,
        action: EventAction::Aangemaakt.code().to_owned(),
        actor_name: actor.name.clone(),
        actor_id: actor.user_id,
        note: assignee_name,
    };
    store::work::insert_event(ex, &event).await?;
    let row = ThreadRow {
        work_item_id: id,
        mailbox: mailbox.address.clone(),
        reference: Reference::generate().as_str().to_owned(),
        subject: parse::one_line(&subject, 500),
        citizen_address: mail.from_address.clone(),
        citizen_name: mail.from_name.clone(),
        suggested_party_id: prepared.suggested,
        linked_to,
        receipt_sent: false,
        first_answer_at: None,
    };
    store::email::insert_thread(ex, &row).await?;
    Ok(id)
}

/// Loket's own Message-ID for a mail it sends from this mailbox.
fn own_message_id(mailbox: &str) -> String {
    let domain = mailbox.rsplit_once('@').map_or("loket.invalid", |(_, d)| d);
    format!("loket.{}@{domain}", Uuid::now_v7().simple())
}

/// The receipt: from the mailbox, in the thread, with the reference and the expected answer.
async fn send_receipt(
    ex: &mut impl Executor,
    mailbox: &MailboxRow,
    thread_row: &ThreadRow,
    mail: &Incoming,
    organisation: &str,
    now: DateTime<Utc>,
) -> Result<(), EmailError> {
    let item = store::work::find(ex, thread_row.work_item_id).await?.ok_or(EmailError::NotFound)?;
    let reference = Reference::parse(&thread_row.reference).unwrap_or_else(Reference::generate);
    // The subject and greeting do not repeat the sender's words: a receipt goes to an address
    // anyone can put in From, and must not carry their text from the municipality's domain.
    let subject = format!("Uw bericht is ontvangen [{reference}]");
    let expected = match item.due_at {
        Some(due) => format!("U krijgt uiterlijk {} antwoord.", clock::format_local(due)),
        None => "U krijgt zo snel mogelijk antwoord.".to_owned(),
    };
    let greeting = "Beste afzender,";
    let body = format!(
        "{greeting}\n\nBedankt voor uw bericht. We hebben het ontvangen en een medewerker gaat ermee aan de slag. \
         {expected}\n\nWilt u nog iets toevoegen? Beantwoord dan deze e-mail; laat het kenmerk in het onderwerp staan.\n\n\
         Met vriendelijke groet,\n{organisation}\n\nOns kenmerk: {reference}\n\
         Dit is een automatisch bericht.\n"
    );
    let message_id = own_message_id(&mailbox.address);
    let mut references = mail.references.clone();
    references.push(mail.message_id.clone());
    let out = MessageRow {
        id: Uuid::now_v7(),
        work_item_id: thread_row.work_item_id,
        mailbox: mailbox.address.clone(),
        direction: "out".into(),
        kind: "ontvangstbevestiging".into(),
        message_id: message_id.clone(),
        in_reply_to: mail.message_id.clone(),
        refs: references.join(" "),
        from_address: mailbox.address.clone(),
        from_name: organisation.to_owned(),
        to_addresses: mail.from_address.clone(),
        cc_addresses: String::new(),
        subject: subject.clone(),
        text_body: body.clone(),
        html_body: String::new(),
        at: now,
        size: body.len() as i64,
        refused: String::new(),
        written_by: "Loket".into(),
    };
    store::email::insert_message(ex, &out).await?;
    crate::mail::enqueue_in_thread(
        ex,
        &crate::mail::ThreadMail {
            from: &mailbox.address,
            to: &mail.from_address,
            subject: &subject,
            body: &body,
            message_id: &message_id,
            in_reply_to: &mail.message_id,
            references: &references,
            auto_submitted: true,
        },
    )
    .await?;
    Ok(())
}

/// An attachment as listed with its message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentInfo {
    pub id: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// False when it was refused (over a limit): only its name and size are known.
    pub kept: bool,
}

/// Sent by Loket or received.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// One mail of a thread.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailMessage {
    pub id: Uuid,
    pub direction: Direction,
    /// bericht, ontvangstbevestiging, antwoord or onbestelbaar.
    pub kind: String,
    pub from: String,
    pub from_name: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub message_id: String,
    /// When it came in (in).
    pub received_at: Option<DateTime<Utc>>,
    /// When it was written to be sent (out).
    pub sent_at: Option<DateTime<Utc>>,
    pub text: String,
    /// Cleaned HTML, remote images left out.
    pub html: String,
    /// What was refused of it, in Dutch.
    pub refused: String,
    pub written_by: String,
    pub attachments: Vec<AttachmentInfo>,
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect()
}

/// An e-mail thread as an agent works it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailThread {
    pub reference: String,
    pub mailbox: String,
    pub subject: String,
    /// The citizen's address.
    pub from: String,
    pub from_name: String,
    /// The customer with this address, when exactly one has it (for the agent to confirm).
    pub suggested_party_id: Option<Uuid>,
    /// The thread this one was split from (another sender, or a closed thread).
    pub linked_to: Option<Uuid>,
    pub first_answer_at: Option<DateTime<Utc>>,
    pub messages: Vec<MailMessage>,
}

/// A thread with all its messages, for whoever may work on its work item (logged as its read).
pub async fn thread_of(store: &Store, caller: &Caller, work_item_id: Uuid) -> Result<MailThread, EmailError> {
    let mut tx = store.begin().await?;
    let item = store::work::find(&mut tx, work_item_id).await?.ok_or(EmailError::NotFound)?;
    if !work::may_work_on(&item, caller) {
        return Err(work::other_team(WorkKind::Email).into());
    }
    let row = store::email::thread(&mut tx, work_item_id).await?.ok_or(EmailError::NotFound)?;
    let messages = store::email::messages_of(&mut tx, work_item_id).await?;
    let ids: Vec<Uuid> = messages.iter().map(|m| m.id).collect();
    let mut attachments: std::collections::HashMap<Uuid, Vec<AttachmentInfo>> = std::collections::HashMap::new();
    for a in store::email::attachments_of(&mut tx, &ids).await? {
        attachments.entry(a.message).or_default().push(AttachmentInfo {
            id: a.id,
            filename: a.filename,
            content_type: a.content_type,
            size: a.size,
            kept: a.kept,
        });
    }
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::WorkItemRead, "mail_thread", work_item_id.to_string())
            .purpose(Purpose::CustomerContact),
    )
    .await?;
    tx.commit().await?;
    let messages = messages
        .into_iter()
        .map(|m| {
            let incoming = m.direction == "in";
            MailMessage {
                id: m.id,
                direction: if incoming { Direction::In } else { Direction::Out },
                kind: m.kind,
                from: m.from_address,
                from_name: m.from_name,
                to: split_list(&m.to_addresses),
                cc: split_list(&m.cc_addresses),
                subject: m.subject,
                message_id: m.message_id,
                received_at: incoming.then_some(m.at),
                sent_at: (!incoming).then_some(m.at),
                text: m.text_body,
                html: display_html(&m.html_body, false),
                refused: m.refused,
                written_by: m.written_by,
                attachments: attachments.remove(&m.id).unwrap_or_default(),
            }
        })
        .collect();
    Ok(MailThread {
        reference: row.reference,
        mailbox: row.mailbox,
        subject: row.subject,
        from: row.citizen_address,
        from_name: row.citizen_name,
        suggested_party_id: row.suggested_party_id,
        linked_to: row.linked_to,
        first_answer_at: row.first_answer_at,
        messages,
    })
}

/// Stored (cleaned) HTML as it is shown: without remote images unless the agent asked for them,
/// so that opening a mail tells no tracker that it was read.
pub fn display_html(html: &str, remote_images: bool) -> String {
    if remote_images || html.is_empty() {
        return html.to_owned();
    }
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") if !value.starts_with("cid:") => None,
            _ => Some(value.into()),
        })
        .clean(html)
        .to_string()
}

/// One attachment's content, for whoever may work on its thread (logged as a read).
pub async fn attachment(store: &Store, caller: &Caller, id: Uuid) -> Result<AttachmentRow, EmailError> {
    let mut tx = store.begin().await?;
    let (work_item_id, row) = store::email::attachment(&mut tx, id).await?.ok_or(EmailError::NotFound)?;
    let item = store::work::find(&mut tx, work_item_id).await?.ok_or(EmailError::NotFound)?;
    if !work::may_work_on(&item, caller) {
        return Err(work::other_team(WorkKind::Email).into());
    }
    if row.content.is_none() {
        return Err(EmailError::NotFound);
    }
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::WorkItemRead, "mail_attachment", id.to_string())
            .purpose(Purpose::CustomerContact)
            .detail(serde_json::json!({ "work_item": work_item_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// An agent's answer in a thread.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyInput {
    /// The text of the answer (plain text).
    pub body: String,
}

/// Sends an answer to the citizen of a thread: from the mailbox, with the reference in the
/// subject and the thread's ids in In-Reply-To and References. The caller must hold the thread
/// or be able to take it from their team's queue (a team lead: any).
pub async fn reply(
    store: &Store,
    caller: &Caller,
    work_item_id: Uuid,
    input: &ReplyInput,
) -> Result<MailMessage, EmailError> {
    let body = input.body.trim();
    if body.is_empty() {
        return Err(rejected(FieldError::new("body", "required", "Schrijf het antwoord.")));
    }
    if body.chars().count() > 100_000 {
        return Err(rejected(FieldError::new(
            "body",
            "too_long",
            "Het antwoord is te lang (meer dan 100.000 tekens).",
        )));
    }
    if !caller.may(Ability::Permission(crate::auth::Permission::WorkQueue)) {
        return Err(EmailError::Forbidden("U mag geen e-mail beantwoorden.".into()));
    }
    let now = clock::now();
    let mut tx = store.begin().await?;
    let item = store::work::find_for_update(&mut tx, work_item_id).await?.ok_or(EmailError::NotFound)?;
    if item.kind != WorkKind::Email.code() {
        return Err(EmailError::NotFound);
    }
    check_may_answer(&item, caller)?;
    let row = store::email::thread(&mut tx, work_item_id).await?.ok_or(EmailError::NotFound)?;
    if row.citizen_address.is_empty() {
        return Err(rejected(FieldError::new(
            "body",
            "no_address",
            "Deze e-mail had geen afzender om op te antwoorden.",
        )));
    }
    let mailbox = store::email::mailbox(&mut tx, &row.mailbox).await?.ok_or(EmailError::UnknownMailbox)?;
    let messages = store::email::messages_of(&mut tx, work_item_id).await?;
    let last_in = messages.iter().rev().find(|m| m.direction == "in");
    let mut references: Vec<String> =
        last_in.map(|m| m.refs.split_whitespace().map(str::to_owned).collect()).unwrap_or_default();
    let in_reply_to = last_in.map(|m| m.message_id.clone()).unwrap_or_default();
    if !in_reply_to.is_empty() && !references.contains(&in_reply_to) {
        references.push(in_reply_to.clone());
    }
    let reference = Reference::parse(&row.reference).unwrap_or_else(Reference::generate);
    let subject = thread::subject_with_reference(&row.subject, &reference);
    let organisation = crate::branding::load(&mut tx).await?.name;
    let text = format!("{body}\n\n--\n{organisation}\nOns kenmerk: {reference}\n");
    let message_id = own_message_id(&mailbox.address);
    let out = MessageRow {
        id: Uuid::now_v7(),
        work_item_id,
        mailbox: mailbox.address.clone(),
        direction: "out".into(),
        kind: "antwoord".into(),
        message_id: message_id.clone(),
        in_reply_to: in_reply_to.clone(),
        refs: references.join(" "),
        from_address: mailbox.address.clone(),
        from_name: organisation,
        to_addresses: row.citizen_address.clone(),
        cc_addresses: String::new(),
        subject: subject.clone(),
        text_body: text.clone(),
        html_body: String::new(),
        at: now,
        size: text.len() as i64,
        refused: String::new(),
        written_by: caller.display_name.clone(),
    };
    store::email::insert_message(&mut tx, &out).await?;
    crate::mail::enqueue_in_thread(
        &mut tx,
        &crate::mail::ThreadMail {
            from: &mailbox.address,
            to: &row.citizen_address,
            subject: &subject,
            body: &text,
            message_id: &message_id,
            in_reply_to: &in_reply_to,
            references: &references,
            auto_submitted: false,
        },
    )
    .await?;
    store::email::set_first_answer(&mut tx, work_item_id, now).await?;
    work::record(&mut tx, work_item_id, EventAction::Gewijzigd, caller, "Beantwoord per e-mail").await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::MailSent, "work_item", work_item_id.to_string())
            .purpose(Purpose::CustomerContact)
            .detail(serde_json::json!({ "message_id": message_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(MailMessage {
        id: out.id,
        direction: Direction::Out,
        kind: out.kind,
        from: out.from_address,
        from_name: out.from_name,
        to: vec![out.to_addresses],
        cc: Vec::new(),
        subject: out.subject,
        message_id: out.message_id,
        received_at: None,
        sent_at: Some(now),
        text: out.text_body,
        html: String::new(),
        refused: String::new(),
        written_by: out.written_by,
        attachments: Vec::new(),
    })
}

/// How an e-mail thread ended.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// What came of it (1–500 characters), shown in the thread's history.
    pub result: String,
}

/// Closes an e-mail thread with its result: whoever holds it, or may take it from their team's
/// queue (a team lead: any). A later mail from the citizen starts a new thread linked to it.
pub async fn close(store: &Store, caller: &Caller, work_item_id: Uuid, input: &CloseInput) -> Result<(), EmailError> {
    let result = crate::validation::text(&input.result, 1, 500)
        .map_err(|e| e.for_field("result"))
        .map_err(|e| EmailError::Invalid(vec![e]))?;
    let mut tx = store.begin().await?;
    let item = store::work::find_for_update(&mut tx, work_item_id).await?.ok_or(EmailError::NotFound)?;
    if item.kind != WorkKind::Email.code() {
        return Err(EmailError::NotFound);
    }
    check_may_answer(&item, caller)?;
    if !store::work::complete(&mut tx, work_item_id, clock::now(), &caller.display_name, &result).await? {
        return Err(EmailError::Closed);
    }
    work::record(&mut tx, work_item_id, EventAction::Afgerond, caller, &result).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::MailThreadClosed, "work_item", work_item_id.to_string())
            .detail(serde_json::json!({ "result": result })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the caller may answer or close this thread now (see `reply`).
fn check_may_answer(item: &WorkItemRow, caller: &Caller) -> Result<(), EmailError> {
    if !work::may_work_on(item, caller) {
        return Err(work::other_team(WorkKind::Email).into());
    }
    if item.assignee_kind == AssigneeKind::Medewerker.id()
        && !work::held_by(item, caller)
        && !caller.may(Ability::DistributeWork)
    {
        return Err(work::held_by_colleague(WorkKind::Email).into());
    }
    if WorkStatus::of(&item.status) != WorkStatus::TeVerwerken {
        return Err(EmailError::Closed);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_imap_url_reads_user_host_port_and_folder_and_refuses_a_password_inside() {
        let u = ImapUrl::parse("imaps://kcc%40gemeente.nl@Mail.Gemeente.nl:993/INBOX/Burgers").unwrap();
        assert_eq!(
            (u.tls, u.user.as_str(), u.host.as_str(), u.port),
            (true, "kcc@gemeente.nl", "mail.gemeente.nl", 993)
        );
        assert_eq!(u.folder, "INBOX/Burgers");
        assert_eq!(ImapUrl::parse("imap://kcc@localhost").unwrap().port, 143);
        assert_eq!(ImapUrl::parse("imap://kcc@localhost").unwrap().folder, "INBOX");
        assert!(ImapUrl::parse("imaps://kcc:geheim@mail.gemeente.nl/INBOX").is_err());
        assert!(ImapUrl::parse("imaps://kcc%3Ageheim@mail.gemeente.nl/INBOX").is_err());
        assert!(ImapUrl::parse("https://mail.gemeente.nl").is_err());
        assert!(ImapUrl::parse("imaps://mail.gemeente.nl/INBOX").is_err());
    }

    #[test]
    fn remote_images_are_left_out_until_asked_for() {
        let html = parse::clean_html("<p>Zie <img src=\"https://tracker.example/p.gif\" alt=\"x\"></p>");
        assert!(html.contains("tracker.example"));
        assert!(!display_html(&html, false).contains("tracker.example"));
        assert!(display_html(&html, true).contains("tracker.example"));
    }
}
