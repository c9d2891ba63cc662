//! The access log (`audit.access_events`): sensitive reads and security-relevant actions. The actor
//! comes from the transaction's context, never from the caller; a context may only log for the
//! tenant it acts in.
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::page_query::ListQuery;
use crate::CoreError;

/// Every action the access log holds (the database's vocabulary, migration 0026).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    AuditExport,
    DataExport,
    PhoneReveal,
    SecretDecrypt,
    SignIn,
    /// Counted: one event per person, method, reason and five-minute window (`detail.count`).
    SignInFailed,
    SignOut,
    /// A person ended their other sessions, or an admin signed a member out of the tenant.
    SessionsEnded,
    RefreshTokenReuse,
    MfaChange,
    MfaVerified,
    MfaFailed,
    PasswordChange,
    RoleChange,
    MemberAdded,
    MemberRemoved,
    MemberSuspended,
    MemberReinstated,
    /// A member left the tenant themselves.
    MemberLeft,
    SettingsChange,
    /// Audit content blanked for an erasure (written by the database).
    AuditRedaction,
    IdentityLinked,
    IdentityUnlinked,
    /// A provider webhook whose signature did not verify, counted like `sign_in_failed` per
    /// provider and reason (never the payload).
    WebhookRejected,
    PlatformAdminGranted,
    PlatformAdminRevoked,
    /// An admin asked for a subject's erasure (the target is the erasure's receipt).
    Erasure,
    /// A person deleted their own account (written by the database; the detail counts the rows).
    AccountDeleted,
    /// An admin ended the tenant (written by the database; the detail holds when its purge may start).
    TenantTerminating,
    /// An admin canceled the tenant's termination during its grace period (written by the database).
    TenantTerminationCanceled,
}

impl AccessAction {
    /// Every action, in the order above (filters offer them all).
    pub const ALL: [AccessAction; 30] = [
        Self::AuditExport,
        Self::DataExport,
        Self::PhoneReveal,
        Self::SecretDecrypt,
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::SessionsEnded,
        Self::RefreshTokenReuse,
        Self::MfaChange,
        Self::MfaVerified,
        Self::MfaFailed,
        Self::PasswordChange,
        Self::RoleChange,
        Self::MemberAdded,
        Self::MemberRemoved,
        Self::MemberSuspended,
        Self::MemberReinstated,
        Self::MemberLeft,
        Self::SettingsChange,
        Self::AuditRedaction,
        Self::IdentityLinked,
        Self::IdentityUnlinked,
        Self::WebhookRejected,
        Self::PlatformAdminGranted,
        Self::PlatformAdminRevoked,
        Self::Erasure,
        Self::AccountDeleted,
        Self::TenantTerminating,
        Self::TenantTerminationCanceled,
    ];

    /// The action a word names, as the database writes it.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == word)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AuditExport => "audit_export",
            Self::DataExport => "data_export",
            Self::PhoneReveal => "phone_reveal",
            Self::SecretDecrypt => "secret_decrypt",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignOut => "sign_out",
            Self::SessionsEnded => "sessions_ended",
            Self::RefreshTokenReuse => "refresh_token_reuse",
            Self::MfaChange => "mfa_change",
            Self::MfaVerified => "mfa_verified",
            Self::MfaFailed => "mfa_failed",
            Self::PasswordChange => "password_change",
            Self::RoleChange => "role_change",
            Self::MemberAdded => "member_added",
            Self::MemberRemoved => "member_removed",
            Self::MemberSuspended => "member_suspended",
            Self::MemberReinstated => "member_reinstated",
            Self::MemberLeft => "member_left",
            Self::SettingsChange => "settings_change",
            Self::AuditRedaction => "audit_redaction",
            Self::IdentityLinked => "identity_linked",
            Self::IdentityUnlinked => "identity_unlinked",
            Self::WebhookRejected => "webhook_rejected",
            Self::PlatformAdminGranted => "platform_admin_granted",
            Self::PlatformAdminRevoked => "platform_admin_revoked",
            Self::Erasure => "erasure",
            Self::AccountDeleted => "account_deleted",
            Self::TenantTerminating => "tenant_terminating",
            Self::TenantTerminationCanceled => "tenant_termination_canceled",
        }
    }
}

/// What was accessed. `detail` holds structured facts (filters, counts, roles), never secrets,
/// phone numbers or message bodies.
#[derive(Debug, Clone)]
pub struct Access<'a> {
    pub action: AccessAction,
    pub target_type: Option<&'a str>,
    pub target_id: Option<String>,
    pub detail: serde_json::Value,
    pub client_ip: Option<IpAddr>,
}

#[instrument(skip_all, fields(action = access.action.as_str()), err(level = "debug"))]
pub async fn log(tx: &mut Tx, tenant: Option<TenantId>, access: &Access<'_>) -> Result<(), CoreError> {
    tx.execute(
        "select audit.log_access($1, $2, $3, $4, $5, $6)",
        &[
            &tenant.map(|t| *t.as_uuid()),
            &access.action.as_str(),
            &access.target_type,
            &access.target_id,
            &access.detail,
            &access.client_ip,
        ],
    )
    .await?;
    Ok(())
}

/// Counts one rejected webhook for the tenant (service context). Anyone can send one, so the database
/// keeps a counter per provider, reason and five-minute window, and writes a single access event with
/// the count when the window is over (migration 0028), however many requests came.
#[instrument(skip_all, err(level = "debug"))]
pub async fn count_webhook_rejection(
    tx: &mut Tx,
    tenant: TenantId,
    provider: &str,
    reason: &str,
) -> Result<(), CoreError> {
    let detail = serde_json::json!({ "provider": provider, "reason": reason });
    tx.execute(
        "select audit.count_access($1, 'webhook_rejected', null, $2, null)",
        &[tenant.as_uuid(), &detail],
    )
    .await?;
    Ok(())
}

/// Writes the access event of every counting window that ended by `now` (system context; the
/// `security_event_windows` job). Returns how many were written.
pub async fn close_windows(tx: &mut Tx, now: DateTime<Utc>) -> Result<u64, CoreError> {
    let row = tx
        .query_one("select audit.close_event_windows($1) as written", &[&now])
        .await?;
    Ok(u64::try_from(row.try_get::<_, i32>("written")?).unwrap_or(0))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEvent {
    /// Also the pagination cursor.
    pub id: i64,
    pub action: String,
    pub actor_user_id: Option<Uuid>,
    pub actor_kind: String,
    pub purpose: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub client_ip: Option<String>,
    pub correlation_id: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AccessFilter {
    #[param(value_type = Option<AccessAction>, inline)]
    pub action: Option<AccessAction>,
    pub actor_id: Option<Uuid>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessPage {
    pub items: Vec<AccessEvent>,
    pub next_cursor: Option<i64>,
}

const COLUMNS: &str =
    "id, action, actor_user_id, actor_kind, purpose, target_type, target_id, detail, client_ip, \
    correlation_id, occurred_at";

impl FromRow for AccessEvent {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            action: row.try_get("action")?,
            actor_user_id: row.try_get("actor_user_id")?,
            actor_kind: row.try_get("actor_kind")?,
            purpose: row.try_get("purpose")?,
            target_type: row.try_get("target_type")?,
            target_id: row.try_get("target_id")?,
            detail: row.try_get("detail")?,
            client_ip: row
                .try_get::<_, Option<IpAddr>>("client_ip")?
                .map(|ip| ip.to_string()),
            correlation_id: row.try_get("correlation_id")?,
            occurred_at: row.try_get("occurred_at")?,
        })
    }
}

/// Newest first; admins of the tenant only (the policy returns nothing to anyone else).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(tx: &mut Tx, tenant: TenantId, filter: &AccessFilter) -> Result<AccessPage, CoreError> {
    let limit = crate::page::page_limit(filter.limit)?;
    let rows = ListQuery::new("audit.access_events", COLUMNS, tenant)
        .filter("action", "=", filter.action.map(AccessAction::as_str))
        .filter("actor_user_id", "=", filter.actor_id)
        .fetch(tx, filter.cursor, limit)
        .await?;
    let mut items = rows
        .iter()
        .map(AccessEvent::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let max = usize::try_from(limit).unwrap_or(usize::MAX);
    let next_cursor = if items.len() > max {
        items.truncate(max);
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AccessPage { items, next_cursor })
}
