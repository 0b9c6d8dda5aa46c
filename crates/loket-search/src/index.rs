//! The index itself (tantivy): its schema, opening and rebuilding it, and writing documents.
//!
//! Rules:
//! - The index is a copy. The application's database is the source of truth, so anything odd
//!   on open (missing, unreadable, another schema or analysis version) means: start empty and
//!   let the application rebuild it. [`Opened`] says which case happened and why.
//! - Every commit carries the application's position in its change log, so after a restart or
//!   a crash the index knows from where to catch up.
//! - Words are analysed here ([`crate::analysis`]) and stored as pre-tokenised text, so the
//!   index and the queries use exactly the same analysis. Compound splitting learns which words
//!   exist from the indexed texts themselves; a rebuild counts them first ([`Vocabulary`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex, RwLock};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{Analyzer, Lexicon, Word};
use crate::document::{Document, Reach};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const INDEX_VERSION: u32 = 3;
/// How many times a title (and a curated term) word counts against a word of the text.
pub const TITLE_REPEAT: usize = 2;
const WRITER_HEAP_BYTES: usize = 120_000_000;
/// Stored text per document, enough for any snippet.
const STORED_TEXT_CHARS: usize = 30_000;
pub(crate) const EVERYONE: &str = "*";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index read error: {0}")]
    Read(#[from] std::io::Error),
    #[error("search index folder {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the search index is in use by another process (lock in {0}); give each loket process its own data folder")]
    Locked(PathBuf),
}

/// The fields of the schema.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub key: Field,
    pub external_id: Field,
    pub title_stored: Field,
    pub text_stored: Field,
    pub detail: Field,
    /// The stems of all texts in one field, weighted the BM25F way: title and curated terms
    /// count [`TITLE_REPEAT`] times, the text once. One posting list per word (instead of one
    /// per field) keeps block-max WAND fast over long queries.
    pub text: Field,
    pub parts: Field,
    pub surface: Field,
    /// Every stem and compound part of every text, doc ids only: which documents contain a
    /// concept at all (for counting the documents that contain every typed word).
    pub all: Field,
    pub exact: Field,
    pub kind: Field,
    pub audience: Field,
    pub category: Field,
    pub reach: Field,
    pub valid_from: Field,
    pub valid_until: Field,
}

/// The tokenizers the analysed fields use (registered on every opened index).
const MAIN: &str = "loket_stems";
const PARTS: &str = "loket_parts";
const SURFACE: &str = "loket_surface";
const ALL: &str = "loket_all";

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |tokenizer: &str, record: IndexRecordOption, norms: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record).set_fieldnorms(norms),
        )
    };
    // Frequencies even where they are always 1: block-max WAND only prunes over terms that read
    // them, and a single term without them turns every query into a full scan.
    let exact = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer("raw").set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        external_id: b.add_text_field("external_id", STORED),
        title_stored: b.add_text_field("title_stored", STORED),
        text_stored: b.add_text_field("text_stored", STORED),
        detail: b.add_text_field("detail", STORED),
        text: b.add_text_field("text", analysed(MAIN, IndexRecordOption::WithFreqs, true)),
        parts: b.add_text_field("parts", analysed(PARTS, IndexRecordOption::WithFreqs, true)),
        surface: b.add_text_field("surface", analysed(SURFACE, IndexRecordOption::Basic, false)),
        all: b.add_text_field("all", analysed(ALL, IndexRecordOption::Basic, false)),
        exact: b.add_text_field("exact", exact),
        kind: b.add_text_field("kind", STRING),
        audience: b.add_text_field("audience", STRING),
        category: b.add_text_field("category", STRING),
        reach: b.add_text_field("reach", STRING),
        valid_from: b.add_i64_field("valid_from", INDEXED | FAST),
        valid_until: b.add_i64_field("valid_until", INDEXED | FAST),
    };
    (b.build(), fields)
}

/// What was found on open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// An index of this version, caught up to this change-log position (None: never committed).
    Existing { position: Option<u64> },
    /// A new, empty index; the reason it had to be made (missing, unreadable, old version).
    Fresh { reason: String },
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    version: u32,
    position: Option<u64>,
}

/// Counts in how many documents each word stands on its own: the weights that tell compound
/// splitting which words are real (see [`Lexicon`]).
#[derive(Default)]
pub struct Vocabulary {
    counts: HashMap<String, u32>,
    seen: std::collections::HashSet<String>,
}

impl Vocabulary {
    pub fn add(&mut self, doc: &Document) {
        self.seen.clear();
        for text in [&doc.title, &doc.summary, &doc.body].into_iter().chain(doc.terms.iter()) {
            for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3) {
                let folded = crate::analysis::fold(word);
                if !self.seen.contains(&folded) {
                    self.seen.insert(folded);
                }
            }
        }
        for w in self.seen.drain() {
            *self.counts.entry(w).or_default() += 1;
        }
    }

    /// Adds the counts of another vocabulary (counted in parallel).
    pub fn merge(&mut self, other: Vocabulary) {
        for (w, n) in other.counts {
            *self.counts.entry(w).or_default() += n;
        }
    }
}

pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    base_lexicon: Lexicon,
    analyzer: Arc<RwLock<Arc<Analyzer>>>,
    dir: Option<PathBuf>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish_non_exhaustive()
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io { path: path.to_owned(), source }
}

impl SearchIndex {
    /// Opens the index in `dir`, or makes a new one there when it is missing, unreadable or of
    /// another version. `lexicon` holds the known words before the indexed texts are counted.
    pub fn open(dir: &Path, lexicon: Lexicon) -> Result<(SearchIndex, Opened), IndexError> {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let existing = dir.join("meta.json").exists();
        let (schema, fields) = schema();
        let attempt = if existing { Some(Index::open_in_dir(dir)) } else { None };
        let (index, opened) = match attempt {
            Some(Ok(index)) => match check_existing(&index, &schema) {
                Ok(position) => (index, Opened::Existing { position }),
                Err(reason) => (recreate(dir, &schema)?, Opened::Fresh { reason }),
            },
            Some(Err(e)) => (recreate(dir, &schema)?, Opened::Fresh { reason: format!("unreadable: {e}") }),
            None => (recreate(dir, &schema)?, Opened::Fresh { reason: "no index yet".into() }),
        };
        let spare = lexicon.clone();
        let opened_index = SearchIndex::from_index(index, fields, lexicon, Some(dir.to_owned()))
            .and_then(|search| search.learn_words_from_index().map(|()| search));
        match opened_index {
            Ok(search) => Ok((search, opened)),
            Err(e @ IndexError::Locked(_)) => Err(e),
            // Segment files that do not open: start again from nothing.
            Err(e) => {
                let index = recreate(dir, &schema)?;
                let search = SearchIndex::from_index(index, fields, spare, Some(dir.to_owned()))?;
                Ok((search, Opened::Fresh { reason: format!("unreadable: {e}") }))
            }
        }
    }

    /// An index in memory (tests, benchmarks of the library alone).
    pub fn in_memory(lexicon: Lexicon) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        SearchIndex::from_index(Index::create_in_ram(schema), fields, lexicon, None)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        lexicon: Lexicon,
        dir: Option<PathBuf>,
    ) -> Result<SearchIndex, IndexError> {
        let writer = index.writer_with_num_threads(2, WRITER_HEAP_BYTES).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked(dir.clone().unwrap_or_default()),
            other => other.into(),
        })?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let analyzer = Arc::new(RwLock::new(Arc::new(Analyzer::new(lexicon.clone()))));
        for (name, mode) in [(MAIN, Mode::Stems), (PARTS, Mode::Parts), (SURFACE, Mode::Surface), (ALL, Mode::All)] {
            index.tokenizers().register(name, LoketTokenizer { analyzer: analyzer.clone(), mode });
        }
        Ok(SearchIndex { index, reader, writer: Mutex::new(writer), fields, base_lexicon: lexicon, analyzer, dir })
    }

    pub fn analyzer(&self) -> Arc<Analyzer> {
        self.analyzer.read().map(|a| a.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Makes the words of `vocabulary` known (with their document counts) for compound
    /// splitting, on top of the base lexicon. Call before indexing a rebuild.
    pub fn use_vocabulary(&self, vocabulary: Vocabulary) {
        let mut lexicon = self.base_lexicon.clone();
        lexicon.add(vocabulary.counts.iter().map(|(w, n)| (w.as_str(), *n)));
        if let Ok(mut a) = self.analyzer.write() {
            *a = Arc::new(Analyzer::new(lexicon));
        }
    }

    /// Reads the document counts of the indexed words from the index (after an open).
    fn learn_words_from_index(&self) -> Result<(), IndexError> {
        let searcher = self.reader.searcher();
        let mut counts: HashMap<String, u32> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.surface)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    *counts.entry(word.to_owned()).or_default() += stream.value().doc_freq;
                }
            }
        }
        if !counts.is_empty() {
            self.use_vocabulary(Vocabulary { counts, seen: Default::default() });
        }
        Ok(())
    }

    /// The change-log position of the last commit.
    pub fn position(&self) -> Option<u64> {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok())
            .and_then(|p| p.position)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Adds or replaces a document (by its key). Visible after [`SearchIndex::commit`].
    pub fn upsert(&self, doc: &Document) -> Result<(), IndexError> {
        let analyzer = self.analyzer();
        let tantivy_doc = self.to_tantivy(&analyzer, doc);
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.delete_term(Term::from_field_text(self.fields.key, &doc.key.encoded()));
        writer.add_document(tantivy_doc)?;
        Ok(())
    }

    /// Removes a document (no error when it was not there).
    pub fn delete(&self, key: &crate::DocKey) {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.delete_term(Term::from_field_text(self.fields.key, &key.encoded()));
    }

    /// Removes every document (the start of a rebuild).
    pub fn clear(&self) -> Result<(), IndexError> {
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes every change so far durable and visible, remembering `position`.
    pub fn commit(&self, position: Option<u64>) -> Result<(), IndexError> {
        {
            let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            let mut prepared = writer.prepare_commit()?;
            let payload = serde_json::to_string(&Payload { version: INDEX_VERSION, position }).unwrap_or_default();
            prepared.set_payload(&payload);
            prepared.commit()?;
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Merges all segments into one (after a rebuild): fewer segments, fewer lookups per query.
    pub fn merge_segments(&self) -> Result<(), IndexError> {
        let ids = self.index.searchable_segment_ids()?;
        if ids.len() > 1 {
            let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            writer.merge(&ids).wait()?;
        }
        let writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writer.garbage_collect_files().wait();
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Segments now searchable (for the benchmark report).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Bytes on disk (0 in memory).
    pub fn size_on_disk(&self) -> u64 {
        let Some(dir) = &self.dir else { return 0 };
        std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }

    fn to_tantivy(&self, analyzer: &Analyzer, doc: &Document) -> TantivyDocument {
        let f = self.fields;
        let mut out = TantivyDocument::default();
        out.add_text(f.key, doc.key.encoded());
        out.add_text(f.kind, doc.key.kind.id());
        if let Some(ext) = &doc.external_id {
            out.add_text(f.external_id, ext);
        }
        out.add_text(f.title_stored, &doc.title);
        let mut stored = String::with_capacity(doc.summary.len() + doc.body.len() + 2);
        stored.push_str(&doc.summary);
        if !doc.summary.is_empty() && !doc.body.is_empty() {
            stored.push_str("\n\n");
        }
        stored.extend(doc.body.chars().take(STORED_TEXT_CHARS));
        out.add_text(f.text_stored, &stored);
        out.add_text(f.detail, &doc.detail);
        out.add_text(f.audience, doc.audience.id());
        for prefix in category_prefixes(&doc.category) {
            out.add_text(f.category, prefix);
        }
        match &doc.reach {
            Reach::Everyone => out.add_text(f.reach, EVERYONE),
            Reach::Units(units) => units.iter().for_each(|u| out.add_text(f.reach, u)),
        }
        out.add_i64(f.valid_from, doc.valid_from.unwrap_or(i64::MIN));
        out.add_i64(f.valid_until, doc.valid_until.unwrap_or(i64::MAX));
        out.add_text(f.exact, analyzer.exact_key(&doc.title));

        // BM25F by repetition: a title word counts twice, within one length normalisation.
        for _ in 0..TITLE_REPEAT {
            out.add_text(f.text, &doc.title);
            for t in &doc.terms {
                out.add_text(f.text, t);
            }
        }
        if !doc.category.is_empty() {
            out.add_text(f.text, doc.category.replace('/', " "));
        }
        out.add_text(f.text, &doc.summary);
        out.add_text(f.text, &doc.body);
        // Compound parts and surface words come from every text of the document.
        for field in [f.parts, f.surface, f.all] {
            out.add_text(field, &doc.title);
            for t in &doc.terms {
                out.add_text(field, t);
            }
            out.add_text(field, &doc.summary);
            out.add_text(field, &doc.body);
        }
        out
    }
}

/// "Burgerzaken/Reisdocumenten" → "burgerzaken", "burgerzaken/reisdocumenten": a filter on a
/// category also finds what lies below it.
pub(crate) fn category_prefixes(category: &str) -> Vec<String> {
    let levels: Vec<String> =
        category.split('/').map(|l| crate::analysis::fold(l.trim())).filter(|l| !l.is_empty()).collect();
    (1..=levels.len()).map(|n| levels[..n].join("/")).collect()
}

fn check_existing(index: &Index, schema: &Schema) -> Result<Option<u64>, String> {
    if index.schema() != *schema {
        return Err("the schema changed".into());
    }
    let metas = index.load_metas().map_err(|e| format!("unreadable: {e}"))?;
    match metas.payload.as_deref().map(serde_json::from_str::<Payload>) {
        Some(Ok(p)) if p.version == INDEX_VERSION => Ok(p.position),
        Some(Ok(p)) => Err(format!("made by index version {}, this is {INDEX_VERSION}", p.version)),
        Some(Err(_)) => Err("its commit data is unreadable".into()),
        None if metas.segments.is_empty() => Ok(None),
        None => Err("it was never committed by Loket".into()),
    }
}

fn recreate(dir: &Path, schema: &Schema) -> Result<Index, IndexError> {
    // Only tantivy's own files live here; the folder is Loket's.
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io_error(dir))?;
    }
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    Ok(Index::create_in_dir(dir, schema.clone())?)
}

/// Which tokens a field gets from the analysis.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// The stem of every word (stop words included: only the query drops them).
    Stems,
    /// The stems of compound parts.
    Parts,
    /// The folded, unstemmed words and parts, without stop words: the vocabulary for
    /// corrections and completions.
    Surface,
    /// Stems and parts together.
    All,
}

/// Runs Loket's analysis inside tantivy's indexing threads.
#[derive(Clone)]
struct LoketTokenizer {
    analyzer: Arc<RwLock<Arc<Analyzer>>>,
    mode: Mode,
}

impl Tokenizer for LoketTokenizer {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let analyzer = self.analyzer.read().map(|a| a.clone()).unwrap_or_else(|p| p.into_inner().clone());
        let words = recent_analysis(&analyzer, text);
        let mut tokens = Vec::new();
        let mut push = |text: &str, span: &std::ops::Range<usize>| {
            let position = tokens.len();
            tokens.push(Token {
                offset_from: span.start,
                offset_to: span.end,
                position,
                text: text.to_owned(),
                position_length: 1,
            });
        };
        for word in words.iter() {
            let form = &word.form;
            match self.mode {
                Mode::Stems => push(&form.stem, &word.span),
                Mode::Parts => form.parts.iter().for_each(|p| push(p, &word.span)),
                Mode::Surface => {
                    if !form.stop && !word.joined {
                        push(&form.folded, &word.span);
                    }
                    form.part_words.iter().for_each(|p| push(p, &word.span));
                }
                Mode::All => {
                    push(&form.stem, &word.span);
                    form.parts.iter().for_each(|p| push(p, &word.span));
                }
            }
        }
        Tokens { tokens, next: 0 }
    }
}

/// The analysis of one text by one analyzer, kept for the next field.
struct Recent {
    /// Held (not just compared by address) so a dropped analyzer's address cannot be reused.
    analyzer: Arc<Analyzer>,
    text: String,
    words: Rc<Vec<Word>>,
}

/// Each text is tokenised for several fields (stems, parts, surface words, all), one after the
/// other on the same indexing thread: the analysis of the last few texts is kept so it runs once.
fn recent_analysis(analyzer: &Arc<Analyzer>, text: &str) -> Rc<Vec<Word>> {
    thread_local! {
        static RECENT: RefCell<Vec<Recent>> = const { RefCell::new(Vec::new()) };
    }
    let hit = RECENT.with(|r| {
        r.borrow().iter().find(|e| Arc::ptr_eq(&e.analyzer, analyzer) && e.text == text).map(|e| e.words.clone())
    });
    if let Some(words) = hit {
        return words;
    }
    let words = Rc::new(analyzer.words(text));
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        if r.len() >= 8 {
            r.remove(0);
        }
        r.push(Recent { analyzer: analyzer.clone(), text: text.to_owned(), words: words.clone() });
    });
    words
}

struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Reads a stored text field of a document.
pub(crate) fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
}
