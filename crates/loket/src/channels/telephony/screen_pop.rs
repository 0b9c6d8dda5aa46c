//! Screen pop: when an agent answers a call, their screen opens the desk with the customer the
//! call is from.
//!
//! Rules:
//! - The telephony platform names the agent by their Loket user name (the `agent` of the
//!   `answered` event); only that agent sees the call here, to anyone else it does not exist.
//! - The customer is found by the caller's number among the customers' phone numbers, and the
//!   lookup is logged like a search by phone number by that agent. One match opens that
//!   customer; several are offered to choose from (never picked by guess); none offers a new
//!   customer with the number filled in.
//! - The number is known only while the call is live (`events`): once the call has ended the
//!   desk still opens for it, without a customer. Housekeeping clears a number twelve hours
//!   after the call arrived, when the platform never said it ended.
//! - Watching for answered calls only reads the calls table, so an agent whose browser is
//!   connected to one server process sees a call that another process recorded.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::TelephonyError;
use crate::auth::Caller;
use crate::contacts::ContactsError;
use crate::contacts::digital_address::PhoneNumber;
use crate::contacts::parties::{self, Party, PartyLookup};
use crate::store::{self, Store};

/// A call the agent is talking in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InProgress {
    pub call: Uuid,
    pub answered_at: DateTime<Utc>,
}

/// The call `agent` (a user name) answered last and has not ended, if any.
pub async fn in_progress(store: &Store, agent: &str) -> Result<Option<InProgress>, TelephonyError> {
    let mut conn = store.acquire().await?;
    Ok(store::calls::in_progress_for(&mut conn, agent)
        .await?
        .map(|(call, answered_at)| InProgress { call, answered_at: super::instant(answered_at) }))
}

/// What the desk shows for an answered call.
#[derive(Debug, Clone)]
pub struct ScreenPop {
    pub call: Uuid,
    pub answered_at: DateTime<Utc>,
    /// The caller's number while the call is live; `None` when withheld or ended.
    pub number: Option<PhoneNumber>,
    /// The customers with that number (none, one, or several to choose from).
    pub parties: Vec<Party>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScreenPopError {
    #[error(transparent)]
    Telephony(#[from] TelephonyError),
    #[error(transparent)]
    Contacts(#[from] ContactsError),
}

/// The call `call` for the agent `caller` who answered it, with the customers its number finds.
pub async fn open(store: &Store, caller: &Caller, call: Uuid) -> Result<ScreenPop, ScreenPopError> {
    let row = {
        let mut conn = store.acquire().await.map_err(TelephonyError::from)?;
        store::calls::answered_by(&mut conn, call).await.map_err(TelephonyError::from)?
    };
    let Some((Some(agent), answered_at, number)) = row else {
        return Err(TelephonyError::NotFound.into());
    };
    if agent != caller.username {
        return Err(TelephonyError::NotFound.into());
    }
    // Stored numbers were parsed when the event came in; one that no longer parses is no number.
    let number = number.and_then(|n| PhoneNumber::parse(&n).ok());
    let parties = match &number {
        Some(n) => parties::find(store, caller, &PartyLookup::Phone(n.clone())).await?,
        None => Vec::new(),
    };
    Ok(ScreenPop { call, answered_at: super::instant(answered_at), number, parties })
}

/// How long a caller's number may outlive its call's arrival when the platform never said the
/// call ended.
pub const NUMBER_KEPT_AT_MOST: chrono::Duration = chrono::Duration::hours(12);

/// Housekeeping: clears the numbers of calls that arrived more than [`NUMBER_KEPT_AT_MOST`]
/// before `now`; returns how many.
pub async fn forget_old_numbers(store: &Store, now: DateTime<Utc>) -> Result<u64, TelephonyError> {
    let mut tx = store.begin().await?;
    let n = store::calls::clear_old_callers(&mut tx, (now - NUMBER_KEPT_AT_MOST).timestamp()).await?;
    tx.commit().await?;
    Ok(n)
}
