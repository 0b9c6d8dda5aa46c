//! A person's rights over their data (AVG): inzage (export everything Loket holds about a
//! party) and erasure on request. Both are beheerder actions and leave an audit trace.
//!
//! Rules:
//! - The export is complete: the party with address and identifiers (geheimhouding does not
//!   apply to the person's own request), every contact they took part in with all notes, their
//!   requests with history, their tasks, and who read their data (the audit entries about them).
//! - Erasure removes the party, its identifiers and digital addresses, and the free text of the
//!   contacts, requests and tasks about them (it may hold personal details). What remains —
//!   channel, times, outcome, status — keeps the figures right and names nobody.
//! - The audit log keeps its entries (it is append-only): it records that data was processed,
//!   and the erasure itself, with the reason given.
//! - No readable copy stays in the database files: the next housekeeping round after an
//!   erasure ([`scrub_step`], at most ten minutes later) rewrites what still held the bytes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::timeline::{self, TimelineItem};
use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditEvent, AuditFilterInput, AuditPage, Purpose};
use crate::clock;
use crate::contacts::ContactsError;
use crate::contacts::contact::Contact;
use crate::contacts::parties::{self, Party};
use crate::contacts::requests::Request;
use crate::store::{self, Store, StoreError};
use crate::validation;
use crate::work::WorkItem as Task;
use crate::work::callbacks::Callback;

/// Text left where personal free text was erased.
pub const ERASED: &str = "[verwijderd op verzoek]";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalDataExport {
    pub exported_at: DateTime<Utc>,
    pub party: Party,
    pub contacts: Vec<Contact>,
    pub requests: Vec<Request>,
    pub tasks: Vec<Task>,
    /// Callback requests with every attempt.
    pub callbacks: Vec<Callback>,
    /// Who processed this party's data (the audit entries about the party).
    pub processing: AuditPage,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureInput {
    /// Why, e.g. "verzoek van betrokkene per brief van 1 december".
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErasureReport {
    pub party_id: Uuid,
    pub contacts_cleared: u64,
    pub requests_cleared: u64,
    pub tasks_cleared: u64,
    pub erased_at: DateTime<Utc>,
}

/// Everything about one party, for an inzageverzoek (logged, purpose `inzageverzoek`).
pub async fn export(store: &Store, caller: &Caller, party_id: Uuid) -> Result<PersonalDataExport, ContactsError> {
    let mut tx = store.begin().await?;
    let row = store::parties::find_party(&mut tx, party_id).await?.ok_or(ContactsError::PartyNotFound)?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PersonalDataExported, "party", party_id.to_string())
            .purpose(Purpose::SubjectAccess),
    )
    .await?;
    tx.commit().await?;
    let party = parties::unrestricted(store, row).await?;
    let timeline = timeline::unrestricted(store, party_id).await?;
    let mut contacts = Vec::new();
    let mut requests = Vec::new();
    let mut tasks = Vec::new();
    let mut callbacks = Vec::new();
    for item in timeline {
        match item {
            TimelineItem::Contact(c) => contacts.push(c),
            TimelineItem::Request(r) => requests.push(r),
            TimelineItem::Task(t) => tasks.push(t),
            TimelineItem::Callback(c) => callbacks.push(c),
        }
    }
    let filter = AuditFilterInput {
        object_type: Some("party".into()),
        object_id: Some(party_id.to_string()),
        limit: Some(500),
        ..AuditFilterInput::default()
    };
    let filter = audit::AuditFilter::parse(&filter).map_err(ContactsError::Invalid)?;
    let processing = audit::entries_for(store, &filter).await?;
    Ok(PersonalDataExport { exported_at: clock::now(), party, contacts, requests, tasks, callbacks, processing })
}

/// Erases a party and the free text about them; the figures stay, the person goes.
pub async fn erase(
    store: &Store,
    caller: &Caller,
    party_id: Uuid,
    input: &ErasureInput,
) -> Result<ErasureReport, ContactsError> {
    let reason =
        validation::text(&input.reason, 1, 500).map_err(|e| ContactsError::Invalid(vec![e.for_field("reason")]))?;
    let now = clock::now();
    let mut tx = store.begin().await?;
    if !store::parties::touch_party(&mut tx, party_id, now).await? {
        return Err(ContactsError::PartyNotFound);
    }
    let counts = store::parties::erase(&mut tx, party_id, ERASED).await?;
    let detail = serde_json::json!({
        "reason": reason,
        "contacts_cleared": counts.contacts,
        "requests_cleared": counts.requests,
        "tasks_cleared": counts.tasks,
    });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PersonalDataErased, "party", party_id.to_string()).detail(detail),
    )
    .await?;
    store::parties::request_scrub(&mut tx, now).await?;
    tx.commit().await?;
    Ok(ErasureReport {
        party_id,
        contacts_cleared: counts.contacts,
        requests_cleared: counts.requests,
        tasks_cleared: counts.tasks,
        erased_at: now,
    })
}

/// How long one process holds the scrub before another may take it over (a crash mid-way).
const SCRUB_CLAIM: chrono::Duration = chrono::Duration::minutes(30);

/// A housekeeping step: once an erasure has committed, rewrites what still holds the erased
/// rows' bytes in the database files ([`Store::scrub_erased`]). Returns how many erasures were
/// covered. One process claims the work; a claim left by a crash runs out and is taken over,
/// and one that failed (an old transaction still open) is given back for the next round.
pub async fn scrub_step(store: &Store) -> Result<usize, StoreError> {
    let now = clock::now();
    let until = now + SCRUB_CLAIM;
    let ids = {
        let mut tx = store.begin().await?;
        let ids = store::parties::claim_scrubs(&mut tx, now, until).await?;
        tx.commit().await?;
        ids
    };
    if ids.is_empty() {
        return Ok(0);
    }
    if let Err(e) = store.scrub_erased().await {
        let mut tx = store.begin().await?;
        store::parties::release_scrubs(&mut tx, &ids, until).await?;
        tx.commit().await?;
        return Err(e);
    }
    let mut tx = store.begin().await?;
    store::parties::finish_scrubs(&mut tx, &ids, clock::now()).await?;
    tx.commit().await?;
    Ok(ids.len())
}

/// The party holding a BSN, for a privacy request (the lookup is logged as `inzageverzoek`).
/// The people a privacy request may be about, found by anything the person gives: name, BSN,
/// phone, e-mail, postcode + huisnummer, KvK number. Geheimhouding does not hide anyone here (the
/// request is the person's own); the preview is what the beheerder may see. Logged.
pub async fn find(store: &Store, caller: &Caller, text: &str) -> Result<Vec<Party>, ContactsError> {
    let lookup = parties::PartyLookup::guess(text).map_err(|e| ContactsError::Invalid(vec![e]))?;
    let mut tx = store.begin().await?;
    let rows = parties::rows_by(&mut tx, &lookup).await?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartiesSearched, "party", None)
            .purpose(Purpose::SubjectAccess)
            .detail(serde_json::json!({ "by": lookup.by(), "results": ids })),
    )
    .await?;
    tx.commit().await?;
    let mut found = Vec::with_capacity(rows.len());
    for row in rows {
        found.push(parties::as_seen_by(store, caller, row).await?);
    }
    Ok(found)
}
