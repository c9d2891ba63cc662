//! The HubSpot sync's records, in both tenants so the policy matrix can tell theirs from ours: a
//! private-app connection each (active, write-back off, so no fixture change queues anything and no
//! test reaches a HubSpot), tenant A's sync state (not due) and tenant B's (none yet: due), a cursor
//! each, and outbox items — a note the rep marked on their interaction in each tenant, and a deal
//! waiting in tenant A (the second rep's).
use tokio_postgres::Client;

use super::people::People;
use super::records::ByRep;

pub(super) async fn seed_crm(su: &Client, p: &People, owned: &ByRep) {
    for (tenant, admin, portal) in [(p.tenant_a, p.admin_a, 111_i64), (p.tenant_b, p.admin_b, 222)] {
        su.execute(
            "insert into app.crm_connections (tenant_id, kind, portal_id, tokens_sealed, key_id, last_four, write_back, \
               connected_by) values ($1, 'private_app', $2, convert_to(repeat('sealed', 8), 'UTF8'), 'fixture', 'abcd', \
               false, $3); \
             ",
            &[tenant.as_uuid(), &portal, admin.as_uuid()],
        )
        .await
        .unwrap();
        su.execute(
            "insert into app.crm_sync_cursors (tenant_id, object) values ($1, 'contacts')",
            &[tenant.as_uuid()],
        )
        .await
        .unwrap();
    }
    su.execute(
        "insert into app.crm_sync_runs (tenant_id, portal_id, next_run_at) values ($1, 111, now() + interval '1 day')",
        &[p.tenant_a.as_uuid()],
    )
    .await
    .unwrap();
    for (tenant, rep, who) in [(p.tenant_a, owned.a1, p.rep_a1), (p.tenant_b, owned.b1, p.rep_b1)] {
        su.execute(
            "insert into app.crm_outbox (tenant_id, id, kind, local_id, created_by) \
             values ($1, gen_random_uuid(), 'note', $2, $3)",
            &[tenant.as_uuid(), &rep.interaction, who.as_uuid()],
        )
        .await
        .unwrap();
    }
    su.execute(
        "insert into app.crm_outbox (tenant_id, id, kind, local_id) values ($1, gen_random_uuid(), 'deal', $2)",
        &[p.tenant_a.as_uuid(), &owned.a2.deal],
    )
    .await
    .unwrap();
}
