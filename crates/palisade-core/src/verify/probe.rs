//! The behavioural probe: inside one transaction that is always rolled back, two synthetic tenants
//! with a rep, a second rep, a manager and a reporting context each, and the records a rep keeps to
//! themselves; then every identity tries what it must not do, as the runtime roles, through the
//! same context statements a request uses. Three controls (a rep sees their own lead and draft, a
//! manager the team's lead) prove the probe acted as its identities, so a probe that can see
//! nothing at all fails instead of passing.
use tokio_postgres::Transaction;
use uuid::Uuid;

use palisade_db::{ContextRole, ENTER_CONTEXT, SET_CONTEXT};

use super::Check;

struct Ids {
    tenant_a: Uuid,
    tenant_b: Uuid,
    rep_a: Uuid,
    rep_a2: Uuid,
    manager_a: Uuid,
    rep_b: Uuid,
    lead_a: Uuid,
    lead_b: Uuid,
    draft_a: Uuid,
}

#[derive(Clone, Copy)]
enum Who {
    RepA,
    RepA2,
    ManagerA,
    ReportingA,
    RepB,
}

/// What an attempt must come to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Refused: no row counted or changed, or an error.
    Refused,
    /// A control: exactly one row.
    One,
}

/// (who, what, the statement; `{name}` are the synthetic ids, expected outcome).
const ATTEMPTS: [(Who, &str, &str, Expect); 17] = [
    (Who::RepA, "reads another tenant's leads", "select count(*) from app.leads where tenant_id = '{tenant_b}'", Expect::Refused),
    (Who::RepA, "reads another tenant's lead by id", "select count(*) from app.leads where id = '{lead_b}'", Expect::Refused),
    (Who::RepA, "changes another tenant's lead", "update app.leads set name = 'probe' where id = '{lead_b}'", Expect::Refused),
    (Who::RepA, "deletes another tenant's lead", "delete from app.leads where id = '{lead_b}'", Expect::Refused),
    (Who::RepA, "creates a lead in another tenant", "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_b}', gen_random_uuid(), '{rep_a}', 'probe')", Expect::Refused),
    (Who::RepB, "reads another tenant's members", "select count(*) from app.memberships where tenant_id = '{tenant_a}'", Expect::Refused),
    (Who::RepB, "reads another tenant's people", "select count(*) from app.users where id = '{rep_a}'", Expect::Refused),
    (Who::RepB, "reads another tenant's audit trail", "select count(*) from audit.events where tenant_id = '{tenant_a}'", Expect::Refused),
    (Who::ManagerA, "reads a rep's drafts", "select count(*) from app.drafts where owner_id = '{rep_a}'", Expect::Refused),
    (Who::ManagerA, "reads a rep's coaching", "select count(*) from app.coaching_observations where owner_id = '{rep_a}'", Expect::Refused),
    (Who::ManagerA, "changes a rep's draft", "update app.drafts set body = 'probe' where id = '{draft_a}'", Expect::Refused),
    (Who::RepA2, "reads another rep's drafts", "select count(*) from app.drafts where owner_id = '{rep_a}'", Expect::Refused),
    (Who::RepA2, "reads another rep's lead", "select count(*) from app.leads where id = '{lead_a}'", Expect::Refused),
    (Who::ReportingA, "reads a rep's drafts", "select count(*) from app.drafts", Expect::Refused),
    (Who::RepA, "sees their own lead (control)", "select count(*) from app.leads where id = '{lead_a}'", Expect::One),
    (Who::RepA, "sees their own draft (control)", "select count(*) from app.drafts where id = '{draft_a}'", Expect::One),
    (Who::ManagerA, "sees the team's lead (control)", "select count(*) from app.leads where id = '{lead_a}'", Expect::One),
];

/// Runs the probe in `tx`, which the caller rolls back (the probe writes the synthetic tenants).
pub async fn run(tx: &mut Transaction<'_>) -> Result<Check, tokio_postgres::Error> {
    let ids = seed(tx).await?;
    let mut failures = Vec::new();
    for (who, what, sql, expect) in ATTEMPTS {
        let sql = substitute(sql, &ids);
        let outcome = attempt(tx, &ids, who, &sql).await?;
        let held = matches!(
            (expect, outcome),
            (Expect::Refused, Outcome::Rows(0) | Outcome::Error) | (Expect::One, Outcome::Rows(1))
        );
        if !held {
            failures.push(format!("{} {what}: {}", who.label(), outcome.describe()));
        }
    }
    Ok(Check::new(
        "behaviour",
        "synthetic identities of two synthetic tenants are refused every cross-tenant and rep-private read and write",
        failures,
    ))
}

#[derive(Clone, Copy)]
enum Outcome {
    Rows(u64),
    Error,
}

impl Outcome {
    fn describe(self) -> String {
        match self {
            Self::Rows(n) => format!("{n} row(s)"),
            Self::Error => "refused".into(),
        }
    }
}

impl Who {
    fn label(self) -> &'static str {
        match self {
            Self::RepA => "a rep",
            Self::RepA2 => "another rep of the tenant",
            Self::ManagerA => "a manager",
            Self::ReportingA => "the reporting context",
            Self::RepB => "a rep of another tenant",
        }
    }

    fn context(self, ids: &Ids) -> (ContextRole, Uuid, Uuid) {
        match self {
            Self::RepA => (ContextRole::User, ids.rep_a, ids.tenant_a),
            Self::RepA2 => (ContextRole::User, ids.rep_a2, ids.tenant_a),
            Self::ManagerA => (ContextRole::User, ids.manager_a, ids.tenant_a),
            Self::ReportingA => (ContextRole::Reporting, ids.manager_a, ids.tenant_a),
            Self::RepB => (ContextRole::User, ids.rep_b, ids.tenant_b),
        }
    }
}

/// One attempt in a savepoint, as `who`, through the request path's context statements.
async fn attempt(
    tx: &mut Transaction<'_>,
    ids: &Ids,
    who: Who,
    sql: &str,
) -> Result<Outcome, tokio_postgres::Error> {
    let (role, user, tenant) = who.context(ids);
    let step = tx.transaction().await?;
    let (user, tenant) = (user.to_string(), tenant.to_string());
    step.execute(SET_CONTEXT, &[&role.role_name(), &user, &tenant, &"verify", &""])
        .await?;
    let none = (
        None::<Uuid>,
        None::<&[u8]>,
        None::<chrono::DateTime<chrono::Utc>>,
        None::<i64>,
    );
    step.query_one(ENTER_CONTEXT, &[&none.0, &none.1, &none.2, &none.3])
        .await?;
    let outcome = if sql.starts_with("select") {
        match step.query_one(sql, &[]).await {
            Ok(row) => Outcome::Rows(u64::try_from(row.get::<_, i64>(0)).unwrap_or(u64::MAX)),
            Err(_) => Outcome::Error,
        }
    } else {
        match step.execute(sql, &[]).await {
            Ok(n) => Outcome::Rows(n),
            Err(_) => Outcome::Error,
        }
    };
    step.rollback().await?;
    Ok(outcome)
}

async fn seed(tx: &Transaction<'_>) -> Result<Ids, tokio_postgres::Error> {
    let ids = Ids {
        tenant_a: Uuid::now_v7(),
        tenant_b: Uuid::now_v7(),
        rep_a: Uuid::now_v7(),
        rep_a2: Uuid::now_v7(),
        manager_a: Uuid::now_v7(),
        rep_b: Uuid::now_v7(),
        lead_a: Uuid::now_v7(),
        lead_b: Uuid::now_v7(),
        draft_a: Uuid::now_v7(),
    };
    let sql = "\
        insert into app.tenants (id, slug, name) values \
          ('{tenant_a}', 'verify-a-{tag}', 'verify probe A'), ('{tenant_b}', 'verify-b-{tag}', 'verify probe B'); \
        insert into app.users (id, email) values \
          ('{rep_a}', 'rep-a-{tag}@verify.invalid'), ('{rep_a2}', 'rep-a2-{tag}@verify.invalid'), \
          ('{manager_a}', 'manager-a-{tag}@verify.invalid'), ('{rep_b}', 'rep-b-{tag}@verify.invalid'); \
        insert into app.memberships (tenant_id, user_id, role) values \
          ('{tenant_a}', '{rep_a}', 'rep'), ('{tenant_a}', '{rep_a2}', 'rep'), \
          ('{tenant_a}', '{manager_a}', 'manager'), ('{tenant_b}', '{rep_b}', 'rep'); \
        insert into app.leads (tenant_id, id, owner_id, name) values \
          ('{tenant_a}', '{lead_a}', '{rep_a}', 'verify probe'), ('{tenant_b}', '{lead_b}', '{rep_b}', 'verify probe'); \
        insert into app.drafts (tenant_id, id, owner_id, channel, body) values \
          ('{tenant_a}', '{draft_a}', '{rep_a}', 'sms', 'verify probe'); \
        insert into app.coaching_observations (tenant_id, id, owner_id, category, observation, source) values \
          ('{tenant_a}', gen_random_uuid(), '{rep_a}', 'verify', 'verify probe', 'self')";
    tx.batch_execute(&substitute(sql, &ids)).await?;
    Ok(ids)
}

fn substitute(sql: &str, ids: &Ids) -> String {
    let tag = ids.tenant_a.simple().to_string();
    [
        ("{tenant_a}", ids.tenant_a),
        ("{tenant_b}", ids.tenant_b),
        ("{rep_a}", ids.rep_a),
        ("{rep_a2}", ids.rep_a2),
        ("{manager_a}", ids.manager_a),
        ("{rep_b}", ids.rep_b),
        ("{lead_a}", ids.lead_a),
        ("{lead_b}", ids.lead_b),
        ("{draft_a}", ids.draft_a),
    ]
    .iter()
    .fold(sql.replace("{tag}", &tag[tag.len() - 12..]), |s, (k, v)| {
        s.replace(k, &v.to_string())
    })
}
