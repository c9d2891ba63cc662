//! The behavioural probe: inside one transaction that is always rolled back, two synthetic tenants
//! (A: an admin, a manager, two reps and the reporting context; B: a manager and a rep) and the
//! records a rep keeps to themselves; then every identity tries what it must not do, as the runtime
//! roles, through the same context statements a request uses. Cross-tenant attempts are made by
//! managers and admins, whom their own tenant's role rules would let through, so only the tenant
//! boundary can stop them. Each attempt expects one answer: no row (a policy filtered it) or a
//! refusal by privilege or policy (SQLSTATE 42501 with PostgreSQL's own wording); any other error
//! means the attempt proved nothing and fails the probe. Controls — each identity sees what it
//! should — prove the probe acted as its identities.
use tokio_postgres::Transaction;
use uuid::Uuid;

use palisade_db::{ContextRole, ENTER_CONTEXT, SET_CONTEXT};

use super::Check;

struct Ids {
    tenant_a: Uuid,
    tenant_b: Uuid,
    admin_a: Uuid,
    manager_a: Uuid,
    rep_a: Uuid,
    rep_a2: Uuid,
    manager_b: Uuid,
    rep_b: Uuid,
    lead_a: Uuid,
    lead_a2: Uuid,
    lead_b: Uuid,
    draft_a: Uuid,
}

#[derive(Clone, Copy)]
enum Who {
    AdminA,
    ManagerA,
    RepA,
    RepA2,
    ReportingA,
    ManagerB,
    RepB,
}

/// What an attempt must come to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A policy filtered it: no row counted or changed.
    Filtered,
    /// Refused by a privilege or a row-level security check.
    Denied,
    /// A control: exactly this many rows.
    Rows(u64),
}

use Expect::{Denied, Filtered, Rows};

/// (who, what, the statement; `{name}` are the synthetic ids, expected outcome).
const ATTEMPTS: [(Who, &str, &str, Expect); 27] = [
    (Who::ManagerA, "reads another tenant's leads", "select count(*) from app.leads where tenant_id = '{tenant_b}'", Filtered),
    (Who::ManagerA, "reads another tenant's lead by id", "select count(*) from app.leads where id = '{lead_b}'", Filtered),
    (Who::ManagerA, "changes another tenant's lead", "update app.leads set status = 'lost' where id = '{lead_b}'", Filtered),
    (Who::AdminA, "deletes another tenant's lead", "delete from app.leads where id = '{lead_b}'", Filtered),
    (Who::ManagerA, "creates a lead in another tenant", "insert into app.leads (tenant_id, id, owner_id, name) values ('{tenant_b}', gen_random_uuid(), '{rep_b}', 'probe')", Denied),
    (Who::ManagerA, "reads another tenant's audit trail", "select count(*) from audit.events where tenant_id = '{tenant_b}'", Filtered),
    (Who::AdminA, "reads another tenant's members", "select count(*) from app.memberships where tenant_id = '{tenant_b}'", Filtered),
    (Who::RepB, "reads another tenant's people", "select count(*) from app.users where id = '{rep_a}'", Filtered),
    (Who::ReportingA, "counts another tenant's leads", "select count(*) from app.leads where tenant_id = '{tenant_b}'", Filtered),
    (Who::ManagerA, "reads a rep's drafts", "select count(*) from app.drafts where owner_id = '{rep_a}'", Filtered),
    (Who::AdminA, "reads a rep's drafts", "select count(*) from app.drafts where owner_id = '{rep_a}'", Filtered),
    (Who::ManagerA, "reads a rep's coaching", "select count(*) from app.coaching_observations where owner_id = '{rep_a}'", Filtered),
    (Who::AdminA, "changes a rep's draft", "update app.drafts set body = 'probe' where id = '{draft_a}'", Filtered),
    (Who::AdminA, "deletes a rep's draft", "delete from app.drafts where id = '{draft_a}'", Filtered),
    (Who::ManagerA, "reads the audit trail of a rep's drafts and coaching", "select count(*) from audit.events where tenant_id = '{tenant_a}' and table_name in ('drafts', 'coaching_observations')", Filtered),
    (Who::RepA2, "reads another rep's drafts", "select count(*) from app.drafts where owner_id = '{rep_a}'", Filtered),
    (Who::RepA2, "reads another rep's lead", "select count(*) from app.leads where id = '{lead_a}'", Filtered),
    (Who::ReportingA, "reads a rep's drafts", "select count(*) from app.drafts", Denied),
    (Who::RepA, "sees their own lead (control)", "select count(*) from app.leads where id = '{lead_a}'", Rows(1)),
    (Who::RepA, "sees their own draft (control)", "select count(*) from app.drafts where id = '{draft_a}'", Rows(1)),
    (Who::RepA2, "sees their own lead (control)", "select count(*) from app.leads where id = '{lead_a2}'", Rows(1)),
    (Who::ManagerA, "sees the team's leads (control)", "select count(*) from app.leads where tenant_id = '{tenant_a}'", Rows(2)),
    (Who::ManagerA, "reads the team's lead events (control)", "select count(*) from audit.events where tenant_id = '{tenant_a}' and table_name = 'leads'", Rows(2)),
    (Who::AdminA, "sees the team's members (control)", "select count(*) from app.memberships where tenant_id = '{tenant_a}'", Rows(4)),
    (Who::ReportingA, "counts the team's leads (control)", "select count(*) from app.leads where tenant_id = '{tenant_a}'", Rows(2)),
    (Who::ManagerB, "changes their own tenant's lead (control)", "update app.leads set status = 'lost' where id = '{lead_b}'", Rows(1)),
    (Who::RepB, "sees their own lead (control)", "select count(*) from app.leads where id = '{lead_b}'", Rows(1)),
];

/// Runs the probe in `tx`, which the caller rolls back (the probe writes the synthetic tenants).
pub async fn run(tx: &mut Transaction<'_>) -> Result<Check, tokio_postgres::Error> {
    let ids = seed(tx).await?;
    let mut failures = Vec::new();
    for (who, what, sql, expect) in ATTEMPTS {
        let sql = substitute(sql, &ids);
        let outcome = attempt(tx, &ids, who, &sql).await?;
        let held = match (expect, &outcome) {
            (Filtered, Outcome::Rows(0)) | (Denied, Outcome::Denied) => true,
            (Rows(n), Outcome::Rows(m)) => n == *m,
            _ => false,
        };
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

enum Outcome {
    Rows(u64),
    /// Refused by a privilege or a row-level security check (SQLSTATE 42501, PostgreSQL's wording).
    Denied,
    /// Failed for another reason: the attempt proves nothing.
    Broken(String),
    /// The context did not resolve to the identity (no role, or blocked).
    NotEntered,
}

impl Outcome {
    fn describe(&self) -> String {
        match self {
            Self::Rows(n) => format!("{n} row(s)"),
            Self::Denied => "refused".into(),
            Self::Broken(code) => format!("could not run (SQLSTATE {code}), so it proves nothing"),
            Self::NotEntered => "the probe could not act as this identity".into(),
        }
    }

    fn of(e: &tokio_postgres::Error) -> Self {
        let Some(db) = e.as_db_error() else {
            return Self::Broken("none".into());
        };
        let ours = [
            "new row violates row-level security policy",
            "permission denied for",
        ];
        if *db.code() == tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE
            && ours.iter().any(|m| db.message().starts_with(m))
        {
            Self::Denied
        } else {
            Self::Broken(db.code().code().to_owned())
        }
    }
}

impl Who {
    fn label(self) -> &'static str {
        match self {
            Self::AdminA => "an admin",
            Self::ManagerA => "a manager",
            Self::RepA => "a rep",
            Self::RepA2 => "another rep of the tenant",
            Self::ReportingA => "the reporting context",
            Self::ManagerB => "a manager of another tenant",
            Self::RepB => "a rep of another tenant",
        }
    }

    /// (context role, user id as the request path sets it, tenant, the role `ctx.enter` resolves).
    fn context(self, ids: &Ids) -> (ContextRole, String, Uuid, Option<&'static str>) {
        let user = |id: Uuid| id.to_string();
        match self {
            Self::AdminA => (ContextRole::User, user(ids.admin_a), ids.tenant_a, Some("admin")),
            Self::ManagerA => (
                ContextRole::User,
                user(ids.manager_a),
                ids.tenant_a,
                Some("manager"),
            ),
            Self::RepA => (ContextRole::User, user(ids.rep_a), ids.tenant_a, Some("rep")),
            Self::RepA2 => (ContextRole::User, user(ids.rep_a2), ids.tenant_a, Some("rep")),
            // `Db::reporting` names a tenant and nobody.
            Self::ReportingA => (ContextRole::Reporting, String::new(), ids.tenant_a, None),
            Self::ManagerB => (
                ContextRole::User,
                user(ids.manager_b),
                ids.tenant_b,
                Some("manager"),
            ),
            Self::RepB => (ContextRole::User, user(ids.rep_b), ids.tenant_b, Some("rep")),
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
    let (role, user, tenant, resolves_to) = who.context(ids);
    let step = tx.transaction().await?;
    let tenant = tenant.to_string();
    step.execute(SET_CONTEXT, &[&role.role_name(), &user, &tenant, &"verify", &""])
        .await?;
    let none = (
        None::<Uuid>,
        None::<&[u8]>,
        None::<chrono::DateTime<chrono::Utc>>,
        None::<i64>,
    );
    let entered = step
        .query_one(ENTER_CONTEXT, &[&none.0, &none.1, &none.2, &none.3])
        .await?;
    let resolved: Option<String> = entered.try_get("role")?;
    let blocked: Option<String> = entered.try_get("blocked")?;
    if resolves_to.is_some() && (resolved.as_deref() != resolves_to || blocked.is_some()) {
        step.rollback().await?;
        return Ok(Outcome::NotEntered);
    }
    let outcome = if sql.starts_with("select") {
        match step.query_one(sql, &[]).await {
            Ok(row) => Outcome::Rows(u64::try_from(row.get::<_, i64>(0)).unwrap_or(u64::MAX)),
            Err(e) => Outcome::of(&e),
        }
    } else {
        match step.execute(sql, &[]).await {
            Ok(n) => Outcome::Rows(n),
            Err(e) => Outcome::of(&e),
        }
    };
    step.rollback().await?;
    Ok(outcome)
}

async fn seed(tx: &Transaction<'_>) -> Result<Ids, tokio_postgres::Error> {
    let ids = Ids {
        tenant_a: Uuid::now_v7(),
        tenant_b: Uuid::now_v7(),
        admin_a: Uuid::now_v7(),
        manager_a: Uuid::now_v7(),
        rep_a: Uuid::now_v7(),
        rep_a2: Uuid::now_v7(),
        manager_b: Uuid::now_v7(),
        rep_b: Uuid::now_v7(),
        lead_a: Uuid::now_v7(),
        lead_a2: Uuid::now_v7(),
        lead_b: Uuid::now_v7(),
        draft_a: Uuid::now_v7(),
    };
    let sql = "\
        insert into app.tenants (id, slug, name) values \
          ('{tenant_a}', 'verify-a-{tag}', 'verify probe A'), ('{tenant_b}', 'verify-b-{tag}', 'verify probe B'); \
        insert into app.users (id, email) values \
          ('{admin_a}', 'admin-a-{tag}@verify.invalid'), ('{manager_a}', 'manager-a-{tag}@verify.invalid'), \
          ('{rep_a}', 'rep-a-{tag}@verify.invalid'), ('{rep_a2}', 'rep-a2-{tag}@verify.invalid'), \
          ('{manager_b}', 'manager-b-{tag}@verify.invalid'), ('{rep_b}', 'rep-b-{tag}@verify.invalid'); \
        insert into app.memberships (tenant_id, user_id, role) values \
          ('{tenant_a}', '{admin_a}', 'admin'), ('{tenant_a}', '{manager_a}', 'manager'), \
          ('{tenant_a}', '{rep_a}', 'rep'), ('{tenant_a}', '{rep_a2}', 'rep'), \
          ('{tenant_b}', '{manager_b}', 'manager'), ('{tenant_b}', '{rep_b}', 'rep'); \
        insert into app.leads (tenant_id, id, owner_id, name) values \
          ('{tenant_a}', '{lead_a}', '{rep_a}', 'verify probe'), ('{tenant_a}', '{lead_a2}', '{rep_a2}', 'verify probe'), \
          ('{tenant_b}', '{lead_b}', '{rep_b}', 'verify probe'); \
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
        ("{admin_a}", ids.admin_a),
        ("{manager_a}", ids.manager_a),
        ("{rep_a2}", ids.rep_a2),
        ("{rep_a}", ids.rep_a),
        ("{manager_b}", ids.manager_b),
        ("{rep_b}", ids.rep_b),
        ("{lead_a2}", ids.lead_a2),
        ("{lead_a}", ids.lead_a),
        ("{lead_b}", ids.lead_b),
        ("{draft_a}", ids.draft_a),
    ]
    .iter()
    .fold(sql.replace("{tag}", &tag[tag.len() - 12..]), |s, (k, v)| {
        s.replace(k, &v.to_string())
    })
}
