//! Keeping the index in step with the database: catch up on start, follow the change log, and
//! rebuild from nothing when in doubt.
//!
//! Rules:
//! - The index knows up to which change-log line it is complete (its committed position); it
//!   starts from there after a restart or crash. Lines are applied idempotently (the current
//!   row decides: published → indexed, otherwise removed), so reading one twice is harmless.
//! - On PostgreSQL a later line can commit before an earlier one; the position only moves past
//!   a missing line once it appears, or after [`GAP_PATIENCE`] (a rolled-back transaction
//!   leaves a hole for ever). Lines after the hole are applied at once.
//! - A rebuild counts the words first (compound splitting learns from them), then indexes
//!   everything, and commits the log position it read *before* it started, so what changed
//!   during the rebuild is applied after it.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::Utc;
use loket_search::learning::{Params, Signal, SignalKind};
use loket_search::{DocKey, Document, Kind, Learning, Opened, Synonyms, Vocabulary};
use uuid::Uuid;

use super::{Search, SearchError, documents};
use crate::store::{self, Conn, Store};

/// How long a missing change-log line is waited for.
pub const GAP_PATIENCE: Duration = Duration::from_secs(10);
/// How often the log is read while nothing happens.
pub const POLL: Duration = Duration::from_millis(200);
/// Learning is reloaded at most this often (every opened article writes a signal).
const LEARNING_EVERY: Duration = Duration::from_secs(1);
/// Signals older than this no longer count at all (their weight has halved twelve times).
const LEARNING_HORIZON_DAYS: i64 = 365;
const PAGE: i64 = 500;
/// Lines of the change log kept; an index further behind than this rebuilds itself.
pub const KEEP_CHANGES: i64 = 200_000;

/// What one step did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Step {
    pub applied: usize,
    pub rebuilt: bool,
}

/// The follower's state between steps (only positions; everything else is in the database).
#[derive(Debug)]
pub struct Follower {
    position: i64,
    seen: BTreeSet<i64>,
    gap: Option<(i64, Instant)>,
    learning_dirty: bool,
    learning_loaded: Option<Instant>,
    checked_retention: Instant,
}

fn position_of(search: &Search) -> i64 {
    search.index().position().map_or(0, |p| p as i64)
}

/// Brings the index up to date after start: rebuild when it is new, unreadable, of another
/// version, or older than the kept change log; otherwise catch up. Then loads synonyms,
/// learning and the unit tree, and marks search ready.
pub async fn start(store: &Store, search: &Search, opened: &Opened) -> Result<Follower, SearchError> {
    let mut conn = store.acquire().await?;
    let first = store::search::first_seq(&mut conn).await?;
    drop(conn);
    let position = search.index().position();
    let stale = match (position, first) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(p), Some(f)) => (p as i64) < f - 1,
    };
    let mut follower = Follower {
        position: position_of(search),
        seen: BTreeSet::new(),
        gap: None,
        learning_dirty: true,
        learning_loaded: None,
        checked_retention: Instant::now(),
    };
    match opened {
        Opened::Fresh { reason } => {
            tracing::warn!(%reason, "zoekindex wordt opnieuw opgebouwd uit de database");
            follower.rebuild(store, search, |_, _| {}).await?;
        }
        Opened::Existing { .. } if stale || search.index().num_docs() == 0 && has_documents(store).await? => {
            tracing::warn!("zoekindex loopt te ver achter op de database; wordt opnieuw opgebouwd");
            follower.rebuild(store, search, |_, _| {}).await?;
        }
        Opened::Existing { .. } => {
            let mut applied = 0;
            loop {
                let step = follower.step(store, search).await?;
                applied += step.applied;
                if step.applied == 0 {
                    break;
                }
            }
            tracing::info!(applied, documents = search.index().num_docs(), "zoekindex bijgewerkt");
        }
    }
    reload_synonyms(store, search).await?;
    reload_parents(store, search).await?;
    follower.reload_learning(store, search).await?;
    search.set_ready();
    Ok(follower)
}

async fn has_documents(store: &Store) -> Result<bool, SearchError> {
    let mut conn = store.acquire().await?;
    Ok(store::search::count_published_articles(&mut conn).await? > 0)
}

impl Follower {
    /// Applies the next lines of the change log (up to a page), commits the index when
    /// something changed, writes the search log and reloads learning when due.
    pub async fn step(&mut self, store: &Store, search: &Search) -> Result<Step, SearchError> {
        let mut out = Step::default();
        let mut conn = store.acquire().await?;
        let changes = store::search::changes_after(&mut conn, self.position, PAGE).await?;
        let mut done = Vec::new();
        let mut documents_changed = false;
        let mut rebuild = false;
        let mut synonyms_changed = false;
        let mut units_changed = false;
        for change in changes.iter().filter(|c| !self.seen.contains(&c.seq)) {
            match (change.kind.as_str(), change.item_id) {
                ("rebuild", _) => rebuild = true,
                ("synonyms", _) => synonyms_changed = true,
                ("learning", _) => self.learning_dirty = true,
                (kind, Some(id)) => {
                    documents_changed = true;
                    apply(&mut conn, search, kind, id).await?;
                    units_changed |= kind == "unit";
                }
                (kind, None) => tracing::warn!(kind, seq = change.seq, "onbekende regel in search_changes"),
            }
            done.push(change.seq);
        }
        // One reload for a whole batch (an import adds many groups at once).
        if synonyms_changed {
            reload_synonyms_with(&mut conn, search).await?;
        }
        if units_changed {
            reload_parents_with(&mut conn, search).await?;
        }
        drop(conn);
        out.applied = done.len();
        if rebuild {
            // Sets the position itself; on failure nothing is marked done, so the next step
            // tries again before anything is committed.
            self.rebuild_while_following(store, search).await?;
            out.rebuilt = true;
        } else {
            // Only now: a line whose work failed above is read again by the next step.
            self.seen.extend(done);
            self.advance();
            if documents_changed || (out.applied > 0 && search.index().position() != Some(self.position as u64)) {
                search.index().commit(Some(self.position as u64))?;
            }
        }
        flush_log(store, search).await;
        let due = self.learning_loaded.is_none_or(|t| t.elapsed() >= LEARNING_EVERY);
        if self.learning_dirty && due {
            self.reload_learning(store, search).await?;
        }
        if self.checked_retention.elapsed() > Duration::from_secs(60) {
            self.checked_retention = Instant::now();
            let mut conn = store.acquire().await?;
            // Keep the log bounded (every opened article adds a line); a process that lagged
            // behind what is kept rebuilds below.
            let keep_from = store::search::last_seq(&mut conn).await? - KEEP_CHANGES;
            if keep_from > 0 {
                store::search::prune_changes(&mut conn, keep_from).await?;
            }
            let first = store::search::first_seq(&mut conn).await?;
            drop(conn);
            if first.is_some_and(|f| f > self.position + 1) {
                tracing::warn!("zoekindex liep achter op het bewaarde wijzigingslog; wordt opnieuw opgebouwd");
                self.rebuild_while_following(store, search).await?;
                out.rebuilt = true;
            }
        }
        Ok(out)
    }

    /// Moves the position over every line seen in one run, and past a hole that stayed open
    /// longer than [`GAP_PATIENCE`].
    fn advance(&mut self) {
        loop {
            while self.seen.remove(&(self.position + 1)) {
                self.position += 1;
            }
            let Some(&next_seen) = self.seen.first() else {
                self.gap = None;
                return;
            };
            let hole = self.position + 1;
            match self.gap {
                Some((at, since)) if at == hole && since.elapsed() >= GAP_PATIENCE => {
                    tracing::debug!(hole, "wijzigingslog: ontbrekende regel overgeslagen (teruggedraaid)");
                    self.position = next_seen - 1;
                    self.gap = None;
                }
                Some((at, _)) if at == hole => return,
                _ => {
                    self.gap = Some((hole, Instant::now()));
                    return;
                }
            }
        }
    }

    /// Builds the index anew from the database and follows on from there.
    pub async fn rebuild(
        &mut self,
        store: &Store,
        search: &Search,
        progress: impl Fn(u64, u64),
    ) -> Result<u64, SearchError> {
        let built = rebuild(store, search, progress).await?;
        self.position = built.position;
        self.seen.clear();
        self.gap = None;
        Ok(built.documents)
    }

    /// A rebuild counts the vocabulary anew, which changes the analyzer: synonyms and learning
    /// are analysed with it, so they are reloaded too.
    async fn rebuild_while_following(&mut self, store: &Store, search: &Search) -> Result<(), SearchError> {
        self.rebuild(store, search, |_, _| {}).await?;
        reload_synonyms(store, search).await?;
        self.learning_dirty = true;
        Ok(())
    }

    async fn reload_learning(&mut self, store: &Store, search: &Search) -> Result<(), SearchError> {
        let mut conn = store.acquire().await?;
        let now = Utc::now();
        let rows =
            store::search::learning_signals(&mut conn, now - chrono::Duration::days(LEARNING_HORIZON_DAYS)).await?;
        let signals = rows.into_iter().map(|r| Signal {
            query: r.search_query,
            doc: DocKey::new(Kind::Article, r.article_id.to_string()),
            kind: if r.kind == "beantwoord" { SignalKind::Answered } else { SignalKind::Opened },
            person: r.user_id.map_or_else(|| "anoniem".to_owned(), |u| u.to_string()),
            age_days: (now - r.at).num_seconds() as f64 / 86_400.0,
        });
        search.set_learning(Learning::new(&search.index().analyzer(), signals, Params::default()));
        self.learning_dirty = false;
        self.learning_loaded = Some(Instant::now());
        Ok(())
    }

    pub fn position(&self) -> i64 {
        self.position
    }
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct Rebuilt {
    pub documents: u64,
    /// The change-log position the index is complete up to.
    pub position: i64,
    pub elapsed: Duration,
}

/// Builds the index anew from the database; `progress(done, total)` after each document.
pub async fn rebuild(store: &Store, search: &Search, progress: impl Fn(u64, u64)) -> Result<Rebuilt, SearchError> {
    let started = Instant::now();
    let mut conn = store.acquire().await?;
    // Read the position first: changes made while rebuilding are applied afterwards.
    let position = store::search::last_seq(&mut conn).await?;
    let total = count_documents(&mut conn).await?;
    let mut vocabulary = Vocabulary::default();
    each_document(&mut conn, |doc| vocabulary.add(&doc)).await?;
    let index = search.index();
    index.use_vocabulary(vocabulary);
    index.clear()?;
    let mut done = 0u64;
    let mut failed: Option<SearchError> = None;
    each_document(&mut conn, |doc| {
        if failed.is_none()
            && let Err(e) = index.upsert(&doc)
        {
            failed = Some(e.into());
        }
        done += 1;
        progress(done, total);
    })
    .await?;
    if let Some(e) = failed {
        return Err(e);
    }
    index.commit(Some(position as u64))?;
    index.merge_segments()?;
    let elapsed = started.elapsed();
    tracing::info!(documents = done, ms = elapsed.as_millis() as u64, "zoekindex opgebouwd uit de database");
    Ok(Rebuilt { documents: done, position, elapsed })
}

/// Asks every process following the database to rebuild its index (when a running server holds
/// the index that `loket reindex` would rebuild).
pub async fn request_rebuild(store: &Store) -> Result<(), SearchError> {
    let mut tx = store.begin().await?;
    store::search::log_change(&mut tx, "rebuild").await?;
    tx.commit().await?;
    Ok(())
}

/// Applies one changed row: what is published and current is (re)indexed, the rest removed.
async fn apply(conn: &mut Conn, search: &Search, kind: &str, id: Uuid) -> Result<(), SearchError> {
    let index = search.index();
    let doc: Option<Document> = match kind {
        "article" => store::search::published_article(conn, id).await?.map(documents::article),
        "notice" => match store::notices::find(conn, id).await? {
            Some(n) => Some(documents::notice(n, store::notices::targets(conn, id).await?)),
            None => None,
        },
        "tree" => store::search::published_tree(conn, id).await?.map(documents::tree),
        "employee" => store::search::employee(conn, id).await?.filter(|e| e.active).map(documents::employee),
        "unit" => {
            // Colleagues show their unit's name: they follow a rename.
            for member in store::search::member_ids(conn, id).await? {
                match store::search::employee(conn, member).await?.filter(|e| e.active) {
                    Some(e) => index.upsert(&documents::employee(e))?,
                    None => index.delete(&DocKey::new(Kind::Employee, member.to_string())),
                }
            }
            unit_document(conn, id).await?
        }
        other => {
            tracing::warn!(kind = other, "onbekend soort wijziging in search_changes");
            return Ok(());
        }
    };
    let Some(key_kind) = Kind::parse(kind) else { return Ok(()) };
    match doc {
        Some(doc) => index.upsert(&doc)?,
        None => index.delete(&DocKey::new(key_kind, id.to_string())),
    }
    Ok(())
}

async fn unit_document(conn: &mut Conn, id: Uuid) -> Result<Option<Document>, SearchError> {
    let Some(unit) = store::units::find(conn, id).await? else { return Ok(None) };
    let parent = match unit.parent_id {
        Some(p) => store::units::find(conn, p).await?.map(|u| u.name),
        None => None,
    };
    Ok(Some(documents::unit(unit, parent)))
}

async fn count_documents(conn: &mut Conn) -> Result<u64, SearchError> {
    let articles = store::search::count_published_articles(conn).await?;
    let notices = store::search::live_notice_ids(conn, Utc::now()).await?.len() as i64;
    let trees = store::search::published_trees(conn).await?.len() as i64;
    let employees = store::search::active_employees(conn).await?.len() as i64;
    let units = store::units::list(conn).await?.len() as i64;
    Ok((articles + notices + trees + employees + units).max(0) as u64)
}

/// Calls `f` with every document that belongs in the index, reading articles page by page.
async fn each_document(conn: &mut Conn, mut f: impl FnMut(Document)) -> Result<(), SearchError> {
    let mut after = Uuid::nil();
    loop {
        let page = store::search::published_articles(conn, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let full = page.len() as i64 == PAGE;
        page.into_iter().map(documents::article).for_each(&mut f);
        if !full {
            break;
        }
    }
    for id in store::search::live_notice_ids(conn, Utc::now()).await? {
        if let Some(n) = store::notices::find(conn, id).await? {
            let targets = store::notices::targets(conn, id).await?;
            f(documents::notice(n, targets));
        }
    }
    store::search::published_trees(conn).await?.into_iter().map(documents::tree).for_each(&mut f);
    store::search::active_employees(conn).await?.into_iter().map(documents::employee).for_each(&mut f);
    let units = store::units::list(conn).await?;
    let names: HashMap<Uuid, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    for unit in units {
        let parent = unit.parent_id.and_then(|p| names.get(&p).cloned());
        f(documents::unit(unit, parent));
    }
    Ok(())
}

pub async fn reload_synonyms(store: &Store, search: &Search) -> Result<(), SearchError> {
    reload_synonyms_with(&mut store.acquire().await?, search).await
}

async fn reload_synonyms_with(conn: &mut Conn, search: &Search) -> Result<(), SearchError> {
    let groups: Vec<Vec<String>> = store::search::synonyms(conn)
        .await?
        .into_iter()
        .map(|row| serde_json::from_str(&row.terms).unwrap_or_default())
        .collect();
    search.set_synonyms(Synonyms::with_everyday(&search.index().analyzer(), &groups));
    Ok(())
}

async fn reload_parents(store: &Store, search: &Search) -> Result<(), SearchError> {
    reload_parents_with(&mut store.acquire().await?, search).await
}

async fn reload_parents_with(conn: &mut Conn, search: &Search) -> Result<(), SearchError> {
    search.set_parents(store::search::unit_parents(conn).await?.into_iter().collect());
    Ok(())
}

/// Writes the searches kept since the last time, in one transaction.
pub async fn flush_log(store: &Store, search: &Search) {
    let entries = search.take_log();
    if entries.is_empty() {
        return;
    }
    let written = async {
        let mut tx = store.begin().await?;
        store::search::insert_searches(&mut tx, &entries).await?;
        tx.commit().await
    };
    if let Err(e) = written.await {
        tracing::warn!(error = %e, lost = entries.len(), "zoeklog niet weggeschreven");
    }
}

/// Follows the change log until aborted: catch up (or rebuild) first, then a step every
/// [`POLL`]. Errors are logged and retried; the index never blocks the rest of Loket.
pub fn spawn(store: Store, search: std::sync::Arc<Search>, opened: Opened) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut follower = loop {
            match start(&store, &search, &opened).await {
                Ok(f) => break f,
                Err(e) => {
                    tracing::error!(error = %e, "zoekindex bijwerken mislukt; nieuwe poging over 5 s");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        };
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = follower.step(&store, &search).await {
                tracing::warn!(error = %e, "zoekindex volgen: stap mislukt");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn follower(position: i64) -> Follower {
        Follower {
            position,
            seen: BTreeSet::new(),
            gap: None,
            learning_dirty: false,
            learning_loaded: None,
            checked_retention: Instant::now(),
        }
    }

    #[test]
    fn the_position_moves_over_lines_seen_in_a_row() {
        let mut f = follower(3);
        f.seen.extend([4, 5, 6]);
        f.advance();
        assert_eq!(f.position, 6);
        assert!(f.seen.is_empty());
    }

    #[test]
    fn a_hole_holds_the_position_until_the_line_arrives() {
        let mut f = follower(3);
        f.seen.extend([5, 6]);
        f.advance();
        assert_eq!(f.position, 3, "line 4 may still commit");
        f.seen.insert(4);
        f.advance();
        assert_eq!(f.position, 6);
    }

    #[test]
    fn a_hole_that_stays_open_is_passed_after_a_while() {
        let mut f = follower(3);
        f.seen.extend([5, 6]);
        f.advance();
        f.gap = Some((4, Instant::now() - GAP_PATIENCE));
        f.advance();
        assert_eq!(f.position, 6);
    }
}
