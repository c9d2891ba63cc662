//! The database policy matrix: (table, identity, statement) → expected outcome. It encodes the
//! visibility matrix of DESIGN §2. The policy test runs it on a fresh database; the mutation test
//! weakens or drops each policy in a scratch database and requires that it then fails.
//!
//! Every case runs in its own transaction on a plain connection of the runtime login, using the very
//! context statement `palisade-db` uses, and is rolled back. The runner deliberately skips the
//! application's own membership check (`Db::user`), so these rows prove what the *database* allows.
use palisade_db::{ContextRole, SET_CONTEXT};

use crate::world::{Who, World};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// `select count(...)` returns this number.
    Rows(i64),
    /// A write affects this many rows (0 = filtered out by a policy, silently).
    Affected(u64),
    /// The statement succeeds (function calls).
    Ok,
    /// SQLSTATE 42501: no privilege, or a policy's WITH CHECK rejected the row.
    Denied,
    /// Another SQLSTATE (business rules raised by functions).
    Sqlstate(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Case {
    pub table: &'static str,
    pub who: Who,
    pub sql: &'static str,
    pub expect: Expect,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Rows(i64),
    Affected(u64),
    Ok,
    Error(String),
}

impl Outcome {
    fn matches(&self, expect: Expect) -> bool {
        match (self, expect) {
            (Outcome::Rows(a), Expect::Rows(b)) => *a == b,
            (Outcome::Affected(a), Expect::Affected(b)) => *a == b,
            (Outcome::Ok, Expect::Ok) => true,
            (Outcome::Error(code), Expect::Denied) => code == "42501",
            (Outcome::Error(code), Expect::Sqlstate(s)) => code == s,
            _ => false,
        }
    }
}

#[derive(Debug)]
pub struct Mismatch {
    pub case: Case,
    pub got: Outcome,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}] {:?}: `{}` expected {:?}, got {:?}",
            self.case.table, self.case.who, self.case.sql, self.case.expect, self.got
        )
    }
}

fn substitute(sql: &str, w: &World) -> String {
    let pairs: [(&str, String); 31] = [
        ("{session_a1}", w.session_a1.to_string()),
        ("{session_a2}", w.session_a2.to_string()),
        ("{tenant_a}", w.tenant_a.to_string()),
        ("{tenant_b}", w.tenant_b.to_string()),
        ("{admin_a}", w.admin_a.to_string()),
        ("{manager_a}", w.manager_a.to_string()),
        ("{rep_a1}", w.rep_a1.to_string()),
        ("{rep_a2}", w.rep_a2.to_string()),
        ("{removed_a}", w.removed_a.to_string()),
        ("{admin_b}", w.admin_b.to_string()),
        ("{rep_b1}", w.rep_b1.to_string()),
        ("{lead_a1}", w.lead_a1.to_string()),
        ("{lead_a2}", w.lead_a2.to_string()),
        ("{lead_b1}", w.lead_b1.to_string()),
        ("{deal_a1}", w.deal_a1.to_string()),
        ("{deal_a2}", w.deal_a2.to_string()),
        ("{deal_b1}", w.deal_b1.to_string()),
        ("{interaction_a1m}", w.interaction_a1m.to_string()),
        ("{interaction_a1}", w.interaction_a1.to_string()),
        ("{interaction_a2}", w.interaction_a2.to_string()),
        ("{interaction_b1}", w.interaction_b1.to_string()),
        ("{draft_a1}", w.draft_a1.to_string()),
        ("{draft_a2}", w.draft_a2.to_string()),
        ("{draft_b1}", w.draft_b1.to_string()),
        ("{coaching_a1}", w.coaching_a1.to_string()),
        ("{coaching_a2}", w.coaching_a2.to_string()),
        ("{coaching_b1}", w.coaching_b1.to_string()),
        ("{voice_a1}", w.voice_a1.to_string()),
        ("{voice_a2}", w.voice_a2.to_string()),
        ("{voice_b1}", w.voice_b1.to_string()),
        ("{incident}", w.incident.to_string()),
    ];
    let mut out = sql.to_owned();
    for (k, v) in &pairs {
        out = out.replace(k, v);
    }
    assert!(!out.contains('{'), "unknown placeholder in {sql}");
    out
}

/// Runs one case in a transaction that is always rolled back.
pub async fn run_case(client: &mut tokio_postgres::Client, world: &World, case: &Case) -> Outcome {
    let (role, user, tenant) = world.context(case.who);
    let sql = substitute(case.sql, world);
    let tx = client.transaction().await.expect("begin");
    let user = user.map(|u| u.to_string()).unwrap_or_default();
    let tenant = tenant.map(|t| t.to_string()).unwrap_or_default();
    let purpose = if role == ContextRole::Service { "test" } else { "" };
    tx.execute(
        SET_CONTEXT,
        &[&role.role_name(), &user, &tenant, &"policy-matrix", &purpose],
    )
    .await
    .expect("set context");
    let outcome = match case.expect {
        Expect::Rows(_) => match tx.query_one(&sql, &[]).await {
            Ok(row) => Outcome::Rows(row.get::<_, i64>(0)),
            Err(e) => error(e),
        },
        Expect::Affected(_) => match tx.execute(&sql, &[]).await {
            Ok(n) => Outcome::Affected(n),
            Err(e) => error(e),
        },
        _ => match tx.batch_execute(&sql).await {
            Ok(()) => Outcome::Ok,
            Err(e) => error(e),
        },
    };
    tx.rollback().await.expect("rollback");
    outcome
}

fn error(e: tokio_postgres::Error) -> Outcome {
    Outcome::Error(
        e.code()
            .map(|c| c.code().to_owned())
            .unwrap_or_else(|| format!("non-db error: {e}")),
    )
}

/// Runs every case; returns the ones whose outcome differs from the expectation.
pub async fn run(client: &mut tokio_postgres::Client, world: &World, cases: &[Case]) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for case in cases {
        let got = run_case(client, world, case).await;
        if !got.matches(case.expect) {
            mismatches.push(Mismatch { case: *case, got });
        }
    }
    mismatches
}

macro_rules! case {
    ($table:literal, $who:ident, $sql:literal, $expect:expr) => {
        Case {
            table: $table,
            who: Who::$who,
            sql: $sql,
            expect: $expect,
        }
    };
}

use Expect::{Affected, Denied, Rows, Sqlstate};

/// The matrix. Tables named here must cover every table in `app`, `audit`, `auth` and `palisade_meta`.
pub static CASES: &[Case] = &[
    // tenants: members see their tenants; the service its own; nobody writes directly.
    case!("app.tenants", RepA1, "select count(*) from app.tenants", Rows(1)),
    case!("app.tenants", AdminB, "select count(*) from app.tenants where id = '{tenant_a}'", Rows(0)),
    case!("app.tenants", RemovedA, "select count(*) from app.tenants", Rows(0)),
    case!("app.tenants", ServiceA, "select count(*) from app.tenants", Rows(1)),
    case!("app.tenants", ReportingA, "select count(*) from app.tenants", Denied),
    case!("app.tenants", AdminA, "update app.tenants set name = 'x' where id = '{tenant_a}'", Denied),
    case!("app.tenants", RepA1, "insert into app.tenants (id, slug, name) values (gen_random_uuid(), 'zz-evil', 'x')", Denied),
    // users: yourself and the members of the tenant you act in.
    case!("app.users", RepA1, "select count(*) from app.users", Rows(5)),
    case!("app.users", AdminB, "select count(*) from app.users", Rows(2)),
    case!("app.users", RemovedA, "select count(*) from app.users", Rows(1)),
    case!("app.users", ServiceA, "select count(*) from app.users", Denied),
    case!("app.users", RepA1, "update app.users set email = 'x@y.z' where id = '{rep_a1}'", Denied),
    // memberships: read the tenant's (and your own); change only through functions.
    case!("app.memberships", RepA1, "select count(*) from app.memberships", Rows(5)),
    case!("app.memberships", AdminB, "select count(*) from app.memberships", Rows(2)),
    case!("app.memberships", RemovedA, "select count(*) from app.memberships", Rows(1)),
    case!("app.memberships", ServiceA, "select count(*) from app.memberships", Rows(5)),
    case!("app.memberships", ReportingA, "select count(*) from app.memberships", Denied),
    case!("app.memberships", RepA1, "update app.memberships set role = 'admin' where user_id = '{rep_a1}'", Denied),
    case!("app.memberships", AdminA, "select app.add_member('new@a.test', 'New', 'rep')", Expect::Ok),
    case!("app.memberships", ManagerA, "select app.add_member('new@a.test', 'New', 'rep')", Denied),
    case!("app.memberships", RemovedA, "select app.add_member('new@a.test', 'New', 'admin')", Denied),
    case!("app.memberships", AdminA, "select app.change_member_role('{rep_a2}', 'manager')", Expect::Ok),
    case!("app.memberships", RepA1, "select app.change_member_role('{rep_a1}', 'admin')", Denied),
    case!("app.memberships", AdminA, "select app.remove_member('{admin_a}')", Expect::Sqlstate("PA409")),
    case!("app.memberships", AdminA, "select app.change_member_role('{admin_a}', 'rep')", Expect::Sqlstate("PA409")),
    case!("app.memberships", AdminA, "select app.add_member('admin-a@a.test', 'A', 'rep')", Expect::Sqlstate("PA409")),
    case!("app.memberships", AdminB, "select app.remove_member('{rep_a1}')", Expect::Sqlstate("PA404")),
    case!("app.memberships", RepA1, "select app.create_tenant('new-tenant', 'New')", Expect::Ok),
    case!("app.memberships", ServiceA, "select app.create_tenant('svc-tenant', 'New')", Denied),
    case!("app.memberships", Auth, "select auth.ensure_user('someone@x.test', 'S')", Expect::Ok),
    case!("app.memberships", RepA1, "select auth.ensure_user('someone@x.test', 'S')", Denied),
    case!("app.memberships", ReportingA, "select ctx.tenant_id()", Denied),
    // platform admins: only your own row.
    case!("app.platform_admins", AdminB, "select count(*) from app.platform_admins", Rows(1)),
    case!("app.platform_admins", AdminA, "select count(*) from app.platform_admins", Rows(0)),
    case!("app.platform_admins", AdminA, "insert into app.platform_admins (user_id) values ('{admin_a}')", Denied),
    // leads: reps own/assigned; managers and admins the tenant; service read/write; reporting no PII.
    case!("app.leads", RepA1, "select count(*) from app.leads", Rows(1)),
    case!("app.leads", RepA1, "select count(*) from app.leads where id = '{lead_a2}'", Rows(0)),
    case!("app.leads", RepA2, "select count(*) from app.leads", Rows(1)),
    case!("app.leads", ManagerA, "select count(*) from app.leads", Rows(2)),
    case!("app.leads", AdminA, "select count(*) from app.leads", Rows(2)),
    case!("app.leads", AdminB, "select count(*) from app.leads", Rows(1)),
    case!("app.leads", RemovedA, "select count(*) from app.leads", Rows(0)),
    case!("app.leads", ServiceA, "select count(*) from app.leads", Rows(2)),
    case!("app.leads", ReportingA, "select count(id) from app.leads", Rows(2)),
    case!("app.leads", ReportingA, "select count(email) from app.leads", Denied),
    case!("app.leads", ReportingA, "select count(phone_sealed) from app.leads", Denied),
    case!("app.leads", ReportingA, "select count(phone_index) from app.leads", Denied),
    case!("app.tenants", AdminA, "select app.set_phone_region('GB')", Expect::Ok),
    case!("app.tenants", ManagerA, "select app.set_phone_region('GB')", Denied),
    case!("app.tenants", AdminA, "select app.set_phone_region('gb')", Expect::Sqlstate("23514")),
    case!("app.tenants", ServiceA, "select app.set_phone_region('GB')", Denied),
    case!("app.leads", ReportingA, "select count(name) from app.leads", Denied),
    case!("app.leads", ReportingA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'x')", Denied),
    case!("app.leads", RepA1, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'x')", Affected(1)),
    case!("app.leads", RepA1, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{rep_a2}', 'x')", Denied),
    case!("app.leads", ManagerA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{rep_a2}', 'x')", Affected(1)),
    case!("app.leads", ManagerA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{removed_a}', 'x')", Denied),
    case!("app.leads", AdminB, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{admin_b}', 'x')", Denied),
    case!("app.leads", RemovedA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{removed_a}', 'x')", Denied),
    case!("app.leads", ServiceA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'x')", Affected(1)),
    case!("app.leads", ServiceA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_b}', gen_random_uuid(), '{rep_b1}', 'x')", Denied),
    case!("app.leads", ServiceA, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{removed_a}', 'x')", Denied),
    case!("app.leads", RepA1, "update app.leads set name = 'y' where id = '{lead_a1}'", Affected(1)),
    case!("app.leads", RepA1, "update app.leads set name = 'y' where id = '{lead_a2}'", Affected(0)),
    case!("app.leads", RepA1, "update app.leads set owner_id = '{rep_a2}' where id = '{lead_a1}'", Denied),
    case!("app.leads", RepA1, "update app.leads set tenant_id = '{tenant_b}' where id = '{lead_a1}'", Denied),
    case!("app.leads", ManagerA, "update app.leads set owner_id = '{rep_a2}' where id = '{lead_a1}'", Affected(1)),
    case!("app.leads", ManagerA, "update app.leads set owner_id = '{removed_a}' where id = '{lead_a1}'", Denied),
    case!("app.leads", AdminB, "update app.leads set name = 'y' where id = '{lead_a1}'", Affected(0)),
    case!("app.leads", ServiceA, "update app.leads set name = 'y' where id = '{lead_a1}'", Affected(1)),
    case!("app.leads", ServiceA, "update app.leads set name = 'y' where id = '{lead_b1}'", Affected(0)),
    case!("app.leads", RepA1, "delete from app.leads where id = '{lead_a1}'", Affected(0)),
    case!("app.leads", ManagerA, "delete from app.leads where id = '{lead_a2}'", Affected(1)),
    case!("app.leads", AdminB, "delete from app.leads where id = '{lead_a1}'", Affected(0)),
    case!("app.leads", ServiceA, "delete from app.leads where id = '{lead_a1}'", Affected(1)),
    case!("app.leads", ServiceA, "delete from app.leads where id = '{lead_b1}'", Affected(0)),
    // deals: as leads; a deal only on a lead the writer can see.
    case!("app.deals", RepA1, "select count(*) from app.deals", Rows(1)),
    case!("app.deals", ManagerA, "select count(*) from app.deals", Rows(2)),
    case!("app.deals", AdminB, "select count(*) from app.deals", Rows(1)),
    case!("app.deals", RemovedA, "select count(*) from app.deals", Rows(0)),
    case!("app.deals", ServiceA, "select count(*) from app.deals", Rows(2)),
    case!("app.deals", ReportingA, "select count(amount_cents) from app.deals", Rows(2)),
    case!("app.deals", ReportingA, "select count(title) from app.deals", Denied),
    case!("app.deals", RepA1, "insert into app.deals (tenant_id, id, lead_id, owner_id, title) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a1}', 'd')", Affected(1)),
    case!("app.deals", RepA1, "insert into app.deals (tenant_id, id, lead_id, owner_id, title) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', '{rep_a1}', 'd')", Denied),
    case!("app.deals", RepA1, "insert into app.deals (tenant_id, id, lead_id, owner_id, title) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a2}', 'd')", Denied),
    case!("app.deals", ManagerA, "insert into app.deals (tenant_id, id, lead_id, owner_id, title) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a2}', 'd')", Affected(1)),
    case!("app.deals", ServiceA, "insert into app.deals (tenant_id, id, lead_id, owner_id, title) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a1}', 'd')", Affected(1)),
    case!("app.deals", ServiceA, "insert into app.deals (tenant_id, id, lead_id, owner_id, title) values ('{tenant_b}', gen_random_uuid(), '{lead_b1}', '{rep_b1}', 'd')", Denied),
    case!("app.deals", RepA1, "update app.deals set stage = 'won' where id = '{deal_a1}'", Affected(1)),
    case!("app.deals", RepA1, "update app.deals set stage = 'won' where id = '{deal_a2}'", Affected(0)),
    case!("app.deals", RepA1, "update app.deals set owner_id = '{rep_a2}' where id = '{deal_a1}'", Denied),
    case!("app.deals", ManagerA, "update app.deals set stage = 'won' where id = '{deal_a2}'", Affected(1)),
    case!("app.deals", ManagerA, "update app.deals set owner_id = '{removed_a}' where id = '{deal_a2}'", Denied),
    case!("app.deals", ServiceA, "update app.deals set stage = 'won' where id = '{deal_b1}'", Affected(0)),
    case!("app.deals", RepA1, "delete from app.deals where id = '{deal_a1}'", Affected(1)),
    case!("app.deals", RepA1, "delete from app.deals where id = '{deal_a2}'", Affected(0)),
    case!("app.deals", ManagerA, "delete from app.deals where id = '{deal_a2}'", Affected(1)),
    case!("app.deals", AdminB, "delete from app.deals where id = '{deal_a1}'", Affected(0)),
    case!("app.deals", ServiceA, "delete from app.deals where id = '{deal_a1}'", Affected(1)),
    // interactions: reps see those on their own leads and change those they logged.
    case!("app.interactions", RepA1, "select count(*) from app.interactions", Rows(2)),
    case!("app.interactions", RepA2, "select count(*) from app.interactions", Rows(1)),
    case!("app.interactions", ManagerA, "select count(*) from app.interactions", Rows(3)),
    case!("app.interactions", AdminB, "select count(*) from app.interactions", Rows(1)),
    case!("app.interactions", RemovedA, "select count(*) from app.interactions", Rows(0)),
    case!("app.interactions", ServiceA, "select count(*) from app.interactions", Rows(3)),
    case!("app.interactions", ReportingA, "select count(id) from app.interactions", Rows(3)),
    case!("app.interactions", ReportingA, "select count(body) from app.interactions", Denied),
    case!("app.interactions", RepA1, "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a1}', 'call', 'outbound')", Affected(1)),
    case!("app.interactions", RepA1, "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', '{rep_a1}', 'call', 'outbound')", Denied),
    case!("app.interactions", RepA1, "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a2}', 'call', 'outbound')", Denied),
    case!("app.interactions", ManagerA, "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', '{manager_a}', 'note', 'internal')", Affected(1)),
    case!("app.interactions", ServiceA, "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{rep_a1}', 'sms', 'inbound')", Affected(1)),
    case!("app.interactions", ServiceA, "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', '{removed_a}', 'sms', 'inbound')", Denied),
    case!("app.interactions", RepA1, "update app.interactions set body = 'b' where id = '{interaction_a1}'", Affected(1)),
    case!("app.interactions", RepA1, "update app.interactions set body = 'b' where id = '{interaction_a1m}'", Affected(0)),
    case!("app.interactions", RepA1, "update app.interactions set body = 'b' where id = '{interaction_a2}'", Affected(0)),
    case!("app.interactions", ManagerA, "update app.interactions set body = 'b' where id = '{interaction_a2}'", Affected(1)),
    case!("app.interactions", ServiceA, "update app.interactions set body = 'b' where id = '{interaction_b1}'", Affected(0)),
    case!("app.interactions", RepA1, "delete from app.interactions where id = '{interaction_a1}'", Affected(1)),
    case!("app.interactions", RepA1, "delete from app.interactions where id = '{interaction_a1m}'", Affected(0)),
    case!("app.interactions", ManagerA, "delete from app.interactions where id = '{interaction_a2}'", Affected(1)),
    case!("app.interactions", AdminB, "delete from app.interactions where id = '{interaction_a1}'", Affected(0)),
    case!("app.interactions", ServiceA, "delete from app.interactions where id = '{interaction_a1}'", Affected(1)),
    // rep-private: the owner only. No manager, admin, reporting or service read.
    case!("app.coaching_observations", RepA1, "select count(*) from app.coaching_observations", Rows(1)),
    case!("app.coaching_observations", RepA2, "select count(*) from app.coaching_observations", Rows(1)),
    case!("app.coaching_observations", ManagerA, "select count(*) from app.coaching_observations", Rows(0)),
    case!("app.coaching_observations", AdminA, "select count(*) from app.coaching_observations", Rows(0)),
    case!("app.coaching_observations", AdminB, "select count(*) from app.coaching_observations", Rows(0)),
    case!("app.coaching_observations", RemovedA, "select count(*) from app.coaching_observations", Rows(0)),
    case!("app.coaching_observations", ServiceA, "select count(*) from app.coaching_observations", Denied),
    case!("app.coaching_observations", ReportingA, "select count(*) from app.coaching_observations", Denied),
    case!("app.coaching_observations", RepA1, "insert into app.coaching_observations (tenant_id, id, owner_id, category, observation, source) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'c', 'o', 'self')", Affected(1)),
    case!("app.coaching_observations", RepA1, "insert into app.coaching_observations (tenant_id, id, owner_id, lead_id, category, observation, source) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', '{lead_a2}', 'c', 'o', 'self')", Denied),
    case!("app.coaching_observations", ManagerA, "insert into app.coaching_observations (tenant_id, id, owner_id, category, observation) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'c', 'o')", Denied),
    case!("app.coaching_observations", ServiceA, "insert into app.coaching_observations (tenant_id, id, owner_id, category, observation) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'c', 'o')", Affected(1)),
    case!("app.coaching_observations", ServiceA, "insert into app.coaching_observations (tenant_id, id, owner_id, category, observation) values ('{tenant_b}', gen_random_uuid(), '{rep_b1}', 'c', 'o')", Denied),
    case!("app.coaching_observations", ServiceA, "insert into app.coaching_observations (tenant_id, id, owner_id, category, observation) values ('{tenant_a}', gen_random_uuid(), '{removed_a}', 'c', 'o')", Denied),
    case!("app.coaching_observations", RepA1, "update app.coaching_observations set category = 'x' where id = '{coaching_a1}'", Affected(1)),
    case!("app.coaching_observations", RepA1, "update app.coaching_observations set category = 'x' where id = '{coaching_a2}'", Affected(0)),
    case!("app.coaching_observations", ManagerA, "update app.coaching_observations set category = 'x' where id = '{coaching_a1}'", Affected(0)),
    case!("app.coaching_observations", ManagerA, "delete from app.coaching_observations where id = '{coaching_a1}'", Affected(0)),
    case!("app.coaching_observations", RepA1, "delete from app.coaching_observations where id = '{coaching_a1}'", Affected(1)),
    case!("app.drafts", RepA1, "select count(*) from app.drafts", Rows(1)),
    case!("app.drafts", RepA2, "select count(*) from app.drafts", Rows(1)),
    case!("app.drafts", ManagerA, "select count(*) from app.drafts", Rows(0)),
    case!("app.drafts", AdminA, "select count(*) from app.drafts", Rows(0)),
    case!("app.drafts", AdminB, "select count(*) from app.drafts", Rows(0)),
    case!("app.drafts", ServiceA, "select count(*) from app.drafts", Denied),
    case!("app.drafts", ReportingA, "select count(*) from app.drafts", Denied),
    case!("app.drafts", RepA1, "insert into app.drafts (tenant_id, id, owner_id, channel, body) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'sms', 'b')", Affected(1)),
    case!("app.drafts", RepA1, "insert into app.drafts (tenant_id, id, owner_id, channel, body) values ('{tenant_a}', gen_random_uuid(), '{rep_a2}', 'sms', 'b')", Denied),
    case!("app.drafts", RepA1, "insert into app.drafts (tenant_id, id, owner_id, lead_id, channel, body) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', '{lead_a2}', 'sms', 'b')", Denied),
    case!("app.drafts", ServiceA, "insert into app.drafts (tenant_id, id, owner_id, channel, body) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'sms', 'b')", Affected(1)),
    case!("app.drafts", ServiceA, "insert into app.drafts (tenant_id, id, owner_id, channel, body) values ('{tenant_b}', gen_random_uuid(), '{rep_b1}', 'sms', 'b')", Denied),
    case!("app.drafts", RepA1, "update app.drafts set body = 'x' where id = '{draft_a1}'", Affected(1)),
    case!("app.drafts", RepA1, "update app.drafts set body = 'x' where id = '{draft_a2}'", Affected(0)),
    case!("app.drafts", ManagerA, "update app.drafts set body = 'x' where id = '{draft_a1}'", Affected(0)),
    case!("app.drafts", RepA1, "delete from app.drafts where id = '{draft_a2}'", Affected(0)),
    case!("app.drafts", RepA1, "delete from app.drafts where id = '{draft_a1}'", Affected(1)),
    case!("app.voice_samples", RepA1, "select count(*) from app.voice_samples", Rows(1)),
    case!("app.voice_samples", RepA2, "select count(*) from app.voice_samples", Rows(1)),
    case!("app.voice_samples", ManagerA, "select count(*) from app.voice_samples", Rows(0)),
    case!("app.voice_samples", AdminA, "select count(*) from app.voice_samples", Rows(0)),
    case!("app.voice_samples", AdminB, "select count(*) from app.voice_samples", Rows(0)),
    case!("app.voice_samples", ServiceA, "select count(*) from app.voice_samples", Denied),
    case!("app.voice_samples", ReportingA, "select count(*) from app.voice_samples", Denied),
    case!("app.voice_samples", RepA1, "insert into app.voice_samples (tenant_id, id, owner_id, label, storage_key, duration_ms) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'l', 'k', 10)", Affected(1)),
    case!("app.voice_samples", RepA1, "insert into app.voice_samples (tenant_id, id, owner_id, label, storage_key, duration_ms) values ('{tenant_a}', gen_random_uuid(), '{rep_a2}', 'l', 'k', 10)", Denied),
    case!("app.voice_samples", ServiceA, "insert into app.voice_samples (tenant_id, id, owner_id, label, storage_key, duration_ms) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'l', 'k', 10)", Affected(1)),
    case!("app.voice_samples", ServiceA, "insert into app.voice_samples (tenant_id, id, owner_id, label, storage_key, duration_ms) values ('{tenant_b}', gen_random_uuid(), '{rep_b1}', 'l', 'k', 10)", Denied),
    case!("app.voice_samples", RepA1, "update app.voice_samples set label = 'x' where id = '{voice_a1}'", Affected(1)),
    case!("app.voice_samples", RepA1, "update app.voice_samples set label = 'x' where id = '{voice_a2}'", Affected(0)),
    case!("app.voice_samples", ManagerA, "update app.voice_samples set label = 'x' where id = '{voice_a1}'", Affected(0)),
    case!("app.voice_samples", RepA1, "delete from app.voice_samples where id = '{voice_a2}'", Affected(0)),
    case!("app.voice_samples", RepA1, "delete from app.voice_samples where id = '{voice_a1}'", Affected(1)),
    // dashboard rollups: managers and admins of the tenant read them; only the triggers write them.
    case!("app.deal_stage_totals", ManagerA, "select coalesce(sum(deals), 0)::bigint from app.deal_stage_totals", Rows(2)),
    case!("app.deal_stage_totals", AdminA, "select coalesce(sum(deals), 0)::bigint from app.deal_stage_totals", Rows(2)),
    case!("app.deal_stage_totals", AdminB, "select coalesce(sum(deals), 0)::bigint from app.deal_stage_totals", Rows(1)),
    case!("app.deal_stage_totals", RepA1, "select coalesce(sum(deals), 0)::bigint from app.deal_stage_totals", Rows(0)),
    case!("app.deal_stage_totals", RemovedA, "select coalesce(sum(deals), 0)::bigint from app.deal_stage_totals", Rows(0)),
    case!("app.deal_stage_totals", ServiceA, "select count(*) from app.deal_stage_totals", Denied),
    case!("app.deal_stage_totals", ReportingA, "select count(*) from app.deal_stage_totals", Denied),
    case!("app.deal_stage_totals", AdminA, "insert into app.deal_stage_totals (tenant_id, stage, currency, slot, deals) values ('{tenant_a}', 'won', 'USD', 0, 100)", Denied),
    case!("app.activity_daily", ManagerA, "select coalesce(sum(interactions), 0)::bigint from app.activity_daily", Rows(3)),
    case!("app.activity_daily", AdminB, "select coalesce(sum(interactions), 0)::bigint from app.activity_daily", Rows(1)),
    case!("app.activity_daily", RepA1, "select coalesce(sum(interactions), 0)::bigint from app.activity_daily", Rows(0)),
    case!("app.activity_daily", ServiceA, "select count(*) from app.activity_daily", Denied),
    case!("app.activity_daily", ManagerA, "update app.activity_daily set interactions = 0", Denied),
    // audit trail: managers and admins read their tenant's events, but a rep-private event only its
    // owner sees; nobody changes or deletes an event. Writes reach the trigger (and its definer policies);
    // the sealer links the fixture's pending events into chains.
    case!("audit.events", ManagerA, "select (count(*) > 0)::int::bigint from audit.events where table_name = 'deals'", Rows(1)),
    case!("audit.events", ManagerA, "select count(*) from audit.events where private or table_name = 'drafts'", Rows(0)),
    case!("audit.events", AdminA, "select (count(*) > 0)::int::bigint from audit.events where table_name = 'memberships'", Rows(1)),
    case!("audit.events", AdminA, "select count(*) from audit.events where private", Rows(0)),
    case!("audit.events", RepA1, "select count(*) from audit.events where not private", Rows(0)),
    case!("audit.events", RepA1, "select (count(*) > 0)::int::bigint from audit.events where table_name = 'drafts'", Rows(1)),
    case!("audit.events", RepA1, "select count(*) from audit.events where owner_id is distinct from '{rep_a1}'", Rows(0)),
    case!("audit.events", RemovedA, "select count(*) from audit.events", Rows(0)),
    case!("audit.events", AdminB, "select count(*) from audit.events where tenant_id = '{tenant_a}'", Rows(0)),
    case!("audit.events", ServiceA, "select count(*) from audit.events", Denied),
    case!("audit.events", ReportingA, "select count(*) from audit.events", Denied),
    case!("audit.events", Auth, "select count(*) from audit.events", Denied),
    case!("audit.events", AdminA, "update audit.events set after = null", Denied),
    case!("audit.events", AdminA, "delete from audit.events", Denied),
    case!("audit.events", AdminA, "truncate audit.events", Denied),
    case!("audit.events", AdminA, "insert into audit.events (chain_id, table_name, op, row_key, actor_kind, private, content_hash, occurred_at) values ('{tenant_a}', 'x', 'INSERT', 'k', 'user', false, sha256(''), now())", Denied),
    case!("audit.events", ServiceA, "update audit.events set after = null", Denied),
    case!("audit.events", ServiceA, "delete from audit.events", Denied),
    case!("audit.events", RepA1, "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_a}', gen_random_uuid(), '{rep_a1}', 'n')", Expect::Ok),
    case!("audit.events", ManagerA, "select audit.redact_lead('{lead_a1}')", Denied),
    case!("audit.events", ServiceA, "select audit.redact_lead('{lead_a1}')", Expect::Sqlstate("55000")),
    case!("audit.events", ServiceA, "select audit.redact_lead(gen_random_uuid())", Denied),
    case!("audit.events", System, "select audit.ensure_partitions(12)", Expect::Ok),
    case!("audit.events", ServiceA, "select audit.ensure_partitions(12)", Denied),
    case!("audit.events", RepA1, "select audit.ensure_partitions(12)", Denied),
    case!("audit.chain_links", System, "select (audit.seal(10000) > 10)::int::bigint", Rows(1)),
    case!("audit.chain_links", ServiceA, "select audit.seal(10)", Denied),
    case!("audit.chain_links", RepA1, "select audit.seal(10)", Denied),
    case!("audit.chain_links", AdminA, "select count(*) from audit.chain_links", Denied),
    case!("audit.chain_links", ServiceA, "delete from audit.chain_links", Denied),
    case!("audit.pending", AdminA, "select count(*) from audit.pending", Denied),
    case!("audit.pending", ServiceA, "delete from audit.pending", Denied),
    case!("audit.chain_heads", AdminA, "select count(*) from audit.chain_heads", Denied),
    case!("audit.chain_heads", ServiceA, "update audit.chain_heads set seq = 1", Denied),
    case!("audit.chain_anchors", AdminA, "select count(*) from audit.chain_anchors", Denied),
    case!("audit.chain_anchors", ServiceA, "insert into audit.chain_anchors (chain_id, seq, hash) values ('{tenant_a}', 1, '')", Denied),
    case!("audit.settings", AdminA, "select count(*) from audit.settings", Denied),
    case!("audit.settings", ServiceA, "update audit.settings set retention_months = 1", Denied),
    case!("audit.settings", System, "select count(*) from audit.drop_expired_partitions()", Rows(0)),
    case!("audit.settings", ServiceA, "select count(*) from audit.drop_expired_partitions()", Denied),
    // access log: admins of the tenant read it; any member logs their own actions, for their tenant only.
    case!("audit.access_events", AdminA, "select count(*) from audit.access_events", Rows(1)),
    case!("audit.access_events", ManagerA, "select count(*) from audit.access_events", Rows(0)),
    case!("audit.access_events", RepA1, "select count(*) from audit.access_events", Rows(0)),
    case!("audit.access_events", AdminB, "select count(*) from audit.access_events where tenant_id = '{tenant_a}'", Rows(0)),
    case!("audit.access_events", RemovedA, "select count(*) from audit.access_events", Rows(0)),
    case!("audit.access_events", ServiceA, "select count(*) from audit.access_events", Denied),
    case!("audit.access_events", RepA1, "select audit.log_access('{tenant_a}', 'phone_reveal', 'lead', '{lead_a1}', jsonb_build_object(), '127.0.0.1')", Expect::Ok),
    case!("audit.access_events", RepA1, "select audit.log_access('{tenant_b}', 'phone_reveal', 'lead', null, jsonb_build_object(), null)", Denied),
    case!("audit.access_events", RemovedA, "select audit.log_access('{tenant_a}', 'data_export', null, null, jsonb_build_object(), null)", Denied),
    case!("audit.access_events", ServiceA, "select audit.log_access('{tenant_a}', 'secret_decrypt', 'integration', 'twilio', jsonb_build_object(), null)", Expect::Ok),
    case!("audit.access_events", Auth, "select audit.log_access(null, 'sign_in_failed', null, null, jsonb_build_object(), '127.0.0.1')", Expect::Ok),
    case!("audit.access_events", AdminA, "insert into audit.access_events (tenant_id, actor_kind, action) values ('{tenant_a}', 'user', 'sign_in')", Denied),
    case!("audit.access_events", AdminA, "update audit.access_events set action = 'sign_in'", Denied),
    case!("audit.access_events", AdminA, "delete from audit.access_events", Denied),
    // error events and incidents: platform admins only (admin_b is one); the service context records.
    case!("app.error_events", AdminB, "select count(*) from app.error_events", Rows(1)),
    case!("app.error_events", AdminA, "select count(*) from app.error_events", Rows(0)),
    case!("app.error_events", RepA1, "select count(*) from app.error_events", Rows(0)),
    case!("app.error_events", ServiceA, "select count(*) from app.error_events", Denied),
    case!("app.error_events", ReportingA, "select count(*) from app.error_events", Denied),
    case!("app.error_events", System, "select app.record_error_event('error', 'api', null, 'internal', 'm', 'GET /x')", Expect::Ok),
    case!("app.error_events", ServiceA, "select app.record_error_event('error', 'webhook', '{tenant_a}', 'bad', 'm', 'x')", Expect::Ok),
    case!("app.error_events", ServiceA, "select app.record_error_event('error', 'webhook', '{tenant_b}', 'bad', 'm', 'x')", Denied),
    case!("app.error_events", AdminA, "select app.record_error_event('error', 'api', null, 'internal', 'm', 'GET /x')", Denied),
    case!("app.error_events", AdminB, "insert into app.error_events (fingerprint, severity, surface, code, message) values ('f', 'error', 'api', 'c', 'm')", Denied),
    case!("app.error_events", AdminB, "delete from app.error_events", Denied),
    case!("app.incidents", AdminB, "select count(*) from app.incidents", Rows(1)),
    case!("app.incidents", AdminA, "select count(*) from app.incidents", Rows(0)),
    case!("app.incidents", ServiceA, "select count(*) from app.incidents", Denied),
    case!("app.incidents", AdminB, "update app.incidents set status = 'resolved' where id = '{incident}'", Affected(1)),
    case!("app.incidents", AdminA, "update app.incidents set status = 'resolved' where id = '{incident}'", Affected(0)),
    case!("app.incidents", AdminB, "update app.incidents set title = 'x' where id = '{incident}'", Denied),
    case!("app.incidents", AdminB, "select app.declare_incident('t', 'd', 'low', array['{tenant_b}']::uuid[])", Expect::Ok),
    case!("app.incidents", AdminA, "select app.declare_incident('t', 'd', 'low', array['{tenant_a}']::uuid[])", Denied),
    case!("app.incidents", AdminB, "insert into app.incidents (id, title, description, severity, declared_by, notify_deadline) values (gen_random_uuid(), 't', 'd', 'low', '{admin_b}', now())", Denied),
    case!("app.incident_tenants", AdminB, "select count(*) from app.incident_tenants", Rows(1)),
    case!("app.incident_tenants", AdminA, "select count(*) from app.incident_tenants", Rows(0)),
    case!("app.incident_tenants", System, "select count(*) from app.claim_incident_notices(10)", Rows(1)),
    case!("app.incident_tenants", ServiceA, "select count(*) from app.claim_incident_notices(10)", Denied),
    case!("app.incident_tenants", AdminA, "select count(*) from app.claim_incident_notices(10)", Denied),
    case!("app.incident_tenants", AdminB, "update app.incident_tenants set notified_at = now()", Denied),
    // invitations: admins of the tenant list and revoke; creating goes through the admin-only function;
    // nobody reads the token hash; accepting needs the token and the invited address.
    case!("app.invitations", AdminA, "select app.create_invitation('inv@x.test', 'rep', sha256('t1'), interval '1 day')", Expect::Ok),
    case!("app.invitations", ManagerA, "select app.create_invitation('inv@x.test', 'rep', sha256('t1'), interval '1 day')", Denied),
    case!("app.invitations", AdminA, "insert into app.invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at) values ('{tenant_a}', gen_random_uuid(), 'a@x.test', 'admin', sha256('t'), '{admin_a}', now() + interval '1 day')", Denied),
    case!("app.invitations", AdminA, "select count(*) from app.invitations", Rows(1)),
    case!("app.invitations", ManagerA, "select count(*) from app.invitations", Rows(0)),
    case!("app.invitations", RepA1, "select count(*) from app.invitations", Rows(0)),
    case!("app.invitations", AdminB, "select count(*) from app.invitations where tenant_id = '{tenant_a}'", Rows(0)),
    case!("app.invitations", ServiceA, "select count(*) from app.invitations", Denied),
    case!("app.invitations", ReportingA, "select count(*) from app.invitations", Denied),
    case!("app.invitations", AdminA, "update app.invitations set revoked_at = now()", Affected(1)),
    case!("app.invitations", ManagerA, "update app.invitations set revoked_at = now()", Affected(0)),
    case!("app.invitations", AdminA, "update app.invitations set email = 'x@x.test'", Denied),
    case!("app.invitations", AdminA, "delete from app.invitations", Denied),
    case!("app.invitations", AdminA, "select count(*) from app.invitations where token_hash is not null", Denied),
    case!("app.invitations", RepA1, "select app.accept_invitation(sha256('nope'))", Expect::Sqlstate("PA404")),
    // migration history: readable by the auth context (readiness), nobody else.
    // key check values: recorded and compared only through register_keys (no tenant, service role).
    case!("palisade_meta.key_checks", System, "select count(*) from palisade_meta.register_keys('seal', array['fixture'], array[convert_to(repeat('c', 16), 'UTF8')])", Rows(0)),
    case!("palisade_meta.key_checks", System, "select count(*) from palisade_meta.register_keys('seal', array['fixture', 'new'], array[convert_to(repeat('d', 16), 'UTF8'), convert_to(repeat('d', 16), 'UTF8')])", Rows(1)),
    case!("palisade_meta.key_checks", System, "select count(*) from palisade_meta.register_keys('index', array['fixture'], array[convert_to(repeat('d', 16), 'UTF8')])", Rows(0)),
    case!("palisade_meta.key_checks", ServiceA, "select count(*) from palisade_meta.register_keys('seal', array['x'], array[convert_to(repeat('d', 16), 'UTF8')])", Denied),
    case!("palisade_meta.key_checks", System, "select count(*) from palisade_meta.key_checks", Denied),
    case!("palisade_meta.key_checks", ServiceA, "select count(*) from palisade_meta.key_checks", Denied),
    case!("palisade_meta.key_checks", AdminA, "select count(*) from palisade_meta.register_keys('seal', array['x'], array[convert_to(repeat('d', 16), 'UTF8')])", Denied),
    case!("palisade_meta.key_checks", Auth, "select count(*) from palisade_meta.register_keys('seal', array['x'], array[convert_to(repeat('d', 16), 'UTF8')])", Denied),
    case!("palisade_meta.schema_migrations", Auth, "select count(*) from palisade_meta.schema_migrations where version = 1", Rows(1)),
    case!("palisade_meta.schema_migrations", RepA1, "select count(*) from palisade_meta.schema_migrations", Denied),
    case!("palisade_meta.schema_migrations", Auth, "delete from palisade_meta.schema_migrations", Denied),
    // sessions (auth schema): people read their own sessions, never a secret hash; every change goes
    // through the sign-in functions, which only app_auth (sign-in) and app_user (own sessions) may call.
    case!("auth.sessions", RepA1, "select count(*) from auth.sessions", Rows(1)),
    case!("auth.sessions", RepA2, "select count(*) from auth.sessions", Rows(1)),
    case!("auth.sessions", AdminA, "select count(*) from auth.sessions", Rows(0)),
    case!("auth.sessions", RepA1, "select count(secret_hash) from auth.sessions", Denied),
    case!("auth.sessions", RepA1, "update auth.sessions set ended_at = null, end_reason = null", Denied),
    case!("auth.sessions", RepA1, "delete from auth.sessions", Denied),
    case!("auth.sessions", RepA1, "insert into auth.sessions (id, user_id, kind, method, created_at, last_seen_at, expires_at) values (gen_random_uuid(), '{rep_a1}', 'api', 'magic_link', now(), now(), now() + interval '1 day')", Denied),
    case!("auth.sessions", ServiceA, "select count(*) from auth.sessions", Denied),
    case!("auth.sessions", Auth, "select count(*) from auth.sessions", Denied),
    case!("auth.sessions", ReportingA, "select count(*) from auth.sessions", Denied),
    // The session gate: live with the right secret, by its own person, within the idle limit.
    case!("auth.sessions", RepA1, "select count(*) from (select ctx.session_gate('{session_a1}', sha256('fixture-session-a1'), now(), interval '1000 days') as g) x where g = 'ok'", Rows(1)),
    case!("auth.sessions", RepA1, "select count(*) from (select ctx.session_gate('{session_a1}', sha256('wrong'), now(), interval '1000 days') as g) x where g = 'ok'", Rows(0)),
    case!("auth.sessions", RepA1, "select count(*) from (select ctx.session_gate('{session_a1}', null, now(), interval '1000 days') as g) x where g = 'ok'", Rows(0)),
    case!("auth.sessions", RepA2, "select count(*) from (select ctx.session_gate('{session_a1}', sha256('fixture-session-a1'), now(), interval '1000 days') as g) x where g = 'ok'", Rows(0)),
    case!("auth.sessions", RepA1, "select count(*) from (select ctx.session_gate('{session_a1}', sha256('fixture-session-a1'), now() + interval '91 days', interval '1000 days') as g) x where g = 'ok'", Rows(0)),
    case!("auth.sessions", RepA2, "select count(*) from (select ctx.session_gate('{session_a2}', null, now(), interval '1000 days') as g) x where g = 'ok'", Rows(1)),
    case!("auth.sessions", RepA2, "select count(*) from (select ctx.session_gate('{session_a2}', null, now() + interval '2 hours', interval '1 hour') as g) x where g = 'ok'", Rows(0)),
    case!("auth.sessions", ServiceA, "select ctx.session_gate('{session_a1}', sha256('fixture-session-a1'), now(), interval '1 day')", Denied),
    // Ending sessions: your own only; admins end a member's; sign-in functions are for app_auth.
    case!("auth.sessions", RepA1, "select auth.end_my_sessions('{session_a2}', null, now())::bigint", Rows(0)),
    case!("auth.sessions", RepA1, "select auth.end_my_sessions('{session_a1}', null, now())::bigint", Rows(1)),
    case!("auth.sessions", AdminA, "select app.end_member_sessions('{rep_a1}', now())::bigint", Rows(1)),
    case!("auth.sessions", ManagerA, "select app.end_member_sessions('{rep_a1}', now())", Denied),
    case!("auth.sessions", AdminB, "select app.end_member_sessions('{rep_a1}', now())", Expect::Sqlstate("PA404")),
    case!("auth.sessions", RepA1, "select auth.open_session('{rep_a1}', 'api', 'magic_link', sha256('x'), now(), interval '1 day', '', null)", Denied),
    case!("auth.sessions", System, "select auth.purge_expired(now())", Expect::Ok),
    case!("auth.sessions", Auth, "select auth.sign_out('{session_a2}', '{rep_a2}', null, now())::int::bigint", Rows(1)),
    case!("auth.sessions", Auth, "select auth.sign_out('{session_a2}', '{rep_a1}', null, now())::int::bigint", Rows(0)),
    case!("auth.sessions", Auth, "select auth.sign_out('{session_a1}', '{rep_a1}', sha256('wrong'), now())::int::bigint", Rows(0)),
    case!("auth.sessions", RepA2, "select auth.sign_out('{session_a2}', '{rep_a2}', null, now())", Denied),
    case!("auth.sessions", ServiceA, "select auth.purge_expired(now())", Denied),
    // Refresh tokens: rotation through auth.refresh_session only; a used token ends the family.
    case!("auth.refresh_tokens", Auth, "select count(*) from auth.refresh_session(sha256('fixture-refresh-a2-next'), sha256('n'), now(), interval '1 day', null) where outcome = 'ok'", Rows(1)),
    case!("auth.refresh_tokens", Auth, "select count(*) from auth.refresh_session(sha256('fixture-refresh-a2'), sha256('n'), now(), interval '1 day', null) where outcome = 'reused'", Rows(1)),
    case!("auth.refresh_tokens", Auth, "select count(*) from auth.refresh_session(sha256('unknown'), sha256('n'), now(), interval '1 day', null) where outcome = 'invalid'", Rows(1)),
    case!("auth.refresh_tokens", Auth, "select count(*) from auth.refresh_tokens", Denied),
    case!("auth.refresh_tokens", RepA2, "select count(*) from auth.refresh_tokens", Denied),
    case!("auth.refresh_tokens", RepA2, "select count(*) from auth.refresh_session(sha256('fixture-refresh-a2-next'), sha256('n'), now(), interval '1 day', null)", Denied),
    // Magic links: requested and consumed through the functions; nobody reads the table.
    case!("auth.magic_links", Auth, "select auth.request_magic_link('rep-a1@a.test', sha256('m'), sha256('n'), now(), interval '10 minutes', false)::int::bigint", Rows(1)),
    case!("auth.magic_links", Auth, "select auth.request_magic_link('invitee@a.test', sha256('m'), sha256('n'), now(), interval '10 minutes', false)::int::bigint", Rows(1)),
    case!("auth.magic_links", Auth, "select auth.request_magic_link('stranger@x.test', sha256('m'), sha256('n'), now(), interval '10 minutes', false)::int::bigint", Rows(0)),
    case!("auth.magic_links", Auth, "select auth.request_magic_link('stranger@x.test', sha256('m'), sha256('n'), now(), interval '10 minutes', true)::int::bigint", Rows(1)),
    case!("auth.magic_links", Auth, "select count(*) from auth.consume_magic_link(sha256('fixture-link'), sha256('fixture-nonce'), 'api', sha256('r'), now(), interval '1 day', '', null)", Rows(1)),
    case!("auth.magic_links", Auth, "select count(*) from auth.consume_magic_link(sha256('fixture-link'), sha256('other-browser'), 'api', sha256('r'), now(), interval '1 day', '', null)", Rows(0)),
    case!("auth.magic_links", Auth, "select count(*) from auth.consume_magic_link(sha256('fixture-link'), sha256('fixture-nonce'), 'api', sha256('r'), now() + interval '2 hours', interval '1 day', '', null)", Rows(0)),
    case!("auth.magic_links", Auth, "select count(*) from auth.consume_magic_link(sha256('fixture-link-a1'), sha256('fixture-nonce'), 'api', sha256('r'), now(), interval '1 day', '', null)", Rows(0)),
    case!("auth.magic_links", Auth, "select count(*) from auth.magic_links", Denied),
    case!("auth.magic_links", RepA1, "select count(*) from auth.magic_links", Denied),
    case!("auth.magic_links", RepA1, "select auth.request_magic_link('rep-a1@a.test', sha256('m'), sha256('n'), now(), interval '10 minutes', false)", Denied),
    // Second factors: people see that they have one and how many codes are left; never a secret or a
    // hash. Enrolment needs a recently authenticated session; checks run in the sign-in context.
    case!("auth.totp_factors", RepA2, "select count(*) from auth.totp_factors", Rows(1)),
    case!("auth.totp_factors", RepA1, "select count(*) from auth.totp_factors", Rows(0)),
    case!("auth.totp_factors", RepA2, "select count(secret_sealed) from auth.totp_factors", Denied),
    case!("auth.totp_factors", RepA2, "update auth.totp_factors set last_used_step = 0", Denied),
    case!("auth.totp_factors", RepA2, "delete from auth.totp_factors", Denied),
    case!("auth.totp_factors", Auth, "select count(*) from auth.totp_factors", Denied),
    case!("auth.totp_factors", ServiceA, "select count(*) from auth.totp_factors", Denied),
    case!("auth.totp_factors", RepA2, "select count(*) from auth.my_totp()", Rows(1)),
    case!("auth.totp_factors", RepA1, "select count(*) from auth.my_totp()", Rows(0)),
    case!("auth.totp_factors", RepA1, "select auth.begin_totp('\\x01', 'k', now())", Expect::Sqlstate("PA403")),
    case!("auth.totp_factors", RepA2, "select auth.remove_totp(now())", Expect::Sqlstate("PA403")),
    case!("auth.totp_factors", Auth, "select auth.begin_totp('\\x01', 'k', now())", Denied),
    case!("auth.totp_factors", Auth, "select count(*) from auth.mfa_challenge('{session_a2}', '{rep_a2}', null, now(), interval '1 day') where secret_sealed is not null", Rows(1)),
    case!("auth.totp_factors", Auth, "select count(*) from auth.mfa_challenge('{session_a2}', '{rep_a1}', null, now(), interval '1 day')", Rows(0)),
    case!("auth.totp_factors", Auth, "select count(*) from (select auth.complete_mfa('{session_a2}', '{rep_a2}', null, 57000000, null, now(), interval '1 day', null) as o) x where o = 'ok'", Rows(1)),
    case!("auth.totp_factors", Auth, "select count(*) from (select auth.complete_mfa('{session_a2}', '{rep_a2}', null, 0, null, now(), interval '1 day', null) as o) x where o = 'invalid'", Rows(1)),
    case!("auth.totp_factors", RepA2, "select auth.complete_mfa('{session_a2}', '{rep_a2}', null, 57000000, null, now(), interval '1 day', null)", Denied),
    case!("auth.recovery_codes", RepA2, "select count(*) from auth.recovery_codes where used_at is null", Rows(10)),
    case!("auth.recovery_codes", RepA1, "select count(*) from auth.recovery_codes", Rows(0)),
    case!("auth.recovery_codes", RepA2, "select count(code_hash) from auth.recovery_codes", Denied),
    case!("auth.recovery_codes", Auth, "select count(*) from (select auth.complete_mfa('{session_a2}', '{rep_a2}', null, null, sha256(convert_to('fixture-recovery-3', 'UTF8')), now(), interval '1 day', null) as o) x where o = 'ok'", Rows(1)),
    case!("auth.recovery_codes", Auth, "select count(*) from (select auth.complete_mfa('{session_a2}', '{rep_a2}', null, null, sha256(convert_to('not-a-code', 'UTF8')), now(), interval '1 day', null) as o) x where o = 'invalid'", Rows(1)),
    case!("auth.recovery_codes", RepA2, "select auth.replace_recovery_codes(array[]::bytea[], now())", Expect::Sqlstate("PA403")),
    // The tenant's second-factor requirement: admins only.
    // The tenant's sign-in rules: admins only, and never rules that shut out the admin setting them.
    case!("app.tenants", AdminA, "select app.set_sign_in_rules(true, array['magic_link', 'oidc', 'password'], array[]::text[])", Expect::Sqlstate("PA409")),
    case!("app.tenants", AdminA, "select app.set_sign_in_rules(false, array['magic_link'], array['b.test'])", Expect::Sqlstate("PA409")),
    case!("app.tenants", AdminA, "select app.set_sign_in_rules(false, array['sms'], array[]::text[])", Expect::Sqlstate("22023")),
    case!("app.tenants", AdminA, "select app.set_sign_in_rules(false, array['magic_link'], array['A.test'])", Expect::Ok),
    case!("app.tenants", ManagerA, "select app.set_sign_in_rules(false, array['magic_link'], array[]::text[])", Denied),
    case!("app.tenants", RepA1, "select count(*) from (select ctx.sign_in_blocked() as b) x where b is not null", Rows(0)),
    case!("app.tenants", RepA1, "select ctx.sign_in_rule_broken(false, array['magic_link'], array[]::text[], 'rep', 'r@a.test')", Denied),
    // Passwords: people see that they have one, never the hash; sign-in goes through app_auth functions
    // that open sessions only for a person with a password.
    case!("auth.password_credentials", RepA2, "select count(*) from auth.password_credentials", Rows(1)),
    case!("auth.password_credentials", RepA1, "select count(*) from auth.password_credentials", Rows(0)),
    case!("auth.password_credentials", RepA2, "select count(hash) from auth.password_credentials", Denied),
    case!("auth.password_credentials", RepA2, "update auth.password_credentials set hash = '$argon2id$x'", Denied),
    case!("auth.password_credentials", Auth, "select count(*) from auth.password_credentials", Denied),
    case!("auth.password_credentials", Auth, "select count(*) from auth.password_for('REP-A2@a.test')", Rows(1)),
    case!("auth.password_credentials", Auth, "select count(*) from auth.password_for('rep-a1@a.test')", Rows(0)),
    case!("auth.password_credentials", RepA1, "select count(*) from auth.password_for('rep-a2@a.test')", Denied),
    case!("auth.password_credentials", Auth, "select auth.password_sign_in('{rep_a2}', '$argon2id$v=19$m=19456,t=2,p=1$Zml4dHVyZQ$Zml4dHVyZQ', 'api', sha256('p'), now(), interval '1 day', '', null)", Expect::Ok),
    case!("auth.password_credentials", Auth, "select auth.password_sign_in('{rep_a2}', '$argon2id$other', 'api', sha256('p'), now(), interval '1 day', '', null)", Expect::Sqlstate("PA404")),
    case!("auth.password_credentials", Auth, "select auth.password_sign_in('{rep_a1}', '$argon2id$v=19$m=19456,t=2,p=1$Zml4dHVyZQ$Zml4dHVyZQ', 'api', sha256('p'), now(), interval '1 day', '', null)", Expect::Sqlstate("PA404")),
    case!("auth.password_credentials", Auth, "select auth.password_sign_in_failed(null, null)", Expect::Ok),
    case!("auth.password_credentials", RepA1, "select auth.set_password('$argon2id$x', now())", Expect::Sqlstate("PA403")),
    case!("auth.password_credentials", Auth, "select auth.set_password('$argon2id$x', now())", Denied),
    // Integrations: admins see metadata, never the ciphertext; the service context reads the ciphertext
    // only through app.integration_secret, which logs each read.
    // consent ledger: members read the ledger of leads they see and record consent for leads they own;
    // nobody updates or deletes it; the service context records keyword opt-outs.
    case!("app.consent_events", RepA1, "select count(*) from app.consent_events", Rows(4)),
    case!("app.consent_events", RepA2, "select count(*) from app.consent_events", Rows(1)),
    case!("app.consent_events", ManagerA, "select count(*) from app.consent_events", Rows(4)),
    case!("app.consent_events", AdminA, "select count(*) from app.consent_events", Rows(4)),
    case!("app.consent_events", AdminB, "select count(*) from app.consent_events", Rows(1)),
    case!("app.consent_events", RemovedA, "select count(*) from app.consent_events", Rows(0)),
    case!("app.consent_events", ServiceA, "select count(*) from app.consent_events", Rows(5)),
    case!("app.consent_events", ReportingA, "select count(*) from app.consent_events", Denied),
    case!("app.consent_events", RepA1, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'service', 'grant', 'form', 'v2', '{rep_a1}')", Affected(1)),
    case!("app.consent_events", RepA1, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', null, 'sms', 'service', 'grant', 'form', 'v2', '{rep_a1}')", Denied),
    case!("app.consent_events", RepA1, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'service', 'grant', 'form', 'v2', '{rep_a2}')", Denied),
    case!("app.consent_events", RepA1, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'service', 'revoke', 'inbound_keyword', null, '{rep_a1}')", Denied),
    case!("app.consent_events", ManagerA, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'service', 'grant', 'form', 'v2', '{manager_a}')", Denied),
    case!("app.consent_events", RepA1, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), null, '{rep_a1}', 'sms', 'brief', 'grant', 'api', null, '{rep_a1}')", Affected(1)),
    case!("app.consent_events", RepA1, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), null, '{rep_a2}', 'sms', 'brief', 'grant', 'api', null, '{rep_a1}')", Denied),
    case!("app.consent_events", ServiceA, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'marketing', 'revoke', 'inbound_keyword', null, null)", Affected(1)),
    case!("app.consent_events", ServiceA, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_b1}', null, 'sms', 'marketing', 'revoke', 'inbound_keyword', null, null)", Denied),
    case!("app.consent_events", ServiceA, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_b}', gen_random_uuid(), '{lead_b1}', null, 'sms', 'marketing', 'revoke', 'inbound_keyword', null, null)", Denied),
    case!("app.consent_events", ServiceA, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), null, '{removed_a}', 'sms', 'brief', 'revoke', 'inbound_keyword', null, null)", Denied),
    case!("app.consent_events", ServiceA, "insert into app.consent_events (tenant_id, id, lead_id, member_id, channel, purpose, action, source, form_version, actor_id) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'marketing', 'grant', 'import', null, null)", Sqlstate("23514")),
    case!("app.consent_events", ServiceA, "update app.consent_events set action = 'grant'", Denied),
    case!("app.consent_events", RepA1, "delete from app.consent_events", Denied),
    // suppressions: the service context keeps them; admins can count them; they name no address.
    case!("app.suppressions", ServiceA, "select count(*) from app.suppressions", Rows(1)),
    case!("app.suppressions", AdminA, "select count(*) from app.suppressions", Rows(1)),
    case!("app.suppressions", ManagerA, "select count(*) from app.suppressions", Rows(0)),
    case!("app.suppressions", RepA1, "select count(*) from app.suppressions", Rows(0)),
    case!("app.suppressions", AdminB, "select count(*) from app.suppressions", Rows(1)),
    case!("app.suppressions", ReportingA, "select count(*) from app.suppressions", Denied),
    case!("app.suppressions", ServiceA, "insert into app.suppressions (tenant_id, channel, address_index, reason) values ('{tenant_a}', 'sms', convert_to(repeat('X', 40), 'UTF8'), 'stop')", Affected(1)),
    case!("app.suppressions", ServiceA, "insert into app.suppressions (tenant_id, channel, address_index, reason) values ('{tenant_b}', 'sms', convert_to(repeat('X', 40), 'UTF8'), 'stop')", Denied),
    case!("app.suppressions", AdminA, "insert into app.suppressions (tenant_id, channel, address_index, reason) values ('{tenant_a}', 'sms', convert_to(repeat('X', 40), 'UTF8'), 'stop')", Denied),
    case!("app.suppressions", ServiceA, "delete from app.suppressions", Affected(1)),
    case!("app.suppressions", AdminA, "delete from app.suppressions", Denied),
    // webhook events: the service context records them; admins read them.
    case!("app.webhook_events", ServiceA, "select count(*) from app.webhook_events", Rows(1)),
    case!("app.webhook_events", AdminA, "select count(*) from app.webhook_events", Rows(1)),
    case!("app.webhook_events", ManagerA, "select count(*) from app.webhook_events", Rows(0)),
    case!("app.webhook_events", RepA1, "select count(*) from app.webhook_events", Rows(0)),
    case!("app.webhook_events", AdminB, "select count(*) from app.webhook_events", Rows(1)),
    case!("app.webhook_events", ServiceA, "insert into app.webhook_events (tenant_id, provider, event_id, kind) values ('{tenant_a}', 'twilio', 'SMnew', 'inbound_message')", Affected(1)),
    case!("app.webhook_events", ServiceA, "insert into app.webhook_events (tenant_id, provider, event_id, kind) values ('{tenant_a}', 'twilio', 'SMfixture', 'inbound_message')", Sqlstate("23505")),
    case!("app.webhook_events", ServiceA, "insert into app.webhook_events (tenant_id, provider, event_id, kind) values ('{tenant_b}', 'twilio', 'SMnew', 'inbound_message')", Denied),
    case!("app.webhook_events", AdminA, "insert into app.webhook_events (tenant_id, provider, event_id, kind) values ('{tenant_a}', 'twilio', 'SMnew', 'inbound_message')", Denied),
    case!("app.webhook_events", ServiceA, "update app.webhook_events set status = 'failed'", Affected(1)),
    case!("app.webhook_events", ServiceA, "update app.webhook_events set kind = 'x'", Denied),
    // outbound messages: reps see what they queued, managers all; members queue consent-bearing
    // messages to leads they see; the database refuses any without consent (PA451), whoever asks.
    case!("app.outbound_messages", RepA1, "select count(*) from app.outbound_messages", Rows(1)),
    case!("app.outbound_messages", RepA2, "select count(*) from app.outbound_messages", Rows(0)),
    case!("app.outbound_messages", ManagerA, "select count(*) from app.outbound_messages", Rows(2)),
    case!("app.outbound_messages", AdminB, "select count(*) from app.outbound_messages", Rows(1)),
    case!("app.outbound_messages", ServiceA, "select count(*) from app.outbound_messages", Rows(2)),
    case!("app.outbound_messages", ReportingA, "select count(*) from app.outbound_messages", Denied),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'marketing', 'Hello', '{rep_a1}')", Affected(1)),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'whatsapp', 'marketing', 'Hello', '{rep_a1}')", Sqlstate("PA451")),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'service', 'Hello', '{rep_a1}')", Sqlstate("PA451")),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'email', 'marketing', 'Hello', '{rep_a1}')", Sqlstate("PA451")),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', null, 'sms', 'marketing', 'Hello', '{rep_a1}')", Denied),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'marketing', 'Hello', '{rep_a2}')", Denied),
    case!("app.outbound_messages", RepA1, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'help', 'Hello', '{rep_a1}')", Denied),
    case!("app.outbound_messages", ManagerA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'marketing', 'Hello', '{manager_a}')", Affected(1)),
    case!("app.outbound_messages", RepA2, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', null, 'sms', 'marketing', 'Hello', '{rep_a2}')", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) select '{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'help', help_text, null from app.tenants", Affected(1)),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'help', 'Buy now!', null)", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'whatsapp', 'help', 'Hello', null)", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'email', 'opt_out_confirmation', 'Hello', null)", Affected(1)),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a1}', null, 'sms', 'opt_out_confirmation', 'Hello', null)", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), '{lead_a2}', null, 'sms', 'opt_out_confirmation', 'Hello', null)", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), null, '{rep_a1}', 'whatsapp', 'brief', 'Hello', null)", Affected(1)),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), null, '{rep_a2}', 'whatsapp', 'brief', 'Hello', null)", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), null, '{rep_a1}', 'sms', 'brief', 'Hello', null)", Sqlstate("PA451")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_a}', gen_random_uuid(), null, '{rep_a1}', 'whatsapp', 'marketing', 'Hello', null)", Sqlstate("23514")),
    case!("app.outbound_messages", ServiceA, "insert into app.outbound_messages (tenant_id, id, lead_id, member_id, channel, purpose, body, created_by) values ('{tenant_b}', gen_random_uuid(), '{lead_b1}', null, 'sms', 'marketing', 'Hello', null)", Denied),
    // the delivery worker claims due messages across tenants (system service context only), at
    // most so many per tenant per claim.
    case!("app.outbound_messages", System, "select count(*) from app.claim_outbound(10, 10, 60)", Rows(3)),
    case!("app.outbound_messages", System, "select count(*) from app.claim_outbound(10, 1, 60)", Rows(2)),
    case!("app.outbound_messages", System, "select count(*) from app.claim_outbound(1, 10, 60)", Rows(1)),
    case!("app.outbound_messages", ServiceA, "select count(*) from app.consent_block_here('{lead_a1}', null, 'whatsapp', 'marketing') where consent_block_here = 'suppressed'", Rows(1)),
    case!("app.outbound_messages", ServiceA, "select count(*) from app.consent_block_here('{lead_a1}', null, 'sms', 'marketing') where consent_block_here is null", Rows(1)),
    case!("app.outbound_messages", System, "select count(*) from app.consent_block_here('{lead_a1}', null, 'sms', 'marketing')", Denied),
    case!("app.outbound_messages", ServiceA, "select count(*) from app.consent_block('{tenant_b}', '{lead_b1}', null, 'sms', 'marketing')", Denied),
    case!("app.outbound_messages", ServiceA, "select count(*) from app.claim_outbound(10, 10, 60)", Denied),
    case!("app.outbound_messages", AdminA, "select count(*) from app.claim_outbound(10, 10, 60)", Denied),
    case!("app.outbound_messages", ServiceA, "update app.outbound_messages set status = 'sent'", Affected(2)),
    case!("app.outbound_messages", ServiceA, "update app.outbound_messages set body = 'x'", Denied),
    case!("app.outbound_messages", RepA1, "update app.outbound_messages set status = 'sent'", Denied),
    case!("app.outbound_messages", ManagerA, "delete from app.outbound_messages", Denied),
    // members' own phone numbers: the member alone; the service context reads its tenant's.
    case!("app.member_phones", RepA1, "select count(*) from app.member_phones", Rows(1)),
    case!("app.member_phones", RepA2, "select count(*) from app.member_phones", Rows(1)),
    case!("app.member_phones", ManagerA, "select count(*) from app.member_phones", Rows(0)),
    case!("app.member_phones", AdminA, "select count(*) from app.member_phones", Rows(0)),
    case!("app.member_phones", AdminB, "select count(*) from app.member_phones", Rows(0)),
    case!("app.member_phones", RemovedA, "select count(*) from app.member_phones", Rows(0)),
    case!("app.member_phones", ServiceA, "select count(*) from app.member_phones", Rows(2)),
    case!("app.member_phones", ReportingA, "select count(*) from app.member_phones", Denied),
    case!("app.member_phones", ServiceA, "update app.member_phones set verified_at = now()", Denied),
    case!("app.member_phones", RepA1, "update app.member_phones set verified_at = now()", Denied),
    case!("app.member_phones", RepA1, "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index, verified_at) values ('{tenant_a}', '{rep_a1}', convert_to(repeat('x', 40), 'UTF8'), convert_to(repeat('x', 40), 'UTF8'), now())", Denied),
    case!("app.member_phones", RepA1, "with u as (update app.member_phones set phone_index = convert_to(repeat('z', 40), 'UTF8') where owner_id = '{rep_a1}' returning verified_at) select count(*) from u where verified_at is null", Rows(1)),
    case!("app.member_phones", ServiceA, "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index) values ('{tenant_a}', '{manager_a}', convert_to(repeat('x', 40), 'UTF8'), convert_to(repeat('x', 40), 'UTF8'))", Denied),
    case!("app.member_phones", RepA1, "update app.member_phones set phone_index = convert_to(repeat('z', 40), 'UTF8') where owner_id = '{rep_a2}'", Affected(0)),
    case!("app.member_phones", ManagerA, "update app.member_phones set phone_index = convert_to(repeat('z', 40), 'UTF8')", Affected(0)),
    case!("app.member_phones", AdminA, "delete from app.member_phones", Affected(0)),
    case!("app.member_phones", RepA1, "delete from app.member_phones where owner_id = '{rep_a2}'", Affected(0)),
    case!("app.member_phones", RepA1, "delete from app.member_phones", Affected(1)),
    case!("app.member_phones", RepA2, "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index) values ('{tenant_a}', '{rep_a1}', convert_to(repeat('x', 40), 'UTF8'), convert_to(repeat('x', 40), 'UTF8'))", Denied),
    case!("app.member_phones", AdminB, "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index) values ('{tenant_a}', '{admin_b}', convert_to(repeat('x', 40), 'UTF8'), convert_to(repeat('x', 40), 'UTF8'))", Denied),
    case!("app.member_phones", ManagerA, "insert into app.member_phones (tenant_id, owner_id, phone_sealed, phone_index) values ('{tenant_a}', '{manager_a}', convert_to(repeat('x', 40), 'UTF8'), convert_to(repeat('x', 40), 'UTF8'))", Affected(1)),
    case!("app.integrations", AdminA, "select count(*) from app.integrations", Rows(1)),
    case!("app.integrations", AdminA, "select count(secret_sealed) from app.integrations", Denied),
    case!("app.integrations", ManagerA, "select count(*) from app.integrations", Rows(0)),
    case!("app.integrations", RepA1, "select count(*) from app.integrations", Rows(0)),
    case!("app.integrations", AdminB, "select count(*) from app.integrations", Rows(1)),
    case!("app.integrations", AdminB, "select count(*) from app.integrations where tenant_id = '{tenant_a}'", Rows(0)),
    case!("app.integrations", AdminA, "update app.integrations set last_four = '1234'", Affected(1)),
    case!("app.integrations", ManagerA, "update app.integrations set last_four = '1234'", Affected(0)),
    case!("app.integrations", AdminB, "update app.integrations set last_four = '1234' where tenant_id = '{tenant_a}'", Affected(0)),
    case!("app.integrations", AdminA, "insert into app.integrations (tenant_id, provider, secret_sealed, key_id, last_four) values ('{tenant_a}', 'openai', convert_to(repeat('x', 40), 'UTF8'), 'k', '1234')", Affected(1)),
    case!("app.integrations", ManagerA, "insert into app.integrations (tenant_id, provider, secret_sealed, key_id, last_four) values ('{tenant_a}', 'openai', convert_to(repeat('x', 40), 'UTF8'), 'k', '1234')", Denied),
    case!("app.integrations", AdminB, "insert into app.integrations (tenant_id, provider, secret_sealed, key_id, last_four) values ('{tenant_a}', 'openai', convert_to(repeat('x', 40), 'UTF8'), 'k', '1234')", Denied),
    case!("app.integrations", ManagerA, "delete from app.integrations", Affected(0)),
    case!("app.integrations", AdminB, "delete from app.integrations where tenant_id = '{tenant_a}'", Affected(0)),
    case!("app.integrations", AdminA, "delete from app.integrations", Affected(1)),
    case!("app.integrations", ServiceA, "select count(*) from app.integrations", Rows(1)),
    case!("app.integrations", ServiceA, "select count(secret_sealed) from app.integrations", Denied),
    case!("app.integrations", ServiceA, "update app.integrations set last_four = '1234'", Denied),
    case!("app.integrations", ServiceA, "select count(*) from app.integration_secret('twilio')", Rows(1)),
    case!("app.integrations", ServiceA, "select count(*) from app.integration_secret('openai')", Rows(0)),
    case!("app.integrations", AdminA, "select count(*) from app.integration_secret('twilio')", Denied),
    case!("app.integrations", System, "select count(*) from app.integration_secret('twilio')", Denied),
    case!("app.integrations", ReportingA, "select count(*) from app.integrations", Denied),
    // OIDC identities: people see their own links; only the app_auth sign-in function writes them.
    case!("auth.identities", RepA1, "select count(*) from auth.identities", Rows(1)),
    case!("auth.identities", AdminA, "select count(*) from auth.identities", Rows(0)),
    case!("auth.identities", ManagerA, "select count(*) from auth.identities where user_id = '{rep_a1}'", Rows(0)),
    case!("auth.identities", RepA1, "update auth.identities set user_id = '{rep_a2}'", Denied),
    case!("auth.identities", RepA1, "delete from auth.identities", Denied),
    case!("auth.identities", RepA1, "insert into auth.identities (issuer, subject, user_id, created_at, last_used_at) values ('https://evil', 's', '{rep_a1}', now(), now())", Denied),
    case!("auth.identities", ServiceA, "select count(*) from auth.identities", Denied),
    case!("auth.identities", Auth, "select count(*) from auth.identities", Denied),
    case!("auth.identities", Auth, "select count(*) from auth.oidc_sign_in('https://idp.fixture', 'a1', null, false, true, null, false, 'api', sha256('o'), now(), interval '1 day', '', null) where outcome = 'ok' and user_id = '{rep_a1}'", Rows(1)),
    case!("auth.identities", Auth, "select count(*) from auth.oidc_sign_in('https://idp.fixture', 'new', 'rep-a1@a.test', false, true, null, true, 'api', sha256('o'), now(), interval '1 day', '', null) where outcome = 'email_not_verified'", Rows(1)),
    case!("auth.identities", Auth, "select count(*) from auth.oidc_sign_in('https://idp.fixture', 'new', 'nobody@x.test', true, true, null, false, 'api', sha256('o'), now(), interval '1 day', '', null) where outcome = 'no_account'", Rows(1)),
    case!("auth.identities", RepA1, "select count(*) from auth.oidc_sign_in('https://idp.fixture', 'a1', null, false, true, null, false, 'api', sha256('o'), now(), interval '1 day', '', null)", Denied),
    case!("auth.identities", Auth, "select auth.oidc_sign_in_failed('invalid_state', null)", Expect::Ok),
    case!("auth.identities", Auth, "select auth.oidc_sign_in_failed('anything the provider said', null)", Expect::Sqlstate("22023")),
    case!("auth.identities", RepA1, "select auth.oidc_sign_in_failed('invalid_state', null)", Denied),
    case!("auth.identities", Auth, "select count(*) from auth.oidc_sign_in('https://idp.fixture', 'new', 'rep-a1@a.test', true, false, null, true, 'api', sha256('o'), now(), interval '1 day', '', null) where outcome = 'not_linked'", Rows(1)),
    case!("auth.identities", Auth, "select count(*) from auth.oidc_sign_in('https://idp.fixture', 'new', 'rep-a1@a.test', true, true, null, false, 'api', sha256('o'), now(), interval '1 day', '', null) where outcome = 'ok' and linked", Rows(1)),
    // Linking and unlinking need a recently authenticated session (the matrix's identities have none).
    case!("auth.identities", RepA1, "select count(*) from auth.link_identity('https://idp.fixture', 'new', null, now())", Expect::Sqlstate("PA403")),
    case!("auth.identities", RepA1, "select auth.unlink_identity(gen_random_uuid(), now())", Expect::Sqlstate("PA403")),
    case!("auth.identities", Auth, "select count(*) from auth.link_identity('https://idp.fixture', 'new', null, now())", Denied),
    case!("auth.identities", ServiceA, "select auth.unlink_identity(gen_random_uuid(), now())", Denied),
];
