//! What can be found: the documents the application hands to the index, and who may see them.

use std::fmt;

/// The kinds of things one search box finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Kind {
    /// A published knowledge article (kennisartikel).
    #[default]
    Article,
    /// A werkbericht: nieuws or werkinstructie.
    Notice,
    /// A published beslisboom.
    Tree,
    /// A colleague in the directory (smoelenboek).
    Employee,
    /// An afdeling or team in the directory.
    Unit,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Article, Kind::Notice, Kind::Tree, Kind::Employee, Kind::Unit];

    /// The id used in the API (`type=`) and in the index.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Notice => "notice",
            Kind::Tree => "tree",
            Kind::Employee => "employee",
            Kind::Unit => "unit",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.id() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A document's identity in the index: its kind and the application's id for it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DocKey {
    pub kind: Kind,
    pub id: String,
}

impl DocKey {
    pub fn new(kind: Kind, id: impl Into<String>) -> DocKey {
        DocKey { kind, id: id.into() }
    }

    /// One string, unique over all kinds ("article:0190…").
    pub fn encoded(&self) -> String {
        format!("{}:{}", self.kind.id(), self.id)
    }

    pub fn decode(s: &str) -> Option<DocKey> {
        let (kind, id) = s.split_once(':')?;
        Some(DocKey { kind: Kind::parse(kind)?, id: id.to_owned() })
    }
}

/// Who may read a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Audience {
    /// Employees only.
    #[default]
    Intern,
    /// Also citizens (self-service).
    Publiek,
}

impl Audience {
    pub fn id(self) -> &'static str {
        match self {
            Audience::Intern => "intern",
            Audience::Publiek => "publiek",
        }
    }

    pub fn parse(s: &str) -> Option<Audience> {
        match s {
            "intern" => Some(Audience::Intern),
            "publiek" => Some(Audience::Publiek),
            _ => None,
        }
    }
}

/// Which employees may see a document (citizens see only [`Audience::Publiek`] articles).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Reach {
    /// Every employee.
    #[default]
    Everyone,
    /// Employees of these units (afdelingen or teams, by the application's id).
    Units(Vec<String>),
}

/// One thing to index, in the application's words. Texts are plain (Markdown already rendered
/// to text by the caller); everything is stored so hits and snippets need no database.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub key: DocKey,
    /// The id given at import, for articles that came from elsewhere.
    pub external_id: Option<String>,
    pub title: String,
    /// What is read out first: an article's short answer, a colleague's function.
    pub summary: String,
    pub body: String,
    /// Curated words: keywords, synonyms, the UPL product name, topics.
    pub terms: Vec<String>,
    /// Category path, levels separated by `/`.
    pub category: String,
    pub audience: Audience,
    pub reach: Reach,
    /// Unix seconds; outside this window the document is not found.
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    /// A short line shown with the hit (a phone number, a notice's date).
    pub detail: String,
}
