//! Every declared route, called by every role and by nobody, against the permission table.

use loket::auth::Role;

use crate::helpers::TestApp;
use crate::on_both_backends;

/// Who should reach each route, written down independently of the code's declarations: a route
/// added or changed without updating this table fails the test, so every change of access is
/// a reviewed change.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Anyone,
    AnyUser,
    Only(&'static [Role]),
}

const BEHEERDER: &[Role] = &[Role::Beheerder];
const EVERY_ROLE: &[Role] = &Role::ALL;
const EDITORS: &[Role] = &[Role::Tweedelijn, Role::Kennisexpert, Role::Redacteur];
const NOTICE_WRITERS: &[Role] = &[Role::Redacteur, Role::Teamleider];
const REDACTEUR: &[Role] = &[Role::Redacteur];
const FIND_CUSTOMERS: &[Role] = &[Role::Klantcontactmedewerker, Role::Tweedelijn, Role::Teamleider];
const REGISTER_CONTACTS: &[Role] = &[Role::Klantcontactmedewerker, Role::Tweedelijn];
const REPORT_READERS: &[Role] = &[Role::Teamleider, Role::Beheerder];
/// Who works the work queue (callbacks and every other kind).
const CALLBACK_WORKERS: &[Role] = &[Role::Klantcontactmedewerker, Role::Tweedelijn, Role::Teamleider];

const EXPECTED: &[(&str, &str, Expect)] = &[
    ("GET", "/healthz", Expect::Anyone),
    ("GET", "/readyz", Expect::Anyone),
    ("GET", "/metrics", Expect::Anyone),
    ("GET", "/api/openapi.json", Expect::Anyone),
    ("GET", "/api/v1/me", Expect::AnyUser),
    ("GET", "/api/v1/work-items", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/api/v1/work-items/{id}", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/work-items/{id}/claim", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/work-items/{id}/return", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/work-items/{id}/reassign", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/work-items/{id}/reply", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/work-items/{id}/close", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/api/v1/mail-attachments/{id}", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/api/v1/mailboxes", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/mailboxes", Expect::Only(BEHEERDER)),
    ("PUT", "/api/v1/mailboxes/{address}", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/mailboxes/{address}/inbound", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/callbacks", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/api/v1/callbacks", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/api/v1/callbacks/{id}", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/callbacks/{id}/claim", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/callbacks/{id}/return", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/callbacks/{id}/reassign", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/callbacks/{id}/attempts", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/api/v1/sla-policy", Expect::AnyUser),
    ("PUT", "/api/v1/sla-policy", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/reports/callbacks", Expect::Only(REPORT_READERS)),
    ("GET", "/api/v1/reports/contacts", Expect::Only(REPORT_READERS)),
    ("GET", "/werkvoorraad", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/werkvoorraad/{id}/oppakken", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/werkvoorraad/{id}/terugzetten", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/werkvoorraad/{id}/overdragen", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/werkvoorraad/e-mail/{id}", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/werkvoorraad/e-mail/{id}/oppakken", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/werkvoorraad/e-mail/{id}/antwoord", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/werkvoorraad/e-mail/{id}/afronden", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/terugbelverzoeken", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/klanten/{id}/terugbelverzoeken", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/terugbelverzoeken/{id}/oppakken", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/terugbelverzoeken/{id}/terugzetten", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/terugbelverzoeken/{id}/overdragen", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/terugbelverzoeken/{id}/pogingen", Expect::Only(CALLBACK_WORKERS)),
    ("GET", "/beheer/sla", Expect::Only(BEHEERDER)),
    ("GET", "/beheer", Expect::AnyUser),
    ("GET", "/beheer/huisstijl", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/huisstijl", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/huisstijl/logo", Expect::Only(BEHEERDER)),
    ("GET", "/huisstijl.css", Expect::Anyone),
    ("GET", "/huisstijl/logo", Expect::Anyone),
    ("GET", "/api/v1/branding", Expect::AnyUser),
    ("PUT", "/api/v1/branding", Expect::Only(BEHEERDER)),
    ("PUT", "/api/v1/branding/logo", Expect::Only(BEHEERDER)),
    ("DELETE", "/api/v1/branding/logo", Expect::Only(BEHEERDER)),
    ("GET", "/beheer/lijsten", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/lijsten", Expect::Only(BEHEERDER)),
    ("PUT", "/api/v1/contact-channels/{code}", Expect::Only(BEHEERDER)),
    ("PUT", "/api/v1/contact-outcomes/{code}", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/sla", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/reports/service-level", Expect::Only(REPORT_READERS)),
    ("GET", "/api/v1/reports/calls", Expect::Only(REPORT_READERS)),
    ("GET", "/api/v1/reports/contacts/items", Expect::Only(REPORT_READERS)),
    ("GET", "/api/v1/reports/callbacks/items", Expect::Only(REPORT_READERS)),
    ("GET", "/api/v1/kpis", Expect::Only(REPORT_READERS)),
    ("PUT", "/api/v1/kpi-settings", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/telephony/events", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/reports/wallboard", Expect::Only(REPORT_READERS)),
    ("GET", "/wandbord", Expect::Only(REPORT_READERS)),
    ("GET", "/wandbord/stroom", Expect::Only(REPORT_READERS)),
    ("GET", "/static/wandbord.js", Expect::Anyone),
    ("GET", "/rapportages", Expect::Only(REPORT_READERS)),
    ("GET", "/rapportages/gesprekken", Expect::Only(REPORT_READERS)),
    ("GET", "/rapportages/contacten", Expect::Only(REPORT_READERS)),
    ("GET", "/rapportages/terugbelverzoeken", Expect::Only(REPORT_READERS)),
    ("GET", "/kpi", Expect::Only(REPORT_READERS)),
    ("POST", "/kpi", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/search", Expect::Only(EVERY_ROLE)),
    ("GET", "/api/v1/search/synonyms", Expect::Only(REDACTEUR)),
    ("POST", "/api/v1/search/synonyms", Expect::Only(REDACTEUR)),
    ("PUT", "/api/v1/search/synonyms/{id}", Expect::Only(REDACTEUR)),
    ("DELETE", "/api/v1/search/synonyms/{id}", Expect::Only(REDACTEUR)),
    ("GET", "/api/v1/search/analytics", Expect::Only(REDACTEUR)),
    ("POST", "/api/v1/search/analytics/draft", Expect::Only(REDACTEUR)),
    ("POST", "/api/v1/search/analytics/feedback", Expect::Only(REDACTEUR)),
    ("GET", "/api/v1/search/learning", Expect::Only(REDACTEUR)),
    ("POST", "/api/v1/search/learning/reset", Expect::Only(REDACTEUR)),
    ("GET", "/api/v1/roles", Expect::AnyUser),
    ("GET", "/api/v1/users", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/users", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/users/{id}", Expect::Only(BEHEERDER)),
    ("PATCH", "/api/v1/users/{id}", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/units", Expect::Only(EVERY_ROLE)),
    ("POST", "/api/v1/units", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/tokens", Expect::Only(BEHEERDER)),
    ("DELETE", "/api/v1/tokens/{id}", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/users/{id}/tokens", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/audit-log", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/parties", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/api/v1/parties", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/parties/{id}", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/api/v1/parties/{id}/digital-addresses", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/parties/{id}/timeline", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/api/v1/contacts", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/contact-drafts", Expect::Only(REGISTER_CONTACTS)),
    ("PUT", "/api/v1/contact-drafts/{id}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/api/v1/contact-drafts/{id}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/contacts/{id}", Expect::Only(FIND_CUSTOMERS)),
    ("GET", "/api/v1/contact-channels", Expect::Only(FIND_CUSTOMERS)),
    ("GET", "/api/v1/contact-outcomes", Expect::Only(FIND_CUSTOMERS)),
    ("GET", "/api/v1/parties/{id}/export", Expect::Only(BEHEERDER)),
    ("POST", "/api/v1/parties/{id}/erase", Expect::Only(BEHEERDER)),
    ("GET", "/api/v1/request-types", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/api/v1/requests", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/requests/{id}", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/api/v1/requests/{id}/status", Expect::Only(REGISTER_CONTACTS)),
    ("POST", "/api/v1/tasks", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/tasks", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/api/v1/tasks/{id}/complete", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/partijen", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/partijen", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/partijen/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/partijen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/partijen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/partijen/{uuid}", Expect::Only(BEHEERDER)),
    ("GET", "/klantinteracties/api/v1/partij-identificatoren", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/partij-identificatoren", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/partij-identificatoren/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/partij-identificatoren/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/partij-identificatoren/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/partij-identificatoren/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/digitaleadressen", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/digitaleadressen", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/digitaleadressen/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/digitaleadressen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/digitaleadressen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/digitaleadressen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/klantcontacten", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/klantcontacten", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/klantcontacten/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/klantcontacten/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/klantcontacten/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/klantcontacten/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/betrokkenen", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/betrokkenen", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/betrokkenen/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/betrokkenen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/betrokkenen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/betrokkenen/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/onderwerpobjecten", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/onderwerpobjecten", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/onderwerpobjecten/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/internetaken", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/internetaken", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/internetaken/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/internetaken/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("PATCH", "/klantinteracties/api/v1/internetaken/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("DELETE", "/klantinteracties/api/v1/internetaken/{uuid}", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klantinteracties/api/v1/actoren", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klantinteracties/api/v1/actoren", Expect::Only(BEHEERDER)),
    ("GET", "/klantinteracties/api/v1/actoren/{uuid}", Expect::Only(FIND_CUSTOMERS)),
    ("PUT", "/klantinteracties/api/v1/actoren/{uuid}", Expect::Only(BEHEERDER)),
    ("PATCH", "/klantinteracties/api/v1/actoren/{uuid}", Expect::Only(BEHEERDER)),
    ("DELETE", "/klantinteracties/api/v1/actoren/{uuid}", Expect::Only(BEHEERDER)),
    ("POST", "/klantinteracties/api/v1/maak-klantcontact", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/api/v1/articles", Expect::Only(EVERY_ROLE)),
    ("POST", "/api/v1/articles", Expect::Only(EDITORS)),
    ("GET", "/api/v1/articles/{id}", Expect::Only(EVERY_ROLE)),
    ("PUT", "/api/v1/articles/{id}", Expect::Only(EDITORS)),
    ("PUT", "/api/v1/articles/{id}/ownership", Expect::Only(EDITORS)),
    ("POST", "/api/v1/articles/{id}/transitions", Expect::Only(EDITORS)),
    ("GET", "/api/v1/articles/{id}/versions", Expect::Only(EDITORS)),
    ("GET", "/api/v1/articles/{id}/versions/{version}", Expect::Only(EDITORS)),
    ("POST", "/api/v1/articles/{id}/restore", Expect::Only(EDITORS)),
    ("GET", "/api/v1/articles/{id}/diff", Expect::Only(EDITORS)),
    ("GET", "/api/v1/decision-trees", Expect::Only(EVERY_ROLE)),
    ("POST", "/api/v1/decision-trees", Expect::Only(EDITORS)),
    ("GET", "/api/v1/decision-trees/{id}", Expect::Only(EVERY_ROLE)),
    ("PUT", "/api/v1/decision-trees/{id}", Expect::Only(EDITORS)),
    ("POST", "/api/v1/decision-trees/{id}/transitions", Expect::Only(EDITORS)),
    ("GET", "/api/v1/decision-trees/{id}/versions", Expect::Only(EDITORS)),
    ("GET", "/api/v1/decision-trees/{id}/diff", Expect::Only(EDITORS)),
    ("POST", "/api/v1/decision-trees/{id}/restore", Expect::Only(EDITORS)),
    ("GET", "/api/v1/editor/decision-trees", Expect::Only(EDITORS)),
    ("GET", "/api/v1/notices", Expect::Only(EVERY_ROLE)),
    ("POST", "/api/v1/notices", Expect::Only(NOTICE_WRITERS)),
    ("POST", "/api/v1/notices/{id}/read", Expect::Only(EVERY_ROLE)),
    ("POST", "/api/v1/notices/{id}/end", Expect::Only(NOTICE_WRITERS)),
    ("GET", "/api/v1/notices/{id}/receipts", Expect::Only(NOTICE_WRITERS)),
    ("POST", "/api/v1/articles/{id}/feedback", Expect::Only(EVERY_ROLE)),
    ("POST", "/api/v1/articles/{id}/answered", Expect::Only(EVERY_ROLE)),
    ("GET", "/api/v1/feedback", Expect::Only(EDITORS)),
    ("GET", "/api/v1/feedback/mine", Expect::Only(EVERY_ROLE)),
    ("PATCH", "/api/v1/feedback/{id}", Expect::Only(EDITORS)),
    ("GET", "/api/v1/editor/articles", Expect::Only(EDITORS)),
    // The domain narrows this one: the worklist is the owners' (kennisexperts) and redacteuren's.
    ("GET", "/api/v1/editor/review-worklist", Expect::Only(&[Role::Kennisexpert, Role::Redacteur])),
    ("GET", "/", Expect::AnyUser),
    ("GET", "/login", Expect::Anyone),
    ("POST", "/login", Expect::Anyone),
    ("POST", "/logout", Expect::AnyUser),
    ("GET", "/taal/{lang}", Expect::Anyone),
    ("GET", "/organisatie", Expect::Only(EVERY_ROLE)),
    ("POST", "/organisatie", Expect::Only(BEHEERDER)),
    ("GET", "/beheer/gebruikers", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/gebruikers", Expect::Only(BEHEERDER)),
    ("GET", "/beheer/gebruikers/{id}", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/gebruikers/{id}", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/gebruikers/{id}/wachtwoord", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/gebruikers/{id}/tokens", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/tokens/{id}/intrekken", Expect::Only(BEHEERDER)),
    ("GET", "/klanten", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klanten", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/klanten/{id}", Expect::Only(FIND_CUSTOMERS)),
    ("POST", "/klanten/{id}/contacten", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/contacten/nieuw", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/bureau/gesprekken", Expect::Only(REGISTER_CONTACTS)),
    ("POST", "/contacten", Expect::Only(REGISTER_CONTACTS)),
    ("POST", "/klanten/{id}/verzoeken", Expect::Only(REGISTER_CONTACTS)),
    ("POST", "/klanten/{id}/taken", Expect::Only(REGISTER_CONTACTS)),
    ("POST", "/verzoeken/{id}/status", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/taken", Expect::Only(CALLBACK_WORKERS)),
    ("POST", "/taken/{id}/afronden", Expect::Only(REGISTER_CONTACTS)),
    ("GET", "/kennisbank", Expect::Only(EVERY_ROLE)),
    ("GET", "/kennisbank/{id}", Expect::Only(EVERY_ROLE)),
    ("GET", "/kennisbank/meldingen", Expect::Only(EVERY_ROLE)),
    ("POST", "/kennisbank/{id}/feedback", Expect::Only(EVERY_ROLE)),
    ("POST", "/kennisbank/{id}/beantwoord", Expect::Only(EVERY_ROLE)),
    ("GET", "/redactie/feedback", Expect::Only(EDITORS)),
    ("POST", "/redactie/feedback/{id}", Expect::Only(EDITORS)),
    ("GET", "/redactie", Expect::Only(EDITORS)),
    ("GET", "/redactie/artikelen/nieuw", Expect::Only(EDITORS)),
    ("POST", "/redactie/artikelen", Expect::Only(EDITORS)),
    ("GET", "/redactie/artikelen/{id}", Expect::Only(EDITORS)),
    ("POST", "/redactie/artikelen/{id}", Expect::Only(EDITORS)),
    ("POST", "/redactie/artikelen/{id}/stap", Expect::Only(EDITORS)),
    ("POST", "/redactie/artikelen/{id}/herstel", Expect::Only(EDITORS)),
    ("GET", "/redactie/artikelen/{id}/vergelijk", Expect::Only(EDITORS)),
    ("GET", "/beslisbomen", Expect::Only(EVERY_ROLE)),
    ("GET", "/beslisbomen/{id}", Expect::Only(EVERY_ROLE)),
    ("GET", "/redactie/beslisbomen", Expect::Only(EDITORS)),
    ("POST", "/redactie/beslisbomen", Expect::Only(EDITORS)),
    ("GET", "/redactie/beslisbomen/{id}", Expect::Only(EDITORS)),
    ("POST", "/redactie/beslisbomen/{id}", Expect::Only(EDITORS)),
    ("POST", "/redactie/beslisbomen/{id}/stap", Expect::Only(EDITORS)),
    ("POST", "/redactie/beslisbomen/{id}/herstel", Expect::Only(EDITORS)),
    ("GET", "/redactie/beslisbomen/{id}/vergelijk", Expect::Only(EDITORS)),
    ("GET", "/werkberichten", Expect::Only(EVERY_ROLE)),
    ("POST", "/werkberichten", Expect::Only(NOTICE_WRITERS)),
    ("POST", "/werkberichten/{id}/gelezen", Expect::Only(EVERY_ROLE)),
    ("POST", "/werkberichten/{id}/beeindigen", Expect::Only(NOTICE_WRITERS)),
    ("GET", "/werkberichten/{id}/leesbevestigingen", Expect::Only(NOTICE_WRITERS)),
    ("GET", "/account", Expect::AnyUser),
    ("POST", "/account/wachtwoord", Expect::AnyUser),
    ("GET", "/beheer/verwerkingslog", Expect::Only(BEHEERDER)),
    ("GET", "/beheer/privacy", Expect::Only(BEHEERDER)),
    ("GET", "/beheer/privacy/{id}/export", Expect::Only(BEHEERDER)),
    ("POST", "/beheer/privacy/{id}/wissen", Expect::Only(BEHEERDER)),
    ("GET", "/static/loket.css", Expect::Anyone),
    ("GET", "/static/zoeken.js", Expect::Anyone),
    ("GET", "/static/werkplek.js", Expect::Anyone),
    ("GET", "/static/bureau.js", Expect::Anyone),
    ("GET", "/redactie/zoeken", Expect::Only(REDACTEUR)),
    ("POST", "/redactie/zoeken/concept", Expect::Only(REDACTEUR)),
    ("POST", "/redactie/zoeken/melding", Expect::Only(REDACTEUR)),
    ("GET", "/redactie/zoeken/geleerd", Expect::Only(REDACTEUR)),
    ("POST", "/redactie/zoeken/geleerd/terugzetten", Expect::Only(REDACTEUR)),
    ("GET", "/redactie/synoniemen", Expect::Only(REDACTEUR)),
    ("POST", "/redactie/synoniemen", Expect::Only(REDACTEUR)),
    ("POST", "/redactie/synoniemen/{id}", Expect::Only(REDACTEUR)),
    ("POST", "/redactie/synoniemen/{id}/verwijderen", Expect::Only(REDACTEUR)),
];

fn expected(method: &str, path: &str) -> Option<Expect> {
    EXPECTED.iter().find(|(m, p, _)| *m == method && *p == path).map(|(_, _, e)| *e)
}

fn concrete(path: &str) -> String {
    path.replace("{id}", "0192f5e0-0000-7000-8000-000000000000")
        .replace("{lang}", "en")
        .replace("{version}", "1")
        .replace("{code}", "sms")
}

async fn every_route_admits_exactly_the_roles_its_permission_names(app: &TestApp) {
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((role, app.token(&[role]).await));
    }
    let mut wrong = Vec::new();
    for (method, path, _) in EXPECTED {
        if !app.routes.iter().any(|r| r.method == *method && r.path == *path) {
            wrong.push(format!("{method} {path} is expected but not served"));
        }
    }
    for route in &app.routes {
        let Some(expect) = expected(route.method.as_str(), route.path) else {
            wrong.push(format!("{} {} is served but missing from EXPECTED", route.method, route.path));
            continue;
        };
        let url = app.url(&concrete(route.path));
        // Anonymous: the API answers 401, a page sends the browser to the login form.
        let response = app.client.request(route.method.clone(), &url).send().await.unwrap();
        let status = response.status();
        let to_login = status == 303
            && response.headers().get("location").is_some_and(|l| l.to_str().unwrap().starts_with("/login?terug="));
        let refused = status == 401 || to_login;
        if (expect == Expect::Anyone) == refused {
            let expected = if expect == Expect::Anyone { "public" } else { "a refusal" };
            wrong.push(format!("anonymous {} {} → {status}, expected {expected}", route.method, route.path));
        }
        // Each role, by token (no CSRF involved, so a refusal can only be the permission check).
        for (role, token) in &tokens {
            let status =
                app.client.request(route.method.clone(), &url).bearer_auth(token).send().await.unwrap().status();
            let allowed = match expect {
                Expect::Anyone | Expect::AnyUser => true,
                Expect::Only(roles) => roles.contains(role),
            };
            let refused = status == 401 || status == 403;
            if allowed == refused {
                wrong.push(format!(
                    "{role} {} {} → {status}, expected {}",
                    route.method,
                    route.path,
                    if allowed { "allowed" } else { "403" }
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "routes that disagree with the permission table:\n{}", wrong.join("\n"));
}

async fn a_user_with_several_roles_gets_the_permissions_of_each(app: &TestApp) {
    let token = app.token(&[Role::Klantcontactmedewerker, Role::Beheerder]).await;
    let me: serde_json::Value =
        app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let permissions: Vec<&str> = me["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(permissions.contains(&"view_directory") && permissions.contains(&"read_audit_log"), "{me}");
    assert_eq!(me["authenticated_by"], "token");
}

on_both_backends!(
    every_route_admits_exactly_the_roles_its_permission_names,
    a_user_with_several_roles_gets_the_permissions_of_each,
);
