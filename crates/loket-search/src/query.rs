//! Reading a query and ranking the documents for it.
//!
//! Rules:
//! - Every typed word is a *concept*; a document is found when it matches any concept, and
//!   ranks higher the more concepts it matches (coordination), the rarer the words (BM25) and
//!   the more prominent the field: title before curated terms (keywords, synonyms, product)
//!   before text, compound parts last. A title equal to the query ranks first.
//! - A concept matches its own stem, and also: the parts of a compound (query energietoeslag
//!   finds "toeslag voor energie"), two adjacent words joined (energie toeslag finds
//!   energietoeslag), a correction within an edit distance that grows with word length when
//!   the word is nowhere in the index nor a word of the lexicon (huurtoeslach → huurtoeslag,
//!   which also becomes the "bedoelde u"-suggestion; lekker stays lekker), the synonyms of the redacteuren, and while typing the
//!   completions of the last word. Each kind of match weighs less than the typed word itself.
//! - Stop words are dropped unless the query has nothing else. Query syntax does not exist
//!   here: quotes, brackets and operators are ordinary separators, so no input is an error.
//! - Who may see what is part of the query ([`Viewer`]); validity windows are checked at the
//!   moment of the query.

use std::collections::HashMap;
use std::ops::Bound;
use std::time::{Duration, Instant};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

use crate::analysis::{Analyzer, Word};
use crate::document::{Audience, DocKey, Kind};
use crate::index::{EVERYONE, IndexError, SearchIndex, category_prefixes, stored_text};
use crate::learning::{Learning, query_key};
use crate::snippet::{Fragment, Highlighter, highlight_title, snippet};
use crate::synonyms::Synonyms;

/// The stems to highlight (foldhash: checked once per word of every snippet).
pub type StemSet = foldhash::HashSet<String>;

/// Field weights. Within `text`, title words count double (the index repeats them): more would
/// let any short title with one query word beat the page that answers the question in its text
/// (measured on the benchmark corpus).
const TEXT: f32 = 1.0;
const PARTS: f32 = 0.4;
const EXACT_TITLE: f32 = 8.0;
/// Weights of the kinds of match, against 1.0 for the word as typed.
const JOINED: f32 = 1.0;
const CORRECTION: f32 = 0.85;
const QUERY_PART_UNKNOWN: f32 = 0.6;
const QUERY_PART_KNOWN: f32 = 0.25;
const SYNONYM: f32 = 0.8;
const COMPLETION: f32 = 0.7;
/// Longer queries are read up to here (a pasted e-mail is not a query).
const MAX_QUERY_BYTES: usize = 1_000;
const MAX_CONCEPTS: usize = 12;
/// From this many concepts on, the documents with every word are ranked first.
const LONG_QUERY: usize = 4;
/// Matches are counted up to here. A common word matches most of a large corpus; counting all
/// of them was a sixth of the query time at 100,000 articles.
pub const COUNT_CAP: usize = 1_000;
/// Up to this many concepts, every word is also looked up as a compound part.
const SHORT_QUERY: usize = 2;
const MAX_COMPLETIONS: usize = 6;
const COMPLETION_SCAN: usize = 3_000;
/// A query is answered with confidence when one of the first hits covers this much of it in
/// its texts, or [`CONFIDENT_TITLE`] in its title ([`coverage`]). Both were set on the
/// development halves of the query sets (docs/BENCHMARKS.md, "Issue 18, second part").
pub const CONFIDENT: f32 = 0.7;
pub const CONFIDENT_TITLE: f32 = 0.5;
/// Pieces found together tell this much of their weight, up to [`PARTS_EVIDENCE`]: all parts
/// of a compound the index does not know (weight 0.6) tell almost what the compound would; the
/// parts of a compound it knows (0.25) tell little, since they may stand anywhere in the text.
const PIECE_EVIDENCE: f32 = 1.5;
/// What a compound's parts all found together tell, against 1 for the compound itself.
const PARTS_EVIDENCE: f32 = 0.9;
/// The hits whose coverage counts for confidence.
const CONFIDENCE_DEPTH: usize = 3;

/// Who is searching.
#[derive(Debug, Clone)]
pub enum Viewer {
    /// An employee, with the ids of the units they belong to (their team and its afdeling).
    Employee { units: Vec<String> },
    /// A citizen: public articles only.
    Public,
}

#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub text: &'a str,
    pub limit: usize,
    /// Only these kinds (empty: all).
    pub kinds: &'a [Kind],
    pub category: Option<&'a str>,
    pub audience: Option<Audience>,
    pub viewer: &'a Viewer,
    /// Unix seconds, for validity windows.
    pub now: i64,
    /// Typing in progress: the last word is also read as the start of a longer word.
    pub as_you_type: bool,
}

/// What the application adds to a query: the synonyms and what was learned.
#[derive(Debug, Default, Clone, Copy)]
pub struct Extras<'a> {
    pub synonyms: Option<&'a Synonyms>,
    pub learning: Option<&'a Learning>,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub key: DocKey,
    pub external_id: Option<String>,
    pub title: String,
    pub title_marked: Vec<Fragment>,
    pub snippet: Vec<Fragment>,
    pub detail: String,
    pub score: f32,
    /// The part of the score that came from learning (0 when none).
    pub learned: f32,
}

#[derive(Debug, Clone)]
pub struct Results {
    /// Visible documents with every typed concept, counted up to [`COUNT_CAP`] (then `capped`).
    pub total: usize,
    /// There are more than `total`: counting further costs time and tells an agent nothing.
    pub capped: bool,
    pub hits: Vec<Hit>,
    /// "Bedoelde u …?": the query with its misspelt words corrected.
    pub suggestion: Option<String>,
    /// The key the query is learned under.
    pub query_key: String,
    /// Some hit is likely to answer the query: one of the first hits covers enough of it (its
    /// texts [`CONFIDENT`], or its title [`CONFIDENT_TITLE`]; see [`coverage`]), or agents
    /// marked one as the answer to this query ("dit beantwoordde de vraag"; opening is not enough).
    pub confident: bool,
    pub elapsed: Duration,
}

#[derive(Debug, Clone)]
struct Alt {
    stem: String,
    /// Its weight in the ranking: the highest of the ways it came in.
    weight: f32,
    /// Its evidence as a word of its own (the typed word, a correction, a one-word synonym);
    /// 0 when it only came in as a piece.
    whole: f32,
}

/// Stems that stand for the concept only together: the parts of a compound, the words of a
/// synonym phrase ("medische hulp").
#[derive(Debug, Clone)]
struct Pieces {
    stems: Vec<String>,
    weight: f32,
}

#[derive(Debug, Default, Clone)]
struct Concept {
    alts: Vec<Alt>,
    pieces: Vec<Pieces>,
}

impl Concept {
    fn add(&mut self, stem: &str, weight: f32) {
        let a = self.alt(stem, weight);
        a.whole = a.whole.max(weight);
    }

    fn add_pieces(&mut self, stems: &[String], weight: f32) {
        for stem in stems {
            self.alt(stem, weight);
        }
        if !stems.is_empty() {
            self.pieces.push(Pieces { stems: stems.to_vec(), weight });
        }
    }

    fn alt(&mut self, stem: &str, weight: f32) -> &mut Alt {
        let i = match self.alts.iter().position(|a| a.stem == stem) {
            Some(i) => i,
            None => {
                self.alts.push(Alt { stem: stem.to_owned(), weight, whole: 0.0 });
                self.alts.len() - 1
            }
        };
        let a = &mut self.alts[i];
        a.weight = a.weight.max(weight);
        a
    }

    /// How well a text that holds the stems `has` holds this concept: the evidence of the
    /// strongest whole alternative it holds, or the share of a set of pieces it holds (all parts
    /// of a compound the index does not know say almost as much as the compound).
    fn evidence(&self, has: impl Fn(&str) -> bool) -> f32 {
        let whole = self.alts.iter().filter(|a| a.whole > 0.0 && has(&a.stem)).map(|a| a.whole).fold(0.0, f32::max);
        self.pieces.iter().fold(whole, |best, p| {
            let held = p.stems.iter().filter(|s| has(s)).count() as f32 / p.stems.len() as f32;
            best.max(held * PARTS_EVIDENCE.min(p.weight * PIECE_EVIDENCE))
        })
    }
}

struct Plan {
    concepts: Vec<Concept>,
    exact: String,
    suggestion: Option<String>,
}

impl SearchIndex {
    pub fn search(&self, request: &Request<'_>, extras: Extras<'_>) -> Result<Results, IndexError> {
        let started = Instant::now();
        let analyzer = self.analyzer();
        let searcher = self.reader.searcher();
        let text = clip(request.text, MAX_QUERY_BYTES);
        let plan = self.plan(&analyzer, &searcher, text, request.as_you_type, extras.synonyms)?;
        let key = query_key(&analyzer, text);
        let boosts = extras.learning.map(|l| l.boosts(&key)).unwrap_or_default();
        let empty = Results {
            total: 0,
            capped: false,
            hits: Vec::new(),
            suggestion: None,
            query_key: key.clone(),
            confident: false,
            elapsed: Duration::ZERO,
        };
        if plan.concepts.is_empty() && boosts.is_empty() {
            return Ok(Results { elapsed: started.elapsed(), ..empty });
        }
        let filter = self.filter(request);
        let limit = request.limit.clamp(1, 100);
        let depth = (limit + 5).max(15);
        let (top, all_concepts) = self.candidates(&searcher, &plan, filter.as_ref(), limit, depth)?;

        // Rerank: coordination over the concepts, then what was learned.
        let evidence = self.evidence(&searcher, &plan, &top)?;
        let rarity = self.rarity(&searcher, &plan)?;
        let best = top.first().map_or(1.0, |(s, _)| *s).max(1e-3);
        let mut scored: Vec<(f32, f32, DocAddress)> = Vec::with_capacity(top.len() + boosts.len());
        let n = plan.concepts.len().max(1) as f32;
        let mut covered: HashMap<DocAddress, f32> = HashMap::with_capacity(top.len());
        for (i, (score, address)) in top.iter().enumerate() {
            let coord = evidence[i].iter().filter(|e| **e > 0.0).count() as f32 / n;
            scored.push((score * coordination(coord), 0.0, *address));
            covered.insert(*address, coverage(&evidence[i], &rarity));
        }
        let mut learned_only = 0usize;
        let answered = extras.learning.map(|l| l.answered(&key)).unwrap_or_default();
        let mut answers: Vec<DocAddress> = Vec::new();
        for (doc, boost) in &boosts {
            let Some(address) = self.find_visible(&searcher, doc, filter.as_ref())? else { continue };
            if answered.contains(&doc) {
                answers.push(address);
            }
            let extra = boost * best;
            match scored.iter_mut().find(|(_, _, a)| *a == address) {
                Some(entry) => {
                    entry.0 += extra;
                    entry.1 = extra;
                }
                None => {
                    learned_only += 1;
                    scored.push((extra, extra, address));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.2.cmp(&b.2)));
        scored.truncate(limit);
        let leaders = &scored[..scored.len().min(CONFIDENCE_DEPTH)];
        let covered_enough = leaders.iter().filter_map(|(_, _, a)| covered.get(a)).any(|c| *c >= CONFIDENT);
        let taught = leaders.iter().any(|(_, _, a)| answers.contains(a));
        let capped = all_concepts > COUNT_CAP;
        let total = all_concepts.min(COUNT_CAP).max(scored.len()) + learned_only;

        let highlighter =
            Highlighter::new(plan.concepts.iter().flat_map(|c| c.alts.iter().map(|a| a.stem.clone())).collect());
        let f = self.fields;
        let mut hits = Vec::with_capacity(scored.len());
        for (score, learned, address) in scored {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(key) = DocKey::decode(&stored_text(&doc, f.key)) else { continue };
            let title = stored_text(&doc, f.title_stored);
            let external_id = Some(stored_text(&doc, f.external_id)).filter(|s| !s.is_empty());
            hits.push(Hit {
                key,
                external_id,
                title_marked: highlight_title(&analyzer, &title, &highlighter),
                snippet: snippet(&analyzer, &stored_text(&doc, f.text_stored), &highlighter),
                detail: stored_text(&doc, f.detail),
                title,
                score,
                learned,
            });
        }
        // A title that names what was asked is the surest sign: the titles here are the
        // questions the articles answer.
        let titled = hits.iter().take(CONFIDENCE_DEPTH).any(|h| {
            let stems: foldhash::HashSet<String> = analyzer
                .words(&h.title)
                .iter()
                .flat_map(|w| std::iter::once(w.form.stem.clone()).chain(w.form.parts.iter().cloned()))
                .collect();
            let held: Vec<f32> = plan.concepts.iter().map(|c| c.evidence(|stem| stems.contains(stem))).collect();
            coverage(&held, &rarity) >= CONFIDENT_TITLE
        });
        let confident = taught || covered_enough || titled;
        Ok(Results {
            total,
            capped,
            hits,
            suggestion: plan.suggestion,
            query_key: key,
            confident,
            elapsed: started.elapsed(),
        })
    }

    /// The best `depth` documents the viewer may see, and how many match every concept (the
    /// "n results" an agent reads).
    ///
    /// With several concepts, the documents that match all of them are ranked first (one
    /// pass that also counts them; the rarest concept leads the intersection, so this is quick).
    /// When they are fewer than asked, and for a single concept, the plain disjunction is
    /// ranked with block-max WAND (it skips what cannot reach the top) and the filter is
    /// checked on the candidates; only when the filter removed too many is the filtered
    /// disjunction ranked in full.
    fn candidates(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        filter: &dyn Query,
        limit: usize,
        depth: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, usize), IndexError> {
        let count = count_up_to(searcher, &self.count_query(plan, filter), COUNT_CAP)?;
        // Long queries (a pasted question) rank the documents with every word first: the
        // intersection is narrow, a disjunction of that many terms is not.
        if plan.concepts.len() >= LONG_QUERY && count >= limit {
            let conjunction = self.all_concepts_query(plan, filter);
            let all = searcher.search(&conjunction, &TopDocs::with_limit(depth).order_by_score())?;
            if all.len() >= limit {
                return Ok((all, count));
            }
        }
        let text_query = self.text_query(searcher, plan);
        let top = searcher.search(text_query.as_ref(), &TopDocs::with_limit(depth).order_by_score())?;
        let passes = self.passes(searcher, filter, &top)?;
        let kept: Vec<(f32, DocAddress)> = top.iter().zip(passes).filter(|(_, ok)| *ok).map(|(t, _)| *t).collect();
        if kept.len() == top.len() || top.len() < depth {
            return Ok((kept, count));
        }
        let query = BooleanQuery::new(vec![(Occur::Must, text_query), (Occur::Must, filter.box_clone())]);
        Ok((searcher.search(&query, &TopDocs::with_limit(depth).order_by_score())?, count))
    }

    /// Which of `docs` the filter lets through.
    fn passes(
        &self,
        searcher: &Searcher,
        filter: &dyn Query,
        docs: &[(f32, DocAddress)],
    ) -> Result<Vec<bool>, IndexError> {
        let weight = filter.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut out = vec![false; docs.len()];
        for (segment_ord, list) in by_segment(docs) {
            let mut scorer = weight.scorer(searcher.segment_reader(segment_ord), 1.0)?;
            for (doc, i) in list {
                if scorer.doc() < doc {
                    scorer.seek(doc);
                }
                out[i] = scorer.doc() == doc;
            }
        }
        Ok(out)
    }

    /// Turns the typed text into concepts with their alternatives.
    fn plan(
        &self,
        analyzer: &Analyzer,
        searcher: &Searcher,
        text: &str,
        as_you_type: bool,
        synonyms: Option<&Synonyms>,
    ) -> Result<Plan, IndexError> {
        let words = analyzer.words(text);
        let has_content = words.iter().any(|w| !w.form.stop);
        // Typed words (not the joined forms of hyphenated ones), without stop words when
        // anything else was typed.
        let mut typed: Vec<&Word> = Vec::new();
        let mut joined_after: HashMap<usize, Vec<&Word>> = HashMap::new();
        for w in &words {
            if w.joined {
                if let Some(last) = typed.len().checked_sub(1) {
                    joined_after.entry(last).or_default().push(w);
                }
            } else if !has_content || !w.form.stop {
                typed.push(w);
            }
        }
        typed.truncate(MAX_CONCEPTS);
        let mut concepts: Vec<Concept> = vec![Concept::default(); typed.len()];
        let mut corrected: Vec<(String, String)> = Vec::new();
        let surface = self.fields.surface;
        let last = typed.len().wrapping_sub(1);
        let completing = as_you_type && !text.ends_with(char::is_whitespace);
        for (i, w) in typed.iter().enumerate() {
            let c = &mut concepts[i];
            c.add(&w.form.stem, 1.0);
            // "op je 16e", "de 2de keer": the number is what the texts hold.
            if let Some(number) = ordinal_number(&w.form.folded) {
                c.add(number, 1.0);
            }
            for j in joined_after.get(&i).into_iter().flatten() {
                c.add(&j.form.stem, JOINED);
            }
            let known = doc_freq(searcher, surface, &w.form.folded)? > 0;
            let completion_pending = completing && i == last;
            if known {
                c.add_pieces(&w.form.parts, QUERY_PART_KNOWN);
            } else {
                c.add_pieces(&w.form.parts, QUERY_PART_UNKNOWN);
                // A real word that the texts happen not to hold (lekker, opruimen) is what the
                // agent meant: it is searched as typed, not "corrected" into a neighbour.
                let a_word = analyzer.lexicon().knows(&w.form.folded);
                if !completion_pending
                    && !a_word
                    && let Some(fix) = self.correction(searcher, &w.form.folded)?
                {
                    c.add(&analyzer.stem(&fix), CORRECTION);
                    corrected.push((w.form.folded.clone(), fix));
                }
            }
            if completion_pending {
                for word in self.completions(searcher, &w.form.folded)? {
                    c.add(&analyzer.stem(&word), COMPLETION);
                }
            }
        }
        // A separable verb split over the sentence: "wanneer halen jullie het grofvuil op" also
        // searches ophalen (and "opgehaald" for "gehaald ... op"), when the texts have it.
        for (pi, p) in words.iter().enumerate().filter(|(_, w)| !w.joined && analyzer.is_particle(&w.form.folded)) {
            for (i, w) in typed.iter().enumerate() {
                if w.position >= words[pi].position || w.form.stop || analyzer.is_particle(&w.form.folded) {
                    continue;
                }
                let joined = format!("{}{}", p.form.folded, w.form.folded);
                if doc_freq(searcher, surface, &joined)? > 0 {
                    concepts[i].add(&analyzer.stem(&joined), JOINED);
                }
            }
        }
        // Adjacent words written as one: "energie toeslag" also searches energietoeslag.
        for i in 1..typed.len() {
            let joined = format!("{}{}", typed[i - 1].form.folded, typed[i].form.folded);
            if doc_freq(searcher, surface, &joined)? > 0 {
                let stem = analyzer.stem(&joined);
                concepts[i - 1].add(&stem, JOINED);
                concepts[i].add(&stem, JOINED);
            }
        }
        if let Some(synonyms) = synonyms.filter(|s| !s.is_empty()) {
            let stems: Vec<&str> = typed.iter().map(|w| w.form.stem.as_str()).collect();
            for (start, len, others) in synonyms.matches(&stems) {
                for phrase in others {
                    // A phrase ("medische hulp") is evidence only as a whole, like a compound.
                    for c in &mut concepts[start..start + len] {
                        match phrase.search_stems.as_slice() {
                            [one] => c.add(one, SYNONYM),
                            several => c.add_pieces(several, SYNONYM),
                        }
                    }
                }
            }
        }
        let suggestion = if corrected.is_empty() {
            None
        } else {
            let mut out = String::new();
            for w in &words {
                if w.joined {
                    continue;
                }
                if !out.is_empty() {
                    out.push(' ');
                }
                match corrected.iter().find(|(from, _)| *from == w.form.folded) {
                    Some((_, to)) => out.push_str(to),
                    None => out.push_str(&text[w.span.clone()]),
                }
            }
            Some(out)
        };
        let exact = if text.len() <= 300 { analyzer.exact_key(text) } else { String::new() };
        Ok(Plan { concepts, exact, suggestion })
    }

    /// Every alternative of every concept in every field, as one disjunction.
    fn text_query(&self, searcher: &Searcher, plan: &Plan) -> Box<dyn Query> {
        let mut weights: HashMap<&str, f32> = HashMap::new();
        for c in &plan.concepts {
            for a in &c.alts {
                let w = weights.entry(a.stem.as_str()).or_default();
                *w = w.max(a.weight);
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut terms: Vec<(&str, f32)> = weights.into_iter().collect();
        terms.sort_by(|a, b| a.0.cmp(b.0));
        // Compound parts matter most for short queries ("toeslag" finding "energietoeslag").
        // In longer ones a part clause is kept only for words used mostly inside compounds:
        // every clause costs block-max WAND time, and a common word's parts rarely decide.
        let f = self.fields;
        let mostly_inside = |stem: &str| -> bool {
            let df = |field| searcher.doc_freq(&Term::from_field_text(field, stem)).unwrap_or(0);
            df(f.parts) > df(f.text)
        };
        let short = plan.concepts.len() <= SHORT_QUERY;
        for (stem, weight) in terms {
            clauses.push((Occur::Should, boosted(f.text, stem, weight * TEXT)));
            if short || mostly_inside(stem) {
                clauses.push((Occur::Should, boosted(f.parts, stem, weight * PARTS)));
            }
        }
        if !plan.exact.is_empty() {
            clauses.push((Occur::Should, boosted(self.fields.exact, &plan.exact, EXACT_TITLE)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Who may see what, which kinds, categories and audience were asked for, and validity now.
    fn filter(&self, r: &Request<'_>) -> Box<dyn Query> {
        let f = self.fields;
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let any_of = |field: Field, values: &mut dyn Iterator<Item = String>| -> Box<dyn Query> {
            let clauses: Vec<(Occur, Box<dyn Query>)> = values
                .map(|v| {
                    let term = Term::from_field_text(field, &v);
                    (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
                })
                .collect();
            Box::new(BooleanQuery::new(clauses))
        };
        match r.viewer {
            Viewer::Public => {
                must.push((Occur::Must, any_of(f.audience, &mut std::iter::once(Audience::Publiek.id().to_owned()))));
                must.push((Occur::Must, any_of(f.kind, &mut std::iter::once(Kind::Article.id().to_owned()))));
            }
            Viewer::Employee { units } => {
                let mut reach = std::iter::once(EVERYONE.to_owned()).chain(units.iter().cloned());
                must.push((Occur::Must, any_of(f.reach, &mut reach)));
            }
        }
        if !r.kinds.is_empty() {
            must.push((Occur::Must, any_of(f.kind, &mut r.kinds.iter().map(|k| k.id().to_owned()))));
        }
        if let Some(a) = r.audience {
            must.push((Occur::Must, any_of(f.audience, &mut std::iter::once(a.id().to_owned()))));
        }
        if let Some(category) = r.category.and_then(|c| category_prefixes(c).pop()) {
            must.push((Occur::Must, any_of(f.category, &mut std::iter::once(category))));
        }
        let from = Term::from_field_i64(f.valid_from, r.now);
        let until = Term::from_field_i64(f.valid_until, r.now);
        must.push((Occur::Must, Box::new(RangeQuery::new(Bound::Unbounded, Bound::Included(from)))));
        must.push((Occur::Must, Box::new(RangeQuery::new(Bound::Excluded(until), Bound::Unbounded))));
        Box::new(BooleanQuery::new(must))
    }

    /// Visible documents containing every concept (any alternative, anywhere): unscored, over
    /// the one `all` field, so a concept of one alternative is a single posting list.
    fn count_query(&self, plan: &Plan, filter: &dyn Query) -> BooleanQuery {
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, filter.box_clone())];
        for c in &plan.concepts {
            let mut any: Vec<(Occur, Box<dyn Query>)> = c
                .alts
                .iter()
                .map(|a| {
                    let term = Term::from_field_text(self.fields.all, &a.stem);
                    (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
                })
                .collect();
            let concept: Box<dyn Query> =
                if any.len() == 1 { any.pop().map(|(_, q)| q).expect("one") } else { Box::new(BooleanQuery::new(any)) };
            must.push((Occur::Must, concept));
        }
        BooleanQuery::new(must)
    }

    /// Visible documents that match every concept, scored like the disjunction.
    fn all_concepts_query(&self, plan: &Plan, filter: &dyn Query) -> BooleanQuery {
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, filter.box_clone())];
        for c in &plan.concepts {
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for a in &c.alts {
                for (field, weight) in self.weighted_fields() {
                    any.push((Occur::Should, boosted(field, &a.stem, weight * a.weight)));
                }
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if !plan.exact.is_empty() {
            must.push((Occur::Should, boosted(self.fields.exact, &plan.exact, EXACT_TITLE)));
        }
        BooleanQuery::new(must)
    }

    fn weighted_fields(&self) -> [(Field, f32); 2] {
        let f = self.fields;
        [(f.text, TEXT), (f.parts, PARTS)]
    }

    /// For each hit, per concept, how well it holds the concept in any field
    /// ([`Concept::evidence`]).
    fn evidence(
        &self,
        searcher: &Searcher,
        plan: &Plan,
        top: &[(f32, DocAddress)],
    ) -> Result<Vec<Vec<f32>>, IndexError> {
        let stems: Vec<&str> = {
            let mut all: Vec<&str> =
                plan.concepts.iter().flat_map(|c| c.alts.iter().map(|a| a.stem.as_str())).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        // Which of the query's stems each hit holds, as a bit per stem.
        let mut held = vec![vec![false; stems.len()]; top.len()];
        for (segment_ord, docs) in by_segment(top) {
            let reader = searcher.segment_reader(segment_ord);
            // `all` holds stems and parts together: one posting list per alternative.
            let inverted = reader.inverted_index(self.fields.all)?;
            for (si, stem) in stems.iter().enumerate() {
                let term = Term::from_field_text(self.fields.all, stem);
                let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else { continue };
                for (doc, i) in &docs {
                    if postings.doc() <= *doc && postings.seek(*doc) == *doc {
                        held[*i][si] = true;
                    }
                }
            }
        }
        Ok(held
            .iter()
            .map(|has| {
                let has = |stem: &str| stems.binary_search(&stem).is_ok_and(|si| has[si]);
                plan.concepts.iter().map(|c| c.evidence(has)).collect()
            })
            .collect())
    }

    /// How much each concept tells: the inverse document frequency of the word as typed, the
    /// highest for a word the index does not hold (what the query is about, most likely).
    fn rarity(&self, searcher: &Searcher, plan: &Plan) -> Result<Vec<f32>, IndexError> {
        let docs = searcher.num_docs() as f32;
        let mut out = Vec::with_capacity(plan.concepts.len());
        for c in &plan.concepts {
            let df = match c.alts.first() {
                Some(typed) => doc_freq(searcher, self.fields.all, &typed.stem)? as f32,
                None => 0.0,
            };
            out.push((1.0 + docs / (df + 1.0)).ln());
        }
        Ok(out)
    }

    /// Where a document is, if the filter lets the viewer see it.
    fn find_visible(
        &self,
        searcher: &Searcher,
        doc: &DocKey,
        filter: &dyn Query,
    ) -> Result<Option<DocAddress>, IndexError> {
        let by_key = TermQuery::new(Term::from_field_text(self.fields.key, &doc.encoded()), IndexRecordOption::Basic);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(by_key) as Box<dyn Query>),
            (Occur::Must, filter.box_clone()),
        ]);
        Ok(searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?.first().map(|(_, a)| *a))
    }

    /// The closest known word to a word the index does not have, within an edit distance that
    /// grows with the word's length; the most common one wins a tie.
    fn correction(&self, searcher: &Searcher, folded: &str) -> Result<Option<String>, IndexError> {
        let distance = match folded.chars().count() {
            0..=3 => return Ok(None),
            4..=7 => 1,
            _ => 2,
        };
        if folded.chars().any(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let mut best: Option<(u32, u64, String)> = None;
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.surface)?;
            let automaton =
                FuzzyTermQuery::new(Term::from_field_text(self.fields.surface, folded), distance, true).automaton()?;
            let mut stream = inverted.terms().search(automaton).into_stream()?;
            while stream.advance() {
                let Ok(word) = std::str::from_utf8(stream.key()) else { continue };
                let d = edit_distance(folded, word);
                let df = u64::from(stream.value().doc_freq);
                let better = match &best {
                    None => true,
                    Some((bd, bdf, bw)) => d < *bd || (d == *bd && (df > *bdf || (df == *bdf && word < bw.as_str()))),
                };
                if better {
                    best = Some((d, df, word.to_owned()));
                }
            }
        }
        Ok(best.map(|(_, _, w)| w))
    }

    /// The most common indexed words that start with `prefix` (search as you type).
    fn completions(&self, searcher: &Searcher, prefix: &str) -> Result<Vec<String>, IndexError> {
        if prefix.chars().count() < 2 {
            return Ok(Vec::new());
        }
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.surface)?;
            let mut stream = inverted.terms().range().gt(prefix.as_bytes()).lt(&upper).into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < COMPLETION_SCAN {
                scanned += 1;
                if let Ok(word) = std::str::from_utf8(stream.key()) {
                    *counts.entry(word.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut list: Vec<(String, u64)> = counts.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(list.into_iter().take(MAX_COMPLETIONS).map(|(w, _)| w).collect())
    }
}

/// Documents per segment in doc-id order (with their index in `docs`), so that each posting
/// list or filter is walked forward once.
/// How many live documents match `query`, counting no further than `cap + 1`.
fn count_up_to(searcher: &Searcher, query: &dyn Query, cap: usize) -> Result<usize, IndexError> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0;
    for reader in searcher.segment_readers() {
        let alive = reader.alive_bitset();
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n > cap {
                    return Ok(n);
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(n)
}

fn by_segment(docs: &[(f32, DocAddress)]) -> Vec<(u32, Vec<(DocId, usize)>)> {
    let mut map: HashMap<u32, Vec<(DocId, usize)>> = HashMap::new();
    for (i, (_, a)) in docs.iter().enumerate() {
        map.entry(a.segment_ord).or_default().push((a.doc_id, i));
    }
    let mut out: Vec<(u32, Vec<(DocId, usize)>)> = map.into_iter().collect();
    for (_, list) in &mut out {
        list.sort_unstable();
    }
    out.sort_unstable_by_key(|(s, _)| *s);
    out
}

/// How much of the query a hit covers: the concepts it holds, each counted by how much it tells
/// ([`SearchIndex::rarity`]) and by how close the match is (the word itself or a variant).
fn coverage(evidence: &[f32], rarity: &[f32]) -> f32 {
    let total: f32 = rarity.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    evidence.iter().zip(rarity).map(|(e, r)| e * r).sum::<f32>() / total
}

/// The number of a Dutch ordinal written with digits (16e, 2de, 1ste).
fn ordinal_number(folded: &str) -> Option<&str> {
    let digits = folded.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &folded[digits.len()..];
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && matches!(suffix, "e" | "de" | "ste"))
        .then_some(digits)
}

/// Documents matching more of the typed words rank higher (the share of concepts matched).
fn coordination(share: f32) -> f32 {
    0.35 + 0.65 * share * share
}

fn boosted(field: Field, text: &str, weight: f32) -> Box<dyn Query> {
    let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), weight))
}

fn doc_freq(searcher: &Searcher, field: Field, text: &str) -> Result<u64, IndexError> {
    Ok(searcher.doc_freq(&Term::from_field_text(field, text))?)
}

/// At most `max` bytes, cut at a character boundary.
pub(crate) fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Optimal string alignment distance (a swap of two neighbours counts as one edit).
pub(crate) fn edit_distance(a: &str, b: &str) -> u32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0u32; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i as u32;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j as u32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = u32::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(edit_distance("energietoesalg", "energietoeslag"), 1);
        assert_eq!(edit_distance("huurtoeslach", "huurtoeslag"), 2);
        assert_eq!(edit_distance("paspoort", "paspoort"), 0);
    }

    #[test]
    fn pieces_count_only_together_and_a_whole_word_counts_on_its_own() {
        let mut c = Concept::default();
        c.add("huurtoeslagaanvragen", 1.0);
        c.add_pieces(&["huurtoeslag".into(), "aanvragen".into()], QUERY_PART_UNKNOWN);
        // "kaart" comes in as a word of its own after being a piece: both count.
        c.add_pieces(&["identiteit".into(), "kaart".into()], SYNONYM);
        c.add("kaart", SYNONYM);
        let holds = |words: &'static [&'static str]| move |stem: &str| words.contains(&stem);
        assert_eq!(c.evidence(holds(&["huurtoeslagaanvragen"])), 1.0);
        assert!((c.evidence(holds(&["huurtoeslag", "aanvragen"])) - PARTS_EVIDENCE).abs() < 1e-6);
        assert!(c.evidence(holds(&["huurtoeslag"])) < CONFIDENT, "half a compound is not the compound");
        assert!((c.evidence(holds(&["identiteit"])) - 0.45).abs() < 1e-6, "one piece of two counts half");
        assert!((c.evidence(holds(&["kaart"])) - SYNONYM).abs() < 1e-6);
    }

    #[test]
    fn coverage_weighs_concepts_by_rarity() {
        assert_eq!(coverage(&[1.0, 0.0], &[3.0, 1.0]), 0.75);
        assert_eq!(coverage(&[0.0, 1.0], &[3.0, 1.0]), 0.25);
        assert_eq!(coverage(&[], &[]), 0.0);
    }

    #[test]
    fn an_ordinal_in_digits_is_its_number() {
        assert_eq!(ordinal_number("16e"), Some("16"));
        assert_eq!(ordinal_number("2de"), Some("2"));
        assert_eq!(ordinal_number("1ste"), Some("1"));
        assert_eq!(ordinal_number("16"), None);
        assert_eq!(ordinal_number("b12e"), None);
        assert_eq!(ordinal_number("3g"), None);
    }

    #[test]
    fn clipping_never_cuts_a_character() {
        assert_eq!(clip("ééé", 3), "é");
        assert_eq!(clip("abc", 10), "abc");
    }
}
