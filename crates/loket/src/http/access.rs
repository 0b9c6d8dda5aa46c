//! Access control for every route, in one place.
//!
//! Routes are added only through [`Routes`], which makes each one declare its [`Access`]; the
//! guard then resolves the caller (API token or session cookie), refuses what the caller may not
//! do, and checks the CSRF token of every state-changing request that rides on a cookie. A handler
//! that runs can rely on all of that, and the declared table is what the route × role test walks.

use std::net::{IpAddr, SocketAddr};

use axum::Router;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodFilter, on};
use axum_extra::extract::CookieJar;

use super::AppState;
use super::pages;
use super::problem::Problem;
use crate::auth::{Caller, Credential, Permission, secrets_match, sessions, tokens};

pub const SESSION_COOKIE: &str = "loket_session";
/// Double-submit token for forms shown before login (the login form itself).
pub const ANONYMOUS_CSRF_COOKIE: &str = "loket_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not: login, health, public pages, static files.
    Public,
    /// Any logged-in user or token.
    Authenticated,
    /// Callers holding this permission.
    Permission(Permission),
}

/// How a refusal is shown: a browser page redirects to login or shows a page, the API answers
/// with a problem document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    Page,
    Api,
}

/// One declared route.
#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub surface: Surface,
}

/// The router builder: the only way to add a route, so none can exist without an [`Access`].
pub struct Routes {
    state: AppState,
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
}

impl Routes {
    pub fn new(state: AppState) -> Routes {
        Routes { state, router: Router::new(), specs: Vec::new() }
    }

    pub fn add<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        surface: Surface,
        handler: H,
    ) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let spec = RouteSpec { method: method.clone(), path, access, surface };
        let filter = MethodFilter::try_from(method).expect("routes use standard methods");
        let guard_spec = spec.clone();
        let method_router = on(filter, handler).route_layer(middleware::from_fn_with_state(
            self.state.clone(),
            move |axum::extract::State(state): axum::extract::State<AppState>, req: Request, next: Next| {
                let spec = guard_spec.clone();
                async move { guard(state, spec, req, next).await }
            },
        ));
        self.router = self.router.route(path, method_router);
        self.specs.push(spec);
        self
    }

    pub fn page<H: Handler<T, AppState>, T: 'static>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Routes {
        self.add(method, path, access, Surface::Page, h)
    }

    pub fn api<H: Handler<T, AppState>, T: 'static>(
        self,
        method: Method,
        path: &'static str,
        access: Access,
        h: H,
    ) -> Routes {
        self.add(method, path, access, Surface::Api, h)
    }

    pub fn finish(self) -> (Router<AppState>, Vec<RouteSpec>) {
        (self.router, self.specs)
    }
}

/// The client's address: the connection's peer, unless that peer is a trusted reverse proxy, in
/// which case the right-most address in `X-Forwarded-For` that is not itself a trusted proxy
/// (addresses further left were written by the client and prove nothing).
pub fn client_ip(extensions: &axum::http::Extensions, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<String> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !trusted.contains(&peer) {
        return Some(peer.to_string());
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    let client = forwarded.into_iter().rev().find(|a| !trusted.contains(a)).unwrap_or(peer);
    Some(client.to_string())
}

enum Resolved {
    Anonymous,
    Caller(Box<Caller>),
    /// An `Authorization` header was sent but names no live token.
    BadToken,
}

/// Reads the API token (`Authorization: Bearer …` or `Token …`) or else the session cookie.
async fn resolve(state: &AppState, headers: &HeaderMap, ip: Option<String>) -> Result<Resolved, Problem> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().unwrap_or("");
        let token = value.split_once(' ').and_then(|(scheme, token)| {
            (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token")).then_some(token.trim())
        });
        return Ok(match token {
            Some(t) => tokens::resolve(&state.store, t, ip)
                .await?
                .map_or(Resolved::BadToken, |c| Resolved::Caller(Box::new(c))),
            None => Resolved::BadToken,
        });
    }
    let jar = CookieJar::from_headers(headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Some(caller) = sessions::resolve(&state.store, &state.settings.auth, cookie.value(), ip).await?
    {
        return Ok(Resolved::Caller(Box::new(caller)));
    }
    Ok(Resolved::Anonymous)
}

async fn guard(state: AppState, spec: RouteSpec, req: Request, next: Next) -> Response {
    let ip = client_ip(req.extensions(), req.headers(), &state.settings.trusted_proxies);
    let resolved = match resolve(&state, req.headers(), ip).await {
        Ok(r) => r,
        Err(p) => return p.into_response(),
    };
    let caller = match resolved {
        Resolved::Caller(c) => Some(*c),
        Resolved::Anonymous => None,
        Resolved::BadToken => {
            return Problem::unauthenticated("Het API-token is onbekend, ingetrokken of verkeerd opgemaakt.")
                .into_response();
        }
    };
    if spec.access != Access::Public {
        let Some(c) = &caller else {
            return match spec.surface {
                Surface::Api => Problem::unauthenticated("Log in of stuur een API-token mee.").into_response(),
                Surface::Page => login_redirect(&req),
            };
        };
        if let Access::Permission(p) = spec.access
            && !c.can(p)
        {
            return refuse(spec.surface, &req, "Uw rol geeft geen toegang tot deze functie.");
        }
    }
    let mut req = if is_state_changing(req.method()) {
        match check_csrf(&state, spec.surface, caller.as_ref(), req).await {
            Ok(req) => req,
            Err(response) => return response,
        }
    } else {
        req
    };
    let mut caller = caller;
    if let Some(c) = caller.as_mut()
        && spec.surface == Surface::Page
        && req.method() == Method::GET
        && c.can(Permission::ReadKnowledge)
    {
        // The menu shows how many werkberichten are unread; only pages need it.
        match crate::knowledge::notices::unread_count(&state.store, c).await {
            Ok(n) => c.unread_notices = Some(n),
            Err(e) => tracing::warn!(error = %e, "cannot count unread notices"),
        }
    }
    // A page handler's error is rendered here, where the reader's language and menu are known.
    let page_context = (spec.surface == Surface::Page).then(|| (req.headers().clone(), caller.clone()));
    if let Some(c) = caller {
        req.extensions_mut().insert(c);
    }
    let mut response = next.run(req).await;
    if let Some((headers, caller)) = page_context
        && let Some(pages::PageProblem(problem)) = response.extensions_mut().remove::<pages::PageProblem>()
    {
        response = pages::problem_page(&headers, caller.as_ref(), problem);
    }
    // What a logged-in user sees (personal data, a token shown once) must not linger in a cache.
    if spec.access != Access::Public {
        response.headers_mut().entry(header::CACHE_CONTROL).or_insert(axum::http::HeaderValue::from_static("no-store"));
    }
    response
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn refuse(surface: Surface, req: &Request, detail: &str) -> Response {
    match surface {
        Surface::Api => Problem::forbidden(detail).into_response(),
        Surface::Page => pages::error_page(req.headers(), StatusCode::FORBIDDEN, "error.forbidden", detail),
    }
}

fn login_redirect(req: &Request) -> Response {
    let back = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let query = serde_urlencoded::to_string([("terug", back)]).unwrap_or_default();
    Redirect::to(&format!("/login?{query}")).into_response()
}

/// Cookies travel with cross-site requests, so a state-changing request that rides on a cookie
/// must prove it came from one of our pages: the session's token (or, before login, the
/// double-submit cookie) in the `X-CSRF-Token` header or the form field `csrf_token`.
/// Token-authenticated and anonymous API calls carry no ambient credential and need no proof.
async fn check_csrf(
    state: &AppState,
    surface: Surface,
    caller: Option<&Caller>,
    req: Request,
) -> Result<Request, Response> {
    let expected = match caller.map(|c| &c.credential) {
        Some(Credential::Token { .. } | Credential::Command { .. }) => return Ok(req),
        Some(Credential::Session { csrf_token }) => Some(csrf_token.clone()),
        None if surface == Surface::Api => return Ok(req),
        None => CookieJar::from_headers(req.headers()).get(ANONYMOUS_CSRF_COOKIE).map(|c| c.value().to_owned()),
    };
    let header_token = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (req, supplied) = match header_token {
        Some(t) => (req, Some(t)),
        None => form_field(req, CSRF_FIELD, state.settings.max_body_bytes).await?,
    };
    match (expected, supplied) {
        (Some(e), Some(s)) if secrets_match(&e, &s) => Ok(req),
        _ => {
            Err(refuse(surface, &req, "Het formulier is verlopen of niet van Loket afkomstig. Laad de pagina opnieuw."))
        }
    }
}

/// Reads one field from a url-encoded or multipart form body and gives back a request with the
/// same body.
async fn form_field(req: Request, field: &str, limit: usize) -> Result<(Request, Option<String>), Response> {
    let content_type =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let multipart = content_type.starts_with("multipart/form-data");
    if !content_type.starts_with("application/x-www-form-urlencoded") && !multipart {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", "Verzoek te groot").into_response())?;
    let value = if multipart {
        multipart_field(&content_type, bytes.clone(), field).await
    } else {
        form_urlencoded_field(&bytes, field)
    };
    Ok((Request::from_parts(parts, axum::body::Body::from(bytes)), value))
}

/// A text field of a multipart form; `None` when the body is not readable multipart.
async fn multipart_field(content_type: &str, body: axum::body::Bytes, field: &str) -> Option<String> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(part)) = form.next_field().await {
        if part.name() == Some(field) {
            return part.text().await.ok();
        }
    }
    None
}

fn form_urlencoded_field(body: &[u8], field: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v)
}

/// The authenticated caller; only on routes that are not [`Access::Public`].
impl FromRequestParts<AppState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Problem> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| Problem::unauthenticated("Log in of stuur een API-token mee."))
    }
}

/// The client's address, when the server knows it.
pub struct ClientIp(pub Option<String>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(&parts.extensions, &parts.headers, &state.settings.trusted_proxies)))
    }
}

/// The caller if there is one, on any route (public pages that change when logged in).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        if let Some(c) = parts.extensions.get::<Caller>() {
            return Ok(MaybeCaller(Some(c.clone())));
        }
        let ip = client_ip(&parts.extensions, &parts.headers, &state.settings.trusted_proxies);
        Ok(MaybeCaller(match resolve(state, &parts.headers, ip).await? {
            Resolved::Caller(c) => Some(*c),
            _ => None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_field_is_read_from_a_form_body() {
        assert_eq!(form_urlencoded_field(b"a=1&csrf_token=abc%2Bd&b=2", "csrf_token").as_deref(), Some("abc+d"));
        assert_eq!(form_urlencoded_field(b"a=1", "csrf_token"), None);
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::new(proxy, 443)));
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        assert_eq!(
            client_ip(&extensions, &headers, &[]).as_deref(),
            Some("10.0.0.2"),
            "untrusted peer: header ignored"
        );
        assert_eq!(
            client_ip(&extensions, &headers, &[proxy]).as_deref(),
            Some("203.0.113.7"),
            "right-most, not the spoofable left"
        );
    }

    #[test]
    fn only_safe_methods_skip_the_csrf_check() {
        assert!(!is_state_changing(&Method::GET));
        for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(is_state_changing(&m));
        }
    }
}
