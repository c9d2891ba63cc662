//! Svix (Resend) and SendGrid signatures.
//!
//! Svix vectors are published in every Svix SDK's tests (svix/svix-webhooks
//! `python/tests/test_webhooks.py::test_sign_function`, `rust/src/webhooks.rs` `test_sign`,
//! `csharp/Svix.Tests/WebhookTest.cs` large payloads) and in standard-webhooks.
//! SendGrid vectors are published in sendgrid-python `test/unit/test_eventwebhook.py`,
//! sendgrid-nodejs `packages/eventwebhook/src/eventwebhook.spec.js` and sendgrid-go
//! `helpers/eventwebhook/eventwebhook_test.go`. Their payloads are built in code there; the exact
//! bytes (with SendGrid's `\r\n` line ends) are in `tests/data/`.
#![allow(clippy::unwrap_used, reason = "test")]
use palisade_webhooks::sendgrid::{self, PublicKey};
use palisade_webhooks::{svix, Rejection};

const S1_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const S1_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const S1_TS: i64 = 1_614_265_330;
const S1_BODY: &[u8] = br#"{"test": 2432232314}"#;
const S1_SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn s1(signatures: &str, body: &[u8], timestamp: &str, now: i64) -> Result<(), Rejection> {
    let key = svix::secret_key(S1_SECRET).unwrap();
    svix::verify(&key, S1_ID, timestamp, signatures, body, now)
}

#[test]
fn svix_published_vectors_verify() {
    let ts = S1_TS.to_string();
    assert_eq!(s1(S1_SIG, S1_BODY, &ts, S1_TS), Ok(()));
    let key = svix::secret_key(S1_SECRET).unwrap();
    assert_eq!(svix::sign(&key, S1_ID, S1_TS, S1_BODY), S1_SIG);
    let key2 = svix::secret_key("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
    assert_eq!(
        svix::verify(
            &key2,
            "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
            "1649367553",
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=",
            br#"{"email":"test@example.com","username":"test_user"}"#,
            1_649_367_553,
        ),
        Ok(())
    );
    for (len, sig) in [
        (1_048_576, "v1,txpEUxqWZJ5nteTnymUVa+7C4NHpBeXJ6CsBAW0c3/A="),
        (262_144, "v1,Mw4Pe2WgApuT7NSqnSq0PQPV9gbLdggCl9B865x5Xh0="),
        (262_143, "v1,NTItnqyWMoFhk2Bbe5V/BMdcFRWgcSQaTgqLHX7FC7c="),
    ] {
        assert_eq!(s1(sig, &vec![b'a'; len], &ts, S1_TS), Ok(()), "{len}");
    }
    // Several entries: any v1 may match; other versions are ignored.
    let decoy = "Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
    let several = format!("v1,{decoy} v2,{decoy} {S1_SIG} v1,{decoy}");
    assert_eq!(s1(&several, S1_BODY, &ts, S1_TS), Ok(()));
    let without = format!("v1,{decoy} v2,{decoy} v1,{decoy}");
    assert_eq!(s1(&without, S1_BODY, &ts, S1_TS), Err(Rejection::Mismatch));
}

#[test]
fn svix_tampering_timing_and_secrets() {
    let ts = S1_TS.to_string();
    // Published negatives: one character off, and not base64 at all.
    assert_eq!(
        s1(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=",
            S1_BODY,
            &ts,
            S1_TS
        ),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        s1("v1,dawfeoifkpqwoekfpqoekf", S1_BODY, &ts, S1_TS),
        Err(Rejection::Malformed)
    );
    // Partial signatures.
    assert_eq!(s1("v1,", S1_BODY, &ts, S1_TS), Err(Rejection::Mismatch));
    assert_eq!(s1(&S1_SIG[..8], S1_BODY, &ts, S1_TS), Err(Rejection::Malformed));
    // Body, id and timestamp are all signed.
    assert_eq!(
        s1(S1_SIG, br#"{"test": 2432232315}"#, &ts, S1_TS),
        Err(Rejection::Mismatch)
    );
    let next = (S1_TS + 1).to_string();
    assert_eq!(s1(S1_SIG, S1_BODY, &next, S1_TS), Err(Rejection::Mismatch));
    let key = svix::secret_key(S1_SECRET).unwrap();
    assert_eq!(
        svix::verify(&key, "msg_p5jXN8AQM9LWM0D4loKWxJeL", &ts, S1_SIG, S1_BODY, S1_TS),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        svix::verify(&key, "msg.1", &ts, S1_SIG, S1_BODY, S1_TS),
        Err(Rejection::Malformed)
    );
    // Five minutes either way.
    assert_eq!(s1(S1_SIG, S1_BODY, &ts, S1_TS + 300), Ok(()));
    assert_eq!(s1(S1_SIG, S1_BODY, &ts, S1_TS - 300), Ok(()));
    assert_eq!(s1(S1_SIG, S1_BODY, &ts, S1_TS + 301), Err(Rejection::Stale));
    assert_eq!(s1(S1_SIG, S1_BODY, &ts, S1_TS - 301), Err(Rejection::Stale));
    assert_eq!(s1(S1_SIG, S1_BODY, "-1", S1_TS), Err(Rejection::Malformed));
    assert_eq!(s1("", S1_BODY, &ts, S1_TS), Err(Rejection::Missing));
    // Secrets: the prefix and padding are optional; empty ones are refused.
    assert_eq!(
        svix::secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap(),
        svix::secret_key(S1_SECRET).unwrap()
    );
    assert!(svix::secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS").is_ok());
    for bad in ["", "whsec_", "whsec_!!!"] {
        assert_eq!(svix::secret_key(bad).unwrap_err(), Rejection::BadSecret, "{bad}");
    }
}

const SG1_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==";
const SG1_SIG: &str =
    "MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=";
const SG1_TS: &str = "1600112502";
const SG1_BODY: &[u8] = include_bytes!("data/sendgrid_single.bin");

#[test]
fn sendgrid_published_vectors_verify() {
    let key = PublicKey::parse(SG1_KEY).unwrap();
    // A high-S signature (as SendGrid makes them): must not be refused for it.
    assert_eq!(sendgrid::verify(&key, SG1_TS, SG1_SIG, SG1_BODY), Ok(()));
    // nodejs: several events, a 72-byte DER signature
    let multi = PublicKey::parse("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q==").unwrap();
    assert_eq!(
        sendgrid::verify(
            &multi,
            "1619651159",
            "MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5",
            include_bytes!("data/sendgrid_multi.bin"),
        ),
        Ok(())
    );
    // nodejs, an earlier version of the spec (commit 865f09d): a low-S signature
    let old = PublicKey::parse("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==").unwrap();
    assert_eq!(
        sendgrid::verify(
            &old,
            "1588788367",
            "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=",
            br#"{"category":"example_payload","event":"test_event","message_id":"message_id"}"#,
        ),
        Ok(())
    );
}

#[test]
fn sendgrid_published_negatives_fail() {
    let key = PublicKey::parse(SG1_KEY).unwrap();
    let wrong_key = PublicKey::parse("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA==").unwrap();
    assert_eq!(
        sendgrid::verify(&wrong_key, SG1_TS, SG1_SIG, SG1_BODY),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        sendgrid::verify(&key, SG1_TS, SG1_SIG, b"payload"),
        Err(Rejection::Mismatch)
    );
    let other_sig =
        "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0=";
    assert_eq!(
        sendgrid::verify(&key, SG1_TS, other_sig, SG1_BODY),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        sendgrid::verify(&key, "timestamp", SG1_SIG, SG1_BODY),
        Err(Rejection::Malformed)
    );
    assert_eq!(
        sendgrid::verify(&key, "1600112503", SG1_SIG, SG1_BODY),
        Err(Rejection::Mismatch)
    );
    assert_eq!(
        sendgrid::verify(&key, "", SG1_SIG, SG1_BODY),
        Err(Rejection::Missing)
    );
    let garbled = format!("{SG1_SIG}causing failure");
    assert_eq!(
        sendgrid::verify(&key, SG1_TS, &garbled, SG1_BODY),
        Err(Rejection::Malformed)
    );
    assert_eq!(PublicKey::parse("not a key").unwrap_err(), Rejection::BadSecret);
    assert_eq!(PublicKey::parse("AAAA").unwrap_err(), Rejection::BadSecret);
}
