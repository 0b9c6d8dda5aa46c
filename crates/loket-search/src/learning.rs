//! Learning from use: what agents open after a query, and what they mark as "dit beantwoordde
//! de vraag", raises that document for the same and similar queries.
//!
//! Rules:
//! - A query is known by its key: its distinct stems without stop words, sorted ("paspoort
//!   kwijt", "Kwijt: paspoorten?" share one key). Similar queries (Jaccard overlap of the stems
//!   of at least [`SIMILAR`]) share the boost in proportion to that overlap.
//! - Each person counts once per (query, document): their latest opening and their latest
//!   "beantwoord" (worth [`Params::answered`] openings), so one enthusiastic colleague cannot take
//!   a query over.
//! - Signals fade with a half-life ([`Params::half_life_days`]); the boost saturates towards
//!   [`Params::cap`] (a share of the best text score of the query), so learning reorders good
//!   answers but a single click never buries a clearly better text match.
//! - Resets are the application's business: it leaves out the signals from before a reset.

use std::collections::HashMap;

use crate::analysis::Analyzer;
use crate::document::DocKey;

pub const SIMILAR: f32 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignalKind {
    Opened,
    Answered,
}

/// One use of a document after a query.
#[derive(Debug, Clone)]
pub struct Signal {
    pub query: String,
    pub doc: DocKey,
    pub kind: SignalKind,
    /// Who (any stable id); one person counts once per query and document.
    pub person: String,
    /// How long ago, in days.
    pub age_days: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub half_life_days: f64,
    pub answered: f64,
    /// Highest boost, as a share of the best text score.
    pub cap: f64,
    /// The learned weight at which the boost reaches 63% of the cap.
    pub saturation: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params { half_life_days: 30.0, answered: 3.0, cap: 0.5, saturation: 6.0 }
    }
}

/// What was learned for one query key and document (the redacteur's view).
#[derive(Debug, Clone)]
pub struct Learned {
    pub query_key: String,
    pub doc: DocKey,
    /// Decayed weight of the signals.
    pub weight: f64,
    /// Number of distinct people behind it.
    pub people: usize,
    /// The part of `weight` from "dit beantwoordde de vraag" (not from opening).
    pub answered: f64,
    /// The boost this gives (share of the best text score).
    pub boost: f32,
}

#[derive(Debug, Default)]
pub struct Learning {
    entries: Vec<Learned>,
    by_key: HashMap<String, Vec<usize>>,
    by_stem: HashMap<String, Vec<String>>,
}

/// The key of a query: distinct non-stop stems, sorted, joined by a space.
pub fn query_key(analyzer: &Analyzer, query: &str) -> String {
    let words = analyzer.words(query);
    let any_content = words.iter().any(|w| !w.form.stop);
    let mut stems: Vec<&str> =
        words.iter().filter(|w| !w.joined && (!any_content || !w.form.stop)).map(|w| w.form.stem.as_str()).collect();
    stems.sort_unstable();
    stems.dedup();
    stems.join(" ")
}

impl Learning {
    pub fn new(analyzer: &Analyzer, signals: impl IntoIterator<Item = Signal>, params: Params) -> Learning {
        // (key, doc, person) → latest opened, latest answered (as decayed weights).
        let mut per_person: HashMap<(String, DocKey, String), (f64, f64)> = HashMap::new();
        for s in signals {
            let key = query_key(analyzer, &s.query);
            if key.is_empty() {
                continue;
            }
            let decay = 0.5f64.powf(s.age_days.max(0.0) / params.half_life_days);
            let e = per_person.entry((key, s.doc, s.person)).or_default();
            match s.kind {
                SignalKind::Opened => e.0 = e.0.max(decay),
                SignalKind::Answered => e.1 = e.1.max(decay * params.answered),
            }
        }
        let mut totals: HashMap<(String, DocKey), (f64, usize, f64)> = HashMap::new();
        for ((key, doc, _), (opened, answered)) in per_person {
            let t = totals.entry((key, doc)).or_default();
            t.0 += opened + answered;
            t.1 += 1;
            t.2 += answered;
        }
        let mut learning = Learning::default();
        for ((query_key, doc), (weight, people, answered)) in totals {
            let boost = (params.cap * (1.0 - (-weight / params.saturation).exp())) as f32;
            let i = learning.entries.len();
            learning.by_key.entry(query_key.clone()).or_default().push(i);
            learning.entries.push(Learned { query_key, doc, weight, people, answered, boost });
        }
        for key in learning.by_key.keys() {
            for stem in key.split(' ') {
                learning.by_stem.entry(stem.to_owned()).or_default().push(key.clone());
            }
        }
        learning.entries.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        // Indices moved with the sort: rebuild them.
        learning.by_key.clear();
        for (i, e) in learning.entries.iter().enumerate() {
            learning.by_key.entry(e.query_key.clone()).or_default().push(i);
        }
        learning
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Everything learned, strongest first.
    pub fn entries(&self) -> &[Learned] {
        &self.entries
    }

    /// The documents agents marked as the answer ("dit beantwoordde de vraag") to this very
    /// query key; opening one is not enough.
    pub fn answered(&self, key: &str) -> Vec<&DocKey> {
        self.by_key
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
            .filter(|e| e.answered > 0.0)
            .map(|e| &e.doc)
            .collect()
    }

    /// The boost per document for a query key: the learned boost of the same or a similar
    /// key, scaled by how similar it is (the strongest one counts).
    pub fn boosts(&self, key: &str) -> HashMap<DocKey, f32> {
        let mut out: HashMap<DocKey, f32> = HashMap::new();
        if key.is_empty() || self.entries.is_empty() {
            return out;
        }
        let stems: Vec<&str> = key.split(' ').collect();
        let mut candidates: Vec<&String> = stems.iter().filter_map(|s| self.by_stem.get(*s)).flatten().collect();
        candidates.sort_unstable();
        candidates.dedup();
        for other in candidates {
            let similarity = jaccard(&stems, other);
            if similarity < SIMILAR {
                continue;
            }
            for &i in self.by_key.get(other).into_iter().flatten() {
                let e = &self.entries[i];
                let b = e.boost * similarity;
                let slot = out.entry(e.doc.clone()).or_default();
                *slot = slot.max(b);
            }
        }
        out
    }
}

fn jaccard(a: &[&str], b: &str) -> f32 {
    let b: Vec<&str> = b.split(' ').collect();
    let common = a.iter().filter(|s| b.contains(s)).count();
    let union = a.len() + b.len() - common;
    if union == 0 { 0.0 } else { common as f32 / union as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Lexicon;
    use crate::document::Kind;

    fn signal(query: &str, doc: &str, kind: SignalKind, person: &str, age_days: f64) -> Signal {
        Signal { query: query.into(), doc: DocKey::new(Kind::Article, doc), kind, person: person.into(), age_days }
    }

    #[test]
    fn the_same_question_in_other_words_shares_a_key() {
        let a = Analyzer::new(Lexicon::builtin());
        assert_eq!(query_key(&a, "paspoort kwijt"), query_key(&a, "Kwijt: paspoort?"));
        assert_eq!(query_key(&a, "mijn paspoorten kwijt"), query_key(&a, "paspoort kwijt"));
    }

    #[test]
    fn one_person_clicking_many_times_counts_once() {
        let a = Analyzer::new(Lexicon::builtin());
        let many = (0..50).map(|_| signal("paspoort kwijt", "x", SignalKind::Opened, "anouk", 0.0));
        let once =
            Learning::new(&a, [signal("paspoort kwijt", "x", SignalKind::Opened, "anouk", 0.0)], Params::default());
        let spam = Learning::new(&a, many, Params::default());
        assert_eq!(once.entries()[0].boost, spam.entries()[0].boost);
    }

    #[test]
    fn the_boost_is_capped_and_an_answer_weighs_more_than_a_click() {
        let a = Analyzer::new(Lexicon::builtin());
        let p = Params::default();
        let crowd = (0..500).map(|i| signal("paspoort kwijt", "x", SignalKind::Answered, &format!("p{i}"), 0.0));
        let learned = Learning::new(&a, crowd, p);
        assert!(learned.entries()[0].boost <= p.cap as f32);
        let click = Learning::new(&a, [signal("q", "x", SignalKind::Opened, "a", 0.0)], p).entries()[0].boost;
        let answer = Learning::new(&a, [signal("q", "x", SignalKind::Answered, "a", 0.0)], p).entries()[0].boost;
        assert!(answer > click && click < 0.1, "{click} {answer}");
    }

    #[test]
    fn old_signals_fade() {
        let a = Analyzer::new(Lexicon::builtin());
        let p = Params::default();
        let fresh = Learning::new(&a, [signal("q", "x", SignalKind::Answered, "a", 0.0)], p).entries()[0].weight;
        let old = Learning::new(&a, [signal("q", "x", SignalKind::Answered, "a", 60.0)], p).entries()[0].weight;
        assert!((old - fresh / 4.0).abs() < 1e-9, "two half-lives: {fresh} → {old}");
    }

    #[test]
    fn a_similar_query_gets_part_of_the_boost_and_an_unrelated_one_none() {
        let a = Analyzer::new(Lexicon::builtin());
        let learned = Learning::new(
            &a,
            [signal("paspoort kwijt buitenland", "x", SignalKind::Answered, "a", 0.0)],
            Params::default(),
        );
        let full = learned.boosts(&query_key(&a, "paspoort kwijt buitenland"))[&DocKey::new(Kind::Article, "x")];
        let similar = learned.boosts(&query_key(&a, "paspoort kwijt"))[&DocKey::new(Kind::Article, "x")];
        assert!(similar > 0.0 && similar < full);
        assert!(learned.boosts(&query_key(&a, "rijbewijs verlengen")).is_empty());
    }
}
