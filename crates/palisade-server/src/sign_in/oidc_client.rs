//! The configured OpenID Connect providers and the relying-party half of the authorization code
//! flow, on the `openidconnect` crate: discovery (cached), the authorization URL with `state`,
//! `nonce` and a PKCE challenge, the code exchange and the ID token checks (issuer, audience,
//! RS256 signature against the provider's JWKS, expiry on the server's clock, nonce).
use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use axum::http::HeaderValue;
use cookie::SameSite;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreClientAuthMethod, CoreProviderMetadata};
use openidconnect::{
    AuthType, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use palisade_auth::oidc_flow_cookie::{FlowKey, OidcFlow, FLOW_COOKIE};
use palisade_auth::Clock;
use palisade_core::sign_in::oidc::VerifiedIdentity;
use secrecy::ExposeSecret;
use tokio::sync::Mutex;

use crate::config::OidcProviderSettings;
use crate::cross_site;

/// A discovery document (with its keys) is used this long before it is fetched again, so a
/// provider's key rotation is picked up without a restart. Ages are measured on the server's clock.
const DISCOVERY_TTL: chrono::Duration = chrono::Duration::minutes(15);
/// A newer copy is asked for (an unknown signing key) at most this often.
const MIN_REFRESH: chrono::Duration = chrono::Duration::seconds(60);
/// After a failed discovery, none is tried for this long.
const FAILURE_BACKOFF: chrono::Duration = chrono::Duration::seconds(30);
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
    link_by_email: bool,
    email_domains: Vec<String>,
    discovered: Mutex<Discovery>,
}

#[derive(Default)]
struct Discovery {
    fetched: Option<(DateTime<Utc>, CoreProviderMetadata)>,
    failed_at: Option<DateTime<Utc>>,
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
                    link_by_email: p.link_by_email,
                    email_domains: p.email_domains.clone(),
                    discovered: Mutex::new(Discovery::default()),
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

    /// The name people know a provider by.
    pub fn display_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.providers.get(id).map_or(id, |p| p.display_name.as_str())
    }

    /// The configured provider with this issuer, if any (several ids may share one; the first).
    pub fn id_for_issuer(&self, issuer: &str) -> Option<&str> {
        self.providers
            .iter()
            .find(|(_, p)| p.issuer.as_str() == issuer)
            .map(|(id, _)| id.as_str())
    }

    /// Whether a new identity from provider `id` asserting (verified) `email` may sign in as the
    /// person with that address: the provider links by email, and the address is in its domains.
    pub fn may_link_by_email(&self, id: &str, email: Option<&str>) -> bool {
        let Some(p) = self.providers.get(id) else {
            return false;
        };
        let domain = email
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| d.to_ascii_lowercase());
        p.link_by_email
            && (p.email_domains.is_empty() || domain.is_some_and(|d| p.email_domains.contains(&d)))
    }

    /// Where the provider sends the browser back.
    pub fn redirect_uri(&self, id: &str) -> String {
        format!("{}/auth/oidc/{id}/callback", self.public_url)
    }

    /// The provider's discovery document and keys: cached for [`DISCOVERY_TTL`]; `refresh` asks for
    /// a newer copy (the provider rotated its keys), at most once a minute. One request at a time
    /// per provider (the others wait for it); after a failure, none for [`FAILURE_BACKOFF`], and
    /// the last good copy serves meanwhile.
    async fn metadata(&self, provider: &Provider, refresh: bool) -> Result<CoreProviderMetadata, OidcError> {
        let mut cached = provider.discovered.lock().await;
        let now = self.clock.now();
        if let Some((at, metadata)) = &cached.fetched {
            let age = now - *at;
            if age < DISCOVERY_TTL && !(refresh && age >= MIN_REFRESH) {
                return Ok(metadata.clone());
            }
        }
        if cached.failed_at.is_some_and(|t| now - t < FAILURE_BACKOFF) {
            return match &cached.fetched {
                Some((_, stale)) => Ok(stale.clone()),
                None => Err(OidcError::Unavailable("discovery failed moments ago".into())),
            };
        }
        // Discovery also fetches the JWKS, and checks the document names the issuer we asked for.
        match CoreProviderMetadata::discover_async(provider.issuer.clone(), &self.http).await {
            Ok(metadata) => {
                *cached = Discovery {
                    fetched: Some((now, metadata.clone())),
                    failed_at: None,
                };
                Ok(metadata)
            }
            Err(e) => {
                let e = OidcError::Unavailable(error_chain(&e));
                cached.failed_at = Some(now);
                match &cached.fetched {
                    Some((_, stale)) => {
                        tracing::warn!(error = %e, "OIDC discovery failed; using the last good copy");
                        Ok(stale.clone())
                    }
                    None => Err(e),
                }
            }
        }
    }

    async fn client(&self, id: &str, refresh: bool) -> Result<(&Provider, DiscoveredClient), OidcError> {
        let provider = self.providers.get(id).ok_or(OidcError::UnknownProvider)?;
        let metadata = self.metadata(provider, refresh).await?;
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
        let (provider, client) = self.client(flow.provider(), false).await?;
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

    /// Checks an ID token against a client's keys. The crate's defaults are kept: RS256 only (so
    /// neither `none` nor HS256 under the client secret), our client id among the audiences and no
    /// other. Added: a minute of clock skew on expiry, no token issued more than five minutes
    /// ahead, and `azp`, when present, naming us.
    fn verify<'t>(
        &self,
        client: &DiscoveredClient,
        id_token: &'t openidconnect::core::CoreIdToken,
        nonce: &Nonce,
    ) -> Result<&'t openidconnect::core::CoreIdTokenClaims, ClaimsVerificationError> {
        let now = self.clock.now();
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
        let claims = id_token.claims(&verifier, nonce)?;
        if claims
            .authorized_party()
            .is_some_and(|azp| azp != client.client_id())
        {
            return Err(ClaimsVerificationError::InvalidAudience(
                "azp names another client".into(),
            ));
        }
        Ok(claims)
    }

    /// Exchanges the code (with the flow's PKCE verifier) and verifies the ID token.
    pub async fn finish(&self, flow: &OidcFlow, code: &str) -> Result<VerifiedIdentity, OidcError> {
        let (_, client) = self.client(flow.provider(), false).await?;
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
        let nonce = Nonce::new(self.flow_key.nonce(flow));
        let verified = match self.verify(&client, id_token, &nonce) {
            // Signed with a key we have not seen: the provider may have rotated its keys.
            Err(ClaimsVerificationError::SignatureVerification(
                SignatureVerificationError::NoMatchingKey,
            )) => {
                let (_, refreshed) = self.client(flow.provider(), true).await?;
                self.verify(&refreshed, id_token, &nonce)
            }
            other => other,
        };
        let claims = verified.map_err(|e| OidcError::InvalidIdToken(error_chain(&e)))?;
        if claims.subject().as_str().is_empty() || claims.subject().len() > MAX_SUBJECT_LEN {
            return Err(OidcError::InvalidIdToken(
                "the subject is empty or too long".into(),
            ));
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

/// A started sign-in must come back within this long.
pub(crate) const FLOW_LIFETIME_SECS: i64 = 10 * 60;

/// The `Set-Cookie` value holding a flow (HttpOnly, SameSite=Lax: the provider's redirect back is a
/// top-level GET, which Lax cookies accompany).
pub(crate) fn flow_cookie(key: &FlowKey, flow: &OidcFlow) -> HeaderValue {
    cross_site::set_cookie(FLOW_COOKIE, &key.encode(flow), FLOW_LIFETIME_SECS, SameSite::Lax)
}
