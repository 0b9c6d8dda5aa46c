//! Parties, digital addresses, contacts and requests.
//!
//! Rules so far: an e-mail address and a phone number exist only in parsed form; phone numbers
//! are kept in E.164 (`+31201234567`) so the same number typed two ways is one number.

pub mod digital_address;
