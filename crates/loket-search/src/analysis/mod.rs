//! Dutch text analysis: the same steps for the texts that are indexed and for the queries typed.
//!
//! Rules:
//! - A word is a run of letters and digits. Matching is on lower case with diacritics folded
//!   (financiële = financiele, één = een); what is shown keeps the original text.
//! - Hyphenated words count as their parts and as the joined word (AOW-leeftijd → aow,
//!   leeftijd, aowleeftijd); a plural `'s` (auto's) is dropped.
//! - Every word is reduced to its Dutch stem (Snowball: aanvragen, aanvraag → aanvrag).
//! - Compounds are split into known words (energietoeslag → energie + toeslag, also
//!   kinderopvangtoeslag → kinderopvang + opvang + kinder + toeslag), allowing the linking
//!   `s` (bestemmingsplan → bestemming + plan). Known words come from the [`Lexicon`]. A word that
//!   starts with a separable particle (aanvragen, uitkering) is a derivation, not split there.
//! - Stop words are marked, never removed here: the query side decides (a query of only stop
//!   words keeps them).

mod fold;
mod lexicon;

use std::ops::Range;
use std::sync::{Arc, RwLock};

pub use fold::fold;
pub use lexicon::{KNOWN, LISTED_WEIGHT, Lexicon, LexiconSource, SYSTEM_DICTIONARY};

/// The particles of `partikels.txt` that split off a verb and stand alone in a sentence.
const SEPARABLE: [&str; 19] = [
    "aan", "af", "bij", "door", "in", "mee", "na", "om", "onder", "op", "over", "toe", "uit", "voor", "weg", "terug",
    "samen", "tegen", "achter",
];
const STOPWORDS: &str = include_str!("../data/stopwoorden.txt");
const PARTICLES: &str = include_str!("../data/partikels.txt");

/// Words shorter than this are never split.
const MIN_COMPOUND_CHARS: usize = 8;
const MIN_HEAD_CHARS: usize = 4;
const MIN_TAIL_CHARS: usize = 4;
const MIN_NESTED_COMPOUND_CHARS: usize = 10;
/// Known words shorter than the minimum that are common heads of compounds (AOW-leeftijd).
const SHORT_HEADS: [&str; 12] = ["aow", "anw", "btw", "ozb", "apk", "uwv", "svb", "duo", "cak", "rdw", "woz", "wet"];
/// Endings that look like words but are suffixes here (moei|lijk, werkzaam|heden).
const SUFFIX_TAILS: [&str; 12] =
    ["lijk", "lijke", "lijken", "heid", "heden", "baar", "bare", "schap", "schappen", "ingen", "isch", "ische"];
/// Enough for every distinct word of a large corpus; arbitrary query input cannot grow it further.
const CACHE_LIMIT: usize = 400_000;

/// What analysis makes of one distinct word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordForm {
    /// Folded, unstemmed ("financiele").
    pub folded: String,
    /// The stem of the folded word ("financieel").
    pub stem: String,
    /// Stems of the compound's parts, outermost first; empty for a simple word.
    pub parts: Vec<String>,
    /// The parts as folded words (for suggestions and display).
    pub part_words: Vec<String>,
    pub stop: bool,
}

/// One word of a text, with where it stands.
#[derive(Debug, Clone)]
pub struct Word {
    /// Byte range in the analysed text.
    pub span: Range<usize>,
    /// Counts words, so adjacent words have adjacent positions.
    pub position: usize,
    pub form: Arc<WordForm>,
    /// True for the extra joined form of a hyphenated word (it has no span of its own).
    pub joined: bool,
}

pub struct Analyzer {
    lexicon: Lexicon,
    stemmer: rust_stemmers::Stemmer,
    stopwords: std::collections::HashSet<&'static str>,
    particles: Vec<&'static str>,
    /// Keyed by the word as written: most words arrive in lower case already, and a lookup by
    /// the raw slice needs no allocation. foldhash: fast, and seeded per process, so crafted
    /// queries cannot aim at collisions.
    cache: RwLock<foldhash::HashMap<String, Arc<WordForm>>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("lexicon", &self.lexicon.source()).finish_non_exhaustive()
    }
}

fn word_list(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace)
}

impl Analyzer {
    pub fn new(lexicon: Lexicon) -> Analyzer {
        let mut particles: Vec<&str> = word_list(PARTICLES).collect();
        // Longest first, so "tegen" is tried before "te".
        particles.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Analyzer {
            lexicon,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Dutch),
            stopwords: word_list(STOPWORDS).collect(),
            particles,
            cache: RwLock::new(foldhash::HashMap::default()),
        }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// A separable particle that stands on its own in a sentence ("halen ... op"). Prefixes
    /// that never do (be-, ge-, ont-, ver-, er-) are derivations only, not particles here.
    pub fn is_particle(&self, folded: &str) -> bool {
        SEPARABLE.contains(&folded)
    }

    pub fn is_stopword(&self, folded: &str) -> bool {
        self.stopwords.contains(folded)
    }

    /// The stem of one folded word.
    pub fn stem(&self, folded: &str) -> String {
        dutch_stem(&self.stemmer, folded)
    }

    /// The analysis of one word as typed (any case, with or without diacritics).
    pub fn form(&self, word: &str) -> Arc<WordForm> {
        if let Some(hit) = self.cache.read().ok().and_then(|c| c.get(word).cloned()) {
            return hit;
        }
        let form = Arc::new(self.analyse_word(&word.to_lowercase()));
        if let Ok(mut cache) = self.cache.write()
            && cache.len() < CACHE_LIMIT
        {
            cache.insert(word.to_owned(), form.clone());
        }
        form
    }

    fn analyse_word(&self, lower: &str) -> WordForm {
        let folded = fold(lower).replace('ĳ', "ij");
        let stem = self.stem(&folded);
        let stop = self.stopwords.contains(folded.as_str());
        let mut part_words = Vec::new();
        if !stop && folded.chars().all(|c| c.is_ascii_lowercase()) {
            self.split_into(&folded, 0, &mut part_words);
        }
        part_words.dedup();
        part_words.retain(|p| *p != folded);
        let mut parts: Vec<String> = Vec::new();
        for p in &part_words {
            let s = self.stem(p);
            if s != stem && !parts.contains(&s) {
                parts.push(s);
            }
        }
        WordForm { folded, stem, parts, part_words, stop }
    }

    /// Splits `word` (folded, ASCII) into known words, pushing every part found (also the parts
    /// of parts). Returns false when no split into known words exists.
    fn split_into(&self, word: &str, depth: usize, out: &mut Vec<String>) -> bool {
        let n = word.len();
        if n < MIN_COMPOUND_CHARS || depth > 3 {
            return false;
        }
        // The right-hand part carries the meaning in Dutch (energie|toeslag is a toeslag), so the
        // longest known tail wins.
        for cut in 3..=n - MIN_TAIL_CHARS {
            let (head, tail) = (&word[..cut], &word[cut..]);
            if SUFFIX_TAILS.contains(&tail) || !self.lexicon.contains(tail, 6) {
                continue;
            }
            for (candidate, linked) in head_variants(head) {
                if self.starts_a_derivation(candidate) {
                    continue;
                }
                let short = candidate.len() < MIN_HEAD_CHARS;
                if short && !SHORT_HEADS.contains(&candidate) {
                    continue;
                }
                // Without its linking s, a head must be a word as written (statu|s is not).
                let stem_from = if linked { usize::MAX } else { 7 };
                if short || self.lexicon.contains(candidate, stem_from) {
                    out.push(candidate.to_owned());
                    self.split_parts_of(candidate, depth, out);
                    out.push(tail.to_owned());
                    self.split_parts_of(tail, depth, out);
                    return true;
                }
                let mark = out.len();
                if self.split_into(candidate, depth + 1, out) {
                    out.push(tail.to_owned());
                    self.split_parts_of(tail, depth, out);
                    return true;
                }
                out.truncate(mark);
            }
        }
        false
    }

    /// A known part is split further only when long: kinderopvang → kinder + opvang, but
    /// gemeente and motorvoertuig's voertuig stay whole.
    fn split_parts_of(&self, part: &str, depth: usize, out: &mut Vec<String>) {
        if part.len() >= MIN_NESTED_COMPOUND_CHARS {
            self.split_into(part, depth + 1, out);
        }
    }

    /// A head that is only a particle (aan|vragen, uit|kering) makes a derivation, not a compound.
    fn starts_a_derivation(&self, head: &str) -> bool {
        self.particles.contains(&head) || self.stopwords.contains(head)
    }

    /// Every word of `text`, in order.
    pub fn words(&self, text: &str) -> Vec<Word> {
        let mut out = Vec::new();
        let mut position = 0usize;
        let mut runs: Vec<Range<usize>> = Vec::new();
        let bytes = text.as_bytes();
        let mut iter = text.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = iter.peek() {
                if c.is_alphanumeric() {
                    end = i + c.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            runs.push(start..end);
            // A hyphen directly between two runs joins them into one hyphenated word.
            let hyphen_follows =
                bytes.get(end) == Some(&b'-') && text[end + 1..].chars().next().is_some_and(char::is_alphanumeric);
            if hyphen_follows {
                iter.next();
                continue;
            }
            // "auto's", "baby's": the 's is a plural ending, not a word.
            if bytes.get(end) == Some(&b'\'') || text[end..].starts_with('’') {
                let after_quote = end + if bytes.get(end) == Some(&b'\'') { 1 } else { '’'.len_utf8() };
                let rest = &text[after_quote..];
                if rest.starts_with('s') && !rest[1..].chars().next().is_some_and(char::is_alphanumeric) {
                    iter.next();
                    iter.next();
                }
            }
            self.push_group(text, &mut runs, &mut position, &mut out);
        }
        out
    }

    fn push_group(&self, text: &str, runs: &mut Vec<Range<usize>>, position: &mut usize, out: &mut Vec<Word>) {
        for run in runs.iter() {
            out.push(Word {
                span: run.clone(),
                position: *position,
                form: self.form(&text[run.clone()]),
                joined: false,
            });
            *position += 1;
        }
        if runs.len() > 1 {
            let joined: String = runs.iter().map(|r| &text[r.clone()]).collect();
            let span = runs[0].start..runs[runs.len() - 1].end;
            out.push(Word { span, position: *position - 1, form: self.form(&joined), joined: true });
        }
        runs.clear();
    }

    /// The whole text folded and with single spaces between the words, stop words kept: what an
    /// exact title match compares.
    pub fn exact_key(&self, text: &str) -> String {
        let words = self.words(text);
        let parts: Vec<&str> = words.iter().filter(|w| !w.joined).map(|w| w.form.folded.as_str()).collect();
        parts.join(" ")
    }
}

/// Snowball's Dutch stem, with the voicing of the plural undone: korven → korv → korf, huizen →
/// huiz → huis, brieven → brief, so that singular and plural meet (Snowball leaves the v and z).
pub(crate) fn dutch_stem(stemmer: &rust_stemmers::Stemmer, folded: &str) -> String {
    let mut stem = stemmer.stem(folded).into_owned();
    if stem.len() >= 3 {
        if stem.ends_with('v') {
            stem.pop();
            stem.push('f');
        } else if stem.ends_with('z') && !stem.ends_with("zz") {
            stem.pop();
            stem.push('s');
        }
    }
    stem
}

/// The head without a linking `s` (bestemming|s|plan), then as written (ziekte|kosten); true
/// for the variant without the `s`.
fn head_variants(head: &str) -> impl Iterator<Item = (&str, bool)> {
    let without_s = head.strip_suffix('s').filter(|h| h.len() >= MIN_HEAD_CHARS).map(|h| (h, true));
    without_s.into_iter().chain(std::iter::once((head, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyzer() -> Analyzer {
        Analyzer::new(Lexicon::builtin())
    }

    fn stems(a: &Analyzer, text: &str) -> Vec<String> {
        a.words(text).into_iter().map(|w| w.form.stem.clone()).collect()
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let a = analyzer();
        assert_eq!(a.form("aanvragen").stem, a.form("aanvraag").stem);
        assert_eq!(a.form("toeslagen").stem, a.form("toeslag").stem);
        assert_eq!(a.form("bladkorven").stem, a.form("bladkorf").stem);
        assert_eq!(a.form("huizen").stem, a.form("huis").stem);
        assert_eq!(a.form("brieven").stem, a.form("brief").stem);
    }

    #[test]
    fn diacritics_and_case_do_not_matter_for_matching() {
        let a = analyzer();
        assert_eq!(a.form("Financiële").stem, a.form("financiele").stem);
        assert_eq!(a.form("één").folded, "een");
        assert_eq!(a.form("Ruïne").folded, "ruine");
    }

    #[test]
    fn a_compound_is_split_into_known_words() {
        let a = analyzer();
        let f = a.form("energietoeslag");
        assert_eq!(f.part_words, ["energie", "toeslag"]);
        assert!(f.parts.contains(&a.stem("toeslag")));
        let f = a.form("kinderopvangtoeslag");
        assert!(f.part_words.contains(&"toeslag".to_owned()), "{:?}", f.part_words);
        assert!(f.part_words.contains(&"opvang".to_owned()), "{:?}", f.part_words);
    }

    #[test]
    fn a_linking_s_is_allowed_between_parts() {
        let a = analyzer();
        let f = a.form("bestemmingsplan");
        assert_eq!(f.part_words, ["bestemming", "plan"]);
    }

    #[test]
    fn derivations_with_a_particle_are_not_split() {
        let a = analyzer();
        assert!(a.form("aanvragen").parts.is_empty());
        assert!(a.form("uitkering").parts.is_empty());
    }

    #[test]
    fn hyphenated_words_count_as_parts_and_as_the_joined_word() {
        let a = analyzer();
        let words = a.words("de AOW-leeftijd");
        let folded: Vec<&str> = words.iter().map(|w| w.form.folded.as_str()).collect();
        assert_eq!(folded, ["de", "aow", "leeftijd", "aowleeftijd"]);
        assert!(words[3].joined);
        assert_eq!(&"de AOW-leeftijd"[words[3].span.clone()], "AOW-leeftijd");
    }

    #[test]
    fn a_plural_apostrophe_s_is_dropped() {
        let a = analyzer();
        assert_eq!(stems(&a, "auto's kopen"), [a.stem("auto"), a.stem("kopen")]);
    }

    #[test]
    fn stop_words_are_marked_not_removed() {
        let a = analyzer();
        let words = a.words("Hoe vraag ik een paspoort aan?");
        let stops: Vec<bool> = words.iter().map(|w| w.form.stop).collect();
        assert_eq!(stops, [true, false, true, true, false, true]);
    }

    #[test]
    fn spans_point_at_the_original_text() {
        let a = analyzer();
        let text = "Één café, twee ruïnes";
        let words = a.words(text);
        let shown: Vec<&str> = words.iter().map(|w| &text[w.span.clone()]).collect();
        assert_eq!(shown, ["Één", "café", "twee", "ruïnes"]);
    }

    #[test]
    fn control_characters_and_syntax_are_just_separators() {
        let a = analyzer();
        let words = a.words("\u{0}\"paspoort\"():*^~-+[]\u{7}kwijt");
        let folded: Vec<&str> = words.iter().map(|w| w.form.folded.as_str()).collect();
        assert_eq!(folded, ["paspoort", "kwijt"]);
    }

    #[test]
    fn the_exact_key_keeps_stop_words_and_folds() {
        let a = analyzer();
        assert_eq!(a.exact_key("Wat is een belastingverdrag?"), "wat is een belastingverdrag");
    }
}
