//! Versioned content: every text that editors keep and agents, citizens or the bot read
//! (articles, decision trees, and next reply templates, survey texts and bot texts) is kept the
//! same way, by this module; a kind brings only its own content and its checks.
//!
//! Rules:
//! - Every save is a new version with author, time and reason; nothing is overwritten. A save
//!   names the version it started from; if someone saved in between it is refused (409) instead
//!   of silently overwriting their work ([`open_change`]).
//! - The item points at its latest and at its published version, so a published text and a newer
//!   draft coexist; readers get the published one, editors the latest.
//! - The content cycle ([`cycle`]) decides who may move a version on; [`step`] stores what a step
//!   means for every kind alike (approver, publisher, the version it replaces, the pointers).
//!   A step names the version it was shown for, so nobody publishes what they did not see.
//! - Restoring an old version saves its content as a new draft ([`restored_reason`]); history
//!   is never rewritten. Two versions are compared line by line on a text rendering that each
//!   kind gives of its content ([`diff`]).

pub mod cycle;

use chrono::{DateTime, Utc};
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{Ability, Caller};
use crate::clock;
use crate::store::versions::{self as rows, HeadRow, Table, VersionMetaRow};
use crate::store::{Executor, StoreError};
use cycle::{CycleError, Item, Participant, State, Transition};

/// The kinds of versioned content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Article,
    DecisionTree,
}

impl Kind {
    fn table(self) -> Table {
        match self {
            Kind::Article => Table::Articles,
            Kind::DecisionTree => Table::DecisionTrees,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("no such item or version")]
    NotFound,
    #[error("the item changed meanwhile: latest version is {latest}")]
    Conflict { latest: i32 },
    #[error(transparent)]
    Cycle(#[from] CycleError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An item's pointers: who owns it, its latest and its published version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub latest_version: i32,
    pub published_version: Option<i32>,
}

impl From<HeadRow> for Head {
    fn from(r: HeadRow) -> Head {
        Head {
            id: r.id,
            owner_id: r.owner_id,
            latest_version: r.latest_version,
            published_version: r.published_version,
        }
    }
}

/// One version as a history lists it (its content is the kind's).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionInfo {
    pub version: i32,
    pub state: State,
    pub substantive: bool,
    pub urgent: bool,
    pub reason: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<VersionMetaRow> for VersionInfo {
    fn from(r: VersionMetaRow) -> VersionInfo {
        VersionInfo {
            version: r.version,
            state: State::parse(&r.state).unwrap_or(State::Concept),
            substantive: r.substantive,
            urgent: r.urgent,
            reason: r.reason,
            author_name: r.author_name,
            created_at: r.created_at,
            approved_by: r.approved_by,
            published_by: r.published_by,
            published_at: r.published_at,
        }
    }
}

fn participant(caller: &Caller) -> Participant<'_> {
    Participant { user_id: caller.user_id, roles: &caller.roles }
}

/// The item's pointers, without locking it.
pub async fn head(ex: &mut impl Executor, kind: Kind, id: Uuid) -> Result<Head, ContentError> {
    Ok(rows::head(ex, kind.table(), id).await?.ok_or(ContentError::NotFound)?.into())
}

/// Starts a change to an item inside `tx`: takes its lock and reads its pointers. With `base`
/// (the latest version the editor saw), a change on top of a newer version is refused.
pub async fn open_change(
    tx: &mut impl Executor,
    kind: Kind,
    id: Uuid,
    base: Option<i32>,
) -> Result<Head, ContentError> {
    rows::lock(tx, kind.table(), id).await?;
    let head = head(tx, kind, id).await?;
    if base.is_some_and(|b| b != head.latest_version) {
        return Err(ContentError::Conflict { latest: head.latest_version });
    }
    Ok(head)
}

/// Makes `version` (just inserted by the kind) the latest; the published one stays.
pub async fn record_version(
    tx: &mut impl Executor,
    kind: Kind,
    head: &Head,
    version: i32,
    at: DateTime<Utc>,
) -> Result<(), ContentError> {
    Ok(rows::set_pointers(tx, kind.table(), head.id, version, head.published_version, at).await?)
}

/// Whether the latest version still carries an unapproved substantive change: a "small" save
/// on top of it must not let that change past the owner.
pub async fn pending_substance(ex: &mut impl Executor, kind: Kind, head: &Head) -> Result<bool, ContentError> {
    let latest = rows::meta(ex, kind.table(), head.id, head.latest_version).await?.ok_or(ContentError::NotFound)?;
    Ok(latest.substantive && matches!(State::parse(&latest.state), Some(State::Concept | State::TerBeoordeling)))
}

/// Takes one step of the content cycle. Archiving acts on the published version; every other
/// step on the latest. `seen` is the latest version the person looked at, when known: a step
/// meant for version 5 must not publish a version 6 that was saved meanwhile.
pub async fn step(
    tx: &mut impl Executor,
    kind: Kind,
    caller: &Caller,
    id: Uuid,
    transition: Transition,
    seen: Option<i32>,
) -> Result<Head, ContentError> {
    let head = open_change(tx, kind, id, seen).await?;
    let target = if transition == Transition::Archiveren {
        head.published_version.ok_or(ContentError::NotFound)?
    } else {
        head.latest_version
    };
    let version = rows::meta(tx, kind.table(), id, target).await?.ok_or(ContentError::NotFound)?;
    let item = Item {
        state: State::parse(&version.state).unwrap_or(State::Concept),
        substantive: version.substantive,
        owner_id: head.owner_id,
    };
    let next = cycle::step(&item, transition, &participant(caller))?;
    let now = clock::now();
    let who = caller.username.as_str();
    let fx = cycle::effects(transition, next, target, head.published_version);
    if let Some(previous) = fx.superseded {
        rows::set_state(tx, kind.table(), id, previous, State::Vervangen.id(), None, None).await?;
    }
    let approver = fx.record_approver.then_some(who);
    let publisher = fx.published.map(|urgent| (who, now, urgent));
    rows::set_state(tx, kind.table(), id, target, fx.state.id(), approver, publisher).await?;
    let published = match fx.pointer {
        cycle::Pointer::Keep => return Ok(head),
        cycle::Pointer::Publish(v) => Some(v),
        cycle::Pointer::Clear => None,
    };
    rows::set_pointers(tx, kind.table(), id, head.latest_version, published, now).await?;
    Ok(Head { published_version: published, ..head })
}

/// Publishes version `version` at once as part of a load (an import that carries its own
/// review, the demo): the version it replaces becomes `vervangen`.
pub async fn publish_loaded(
    tx: &mut impl Executor,
    kind: Kind,
    head: &Head,
    version: i32,
    at: DateTime<Utc>,
) -> Result<(), ContentError> {
    if let Some(previous) = head.published_version.filter(|p| *p != version) {
        rows::set_state(tx, kind.table(), head.id, previous, State::Vervangen.id(), None, None).await?;
    }
    Ok(rows::set_pointers(tx, kind.table(), head.id, version, Some(version), at).await?)
}

/// The steps `caller` may take now on an item whose latest version is `latest`.
pub fn transitions(caller: &Caller, head: &Head, latest: &VersionInfo) -> Vec<Transition> {
    let item = Item { state: latest.state, substantive: latest.substantive, owner_id: head.owner_id };
    let mut steps = cycle::available(&item, &participant(caller));
    // Archiving is about the published version, whatever the latest draft is doing.
    if head.published_version.is_some()
        && caller.may(Ability::PublishContent)
        && !steps.contains(&Transition::Archiveren)
    {
        steps.push(Transition::Archiveren);
    }
    steps
}

/// One version's cycle columns.
pub async fn version_info(
    ex: &mut impl Executor,
    kind: Kind,
    id: Uuid,
    version: i32,
) -> Result<VersionInfo, ContentError> {
    Ok(rows::meta(ex, kind.table(), id, version).await?.ok_or(ContentError::NotFound)?.into())
}

/// Every version of an item, newest first.
pub async fn history(ex: &mut impl Executor, kind: Kind, id: Uuid) -> Result<Vec<VersionInfo>, ContentError> {
    head(ex, kind, id).await?;
    Ok(rows::metas(ex, kind.table(), id).await?.into_iter().map(VersionInfo::from).collect())
}

/// The reason recorded on a version that brings back an older one.
pub fn restored_reason(version: i32) -> String {
    format!("Hersteld van versie {version}")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LineChange {
    Gelijk,
    Verwijderd,
    Toegevoegd,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// A line-by-line comparison of two renderings of an item's content.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                ChangeTag::Equal => LineChange::Gelijk,
                ChangeTag::Delete => LineChange::Verwijderd,
                ChangeTag::Insert => LineChange::Toegevoegd,
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_names_each_line_as_kept_removed_or_added() {
        let lines = diff("## Titel\nPaspoort\n## Tekst\nOud\n", "## Titel\nPaspoort\n## Tekst\nNieuw\n");
        let changes: Vec<_> = lines.iter().map(|l| (l.change, l.text.as_str())).collect();
        assert_eq!(
            changes,
            [
                (LineChange::Gelijk, "## Titel"),
                (LineChange::Gelijk, "Paspoort"),
                (LineChange::Gelijk, "## Tekst"),
                (LineChange::Verwijderd, "Oud"),
                (LineChange::Toegevoegd, "Nieuw"),
            ]
        );
    }
}
