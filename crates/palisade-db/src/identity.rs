//! What a context carries besides who is acting (the ids, role and principal are in
//! `palisade-types`): the session to check, the purpose of a service context, and the request id.
use uuid::Uuid;

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
    /// An operator's company export: reads what the tenant's admins read (migration 0034).
    CompanyExport,
    /// The retention sweep: deletes what is past a tenant's periods (migration 0036).
    Retention,
    /// A terminated tenant's export during its grace period, and its purge (migration 0037).
    Termination,
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
            Self::CompanyExport => "company_export",
            Self::Retention => "retention",
            Self::Termination => "termination",
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
    fn correlation_ids_from_clients_are_sanitised() {
        assert_eq!(CorrelationId::from_client("abc-123").as_str(), "abc-123");
        assert_ne!(CorrelationId::from_client("bad\nvalue").as_str(), "bad\nvalue");
        assert_ne!(CorrelationId::from_client(&"x".repeat(129)).as_str().len(), 129);
        assert!(!CorrelationId::from_client("").as_str().is_empty());
    }
}
