//! Sign-in with an OpenID Connect provider (browsers): `/auth/oidc/{provider}` starts the
//! authorization code flow, `/auth/oidc/{provider}/callback` finishes it and sets the session cookie.
//! The flow's `state`, `nonce` and PKCE verifier derive from a cookie only this browser holds
//! (palisade-auth `oidc_flow`), so a callback replayed elsewhere, or a code injected into someone
//! else's browser, signs nobody in.
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use palisade_auth::browser_session::BrowserSession;
use palisade_auth::oidc_flow_cookie::{OidcFlow, FLOW_COOKIE};
use palisade_auth::OpaqueSecret;
use palisade_core::sign_in::oidc::{self, FlowFailure, LinkOutcome, OidcOutcome, VerifiedIdentity};
use palisade_core::sign_in::sessions::{ClientKind, Origin};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::page::{self, message, sign_in_unavailable};
use crate::cross_site;
use crate::error::ApiError;
use crate::extract::{Caller, ClientIp, RequestId};
use crate::sign_in::oidc_client::{flow_cookie, OidcError, FLOW_LIFETIME_SECS};
use crate::state::AppState;

/// What the provider appends to the redirect URI. Providers add more (`iss`, `scope`,
/// `session_state`, …); those are ignored.
#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

fn unknown_provider() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "Unknown sign-in provider",
        "This server does not offer sign-in with that provider.",
    )
}

/// Sends the browser to the provider, with a new flow cookie.
#[utoipa::path(get, path = "/auth/oidc/{provider}", tag = "web",
    params(("provider" = String, Path, description = "A configured provider id (`auth.oidc.<id>`)")),
    responses((status = 303, description = "Redirect to the provider"), (status = 404, description = "HTML page"),
              (status = 503, description = "HTML page")))]
pub async fn start(State(state): State<AppState>, Path(provider): Path<String>) -> Response {
    if !state.oidc.contains(&provider) {
        return unknown_provider();
    }
    let Some(flow) = OidcFlow::start(&provider, state.clock.now()) else {
        return unknown_provider();
    };
    let url = match state.oidc.authorization_url(&flow).await {
        Ok(url) => url,
        Err(e) => {
            tracing::error!(provider = %provider, error = %e, "an OIDC sign-in could not start");
            return sign_in_unavailable();
        }
    };
    let Ok(location) = HeaderValue::from_str(&url) else {
        return sign_in_unavailable();
    };
    let cookie = flow_cookie(state.oidc.flow_key(), &flow);
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.append(header::SET_COOKIE, cookie);
    response
}

/// Where the provider sends the browser back: checks the flow, exchanges the code, verifies the ID
/// token and signs the person in.
#[utoipa::path(get, path = "/auth/oidc/{provider}/callback", tag = "web",
    params(("provider" = String, Path), ("code" = Option<String>, Query), ("state" = Option<String>, Query),
           ("error" = Option<String>, Query)),
    responses((status = 200, description = "HTML page; the session cookie is set"),
              (status = 400, description = "HTML page"), (status = 403, description = "HTML page"),
              (status = 404, description = "HTML page"), (status = 429, description = "HTML page"),
              (status = 503, description = "HTML page")))]
pub async fn callback(
    State(state): State<AppState>,
    RequestId(correlation): RequestId,
    ip: ClientIp,
    Path(provider): Path<String>,
    caller: Result<Caller, ApiError>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    // The flow cookie works once, whatever happens next.
    let mut response = finish(&state, correlation, ip, &provider, caller.ok(), &headers, &uri).await;
    response
        .headers_mut()
        .append(header::SET_COOKIE, cross_site::clear_cookie(FLOW_COOKIE));
    response
}

async fn finish(
    state: &AppState,
    correlation: palisade_db::CorrelationId,
    ip: ClientIp,
    provider: &str,
    caller: Option<Caller>,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    if !state.oidc.contains(provider) {
        return unknown_provider();
    }
    if let Err(limited) = state.sign_in_limits.sign_in_from(ip.0).await {
        return page::sign_in_limited(limited);
    }
    let origin = Origin {
        user_agent: crate::sign_in::session_start::user_agent(headers),
        client_ip: ip.0,
    };
    let query: CallbackQuery = match serde_urlencoded::from_str(uri.query().unwrap_or("")) {
        Ok(q) => q,
        Err(_) => return refused(state, correlation, FlowFailure::InvalidState, &origin).await,
    };
    let now = state.clock.now();
    let key = state.oidc.flow_key();
    let flow = cross_site::cookie(headers, FLOW_COOKIE)
        .and_then(|c| key.decode(&c))
        .filter(|f| f.provider() == provider)
        .filter(|f| {
            let age = (now - f.started_at()).num_seconds();
            (-60..=FLOW_LIFETIME_SECS).contains(&age)
        });
    let flow = match (flow, query.state.as_deref()) {
        (Some(flow), Some(presented)) if key.state_matches(&flow, presented) => flow,
        _ => return refused(state, correlation, FlowFailure::InvalidState, &origin).await,
    };
    // A linking flow finishes only in the session that started it.
    let linking = match flow.link() {
        None => None,
        Some(session) => match caller {
            Some(c) if c.browser_session().is_some_and(|b| b.session_id == session) => Some(c),
            _ => return refused(state, correlation, FlowFailure::InvalidState, &origin).await,
        },
    };
    let code = match (query.error, query.code) {
        (None, Some(code)) => code,
        _ => return refused(state, correlation, FlowFailure::ProviderError, &origin).await,
    };
    let identity = match state.oidc.finish(&flow, &code).await {
        Ok(identity) => identity,
        Err(e) => {
            tracing::warn!(provider = %provider, error = %e, "an OIDC sign-in failed");
            let reason = match e {
                OidcError::UnknownProvider => return unknown_provider(),
                OidcError::Unavailable(_) => return sign_in_unavailable(),
                OidcError::TokenExchange(_) => FlowFailure::TokenExchangeFailed,
                OidcError::InvalidIdToken(_) => FlowFailure::InvalidIdToken,
            };
            return refused(state, correlation, reason, &origin).await;
        }
    };
    if let Some(caller) = linking {
        return link(state, &caller, provider, &identity, now).await;
    }
    let link_by_email = state.oidc.may_link_by_email(provider, identity.email.as_deref());
    let secret = OpaqueSecret::generate();
    let outcome = async {
        let db = state.db.correlated(correlation);
        let mut tx = db.auth().await?;
        let outcome = oidc::sign_in(
            &mut tx,
            &identity,
            link_by_email,
            state.sessions.open_signup,
            ClientKind::Browser,
            &secret.hash(),
            now,
            state.sessions.absolute,
            &origin,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, ApiError>(outcome)
    }
    .await;
    match outcome {
        Ok(OidcOutcome::SignedIn { signed_in, linked }) => {
            if linked {
                if let Some(email) = identity.email.clone() {
                    notify_linked(state.clone(), email, state.oidc.display_name(provider).to_owned());
                }
            }
            let session = BrowserSession {
                session_id: signed_in.session_id,
                user_id: signed_in.user_id,
                secret,
            };
            page::signed_in(state, &session)
        }
        Ok(OidcOutcome::NotLinked) => message(
            StatusCode::FORBIDDEN,
            "Connect this sign-in first",
            "This sign-in is not connected to a Palisade account yet. Sign in with an email link, then \
             connect it from your account settings.",
        ),
        Ok(OidcOutcome::EmailNotVerified) => message(
            StatusCode::FORBIDDEN,
            "Your email address is not verified",
            "The sign-in provider did not confirm that this email address is yours, so it cannot be \
             used to sign in to Palisade. Sign in with an email link instead.",
        ),
        Ok(OidcOutcome::NoAccount) => message(
            StatusCode::FORBIDDEN,
            "No Palisade account",
            "There is no account for this email address. Ask an admin of your team to invite you.",
        ),
        Ok(OidcOutcome::Disabled) => message(
            StatusCode::FORBIDDEN,
            "This account cannot sign in",
            "Contact an admin of your team.",
        ),
        Err(e) => {
            tracing::error!(code = e.code, "an OIDC sign-in could not be recorded");
            sign_in_unavailable()
        }
    }
}

/// Records a refused sign-in in the access log and answers with a page saying to start again.
async fn refused(
    state: &AppState,
    correlation: palisade_db::CorrelationId,
    reason: FlowFailure,
    origin: &Origin,
) -> Response {
    let recorded = async {
        let db = state.db.correlated(correlation);
        let mut tx = db.auth().await?;
        oidc::failed(&mut tx, reason, origin).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(())
    }
    .await;
    if let Err(e) = recorded {
        tracing::error!(code = e.code, "a refused OIDC sign-in could not be recorded");
    }
    let text = match reason {
        FlowFailure::ProviderError => {
            "The sign-in was cancelled or refused by the provider. Please start again."
        }
        _ => {
            "This sign-in did not complete: it expired, was already used, or was started in another \
              browser. Please start again."
        }
    };
    message(StatusCode::BAD_REQUEST, "Sign-in did not complete", text)
}

/// The end of a linking flow: connects the identity to the session's person.
async fn link(
    state: &AppState,
    caller: &Caller,
    provider: &str,
    identity: &VerifiedIdentity,
    now: chrono::DateTime<chrono::Utc>,
) -> Response {
    let name = state.oidc.display_name(provider).to_owned();
    let outcome = async {
        let mut tx = caller.tx().await?;
        let outcome = oidc::link(&mut tx, identity, now).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(outcome)
    }
    .await;
    match outcome {
        Ok(LinkOutcome::Linked { account_email }) => {
            notify_linked(state.clone(), account_email, name.clone());
            message(
                StatusCode::OK,
                &format!("{name} is connected"),
                &format!("You can now sign in to Palisade with {name}."),
            )
        }
        Ok(LinkOutcome::AlreadyLinked) => message(
            StatusCode::OK,
            &format!("{name} is connected"),
            &format!("This {name} account was already connected to yours."),
        ),
        Ok(LinkOutcome::Taken) => message(
            StatusCode::CONFLICT,
            "Already connected elsewhere",
            &format!("This {name} account is connected to another Palisade account."),
        ),
        Err(e) if e.code == "reauthentication_required" => message(
            StatusCode::FORBIDDEN,
            "Sign in again first",
            "Connecting a sign-in needs a sign-in (or second-factor check) within the last 10 minutes.",
        ),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => message(
            StatusCode::UNAUTHORIZED,
            "Your session has ended",
            "Sign in again, then connect this sign-in from your account settings.",
        ),
        Err(e) => {
            tracing::error!(code = e.code, "an identity could not be connected");
            sign_in_unavailable()
        }
    }
}

/// Tells a person that a sign-in was connected to their account (sent off the request path; a
/// failure is logged without the address).
fn notify_linked(state: AppState, to: String, provider: String) {
    tokio::spawn(async move {
        let mail = palisade_mail::Mail {
            to: vec![to],
            subject: format!("{provider} sign-in connected to your Palisade account"),
            text: format!(
                "A {provider} sign-in was just connected to your Palisade account; you can now sign in \
                 with it.\r\n\r\nIf this was not you, sign in with an email link, remove it under your \
                 account's connected sign-ins, and tell your team's admin.\r\n"
            ),
            idempotency_key: None,
        };
        if let Err(e) = state.mailer.send(&mail).await {
            tracing::error!(error = %e, "a sign-in connection notice could not be sent");
        }
    });
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(callback))
}
