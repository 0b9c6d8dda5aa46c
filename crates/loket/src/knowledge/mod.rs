//! The knowledge base: articles, feedback, notices and decision trees.
//!
//! Rules:
//! - Articles and decision trees are versioned content ([`crate::content`]): every save is a
//!   new version, a save over a newer version is refused (409), and the content cycle decides
//!   who moves a version on: only a kennisexpert (the owner) approves substantive changes, only
//!   a redacteur publishes or archives. The rules are enforced there, not only hidden in the UI.
//! - Agents see only the published version, and only while it is valid (valid-from/until);
//!   editors see the latest version. Both can exist at the same time.
//! - Article text is Markdown, rendered to HTML and cleaned ([`markdown`]) before any browser sees it.

pub mod articles;
pub mod feedback;
pub mod import;
pub mod markdown;
pub mod notices;
pub mod trees;

use crate::store::StoreError;
use crate::validation::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("invalid article")]
    Invalid(Vec<FieldError>),
    #[error("no such article or version")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("the article changed meanwhile: latest version is {latest}")]
    Conflict { latest: i32 },
    #[error(transparent)]
    Cycle(#[from] crate::content::cycle::CycleError),
    #[error("cannot read or write the file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::content::ContentError> for KnowledgeError {
    fn from(e: crate::content::ContentError) -> KnowledgeError {
        use crate::content::ContentError;
        match e {
            ContentError::NotFound => KnowledgeError::NotFound,
            ContentError::Conflict { latest } => KnowledgeError::Conflict { latest },
            ContentError::Cycle(e) => KnowledgeError::Cycle(e),
            ContentError::Store(e) => KnowledgeError::Store(e),
        }
    }
}
