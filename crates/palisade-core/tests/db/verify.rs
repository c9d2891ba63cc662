//! `palisade verify`'s database checks: every promise holds on the migrated schema, the probe leaves
//! nothing behind, and each check fails when what it guards is broken (inside a transaction that is
//! rolled back, so the schema is untouched for the other tests).
use palisade_core::verify::{catalog, probe, Check};
use palisade_testkit::test_db;

fn failed<'a>(checks: &'a [Check], promise: &str) -> &'a Check {
    let check = checks
        .iter()
        .find(|c| c.promise == promise)
        .unwrap_or_else(|| panic!("no check {promise}"));
    assert!(!check.passed, "{promise} should fail: {check:?}");
    check
}

#[tokio::test]
async fn every_promise_holds_and_the_probe_leaves_nothing_behind() {
    let t = test_db().await;
    let mut su = t.superuser().await;
    let checks = catalog::checks(&su).await.unwrap();
    for check in &checks {
        assert!(check.passed, "{}: {:?}", check.promise, check.problems);
    }
    assert_eq!(checks.len(), 7);
    let mut tx = su.transaction().await.unwrap();
    let behaviour = probe::run(&mut tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(behaviour.passed, "{:?}", behaviour.problems);
    let left: i64 = su
        .query_one("select count(*) from app.tenants where slug like 'verify-%'", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the probe's tenants are rolled back");
}

#[tokio::test]
async fn a_weakened_schema_fails_the_checks_that_guard_it() {
    let t = test_db().await;
    let mut su = t.superuser().await;
    let tx = su.transaction().await.unwrap();
    tx.batch_execute(
        "alter table app.leads no force row level security; \
         grant select on app.drafts to app_reporting; \
         alter role app_user bypassrls; \
         grant execute on function ctx.tenant_id() to public; \
         alter table app.deals disable trigger user; \
         alter table app.tenants add column admin_phone text; \
         grant select on app.voice_samples to public; \
         drop trigger coaching_observations_audit on app.coaching_observations; \
         create trigger coaching_observations_audit after insert or delete or update on app.coaching_observations \
           for each row execute function audit.record_change('tenant_id', 'id', '', 'domain')",
    )
    .await
    .unwrap();
    let checks = catalog::checks(&tx).await.unwrap();
    tx.rollback().await.unwrap();
    let names = |promise: &str| failed(&checks, promise).problems.join("; ");
    assert!(names("tenant_isolation").contains("app.leads"));
    assert!(names("least_privilege").contains("app_user is privileged"));
    assert!(names("definer_functions").contains("ctx.tenant_id is executable by PUBLIC"));
    assert!(names("reporting_scope").contains("extra grant app.drafts:SELECT"));
    assert!(names("rep_private").contains("app_reporting"));
    assert!(names("rep_private").contains("PUBLIC app.voice_samples:SELECT"));
    assert!(names("audit_trail").contains("app.coaching_observations records its changes as not private"));
    assert!(names("audit_trail").contains("app.deals"));
    assert!(names("sealed_at_rest").contains("app.tenants.admin_phone"));
}

#[tokio::test]
async fn the_probe_fails_when_a_policy_forgets_its_tenant_or_its_owner() {
    let t = test_db().await;
    let mut su = t.superuser().await;
    let mut tx = su.transaction().await.unwrap();
    // Each is what a hurried migration might write: the role rule kept, the tenant clause lost;
    // a manager's read added to a rep's own records.
    tx.batch_execute(
        "create policy verify_break_leads on app.leads for select to app_user \
           using ((select ctx.has_role('manager'))); \
         create policy verify_break_drafts on app.drafts for select to app_user \
           using (tenant_id = (select ctx.tenant_id()) and (select ctx.has_role('manager')))",
    )
    .await
    .unwrap();
    let mut inner = tx.transaction().await.unwrap();
    let behaviour = probe::run(&mut inner).await.unwrap();
    inner.rollback().await.unwrap();
    tx.rollback().await.unwrap();
    assert!(!behaviour.passed);
    let problems = behaviour.problems.join("\n");
    assert!(
        problems.contains("a manager reads another tenant's leads"),
        "{problems}"
    );
    assert!(problems.contains("a manager reads a rep's drafts"), "{problems}");
    assert!(
        !problems.contains("(control)"),
        "the controls still hold: {problems}"
    );
    assert!(!problems.contains("proves nothing"), "{problems}");
}
