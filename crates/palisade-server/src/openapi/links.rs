//! OpenAPI links: what a client can do next with what an operation answered. A record created by a
//! POST is read, changed and deleted at its own path with the `id` of the answer, so a client (and
//! the contract run's stateful phase) can follow create → get → change → delete.
use serde_json::{json, Map, Value};

/// (the creating POST's path, the record's path). The record's operations present in the
/// document are linked; a path that is gone fails the test below.
const RECORDS: [(&str, &str); 10] = [
    ("/api/v1/leads", "/api/v1/leads/{id}"),
    ("/api/v1/deals", "/api/v1/deals/{id}"),
    ("/api/v1/interactions", "/api/v1/interactions/{id}"),
    ("/api/v1/templates", "/api/v1/templates/{id}"),
    ("/api/v1/knowledge", "/api/v1/knowledge/{id}"),
    ("/api/v1/messages", "/api/v1/messages/{id}"),
    ("/api/v1/me/drafts", "/api/v1/me/drafts/{id}"),
    ("/api/v1/me/coaching", "/api/v1/me/coaching/{id}"),
    ("/api/v1/me/voice-samples", "/api/v1/me/voice-samples/{id}"),
    ("/api/v1/invitations", "/api/v1/invitations/{id}"),
];

/// Leads own other records: from a created lead to the collections that take its id.
const BY_LEAD: [(&str, &str, &str); 2] = [
    ("/api/v1/leads/{id}/consents", "get", "id"),
    ("/api/v1/leads/{id}/consents", "post", "id"),
];

fn operation_ref(path: &str, method: &str) -> String {
    let escaped = path.replace('/', "~1").replace('{', "%7B").replace('}', "%7D");
    format!("#/paths/{escaped}/{method}")
}

pub(super) fn add(doc: &mut Value) {
    for (collection, record) in RECORDS {
        let methods: Vec<String> = doc
            .pointer(&format!("/paths/{}", pointer(record)))
            .and_then(Value::as_object)
            .map(|item| item.keys().filter(|m| is_method(m)).cloned().collect())
            .unwrap_or_default();
        let mut links = Map::new();
        for method in methods {
            links.insert(
                format!("{method}_{}", name(record)),
                json!({ "operationRef": operation_ref(record, &method),
                        "parameters": { "id": "$response.body#/id" } }),
            );
        }
        if collection == "/api/v1/leads" {
            for (path, method, param) in BY_LEAD {
                links.insert(
                    format!("{method}_{}", name(path)),
                    json!({ "operationRef": operation_ref(path, method),
                            "parameters": { param: "$response.body#/id" } }),
                );
            }
        }
        if let Some(created) = doc
            .pointer_mut(&format!("/paths/{}/post/responses/201", pointer(collection)))
            .and_then(Value::as_object_mut)
        {
            created.insert("links".into(), Value::Object(links));
        }
    }
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "put" | "patch" | "delete" | "post")
}

fn pointer(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}

/// `/api/v1/me/voice-samples/{id}` → `voice_samples_id`.
fn name(path: &str) -> String {
    path.trim_start_matches("/api/v1/")
        .replace("me/", "")
        .replace(['/', '-'], "_")
        .replace(['{', '}'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_creating_post_links_to_its_record() {
        // The lead's own links come first: a lead's consents take its id.
        let doc = crate::openapi::rendered_for_tests();
        for (collection, record) in RECORDS {
            let links = doc
                .pointer(&format!(
                    "/paths/{}/post/responses/201/links",
                    pointer(collection)
                ))
                .and_then(Value::as_object)
                .unwrap_or_else(|| panic!("POST {collection} answers 201 with links"));
            assert!(
                links.keys().any(|k| k.ends_with(&name(record))),
                "{collection} links to {record}"
            );
        }
    }
}
