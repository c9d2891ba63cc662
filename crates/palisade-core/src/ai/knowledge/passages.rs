//! How an entry becomes passages, the units retrieval ranks and answers cite: an FAQ entry is its
//! question and answer; a document is cut at its paragraphs (and its `#` headings, which title the
//! passages after them) into pieces of about [`TARGET`] characters, never more than [`MAX`] (a longer
//! paragraph is cut at a sentence, else a space).
pub const TARGET: usize = 1_200;
pub const MAX: usize = 4_000;

/// One passage: its heading (the entry's title, and the section's) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub heading: String,
    pub text: String,
}

pub fn split(kind: &str, title: &str, body: &str) -> Vec<Piece> {
    if kind == "faq" {
        return cut(body, TARGET.max(MAX / 2))
            .into_iter()
            .map(|text| Piece {
                heading: title.to_owned(),
                text,
            })
            .collect();
    }
    let mut pieces = Vec::new();
    let mut section = title.to_owned();
    let mut current = String::new();
    let flush = |section: &str, current: &mut String, pieces: &mut Vec<Piece>| {
        for text in cut(current, TARGET) {
            pieces.push(Piece {
                heading: section.to_owned(),
                text,
            });
        }
        current.clear();
    };
    for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(heading) = paragraph.lines().next().and_then(|l| l.strip_prefix('#')) {
            flush(&section, &mut current, &mut pieces);
            let heading = heading.trim_start_matches('#').trim();
            section = format!("{title} — {heading}").chars().take(300).collect();
            let rest = paragraph.lines().skip(1).collect::<Vec<_>>().join("\n");
            current.push_str(rest.trim());
            continue;
        }
        if !current.is_empty() && current.len() + paragraph.len() > TARGET {
            flush(&section, &mut current, &mut pieces);
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(paragraph);
    }
    flush(&section, &mut current, &mut pieces);
    pieces
}

/// `text` in pieces of at most `limit` characters (and never more than [`MAX`]), each cut at a
/// sentence end or a space in its second half where there is one.
fn cut(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.min(MAX);
    let mut out = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > limit {
        let hard = rest.char_indices().nth(limit).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..hard];
        let at = window
            .rfind(". ")
            .map(|i| i + 1)
            .filter(|&i| i > hard / 2)
            .or_else(|| window.rfind(char::is_whitespace).filter(|&i| i > hard / 2))
            .unwrap_or(hard);
        out.push(rest[..at].trim().to_owned());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_faq_is_one_passage_and_a_document_is_cut_at_its_paragraphs_and_headings() {
        let faq = split("faq", "When are you open?", "9 to 5, Monday to Friday.");
        assert_eq!(
            faq,
            [Piece {
                heading: "When are you open?".into(),
                text: "9 to 5, Monday to Friday.".into()
            }]
        );

        let para = "Word ".repeat(150); // 750 characters
        let doc = format!(
            "Intro.\n\n# Returns\nWithin 30 days.\n\n{para}\n\n{para}\n\n## Shipping\nFree over $50."
        );
        let pieces = split("document", "Policies", &doc);
        let headings: Vec<&str> = pieces.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "Policies",
                "Policies — Returns",
                "Policies — Returns",
                "Policies — Shipping"
            ]
        );
        assert!(pieces.iter().all(|p| p.text.chars().count() <= TARGET));
        assert_eq!(pieces[3].text, "Free over $50.");
    }

    #[test]
    fn a_long_paragraph_is_cut_at_sentences_within_the_limit() {
        let long = "This is a sentence of some length. ".repeat(200);
        let pieces = split("document", "Long", &long);
        assert!(pieces.len() > 5);
        for p in &pieces {
            assert!(p.text.chars().count() <= TARGET, "{}", p.text.len());
            assert!(p.text.ends_with('.'), "{:?}", &p.text[p.text.len() - 10..]);
        }
        let joined: String = pieces
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(joined.split_whitespace().count(), long.split_whitespace().count());
    }
}
