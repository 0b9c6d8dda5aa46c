//! The OpenAPI 3 document at `/api/openapi.json`, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;

#[derive(OpenApi)]
#[openapi(
    info(title = "Loket API", description = "JSON API of Loket, the open-source contact-center platform. \
        Authenticate with `Authorization: Bearer <token>` (or `Token <token>`, the Klantinteracties convention), \
        or with a session cookie plus an `X-CSRF-Token` header on state-changing requests. \
        Errors are `application/problem+json` (RFC 9457)."),
    paths(
        api::me::me, api::me::roles,
        api::users::list, api::users::create, api::users::get, api::users::update,
        api::units::list, api::units::create,
        api::tokens::create, api::tokens::list, api::tokens::revoke,
        api::audit::list,
        api::articles::list, api::articles::create, api::articles::get, api::articles::save,
        api::articles::set_ownership, api::articles::transition, api::articles::versions, api::articles::version,
        api::articles::restore, api::articles::diff, api::articles::editor_list, api::articles::review_worklist,
        api::trees::list, api::trees::editor_list, api::trees::create, api::trees::get, api::trees::save, api::trees::transition,
        api::trees::versions, api::trees::diff, api::trees::restore,
        api::notices::current, api::notices::create, api::notices::read, api::notices::end, api::notices::receipts,
        api::contacts::find, api::contacts::create, api::contacts::get, api::contacts::add_digital_address,
        api::contacts::timeline, api::contacts::register, api::contacts::get_contact,
        api::contacts::drafts, api::contacts::save_draft, api::contacts::discard_draft, api::contacts::channels,
        api::contacts::outcomes, api::contacts::save_channel, api::contacts::save_outcome, api::contacts::request_types, api::contacts::create_request,
        api::contacts::get_request, api::contacts::set_request_status, api::contacts::create_task,
        api::contacts::task_worklist, api::contacts::complete_task, api::contacts::export_party,
        api::contacts::erase_party,
        api::feedback::submit, api::feedback::answered, api::feedback::worklist, api::feedback::mine, api::feedback::handle,
        api::search::search, api::search::list_synonyms, api::search::create_synonyms, api::search::update_synonyms,
        api::search::delete_synonyms, api::search::analytics_report, api::search::draft_from_query,
        api::search::feedback_from_query, api::search::learned, api::search::reset_learning,
        api::reports::service_level, api::reports::calls_csv, api::reports::wallboard, api::reports::kpis, api::reports::save_settings, api::reports::call_event,
        api::work::list, api::work::get, api::work::claim, api::work::return_to_team, api::work::reassign,
        api::callbacks::create, api::callbacks::list, api::callbacks::get, api::callbacks::claim,
        api::callbacks::return_to_team, api::callbacks::reassign, api::callbacks::attempt, api::callbacks::policy,
        api::callbacks::save_policy, api::callbacks::report, api::reports::contacts, api::reports::contact_items,
        api::callbacks::report_items,
        api::branding::get, api::branding::save, api::branding::save_logo, api::branding::remove_logo,
        api::work::reply, api::work::close, api::email::list, api::email::create, api::email::update, api::email::inbound,
        api::email::attachment,
    ),
    components(schemas(crate::validation::FieldError)),
    modifiers(&Security, &ProblemMediaType),
    security(("token" = []), ("session" = [])),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(super::access::SESSION_COOKIE))),
        );
    }
}

/// Every error response is a problem document served as `application/problem+json` (RFC 9457);
/// the annotations name only its schema, so the media type is set here, in one place.
struct ProblemMediaType;

impl Modify for ProblemMediaType {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                for (status, response) in operation.responses.responses.iter_mut() {
                    let RefOr::T(response) = response else { continue };
                    if !(status.starts_with('4') || status.starts_with('5')) {
                        continue;
                    }
                    if let Some(content) = response.content.shift_remove("application/json") {
                        response.content.insert(PROBLEM_JSON.to_owned(), content);
                    }
                }
            }
        }
    }
}

const PROBLEM_JSON: &str = "application/problem+json";

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> serde_json::Value {
        serde_json::to_value(ApiDoc::openapi()).unwrap()
    }

    #[test]
    fn every_path_parameter_is_in_its_path() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let name = p["name"].as_str().unwrap();
                    if p["in"] == "path" {
                        assert!(path.contains(&format!("{{{name}}}")), "{method} {path}: {name} is not in the path");
                    }
                }
            }
        }
    }

    #[test]
    fn enums_are_documented_as_the_api_writes_them() {
        let doc = document();
        let values = |schema: &str| doc["components"]["schemas"][schema]["enum"].clone();
        assert!(values("PartyKind").as_array().unwrap().contains(&serde_json::json!("persoon")));
        assert!(values("IdentifierKind").as_array().unwrap().contains(&serde_json::json!("bsn")));
    }

    #[test]
    fn error_responses_are_problem_documents() {
        let doc = document();
        let mut errors = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for (status, response) in op["responses"].as_object().unwrap() {
                    if (status.starts_with('4') || status.starts_with('5'))
                        && let Some(content) = response["content"].as_object()
                    {
                        errors += 1;
                        assert!(
                            content.keys().all(|k| k == PROBLEM_JSON),
                            "{method} {path} {status}: {:?}",
                            content.keys()
                        );
                    }
                }
            }
        }
        assert!(errors > 50, "error responses are documented ({errors})");
    }
}
