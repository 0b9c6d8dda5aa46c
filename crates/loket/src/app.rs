//! Building and running the server: connect and migrate the store, open the search index, bind
//! the listener (port 0 works, for tests), serve until SIGINT/SIGTERM, then finish open requests.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::http::{self, AppState, access::RouteSpec};
use crate::jobs;
use crate::search::{self, Search};
use crate::store::Store;

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    routes: Vec<RouteSpec>,
    state: AppState,
    opened: loket_search::Opened,
    stop: tokio::sync::watch::Sender<bool>,
}

impl Application {
    /// Connects to the configured database, migrates it, opens the search index and binds the
    /// listen address.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let store = open_store(&settings).await?;
        Application::with_store(settings, store).await
    }

    pub async fn with_store(settings: Settings, store: Store) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?;
        let search_dir = settings.search_dir();
        let (search, opened) = Search::open(&search_dir, settings.dictionary.as_deref())
            .with_context(|| format!("cannot open the search index in {}", search_dir.display()))?;
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let state = AppState {
            store,
            settings: Arc::new(settings),
            metrics: http::metrics::Metrics::new(),
            search: Arc::new(search),
            stopping,
            branding: Default::default(),
        };
        let (router, routes) = http::router(state.clone());
        Ok(Application { listener, router, routes, state, opened, stop })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Every declared route with its access rule (for the route × role test and the docs).
    pub fn routes(&self) -> &[RouteSpec] {
        &self.routes
    }

    pub fn store(&self) -> &Store {
        &self.state.store
    }

    pub fn search(&self) -> &Arc<Search> {
        &self.state.search
    }

    /// Serves until SIGINT or SIGTERM; then stops accepting, lets running requests finish and
    /// closes the database. The search index follows the database meanwhile (and is rebuilt
    /// first when it is missing or unreadable).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let housekeeping = jobs::spawn(self.state.store.clone(), self.state.settings.auth.clone());
        let settings = &self.state.settings;
        let mail = match &settings.smtp_url {
            Some(url) => {
                let sender = crate::mail::Smtp::new(url, &settings.mail_from)?;
                let public = settings.public_url.clone().unwrap_or_else(|| format!("http://{}", settings.listen));
                Some(jobs::spawn_mail(self.state.store.clone(), sender, public))
            }
            None => {
                tracing::info!("geen SMTP-server ingesteld (--smtp-url): meldingen per e-mail blijven in de wachtrij");
                None
            }
        };
        let imap = crate::channels::email::imap::spawn(
            self.state.store.clone(),
            settings.secret_key.clone(),
            self.state.stopping.clone(),
        );
        let follower = search::follow::spawn(self.state.store.clone(), self.state.search.clone(), self.opened);
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let stop = self.stop;
        let signal = async move {
            shutdown_signal().await;
            let _ = stop.send(true);
        };
        axum::serve(self.listener, service).with_graceful_shutdown(signal).await?;
        housekeeping.abort();
        if let Some(mail) = mail {
            mail.abort();
        }
        follower.abort();
        imap.abort();
        search::follow::flush_log(&self.state.store, &self.state.search).await;
        self.state.store.close().await;
        tracing::info!("Loket is gestopt");
        Ok(())
    }
}

/// Connects and migrates.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let url = settings.database_url();
    let store = Store::connect(&url, settings.db_max_connections).await?;
    store.migrate().await.context("database migration failed")?;
    Ok(store)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopsignaal ontvangen; lopende verzoeken worden afgemaakt");
}
