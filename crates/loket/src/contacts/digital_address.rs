//! Digital addresses (digitale adressen): e-mail addresses and phone numbers, parsed once at the edge.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// An e-mail address: one `@`, a non-empty local part, a domain with a dot, no spaces, at most
/// 254 characters (RFC 5321). The domain is lower-cased; the local part is kept as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let input = input.trim();
        let invalid = || FieldError::new("email", "invalid_email", "Geen geldig e-mailadres (zoals naam@gemeente.nl).");
        if input.len() > 254 || input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = input.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        EmailAddress::parse(&s).map_err(|e| e.message)
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number in E.164 form. Dutch national numbers (`020 123 4567`, `06-12345678`,
/// `0800 1234`) become `+31…`; `0031…` and `+…` international numbers are accepted with 8 to 15
/// digits. Municipal 14-numbers (`14 020`) are kept as they are: they have no E.164 form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "phone",
                "invalid_phone",
                "Geen geldig telefoonnummer (zoals 020 123 4567, 06 12345678 of +31 20 123 4567).",
            )
        };
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if rest.chars().any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))) {
            return Err(invalid());
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let e164 = if plus {
            digits
        } else if let Some(intl) = digits.strip_prefix("00") {
            intl.to_owned()
        } else if digits.starts_with("14") && (5..=6).contains(&digits.len()) {
            return Ok(PhoneNumber(digits));
        } else if let Some(national) = digits.strip_prefix('0') {
            let service = ["800", "900", "906", "909"].iter().any(|p| national.starts_with(p));
            let ok = national.len() == 9 || (service && (national.len() == 7 || national.len() == 10));
            if !ok {
                return Err(invalid());
            }
            format!("31{national}")
        } else {
            return Err(invalid());
        };
        if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
            return Err(invalid());
        }
        // A Dutch number written internationally must still have the Dutch length.
        if let Some(national) = e164.strip_prefix("31")
            && (national.starts_with('0') || !(national.len() == 9 || national.len() == 7 || national.len() == 10))
        {
            return Err(invalid());
        }
        Ok(PhoneNumber(format!("+{e164}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as Dutch people write it: `020 123 4567`, `0345 123 400`, `06 1234 5678`,
    /// `0800 1234`, `14 0345`; foreign numbers stay international.
    pub fn display(&self) -> String {
        format_phone(&self.0)
    }
}

/// Formats a stored number (E.164 or a 14-number) for reading; see [`PhoneNumber::display`].
pub fn format_phone(stored: &str) -> String {
    // Dutch area codes of two digits (after the 0); all others have three.
    const TWO_DIGIT_AREAS: &[&str] = &[
        "10", "13", "15", "20", "23", "24", "26", "30", "33", "35", "36", "38", "40", "43", "45", "46", "50", "53",
        "55", "58", "70", "71", "72", "73", "74", "75", "76", "77", "78", "79",
    ];
    if let Some(rest) = stored.strip_prefix("14").filter(|_| !stored.starts_with('+')) {
        return format!("14 {rest}");
    }
    let Some(national) = stored.strip_prefix("+31") else { return stored.to_owned() };
    let (head, tail) = if national.starts_with('6') {
        national.split_at(1)
    } else if ["800", "900", "906", "909"].iter().any(|p| national.starts_with(p)) {
        national.split_at(3)
    } else if TWO_DIGIT_AREAS.iter().any(|a| national.starts_with(a)) {
        national.split_at(2)
    } else {
        national.split_at(3.min(national.len()))
    };
    let grouped = match tail.len() {
        8 => format!("{} {}", &tail[..4], &tail[4..]),
        7 => format!("{} {}", &tail[..3], &tail[3..]),
        6 => format!("{} {}", &tail[..3], &tail[3..]),
        _ => tail.to_owned(),
    };
    format!("0{head} {grouped}")
}

impl TryFrom<String> for PhoneNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&s).map_err(|e| e.message)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers_written_in_any_common_way_become_one_e164_number() {
        for written in ["020 123 4567", "020-1234567", "(020) 123 45 67", "+31 20 123 4567", "0031201234567"] {
            assert_eq!(PhoneNumber::parse(written).unwrap().as_str(), "+31201234567", "{written}");
        }
        assert_eq!(PhoneNumber::parse("06-12345678").unwrap().as_str(), "+31612345678");
        assert_eq!(PhoneNumber::parse("0800 1234").unwrap().as_str(), "+318001234");
        assert_eq!(PhoneNumber::parse("+32 2 123 45 67").unwrap().as_str(), "+3221234567");
    }

    #[test]
    fn numbers_are_shown_the_way_dutch_people_write_them() {
        let shown = |s: &str| PhoneNumber::parse(s).unwrap().display();
        assert_eq!(shown("0201234567"), "020 123 4567");
        assert_eq!(shown("0345123400"), "0345 123 400");
        assert_eq!(shown("0612345678"), "06 1234 5678");
        assert_eq!(shown("0800 1234"), "0800 1234");
        assert_eq!(shown("14 0345"), "14 0345");
        assert_eq!(shown("+32 2 123 45 67"), "+3221234567");
    }

    #[test]
    fn a_municipal_14_number_is_kept_as_it_is() {
        assert_eq!(PhoneNumber::parse("14 020").unwrap().as_str(), "14020");
        assert_eq!(PhoneNumber::parse("14 0182").unwrap().as_str(), "140182");
    }

    #[test]
    fn numbers_of_the_wrong_length_or_with_letters_are_refused() {
        for bad in
            ["", "12345", "020 123 456", "06-123456789", "+31 6 1234", "bel me", "+31 020 1234567", "06 1234 567a"]
        {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_addresses_are_checked_and_their_domain_lower_cased() {
        assert_eq!(EmailAddress::parse(" Anna.deVries@Gemeente.NL ").unwrap().as_str(), "Anna.deVries@gemeente.nl");
        for bad in ["", "anna", "anna@", "@gemeente.nl", "anna@gemeente", "an na@gemeente.nl", "anna@gemeente..nl"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
