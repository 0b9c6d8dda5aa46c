//! Who is calling: a principal. Employees and integrations (koppelingen) have an account with
//! roles ([`Caller`]); citizens on the public site and in chat, and the chat bot that answers
//! them, do not: they are known by their visit only.
//!
//! Rules:
//! - What each may see and do is decided in `policy`, for every kind of principal in one table.
//! - The audit log names each: an employee by user name, an integration with the beheerder who
//!   made it, a visitor as "bezoeker" with their visit, the bot as "chatbot" with the visit it
//!   serves. A visitor's or bot's reads are never logged under an employee's name.

use uuid::Uuid;

use super::Caller;
use super::audit::Actor;
use super::policy::{self, Ability};
use super::users::AccountKind;

/// A citizen's visit to the public site or the chat (its session), the only thing Loket knows
/// of a visitor until they tell more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub id: Uuid,
}

/// Who is calling.
#[derive(Clone, Debug)]
pub enum Principal {
    /// A colleague with their own account.
    Employee(Caller),
    /// Another system, through a koppeling account a beheerder made for it.
    Integration(Caller),
    /// A citizen on the public site or in chat.
    Visitor(Visit),
    /// The chat bot, answering a visitor.
    Bot(Visit),
}

impl Principal {
    /// The principal behind an account.
    pub fn of(caller: Caller) -> Principal {
        match caller.account {
            AccountKind::Medewerker => Principal::Employee(caller),
            AccountKind::Koppeling => Principal::Integration(caller),
        }
    }

    /// The account, for employees and integrations.
    pub fn account(&self) -> Option<&Caller> {
        match self {
            Principal::Employee(c) | Principal::Integration(c) => Some(c),
            Principal::Visitor(_) | Principal::Bot(_) => None,
        }
    }

    pub fn may(&self, ability: Ability) -> bool {
        policy::may(self, ability)
    }

    /// The principal as the audit log names them.
    pub fn actor(&self) -> Actor {
        match self {
            Principal::Employee(c) | Principal::Integration(c) => c.actor(),
            Principal::Visitor(v) => Actor::anonymous(&format!("bezoeker {}", v.id), None),
            Principal::Bot(v) => Actor::system(&format!("chatbot (bezoek {})", v.id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visitor_and_the_bot_are_named_by_their_visit_in_the_audit_log() {
        let visit = Visit { id: Uuid::nil() };
        let visitor = Principal::Visitor(visit.clone()).actor();
        assert_eq!((visitor.name.as_str(), visitor.user_id), ("bezoeker 00000000-0000-0000-0000-000000000000", None));
        let bot = Principal::Bot(visit).actor();
        assert!(bot.name.starts_with("chatbot (bezoek "), "{}", bot.name);
        assert!(Principal::Bot(Visit { id: Uuid::nil() }).account().is_none());
    }
}
