//! What the index holds for each kind of thing, made from the database rows.

use loket_search::{Audience, DocKey, Document, Kind, Reach};
use uuid::Uuid;

use crate::clock;
use crate::contacts::digital_address::PhoneNumber;
use crate::knowledge::markdown::to_plain_text;
use crate::knowledge::trees::{Definition, Outcome};
use crate::store::notices::NoticeRow;
use crate::store::search::{ArticleDoc, EmployeeDoc, TreeDoc};
use crate::store::units::UnitRow;

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A published article: its short answer is read out first, keywords, synonyms and the UPL
/// product are curated terms. The werkinstructie is not indexed: snippets of public articles
/// must never show internal instructions.
pub fn article(row: ArticleDoc) -> Document {
    let mut terms = list(&row.keywords);
    terms.extend(list(&row.synonyms));
    terms.extend(row.upl_product.clone());
    Document {
        key: DocKey::new(Kind::Article, row.id.to_string()),
        external_id: row.external_id,
        title: row.title,
        summary: row.short_answer,
        body: to_plain_text(&row.body),
        terms,
        category: row.category,
        audience: if row.audience == "publiek" { Audience::Publiek } else { Audience::Intern },
        reach: Reach::Everyone,
        valid_from: row.valid_from.map(|t| t.timestamp()),
        valid_until: row.valid_until.map(|t| t.timestamp()),
        detail: String::new(),
    }
}

/// A werkbericht, found by those it is meant for while it runs.
pub fn notice(row: NoticeRow, targets: Vec<Uuid>) -> Document {
    let kind = if row.kind == "werkinstructie" { "Werkinstructie" } else { "Nieuws" };
    let detail = format!("{kind} · {}", clock::format_local(row.publish_from));
    Document {
        key: DocKey::new(Kind::Notice, row.id.to_string()),
        external_id: None,
        title: row.title,
        summary: String::new(),
        body: to_plain_text(&row.body),
        terms: vec![row.kind],
        category: String::new(),
        audience: Audience::Intern,
        reach: if targets.is_empty() {
            Reach::Everyone
        } else {
            Reach::Units(targets.iter().map(Uuid::to_string).collect())
        },
        valid_from: Some(row.publish_from.timestamp()),
        valid_until: row.publish_until.map(|t| t.timestamp()),
        detail,
    }
}

/// A published beslisboom: its questions, answers and what it ends in are searchable.
pub fn tree(row: TreeDoc) -> Document {
    let mut body = String::new();
    if let Ok(definition) = serde_json::from_str::<Definition>(&row.definition) {
        for node in &definition.nodes {
            for text in node.question.iter().chain(node.answers.iter().map(|a| &a.label)) {
                body.push_str(text);
                body.push('\n');
            }
            match &node.outcome {
                Some(Outcome::Text { text }) | Some(Outcome::Action { text, .. }) => {
                    body.push_str(text);
                    body.push('\n');
                }
                _ => {}
            }
        }
    }
    Document {
        key: DocKey::new(Kind::Tree, row.id.to_string()),
        external_id: None,
        title: row.title,
        summary: row.description,
        body,
        terms: vec!["beslisboom".into()],
        category: String::new(),
        audience: Audience::Intern,
        reach: Reach::Everyone,
        valid_from: None,
        valid_until: None,
        detail: String::new(),
    }
}

fn shown_phone(phone: Option<&str>) -> Option<String> {
    phone.map(|p| PhoneNumber::parse(p).map(|n| n.display()).unwrap_or_else(|_| p.to_owned()))
}

/// A colleague in the directory: name, afdeling or team, topics, phone and e-mail.
pub fn employee(row: EmployeeDoc) -> Document {
    let phone = shown_phone(row.phone.as_deref());
    let detail = [phone.clone(), row.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let mut terms: Vec<String> =
        row.topics.split([',', ';', '\n']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
    terms.extend(row.unit_name.clone());
    Document {
        key: DocKey::new(Kind::Employee, row.id.to_string()),
        external_id: None,
        title: row.display_name,
        summary: row.unit_name.unwrap_or_default(),
        body: [phone, row.email].into_iter().flatten().collect::<Vec<_>>().join("\n"),
        terms,
        category: String::new(),
        audience: Audience::Intern,
        reach: Reach::Everyone,
        valid_from: None,
        valid_until: None,
        detail,
    }
}

/// An afdeling or team: what it does, its phone number and e-mail address.
pub fn unit(row: UnitRow, parent: Option<String>) -> Document {
    let phone = shown_phone(row.phone.as_deref());
    let kind = if row.kind == "team" { "Team" } else { "Afdeling" };
    let detail =
        [Some(kind.to_owned()), phone.clone(), row.email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    Document {
        key: DocKey::new(Kind::Unit, row.id.to_string()),
        external_id: None,
        title: row.name,
        summary: row.description,
        body: [phone, row.email, parent].into_iter().flatten().collect::<Vec<_>>().join("\n"),
        terms: vec![row.kind],
        category: String::new(),
        audience: Audience::Intern,
        reach: Reach::Everyone,
        valid_from: None,
        valid_until: None,
        detail,
    }
}
