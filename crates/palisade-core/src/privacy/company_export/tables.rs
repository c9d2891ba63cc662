//! Which tables a company export holds, which rows of each, and which it leaves out and why. A test
//! (`tests/db/company_export.rs`) fails when a table of the registry is in neither list.

/// One exported table. Rows are those of the export's tenant that `rows` admits (the table is `t`);
/// columns are the registry's, in the table's order, without credentials, blind indexes, sealed
/// values (a lead's number is opened into `phone`) and the columns in `omit`.
#[derive(Clone, Copy, Debug)]
pub struct ExportTable {
    pub name: &'static str,
    /// The file's name without extension, and the table's name in the API.
    pub file: &'static str,
    pub rows: &'static str,
    /// Columns an admin may not read.
    pub omit: &'static [&'static str],
}

const TENANT: &str = "t.tenant_id = (select ctx.scoped_tenant_id())";

/// The tables in the order an export writes them: the tenant and its people first, then the work,
/// then the trail.
pub const EXPORTED: &[ExportTable] = &[
    ExportTable {
        name: "app.tenants",
        file: "tenant",
        rows: "t.id = (select ctx.scoped_tenant_id())",
        omit: &[],
    },
    // Everyone who belongs to the tenant now (suspended included); a removed member's row is theirs.
    ExportTable {
        name: "app.users",
        file: "users",
        rows: "exists (select from app.memberships m where m.user_id = t.id \
               and m.tenant_id = (select ctx.scoped_tenant_id()) and m.status <> 'removed')",
        omit: &[],
    },
    ExportTable {
        name: "app.memberships",
        file: "memberships",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.invitations",
        file: "invitations",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.leads",
        file: "leads",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.deals",
        file: "deals",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.interactions",
        file: "interactions",
        rows: TENANT,
        omit: &[],
    },
    // Messages to members (their briefs, verification codes) are the member's.
    ExportTable {
        name: "app.outbound_messages",
        file: "outbound_messages",
        rows: "t.tenant_id = (select ctx.scoped_tenant_id()) and t.member_id is null",
        omit: &[],
    },
    // A member's own consents (to their brief) are the member's.
    ExportTable {
        name: "app.consent_events",
        file: "consent_events",
        rows: "t.tenant_id = (select ctx.scoped_tenant_id()) and t.lead_id is not null",
        omit: &[],
    },
    ExportTable {
        name: "app.suppressions",
        file: "suppressions",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.message_templates",
        file: "message_templates",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.integrations",
        file: "integrations",
        rows: TENANT,
        omit: &[],
    },
    // `result` holds what an ingest's caller chose and a digest of a transcript: not for admins.
    ExportTable {
        name: "app.webhook_events",
        file: "webhook_events",
        rows: TENANT,
        omit: &["result"],
    },
    ExportTable {
        name: "app.crm_connections",
        file: "crm_connections",
        rows: TENANT,
        omit: &["tokens_sealed"],
    },
    ExportTable {
        name: "app.retention_settings",
        file: "retention_settings",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.ai_settings",
        file: "ai_settings",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.ai_usage",
        file: "ai_usage",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.knowledge_entries",
        file: "knowledge_entries",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.assistant_holds",
        file: "assistant_holds",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.erasures",
        file: "erasures",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.activity_daily",
        file: "activity_daily",
        rows: TENANT,
        omit: &[],
    },
    ExportTable {
        name: "app.deal_stage_totals",
        file: "deal_stage_totals",
        rows: TENANT,
        omit: &[],
    },
    // A member's private events (their drafts, coaching, voice samples) are the member's; the
    // hash is the chain's, and `palisade audit verify` checks it.
    ExportTable {
        name: "audit.events",
        file: "audit_events",
        rows: "t.tenant_id = (select ctx.scoped_tenant_id()) and not t.private",
        omit: &["content_hash"],
    },
    ExportTable {
        name: "audit.access_events",
        file: "access_events",
        rows: TENANT,
        omit: &[],
    },
];

const OWN: &str = "a member's own: only they read it, and their own export (GET /api/v1/me/export) holds it";

/// Tables left out, and why.
pub const EXCLUDED: &[(&str, &str)] = &[
    (
        "app.crm_sync_runs",
        "the HubSpot sync's schedule and health: times, counts and codes, shown on its page",
    ),
    (
        "app.crm_sync_cursors",
        "where reading HubSpot stopped: a time window and an id bound",
    ),
    (
        "app.crm_outbox",
        "the queue of writes to HubSpot; what was written is in HubSpot, linked from leads and deals",
    ),
    (
        "app.assistant_tasks",
        "the assistant's work queue: which calls went for coaching is the rep's (DESIGN §1.2)",
    ),
    (
        "app.knowledge_passages",
        "derived from the knowledge base's entries, which are exported whole",
    ),
    (
        "app.drafts",
        "rep-private (DESIGN §1.2): the rep's own, in their own export",
    ),
    (
        "app.coaching_observations",
        "rep-private (DESIGN §1.2): the rep's own, in their own export",
    ),
    (
        "app.voice_samples",
        "rep-private (DESIGN §1.2): the rep's own, in their own export",
    ),
    (
        "app.voice_consents",
        "rep-private (DESIGN §1.2): the rep's own, in their own export",
    ),
    ("app.member_phones", OWN),
    ("app.phone_verifications", OWN),
    ("app.brief_preferences", OWN),
    ("app.platform_admins", "the platform's, not a tenant's"),
    ("app.error_events", "the platform's, not a tenant's"),
    (
        "app.incidents",
        "the platform's; the notices a tenant received are in its audit trail",
    ),
    (
        "app.incident_tenants",
        "the platform's; the notices a tenant received are in its audit trail",
    ),
    ("auth.sessions", "each person's sign-in state, not the company's"),
    ("auth.refresh_tokens", "credentials"),
    ("auth.magic_links", "credentials"),
    ("auth.totp_factors", "credentials"),
    ("auth.recovery_codes", "credentials"),
    ("auth.password_credentials", "credentials"),
    (
        "auth.identities",
        "each person's sign-in identities, not the company's",
    ),
    (
        "app.terminations",
        "the tenant's own termination, shown by GET /api/v1/privacy/termination",
    ),
    (
        "audit.event_windows",
        "counters still open; each becomes an access event, which is exported",
    ),
    (
        "audit.chain_links",
        "the trail's hash chain: `palisade audit verify` checks it",
    ),
    (
        "audit.chain_heads",
        "the trail's hash chain: `palisade audit verify` checks it",
    ),
    (
        "audit.chain_anchors",
        "the trail's hash chain: `palisade audit verify` checks it",
    ),
    (
        "audit.pending",
        "the trail's hash chain: `palisade audit verify` checks it",
    ),
    ("audit.settings", "the platform's retention setting"),
    ("palisade_meta.key_checks", "the platform's key check values"),
    ("palisade_meta.schema_migrations", "the platform's migration list"),
];

/// The exported table a file name (as in the API's path) names.
pub fn by_file(file: &str) -> Option<&'static ExportTable> {
    EXPORTED.iter().find(|t| t.file == file)
}
