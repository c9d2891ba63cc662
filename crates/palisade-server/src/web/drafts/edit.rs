//! One draft: edit and save it, or send it to its lead through the outbox, whose insert is the
//! consent check (a refused send says why, and nothing is sent or changed).
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::crm::leads::{self, Phones};
use palisade_core::messaging::outbound;
use palisade_core::private::{self, drafts::Draft};
use palisade_core::CoreError;
use palisade_db::{LeadId, TenantId, Tx};
use serde::Deserialize;
use uuid::Uuid;

use super::form::{refusal, DraftForm, FormErrors, CHANNELS, PURPOSES};
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell;

#[derive(Template)]
#[template(path = "app/draft.html")]
struct DraftPage {
    shell: shell::Shell,
    tenant_id: Uuid,
    draft_id: Option<Uuid>,
    lead: Option<(Uuid, String)>,
    form: DraftForm,
    errors: FormErrors,
    notice: Option<&'static str>,
    problem: Option<String>,
    channels: &'static [(&'static str, &'static str)],
    purposes: &'static [(&'static str, &'static str)],
}

/// What to show besides the draft's address.
struct View {
    draft: Option<Uuid>,
    lead: Option<Uuid>,
    form: Option<DraftForm>,
    errors: FormErrors,
    notice: Option<&'static str>,
    problem: Option<String>,
}

impl View {
    fn of(draft: Option<Uuid>, lead: Option<Uuid>) -> Self {
        Self {
            draft,
            lead,
            form: None,
            errors: FormErrors::default(),
            notice: None,
            problem: None,
        }
    }
}

/// The lead's name, if the visitor still sees the lead.
async fn lead_name(
    tx: &mut Tx,
    state: &AppState,
    tenant: TenantId,
    lead: Uuid,
) -> Result<Option<(Uuid, String)>, PageError> {
    match leads::get_with(
        tx,
        tenant,
        LeadId::from_uuid(lead),
        state.phone_keys(),
        Phones::Masked,
    )
    .await
    {
        Ok(l) => Ok(Some((l.id, l.name))),
        Err(CoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The stored draft into the view. Read also when redisplaying a form: someone else's draft is "not
/// found", whatever was posted.
async fn load(
    tx: &mut Tx,
    tenant: TenantId,
    visitor: &Visitor,
    draft: Uuid,
    view: &mut View,
) -> Result<(), PageError> {
    let d: Draft = private::get(tx, tenant, visitor.caller().user_id(), draft).await?;
    view.lead = d.lead_id;
    if view.form.is_none() {
        view.form = Some(DraftForm {
            channel: d.channel,
            subject: d.subject.unwrap_or_default(),
            body: d.body,
            ..DraftForm::default()
        });
    }
    Ok(())
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    tenant: Uuid,
    mut view: View,
    status: StatusCode,
) -> PageResult {
    let (mut tx, shell) = shell::enter(visitor, tenant, "drafts").await?;
    let id = TenantId::from_uuid(tenant);
    if let Some(draft) = view.draft {
        load(&mut tx, id, visitor, draft, &mut view).await?;
    }
    let lead = match view.lead {
        Some(l) => lead_name(&mut tx, state, id, l).await?,
        None => None,
    };
    tx.commit().await?;
    // A new draft for a lead the visitor cannot see: as for any address naming one.
    if view.draft.is_none() && view.lead.is_some() && lead.is_none() {
        return Err(PageError::NotFound);
    }
    let form = view.form.unwrap_or_else(|| DraftForm {
        channel: "sms".into(),
        ..DraftForm::default()
    });
    let page = DraftPage {
        shell,
        tenant_id: tenant,
        draft_id: view.draft,
        lead,
        form,
        errors: view.errors,
        notice: view.notice,
        problem: view.problem,
        channels: &CHANNELS,
        purposes: &PURPOSES,
    };
    Ok(render_app(status, &page))
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    lead: String,
}

/// A blank draft for a lead (`?lead=`).
pub async fn new(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<NewQuery>,
) -> PageResult {
    let lead = (!q.lead.is_empty()).then(|| path_id(&q.lead)).transpose()?;
    render(
        &state,
        &visitor,
        path_id(&tenant)?,
        View::of(None, lead),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((tenant, draft)): Path<(String, String)>,
    PageQuery(q): PageQuery<ShowQuery>,
) -> PageResult {
    let mut view = View::of(Some(path_id(&draft)?), None);
    view.notice = match (&q.saved, q.done.as_deref()) {
        (Some(_), _) => Some("Draft saved."),
        (_, Some("ai")) => Some("The assistant wrote this draft: read it, edit it, then send it."),
        _ => None,
    };
    render(&state, &visitor, path_id(&tenant)?, view, StatusCode::OK).await
}

/// The form again, as typed, with what to fix.
async fn again(
    state: &AppState,
    post: FormPost<DraftForm>,
    tenant: Uuid,
    mut view: View,
    status: StatusCode,
) -> PageResult {
    view.lead = view.lead.or_else(|| post.form.lead.parse().ok());
    view.form = Some(post.form);
    render(state, &post.visitor, tenant, view, status).await
}

/// Saves a new draft.
pub async fn create(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<DraftForm>,
) -> PageResult {
    let tenant = path_id(&tenant)?;
    let lead = (!post.form.lead.is_empty())
        .then(|| path_id(&post.form.lead))
        .transpose()?;
    let checked = match post.form.check(false) {
        Ok(c) => c,
        Err(errors) => {
            let view = View {
                errors,
                ..View::of(None, lead)
            };
            return again(&state, post, tenant, view, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let id = TenantId::from_uuid(tenant);
    let mut tx = post.visitor.tx_in(id).await?;
    let draft: Draft = private::create(
        &mut tx,
        id,
        post.visitor.caller().user_id(),
        &checked.new_draft(lead),
    )
    .await
    .map_err(|e| match e {
        // A lead the visitor cannot see, as for any address naming one.
        CoreError::Unknown {
            code: "unknown_lead", ..
        } => PageError::NotFound,
        other => other.into(),
    })?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{tenant}/drafts/{}?saved=1", draft.id)).into_response())
}

/// Saves the draft, or sends it (`action=send`): the edits and the message in one transaction, the
/// draft removed once its message is queued.
pub async fn act(
    State(state): State<AppState>,
    Path((tenant, draft)): Path<(String, String)>,
    post: FormPost<DraftForm>,
) -> PageResult {
    let (tenant, draft) = (path_id(&tenant)?, path_id(&draft)?);
    let sending = post.form.action == "send";
    let checked = match post.form.check(sending) {
        Ok(c) => c,
        Err(errors) => {
            let view = View {
                errors,
                ..View::of(Some(draft), None)
            };
            return again(&state, post, tenant, view, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let (id, me) = (TenantId::from_uuid(tenant), post.visitor.caller().user_id());
    let mut tx = post.visitor.tx_in(id).await?;
    let saved: Draft = match private::update(&mut tx, id, me, draft, &checked.patch()).await {
        Ok(d) => d,
        // Sent (and so removed) by an earlier press of Send, or deleted: nothing more is sent.
        Err(CoreError::NotFound) if sending => {
            return Err(PageError::NotFoundBecause(
                "This draft is no longer here: it was sent or deleted (nothing more was sent), or it is not yours.",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    if !sending {
        tx.commit().await?;
        return Ok(Redirect::to(&format!("/t/{tenant}/drafts/{draft}?saved=1")).into_response());
    }
    let refused = match (saved.lead_id, post.form.purpose()) {
        (Some(lead), Some(purpose)) => {
            match send(tx, id, (me, draft), &checked.message(lead, purpose)).await? {
                None => return Ok(Redirect::to(&format!("/t/{tenant}/leads/{lead}?sent=1")).into_response()),
                Some(why) => (why, StatusCode::CONFLICT),
            }
        }
        _ => {
            drop(tx);
            (
                "This draft is not for a lead, so it has no one to go to.".to_owned(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    };
    not_sent(&state, post, (tenant, draft, saved.lead_id), refused).await
}

/// The draft again after a refused send, with why and what was typed.
async fn not_sent(
    state: &AppState,
    post: FormPost<DraftForm>,
    (tenant, draft, lead): (Uuid, Uuid, Option<Uuid>),
    (why, status): (String, StatusCode),
) -> PageResult {
    let view = View {
        problem: Some(format!(
            "Nothing was sent, and your edits are not saved yet. {why}"
        )),
        ..View::of(Some(draft), lead)
    };
    again(state, post, tenant, view, status).await
}

/// Queues the message and removes the draft, committing both; `Some(why)` when the outbox refused it
/// (the transaction is then rolled back: nothing sent, nothing changed).
async fn send(
    mut tx: Tx,
    tenant: TenantId,
    (me, draft): (palisade_db::UserId, Uuid),
    message: &outbound::NewMessage,
) -> Result<Option<String>, PageError> {
    match outbound::queue(&mut tx, tenant, me, message).await {
        Ok(_) => {
            private::delete::<Draft>(&mut tx, tenant, me, draft).await?;
            tx.commit().await?;
            Ok(None)
        }
        Err(CoreError::ConsentRequired { reason }) => Ok(Some(refusal(reason).to_owned())),
        Err(CoreError::Unknown {
            code: "unknown_lead", ..
        }) => Ok(Some(
            "You can no longer see this lead (it may have been reassigned), so nothing can go to it.".into(),
        )),
        Err(CoreError::Invalid { message, .. }) => Ok(Some(message)),
        Err(CoreError::Throttled { retry_after_secs, .. }) => Err(PageError::Limited(Some(retry_after_secs))),
        Err(e) => Err(e.into()),
    }
}
