//! The internal endpoints' caller: `Authorization: Bearer <PALISADE_CRON_SECRET>`, compared in
//! constant time. With no secret configured, nobody is.
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request carries the cron secret.
pub struct Cron(());

impl FromRequestParts<AppState> for Cron {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let presented = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let matches = state
            .cron_secret
            .as_ref()
            // Digests of both sides: equal lengths, so the comparison does not reveal the secret's.
            .is_some_and(|secret| {
                let (a, b) = (
                    Sha256::digest(secret.expose_secret().as_bytes()),
                    Sha256::digest(presented.as_bytes()),
                );
                bool::from(a.as_slice().ct_eq(b.as_slice()))
            });
        if matches {
            Ok(Self(()))
        } else {
            Err(ApiError::unauthenticated(
                "the internal endpoints need the cron secret",
            ))
        }
    }
}
