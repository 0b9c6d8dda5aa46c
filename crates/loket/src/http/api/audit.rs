//! Reading the audit log (beheerder). The read itself is logged.

use axum::Json;
use axum::extract::State;

use crate::auth::Caller;
use crate::auth::audit::{self, AuditFilter, AuditFilterInput, AuditPage};
use crate::http::AppState;
use crate::http::problem::{ApiQuery, Problem};

/// Audit log entries, newest first; filter by actor, action, object and Dutch calendar days.
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "audit", params(AuditFilterInput),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(input): ApiQuery<AuditFilterInput>,
) -> Result<Json<AuditPage>, Problem> {
    let filter = AuditFilter::parse(&input)?;
    Ok(Json(audit::read(&state.store, &caller.actor(), &filter).await?))
}
