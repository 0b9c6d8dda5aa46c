//! API tokens. Rules: a token is shown once, when it is made, and stored only as its SHA-256;
//! it acts with the roles of the user it belongs to, and the audit log names that user; a
//! revoked token never works again, and deactivating a user revokes all of theirs (reactivation
//! does not revive them). `loket_` prefixes every token so secret scanners and people recognise one.
//! - Through the API and the screens a token is made only for oneself or for a koppeling (an
//!   account for a system): nobody makes a token to act, and be logged, as another person.
//!   `loket token create` is the operator's, at the server, for any account.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::{self, AuditAction, AuditEvent};
use super::users::{AccountKind, UserError, Username};
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

/// A token for any account, made by the operator at the server (`loket token create`, the demo).
pub async fn create(
    store: &Store,
    actor: &Actor,
    username: &Username,
    label: String,
) -> Result<IssuedToken, UserError> {
    let user = store::users::find_by_username(&mut store.acquire().await?, username.as_str()).await?;
    make(store, actor, user.ok_or(UserError::NotFound)?.id, label, None).await
}

/// A token made through the API or the screens: for the caller themself, or for a koppeling.
pub async fn issue(store: &Store, caller: &Caller, user_id: Uuid, label: String) -> Result<IssuedToken, UserError> {
    make(store, &caller.actor(), user_id, label, Some(caller.user_id)).await
}

/// [`issue`] for a user known by name (the API).
pub async fn issue_for(
    store: &Store,
    caller: &Caller,
    username: &Username,
    label: String,
) -> Result<IssuedToken, UserError> {
    let user = store::users::find_by_username(&mut store.acquire().await?, username.as_str()).await?;
    issue(store, caller, user.ok_or(UserError::NotFound)?.id, label).await
}

/// Makes the token; with `only_for`, the account must be that user's own or a koppeling.
async fn make(
    store: &Store,
    actor: &Actor,
    user_id: Uuid,
    label: String,
    only_for: Option<Uuid>,
) -> Result<IssuedToken, UserError> {
    let token = format!("{PREFIX}{}", random_secret());
    let now = clock::now();
    let mut tx = store.begin().await?;
    let user = store::users::find_by_id(&mut tx, user_id).await?.ok_or(UserError::NotFound)?;
    if only_for.is_some_and(|me| me != user.id) && AccountKind::from_id(&user.kind) != AccountKind::Koppeling {
        return Err(UserError::TokenForAnotherPerson);
    }
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

/// A token as listed to a beheerder: never the secret, only its first characters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: Uuid,
    pub user_id: Uuid,
    pub label: String,
    /// The first characters, to recognise the token by.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn list_for_user(store: &Store, user_id: Uuid) -> Result<Vec<TokenInfo>, UserError> {
    let mut conn = store.acquire().await?;
    store::users::find_by_id(&mut conn, user_id).await?.ok_or(UserError::NotFound)?;
    let rows = store::tokens::list_for_user(&mut conn, user_id).await?;
    Ok(rows
        .into_iter()
        .map(|(t, revoked_at)| TokenInfo {
            id: t.id,
            user_id: t.user_id,
            label: t.label,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at,
        })
        .collect())
}

/// Revokes a token for good; returns the user it belonged to.
pub async fn revoke(store: &Store, actor: &Actor, token_id: Uuid) -> Result<Uuid, UserError> {
    let mut tx = store.begin().await?;
    let token = store::tokens::find(&mut tx, token_id).await?.ok_or(UserError::TokenNotFound)?;
    store::tokens::revoke(&mut tx, token_id, clock::now()).await?;
    let detail = serde_json::json!({ "label": token.label, "user_id": token.user_id });
    audit::record(
        &mut tx,
        actor,
        AuditEvent::new(AuditAction::TokenRevoked, "api_token", token_id.to_string()).detail(detail),
    )
    .await?;
    tx.commit().await?;
    forget_cached();
    Ok(token.user_id)
}

/// How long a resolved token is believed without asking the database. An integration sends
/// hundreds of requests a second with one token, and resolving it was two queries each time
/// (a tenth of the cost of a search). Revoking a token or changing a user in this process
/// forgets every cached token at once; a change made through another process sharing the
/// database takes effect here within this time.
pub const CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(1);
const CACHE_MAX: usize = 10_000;

/// Live tokens by the hash of their secret, with when they were looked up. Only hits are kept,
/// so a guessed token always costs a query (and cannot fill the cache).
static CACHE: LazyLock<Mutex<TokenCache>> = LazyLock::new(Default::default);

/// Secret hash → (when it was looked up, who it is).
type TokenCache = HashMap<Vec<u8>, (Instant, Caller)>;

/// Counts [`forget_cached`] calls: a lookup that started before one must not be cached after it
/// (it may have read the token or the roles before the change committed).
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Forgets every cached token: called after anything that can end or narrow a token's rights.
pub fn forget_cached() {
    if let Ok(mut cache) = CACHE.lock() {
        GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        cache.clear();
    }
}

fn cached(hash: &[u8], ip: &Option<String>) -> Option<Caller> {
    let cache = CACHE.lock().ok()?;
    let (at, caller) = cache.get(hash)?;
    (at.elapsed() < CACHE_TTL).then(|| Caller { ip: ip.clone(), ..caller.clone() })
}

fn remember(hash: Vec<u8>, caller: &Caller, generation: u64) {
    if let Ok(mut cache) = CACHE.lock() {
        if GENERATION.load(std::sync::atomic::Ordering::SeqCst) != generation {
            return;
        }
        if cache.len() >= CACHE_MAX {
            cache.retain(|_, (at, _)| at.elapsed() < CACHE_TTL);
            if cache.len() >= CACHE_MAX {
                cache.clear();
            }
        }
        cache.insert(hash, (Instant::now(), caller.clone()));
    }
}

/// The caller behind a token, if it is live. Marks it used at most once a minute.
pub async fn resolve(store: &Store, token: &str, ip: Option<String>) -> Result<Option<Caller>, StoreError> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let hash = secret_hash(token);
    let generation = GENERATION.load(std::sync::atomic::Ordering::SeqCst);
    if let Some(caller) = cached(&hash, &ip) {
        return Ok(Some(caller));
    }
    let mut conn = store.acquire().await?;
    let Some(row) = store::tokens::find_live(&mut conn, &hash).await? else {
        return Ok(None);
    };
    let now = clock::now();
    if row.last_used_at.is_none_or(|t| now - t > Duration::minutes(1)) {
        store::tokens::touch(&mut conn, row.id, now).await?;
    }
    let caller = load_caller(&mut conn, row.user_id, Credential::Token { token_id: row.id }, ip).await?;
    if let Some(c) = &caller {
        remember(hash, c, generation);
    }
    Ok(caller)
}
