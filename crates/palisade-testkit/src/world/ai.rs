//! The assistant's records, in both tenants so the policy matrix can tell theirs from ours: tenant A's
//! AI settings (a forbidden topic, a budget of 1000 micros); a settled call, a pending coaching task
//! (on the rep's interaction), a knowledge-base entry with one passage, and a conversation held for a
//! person (the rep's lead, by SMS) in each tenant. Fixed ids where the matrix names them.
use tokio_postgres::Client;

use super::people::People;
use super::records::ByRep;

/// Tenant A's settled call (50 micros) and tenant B's.
pub const AI_USAGE_A: &str = "00000000-0000-4000-8000-00000000a1a1";
pub const AI_USAGE_B: &str = "00000000-0000-4000-8000-00000000b1b1";

pub(super) async fn seed_ai(su: &Client, p: &People, owned: &ByRep) {
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
    for (tenant, rep) in [(p.tenant_a, owned.a1), (p.tenant_b, owned.b1)] {
        su.batch_execute(&format!(
            "insert into app.assistant_tasks (tenant_id, id, kind, interaction_id) \
               values ('{t}', gen_random_uuid(), 'coaching', '{i}'); \
             insert into app.knowledge_entries (tenant_id, id, kind, title, body) \
               values ('{t}', '{t}', 'faq', 'Opening hours', 'We are open 9 to 5 on weekdays.'); \
             insert into app.knowledge_passages (tenant_id, entry_id, ord, language, heading, text) \
               values ('{t}', '{t}', 0, 'english', 'Opening hours', 'We are open 9 to 5 on weekdays.'); \
             insert into app.assistant_holds (tenant_id, lead_id, channel, reason) \
               values ('{t}', '{l}', 'sms', 'no_knowledge');",
            t = tenant.as_uuid(),
            i = rep.interaction,
            l = rep.lead,
        ))
        .await
        .unwrap();
    }
}
