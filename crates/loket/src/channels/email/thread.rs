//! Which thread a mail belongs to, and whether it gets a receipt: pure rules, no database.
//!
//! Rules:
//! - A thread's reference (kenmerk) is `E-XXXX-XXXX` in Crockford's base 32 (no I, L, O or U,
//!   so it survives being read aloud and retyped). It is in the subject of every mail Loket
//!   sends and at the foot of its body.
//! - Matching order: the reference in the subject or in the address (`info+E-…@`); Loket's own
//!   Message-IDs in In-Reply-To/References, then the reference in the quoted body (for mail
//!   servers that rewrite Message-IDs); then the other References.
//! - A mail never joins a thread of another person: a different sender starts a new thread
//!   linked to the one it matched. A closed thread is not reopened: a new one is linked to it.
//!   A bounce joins the thread of the mail it bounced, whoever sent it.
//! - Receipts (RFC 3834): none to automatic mail, bounces, mailing lists or bulk mail, at most
//!   one per thread and three per sender per 24 hours.

use rand::Rng;
use uuid::Uuid;

use super::parse::Incoming;

/// Crockford's base 32.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A thread's reference (kenmerk).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

impl Reference {
    pub fn generate() -> Reference {
        let mut rng = rand::thread_rng();
        let mut s = String::from("E-");
        for i in 0..8 {
            if i == 4 {
                s.push('-');
            }
            s.push(ALPHABET[rng.gen_range(0..32)] as char);
        }
        Reference(s)
    }

    /// A reference as typed (any case), or `None`.
    pub fn parse(s: &str) -> Option<Reference> {
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = b.len() == 11
            && b.starts_with(b"E-")
            && b[6] == b'-'
            && b.iter().enumerate().all(|(i, c)| matches!(i, 0 | 1 | 6) || ALPHABET.contains(c));
        ok.then_some(Reference(s))
    }

    /// The first reference in a text (a subject, a body), standing on its own.
    pub fn find_in(text: &str) -> Option<Reference> {
        let b = text.as_bytes();
        (0..b.len().saturating_sub(10)).find_map(|i| {
            let before_ok = i == 0 || !b[i - 1].is_ascii_alphanumeric();
            let after_ok = b.get(i + 11).is_none_or(|c| !c.is_ascii_alphanumeric());
            let candidate = text.get(i..i + 11)?;
            (before_ok && after_ok && b[i].eq_ignore_ascii_case(&b'E')).then(|| Reference::parse(candidate)).flatten()
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The subject without reply and forward prefixes (Dutch, English, German, Scandinavian, in any
/// case and repeated: "Re: AW: Antw: Re[2]: …") and without Loket's reference in brackets.
pub fn bare_subject(subject: &str) -> String {
    const PREFIXES: [&str; 12] = ["re", "antw", "fwd", "fw", "doorst", "aw", "wg", "sv", "vs", "vb", "tr", "r"];
    let mut s = subject.trim();
    'strip: loop {
        for p in PREFIXES {
            let Some(head) = s.get(..p.len()) else { continue };
            if !head.eq_ignore_ascii_case(p) {
                continue;
            }
            let mut rest = &s[p.len()..];
            // "Re[2]:" and "Re(2):"
            if let Some(r) = rest.strip_prefix(['[', '(']) {
                let digits = r.chars().take_while(char::is_ascii_digit).count();
                if digits > 0 && r[digits..].starts_with([']', ')']) {
                    rest = &r[digits + 1..];
                }
            }
            if let Some(r) = rest.trim_start().strip_prefix([':', '：']) {
                s = r.trim_start();
                continue 'strip;
            }
        }
        break;
    }
    let mut out = s.to_owned();
    if let Some(r) = Reference::find_in(&out) {
        for form in [format!("[{r}]"), format!("[kenmerk {r}]"), format!("[Kenmerk {r}]")] {
            out = out.replace(&form, "");
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The subject of a mail Loket sends in a thread.
pub fn subject_with_reference(subject: &str, reference: &Reference) -> String {
    let bare = bare_subject(subject);
    if bare.is_empty() { format!("Uw bericht [{reference}]") } else { format!("{bare} [{reference}]") }
}

/// The reference a mail names in its subject or in the address it was sent to (`info+E-…@`).
pub fn reference_named(mail: &Incoming) -> Option<Reference> {
    Reference::find_in(&mail.subject).or_else(|| {
        mail.to.iter().chain(&mail.cc).find_map(|a| {
            let local = a.split('@').next()?;
            local.split_once('+').and_then(|(_, tag)| Reference::parse(tag))
        })
    })
}

/// The Message-IDs a mail answers, nearest first (In-Reply-To, then References from the last).
pub fn answered_ids(mail: &Incoming) -> Vec<String> {
    let mut ids: Vec<String> = mail.in_reply_to.clone();
    for id in mail.references.iter().rev() {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// A thread a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: Uuid,
    pub citizen_address: String,
    pub open: bool,
}

/// Where a mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Into this open thread.
    Join(Uuid),
    /// Into a new thread linked to this one (another sender, or the thread was closed).
    NewLinked(Uuid),
    /// Into a new thread.
    New,
}

/// Where a mail from `from` goes, given the thread its keys matched (see the rules).
pub fn place(found: Option<&Found>, from: &str, bounce: bool) -> Placement {
    match found {
        None => Placement::New,
        Some(t) if bounce => Placement::Join(t.id),
        Some(t) if !t.citizen_address.eq_ignore_ascii_case(from) || from.is_empty() => Placement::NewLinked(t.id),
        Some(t) if !t.open => Placement::NewLinked(t.id),
        Some(t) => Placement::Join(t.id),
    }
}

/// Receipts per sender per 24 hours.
pub const RECEIPTS_PER_DAY: i64 = 3;

/// Why a mail gets no receipt, or `None` when it gets one.
pub fn no_receipt_because(
    mail: &Incoming,
    mailbox: &str,
    new_thread: bool,
    receipts_last_day: i64,
) -> Option<&'static str> {
    let from = mail.from_address.as_str();
    let local = from.split('@').next().unwrap_or("").to_ascii_lowercase();
    let s = &mail.signals;
    if mail.bounce_of.is_some() || local == "mailer-daemon" || local == "postmaster" {
        Some("onbestelbaar-bericht")
    } else if from.is_empty() || !from.contains('@') {
        Some("geen afzender")
    } else if from.eq_ignore_ascii_case(mailbox) {
        Some("eigen adres")
    } else if s.auto_submitted || s.autoreply || s.looped || s.null_return_path {
        Some("automatisch bericht")
    } else if s.bulk || s.mailing_list {
        Some("massamail of mailinglijst")
    } else if !new_thread {
        Some("al bevestigd in deze draad")
    } else if receipts_last_day >= RECEIPTS_PER_DAY {
        Some("al drie bevestigingen in 24 uur")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_reads_back_and_is_found_in_a_subject_but_not_inside_a_word() {
        let r = Reference::generate();
        assert_eq!(Reference::parse(&r.as_str().to_lowercase()), Some(r.clone()));
        assert_eq!(Reference::find_in(&format!("RE: Uw vraag [{r}]")), Some(r.clone()));
        assert_eq!(Reference::find_in(&format!("xx{}", r.as_str())), None);
        assert_eq!(Reference::parse("E-ABCD-EFGI"), None, "I is not in the alphabet");
    }

    #[test]
    fn reply_prefixes_of_every_language_are_stripped() {
        for s in [
            "Re: Grofvuil",
            "RE: AW: Grofvuil",
            "Antw: Grofvuil",
            "Fwd: Doorst: Grofvuil",
            "WG: Grofvuil",
            "SV: VS: Grofvuil",
            "Re[2]: Grofvuil",
            "re : Grofvuil",
            "Grofvuil [E-7Q4M-2X9A]",
        ] {
            assert_eq!(bare_subject(s), "Grofvuil", "{s}");
        }
        assert_eq!(bare_subject("Reparatie lantaarnpaal"), "Reparatie lantaarnpaal");
        assert_eq!(bare_subject("Svenska frågor"), "Svenska frågor");
    }

    #[test]
    fn a_mail_never_joins_a_thread_of_someone_else_nor_a_closed_one() {
        let id = Uuid::now_v7();
        let open = Found { id, citizen_address: "jan@example.nl".into(), open: true };
        assert_eq!(place(Some(&open), "JAN@example.nl", false), Placement::Join(id));
        assert_eq!(place(Some(&open), "piet@example.nl", false), Placement::NewLinked(id));
        assert_eq!(place(Some(&open), "mailer-daemon@mx.example.nl", true), Placement::Join(id));
        let closed = Found { open: false, ..open };
        assert_eq!(place(Some(&closed), "jan@example.nl", false), Placement::NewLinked(id));
        assert_eq!(place(None, "jan@example.nl", false), Placement::New);
    }
}
