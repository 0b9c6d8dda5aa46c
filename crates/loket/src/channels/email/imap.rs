//! IMAP intake: each mailbox with an IMAP account is fetched by one Loket process at a time.
//!
//! Rules:
//! - A process claims a mailbox for two minutes and renews the claim while it works, so several
//!   processes on one PostgreSQL never fetch the same mailbox at once; a crashed process's claim
//!   runs out and another takes over.
//! - New mail is found by UID: Loket keeps the folder's UIDVALIDITY and the last UID it took in,
//!   and advances that position only after the mail is stored. A crash between the two fetches
//!   that mail again, and the intake, idempotent on Message-ID, adds nothing: no mail is lost or
//!   doubled. A changed UIDVALIDITY means the folder was rebuilt: everything is fetched again,
//!   and again only what is new is added.
//! - Mail is read with `BODY.PEEK[]`, so Loket leaves the flags as they were. What is in the
//!   folder when Loket reads it the first time becomes threads without receipts (it was there
//!   before Loket; a receipt days later would only confuse).
//! - Where the server offers IDLE Loket waits for news in IDLE (at most 20 seconds, then looks
//!   anyway); else it polls every 30 seconds. A changed account (address, password) is used from
//!   the next look on.
//! - A server that cannot be reached, refuses the login or breaks off is tried again after 5 s,
//!   10 s, 20 s … at most 5 minutes; the last result is kept on the mailbox (shown to the
//!   beheerder and in /metrics), and the rest of Loket keeps serving.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use uuid::Uuid;

use super::ImapUrl;
use crate::auth::audit::Actor;
use crate::auth::secrets::{self, SecretKey};
use crate::clock;
use crate::store::{self, Store};

/// How long a process holds a mailbox without renewing.
const CLAIM_FOR: chrono::Duration = chrono::Duration::minutes(2);
/// How long one wait in IDLE lasts before looking anyway, renewing the claim and noticing a
/// changed account.
const IDLE_FOR: Duration = Duration::from_secs(20);
/// How often a server without IDLE is asked.
const POLL_EVERY: Duration = Duration::from_secs(30);
/// Backoff after a failure: from 5 s, doubling, to at most 5 minutes.
const FIRST_RETRY: Duration = Duration::from_secs(5);
const LAST_RETRY: Duration = Duration::from_secs(300);
/// How often the list of mailboxes is read again (a new mailbox, or one whose process went
/// away, is picked up within this).
const LOOK_EVERY: Duration = Duration::from_secs(5);
/// How long connecting and logging in may take.
const CONNECT_WITHIN: Duration = Duration::from_secs(30);
/// How long one IMAP command may take (a half-open connection must not hang the intake).
const COMMAND_WITHIN: Duration = Duration::from_secs(120);
/// Renew the claim after this many mails of one fetch.
const RENEW_EVERY: usize = 25;

/// Something an IMAP client can talk over: plain TCP or TLS.
trait Transport: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + std::fmt::Debug> Transport for T {}
type Session = async_imap::Session<Box<dyn Transport>>;

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("kan {0} niet bereiken: {1}")]
    Connect(String, String),
    #[error("inloggen geweigerd: {0}")]
    Login(String),
    #[error("het wachtwoord kan niet worden geopend: {0}")]
    Secret(#[from] secrets::SecretError),
    #[error("IMAP: {0}")]
    Protocol(String),
    #[error("database: {0}")]
    Store(#[from] store::StoreError),
    #[error("geen reactie binnen {0} s")]
    Timeout(u64),
    #[error("een ander proces haalt deze mailbox nu op")]
    ClaimLost,
}

/// A command with [`COMMAND_WITHIN`] as its limit.
async fn within<T>(
    command: impl std::future::Future<Output = Result<T, async_imap::error::Error>>,
) -> Result<T, ImapError> {
    match tokio::time::timeout(COMMAND_WITHIN, command).await {
        Ok(result) => Ok(result?),
        Err(_) => Err(ImapError::Timeout(COMMAND_WITHIN.as_secs())),
    }
}

impl From<async_imap::error::Error> for ImapError {
    fn from(e: async_imap::error::Error) -> Self {
        ImapError::Protocol(e.to_string())
    }
}

/// Starts the intake: one task that looks for mailboxes to fetch and one task per mailbox this
/// process holds. Ends when `stopping` turns true.
pub fn spawn(
    store: Store,
    key: Option<SecretKey>,
    stopping: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let token = Uuid::now_v7();
        let key = Arc::new(key);
        let mut watching: std::collections::HashMap<String, tokio::task::JoinHandle<()>> = Default::default();
        loop {
            if *stopping.borrow() {
                break;
            }
            watching.retain(|_, task| !task.is_finished());
            match imap_mailboxes(&store).await {
                Ok(addresses) => {
                    for address in addresses {
                        if watching.contains_key(&address) {
                            continue;
                        }
                        let now = clock::now();
                        let mut conn = match store.acquire().await {
                            Ok(c) => c,
                            Err(_) => break,
                        };
                        if let Ok(true) =
                            store::email::claim_mailbox(&mut conn, &address, token, now, now + CLAIM_FOR).await
                        {
                            let task = tokio::spawn(watch(
                                store.clone(),
                                key.clone(),
                                address.clone(),
                                token,
                                stopping.clone(),
                            ));
                            watching.insert(address, task);
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "mailboxen konden niet worden gelezen"),
            }
            let mut stop = stopping.clone();
            tokio::select! {
                _ = tokio::time::sleep(LOOK_EVERY) => {}
                _ = stop.changed() => {}
            }
        }
        for (_, task) in watching {
            task.abort();
        }
    })
}

async fn imap_mailboxes(store: &Store) -> Result<Vec<String>, store::StoreError> {
    let mut conn = store.acquire().await?;
    Ok(store::email::mailboxes(&mut conn)
        .await?
        .into_iter()
        .filter(|m| !m.imap_url.is_empty())
        .map(|m| m.address)
        .collect())
}

/// Keeps one mailbox fetched while this process holds its claim.
async fn watch(
    store: Store,
    key: Arc<Option<SecretKey>>,
    address: String,
    token: Uuid,
    mut stopping: tokio::sync::watch::Receiver<bool>,
) {
    let mut retry = FIRST_RETRY;
    loop {
        let result = fetch_while_held(&store, key.as_ref().as_ref(), &address, token, &mut stopping).await;
        if *stopping.borrow() {
            break;
        }
        let status = match &result {
            Ok(Held::Lost) => break,
            Ok(Held::Removed) => break,
            Ok(Held::Stopped) | Err(ImapError::ClaimLost) => break,
            Ok(Held::Changed) => {
                retry = FIRST_RETRY;
                continue;
            }
            Err(e) => {
                tracing::warn!(mailbox = %address, error = %e, retry_s = retry.as_secs(), "IMAP-ophalen mislukt");
                e.to_string()
            }
        };
        if let Ok(mut conn) = store.acquire().await {
            let _ = store::email::set_imap_status(&mut conn, &address, &status, clock::now()).await;
        }
        tokio::select! {
            _ = tokio::time::sleep(retry) => {}
            _ = stopping.changed() => break,
        }
        retry = (retry * 2).min(LAST_RETRY);
        // Renew the claim while waiting to retry; another process takes over when this one cannot.
        let renewed = match store.acquire().await {
            Ok(mut conn) => {
                let now = clock::now();
                store::email::claim_mailbox(&mut conn, &address, token, now, now + CLAIM_FOR).await.unwrap_or(false)
            }
            Err(_) => false,
        };
        if !renewed {
            break;
        }
    }
    if let Ok(mut conn) = store.acquire().await {
        let _ = store::email::release_mailbox(&mut conn, &address, token).await;
    }
}

/// Why a fetch loop ended without an error.
enum Held {
    /// Another process holds the mailbox now.
    Lost,
    /// The mailbox has no IMAP account any more.
    Removed,
    /// Loket is stopping.
    Stopped,
    /// The beheerder changed the account: connect again at once.
    Changed,
}

/// Connects, then fetches new mail and waits for more, for as long as the claim holds.
async fn fetch_while_held(
    store: &Store,
    key: Option<&SecretKey>,
    address: &str,
    token: Uuid,
    stopping: &mut tokio::sync::watch::Receiver<bool>,
) -> Result<Held, ImapError> {
    let mailbox = {
        let mut conn = store.acquire().await?;
        match store::email::mailbox(&mut conn, address).await? {
            Some(m) if !m.imap_url.is_empty() => m,
            _ => return Ok(Held::Removed),
        }
    };
    let url = ImapUrl::parse(&mailbox.imap_url).map_err(|e| ImapError::Protocol(e.message))?;
    let password = secrets::open(key, &mailbox.imap_secret)?;
    let mut session = tokio::time::timeout(CONNECT_WITHIN, connect(&url, &password))
        .await
        .map_err(|_| ImapError::Timeout(CONNECT_WITHIN.as_secs()))??;
    let idle = within(session.capabilities()).await?.has_str("IDLE");
    let actor = Actor::system(&format!("IMAP {address}"));
    loop {
        let selected = within(session.select(&url.folder)).await?;
        fetch_new(store, &mut session, &actor, address, token, selected.uid_validity).await?;
        if *stopping.borrow() {
            let _ = session.logout().await;
            return Ok(Held::Stopped);
        }
        {
            let mut conn = store.acquire().await?;
            let now = clock::now();
            store::email::set_imap_status(&mut conn, address, "", now).await?;
            if !store::email::claim_mailbox(&mut conn, address, token, now, now + CLAIM_FOR).await? {
                let _ = session.logout().await;
                return Ok(Held::Lost);
            }
            match store::email::mailbox(&mut conn, address).await? {
                Some(m) if m.imap_url == mailbox.imap_url && m.imap_secret == mailbox.imap_secret => {}
                Some(m) if !m.imap_url.is_empty() => {
                    let _ = session.logout().await;
                    return Ok(Held::Changed);
                }
                _ => {
                    let _ = session.logout().await;
                    return Ok(Held::Removed);
                }
            }
        }
        if idle {
            let mut handle = session.idle();
            within(handle.init()).await?;
            let (wait, interrupt) = handle.wait_with_timeout(IDLE_FOR);
            tokio::select! {
                result = wait => { result?; }
                _ = stopping.changed() => { drop(interrupt); }
            }
            session = within(handle.done()).await?;
        } else {
            tokio::select! {
                _ = tokio::time::sleep(POLL_EVERY) => {}
                _ = stopping.changed() => {}
            }
        }
    }
}

async fn connect(url: &ImapUrl, password: &str) -> Result<Session, ImapError> {
    let server = format!("{}:{}", url.host, url.port);
    let tcp =
        tokio::net::TcpStream::connect(&server).await.map_err(|e| ImapError::Connect(server.clone(), e.to_string()))?;
    let stream: Box<dyn Transport> = if url.tls {
        let mut roots = tokio_rustls::rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(Arc::new(
            tokio_rustls::rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| ImapError::Connect(server.clone(), e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(url.host.clone())
            .map_err(|e| ImapError::Connect(server.clone(), e.to_string()))?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .map_err(|e| ImapError::Connect(server.clone(), e.to_string()))?;
        Box::new(tls)
    } else {
        Box::new(tcp)
    };
    let mut client = async_imap::Client::new(stream);
    client
        .read_response()
        .await
        .map_err(|e| ImapError::Connect(server.clone(), e.to_string()))?
        .ok_or_else(|| ImapError::Connect(server.clone(), "de server sloot de verbinding".into()))?;
    client.login(&url.user, password).await.map_err(|(e, _)| ImapError::Login(e.to_string()))
}

/// Takes in every mail after the last UID taken in; answers how many were read.
async fn fetch_new(
    store: &Store,
    session: &mut Session,
    actor: &Actor,
    address: &str,
    token: Uuid,
    uid_validity: Option<u32>,
) -> Result<usize, ImapError> {
    let (known_validity, last_uid) = {
        let mut conn = store.acquire().await?;
        store::email::imap_position(&mut conn, address).await?
    };
    let validity = uid_validity.map(i64::from);
    // The same folder as before (also when the server names no UIDVALIDITY at all): on from the
    // last UID taken in; else from the start.
    let from = match last_uid {
        Some(last) if known_validity == validity => last + 1,
        _ => 1,
    };
    // The folder as it was before Loket first read it: threads, but no receipts for old mail.
    let first_read = last_uid.is_none();
    let mut uids: Vec<u32> = within(session.uid_search(format!("UID {from}:*"))).await?.into_iter().collect();
    // "n:*" also answers the last message when there is none above n.
    uids.retain(|u| i64::from(*u) >= from);
    uids.sort_unstable();
    let mut taken = 0;
    for uid in uids {
        let raw = within(async {
            let mut fetches = session.uid_fetch(uid.to_string(), "(UID BODY.PEEK[])").await?;
            let mut body = None;
            while let Some(fetch) = fetches.next().await {
                let fetch = fetch?;
                if fetch.uid == Some(uid) {
                    body = fetch.body().map(<[u8]>::to_vec);
                }
            }
            Ok(body)
        })
        .await?;
        // A mail the server does not hand over is tried again on the next round (and the
        // mailbox says so), never skipped.
        let raw = raw.ok_or_else(|| ImapError::Protocol(format!("bericht {uid} kwam zonder inhoud")))?;
        match super::receive_as(store, actor, address, &raw, first_read).await {
            Ok(_) => taken += 1,
            Err(e) => return Err(ImapError::Protocol(format!("bericht {uid} niet opgeslagen: {e}"))),
        }
        let mut conn = store.acquire().await?;
        if !store::email::set_imap_position(&mut conn, address, token, validity, i64::from(uid)).await? {
            return Err(ImapError::ClaimLost);
        }
        if taken % RENEW_EVERY == 0 {
            let now = clock::now();
            if !store::email::claim_mailbox(&mut conn, address, token, now, now + CLAIM_FOR).await? {
                return Err(ImapError::ClaimLost);
            }
        }
    }
    if taken == 0 && known_validity != validity {
        // A new (or first seen) UIDVALIDITY without mail: remember it, from the start.
        let mut conn = store.acquire().await?;
        if !store::email::set_imap_position(&mut conn, address, token, validity, 0).await? {
            return Err(ImapError::ClaimLost);
        }
    }
    Ok(taken)
}
