//! The work queue (werkvoorraad): follow-ups and callbacks as kinds of one work item, in the
//! queue of a team, claimed, returned and handed over with a history of who did what; and the
//! rows that existed before the queue, carried over by the migration.

use std::borrow::Cow;

use loket::auth::Role;
use serde_json::{Value, json};

use crate::callbacks::{get, post};
use crate::contacts::{citizen, unit_with_agent};
use crate::helpers::TestApp;
use crate::on_both_backends;

fn kinds(items: &Value) -> Vec<String> {
    let mut kinds: Vec<String> =
        items["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_owned()).collect();
    kinds.sort();
    kinds
}

async fn a_teams_queue_holds_every_kind_and_each_step_is_in_the_history(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Wonen").await;
    let (other_unit, colleague) = unit_with_agent(app, "Team Parkeren").await;
    let lead = app.token(&[Role::Teamleider]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let task = json!({"party_id": party["id"], "action": "Huurcontract opvragen", "assignee": {"kind": "eenheid", "id": unit}});
    let (status, task) = post(app, &agent, "/api/v1/tasks", &task).await;
    assert_eq!(status, 201, "{task}");
    assert_eq!((task["kind"].as_str(), task["unit_id"].as_str()), (Some("opvolging"), Some(unit.as_str())));
    let callback = json!({"party_id": party["id"], "subject": "Vraag over de huurtoeslag", "assignee": {"kind": "eenheid", "id": unit}});
    let (status, callback) = post(app, &agent, "/api/v1/callbacks", &callback).await;
    assert_eq!(status, 201, "{callback}");

    let (status, queue) = get(app, &agent, "/api/v1/work-items").await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(kinds(&queue), ["opvolging", "terugbelverzoek"], "one queue holds both kinds: {queue}");
    let (_, follow_ups) = get(app, &agent, "/api/v1/work-items?kind=opvolging").await;
    assert_eq!(kinds(&follow_ups), ["opvolging"]);
    let (status, refused) = get(app, &agent, "/api/v1/work-items?kind=postduif").await;
    assert_eq!((status, refused["errors"][0]["field"].as_str()), (400, Some("kind")));
    let (_, theirs) = get(app, &colleague, "/api/v1/work-items").await;
    assert_eq!(theirs, json!({"items": []}), "another team's queue is not theirs");
    let (status, _) = get(app, &colleague, &format!("/api/v1/work-items?queue={unit}")).await;
    assert_eq!(status, 403);

    let id = task["id"].as_str().unwrap();
    let (status, _) = post(app, &colleague, &format!("/api/v1/work-items/{id}/claim"), &json!({})).await;
    assert_eq!(status, 403, "nobody claims from another team's queue");
    let (status, claimed) = post(app, &agent, &format!("/api/v1/work-items/{id}/claim"), &json!({})).await;
    assert_eq!((status, claimed["assignee"]["kind"].as_str()), (200, Some("medewerker")), "{claimed}");
    let (_, mine) = get(app, &agent, "/api/v1/work-items?queue=mine").await;
    assert_eq!(kinds(&mine), ["opvolging"]);
    let (status, returned) = post(app, &agent, &format!("/api/v1/work-items/{id}/return"), &json!({})).await;
    assert_eq!((status, returned["assignee"]["name"].as_str()), (200, Some("Team Wonen")));
    let to_parkeren = json!({"assignee": {"kind": "eenheid", "id": other_unit}});
    let (status, _) = post(app, &agent, &format!("/api/v1/work-items/{id}/reassign"), &to_parkeren).await;
    assert_eq!(status, 403, "what one does not hold, a team lead hands over");
    post(app, &agent, &format!("/api/v1/work-items/{id}/claim"), &json!({})).await;
    let (status, handed) = post(app, &agent, &format!("/api/v1/work-items/{id}/reassign"), &to_parkeren).await;
    assert_eq!((status, handed["unit_id"].as_str()), (200, Some(other_unit.as_str())), "{handed}");
    let (_, theirs) = get(app, &colleague, "/api/v1/work-items").await;
    assert_eq!(kinds(&theirs), ["opvolging"], "it moved to the other team's queue");
    let (status, _) = get(app, &agent, &format!("/api/v1/work-items/{id}")).await;
    assert_eq!(status, 403, "gone from the first team");

    let (status, done) =
        post(app, &colleague, &format!("/api/v1/tasks/{id}/complete"), &json!({"result": "Opgevraagd"})).await;
    assert_eq!(status, 200, "{done}");
    let (status, _) = post(app, &colleague, &format!("/api/v1/work-items/{id}/claim"), &json!({})).await;
    assert_eq!(status, 409, "a finished item takes no more claims");
    let (status, item) = get(app, &lead, &format!("/api/v1/work-items/{id}")).await;
    assert_eq!(status, 200, "{item}");
    let steps: Vec<&str> = item["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(steps, ["aangemaakt", "opgepakt", "teruggezet", "opgepakt", "overgedragen", "afgerond"]);
    let notes: Vec<&str> = item["history"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
    assert_eq!((notes[2], notes[4], notes[5]), ("Team Wonen", "Team Parkeren", "Opgevraagd"));

    let (_, all) = get(app, &lead, "/api/v1/work-items?queue=all").await;
    assert_eq!(kinds(&all), ["terugbelverzoek"], "a team lead sees every queue; the finished task has left it");
    let for_a_system =
        json!({"action": "Aanslag herberekenen", "assignee": {"kind": "geautomatiseerd", "name": "Belastingsysteem"}});
    let (_, automated) = post(app, &agent, "/api/v1/tasks", &for_a_system).await;
    let automated = automated["id"].as_str().unwrap();
    let (status, _) = post(app, &lead, &format!("/api/v1/work-items/{automated}/claim"), &json!({})).await;
    assert_eq!(status, 403, "what a system finishes is in no queue, not even for a team lead");
    let (status, _) = post(app, &lead, &format!("/api/v1/work-items/{automated}/reassign"), &to_parkeren).await;
    assert_eq!(status, 403);
    let callback_id = callback["id"].as_str().unwrap();
    let (status, _) = post(app, &agent, &format!("/api/v1/work-items/{callback_id}/claim"), &json!({})).await;
    assert_eq!(status, 200, "a callback is claimed like any work item");
    let (_, read) = get(app, &agent, &format!("/api/v1/callbacks/{callback_id}")).await;
    assert_eq!(read["assignee"]["kind"], "medewerker");
    let steps: Vec<&str> = read["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(steps, ["aangemaakt", "opgepakt"]);

    let admin = app.token(&[Role::Beheerder]).await;
    let (_, log) = get(app, &admin, "/api/v1/audit-log?action=work_items_listed").await;
    let entries = log["entries"].as_array().unwrap();
    assert!(
        !entries.is_empty() && entries.iter().all(|e| e["purpose"] == "klantcontact"),
        "queue reads are logged: {log}"
    );
}

async fn the_wall_board_shows_each_kind_of_work(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Belastingen").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let task =
        json!({"party_id": party["id"], "action": "Betaling nakijken", "assignee": {"kind": "eenheid", "id": unit}});
    post(app, &agent, "/api/v1/tasks", &task).await;
    let lead = app.token(&[Role::Teamleider]).await;
    let (status, board) = get(app, &lead, "/api/v1/reports/wallboard").await;
    assert_eq!(status, 200, "{board}");
    let work = board["work"].as_array().unwrap();
    let of = |kind: &str| work.iter().find(|w| w["kind"] == kind).unwrap_or_else(|| panic!("{kind} on the board"));
    assert_eq!((of("opvolging")["open"].as_i64(), of("terugbelverzoek")["open"].as_i64()), (Some(1), Some(0)));
    assert_eq!(board["callbacks"]["open"], 0);
    let page = app.client.get(app.url("/wandbord")).bearer_auth(&lead).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"wb-opvolging-open\">1<"), "a tile per kind, without JavaScript");
}

/// Rows as the schema held them before the work queue (migration 0017), with a task for a team,
/// a callback in a team's queue and its attempt.
const BEFORE: &[&str] = &[
    "INSERT INTO units (id, name, kind, created_at) VALUES ({unit}, 'Team Wonen', 'team', '2026-12-01T08:00:00+00:00')",
    "INSERT INTO tasks (id, kind, contact_id, party_id, action, explanation, assignee_kind, assignee_id, assignee_name, \
     status, due_at, created_at, created_by, done_at, done_by, result) VALUES ({task}, 'opvolging', NULL, NULL, \
     'Huurcontract opvragen', '', 'eenheid', {unit}, 'Team Wonen', 'te_verwerken', NULL, '2026-12-01T09:00:00+00:00', \
     'Anouk', NULL, NULL, '')",
    "INSERT INTO tasks (id, kind, contact_id, party_id, action, explanation, assignee_kind, assignee_id, assignee_name, \
     status, due_at, created_at, created_by, done_at, done_by, result) VALUES ({callback}, 'terugbelverzoek', NULL, \
     NULL, 'Terugbellen: huurtoeslag', '', 'eenheid', {unit}, 'Team Wonen', 'verwerkt', NULL, \
     '2026-12-01T10:00:00+00:00', 'Anouk', '2026-12-01T11:00:00+00:00', 'Anouk', 'Verkeerd nummer na 1 poging(en)')",
    "INSERT INTO callbacks (task_id, phone, subject, window_from, window_to, unit_id, attempts, next_attempt_at, \
     outcome, result_contact_id) VALUES ({callback}, '+31612345678', 'huurtoeslag', NULL, NULL, {unit}, 1, NULL, \
     'verkeerd_nummer', NULL)",
];

/// Runs the migrations before the work queue, stores `BEFORE`, runs the rest, and checks the
/// rows through the app's own store.
async fn migrate_rows_of_before(database_url: &str, sqlite: bool) {
    let folder = if sqlite { "migrations/sqlite" } else { "migrations/postgres" };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut migrator = sqlx::migrate::Migrator::new(path).await.unwrap();
    let all = migrator.migrations.clone();
    let before: Vec<_> = all.iter().filter(|m| m.version < 18).cloned().collect();
    migrator.migrations = Cow::Owned(before);
    let (unit, task, callback) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let literal = |id: uuid::Uuid| if sqlite { format!("X'{}'", id.simple()) } else { format!("'{id}'") };
    let statements: Vec<String> = BEFORE
        .iter()
        .map(|s| {
            s.replace("{unit}", &literal(unit))
                .replace("{task}", &literal(task))
                .replace("{callback}", &literal(callback))
        })
        .collect();
    if sqlite {
        let options: sqlx::sqlite::SqliteConnectOptions =
            database_url.parse::<sqlx::sqlite::SqliteConnectOptions>().unwrap().create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for s in &statements {
            sqlx::query(s).execute(&pool).await.unwrap();
        }
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(database_url).await.unwrap();
        migrator.run(&pool).await.unwrap();
        for s in &statements {
            sqlx::query(s).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    let store = loket::store::Store::connect(database_url, 2).await.unwrap();
    store.migrate().await.unwrap();
    let mut conn = store.acquire().await.unwrap();
    let item = loket::store::work::find(&mut conn, task).await.unwrap().expect("the task is a work item");
    assert_eq!((item.kind.as_str(), item.unit_id), ("opvolging", Some(unit)), "a task for a team is in its queue");
    let cb = loket::store::callbacks::find(&mut conn, callback).await.unwrap().expect("the callback is a work item");
    assert_eq!(
        (cb.item.unit_id, cb.item.channel.as_deref(), cb.phone.as_str()),
        (Some(unit), Some("telefoon"), "+31612345678")
    );
    let history = loket::store::work::events_of(&mut conn, &[task, callback]).await.unwrap();
    let steps: Vec<(&str, bool)> = history.iter().map(|e| (e.action.as_str(), e.work_item_id == callback)).collect();
    assert_eq!(
        steps,
        [("aangemaakt", false), ("aangemaakt", true), ("afgerond", true)],
        "what can be known of the history is carried over"
    );
}

#[tokio::test]
async fn rows_from_before_the_work_queue_become_work_items_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("loket.db").display());
    migrate_rows_of_before(&url, true).await;
}

#[tokio::test]
async fn rows_from_before_the_work_queue_become_work_items_on_postgres() {
    let Some((url, name)) = crate::helpers::create_postgres_database().await else { return };
    migrate_rows_of_before(&url, false).await;
    let admin = sqlx::PgPool::connect(&crate::helpers::postgres_admin_url()).await.unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await.unwrap();
}

async fn the_work_queue_page_lists_every_kind_and_claims_without_javascript(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Burgerzaken").await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let task =
        json!({"party_id": party["id"], "action": "Uittreksel opsturen", "assignee": {"kind": "eenheid", "id": unit}});
    let (_, task) = post(app, &agent, "/api/v1/tasks", &task).await;
    let callback = json!({"party_id": party["id"], "subject": "Vraag over een paspoort", "assignee": {"kind": "eenheid", "id": unit}});
    post(app, &agent, "/api/v1/callbacks", &callback).await;
    let page = app.client.get(app.url("/werkvoorraad")).bearer_auth(&agent).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("Uittreksel opsturen") && page.contains("Terugbellen: Vraag over een paspoort"),
        "both kinds"
    );
    assert!(!page.contains("Özdemir"), "the queue names no citizen");
    let id = task["id"].as_str().unwrap();
    let response = app
        .client
        .post(app.url(&format!("/werkvoorraad/{id}/oppakken")))
        .bearer_auth(&agent)
        .form(&[("wachtrij", unit.as_str()), ("soort", "opvolging")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("soort=opvolging") && back.contains("melding=opgepakt"), "{back}");
    let (_, item) = get(app, &agent, &format!("/api/v1/work-items/{id}")).await;
    assert_eq!(item["assignee"]["kind"], "medewerker");
}

/// A user with `roles` in `unit`: (user id, token).
async fn member(app: &TestApp, unit: &str, roles: &[Role]) -> (String, String) {
    let admin = app.token(&[Role::Beheerder]).await;
    let username = app.user(roles).await;
    let (_, users) = get(app, &admin, "/api/v1/users").await;
    let id = users.as_array().unwrap().iter().find(|u| u["username"] == username.as_str()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&admin)
        .json(&json!({"unit_id": unit}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    (id, app.token_for(&username).await)
}

async fn a_task_goes_to_a_named_colleague_and_the_team_lead_sees_all_of_the_team(app: &TestApp) {
    let (unit, agent) = unit_with_agent(app, "Team Belastingen").await;
    let (colleague_id, colleague) = member(app, &unit, &[Role::Klantcontactmedewerker]).await;
    let (_, lead) = member(app, &unit, &[Role::Teamleider]).await;
    let (_, party) = post(app, &agent, "/api/v1/parties", &citizen()).await;
    let party_id = party["id"].as_str().unwrap();

    // On the customer's page the task is addressed to a colleague by name.
    let page = app.client.get(app.url(&format!("/klanten/{party_id}"))).bearer_auth(&agent).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("value=\"medewerker:{colleague_id}\"")), "colleagues are offered by name");
    let naar = format!("medewerker:{colleague_id}");
    let form = [("action", "Kwijtschelding nakijken"), ("naar", naar.as_str())];
    let saved = app
        .client
        .post(app.url(&format!("/klanten/{party_id}/taken")))
        .bearer_auth(&agent)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let (_, theirs) = get(app, &colleague, "/api/v1/tasks").await;
    let task = &theirs.as_array().unwrap()[0];
    assert_eq!(
        (task["action"].as_str(), task["assignee"]["kind"].as_str()),
        (Some("Kwijtschelding nakijken"), Some("medewerker"))
    );

    // A follow-up for the team too; the team lead sees both, and /taken opens for them.
    let team =
        json!({"party_id": party_id, "action": "Bezwaar inplannen", "assignee": {"kind": "eenheid", "id": unit}});
    assert_eq!(post(app, &agent, "/api/v1/tasks", &team).await.0, 201);
    let (status, all) = get(app, &lead, "/api/v1/tasks").await;
    assert_eq!(status, 200, "{all}");
    let mut actions: Vec<&str> = all.as_array().unwrap().iter().map(|t| t["action"].as_str().unwrap()).collect();
    actions.sort();
    assert_eq!(actions, ["Bezwaar inplannen", "Kwijtschelding nakijken"]);
    let page = app.client.get(app.url("/taken")).bearer_auth(&lead).send().await.unwrap();
    assert_eq!(page.status(), 200, "a team lead opens /taken");
    let html = page.text().await.unwrap();
    assert!(html.contains("Kwijtschelding nakijken") && html.contains("href=\"/werkvoorraad\""));
}

on_both_backends!(
    a_teams_queue_holds_every_kind_and_each_step_is_in_the_history,
    the_wall_board_shows_each_kind_of_work,
    the_work_queue_page_lists_every_kind_and_claims_without_javascript,
    a_task_goes_to_a_named_colleague_and_the_team_lead_sees_all_of_the_team,
);
