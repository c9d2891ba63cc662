//! Blind indexes: a keyed HMAC-SHA256 of a normalised value (an E.164 phone number), stored next to
//! its sealed value and used only to find rows by equality. The HMAC key is derived per tenant and
//! column with HKDF-SHA256 from an index key, so the same number in two tenants (or two columns)
//! gives unrelated indexes, and an index never reveals the value without the key.
//!
//! The index keys are a keyring of their own (`PALISADE_INDEX_KEYS`), separate from the sealing keys:
//! the index is needed on every lookup, the seal only when a value is shown. An index is
//! `[1][id length][key id][32-byte tag]`, so rotation can tell which key made it, and a lookup during
//! rotation asks for the index under every key of the ring ([`Keyring::blind_index_candidates`]).
use ring::{hkdf, hmac};

use crate::keyring::{Key, Keyring};

const VERSION: u8 = 1;
const SALT: &[u8] = b"palisade-blind-index-v1";

/// What an index is about: the tenant it lives in and the column it indexes.
#[derive(Clone, Copy, Debug)]
pub struct IndexScope<'a> {
    pub tenant: [u8; 16],
    pub column: &'a str,
}

fn index_with(key: &Key, scope: &IndexScope<'_>, value: &[u8]) -> Vec<u8> {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, SALT).extract(&key.material[..]);
    let column = scope.column.as_bytes();
    let column_len = u32::try_from(column.len()).unwrap_or(u32::MAX).to_be_bytes();
    let info = [&scope.tenant[..], &column_len[..], column];
    let derived: hmac::Key = prk
        .expand(&info, hmac::HMAC_SHA256)
        .unwrap_or_else(|_| unreachable!("HKDF-SHA256 can always expand 32 bytes"))
        .into();
    let tag = hmac::sign(&derived, value);
    let id = key.id.as_str().as_bytes();
    let mut out = Vec::with_capacity(2 + id.len() + 32);
    out.push(VERSION);
    out.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(id);
    out.extend_from_slice(tag.as_ref());
    out
}

impl Keyring {
    /// The index of `value` under the active key (what new rows store).
    pub fn blind_index(&self, scope: &IndexScope<'_>, value: &[u8]) -> Vec<u8> {
        index_with(self.active(), scope, value)
    }

    /// The index of `value` under every key, active first: a lookup matches rows indexed before a
    /// rotation finished too.
    pub fn blind_index_candidates(&self, scope: &IndexScope<'_>, value: &[u8]) -> Vec<Vec<u8>> {
        self.keys.iter().map(|k| index_with(k, scope, value)).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use secrecy::{ExposeSecret, SecretString};

    use super::*;
    use crate::keyring::test_ring as ring;
    use crate::KeyId;

    const A: IndexScope<'static> = IndexScope {
        tenant: [1; 16],
        column: "leads.phone",
    };

    #[test]
    fn equal_values_match_within_a_tenant_and_column_only() {
        let k = ring(&["i1"]);
        let x = k.blind_index(&A, b"+14155550100");
        assert_eq!(x, k.blind_index(&A, b"+14155550100"));
        assert_ne!(x, k.blind_index(&A, b"+14155550101"));
        let other_tenant = IndexScope { tenant: [2; 16], ..A };
        let other_column = IndexScope {
            column: "members.phone",
            ..A
        };
        assert_ne!(x[5..], k.blind_index(&other_tenant, b"+14155550100")[5..]);
        assert_ne!(x[5..], k.blind_index(&other_column, b"+14155550100")[5..]);
        assert_eq!(Keyring::key_id_of(&x), Some("i1"));
        assert_eq!(x.len(), 2 + 2 + 32);
        assert!(!x.windows(12).any(|w| w == b"+14155550100"));
    }

    #[test]
    fn another_key_gives_another_index_and_candidates_cover_the_ring() {
        let old = ring(&["old"]);
        let rotated = Keyring::parse(&SecretString::from(format!(
            "{},{}",
            Keyring::generate_text(&KeyId::parse("new").unwrap()).expose_secret(),
            // The old key's text is not recoverable from `old`; make the ring from scratch instead.
            Keyring::generate_text(&KeyId::parse("old").unwrap()).expose_secret(),
        )))
        .unwrap();
        let value = b"+442071838750";
        assert_ne!(old.blind_index(&A, value), rotated.blind_index(&A, value));
        let candidates = rotated.blind_index_candidates(&A, value);
        assert_eq!(candidates.len(), 2);
        assert_eq!(candidates[0], rotated.blind_index(&A, value));
        assert_eq!(Keyring::key_id_of(&candidates[1]), Some("old"));
    }
}
