//! Background work, written as single steps that a loop repeats, so a test can drive one step.
//!
//! Rules: a job only tidies or derives; it never holds state of its own that is not in the
//! database, so any process sharing the database may run it and a crash loses nothing.

use std::time::Duration;

use crate::auth::sessions::{self, AuthPolicy};
use crate::store::Store;

/// One housekeeping step: deletes ended sessions and login failures that no longer count,
/// clears what erasures left in the database files, deletes mail older than a week and contact
/// drafts nobody saved for a week, and forgets callers' numbers of calls that never ended.
pub async fn housekeeping_step(store: &Store, policy: &AuthPolicy) {
    match sessions::purge_expired(store, policy).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(sessions = n, "verlopen sessies opgeruimd"),
        Err(e) => tracing::warn!(error = %e, "opruimen van sessies mislukt"),
    }
    match crate::customer::privacy::scrub_step(store).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(erasures = n, "gewiste gegevens uit de databasebestanden verwijderd"),
        Err(e) => {
            tracing::warn!(error = %e, "opschonen na verwijdering mislukt; de volgende ronde probeert het opnieuw")
        }
    }
    match crate::mail::purge_step(store, crate::clock::now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(mails = n, "oude e-mail uit de wachtrij opgeruimd"),
        Err(e) => tracing::warn!(error = %e, "opruimen van e-mail mislukt"),
    }
    match crate::contacts::drafts::purge_step(store, crate::clock::now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(drafts = n, "verlaten concepten opgeruimd"),
        Err(e) => tracing::warn!(error = %e, "opruimen van concepten mislukt"),
    }
    match crate::channels::telephony::screen_pop::forget_old_numbers(store, crate::clock::now()).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(calls = n, "nummers van bellers zonder einde van het gesprek gewist"),
        Err(e) => tracing::warn!(error = %e, "wissen van oude nummers van bellers mislukt"),
    }
}

/// Delivers the outbox every 30 seconds until aborted.
pub fn spawn_mail(store: Store, sender: crate::mail::Smtp, public_url: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Every two seconds: a citizen's receipt should leave within five (one indexed query
        // when there is nothing to send).
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        loop {
            tick.tick().await;
            match crate::mail::deliver_step(&store, &sender, &public_url).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "e-mail verstuurd"),
                Err(e) => tracing::warn!(error = %e, "e-mail versturen mislukt"),
            }
        }
    })
}

/// Runs housekeeping every ten minutes until aborted.
pub fn spawn(store: Store, policy: AuthPolicy) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            housekeeping_step(&store, &policy).await;
        }
    })
}
