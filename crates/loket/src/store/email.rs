//! SQL for the e-mail channel: mailboxes, threads (beside their work item), messages and
//! attachments.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailboxRow {
    pub address: String,
    pub unit_id: Option<Uuid>,
    pub imap_url: String,
    pub imap_secret: String,
    pub max_message_bytes: i64,
    pub max_attachment_bytes: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// Written by the IMAP intake only (see `set_imap_status`); ignored by insert and update.
    pub imap_status: String,
    pub imap_checked_at: Option<DateTime<Utc>>,
}

const MAILBOX_COLUMNS: &str = "address, unit_id, imap_url, imap_secret, max_message_bytes, max_attachment_bytes, \
                               created_at, created_by, imap_status, imap_checked_at";

pub async fn insert_mailbox(ex: &mut impl Executor, m: &MailboxRow) -> StoreResult<()> {
    let sql = "INSERT INTO mailboxes (address, unit_id, imap_url, imap_secret, max_message_bytes, max_attachment_bytes, \
               created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_backend!(ex, c => sqlx::query(sql)
        .bind(&m.address).bind(m.unit_id).bind(&m.imap_url).bind(&m.imap_secret)
        .bind(m.max_message_bytes).bind(m.max_attachment_bytes).bind(m.created_at).bind(&m.created_by)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Changes a mailbox's team, IMAP account and limits; false when there is no such mailbox.
pub async fn update_mailbox(ex: &mut impl Executor, m: &MailboxRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        // Another IMAP account starts from its beginning; its old state says nothing of it.
        "UPDATE mailboxes SET unit_id = $2, imap_url = $3, imap_secret = $4, max_message_bytes = $5, \
         max_attachment_bytes = $6, \
         imap_uidvalidity = CASE WHEN imap_url = $3 THEN imap_uidvalidity END, \
         imap_last_uid = CASE WHEN imap_url = $3 THEN imap_last_uid END, \
         imap_status = CASE WHEN imap_url = $3 THEN imap_status ELSE '' END, \
         imap_checked_at = CASE WHEN imap_url = $3 THEN imap_checked_at END \
         WHERE address = $1",
    )
    .bind(&m.address).bind(m.unit_id).bind(&m.imap_url).bind(&m.imap_secret)
    .bind(m.max_message_bytes).bind(m.max_attachment_bytes)
    .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn mailboxes(ex: &mut impl Executor) -> StoreResult<Vec<MailboxRow>> {
    let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes ORDER BY address");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

pub async fn mailbox(ex: &mut impl Executor, address: &str) -> StoreResult<Option<MailboxRow>> {
    let sql = format!("SELECT {MAILBOX_COLUMNS} FROM mailboxes WHERE address = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(address).fetch_optional(c).await)?)
}

/// Claims a mailbox's IMAP intake for `token` until `until`, or renews the claim; false when
/// another process holds it or the mailbox has no IMAP account.
pub async fn claim_mailbox(
    ex: &mut impl Executor,
    address: &str,
    token: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE mailboxes SET imap_claimed_by = $2, imap_claimed_until = $4 WHERE address = $1 AND imap_url <> '' \
         AND (imap_claimed_until IS NULL OR imap_claimed_until < $3 OR imap_claimed_by = $2)",
    )
    .bind(address).bind(token).bind(now).bind(until).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Gives up a claim (only its holder can).
pub async fn release_mailbox(ex: &mut impl Executor, address: &str, token: Uuid) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "UPDATE mailboxes SET imap_claimed_by = NULL, imap_claimed_until = NULL WHERE address = $1 AND imap_claimed_by = $2",
    )
    .bind(address).bind(token).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The folder's UIDVALIDITY and the last UID taken in.
pub async fn imap_position(ex: &mut impl Executor, address: &str) -> StoreResult<(Option<i64>, Option<i64>)> {
    let row: Option<(Option<i64>, Option<i64>)> = on_backend!(ex, c => sqlx::query_as(
        "SELECT imap_uidvalidity, imap_last_uid FROM mailboxes WHERE address = $1",
    )
    .bind(address).fetch_optional(c).await)?;
    Ok(row.unwrap_or((None, None)))
}

/// Moves the position on, by the holder of the claim only; false when the claim is not theirs.
pub async fn set_imap_position(
    ex: &mut impl Executor,
    address: &str,
    token: Uuid,
    uidvalidity: Option<i64>,
    last_uid: i64,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE mailboxes SET imap_uidvalidity = $3, imap_last_uid = $4 WHERE address = $1 AND imap_claimed_by = $2",
    )
    .bind(address).bind(token).bind(uidvalidity).bind(last_uid).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The last result of fetching ('' when it went well).
pub async fn set_imap_status(
    ex: &mut impl Executor,
    address: &str,
    status: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE mailboxes SET imap_status = $2, imap_checked_at = $3 WHERE address = $1")
        .bind(address).bind(status).bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Each mailbox with an IMAP account: its last result and when.
pub async fn imap_statuses(ex: &mut impl Executor) -> StoreResult<Vec<(String, String, Option<DateTime<Utc>>)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT address, imap_status, imap_checked_at FROM mailboxes WHERE imap_url <> '' ORDER BY address",
    )
    .fetch_all(c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThreadRow {
    pub work_item_id: Uuid,
    pub mailbox: String,
    pub reference: String,
    pub subject: String,
    pub citizen_address: String,
    pub citizen_name: String,
    pub suggested_party_id: Option<Uuid>,
    pub linked_to: Option<Uuid>,
    pub receipt_sent: bool,
    pub first_answer_at: Option<DateTime<Utc>>,
}

const THREAD_COLUMNS: &str = "work_item_id, mailbox, reference, subject, citizen_address, citizen_name, \
                              suggested_party_id, linked_to, receipt_sent, first_answer_at";

pub async fn insert_thread(ex: &mut impl Executor, t: &ThreadRow) -> StoreResult<()> {
    let sql = format!("INSERT INTO mail_threads ({THREAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(t.work_item_id).bind(&t.mailbox).bind(&t.reference).bind(&t.subject).bind(&t.citizen_address)
        .bind(&t.citizen_name).bind(t.suggested_party_id).bind(t.linked_to).bind(t.receipt_sent).bind(t.first_answer_at)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn thread(ex: &mut impl Executor, work_item_id: Uuid) -> StoreResult<Option<ThreadRow>> {
    let sql = format!("SELECT {THREAD_COLUMNS} FROM mail_threads WHERE work_item_id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(work_item_id).fetch_optional(c).await)?)
}

pub async fn threads(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<ThreadRow>> {
    let select = format!("SELECT {THREAD_COLUMNS} FROM mail_threads WHERE work_item_id IN (");
    super::fetch_by_ids(ex, &select, ids, "").await
}

/// A thread as the matching rules need it: whose it is and whether its work item is open.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FoundRow {
    pub work_item_id: Uuid,
    pub citizen_address: String,
    pub status: String,
}

/// The thread with this reference.
pub async fn thread_by_reference(ex: &mut impl Executor, reference: &str) -> StoreResult<Option<FoundRow>> {
    let sql = "SELECT t.work_item_id, t.citizen_address, w.status FROM mail_threads t \
               JOIN work_items w ON w.id = t.work_item_id WHERE t.reference = $1";
    Ok(on_backend!(ex, c => sqlx::query_as(sql).bind(reference).fetch_optional(c).await)?)
}

/// The threads holding messages of this mailbox with these Message-IDs, sent or received
/// (`direction`), by Message-ID.
pub async fn threads_by_message_ids(
    ex: &mut impl Executor,
    mailbox: &str,
    direction: &str,
    ids: &[String],
) -> StoreResult<Vec<(String, FoundRow)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for id in ids.iter().take(50) {
        let sql = "SELECT t.work_item_id, t.citizen_address, w.status FROM mail_messages m \
                   JOIN mail_threads t ON t.work_item_id = m.work_item_id JOIN work_items w ON w.id = t.work_item_id \
                   WHERE m.mailbox = $1 AND m.message_id = $2 AND m.direction = $3";
        let found: Option<FoundRow> = on_backend!(ex, c => sqlx::query_as(sql).bind(mailbox).bind(id).bind(direction)
            .fetch_optional(c).await)?;
        out.extend(found.map(|f| (id.clone(), f)));
    }
    Ok(out)
}

/// The work item holding a message of this mailbox with this Message-ID (a repeated delivery).
pub async fn item_of_message(ex: &mut impl Executor, mailbox: &str, message_id: &str) -> StoreResult<Option<Uuid>> {
    let sql = "SELECT work_item_id FROM mail_messages WHERE mailbox = $1 AND message_id = $2";
    let row: Option<(Uuid,)> =
        on_backend!(ex, c => sqlx::query_as(sql).bind(mailbox).bind(message_id).fetch_optional(c).await)?;
    Ok(row.map(|(id,)| id))
}

/// Marks the thread's receipt as sent; false when it already was (someone else's turn).
pub async fn take_receipt_turn(ex: &mut impl Executor, work_item_id: Uuid) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE mail_threads SET receipt_sent = TRUE WHERE work_item_id = $1 AND receipt_sent = FALSE",
    )
    .bind(work_item_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Records the first answer of a thread (the response-time figure); later answers change nothing.
pub async fn set_first_answer(ex: &mut impl Executor, work_item_id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "UPDATE mail_threads SET first_answer_at = $2 WHERE work_item_id = $1 AND first_answer_at IS NULL",
    )
    .bind(work_item_id).bind(at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Receipts sent to this address since `since`.
pub async fn receipts_since(ex: &mut impl Executor, to: &str, since: DateTime<Utc>) -> StoreResult<i64> {
    let sql =
        "SELECT COUNT(*) FROM mail_messages WHERE kind = 'ontvangstbevestiging' AND to_addresses = $1 AND at >= $2";
    let (n,): (i64,) = on_backend!(ex, c => sqlx::query_as(sql).bind(to).bind(since).fetch_one(c).await)?;
    Ok(n)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub id: Uuid,
    pub work_item_id: Uuid,
    pub mailbox: String,
    pub direction: String,
    pub kind: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub refs: String,
    pub from_address: String,
    pub from_name: String,
    pub to_addresses: String,
    pub cc_addresses: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub at: DateTime<Utc>,
    pub size: i64,
    pub refused: String,
    pub written_by: String,
}

const MESSAGE_COLUMNS: &str = "id, work_item_id, mailbox, direction, kind, message_id, in_reply_to, refs, \
     from_address, from_name, to_addresses, cc_addresses, subject, text_body, html_body, at, size, refused, written_by";

pub async fn insert_message(ex: &mut impl Executor, m: &MessageRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO mail_messages ({MESSAGE_COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(m.id).bind(m.work_item_id).bind(&m.mailbox).bind(&m.direction).bind(&m.kind).bind(&m.message_id)
        .bind(&m.in_reply_to).bind(&m.refs).bind(&m.from_address).bind(&m.from_name).bind(&m.to_addresses)
        .bind(&m.cc_addresses).bind(&m.subject).bind(&m.text_body).bind(&m.html_body).bind(m.at).bind(m.size)
        .bind(&m.refused).bind(&m.written_by)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// A thread's messages, oldest first.
pub async fn messages_of(ex: &mut impl Executor, work_item_id: Uuid) -> StoreResult<Vec<MessageRow>> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM mail_messages WHERE work_item_id = $1 ORDER BY at, id");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(work_item_id).fetch_all(c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: Uuid,
    pub message: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// `None` when it was refused.
    pub content: Option<Vec<u8>>,
}

pub async fn insert_attachment(ex: &mut impl Executor, a: &AttachmentRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO mail_attachments (id, message, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.id).bind(a.message).bind(&a.filename).bind(&a.content_type).bind(a.size).bind(&a.content)
    .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// An attachment without its content.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentInfoRow {
    pub id: Uuid,
    pub message: Uuid,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    /// False when it was refused.
    pub kept: bool,
}

/// The attachments of these messages, without their content.
pub async fn attachments_of(ex: &mut impl Executor, messages: &[Uuid]) -> StoreResult<Vec<AttachmentInfoRow>> {
    let select = "SELECT id, message, filename, content_type, size, content IS NOT NULL AS kept \
                  FROM mail_attachments WHERE message IN (";
    super::fetch_by_ids(ex, select, messages, "ORDER BY id").await
}

/// One attachment with its content, and the work item it belongs to.
pub async fn attachment(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<(Uuid, AttachmentRow)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        work_item_id: Uuid,
        #[sqlx(flatten)]
        a: AttachmentRow,
    }
    let sql = "SELECT m.work_item_id, a.id, a.message, a.filename, a.content_type, a.size, a.content \
               FROM mail_attachments a JOIN mail_messages m ON m.id = a.message WHERE a.id = $1";
    let row: Option<Row> = on_backend!(ex, c => sqlx::query_as(sql).bind(id).fetch_optional(c).await)?;
    Ok(row.map(|r| (r.work_item_id, r.a)))
}
