//! A raw RFC 5322 message read into what Loket keeps of it (mail-parser 0.11 does the MIME,
//! the charsets and the encoded words; 1.x needs a newer Rust than ours).
//!
//! Rules:
//! - Reading never fails: a message without headers or with broken MIME is kept as the text that
//!   could be read, and what could not is said in `problems`, so no mail is lost to a parser.
//! - A message without a Message-ID gets one from a hash of its bytes, so that delivering it
//!   again is recognised all the same.
//! - HTML is cleaned with ammonia (no scripts, styles, forms or event handlers); the text body is
//!   the plain part, or the HTML as text when there is none.

use std::borrow::Cow;

use chrono::{DateTime, TimeZone, Utc};
use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

/// What a message's headers say about how it was sent, for the receipt's loop rules (RFC 3834).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    /// `Auto-Submitted` other than `no`.
    pub auto_submitted: bool,
    /// `Precedence: bulk | list | junk`.
    pub bulk: bool,
    /// `List-Id` or `List-Unsubscribe`.
    pub mailing_list: bool,
    /// `X-Autoreply`, `X-Autorespond`, `X-Auto-Response-Suppress: All|AutoReply`.
    pub autoreply: bool,
    /// `X-Loop`.
    pub looped: bool,
    /// `Return-Path: <>` (the null sender of bounces and auto-replies).
    pub null_return_path: bool,
}

/// One attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A message as Loket keeps it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// Lower-case; empty when the From header held no address.
    pub from_address: String,
    pub from_name: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub date: Option<DateTime<Utc>>,
    pub text: String,
    /// Cleaned.
    pub html: String,
    pub attachments: Vec<Attachment>,
    pub signals: Signals,
    /// A delivery-status report (bounce): the Message-IDs of the mail it bounced.
    pub bounce_of: Option<Vec<String>>,
    /// PGP/MIME or S/MIME encrypted: the body is in the attachments, unreadable here.
    pub encrypted: bool,
    pub size: usize,
    /// What could not be read, in Dutch.
    pub problems: Vec<String>,
}

/// Reads a raw message.
pub fn read(raw: &[u8]) -> Incoming {
    read_parts(raw).without_nul()
}

impl Incoming {
    /// PostgreSQL keeps no NUL character in text (SQLite does): they are left out everywhere,
    /// so that a mail reads the same on both and never stops an intake.
    fn without_nul(mut self) -> Incoming {
        let clean = |s: &mut String| {
            if s.contains('\0') {
                *s = s.replace('\0', "");
            }
        };
        for s in [&mut self.from_address, &mut self.from_name, &mut self.subject, &mut self.text, &mut self.html] {
            clean(s);
        }
        for list in [&mut self.in_reply_to, &mut self.references, &mut self.to, &mut self.cc] {
            list.iter_mut().for_each(clean);
            list.retain(|s| !s.is_empty());
        }
        for a in &mut self.attachments {
            clean(&mut a.filename);
            clean(&mut a.content_type);
        }
        self
    }
}

fn read_parts(raw: &[u8]) -> Incoming {
    let fallback_id = || format!("sha256.{}@loket.invalid", hex(&Sha256::digest(raw)[..16]));
    // Bytes without any of the headers every mail has are no mail: kept as text, said so.
    let is_mail = |m: &mail_parser::Message<'_>| {
        ["From", "To", "Subject", "Date", "Message-ID"].iter().any(|h| m.header_raw(*h).is_some())
    };
    let Some(message) = MessageParser::default().parse(raw).filter(is_mail) else {
        return Incoming {
            message_id: fallback_id(),
            in_reply_to: Vec::new(),
            references: Vec::new(),
            from_address: String::new(),
            from_name: String::new(),
            to: Vec::new(),
            cc: Vec::new(),
            subject: String::new(),
            date: None,
            text: String::from_utf8_lossy(raw).into_owned(),
            html: String::new(),
            attachments: Vec::new(),
            signals: Signals::default(),
            bounce_of: None,
            encrypted: false,
            size: raw.len(),
            problems: vec!["Het bericht had geen leesbare kopregels; het is als tekst bewaard.".to_owned()],
        };
    };
    let from = message.from().and_then(Address::first);
    let root_type = message.root_part().content_type();
    let is = |t: &str, s: &str| {
        root_type.is_some_and(|c| {
            c.ctype().eq_ignore_ascii_case(t) && c.subtype().is_some_and(|x| x.eq_ignore_ascii_case(s))
        })
    };
    let encrypted = is("multipart", "encrypted")
        || root_type.is_some_and(|c| c.subtype().is_some_and(|s| s.eq_ignore_ascii_case("pkcs7-mime")));
    let report = is("multipart", "report")
        && root_type
            .and_then(|c| c.attribute("report-type"))
            .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"));
    let header = |name: &'static str| message.header_raw(name).map(str::trim).filter(|v| !v.is_empty());
    let signals = Signals {
        auto_submitted: header("Auto-Submitted").is_some_and(|v| !v.to_ascii_lowercase().starts_with("no")),
        bulk: header("Precedence").is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.starts_with("bulk") || v.starts_with("list") || v.starts_with("junk")
        }),
        mailing_list: header("List-Id").is_some() || header("List-Unsubscribe").is_some(),
        autoreply: header("X-Autoreply").is_some()
            || header("X-Autorespond").is_some()
            || header("X-Auto-Response-Suppress").is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("all") || v.contains("autoreply")
            }),
        looped: header("X-Loop").is_some(),
        null_return_path: header("Return-Path").is_some_and(|v| v.replace(' ', "") == "<>"),
    };
    let mut problems = Vec::new();
    let mut attachments = Vec::new();
    let mut bounced = Vec::new();
    for part in message.attachments() {
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(s) => format!("{}/{}", c.ctype(), s),
                None => c.ctype().to_owned(),
            })
            .unwrap_or_else(|| "application/octet-stream".to_owned())
            .to_ascii_lowercase();
        if report {
            // The bounced mail comes back whole (message/rfc822) or as its headers.
            let original = match part.message() {
                Some(m) => m.message_id().map(str::to_owned),
                None if content_type == "text/rfc822-headers" => MessageParser::default()
                    .parse_headers(part.contents())
                    .and_then(|m| m.message_id().map(str::to_owned)),
                None => None,
            };
            bounced.extend(original);
        }
        let filename = part
            .attachment_name()
            .map(clean_filename)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("bijlage-{}{}", attachments.len() + 1, extension_of(&content_type)));
        let content = match part.message() {
            // An attached message is offered as it came.
            Some(m) => m.raw_message().to_vec(),
            None => part.contents().to_vec(),
        };
        attachments.push(Attachment { filename, content_type, content });
    }
    let text = message.body_text(0).map(Cow::into_owned).unwrap_or_default();
    let html = match message.html_body_count() {
        0 => String::new(),
        _ => message.body_html(0).map(|h| clean_html(&h)).unwrap_or_default(),
    };
    if encrypted {
        problems.push("Het bericht is versleuteld; de inhoud staat in de bijlagen.".to_owned());
    }
    let message_id = message
        .message_id()
        .map(|id| id.trim().trim_matches(['<', '>']).to_owned())
        .filter(|id| !id.is_empty() && id.len() <= 250 && !id.chars().any(|c| c.is_whitespace() || c == '\0'))
        .unwrap_or_else(fallback_id);
    Incoming {
        message_id,
        in_reply_to: ids(message.in_reply_to()),
        references: ids(message.references()),
        from_address: from.and_then(|a| a.address()).map(|a| a.trim().to_lowercase()).unwrap_or_default(),
        from_name: from.and_then(|a| a.name()).map(|n| one_line(n, 200)).unwrap_or_default(),
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        subject: message.subject().map(|s| one_line(s, 500)).unwrap_or_default(),
        date: message.date().and_then(|d| Utc.timestamp_opt(d.to_timestamp(), 0).single()),
        text,
        html,
        attachments,
        signals,
        bounce_of: report.then_some(bounced),
        encrypted,
        size: raw.len(),
        problems,
    }
}

/// The Message-IDs of an In-Reply-To or References header.
fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    let list: Vec<&str> = match value {
        HeaderValue::Text(t) => vec![t.as_ref()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.as_ref()).collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .map(|id| id.trim().trim_matches(['<', '>']).to_owned())
        .filter(|id| !id.is_empty() && id.len() <= 250)
        .take(100)
        .collect()
}

fn addresses(value: Option<&Address<'_>>) -> Vec<String> {
    value
        .map(|a| a.iter().filter_map(|a| a.address()).map(|a| a.trim().to_lowercase()).take(100).collect())
        .unwrap_or_default()
}

/// A header's text on one line (a folded or injected line break becomes a space), at most `max`
/// characters.
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).take(max).collect();
    flat.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A file name without a path or characters that a download header or a file system would trip
/// over.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .take(200)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_owned()
}

fn extension_of(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => ".pdf",
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "text/plain" => ".txt",
        "message/rfc822" => ".eml",
        _ => "",
    }
}

/// HTML as it may be shown: no scripts, styles, forms, frames or event handlers; links open
/// elsewhere and carry no referrer. Remote images stay in the text and are left out when shown
/// (see [`super::display_html`]).
pub fn clean_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("img", ["src", "alt", "width", "height"])
        .url_schemes(["http", "https", "mailto", "cid"].into_iter().collect())
        .clean(html)
        .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_mail_gives_its_ids_sender_and_text() {
        let raw = b"Message-ID: <abc@mail.example.nl>\r\nIn-Reply-To: <loket.1@gemeente.nl>\r\nReferences: <x@y.nl> <loket.1@gemeente.nl>\r\nFrom: \"Jan Jansen\" <Jan@Example.NL>\r\nTo: info@gemeente.nl\r\nSubject: =?utf-8?q?Vraag_over_grofvuil?=\r\nDate: Mon, 7 Dec 2026 10:00:00 +0100\r\n\r\nWanneer wordt het opgehaald?\r\n";
        let m = read(raw);
        assert_eq!(m.message_id, "abc@mail.example.nl");
        assert_eq!(m.in_reply_to, vec!["loket.1@gemeente.nl"]);
        assert_eq!(m.references, vec!["x@y.nl", "loket.1@gemeente.nl"]);
        assert_eq!(m.from_address, "jan@example.nl");
        assert_eq!(m.from_name, "Jan Jansen");
        assert_eq!(m.subject, "Vraag over grofvuil");
        assert!(m.text.contains("Wanneer wordt het opgehaald?"));
        assert_eq!(m.date.map(|d| d.to_rfc3339()), Some("2026-12-07T09:00:00+00:00".to_owned()));
        assert_eq!(m.signals, Signals::default());
    }

    #[test]
    fn a_latin1_body_without_a_message_id_is_read_and_gets_a_stable_id() {
        let raw = b"From: a@b.nl\r\nSubject: caf\xe9\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nCaf\xe9 op de hoek\r\n";
        let m = read(raw);
        assert!(m.text.contains("Café op de hoek"), "{}", m.text);
        assert!(m.message_id.starts_with("sha256.") && m.message_id == read(raw).message_id);
    }

    #[test]
    fn html_loses_its_scripts_and_handlers() {
        let html =
            clean_html("<p onclick=\"x()\">Hoi<script>alert(1)</script><img src=\"https://t.example/p.gif\"></p>");
        assert!(!html.contains("script") && !html.contains("onclick"), "{html}");
        assert!(html.contains("Hoi"));
    }

    #[test]
    fn a_subject_with_an_injected_line_break_stays_one_line() {
        assert_eq!(one_line("Vraag\r\nBcc: iedereen@example.nl", 100), "Vraag Bcc: iedereen@example.nl");
    }

    #[test]
    fn bytes_that_are_no_mail_are_kept_as_text_without_nul_characters() {
        let m = read(b"\x00\x01 geen mail");
        assert!(!m.problems.is_empty() && m.text.contains("geen mail"), "{m:?}");
        assert!(!m.text.contains('\0'));
        let m = read(b"From: a@b.nl\r\nSubject: x\x00y\r\n\r\nte\x00kst\r\n");
        assert_eq!((m.subject.as_str(), m.text.trim()), ("x y", "tekst"), "a control character in a header is a space");
    }
}
