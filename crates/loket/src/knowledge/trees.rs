//! Beslisbomen (decision trees): a guided flow for questions whose answer depends on the
//! caller's situation.
//!
//! Rules: a tree is nodes; a node either asks a question with answers, each leading to another
//! node, or ends in an outcome (an article, a text to say, or an action such as "maak een
//! terugbelverzoek"). At save a tree must start somewhere real, reach every node from the start,
//! and have no cycles and no dead ends (a question without answers, an answer leading nowhere).
//! Trees are versioned and go through the same content cycle as articles; agents walk the
//! published version, forward by answer and back or restart, with the path in the address.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::KnowledgeError;
use crate::auth::{Ability, Caller};
use crate::clock;
use crate::content::cycle::{State, Transition};
use crate::content::{self, DiffLine, VersionInfo};
use crate::store::trees::{TreeRow, TreeVersionRow};
use crate::store::{self, Store};
use crate::validation::{self, FieldError};

const KIND: content::Kind = content::Kind::DecisionTree;

/// Where an answer leads, or how a path ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outcome {
    /// Show this article.
    Article { article_id: Uuid },
    /// Say this.
    Text { text: String },
    /// Do this, e.g. `terugbelverzoek`, `doorverbinden`, `afspraak`.
    Action { action: String, text: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub label: String,
    /// The node this answer leads to.
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    /// A question node asks this…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// …an end node has this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = TreeDefinition)]
pub struct Definition {
    pub start: String,
    pub nodes: Vec<Node>,
}

impl Definition {
    fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Checks the shape of the tree. Article outcomes are checked against the database by the caller.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        fn err(errors: &mut Vec<FieldError>, code: &'static str, message: String) {
            errors.push(FieldError::new("definition", code, message));
        }
        if self.nodes.len() > 500 {
            err(&mut errors, "too_many_nodes", "Een beslisboom heeft maximaal 500 knopen.".into());
        }
        let mut ids = HashSet::new();
        for n in &self.nodes {
            if n.id.trim().is_empty() || n.id.len() > 100 {
                err(&mut errors, "invalid_id", "Elke knoop heeft een id van 1 tot 100 tekens.".into());
            }
            if !ids.insert(n.id.as_str()) {
                err(&mut errors, "duplicate_id", format!("De id '{}' komt twee keer voor.", n.id));
            }
        }
        if self.node(&self.start).is_none() {
            err(&mut errors, "unknown_start", format!("De startknoop '{}' bestaat niet.", self.start));
        }
        for n in &self.nodes {
            match (&n.question, &n.outcome) {
                (Some(q), None) => {
                    if q.trim().is_empty() {
                        err(&mut errors, "empty_question", format!("Knoop '{}' heeft een lege vraag.", n.id));
                    }
                    if n.answers.is_empty() {
                        err(
                            &mut errors,
                            "dead_end",
                            format!("Knoop '{}' stelt een vraag zonder antwoorden: een doodlopend pad.", n.id),
                        );
                    }
                    for a in &n.answers {
                        if a.label.trim().is_empty() {
                            err(
                                &mut errors,
                                "empty_answer",
                                format!("Knoop '{}' heeft een antwoord zonder tekst.", n.id),
                            );
                        }
                        if self.node(&a.next).is_none() {
                            err(
                                &mut errors,
                                "dead_end",
                                format!(
                                    "Antwoord '{}' in knoop '{}' leidt naar '{}', die niet bestaat.",
                                    a.label, n.id, a.next
                                ),
                            );
                        }
                    }
                }
                (None, Some(outcome)) => {
                    if !n.answers.is_empty() {
                        err(&mut errors, "outcome_with_answers", format!("Eindknoop '{}' heeft ook antwoorden.", n.id));
                    }
                    let empty = match outcome {
                        Outcome::Text { text } | Outcome::Action { text, .. } => text.trim().is_empty(),
                        Outcome::Article { .. } => false,
                    };
                    if empty {
                        err(&mut errors, "empty_outcome", format!("Eindknoop '{}' heeft geen tekst.", n.id));
                    }
                }
                _ => err(
                    &mut errors,
                    "node_kind",
                    format!("Knoop '{}' heeft óf een vraag met antwoorden, óf een uitkomst.", n.id),
                ),
            }
        }
        // Cycles and reachability: depth-first from the start, colouring nodes on the current path.
        if errors.is_empty() {
            let edges: HashMap<&str, Vec<&str>> = self
                .nodes
                .iter()
                .map(|n| (n.id.as_str(), n.answers.iter().map(|a| a.next.as_str()).collect()))
                .collect();
            let mut on_path = HashSet::new();
            let mut done = HashSet::new();
            let mut cycle_at = None;
            fn visit<'a>(
                id: &'a str,
                edges: &HashMap<&'a str, Vec<&'a str>>,
                on_path: &mut HashSet<&'a str>,
                done: &mut HashSet<&'a str>,
                cycle_at: &mut Option<&'a str>,
            ) {
                if done.contains(id) || cycle_at.is_some() {
                    return;
                }
                if !on_path.insert(id) {
                    *cycle_at = Some(id);
                    return;
                }
                for next in edges.get(id).into_iter().flatten() {
                    visit(next, edges, on_path, done, cycle_at);
                }
                on_path.remove(id);
                done.insert(id);
            }
            visit(self.start.as_str(), &edges, &mut on_path, &mut done, &mut cycle_at);
            if let Some(id) = cycle_at {
                err(&mut errors, "cycle", format!("De boom loopt in een kring bij knoop '{id}'."));
            } else {
                let unreachable: Vec<&str> =
                    self.nodes.iter().map(|n| n.id.as_str()).filter(|id| !done.contains(id)).collect();
                if !unreachable.is_empty() {
                    err(
                        &mut errors,
                        "unreachable",
                        format!("Deze knopen zijn vanaf de start niet te bereiken: {}.", unreachable.join(", ")),
                    );
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Follows `path` (answer indexes) from the start. Returns the steps taken and where they end.
    pub fn walk(&self, path: &[usize]) -> Option<(Vec<(String, String)>, &Node)> {
        let mut node = self.node(&self.start)?;
        let mut taken = Vec::new();
        for &i in path {
            let answer = node.answers.get(i)?;
            taken.push((node.question.clone().unwrap_or_default(), answer.label.clone()));
            node = self.node(&answer.next)?;
        }
        Some((taken, node))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tree {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub latest_version: i32,
    pub published_version: Option<i32>,
    pub version: i32,
    pub state: State,
    pub title: String,
    pub description: String,
    pub definition: Definition,
    pub reason: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub urgent: bool,
    /// The cycle steps the caller may take on the latest version now.
    pub transitions: Vec<Transition>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreeInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub definition: Definition,
}

fn may_edit(caller: &Caller) -> bool {
    caller.may(Ability::WriteContent)
}

async fn check(
    store: &mut impl crate::store::Executor,
    input: &TreeInput,
) -> Result<(String, String, String), KnowledgeError> {
    let mut errors = Vec::new();
    let title = validation::text(&input.title, 3, 200).map_err(|e| e.for_field("title"));
    let description = validation::text(&input.description, 0, 2_000).map_err(|e| e.for_field("description"));
    if let Err(e) = &title {
        errors.push(e.clone());
    }
    if let Err(e) = &description {
        errors.push(e.clone());
    }
    if let Err(mut e) = input.definition.validate() {
        errors.append(&mut e);
    }
    for node in &input.definition.nodes {
        if let Some(Outcome::Article { article_id }) = &node.outcome
            && store::articles::find(store, *article_id).await?.is_none()
        {
            errors.push(FieldError::new(
                "definition",
                "unknown_article",
                format!("Knoop '{}' wijst naar een artikel dat niet bestaat.", node.id),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(KnowledgeError::Invalid(errors));
    }
    let definition = serde_json::to_string(&input.definition).map_err(std::io::Error::from)?;
    Ok((title.unwrap_or_default(), description.unwrap_or_default(), definition))
}

fn version_row(
    tree_id: Uuid,
    version: i32,
    parts: (String, String, String),
    substantive: bool,
    reason: &str,
    author: &str,
) -> TreeVersionRow {
    TreeVersionRow {
        tree_id,
        version,
        state: State::Concept.id().to_owned(),
        title: parts.0,
        description: parts.1,
        definition: parts.2,
        substantive,
        urgent: false,
        reason: reason.to_owned(),
        author_name: author.to_owned(),
        created_at: clock::now(),
        approved_by: None,
        published_by: None,
        published_at: None,
    }
}

/// A new tree, version 1 in concept (kennisexperts and redacteuren). A kennisexpert owns what they start.
pub async fn create(store: &Store, caller: &Caller, input: &TreeInput) -> Result<Tree, KnowledgeError> {
    if !may_edit(caller) {
        return Err(KnowledgeError::Forbidden("Beslisbomen maken kennisexperts en redacteuren."));
    }
    let mut tx = store.begin().await?;
    let parts = check(&mut tx, input).await?;
    let now = clock::now();
    let id = Uuid::now_v7();
    let owner = caller.may(Ability::OwnContent).then_some(caller.user_id);
    store::trees::insert(
        &mut tx,
        &TreeRow { id, owner_id: owner, latest_version: 1, published_version: None, created_at: now, updated_at: now },
    )
    .await?;
    store::trees::insert_version(&mut tx, &version_row(id, 1, parts, true, "Nieuwe beslisboom", &caller.username))
        .await?;
    tx.commit().await?;
    for_editor(store, caller, id).await
}

/// Saves a change as a new version; refused (409) when `base_version` is no longer the latest.
pub async fn save(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    base_version: i32,
    input: &TreeInput,
    reason: &str,
) -> Result<Tree, KnowledgeError> {
    if !may_edit(caller) {
        return Err(KnowledgeError::Forbidden("Beslisbomen bewerken kennisexperts en redacteuren."));
    }
    let reason = validation::text(reason, 0, 500).map_err(|e| KnowledgeError::Invalid(vec![e.for_field("reason")]))?;
    let mut tx = store.begin().await?;
    let head = content::open_change(&mut tx, KIND, id, Some(base_version)).await?;
    let parts = check(&mut tx, input).await?;
    let next = head.latest_version + 1;
    let reason = if reason.is_empty() { "Wijziging".to_owned() } else { reason };
    let row = version_row(id, next, parts, true, &reason, &caller.username);
    store::trees::insert_version(&mut tx, &row).await.map_err(|e| match e {
        crate::store::StoreError::Conflict(_) => KnowledgeError::Conflict { latest: next },
        other => other.into(),
    })?;
    content::record_version(&mut tx, KIND, &head, next, row.created_at).await?;
    tx.commit().await?;
    for_editor(store, caller, id).await
}

/// One step of the content cycle, with the same rules as for articles.
pub async fn transition(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    step: Transition,
    seen: Option<i32>,
) -> Result<Tree, KnowledgeError> {
    let mut tx = store.begin().await?;
    content::step(&mut tx, KIND, caller, id, step, seen).await?;
    tx.commit().await?;
    for_editor(store, caller, id).await
}

fn assemble(
    caller: &Caller,
    tree: TreeRow,
    v: TreeVersionRow,
    latest: &content::VersionInfo,
) -> Result<Tree, KnowledgeError> {
    let definition: Definition = serde_json::from_str(&v.definition).map_err(std::io::Error::from)?;
    let head = content::Head {
        id: tree.id,
        owner_id: tree.owner_id,
        latest_version: tree.latest_version,
        published_version: tree.published_version,
    };
    let transitions = content::transitions(caller, &head, latest);
    Ok(Tree {
        id: tree.id,
        owner_id: tree.owner_id,
        latest_version: tree.latest_version,
        published_version: tree.published_version,
        version: v.version,
        state: State::parse(&v.state).unwrap_or(State::Concept),
        title: v.title,
        description: v.description,
        definition,
        reason: v.reason,
        author_name: v.author_name,
        created_at: v.created_at,
        urgent: v.urgent,
        transitions,
    })
}

/// The latest version, for editors.
pub async fn for_editor(store: &Store, caller: &Caller, id: Uuid) -> Result<Tree, KnowledgeError> {
    let mut conn = store.acquire().await?;
    let tree = store::trees::find(&mut conn, id).await?.ok_or(KnowledgeError::NotFound)?;
    let v = store::trees::version(&mut conn, id, tree.latest_version).await?.ok_or(KnowledgeError::NotFound)?;
    let latest = content::version_info(&mut conn, KIND, id, tree.latest_version).await?;
    assemble(caller, tree, v, &latest)
}

/// The published version, for agents.
pub async fn for_agent(store: &Store, caller: &Caller, id: Uuid) -> Result<Tree, KnowledgeError> {
    let mut conn = store.acquire().await?;
    let tree = store::trees::find(&mut conn, id).await?.ok_or(KnowledgeError::NotFound)?;
    let published = tree.published_version.ok_or(KnowledgeError::NotFound)?;
    let v = store::trees::version(&mut conn, id, published).await?.ok_or(KnowledgeError::NotFound)?;
    let latest = content::version_info(&mut conn, KIND, id, tree.latest_version).await?;
    assemble(caller, tree, v, &latest)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TreeSummary {
    pub id: Uuid,
    pub title: String,
    pub state: State,
}

/// Published trees (agents), or all by latest version (editors).
pub async fn list(store: &Store, published_only: bool) -> Result<Vec<TreeSummary>, KnowledgeError> {
    let rows = store::trees::list(&mut store.acquire().await?, published_only).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, state)| TreeSummary { id, title, state: State::parse(&state).unwrap_or(State::Concept) })
        .collect())
}

/// Publishes a tree at once under a name (the demo loader), unless one with that title exists.
/// Returns whether it was added.
pub async fn seed(store: &Store, author: &str, input: &TreeInput) -> Result<bool, KnowledgeError> {
    if list(store, false).await?.iter().any(|t| t.title == input.title) {
        return Ok(false);
    }
    let mut tx = store.begin().await?;
    let parts = check(&mut tx, input).await?;
    let now = clock::now();
    let id = Uuid::now_v7();
    store::trees::insert(
        &mut tx,
        &TreeRow {
            id,
            owner_id: None,
            latest_version: 1,
            published_version: Some(1),
            created_at: now,
            updated_at: now,
        },
    )
    .await?;
    let mut row = version_row(id, 1, parts, true, "Demo", author);
    row.state = State::Gepubliceerd.id().to_owned();
    row.published_by = Some(author.to_owned());
    row.published_at = Some(now);
    store::trees::insert_version(&mut tx, &row).await?;
    tx.commit().await?;
    Ok(true)
}

/// Every version, newest first (for editors).
pub async fn history(store: &Store, caller: &Caller, id: Uuid) -> Result<Vec<VersionInfo>, KnowledgeError> {
    // Reading the history is for everyone who works on content, as for articles.
    if !caller.may(Ability::EditContent) {
        return Err(KnowledgeError::Forbidden("De geschiedenis is alleen voor wie kennis bewerkt."));
    }
    Ok(content::history(&mut store.acquire().await?, KIND, id).await?)
}

/// A line-by-line comparison of two versions: title, description, and the nodes one line per
/// question, answer and outcome, so a changed answer shows as one changed line.
pub async fn diff(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    from: i32,
    to: i32,
) -> Result<Vec<DiffLine>, KnowledgeError> {
    if !caller.may(Ability::EditContent) {
        return Err(KnowledgeError::Forbidden("Vergelijken is alleen voor wie kennis bewerkt."));
    }
    let mut conn = store.acquire().await?;
    let a = store::trees::version(&mut conn, id, from).await?.ok_or(KnowledgeError::NotFound)?;
    let b = store::trees::version(&mut conn, id, to).await?.ok_or(KnowledgeError::NotFound)?;
    Ok(content::diff(&diff_text(&a)?, &diff_text(&b)?))
}

fn diff_text(v: &TreeVersionRow) -> Result<String, KnowledgeError> {
    let definition: Definition = serde_json::from_str(&v.definition).map_err(std::io::Error::from)?;
    let mut out = format!(
        "## Titel\n{}\n## Omschrijving\n{}\n## Start\n{}\n## Knopen\n",
        v.title, v.description, definition.start
    );
    for node in &definition.nodes {
        if let Some(q) = &node.question {
            out.push_str(&format!("[{}] Vraag: {q}\n", node.id));
        }
        for a in &node.answers {
            out.push_str(&format!("[{}] Antwoord \"{}\" → {}\n", node.id, a.label, a.next));
        }
        match &node.outcome {
            Some(Outcome::Article { article_id }) => {
                out.push_str(&format!("[{}] Uitkomst: artikel {article_id}\n", node.id))
            }
            Some(Outcome::Text { text }) => out.push_str(&format!("[{}] Uitkomst: {text}\n", node.id)),
            Some(Outcome::Action { action, text }) => {
                out.push_str(&format!("[{}] Uitkomst: {action}: {text}\n", node.id))
            }
            None => {}
        }
    }
    Ok(out)
}

/// Makes an old version the new draft (its content as a new version in concept).
pub async fn restore(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    version: i32,
    base_version: i32,
) -> Result<Tree, KnowledgeError> {
    let old = store::trees::version(&mut store.acquire().await?, id, version).await?.ok_or(KnowledgeError::NotFound)?;
    let definition: Definition = serde_json::from_str(&old.definition).map_err(std::io::Error::from)?;
    let input = TreeInput { title: old.title, description: old.description, definition };
    save(store, caller, id, base_version, &input, &content::restored_reason(version)).await
}

/// Whether the caller may edit trees (for showing the editor's links).
pub fn editable_by(caller: &Caller) -> bool {
    may_edit(caller)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str, q: &str, answers: &[(&str, &str)]) -> Node {
        Node {
            id: id.into(),
            question: Some(q.into()),
            answers: answers.iter().map(|(l, n)| Answer { label: (*l).into(), next: (*n).into() }).collect(),
            outcome: None,
        }
    }

    fn end(id: &str, text: &str) -> Node {
        Node { id: id.into(), question: None, answers: vec![], outcome: Some(Outcome::Text { text: text.into() }) }
    }

    fn tree(nodes: Vec<Node>) -> Definition {
        Definition { start: "q1".into(), nodes }
    }

    fn codes(d: &Definition) -> Vec<&'static str> {
        d.validate().err().unwrap_or_default().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn a_well_formed_tree_passes_and_can_be_walked_back_and_forth() {
        let d = tree(vec![
            question("q1", "Bijstand?", &[("Ja", "auto"), ("Nee", "q2")]),
            end("auto", "Automatisch."),
            question("q2", "Laag inkomen?", &[("Ja", "aanvragen"), ("Nee", "geen")]),
            end("aanvragen", "Vraag aan."),
            end("geen", "Geen recht."),
        ]);
        assert!(d.validate().is_ok());
        let (taken, node) = d.walk(&[1, 0]).unwrap();
        assert_eq!(taken, [("Bijstand?".to_owned(), "Nee".to_owned()), ("Laag inkomen?".to_owned(), "Ja".to_owned())]);
        assert_eq!(node.id, "aanvragen");
        assert!(d.walk(&[7]).is_none(), "an answer that does not exist leads nowhere");
    }

    #[test]
    fn trees_with_cycles_are_rejected_at_save() {
        let d = tree(vec![
            question("q1", "A?", &[("Ja", "q2")]),
            question("q2", "B?", &[("Terug", "q1"), ("Klaar", "e")]),
            end("e", "Klaar."),
        ]);
        assert_eq!(codes(&d), ["cycle"]);
    }

    #[test]
    fn dead_ends_unknown_targets_and_unreachable_nodes_are_rejected() {
        assert_eq!(codes(&tree(vec![question("q1", "A?", &[])])), ["dead_end"]);
        assert_eq!(codes(&tree(vec![question("q1", "A?", &[("Ja", "nergens")])])), ["dead_end"]);
        assert_eq!(
            codes(&tree(vec![question("q1", "A?", &[("Ja", "e")]), end("e", "Klaar."), end("los", "Wees.")])),
            ["unreachable"]
        );
        assert_eq!(codes(&Definition { start: "x".into(), nodes: vec![end("e", "Klaar.")] }), ["unknown_start"]);
        assert_eq!(codes(&tree(vec![question("q1", "A?", &[("Ja", "e")]), end("e", " ")])), ["empty_outcome"]);
    }
}
