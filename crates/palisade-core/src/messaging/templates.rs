//! Message templates: a team's reusable texts with `{{placeholders}}`, filled in when a message is
//! queued. Every member reads the tenant's templates; managers and admins write them (the
//! database's policies). Placeholders are checked when a template is saved, so a message never
//! goes out with a `{{…}}` left in it.
//!
//! Built-in values: `lead.name`, `lead.first_name`, `sender.name`, `tenant.name`. Any other name
//! (lower case, digits, `_`; no dot) is the caller's to give in `variables` when queuing.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row, TenantId, Tx, UserId};
use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Channel, Purpose};
use crate::page::new_id;
use crate::{validate, CoreError};

/// The values Palisade fills in itself.
pub const BUILT_IN: [&str; 4] = ["lead.name", "lead.first_name", "sender.name", "tenant.name"];
/// Longest value a caller may give for one placeholder.
const VALUE_MAX: usize = 500;
const NAME_MAX: usize = 40;

#[derive(Debug, Serialize, ToSchema)]
pub struct Template {
    pub id: Uuid,
    pub name: String,
    pub channel: String,
    pub purpose: String,
    /// Email only.
    pub subject: Option<String>,
    pub body: String,
    /// The placeholders the caller must give in `variables` (built-ins are filled in).
    pub variables: Vec<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A template to create, or the whole of one to replace.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateInput {
    /// Unique in the tenant, whatever the case.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub channel: Channel,
    pub purpose: Purpose,
    /// Required for email, refused otherwise.
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub subject: Option<String>,
    /// `{{lead.first_name}}`, `{{sender.name}}`, `{{tenant.name}}`, `{{lead.name}}`, or a name of
    /// your own (`{{appointment_time}}`) given when the message is queued.
    #[schema(min_length = 1, max_length = 10000, pattern = r"\S")]
    pub body: String,
}

const COLUMNS: &str = "id, name, channel, purpose, subject, body, created_by, created_at, updated_at";

impl FromRow for Template {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        let subject: Option<String> = row.try_get("subject")?;
        let body: String = row.try_get("body")?;
        let mut variables = BTreeSet::new();
        for text in subject.iter().chain(std::iter::once(&body)) {
            // Stored templates were parsed when saved; a failure here would be a changed rule.
            for name in placeholders(text).unwrap_or_default() {
                if !BUILT_IN.contains(&name) {
                    variables.insert(name.to_owned());
                }
            }
        }
        Ok(Self {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            channel: row.try_get("channel")?,
            purpose: row.try_get("purpose")?,
            subject,
            body,
            variables: variables.into_iter().collect(),
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// A template text in pieces: literal text and placeholder names, in order.
enum Piece<'a> {
    Text(&'a str),
    Slot(&'a str),
}

/// Splits `text` at its placeholders, or says why it is not a valid template.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, CoreError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push(Piece::Text(&rest[..open]));
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| CoreError::invalid("invalid_template", "a `{{` is not closed by `}}`"))?;
        let name = after[..close].trim();
        if !valid_name(name) {
            return Err(CoreError::invalid(
                "invalid_template",
                format!(
                    "`{{{{{}}}}}` is not a placeholder: use lower-case letters, digits and `_` (or one of {})",
                    truncate(name, 40),
                    BUILT_IN.join(", ")
                ),
            ));
        }
        out.push(Piece::Slot(name));
        rest = &after[close + 2..];
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// The placeholder names in `text`, in order, or why the text is not a valid template.
pub fn placeholders(text: &str) -> Result<Vec<&str>, CoreError> {
    Ok(pieces(text)?
        .into_iter()
        .filter_map(|p| match p {
            Piece::Slot(name) => Some(name),
            Piece::Text(_) => None,
        })
        .collect())
}

fn valid_name(name: &str) -> bool {
    BUILT_IN.contains(&name) || valid_variable(name)
}

/// A caller's own placeholder: `[a-z][a-z0-9_]*`, at most 40 characters.
fn valid_variable(name: &str) -> bool {
    let mut bytes = name.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && name.len() <= NAME_MAX
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Fills `text`'s placeholders from `values`. Every placeholder must have a value.
pub fn render(text: &str, values: &BTreeMap<String, String>) -> Result<String, CoreError> {
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Slot(name) => out.push_str(values.get(name).ok_or_else(|| {
                CoreError::mismatch("missing_variable", format!("no value for `{name}` in variables"))
            })?),
        }
    }
    Ok(out)
}

fn checked(input: &TemplateInput) -> Result<(String, Option<String>, String), CoreError> {
    let name = validate::text("name", &input.name, 100)?;
    let subject = match (input.channel, input.subject.as_deref()) {
        (Channel::Email, Some(subject)) => Some(validate::masked_text("subject", subject, 300)?),
        (Channel::Email, None) => {
            return Err(CoreError::invalid(
                "invalid_field",
                "an email template needs a subject",
            ))
        }
        (_, Some(_)) => return Err(CoreError::invalid("invalid_field", "subject is for email only")),
        (_, None) => None,
    };
    // A text is sent as at most 1,600 characters (filled in); an email body as at most 10,000.
    let max = if input.channel == Channel::Email {
        10_000
    } else {
        1_600
    };
    let body = validate::masked_text("body", &input.body, max)?;
    for text in subject.iter().chain(std::iter::once(&body)) {
        placeholders(text)?;
    }
    Ok((name, subject, body))
}

fn write_error(e: DbError) -> CoreError {
    match e {
        DbError::PermissionDenied => CoreError::Forbidden("only managers and admins change templates"),
        DbError::Unique { .. } => CoreError::Conflict {
            code: "name_taken",
            message: "a template of that name exists in this tenant",
        },
        other => other.into(),
    }
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn create(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    input: &TemplateInput,
) -> Result<Template, CoreError> {
    let (name, subject, body) = checked(input)?;
    let row = tx
        .query_one(
            &format!(
                "insert into app.message_templates (tenant_id, id, name, channel, purpose, subject, body, created_by) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning {COLUMNS}"
            ),
            &[
                tenant.as_uuid(),
                &new_id(),
                &name,
                &input.channel.as_str(),
                &input.purpose.as_str(),
                &subject,
                &body,
                caller.as_uuid(),
            ],
        )
        .await
        .map_err(write_error)?;
    Ok(Template::from_row(&row)?)
}

/// Replaces a template's fields (messages queued from it keep their text).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn replace(
    tx: &mut Tx,
    tenant: TenantId,
    id: Uuid,
    input: &TemplateInput,
) -> Result<Template, CoreError> {
    let (name, subject, body) = checked(input)?;
    // Seen but not writable (a rep) is 403; not seen is 404.
    get(tx, tenant, id).await?;
    let row = tx
        .query_opt(
            &format!(
                "update app.message_templates set name = $3, channel = $4, purpose = $5, subject = $6, body = $7 \
                 where tenant_id = $1 and id = $2 returning {COLUMNS}"
            ),
            &[
                tenant.as_uuid(),
                &id,
                &name,
                &input.channel.as_str(),
                &input.purpose.as_str(),
                &subject,
                &body,
            ],
        )
        .await
        .map_err(write_error)?
        .ok_or(CoreError::Forbidden("only managers and admins change templates"))?;
    Ok(Template::from_row(&row)?)
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<(), CoreError> {
    get(tx, tenant, id).await?;
    let n = tx
        .execute(
            "delete from app.message_templates where tenant_id = $1 and id = $2",
            &[tenant.as_uuid(), &id],
        )
        .await
        .map_err(write_error)?;
    if n == 0 {
        return Err(CoreError::Forbidden("only managers and admins change templates"));
    }
    Ok(())
}

#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get(tx: &mut Tx, tenant: TenantId, id: Uuid) -> Result<Template, CoreError> {
    Ok(tx
        .query_one_as(
            &format!("select {COLUMNS} from app.message_templates where tenant_id = $1 and id = $2"),
            &[tenant.as_uuid(), &id],
        )
        .await?)
}

/// The tenant's templates by name (a tenant has tens, not thousands: no paging).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn list(tx: &mut Tx, tenant: TenantId) -> Result<Vec<Template>, CoreError> {
    Ok(tx
        .query_as(
            &format!(
                "select {COLUMNS} from app.message_templates where tenant_id = $1 order by lower(name) limit 1000"
            ),
            &[tenant.as_uuid()],
        )
        .await?)
}

/// A template filled in for one lead: what `POST /api/v1/messages` queues.
pub struct Filled {
    pub channel: Channel,
    pub purpose: Purpose,
    pub subject: Option<String>,
    pub body: String,
}

/// Fills template `id` for `lead` (which the caller must see) with the built-ins and `variables`.
/// Unknown variables are refused, so a typo does not pass unnoticed.
pub async fn fill(
    tx: &mut Tx,
    tenant: TenantId,
    caller: UserId,
    id: Uuid,
    lead: Uuid,
    variables: &BTreeMap<String, String>,
) -> Result<Filled, CoreError> {
    let found = get(tx, tenant, id).await.map_err(|e| match e {
        CoreError::NotFound => CoreError::unknown("unknown_template", "the template does not exist"),
        other => other,
    })?;
    for (name, value) in variables {
        if !found.variables.contains(name) {
            return Err(CoreError::mismatch(
                "unknown_variable",
                format!("the template has no placeholder `{}`", truncate(name, NAME_MAX)),
            ));
        }
        if value.chars().count() > VALUE_MAX {
            return Err(CoreError::invalid(
                "invalid_field",
                format!("the value of `{name}` is longer than {VALUE_MAX} characters"),
            ));
        }
    }
    let row = tx
        .query_opt(
            // Named apart: unnamed, the subqueries would be called `display_name` and `name`, the
            // latter the same as the lead's.
            "select l.name as lead_name, (select u.display_name from app.users u where u.id = $3) as sender_name, \
                    (select t.name from app.tenants t where t.id = $1) as tenant_name \
             from app.leads l where l.tenant_id = $1 and l.id = $2",
            &[tenant.as_uuid(), &lead, caller.as_uuid()],
        )
        .await?
        .ok_or_else(CoreError::unknown_lead)?;
    let lead_name: String = row.try_get("lead_name")?;
    let sender: Option<String> = row.try_get("sender_name")?;
    let tenant_name: Option<String> = row.try_get("tenant_name")?;
    let mut values = variables.clone();
    values.insert(
        "lead.first_name".into(),
        lead_name.split_whitespace().next().unwrap_or("").to_owned(),
    );
    values.insert("lead.name".into(), lead_name);
    values.insert("sender.name".into(), sender.unwrap_or_default());
    values.insert("tenant.name".into(), tenant_name.unwrap_or_default());
    let channel = Channel::parse(&found.channel).ok_or(CoreError::NotFound)?;
    let purpose = Purpose::parse(&found.purpose).ok_or(CoreError::NotFound)?;
    Ok(Filled {
        channel,
        purpose,
        subject: found.subject.as_deref().map(|s| render(s, &values)).transpose()?,
        body: render(&found.body, &values)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_read_with_spaces_and_checked() {
        assert_eq!(
            placeholders("Hi {{ lead.first_name }}, see you at {{time}}. {{tenant.name}}").unwrap(),
            vec!["lead.first_name", "time", "tenant.name"]
        );
        assert_eq!(
            placeholders("No placeholders } here }}").unwrap(),
            Vec::<&str>::new()
        );
        for bad in [
            "Hi {{name",
            "{{Lead}}",
            "{{lead.phone}}",
            "{{}}",
            "{{a b}}",
            "{{1st}}",
        ] {
            assert!(placeholders(bad).is_err(), "{bad}");
        }
        assert!(placeholders(&format!("{{{{{}}}}}", "a".repeat(41))).is_err());
    }

    #[test]
    fn render_fills_every_placeholder_or_names_the_missing_one() {
        let mut values = BTreeMap::new();
        values.insert("lead.first_name".to_owned(), "Jane".to_owned());
        values.insert("time".to_owned(), "{{not a placeholder}} 10:00".to_owned());
        assert_eq!(
            render("Hi {{lead.first_name}}, at {{ time }}!", &values).unwrap(),
            "Hi Jane, at {{not a placeholder}} 10:00!",
            "values are not read as templates themselves"
        );
        match render("{{place}}", &values) {
            Err(CoreError::Mismatch { code, message }) => {
                assert_eq!(code, "missing_variable");
                assert!(message.contains("place"));
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
    }
}
