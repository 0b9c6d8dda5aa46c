//! Internetaken and actoren over Loket's tasks, users, units and automated actors.
//!
//! Rules: an actor's uuid is the user's, the unit's or the automated actor's own id, so a task
//! assigned in Loket shows the same actor here; one task has one actor in Loket, so a second
//! one is refused; a new task is te_verwerken (it is finished in Loket's worklist). The
//! standard requires a task to come from a contact, so tasks registered in Loket without one
//! are not part of this view.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{Filters, Fk, FkIn, KlantinteractiesError, Page, Paging, Result, Urls, at_most};
use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::clock;
use crate::store::klantinteracties::{AutomatedActorRow, TaskFilter};
use crate::store::users::UserRow;
use crate::store::{self, Store};
use crate::validation::{self, FieldError};
use crate::work::tasks::{self, TaskError, TaskInput};
use crate::work::{AssigneeInput, WorkItem as Task, WorkStatus};

/// Does a phone number fit the standard's pattern `^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$`?
fn fits_phone_pattern(p: &str) -> bool {
    let digits =
        |s: &str, min: usize, max: usize| (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = p.strip_prefix('+') {
        return digits(rest, 9, 15);
    }
    if let Some(rest) = p.strip_prefix("00") {
        return digits(rest, 7, 13);
    }
    p.len() == 10 && p.starts_with('0') && p.as_bytes()[1] != b'0' && digits(p, 10, 10)
}

fn actor(
    urls: &Urls,
    id: Uuid,
    name: &str,
    kind: &str,
    active: bool,
    identificatie: serde_json::Value,
) -> serde_json::Value {
    json!({
        "uuid": id,
        "url": urls.of("actoren", id),
        "naam": at_most(name, 200),
        "soortActor": kind,
        "indicatieActief": active,
        "actoridentificator": null,
        "actorIdentificatie": identificatie,
    })
}

/// A colleague as an actor (medewerker).
pub(crate) fn medewerker(urls: &Urls, u: &UserRow) -> serde_json::Value {
    let mut a = actor(urls, u.id, &u.display_name, "medewerker", u.active, json!({}));
    // The standard requires functie and telefoonnummer together; without a work number the
    // identification is left out rather than invented.
    match u.phone.as_deref().filter(|p| fits_phone_pattern(p)) {
        Some(phone) => {
            let mut ident = json!({ "functie": "Medewerker", "telefoonnummer": phone });
            if let Some(email) = &u.email {
                ident["emailadres"] = json!(email);
            }
            a["actorIdentificatie"] = ident;
        }
        None => {
            if let Some(map) = a.as_object_mut() {
                map.remove("actorIdentificatie");
            }
        }
    }
    a
}

fn eenheid(urls: &Urls, u: &store::units::UnitRow) -> serde_json::Value {
    let mut ident =
        json!({ "omschrijving": at_most(if u.description.is_empty() { &u.name } else { &u.description }, 200) });
    if let Some(email) = &u.email {
        ident["emailadres"] = json!(email);
    }
    if let Some(phone) = u.phone.as_deref().filter(|p| fits_phone_pattern(p)) {
        ident["telefoonnummer"] = json!(phone);
    }
    actor(urls, u.id, &u.name, "organisatorische_eenheid", true, ident)
}

fn geautomatiseerd(urls: &Urls, a: &AutomatedActorRow) -> serde_json::Value {
    let ident = json!({ "functie": at_most(&a.function, 40), "omschrijving": at_most(&a.description, 200) });
    actor(urls, a.id, &a.name, "geautomatiseerde_actor", a.active, ident)
}

async fn all_actors(store: &Store, urls: &Urls) -> Result<Vec<serde_json::Value>> {
    let mut conn = store.acquire().await?;
    let mut actors: Vec<serde_json::Value> =
        store::users::list(&mut conn).await?.iter().map(|u| medewerker(urls, u)).collect();
    actors.extend(store::units::list(&mut conn).await?.iter().map(|u| eenheid(urls, u)));
    actors.extend(store::klantinteracties::automated_actors(&mut conn).await?.iter().map(|a| geautomatiseerd(urls, a)));
    actors
        .sort_by(|a, b| a["naam"].as_str().cmp(&b["naam"].as_str()).then(a["uuid"].as_str().cmp(&b["uuid"].as_str())));
    Ok(actors)
}

async fn log_actors(store: &Store, caller: &Caller, n: usize) -> Result<()> {
    let event = AuditEvent::new(AuditAction::UsersListed, "user", None)
        .purpose(Purpose::CustomerContact)
        .detail(json!({ "api": "klantinteracties", "actoren": n }));
    audit::record_now(store, &caller.actor(), event).await?;
    Ok(())
}

/// `GET /actoren`.
pub async fn list_actoren(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<serde_json::Value>> {
    let active = f.bool("indicatieActief")?;
    let kind = f.text("soortActor");
    let name = f.text("naam");
    let identified = [
        "actoridentificatorObjectId",
        "actoridentificatorCodeRegister",
        "actoridentificatorCodeObjecttype",
        "actoridentificatorCodeSoortObjectId",
    ]
    .iter()
    .any(|p| f.text(p).is_some());
    let actors: Vec<serde_json::Value> = all_actors(store, urls)
        .await?
        .into_iter()
        .filter(|a| kind.is_none_or(|k| a["soortActor"] == k))
        .filter(|a| name.is_none_or(|n| a["naam"] == n))
        .filter(|a| active.is_none_or(|v| a["indicatieActief"] == v))
        // Loket keeps no external identifiers of actors.
        .filter(|_| !identified)
        .collect();
    let results = paging.slice(&actors);
    log_actors(store, caller, results.len()).await?;
    Ok(Page { count: i64::try_from(actors.len()).unwrap_or(i64::MAX), results })
}

/// `GET /actoren/{uuid}`.
pub async fn get_actor(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<serde_json::Value> {
    let found = all_actors(store, urls)
        .await?
        .into_iter()
        .find(|a| a["uuid"] == json!(id))
        .ok_or(KlantinteractiesError::NotFound("actor"))?;
    log_actors(store, caller, 1).await?;
    Ok(found)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorIdentificatieIn {
    #[serde(default)]
    pub functie: Option<String>,
    #[serde(default)]
    pub omschrijving: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorIn {
    #[serde(default)]
    pub naam: Option<String>,
    #[serde(default)]
    pub soort_actor: Option<String>,
    #[serde(default)]
    pub indicatie_actief: Option<bool>,
    #[serde(default)]
    pub actor_identificatie: Option<ActorIdentificatieIn>,
}

/// `POST /actoren`: an automated actor (colleagues and afdelingen are managed in Loket).
pub async fn create_actor(store: &Store, caller: &Caller, urls: &Urls, input: ActorIn) -> Result<serde_json::Value> {
    match input.soort_actor.as_deref() {
        Some("geautomatiseerde_actor") => {}
        Some("medewerker" | "organisatorische_eenheid") => {
            return Err(FieldError::new(
                "soortActor",
                "managed_in_loket",
                "Medewerkers en afdelingen beheert u in Loket (Beheer); hier maakt u alleen geautomatiseerde actoren.",
            )
            .into());
        }
        _ => {
            return Err(FieldError::new(
                "soortActor",
                "unknown_actor_kind",
                "Kies medewerker, geautomatiseerde_actor of organisatorische_eenheid.",
            )
            .into());
        }
    }
    let row = automated_actor(input, Uuid::now_v7(), clock::now(), None)?;
    let mut tx = store.begin().await?;
    store::klantinteracties::insert_automated_actor(&mut tx, &row).await?;
    audit::record(&mut tx, &caller.actor(), AuditEvent::new(AuditAction::ActorCreated, "actor", row.id.to_string()))
        .await?;
    tx.commit().await?;
    Ok(geautomatiseerd(urls, &row))
}

/// An automated actor from its input, checked; `old` gives what a PATCH leaves out.
fn automated_actor(
    input: ActorIn,
    id: Uuid,
    created_at: DateTime<Utc>,
    old: Option<&AutomatedActorRow>,
) -> Result<AutomatedActorRow> {
    let ident = input.actor_identificatie.unwrap_or_default();
    let name = input.naam.or_else(|| old.map(|o| o.name.clone())).unwrap_or_default();
    let function = ident.functie.or_else(|| old.map(|o| o.function.clone())).unwrap_or_default();
    let description = ident.omschrijving.or_else(|| old.map(|o| o.description.clone())).unwrap_or_default();
    let mut errors = Vec::new();
    let name = validation::text(&name, 1, 200).map_err(|e| e.for_field("naam"));
    let function = validation::text(&function, 1, 40).map_err(|e| e.for_field("actorIdentificatie.functie"));
    let description =
        crate::contacts::optional_text(&description, 200).map_err(|e| e.for_field("actorIdentificatie.omschrijving"));
    let (Ok(name), Ok(function), Ok(description)) = (
        name.map_err(|e| errors.push(e)),
        function.map_err(|e| errors.push(e)),
        description.map_err(|e| errors.push(e)),
    ) else {
        return Err(KlantinteractiesError::Invalid(errors));
    };
    let active = input.indicatie_actief.or(old.map(|o| o.active)).unwrap_or(true);
    Ok(AutomatedActorRow { id, name, function, description, active, created_at })
}

/// The automated actor behind `id`; colleagues and afdelingen are changed in Loket's beheer.
async fn changeable_actor(store: &Store, id: Uuid) -> Result<AutomatedActorRow> {
    let mut conn = store.acquire().await?;
    if let Some(found) = store::klantinteracties::find_automated_actor(&mut conn, id).await? {
        return Ok(found);
    }
    if store::users::find_by_id(&mut conn, id).await?.is_some() || store::units::find(&mut conn, id).await?.is_some() {
        return Err(FieldError::new(
            "soortActor",
            "managed_in_loket",
            "Medewerkers en afdelingen beheert u in Loket (Beheer); hier alleen geautomatiseerde actoren.",
        )
        .into());
    }
    Err(KlantinteractiesError::NotFound("actor"))
}

/// `PUT` (`whole`) and `PATCH /actoren/{uuid}`: an automated actor's name, function and whether it
/// is active.
pub async fn update_actor(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: ActorIn,
    whole: bool,
) -> Result<serde_json::Value> {
    if whole {
        super::required_for_put(&[("naam", input.naam.is_none()), ("soortActor", input.soort_actor.is_none())])?;
    }
    let old = changeable_actor(store, id).await?;
    if input.soort_actor.as_deref().is_some_and(|k| k != "geautomatiseerde_actor") {
        return Err(FieldError::new("soortActor", "immutable", "Een geautomatiseerde actor blijft dat.").into());
    }
    let row = automated_actor(input, id, old.created_at, Some(&old))?;
    let mut tx = store.begin().await?;
    store::klantinteracties::update_automated_actor(&mut tx, &row).await?;
    audit::record(&mut tx, &caller.actor(), AuditEvent::new(AuditAction::ActorChanged, "actor", id.to_string()))
        .await?;
    tx.commit().await?;
    Ok(geautomatiseerd(urls, &row))
}

/// `DELETE /actoren/{uuid}`: an automated actor that no task is given to (one that has tasks is
/// made inactive instead, with PATCH `indicatieActief`).
pub async fn delete_actor(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    changeable_actor(store, id).await?;
    let mut tx = store.begin().await?;
    if store::klantinteracties::automated_actor_has_tasks(&mut tx, id).await? {
        return Err(KlantinteractiesError::InUse(
            "Aan deze actor zijn taken gegeven; zet hem op niet actief (indicatieActief) in plaats van te verwijderen.",
        ));
    }
    store::klantinteracties::delete_automated_actor(&mut tx, id).await?;
    audit::record(&mut tx, &caller.actor(), AuditEvent::new(AuditAction::ActorDeleted, "actor", id.to_string()))
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InterneTaak {
    pub uuid: Uuid,
    pub url: String,
    pub nummer: Option<String>,
    pub referentienummer: Option<String>,
    pub gevraagde_handeling: String,
    pub aanleidinggevend_klantcontact: Fk,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toegewezen_aan_actor: Option<Fk>,
    pub toegewezen_aan_actoren: Vec<Fk>,
    pub toelichting: String,
    pub status: &'static str,
    pub toegewezen_op: DateTime<Utc>,
    pub afgehandeld_op: Option<DateTime<Utc>>,
}

pub(super) fn interne_taak(urls: &Urls, t: &Task) -> Option<InterneTaak> {
    let actor = t.assignee.id.map(|id| urls.fk("actoren", id));
    Some(InterneTaak {
        uuid: t.id,
        url: urls.of("internetaken", t.id),
        nummer: None,
        referentienummer: None,
        gevraagde_handeling: at_most(&t.action, 200),
        aanleidinggevend_klantcontact: urls.fk("klantcontacten", t.contact_id?),
        toegewezen_aan_actoren: actor.clone().into_iter().collect(),
        toegewezen_aan_actor: actor,
        toelichting: at_most(&t.explanation, 1_000),
        status: match t.status {
            WorkStatus::TeVerwerken => "te_verwerken",
            WorkStatus::Verwerkt => "verwerkt",
        },
        toegewezen_op: t.created_at,
        afgehandeld_op: t.done_at,
    })
}

pub(super) async fn log_tasks(store: &Store, caller: &Caller, ids: &[Uuid]) -> Result<()> {
    let event = AuditEvent::new(AuditAction::TasksListed, "task", None)
        .purpose(Purpose::CustomerContact)
        .detail(json!({ "api": "klantinteracties", "results": ids }));
    audit::record_now(store, &caller.actor(), event).await?;
    Ok(())
}

/// `GET /internetaken`.
pub async fn list_taken(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<InterneTaak>> {
    let mut w = Vec::new();
    if let Some(status) = f.text("status") {
        w.push(TaskFilter::Status(status.to_owned()));
    }
    if let Some(c) = f.reference("aanleidinggevendKlantcontact")? {
        w.push(TaskFilter::Contact(c));
    }
    if let Some(c) = f.uuid("klantcontact__uuid")? {
        w.push(TaskFilter::Contact(c));
    }
    if let Some(a) = f.reference("toegewezenAanActor")? {
        w.push(TaskFilter::Assignee(a));
    }
    if let Some(name) = f.text("actoren__naam") {
        w.push(TaskFilter::AssigneeName(name.to_owned()));
    }
    if let Some(at) = f.text("toegewezenOp") {
        let at = DateTime::parse_from_rfc3339(at.trim()).map_err(|_| {
            FieldError::new("toegewezenOp", "invalid_datetime", "Een tijdstip als 2026-12-01T10:00:00Z.")
        })?;
        w.push(TaskFilter::CreatedAt(at.with_timezone(&Utc)));
    }
    if ["nummer", "referentienummer", "klantcontact__nummer", "klantcontact__referentienummer"]
        .iter()
        .any(|p| f.text(p).is_some())
    {
        w.push(TaskFilter::Nothing);
    }
    let mut conn = store.acquire().await?;
    let (count, ids) = store::klantinteracties::page_of_tasks(&mut conn, &w, paging.page_size, paging.offset()).await?;
    let found = tasks::many(&mut conn, &ids).await?;
    drop(conn);
    log_tasks(store, caller, &ids).await?;
    Ok(Page { count, results: found.iter().filter_map(|t| interne_taak(urls, t)).collect() })
}

/// `GET /internetaken/{uuid}`.
pub async fn get_taak(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<InterneTaak> {
    let mut conn = store.acquire().await?;
    let task = tasks::many(&mut conn, &[id]).await?.pop().ok_or(KlantinteractiesError::NotFound("interne taak"))?;
    drop(conn);
    log_tasks(store, caller, &[id]).await?;
    interne_taak(urls, &task).ok_or(KlantinteractiesError::NotFound("interne taak"))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterneTaakIn {
    #[serde(default)]
    pub gevraagde_handeling: Option<String>,
    #[serde(default)]
    pub aanleidinggevend_klantcontact: Option<FkIn>,
    #[serde(default)]
    pub toegewezen_aan_actor: Option<FkIn>,
    #[serde(default)]
    pub toegewezen_aan_actoren: Option<Vec<FkIn>>,
    #[serde(default)]
    pub toelichting: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// Which kind of assignee an actor's uuid is.
async fn assignee(store: &Store, id: Uuid, field: &str) -> Result<AssigneeInput> {
    let mut conn = store.acquire().await?;
    let kind = if store::users::find_by_id(&mut conn, id).await?.is_some() {
        "medewerker"
    } else if store::units::find(&mut conn, id).await?.is_some() {
        "eenheid"
    } else if store::klantinteracties::find_automated_actor(&mut conn, id).await?.is_some() {
        "geautomatiseerd"
    } else {
        return Err(FieldError::new(field, "unknown_actor", "Deze actor bestaat niet.").into());
    };
    Ok(AssigneeInput { kind: kind.into(), id: Some(id), name: None })
}

/// The one actor a task is given to, and the field that named it (none when none is named).
fn the_actor(input: &InterneTaakIn) -> Result<Option<(FkIn, &'static str)>> {
    let actors = input.toegewezen_aan_actoren.clone().unwrap_or_default();
    match (actors.as_slice(), &input.toegewezen_aan_actor) {
        ([one], _) => Ok(Some((one.clone(), "toegewezenAanActoren[0]"))),
        ([], Some(one)) => Ok(Some((one.clone(), "toegewezenAanActor"))),
        ([], None) => Ok(None),
        _ => Err(FieldError::new(
            "toegewezenAanActoren",
            "one_actor",
            "In Loket heeft een taak één actor; maak per actor een taak.",
        )
        .into()),
    }
}

/// The standard's field names for the domain's.
fn task_fields(e: TaskError, actor_field: &str) -> KlantinteractiesError {
    match e {
        TaskError::Invalid(errors) => KlantinteractiesError::Invalid(
            errors
                .into_iter()
                .map(|e| {
                    let f = match e.field.as_str() {
                        "action" => "gevraagdeHandeling".to_owned(),
                        "explanation" => "toelichting".to_owned(),
                        "contact_id" => "aanleidinggevendKlantcontact".to_owned(),
                        f if f.starts_with("assignee") => actor_field.to_owned(),
                        f => f.to_owned(),
                    };
                    e.for_field(&f)
                })
                .collect(),
        ),
        other => other.into(),
    }
}

/// `PUT` (`whole`: every field the standard requires is given) and `PATCH /internetaken/{uuid}`:
/// change what the task asks and explains, give it to another actor, or finish it (`verwerkt`,
/// with the toelichting as its result). The input and every step's rule are checked before
/// anything changes; giving a task away and finishing it are separate requests, and a finished
/// task stays finished.
pub async fn update_taak(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: InterneTaakIn,
    whole: bool,
) -> Result<InterneTaak> {
    // What this API lists as internetaken (a work item from a contact) it also answers for;
    // the work domain refuses what may not be changed (a callback is worked in Loket).
    let current = tasks::many(&mut store.acquire().await?, &[id])
        .await?
        .pop()
        .filter(|t| t.contact_id.is_some())
        .ok_or(KlantinteractiesError::NotFound("interne taak"))?;
    if whole {
        super::required_for_put(&[
            ("gevraagdeHandeling", input.gevraagde_handeling.is_none()),
            ("aanleidinggevendKlantcontact", input.aanleidinggevend_klantcontact.is_none()),
            ("toegewezenAanActoren", input.toegewezen_aan_actoren.is_none() && input.toegewezen_aan_actor.is_none()),
            ("status", input.status.is_none()),
        ])?;
    }
    if let Some(fk) = &input.aanleidinggevend_klantcontact
        && Some(fk.id("aanleidinggevendKlantcontact")?) != current.contact_id
    {
        return Err(FieldError::new(
            "aanleidinggevendKlantcontact",
            "immutable",
            "Een taak blijft bij het klantcontact waaruit zij ontstond.",
        )
        .into());
    }
    let finish = match input.status.as_deref() {
        None => false,
        Some("te_verwerken") if current.status == WorkStatus::TeVerwerken => false,
        Some("verwerkt") => current.status == WorkStatus::TeVerwerken,
        Some("te_verwerken") => {
            return Err(FieldError::new(
                "status",
                "cannot_reopen",
                "Een afgeronde taak gaat niet terug naar te_verwerken.",
            )
            .into());
        }
        Some(_) => return Err(FieldError::new("status", "unknown_status", "Kies te_verwerken of verwerkt.").into()),
    };
    let actor = the_actor(&input)?;
    let (new_assignee, actor_field) = match actor {
        Some((fk, field)) => {
            let who = fk.id(field)?;
            let same = current.assignee.id == Some(who);
            (if same { None } else { Some(assignee(store, who, field).await?) }, field)
        }
        None => (None, "toegewezenAanActoren"),
    };
    if finish && new_assignee.is_some() {
        return Err(FieldError::new(
            "status",
            "one_step",
            "Geef een taak aan een ander of rond haar af, niet allebei in één verzoek.",
        )
        .into());
    }
    if new_assignee.as_ref().is_some_and(|a| a.kind == "geautomatiseerd") {
        return Err(FieldError::new(
            actor_field,
            "unknown_assignee_kind",
            "Een taak gaat over naar een medewerker of een team, niet naar een geautomatiseerde actor.",
        )
        .into());
    }
    // When it is finished, the toelichting says what was done (its result), not what was asked.
    let edit = tasks::TaskEdit {
        action: input.gevraagde_handeling.clone().filter(|a| *a != current.action),
        explanation: input.toelichting.clone().filter(|e| !finish && *e != current.explanation),
    };
    let editing = edit.action.is_some() || edit.explanation.is_some();
    tasks::may_update(store, caller, id, (editing, new_assignee.is_some(), finish))
        .await
        .map_err(|e| task_fields(e, actor_field))?;
    if editing {
        tasks::edit(store, caller, id, &edit).await.map_err(|e| task_fields(e, actor_field))?;
    }
    if let Some(to) = new_assignee {
        crate::work::reassign(store, caller, id, &crate::work::AssignInput { assignee: to }).await.map_err(
            |e| match e {
                crate::work::WorkError::Invalid(errors) => {
                    KlantinteractiesError::Invalid(errors.into_iter().map(|e| e.for_field(actor_field)).collect())
                }
                other => other.into(),
            },
        )?;
    }
    if finish {
        let result = input.toelichting.clone().unwrap_or_default();
        tasks::complete(store, caller, id, &tasks::CompleteInput { result })
            .await
            .map_err(|e| task_fields(e, actor_field))?;
    }
    get_taak(store, caller, urls, id).await
}

/// `DELETE /internetaken/{uuid}`: a task made by mistake goes, with its history (the audit log
/// keeps what it asked).
pub async fn delete_taak(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    let found = tasks::many(&mut store.acquire().await?, &[id]).await?.pop();
    if found.is_none_or(|t| t.contact_id.is_none()) {
        return Err(KlantinteractiesError::NotFound("interne taak"));
    }
    Ok(tasks::delete(store, caller, id).await?)
}

/// `POST /internetaken`: a task from a contact for one actor.
pub async fn create_taak(store: &Store, caller: &Caller, urls: &Urls, input: InterneTaakIn) -> Result<InterneTaak> {
    let contact_id = match &input.aanleidinggevend_klantcontact {
        Some(fk) => fk.id("aanleidinggevendKlantcontact")?,
        None => {
            return Err(FieldError::new("aanleidinggevendKlantcontact", "required", "Geef het klantcontact.").into());
        }
    };
    if input.status.as_deref().is_some_and(|s| s != "te_verwerken") {
        return Err(FieldError::new(
            "status",
            "new_task_is_open",
            "Een nieuwe taak is te_verwerken; afronden gebeurt in Loket.",
        )
        .into());
    }
    let Some((fk, field)) = the_actor(&input)? else {
        return Err(FieldError::new("toegewezenAanActoren", "required", "Wijs de taak toe aan een actor.").into());
    };
    let assignee = assignee(store, fk.id(field)?, field).await?;
    let task_input = TaskInput {
        contact_id: Some(contact_id),
        party_id: None,
        action: input.gevraagde_handeling.unwrap_or_default(),
        explanation: input.toelichting.unwrap_or_default(),
        assignee,
        due_at: None,
    };
    let task = tasks::create(store, caller, &task_input).await.map_err(|e| task_fields(e, field))?;
    interne_taak(urls, &task).ok_or(KlantinteractiesError::NotFound("interne taak"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_checked_against_the_standards_pattern() {
        assert!(fits_phone_pattern("+31201234567"));
        assert!(fits_phone_pattern("0201234567"));
        assert!(fits_phone_pattern("0031201234567"));
        assert!(!fits_phone_pattern("020 123 4567"));
        assert!(!fits_phone_pattern("0012"));
        assert!(!fits_phone_pattern("0612"));
        assert!(!fits_phone_pattern("+31 20"));
    }
}
