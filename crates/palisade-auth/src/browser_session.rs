//! The browser session credential and its CSRF token.
//!
//! The cookie carries the session id, the person's id and a 256-bit secret. The ids let the server
//! set the transaction context without a lookup; nothing in them is trusted until the database's
//! session gate finds that session, for that person, with that secret's hash (migration 0010).
//!
//! The CSRF token is an HMAC of the session secret under a server key: a page of ours receives it
//! when the session starts and sends it back in `X-CSRF-Token`; another site can neither read the
//! HttpOnly cookie nor compute the token.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use palisade_types::UserId;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::secret::OpaqueSecret;

/// `__Host-`: the browser only accepts it over HTTPS (or on localhost), for path `/`, from this very
/// host, with no `Domain` — a sibling subdomain cannot plant or overwrite it.
pub const SESSION_COOKIE: &str = "__Host-palisade-session";
/// Set by a magic-link request, consumed with the link: binds the link to the browser that asked.
pub const NONCE_COOKIE: &str = "__Host-palisade-nonce";
pub const CSRF_HEADER: &str = "x-csrf-token";

const ENCODED_LEN: usize = 86;

pub struct BrowserSession {
    pub session_id: Uuid,
    pub user_id: UserId,
    pub secret: OpaqueSecret,
}

impl BrowserSession {
    /// The cookie value.
    pub fn encode(&self) -> String {
        let mut bytes = [0u8; 64];
        bytes[..16].copy_from_slice(self.session_id.as_bytes());
        bytes[16..32].copy_from_slice(self.user_id.as_uuid().as_bytes());
        bytes[32..].copy_from_slice(self.secret.bytes());
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub fn decode(value: &str) -> Option<Self> {
        if value.len() != ENCODED_LEN {
            return None;
        }
        let bytes: [u8; 64] = URL_SAFE_NO_PAD.decode(value).ok()?.try_into().ok()?;
        let session_id = Uuid::from_slice(&bytes[..16]).ok()?;
        let user_id = UserId::from_uuid(Uuid::from_slice(&bytes[16..32]).ok()?);
        let secret = OpaqueSecret::from_bytes(bytes[32..].try_into().ok()?);
        Some(Self {
            session_id,
            user_id,
            secret,
        })
    }
}

impl std::fmt::Debug for BrowserSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserSession")
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

/// A key for one purpose, derived from the token signing secret (HMAC-SHA256 under a label), so
/// deployments configure one secret and each use gets its own key.
pub fn subkey(signing_secret: &SecretString, label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(signing_secret.expose_secret().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(label);
    mac.finalize().into_bytes().into()
}

/// Computes and checks CSRF tokens.
#[derive(Clone)]
pub struct CsrfKey([u8; 32]);

impl CsrfKey {
    /// Derived from the token signing secret, so no second secret has to be configured; the label
    /// keeps the two uses apart.
    pub fn derive(signing_secret: &SecretString) -> Self {
        Self(subkey(signing_secret, b"palisade csrf key v1"))
    }

    pub fn token_for(&self, session: &BrowserSession) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(session))
    }

    /// Constant-time check of a presented token.
    pub fn verify(&self, session: &BrowserSession, presented: &str) -> bool {
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(presented) else {
            return false;
        };
        bool::from(bytes.as_slice().ct_eq(&self.mac(session)))
    }

    fn mac(&self, session: &BrowserSession) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(session.session_id.as_bytes());
        mac.update(&session.secret.hash());
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> BrowserSession {
        BrowserSession {
            session_id: Uuid::new_v4(),
            user_id: UserId::from_uuid(Uuid::new_v4()),
            secret: OpaqueSecret::generate(),
        }
    }

    #[test]
    fn cookie_round_trips_and_refuses_garbage() {
        let s = session();
        let value = s.encode();
        let back = BrowserSession::decode(&value).unwrap();
        assert_eq!(back.session_id, s.session_id);
        assert_eq!(back.user_id, s.user_id);
        assert_eq!(back.secret, s.secret);
        assert!(BrowserSession::decode("").is_none());
        assert!(BrowserSession::decode(&value[1..]).is_none());
        assert!(BrowserSession::decode(&"%".repeat(ENCODED_LEN)).is_none());
        assert!(!format!("{s:?}").contains(&s.secret.expose()));
    }

    #[test]
    fn csrf_tokens_bind_to_the_session_and_the_key() {
        let key = CsrfKey::derive(&SecretString::from("k".repeat(44)));
        let other_key = CsrfKey::derive(&SecretString::from("j".repeat(44)));
        let s = session();
        let token = key.token_for(&s);
        assert!(key.verify(&s, &token));
        assert!(!key.verify(&session(), &token));
        assert!(!other_key.verify(&s, &token));
        assert!(!key.verify(&s, ""));
        assert!(!key.verify(&s, &token[1..]));
        assert!(!key.verify(&s, "not base64 !"));
    }
}
