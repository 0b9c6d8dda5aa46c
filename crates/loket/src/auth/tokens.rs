//! API tokens for integrations. Rules: a token is shown once, when it is made, and stored only as
//! its SHA-256; it acts with the roles of the user it belongs to; it stops working when that user
//! is deactivated. `loket_` prefixes every token so secret scanners and people recognise one.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::{self, AuditAction, AuditEvent};
use super::users::{UserError, Username};
use super::{Actor, Caller, Credential, load_caller, random_secret, secret_hash};
use crate::clock;
use crate::store::tokens::TokenRow;
use crate::store::{self, Store, StoreError};
use crate::validation::{self, FieldError};

const PREFIX: &str = "loket_";

/// A token just made. `token` is the only copy of the secret.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub label: String,
    /// The secret; shown once, never again retrievable.
    pub token: String,
    pub created_at: DateTime<Utc>,
}

pub fn parse_label(input: Option<&str>) -> Result<String, FieldError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        Some(label) => validation::text(label, 1, 100).map_err(|e| e.for_field("label")),
        None => Ok("API-token".to_owned()),
    }
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    username: &Username,
    label: String,
) -> Result<IssuedToken, UserError> {
    let token = format!("{PREFIX}{}", random_secret());
    let now = clock::now();
    let mut tx = store.begin().await?;
    let user = store::users::find_by_username(&mut tx, username.as_str()).await?.ok_or(UserError::NotFound)?;
    let row = TokenRow {
        id: Uuid::now_v7(),
        user_id: user.id,
        label,
        prefix: token[..PREFIX.len() + 4].to_owned(),
        created_at: now,
        last_used_at: None,
    };
    store::tokens::insert(&mut tx, &row, &secret_hash(&token)).await?;
    let detail = serde_json::json!({ "user": user.username, "label": row.label });
    audit::record(
        &mut tx,
        actor,
        AuditEvent::new(AuditAction::TokenCreated, "api_token", row.id.to_string()).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedToken { id: row.id, user_id: user.id, label: row.label, token, created_at: now })
}

/// The caller behind a token, if it is live. Marks it used at most once a minute.
pub async fn resolve(store: &Store, token: &str, ip: Option<String>) -> Result<Option<Caller>, StoreError> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let mut conn = store.acquire().await?;
    let Some(row) = store::tokens::find_live(&mut conn, &secret_hash(token)).await? else {
        return Ok(None);
    };
    let now = clock::now();
    if row.last_used_at.is_none_or(|t| now - t > Duration::minutes(1)) {
        store::tokens::touch(&mut conn, row.id, now).await?;
    }
    load_caller(&mut conn, row.user_id, Credential::Token { token_id: row.id }, ip).await
}
