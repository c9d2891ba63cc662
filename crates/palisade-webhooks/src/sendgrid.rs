//! SendGrid's signed Event Webhook: ECDSA P-256 with SHA-256 over `timestamp + body`, the signature
//! (`X-Twilio-Email-Event-Webhook-Signature`) base64 DER, the timestamp in
//! `X-Twilio-Email-Event-Webhook-Timestamp`, the public key (from SendGrid's settings) base64 DER
//! SubjectPublicKeyInfo. SendGrid publishes no freshness window and retries for up to three days,
//! so the timestamp is checked only as part of what is signed; replays are caught by event ids.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;

use crate::Rejection;

/// A verification key, parsed once from SendGrid's base64 DER text.
#[derive(Clone, Debug)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn parse(base64_der: &str) -> Result<Self, Rejection> {
        let der = STANDARD
            .decode(base64_der.trim())
            .map_err(|_| Rejection::BadSecret)?;
        VerifyingKey::from_public_key_der(&der)
            .map(Self)
            .map_err(|_| Rejection::BadSecret)
    }
}

pub fn verify(key: &PublicKey, timestamp: &str, signature: &str, body: &[u8]) -> Result<(), Rejection> {
    if timestamp.is_empty() || signature.is_empty() {
        return Err(Rejection::Missing);
    }
    // SendGrid's timestamps are Unix seconds; anything else was not signed by it.
    crate::parse_timestamp(timestamp)?;
    let der = STANDARD
        .decode(signature.trim())
        .map_err(|_| Rejection::Malformed)?;
    let signature = Signature::from_der(&der).map_err(|_| Rejection::Malformed)?;
    let mut message = Vec::with_capacity(timestamp.len() + body.len());
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(body);
    key.0
        .verify(&message, &signature)
        .map_err(|_| Rejection::Mismatch)
}
