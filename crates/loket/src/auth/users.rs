//! User accounts. Rules: user names are lower-case and unique; every user has at least one role;
//! users are deactivated, never deleted; the last active beheerder cannot lose that role or be
//! deactivated (nobody could manage users any more); a password change or deactivation ends the
//! user's sessions.
//! - An account is a person's (medewerker) or a system's (koppeling). A koppeling is made by a
//!   beheerder, has no password and acts only through its API tokens; the audit log names it
//!   with who made it.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::{self, AuditAction, AuditEvent, Purpose};
use super::password::{self, Password};
use super::{Actor, Role};
use crate::clock;
use crate::contacts::digital_address::{EmailAddress, PhoneNumber};
use crate::store::users::{NewUserRow, UserRow};
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("invalid user data")]
    Invalid(Vec<FieldError>),
    #[error("user name {0} is taken")]
    UsernameTaken(String),
    #[error("no such user")]
    NotFound,
    #[error("no such unit")]
    UnitNotFound,
    #[error("no such API token")]
    TokenNotFound,
    #[error("the last active beheerder must stay beheerder and active")]
    LastBeheerder,
    #[error("a token acts only for its own user or for a koppeling")]
    TokenForAnotherPerson,
    #[error("a koppeling has no password")]
    NoPasswordForIntegration,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("too many wrong passwords; try again in {retry_after_secs} s")]
    Throttled { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A login name: 2–64 characters of `a-z 0-9 . _ -`, starting with a letter, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let name = input.trim().to_lowercase();
        let len = name.chars().count();
        if !(2..=64).contains(&len) {
            return Err(FieldError::new("username", "invalid_length", "Een gebruikersnaam heeft 2 tot 64 tekens."));
        }
        let starts_with_letter = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        let allowed =
            name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !starts_with_letter || !allowed {
            return Err(FieldError::new(
                "username",
                "invalid_characters",
                "Gebruik kleine letters, cijfers, punt, liggend streepje of koppelteken, en begin met een letter.",
            ));
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whose account it is: a person's, or a system's that acts through API tokens only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccountKind {
    /// A colleague who logs in (medewerker).
    #[default]
    Medewerker,
    /// A system integration (koppeling): no password, API tokens only, made by a beheerder.
    Koppeling,
}

impl AccountKind {
    pub fn id(self) -> &'static str {
        match self {
            AccountKind::Medewerker => "medewerker",
            AccountKind::Koppeling => "koppeling",
        }
    }

    /// The stored id; the column's CHECK allows no other.
    pub fn from_id(id: &str) -> AccountKind {
        if id == "koppeling" { AccountKind::Koppeling } else { AccountKind::Medewerker }
    }
}

/// A user as the API and the screens show it. Never carries the password hash.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub unit_id: Option<Uuid>,
    /// Work phone number in E.164 (+31…), shown in the directory.
    pub phone: Option<String>,
    /// What colleagues can ask this person about, shown and searchable in the directory.
    pub topics: String,
    pub active: bool,
    pub roles: Vec<Role>,
    /// A person's account or a system's (koppeling).
    pub kind: AccountKind,
    /// Who made the account (set for every koppeling).
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    fn from_row(row: UserRow, roles: Vec<Role>) -> User {
        User {
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            email: row.email,
            unit_id: row.unit_id,
            phone: row.phone,
            topics: row.topics,
            active: row.active,
            roles,
            kind: AccountKind::from_id(&row.kind),
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

fn parse_roles(raw: &[String]) -> Result<BTreeSet<Role>, FieldError> {
    let roles = raw.iter().map(|r| Role::parse(r)).collect::<Result<BTreeSet<_>, _>>()?;
    if roles.is_empty() {
        return Err(FieldError::new("roles", "required", "Kies minstens één rol."));
    }
    Ok(roles)
}

fn role_ids(roles: &BTreeSet<Role>) -> Vec<&'static str> {
    roles.iter().map(|r| r.id()).collect()
}

/// A new account as sent to the API or typed in the beheer screen.
#[derive(Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserInput {
    pub username: String,
    /// Defaults to the user name.
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// Work phone number (Dutch or international), stored as E.164.
    #[serde(default)]
    pub phone: Option<String>,
    /// Topics for the directory, comma-separated (at most 500 characters).
    #[serde(default)]
    pub topics: Option<String>,
    /// Role ids, e.g. `["klantcontactmedewerker"]`.
    pub roles: Vec<String>,
    /// At least 10 characters. A koppeling has none (it uses API tokens only).
    #[serde(default)]
    pub password: Option<String>,
    /// `medewerker` (default) or `koppeling`: an account for a system, without a password.
    #[serde(default)]
    pub kind: Option<AccountKind>,
}

/// Written by hand so that a password can never end up in a log line through `{:?}`.
impl fmt::Debug for NewUserInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUserInput")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("email", &self.email)
            .field("unit_id", &self.unit_id)
            .field("phone", &self.phone)
            .field("topics", &self.topics)
            .field("roles", &self.roles)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("kind", &self.kind)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    pub display_name: String,
    pub email: Option<EmailAddress>,
    pub unit_id: Option<Uuid>,
    pub phone: Option<PhoneNumber>,
    pub topics: String,
    pub roles: BTreeSet<Role>,
    pub password: Option<Password>,
    pub kind: AccountKind,
}

impl NewUser {
    pub fn parse(input: &NewUserInput) -> Result<NewUser, Vec<FieldError>> {
        let mut checks = Checks::default();
        let username = checks.take("username", Username::parse(&input.username));
        let display_name = match input.display_name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => checks.take("display_name", validation::text(name, 1, 120)),
            None => username.as_ref().map(|u| u.0.clone()),
        };
        let email = match input.email.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(e) => checks.take("email", EmailAddress::parse(e).map(Some)),
            None => Some(None),
        };
        let phone = match input.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => checks.take("phone", PhoneNumber::parse(p).map(Some)),
            None => Some(None),
        };
        let topics = checks.take("topics", validation::text(input.topics.as_deref().unwrap_or(""), 0, 500));
        let roles = checks.take("roles", parse_roles(&input.roles));
        let kind = input.kind.unwrap_or_default();
        let password = match input.password.as_deref().filter(|s| !s.is_empty()) {
            Some(_) if kind == AccountKind::Koppeling => {
                checks.push(no_password_for_integration());
                None
            }
            Some(p) => checks.take("password", Password::parse(p).map(Some)),
            None => Some(None),
        };
        checks.finish()?;
        match (username, display_name, email, phone, topics, roles, password) {
            (
                Some(username),
                Some(display_name),
                Some(email),
                Some(phone),
                Some(topics),
                Some(roles),
                Some(password),
            ) => Ok(NewUser {
                username,
                display_name,
                email,
                unit_id: input.unit_id,
                phone,
                topics,
                roles,
                password,
                kind,
            }),
            // Every `None` above pushed an error, so finish() returned already.
            _ => Err(vec![FieldError::new("", "invalid", "Ongeldige invoer.")]),
        }
    }
}

pub fn no_password_for_integration() -> FieldError {
    FieldError::new(
        "password",
        "no_password_for_integration",
        "Een koppeling logt niet in met een wachtwoord; zij gebruikt alleen API-tokens.",
    )
}

async fn hash_off_thread(password: Password) -> String {
    tokio::task::spawn_blocking(move || password::hash(&password)).await.expect("password hashing does not panic")
}

async fn ensure_unit_exists(ex: &mut impl Executor, unit_id: Option<Uuid>) -> Result<(), UserError> {
    if let Some(id) = unit_id {
        store::units::find(ex, id).await?.ok_or(UserError::UnitNotFound)?;
    }
    Ok(())
}

/// Creates an account.
pub async fn create(store: &Store, actor: &Actor, new: NewUser) -> Result<User, UserError> {
    let hash = match new.password.clone() {
        Some(p) => Some(hash_off_thread(p).await),
        None => None,
    };
    let now = clock::now();
    let id = Uuid::now_v7();
    let mut tx = store.begin().await?;
    ensure_unit_exists(&mut tx, new.unit_id).await?;
    let row = NewUserRow {
        id,
        username: new.username.as_str(),
        display_name: &new.display_name,
        email: new.email.as_ref().map(EmailAddress::as_str),
        unit_id: new.unit_id,
        password_hash: hash.as_deref(),
        at: now,
        phone: new.phone.as_ref().map(PhoneNumber::as_str),
        topics: &new.topics,
        kind: new.kind.id(),
        created_by: actor.user_id,
    };
    store::users::insert(&mut tx, &row).await.map_err(|e| match e {
        StoreError::Conflict(_) => UserError::UsernameTaken(new.username.to_string()),
        other => other.into(),
    })?;
    store::users::set_roles(&mut tx, id, &role_ids(&new.roles)).await?;
    let detail = serde_json::json!({
        "username": new.username.as_str(), "roles": role_ids(&new.roles), "kind": new.kind.id()
    });
    audit::record(&mut tx, actor, AuditEvent::new(AuditAction::UserCreated, "user", id.to_string()).detail(detail))
        .await?;
    let user = store::users::find_by_id(&mut tx, id).await?.ok_or(UserError::NotFound)?;
    tx.commit().await?;
    Ok(User::from_row(user, new.roles.into_iter().collect()))
}

async fn roles_by_user(ex: &mut impl Executor) -> Result<HashMap<Uuid, Vec<Role>>, StoreError> {
    let mut map: HashMap<Uuid, Vec<Role>> = HashMap::new();
    for (user_id, role) in store::users::all_roles(ex).await? {
        if let Ok(role) = Role::parse(&role) {
            map.entry(user_id).or_default().push(role);
        }
    }
    Ok(map)
}

/// All accounts; the read is logged with its purpose.
pub async fn list(store: &Store, actor: &Actor, purpose: Purpose) -> Result<Vec<User>, UserError> {
    let mut conn = store.acquire().await?;
    let rows = store::users::list(&mut conn).await?;
    let mut roles = roles_by_user(&mut conn).await?;
    drop(conn);
    let users: Vec<User> = rows
        .into_iter()
        .map(|r| {
            let rs = roles.remove(&r.id).unwrap_or_default();
            User::from_row(r, rs)
        })
        .collect();
    let detail = serde_json::json!({ "count": users.len() });
    audit::record_now(
        store,
        actor,
        AuditEvent::new(AuditAction::UsersListed, "user", None).purpose(purpose).detail(detail),
    )
    .await?;
    Ok(users)
}

async fn load(ex: &mut impl Executor, id: Uuid) -> Result<User, UserError> {
    let row = store::users::find_by_id(ex, id).await?.ok_or(UserError::NotFound)?;
    let roles = store::users::roles_of(ex, id).await?.iter().filter_map(|r| Role::parse(r).ok()).collect();
    Ok(User::from_row(row, roles))
}

/// One account; the read is logged with its purpose.
pub async fn get(store: &Store, actor: &Actor, id: Uuid, purpose: Purpose) -> Result<User, UserError> {
    let user = load(&mut store.acquire().await?, id).await?;
    audit::record_now(store, actor, AuditEvent::new(AuditAction::UserRead, "user", id.to_string()).purpose(purpose))
        .await?;
    Ok(user)
}

/// Every user name, for the system's own checks (the demo loader); not a read on anyone's behalf.
pub async fn all_usernames(store: &Store) -> Result<Vec<String>, UserError> {
    Ok(store::users::all_usernames(&mut store.acquire().await?).await?)
}

/// Looks up an account by user name, for the CLI and internal use (not a read of a person's
/// data on someone's behalf, so not logged).
pub async fn find_by_username(store: &Store, username: &Username) -> Result<User, UserError> {
    let mut conn = store.acquire().await?;
    let row = store::users::find_by_username(&mut conn, username.as_str()).await?.ok_or(UserError::NotFound)?;
    load(&mut conn, row.id).await
}

/// A change to an account; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChangeInput {
    #[serde(default)]
    pub display_name: Option<String>,
    /// An empty string removes the address.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, with = "serde_double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub unit_id: Option<Option<Uuid>>,
    #[serde(default)]
    pub roles: Option<Vec<String>>,
    #[serde(default)]
    pub active: Option<bool>,
    /// An empty string removes the number.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub topics: Option<String>,
}

/// Tells "absent" (keep) from `null` (clear) for optional fields in a change.
mod serde_double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

pub async fn update(store: &Store, actor: &Actor, id: Uuid, change: &UserChangeInput) -> Result<User, UserError> {
    let mut checks = Checks::default();
    let display_name =
        change.display_name.as_deref().and_then(|n| checks.take("display_name", validation::text(n, 1, 120)));
    let email = change
        .email
        .as_deref()
        .map(str::trim)
        .map(|e| if e.is_empty() { Some(None) } else { checks.take("email", EmailAddress::parse(e).map(Some)) });
    let roles = change.roles.as_ref().and_then(|r| checks.take("roles", parse_roles(r)));
    let phone = change
        .phone
        .as_deref()
        .map(str::trim)
        .map(|p| if p.is_empty() { Some(None) } else { checks.take("phone", PhoneNumber::parse(p).map(Some)) });
    let topics = change.topics.as_deref().and_then(|t| checks.take("topics", validation::text(t, 0, 500)));
    checks.finish().map_err(UserError::Invalid)?;

    let mut tx = store.begin().await?;
    // Serialised with every other account change: the last-beheerder check below must not be
    // passed by two concurrent changes, and a read-modify-write must not lose another's change.
    tx.lock(store::Lock::UserAdministration).await?;
    let mut row = store::users::find_by_id(&mut tx, id).await?.ok_or(UserError::NotFound)?;
    let before = row.clone();
    let current_roles: BTreeSet<Role> =
        store::users::roles_of(&mut tx, id).await?.iter().filter_map(|r| Role::parse(r).ok()).collect();
    let loses_beheer = current_roles.contains(&Role::Beheerder)
        && row.active
        && (roles.as_ref().is_some_and(|r| !r.contains(&Role::Beheerder)) || change.active == Some(false));
    if loses_beheer {
        let beheerders = store::users::count_by_role(&mut tx)
            .await?
            .into_iter()
            .find(|(role, _)| role == Role::Beheerder.id())
            .map_or(0, |(_, n)| n);
        if beheerders <= 1 {
            return Err(UserError::LastBeheerder);
        }
    }
    if let Some(name) = display_name {
        row.display_name = name;
    }
    if let Some(email) = email.flatten() {
        row.email = email.map(String::from);
    }
    if let Some(phone) = phone.flatten() {
        row.phone = phone.map(|p| p.as_str().to_owned());
    }
    if let Some(topics) = topics {
        row.topics = topics;
    }
    if let Some(unit_id) = change.unit_id {
        ensure_unit_exists(&mut tx, unit_id).await?;
        row.unit_id = unit_id;
    }
    let deactivated = row.active && change.active == Some(false);
    if let Some(active) = change.active {
        row.active = active;
    }
    row.updated_at = clock::now();
    store::users::update(&mut tx, &row).await?;
    if let Some(roles) = &roles {
        store::users::set_roles(&mut tx, id, &role_ids(roles)).await?;
    }
    let mut revoked_tokens = 0;
    if deactivated {
        store::sessions::delete_for_user(&mut tx, id).await?;
        revoked_tokens = store::tokens::revoke_for_user(&mut tx, id, row.updated_at).await?;
    }
    // Only what really changed, so the log tells what this change did.
    let mut changed = serde_json::Map::new();
    if before.display_name != row.display_name {
        changed.insert("display_name".into(), serde_json::json!(row.display_name));
    }
    if before.email != row.email {
        changed.insert("email".into(), serde_json::json!(row.email.is_some()));
    }
    if before.unit_id != row.unit_id {
        changed.insert("unit_id".into(), serde_json::json!(row.unit_id));
    }
    if before.phone != row.phone {
        changed.insert("phone".into(), serde_json::json!(row.phone.is_some()));
    }
    if before.topics != row.topics {
        changed.insert("topics".into(), serde_json::json!(row.topics));
    }
    if let Some(new_roles) = roles.as_ref().filter(|r| **r != current_roles) {
        changed.insert("roles".into(), serde_json::json!(role_ids(new_roles)));
    }
    if before.active != row.active {
        changed.insert("active".into(), serde_json::json!(row.active));
    }
    if revoked_tokens > 0 {
        changed.insert("revoked_tokens".into(), serde_json::json!(revoked_tokens));
    }
    let detail = serde_json::Value::Object(changed);
    audit::record(&mut tx, actor, AuditEvent::new(AuditAction::UserUpdated, "user", id.to_string()).detail(detail))
        .await?;
    let user = load(&mut tx, id).await?;
    tx.commit().await?;
    // Roles, unit or activity may have changed: cached tokens must not keep the old rights.
    super::tokens::forget_cached();
    Ok(user)
}

/// [`set_password`] for a user known by id (the beheer screens).
pub async fn set_password_by_id(store: &Store, actor: &Actor, id: Uuid, password: Password) -> Result<(), UserError> {
    let row = store::users::find_by_id(&mut store.acquire().await?, id).await?.ok_or(UserError::NotFound)?;
    set_password(store, actor, &Username(row.username), password).await
}

/// Sets a new password and ends the user's sessions (someone else may have had the old one).
pub async fn set_password(
    store: &Store,
    actor: &Actor,
    username: &Username,
    password: Password,
) -> Result<(), UserError> {
    let known = store::users::find_by_username(&mut store.acquire().await?, username.as_str()).await?;
    if known.is_some_and(|row| AccountKind::from_id(&row.kind) == AccountKind::Koppeling) {
        return Err(UserError::NoPasswordForIntegration);
    }
    let hash = hash_off_thread(password).await;
    let mut tx = store.begin().await?;
    let row = store::users::find_by_username(&mut tx, username.as_str()).await?.ok_or(UserError::NotFound)?;
    store::users::set_password_hash(&mut tx, row.id, &hash, clock::now()).await?;
    store::sessions::delete_for_user(&mut tx, row.id).await?;
    audit::record(&mut tx, actor, AuditEvent::new(AuditAction::PasswordChanged, "user", row.id.to_string())).await?;
    tx.commit().await?;
    Ok(())
}

/// A user changes their own password: only with the current one, checked under the same
/// throttle as logins (a hijacked session cannot guess it), a wrong one logged; afterwards every
/// session of theirs (this one included) ends, so a stolen session does not outlive the change.
pub async fn change_own_password(
    store: &Store,
    policy: &super::sessions::AuthPolicy,
    caller: &super::Caller,
    current: &str,
    new: Password,
) -> Result<(), UserError> {
    use super::sessions::{LoginError, checked_password};
    let actor = caller.actor();
    match checked_password(store, policy, &caller.username, current, caller.ip.as_deref()).await {
        Ok(Some(_)) => set_password(store, &actor, &Username(caller.username.clone()), new).await,
        Ok(None) => {
            let event = AuditEvent::new(AuditAction::PasswordChangeFailed, "user", caller.user_id.to_string());
            audit::record_now(store, &actor, event).await?;
            Err(UserError::WrongPassword)
        }
        Err(LoginError::Throttled { retry_after_secs }) => Err(UserError::Throttled { retry_after_secs }),
        Err(LoginError::InvalidCredentials) => Err(UserError::WrongPassword),
        Err(LoginError::Store(e)) => Err(e.into()),
    }
}

/// Active users per role, for the beheerder's start page.
pub async fn count_by_role(store: &Store) -> Result<Vec<(Role, i64)>, UserError> {
    let rows = store::users::count_by_role(&mut store.acquire().await?).await?;
    Ok(rows.into_iter().filter_map(|(r, n)| Role::parse(&r).ok().map(|r| (r, n))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_lower_cased_and_limited_to_safe_characters() {
        assert_eq!(Username::parse(" Anouk.Jansen ").unwrap().as_str(), "anouk.jansen");
        for bad in ["a", "1anouk", "anouk jansen", "anoük", "<script>", ""] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_new_user_reports_every_bad_field_at_once() {
        let input = NewUserInput {
            username: "x".into(),
            email: Some("geen-adres".into()),
            roles: vec!["koning".into()],
            password: Some("kort".into()),
            ..Default::default()
        };
        let errors = NewUser::parse(&input).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "email", "roles", "password"]);
    }

    #[test]
    fn a_koppeling_is_refused_a_password() {
        let input = NewUserInput {
            username: "zaaksysteem".into(),
            roles: vec!["klantcontactmedewerker".into()],
            password: Some("een-lang-wachtwoord".into()),
            kind: Some(AccountKind::Koppeling),
            ..Default::default()
        };
        assert_eq!(NewUser::parse(&input).unwrap_err()[0].code, "no_password_for_integration");
    }

    #[test]
    fn a_new_user_needs_a_role() {
        let input = NewUserInput { username: "anouk".into(), ..Default::default() };
        assert_eq!(NewUser::parse(&input).unwrap_err()[0].code, "required");
    }
}
