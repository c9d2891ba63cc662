//! Inbound keywords. A message is read as a whole: trimmed, case-folded (after NFKC, so full-width
//! and styled letters count), apostrophes dropped, and split into words at spaces and punctuation.
//! A keyword is recognised only when it is the entire message, give or take a "please" or "thanks":
//! a sentence that merely contains "stop" is not a STOP.
//!
//! * Opt-out: STOP, STOPALL, STOP ALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT, OPT OUT (the
//!   carriers' and Twilio's list), and plain revocation phrases ("stop texting me", "unsubscribe
//!   me", "don't message me", "take me off your list"…): the FCC lets consent be revoked by any
//!   reasonable means.
//! * Opt-in: START, UNSTOP, YES.
//! * Help: HELP, INFO.
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    OptOut,
    OptIn,
    Help,
}

/// Messages longer than this are conversation, not keywords.
const MAX_CHARS: usize = 160;

pub fn classify(message: &str) -> Option<Keyword> {
    if message.chars().count() > MAX_CHARS {
        return None;
    }
    let words = words(message);
    let words = strip_courtesy(&words);
    let joined = words.join(" ");
    if OPT_OUT.contains(&joined.as_str()) || revocation_phrase(words) {
        return Some(Keyword::OptOut);
    }
    if OPT_IN.contains(&joined.as_str()) {
        return Some(Keyword::OptIn);
    }
    if HELP.contains(&joined.as_str()) {
        return Some(Keyword::Help);
    }
    None
}

const OPT_OUT: [&str; 10] = [
    "stop",
    "stopall",
    "stop all",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
    "opt out",
];
const OPT_IN: [&str; 3] = ["start", "unstop", "yes"];
const HELP: [&str; 2] = ["help", "info"];

fn words(message: &str) -> Vec<String> {
    let folded: String = message
        .nfkc()
        .flat_map(char::to_lowercase)
        // "don't", "don’t" and "dont" are one word.
        .filter(|c| !matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '`'))
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Drops a leading "please" and trailing "please", "pls", "thanks", "thank you", "now".
fn strip_courtesy(words: &[String]) -> &[String] {
    let mut words = words;
    if words.first().is_some_and(|w| w == "please" || w == "pls") {
        words = &words[1..];
    }
    loop {
        let n = words.len();
        if n >= 2 && words[n - 2] == "thank" && words[n - 1] == "you" {
            words = &words[..n - 2];
        } else if n >= 1 && matches!(words[n - 1].as_str(), "please" | "pls" | "thanks" | "thx" | "now") {
            words = &words[..n - 1];
        } else {
            return words;
        }
    }
}

/// One slot of a phrase: any of these words, or nothing when optional.
struct Slot(&'static [&'static str], bool);

const fn one(words: &'static [&'static str]) -> Slot {
    Slot(words, false)
}
const fn maybe(words: &'static [&'static str]) -> Slot {
    Slot(words, true)
}

const CONTACT: &[&str] = &[
    "text",
    "texting",
    "txt",
    "txting",
    "message",
    "messaging",
    "msg",
    "messages",
    "texts",
    "contact",
    "contacting",
    "email",
    "emailing",
    "emails",
    "call",
    "calling",
    "send",
    "sending",
    "sms",
    "whatsapp",
];
const ME: &[&str] = &["me", "us", "this", "number"];
const AGAIN: &[&str] = &["again", "anymore", "ever"];
const LIST: &[&str] = &["list", "lists", "mailing", "contacts", "database"];

/// Revocation phrases, matched against the whole message.
const PHRASES: &[&[Slot]] = &[
    // stop texting me (again) · stop sending (me) messages · stop all texts
    &[
        one(&["stop", "quit", "cease", "end"]),
        maybe(&["all"]),
        one(CONTACT),
        maybe(ME),
        maybe(&["messages", "texts"]),
        maybe(AGAIN),
    ],
    // unsubscribe me · opt me out · remove me (from your list) · take me off (your/the/this) list
    &[
        one(&["unsubscribe", "remove", "delete"]),
        one(&["me", "us", "this", "my"]),
        maybe(&["number"]),
        maybe(&["from"]),
        maybe(&["your", "the", "this", "all"]),
        maybe(LIST),
    ],
    &[one(&["opt"]), one(&["me", "us"]), one(&["out"])],
    &[
        one(&["take"]),
        one(&["me", "us", "my"]),
        maybe(&["number"]),
        one(&["off"]),
        maybe(&["your", "the", "this"]),
        maybe(LIST),
    ],
    // don't / do not / never text me (again)
    &[one(&["dont", "never"]), one(CONTACT), one(ME), maybe(AGAIN)],
    &[one(&["do"]), one(&["not"]), one(CONTACT), one(ME), maybe(AGAIN)],
    // no more texts / messages
    &[one(&["no"]), one(&["more"]), one(CONTACT)],
    // i want to unsubscribe / opt out
    &[
        one(&["i"]),
        one(&["want", "wish", "would"]),
        maybe(&["like"]),
        one(&["to"]),
        one(&["unsubscribe", "optout", "stop"]),
    ],
    &[
        one(&["i"]),
        one(&["want", "wish", "would"]),
        maybe(&["like"]),
        one(&["to"]),
        one(&["opt"]),
        one(&["out"]),
    ],
];

fn revocation_phrase(words: &[String]) -> bool {
    PHRASES.iter().any(|phrase| matches_slots(phrase, words))
}

fn matches_slots(slots: &[Slot], words: &[String]) -> bool {
    match slots.split_first() {
        None => words.is_empty(),
        Some((Slot(options, optional), rest)) => {
            let takes = words.first().is_some_and(|w| options.contains(&w.as_str()))
                && matches_slots(rest, &words[1..]);
            takes || (*optional && matches_slots(rest, words))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carrier_keywords_in_any_case_spacing_and_punctuation() {
        for text in [
            "STOP",
            "stop",
            " Stop. ",
            "STOP!!!",
            "\"stop\"",
            "Stop 🛑",
            "STOPALL",
            "stop all",
            "Stop-All",
            "UNSUBSCRIBE",
            "cancel",
            "End",
            "QUIT",
            "revoke",
            "OPTOUT",
            "opt out",
            "Opt-Out",
            "ＳＴＯＰ",
            "stop please",
            "Please STOP",
            "stop thank you",
        ] {
            assert_eq!(classify(text), Some(Keyword::OptOut), "{text:?}");
        }
        for text in ["START", "unstop", "Yes!", "yes."] {
            assert_eq!(classify(text), Some(Keyword::OptIn), "{text:?}");
        }
        for text in ["HELP", "help?", "Info"] {
            assert_eq!(classify(text), Some(Keyword::Help), "{text:?}");
        }
    }

    #[test]
    fn plain_revocation_phrases_are_opt_outs() {
        for text in [
            "stop texting me",
            "Stop texting me!",
            "please stop messaging me",
            "STOP SENDING ME MESSAGES",
            "stop all texts",
            "unsubscribe me",
            "Unsubscribe me from your list",
            "remove me from your list please",
            "take me off your list",
            "opt me out",
            "don't message me",
            "Don’t text me again",
            "do not contact me",
            "never text me again",
            "no more texts",
            "I want to opt out",
            "i would like to unsubscribe",
        ] {
            assert_eq!(classify(text), Some(Keyword::OptOut), "{text:?}");
        }
    }

    #[test]
    fn conversation_is_not_a_keyword() {
        for text in [
            "Can you stop by tomorrow?",
            "I'll stop at the office",
            "yes I'd like a quote",
            "help me choose a plan",
            "don't forget our call",
            "end of month works",
        ] {
            assert_eq!(classify(text), None, "{text:?}");
        }
        assert_eq!(classify(&"stop ".repeat(40)), None, "too long to be a keyword");
        assert_eq!(classify(""), None);
        assert_eq!(classify("   ...  "), None);
    }
}
