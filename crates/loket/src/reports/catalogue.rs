//! The KPI catalogue: what each figure counts, in Dutch, and which parameters change it.

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

impl KpiDefinition {
    pub fn url(&self) -> String {
        format!("/kpi#{}", self.id)
    }
}

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
}
