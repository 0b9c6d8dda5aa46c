//! The KPI catalogue: what each figure counts, in Dutch (and in English for the English screens),
//! and which parameters change it.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct KpiDefinition {
    /// Stable id, also the anchor of its explanation: `/kpi#{id}`.
    pub id: &'static str,
    pub name: &'static str,
    /// How it is counted, in Dutch.
    pub explanation: &'static str,
    /// The formula in one line.
    pub formula: &'static str,
    /// Settings (see `/api/v1/kpi-settings`) that change the figure.
    pub parameters: &'static [&'static str],
}

/// A definition's name, explanation and formula in one language.
#[derive(Debug, Clone, Copy)]
pub struct Wording {
    pub name: &'static str,
    pub explanation: &'static str,
    pub formula: &'static str,
}

impl KpiDefinition {
    pub fn url(&self) -> String {
        format!("/kpi#{}", self.id)
    }

    /// Its words in Dutch, or in English.
    pub fn wording(&self, english: bool) -> Wording {
        let dutch = Wording { name: self.name, explanation: self.explanation, formula: self.formula };
        if !english {
            return dutch;
        }
        ENGLISH.iter().find(|(id, _)| *id == self.id).map_or(dutch, |(_, w)| *w)
    }
}

const fn en(name: &'static str, explanation: &'static str, formula: &'static str) -> Wording {
    Wording { name, explanation, formula }
}

/// The catalogue in English, by id.
const ENGLISH: [(&str, Wording); 13] = [
    (
        "offered",
        en(
            "Offered",
            "Calls that reached a queue and were answered by an agent, or were abandoned after waiting at least the \
            short-abandon threshold. Who hangs up within that threshold (often a misdial) is not counted; neither is who \
            hangs up in the menu (IVR).",
            "answered + abandoned after the short-abandon threshold",
        ),
    ),
    (
        "service_level",
        en(
            "Service level",
            "The share of calls answered within the threshold T. The clock starts on entering the queue, or (variant \
            'including IVR') on arrival in the menu. The denominator is answered plus abandoned after T by default; the \
            variants 'all offered' and 'answered only' can be chosen and are then named.",
            "answered within T / (answered + abandoned after T)",
        ),
    ),
    (
        "asa",
        en(
            "Average speed of answer (ASA)",
            "The mean wait of answered calls, in seconds, measured with the same clock as the service level (queue, or \
            including IVR).",
            "sum of waits of answered calls / answered calls",
        ),
    ),
    (
        "abandonment",
        en(
            "Abandonment rate",
            "The share of offered calls in which the caller hung up before an agent answered, after waiting at least the \
            short-abandon threshold.",
            "abandoned after the short-abandon threshold / offered",
        ),
    ),
    (
        "aht",
        en(
            "Average handling time (AHT)",
            "The mean length of a handled call: talk time plus hold plus after-call work. Where the telephony platform \
            gives no hold or after-call work (as in the bank data), it is the talk time.",
            "(talk + hold + after-call work) / handled",
        ),
    ),
    (
        "contact_volume",
        en(
            "Contact volume",
            "The number of registered customer contacts that started in the period (local time), on every channel, \
            including attempts in which no contact was made. By channel, subject, call outcome, department, hour or \
            weekday; the share is of the selection's total.",
            "registered contacts starting in the period",
        ),
    ),
    (
        "fcr_agent",
        en(
            "First contact resolution (by the agent)",
            "The share of customer contacts that the agent marked as 'resolved independently'.",
            "contacts with outcome resolved independently / contacts in which contact was made",
        ),
    ),
    (
        "fcr_repeat",
        en(
            "First contact resolution (no repeat contact)",
            "The share of customer contacts after which the same party had no new contact on the same subject within N \
            days.",
            "contacts without a repeat within N days / contacts with a party",
        ),
    ),
    (
        "callback_on_time",
        en(
            "Callbacks on time",
            "The share of callback requests whose due time passed that were completed before it.",
            "completed on time / due times passed",
        ),
    ),
    (
        "response_time",
        en(
            "Response time against target",
            "Per channel, the share of contacts that got a response within that channel's target; the clock runs only \
            within opening hours (public holidays and closures do not count).",
            "answered within the channel's target / answered",
        ),
    ),
    (
        "csat",
        en(
            "Customer satisfaction (CSAT)",
            "The share of answers on a scale of 1 to 5 that are a 4 or 5.",
            "number of 4s and 5s / number of answers",
        ),
    ),
    (
        "nps",
        en(
            "Net Promoter Score (NPS)",
            "The percentage of promoters (9–10) minus the percentage of detractors (0–6), on a scale of 0 to 10.",
            "% 9–10 − % 0–6",
        ),
    ),
    (
        "ces",
        en(
            "Customer effort (CES)",
            "The mean score on the question how much effort it cost the customer, on a scale of 1 (little) to 7 (a \
            lot). Lower is better.",
            "sum of scores / number of answers",
        ),
    ),
];

pub const CATALOGUE: [KpiDefinition; 13] = [
    KpiDefinition {
        id: "offered",
        name: "Aangeboden",
        explanation: "Gesprekken die een wachtrij bereikten en door een medewerker zijn aangenomen of na ten minste de \
            korte-ophangdrempel zijn opgehangen. Wie binnen die drempel ophangt (vaak een verkeerd gekozen nummer), telt \
            niet mee; wie in het keuzemenu (IVR) ophangt ook niet.",
        formula: "aangenomen + opgehangen na de korte-ophangdrempel",
        parameters: &["short_abandon_s"],
    },
    KpiDefinition {
        id: "service_level",
        name: "Servicelevel",
        explanation: "Het deel van de gesprekken dat binnen de drempel T is aangenomen. De klok start bij binnenkomst in de \
            wachtrij, of (variant 'inclusief IVR') bij aankomst in het keuzemenu. De noemer is standaard aangenomen plus \
            opgehangen na T; de varianten 'alle aangeboden' en 'alleen aangenomen' zijn kiesbaar en worden dan genoemd.",
        formula: "aangenomen binnen T / (aangenomen + opgehangen na T)",
        parameters: &["sl_threshold_s", "clock", "sl_denominator", "short_abandon_s"],
    },
    KpiDefinition {
        id: "asa",
        name: "Gemiddelde wachttijd (ASA)",
        explanation: "De gemiddelde wachttijd van aangenomen gesprekken, in seconden, gemeten met dezelfde klok als het \
            servicelevel (wachtrij, of inclusief IVR).",
        formula: "som wachttijd aangenomen / aantal aangenomen",
        parameters: &["clock"],
    },
    KpiDefinition {
        id: "abandonment",
        name: "Ophaakpercentage",
        explanation: "Het deel van de aangeboden gesprekken waarbij de beller ophing voordat een medewerker aannam, na ten \
            minste de korte-ophangdrempel te hebben gewacht.",
        formula: "opgehangen na de korte-ophangdrempel / aangeboden",
        parameters: &["short_abandon_s"],
    },
    KpiDefinition {
        id: "aht",
        name: "Gemiddelde afhandeltijd (AHT)",
        explanation: "De gemiddelde duur van een afgehandeld gesprek: gesprekstijd plus wachtstand plus nawerk. Waar de \
            telefooncentrale geen wachtstand of nawerk levert (zoals in de bankdata), is het de gesprekstijd.",
        formula: "(gesprek + wachtstand + nawerk) / afgehandeld",
        parameters: &[],
    },
    KpiDefinition {
        id: "contact_volume",
        name: "Contactvolume",
        explanation: "Het aantal geregistreerde klantcontacten dat in de periode begon (lokale tijd), op elk kanaal, ook \
            pogingen waarin geen contact tot stand kwam. Naar kanaal, onderwerp, gespreksresultaat, afdeling, uur of \
            weekdag; het aandeel is van het totaal van de selectie.",
        formula: "geregistreerde contacten met begin in de periode",
        parameters: &[],
    },
    KpiDefinition {
        id: "fcr_agent",
        name: "Eerstelijnsoplossing (door medewerker)",
        explanation: "Het deel van de klantcontacten dat de medewerker als 'zelfstandig afgehandeld' markeerde.",
        formula: "contacten met resultaat zelfstandig afgehandeld / contacten waarin contact is gemaakt",
        parameters: &[],
    },
    KpiDefinition {
        id: "fcr_repeat",
        name: "Eerstelijnsoplossing (geen herhaalcontact)",
        explanation: "Het deel van de klantcontacten waarna dezelfde partij binnen N dagen geen nieuw contact over hetzelfde \
            onderwerp had.",
        formula: "contacten zonder herhaalcontact binnen N dagen / contacten met een partij",
        parameters: &["fcr_days"],
    },
    KpiDefinition {
        id: "callback_on_time",
        name: "Terugbelverzoeken op tijd",
        explanation: "Het deel van de terugbelverzoeken waarvan de termijn verliep, dat vóór die termijn is afgerond.",
        formula: "op tijd afgerond / verlopen termijnen",
        parameters: &[],
    },
    KpiDefinition {
        id: "response_time",
        name: "Reactietijd tegen norm",
        explanation: "Per kanaal het deel van de contacten dat binnen de norm van dat kanaal een reactie kreeg; de klok loopt \
            alleen binnen de openingstijden (feestdagen en sluitingsdagen tellen niet).",
        formula: "binnen de kanaalnorm beantwoord / beantwoord",
        parameters: &[],
    },
    KpiDefinition {
        id: "csat",
        name: "Klanttevredenheid (CSAT)",
        explanation: "Het deel van de antwoorden op een schaal van 1 tot 5 dat een 4 of 5 is.",
        formula: "aantal 4 en 5 / aantal antwoorden",
        parameters: &[],
    },
    KpiDefinition {
        id: "nps",
        name: "Net Promoter Score (NPS)",
        explanation: "Het percentage promotors (9–10) min het percentage criticasters (0–6), op een schaal van 0 tot 10.",
        formula: "% 9–10 − % 0–6",
        parameters: &[],
    },
    KpiDefinition {
        id: "ces",
        name: "Klantinspanning (CES)",
        explanation: "De gemiddelde score op de vraag hoeveel moeite het de klant kostte, op een schaal van 1 (weinig) tot 7 \
            (veel). Lager is beter.",
        formula: "som van de scores / aantal antwoorden",
        parameters: &[],
    },
];

pub fn find(id: &str) -> Option<&'static KpiDefinition> {
    CATALOGUE.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_definition_has_a_unique_id_and_a_dutch_explanation() {
        let mut ids: Vec<&str> = CATALOGUE.iter().map(|d| d.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CATALOGUE.len());
        assert!(CATALOGUE.iter().all(|d| d.explanation.len() > 40 && !d.name.is_empty()));
        assert_eq!(find("service_level").unwrap().url(), "/kpi#service_level");
    }

    #[test]
    fn every_definition_reads_in_english_too() {
        for d in CATALOGUE {
            let english = d.wording(true);
            assert!(ENGLISH.iter().any(|(id, _)| *id == d.id), "{} has no English", d.id);
            assert_ne!(english.explanation, d.explanation, "{}", d.id);
        }
        assert_eq!(ENGLISH.len(), CATALOGUE.len());
    }
}
