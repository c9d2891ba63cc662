//! Bearer-token authentication and role capabilities.
//!
//! [`Caller`] proves a valid token. [`Member`] additionally names the tenant the token is scoped to;
//! whether the caller is still an active member is checked by the database together with the first
//! statement (no extra round trip). [`Manager`] and [`Admin`] hand out a transaction only after the
//! database confirmed the caller's role, in the same round trip that begins it.
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use palisade_core::CoreError;
use palisade_db::{Db, Principal, TenantId, TenantRole, Tx, UserId};

use super::RequestId;
use crate::error::ApiError;
use crate::state::AppState;

/// A verified access token.
pub struct Caller {
    pub principal: Principal,
    db: Db,
    correlation: palisade_db::CorrelationId,
}

impl Caller {
    pub fn user_id(&self) -> UserId {
        self.principal.user_id
    }

    /// The request id (for transactions opened in another context).
    pub fn correlation_id(&self) -> palisade_db::CorrelationId {
        self.correlation.clone()
    }

    /// A user-context transaction that is not scoped to any tenant (tenant lists, tenant creation).
    pub async fn tx(&self) -> Result<Tx, ApiError> {
        let principal = Principal {
            user_id: self.principal.user_id,
            tenant_id: None,
        };
        Ok(self.db.user(&principal).await?)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthenticated("an Authorization: Bearer token is required"))?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthenticated("the Authorization header must be `Bearer <token>`"))?;
        let principal = state.keys.verify(token).map_err(|e| match e {
            palisade_auth::TokenError::Expired => ApiError::unauthenticated("the access token has expired"),
            _ => ApiError::unauthenticated("the access token is invalid"),
        })?;
        let RequestId(correlation) = RequestId::from_request_parts(parts, state)
            .await
            .unwrap_or_else(|e| match e {});
        Ok(Self {
            principal,
            db: state.db.correlated(correlation.clone()),
            correlation,
        })
    }
}

/// A caller acting in the tenant their token is scoped to.
pub struct Member {
    pub user: UserId,
    pub tenant: TenantId,
    db: Db,
}

impl Member {
    /// A user-context transaction in the tenant; fails with 403 `not_a_member` on its first statement
    /// unless the caller is an active member.
    pub async fn tx(&self) -> Result<Tx, ApiError> {
        Ok(self
            .db
            .user(&Principal {
                user_id: self.user,
                tenant_id: Some(self.tenant),
            })
            .await?)
    }
}

impl FromRequestParts<AppState> for Member {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let tenant = caller.principal.tenant_id.ok_or_else(|| {
            ApiError::forbidden("this access token is not scoped to a tenant; mint one with --tenant")
        })?;
        Ok(Self {
            user: caller.principal.user_id,
            tenant,
            db: caller.db,
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
    let mut tx = member.tx().await?;
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

    pub async fn begin(&self) -> Result<Tx, ApiError> {
        begin_with_role(&self.member, TenantRole::Admin).await
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
