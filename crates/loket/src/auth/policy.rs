//! The one place that decides what a principal may see and do.
//!
//! Rules:
//! - Employees and integrations (koppelingen) may what their roles grant: every route's
//!   permission ([`Ability::Permission`]) and the finer decisions inside domain functions below.
//!   `roles.rs` holds which role grants which permission; this table adds what is decided by role
//!   rather than by route (who writes, owns and publishes content).
//! - Citizens (visitors of the public site and the chat) and the chat bot hold no role: they may
//!   read published public knowledge and nothing of anyone else. What a visitor may see of their
//!   own chat or request is decided by the visit itself (its token), not by a role.
//! - Domain code asks `caller.may(Ability::…)` or [`may`]; it does not look at roles itself.

use std::collections::BTreeSet;

use super::principal::Principal;
use super::roles::{Permission, Role};

/// Something a principal may or may not do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ability {
    /// What a route's permission grants.
    Permission(Permission),
    /// See what geheimhouding protects (a party's identifiers and address, confidential notes)
    /// and find a party by it.
    SeeConfidential,
    /// See every team's queue and hand any work item to anyone (team leads).
    DistributeWork,
    /// Correct or remove contacts that someone else registered (team leads).
    CorrectOthersContacts,
    /// Manage synonyms, learning and search analytics.
    ManageSearch,
    /// Work on drafts of articles and decision trees, and move them through the cycle.
    EditContent,
    /// Write new articles and decision trees.
    WriteContent,
    /// Own content and approve its substance (kennisexperts).
    OwnContent,
    /// Publish, archive and give content to another owner (redacteuren).
    PublishContent,
    /// Handle the feedback on every article, not only one's own (redacteuren, tweede lijn).
    HandleAllFeedback,
    /// Read published articles whose audience is the public.
    ReadPublicKnowledge,
}

/// Whether `principal` may do `ability`.
pub fn may(principal: &Principal, ability: Ability) -> bool {
    match principal {
        Principal::Employee(caller) | Principal::Integration(caller) => roles_may(&caller.roles, ability),
        Principal::Visitor(_) | Principal::Bot(_) => ability == Ability::ReadPublicKnowledge,
    }
}

/// What an account with these roles may do (employees and integrations alike).
pub fn roles_may(roles: &BTreeSet<Role>, ability: Ability) -> bool {
    let grants = |p: Permission| roles.iter().any(|r| r.permissions().contains(&p));
    let is = |r: Role| roles.contains(&r);
    match ability {
        Ability::Permission(p) => grants(p),
        Ability::SeeConfidential => grants(Permission::ReadConfidential),
        Ability::DistributeWork => grants(Permission::DistributeWork),
        Ability::CorrectOthersContacts => grants(Permission::DistributeWork) && grants(Permission::RegisterContacts),
        Ability::ManageSearch => grants(Permission::ManageSearch),
        Ability::EditContent => is(Role::Tweedelijn) || is(Role::Kennisexpert) || is(Role::Redacteur),
        Ability::WriteContent => is(Role::Kennisexpert) || is(Role::Redacteur),
        Ability::OwnContent => is(Role::Kennisexpert),
        Ability::PublishContent => is(Role::Redacteur),
        Ability::HandleAllFeedback => is(Role::Redacteur) || is(Role::Tweedelijn),
        Ability::ReadPublicKnowledge => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::principal::Visit;

    fn roles(list: &[Role]) -> BTreeSet<Role> {
        list.iter().copied().collect()
    }

    #[test]
    fn an_account_may_exactly_what_its_roles_grant() {
        for role in Role::ALL {
            for p in Permission::ALL {
                assert_eq!(roles_may(&roles(&[role]), Ability::Permission(p)), role.permissions().contains(&p));
            }
        }
        assert!(roles_may(&roles(&[Role::Tweedelijn]), Ability::SeeConfidential));
        assert!(!roles_may(&roles(&[Role::Klantcontactmedewerker]), Ability::SeeConfidential));
        assert!(roles_may(&roles(&[Role::Teamleider]), Ability::DistributeWork));
        assert!(!roles_may(&roles(&[Role::Klantcontactmedewerker]), Ability::DistributeWork));
    }

    #[test]
    fn content_is_edited_by_editors_owned_by_experts_and_published_by_redacteuren() {
        let (tweedelijn, expert, editor) =
            (roles(&[Role::Tweedelijn]), roles(&[Role::Kennisexpert]), roles(&[Role::Redacteur]));
        assert!([&tweedelijn, &expert, &editor].iter().all(|r| roles_may(r, Ability::EditContent)));
        assert!(!roles_may(&tweedelijn, Ability::WriteContent) && roles_may(&expert, Ability::WriteContent));
        assert!(roles_may(&expert, Ability::OwnContent) && !roles_may(&editor, Ability::OwnContent));
        assert!(roles_may(&editor, Ability::PublishContent) && !roles_may(&expert, Ability::PublishContent));
        assert!(!roles_may(&roles(&[Role::Klantcontactmedewerker]), Ability::EditContent));
    }

    #[test]
    fn citizens_and_the_bot_read_public_knowledge_and_nothing_else() {
        let visit = Visit { id: uuid::Uuid::now_v7() };
        for principal in [Principal::Visitor(visit.clone()), Principal::Bot(visit)] {
            assert!(may(&principal, Ability::ReadPublicKnowledge));
            for p in Permission::ALL {
                assert!(!may(&principal, Ability::Permission(p)), "{p:?}");
            }
            for a in [Ability::SeeConfidential, Ability::DistributeWork, Ability::EditContent, Ability::PublishContent]
            {
                assert!(!may(&principal, a), "{a:?}");
            }
        }
    }
}
