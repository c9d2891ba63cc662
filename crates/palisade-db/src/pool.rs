//! The runtime pool. It logs in as `palisade_runtime` (NOINHERIT, no privileges of its own) and hands
//! out context transactions only.
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Timeouts};

use crate::connect::{Connector, Target};
use crate::tx::{Context, ContextRole, Tx};
use crate::{CorrelationId, DbError, Principal, Purpose, SessionCheck, TenantId};

#[derive(Clone, Debug)]
pub struct PoolSettings {
    pub max_size: usize,
    pub acquire_timeout: Duration,
    /// Server-side cap on one statement; protects the pool from runaway queries.
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_size: 16,
            acquire_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(30),
        }
    }
}

/// Handle to the runtime pool. Cheap to clone. Optionally carries the correlation id of the request
/// it was handed to ([`Db::correlated`]).
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    correlation_id: CorrelationId,
    /// How a transaction reaches the server out of band to cancel its running statement.
    cancel: Connector,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("status", &self.pool.status()).finish()
    }
}

impl Db {
    /// Builds the pool and checks that the login is safe to use at runtime: never a superuser, never
    /// `BYPASSRLS`, never the owner of a table.
    pub async fn connect(target: &Target, settings: &PoolSettings) -> Result<Self, DbError> {
        let mut config = target.config.clone();
        let timeout_ms = settings.statement_timeout.as_millis();
        // A transaction left idle (a stalled client, a bug) cannot hold a pooled connection for long.
        config.options(format!(
            "-c statement_timeout={timeout_ms} -c idle_in_transaction_session_timeout={timeout_ms}"
        ));
        config.application_name("palisade");
        let connector = target
            .connector()
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        let cancel = connector.clone();
        let manager = Manager::from_config(
            config,
            connector,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(settings.max_size)
            .runtime(Runtime::Tokio1)
            .timeouts(Timeouts {
                wait: Some(settings.acquire_timeout),
                create: Some(settings.acquire_timeout),
                recycle: Some(settings.acquire_timeout),
            })
            .build()
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        let db = Self {
            pool,
            correlation_id: CorrelationId::default(),
            cancel,
        };
        db.check_login_is_unprivileged().await?;
        Ok(db)
    }

    async fn check_login_is_unprivileged(&self) -> Result<(), DbError> {
        #[expect(
            clippy::disallowed_methods,
            reason = "startup check of the login itself, no context"
        )]
        let client = self.pool.get().await?;
        let row = client
            .query_one(
                "select r.rolsuper, r.rolbypassrls, r.rolinherit, \
                   exists (select from pg_class c where c.relowner = r.oid) as owns_tables, \
                   pg_has_role(r.oid, 'palisade_owner', 'MEMBER') or pg_has_role(r.oid, 'palisade_definer', 'MEMBER') \
                     as privileged_member \
                 from pg_roles r where r.rolname = current_user",
                &[],
            )
            .await?;
        let (superuser, bypass, inherit, owns, member): (bool, bool, bool, bool, bool) = (
            row.try_get("rolsuper")?,
            row.try_get("rolbypassrls")?,
            row.try_get("rolinherit")?,
            row.try_get("owns_tables")?,
            row.try_get("privileged_member")?,
        );
        // A member of the owner or the definer could become them (and would pass the database admin's
        // checks, such as purging a tenant without a grace period).
        if superuser || bypass || inherit || owns || member {
            return Err(DbError::Unavailable(
                "refusing to serve: the runtime login must be NOSUPERUSER, NOBYPASSRLS, NOINHERIT, own \
                 no table and be no member of palisade_owner or palisade_definer (use the palisade_runtime role)"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The same pool, tagging transactions with `correlation_id` (the request id).
    pub fn correlated(&self, correlation_id: CorrelationId) -> Self {
        Self {
            pool: self.pool.clone(),
            correlation_id,
            cancel: self.cancel.clone(),
        }
    }

    pub fn correlation_id(&self) -> &CorrelationId {
        &self.correlation_id
    }

    /// A transaction acting for a signed-in person (role `app_user`).
    pub async fn user(&self, principal: &Principal) -> Result<Tx, DbError> {
        self.begin(self.user_context(principal, None)).await
    }

    fn user_context(&self, principal: &Principal, session: Option<SessionCheck>) -> Context {
        Context {
            role: ContextRole::User,
            user_id: principal.user_id.to_string(),
            tenant_id: principal.tenant_id.map(|t| t.to_string()).unwrap_or_default(),
            correlation_id: self.correlation_id.as_str().to_owned(),
            purpose: "",
            check_membership: principal.tenant_id.is_some(),
            session,
        }
    }

    /// A transaction acting for a signed-in person in a session (role `app_user`). Its first flight
    /// passes the database's session gate: when the session is not live, nothing runs as the person
    /// and the transaction fails with [`DbError::SessionEnded`].
    pub async fn user_in_session(
        &self,
        principal: &Principal,
        session: &SessionCheck,
    ) -> Result<Tx, DbError> {
        self.begin(self.user_context(principal, Some(*session))).await
    }

    /// A tenant-scoped service transaction (role `app_service`): webhooks, cron, sync, delivery.
    pub async fn service(&self, tenant: TenantId, purpose: Purpose) -> Result<Tx, DbError> {
        self.begin(Context {
            role: ContextRole::Service,
            user_id: String::new(),
            tenant_id: tenant.to_string(),
            correlation_id: self.correlation_id.as_str().to_owned(),
            purpose: purpose.as_str(),
            check_membership: false,
            session: None,
        })
        .await
    }

    /// A tenant-scoped aggregate read transaction (role `app_reporting`).
    pub async fn reporting(&self, tenant: TenantId) -> Result<Tx, DbError> {
        self.begin(Context {
            role: ContextRole::Reporting,
            user_id: String::new(),
            tenant_id: tenant.to_string(),
            correlation_id: self.correlation_id.as_str().to_owned(),
            purpose: "",
            check_membership: false,
            session: None,
        })
        .await
    }

    /// A service transaction acting for no tenant (role `app_service`, empty tenant): platform jobs
    /// and error recording. Every tenant-scoped policy sees nothing in it; it can only call the
    /// definer-rights functions granted to `app_service` that are written for this case.
    pub async fn system(&self, purpose: Purpose) -> Result<Tx, DbError> {
        self.begin(Context {
            role: ContextRole::Service,
            user_id: String::new(),
            tenant_id: String::new(),
            correlation_id: self.correlation_id.as_str().to_owned(),
            purpose: purpose.as_str(),
            check_membership: false,
            session: None,
        })
        .await
    }

    /// A transaction for flows before any user context exists (role `app_auth`).
    pub async fn auth(&self) -> Result<Tx, DbError> {
        self.begin(Context {
            role: ContextRole::Auth,
            user_id: String::new(),
            tenant_id: String::new(),
            correlation_id: self.correlation_id.as_str().to_owned(),
            purpose: "",
            check_membership: false,
            session: None,
        })
        .await
    }

    async fn begin(&self, context: Context) -> Result<Tx, DbError> {
        #[expect(
            clippy::disallowed_methods,
            reason = "the one place a pooled connection is taken"
        )]
        let client = self.pool.get().await?;
        Ok(Tx::new(client, context, self.cancel.clone()))
    }

    /// Pool occupancy, for readiness and metrics.
    pub fn status(&self) -> deadpool_postgres::Status {
        self.pool.status()
    }
}
