//! No route without an operation: every route the server registers outside the web app's pages,
//! and every `/api/`, `/webhooks/` or `/internal/` route wherever it is registered, is a path of the
//! OpenAPI document. Routes registered through `OpenApiRouter::routes` are documented by
//! construction; this catches a plain `.route(…)` that would bypass it.
use std::path::{Path, PathBuf};

use palisade_testkit::spawn_app;
use reqwest::StatusCode;
use serde_json::Value;

use crate::client::Client;

const API_PREFIXES: [&str; 3] = ["/api/", "/webhooks/", "/internal/"];

#[tokio::test]
async fn every_route_has_an_operation() {
    let app = spawn_app().await;
    let doc: Value = Client::anonymous(&app)
        .get("/api/v1/openapi.json", StatusCode::OK)
        .await;
    let documented = doc["paths"].as_object().expect("paths");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut missing = Vec::new();
    let mut seen = 0;
    for (file, path) in routes_in(&src) {
        seen += 1;
        let page = file.starts_with(src.join("web"));
        let must = !page || API_PREFIXES.iter().any(|p| path.starts_with(p));
        if must && !documented.contains_key(&path) {
            missing.push(format!("{path} ({})", file.display()));
        }
    }
    assert!(seen > 50, "the scan found the routes ({seen})");
    assert!(
        missing.is_empty(),
        "routes without an OpenAPI operation: {missing:#?}"
    );
}

/// `(file, path)` of every `.route("…"` / `.route_service("…"` call.
fn routes_in(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(routes_in(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read source");
            let compact: String = text.split_whitespace().collect();
            for call in [".route(\"", ".route_service(\"", ".nest(\"", ".nest_service(\""] {
                for piece in compact.split(call).skip(1) {
                    if let Some(route) = piece.split('"').next() {
                        out.push((path.clone(), route.to_owned()));
                    }
                }
            }
        }
    }
    out
}
