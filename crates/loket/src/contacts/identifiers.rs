//! Identifiers of parties and addresses, parsed once at the edge: BSN, RSIN, KvK number,
//! vestigingsnummer, postcode and huisnummer.
//!
//! Rules:
//! - A BSN and an RSIN have nine digits and pass the 11-proef (weights 9..2 and −1 for the last
//!   digit; the sum is divisible by 11). Eight-digit BSNs are padded with a leading zero, as the
//!   BRP does. All zeros is refused, though it passes the sum.
//! - A KvK number has eight digits, a vestigingsnummer twelve. The Handelsregister applies no
//!   check digit to either, so the length is all there is to check.
//! - A postcode is four digits (no leading zero) and two letters, other than SA, SD and SS,
//!   which PostNL does not issue. It is kept as `1234AB`. A huisnummer is 1 to 99999.
//! - Spaces, dots and hyphens typed between the digits are ignored.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// Digits of `input` with the separators people type removed; None when anything else is in it.
fn digits(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.trim().chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '.' | '-' => {}
            _ => return None,
        }
    }
    Some(out)
}

/// The 11-proef for nine digits: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11.
fn passes_eleven_check(nine: &str) -> bool {
    let sum: i64 = nine.bytes().zip([9, 8, 7, 6, 5, 4, 3, 2, -1]).map(|(b, weight)| i64::from(b - b'0') * weight).sum();
    sum % 11 == 0
}

fn nine_digits_with_check(input: &str, field: &'static str, label: &str) -> Result<String, FieldError> {
    let invalid = |rule: &'static str, message: String| FieldError::new(field, rule, message);
    let mut d =
        digits(input).ok_or_else(|| invalid("digits_only", format!("Een {label} bestaat alleen uit cijfers.")))?;
    if d.len() == 8 {
        d.insert(0, '0');
    }
    if d.len() != 9 {
        return Err(invalid("length", format!("Een {label} heeft 9 cijfers.")));
    }
    if d.bytes().all(|b| b == b'0') || !passes_eleven_check(&d) {
        return Err(invalid(
            "eleven_check",
            format!("Dit {label} klopt niet (de elfproef faalt): controleer de cijfers."),
        ));
    }
    Ok(d)
}

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s).map_err(|e| e.message)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Burgerservicenummer: nine digits that pass the 11-proef.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Bsn(String);

impl Bsn {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        nine_digits_with_check(input, "bsn", "BSN").map(Bsn)
    }

    /// The BSN with all but the last three digits hidden, for lists and logs.
    pub fn masked(&self) -> String {
        format!("******{}", &self.0[6..])
    }
}
string_newtype!(Bsn);

/// Rechtspersonen en Samenwerkingsverbanden Informatienummer: nine digits, 11-proef as a BSN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rsin(String);

impl Rsin {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        nine_digits_with_check(input, "rsin", "RSIN").map(Rsin)
    }
}
string_newtype!(Rsin);

fn exact_digits(input: &str, field: &'static str, count: usize, label: &str) -> Result<String, FieldError> {
    let d = digits(input)
        .ok_or_else(|| FieldError::new(field, "digits_only", format!("Een {label} bestaat alleen uit cijfers.")))?;
    if d.len() != count {
        return Err(FieldError::new(field, "length", format!("Een {label} heeft {count} cijfers.")));
    }
    Ok(d)
}

/// KvK-nummer: eight digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KvkNumber(String);

impl KvkNumber {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        exact_digits(input, "kvk_number", 8, "KvK-nummer").map(KvkNumber)
    }
}
string_newtype!(KvkNumber);

/// Vestigingsnummer of the Handelsregister: twelve digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Vestigingsnummer(String);

impl Vestigingsnummer {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        exact_digits(input, "vestigingsnummer", 12, "vestigingsnummer").map(Vestigingsnummer)
    }
}
string_newtype!(Vestigingsnummer);

/// A Dutch postcode, kept as `1234AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("postcode", "invalid_postcode", "Geen geldige postcode (zoals 1234 AB).");
        let compact: String = input.trim().chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
        let bytes = compact.as_bytes();
        let shape = bytes.len() == 6
            && bytes[0] != b'0'
            && bytes[..4].iter().all(u8::is_ascii_digit)
            && bytes[4..].iter().all(u8::is_ascii_uppercase);
        if !shape || matches!(&compact[4..], "SA" | "SD" | "SS") {
            return Err(invalid());
        }
        Ok(Postcode(compact))
    }

    /// As written on an envelope: `1234 AB`.
    pub fn display(&self) -> String {
        format!("{} {}", &self.0[..4], &self.0[4..])
    }
}
string_newtype!(Postcode);

/// A huisnummer: 1 to 99999 (letters and additions are separate fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Huisnummer(u32);

impl Huisnummer {
    pub fn new(n: i64) -> Result<Self, FieldError> {
        if (1..=99_999).contains(&n) {
            Ok(Huisnummer(n as u32))
        } else {
            Err(FieldError::new("huisnummer", "out_of_range", "Een huisnummer ligt tussen 1 en 99999."))
        }
    }

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let n: i64 = input.trim().parse().map_err(|_| {
            FieldError::new("huisnummer", "invalid_huisnummer", "Een huisnummer is een getal (toevoegingen apart).")
        })?;
        Huisnummer::new(n)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Huisnummer {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Huisnummer::new(n).map_err(|e| e.message)
    }
}

impl From<Huisnummer> for i64 {
    fn from(h: Huisnummer) -> i64 {
        i64::from(h.0)
    }
}

impl fmt::Display for Huisnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bsn_that_passes_the_eleven_check_is_accepted_with_separators_ignored() {
        // 9·1 + 8·1 + 7·1 + 6·2 + 5·2 + 4·2 + 3·3 + 2·3 − 1·3 = 66 = 6 × 11.
        assert_eq!(Bsn::parse("111222333").unwrap().as_str(), "111222333");
        assert_eq!(Bsn::parse(" 1112.22.333 ").unwrap().as_str(), "111222333");
        assert_eq!(Bsn::parse("123456782").unwrap().as_str(), "123456782");
    }

    #[test]
    fn an_eight_digit_bsn_gets_its_leading_zero() {
        // 012345672: 0+8+14+18+20+20+18+14−2 = 110.
        assert_eq!(Bsn::parse("12345672").unwrap().as_str(), "012345672");
    }

    #[test]
    fn a_bsn_that_fails_the_eleven_check_is_refused_naming_the_rule() {
        let e = Bsn::parse("123456789").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("bsn", "eleven_check"));
        assert_eq!(Bsn::parse("000000000").unwrap_err().code, "eleven_check");
        assert_eq!(Bsn::parse("1234567").unwrap_err().code, "length");
        assert_eq!(Bsn::parse("12345678a").unwrap_err().code, "digits_only");
        assert_eq!(Bsn::parse("").unwrap_err().code, "length");
    }

    #[test]
    fn a_bsn_is_masked_for_lists() {
        assert_eq!(Bsn::parse("111222333").unwrap().masked(), "******333");
    }

    #[test]
    fn an_rsin_follows_the_same_check() {
        assert!(Rsin::parse("002564440").is_ok());
        assert_eq!(Rsin::parse("002564441").unwrap_err().field, "rsin");
    }

    #[test]
    fn kvk_numbers_have_eight_and_vestigingsnummers_twelve_digits() {
        assert_eq!(KvkNumber::parse("6912 0474").unwrap().as_str(), "69120474");
        assert_eq!(KvkNumber::parse("6912047").unwrap_err().code, "length");
        assert_eq!(Vestigingsnummer::parse("000012345678").unwrap().as_str(), "000012345678");
        assert_eq!(Vestigingsnummer::parse("12345678").unwrap_err().field, "vestigingsnummer");
    }

    #[test]
    fn postcodes_are_kept_compact_and_upper_case() {
        let p = Postcode::parse(" 1234 ab").unwrap();
        assert_eq!(p.as_str(), "1234AB");
        assert_eq!(p.display(), "1234 AB");
        for bad in ["0123AB", "1234SS", "1234 SA", "12345A", "1234A", "ABCDEF", "1234ÄB"] {
            assert_eq!(Postcode::parse(bad).unwrap_err().code, "invalid_postcode", "{bad}");
        }
    }

    #[test]
    fn huisnummers_are_between_one_and_99999() {
        assert_eq!(Huisnummer::parse("12").unwrap().get(), 12);
        assert_eq!(Huisnummer::parse("0").unwrap_err().code, "out_of_range");
        assert_eq!(Huisnummer::parse("100000").unwrap_err().code, "out_of_range");
        assert_eq!(Huisnummer::parse("12a").unwrap_err().code, "invalid_huisnummer");
    }

    #[test]
    fn identifiers_round_trip_through_json_and_refuse_bad_values() {
        let bsn: Bsn = serde_json::from_str("\"111222333\"").unwrap();
        assert_eq!(serde_json::to_string(&bsn).unwrap(), "\"111222333\"");
        assert!(serde_json::from_str::<Bsn>("\"123456789\"").is_err());
        let h: Huisnummer = serde_json::from_str("7").unwrap();
        assert_eq!(serde_json::to_string(&h).unwrap(), "7");
    }
}
