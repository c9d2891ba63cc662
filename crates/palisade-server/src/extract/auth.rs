//! Authentication and role capabilities.
//!
//! [`Caller`] proves a credential: a bearer access token (an operator token, or one issued to an API
//! session), or a browser session cookie. Session credentials are not trusted on their own: the
//! database's session gate checks the session in the same flight as the first statement. [`Member`]
//! additionally names the tenant (the token's, else the `X-Palisade-Tenant` header); whether the
//! caller is still an active member is checked by the database together with the first statement
//! (no extra round trip). [`Manager`] and [`Admin`] hand out a transaction only after the database
//! confirmed the caller's role, in the same round trip that begins it.
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, StatusCode};
use palisade_auth::browser_session::{BrowserSession, SESSION_COOKIE};
use palisade_core::CoreError;
use palisade_db::{Db, Principal, SessionCheck, TenantId, TenantRole, Tx, UserId};
use uuid::Uuid;

use super::RequestId;
use crate::cross_site;
use crate::error::ApiError;
use crate::state::AppState;

/// Names the tenant a session-authenticated request acts in.
pub const TENANT_HEADER: &str = "x-palisade-tenant";

/// A verified credential.
pub struct Caller {
    pub principal: Principal,
    session: Option<SessionCheck>,
    browser: Option<BrowserSession>,
    db: Db,
    correlation: palisade_db::CorrelationId,
}

impl Caller {
    pub fn user_id(&self) -> UserId {
        self.principal.user_id
    }

    /// The session this request came with (none for operator tokens).
    pub fn session_id(&self) -> Option<Uuid> {
        self.session.map(|s| s.session_id)
    }

    /// The session credential as presented (not yet checked by the database); `403 no_session` for
    /// an operator token, which has none.
    pub fn session(&self) -> Result<SessionCheck, ApiError> {
        self.session.ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "no_session",
                "this needs a signed-in session; operator tokens have none",
            )
        })
    }

    /// The browser session, when the request was authenticated by the session cookie.
    pub fn browser_session(&self) -> Option<&BrowserSession> {
        self.browser.as_ref()
    }

    /// A browser session's caller from its decoded cookie, for the pages: they read with it, and
    /// check a form's CSRF token (a field, where the API checks a header) before they write.
    pub(crate) fn browser(
        state: &AppState,
        cookie: BrowserSession,
        correlation: palisade_db::CorrelationId,
    ) -> Self {
        let session = SessionCheck {
            session_id: cookie.session_id,
            secret_hash: Some(cookie.secret.hash()),
            now: state.clock.now(),
            idle: state.sessions.idle,
        };
        Self {
            principal: Principal {
                user_id: cookie.user_id,
                tenant_id: None,
            },
            session: Some(session),
            browser: Some(cookie),
            db: state.db.correlated(correlation.clone()),
            correlation,
        }
    }

    /// The request id (for transactions opened in another context).
    pub fn correlation_id(&self) -> palisade_db::CorrelationId {
        self.correlation.clone()
    }

    /// A user-context transaction that is not scoped to any tenant (tenant lists, tenant creation).
    pub async fn tx(&self) -> Result<Tx, ApiError> {
        self.open(None).await
    }

    /// A user-context transaction in `tenant` (membership checked with the first statement).
    pub async fn tx_in(&self, tenant: TenantId) -> Result<Tx, ApiError> {
        self.open(Some(tenant)).await
    }

    async fn open(&self, tenant: Option<TenantId>) -> Result<Tx, ApiError> {
        let principal = Principal {
            user_id: self.principal.user_id,
            tenant_id: tenant,
        };
        Ok(match &self.session {
            Some(session) => self.db.user_in_session(&principal, session).await?,
            None => self.db.user(&principal).await?,
        })
    }
}

fn tenant_header(parts: &Parts) -> Result<Option<TenantId>, ApiError> {
    let Some(value) = parts.headers.get(TENANT_HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<TenantId>().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_tenant_header",
                "X-Palisade-Tenant must be a tenant id (UUID)",
            )
        })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let now = state.clock.now();
        let idle = state.sessions.idle;
        let header_tenant = tenant_header(parts)?;
        let (mut principal, session, browser) = if let Some(value) = parts.headers.get(header::AUTHORIZATION)
        {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
                })?;
            let verified = state.keys.verify_at(token, now).map_err(|e| match e {
                palisade_auth::TokenError::Expired => {
                    ApiError::unauthenticated("the access token has expired")
                }
                _ => ApiError::unauthenticated("the access token is invalid"),
            })?;
            let session = verified.session_id.map(|session_id| SessionCheck {
                session_id,
                secret_hash: None,
                now,
                idle,
            });
            (verified.principal, session, None)
        } else if let Some(value) = cross_site::cookie(&parts.headers, SESSION_COOKIE) {
            let cookie = BrowserSession::decode(&value)
                .ok_or_else(|| ApiError::unauthenticated("the session cookie is invalid; sign in again"))?;
            cross_site::check_csrf(
                &parts.method,
                &parts.headers,
                &cookie,
                &state.csrf,
                &state.origins,
            )?;
            let session = SessionCheck {
                session_id: cookie.session_id,
                secret_hash: Some(cookie.secret.hash()),
                now,
                idle,
            };
            let principal = Principal {
                user_id: cookie.user_id,
                tenant_id: None,
            };
            (principal, Some(session), Some(cookie))
        } else {
            return Err(ApiError::unauthenticated(
                "sign in: send `Authorization: Bearer <token>` or the session cookie",
            ));
        };
        match (principal.tenant_id, header_tenant) {
            (Some(a), Some(b)) if a != b => {
                // A well-formed request the credential may not make: refused, like any role.
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "tenant_mismatch",
                    "X-Palisade-Tenant names another tenant than the access token",
                ));
            }
            (None, header) => principal.tenant_id = header,
            _ => {}
        }
        let RequestId(correlation) = RequestId::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        Ok(Self {
            principal,
            session,
            browser,
            db: state.db.correlated(correlation.clone()),
            correlation,
        })
    }
}

/// A caller acting in a tenant: the one their token is scoped to, else the one `X-Palisade-Tenant`
/// names.
pub struct Member {
    pub user: UserId,
    pub tenant: TenantId,
    caller: Caller,
}

impl Member {
    /// A user-context transaction in the tenant; fails with 403 `not_a_member` on its first statement
    /// unless the caller is an active member (and 401 `session_ended` if the session is over).
    pub async fn tx(&self) -> Result<Tx, ApiError> {
        self.caller.tx_in(self.tenant).await
    }

    pub fn caller(&self) -> &Caller {
        &self.caller
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let tenant = caller.principal.tenant_id.ok_or_else(|| {
            ApiError::forbidden(
                "no tenant: send X-Palisade-Tenant with the tenant's id (or use a token scoped to a tenant)",
            )
        })?;
        Ok(Self {
            user: caller.principal.user_id,
            tenant,
            caller,
        })
    }
}

/// Only this module can make one, so only the extractors below can build a capability.
struct Proof;

/// A caller acting as at least a manager of the tenant. The role is verified by the database when
/// the transaction begins — after the request body has been read, so a slow client never holds a
/// pooled connection — and no transaction is handed out unless it holds.
pub struct Manager {
    member: Member,
    _proof: Proof,
}

/// A caller acting as an admin of the tenant; verified like [`Manager`].
pub struct Admin {
    member: Member,
    _proof: Proof,
}

async fn begin_with_role(member: &Member, min: TenantRole) -> Result<Tx, ApiError> {
    with_role(member.tx().await?, min).await
}

/// `tx` with the caller's role checked by its first statement.
async fn with_role(mut tx: Tx, min: TenantRole) -> Result<Tx, ApiError> {
    let role = tx.tenant_role().await.map_err(CoreError::from)?;
    if role < min {
        return Err(ApiError::forbidden(match min {
            TenantRole::Admin => "only admins of this tenant may do this",
            _ => "only managers and admins of this tenant may do this",
        }));
    }
    Ok(tx)
}

impl Manager {
    pub fn tenant(&self) -> TenantId {
        self.member.tenant
    }

    pub async fn begin(&self) -> Result<Tx, ApiError> {
        begin_with_role(&self.member, TenantRole::Manager).await
    }
}

impl Admin {
    pub fn tenant(&self) -> TenantId {
        self.member.tenant
    }

    pub fn caller(&self) -> &Caller {
        self.member.caller()
    }

    pub async fn begin(&self) -> Result<Tx, ApiError> {
        begin_with_role(&self.member, TenantRole::Admin).await
    }

    /// A read-only transaction on one snapshot (exports), the admin's role checked in it.
    pub async fn begin_snapshot(&self) -> Result<Tx, ApiError> {
        let tx = self.member.tx().await?.snapshot().map_err(CoreError::from)?;
        with_role(tx, TenantRole::Admin).await
    }
}

impl FromRequestParts<AppState> for Manager {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self {
            member: Member::from_request_parts(parts, state).await?,
            _proof: Proof,
        })
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self {
            member: Member::from_request_parts(parts, state).await?,
            _proof: Proof,
        })
    }
}
