//! Personal data with a textual shape: email addresses, IBANs, national ids, and a tenant's own
//! patterns. Each detector returns byte ranges of `text`.
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

#[allow(clippy::expect_used)] // constant patterns, compiled once; a typo fails every test
pub(super) fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a constant pattern compiles")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)[a-z0-9._%+\-']+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}")
});
// ASCII letters and digits only: a case-insensitive `[a-z]` also matches the Kelvin sign `K`
// (three bytes), which must never reach the two-byte country slice below.
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| compile(r"\b[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]){11,30}"));
static US_SSN: LazyLock<Regex> = LazyLock::new(|| compile(r"\b(\d{3})[ \-](\d{2})[ \-](\d{4})\b"));
static UK_NINO: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)\b[a-ceghj-pr-tw-z][a-ceghj-npr-tw-z] ?\d{2} ?\d{2} ?\d{2} ?[a-d]\b"));

pub fn emails(text: &str) -> Vec<Range<usize>> {
    EMAIL
        .find_iter(text)
        .filter(|m| !m.as_str().starts_with(['.', '\'']))
        .map(|m| m.range())
        .collect()
}

/// IBANs of the registry's lengths whose check digits verify (ISO 13616, mod 97). The pattern may
/// run on into the next word, so each prefix of the right length is tried.
pub fn ibans(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for m in IBAN.find_iter(text) {
        let Some(len) = m.as_str().get(..2).and_then(iban_length) else {
            continue;
        };
        let mut compact = String::new();
        for (i, c) in m.as_str().char_indices() {
            if c.is_ascii_alphanumeric() {
                compact.push(c.to_ascii_uppercase());
            }
            if compact.len() == len {
                if iban_checks(&compact) {
                    found.push(m.start()..m.start() + i + c.len_utf8());
                }
                break;
            }
        }
    }
    found
}

fn iban_checks(iban: &str) -> bool {
    let rearranged = iban[4..].chars().chain(iban[..4].chars());
    let mut rest: u32 = 0;
    for c in rearranged {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        rest = if v >= 10 {
            (rest * 100 + v) % 97
        } else {
            (rest * 10 + v) % 97
        };
    }
    rest == 1
}

/// The IBAN length of a country (SWIFT's IBAN registry).
fn iban_length(country: &str) -> Option<usize> {
    const LENGTHS: &[(&str, usize)] = &[
        ("AD", 24),
        ("AE", 23),
        ("AL", 28),
        ("AT", 20),
        ("AZ", 28),
        ("BA", 20),
        ("BE", 16),
        ("BG", 22),
        ("BH", 22),
        ("BR", 29),
        ("BY", 28),
        ("CH", 21),
        ("CR", 22),
        ("CY", 28),
        ("CZ", 24),
        ("DE", 22),
        ("DK", 18),
        ("DO", 28),
        ("EE", 20),
        ("EG", 29),
        ("ES", 24),
        ("FI", 18),
        ("FO", 18),
        ("FR", 27),
        ("GB", 22),
        ("GE", 22),
        ("GI", 23),
        ("GL", 18),
        ("GR", 27),
        ("GT", 28),
        ("HR", 21),
        ("HU", 28),
        ("IE", 22),
        ("IL", 23),
        ("IQ", 23),
        ("IS", 26),
        ("IT", 27),
        ("JO", 30),
        ("KW", 30),
        ("KZ", 20),
        ("LB", 28),
        ("LC", 32),
        ("LI", 21),
        ("LT", 20),
        ("LU", 20),
        ("LV", 21),
        ("LY", 25),
        ("MC", 27),
        ("MD", 24),
        ("ME", 22),
        ("MK", 19),
        ("MR", 27),
        ("MT", 31),
        ("MU", 30),
        ("NL", 18),
        ("NO", 15),
        ("PK", 24),
        ("PL", 28),
        ("PS", 29),
        ("PT", 25),
        ("QA", 29),
        ("RO", 24),
        ("RS", 22),
        ("SA", 24),
        ("SC", 31),
        ("SD", 18),
        ("SE", 24),
        ("SI", 19),
        ("SK", 24),
        ("SM", 27),
        ("ST", 25),
        ("SV", 28),
        ("TL", 23),
        ("TN", 24),
        ("TR", 26),
        ("UA", 29),
        ("VA", 22),
        ("VG", 24),
        ("XK", 20),
    ];
    let country = country.to_ascii_uppercase();
    LENGTHS.iter().find(|(c, _)| *c == country).map(|&(_, n)| n)
}

/// US Social Security numbers `123-45-6789` (or spaced), without the never-issued area numbers
/// 000, 666 and 900–999, group 00 or serial 0000.
pub fn us_ssns(text: &str) -> Vec<Range<usize>> {
    US_SSN
        .captures_iter(text)
        .filter(|c| {
            let (area, group, serial) = (&c[1], &c[2], &c[3]);
            area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
        })
        .filter_map(|c| c.get(0).map(|m| m.range()))
        .collect()
}

/// UK National Insurance numbers `QQ 12 34 56 C`.
pub fn uk_ninos(text: &str) -> Vec<Range<usize>> {
    UK_NINO.find_iter(text).map(|m| m.range()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(f: fn(&str) -> Vec<Range<usize>>, text: &str) -> Vec<String> {
        f(text).into_iter().map(|r| text[r].to_owned()).collect()
    }

    #[test]
    fn emails_with_plus_dots_and_subdomains() {
        for email in [
            "ana@example.com",
            "Ana.Lopez+sales@mail.example.co.uk",
            "o'brien@x.io",
        ] {
            let text = format!("write to <{email}>.");
            assert_eq!(found(emails, &text), [email]);
        }
        assert!(found(emails, "see you @ 10, user@localhost").is_empty());
    }

    #[test]
    fn ibans_verify_their_check_digits() {
        assert_eq!(
            found(ibans, "pay to DE89 3704 0044 0532 0130 00 today"),
            ["DE89 3704 0044 0532 0130 00"]
        );
        assert_eq!(
            found(ibans, "GB29NWBK60161331926819."),
            ["GB29NWBK60161331926819"]
        );
        assert!(found(ibans, "DE88 3704 0044 0532 0130 00").is_empty());
        assert!(found(ibans, "ZZ89 3704 0044 0532 0130 00").is_empty());
        // The Kelvin sign folds to `k` under Unicode case-insensitivity: never a panic.
        assert!(found(ibans, "\u{212a}A12 3456 7890 1234 5678").is_empty());
    }

    #[test]
    fn national_ids() {
        assert_eq!(found(us_ssns, "ssn 123-45-6789."), ["123-45-6789"]);
        assert!(found(us_ssns, "000-12-3456 666-12-3456 923-12-3456").is_empty());
        assert_eq!(found(uk_ninos, "NI: AB 12 34 56 C"), ["AB 12 34 56 C"]);
        assert_eq!(found(uk_ninos, "ab123456c"), ["ab123456c"]);
    }
}
