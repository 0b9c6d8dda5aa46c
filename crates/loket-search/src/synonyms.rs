//! Synonyms managed by redacteuren, applied when a query is read (so a change needs no reindex).
//!
//! Rules: a group is a list of words or phrases that mean the same to a citizen
//! ("ID-kaart", "identiteitskaart", "id kaart"). A query containing one of them also searches
//! the others, with a little less weight than what was typed. Phrases match on the analysed
//! words, so case, diacritics and inflection do not matter.

use crate::analysis::Analyzer;

/// Everyday words next to the words the texts use, one group per line.
const EVERYDAY: &str = include_str!("data/spreektaal.txt");

/// Longest phrase that can match, in words.
pub(crate) const MAX_PHRASE_WORDS: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Each group as its phrases; each phrase as its stems (joined forms of hyphenated words
    /// left out, so "ID-kaart" is id + kaart).
    groups: Vec<Vec<Phrase>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub stems: Vec<String>,
    /// The stems to search for this phrase: its words, and for a hyphenated phrase also the
    /// joined word (id-kaart → idkaart).
    pub search_stems: Vec<String>,
}

impl Synonyms {
    pub fn new(analyzer: &Analyzer, groups: &[Vec<String>]) -> Synonyms {
        let groups = groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|phrase| {
                        let words = analyzer.words(phrase);
                        Phrase {
                            stems: words.iter().filter(|w| !w.joined).map(|w| w.form.stem.clone()).collect(),
                            search_stems: words.iter().filter(|w| !w.form.stop).map(|w| w.form.stem.clone()).collect(),
                        }
                    })
                    .filter(|p| !p.stems.is_empty() && p.stems.len() <= MAX_PHRASE_WORDS)
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() > 1)
            .collect();
        Synonyms { groups }
    }

    /// The redacteuren's `groups` on top of the built-in everyday words
    /// (`data/spreektaal.txt`: baas → werkgever, hesje → veiligheidsvest).
    pub fn with_everyday(analyzer: &Analyzer, groups: &[Vec<String>]) -> Synonyms {
        let everyday = EVERYDAY
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| l.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect::<Vec<_>>());
        let all: Vec<Vec<String>> = groups.iter().cloned().chain(everyday).collect();
        Synonyms::new(analyzer, &all)
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// For the query's stems: every (start, length) span that matches a phrase, with the other
    /// phrases of its group.
    pub(crate) fn matches<'a>(&'a self, stems: &[&str]) -> Vec<(usize, usize, Vec<&'a Phrase>)> {
        let mut out = Vec::new();
        for group in &self.groups {
            for (i, phrase) in group.iter().enumerate() {
                let n = phrase.stems.len();
                if n > stems.len() {
                    continue;
                }
                for start in 0..=stems.len() - n {
                    if phrase.stems.iter().zip(&stems[start..start + n]).all(|(a, b)| a == b) {
                        let others = group.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| p).collect();
                        out.push((start, n, others));
                    }
                }
            }
        }
        out
    }
}
