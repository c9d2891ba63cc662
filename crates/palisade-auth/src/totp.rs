//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, one step of skew
//! either way) through `totp-rs`, and single-use recovery codes. The caller stores the last step it
//! accepted, so each code works once.
use chrono::{DateTime, Utc};
use qrcode::render::svg;
use qrcode::QrCode;
use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};
use zeroize::Zeroizing;

const ISSUER: &str = "Palisade";
/// 160 bits, as RFC 4226 recommends.
const SECRET_LEN: usize = 20;
pub const RECOVERY_CODES: usize = 10;
/// 32 letters and digits without the look-alikes 0/O and 1/I: five even bits per character.
const RECOVERY_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

#[derive(Debug, thiserror::Error)]
#[error("the second-factor secret is unusable")]
pub struct TotpError;

/// A person's TOTP secret (raw bytes; sealed before storage).
pub struct TotpSecret(Zeroizing<Vec<u8>>);

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new(vec![0u8; SECRET_LEN]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut_slice());
        Self(bytes)
    }

    /// From the base32 text an authenticator app is given.
    pub fn from_base32(text: &str) -> Option<Self> {
        let secret = Secret::try_from_base32(text).ok()?;
        Some(Self(Zeroizing::new(secret.as_ref().to_vec())))
    }

    pub fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Self {
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn totp(&self, account: &str) -> Result<Totp, TotpError> {
        Builder::new()
            .with_secret(Secret::from(self.0.to_vec()))
            .with_issuer(Some(ISSUER))
            .with_account_name(account.replace(':', ""))
            .build()
            .map_err(|_| TotpError)
    }

    /// The `otpauth://` URI authenticator apps import, and the same as a QR code (SVG).
    pub fn enrolment(&self, account: &str) -> Result<(String, String), TotpError> {
        let uri = self.totp(account)?.to_url().map_err(|_| TotpError)?;
        let svg = QrCode::new(uri.as_bytes())
            .map_err(|_| TotpError)?
            .render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .build();
        Ok((uri, svg))
    }

    /// The base32 text of the secret, for people who type it in.
    pub fn base32(&self) -> String {
        Secret::from(self.0.to_vec()).to_base32()
    }

    /// The time step the code belongs to (within one step of `now`), if it is right.
    pub fn verify(&self, code: &str, now: DateTime<Utc>) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let time = u64::try_from(now.timestamp()).ok()?;
        let step = self.totp("").ok()?.check(&code, time)?;
        i64::try_from(step).ok()
    }

    /// The code for `now` (tests and the testkit's authenticator).
    pub fn code_at(&self, now: DateTime<Utc>) -> Option<String> {
        let time = u64::try_from(now.timestamp()).ok()?;
        Some(self.totp("").ok()?.generate(time).to_string())
    }
}

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

/// Ten fresh recovery codes (`XXXX-XXXX-XXXX-XXXX`, 80 bits each) to show once.
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let chars: Vec<char> = bytes
                .iter()
                .map(|b| char::from(RECOVERY_ALPHABET[usize::from(b & 31)]))
                .collect();
            chars
                .chunks(4)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What is stored for a recovery code: SHA-256 of the code without dashes or spaces, upper-cased
/// (80 random bits need no slow hash).
pub fn recovery_code_hash(code: &str) -> [u8; 32] {
    let normalised: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Sha256::digest(normalised.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows (8-digit codes there; the last 6 digits are the 6-digit code
    /// of the same counter, since truncation keeps the low-order digits).
    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        let secret = TotpSecret::from_bytes(Zeroizing::new(b"12345678901234567890".to_vec()));
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let now = DateTime::from_timestamp(t, 0).unwrap();
            assert_eq!(secret.code_at(now).unwrap(), code, "t={t}");
            assert_eq!(secret.verify(code, now), Some(t / 30));
        }
    }

    #[test]
    fn accepts_one_step_of_skew_and_nothing_malformed() {
        let s = TotpSecret::generate();
        let now = Utc::now();
        let code = s.code_at(now).unwrap();
        assert!(s.verify(&code, now + chrono::Duration::seconds(30)).is_some());
        // Three steps on, the code is not accepted for its own step (another step's code may
        // equal it by chance, one in a million).
        assert_ne!(
            s.verify(&code, now + chrono::Duration::seconds(95)),
            Some(now.timestamp() / 30)
        );
        assert!(s.verify(&format!("{} {}", &code[..3], &code[3..]), now).is_some());
        for bad in ["", "12345", "1234567", "abcdef", "１２３４５６"] {
            assert!(s.verify(bad, now).is_none(), "{bad}");
        }
    }

    #[test]
    fn enrolment_names_the_issuer_and_account_and_draws_a_qr_code() {
        let s = TotpSecret::generate();
        let (uri, svg) = s.enrolment("rex@acme.example").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Palisade:rex%40acme.example?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={}", s.base32())));
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
        assert!(!format!("{s:?}").contains(&s.base32()));
        assert_eq!(TotpSecret::from_base32(&s.base32()).unwrap().bytes(), s.bytes());
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_alike_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let c = &codes[0];
        assert_eq!(c.len(), 19);
        assert_eq!(
            recovery_code_hash(c),
            recovery_code_hash(&c.to_lowercase().replace('-', " "))
        );
        assert_ne!(recovery_code_hash(c), recovery_code_hash(&codes[1]));
    }
}
