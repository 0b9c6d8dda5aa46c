//! `loket demo`: a realistic (fictional) Dutch municipality, Gemeente Dijkstad, with afdelingen,
//! teams and one demo user per role. Each part is a step in [`STEPS`]; a step checks what exists
//! and adds only what is missing, so loading twice changes nothing. Later features add their
//! demo content as further steps.

pub mod calls;
pub mod scale;

use std::future::Future;
use std::pin::Pin;

use crate::auth::password::Password;
use crate::auth::users::{self, NewUser, UserError, Username};
use crate::auth::{Actor, Role};
use crate::contacts::digital_address::{EmailAddress, PhoneNumber};
use crate::organisation::{self, NewUnitInput, UnitError};
use crate::store::Store;

/// The one password of every demo account (printed at start; demo data only).
pub const DEMO_PASSWORD: &str = "welkom-bij-loket";

type StepResult = anyhow::Result<usize>;
type Step = for<'a> fn(&'a Store, &'a Actor) -> Pin<Box<dyn Future<Output = StepResult> + Send + 'a>>;

/// The demo content, in order. Each returns how many records it added.
pub const STEPS: &[(&str, Step)] = &[
    ("organisatie", |s, a| Box::pin(organisation_step(s, a))),
    ("gebruikers", |s, a| Box::pin(users_step(s, a))),
    ("kennisbank", |s, _| Box::pin(knowledge_step(s))),
    ("werkberichten", |s, _| Box::pin(notices_step(s))),
    ("beslisbomen", |s, _| Box::pin(trees_step(s))),
    ("synoniemen", |s, _| Box::pin(synonyms_step(s))),
    ("klanten", |s, _| Box::pin(customers_step(s))),
    ("gesprekken", |s, _| Box::pin(calls_step(s))),
    ("terugbelverzoeken", |s, _| Box::pin(callbacks_step(s))),
    ("huisstijl", |s, a| Box::pin(branding_step(s, a))),
    ("e-mail", |s, a| Box::pin(email_step(s, a))),
];

/// The demo mailbox (mail piped in; no IMAP account) and two citizens' mails in its queue.
const DEMO_MAILBOX: &str = "info@dijkstad.example";
const DEMO_MAILS: &[&str] = &[
    "Message-ID: <demo-1@burger.example>\r\nFrom: Sanne Vos <sanne.vos@burger.example>\r\n\
     To: info@dijkstad.example\r\nSubject: Grofvuil ophalen\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
     Goedemiddag,\r\n\r\nIk wil een oude bank en een kast laten ophalen. Hoe maak ik een afspraak?\r\n\r\n\
     Met vriendelijke groet,\r\nSanne Vos\r\n",
    "Message-ID: <demo-2@burger.example>\r\nFrom: Ahmed Benali <a.benali@burger.example>\r\n\
     To: info@dijkstad.example\r\nSubject: Parkeervergunning verhuizing\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
     Beste gemeente,\r\n\r\nIk verhuis volgende maand naar de Kerkstraat. Gaat mijn parkeervergunning mee?\r\n\r\n\
     Groet,\r\nAhmed Benali\r\n",
];

async fn email_step(store: &Store, actor: &Actor) -> StepResult {
    use crate::channels::email::{self, MailboxInput};
    if email::mailboxes(store).await?.iter().any(|m| m.address == DEMO_MAILBOX) {
        return Ok(0);
    }
    let input = MailboxInput {
        address: DEMO_MAILBOX.into(),
        imap_url: None,
        password: None,
        team: Some("Team Telefonie".into()),
        max_message_bytes: None,
        max_attachment_bytes: None,
    };
    email::save_mailbox(store, actor, None, &input, false).await?;
    for raw in DEMO_MAILS {
        email::receive(store, actor, DEMO_MAILBOX, raw.as_bytes()).await?;
    }
    Ok(1 + DEMO_MAILS.len())
}

/// The demo municipality's logo: a shield with a D (drawn here, no outside image).
const DEMO_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32"><path d="M4 3h24v13c0 7-5.5 11.5-12 13C9.5 27.5 4 23 4 16z" fill="#ffffff" stroke="#154273" stroke-width="2"/><path d="M11 9h5c4.5 0 7 2.6 7 7s-2.5 7-7 7h-5zm3.5 3v8H16c2.4 0 3.5-1.4 3.5-4s-1.1-4-3.5-4z" fill="#154273"/></svg>"##;

/// The demo municipality's name, colour and logo, unless a beheerder has set a huisstijl.
async fn branding_step(store: &Store, actor: &Actor) -> StepResult {
    use crate::branding::{self, BrandingInput};
    if branding::current(store).await? != branding::Branding::default() {
        return Ok(0);
    }
    let input = BrandingInput { name: "Gemeente Dijkstad".into(), colour: "#154273".into() };
    branding::set(store, actor, &input).await?;
    branding::set_logo(store, actor, DEMO_LOGO.as_bytes().to_vec()).await?;
    Ok(1)
}

/// (customer's BSN, subject, note for the colleague, team, preferred window tomorrow as local hours)
type DemoCallback = (&'static str, &'static str, &'static str, &'static str, Option<(u32, u32)>);

const CALLBACKS: &[DemoCallback] = &[
    ("908301662", "Bezwaar WOZ-beschikking", "Wil weten hoe de taxateur tot de waarde kwam.", "Team Telefonie", None),
    (
        "131860914",
        "Energietoeslag: nog niet uitbetaald",
        "Aanvraag van drie weken geleden; graag na 14 uur bellen.",
        "Team Inkomensondersteuning",
        Some((14, 17)),
    ),
    ("390996038", "Container niet geleegd", "Tweede melding deze maand.", "Team Telefonie", None),
];

/// A few open callback requests in the team queues; the first is claimed by anouk.
async fn callbacks_step(store: &Store) -> StepResult {
    use crate::contacts::parties::{self, IdentifierKind, PartyLookup};
    use crate::work::AssigneeInput;
    use crate::work::callbacks::{self, CallbackInput};
    let caller = |username: &'static str| async move {
        let user = users::find_by_username(store, &Username::parse(username)?).await?;
        crate::auth::command_caller(store, "demo", user.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo user {username} is not active"))
    };
    // Looked up in the store, not through the domain: the demo reads nothing on anyone's behalf.
    let mut conn = store.acquire().await?;
    let existing = crate::store::callbacks::open(&mut conn, crate::store::work::Scope::All, 1).await?;
    drop(conn);
    if !existing.is_empty() {
        return Ok(0);
    }
    let anouk = caller("anouk").await?;
    let zone = chrono_tz::Europe::Amsterdam;
    let tomorrow = crate::clock::now().with_timezone(&zone).date_naive() + chrono::Duration::days(1);
    let at = |h: u32| {
        use chrono::TimeZone;
        zone.from_local_datetime(&tomorrow.and_hms_opt(h, 0, 0).unwrap_or_default())
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let mut added = 0;
    for (i, (bsn, subject, note, team, window)) in CALLBACKS.iter().enumerate() {
        let lookup = PartyLookup::Identifier(IdentifierKind::Bsn, (*bsn).to_owned());
        let Some(party) = parties::find(store, &anouk, &lookup).await?.into_iter().next() else { continue };
        let Some(unit) = organisation::find_id_by_name(store, team).await? else { continue };
        let input = CallbackInput {
            contact_id: None,
            party_id: Some(party.id),
            phone: None,
            subject: (*subject).into(),
            note: (*note).into(),
            window_from: window.and_then(|(from, _)| at(from)),
            window_to: window.and_then(|(_, to)| at(to)),
            assignee: AssigneeInput { kind: "eenheid".into(), id: Some(unit), name: None },
        };
        let callback = callbacks::create(store, &anouk, &input).await?;
        if i == 0 {
            callbacks::claim(store, &anouk, callback.id).await?;
        }
        added += 1;
    }
    Ok(added)
}

/// Four weeks of generated phone calls up to now, so the reports have figures to show.
async fn calls_step(store: &Store) -> StepResult {
    let zone = chrono_tz::Europe::Amsterdam;
    let now = crate::clock::now();
    let today = now.with_timezone(&zone).date_naive();
    let mut all = Vec::new();
    for back in (0..28).rev() {
        let date = today - chrono::Duration::days(back);
        all.extend(
            calls::day("demo", zone, date, calls::volume(date, 700.0))
                .into_iter()
                .filter(|c| c.ended_at.unwrap_or(c.arrived_at) <= now),
        );
    }
    Ok(crate::channels::telephony::record(store, &all, |_| {}).await? as usize)
}

/// Fictional citizens and a business (BSNs pass the 11-proef but belong to nobody), with contacts
/// on several channels registered by the demo agents, so every timeline has a history.
/// (bsn, given name, prefix, surname, phone, e-mail, postcode, huisnummer, geheimhouding)
type DemoCustomer =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, u32, bool);

const CUSTOMERS: &[DemoCustomer] = &[
    ("908301662", "Henk", "", "Kramer", "06 21436587", "henk.kramer@example.nl", "3011 AB", 14, false),
    ("131860914", "Fatima", "", "Bouzid", "010 765 4321", "f.bouzid@example.nl", "3012 CD", 7, false),
    ("390996038", "Wim", "van der", "Linden", "06 55443322", "", "3013 EF", 101, false),
    ("948219932", "Noor", "de", "Graaf", "06 98761234", "noor.degraaf@example.nl", "3014 GH", 3, true),
];

/// (customer's BSN, agent, channel, days ago, minutes, subject, question, notes, outcome)
type DemoContact =
    (&'static str, &'static str, &'static str, i64, i64, &'static str, &'static str, &'static str, &'static str);

const CONTACTS: &[DemoContact] = &[
    (
        "908301662",
        "anouk",
        "telefoon",
        9,
        6,
        "Bladkorf aanvragen",
        "Kan er een bladkorf in de straat komen?",
        "Aanvraag doorgezet naar Afval en Reiniging; binnen 2 weken bericht.",
        "doorverwezen",
    ),
    (
        "908301662",
        "joost",
        "chat",
        2,
        4,
        "Bladkorf: stand van zaken",
        "Hoe staat het met de bladkorf?",
        "Aanvraag is in behandeling bij Afval en Reiniging.",
        "zelfstandig_afgehandeld",
    ),
    (
        "131860914",
        "mohamed",
        "telefoon",
        5,
        11,
        "Energietoeslag aanvragen",
        "Heb ik recht op de energietoeslag?",
        "Beslisboom doorlopen: inkomen onder 120%. Aanvraagformulier per post gestuurd.",
        "zelfstandig_afgehandeld",
    ),
    (
        "131860914",
        "priya",
        "balie",
        1,
        15,
        "Paspoort aanvragen",
        "Paspoort verloopt over een maand.",
        "Afspraak gemaakt; pasfoto en oud paspoort meenemen.",
        "zelfstandig_afgehandeld",
    ),
    (
        "390996038",
        "sanne",
        "telefoon",
        3,
        2,
        "Parkeervergunning",
        "Vraag over bezoekersvergunning.",
        "Doorverbonden met Team Parkeren.",
        "doorverbonden",
    ),
    (
        "948219932",
        "anouk",
        "e-mail",
        4,
        0,
        "Verhuizing doorgeven",
        "Wil verhuizing doorgeven.",
        "Verwezen naar het digitale formulier.",
        "zelfstandig_afgehandeld",
    ),
];

async fn customers_step(store: &Store) -> StepResult {
    use crate::contacts::contact::{self, ContactInput, ParticipantInput};
    use crate::contacts::parties::{
        self, AddressInput, DigitalAddressInput, HouseNumberInput, IdentifierInput, PartyInput,
    };
    let mut added = 0;
    let agent = |username: &'static str| async move {
        let user = users::find_by_username(store, &Username::parse(username)?).await?;
        crate::auth::command_caller(store, "demo", user.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo user {username} is not active"))
    };
    let registrar = agent("anouk").await?;
    for (bsn, given, prefix, surname, phone, email, postcode, number, confidential) in CUSTOMERS {
        // Not a lookup on the agent's behalf: that would not find the customer under geheimhouding.
        if parties::bsn_taken(store, bsn).await? {
            continue;
        }
        let mut digital_addresses = vec![DigitalAddressInput {
            kind: "telefoonnummer".into(),
            value: (*phone).into(),
            description: String::new(),
            preferred: true,
        }];
        if !email.is_empty() {
            digital_addresses.push(DigitalAddressInput {
                kind: "email".into(),
                value: (*email).into(),
                description: String::new(),
                preferred: false,
            });
        }
        let input = PartyInput {
            kind: "persoon".into(),
            given_name: (*given).into(),
            surname_prefix: (*prefix).into(),
            surname: (*surname).into(),
            organisation_name: String::new(),
            confidential: *confidential,
            identifiers: vec![IdentifierInput { kind: "bsn".into(), value: (*bsn).into() }],
            digital_addresses,
            address: Some(AddressInput {
                street: "Hoogstraat".into(),
                house_number: Some(HouseNumberInput::Number(i64::from(*number))),
                postcode: (*postcode).into(),
                city: "Dijkstad".into(),
                ..AddressInput::default()
            }),
        };
        let party = parties::create(store, &registrar, &input).await?;
        added += 1;
        for (_, username, channel, days_ago, minutes, subject, question, notes, outcome) in
            CONTACTS.iter().filter(|c| c.0 == *bsn)
        {
            let started = crate::clock::now() - chrono::Duration::days(*days_ago) - chrono::Duration::minutes(*minutes);
            let input = ContactInput {
                channel: (*channel).into(),
                subject: (*subject).into(),
                product: None,
                question: (*question).into(),
                notes: (*notes).into(),
                response: String::new(),
                language: None,
                confidential: false,
                contact_made: true,
                started_at: Some(started),
                ended_at: Some(started + chrono::Duration::minutes(*minutes)),
                outcome: Some((*outcome).into()),
                unit_id: None,
                participants: vec![ParticipantInput { party_id: party.id, role: None, initiator: true }],
                sources: Vec::new(),
                request_ids: Vec::new(),
            };
            contact::register(store, &agent(username).await?, &input).await?;
            added += 1;
        }
    }
    Ok(added)
}

/// The starter list of citizens' words beside the organisation's (skips groups that exist).
async fn synonyms_step(store: &Store) -> StepResult {
    Ok(crate::search::synonyms::import_lines(store, "demo", include_str!("../demo/synoniemen.txt")).await?)
}

/// Two decision trees: who gets the energy allowance, and what to do about a lost passport.
async fn trees_step(store: &Store) -> StepResult {
    use crate::knowledge::trees::{self, TreeInput};
    let allowance = crate::knowledge::articles::id_by_external_id(store, "dijkstad-energietoeslag").await?;
    let passport = crate::knowledge::articles::id_by_external_id(store, "dijkstad-paspoort").await?;
    let (Some(allowance), Some(passport)) = (allowance, passport) else { return Ok(0) };
    let energy = serde_json::json!({
        "start": "bijstand",
        "nodes": [
            {"id": "bijstand", "question": "Ontvangt de inwoner een bijstandsuitkering van de gemeente Dijkstad?", "answers": [
                {"label": "Ja", "next": "automatisch"}, {"label": "Nee", "next": "inkomen"}]},
            {"id": "automatisch", "outcome": {"type": "text", "text": "U krijgt de energietoeslag automatisch op uw rekening; u hoeft niets aan te vragen."}},
            {"id": "inkomen", "question": "Is het inkomen van het huishouden lager dan 120% van het sociaal minimum?", "answers": [
                {"label": "Ja", "next": "aanvragen"}, {"label": "Nee", "next": "geen-recht"}, {"label": "Weet niet", "next": "terugbellen"}]},
            {"id": "aanvragen", "outcome": {"type": "article", "article_id": allowance}},
            {"id": "geen-recht", "outcome": {"type": "text", "text": "Met dit inkomen is er geen recht op de energietoeslag. Wijs eventueel op de regeling voor schuldhulp als er betalingsproblemen zijn."}},
            {"id": "terugbellen", "outcome": {"type": "action", "action": "terugbelverzoek", "text": "Maak een terugbelverzoek voor Team Inkomensondersteuning; zij rekenen het inkomen samen met de inwoner na."}}
        ]
    });
    let lost = serde_json::json!({
        "start": "waar",
        "nodes": [
            {"id": "waar", "question": "Is het paspoort of de identiteitskaart kwijt of gestolen?", "answers": [
                {"label": "Kwijt", "next": "buitenland"}, {"label": "Gestolen", "next": "aangifte"}]},
            {"id": "aangifte", "outcome": {"type": "text", "text": "Doe aangifte bij de politie en neem het proces-verbaal mee naar de balie bij de nieuwe aanvraag."}},
            {"id": "buitenland", "question": "Is de inwoner nu in het buitenland?", "answers": [
                {"label": "Ja", "next": "ambassade"}, {"label": "Nee", "next": "balie"}]},
            {"id": "ambassade", "outcome": {"type": "action", "action": "doorverwijzen", "text": "Verwijs naar de Nederlandse ambassade of het consulaat voor een noodpaspoort."}},
            {"id": "balie", "outcome": {"type": "article", "article_id": passport}}
        ]
    });
    let mut added = 0;
    for (title, description, definition) in [
        (
            "Energietoeslag: wie heeft recht?",
            "Bepaal of de inwoner de toeslag automatisch krijgt, moet aanvragen of geen recht heeft.",
            energy,
        ),
        ("Paspoort of ID-kaart kwijt", "Wat de inwoner moet doen bij verlies of diefstal.", lost),
    ] {
        let input = TreeInput {
            title: title.into(),
            description: description.into(),
            definition: serde_json::from_value(definition)?,
        };
        if trees::seed(store, "Redactie KCC", &input).await? {
            added += 1;
        }
    }
    Ok(added)
}

/// Two werkberichten: an important instruction for the KCC, and news for everyone.
async fn notices_step(store: &Store) -> StepResult {
    use crate::knowledge::notices::{self, NoticeInput, NoticeKind, Priority};
    let kcc = organisation::find_id_by_name(store, "Klantcontactcentrum").await?;
    let seeds = [
        NoticeInput {
            kind: NoticeKind::Werkinstructie,
            title: "Energietoeslag: veel vragen verwacht".into(),
            body: "Na de aankondiging van de **energietoeslag 2026** verwachten we veel telefoontjes. \
                   Gebruik het kennisartikel *Energietoeslag 2026* en zeg geen bedragen of termijnen toe die daar niet staan. \
                   Vragen over bezwaar: terugbelverzoek voor Team Inkomensondersteuning."
                .into(),
            priority: Priority::Belangrijk,
            publish_from: None,
            publish_until: None,
            targets: kcc.into_iter().collect(),
        },
        NoticeInput {
            kind: NoticeKind::Nieuws,
            title: "Stadskantoor tijdens de feestdagen".into(),
            body: "Op 24 en 31 december sluit het Stadskantoor om 15.00 uur. Telefonisch zijn we dan tot 15.00 uur bereikbaar.".into(),
            priority: Priority::Normaal,
            publish_from: None,
            publish_until: None,
            targets: Vec::new(),
        },
    ];
    let existing: Vec<String> = notices::titles(store).await?;
    let mut added = 0;
    for seed in &seeds {
        if !existing.contains(&seed.title) {
            notices::publish(store, None, "Redactie KCC", seed).await?;
            added += 1;
        }
    }
    Ok(added)
}

/// Municipal articles written for the demo (passport, moving house, leaf baskets, bulky waste,
/// parking, social assistance, energy allowance, debt help, tax relief, WOZ), loaded through the
/// ordinary import, so a second load changes nothing.
async fn knowledge_step(store: &Store) -> StepResult {
    let file = include_str!("../demo/artikelen.jsonl");
    let report = crate::knowledge::import::import_articles(store, file.as_bytes(), |_| {}).await?;
    if let Some((line, error)) = report.errors.first() {
        anyhow::bail!("demo article on line {line}: {error}");
    }
    Ok(report.created + report.updated)
}

/// (name, kind, parent, phone, e-mail, description)
type UnitSeed =
    (&'static str, &'static str, Option<&'static str>, Option<&'static str>, Option<&'static str>, &'static str);

const UNITS: &[UnitSeed] = &[
    (
        "Klantcontactcentrum",
        "afdeling",
        None,
        Some("14 0345"),
        Some("info@dijkstad.nl"),
        "Het eerste aanspreekpunt van de gemeente: telefoon, chat, e-mail, WhatsApp en balie.",
    ),
    (
        "Team Telefonie",
        "team",
        Some("Klantcontactcentrum"),
        Some("14 0345"),
        None,
        "Beantwoordt het algemene nummer 14 0345.",
    ),
    (
        "Team Digitale Kanalen",
        "team",
        Some("Klantcontactcentrum"),
        None,
        Some("info@dijkstad.nl"),
        "Chat, e-mail, WhatsApp en sociale media.",
    ),
    ("Team Balie", "team", Some("Klantcontactcentrum"), None, None, "Baliecontacten in het Stadskantoor, op afspraak."),
    (
        "Publiekszaken",
        "afdeling",
        None,
        Some("0345 123 400"),
        Some("burgerzaken@dijkstad.nl"),
        "Paspoorten, identiteitskaarten, rijbewijzen, verhuizingen en uittreksels.",
    ),
    (
        "Team Burgerzaken",
        "team",
        Some("Publiekszaken"),
        None,
        Some("burgerzaken@dijkstad.nl"),
        "Reisdocumenten, BRP en burgerlijke stand.",
    ),
    (
        "Werk en Inkomen",
        "afdeling",
        None,
        Some("0345 123 500"),
        Some("werkeninkomen@dijkstad.nl"),
        "Bijstand, energietoeslag, minimaregelingen en schuldhulp.",
    ),
    (
        "Team Inkomensondersteuning",
        "team",
        Some("Werk en Inkomen"),
        None,
        None,
        "Bijzondere bijstand, energietoeslag en kwijtschelding.",
    ),
    (
        "Team Schuldhulpverlening",
        "team",
        Some("Werk en Inkomen"),
        Some("0345 123 550"),
        Some("schuldhulp@dijkstad.nl"),
        "Hulp bij geldzorgen en schulden.",
    ),
    (
        "Belastingen",
        "afdeling",
        None,
        Some("0345 123 600"),
        Some("belastingen@dijkstad.nl"),
        "OZB, afvalstoffenheffing, rioolheffing, WOZ-waarde en kwijtschelding.",
    ),
    (
        "Openbare Ruimte",
        "afdeling",
        None,
        Some("0345 123 700"),
        None,
        "Afval, groen, wegen en meldingen openbare ruimte.",
    ),
    (
        "Team Afval en Reiniging",
        "team",
        Some("Openbare Ruimte"),
        None,
        Some("afval@dijkstad.nl"),
        "Afvalinzameling, grofvuil, bladkorven en de milieustraat.",
    ),
    (
        "Vergunningen en Handhaving",
        "afdeling",
        None,
        Some("0345 123 800"),
        Some("vergunningen@dijkstad.nl"),
        "Omgevingsvergunningen, evenementen en parkeren.",
    ),
    (
        "Team Parkeren",
        "team",
        Some("Vergunningen en Handhaving"),
        None,
        Some("parkeren@dijkstad.nl"),
        "Parkeervergunningen, bezoekersregeling en gehandicaptenparkeerkaarten.",
    ),
];

/// A demo account: (user name, name, role, unit); e-mail is `<user name>@dijkstad.nl`. The first
/// six are printed at start.
pub const USERS: &[(&str, &str, Role, &str)] = &[
    ("anouk", "Anouk Jansen", Role::Klantcontactmedewerker, "Team Telefonie"),
    ("bas", "Bas de Boer", Role::Tweedelijn, "Team Burgerzaken"),
    ("chantal", "Chantal Bakker", Role::Kennisexpert, "Team Inkomensondersteuning"),
    ("dirk", "Dirk Visser", Role::Redacteur, "Klantcontactcentrum"),
    ("esra", "Esra Yılmaz", Role::Teamleider, "Team Telefonie"),
    ("frank", "Frank van Dijk", Role::Beheerder, "Klantcontactcentrum"),
    ("mohamed", "Mohamed El Amrani", Role::Klantcontactmedewerker, "Team Telefonie"),
    ("sanne", "Sanne de Jong", Role::Klantcontactmedewerker, "Team Telefonie"),
    ("joost", "Joost Mulder", Role::Klantcontactmedewerker, "Team Digitale Kanalen"),
    ("priya", "Priya Ramdin", Role::Klantcontactmedewerker, "Team Balie"),
    ("lotte", "Lotte van den Berg", Role::Kennisexpert, "Team Afval en Reiniging"),
    ("thijs", "Thijs Smit", Role::Tweedelijn, "Team Parkeren"),
];

/// Work phone numbers and topics for the directory (smoelenboek): who to ask about what.
const DIRECTORY: &[(&str, &str, &str)] = &[
    ("bas", "010 123 4521", "paspoort, identiteitskaart, rijbewijs, verhuizing, uittreksel BRP"),
    ("chantal", "010 123 4533", "bijstand, energietoeslag, schuldhulp, kwijtschelding gemeentelijke belastingen"),
    ("dirk", "010 123 4510", "kennisbank, schrijfwijzer, B1-taal, synoniemen"),
    ("esra", "010 123 4502", "planning, roosters, wachtrijen, servicelevel"),
    ("lotte", "010 123 4545", "grofvuil, bladkorven, afvalpas, containers, zwerfafval"),
    ("thijs", "010 123 4557", "parkeervergunning, bezoekersvergunning, gehandicaptenparkeerkaart"),
];

async fn organisation_step(store: &Store, actor: &Actor) -> StepResult {
    let mut added = 0;
    for (name, kind, parent, phone, email, description) in UNITS {
        if organisation::find_id_by_name(store, name).await?.is_some() {
            continue;
        }
        let parent_id = match parent {
            Some(p) => organisation::find_id_by_name(store, p).await?,
            None => None,
        };
        let input = NewUnitInput {
            name: (*name).into(),
            kind: (*kind).into(),
            parent_id,
            email: email.map(Into::into),
            phone: phone.map(Into::into),
            description: Some((*description).into()),
        };
        match organisation::create(store, actor, &input).await {
            Ok(_) => added += 1,
            Err(UnitError::NameTaken(_)) => {} // created meanwhile by another process
            Err(e) => return Err(e.into()),
        }
    }
    Ok(added)
}

async fn users_step(store: &Store, actor: &Actor) -> StepResult {
    let mut added = 0;
    for (username, name, role, unit) in USERS {
        let username = Username::parse(username)?;
        if users::find_by_username(store, &username).await.is_ok() {
            continue;
        }
        let unit_id = organisation::find_id_by_name(store, unit).await?;
        let listed = DIRECTORY.iter().find(|(u, ..)| *u == username.as_str());
        let new = NewUser {
            email: Some(EmailAddress::parse(&format!("{}@dijkstad.nl", username.as_str()))?),
            display_name: (*name).to_owned(),
            unit_id,
            phone: listed.map(|(_, phone, _)| PhoneNumber::parse(phone)).transpose()?,
            topics: listed.map(|(.., topics)| (*topics).to_owned()).unwrap_or_default(),
            username,
            roles: [*role].into(),
            password: Some(Password::parse(DEMO_PASSWORD)?),
            kind: users::AccountKind::Medewerker,
        };
        match users::create(store, actor, new).await {
            Ok(_) => added += 1,
            Err(UserError::UsernameTaken(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(added)
}

/// Loads every step; returns (step name, records added) per step.
///
/// Refuses a database that holds accounts of its own: the demo accounts share a published
/// password, and one of them is a beheerder, so they must never be added to a real installation.
pub async fn load(store: &Store) -> anyhow::Result<Vec<(&'static str, usize)>> {
    let demo_names: Vec<&str> = USERS.iter().map(|(u, ..)| *u).collect();
    let foreign = users::all_usernames(store).await?.into_iter().filter(|u| !demo_names.contains(&u.as_str())).count();
    if foreign > 0 {
        anyhow::bail!(
            "this database already has {foreign} account(s) of its own (added after the demo was loaded, or a \
             real installation). `loket demo` adds accounts with a published password, so it only loads into \
             an empty or demo database. To start Loket on this data as it is: `loket serve` with the same \
             --data-dir (or --database-url). For a fresh demo: another --data-dir, or remove this one."
        );
    }
    let actor = Actor::system("demo");
    let mut report = Vec::new();
    for (name, step) in STEPS {
        report.push((*name, step(store, &actor).await?));
    }
    Ok(report)
}
