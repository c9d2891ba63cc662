//! Sign-in rules (admins): a second factor for managers and admins, the ways members may sign in,
//! and the email domains members must have, as `PUT /api/v1/settings/security` sets them. Members
//! whose session breaks a new rule are refused from their next page; rules that would shut out the
//! admin's own session are refused.
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::sign_in::mfa::{self, SignInRules};
use serde::Deserialize;

use super::as_admin_of;
use crate::error::ApiError;
use crate::web::error::PageResult;
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "sign-in-rules";
const METHODS: [(&str, &str); 3] = [
    ("magic_link", "Email link"),
    ("oidc", "Single sign-on (OpenID Connect)"),
    ("password", "Password"),
];

/// The form as posted: a checkbox is sent only when ticked (one field per method, named after it).
#[derive(Default, Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    require_mfa: Option<String>,
    #[serde(default)]
    magic_link: Option<String>,
    #[serde(default)]
    oidc: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    email_domains: String,
}

impl RulesForm {
    fn methods(&self) -> Vec<String> {
        [
            ("magic_link", &self.magic_link),
            ("oidc", &self.oidc),
            ("password", &self.password),
        ]
        .into_iter()
        .filter(|(_, ticked)| ticked.is_some())
        .map(|(m, _)| m.to_owned())
        .collect()
    }
}

#[derive(Default)]
pub struct RulesErrors {
    methods: Option<&'static str>,
    domains: Option<String>,
}

#[derive(Template)]
#[template(path = "app/sign_in_rules.html")]
struct RulesPage {
    shell: Shell,
    tenant_id: uuid::Uuid,
    require_mfa: bool,
    methods: Vec<(&'static str, &'static str, bool)>,
    domains: String,
    errors: RulesErrors,
    notice: Option<&'static str>,
    problem: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

struct View {
    rules: SignInRules,
    domains: String,
    errors: RulesErrors,
    notice: Option<&'static str>,
    problem: Option<String>,
}

async fn render(visitor: &Visitor, tenant: &str, view: Option<View>, status: StatusCode) -> PageResult {
    let (mut tx, shell, id) = as_admin_of(visitor, tenant, SECTION).await?;
    let stored = mfa::sign_in_rules(&mut tx, id).await?;
    tx.commit().await?;
    let view = view.unwrap_or_else(|| View {
        domains: stored.email_domains.join(", "),
        rules: stored,
        errors: RulesErrors::default(),
        notice: None,
        problem: None,
    });
    let page = RulesPage {
        shell,
        tenant_id: *id.as_uuid(),
        require_mfa: view.rules.require_mfa,
        methods: METHODS
            .iter()
            .map(|(m, label)| (*m, *label, view.rules.sign_in_methods.iter().any(|s| s == m)))
            .collect(),
        domains: view.domains,
        errors: view.errors,
        notice: view.notice,
        problem: view.problem,
    };
    Ok(render_app(status, &page))
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<Saved>,
) -> PageResult {
    if q.saved.is_none() {
        return render(&visitor, &tenant, None, StatusCode::OK).await;
    }
    let (mut tx, _, id) = as_admin_of(&visitor, &tenant, SECTION).await?;
    let rules = mfa::sign_in_rules(&mut tx, id).await?;
    tx.commit().await?;
    let view = View {
        domains: rules.email_domains.join(", "),
        rules,
        errors: RulesErrors::default(),
        notice: Some("Saved. Members whose sign-in breaks a rule are asked to sign in again."),
        problem: None,
    };
    render(&visitor, &tenant, Some(view), StatusCode::OK).await
}

/// A domain as the database keeps it: lower case labels of letters, digits and hyphens, with a dot.
fn domain(text: &str) -> Option<String> {
    let d = text.trim().trim_start_matches('@').to_ascii_lowercase();
    let label_ok =
        |l: &str| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (d.len() <= 253 && d.contains('.') && d.split('.').all(label_ok)).then_some(d)
}

fn parse(form: &RulesForm) -> Result<SignInRules, RulesErrors> {
    let mut errors = RulesErrors::default();
    let methods = form.methods();
    if methods.is_empty() {
        errors.methods = Some("Allow at least one way to sign in.");
    }
    let mut domains = Vec::new();
    for part in form
        .email_domains
        .split([',', ' ', '\n', '\r', '\t'])
        .filter(|p| !p.trim().is_empty())
    {
        match domain(part) {
            Some(d) if !domains.contains(&d) => domains.push(d),
            Some(_) => {}
            None => {
                let shown: String = part.trim().chars().take(60).collect();
                errors.domains = Some(format!("\"{shown}\" is not a domain: write it like example.com."));
            }
        }
    }
    if errors.methods.is_some() || errors.domains.is_some() {
        return Err(errors);
    }
    Ok(SignInRules {
        require_mfa: form.require_mfa.is_some(),
        sign_in_methods: methods,
        email_domains: domains,
    })
}

pub async fn save(Path(tenant): Path<String>, post: FormPost<RulesForm>) -> PageResult {
    let typed = |errors, problem| View {
        rules: SignInRules {
            require_mfa: post.form.require_mfa.is_some(),
            sign_in_methods: post.form.methods(),
            email_domains: Vec::new(),
        },
        domains: post.form.email_domains.clone(),
        errors,
        notice: None,
        problem,
    };
    let rules = match parse(&post.form) {
        Ok(rules) => rules,
        Err(errors) => {
            let view = typed(errors, None);
            return render(
                &post.visitor,
                &tenant,
                Some(view),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    if let Err(e) = mfa::set_sign_in_rules(&mut tx, id, &rules).await {
        let e = ApiError::from(e);
        if !e.status.is_client_error() || e.status == StatusCode::FORBIDDEN {
            return Err(e.into());
        }
        drop(tx);
        let view = typed(RulesErrors::default(), Some(e.message));
        return render(&post.visitor, &tenant, Some(view), e.status).await;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/sign-in-rules?saved=1")).into_response())
}
