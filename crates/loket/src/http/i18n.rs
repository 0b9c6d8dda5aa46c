//! The words on the screen, in Dutch (the default) and English. Texts live in `locales/*.toml`
//! as flat keys; a unit test keeps both files in step and checks every key the templates use.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::HeaderMap;
use axum_extra::extract::CookieJar;

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
        let table: &'static HashMap<String, String> = match self.lang {
            Lang::Nl => &NL,
            Lang::En => &EN,
        };
        match table.get(key) {
            Some(text) => text.as_str(),
            None => key,
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
