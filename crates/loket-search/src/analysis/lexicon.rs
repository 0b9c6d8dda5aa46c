//! The known Dutch words that compounds are split into.
//!
//! Sources: the word list of the OpenTaal dictionary in Debian's `hunspell-nl` package when it
//! is installed (`/usr/share/hunspell/nl.dic`, about 180,000 stems), a built-in list of common
//! words of public-service language, and words added at run time (the indexed texts, the UPL
//! product names). Without hunspell-nl, compounds of known words are still split; the caller
//! logs which source is in use.
//!
//! Only the dictionary's word list is read, not its compound rules: hunspell accepts almost any
//! chain of words as a compound (bel|angstellenden), while a split must find real single words.
//!
//! Each word carries a weight: how often it stands on its own in the indexed texts, or a fixed
//! weight for listed words. A part must weigh at least [`KNOWN`]: a rare dictionary word of
//! four letters ("arre", "stan") does not make arrestatie or standing a compound, a word seen
//! twice in the texts or listed here does. Long words also count through their stem
//! (bedrijven, vergunningen).

use std::collections::HashMap;
use std::path::Path;

use super::fold;

const BASE_WORDS: &str = include_str!("../data/basiswoorden.txt");

/// Where Debian's hunspell-nl puts the OpenTaal word list.
pub const SYSTEM_DICTIONARY: &str = "/usr/share/hunspell/nl.dic";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexiconSource {
    /// The hunspell-nl word list plus the built-in and added words.
    Hunspell,
    /// Only the built-in and added words.
    Builtin,
}

/// The weight a part needs.
pub const KNOWN: u32 = 2;
const BUILTIN_WEIGHT: u32 = 5;
/// Product names from the UPL list: official words.
pub const LISTED_WEIGHT: u32 = 3;

pub struct Lexicon {
    source: LexiconSource,
    words: HashMap<String, u32>,
    stems: HashMap<String, u32>,
    stemmer: rust_stemmers::Stemmer,
}

impl Clone for Lexicon {
    fn clone(&self) -> Lexicon {
        Lexicon {
            source: self.source,
            words: self.words.clone(),
            stems: self.stems.clone(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch),
        }
    }
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("source", &self.source).field("words", &self.words.len()).finish()
    }
}

impl Lexicon {
    /// The built-in words only.
    pub fn builtin() -> Lexicon {
        let mut lexicon = Lexicon {
            source: LexiconSource::Builtin,
            words: HashMap::new(),
            stems: HashMap::new(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch),
        };
        let base = BASE_WORDS.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace);
        lexicon.add(base.map(|w| (w, BUILTIN_WEIGHT)));
        lexicon
    }

    /// The built-in words plus the hunspell word list at `dic`, or the built-in words alone, with
    /// the reason, when it cannot be read.
    pub fn with_hunspell(dic: &Path) -> (Lexicon, Option<String>) {
        let mut lexicon = Lexicon::builtin();
        match std::fs::read_to_string(dic) {
            Ok(text) => {
                // Line 1 is the entry count; each entry is "word" or "word/FLAGS". Proper
                // names (capitalised) are no parts of common compounds.
                let words = text
                    .lines()
                    .skip(1)
                    .map(|l| l.split(['/', '\t']).next().unwrap_or(""))
                    .filter(|w| w.chars().next().is_some_and(char::is_lowercase))
                    // Short dictionary words alone are too rare and too many to trust as parts.
                    .map(|w| (w, if w.chars().count() >= 5 { KNOWN } else { 1 }));
                lexicon.add(words);
                lexicon.source = LexiconSource::Hunspell;
                (lexicon, None)
            }
            Err(e) => (lexicon, Some(format!("cannot read {}: {e}", dic.display()))),
        }
    }

    pub fn source(&self) -> LexiconSource {
        self.source
    }

    /// Adds words (any case) with their weight; a word added twice keeps the larger weight.
    /// Short ones and those with digits or punctuation are skipped: poor compound parts.
    pub fn add<'a>(&mut self, words: impl IntoIterator<Item = (&'a str, u32)>) {
        for (w, weight) in words {
            // OpenTaal writes the ij as one character.
            let w = fold(&w.trim().replace('ĳ', "ij"));
            if w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase()) {
                let stem = super::dutch_stem(&self.stemmer, &w);
                let s = self.stems.entry(stem).or_default();
                *s = (*s).max(weight);
                let e = self.words.entry(w).or_default();
                *e = (*e).max(weight);
            }
        }
    }

    /// The weight of `folded`: its own, or for a word of at least `stem_from` letters that of
    /// its stem (an inflected form of a known word).
    pub fn weight(&self, folded: &str, stem_from: usize) -> u32 {
        let own = self.words.get(folded).copied().unwrap_or(0);
        if own >= KNOWN || folded.len() < stem_from {
            return own;
        }
        own.max(self.stems.get(&super::dutch_stem(&self.stemmer, folded)).copied().unwrap_or(0))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether `folded` (a folded word) is known well enough to be a part of a compound, as
    /// written or (from `stem_from` letters on) as an inflection of a known word.
    pub fn contains(&self, folded: &str, stem_from: usize) -> bool {
        self.weight(folded, stem_from) >= KNOWN
    }
}
