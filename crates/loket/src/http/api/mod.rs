//! The JSON API under `/api/v1`. Handlers parse, call one domain function, and answer; every
//! route's permission is declared in [`routes`].

pub mod audit;
pub mod me;
pub mod tokens;
pub mod units;
pub mod users;

use axum::http::Method;

use super::access::{Access, Routes};
use crate::auth::Permission;

pub fn routes(r: Routes) -> Routes {
    r.api(Method::GET, "/api/v1/me", Access::Authenticated, me::me)
        .api(Method::GET, "/api/v1/roles", Access::Authenticated, me::roles)
        .api(Method::GET, "/api/v1/users", Access::Permission(Permission::ManageUsers), users::list)
        .api(Method::POST, "/api/v1/users", Access::Permission(Permission::ManageUsers), users::create)
        .api(Method::GET, "/api/v1/users/{id}", Access::Permission(Permission::ManageUsers), users::get)
        .api(Method::PATCH, "/api/v1/users/{id}", Access::Permission(Permission::ManageUsers), users::update)
        .api(Method::GET, "/api/v1/units", Access::Permission(Permission::ViewDirectory), units::list)
        .api(Method::POST, "/api/v1/units", Access::Permission(Permission::ManageUnits), units::create)
        .api(Method::POST, "/api/v1/tokens", Access::Permission(Permission::ManageApiTokens), tokens::create)
        .api(Method::DELETE, "/api/v1/tokens/{id}", Access::Permission(Permission::ManageApiTokens), tokens::revoke)
        .api(Method::GET, "/api/v1/users/{id}/tokens", Access::Permission(Permission::ManageApiTokens), tokens::list)
        .api(Method::GET, "/api/v1/audit-log", Access::Permission(Permission::ReadAuditLog), audit::list)
}
