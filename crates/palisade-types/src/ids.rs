//! Ids as newtypes over UUIDs. They serialise as the bare UUID, so a typed path or body field
//! accepts and returns exactly what a `Uuid` would, and they bind to and read from a `uuid` column.
use std::{fmt, str::FromStr};

use postgres_types::{FromSql, ToSql};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
#[error("not a valid id")]
pub struct IdParseError;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSql, FromSql,
        )]
        #[serde(transparent)]
        #[postgres(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| IdParseError)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A tenant (customer organisation).
    TenantId
);
uuid_id!(
    /// A person, global across tenants.
    UserId
);
uuid_id!(
    /// A lead in one tenant.
    LeadId
);
uuid_id!(
    /// A deal (on a lead) in one tenant.
    DealId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_only_uuids() {
        assert!("not-a-uuid".parse::<TenantId>().is_err());
        let id = Uuid::new_v4();
        assert_eq!(id.to_string().parse::<UserId>().unwrap().as_uuid(), &id);
    }

    #[test]
    fn ids_serialise_as_the_bare_uuid() {
        let id = Uuid::new_v4();
        let lead: LeadId = serde_json_like(&id.to_string());
        assert_eq!(lead.as_uuid(), &id);
    }

    fn serde_json_like(text: &str) -> LeadId {
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;
        let de: StrDeserializer<'_, Error> = text.into_deserializer();
        LeadId::deserialize(de).unwrap()
    }
}
