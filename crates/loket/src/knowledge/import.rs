//! Import and export of articles as JSON Lines, and import of the UPL product list.
//!
//! Rules: an import is idempotent on the external `id` (a re-import updates, never duplicates;
//! an unchanged article stays as it is); imported articles are published at once, by "import",
//! since they come from a source that was already published; a bad line is reported with its
//! number and the rest goes on. The format is documented in docs/IMPORT.md.

use std::io::{BufRead, Write};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::KnowledgeError;
use super::articles::{ArticleInput, Content, version_row};
use crate::auth::Role;
use crate::clock;
use crate::content::{self, cycle::State};
use crate::store::articles::ArticleRow;
use crate::store::{self, Store, Tx};

const IMPORTER: &str = "import";
/// Lines per transaction: few enough to keep a transaction short, many enough that 500 articles
/// do not cost 500 durable commits.
const BATCH: usize = 200;

/// A date (`2026-12-31`, taken as midnight in Amsterdam) or a full RFC 3339 time.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum When {
    Time(DateTime<Utc>),
    Day(NaiveDate),
}

impl When {
    fn at(&self) -> DateTime<Utc> {
        match self {
            When::Time(t) => *t,
            When::Day(d) => {
                use chrono::TimeZone;
                chrono_tz::Europe::Amsterdam
                    .from_local_datetime(&d.and_time(NaiveTime::MIN))
                    .earliest()
                    .map_or_else(|| d.and_time(NaiveTime::MIN).and_utc(), |t| t.with_timezone(&Utc))
            }
        }
    }
}

/// One line of an import file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The stable external id.
    pub id: String,
    pub title: String,
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_answer: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub instructions: String,
    /// `publiek` (the default for imports) or `intern`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upl_product: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<NaiveDate>,
    /// External ids of related articles imported earlier (earlier lines or earlier imports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// User name of the owning kennisexpert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Name of the owning afdeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Export only: the state of the exported version. Ignored on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The first sentences of a text, up to about 300 characters: what an agent reads out when an
/// imported article brings no short answer of its own.
pub fn leading_sentences(body: &str) -> String {
    let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for sentence in text.split_inclusive(['.', '?', '!']) {
        if !out.is_empty() && out.chars().count() + sentence.chars().count() > 300 {
            break;
        }
        out.push_str(sentence);
        if out.chars().count() >= 120 {
            break;
        }
    }
    let out = out.trim();
    if out.chars().count() > 300 { out.chars().take(297).collect::<String>() + "…" } else { out.to_owned() }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// (line number, what is wrong)
    pub errors: Vec<(usize, String)>,
    /// (line number, note): things skipped without failing the line, such as an unknown related id.
    pub warnings: Vec<(usize, String)>,
}

async fn lookup_user(tx: &mut Tx, username: &str) -> Result<Option<Uuid>, KnowledgeError> {
    let Some(user) = store::users::find_by_username(tx, &username.trim().to_lowercase()).await? else {
        return Ok(None);
    };
    let roles = store::users::roles_of(tx, user.id).await?;
    Ok(roles.iter().any(|r| r == Role::Kennisexpert.id()).then_some(user.id))
}

/// Imports articles from JSON Lines. `progress` is told the bytes read so far after each line.
pub async fn import_articles(
    store: &Store,
    reader: impl BufRead,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, KnowledgeError> {
    let mut report = ImportReport::default();
    let mut tx = store.begin().await?;
    let mut in_batch = 0;
    let mut bytes = 0u64;
    // Lines are split as bytes: a line that is not UTF-8 is one bad line, not the end of the file.
    for (index, line) in reader.split(b'\n').enumerate() {
        let number = index + 1;
        let line = line?;
        bytes += line.len() as u64 + 1;
        progress(bytes);
        let Ok(line) = std::str::from_utf8(&line) else {
            report.errors.push((number, "deze regel is geen geldige UTF-8-tekst".to_owned()));
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                report.errors.push((number, e.to_string()));
                continue;
            }
        };
        if let Err(message) = import_one(&mut tx, record, number, &mut report).await? {
            report.errors.push((number, message));
        }
        in_batch += 1;
        if in_batch == BATCH {
            tx.commit().await?;
            tx = store.begin().await?;
            in_batch = 0;
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// Imports one record within the batch's transaction. The outer error is the database's; the
/// inner one a problem with this line.
async fn import_one(
    tx: &mut Tx,
    record: Record,
    number: usize,
    report: &mut ImportReport,
) -> Result<Result<(), String>, KnowledgeError> {
    let external_id = record.id.trim().to_owned();
    if external_id.is_empty() || external_id.len() > 200 {
        return Ok(Err("id: 1 tot 200 tekens".into()));
    }
    let mut related = Vec::new();
    for ext in &record.related {
        match store::articles::find_by_external_id(tx, ext).await? {
            Some(a) => related.push(a.id),
            None => report
                .warnings
                .push((number, format!("gerelateerd artikel '{ext}' is (nog) niet bekend en overgeslagen"))),
        }
    }
    let input = ArticleInput {
        title: record.title.clone(),
        short_answer: record.short_answer.clone().unwrap_or_else(|| leading_sentences(&record.body)),
        body: record.body.clone(),
        instructions: record.instructions.clone(),
        audience: Some(record.audience.clone().unwrap_or_else(|| "publiek".into())),
        keywords: record.keywords.clone(),
        synonyms: record.synonyms.clone(),
        upl_product: record.upl_product.clone(),
        category: record.category.clone(),
        valid_from: record.valid_from.as_ref().map(When::at),
        valid_until: record.valid_until.as_ref().map(When::at),
        review_date: record.review_date,
        related,
    };
    let content = match Content::parse(&input) {
        Ok(c) => c,
        Err(errors) => return Ok(Err(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))),
    };
    let owner_id = match &record.owner {
        Some(name) => match lookup_user(tx, name).await? {
            Some(id) => Some(id),
            None => return Ok(Err(format!("owner: '{name}' is geen kennisexpert in Loket"))),
        },
        None => None,
    };
    let unit_id = match &record.unit {
        Some(name) => match store::units::find_by_name(tx, name).await? {
            Some(u) => Some(u.id),
            None => return Ok(Err(format!("unit: geen afdeling '{name}'"))),
        },
        None => None,
    };
    let now = clock::now();
    match store::articles::find_by_external_id(tx, &external_id).await? {
        None => {
            let id = Uuid::now_v7();
            let article = ArticleRow {
                id,
                external_id: Some(external_id),
                owner_id,
                unit_id,
                latest_version: 1,
                published_version: Some(1),
                created_at: now,
                updated_at: now,
            };
            store::articles::insert(tx, &article).await?;
            let mut row = version_row(id, 1, &content, true, "Geïmporteerd", (None, IMPORTER));
            row.state = State::Gepubliceerd.id().to_owned();
            row.published_by = Some(IMPORTER.to_owned());
            row.published_at = Some(now);
            store::articles::insert_version(tx, &row).await?;
            report.created += 1;
        }
        Some(article) => {
            let current =
                store::articles::version(tx, article.id, article.published_version.unwrap_or(article.latest_version))
                    .await?;
            if current.as_ref().is_some_and(|v| Content::from_row(v) == content) {
                report.unchanged += 1;
                return Ok(Ok(()));
            }
            let next = article.latest_version + 1;
            let mut row = version_row(article.id, next, &content, true, "Bijgewerkt door import", (None, IMPORTER));
            row.state = State::Gepubliceerd.id().to_owned();
            row.published_by = Some(IMPORTER.to_owned());
            row.published_at = Some(now);
            store::articles::insert_version(tx, &row).await?;
            let head = content::Head {
                id: article.id,
                owner_id: article.owner_id,
                latest_version: article.latest_version,
                published_version: article.published_version,
            };
            content::publish_loaded(tx, content::Kind::Article, &head, next, now).await?;
            if owner_id.is_some() || unit_id.is_some() {
                store::articles::set_owner(tx, article.id, owner_id.or(article.owner_id), unit_id.or(article.unit_id))
                    .await?;
            }
            report.updated += 1;
        }
    }
    Ok(Ok(()))
}

/// Writes every article (its published version, else its latest) as JSON Lines in the import
/// format; importing the result again changes nothing. Returns the number written.
pub async fn export_articles(store: &Store, mut out: impl Write) -> Result<usize, KnowledgeError> {
    let mut conn = store.acquire().await?;
    let rows = store::articles::all_for_export(&mut conn).await?;
    let users = store::users::list(&mut conn).await?;
    let units = store::units::list(&mut conn).await?;
    let mut external = std::collections::HashMap::new();
    for (a, _) in &rows {
        external.insert(a.id, a.external_id.clone().unwrap_or_else(|| a.id.to_string()));
    }
    for (article, version) in &rows {
        let content = Content::from_row(version);
        let record = Record {
            id: external[&article.id].clone(),
            title: content.title,
            body: content.body,
            short_answer: Some(content.short_answer),
            instructions: content.instructions,
            audience: Some(content.audience.id().to_owned()),
            keywords: content.keywords,
            synonyms: content.synonyms,
            upl_product: content.upl_product,
            category: content.category,
            valid_from: content.valid_from.map(When::Time),
            valid_until: content.valid_until.map(When::Time),
            review_date: content.review_date,
            related: content.related.iter().filter_map(|id| external.get(id).cloned()).collect(),
            owner: article.owner_id.and_then(|o| users.iter().find(|u| u.id == o)).map(|u| u.username.clone()),
            unit: article.unit_id.and_then(|o| units.iter().find(|u| u.id == o)).map(|u| u.name.clone()),
            state: Some(version.state.clone()),
        };
        serde_json::to_writer(&mut out, &record).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    }
    Ok(rows.len())
}

/// Imports the UPL list (CSV with columns naam, uri, burger, bedrijf, …). Returns products read.
pub async fn import_upl(
    store: &Store,
    reader: impl std::io::Read,
    mut progress: impl FnMut(u64),
) -> Result<usize, KnowledgeError> {
    #[derive(Deserialize)]
    struct Row {
        naam: String,
        uri: String,
        #[serde(default)]
        burger: String,
        #[serde(default)]
        bedrijf: String,
    }
    let bad = |e: csv::Error| {
        KnowledgeError::Invalid(vec![crate::validation::FieldError::new("file", "invalid_csv", e.to_string())])
    };
    let mut csv = csv::Reader::from_reader(reader);
    let mut tx = store.begin().await?;
    let mut count = 0;
    for row in csv.deserialize::<Row>() {
        let row = row.map_err(bad)?;
        let name = row.naam.trim();
        if name.is_empty() {
            continue;
        }
        store::articles::upsert_upl(&mut tx, name, row.uri.trim(), row.burger == "true", row.bedrijf == "true").await?;
        count += 1;
        progress(count as u64);
    }
    tx.commit().await?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_answer_of_an_import_is_its_first_sentences() {
        let body = "voor particulieren geldt geen wettelijke bewaarplicht. maar voor naheffingen door de belastingdienst is het slim om uw administratie 5 jaar te bewaren. voor bedrijven geldt wel een plicht.";
        let short = leading_sentences(body);
        assert!(
            short.starts_with("voor particulieren geldt geen wettelijke bewaarplicht. maar voor naheffingen"),
            "{short}"
        );
        assert!(!short.contains("voor bedrijven"), "{short}");
        assert!(leading_sentences(&"a".repeat(1000)).chars().count() <= 300);
    }

    #[test]
    fn a_date_is_midnight_in_amsterdam() {
        let when: When = serde_json::from_str("\"2026-07-01\"").unwrap();
        assert_eq!(when.at().to_rfc3339(), "2026-06-30T22:00:00+00:00");
    }
}
