//! Integrations (admins): each provider's settings and write-only secrets, as `PUT
//! /api/v1/integrations/{provider}` takes them. A secret is never shown again, not even to the admin
//! who typed it: the page shows its last four characters, and a form sent back with a mistake asks
//! for the secrets again rather than echoing them into the page.
use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::integrations::{self, FieldHelp, Integration, IntegrationInput, Provider, Status};
use palisade_core::CoreError;
use secrecy::SecretString;
use serde::Deserialize;
use uuid::Uuid;

use super::{as_admin_of, FieldView};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error::{PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "integrations";

/// What each provider is for, in the words of the people who connect it.
fn describe(p: Provider) -> (&'static str, &'static str) {
    match p {
        Provider::Twilio => ("Twilio", "SMS and WhatsApp messages, and their delivery reports"),
        Provider::Sendgrid => ("SendGrid", "Email, with its event webhook"),
        Provider::Resend => ("Resend", "Email, with its webhooks"),
        Provider::Meta => ("Meta WhatsApp", "WhatsApp Cloud API messages"),
        Provider::Stripe => ("Stripe", "Billing events"),
        Provider::Hubspot => ("HubSpot", "Your CRM: contacts and deals"),
        Provider::Openai => ("Language model", "AI drafting (an OpenAI-compatible API)"),
    }
}

pub struct Card {
    slug: &'static str,
    name: &'static str,
    purpose: &'static str,
    state: Option<Integration>,
    set_at: String,
}

#[derive(Template)]
#[template(path = "app/integrations.html")]
struct ListPage {
    shell: Shell,
    tenant_id: Uuid,
    cards: Vec<Card>,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "app/integration.html")]
struct FormPage {
    shell: Shell,
    tenant_id: Uuid,
    slug: &'static str,
    name: &'static str,
    purpose: &'static str,
    current: Option<Integration>,
    set_at: String,
    config: Vec<FieldView>,
    secrets: Vec<FieldView>,
    disabled: bool,
    problem: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    saved: String,
    #[serde(default)]
    removed: String,
}

fn provider(slug: &str) -> Result<Provider, PageError> {
    Provider::parse(slug).ok_or(PageError::NotFound)
}

pub async fn list(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(done): PageQuery<Done>,
) -> PageResult {
    let (mut tx, shell, id) = as_admin_of(&visitor, &tenant, SECTION).await?;
    let mut connected = integrations::list(&mut tx, id).await?;
    tx.commit().await?;
    let cards = Provider::ALL.into_iter().map(|p| {
        let (name, purpose) = describe(p);
        let state = connected
            .iter()
            .position(|i| i.provider == p)
            .map(|at| connected.swap_remove(at));
        let set_at = state.as_ref().map(|s| when(s.set_at)).unwrap_or_default();
        Card {
            slug: p.as_str(),
            name,
            purpose,
            state,
            set_at,
        }
    });
    let named = |slug: &str| Provider::parse(slug).map(|p| describe(p).0);
    let notice = match (named(&done.saved), named(&done.removed)) {
        (Some(name), _) => Some(format!("{name} saved.")),
        (_, Some(name)) => Some(format!(
            "{name} disconnected: its settings and secrets are deleted."
        )),
        _ => None,
    };
    let page = ListPage {
        shell,
        tenant_id: *id.as_uuid(),
        cards: cards.collect(),
        notice,
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// A form's fields: settings show their value (stored or typed), secrets never do.
fn fields(
    help: Vec<FieldHelp>,
    group: &'static str,
    values: &BTreeMap<String, String>,
    error: &str,
) -> Vec<FieldView> {
    help.into_iter()
        .map(|f| {
            let key = format!("{group}.{}", f.name);
            let named = error.contains(&format!("{key} ")) || error.ends_with(&key);
            FieldView {
                value: if group == "config" {
                    values.get(&key).cloned().unwrap_or_default()
                } else {
                    String::new()
                },
                error: named.then(|| error.to_owned()),
                id: key.replace('.', "-"),
                key,
                name: f.name,
                required: f.required,
                shape: f.shape,
            }
        })
        .collect()
}

struct Typed {
    values: BTreeMap<String, String>,
    disabled: bool,
    problem: Option<String>,
}

async fn render(
    visitor: &Visitor,
    tenant: &str,
    p: Provider,
    typed: Option<Typed>,
    status: StatusCode,
) -> PageResult {
    let (mut tx, shell, id) = as_admin_of(visitor, tenant, SECTION).await?;
    let current = match integrations::get(&mut tx, id, p).await {
        Ok(found) => Some(found),
        Err(CoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let typed = typed.unwrap_or_else(|| Typed {
        values: stored_config(current.as_ref()),
        disabled: current.as_ref().is_some_and(|c| c.status == "disabled"),
        problem: None,
    });
    let error = typed.problem.clone().unwrap_or_default();
    let (config, secrets) = p.fields();
    let config = fields(config, "config", &typed.values, &error);
    let secrets = fields(secrets, "secrets", &typed.values, &error);
    let named = config.iter().chain(&secrets).any(|f| f.error.is_some());
    let (name, purpose) = describe(p);
    let page = FormPage {
        shell,
        tenant_id: *id.as_uuid(),
        slug: p.as_str(),
        name,
        purpose,
        set_at: current.as_ref().map(|c| when(c.set_at)).unwrap_or_default(),
        current,
        config,
        secrets,
        disabled: typed.disabled,
        problem: if named { None } else { typed.problem },
    };
    Ok(render_app(status, &page))
}

fn stored_config(current: Option<&Integration>) -> BTreeMap<String, String> {
    let Some(object) = current.and_then(|c| c.config.as_object()) else {
        return BTreeMap::new();
    };
    object
        .iter()
        .filter_map(|(k, v)| Some((format!("config.{k}"), v.as_str()?.to_owned())))
        .collect()
}

pub async fn show(visitor: Visitor, Path((tenant, slug)): Path<(String, String)>) -> PageResult {
    render(&visitor, &tenant, provider(&slug)?, None, StatusCode::OK).await
}

/// The form as an API input: blank fields are left out, and no secret typed keeps the stored ones.
fn input(form: &BTreeMap<String, String>) -> IntegrationInput {
    let group = |prefix: &str| -> BTreeMap<String, String> {
        form.iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_owned(), v.trim().to_owned())))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    };
    let secrets = group("secrets.");
    IntegrationInput {
        config: group("config."),
        secrets: (!secrets.is_empty()).then(|| {
            secrets
                .into_iter()
                .map(|(k, v)| (k, SecretString::from(v)))
                .collect()
        }),
        status: Some(if form.get("status").is_some_and(|s| s == "disabled") {
            Status::Disabled
        } else {
            Status::Active
        }),
    }
}

pub async fn save(
    State(state): State<AppState>,
    Path((tenant, slug)): Path<(String, String)>,
    post: FormPost<BTreeMap<String, String>>,
) -> PageResult {
    let p = provider(&slug)?;
    let input = input(&post.form);
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    let saved = match integrations::prepare(&state.keyring, id, p, &input) {
        Ok(sealed) => {
            integrations::put(&mut tx, id, post.visitor.caller().user_id(), p, &input, sealed).await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = saved {
        let e = ApiError::from(e);
        if e.status != StatusCode::UNPROCESSABLE_ENTITY {
            return Err(e.into());
        }
        drop(tx);
        let retype = if input.secrets.is_some() {
            " Type the secrets again: they are never shown back."
        } else {
            ""
        };
        let typed = Typed {
            disabled: matches!(input.status, Some(Status::Disabled)),
            values: post
                .form
                .into_iter()
                .filter(|(k, _)| k.starts_with("config."))
                .collect(),
            problem: Some(format!("{}.{retype}", e.message)),
        };
        return render(&post.visitor, &tenant, p, Some(typed), e.status).await;
    }
    tx.commit().await?;
    state.accounts.forget(id, p);
    Ok(Redirect::to(&format!("/t/{id}/integrations?saved={slug}")).into_response())
}

pub async fn disconnect(
    State(state): State<AppState>,
    Path((tenant, slug)): Path<(String, String)>,
    post: FormPost<NoFields>,
) -> PageResult {
    let p = provider(&slug)?;
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    match integrations::delete(&mut tx, id, p).await {
        Ok(()) => tx.commit().await?,
        Err(CoreError::NotFound) => {
            return Err(PageError::NotFoundBecause("This provider is not connected."))
        }
        Err(e) => return Err(e.into()),
    }
    state.accounts.forget(id, p);
    Ok(Redirect::to(&format!("/t/{id}/integrations?removed={slug}")).into_response())
}
