//! The egress guard: no text reaches a language model before the personal data in it is replaced by
//! placeholders (`[EMAIL_1]`, `[PHONE_2]`, `[CARD_1]`, …), and the client takes nothing else.
//!
//! [`SafeText`] is the only thing a prompt is made of, and only two things make one: [`Vault::mask`]
//! (text from anywhere) and [`SafeText::instruction`] (our own constant wording). The vault remembers
//! what each placeholder stands for, and [`Vault::restore`] puts back, in the model's answer, only the
//! values masked as [`Reveal::Yes`] — those the reader of the answer may see anyway (a rep's own lead's
//! email). Card numbers are never put back.
mod numbers;
mod patterns;

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What a placeholder stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Card,
    Phone,
    Email,
    Iban,
    NationalId,
    /// A tenant's own pattern.
    Custom,
}

impl Kind {
    const fn label(self) -> &'static str {
        match self {
            Self::Card => "CARD",
            Self::Phone => "PHONE",
            Self::Email => "EMAIL",
            Self::Iban => "IBAN",
            Self::NationalId => "ID",
            Self::Custom => "REDACTED",
        }
    }
}

/// The detectors a tenant can switch off (cards, phones and emails are always on).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Builtins {
    pub iban: bool,
    pub us_ssn: bool,
    pub uk_nino: bool,
}

impl Default for Builtins {
    fn default() -> Self {
        Self {
            iban: true,
            us_ssn: true,
            uk_nino: true,
        }
    }
}

/// At most this many patterns of a tenant's own, each at most this long.
pub const MAX_CUSTOM_PATTERNS: usize = 20;
pub const MAX_PATTERN_LEN: usize = 200;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PatternError {
    #[error("at most {MAX_CUSTOM_PATTERNS} patterns")]
    TooMany,
    #[error("pattern {0} is empty or longer than {MAX_PATTERN_LEN} characters")]
    Length(usize),
    #[error("pattern {0} is not a valid regular expression")]
    Invalid(usize),
    #[error("pattern {0} matches empty text")]
    MatchesEmpty(usize),
}

/// What to look for: every built-in detector that is on, and a tenant's own patterns.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    builtins: Builtins,
    custom: Vec<Regex>,
}

impl Guard {
    /// A tenant's guard. Patterns use Rust's `regex` syntax, which runs in linear time (no pattern
    /// can be made to take exponential time on a hostile message); each compiles within a size
    /// limit.
    pub fn new(builtins: Builtins, patterns: &[String]) -> Result<Self, PatternError> {
        if patterns.len() > MAX_CUSTOM_PATTERNS {
            return Err(PatternError::TooMany);
        }
        let custom = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if p.is_empty() || p.chars().count() > MAX_PATTERN_LEN {
                    return Err(PatternError::Length(i + 1));
                }
                let re = regex::RegexBuilder::new(p)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|_| PatternError::Invalid(i + 1))?;
                if re.is_match("") {
                    return Err(PatternError::MatchesEmpty(i + 1));
                }
                Ok(re)
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { builtins, custom })
    }

    /// Where personal data is in `text`, without overlaps, in order. Where two findings overlap they
    /// become one, of the earlier one's kind (of two at the same place, the more specific: an email
    /// before the phone-like digits in it), except that one holding a card is a card.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, Kind)> {
        let mut all: Vec<(Range<usize>, Kind)> = Vec::new();
        let mut add = |ranges: Vec<Range<usize>>, kind| all.extend(ranges.into_iter().map(|r| (r, kind)));
        add(patterns::emails(text), Kind::Email);
        if self.builtins.iban {
            add(patterns::ibans(text), Kind::Iban);
        }
        let cards = numbers::cards(text);
        let phones = numbers::phones(text, &cards);
        add(cards, Kind::Card);
        if self.builtins.us_ssn {
            add(patterns::us_ssns(text), Kind::NationalId);
        }
        if self.builtins.uk_nino {
            add(patterns::uk_ninos(text), Kind::NationalId);
        }
        for re in &self.custom {
            add(re.find_iter(text).map(|m| m.range()).collect(), Kind::Custom);
        }
        add(phones, Kind::Phone);
        // Stable: at one start, the order above (the more specific kind) stays first.
        all.sort_by_key(|(r, _)| r.start);
        let mut kept: Vec<(Range<usize>, Kind)> = Vec::new();
        for (range, kind) in all {
            match kept.last_mut() {
                Some((last, last_kind)) if range.start < last.end => {
                    last.end = last.end.max(range.end);
                    // A card inside a merged finding keeps it a card: never put back.
                    if kind == Kind::Card {
                        *last_kind = Kind::Card;
                    }
                }
                _ => kept.push((range, kind)),
            }
        }
        kept
    }
}

/// Whether the reader of the model's answer may see a masked value again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    Yes,
    No,
}

/// Text that may leave for the model: masked, or our own wording. `Debug` hides it (a prompt holds
/// names and messages even once masked).
#[derive(Clone, PartialEq, Eq)]
pub struct SafeText(String);

impl SafeText {
    /// Our own constant wording (no personal data can be in a `&'static str` we wrote).
    pub fn instruction(text: &'static str) -> Self {
        Self(text.to_owned())
    }

    /// Safe texts joined by `separator` (our own wording).
    pub fn join(parts: &[SafeText], separator: &'static str) -> Self {
        Self(
            parts
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join(separator),
        )
    }

    pub fn push(&mut self, more: &SafeText) {
        self.0.push_str(&more.0);
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Wraps masked text in our own wording (crate-internal: the fence).
    pub(crate) fn wrapped(before: String, inner: &SafeText, after: String) -> Self {
        Self(format!("{before}{}{after}", inner.0))
    }
}

impl fmt::Debug for SafeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SafeText({} bytes)", self.0.len())
    }
}

struct Entry {
    kind: Kind,
    number: usize,
    original: String,
    reveal: bool,
}

/// The placeholders of one conversation with the model. The same value gets the same placeholder
/// everywhere in it.
pub struct Vault<'g> {
    guard: &'g Guard,
    entries: Vec<Entry>,
}

impl fmt::Debug for Vault<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vault({} placeholders)", self.entries.len())
    }
}

static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| patterns::compile(r"\[(CARD|PHONE|EMAIL|IBAN|ID|REDACTED)_(\d{1,4})\]"));

impl<'g> Vault<'g> {
    pub fn new(guard: &'g Guard) -> Self {
        Self {
            guard,
            entries: Vec::new(),
        }
    }

    /// `text` with every finding replaced by its placeholder.
    pub fn mask(&mut self, text: &str, reveal: Reveal) -> SafeText {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (range, kind) in self.guard.find(text) {
            out.push_str(&text[at..range.start]);
            out.push_str(&self.placeholder(kind, &text[range.clone()], reveal));
            at = range.end;
        }
        out.push_str(&text[at..]);
        SafeText(out)
    }

    fn placeholder(&mut self, kind: Kind, original: &str, reveal: Reveal) -> String {
        let reveal = reveal == Reveal::Yes && kind != Kind::Card;
        let existing = self
            .entries
            .iter_mut()
            .find(|e| e.kind == kind && e.original == original);
        let entry = match existing {
            Some(e) => {
                e.reveal |= reveal;
                e
            }
            None => {
                let number = self.entries.iter().filter(|e| e.kind == kind).count() + 1;
                self.entries.push(Entry {
                    kind,
                    number,
                    original: original.to_owned(),
                    reveal,
                });
                let last = self.entries.len() - 1;
                &mut self.entries[last]
            }
        };
        format!("[{}_{}]", entry.kind.label(), entry.number)
    }

    /// How many values were masked (for metrics: never which).
    pub fn masked(&self) -> usize {
        self.entries.len()
    }

    /// The model's answer with the placeholders the reader may see put back; any other placeholder
    /// (a card, a value the reader may not see, one the model made up) stays as it is.
    pub fn restore(&self, answer: &str) -> String {
        PLACEHOLDER
            .replace_all(answer, |c: &regex::Captures<'_>| {
                let found = self.entries.iter().find(|e| {
                    e.reveal && e.kind.label() == &c[1] && c[2].parse::<usize>().is_ok_and(|n| n == e.number)
                });
                match found {
                    Some(e) => e.original.clone(),
                    None => c[0].to_owned(),
                }
            })
            .into_owned()
    }

    /// Whether the answer still holds a placeholder after [`Vault::restore`] (a value the reader may
    /// not see, or one the model made up): such an answer is not sent to a customer as it is.
    pub fn holds_placeholder(text: &str) -> bool {
        PLACEHOLDER.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn masks_and_restores_only_what_the_reader_may_see() {
        let guard = Guard::default();
        let mut vault = Vault::new(&guard);
        let lead = vault.mask(
            "I'm ana@example.com, call +1 415 555 0100; card 4111 1111 1111 1111",
            Reveal::Yes,
        );
        assert_eq!(lead.as_str(), "I'm [EMAIL_1], call [PHONE_1]; card [CARD_1]");
        let other = vault.mask("bob@example.com wrote to ana@example.com", Reveal::No);
        assert_eq!(other.as_str(), "[EMAIL_2] wrote to [EMAIL_1]");
        let answer = vault.restore("Hi [EMAIL_1] [PHONE_1] [CARD_1] [EMAIL_2] [PHONE_7]");
        assert_eq!(
            answer,
            "Hi ana@example.com +1 415 555 0100 [CARD_1] [EMAIL_2] [PHONE_7]"
        );
        assert!(Vault::holds_placeholder(&answer));
        assert_eq!(vault.masked(), 4);
        assert_eq!(format!("{lead:?}"), "SafeText(44 bytes)");
    }

    #[test]
    fn an_email_wins_over_the_digits_in_it_and_custom_patterns_apply() {
        let guard = Guard::new(Builtins::default(), &[r"(?i)\bACCT-\d{6}\b".into()]).unwrap();
        let mut vault = Vault::new(&guard);
        let text = vault.mask(
            "4155550100@example.com and ACCT-123456, ssn 123-45-6789",
            Reveal::Yes,
        );
        assert_eq!(text.as_str(), "[EMAIL_1] and [REDACTED_1], ssn [ID_1]");
    }

    #[test]
    fn a_card_inside_a_wider_finding_is_never_put_back() {
        let guard = Guard::new(Builtins::default(), &[r"ref \d{4} \d{4}".into()]).unwrap();
        let mut vault = Vault::new(&guard);
        let masked = vault.mask("ref 4111 1111 1111 1111", Reveal::Yes);
        assert_eq!(masked.as_str(), "[CARD_1]");
        assert_eq!(vault.restore("[CARD_1]"), "[CARD_1]");
    }

    #[test]
    fn bad_patterns_are_refused_with_their_position() {
        let p = |v: &[&str]| {
            Guard::new(
                Builtins::default(),
                &v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(p(&["ok", "("]).unwrap_err(), PatternError::Invalid(2));
        assert_eq!(p(&["a*"]).unwrap_err(), PatternError::MatchesEmpty(1));
        assert_eq!(p(&[""]).unwrap_err(), PatternError::Length(1));
        assert_eq!(p(&["x"; 21]).unwrap_err(), PatternError::TooMany);
        assert!(p(&["a{1000}{1000}"]).is_err());
    }
}
