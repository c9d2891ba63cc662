//! Every route × {anonymous, rep, other rep of the same tenant, manager, admin, admin of another
//! tenant} → expected status, and no response ever carries an id the caller must not see. Routes
//! come from the OpenAPI document; one missing here fails the test.
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::send;

const IDENTITIES: [Option<Who>; 6] = [
    None,
    Some(Who::RepA1),
    Some(Who::RepA2),
    Some(Who::ManagerA),
    Some(Who::AdminA),
    Some(Who::AdminB),
];

/// How the `{id}` / `{user_id}` of a route is chosen.
#[derive(Clone, Copy)]
enum Target {
    None,
    /// A fixture object (owned by rep_a1, or tenant A).
    Fixture(fn(&palisade_testkit::World) -> Uuid),
    /// A fresh object made before each request (deletes must not consume each other's target).
    Fresh(&'static str),
}

struct Route {
    method: Method,
    path: &'static str,
    target: Target,
    body: fn() -> Option<Value>,
    /// Expected status for anonymous, rep A1, rep A2, manager A, admin A, admin B.
    expect: [u16; 6],
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

fn none() -> Option<Value> {
    None
}

fn routes() -> Vec<Route> {
    use Method as M;
    use Target::{Fixture, Fresh};
    let r = |method: Method,
             path: &'static str,
             target: Target,
             body: fn() -> Option<Value>,
             expect: [u16; 6]| Route {
        method,
        path,
        target,
        body,
        expect,
    };
    vec![
        r(M::GET, "/healthz", Target::None, none, [200; 6]),
        r(M::GET, "/readyz", Target::None, none, [200; 6]),
        r(M::GET, "/api/v1/openapi.json", Target::None, none, [200; 6]),
        r(M::GET, "/metrics", Target::None, none, [200; 6]),
        r(
            M::GET,
            "/api/v1/audit/events",
            Target::None,
            none,
            [401, 403, 403, 200, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/audit/access",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/audit/incidents",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/platform/error-events",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 200],
        ),
        r(
            M::GET,
            "/api/v1/platform/incidents",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 200],
        ),
        r(
            M::POST,
            "/api/v1/platform/incidents",
            Target::None,
            || None,
            [401, 403, 403, 403, 403, 201],
        ),
        r(
            M::POST,
            "/api/v1/platform/incidents/{id}/resolve",
            Fixture(|w| w.incident),
            none,
            [401, 403, 403, 403, 403, 200],
        ),
        // Sign-in: open to everyone; the matrix's operator tokens carry no session.
        r(
            M::POST,
            "/api/v1/auth/magic-link",
            Target::None,
            || Some(json!({"email": format!("{}@x.test", unique("m"))})),
            [202; 6],
        ),
        r(
            M::POST,
            "/api/v1/auth/magic-link/consume",
            Target::None,
            || Some(json!({"token": "forged", "nonce": "forged"})),
            [401; 6],
        ),
        r(
            M::POST,
            "/api/v1/auth/token",
            Target::None,
            || Some(json!({"refresh_token": "forged"})),
            [401; 6],
        ),
        r(
            M::GET,
            "/api/v1/auth/session",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::POST,
            "/api/v1/auth/logout",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(M::GET, "/auth/magic-link", Target::None, none, [400; 6]),
        // Not configured in tests.
        r(M::GET, "/.well-known/security.txt", Target::None, none, [404; 6]),
        r(M::POST, "/auth/magic-link", Target::None, none, [415; 6]),
        // No OIDC provider is configured here: the list is empty and every provider is unknown.
        r(
            M::GET,
            "/api/v1/auth/oidc/providers",
            Target::None,
            none,
            [200; 6],
        ),
        r(M::GET, "/auth/oidc/{provider}", Target::None, none, [404; 6]),
        r(
            M::GET,
            "/auth/oidc/{provider}/callback",
            Target::None,
            none,
            [404; 6],
        ),
        // Operator tokens carry no session: connecting needs a browser session, removing a recent one.
        r(
            M::GET,
            "/api/v1/me/identities",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/me/identities",
            Target::None,
            || Some(json!({"provider": "fake"})),
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::DELETE,
            "/api/v1/me/identities/{id}",
            Fixture(|w| w.lead_a1),
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::GET,
            "/api/v1/me/sessions",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        // Before the next row, which ends rep_a1's sessions.
        r(
            M::DELETE,
            "/api/v1/me/sessions/{id}",
            Fixture(|w| w.session_a1),
            none,
            [401, 204, 404, 404, 404, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/me/sessions",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::DELETE,
            "/api/v1/members/{user_id}/sessions",
            Fixture(|w| *w.rep_a1.as_uuid()),
            none,
            [401, 403, 403, 403, 204, 404],
        ),
        r(
            M::GET,
            "/api/v1/me/mfa",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        // Second factors belong to sessions: operator tokens get 403 no_session.
        r(
            M::POST,
            "/api/v1/me/mfa/totp",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::DELETE,
            "/api/v1/me/mfa/totp",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::POST,
            "/api/v1/me/mfa/totp/confirm",
            Target::None,
            || Some(json!({"code": "000000"})),
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::POST,
            "/api/v1/me/mfa/recovery-codes",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::POST,
            "/api/v1/auth/mfa",
            Target::None,
            || Some(json!({"code": "000000"})),
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::PUT,
            "/api/v1/settings/security",
            Target::None,
            || {
                Some(
                    json!({"require_mfa": false, "sign_in_methods": ["magic_link", "oidc", "password"],
                            "email_domains": []}),
                )
            },
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/settings/security",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        // Password sign-in is off by default: 404 (after authentication, for the /me routes).
        r(
            M::POST,
            "/api/v1/auth/password",
            Target::None,
            || Some(json!({"email": "rep-a1@a.test", "password": "long enough password"})),
            [404; 6],
        ),
        // Deleting one's account needs a session; the matrix's tokens have none.
        r(
            M::DELETE,
            "/api/v1/me",
            Target::None,
            none,
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::PUT,
            "/api/v1/me/password",
            Target::None,
            || Some(json!({"password": "long enough password"})),
            [401, 404, 404, 404, 404, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/me/password",
            Target::None,
            none,
            [401, 404, 404, 404, 404, 404],
        ),
        r(
            M::POST,
            "/api/v1/tenants",
            Target::None,
            || Some(json!({"slug": unique("t"), "name": "T"})),
            [401, 201, 201, 201, 201, 201],
        ),
        r(
            M::GET,
            "/api/v1/tenants",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/tenants/{id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [401, 200, 200, 200, 200, 404],
        ),
        // Tenant B: nobody of tenant A is a member, and admin B is its last admin.
        r(
            M::DELETE,
            "/api/v1/tenants/{id}/membership",
            Fixture(|w| *w.tenant_b.as_uuid()),
            none,
            [401, 404, 404, 404, 404, 409],
        ),
        r(
            M::GET,
            "/api/v1/members",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::PATCH,
            "/api/v1/members/{user_id}",
            Fixture(|w| *w.rep_a2.as_uuid()),
            || Some(json!({"role": "rep"})),
            [401, 403, 403, 403, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/members/{user_id}",
            Fresh("member"),
            none,
            [401, 403, 403, 403, 204, 404],
        ),
        r(
            M::POST,
            "/api/v1/invitations",
            Target::None,
            || Some(json!({"email": format!("{}@x.test", unique("i")), "role": "rep"})),
            [401, 403, 403, 403, 201, 201],
        ),
        r(
            M::GET,
            "/api/v1/invitations",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::DELETE,
            "/api/v1/invitations/{id}",
            Fresh("invitation"),
            none,
            [401, 403, 403, 403, 204, 404],
        ),
        r(
            M::POST,
            "/api/v1/invitations/accept",
            Target::None,
            || Some(json!({"token": "not-a-real-token"})),
            [401, 404, 404, 404, 404, 404],
        ),
        r(
            M::GET,
            "/api/v1/leads",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/leads",
            Target::None,
            || Some(json!({"name": "New lead"})),
            [401, 201, 201, 201, 201, 201],
        ),
        // Consent: rep A1 owns lead A1; managers and admins read its ledger but record consent only
        // for leads they own.
        r(
            M::POST,
            "/api/v1/leads/{id}/consents",
            Fixture(|w| w.lead_a1),
            || Some(json!({"channel": "sms", "purpose": "service", "form_version": "web-2026-11"})),
            [401, 201, 404, 403, 403, 404],
        ),
        r(
            M::GET,
            "/api/v1/leads/{id}/consents",
            Fixture(|w| w.lead_a1),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        // Messages: lead A1 opted in to marketing texts; rep A2 and tenant B do not see the lead.
        r(
            M::POST,
            "/api/v1/messages",
            Target::None,
            none,
            [401, 201, 404, 201, 201, 404],
        ),
        r(
            M::GET,
            "/api/v1/messages",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/messages/{id}",
            Fresh("message"),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        // Templates: every member reads the tenant's; managers and admins write them.
        r(
            M::GET,
            "/api/v1/templates",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/templates",
            Target::None,
            || {
                Some(
                    json!({"name": unique("template"), "channel": "sms", "purpose": "service",
                            "body": "Hi {{lead.first_name}}"}),
                )
            },
            [401, 403, 403, 201, 201, 201],
        ),
        r(
            M::GET,
            "/api/v1/templates/{id}",
            Fixture(|w| w.template_a),
            none,
            [401, 200, 200, 200, 200, 404],
        ),
        r(
            M::PUT,
            "/api/v1/templates/{id}",
            Fixture(|w| w.template_a),
            || {
                Some(
                    json!({"name": "Quote ready", "channel": "sms", "purpose": "marketing",
                            "body": "Hi {{lead.first_name}}, your quote is ready."}),
                )
            },
            [401, 403, 403, 200, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/templates/{id}",
            Fresh("template"),
            none,
            [401, 403, 403, 204, 204, 404],
        ),
        // Internal endpoints take the cron secret, never a person's token.
        r(M::POST, "/internal/cron/{job}", Target::None, none, [401; 6]),
        r(
            M::POST,
            "/internal/ingest/call-transcript",
            Target::None,
            none,
            [401; 6],
        ),
        // Webhooks answer only signed requests, whoever else asks.
        r(
            M::POST,
            "/webhooks/twilio/{tenant_id}/messages",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/webhooks/twilio/{tenant_id}/status",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::GET,
            "/webhooks/meta/{tenant_id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/webhooks/meta/{tenant_id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/webhooks/stripe/{tenant_id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/webhooks/hubspot/{tenant_id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/webhooks/resend/{tenant_id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/webhooks/sendgrid/{tenant_id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [403; 6],
        ),
        r(
            M::POST,
            "/api/v1/leads/search",
            Target::None,
            || Some(json!({"phone": "+14155550100"})),
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/leads/{id}",
            Fixture(|w| w.lead_a1),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/leads/{id}",
            Fixture(|w| w.lead_a1),
            || Some(json!({"status": "contacted"})),
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/leads/{id}",
            Fresh("lead"),
            none,
            [401, 403, 403, 204, 204, 404],
        ),
        r(
            M::GET,
            "/api/v1/deals",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/deals",
            Target::None,
            || None,
            [401, 201, 404, 201, 201, 404],
        ),
        r(
            M::GET,
            "/api/v1/deals/{id}",
            Fixture(|w| w.deal_a1),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/deals/{id}",
            Fixture(|w| w.deal_a1),
            || Some(json!({"stage": "negotiation"})),
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/deals/{id}",
            Fresh("deal"),
            none,
            [401, 204, 404, 204, 204, 404],
        ),
        r(
            M::GET,
            "/api/v1/interactions",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/interactions",
            Target::None,
            || None,
            [401, 201, 404, 201, 201, 404],
        ),
        r(
            M::GET,
            "/api/v1/interactions/{id}",
            Fixture(|w| w.interaction_a1),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/interactions/{id}",
            Fixture(|w| w.interaction_a1),
            || Some(json!({"advised": true})),
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/interactions/{id}",
            Fresh("interaction"),
            none,
            [401, 204, 404, 204, 204, 404],
        ),
        r(
            M::GET,
            "/api/v1/me/drafts",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/me/drafts",
            Target::None,
            || Some(json!({"channel": "sms", "body": "Hi"})),
            [401, 201, 201, 201, 201, 201],
        ),
        r(
            M::GET,
            "/api/v1/me/drafts/{id}",
            Fixture(|w| w.draft_a1),
            none,
            [401, 200, 404, 404, 404, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/me/drafts/{id}",
            Fixture(|w| w.draft_a1),
            || Some(json!({"body": "Edited"})),
            [401, 200, 404, 404, 404, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/me/drafts/{id}",
            Fresh("draft"),
            none,
            [401, 204, 404, 404, 404, 404],
        ),
        // A fresh draft names no lead: its owner is told so; nobody else finds it.
        r(
            M::POST,
            "/api/v1/me/drafts/{id}/send",
            Fresh("draft"),
            || Some(json!({"purpose": "service"})),
            [401, 409, 404, 404, 404, 404],
        ),
        // Tenant A has no language model connected: whoever sees the lead is told so (409); the
        // lead does not exist for anyone else.
        r(
            M::POST,
            "/api/v1/leads/{id}/ai-draft",
            Fixture(|w| w.lead_a1),
            || Some(json!({"channel": "sms"})),
            [401, 409, 404, 409, 409, 404],
        ),
        r(
            M::GET,
            "/api/v1/ai/settings",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::PUT,
            "/api/v1/ai/settings",
            Target::None,
            || {
                Some(
                    json!({"monthly_budget_micros": null, "drafting": true, "coaching": false,
                    "auto_reply_channels": [], "forbidden_topics": ["politics"], "mask_iban": true,
                    "mask_us_ssn": true, "mask_uk_nino": true, "mask_patterns": []}),
                )
            },
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/ai/usage",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        // The knowledge base: members read and search, managers and admins write. Its fixture entry in
        // tenant A has the tenant's id; a search needs its question (400 without).
        r(
            M::GET,
            "/api/v1/knowledge",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/knowledge",
            Target::None,
            || Some(json!({"kind": "faq", "title": "Do you deliver?", "body": "Yes, within a week."})),
            [401, 403, 403, 201, 201, 201],
        ),
        r(
            M::GET,
            "/api/v1/knowledge/search",
            Target::None,
            none,
            [401, 400, 400, 400, 400, 400],
        ),
        r(
            M::GET,
            "/api/v1/knowledge/{id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            none,
            [401, 200, 200, 200, 200, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/knowledge/{id}",
            Fixture(|w| *w.tenant_a.as_uuid()),
            || Some(json!({"title": "Opening hours?"})),
            [401, 403, 403, 200, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/knowledge/{id}",
            Fresh("knowledge"),
            none,
            [401, 403, 403, 204, 204, 404],
        ),
        // The HubSpot connection (admins; both tenants have a private-app fixture with write-back off).
        // A token of the wrong shape is refused before HubSpot is asked.
        r(
            M::GET,
            "/api/v1/crm/hubspot",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::PATCH,
            "/api/v1/crm/hubspot",
            Target::None,
            || Some(json!({"gdpr_delete": false})),
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::PUT,
            "/api/v1/crm/hubspot/private-app",
            Target::None,
            || Some(json!({"access_token": "not-a-private-app-token"})),
            [401, 403, 403, 403, 422, 422],
        ),
        r(
            M::POST,
            "/api/v1/crm/hubspot/sync",
            Target::None,
            none,
            [401, 403, 403, 403, 202, 202],
        ),
        // rep_a1 marked interaction_a1 (fixture); marking needs write-back on (409), and the mark is
        // its marker's and the managers'.
        r(
            M::GET,
            "/api/v1/interactions/{id}/crm",
            Fixture(|w| w.interaction_a1),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::POST,
            "/api/v1/interactions/{id}/crm",
            Fixture(|w| w.interaction_a1),
            none,
            [401, 409, 404, 409, 409, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/crm/hubspot",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        // The fixture holds lead_a1's SMS conversation: its rep resumes it; then none is held.
        r(
            M::GET,
            "/api/v1/leads/{id}/assistant-holds",
            Fixture(|w| w.lead_a1),
            none,
            [401, 200, 404, 200, 200, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/leads/{id}/assistant-holds/{channel}",
            Fixture(|w| w.lead_a1),
            none,
            [401, 204, 404, 404, 404, 404],
        ),
        r(
            M::GET,
            "/api/v1/me/coaching",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/me/coaching",
            Target::None,
            || Some(json!({"category": "pace", "observation": "Slow down"})),
            [401, 201, 201, 201, 201, 201],
        ),
        r(
            M::GET,
            "/api/v1/me/coaching/{id}",
            Fixture(|w| w.coaching_a1),
            none,
            [401, 200, 404, 404, 404, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/me/coaching/{id}",
            Fixture(|w| w.coaching_a1),
            || Some(json!({"category": "tone"})),
            [401, 200, 404, 404, 404, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/me/coaching/{id}",
            Fresh("coaching"),
            none,
            [401, 204, 404, 404, 404, 404],
        ),
        r(
            M::GET,
            "/api/v1/me/voice-samples",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::POST,
            "/api/v1/me/voice-samples",
            Target::None,
            // Only the reps have opted in to voice drafting.
            || Some(json!({"label": "Intro", "storage_key": "v/1.wav", "duration_ms": 1200})),
            [401, 201, 201, 409, 409, 409],
        ),
        r(
            M::GET,
            "/api/v1/me/voice-samples/{id}",
            Fixture(|w| w.voice_a1),
            none,
            [401, 200, 404, 404, 404, 404],
        ),
        r(
            M::PATCH,
            "/api/v1/me/voice-samples/{id}",
            Fixture(|w| w.voice_a1),
            || Some(json!({"label": "Renamed"})),
            [401, 200, 404, 404, 404, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/me/voice-samples/{id}",
            Fresh("voice"),
            none,
            [401, 204, 404, 404, 404, 404],
        ),
        r(
            M::GET,
            "/api/v1/dashboard",
            Target::None,
            none,
            [401, 403, 403, 200, 200, 200],
        ),
        // Your own number: rep_a1, rep_a2 have one in tenant A; nobody else here has.
        r(
            M::GET,
            "/api/v1/me/phone",
            Target::None,
            none,
            [401, 200, 200, 404, 404, 404],
        ),
        r(
            M::PUT,
            "/api/v1/me/phone",
            Target::None,
            || Some(json!({"phone": "+14155550100"})),
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::DELETE,
            "/api/v1/me/phone",
            Target::None,
            none,
            [401, 204, 204, 204, 204, 204],
        ),
        // After the DELETE above nobody has a number (nor, so, a pending code).
        r(
            M::POST,
            "/api/v1/me/phone/verification",
            Target::None,
            || Some(json!({"channel": "sms"})),
            [401, 409, 409, 409, 409, 409],
        ),
        r(
            M::POST,
            "/api/v1/me/phone/verification/confirm",
            Target::None,
            || Some(json!({"code": "123456"})),
            [401, 409, 409, 409, 409, 409],
        ),
        // Anyone's own brief settings.
        r(
            M::GET,
            "/api/v1/me/brief",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::PUT,
            "/api/v1/me/brief",
            Target::None,
            || Some(json!({"time_zone": "Europe/London", "hour": 7})),
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::DELETE,
            "/api/v1/me/brief",
            Target::None,
            none,
            [401, 204, 204, 204, 204, 204],
        ),
        r(
            M::GET,
            "/api/v1/settings/phone",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::PUT,
            "/api/v1/settings/phone",
            Target::None,
            || Some(json!({"default_region": "US"})),
            [401, 403, 403, 403, 200, 200],
        ),
        // Privacy: erasures are for admins; the POST names an address no lead has (it is suppressed,
        // nothing else), so it erases nothing another request needs.
        r(
            M::POST,
            "/api/v1/privacy/erasures",
            Target::None,
            || Some(json!({"email": format!("{}@erasure.test", unique("e"))})),
            [401, 403, 403, 403, 201, 201],
        ),
        r(
            M::POST,
            "/api/v1/privacy/subject-exports",
            Target::None,
            || Some(json!({"email": format!("{}@export.test", unique("x"))})),
            [401, 403, 403, 403, 200, 200],
        ),
        // Retention periods: admins only; `{data_class}` is `drafts`.
        r(
            M::GET,
            "/api/v1/privacy/retention",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::PUT,
            "/api/v1/privacy/retention/{data_class}",
            Target::None,
            || Some(json!({"keep_days": 90})),
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::DELETE,
            "/api/v1/privacy/retention/{data_class}",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        // Ending the tenant: admins only, with a recent sign-in in a session (operator tokens have
        // none); a slug that is not the tenant's would be refused too. Nothing to show, cancel or
        // download while the tenant is active.
        r(
            M::POST,
            "/api/v1/privacy/termination",
            Target::None,
            || Some(json!({"confirm_slug": "not-this-tenant"})),
            [401, 403, 403, 403, 403, 403],
        ),
        r(
            M::GET,
            "/api/v1/privacy/termination",
            Target::None,
            none,
            [401, 404, 404, 404, 404, 404],
        ),
        r(
            M::DELETE,
            "/api/v1/privacy/termination",
            Target::None,
            none,
            [401, 404, 404, 404, 404, 404],
        ),
        r(
            M::GET,
            "/api/v1/privacy/termination/export",
            Target::None,
            none,
            [401, 404, 404, 404, 404, 404],
        ),
        r(
            M::GET,
            "/api/v1/privacy/termination/export/{table}",
            Target::None,
            none,
            [401, 404, 404, 404, 404, 404],
        ),
        // Company export: admins only; `{table}` is `deals`.
        r(
            M::GET,
            "/api/v1/privacy/company-export",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/privacy/company-export/{table}",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/privacy/erasures",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/privacy/erasures/{id}",
            Fresh("erasure"),
            none,
            [401, 403, 403, 403, 200, 404],
        ),
        // Integrations: admins only; tenant A has Twilio connected, tenant B nothing. `{provider}` is
        // `twilio`. The delete comes last: it removes tenant A's integration.
        r(
            M::GET,
            "/api/v1/integrations",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/integrations/{provider}",
            Target::None,
            none,
            [401, 403, 403, 403, 200, 404],
        ),
        r(
            M::PUT,
            "/api/v1/integrations/{provider}",
            Target::None,
            || Some(json!({"config": {"account_sid": format!("AC{}", "0".repeat(32))}})),
            [401, 403, 403, 403, 200, 422],
        ),
        r(
            M::DELETE,
            "/api/v1/integrations/{provider}",
            Target::None,
            none,
            [401, 403, 403, 403, 204, 404],
        ),
        // Voice-drafting consent: everyone's own. The reps opted in with their fixture samples; the
        // withdrawal comes last, as it deletes those samples.
        r(
            M::GET,
            "/api/v1/me/export",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::GET,
            "/api/v1/me/voice-consent",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
        r(
            M::PUT,
            "/api/v1/me/voice-consent",
            Target::None,
            || Some(json!({"text_version": "voice-v1"})),
            [401, 200, 200, 201, 201, 201],
        ),
        r(
            M::DELETE,
            "/api/v1/me/voice-consent",
            Target::None,
            none,
            [401, 200, 200, 200, 200, 200],
        ),
    ]
}

/// Bodies that name fixture objects (deals and interactions point at rep A1's lead).
fn body_for(route: &Route, app: &TestApp) -> Option<Value> {
    let w = app.world();
    match (route.method.as_str(), route.path) {
        ("POST", "/api/v1/deals") => {
            Some(json!({"lead_id": w.lead_a1, "title": "Policy", "amount_cents": 5000}))
        }
        ("POST", "/api/v1/platform/incidents") => Some(json!({
            "title": "Outage", "description": "Details", "severity": "low", "tenant_ids": [w.tenant_b]
        })),
        ("POST", "/api/v1/interactions") => {
            Some(json!({"lead_id": w.lead_a1, "channel": "call", "direction": "outbound"}))
        }
        ("POST", "/api/v1/messages") => Some(
            json!({"lead_id": w.lead_a1, "channel": "sms", "purpose": "marketing", "body": "Your quote is ready"}),
        ),
        _ => (route.body)(),
    }
}

/// Makes a fresh target as its rightful owner: rep A1 for CRM and private records, admin A for members.
async fn fresh(app: &TestApp, kind: &str) -> Uuid {
    let w = app.world();
    if kind == "member" {
        // People join by invitation; provisioning invites and accepts at once.
        let by = w.principal(Who::AdminA).unwrap();
        let email = format!("{}@x.test", unique("f"));
        let user =
            palisade_core::membership::provision(&app.db.db, &by, &email, None, palisade_db::TenantRole::Rep)
                .await
                .unwrap();
        return *user.as_uuid();
    }
    let (who, path, body) = match kind {
        "lead" => (Who::RepA1, "/api/v1/leads", json!({"name": "Fresh"})),
        "message" => (
            Who::RepA1,
            "/api/v1/messages",
            json!({"lead_id": w.lead_a1, "channel": "sms", "purpose": "marketing", "body": "Fresh"}),
        ),
        "template" => (
            Who::ManagerA,
            "/api/v1/templates",
            json!({"name": unique("ft"), "channel": "sms", "purpose": "service", "body": "Fresh"}),
        ),
        "invitation" => (
            Who::AdminA,
            "/api/v1/invitations",
            json!({"email": format!("{}@x.test", unique("fi")), "role": "rep"}),
        ),
        "deal" => (
            Who::RepA1,
            "/api/v1/deals",
            json!({"lead_id": w.lead_a1, "title": "Fresh"}),
        ),
        "interaction" => (
            Who::RepA1,
            "/api/v1/interactions",
            json!({"lead_id": w.lead_a1, "channel": "note", "direction": "internal"}),
        ),
        "knowledge" => (
            Who::ManagerA,
            "/api/v1/knowledge",
            json!({"kind": "faq", "title": "Fresh?", "body": "Fresh."}),
        ),
        "draft" => (
            Who::RepA1,
            "/api/v1/me/drafts",
            json!({"channel": "email", "body": "Fresh"}),
        ),
        "coaching" => (
            Who::RepA1,
            "/api/v1/me/coaching",
            json!({"category": "c", "observation": "Fresh"}),
        ),
        "voice" => (
            Who::RepA1,
            "/api/v1/me/voice-samples",
            json!({"label": "f", "storage_key": "k", "duration_ms": 10}),
        ),
        "erasure" => (
            Who::AdminA,
            "/api/v1/privacy/erasures",
            json!({"email": format!("{}@erasure.test", unique("fe"))}),
        ),
        other => panic!("no fresh target kind {other}"),
    };
    let response = send(app, Some(who), Method::POST, path, Some(body)).await;
    assert_eq!(response.status(), 201, "making a fresh {kind}");
    let v: Value = response.json().await.unwrap();
    let id = v
        .get("user_id")
        .or_else(|| v.get("id"))
        .and_then(Value::as_str)
        .unwrap();
    id.parse().unwrap()
}

/// Ids that must never appear in a response to `who`.
fn forbidden_ids(app: &TestApp, who: Option<Who>) -> Vec<(String, Uuid)> {
    let w = app.world();
    let tenant_b = vec![
        ("tenant_b", *w.tenant_b.as_uuid()),
        ("rep_b1", *w.rep_b1.as_uuid()),
        ("lead_b1", w.lead_b1),
        ("deal_b1", w.deal_b1),
        ("interaction_b1", w.interaction_b1),
        ("draft_b1", w.draft_b1),
        ("coaching_b1", w.coaching_b1),
        ("voice_b1", w.voice_b1),
        ("template_b", w.template_b),
    ];
    let a_private = vec![
        ("draft_a1", w.draft_a1),
        ("draft_a2", w.draft_a2),
        ("coaching_a1", w.coaching_a1),
        ("coaching_a2", w.coaching_a2),
        ("voice_a1", w.voice_a1),
        ("voice_a2", w.voice_a2),
    ];
    let mut ids: Vec<(&str, Uuid)> = match who {
        None => vec![],
        Some(Who::RepA1) => {
            let mut v = tenant_b;
            v.extend([
                ("lead_a2", w.lead_a2),
                ("deal_a2", w.deal_a2),
                ("interaction_a2", w.interaction_a2),
                ("draft_a2", w.draft_a2),
                ("coaching_a2", w.coaching_a2),
                ("voice_a2", w.voice_a2),
            ]);
            v
        }
        Some(Who::RepA2) => {
            let mut v = tenant_b;
            v.extend([
                ("lead_a1", w.lead_a1),
                ("deal_a1", w.deal_a1),
                ("interaction_a1", w.interaction_a1),
                ("draft_a1", w.draft_a1),
                ("coaching_a1", w.coaching_a1),
                ("voice_a1", w.voice_a1),
            ]);
            v
        }
        Some(Who::ManagerA) | Some(Who::AdminA) => {
            let mut v = tenant_b;
            v.extend(a_private);
            v
        }
        Some(Who::AdminB) => {
            let mut v = vec![
                ("tenant_a", *w.tenant_a.as_uuid()),
                ("rep_a1", *w.rep_a1.as_uuid()),
                ("lead_a1", w.lead_a1),
                ("lead_a2", w.lead_a2),
                ("deal_a1", w.deal_a1),
                ("interaction_a1", w.interaction_a1),
                ("draft_b1", w.draft_b1),
                ("coaching_b1", w.coaching_b1),
                ("voice_b1", w.voice_b1),
                ("template_a", w.template_a),
            ];
            v.extend(a_private);
            v
        }
        Some(_) => vec![],
    };
    ids.sort();
    ids.into_iter().map(|(n, id)| (n.to_owned(), id)).collect()
}

#[tokio::test]
async fn every_route_answers_every_identity_as_specified() {
    let app = spawn_app().await;
    let routes = routes();

    // Coverage: the matrix and the OpenAPI document list the same operations.
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    let covered: BTreeSet<String> = routes
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without an HTTP matrix entry: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&documented).collect();
    assert!(
        stale.is_empty(),
        "HTTP matrix entries for routes that do not exist: {stale:?}"
    );

    let mut failures = Vec::new();
    for route in &routes {
        for (who, expected) in IDENTITIES.iter().zip(route.expect) {
            let path = match route.target {
                Target::None => route
                    .path
                    .replace("{provider}", "twilio")
                    .replace("{job}", "audit_seal")
                    .replace("{table}", "deals")
                    .replace("{data_class}", "drafts"),
                Target::Fixture(f) => route
                    .path
                    .replace("{id}", &f(app.world()).to_string())
                    .replace("{user_id}", &f(app.world()).to_string())
                    .replace("{tenant_id}", &f(app.world()).to_string())
                    .replace("{channel}", "sms"),
                Target::Fresh(kind) => {
                    let id = fresh(&app, kind).await.to_string();
                    route.path.replace("{id}", &id).replace("{user_id}", &id)
                }
            };
            let response = send(&app, *who, route.method.clone(), &path, body_for(route, &app)).await;
            let status = response.status().as_u16();
            let text = response.text().await.unwrap();
            if status != expected {
                failures.push(format!(
                    "{} {} as {who:?}: expected {expected}, got {status}: {text}",
                    route.method, route.path
                ));
            }
            for (name, id) in forbidden_ids(&app, *who) {
                // Platform admins see which tenants an incident affects (DESIGN §2: platform admins
                // see tenants), never their CRM data.
                if route.path.starts_with("/api/v1/platform/") && name.starts_with("tenant_") {
                    continue;
                }
                if text.contains(&id.to_string()) {
                    failures.push(format!(
                        "{} {} as {who:?}: response contains {name}",
                        route.method, route.path
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} HTTP matrix failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
