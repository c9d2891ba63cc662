//! HubSpot request signatures.
//!
//! * v3 (`X-HubSpot-Signature-v3`, `X-HubSpot-Request-Timestamp` in milliseconds): base64
//!   HMAC-SHA256, keyed by the app's client secret, over `method + uri + body + timestamp`, where the
//!   URI has the characters HubSpot lists decoded (`%3A` → `:` and eleven more). Requests more than
//!   five minutes from now are refused (HubSpot says older; a request from the future is refused too).
//! * v1 / v2 (`X-HubSpot-Signature` with `X-HubSpot-Signature-Version`): hex SHA-256 of
//!   `secret + body` (v1) or `secret + method + uri + body` (v2). They carry no timestamp, so a
//!   captured request can be replayed; accept them only when a tenant turns them on.
use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::{fresh, hmac_matches, parse_timestamp, Rejection};

/// Five minutes, in milliseconds.
pub const WINDOW_MS: i64 = 5 * 60 * 1000;

/// Verifies a v3 signature. `uri` is the full URL HubSpot called (scheme, host, path, query), as
/// received; `now_ms` is the current Unix time in milliseconds.
pub fn verify_v3(
    client_secret: &[u8],
    method: &str,
    uri: &str,
    body: &[u8],
    timestamp: &str,
    signature: &str,
    now_ms: i64,
) -> Result<(), Rejection> {
    if signature.is_empty() || timestamp.is_empty() {
        return Err(Rejection::Missing);
    }
    fresh(parse_timestamp(timestamp)?, now_ms, WINDOW_MS)?;
    let tag = STANDARD
        .decode(signature.trim())
        .map_err(|_| Rejection::Malformed)?;
    let uri = decode_uri(uri);
    hmac_matches(
        ring::hmac::HMAC_SHA256,
        client_secret,
        &[method.as_bytes(), uri.as_bytes(), body, timestamp.as_bytes()],
        [tag.as_slice()],
    )
}

/// The v3 signature of a request (for the testkit and tests).
pub fn sign_v3(client_secret: &[u8], method: &str, uri: &str, body: &[u8], timestamp: &str) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, client_secret);
    let mut context = ring::hmac::Context::with_key(&key);
    for part in [
        method.as_bytes(),
        decode_uri(uri).as_bytes(),
        body,
        timestamp.as_bytes(),
    ] {
        context.update(part);
    }
    STANDARD.encode(context.sign().as_ref())
}

/// Verifies a v1 signature (`sha256(secret + body)`, hex).
pub fn verify_v1(client_secret: &[u8], body: &[u8], signature: &str) -> Result<(), Rejection> {
    digest_matches(&[client_secret, body], signature)
}

/// Verifies a v2 signature (`sha256(secret + method + uri + body)`, hex); the URI as received.
pub fn verify_v2(
    client_secret: &[u8],
    method: &str,
    uri: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), Rejection> {
    digest_matches(
        &[client_secret, method.as_bytes(), uri.as_bytes(), body],
        signature,
    )
}

fn digest_matches(parts: &[&[u8]], signature: &str) -> Result<(), Rejection> {
    if signature.is_empty() {
        return Err(Rejection::Missing);
    }
    let claimed = hex::decode(signature.trim()).map_err(|_| Rejection::Malformed)?;
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in parts {
        context.update(part);
    }
    let actual = context.finish();
    if bool::from(subtle::ConstantTimeEq::ct_eq(actual.as_ref(), claimed.as_slice())) {
        Ok(())
    } else {
        Err(Rejection::Mismatch)
    }
}

/// HubSpot's table of escapes to decode before signing; every other escape stays as it is. Hex
/// digits are matched in either case (HubSpot's table shows upper case; a decoder reads both).
const DECODED: [(&str, char); 12] = [
    ("3A", ':'),
    ("2F", '/'),
    ("3F", '?'),
    ("40", '@'),
    ("21", '!'),
    ("24", '$'),
    ("27", '\''),
    ("28", '('),
    ("29", ')'),
    ("2A", '*'),
    ("2C", ','),
    ("3B", ';'),
];

fn decode_uri(uri: &str) -> Cow<'_, str> {
    if !uri.contains('%') {
        return Cow::Borrowed(uri);
    }
    let mut out = String::with_capacity(uri.len());
    let mut rest = uri;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at + 1..at + 3);
        match escape.and_then(|hex| DECODED.iter().find(|(code, _)| code.eq_ignore_ascii_case(hex))) {
            Some((_, c)) => {
                out.push(*c);
                rest = &rest[at + 3..];
            }
            None => {
                out.push('%');
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_escapes_are_decoded() {
        assert_eq!(
            decode_uri("https://x.test/a%3Ab%2fc?d=%20%26%3D%25%3a%40%"),
            "https://x.test/a:b/c?d=%20%26%3D%25:@%"
        );
        assert_eq!(decode_uri("https://x.test/plain"), "https://x.test/plain");
        // A multi-byte character right after `%` is kept whole.
        assert_eq!(decode_uri("/a%é"), "/a%é");
    }
}
