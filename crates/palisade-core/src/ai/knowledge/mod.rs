//! The tenant's knowledge base: FAQ entries and documents (the company's own help content), each
//! split into passages that retrieval ranks ([`retrieval`]). Members read it; managers and admins
//! write it (the database checks the role); the assistant reads it in the service context.
pub mod passages;
pub mod retrieval;

use chrono::{DateTime, Utc};
use palisade_db::{FromRow, Row, TenantId, Tx};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::page::{new_id, Page, PageParams};
use crate::page_query::ListQuery;
use crate::{validate, CoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A question (the title) and its answer (the body).
    Faq,
    /// A longer text (`#` lines start sections).
    Document,
}

impl EntryKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Faq => "faq",
            Self::Document => "document",
        }
    }
}

/// The languages entries may be written in (their words are stemmed for search accordingly);
/// `simple` does no stemming.
pub const LANGUAGES: [&str; 8] = [
    "simple",
    "english",
    "spanish",
    "german",
    "french",
    "portuguese",
    "italian",
    "dutch",
];
pub const MAX_BODY: usize = 200_000;

#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub language: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl FromRow for Entry {
    fn from_row(row: &Row) -> Result<Self, palisade_db::DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            body: row.try_get("body")?,
            language: row.try_get("language")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEntry {
    pub kind: EntryKind,
    /// The question (FAQ) or the document's title, 1–300 characters.
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    /// The answer or the document, up to 200,000 characters; card numbers are masked.
    #[schema(min_length = 1, max_length = 200000, pattern = r"\S")]
    pub body: String,
    /// Default `english`.
    #[schema(value_type = Option<String>, pattern = "^(simple|english|spanish|german|french|portuguese|italian|dutch)$")]
    pub language: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryPatch {
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 200000, pattern = r"\S")]
    pub body: Option<String>,
    #[schema(value_type = Option<String>, pattern = "^(simple|english|spanish|german|french|portuguese|italian|dutch)$")]
    pub language: Option<String>,
}

const COLUMNS: &str = "id, kind, title, body, language, created_at, updated_at";

fn language(value: Option<&str>) -> Result<String, CoreError> {
    let lang = value.unwrap_or("english");
    if LANGUAGES.contains(&lang) {
        Ok(lang.to_owned())
    } else {
        Err(CoreError::invalid(
            "invalid_field",
            format!("language must be one of {}", LANGUAGES.join(", ")),
        ))
    }
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(tx: &mut Tx, tenant: TenantId, input: &NewEntry) -> Result<Entry, CoreError> {
    let title = validate::text("title", &input.title, 300)?;
    let body = validate::masked_text("body", &input.body, MAX_BODY)?;
    let language = language(input.language.as_deref())?;
    let sql = format!(
        "insert into app.knowledge_entries (tenant_id, id, kind, title, body, language) \
         values ($1, $2, $3, $4, $5, $6) returning {COLUMNS}"
    );
    let entry: Entry = tx
        .query_one_as(
            &sql,
            &[
                tenant.as_uuid(),
                &new_id(),
                &input.kind.as_str(),
                &title,
                &body,
                &language,
            ],
        )
        .await?;
    write_passages(tx, tenant, &entry).await?;
    Ok(entry)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn update(tx: &mut Tx, tenant: TenantId, id: Uuid, patch: &EntryPatch) -> Result<Entry, CoreError> {
    let title = validate::optional_text("title", patch.title.as_deref(), 300)?;
    let body = validate::optional_masked_text("body", patch.body.as_deref(), MAX_BODY)?;
    let language = patch.language.as_deref().map(|l| language(Some(l))).transpose()?;
    let sql = format!(
        "update app.knowledge_entries set title = coalesce($3, title), body = coalesce($4, body), \
         language = coalesce($5, language) where tenant_id = $1 and id = $2 returning {COLUMNS}"
    );
    let entry: Entry = tx
        .query_opt_as(&sql, &[tenant.as_uuid(), &id, &title, &body, &language])
        .await?
        .ok_or(CoreError::NotFound)?;
    tx.execute(
        "delete from app.knowledge_passages where tenant_id = $1 and entry_id = $2",
        &[tenant.as_uuid(), &id],
    )
    .await?;
    write_passages(tx, tenant, &entry).await?;
    Ok(entry)
}

async fn write_passages(tx: &mut Tx, tenant: TenantId, entry: &Entry) -> Result<(), CoreError> {
    let pieces = passages::split(&entry.kind, &entry.title, &entry.body);
    let headings: Vec<&str> = pieces.iter().map(|p| p.heading.as_str()).collect();
    let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
    tx.execute(
        "insert into app.knowledge_passages (tenant_id, entry_id, ord, language, heading, text) \
         select $1, $2, p.ord - 1, $3, p.heading, p.text \
         from unnest($4::text[], $5::text[]) with ordinality as p (heading, text, ord)",
        &[tenant.as_uuid(), &entry.id, &entry.language, &headings, &texts],
    )
    .await?;
    Ok(())
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Entry, CoreError> {
    let sql = format!("select {COLUMNS} from app.knowledge_entries where tenant_id = $1 and id = $2");
    Ok(tx.query_one_as(&sql, &[tenant.as_uuid(), &id]).await?)
}

/// The entries, newest first.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(tx: &mut Tx, tenant: TenantId, page: &PageParams) -> Result<Page<Entry>, CoreError> {
    let limit = page.limit()?;
    let rows = ListQuery::new("app.knowledge_entries", COLUMNS, tenant)
        .fetch(tx, page.cursor, limit)
        .await?;
    Page::read(&rows, limit, |e: &Entry| e.id)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<(), CoreError> {
    match tx
        .execute(
            "delete from app.knowledge_entries where tenant_id = $1 and id = $2",
            &[tenant.as_uuid(), &id],
        )
        .await?
    {
        0 => Err(CoreError::NotFound),
        _ => Ok(()),
    }
}
