//! Deterministic scale-ups of a real corpus for benchmarks: more documents with the same
//! vocabulary and length distribution, the originals inside.
//!
//! - Titles come from a word-pair (bigram) chain learnt from the real titles, so they read like
//!   real questions and compete with them ("Hoe lang moet ik mijn rijbewijs bewaren?"); no
//!   generated title equals a real one.
//! - Texts draw their words from the real texts with the real word frequencies, at a length
//!   drawn from the real lengths. A bigram chain would copy real passages into about 200
//!   look-alikes of every page at 100,000 documents, which no real knowledge base has; words
//!   drawn by frequency give every term a realistic document frequency (the posting-list
//!   lengths that make search slow) and random competition for every query word.

use std::collections::{HashMap, HashSet};

/// One document of a benchmark corpus.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CorpusDoc {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// Reads a corpus in JSON Lines (`{"id", "title", "body"}`, other fields ignored; blank lines
/// skipped), such as `../shared/data/kb/rijksoverheid-vac.jsonl`.
pub fn read_jsonl(text: &str) -> Result<Vec<CorpusDoc>, serde_json::Error> {
    text.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str).collect()
}

/// A small, fast, seeded generator (SplitMix64): the same seed gives the same corpus everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

struct Chain {
    starts: Vec<u32>,
    next: HashMap<u32, Vec<u32>>,
    words: Vec<String>,
}

impl Chain {
    fn learn<'a>(texts: impl Iterator<Item = &'a str>) -> Chain {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut starts = Vec::new();
        let mut next: HashMap<u32, Vec<u32>> = HashMap::new();
        for text in texts {
            let mut prev: Option<u32> = None;
            for w in text.split_whitespace() {
                let id = *ids.entry(w).or_insert_with(|| {
                    words.push(w.to_owned());
                    (words.len() - 1) as u32
                });
                match prev {
                    None => starts.push(id),
                    Some(p) => next.entry(p).or_default().push(id),
                }
                prev = Some(id);
            }
        }
        Chain { starts, next, words }
    }

    fn write(&self, rng: &mut Rng, len: usize) -> Vec<&str> {
        let mut out = Vec::with_capacity(len);
        let mut current = self.starts[rng.below(self.starts.len())];
        while out.len() < len {
            out.push(self.words[current as usize].as_str());
            current = match self.next.get(&current) {
                Some(options) => options[rng.below(options.len())],
                None => self.starts[rng.below(self.starts.len())],
            };
        }
        out
    }
}

/// `originals` followed by generated documents until there are `total`, reproducibly for `seed`.
pub fn scale_up(originals: &[CorpusDoc], total: usize, seed: u64) -> Vec<CorpusDoc> {
    let mut out: Vec<CorpusDoc> = originals.iter().take(total).cloned().collect();
    if out.len() >= total || originals.is_empty() {
        return out;
    }
    let titles = Chain::learn(originals.iter().map(|d| d.title.trim_end_matches('?')));
    // Every word occurrence of the real texts once: a uniform pick is a pick by frequency.
    let body_words: Vec<&str> = originals.iter().flat_map(|d| d.body.split_whitespace()).collect();
    let title_lengths: Vec<usize> = originals.iter().map(|d| d.title.split_whitespace().count().max(2)).collect();
    let body_lengths: Vec<usize> = originals.iter().map(|d| d.body.split_whitespace().count().max(5)).collect();
    let taken: HashSet<String> = originals.iter().map(|d| normal(&d.title)).collect();
    let mut rng = Rng::new(seed);
    let mut n = 0u64;
    let mut rejected = 0usize;
    while out.len() < total {
        n += 1;
        // A small corpus can keep producing its own titles: grow the title until it is new.
        let title_len = title_lengths[rng.below(title_lengths.len())] + rejected / 8;
        let words = titles.write(&mut rng, title_len);
        let mut title = words.join(" ");
        if let Some(first) = title.get(..1) {
            title = first.to_uppercase() + &title[1..];
        }
        title.push('?');
        if taken.contains(&normal(&title)) {
            rejected += 1;
            continue;
        }
        rejected = 0;
        let body_len = body_lengths[rng.below(body_lengths.len())];
        let body = (0..body_len).map(|_| body_words[rng.below(body_words.len())]).collect::<Vec<_>>().join(" ");
        out.push(CorpusDoc { id: format!("synthetisch-{n:07}"), title, body });
    }
    out
}

fn normal(title: &str) -> String {
    title.to_lowercase().chars().filter(|c| c.is_alphanumeric() || c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn originals() -> Vec<CorpusDoc> {
        (0..20)
            .map(|i| CorpusDoc {
                id: format!("o{i}"),
                title: format!("Hoe vraag ik toeslag {i} aan?"),
                body: format!("u vraagt de toeslag {i} aan bij de dienst. dat kan online met digid."),
            })
            .collect()
    }

    #[test]
    fn a_scale_up_keeps_the_originals_and_is_reproducible() {
        let a = scale_up(&originals(), 200, 7);
        let b = scale_up(&originals(), 200, 7);
        assert_eq!(a.len(), 200);
        assert_eq!(a, b);
        assert_eq!(&a[..20], &originals()[..]);
        assert_ne!(scale_up(&originals(), 200, 8), a);
    }

    #[test]
    fn no_generated_title_equals_a_real_one() {
        let real: HashSet<String> = originals().iter().map(|d| normal(&d.title)).collect();
        assert!(scale_up(&originals(), 500, 1)[20..].iter().all(|d| !real.contains(&normal(&d.title))));
    }
}
