//! Members (admins): who works in the workspace, their roles and standing, and the actions the API
//! offers on them: change a role, suspend or reinstate, sign out of the workspace, remove. Each is
//! access-logged as through the API; the database refuses what would leave the workspace without an
//! active admin, and anyone's action on themselves.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::membership;
use palisade_core::membership::invitations::{self, Invitation};
use palisade_core::tenancy::{self, Member, MemberChange, MemberStatus};
use palisade_db::{TenantRole, UserId};
use serde::Deserialize;
use uuid::Uuid;

use super::{as_admin, cursor, InviteErrors, InviteForm, ROLES};
use crate::admin::members::{change_member, remove_member};
use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell::Shell;

/// Members and invitations per page.
const PAGE: i64 = 50;

pub struct Row {
    id: Uuid,
    name: String,
    email: String,
    role: &'static str,
    active: bool,
    me: bool,
    joined: String,
}

pub struct Invite {
    id: Uuid,
    email: String,
    role: String,
    status: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "app/members.html")]
struct MembersPage {
    shell: Shell,
    tenant_id: Uuid,
    rows: Vec<Row>,
    next: Option<Uuid>,
    paged: bool,
    invites: Vec<Invite>,
    older_invites: Option<Uuid>,
    roles: &'static [&'static str],
    form: InviteForm,
    errors: InviteErrors,
    notice: Option<&'static str>,
    problem: Option<String>,
}

impl MembersPage {
    fn invite_role_selected(&self, role: &str) -> bool {
        self.form.role == role || (self.form.role.is_empty() && role == "rep")
    }
}

impl Row {
    fn has_role(&self, role: &str) -> bool {
        self.role == role
    }
}

#[derive(Default, Deserialize)]
pub struct MembersQuery {
    #[serde(default)]
    after: String,
    #[serde(default)]
    invites_before: String,
    #[serde(default)]
    done: String,
}

/// What a render needs besides the address: a notice, a refusal, the invitation form as typed.
#[derive(Default)]
pub(super) struct View {
    pub after: Option<Uuid>,
    pub invites_before: Option<Uuid>,
    pub notice: Option<&'static str>,
    pub problem: Option<String>,
    pub form: InviteForm,
    pub errors: InviteErrors,
}

fn row(m: Member, me: Uuid) -> Row {
    Row {
        id: m.user_id,
        name: m.display_name,
        email: m.email,
        role: m.role.as_str(),
        active: m.status == "active",
        me: m.user_id == me,
        joined: when(m.created_at),
    }
}

fn invite(i: Invitation) -> Invite {
    Invite {
        id: i.id,
        email: i.email,
        role: i.role,
        status: i.status,
        expires: when(i.expires_at),
    }
}

pub(super) async fn render(visitor: &Visitor, tenant: &str, view: View, status: StatusCode) -> PageResult {
    let (mut tx, shell, id) = as_admin(visitor, tenant).await?;
    let members = tenancy::members_page(&mut tx, id, view.after.map(UserId::from_uuid), PAGE).await?;
    let sent = invitations::page(&mut tx, id, view.invites_before, PAGE).await?;
    tx.commit().await?;
    let me = *visitor.caller().user_id().as_uuid();
    let page = MembersPage {
        shell,
        tenant_id: *id.as_uuid(),
        rows: members.items.into_iter().map(|m| row(m, me)).collect(),
        next: members.next_cursor,
        paged: view.after.is_some(),
        invites: sent.items.into_iter().map(invite).collect(),
        older_invites: sent.next_cursor,
        roles: &ROLES,
        form: view.form,
        errors: view.errors,
        notice: view.notice,
        problem: view.problem,
    };
    Ok(render_app(status, &page))
}

fn done_notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "role" => "Role changed.",
        "suspended" => "Suspended: they can no longer act in this workspace until reinstated.",
        "reinstated" => "Reinstated: they can work in this workspace again.",
        "signed-out" => "Signed out of this workspace: they must sign in again to work here.",
        "removed" => "Removed from this workspace.",
        "invited" => "Invitation sent. It is valid for 7 days.",
        "revoked" => "Invitation revoked: its link no longer works.",
        _ => return None,
    })
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<MembersQuery>,
) -> PageResult {
    let view = View {
        after: cursor(&q.after)?,
        invites_before: cursor(&q.invites_before)?,
        notice: done_notice(&q.done),
        ..View::default()
    };
    render(&visitor, &tenant, view, StatusCode::OK).await
}

enum Action {
    Change(MemberChange),
    SignOut,
    Remove,
}

/// Applies one action to one member; a refusal the admin can act on (the last admin, themselves)
/// is the page again saying why, with nothing changed.
async fn act(
    state: &AppState,
    ip: ClientIp,
    (tenant, user): (&str, &str),
    visitor: &Visitor,
    action: Action,
    done: &str,
) -> PageResult {
    let user_id = path_id(user)?;
    let (mut tx, _, id) = as_admin(visitor, tenant).await?;
    let result = match &action {
        Action::Change(change) => change_member(&mut tx, id, user_id, change, ip).await.map(drop),
        Action::SignOut => {
            let now = state.clock.now();
            membership::sign_out(&mut tx, id, UserId::from_uuid(user_id), now).await
        }
        Action::Remove => remove_member(&mut tx, id, user_id, ip).await,
    };
    if let Err(e) = result {
        let e = ApiError::from(e);
        // Refusals the admin can act on are said on the page; anything else is an error page.
        let explained = matches!(e.status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY)
            || e.code == "not_yourself";
        if !explained {
            return Err(e.into());
        }
        drop(tx);
        let view = View {
            problem: Some(e.message),
            ..View::default()
        };
        return render(visitor, tenant, view, e.status).await;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/members?done={done}")).into_response())
}

/// The fields of a member's forms (each form sends the one its action needs).
#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    status: String,
}

/// What `POST /t/{tenant}/members/{user}/{what}` asks for, and the notice that follows it.
fn action(what: &str, form: &MemberForm) -> Result<(Action, &'static str), PageError> {
    let change = |role, status| Action::Change(MemberChange { role, status });
    Ok(match (what, form.status.as_str()) {
        ("role", _) => {
            let role = TenantRole::parse(&form.role)
                .ok_or_else(|| PageError::BadRequest("Choose rep, manager or admin.".into()))?;
            (change(Some(role), None), "role")
        }
        ("status", "active") => (change(None, Some(MemberStatus::Active)), "reinstated"),
        ("status", "suspended") => (change(None, Some(MemberStatus::Suspended)), "suspended"),
        ("status", _) => return Err(PageError::BadRequest("Choose active or suspended.".into())),
        ("sign-out", _) => (Action::SignOut, "signed-out"),
        ("remove", _) => (Action::Remove, "removed"),
        _ => return Err(PageError::NotFound),
    })
}

pub async fn act_on(
    State(state): State<AppState>,
    ip: ClientIp,
    Path((tenant, user, what)): Path<(String, String, String)>,
    post: FormPost<MemberForm>,
) -> PageResult {
    let (action, done) = action(&what, &post.form)?;
    let at = (tenant.as_str(), user.as_str());
    act(&state, ip, at, &post.visitor, action, done).await
}
