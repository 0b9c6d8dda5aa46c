//! Werkberichten (notices): news and work instructions for agents.
//!
//! Rules: a notice is shown between publish-from and publish-until, to everyone or to the
//! teams/afdelingen it targets (an afdeling includes its teams); belangrijk ones come first.
//! Every reader's first read is recorded; the unread counter and the list of who has not yet
//! read an important notice come from those receipts. Redacteuren and teamleiders write
//! notices, and can end one early; a notice is never edited after publication (a correction is
//! a new notice), so a receipt always refers to the text that was read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::KnowledgeError;
use super::markdown;
use crate::auth::{Caller, Permission};
use crate::clock;
use crate::store::notices::NoticeRow;
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum NoticeKind {
    Nieuws,
    Werkinstructie,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Belangrijk,
    Normaal,
}

fn kind_id(k: NoticeKind) -> &'static str {
    match k {
        NoticeKind::Nieuws => "nieuws",
        NoticeKind::Werkinstructie => "werkinstructie",
    }
}

fn priority_id(p: Priority) -> &'static str {
    match p {
        Priority::Belangrijk => "belangrijk",
        Priority::Normaal => "normaal",
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Notice {
    pub id: Uuid,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub priority: Priority,
    pub publish_from: DateTime<Utc>,
    pub publish_until: Option<DateTime<Utc>>,
    pub author_name: String,
    /// For a reader: when they read it (`None`: unread).
    pub read_at: Option<DateTime<Utc>>,
    /// Target teams/afdelingen; empty means everyone.
    pub targets: Vec<Uuid>,
}

impl Notice {
    fn from_row(n: NoticeRow, read_at: Option<DateTime<Utc>>, targets: Vec<Uuid>) -> Notice {
        Notice {
            id: n.id,
            kind: if n.kind == "werkinstructie" { NoticeKind::Werkinstructie } else { NoticeKind::Nieuws },
            body_html: markdown::to_safe_html(&n.body),
            title: n.title,
            body: n.body,
            priority: if n.priority == "belangrijk" { Priority::Belangrijk } else { Priority::Normaal },
            publish_from: n.publish_from,
            publish_until: n.publish_until,
            author_name: n.author_name,
            read_at,
            targets,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    pub kind: NoticeKind,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub priority: Priority,
    /// Default: now.
    #[serde(default)]
    pub publish_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub publish_until: Option<DateTime<Utc>>,
    /// Teams or afdelingen; empty for everyone.
    #[serde(default)]
    pub targets: Vec<Uuid>,
}

pub fn may_write(caller: &Caller) -> bool {
    caller.can(Permission::WriteNotices)
}

pub async fn create(store: &Store, caller: &Caller, input: &NoticeInput) -> Result<Notice, KnowledgeError> {
    if !may_write(caller) {
        return Err(KnowledgeError::Forbidden("Werkberichten schrijven redacteuren en teamleiders."));
    }
    publish(store, Some(caller.user_id), &caller.display_name, input).await
}

/// Publishes a notice under an author's name (a person, or the demo loader's "Redactie KCC").
pub async fn publish(
    store: &Store,
    author_id: Option<Uuid>,
    author_name: &str,
    input: &NoticeInput,
) -> Result<Notice, KnowledgeError> {
    let mut checks = Checks::default();
    let title = checks.take("title", validation::text(&input.title, 3, 200));
    let body = checks.take("body", validation::text(&input.body, 1, 20_000));
    let from = input.publish_from.unwrap_or_else(clock::now);
    if input.publish_until.is_some_and(|u| u <= from) {
        checks.push(FieldError::new("publish_until", "before_publish_from", "'Tonen tot' ligt na 'tonen vanaf'."));
    }
    if input.targets.len() > 100 {
        checks.push(FieldError::new("targets", "too_many", "Maximaal 100."));
    }
    checks.finish().map_err(KnowledgeError::Invalid)?;
    let (Some(title), Some(body)) = (title, body) else { return Err(KnowledgeError::Invalid(vec![])) };
    let mut tx = store.begin().await?;
    for unit in &input.targets {
        if store::units::find(&mut tx, *unit).await?.is_none() {
            return Err(KnowledgeError::Invalid(vec![FieldError::new(
                "targets",
                "unknown_unit",
                "Onbekend team of afdeling.",
            )]));
        }
    }
    let mut targets = input.targets.clone();
    targets.sort();
    targets.dedup();
    let row = NoticeRow {
        id: Uuid::now_v7(),
        kind: kind_id(input.kind).to_owned(),
        title,
        body,
        priority: priority_id(input.priority).to_owned(),
        publish_from: from,
        publish_until: input.publish_until,
        author_id,
        author_name: author_name.to_owned(),
        created_at: clock::now(),
    };
    store::notices::insert(&mut tx, &row, &targets).await?;
    tx.commit().await?;
    Ok(Notice::from_row(row, None, targets))
}

/// The reader's team and its afdeling (a notice for the afdeling reaches its teams).
async fn reader_units(ex: &mut impl Executor, caller: &Caller) -> Result<(Option<Uuid>, Option<Uuid>), StoreError> {
    let Some(unit) = caller.unit_id else { return Ok((None, None)) };
    let parent = store::units::find(ex, unit).await?.and_then(|u| u.parent_id);
    Ok((Some(unit), parent))
}

/// Current notices for the caller, belangrijk first, each with when they read it.
pub async fn current(store: &Store, caller: &Caller) -> Result<Vec<Notice>, KnowledgeError> {
    let mut conn = store.acquire().await?;
    let (unit, afdeling) = reader_units(&mut conn, caller).await?;
    let rows = store::notices::current_for(&mut conn, clock::now(), unit, afdeling, caller.user_id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let targets = store::notices::targets(&mut conn, r.notice.id).await?;
        out.push(Notice::from_row(r.notice, r.read_at, targets));
    }
    Ok(out)
}

pub async fn unread_count(store: &Store, caller: &Caller) -> Result<i64, StoreError> {
    let mut conn = store.acquire().await?;
    let (unit, afdeling) = reader_units(&mut conn, caller).await?;
    store::notices::unread_count(&mut conn, clock::now(), unit, afdeling, caller.user_id).await
}

pub async fn mark_read(store: &Store, caller: &Caller, id: Uuid) -> Result<(), KnowledgeError> {
    let mut tx = store.begin().await?;
    store::notices::find(&mut tx, id).await?.ok_or(KnowledgeError::NotFound)?;
    store::notices::mark_read(&mut tx, id, caller.user_id, clock::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a notice now (it disappears for readers; receipts stay).
pub async fn end(store: &Store, caller: &Caller, id: Uuid) -> Result<(), KnowledgeError> {
    if !may_write(caller) {
        return Err(KnowledgeError::Forbidden("Werkberichten beheren redacteuren en teamleiders."));
    }
    let mut tx = store.begin().await?;
    store::notices::find(&mut tx, id).await?.ok_or(KnowledgeError::NotFound)?;
    store::notices::end(&mut tx, id, clock::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Every notice, newest first, for those who write them.
pub async fn all(store: &Store, caller: &Caller) -> Result<Vec<Notice>, KnowledgeError> {
    if !may_write(caller) {
        return Err(KnowledgeError::Forbidden("Werkberichten beheren redacteuren en teamleiders."));
    }
    let mut conn = store.acquire().await?;
    let rows = store::notices::all(&mut conn, 200).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let targets = store::notices::targets(&mut conn, r.id).await?;
        out.push(Notice::from_row(r, None, targets));
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Receipt {
    pub name: String,
    pub read_at: Option<DateTime<Utc>>,
}

/// Who the notice is for, and when each read it; unread first.
pub async fn receipts(store: &Store, caller: &Caller, id: Uuid) -> Result<(Notice, Vec<Receipt>), KnowledgeError> {
    if !may_write(caller) {
        return Err(KnowledgeError::Forbidden("Leesbevestigingen zien redacteuren en teamleiders."));
    }
    let mut conn = store.acquire().await?;
    let row = store::notices::find(&mut conn, id).await?.ok_or(KnowledgeError::NotFound)?;
    let targets = store::notices::targets(&mut conn, id).await?;
    let receipts = store::notices::receipts(&mut conn, id)
        .await?
        .into_iter()
        .map(|(name, read_at)| Receipt { name, read_at })
        .collect();
    Ok((Notice::from_row(row, None, targets), receipts))
}

/// Titles of all notices (the demo loader checks what it already placed).
pub async fn titles(store: &Store) -> Result<Vec<String>, StoreError> {
    Ok(store::notices::all(&mut store.acquire().await?, 10_000).await?.into_iter().map(|n| n.title).collect())
}
