//! Requests (verzoeken): something a citizen asked the organisation to do — a leaf basket, a
//! bulky-waste pickup — with a type, an owning afdeling, a status with its full history and an
//! expected date, linked to the party and to every contact about it.
//!
//! Rules:
//! - The type comes from the list a beheerder keeps; it gives the expected date (today plus the
//!   type's usual days, in Dutch time) unless one is given.
//! - A request starts as `ontvangen`; every change of status or expected date adds a line to the
//!   history with who and when, so every channel tells the citizen the same story.
//! - A closed request (afgehandeld, afgewezen) can only be reopened (`in_behandeling`); a
//!   "change" to the status it already has, without a new date or note, is refused.
//! - Other systems set the status through the API with a token; the history names the token's user.
//! - Reads are in the audit log with purpose `klantcontact`.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ContactsError, optional_text};
use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::clock;
use crate::store::requests::{RequestRow, RequestTypeRow, StatusRow};
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Ontvangen,
    InBehandeling,
    WachtOpKlant,
    Afgehandeld,
    Afgewezen,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 5] = [
        RequestStatus::Ontvangen,
        RequestStatus::InBehandeling,
        RequestStatus::WachtOpKlant,
        RequestStatus::Afgehandeld,
        RequestStatus::Afgewezen,
    ];

    pub fn id(self) -> &'static str {
        match self {
            RequestStatus::Ontvangen => "ontvangen",
            RequestStatus::InBehandeling => "in_behandeling",
            RequestStatus::WachtOpKlant => "wacht_op_klant",
            RequestStatus::Afgehandeld => "afgehandeld",
            RequestStatus::Afgewezen => "afgewezen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Ontvangen => "Ontvangen",
            RequestStatus::InBehandeling => "In behandeling",
            RequestStatus::WachtOpKlant => "Wacht op klant",
            RequestStatus::Afgehandeld => "Afgehandeld",
            RequestStatus::Afgewezen => "Afgewezen",
        }
    }

    pub fn parse(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|r| r.id() == s.trim())
    }

    pub fn is_closed(self) -> bool {
        matches!(self, RequestStatus::Afgehandeld | RequestStatus::Afgewezen)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestType {
    pub code: String,
    pub name: String,
    pub expected_days: i32,
    pub active: bool,
}

/// The request types, in the beheerder's order.
pub async fn types(store: &Store) -> Result<Vec<RequestType>, ContactsError> {
    let mut conn = store.acquire().await?;
    Ok(store::requests::types(&mut conn)
        .await?
        .into_iter()
        .map(|t| RequestType { code: t.code, name: t.name, expected_days: t.expected_days, active: t.active })
        .collect())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// A request type code (`GET /api/v1/request-types`).
    pub request_type: String,
    pub subject: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub party_id: Option<Uuid>,
    /// The afdeling or team that handles it.
    pub unit_id: Option<Uuid>,
    /// YYYY-MM-DD; default: today plus the type's usual days.
    #[serde(default)]
    pub expected_on: Option<String>,
    /// The case (zaak) number in the system that handles it.
    #[serde(default)]
    pub external_ref: Option<String>,
    /// The contact in which it was asked.
    #[serde(default)]
    pub contact_id: Option<Uuid>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    pub status: String,
    #[serde(default)]
    pub note: String,
    /// A new expected date (YYYY-MM-DD).
    #[serde(default)]
    pub expected_on: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusChange {
    pub status: RequestStatus,
    pub status_label: String,
    pub note: String,
    pub expected_on: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestContact {
    pub id: Uuid,
    pub channel: String,
    pub subject: String,
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Request {
    pub id: Uuid,
    pub request_type: String,
    pub type_name: String,
    pub subject: String,
    pub description: String,
    pub party_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub status: RequestStatus,
    pub status_label: String,
    pub expected_on: Option<String>,
    pub external_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    /// Oldest first; the first line is the registration.
    pub history: Vec<StatusChange>,
    /// The contacts about this request, newest first.
    pub contacts: Vec<RequestContact>,
}

fn parse_date(field: &str, value: &str) -> Result<String, FieldError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| FieldError::new(field, "invalid_date", "Geen geldige datum (JJJJ-MM-DD)."))
}

fn default_expected(now: DateTime<Utc>, days: i32) -> String {
    let today = now.with_timezone(&Amsterdam).date_naive();
    (today + chrono::Days::new(u64::try_from(days.max(0)).unwrap_or(0))).format("%Y-%m-%d").to_string()
}

/// Registers a request (status `ontvangen`), linked to the contact it came up in, if any.
pub async fn create(store: &Store, caller: &Caller, input: &RequestInput) -> Result<Request, ContactsError> {
    let now = clock::now();
    let mut checks = Checks::default();
    let subject = checks.take("subject", validation::text(&input.subject, 1, 200));
    let description = checks.take("description", optional_text(&input.description, 10_000));
    let external_ref = match input.external_ref.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => checks.take("external_ref", validation::text(r, 1, 100)).map(Some),
        None => Some(None),
    };
    let expected_given = input
        .expected_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|d| checks.take("expected_on", parse_date("expected_on", d)));
    let mut tx = store.begin().await?;
    let types: Vec<RequestTypeRow> = store::requests::types(&mut tx).await?;
    let request_type = match types.iter().find(|t| t.code == input.request_type.trim() && t.active) {
        Some(t) => Some(t),
        None => {
            let known: Vec<&str> = types.iter().filter(|t| t.active).map(|t| t.code.as_str()).collect();
            checks.push(FieldError::new(
                "request_type",
                "unknown_request_type",
                format!("Onbekend soort verzoek; kies uit {}.", known.join(", ")),
            ));
            None
        }
    };
    match input.unit_id {
        None => checks.push(FieldError::new("unit_id", "required", "Kies de afdeling die het verzoek behandelt.")),
        Some(unit) if store::units::find(&mut tx, unit).await?.is_none() => {
            checks.push(FieldError::new("unit_id", "unknown_unit", "Deze afdeling bestaat niet."));
        }
        Some(_) => {}
    }
    if let Some(party) = input.party_id
        && store::parties::find_party(&mut tx, party).await?.is_none()
    {
        checks.push(FieldError::new("party_id", "unknown_party", "Deze partij bestaat niet."));
    }
    if let Some(contact) = input.contact_id
        && store::contacts::find_contact(&mut tx, contact).await?.is_none()
    {
        checks.push(FieldError::new("contact_id", "unknown_contact", "Dit klantcontact bestaat niet."));
    }
    checks.finish()?;
    let (Some(subject), Some(description), Some(external_ref), Some(request_type)) =
        (subject, description, external_ref, request_type)
    else {
        unreachable!("every missing value left an error behind");
    };
    let expected_on = expected_given.unwrap_or_else(|| default_expected(now, request_type.expected_days));
    let row = RequestRow {
        id: Uuid::now_v7(),
        request_type: request_type.code.clone(),
        subject,
        description,
        party_id: input.party_id,
        unit_id: input.unit_id,
        status: RequestStatus::Ontvangen.id().to_owned(),
        expected_on: Some(expected_on.clone()),
        external_ref,
        created_at: now,
        created_by: caller.display_name.clone(),
        updated_at: now,
    };
    store::requests::insert(&mut tx, &row).await?;
    let first = StatusRow {
        id: Uuid::now_v7(),
        request_id: row.id,
        status: row.status.clone(),
        note: String::new(),
        expected_on: Some(expected_on),
        at: now,
        by_name: caller.display_name.clone(),
    };
    store::requests::insert_status(&mut tx, &first).await?;
    if let Some(contact) = input.contact_id {
        store::requests::link_contact(&mut tx, contact, row.id).await?;
    }
    let detail = serde_json::json!({ "request_type": row.request_type, "party_id": row.party_id });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::RequestCreated, "request", row.id.to_string()).detail(detail),
    )
    .await?;
    let request = assemble(&mut tx, vec![row]).await?.pop().ok_or(ContactsError::RequestNotFound)?;
    tx.commit().await?;
    Ok(request)
}

/// One request with its history and contacts, logged as read.
pub async fn get(store: &Store, caller: &Caller, id: Uuid) -> Result<Request, ContactsError> {
    let mut tx = store.begin().await?;
    let row = store::requests::find(&mut tx, id).await?.ok_or(ContactsError::RequestNotFound)?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::RequestRead, "request", id.to_string()).purpose(Purpose::CustomerContact),
    )
    .await?;
    let request = assemble(&mut tx, vec![row]).await?.pop().ok_or(ContactsError::RequestNotFound)?;
    tx.commit().await?;
    Ok(request)
}

/// Sets a new status (and expected date), adding a line to the history.
pub async fn set_status(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &StatusInput,
) -> Result<Request, ContactsError> {
    let now = clock::now();
    let mut checks = Checks::default();
    let status = RequestStatus::parse(&input.status);
    if status.is_none() {
        checks.push(FieldError::new(
            "status",
            "unknown_status",
            "Kies ontvangen, in_behandeling, wacht_op_klant, afgehandeld of afgewezen.",
        ));
    }
    let note = checks.take("note", optional_text(&input.note, 2_000));
    let expected = input
        .expected_on
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|d| checks.take("expected_on", parse_date("expected_on", d)));
    checks.finish()?;
    let (Some(status), Some(note)) = (status, note) else { unreachable!("every missing value left an error behind") };
    let mut tx = store.begin().await?;
    let current = store::requests::lock(&mut tx, id).await?.ok_or(ContactsError::RequestNotFound)?;
    let was = RequestStatus::parse(&current.status).unwrap_or(RequestStatus::Ontvangen);
    if was.is_closed() && status != RequestStatus::InBehandeling && status != was {
        return Err(ContactsError::RequestClosed { status: was.label() });
    }
    let expected_on = expected.clone().or(current.expected_on.clone());
    if status == was && expected.is_none() && note.is_empty() {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "status",
            "unchanged",
            format!("Het verzoek is al '{}'.", was.label()),
        )]));
    }
    store::requests::set_status(&mut tx, id, status.id(), expected_on.as_deref(), now).await?;
    let line = StatusRow {
        id: Uuid::now_v7(),
        request_id: id,
        status: status.id().to_owned(),
        note,
        expected_on,
        at: now,
        by_name: caller.display_name.clone(),
    };
    store::requests::insert_status(&mut tx, &line).await?;
    let detail = serde_json::json!({ "from": was.id(), "to": status.id() });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::RequestStatusChanged, "request", id.to_string()).detail(detail),
    )
    .await?;
    let row = store::requests::find(&mut tx, id).await?.ok_or(ContactsError::RequestNotFound)?;
    let request = assemble(&mut tx, vec![row]).await?.pop().ok_or(ContactsError::RequestNotFound)?;
    tx.commit().await?;
    Ok(request)
}

/// A party's requests for the timeline (the caller logs the read).
pub(crate) async fn of_party(ex: &mut impl Executor, party_id: Uuid, limit: i64) -> Result<Vec<Request>, StoreError> {
    let rows = store::requests::of_party(ex, party_id, limit).await?;
    assemble(ex, rows).await
}

async fn assemble(ex: &mut impl Executor, rows: Vec<RequestRow>) -> Result<Vec<Request>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let history = store::requests::history(ex, &ids).await?;
    let types = store::requests::types(ex).await?;
    let about = store::requests::contacts_of_requests(ex, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let contacts = about
            .iter()
            .filter(|(request, ..)| *request == r.id)
            .map(|(_, id, channel, subject, started_at)| RequestContact {
                id: *id,
                channel: channel.clone(),
                subject: subject.clone(),
                started_at: *started_at,
            })
            .collect();
        let status = RequestStatus::parse(&r.status).unwrap_or(RequestStatus::Ontvangen);
        out.push(Request {
            id: r.id,
            type_name: types
                .iter()
                .find(|t| t.code == r.request_type)
                .map_or_else(|| r.request_type.clone(), |t| t.name.clone()),
            request_type: r.request_type,
            subject: r.subject,
            description: r.description,
            party_id: r.party_id,
            unit_id: r.unit_id,
            status,
            status_label: status.label().to_owned(),
            expected_on: r.expected_on,
            external_ref: r.external_ref,
            created_at: r.created_at,
            created_by: r.created_by,
            updated_at: r.updated_at,
            history: history
                .iter()
                .filter(|h| h.request_id == r.id)
                .map(|h| {
                    let status = RequestStatus::parse(&h.status).unwrap_or(RequestStatus::Ontvangen);
                    StatusChange {
                        status,
                        status_label: status.label().to_owned(),
                        note: h.note.clone(),
                        expected_on: h.expected_on.clone(),
                        at: h.at,
                        by: h.by_name.clone(),
                    }
                })
                .collect(),
            contacts,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_expected_date_counts_from_the_dutch_day() {
        // 23:30 UTC on 31 March is already 1 April in Amsterdam (summer time).
        let late = Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap();
        assert_eq!(default_expected(late, 14), "2026-04-15");
    }

    #[test]
    fn statuses_round_trip_and_only_two_close_a_request() {
        for s in RequestStatus::ALL {
            assert_eq!(RequestStatus::parse(s.id()), Some(s));
        }
        let closed: Vec<_> = RequestStatus::ALL.into_iter().filter(|s| s.is_closed()).collect();
        assert_eq!(closed, [RequestStatus::Afgehandeld, RequestStatus::Afgewezen]);
        assert_eq!(parse_date("d", "2026-13-01").unwrap_err().code, "invalid_date");
    }
}
