//! My second factor: set up an authenticator app (QR code, or the secret typed in), confirm it with
//! a code, and keep the recovery codes, which are shown once. The same functions as
//! `/api/v1/me/mfa/totp`; changing a factor needs a sign-in or factor check within 10 minutes.
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use palisade_core::sign_in::mfa;
use serde::Deserialize;

use super::error::{PageError, PageResult};
use super::page::render_app;
use super::session::{FormPost, NoFields, Visitor};
use super::shell::Shell;
use crate::error::ApiError;
use crate::sign_in::mfa::{confirm_totp, remove_totp, replace_codes, start_totp};
use crate::sign_in::password::set_password;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "app/security.html")]
struct SecurityPage {
    shell: Shell,
    totp: &'static str,
    codes_left: i64,
    problem: Option<&'static str>,
    done: Option<&'static str>,
    passwords: bool,
}

#[derive(Template)]
#[template(path = "app/enrol.html")]
struct EnrolPage {
    shell: Shell,
    qr_svg: String,
    secret: String,
}

#[derive(Template)]
#[template(path = "app/recovery_codes.html")]
struct CodesPage {
    shell: Shell,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn shell(visitor: &Visitor) -> Shell {
    let mut shell = Shell::outside(visitor);
    shell.section = "security";
    shell
}

/// The security page, saying what just happened (a refusal, or `done`).
async fn page_with(
    state: &AppState,
    visitor: &Visitor,
    (problem, done): (Option<&'static str>, Option<&'static str>),
    status: StatusCode,
) -> PageResult {
    let mut tx = visitor.tx().await?;
    let now = mfa::status(&mut tx, visitor.caller().user_id()).await?;
    tx.commit().await?;
    let page = SecurityPage {
        shell: shell(visitor),
        totp: now.totp,
        codes_left: now.recovery_codes_left,
        problem,
        done,
        passwords: state.sessions.password_sign_in,
    };
    Ok(render_app(status, &page))
}

async fn page(
    state: &AppState,
    visitor: &Visitor,
    problem: Option<&'static str>,
    status: StatusCode,
) -> PageResult {
    page_with(state, visitor, (problem, None), status).await
}

async fn show(State(state): State<AppState>, visitor: Visitor) -> PageResult {
    page(&state, &visitor, None, StatusCode::OK).await
}

/// What a refused change means here (the API's text names API routes).
fn refused(e: ApiError) -> Result<&'static str, PageError> {
    match e.code {
        "reauthentication_required" => Ok(
            "For your security, sign out and sign in again (with your code, if you have an app), then try \
             again within 10 minutes.",
        ),
        "mfa_already_active" => Ok("You already have an authenticator app."),
        _ => Err(e.into()),
    }
}

/// Starts setting up an app: the QR code and the confirm form.
async fn begin(State(state): State<AppState>, post: FormPost<NoFields>) -> PageResult {
    match start_totp(&state, post.visitor.caller()).await {
        Ok(e) => {
            let page = EnrolPage {
                shell: shell(&post.visitor),
                qr_svg: e.qr_svg,
                secret: e.secret,
            };
            Ok(render_app(StatusCode::OK, &page))
        }
        Err(e) if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::CONFLICT => {
            page(&state, &post.visitor, Some(refused(e)?), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Confirms the app with a code; the recovery codes, shown this once.
async fn confirm(State(state): State<AppState>, post: FormPost<CodeForm>) -> PageResult {
    match confirm_totp(&state, post.visitor.caller(), &post.form.code).await {
        Ok(codes) => Ok(render_app(
            StatusCode::OK,
            &CodesPage {
                shell: shell(&post.visitor),
                codes,
            },
        )),
        Err(e) if e.code == "invalid_code" => {
            let problem = "That code did not match. Set up the app again: scan the new code, then enter the code it shows.";
            page(
                &state,
                &post.visitor,
                Some(problem),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            page(
                &state,
                &post.visitor,
                Some("Nothing is waiting to be confirmed: set up the app first."),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// New recovery codes, shown this once; the old ones stop working.
async fn new_codes(State(state): State<AppState>, post: FormPost<NoFields>) -> PageResult {
    match replace_codes(&state, post.visitor.caller()).await {
        Ok(codes) => Ok(render_app(
            StatusCode::OK,
            &CodesPage {
                shell: shell(&post.visitor),
                codes,
            },
        )),
        Err(e) if e.status == StatusCode::FORBIDDEN => {
            page(&state, &post.visitor, Some(refused(e)?), StatusCode::FORBIDDEN).await
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            page(
                &state,
                &post.visitor,
                Some("You have no authenticator app to keep codes for."),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes the authenticator app and its recovery codes.
async fn remove(State(state): State<AppState>, post: FormPost<NoFields>) -> PageResult {
    match remove_totp(&state, post.visitor.caller()).await {
        Ok(()) => {
            let done = Some("The authenticator app is removed.");
            page_with(&state, &post.visitor, (None, done), StatusCode::OK).await
        }
        Err(e) if e.status == StatusCode::FORBIDDEN => {
            page(&state, &post.visitor, Some(refused(e)?), StatusCode::FORBIDDEN).await
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            page(&state, &post.visitor, None, StatusCode::OK).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// Sets or changes the visitor's password, where the deployment allows passwords.
async fn password(State(state): State<AppState>, post: FormPost<PasswordForm>) -> PageResult {
    let secret = secrecy::SecretString::from(post.form.password);
    match set_password(&state, post.visitor.caller(), secret).await {
        Ok(()) => {
            page_with(
                &state,
                &post.visitor,
                (None, Some("Your password is set.")),
                StatusCode::OK,
            )
            .await
        }
        Err(e) if e.code == "weak_password" => {
            let why = "Choose a password of 12 to 128 characters.";
            page(&state, &post.visitor, Some(why), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) if e.status == StatusCode::FORBIDDEN => {
            page(&state, &post.visitor, Some(refused(e)?), StatusCode::FORBIDDEN).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me/security", get(show))
        .route("/me/security/totp", post(begin))
        .route("/me/security/totp/confirm", post(confirm))
        .route("/me/security/totp/remove", post(remove))
        .route("/me/security/recovery-codes", post(new_codes))
        .route("/me/security/password", post(password))
}
