//! `expand`: related resources included in the answer under `_expand`, as the standard
//! describes for klantcontacten, betrokkenen and partijen (what KISS asks for to show a contact
//! with its people, their addresses and the tasks it led to in one request).
//!
//! Rules: only the relations the standard names for a resource are accepted (another is a 400
//! naming it); `a.b` includes `a`. What is included is read with the same rules and the same
//! audit entries as when it is asked for on its own: a party under geheimhouding shows no more
//! here than on `/partijen/{uuid}`, and every read of personal data is logged as that read is
//! (a party's read on the party, its betrokkenen as a read of its history).

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::contacts::{self, Betrokkene, Klantcontact};
use super::parties::{self, Partij};
use super::tasks;
use super::{Filters, Result, Urls};
use crate::auth::Caller;
use crate::store::{self, Store};
use crate::validation::FieldError;

/// The relations of a klantcontact that `expand` may name.
pub const KLANTCONTACT: &[&str] = &[
    "gingOverOnderwerpobjecten",
    "hadBetrokkenen",
    "hadBetrokkenen.digitaleAdressen",
    "hadBetrokkenen.wasPartij",
    "leiddeTotInterneTaken",
    "omvatteBijlagen",
];
/// The relations of a betrokkene that `expand` may name.
pub const BETROKKENE: &[&str] = &["digitaleAdressen"];
/// The relations of a partij that `expand` may name.
pub const PARTIJ: &[&str] = &["betrokkenen", "betrokkenen.hadKlantcontact", "categorieRelaties", "digitaleAdressen"];

/// The relations asked for.
#[derive(Debug, Clone, Default)]
pub struct Expand(BTreeSet<String>);

impl Expand {
    /// `expand=a,b.c` (once or repeated), checked against what the resource offers.
    pub fn parse(f: &Filters, offered: &[&str]) -> std::result::Result<Expand, FieldError> {
        let mut asked = BTreeSet::new();
        for (_, value) in f.0.iter().filter(|(k, _)| k == "expand") {
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if !offered.contains(&name) {
                    return Err(FieldError::new(
                        "expand",
                        "unknown_relation",
                        format!("'{name}' kan niet worden meegenomen; kies uit {}.", offered.join(", ")),
                    ));
                }
                // `a.b` needs `a` to hang under.
                if let Some((parent, _)) = name.split_once('.') {
                    asked.insert(parent.to_owned());
                }
                asked.insert(name.to_owned());
            }
        }
        Ok(Expand(asked))
    }

    fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What is asked below `parent` (`hadBetrokkenen.digitaleAdressen` → `digitaleAdressen`).
    fn below(&self, parent: &str) -> Expand {
        let prefix = format!("{parent}.");
        Expand(self.0.iter().filter_map(|n| n.strip_prefix(&prefix)).map(str::to_owned).collect())
    }
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Fills `_expand` of each klantcontact. Each relation is read once for the whole page (and
/// logged once), then handed to the contacts it belongs to.
pub async fn klantcontacten(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    list: &mut [Klantcontact],
    e: &Expand,
) -> Result<()> {
    if e.is_empty() {
        return Ok(());
    }
    let mut out: Vec<Map<String, Value>> = vec![Map::new(); list.len()];
    if e.has("hadBetrokkenen") {
        let ids: Vec<Uuid> = list.iter().flat_map(|k| k.had_betrokkenen.iter().map(|b| b.uuid)).collect();
        let mut found = contacts::betrokkenen(store, urls, &ids).await?;
        contacts::log_read(store, caller, "betrokkenen", &ids).await?;
        betrokkenen(store, caller, urls, &mut found, &e.below("hadBetrokkenen")).await?;
        for (k, out) in list.iter().zip(out.iter_mut()) {
            let mine: Vec<&Betrokkene> = found.iter().filter(|b| b.had_klantcontact.uuid == k.uuid).collect();
            out.insert("hadBetrokkenen".into(), json(&mine));
        }
    }
    if e.has("gingOverOnderwerpobjecten") {
        let ids: Vec<Uuid> = list.iter().flat_map(|k| k.ging_over_onderwerpobjecten.iter().map(|s| s.uuid)).collect();
        let mut rows = store::klantinteracties::subject_objects(&mut store.acquire().await?, &ids).await?;
        rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
        contacts::log_read(store, caller, "onderwerpobject", &ids).await?;
        for (k, out) in list.iter().zip(out.iter_mut()) {
            let mine: Vec<_> = rows
                .iter()
                .filter(|s| s.contact_id == Some(k.uuid))
                .map(|s| contacts::onderwerpobject(urls, s))
                .collect();
            out.insert("gingOverOnderwerpobjecten".into(), json(&mine));
        }
    }
    if e.has("leiddeTotInterneTaken") {
        let ids: Vec<Uuid> = list.iter().flat_map(|k| k.leidde_tot_interne_taken.iter().map(|t| t.uuid)).collect();
        let found = crate::work::tasks::many(&mut store.acquire().await?, &ids).await?;
        tasks::log_tasks(store, caller, &ids).await?;
        for (k, out) in list.iter().zip(out.iter_mut()) {
            let mine: Vec<_> = found
                .iter()
                .filter(|t| t.contact_id == Some(k.uuid))
                .filter_map(|t| tasks::interne_taak(urls, t))
                .collect();
            out.insert("leiddeTotInterneTaken".into(), json(&mine));
        }
    }
    if e.has("omvatteBijlagen") {
        // Loket keeps no attachments with a contact yet.
        for out in out.iter_mut() {
            out.insert("omvatteBijlagen".into(), Value::Array(Vec::new()));
        }
    }
    for (k, out) in list.iter_mut().zip(out) {
        k.expand = Some(out);
    }
    Ok(())
}

/// Fills `_expand` of each betrokkene: its party's digital addresses (read once for all), and
/// the party.
pub async fn betrokkenen(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    list: &mut [Betrokkene],
    e: &Expand,
) -> Result<()> {
    if e.is_empty() {
        return Ok(());
    }
    let party_ids: Vec<Uuid> = list.iter().filter_map(|b| b.was_partij.as_ref().map(|p| p.uuid)).collect();
    let addresses =
        if e.has("digitaleAdressen") { addresses(store, caller, urls, &party_ids).await? } else { Vec::new() };
    for b in list.iter_mut() {
        let mut out = Map::new();
        let party = b.was_partij.as_ref().map(|p| p.uuid);
        if e.has("digitaleAdressen") {
            let mine: Vec<&parties::DigitaalAdres> = addresses
                .iter()
                .filter(|a| party.is_some() && a.verstrekt_door_partij.as_ref().map(|p| p.uuid) == party)
                .collect();
            out.insert("digitaleAdressen".into(), json(&mine));
        }
        if e.has("wasPartij") {
            // As `GET /partijen/{uuid}` reads it: a read of that party in the audit log.
            let found = match party {
                Some(p) => match parties::get(store, caller, urls, p).await {
                    Ok(found) => Some(found),
                    Err(super::KlantinteractiesError::NotFound(_)) => None,
                    Err(super::KlantinteractiesError::Contacts(crate::contacts::ContactsError::PartyNotFound)) => None,
                    Err(e) => return Err(e),
                },
                None => None,
            };
            out.insert("wasPartij".into(), found.as_ref().map_or(Value::Null, json));
        }
        b.expand = Some(out);
    }
    Ok(())
}

/// The digital addresses of these parties, logged as one read of them.
async fn addresses(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    parties: &[Uuid],
) -> Result<Vec<parties::DigitaalAdres>> {
    if parties.is_empty() {
        return Ok(Vec::new());
    }
    let rows = store::parties::digital_addresses_of(&mut store.acquire().await?, parties).await?;
    parties::log_read(store, caller, "klantinteracties_digitaleadressen", parties).await?;
    Ok(rows.iter().filter_map(|r| parties::digitaal_adres(urls, r.party_id, r)).collect())
}

/// Fills `_expand` of each partij: its digital addresses, the betrokkenen it was (with their
/// contacts when asked), and its categories (Loket keeps none).
pub async fn partijen(store: &Store, caller: &Caller, urls: &Urls, list: &mut [Partij], e: &Expand) -> Result<()> {
    if e.is_empty() {
        return Ok(());
    }
    for p in list.iter_mut() {
        let mut out = Map::new();
        if e.has("digitaleAdressen") {
            out.insert("digitaleAdressen".into(), json(&addresses(store, caller, urls, &[p.uuid]).await?));
        }
        if e.has("betrokkenen") {
            let ids: Vec<Uuid> = p.betrokkenen.iter().map(|b| b.uuid).collect();
            let mut found = contacts::betrokkenen(store, urls, &ids).await?;
            // As `GET /betrokkenen?wasPartij__uuid=…`: a read of the party's history.
            contacts::log_read(store, caller, "betrokkenen", &ids).await?;
            contacts::log_party_history(store, caller, p.uuid, ids.len()).await?;
            if e.has("betrokkenen.hadKlantcontact") {
                for b in found.iter_mut() {
                    let id = b.had_klantcontact.uuid;
                    let contact = contacts::klantcontacten(store, caller, urls, &[id]).await?;
                    contacts::log_read(store, caller, "klantcontacten", &[id]).await?;
                    let mut expand = Map::new();
                    expand.insert("hadKlantcontact".into(), contact.first().map_or(Value::Null, json));
                    b.expand = Some(expand);
                }
            }
            out.insert("betrokkenen".into(), json(&found));
        }
        if e.has("categorieRelaties") {
            out.insert("categorieRelaties".into(), Value::Array(Vec::new()));
        }
        p.expand = Some(out);
    }
    Ok(())
}
