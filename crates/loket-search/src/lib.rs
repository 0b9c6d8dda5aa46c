//! Loket's search: Dutch text analysis and the search index (tantivy). No database, no HTTP:
//! the application hands in documents, queries, synonyms and usage signals, and gets ranked
//! hits back.
//!
//! - [`analysis`]: how Dutch words are matched (folding, stemming, compounds, stop words).
//! - [`SearchIndex`]: the index on disk, rebuilt from the application's data when in doubt.
//! - [`Request`] / [`Results`]: one query and its hits, with snippets and a suggestion.
//! - [`Synonyms`], [`Learning`]: what redacteuren and agents teach the search.
//! - [`queries`]: a query as it may be stored (masked) and the key it is counted under.

pub mod analysis;
pub mod corpus;
mod document;
pub mod evaluation;
mod index;
pub mod learning;
pub mod queries;
mod query;
mod snippet;
mod synonyms;

pub use document::{Audience, DocKey, Document, Kind, Reach};
pub use index::{INDEX_VERSION, IndexError, Opened, SearchIndex, Vocabulary};
pub use learning::Learning;
pub use query::{COUNT_CAP, Extras, Hit, Request, Results, Viewer};
pub use snippet::Fragment;
pub use synonyms::Synonyms;
