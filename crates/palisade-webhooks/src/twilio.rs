//! Twilio request validation (`X-Twilio-Signature`): base64 HMAC-SHA1, keyed by the account's auth
//! token, over the URL Twilio called followed by the POST parameters. The rules are those of
//! Twilio's own SDKs (twilio-python `request_validator.py`, twilio-node `webhooks.ts`):
//!
//! * form requests: the URL, then for each parameter name in byte order, `name + value` for each of
//!   its distinct values in byte order (no separators, decoded values);
//! * JSON requests: the URL carries `bodySHA256` (lowercase hex SHA-256 of the body); the signature
//!   covers the URL only, and the body must hash to that value;
//! * the URL is used byte for byte (case, escapes and user info kept), tried with any port removed
//!   and, when it names none, with the scheme's default port added: Twilio signs whichever form its
//!   configuration holds.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::{hmac_matches, Rejection};

const ALGORITHM: ring::hmac::Algorithm = ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY;

/// Verifies a form-encoded request (`application/x-www-form-urlencoded`); `params` are the decoded
/// body parameters, in any order, repeats allowed.
pub fn verify_form(
    auth_token: &[u8],
    url: &str,
    params: &[(String, String)],
    signature: &str,
) -> Result<(), Rejection> {
    let tag = decode_signature(signature)?;
    let params = signed_params(params);
    let mut result = Err(Rejection::Mismatch);
    for candidate in url_candidates(url) {
        let mut message = vec![candidate.as_bytes()];
        message.extend(params.iter().flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()]));
        // Every candidate is checked, so timing does not tell which URL form matched.
        if hmac_matches(ALGORITHM, auth_token, &message, [tag.as_slice()]).is_ok() {
            result = Ok(());
        }
    }
    result
}

/// Verifies a request with a JSON body: `url` must carry `bodySHA256`.
pub fn verify_json(auth_token: &[u8], url: &str, body: &[u8], signature: &str) -> Result<(), Rejection> {
    let tag = decode_signature(signature)?;
    let expected = query_value(url, "bodySHA256").ok_or(Rejection::Missing)?;
    let mut result = Err(Rejection::Mismatch);
    for candidate in url_candidates(url) {
        if hmac_matches(ALGORITHM, auth_token, &[candidate.as_bytes()], [tag.as_slice()]).is_ok() {
            result = Ok(());
        }
    }
    result?;
    // The body hash is not secret; a plain comparison is fine.
    let actual = hex::encode(ring::digest::digest(&ring::digest::SHA256, body));
    if expected.eq_ignore_ascii_case(&actual) {
        Ok(())
    } else {
        Err(Rejection::Mismatch)
    }
}

/// The signature a request should carry (for the testkit's fake Twilio and for tests).
pub fn sign_form(auth_token: &[u8], url: &str, params: &[(String, String)]) -> String {
    let key = ring::hmac::Key::new(ALGORITHM, auth_token);
    let mut context = ring::hmac::Context::with_key(&key);
    context.update(url.as_bytes());
    for (k, v) in signed_params(params) {
        context.update(k.as_bytes());
        context.update(v.as_bytes());
    }
    STANDARD.encode(context.sign().as_ref())
}

fn decode_signature(signature: &str) -> Result<Vec<u8>, Rejection> {
    if signature.is_empty() {
        return Err(Rejection::Missing);
    }
    let tag = STANDARD
        .decode(signature.trim())
        .map_err(|_| Rejection::Malformed)?;
    if tag.len() != 20 {
        return Err(Rejection::Malformed);
    }
    Ok(tag)
}

/// Parameters in signing order: names in byte order, each name's distinct values in byte order.
fn signed_params(params: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

/// The raw value of the first `name=` in the URL's query (no decoding: the value is hex).
fn query_value<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The URL with any port removed, and the URL with the scheme's default port when it names none
/// (or as given when it does), by editing the text: a URL parser would normalise what Twilio signed.
fn url_candidates(url: &str) -> Vec<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return vec![url.to_owned()];
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (userinfo, host_port) = match authority.rfind('@') {
        Some(at) => authority.split_at(at + 1),
        None => ("", authority),
    };
    // An IPv6 literal's colons are inside brackets; a port follows the closing one.
    let host_from = host_port.rfind(']').map_or(0, |i| i + 1);
    let (host, port) = match host_port[host_from..].rfind(':') {
        Some(colon) => (
            &host_port[..host_from + colon],
            Some(&host_port[host_from + colon..]),
        ),
        None => (host_port, None),
    };
    let without_port = format!("{scheme}://{userinfo}{host}{tail}");
    let with_port = match port {
        Some(_) => url.to_owned(),
        None => {
            let default = if scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            };
            format!("{scheme}://{userinfo}{host}:{default}{tail}")
        }
    };
    if with_port == without_port {
        vec![without_port]
    } else {
        vec![without_port, with_port]
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn url_candidates_edit_only_the_port() {
        assert_eq!(
            url_candidates("https://example.com/a?b=1"),
            ["https://example.com/a?b=1", "https://example.com:443/a?b=1"]
        );
        assert_eq!(
            url_candidates("http://u:p@Example.com:8080//a"),
            ["http://u:p@Example.com//a", "http://u:p@Example.com:8080//a"]
        );
        assert_eq!(
            url_candidates("https://[::1]:8443/x"),
            ["https://[::1]/x", "https://[::1]:8443/x"]
        );
        assert_eq!(
            url_candidates("HTTP://example.com"),
            ["HTTP://example.com", "HTTP://example.com:80"]
        );
        assert_eq!(url_candidates("not a url"), ["not a url"]);
    }
}
