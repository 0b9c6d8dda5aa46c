//! Errors as `application/problem+json` (RFC 9457), and the one place where domain errors become
//! HTTP statuses: invalid → 400 with field details, not found → 404, conflict → 409, throttled →
//! 429, anything unexpected → 500 with the detail only in the log.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::auth::sessions::LoginError;
use crate::auth::users::UserError;
use crate::contacts::ContactsError;
use crate::content::cycle::CycleError;
use crate::knowledge::KnowledgeError;
use crate::organisation::UnitError;
use crate::search::SearchError;
use crate::store::StoreError;
use crate::validation::FieldError;
use crate::work::tasks::TaskError;

/// A problem document. `type` is a stable URN per kind of problem.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For validation problems: each field and the rule it broke.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a conflict with something that exists: where it is (e.g. `/api/v1/parties/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
    #[serde(skip)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &str, title: &str) -> Problem {
        Problem {
            kind: format!("urn:loket:problem:{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: None,
            errors: Vec::new(),
            existing: None,
            retry_after: None,
        }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn invalid(errors: Vec<FieldError>) -> Problem {
        let mut p = Problem::new(StatusCode::BAD_REQUEST, "validation", "Ongeldige invoer")
            .detail("Een of meer velden voldoen niet aan de regels; zie errors.");
        p.errors = errors;
        p
    }

    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found", "Niet gevonden")
    }

    pub fn conflict(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::CONFLICT, "conflict", "Conflict").detail(detail)
    }

    pub fn unauthenticated(detail: &str) -> Problem {
        Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "Niet ingelogd").detail(detail)
    }

    pub fn forbidden(detail: &str) -> Problem {
        Problem::new(StatusCode::FORBIDDEN, "forbidden", "Geen toegang").detail(detail)
    }

    /// An unexpected failure. The cause goes to the log; the caller learns only that it failed.
    pub fn internal(cause: &dyn std::fmt::Display) -> Problem {
        tracing::error!(error = %cause, "request failed");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Interne fout")
            .detail("Er ging iets mis aan onze kant. De fout is gelogd.")
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after;
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"loket\""));
        }
        response
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        Problem::internal(&e)
    }
}

impl From<Vec<FieldError>> for Problem {
    fn from(errors: Vec<FieldError>) -> Problem {
        Problem::invalid(errors)
    }
}

impl From<UserError> for Problem {
    fn from(e: UserError) -> Problem {
        match e {
            UserError::Invalid(errors) => Problem::invalid(errors),
            UserError::UsernameTaken(name) => {
                Problem::conflict(format!("De gebruikersnaam '{name}' is al in gebruik."))
            }
            UserError::NotFound => Problem::not_found().detail("Deze gebruiker bestaat niet."),
            UserError::TokenNotFound => Problem::not_found().detail("Dit API-token bestaat niet."),
            UserError::UnitNotFound => Problem::invalid(vec![FieldError::new(
                "unit_id",
                "unknown_unit",
                "Er is geen afdeling of team met dit id.",
            )]),
            UserError::TokenForAnotherPerson => Problem::forbidden(
                "Een API-token handelt alleen voor uzelf, of voor een koppeling die een beheerder heeft aangemaakt.",
            ),
            UserError::NoPasswordForIntegration => {
                Problem::invalid(vec![crate::auth::users::no_password_for_integration()])
            }
            UserError::LastBeheerder => {
                Problem::conflict("Dit is de laatste actieve beheerder; wijs eerst een andere beheerder aan.")
            }
            UserError::WrongPassword => Problem::invalid(vec![FieldError::new(
                "current_password",
                "wrong_password",
                "Het huidige wachtwoord klopt niet.",
            )]),
            UserError::Throttled { retry_after_secs } => throttled(retry_after_secs),
            UserError::Store(e) => e.into(),
        }
    }
}

fn throttled(retry_after_secs: u64) -> Problem {
    let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, "throttled", "Te veel pogingen")
        .detail("Te veel mislukte pogingen. Probeer het later opnieuw.");
    p.retry_after = Some(retry_after_secs);
    p
}

impl From<UnitError> for Problem {
    fn from(e: UnitError) -> Problem {
        match e {
            UnitError::Invalid(errors) => Problem::invalid(errors),
            UnitError::NameTaken(name) => Problem::conflict(format!("Er bestaat al een eenheid met de naam '{name}'.")),
            UnitError::NotFound => Problem::not_found().detail("Deze afdeling of dit team bestaat niet."),
            UnitError::Store(e) => e.into(),
        }
    }
}

impl From<KnowledgeError> for Problem {
    fn from(e: KnowledgeError) -> Problem {
        match e {
            KnowledgeError::Invalid(errors) => Problem::invalid(errors),
            KnowledgeError::NotFound => {
                Problem::not_found().detail("Dit artikel of deze versie bestaat niet (of is niet gepubliceerd).")
            }
            KnowledgeError::Forbidden(why) => Problem::forbidden(why),
            KnowledgeError::Conflict { latest } => Problem::conflict(format!(
                "Het artikel is intussen door iemand anders gewijzigd (nu versie {latest}). Laad het opnieuw en breng uw wijziging opnieuw aan."
            )),
            KnowledgeError::Cycle(CycleError::NotAllowed(why)) => Problem::forbidden(why),
            KnowledgeError::Cycle(e @ CycleError::NotFromState { .. }) => Problem::conflict(e.to_string()),
            KnowledgeError::Io(e) => Problem::internal(&e),
            KnowledgeError::Store(e) => e.into(),
        }
    }
}

impl From<ContactsError> for Problem {
    fn from(e: ContactsError) -> Problem {
        match e {
            ContactsError::Invalid(errors) => Problem::invalid(errors),
            ContactsError::PartyNotFound => Problem::not_found().detail("Deze partij bestaat niet."),
            ContactsError::ContactNotFound => Problem::not_found().detail("Dit klantcontact bestaat niet."),
            ContactsError::RequestNotFound => Problem::not_found().detail("Dit verzoek bestaat niet."),
            ContactsError::DraftNotFound => Problem::not_found().detail("Dit concept bestaat niet."),
            ContactsError::RequestClosed { status } => Problem::conflict(format!(
                "Het verzoek is {}; een gesloten verzoek kan alleen worden heropend (in_behandeling).",
                status.to_lowercase()
            )),
            ContactsError::DuplicateIdentifier { field, label, party_id } => {
                let mut p = match party_id {
                    Some(_) => Problem::conflict(format!("Dit {label} hoort al bij een andere partij; zie existing.")),
                    None => Problem::conflict(format!("Dit {label} hoort al bij een andere partij.")),
                };
                p.errors =
                    vec![FieldError::new(&field, "duplicate_identifier", format!("Dit {label} is al geregistreerd."))];
                p.existing = party_id.map(|id| format!("/api/v1/parties/{id}"));
                p
            }
            ContactsError::NotRegistrar => Problem::forbidden(
                "Alleen wie dit klantcontact registreerde, of een teamleider, kan het wijzigen of verwijderen.",
            ),
            ContactsError::ContactHasWork => Problem::conflict(
                "Aan dit klantcontact hangen taken of terugbelverzoeken; het blijft als vastlegging daarvan.",
            ),
            ContactsError::Hidden => {
                Problem::not_found().detail("Dit gegeven bestaat niet of valt onder geheimhouding.")
            }
            ContactsError::Store(e) => e.into(),
        }
    }
}

impl From<crate::klantinteracties::KlantinteractiesError> for Problem {
    fn from(e: crate::klantinteracties::KlantinteractiesError) -> Problem {
        use crate::klantinteracties::KlantinteractiesError as E;
        match e {
            E::Invalid(errors) => Problem::invalid(errors),
            E::NotFound(what) => Problem::not_found().detail(format!("Deze {what} bestaat niet.")),
            E::InUse(why) => Problem::conflict(why),
            E::Contacts(e) => e.into(),
            E::Tasks(e) => e.into(),
            E::Work(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::reports::ReportError> for Problem {
    fn from(e: crate::reports::ReportError) -> Problem {
        match e {
            crate::reports::ReportError::Invalid(errors) => Problem::invalid(errors),
            crate::reports::ReportError::Store(e) => e.into(),
        }
    }
}

impl From<crate::channels::telephony::TelephonyError> for Problem {
    fn from(e: crate::channels::telephony::TelephonyError) -> Problem {
        use crate::channels::telephony::TelephonyError as E;
        match e {
            E::Invalid(errors) => Problem::invalid(errors),
            E::NotFound => Problem::not_found().detail("Dit gesprek is niet aangeboden; stuur eerst 'offered'."),
            E::Conflict(why) => Problem::conflict(why),
            E::Store(e) => e.into(),
            // Import-only failures never reach HTTP; if one does, it is the client's input.
            e @ (E::Mapping(_) | E::Read(_) | E::BadRows(_)) => {
                Problem::invalid(vec![FieldError::new("", "invalid", e.to_string())])
            }
        }
    }
}

impl From<crate::channels::telephony::screen_pop::ScreenPopError> for Problem {
    fn from(e: crate::channels::telephony::screen_pop::ScreenPopError) -> Problem {
        use crate::channels::telephony::TelephonyError;
        use crate::channels::telephony::screen_pop::ScreenPopError as E;
        match e {
            // Someone else's call does not exist for this agent.
            E::Telephony(TelephonyError::NotFound) => {
                Problem::not_found().detail("U heeft dit gesprek niet aangenomen, of het bestaat niet.")
            }
            E::Telephony(e) => e.into(),
            E::Contacts(e) => e.into(),
        }
    }
}

impl From<TaskError> for Problem {
    fn from(e: TaskError) -> Problem {
        match e {
            TaskError::Invalid(errors) => Problem::invalid(errors),
            TaskError::NotFound => Problem::not_found().detail("Deze taak bestaat niet."),
            TaskError::AlreadyDone => Problem::conflict("Deze taak is al afgerond; het eerste resultaat blijft staan."),
            TaskError::Forbidden(why) => Problem::forbidden(why),
            TaskError::Store(e) => e.into(),
        }
    }
}

impl From<crate::work::WorkError> for Problem {
    fn from(e: crate::work::WorkError) -> Problem {
        use crate::work::WorkError as E;
        match e {
            E::Invalid(errors) => Problem::invalid(errors),
            E::NotFound => Problem::not_found().detail("Dit werkitem bestaat niet."),
            E::Closed => Problem::conflict("Dit werkitem is al afgerond."),
            E::Forbidden(why) => Problem::forbidden(&why),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::channels::email::EmailError> for Problem {
    fn from(e: crate::channels::email::EmailError) -> Problem {
        use crate::channels::email::EmailError as E;
        match e {
            E::Invalid(errors) => Problem::invalid(errors),
            E::UnknownMailbox => Problem::not_found().detail("Deze mailbox bestaat niet in Loket."),
            E::NotFound => Problem::not_found().detail("Deze e-mail bestaat niet."),
            E::Forbidden(why) => Problem::forbidden(&why),
            E::Closed => Problem::conflict("Deze e-mail is al afgehandeld."),
            E::Exists => Problem::conflict("Er is al een mailbox met dit adres."),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::work::callbacks::CallbackError> for Problem {
    fn from(e: crate::work::callbacks::CallbackError) -> Problem {
        use crate::work::callbacks::CallbackError as E;
        match e {
            E::Invalid(errors) => Problem::invalid(errors),
            E::NotFound => Problem::not_found().detail("Dit terugbelverzoek bestaat niet."),
            E::Closed => Problem::conflict("Dit terugbelverzoek is al afgerond."),
            E::TooSoon { next_attempt_at } => Problem::conflict(format!(
                "De volgende belpoging kan pas vanaf {} (de tijd tussen pogingen in het beleid).",
                crate::clock::format_local(next_attempt_at)
            )),
            E::Forbidden(why) => Problem::forbidden(&why),
            E::Contact(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}

impl From<crate::branding::BrandingError> for Problem {
    fn from(e: crate::branding::BrandingError) -> Problem {
        match e {
            crate::branding::BrandingError::Invalid(errors) => Problem::invalid(errors),
            crate::branding::BrandingError::Store(e) => e.into(),
        }
    }
}

impl From<crate::sla::SlaError> for Problem {
    fn from(e: crate::sla::SlaError) -> Problem {
        match e {
            crate::sla::SlaError::Invalid(errors) => Problem::invalid(errors),
            crate::sla::SlaError::Store(e) => e.into(),
        }
    }
}

impl From<SearchError> for Problem {
    fn from(e: SearchError) -> Problem {
        match e {
            SearchError::Invalid(errors) => Problem::invalid(errors),
            SearchError::NotFound => Problem::not_found().detail("Deze synoniemengroep bestaat niet."),
            SearchError::Forbidden(why) => Problem::forbidden(why),
            SearchError::Knowledge(e) => e.into(),
            SearchError::Store(e) => e.into(),
            SearchError::Index(e) => Problem::internal(&e),
        }
    }
}

impl From<LoginError> for Problem {
    fn from(e: LoginError) -> Problem {
        match e {
            LoginError::InvalidCredentials => {
                Problem::unauthenticated("Onbekende gebruikersnaam of onjuist wachtwoord.")
            }
            LoginError::Throttled { retry_after_secs } => throttled(retry_after_secs),
            LoginError::Store(e) => e.into(),
        }
    }
}

fn rejection(status: StatusCode, title: &str, body: String) -> Problem {
    // Malformed and mistyped bodies are both the client's error: 400, never axum's 422.
    let status = if status == StatusCode::UNPROCESSABLE_ENTITY { StatusCode::BAD_REQUEST } else { status };
    let kind = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        _ => "malformed",
    };
    let title = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "Verzoek te groot",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Verkeerd inhoudstype",
        _ => title,
    };
    Problem::new(status, kind, title).detail(body)
}

/// `Json<T>` whose rejections are problem documents.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e @ JsonRejection::MissingJsonContentType(_)) => Err(rejection(
                e.status(),
                "Verkeerd inhoudstype",
                "Stuur JSON met Content-Type: application/json.".into(),
            )),
            Err(e) => Err(rejection(e.status(), "Ongeldige JSON", e.body_text())),
        }
    }
}

/// `Query<T>` whose rejections are problem documents.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e: QueryRejection| rejection(e.status(), "Ongeldige zoekparameters", e.body_text()))
    }
}

/// `Path<T>` whose rejections are problem documents.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|e: PathRejection| rejection(StatusCode::BAD_REQUEST, "Ongeldig pad", e.body_text()))
    }
}
