//! Two text rules the server applies everywhere, spelled out in the document where the derived
//! schemas only name them:
//!
//! - a field marked `pattern = r"\S"` must hold a character that is not white space. Regular
//!   expression engines disagree on what `\s` is (ECMAScript counts U+FEFF, Python U+001C–U+001F,
//!   neither matches Rust's `char::is_whitespace` exactly), so the document lists the very characters
//!   the server trims;
//! - a field marked `format = "email"` gets the pattern of `palisade_types::Email::parse`: optional
//!   white space around one `@` between a local part and a dotted domain that neither starts nor
//!   ends with a dot, and no white space or control character inside. The loose `email` format
//!   (which would admit or refuse other addresses) is replaced by that pattern.
use serde_json::Value;

/// Rust's `char::is_whitespace` (Unicode White_Space), as a character class body.
pub const WHITE_SPACE: &str = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// White space and control characters (`char::is_control`, Unicode Cc), as a class body.
const SPACE_OR_CONTROL: &str = r"\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// Control characters (`char::is_control`), as a class body.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f";

/// One line of text: not blank, and no control character once the white space around it is gone.
pub fn one_line() -> String {
    format!("^[{WHITE_SPACE}]*[^{SPACE_OR_CONTROL}]([^{CONTROL}]*[^{SPACE_OR_CONTROL}])?[{WHITE_SPACE}]*$")
}

pub fn not_blank() -> String {
    format!("[^{WHITE_SPACE}]")
}

pub fn email() -> String {
    let part = format!("[^@{SPACE_OR_CONTROL}]");
    let edge = format!("[^@.{SPACE_OR_CONTROL}]");
    format!("^[{WHITE_SPACE}]*{part}+@{edge}{part}*\\.{part}*{edge}[{WHITE_SPACE}]*$")
}

/// Rewrites the markers throughout the document.
pub(super) fn spell_out(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("pattern").and_then(Value::as_str) == Some(r"\S") {
                map.insert("pattern".into(), Value::String(not_blank()));
            }
            if map.get("format").and_then(Value::as_str) == Some("email") {
                map.remove("format");
                map.insert("pattern".into(), Value::String(email()));
            }
            map.values_mut().for_each(spell_out);
        }
        Value::Array(items) => items.iter_mut().for_each(spell_out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use palisade_db::Email;
    use regex::Regex;

    use super::*;

    /// The patterns say what the server does: checked on the characters where engines disagree.
    #[test]
    fn patterns_agree_with_the_server() {
        let blank = Regex::new(&not_blank()).unwrap();
        for c in (0..=0x3000u32)
            .chain([0xfeff, 0x205f, 0x180e])
            .filter_map(char::from_u32)
        {
            let text = format!("{c}{c}");
            assert_eq!(
                blank.is_match(&text),
                !text.trim().is_empty(),
                "U+{:04X}",
                c as u32
            );
        }
        let line = Regex::new(&one_line()).unwrap();
        for case in [
            "tax advice",
            " x ",
            "a\nb",
            "\n",
            "a\u{7f}",
            "ab\t",
            "\u{85}a",
            "a b",
        ] {
            let trimmed = case.trim();
            let server = !trimmed.is_empty() && !trimmed.chars().any(char::is_control);
            assert_eq!(line.is_match(case), server, "{case:?}");
        }
        let email_pattern = Regex::new(&email()).unwrap();
        let cases = [
            "a@b.co",
            " a@b.co\t",
            "a@b",
            "a@.b",
            "a@b.",
            "@b.co",
            "a@b@c.d",
            "a b@c.d",
            "a@b..c",
            "ü@ß.de",
            "a\u{7f}@b.co",
            "a\u{85}@b.co",
            "a@b.c\u{feff}",
            "\u{1c}a@b.co",
            "a@-x.y",
        ];
        for case in cases {
            assert_eq!(
                email_pattern.is_match(case),
                Email::parse(case).is_ok(),
                "{case:?}"
            );
        }
    }
}
