//! `loket demo --scale`: a municipality's worth of customers and contacts for measurements —
//! realistic Dutch names, valid BSNs (11-proef), unique mobile numbers and e-mail addresses,
//! real-looking postcodes, and a channel mix and times of day like a KCC's. Deterministic (one
//! seed), so two runs give the same data; written in large transactions straight through the
//! store, because a million parties one request at a time would take hours.
//!
//! One party (the first) gets exactly [`HEAVY_TIMELINE`] contacts: the timeline benchmark's subject.

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::clock;
use crate::store::contacts::{ContactRow, ParticipantRow};
use crate::store::parties::{DigitalAddressRow, IdentifierRow, PartyRow};
use crate::store::{self, Store};

/// Contacts of the first party, so one timeline has this many items.
pub const HEAVY_TIMELINE: usize = 1_000;
const BATCH: usize = 10_000;

const GIVEN: &[&str] = &[
    "Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Noah", "Tess", "Finn", "Sophie", "Levi", "Zoë", "Milan", "Sara",
    "Jesse", "Anna", "Bram", "Evi", "Mohamed", "Fatima", "Ahmet", "Ayşe", "Jan", "Maria", "Piet", "Johanna", "Kees",
    "Cornelia", "Henk", "Ingrid", "Wim", "Els", "Priya", "Rajesh", "Chloé", "Thijs", "Lotte", "Ruben", "Femke",
    "Yusuf",
];
const SURNAMES: &[(&str, &str)] = &[
    ("de", "Jong"),
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Janssen"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("", "Yılmaz"),
    ("", "El Amrani"),
    ("", "Öztürk"),
    ("", "Bouzid"),
    ("", "Ramdin"),
    ("", "Nguyen"),
    ("", "Kramer"),
    ("van", "Wijk"),
    ("", "Postma"),
    ("", "Koster"),
];
const STREETS: &[&str] = &[
    "Hoofdstraat",
    "Kerkstraat",
    "Schoolstraat",
    "Dorpsstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Parallelweg",
    "Industrieweg",
    "Nieuwstraat",
    "Markt",
    "Sportlaan",
];
/// (channel, share in percent, minutes per contact from..to)
const CHANNELS: &[(&str, u32, i64, i64)] = &[
    ("telefoon", 55, 2, 12),
    ("e-mail", 14, 0, 0),
    ("chat", 12, 3, 15),
    ("balie", 8, 5, 20),
    ("whatsapp", 5, 0, 0),
    ("website_app", 3, 0, 0),
    ("social_media", 2, 0, 0),
    ("brief", 1, 0, 0),
];
const OUTCOMES: &[&str] = &[
    "zelfstandig_afgehandeld",
    "zelfstandig_afgehandeld",
    "zelfstandig_afgehandeld",
    "doorverbonden",
    "terugbelverzoek_gemaakt",
    "doorverwezen",
    "verbinding_verbroken",
];
const SUBJECTS: &[&str] = &[
    "Grofvuil ophalen",
    "Paspoort aanvragen",
    "Parkeervergunning",
    "Afvalpas kwijt",
    "Bladkorf",
    "Energietoeslag",
    "Verhuizing doorgeven",
    "Kwijtschelding gemeentelijke belastingen",
    "Melding losliggende stoeptegel",
    "Rijbewijs verlengen",
    "Bijstandsuitkering",
    "Uittreksel BRP",
    "Container vol",
    "Bouwvergunning",
];

/// The `n`th generated BSN (n from 0): eight digits, even for each n, and the check digit of the
/// 11-proef. When that would be 10, the next (odd) prefix is used: one more in the digit of
/// weight 2 moves the remainder to 1, so it always works and never meets another n's prefix.
fn bsn(n: u64) -> String {
    let check_of = |prefix: u64| -> i64 {
        let digits = prefix.to_string();
        let sum: i64 =
            digits.bytes().map(|b| i64::from(b - b'0')).zip([9, 8, 7, 6, 5, 4, 3, 2]).map(|(d, w)| d * w).sum();
        sum % 11
    };
    let prefix = 10_000_000 + 2 * n;
    let (prefix, check) = match check_of(prefix) {
        10 => (prefix + 1, check_of(prefix + 1)),
        c => (prefix, c),
    };
    format!("{prefix}{check}")
}

fn postcode(rng: &mut StdRng) -> String {
    const LETTERS: &[u8] = b"ABCEGHJKLMNPRTVWXZ";
    let digits = rng.gen_range(1000..=9999);
    let a = LETTERS[rng.gen_range(0..LETTERS.len())] as char;
    let b = LETTERS[rng.gen_range(0..LETTERS.len())] as char;
    format!("{digits}{a}{b}")
}

/// A moment in the last year within opening hours (08:00–17:00 Dutch time), busier in the morning.
fn office_moment(rng: &mut StdRng, now: DateTime<Utc>) -> DateTime<Utc> {
    let day = (now - Duration::days(rng.gen_range(1..365))).with_timezone(&Amsterdam).date_naive();
    let hour = if rng.gen_bool(0.6) { rng.gen_range(8..12) } else { rng.gen_range(12..17) };
    let local = day.and_hms_opt(hour, rng.gen_range(0..60), rng.gen_range(0..60)).unwrap_or_default();
    Amsterdam.from_local_datetime(&local).earliest().map_or(now, |t| t.with_timezone(&Utc))
}

fn party(i: usize, rng: &mut StdRng, now: DateTime<Utc>) -> (PartyRow, IdentifierRow, Vec<DigitalAddressRow>) {
    let given = GIVEN[rng.gen_range(0..GIVEN.len())];
    let (prefix, surname) = SURNAMES[rng.gen_range(0..SURNAMES.len())];
    let display = [given, prefix, surname].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
    let id = Uuid::now_v7();
    let row = PartyRow {
        id,
        kind: "persoon".into(),
        given_name: given.into(),
        surname_prefix: prefix.into(),
        surname: surname.into(),
        organisation_name: String::new(),
        name_key: loket_search::analysis::fold(&display),
        display_name: display,
        confidential: rng.gen_bool(0.002),
        street: STREETS[rng.gen_range(0..STREETS.len())].into(),
        house_number: Some(rng.gen_range(1..250)),
        house_letter: String::new(),
        house_number_addition: String::new(),
        postcode: Some(postcode(rng)),
        city: "Dijkstad".into(),
        created_at: now,
        updated_at: now,
    };
    let identifier =
        IdentifierRow { id: Uuid::now_v7(), party_id: id, kind: "bsn".into(), value: bsn(i as u64), created_at: now };
    let phone = format!("+316{:08}", 10_000_000 + i);
    let email = format!(
        "{}.{}{}@example.nl",
        loket_search::analysis::fold(given),
        loket_search::analysis::fold(surname).replace(' ', ""),
        i
    );
    let mut addresses = vec![DigitalAddressRow {
        id: Uuid::now_v7(),
        party_id: id,
        kind: "telefoonnummer".into(),
        lookup: phone.clone(),
        value: phone,
        description: String::new(),
        preferred: true,
        created_at: now,
    }];
    if rng.gen_bool(0.7) {
        addresses.push(DigitalAddressRow {
            id: Uuid::now_v7(),
            party_id: id,
            kind: "email".into(),
            lookup: email.clone(),
            value: email,
            description: String::new(),
            preferred: false,
            created_at: now,
        });
    }
    (row, identifier, addresses)
}

fn contact(party_id: Uuid, agent: (Uuid, &str), rng: &mut StdRng, now: DateTime<Utc>) -> (ContactRow, ParticipantRow) {
    let mut pick = rng.gen_range(0..100);
    let mut channel = CHANNELS[0];
    for c in CHANNELS {
        if pick < c.1 {
            channel = *c;
            break;
        }
        pick -= c.1;
    }
    let started = office_moment(rng, now);
    let ended = (channel.3 > 0).then(|| started + Duration::seconds(rng.gen_range(channel.2 * 60..=channel.3 * 60)));
    let id = Uuid::now_v7();
    let row = ContactRow {
        id,
        channel: channel.0.into(),
        subject: SUBJECTS[rng.gen_range(0..SUBJECTS.len())].into(),
        product: None,
        question: String::new(),
        notes: String::new(),
        response: String::new(),
        language: "nl".into(),
        confidential: false,
        contact_made: rng.gen_bool(0.97),
        started_at: started,
        ended_at: ended,
        outcome: Some(OUTCOMES[rng.gen_range(0..OUTCOMES.len())].into()),
        agent_id: Some(agent.0),
        agent_name: agent.1.to_owned(),
        unit_id: None,
        created_at: started,
    };
    let participant = ParticipantRow {
        id: Uuid::now_v7(),
        contact_id: id,
        party_id: Some(party_id),
        role: "klant".into(),
        initiator: true,
    };
    (row, participant)
}

/// Adds `parties` parties and `contacts` contacts; `progress(done, total)` after each batch.
/// Returns the id of the party with [`HEAVY_TIMELINE`] contacts.
pub async fn generate(
    store: &Store,
    agent: (Uuid, &str),
    parties: usize,
    contacts: usize,
    mut progress: impl FnMut(u64, u64),
) -> anyhow::Result<Uuid> {
    anyhow::ensure!(parties > 0, "--parties must be at least 1");
    let mut rng = StdRng::seed_from_u64(20261202);
    let now = clock::now();
    let total = (parties + contacts) as u64;
    let mut done = 0u64;
    let mut ids: Vec<Uuid> = Vec::with_capacity(parties);
    let mut start = 0;
    while start < parties {
        let end = (start + BATCH).min(parties);
        let mut rows = Vec::with_capacity(end - start);
        let mut identifiers = Vec::with_capacity(end - start);
        let mut addresses = Vec::with_capacity(2 * (end - start));
        for i in start..end {
            let (p, id, a) = party(i, &mut rng, now);
            ids.push(p.id);
            rows.push(p);
            identifiers.push(id);
            addresses.extend(a);
        }
        let mut tx = store.begin().await?;
        store::parties::insert_parties_many(&mut tx, &rows).await?;
        store::parties::insert_identifiers_many(&mut tx, &identifiers).await?;
        store::parties::insert_digital_addresses_many(&mut tx, &addresses).await?;
        tx.commit().await?;
        done += (end - start) as u64;
        progress(done, total);
        start = end;
    }
    let heavy = ids[0];
    let mut made = 0;
    while made < contacts {
        let n = BATCH.min(contacts - made);
        let rows: Vec<(ContactRow, ParticipantRow)> = (made..made + n)
            .map(|k| {
                // The first HEAVY_TIMELINE contacts are the heavy party's; the rest spread out.
                let party = if k < HEAVY_TIMELINE || ids.len() == 1 { heavy } else { ids[rng.gen_range(1..ids.len())] };
                contact(party, agent, &mut rng, now)
            })
            .collect();
        let mut tx = store.begin().await?;
        store::contacts::insert_contacts_many(&mut tx, &rows).await?;
        tx.commit().await?;
        made += n;
        done += n as u64;
        progress(done, total);
    }
    // A bulk load leaves PostgreSQL without statistics until autovacuum comes by; until then it
    // planned sequential scans over five million participants (half a second per timeline).
    store.refresh_statistics().await?;
    Ok(heavy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contacts::identifiers::Bsn;

    #[test]
    fn generated_bsns_pass_the_eleven_check_and_are_unique() {
        let all: Vec<String> = (0..20_000).map(bsn).collect();
        for b in &all {
            assert!(Bsn::parse(b).is_ok(), "{b}");
        }
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
    }

    #[test]
    fn contacts_fall_within_opening_hours_in_dutch_time() {
        let mut rng = StdRng::seed_from_u64(1);
        let now = clock::now();
        for _ in 0..1_000 {
            let local = office_moment(&mut rng, now).with_timezone(&Amsterdam);
            assert!((8..17).contains(&chrono::Timelike::hour(&local)), "{local}");
        }
    }
}
