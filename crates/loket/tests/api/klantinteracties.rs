//! The Klantinteracties API (VNG standard): what is written through it is Loket's own data,
//! visible through the native API and back; its lists page and filter like the standard's;
//! bad input names the standard's fields; geheimhouding and the audit log hold here too.

use loket::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

const KI: &str = "/klantinteracties/api/v1";

async fn ki_post(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(&format!("{KI}{path}")))
        .header("authorization", format!("Token {token}"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn ki_send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    let mut request =
        app.client.request(method, app.url(&format!("{KI}{path}"))).header("authorization", format!("Token {token}"));
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn ki_get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app
        .client
        .get(app.url(&format!("{KI}{path}")))
        .header("authorization", format!("Token {token}"))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn native_get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn native_post(app: &TestApp, token: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = app.client.post(app.url(path)).bearer_auth(token).json(body).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn person(bsn: &str) -> Value {
    json!({
        "soortPartij": "persoon",
        "partijIdentificatie": {"contactnaam": {"voornaam": "Sanne", "voorvoegselAchternaam": "de", "achternaam": "Vos"}},
        "partijIdentificatoren": [{"partijIdentificator": {
            "codeObjecttype": "natuurlijk_persoon", "codeSoortObjectId": "bsn", "objectId": bsn, "codeRegister": "brp"
        }}],
        "bezoekadres": {"straatnaam": "Dorpsstraat", "huisnummer": 12, "huisnummertoevoeging": "a", "postcode": "1234 AB", "stad": "Dijkstad"},
        "indicatieActief": true,
        "interneNotitie": ""
    })
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map_or_else(Vec::new, |e| e.iter().map(|e| e["field"].as_str().unwrap_or_default().to_owned()).collect())
}

async fn a_party_written_through_the_standard_is_found_through_the_native_api_and_back(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, partij) = ki_post(app, &agent, "/partijen", &person("111222333")).await;
    assert_eq!(status, 201, "{partij}");
    assert_eq!(partij["soortPartij"], "persoon");
    assert_eq!(partij["partijIdentificatie"]["volledigeNaam"], "Sanne de Vos");
    assert_eq!(partij["partijIdentificatoren"][0]["partijIdentificator"]["objectId"], "111222333");
    assert_eq!(partij["bezoekadres"]["postcode"], "1234 AB");
    assert_eq!(partij["bezoekadres"]["huisnummertoevoeging"], "a");
    let id = partij["uuid"].as_str().unwrap().to_owned();
    assert!(partij["url"].as_str().unwrap().ends_with(&format!("{KI}/partijen/{id}")), "{}", partij["url"]);

    let (status, adres) = ki_post(
        app,
        &agent,
        "/digitaleadressen",
        &json!({"verstrektDoorPartij": {"uuid": id}, "adres": "06 1234 5678", "soortDigitaalAdres": "telefoonnummer"}),
    )
    .await;
    assert_eq!(status, 201, "{adres}");
    assert_eq!(adres["adres"], "+31612345678");
    assert_eq!(adres["isStandaardAdres"], true);

    // The native API finds the same person by the phone number given to the standard's API…
    let (_, found) = native_get(app, &agent, "/api/v1/parties?phone=0612345678").await;
    assert_eq!(found[0]["id"], id, "{found}");
    assert_eq!(found[0]["address"]["house_letter"], "a");

    // …and a contact registered natively is the standard's klantcontact of that partij.
    let (status, contact) = native_post(
        app,
        &agent,
        "/api/v1/contacts",
        &json!({"channel": "telefoon", "subject": "Bladkorf", "question": "Wanneer komt de bladkorf?",
                "participants": [{"party_id": id}]}),
    )
    .await;
    assert_eq!(status, 201, "{contact}");
    let (status, list) = ki_get(app, &agent, &format!("/klantcontacten?hadBetrokkene__wasPartij__uuid={id}")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["count"], 1);
    let kc = &list["results"][0];
    assert_eq!(kc["uuid"], contact["id"]);
    assert_eq!(kc["kanaal"], "telefoon");
    assert_eq!(kc["inhoud"], "Wanneer komt de bladkorf?");
    assert_eq!(kc["taal"], "nld");
    assert_eq!(kc["hadBetrokkenen"].as_array().unwrap().len(), 1);
    assert_eq!(kc["hadBetrokkenActoren"][0]["soortActor"], "medewerker");

    let (_, by_bsn) = ki_get(app, &agent, "/partijen?partijIdentificator__objectId=111222333").await;
    assert_eq!(by_bsn["count"], 1, "{by_bsn}");
    assert_eq!(by_bsn["results"][0]["betrokkenen"].as_array().unwrap().len(), 1);
    let (_, betrokkene) = ki_get(
        app,
        &agent,
        &format!("/betrokkenen/{}", by_bsn["results"][0]["betrokkenen"][0]["uuid"].as_str().unwrap()),
    )
    .await;
    assert_eq!(betrokkene["volledigeNaam"], "Sanne de Vos");
    assert_eq!(betrokkene["wasPartij"]["uuid"], id);
}

async fn maak_klantcontact_stores_contact_betrokkene_and_onderwerpobject_together_or_nothing(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, partij) = ki_post(app, &agent, "/partijen", &person("123456782")).await;
    let party = partij["uuid"].as_str().unwrap().to_owned();
    let body = |kanaal: &str, was_partij: &str| {
        json!({
            "klantcontact": {"kanaal": kanaal, "onderwerp": "Bladkorf", "inhoud": "Hoe staat het ermee?",
                             "taal": "nld", "vertrouwelijk": false, "plaatsgevondenOp": "2026-11-30T09:15:00Z"},
            "betrokkene": {"wasPartij": {"uuid": was_partij}, "rol": "klant", "initiator": true},
            "onderwerpobject": {"onderwerpobjectidentificator": {
                "objectId": "ZAAK-1", "codeObjecttype": "zaak", "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"}}
        })
    };
    let (status, made) = ki_post(app, &agent, "/maak-klantcontact", &body("Chat", &party)).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["klantcontact"]["kanaal"], "chat", "the channel is matched by its name");
    assert_eq!(made["klantcontact"]["plaatsgevondenOp"], "2026-11-30T09:15:00Z");
    assert_eq!(made["betrokkene"]["wasPartij"]["uuid"], party);
    assert_eq!(made["betrokkene"]["hadKlantcontact"]["uuid"], made["klantcontact"]["uuid"]);
    assert_eq!(made["onderwerpobject"]["onderwerpobjectidentificator"]["objectId"], "ZAAK-1");
    assert_eq!(made["klantcontact"]["gingOverOnderwerpobjecten"][0]["uuid"], made["onderwerpobject"]["uuid"]);

    let (_, timeline) = native_get(app, &agent, &format!("/api/v1/parties/{party}/timeline")).await;
    assert_eq!(timeline["items"].as_array().unwrap().len(), 1, "{timeline}");
    assert_eq!(timeline["items"][0]["channel"], "chat");

    let (status, problem) = ki_post(app, &agent, "/maak-klantcontact", &body("postduif", &party)).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["klantcontact.kanaal"]);
    let (status, problem) =
        ki_post(app, &agent, "/maak-klantcontact", &body("telefoon", "00000000-0000-7000-8000-000000000000")).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["betrokkene.wasPartij"]);

    let (_, all) = ki_get(app, &agent, "/klantcontacten").await;
    assert_eq!(all["count"], 1, "a refused request stored nothing: {all}");
    let (_, subjects) = ki_get(app, &agent, "/onderwerpobjecten?onderwerpobjectidentificatorObjectId=ZAAK-1").await;
    assert_eq!(subjects["count"], 1);
}

async fn lists_are_paged_and_filtered_like_the_standard(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    for kanaal in ["telefoon", "e-mail", "telefoon"] {
        let (status, made) = ki_post(
            app,
            &agent,
            "/klantcontacten",
            &json!({"kanaal": kanaal, "onderwerp": "Afval", "taal": "nld", "vertrouwelijk": false}),
        )
        .await;
        assert_eq!(status, 201, "{made}");
    }
    let (_, first) = ki_get(app, &agent, "/klantcontacten?pageSize=2").await;
    assert_eq!(first["count"], 3);
    assert_eq!(first["results"].as_array().unwrap().len(), 2);
    assert!(first["previous"].is_null());
    let next = first["next"].as_str().expect("a next page");
    assert!(next.contains("pageSize=2") && next.contains("page=2"), "{next}");
    let (_, second) = ki_get(app, &agent, "/klantcontacten?pageSize=2&page=2").await;
    assert_eq!(second["results"].as_array().unwrap().len(), 1);
    assert!(second["next"].is_null());
    assert!(second["previous"].as_str().unwrap().contains("page=1"));

    let (_, phone) = ki_get(app, &agent, "/klantcontacten?kanaal=telefoon").await;
    assert_eq!(phone["count"], 2);
    let (_, beyond) = ki_get(app, &agent, "/klantcontacten?page=9").await;
    assert_eq!((beyond["count"].as_i64(), beyond["results"].as_array().unwrap().len()), (Some(3), 0));

    for bad in [
        "page=0",
        "pageSize=1000",
        "page=x",
        "vertrouwelijk=misschien",
        "hadBetrokkene__wasPartij__uuid=nee",
        "onderwerp=%00",
    ] {
        let (status, problem) = ki_get(app, &agent, &format!("/klantcontacten?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {problem}");
    }
}

async fn bad_input_is_refused_with_the_standards_field_names_and_stores_nothing(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (status, problem) = ki_post(app, &agent, "/partijen", &person("123456789")).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["partijIdentificatoren[0].value"]);

    let mut wrong_register = person("111222333");
    wrong_register["partijIdentificatoren"][0]["partijIdentificator"]["codeRegister"] = json!("hr");
    let (status, problem) = ki_post(app, &agent, "/partijen", &wrong_register).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["partijIdentificatoren[0].partijIdentificator.codeRegister"]);

    let mut bad_postcode = person("111222333");
    bad_postcode["bezoekadres"]["postcode"] = json!("0123 AB");
    let (status, problem) = ki_post(app, &agent, "/partijen", &bad_postcode).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["bezoekadres.postcode"]);

    let (status, first) = ki_post(app, &agent, "/partijen", &person("111222333")).await;
    assert_eq!(status, 201, "{first}");
    let (status, problem) = ki_post(app, &agent, "/partijen", &person("111222333")).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["existing"], format!("/api/v1/parties/{}", first["uuid"].as_str().unwrap()));

    let (status, problem) =
        ki_post(app, &agent, "/digitaleadressen", &json!({"adres": "a@b.nl", "soortDigitaalAdres": "email"})).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["verstrektDoorPartij"]);
    let (status, problem) = ki_post(
        app,
        &agent,
        "/digitaleadressen",
        &json!({"verstrektDoorPartij": {"uuid": first["uuid"]}, "adres": "12345", "soortDigitaalAdres": "telefoonnummer"}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["adres"]);

    let (status, problem) =
        ki_post(app, &agent, "/klantcontacten", &json!({"kanaal": "telefoon", "onderwerp": ""})).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["onderwerp"]);
    let (status, _) = ki_post(app, &agent, "/klantcontacten", &json!("geen object")).await;
    assert_eq!(status, 400);

    let (_, all) = ki_get(app, &agent, "/partijen").await;
    assert_eq!(all["count"], 1, "{all}");
    let (_, contacts) = ki_get(app, &agent, "/klantcontacten").await;
    assert_eq!(contacts["count"], 0);

    let unauthenticated = app.client.get(app.url(&format!("{KI}/partijen"))).send().await.unwrap();
    assert_eq!(unauthenticated.status().as_u16(), 401);
}

async fn geheimhouding_hides_numbers_and_address_in_the_standards_view_too(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let second_line = app.token(&[Role::Tweedelijn]).await;
    let mut secret = person("111222333");
    secret["indicatieGeheimhouding"] = json!(true);
    let (status, partij) = ki_post(app, &agent, "/partijen", &secret).await;
    assert_eq!(status, 201, "{partij}");
    let id = partij["uuid"].as_str().unwrap();

    let (_, seen) = ki_get(app, &agent, &format!("/partijen/{id}")).await;
    assert_eq!(seen["indicatieGeheimhouding"], true);
    assert_eq!(seen["partijIdentificatoren"], json!([]));
    assert!(seen["bezoekadres"].is_null());
    let (_, by_bsn) = ki_get(app, &agent, "/partijen?partijIdentificator__objectId=111222333").await;
    assert_eq!(by_bsn["count"], 0, "who holds a number is protected: {by_bsn}");
    let (_, idents) = ki_get(app, &agent, "/partij-identificatoren?partijIdentificatorObjectId=111222333").await;
    assert_eq!(idents["count"], 0);

    let (_, found) = ki_get(app, &second_line, "/partijen?partijIdentificator__objectId=111222333").await;
    assert_eq!(found["count"], 1);
    let (_, idents) = ki_get(app, &second_line, "/partij-identificatoren?partijIdentificatorObjectId=111222333").await;
    assert_eq!(idents["count"], 0, "numbers under geheimhouding are lifted one party at a time, not listed");
    let (_, by_number) =
        ki_get(app, &agent, "/digitaleadressen?verstrektDoorPartij__partijIdentificator__objectId=111222333").await;
    assert_eq!(by_number["count"], 0);
}

async fn a_task_from_a_contact_goes_to_an_actor_and_reaches_their_worklist(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let colleague = app.token(&[Role::Tweedelijn]).await;
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, me) = native_get(app, &colleague, "/api/v1/me").await;
    let colleague_id = me["id"].as_str().unwrap().to_owned();

    let (_, actor) = ki_get(app, &agent, &format!("/actoren/{colleague_id}")).await;
    assert_eq!(actor["soortActor"], "medewerker", "{actor}");
    let (_, made) = ki_post(
        app,
        &agent,
        "/klantcontacten",
        &json!({"kanaal": "telefoon", "onderwerp": "Paspoort", "taal": "nld", "vertrouwelijk": false}),
    )
    .await;
    let contact = made["uuid"].as_str().unwrap().to_owned();

    let (status, taak) = ki_post(
        app,
        &agent,
        "/internetaken",
        &json!({"gevraagdeHandeling": "Terugbellen over de afspraak", "aanleidinggevendKlantcontact": {"uuid": contact},
                "toegewezenAanActoren": [{"uuid": colleague_id}], "status": "te_verwerken"}),
    )
    .await;
    assert_eq!(status, 201, "{taak}");
    assert_eq!(taak["toegewezenAanActoren"][0]["uuid"], colleague_id);
    let (_, worklist) = native_get(app, &colleague, "/api/v1/tasks").await;
    assert!(worklist.as_array().unwrap().iter().any(|t| t["id"] == taak["uuid"]), "{worklist}");
    let (_, kc) = ki_get(app, &agent, &format!("/klantcontacten/{contact}")).await;
    assert_eq!(kc["leiddeTotInterneTaken"][0]["uuid"], taak["uuid"]);
    let (_, open) =
        ki_get(app, &agent, &format!("/internetaken?status=te_verwerken&toegewezenAanActor__uuid={colleague_id}"))
            .await;
    assert_eq!(open["count"], 1);

    // Colleagues are managed in Loket; automated actors can be created here, by a beheerder.
    let (status, problem) = ki_post(app, &admin, "/actoren", &json!({"naam": "X", "soortActor": "medewerker"})).await;
    assert_eq!(status, 400, "{problem}");
    let (status, bot) = ki_post(
        app,
        &admin,
        "/actoren",
        &json!({"naam": "Chatbot Dijkstad", "soortActor": "geautomatiseerde_actor", "actorIdentificatie": {"functie": "chatbot"}}),
    )
    .await;
    assert_eq!(status, 201, "{bot}");
    let (status, for_bot) = ki_post(
        app,
        &agent,
        "/internetaken",
        &json!({"gevraagdeHandeling": "Gesprek samenvatten", "aanleidinggevendKlantcontact": {"uuid": contact},
                "toegewezenAanActor": {"uuid": bot["uuid"]}}),
    )
    .await;
    assert_eq!(status, 201, "{for_bot}");
    let (status, problem) = ki_post(
        app,
        &agent,
        "/internetaken",
        &json!({"gevraagdeHandeling": "Twee tegelijk", "aanleidinggevendKlantcontact": {"uuid": contact},
                "toegewezenAanActoren": [{"uuid": colleague_id}, {"uuid": bot["uuid"]}]}),
    )
    .await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["toegewezenAanActoren"]);
}

async fn reads_through_the_standard_are_in_the_audit_log(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, partij) = ki_post(app, &agent, "/partijen", &person("111222333")).await;
    let id = partij["uuid"].as_str().unwrap();
    let (status, _) = ki_get(app, &agent, "/partijen").await;
    assert_eq!(status, 200);
    let (status, _) = ki_get(app, &agent, &format!("/partijen/{id}")).await;
    assert_eq!(status, 200);
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, searched) = native_get(app, &admin, "/api/v1/audit-log?action=parties_searched").await;
    let entries = searched["entries"].as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["detail"]["api"] == "klantinteracties" && e["purpose"] == "klantcontact"),
        "{searched}"
    );
    let (_, read) = native_get(app, &admin, "/api/v1/audit-log?action=party_read").await;
    assert!(read["entries"].as_array().unwrap().iter().any(|e| e["object_id"] == id), "{read}");
}

async fn expand_brings_a_contacts_people_their_addresses_subjects_and_tasks_in_one_answer(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let colleague = app.token(&[Role::Tweedelijn]).await;
    let (_, me) = native_get(app, &colleague, "/api/v1/me").await;
    let colleague_id = me["id"].as_str().unwrap().to_owned();
    let (_, partij) = ki_post(app, &agent, "/partijen", &person("123456782")).await;
    let party = partij["uuid"].as_str().unwrap().to_owned();
    let adres = json!({"verstrektDoorPartij": {"uuid": party}, "adres": "0612345678", "soortDigitaalAdres": "telefoonnummer",
                       "isStandaardAdres": true, "omschrijving": "mobiel"});
    let (status, adres) = ki_post(app, &agent, "/digitaleadressen", &adres).await;
    assert_eq!(status, 201, "{adres}");
    let made = json!({
        "klantcontact": {"kanaal": "telefoon", "onderwerp": "Bladkorf", "inhoud": "Wanneer komt de bladkorf?", "taal": "nld", "vertrouwelijk": false},
        "betrokkene": {"wasPartij": {"uuid": party}, "rol": "klant", "initiator": true},
        "onderwerpobject": {"onderwerpobjectidentificator": {
            "objectId": "ZAAK-7", "codeObjecttype": "zaak", "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"}}
    });
    let (_, made) = ki_post(app, &agent, "/maak-klantcontact", &made).await;
    let contact = made["klantcontact"]["uuid"].as_str().unwrap().to_owned();
    let taak = json!({"gevraagdeHandeling": "Terugbellen over de bladkorf", "aanleidinggevendKlantcontact": {"uuid": contact},
                      "toegewezenAanActoren": [{"uuid": colleague_id}], "status": "te_verwerken"});
    let (_, taak) = ki_post(app, &agent, "/internetaken", &taak).await;

    let (status, plain) = ki_get(app, &agent, &format!("/klantcontacten/{contact}")).await;
    assert_eq!(status, 200);
    assert!(plain.get("_expand").is_none(), "nothing is included unasked: {plain}");

    let asked =
        "expand=hadBetrokkenen.digitaleAdressen,gingOverOnderwerpobjecten,leiddeTotInterneTaken,omvatteBijlagen";
    let (status, kc) = ki_get(app, &agent, &format!("/klantcontacten/{contact}?{asked}")).await;
    assert_eq!(status, 200, "{kc}");
    let expanded = &kc["_expand"];
    assert_eq!(expanded["hadBetrokkenen"][0]["wasPartij"]["uuid"], party.as_str(), "{kc}");
    assert_eq!(expanded["hadBetrokkenen"][0]["volledigeNaam"], "Sanne de Vos");
    assert_eq!(expanded["hadBetrokkenen"][0]["_expand"]["digitaleAdressen"][0]["adres"], "+31612345678");
    assert_eq!(expanded["gingOverOnderwerpobjecten"][0]["onderwerpobjectidentificator"]["objectId"], "ZAAK-7");
    assert_eq!(expanded["leiddeTotInterneTaken"][0]["uuid"], taak["uuid"]);
    assert_eq!(expanded["leiddeTotInterneTaken"][0]["gevraagdeHandeling"], "Terugbellen over de bladkorf");
    assert_eq!(expanded["omvatteBijlagen"], json!([]));

    let (status, list) = ki_get(app, &agent, "/klantcontacten?expand=hadBetrokkenen.wasPartij").await;
    assert_eq!(status, 200, "{list}");
    let betrokkene = &list["results"][0]["_expand"]["hadBetrokkenen"][0];
    assert_eq!(betrokkene["_expand"]["wasPartij"]["uuid"], party.as_str(), "{list}");
    assert_eq!(betrokkene["_expand"]["wasPartij"]["soortPartij"], "persoon");

    let (status, problem) = ki_get(app, &agent, &format!("/klantcontacten/{contact}?expand=wasPartij")).await;
    assert_eq!((status, fields(&problem)), (400, vec!["expand".to_owned()]), "{problem}");

    let (status, p) =
        ki_get(app, &agent, &format!("/partijen/{party}?expand=digitaleAdressen,betrokkenen.hadKlantcontact")).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["_expand"]["digitaleAdressen"][0]["uuid"], adres["uuid"]);
    assert_eq!(p["_expand"]["betrokkenen"][0]["_expand"]["hadKlantcontact"]["onderwerp"], "Bladkorf", "{p}");
    let betrokkene_id = made["betrokkene"]["uuid"].as_str().unwrap();
    let (_, b) = ki_get(app, &agent, &format!("/betrokkenen/{betrokkene_id}?expand=digitaleAdressen")).await;
    assert_eq!(b["_expand"]["digitaleAdressen"][0]["soortDigitaalAdres"], "telefoonnummer", "{b}");

    // What expand includes is read as if asked for on its own: the audit log says so.
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, searched) = native_get(app, &admin, "/api/v1/audit-log?action=parties_searched").await;
    assert!(
        searched["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["detail"]["by"] == "klantinteracties_digitaleadressen"),
        "{searched}"
    );
}

async fn a_task_is_changed_handed_on_finished_and_deleted_through_the_standard(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let (_, me) = native_get(app, &agent, "/api/v1/me").await;
    let agent_id = me["id"].as_str().unwrap().to_owned();
    let lead = app.token(&[Role::Teamleider]).await;
    let colleague = app.token(&[Role::Tweedelijn]).await;
    let (_, them) = native_get(app, &colleague, "/api/v1/me").await;
    let colleague_id = them["id"].as_str().unwrap().to_owned();
    let (_, made) = ki_post(
        app,
        &agent,
        "/klantcontacten",
        &json!({"kanaal": "telefoon", "onderwerp": "Paspoort", "taal": "nld", "vertrouwelijk": false}),
    )
    .await;
    let contact = made["uuid"].as_str().unwrap().to_owned();
    let new_task = json!({"gevraagdeHandeling": "Terugbellen over de afspraak", "aanleidinggevendKlantcontact": {"uuid": contact},
                          "toegewezenAanActoren": [{"uuid": agent_id}], "status": "te_verwerken"});
    let (_, taak) = ki_post(app, &agent, "/internetaken", &new_task).await;
    let path = format!("/internetaken/{}", taak["uuid"].as_str().unwrap());
    let patch = |body: Value| {
        let (path, agent) = (path.clone(), agent.clone());
        async move { ki_send(app, reqwest::Method::PATCH, &agent, &path, Some(&body)).await }
    };

    let (status, changed) = patch(json!({"gevraagdeHandeling": "Terugbellen over de afspraak van dinsdag"})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["gevraagdeHandeling"], "Terugbellen over de afspraak van dinsdag");
    assert_eq!(changed["status"], "te_verwerken");

    // Checked before anything changes.
    let (status, problem) = patch(json!({"gevraagdeHandeling": "Iets anders", "status": "klaar"})).await;
    assert_eq!((status, fields(&problem)), (400, vec!["status".to_owned()]), "{problem}");
    let (status, problem) =
        patch(json!({"aanleidinggevendKlantcontact": {"uuid": "00000000-0000-7000-8000-000000000000"}})).await;
    assert_eq!((status, fields(&problem)), (400, vec!["aanleidinggevendKlantcontact".to_owned()]), "{problem}");
    let (status, problem) =
        patch(json!({"toegewezenAanActoren": [{"uuid": colleague_id}], "status": "verwerkt"})).await;
    assert_eq!(status, 400, "{problem}");
    let (_, unchanged) = ki_get(app, &agent, &path).await;
    assert_eq!(
        unchanged["gevraagdeHandeling"], "Terugbellen over de afspraak van dinsdag",
        "a refused change changed nothing"
    );
    assert_eq!(unchanged["toegewezenAanActoren"][0]["uuid"], agent_id.as_str());
    let (status, _) =
        ki_send(app, reqwest::Method::PUT, &agent, &path, Some(&json!({"toelichting": "alleen dit"}))).await;
    assert_eq!(status, 400, "PUT needs every required field");

    // The holder may change the text, but work goes to a colleague or a team, not to an
    // automated actor: the whole request is refused, the text included.
    let admin = app.token(&[Role::Beheerder]).await;
    let bot = json!({"naam": "Chatbot Dijkstad", "soortActor": "geautomatiseerde_actor", "actorIdentificatie": {"functie": "chatbot"}});
    let (_, bot) = ki_post(app, &admin, "/actoren", &bot).await;
    let both = json!({"gevraagdeHandeling": "Iets anders", "toegewezenAanActoren": [{"uuid": bot["uuid"]}]});
    let (status, problem) = patch(both).await;
    assert_eq!((status, fields(&problem)), (400, vec!["toegewezenAanActoren[0]".to_owned()]), "{problem}");
    let (_, unchanged) = ki_get(app, &agent, &path).await;
    assert_eq!(unchanged["gevraagdeHandeling"], "Terugbellen over de afspraak van dinsdag", "nothing of it was done");

    // The holder hands it on; then it is the colleague's to finish.
    let (status, handed) = patch(json!({"toegewezenAanActoren": [{"uuid": colleague_id}]})).await;
    assert_eq!(status, 200, "{handed}");
    assert_eq!(handed["toegewezenAanActoren"][0]["uuid"], colleague_id.as_str());
    let (status, _) = patch(json!({"status": "verwerkt"})).await;
    assert_eq!(status, 403, "the agent no longer holds it");
    let whole = json!({"gevraagdeHandeling": "Terugbellen over de afspraak van dinsdag", "aanleidinggevendKlantcontact": {"uuid": contact},
                       "toegewezenAanActoren": [{"uuid": colleague_id}], "toelichting": "Afspraak verzet naar vrijdag", "status": "verwerkt"});
    let (status, done) = ki_send(app, reqwest::Method::PUT, &colleague, &path, Some(&whole)).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["status"], "verwerkt");
    assert_eq!(
        done["toelichting"], "",
        "the toelichting of a finishing request is its result, not a change of what was asked"
    );
    assert!(done["afgehandeldOp"].is_string());
    let (status, problem) =
        ki_send(app, reqwest::Method::PATCH, &colleague, &path, Some(&json!({"status": "te_verwerken"}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["status".to_owned()]), "a finished task stays finished");

    // The native history tells who did what, the change included.
    let (_, item) = native_get(app, &lead, &format!("/api/v1/work-items/{}", taak["uuid"].as_str().unwrap())).await;
    let actions: Vec<&str> =
        item["history"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["aangemaakt", "gewijzigd", "overgedragen", "afgerond"], "{item}");
    assert_eq!(item["history"][3]["note"], "Afspraak verzet naar vrijdag");

    // A task made by mistake is deleted by a team lead; the audit log keeps what it asked.
    let (_, twice) = ki_post(app, &agent, "/internetaken", &new_task).await;
    let twice_path = format!("/internetaken/{}", twice["uuid"].as_str().unwrap());
    assert_eq!(ki_send(app, reqwest::Method::DELETE, &colleague, &twice_path, None).await.0, 403);
    assert_eq!(
        ki_send(app, reqwest::Method::DELETE, &lead, &twice_path, None).await.0,
        403,
        "a team lead may not register contacts"
    );
    assert_eq!(ki_send(app, reqwest::Method::DELETE, &agent, &twice_path, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &twice_path).await.0, 404);
    assert_eq!(ki_send(app, reqwest::Method::DELETE, &agent, &twice_path, None).await.0, 404);
    let (_, log) = native_get(app, &admin, "/api/v1/audit-log?action=task_deleted").await;
    assert_eq!(log["entries"][0]["detail"]["action"], "Terugbellen over de afspraak", "{log}");
}

async fn send(app: &TestApp, method: &str, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    ki_send(app, method, token, path, body.as_ref()).await
}

async fn a_contact_is_corrected_by_who_registered_it_and_removed_unless_work_hangs_on_it(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let other = app.token(&[Role::Klantcontactmedewerker]).await;
    let lead = app.token(&[Role::Teamleider, Role::Klantcontactmedewerker]).await;
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, partij) = ki_post(app, &agent, "/partijen", &person("111222333")).await;
    let (status, made) = ki_post(
        app,
        &agent,
        "/maak-klantcontact",
        &json!({"klantcontact": {"kanaal": "telefoon", "onderwerp": "Paspoot", "inhoud": "Wanneer is mijn paspoort klaar?",
                                 "taal": "nld", "vertrouwelijk": false},
                "betrokkene": {"wasPartij": {"uuid": partij["uuid"]}, "rol": "klant", "initiator": true},
                "onderwerpobject": {"onderwerpobjectidentificator": {"objectId": "ZAAK-1", "codeObjecttype": "zaak",
                                    "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"}}}),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let path = format!("/klantcontacten/{}", made["klantcontact"]["uuid"].as_str().unwrap());

    // The agent fixes the typo; what the PATCH leaves out stays.
    let (status, fixed) = send(app, "PATCH", &agent, &path, Some(json!({"onderwerp": "Paspoort"}))).await;
    assert_eq!(status, 200, "{fixed}");
    assert_eq!(fixed["onderwerp"], "Paspoort");
    assert_eq!(fixed["inhoud"], "Wanneer is mijn paspoort klaar?");
    assert_eq!(fixed["hadBetrokkenen"].as_array().unwrap().len(), 1);
    let (_, native) = native_get(app, &agent, &format!("/api/v1/contacts/{}", fixed["uuid"].as_str().unwrap())).await;
    assert_eq!(native["subject"], "Paspoort");

    // Checked before anything changes, with the standard's field names.
    let (status, problem) =
        send(app, "PATCH", &agent, &path, Some(json!({"onderwerp": "x", "kanaal": "postduif"}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["kanaal".to_owned()]), "{problem}");
    let (status, problem) = send(app, "PUT", &agent, &path, Some(json!({"onderwerp": "Paspoort"}))).await;
    assert_eq!(status, 400, "PUT needs every required field: {problem}");
    assert_eq!(ki_get(app, &agent, &path).await.1["onderwerp"], "Paspoort", "a refused change changed nothing");

    // Only who registered it, or a team lead who registers contacts too.
    assert_eq!(send(app, "PATCH", &other, &path, Some(json!({"onderwerp": "Rijbewijs"}))).await.0, 403);
    let whole = json!({"kanaal": "balie", "onderwerp": "Paspoort ophalen", "taal": "nld", "vertrouwelijk": false});
    let (status, by_lead) = send(app, "PUT", &lead, &path, Some(whole)).await;
    assert_eq!(status, 200, "{by_lead}");
    assert_eq!((by_lead["kanaal"].as_str(), by_lead["onderwerp"].as_str()), (Some("balie"), Some("Paspoort ophalen")));
    let (_, log) = native_get(app, &admin, "/api/v1/audit-log?action=contact_updated").await;
    assert_eq!(log["entries"][0]["detail"]["corrected"], json!(["channel", "subject"]), "{log}");

    // The betrokkene and the onderwerpobject change and go the same way.
    let betrokkene = format!("/betrokkenen/{}", made["betrokkene"]["uuid"].as_str().unwrap());
    let body = json!({"rol": "vertegenwoordiger", "contactnaam": {"voornaam": "Piet", "achternaam": "Vos"}});
    let (status, changed) = send(app, "PATCH", &agent, &betrokkene, Some(body)).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!((changed["rol"].as_str(), changed["initiator"].as_bool()), (Some("vertegenwoordiger"), Some(true)));
    assert_eq!(changed["wasPartij"]["uuid"], partij["uuid"]);
    let (status, problem) = send(app, "PATCH", &agent, &betrokkene, Some(json!({"rol": "buurman"}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["rol".to_owned()]), "{problem}");
    assert_eq!(send(app, "PATCH", &other, &betrokkene, Some(json!({"rol": "klant"}))).await.0, 403);
    let onderwerp = format!("/onderwerpobjecten/{}", made["onderwerpobject"]["uuid"].as_str().unwrap());
    let body = json!({"onderwerpobjectidentificator": {"objectId": "ZAAK-2"}});
    let (status, changed) = send(app, "PATCH", &agent, &onderwerp, Some(body)).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["onderwerpobjectidentificator"]["objectId"], "ZAAK-2");
    assert_eq!(changed["onderwerpobjectidentificator"]["codeRegister"], "openzaak");
    assert_eq!(send(app, "DELETE", &agent, &onderwerp, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &onderwerp).await.0, 404);
    // One that only says "this was that contact" is that contact's, too.
    let earlier = json!({"wasKlantcontact": {"uuid": made["klantcontact"]["uuid"]},
                         "onderwerpobjectidentificator": {"objectId": "ZAAK-3", "codeObjecttype": "zaak",
                                                          "codeRegister": "openzaak", "codeSoortObjectId": "identificatie"}});
    let (status, earlier) = ki_post(app, &agent, "/onderwerpobjecten", &earlier).await;
    assert_eq!(status, 201, "{earlier}");
    let earlier = format!("/onderwerpobjecten/{}", earlier["uuid"].as_str().unwrap());
    let body = json!({"onderwerpobjectidentificator": {"objectId": "ZAAK-4"}});
    assert_eq!(send(app, "PATCH", &other, &earlier, Some(body.clone())).await.0, 403);
    assert_eq!(send(app, "DELETE", &other, &earlier, None).await.0, 403);
    assert_eq!(send(app, "PATCH", &agent, &earlier, Some(body)).await.0, 200);
    assert_eq!(send(app, "DELETE", &agent, &betrokkene, None).await.0, 204);
    let (_, left) = ki_get(app, &agent, &path).await;
    assert_eq!(left["hadBetrokkenen"], json!([]), "the contact stays, anonymous now");

    // A contact that a task came from stays: it is the record of that work.
    let (_, me) = native_get(app, &agent, "/api/v1/me").await;
    let task = json!({"gevraagdeHandeling": "Terugbellen", "aanleidinggevendKlantcontact": {"uuid": made["klantcontact"]["uuid"]},
                      "toegewezenAanActoren": [{"uuid": me["id"]}], "status": "te_verwerken"});
    let (_, taak) = ki_post(app, &agent, "/internetaken", &task).await;
    assert_eq!(send(app, "DELETE", &agent, &path, None).await.0, 409);
    assert_eq!(
        send(app, "DELETE", &agent, &format!("/internetaken/{}", taak["uuid"].as_str().unwrap()), None).await.0,
        204
    );
    assert_eq!(send(app, "DELETE", &other, &path, None).await.0, 403);
    assert_eq!(send(app, "DELETE", &agent, &path, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &path).await.0, 404);
    assert_eq!(send(app, "DELETE", &agent, &path, None).await.0, 404);
    let (_, log) = native_get(app, &admin, "/api/v1/audit-log?action=contact_deleted").await;
    assert_eq!(log["entries"][0]["object_id"], made["klantcontact"]["uuid"], "{log}");

    // A confidential contact is corrected only by whom may read it.
    let secret = json!({"kanaal": "telefoon", "onderwerp": "Schuldhulp", "inhoud": "Ik heb schulden", "taal": "nld", "vertrouwelijk": true});
    let (_, secret) = ki_post(app, &agent, "/klantcontacten", &secret).await;
    let secret_path = format!("/klantcontacten/{}", secret["uuid"].as_str().unwrap());
    assert_eq!(send(app, "PATCH", &lead, &secret_path, Some(json!({"onderwerp": "Iets"}))).await.0, 403);
    let (status, kept) =
        send(app, "PATCH", &agent, &secret_path, Some(json!({"onderwerp": "Schuldhulpverlening"}))).await;
    assert_eq!(status, 200, "{kept}");
    assert_eq!(kept["inhoud"], "Ik heb schulden");
}

async fn a_partys_names_numbers_and_addresses_are_changed_and_removed_through_the_standard(app: &TestApp) {
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let second_line = app.token(&[Role::Tweedelijn]).await;
    let admin = app.token(&[Role::Beheerder]).await;
    let (_, partij) = ki_post(app, &agent, "/partijen", &person("111222333")).await;
    let id = partij["uuid"].as_str().unwrap().to_owned();
    let path = format!("/partijen/{id}");

    let body = json!({"partijIdentificatie": {"contactnaam": {"achternaam": "Vos-Jansen"}}});
    let (status, renamed) = send(app, "PATCH", &agent, &path, Some(body)).await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed["partijIdentificatie"]["volledigeNaam"], "Sanne de Vos-Jansen");
    assert_eq!(renamed["bezoekadres"]["postcode"], "1234 AB", "the address stays");
    let (_, found) = native_get(app, &agent, "/api/v1/parties?q=Vos-Jansen").await;
    assert_eq!(found[0]["id"], id.as_str(), "found by the new name: {found}");
    let (status, problem) = send(app, "PATCH", &agent, &path, Some(json!({"soortPartij": "organisatie"}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["soortPartij".to_owned()]), "{problem}");
    let body = json!({"bezoekadres": {"huisnummer": 5, "postcode": "12345"}});
    let (status, problem) = send(app, "PATCH", &agent, &path, Some(body)).await;
    assert_eq!((status, fields(&problem)), (400, vec!["bezoekadres.postcode".to_owned()]), "{problem}");

    // Digital addresses: changed, made preferred, removed; one stays preferred.
    let adres = |value: &str, kind: &str| json!({"verstrektDoorPartij": {"uuid": id}, "adres": value, "soortDigitaalAdres": kind});
    let (_, phone) = ki_post(app, &agent, "/digitaleadressen", &adres("0612345678", "telefoonnummer")).await;
    let (_, mail) = ki_post(app, &agent, "/digitaleadressen", &adres("sanne@example.nl", "email")).await;
    let phone_path = format!("/digitaleadressen/{}", phone["uuid"].as_str().unwrap());
    let mail_path = format!("/digitaleadressen/{}", mail["uuid"].as_str().unwrap());
    let (status, changed) = send(app, "PATCH", &agent, &phone_path, Some(json!({"adres": "06 8765 4321"}))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!((changed["adres"].as_str(), changed["isStandaardAdres"].as_bool()), (Some("+31687654321"), Some(true)));
    let (status, problem) = send(app, "PATCH", &agent, &mail_path, Some(json!({"adres": "geen adres"}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["adres".to_owned()]), "{problem}");
    let (status, _) =
        send(app, "PATCH", &agent, &path, Some(json!({"voorkeursDigitaalAdres": {"uuid": mail["uuid"]}}))).await;
    assert_eq!(status, 200);
    assert_eq!(ki_get(app, &agent, &phone_path).await.1["isStandaardAdres"], false);
    assert_eq!(send(app, "DELETE", &agent, &mail_path, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &phone_path).await.1["isStandaardAdres"], true, "the other one is preferred now");
    assert_eq!(ki_get(app, &agent, &mail_path).await.0, 404);

    // Identifiers: the same checks as adding one, and geheimhouding.
    let ident_path =
        format!("/partij-identificatoren/{}", partij["partijIdentificatoren"][0]["uuid"].as_str().unwrap());
    let number = |bsn: &str| json!({"partijIdentificator": {"objectId": bsn}});
    let (status, problem) = send(app, "PATCH", &agent, &ident_path, Some(number("111222334"))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["partijIdentificator.objectId".to_owned()]), "{problem}");
    let (_, other) = ki_post(app, &agent, "/partijen", &person("123456782")).await;
    let (status, problem) = send(app, "PATCH", &agent, &ident_path, Some(number("123456782"))).await;
    assert_eq!(status, 409, "another party holds it: {problem}");
    let (status, changed) = send(app, "PATCH", &agent, &ident_path, Some(number("999990019"))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["partijIdentificator"]["objectId"], "999990019");
    assert_eq!(native_get(app, &agent, "/api/v1/parties?bsn=999990019").await.1[0]["id"], id.as_str());

    // Under geheimhouding an agent neither sees nor changes the numbers, nor lifts it.
    let (status, _) = send(app, "PATCH", &agent, &path, Some(json!({"indicatieGeheimhouding": true}))).await;
    assert_eq!(status, 200);
    assert_eq!(send(app, "PATCH", &agent, &ident_path, Some(number("111222333"))).await.0, 404);
    let register = json!({"partijIdentificator": {"codeRegister": "hr"}});
    assert_eq!(send(app, "PATCH", &agent, &ident_path, Some(register)).await.0, 404, "not even its kind shows");
    assert_eq!(send(app, "DELETE", &agent, &ident_path, None).await.0, 404);
    let (status, problem) = send(app, "PATCH", &agent, &path, Some(json!({"indicatieGeheimhouding": false}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["indicatieGeheimhouding".to_owned()]), "{problem}");
    let body = json!({"partijIdentificatie": {"contactnaam": {"voornaam": "S."}}, "bezoekadres": null});
    assert_eq!(send(app, "PATCH", &agent, &path, Some(body)).await.0, 200);
    let (_, revealed) = native_get(app, &second_line, &format!("/api/v1/parties/{id}?reveal=true")).await;
    assert_eq!(revealed["address"]["postcode"], "1234 AB", "what the agent could not see stayed: {revealed}");
    assert_eq!(send(app, "PATCH", &second_line, &path, Some(json!({"indicatieGeheimhouding": false}))).await.0, 200);
    assert_eq!(send(app, "DELETE", &agent, &ident_path, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &path).await.1["partijIdentificatoren"], json!([]));

    // Deleting a partij is an erasure: only for who handles privacy requests.
    let other_path = format!("/partijen/{}", other["uuid"].as_str().unwrap());
    assert_eq!(send(app, "DELETE", &agent, &other_path, None).await.0, 403);
    assert_eq!(send(app, "DELETE", &admin, &other_path, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &other_path).await.0, 404);
    let (_, log) = native_get(app, &admin, "/api/v1/audit-log?action=personal_data_erased").await;
    assert_eq!(log["entries"][0]["object_id"], other["uuid"], "{log}");
}

async fn automated_actors_are_changed_and_removed_colleagues_are_managed_in_loket(app: &TestApp) {
    let admin = app.token(&[Role::Beheerder]).await;
    let agent = app.token(&[Role::Klantcontactmedewerker]).await;
    let bot = json!({"naam": "Chatbot", "soortActor": "geautomatiseerde_actor", "actorIdentificatie": {"functie": "chatbot"}});
    let (_, bot) = ki_post(app, &admin, "/actoren", &bot).await;
    let path = format!("/actoren/{}", bot["uuid"].as_str().unwrap());
    let (status, changed) =
        send(app, "PATCH", &admin, &path, Some(json!({"naam": "Chatbot Dijkstad", "indicatieActief": false}))).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (changed["naam"].as_str(), changed["indicatieActief"].as_bool()),
        (Some("Chatbot Dijkstad"), Some(false))
    );
    assert_eq!(changed["actorIdentificatie"]["functie"], "chatbot");
    let (status, problem) = send(app, "PATCH", &admin, &path, Some(json!({"naam": ""}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["naam".to_owned()]), "{problem}");
    assert_eq!(send(app, "PATCH", &agent, &path, Some(json!({"naam": "X"}))).await.0, 403);
    let (_, me) = native_get(app, &agent, "/api/v1/me").await;
    let colleague = format!("/actoren/{}", me["id"].as_str().unwrap());
    let (status, problem) = send(app, "PATCH", &admin, &colleague, Some(json!({"naam": "X"}))).await;
    assert_eq!((status, fields(&problem)), (400, vec!["soortActor".to_owned()]), "{problem}");
    assert_eq!(send(app, "DELETE", &admin, &path, None).await.0, 204);
    assert_eq!(ki_get(app, &agent, &path).await.0, 404);
}

on_both_backends!(
    a_contact_is_corrected_by_who_registered_it_and_removed_unless_work_hangs_on_it,
    a_partys_names_numbers_and_addresses_are_changed_and_removed_through_the_standard,
    automated_actors_are_changed_and_removed_colleagues_are_managed_in_loket,
    a_task_is_changed_handed_on_finished_and_deleted_through_the_standard,
    expand_brings_a_contacts_people_their_addresses_subjects_and_tasks_in_one_answer,
    a_party_written_through_the_standard_is_found_through_the_native_api_and_back,
    maak_klantcontact_stores_contact_betrokkene_and_onderwerpobject_together_or_nothing,
    lists_are_paged_and_filtered_like_the_standard,
    bad_input_is_refused_with_the_standards_field_names_and_stores_nothing,
    geheimhouding_hides_numbers_and_address_in_the_standards_view_too,
    a_task_from_a_contact_goes_to_an_actor_and_reaches_their_worklist,
    reads_through_the_standard_are_in_the_audit_log,
);
