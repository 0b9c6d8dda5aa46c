//! SQL for users and their roles.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

const COLUMNS: &str =
    "id, username, display_name, email, unit_id, active, created_at, updated_at, phone, topics, kind, created_by";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub unit_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Work phone number (E.164), for the directory.
    pub phone: Option<String>,
    /// What colleagues can ask this person about (comma-separated), for the directory.
    pub topics: String,
    /// `medewerker` (a person) or `koppeling` (a system, through API tokens only).
    pub kind: String,
    /// Who made the account, when a beheerder did (every koppeling).
    pub created_by: Option<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: Uuid,
    pub password_hash: Option<String>,
    pub active: bool,
}

pub struct NewUserRow<'a> {
    pub id: Uuid,
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub unit_id: Option<Uuid>,
    pub password_hash: Option<&'a str>,
    pub at: DateTime<Utc>,
    pub phone: Option<&'a str>,
    pub topics: &'a str,
    pub kind: &'a str,
    pub created_by: Option<Uuid>,
}

pub async fn insert(ex: &mut impl Executor, user: &NewUserRow<'_>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO users (id, username, display_name, email, unit_id, password_hash, active, created_at, updated_at, phone, topics, kind, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7, $8, $9, $10, $11)",
    )
    .bind(user.id)
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.email)
    .bind(user.unit_id)
    .bind(user.password_hash)
    .bind(user.at)
    .bind(user.phone)
    .bind(user.topics)
    .bind(user.kind)
    .bind(user.created_by)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_roles(ex: &mut impl Executor, user_id: Uuid, roles: &[&str]) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("DELETE FROM user_roles WHERE user_id = $1").bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
    for role in roles {
        on_backend!(ex, c => sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
            .bind(user_id)
            .bind(*role)
            .execute(c)
            .await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// An active user with one row per role (role NULL when they have none).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserWithRole {
    pub username: String,
    pub display_name: String,
    pub unit_id: Option<Uuid>,
    pub role: Option<String>,
    pub kind: String,
    /// The user name of whoever made the account.
    pub created_by: Option<String>,
}

pub async fn active_with_roles(ex: &mut impl Executor, id: Uuid) -> StoreResult<Vec<UserWithRole>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT u.username, u.display_name, u.unit_id, r.role, u.kind, m.username AS created_by
         FROM users u LEFT JOIN user_roles r ON r.user_id = u.id LEFT JOIN users m ON m.id = u.created_by
         WHERE u.id = $1 AND u.active = TRUE",
    )
    .bind(id)
    .fetch_all(c)
    .await)?)
}

pub async fn roles_of(ex: &mut impl Executor, user_id: Uuid) -> StoreResult<Vec<String>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
        .bind(user_id)
        .fetch_all(c)
        .await)?)
}

/// Every (user, role) pair, for listings that show roles beside each user without a query per user.
pub async fn all_roles(ex: &mut impl Executor) -> StoreResult<Vec<(Uuid, String)>> {
    Ok(on_backend!(ex, c => sqlx::query_as("SELECT user_id, role FROM user_roles ORDER BY user_id, role")
        .fetch_all(c)
        .await)?)
}

pub async fn find_by_username(ex: &mut impl Executor, username: &str) -> StoreResult<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE username = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(username).fetch_optional(c).await)?)
}

pub async fn find_by_id(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn credentials(ex: &mut impl Executor, username: &str) -> StoreResult<Option<Credentials>> {
    Ok(on_backend!(ex, c => sqlx::query_as("SELECT id, password_hash, active FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(c)
        .await)?)
}

pub async fn list(ex: &mut impl Executor) -> StoreResult<Vec<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY display_name, username");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

pub async fn active_members_of(ex: &mut impl Executor, unit_id: Uuid) -> StoreResult<Vec<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE unit_id = $1 AND active = TRUE ORDER BY display_name");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(unit_id).fetch_all(c).await)?)
}

/// Active users per role.
pub async fn count_by_role(ex: &mut impl Executor) -> StoreResult<Vec<(String, i64)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT r.role, COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE u.active = TRUE GROUP BY r.role ORDER BY r.role",
    )
    .fetch_all(c)
    .await)?)
}

pub async fn set_password_hash(ex: &mut impl Executor, id: Uuid, hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(at)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update(ex: &mut impl Executor, row: &UserRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "UPDATE users SET display_name = $2, email = $3, unit_id = $4, active = $5, updated_at = $6, phone = $7, topics = $8 WHERE id = $1",
    )
    .bind(row.id)
    .bind(&row.display_name)
    .bind(&row.email)
    .bind(row.unit_id)
    .bind(row.active)
    .bind(row.updated_at)
    .bind(&row.phone)
    .bind(&row.topics)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every user name; for the demo loader's check that it is not in a real installation.
pub async fn all_usernames(ex: &mut impl Executor) -> StoreResult<Vec<String>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT username FROM users").fetch_all(c).await)?)
}

/// (user, role) pairs of the active members of one unit.
pub async fn roles_in_unit(ex: &mut impl Executor, unit_id: Uuid) -> StoreResult<Vec<(Uuid, String)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT r.user_id, r.role FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE u.unit_id = $1 AND u.active = TRUE ORDER BY r.role",
    )
    .bind(unit_id)
    .fetch_all(c)
    .await)?)
}

/// (id, display name) of the active users holding `role`, by name.
pub async fn with_role(ex: &mut impl Executor, role: &str) -> StoreResult<Vec<(Uuid, String)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id
         WHERE r.role = $1 AND u.active = TRUE ORDER BY u.display_name",
    )
    .bind(role)
    .fetch_all(c)
    .await)?)
}
