//! Search: one search box over published articles, werkberichten, beslisbomen and the directory
//! (colleagues and units), Dutch-aware (the `loket-search` crate does the analysis and ranking).
//!
//! Rules:
//! - The database is the source of truth; the index beside it (`<data-dir>/zoekindex`) is a copy
//!   that follows the change log (`search_changes`, written by triggers in the same transaction
//!   as every change), so a publish or archive is found within a second, by every process
//!   sharing the database, without a restart. A missing, unreadable or outdated index is
//!   rebuilt from the database on start ([`follow`]).
//! - Agents see what is meant for them: everything published and valid, werkberichten for their
//!   team or afdeling; citizens (later) only public articles.
//! - Synonyms of the redacteuren and what agents taught the ranking (opened after a query,
//!   "dit beantwoordde de vraag") apply at query time; both reload when any process changes them.
//! - A search says whether a hit is likely to answer it (`confident`, from how much of the query
//!   the first hits cover, or what agents taught it); agents see "geen goed antwoord gevonden".
//! - Searches are logged for the redacteuren's analytics (top queries, queries without results,
//!   without a good answer or without anything opened), with numbers that could identify a
//!   citizen masked.
//! - Search reads no personal data of citizens. Colleagues' work details in the directory are
//!   shown to colleagues, as on the organisation page; they are not audit-logged.

pub mod analytics;
pub mod documents;
pub mod follow;
pub mod learning;
pub mod synonyms;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::Utc;
use loket_search::analysis::{Lexicon, LexiconSource};
use loket_search::{Audience, Extras, Kind, Learning, Request, Results, SearchIndex, Synonyms, Viewer};
use uuid::Uuid;

use crate::auth::{Ability, Caller};
use crate::store::StoreError;
use crate::validation::FieldError;

pub use loket_search::{Fragment, Hit};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("invalid search")]
    Invalid(Vec<FieldError>),
    #[error("no such synonym group")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Index(#[from] loket_search::IndexError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Knowledge(#[from] crate::knowledge::KnowledgeError),
}

/// Results per page at most.
pub const MAX_LIMIT: usize = 50;

/// The search service every handler reaches through the app state.
pub struct Search {
    index: SearchIndex,
    synonyms: RwLock<Arc<Synonyms>>,
    learning: RwLock<Arc<Learning>>,
    /// unit → its parent (an afdeling's notices reach its teams).
    parents: RwLock<HashMap<Uuid, Option<Uuid>>>,
    log: Mutex<Vec<crate::store::search::LoggedSearch>>,
    ready: AtomicBool,
    lexicon: LexiconSource,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search").field("index", &self.index).field("lexicon", &self.lexicon).finish_non_exhaustive()
    }
}

/// The known Dutch words: the word list at `dictionary` (hunspell-nl's by default) when it can
/// be read, else the built-in list (said in the log either way).
pub fn lexicon(dictionary: Option<&Path>) -> Lexicon {
    let Some(dictionary) = dictionary else {
        tracing::info!("zoeken: alleen de ingebouwde woordenlijst (dictionary = none)");
        return Lexicon::builtin();
    };
    let (lexicon, problem) = Lexicon::with_hunspell(dictionary);
    match problem {
        None => tracing::info!(dictionary = %dictionary.display(), "zoeken: Nederlands woordenboek geladen"),
        Some(why) => tracing::warn!(
            reason = %why,
            "zoeken: geen woordenboek; samenstellingen worden gesplitst met de ingebouwde woordenlijst en de woorden uit de artikelen (apt-get install hunspell-nl voor meer)"
        ),
    }
    lexicon
}

pub use loket_search::queries::{masked, query_key};

/// Synonyms, analytics and learning are for whoever holds [`Permission::ManageSearch`]
/// (the redacteur); `why` is the refusal the caller reads.
pub(crate) fn require_manage(caller: &Caller, why: &'static str) -> Result<(), SearchError> {
    if caller.may(Ability::ManageSearch) { Ok(()) } else { Err(SearchError::Forbidden(why)) }
}

/// What was asked, parsed.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub limit: usize,
    pub kinds: Vec<Kind>,
    pub category: Option<String>,
    pub audience: Option<Audience>,
    /// Typing in progress: complete the last word, do not log.
    pub live: bool,
}

impl Query {
    /// Parses the API's and the page's parameters. A very long query is cut, not refused: what
    /// was typed first is searched.
    pub fn parse(
        text: &str,
        limit: Option<&str>,
        types: &[String],
        category: Option<&str>,
        audience: Option<&str>,
        live: bool,
    ) -> Result<Query, Vec<FieldError>> {
        let mut errors = Vec::new();
        let limit = match limit.map(str::trim).filter(|l| !l.is_empty()) {
            None => 10,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(
                        "limit",
                        "out_of_range",
                        format!("Kies 1 tot {MAX_LIMIT} resultaten."),
                    ));
                    10
                }
            },
        };
        let mut kinds = Vec::new();
        for t in types.iter().flat_map(|t| t.split(',')).map(str::trim).filter(|t| !t.is_empty()) {
            match Kind::parse(t) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => errors.push(FieldError::new(
                    "type",
                    "unknown_type",
                    format!("Onbekend type '{t}'; kies uit article, notice, tree, employee, unit."),
                )),
            }
        }
        let audience = match audience.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => match Audience::parse(a) {
                Some(a) => Some(a),
                None => {
                    errors.push(FieldError::new("audience", "unknown_audience", "Kies 'intern' of 'publiek'."));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let category = category.map(str::trim).filter(|c| !c.is_empty()).map(|c| c.chars().take(200).collect());
        Ok(Query {
            text: text.chars().filter(|c| !c.is_control() || *c == ' ').collect(),
            limit,
            kinds,
            category,
            audience,
            live,
        })
    }
}

impl Search {
    /// Opens (or makes) the index in `dir`; [`follow::spawn`] then brings it up to date.
    pub fn open(dir: &Path, dictionary: Option<&Path>) -> Result<(Search, loket_search::Opened), SearchError> {
        let lexicon = lexicon(dictionary);
        let source = lexicon.source();
        let (index, opened) = SearchIndex::open(dir, lexicon)?;
        Ok((Search::from_index(index, source), opened))
    }

    /// An index in memory (for tests of the domain alone).
    pub fn in_memory() -> Result<Search, SearchError> {
        Ok(Search::from_index(SearchIndex::in_memory(Lexicon::builtin())?, LexiconSource::Builtin))
    }

    fn from_index(index: SearchIndex, lexicon: LexiconSource) -> Search {
        // The everyday words apply from the start; the redacteuren's join them on the first load.
        let synonyms = Synonyms::with_everyday(&index.analyzer(), &[]);
        Search {
            index,
            synonyms: RwLock::new(Arc::new(synonyms)),
            learning: RwLock::new(Arc::new(Learning::default())),
            parents: RwLock::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            ready: AtomicBool::new(false),
            lexicon,
        }
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// True once the index has caught up with the database after start.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    pub(crate) fn set_ready(&self) {
        self.ready.store(true, Ordering::Release);
    }

    pub fn lexicon_source(&self) -> LexiconSource {
        self.lexicon
    }

    pub(crate) fn set_synonyms(&self, synonyms: Synonyms) {
        if let Ok(mut s) = self.synonyms.write() {
            *s = Arc::new(synonyms);
        }
    }

    pub(crate) fn set_learning(&self, learning: Learning) {
        if let Ok(mut l) = self.learning.write() {
            *l = Arc::new(learning);
        }
    }

    pub fn learning(&self) -> Arc<Learning> {
        self.learning.read().map(|l| l.clone()).unwrap_or_default()
    }

    pub(crate) fn set_parents(&self, parents: HashMap<Uuid, Option<Uuid>>) {
        if let Ok(mut p) = self.parents.write() {
            *p = parents;
        }
    }

    /// The units whose werkberichten reach `caller`: their own and the afdelingen above it.
    fn reach_of(&self, caller: &Caller) -> Vec<String> {
        let mut out = Vec::new();
        let parents = self.parents.read().ok();
        let mut next = caller.unit_id;
        while let Some(unit) = next {
            if out.len() > 8 || out.contains(&unit.to_string()) {
                break;
            }
            out.push(unit.to_string());
            next = parents.as_ref().and_then(|p| p.get(&unit).copied().flatten());
        }
        out
    }

    /// Runs a search for an employee.
    pub fn search(&self, caller: &Caller, query: &Query) -> Result<Results, SearchError> {
        let viewer = Viewer::Employee { units: self.reach_of(caller) };
        let results = self.run(&viewer, query)?;
        if !query.live {
            self.remember(Some(caller.user_id), &query.text, &results);
        }
        Ok(results)
    }

    /// Runs a search as a citizen would see it (public articles only).
    pub fn search_public(&self, query: &Query) -> Result<Results, SearchError> {
        self.run(&Viewer::Public, query)
    }

    fn run(&self, viewer: &Viewer, query: &Query) -> Result<Results, SearchError> {
        let synonyms = self.synonyms.read().map(|s| s.clone()).unwrap_or_default();
        let learning = self.learning();
        let request = Request {
            text: &query.text,
            limit: query.limit,
            kinds: &query.kinds,
            category: query.category.as_deref(),
            audience: query.audience,
            viewer,
            now: Utc::now().timestamp(),
            as_you_type: query.live,
        };
        let extras = Extras { synonyms: Some(&synonyms), learning: Some(&learning) };
        Ok(self.index.search(&request, extras)?)
    }

    /// Keeps the search for the log; [`follow`] writes the log in batches, so a search costs no
    /// database write.
    fn remember(&self, user_id: Option<Uuid>, text: &str, results: &Results) {
        if results.query_key.is_empty() {
            return;
        }
        let top_id =
            results.hits.iter().find(|h| h.key.kind == Kind::Article).and_then(|h| Uuid::parse_str(&h.key.id).ok());
        let entry = crate::store::search::LoggedSearch {
            at: crate::clock::now(),
            user_id,
            query: masked(text),
            query_key: results.query_key.clone(),
            total: results.total as i64,
            top_id,
            confident: results.confident,
        };
        if let Ok(mut log) = self.log.lock()
            && log.len() < 100_000
        {
            log.push(entry);
        }
    }

    pub(crate) fn take_log(&self) -> Vec<crate::store::search::LoggedSearch> {
        self.log.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_named() {
        let errors = Query::parse("x", Some("0"), &["artikel".into()], None, Some("iedereen"), false).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["limit", "type", "audience"]);
        let q = Query::parse("x\u{0}y", None, &["article,notice".into()], None, None, true).unwrap();
        assert_eq!((q.text.as_str(), q.limit, q.kinds.len(), q.live), ("xy", 10, 2, true));
    }
}
