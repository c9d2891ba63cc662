//! Incidents: declared with the tenants they affect, each of whose admins must be told within 72
//! hours (the notifier job sends the notices; this page shows who was told, when, and what is
//! overdue); resolved when over. The newest 200, as the API lists them.
use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::audit::incidents::{self, Incident, IncidentSeverity, NewIncident};
use palisade_core::tenancy;
use palisade_core::CoreError;
use serde::Deserialize;
use uuid::Uuid;

use super::enter_platform;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::Shell;

const SEVERITIES: [IncidentSeverity; 4] = [
    IncidentSeverity::Low,
    IncidentSeverity::Medium,
    IncidentSeverity::High,
    IncidentSeverity::Critical,
];

#[derive(Default, Deserialize)]
pub struct IncidentForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    tenants: String,
}

#[derive(Default)]
pub struct FormErrors {
    title: Option<String>,
    description: Option<String>,
    tenants: Option<String>,
}

pub struct Notice {
    tenant: String,
    state: String,
}

pub struct Row {
    id: Uuid,
    title: String,
    description: String,
    severity: String,
    open: bool,
    overdue: bool,
    declared: String,
    deadline: String,
    notices: Vec<Notice>,
}

#[derive(Template)]
#[template(path = "app/platform_incidents.html")]
struct IncidentsPage {
    shell: Shell,
    rows: Vec<Row>,
    severities: Vec<&'static str>,
    form: IncidentForm,
    errors: FormErrors,
    notice: Option<&'static str>,
}

impl IncidentsPage {
    fn severity_picked(&self, s: &str) -> bool {
        self.form.severity == s || (self.form.severity.is_empty() && s == "medium")
    }
}

fn row(i: Incident) -> Row {
    Row {
        open: i.resolved_at.is_none(),
        notices: i
            .tenants
            .iter()
            .map(|t| Notice {
                tenant: t.tenant_id.to_string(),
                state: match (t.notified_at, t.recipients) {
                    (Some(at), Some(n)) => {
                        format!("told {n} admin{} at {}", if n == 1 { "" } else { "s" }, when(at))
                    }
                    (Some(at), None) => format!("told at {}", when(at)),
                    (None, _) => "not told yet".into(),
                },
            })
            .collect(),
        id: i.id,
        title: i.title,
        description: i.description,
        severity: i.severity,
        overdue: i.overdue,
        declared: when(i.declared_at),
        deadline: when(i.notify_deadline),
    }
}

#[derive(Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

async fn render(
    visitor: &Visitor,
    form: IncidentForm,
    errors: FormErrors,
    notice: Option<&'static str>,
    status: StatusCode,
) -> PageResult {
    let (mut tx, shell) = enter_platform(visitor, "incidents").await?;
    let list = incidents::list(&mut tx).await?;
    tx.commit().await?;
    let page = IncidentsPage {
        shell,
        rows: list.into_iter().map(row).collect(),
        severities: SEVERITIES.iter().map(|s| s.as_str()).collect(),
        form,
        errors,
        notice,
    };
    Ok(render_app(status, &page))
}

pub async fn show(visitor: Visitor, PageQuery(q): PageQuery<Done>) -> PageResult {
    let notice = match q.done.as_str() {
        "declared" => Some("Incident declared. The affected tenants' admins are being told."),
        "resolved" => Some("Incident resolved."),
        _ => None,
    };
    render(
        &visitor,
        IncidentForm::default(),
        FormErrors::default(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// The slugs typed, each once.
fn slugs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in text
        .split([',', ' ', '\n', '\r', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let s = s.to_ascii_lowercase();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

pub async fn declare(post: FormPost<IncidentForm>) -> PageResult {
    let severity = SEVERITIES
        .into_iter()
        .find(|s| s.as_str() == post.form.severity)
        .ok_or_else(|| PageError::BadRequest("Choose a severity.".into()))?;
    let wanted = slugs(&post.form.tenants);
    let (mut tx, _) = enter_platform(&post.visitor, "incidents").await?;
    let (found, _) = tenancy::platform_list(&mut tx, None, Some(&wanted), 200).await?;
    let ids: HashMap<&str, Uuid> = found.iter().map(|t| (t.slug.as_str(), t.id)).collect();
    let unknown: Vec<&str> = wanted
        .iter()
        .map(String::as_str)
        .filter(|s| !ids.contains_key(s))
        .collect();
    let mut errors = FormErrors::default();
    if wanted.is_empty() {
        errors.tenants = Some("Name the affected tenants by their slugs.".into());
    } else if wanted.len() > 200 {
        errors.tenants = Some("Name at most 200 tenants here; the API takes more.".into());
    } else if !unknown.is_empty() {
        errors.tenants = Some(format!("No tenant has the slug {}.", unknown.join(", ")));
    }
    let input = NewIncident {
        title: post.form.title.clone(),
        description: post.form.description.clone(),
        severity,
        tenant_ids: wanted
            .iter()
            .filter_map(|s| ids.get(s.as_str()).copied())
            .collect(),
    };
    if errors.tenants.is_none() {
        match incidents::declare(&mut tx, &input).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(Redirect::to("/platform/incidents?done=declared").into_response());
            }
            Err(CoreError::Invalid {
                code: "invalid_title",
                message,
            }) => errors.title = Some(message),
            Err(CoreError::Invalid {
                code: "invalid_description",
                message,
            }) => errors.description = Some(message),
            // A tenant that went away between reading the form and declaring.
            Err(CoreError::Unknown {
                code: "unknown_tenant",
                message,
            }) => errors.tenants = Some(message.to_owned()),
            Err(e) => return Err(e.into()),
        }
    }
    drop(tx);
    render(
        &post.visitor,
        post.form,
        errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub async fn resolve(Path(id): Path<String>, post: FormPost<NoFields>) -> PageResult {
    let id = path_id(&id)?;
    let (mut tx, _) = enter_platform(&post.visitor, "incidents").await?;
    incidents::resolve(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/platform/incidents?done=resolved").into_response())
}
