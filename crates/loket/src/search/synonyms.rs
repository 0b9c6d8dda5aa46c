//! Synonym groups, managed by redacteuren ("ID-kaart = identiteitskaart = id kaart").
//!
//! Rules: only a redacteur changes them; a group has 2 to 20 distinct words or phrases of at
//! most 4 words and 60 characters; the search applies them at query time, every process within
//! a second of a change (the change log's 'synonyms' line), no reindex needed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::SearchError;
use crate::auth::Caller;
use crate::clock;
use crate::store::search::SynonymRow;
use crate::store::{self, Store};
use crate::validation::{self, FieldError};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SynonymGroup {
    pub id: Uuid,
    pub terms: Vec<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SynonymRow> for SynonymGroup {
    fn from(r: SynonymRow) -> Self {
        SynonymGroup {
            id: r.id,
            terms: serde_json::from_str(&r.terms).unwrap_or_default(),
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SynonymInput {
    /// The words or phrases that mean the same, e.g. ["ID-kaart", "identiteitskaart"].
    pub terms: Vec<String>,
}

/// Splits a line typed in the screen ("ID-kaart, identiteitskaart; id kaart") into terms.
pub fn terms_from_line(line: &str) -> Vec<String> {
    line.split([',', ';', '\n', '=']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect()
}

fn parse(input: &SynonymInput) -> Result<Vec<String>, SearchError> {
    let invalid =
        |code: &'static str, message: String| SearchError::Invalid(vec![FieldError::new("terms", code, message)]);
    let mut terms: Vec<String> = Vec::new();
    for t in &input.terms {
        let t = validation::text(t, 1, 60).map_err(|e| SearchError::Invalid(vec![e.for_field("terms")]))?;
        if t.split_whitespace().count() > 4 {
            return Err(invalid("too_many_words", format!("'{t}' heeft meer dan 4 woorden.")));
        }
        if !terms.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
            terms.push(t);
        }
    }
    if terms.len() < 2 {
        return Err(invalid("too_few", "Geef minstens twee woorden die hetzelfde betekenen.".into()));
    }
    if terms.len() > 20 {
        return Err(invalid("too_many", "Maximaal 20 woorden per groep.".into()));
    }
    Ok(terms)
}

fn require(caller: &Caller) -> Result<(), SearchError> {
    super::require_manage(caller, "Alleen redacteuren beheren synoniemen.")
}

pub async fn list(store: &Store) -> Result<Vec<SynonymGroup>, SearchError> {
    Ok(store::search::synonyms(&mut store.acquire().await?).await?.into_iter().map(SynonymGroup::from).collect())
}

pub async fn create(store: &Store, caller: &Caller, input: &SynonymInput) -> Result<SynonymGroup, SearchError> {
    require(caller)?;
    let terms = parse(input)?;
    let now = clock::now();
    let row = SynonymRow {
        id: Uuid::now_v7(),
        terms: serde_json::to_string(&terms).unwrap_or_else(|_| "[]".into()),
        created_by: caller.username.clone(),
        created_at: now,
        updated_at: now,
    };
    let mut tx = store.begin().await?;
    store::search::insert_synonym(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(row.into())
}

pub async fn update(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &SynonymInput,
) -> Result<SynonymGroup, SearchError> {
    require(caller)?;
    let terms = parse(input)?;
    let mut tx = store.begin().await?;
    let json = serde_json::to_string(&terms).unwrap_or_else(|_| "[]".into());
    if store::search::update_synonym(&mut tx, id, &json, clock::now()).await? == 0 {
        return Err(SearchError::NotFound);
    }
    let row = store::search::find_synonym(&mut tx, id).await?.ok_or(SearchError::NotFound)?;
    tx.commit().await?;
    Ok(row.into())
}

pub async fn delete(store: &Store, caller: &Caller, id: Uuid) -> Result<(), SearchError> {
    require(caller)?;
    let mut tx = store.begin().await?;
    if store::search::delete_synonym(&mut tx, id).await? == 0 {
        return Err(SearchError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Loads groups given as lines of a text file (one group per line, terms separated by commas);
/// groups whose first term exists already are skipped. Returns how many were added.
pub async fn import_lines(store: &Store, author: &str, text: &str) -> Result<usize, SearchError> {
    let existing: Vec<String> =
        list(store).await?.into_iter().filter_map(|g| g.terms.first().map(|t| t.to_lowercase())).collect();
    let now = clock::now();
    let mut tx = store.begin().await?;
    let mut added = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let terms = parse(&SynonymInput { terms: terms_from_line(line) })?;
        if existing.contains(&terms[0].to_lowercase()) {
            continue;
        }
        let row = SynonymRow {
            id: Uuid::now_v7(),
            terms: serde_json::to_string(&terms).unwrap_or_else(|_| "[]".into()),
            created_by: author.to_owned(),
            created_at: now,
            updated_at: now,
        };
        store::search::insert_synonym(&mut tx, &row).await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_needs_two_distinct_short_terms() {
        let one = SynonymInput { terms: vec!["paspoort".into(), "Paspoort".into()] };
        assert!(matches!(parse(&one), Err(SearchError::Invalid(_))));
        let long = SynonymInput { terms: vec!["a b c d e".into(), "x".into()] };
        assert!(matches!(parse(&long), Err(SearchError::Invalid(_))));
        let ok = SynonymInput { terms: terms_from_line("ID-kaart, identiteitskaart; id kaart") };
        assert_eq!(parse(&ok).unwrap(), ["ID-kaart", "identiteitskaart", "id kaart"]);
    }
}
