//! Who is acting: ids as newtypes, the tenant role, the principal, and service purposes.
use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
#[error("not a valid id")]
pub struct IdParseError;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| IdParseError)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A tenant (customer organisation).
    TenantId
);
uuid_id!(
    /// A person, global across tenants.
    UserId
);

/// A member's role in one tenant. Ordered: rep < manager < admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantRole {
    Rep,
    Manager,
    Admin,
}

impl TenantRole {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rep => "rep",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rep" => Some(Self::Rep),
            "manager" => Some(Self::Manager),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A verified caller: a person, optionally acting in one tenant. Whether they are (still) an active
/// member there is decided by the database on every statement, not by whoever built this value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub tenant_id: Option<TenantId>,
}

/// The session a user context runs in, checked by the database's session gate in the same flight as
/// the first statement (migration 0010). `now` comes from the server's clock, so tests can move it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionCheck {
    pub session_id: uuid::Uuid,
    /// SHA-256 of a browser session's cookie secret; `None` for an API session, whose access token
    /// the server signed.
    pub secret_hash: Option<[u8; 32]>,
    pub now: chrono::DateTime<chrono::Utc>,
    /// A session unused for this long is over.
    pub idle: std::time::Duration,
}

/// Why a service context runs; recorded with the context (audit uses it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Webhook,
    Cron,
    Sync,
    Delivery,
    /// AI output written for a member (coaching observations, drafts).
    Assistant,
    /// An operator command run from the CLI.
    Operator,
    /// Platform upkeep: audit partitions and retention, incident notices.
    Maintenance,
    /// Recording a failure (error events).
    ErrorReport,
    /// A privacy erasure (may redact audit content of a deleted lead).
    Erasure,
}

impl Purpose {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Webhook => "webhook",
            Self::Cron => "cron",
            Self::Sync => "sync",
            Self::Delivery => "delivery",
            Self::Assistant => "assistant",
            Self::Operator => "operator",
            Self::Maintenance => "maintenance",
            Self::ErrorReport => "error_report",
            Self::Erasure => "erasure",
        }
    }
}

/// The request id, carried into the database as `palisade.correlation_id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorrelationId(String);

impl CorrelationId {
    /// Accepts printable ASCII up to 128 characters; anything else is replaced by a fresh id, so a
    /// client cannot smuggle control characters into logs or the audit trail.
    pub fn from_client(value: &str) -> Self {
        if !value.is_empty() && value.len() <= 128 && value.bytes().all(|b| b.is_ascii_graphic()) {
            Self(value.to_owned())
        } else {
            Self::generate()
        }
    }

    pub fn generate() -> Self {
        Self(Uuid::now_v7().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(TenantRole::Rep < TenantRole::Manager && TenantRole::Manager < TenantRole::Admin);
        for r in [TenantRole::Rep, TenantRole::Manager, TenantRole::Admin] {
            assert_eq!(TenantRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(TenantRole::parse("owner"), None);
    }

    #[test]
    fn correlation_ids_from_clients_are_sanitised() {
        assert_eq!(CorrelationId::from_client("abc-123").as_str(), "abc-123");
        assert_ne!(CorrelationId::from_client("bad\nvalue").as_str(), "bad\nvalue");
        assert_ne!(CorrelationId::from_client(&"x".repeat(129)).as_str().len(), 129);
        assert!(!CorrelationId::from_client("").as_str().is_empty());
    }

    #[test]
    fn ids_parse_only_uuids() {
        assert!("not-a-uuid".parse::<TenantId>().is_err());
        let id = Uuid::new_v4();
        assert_eq!(id.to_string().parse::<UserId>().unwrap().as_uuid(), &id);
    }
}
