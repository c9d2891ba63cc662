//! The catalog gate: structural promises checked against pg_catalog, so a new table, function or
//! grant that breaks the security model fails here even before anyone writes a matrix row.
use std::collections::BTreeSet;

use palisade_testkit::test_db;

// The lists are `palisade verify`'s own: the live check and this gate hold the same promises.
use palisade_core::verify::catalog::{CONTEXT_ROLES, NOT_AUDITED, REPORTING_COLUMNS, SCHEMAS};

async fn strings(client: &tokio_postgres::Client, sql: &str) -> Vec<String> {
    client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn every_table_has_rls_enabled_forced_and_a_policy() {
    let su = test_db().await.superuser().await;
    let bad = strings(
        &su,
        &format!(
            "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.relkind in ('r', 'p') and n.nspname in {SCHEMAS} and not c.relispartition \
               and (not c.relrowsecurity or not c.relforcerowsecurity \
                    or not exists (select from pg_policy p where p.polrelid = c.oid))"
        ),
    )
    .await;
    assert!(
        bad.is_empty(),
        "tables without enabled+forced RLS and a policy: {bad:?}"
    );
    // Partitions are reached through their parent's policies; read directly they must deny everything:
    // RLS forced, and no privilege for any runtime role.
    let open_partitions = strings(
        &su,
        &format!(
            "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.relispartition and c.relkind = 'r' and n.nspname in {SCHEMAS} \
               and (not c.relrowsecurity or not c.relforcerowsecurity or (c.relacl is not null and exists ( \
                 select from aclexplode(c.relacl) a \
                 where a.grantee in (select oid from pg_roles where rolname in \
                   ('palisade_runtime', 'app_user', 'app_service', 'app_auth', 'app_reporting')))))"
        ),
    )
    .await;
    assert!(
        open_partitions.is_empty(),
        "partitions readable past their parent's policies: {open_partitions:?}"
    );
}

#[tokio::test]
async fn every_domain_table_has_the_audit_trigger() {
    let su = test_db().await.superuser().await;
    // tgtype bits: 1 row level, 4 insert, 8 delete, 16 update.
    let rows = su
        .query(
            "select c.relname::text, exists (select from pg_trigger t \
                 where t.tgrelid = c.oid and t.tgfoid = 'audit.record_change'::regproc \
                   and t.tgenabled = 'O' \
                   and (t.tgtype & 29) = 29) \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = 'app' and c.relkind in ('r', 'p') and not c.relispartition order by 1",
            &[],
        )
        .await
        .unwrap();
    let mut missing = Vec::new();
    for row in &rows {
        let (table, audited): (String, bool) = (row.get(0), row.get(1));
        let exempt = NOT_AUDITED.iter().any(|(t, _)| *t == table);
        assert!(
            !(exempt && audited),
            "{table} is listed as not audited but has the trigger"
        );
        if !exempt && !audited {
            missing.push(table);
        }
    }
    assert!(
        missing.is_empty(),
        "domain tables without the audit trigger (row level, insert, update and delete): {missing:?}"
    );
    assert!(
        rows.len() >= 13,
        "expected the domain tables, found {}",
        rows.len()
    );
}

#[tokio::test]
async fn runtime_roles_are_unprivileged_and_own_nothing() {
    let su = test_db().await.superuser().await;
    let privileged = strings(
        &su,
        "select rolname::text from pg_roles where rolname = any($$\
         {palisade_runtime,app_user,app_service,app_auth,app_reporting,palisade_definer,palisade_owner}$$::text[]) \
         and (rolsuper or rolbypassrls or rolcreaterole or rolcreatedb or rolreplication)",
    )
    .await;
    assert!(privileged.is_empty(), "privileged Palisade roles: {privileged:?}");
    let inherit = strings(
        &su,
        "select rolname::text from pg_roles where rolname = 'palisade_runtime' and rolinherit",
    )
    .await;
    assert!(inherit.is_empty(), "palisade_runtime must be NOINHERIT");
    for role in CONTEXT_ROLES {
        let owned = strings(
            &su,
            &format!(
                "select 'table ' || c.relname::text from pg_class c where c.relowner = '{role}'::regrole \
                 union all select 'function ' || p.proname::text from pg_proc p where p.proowner = '{role}'::regrole \
                 union all select 'schema ' || n.nspname::text from pg_namespace n where n.nspowner = '{role}'::regrole"
            ),
        )
        .await;
        assert!(owned.is_empty(), "{role} owns objects: {owned:?}");
    }
    // The runtime login can become exactly the four context roles, nothing else (no owner, no definer).
    let reachable: BTreeSet<String> = strings(
        &su,
        "with recursive r(oid) as (select 'palisade_runtime'::regrole::oid \
           union select m.roleid from pg_auth_members m join r on m.member = r.oid) \
         select rolname::text from pg_roles where oid in (select oid from r) and rolname <> 'palisade_runtime'",
    )
    .await
    .into_iter()
    .collect();
    let expected: BTreeSet<String> = ["app_auth", "app_reporting", "app_service", "app_user"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(reachable, expected);
}

#[tokio::test]
async fn security_definer_functions_are_pinned_and_not_public() {
    let su = test_db().await.superuser().await;
    let definers = strings(
        &su,
        &format!(
            "select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where p.prosecdef and n.nspname in {SCHEMAS}"
        ),
    )
    .await;
    assert!(
        definers.len() >= 10,
        "expected the ctx and tenancy functions, found {definers:?}"
    );
    let unpinned = strings(
        &su,
        &format!(
            "select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where p.prosecdef and n.nspname in {SCHEMAS} \
               and not coalesce('search_path=\"\"' = any(p.proconfig), false)"
        ),
    )
    .await;
    assert!(
        unpinned.is_empty(),
        "SECURITY DEFINER without search_path='': {unpinned:?}"
    );
    let wrong_owner = strings(
        &su,
        &format!(
            "select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where p.prosecdef and n.nspname in {SCHEMAS} and p.proowner <> 'palisade_definer'::regrole"
        ),
    )
    .await;
    assert!(
        wrong_owner.is_empty(),
        "SECURITY DEFINER not owned by palisade_definer: {wrong_owner:?}"
    );
    // No function of ours is executable by PUBLIC (a NULL acl means the default: PUBLIC may execute).
    let public = strings(
        &su,
        &format!(
            "select n.nspname || '.' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where n.nspname in {SCHEMAS} and (p.proacl is null or exists ( \
               select from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))"
        ),
    )
    .await;
    assert!(public.is_empty(), "functions executable by PUBLIC: {public:?}");
}

#[tokio::test]
async fn reporting_holds_exactly_the_enumerated_grants() {
    let su = test_db().await.superuser().await;
    let actual: BTreeSet<String> = strings(
        &su,
        "select table_schema || '.' || table_name || '.' || column_name || ':' || privilege_type \
         from information_schema.column_privileges where grantee = 'app_reporting' \
         union select table_schema || '.' || table_name || ':' || privilege_type \
         from information_schema.role_table_grants where grantee = 'app_reporting'",
    )
    .await
    .into_iter()
    .collect();
    let mut expected = BTreeSet::new();
    for (table, columns) in REPORTING_COLUMNS {
        for c in columns {
            expected.insert(format!("{table}.{c}:SELECT"));
        }
    }
    assert_eq!(
        actual, expected,
        "app_reporting grants differ from the enumerated list"
    );
    // Rep-private tables: nothing for reporting, INSERT only for the service context.
    let private = strings(
        &su,
        "select grantee || ':' || table_name || ':' || privilege_type from information_schema.role_table_grants \
         where table_schema = 'app' and table_name in ('coaching_observations', 'drafts', 'voice_samples') \
           and grantee in ('app_reporting', 'app_service', 'app_auth')",
    )
    .await;
    for g in &private {
        assert!(
            g.starts_with("app_service:") && g.ends_with(":INSERT"),
            "unexpected grant on a rep-private table: {g}"
        );
    }
    assert_eq!(private.len(), 3);
}

#[tokio::test]
async fn policies_wrap_context_helpers_in_a_subquery() {
    let su = test_db().await.superuser().await;
    let rows = su
        .query(
            "select policyname::text, coalesce(qual, '') || ' ' || coalesce(with_check, '') from pg_policies",
            &[],
        )
        .await
        .unwrap();
    let mut unwrapped = Vec::new();
    for row in &rows {
        let (name, expr): (String, String) = (row.get(0), row.get(1));
        for (i, _) in expr.match_indices("ctx.") {
            // Per-row membership checks take row values and cannot be hoisted.
            if expr[i..].starts_with("ctx.is_active_member(") {
                continue;
            }
            if !expr[..i].ends_with("SELECT ") {
                unwrapped.push(format!("{name}: …{}", &expr[i..(i + 30).min(expr.len())]));
            }
        }
    }
    assert!(
        unwrapped.is_empty(),
        "ctx helpers called per row instead of (select ctx.fn()): {unwrapped:?}"
    );
}

#[tokio::test]
async fn foreign_keys_and_policy_columns_are_indexed() {
    let su = test_db().await.superuser().await;
    // Every foreign key has an index whose leading columns are the key's columns.
    let unindexed = strings(
        &su,
        &format!(
            "select c.conrelid::regclass::text || ' ' || c.conname from pg_constraint c \
             join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace \
             where c.contype = 'f' and n.nspname in {SCHEMAS} and not exists ( \
               select from pg_index i where i.indrelid = c.conrelid \
                 and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey \
                 and (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey)"
        ),
    )
    .await;
    assert!(
        unindexed.is_empty(),
        "foreign keys without a leading index: {unindexed:?}"
    );
    // Tenant tables are keyed (tenant_id, id) so keys and foreign keys always carry the tenant.
    // Platform tables only point at a tenant (error_events: where a failure happened;
    // incident_tenants: which tenants an incident affects) and are exempt.
    let badly_keyed = strings(
        &su,
        "select t.relname::text from pg_class t join pg_namespace n on n.oid = t.relnamespace \
         join pg_constraint pk on pk.conrelid = t.oid and pk.contype = 'p' \
         where n.nspname = 'app' and t.relkind = 'r' \
           and t.relname not in ('error_events', 'incident_tenants') \
           and exists (select from pg_attribute a where a.attrelid = t.oid and a.attname = 'tenant_id') \
           and (select a.attname from pg_attribute a where a.attrelid = t.oid and a.attnum = pk.conkey[1]) <> 'tenant_id'",
    )
    .await;
    assert!(
        badly_keyed.is_empty(),
        "tenant tables whose primary key does not start with tenant_id: {badly_keyed:?}"
    );
}

/// The access log's filter names every action the database may hold, and nothing else: an action a
/// migration adds without the API knowing it could never be filtered for.
#[tokio::test]
async fn the_access_log_filter_knows_every_action_the_database_allows() {
    let su = test_db().await.superuser().await;
    let definition: String = su
        .query_one(
            "select pg_get_constraintdef(oid) from pg_constraint where conname = 'access_events_action_check'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let allowed: BTreeSet<String> = definition
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    let known: BTreeSet<String> = allowed
        .iter()
        .filter(|a| {
            serde_json::from_value::<palisade_core::audit::access::AccessAction>(serde_json::json!(a))
                .is_ok_and(|parsed| parsed.as_str() == a.as_str())
        })
        .cloned()
        .collect();
    assert!(allowed.len() > 20, "{definition}");
    assert_eq!(
        known, allowed,
        "actions the database allows but AccessAction does not name"
    );
    let listed: BTreeSet<String> = palisade_core::audit::access::AccessAction::ALL
        .iter()
        .map(|a| a.as_str().to_owned())
        .collect();
    assert_eq!(
        listed, allowed,
        "AccessAction::ALL (the pages' filter) misses an action"
    );
}
