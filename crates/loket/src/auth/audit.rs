//! The audit log (verwerkingslog): who — a user, a token, the system or an anonymous visitor —
//! did what, to which object, when, from where, and for reads of personal data: why (the purpose).
//!
//! Rules: entries are only ever appended (the store has no update or delete, and database triggers
//! refuse them); reading the log is itself logged; an entry is written in the same transaction as
//! the change it records, and before personal data leaves the system.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{Caller, Credential};
use crate::clock;
use crate::store::audit::{AuditQuery, AuditRow};
use crate::store::{self, Executor, Store, StoreError, StoreResult};
use crate::validation::{Checks, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    User,
    Token,
    System,
    Anonymous,
}

impl ActorKind {
    pub fn id(self) -> &'static str {
        match self {
            ActorKind::User => "user",
            ActorKind::Token => "token",
            ActorKind::System => "system",
            ActorKind::Anonymous => "anonymous",
        }
    }

    fn parse(s: &str) -> ActorKind {
        match s {
            "user" => ActorKind::User,
            "token" => ActorKind::Token,
            "anonymous" => ActorKind::Anonymous,
            _ => ActorKind::System,
        }
    }
}

/// Who acts, as the log records it.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: ActorKind,
    pub user_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    pub(super) fn for_caller(caller: &Caller) -> Actor {
        let (kind, token_id) = match caller.credential {
            Credential::Session { .. } => (ActorKind::User, None),
            Credential::Token { token_id } => (ActorKind::Token, Some(token_id)),
            Credential::Command { name } => return Actor::system(&format!("{name} ({})", caller.username)),
        };
        // A koppeling is named with the beheerder who made it: who answers for what it read.
        let name = match (&caller.account, &caller.created_by) {
            (super::users::AccountKind::Koppeling, Some(by)) => format!("{} (koppeling van {by})", caller.username),
            _ => caller.username.clone(),
        };
        Actor { kind, user_id: Some(caller.user_id), token_id, name, ip: caller.ip.clone() }
    }

    /// Loket itself, or an operator at the command line (`loket user add`…).
    pub fn system(name: &str) -> Actor {
        Actor { kind: ActorKind::System, user_id: None, token_id: None, name: name.to_owned(), ip: None }
    }

    /// Someone not logged in, e.g. a failed login for `name`.
    pub fn anonymous(name: &str, ip: Option<&str>) -> Actor {
        Actor {
            kind: ActorKind::Anonymous,
            user_id: None,
            token_id: None,
            name: name.to_owned(),
            ip: ip.map(str::to_owned),
        }
    }
}

macro_rules! audit_actions {
    ($($variant:ident => $id:literal),* $(,)?) => {
        /// What happened. The ids are stable: filters and external tooling use them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum AuditAction { $(#[serde(rename = $id)] $variant),* }
        $crate::string_enum_schema!(AuditAction, [$($id),*]);

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),*];
            pub fn id(self) -> &'static str {
                match self { $(AuditAction::$variant => $id),* }
            }
        }
    };
}

audit_actions! {
    Login => "login",
    LoginFailed => "login_failed",
    LoginThrottled => "login_throttled",
    Logout => "logout",
    UserCreated => "user_created",
    UserUpdated => "user_updated",
    PasswordChanged => "password_changed",
    PasswordChangeFailed => "password_change_failed",
    UserRead => "user_read",
    UsersListed => "users_listed",
    TokenCreated => "token_created",
    TokenRevoked => "token_revoked",
    UnitCreated => "unit_created",
    ActorCreated => "actor_created",
    ActorChanged => "actor_changed",
    ActorDeleted => "actor_deleted",
    AuditLogRead => "audit_log_read",
    PartyCreated => "party_created",
    PartyUpdated => "party_updated",
    PartyRead => "party_read",
    PartiesSearched => "parties_searched",
    ConfidentialityLifted => "confidentiality_lifted",
    ContactRegistered => "contact_registered",
    ContactUpdated => "contact_updated",
    ContactDeleted => "contact_deleted",
    ContactRead => "contact_read",
    TimelineRead => "timeline_read",
    RequestCreated => "request_created",
    RequestRead => "request_read",
    RequestStatusChanged => "request_status_changed",
    TaskCreated => "task_created",
    TaskCompleted => "task_completed",
    TaskChanged => "task_changed",
    TaskDeleted => "task_deleted",
    TasksListed => "tasks_listed",
    PersonalDataExported => "personal_data_exported",
    PersonalDataErased => "personal_data_erased",
    KpiSettingsChanged => "kpi_settings_changed",
    CallsImported => "calls_imported",
    SlaPolicyChanged => "sla_policy_changed",
    CallbackCreated => "callback_created",
    CallbackRead => "callback_read",
    CallbacksListed => "callbacks_listed",
    CallbackAssigned => "callback_assigned",
    CallbackAttempted => "callback_attempted",
    WorkItemsListed => "work_items_listed",
    WorkItemRead => "work_item_read",
    WorkItemAssigned => "work_item_assigned",
    ContactListChanged => "contact_list_changed",
    ContactsListed => "contacts_listed",
    BrandingChanged => "branding_changed",
    MailboxChanged => "mailbox_changed",
    MailReceived => "mail_received",
    MailSent => "mail_sent",
    MailThreadClosed => "mail_thread_closed",
}

impl AuditAction {
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.iter().copied().find(|a| a.id() == s)
    }
}

/// Why personal data was read (doelbinding). Every read of personal data names one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum Purpose {
    /// Managing accounts and roles.
    #[serde(rename = "gebruikersbeheer")]
    UserAdministration,
    /// Checking who processed which data (toezicht op verwerkingen).
    #[serde(rename = "toezicht")]
    AuditOversight,
    /// Answering a customer's question or request (klantcontact).
    #[serde(rename = "klantcontact")]
    CustomerContact,
    /// A person's request to see (inzage) or erase their data.
    #[serde(rename = "inzageverzoek")]
    SubjectAccess,
    /// Accounting for the service given: the contacts behind a report's figure.
    #[serde(rename = "rapportage")]
    Reporting,
}

impl Purpose {
    pub fn id(self) -> &'static str {
        match self {
            Purpose::UserAdministration => "gebruikersbeheer",
            Purpose::AuditOversight => "toezicht",
            Purpose::CustomerContact => "klantcontact",
            Purpose::SubjectAccess => "inzageverzoek",
            Purpose::Reporting => "rapportage",
        }
    }
}

/// One thing to record.
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub purpose: Option<Purpose>,
    pub detail: Option<serde_json::Value>,
}

impl AuditEvent {
    pub fn new(action: AuditAction, object_type: &'static str, object_id: impl Into<Option<String>>) -> Self {
        AuditEvent { action, object_type, object_id: object_id.into(), purpose: None, detail: None }
    }

    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = Some(purpose);
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }
}

/// Appends one entry, within the caller's transaction.
pub async fn record(ex: &mut impl Executor, actor: &Actor, event: AuditEvent) -> StoreResult<()> {
    let row = AuditRow {
        id: 0,
        at: clock::now(),
        actor_kind: actor.kind.id().to_owned(),
        user_id: actor.user_id,
        token_id: actor.token_id,
        actor_name: actor.name.clone(),
        action: event.action.id().to_owned(),
        object_type: event.object_type.to_owned(),
        object_id: event.object_id,
        purpose: event.purpose.map(|p| p.id().to_owned()),
        detail: event.detail.map(|d| d.to_string()),
        ip: actor.ip.clone(),
    };
    store::audit::insert(ex, &row).await?;
    Ok(())
}

/// Appends one entry, committed before it returns (for events that change nothing else).
pub async fn record_now(store: &Store, actor: &Actor, event: AuditEvent) -> StoreResult<()> {
    // Every read of personal data writes a line: lines written at the same moment share a commit.
    let actor = actor.clone();
    store
        .write_grouped(std::sync::Arc::new(move |tx| {
            let (actor, event) = (actor.clone(), event.clone());
            Box::pin(async move { record(tx, &actor, event).await })
        }))
        .await
}

/// The filter as typed by a person or sent in a query string; every field optional.
#[derive(Debug, Default, Clone, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct AuditFilterInput {
    /// Part of the actor's user name.
    pub actor: Option<String>,
    /// One action id, e.g. `login_failed`.
    pub action: Option<String>,
    /// Object type, e.g. `user`.
    pub object_type: Option<String>,
    /// Exact object id.
    pub object_id: Option<String>,
    /// First day (YYYY-MM-DD, Dutch time), inclusive.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, Dutch time), inclusive.
    pub to: Option<String>,
    /// Only entries older than this id (the next page).
    pub before: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AuditFilter {
    query: AuditQuery,
}

fn blank_to_none(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_day(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "invalid_date", "Geen geldige datum (JJJJ-MM-DD)."))
}

/// Midnight in Amsterdam at the start of `day`, as UTC (daylight saving included).
fn start_of_local_day(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::MIN);
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        // Midnight always exists in Amsterdam (clocks change at 02:00/03:00).
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

impl AuditFilter {
    pub fn parse(input: &AuditFilterInput) -> Result<AuditFilter, Vec<FieldError>> {
        let mut checks = Checks::default();
        let mut query = AuditQuery { limit: 50, ..AuditQuery::default() };
        if let Some(actor) = blank_to_none(&input.actor) {
            if actor.chars().count() > 100 {
                checks.push(FieldError::new("actor", "too_long", "Maximaal 100 tekens."));
            }
            let escaped = actor.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            query.actor_like = Some(format!("%{escaped}%"));
        }
        if let Some(action) = blank_to_none(&input.action) {
            match AuditAction::parse(action) {
                Some(a) => query.action = Some(a.id().to_owned()),
                None => {
                    checks.push(FieldError::new("action", "unknown_action", format!("Onbekende actie '{action}'.")))
                }
            }
        }
        query.object_type = blank_to_none(&input.object_type).map(str::to_owned);
        query.object_id = blank_to_none(&input.object_id).map(str::to_owned);
        let from = blank_to_none(&input.from).and_then(|s| checks.take("from", parse_day("from", s)));
        let to = blank_to_none(&input.to).and_then(|s| checks.take("to", parse_day("to", s)));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            checks.push(FieldError::new("to", "before_from", "De einddatum ligt voor de begindatum."));
        }
        query.from = from.map(start_of_local_day);
        query.until = to.and_then(|d| d.succ_opt()).map(start_of_local_day);
        query.before_id = input.before;
        if let Some(limit) = input.limit {
            if !(1..=500).contains(&limit) {
                checks.push(FieldError::new("limit", "out_of_range", "Kies 1 tot en met 500."));
            }
            query.limit = limit;
        }
        checks.finish()?;
        Ok(AuditFilter { query })
    }
}

/// One entry as shown to a beheerder.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_kind: ActorKind,
    pub actor_name: String,
    pub user_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub purpose: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub detail: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            id: r.id,
            at: r.at,
            actor_kind: ActorKind::parse(&r.actor_kind),
            actor_name: r.actor_name,
            user_id: r.user_id,
            token_id: r.token_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            purpose: r.purpose,
            detail: r.detail.and_then(|d| serde_json::from_str(&d).ok()),
            ip: r.ip,
        }
    }
}

/// A page of entries, newest first; `next_before` continues the listing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<i64>,
}

/// Reads the log for `actor`; the read is logged too, with the filter used.
pub async fn read(store: &Store, actor: &Actor, filter: &AuditFilter) -> Result<AuditPage, StoreError> {
    let AuditPage { entries, next_before } = entries_for(store, filter).await?;
    let detail = serde_json::json!({ "filter": filter.query, "entries": entries.len() });
    record_now(
        store,
        actor,
        AuditEvent::new(AuditAction::AuditLogRead, "audit_log", None).purpose(Purpose::AuditOversight).detail(detail),
    )
    .await?;
    Ok(AuditPage { entries, next_before })
}

/// The entries a filter selects, without logging the read: for a caller that logs its own
/// event (an inzage export lists who processed the person's data).
pub(crate) async fn entries_for(store: &Store, filter: &AuditFilter) -> Result<AuditPage, StoreError> {
    let mut conn = store.acquire().await?;
    let rows = store::audit::query(&mut conn, &filter.query).await?;
    let full_page = rows.len() as i64 == filter.query.limit;
    let entries: Vec<AuditEntry> = rows.into_iter().map(AuditEntry::from).collect();
    let next_before = if full_page { entries.last().map(|e| e.id) } else { None };
    Ok(AuditPage { entries, next_before })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_filter_covers_the_whole_dutch_day_across_daylight_saving() {
        let input =
            AuditFilterInput { from: Some("2026-03-29".into()), to: Some("2026-03-29".into()), ..Default::default() };
        let f = AuditFilter::parse(&input).unwrap();
        // The day DST starts: 00:00 CET = 23:00 UTC the day before; it is 23 hours long.
        assert_eq!(f.query.from.unwrap().to_rfc3339(), "2026-03-28T23:00:00+00:00");
        assert_eq!(f.query.until.unwrap().to_rfc3339(), "2026-03-29T22:00:00+00:00");
    }

    #[test]
    fn bad_filters_name_each_field() {
        let input = AuditFilterInput {
            action: Some("hack".into()),
            from: Some("gisteren".into()),
            limit: Some(10_000),
            ..Default::default()
        };
        let errors = AuditFilter::parse(&input).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["action", "from", "limit"]);
    }

    #[test]
    fn like_wildcards_typed_by_a_person_match_literally() {
        let input = AuditFilterInput { actor: Some("an_na%".into()), ..Default::default() };
        let f = AuditFilter::parse(&input).unwrap();
        assert_eq!(f.query.actor_like.as_deref(), Some("%an\\_na\\%%"));
    }
}
