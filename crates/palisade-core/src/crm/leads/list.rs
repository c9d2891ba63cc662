//! Listing and finding leads: newest first by keyset, filtered by owner, status, change time, and
//! found by phone number or email address (through their blind indexes, so neither is compared in
//! the clear) or by a part of the name.
use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx};
use serde::Deserialize;
use tracing::instrument;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{clean_email, clean_phone, email_index_candidates, log_phone_reveal, read_lead, shown};
use super::{Lead, LeadStatus, Phones, COLUMNS};
use crate::page::{Page, PageParams};
use crate::page_query::ListQuery;
use crate::phone::{self, PhoneKeys};
use crate::{validate, CoreError};

/// Query parameters of `GET /api/v1/leads`, or the body of `POST /api/v1/leads/search` (which keeps
/// a phone number or an address out of URLs, and so out of proxy and browser logs).
#[derive(Default, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeadFilter {
    pub owner_id: Option<Uuid>,
    /// Leads with this phone number (any format the tenant's region reads), found by blind index.
    #[schema(min_length = 1, max_length = 40, format = "phone")]
    #[param(min_length = 1, max_length = 40, format = "phone")]
    pub phone: Option<String>,
    /// Leads with this email address (any case), found by blind index.
    #[schema(max_length = 320, format = "email")]
    #[param(max_length = 320, format = "email")]
    pub email: Option<String>,
    /// Leads whose name contains this text (any case), 1 to 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    #[param(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    #[param(value_type = Option<LeadStatus>)]
    pub status: Option<LeadStatus>,
    /// Only leads changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    #[schema(minimum = 1, maximum = 200)]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    pub cursor: Option<Uuid>,
}

impl std::fmt::Debug for LeadFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeadFilter")
            .field("owner_id", &self.owner_id)
            .field("phone", &shown(&self.phone))
            .field("email", &shown(&self.email))
            .field("name", &shown(&self.name))
            .field("status", &self.status)
            .field("updated_since", &self.updated_since)
            .field("limit", &self.limit)
            .field("cursor", &self.cursor)
            .finish()
    }
}

/// The unfiltered first page: `$1` tenant, `$2` limit + 1. Public for benchmarks.
pub fn first_page_sql() -> String {
    ListQuery::new("app.leads", COLUMNS, TenantId::from_uuid(Uuid::nil())).statement(None)
}

pub async fn list(
    tx: &mut Tx,
    tenant: TenantId,
    filter: &LeadFilter,
    keys: PhoneKeys<'_>,
) -> Result<Page<Lead>, CoreError> {
    list_with(tx, tenant, filter, keys, Phones::Open).await
}

/// `text` as an `ILIKE` pattern matching any name that contains it (its own `%`, `_` and `\` taken
/// literally).
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A page of leads, their numbers opened (and access-logged) or masked.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list_with(
    tx: &mut Tx,
    tenant: TenantId,
    filter: &LeadFilter,
    keys: PhoneKeys<'_>,
    phones: Phones,
) -> Result<Page<Lead>, CoreError> {
    let limit = PageParams {
        limit: filter.limit,
        cursor: filter.cursor,
    }
    .limit()?;
    let phone = match filter.phone.as_deref() {
        Some(text) => Some(phone::lookup(keys, tenant, &clean_phone(tx, tenant, text).await?)),
        None => None,
    };
    let email = clean_email(filter.email.as_deref())?.map(|e| email_index_candidates(keys.index, tenant, &e));
    let name = match filter.name.as_deref() {
        Some(text) => Some(contains_pattern(&validate::text("name", text, 200)?)),
        None => None,
    };
    let rows = ListQuery::new("app.leads", COLUMNS, tenant)
        .filter("owner_id", "=", filter.owner_id)
        .filter_any("phone_index", phone)
        .filter_any("email_index", email)
        .filter("name", "ilike", name)
        .filter("status", "=", filter.status.map(LeadStatus::as_str))
        .filter("updated_at", ">=", filter.updated_since)
        .fetch(tx, filter.cursor, limit)
        .await?;
    let page = Page::from_rows(&rows, limit, |r| read_lead(r, keys, tenant, phones), |l| l.id)?;
    log_phone_reveal(tx, tenant, &page.items).await?;
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_pattern_takes_wildcards_literally() {
        assert_eq!(contains_pattern("Ada"), "%Ada%");
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn debug_never_shows_what_was_searched_for() {
        let filter = LeadFilter {
            phone: Some("+14155550100".into()),
            email: Some("ada@example.com".into()),
            name: Some("Ada".into()),
            ..LeadFilter::default()
        };
        let shown = format!("{filter:?}");
        assert!(
            !shown.contains("4155") && !shown.contains("ada@") && !shown.contains("Ada"),
            "{shown}"
        );
    }
}
