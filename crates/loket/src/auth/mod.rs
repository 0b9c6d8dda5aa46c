//! Who is calling and what they may do: users, roles and permissions, sessions, API tokens, and
//! the audit log (verwerkingslog).
//!
//! Rules:
//! - Passwords are stored only as argon2id hashes; session cookies and API tokens only as SHA-256
//!   of a 256-bit random secret (high-entropy secrets need no slow hash, and lookups stay O(1)).
//! - A caller with an account (an employee, or an integration's koppeling) is reached through a
//!   session or a token; their permissions are the union of their roles' permissions ([`roles`]).
//!   Citizens and the chat bot are principals without an account ([`principal`]). What every
//!   principal may do is decided in [`policy`]. Deactivated users lose every session and token at once.
//! - Logins are throttled per user name and per address, in the database, so that several
//!   processes throttle together. A throttled attempt does not even check the password.
//! - Every change to accounts, every login, and every read of personal data is written to the
//!   audit log in the same transaction as the change, or before the data is handed out.

pub mod audit;
pub mod password;
pub mod policy;
pub mod principal;
pub mod roles;
pub mod secrets;
pub mod sessions;
pub mod tokens;
pub mod users;

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use audit::Actor;
pub use policy::Ability;
pub use principal::Principal;
pub use roles::{Permission, Role};

use crate::store::{self, Executor, StoreResult};

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Credential {
    /// A browser session; state-changing requests must carry this CSRF token.
    Session { csrf_token: String },
    /// An API token (`Authorization: Bearer …` or `Token …`); no CSRF applies, no cookie is involved.
    Token { token_id: Uuid },
    /// A command at the server (`loket demo`) acting with a user's name and rights; the audit
    /// log names the command, not the user, as who acted.
    Command { name: &'static str },
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub unit_id: Option<Uuid>,
    pub roles: BTreeSet<Role>,
    /// A person's account, or a system's (koppeling).
    pub account: users::AccountKind,
    /// For a koppeling: the user name of the beheerder who made it (the audit log names both).
    pub created_by: Option<String>,
    pub credential: Credential,
    pub ip: Option<String>,
    /// Unread werkberichten, filled in by the HTTP layer for pages (the counter in the menu).
    pub unread_notices: Option<i64>,
}

impl Caller {
    /// Whether the caller's roles grant a route's permission (decided in `policy`).
    pub fn can(&self, permission: Permission) -> bool {
        self.may(Ability::Permission(permission))
    }

    /// Whether the caller may do `ability` (decided in `policy`, like every principal's).
    pub fn may(&self, ability: Ability) -> bool {
        policy::roles_may(&self.roles, ability)
    }

    pub fn permissions(&self) -> BTreeSet<Permission> {
        roles::permissions_of(&self.roles)
    }

    /// The caller as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::for_caller(self)
    }

    pub fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token } => Some(csrf_token),
            Credential::Token { .. } | Credential::Command { .. } => None,
        }
    }
}

/// `username` as a caller for a command run at the server (`loket demo`); `None` when the user
/// is unknown or inactive.
pub async fn command_caller(
    store: &crate::store::Store,
    command: &'static str,
    user_id: Uuid,
) -> StoreResult<Option<Caller>> {
    let mut conn = store.acquire().await?;
    load_caller(&mut conn, user_id, Credential::Command { name: command }, None).await
}

/// Loads the user behind a session or token. `None` when the user is gone or inactive.
async fn load_caller(
    ex: &mut impl Executor,
    user_id: Uuid,
    credential: Credential,
    ip: Option<String>,
) -> StoreResult<Option<Caller>> {
    // One query for the user and their roles: this runs on every request.
    let rows = store::users::active_with_roles(ex, user_id).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let roles = rows.iter().filter_map(|r| r.role.as_deref()).filter_map(|r| Role::parse(r).ok()).collect();
    Ok(Some(Caller {
        user_id,
        username: first.username.clone(),
        display_name: first.display_name.clone(),
        unit_id: first.unit_id,
        roles,
        account: users::AccountKind::from_id(&first.kind),
        created_by: first.created_by.clone(),
        credential,
        ip,
        unread_notices: None,
    }))
}

/// 256 random bits, URL-safe: the secret behind a session cookie, a CSRF token or an API token.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn secret_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Compares two secrets in constant time.
pub fn secrets_match(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
