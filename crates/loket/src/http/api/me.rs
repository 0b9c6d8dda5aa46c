//! The caller's own account, and the role/permission table.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Caller, Permission, Role};

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub unit_id: Option<Uuid>,
    pub roles: Vec<Role>,
    pub permissions: Vec<Permission>,
    /// `session` or `token`.
    pub authenticated_by: &'static str,
}

/// Who am I, and what may I do?
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = crate::http::problem::Problem)))]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(Me {
        id: caller.user_id,
        username: caller.username.clone(),
        display_name: caller.display_name.clone(),
        unit_id: caller.unit_id,
        roles: caller.roles.iter().copied().collect(),
        permissions: caller.permissions().into_iter().collect(),
        authenticated_by: if caller.csrf_token().is_some() { "session" } else { "token" },
    })
}

#[derive(Serialize, ToSchema)]
pub struct RoleGrants {
    pub role: Role,
    pub permissions: Vec<Permission>,
}

/// The roles and the permissions each grants.
#[utoipa::path(get, path = "/api/v1/roles", tag = "account",
    responses((status = 200, body = [RoleGrants]), (status = 401, body = crate::http::problem::Problem)))]
pub async fn roles(_caller: Caller) -> Json<Vec<RoleGrants>> {
    Json(Role::ALL.iter().map(|r| RoleGrants { role: *r, permissions: r.permissions().to_vec() }).collect())
}
