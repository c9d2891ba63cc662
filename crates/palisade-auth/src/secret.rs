//! Single-use secrets handed to people and clients (magic-link tokens, browser nonces, session and
//! refresh secrets): 256 random bits, URL-safe base64. Only their SHA-256 is stored, and `Debug`
//! never shows them.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Encoded length of 32 bytes in unpadded base64.
pub const ENCODED_LEN: usize = 43;

#[derive(Clone, PartialEq, Eq)]
pub struct OpaqueSecret([u8; 32]);

impl OpaqueSecret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// Parses a secret a client sent back; anything but 43 base64url characters is refused.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != ENCODED_LEN {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The text given to the client (in a link, cookie or response body).
    pub fn expose(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// What the database stores and compares.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.0).into()
    }
}

impl std::fmt::Debug for OpaqueSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpaqueSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_anything_else() {
        let s = OpaqueSecret::generate();
        let text = s.expose();
        assert_eq!(text.len(), ENCODED_LEN);
        assert_eq!(OpaqueSecret::parse(&text), Some(s.clone()));
        assert_ne!(OpaqueSecret::generate(), s);
        assert!(OpaqueSecret::parse("").is_none());
        assert!(OpaqueSecret::parse(&text[1..]).is_none());
        assert!(OpaqueSecret::parse(&format!("{}=", &text[1..])).is_none());
        assert!(OpaqueSecret::parse(&"!".repeat(ENCODED_LEN)).is_none());
        assert!(!format!("{s:?}").contains(&text));
        assert_eq!(s.hash(), <[u8; 32]>::from(Sha256::digest(s.bytes())));
    }
}
