//! The huisstijl: a beheerder sets the organisation's name, colour and logo; every screen (the
//! login screen too) shows them; a colour without enough contrast and a file that is no image are
//! refused and change nothing.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp};
use crate::on_both_backends;

const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script><rect width="10" height="10"/></svg>"#;

/// A multipart form with the CSRF field and one file, as a browser sends it.
async fn upload(browser: &Browser, file: &[u8], extra: &[(&str, &str)]) -> reqwest::Response {
    let boundary = "----loket-test-grens";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        )
    };
    field("csrf_token", &browser.csrf);
    for (name, value) in extra {
        field(name, value);
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    browser
        .client
        .post(browser.url("/beheer/huisstijl/logo"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn a_beheerder_sets_name_colour_and_logo_and_every_screen_shows_them(app: &TestApp) {
    let admin = app.login(&app.user(&[Role::Beheerder]).await).await;
    let form = |name: &str, colour: &str| {
        [("csrf_token", admin.csrf.clone()), ("name", name.to_owned()), ("colour", colour.to_owned())]
    };
    // Too light: white text on it would be unreadable.
    let refused = admin
        .client
        .post(admin.url("/beheer/huisstijl"))
        .form(&form("Gemeente Dijkstad", "#ffbf47"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Te weinig contrast met wit") && page.contains("aria-invalid=\"true\""),
        "named at the field"
    );
    assert!(
        !app.client.get(app.url("/login")).send().await.unwrap().text().await.unwrap().contains("Gemeente Dijkstad")
    );

    let saved = admin
        .client
        .post(admin.url("/beheer/huisstijl"))
        .form(&form("Gemeente Dijkstad", "#154273"))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let login = app.client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(
        login.contains("· Gemeente Dijkstad</title>") && login.contains(">Gemeente Dijkstad</a>"),
        "the login screen too"
    );
    let css_path = login.split("href=\"/huisstijl.css").nth(1).and_then(|r| r.split('"').next()).unwrap();
    let css = app.client.get(app.url(&format!("/huisstijl.css{css_path}"))).send().await.unwrap().text().await.unwrap();
    assert!(css.contains("--accent: #154273"), "{css}");
    let agent = app.login(&app.user(&[Role::Klantcontactmedewerker]).await).await;
    assert!(agent.page("/").await.contains(">Gemeente Dijkstad</a>"));

    // The logo: known by its bytes; an SVG is served as an image whose scripts cannot run.
    let not_an_image = upload(&admin, b"<html><body>hallo</body></html>", &[]).await;
    assert_eq!(not_an_image.status(), 400);
    assert!(not_an_image.text().await.unwrap().contains("Kies een PNG, JPEG, WebP of SVG."));
    assert_eq!(app.client.get(app.url("/huisstijl/logo")).send().await.unwrap().status(), 404, "nothing stored");
    assert_eq!(upload(&admin, SVG.as_bytes(), &[]).await.status(), 303);
    let logo = app.client.get(app.url("/huisstijl/logo")).send().await.unwrap();
    assert_eq!(logo.headers()["content-type"], "image/svg+xml");
    let policy = logo.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("default-src 'none'") && policy.contains("sandbox"), "{policy}");
    assert!(agent.page("/").await.contains("class=\"brand-logo\" src=\"/huisstijl/logo?v="), "in the header");
    let without_csrf = admin.client.post(admin.url("/beheer/huisstijl/logo")).send().await.unwrap();
    assert_eq!(without_csrf.status(), 403, "a form post without its CSRF token is refused");

    // The API says the same, and takes the same rules.
    let token = app.token(&[Role::Beheerder]).await;
    let view: Value =
        app.client.get(app.url("/api/v1/branding")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!((view["name"].as_str(), view["colour"].as_str()), (Some("Gemeente Dijkstad"), Some("#154273")));
    assert_eq!(view["logo_type"], "image/svg+xml");
    let put = |body: Value| app.client.put(app.url("/api/v1/branding")).bearer_auth(&token).json(&body).send();
    let problem: Value = put(json!({"name": "", "colour": "#eeeeee"})).await.unwrap().json().await.unwrap();
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "colour"], "{problem}");
    assert_eq!(put(json!({"name": "Gemeente Oostdam", "colour": "#0b4f8a"})).await.unwrap().status(), 200);
    let agent_token = app.token(&[Role::Klantcontactmedewerker]).await;
    let forbidden = app
        .client
        .put(app.url("/api/v1/branding"))
        .bearer_auth(&agent_token)
        .json(&json!({"name": "X", "colour": "#000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    let removed = app.client.delete(app.url("/api/v1/branding/logo")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(removed.status(), 204);
    assert!(!agent.page("/").await.contains("brand-logo"), "the logo is gone from the header");
    assert!(agent.page("/").await.contains(">Gemeente Oostdam</a>"));

    let (_, log) = {
        let r = app
            .client
            .get(app.url("/api/v1/audit-log?action=branding_changed&limit=10"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    };
    assert_eq!(log["entries"].as_array().unwrap().len(), 4, "each change, none of the refusals: {log}");
}

async fn the_admin_screens_are_one_menu_entry(app: &TestApp) {
    let admin = app.login(&app.user(&[Role::Beheerder]).await).await;
    let home = admin.page("/").await;
    assert!(home.contains("<a href=\"/beheer\">Beheer</a>"), "one entry in the menu");
    assert!(!home.contains("<li><a href=\"/beheer/sla\""), "not each screen");
    let overview = admin.page("/beheer").await;
    for screen in [
        "/beheer/gebruikers",
        "/beheer/verwerkingslog",
        "/beheer/privacy",
        "/beheer/sla",
        "/beheer/lijsten",
        "/beheer/huisstijl",
    ] {
        assert!(overview.contains(&format!("href=\"{screen}\"")), "{screen} on the overview");
    }
    assert!(admin.page("/beheer/sla").await.contains("<a href=\"/beheer\" aria-current=\"page\">Beheer</a>"));
    let agent = app.login(&app.user(&[Role::Klantcontactmedewerker]).await).await;
    assert!(!agent.page("/").await.contains("href=\"/beheer\""), "no admin entry for an agent");
    assert!(agent.page("/beheer").await.contains("U heeft geen beheertaken."));
}

on_both_backends!(
    a_beheerder_sets_name_colour_and_logo_and_every_screen_shows_them,
    the_admin_screens_are_one_menu_entry,
);
