//! The JSON API under `/api/v1`. Handlers parse, call one domain function, and answer; every
//! route's permission is declared in [`routes`].

pub mod articles;
pub mod audit;
pub mod branding;
pub mod callbacks;
pub mod contacts;
pub mod email;
pub mod feedback;
pub mod me;
pub mod notices;
pub mod reports;
pub mod search;
pub mod tokens;
pub mod trees;
pub mod units;
pub mod users;
pub mod work;

use axum::http::Method;

use super::access::{Access, Routes};
use crate::auth::Permission;

pub fn routes(r: Routes) -> Routes {
    let manage = Access::Permission(Permission::ManageSearch);
    let find_customers = Access::Permission(Permission::FindCustomers);
    let register = Access::Permission(Permission::RegisterContacts);
    let manage_lists = Access::Permission(Permission::ManageContactLists);
    let privacy = Access::Permission(Permission::HandlePrivacyRequests);
    let view_reports = Access::Permission(Permission::ViewReports);
    let work_queue = Access::Permission(Permission::WorkQueue);
    r.api(Method::GET, "/api/v1/me", Access::Authenticated, me::me)
        .api(Method::GET, "/api/v1/work-items", work_queue, work::list)
        .api(Method::GET, "/api/v1/work-items/{id}", work_queue, work::get)
        .api(Method::POST, "/api/v1/work-items/{id}/claim", work_queue, work::claim)
        .api(Method::POST, "/api/v1/work-items/{id}/return", work_queue, work::return_to_team)
        .api(Method::POST, "/api/v1/work-items/{id}/reassign", work_queue, work::reassign)
        .api(Method::POST, "/api/v1/work-items/{id}/reply", work_queue, work::reply)
        .api(Method::POST, "/api/v1/work-items/{id}/close", work_queue, work::close)
        .api(Method::GET, "/api/v1/mail-attachments/{id}", work_queue, email::attachment)
        .api(Method::GET, "/api/v1/mailboxes", Access::Permission(Permission::ManageMailboxes), email::list)
        .api(Method::POST, "/api/v1/mailboxes", Access::Permission(Permission::ManageMailboxes), email::create)
        .api(Method::PUT, "/api/v1/mailboxes/{address}", Access::Permission(Permission::ManageMailboxes), email::update)
        .api(
            Method::POST,
            "/api/v1/mailboxes/{address}/inbound",
            Access::Permission(Permission::ReceiveMail),
            email::inbound,
        )
        .api(Method::POST, "/api/v1/callbacks", work_queue, callbacks::create)
        .api(Method::GET, "/api/v1/callbacks", work_queue, callbacks::list)
        .api(Method::GET, "/api/v1/callbacks/{id}", work_queue, callbacks::get)
        .api(Method::POST, "/api/v1/callbacks/{id}/claim", work_queue, callbacks::claim)
        .api(Method::POST, "/api/v1/callbacks/{id}/return", work_queue, callbacks::return_to_team)
        .api(Method::POST, "/api/v1/callbacks/{id}/reassign", work_queue, callbacks::reassign)
        .api(Method::POST, "/api/v1/callbacks/{id}/attempts", work_queue, callbacks::attempt)
        .api(Method::GET, "/api/v1/sla-policy", Access::Authenticated, callbacks::policy)
        .api(Method::PUT, "/api/v1/sla-policy", Access::Permission(Permission::ManageSla), callbacks::save_policy)
        .api(Method::GET, "/api/v1/reports/callbacks", view_reports, callbacks::report)
        .api(Method::GET, "/api/v1/reports/callbacks/items", view_reports, callbacks::report_items)
        .api(Method::GET, "/api/v1/reports/contacts", view_reports, reports::contacts)
        .api(Method::GET, "/api/v1/reports/contacts/items", view_reports, reports::contact_items)
        .api(Method::GET, "/api/v1/reports/service-level", view_reports, reports::service_level)
        .api(Method::GET, "/api/v1/reports/calls", view_reports, reports::calls_csv)
        .api(Method::GET, "/api/v1/reports/wallboard", view_reports, reports::wallboard)
        .api(Method::GET, "/api/v1/kpis", view_reports, reports::kpis)
        .api(Method::PUT, "/api/v1/kpi-settings", Access::Permission(Permission::ManageKpis), reports::save_settings)
        .api(
            Method::POST,
            "/api/v1/telephony/events",
            Access::Permission(Permission::RecordCallEvents),
            reports::call_event,
        )
        .api(Method::GET, "/api/v1/branding", Access::Authenticated, branding::get)
        .api(Method::PUT, "/api/v1/branding", Access::Permission(Permission::ManageBranding), branding::save)
        .api(Method::PUT, "/api/v1/branding/logo", Access::Permission(Permission::ManageBranding), branding::save_logo)
        .api(
            Method::DELETE,
            "/api/v1/branding/logo",
            Access::Permission(Permission::ManageBranding),
            branding::remove_logo,
        )
        .api(Method::GET, "/api/v1/search", Access::Permission(Permission::ReadKnowledge), search::search)
        .api(Method::GET, "/api/v1/search/synonyms", manage, search::list_synonyms)
        .api(Method::POST, "/api/v1/search/synonyms", manage, search::create_synonyms)
        .api(Method::PUT, "/api/v1/search/synonyms/{id}", manage, search::update_synonyms)
        .api(Method::DELETE, "/api/v1/search/synonyms/{id}", manage, search::delete_synonyms)
        .api(Method::GET, "/api/v1/search/analytics", manage, search::analytics_report)
        .api(Method::POST, "/api/v1/search/analytics/draft", manage, search::draft_from_query)
        .api(Method::POST, "/api/v1/search/analytics/feedback", manage, search::feedback_from_query)
        .api(Method::GET, "/api/v1/search/learning", manage, search::learned)
        .api(Method::POST, "/api/v1/search/learning/reset", manage, search::reset_learning)
        .api(Method::GET, "/api/v1/roles", Access::Authenticated, me::roles)
        .api(Method::GET, "/api/v1/users", Access::Permission(Permission::ManageUsers), users::list)
        .api(Method::POST, "/api/v1/users", Access::Permission(Permission::ManageUsers), users::create)
        .api(Method::GET, "/api/v1/users/{id}", Access::Permission(Permission::ManageUsers), users::get)
        .api(Method::PATCH, "/api/v1/users/{id}", Access::Permission(Permission::ManageUsers), users::update)
        .api(Method::GET, "/api/v1/units", Access::Permission(Permission::ViewDirectory), units::list)
        .api(Method::POST, "/api/v1/units", Access::Permission(Permission::ManageUnits), units::create)
        .api(Method::POST, "/api/v1/tokens", Access::Permission(Permission::ManageApiTokens), tokens::create)
        .api(Method::DELETE, "/api/v1/tokens/{id}", Access::Permission(Permission::ManageApiTokens), tokens::revoke)
        .api(Method::GET, "/api/v1/users/{id}/tokens", Access::Permission(Permission::ManageApiTokens), tokens::list)
        .api(Method::GET, "/api/v1/audit-log", Access::Permission(Permission::ReadAuditLog), audit::list)
        .api(Method::GET, "/api/v1/parties", find_customers, contacts::find)
        .api(Method::POST, "/api/v1/parties", register, contacts::create)
        .api(Method::GET, "/api/v1/parties/{id}", find_customers, contacts::get)
        .api(Method::POST, "/api/v1/parties/{id}/digital-addresses", register, contacts::add_digital_address)
        .api(Method::GET, "/api/v1/parties/{id}/timeline", find_customers, contacts::timeline)
        .api(Method::POST, "/api/v1/contacts", register, contacts::register)
        .api(Method::GET, "/api/v1/contacts/{id}", find_customers, contacts::get_contact)
        .api(Method::GET, "/api/v1/contact-drafts", register, contacts::drafts)
        .api(Method::PUT, "/api/v1/contact-drafts/{id}", register, contacts::save_draft)
        .api(Method::DELETE, "/api/v1/contact-drafts/{id}", register, contacts::discard_draft)
        .api(Method::GET, "/api/v1/contact-channels", find_customers, contacts::channels)
        .api(Method::GET, "/api/v1/contact-outcomes", find_customers, contacts::outcomes)
        .api(Method::PUT, "/api/v1/contact-channels/{code}", manage_lists, contacts::save_channel)
        .api(Method::PUT, "/api/v1/contact-outcomes/{code}", manage_lists, contacts::save_outcome)
        .api(Method::GET, "/api/v1/parties/{id}/export", privacy, contacts::export_party)
        .api(Method::POST, "/api/v1/parties/{id}/erase", privacy, contacts::erase_party)
        .api(Method::GET, "/api/v1/request-types", find_customers, contacts::request_types)
        .api(Method::POST, "/api/v1/requests", register, contacts::create_request)
        .api(Method::GET, "/api/v1/requests/{id}", find_customers, contacts::get_request)
        .api(Method::POST, "/api/v1/requests/{id}/status", register, contacts::set_request_status)
        .api(Method::POST, "/api/v1/tasks", register, contacts::create_task)
        .api(Method::GET, "/api/v1/tasks", work_queue, contacts::task_worklist)
        .api(Method::POST, "/api/v1/tasks/{id}/complete", register, contacts::complete_task)
        .api(Method::GET, "/api/v1/articles", Access::Permission(Permission::ReadKnowledge), articles::list)
        .api(Method::POST, "/api/v1/articles", Access::Permission(Permission::EditKnowledge), articles::create)
        .api(Method::GET, "/api/v1/articles/{id}", Access::Permission(Permission::ReadKnowledge), articles::get)
        .api(Method::PUT, "/api/v1/articles/{id}", Access::Permission(Permission::EditKnowledge), articles::save)
        .api(
            Method::PUT,
            "/api/v1/articles/{id}/ownership",
            Access::Permission(Permission::EditKnowledge),
            articles::set_ownership,
        )
        .api(
            Method::POST,
            "/api/v1/articles/{id}/transitions",
            Access::Permission(Permission::EditKnowledge),
            articles::transition,
        )
        .api(
            Method::GET,
            "/api/v1/articles/{id}/versions",
            Access::Permission(Permission::EditKnowledge),
            articles::versions,
        )
        .api(
            Method::GET,
            "/api/v1/articles/{id}/versions/{version}",
            Access::Permission(Permission::EditKnowledge),
            articles::version,
        )
        .api(
            Method::POST,
            "/api/v1/articles/{id}/restore",
            Access::Permission(Permission::EditKnowledge),
            articles::restore,
        )
        .api(Method::GET, "/api/v1/articles/{id}/diff", Access::Permission(Permission::EditKnowledge), articles::diff)
        .api(Method::GET, "/api/v1/decision-trees", Access::Permission(Permission::ReadKnowledge), trees::list)
        .api(Method::POST, "/api/v1/decision-trees", Access::Permission(Permission::EditKnowledge), trees::create)
        .api(Method::GET, "/api/v1/decision-trees/{id}", Access::Permission(Permission::ReadKnowledge), trees::get)
        .api(Method::PUT, "/api/v1/decision-trees/{id}", Access::Permission(Permission::EditKnowledge), trees::save)
        .api(
            Method::POST,
            "/api/v1/decision-trees/{id}/transitions",
            Access::Permission(Permission::EditKnowledge),
            trees::transition,
        )
        .api(
            Method::GET,
            "/api/v1/decision-trees/{id}/versions",
            Access::Permission(Permission::EditKnowledge),
            trees::versions,
        )
        .api(
            Method::GET,
            "/api/v1/decision-trees/{id}/diff",
            Access::Permission(Permission::EditKnowledge),
            trees::diff,
        )
        .api(
            Method::POST,
            "/api/v1/decision-trees/{id}/restore",
            Access::Permission(Permission::EditKnowledge),
            trees::restore,
        )
        .api(
            Method::GET,
            "/api/v1/editor/decision-trees",
            Access::Permission(Permission::EditKnowledge),
            trees::editor_list,
        )
        .api(Method::GET, "/api/v1/notices", Access::Permission(Permission::ReadKnowledge), notices::current)
        .api(Method::POST, "/api/v1/notices", Access::Permission(Permission::WriteNotices), notices::create)
        .api(Method::POST, "/api/v1/notices/{id}/read", Access::Permission(Permission::ReadKnowledge), notices::read)
        .api(Method::POST, "/api/v1/notices/{id}/end", Access::Permission(Permission::WriteNotices), notices::end)
        .api(
            Method::GET,
            "/api/v1/notices/{id}/receipts",
            Access::Permission(Permission::WriteNotices),
            notices::receipts,
        )
        .api(
            Method::POST,
            "/api/v1/articles/{id}/feedback",
            Access::Permission(Permission::ReadKnowledge),
            feedback::submit,
        )
        .api(
            Method::POST,
            "/api/v1/articles/{id}/answered",
            Access::Permission(Permission::ReadKnowledge),
            feedback::answered,
        )
        .api(Method::GET, "/api/v1/feedback", Access::Permission(Permission::EditKnowledge), feedback::worklist)
        .api(Method::GET, "/api/v1/feedback/mine", Access::Permission(Permission::ReadKnowledge), feedback::mine)
        .api(Method::PATCH, "/api/v1/feedback/{id}", Access::Permission(Permission::EditKnowledge), feedback::handle)
        .api(
            Method::GET,
            "/api/v1/editor/articles",
            Access::Permission(Permission::EditKnowledge),
            articles::editor_list,
        )
        .api(
            Method::GET,
            "/api/v1/editor/review-worklist",
            Access::Permission(Permission::EditKnowledge),
            articles::review_worklist,
        )
}
