//! `docs/openapi.json` is the API contract as the server serves it, so a change to what the API
//! accepts or answers shows up in review as a diff of that file. This test fetches the document from
//! a running server and fails when the committed file differs; `PALISADE_WRITE_OPENAPI=1` rewrites it.
use std::collections::BTreeMap;
use std::path::PathBuf;

use palisade_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

use crate::client::Client;

const REGENERATE: &str = "PALISADE_WRITE_OPENAPI=1 cargo test -p palisade-server --test api openapi_doc";

#[tokio::test]
async fn docs_openapi_json_is_what_the_server_serves() {
    let app = spawn_app().await;
    let served: Value = Client::anonymous(&app)
        .get("/api/v1/openapi.json", StatusCode::OK)
        .await;
    let rendered = serde_json::to_string_pretty(&sorted(served)).unwrap() + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var_os("PALISADE_WRITE_OPENAPI").is_some() {
        std::fs::write(&path, &rendered).expect("write docs/openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/openapi.json differs from the document the server serves: regenerate it with \
         `{REGENERATE}`, read the diff, and commit it"
    );
}

/// Keys in order, so the file does not change with the order routes are registered in.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let ordered: BTreeMap<String, Value> = map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(ordered.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
