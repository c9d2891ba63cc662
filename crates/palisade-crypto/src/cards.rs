//! Card numbers never reach storage: free text (interaction bodies, transcripts, notes, drafts,
//! inbound messages) is masked before it is written, and the database refuses text that still holds
//! one (`ctx.has_unmasked_card`, migration 0014, which implements the same rule and is checked
//! against this one by a test).
//!
//! The rule. A *run* is a maximal sequence of ASCII digit groups separated by one to three spaces or
//! dashes (`4111 1111-1111  1111`). A *candidate* is any stretch of whole consecutive groups of one
//! run holding 13–19 digits in all. A candidate that passes the Luhn check is a card number: every
//! digit but its last four becomes `*`. Masking repeats until no candidate passes, so what remains
//! never holds a card number by this rule. A digit string of 20 or more digits with no separator is
//! not a card (no stretch of whole groups has 13–19 digits); dates, amounts, phone numbers and order
//! ids that fail Luhn are left exactly as they were.
use std::borrow::Cow;
use std::ops::Range;

const MIN_DIGITS: usize = 13;
const MAX_DIGITS: usize = 19;
const MAX_SEPARATOR: usize = 3;
const MASK: u8 = b'*';

fn is_separator(b: u8) -> bool {
    b == b' ' || b == b'-'
}

/// The digit groups of each run in `text`, as byte ranges.
fn runs(text: &[u8]) -> Vec<Vec<Range<usize>>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut groups = Vec::new();
        loop {
            let start = i;
            while i < text.len() && text[i].is_ascii_digit() {
                i += 1;
            }
            groups.push(start..i);
            let mut j = i;
            while j < text.len() && is_separator(text[j]) && j - i < MAX_SEPARATOR {
                j += 1;
            }
            // Another group follows only after 1-3 separators and a digit.
            if j > i && j < text.len() && text[j].is_ascii_digit() {
                i = j;
            } else {
                break;
            }
        }
        runs.push(groups);
    }
    runs
}

/// The Luhn check of a string of ASCII digits (other bytes make it meaningless, not unsafe).
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d.wrapping_sub(b'0'));
            if !i.is_multiple_of(2) {
                let twice = d * 2;
                if twice > 9 {
                    twice - 9
                } else {
                    twice
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The digit positions of every card number in `text`.
fn cards(text: &[u8]) -> Vec<Vec<usize>> {
    let mut found = Vec::new();
    for groups in runs(text) {
        for first in 0..groups.len() {
            let mut positions: Vec<usize> = Vec::new();
            for group in &groups[first..] {
                positions.extend(group.clone());
                if positions.len() > MAX_DIGITS {
                    break;
                }
                if positions.len() >= MIN_DIGITS {
                    let digits: Vec<u8> = positions.iter().map(|&p| text[p]).collect();
                    if luhn(&digits) {
                        found.push(positions.clone());
                    }
                }
            }
        }
    }
    found
}

/// Whether `text` holds a card number by the rule above.
pub fn has_unmasked_card(text: &str) -> bool {
    !cards(text.as_bytes()).is_empty()
}

/// `text` with every card number masked, keeping each one's last four digits. Borrowed when there
/// was nothing to mask.
pub fn mask_cards(text: &str) -> Cow<'_, str> {
    let mut bytes = text.as_bytes().to_vec();
    let mut changed = false;
    loop {
        let found = cards(&bytes);
        if found.is_empty() {
            break;
        }
        for positions in found {
            for &p in &positions[..positions.len() - 4] {
                bytes[p] = MASK;
            }
        }
        changed = true;
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    // Only ASCII digits were replaced by an ASCII character: still UTF-8.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| unreachable!("ASCII replaced by ASCII")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use proptest::prelude::*;

    use super::*;

    /// Test card numbers the networks publish for testing (all pass Luhn).
    const CARDS: &[&str] = &[
        "4111111111111111",    // Visa
        "4012888888881881",    // Visa
        "5555555555554444",    // Mastercard
        "2223003122003222",    // Mastercard 2-series
        "378282246310005",     // American Express (15)
        "6011111111111117",    // Discover
        "3056930009020004",    // Diners Club (16)
        "36227206271667",      // Diners Club (14)
        "3566002020360505",    // JCB
        "6200000000000005",    // UnionPay
        "4000000000000000006", // 19 digits
        "4222222222222",       // Visa (13)
    ];

    #[test]
    fn known_card_numbers_are_masked_in_any_layout() {
        for card in CARDS {
            assert!(luhn(card.as_bytes()), "{card}");
            let last4 = &card[card.len() - 4..];
            let spaced: String = card
                .as_bytes()
                .chunks(4)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join(" ");
            for layout in [
                card.to_string(),
                spaced.clone(),
                spaced.replace(' ', "-"),
                spaced.replace(' ', " - "),
            ] {
                let text = format!("card {layout}, thanks");
                let masked = mask_cards(&text);
                assert!(!has_unmasked_card(&masked), "{masked}");
                let kept: String = masked.chars().filter(char::is_ascii_digit).collect();
                assert_eq!(kept, last4, "{masked}");
                assert!(masked.ends_with(", thanks"), "{masked}");
                assert!(!masked.contains(&card[..6]), "{masked}");
                assert_eq!(masked.matches('*').count(), card.len() - 4, "{masked}");
            }
        }
        assert_eq!(
            mask_cards("4111 1111 1111 1111 exp 12/27"),
            "**** **** **** 1111 exp 12/27"
        );
    }

    #[test]
    fn ordinary_numbers_are_left_alone() {
        for text in [
            "Call me on +1 415 555 0100 tomorrow",
            "Order 12345678901234567890 shipped 2024-01-05",
            "Premium $1,250.00 due 2025-03-31, policy 4111111111111112",
            "4111111111111112",
            "Ref 1234-5678-9012-3456",
            "",
            "no digits at all",
        ] {
            assert!(!has_unmasked_card(text), "{text}");
            assert!(matches!(mask_cards(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn a_card_inside_a_longer_run_is_found_and_the_result_holds_none() {
        // The card shares a run with numbers on both sides.
        let text = "ref 12 4111 1111 1111 1111 2024";
        let masked = mask_cards(text);
        assert!(!has_unmasked_card(&masked), "{masked}");
        assert!(!masked.contains("4111 1111 1111"), "{masked}");
    }

    fn layout(digits: &str, seps: &[u8]) -> String {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 {
                match seps[i % seps.len()] % 6 {
                    0 => out.push(' '),
                    1 => out.push('-'),
                    2 => out.push_str(" - "),
                    _ => {}
                }
            }
            out.push(c);
        }
        out
    }

    fn luhn_complete(prefix: &str) -> String {
        (0..10)
            .map(|d| format!("{prefix}{d}"))
            .find(|c| luhn(c.as_bytes()))
            .unwrap()
    }

    proptest! {
        #[test]
        fn nothing_luhn_valid_survives(text in "[0-9 -]{0,60}|[0-9 a-z.-]{0,80}") {
            let masked = mask_cards(&text);
            prop_assert!(!has_unmasked_card(&masked));
            prop_assert_eq!(masked.len(), text.len());
            // Only digits change, and only to the mask.
            for (a, b) in text.bytes().zip(masked.bytes()) {
                prop_assert!(a == b || (a.is_ascii_digit() && b == MASK));
            }
        }

        #[test]
        fn an_embedded_card_is_masked(
            prefix in "[0-9]{12,18}",
            seps in proptest::collection::vec(any::<u8>(), 1..8),
            before in "[a-z .,]{0,20}",
            after in "[a-z .,]{0,20}",
        ) {
            let card = luhn_complete(&prefix);
            let shown = layout(&card, &seps);
            let text = format!("{before}x {shown} y{after}");
            let masked = mask_cards(&text);
            prop_assert!(!has_unmasked_card(&masked));
            let digits: String = masked.chars().filter(|c| c.is_ascii_digit()).collect();
            prop_assert_eq!(&digits, &card[card.len() - 4..]);
        }

        #[test]
        fn luhn_failing_numbers_are_untouched(prefix in "[1-9][0-9]{11,17}") {
            let valid = luhn_complete(&prefix);
            let last = valid.as_bytes()[valid.len() - 1] - b'0';
            let invalid = format!("{prefix}{}", (last + 1) % 10);
            let text = format!("order {invalid} paid");
            prop_assert!(!has_unmasked_card(&text));
            prop_assert_eq!(mask_cards(&text), text.as_str());
        }
    }
}
