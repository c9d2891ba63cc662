//! The keyword parser under proptest: it never panics, and a keyword is recognised however it is
//! cased, spaced or punctuated around, while text around it makes it conversation.
use palisade_webhooks::keywords::{classify, Keyword};
use proptest::prelude::*;

const KEYWORDS: [(&str, Keyword); 15] = [
    ("stop", Keyword::OptOut),
    ("stopall", Keyword::OptOut),
    ("stop all", Keyword::OptOut),
    ("unsubscribe", Keyword::OptOut),
    ("cancel", Keyword::OptOut),
    ("end", Keyword::OptOut),
    ("quit", Keyword::OptOut),
    ("revoke", Keyword::OptOut),
    ("optout", Keyword::OptOut),
    ("opt out", Keyword::OptOut),
    ("start", Keyword::OptIn),
    ("unstop", Keyword::OptIn),
    ("yes", Keyword::OptIn),
    ("help", Keyword::Help),
    ("info", Keyword::Help),
];

fn recase(word: &str, mask: &[bool]) -> String {
    word.chars()
        .zip(mask.iter().cycle())
        .map(|(c, upper)| if *upper { c.to_ascii_uppercase() } else { c })
        .collect()
}

proptest! {
    #[test]
    fn never_panics(text in any::<String>()) {
        let _ = classify(&text);
    }

    #[test]
    fn keywords_survive_case_spacing_and_punctuation(
        index in 0..KEYWORDS.len(),
        mask in proptest::collection::vec(any::<bool>(), 1..8),
        before in "[ \t\n.!?\"'*()-]{0,4}",
        after in "[ \t\n.!?\"'*()-]{0,4}",
        gap in "[ \t]{1,3}",
    ) {
        let (word, expected) = KEYWORDS[index];
        let text = format!("{before}{}{after}", recase(&word.replace(' ', &gap), &mask));
        prop_assert_eq!(classify(&text), Some(expected), "{:?}", text);
    }

    #[test]
    fn a_keyword_inside_a_sentence_is_conversation(
        index in 0..KEYWORDS.len(),
        lead in "(can you|i will|we should|maybe) ",
        tail in " (by tomorrow|at noon|the car|later today)",
    ) {
        let (word, _) = KEYWORDS[index];
        let text = format!("{lead}{word}{tail}");
        prop_assert_eq!(classify(&text), None, "{:?}", text);
    }
}
