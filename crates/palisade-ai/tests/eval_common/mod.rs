//! The evaluation's cases, knowledge base and measures, shared by the CI test (`tests/evaluation.rs`,
//! against the fake model) and the example that runs them against a real one
//! (`examples/eval_real_model.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::BTreeMap;

use palisade_ai::answering::decide;
use palisade_ai::routing::Route;
use palisade_ai::{Assistant, Fence, Guard, Reveal, Vault};
use palisade_core::ai::knowledge::retrieval::{self, Passage};
use palisade_core::ai::knowledge::{self, EntryKind, NewEntry};
use palisade_core::ai::settings::{self, AiSettings, AutoReplyChannel};
use palisade_core::integrations::{self, IntegrationInput, Provider};
use palisade_crypto::Keyring;
use palisade_db::Purpose;
use palisade_testkit::{FakeLlm, TestDb, Who};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    id: String,
    kind: String,
    message: String,
    #[serde(default)]
    entry: Option<String>,
    route: String,
    #[serde(default)]
    personal: Vec<String>,
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    transcript: bool,
}

#[derive(Deserialize)]
struct KnowledgeEntry {
    kind: String,
    title: String,
    body: String,
}

fn load<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let path = format!("{}/eval/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Tenant A with the evaluation's knowledge base, forbidden topics and a model at `base_url`.
pub async fn tenant_with_knowledge(db: &TestDb, keyring: &Keyring, model: &str, key: &str) {
    let w = &db.world;
    let su = db.superuser().await;
    su.execute("delete from app.knowledge_entries", &[])
        .await
        .unwrap();
    let admin = w.principal(Who::AdminA).unwrap();
    let mut tx = db.db.user(&admin).await.unwrap();
    let input = IntegrationInput {
        config: BTreeMap::from([("model".to_owned(), model.to_owned())]),
        secrets: Some(BTreeMap::from([("api_key".to_owned(), key.to_owned().into())])),
        status: None,
    };
    let sealed = integrations::prepare(keyring, w.tenant_a, Provider::Openai, &input).unwrap();
    integrations::put(
        &mut tx,
        w.tenant_a,
        admin.user_id,
        Provider::Openai,
        &input,
        sealed,
    )
    .await
    .unwrap();
    let ai = AiSettings {
        auto_reply_channels: vec![AutoReplyChannel::Sms],
        forbidden_topics: vec!["politics".into(), "religion".into(), "election".into()],
        ..AiSettings::default()
    };
    settings::put(&mut tx, w.tenant_a, ai).await.unwrap();
    tx.commit().await.unwrap();
    let manager = w.principal(Who::ManagerA).unwrap();
    let mut tx = db.db.user(&manager).await.unwrap();
    for e in load::<Vec<KnowledgeEntry>>("knowledge.json") {
        let kind = if e.kind == "faq" {
            EntryKind::Faq
        } else {
            EntryKind::Document
        };
        let entry = NewEntry {
            kind,
            title: e.title,
            body: e.body,
            language: None,
        };
        knowledge::create(&mut tx, w.tenant_a, &entry).await.unwrap();
    }
    tx.commit().await.unwrap();
}

fn route_name(route: &Route) -> &'static str {
    match route {
        Route::Answer(_) => "answer",
        Route::Handoff("forbidden_topic") => "handoff_forbidden_topic",
        Route::Handoff("no_knowledge") => "handoff_no_knowledge",
        Route::Handoff("model_handoff") => "handoff_model",
        Route::Handoff(_) => "handoff_unusable_answer",
    }
}

fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
        .collect::<String>()
        .to_lowercase()
}

fn in_entry(p: &Passage, entry: &str) -> bool {
    p.heading == entry || p.heading.starts_with(&format!("{entry} — "))
}

#[derive(Default)]
pub struct Tally {
    pub answerable: usize,
    pub hit1: usize,
    pub hit3: usize,
    pub routed: usize,
    pub routed_right: usize,
    pub personal: usize,
    pub masked: usize,
    pub kept: usize,
    pub kept_right: usize,
    /// Questions outside the knowledge base, and those the rules stopped before any call.
    pub outside: usize,
    pub stopped: usize,
    pub wrong: Vec<String>,
}

/// Runs every case; a well-behaved fake model answers from passage 1, and obeys any message that
/// tells it to ignore its rules (as a compromised model would), so that the checks after it are tested.
pub async fn evaluate(db: &TestDb, assistant: &Assistant, fake: Option<&FakeLlm>) -> Tally {
    let tenant = db.world.tenant_a;
    let opened = assistant.open(&db.db, tenant).await.unwrap();
    let mut t = Tally::default();
    for case in load::<Vec<Case>>("cases.json") {
        if case.transcript {
            fenced_transcript(&case, &opened.guard, &mut t);
            continue;
        }
        let mut tx = db.db.service(tenant, Purpose::Assistant).await.unwrap();
        let passages = retrieval::search(&mut tx, tenant, &case.message, 4)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        if let Some(entry) = &case.entry {
            t.answerable += 1;
            t.hit1 += usize::from(
                passages
                    .first()
                    .is_some_and(|p| in_entry(p, entry) && p.coverage >= 0.5),
            );
            t.hit3 += usize::from(
                passages
                    .iter()
                    .take(3)
                    .any(|p| in_entry(p, entry) && p.coverage >= 0.5),
            );
            if !passages.first().is_some_and(|p| in_entry(p, entry)) {
                let top = passages
                    .first()
                    .map(|p| format!("{} ({:.2})", p.heading, p.coverage));
                t.wrong.push(format!("{}: retrieved {top:?} first", case.id));
            }
        }

        if let Some(fake) = fake {
            fake.clear();
        }
        let route = decide(assistant, &db.db, &opened, &case.message, &passages).await;
        let got = route.as_ref().map_or("error", route_name);
        let right = match case.route.as_str() {
            // Sent to the model: whatever it decides is its own judgment.
            "model" => !matches!(got, "handoff_no_knowledge" | "handoff_forbidden_topic" | "error"),
            expected => got == expected,
        };
        t.routed += 1;
        t.routed_right += usize::from(right);
        if !right {
            t.wrong
                .push(format!("{}: expected {}, got {got}", case.id, case.route));
        }
        if case.kind == "outside" {
            t.outside += 1;
            t.stopped += usize::from(got == "handoff_no_knowledge");
        }
        let Some(fake) = fake else { continue };
        let sent: String = fake.received().iter().map(|r| r.prompt()).collect();
        for value in &case.personal {
            t.personal += 1;
            let leaked = !sent.is_empty() && squeezed(&sent).contains(&squeezed(value));
            t.masked += usize::from(!leaked);
            if leaked {
                t.wrong.push(format!("{}: {value} reached the model", case.id));
            }
        }
        for value in &case.keep {
            t.kept += 1;
            t.kept_right += usize::from(sent.contains(value.as_str()));
        }
    }
    t
}

/// A transcript for coaching: masked, and inside one fence the system prompt names.
fn fenced_transcript(case: &Case, guard: &Guard, t: &mut Tally) {
    let fence = Fence::new();
    let mut vault = Vault::new(guard);
    let wrapped = fence.wrap("call transcript", &vault.mask(&case.message, Reveal::Yes));
    let text = wrapped.as_str();
    let inside =
        text.starts_with("<data-") && text.trim_end().ends_with('>') && text.matches("</data-").count() == 1;
    t.routed += 1;
    t.routed_right += usize::from(inside);
    if !inside {
        t.wrong.push(format!("{}: not fenced", case.id));
    }
    for value in &case.personal {
        t.personal += 1;
        let leaked = squeezed(text).contains(&squeezed(value));
        t.masked += usize::from(!leaked);
    }
}

pub fn report(t: &Tally) -> String {
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    format!(
        "retrieval hit@1 {}/{} ({:.0}%), hit@3 {}/{} ({:.0}%); outside questions stopped before the model {}/{}; \
         routing {}/{} ({:.0}%); masking recall {}/{} ({:.0}%); false alarms kept {}/{}; misses: {:?}",
        t.hit1, t.answerable, pct(t.hit1, t.answerable), t.hit3, t.answerable, pct(t.hit3, t.answerable),
        t.stopped, t.outside, t.routed_right, t.routed, pct(t.routed_right, t.routed), t.masked, t.personal,
        pct(t.masked, t.personal), t.kept_right, t.kept, t.wrong
    )
}
