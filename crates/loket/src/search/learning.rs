//! What the search learnt from agents, for redacteuren to see and reset.
//!
//! Rules: learning comes from opened articles and "dit beantwoordde de vraag" after a query
//! (see `loket_search::learning`); a redacteur can reset it for one query, one article, or all
//! (signals before the reset stop counting; the signals themselves stay, as usage history).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Search, SearchError};
use crate::auth::Caller;
use crate::clock;
use crate::store::{self, Store};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LearnedBoost {
    /// The query, as its key (stems, sorted).
    pub query_key: String,
    pub article_id: Uuid,
    pub article_title: String,
    /// How much the signals still weigh (an answer counts 3, a click 1, halving every 30 days).
    pub weight: f64,
    pub people: usize,
    /// The raise this gives, as a share of the best text score (at most 0.5).
    pub boost: f32,
}

/// The strongest learned raises.
pub async fn list(
    store: &Store,
    search: &Search,
    caller: &Caller,
    limit: usize,
) -> Result<Vec<LearnedBoost>, SearchError> {
    super::require_manage(caller, "Alleen redacteuren zien wat het zoeken geleerd heeft.")?;
    let learning = search.learning();
    let entries: Vec<_> = learning.entries().iter().take(limit).collect();
    let entries: Vec<_> = entries.into_iter().filter_map(|e| Some((Uuid::parse_str(&e.doc.id).ok()?, e))).collect();
    let ids: Vec<Uuid> = entries.iter().map(|(id, _)| *id).collect();
    let titles = store::search::article_titles(&mut store.acquire().await?, &ids).await?;
    Ok(entries
        .into_iter()
        .filter_map(|(id, e)| {
            let title = titles.get(&id)?.clone();
            Some(LearnedBoost {
                query_key: e.query_key.clone(),
                article_id: id,
                article_title: title,
                weight: e.weight,
                people: e.people,
                boost: e.boost,
            })
        })
        .collect())
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetInput {
    /// Only this query key (as listed); with neither field, everything is reset.
    #[serde(default)]
    pub query_key: Option<String>,
    /// Only this article.
    #[serde(default)]
    pub article_id: Option<Uuid>,
}

pub async fn reset(store: &Store, caller: &Caller, input: &ResetInput) -> Result<(), SearchError> {
    super::require_manage(caller, "Alleen redacteuren zetten het geleerde terug.")?;
    let key = match input.query_key.as_deref().map(str::trim) {
        // A blank key must not widen the reset to everything (that is: no key at all).
        Some("") => {
            return Err(SearchError::Invalid(vec![crate::validation::FieldError::new(
                "query_key",
                "blank",
                "Laat query_key weg om alles terug te zetten, of geef een zoekvraag.",
            )]));
        }
        key => key.map(|k| k.chars().take(500).collect::<String>()),
    };
    let mut tx = store.begin().await?;
    store::search::insert_reset(
        &mut tx,
        Uuid::now_v7(),
        key.as_deref(),
        input.article_id,
        clock::now(),
        &caller.username,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
