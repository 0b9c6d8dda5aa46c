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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    /// The built-in and dictionary words, fixed once read and shared by every copy.
    fixed: Arc<FixedWords>,
    /// Words added at run time (the indexed texts, product names) and their stems.
    words: HashMap<String, u32>,
    stems: HashMap<String, u32>,
    stemmer: rust_stemmers::Stemmer,
}

/// Words and stems with their weights as finite-state maps (the `fst` crate, chosen because it
/// is the well-kept structure for exactly this: a sorted set of keys, compressed, looked up in
/// place): hunspell-nl's 132,000 usable words and 116,000 stems take 1.5 MB this way, where hash
/// maps of strings took some 30 MB for each of the two copies a search index holds (the base
/// and the one with its vocabulary); an idle server went from 98 to 40 MB.
struct FixedWords {
    words: fst::Map<Vec<u8>>,
    stems: fst::Map<Vec<u8>>,
}

impl FixedWords {
    /// Builds both maps from (word, weight) pairs, any case: each word kept once, with its
    /// largest weight, and so each stem.
    fn build<'a>(words: impl IntoIterator<Item = (&'a str, u32)>, stemmer: &rust_stemmers::Stemmer) -> FixedWords {
        let mut lists = KeyLists::with_capacity(0);
        for (w, weight) in words {
            lists.push(w, weight, stemmer);
        }
        lists.into_fixed()
    }

    fn weight(map: &fst::Map<Vec<u8>>, key: &str) -> u32 {
        map.get(key).map_or(0, |w| u32::try_from(w).unwrap_or(u32::MAX))
    }
}

/// The words and their stems on their way into [`FixedWords`].
struct KeyLists {
    words: KeyList,
    stems: KeyList,
}

impl KeyLists {
    fn with_capacity(words: usize) -> KeyLists {
        let list = || KeyList { text: String::with_capacity(words * 10), entries: Vec::with_capacity(words) };
        KeyLists { words: list(), stems: list() }
    }

    /// Adds a word (any case) and its stem, when it is one the lexicon keeps (see [`usable`]).
    fn push(&mut self, w: &str, weight: u32, stemmer: &rust_stemmers::Stemmer) {
        if let Some(w) = usable(w) {
            self.stems.push(&super::dutch_stem(stemmer, &w), weight);
            self.words.push(&w, weight);
        }
    }

    fn into_fixed(self) -> FixedWords {
        FixedWords { words: self.words.into_map(), stems: self.stems.into_map() }
    }
}

/// Keys in one buffer, with their weights, to be sorted into an `fst::Map`.
#[derive(Default)]
struct KeyList {
    text: String,
    entries: Vec<(u32, u32, u32)>,
}

impl KeyList {
    fn push(&mut self, key: &str, weight: u32) {
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(key);
        self.entries.push((start, u32::try_from(key.len()).unwrap_or(0), weight));
    }

    fn into_map(mut self) -> fst::Map<Vec<u8>> {
        let text = std::mem::take(&mut self.text);
        let key = |&(start, len, _): &(u32, u32, u32)| &text[start as usize..(start + len) as usize];
        // Sorted by key, the largest weight first, so the first of equal keys is the one kept.
        self.entries.sort_unstable_by(|a, b| key(a).cmp(key(b)).then(b.2.cmp(&a.2)));
        let mut builder = fst::MapBuilder::memory();
        let mut last: Option<&str> = None;
        for e in &self.entries {
            let k = key(e);
            if last != Some(k) {
                // Keys arrive sorted and once each, which is all the builder asks.
                if builder.insert(k, u64::from(e.2)).is_err() {
                    unreachable!("sorted, distinct keys");
                }
                last = Some(k);
            }
        }
        // The builder's buffer grew by doubling; the map keeps only what it needs.
        let mut bytes = builder.into_inner().unwrap_or_else(|_| unreachable!("writing to memory cannot fail"));
        bytes.shrink_to_fit();
        fst::Map::new(bytes).unwrap_or_else(|_| unreachable!("a map the builder just wrote"))
    }
}

/// A word as the lexicon keeps it (folded, the ij as two letters), when it is one it keeps:
/// short ones and those with digits or punctuation are poor compound parts.
fn usable(w: &str) -> Option<String> {
    // OpenTaal writes the ij as one character.
    let w = fold(&w.trim().replace('ĳ', "ij"));
    (w.len() >= 3 && w.chars().all(|c| c.is_ascii_lowercase())).then_some(w)
}

/// The fixed words of a word list (`None`: the built-in one), built once per process: every index
/// a process opens (and every test's) shares them. The list is read again after a restart.
fn shared(dic: Option<&Path>, build: impl FnOnce() -> std::io::Result<FixedWords>) -> std::io::Result<Arc<FixedWords>> {
    static BUILT: Mutex<Vec<(Option<PathBuf>, Arc<FixedWords>)>> = Mutex::new(Vec::new());
    // Held while building, so two indexes opened at once do not both read the list.
    let mut built = BUILT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, fixed)) = built.iter().find(|(path, _)| path.as_deref() == dic) {
        return Ok(Arc::clone(fixed));
    }
    let fixed = Arc::new(build()?);
    built.push((dic.map(Path::to_path_buf), Arc::clone(&fixed)));
    Ok(fixed)
}

/// The built-in words and those of a hunspell word list, read line by line into buffers sized
/// from the entry count (the file read whole, and buffers grown by doubling, left more freed heap
/// behind that the allocator keeps).
fn read_dictionary(dic: &Path) -> std::io::Result<FixedWords> {
    use std::io::BufRead;
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch);
    let mut reader = std::io::BufReader::new(std::fs::File::open(dic)?);
    let mut line = String::new();
    // Line 1 is the entry count.
    reader.read_line(&mut line)?;
    let count: usize = line.trim().parse().unwrap_or(0);
    let mut lists = KeyLists::with_capacity(count + 2_000);
    for (w, weight) in base_words() {
        lists.push(w, weight, &stemmer);
    }
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        // Each entry is "word" or "word/FLAGS". Proper names (capitalised) are no parts of common
        // compounds; short words alone are too rare and too many to trust as parts.
        let w = line.split(['/', '\t', '\n']).next().unwrap_or("");
        if w.chars().next().is_some_and(char::is_lowercase) {
            lists.push(w, if w.chars().count() >= 5 { KNOWN } else { 1 }, &stemmer);
        }
    }
    Ok(lists.into_fixed())
}

impl Clone for Lexicon {
    fn clone(&self) -> Lexicon {
        Lexicon {
            source: self.source,
            fixed: Arc::clone(&self.fixed),
            words: self.words.clone(),
            stems: self.stems.clone(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch),
        }
    }
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("source", &self.source).field("words", &self.len()).finish()
    }
}

fn base_words<'a>() -> impl Iterator<Item = (&'a str, u32)> {
    BASE_WORDS.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace).map(|w| (w, BUILTIN_WEIGHT))
}

impl Lexicon {
    fn with_fixed(source: LexiconSource, fixed: Arc<FixedWords>) -> Lexicon {
        Lexicon {
            source,
            fixed,
            words: HashMap::new(),
            stems: HashMap::new(),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch),
        }
    }

    /// The built-in words only.
    pub fn builtin() -> Lexicon {
        let fixed = shared(None, || {
            let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch);
            Ok(FixedWords::build(base_words(), &stemmer))
        });
        match fixed {
            Ok(fixed) => Lexicon::with_fixed(LexiconSource::Builtin, fixed),
            Err(_) => unreachable!("the built-in words are not read from anywhere"),
        }
    }

    /// The built-in words plus the hunspell word list at `dic`, or the built-in words alone, with
    /// the reason, when it cannot be read.
    pub fn with_hunspell(dic: &Path) -> (Lexicon, Option<String>) {
        match shared(Some(dic), || read_dictionary(dic)) {
            Ok(fixed) => (Lexicon::with_fixed(LexiconSource::Hunspell, fixed), None),
            Err(e) => (Lexicon::builtin(), Some(format!("cannot read {}: {e}", dic.display()))),
        }
    }

    pub fn source(&self) -> LexiconSource {
        self.source
    }

    /// Adds words (any case) with their weight; a word added twice keeps the larger weight.
    /// Short ones and those with digits or punctuation are skipped: poor compound parts.
    pub fn add<'a>(&mut self, words: impl IntoIterator<Item = (&'a str, u32)>) {
        for (w, weight) in words {
            if let Some(w) = usable(w) {
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
        let added = self.words.get(folded).copied().unwrap_or(0);
        let own = added.max(FixedWords::weight(&self.fixed.words, folded));
        if own >= KNOWN || folded.len() < stem_from {
            return own;
        }
        let stem = super::dutch_stem(&self.stemmer, folded);
        let added = self.stems.get(&stem).copied().unwrap_or(0);
        own.max(added.max(FixedWords::weight(&self.fixed.stems, &stem)))
    }

    /// How many words it holds (those added at run time may repeat fixed ones).
    pub fn len(&self) -> usize {
        self.fixed.words.len() + self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `folded` is a word at all: in the dictionary, the built-in list or the indexed
    /// texts, as written or (from five letters on) as an inflection of one (gecertificeerd).
    /// Such a word is never "corrected" into another.
    pub fn knows(&self, folded: &str) -> bool {
        self.weight(folded, 5) > 0
    }

    /// Whether `folded` (a folded word) is known well enough to be a part of a compound, as
    /// written or (from `stem_from` letters on) as an inflection of a known word.
    pub fn contains(&self, folded: &str, stem_from: usize) -> bool {
        self.weight(folded, stem_from) >= KNOWN
    }
}
