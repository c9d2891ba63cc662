//! The deterministic half of the assistant's routing: where a question goes is decided by rules and
//! by a structured action, never inferred from how a reply is worded.

/// Where an inbound question goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Send this answer.
    Answer(String),
    /// Hand the conversation to a person, for this reason (a stable code).
    Handoff(&'static str),
}

/// The first forbidden topic `text` mentions: the topic's words in order, whole words, any case,
/// and a word's plural or possessive (`election` matches "Elections" and "election's"). A topic is
/// a word or a short phrase the tenant chose ("politics", "religion", "stock tips").
pub fn forbidden_topic<'t>(topics: &'t [String], text: &str) -> Option<&'t str> {
    let words: Vec<String> = words(text);
    topics.iter().map(String::as_str).find(|topic| {
        let wanted = words_of(topic);
        !wanted.is_empty()
            && words
                .windows(wanted.len())
                .any(|w| w.iter().zip(&wanted).all(|(have, want)| same_word(have, want)))
    })
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\'').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn words_of(topic: &str) -> Vec<String> {
    words(topic)
}

fn same_word(have: &str, want: &str) -> bool {
    let base = have.strip_suffix("'s").unwrap_or(have);
    base == want
        || base.strip_suffix('s') == Some(want)
        || base.strip_suffix("es") == Some(want)
        || (want.ends_with('y') && base.strip_suffix("ies") == want.strip_suffix('y'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_match_whole_words_plurals_and_phrases() {
        let topics: Vec<String> = ["politics", "religion", "stock tips", "election", "party"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            forbidden_topic(&topics, "What do you think about POLITICS?"),
            Some("politics")
        );
        assert_eq!(
            forbidden_topic(&topics, "any good stock tips?"),
            Some("stock tips")
        );
        assert_eq!(
            forbidden_topic(&topics, "the elections are soon"),
            Some("election")
        );
        assert_eq!(
            forbidden_topic(&topics, "the election's result"),
            Some("election")
        );
        assert_eq!(
            forbidden_topic(&topics, "which parties do you like"),
            Some("party")
        );
        assert_eq!(forbidden_topic(&topics, "religious holidays"), None);
        assert_eq!(forbidden_topic(&topics, "stock of tips"), None);
        assert_eq!(forbidden_topic(&topics, "When are you open?"), None);
        assert_eq!(forbidden_topic(&[], "politics"), None);
    }
}
