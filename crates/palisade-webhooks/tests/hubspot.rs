//! HubSpot's published signature vectors. Client secret `yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy`, URI
//! `https://www.example.com/webhook_uri` throughout. Sources: developers.hubspot.com/docs/faq/
//! v1-request-validation and v2-request-validation; HubSpot/hubspot-api-python
//! `tests/spec/utils/test_signature.py`; HubSpot/hubspot-api-nodejs `test/unit/signature.spec.ts`;
//! HubSpot/hubspot-api-ruby `spec/helpers/signature_spec.rb`.
#![allow(clippy::unwrap_used, reason = "test")]
use palisade_webhooks::hubspot::{sign_v3, verify_v1, verify_v2, verify_v3, WINDOW_MS};
use palisade_webhooks::Rejection;

const SECRET: &[u8] = b"yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const URI: &str = "https://www.example.com/webhook_uri";
const SINGLE_QUOTED: &[u8] = b"{'example_field':'example_value'}";

#[test]
fn published_v1_and_v2_vectors_verify() {
    let docs_body = br#"[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]"#;
    let v1_docs = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
    assert_eq!(verify_v1(SECRET, docs_body, v1_docs), Ok(()));
    let v1_sdk = "69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750";
    assert_eq!(verify_v1(SECRET, SINGLE_QUOTED, v1_sdk), Ok(()));
    let v2_get = "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e";
    assert_eq!(verify_v2(SECRET, "GET", URI, b"", v2_get), Ok(()));
    let v2_post = "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900";
    assert_eq!(
        verify_v2(
            SECRET,
            "POST",
            URI,
            br#"{"example_field":"example_value"}"#,
            v2_post
        ),
        Ok(())
    );
    let v2_sdk = "4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383";
    assert_eq!(verify_v2(SECRET, "POST", URI, SINGLE_QUOTED, v2_sdk), Ok(()));

    // Tampering: another body, method, URI or secret.
    assert_eq!(verify_v1(SECRET, b"[]", v1_docs), Err(Rejection::Mismatch));
    assert_eq!(
        verify_v2(SECRET, "POST", URI, b"", v2_get),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        verify_v2(SECRET, "GET", "https://www.example.com/other", b"", v2_get),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        verify_v2(b"other", "GET", URI, b"", v2_get),
        Err(Rejection::Mismatch)
    );
    assert_eq!(verify_v1(SECRET, docs_body, "not hex"), Err(Rejection::Malformed));
    assert_eq!(verify_v1(SECRET, docs_body, ""), Err(Rejection::Missing));
}

#[test]
fn published_v3_vectors_verify_at_their_time() {
    // python test_get_signature__v3 and ruby v3_hash (timestamps in ms; checked "now" = then).
    for (timestamp, signature) in [
        ("1693657560000", "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y="),
        ("1700000300000", "RnbPH7+UMKVkbV32P8bz450N4M56aPmcru1+D3kSDtw="),
    ] {
        let now: i64 = timestamp.parse().unwrap();
        assert_eq!(
            verify_v3(SECRET, "POST", URI, SINGLE_QUOTED, timestamp, signature, now),
            Ok(())
        );
        assert_eq!(sign_v3(SECRET, "POST", URI, SINGLE_QUOTED, timestamp), signature);
        // Five minutes either way is the limit.
        for (at, expected) in [
            (now + WINDOW_MS, Ok(())),
            (now - WINDOW_MS, Ok(())),
            (now + WINDOW_MS + 1, Err(Rejection::Stale)),
            (now - WINDOW_MS - 1, Err(Rejection::Stale)),
        ] {
            assert_eq!(
                verify_v3(SECRET, "POST", URI, SINGLE_QUOTED, timestamp, signature, at),
                expected
            );
        }
        // Tampered method, URI, body, timestamp or signature.
        let bad = [
            verify_v3(SECRET, "PUT", URI, SINGLE_QUOTED, timestamp, signature, now),
            verify_v3(
                SECRET,
                "POST",
                "https://www.example.com/webhook_urj",
                SINGLE_QUOTED,
                timestamp,
                signature,
                now,
            ),
            verify_v3(SECRET, "POST", URI, b"{}", timestamp, signature, now),
            verify_v3(
                SECRET,
                "POST",
                URI,
                SINGLE_QUOTED,
                &(now + 1).to_string(),
                signature,
                now,
            ),
            verify_v3(
                SECRET,
                "POST",
                URI,
                SINGLE_QUOTED,
                timestamp,
                &signature.replace('K', "L"),
                now,
            ),
        ];
        for result in bad {
            assert_eq!(result, Err(Rejection::Mismatch));
        }
    }
    assert_eq!(
        verify_v3(SECRET, "POST", URI, b"", "-1", "AAAA", 0),
        Err(Rejection::Malformed)
    );
    assert_eq!(
        verify_v3(SECRET, "POST", URI, b"", "", "AAAA", 0),
        Err(Rejection::Missing)
    );
}

#[test]
fn v3_decodes_the_listed_escapes_of_the_uri() {
    // Computed per HubSpot's documented rule (no published vector covers escapes): HubSpot signs
    // `?a=b:c` when the request arrives as `?a=b%3Ac`.
    let body = br#"{"example_field":"example_value"}"#;
    let ts = "1693657560000";
    let now = 1_693_657_560_000;
    let decoded = "7+LIPlIX1nNPc+oikKbm9lUdfWwIkd/PgMlV0wCvCgc=";
    for uri in [
        "https://www.example.com/webhook_uri?a=b:c",
        "https://www.example.com/webhook_uri?a=b%3Ac",
        "https://www.example.com/webhook_uri?a=b%3ac",
    ] {
        assert_eq!(
            verify_v3(SECRET, "POST", uri, body, ts, decoded, now),
            Ok(()),
            "{uri}"
        );
    }
    // An escape not in the table stays encoded.
    assert_eq!(
        verify_v3(
            SECRET,
            "POST",
            "https://www.example.com/webhook_uri?a=b%3Dc",
            body,
            ts,
            decoded,
            now
        ),
        Err(Rejection::Mismatch)
    );
}
