//! Roles and the permissions they grant — the one table that decides who may do what.
//!
//! Every route declares one [`Permission`] (or is explicitly public); a user may hold several
//! roles and gets the union of their permissions. Later features add permissions here, and the
//! route × role test in `tests/api/access.rs` walks this table against every route.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::validation::FieldError;

/// A role, with the id used in the CLI, the API and the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Frontoffice agent: answers every channel, registers contacts, creates callbacks.
    Klantcontactmedewerker,
    /// Second line: handles what the frontoffice passes on, small knowledge corrections.
    Tweedelijn,
    /// Back-office knowledge expert: owns article content, approves substantive changes.
    Kennisexpert,
    /// Editor: keeps language clear and uniform; the only role that publishes.
    Redacteur,
    /// Supervisor: queues, service levels, callbacks, reports, staffing.
    Teamleider,
    /// Administrator: users, roles, channels, opening hours, SLA targets, KPI definitions.
    Beheerder,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Klantcontactmedewerker,
        Role::Tweedelijn,
        Role::Kennisexpert,
        Role::Redacteur,
        Role::Teamleider,
        Role::Beheerder,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Role::Klantcontactmedewerker => "klantcontactmedewerker",
            Role::Tweedelijn => "tweedelijn",
            Role::Kennisexpert => "kennisexpert",
            Role::Redacteur => "redacteur",
            Role::Teamleider => "teamleider",
            Role::Beheerder => "beheerder",
        }
    }

    pub fn parse(input: &str) -> Result<Role, FieldError> {
        let wanted = input.trim().to_lowercase();
        Role::ALL.into_iter().find(|r| r.id() == wanted).ok_or_else(|| {
            let known: Vec<&str> = Role::ALL.iter().map(|r| r.id()).collect();
            FieldError::new("roles", "unknown_role", format!("Onbekende rol '{input}'; kies uit {}.", known.join(", ")))
        })
    }

    /// The permissions this role grants.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Klantcontactmedewerker => &[ViewDirectory, ReadKnowledge, FindCustomers, RegisterContacts, WorkQueue],
            Role::Tweedelijn => &[
                ViewDirectory,
                ReadKnowledge,
                EditKnowledge,
                FindCustomers,
                RegisterContacts,
                ReadConfidential,
                WorkQueue,
            ],
            Role::Kennisexpert => &[ViewDirectory, ReadKnowledge, EditKnowledge],
            Role::Redacteur => &[ViewDirectory, ReadKnowledge, EditKnowledge, WriteNotices, ManageSearch],
            Role::Teamleider => {
                &[ViewDirectory, ReadKnowledge, WriteNotices, FindCustomers, ViewReports, WorkQueue, DistributeWork]
            }
            Role::Beheerder => &[
                ViewDirectory,
                ReadKnowledge,
                ManageUsers,
                ManageUnits,
                ManageApiTokens,
                ReadAuditLog,
                HandlePrivacyRequests,
                ViewReports,
                ManageKpis,
                RecordCallEvents,
                ManageSla,
                ManageContactLists,
                ManageBranding,
                ManageMailboxes,
                ReceiveMail,
            ],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What a caller may do. Named after the action, not the role, so a route says what it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See afdelingen, teams and colleagues (the internal directory).
    ViewDirectory,
    /// Create users, change their roles, unit and status.
    ManageUsers,
    /// Create afdelingen and teams.
    ManageUnits,
    /// Issue API tokens for integrations.
    ManageApiTokens,
    /// Read the audit log (verwerkingslog).
    ReadAuditLog,
    /// Read published knowledge articles.
    ReadKnowledge,
    /// Work on knowledge: drafts, the cycle, history. Which step of the cycle a role may take is
    /// decided in `knowledge::cycle` (only a redacteur publishes, …).
    EditKnowledge,
    /// Write and end werkberichten (notices), see who has read them.
    WriteNotices,
    /// Manage synonyms, read the search analytics, see and reset what the search learnt.
    ManageSearch,
    /// Find customers (parties) and read their details, contacts and timeline.
    FindCustomers,
    /// Register parties and contacts (klantcontacten).
    RegisterContacts,
    /// Lift a party's geheimhouding (logged each time) and read confidential contact notes
    /// written by others.
    ReadConfidential,
    /// Export everything about a person (inzageverzoek) and erase it on request.
    HandlePrivacyRequests,
    /// Read reports and the wall board: service levels, volumes, KPI definitions.
    ViewReports,
    /// Set the KPI parameters (SL threshold, clock, denominator, short-abandon threshold, FCR days).
    ManageKpis,
    /// Send live call events (a telephony platform's integration token).
    RecordCallEvents,
    /// Work the work queue (werkvoorraad): see one's team's queue, claim, return or hand over
    /// one's own; create callback requests and log attempts (a successful attempt registers the
    /// contact). Its id keeps the name it had when callbacks were the only kind of work item.
    WorkQueue,
    /// See every team's queue and reassign any work item (team leads).
    DistributeWork,
    /// Set opening hours, closures, response-time targets and the callback policy.
    ManageSla,
    /// Add, rename, reorder and retire the channels and outcomes contacts are registered with.
    ManageContactLists,
    /// Set the organisation's name, logo and colour (huisstijl).
    ManageBranding,
    /// Set up mailboxes: address, IMAP account, team, limits.
    ManageMailboxes,
    /// Deliver incoming mail to a mailbox (a mail server's integration token).
    ReceiveMail,
}

impl Permission {
    pub const ALL: [Permission; 23] = [
        Permission::ViewDirectory,
        Permission::ManageUsers,
        Permission::ManageUnits,
        Permission::ManageApiTokens,
        Permission::ReadAuditLog,
        Permission::ReadKnowledge,
        Permission::EditKnowledge,
        Permission::WriteNotices,
        Permission::ManageSearch,
        Permission::FindCustomers,
        Permission::RegisterContacts,
        Permission::ReadConfidential,
        Permission::HandlePrivacyRequests,
        Permission::ViewReports,
        Permission::ManageKpis,
        Permission::RecordCallEvents,
        Permission::WorkQueue,
        Permission::DistributeWork,
        Permission::ManageSla,
        Permission::ManageContactLists,
        Permission::ManageBranding,
        Permission::ManageMailboxes,
        Permission::ReceiveMail,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Permission::ViewDirectory => "view_directory",
            Permission::ManageUsers => "manage_users",
            Permission::ManageUnits => "manage_units",
            Permission::ManageApiTokens => "manage_api_tokens",
            Permission::ReadAuditLog => "read_audit_log",
            Permission::ReadKnowledge => "read_knowledge",
            Permission::EditKnowledge => "edit_knowledge",
            Permission::WriteNotices => "write_notices",
            Permission::ManageSearch => "manage_search",
            Permission::FindCustomers => "find_customers",
            Permission::RegisterContacts => "register_contacts",
            Permission::ReadConfidential => "read_confidential",
            Permission::HandlePrivacyRequests => "handle_privacy_requests",
            Permission::ViewReports => "view_reports",
            Permission::ManageKpis => "manage_kpis",
            Permission::RecordCallEvents => "record_call_events",
            Permission::WorkQueue => "work_callbacks",
            Permission::DistributeWork => "distribute_callbacks",
            Permission::ManageSla => "manage_sla",
            Permission::ManageContactLists => "manage_contact_lists",
            Permission::ManageBranding => "manage_branding",
            Permission::ManageMailboxes => "manage_mailboxes",
            Permission::ReceiveMail => "receive_mail",
        }
    }
}

/// The union of permissions of a set of roles.
pub fn permissions_of(roles: &BTreeSet<Role>) -> BTreeSet<Permission> {
    roles.iter().flat_map(|r| r.permissions().iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_round_trip_and_unknown_roles_are_named_in_the_error() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.id()).unwrap(), role);
        }
        assert_eq!(Role::parse(" Beheerder ").unwrap(), Role::Beheerder);
        let err = Role::parse("superuser").unwrap_err();
        assert!(err.message.contains("superuser") && err.message.contains("tweedelijn"));
    }

    #[test]
    fn only_a_beheerder_reads_the_audit_log() {
        for role in Role::ALL {
            let expected = role == Role::Beheerder;
            assert_eq!(role.permissions().contains(&Permission::ReadAuditLog), expected, "{role}");
        }
    }

    #[test]
    fn several_roles_give_the_union_of_their_permissions() {
        let roles = BTreeSet::from([Role::Klantcontactmedewerker, Role::Beheerder]);
        assert!(permissions_of(&roles).contains(&Permission::ManageUsers));
        assert!(permissions_of(&roles).contains(&Permission::ViewDirectory));
    }

    #[test]
    fn every_permission_is_granted_to_some_role() {
        for p in Permission::ALL {
            assert!(Role::ALL.iter().any(|r| r.permissions().contains(&p)), "{p:?}");
        }
    }
}
