//! Operating the server: readiness, headers, the OpenAPI contract, key checks at start.
mod key_checks;
mod misc;
mod openapi_doc;
mod security_txt;
mod undocumented;
