//! Meta (WhatsApp Cloud API) webhooks.
//!
//! * Deliveries carry `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the raw body, keyed by the
//!   app secret. Meta signs the body as sent (non-ASCII escaped as `\uXXXX`), so the check runs on
//!   the received bytes, never on re-encoded JSON. Meta signs no timestamp: replays are caught by
//!   the event ids the handler records.
//! * Subscribing sends `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`; the endpoint
//!   answers the challenge when the token is the one configured.
use crate::{hmac_matches, Rejection};

pub fn verify(app_secret: &[u8], body: &[u8], header: &str) -> Result<(), Rejection> {
    if header.is_empty() {
        return Err(Rejection::Missing);
    }
    let hex_tag = header
        .trim()
        .strip_prefix("sha256=")
        .ok_or(Rejection::Malformed)?;
    let tag = hex::decode(hex_tag).map_err(|_| Rejection::Malformed)?;
    hmac_matches(ring::hmac::HMAC_SHA256, app_secret, &[body], [tag.as_slice()])
}

/// The header Meta would send (for the testkit and tests).
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, app_secret);
    format!("sha256={}", hex::encode(ring::hmac::sign(&key, body).as_ref()))
}

/// The subscription handshake: the challenge to echo when `mode` is `subscribe` and `token` is the
/// configured verify token (compared in constant time). The challenge is echoed only when it is
/// plain (letters, digits, `-`, `_`; at most 128), so the endpoint cannot be made to reflect markup.
pub fn subscription_challenge<'a>(
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&'a str>,
    verify_token: &[u8],
) -> Result<&'a str, Rejection> {
    let (Some(mode), Some(token), Some(challenge)) = (mode, token, challenge) else {
        return Err(Rejection::Missing);
    };
    let plain = (1..=128).contains(&challenge.len())
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if mode != "subscribe" || !plain {
        return Err(Rejection::Malformed);
    }
    // Digests of both sides: the comparison takes the same time whatever the token's length.
    let digest = |b: &[u8]| ring::digest::digest(&ring::digest::SHA256, b);
    let same =
        subtle::ConstantTimeEq::ct_eq(digest(token.as_bytes()).as_ref(), digest(verify_token).as_ref());
    if verify_token.is_empty() || !bool::from(same) {
        return Err(Rejection::Mismatch);
    }
    Ok(challenge)
}
