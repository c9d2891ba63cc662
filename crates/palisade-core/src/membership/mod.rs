//! Joining, suspending, signing out and leaving (migration 0026). A person joins a tenant only by
//! accepting an invitation; an admin acts only on the member's standing in the admin's own tenant;
//! the member may leave. The database checks every rule; this module calls its functions.
pub mod invitations;

use chrono::{DateTime, Utc};
use palisade_db::{Db, Principal, TenantId, TenantRole, Tx, UserId};
use tracing::instrument;

use crate::tenancy::{self, MemberChange, MemberStatus};
use crate::CoreError;
use invitations::NewInvitation;

/// Suspends or reinstates a member (admins). The last active admin cannot be suspended.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn set_status(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    status: MemberStatus,
) -> Result<(), CoreError> {
    // The function acts on the context's tenant; the guard makes a mismatched call a no-op 404.
    let rows = tx
        .query(
            "select app.set_member_status($1, $2) where ctx.tenant_id() = $3",
            &[user.as_uuid(), &status.as_str(), tenant.as_uuid()],
        )
        .await?;
    if rows.is_empty() {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// Applies a role and/or status change (admins); at least one must be given.
pub async fn change(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    input: &MemberChange,
) -> Result<tenancy::Member, CoreError> {
    if input.role.is_none() && input.status.is_none() {
        return Err(CoreError::invalid(
            "missing_field",
            "give a new role, a new status, or both",
        ));
    }
    if let Some(role) = input.role {
        tenancy::change_role(tx, tenant, user, role).await?;
    }
    if let Some(status) = input.status {
        set_status(tx, tenant, user, status).await?;
    }
    tenancy::get_member(tx, tenant, user).await
}

/// Signs a member out of this tenant (admins): every session they began before `now` stops acting
/// in it, while their sessions go on for their other tenants. The database logs it.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn sign_out(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    let rows = tx
        .query(
            "select app.sign_out_member($1, $2) where ctx.tenant_id() = $3",
            &[user.as_uuid(), &now, tenant.as_uuid()],
        )
        .await?;
    if rows.is_empty() {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// Leaves `tenant` as the signed-in person (a user transaction without tenant, so a suspended member
/// can leave too). Not a member: 404; the last active admin: 409.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn leave(tx: &mut Tx, tenant: TenantId) -> Result<(), CoreError> {
    tx.query_one("select app.leave_tenant($1)", &[tenant.as_uuid()])
        .await?;
    Ok(())
}

/// Operator provisioning (the CLI's `user create --tenant`, fixtures): the admin `by` invites the
/// address and the person accepts at once, through the same functions as the API. Nothing is mailed.
/// Returns the member's user id.
pub async fn provision(
    db: &Db,
    by: &Principal,
    email: &str,
    display_name: Option<&str>,
    role: TenantRole,
) -> Result<UserId, CoreError> {
    let tenant = by.tenant_id.ok_or(CoreError::NotMember)?;
    // The invitation first: it is what checks the admin's authority.
    let mut admin = db.user(by).await?;
    let input = NewInvitation {
        email: email.to_owned(),
        role,
    };
    let (_, token) = invitations::create(&mut admin, tenant, &input).await?;
    admin.commit().await?;
    let mut auth = db.auth().await?;
    let user = tenancy::ensure_user(&mut auth, email, display_name).await?;
    auth.commit().await?;
    let mut joining = db
        .user(&Principal {
            user_id: user,
            tenant_id: None,
        })
        .await?;
    invitations::accept(&mut joining, token.expose()).await?;
    joining.commit().await?;
    Ok(user)
}
