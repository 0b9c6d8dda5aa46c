//! A customer's timeline: everything that happened with a party — contacts, requests, follow-up
//! tasks and callback requests — in one list, newest first.
//!
//! Rules: each entry is shown as the caller may see it (confidential contact notes withheld);
//! with a channel, only the contacts on it; at most [`TIMELINE_MAX`] entries. Reading it is one
//! audit line on the party (purpose `klantcontact`), written before anything is returned.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::contacts::ContactsError;
use crate::contacts::contact::{self, Contact};
use crate::contacts::requests::{self, Request};
use crate::store::{self, Executor, Store, StoreError};
use crate::work::callbacks::Callback;
use crate::work::{self, WorkItem, WorkKind};

/// Most items one timeline page returns.
pub const TIMELINE_MAX: i64 = 1_000;

/// One entry of a customer's timeline: a contact, a request or a task (callbacks join as tasks).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineItem {
    Contact(Contact),
    Request(Request),
    Task(WorkItem),
    Callback(Callback),
}

impl TimelineItem {
    /// When it happened: a contact's start, a request's or task's registration.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            TimelineItem::Contact(c) => c.started_at,
            TimelineItem::Request(r) => r.created_at,
            TimelineItem::Task(t) => t.created_at,
            TimelineItem::Callback(c) => c.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Timeline {
    pub party_id: Uuid,
    /// Newest first.
    pub items: Vec<TimelineItem>,
}

/// Everything that happened with a party — contacts, requests, tasks — newest first; with a
/// channel, only the contacts on it.
pub async fn of_party(
    store: &Store,
    caller: &Caller,
    party_id: Uuid,
    channel: Option<&str>,
    limit: i64,
) -> Result<Timeline, ContactsError> {
    let limit = limit.clamp(1, TIMELINE_MAX);
    // Read on a read connection, not in a write transaction: on SQLite that would hold the one
    // write lock for the whole read. The audit line is committed before anything is returned.
    let mut conn = store.acquire().await?;
    if store::parties::find_party(&mut conn, party_id).await?.is_none() {
        return Err(ContactsError::PartyNotFound);
    }
    let found = contact::of_party(&mut conn, Some(caller), party_id, channel.filter(|c| !c.is_empty()), limit).await?;
    let contacts = found.len();
    let mut items: Vec<TimelineItem> = found.into_iter().map(TimelineItem::Contact).collect();
    if channel.is_none_or(str::is_empty) {
        let requests = requests::of_party(&mut conn, party_id, limit).await?;
        let tasks = work::tasks::of_party(&mut conn, party_id, limit).await?;
        items.extend(requests.into_iter().map(TimelineItem::Request));
        items.extend(task_items(&mut conn, tasks).await?);
        items.sort_by_key(|i| std::cmp::Reverse(i.at()));
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    drop(conn);
    audit::record_now(
        store,
        &caller.actor(),
        AuditEvent::new(AuditAction::TimelineRead, "party", party_id.to_string())
            .purpose(Purpose::CustomerContact)
            .detail(serde_json::json!({ "contacts": contacts })),
    )
    .await?;
    Ok(Timeline { party_id, items })
}

/// Everything about a party, confidential notes included, for the person's own request (inzage);
/// the caller logs it.
pub(crate) async fn unrestricted(store: &Store, party_id: Uuid) -> Result<Vec<TimelineItem>, ContactsError> {
    let mut conn = store.acquire().await?;
    let found = contact::of_party(&mut conn, None, party_id, None, i64::MAX).await?;
    let mut items: Vec<TimelineItem> = found.into_iter().map(TimelineItem::Contact).collect();
    items.extend(requests::of_party(&mut conn, party_id, i64::MAX).await?.into_iter().map(TimelineItem::Request));
    let tasks = work::tasks::of_party(&mut conn, party_id, i64::MAX).await?;
    items.extend(task_items(&mut conn, tasks).await?);
    items.sort_by_key(|i| std::cmp::Reverse(i.at()));
    Ok(items)
}

/// Tasks as timeline entries; callback requests with their attempts.
async fn task_items(ex: &mut impl Executor, tasks: Vec<WorkItem>) -> Result<Vec<TimelineItem>, StoreError> {
    let (callbacks, follow_ups): (Vec<_>, Vec<_>) =
        tasks.into_iter().partition(|t| t.kind == WorkKind::Terugbelverzoek);
    let ids: Vec<Uuid> = callbacks.iter().map(|t| t.id).collect();
    let mut items: Vec<TimelineItem> = follow_ups.into_iter().map(TimelineItem::Task).collect();
    items.extend(work::callbacks::of_items(ex, &ids).await?.into_iter().map(TimelineItem::Callback));
    Ok(items)
}
