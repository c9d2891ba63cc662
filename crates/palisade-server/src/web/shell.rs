//! What every page of the app shows around its content: the workspace (tenant) with the visitor's
//! role, the navigation that role has, and the sign-out form with its CSRF token.
use palisade_core::tenancy;
use palisade_db::{TenantId, TenantRole, Tx};
use uuid::Uuid;

use super::error::PageError;
use super::session::Visitor;

pub struct Shell {
    pub csrf: String,
    pub tenant: Option<Workspace>,
    /// The navigation entry of this page ("" for none).
    pub section: &'static str,
}

pub struct Workspace {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub role: &'static str,
    pub role_level: TenantRole,
    /// Managers and admins see the team's pages (dashboard).
    pub is_manager: bool,
}

impl Shell {
    /// Pages outside any workspace (the workspace list).
    pub fn outside(visitor: &Visitor) -> Self {
        Self {
            csrf: visitor.csrf.clone(),
            tenant: None,
            section: "",
        }
    }
}

/// A group of pages shown as tabs under the top bar: its name (the top bar's entry) and its pages,
/// by address under the workspace, with their names.
pub struct Tabs {
    pub label: &'static str,
    /// Pages under the workspace's address (`/t/{id}/…`), or the platform's (`/platform/…`).
    pub in_workspace: bool,
    pub pages: &'static [(&'static str, &'static str)],
}

/// The admin's pages.
const ADMIN: Tabs = Tabs {
    label: "Admin",
    in_workspace: true,
    pages: &[
        ("members", "Members"),
        ("integrations", "Integrations"),
        ("messaging", "Messaging"),
        ("ai", "AI assistant"),
        ("crm", "HubSpot"),
        ("sign-in-rules", "Sign-in rules"),
        ("privacy", "Privacy requests"),
        ("company-export", "Company export"),
        ("access", "Access log"),
        ("incidents", "Incidents"),
        ("termination", "End workspace"),
    ],
};

/// A person's own pages in the workspace: what is private to them.
const MINE: Tabs = Tabs {
    label: "My work",
    in_workspace: true,
    pages: &[
        ("drafts", "Drafts"),
        ("coaching", "Coaching"),
        ("voice", "Voice"),
        ("phone", "Phone and brief"),
        ("my-data", "My data"),
    ],
};

/// The platform admin's pages (outside any workspace).
const PLATFORM: Tabs = Tabs {
    label: "Platform",
    in_workspace: false,
    pages: &[
        ("errors", "Error events"),
        ("incidents", "Incidents"),
        ("tenants", "Tenants"),
    ],
};

impl Shell {
    /// The address of one of this page's tabs.
    pub fn tab_href(&self, slug: &str) -> String {
        match (&self.tenant, self.tabs()) {
            (Some(t), Some(tabs)) if tabs.in_workspace => format!("/t/{}/{slug}", t.id),
            _ => format!("/platform/{slug}"),
        }
    }

    /// The tabs this page belongs to, if any.
    pub fn tabs(&self) -> Option<&'static Tabs> {
        [&ADMIN, &MINE, &PLATFORM]
            .into_iter()
            .find(|t| t.pages.iter().any(|(slug, _)| *slug == self.section))
    }

    /// Whether the top bar's entry `label` is the one this page is under.
    pub fn under(&self, label: &str) -> bool {
        self.tabs().is_some_and(|t| t.label == label)
    }

    /// The workspace's id and the visitor's role in it (pages inside one).
    pub fn workspace(&self) -> Result<(Uuid, TenantRole), PageError> {
        self.tenant
            .as_ref()
            .map(|t| (t.id, t.role_level))
            .ok_or(PageError::NotFound)
    }
}

/// Opens a transaction in the workspace of the page's address and reads it with the visitor's role:
/// one statement, which is also the one that checks the session and the membership (a tenant the
/// visitor is not an active member of is "not found").
pub async fn enter(visitor: &Visitor, tenant: Uuid, section: &'static str) -> Result<(Tx, Shell), PageError> {
    let id = TenantId::from_uuid(tenant);
    let mut tx = visitor.tx_in(id).await?;
    let found = tenancy::get(&mut tx, visitor.caller().user_id(), id).await?;
    let shell = Shell {
        csrf: visitor.csrf.clone(),
        tenant: Some(Workspace {
            id: found.id,
            slug: found.slug,
            name: found.name,
            role: found.role.as_str(),
            role_level: found.role,
            is_manager: found.role >= TenantRole::Manager,
        }),
        section,
    };
    Ok((tx, shell))
}

/// [`enter`] for a page of one role and up (the API's rule for the same data); anyone below is
/// told who the page is for.
pub async fn enter_as(
    visitor: &Visitor,
    tenant: &str,
    section: &'static str,
    least: TenantRole,
    refusal: &'static str,
) -> Result<(Tx, Shell, TenantId), PageError> {
    let (tx, shell) = enter(visitor, super::error::path_id(tenant)?, section).await?;
    let (id, role) = shell.workspace()?;
    if role < least {
        return Err(PageError::Forbidden(refusal.into()));
    }
    Ok((tx, shell, TenantId::from_uuid(id)))
}
