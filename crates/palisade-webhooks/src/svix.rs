//! Svix signatures (Resend's webhooks; the Standard Webhooks scheme): headers `svix-id`,
//! `svix-timestamp` (Unix seconds) and `svix-signature` (space-separated `v1,<base64>` entries).
//! The signature is HMAC-SHA256 over `"{id}.{timestamp}.{body}"`, keyed by the base64 part of the
//! `whsec_…` secret. Any `v1` entry may match; other versions are ignored. The timestamp must be
//! within five minutes of now, either way.
use base64::alphabet::STANDARD as ALPHABET;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use zeroize::Zeroizing;

use crate::{fresh, hmac_matches, parse_timestamp, Rejection};

pub const TOLERANCE_SECS: i64 = 300;

/// Secrets are read as leniently as the Standard Webhooks libraries read them (padding optional,
/// stray low bits ignored): an admin pasting one should not have to fix its base64.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &ALPHABET,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// The key inside a `whsec_…` secret (the prefix is optional).
pub fn secret_key(secret: &str) -> Result<Zeroizing<Vec<u8>>, Rejection> {
    let text = secret.trim();
    let text = text.strip_prefix("whsec_").unwrap_or(text);
    let key = LENIENT.decode(text).map_err(|_| Rejection::BadSecret)?;
    if key.is_empty() {
        return Err(Rejection::BadSecret);
    }
    Ok(Zeroizing::new(key))
}

pub fn verify(
    key: &[u8],
    id: &str,
    timestamp: &str,
    signatures: &str,
    body: &[u8],
    now: i64,
) -> Result<(), Rejection> {
    if id.is_empty() || timestamp.is_empty() || signatures.trim().is_empty() {
        return Err(Rejection::Missing);
    }
    // Message ids are `msg_` plus base62; anything else (a `.` above all) could shift the fields.
    if id.len() > 255
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Rejection::Malformed);
    }
    fresh(parse_timestamp(timestamp)?, now, TOLERANCE_SECS)?;
    let tags: Vec<Vec<u8>> = signatures
        .split(' ')
        .filter_map(|entry| entry.split_once(','))
        .filter(|(version, _)| *version == "v1")
        .filter_map(|(_, sig)| STANDARD.decode(sig).ok())
        .collect();
    if tags.is_empty() {
        return Err(Rejection::Malformed);
    }
    hmac_matches(
        ring::hmac::HMAC_SHA256,
        key,
        &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
        tags.iter().map(Vec::as_slice),
    )
}

/// The `svix-signature` value Svix would send (for the testkit and tests).
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let mut context = ring::hmac::Context::with_key(&key);
    context.update(format!("{id}.{timestamp}.").as_bytes());
    context.update(body);
    format!("v1,{}", STANDARD.encode(context.sign().as_ref()))
}
