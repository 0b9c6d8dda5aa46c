//! Customers and contacts: one timeline per customer across channels, lookups by every number a
//! citizen gives, geheimhouding, confidential notes, and bad input that stores nothing.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{TestApp, csrf_in};
use crate::on_both_backends;

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = app.client.post(app.url(path)).bearer_auth(token).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let admin = app.token(&[Role::Beheerder]).await;
    let (status, page) = get(app, &admin, &format!("/api/v1/audit-log?{query}")).await;
    assert_eq!(status, 200, "{page}");
    page["entries"].as_array().unwrap().clone()
}

pub(crate) fn citizen() -> Value {
    json!({
        "kind": "persoon",
        "given_name": "Fatma",
        "surname": "Özdemir",
        "identifiers": [{"kind": "bsn", "value": "1112 22 333"}],
        "digital_addresses": [
            {"kind": "telefoonnummer", "value": "06-12345678"},
            {"kind": "email", "value": "Fatma@Example.NL"}
        ],
        "address": {"street": "Dorpsstraat", "house_number": 12, "postcode": "1234 ab", "city": "Ons Dorp"}
    })
}

fn names(found: &Value) -> Vec<String> {
    found.as_array().unwrap().iter().map(|p| p["display_name"].as_str().unwrap().to_owned()).collect()
}

async fn a_customer_registered_by_one_agent_is_found_by_every_number_by_another(app: &TestApp) {
    let first = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, party) = post(app, &first, "/api/v1/parties", &citizen()).await;
    assert_eq!(status, 201, "{party}");
    assert_eq!(party["display_name"], "Fatma Özdemir");
    assert_eq!(party["identifiers"][0]["value"], "111222333");
    assert_eq!(party["digital_addresses"][0]["value"], "+31612345678");
    assert_eq!(party["digital_addresses"][0]["display"], "06 1234 5678");
    assert_eq!(party["digital_addresses"][0]["preferred"], true);
    assert_eq!(party["address"]["postcode"], "1234 AB");

    let second = app.token(&[Role::Klantcontactmedewerker]).await;
    for q in [
        "q=0612345678",
        "q=%2B31%206%2012%2034%2056%2078",
        "q=fatma%40example.nl",
        "q=111222333",
        "q=1234AB%2012",
        "q=ozdemir",
        "phone=06%2012%2034%2056%2078",
        "email=FATMA%40example.nl",
        "bsn=111222333",
        "postcode=1234ab&huisnummer=12",
        "name=fatma",
    ] {
        let (status, found) = get(app, &second, &format!("/api/v1/parties?{q}")).await;
        assert_eq!(status, 200, "{q}: {found}");
        assert_eq!(names(&found), ["Fatma Özdemir"], "{q}");
    }
    let (_, none) = get(app, &second, "/api/v1/parties?q=0201234567").await;
    assert_eq!(names(&none), Vec::<String>::new());

    let created = audit(app, "action=party_created").await;
    assert_eq!(created.len(), 1);
    let searched = audit(app, "action=parties_searched").await;
    assert_eq!(searched.len(), 12, "every search is logged");
    assert!(searched.iter().all(|e| e["purpose"] == "klantcontact"));
    assert!(
        searched.iter().all(|e| !e["detail"].to_string().contains("0612345678")),
        "the log names the criterion, not the number"
    );
}

async fn a_second_party_with_the_same_bsn_is_refused_pointing_at_the_first(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, first) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let mut again = citizen();
    again["given_name"] = json!("Fadime");
    again["identifiers"][0]["value"] = json!("111222333");
    let (status, problem) = post(app, &agent, "/api/v1/parties", &again).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["existing"], format!("/api/v1/parties/{}", first["id"].as_str().unwrap()));
    assert_eq!(problem["errors"][0]["field"], "identifiers[0].value");
    let (_, found) = get(app, &agent, "/api/v1/parties?name=fadime").await;
    assert_eq!(names(&found), Vec::<String>::new(), "nothing of the refused party was stored");
    let searched = audit(app, "action=parties_searched").await;
    assert!(
        searched.iter().any(|e| e["detail"]["duplicate"] == true && e["detail"]["results"][0] == first["id"]),
        "learning who holds a BSN through a 409 is logged as a lookup: {searched:?}"
    );
}

async fn invalid_numbers_are_refused_by_field_and_rule_and_store_nothing(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let bad = json!({
        "kind": "persoon", "surname": "Jansen",
        "identifiers": [{"kind": "bsn", "value": "123456789"}],
        "digital_addresses": [{"kind": "telefoonnummer", "value": "12"}, {"kind": "email", "value": "jansen@"}],
        "address": {"house_number": 0, "postcode": "0123 AB"}
    });
    let (status, problem) = post(app, &agent, "/api/v1/parties", &bad).await;
    assert_eq!(status, 400, "{problem}");
    let rules: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    for expected in [
        ("identifiers[0].value", "eleven_check"),
        ("digital_addresses[0].value", "invalid_phone"),
        ("digital_addresses[1].value", "invalid_email"),
        ("address.postcode", "invalid_postcode"),
        ("address.house_number", "out_of_range"),
    ] {
        assert!(rules.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{expected:?} in {rules:?}");
    }
    let organisation = json!({"kind": "organisatie", "organisation_name": "Bakkerij De Korenaar",
        "identifiers": [{"kind": "kvk_nummer", "value": "1234567"}]});
    let (status, problem) = post(app, &agent, "/api/v1/parties", &organisation).await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "identifiers[0].value");
    assert_eq!(problem["errors"][0]["code"], "length");
    let (status, problem) = get(app, &agent, "/api/v1/parties?bsn=123456789").await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("bsn")));
    let (_, found) = get(app, &agent, "/api/v1/parties?name=jansen").await;
    assert_eq!(names(&found), Vec::<String>::new());
}

async fn contacts_on_every_channel_land_in_one_timeline_newest_first(app: &TestApp) {
    let phone_agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &phone_agent, "/api/v1/parties", &citizen()).await;
    let party_id = party["id"].as_str().unwrap();
    let call = json!({
        "channel": "telefoon", "subject": "Bladkorf aanvragen", "question": "Kan er een bladkorf in mijn straat?",
        "notes": "Wil hem voor 1 november.", "outcome": "zelfstandig_afgehandeld",
        "started_at": "2026-11-20T09:00:00Z", "ended_at": "2026-11-20T09:04:30Z",
        "participants": [{"party_id": party_id}]
    });
    let (status, registered) = post(app, &phone_agent, "/api/v1/contacts", &call).await;
    assert_eq!(status, 201, "{registered}");
    assert_eq!(registered["duration_s"], 270);
    assert_eq!(registered["outcome_name"], "Zelfstandig afgehandeld");
    assert_eq!(registered["participants"][0]["display_name"], "Fatma Özdemir");
    assert_eq!(registered["participants"][0]["initiator"], true);

    let chat_agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let chat = json!({"channel": "chat", "subject": "Hoe staat het met de bladkorf?",
        "started_at": "2026-11-27T14:00:00Z", "participants": [{"party_id": party_id}]});
    let (status, _) = post(app, &chat_agent, "/api/v1/contacts", &chat).await;
    assert_eq!(status, 201);

    let (status, timeline) = get(app, &chat_agent, &format!("/api/v1/parties/{party_id}/timeline")).await;
    assert_eq!(status, 200, "{timeline}");
    let subjects: Vec<&str> =
        timeline["items"].as_array().unwrap().iter().map(|i| i["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, ["Hoe staat het met de bladkorf?", "Bladkorf aanvragen"]);
    assert_eq!(timeline["items"][1]["type"], "contact");
    assert_eq!(timeline["items"][1]["notes"], "Wil hem voor 1 november.", "the chat agent sees the phone call's notes");

    let (_, phone_only) = get(app, &chat_agent, &format!("/api/v1/parties/{party_id}/timeline?channel=telefoon")).await;
    assert_eq!(phone_only["items"].as_array().unwrap().len(), 1);

    let contact_id = registered["id"].as_str().unwrap();
    let (status, one) = get(app, &chat_agent, &format!("/api/v1/contacts/{contact_id}")).await;
    assert_eq!((status, one["channel_name"].as_str()), (200, Some("Telefoon")));
    assert_eq!(audit(app, "action=contact_registered").await.len(), 2);
    assert_eq!(audit(app, "action=timeline_read").await.len(), 2);
    assert_eq!(audit(app, &format!("action=contact_read&object_id={contact_id}")).await[0]["purpose"], "klantcontact");
}

async fn an_anonymous_contact_needs_no_party(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, contact) =
        post(app, &agent, "/api/v1/contacts", &json!({"channel": "balie", "subject": "Openingstijden"})).await;
    assert_eq!(status, 201, "{contact}");
    assert_eq!(contact["participants"], json!([]));
    assert_eq!(contact["language"], "nl");
    assert_eq!(contact["contact_made"], true);
}

async fn unknown_channels_outcomes_parties_and_oversized_notes_are_refused(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let bad = json!({"channel": "postduif", "subject": "x", "outcome": "opgelost",
        "participants": [{"party_id": "0193a1b2-0000-7000-8000-000000000000"}],
        "started_at": "2026-11-20T10:00:00Z", "ended_at": "2026-11-20T09:00:00Z",
        "notes": "a".repeat(10_001)});
    let (status, problem) = post(app, &agent, "/api/v1/contacts", &bad).await;
    assert_eq!(status, 400, "{problem}");
    let codes: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    for expected in [
        ("channel", "unknown_channel"),
        ("outcome", "unknown_outcome"),
        ("participants[0].party_id", "unknown_party"),
        ("ended_at", "before_start"),
        ("notes", "too_long"),
    ] {
        assert!(codes.contains(&(expected.0.to_owned(), expected.1.to_owned())), "{expected:?} in {codes:?}");
    }
    let notes_error = problem["errors"].as_array().unwrap().iter().find(|e| e["field"] == "notes").unwrap().clone();
    assert!(notes_error["message"].as_str().unwrap().contains("10000"), "the limit is named: {notes_error}");
    assert!(audit(app, "action=contact_registered").await.is_empty(), "nothing was stored");

    let long_notes = json!({"channel": "telefoon", "subject": "Lang gesprek", "notes": "a".repeat(10_000)});
    let (status, _) = post(app, &agent, "/api/v1/contacts", &long_notes).await;
    assert_eq!(status, 201, "10,000 characters of notes fit");
}

async fn geheimhouding_hides_address_and_identifiers_until_lifted_and_lifting_is_logged(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let mut secret = citizen();
    secret["confidential"] = json!(true);
    let (_, party) = post(app, &agent, "/api/v1/parties", &secret).await;
    let id = party["id"].as_str().unwrap();
    assert_eq!((party["withheld"].as_bool(), party["address"].is_null()), (Some(true), true));

    let (_, seen) = get(app, &agent, &format!("/api/v1/parties/{id}?reveal=true")).await;
    assert_eq!(seen["withheld"], true, "an agent without the right cannot lift it");
    assert_eq!(seen["identifiers"], json!([]));
    assert_eq!(seen["digital_addresses"][0]["value"], "+31612345678", "the number to call back stays visible");
    let (_, found) = get(app, &agent, "/api/v1/parties?q=1234AB%2012").await;
    assert_eq!(found, json!([]), "who lives at an address is not revealed by searching it");
    assert!(audit(app, "action=confidentiality_lifted").await.is_empty());

    let second_line = app.token(&[Role::Tweedelijn]).await;
    let (_, at_address) = get(app, &second_line, "/api/v1/parties?q=1234AB%2012").await;
    assert_eq!(names(&at_address), ["Fatma Özdemir"], "a role with the right finds them");
    let (_, plain) = get(app, &second_line, &format!("/api/v1/parties/{id}")).await;
    assert_eq!(plain["withheld"], true, "lifting is asked for, never implied");
    let (_, lifted) = get(app, &second_line, &format!("/api/v1/parties/{id}?reveal=true")).await;
    assert_eq!(lifted["withheld"], false);
    assert_eq!(lifted["address"]["street"], "Dorpsstraat");
    assert_eq!(lifted["identifiers"][0]["value"], "111222333");
    let logged = audit(app, "action=confidentiality_lifted").await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0]["object_id"], id);
}

async fn a_party_under_geheimhouding_is_not_found_by_its_bsn_on_any_path_without_the_right(app: &TestApp) {
    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let agent_token = app.token(&[Role::Klantcontactmedewerker]).await;
    let mut secret = citizen();
    secret["confidential"] = json!(true);
    let (status, created) = post(app, &agent_token, "/api/v1/parties", &secret).await;
    assert_eq!(status, 201);
    let secret_id = created["id"].as_str().unwrap();

    for q in ["q=111222333", "bsn=111222333", "q=1234AB%2012", "postcode=1234ab&huisnummer=12"] {
        let (status, found) = get(app, &agent_token, &format!("/api/v1/parties?{q}")).await;
        assert_eq!((status, found), (200, json!([])), "{q}: who holds a number is not revealed by searching it");
    }
    let browser = app.login(&agent).await;
    let page = browser.client.get(browser.url("/klanten?q=111222333")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Özdemir"), "the customer search page finds nobody by the protected BSN");
    let ki = app
        .client
        .get(app.url("/klantinteracties/api/v1/partijen?partijIdentificator__objectId=111222333"))
        .header("authorization", format!("Token {agent_token}"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(ki["count"], 0, "the standard's lookup answers the same");

    let (status, duplicate) = post(app, &agent_token, "/api/v1/parties", &citizen()).await;
    assert_eq!(status, 409, "the number stays unique");
    assert!(duplicate.get("existing").is_none() && !duplicate.to_string().contains(secret_id), "{duplicate}");
    let ki_duplicate = app
        .client
        .post(app.url("/klantinteracties/api/v1/partijen"))
        .header("authorization", format!("Token {agent_token}"))
        .json(&json!({"soortPartij": "persoon", "partijIdentificatie": {"contactnaam": {"achternaam": "Ander"}},
            "partijIdentificatoren": [{"partijIdentificator": {"codeObjecttype": "natuurlijk_persoon",
            "codeSoortObjectId": "bsn", "objectId": "111222333", "codeRegister": "brp"}}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(ki_duplicate.status(), 409);
    assert!(!ki_duplicate.text().await.unwrap().contains(secret_id), "the standard's answer names nobody either");

    let (_, by_name) = get(app, &agent_token, "/api/v1/parties?q=ozdemir").await;
    assert_eq!(names(&by_name), ["Fatma Özdemir"], "found by name, with the numbers withheld");
    assert_eq!(by_name[0]["identifiers"], json!([]));
    let second_line = app.token(&[Role::Tweedelijn]).await;
    let (_, found) = get(app, &second_line, "/api/v1/parties?bsn=111222333").await;
    assert_eq!(names(&found), ["Fatma Özdemir"], "a role that may lift geheimhouding finds them");
    let (_, duplicate) = post(app, &second_line, "/api/v1/parties", &citizen()).await;
    assert_eq!(duplicate["existing"], format!("/api/v1/parties/{secret_id}"), "and is pointed at them");
}

async fn a_teamleider_does_not_read_confidential_notes_that_the_author_and_second_line_do(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let contact = json!({"channel": "telefoon", "subject": "Schuldhulp", "notes": "Vertelt over schulden.",
        "confidential": true});
    let (_, registered) = post(app, &agent, "/api/v1/contacts", &contact).await;
    let path = format!("/api/v1/contacts/{}", registered["id"].as_str().unwrap());
    assert_eq!(registered["notes"], "Vertelt over schulden.", "the author reads their own note");

    let lead = app.token(&[Role::Teamleider]).await;
    let (status, seen) = get(app, &lead, &path).await;
    assert_eq!(status, 200);
    assert_eq!((seen["notes"].as_str(), seen["withheld"].as_bool()), (Some(""), Some(true)));
    assert_eq!(seen["subject"], "Schuldhulp");

    let second_line = app.token(&[Role::Tweedelijn]).await;
    let (_, granted) = get(app, &second_line, &path).await;
    assert_eq!(granted["notes"], "Vertelt over schulden.");
}

async fn a_digital_address_is_added_and_can_become_the_preferred_one(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let path = format!("/api/v1/parties/{}/digital-addresses", party["id"].as_str().unwrap());
    let (status, updated) =
        post(app, &agent, &path, &json!({"kind": "telefoonnummer", "value": "020 123 4567", "preferred": true})).await;
    assert_eq!(status, 201, "{updated}");
    let preferred: Vec<&str> = updated["digital_addresses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["preferred"] == true)
        .map(|d| d["value"].as_str().unwrap())
        .collect();
    assert_eq!(preferred, ["+31201234567"]);
    let (status, problem) = post(app, &agent, &path, &json!({"kind": "telefoonnummer", "value": "+31201234567"})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("value")));
    let (_, found) = get(app, &agent, "/api/v1/parties?q=020-1234567").await;
    assert_eq!(names(&found), ["Fatma Özdemir"]);
}

async fn an_agent_registers_a_customer_and_a_contact_on_the_pages(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&username).await;
    let form = [
        ("csrf_token", browser.csrf.as_str()),
        ("kind", "persoon"),
        ("given_name", "Jan"),
        ("surname_prefix", "de"),
        ("surname", "Vries"),
        ("phone", "06 98765432"),
        ("postcode", "9999 zz"),
        ("house_number", "3"),
    ];
    let response = browser.client.post(browser.url("/klanten")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let customer_path = location.split('?').next().unwrap().to_owned();

    let page = browser.client.get(browser.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Jan de Vries") && page.contains("06 9876 5432"), "the customer page shows the details");
    let started = page
        .split("name=\"started_at\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page starts the contact's clock")
        .to_owned();
    let csrf = csrf_in(&page).unwrap();
    let contact = [
        ("csrf_token", csrf.as_str()),
        ("started_at", started.as_str()),
        ("channel", "telefoon"),
        ("subject", "Grofvuil ophalen"),
        ("notes", "Bank en twee stoelen."),
        ("outcome", "zelfstandig_afgehandeld"),
    ];
    let saved =
        browser.client.post(browser.url(&format!("{customer_path}/contacten"))).form(&contact).send().await.unwrap();
    assert_eq!(saved.status(), 303);

    let other = app.user(&[Role::Klantcontactmedewerker]).await;
    let colleague = app.login(&other).await;
    let found = colleague.client.get(colleague.url("/klanten?q=0698765432")).send().await.unwrap();
    assert_eq!(found.headers()["location"].to_str().unwrap(), customer_path, "found by phone number, opened at once");
    let timeline = colleague.client.get(colleague.url(&customer_path)).send().await.unwrap().text().await.unwrap();
    assert!(timeline.contains("Grofvuil ophalen") && timeline.contains("Bank en twee stoelen."));

    let bad = [("csrf_token", browser.csrf.as_str()), ("kind", "persoon"), ("surname", "Bakker"), ("bsn", "123456789")];
    let refused = browser.client.post(browser.url("/klanten")).form(&bad).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    let html = refused.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"fout-bsn\""), "the BSN field is marked");
}

/// A new unit (afdeling) and a token for a klantcontactmedewerker in it.
pub(crate) async fn unit_with_agent(app: &TestApp, name: &str) -> (String, String) {
    let admin = app.token(&[Role::Beheerder]).await;
    let (status, unit) = post(app, &admin, "/api/v1/units", &json!({"name": name, "kind": "afdeling"})).await;
    assert_eq!(status, 201, "{unit}");
    let unit_id = unit["id"].as_str().unwrap().to_owned();
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let (_, users) = get(app, &admin, "/api/v1/users").await;
    let user_id = users.as_array().unwrap().iter().find(|u| u["username"] == username.as_str()).unwrap()["id"].clone();
    let url = format!("/api/v1/users/{}", user_id.as_str().unwrap());
    let response =
        app.client.patch(app.url(&url)).bearer_auth(&admin).json(&json!({"unit_id": unit_id})).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let token = loket::auth::tokens::create(
        &app.store,
        &loket::auth::Actor::system("test"),
        &loket::auth::users::Username::parse(&username).unwrap(),
        "test".into(),
    )
    .await
    .unwrap()
    .token;
    (unit_id, token)
}

async fn a_request_shows_the_same_status_and_history_on_every_channel(app: &TestApp) {
    let (unit_id, agent) = unit_with_agent(app, "Afval en Reiniging").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let party_id = party["id"].as_str().unwrap();
    let (_, call) = post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "telefoon", "subject": "Bladkorf",
        "participants": [{"party_id": party_id}]}),
    )
    .await;
    let request = json!({"request_type": "bladkorf", "subject": "Bladkorf in de Dorpsstraat", "party_id": party_id,
        "unit_id": unit_id, "contact_id": call["id"]});
    let (status, created) = post(app, &agent, "/api/v1/requests", &request).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["status"], "ontvangen");
    assert_eq!(created["type_name"], "Bladkorf plaatsen");
    assert!(created["expected_on"].as_str().unwrap().len() == 10, "an expected date from the type: {created}");
    let request_path = format!("/api/v1/requests/{}", created["id"].as_str().unwrap());

    // The back office's system moves it on with a token of its own.
    let back_office = app.token(&[Role::Tweedelijn]).await;
    let (status, moved) = post(
        app,
        &back_office,
        &format!("{request_path}/status"),
        &json!({"status": "in_behandeling", "note": "Ingepland voor week 48", "expected_on": "2026-12-04"}),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["expected_on"], "2026-12-04");

    let (_, chat) = post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "chat", "subject": "Hoe staat het met de bladkorf?",
        "participants": [{"party_id": party_id}], "request_ids": [created["id"]]}),
    )
    .await;
    assert_eq!(chat["request_ids"][0], created["id"]);
    let (_, seen) = get(app, &agent, &request_path).await;
    let history: Vec<&str> =
        seen["history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(history, ["ontvangen", "in_behandeling"]);
    assert_eq!(seen["history"][1]["note"], "Ingepland voor week 48");
    assert_eq!(seen["contacts"].as_array().unwrap().len(), 2, "the call and the chat are about it");

    let (_, timeline) = get(app, &agent, &format!("/api/v1/parties/{party_id}/timeline")).await;
    let kinds: Vec<&str> = timeline["items"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"request") && kinds.iter().filter(|k| **k == "contact").count() == 2, "{kinds:?}");
    let shown = timeline["items"].as_array().unwrap().iter().find(|i| i["type"] == "request").unwrap().clone();
    assert_eq!(shown["status_label"], "In behandeling");

    let (status, _) =
        post(app, &back_office, &format!("{request_path}/status"), &json!({"status": "afgehandeld"})).await;
    assert_eq!(status, 200);
    let (status, problem) =
        post(app, &back_office, &format!("{request_path}/status"), &json!({"status": "wacht_op_klant"})).await;
    assert_eq!(status, 409, "a closed request only reopens: {problem}");
    let (status, problem) =
        post(app, &back_office, &format!("{request_path}/status"), &json!({"status": "afgehandeld"})).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (400, Some("unchanged")));
    let (status, _) =
        post(app, &back_office, &format!("{request_path}/status"), &json!({"status": "in_behandeling"})).await;
    assert_eq!(status, 200, "reopened");
    assert_eq!(audit(app, "action=request_status_changed").await.len(), 3);
}

async fn a_request_needs_a_known_type_and_a_handling_unit(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, problem) = post(
        app,
        &agent,
        "/api/v1/requests",
        &json!({"request_type": "ufo", "subject": "x",
        "expected_on": "morgen"}),
    )
    .await;
    assert_eq!(status, 400);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["expected_on", "request_type", "unit_id"]);
    let (status, problem) = post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "chat", "subject": "x",
        "request_ids": ["0193a1b2-0000-7000-8000-000000000000"]}),
    )
    .await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (400, Some("unknown_request")));
}

async fn a_task_for_a_team_is_on_its_worklist_and_is_finished_once(app: &TestApp) {
    let (unit_id, teammate) = unit_with_agent(app, "Team Inkomensondersteuning").await;
    let (_, outsider) = unit_with_agent(app, "Team Parkeren").await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let (_, call) = post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "telefoon", "subject": "Energietoeslag",
        "participants": [{"party_id": party["id"]}]}),
    )
    .await;
    let task = json!({"contact_id": call["id"], "action": "Inkomen narekenen en terugbellen",
        "explanation": "Twijfelt over 120%-grens.", "assignee": {"kind": "eenheid", "id": unit_id}});
    let (status, created) = post(app, &agent, "/api/v1/tasks", &task).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["party_id"], party["id"], "the contact's customer");
    assert_eq!(created["assignee"]["name"], "Team Inkomensondersteuning");
    assert_eq!(created["status"], "te_verwerken");

    let (_, worklist) = get(app, &teammate, "/api/v1/tasks").await;
    assert_eq!(worklist.as_array().unwrap().len(), 1, "{worklist}");
    let (_, elsewhere) = get(app, &outsider, "/api/v1/tasks").await;
    assert_eq!(elsewhere, json!([]));
    let complete = format!("/api/v1/tasks/{}/complete", created["id"].as_str().unwrap());
    let (status, _) = post(app, &outsider, &complete, &json!({"result": "?"})).await;
    assert_eq!(status, 403, "another team's task");
    let (status, done) = post(app, &teammate, &complete, &json!({"result": "Teruggebeld; heeft recht."})).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("verwerkt")));
    let (status, _) = post(app, &teammate, &complete, &json!({"result": "nog eens"})).await;
    assert_eq!(status, 409, "the first result stands");

    let (_, timeline) = get(app, &agent, &format!("/api/v1/parties/{}/timeline", party["id"].as_str().unwrap())).await;
    let task_item = timeline["items"].as_array().unwrap().iter().find(|i| i["type"] == "task").unwrap().clone();
    assert_eq!(task_item["result"], "Teruggebeld; heeft recht.");

    let (status, problem) =
        post(app, &agent, "/api/v1/tasks", &json!({"action": "", "assignee": {"kind": "eenheid"}})).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["action", "assignee.id"]);
}

async fn an_inzage_export_holds_everything_about_the_person_and_is_logged(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let mut secret = citizen();
    secret["confidential"] = json!(true);
    let (_, party) = post(app, &agent, "/api/v1/parties", &secret).await;
    let id = party["id"].as_str().unwrap();
    post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "telefoon", "subject": "Schuldhulp",
        "notes": "Vertrouwelijk gesprek.", "confidential": true, "participants": [{"party_id": id}]}),
    )
    .await;
    get(app, &agent, &format!("/api/v1/parties/{id}")).await;

    let (status, _) = get(app, &agent, &format!("/api/v1/parties/{id}/export")).await;
    assert_eq!(status, 403, "an agent does not export");
    let admin = app.token(&[Role::Beheerder]).await;
    let (status, export) = get(app, &admin, &format!("/api/v1/parties/{id}/export")).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["party"]["identifiers"][0]["value"], "111222333", "geheimhouding does not hide from the person");
    assert_eq!(export["party"]["address"]["street"], "Dorpsstraat");
    assert_eq!(export["contacts"][0]["notes"], "Vertrouwelijk gesprek.");
    let actions: Vec<&str> =
        export["processing"]["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"party_created") && actions.contains(&"party_read"), "who processed it: {actions:?}");
    let logged = audit(app, "action=personal_data_exported").await;
    assert_eq!((logged.len(), logged[0]["purpose"].as_str()), (1, Some("inzageverzoek")));
}

/// The database files (or PostgreSQL relations, after a checkpoint) in which `text` can be read
/// as it is: what `grep -a` on the files would find.
async fn in_database_files(app: &TestApp, text: &str) -> Vec<String> {
    let needle = text.as_bytes();
    let holds = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    match app.backend {
        loket::store::Backend::Sqlite => {
            let db = app.database_url.strip_prefix("sqlite://").unwrap().to_owned();
            [db.clone(), format!("{db}-wal")]
                .into_iter()
                .filter(|f| std::fs::read(f).is_ok_and(|bytes| holds(&bytes)))
                .collect()
        }
        loket::store::Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.unwrap();
            sqlx::query("CHECKPOINT").execute(&pool).await.unwrap();
            let files: Vec<(String, Vec<u8>)> = sqlx::query_as(
                "SELECT c.relname::text, pg_read_binary_file(pg_relation_filepath(c.oid)) FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'i', 't') AND (n.nspname = 'public' OR n.nspname = 'pg_toast')
                   AND pg_relation_filepath(c.oid) IS NOT NULL AND c.relpersistence = 'p'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            pool.close().await;
            files.into_iter().filter(|(_, bytes)| holds(bytes)).map(|(name, _)| name).collect()
        }
    }
}

async fn erasure_removes_the_person_but_keeps_the_figures(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let id = party["id"].as_str().unwrap().to_owned();
    let (_, contact) = post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "chat", "subject": "Bladkorf",
        "notes": "Woont op nummer 12.", "outcome": "zelfstandig_afgehandeld", "participants": [{"party_id": id}]}),
    )
    .await;
    let (unit_id, _) = unit_with_agent(app, "Afval en Reiniging").await;
    let request =
        json!({"request_type": "bladkorf", "subject": "Bladkorf bij Fatma", "party_id": id, "unit_id": unit_id});
    let (_, request) = post(app, &agent, "/api/v1/requests", &request).await;
    let request_path = format!("/api/v1/requests/{}", request["id"].as_str().unwrap());
    let status_change = json!({"status": "wacht_op_klant", "note": "Fatma belt terug"});
    post(app, &agent, &format!("{request_path}/status"), &status_change).await;
    let task = json!({"contact_id": contact["id"], "action": "Fatma terugbellen", "assignee": {"kind": "eenheid", "id": unit_id}});
    let (status, _) = post(app, &agent, "/api/v1/tasks", &task).await;
    assert_eq!(status, 201);

    let admin = app.token(&[Role::Beheerder]).await;
    let (status, problem) = post(app, &admin, &format!("/api/v1/parties/{id}/erase"), &json!({"reason": " "})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("reason")));
    let (status, report) = post(
        app,
        &admin,
        &format!("/api/v1/parties/{id}/erase"),
        &json!({"reason": "Verzoek van betrokkene, brief 1 december"}),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["contacts_cleared"], 1);
    // A housekeeping round rewrites what still held the bytes. A round may find an older
    // transaction still open (a busy machine) and give the work back to the next round.
    let mut rounds = Vec::new();
    while rounds.len() < 5 {
        match loket::customer::privacy::scrub_step(&app.store).await {
            Ok(n) => {
                assert_eq!(n, 1, "one erasure to scrub after {rounds:?}");
                break;
            }
            Err(e) => rounds.push(e.to_string()),
        }
    }
    assert!(rounds.len() < 5, "no round could scrub: {rounds:?}");
    assert_eq!(loket::customer::privacy::scrub_step(&app.store).await.unwrap(), 0, "done once");
    // (The schema itself mentions "Özdemir" in a comment, so the name is sought whole.)
    for erased in [
        "Fatma Özdemir",
        "fatma ozdemir",
        "111222333",
        "+31612345678",
        "fatma@example.nl",
        "Dorpsstraat",
        "Woont op nummer 12",
        "Bladkorf bij Fatma",
        "Fatma belt terug",
        "Fatma terugbellen",
    ] {
        let found = in_database_files(app, erased).await;
        assert!(found.is_empty(), "{erased:?} can still be read in {found:?}");
    }

    let (status, _) = get(app, &agent, &format!("/api/v1/parties/{id}")).await;
    assert_eq!(status, 404);
    let (_, found) = get(app, &agent, "/api/v1/parties?q=0612345678").await;
    assert_eq!(found, json!([]));
    let (_, kept) = get(app, &agent, &format!("/api/v1/contacts/{}", contact["id"].as_str().unwrap())).await;
    assert_eq!((kept["channel"].as_str(), kept["outcome"].as_str()), (Some("chat"), Some("zelfstandig_afgehandeld")));
    assert_eq!(kept["notes"], "[verwijderd op verzoek]");
    assert_eq!(kept["participants"][0]["party_id"], Value::Null);
    assert_eq!(kept["subject"], "[verwijderd op verzoek]");
    let (_, request) = get(app, &agent, &request_path).await;
    assert_eq!((request["subject"].as_str(), request["party_id"].as_str()), (Some("[verwijderd op verzoek]"), None));
    assert_eq!(request["history"][1]["status"], "wacht_op_klant", "the status history stays");
    assert_eq!(request["history"][1]["note"], "", "but not what it said about the person");
    assert_eq!(report["tasks_cleared"], 1);
    let (status, _) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    assert_eq!(status, 201, "the BSN is free again");
    let erased = audit(app, "action=personal_data_erased").await;
    assert_eq!(erased[0]["object_id"], id.as_str());
    assert!(erased[0]["detail"].to_string().contains("brief 1 december"));
}

async fn contacts_registered_at_the_same_moment_are_each_acknowledged_and_stored_once(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let party_id = party["id"].as_str().unwrap().to_owned();
    // Forty at once share commits; the two with an unknown channel are refused without taking
    // the others down with them.
    let calls = (0..40).map(|i| {
        let channel = if i % 20 == 7 { "postduif" } else { "telefoon" };
        let body =
            json!({"channel": channel, "subject": format!("Vraag {i}"), "participants": [{"party_id": party_id}]});
        let agent = agent.clone();
        async move { post(app, &agent, "/api/v1/contacts", &body).await }
    });
    let answers = futures_util::future::join_all(calls).await;
    let created: Vec<&Value> = answers.iter().filter(|(status, _)| *status == 201).map(|(_, c)| c).collect();
    assert_eq!(created.len(), 38);
    assert_eq!(answers.iter().filter(|(status, _)| *status == 400).count(), 2);
    assert!(created.iter().all(|c| c["participants"][0]["display_name"] == "Fatma Özdemir"));

    let (_, timeline) = get(app, &agent, &format!("/api/v1/parties/{party_id}/timeline?limit=100")).await;
    let mut stored: Vec<String> =
        timeline["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    let mut acknowledged: Vec<String> = created.iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    stored.sort();
    acknowledged.sort();
    assert_eq!(stored, acknowledged, "every acknowledged contact is stored, once");
    assert_eq!(audit(app, "action=contact_registered&limit=100").await.len(), 38);
}

async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = app.client.put(app.url(path)).bearer_auth(token).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_beheerder_adds_a_channel_agents_use_and_later_retires_it(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, sms) = put(app, &admin, "/api/v1/contact-channels/sms", &json!({"name": "Sms"})).await;
    assert_eq!(status, 200, "{sms}");
    assert_eq!((sms["active"].as_bool(), sms["name"].as_str()), (Some(true), Some("Sms")));
    let (status, _) = put(app, &agent, "/api/v1/contact-channels/sms", &json!({"name": "Mijn kanaal"})).await;
    assert_eq!(status, 403, "an agent keeps no lists");

    let (status, contact) =
        post(app, &agent, "/api/v1/contacts", &json!({"channel": "sms", "subject": "Afvalkalender"})).await;
    assert_eq!((status, contact["channel_name"].as_str()), (201, Some("Sms")), "{contact}");

    for (code, body, field) in [
        ("SMS!", json!({"name": "Sms"}), "code"),
        ("fax", json!({"name": "  "}), "name"),
        ("fax", json!({"name": "Fax", "position": -1}), "position"),
    ] {
        let (status, problem) = put(app, &admin, &format!("/api/v1/contact-channels/{code}"), &body).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some(field)), "{problem}");
    }
    let (_, channels) = get(app, &agent, "/api/v1/contact-channels").await;
    let codes: Vec<&str> = channels.as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"fax") && codes.last() == Some(&"sms"), "refused entries store nothing: {codes:?}");

    let (status, _) =
        put(app, &admin, "/api/v1/contact-channels/sms", &json!({"name": "Sms-bericht", "active": false})).await;
    assert_eq!(status, 200);
    let (status, problem) =
        post(app, &agent, "/api/v1/contacts", &json!({"channel": "sms", "subject": "Nog een vraag"})).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (400, Some("inactive")), "{problem}");
    let (_, old) = get(app, &agent, &format!("/api/v1/contacts/{}", contact["id"].as_str().unwrap())).await;
    assert_eq!(old["channel_name"], "Sms-bericht", "an old contact keeps its channel, under the new name");

    let (status, _) = put(
        app,
        &admin,
        "/api/v1/contact-outcomes/afspraak_gemaakt",
        &json!({"name": "Afspraak gemaakt", "position": 0}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, outcomes) = get(app, &agent, "/api/v1/contact-outcomes").await;
    assert_eq!(outcomes[0]["code"], "afspraak_gemaakt", "position 0 comes first");
    let changes = audit(app, "action=contact_list_changed").await;
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[1]["detail"]["was"]["name"], "Sms", "the log keeps what it was");
}

async fn the_lists_page_adds_an_entry_and_refuses_a_code_that_exists(app: &TestApp) {
    let admin_name = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin_name).await;
    let page = browser.client.get(browser.url("/beheer/lijsten")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Gespreksresultaten") && page.contains("value=\"Telefoon\""), "{page}");
    let add = |code: &str| {
        vec![
            ("csrf_token", browser.csrf.clone()),
            ("lijst", "kanalen".to_owned()),
            ("nieuw", "1".to_owned()),
            ("active", "1".to_owned()),
            ("code", code.to_owned()),
            ("name", "Nieuw kanaal".to_owned()),
        ]
    };
    let response = browser.client.post(browser.url("/beheer/lijsten")).form(&add("telefoon")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().await.unwrap().contains("Deze code bestaat al"));
    let response = browser.client.post(browser.url("/beheer/lijsten")).form(&add("sms")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, channels) = get(app, &agent, "/api/v1/contact-channels").await;
    let telefoon = channels.as_array().unwrap().iter().find(|c| c["code"] == "telefoon").unwrap();
    assert_eq!(telefoon["name"], "Telefoon", "the existing channel was not renamed");
    assert!(channels.as_array().unwrap().iter().any(|c| c["code"] == "sms" && c["name"] == "Nieuw kanaal"));
}

async fn the_privacy_screen_finds_a_person_by_name_phone_or_postcode(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    for q in ["%C3%96zdemir", "0612345678", "1234AB%2012", "111222333"] {
        let page = browser.page(&format!("/beheer/privacy?q={q}")).await;
        assert!(page.contains(&format!("/beheer/privacy/{}/export", party["id"].as_str().unwrap())), "found by {q}");
    }
    let nobody = browser.page("/beheer/privacy?q=Janssen").await;
    assert!(nobody.contains("Niemand gevonden."));
    let logged = audit(app, "action=parties_searched&limit=100").await;
    let for_requests = logged.iter().filter(|e| e["purpose"] == "inzageverzoek").count();
    assert_eq!(for_requests, 5, "every search on the privacy screen is logged with its purpose");
}

on_both_backends!(
    a_customer_registered_by_one_agent_is_found_by_every_number_by_another,
    a_second_party_with_the_same_bsn_is_refused_pointing_at_the_first,
    invalid_numbers_are_refused_by_field_and_rule_and_store_nothing,
    contacts_on_every_channel_land_in_one_timeline_newest_first,
    an_anonymous_contact_needs_no_party,
    unknown_channels_outcomes_parties_and_oversized_notes_are_refused,
    geheimhouding_hides_address_and_identifiers_until_lifted_and_lifting_is_logged,
    a_party_under_geheimhouding_is_not_found_by_its_bsn_on_any_path_without_the_right,
    a_teamleider_does_not_read_confidential_notes_that_the_author_and_second_line_do,
    a_digital_address_is_added_and_can_become_the_preferred_one,
    an_agent_registers_a_customer_and_a_contact_on_the_pages,
    a_request_shows_the_same_status_and_history_on_every_channel,
    a_request_needs_a_known_type_and_a_handling_unit,
    a_task_for_a_team_is_on_its_worklist_and_is_finished_once,
    an_inzage_export_holds_everything_about_the_person_and_is_logged,
    erasure_removes_the_person_but_keeps_the_figures,
    contacts_registered_at_the_same_moment_are_each_acknowledged_and_stored_once,
    a_beheerder_adds_a_channel_agents_use_and_later_retires_it,
    the_lists_page_adds_an_entry_and_refuses_a_code_that_exists,
    the_privacy_screen_finds_a_person_by_name_phone_or_postcode,
);
