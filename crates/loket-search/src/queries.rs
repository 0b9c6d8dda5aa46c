//! A query as Loket may keep it: with what could identify a citizen masked, and under the key it
//! is learned and counted by. Pure functions of the text, so that every part of the application
//! (search analytics, feedback on articles) stores queries the same way.

use std::sync::OnceLock;

use crate::analysis::{Analyzer, Lexicon};

/// The analyzer for query keys (stems without stop words): the built-in word list, so a key
/// does not depend on whether a dictionary is installed.
fn key_analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(Lexicon::builtin()))
}

/// The key a query is learned and counted under ("Paspoort kwijt?" and "paspoorten kwijt" share one).
pub fn query_key(query: &str) -> String {
    crate::learning::query_key(key_analyzer(), query)
}

/// Dutch words of two letters that follow a number more often than postcode letters do.
const COMMON_TWO_LETTER_WORDS: &[&str] =
    &["en", "in", "op", "is", "de", "te", "of", "om", "ze", "we", "je", "na", "al", "nu"];

/// A query as it may be stored: numbers of six digits or more, also typed in groups (a BSN, a
/// phone or account number), postcodes and e-mail addresses become placeholders, at most 200
/// characters.
pub fn masked(query: &str) -> String {
    let numeric = |w: &str| w.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | '+' | '(' | ')'));
    let digits = |w: &str| w.chars().filter(char::is_ascii_digit).count();
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        // A number typed in groups ("123 456 782", "06 1234 5678") is one number.
        let mut end = i;
        let mut count = 0;
        while end < words.len() && numeric(words[end]) {
            count += digits(words[end]);
            end += 1;
        }
        if count >= 6 {
            out.push("[nummer]");
            i = end;
            continue;
        }
        let postcode = |num: &str, letters: &str| {
            num.len() == 4
                && num.bytes().all(|b| b.is_ascii_digit())
                && letters.len() == 2
                && letters.bytes().all(|b| b.is_ascii_alphabetic())
        };
        // "2026 en …" is a year and a word, not a postcode.
        let word_not_letters = |l: &str| COMMON_TWO_LETTER_WORDS.contains(&l.to_lowercase().as_str());
        if word.len() == 6 && word.is_char_boundary(4) && postcode(&word[..4], &word[4..]) {
            out.push("[postcode]");
        } else if words.get(i + 1).is_some_and(|n| postcode(word, n) && !word_not_letters(n)) {
            out.push("[postcode]");
            i += 1;
        } else if digits(word) >= 6 {
            out.push("[nummer]");
        } else if word.contains('@') && word.contains('.') {
            out.push("[e-mail]");
        } else {
            out.push(word);
        }
        i += 1;
    }
    out.join(" ").chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_could_identify_someone_are_masked_in_the_log() {
        assert_eq!(masked("bsn 123456782 verhuizing"), "bsn [nummer] verhuizing");
        assert_eq!(masked("terugbellen 06-12345678"), "terugbellen [nummer]");
        assert_eq!(masked("mail jan@example.nl paspoort"), "mail [e-mail] paspoort");
        assert_eq!(masked("huisnummer 12 kapot"), "huisnummer 12 kapot");
        assert_eq!(masked("bsn 123 456 782 verhuisd"), "bsn [nummer] verhuisd");
        assert_eq!(masked("bel 06 1234 5678 terug"), "bel [nummer] terug");
        assert_eq!(masked("grofvuil 1234 AB 12"), "grofvuil [postcode] 12");
        assert_eq!(masked("bladkorf 1234ab"), "bladkorf [postcode]");
        assert_eq!(masked("energietoeslag 2026"), "energietoeslag 2026");
        assert_eq!(masked("toeslag 2026 en 2027"), "toeslag 2026 en 2027");
        assert_eq!(masked("café 12é4ab"), "café 12é4ab");
    }

    #[test]
    fn a_question_and_its_plural_share_one_key() {
        assert_eq!(query_key("Paspoort kwijt?"), query_key("paspoorten kwijt"));
    }
}
