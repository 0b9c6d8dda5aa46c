//! Search analytics for redacteuren: what agents look for, what finds nothing, what finds
//! nothing likely to answer it ("geen goed antwoord"), and what finds something nobody opens —
//! the list of missing or badly findable content — with one click to turn a query into a draft
//! article or a feedback item on its best hit.
//!
//! Rules: counted per query key (the same question in other words counts once); a period of
//! 1 to 365 days; only redacteuren see it; the draft and the feedback item go through the
//! ordinary knowledge rules (who may write, the content cycle).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::SearchError;
use crate::auth::Caller;
use crate::knowledge::KnowledgeError;
use crate::knowledge::articles::{self, Article, ArticleInput, Content, Ownership};
use crate::knowledge::feedback::{self, Feedback, FeedbackInput, FeedbackKind};
use crate::store::{self, Store};
use crate::validation::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Listing {
    /// Most searched.
    #[default]
    Top,
    /// Searched, found nothing.
    NoResults,
    /// Searched, found nothing likely to answer it (no results included): the questions the
    /// knowledge base has no good answer to.
    NotConfident,
    /// Found something, nobody opened anything.
    NothingOpened,
}

impl Listing {
    pub const ALL: [Listing; 4] = [Listing::Top, Listing::NotConfident, Listing::NoResults, Listing::NothingOpened];

    pub fn id(self) -> &'static str {
        match self {
            Listing::Top => "top",
            Listing::NoResults => "no_results",
            Listing::NotConfident => "not_confident",
            Listing::NothingOpened => "nothing_opened",
        }
    }

    pub fn parse(s: &str) -> Option<Listing> {
        Listing::ALL.into_iter().find(|l| l.id() == s)
    }

    fn filter(self) -> &'static str {
        match self {
            Listing::Top => "all",
            Listing::NoResults => "zero",
            Listing::NotConfident => "unsure",
            Listing::NothingOpened => "unopened",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueryRow {
    pub query_key: String,
    /// How it was typed most recently.
    pub query: String,
    pub searches: i64,
    /// Results the last time.
    pub results: i64,
    /// Articles opened after this query in the period.
    pub opened: i64,
    /// The best article hit the last time (for a feedback item).
    pub top_article_id: Option<Uuid>,
    /// The last time, a hit was likely to answer it.
    pub confident: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    pub from: DateTime<Utc>,
    pub days: i64,
    pub listing: Listing,
    pub searches: i64,
    pub without_results: i64,
    /// Searches where no hit was likely to answer the question (those without results included).
    pub not_confident: i64,
    pub queries: Vec<QueryRow>,
}

fn require(caller: &Caller) -> Result<(), SearchError> {
    super::require_manage(caller, "De zoekanalyse is voor redacteuren.")
}

pub fn parse_days(days: Option<i64>) -> Result<i64, SearchError> {
    match days.unwrap_or(30) {
        d @ 1..=365 => Ok(d),
        _ => Err(SearchError::Invalid(vec![FieldError::new("days", "out_of_range", "Kies 1 tot 365 dagen.")])),
    }
}

pub async fn report(
    store: &Store,
    caller: &Caller,
    listing: Listing,
    days: i64,
    limit: i64,
) -> Result<Report, SearchError> {
    require(caller)?;
    let from = Utc::now() - chrono::Duration::days(days);
    let mut conn = store.acquire().await?;
    let (searches, without_results, not_confident) = store::search::search_counts(&mut conn, from).await?;
    let rows = store::search::query_stats(&mut conn, from, listing.filter(), limit.clamp(1, 500)).await?;
    Ok(Report {
        from,
        days,
        listing,
        searches,
        without_results,
        not_confident,
        queries: rows
            .into_iter()
            .map(|r| QueryRow {
                query_key: r.query_key,
                query: r.example,
                searches: r.searches,
                results: r.last_total,
                opened: r.opened,
                top_article_id: r.top_id,
                confident: r.confident,
            })
            .collect(),
    })
}

/// A new article in concept titled after the query, for content that is missing.
pub async fn draft_from_query(
    store: &Store,
    caller: &Caller,
    query: &str,
    searches: i64,
) -> Result<Article, SearchError> {
    require(caller)?;
    let title = capitalised(query.trim());
    let input = ArticleInput {
        title: title.clone(),
        body: format!("_Concept uit de zoekanalyse: agenten zochten {searches} keer op \"{}\"._", query.trim()),
        keywords: vec![query.trim().to_owned()],
        ..Default::default()
    };
    let content = Content::parse(&input).map_err(KnowledgeError::Invalid)?;
    let reason = format!("Uit de zoekanalyse ({searches} zoekopdrachten)");
    Ok(articles::create(store, caller, content, Ownership::default(), &reason).await?)
}

/// A feedback item "informatie ontbreekt" on the article that came out on top but was not opened.
pub async fn feedback_from_query(
    store: &Store,
    caller: &Caller,
    query: &str,
    article_id: Uuid,
    searches: i64,
) -> Result<Feedback, SearchError> {
    require(caller)?;
    let note = format!(
        "Zoekanalyse: op \"{}\" werd {searches} keer gezocht; dit artikel kwam bovenaan maar werd niet geopend.",
        query.trim()
    );
    let input = FeedbackInput {
        kind: FeedbackKind::InformatieOntbreekt,
        note,
        search_query: Some(query.trim().to_owned()),
        contact_ref: None,
    };
    Ok(feedback::submit(store, caller, article_id, &input).await?)
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
