//! The assistant's records: tenant A's AI settings (a forbidden topic, a budget of 1000 micros) and one settled call
//! in each tenant, with fixed ids the policy matrix names.
use tokio_postgres::Client;

use super::people::People;

/// Tenant A's settled call (50 micros) and tenant B's.
pub const AI_USAGE_A: &str = "00000000-0000-4000-8000-00000000a1a1";
pub const AI_USAGE_B: &str = "00000000-0000-4000-8000-00000000b1b1";

pub(super) async fn seed_ai(su: &Client, p: &People) {
    su.execute(
        "insert into app.ai_settings (tenant_id, forbidden_topics, monthly_budget_micros) values ($1, '{politics}', 1000)",
        &[p.tenant_a.as_uuid()],
    )
    .await
    .unwrap();
    for (tenant, id) in [(p.tenant_a, AI_USAGE_A), (p.tenant_b, AI_USAGE_B)] {
        su.execute(
            "insert into app.ai_usage (tenant_id, id, purpose, model, status, reserved_micros, cost_micros, \
             prompt_tokens, completion_tokens, masked, settled_at) \
             values ($1, $2::text::uuid, 'draft', 'fixture-model', 'done', 80, 50, 100, 20, 1, now())",
            &[tenant.as_uuid(), &id],
        )
        .await
        .unwrap();
    }
}
