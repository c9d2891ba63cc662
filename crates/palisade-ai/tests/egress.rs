//! No card number, phone number or email address in any common format leaves for the model: text
//! full of generated ones is masked, sent through the real client to the fake server, and the
//! prompts the fake recorded are searched for every one of them. Dates, timestamps and order
//! numbers around them must arrive untouched (the known false alarms).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use palisade_ai::{ClientSettings, Endpoint, Guard, LlmClient, Prompt, Reveal, SafeText, Vault};
use palisade_testkit::FakeLlm;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn luhn_complete(body: &str) -> String {
    for check in 0..10 {
        let candidate = format!("{body}{check}");
        let sum: u32 = candidate
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                match (i % 2, d * 2) {
                    (1, t) if t > 9 => t - 9,
                    (1, t) => t,
                    _ => d,
                }
            })
            .sum();
        if sum.is_multiple_of(10) {
            return candidate;
        }
    }
    unreachable!()
}

fn digits(n: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, n).prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
}

/// A card number (its digits) of a real brand and length, 2-series Mastercard and 19-digit cards
/// included.
fn card() -> impl Strategy<Value = String> {
    let brands: Vec<(&'static str, usize)> = vec![
        ("4", 16),
        ("4", 13),
        ("4", 19),
        ("51", 16),
        ("55", 16),
        ("2221", 16),
        ("2720", 16),
        ("2500", 16),
        ("34", 15),
        ("37", 15),
        ("6011", 16),
        ("62", 19),
        ("6759", 19),
        ("35", 16),
    ];
    proptest::sample::select(brands).prop_flat_map(|(prefix, len)| {
        digits(len - prefix.len() - 1).prop_map(move |rest| luhn_complete(&format!("{prefix}{rest}")))
    })
}

/// A card written as people write it.
fn formatted_card() -> impl Strategy<Value = (String, String)> {
    (card(), 0..4usize).prop_map(|(digits, style)| {
        let sep = ["", " ", "-", "."][style];
        let groups: Vec<&str> = if digits.len() == 15 {
            vec![&digits[..4], &digits[4..10], &digits[10..]]
        } else {
            digits
                .as_bytes()
                .chunks(4)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect()
        };
        (digits.clone(), groups.join(sep))
    })
}

/// A phone number as people write it: (its national significant digits, the text).
fn formatted_phone() -> impl Strategy<Value = (String, String)> {
    let us = (2u8..10, digits(2), 2u8..10, digits(2), digits(4), 0..8usize).prop_map(
        |(a, a2, e, e2, line, style)| {
            let area = format!("{a}{a2}");
            let exchange = format!("{e}{e2}");
            let text = match style {
                0 => format!("+1 {area} {exchange} {line}"),
                1 => format!("({area}) {exchange}-{line}"),
                2 => format!("{area}-{exchange}-{line}"),
                3 => format!("{area}.{exchange}.{line}"),
                4 => format!("{area}{exchange}{line}"),
                5 => format!("+1{area}{exchange}{line}"),
                6 => format!("1-{area}-{exchange}-{line}"),
                _ => format!("+1 ({area}) {exchange}-{line}"),
            };
            (format!("{area}{exchange}{line}"), text)
        },
    );
    let uk = (digits(3), digits(6), 0..4usize).prop_map(|(a, b, style)| {
        let text = match style {
            0 => format!("+44 7{a} {b}"),
            1 => format!("07{a} {b}"),
            2 => format!("07{a}{b}"),
            _ => format!("+447{a}{b}"),
        };
        (format!("7{a}{b}"), text)
    });
    let london = (digits(4), digits(4), 0..2usize).prop_map(|(a, b, style)| {
        let text = if style == 0 {
            format!("+44 20 {a} {b}")
        } else {
            format!("020 {a} {b}")
        };
        (format!("20{a}{b}"), text)
    });
    let de = (digits(7), 0..3usize).prop_map(|(n, style)| {
        let text = match style {
            0 => format!("+49 30 {n}"),
            1 => format!("030 {n}"),
            _ => format!("+49 (0)30 {n}"),
        };
        (format!("30{n}"), text)
    });
    let fr =
        (1u8..8, digits(2), digits(2), digits(2), digits(2), 0..3usize).prop_map(|(a, b, c, d, e, style)| {
            let text = match style {
                0 => format!("+33 {a} {b} {c} {d} {e}"),
                1 => format!("0{a} {b} {c} {d} {e}"),
                _ => format!("0{a}.{b}.{c}.{d}.{e}"),
            };
            (format!("{a}{b}{c}{d}{e}"), text)
        });
    prop_oneof![us, uk, london, de, fr]
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9]{0,8}",
        proptest::option::of("[a-z0-9]{1,6}"),
        proptest::option::of("[a-z0-9]{1,6}"),
        "[a-z][a-z0-9-]{0,8}[a-z0-9]",
        proptest::option::of("[a-z]{2,6}"),
        proptest::sample::select(vec!["com", "co.uk", "io", "de", "org", "travel"]),
        any::<bool>(),
    )
        .prop_map(|(user, dotted, tag, domain, sub, tld, upper)| {
            let mut local = user;
            if let Some(d) = dotted {
                local = format!("{local}.{d}");
            }
            if let Some(t) = tag {
                local = format!("{local}+{t}");
            }
            let host = sub.map_or(domain.clone(), |s| format!("{s}.{domain}"));
            let email = format!("{local}@{host}.{tld}");
            if upper {
                email.to_uppercase()
            } else {
                email
            }
        })
}

/// Text that must arrive as it was written.
fn harmless() -> impl Strategy<Value = String> {
    prop_oneof![
        (2000u32..2040, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("on {y}-{m:02}-{d:02}")),
        (1u32..29, 1u32..13, 2000u32..2040).prop_map(|(d, m, y)| format!("by {d:02}/{m:02}/{y}")),
        (1_500_000_000u64..1_999_999_999).prop_map(|t| format!("at {t}")),
        (1_500_000_000_000u64..1_999_999_999_999).prop_map(|t| format!("ts {t}")),
        (10_000u32..99_999_999).prop_map(|n| format!("order ORD-{n}")),
        (10_000u32..99_999_999).prop_map(|n| format!("invoice #{n}")),
        (0u32..24, 0u32..60).prop_map(|(h, m)| format!("at {h:02}:{m:02}")),
        Just("thanks, talk soon".to_owned()),
    ]
}

#[derive(Debug, Clone)]
enum Piece {
    Card(String, String),
    Phone(String, String),
    Email(String),
    Harmless(String),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        formatted_card().prop_map(|(d, t)| Piece::Card(d, t)),
        formatted_phone().prop_map(|(d, t)| Piece::Phone(d, t)),
        email().prop_map(Piece::Email),
        harmless().prop_map(Piece::Harmless),
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        " ", ", ", "\n", " (", ") ", " or ", ": call ", "; or ", "\nthen ",
    ])
}

/// Whether a separator has a word in it (numbers with only spaces or punctuation between them may
/// be masked as one: no leak, but a harmless number next to a card may go with it).
fn worded(separator: &str) -> bool {
    separator.chars().any(char::is_alphabetic)
}

/// The prompt with separators dropped, so `4111 1111…` and `4111111…` compare alike.
fn squeezed(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+' | '\n'))
        .collect()
}

#[test]
fn nothing_personal_reaches_the_model() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let fake = rt.block_on(FakeLlm::start());
    let client = LlmClient::new(ClientSettings::default()).unwrap();
    let endpoint = Endpoint {
        base_url: fake.base_url.clone(),
        model: "fake-model".into(),
        api_key: "sk-test-key-0000000000000000".to_owned().into(),
        organization: None,
    };
    let guard = Guard::default();
    let strategy = proptest::collection::vec((piece(), separator()), 1..12);
    let mut runner = TestRunner::new(Config::with_cases(400));
    let counts = std::cell::RefCell::new([0usize; 4]);
    runner
        .run(&strategy, |pieces| {
            let text: String = pieces
                .iter()
                .map(|(p, sep)| {
                    let t = match p {
                        Piece::Card(_, t) | Piece::Phone(_, t) => t,
                        Piece::Email(e) => e,
                        Piece::Harmless(h) => h,
                    };
                    format!("{t}{sep}")
                })
                .collect();
            let mut vault = Vault::new(&guard);
            let masked = vault.mask(&text, Reveal::Yes);
            let prompt = Prompt {
                system: SafeText::instruction("test"),
                user: masked,
                max_tokens: 10,
                schema: None,
            };
            fake.clear();
            rt.block_on(client.complete(&endpoint, &prompt)).unwrap();
            let sent = fake.received().pop().unwrap().prompt();
            let sent_squeezed = squeezed(&sent);
            for (k, (piece, after)) in pieces.iter().enumerate() {
                let before = if k == 0 { "x" } else { pieces[k - 1].1 };
                match piece {
                    Piece::Card(d, t) => {
                        counts.borrow_mut()[0] += 1;
                        prop_assert!(!sent_squeezed.contains(d.as_str()), "card {t} left in {sent}");
                    }
                    Piece::Phone(d, t) => {
                        counts.borrow_mut()[1] += 1;
                        prop_assert!(!sent_squeezed.contains(d.as_str()), "phone {t} left in {sent}");
                    }
                    Piece::Email(e) => {
                        counts.borrow_mut()[2] += 1;
                        prop_assert!(
                            !sent.to_lowercase().contains(&e.to_lowercase()),
                            "{e} left in {sent}"
                        );
                    }
                    Piece::Harmless(h) if worded(before) && (worded(after) || k == pieces.len() - 1) => {
                        counts.borrow_mut()[3] += 1;
                        prop_assert!(sent.contains(h.as_str()), "{h:?} was masked: {sent}");
                    }
                    Piece::Harmless(_) => {}
                }
            }
            Ok(())
        })
        .unwrap();
    let counts = counts.into_inner();
    assert!(
        counts.iter().all(|&n| n > 50),
        "every kind was generated often: {counts:?}"
    );
}
