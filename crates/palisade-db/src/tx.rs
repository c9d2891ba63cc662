//! Context transactions.
//!
//! A [`Tx`] is a transaction running as a context role with the caller's identity set. Nothing is
//! sent when it is created: the first statement goes out in one pipelined flight with `BEGIN` and
//! the single context statement, so a typical read costs one round trip plus the commit.
//!
//! Cancel safety: a `Tx` dropped before `commit`/`rollback` (a request future dropped mid-flight)
//! hands its connection to a task that rolls back before the connection can return to the pool.
//! Every setting is transaction-local, so after that rollback the connection carries no identity.
use deadpool_postgres::Object;
use futures::future::join4;
use tokio_postgres::types::ToSql;
use tokio_postgres::{CopyOutStream, Row, RowStream};

use crate::connect::Connector;
use crate::{DbError, SessionCheck, TenantRole};

/// How long [`Tx::abort`] gives the cancel request to reach the server.
const ABORT_CANCEL: std::time::Duration = std::time::Duration::from_secs(5);

/// The database role a context transaction runs as (DESIGN §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContextRole {
    User,
    Service,
    Reporting,
    Auth,
}

impl ContextRole {
    pub const fn role_name(self) -> &'static str {
        match self {
            Self::User => "app_user",
            Self::Service => "app_service",
            Self::Reporting => "app_reporting",
            Self::Auth => "app_auth",
        }
    }
}

/// Sent after [`SET_CONTEXT`] in the first flight: resolves the caller once for the whole
/// transaction (migration 0031). It passes the session gate when the caller came with a session
/// (`state`: 'ok', 'mfa_pending' or 'ended'; null without one), then writes the transaction-local
/// state every policy reads. `role` is the caller's role in the tenant, null for a non-member — and
/// for a member whose session breaks one of the tenant's sign-in rules, which `blocked` names
/// ('method', 'domain' or 'mfa'), or began before an admin signed the member out ('signed_out').
pub const ENTER_CONTEXT: &str =
    "select state, role, blocked from ctx.enter($1, $2, $3, $4::bigint * interval '1 second')";

/// The caller's role as [`ENTER_CONTEXT`] resolved it, for a transaction that has not sent it yet.
const RESOLVED_ROLE: &str = "select ctx.tenant_role() as role";

/// The one statement that sets role and identity, all transaction-local. Parameters: role, user id,
/// tenant id, correlation id, service purpose (empty strings for none).
pub const SET_CONTEXT: &str =
    "select set_config('role', $1, true), set_config('palisade.user_id', $2, true), \
     set_config('palisade.tenant_id', $3, true), set_config('palisade.correlation_id', $4, true), \
     set_config('palisade.purpose', $5, true)";

#[derive(Clone, Debug)]
pub(crate) struct Context {
    pub role: ContextRole,
    pub user_id: String,
    pub tenant_id: String,
    pub correlation_id: String,
    pub purpose: &'static str,
    /// User context acting in a tenant: the transaction fails with [`DbError::NotMember`] (or the
    /// sign-in rule that refuses the caller) unless [`ENTER_CONTEXT`] found an active member.
    pub check_membership: bool,
    /// User context with a session: [`ENTER_CONTEXT`] passes the session gate.
    pub session: Option<SessionCheck>,
}

impl Context {
    /// Sign-in flows act as nobody, and a system context has nobody to resolve: every other
    /// context resolves its caller with [`ENTER_CONTEXT`], and without it acts as nobody in no tenant.
    fn needs_enter(&self) -> bool {
        self.role != ContextRole::Auth
            && (!self.user_id.is_empty() || !self.tenant_id.is_empty() || self.session.is_some())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    NotMember,
    SessionEnded,
    MfaPending,
    MfaRequired,
    MethodNotAllowed,
    DomainNotAllowed,
    SignedOut,
}

impl Refusal {
    fn error(self) -> DbError {
        match self {
            Self::NotMember => DbError::NotMember,
            Self::SessionEnded => DbError::SessionEnded,
            Self::MfaPending => DbError::MfaPending,
            Self::MfaRequired => DbError::MfaRequired,
            Self::MethodNotAllowed => DbError::SignInMethodNotAllowed,
            Self::DomainNotAllowed => DbError::EmailDomainNotAllowed,
            Self::SignedOut => DbError::SignedOutOfTenant,
        }
    }
}

enum Kind {
    Rows,
    Count,
}

enum Output {
    Rows(Vec<Row>),
    Count(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing sent yet.
    Pending,
    /// BEGIN may have reached the server: must end with COMMIT or ROLLBACK.
    Open,
    Finished,
}

pub struct Tx {
    client: Option<Object>,
    context: Context,
    /// For [`Tx::abort`]: how to reach the server out of band.
    cancel: Connector,
    /// The statement that opens the transaction.
    begin: &'static str,
    state: State,
    role: Option<TenantRole>,
    /// The membership check or session gate failed: nothing more may run in this transaction.
    refused: Option<Refusal>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx")
            .field("role", &self.context.role)
            .field("state", &self.state)
            .finish()
    }
}

impl Tx {
    pub(crate) fn new(client: Object, context: Context, cancel: Connector) -> Self {
        Self {
            client: Some(client),
            context,
            cancel,
            begin: "BEGIN",
            state: State::Pending,
            role: None,
            refused: None,
        }
    }

    pub fn role(&self) -> ContextRole {
        self.context.role
    }

    /// Makes this a read-only transaction on one snapshot (`REPEATABLE READ`): every statement sees
    /// the database as it was at the first, as an export of several tables must. Only before the first
    /// statement: after it, an error (the transaction has begun otherwise).
    pub fn snapshot(mut self) -> Result<Self, DbError> {
        if self.state != State::Pending {
            return Err(DbError::Unavailable(
                "a snapshot must be asked for before the first statement".into(),
            ));
        }
        self.begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
        Ok(self)
    }

    /// Ends a transaction whose statement may still be streaming (its reader went away or stalled):
    /// the server is asked to cancel the statement and the connection is closed, never returned to the
    /// pool — a cancel request is delivered asynchronously and could otherwise land on the statement of
    /// the connection's next user. The connection leaves the pool first, so even a caller that drops
    /// this future halfway leaves nothing open behind.
    pub async fn abort(mut self) {
        if self.state != State::Open {
            return;
        }
        self.state = State::Finished;
        let Some(client) = self.client.take() else { return };
        let client = Object::take(client);
        let _ = tokio::time::timeout(
            ABORT_CANCEL,
            client.cancel_token().cancel_query(self.cancel.clone()),
        )
        .await;
        drop(client);
    }

    /// Runs `COPY (…) TO STDOUT` and returns its output as it arrives, so a table of any size streams
    /// through in bounded memory. The transaction must not be used until the stream is done.
    pub async fn copy_out(&mut self, sql: &str) -> Result<CopyOutStream, DbError> {
        self.open().await?;
        let client = self.client()?;
        Ok(client.copy_out(sql).await?)
    }

    /// Runs a query and returns its rows as they arrive (bounded memory, unlike [`Tx::query`]). The
    /// transaction must not be used until the stream is done.
    pub async fn query_stream(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<RowStream, DbError> {
        self.open().await?;
        let client = self.client()?;
        let stmt = client.prepare(sql).await?;
        Ok(client.query_raw(&stmt, params.iter().copied()).await?)
    }

    /// Sends BEGIN and the context statements unless they went out already.
    async fn open(&mut self) -> Result<(), DbError> {
        if self.state == State::Open && self.refused.is_none() {
            return Ok(());
        }
        // Fails as any statement would when the caller was refused or the transaction is over.
        self.execute("select 1", &[]).await.map(drop)
    }

    /// The caller's role in the tenant (user context). Costs no round trip when the membership check
    /// already ran with the first statement.
    pub async fn tenant_role(&mut self) -> Result<TenantRole, DbError> {
        if let Some(role) = self.role {
            return Ok(role);
        }
        let row = self.query_one(RESOLVED_ROLE, &[]).await?;
        let role = row
            .try_get::<_, Option<String>>("role")?
            .as_deref()
            .and_then(TenantRole::parse);
        self.role = role;
        role.ok_or(DbError::NotMember)
    }

    fn client(&self) -> Result<&Object, DbError> {
        self.client
            .as_ref()
            .ok_or_else(|| DbError::Unavailable("transaction already finished".into()))
    }

    /// Runs `sql` and returns its rows; on the first call BEGIN, the context statement and `sql`
    /// are pipelined into one round trip.
    pub async fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, DbError> {
        match self.run(sql, params, Kind::Rows).await? {
            Output::Rows(rows) => Ok(rows),
            Output::Count(_) => Err(DbError::Unavailable("unexpected statement output".into())),
        }
    }

    /// Runs a statement and returns the number of rows it affected (no RETURNING needed, so it works
    /// for roles that may insert but not read, such as the service context on rep-private tables).
    pub async fn execute(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, DbError> {
        match self.run(sql, params, Kind::Count).await? {
            Output::Count(n) => Ok(n),
            Output::Rows(_) => Err(DbError::Unavailable("unexpected statement output".into())),
        }
    }

    async fn run(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
        kind: Kind,
    ) -> Result<Output, DbError> {
        if let Some(refusal) = self.refused {
            return Err(refusal.error());
        }
        let first = match self.state {
            State::Finished => return Err(DbError::Unavailable("transaction already finished".into())),
            State::Open => false,
            // From here on BEGIN may be on the wire: a drop must roll back (a stray ROLLBACK is harmless).
            State::Pending => {
                self.state = State::Open;
                true
            }
        };
        let client = self.client()?;
        let stmt = client.prepare_cached(sql).await?;
        let statement = async {
            match kind {
                Kind::Rows => client.query(&stmt, params).await.map(Output::Rows),
                Kind::Count => client.execute(&stmt, params).await.map(Output::Count),
            }
        };
        if !first {
            return Ok(statement.await?);
        }
        let begin = client.prepare_cached(self.begin).await?;
        let set = client.prepare_cached(SET_CONTEXT).await?;
        let c = &self.context;
        let ctx_params: [&(dyn ToSql + Sync); 5] = [
            &c.role.role_name(),
            &c.user_id,
            &c.tenant_id,
            &c.correlation_id,
            &c.purpose,
        ];
        let enter = match self.context.needs_enter() {
            true => Some(client.prepare_cached(ENTER_CONTEXT).await?),
            false => None,
        };
        // The futures are polled in order, so the requests are queued BEGIN, context, (enter),
        // statement, and written in one flush.
        let (began, set, entered, out) = join4(
            client.execute(&begin, &[]),
            client.execute(&set, &ctx_params),
            async {
                let Some(stmt) = &enter else { return Ok(None) };
                let session = self.context.session.as_ref();
                let hash = session.and_then(|s| s.secret_hash.as_ref().map(|h| h.as_slice()));
                let idle = session.map(|s| i64::try_from(s.idle.as_secs()).unwrap_or(i64::MAX));
                let params: [&(dyn ToSql + Sync); 4] = [
                    &session.map(|s| s.session_id),
                    &hash,
                    &session.map(|s| s.now),
                    &idle,
                ];
                client.query_one(stmt, &params).await.map(Some)
            },
            statement,
        )
        .await;
        began?;
        set?;
        // Whatever the statement returned, a caller refused here gets nothing of it, and nothing
        // more runs (the transaction can only roll back).
        if let Some(row) = entered? {
            match self.judge(&row)? {
                Ok(role) => self.role = role,
                Err(refusal) => {
                    self.refused = Some(refusal);
                    return Err(refusal.error());
                }
            }
        }
        Ok(out?)
    }

    /// What [`ENTER_CONTEXT`] answered: the caller's role in the tenant (when asked), or why the
    /// caller may not act.
    fn judge(&self, row: &Row) -> Result<Result<Option<TenantRole>, Refusal>, DbError> {
        let state: Option<String> = row.try_get("state")?;
        match (state.as_deref(), self.context.session.is_some()) {
            (None, false) | (Some("ok"), true) => {}
            (Some("mfa_pending"), true) => return Ok(Err(Refusal::MfaPending)),
            _ => return Ok(Err(Refusal::SessionEnded)),
        }
        if !self.context.check_membership {
            return Ok(Ok(None));
        }
        let role: Option<String> = row.try_get("role")?;
        let blocked: Option<String> = row.try_get("blocked")?;
        Ok(match role.as_deref().and_then(TenantRole::parse) {
            Some(role) => Ok(Some(role)),
            None => Err(match blocked.as_deref() {
                Some("mfa") => Refusal::MfaRequired,
                Some("method") => Refusal::MethodNotAllowed,
                Some("domain") => Refusal::DomainNotAllowed,
                Some("signed_out") => Refusal::SignedOut,
                _ => Refusal::NotMember,
            }),
        })
    }

    pub async fn query_one(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, DbError> {
        self.query_opt(sql, params).await?.ok_or(DbError::NotFound)
    }

    pub async fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, DbError> {
        let mut rows = self.query(sql, params).await?;
        match rows.len() {
            0 => Ok(None),
            1 => Ok(rows.pop()),
            n => Err(DbError::Unavailable(format!("expected at most one row, got {n}"))),
        }
    }

    pub async fn commit(mut self) -> Result<(), DbError> {
        self.finish("COMMIT").await
    }

    pub async fn rollback(mut self) -> Result<(), DbError> {
        self.finish("ROLLBACK").await
    }

    async fn finish(&mut self, verb: &str) -> Result<(), DbError> {
        if let (Some(refusal), "COMMIT") = (self.refused, verb) {
            return Err(refusal.error());
        }
        if self.state != State::Open {
            self.state = State::Finished;
            return Ok(());
        }
        let client = self.client()?;
        let stmt = client.prepare_cached(verb).await?;
        let result = client.execute(&stmt, &[]).await;
        // Only now may the connection go back to the pool.
        self.state = State::Finished;
        if result.is_err() {
            // Unknown server-side state: never reuse this connection.
            if let Some(client) = self.client.take() {
                drop(Object::take(client));
            }
        }
        result.map(|_| ()).map_err(Into::into)
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.state != State::Open {
            return;
        }
        let Some(client) = self.client.take() else { return };
        let guard = DetachUnlessRolledBack(Some(client));
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(guard.rollback());
            }
            // No runtime to roll back on: the guard closes the connection, which ends the transaction.
            Err(_) => drop(guard),
        }
    }
}

/// Owns a connection whose transaction may still be open. Unless `rollback` completes, dropping it
/// detaches the connection from the pool (closing it), so an open transaction can never be reused.
struct DetachUnlessRolledBack(Option<Object>);

impl DetachUnlessRolledBack {
    async fn rollback(mut self) {
        if let Some(client) = self.0.as_ref() {
            if client.batch_execute("ROLLBACK").await.is_ok() {
                // Rolled back: the connection is clean and may return to the pool.
                drop(self.0.take());
            }
        }
    }
}

impl Drop for DetachUnlessRolledBack {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            drop(Object::take(client));
        }
    }
}
