//! Spawns the real app on port 0 with a fresh database per test: a SQLite file in a temporary
//! folder, or a new PostgreSQL database that is dropped when the test ends (even on panic).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use loket::app::Application;
use loket::auth::audit::Purpose;
use loket::auth::password::Password;
use loket::auth::users::{self, NewUser, Username};
use loket::auth::{Actor, Role, tokens};
use loket::config::Settings;
use loket::http::access::RouteSpec;
use loket::store::{Backend, Store};

pub const PASSWORD: &str = "een-goed-wachtwoord";

/// The PostgreSQL server the tests use (`LOKET_TEST_POSTGRES` overrides).
pub(crate) fn postgres_admin_url() -> String {
    std::env::var("LOKET_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

pub struct TestApp {
    pub address: String,
    pub backend: Backend,
    pub store: Store,
    pub search: std::sync::Arc<loket::search::Search>,
    pub routes: Vec<RouteSpec>,
    pub database_url: String,
    /// Kept so the folder lives as long as the app.
    _data_dir: tempfile::TempDir,
    /// Plain client: no cookies, no redirects followed.
    pub client: reqwest::Client,
    pg_database: Option<String>,
}

static NEXT_USER: AtomicU32 = AtomicU32::new(0);

pub(crate) async fn create_postgres_database() -> Option<(String, String)> {
    let admin_url = postgres_admin_url();
    let admin = match sqlx::PgPool::connect(&admin_url).await {
        Ok(pool) => pool,
        Err(e) if !in_ci() => {
            eprintln!("SKIPPED: PostgreSQL at {admin_url} is not reachable ({e}); set CI=true to make this a failure");
            return None;
        }
        Err(e) => panic!("PostgreSQL at {admin_url} is required under CI: {e}"),
    };
    let name = format!("loket_test_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.expect("create test database");
    admin.close().await;
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base).to_owned();
    Some((format!("{base}/{name}"), name))
}

impl TestApp {
    /// A running app on a fresh database; `None` only when PostgreSQL is missing outside CI.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// As [`TestApp::spawn`], with settings changed first (an SMTP server, say).
    pub async fn spawn_with(backend: Backend, change: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let (database_url, pg_database) = match backend {
            Backend::Sqlite => (format!("sqlite://{}", data_dir.path().join("loket.db").display()), None),
            Backend::Postgres => {
                let (url, name) = create_postgres_database().await?;
                (url, Some(name))
            }
        };
        let settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: data_dir.path().to_owned(),
            database_url: Some(database_url.clone()),
            db_max_connections: 5,
            max_body_bytes: 64 * 1024,
            ..Settings::default()
        };
        let mut settings = settings;
        change(&mut settings);
        let app = Application::build(settings).await.expect("the app starts");
        let address = format!("http://{}", app.address());
        let store = app.store().clone();
        let search = app.search().clone();
        let routes = app.routes().to_vec();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let app =
            TestApp { address, backend, store, search, routes, database_url, _data_dir: data_dir, client, pg_database };
        app.wait_for_search().await;
        Some(app)
    }

    /// A second loket process on the same database, with its own data folder and search index
    /// (the way to scale out). It does not drop the database when it ends; the first one does.
    pub async fn another_process(&self) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: data_dir.path().to_owned(),
            database_url: Some(self.database_url.clone()),
            db_max_connections: 5,
            max_body_bytes: 64 * 1024,
            ..Settings::default()
        };
        let app = Application::build(settings).await.expect("the second process starts");
        let other = TestApp {
            address: format!("http://{}", app.address()),
            backend: self.backend,
            store: app.store().clone(),
            search: app.search().clone(),
            routes: app.routes().to_vec(),
            database_url: self.database_url.clone(),
            _data_dir: data_dir,
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            pg_database: None,
        };
        tokio::spawn(app.run_until_stopped());
        other.wait_for_search().await;
        other
    }

    /// Waits until the search index has followed every change in the database so far (it
    /// follows on its own within a second; tests wait for it rather than sleep).
    pub async fn wait_for_search(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let mut conn = self.store.acquire().await.unwrap();
            let last = loket::store::search::last_seq(&mut conn).await.unwrap();
            drop(conn);
            let position = self.search.index().position().map_or(0, |p| p as i64);
            if self.search.is_ready() && position >= last {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "the search index did not catch up ({position} < {last})");
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A new user holding `roles`, with password [`PASSWORD`].
    pub async fn user(&self, roles: &[Role]) -> String {
        let n = NEXT_USER.fetch_add(1, Ordering::Relaxed);
        let username = format!("gebruiker{n}");
        let new = NewUser {
            username: Username::parse(&username).unwrap(),
            display_name: format!("Gebruiker {n}"),
            email: None,
            unit_id: None,
            phone: None,
            topics: String::new(),
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            password: Some(Password::parse(PASSWORD).unwrap()),
            kind: users::AccountKind::Medewerker,
        };
        users::create(&self.store, &Actor::system("test"), new).await.expect("create user");
        username
    }

    /// An API token for a new user holding `roles`.
    pub async fn token(&self, roles: &[Role]) -> String {
        let username = self.user(roles).await;
        self.token_for(&username).await
    }

    /// An API token for an existing user, made as the operator at the server would.
    pub async fn token_for(&self, username: &str) -> String {
        tokens::create(&self.store, &Actor::system("test"), &Username::parse(username).unwrap(), "test".into())
            .await
            .expect("create token")
            .token
    }

    /// A browser-like client logged in as `username`, with the session's CSRF token.
    pub async fn login(&self, username: &str) -> Browser {
        let browser = Browser::new(self);
        let response = browser.submit_login(username, PASSWORD).await;
        assert_eq!(response.status(), 303, "login as {username} redirects");
        let home = browser.client.get(self.url("/")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_in(&home).expect("a logged-in page carries the CSRF token");
        Browser { csrf, ..browser }
    }

    /// Users visible through the domain, for checks that must not go through HTTP.
    pub async fn usernames(&self) -> Vec<String> {
        users::list(&self.store, &Actor::system("test"), Purpose::UserAdministration)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(name) = self.pg_database.take() else { return };
        // Async work cannot run in Drop; a short-lived runtime on its own thread drops the database.
        let admin_url = postgres_admin_url();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async move {
                if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(&sql).execute(&admin).await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
}

/// The value of the first hidden `csrf_token` field in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// A cookie-keeping client, like a browser tab.
pub struct Browser {
    pub client: reqwest::Client,
    pub csrf: String,
    base: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        let client =
            reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, csrf: String::new(), base: app.address.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The HTML of the page at `path`, whatever its status.
    pub async fn page(&self, path: &str) -> String {
        self.client.get(self.url(path)).send().await.unwrap().text().await.unwrap()
    }

    /// Opens the login page (for its CSRF cookie and field) and submits the form.
    pub async fn submit_login(&self, username: &str, password: &str) -> reqwest::Response {
        let page = self.client.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_in(&page).expect("the login form carries a CSRF token");
        self.client
            .post(self.url("/login"))
            .form(&[("csrf_token", csrf.as_str()), ("username", username), ("password", password), ("terug", "/")])
            .send()
            .await
            .unwrap()
    }
}

/// Runs each listed test on SQLite and on PostgreSQL (skipped with a message when PostgreSQL is
/// missing outside CI; a failure under CI=true).
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::TestApp::spawn(loket::store::Backend::Sqlite).await.expect("SQLite is always there");
                    super::$name(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = $crate::helpers::TestApp::spawn(loket::store::Backend::Postgres).await {
                        super::$name(&app).await;
                    }
                }
            )*
        }
    };
}

/// PUT with a JSON body and a bearer token; the status and the JSON answer.
pub async fn put_json(app: &TestApp, token: &str, path: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let response = app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}
