//! The configured OpenID Connect providers and the relying-party half of the authorization code
//! flow, on the `openidconnect` crate: discovery (cached), the authorization URL with `state`,
//! `nonce` and a PKCE challenge, the code exchange and the ID token checks (issuer, audience,
//! RS256 signature against the provider's JWKS, expiry on the server's clock, nonce).
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreProviderMetadata};
use openidconnect::{
    AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use palisade_auth::oidc_flow::{FlowKey, OidcFlow};
use palisade_auth::Clock;
use palisade_core::oidc::VerifiedIdentity;
use secrecy::ExposeSecret;
use tokio::sync::Mutex;

use crate::config::OidcProviderSettings;

/// A discovery document (with its keys) is used this long before it is fetched again, so a
/// provider's key rotation is picked up without a restart.
const DISCOVERY_TTL: Duration = Duration::from_secs(15 * 60);
/// Requests to a provider give up after this long; the person sees "try again".
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);
/// Tolerated difference between the provider's clock and ours when checking expiry.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(60);
/// A token issued further ahead than this is refused (a clock that wrong is a broken provider).
const MAX_ISSUED_AHEAD: chrono::Duration = chrono::Duration::minutes(5);
/// `sub` is at most 255 ASCII characters (OIDC Core §2); the identities table holds no more.
const MAX_SUBJECT_LEN: usize = 255;

/// A client built from a discovery document: the authorization endpoint is known, the token and
/// userinfo endpoints may be.
type DiscoveredClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a provider step failed. The detail is for the server log; it never holds a token or code.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("no such provider")]
    UnknownProvider,
    #[error("the provider's discovery document could not be loaded: {0}")]
    Unavailable(String),
    #[error("the token endpoint refused the code or failed: {0}")]
    TokenExchange(String),
    #[error("the ID token failed verification: {0}")]
    InvalidIdToken(String),
}

struct Provider {
    display_name: String,
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    scopes: Vec<String>,
    discovered: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

/// A provider as sign-in pages list it.
pub struct ProviderListing<'a> {
    pub id: &'a str,
    pub display_name: &'a str,
}

pub struct OidcProviders {
    providers: BTreeMap<String, Provider>,
    /// Provider requests never follow redirects: a redirect is how a relying party is walked into
    /// fetching from somewhere it did not mean to (SSRF).
    http: reqwest::Client,
    flow_key: FlowKey,
    public_url: String,
    clock: Clock,
}

impl std::fmt::Debug for OidcProviders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProviders")
            .field("providers", &self.providers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl OidcProviders {
    pub fn new(
        settings: &BTreeMap<String, OidcProviderSettings>,
        flow_key: FlowKey,
        public_url: &str,
        clock: Clock,
    ) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()
            .map_err(|e| format!("the OIDC HTTP client could not be built: {e}"))?;
        let mut providers = BTreeMap::new();
        for (id, p) in settings {
            let issuer = IssuerUrl::new(p.issuer.clone())
                .map_err(|e| format!("auth.oidc.{id}.issuer is not a URL: {e}"))?;
            providers.insert(
                id.clone(),
                Provider {
                    display_name: p.display_name.clone().unwrap_or_else(|| id.clone()),
                    issuer,
                    client_id: ClientId::new(p.client_id.clone()),
                    client_secret: p
                        .client_secret
                        .as_ref()
                        .map(|s| ClientSecret::new(s.expose_secret().to_owned())),
                    scopes: p.scopes.clone(),
                    discovered: Mutex::new(None),
                },
            );
        }
        Ok(Self {
            providers,
            http,
            flow_key,
            public_url: public_url.trim_end_matches('/').to_owned(),
            clock,
        })
    }

    pub fn flow_key(&self) -> &FlowKey {
        &self.flow_key
    }

    pub fn contains(&self, id: &str) -> bool {
        self.providers.contains_key(id)
    }

    pub fn list(&self) -> impl Iterator<Item = ProviderListing<'_>> {
        self.providers.iter().map(|(id, p)| ProviderListing {
            id,
            display_name: &p.display_name,
        })
    }

    /// Where the provider sends the browser back.
    pub fn redirect_uri(&self, id: &str) -> String {
        format!("{}/auth/oidc/{id}/callback", self.public_url)
    }

    async fn metadata(&self, provider: &Provider) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = provider.discovered.lock().await;
        if let Some((at, metadata)) = cached.as_ref() {
            if at.elapsed() < DISCOVERY_TTL {
                return Ok(metadata.clone());
            }
        }
        // Discovery also fetches the JWKS, and checks the document names the issuer we asked for.
        let metadata = CoreProviderMetadata::discover_async(provider.issuer.clone(), &self.http)
            .await
            .map_err(|e| OidcError::Unavailable(error_chain(&e)))?;
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    async fn client(&self, id: &str) -> Result<(&Provider, DiscoveredClient), OidcError> {
        let provider = self.providers.get(id).ok_or(OidcError::UnknownProvider)?;
        let metadata = self.metadata(provider).await?;
        // Most providers take the client secret in HTTP Basic; some accept it only in the form body.
        let post_only = metadata.token_endpoint_auth_methods_supported().is_some_and(|m| {
            !m.contains(&CoreClientAuthMethod::ClientSecretBasic)
                && m.contains(&CoreClientAuthMethod::ClientSecretPost)
        });
        let redirect = RedirectUrl::new(self.redirect_uri(id))
            .map_err(|e| OidcError::Unavailable(format!("the redirect URI is not a URL: {e}")))?;
        let mut client = CoreClient::from_provider_metadata(
            metadata,
            provider.client_id.clone(),
            provider.client_secret.clone(),
        )
        .set_redirect_uri(redirect);
        if post_only {
            client = client.set_auth_type(AuthType::RequestBody);
        }
        Ok((provider, client))
    }

    /// The provider's authorization URL for a new flow.
    pub async fn authorization_url(&self, flow: &OidcFlow) -> Result<String, OidcError> {
        let (provider, client) = self.client(flow.provider()).await?;
        let state = self.flow_key.state(flow);
        let nonce = self.flow_key.nonce(flow);
        let verifier = PkceCodeVerifier::new(self.flow_key.pkce_verifier(flow));
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                move || CsrfToken::new(state),
                move || Nonce::new(nonce),
            )
            .set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(&verifier));
        for scope in &provider.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, _, _) = request.url();
        Ok(url.to_string())
    }

    /// Exchanges the code (with the flow's PKCE verifier) and verifies the ID token.
    pub async fn finish(&self, flow: &OidcFlow, code: &str) -> Result<VerifiedIdentity, OidcError> {
        let (_, client) = self.client(flow.provider()).await?;
        let verifier = PkceCodeVerifier::new(self.flow_key.pkce_verifier(flow));
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::TokenExchange(e.to_string()))?
            .set_pkce_verifier(verifier)
            .request_async(&self.http)
            .await
            .map_err(|e| match e {
                // A parse error's cause can quote the response, which may hold tokens: name it only.
                openidconnect::RequestTokenError::Parse(..) => {
                    OidcError::TokenExchange("the token response could not be parsed".into())
                }
                other => OidcError::TokenExchange(error_chain(&other)),
            })?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::InvalidIdToken("the token response has no ID token".into()))?;
        let now = self.clock.now();
        // The crate's defaults (kept): RS256 only, so neither `none` nor HS256 under the client
        // secret; our client id among the audiences and no other. Added: a minute of clock skew
        // on expiry, no token issued more than five minutes ahead, and `azp` naming us if present.
        let verifier = client
            .id_token_verifier()
            .set_time_fn(move || now - CLOCK_SKEW)
            .set_issue_time_verifier_fn(move |iat| {
                if iat > now + MAX_ISSUED_AHEAD {
                    Err("the token is issued in the future".into())
                } else {
                    Ok(())
                }
            });
        let nonce = Nonce::new(self.flow_key.nonce(flow));
        let claims = id_token
            .claims(&verifier, &nonce)
            .map_err(|e| OidcError::InvalidIdToken(error_chain(&e)))?;
        if claims
            .authorized_party()
            .is_some_and(|azp| azp != client.client_id())
        {
            return Err(OidcError::InvalidIdToken("azp names another client".into()));
        }
        if claims.subject().as_str().is_empty() || claims.subject().len() > MAX_SUBJECT_LEN {
            return Err(OidcError::InvalidIdToken("the subject is empty or too long".into()));
        }
        Ok(VerifiedIdentity::new(
            claims.issuer().as_str().to_owned(),
            claims.subject().as_str().to_owned(),
            claims.email().map(|e| e.as_str()),
            claims.email_verified(),
            claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned()),
        ))
    }
}

/// An error and its causes on one line (the crate's top-level messages are terse).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
