//! Secrets Loket keeps for other systems (a mailbox's IMAP password), sealed with a key the
//! operator configures (`--secret-key-file`, docs/CONFIGURATION.md).
//!
//! Rules:
//! - With a key, a secret is stored as `enc:` + base64(nonce ‖ ChaCha20-Poly1305 ciphertext);
//!   without one as `plain:` + the secret, and Loket says so when it stores one.
//! - A secret is never shown again, never logged and never answered by the API; only the code
//!   that logs in to the other system opens it.
//! - A sealed secret that the configured key cannot open (another key, or none) is an error, not
//!   an empty password.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

/// A 256-bit key, read from a file holding it in base64.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the key is not 32 bytes in base64 (make one with `openssl rand -base64 32`)")]
    BadKey,
    #[error("this secret was sealed with a key that is not configured (--secret-key-file)")]
    CannotOpen,
    #[error("this stored secret is damaged")]
    Damaged,
}

impl SecretKey {
    pub fn from_base64(text: &str) -> Result<SecretKey, SecretError> {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| SecretError::BadKey)?;
        Ok(SecretKey(bytes.try_into().map_err(|_| SecretError::BadKey)?))
    }
}

/// The secret as it is stored.
pub fn seal(key: Option<&SecretKey>, secret: &str) -> String {
    match key {
        None => format!("plain:{secret}"),
        Some(key) => {
            let cipher = ChaCha20Poly1305::new(Key::from_slice(&key.0));
            let mut nonce = [0u8; 12];
            rand::thread_rng().fill_bytes(&mut nonce);
            // Encrypting a short string in memory cannot fail (no length near the limit).
            let sealed = cipher.encrypt(Nonce::from_slice(&nonce), secret.as_bytes()).unwrap_or_default();
            let mut out = nonce.to_vec();
            out.extend(sealed);
            format!("enc:{}", STANDARD.encode(out))
        }
    }
}

/// The secret behind a stored value.
pub fn open(key: Option<&SecretKey>, stored: &str) -> Result<String, SecretError> {
    if let Some(plain) = stored.strip_prefix("plain:") {
        return Ok(plain.to_owned());
    }
    let sealed = stored.strip_prefix("enc:").ok_or(SecretError::Damaged)?;
    let key = key.ok_or(SecretError::CannotOpen)?;
    let bytes = STANDARD.decode(sealed).map_err(|_| SecretError::Damaged)?;
    if bytes.len() < 12 {
        return Err(SecretError::Damaged);
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key.0));
    let plain = cipher.decrypt(Nonce::from_slice(nonce), ciphertext).map_err(|_| SecretError::CannotOpen)?;
    String::from_utf8(plain).map_err(|_| SecretError::Damaged)
}

/// Whether a stored value is sealed with a key.
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with("enc:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> SecretKey {
        SecretKey::from_base64(&STANDARD.encode([byte; 32])).unwrap()
    }

    #[test]
    fn a_sealed_secret_opens_with_its_key_only_and_never_shows_in_the_stored_text() {
        let stored = seal(Some(&key(1)), "geheim-wachtwoord");
        assert!(is_sealed(&stored) && !stored.contains("geheim"));
        assert_eq!(open(Some(&key(1)), &stored).unwrap(), "geheim-wachtwoord");
        assert_eq!(open(Some(&key(2)), &stored), Err(SecretError::CannotOpen));
        assert_eq!(open(None, &stored), Err(SecretError::CannotOpen));
        assert_ne!(seal(Some(&key(1)), "x"), seal(Some(&key(1)), "x"), "a fresh nonce each time");
    }

    #[test]
    fn without_a_key_the_secret_is_kept_as_it_is_and_a_bad_key_is_refused() {
        assert_eq!(open(None, &seal(None, "pw")).unwrap(), "pw");
        assert_eq!(SecretKey::from_base64("dGVzdA==").unwrap_err(), SecretError::BadKey);
        assert!(!format!("{:?}", key(7)).contains('7'));
    }
}
