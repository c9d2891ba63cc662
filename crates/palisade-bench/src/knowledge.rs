//! Scenario 15: searching the knowledge base — what every auto-reply does before it may ask the
//! model — through the API as a rep, against pgbench running the identical statement in the same
//! user context. The tenant gets 400 passages (200 FAQ entries and 200 document sections) written
//! from a small vocabulary, so questions match many of them, as in a real help centre.
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use palisade_auth::TokenKeys;
use palisade_core::ai::knowledge::retrieval::{search_text, SEARCH_SQL};
use palisade_db::{TenantId, UserId, SET_CONTEXT};

use crate::load::MakeRequest;
use crate::outcome::{Scenario, Side};
use crate::pgbench::{bind, transaction, Pgbench};
use crate::scenarios::{context_vars, identical, CONTEXT_VARS};
use crate::seed::World;
use crate::server::Server;

pub const NAME: &str = "15. GET /api/v1/knowledge/search (rep, 400 passages) vs pgbench identical";

/// The questions requests rotate over (and pgbench's scripts, one each).
const QUESTIONS: [&str; 4] = [
    "When are you open on Saturday?",
    "How much does delivery cost for a new bike?",
    "Can I return an electric bike after a week?",
    "Do you repair brakes and gears the same day?",
];

/// Writes the knowledge base (once: a second run finds it there).
async fn seed(admin: &tokio_postgres::Client, world: &World) -> anyhow::Result<()> {
    admin
        .execute(
            "with words (w) as (select unnest(array['opening hours', 'Saturday', 'delivery', 'price', 'return', \
               'electric bike', 'repair', 'brakes', 'gears', 'warranty', 'rental', 'helmet', 'payment', 'invoice', \
               'appointment', 'cancel', 'trade-in', 'service', 'parking', 'spare parts'])), \
             numbered as (select w, row_number() over () as n from words), \
             entries as ( \
               insert into app.knowledge_entries (tenant_id, id, kind, title, body) \
               select $1, gen_random_uuid(), case when g % 2 = 0 then 'faq' else 'document' end, \
                      'About ' || a.w || ' and ' || b.w || ' (' || g || ')', \
                      'Our ' || a.w || ' policy: customers ask about ' || a.w || ' with ' || b.w || '. ' || \
                      repeat('We answer within a working day and keep the shop open for questions. ', 6) \
               from generate_series(1, 200) g \
               join numbered a on a.n = 1 + g % 20 join numbered b on b.n = 1 + (g * 7) % 20 \
               where not exists (select from app.knowledge_entries k where k.tenant_id = $1) \
               returning tenant_id, id, title, body) \
             insert into app.knowledge_passages (tenant_id, entry_id, ord, language, heading, text) \
             select tenant_id, id, o, 'english', title, case o when 0 then body else 'More on ' || title || '. ' || body end \
             from entries cross join generate_series(0, 1) o",
            &[&world.tenant],
        )
        .await?;
    Ok(())
}

pub async fn scenario(
    server: &Server,
    world: &World,
    keys: &TokenKeys,
    admin: &tokio_postgres::Client,
    pg: &Pgbench,
) -> anyhow::Result<Scenario> {
    seed(admin, world).await?;
    let token = keys.mint(
        UserId::from_uuid(world.rep),
        Some(TenantId::from_uuid(world.tenant)),
        Duration::from_secs(6 * 3600),
    )?;
    let base = server.base.clone();
    let check = reqwest::Client::new()
        .get(format!("{base}/api/v1/knowledge/search"))
        .query(&[("q", QUESTIONS[0])])
        .bearer_auth(&token)
        .send()
        .await?;
    let found: serde_json::Value = check.json().await?;
    if found.as_array().is_none_or(Vec::is_empty) {
        bail!("the knowledge search found nothing for the bench's question: {found}");
    }
    let api: MakeRequest = Arc::new(move |client, n| {
        let q = QUESTIONS[(n as usize) % QUESTIONS.len()];
        client
            .get(format!("{base}/api/v1/knowledge/search"))
            .query(&[("q", q)])
            .bearer_auth(&token)
    });
    let ctx = bind(&SET_CONTEXT.replace("$5", "''"), &CONTEXT_VARS);
    let enter = crate::pgbench::enter_without_session();
    let mut scripts = Vec::new();
    let mut vars = context_vars(world.rep, world.tenant);
    vars.push(("lim".into(), "10".into()));
    for (i, q) in QUESTIONS.iter().enumerate() {
        let name = format!("q{i}");
        let statement = bind(SEARCH_SQL, &["tid", &name, "lim"]);
        scripts.push(pg.write_script(
            &format!("knowledge_search_{i}"),
            &transaction(&[ctx.clone(), enter.clone(), statement]),
        )?);
        vars.push((name, search_text(q)));
    }
    Ok(Scenario::new(
        NAME,
        Side::Http {
            label: "API",
            make: api,
        },
        Some(identical(scripts, vars)),
        Some(0.9),
    ))
}
