//! The Klantinteracties API (VNG standard) at `/klantinteracties/api/v1`: partijen,
//! partij-identificatoren, digitaleadressen, klantcontacten, betrokkenen, onderwerpobjecten,
//! internetaken, actoren and maak-klantcontact (list, read, create, change with PUT and PATCH,
//! delete), with `expand` on klantcontacten, betrokkenen and partijen. Authentication is an API
//! token (`Authorization: Token …`), as the standard's security scheme says; reading needs the
//! right to find customers, writing the right to register contacts; actoren are written with the
//! right to manage units, and deleting a partij erases the person (the right to handle privacy
//! requests).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use serde::Serialize;
use uuid::Uuid;

use super::AppState;
use super::access::{Access, Routes};
use super::problem::{ApiJson, ApiPath, Problem};
use crate::auth::{Caller, Permission};
use crate::klantinteracties::{self as ki, Filters, Page, Paging, Urls};
use crate::validation::FieldError;

pub const BASE: &str = "/klantinteracties/api/v1";

pub fn routes(r: Routes) -> Routes {
    let read = Access::Permission(Permission::FindCustomers);
    let write = Access::Permission(Permission::RegisterContacts);
    let manage = Access::Permission(Permission::ManageUnits);
    // Deleting a partij erases the person, as an AVG request does.
    let erase = Access::Permission(Permission::HandlePrivacyRequests);
    r.api(Method::GET, "/klantinteracties/api/v1/partijen", read, list_partijen)
        .api(Method::POST, "/klantinteracties/api/v1/partijen", write, create_partij)
        .api(Method::GET, "/klantinteracties/api/v1/partijen/{uuid}", read, get_partij)
        .api(Method::PUT, "/klantinteracties/api/v1/partijen/{uuid}", write, put_partij)
        .api(Method::PATCH, "/klantinteracties/api/v1/partijen/{uuid}", write, patch_partij)
        .api(Method::DELETE, "/klantinteracties/api/v1/partijen/{uuid}", erase, delete_partij)
        .api(Method::GET, "/klantinteracties/api/v1/partij-identificatoren", read, list_identificatoren)
        .api(Method::POST, "/klantinteracties/api/v1/partij-identificatoren", write, create_identificator)
        .api(Method::GET, "/klantinteracties/api/v1/partij-identificatoren/{uuid}", read, get_identificator)
        .api(Method::PUT, "/klantinteracties/api/v1/partij-identificatoren/{uuid}", write, put_identificator)
        .api(Method::PATCH, "/klantinteracties/api/v1/partij-identificatoren/{uuid}", write, patch_identificator)
        .api(Method::DELETE, "/klantinteracties/api/v1/partij-identificatoren/{uuid}", write, delete_identificator)
        .api(Method::GET, "/klantinteracties/api/v1/digitaleadressen", read, list_adressen)
        .api(Method::POST, "/klantinteracties/api/v1/digitaleadressen", write, create_adres)
        .api(Method::GET, "/klantinteracties/api/v1/digitaleadressen/{uuid}", read, get_adres)
        .api(Method::PUT, "/klantinteracties/api/v1/digitaleadressen/{uuid}", write, put_adres)
        .api(Method::PATCH, "/klantinteracties/api/v1/digitaleadressen/{uuid}", write, patch_adres)
        .api(Method::DELETE, "/klantinteracties/api/v1/digitaleadressen/{uuid}", write, delete_adres)
        .api(Method::GET, "/klantinteracties/api/v1/klantcontacten", read, list_klantcontacten)
        .api(Method::POST, "/klantinteracties/api/v1/klantcontacten", write, create_klantcontact)
        .api(Method::GET, "/klantinteracties/api/v1/klantcontacten/{uuid}", read, get_klantcontact)
        .api(Method::PUT, "/klantinteracties/api/v1/klantcontacten/{uuid}", write, put_klantcontact)
        .api(Method::PATCH, "/klantinteracties/api/v1/klantcontacten/{uuid}", write, patch_klantcontact)
        .api(Method::DELETE, "/klantinteracties/api/v1/klantcontacten/{uuid}", write, delete_klantcontact)
        .api(Method::GET, "/klantinteracties/api/v1/betrokkenen", read, list_betrokkenen)
        .api(Method::POST, "/klantinteracties/api/v1/betrokkenen", write, create_betrokkene)
        .api(Method::GET, "/klantinteracties/api/v1/betrokkenen/{uuid}", read, get_betrokkene)
        .api(Method::PUT, "/klantinteracties/api/v1/betrokkenen/{uuid}", write, put_betrokkene)
        .api(Method::PATCH, "/klantinteracties/api/v1/betrokkenen/{uuid}", write, patch_betrokkene)
        .api(Method::DELETE, "/klantinteracties/api/v1/betrokkenen/{uuid}", write, delete_betrokkene)
        .api(Method::GET, "/klantinteracties/api/v1/onderwerpobjecten", read, list_onderwerpobjecten)
        .api(Method::POST, "/klantinteracties/api/v1/onderwerpobjecten", write, create_onderwerpobject)
        .api(Method::GET, "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", read, get_onderwerpobject)
        .api(Method::PUT, "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", write, put_onderwerpobject)
        .api(Method::PATCH, "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", write, patch_onderwerpobject)
        .api(Method::DELETE, "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", write, delete_onderwerpobject)
        .api(Method::GET, "/klantinteracties/api/v1/internetaken", read, list_taken)
        .api(Method::POST, "/klantinteracties/api/v1/internetaken", write, create_taak)
        .api(Method::GET, "/klantinteracties/api/v1/internetaken/{uuid}", read, get_taak)
        .api(Method::PUT, "/klantinteracties/api/v1/internetaken/{uuid}", write, put_taak)
        .api(Method::PATCH, "/klantinteracties/api/v1/internetaken/{uuid}", write, patch_taak)
        .api(Method::DELETE, "/klantinteracties/api/v1/internetaken/{uuid}", write, delete_taak)
        .api(Method::GET, "/klantinteracties/api/v1/actoren", read, list_actoren)
        .api(Method::POST, "/klantinteracties/api/v1/actoren", manage, create_actor)
        .api(Method::GET, "/klantinteracties/api/v1/actoren/{uuid}", read, get_actor)
        .api(Method::PUT, "/klantinteracties/api/v1/actoren/{uuid}", manage, put_actor)
        .api(Method::PATCH, "/klantinteracties/api/v1/actoren/{uuid}", manage, patch_actor)
        .api(Method::DELETE, "/klantinteracties/api/v1/actoren/{uuid}", manage, delete_actor)
        .api(Method::POST, "/klantinteracties/api/v1/maak-klantcontact", write, maak_klantcontact)
}

/// Where this API is reached from outside: the configured public URL, else the Host header.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    match &state.settings.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            // Only a plausible host name[:port] goes into the URLs we hand out.
            let host = headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .filter(|h| h.len() <= 253 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b)))
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    }
}

fn urls(state: &AppState, headers: &HeaderMap) -> Urls {
    Urls::new(&format!("{}{BASE}", origin(state, headers)))
}

/// The query as name/value pairs, and the page asked for.
fn query(raw: Option<&str>) -> Result<(Filters, Paging), ki::KlantinteractiesError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| FieldError::new("query", "invalid_query", "De zoekparameters zijn niet te lezen."))?;
    // A NUL or other control character is no filter value (PostgreSQL refuses NUL outright).
    if pairs.iter().any(|(k, v)| k.chars().chain(v.chars()).any(char::is_control)) {
        return Err(
            FieldError::new("query", "control_character", "Stuurtekens horen niet in een zoekparameter.").into()
        );
    }
    let filters = Filters(pairs);
    let paging = Paging::parse(filters.text("page"), filters.text("pageSize"))?;
    Ok((filters, paging))
}

#[derive(Serialize)]
struct Paginated<T> {
    count: i64,
    next: Option<String>,
    previous: Option<String>,
    results: Vec<T>,
}

fn paginated<T>(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    filters: &Filters,
    paging: Paging,
    page: Page<T>,
) -> Json<Paginated<T>> {
    let link = |n: i64| {
        let mut pairs: Vec<(String, String)> = filters.0.iter().filter(|(k, _)| k != "page").cloned().collect();
        pairs.push(("page".into(), n.to_string()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{}{}?{query}", origin(state, headers), uri.path())
    };
    let shown = paging.offset() + i64::try_from(page.results.len()).unwrap_or(0);
    Json(Paginated {
        count: page.count,
        next: (shown < page.count && !page.results.is_empty()).then(|| link(paging.page + 1)),
        previous: (paging.page > 1).then(|| link(paging.page - 1)),
        results: page.results,
    })
}

macro_rules! list_handler {
    ($name:ident, $domain:path) => {
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            uri: Uri,
            RawQuery(raw): RawQuery,
        ) -> Result<impl IntoResponse, Problem> {
            let (filters, paging) = query(raw.as_deref())?;
            let page = $domain(&state.store, &caller, &urls(&state, &headers), &filters, paging).await?;
            Ok(paginated(&state, &headers, &uri, &filters, paging, page))
        }
    };
}

/// A list whose items can carry related resources (`expand`).
macro_rules! list_expanding_handler {
    ($name:ident, $domain:path, $relations:path, $expand:path) => {
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            uri: Uri,
            RawQuery(raw): RawQuery,
        ) -> Result<impl IntoResponse, Problem> {
            let (filters, paging) = query(raw.as_deref())?;
            let expand = ki::expand::Expand::parse(&filters, $relations).map_err(ki::KlantinteractiesError::from)?;
            let urls = urls(&state, &headers);
            let mut page = $domain(&state.store, &caller, &urls, &filters, paging).await?;
            $expand(&state.store, &caller, &urls, &mut page.results, &expand).await?;
            Ok(paginated(&state, &headers, &uri, &filters, paging, page))
        }
    };
}

/// One item that can carry related resources (`expand`).
macro_rules! get_expanding_handler {
    ($name:ident, $domain:path, $relations:path, $expand:path) => {
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            ApiPath(id): ApiPath<Uuid>,
            RawQuery(raw): RawQuery,
        ) -> Result<impl IntoResponse, Problem> {
            let (filters, _) = query(raw.as_deref())?;
            let expand = ki::expand::Expand::parse(&filters, $relations).map_err(ki::KlantinteractiesError::from)?;
            let urls = urls(&state, &headers);
            let mut found = [$domain(&state.store, &caller, &urls, id).await?];
            $expand(&state.store, &caller, &urls, &mut found, &expand).await?;
            let [found] = found;
            Ok(Json(found))
        }
    };
}

macro_rules! get_handler {
    ($name:ident, $domain:path) => {
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            ApiPath(id): ApiPath<Uuid>,
        ) -> Result<impl IntoResponse, Problem> {
            Ok(Json($domain(&state.store, &caller, &urls(&state, &headers), id).await?))
        }
    };
}

macro_rules! create_handler {
    ($name:ident, $input:ty, $domain:path) => {
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            ApiJson(input): ApiJson<$input>,
        ) -> Result<impl IntoResponse, Problem> {
            let created = $domain(&state.store, &caller, &urls(&state, &headers), input).await?;
            Ok((StatusCode::CREATED, Json(created)))
        }
    };
}

/// PUT and PATCH of one resource: the same domain function, told whether the input is whole.
macro_rules! update_handlers {
    ($put:ident, $patch:ident, $input:ty, $domain:path) => {
        pub async fn $put(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            ApiPath(id): ApiPath<Uuid>,
            ApiJson(input): ApiJson<$input>,
        ) -> Result<impl IntoResponse, Problem> {
            Ok(Json($domain(&state.store, &caller, &urls(&state, &headers), id, input, true).await?))
        }

        pub async fn $patch(
            State(state): State<AppState>,
            caller: Caller,
            headers: HeaderMap,
            ApiPath(id): ApiPath<Uuid>,
            ApiJson(input): ApiJson<$input>,
        ) -> Result<impl IntoResponse, Problem> {
            Ok(Json($domain(&state.store, &caller, &urls(&state, &headers), id, input, false).await?))
        }
    };
}

macro_rules! delete_handler {
    ($name:ident, $domain:path) => {
        pub async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            ApiPath(id): ApiPath<Uuid>,
        ) -> Result<impl IntoResponse, Problem> {
            $domain(&state.store, &caller, id).await?;
            Ok(StatusCode::NO_CONTENT)
        }
    };
}

list_expanding_handler!(list_partijen, ki::parties::list, ki::expand::PARTIJ, ki::expand::partijen);
get_expanding_handler!(get_partij, ki::parties::get, ki::expand::PARTIJ, ki::expand::partijen);
create_handler!(create_partij, ki::parties::PartijIn, ki::parties::create);
update_handlers!(put_partij, patch_partij, ki::parties::PartijIn, ki::parties::update);
delete_handler!(delete_partij, ki::parties::delete);
list_handler!(list_identificatoren, ki::parties::list_identificatoren);
get_handler!(get_identificator, ki::parties::get_identificator);
create_handler!(create_identificator, ki::parties::PartijIdentificatorIn, ki::parties::create_identificator);
update_handlers!(
    put_identificator,
    patch_identificator,
    ki::parties::PartijIdentificatorIn,
    ki::parties::update_identificator
);
delete_handler!(delete_identificator, ki::parties::delete_identificator);
list_handler!(list_adressen, ki::parties::list_adressen);
get_handler!(get_adres, ki::parties::get_adres);
create_handler!(create_adres, ki::parties::DigitaalAdresIn, ki::parties::create_adres);
update_handlers!(put_adres, patch_adres, ki::parties::DigitaalAdresIn, ki::parties::update_adres);
delete_handler!(delete_adres, ki::parties::delete_adres);
list_expanding_handler!(list_klantcontacten, ki::contacts::list, ki::expand::KLANTCONTACT, ki::expand::klantcontacten);
get_expanding_handler!(get_klantcontact, ki::contacts::get, ki::expand::KLANTCONTACT, ki::expand::klantcontacten);
create_handler!(create_klantcontact, ki::contacts::KlantcontactIn, ki::contacts::create);
update_handlers!(put_klantcontact, patch_klantcontact, ki::contacts::KlantcontactIn, ki::contacts::update);
delete_handler!(delete_klantcontact, ki::contacts::delete);
list_expanding_handler!(
    list_betrokkenen,
    ki::contacts::list_betrokkenen,
    ki::expand::BETROKKENE,
    ki::expand::betrokkenen
);
get_expanding_handler!(get_betrokkene, ki::contacts::get_betrokkene, ki::expand::BETROKKENE, ki::expand::betrokkenen);
create_handler!(create_betrokkene, ki::contacts::BetrokkeneIn, ki::contacts::create_betrokkene);
update_handlers!(put_betrokkene, patch_betrokkene, ki::contacts::BetrokkeneIn, ki::contacts::update_betrokkene);
delete_handler!(delete_betrokkene, ki::contacts::delete_betrokkene);
list_handler!(list_onderwerpobjecten, ki::contacts::list_onderwerpobjecten);
get_handler!(get_onderwerpobject, ki::contacts::get_onderwerpobject);
create_handler!(create_onderwerpobject, ki::contacts::OnderwerpobjectIn, ki::contacts::create_onderwerpobject);
update_handlers!(
    put_onderwerpobject,
    patch_onderwerpobject,
    ki::contacts::OnderwerpobjectIn,
    ki::contacts::update_onderwerpobject
);
delete_handler!(delete_onderwerpobject, ki::contacts::delete_onderwerpobject);
list_handler!(list_taken, ki::tasks::list_taken);
get_handler!(get_taak, ki::tasks::get_taak);
create_handler!(create_taak, ki::tasks::InterneTaakIn, ki::tasks::create_taak);

update_handlers!(put_taak, patch_taak, ki::tasks::InterneTaakIn, ki::tasks::update_taak);
delete_handler!(delete_taak, ki::tasks::delete_taak);
list_handler!(list_actoren, ki::tasks::list_actoren);
get_handler!(get_actor, ki::tasks::get_actor);
create_handler!(create_actor, ki::tasks::ActorIn, ki::tasks::create_actor);
update_handlers!(put_actor, patch_actor, ki::tasks::ActorIn, ki::tasks::update_actor);
delete_handler!(delete_actor, ki::tasks::delete_actor);
create_handler!(maak_klantcontact, ki::contacts::MaakKlantcontactIn, ki::contacts::maak);
