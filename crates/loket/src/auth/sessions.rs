//! Logging in and out. Rules: a session lasts at most `session_max` and ends after `session_idle`
//! without use; after `max_failures` failed logins for a user name within `failure_window` (or
//! four times as many from one address) further attempts are refused until the window has passed,
//! without checking the password; an unknown user name costs as much time as a wrong password.

use chrono::{DateTime, Duration, Utc};

use super::audit::{self, AuditAction, AuditEvent};
use super::password;
use super::{Actor, Caller, Credential, load_caller, random_secret, secret_hash};
use crate::clock;
use crate::store::sessions::NewSessionRow;
use crate::store::{self, Store, StoreError};

/// Session and throttle settings (from the configuration).
#[derive(Debug, Clone)]
pub struct AuthPolicy {
    pub session_idle: Duration,
    pub session_max: Duration,
    pub max_failures: u32,
    pub failure_window: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            session_idle: Duration::hours(8),
            session_max: Duration::hours(12),
            max_failures: 5,
            failure_window: Duration::minutes(15),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("unknown user name or wrong password")]
    InvalidCredentials,
    #[error("too many failed logins; try again in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct LoginAttempt<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// A new session: `secret` goes into the cookie and is not stored anywhere.
pub struct NewSession {
    pub secret: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

/// The first `max` bytes of `s`, cut at a character boundary.
fn truncated(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Seconds until the oldest failure that counts leaves the window, if the limit is reached.
fn throttle_wait(failures: &[DateTime<Utc>], limit: u32, window: Duration, now: DateTime<Utc>) -> Option<u64> {
    if failures.len() < limit as usize {
        return None;
    }
    // Once `limit` failures sit in the window, the one that makes room is the oldest of the last `limit`.
    let pivot = failures[failures.len() - limit as usize];
    let wait = (pivot + window - now).num_seconds().max(1);
    Some(wait as u64)
}

pub async fn login(store: &Store, policy: &AuthPolicy, attempt: LoginAttempt<'_>) -> Result<NewSession, LoginError> {
    let username = attempt.username.trim().to_lowercase();
    let now = clock::now();
    let since = now - policy.failure_window;
    let mut conn = store.acquire().await?;
    let (by_name, by_ip) = store::login_failures::recent(&mut conn, &username, attempt.ip, since).await?;
    let wait = throttle_wait(&by_name, policy.max_failures, policy.failure_window, now).max(throttle_wait(
        &by_ip,
        policy.max_failures * 4,
        policy.failure_window,
        now,
    ));
    if let Some(retry_after_secs) = wait {
        drop(conn);
        let actor = Actor::anonymous(&username, attempt.ip);
        audit::record_now(store, &actor, AuditEvent::new(AuditAction::LoginThrottled, "session", None)).await?;
        return Err(LoginError::Throttled { retry_after_secs });
    }
    let credentials = store::users::credentials(&mut conn, &username).await?;
    drop(conn);

    let stored_hash = credentials
        .as_ref()
        .filter(|c| c.active)
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_owned());
    let candidate = attempt.password.to_owned();
    let verified = tokio::task::spawn_blocking(move || password::verify(&stored_hash, &candidate))
        .await
        .expect("password verification does not panic");
    let user = credentials.filter(|c| verified && c.active && c.password_hash.is_some());

    let mut tx = store.begin().await?;
    let Some(user) = user else {
        store::login_failures::insert(&mut tx, &username, attempt.ip, now).await?;
        let actor = Actor::anonymous(&username, attempt.ip);
        audit::record(&mut tx, &actor, AuditEvent::new(AuditAction::LoginFailed, "session", None)).await?;
        tx.commit().await?;
        return Err(LoginError::InvalidCredentials);
    };
    let secret = random_secret();
    let csrf_token = random_secret();
    let expires_at = now + policy.session_max;
    let id_hash = secret_hash(&secret);
    store::sessions::insert(
        &mut tx,
        &NewSessionRow {
            id_hash: &id_hash,
            user_id: user.id,
            csrf_token: &csrf_token,
            at: now,
            expires_at,
            ip: attempt.ip,
            user_agent: attempt.user_agent.map(|ua| truncated(ua, 300)),
        },
    )
    .await?;
    store::login_failures::clear_for(&mut tx, &username).await?;
    let actor = Actor {
        kind: audit::ActorKind::User,
        user_id: Some(user.id),
        token_id: None,
        name: username.clone(),
        ip: attempt.ip.map(str::to_owned),
    };
    audit::record(&mut tx, &actor, AuditEvent::new(AuditAction::Login, "session", None)).await?;
    tx.commit().await?;
    Ok(NewSession { secret, csrf_token, expires_at })
}

/// The caller behind a session cookie, if the session is alive. Refreshes `last_seen_at` at most
/// once a minute, so that browsing does not turn every page view into a database write.
pub async fn resolve(
    store: &Store,
    policy: &AuthPolicy,
    secret: &str,
    ip: Option<String>,
) -> Result<Option<Caller>, StoreError> {
    let id_hash = secret_hash(secret);
    let now = clock::now();
    let mut conn = store.acquire().await?;
    let Some(session) = store::sessions::find_live(&mut conn, &id_hash, now, now - policy.session_idle).await? else {
        return Ok(None);
    };
    if now - session.last_seen_at > Duration::minutes(1) {
        store::sessions::touch(&mut conn, &id_hash, now).await?;
    }
    load_caller(&mut conn, session.user_id, Credential::Session { csrf_token: session.csrf_token }, ip).await
}

pub async fn logout(store: &Store, caller: &Caller, secret: &str) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    store::sessions::delete(&mut tx, &secret_hash(secret)).await?;
    audit::record(&mut tx, &caller.actor(), AuditEvent::new(AuditAction::Logout, "session", None)).await?;
    tx.commit().await
}

/// Deletes ended sessions and login failures that no longer count. Returns sessions removed.
pub async fn purge_expired(store: &Store, policy: &AuthPolicy) -> Result<u64, StoreError> {
    let now = clock::now();
    let mut tx = store.begin().await?;
    let removed = store::sessions::delete_expired(&mut tx, now, now - policy.session_idle).await?;
    store::login_failures::delete_older_than(&mut tx, now - policy.failure_window).await?;
    tx.commit().await?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_throttle_waits_until_the_oldest_counted_failure_leaves_the_window() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let window = Duration::minutes(15);
        let failures: Vec<_> = (0..5).map(|i| now - Duration::minutes(10) + Duration::minutes(i)).collect();
        assert_eq!(throttle_wait(&failures[..4], 5, window, now), None);
        assert_eq!(throttle_wait(&failures, 5, window, now), Some(5 * 60));
    }
}
