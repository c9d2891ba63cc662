//! Passwords (off unless the deployment enables them): Argon2id with the `argon2` crate's defaults
//! (19 MiB, 2 passes, 1 lane — OWASP's recommended minimum), at least 12 characters, at most 128, no
//! composition rules (ASVS 5.0 §6.2). Hashing costs tens of milliseconds: run it off the async
//! threads.
use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use secrecy::{ExposeSecret, SecretString};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_CHARS} characters")]
    TooShort,
    #[error("a password may have at most {MAX_CHARS} characters")]
    TooLong,
    #[error("the password could not be hashed")]
    Hashing,
}

/// Length is the only rule: every character counts, spaces included (passphrases welcome).
pub fn check(password: &SecretString) -> Result<(), PasswordError> {
    let n = password.expose_secret().chars().count();
    if n < MIN_CHARS {
        Err(PasswordError::TooShort)
    } else if n > MAX_CHARS {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) to store.
pub fn hash(password: &SecretString) -> Result<String, PasswordError> {
    check(password)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hashing)
}

/// Whether `password` matches the stored hash; with no hash (unknown person) it spends the same
/// work on a throwaway hash, so the answer's timing does not tell whether the account exists.
pub fn verify(password: &SecretString, stored: Option<&str>) -> bool {
    static THROWAWAY: OnceLock<String> = OnceLock::new();
    let throwaway = THROWAWAY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no account has this password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    });
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (throwaway.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let ok = Argon2::default()
        .verify_password(password.expose_secret().as_bytes(), &parsed)
        .is_ok();
    ok && real
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn length_is_the_only_rule() {
        assert_eq!(check(&pw("short")), Err(PasswordError::TooShort));
        assert_eq!(check(&pw("elevenchars")), Err(PasswordError::TooShort));
        assert!(check(&pw("all lower case words")).is_ok());
        assert!(check(&pw("ééééééééééééé")).is_ok());
        assert_eq!(check(&pw(&"x".repeat(129))), Err(PasswordError::TooLong));
    }

    #[test]
    fn hashes_with_argon2id_and_verifies() {
        let h = hash(&pw("correct horse battery staple")).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(&pw("correct horse battery staple"), Some(&h)));
        assert!(!verify(&pw("correct horse battery stapl"), Some(&h)));
        assert!(!verify(&pw("no account has this password"), None));
        assert!(!verify(&pw("anything at all"), Some("not a phc string")));
        assert_ne!(hash(&pw("correct horse battery staple")).unwrap(), h, "salted");
    }
}
