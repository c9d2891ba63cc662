//! The fake's OAuth side: codes issued for a portal (what HubSpot's consent screen would send the
//! browser back with), the token endpoint (code and refresh grants, the client checked), token
//! information, revocation, and private apps' tokens.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use std::collections::HashMap;

use super::{Shared, FAKE_HUBSPOT_CLIENT_ID, FAKE_HUBSPOT_CLIENT_SECRET};

/// One portal's grant: which account, and the scopes it has.
#[derive(Debug, Clone)]
pub struct GrantInfo {
    pub portal: u64,
    pub scopes: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Tokens {
    pub codes: HashMap<String, GrantInfo>,
    /// Access token → grant and expiry (Unix seconds).
    pub access: HashMap<String, (GrantInfo, i64)>,
    pub refresh: HashMap<String, GrantInfo>,
    /// Private apps' tokens.
    pub private: HashMap<String, GrantInfo>,
    pub refreshes: u64,
    pub revoked: Vec<String>,
    /// Seconds an access token lives.
    pub lifetime: i64,
    pub counter: u64,
}

impl Tokens {
    pub fn mint(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{:08}-{}", self.counter, uuid::Uuid::new_v4().simple())
    }

    /// The grant of a bearer token still good now.
    pub fn check(&self, bearer: &str, now: i64) -> Option<GrantInfo> {
        if let Some(g) = self.private.get(bearer) {
            return Some(g.clone());
        }
        self.access
            .get(bearer)
            .filter(|(_, expires)| *expires > now)
            .map(|(g, _)| g.clone())
    }
}

fn refused(status: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"status": status, "message": "refused by the fake", "correlationId": "fake"})),
    )
        .into_response()
}

pub async fn token(State(shared): State<Shared>, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut state = shared.lock();
    let client_ok = form.get("client_id").map(String::as_str) == Some(FAKE_HUBSPOT_CLIENT_ID)
        && form.get("client_secret").map(String::as_str) == Some(FAKE_HUBSPOT_CLIENT_SECRET);
    if !client_ok {
        return refused("BAD_CLIENT_ID");
    }
    let grant = match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = form.get("code").cloned().unwrap_or_default();
            match state.tokens.codes.remove(&code) {
                Some(g) => g,
                None => return refused("BAD_AUTH_CODE"),
            }
        }
        Some("refresh_token") => {
            let token = form.get("refresh_token").cloned().unwrap_or_default();
            match state.tokens.refresh.get(&token).cloned() {
                Some(g) => {
                    state.tokens.refreshes += 1;
                    g
                }
                None => return refused("BAD_REFRESH_TOKEN"),
            }
        }
        _ => return refused("BAD_GRANT_TYPE"),
    };
    let access = state.tokens.mint("acc");
    let refresh = match form.get("refresh_token") {
        Some(r) => r.clone(),
        None => {
            let r = state.tokens.mint("ref");
            state.tokens.refresh.insert(r.clone(), grant.clone());
            r
        }
    };
    let lifetime = state.tokens.lifetime;
    let now = chrono::Utc::now().timestamp();
    state
        .tokens
        .access
        .insert(access.clone(), (grant, now + lifetime));
    Json(json!({
        "token_type": "bearer", "access_token": access, "refresh_token": refresh, "expires_in": lifetime
    }))
    .into_response()
}

pub async fn access_token_info(State(shared): State<Shared>, Path(token): Path<String>) -> Response {
    let state = shared.lock();
    match state.tokens.check(&token, chrono::Utc::now().timestamp()) {
        Some(g) => Json(json!({
            "token": token, "hub_id": g.portal, "hub_domain": format!("portal-{}.hubspot.test", g.portal),
            "scopes": g.scopes, "user": "owner@portal.test", "token_type": "access", "app_id": 1,
        }))
        .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"status": "error", "category": "OBJECT_NOT_FOUND"})),
        )
            .into_response(),
    }
}

pub async fn private_app_info(State(shared): State<Shared>, Json(body): Json<Value>) -> Response {
    let state = shared.lock();
    let key = body["tokenKey"].as_str().unwrap_or_default();
    match state.tokens.private.get(key) {
        Some(g) => {
            Json(json!({"hubId": g.portal, "scopes": g.scopes, "userId": 1, "appId": 2})).into_response()
        }
        None => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"status": "error", "category": "INVALID_AUTHENTICATION"})),
        )
            .into_response(),
    }
}

pub async fn revoke(State(shared): State<Shared>, Path(token): Path<String>) -> StatusCode {
    let mut state = shared.lock();
    if state.tokens.refresh.remove(&token).is_some() {
        state.tokens.revoked.push(token);
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}
