//! Feedback on articles (the one-click signal) and usage signals.
//!
//! Rules: everyone who reads the knowledge base may flag an article (klopt niet, informatie
//! ontbreekt, verouderd, onduidelijk) with an optional note; the search query and the active
//! contact come along as context. Feedback lands on the worklist of the article's owner (a
//! kennisexpert; unowned articles reach every kennisexpert) and of all editors (redacteuren,
//! tweede lijn). Whoever handles it sets a status and a reply that the submitter sees; feedback
//! that led to a change points at that version. "Dit beantwoordde de vraag" and views are kept
//! per article (and per search query) for the search ranking.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::KnowledgeError;
use crate::auth::{Ability, Caller};
use crate::clock;
use crate::store::feedback::{FeedbackListed, FeedbackRow};
use crate::store::{self, Store};
use crate::validation::{self, Checks, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    KloptNiet,
    InformatieOntbreekt,
    Verouderd,
    Onduidelijk,
}

impl FeedbackKind {
    pub const ALL: [FeedbackKind; 4] = [
        FeedbackKind::KloptNiet,
        FeedbackKind::InformatieOntbreekt,
        FeedbackKind::Verouderd,
        FeedbackKind::Onduidelijk,
    ];

    pub fn id(self) -> &'static str {
        match self {
            FeedbackKind::KloptNiet => "klopt_niet",
            FeedbackKind::InformatieOntbreekt => "informatie_ontbreekt",
            FeedbackKind::Verouderd => "verouderd",
            FeedbackKind::Onduidelijk => "onduidelijk",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackKind> {
        FeedbackKind::ALL.into_iter().find(|k| k.id() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackStatus {
    Nieuw,
    InBehandeling,
    Verwerkt,
    Afgewezen,
}

impl FeedbackStatus {
    pub const ALL: [FeedbackStatus; 4] =
        [FeedbackStatus::Nieuw, FeedbackStatus::InBehandeling, FeedbackStatus::Verwerkt, FeedbackStatus::Afgewezen];

    pub fn id(self) -> &'static str {
        match self {
            FeedbackStatus::Nieuw => "nieuw",
            FeedbackStatus::InBehandeling => "in_behandeling",
            FeedbackStatus::Verwerkt => "verwerkt",
            FeedbackStatus::Afgewezen => "afgewezen",
        }
    }

    pub fn parse(s: &str) -> Option<FeedbackStatus> {
        FeedbackStatus::ALL.into_iter().find(|k| k.id() == s)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Feedback {
    pub id: Uuid,
    pub article_id: Uuid,
    pub article_title: String,
    pub article_version: i32,
    pub kind: FeedbackKind,
    pub note: String,
    pub search_query: Option<String>,
    pub contact_ref: Option<String>,
    pub submitter_name: String,
    pub created_at: DateTime<Utc>,
    pub status: FeedbackStatus,
    pub reply: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTime<Utc>>,
    /// The version that took this feedback into account.
    pub resolved_version: Option<i32>,
}

impl From<FeedbackListed> for Feedback {
    fn from(l: FeedbackListed) -> Self {
        let f = l.feedback;
        Feedback {
            id: f.id,
            article_id: f.article_id,
            article_title: l.title,
            article_version: f.article_version,
            kind: FeedbackKind::parse(&f.kind).unwrap_or(FeedbackKind::Onduidelijk),
            note: f.note,
            search_query: f.search_query,
            contact_ref: f.contact_ref,
            submitter_name: f.submitter_name,
            created_at: f.created_at,
            status: FeedbackStatus::parse(&f.status).unwrap_or(FeedbackStatus::Nieuw),
            reply: f.reply,
            handled_by: f.handled_by,
            handled_at: f.handled_at,
            resolved_version: f.resolved_version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    pub kind: FeedbackKind,
    #[serde(default)]
    pub note: String,
    /// What the agent searched for when they found the article.
    #[serde(default)]
    pub search_query: Option<String>,
    /// The contact the agent was handling, if any.
    #[serde(default)]
    pub contact_ref: Option<String>,
}

fn optional_text(field: &str, value: Option<&str>, max: usize, checks: &mut Checks) -> Option<String> {
    value.map(str::trim).filter(|s| !s.is_empty()).and_then(|v| checks.take(field, validation::text(v, 1, max)))
}

/// Flags an article. Only what agents can see now can be flagged: the published, valid version.
pub async fn submit(
    store: &Store,
    caller: &Caller,
    article_id: Uuid,
    input: &FeedbackInput,
) -> Result<Feedback, KnowledgeError> {
    let mut checks = Checks::default();
    let note = checks.take("note", validation::text(&input.note, 0, 2_000));
    let query = optional_text("search_query", input.search_query.as_deref(), 500, &mut checks);
    let contact = optional_text("contact_ref", input.contact_ref.as_deref(), 100, &mut checks);
    checks.finish().map_err(KnowledgeError::Invalid)?;
    let mut tx = store.begin().await?;
    let article = store::articles::find(&mut tx, article_id).await?.ok_or(KnowledgeError::NotFound)?;
    let published = article.published_version.ok_or(KnowledgeError::NotFound)?;
    let version = store::articles::version(&mut tx, article_id, published).await?.ok_or(KnowledgeError::NotFound)?;
    let now = clock::now();
    let visible = version.state == crate::content::cycle::State::Gepubliceerd.id()
        && version.valid_from.is_none_or(|f| f <= now)
        && version.valid_until.is_none_or(|u| u > now);
    if !visible {
        return Err(KnowledgeError::NotFound);
    }
    let row = FeedbackRow {
        id: Uuid::now_v7(),
        article_id,
        article_version: published,
        kind: input.kind.id().to_owned(),
        note: note.unwrap_or_default(),
        search_query: query,
        contact_ref: contact,
        submitter_id: caller.user_id,
        submitter_name: caller.display_name.clone(),
        created_at: clock::now(),
        status: FeedbackStatus::Nieuw.id().to_owned(),
        reply: String::new(),
        handled_by: None,
        handled_at: None,
        resolved_version: None,
    };
    store::feedback::insert(&mut tx, &row).await?;
    let listed = store::feedback::find(&mut tx, row.id).await?.ok_or(KnowledgeError::NotFound)?;
    tx.commit().await?;
    Ok(listed.into())
}

/// Whose worklist: a redacteur or tweede lijn sees everything; a kennisexpert their own
/// articles' feedback and that of articles nobody owns.
fn worklist_owner(caller: &Caller) -> Result<Option<Uuid>, KnowledgeError> {
    if caller.may(Ability::HandleAllFeedback) {
        Ok(None)
    } else if caller.may(Ability::OwnContent) {
        Ok(Some(caller.user_id))
    } else {
        Err(KnowledgeError::Forbidden("De feedbacklijst is voor wie artikelen bewerkt."))
    }
}

/// Which feedback a worklist shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorklistFilter {
    /// What still needs someone: nieuw and in behandeling.
    Open,
    One(FeedbackStatus),
    All,
}

impl WorklistFilter {
    fn statuses(self) -> Vec<&'static str> {
        match self {
            WorklistFilter::Open => vec![FeedbackStatus::Nieuw.id(), FeedbackStatus::InBehandeling.id()],
            WorklistFilter::One(s) => vec![s.id()],
            WorklistFilter::All => FeedbackStatus::ALL.iter().map(|s| s.id()).collect(),
        }
    }
}

pub async fn worklist(store: &Store, caller: &Caller, filter: WorklistFilter) -> Result<Vec<Feedback>, KnowledgeError> {
    let owner = worklist_owner(caller)?;
    let rows = store::feedback::worklist(&mut store.acquire().await?, &filter.statuses(), owner, 500).await?;
    Ok(rows.into_iter().map(Feedback::from).collect())
}

/// What the caller flagged (all statuses), with the replies.
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<Feedback>, KnowledgeError> {
    let rows = store::feedback::by_submitter(&mut store.acquire().await?, caller.user_id, 200).await?;
    Ok(rows.into_iter().map(Feedback::from).collect())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackHandling {
    pub status: FeedbackStatus,
    #[serde(default)]
    pub reply: String,
    /// The version that took the feedback into account (with `verwerkt`).
    #[serde(default)]
    pub resolved_version: Option<i32>,
}

/// Sets status and reply. A kennisexpert handles feedback on their own (or unowned) articles.
pub async fn handle(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &FeedbackHandling,
) -> Result<Feedback, KnowledgeError> {
    let owner = worklist_owner(caller)?;
    let reply =
        validation::text(&input.reply, 0, 2_000).map_err(|e| KnowledgeError::Invalid(vec![e.for_field("reply")]))?;
    if input.status == FeedbackStatus::Afgewezen && reply.is_empty() {
        return Err(KnowledgeError::Invalid(vec![FieldError::new(
            "reply",
            "required",
            "Leg de indiener uit waarom de feedback is afgewezen.",
        )]));
    }
    let mut tx = store.begin().await?;
    let current = store::feedback::find(&mut tx, id).await?.ok_or(KnowledgeError::NotFound)?;
    if let Some(me) = owner
        && current.owner_id.is_some_and(|o| o != me)
    {
        return Err(KnowledgeError::Forbidden("Deze feedback hoort bij het artikel van een andere kennisexpert."));
    }
    let resolved = match input.resolved_version {
        Some(v) => {
            store::articles::version(&mut tx, current.feedback.article_id, v).await?.ok_or_else(|| {
                KnowledgeError::Invalid(vec![FieldError::new(
                    "resolved_version",
                    "unknown_version",
                    "Die versie bestaat niet.",
                )])
            })?;
            Some(v)
        }
        None => None,
    };
    store::feedback::update(&mut tx, id, input.status.id(), &reply, &caller.display_name, clock::now(), resolved)
        .await?;
    let updated = store::feedback::find(&mut tx, id).await?.ok_or(KnowledgeError::NotFound)?;
    tx.commit().await?;
    Ok(updated.into())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Viewed,
    Answered,
}

/// Records a view of, or "dit beantwoordde de vraag" for, the published version of an article.
pub async fn record_signal(
    store: &Store,
    caller: &Caller,
    article_id: Uuid,
    signal: Signal,
    query: Option<&str>,
) -> Result<(), KnowledgeError> {
    // Masked like the search log: a BSN typed into the search box is not kept with the signal.
    let query = query.map(str::trim).filter(|q| !q.is_empty()).map(loket_search::queries::masked);
    let key = query.as_deref().map(loket_search::queries::query_key);
    let mut tx = store.begin().await?;
    let article = store::articles::find(&mut tx, article_id).await?.ok_or(KnowledgeError::NotFound)?;
    let version = article.published_version.ok_or(KnowledgeError::NotFound)?;
    let kind = match signal {
        Signal::Viewed => "bekeken",
        Signal::Answered => "beantwoord",
    };
    store::feedback::insert_signal(
        &mut tx,
        article_id,
        version,
        kind,
        Some(caller.user_id),
        query.as_deref().zip(key.as_deref()),
        clock::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
