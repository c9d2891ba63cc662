//! The OAuth 2.0 authorization-code flow with the operator's HubSpot app (the `oauth2` crate builds
//! the requests), and what HubSpot says about a token: the account (portal) it belongs to and its
//! scopes. Tokens travel only to HubSpot; errors carry HubSpot's status word at most.
use chrono::{DateTime, Utc};
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, StandardErrorResponse, TokenResponse, TokenUrl,
};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use crate::config::AppCredentials;
use crate::error::HubspotError;
use crate::http::{Call, Transport};
use crate::limits::Bucket;

/// A token pair as HubSpot issued it. `Debug` leaves the tokens out.
pub struct Grant {
    pub access_token: SecretString,
    /// Absent for a private app's token (which does not expire).
    pub refresh_token: Option<SecretString>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// What HubSpot says about a token.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenInfo {
    #[serde(alias = "hubId")]
    pub hub_id: u64,
    #[serde(default)]
    pub hub_domain: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A token as one path segment (HubSpot's token endpoints take it in the path): percent-encoded, so
/// nothing in it can reach another path. Never logged; reqwest's errors (which name the URL) are
/// turned into [`HubspotError`] without it.
fn segment(token: &SecretString) -> String {
    url::form_urlencoded::byte_serialize(token.expose_secret().as_bytes()).collect()
}

impl Transport {
    fn app(&self) -> Result<&AppCredentials, HubspotError> {
        self.config.app.as_ref().ok_or(HubspotError::NoApp)
    }

    fn oauth_client(
        &self,
    ) -> Result<
        BasicClient<
            oauth2::EndpointSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointSet,
        >,
        HubspotError,
    > {
        let app = self.app()?;
        let bad = |_| HubspotError::NoApp;
        let token_url = format!(
            "{}/oauth/v1/token",
            self.config.api_base_url.trim_end_matches('/')
        );
        Ok(BasicClient::new(ClientId::new(app.client_id.clone()))
            .set_client_secret(ClientSecret::new(app.client_secret.expose_secret().to_owned()))
            .set_auth_uri(AuthUrl::new(self.config.authorize_url.clone()).map_err(bad)?)
            .set_token_uri(TokenUrl::new(token_url).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(app.redirect_uri.clone()).map_err(bad)?)
            // HubSpot reads the client's credentials from the form, not a Basic header.
            .set_auth_type(AuthType::RequestBody))
    }

    /// Where to send an admin's browser to authorize the app, with this `state`.
    pub fn authorize_url(&self, state: String) -> Result<String, HubspotError> {
        let client = self.oauth_client()?;
        let scopes = self.config.scopes.iter().map(|s| Scope::new(s.clone()));
        let (url, _) = client
            .authorize_url(|| CsrfToken::new(state))
            .add_scopes(scopes)
            .url();
        Ok(url.into())
    }

    /// Exchanges the code HubSpot sent the browser back with.
    pub async fn exchange_code(&self, code: &str) -> Result<Grant, HubspotError> {
        let client = self.oauth_client()?;
        let answer = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .request_async(&self.http)
            .await;
        self.grant(answer, false)
    }

    /// A new access token for a refresh token.
    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<Grant, HubspotError> {
        let client = self.oauth_client()?;
        let token = RefreshToken::new(refresh_token.expose_secret().to_owned());
        let answer = client
            .exchange_refresh_token(&token)
            .request_async(&self.http)
            .await;
        let mut grant = self.grant(answer, true)?;
        // HubSpot may or may not send the refresh token again; it stays valid either way.
        if grant.refresh_token.is_none() {
            grant.refresh_token = Some(refresh_token.clone());
        }
        Ok(grant)
    }

    fn grant<T: TokenResponse, RE: std::error::Error + 'static>(
        &self,
        answer: Result<T, RequestTokenError<RE, StandardErrorResponse<BasicErrorResponseType>>>,
        refreshing: bool,
    ) -> Result<Grant, HubspotError> {
        let refused = if refreshing {
            HubspotError::RefreshRefused
        } else {
            HubspotError::Rejected {
                status: 400,
                category: "BAD_AUTH_CODE".into(),
                correlation: "none".into(),
            }
        };
        let token = match answer {
            Ok(token) => token,
            Err(RequestTokenError::ServerResponse(e)) => {
                self.metrics.request("hubspot_refused");
                return if matches!(e.error(), BasicErrorResponseType::InvalidGrant) {
                    Err(refused)
                } else {
                    Err(HubspotError::Rejected {
                        status: 400,
                        category: "oauth_error".into(),
                        correlation: "none".into(),
                    })
                };
            }
            // HubSpot's own error shape: `{"status": "BAD_REFRESH_TOKEN", "message": …}`.
            Err(RequestTokenError::Parse(_, body)) => {
                let word: Option<String> = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["status"].as_str().map(str::to_owned));
                self.metrics.request("hubspot_refused");
                // Only a refused grant is the grant's fault; a refused client (`BAD_CLIENT_ID`) is the
                // operator's configuration, and must not mark every connection failed.
                let grant_refused = match word.as_deref() {
                    Some("BAD_REFRESH_TOKEN" | "INVALID_GRANT") => refreshing,
                    Some("BAD_AUTH_CODE" | "BAD_REDIRECT_URI") => !refreshing,
                    _ => false,
                };
                // HubSpot's refusals are `BAD_…`/`INVALID_…`; anything else (an outage's `"error"`) may
                // pass.
                let refusal = word
                    .as_deref()
                    .is_some_and(|w| w.starts_with("BAD_") || w.starts_with("INVALID_"));
                return if grant_refused {
                    Err(refused)
                } else if refusal {
                    Err(HubspotError::Rejected {
                        status: 400,
                        category: word
                            .unwrap_or_default()
                            .chars()
                            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .take(64)
                            .collect(),
                        correlation: "none".into(),
                    })
                } else {
                    Err(HubspotError::Unavailable { status: None })
                };
            }
            Err(_) => {
                self.metrics.request("hubspot_unavailable");
                return Err(HubspotError::Unavailable { status: None });
            }
        };
        self.metrics.request("ok");
        let expires_at = token
            .expires_in()
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .map(|d| Utc::now() + d)
            // HubSpot's access tokens live 30 minutes when it does not say.
            .or_else(|| Some(Utc::now() + chrono::Duration::minutes(30)));
        Ok(Grant {
            access_token: SecretString::from(token.access_token().secret().clone()),
            refresh_token: token
                .refresh_token()
                .map(|r| SecretString::from(r.secret().clone())),
            expires_at,
        })
    }

    /// The account and scopes of an OAuth access token.
    pub async fn oauth_token_info(&self, access_token: &SecretString) -> Result<TokenInfo, HubspotError> {
        let path = format!("/oauth/v1/access-tokens/{}", segment(access_token));
        self.token_info(access_token, Method::GET, path, None).await
    }

    /// The account and scopes of a private app's token.
    pub async fn private_app_info(&self, token: &SecretString) -> Result<TokenInfo, HubspotError> {
        let body = json!({ "tokenKey": token.expose_secret() });
        let path = "/oauth/v2/private-apps/get/access-token-info".to_owned();
        self.token_info(token, Method::POST, path, Some(body)).await
    }

    async fn token_info(
        &self,
        token: &SecretString,
        method: Method,
        path: String,
        body: Option<serde_json::Value>,
    ) -> Result<TokenInfo, HubspotError> {
        let value = self
            .call(Call {
                portal: 0,
                token,
                bucket: Bucket::General,
                method,
                path,
                body,
                idempotent: true,
                interactive: true,
            })
            .await?;
        serde_json::from_value(value).map_err(|_| HubspotError::Malformed)
    }

    /// Revokes a refresh token (disconnecting): the app loses access to the account.
    pub async fn revoke(&self, refresh_token: &SecretString) -> Result<(), HubspotError> {
        let path = format!("/oauth/v1/refresh-tokens/{}", segment(refresh_token));
        match self
            .call(Call {
                portal: 0,
                token: refresh_token,
                bucket: Bucket::General,
                method: Method::DELETE,
                path,
                body: None,
                idempotent: true,
                interactive: true,
            })
            .await
        {
            Ok(_) | Err(HubspotError::NotFound) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
