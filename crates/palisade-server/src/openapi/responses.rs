//! The answers every operation can give whatever its handler does, added to the document from the
//! operation's own shape: the extractors it uses decide them (a bearer-secured operation can answer
//! 401 and 403, a path parameter 400 and 404, a JSON body 400, 413, 415 and 422, a query 400), the
//! rate limiter adds 429 everywhere but the health probes, and the database 503. A status the
//! handler documents itself keeps its handler's description.
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::ObjectBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder, Responses, Schema, Type};

/// Statuses that need no database, so cannot be a 503.
const NO_DATABASE: [&str; 4] = [
    "/healthz",
    "/api/v1/openapi.json",
    "/metrics",
    "/.well-known/security.txt",
];
/// The health probes, which the rate limiter lets through.
const NOT_LIMITED: [&str; 2] = ["/healthz", "/readyz"];

/// (status, component name, description) of the shared error responses.
const SHARED: [(&str, &str, &str); 9] = [
    (
        "400",
        "BadRequest",
        "The request is malformed: JSON that does not parse (`malformed_json`), a \
        body that cannot be read, a path parameter that is not a valid id (`invalid_path`), a query \
        string that does not fit the parameters (`invalid_query`), or an `X-Palisade-Tenant` that is \
        not a tenant id (`invalid_tenant_header`).",
    ),
    (
        "401",
        "Unauthenticated",
        "No valid credential: sign in and send `Authorization: Bearer <token>` \
        (`unauthenticated`, `session_ended`, `mfa_pending`).",
    ),
    (
        "403",
        "Forbidden",
        "The credential is valid but may not do this: not an active member of the \
        tenant (`not_a_member`), a token scoped to another tenant (`tenant_mismatch`), a role that \
        may not (`forbidden`), a second factor the tenant \
        requires (`mfa_required`), or a token without a session where one is needed (`no_session`).",
    ),
    (
        "404",
        "NotFound",
        "No such resource, or one you may not see (another tenant's object is always \
        404).",
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than the configured limit (`payload_too_large`).",
    ),
    (
        "415",
        "UnsupportedMediaType",
        "The body is not `application/json` \
        (`unsupported_media_type`).",
    ),
    (
        "422",
        "Unprocessable",
        "Well-formed JSON that does not fit the schema or the rules of the \
        operation; `code` says which (`invalid_body`, `invalid_field`, ...).",
    ),
    (
        "429",
        "TooManyRequests",
        "Too many requests from this address, or of this kind; retry after \
        `Retry-After` seconds.",
    ),
    (
        "503",
        "Unavailable",
        "The database is unavailable or every connection is busy; retry after \
        `Retry-After` seconds when it is given.",
    ),
];

/// Adds the shared responses to the components and to every operation that can give them.
pub(super) fn complete(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    for (status, name, description) in SHARED {
        components
            .responses
            .insert(name.to_owned(), RefOr::T(error_response(status, description)));
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let tenant_scoped = !path.starts_with("/internal/");
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            if secured && tenant_scoped {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(tenant_header());
            }
            for status in statuses(path, operation) {
                let name = SHARED.iter().find(|(s, ..)| *s == status).map(|(_, n, _)| *n);
                if let Some(name) = name {
                    add(&mut operation.responses, status, name);
                }
            }
        }
    }
}

/// The shared statuses an operation can answer, from what it takes.
fn statuses(path: &str, operation: &Operation) -> Vec<&'static str> {
    let mut out = Vec::new();
    let params = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    if secured && path.starts_with("/internal/") {
        // The cron secret: present and right, or 401.
        out.push("401");
    } else if secured {
        // A malformed `X-Palisade-Tenant` is 400; a tenant the credential may not act in 403.
        out.extend(["400", "401", "403"]);
    }
    if has(ParameterIn::Path) {
        out.extend(["400", "404"]);
    }
    if has(ParameterIn::Query) {
        // A query that does not parse is 400; one that parses but breaks a rule (a page size
        // out of range) is 422.
        out.extend(["400", "422"]);
    }
    let json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.keys().any(|mime| mime == "application/json"));
    if json_body {
        out.extend(["400", "413", "415", "422"]);
    }
    if !NOT_LIMITED.contains(&path) {
        out.push("429");
    }
    if !NO_DATABASE.contains(&path) {
        out.push("503");
    }
    out
}

/// `X-Palisade-Tenant`: which tenant a session or token without one acts in.
fn tenant_header() -> utoipa::openapi::path::Parameter {
    utoipa::openapi::path::ParameterBuilder::new()
        .name("X-Palisade-Tenant")
        .parameter_in(ParameterIn::Header)
        .required(utoipa::openapi::Required::False)
        .description(Some(
            "The tenant to act in, for a session or token not scoped to one; a token scoped to \
             another tenant is 403 `tenant_mismatch`.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).format(Some(
            utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Uuid),
        ))))
        .build()
}

fn add(responses: &mut Responses, status: &str, component: &str) {
    if !responses.responses.contains_key(status) {
        responses
            .responses
            .insert(status.to_owned(), RefOr::Ref(Ref::from_response_name(component)));
    }
}

fn error_response(status: &str, description: &str) -> utoipa::openapi::Response {
    let body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/json", body);
    let seconds = || {
        RefOr::<Schema>::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .build(),
        ))
    };
    match status {
        "401" => {
            let header = HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String).build())
                .description(Some("`Bearer`"))
                .build();
            response = response.header("WWW-Authenticate", header);
        }
        "429" | "503" => {
            let header = HeaderBuilder::new()
                .schema(seconds())
                .description(Some("Seconds to wait before retrying"))
                .build();
            response = response.header("Retry-After", header);
        }
        _ => {}
    }
    response.build()
}
