//! The content cycle (inhoudscyclus) shared by articles and decision trees: who may move a
//! version from which state to which.
//!
//! concept → ter beoordeling (anyone who may edit) → goedgekeurd (a kennisexpert: the owner, if
//! the item has one) → gepubliceerd (a redacteur only) → later vervangen by a newer published
//! version, or gearchiveerd. A small correction (not substantive) needs no approval: the
//! redacteur may publish it straight from concept or ter beoordeling. A redacteur may fast-track
//! an urgent item from any unpublished state; that is recorded as urgent. A kennisexpert (owner)
//! or redacteur may send a version under review back to concept.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Role;
use crate::auth::policy::{self, Ability};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Concept,
    TerBeoordeling,
    Goedgekeurd,
    Gepubliceerd,
    /// A published version that a newer published version has replaced.
    Vervangen,
    Gearchiveerd,
}

impl State {
    pub const ALL: [State; 6] = [
        State::Concept,
        State::TerBeoordeling,
        State::Goedgekeurd,
        State::Gepubliceerd,
        State::Vervangen,
        State::Gearchiveerd,
    ];

    pub fn id(self) -> &'static str {
        match self {
            State::Concept => "concept",
            State::TerBeoordeling => "ter_beoordeling",
            State::Goedgekeurd => "goedgekeurd",
            State::Gepubliceerd => "gepubliceerd",
            State::Vervangen => "vervangen",
            State::Gearchiveerd => "gearchiveerd",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.id() == s)
    }

    /// A version in this state can still be worked on (and so be saved over by a new version).
    pub fn is_draft(self) -> bool {
        matches!(self, State::Concept | State::TerBeoordeling | State::Goedgekeurd)
    }
}

/// A step in the cycle, as a button or an API call names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// Ask the kennisexpert to check the content.
    Indienen,
    /// The kennisexpert agrees with the content.
    Goedkeuren,
    /// Back to concept, with a reason.
    Afkeuren,
    Publiceren,
    /// Publish at once, skipping approval (recorded as urgent).
    SpoedPubliceren,
    Archiveren,
}

impl Transition {
    pub const ALL: [Transition; 6] = [
        Transition::Indienen,
        Transition::Goedkeuren,
        Transition::Afkeuren,
        Transition::Publiceren,
        Transition::SpoedPubliceren,
        Transition::Archiveren,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Transition::Indienen => "indienen",
            Transition::Goedkeuren => "goedkeuren",
            Transition::Afkeuren => "afkeuren",
            Transition::Publiceren => "publiceren",
            Transition::SpoedPubliceren => "spoed_publiceren",
            Transition::Archiveren => "archiveren",
        }
    }

    pub fn parse(s: &str) -> Option<Transition> {
        Transition::ALL.into_iter().find(|t| t.id() == s)
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleError {
    #[error("'{transition}' is not possible from '{from}'")]
    NotFromState { transition: &'static str, from: &'static str },
    #[error("{0}")]
    NotAllowed(&'static str),
}

/// What the cycle needs to know about the person taking a step.
pub struct Participant<'a> {
    pub user_id: Uuid,
    pub roles: &'a BTreeSet<Role>,
}

/// What the cycle needs to know about the item.
pub struct Item {
    pub state: State,
    pub substantive: bool,
    pub owner_id: Option<Uuid>,
}

/// The state after `transition`, or why it may not happen. Pure: the caller stores the result.
pub fn step(item: &Item, transition: Transition, who: &Participant<'_>) -> Result<State, CycleError> {
    use State::*;
    use Transition::*;
    let may = |a: Ability| policy::roles_may(who.roles, a);
    let owning_expert = may(Ability::OwnContent) && item.owner_id.is_none_or(|o| o == who.user_id);
    let wrong_state = || CycleError::NotFromState { transition: transition.id(), from: item.state.id() };
    match transition {
        Indienen => {
            if item.state != Concept {
                return Err(wrong_state());
            }
            if !may(Ability::EditContent) {
                return Err(CycleError::NotAllowed("Alleen wie artikelen bewerkt, kan een versie indienen."));
            }
            Ok(TerBeoordeling)
        }
        Goedkeuren => {
            if item.state != TerBeoordeling {
                return Err(wrong_state());
            }
            if !owning_expert {
                return Err(CycleError::NotAllowed("Alleen de kennisexpert die eigenaar is, keurt de inhoud goed."));
            }
            Ok(Goedgekeurd)
        }
        Afkeuren => {
            if !matches!(item.state, TerBeoordeling | Goedgekeurd) {
                return Err(wrong_state());
            }
            if !(owning_expert || may(Ability::PublishContent)) {
                return Err(CycleError::NotAllowed("Alleen de eigenaar of een redacteur stuurt een versie terug."));
            }
            Ok(Concept)
        }
        Publiceren => {
            if !may(Ability::PublishContent) {
                return Err(CycleError::NotAllowed("Alleen een redacteur publiceert."));
            }
            match item.state {
                Goedgekeurd => Ok(Gepubliceerd),
                Concept | TerBeoordeling if !item.substantive => Ok(Gepubliceerd),
                Concept | TerBeoordeling => Err(CycleError::NotAllowed(
                    "Een inhoudelijke wijziging heeft eerst de goedkeuring van de kennisexpert nodig.",
                )),
                _ => Err(wrong_state()),
            }
        }
        SpoedPubliceren => {
            if !may(Ability::PublishContent) {
                return Err(CycleError::NotAllowed("Alleen een redacteur publiceert."));
            }
            if !item.state.is_draft() {
                return Err(wrong_state());
            }
            Ok(Gepubliceerd)
        }
        Archiveren => {
            if !may(Ability::PublishContent) {
                return Err(CycleError::NotAllowed("Alleen een redacteur archiveert."));
            }
            if item.state != Gepubliceerd {
                return Err(wrong_state());
            }
            Ok(Gearchiveerd)
        }
    }
}

/// How the published pointer of an item moves with a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pointer {
    Keep,
    /// The stepped version is now the one agents see.
    Publish(i32),
    /// Nothing is published any more.
    Clear,
}

/// What storing a step means, for any versioned item: the state of the stepped version, whether
/// the actor is recorded as approver or publisher (and whether urgently), which earlier version
/// becomes `vervangen`, and how the published pointer moves. Articles and decision trees both
/// store exactly this; only their tables differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effects {
    pub state: State,
    pub record_approver: bool,
    /// `Some(urgent)` when the step publishes.
    pub published: Option<bool>,
    pub superseded: Option<i32>,
    pub pointer: Pointer,
}

/// The effects of `transition` (already allowed by [`step`], giving `next`) on version `target`
/// of an item whose published version is `published`.
pub fn effects(transition: Transition, next: State, target: i32, published: Option<i32>) -> Effects {
    let plain =
        Effects { state: next, record_approver: false, published: None, superseded: None, pointer: Pointer::Keep };
    match transition {
        Transition::Goedkeuren => Effects { record_approver: true, ..plain },
        Transition::Publiceren | Transition::SpoedPubliceren => Effects {
            published: Some(transition == Transition::SpoedPubliceren),
            superseded: published.filter(|p| *p != target),
            pointer: Pointer::Publish(target),
            ..plain
        },
        Transition::Archiveren => Effects { pointer: Pointer::Clear, ..plain },
        Transition::Indienen | Transition::Afkeuren => plain,
    }
}

/// The steps `who` may take now, for the buttons on the screen.
pub fn available(item: &Item, who: &Participant<'_>) -> Vec<Transition> {
    Transition::ALL.into_iter().filter(|t| step(item, *t, who).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles(rs: &[Role]) -> BTreeSet<Role> {
        rs.iter().copied().collect()
    }

    const OWNER: Uuid = Uuid::from_u128(1);
    const OTHER: Uuid = Uuid::from_u128(2);

    fn item(state: State, substantive: bool) -> Item {
        Item { state, substantive, owner_id: Some(OWNER) }
    }

    #[test]
    fn a_substantive_change_goes_through_the_owner_before_the_redacteur_publishes() {
        let expert = roles(&[Role::Kennisexpert]);
        let editor = roles(&[Role::Redacteur]);
        let tweedelijn = roles(&[Role::Tweedelijn]);
        let s = step(
            &item(State::Concept, true),
            Transition::Indienen,
            &Participant { user_id: OTHER, roles: &tweedelijn },
        );
        assert_eq!(s, Ok(State::TerBeoordeling));
        let early = step(
            &item(State::TerBeoordeling, true),
            Transition::Publiceren,
            &Participant { user_id: OTHER, roles: &editor },
        );
        assert!(matches!(early, Err(CycleError::NotAllowed(_))));
        let s = step(
            &item(State::TerBeoordeling, true),
            Transition::Goedkeuren,
            &Participant { user_id: OWNER, roles: &expert },
        );
        assert_eq!(s, Ok(State::Goedgekeurd));
        let s = step(
            &item(State::Goedgekeurd, true),
            Transition::Publiceren,
            &Participant { user_id: OTHER, roles: &editor },
        );
        assert_eq!(s, Ok(State::Gepubliceerd));
    }

    #[test]
    fn only_the_owning_kennisexpert_approves() {
        let expert = roles(&[Role::Kennisexpert]);
        let other = step(
            &item(State::TerBeoordeling, true),
            Transition::Goedkeuren,
            &Participant { user_id: OTHER, roles: &expert },
        );
        assert!(matches!(other, Err(CycleError::NotAllowed(_))));
        let unowned = Item { owner_id: None, ..item(State::TerBeoordeling, true) };
        assert_eq!(
            step(&unowned, Transition::Goedkeuren, &Participant { user_id: OTHER, roles: &expert }),
            Ok(State::Goedgekeurd)
        );
    }

    #[test]
    fn a_tweedelijn_user_cannot_publish_an_article() {
        let tweedelijn = roles(&[Role::Tweedelijn]);
        for state in [State::Concept, State::TerBeoordeling, State::Goedgekeurd] {
            for t in [Transition::Publiceren, Transition::SpoedPubliceren] {
                assert!(step(&item(state, false), t, &Participant { user_id: OWNER, roles: &tweedelijn }).is_err());
            }
        }
    }

    #[test]
    fn a_small_correction_needs_no_approval_and_urgent_items_can_be_fast_tracked() {
        let editor = roles(&[Role::Redacteur]);
        let who = Participant { user_id: OTHER, roles: &editor };
        assert_eq!(step(&item(State::Concept, false), Transition::Publiceren, &who), Ok(State::Gepubliceerd));
        assert_eq!(step(&item(State::Concept, true), Transition::SpoedPubliceren, &who), Ok(State::Gepubliceerd));
        assert!(step(&item(State::Gepubliceerd, true), Transition::SpoedPubliceren, &who).is_err());
    }

    #[test]
    fn publishing_supersedes_the_previous_version_and_archiving_clears_the_pointer() {
        let fx = effects(Transition::Publiceren, State::Gepubliceerd, 3, Some(1));
        assert_eq!(fx.superseded, Some(1));
        assert_eq!(fx.pointer, Pointer::Publish(3));
        assert_eq!(fx.published, Some(false));
        assert_eq!(effects(Transition::SpoedPubliceren, State::Gepubliceerd, 1, None).published, Some(true));
        assert_eq!(effects(Transition::Archiveren, State::Gearchiveerd, 3, Some(3)).pointer, Pointer::Clear);
        assert!(effects(Transition::Goedkeuren, State::Goedgekeurd, 2, Some(1)).record_approver);
        assert_eq!(effects(Transition::Indienen, State::TerBeoordeling, 2, Some(1)).pointer, Pointer::Keep);
    }

    #[test]
    fn an_agent_can_take_no_step_at_all() {
        let agent = roles(&[Role::Klantcontactmedewerker]);
        for state in State::ALL {
            assert!(
                available(&item(state, false), &Participant { user_id: OWNER, roles: &agent }).is_empty(),
                "{state:?}"
            );
        }
    }

    #[test]
    fn only_published_items_are_archived_and_only_by_a_redacteur() {
        let editor = roles(&[Role::Redacteur]);
        let expert = roles(&[Role::Kennisexpert]);
        assert_eq!(
            step(
                &item(State::Gepubliceerd, false),
                Transition::Archiveren,
                &Participant { user_id: OTHER, roles: &editor }
            ),
            Ok(State::Gearchiveerd)
        );
        assert!(
            step(
                &item(State::Gepubliceerd, false),
                Transition::Archiveren,
                &Participant { user_id: OWNER, roles: &expert }
            )
            .is_err()
        );
        assert!(
            step(&item(State::Concept, false), Transition::Archiveren, &Participant { user_id: OTHER, roles: &editor })
                .is_err()
        );
    }
}
