//! Callback requests (terugbelverzoeken) from creation to the contact they become, who may see
//! and take them, the SLA
//! policy that sets their due time, the figures they count in, and the contact reports.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::contacts::{citizen, unit_with_agent};
use crate::helpers::TestApp;
use crate::on_both_backends;

pub(crate) async fn call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    call(app, reqwest::Method::POST, token, path, Some(body)).await
}

pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(app, reqwest::Method::GET, token, path, None).await
}

/// A policy where the office never closes, so due times are plain arithmetic.
async fn always_open(app: &TestApp, max_attempts: u32, target: Value) {
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, mut policy) = get(app, &admin, "/api/v1/sla-policy").await;
    let all_day = json!([{"opens": "00:00:00", "closes": "00:00:00"}]);
    policy["hours"] = json!({"week": [all_day, all_day, all_day, all_day, all_day, all_day, all_day],
        "closures": [], "closed_on_holidays": false});
    policy["targets"]["terugbelverzoek"] = target;
    policy["callbacks"]["max_attempts"] = json!(max_attempts);
    let (status, saved) = call(app, reqwest::Method::PUT, &admin, "/api/v1/sla-policy", Some(&policy)).await;
    assert_eq!(status, 200, "{saved}");
}

fn seconds_between(a: &Value, b: &Value) -> i64 {
    let t = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    (t(b) - t(a)).num_seconds()
}

async fn a_callback_goes_to_its_team_is_claimed_and_a_successful_attempt_becomes_a_contact(app: &TestApp) {
    always_open(app, 3, json!({"kind": "open_seconds", "seconds": 7200})).await;
    let (unit, agent) = unit_with_agent(app, "Team Belastingen").await;
    let (_, colleague) = unit_with_agent(app, "Team Parkeren").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let request = json!({"party_id": party["id"], "subject": "Vraag over de WOZ-beschikking",
        "note": "Wil weten waarom de waarde zo gestegen is.", "assignee": {"kind": "eenheid", "id": unit}});
    let (status, created) = post(app, &agent, "/api/v1/callbacks", &request).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["phone"], "+31612345678", "the party's own number, in E.164");
    assert_eq!(created["assignee"]["name"], "Team Belastingen");
    assert_eq!(seconds_between(&created["created_at"], &created["due_at"]), 7200, "two open hours");
    assert_eq!(created["remaining"]["overdue"], false);
    let id = created["id"].as_str().unwrap();

    let (_, queue) = get(app, &agent, "/api/v1/callbacks").await;
    assert_eq!(queue.as_array().unwrap().len(), 1, "the agent's team queue: {queue}");
    let (_, other) = get(app, &colleague, "/api/v1/callbacks").await;
    assert_eq!(other, json!([]), "another team's queue is empty");

    let (status, claimed) = post(app, &agent, &format!("/api/v1/callbacks/{id}/claim"), &json!({})).await;
    assert_eq!((status, claimed["assignee"]["kind"].as_str()), (200, Some("medewerker")));
    let (status, _) = post(app, &colleague, &format!("/api/v1/callbacks/{id}/claim"), &json!({})).await;
    assert_eq!(status, 403, "a colleague cannot take it from the one who holds it");
    let (_, mine) = get(app, &agent, "/api/v1/callbacks?queue=mine").await;
    assert_eq!(mine[0]["id"], id);

    let attempt = json!({"result": "bereikt", "note": "Uitgelegd hoe bezwaar werkt.", "response": "Dient bezwaar in."});
    let (status, done) = post(app, &agent, &format!("/api/v1/callbacks/{id}/attempts"), &attempt).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!((done["status"].as_str(), done["outcome"].as_str()), (Some("verwerkt"), Some("bereikt")));
    assert_eq!(done["attempts"], 1);
    let contact_id = done["result_contact_id"].as_str().unwrap();
    let (_, contact) = get(app, &agent, &format!("/api/v1/contacts/{contact_id}")).await;
    assert_eq!(contact["channel"], "telefoon");
    assert_eq!(contact["subject"], "Vraag over de WOZ-beschikking");
    assert_eq!(contact["participants"][0]["party_id"], party["id"], "the contact is with the same party");
    assert_eq!(contact["outcome"], "zelfstandig_afgehandeld");

    let (status, _) = post(app, &agent, &format!("/api/v1/callbacks/{id}/attempts"), &attempt).await;
    assert_eq!(status, 409, "a closed callback takes no more attempts");
    let (_, timeline) = get(app, &agent, &format!("/api/v1/parties/{}/timeline", party["id"].as_str().unwrap())).await;
    let kinds: Vec<&str> = timeline["items"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"callback") && kinds.contains(&"contact"), "{kinds:?}");
    let item = timeline["items"].as_array().unwrap().iter().find(|i| i["type"] == "callback").unwrap();
    assert_eq!(item["attempt_log"][0]["result"], "bereikt");
}

async fn failed_attempts_wait_the_spacing_and_the_last_allowed_one_closes_it_as_not_reached(app: &TestApp) {
    always_open(app, 1, json!({"kind": "working_day", "later_days": 0})).await;
    let (unit, agent) = unit_with_agent(app, "Team Zorg").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let make = json!({"party_id": party["id"], "phone": "020 555 1234", "subject": "Wmo-aanvraag",
        "assignee": {"kind": "eenheid", "id": unit}});
    let (_, first) = post(app, &agent, "/api/v1/callbacks", &make).await;
    assert_eq!(first["phone"], "+31205551234", "a number typed Dutch-style");
    let id = first["id"].as_str().unwrap();
    let (status, closed) =
        post(app, &agent, &format!("/api/v1/callbacks/{id}/attempts"), &json!({"result": "geen_gehoor"})).await;
    assert_eq!(status, 201, "an attempt straight from the queue claims it: {closed}");
    assert_eq!((closed["outcome"].as_str(), closed["status"].as_str()), (Some("niet_bereikt"), Some("verwerkt")));
    assert_eq!(closed["result_contact_id"], Value::Null, "nobody was reached, so no contact");

    always_open(app, 3, json!({"kind": "working_day", "later_days": 0})).await;
    let (_, second) = post(app, &agent, "/api/v1/callbacks", &make).await;
    let id = second["id"].as_str().unwrap();
    let path = format!("/api/v1/callbacks/{id}/attempts");
    let (_, after) = post(app, &agent, &path, &json!({"result": "voicemail", "note": "Ingesproken"})).await;
    assert_eq!((after["status"].as_str(), after["attempts"].as_i64()), (Some("te_verwerken"), Some(1)));
    assert_eq!(seconds_between(&after["attempt_log"][0]["at"], &after["next_attempt_at"]), 3600, "the default hour");
    let (status, problem) = post(app, &agent, &path, &json!({"result": "geen_gehoor"})).await;
    assert_eq!(status, 409, "too soon: {problem}");
    assert!(problem["detail"].as_str().unwrap().contains("volgende belpoging"));
    // A wrong number closes a callback at its first attempt.
    let (_, third) = post(app, &agent, "/api/v1/callbacks", &make).await;
    let path = format!("/api/v1/callbacks/{}/attempts", third["id"].as_str().unwrap());
    let (status, wrong) = post(app, &agent, &path, &json!({"result": "verkeerd_nummer"})).await;
    assert_eq!((status, wrong["outcome"].as_str()), (201, Some("verkeerd_nummer")));
}

async fn only_the_holder_or_a_team_lead_hands_a_callback_over_or_returns_it(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Burgerzaken").await;
    let (other_unit, colleague) = unit_with_agent(app, "Team Vergunningen").await;
    let lead = app.token(&[Role::Teamleider]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let make =
        json!({"party_id": party["id"], "subject": "Paspoort kwijt", "assignee": {"kind": "eenheid", "id": unit}});
    let (_, created) = post(app, &agent, "/api/v1/callbacks", &make).await;
    let id = created["id"].as_str().unwrap();
    post(app, &agent, &format!("/api/v1/callbacks/{id}/claim"), &json!({})).await;

    let to_other = json!({"assignee": {"kind": "eenheid", "id": other_unit}});
    let (status, _) = post(app, &colleague, &format!("/api/v1/callbacks/{id}/reassign"), &to_other).await;
    assert_eq!(status, 403, "not the colleague's to give away");
    let (status, _) = post(app, &colleague, &format!("/api/v1/callbacks/{id}/return"), &json!({})).await;
    assert_eq!(status, 403);
    let (status, back) = post(app, &agent, &format!("/api/v1/callbacks/{id}/return"), &json!({})).await;
    assert_eq!((status, back["assignee"]["name"].as_str()), (200, Some("Team Burgerzaken")));
    let (status, _) = post(app, &colleague, &format!("/api/v1/callbacks/{id}/claim"), &json!({})).await;
    assert_eq!(status, 403, "another team's queue is not the colleague's to take from");
    let (status, _) = get(app, &colleague, &format!("/api/v1/callbacks?queue={unit}")).await;
    assert_eq!(status, 403, "nor to read");
    let (status, _) = get(app, &colleague, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(status, 403, "not even one callback of that queue");
    let (status, _) = get(app, &lead, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(status, 200, "a team lead reads any");

    let (status, moved) = post(app, &lead, &format!("/api/v1/callbacks/{id}/reassign"), &to_other).await;
    assert_eq!((status, moved["unit_id"].as_str()), (200, Some(other_unit.as_str())), "{moved}");
    let (_, queue) = get(app, &colleague, "/api/v1/callbacks").await;
    assert_eq!(queue[0]["id"], id, "now in the other team's queue");
    let (status, _) = get(app, &colleague, &format!("/api/v1/callbacks/{id}")).await;
    assert_eq!(status, 200, "and so the colleague's to read");
    let (_, all) = get(app, &lead, "/api/v1/callbacks?queue=all").await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    let (status, _) = get(app, &agent, "/api/v1/callbacks?queue=all").await;
    assert_eq!(status, 403, "every team's queue is for team leads");
    let reads = {
        let admin = app.token(&[Role::Beheerder]).await;
        get(app, &admin, "/api/v1/audit-log?action=callbacks_listed").await.1
    };
    assert!(reads["entries"].as_array().unwrap().iter().all(|e| e["purpose"] == "klantcontact"), "{reads}");
}

async fn bad_callback_input_is_refused_by_field_and_stores_nothing(app: &TestApp) {
    let (_, agent) = unit_with_agent(app, "Team Afval").await;
    let (status, problem) = post(
        app,
        &agent,
        "/api/v1/callbacks",
        &json!({"subject": "", "phone": "12", "window_from": "2020-01-01T10:00:00Z", "window_to": "2020-01-01T09:00:00Z",
            "assignee": {"kind": "geautomatiseerd", "name": "bot"}}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["subject", "window_to", "assignee.kind", "phone"]);
    let (status, problem) = post(
        app,
        &agent,
        "/api/v1/callbacks",
        &json!({"subject": "Zonder nummer", "assignee": {"kind": "eenheid", "id": "0192f5e0-0000-7000-8000-000000000000"}}),
    )
    .await;
    assert_eq!(status, 400);
    let codes: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["unknown_assignee", "required"]);
    let (_, queue) = get(app, &agent, "/api/v1/callbacks?queue=mine").await;
    assert_eq!(queue, json!([]));
    let (status, _) = post(
        app,
        &agent,
        "/api/v1/callbacks/0192f5e0-0000-7000-8000-000000000000/attempts",
        &json!({"result": "bereikt"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, problem) = post(
        app,
        &agent,
        "/api/v1/callbacks/0192f5e0-0000-7000-8000-000000000000/attempts",
        &json!({"result": "misschien"}),
    )
    .await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (400, Some("unknown_attempt_result")));
}

async fn an_invalid_sla_policy_is_refused_whole_and_a_valid_one_is_audited(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, mut policy) = get(app, &admin, "/api/v1/sla-policy").await;
    assert_eq!(policy["targets"]["telefoon"], json!({"kind": "open_seconds", "seconds": 30}));
    assert_eq!(policy["targets"]["e-mail"], json!({"kind": "working_day", "later_days": 1}));
    let original = policy.clone();
    policy["targets"]["postduif"] = json!({"kind": "open_seconds", "seconds": 5});
    policy["callbacks"]["max_attempts"] = json!(0);
    let (status, problem) = call(app, reqwest::Method::PUT, &admin, "/api/v1/sla-policy", Some(&policy)).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["targets.postduif", "callbacks.max_attempts"]);
    let (_, unchanged) = get(app, &admin, "/api/v1/sla-policy").await;
    assert_eq!(unchanged, original, "nothing partial was stored");

    let mut policy = original.clone();
    policy["targets"]["chat"] = json!({"kind": "open_seconds", "seconds": 45});
    policy["hours"]["closures"] = json!(["2026-12-24", "2026-12-24"]);
    let (status, saved) = call(app, reqwest::Method::PUT, &admin, "/api/v1/sla-policy", Some(&policy)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["hours"]["closures"], json!(["2026-12-24"]), "a closure once");
    let (_, log) = get(app, &admin, "/api/v1/audit-log?action=sla_policy_changed").await;
    assert_eq!(log["entries"].as_array().unwrap().len(), 1);
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, _) = call(app, reqwest::Method::PUT, &agent, "/api/v1/sla-policy", Some(&policy)).await;
    assert_eq!(status, 403);
}

async fn callback_figures_count_what_was_created_closed_and_on_time(app: &TestApp) {
    always_open(app, 3, json!({"kind": "open_seconds", "seconds": 3600})).await;
    let (unit, agent) = unit_with_agent(app, "Team Wonen").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let make = json!({"party_id": party["id"], "subject": "Huurtoeslag", "assignee": {"kind": "eenheid", "id": unit}});
    let (_, one) = post(app, &agent, "/api/v1/callbacks", &make).await;
    post(app, &agent, "/api/v1/callbacks", &make).await;
    let path = format!("/api/v1/callbacks/{}/attempts", one["id"].as_str().unwrap());
    post(app, &agent, &path, &json!({"result": "bereikt"})).await;

    let lead = app.token(&[Role::Teamleider]).await;
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    let (status, report) = get(app, &lead, &format!("/api/v1/reports/callbacks?from={today}&to={today}")).await;
    assert_eq!(status, 200, "{report}");
    let f = &report["figures"];
    assert_eq!((f["created"].as_i64(), f["completed"].as_i64(), f["reached"].as_i64()), (Some(2), Some(1), Some(1)));
    assert_eq!(f["attempts_per_callback"], 1.0);
    // Neither is due yet (an hour from now), so on time has nothing to count.
    assert_eq!((f["due"].as_i64(), f["on_time_rate"].clone()), (Some(0), Value::Null));
    assert_eq!(f["open_by_age"][0]["count"], 1, "one open, younger than four hours");
    assert_eq!(report["definition"], "/kpi#callback_on_time");

    let (_, board) = get(app, &lead, "/api/v1/reports/wallboard").await;
    assert_eq!(board["callbacks"]["open"], 1, "{board}");
    let (status, page) = {
        let response = app.client.get(app.url("/rapportages")).bearer_auth(&lead).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(page.contains("Terugbelverzoeken") && page.contains("id=\"cb-on-time\""), "the reports page shows them");
    assert!(page.contains("/rapportages/terugbelverzoeken?from="), "each callback figure leads to its callbacks");

    // Behind each figure, exactly the callbacks it counts.
    for (figure, expected) in [("created", 2), ("completed", 1), ("reached", 1), ("due", 0), ("on_time", 0)] {
        let path = format!("/api/v1/reports/callbacks/items?from={today}&to={today}&figure={figure}");
        let (status, items) = get(app, &lead, &path).await;
        assert_eq!(status, 200, "{items}");
        assert_eq!(items["total"], f[figure], "{figure}");
        assert_eq!(items["items"].as_array().unwrap().len(), expected, "{figure}: {items}");
    }
    let (_, first) = get(app, &lead, &format!("/api/v1/reports/callbacks/items?from={today}&to={today}&limit=1")).await;
    assert_eq!(first["items"][0]["subject"], "Huurtoeslag");
    assert!(first["items"][0].get("phone").is_none(), "no number in a report list");
    let next = first["next"].as_str().expect("a second page");
    let path = format!("/api/v1/reports/callbacks/items?from={today}&to={today}&limit=1&after={next}");
    let (_, second) = get(app, &lead, &path).await;
    assert_ne!(second["items"][0]["id"], first["items"][0]["id"]);
    assert_eq!(second["next"], Value::Null, "two created, two pages of one");
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, log) = get(app, &admin, "/api/v1/audit-log?action=callbacks_listed").await;
    assert!(log["entries"].as_array().unwrap().iter().any(|e| e["purpose"] == "rapportage"), "{log}");
    let (status, problem) = get(app, &lead, "/api/v1/reports/callbacks/items?figure=vergeten&limit=5000").await;
    assert_eq!(status, 400);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["figure", "limit"]);
    let response = app
        .client
        .get(app.url(&format!("/rapportages/terugbelverzoeken?from={today}&to={today}&figure=reached")))
        .bearer_auth(&lead)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let list = response.text().await.unwrap();
    assert!(list.contains("Afgerond als bereikt") && list.contains("Huurtoeslag"), "{list}");
}

on_both_backends!(
    a_callback_goes_to_its_team_is_claimed_and_a_successful_attempt_becomes_a_contact,
    failed_attempts_wait_the_spacing_and_the_last_allowed_one_closes_it_as_not_reached,
    only_the_holder_or_a_team_lead_hands_a_callback_over_or_returns_it,
    bad_callback_input_is_refused_by_field_and_stores_nothing,
    an_invalid_sla_policy_is_refused_whole_and_a_valid_one_is_audited,
    callback_figures_count_what_was_created_closed_and_on_time,
    contact_volumes_fcr_and_response_times_say_what_they_count,
    every_contact_figure_lists_exactly_the_contacts_it_counts,
    a_task_with_a_due_time_shows_the_time_left_and_is_flagged_near_its_end,
    the_addressed_team_is_told_by_mail_without_the_citizens_details,
    two_processes_delivering_at_once_send_each_mail_once,
);

async fn contact_volumes_fcr_and_response_times_say_what_they_count(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let now = chrono::Utc::now();
    let ago = |days: i64| (now - chrono::Duration::days(days)).to_rfc3339();
    for (channel, subject, days, outcome) in [
        ("telefoon", "Bladkorf", 20, "doorverbonden"),
        ("chat", "bladkorf ", 18, "zelfstandig_afgehandeld"),
        ("telefoon", "Paspoort", 15, "zelfstandig_afgehandeld"),
        ("e-mail", "Paspoort", 2, "zelfstandig_afgehandeld"),
    ] {
        let body = json!({"channel": channel, "subject": subject, "started_at": ago(days), "outcome": outcome,
            "participants": [{"party_id": party["id"]}]});
        let (status, created) = post(app, &agent, "/api/v1/contacts", &body).await;
        assert_eq!(status, 201, "{created}");
    }
    let lead = app.token(&[Role::Teamleider]).await;
    let from = (now - chrono::Duration::days(30)).date_naive();
    let to = now.date_naive() + chrono::Duration::days(1);
    let path = |by: &str| format!("/api/v1/reports/contacts?from={from}&to={to}&by={by}");
    let (status, by_channel) = get(app, &lead, &path("channel")).await;
    assert_eq!(status, 200, "{by_channel}");
    assert_eq!(by_channel["total"], 4);
    assert_eq!(by_channel["rows"][0]["key"], "telefoon", "largest first");
    assert_eq!(by_channel["rows"][0]["contacts"], 2);
    assert_eq!(by_channel["rows"][0]["share"], 0.5);
    assert_eq!(by_channel["definition"], "/kpi#contact_volume");
    let (_, by_subject) = get(app, &lead, &path("subject")).await;
    let subjects: Vec<(String, i64)> = by_subject["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["key"].as_str().unwrap().to_owned(), r["contacts"].as_i64().unwrap()))
        .collect();
    assert_eq!(subjects, [("bladkorf".to_owned(), 2), ("paspoort".to_owned(), 2)], "case and spaces folded");
    let fcr = &by_channel["fcr"];
    assert_eq!((fcr["resolved_by_agent"].as_i64(), fcr["contact_made"].as_i64()), (Some(3), Some(4)));
    // The e-mail of two days ago is too recent to judge; the first Bladkorf call had a repeat,
    // and the Paspoort call's repeat came after 13 days (outside the 7).
    assert_eq!((fcr["without_repeat"].as_i64(), fcr["with_party"].as_i64()), (Some(2), Some(3)), "{fcr}");
    let phone = by_channel["response"].as_array().unwrap().iter().find(|r| r["channel"] == "Telefoon").unwrap();
    assert_eq!((phone["target"].as_str(), phone["rate"].clone()), (Some("30 s"), Value::Null), "no calls: n/a");
    let (status, problem) =
        get(app, &lead, &format!("/api/v1/reports/contacts?by=maanstand&from={to}&to={from}")).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["by", "to"]);
}

async fn every_contact_figure_lists_exactly_the_contacts_it_counts(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let now = chrono::Utc::now();
    for (channel, subject, days, outcome, with_party) in [
        ("telefoon", "Bladkorf", 20, "doorverbonden", true),
        ("chat", "bladkorf ", 18, "zelfstandig_afgehandeld", true),
        ("telefoon", "Paspoort", 15, "zelfstandig_afgehandeld", true),
        ("telefoon", "Parkeren", 12, "zelfstandig_afgehandeld", false),
        ("e-mail", "Paspoort", 2, "zelfstandig_afgehandeld", true),
    ] {
        let participants = if with_party { json!([{"party_id": party["id"]}]) } else { json!([]) };
        let body = json!({"channel": channel, "subject": subject, "outcome": outcome, "participants": participants,
            "started_at": (now - chrono::Duration::days(days)).to_rfc3339()});
        let (status, created) = post(app, &agent, "/api/v1/contacts", &body).await;
        assert_eq!(status, 201, "{created}");
    }
    let lead = app.token(&[Role::Teamleider]).await;
    let from = (now - chrono::Duration::days(30)).date_naive();
    let to = now.date_naive();
    let period = format!("from={from}&to={to}");
    for by in ["channel", "subject", "outcome", "unit", "hour", "weekday"] {
        let (_, report) = get(app, &lead, &format!("/api/v1/reports/contacts?{period}&by={by}")).await;
        let (_, all) = get(app, &lead, &format!("/api/v1/reports/contacts/items?{period}&by={by}")).await;
        assert_eq!(all["total"], report["total"], "the whole volume, by {by}");
        for row in report["rows"].as_array().unwrap() {
            let key = row["key"].as_str().unwrap();
            let path = format!("/api/v1/reports/contacts/items?{period}&by={by}&key={}", urlencode(key));
            let (status, items) = get(app, &lead, &path).await;
            assert_eq!(status, 200, "{items}");
            assert_eq!(items["total"], row["contacts"], "by {by}, row {key}: {items}");
            assert_eq!(items["items"].as_array().unwrap().len() as i64, row["contacts"].as_i64().unwrap());
            assert_eq!(items["label"], row["label"]);
        }
    }
    let (_, report) = get(app, &lead, &format!("/api/v1/reports/contacts?{period}")).await;
    for figure in ["contact_made", "resolved_by_agent", "with_party", "without_repeat"] {
        let (_, items) = get(app, &lead, &format!("/api/v1/reports/contacts/items?{period}&figure={figure}")).await;
        assert_eq!(items["total"], report["fcr"][figure], "{figure}: {items}");
        assert_eq!(items["definition"], if figure.starts_with("with") { "/kpi#fcr_repeat" } else { "/kpi#fcr_agent" });
    }
    assert_eq!(report["fcr"]["with_party"], 3, "the anonymous call and the recent e-mail are not judged");
    let (_, free) = get(app, &lead, &format!("/api/v1/reports/contacts/items?{period}&figure=without_repeat")).await;
    let subjects: Vec<&str> =
        free["items"].as_array().unwrap().iter().map(|i| i["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, ["bladkorf", "Paspoort"], "the first Bladkorf call had a repeat; earliest first");

    // A page at a time: the pages together are the figure, each contact once.
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/reports/contacts/items?{period}&limit=2");
    loop {
        let (status, page) = get(app, &lead, &path).await;
        assert_eq!(status, 200, "{page}");
        seen.extend(page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/reports/contacts/items?{period}&limit=2&after={}", urlencode(next)),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (5, 5), "{seen:?}");

    let admin = app.token(&[Role::Beheerder]).await;
    let (_, log) = get(app, &admin, "/api/v1/audit-log?action=contacts_listed").await;
    let entry = &log["entries"][0];
    assert_eq!(entry["purpose"], "rapportage", "{log}");

    let (_, typed) =
        get(app, &lead, &format!("/api/v1/reports/contacts/items?{period}&by=subject&key=%20BLADKORF")).await;
    assert_eq!(typed["total"], 2, "a subject key is folded as the report folds it");

    let (status, problem) =
        get(app, &lead, &format!("/api/v1/reports/contacts/items?{period}&figure=geluk&limit=0&after=gisteren")).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["figure", "after", "limit"]);
    let (status, problem) =
        get(app, &lead, &format!("/api/v1/reports/contacts/items?{period}&figure=with_party&key=telefoon")).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("key")), "a row belongs to the volume");

    // On the screen: the report links each figure to its contacts, and the list links to the customer.
    let lead = lead.as_str();
    let page = |path: String| async move {
        let response = app.client.get(app.url(&path)).bearer_auth(lead).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    let (status, reports) = page(format!("/rapportages?{period}&per=subject")).await;
    assert_eq!(status, 200);
    assert!(reports.contains("/rapportages/contacten?from="), "drill-down links on the reports page");
    assert!(reports.contains("figure=without_repeat"), "the FCR counts link too");
    let (status, list) = page(format!("/rapportages/contacten?{period}&by=subject&key=bladkorf")).await;
    assert_eq!(status, 200, "{list}");
    assert!(list.contains("Contacten achter het cijfer") && list.contains("onderwerp Bladkorf"), "{list}");
    assert_eq!(list.matches("href=\"/klanten/").count(), 2, "both Bladkorf contacts lead to the customer");
    let (status, _) = page(format!("/rapportages/contacten?{period}&figure=geluk")).await;
    assert_eq!(status, 400);
}

async fn a_task_with_a_due_time_shows_the_time_left_and_is_flagged_near_its_end(app: &TestApp) {
    always_open(app, 3, json!({"kind": "open_seconds", "seconds": 3600})).await;
    let (unit, teammate) = unit_with_agent(app, "Team Wonen").await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let now = chrono::Utc::now();
    for (action, minutes) in [("Huurcontract opvragen", 30), ("Woningruil beoordelen", 24 * 60)] {
        let task = json!({"party_id": party["id"], "action": action, "assignee": {"kind": "eenheid", "id": unit},
            "due_at": (now + chrono::Duration::minutes(minutes)).to_rfc3339()});
        let (status, created) = post(app, &agent, "/api/v1/tasks", &task).await;
        assert_eq!(status, 201, "{created}");
    }
    let (_, worklist) = get(app, &teammate, "/api/v1/tasks").await;
    let soon = &worklist[0];
    assert_eq!(soon["action"], "Huurcontract opvragen", "the first due first: {worklist}");
    let left = soon["remaining"]["open_s"].as_i64().unwrap();
    assert!((1700..=1800).contains(&left), "half an hour of open time left ({left} s)");
    assert_eq!(
        (soon["remaining"]["near_breach"].as_bool(), soon["remaining"]["overdue"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(worklist[1]["remaining"]["near_breach"], false);

    let response = app.client.get(app.url("/taken")).bearer_auth(&teammate).send().await.unwrap();
    let page = response.text().await.unwrap();
    assert_eq!(page.matches("Bijna te laat").count(), 1, "only the task due in half an hour is flagged");
    assert!(page.contains("urgency-near"));

    let lead = app.token(&[Role::Teamleider]).await;
    let (_, board) = get(app, &lead, "/api/v1/reports/wallboard").await;
    let risks = board["at_risk"].as_array().unwrap();
    let task = risks.iter().find(|a| a["kind"] == "opvolging").expect("the task is on the wall board");
    assert_eq!(
        (task["subject"].as_str(), task["holder"].as_str()),
        (Some("Huurcontract opvragen"), Some("Team Wonen"))
    );
    assert_eq!(risks.iter().filter(|a| a["kind"] == "opvolging").count(), 1, "the one due tomorrow is not at risk");
    let response = app.client.get(app.url("/wandbord")).bearer_auth(&lead).send().await.unwrap();
    assert!(response.text().await.unwrap().contains("Taak: Huurcontract opvragen"));
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap().trim_start_matches("v=").to_owned()
}

/// Collects what would have been sent.
#[derive(Default)]
pub(crate) struct Postbox(pub(crate) std::sync::Mutex<Vec<loket::mail::Outgoing>>);

impl loket::mail::Sender for Postbox {
    async fn send(&self, mail: loket::mail::Outgoing) -> Result<(), String> {
        self.0.lock().unwrap().push(mail);
        Ok(())
    }
}

/// A postbox whose every delivery takes a while, so two delivery steps overlap.
#[derive(Default)]
struct SlowPostbox(Postbox);

impl loket::mail::Sender for SlowPostbox {
    async fn send(&self, mail: loket::mail::Outgoing) -> Result<(), String> {
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
        self.0.send(mail).await
    }
}

async fn two_processes_delivering_at_once_send_each_mail_once(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let unit = json!({"name": "Bijzondere Bijstand", "kind": "afdeling", "email": "bijstand@gemeente.example"});
    let (status, unit) = post(app, &admin, "/api/v1/units", &unit).await;
    assert_eq!(status, 201, "{unit}");
    let (_, agent) = unit_with_agent(app, "Team Balie").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    for subject in ["Bewindvoering", "Witgoed", "Woonkosten"] {
        let body =
            json!({"party_id": party["id"], "subject": subject, "assignee": {"kind": "eenheid", "id": unit["id"]}});
        let (status, created) = post(app, &agent, "/api/v1/callbacks", &body).await;
        assert_eq!(status, 201, "{created}");
    }
    let other = app.another_process().await;
    let (here, there) = (SlowPostbox::default(), SlowPostbox::default());
    let (a, b) = tokio::join!(
        loket::mail::deliver_step(&app.store, &here, "https://kcc.gemeente.example"),
        loket::mail::deliver_step(&other.store, &there, "https://kcc.gemeente.example"),
    );
    assert_eq!(a.unwrap() + b.unwrap(), 3, "each mail sent by one of the two");
    let delivered = here.0.0.lock().unwrap().len() + there.0.0.lock().unwrap().len();
    assert_eq!(delivered, 3, "none twice");
}

async fn the_addressed_team_is_told_by_mail_without_the_citizens_details(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let (status, unit) = post(
        app,
        &admin,
        "/api/v1/units",
        &json!({"name": "Team Leerlingenvervoer", "kind": "afdeling", "email": "leerlingenvervoer@gemeente.example"}),
    )
    .await;
    assert_eq!(status, 201, "{unit}");
    let (_, agent) = unit_with_agent(app, "Team Zonder Adres").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let make = |unit: &Value| {
        json!({"party_id": party["id"], "subject": "Taxibus kwam niet", "note": "Dochter stond een uur te wachten.",
            "assignee": {"kind": "eenheid", "id": unit["id"]}})
    };
    let (status, _) = post(app, &agent, "/api/v1/callbacks", &make(&unit)).await;
    assert_eq!(status, 201);
    // A team without an address gets no mail (and nothing fails).
    let (_, own) = get(app, &admin, "/api/v1/units").await;
    let silent = own.as_array().unwrap().iter().find(|u| u["name"] == "Team Zonder Adres").unwrap().clone();
    let (status, _) = post(app, &agent, "/api/v1/callbacks", &make(&silent)).await;
    assert_eq!(status, 201);

    let mut conn = app.store.acquire().await.unwrap();
    let outbox = loket::store::mail::for_address(&mut conn, "leerlingenvervoer@gemeente.example").await.unwrap();
    drop(conn);
    assert_eq!(outbox.len(), 1, "written with the callback");
    let postbox = Postbox::default();
    let sent = loket::mail::deliver_step(&app.store, &postbox, "https://kcc.gemeente.example/").await.unwrap();
    assert_eq!(sent, 1);
    let mails = postbox.0.lock().unwrap().clone();
    assert_eq!(mails[0].to, "leerlingenvervoer@gemeente.example");
    assert_eq!(mails[0].subject, "Terugbelverzoek in Loket");
    let link = format!("https://kcc.gemeente.example/terugbelverzoeken?wachtrij={}", unit["id"].as_str().unwrap());
    assert!(mails[0].body.contains(&link), "{}", mails[0].body);
    // The subject and note are typed by an agent and may name the citizen: neither is mailed.
    for secret in ["Özdemir", "Fatma", "612345678", "Dochter", "Taxibus"] {
        assert!(!mails[0].body.contains(secret), "the mail holds no free text: {secret}");
    }
    let again = loket::mail::deliver_step(&app.store, &postbox, "https://kcc.gemeente.example").await.unwrap();
    assert_eq!(again, 0, "sent once");
}
