//! Snippets: the passage of a text that best shows why it was found, with the matching words
//! marked. Fragments are plain text; whoever shows them escapes them (the UI marks the
//! highlighted ones with `<mark>`).

use crate::query::StemSet;

use crate::analysis::{Analyzer, Word};

const MAX_SNIPPET_CHARS: usize = 240;

/// A piece of text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub highlight: bool,
}

fn matches(word: &Word, stems: &StemSet) -> bool {
    stems.contains(&word.form.stem) || word.form.parts.iter().any(|p| stems.contains(p))
}

/// The title with its matching words marked.
pub fn highlight_title(analyzer: &Analyzer, title: &str, highlighter: &Highlighter) -> Vec<Fragment> {
    let hits = highlighter.matching_words(analyzer, title);
    fragments(title, hits.iter().map(|(span, _)| span.clone()))
}

/// What a query highlights: its stems, and a fast scanner for where they may occur.
pub struct Highlighter {
    stems: StemSet,
    /// The first letters of each stem: only words containing one of these can match, so only
    /// those words are analysed (analysing every word of every hit would cost more than the
    /// search itself).
    scanner: Option<aho_corasick::AhoCorasick>,
}

impl Highlighter {
    pub fn new(stems: StemSet) -> Highlighter {
        let mut prefixes: Vec<String> = stems.iter().map(|s| s.chars().take(PREFIX_CHARS).collect()).collect();
        prefixes.sort();
        prefixes.dedup();
        // Case-sensitive over ASCII-lowercased text: that keeps the SIMD prefilter for a few
        // short patterns, which ascii_case_insensitive gives up (the scan was a tenth of a query).
        let scanner = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&prefixes)
            .ok()
            .filter(|_| !prefixes.is_empty());
        Highlighter { stems, scanner }
    }

    /// The words of `text` that match, as (byte span, stem).
    fn matching_words(&self, analyzer: &Analyzer, text: &str) -> Vec<(std::ops::Range<usize>, String)> {
        let Some(scanner) = &self.scanner else { return Vec::new() };
        let mut out: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        // Same length and char boundaries as `text`: only ASCII letters change.
        let lower = text.to_ascii_lowercase();
        for m in scanner.find_iter(&lower) {
            let span = word_around(text, m.start());
            if out.last().is_some_and(|(last, _)| last.start == span.start) {
                continue;
            }
            for w in analyzer.words(&text[span.clone()]) {
                if !w.joined && matches(&w, &self.stems) {
                    let abs = span.start + w.span.start..span.start + w.span.end;
                    out.push((abs, w.form.stem.clone()));
                }
            }
        }
        out
    }
}

/// Letters of a stem used to find candidate words.
const PREFIX_CHARS: usize = 4;

/// The whole word (letters and digits, with inner hyphens) around byte `at`.
fn word_around(text: &str, at: usize) -> std::ops::Range<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-';
    let start = text[..at].char_indices().rev().take_while(|(_, c)| is_word(*c)).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|(_, c)| !is_word(*c)).map_or(text.len(), |(i, _)| at + i);
    start..end
}

/// The best passage of `text`: the window of about [`MAX_SNIPPET_CHARS`] with the most distinct
/// matching stems, then the most matches; the start of the text when nothing matches.
pub fn snippet(analyzer: &Analyzer, text: &str, highlighter: &Highlighter) -> Vec<Fragment> {
    let hits = highlighter.matching_words(analyzer, text);
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, start byte)
    for (n, (span, _)) in hits.iter().enumerate() {
        let window = hits[n..].iter().take_while(|(s, _)| s.end <= span.start + MAX_SNIPPET_CHARS - 40);
        let mut distinct: Vec<&str> = Vec::new();
        let mut count = 0;
        for (_, stem) in window {
            count += 1;
            if !distinct.contains(&stem.as_str()) {
                distinct.push(stem);
            }
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, span.start);
        }
    }
    let mut from = best.2;
    // Start at the beginning of the sentence when it is close, else a few words earlier.
    let head = &text[..from];
    match head.rfind(['.', '?', '!', '\n']) {
        Some(dot) if from - dot < 60 => from = dot + 1,
        None if from < 60 => from = 0,
        _ => {
            let mut back = from.saturating_sub(25);
            while !text.is_char_boundary(back) {
                back -= 1;
            }
            from = text[back..from].find(' ').map_or(from, |i| back + i + 1);
        }
    }
    while from < text.len() && text[from..].starts_with(char::is_whitespace) {
        from += text[from..].chars().next().map_or(1, char::len_utf8);
    }
    let mut to = crate::query::clip(&text[from..], MAX_SNIPPET_CHARS).len() + from;
    if to < text.len() {
        // End at a word boundary.
        to = text[from..to].rfind(char::is_whitespace).map_or(to, |i| from + i);
    }
    let window = &text[from..to];
    // Only the words the scan found are marked: analysing every word of the window again
    // was half the cost of a query.
    let marked = hits.iter().filter(|(s, _)| s.start >= from && s.end <= to).map(|(s, _)| s.start - from..s.end - from);
    let mut out = Vec::new();
    if from > 0 {
        out.push(Fragment { text: "… ".into(), highlight: false });
    }
    out.extend(fragments(window, marked));
    if to < text.trim_end().len() {
        out.push(Fragment { text: " …".into(), highlight: false });
    }
    out
}

/// `text` in pieces, the `marked` spans (in order, not overlapping) highlighted.
fn fragments(text: &str, marked: impl Iterator<Item = std::ops::Range<usize>>) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut at = 0;
    let push = |text: &str, highlight: bool, out: &mut Vec<Fragment>| {
        if text.is_empty() {
            return;
        }
        let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        match out.last_mut() {
            Some(last) if last.highlight == highlight => last.text.push_str(&clean),
            _ => out.push(Fragment { text: clean, highlight }),
        }
    };
    for span in marked {
        if span.start < at {
            continue;
        }
        push(&text[at..span.start], false, &mut out);
        push(&text[span.clone()], true, &mut out);
        at = span.end;
    }
    push(&text[at..], false, &mut out);
    out
}
