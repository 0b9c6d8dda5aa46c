//! SQL for parties (partijen), their identifiers and digital addresses.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyRow {
    pub id: Uuid,
    pub kind: String,
    pub given_name: String,
    pub surname_prefix: String,
    pub surname: String,
    pub organisation_name: String,
    pub display_name: String,
    pub name_key: String,
    pub confidential: bool,
    pub street: String,
    pub house_number: Option<i32>,
    pub house_letter: String,
    pub house_number_addition: String,
    pub postcode: Option<String>,
    pub city: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentifierRow {
    pub id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub value: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigitalAddressRow {
    pub id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub value: String,
    pub lookup: String,
    pub description: String,
    pub preferred: bool,
    pub created_at: DateTime<Utc>,
}

pub(crate) const PARTY_COLUMNS: &str = "id, kind, given_name, surname_prefix, surname, organisation_name, display_name, name_key, \
     confidential, street, house_number, house_letter, house_number_addition, postcode, city, created_at, updated_at";

/// The consonant skeleton of a folded name ("henk kramer" → "hnk krmr"): vowels (and y) left out,
/// then each doubled consonant made single, in this order. A name typed with a wrong or missing
/// vowel, or with one letter where the name has two, has the same skeleton. Migration 0022 fills
/// the existing rows with the same steps in SQL; the two must stay equal.
pub fn name_skeleton(name_key: &str) -> String {
    let mut s: String = name_key.chars().filter(|c| !"aeiouy".contains(*c)).collect();
    for c in "bcdfghjklmnpqrstvwxz".chars() {
        s = s.replace(&format!("{c}{c}"), &c.to_string());
    }
    s
}

/// The words a name is found by (migration 0024): each word of the folded name (split at every
/// character that is not a letter, digit or apostrophe) and each word's skeleton marked with
/// `~`. A typed word finds a name when it is the start of one of these.
pub fn name_words(name_key: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in name_key.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()) {
        words.push(w.to_owned());
        let skeleton = name_skeleton(w);
        if !skeleton.is_empty() {
            words.push(format!("~{skeleton}"));
        }
    }
    words.sort();
    words.dedup();
    words
}

/// The end of the range of words that start with `prefix` (bytewise order on both backends).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// Writes the name words of parties (after their rows; an update first removes the old ones).
async fn insert_name_words(ex: &mut impl Executor, parties: &[(Uuid, &str)]) -> StoreResult<()> {
    let rows: Vec<(String, &str, Uuid)> =
        parties.iter().flat_map(|(id, key)| name_words(key).into_iter().map(move |w| (w, *key, *id))).collect();
    for chunk in rows.chunks(1_000) {
        on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new("INSERT INTO party_name_words (word, name_key, party_id) ");
            b.push_values(chunk, |mut v, (w, key, id)| {
                v.push_bind(w.clone()).push_bind(key.to_string()).push_bind(*id);
            });
            b.push(" ON CONFLICT DO NOTHING");
            b.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// Fills the name words of parties written before migration 0024, once: `progress` is told how
/// many parties are done. Several processes may run it at once; the words are the same.
pub async fn backfill_name_words(store: &super::Store, mut progress: impl FnMut(u64)) -> StoreResult<bool> {
    // A connection is held only for each read, never while a write transaction waits for one
    // (a pool of one connection must not deadlock).
    let pending: Option<String> = {
        let mut conn = store.acquire().await?;
        let ex = &mut conn;
        on_backend!(ex, c => sqlx::query_scalar("SELECT name FROM store_backfills WHERE name = 'party_name_words'")
            .fetch_optional(c).await)?
    };
    if pending.is_none() {
        return Ok(false);
    }
    let mut after = Uuid::nil();
    let mut done = 0u64;
    loop {
        // Read inside the write transaction: a name changed meanwhile is read as it now is.
        let mut tx = store.begin().await?;
        let ex = &mut tx;
        let batch: Vec<(Uuid, String)> = on_backend!(ex, c => sqlx::query_as(
            "SELECT id, name_key FROM parties WHERE id > $1 ORDER BY id LIMIT 5000",
        ).bind(after).fetch_all(c).await)?;
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        let parties: Vec<(Uuid, &str)> = batch.iter().map(|(id, key)| (*id, key.as_str())).collect();
        insert_name_words(&mut tx, &parties).await?;
        tx.commit().await?;
        done += batch.len() as u64;
        progress(done);
    }
    let mut tx = store.begin().await?;
    let ex = &mut tx;
    on_backend!(ex, c => sqlx::query("DELETE FROM store_backfills WHERE name = 'party_name_words'")
        .execute(c).await.map(|_| ()))?;
    tx.commit().await?;
    Ok(true)
}

pub async fn insert_party(ex: &mut impl Executor, p: &PartyRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO parties ({PARTY_COLUMNS}, name_skeleton) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(p.id)
        .bind(&p.kind)
        .bind(&p.given_name)
        .bind(&p.surname_prefix)
        .bind(&p.surname)
        .bind(&p.organisation_name)
        .bind(&p.display_name)
        .bind(&p.name_key)
        .bind(p.confidential)
        .bind(&p.street)
        .bind(p.house_number)
        .bind(&p.house_letter)
        .bind(&p.house_number_addition)
        .bind(&p.postcode)
        .bind(&p.city)
        .bind(p.created_at)
        .bind(p.updated_at)
        .bind(name_skeleton(&p.name_key))
        .execute(c)
        .await
        .map(|_| ()))?;
    insert_name_words(ex, &[(p.id, &p.name_key)]).await
}

pub async fn insert_identifier(ex: &mut impl Executor, i: &IdentifierRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO party_identifiers (id, party_id, kind, value, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(i.id)
    .bind(i.party_id)
    .bind(&i.kind)
    .bind(&i.value)
    .bind(i.created_at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn insert_digital_address(ex: &mut impl Executor, d: &DigitalAddressRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO digital_addresses (id, party_id, kind, value, lookup, description, preferred, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(d.id)
    .bind(d.party_id)
    .bind(&d.kind)
    .bind(&d.value)
    .bind(&d.lookup)
    .bind(&d.description)
    .bind(d.preferred)
    .bind(d.created_at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Makes `preferred` the one preferred address of its party.
pub async fn prefer_digital_address(ex: &mut impl Executor, party_id: Uuid, preferred: Uuid) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE digital_addresses SET preferred = (id = $2) WHERE party_id = $1")
        .bind(party_id)
        .bind(preferred)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Takes the party's row lock, so two writers adding addresses do not interleave.
pub async fn touch_party(ex: &mut impl Executor, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query("UPDATE parties SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn find_party(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<PartyRow>> {
    let sql = format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// The party holding an identifier of `kind` with `value`.
pub async fn party_by_identifier(ex: &mut impl Executor, kind: &str, value: &str) -> StoreResult<Option<Uuid>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "SELECT party_id FROM party_identifiers WHERE kind = $1 AND value = $2",
    )
    .bind(kind)
    .bind(value)
    .fetch_optional(c)
    .await)?)
}

/// Parties with a digital address whose lookup form is `lookup`, newest first.
pub async fn parties_by_digital_address(
    ex: &mut impl Executor,
    lookup: &str,
    limit: i64,
) -> StoreResult<Vec<PartyRow>> {
    let sql = format!(
        "SELECT {PARTY_COLUMNS} FROM parties WHERE id IN (SELECT party_id FROM digital_addresses WHERE lookup = $1)
         ORDER BY created_at DESC LIMIT $2"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(lookup).bind(limit).fetch_all(c).await)?)
}

/// Parties at a postcode (and house number, when given).
pub async fn parties_by_address(
    ex: &mut impl Executor,
    postcode: &str,
    house_number: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<PartyRow>> {
    let sql = format!(
        "SELECT {PARTY_COLUMNS} FROM parties WHERE postcode = $1 AND ($2 IS NULL OR house_number = $2)
         ORDER BY house_number, name_key, id LIMIT $3"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(postcode).bind(house_number).bind(limit).fetch_all(c).await)?)
}

/// Dutch name particles (tussenvoegsels): in a quarter of all names, so a search never starts
/// from them, it only checks them.
const PARTICLES: [&str; 16] =
    ["van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "op", "in", "'s", "aan", "bij", "uit", "von"];

/// Parties with a name word starting with each of `prefixes` (words of [`name_words`]: a folded
/// word, or `~` and a skeleton), by name, at most `limit`. The two longest prefixes that are
/// not particles drive the search (an intersection of two index ranges, some 25,000 entries
/// each for a common name at a million customers); the others are checked in the hits' names.
/// Counting
/// each range first to pick the smallest cost more than it saved (15-20 ms a word).
pub async fn parties_by_name_words(
    ex: &mut impl Executor,
    prefixes: &[String],
    limit: i64,
) -> StoreResult<Vec<PartyRow>> {
    if prefixes.is_empty() {
        return Ok(Vec::new());
    }
    // Longest first; of equal length the later word (the surname comes last).
    let mut order: Vec<(usize, &String)> = prefixes.iter().enumerate().collect();
    order.sort_by_key(|(i, p)| {
        (PARTICLES.contains(&p.as_str()), std::cmp::Reverse(p.chars().count()), std::cmp::Reverse(*i))
    });
    let ranked: Vec<&String> = order.into_iter().map(|(_, p)| p).collect();
    // A particle drives only when there is nothing else.
    let drivers = if ranked.len() > 1 && PARTICLES.contains(&ranked[1].as_str()) { 1 } else { ranked.len().min(2) };
    let (driving, checked) = ranked.split_at(drivers);
    on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!(
            "SELECT {PARTY_COLUMNS} FROM parties JOIN (SELECT h.party_id AS hit_id, h.name_key AS hit_key FROM ("
        ));
        for (i, p) in driving.iter().enumerate() {
            if i > 0 {
                b.push(" INTERSECT ");
            }
            b.push("SELECT DISTINCT party_id, name_key FROM party_name_words WHERE word >= ");
            b.push_bind((*p).to_owned());
            b.push(" AND word < ");
            b.push_bind(prefix_end(p));
        }
        b.push(") h WHERE 1 = 1");
        for p in checked {
            match p.strip_prefix('~') {
                // A skeleton is only in the words table.
                Some(_) => {
                    b.push(" AND EXISTS (SELECT 1 FROM party_name_words f WHERE f.party_id = h.party_id AND f.word >= ");
                    b.push_bind((*p).to_owned());
                    b.push(" AND f.word < ");
                    b.push_bind(prefix_end(p));
                    b.push(")");
                }
                // A word is checked in the name the hit carries, without another lookup (on
                // PostgreSQL a lookup per particle became a scan of all its words). Words hold no
                // LIKE wildcards: they are split at every character that is not a letter or digit.
                None => {
                    b.push(" AND h.name_key LIKE ");
                    b.push_bind(format!("%{p}%"));
                }
            }
        }
        b.push(" ORDER BY h.name_key, h.party_id LIMIT ");
        b.push_bind(limit);
        b.push(") top ON top.hit_id = parties.id ORDER BY top.hit_key, parties.id");
        Ok(b.build_query_as().fetch_all(&mut *c).await?)
    })
}

pub async fn parties(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<PartyRow>> {
    super::fetch_by_ids(ex, &format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id IN ("), ids, "").await
}

pub async fn identifiers_of(ex: &mut impl Executor, party_ids: &[Uuid]) -> StoreResult<Vec<IdentifierRow>> {
    let select = "SELECT id, party_id, kind, value, created_at FROM party_identifiers WHERE party_id IN (";
    super::fetch_by_ids(ex, select, party_ids, "ORDER BY created_at, id").await
}

pub async fn digital_addresses_of(ex: &mut impl Executor, party_ids: &[Uuid]) -> StoreResult<Vec<DigitalAddressRow>> {
    let select = "SELECT id, party_id, kind, value, lookup, description, preferred, created_at FROM digital_addresses \
                  WHERE party_id IN (";
    super::fetch_by_ids(ex, select, party_ids, "ORDER BY preferred DESC, created_at, id").await
}

/// What an erasure cleared.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErasedCounts {
    pub contacts: u64,
    pub requests: u64,
    pub tasks: u64,
}

/// Removes a party with its identifiers and digital addresses, and replaces the free text of
/// the contacts, requests and tasks about it by `marker`; the links to it become empty.
pub async fn erase(ex: &mut impl Executor, party_id: Uuid, marker: &str) -> StoreResult<ErasedCounts> {
    // PostgreSQL: a plain row update does not stop a concurrent contact from linking to the
    // party (foreign-key checks take a weaker lock); FOR UPDATE does. SQLite has one writer.
    if let super::Exec::Postgres(c) = ex.exec() {
        sqlx::query("SELECT id FROM parties WHERE id = $1 FOR UPDATE").bind(party_id).execute(&mut *c).await?;
    }
    // Everything is blanked first and unlinked last: the links find what to blank.
    const CONTACTS_OF_PARTY: &str = "SELECT contact_id FROM contact_participants WHERE party_id = $1";
    let contacts = format!(
        "UPDATE contacts SET subject = $2, product = NULL, question = $2, notes = $2, response = $2 WHERE id IN \
         ({CONTACTS_OF_PARTY} UNION SELECT contact_id FROM contact_requests WHERE request_id IN \
         (SELECT id FROM requests WHERE party_id = $1))"
    );
    let sources = format!("UPDATE contact_sources SET detail = '' WHERE contact_id IN ({CONTACTS_OF_PARTY})");
    let tasks = format!(
        "UPDATE work_items SET action = $2, explanation = $2, result = $2 WHERE party_id = $1 OR contact_id IN ({CONTACTS_OF_PARTY})"
    );
    // A callback's number and subject, and what was noted at its attempts, are personal too.
    let items_of_party =
        format!("SELECT id FROM work_items WHERE party_id = $1 OR contact_id IN ({CONTACTS_OF_PARTY})");
    let callbacks = format!("UPDATE callbacks SET phone = '', subject = $2 WHERE work_item_id IN ({items_of_party})");
    let attempts = format!("UPDATE callback_attempts SET note = '' WHERE work_item_id IN ({items_of_party})");
    // A finished item's history repeats its result.
    let history = format!(
        "UPDATE work_item_events SET note = '' WHERE action IN ('afgerond', 'gewijzigd') AND work_item_id IN ({items_of_party})"
    );
    let subjects =
        format!("UPDATE contact_subject_objects SET object_id = '' WHERE contact_id IN ({CONTACTS_OF_PARTY})");
    // E-mail threads of the person: linked to them, or with them as the suggested customer.
    const THREADS_OF_PARTY: &str = "SELECT work_item_id FROM mail_threads WHERE suggested_party_id = $1 \
                                    UNION SELECT id FROM work_items WHERE party_id = $1 AND kind = 'e-mail'";
    let mail_attachments = format!(
        "DELETE FROM mail_attachments WHERE message IN (SELECT id FROM mail_messages WHERE work_item_id IN ({THREADS_OF_PARTY}))"
    );
    let mail_messages = format!(
        "UPDATE mail_messages SET subject = $2, text_body = $2, html_body = '', from_name = '', refused = '', \
         from_address = CASE WHEN direction = 'in' THEN '' ELSE from_address END, \
         to_addresses = CASE WHEN direction = 'out' THEN '' ELSE to_addresses END, cc_addresses = '' \
         WHERE work_item_id IN ({THREADS_OF_PARTY})"
    );
    let mail_outbox = format!(
        "DELETE FROM mail_outbox WHERE message_id IN \
         (SELECT message_id FROM mail_messages WHERE direction = 'out' AND work_item_id IN ({THREADS_OF_PARTY}))"
    );
    let mail_items =
        format!("UPDATE work_items SET action = $2, explanation = $2, result = $2 WHERE id IN ({THREADS_OF_PARTY})");
    let mail_history = format!(
        "UPDATE work_item_events SET note = '' WHERE action IN ('afgerond', 'gewijzigd') AND work_item_id IN ({THREADS_OF_PARTY})"
    );
    let mail_threads = format!(
        "UPDATE mail_threads SET subject = $2, citizen_address = '', citizen_name = '', suggested_party_id = NULL \
         WHERE work_item_id IN ({THREADS_OF_PARTY})"
    );
    let statements: [&str; 23] = [
        &contacts,
        "UPDATE requests SET subject = $2, description = $2, external_ref = NULL WHERE party_id = $1",
        &tasks,
        &callbacks,
        &attempts,
        &history,
        &mail_attachments,
        // Before the threads lose the link that finds them.
        &mail_outbox,
        &mail_messages,
        &mail_items,
        &mail_history,
        &mail_threads,
        // Mail to them not yet sent (or kept the week after sending) goes too.
        "DELETE FROM mail_outbox WHERE LOWER(to_address) IN \
         (SELECT lookup FROM digital_addresses WHERE party_id = $1 AND kind = 'email')",
        &sources,
        "UPDATE request_status_history SET note = '' WHERE request_id IN (SELECT id FROM requests WHERE party_id = $1)",
        "UPDATE requests SET party_id = NULL WHERE party_id = $1",
        "UPDATE work_items SET party_id = NULL WHERE party_id = $1",
        &subjects,
        "DELETE FROM participant_names WHERE participant_id IN (SELECT id FROM contact_participants WHERE party_id = $1)",
        "UPDATE contact_participants SET party_id = NULL WHERE party_id = $1",
        "DELETE FROM party_identifiers WHERE party_id = $1",
        "DELETE FROM digital_addresses WHERE party_id = $1",
        // An agent's unsaved contact with this person goes too.
        "DELETE FROM contact_drafts WHERE party_id = $1",
    ];
    let mut affected = Vec::with_capacity(statements.len());
    for sql in statements {
        // Only the statements that write the marker take it as a parameter.
        let n = on_backend!(ex, c => {
            let q = sqlx::query(sql).bind(party_id);
            let q = if sql.contains("$2") { q.bind(marker) } else { q };
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        affected.push(n);
    }
    on_backend!(ex, c => sqlx::query("DELETE FROM parties WHERE id = $1").bind(party_id).execute(c).await.map(|_| ()))?;
    Ok(ErasedCounts { contacts: affected[0], requests: affected[1], tasks: affected[2] })
}

/// Inserts many parties with one statement per 1,000 rows (generated demo data at scale).
pub async fn insert_parties_many(ex: &mut impl Executor, rows: &[PartyRow]) -> StoreResult<()> {
    for chunk in rows.chunks(1_000) {
        on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(format!("INSERT INTO parties ({PARTY_COLUMNS}, name_skeleton) "));
            b.push_values(chunk, |mut v, p| {
                v.push_bind(p.id)
                    .push_bind(&p.kind)
                    .push_bind(&p.given_name)
                    .push_bind(&p.surname_prefix)
                    .push_bind(&p.surname)
                    .push_bind(&p.organisation_name)
                    .push_bind(&p.display_name)
                    .push_bind(&p.name_key)
                    .push_bind(p.confidential)
                    .push_bind(&p.street)
                    .push_bind(p.house_number)
                    .push_bind(&p.house_letter)
                    .push_bind(&p.house_number_addition)
                    .push_bind(&p.postcode)
                    .push_bind(&p.city)
                    .push_bind(p.created_at)
                    .push_bind(p.updated_at)
                    .push_bind(name_skeleton(&p.name_key));
            });
            b.build().execute(&mut *c).await.map(|_| ())
        })?;
        let names: Vec<(Uuid, &str)> = chunk.iter().map(|p| (p.id, p.name_key.as_str())).collect();
        insert_name_words(ex, &names).await?;
    }
    Ok(())
}

pub async fn insert_identifiers_many(ex: &mut impl Executor, rows: &[IdentifierRow]) -> StoreResult<()> {
    for chunk in rows.chunks(2_000) {
        on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new("INSERT INTO party_identifiers (id, party_id, kind, value, created_at) ");
            b.push_values(chunk, |mut v, i| {
                v.push_bind(i.id).push_bind(i.party_id).push_bind(&i.kind).push_bind(&i.value).push_bind(i.created_at);
            });
            b.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn insert_digital_addresses_many(ex: &mut impl Executor, rows: &[DigitalAddressRow]) -> StoreResult<()> {
    for chunk in rows.chunks(2_000) {
        on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(
                "INSERT INTO digital_addresses (id, party_id, kind, value, lookup, description, preferred, created_at) ",
            );
            b.push_values(chunk, |mut v, d| {
                v.push_bind(d.id)
                    .push_bind(d.party_id)
                    .push_bind(&d.kind)
                    .push_bind(&d.value)
                    .push_bind(&d.lookup)
                    .push_bind(&d.description)
                    .push_bind(d.preferred)
                    .push_bind(d.created_at);
            });
            b.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

/// (party id, phone, e-mail, BSN) of up to `n` parties spread over the table, for lookups.
pub async fn sample_lookups(ex: &mut impl Executor, n: i64) -> StoreResult<Vec<(Uuid, String, String)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT d.party_id, d.kind, d.value FROM digital_addresses d WHERE d.party_id IN
            (SELECT id FROM parties ORDER BY id LIMIT $1)
         UNION ALL SELECT i.party_id, i.kind, i.value FROM party_identifiers i WHERE i.party_id IN
            (SELECT id FROM parties ORDER BY id LIMIT $1)",
    )
    .bind(n)
    .fetch_all(c)
    .await)?)
}

/// Asks housekeeping to clear what an erasure left in the database files.
pub async fn request_scrub(ex: &mut impl Executor, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("INSERT INTO erasure_scrubs (requested_at) VALUES ($1)")
        .bind(at)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Claims every pending scrub not held by a live claim until `until`; returns their ids.
pub async fn claim_scrubs(ex: &mut impl Executor, now: DateTime<Utc>, until: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "UPDATE erasure_scrubs SET claimed_until = $2
         WHERE done_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1) RETURNING id",
    )
    .bind(now)
    .bind(until)
    .fetch_all(c)
    .await)?)
}

/// Gives claimed scrubs back after a failed attempt, so the next round takes them at once
/// instead of after the claim runs out.
/// Only the claim made until `until` is given back: one that ran out and was taken over by
/// another process stays that process's.
pub async fn release_scrubs(ex: &mut impl Executor, ids: &[i64], until: DateTime<Utc>) -> StoreResult<()> {
    for id in ids {
        on_backend!(ex, c => sqlx::query(
            "UPDATE erasure_scrubs SET claimed_until = NULL WHERE id = $1 AND done_at IS NULL AND claimed_until = $2",
        )
        .bind(id)
        .bind(until)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

pub async fn finish_scrubs(ex: &mut impl Executor, ids: &[i64], at: DateTime<Utc>) -> StoreResult<()> {
    for id in ids {
        on_backend!(ex, c => sqlx::query("UPDATE erasure_scrubs SET done_at = $2 WHERE id = $1")
            .bind(id)
            .bind(at)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Writes a party's name, address and geheimhouding (its kind and identifiers stay).
pub async fn update_party(ex: &mut impl Executor, p: &PartyRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE parties SET given_name = $2, surname_prefix = $3, surname = $4, organisation_name = $5, \
         display_name = $6, name_key = $7, confidential = $8, street = $9, house_number = $10, house_letter = $11, \
         house_number_addition = $12, postcode = $13, city = $14, updated_at = $15, name_skeleton = $16 WHERE id = $1",
    )
    .bind(p.id)
    .bind(&p.given_name)
    .bind(&p.surname_prefix)
    .bind(&p.surname)
    .bind(&p.organisation_name)
    .bind(&p.display_name)
    .bind(&p.name_key)
    .bind(p.confidential)
    .bind(&p.street)
    .bind(p.house_number)
    .bind(&p.house_letter)
    .bind(&p.house_number_addition)
    .bind(&p.postcode)
    .bind(&p.city)
    .bind(p.updated_at)
    .bind(name_skeleton(&p.name_key))
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if n == 1 {
        on_backend!(ex, c => sqlx::query("DELETE FROM party_name_words WHERE party_id = $1")
            .bind(p.id).execute(c).await.map(|_| ()))?;
        insert_name_words(ex, &[(p.id, &p.name_key)]).await?;
    }
    Ok(n == 1)
}

pub async fn update_digital_address(ex: &mut impl Executor, d: &DigitalAddressRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE digital_addresses SET kind = $2, value = $3, lookup = $4, description = $5 WHERE id = $1",
    )
    .bind(d.id)
    .bind(&d.kind)
    .bind(&d.value)
    .bind(&d.lookup)
    .bind(&d.description)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn delete_digital_address(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    Ok(super::execute_for_id(ex, "DELETE FROM digital_addresses WHERE id = $1", id).await? == 1)
}

/// Changes an identifier's kind and number; a number another party holds is a `Conflict`.
pub async fn update_identifier(ex: &mut impl Executor, i: &IdentifierRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query("UPDATE party_identifiers SET kind = $2, value = $3 WHERE id = $1")
        .bind(i.id)
        .bind(&i.kind)
        .bind(&i.value)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn delete_identifier(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    Ok(super::execute_for_id(ex, "DELETE FROM party_identifiers WHERE id = $1", id).await? == 1)
}
