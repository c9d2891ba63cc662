//! Sealing: AES-256-GCM with a random 96-bit nonce, in a versioned envelope
//! `[1][id length][key id][nonce][ciphertext + tag]`. The associated data binds each ciphertext to
//! where it lives (table, column, tenant, row) and to its own header, so a ciphertext copied into
//! another row, column or tenant, or relabelled with another key id, does not open.
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::keyring::Keyring;

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;

/// Where a sealed value lives.
#[derive(Clone, Copy, Debug)]
pub struct Binding<'a> {
    pub table: &'a str,
    pub column: &'a str,
    /// The tenant, for tenant data; `None` for per-person data (a person's second factor).
    pub tenant: Option<[u8; 16]>,
    /// The row's key.
    pub row: &'a [u8],
}

impl Binding<'_> {
    fn encode(&self, header: &[u8]) -> Vec<u8> {
        let mut out = b"palisade-seal-v1".to_vec();
        for field in [
            self.table.as_bytes(),
            self.column.as_bytes(),
            self.tenant.as_ref().map_or(&[][..], |t| &t[..]),
            self.row,
            header,
        ] {
            out.extend_from_slice(&u32::try_from(field.len()).unwrap_or(u32::MAX).to_be_bytes());
            out.extend_from_slice(field);
        }
        out
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the sealed value is malformed")]
    Malformed,
    #[error("the sealed value needs key `{0}`, which is not in the keyring")]
    UnknownKey(String),
    #[error("the sealed value does not open here (wrong key, or moved from elsewhere)")]
    Failed,
}

impl Keyring {
    pub fn seal(&self, plaintext: &[u8], binding: &Binding<'_>) -> Vec<u8> {
        let key = self.active();
        let id = key.id.as_str().as_bytes();
        let mut nonce = [0u8; NONCE_LEN];
        // The system random source failing is not recoverable; a predictable nonce would be worse.
        SystemRandom::new()
            .fill(&mut nonce)
            .unwrap_or_else(|_| panic!("the operating system's random source failed"));
        let mut header = Vec::with_capacity(2 + id.len() + NONCE_LEN);
        header.push(VERSION);
        header.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
        header.extend_from_slice(id);
        header.extend_from_slice(&nonce);
        let aad = binding.encode(&header);
        let mut body = plaintext.to_vec();
        aead_key(&key.material)
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(&aad), &mut body)
            .unwrap_or_else(|_| unreachable!("AES-GCM sealing fails only for inputs over 64 GiB"));
        header.extend_from_slice(&body);
        header
    }

    pub fn open(&self, sealed: &[u8], binding: &Binding<'_>) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let (&version, rest) = sealed.split_first().ok_or(SealError::Malformed)?;
        let (&id_len, rest) = rest.split_first().ok_or(SealError::Malformed)?;
        let id_len = usize::from(id_len);
        if version != VERSION || id_len == 0 || rest.len() < id_len + NONCE_LEN + TAG_LEN {
            return Err(SealError::Malformed);
        }
        let id = std::str::from_utf8(&rest[..id_len]).map_err(|_| SealError::Malformed)?;
        let key = self.get(id).ok_or_else(|| SealError::UnknownKey(id.to_owned()))?;
        let header_len = 2 + id_len + NONCE_LEN;
        let nonce: [u8; NONCE_LEN] = sealed[2 + id_len..header_len]
            .try_into()
            .map_err(|_| SealError::Malformed)?;
        let aad = binding.encode(&sealed[..header_len]);
        let mut body = Zeroizing::new(sealed[header_len..].to_vec());
        let plain_len = aead_key(&key.material)
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&aad),
                body.as_mut_slice(),
            )
            .map_err(|_| SealError::Failed)?
            .len();
        body.truncate(plain_len);
        Ok(body)
    }

    /// The key id a sealed value names (for `keys status` and rotation).
    pub fn key_id_of(sealed: &[u8]) -> Option<&str> {
        let id_len = usize::from(*sealed.get(1)?);
        std::str::from_utf8(sealed.get(2..2 + id_len)?).ok()
    }
}

fn aead_key(material: &[u8; 32]) -> LessSafeKey {
    LessSafeKey::new(
        UnboundKey::new(&AES_256_GCM, material).unwrap_or_else(|_| unreachable!("AES-256 keys are 32 bytes")),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use secrecy::{ExposeSecret, SecretString};

    use super::*;
    use crate::keyring::test_ring as ring;
    use crate::KeyId;

    const AT: Binding<'static> = Binding {
        table: "auth.totp_factors",
        column: "secret_sealed",
        tenant: None,
        row: b"user-1",
    };

    #[test]
    fn opens_what_it_sealed_and_nothing_moved() {
        let k = ring(&["a"]);
        let sealed = k.seal(b"JBSWY3DPEHPK3PXP", &AT);
        assert_eq!(k.open(&sealed, &AT).unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
        assert_ne!(k.seal(b"JBSWY3DPEHPK3PXP", &AT), sealed, "fresh nonce each time");
        assert!(!sealed.windows(16).any(|w| w == b"JBSWY3DPEHPK3PXP"));
        for moved in [
            Binding { row: b"user-2", ..AT },
            Binding {
                column: "other",
                ..AT
            },
            Binding {
                table: "auth.other",
                ..AT
            },
            Binding {
                tenant: Some([1; 16]),
                ..AT
            },
        ] {
            assert_eq!(k.open(&sealed, &moved).unwrap_err(), SealError::Failed);
        }
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(k.open(&flipped, &AT).unwrap_err(), SealError::Failed);
    }

    #[test]
    fn old_keys_open_new_ones_seal_and_missing_keys_are_named() {
        let old = ring(&["old"]);
        let sealed = old.seal(b"secret", &AT);
        assert_eq!(Keyring::key_id_of(&sealed), Some("old"));
        let other = ring(&["new"]);
        assert_eq!(
            other.open(&sealed, &AT).unwrap_err(),
            SealError::UnknownKey("old".into())
        );
        // The same id with different material: does not open.
        let impostor = ring(&["old"]);
        assert_eq!(impostor.open(&sealed, &AT).unwrap_err(), SealError::Failed);
        assert_eq!(old.open(&[], &AT).unwrap_err(), SealError::Malformed);
        assert_eq!(old.open(&[2, 1, b'x'], &AT).unwrap_err(), SealError::Malformed);
        assert_eq!(old.open(&sealed[..20], &AT).unwrap_err(), SealError::Malformed);
        // Relabelling the key id in the header breaks the seal even if the key existed.
        let both = Keyring::parse(&SecretString::from(format!(
            "{},{}",
            Keyring::generate_text(&KeyId::parse("new").unwrap()).expose_secret(),
            Keyring::generate_text(&KeyId::parse("olx").unwrap()).expose_secret()
        )))
        .unwrap();
        let mut relabelled = both.seal(b"secret", &AT);
        relabelled[2..5].copy_from_slice(b"olx");
        assert_eq!(both.open(&relabelled, &AT).unwrap_err(), SealError::Failed);
    }
}
