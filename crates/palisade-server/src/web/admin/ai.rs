//! The assistant's settings and this month's usage (admins), as `PUT /api/v1/ai/settings` sets
//! them: the budget, what is on, forbidden topics, and what is masked besides cards, phones and
//! emails. A bad pattern or budget says so and saves nothing.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use chrono::Utc;
use palisade_ai::{Builtins, Guard};
use palisade_core::ai::settings::{self, AiSettings, AutoReplyChannel, QuietHours};
use palisade_core::ai::usage::{self, MonthUsage};
use serde::Deserialize;

use super::as_admin_of;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error::PageResult;
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "ai";

/// The form as posted (a checkbox is sent only when ticked).
#[derive(Default, Deserialize)]
pub struct AiForm {
    #[serde(default)]
    budget_usd: String,
    #[serde(default)]
    drafting: Option<String>,
    #[serde(default)]
    coaching: Option<String>,
    #[serde(default)]
    reply_sms: Option<String>,
    #[serde(default)]
    reply_whatsapp: Option<String>,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    mask_iban: Option<String>,
    #[serde(default)]
    mask_us_ssn: Option<String>,
    #[serde(default)]
    mask_uk_nino: Option<String>,
    #[serde(default)]
    patterns: String,
    #[serde(default)]
    quiet_start: String,
    #[serde(default)]
    quiet_end: String,
    #[serde(default)]
    time_zone: String,
}

#[derive(Template)]
#[template(path = "app/ai_settings.html")]
struct AiPage {
    shell: Shell,
    tenant_id: uuid::Uuid,
    s: AiSettings,
    budget: String,
    topics: String,
    patterns: String,
    quiet: (String, String, String),
    usage: MonthUsage,
    notice: Option<&'static str>,
    problem: Option<String>,
}

impl AiPage {
    fn replies(&self, channel: &str) -> bool {
        self.s.auto_reply_channels.iter().any(|c| c.as_str() == channel)
    }

    fn usage_budget(&self) -> String {
        dollars(self.usage.budget_micros)
    }

    fn spent(&self) -> String {
        dollars(self.usage.spent_micros)
    }

    fn cost(&self, p: &usage::PurposeUsage) -> String {
        dollars(p.cost_micros)
    }

    fn purpose(&self, p: &usage::PurposeUsage) -> &'static str {
        match p.purpose {
            usage::CallPurpose::Draft => "Drafts",
            usage::CallPurpose::Coaching => "Coaching",
            usage::CallPurpose::Answer => "Answers",
        }
    }
}

/// Millionths of a dollar as dollars: cents, or as many decimals as it takes (a budget of 0.001
/// must not show, and be saved back, as 0.00).
pub fn dollars(micros: i64) -> String {
    let exact = format!("{}.{:06}", micros / 1_000_000, (micros % 1_000_000).abs());
    let trimmed = exact.trim_end_matches('0');
    match trimmed.split_once('.') {
        Some((_, decimals)) if decimals.len() <= 2 => format!("{:.2}", micros as f64 / 1e6),
        _ => trimmed.to_owned(),
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The settings as ticked and typed (the budget left out: it is checked by [`parse`]).
fn typed(form: &AiForm) -> AiSettings {
    let channels = [
        (AutoReplyChannel::Sms, &form.reply_sms),
        (AutoReplyChannel::Whatsapp, &form.reply_whatsapp),
    ];
    AiSettings {
        monthly_budget_micros: None,
        drafting: form.drafting.is_some(),
        coaching: form.coaching.is_some(),
        auto_reply_channels: channels
            .iter()
            .filter(|(_, on)| on.is_some())
            .map(|(c, _)| *c)
            .collect(),
        forbidden_topics: lines(&form.topics),
        mask_iban: form.mask_iban.is_some(),
        mask_us_ssn: form.mask_us_ssn.is_some(),
        mask_uk_nino: form.mask_uk_nino.is_some(),
        mask_patterns: lines(&form.patterns),
        quiet_hours: None,
    }
}

fn parse(form: &AiForm) -> Result<AiSettings, String> {
    let mut s = typed(form);
    s.monthly_budget_micros = match form.budget_usd.trim() {
        "" => None,
        text => {
            let usd: f64 = text.trim_start_matches('$').parse().map_err(|_| {
                "The budget is a number of dollars, like 25 or 12.50 (or empty for the default)."
            })?;
            if !(0.0..=1_000_000.0).contains(&usd) {
                return Err("The budget is between 0 and 1,000,000 dollars.".into());
            }
            Some((usd * 1e6).round() as i64)
        }
    };
    s.quiet_hours = quiet_hours(form)?;
    let builtins = Builtins {
        iban: s.mask_iban,
        us_ssn: s.mask_us_ssn,
        uk_nino: s.mask_uk_nino,
    };
    Guard::new(builtins, &s.mask_patterns).map_err(|e| format!("Patterns to mask: {e}."))?;
    Ok(s)
}

/// Quiet hours as typed: all three fields, or none.
fn quiet_hours(form: &AiForm) -> Result<Option<QuietHours>, String> {
    let (start, end, zone) = (
        form.quiet_start.trim(),
        form.quiet_end.trim(),
        form.time_zone.trim(),
    );
    if start.is_empty() && end.is_empty() && zone.is_empty() {
        return Ok(None);
    }
    let hour = |h: &str| h.parse::<i16>().ok().filter(|h| (0..=23).contains(h));
    match (hour(start), hour(end), zone) {
        (Some(start), Some(end), zone) if start != end && !zone.is_empty() => Ok(Some(QuietHours {
            start,
            end,
            time_zone: zone.to_owned(),
        })),
        _ => Err(
            "Quiet hours need a start and an end hour (0 to 23, different) and a time zone, or none of them."
                .into(),
        ),
    }
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    tenant: &str,
    typed: Option<(AiSettings, &AiForm)>,
    notice: Option<&'static str>,
    problem: Option<String>,
) -> PageResult {
    let (mut tx, shell, id) = as_admin_of(visitor, tenant, SECTION).await?;
    let stored = settings::read(&mut tx, id).await?;
    let budget = state.assistant.budget_micros(&stored);
    let usage = usage::month(&mut tx, id, Utc::now().date_naive(), budget).await?;
    tx.commit().await?;
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (s, budget, topics, patterns, quiet) = match typed {
        Some((s, form)) => (
            s,
            form.budget_usd.clone(),
            form.topics.clone(),
            form.patterns.clone(),
            (
                form.quiet_start.clone(),
                form.quiet_end.clone(),
                form.time_zone.clone(),
            ),
        ),
        None => (
            stored.clone(),
            stored.monthly_budget_micros.map(dollars).unwrap_or_default(),
            stored.forbidden_topics.join("\n"),
            stored.mask_patterns.join("\n"),
            stored
                .quiet_hours
                .as_ref()
                .map(|q| (q.start.to_string(), q.end.to_string(), q.time_zone.clone()))
                .unwrap_or_default(),
        ),
    };
    let page = AiPage {
        shell,
        tenant_id: *id.as_uuid(),
        s,
        budget,
        topics,
        patterns,
        quiet,
        usage,
        notice,
        problem,
    };
    Ok(render_app(status, &page))
}

#[derive(Default, Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<Saved>,
) -> PageResult {
    let notice = q.saved.is_some().then_some("Saved.");
    render(&state, &visitor, &tenant, None, notice, None).await
}

pub async fn save(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<AiForm>,
) -> PageResult {
    let parsed = match parse(&post.form) {
        Ok(s) => s,
        Err(problem) => {
            let as_typed = Some((typed(&post.form), &post.form));
            return render(&state, &post.visitor, &tenant, as_typed, None, Some(problem)).await;
        }
    };
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    settings::put(&mut tx, id, parsed).await.map_err(ApiError::from)?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/ai?saved=1")).into_response())
}

#[cfg(test)]
mod tests {
    use super::dollars;

    #[test]
    fn dollars_keep_every_decimal_a_budget_has() {
        assert_eq!(dollars(20_000_000), "20.00");
        assert_eq!(dollars(12_500_000), "12.50");
        assert_eq!(dollars(1_000), "0.001");
        assert_eq!(dollars(1_234_567), "1.234567");
        assert_eq!(dollars(0), "0.00");
    }
}
