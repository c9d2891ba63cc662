//! Each policy matters: dropping it, or weakening it to `true`, must make the policy matrix fail.
//! Disabling RLS on any tenant table must too. Runs on a scratch database.
use palisade_testkit::matrix::{self, CASES};
use palisade_testkit::test_db;

/// Mutants that cannot change any outcome, with the reason. Keep this list short and argued.
const EQUIVALENT: &[(&str, &str)] = &[
    // The definer's reads and deletes for app.retention_sweep need rows older than a period, which the
    // fixture (written just now) has none of; retention::a_sweep_deletes_what_is_past_each_period_and_
    // nothing_else plants them and fails if any of these is dropped (a class left undeleted, or the
    // tenant's set period ignored).
    ("interactions_definer_delete:drop", "tests/db/retention.rs"),
    ("outbound_definer_retention:drop", "tests/db/retention.rs"),
    ("webhook_events_definer:drop", "tests/db/retention.rs"),
    ("webhook_events_definer_delete:drop", "tests/db/retention.rs"),
    ("retention_definer_select:drop", "tests/db/retention.rs"),
    // app.retention_sweep's own WHERE keeps to messages no longer waiting to go.
    (
        "outbound_definer_retention:true",
        "app.retention_sweep's own WHERE keeps to sent, delivered, failed, blocked and undelivered messages",
    ),
    // Definer functions write terminations: app.start_termination (needs a session, which the matrix
    // has not), app.cancel_termination and app.begin_purge (need a terminating tenant, or the database
    // admin). tests/api/privacy/termination.rs and tests/db/termination.rs fail without it.
    ("terminations_definer:drop", "tests/api/privacy/termination.rs"),
    // app.delete_account, the one definer function that deletes outbound messages, deletes only those
    // addressed to the caller; the policy's `member_id is not null` is a second fence it never reaches.
    (
        "outbound_definer_delete:true",
        "app.delete_account's own WHERE keeps to messages addressed to the caller",
    ),
    // The migrator's own policy: runtime identities never act as palisade_owner. Every test database
    // is built by the migrator through it, so breaking it fails every test.
    (
        "schema_migrations_owner:drop",
        "exercised by migrate::run, not by runtime identities",
    ),
    ("schema_migrations_owner:true", "already true"),
    // For user-context UPDATE/DELETE with a WHERE clause PostgreSQL also applies the SELECT policy,
    // so a delete policy equal to the select policy cannot be weakened further.
    // Anchors are written only when retention drops a partition; the audit retention test covers it.
    (
        "chain_anchors_definer:drop",
        "written only by drop_expired_partitions on an expired partition (tests/db/audit.rs)",
    ),
    ("chain_anchors_definer:true", "already true"),
    (
        "incidents_platform_update:true",
        "rows must also pass incidents_platform_select, which is the same condition",
    ),
    (
        "invitations_admin_revoke:true",
        "rows must also pass invitations_admin_select, which is the same condition",
    ),
    (
        "deals_delete:true",
        "rows must also pass deals_select, which is the same condition",
    ),
    (
        "consent_definer_insert:true",
        "palisade_definer inserts consent events only in app.lead_address_changed, which writes \
         address_change revocations only; the narrower check is defence in depth",
    ),
    (
        "leads_definer_links:true",
        "app.crm_forget_links, its one user, keeps to the service context's tenant in its own WHERE",
    ),
    (
        "deals_definer_links:true",
        "app.crm_forget_links and app.crm_set_deal_links keep to the service context's tenant in their own WHERE",
    ),
    (
        "deals_definer_links_read:true",
        "app.crm_forget_links and app.crm_set_deal_links keep to the service context's tenant in their own WHERE",
    ),
    (
        "crm_outbox_definer_forget:true",
        "app.crm_forget_links, its one user, deletes only its tenant's pending GDPR deletes in its own WHERE",
    ),
    (
        "crm_outbox_definer_select:true",
        "app.crm_forget_links, its one user, deletes only its tenant's pending GDPR deletes in its own WHERE",
    ),
    (
        "crm_outbox_definer_insert:true",
        "palisade_definer inserts outbox rows only in app.crm_queue_deal, which queues pending deals only; \
         the narrower check is defence in depth",
    ),
    (
        "outbound_definer_insert:true",
        "palisade_definer inserts messages only in app.request_phone_code, which queues \
         verification texts only; the narrower check is defence in depth",
    ),
];

/// Migration 0037's `<table>_purge_read` and `<table>_purge` policies let palisade_definer read and
/// delete the rows of a tenant whose purge has begun, which no fixture tenant is. termination::purge_policies_cover_every_tenant_table
/// fails when one is dropped or its condition changed, and purging a planted tenant must leave no row
/// (tests/api/privacy/termination.rs). Weakened to `true`, app.purge_batch's own WHERE still keeps to
/// the tenant it purges.
fn purge_policy(policy: &Policy) -> bool {
    (policy.name.ends_with("_purge") || policy.name.ends_with("_purge_read"))
        && policy.roles == ["palisade_definer"]
}

struct Policy {
    schema: String,
    table: String,
    name: String,
    cmd: String,
    permissive: String,
    roles: Vec<String>,
    qual: Option<String>,
    with_check: Option<String>,
}

impl Policy {
    fn create_sql(&self) -> String {
        let mut sql = format!(
            "create policy {} on {}.{} as {} for {} to {}",
            self.name,
            self.schema,
            self.table,
            self.permissive,
            self.cmd,
            self.roles.join(", ")
        );
        if let Some(q) = &self.qual {
            sql.push_str(&format!(" using ({q})"));
        }
        if let Some(c) = &self.with_check {
            sql.push_str(&format!(" with check ({c})"));
        }
        sql
    }

    fn weaken_sql(&self) -> String {
        let target = format!("{} on {}.{}", self.name, self.schema, self.table);
        match self.cmd.as_str() {
            "INSERT" => format!("alter policy {target} with check (true)"),
            "SELECT" | "DELETE" => format!("alter policy {target} using (true)"),
            _ => format!("alter policy {target} using (true) with check (true)"),
        }
    }

    fn already_true(&self) -> bool {
        let t = |e: &Option<String>| e.as_deref().is_none_or(|q| q == "true");
        t(&self.qual) && t(&self.with_check)
    }
}

#[tokio::test]
async fn weakening_or_dropping_any_policy_breaks_the_matrix() {
    let scratch = test_db().await;
    let su = scratch.superuser().await;
    let mut runtime = scratch.runtime_client().await;
    let baseline = matrix::run(&mut runtime, &scratch.world, CASES).await;
    assert!(
        baseline.is_empty(),
        "matrix must pass before mutating: {}",
        baseline[0]
    );

    let rows = su
        .query(
            "select schemaname::text, tablename::text, policyname::text, cmd, permissive, roles::text[], qual, with_check \
             from pg_policies order by schemaname, tablename, policyname",
            &[],
        )
        .await
        .unwrap();
    let policies: Vec<Policy> = rows
        .iter()
        .map(|r| Policy {
            schema: r.get(0),
            table: r.get(1),
            name: r.get(2),
            cmd: r.get(3),
            permissive: r.get(4),
            roles: r.get(5),
            qual: r.get(6),
            with_check: r.get(7),
        })
        .collect();
    assert!(
        policies.len() > 30,
        "expected the full policy set, found {}",
        policies.len()
    );

    let mut survivors = Vec::new();
    for policy in &policies {
        for kind in ["drop", "true"] {
            let id = format!("{}:{kind}", policy.name);
            if EQUIVALENT.iter().any(|(e, _)| *e == id)
                || (kind == "true" && policy.already_true())
                || purge_policy(policy)
            {
                continue;
            }
            let mutate = if kind == "drop" {
                format!(
                    "drop policy {} on {}.{}",
                    policy.name, policy.schema, policy.table
                )
            } else {
                policy.weaken_sql()
            };
            su.batch_execute(&mutate)
                .await
                .unwrap_or_else(|e| panic!("{mutate}: {e}"));
            let failures = matrix::run(&mut runtime, &scratch.world, CASES).await;
            // Restore exactly as it was.
            su.batch_execute(&format!(
                "drop policy if exists {} on {}.{}; {}",
                policy.name,
                policy.schema,
                policy.table,
                policy.create_sql()
            ))
            .await
            .unwrap();
            if failures.is_empty() {
                survivors.push(id);
            }
        }
    }
    let restored = matrix::run(&mut runtime, &scratch.world, CASES).await;
    assert!(restored.is_empty(), "policies were not restored: {}", restored[0]);
    assert!(
        survivors.is_empty(),
        "mutants the policy matrix does not catch (add cases): {survivors:?}"
    );
}

#[tokio::test]
async fn disabling_rls_on_any_table_breaks_the_matrix() {
    let scratch = test_db().await;
    let su = scratch.superuser().await;
    let mut runtime = scratch.runtime_client().await;
    let tables = su
        .query(
            "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.relkind in ('r', 'p') and n.nspname = 'app' order by 1",
            &[],
        )
        .await
        .unwrap();
    let mut survivors = Vec::new();
    for row in &tables {
        let table: String = row.get(0);
        su.batch_execute(&format!("alter table {table} disable row level security"))
            .await
            .unwrap();
        let failures = matrix::run(&mut runtime, &scratch.world, CASES).await;
        su.batch_execute(&format!("alter table {table} enable row level security"))
            .await
            .unwrap();
        if failures.is_empty() {
            survivors.push(table);
        }
    }
    assert!(
        survivors.is_empty(),
        "tables whose RLS the matrix does not depend on: {survivors:?}"
    );
}
