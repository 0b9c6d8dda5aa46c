//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes — OWASP's minimum).
//! Hashing takes tens of milliseconds on purpose; callers run it on the blocking pool.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::validation::FieldError;

/// A password that meets the policy: 10 to 1,024 characters. The upper bound keeps one request
/// from tying up the hasher; the lower bound follows NIST 800-63B's advice to favour length.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let len = input.chars().count();
        if len < 10 {
            return Err(FieldError::new("password", "too_short", "Een wachtwoord heeft minimaal 10 tekens."));
        }
        if len > 1024 {
            return Err(FieldError::new("password", "too_long", "Een wachtwoord heeft maximaal 1024 tekens."));
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

pub fn hash(password: &Password) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        // Only fails on invalid parameters, and the defaults are valid.
        .expect("argon2 with default parameters hashes any input")
        .to_string()
}

/// Checks a password against a stored PHC string. A malformed hash never matches.
pub fn verify(stored: &str, candidate: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when a user name is unknown so that a failed
/// login takes as long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash(&Password(uuid::Uuid::new_v4().to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let pw = Password::parse("correct horse battery").unwrap();
        let stored = hash(&pw);
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(&stored, "correct horse battery"));
        assert!(!verify(&stored, "correct horse battery!"));
        assert!(!verify("not a hash", "anything"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(Password::parse("kort").unwrap_err().code, "too_short");
        assert!(Password::parse("lang-genoeg").is_ok());
    }
}
