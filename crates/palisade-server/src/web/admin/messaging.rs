//! Messaging settings: the region national numbers are read in (admins), and the team's message
//! templates (managers and admins; placeholders checked when saved), as `/api/v1/settings/phone` and
//! `/api/v1/templates`. A manager's page has the templates only, under the top bar's "Templates".
use askama::Template as Page;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::messaging::templates::{self, Template, TemplateInput};
use palisade_core::messaging::{Channel, Purpose};
use palisade_core::{phone, CoreError};
use palisade_db::{TenantId, TenantRole, Tx};
use serde::Deserialize;
use uuid::Uuid;

use super::as_admin_of;
use crate::error::ApiError;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::{self, Shell};

const SECTION: &str = "messaging";

/// A template's form as typed (or as stored, to edit).
#[derive(Default, Deserialize)]
pub struct TemplateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

impl From<Template> for TemplateForm {
    fn from(t: Template) -> Self {
        Self {
            name: t.name,
            channel: t.channel,
            purpose: t.purpose,
            subject: t.subject.unwrap_or_default(),
            body: t.body,
        }
    }
}

#[derive(Page)]
#[template(path = "app/messaging.html")]
struct MessagingPage {
    shell: Shell,
    tenant_id: Uuid,
    /// The region setting (admins only: nobody else reads it through the API either).
    region: Option<String>,
    templates: Vec<Template>,
    /// The template being edited (None: the new-template form).
    editing: Option<Uuid>,
    form: TemplateForm,
    channels: [&'static str; 3],
    purposes: [&'static str; 2],
    problem: Option<String>,
    region_problem: Option<String>,
    notice: Option<&'static str>,
}

impl MessagingPage {
    fn is_editing(&self, id: &Uuid) -> bool {
        self.editing.as_ref() == Some(id)
    }

    fn picked(&self, field: &str, value: &str) -> bool {
        let typed = if field == "channel" {
            &self.form.channel
        } else {
            &self.form.purpose
        };
        typed == value
    }
}

#[derive(Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

#[derive(Default)]
struct View {
    editing: Option<Uuid>,
    form: Option<TemplateForm>,
    problem: Option<String>,
    region: Option<(String, String)>,
    notice: Option<&'static str>,
}

/// Opens the workspace for the templates: managers and admins, as the API's template routes (the
/// database checks the role again). A manager's page sits under the top bar's "Templates", not the
/// admin's tabs.
async fn as_writer(visitor: &Visitor, tenant: &str) -> Result<(Tx, Shell, TenantId), PageError> {
    let refusal = "This page is for the workspace's managers and admins.";
    let (tx, mut shell, id) = shell::enter_as(visitor, tenant, SECTION, TenantRole::Manager, refusal).await?;
    if shell.workspace()?.1 < TenantRole::Admin {
        shell.section = "templates";
    }
    Ok((tx, shell, id))
}

async fn render(visitor: &Visitor, tenant: &str, view: View, status: StatusCode) -> PageResult {
    let (mut tx, shell, id) = as_writer(visitor, tenant).await?;
    let stored = match shell.workspace()?.1 {
        TenantRole::Admin => Some(phone::tenant_region(&mut tx, id).await?.as_ref().to_owned()),
        _ => None,
    };
    let all = templates::list(&mut tx, id).await?;
    let form = match (view.form, view.editing) {
        (Some(typed), _) => typed,
        (None, Some(editing)) => templates::get(&mut tx, id, editing).await?.into(),
        (None, None) => TemplateForm {
            channel: "sms".into(),
            purpose: "service".into(),
            ..TemplateForm::default()
        },
    };
    tx.commit().await?;
    let (region, region_problem) = match view.region {
        Some((typed, problem)) => (Some(typed), Some(problem)),
        None => (stored, None),
    };
    let page = MessagingPage {
        shell,
        tenant_id: *id.as_uuid(),
        region,
        templates: all,
        editing: view.editing,
        form,
        channels: Channel::ALL.map(Channel::as_str),
        purposes: Purpose::ALL.map(Purpose::as_str),
        problem: view.problem,
        region_problem,
        notice: view.notice,
    };
    Ok(render_app(status, &page))
}

pub async fn show(visitor: Visitor, Path(tenant): Path<String>, PageQuery(q): PageQuery<Done>) -> PageResult {
    let notice = match q.done.as_str() {
        "region" => Some("Region saved: numbers typed without a country code are read as this region's."),
        "saved" => Some("Template saved."),
        "deleted" => Some("Template deleted. Messages sent from it keep their text."),
        _ => None,
    };
    render(
        &visitor,
        &tenant,
        View {
            notice,
            ..View::default()
        },
        StatusCode::OK,
    )
    .await
}

pub async fn edit(visitor: Visitor, Path((tenant, template)): Path<(String, String)>) -> PageResult {
    let view = View {
        editing: Some(path_id(&template)?),
        ..View::default()
    };
    render(&visitor, &tenant, view, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct RegionForm {
    #[serde(default)]
    region: String,
}

pub async fn region(Path(tenant): Path<String>, post: FormPost<RegionForm>) -> PageResult {
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    match phone::set_tenant_region(&mut tx, post.form.region.trim()).await {
        Ok(_) => tx.commit().await?,
        Err(e @ CoreError::Invalid { .. }) => {
            drop(tx);
            let view = View {
                region: Some((post.form.region, ApiError::from(e).message)),
                ..View::default()
            };
            return render(&post.visitor, &tenant, view, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/messaging?done=region")).into_response())
}

/// The form as the API's input; a choice that is not offered is a broken form.
fn input(form: &TemplateForm) -> Result<TemplateInput, PageError> {
    let bad = |what: &str| PageError::BadRequest(format!("Choose {what}."));
    let channel = Channel::ALL
        .into_iter()
        .find(|c| c.as_str() == form.channel)
        .ok_or_else(|| bad("a channel"))?;
    Ok(TemplateInput {
        name: form.name.trim().to_owned(),
        channel,
        purpose: Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == form.purpose)
            .ok_or_else(|| bad("a purpose"))?,
        subject: (channel == Channel::Email && !form.subject.trim().is_empty())
            .then(|| form.subject.trim().to_owned()),
        body: form.body.clone(),
    })
}

/// Creates a template (`editing` None) or replaces one.
async fn save(tenant: &str, editing: Option<Uuid>, post: FormPost<TemplateForm>) -> PageResult {
    let input = input(&post.form)?;
    let (mut tx, _, id) = as_writer(&post.visitor, tenant).await?;
    let me = post.visitor.caller().user_id();
    let saved = match editing {
        None => templates::create(&mut tx, id, me, &input).await,
        Some(template) => templates::replace(&mut tx, id, template, &input).await,
    };
    match saved {
        Ok(_) => tx.commit().await?,
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict { .. })) => {
            drop(tx);
            let e = ApiError::from(e);
            let view = View {
                editing,
                form: Some(post.form),
                problem: Some(e.message),
                ..View::default()
            };
            return render(&post.visitor, tenant, view, e.status).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/messaging?done=saved")).into_response())
}

pub async fn create(Path(tenant): Path<String>, post: FormPost<TemplateForm>) -> PageResult {
    save(&tenant, None, post).await
}

pub async fn replace(
    Path((tenant, template)): Path<(String, String)>,
    post: FormPost<TemplateForm>,
) -> PageResult {
    save(&tenant, Some(path_id(&template)?), post).await
}

pub async fn delete(
    Path((tenant, template)): Path<(String, String)>,
    post: FormPost<NoFields>,
) -> PageResult {
    let template = path_id(&template)?;
    let (mut tx, _, id) = as_writer(&post.visitor, &tenant).await?;
    templates::delete(&mut tx, id, template).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/messaging?done=deleted")).into_response())
}
