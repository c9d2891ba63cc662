//! The manager dashboard: open pipeline, deals by stage and each member's activity, with bars drawn
//! as SVG on the server (no script). Managers and admins only; computed in their own user context
//! from the rollups, so nothing from rep-private records can appear (see palisade_core::dashboard).
use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use palisade_core::{dashboard, tenancy};
use palisade_db::{TenantId, TenantRole};
use uuid::Uuid;

use super::error::{path_id, PageError, PageResult};
use super::page::render_app;
use super::session::Visitor;
use super::shell::{self, Shell};
use crate::state::AppState;

/// One row of a bar chart: the bar's length is `share` percent of the longest.
struct Bar {
    label: String,
    detail: String,
    value: i64,
    share: u32,
}

#[derive(Template)]
#[template(path = "app/dashboard.html")]
struct DashboardPage {
    shell: Shell,
    pipeline: Vec<String>,
    stages: Vec<Bar>,
    activity: Vec<Bar>,
}

/// `12345678` cents in `USD` as "USD 123,456.78" (sums are decimal strings: they may exceed 64 bits).
pub(super) fn money(currency: &str, cents: &str) -> String {
    let (sign, digits) = cents.strip_prefix('-').map_or(("", cents), |d| ("-", d));
    let digits = format!("{digits:0>3}");
    let (whole, fraction) = digits.split_at(digits.len() - 2);
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{currency} {sign}{grouped}.{fraction}")
}

/// Bars scaled to the largest value (a chart of zeros draws none).
fn bars(rows: Vec<(String, String, i64)>) -> Vec<Bar> {
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1);
    rows.into_iter()
        .map(|(label, detail, value)| Bar {
            share: u32::try_from((value.max(0) * 100 / max).min(100)).unwrap_or(0),
            label,
            detail,
            value,
        })
        .collect()
}

/// Each member's name (their email when they gave none).
async fn member_names(
    tx: &mut palisade_db::Tx,
    tenant: TenantId,
) -> Result<HashMap<Uuid, String>, PageError> {
    Ok(tenancy::list_members(tx, tenant)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.user_id,
                if m.display_name.is_empty() {
                    m.email
                } else {
                    m.display_name
                },
            )
        })
        .collect())
}

async fn show(visitor: Visitor, Path(tenant): Path<String>) -> PageResult {
    let (mut tx, shell) = shell::enter(&visitor, path_id(&tenant)?, "dashboard").await?;
    let (tenant_id, role) = shell.workspace()?;
    if role < TenantRole::Manager {
        return Err(PageError::Forbidden(
            "The dashboard is for managers and admins.".into(),
        ));
    }
    let id = TenantId::from_uuid(tenant_id);
    let data = dashboard::load(&mut tx, id).await?;
    let names = member_names(&mut tx, id).await?;
    tx.commit().await?;
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_else(|| "A former member".into());
    let stages = data
        .deals_by_stage
        .iter()
        .map(|s| (s.stage.clone(), money(&s.currency, &s.amount_cents), s.count));
    let activity = data.activity.iter().map(|a| {
        (
            name(&a.user_id),
            format!("{} in the last 7 days", a.last_7_days),
            a.last_30_days,
        )
    });
    let page = DashboardPage {
        shell,
        pipeline: data
            .pipeline
            .iter()
            .map(|p| money(&p.currency, &p.amount_cents))
            .collect(),
        stages: bars(stages.collect()),
        activity: bars(activity.collect()),
    };
    Ok(render_app(StatusCode::OK, &page))
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/t/{tenant}/dashboard", get(show))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_and_keeps_its_cents() {
        assert_eq!(money("USD", "0"), "USD 0.00");
        assert_eq!(money("USD", "5"), "USD 0.05");
        assert_eq!(money("EUR", "123456789"), "EUR 1,234,567.89");
        assert_eq!(money("GBP", "-100000"), "GBP -1,000.00");
        assert_eq!(
            money("USD", "123456789012345678901234567890"),
            "USD 1,234,567,890,123,456,789,012,345,678.90"
        );
    }

    #[test]
    fn bars_are_scaled_to_the_largest() {
        let b = bars(vec![
            ("a".into(), String::new(), 10),
            ("b".into(), String::new(), 5),
            ("c".into(), String::new(), 0),
        ]);
        assert_eq!(b.iter().map(|b| b.share).collect::<Vec<_>>(), vec![100, 50, 0]);
        assert!(bars(vec![("z".into(), String::new(), 0)])
            .iter()
            .all(|b| b.share == 0));
    }
}
