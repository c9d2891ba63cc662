//! The registry's tables in the `app` schema.
use super::{Erasure, Kind, Path, Table};

/// Suppressions outlive everything else about a number or address.
const NEVER_AGAIN: &str =
    "a STOP or an erasure must outlive the subject's data, so they are never messaged again";

/// Kept as consent evidence (0019: append-only, never updated).
const CONSENT_EVIDENCE: &str =
    "consent and its withdrawal are evidence a regulator may ask for (TCPA, GDPR Art. 7(1))";

/// The tables of the `app` schema that hold personal data.
// rustfmt would put every column name on a line of its own.
#[rustfmt::skip]
pub const TABLES: &[Table] = &[
    Table {
        name: "app.users",
        personal: &[("id", Kind::PersonId), ("email", Kind::Email), ("display_name", Kind::Name)],
        other: &["created_at", "updated_at", "disabled_at"],
        paths: &[(Path::PersonRow, Erasure::Deidentify), (Path::PersonEmail("email"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.platform_admins",
        personal: &[("user_id", Kind::PersonId)],
        other: &["created_at"],
        paths: &[(Path::Person("user_id"), Erasure::Delete)],
        rep_private: false,
    },
    Table {
        name: "app.tenants",
        personal: &[("inbound_owner_id", Kind::PersonId)],
        other: &[
            "id", "slug", "name", "status", "created_at", "updated_at", "require_mfa", "sign_in_methods",
            "email_domains", "phone_region", "help_text", "unknown_senders",
        ],
        paths: &[(Path::Person("inbound_owner_id"), Erasure::Clear)],
        rep_private: false,
    },
    Table {
        name: "app.memberships",
        personal: &[("user_id", Kind::PersonId)],
        other: &["tenant_id", "role", "status", "created_at", "updated_at", "status_changed_at", "sessions_revoked_at"],
        paths: &[(Path::Person("user_id"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.leads",
        personal: &[
            ("id", Kind::LeadId),
            ("owner_id", Kind::PersonId),
            ("name", Kind::Name),
            ("email", Kind::Email),
            ("email_index", Kind::BlindIndex),
            ("phone_sealed", Kind::SealedPhone),
            ("phone_index", Kind::BlindIndex),
            ("source", Kind::FreeText),
            ("hubspot_id", Kind::ExternalId),
        ],
        other: &["tenant_id", "status", "created_at", "updated_at", "hubspot_modified_at"],
        paths: &[
            (Path::LeadRow, Erasure::Delete),
            (Path::LeadIndex("phone_index"), Erasure::Delete),
            (Path::LeadIndex("email_index"), Erasure::Delete),
            (Path::LeadEmail("email"), Erasure::Delete),
            (Path::Person("owner_id"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.deals",
        personal: &[
            ("lead_id", Kind::LeadId),
            ("owner_id", Kind::PersonId),
            ("title", Kind::FreeText),
            ("product", Kind::FreeText),
        ],
        other: &[
            "tenant_id", "id", "stage", "amount_cents", "currency", "closed_at", "created_at", "updated_at", "hubspot_id",
            "hubspot_modified_at",
        ],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Delete),
            (Path::Person("owner_id"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.interactions",
        personal: &[("lead_id", Kind::LeadId), ("actor_id", Kind::PersonId), ("body", Kind::FreeText)],
        other: &["tenant_id", "id", "channel", "direction", "occurred_at", "advised", "created_at", "updated_at"],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Delete),
            (Path::Person("actor_id"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.activity_daily",
        personal: &[("actor_id", Kind::PersonId)],
        other: &["tenant_id", "day", "slot", "interactions"],
        paths: &[(Path::Person("actor_id"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.coaching_observations",
        personal: &[
            ("owner_id", Kind::PersonId),
            ("lead_id", Kind::LeadId),
            ("observation", Kind::FreeText),
        ],
        other: &["tenant_id", "id", "category", "source", "created_at", "updated_at"],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Delete),
            (Path::Person("owner_id"), Erasure::Delete),
        ],
        rep_private: true,
    },
    Table {
        name: "app.drafts",
        personal: &[
            ("owner_id", Kind::PersonId),
            ("lead_id", Kind::LeadId),
            ("subject", Kind::FreeText),
            ("body", Kind::FreeText),
        ],
        other: &["tenant_id", "id", "channel", "source", "created_at", "updated_at"],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Delete),
            (Path::Person("owner_id"), Erasure::Delete),
        ],
        rep_private: true,
    },
    Table {
        name: "app.voice_samples",
        personal: &[
            ("owner_id", Kind::PersonId),
            ("label", Kind::Name),
            ("storage_key", Kind::ExternalId),
            ("transcript", Kind::FreeText),
        ],
        other: &["tenant_id", "id", "duration_ms", "created_at", "updated_at"],
        paths: &[(Path::Person("owner_id"), Erasure::Delete)],
        rep_private: true,
    },
    Table {
        name: "app.voice_consents",
        personal: &[("owner_id", Kind::PersonId)],
        other: &["tenant_id", "id", "text_version", "granted_at", "withdrawn_at", "created_at", "updated_at"],
        paths: &[(Path::Person("owner_id"), Erasure::Delete)],
        rep_private: true,
    },
    Table {
        name: "app.member_phones",
        personal: &[
            ("owner_id", Kind::PersonId),
            ("phone_sealed", Kind::SealedPhone),
            ("phone_index", Kind::BlindIndex),
        ],
        other: &["tenant_id", "verified_at", "created_at", "updated_at"],
        paths: &[(Path::Person("owner_id"), Erasure::Delete)],
        rep_private: true,
    },
    Table {
        name: "app.phone_verifications",
        personal: &[
            ("owner_id", Kind::PersonId),
            ("phone_index", Kind::BlindIndex),
            ("code_sha256", Kind::Credential),
        ],
        other: &["tenant_id", "attempts", "expires_at", "created_at"],
        paths: &[(Path::Person("owner_id"), Erasure::Delete)],
        rep_private: true,
    },
    Table {
        name: "app.brief_preferences",
        personal: &[("owner_id", Kind::PersonId), ("time_zone", Kind::Location)],
        other: &["tenant_id", "send_hour", "created_at", "updated_at"],
        paths: &[(Path::Person("owner_id"), Erasure::Delete)],
        rep_private: true,
    },
    Table {
        name: "app.consent_events",
        personal: &[
            ("lead_id", Kind::LeadId),
            ("member_id", Kind::PersonId),
            ("actor_id", Kind::PersonId),
            ("provider_message_id", Kind::ExternalId),
        ],
        other: &[
            "tenant_id", "id", "channel", "purpose", "action", "source", "form_version", "consent_text_sha256",
            "occurred_at", "created_at",
        ],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Keep(CONSENT_EVIDENCE)),
            (Path::Person("member_id"), Erasure::Keep(CONSENT_EVIDENCE)),
            (Path::Person("actor_id"), Erasure::Keep(CONSENT_EVIDENCE)),
        ],
        rep_private: false,
    },
    Table {
        name: "app.suppressions",
        personal: &[("address_index", Kind::BlindIndex)],
        other: &["tenant_id", "channel", "reason", "created_at"],
        paths: &[
            (Path::LeadIndex("address_index"), Erasure::Keep(NEVER_AGAIN)),
            (Path::PersonIndex("address_index"), Erasure::Keep(NEVER_AGAIN)),
        ],
        rep_private: false,
    },
    Table {
        name: "app.outbound_messages",
        personal: &[
            ("lead_id", Kind::LeadId),
            ("member_id", Kind::PersonId),
            ("created_by", Kind::PersonId),
            ("subject", Kind::FreeText),
            ("body", Kind::FreeText),
            ("provider_message_id", Kind::ExternalId),
        ],
        other: &[
            "tenant_id", "id", "channel", "purpose", "status", "attempts", "next_attempt_at", "last_error", "created_at",
            "updated_at", "sent_at", "brief_on", "template_id", "written_by_ai",
        ],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Delete),
            (Path::Person("member_id"), Erasure::Delete),
            (Path::Person("created_by"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.message_templates",
        personal: &[
            ("created_by", Kind::PersonId),
            ("name", Kind::FreeText),
            ("subject", Kind::FreeText),
            ("body", Kind::FreeText),
        ],
        other: &["tenant_id", "id", "channel", "purpose", "created_at", "updated_at"],
        paths: &[(Path::Person("created_by"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.invitations",
        personal: &[
            ("email", Kind::Email),
            ("invited_by", Kind::PersonId),
            ("accepted_by", Kind::PersonId),
            ("token_hash", Kind::Credential),
        ],
        other: &["tenant_id", "id", "role", "expires_at", "accepted_at", "revoked_at", "created_at", "updated_at"],
        paths: &[
            (Path::PersonEmail("email"), Erasure::Delete),
            (Path::Person("accepted_by"), Erasure::Delete),
            (Path::Person("invited_by"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.integrations",
        // config holds the sending address and numbers, often a person's own at a small firm.
        personal: &[("set_by", Kind::PersonId), ("config", Kind::Json), ("secret_sealed", Kind::Credential)],
        other: &["tenant_id", "provider", "key_id", "last_four", "status", "set_at", "created_at", "updated_at"],
        paths: &[(Path::Person("set_by"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.incidents",
        personal: &[
            ("declared_by", Kind::PersonId),
            ("title", Kind::FreeText),
            ("description", Kind::FreeText),
        ],
        other: &["id", "severity", "status", "declared_at", "notify_deadline", "resolved_at", "created_at", "updated_at"],
        paths: &[(Path::Person("declared_by"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.erasures",
        personal: &[("requested_by", Kind::PersonId), ("pending_leads", Kind::LeadId)],
        other: &[
            "tenant_id", "id", "subject_kind", "status", "leads_total", "counts", "correlation_id", "created_at",
            "updated_at", "finished_at", "requested_via",
        ],
        paths: &[
            (Path::LeadList("pending_leads"), Erasure::Keep("the erasure's own list of leads still to erase; each id leaves it as its lead goes")),
            (Path::Person("requested_by"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.crm_connections",
        personal: &[("connected_by", Kind::PersonId), ("tokens_sealed", Kind::Credential)],
        other: &[
            "tenant_id", "kind", "portal_id", "hub_domain", "scopes", "key_id", "last_four", "access_expires_at", "status",
            "failure", "write_back", "gdpr_delete", "connected_at", "refreshed_at", "created_at", "updated_at",
        ],
        paths: &[(Path::Person("connected_by"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.crm_outbox",
        // `local_id` is a deal's or an interaction's id, `remote_id` HubSpot's key of what was written
        // (or of an erased lead's contact: the GDPR delete to send, or the tombstone that keeps the sync
        // from recreating the lead): keys, not data about a person; they go with the HubSpot account.
        personal: &[("created_by", Kind::PersonId)],
        other: &[
            "tenant_id", "id", "kind", "local_id", "remote_id", "status", "attempts", "not_before", "sent_at", "outcome",
            "created_at", "updated_at",
        ],
        paths: &[(Path::Person("created_by"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.assistant_holds",
        personal: &[("lead_id", Kind::LeadId), ("released_by", Kind::PersonId)],
        other: &["tenant_id", "channel", "reason", "held_at", "released_at", "created_at", "updated_at"],
        paths: &[
            (Path::Lead("lead_id"), Erasure::Delete),
            (Path::Person("released_by"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.retention_settings",
        personal: &[("set_by", Kind::PersonId)],
        other: &["tenant_id", "data_class", "keep_days", "updated_at"],
        paths: &[(Path::Person("set_by"), Erasure::Deidentify)],
        rep_private: false,
    },
    Table {
        name: "app.terminations",
        personal: &[("requested_by", Kind::PersonId), ("canceled_by", Kind::PersonId)],
        other: &[
            "id", "tenant_id", "requested_at", "purge_after", "canceled_at", "purge_started_at", "purged_at",
            "counts", "updated_at",
        ],
        paths: &[
            (Path::Person("requested_by"), Erasure::Deidentify),
            (Path::Person("canceled_by"), Erasure::Deidentify),
        ],
        rep_private: false,
    },
    Table {
        name: "app.webhook_events",
        personal: &[("event_id", Kind::ExternalId), ("result", Kind::Json)],
        other: &["tenant_id", "provider", "kind", "status", "received_at"],
        paths: &[],
        rep_private: false,
    },
];
