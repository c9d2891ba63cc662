//! Stripe and Meta signatures.
//!
//! Stripe's SDKs publish no fixed webhook signature (their tests sign at run time), so the Stripe
//! vectors here were computed from the documented scheme with Python's `hmac` and checked with
//! stripe-python's own `WebhookSignature.verify_header`, using stripe-python's fixed test inputs
//! (`tests/test_webhook.py`: secret `whsec_test_secret`, `DUMMY_WEBHOOK_PAYLOAD`, `t=12345`).
//! Meta's vector is published in WhatsApp/WhatsApp-Nodejs-SDK `src/__tests__/utils.test.ts`
//! (app secret `TEST_APP_SECRET` from its `jest.config.ts`); its handshake example is Meta's
//! (developers.facebook.com/docs/graph-api/webhooks/getting-started).
#![allow(clippy::unwrap_used, reason = "test")]
use palisade_webhooks::{meta, stripe, Rejection};

const SECRET: &[u8] = b"whsec_test_secret";
const PAYLOAD: &[u8] = b"{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\",\n  \"data\": { \"object\": { \"id\": \"rdr_123\", \"object\": \"terminal.reader\" } }\n}";

#[test]
fn stripe_vectors_verify_within_the_tolerance() {
    let v1 = "07b1ede164afb7b5de91267ffa656f568c65d6e0783ce0ac55ee094643578eda";
    let header = format!("t=12345,v1={v1}");
    assert_eq!(stripe::verify(SECRET, PAYLOAD, &header, 12_345, 300), Ok(()));
    let t2 = "t=1492774577,v1=d21d91b425674689e03346536b8fec6384a8721d43ebe269a1689a3ad22cba9c";
    assert_eq!(stripe::verify(SECRET, PAYLOAD, t2, 1_492_774_577, 300), Ok(()));
    let t3 = "t=1700000000,v1=248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a";
    assert_eq!(
        stripe::verify(SECRET, br#"{"id":"evt_1"}"#, t3, 1_700_000_000, 300),
        Ok(())
    );
    assert_eq!(stripe::sign(SECRET, PAYLOAD, 12_345), header);

    // Any v1 may match; v0 and unknown schemes are ignored (stripe-python test_multiple_signatures).
    let several = format!("t=12345,v1=bad_signature,v1={v1},v0=6ffbb59b,scheme=x");
    assert_eq!(stripe::verify(SECRET, PAYLOAD, &several, 12_345, 300), Ok(()));
    // The tolerance, both ways.
    assert_eq!(stripe::verify(SECRET, PAYLOAD, &header, 12_645, 300), Ok(()));
    assert_eq!(
        stripe::verify(SECRET, PAYLOAD, &header, 12_646, 300),
        Err(Rejection::Stale)
    );
    assert_eq!(
        stripe::verify(SECRET, PAYLOAD, &header, 12_044, 300),
        Err(Rejection::Stale)
    );
}

#[test]
fn stripe_tampering_and_malformed_headers_fail() {
    let v1 = "07b1ede164afb7b5de91267ffa656f568c65d6e0783ce0ac55ee094643578eda";
    let header = format!("t=12345,v1={v1}");
    let check = |secret: &[u8], body: &[u8], header: &str| stripe::verify(secret, body, header, 12_345, 300);
    assert_eq!(check(SECRET, b"{}", &header), Err(Rejection::Mismatch));
    assert_eq!(check(b"whsec_other", PAYLOAD, &header), Err(Rejection::Mismatch));
    // The timestamp is signed: moving it breaks the signature.
    let moved = format!("t=12346,v1={v1}");
    assert_eq!(check(SECRET, PAYLOAD, &moved), Err(Rejection::Mismatch));
    // stripe-python's malformed headers
    for bad in [
        "bad_header",
        "i'm not even a real signature header",
        "t=",
        "t=12345",
        "t=12345,v0=aa",
        "t=x,v1=aa",
        "t=1,t=2,v1=aa",
    ] {
        assert_eq!(check(SECRET, PAYLOAD, bad), Err(Rejection::Malformed), "{bad}");
    }
    assert_eq!(
        check(SECRET, PAYLOAD, "t=12345,v1=bad_signature"),
        Err(Rejection::Malformed)
    );
    assert_eq!(check(SECRET, PAYLOAD, ""), Err(Rejection::Missing));
}

#[test]
fn meta_vector_verifies_over_the_raw_body() {
    let header = "sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221";
    assert_eq!(meta::verify(b"TEST_APP_SECRET", b"test", header), Ok(()));
    assert_eq!(meta::sign(b"TEST_APP_SECRET", b"test"), header);
    assert_eq!(
        meta::verify(b"TEST_APP_SECRET", b"test ", header),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        meta::verify(b"OTHER_SECRET", b"test", header),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        meta::verify(b"TEST_APP_SECRET", b"test", &header.replace("sha256=", "sha1=")),
        Err(Rejection::Malformed)
    );
    assert_eq!(
        meta::verify(b"TEST_APP_SECRET", b"test", "sha256=zz"),
        Err(Rejection::Malformed)
    );
    assert_eq!(
        meta::verify(b"TEST_APP_SECRET", b"test", ""),
        Err(Rejection::Missing)
    );
    // Meta signs the escaped form it sends; the same text re-encoded as raw UTF-8 does not verify.
    let escaped = br#"{"text":"\u00e4\u00f6\u00e5"}"#;
    let signed = meta::sign(b"TEST_APP_SECRET", escaped);
    assert_eq!(meta::verify(b"TEST_APP_SECRET", escaped, &signed), Ok(()));
    assert_eq!(
        meta::verify(b"TEST_APP_SECRET", "{\"text\":\"äöå\"}".as_bytes(), &signed),
        Err(Rejection::Mismatch)
    );
}

#[test]
fn meta_subscription_handshake() {
    let token = b"meatyhamhock";
    let ok = meta::subscription_challenge(Some("subscribe"), Some("meatyhamhock"), Some("1158201444"), token);
    assert_eq!(ok, Ok("1158201444"));
    for (mode, given, challenge, expected) in [
        (
            Some("subscribe"),
            Some("meatyhamhocks"),
            Some("1158201444"),
            Rejection::Mismatch,
        ),
        (
            Some("unsubscribe"),
            Some("meatyhamhock"),
            Some("1158201444"),
            Rejection::Malformed,
        ),
        (
            Some("subscribe"),
            Some("meatyhamhock"),
            Some("<script>"),
            Rejection::Malformed,
        ),
        (Some("subscribe"), None, Some("1"), Rejection::Missing),
        (None, Some("meatyhamhock"), Some("1"), Rejection::Missing),
    ] {
        assert_eq!(
            meta::subscription_challenge(mode, given, challenge, token),
            Err(expected)
        );
    }
    // No configured token: nothing matches, not even an empty one.
    assert_eq!(
        meta::subscription_challenge(Some("subscribe"), Some(""), Some("1"), b""),
        Err(Rejection::Mismatch)
    );
}
