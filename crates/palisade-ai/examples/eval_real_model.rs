//! The evaluation set against a real model (it reaches the network, so it is an example, never a
//! test): it prints the measures the CI test asserts against the fake model, for comparison. A real
//! model is not deterministic, so nothing is asserted.
//!
//! ```text
//! PALISADE_EVAL_BASE_URL=https://api.openai.com/v1 PALISADE_EVAL_API_KEY=sk-… PALISADE_EVAL_MODEL=gpt-4o-mini \
//!   cargo run -p palisade-ai --example eval_real_model
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/eval_common/mod.rs"]
mod eval_common;

use std::sync::Arc;

use palisade_ai::{AiConfig, AiMetrics, Assistant};
use palisade_crypto::{KeyId, Keyring};
use palisade_testkit::test_db;

#[tokio::main]
async fn main() {
    let (Ok(base_url), Ok(key), Ok(model)) = (
        std::env::var("PALISADE_EVAL_BASE_URL"),
        std::env::var("PALISADE_EVAL_API_KEY"),
        std::env::var("PALISADE_EVAL_MODEL"),
    ) else {
        eprintln!("set PALISADE_EVAL_BASE_URL, PALISADE_EVAL_API_KEY and PALISADE_EVAL_MODEL");
        std::process::exit(2);
    };
    let db = test_db().await;
    let keyring = Keyring::parse(&Keyring::generate_text(&KeyId::parse("eval1").unwrap())).unwrap();
    eval_common::tenant_with_knowledge(&db, &keyring, &model, &key).await;
    let config = AiConfig {
        base_url,
        ..AiConfig::default()
    };
    let assistant = Assistant::new(config, Arc::new(keyring), AiMetrics::default()).unwrap();
    let t = eval_common::evaluate(&db, &assistant, None).await;
    println!("{}", eval_common::report(&t));
}
