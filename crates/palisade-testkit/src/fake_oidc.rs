//! A fake OpenID Connect provider on 127.0.0.1: discovery, JWKS, an authorization endpoint that
//! signs in whoever the test names (no login page), and a token endpoint that checks the client's
//! credentials, the redirect URI and the PKCE verifier, and issues RS256 ID tokens. A test can make
//! the next token wrong in one way (nonce, audience, issuer, expiry, signing key) to see the relying
//! party refuse it.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const FAKE_CLIENT_ID: &str = "palisade-test-client";
pub const FAKE_CLIENT_SECRET: &str = "fake-client-secret-for-tests";

/// Who the provider says signs in next.
#[derive(Clone, Debug)]
pub struct IdpUser {
    pub subject: String,
    pub email: Option<String>,
    /// `None` leaves the claim out.
    pub email_verified: Option<bool>,
    pub name: Option<String>,
}

impl IdpUser {
    /// A person with a provider-verified address.
    pub fn verified(subject: &str, email: &str) -> Self {
        Self {
            subject: subject.into(),
            email: Some(email.into()),
            email_verified: Some(true),
            name: Some("Test Person".into()),
        }
    }
}

/// One way to spoil the next ID token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spoil {
    Nothing,
    /// A nonce other than the one in the authorization request.
    WrongNonce,
    /// Issued to another client.
    WrongAudience,
    /// Claims another issuer.
    WrongIssuer,
    /// Expired five minutes ago.
    Expired,
    /// Signed by a key the provider does not publish (re-signed by someone else), with the
    /// published key's id.
    ForeignKey,
    /// Two audiences: ours and another client's.
    ExtraAudience,
    /// `azp` names another client.
    WrongAuthorizedParty,
    /// Signed with HS256 under the client secret (which the relying party knows too).
    Hs256WithClientSecret,
    /// `alg: none`, no signature.
    Unsigned,
    /// Issued an hour from now.
    IssuedAhead,
    /// The authorization endpoint answers `error=access_denied`, as when the person cancels.
    Deny,
}

struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    user: IdpUser,
    spoil: Spoil,
}

struct Shared {
    issuer: String,
    /// The signing key and its id; only this one is published.
    key: Mutex<(String, RsaPrivateKey)>,
    discovery_fails: Mutex<bool>,
    discovery_requests: Mutex<u32>,
    next_user: Mutex<Option<IdpUser>>,
    spoil: Mutex<Spoil>,
    grants: Mutex<HashMap<String, Grant>>,
    token_requests: Mutex<u32>,
    /// The provider's clock: the system's, or the server's manual one (`use_clock`).
    clock: Mutex<palisade_auth::Clock>,
}

pub struct FakeIdp {
    pub issuer: String,
    shared: Arc<Shared>,
    _server: tokio::task::JoinHandle<()>,
}

fn rsa_key() -> RsaPrivateKey {
    RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap()
}

fn random_text() -> String {
    let mut bytes = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

async fn discovery(State(s): State<Arc<Shared>>) -> Response {
    *s.discovery_requests.lock().unwrap() += 1;
    if *s.discovery_fails.lock().unwrap() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    Json(json!({
        "issuer": s.issuer,
        "authorization_endpoint": format!("{}/authorize", s.issuer),
        "token_endpoint": format!("{}/token", s.issuer),
        "jwks_uri": format!("{}/jwks", s.issuer),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "email", "profile"],
    }))
    .into_response()
}

async fn jwks(State(s): State<Arc<Shared>>) -> Json<Value> {
    let (kid, key) = s.key.lock().unwrap().clone();
    let public = key.to_public_key();
    Json(json!({"keys": [{
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
        "n": URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
        "e": URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
    }]}))
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (status, Json(json!({"error": error}))).into_response()
}

async fn authorize(State(s): State<Arc<Shared>>, Query(q): Query<AuthorizeQuery>) -> Response {
    let scopes: Vec<&str> = q.scope.split(' ').collect();
    if q.response_type != "code"
        || q.client_id != FAKE_CLIENT_ID
        || q.code_challenge_method != "S256"
        || !scopes.contains(&"openid")
    {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let spoil = *s.spoil.lock().unwrap();
    let sep = if q.redirect_uri.contains('?') { '&' } else { '?' };
    let back = |params: &[(&str, &str)]| {
        let query = serde_urlencoded::to_string(params).unwrap();
        Redirect::to(&format!("{}{sep}{query}", q.redirect_uri)).into_response()
    };
    if spoil == Spoil::Deny {
        return back(&[("error", "access_denied"), ("state", &q.state)]);
    }
    let Some(user) = s.next_user.lock().unwrap().clone() else {
        return oauth_error(StatusCode::BAD_REQUEST, "login_required");
    };
    let code = random_text();
    s.grants.lock().unwrap().insert(
        code.clone(),
        Grant {
            nonce: q.nonce.clone(),
            challenge: q.code_challenge.clone(),
            redirect_uri: q.redirect_uri.clone(),
            user,
            spoil,
        },
    );
    back(&[("code", &code), ("state", &q.state), ("iss", &s.issuer)])
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

/// `client_secret_basic`: both parts form-urlencoded, then base64 (RFC 6749 §2.3.1).
fn client_authenticated(headers: &HeaderMap) -> bool {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{FAKE_CLIENT_ID}:{FAKE_CLIENT_SECRET}"))
    );
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) == Some(expected.as_str())
}

async fn token(State(s): State<Arc<Shared>>, headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    *s.token_requests.lock().unwrap() += 1;
    if !client_authenticated(&headers) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    // A code works once.
    let Some(grant) = s.grants.lock().unwrap().remove(&form.code) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(form.code_verifier.as_bytes()));
    if form.grant_type != "authorization_code"
        || form.redirect_uri != grant.redirect_uri
        || challenge != grant.challenge
    {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let now = s.clock.lock().unwrap().now().timestamp();
    let mut claims = json!({
        "iss": s.issuer,
        "sub": grant.user.subject,
        "aud": FAKE_CLIENT_ID,
        "iat": now,
        "exp": now + 300,
        "nonce": grant.nonce,
    });
    if let Some(email) = &grant.user.email {
        claims["email"] = json!(email);
    }
    if let Some(verified) = grant.user.email_verified {
        claims["email_verified"] = json!(verified);
    }
    if let Some(name) = &grant.user.name {
        claims["name"] = json!(name);
    }
    match grant.spoil {
        Spoil::WrongNonce => claims["nonce"] = json!(random_text()),
        Spoil::WrongAudience => claims["aud"] = json!("another-client"),
        Spoil::WrongIssuer => claims["iss"] = json!("https://attacker.example"),
        Spoil::Expired => {
            claims["iat"] = json!(now - 900);
            claims["exp"] = json!(now - 300);
        }
        Spoil::ExtraAudience => claims["aud"] = json!([FAKE_CLIENT_ID, "another-client"]),
        Spoil::WrongAuthorizedParty => claims["azp"] = json!("another-client"),
        Spoil::IssuedAhead => {
            claims["iat"] = json!(now + 3600);
            claims["exp"] = json!(now + 7200);
        }
        Spoil::Nothing | Spoil::ForeignKey | Spoil::Hs256WithClientSecret | Spoil::Unsigned | Spoil::Deny => {
        }
    }
    let id_token = match grant.spoil {
        Spoil::Hs256WithClientSecret => jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(FAKE_CLIENT_SECRET.as_bytes()),
        )
        .unwrap(),
        Spoil::Unsigned => format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        ),
        _ => {
            let (kid, mut key) = s.key.lock().unwrap().clone();
            if grant.spoil == Spoil::ForeignKey {
                key = rsa_key();
            }
            let der = key.to_pkcs1_der().unwrap();
            let mut jwt_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
            jwt_header.kid = Some(kid);
            jsonwebtoken::encode(
                &jwt_header,
                &claims,
                &jsonwebtoken::EncodingKey::from_rsa_der(der.as_bytes()),
            )
            .unwrap()
        }
    };
    Json(json!({
        "access_token": random_text(),
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token,
    }))
    .into_response()
}

impl FakeIdp {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let issuer = format!("http://{addr}");
        let shared = Arc::new(Shared {
            issuer: issuer.clone(),
            key: Mutex::new(("k1".into(), tokio::task::spawn_blocking(rsa_key).await.unwrap())),
            discovery_fails: Mutex::new(false),
            discovery_requests: Mutex::new(0),
            next_user: Mutex::new(None),
            spoil: Mutex::new(Spoil::Nothing),
            grants: Mutex::new(HashMap::new()),
            token_requests: Mutex::new(0),
            clock: Mutex::new(palisade_auth::Clock::system()),
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            issuer,
            shared,
            _server: server,
        }
    }

    /// The person the next authorization signs in.
    pub fn sign_in_as(&self, user: IdpUser) {
        *self.shared.next_user.lock().unwrap() = Some(user);
    }

    /// Spoils the ID tokens of the authorizations that follow.
    pub fn spoil(&self, spoil: Spoil) {
        *self.shared.spoil.lock().unwrap() = spoil;
    }

    /// Issue tokens on this clock (a test server's manual clock, so moving it moves both).
    pub fn use_clock(&self, clock: palisade_auth::Clock) {
        *self.shared.clock.lock().unwrap() = clock;
    }

    /// Replaces the signing key with a new one under a new key id, and publishes only that one.
    pub async fn rotate_key(&self) {
        let key = tokio::task::spawn_blocking(rsa_key).await.unwrap();
        let mut current = self.shared.key.lock().unwrap();
        let next = format!("k{}", current.0[1..].parse::<u32>().unwrap() + 1);
        *current = (next, key);
    }

    /// Makes the discovery document answer 500 (or work again).
    pub fn fail_discovery(&self, fail: bool) {
        *self.shared.discovery_fails.lock().unwrap() = fail;
    }

    /// How many times the discovery document was asked for.
    pub fn discovery_requests(&self) -> u32 {
        *self.shared.discovery_requests.lock().unwrap()
    }

    /// How many times the token endpoint was called.
    pub fn token_requests(&self) -> u32 {
        *self.shared.token_requests.lock().unwrap()
    }

    /// The provider's settings for a Palisade config (`auth.oidc.<id>`).
    #[cfg(feature = "server")]
    pub fn settings(&self) -> palisade_server::config::OidcProviderSettings {
        palisade_server::config::OidcProviderSettings {
            display_name: Some("Fake IdP".into()),
            issuer: self.issuer.clone(),
            client_id: FAKE_CLIENT_ID.into(),
            client_secret: Some(FAKE_CLIENT_SECRET.to_owned().into()),
            scopes: vec!["email".into(), "profile".into()],
            link_by_email: true,
            email_domains: Vec::new(),
        }
    }
}
