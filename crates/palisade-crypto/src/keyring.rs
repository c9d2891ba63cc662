//! The keyring: named 256-bit keys, one of them active for new seals. Old keys stay to open what
//! they sealed until rotation has moved everything to the active one.
//!
//! Text form (`PALISADE_KEYS`, or a key file): `id:base64,id:base64,…`; the first key is the active
//! one. Ids are 1–32 characters of `A-Z a-z 0-9 _ -`.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};
use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyId(String);

impl KeyId {
    pub fn parse(text: &str) -> Option<Self> {
        let ok = (1..=32).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        ok.then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyringError {
    #[error("the keyring is empty: give at least one `id:base64` key")]
    Empty,
    #[error("keyring entry {0} is not `id:base64` with an id of 1-32 letters, digits, `_` or `-`")]
    Malformed(usize),
    #[error("key `{0}` is not 32 bytes of base64")]
    BadKey(String),
    #[error("key id `{0}` appears twice")]
    Duplicate(String),
}

pub(crate) struct Key {
    pub id: KeyId,
    pub material: Zeroizing<[u8; 32]>,
}

/// Keys in order; the first is active.
pub struct Keyring {
    pub(crate) keys: Vec<Key>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Keyring")
            .field("ids", &ids)
            .finish_non_exhaustive()
    }
}

impl Keyring {
    pub fn parse(text: &SecretString) -> Result<Self, KeyringError> {
        let mut keys: Vec<Key> = Vec::new();
        for (i, entry) in text
            .expose_secret()
            .split([',', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let (id, b64) = entry.split_once(':').ok_or(KeyringError::Malformed(i + 1))?;
            let id = KeyId::parse(id.trim()).ok_or(KeyringError::Malformed(i + 1))?;
            let bytes = Zeroizing::new(
                STANDARD
                    .decode(b64.trim())
                    .map_err(|_| KeyringError::BadKey(id.0.clone()))?,
            );
            let material: [u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| KeyringError::BadKey(id.0.clone()))?;
            if keys.iter().any(|k| k.id == id) {
                return Err(KeyringError::Duplicate(id.0));
            }
            keys.push(Key {
                id,
                material: Zeroizing::new(material),
            });
        }
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        Ok(Self { keys })
    }

    /// A new keyring text with one fresh key named `id` (for `palisade keys generate` and the
    /// development key file).
    pub fn generate_text(id: &KeyId) -> SecretString {
        let mut bytes = Zeroizing::new([0u8; 32]);
        // The system random source failing is not recoverable, and nothing weaker may stand in.
        SystemRandom::new()
            .fill(bytes.as_mut_slice())
            .unwrap_or_else(|_| panic!("the operating system's random source failed"));
        SecretString::from(format!("{id}:{}", STANDARD.encode(bytes.as_slice())))
    }

    pub fn active_id(&self) -> &KeyId {
        &self.keys[0].id
    }

    pub fn ids(&self) -> impl Iterator<Item = &KeyId> {
        self.keys.iter().map(|k| &k.id)
    }

    /// Whether any key of this ring has the same material as a key of `other` (the sealing and
    /// index keyrings must not share one: an index key must not also open values).
    pub fn shares_material_with(&self, other: &Keyring) -> bool {
        self.keys
            .iter()
            .any(|a| other.keys.iter().any(|b| *a.material == *b.material))
    }

    /// A check value per key: the first 16 bytes of HMAC-SHA256(key, a fixed label). Stored by the
    /// database at first use, it lets a server notice that an id now names other material (a lost
    /// key file regenerated, a typo in `PALISADE_KEYS`) before it seals anything under it. It says
    /// nothing about the key: finding the key from it is inverting HMAC.
    pub fn check_values(&self) -> Vec<(&KeyId, [u8; 16])> {
        self.keys
            .iter()
            .map(|k| {
                let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, k.material.as_slice());
                let tag = ring::hmac::sign(&key, b"palisade key check value v1");
                let mut check = [0u8; 16];
                check.copy_from_slice(&tag.as_ref()[..16]);
                (&k.id, check)
            })
            .collect()
    }

    pub(crate) fn active(&self) -> &Key {
        &self.keys[0]
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.id.as_str() == id)
    }
}

/// A keyring of fresh keys with these ids, the first active (tests of this crate).
#[cfg(test)]
pub(crate) fn test_ring(ids: &[&str]) -> Keyring {
    let text: Vec<String> = ids
        .iter()
        .filter_map(|id| KeyId::parse(id))
        .map(|id| Keyring::generate_text(&id).expose_secret().to_owned())
        .collect();
    Keyring::parse(&SecretString::from(text.join(","))).unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn text(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn parses_generated_keys_and_keeps_the_first_active() {
        let a = Keyring::generate_text(&KeyId::parse("k2").unwrap());
        let b = Keyring::generate_text(&KeyId::parse("k1").unwrap());
        let ring = Keyring::parse(&text(&format!("{},\n{}", a.expose_secret(), b.expose_secret()))).unwrap();
        assert_eq!(ring.active_id().as_str(), "k2");
        assert_eq!(ring.ids().count(), 2);
        assert!(!format!("{ring:?}").contains(a.expose_secret().split(':').nth(1).unwrap()));
    }

    #[test]
    fn refuses_bad_keyrings_without_echoing_keys() {
        assert_eq!(Keyring::parse(&text(" ")).unwrap_err(), KeyringError::Empty);
        assert_eq!(
            Keyring::parse(&text("nocolon")).unwrap_err(),
            KeyringError::Malformed(1)
        );
        assert_eq!(
            Keyring::parse(&text("bad id:AAAA")).unwrap_err(),
            KeyringError::Malformed(1)
        );
        let short = "k:c2hvcnQ=";
        let err = Keyring::parse(&text(short)).unwrap_err();
        assert_eq!(err, KeyringError::BadKey("k".into()));
        assert!(!err.to_string().contains("c2hvcnQ"));
        let k = Keyring::generate_text(&KeyId::parse("k").unwrap());
        let twice = format!("{0},{0}", k.expose_secret());
        assert_eq!(
            Keyring::parse(&text(&twice)).unwrap_err(),
            KeyringError::Duplicate("k".into())
        );
    }

    #[test]
    fn check_values_tell_keys_apart_and_are_stable() {
        // A fixed key gives a fixed check value (HMAC-SHA256 of the label, computed independently
        // with Python's hmac module: hmac.new(bytes(32), b"palisade key check value v1", "sha256")).
        let zero = Keyring::parse(&text(&format!("z:{}", STANDARD.encode([0u8; 32])))).unwrap();
        let (id, check) = zero.check_values()[0];
        assert_eq!(id.as_str(), "z");
        assert_eq!(hex(&check), ZERO_KEY_CHECK);
        let ring = test_ring(&["a", "b"]);
        let checks = ring.check_values();
        assert_ne!(checks[0].1, checks[1].1);
        assert_eq!(checks, ring.check_values());
    }

    const ZERO_KEY_CHECK: &str = "d28102749c25d689898f9194dc54613d";

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
