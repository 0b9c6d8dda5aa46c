//! Logging in and out, sessions, CSRF, throttling, API tokens and user administration.

use loket::auth::audit::Purpose;
use loket::auth::users::{self, UserChangeInput};
use loket::auth::{Actor, Role};
use serde_json::json;

use crate::helpers::{Browser, PASSWORD, TestApp};
use crate::on_both_backends;

async fn a_user_logs_in_sees_the_start_page_for_their_role_and_logs_out(app: &TestApp) {
    let username = app.user(&[Role::Teamleider]).await;
    let browser = app.login(&username).await;
    let home = browser.client.get(browser.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let html = home.text().await.unwrap();
    assert!(html.contains("Teamleider") && html.contains("servicelevels"), "the teamleider's role card is shown");
    assert!(!html.contains("/beheer/gebruikers"), "a teamleider is not offered user administration");

    let logout = browser
        .client
        .post(browser.url("/logout"))
        .form(&[("csrf_token", browser.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    let after = browser.client.get(browser.url("/")).send().await.unwrap();
    assert_eq!(after.status(), 303, "after logout the start page sends you to login");
}

async fn the_session_cookie_is_http_only_and_same_site(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let response = Browser::new(app).submit_login(&username, PASSWORD).await;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("loket_session="))
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http on localhost: not Secure");
}

async fn a_wrong_password_is_refused_with_the_same_message_as_an_unknown_user(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let wrong = Browser::new(app).submit_login(&username, "niet-het-wachtwoord").await;
    assert_eq!(wrong.status(), 401);
    let wrong_text = wrong.text().await.unwrap();
    let unknown = Browser::new(app).submit_login("bestaat-niet", "niet-het-wachtwoord").await;
    assert_eq!(unknown.status(), 401);
    assert!(wrong_text.contains("Onbekende gebruikersnaam of onjuist wachtwoord"));
    assert!(unknown.text().await.unwrap().contains("Onbekende gebruikersnaam of onjuist wachtwoord"));
}

async fn after_five_failures_even_the_right_password_is_refused_for_a_while(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    for _ in 0..5 {
        assert_eq!(Browser::new(app).submit_login(&username, "fout-fout-fout").await.status(), 401);
    }
    let blocked = Browser::new(app).submit_login(&username, PASSWORD).await;
    assert_eq!(blocked.status(), 429);
    assert!(blocked.text().await.unwrap().contains("Te veel mislukte pogingen"));
    // Another account is not affected.
    let other = app.user(&[Role::Klantcontactmedewerker]).await;
    assert_eq!(Browser::new(app).submit_login(&other, PASSWORD).await.status(), 303);
}

async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let form = [
        ("username", "indringer"),
        ("display_name", "Indringer"),
        ("roles", "beheerder"),
        ("password", "een-lang-wachtwoord"),
    ];
    let refused = browser.client.post(browser.url("/beheer/gebruikers")).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let mut with_wrong = form.to_vec();
    with_wrong.push(("csrf_token", "vervalst"));
    let refused = browser.client.post(browser.url("/beheer/gebruikers")).form(&with_wrong).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(!app.usernames().await.contains(&"indringer".to_owned()));

    let mut with_token = form.to_vec();
    with_token.push(("csrf_token", browser.csrf.as_str()));
    let created = browser.client.post(browser.url("/beheer/gebruikers")).form(&with_token).send().await.unwrap();
    assert_eq!(created.status(), 303);
    assert!(app.usernames().await.contains(&"indringer".to_owned()));
}

async fn the_login_form_itself_needs_its_csrf_token(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = Browser::new(app);
    let response = browser
        .client
        .post(browser.url("/login"))
        .form(&[("username", username.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

async fn an_api_write_riding_on_a_session_cookie_needs_the_csrf_header(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let body = json!({"name": "Team Zonder Token", "kind": "afdeling"});
    let refused = browser.client.post(browser.url("/api/v1/units")).json(&body).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.headers()["content-type"], "application/problem+json");
    let accepted = browser
        .client
        .post(browser.url("/api/v1/units"))
        .header("x-csrf-token", &browser.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 201);
}

async fn api_tokens_work_as_bearer_and_as_token_and_unknown_ones_are_refused(app: &TestApp) {
    let token = app.token(&[Role::Beheerder]).await;
    let bearer =
        app.client.get(app.url("/api/v1/me")).header("authorization", format!("Bearer {token}")).send().await.unwrap();
    assert_eq!(bearer.status(), 200);
    let ki =
        app.client.get(app.url("/api/v1/me")).header("authorization", format!("Token {token}")).send().await.unwrap();
    assert_eq!(ki.status(), 200);
    let unknown = app.client.get(app.url("/api/v1/me")).bearer_auth("loket_nietbestaand").send().await.unwrap();
    assert_eq!(unknown.status(), 401);
    assert!(unknown.headers().contains_key("www-authenticate"));
    let garbage =
        app.client.get(app.url("/api/v1/me")).header("authorization", "Basic Zm9vOmJhcg==").send().await.unwrap();
    assert_eq!(garbage.status(), 401);
}

/// A koppeling (an account for a system) made by the beheerder behind `admin`; its user name.
async fn integration(app: &TestApp, admin: &str, username: &str) -> String {
    let created = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(admin)
        .json(&json!({"username": username, "display_name": "Zaaksysteem", "roles": ["klantcontactmedewerker"], "kind": "koppeling"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let user: serde_json::Value = created.json().await.unwrap();
    assert_eq!(user["kind"], "koppeling");
    username.to_owned()
}

async fn a_beheerder_issues_a_token_that_is_shown_once_and_stored_hashed(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let integration = integration(app, &admin, "telefonieplatform").await;
    let issued: serde_json::Value = app
        .client
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&admin)
        .json(&json!({"username": integration, "label": "Telefonieplatform"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = issued["token"].as_str().unwrap();
    assert!(token.starts_with("loket_"));
    let me: serde_json::Value =
        app.client.get(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], integration.as_str());
    // The secret itself is nowhere in the audit log.
    let log = app
        .client
        .get(app.url("/api/v1/audit-log?action=token_created"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(log.contains("Telefonieplatform") && !log.contains(token));
}

async fn a_token_acts_only_for_its_maker_or_a_koppeling_and_the_log_names_who_really_acted(app: &TestApp) {
    let admin_name = app.user(&[Role::Beheerder]).await;
    let admin = app.token_for(&admin_name).await;
    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let for_agent = app
        .client
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&admin)
        .json(&json!({"username": agent}))
        .send()
        .await
        .unwrap();
    assert_eq!(for_agent.status(), 403, "a beheerder cannot make a token to act as a colleague");
    let tokens_made = app
        .client
        .get(app.url("/api/v1/audit-log?action=token_created"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let for_agent = tokens_made["entries"].as_array().unwrap().iter().filter(|e| e["detail"]["user"] == agent).count();
    assert_eq!(for_agent, 0, "nothing was made");

    let own = app
        .client
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&admin)
        .json(&json!({"username": admin_name, "label": "eigen script"}))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), 201, "one's own token is fine");

    let zaaksysteem = integration(app, &admin, "zaaksysteem").await;
    let token: serde_json::Value = app
        .client
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&admin)
        .json(&json!({"username": zaaksysteem}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap();
    let party = app
        .client
        .post(app.url("/api/v1/parties"))
        .bearer_auth(token)
        .json(&json!({"kind": "persoon", "surname": "Jansen"}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let read = app
        .client
        .get(app.url(&format!("/api/v1/parties/{}", party["id"].as_str().unwrap())))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let log: serde_json::Value = app
        .client
        .get(app.url("/api/v1/audit-log?action=party_read"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log["entries"][0]["actor_name"], format!("zaaksysteem (koppeling van {admin_name})"));

    let password = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "koppeling2", "roles": ["redacteur"], "kind": "koppeling", "password": "een-lang-wachtwoord"}))
        .send()
        .await
        .unwrap();
    assert_eq!(password.status(), 400, "a koppeling has no password");

    // The beheer screen offers the token form only where it may be used.
    let browser = app.login(&admin_name).await;
    let agent_id = user_id(app, &agent).await;
    let page = browser
        .client
        .get(browser.url(&format!("/beheer/gebruikers/{agent_id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("/tokens\""), "no token form on a colleague's page");
    let posted = browser
        .client
        .post(browser.url(&format!("/beheer/gebruikers/{agent_id}/tokens")))
        .form(&[("csrf_token", browser.csrf.as_str()), ("label", "stiekem")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 403);
}

async fn a_deactivated_user_loses_their_session_and_their_tokens_at_once(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&username).await;
    let token = loket::auth::tokens::create(
        &app.store,
        &Actor::system("test"),
        &loket::auth::users::Username::parse(&username).unwrap(),
        "t".into(),
    )
    .await
    .unwrap()
    .token;
    let id = users::list(&app.store, &Actor::system("test"), Purpose::UserAdministration)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap()
        .id;
    let change = UserChangeInput { active: Some(false), ..Default::default() };
    users::update(&app.store, &Actor::system("test"), id, &change).await.unwrap();
    assert_eq!(browser.client.get(browser.url("/")).send().await.unwrap().status(), 303);
    assert_eq!(app.client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401);
    assert_eq!(Browser::new(app).submit_login(&username, PASSWORD).await.status(), 401);
}

async fn a_beheerder_creates_lists_and_changes_users_through_the_api(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let created = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "Noor.Hendriks", "display_name": "Noor Hendriks", "email": "noor@Dijkstad.NL", "roles": ["klantcontactmedewerker"], "password": "welkom-noor-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let user: serde_json::Value = created.json().await.unwrap();
    assert_eq!(user["username"], "noor.hendriks");
    assert_eq!(user["email"], "noor@dijkstad.nl");
    assert!(user.get("password_hash").is_none());

    let fetched: serde_json::Value =
        app.client.get(app.url(&location)).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    assert_eq!(fetched["display_name"], "Noor Hendriks");

    let changed: serde_json::Value = app
        .client
        .patch(app.url(&location))
        .bearer_auth(&admin)
        .json(&json!({"roles": ["klantcontactmedewerker", "teamleider"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["roles"], json!(["klantcontactmedewerker", "teamleider"]));

    let listed: Vec<serde_json::Value> =
        app.client.get(app.url("/api/v1/users")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    assert!(listed.iter().any(|u| u["username"] == "noor.hendriks"));

    let duplicate = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "noor.hendriks", "roles": ["redacteur"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(duplicate.status(), 409);
}

async fn the_last_active_beheerder_cannot_lose_that_role(app: &TestApp) {
    let admin_name = app.user(&[Role::Beheerder]).await;
    let admin = loket::auth::tokens::create(
        &app.store,
        &Actor::system("test"),
        &loket::auth::users::Username::parse(&admin_name).unwrap(),
        "t".into(),
    )
    .await
    .unwrap()
    .token;
    let me: serde_json::Value =
        app.client.get(app.url("/api/v1/me")).bearer_auth(&admin).send().await.unwrap().json().await.unwrap();
    let url = app.url(&format!("/api/v1/users/{}", me["id"].as_str().unwrap()));
    let demote =
        app.client.patch(&url).bearer_auth(&admin).json(&json!({"roles": ["redacteur"]})).send().await.unwrap();
    assert_eq!(demote.status(), 409);
    let deactivate = app.client.patch(&url).bearer_auth(&admin).json(&json!({"active": false})).send().await.unwrap();
    assert_eq!(deactivate.status(), 409);
}

async fn a_beheerder_creates_afdelingen_and_teams_and_agents_can_read_them(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let afdeling: serde_json::Value = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Publiekszaken", "kind": "afdeling", "phone": "0345 123 400", "email": "burgerzaken@dijkstad.nl"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(afdeling["phone"], "+31345123400");
    let team = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Team Burgerzaken", "kind": "team", "parent_id": afdeling["id"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(team.status(), 201);
    let orphan = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Team Los", "kind": "team"}))
        .send()
        .await
        .unwrap();
    assert_eq!(orphan.status(), 400);

    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let units: Vec<serde_json::Value> =
        app.client.get(app.url("/api/v1/units")).bearer_auth(&agent).send().await.unwrap().json().await.unwrap();
    assert_eq!(units.len(), 2);
    let create_as_agent = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&agent)
        .json(&json!({"name": "X", "kind": "afdeling"}))
        .send()
        .await
        .unwrap();
    assert_eq!(create_as_agent.status(), 403);
}

async fn the_language_switch_turns_the_interface_english_and_back(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&username).await;
    let dutch = browser.client.get(browser.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(dutch.contains("<html lang=\"nl\">") && dutch.contains("Uw rollen"));
    let switch = browser.client.get(browser.url("/taal/en?terug=/")).send().await.unwrap();
    assert_eq!(switch.status(), 303);
    let english = browser.client.get(browser.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Your roles"));
    browser.client.get(browser.url("/taal/nl?terug=/")).send().await.unwrap();
    assert!(browser.client.get(browser.url("/")).send().await.unwrap().text().await.unwrap().contains("Uw rollen"));
}

async fn english_screens_show_the_domains_refusals_in_english_and_dutch_ones_in_its_own_words(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let browser = app.login(&username).await;
    let form = [
        ("csrf_token", browser.csrf.as_str()),
        ("kind", "persoon"),
        ("surname", "Vries"),
        ("bsn", "123456789"),
        ("postcode", "99999"),
    ];
    let dutch = browser.client.post(browser.url("/klanten")).form(&form).send().await.unwrap();
    assert_eq!(dutch.status(), 400);
    let dutch = dutch.text().await.unwrap();
    assert!(dutch.contains("Geen geldige postcode"), "{dutch}");

    browser.client.get(browser.url("/taal/en?terug=/")).send().await.unwrap();
    let english = browser.client.post(browser.url("/klanten")).form(&form).send().await.unwrap();
    assert_eq!(english.status(), 400);
    let english = english.text().await.unwrap();
    assert!(english.contains("Not a valid postcode (such as 1234 AB)."), "{english}");
    assert!(english.contains("it fails the eleven test"), "{english}");
    assert!(!english.contains("Geen geldig"), "no Dutch domain message on an English screen: {english}");

    // A refusal by the domain, on the error page.
    let other = app.user(&[Role::Klantcontactmedewerker]).await;
    let other_id = user_id(app, &other).await;
    let refused = browser.client.get(browser.url(&format!("/beheer/gebruikers/{other_id}"))).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("Your role gives no access to this function."), "{refused}");
    assert!(!refused.contains("Uw rol"), "{refused}");
}

async fn user_id(app: &TestApp, username: &str) -> uuid::Uuid {
    users::list(&app.store, &Actor::system("test"), Purpose::UserAdministration)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap()
        .id
}

async fn a_beheerder_changes_roles_and_deactivates_a_user_on_the_screen(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let agent_session = app.login(&agent).await;
    let id = user_id(app, &agent).await;
    let browser = app.login(&admin).await;
    let page = browser.client.get(browser.url(&format!("/beheer/gebruikers/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains(&agent));

    let form = [
        ("csrf_token", browser.csrf.as_str()),
        ("display_name", "Andere Naam"),
        ("email", ""),
        ("unit_id", ""),
        ("roles", "klantcontactmedewerker"),
        ("roles", "teamleider"),
    ];
    let saved = browser.client.post(browser.url(&format!("/beheer/gebruikers/{id}"))).form(&form).send().await.unwrap();
    assert_eq!(saved.status(), 303, "no `active` box ticked: the account is deactivated");
    let user = users::get(&app.store, &Actor::system("test"), id, Purpose::UserAdministration).await.unwrap();
    assert_eq!(user.display_name, "Andere Naam");
    assert_eq!(user.roles, [Role::Klantcontactmedewerker, Role::Teamleider]);
    assert!(!user.active);
    assert_eq!(
        agent_session.client.get(agent_session.url("/")).send().await.unwrap().status(),
        303,
        "their session ended"
    );

    let no_roles = [("csrf_token", browser.csrf.as_str()), ("display_name", "X"), ("active", "1")];
    let refused =
        browser.client.post(browser.url(&format!("/beheer/gebruikers/{id}"))).form(&no_roles).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("Kies minstens één rol."));
}

async fn a_beheerder_issues_a_token_on_the_screen_that_is_shown_once(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let created = browser
        .client
        .post(browser.url("/beheer/gebruikers"))
        .form(&[
            ("csrf_token", browser.csrf.as_str()),
            ("username", "telefonie"),
            ("display_name", "Telefonieplatform"),
            ("kind", "koppeling"),
            ("roles", "klantcontactmedewerker"),
            ("password", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303, "a koppeling is made on the screen");
    let integration = "telefonie".to_owned();
    let id = user_id(app, &integration).await;
    let response = browser
        .client
        .post(browser.url(&format!("/beheer/gebruikers/{id}/tokens")))
        .form(&[("csrf_token", browser.csrf.as_str()), ("label", "Telefonie")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let html = response.text().await.unwrap();
    let start = html.find("value=\"loket_").expect("the token is on the page") + "value=\"".len();
    let token = &html[start..start + html[start..].find('"').unwrap()];
    let me: serde_json::Value =
        app.client.get(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], integration.as_str());
    let again = browser
        .client
        .get(browser.url(&format!("/beheer/gebruikers/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(token), "the token is never shown again");
}

async fn a_beheerder_sets_a_new_password_for_a_user(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let id = user_id(app, &agent).await;
    let browser = app.login(&admin).await;
    let url = browser.url(&format!("/beheer/gebruikers/{id}/wachtwoord"));
    let short = browser
        .client
        .post(&url)
        .form(&[("csrf_token", browser.csrf.as_str()), ("password", "kort")])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 400);
    let done = browser
        .client
        .post(&url)
        .form(&[("csrf_token", browser.csrf.as_str()), ("password", "vergeten-en-hersteld")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(Browser::new(app).submit_login(&agent, PASSWORD).await.status(), 401);
    assert_eq!(Browser::new(app).submit_login(&agent, "vergeten-en-hersteld").await.status(), 303);
}

async fn a_user_changes_their_own_password_only_with_the_current_one(app: &TestApp) {
    let agent = app.user(&[Role::Redacteur]).await;
    let browser = app.login(&agent).await;
    let url = browser.url("/account/wachtwoord");
    let wrong = browser
        .client
        .post(&url)
        .form(&[
            ("csrf_token", browser.csrf.as_str()),
            ("current_password", "geraden"),
            ("new_password", "mijn-nieuwe-zin"),
            ("repeat_password", "mijn-nieuwe-zin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 400);
    assert!(wrong.text().await.unwrap().contains("Het huidige wachtwoord klopt niet."));
    let mismatch = browser
        .client
        .post(&url)
        .form(&[
            ("csrf_token", browser.csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", "mijn-nieuwe-zin"),
            ("repeat_password", "iets-anders-dus"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(mismatch.status(), 400);
    let changed = browser
        .client
        .post(&url)
        .form(&[
            ("csrf_token", browser.csrf.as_str()),
            ("current_password", PASSWORD),
            ("new_password", "mijn-nieuwe-zin"),
            ("repeat_password", "mijn-nieuwe-zin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    assert_eq!(browser.client.get(browser.url("/")).send().await.unwrap().status(), 303, "the session ended");
    assert_eq!(Browser::new(app).submit_login(&agent, "mijn-nieuwe-zin").await.status(), 303);
}

async fn parallel_guesses_cannot_slip_past_the_throttle(app: &TestApp) {
    let username = app.user(&[Role::Klantcontactmedewerker]).await;
    let guesses = (0..12).map(|i| {
        let browser = Browser::new(app);
        let username = username.clone();
        async move { browser.submit_login(&username, &format!("gok-nummer-{i}")).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= 5, "at most the limit of guesses get their password checked: {statuses:?}");
    assert_eq!(checked + refused, 12, "{statuses:?}");
}

async fn a_revoked_token_stops_working_and_reactivating_a_user_does_not_revive_tokens(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let username = integration(app, &admin, "klantvolgsysteem").await;
    let id = user_id(app, &username).await;
    let issue = |label: &'static str| {
        let username = username.clone();
        let admin = admin.clone();
        async move {
            let issued: serde_json::Value = app
                .client
                .post(app.url("/api/v1/tokens"))
                .bearer_auth(&admin)
                .json(&json!({"username": username, "label": label}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (issued["id"].as_str().unwrap().to_owned(), issued["token"].as_str().unwrap().to_owned())
        }
    };
    let (first_id, first) = issue("eerste").await;
    let (_, second) = issue("tweede").await;
    let me = |token: String| async move {
        app.client.get(app.url("/api/v1/me")).bearer_auth(token).send().await.unwrap().status()
    };
    assert_eq!(me(first.clone()).await, 200);

    let revoked =
        app.client.delete(app.url(&format!("/api/v1/tokens/{first_id}"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(me(first.clone()).await, 401);
    assert_eq!(me(second.clone()).await, 200);
    let listed: Vec<serde_json::Value> = app
        .client
        .get(app.url(&format!("/api/v1/users/{id}/tokens")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|t| t.get("token").is_none()), "secrets are never listed");
    assert!(listed.iter().any(|t| t["label"] == "eerste" && !t["revoked_at"].is_null()));

    let url = app.url(&format!("/api/v1/users/{id}"));
    app.client.patch(&url).bearer_auth(&admin).json(&json!({"active": false})).send().await.unwrap();
    app.client.patch(&url).bearer_auth(&admin).json(&json!({"active": true})).send().await.unwrap();
    assert_eq!(me(second).await, 401, "deactivation revoked it for good");
    let missing = app
        .client
        .delete(app.url("/api/v1/tokens/0192f5e0-0000-7000-8000-000000000000"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

async fn pages_with_personal_data_are_not_cached(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let page = browser.client.get(browser.url("/beheer/gebruikers")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    let css = app.client.get(app.url("/static/loket.css")).send().await.unwrap();
    assert_ne!(css.headers()["cache-control"], "no-store");
}

async fn a_beheerder_adds_a_team_on_the_organisation_page(app: &TestApp) {
    let admin = app.user(&[Role::Beheerder]).await;
    let browser = app.login(&admin).await;
    let form =
        [("csrf_token", browser.csrf.as_str()), ("name", "Burgerzaken"), ("kind", "afdeling"), ("phone", "14 0345")];
    assert_eq!(browser.client.post(browser.url("/organisatie")).form(&form).send().await.unwrap().status(), 303);
    let html = browser.client.get(browser.url("/organisatie")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Burgerzaken") && html.contains("14 0345"));
    let orphan = [("csrf_token", browser.csrf.as_str()), ("name", "Team Zwevend"), ("kind", "team")];
    let refused = browser.client.post(browser.url("/organisatie")).form(&orphan).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("Een team hoort bij een afdeling."));

    let agent = app.user(&[Role::Klantcontactmedewerker]).await;
    let agent_page =
        app.login(&agent).await.client.get(browser.url("/organisatie")).send().await.unwrap().text().await.unwrap();
    assert!(!agent_page.contains("action=\"/organisatie\""), "agents see no form to add units");
}

on_both_backends!(
    a_beheerder_adds_a_team_on_the_organisation_page,
    parallel_guesses_cannot_slip_past_the_throttle,
    a_revoked_token_stops_working_and_reactivating_a_user_does_not_revive_tokens,
    pages_with_personal_data_are_not_cached,
    a_beheerder_changes_roles_and_deactivates_a_user_on_the_screen,
    a_beheerder_issues_a_token_on_the_screen_that_is_shown_once,
    a_beheerder_sets_a_new_password_for_a_user,
    a_user_changes_their_own_password_only_with_the_current_one,
    a_user_logs_in_sees_the_start_page_for_their_role_and_logs_out,
    the_session_cookie_is_http_only_and_same_site,
    a_wrong_password_is_refused_with_the_same_message_as_an_unknown_user,
    after_five_failures_even_the_right_password_is_refused_for_a_while,
    a_form_without_its_csrf_token_is_refused_and_changes_nothing,
    the_login_form_itself_needs_its_csrf_token,
    an_api_write_riding_on_a_session_cookie_needs_the_csrf_header,
    api_tokens_work_as_bearer_and_as_token_and_unknown_ones_are_refused,
    a_beheerder_issues_a_token_that_is_shown_once_and_stored_hashed,
    a_token_acts_only_for_its_maker_or_a_koppeling_and_the_log_names_who_really_acted,
    a_deactivated_user_loses_their_session_and_their_tokens_at_once,
    a_beheerder_creates_lists_and_changes_users_through_the_api,
    the_last_active_beheerder_cannot_lose_that_role,
    a_beheerder_creates_afdelingen_and_teams_and_agents_can_read_them,
    the_language_switch_turns_the_interface_english_and_back,
    english_screens_show_the_domains_refusals_in_english_and_dutch_ones_in_its_own_words,
);
