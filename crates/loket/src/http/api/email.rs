//! The e-mail channel's API: mailboxes (beheerder), mail piped in by a mail server, and an
//! attachment's download. Threads are work items: see `work.rs` for reading and answering them.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::Caller;
use crate::channels::email::{self, Intake, Mailbox, MailboxInput};
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, Problem};

/// The mailboxes, without their passwords.
#[utoipa::path(get, path = "/api/v1/mailboxes", tag = "e-mail",
    responses((status = 200, body = [Mailbox]), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<Mailbox>>, Problem> {
    Ok(Json(email::mailboxes(&state.store).await?))
}

/// Add a mailbox: its address, the team whose queue it feeds, and optionally the IMAP account
/// Loket fetches it from (the password is stored sealed and never shown again).
#[utoipa::path(post, path = "/api/v1/mailboxes", tag = "e-mail", request_body = MailboxInput,
    responses((status = 201, body = Mailbox), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<MailboxInput>,
) -> Result<(StatusCode, Json<Mailbox>), Problem> {
    let key = state.settings.secret_key.as_ref();
    let saved = email::save_mailbox(&state.store, &caller.actor(), key, &input, false).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Change a mailbox (the address in the path and the body must agree); a password left out
/// keeps the stored one.
#[utoipa::path(put, path = "/api/v1/mailboxes/{address}", tag = "e-mail", params(("address" = String, Path)),
    request_body = MailboxInput,
    responses((status = 200, body = Mailbox), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(address): ApiPath<String>,
    ApiJson(input): ApiJson<MailboxInput>,
) -> Result<Json<Mailbox>, Problem> {
    if !address.trim().eq_ignore_ascii_case(input.address.trim()) {
        return Err(Problem::invalid(vec![crate::validation::FieldError::new(
            "address",
            "address_mismatch",
            "Het adres in de URL en in de gegevens verschillen.",
        )]));
    }
    if !email::mailboxes(&state.store).await?.iter().any(|m| m.address.eq_ignore_ascii_case(address.trim())) {
        return Err(email::EmailError::UnknownMailbox.into());
    }
    let key = state.settings.secret_key.as_ref();
    Ok(Json(email::save_mailbox(&state.store, &caller.actor(), key, &input, true).await?))
}

/// Deliver one mail to a mailbox, as a mail server that pipes mail in does: the raw RFC 5322
/// message as the body, `Content-Type: message/rfc822`. Delivering the same mail again
/// (same Message-ID) adds nothing and answers the same work item.
#[utoipa::path(post, path = "/api/v1/mailboxes/{address}/inbound", tag = "e-mail", params(("address" = String, Path)),
    request_body(content = Vec<u8>, content_type = "message/rfc822"),
    responses((status = 202, body = Intake), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn inbound(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(address): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Intake>), Problem> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("message/rfc822") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported Media Type",
        )
        .detail("Stuur het bericht zoals het is, met Content-Type: message/rfc822."));
    }
    let raw = axum::body::to_bytes(body, email::MAX_INBOUND_BYTES).await.map_err(|_| {
        Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Payload Too Large").detail(format!(
            "Een bericht mag hier hoogstens {} MB zijn; laat de mailserver het terugsturen.",
            email::MAX_INBOUND_BYTES / (1024 * 1024)
        ))
    })?;
    if raw.is_empty() {
        return Err(Problem::invalid(vec![crate::validation::FieldError::new(
            "body",
            "required",
            "Het bericht is leeg.",
        )]));
    }
    let intake = email::receive(&state.store, &caller.actor(), &address, &raw).await?;
    Ok((StatusCode::ACCEPTED, Json(intake)))
}

/// One attachment of a mail, as a download (never shown inline).
#[utoipa::path(get, path = "/api/v1/mail-attachments/{id}", tag = "e-mail", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn attachment(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
) -> Result<Response, Problem> {
    let row = email::attachment(&state.store, &caller, id).await?;
    let name: String = row.filename.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').collect();
    let disposition =
        format!("attachment; filename=\"{}\"", if name.trim().is_empty() { "bijlage" } else { name.trim() });
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox".to_owned()),
        ],
        row.content.unwrap_or_default(),
    )
        .into_response())
}
