//! Access tokens over HTTP: missing, malformed, expired, foreign, unsigned or tampered tokens are 401;
//! a valid token of a removed member sees nothing.
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use palisade_auth::{generate_secret, TokenKeys};
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::client::{Client, ErrorBody};
use crate::error_code;

/// Lists the leads with `authorization: <auth>` as the header, whatever it holds.
async fn leads_with<T: DeserializeOwned>(app: &TestApp, auth: &str, expect: StatusCode) -> T {
    let client = Client::anonymous(app).header("authorization", auth);
    client.get("/api/v1/leads", expect).await
}

#[tokio::test]
async fn invalid_tokens_are_unauthenticated() {
    let app = spawn_app().await;
    let w = app.world().clone();

    // No header at all: the challenge header matters, so the raw response.
    let r = Client::anonymous(&app)
        .request(Method::GET, "/api/v1/leads")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    assert_eq!(error_code(r).await, "unauthenticated");
    for auth in ["Basic abc", "Bearer ", "Bearer not.a.jwt"] {
        leads_with::<Value>(&app, auth, StatusCode::UNAUTHORIZED).await;
    }

    // Signed by another key.
    let other = TokenKeys::new(&generate_secret(), "palisade", "palisade-api").unwrap();
    let foreign = other
        .mint(w.rep_a1, Some(w.tenant_a), Duration::from_secs(60))
        .unwrap();
    leads_with::<Value>(&app, &format!("Bearer {foreign}"), StatusCode::UNAUTHORIZED).await;

    // Right key, wrong audience.
    let secret = generate_secret();
    let app_with = palisade_testkit::spawn_app_with(|c| c.auth.jwt_secret = Some(secret.clone())).await;
    let wrong_aud = TokenKeys::new(&secret, "palisade", "another-api").unwrap();
    let token = wrong_aud
        .mint(w.rep_a1, Some(w.tenant_a), Duration::from_secs(60))
        .unwrap();
    leads_with::<Value>(&app_with, &format!("Bearer {token}"), StatusCode::UNAUTHORIZED).await;
    let right = TokenKeys::new(&secret, "palisade", "palisade-api").unwrap();
    let token = right
        .mint(w.rep_a1, Some(w.tenant_a), Duration::from_secs(60))
        .unwrap();
    leads_with::<Value>(&app_with, &format!("Bearer {token}"), StatusCode::OK).await;

    // alg: none, and a tampered payload under the original signature.
    let good = app.token(Who::RepA1).unwrap();
    let mut parts = good.split('.');
    let (_, payload, sig) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let none = format!(
        "{}.{payload}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"at+jwt"}"#)
    );
    leads_with::<Value>(&app, &format!("Bearer {none}"), StatusCode::UNAUTHORIZED).await;
    let mut claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    claims["tid"] = serde_json::json!(w.tenant_b);
    let header = URL_SAFE_NO_PAD.encode(r#"{"typ":"at+jwt","alg":"HS256"}"#);
    let tampered = format!(
        "{header}.{}.{sig}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap())
    );
    leads_with::<Value>(&app, &format!("Bearer {tampered}"), StatusCode::UNAUTHORIZED).await;
    leads_with::<Value>(&app, &format!("Bearer {good}"), StatusCode::OK).await;
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let secret = generate_secret();
    let app = palisade_testkit::spawn_app_with(|c| c.auth.jwt_secret = Some(secret.clone())).await;
    let w = app.world().clone();
    // Signed with the server's key, expired ten minutes ago (well past the verification leeway).
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({"iss":"palisade","aud":"palisade-api","sub":w.rep_a1,"tid":w.tenant_a,
        "iat":now - 3600,"nbf":now - 3600,"exp":now - 600,"jti":uuid::Uuid::new_v4()});
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    use secrecy::ExposeSecret;
    let token = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.expose_secret().as_bytes()),
    )
    .unwrap();
    let e: ErrorBody = leads_with(&app, &format!("Bearer {token}"), StatusCode::UNAUTHORIZED).await;
    assert!(e.error.message.contains("expired"));
}

#[tokio::test]
async fn the_database_not_the_token_decides_membership() {
    let app = spawn_app().await;
    let w = app.world().clone();
    // removed_a holds a valid, unexpired token scoped to tenant A.
    let removed = Client::new(&app, Some(Who::RemovedA));
    let e: ErrorBody = removed.get("/api/v1/leads", StatusCode::FORBIDDEN).await;
    assert_eq!(e.code(), "not_a_member");
    let lead = format!("/api/v1/leads/{}", w.lead_a1);
    removed.get::<Value>(&lead, StatusCode::FORBIDDEN).await;
    // A token scoped to a tenant the user never belonged to.
    let stranger = Client::bearer(&app, app.token_for(w.rep_a1, Some(w.tenant_b)));
    stranger
        .get::<Value>("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    // A token with no tenant cannot reach tenant data, but can list the caller's tenants.
    let untenanted = Client::bearer(&app, app.token_for(w.rep_a1, None));
    untenanted
        .get::<Value>("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    untenanted.get::<Value>("/api/v1/tenants", StatusCode::OK).await;
    // Removing a member revokes access for tokens already issued.
    let rep = Client::new(&app, Some(Who::RepA2));
    rep.get::<Value>("/api/v1/leads", StatusCode::OK).await;
    let member = format!("/api/v1/members/{}", w.rep_a2);
    Client::new(&app, Some(Who::AdminA))
        .delete::<()>(&member, StatusCode::NO_CONTENT)
        .await;
    rep.get::<Value>("/api/v1/leads", StatusCode::FORBIDDEN).await;
}
