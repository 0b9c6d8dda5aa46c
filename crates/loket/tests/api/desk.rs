//! The agent's desk: a contact registered with or without a customer, the outcome never
//! defaulted, drafts on the server that only their author sees, and a logout that warns first.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp, csrf_in};
use crate::on_both_backends;

async fn call(app: &TestApp, method: reqwest::Method, token: &str, path: &str, body: Option<&Value>) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn draft(subject: &str) -> Value {
    json!({"fields": {"subject": subject, "channel": "telefoon", "scratchpad": "belt vanuit de auto"}})
}

/// Contacts registered in this test's fresh database.
async fn registered(app: &TestApp) -> usize {
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, page) =
        call(app, reqwest::Method::GET, &admin, "/api/v1/audit-log?action=contact_registered&limit=100", None).await;
    page["entries"].as_array().unwrap().len()
}

async fn desk_form(browser: &Browser) -> (String, String) {
    let page = browser.page("/contacten/nieuw").await;
    assert!(page.contains(">Onderwerp</label>") && page.contains(">Resultaat</label>"), "the pinned labels");
    let started = page
        .split("name=\"started_at\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the desk starts the contact's clock")
        .to_owned();
    (csrf_in(&page).unwrap(), started)
}

async fn a_general_question_is_registered_without_a_customer_and_the_outcome_is_never_defaulted(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&username).await;
    let (csrf, started) = desk_form(&browser).await;
    let mut form = vec![
        ("csrf_token", csrf.clone()),
        ("started_at", started.clone()),
        ("channel", "telefoon".to_owned()),
        ("subject", "Wanneer wordt het grofvuil opgehaald?".to_owned()),
        ("outcome", String::new()),
    ];
    let refused = browser.client.post(browser.url("/contacten")).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 400, "no outcome, no contact");
    let html = refused.text().await.unwrap();
    assert!(html.contains("aria-describedby=\"fout-outcome\""), "the Resultaat field is marked");
    assert!(html.contains("Wanneer wordt het grofvuil opgehaald?"), "what was typed is kept");
    assert_eq!(registered(app).await, 0, "nothing was stored");

    let token = app.token_for(&username).await;
    let id = "0190b3c4-0000-7000-8000-000000000001";
    let (status, _) =
        call(app, reqwest::Method::PUT, &token, &format!("/api/v1/contact-drafts/{id}"), Some(&draft("Grofvuil")))
            .await;
    assert_eq!(status, 200);
    form[4].1 = "zelfstandig_afgehandeld".to_owned();
    form.push(("draft_id", id.to_owned()));
    let saved = browser.client.post(browser.url("/contacten")).form(&form).send().await.unwrap();
    assert_eq!(saved.status(), 303);
    assert_eq!(
        saved.headers()["location"],
        "/contacten/nieuw?melding=geregistreerd",
        "an empty desk for the next call"
    );
    assert_eq!(registered(app).await, 1);
    let (_, left) = call(app, reqwest::Method::GET, &token, "/api/v1/contact-drafts", None).await;
    assert_eq!(left, json!([]), "saving the contact removed its draft");
}

async fn the_customer_page_also_asks_for_the_outcome_and_the_request_type(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let token = app.token_for(&username).await;
    let (status, party) =
        call(app, reqwest::Method::POST, &token, "/api/v1/parties", Some(&crate::contacts::citizen())).await;
    assert_eq!(status, 201, "{party}");
    let browser = app.login(&username).await;
    let path = format!("/klanten/{}", party["id"].as_str().unwrap());
    let page = browser.page(&path).await;
    assert!(page.contains("<option value=\"\">— Kies het resultaat —</option>"), "no outcome chosen beforehand");
    assert!(page.contains("<option value=\"\">— Kies het soort verzoek —</option>"), "no request type beforehand");
    let csrf = csrf_in(&page).unwrap();
    let form = [("csrf_token", csrf.as_str()), ("channel", "telefoon"), ("subject", "Paspoort kwijt")];
    let refused = browser.client.post(browser.url(&format!("{path}/contacten"))).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("Kies het resultaat van het contact."));
}

async fn drafts_are_their_authors_alone(app: &TestApp) {
    let anne = app.token(&[Role::Klantcontactmedewerker]).await;
    let bert = app.token(&[Role::Klantcontactmedewerker]).await;
    let id = "0190b3c4-0000-7000-8000-0000000000aa";
    let path = format!("/api/v1/contact-drafts/{id}");
    let (status, saved) = call(app, reqwest::Method::PUT, &anne, &path, Some(&draft("Parkeervergunning"))).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["fields"]["scratchpad"], "belt vanuit de auto");
    let (status, again) =
        call(app, reqwest::Method::PUT, &anne, &path, Some(&draft("Parkeervergunning bewoner"))).await;
    assert_eq!(status, 200);
    assert_eq!(again["started_at"], saved["started_at"], "the contact started when it was first saved");
    let (_, mine) = call(app, reqwest::Method::GET, &anne, "/api/v1/contact-drafts", None).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "saving twice is one draft");
    assert_eq!(mine[0]["fields"]["subject"], "Parkeervergunning bewoner");

    let (_, theirs) = call(app, reqwest::Method::GET, &bert, "/api/v1/contact-drafts", None).await;
    assert_eq!(theirs, json!([]), "a colleague sees none of them");
    let (status, _) = call(app, reqwest::Method::PUT, &bert, &path, Some(&draft("overschreven"))).await;
    assert_eq!(status, 404, "nor overwrites one");
    let (status, _) = call(app, reqwest::Method::DELETE, &bert, &path, None).await;
    assert_eq!(status, 404, "nor removes one");
    let (_, mine) = call(app, reqwest::Method::GET, &anne, "/api/v1/contact-drafts", None).await;
    assert_eq!(mine[0]["fields"]["subject"], "Parkeervergunning bewoner");

    let long = json!({"fields": {"subject": "x".repeat(201)}});
    let (status, problem) = call(app, reqwest::Method::PUT, &anne, &path, Some(&long)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("subject")));
    for (at, code) in [("-5000-01-01T00:00:00Z", "too_long"), ("2999-01-01T00:00:00Z", "in_future")] {
        let odd = json!({"started_at": at, "fields": {}});
        let (status, problem) = call(app, reqwest::Method::PUT, &anne, &path, Some(&odd)).await;
        assert_eq!((status, problem["errors"][0]["code"].as_str()), (400, Some(code)), "{at}");
    }
    let nobody = json!({"party_id": "0190b3c4-0000-7000-8000-00000000dead", "fields": {}});
    let (status, problem) = call(app, reqwest::Method::PUT, &anne, &path, Some(&nobody)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("party_id")));

    let (status, _) = call(app, reqwest::Method::DELETE, &anne, &path, None).await;
    assert_eq!(status, 204);
    let (_, mine) = call(app, reqwest::Method::GET, &anne, "/api/v1/contact-drafts", None).await;
    assert_eq!(mine, json!([]));
}

async fn an_agent_has_at_most_twenty_open_drafts(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    for i in 0..20 {
        let path = format!("/api/v1/contact-drafts/0190b3c4-0000-7000-8000-{i:012}");
        let (status, _) = call(app, reqwest::Method::PUT, &agent, &path, Some(&draft("Vraag"))).await;
        assert_eq!(status, 200);
    }
    let path = "/api/v1/contact-drafts/0190b3c4-0000-7000-8000-999999999999";
    let (status, problem) = call(app, reqwest::Method::PUT, &agent, path, Some(&draft("Nog een"))).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (400, Some("too_many_drafts")));
    let first = "/api/v1/contact-drafts/0190b3c4-0000-7000-8000-000000000000";
    let (status, _) = call(app, reqwest::Method::PUT, &agent, first, Some(&draft("Bijgewerkt"))).await;
    assert_eq!(status, 200, "an open draft can still be saved");
}

async fn logging_out_with_unsaved_contacts_warns_first_and_then_removes_them(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let token = app.token_for(&username).await;
    let path = "/api/v1/contact-drafts/0190b3c4-0000-7000-8000-0000000000bb";
    call(app, reqwest::Method::PUT, &token, path, Some(&draft("Kapvergunning"))).await;
    let browser = app.login(&username).await;
    let warned = browser
        .client
        .post(browser.url("/logout"))
        .form(&[("csrf_token", browser.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(warned.status(), 200);
    let html = warned.text().await.unwrap();
    assert!(html.contains("nog niet zijn opgeslagen") && html.contains("<strong>1</strong>"), "{html}");
    assert_eq!(browser.client.get(browser.url("/")).send().await.unwrap().status(), 200, "still logged in");
    let (_, kept) = call(app, reqwest::Method::GET, &token, "/api/v1/contact-drafts", None).await;
    assert_eq!(kept.as_array().unwrap().len(), 1, "nothing removed before the agent confirms");

    let confirmed = browser
        .client
        .post(browser.url("/logout"))
        .form(&[("csrf_token", browser.csrf.as_str()), ("bevestigd", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 303);
    let (_, left) = call(app, reqwest::Method::GET, &token, "/api/v1/contact-drafts", None).await;
    assert_eq!(left, json!([]));
}

async fn erasing_a_customer_removes_drafts_about_them(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) =
        call(app, reqwest::Method::POST, &agent, "/api/v1/parties", Some(&crate::contacts::citizen())).await;
    let id = party["id"].as_str().unwrap();
    let about = json!({"party_id": id, "fields": {"subject": "Schuldhulp", "party_name": "Fatma Özdemir"}});
    let (status, _) = call(
        app,
        reqwest::Method::PUT,
        &agent,
        "/api/v1/contact-drafts/0190b3c4-0000-7000-8000-0000000000cc",
        Some(&about),
    )
    .await;
    assert_eq!(status, 200);
    let admin = app.token(&[Role::Beheerder]).await;
    let erase = json!({"reason": "Verzoek van betrokkene"});
    let (status, report) =
        call(app, reqwest::Method::POST, &admin, &format!("/api/v1/parties/{id}/erase"), Some(&erase)).await;
    assert_eq!(status, 200, "{report}");
    let (_, left) = call(app, reqwest::Method::GET, &agent, "/api/v1/contact-drafts", None).await;
    assert_eq!(left, json!([]));
}

async fn finding_the_only_match_opens_it_and_finding_nobody_fills_the_new_customer_form(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let token = app.token_for(&username).await;
    let (_, party) =
        call(app, reqwest::Method::POST, &token, "/api/v1/parties", Some(&crate::contacts::citizen())).await;
    let browser = app.login(&username).await;
    let found = browser.client.get(browser.url("/klanten?q=Özdemir")).send().await.unwrap();
    assert_eq!(found.status(), 303);
    assert_eq!(found.headers()["location"].to_str().unwrap(), format!("/klanten/{}", party["id"].as_str().unwrap()));
    let typo = browser.client.get(browser.url("/klanten?q=%C3%96zdmir")).send().await.unwrap();
    assert_eq!(typo.status(), 303, "a typo in the name still finds the customer");
    let nobody = browser.page("/klanten?q=Jan%20de%20Vries").await;
    assert!(nobody.contains("name=\"surname\" value=\"Vries\""), "the surname is carried over");
    assert!(nobody.contains("value=\"de\""), "and the tussenvoegsel");
    let by_postcode = browser.page("/klanten?q=9999%20ZZ%2012").await;
    assert!(by_postcode.contains("name=\"postcode\" value=\"9999"), "a postcode lands in the postcode field");
    let header = browser.page("/").await;
    assert!(
        header.contains("id=\"kop-klant-q\"") && header.contains("href=\"/contacten/nieuw\""),
        "search and Alt+N on every page"
    );
}

async fn the_start_page_is_the_agents_worklist(app: &TestApp) {
    let (unit, _) = crate::contacts::unit_with_agent(app, "Team Telefonie").await;
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let token = app.token_for(&username).await;
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, me) = call(app, reqwest::Method::GET, &token, "/api/v1/me", None).await;
    let my_id = me["id"].as_str().unwrap();
    let patch = json!({"unit_id": unit});
    let (status, _) = call(app, reqwest::Method::PATCH, &admin, &format!("/api/v1/users/{my_id}"), Some(&patch)).await;
    assert_eq!(status, 200);
    let token = app.token_for(&username).await;
    let (_, party) =
        call(app, reqwest::Method::POST, &token, "/api/v1/parties", Some(&crate::contacts::citizen())).await;
    let mine = json!({"party_id": party["id"], "subject": "Vraag over de aanslag", "assignee": {"kind": "medewerker", "id": my_id}});
    assert_eq!(call(app, reqwest::Method::POST, &token, "/api/v1/callbacks", Some(&mine)).await.0, 201);
    let team = json!({"party_id": party["id"], "subject": "Container niet geleegd", "assignee": {"kind": "eenheid", "id": unit}});
    assert_eq!(call(app, reqwest::Method::POST, &token, "/api/v1/callbacks", Some(&team)).await.0, 201);
    let path = "/api/v1/contact-drafts/0190b3c4-0000-7000-8000-0000000000dd";
    call(app, reqwest::Method::PUT, &token, path, Some(&draft("Parkeren bij het station"))).await;

    let browser = app.login(&username).await;
    let home = browser.page("/").await;
    let open = home.split("id=\"concepten-kop\"").nth(1).expect("open contacts on the start page");
    assert!(open.contains("Parkeren bij het station") && open.contains("concept=0190b3c4-0000-7000-8000-0000000000dd"));
    let for_me = home.split("id=\"mijn-werk-kop\"").nth(1).expect("work for the agent");
    assert!(for_me.starts_with(">Voor u (1)"), "{for_me}");
    assert!(for_me.contains("Vraag over de aanslag"));
    let team_part = home.split("id=\"team-werk-kop\"").nth(1).expect("the team's queue");
    assert!(team_part.contains("Open: <strong>2</strong>") && team_part.contains("Container niet geleegd"));
}

/// The skeletons migration 0022 wrote for the rows of before equal the ones Loket writes.
async fn the_migrations_name_skeletons_equal_the_ones_loket_writes(app: &TestApp) {
    use loket::store::Backend;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let names =
        ["Henk Kramer", "Fatma Özdemir", "Jan de Vries-Janssen", "Yvonne van IJsselmuiden", "Bakkerij 't Hoekje"];
    for name in names {
        let party = json!({"kind": "persoon", "surname": name});
        assert_eq!(call(app, reqwest::Method::POST, &agent, "/api/v1/parties", Some(&party)).await.0, 201);
    }
    let migration = include_str!("../../migrations/sqlite/0022_party_name_skeleton.sql");
    let update = migration.lines().find(|l| l.starts_with("UPDATE parties")).unwrap();
    let by_sql = update
        .replacen("UPDATE parties SET name_skeleton = ", "SELECT name_key, ", 1)
        .replace(';', " AS s FROM parties");
    let rows: Vec<(String, String)> = match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
            sqlx::query_as(&by_sql).fetch_all(&pool).await.unwrap()
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
            sqlx::query_as(&by_sql).fetch_all(&pool).await.unwrap()
        }
    };
    assert_eq!(rows.len(), names.len());
    for (key, sql) in rows {
        assert_eq!(sql, loket::store::parties::name_skeleton(&key), "{key}");
    }
}

/// Reads server-sent events from `path` until one named `event` arrives; its data.
async fn next_event(browser: &Browser, path: &str, event: &str) -> Value {
    let mut response = browser.client.get(browser.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let mut text = String::new();
    // A guard against a hang, not a timing assertion: the stream looks every second.
    let read = async {
        while let Some(chunk) = response.chunk().await.unwrap() {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if let Some(rest) = text.split(&format!("event: {event}\n")).nth(1)
                && let Some(line) = rest.lines().find(|l| l.starts_with("data: "))
            {
                return serde_json::from_str(&line["data: ".len()..]).unwrap();
            }
        }
        panic!("the stream ended before '{event}': {text}");
    };
    tokio::time::timeout(std::time::Duration::from_secs(60), read).await.expect("an event within a minute")
}

async fn an_answered_call_opens_the_desk_with_the_callers_customer(app: &TestApp) {
    let platform = app.token(&[Role::Beheerder]).await;
    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let token = app.token_for(&agent).await;
    let (status, party) =
        call(app, reqwest::Method::POST, &token, "/api/v1/parties", Some(&crate::contacts::citizen())).await;
    assert_eq!(status, 201);
    let party_id = party["id"].as_str().unwrap().to_owned();
    let event = |id: &str, kind: &str, extra: Value| {
        let mut body = json!({"source": "pbx", "call_id": id, "event": kind, "at": chrono::Utc::now().to_rfc3339()});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let post = |body: Value| {
        let platform = platform.clone();
        async move { call(app, reqwest::Method::POST, &platform, "/api/v1/telephony/events", Some(&body)).await }
    };
    let (status, recorded) = post(event("ext", "offered", json!({"caller": "sip:2345@pbx"}))).await;
    assert_eq!(status, 201, "a number that is none still leaves the call in the figures: {recorded}");
    assert_eq!(post(event("p1", "offered", json!({"caller": "+31 6 12345678"}))).await.0, 201);
    let browser = app.login(&agent).await;
    let (status, answered) = post(event("p1", "answered", json!({"agent": agent}))).await;
    assert_eq!(status, 200, "{answered}");
    assert!(answered.get("caller").is_none(), "the number stays out of the call records: {answered}");

    let pop = next_event(&browser, "/bureau/gesprekken", "answered").await;
    let open = pop["open"].as_str().unwrap();
    assert!(open.starts_with("/contacten/nieuw?") && open.contains(pop["call"].as_str().unwrap()), "{pop}");
    let desk = browser.page(open).await;
    assert!(desk.contains("Gesprek aangenomen"), "the desk says which call it is for");
    assert!(desk.contains("06 1234 5678"), "and from which number");
    assert!(
        desk.contains(&format!("name=\"party_id\" id=\"c-party\" value=\"{party_id}\"")),
        "the only customer with that number is attached"
    );
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, log) =
        call(app, reqwest::Method::GET, &admin, "/api/v1/audit-log?action=parties_searched&limit=10", None).await;
    assert!(
        log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor_name"].as_str() == Some(agent.as_str()) && e["detail"]["by"] == "telefoonnummer"),
        "the lookup by number is logged as the agent's: {log}"
    );

    // Another agent cannot open this call; to them it does not exist.
    let other = app.login(&app.user(&[Role::Klantcontactmedewerker]).await).await;
    let response = other.client.get(other.url(open)).send().await.unwrap();
    assert_eq!(response.status(), 404);

    // An unknown number offers a new customer with the number filled in; two customers with
    // one number are offered to choose from.
    assert_eq!(post(event("p2", "offered", json!({"caller": "0201234567"}))).await.0, 201);
    let (_, answered) = post(event("p2", "answered", json!({"agent": agent}))).await;
    let desk = browser.page(&format!("/contacten/nieuw?gesprek={}", answered["id"].as_str().unwrap())).await;
    assert!(desk.contains("Geen klant met dit nummer.") && desk.contains("q=020+123+4567#nieuwe-klant"), "{desk}");
    let mut twin = crate::contacts::citizen();
    twin["given_name"] = json!("Ayse");
    twin["identifiers"] = json!([]);
    assert_eq!(call(app, reqwest::Method::POST, &token, "/api/v1/parties", Some(&twin)).await.0, 201);
    assert_eq!(post(event("p3", "offered", json!({"caller": "0612345678"}))).await.0, 201);
    let (_, answered) = post(event("p3", "answered", json!({"agent": agent}))).await;
    let third = answered["id"].as_str().unwrap().to_owned();
    let desk = browser.page(&format!("/contacten/nieuw?gesprek={third}")).await;
    assert!(desk.contains("Meer klanten hebben dit nummer"), "never a guess between two");
    assert!(desk.contains("name=\"party_id\" id=\"c-party\" value=\"\""), "nobody attached yet");

    // When the call ends its number is gone; the desk still opens for it, without a customer.
    assert_eq!(post(event("p3", "ended", json!({}))).await.0, 200);
    let desk = browser.page(&format!("/contacten/nieuw?gesprek={third}")).await;
    assert!(desk.contains("nummer onbekend of afgeschermd"), "the number was cleared at the end");
    let (status, _) = post(event("p4", "offered", json!({"caller": "anonymous"}))).await;
    assert_eq!(status, 201, "a withheld number is no number, not an error");

    // A call whose end never came: its number is forgotten twelve hours after it arrived.
    assert_eq!(post(event("p5", "offered", json!({"caller": "0612345678"}))).await.0, 201);
    let (_, answered) = post(event("p5", "answered", json!({"agent": agent}))).await;
    let fifth = format!("/contacten/nieuw?gesprek={}", answered["id"].as_str().unwrap());
    assert!(browser.page(&fifth).await.contains("06 1234 5678"));
    let now = chrono::Utc::now();
    use loket::channels::telephony::screen_pop::forget_old_numbers;
    assert_eq!(forget_old_numbers(&app.store, now).await.unwrap(), 0, "not while the call is young");
    assert!(forget_old_numbers(&app.store, now + chrono::Duration::hours(13)).await.unwrap() >= 1);
    assert!(browser.page(&fifth).await.contains("nummer onbekend of afgeschermd"));
}

async fn housekeeping_removes_drafts_nobody_saved_for_a_week(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    for id in ["0190b3c4-0000-7000-8000-0000000000b1", "0190b3c4-0000-7000-8000-0000000000b2"] {
        let path = format!("/api/v1/contact-drafts/{id}");
        assert_eq!(call(app, reqwest::Method::PUT, &agent, &path, Some(&draft("Afvalpas"))).await.0, 200);
    }
    let now = chrono::Utc::now();
    assert_eq!(loket::contacts::drafts::purge_step(&app.store, now).await.unwrap(), 0, "fresh drafts stay");
    assert_eq!(loket::contacts::drafts::purge_step(&app.store, now + chrono::Duration::days(6)).await.unwrap(), 0);
    let later = now + chrono::Duration::days(7) + chrono::Duration::minutes(1);
    assert_eq!(loket::contacts::drafts::purge_step(&app.store, later).await.unwrap(), 2, "a week untouched: gone");
    let (_, mine) = call(app, reqwest::Method::GET, &agent, "/api/v1/contact-drafts", None).await;
    assert_eq!(mine, json!([]));
}

async fn names_written_before_the_name_words_are_found_after_the_backfill(app: &TestApp) {
    use loket::store::Backend;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    for name in ["Kramer", "van 't Hek-Jansen"] {
        let party = json!({"kind": "persoon", "given_name": "Henk", "surname": name});
        assert_eq!(call(app, reqwest::Method::POST, &agent, "/api/v1/parties", Some(&party)).await.0, 201);
    }
    let found = |q: &'static str| {
        let agent = agent.clone();
        async move {
            let (_, list) = call(app, reqwest::Method::GET, &agent, &format!("/api/v1/parties?q={q}"), None).await;
            list.as_array().map_or(0, Vec::len)
        }
    };
    assert_eq!((found("henk+kram").await, found("hek+jans").await, found("Kramr").await), (1, 1, 1));
    // As a database from before migration 0024 holds them: no name words, the backfill to do.
    let before = ["DELETE FROM party_name_words", "INSERT INTO store_backfills (name) VALUES ('party_name_words')"];
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
            for s in before {
                sqlx::query(s).execute(&pool).await.unwrap();
            }
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
            for s in before {
                sqlx::query(s).execute(&pool).await.unwrap();
            }
        }
    }
    assert_eq!(found("henk+kram").await, 0, "the search reads the name words");
    app.store.migrate().await.unwrap();
    assert_eq!((found("henk+kram").await, found("hek+jans").await, found("Kramr").await), (1, 1, 1), "filled once");
    assert!(!loket::store::parties::backfill_name_words(&app.store, |_| {}).await.unwrap(), "and done");
}

on_both_backends!(
    a_general_question_is_registered_without_a_customer_and_the_outcome_is_never_defaulted,
    the_customer_page_also_asks_for_the_outcome_and_the_request_type,
    drafts_are_their_authors_alone,
    an_agent_has_at_most_twenty_open_drafts,
    logging_out_with_unsaved_contacts_warns_first_and_then_removes_them,
    erasing_a_customer_removes_drafts_about_them,
    finding_the_only_match_opens_it_and_finding_nobody_fills_the_new_customer_form,
    the_start_page_is_the_agents_worklist,
    the_migrations_name_skeletons_equal_the_ones_loket_writes,
    an_answered_call_opens_the_desk_with_the_callers_customer,
    housekeeping_removes_drafts_nobody_saved_for_a_week,
    names_written_before_the_name_words_are_found_after_the_backfill,
);
