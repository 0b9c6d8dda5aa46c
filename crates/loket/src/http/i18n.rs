//! The words on the screen, in Dutch (the default) and English. Texts live in `locales/*.toml`
//! as flat keys; a unit test keeps both files in step and checks every key the templates use.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;

use crate::validation::FieldError;

pub const LANG_COOKIE: &str = "loket_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language chosen with the switch (a cookie); Dutch otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        CookieJar::from_headers(headers).get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())).unwrap_or_default()
    }
}

fn load(source: &str) -> HashMap<String, String> {
    let table: toml::Table = source.parse().expect("locale files are valid TOML (checked by tests)");
    table.into_iter().filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned()))).collect()
}

static NL: LazyLock<HashMap<String, String>> = LazyLock::new(|| load(include_str!("../../locales/nl.toml")));
static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| load(include_str!("../../locales/en.toml")));

/// A translator for one language, handed to every template.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The text for `key`; a missing key shows itself, so it is noticed rather than blank.
    pub fn get<'a>(&self, key: &'a str) -> &'a str {
        match self.table().get(key) {
            Some(text) => text.as_str(),
            None => key,
        }
    }
}

impl Tr {
    /// A domain message in this language. The domain writes Dutch, so Dutch screens show its
    /// own words (they name the value that was wrong); other languages show the text for its
    /// code, and never the Dutch one.
    pub fn message(&self, e: &FieldError) -> String {
        match self.lang {
            Lang::Nl => e.message.clone(),
            Lang::En => self.code_text(e.code).to_owned(),
        }
    }

    fn code_text(&self, code: &str) -> &str {
        let key = format!("error.code.{code}");
        match self.table().get(&key) {
            Some(text) => text.as_str(),
            None => self.get("error.code.other"),
        }
    }

    /// What a refusal or failure says: in Dutch the domain's own words; in other languages
    /// its field messages by code, else the text for its status.
    pub fn detail(&self, status: u16, dutch: &str, errors: &[FieldError]) -> String {
        match self.lang {
            Lang::Nl => dutch.to_owned(),
            Lang::En if !errors.is_empty() => errors.iter().map(|e| self.message(e)).collect::<Vec<_>>().join(" "),
            Lang::En => {
                let key = format!("error.status.{status}");
                match self.table().get(&key) {
                    Some(text) => text.clone(),
                    None => self.get("error.status.other").to_owned(),
                }
            }
        }
    }

    /// The text for `key`, if there is one (for keys built from data, such as an object type).
    pub fn lookup(&self, key: &str) -> Option<&'static str> {
        self.table().get(key).map(String::as_str)
    }

    fn table(&self) -> &'static HashMap<String, String> {
        match self.lang {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_the_same_keys() {
        let nl: BTreeSet<_> = NL.keys().collect();
        let en: BTreeSet<_> = EN.keys().collect();
        assert_eq!(nl.difference(&en).collect::<Vec<_>>(), Vec::<&&String>::new(), "missing in en.toml");
        assert_eq!(en.difference(&nl).collect::<Vec<_>>(), Vec::<&&String>::new(), "missing in nl.toml");
    }

    #[test]
    fn every_key_a_template_uses_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        // The templates and the shared pieces in their folders.
        let mut files = Vec::new();
        let mut folders = vec![dir];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() { folders.push(path) } else { files.push(path) }
            }
        }
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("t.get(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                if !NL.contains_key(key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "keys missing from locales: {missing:?}");
    }

    #[test]
    fn every_code_the_domain_gives_an_error_has_a_text_in_each_language() {
        // The codes as the sources write them: FieldError::new(field, "code", …) or code: "code".
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut folders = vec![src];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                // This file's own tests make up codes on purpose.
                if path.ends_with("http/i18n.rs") {
                    continue;
                }
                // One space for every run of white space, so calls spread over lines read as one.
                let text = std::fs::read_to_string(&path).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
                let literals = |arg: &str| -> Vec<String> {
                    // A code, or `if … { "a" } else { "b" }`: every snake_case literal in it.
                    arg.split('"')
                        .skip(1)
                        .step_by(2)
                        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                        .map(str::to_owned)
                        .collect()
                };
                let after_new = text.split("FieldError::new(").skip(1).flat_map(|call| {
                    // The second argument: skip the first (which may hold a call with commas).
                    let mut depth = 0;
                    let mut commas = call.char_indices().filter(|(_, c)| {
                        match c {
                            '(' | '{' => depth += 1,
                            ')' | '}' => depth -= 1,
                            ',' if depth == 0 => return true,
                            _ => {}
                        }
                        false
                    });
                    match (commas.next(), commas.next()) {
                        (Some((a, _)), Some((b, _))) => {
                            let arg = call[a + 1..b].trim();
                            if arg.starts_with('"') {
                                literals(arg)
                            } else if arg.starts_with("if ") {
                                // The code in each branch, not what the condition compares.
                                arg.split('{').skip(1).flat_map(|branch| literals(branch).into_iter().take(1)).collect()
                            } else {
                                Vec::new()
                            }
                        }
                        _ => Vec::new(),
                    }
                });
                let after_field =
                    text.split(" code: \"").skip(1).map(|r| r.split('"').next().unwrap_or_default().to_owned());
                // Helpers that make a FieldError from a code: `invalid("eleven_check", …)`,
                // `err(&mut errors, "cycle", …)`.
                let by_helper = ["invalid(", "err(&mut errors, "].into_iter().flat_map(|helper| {
                    text.split(helper)
                        .skip(1)
                        .filter_map(|r| r.strip_prefix('"'))
                        .map(|r| r.split('"').next().unwrap_or_default().to_owned())
                        .filter(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                        .collect::<Vec<_>>()
                });
                for code in after_new.chain(after_field).chain(by_helper) {
                    seen.insert(code.clone());
                    for (lang, table) in [("nl", &*NL), ("en", &*EN)] {
                        if !table.contains_key(&format!("error.code.{code}")) {
                            missing.push(format!("{lang}: error.code.{code} ({})", path.display()));
                        }
                    }
                }
            }
        }
        assert!(seen.len() > 100, "the scan finds the codes ({})", seen.len());
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "codes without a text: {missing:?}");
    }

    #[test]
    fn english_screens_show_no_dutch_domain_message() {
        let e = FieldError::new("bsn", "invalid_bsn", "Geen geldig BSN: de 11-proef klopt niet.");
        assert_eq!(Tr::new(Lang::Nl).message(&e), "Geen geldig BSN: de 11-proef klopt niet.");
        assert_eq!(Tr::new(Lang::En).message(&e), "Not a valid BSN (9 digits passing the eleven test).");
        let unknown = FieldError::new("x", "a_code_nobody_wrote", "Iets in het Nederlands.");
        assert_eq!(Tr::new(Lang::En).message(&unknown), "This input is not accepted.");
        assert_eq!(
            Tr::new(Lang::En).detail(403, "Alleen redacteuren.", &[]),
            "Your role gives no access to this function."
        );
        assert_eq!(Tr::new(Lang::En).detail(418, "Theepot.", &[]), "This did not work.");
        assert_eq!(
            Tr::new(Lang::En).detail(400, "Ongeldig.", &[e]),
            "Not a valid BSN (9 digits passing the eleven test)."
        );
        assert_eq!(Tr::new(Lang::Nl).detail(403, "Alleen redacteuren.", &[]), "Alleen redacteuren.");
    }

    #[test]
    fn every_role_and_audit_action_has_a_label() {
        for role in crate::auth::Role::ALL {
            assert!(NL.contains_key(&format!("role.{}", role.id())), "{role}");
            assert!(NL.contains_key(&format!("role.{}.description", role.id())), "{role}");
        }
        for action in crate::auth::audit::AuditAction::ALL {
            assert!(NL.contains_key(&format!("audit.action.{}", action.id())), "{action:?}");
        }
    }
}
