//! Who is acting: a person, their role in a tenant.
use serde::{Deserialize, Serialize};

use crate::{TenantId, UserId};

/// A member's role in one tenant. Ordered: rep < manager < admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantRole {
    Rep,
    Manager,
    Admin,
}

impl TenantRole {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rep => "rep",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "rep" => Some(Self::Rep),
            "manager" => Some(Self::Manager),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A verified caller: a person, optionally acting in one tenant. Whether they are (still) an active
/// member there is decided by the database on every statement, not by whoever built this value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub tenant_id: Option<TenantId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(TenantRole::Rep < TenantRole::Manager && TenantRole::Manager < TenantRole::Admin);
        for r in [TenantRole::Rep, TenantRole::Manager, TenantRole::Admin] {
            assert_eq!(TenantRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(TenantRole::parse("owner"), None);
    }
}
