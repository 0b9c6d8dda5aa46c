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
/// Rounded up, so a client that waits exactly this long is not refused again.
fn throttle_wait(failures: &[DateTime<Utc>], limit: u32, window: Duration, now: DateTime<Utc>) -> Option<u64> {
    let limit = limit as usize;
    if limit == 0 || failures.len() < limit {
        return None;
    }
    // Once `limit` failures sit in the window, the one that makes room is the oldest of the last `limit`.
    let pivot = failures[failures.len() - limit];
    let millis = (pivot + window - now).num_milliseconds().max(1);
    Some((millis as u64).div_ceil(1000))
}

/// Checks `candidate` against the password of `username`, under the throttle.
///
/// The attempt is written down as a failure *before* the password is checked, so attempts made
/// in parallel see each other: of any number of simultaneous guesses at most the limit get
/// checked. A refused attempt is taken out again (waiting it out must end the lock); a failed
/// one stays; a successful one clears the user name's failures.
///
/// `Ok(Some(id))`: the password is right for an active account. `Ok(None)`: it is not (or there
/// is no such account). `Err(Throttled)`: too many failures; the password was not checked.
pub(super) async fn checked_password(
    store: &Store,
    policy: &AuthPolicy,
    username: &str,
    candidate: &str,
    ip: Option<&str>,
) -> Result<Option<uuid::Uuid>, LoginError> {
    let now = clock::now();
    let mut tx = store.begin().await?;
    let attempt_id = store::login_failures::insert(&mut tx, username, ip, now).await?;
    tx.commit().await?;

    let mut conn = store.acquire().await?;
    let (by_name, by_ip) = store::login_failures::recent(&mut conn, username, ip, now - policy.failure_window).await?;
    // Both lists include this attempt, hence the limit + 1.
    let wait = throttle_wait(&by_name, policy.max_failures.saturating_add(1), policy.failure_window, now).max(
        throttle_wait(&by_ip, policy.max_failures.saturating_mul(4).saturating_add(1), policy.failure_window, now),
    );
    if let Some(retry_after_secs) = wait {
        store::login_failures::delete(&mut conn, attempt_id).await?;
        return Err(LoginError::Throttled { retry_after_secs });
    }
    let credentials = store::users::credentials(&mut conn, username).await?;
    drop(conn);

    let stored_hash = credentials
        .as_ref()
        .filter(|c| c.active)
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(|| password::decoy_hash().to_owned());
    let candidate = candidate.to_owned();
    let verified = tokio::task::spawn_blocking(move || password::verify(&stored_hash, &candidate))
        .await
        .expect("password verification does not panic");
    match credentials.filter(|c| verified && c.active && c.password_hash.is_some()) {
        Some(user) => {
            let mut tx = store.begin().await?;
            store::login_failures::clear_for(&mut tx, username).await?;
            tx.commit().await?;
            Ok(Some(user.id))
        }
        None => Ok(None),
    }
}

pub async fn login(store: &Store, policy: &AuthPolicy, attempt: LoginAttempt<'_>) -> Result<NewSession, LoginError> {
    let username = attempt.username.trim().to_lowercase();
    let anonymous = Actor::anonymous(&username, attempt.ip);
    let user_id = match checked_password(store, policy, &username, attempt.password, attempt.ip).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            audit::record_now(store, &anonymous, AuditEvent::new(AuditAction::LoginFailed, "session", None)).await?;
            return Err(LoginError::InvalidCredentials);
        }
        Err(e @ LoginError::Throttled { .. }) => {
            audit::record_now(store, &anonymous, AuditEvent::new(AuditAction::LoginThrottled, "session", None)).await?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let now = clock::now();
    let mut tx = store.begin().await?;
    let secret = random_secret();
    let csrf_token = random_secret();
    let expires_at = now + policy.session_max;
    let id_hash = secret_hash(&secret);
    store::sessions::insert(
        &mut tx,
        &NewSessionRow {
            id_hash: &id_hash,
            user_id,
            csrf_token: &csrf_token,
            at: now,
            expires_at,
            ip: attempt.ip,
            user_agent: attempt.user_agent.map(|ua| truncated(ua, 300)),
        },
    )
    .await?;
    let actor = Actor {
        kind: audit::ActorKind::User,
        user_id: Some(user_id),
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
        // A wait of 299.5 s is reported as 300 s, never as 299.
        let half = vec![now - Duration::minutes(10) - Duration::milliseconds(500)];
        assert_eq!(throttle_wait(&half, 1, window, now), Some(300));
    }
}
