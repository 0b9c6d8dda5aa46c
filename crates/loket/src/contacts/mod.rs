//! Parties, digital addresses, contacts and requests.
//!
//! Rules so far: an e-mail address and a phone number exist only in parsed form; phone numbers
//! are kept in E.164 (`+31201234567`) so the same number typed two ways is one number. BSN,
//! RSIN, KvK number, vestigingsnummer, postcode and huisnummer are parsed by `identifiers`
//! (11-proef, lengths, PostNL's postcode rules) before anything stores them.

pub mod digital_address;
pub mod identifiers;
