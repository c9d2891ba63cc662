//! Retrieval in PostgreSQL full-text search: the question's words, stemmed in each passage's
//! language, any of them matching (`websearch_to_tsquery` with `or`), ranked by cover density, and
//! scored by coverage — the share of the question's *known* stems the passage holds, known meaning
//! found somewhere in the tenant's knowledge base. Greetings and filler ("hi", "could you tell me")
//! are then not held against a passage, and a question none of whose words the knowledge base uses
//! matches nothing. An answer is only attempted from passages that cover at least [`MIN_COVERAGE`];
//! `docs/ai.md` gives the hit rates the evaluation measured for this choice.
use palisade_db::{FromRow, Row, TenantId, Tx};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::CoreError;

/// At most this many words of a question are searched for.
const MAX_WORDS: usize = 32;
/// The share of a question's stems a passage must hold to be answered from.
pub const MIN_COVERAGE: f64 = 0.5;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Passage {
    pub entry_id: Uuid,
    pub ord: i32,
    pub heading: String,
    pub text: String,
    /// Cover-density rank (higher is better; comparable within one search).
    pub rank: f32,
    /// The share of the question's stems known to the knowledge base that this passage holds (0–1).
    pub coverage: f64,
}

impl FromRow for Passage {
    fn from_row(row: &Row) -> Result<Self, palisade_db::DbError> {
        Ok(Self {
            entry_id: row.try_get("entry_id")?,
            ord: row.try_get("ord")?,
            heading: row.try_get("heading")?,
            text: row.try_get("text")?,
            rank: row.try_get("rank")?,
            coverage: row.try_get("coverage")?,
        })
    }
}

/// The search: `$1` the tenant, `$2` [`search_text`] of the question, `$3` how many passages.
pub const SEARCH_SQL: &str = "with langs as (select distinct language from app.knowledge_passages where tenant_id = $1), \
             q as (select l.language, websearch_to_tsquery(app.knowledge_config(l.language), $2) as query, \
                          array(select s from unnest(tsvector_to_array( \
                                  to_tsvector(app.knowledge_config(l.language), $2))) s \
                                where exists (select from app.knowledge_passages x \
                                              where x.tenant_id = $1 and x.language = l.language \
                                                and x.search @@ plainto_tsquery('simple', s))) as known \
                   from langs l) \
             select p.entry_id, p.ord, p.heading, p.text, ts_rank_cd(p.search, q.query, 1) as rank, \
                    (select count(*) from unnest(q.known) s where s = any (tsvector_to_array(p.search)))::float8 \
                      / greatest(cardinality(q.known), 1) as coverage \
             from q join app.knowledge_passages p on p.tenant_id = $1 and p.language = q.language \
             where p.search @@ q.query \
             order by coverage desc, rank desc, p.entry_id, p.ord limit $3";

/// The question as a search: its words joined by `or` (only letters and digits, so nothing in it
/// is taken for search syntax).
pub fn search_text(question: &str) -> String {
    question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("or"))
        .take(MAX_WORDS)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The passages that best match `question`, best first (members in their context, or the
/// assistant in the service context).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn search(
    tx: &mut Tx,
    tenant: TenantId,
    question: &str,
    limit: i64,
) -> Result<Vec<Passage>, CoreError> {
    let text = search_text(question);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    Ok(tx
        .query_as(SEARCH_SQL, &[tenant.as_uuid(), &text, &limit])
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_becomes_its_words_or_ed_and_nothing_else() {
        assert_eq!(
            search_text("When are you open on Saturday?"),
            "When or are or you or open or on or Saturday"
        );
        assert_eq!(search_text("\"quoted\" -not OR or (x)"), "quoted or not or x");
        assert_eq!(search_text("¿Dónde está?"), "Dónde or está");
        assert_eq!(search_text("!!!"), "");
    }
}
