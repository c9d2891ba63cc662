//! Card and phone numbers in free text, found by the shape people write them in.
//!
//! A *run* is a sequence of digit groups joined by at most three separator characters (spaces, dashes,
//! dots, slashes, parentheses and their Unicode look-alikes), with an optional `+` before the first.
//! Both detectors look at stretches of whole consecutive groups of a run, so `card 4111 1111 1111 1111
//! cvv 123` and two phone numbers in a row are each found on their own.
//!
//! Cards: 13–19 digits passing the Luhn check whose first digit is 2–6 (the industries that issue
//! payment cards: 2- and 5-series Mastercard, Amex, Visa, Discover, UnionPay, Maestro). Requiring that
//! digit is what keeps Unix timestamps in milliseconds (which begin with 1) from being taken for cards.
//!
//! Phones, in the formats people use: with `+` or `00` (international); grouped by separators
//! (9–15 digits, or the local `555-0100` and `5555 0100` shapes); or one block of digits that is a
//! valid North American number (10 digits, or 11 beginning with 1) or has 9 to 15 digits (a number
//! with its country code, a national mobile; an unseparated id such as a Social Security number goes
//! with them). Not phones: dates (`2026-12-03`, `03/12/2026`), IP addresses, year ranges, a number
//! glued to letters or to `#` (order and invoice numbers such as `ORD-48213377` or `#4155550100`),
//! and Unix timestamps (a block of 10 or 13 digits beginning with 1).
use std::ops::Range;

/// At most this many separator characters between two groups of one run.
const MAX_SEPARATORS: usize = 3;

/// What may stand between the groups of a card number.
fn card_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2010}'..='\u{2015}'
    )
}

/// What may stand between the groups of a phone number: a card's separators, and `/`, `(`, `)`.
fn phone_separator(c: char) -> bool {
    card_separator(c) || matches!(c, '\t' | '/' | '(' | ')')
}

/// One run: the byte ranges of its digit groups, and where its `+` is if it has one.
struct Run {
    plus: Option<usize>,
    groups: Vec<Range<usize>>,
}

fn runs(text: &str, is_separator: fn(char) -> bool) -> Vec<Run> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let mut runs = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if !chars[k].1.is_ascii_digit() {
            k += 1;
            continue;
        }
        let plus = (k > 0 && chars[k - 1].1 == '+').then(|| chars[k - 1].0);
        let mut groups = Vec::new();
        loop {
            let start = k;
            while k < chars.len() && chars[k].1.is_ascii_digit() {
                k += 1;
            }
            groups.push(chars[start].0..end_of(k));
            let mut j = k;
            while j < chars.len() && is_separator(chars[j].1) && j - k < MAX_SEPARATORS {
                j += 1;
            }
            if j > k && j < chars.len() && chars[j].1.is_ascii_digit() {
                k = j;
            } else {
                break;
            }
        }
        runs.push(Run { plus, groups });
    }
    runs
}

fn digits_of(text: &str, groups: &[Range<usize>]) -> String {
    groups.iter().map(|g| &text[g.clone()]).collect()
}

fn is_card(digits: &str) -> bool {
    (13..=19).contains(&digits.len())
        && matches!(digits.as_bytes()[0], b'2'..=b'6')
        && palisade_crypto::cards::luhn(digits.as_bytes())
}

/// The byte ranges of card numbers in `text`. Stretches grouped as cards are printed (fours; Amex's
/// 4-6-5) are taken first, so a card next to another number is found whole rather than a lucky
/// Luhn match across both.
pub fn cards(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for run in runs(text, card_separator) {
        let mut taken = vec![false; run.groups.len()];
        for printed in [true, false] {
            let mut i = 0;
            while i < run.groups.len() {
                let longest = (i..run.groups.len())
                    .take_while(|&j| !taken[j])
                    .filter(|&j| !printed || card_grouping(&run.groups[i..=j]))
                    .filter(|&j| is_card(&digits_of(text, &run.groups[i..=j])))
                    .last();
                match longest {
                    Some(j) => {
                        found.push(run.groups[i].start..run.groups[j].end);
                        taken[i..=j].fill(true);
                        i = j + 1;
                    }
                    None => i += 1,
                }
            }
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

/// One block of digits, fours (the last of a 13- or 19-digit card shorter), or 4-6-5 and 4-6-4.
fn card_grouping(groups: &[Range<usize>]) -> bool {
    let lens: Vec<usize> = groups.iter().map(ExactSizeIterator::len).collect();
    match lens.as_slice() {
        [_] | [4, 6, 5] | [4, 6, 4] => true,
        [fours @ .., last] => fours.iter().all(|&n| n == 4) && (1..=4).contains(last),
        [] => false,
    }
}

/// The byte ranges of phone numbers in `text`, each with the `+` or `(` that opens it; no digit of
/// `cards` (found before) is taken into one.
pub fn phones(text: &str, cards: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for run in runs(text, phone_separator) {
        let mut not_phone = dates_and_addresses(text, &run.groups);
        for (g, mark) in run.groups.iter().zip(not_phone.iter_mut()) {
            *mark |= cards.iter().any(|c| c.start < g.end && g.start < c.end);
        }
        let mut i = 0;
        while i < run.groups.len() {
            // A stretch never takes in a group of a date or an IP address.
            let limit = (i..run.groups.len()).take_while(|&j| !not_phone[j]).last();
            let plus = if i == 0 { run.plus } else { None };
            let longest = limit.and_then(|limit| {
                (i..=limit)
                    .rev()
                    .find(|&j| is_phone(text, &run.groups[i..=j], plus))
            });
            match longest {
                Some(j) => {
                    let start = plus.unwrap_or_else(|| with_open_paren(text, run.groups[i].start));
                    found.push(start..run.groups[j].end);
                    i = j + 1;
                }
                None => i += 1,
            }
        }
    }
    found
}

/// Which groups of a run belong to a date (three groups) or an IP address (four dotted groups not
/// part of a longer dotted sequence, which would be a phone number like `01.23.45.67.89`).
fn dates_and_addresses(text: &str, groups: &[Range<usize>]) -> Vec<bool> {
    let mut marked = vec![false; groups.len()];
    let dotted_to = |a: usize, b: usize| &text[groups[a].end..groups[b].start] == ".";
    for start in 0..groups.len().saturating_sub(3) {
        let end = start + 4;
        let alone =
            (start == 0 || !dotted_to(start - 1, start)) && (end == groups.len() || !dotted_to(end - 1, end));
        if alone && looks_like_ip(text, &groups[start..end]) {
            marked[start..end].fill(true);
        }
    }
    for start in 0..groups.len().saturating_sub(2) {
        if looks_like_date(text, &groups[start..start + 3]) {
            marked[start..start + 3].fill(true);
        }
    }
    marked
}

fn with_open_paren(text: &str, start: usize) -> usize {
    if text[..start].ends_with('(') {
        start - 1
    } else {
        start
    }
}

fn is_phone(text: &str, groups: &[Range<usize>], plus: Option<usize>) -> bool {
    let (Some(first), Some(last)) = (groups.first(), groups.last()) else {
        return false;
    };
    let start = plus.unwrap_or_else(|| with_open_paren(text, first.start));
    if glued_before(&text[..start]) || glued_after(&text[last.end..]) {
        return false;
    }
    let digits = digits_of(text, groups);
    let n = digits.len();
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    if plus.is_some() {
        return (8..=15).contains(&n);
    }
    if groups.len() == 1 {
        // One block: a North American number, or 9–15 digits (a number with its country code, a
        // national mobile, an unseparated id) — except the lengths of Unix timestamps starting with 1.
        let timestamp = digits.starts_with('1') && (n == 10 || n == 13);
        return north_american(&digits) || ((9..=15).contains(&n) && !timestamp);
    }
    // Phone numbers are written in short groups; a long block next to other digits is something
    // else (a timestamp, an account number).
    if lens.iter().any(|&len| len > 8) {
        return false;
    }
    if digits.starts_with("00") && (11..=17).contains(&n) {
        return true;
    }
    match n {
        9..=15 => true,
        7 => lens == [3, 4],
        8 => lens == [4, 4] && !is_year(&text[groups[0].clone()]),
        _ => false,
    }
}

/// A number directly after a letter, `_`, `#`, `:` after a digit (a time), or a dash that follows a letter, is part of an
/// identifier (`ORD-48213377`, `#4155550100`, `v2`), not a phone number. (After a digit and a dash
/// it may be the rest of a number whose first digits went to the phone before it.)
fn glued_before(before: &str) -> bool {
    let mut back = before.chars().rev();
    match back.next() {
        Some(c) if c.is_alphanumeric() || matches!(c, '_' | '#') => true,
        Some('-') => back.next().is_some_and(char::is_alphabetic),
        Some(':') => back.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

fn glued_after(after: &str) -> bool {
    let mut next = after.chars();
    match next.next() {
        Some(':') => next.next().is_some_and(|c| c.is_ascii_digit()),
        // An extension (`…0100x23`) is part of the number, not a sign it is an identifier.
        Some('x' | 'X') => !next.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) => c.is_alphanumeric() || c == '_',
        None => false,
    }
}

/// 10 digits `NXX NXX XXXX` (N is 2–9), or 11 beginning with the country code 1.
fn north_american(digits: &str) -> bool {
    let national = match digits.len() {
        10 => digits,
        11 if digits.starts_with('1') => &digits[1..],
        _ => return false,
    };
    let b = national.as_bytes();
    matches!(b[0], b'2'..=b'9') && matches!(b[3], b'2'..=b'9')
}

fn is_year(group: &str) -> bool {
    group.len() == 4 && (group.starts_with("19") || group.starts_with("20"))
}

fn separators<'t>(text: &'t str, groups: &'t [Range<usize>]) -> impl Iterator<Item = &'t str> + 't {
    groups.windows(2).map(move |w| &text[w[0].end..w[1].start])
}

/// Three groups `yyyy-mm-dd` or `dd/mm/yyyy` (any of `-`, `/`, `.`, used alike).
fn looks_like_date(text: &str, groups: &[Range<usize>]) -> bool {
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let shaped = matches!(lens.as_slice(), [4, 1 | 2, 1 | 2] | [1 | 2, 1 | 2, 4]);
    let seps: Vec<&str> = separators(text, groups).collect();
    shaped && matches!(seps[0], "-" | "/" | ".") && seps.iter().all(|s| *s == seps[0])
}

/// Four dot-separated numbers of up to three digits, each at most 255 and without a leading zero
/// (`02.123.45.67` is a Belgian phone number).
fn looks_like_ip(text: &str, groups: &[Range<usize>]) -> bool {
    let octet = |g: &str| {
        g.len() <= 3 && !(g.len() > 1 && g.starts_with('0')) && g.parse::<u16>().is_ok_and(|v| v <= 255)
    };
    groups.len() == 4
        && separators(text, groups).all(|s| s == ".")
        && groups.iter().all(|g| octet(&text[g.clone()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(f: impl Fn(&str) -> Vec<Range<usize>>, text: &str) -> Vec<String> {
        f(text).into_iter().map(|r| text[r].to_owned()).collect()
    }

    #[test]
    fn cards_in_the_shapes_people_type_them() {
        for card in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111.1111.1111.1111",
            "4111111111111111",
            "2221 0000 0000 0009",
            "6011 1111 1111 1117",
            "3782 822463 10005",
            "6250 9410 0652 8599 990",
        ] {
            let text = format!("card: {card} cvv 123, thanks");
            assert_eq!(found(cards, &text), [card], "{card}");
        }
    }

    #[test]
    fn not_cards() {
        for text in [
            "1733220000000 is a timestamp in ms",
            "4111 1111 1111 1112 fails luhn",
            "order 12345678901234567890123",
        ] {
            assert!(found(cards, text).is_empty(), "{text}");
        }
    }

    #[test]
    fn phones_in_the_shapes_people_type_them() {
        for phone in [
            "+1 415 555 0100",
            "+14155550100",
            "(415) 555-0100",
            "415-555-0100",
            "415.555.0100",
            "4155550100",
            "+44 20 7946 0958",
            "020 7946 0958",
            "07911 123456",
            "+49 30 1234567",
            "0033 1 23 45 67 89",
            "555-0100",
            "34612345678",
            "5511987654321",
            "612345678",
            "02.123.45.67",
        ] {
            let text = format!("call me on {phone}, thanks");
            assert_eq!(found(|t| phones(t, &[]), &text), [phone], "{phone}");
        }
        assert_eq!(
            found(|t| phones(t, &[]), "415-555-0100 or 415-555-0101"),
            ["415-555-0100", "415-555-0101"]
        );
    }

    #[test]
    fn a_link_to_a_chat_number_and_an_extension_are_phone_numbers() {
        assert_eq!(found(|t| phones(t, &[]), "wa.me/447911123456 "), ["447911123456"]);
        assert_eq!(found(|t| phones(t, &[]), "(415) 555-0100x23"), ["(415) 555-0100"]);
    }

    #[test]
    fn the_known_false_alarms_are_left_alone() {
        for text in [
            "met on 2026-12-03 at 10:15:00",
            "delivered 03/12/2026",
            "logged at 1733220000",
            "order ORD-48213377 shipped",
            "invoice #4155550100",
            "server 192.168.100.200",
            "the 2025-2026 season",
            "v12345678901",
            "amount 1.234.567 EUR",
            "on 2026-12-03 10:15",
            "hosts 10.0.0.1 10.0.0.2",
            "at 10:15 (4111 1111 1111 1111)",
        ] {
            let phones = found(|t| phones(t, &cards(t)), text);
            assert!(phones.is_empty(), "{text}: {phones:?}");
        }
    }
}
