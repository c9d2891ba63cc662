//! The browser's half of an OpenID Connect sign-in in progress.
//!
//! Starting a sign-in sets one cookie holding a random 256-bit flow secret, the provider and the
//! start time, authenticated with an HMAC under a server key. The `state`, the `nonce` and the PKCE
//! code verifier are each derived from that authenticated content under the same key, so:
//! - nothing about the flow is stored on the server;
//! - the callback works only in the browser that started the flow (it holds the cookie);
//! - the verifier never leaves the server (the cookie holds only its seed, and the seed is useless
//!   without the key);
//! - a cookie from another provider, an older flow or another deployment does not verify.
//!
//! A flow started by a signed-in browser to connect a provider to its account names that session;
//! the callback then links the identity to the session's person instead of signing anyone in.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::SecretString;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::browser_session::subkey;

/// `__Host-`, HttpOnly, SameSite=Lax: the provider sends the browser back with a top-level GET, which
/// Lax cookies accompany.
pub const FLOW_COOKIE: &str = "__Host-palisade-oidc";

/// Provider ids are short: they appear in routes and config keys.
const MAX_PROVIDER_LEN: usize = 32;
const SEED_LEN: usize = 32;
const TAG_LEN: usize = 32;
/// Seed, start time and the link flag.
const FIXED_LEN: usize = SEED_LEN + 8 + 1;

/// Derives the flow key and checks flows.
#[derive(Clone)]
pub struct FlowKey([u8; 32]);

impl std::fmt::Debug for FlowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FlowKey(<redacted>)")
    }
}

/// One sign-in in progress.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcFlow {
    provider: String,
    started_at: DateTime<Utc>,
    /// The session connecting this provider, for a linking flow.
    link: Option<Uuid>,
    seed: [u8; SEED_LEN],
}

impl std::fmt::Debug for OidcFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcFlow")
            .field("provider", &self.provider)
            .field("started_at", &self.started_at)
            .field("link", &self.link)
            .finish_non_exhaustive()
    }
}

impl OidcFlow {
    /// A new flow for `provider` (an id of 1–32 ASCII letters, digits, `-` or `_`).
    pub fn start(provider: &str, now: DateTime<Utc>) -> Option<Self> {
        valid_provider(provider).then(|| {
            let mut seed = [0u8; SEED_LEN];
            rand::rngs::OsRng.fill_bytes(&mut seed);
            Self {
                provider: provider.to_owned(),
                started_at: now,
                link: None,
                seed,
            }
        })
    }

    /// A flow that connects `provider` to the person of browser session `session`.
    pub fn start_link(provider: &str, now: DateTime<Utc>, session: Uuid) -> Option<Self> {
        Self::start(provider, now).map(|flow| Self {
            link: Some(session),
            ..flow
        })
    }

    /// For a linking flow, the session that started it.
    pub fn link(&self) -> Option<Uuid> {
        self.link
    }

    pub fn provider(&self) -> &str {
        &self.provider
    }

    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }

    /// The authenticated part of the cookie: seed, start time (Unix seconds), a link flag and the
    /// linking session's id if set, provider id.
    fn content(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(FIXED_LEN + 16 + self.provider.len());
        bytes.extend_from_slice(&self.seed);
        bytes.extend_from_slice(&self.started_at.timestamp().to_be_bytes());
        match self.link {
            Some(session) => {
                bytes.push(1);
                bytes.extend_from_slice(session.as_bytes());
            }
            None => bytes.push(0),
        }
        bytes.extend_from_slice(self.provider.as_bytes());
        bytes
    }
}

fn valid_provider(id: &str) -> bool {
    (1..=MAX_PROVIDER_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl FlowKey {
    /// Derived from the token signing secret under its own label (see [`subkey`]).
    pub fn derive(signing_secret: &SecretString) -> Self {
        Self::derive_labeled(signing_secret, b"palisade oidc flow key v1")
    }

    /// A key for another flow of the same shape (connecting a provider to a tenant): a cookie of one
    /// flow never verifies as the other's.
    pub fn derive_labeled(signing_secret: &SecretString, label: &[u8]) -> Self {
        Self(subkey(signing_secret, label))
    }

    fn mac(&self, label: &[u8], content: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(label);
        mac.update(content);
        mac.finalize().into_bytes().into()
    }

    /// The cookie value: content and tag, URL-safe base64.
    pub fn encode(&self, flow: &OidcFlow) -> String {
        let content = flow.content();
        let mut bytes = content.clone();
        bytes.extend_from_slice(&self.mac(b"cookie", &content));
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The flow a cookie holds, if this server made it (constant-time tag check).
    pub fn decode(&self, value: &str) -> Option<OidcFlow> {
        if value.len() > 4 * (FIXED_LEN + 16 + MAX_PROVIDER_LEN + TAG_LEN) / 3 + 4 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(value).ok()?;
        let split = bytes.len().checked_sub(TAG_LEN)?;
        let (content, tag) = bytes.split_at(split);
        if content.len() <= FIXED_LEN || !bool::from(tag.ct_eq(&self.mac(b"cookie", content))) {
            return None;
        }
        let seed: [u8; SEED_LEN] = content[..SEED_LEN].try_into().ok()?;
        let secs = i64::from_be_bytes(content[SEED_LEN..SEED_LEN + 8].try_into().ok()?);
        let (link, rest) = match content[FIXED_LEN - 1] {
            0 => (None, &content[FIXED_LEN..]),
            1 => {
                let id = content.get(FIXED_LEN..FIXED_LEN + 16)?;
                (Some(Uuid::from_slice(id).ok()?), &content[FIXED_LEN + 16..])
            }
            _ => return None,
        };
        let provider = std::str::from_utf8(rest).ok()?;
        if !valid_provider(provider) {
            return None;
        }
        Some(OidcFlow {
            provider: provider.to_owned(),
            started_at: DateTime::from_timestamp(secs, 0)?,
            link,
            seed,
        })
    }

    fn derived(&self, label: &[u8], flow: &OidcFlow) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(label, &flow.content()))
    }

    /// The `state` sent to the provider and expected back.
    pub fn state(&self, flow: &OidcFlow) -> String {
        self.derived(b"state", flow)
    }

    /// The `nonce` the ID token must carry.
    pub fn nonce(&self, flow: &OidcFlow) -> String {
        self.derived(b"nonce", flow)
    }

    /// The PKCE code verifier (43 characters of the unreserved set, as RFC 7636 §4.1 asks).
    pub fn pkce_verifier(&self, flow: &OidcFlow) -> String {
        self.derived(b"pkce", flow)
    }

    /// Constant-time check of the `state` the provider sent back.
    pub fn state_matches(&self, flow: &OidcFlow, presented: &str) -> bool {
        bool::from(presented.as_bytes().ct_eq(self.state(flow).as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> FlowKey {
        FlowKey::derive(&SecretString::from(text.to_owned()))
    }

    #[test]
    fn a_flow_round_trips_through_its_cookie() {
        let k = key("one signing secret that is long enough to be used");
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let flow = OidcFlow::start("google", now).unwrap();
        let back = k.decode(&k.encode(&flow)).unwrap();
        assert_eq!(back, flow);
        assert_eq!(back.provider(), "google");
        assert_eq!(back.started_at(), now);
        assert!(k.state_matches(&back, &k.state(&flow)));
        assert_eq!(k.pkce_verifier(&flow).len(), 43);
    }

    #[test]
    fn state_nonce_and_verifier_differ_and_are_unique_per_flow() {
        let k = key("one signing secret that is long enough to be used");
        let a = OidcFlow::start("okta", Utc::now()).unwrap();
        let b = OidcFlow::start("okta", Utc::now()).unwrap();
        let values = [k.state(&a), k.nonce(&a), k.pkce_verifier(&a), k.state(&b)];
        for (i, x) in values.iter().enumerate() {
            for y in &values[i + 1..] {
                assert_ne!(x, y);
            }
        }
        assert!(!k.state_matches(&a, &k.state(&b)));
        assert!(!k.state_matches(&a, ""));
    }

    #[test]
    fn a_cookie_from_another_key_or_tampered_is_refused() {
        let k = key("one signing secret that is long enough to be used");
        let other = key("another signing secret that is long enough, too");
        let flow = OidcFlow::start("google", Utc::now()).unwrap();
        let cookie = k.encode(&flow);
        assert!(other.decode(&cookie).is_none());
        // Flip one bit of each byte in turn: every change is caught.
        let bytes = URL_SAFE_NO_PAD.decode(&cookie).unwrap();
        for i in 0..bytes.len() {
            let mut tampered = bytes.clone();
            tampered[i] ^= 1;
            assert!(k.decode(&URL_SAFE_NO_PAD.encode(&tampered)).is_none(), "byte {i}");
        }
        assert!(k.decode("").is_none());
        assert!(k.decode("not base64!").is_none());
        assert!(k.decode(&"A".repeat(10_000)).is_none());
        let shown = format!("{flow:?}");
        assert!(
            !shown.contains("seed") && !shown.contains(&format!("{:?}", flow.seed)),
            "{shown}"
        );
    }

    #[test]
    fn a_linking_flow_names_its_session_and_differs_from_a_sign_in() {
        let k = key("one signing secret that is long enough to be used");
        let session = Uuid::new_v4();
        let flow = OidcFlow::start_link("okta", Utc::now(), session).unwrap();
        let back = k.decode(&k.encode(&flow)).unwrap();
        assert_eq!(back.link(), Some(session));
        assert_eq!(back.provider(), "okta");
        let plain = OidcFlow {
            link: None,
            ..flow.clone()
        };
        assert_ne!(k.state(&plain), k.state(&flow));
        assert_eq!(k.decode(&k.encode(&plain)).unwrap().link(), None);
    }

    #[test]
    fn provider_ids_are_short_and_plain() {
        assert!(OidcFlow::start("microsoft-contoso_1", Utc::now()).is_some());
        assert!(OidcFlow::start("", Utc::now()).is_none());
        assert!(OidcFlow::start("a/b", Utc::now()).is_none());
        assert!(OidcFlow::start(&"x".repeat(33), Utc::now()).is_none());
    }
}
