//! The registry's tables in the `audit` and `auth` schemas, and the tables with no personal data.
use super::{Erasure, Impersonal, Kind, Path, Table};

/// Audit rows that name a person by id only, once the person's own row is de-identified.
const IDS_ONLY: &str = "an id of a de-identified person, part of the tenant's tamper-evident record";

/// The tables of the `audit` and `auth` schemas that hold personal data.
// rustfmt would put every column name on a line of its own.
#[rustfmt::skip]
pub const TABLES: &[Table] = &[
    Table {
        name: "audit.events",
        personal: &[
            ("row_key", Kind::ExternalId),
            ("actor_user_id", Kind::PersonId),
            ("lead_id", Kind::LeadId),
            ("owner_id", Kind::PersonId),
            ("before", Kind::Json),
            ("after", Kind::Json),
        ],
        other: &[
            "id", "chain_id", "tenant_id", "table_name", "op", "actor_kind", "actor_role", "purpose", "correlation_id",
            "private", "content_hash", "redacted_at", "occurred_at",
        ],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Redact),
            (Path::AuditOfPerson("row_key"), Erasure::Redact),
            (Path::AuditOfInvitation, Erasure::Redact),
            // What a person did is the tenant's record; their id stays (hashed into the chain, and
            // frozen by audit.forbid_mutation) and names a de-identified person.
            (Path::Person("actor_user_id"), Erasure::Keep(IDS_ONLY)),
            // Private events never hold content (0007): only the owner's id, as above.
            (Path::Person("owner_id"), Erasure::Keep(IDS_ONLY)),
        ],
        rep_private: false,
    },
    Table {
        name: "audit.access_events",
        personal: &[
            ("actor_user_id", Kind::PersonId),
            ("target_id", Kind::ExternalId),
            ("detail", Kind::Json),
            ("client_ip", Kind::NetworkTrace),
        ],
        other: &["id", "tenant_id", "actor_kind", "purpose", "action", "target_type", "correlation_id", "occurred_at"],
        paths: &[(
            Path::Person("actor_user_id"),
            Erasure::Keep("who read or changed what is the accountability record (ASVS V7); it names no lead's content"),
        )],
        rep_private: false,
    },
    Table {
        name: "audit.event_windows",
        personal: &[
            ("grouping", Kind::ExternalId),
            ("actor_user_id", Kind::PersonId),
            ("detail", Kind::Json),
            ("client_ip", Kind::NetworkTrace),
            ("client_ips", Kind::NetworkTrace),
        ],
        other: &["window_start", "tenant_id", "action", "purpose", "occurrences", "first_at", "last_at"],
        paths: &[(
            Path::Person("actor_user_id"),
            Erasure::Keep("folded into audit.access_events within minutes; kept as they are"),
        )],
        rep_private: false,
    },
    Table {
        name: "auth.sessions",
        personal: &[
            ("user_id", Kind::PersonId),
            ("secret_hash", Kind::Credential),
            ("user_agent", Kind::NetworkTrace),
            ("client_ip", Kind::NetworkTrace),
        ],
        other: &[
            "id", "kind", "method", "mfa_required", "mfa_verified_at", "mfa_failures", "created_at", "last_seen_at",
            "expires_at", "ended_at", "end_reason",
        ],
        paths: &[(Path::Person("user_id"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "auth.refresh_tokens",
        personal: &[("token_hash", Kind::Credential)],
        other: &["session_id", "issued_at", "used_at"],
        paths: &[(Path::Session("session_id"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "auth.magic_links",
        personal: &[("email", Kind::Email), ("token_hash", Kind::Credential), ("nonce_hash", Kind::Credential)],
        other: &["created_at", "expires_at", "used_at"],
        paths: &[(Path::PersonEmail("email"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "auth.totp_factors",
        personal: &[("user_id", Kind::PersonId), ("secret_sealed", Kind::Credential)],
        other: &["key_id", "confirmed_at", "last_used_step", "created_at"],
        paths: &[(Path::Person("user_id"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "auth.recovery_codes",
        personal: &[("user_id", Kind::PersonId), ("code_hash", Kind::Credential)],
        other: &["used_at"],
        paths: &[(Path::Person("user_id"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "auth.password_credentials",
        personal: &[("user_id", Kind::PersonId), ("hash", Kind::Credential)],
        other: &["updated_at"],
        paths: &[(Path::Person("user_id"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "auth.identities",
        personal: &[
            ("user_id", Kind::PersonId),
            ("issuer", Kind::ExternalId),
            ("subject", Kind::ExternalId),
            ("email", Kind::Email),
        ],
        other: &["id", "created_at", "last_used_at"],
        paths: &[
            (Path::Person("user_id"), Erasure::Delete),
            // An identity of another account that carries the same address is that account's.
            (Path::PersonEmail("email"), Erasure::Keep("another account's identity with the same address is that account's")),
        ],
        rep_private: false,
    },];

/// Tables that hold no personal data. Their columns are listed too, so a new one is classified.
#[rustfmt::skip]
pub const NO_PERSONAL_DATA: &[Impersonal] = &[
    Impersonal { name: "app.assistant_tasks", columns: &["tenant_id", "id", "kind", "interaction_id", "status", "attempts", "not_before", "outcome", "created_at", "updated_at"], why: "the assistant's queue: an interaction's id, a status and a stable code; no text, and it goes with its interaction" },
    Impersonal { name: "app.knowledge_entries", columns: &["tenant_id", "id", "kind", "title", "body", "language", "created_at", "updated_at"], why: "the company's own help content for its customers (FAQ answers, documents), not records about a person" },
    Impersonal { name: "app.knowledge_passages", columns: &["tenant_id", "entry_id", "ord", "language", "heading", "text", "search"], why: "the knowledge base's entries split for retrieval: derived from them, rebuilt with them" },
    Impersonal { name: "app.ai_settings", columns: &["tenant_id", "monthly_budget_micros", "drafting", "coaching", "auto_reply_channels", "forbidden_topics", "mask_iban", "mask_us_ssn", "mask_uk_nino", "mask_patterns", "quiet_hours_start", "quiet_hours_end", "time_zone", "created_at", "updated_at"], why: "the company's choices for its assistant: topics and patterns are its own words, set by admins (who set them is in the audit trail)" },
    Impersonal { name: "app.ai_usage", columns: &["tenant_id", "id", "purpose", "model", "status", "reserved_micros", "cost_micros", "prompt_tokens", "completion_tokens", "masked", "created_at", "settled_at"], why: "what each call to the model cost: names no person (who asked for a draft is rep-private) and holds no prompt" },
    Impersonal { name: "app.crm_sync_runs", columns: &["tenant_id", "portal_id", "lease_until", "lease_token", "next_run_at", "last_run_at", "last_success_at", "last_error", "last_error_at", "consecutive_failures", "error_reported_at", "records_out", "created_at", "updated_at"], why: "the HubSpot sync's schedule and health: times, counts and stable codes" },
    Impersonal { name: "app.crm_sync_cursors", columns: &["tenant_id", "object", "window_start", "pass_started_at", "after_id", "pass_total", "pass_done", "backfilled_at", "records_in", "skipped", "created_at", "updated_at"], why: "where reading HubSpot stopped: a time window, an id bound and counts" },
    Impersonal { name: "app.deal_stage_totals", columns: &["tenant_id", "stage", "currency", "slot", "deals", "amount_cents"], why: "sums of deal amounts by stage: no person, no lead" },
    Impersonal { name: "app.error_events", columns: &["id", "fingerprint", "severity", "surface", "tenant_id", "code", "message", "correlation_id", "count", "first_seen", "last_seen"], why: "fixed messages and codes by design (0008): never a person's data" },
    Impersonal { name: "app.incident_tenants", columns: &["incident_id", "tenant_id", "notified_at", "recipients"], why: "which tenant an incident touched and how many were told" },
    Impersonal { name: "audit.chain_links", columns: &["chain_id", "seq", "event_id", "occurred_at", "hash"], why: "sequence numbers and hashes of audit events" },
    Impersonal { name: "audit.chain_heads", columns: &["chain_id", "seq", "hash", "updated_at"], why: "the last hash of each chain" },
    Impersonal { name: "audit.chain_anchors", columns: &["chain_id", "seq", "hash", "created_at"], why: "periodic anchors of each chain's hash" },
    Impersonal { name: "audit.pending", columns: &["event_id", "occurred_at"], why: "ids of events not yet linked into their chain" },
    Impersonal { name: "audit.settings", columns: &["id", "retention_months"], why: "the retention period" },
    Impersonal { name: "palisade_meta.key_checks", columns: &["keyring", "key_id", "check_value", "first_seen"], why: "check values of the configured keys" },
    Impersonal { name: "palisade_meta.schema_migrations", columns: &["version", "name", "checksum", "applied_at"], why: "the migrations applied" },
];
