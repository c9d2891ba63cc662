//! Stripe webhook signatures (`Stripe-Signature: t=<unix seconds>,v1=<hex>,…`): hex HMAC-SHA256,
//! keyed by the endpoint's signing secret (`whsec_…`, used as text), over `"{t}.{body}"`. Any `v1`
//! entry may match (Stripe sends several while a secret is being rolled); `v0` and unknown entries
//! are ignored. The timestamp must be within the tolerance of now, in both directions (Stripe's SDKs
//! refuse only old ones; a request signed in the future is no more plausible).
use crate::{fresh, hmac_matches, parse_timestamp, Rejection};

/// Stripe's default tolerance, in seconds.
pub const TOLERANCE_SECS: i64 = 300;

pub fn verify(secret: &[u8], body: &[u8], header: &str, now: i64, tolerance: i64) -> Result<(), Rejection> {
    if header.trim().is_empty() {
        return Err(Rejection::Missing);
    }
    let mut timestamp = None;
    let mut tags = Vec::new();
    for item in header.split(',') {
        let Some((key, value)) = item.trim().split_once('=') else {
            return Err(Rejection::Malformed);
        };
        match key {
            "t" if timestamp.is_none() => timestamp = Some(value),
            "t" => return Err(Rejection::Malformed),
            // A v1 that is not hex cannot match; skip it like Stripe's SDKs do.
            "v1" => tags.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(Rejection::Malformed)?;
    if tags.is_empty() {
        return Err(Rejection::Malformed);
    }
    fresh(parse_timestamp(timestamp)?, now, tolerance)?;
    hmac_matches(
        ring::hmac::HMAC_SHA256,
        secret,
        &[timestamp.as_bytes(), b".", body],
        tags.iter().map(Vec::as_slice),
    )
}

/// The header Stripe would send (for the testkit and tests).
pub fn sign(secret: &[u8], body: &[u8], timestamp: i64) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let mut context = ring::hmac::Context::with_key(&key);
    context.update(timestamp.to_string().as_bytes());
    context.update(b".");
    context.update(body);
    format!("t={timestamp},v1={}", hex::encode(context.sign().as_ref()))
}
