//! Twilio's published request-validation vectors, from the official SDKs' test suites, plus
//! tampering cases. Sources (fixture shared by all of them: auth token `12345`, URL U, params P):
//! twilio-python `tests/unit/test_request_validator.py`, twilio-node `spec/validation.spec.js`,
//! twilio-java `src/test/java/com/twilio/security/RequestValidatorTest.java`, twilio-csharp
//! `test/Twilio.Test/Security/RequestValidatorTest.cs`, twilio-go `client/request_validator_test.go`.
#![allow(clippy::unwrap_used, reason = "test")]
use palisade_webhooks::twilio::{sign_form, verify_form, verify_json};
use palisade_webhooks::Rejection;

const TOKEN: &[u8] = b"12345";
const U: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";
const BODY: &[u8] = br#"{"property": "value", "boolean": true}"#;
const BODY_SHA: &str = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";

fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn params() -> Vec<(String, String)> {
    p(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675309"),
        ("Digits", "1234"),
        ("From", "+14158675309"),
        ("To", "+18005551212"),
    ])
}

#[test]
fn published_form_vectors_verify() {
    for (url, signature) in [
        // all SDKs: the base case
        (U, "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        // python/node/java/ruby/php/C#: a port in the request URL, signed without it
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        // all: signed with the default port added
        (U, "kvajT1Ptam85bY51eRf/AJRuM3w="),
        // all: an explicit non-default port, signed as is
        ("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="),
        // all: http, signed with :80 added
        ("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4="),
        // node/php: user info is kept
        ("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10="),
        ("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI="),
        ("https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs="),
        ("https://user@mycompany.com/myapp.php?foo=1&bar=2", "aZfj4hyX1MLZhSS6QIL18Vn2/RA="),
        // java: no query; query parameters are signed; escapes are not decoded; raw UTF-8 kept;
        // an explicit :443 and a double slash kept
        ("https://mycompany.com/myapp.php", "1xaxFBvyzXYvWplzNOSs28HWO94="),
        (
            "https://mycompany.com/myapp.php?foo=1&bar=2&type=thiswontbeusedinthesignaturegeneratorandsoshouldbeignored",
            "hYkNsTBttoNGkyCS0p+wWmQoRTg=",
        ),
        ("https://mycompany.com/myapp.php?foo=hello%20world&bar=test%2Bvalue", "er2tvAP1Wx+iuTTE2BPgvEaN1cs="),
        ("https://mycompany.com/webhook/España?año=2023", "G/Hx6mqqnjUNlPAoi2Sp9bGst0g="),
        ("https://mycompany.com:443//myapp.php?foo=1&bar=2", "A9lH3u16NjyiiM/+wylw5rirFUs="),
        // C#: host and scheme case are kept
        ("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU="),
        ("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4="),
        ("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis="),
        ("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM="),
        ("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc="),
        ("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI="),
        ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8="),
    ] {
        assert_eq!(verify_form(TOKEN, url, &params(), signature), Ok(()), "{url} {signature}");
    }
}

#[test]
fn published_parameter_rules_verify() {
    // python/node/php: repeated values are deduplicated and sorted
    let repeated = p(&[
        ("Sid", "CA123"),
        ("SidAccount", "AC123"),
        ("Digits", "5678"),
        ("Digits", "1234"),
        ("Digits", "1234"),
    ]);
    assert_eq!(
        verify_form(TOKEN, U, &repeated, "IK+Dwps556ElfBT0I3Rgjkr1wJU="),
        Ok(())
    );
    // node: in either order
    for order in [["+1325xxxxxxx", "+1415xxxxxxx"], ["+1415xxxxxxx", "+1325xxxxxxx"]] {
        let binding = p(&[
            ("MessagingBinding.Address", order[0]),
            ("MessagingBinding.Address", order[1]),
        ]);
        assert_eq!(
            verify_form(TOKEN, U, &binding, "83O6e2vORAoJHUNzJjDWN1jz+BA="),
            Ok(())
        );
    }
    // java: no parameters
    assert_eq!(verify_form(TOKEN, U, &[], "zYQTYrRWXE7LtzbG4PfP7/bkkGo="), Ok(()));
    // java: decoded values with spaces, symbols and non-ASCII, signed as UTF-8
    let special = p(&[
        ("Message", "Hello & goodbye! @#$%^*()"),
        ("From", "+1 (415) 867-5309"),
        ("Special", "unicode: ñáéíóú"),
    ]);
    assert_eq!(
        verify_form(TOKEN, U, &special, "dCPiR4WtQ6QFN6pJh81CtlCcWLQ="),
        Ok(())
    );
    // java: an empty value still contributes its name
    let empty = p(&[
        ("Digits", ""),
        ("CallSid", "CA1234567890ABCDE"),
        ("EmptyParam", ""),
    ]);
    assert_eq!(
        verify_form(TOKEN, U, &empty, "9HHp/OqQMEwdrVebHDdA/+tqjX8="),
        Ok(())
    );
    // java: names in byte order, not alphabetical ignoring case
    let sorted = p(&[
        ("Zebra", "last"),
        ("Alpha", "first"),
        ("Beta", "second"),
        ("Gamma", "third"),
    ]);
    assert_eq!(
        verify_form(TOKEN, U, &sorted, "enveUe73ZTVLAekHxez3Qx6JuuQ="),
        Ok(())
    );
    let cased = p(&[
        ("callSid", "lowercase"),
        ("CallSid", "uppercase"),
        ("CALLSID", "allcaps"),
    ]);
    assert_eq!(
        verify_form(TOKEN, U, &cased, "jDK7WKT8wiNrwggd4ceTv4e1MJ4="),
        Ok(())
    );
    // go: a name that is a prefix of another sorts first; the wrong order's signature fails
    let mut go = params();
    go.extend(p(&[("ReasonConferenceEnded", "test"), ("Reason", "Participant")]));
    assert_eq!(verify_form(TOKEN, U, &go, "vOEb5UThFn24KEfnOFLQY2AE5FY="), Ok(()));
    assert_eq!(
        verify_form(TOKEN, U, &go, "95+Bu0JVPi0r/SsESZCVf0dWAjw="),
        Err(Rejection::Mismatch)
    );
    // twilio.com/docs/usage/security (as quoted by many test suites)
    let docs = p(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ]);
    assert_eq!(
        verify_form(TOKEN, U, &docs, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
        Ok(())
    );
}

#[test]
fn published_json_vectors_verify() {
    let with_hash = format!("{U}&bodySHA256={BODY_SHA}");
    assert_eq!(
        verify_json(TOKEN, &with_hash, BODY, "a9nBmqA0ju/hNViExpshrM61xv4="),
        Ok(())
    );
    let only_hash = format!("https://mycompany.com/myapp.php?bodySHA256={BODY_SHA}");
    assert_eq!(
        verify_json(TOKEN, &only_hash, BODY, "y77kIzt2vzLz71DgmJGsen2scGs="),
        Ok(())
    );
    // node: `{}` signed with :443 added
    let empty = format!("{U}&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assert_eq!(
        verify_json(TOKEN, &empty, b"{}", "Ldidvp12m26NI7eqEvxnEpkd9Hc="),
        Ok(())
    );
}

#[test]
fn tampering_fails() {
    let base = params();
    let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    // C#: the signature of the lower-case host does not fit a mixed-case one
    for url in [
        "https://MyCompany.com/myapp.php?foo=1&bar=2",
        "https://MyCompany.com:1234/myapp.php?foo=1&bar=2",
        "http://MyCompany.com/myapp.php?foo=1&bar=2",
        // node: an extra query parameter
        "https://mycompany.com/myapp.php?foo=1&bar=2&somethingUnexpected=true",
        "https://mycompany.com/myapp.php?foo=1&bar=3",
        "https://evil.example/myapp.php?foo=1&bar=2",
    ] {
        assert_eq!(
            verify_form(TOKEN, url, &base, good),
            Err(Rejection::Mismatch),
            "{url}"
        );
    }
    let mut changed = base.clone();
    changed[2].1 = "1235".into();
    assert_eq!(verify_form(TOKEN, U, &changed, good), Err(Rejection::Mismatch));
    let mut extra = base.clone();
    extra.push(("Body".into(), "STOP".into()));
    assert_eq!(verify_form(TOKEN, U, &extra, good), Err(Rejection::Mismatch));
    assert_eq!(verify_form(b"12346", U, &base, good), Err(Rejection::Mismatch));
    // java/C#: a signature that is not one
    assert_eq!(
        verify_form(TOKEN, U, &base, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8="),
        Err(Rejection::Malformed)
    );
    assert_eq!(verify_form(TOKEN, U, &base, ""), Err(Rejection::Missing));
    assert_eq!(verify_form(TOKEN, U, &base, "AAAA"), Err(Rejection::Malformed));
    // JSON: a changed body fails its hash; no bodySHA256 is refused; the form signature does not
    // stand in for a JSON one
    let with_hash = format!("{U}&bodySHA256={BODY_SHA}");
    let sig = "a9nBmqA0ju/hNViExpshrM61xv4=";
    assert_eq!(
        verify_json(
            TOKEN,
            &with_hash,
            br#"{"property": "value", "boolean": false}"#,
            sig
        ),
        Err(Rejection::Mismatch)
    );
    assert_eq!(verify_json(TOKEN, U, BODY, good), Err(Rejection::Missing));
    let other_hash = format!("{U}&bodySHA256={}", "0".repeat(64));
    assert_eq!(
        verify_json(TOKEN, &other_hash, BODY, sig),
        Err(Rejection::Mismatch)
    );
}

#[test]
fn signing_round_trips() {
    let url = "https://palisade.example/webhooks/twilio/t1?x=1";
    let sig = sign_form(b"secret", url, &params());
    assert_eq!(verify_form(b"secret", url, &params(), &sig), Ok(()));
    assert_eq!(sign_form(TOKEN, U, &params()), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}
