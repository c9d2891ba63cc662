//! Bearer access tokens: JWT, HS256 only, `typ: at+jwt`, with `exp`, `nbf`, `iss`, `aud` and `sub`
//! required and checked. A token says who the caller is; whether they may still see a tenant is
//! decided by the database on every statement.
use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use palisade_types::{Principal, TenantId, UserId};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// 32 random bytes encoded as base64 are 44 characters (hex: 64); shorter strings cannot carry
/// 256 bits of key. Generate one with `openssl rand -hex 32`.
pub const MIN_SECRET_LEN: usize = 44;
pub const MAX_TTL: Duration = Duration::from_secs(24 * 3600);
const TOKEN_TYPE: &str = "at+jwt";
const LEEWAY_SECS: i64 = 30;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token signing secret must be at least {MIN_SECRET_LEN} bytes")]
    WeakSecret,
    #[error("token lifetime must be between 1 second and 24 hours")]
    BadTtl,
    #[error("the token has expired")]
    Expired,
    #[error("the token is invalid")]
    Invalid,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    aud: String,
    sub: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tid: Option<Uuid>,
    /// The session an access token was issued for (sign-in flows); operator tokens have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<Uuid>,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: Uuid,
}

/// What a valid access token says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    pub principal: Principal,
    /// Set for tokens issued to a session: the session must still be live (the database checks).
    pub session_id: Option<Uuid>,
}

/// Signing and verification keys with the expected issuer and audience.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("secret", &"[redacted]")
            .finish()
    }
}

impl TokenKeys {
    pub fn new(secret: &SecretString, issuer: &str, audience: &str) -> Result<Self, TokenError> {
        let bytes = secret.expose_secret().as_bytes();
        if bytes.len() < MIN_SECRET_LEN {
            return Err(TokenError::WeakSecret);
        }
        Ok(Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
        })
    }

    /// An operator token (no session), valid from now for `ttl`.
    pub fn mint(&self, user: UserId, tenant: Option<TenantId>, ttl: Duration) -> Result<String, TokenError> {
        self.mint_at(user, tenant, Utc::now(), ttl)
    }

    /// An operator token (no session), valid from `now` (a server's clock, which tests control) for `ttl`.
    pub fn mint_at(
        &self,
        user: UserId,
        tenant: Option<TenantId>,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> Result<String, TokenError> {
        self.encode(user, tenant, None, now, ttl)
    }

    /// An access token for a session, issued at `now` by the server's clock.
    pub fn mint_for_session(
        &self,
        user: UserId,
        session: Uuid,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> Result<String, TokenError> {
        self.encode(user, None, Some(session), now, ttl)
    }

    fn encode(
        &self,
        user: UserId,
        tenant: Option<TenantId>,
        session: Option<Uuid>,
        now: DateTime<Utc>,
        ttl: Duration,
    ) -> Result<String, TokenError> {
        if ttl.is_zero() || ttl > MAX_TTL {
            return Err(TokenError::BadTtl);
        }
        let now = now.timestamp();
        let ttl_secs = i64::try_from(ttl.as_secs()).map_err(|_| TokenError::BadTtl)?;
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub: *user.as_uuid(),
            tid: tenant.map(|t| *t.as_uuid()),
            sid: session,
            iat: now,
            nbf: now,
            exp: now + ttl_secs,
            jti: Uuid::new_v4(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(TOKEN_TYPE.into());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|_| TokenError::Invalid)
    }

    pub fn verify(&self, token: &str) -> Result<Principal, TokenError> {
        self.verify_at(token, Utc::now()).map(|v| v.principal)
    }

    /// Verifies signature, type, issuer and audience, and `exp`/`nbf` against `now` (the server's
    /// clock, so tests can move time).
    pub fn verify_at(&self, token: &str, now: DateTime<Utc>) -> Result<Verified, TokenError> {
        // Only HS256: `none` and every other algorithm (including RS/HS confusion) are refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|_| TokenError::Invalid)?;
        if data.header.typ.as_deref() != Some(TOKEN_TYPE) {
            return Err(TokenError::Invalid);
        }
        let now = now.timestamp();
        if data.claims.nbf > now + LEEWAY_SECS {
            return Err(TokenError::Invalid);
        }
        if data.claims.exp + LEEWAY_SECS <= now {
            return Err(TokenError::Expired);
        }
        Ok(Verified {
            principal: Principal {
                user_id: UserId::from_uuid(data.claims.sub),
                tenant_id: data.claims.tid.map(TenantId::from_uuid),
            },
            session_id: data.claims.sid,
        })
    }
}

/// A fresh 256-bit signing secret, hex-encoded.
pub fn generate_secret() -> SecretString {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    SecretString::from(hex)
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&generate_secret(), "palisade", "palisade-api").unwrap()
    }

    fn ids() -> (UserId, TenantId) {
        (
            UserId::from_uuid(Uuid::new_v4()),
            TenantId::from_uuid(Uuid::new_v4()),
        )
    }

    fn forge(header: &str, claims: &serde_json::Value, sig: &str) -> String {
        format!(
            "{}.{}.{sig}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap())
        )
    }

    #[test]
    fn round_trip() {
        let k = keys();
        let (u, t) = ids();
        let p = k
            .verify(&k.mint(u, Some(t), Duration::from_secs(60)).unwrap())
            .unwrap();
        assert_eq!(
            p,
            Principal {
                user_id: u,
                tenant_id: Some(t)
            }
        );
    }

    #[test]
    fn session_tokens_carry_the_session_and_expire_by_the_given_clock() {
        let k = keys();
        let (u, _) = ids();
        let sid = Uuid::new_v4();
        let now = Utc::now();
        let token = k.mint_for_session(u, sid, now, Duration::from_secs(900)).unwrap();
        let v = k.verify_at(&token, now).unwrap();
        assert_eq!(v.session_id, Some(sid));
        assert_eq!(v.principal.tenant_id, None);
        assert!(k.verify_at(&token, now + chrono::Duration::seconds(900)).is_ok());
        assert_eq!(
            k.verify_at(&token, now + chrono::Duration::seconds(931))
                .unwrap_err(),
            TokenError::Expired
        );
        // Issued in the future by the given clock: not yet valid.
        assert_eq!(
            k.verify_at(&token, now - chrono::Duration::seconds(60))
                .unwrap_err(),
            TokenError::Invalid
        );
        let operator = k.mint(u, None, Duration::from_secs(60)).unwrap();
        assert_eq!(k.verify_at(&operator, Utc::now()).unwrap().session_id, None);
    }

    #[test]
    fn weak_secrets_and_bad_ttls_are_refused() {
        assert_eq!(
            TokenKeys::new(&SecretString::from("short"), "i", "a").unwrap_err(),
            TokenError::WeakSecret
        );
        let (u, _) = ids();
        assert_eq!(
            keys().mint(u, None, Duration::ZERO).unwrap_err(),
            TokenError::BadTtl
        );
        assert_eq!(
            keys()
                .mint(u, None, MAX_TTL + Duration::from_secs(1))
                .unwrap_err(),
            TokenError::BadTtl
        );
    }

    #[test]
    fn another_key_audience_or_issuer_is_refused() {
        let k = keys();
        let (u, t) = ids();
        let token = k.mint(u, Some(t), Duration::from_secs(60)).unwrap();
        assert_eq!(keys().verify(&token).unwrap_err(), TokenError::Invalid);
        let secret = generate_secret();
        let a = TokenKeys::new(&secret, "palisade", "palisade-api").unwrap();
        let other_aud = TokenKeys::new(&secret, "palisade", "other-api").unwrap();
        let other_iss = TokenKeys::new(&secret, "evil", "palisade-api").unwrap();
        let token = a.mint(u, Some(t), Duration::from_secs(60)).unwrap();
        assert_eq!(other_aud.verify(&token).unwrap_err(), TokenError::Invalid);
        assert_eq!(other_iss.verify(&token).unwrap_err(), TokenError::Invalid);
        assert!(a.verify(&token).is_ok());
    }

    #[test]
    fn expired_tampered_and_unsigned_tokens_are_refused() {
        let secret = generate_secret();
        let k = TokenKeys::new(&secret, "palisade", "palisade-api").unwrap();
        let (u, t) = ids();
        let now = Utc::now().timestamp();
        let claims = |exp: i64, nbf: i64| {
            serde_json::json!({"iss":"palisade","aud":"palisade-api","sub":u.as_uuid(),"tid":t.as_uuid(),
                               "iat":now,"nbf":nbf,"exp":exp,"jti":Uuid::new_v4()})
        };
        let sign = |c: &serde_json::Value, typ: Option<&str>| {
            let mut h = Header::new(Algorithm::HS256);
            h.typ = typ.map(Into::into);
            jsonwebtoken::encode(
                &h,
                c,
                &EncodingKey::from_secret(secret.expose_secret().as_bytes()),
            )
            .unwrap()
        };
        assert!(k.verify(&sign(&claims(now + 60, now), Some("at+jwt"))).is_ok());
        assert_eq!(
            k.verify(&sign(&claims(now - 120, now - 300), Some("at+jwt")))
                .unwrap_err(),
            TokenError::Expired
        );
        // Not yet valid.
        assert_eq!(
            k.verify(&sign(&claims(now + 600, now + 300), Some("at+jwt")))
                .unwrap_err(),
            TokenError::Invalid
        );
        // Wrong token type (an ID token or other JWT signed with the same key).
        assert_eq!(
            k.verify(&sign(&claims(now + 60, now), Some("JWT"))).unwrap_err(),
            TokenError::Invalid
        );
        // alg: none, with and without a signature.
        let none = forge(r#"{"alg":"none","typ":"at+jwt"}"#, &claims(now + 60, now), "");
        assert_eq!(k.verify(&none).unwrap_err(), TokenError::Invalid);
        // Tampered payload: another tenant, original signature.
        let good = sign(&claims(now + 60, now), Some("at+jwt"));
        let sig = good.rsplit('.').next().unwrap();
        let mut evil = claims(now + 60, now);
        evil["tid"] = serde_json::json!(Uuid::new_v4());
        let tampered = forge(r#"{"alg":"HS256","typ":"at+jwt"}"#, &evil, sig);
        assert_eq!(k.verify(&tampered).unwrap_err(), TokenError::Invalid);
        // Missing exp.
        let mut no_exp = claims(now + 60, now);
        no_exp.as_object_mut().unwrap().remove("exp");
        assert_eq!(
            k.verify(&sign(&no_exp, Some("at+jwt"))).unwrap_err(),
            TokenError::Invalid
        );
        assert_eq!(k.verify("garbage").unwrap_err(), TokenError::Invalid);
    }
}
