//! Tenants and memberships. Privileged changes go through SECURITY DEFINER functions that check the
//! caller's role themselves (migrations/0002); this module only calls them.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, Row, TenantId, TenantRole, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{validate, CoreError};

#[derive(Debug, Serialize, ToSchema)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    /// The caller's role in this tenant.
    #[schema(value_type = String, example = "admin")]
    pub role: TenantRole,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// Lowercase letters, digits and hyphens, 3 to 63 characters.
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    pub slug: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    #[schema(value_type = String, example = "rep")]
    pub role: TenantRole,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// A member's standing in the tenant as an admin may set it (`removed` is what DELETE does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MemberStatus {
    Active,
    Suspended,
}

impl MemberStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }
}

/// A change to a member (admins): a new role, a new status, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberChange {
    #[schema(value_type = Option<String>, example = "manager")]
    pub role: Option<TenantRole>,
    /// `suspended`: the member can no longer act in the tenant until reinstated (`active`).
    pub status: Option<MemberStatus>,
}

const TENANT_COLUMNS: &str = "t.id, t.slug, t.name, t.status, m.role, t.created_at";

fn tenant(row: &Row) -> Result<Tenant, CoreError> {
    Ok(Tenant {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        name: row.try_get("name")?,
        status: row.try_get("status")?,
        role: role(row.try_get("role")?)?,
        created_at: row.try_get("created_at")?,
    })
}

fn role(s: String) -> Result<TenantRole, CoreError> {
    TenantRole::parse(&s).ok_or(CoreError::Db(DbError::Unavailable(
        "unknown role in database".into(),
    )))
}

fn validate_slug(slug: &str) -> Result<(), CoreError> {
    let ok = (3..=63).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(CoreError::invalid(
            "invalid_slug",
            "slug must be 3-63 lowercase letters, digits or hyphens",
        ))
    }
}

/// Creates a tenant; the caller becomes its first admin.
#[instrument(skip_all, err(level = "debug"))]
pub async fn create(tx: &mut Tx, user: UserId, input: &NewTenant) -> Result<Tenant, CoreError> {
    validate_slug(&input.slug)?;
    let name = validate::text("name", &input.name, 200)?;
    let row = tx
        .query_one("select app.create_tenant($1, $2) as id", &[&input.slug, &name])
        .await?;
    let id: Uuid = row.try_get("id")?;
    get(tx, user, TenantId::from_uuid(id)).await
}

/// The tenants the caller is an active member of.
#[instrument(skip_all, err(level = "debug"))]
pub async fn list_mine(tx: &mut Tx, user: UserId) -> Result<Vec<Tenant>, CoreError> {
    let sql = format!(
        "select {TENANT_COLUMNS} from app.tenants t \
         join app.memberships m on m.tenant_id = t.id and m.user_id = $1 and m.status = 'active' \
         order by t.slug"
    );
    tx.query(&sql, &[user.as_uuid()])
        .await?
        .iter()
        .map(tenant)
        .collect()
}

#[instrument(skip_all, fields(tenant_id = %id), err(level = "debug"))]
pub async fn get(tx: &mut Tx, user: UserId, id: TenantId) -> Result<Tenant, CoreError> {
    let sql = format!(
        "select {TENANT_COLUMNS} from app.tenants t \
         join app.memberships m on m.tenant_id = t.id and m.user_id = $1 and m.status = 'active' \
         where t.id = $2"
    );
    tenant(&tx.query_one(&sql, &[user.as_uuid(), id.as_uuid()]).await?)
}

/// Looks a tenant up by slug among the caller's tenants.
#[instrument(skip_all, err(level = "debug"))]
pub async fn find_by_slug(tx: &mut Tx, user: UserId, slug: &str) -> Result<Tenant, CoreError> {
    let sql = format!(
        "select {TENANT_COLUMNS} from app.tenants t \
         join app.memberships m on m.tenant_id = t.id and m.user_id = $1 and m.status = 'active' \
         where t.slug = $2"
    );
    tenant(&tx.query_one(&sql, &[user.as_uuid(), &slug]).await?)
}

const MEMBER_SELECT: &str = "select m.user_id, u.email, u.display_name, m.role, m.status, m.created_at \
     from app.memberships m join app.users u on u.id = m.user_id \
     where m.tenant_id = $1 and m.status <> 'removed'";

fn member(row: &Row) -> Result<Member, CoreError> {
    Ok(Member {
        user_id: row.try_get("user_id")?,
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        role: role(row.try_get("role")?)?,
        status: row.try_get("status")?,
        created_at: row.try_get("created_at")?,
    })
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list_members(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Member>, CoreError> {
    let sql = format!("{MEMBER_SELECT} order by lower(u.email)");
    tx.query(&sql, &[tenant.as_uuid()])
        .await?
        .iter()
        .map(member)
        .collect()
}

/// A page of members in address order, after the member `after` (keyset on the lowercased address
/// and the id: a next-page link stays right while people join, and says it is stale once the member
/// it continues after has left).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn members_page(
    tx: &mut Tx,
    tenant: TenantId,
    after: Option<UserId>,
    limit: i64,
) -> Result<crate::page::Page<Member>, CoreError> {
    let limit = crate::page::page_limit(Some(limit))?;
    let after = after.map(|a| *a.as_uuid());
    // The member a link continues after may have left since (their row is then out of sight): the
    // link is stale, said so, rather than an empty page.
    if let Some(a) = after {
        let seen = tx
            .query_opt("select 1 from app.users where id = $1", &[&a])
            .await?;
        if seen.is_none() {
            return Err(CoreError::invalid(
                "stale_cursor",
                "this page of members changed; start again from the first page",
            ));
        }
    }
    let sql = format!(
        "{MEMBER_SELECT} and ($2::uuid is null or (lower(u.email), u.id) > \
           (select lower(a.email), a.id from app.users a where a.id = $2)) \
         order by lower(u.email), u.id limit $3"
    );
    let rows = tx.query(&sql, &[tenant.as_uuid(), &after, &(limit + 1)]).await?;
    let items = rows.iter().map(member).collect::<Result<Vec<_>, _>>()?;
    Ok(crate::page::Page::from_overfetch(items, limit, |m| m.user_id))
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get_member(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<Member, CoreError> {
    let sql = format!("{MEMBER_SELECT} and m.user_id = $2");
    member(&tx.query_one(&sql, &[tenant.as_uuid(), user.as_uuid()]).await?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn change_role(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    role: TenantRole,
) -> Result<Member, CoreError> {
    let rows = tx
        .query(
            "select app.change_member_role($1, $2) where ctx.tenant_id() = $3",
            &[user.as_uuid(), &role.as_str(), tenant.as_uuid()],
        )
        .await?;
    if rows.is_empty() {
        return Err(CoreError::NotFound);
    }
    get_member(tx, tenant, user).await
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn remove_member(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<(), CoreError> {
    // The function acts on the context's tenant; the guard makes a mismatched call a no-op 404.
    let rows = tx
        .query(
            "select app.remove_member($1) where ctx.tenant_id() = $2",
            &[user.as_uuid(), tenant.as_uuid()],
        )
        .await?;
    if rows.is_empty() {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// Sign-in flows (auth context): find or create a user by email.
#[instrument(skip_all, err(level = "debug"))]
pub async fn ensure_user(tx: &mut Tx, email: &str, display_name: Option<&str>) -> Result<UserId, CoreError> {
    let email = validate::email(email)?;
    let name = validate::optional_text("display_name", display_name, 200)?;
    let row = tx
        .query_one(
            "select auth.ensure_user($1, $2) as user_id",
            &[&email.as_str(), &name],
        )
        .await?;
    Ok(UserId::from_uuid(row.try_get("user_id")?))
}

/// Sign-in flows (auth context): the user with this email, if any.
#[instrument(skip_all, err(level = "debug"))]
pub async fn user_by_email(tx: &mut Tx, email: &str) -> Result<Option<UserId>, CoreError> {
    let row = tx
        .query_one("select auth.user_id_by_email($1) as user_id", &[&email.trim()])
        .await?;
    let id: Option<Uuid> = row.try_get("user_id")?;
    Ok(id.map(UserId::from_uuid))
}

/// A tenant as the platform's operators see it (`app.platform_tenants`, migration 0038): no CRM
/// data, members or settings.
#[derive(Debug)]
pub struct PlatformTenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub active_members: i64,
}

/// Tenants in slug order after `after`, or only those with the given slugs (platform admins; anyone
/// else is refused by the database), with the slug to continue after when there are more.
#[instrument(skip_all, err(level = "debug"))]
pub async fn platform_list(
    tx: &mut Tx,
    after: Option<&str>,
    slugs: Option<&[String]>,
    limit: i64,
) -> Result<(Vec<PlatformTenant>, Option<String>), CoreError> {
    let limit = crate::page::page_limit(Some(limit))?;
    let rows = tx
        .query(
            "select id, slug, name, status, created_at, active_members from app.platform_tenants($1, $2, $3)",
            &[&after, &i32::try_from(limit + 1).unwrap_or(i32::MAX), &slugs],
        )
        .await?;
    let mut tenants = rows
        .iter()
        .map(|r| {
            Ok(PlatformTenant {
                id: r.try_get("id")?,
                slug: r.try_get("slug")?,
                name: r.try_get("name")?,
                status: r.try_get("status")?,
                created_at: r.try_get("created_at")?,
                active_members: r.try_get("active_members")?,
            })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    let more = tenants.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    tenants.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = more.then(|| tenants.last().map(|t| t.slug.clone())).flatten();
    Ok((tenants, next))
}
