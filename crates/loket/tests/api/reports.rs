//! Telephony and reports: the bank's February 1999 call log imported with the shipped mapping
//! and its daily service levels checked against a separate, simple count over the same file;
//! live call events; KPI parameters; empty periods; the CSV export; bad input.

use std::collections::BTreeMap;

use loket::auth::{Actor, Role};
use loket::channels::telephony::{self, mapping::Mapping};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

fn repo_file(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn bank_file() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/callcenter/anonymous-bank-1999-02.tsv")
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn send(app: &TestApp, method: reqwest::Method, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = app.client.request(method, app.url(path)).bearer_auth(token).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn import_bank(app: &TestApp) -> telephony::ImportSummary {
    let mapping =
        Mapping::from_toml(&std::fs::read_to_string(repo_file("docs/examples/anonymous-bank-1999-02.toml")).unwrap())
            .unwrap();
    let file = std::fs::File::open(bank_file()).expect("the bank data in ../shared");
    telephony::import(&app.store, &Actor::system("test"), std::io::BufReader::new(file), &mapping, false, |_| {})
        .await
        .unwrap()
}

/// The day's figures, counted straight from the file's own duration columns (q_time, vru_time,
/// ser_time) by the rules of the issue, without the importer's time arithmetic.
#[derive(Debug, Default)]
struct Day {
    answered: i64,
    within: i64,
    abandoned: i64,
    abandoned_after: i64,
    wait: i64,
    handle: i64,
}

fn independent_count(threshold: i64, include_ivr: bool) -> BTreeMap<String, Day> {
    let text = std::fs::read_to_string(bank_file()).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (date, vru_time, q_start, q_time, outcome, ser_time) =
        (col("date"), col("vru_time"), col("q_start"), col("q_time"), col("outcome"), col("ser_time"));
    let mut days: BTreeMap<String, Day> = BTreeMap::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let ivr: i64 = f[vru_time].parse().unwrap();
        // PHANTOM rows are ignored; a negative IVR time is impossible and the import refuses it.
        if f[outcome] == "PHANTOM" || ivr < 0 {
            continue;
        }
        let d = &f[date];
        let day = days.entry(format!("19{}-{}-{}", &d[0..2], &d[2..4], &d[4..6])).or_default();
        let wait = f[q_time].parse::<i64>().unwrap() + if include_ivr { ivr } else { 0 };
        match f[outcome] {
            "AGENT" => {
                day.answered += 1;
                day.within += i64::from(wait <= threshold);
                day.wait += wait;
                day.handle += f[ser_time].parse::<i64>().unwrap();
            }
            "HANG" if f[q_start] != "0:00:00" && f[q_time].parse::<i64>().unwrap() >= 5 => {
                day.abandoned += 1;
                day.abandoned_after += i64::from(wait > threshold);
            }
            _ => {}
        }
    }
    days
}

fn close(a: &Value, b: f64, tolerance: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() <= tolerance)
}

async fn the_bank_month_imports_and_its_daily_figures_match_an_independent_count(app: &TestApp) {
    let summary = import_bank(app).await;
    assert_eq!(summary.rows, 33_344);
    assert_eq!(summary.ignored, 278, "PHANTOM rows");
    // 25 rows leave the IVR before they enter it; 23 of them are not PHANTOM and are refused, each with its line number.
    assert_eq!(summary.bad.len(), 23, "{:?}", summary.bad.first());
    assert!(summary.bad.iter().all(|b| b.line > 1 && b.message.contains("vóór de aankomst")));
    assert_eq!(summary.imported, 33_344 - 278 - 23);
    let again = import_bank(app).await;
    assert_eq!((again.imported, again.updated), (0, 0), "a second import adds and changes nothing");

    let lead = app.token(&[Role::Teamleider]).await;
    for (clock, include_ivr) in [("queue", false), ("arrival", true)] {
        let expected = independent_count(20, include_ivr);
        let (status, report) = get(
            app,
            &lead,
            &format!("/api/v1/reports/service-level?from=1999-02-01&to=1999-02-28&channel=telefoon&group=day&threshold=20&clock={clock}&tz=Asia/Jerusalem"),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["definition"]["id"], "service_level");
        assert_eq!(report["definition"]["threshold_s"], 20);
        assert_eq!(report["definition"]["clock"], clock);
        assert_eq!(report["definition"]["url"], "/kpi#service_level");
        let rows = report["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 28);
        for row in rows {
            let period = row["period"].as_str().unwrap();
            let day = expected.get(period).unwrap_or_else(|| panic!("{period} has calls in the file"));
            assert_eq!(row["answered"], day.answered, "{period} {clock}");
            assert_eq!(row["abandoned"], day.abandoned, "{period} {clock}");
            assert_eq!(row["offered"], day.answered + day.abandoned, "{period} {clock}");
            assert_eq!(row["answered_within"], day.within, "{period} {clock}");
            let sl = day.within as f64 / (day.answered + day.abandoned_after) as f64;
            assert!(close(&row["service_level"], sl, 0.00006), "{period} {clock}: {} vs {sl}", row["service_level"]);
            assert!(close(&row["asa_s"], day.wait as f64 / day.answered as f64, 0.051), "{period} {clock}");
            assert!(close(&row["aht_s"], day.handle as f64 / day.answered as f64, 0.051), "{period} {clock}");
        }
    }
}

async fn a_period_without_calls_has_no_figures_and_bad_parameters_are_refused_by_name(app: &TestApp) {
    let lead = app.token(&[Role::Teamleider]).await;
    let (status, report) =
        get(app, &lead, "/api/v1/reports/service-level?from=2026-03-29&to=2026-03-29&group=hour").await;
    assert_eq!(status, 200, "{report}");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 23, "the day summer time starts has 23 hours");
    assert!(rows.iter().all(|r| r["offered"] == 0 && r["service_level"].is_null() && r["asa_s"].is_null()));
    assert!(report["total"]["service_level"].is_null());

    for (query, field) in [
        ("from=1999-02-30&to=1999-03-01", "from"),
        ("from=1999-02-01&to=1999-01-01", "to"),
        ("channel=fax", "channel"),
        ("threshold=abc", "threshold"),
        ("clock=wall", "clock"),
        ("group=week", "group"),
        ("denominator=everything", "denominator"),
        ("tz=Europe/Nowhere", "tz"),
    ] {
        let (status, problem) = get(app, &lead, &format!("/api/v1/reports/service-level?{query}")).await;
        assert_eq!(status, 400, "{query}: {problem}");
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
}

async fn live_call_events_move_a_call_through_the_queue_and_into_the_report(app: &TestApp) {
    let platform = app.token(&[Role::Beheerder]).await;
    let post = |body: Value| {
        let platform = platform.clone();
        async move { send(app, reqwest::Method::POST, &platform, "/api/v1/telephony/events", &body).await }
    };
    let now = chrono::Utc::now() - chrono::Duration::minutes(3);
    let at = |s: i64| (now + chrono::Duration::seconds(s)).to_rfc3339();
    let (status, call) =
        post(json!({"call_id": "c1", "event": "offered", "at": at(10), "arrived_at": at(0), "queue": "burgerzaken"}))
            .await;
    assert_eq!(status, 201, "{call}");
    assert_eq!((call["outcome"].as_str(), call["ivr_s"].as_i64()), (Some("waiting"), Some(10)));
    let (status, _) = post(json!({"call_id": "c1", "event": "offered", "at": at(10)})).await;
    assert_eq!(status, 409, "offered twice");
    let (status, problem) =
        post(json!({"call_id": "c9", "event": "offered", "at": at(10), "channel": "postduif"})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("channel")), "only channels of the list");
    let (status, _) = post(json!({"call_id": "c1", "event": "ended", "at": at(20)})).await;
    assert_eq!(status, 409, "ended before it was answered");
    let (status, problem) = post(json!({"call_id": "c1", "event": "answered", "at": at(5)})).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (400, Some("at")), "answered before it queued");
    let (status, call) = post(json!({"call_id": "c1", "event": "answered", "at": at(25), "agent": "Anouk"})).await;
    assert_eq!((status, call["queue_s"].as_i64()), (200, Some(15)), "{call}");
    let (status, call) = post(json!({"call_id": "c1", "event": "ended", "at": at(145)})).await;
    assert_eq!((status, call["talk_s"].as_i64()), (200, Some(120)), "{call}");
    let (status, _) = post(json!({"call_id": "nobody", "event": "answered", "at": at(30)})).await;
    assert_eq!(status, 404);
    let (status, _) = post(json!({"call_id": "c2", "event": "rang", "at": at(30)})).await;
    assert_eq!(status, 400, "unknown event");
    post(json!({"call_id": "c2", "event": "offered", "at": at(30)})).await;
    let (status, _) = post(json!({"call_id": "c2", "event": "abandoned", "at": at(70)})).await;
    assert_eq!(status, 200);

    let today = now.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    let (status, report) =
        get(app, &platform, &format!("/api/v1/reports/service-level?from={today}&to={today}&group=none&threshold=20"))
            .await;
    assert_eq!(status, 200, "{report}");
    let total = &report["total"];
    assert_eq!((total["answered"].as_i64(), total["abandoned"].as_i64()), (Some(1), Some(1)), "{total}");
    assert_eq!(total["service_level"], 0.5, "one within 20 s, one abandoned after 40 s");
    assert_eq!(total["asa_s"], 15.0);
}

async fn kpi_parameters_are_set_by_a_beheerder_and_change_the_default_definition(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let lead = app.token(&[Role::Teamleider]).await;
    let (status, catalogue) = get(app, &lead, "/api/v1/kpis").await;
    assert_eq!(status, 200);
    assert!(catalogue["definitions"].as_array().unwrap().iter().any(|d| d["id"] == "service_level"));
    assert_eq!(catalogue["settings"]["sl_threshold_s"]["telefoon"], 30);

    let mut settings = catalogue["settings"].clone();
    settings["sl_threshold_s"]["telefoon"] = json!(20);
    settings["clock"] = json!("arrival");
    let (status, _) = send(app, reqwest::Method::PUT, &lead, "/api/v1/kpi-settings", &settings).await;
    assert_eq!(status, 403, "a teamleider reads the parameters but does not set them");
    let (status, saved) = send(app, reqwest::Method::PUT, &admin, "/api/v1/kpi-settings", &settings).await;
    assert_eq!(status, 200, "{saved}");
    let (_, report) = get(app, &lead, "/api/v1/reports/service-level?from=2026-01-01&to=2026-01-02").await;
    assert_eq!(report["definition"]["threshold_s"], 20);
    assert_eq!(report["definition"]["clock"], "arrival");
    assert!(report["definition"]["label"].as_str().unwrap().contains("inclusief IVR"));

    let mut bad = settings.clone();
    bad["sl_threshold_s"]["fax"] = json!(10);
    bad["short_abandon_s"] = json!(-1);
    let (status, problem) = send(app, reqwest::Method::PUT, &admin, "/api/v1/kpi-settings", &bad).await;
    assert_eq!(status, 400, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, vec!["sl_threshold_s.fax", "short_abandon_s"]);
    let (_, after) = get(app, &lead, "/api/v1/kpis").await;
    assert_eq!(after["settings"], saved, "nothing of the refused set was stored");
}

async fn the_csv_export_holds_every_call_of_the_selection(app: &TestApp) {
    import_bank(app).await;
    let lead = app.token(&[Role::Teamleider]).await;
    let response = app
        .client
        .get(app.url("/api/v1/reports/calls?from=1999-02-01&to=1999-02-28&tz=Asia/Jerusalem"))
        .bearer_auth(&lead)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let body = response.text().await.unwrap();
    let mut lines = body.lines();
    assert!(
        lines.next().unwrap().starts_with("\u{feff}Gesprek;Bron;Kanaal"),
        "Dutch Excel: a BOM, semicolons, Dutch headers"
    );
    assert_eq!(lines.count(), 33_344 - 278 - 23);
    let response = app
        .client
        .get(app.url("/api/v1/reports/calls?from=1999-02-01&to=1999-02-28&tz=Asia/Jerusalem&format=comma"))
        .bearer_auth(&lead)
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    let mut lines = body.lines();
    assert!(lines.next().unwrap().starts_with("call_id,source,channel"), "the comma-separated file for programs");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 33_344 - 278 - 23, "every stored call, across many pages");
    assert!(rows[0].contains("+02:00"), "times carry their offset: {}", rows[0]);
    let mut ids: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rows.len(), "no call twice at a page boundary");
}

async fn the_reports_page_shows_figures_with_their_definition_and_a_chart(app: &TestApp) {
    import_bank(app).await;
    let lead = app.user(&[Role::Teamleider]).await;
    let browser = app.login(&lead).await;
    let page = browser
        .client
        .get(browser.url("/rapportages?from=1999-02-01&to=1999-02-07&tz=Asia/Jerusalem&threshold=20"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/kpi#service_level\""), "the figure links to its definition");
    assert!(html.contains("Servicelevel 20 s, vanaf de wachtrij"));
    assert!(html.contains("<svg role=\"img\""), "a chart readable without JavaScript");
    assert!(html.contains("1999-02-01") && html.contains("Vorige periode"));
    let bad = browser.client.get(browser.url("/rapportages?from=gisteren")).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("is geen datum"));
    let kpi = browser.client.get(browser.url("/kpi")).send().await.unwrap().text().await.unwrap();
    assert!(kpi.contains("id=\"service_level\"") && kpi.contains("korte-ophangdrempel"));
    let calls = browser
        .client
        .get(browser.url("/rapportages/gesprekken?from=1999-02-01&to=1999-02-01&tz=Asia/Jerusalem"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(calls.contains("Volgende gesprekken"), "the drill-down pages through the day's calls");

    // In English the definitions and their parameters read in English too.
    let switched = browser.client.get(browser.url("/taal/en?terug=/kpi")).send().await.unwrap();
    assert_eq!(switched.status(), 303);
    let english = |path: &str| {
        let request = browser.client.get(browser.url(path));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let html = english("/rapportages?from=1999-02-01&to=1999-02-07&tz=Asia/Jerusalem&threshold=20&per=weekday").await;
    assert!(html.contains("Service level 20 s, from queue entry, denominator answered + abandoned after T"), "{html}");
    assert!(!html.contains("vanaf de wachtrij"), "no Dutch parameter words on the English page");
    let kpi = english("/kpi").await;
    assert!(kpi.contains("short-abandon threshold") && kpi.contains("First contact resolution (no repeat contact)"));
    assert!(!kpi.contains("korte-ophangdrempel"));
}

async fn the_wall_board_shows_today_and_the_calls_waiting_now_and_streams_updates(app: &TestApp) {
    let platform = app.token(&[Role::Beheerder]).await;
    let now = chrono::Utc::now();
    let at = |s: i64| (now - chrono::Duration::seconds(s)).to_rfc3339();
    for (id, queued) in [("w1", 50), ("w2", 10)] {
        let body = json!({"call_id": id, "event": "offered", "at": at(queued), "queue": "burgerzaken"});
        let (status, _) = send(app, reqwest::Method::POST, &platform, "/api/v1/telephony/events", &body).await;
        assert_eq!(status, 201);
    }
    let lead = app.token(&[Role::Teamleider]).await;
    let (status, board) = get(app, &lead, "/api/v1/reports/wallboard").await;
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["waiting"], 2);
    assert_eq!(board["over_threshold"], 1, "one has waited longer than 30 s: {board}");
    assert!(board["longest_wait_s"].as_i64().unwrap() >= 50);
    assert_eq!(board["queues"][0]["queue"], "burgerzaken");
    assert!(board["today"]["service_level"].is_null(), "nothing answered or abandoned yet");
    let (status, _) = get(app, &lead, "/api/v1/reports/wallboard?channel=fax").await;
    assert_eq!(status, 400);

    let browser = app.login(&app.user(&[Role::Teamleider]).await).await;
    let page = browser.client.get(browser.url("/wandbord")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"wb-waiting\">2<"), "the page shows the figures without JavaScript");
    let mut stream = browser.client.get(browser.url("/wandbord/stroom")).send().await.unwrap();
    assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let first =
        tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk()).await.unwrap().unwrap().unwrap();
    let text = String::from_utf8_lossy(&first);
    assert!(text.contains("event: figures") && text.contains("\"waiting\":2"), "{text}");
}

async fn an_import_for_an_unknown_channel_stores_nothing_and_a_corrected_import_repairs_its_rows(app: &TestApp) {
    let mapping = |channel: &str, answered: &str| {
        Mapping::from_toml(&format!(
            "source = \"centrale\"\nchannel = \"{channel}\"\n[columns]\ncall_id = \"id\"\narrival = \"a\"\n\
             outcome = \"o\"\nqueue_entry = \"q\"\nqueue_exit = \"x\"\nanswer = \"b\"\n[format]\ntime = \"%Y-%m-%d %H:%M:%S\"\n\
             [outcomes]\nok = \"{answered}\"\nweg = \"abandoned\"\n"
        ))
        .unwrap()
    };
    let file = "id,a,q,x,o,b\n1,2026-03-02 09:00:00,2026-03-02 09:00:10,2026-03-02 09:00:30,ok,2026-03-02 09:00:30\n\
                2,2026-03-02 09:05:00,2026-03-02 09:05:10,2026-03-02 09:06:10,weg,\n";
    let import = |m: Mapping| async move {
        telephony::import(&app.store, &Actor::system("test"), file.as_bytes(), &m, false, |_| {}).await
    };
    let refused = import(mapping("postduif", "answered")).await.unwrap_err();
    assert!(refused.to_string().contains("postduif") && refused.to_string().contains("telefoon"), "{refused}");
    let lead = app.token(&[Role::Teamleider]).await;
    let day = "/api/v1/reports/service-level?from=2026-03-02&to=2026-03-02&group=none&threshold=20";

    // A mistake in the mapping (every answered call read as abandoned), then the corrected one.
    let wrong = import(mapping("telefoon", "abandoned")).await.unwrap();
    assert_eq!((wrong.imported, wrong.updated), (2, 0), "both calls are new: the refused import stored nothing");
    let (_, report) = get(app, &lead, &format!("{day}&channel=telefoon")).await;
    assert_eq!(report["rows"][0]["answered"], 0, "{report}");
    let corrected = import(mapping("telefoon", "answered")).await.unwrap();
    assert_eq!(
        (corrected.imported, corrected.updated, corrected.already_present),
        (0, 1, 1),
        "the import owns its rows: the changed call is rewritten, the other left alone"
    );
    let (_, report) = get(app, &lead, &format!("{day}&channel=telefoon")).await;
    assert_eq!((report["rows"][0]["answered"].as_i64(), report["rows"][0]["abandoned"].as_i64()), (Some(1), Some(1)));
}

on_both_backends!(
    an_import_for_an_unknown_channel_stores_nothing_and_a_corrected_import_repairs_its_rows,
    the_wall_board_shows_today_and_the_calls_waiting_now_and_streams_updates,
    the_bank_month_imports_and_its_daily_figures_match_an_independent_count,
    a_period_without_calls_has_no_figures_and_bad_parameters_are_refused_by_name,
    live_call_events_move_a_call_through_the_queue_and_into_the_report,
    kpi_parameters_are_set_by_a_beheerder_and_change_the_default_definition,
    the_csv_export_holds_every_call_of_the_selection,
    the_reports_page_shows_figures_with_their_definition_and_a_chart,
);
