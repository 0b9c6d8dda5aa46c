//! The organisation: afdelingen (departments) and the teams inside them, and who works where.
//!
//! Rules: unit names are unique; a team belongs to an afdeling; an afdeling may sit inside another
//! afdeling; units are not deleted (callbacks, articles and reports keep pointing at them).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::clock;
use crate::contacts::digital_address::{EmailAddress, PhoneNumber};
use crate::store::units::UnitRow;
use crate::store::{self, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum UnitError {
    #[error("invalid unit data")]
    Invalid(Vec<FieldError>),
    #[error("a unit named {0} exists already")]
    NameTaken(String),
    #[error("no such unit")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    Afdeling,
    Team,
}

impl UnitKind {
    pub fn id(self) -> &'static str {
        match self {
            UnitKind::Afdeling => "afdeling",
            UnitKind::Team => "team",
        }
    }

    fn parse(s: &str) -> Result<UnitKind, FieldError> {
        match s {
            "afdeling" => Ok(UnitKind::Afdeling),
            "team" => Ok(UnitKind::Team),
            _ => Err(FieldError::new("kind", "unknown_kind", "Kies 'afdeling' of 'team'.")),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub id: Uuid,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub description: String,
    /// Active employees in this unit.
    pub members: i64,
    pub created_at: DateTime<Utc>,
}

impl Unit {
    /// The phone number as shown on screen (`0345 123 400`).
    pub fn phone_display(&self) -> Option<String> {
        self.phone.as_deref().map(crate::contacts::digital_address::format_phone)
    }

    fn from_row(row: UnitRow, members: i64) -> Result<Unit, StoreError> {
        let kind = UnitKind::parse(&row.kind)
            .map_err(|_| StoreError::Database(sqlx::Error::Decode(format!("unknown unit kind {}", row.kind).into())))?;
        Ok(Unit {
            id: row.id,
            name: row.name,
            kind,
            parent_id: row.parent_id,
            email: row.email,
            phone: row.phone,
            description: row.description,
            members,
            created_at: row.created_at,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnitInput {
    pub name: String,
    /// `afdeling` or `team`.
    pub kind: String,
    /// Required for a team: the afdeling it belongs to.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

fn optional<T>(
    checks: &mut Checks,
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Option<T> {
    value.map(str::trim).filter(|s| !s.is_empty()).and_then(|v| checks.take(field, parse(v)))
}

pub async fn create(store: &Store, actor: &Actor, input: &NewUnitInput) -> Result<Unit, UnitError> {
    let mut checks = Checks::default();
    let name = checks.take("name", validation::text(&input.name, 2, 120));
    let kind = checks.take("kind", UnitKind::parse(input.kind.trim()));
    let email = optional(&mut checks, "email", input.email.as_deref(), EmailAddress::parse);
    let phone = optional(&mut checks, "phone", input.phone.as_deref(), PhoneNumber::parse);
    let description = checks.take("description", validation::text(input.description.as_deref().unwrap_or(""), 0, 2000));
    if kind == Some(UnitKind::Team) && input.parent_id.is_none() {
        checks.push(FieldError::new("parent_id", "required", "Een team hoort bij een afdeling."));
    }
    checks.finish().map_err(UnitError::Invalid)?;
    let (Some(name), Some(kind), Some(description)) = (name, kind, description) else {
        return Err(UnitError::Invalid(vec![]));
    };

    let mut tx = store.begin().await?;
    if let Some(parent_id) = input.parent_id {
        let parent = store::units::find(&mut tx, parent_id).await?;
        if parent.is_none_or(|p| p.kind != UnitKind::Afdeling.id()) {
            return Err(UnitError::Invalid(vec![FieldError::new(
                "parent_id",
                "unknown_afdeling",
                "Er is geen afdeling met dit id.",
            )]));
        }
    }
    let row = UnitRow {
        id: Uuid::now_v7(),
        name,
        kind: kind.id().to_owned(),
        parent_id: input.parent_id,
        email: email.map(String::from),
        phone: phone.map(String::from),
        description,
        created_at: clock::now(),
    };
    store::units::insert(&mut tx, &row).await.map_err(|e| match e {
        StoreError::Conflict(_) => UnitError::NameTaken(row.name.clone()),
        other => other.into(),
    })?;
    let detail = serde_json::json!({ "name": row.name, "kind": row.kind });
    audit::record(&mut tx, actor, AuditEvent::new(AuditAction::UnitCreated, "unit", row.id.to_string()).detail(detail))
        .await?;
    tx.commit().await?;
    Ok(Unit::from_row(row, 0)?)
}

/// All units with their member counts, afdelingen and teams alike, by name.
pub async fn list(store: &Store) -> Result<Vec<Unit>, UnitError> {
    let mut conn = store.acquire().await?;
    let rows = store::units::list(&mut conn).await?;
    let counts: HashMap<Uuid, i64> = store::units::member_counts(&mut conn).await?.into_iter().collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = counts.get(&r.id).copied().unwrap_or(0);
            Unit::from_row(r, n)
        })
        .collect::<Result<_, _>>()?)
}

/// The id of the unit with this exact name (the CLI's `--unit`, the demo loader).
pub async fn find_id_by_name(store: &Store, name: &str) -> Result<Option<Uuid>, UnitError> {
    Ok(store::units::find_by_name(&mut store.acquire().await?, name).await?.map(|row| row.id))
}

/// A colleague as the internal directory shows them (no e-mail, no account details).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Colleague {
    pub id: Uuid,
    pub display_name: String,
    pub roles: Vec<crate::auth::Role>,
}

/// A unit with its active members, for the team view on the start page.
pub async fn members(store: &Store, unit_id: Uuid) -> Result<(Unit, Vec<Colleague>), UnitError> {
    let mut conn = store.acquire().await?;
    let row = store::units::find(&mut conn, unit_id).await?.ok_or(UnitError::NotFound)?;
    let users = store::users::active_members_of(&mut conn, unit_id).await?;
    let mut roles: HashMap<Uuid, Vec<crate::auth::Role>> = HashMap::new();
    for (user_id, role) in store::users::roles_in_unit(&mut conn, unit_id).await? {
        if let Ok(role) = crate::auth::Role::parse(&role) {
            roles.entry(user_id).or_default().push(role);
        }
    }
    let colleagues: Vec<Colleague> = users
        .into_iter()
        .map(|u| Colleague { id: u.id, roles: roles.remove(&u.id).unwrap_or_default(), display_name: u.display_name })
        .collect();
    let count = colleagues.len() as i64;
    Ok((Unit::from_row(row, count)?, colleagues))
}

/// (id, name) of the colleagues who work the queue (agents, tweede lijn, team leads), by name:
/// whom a callback, a task or a hand-over can be addressed to.
pub async fn addressees(store: &Store) -> Result<Vec<(Uuid, String)>, UnitError> {
    use crate::auth::Role;
    let mut all = Vec::new();
    for role in [Role::Klantcontactmedewerker, Role::Tweedelijn, Role::Teamleider] {
        all.extend(colleagues_with_role(store, role).await?);
    }
    all.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    all.dedup_by_key(|c| c.0);
    Ok(all)
}

/// (id, name) of the colleagues holding `role`, for choosing an owner or addressee.
pub async fn colleagues_with_role(store: &Store, role: crate::auth::Role) -> Result<Vec<(Uuid, String)>, UnitError> {
    Ok(store::users::with_role(&mut store.acquire().await?, role.id()).await?)
}
