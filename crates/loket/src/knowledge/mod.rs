//! The knowledge base: articles with versions and the content cycle, and (later in this module)
//! feedback, notices and decision trees.
//!
//! Rules:
//! - Every saved change is a new version with author, time and reason; nothing is overwritten.
//!   A save names the version it started from; if someone saved in between, it is refused
//!   (409) instead of silently overwriting their work.
//! - Agents see only the published version, and only while it is valid (valid-from/until);
//!   editors see the latest version. Both can exist at the same time.
//! - The content cycle ([`cycle`]) decides who may move a version on: only a kennisexpert (the
//!   owner) approves substantive changes, only a redacteur publishes or archives. The rules are
//!   enforced here, not only hidden in the UI.
//! - Article text is Markdown, rendered to HTML and cleaned ([`markdown`]) before any browser sees it.

pub mod articles;
pub mod cycle;
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
    Cycle(#[from] cycle::CycleError),
    #[error("cannot read or write the file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}
