//! Knowledge articles (kennisartikelen): content, versions, the cycle, history and diff.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::KnowledgeError;
use super::markdown;
use crate::auth::policy::{self, Ability};
use crate::auth::{Caller, Role};
use crate::clock;
use crate::content::cycle::{State, Transition};
use crate::content::{self, DiffLine};
use crate::store::articles::{ArticleRow, Listed, VersionRow};
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

const KIND: content::Kind = content::Kind::Article;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Only for employees.
    #[default]
    Intern,
    /// Also for citizens (self-service).
    Publiek,
}

impl Audience {
    pub fn id(self) -> &'static str {
        match self {
            Audience::Intern => "intern",
            Audience::Publiek => "publiek",
        }
    }

    fn parse(s: &str) -> Result<Audience, FieldError> {
        match s {
            "intern" => Ok(Audience::Intern),
            "publiek" => Ok(Audience::Publiek),
            _ => Err(FieldError::new("audience", "unknown_audience", "Kies 'intern' of 'publiek'.")),
        }
    }
}

/// An article's content as typed or sent; every field but the title optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInput {
    pub title: String,
    /// What the agent says: one or two sentences.
    #[serde(default)]
    pub short_answer: String,
    /// The full text, in Markdown.
    #[serde(default)]
    pub body: String,
    /// Internal instructions for agents (werkinstructie), never shown to citizens.
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub audience: Option<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// A product name from the UPL list.
    #[serde(default)]
    pub upl_product: Option<String>,
    /// Place in the category tree, levels separated by `/` ("Burgerzaken/Reisdocumenten").
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub valid_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub valid_until: Option<DateTime<Utc>>,
    #[serde(default)]
    pub review_date: Option<NaiveDate>,
    #[serde(default)]
    pub related: Vec<Uuid>,
}

/// Content that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub title: String,
    pub short_answer: String,
    pub body: String,
    pub instructions: String,
    pub audience: Audience,
    pub keywords: Vec<String>,
    pub synonyms: Vec<String>,
    pub upl_product: Option<String>,
    pub category: String,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub review_date: Option<NaiveDate>,
    pub related: Vec<Uuid>,
}

fn words(field: &str, list: &[String]) -> Result<Vec<String>, FieldError> {
    if list.len() > 50 {
        return Err(FieldError::new(field, "too_many", "Maximaal 50."));
    }
    let mut out: Vec<String> = Vec::new();
    for w in list {
        let w = validation::text(w, 0, 100).map_err(|e| e.for_field(field))?;
        if !w.is_empty() && !out.iter().any(|x| x.eq_ignore_ascii_case(&w)) {
            out.push(w);
        }
    }
    Ok(out)
}

impl Content {
    pub fn parse(input: &ArticleInput) -> Result<Content, Vec<FieldError>> {
        let mut c = Checks::default();
        let title = c.take("title", validation::text(&input.title, 3, 200));
        let short_answer = c.take("short_answer", validation::text(&input.short_answer, 0, 2_000));
        let body = c.take("body", validation::text(&input.body, 0, 100_000));
        let instructions = c.take("instructions", validation::text(&input.instructions, 0, 20_000));
        let audience = c.take("audience", input.audience.as_deref().map_or(Ok(Audience::Intern), Audience::parse));
        let keywords = c.take("keywords", words("keywords", &input.keywords));
        let synonyms = c.take("synonyms", words("synonyms", &input.synonyms));
        let category = c.take("category", validation::text(&input.category, 0, 200));
        let upl_product = match input.upl_product.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => c.take("upl_product", validation::text(p, 1, 200)).map(Some),
            None => Some(None),
        };
        if let (Some(from), Some(until)) = (input.valid_from, input.valid_until)
            && until <= from
        {
            c.push(FieldError::new("valid_until", "before_valid_from", "'Geldig tot' ligt na 'geldig vanaf'."));
        }
        if input.related.len() > 50 {
            c.push(FieldError::new("related", "too_many", "Maximaal 50."));
        }
        c.finish()?;
        match (title, short_answer, body, instructions, audience, keywords, synonyms, category, upl_product) {
            (
                Some(title),
                Some(short_answer),
                Some(body),
                Some(instructions),
                Some(audience),
                Some(keywords),
                Some(synonyms),
                Some(category),
                Some(upl_product),
            ) => Ok(Content {
                title,
                short_answer,
                body,
                instructions,
                audience,
                keywords,
                synonyms,
                upl_product,
                category,
                valid_from: input.valid_from,
                valid_until: input.valid_until,
                review_date: input.review_date,
                related: input.related.clone(),
            }),
            _ => Err(vec![FieldError::new("", "invalid", "Ongeldige invoer.")]),
        }
    }

    pub(super) fn from_row(v: &VersionRow) -> Content {
        Content {
            title: v.title.clone(),
            short_answer: v.short_answer.clone(),
            body: v.body.clone(),
            instructions: v.instructions.clone(),
            audience: Audience::parse(&v.audience).unwrap_or_default(),
            keywords: serde_json::from_str(&v.keywords).unwrap_or_default(),
            synonyms: serde_json::from_str(&v.synonyms).unwrap_or_default(),
            upl_product: v.upl_product.clone(),
            category: v.category.clone(),
            valid_from: v.valid_from,
            valid_until: v.valid_until,
            review_date: v.review_date,
            related: serde_json::from_str(&v.related).unwrap_or_default(),
        }
    }

    /// The content as text, field by field, for a readable diff.
    fn as_diff_text(&self) -> String {
        let mut out = String::new();
        let mut field = |name: &str, value: &str| {
            out.push_str(&format!("## {name}\n{value}\n\n"));
        };
        field("Titel", &self.title);
        field("Kort antwoord", &self.short_answer);
        field("Tekst", &self.body);
        field("Werkinstructie", &self.instructions);
        field("Doelgroep", self.audience.id());
        field("Trefwoorden", &self.keywords.join(", "));
        field("Synoniemen", &self.synonyms.join(", "));
        field("UPL-product", self.upl_product.as_deref().unwrap_or(""));
        field("Categorie", &self.category);
        field("Geldig vanaf", &self.valid_from.map(clock::format_local).unwrap_or_default());
        field("Geldig tot", &self.valid_until.map(clock::format_local).unwrap_or_default());
        field("Herzien op", &self.review_date.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default());
        out
    }
}

/// One version as the API and the screens show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleVersion {
    pub version: i32,
    pub state: State,
    pub title: String,
    pub short_answer: String,
    /// Markdown as written.
    pub body: String,
    /// The body as cleaned HTML, safe to show.
    pub body_html: String,
    pub instructions: String,
    pub instructions_html: String,
    pub audience: Audience,
    pub keywords: Vec<String>,
    pub synonyms: Vec<String>,
    pub upl_product: Option<String>,
    pub category: String,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub review_date: Option<NaiveDate>,
    pub related: Vec<Uuid>,
    pub substantive: bool,
    pub urgent: bool,
    pub reason: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

impl ArticleVersion {
    fn from_row(v: VersionRow) -> ArticleVersion {
        let c = Content::from_row(&v);
        ArticleVersion {
            version: v.version,
            state: State::parse(&v.state).unwrap_or(State::Concept),
            body_html: markdown::to_safe_html(&c.body),
            instructions_html: markdown::to_safe_html(&c.instructions),
            title: c.title,
            short_answer: c.short_answer,
            body: c.body,
            instructions: c.instructions,
            audience: c.audience,
            keywords: c.keywords,
            synonyms: c.synonyms,
            upl_product: c.upl_product,
            category: c.category,
            valid_from: c.valid_from,
            valid_until: c.valid_until,
            review_date: c.review_date,
            related: c.related,
            substantive: v.substantive,
            urgent: v.urgent,
            reason: v.reason,
            author_name: v.author_name,
            created_at: v.created_at,
            approved_by: v.approved_by,
            published_by: v.published_by,
            published_at: v.published_at,
        }
    }
}

/// An article with one of its versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Article {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub owner_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub latest_version: i32,
    pub published_version: Option<i32>,
    /// The version shown: the published one for agents, the latest (or the asked one) for editors.
    pub version: ArticleVersion,
    /// The cycle steps the caller may take on the latest version now.
    pub transitions: Vec<Transition>,
}

/// An article in a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArticleSummary {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub title: String,
    pub short_answer: String,
    pub state: State,
    pub audience: Audience,
    pub category: String,
    pub latest_version: i32,
    pub published_version: Option<i32>,
    pub review_date: Option<NaiveDate>,
    pub owner_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

impl From<Listed> for ArticleSummary {
    fn from(l: Listed) -> Self {
        ArticleSummary {
            id: l.article.id,
            external_id: l.article.external_id,
            title: l.title,
            short_answer: l.short_answer,
            state: State::parse(&l.state).unwrap_or(State::Concept),
            audience: Audience::parse(&l.audience).unwrap_or_default(),
            category: l.category,
            latest_version: l.article.latest_version,
            published_version: l.article.published_version,
            review_date: l.review_date,
            owner_id: l.article.owner_id,
            updated_at: l.article.updated_at,
        }
    }
}

/// Tweede lijn, kennisexperts and redacteuren work on articles (drafts, history, the cycle).
pub fn is_editor(caller: &Caller) -> bool {
    caller.may(Ability::EditContent)
}

pub(super) fn version_row(
    article_id: Uuid,
    version: i32,
    content: &Content,
    substantive: bool,
    reason: &str,
    author: (Option<Uuid>, &str),
) -> VersionRow {
    VersionRow {
        article_id,
        version,
        state: State::Concept.id().to_owned(),
        title: content.title.clone(),
        short_answer: content.short_answer.clone(),
        body: content.body.clone(),
        instructions: content.instructions.clone(),
        audience: content.audience.id().to_owned(),
        keywords: serde_json::to_string(&content.keywords).unwrap_or_else(|_| "[]".into()),
        synonyms: serde_json::to_string(&content.synonyms).unwrap_or_else(|_| "[]".into()),
        upl_product: content.upl_product.clone(),
        category: content.category.clone(),
        valid_from: content.valid_from,
        valid_until: content.valid_until,
        review_date: content.review_date,
        related: serde_json::to_string(&content.related).unwrap_or_else(|_| "[]".into()),
        substantive,
        urgent: false,
        reason: reason.to_owned(),
        author_id: author.0,
        author_name: author.1.to_owned(),
        created_at: clock::now(),
        approved_by: None,
        published_by: None,
        published_at: None,
    }
}

/// A UPL product must come from the list, when a list has been imported (Loket works without one).
async fn check_upl(ex: &mut impl Executor, content: &Content) -> Result<(), KnowledgeError> {
    if let Some(product) = &content.upl_product
        && store::articles::upl_count(ex).await? > 0
        && !store::articles::upl_exists(ex, product).await?
    {
        return Err(KnowledgeError::Invalid(vec![FieldError::new(
            "upl_product",
            "unknown_product",
            format!("'{product}' staat niet in de UPL-productenlijst."),
        )]));
    }
    Ok(())
}

/// Related articles must exist (and not be the article itself).
async fn check_related(ex: &mut impl Executor, id: Option<Uuid>, content: &Content) -> Result<(), KnowledgeError> {
    for r in &content.related {
        if Some(*r) == id || store::articles::find(ex, *r).await?.is_none() {
            return Err(KnowledgeError::Invalid(vec![FieldError::new(
                "related",
                "unknown_article",
                "Een gerelateerd artikel bestaat niet.",
            )]));
        }
    }
    Ok(())
}

fn reason_of(reason: &str) -> Result<String, KnowledgeError> {
    validation::text(reason, 0, 500).map_err(|e| KnowledgeError::Invalid(vec![e.for_field("reason")]))
}

/// Who owns the article (the kennisexpert who approves) and which afdeling.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub unit_id: Option<Uuid>,
}

async fn check_ownership(ex: &mut impl Executor, o: &Ownership) -> Result<(), KnowledgeError> {
    if let Some(owner) = o.owner_id {
        let roles = store::users::roles_of(ex, owner).await?.iter().filter_map(|r| Role::parse(r).ok()).collect();
        if !policy::roles_may(&roles, Ability::OwnContent) {
            return Err(KnowledgeError::Invalid(vec![FieldError::new(
                "owner_id",
                "not_a_kennisexpert",
                "De eigenaar van een artikel is een kennisexpert.",
            )]));
        }
    }
    if let Some(unit) = o.unit_id
        && store::units::find(ex, unit).await?.is_none()
    {
        return Err(KnowledgeError::Invalid(vec![FieldError::new("unit_id", "unknown_unit", "Onbekende afdeling.")]));
    }
    Ok(())
}

/// Kennisexperts and redacteuren write new articles; the tweede lijn corrects existing ones.
pub fn may_create(caller: &Caller) -> bool {
    caller.may(Ability::WriteContent)
}

/// A new article, as version 1 in concept. Kennisexperts and redacteuren write new articles;
/// the tweede lijn corrects existing ones.
pub async fn create(
    store: &Store,
    caller: &Caller,
    content: Content,
    ownership: Ownership,
    reason: &str,
) -> Result<Article, KnowledgeError> {
    if !may_create(caller) {
        return Err(KnowledgeError::Forbidden("Alleen kennisexperts en redacteuren schrijven nieuwe artikelen."));
    }
    let reason = reason_of(reason)?;
    let now = clock::now();
    let id = Uuid::now_v7();
    let mut tx = store.begin().await?;
    check_upl(&mut tx, &content).await?;
    check_related(&mut tx, None, &content).await?;
    check_ownership(&mut tx, &ownership).await?;
    let article = ArticleRow {
        id,
        external_id: None,
        owner_id: ownership.owner_id,
        unit_id: ownership.unit_id,
        latest_version: 1,
        published_version: None,
        created_at: now,
        updated_at: now,
    };
    store::articles::insert(&mut tx, &article).await?;
    let reason = if reason.is_empty() { "Nieuw artikel".to_owned() } else { reason };
    store::articles::insert_version(
        &mut tx,
        &version_row(id, 1, &content, true, &reason, (Some(caller.user_id), &caller.username)),
    )
    .await?;
    tx.commit().await?;
    for_editor(store, caller, id, None).await
}

/// Saves a change as a new version in concept. `base_version` is the version the editor started
/// from: if it is not the latest any more, someone else saved meanwhile and this save is refused.
#[allow(clippy::too_many_arguments)]
pub async fn save(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    base_version: i32,
    content: Content,
    substantive: bool,
    reason: &str,
    ownership: Option<Ownership>,
) -> Result<Article, KnowledgeError> {
    if !is_editor(caller) {
        return Err(KnowledgeError::Forbidden("Alleen tweede lijn, kennisexperts en redacteuren bewerken artikelen."));
    }
    let reason = reason_of(reason)?;
    let mut tx = store.begin().await?;
    let head = content::open_change(&mut tx, KIND, id, Some(base_version)).await?;
    let article = store::articles::find(&mut tx, id).await?.ok_or(KnowledgeError::NotFound)?;
    check_upl(&mut tx, &content).await?;
    check_related(&mut tx, Some(id), &content).await?;
    // A change of owner or afdeling on the same form is made in the same transaction, by whom may.
    if let Some(o) = ownership.filter(|o| (o.owner_id, o.unit_id) != (article.owner_id, article.unit_id)) {
        if !may_set_ownership(caller, article.owner_id) {
            return Err(KnowledgeError::Forbidden("Alleen de eigenaar of een redacteur wijst een eigenaar aan."));
        }
        check_ownership(&mut tx, &o).await?;
        store::articles::set_owner(&mut tx, id, o.owner_id, o.unit_id).await?;
    }
    let substantive = substantive || content::pending_substance(&mut tx, KIND, &head).await?;
    let next = head.latest_version + 1;
    let reason = if reason.is_empty() { "Wijziging".to_owned() } else { reason };
    let row = version_row(id, next, &content, substantive, &reason, (Some(caller.user_id), &caller.username));
    store::articles::insert_version(&mut tx, &row).await.map_err(|e| match e {
        StoreError::Conflict(_) => KnowledgeError::Conflict { latest: next },
        other => other.into(),
    })?;
    // A draft that is saved over stays in the history as it was; agents keep the published one.
    content::record_version(&mut tx, KIND, &head, next, row.created_at).await?;
    tx.commit().await?;
    for_editor(store, caller, id, None).await
}

/// Whether `caller` may change who owns an article currently owned by `owner`: its kennisexpert
/// (or any kennisexpert while it has none), or a redacteur.
pub fn may_set_ownership(caller: &Caller, owner: Option<Uuid>) -> bool {
    let owns = owner.is_none_or(|o| o == caller.user_id) && caller.may(Ability::OwnContent);
    owns || caller.may(Ability::PublishContent)
}

/// Changes the owner and afdeling of an article (kennisexpert of the article, or redacteur).
pub async fn set_ownership(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    ownership: Ownership,
) -> Result<Article, KnowledgeError> {
    let mut tx = store.begin().await?;
    let head = content::open_change(&mut tx, KIND, id, None).await?;
    if !may_set_ownership(caller, head.owner_id) {
        return Err(KnowledgeError::Forbidden("Alleen de eigenaar of een redacteur wijst een eigenaar aan."));
    }
    check_ownership(&mut tx, &ownership).await?;
    store::articles::set_owner(&mut tx, id, ownership.owner_id, ownership.unit_id).await?;
    tx.commit().await?;
    for_editor(store, caller, id, None).await
}

/// Takes one step of the content cycle on the latest version.
/// `seen` is the latest version the person looked at, when known: a step meant for version 5
/// must not publish a version 6 that was saved meanwhile.
pub async fn transition(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    step: Transition,
    seen: Option<i32>,
) -> Result<Article, KnowledgeError> {
    let mut tx = store.begin().await?;
    content::step(&mut tx, KIND, caller, id, step, seen).await?;
    tx.commit().await?;
    for_editor(store, caller, id, None).await
}

/// Makes an old version the new draft (its content as a new version in concept).
pub async fn restore(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    version: i32,
    base_version: i32,
) -> Result<Article, KnowledgeError> {
    let old =
        store::articles::version(&mut store.acquire().await?, id, version).await?.ok_or(KnowledgeError::NotFound)?;
    let content = Content::from_row(&old);
    save(store, caller, id, base_version, content, true, &content::restored_reason(version), None).await
}

async fn assemble(
    ex: &mut impl Executor,
    caller: &Caller,
    article: ArticleRow,
    version: VersionRow,
) -> Result<Article, StoreError> {
    let head = content::Head {
        id: article.id,
        owner_id: article.owner_id,
        latest_version: article.latest_version,
        published_version: article.published_version,
    };
    let latest = content::version_info(ex, KIND, article.id, article.latest_version).await;
    let transitions = match latest {
        Ok(latest) => content::transitions(caller, &head, &latest),
        Err(content::ContentError::Store(e)) => return Err(e),
        Err(_) => Vec::new(),
    };
    Ok(Article {
        id: article.id,
        external_id: article.external_id,
        owner_id: article.owner_id,
        unit_id: article.unit_id,
        latest_version: article.latest_version,
        published_version: article.published_version,
        version: ArticleVersion::from_row(version),
        transitions,
    })
}

/// What an editor sees: the latest version, or the one asked for.
pub async fn for_editor(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    version: Option<i32>,
) -> Result<Article, KnowledgeError> {
    if !is_editor(caller) {
        return Err(KnowledgeError::Forbidden("Concepten zijn alleen voor wie artikelen bewerkt."));
    }
    let mut conn = store.acquire().await?;
    let article = store::articles::find(&mut conn, id).await?.ok_or(KnowledgeError::NotFound)?;
    let row = store::articles::version(&mut conn, id, version.unwrap_or(article.latest_version))
        .await?
        .ok_or(KnowledgeError::NotFound)?;
    Ok(assemble(&mut conn, caller, article, row).await?)
}

fn visible_now(v: &VersionRow, now: DateTime<Utc>) -> bool {
    v.state == State::Gepubliceerd.id()
        && v.valid_from.is_none_or(|f| f <= now)
        && v.valid_until.is_none_or(|u| u > now)
}

/// What an agent sees: the published version while it is valid; otherwise nothing.
pub async fn for_agent(store: &Store, caller: &Caller, id: Uuid) -> Result<Article, KnowledgeError> {
    let mut conn = store.acquire().await?;
    let article = store::articles::find(&mut conn, id).await?.ok_or(KnowledgeError::NotFound)?;
    let published = article.published_version.ok_or(KnowledgeError::NotFound)?;
    let row = store::articles::version(&mut conn, id, published).await?.ok_or(KnowledgeError::NotFound)?;
    if !visible_now(&row, clock::now()) {
        return Err(KnowledgeError::NotFound);
    }
    Ok(assemble(&mut conn, caller, article, row).await?)
}

/// Every version, newest first, without its content (for the history on the edit page).
pub async fn version_list(
    store: &Store,
    caller: &Caller,
    id: Uuid,
) -> Result<Vec<content::VersionInfo>, KnowledgeError> {
    if !is_editor(caller) {
        return Err(KnowledgeError::Forbidden("De geschiedenis is alleen voor wie artikelen bewerkt."));
    }
    Ok(content::history(&mut store.acquire().await?, KIND, id).await?)
}

/// Every version, newest first (content included, for the API).
pub async fn history(store: &Store, caller: &Caller, id: Uuid) -> Result<Vec<ArticleVersion>, KnowledgeError> {
    if !is_editor(caller) {
        return Err(KnowledgeError::Forbidden("De geschiedenis is alleen voor wie artikelen bewerkt."));
    }
    let mut conn = store.acquire().await?;
    store::articles::find(&mut conn, id).await?.ok_or(KnowledgeError::NotFound)?;
    Ok(store::articles::versions(&mut conn, id).await?.into_iter().map(ArticleVersion::from_row).collect())
}

/// A line-by-line comparison of two versions, field by field ("## Titel", "## Tekst", …).
pub async fn diff(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    from: i32,
    to: i32,
) -> Result<Vec<DiffLine>, KnowledgeError> {
    if !is_editor(caller) {
        return Err(KnowledgeError::Forbidden("Vergelijken is alleen voor wie artikelen bewerkt."));
    }
    let mut conn = store.acquire().await?;
    let a = store::articles::version(&mut conn, id, from).await?.ok_or(KnowledgeError::NotFound)?;
    let b = store::articles::version(&mut conn, id, to).await?.ok_or(KnowledgeError::NotFound)?;
    Ok(content::diff(&Content::from_row(&a).as_diff_text(), &Content::from_row(&b).as_diff_text()))
}

fn like(fragment: Option<&str>) -> Option<String> {
    fragment.map(str::trim).filter(|s| !s.is_empty()).map(|s| {
        let escaped = s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        format!("%{escaped}%")
    })
}

/// Published, valid articles whose title contains `q` (until the search issue brings real search).
pub async fn list_published(store: &Store, q: Option<&str>, limit: i64) -> Result<Vec<ArticleSummary>, KnowledgeError> {
    let rows = store::articles::list_published(
        &mut store.acquire().await?,
        clock::now(),
        like(q).as_deref(),
        false,
        limit.clamp(1, 500),
    )
    .await?;
    Ok(rows.into_iter().map(ArticleSummary::from).collect())
}

/// Articles by their latest version, for editors.
pub async fn list_for_editors(
    store: &Store,
    caller: &Caller,
    state: Option<State>,
    q: Option<&str>,
    limit: i64,
) -> Result<Vec<ArticleSummary>, KnowledgeError> {
    if !is_editor(caller) {
        return Err(KnowledgeError::Forbidden("Deze lijst is voor wie artikelen bewerkt."));
    }
    let rows = store::articles::list_latest(
        &mut store.acquire().await?,
        state.map(State::id),
        like(q).as_deref(),
        limit.clamp(1, 500),
    )
    .await?;
    Ok(rows.into_iter().map(ArticleSummary::from).collect())
}

/// Titles of the related articles agents may open now (published and valid), in the given order.
pub async fn related_titles(store: &Store, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, StoreError> {
    let mut conn = store.acquire().await?;
    let now = clock::now();
    let mut out = Vec::new();
    for id in ids {
        let Some(article) = store::articles::find(&mut conn, *id).await? else { continue };
        let Some(published) = article.published_version else { continue };
        if let Some(v) = store::articles::version(&mut conn, *id, published).await?
            && visible_now(&v, now)
        {
            out.push((*id, v.title));
        }
    }
    Ok(out)
}

/// The article imported under `external_id`, if any.
pub async fn id_by_external_id(store: &Store, external_id: &str) -> Result<Option<Uuid>, StoreError> {
    Ok(store::articles::find_by_external_id(&mut store.acquire().await?, external_id).await?.map(|a| a.id))
}

/// The UPL product names, for the editor's suggestions (empty when no list was imported).
pub async fn upl_names(store: &Store) -> Result<Vec<String>, StoreError> {
    store::articles::upl_names(&mut store.acquire().await?).await
}

/// Published articles past their review date: a kennisexpert's own, or all for a redacteur.
pub async fn review_worklist(store: &Store, caller: &Caller) -> Result<Vec<ArticleSummary>, KnowledgeError> {
    let owner = if caller.may(Ability::PublishContent) {
        None
    } else if caller.may(Ability::OwnContent) {
        Some(caller.user_id)
    } else {
        return Err(KnowledgeError::Forbidden("De herzieningslijst is voor kennisexperts en redacteuren."));
    };
    let today = clock::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    let rows = store::articles::due_for_review(&mut store.acquire().await?, today, owner).await?;
    Ok(rows.into_iter().map(ArticleSummary::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_content_reports_every_bad_field() {
        let input = ArticleInput {
            title: "x".into(),
            audience: Some("iedereen".into()),
            valid_from: Some("2026-12-01T00:00:00Z".parse().unwrap()),
            valid_until: Some("2026-11-01T00:00:00Z".parse().unwrap()),
            ..Default::default()
        };
        let fields: Vec<String> = Content::parse(&input).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "audience", "valid_until"]);
    }

    #[test]
    fn keywords_are_trimmed_and_deduplicated() {
        let input = ArticleInput {
            title: "Paspoort aanvragen".into(),
            keywords: vec![" paspoort ".into(), "Paspoort".into(), "".into(), "reisdocument".into()],
            ..Default::default()
        };
        assert_eq!(Content::parse(&input).unwrap().keywords, ["paspoort", "reisdocument"]);
    }
}
