//! The access log (admins): sensitive reads and security-relevant actions (exports, number reveals,
//! sign-ins and failures, role changes, settings), with who, when and from where, filtered by action
//! and person, as `GET /api/v1/audit/access` returns them.
use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use palisade_core::audit::access::{self, AccessAction, AccessEvent, AccessFilter};
use palisade_core::tenancy;
use serde::Deserialize;
use uuid::Uuid;

use super::as_admin_of;
use crate::web::error::{PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{PageQuery, Visitor};
use crate::web::shell::Shell;

const PAGE: i64 = 50;

#[derive(Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    cursor: String,
}

pub struct Row {
    when: String,
    who: String,
    action: String,
    target: String,
    from: String,
    detail: String,
}

pub struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "app/access.html")]
struct AccessPage {
    shell: Shell,
    rows: Vec<Row>,
    filters: Filters,
    actions: Vec<Choice>,
    people: Vec<Choice>,
    query: String,
    next: Option<String>,
}

/// `sign_in_failed` → "sign in failed".
fn words(action: &str) -> String {
    action.replace('_', " ")
}

fn filter(f: &Filters) -> Result<AccessFilter, PageError> {
    let bad = |what: &str| PageError::BadRequest(what.to_owned());
    let given = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(AccessFilter {
        action: given(&f.action)
            .map(|a| AccessAction::parse(&a).ok_or_else(|| bad("no such action")))
            .transpose()?,
        actor_id: given(&f.actor)
            .map(|a| a.parse().map_err(|_| bad("no such person")))
            .transpose()?,
        limit: Some(PAGE),
        cursor: given(&f.cursor)
            .map(|c| c.parse().map_err(|_| bad("the page link is broken")))
            .transpose()?,
    })
}

fn row(e: AccessEvent, names: &HashMap<Uuid, String>) -> Row {
    let who = match e.actor_user_id {
        Some(id) => names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "a former member".into()),
        None => format!("{} ({})", e.actor_kind, e.purpose.as_deref().unwrap_or("unnamed")),
    };
    let detail = match &e.detail {
        serde_json::Value::Object(o) if o.is_empty() => String::new(),
        other => other.to_string().chars().take(200).collect(),
    };
    Row {
        when: when(e.occurred_at),
        who,
        action: words(&e.action),
        target: match (e.target_type, e.target_id) {
            (Some(t), Some(id)) => format!("{t} {id}"),
            (Some(t), None) => t,
            _ => String::new(),
        },
        from: e.client_ip.unwrap_or_default(),
        detail,
    }
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(filters): PageQuery<Filters>,
) -> PageResult {
    let checked = filter(&filters)?;
    let (mut tx, shell, id) = as_admin_of(&visitor, &tenant, "access").await?;
    let page = access::list(&mut tx, id, &checked).await?;
    let members = tenancy::list_members(&mut tx, id).await?;
    tx.commit().await?;
    let names: HashMap<Uuid, String> = members.iter().map(|m| (m.user_id, m.email.clone())).collect();
    let query = serde_urlencoded::to_string([("action", &filters.action), ("actor", &filters.actor)])
        .unwrap_or_default();
    let page = AccessPage {
        shell,
        rows: page.items.into_iter().map(|e| row(e, &names)).collect(),
        next: page.next_cursor.map(|c| format!("{query}&cursor={c}")),
        actions: AccessAction::ALL
            .iter()
            .map(|a| Choice {
                value: a.as_str().into(),
                label: words(a.as_str()),
            })
            .collect(),
        people: members
            .into_iter()
            .map(|m| Choice {
                value: m.user_id.to_string(),
                label: m.email,
            })
            .collect(),
        filters,
        query,
    };
    Ok(render_app(StatusCode::OK, &page))
}
