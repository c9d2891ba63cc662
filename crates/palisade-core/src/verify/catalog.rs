//! The structural promises, read from `pg_catalog` of a live database: what the migrations set up
//! is still so (a hand-made grant, a disabled policy or a new table without its trigger shows here).
//! The catalog tests assert the same checks on the freshly migrated schema.
use std::collections::BTreeSet;

use tokio_postgres::GenericClient;

use super::Check;

/// The schemas Palisade's migrations own.
pub const SCHEMAS: &str = "('app', 'audit', 'auth', 'ctx', 'palisade_meta')";

/// The roles a runtime connection can act as.
pub const CONTEXT_ROLES: [&str; 5] = [
    "palisade_runtime",
    "app_user",
    "app_service",
    "app_auth",
    "app_reporting",
];

/// Tables in `app` that hold no domain data of their own, with the reason. Every other table in
/// `app` carries the audit trigger.
pub const NOT_AUDITED: &[(&str, &str)] = &[
    (
        "assistant_tasks",
        "the assistant's work queue (ids, a status, a code); what a task produces is audited where it lands",
    ),
    (
        "knowledge_passages",
        "derived from knowledge_entries (audited), rewritten with each change of its entry",
    ),
    (
        "ai_usage",
        "metering of calls to the model (counts and costs, no person, no prompt); what a call produced is audited where it lands",
    ),
    (
        "crm_sync_runs",
        "the HubSpot sync's lease and health, rewritten by every run; who connected and what they chose is audited on crm_connections",
    ),
    (
        "crm_sync_cursors",
        "where reading HubSpot stopped, moved after every page; what the pages wrote is audited on leads and deals",
    ),
    (
        "crm_outbox",
        "the queue of writes to HubSpot (ids, a status, a code), rewritten by every attempt; who marked an interaction stays on its row, and the links a write records are audited on deals",
    ),
    ("deal_stage_totals", "derived rollup, rebuilt from deals"),
    ("activity_daily", "derived rollup, rebuilt from interactions"),
    (
        "error_events",
        "telemetry counters updated on every occurrence; no tenant data",
    ),
    (
        "webhook_events",
        "the idempotency record of provider deliveries (ids and kinds only); what a delivery changes is audited where it lands",
    ),
    (
        "phone_verifications",
        "a pending code's digest and attempt count, read only by its functions; the outcome (verified_at) is audited on member_phones",
    ),
];

/// Every column `app_reporting` may read: aggregates need no names, bodies or addresses.
pub const REPORTING_COLUMNS: [(&str, &[&str]); 4] = [
    (
        "app.leads",
        &[
            "tenant_id",
            "id",
            "owner_id",
            "status",
            "source",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "app.deals",
        &[
            "tenant_id",
            "id",
            "lead_id",
            "owner_id",
            "stage",
            "amount_cents",
            "currency",
            "product",
            "closed_at",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "app.interactions",
        &[
            "tenant_id",
            "id",
            "lead_id",
            "actor_id",
            "channel",
            "direction",
            "occurred_at",
            "advised",
            "created_at",
        ],
    ),
    (
        "app.outbound_messages",
        &[
            "tenant_id",
            "id",
            "channel",
            "purpose",
            "status",
            "created_at",
            "sent_at",
        ],
    ),
];

/// The rep-private tables: their owner's alone.
pub const REP_PRIVATE: [&str; 3] = ["coaching_observations", "drafts", "voice_samples"];

/// Columns whose names speak of a secret or a phone number but hold neither.
const NOT_SECRETS: [&str; 4] = [
    "app.ai_usage.prompt_tokens",
    "app.ai_usage.completion_tokens",
    "app.crm_sync_runs.lease_token",
    "app.tenants.phone_region",
];

async fn strings<C: GenericClient>(client: &C, sql: &str) -> Result<Vec<String>, tokio_postgres::Error> {
    Ok(client.query(sql, &[]).await?.iter().map(|r| r.get(0)).collect())
}

/// Every structural check, in the order `palisade verify` prints them.
pub async fn checks<C: GenericClient>(client: &C) -> Result<Vec<Check>, tokio_postgres::Error> {
    Ok(vec![
        forced_rls(client).await?,
        runtime_roles(client).await?,
        definer_functions(client).await?,
        reporting_grants(client).await?,
        rep_private(client).await?,
        audit_triggers(client).await?,
        sealed_columns(client).await?,
    ])
}

pub async fn forced_rls<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    let mut bad = strings(
        client,
        &format!(
            "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.relkind in ('r', 'p') and n.nspname in {SCHEMAS} and not c.relispartition \
               and (not c.relrowsecurity or not c.relforcerowsecurity \
                    or not exists (select from pg_policy p where p.polrelid = c.oid))"
        ),
    )
    .await?;
    // Partitions are reached through their parent's policies; read directly they deny everything.
    let open = strings(
        client,
        &format!(
            "select n.nspname || '.' || c.relname || ' (partition)' from pg_class c \
             join pg_namespace n on n.oid = c.relnamespace \
             where c.relispartition and c.relkind = 'r' and n.nspname in {SCHEMAS} \
               and (not c.relrowsecurity or not c.relforcerowsecurity or (c.relacl is not null and exists ( \
                 select from aclexplode(c.relacl) a \
                 where a.grantee in (select oid from pg_roles where rolname = any($${{{roles}}}$$::text[])))))",
            roles = CONTEXT_ROLES.join(",")
        ),
    )
    .await?;
    bad.extend(open);
    Ok(Check::new(
        "tenant_isolation",
        "row-level security enabled, forced and with a policy on every table",
        bad,
    ))
}

pub async fn runtime_roles<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    let mut bad = strings(
        client,
        "select rolname::text || ' is privileged' from pg_roles where rolname = any($$\
         {palisade_runtime,app_user,app_service,app_auth,app_reporting,palisade_definer,palisade_owner}$$::text[]) \
         and (rolsuper or rolbypassrls or rolcreaterole or rolcreatedb or rolreplication)",
    )
    .await?;
    bad.extend(
        strings(
            client,
            "select 'palisade_runtime inherits' from pg_roles where rolname = 'palisade_runtime' and rolinherit",
        )
        .await?,
    );
    for role in CONTEXT_ROLES {
        bad.extend(
            strings(
                client,
                &format!(
                    "select '{role} owns table ' || c.relname::text from pg_class c where c.relowner = '{role}'::regrole \
                     union all select '{role} owns function ' || p.proname::text from pg_proc p \
                       where p.proowner = '{role}'::regrole \
                     union all select '{role} owns schema ' || n.nspname::text from pg_namespace n \
                       where n.nspowner = '{role}'::regrole"
                ),
            )
            .await?,
        );
    }
    let reachable: BTreeSet<String> = strings(
        client,
        "with recursive r(oid) as (select 'palisade_runtime'::regrole::oid \
           union select m.roleid from pg_auth_members m join r on m.member = r.oid) \
         select rolname::text from pg_roles where oid in (select oid from r) and rolname <> 'palisade_runtime'",
    )
    .await?
    .into_iter()
    .collect();
    let expected: BTreeSet<String> = CONTEXT_ROLES[1..].iter().map(|s| s.to_string()).collect();
    for extra in reachable.difference(&expected) {
        bad.push(format!("palisade_runtime can become {extra}"));
    }
    Ok(Check::new(
        "least_privilege",
        "runtime roles are not superuser or BYPASSRLS, own nothing, and reach only the context roles",
        bad,
    ))
}

pub async fn definer_functions<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    let name = "n.nspname || '.' || p.proname";
    let from = "from pg_proc p join pg_namespace n on n.oid = p.pronamespace";
    let bad = strings(
        client,
        &format!(
            "select {name} || ' has no empty search_path' {from} where p.prosecdef and n.nspname in {SCHEMAS} \
               and not coalesce('search_path=\"\"' = any(p.proconfig), false) \
             union all select {name} || ' is not owned by palisade_definer' {from} \
               where p.prosecdef and n.nspname in {SCHEMAS} and p.proowner <> 'palisade_definer'::regrole \
             union all select {name} || ' is executable by PUBLIC' {from} where n.nspname in {SCHEMAS} \
               and (p.proacl is null or exists (select from aclexplode(p.proacl) a \
                    where a.grantee = 0 and a.privilege_type = 'EXECUTE'))"
        ),
    )
    .await?;
    Ok(Check::new(
        "definer_functions",
        "SECURITY DEFINER functions pin search_path = '' and no function is executable by PUBLIC",
        bad,
    ))
}

/// Grants read from the ACLs themselves (`information_schema` shows a non-superuser only the
/// grants of roles it belongs to): `schema.table:PRIV` and `schema.table.column:PRIV`.
fn grants_sql(roles: &str, tables: &str) -> String {
    // A grant to PUBLIC (grantee 0) is a grant to these roles too, and named as such.
    format!(
        "select coalesce(r.rolname::text, 'PUBLIC') || ' ' || n.nspname || '.' || c.relname || ':' || a.privilege_type \
         from pg_class c join pg_namespace n on n.oid = c.relnamespace, aclexplode(c.relacl) a \
         left join pg_roles r on r.oid = a.grantee \
         where (r.rolname in ({roles}) or a.grantee = 0) and n.nspname in {SCHEMAS} and {tables} \
         union all select coalesce(r.rolname::text, 'PUBLIC') || ' ' || n.nspname || '.' || c.relname || '.' \
           || att.attname || ':' || a.privilege_type \
         from pg_attribute att join pg_class c on c.oid = att.attrelid \
         join pg_namespace n on n.oid = c.relnamespace, aclexplode(att.attacl) a \
         left join pg_roles r on r.oid = a.grantee \
         where (r.rolname in ({roles}) or a.grantee = 0) and not att.attisdropped \
           and n.nspname in {SCHEMAS} and {tables}"
    )
}

pub async fn reporting_grants<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    let actual: BTreeSet<String> = strings(client, &grants_sql("'app_reporting'", "true"))
        .await?
        .into_iter()
        .map(|g| g.trim_start_matches("app_reporting ").to_owned())
        .collect();
    let expected: BTreeSet<String> = REPORTING_COLUMNS
        .iter()
        .flat_map(|(table, columns)| columns.iter().map(move |c| format!("{table}.{c}:SELECT")))
        .collect();
    let mut bad: Vec<String> = actual
        .difference(&expected)
        .map(|g| format!("extra grant {g}"))
        .collect();
    bad.extend(expected.difference(&actual).map(|g| format!("missing grant {g}")));
    Ok(Check::new(
        "reporting_scope",
        "the reporting role holds exactly the enumerated column grants",
        bad,
    ))
}

pub async fn rep_private<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    let names = REP_PRIVATE.map(|t| format!("'{t}'")).join(", ");
    let tables = format!("n.nspname = 'app' and c.relname in ({names})");
    // The service context may insert (the assistant's drafts and coaching); the user context
    // reaches rows through owner-only policies; no other role holds a grant or a policy.
    let mut bad: Vec<String> = strings(
        client,
        &grants_sql("'app_reporting', 'app_service', 'app_auth'", &tables),
    )
    .await?
    .into_iter()
    .filter(|g| !(g.starts_with("app_service ") && g.ends_with(":INSERT")))
    .map(|g| format!("grant {g}"))
    .collect();
    bad.extend(
        strings(
            client,
            &format!(
                "select 'policy ' || policyname || ' on ' || tablename || ' names ' || array_to_string(roles, ',') \
                 from pg_policies where schemaname = 'app' and tablename in ({names}) \
                   and roles && array['app_reporting', 'app_auth', 'public']::name[] \
                 union all select 'policy ' || policyname || ' on ' || tablename || ' reads a role' \
                 from pg_policies where schemaname = 'app' and tablename in ({names}) \
                   and coalesce(qual, '') || coalesce(with_check, '') like '%has_role%'"
            ),
        )
        .await?,
    );
    Ok(Check::new(
        "rep_private",
        "a rep's drafts, coaching and voice samples have no manager or reporting path",
        bad,
    ))
}

pub async fn audit_triggers<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    // tgtype bits: 1 row level, 4 insert, 8 delete, 16 update.
    let rows = client
        .query(
            "select c.relname::text, exists (select from pg_trigger t \
                 where t.tgrelid = c.oid and t.tgfoid = 'audit.record_change'::regproc \
                   and t.tgenabled = 'O' and (t.tgtype & 29) = 29) \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = 'app' and c.relkind in ('r', 'p') and not c.relispartition order by 1",
            &[],
        )
        .await?;
    let bad = rows
        .iter()
        .filter(|row| {
            let table: String = row.get(0);
            !row.get::<_, bool>(1) && !NOT_AUDITED.iter().any(|(t, _)| *t == table)
        })
        .map(|row| format!("app.{} has no audit trigger", row.get::<_, String>(0)))
        .collect();
    let mut bad: Vec<String> = bad;
    // A rep-private table's events are private (managers read the trail; they must not read these).
    let names = REP_PRIVATE.map(|t| format!("'{t}'")).join(", ");
    bad.extend(
        strings(
            client,
            &format!(
                "select 'app.' || c.relname || ' records its changes as not private' from pg_class c \
                 join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'app' and c.relname in ({names}) \
                 and not exists (select from pg_trigger t where t.tgrelid = c.oid \
                   and t.tgfoid = 'audit.record_change'::regproc \
                   and 'private' = any(string_to_array(encode(t.tgargs, 'escape'), '\\000')))"
            ),
        )
        .await?,
    );
    Ok(Check::new(
        "audit_trail",
        "every domain table carries the audit trigger (row level, insert, update, delete)",
        bad,
    ))
}

pub async fn sealed_columns<C: GenericClient>(client: &C) -> Result<Check, tokio_postgres::Error> {
    let columns = strings(
        client,
        &format!(
            "select table_schema || '.' || table_name || '.' || column_name || ' is ' || data_type \
             from information_schema.columns where table_schema in {SCHEMAS} \
               and column_name ~ '(phone|secret|token|password|api_key)' and data_type <> 'bytea'"
        ),
    )
    .await?;
    let bad = columns
        .into_iter()
        .filter(|c| !NOT_SECRETS.iter().any(|n| c.starts_with(&format!("{n} "))))
        .collect();
    Ok(Check::new(
        "sealed_at_rest",
        "no column holds a secret, token, password or phone number as plain text",
        bad,
    ))
}
