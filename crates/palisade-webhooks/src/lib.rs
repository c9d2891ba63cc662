//! Provider webhook signature verifiers and inbound keyword parsing (pure, no IO).
//!
//! Each verifier takes the request exactly as received (raw body bytes, header text, the URL the
//! provider called) and the tenant's secret, and answers `Ok(())` or a [`Rejection`]. Signature
//! comparisons are constant-time (`ring::hmac::verify`, `subtle`). Timestamped schemes take the
//! current time as an argument, so tests can replay the providers' published vectors.
//!
//! The server runs these before any handler parses the request; a rejection is answered without
//! detail and counted by its [`Rejection::reason`].
pub mod hubspot;
pub mod keywords;
pub mod meta;
pub mod sendgrid;
pub mod stripe;
pub mod svix;
pub mod twilio;

/// Why a request was not accepted. Never carries request content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("a signature header is missing")]
    Missing,
    #[error("a signature header is malformed")]
    Malformed,
    #[error("the signed timestamp is outside the allowed window")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
    /// The tenant's configured secret or key cannot be used (not the caller's fault).
    #[error("the configured secret is unusable")]
    BadSecret,
    /// The tenant has no active integration with this provider (or no such tenant).
    #[error("no integration is configured for this provider")]
    NotConfigured,
}

impl Rejection {
    /// A stable label for metrics and security events.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::Malformed => "malformed",
            Self::Stale => "stale",
            Self::Mismatch => "mismatch",
            Self::BadSecret => "bad_secret",
            Self::NotConfigured => "not_configured",
        }
    }
}

/// `Ok` when some candidate tag is the HMAC of `message` under `key` (constant-time per candidate).
fn hmac_matches<'a>(
    algorithm: ring::hmac::Algorithm,
    key: &[u8],
    message: &[&[u8]],
    candidates: impl IntoIterator<Item = &'a [u8]>,
) -> Result<(), Rejection> {
    let key = ring::hmac::Key::new(algorithm, key);
    let mut context = ring::hmac::Context::with_key(&key);
    for part in message {
        context.update(part);
    }
    let tag = context.sign();
    let mut matched = subtle::Choice::from(0);
    for candidate in candidates {
        matched |= subtle::ConstantTimeEq::ct_eq(tag.as_ref(), candidate);
    }
    if bool::from(matched) {
        Ok(())
    } else {
        Err(Rejection::Mismatch)
    }
}

/// A timestamp header: decimal digits only (no sign, no spaces), at most 15 of them.
fn parse_timestamp(text: &str) -> Result<i64, Rejection> {
    if text.is_empty() || text.len() > 15 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Rejection::Malformed);
    }
    text.parse().map_err(|_| Rejection::Malformed)
}

/// Within `window` either side of `now` (same unit as both).
fn fresh(at: i64, now: i64, window: i64) -> Result<(), Rejection> {
    if at.abs_diff(now) <= window.unsigned_abs() {
        Ok(())
    } else {
        Err(Rejection::Stale)
    }
}
