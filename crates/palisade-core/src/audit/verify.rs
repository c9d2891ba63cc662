//! Walking every audit chain in the database. An operator tool, not a request path: it needs a
//! connection that reads past row-level security (the database admin), which is why it takes a plain
//! client rather than a context transaction. `palisade audit verify` and the tests use it.
use std::collections::BTreeMap;

use futures::TryStreamExt;
use uuid::Uuid;

use super::chain::{Break, Hash, Link, Verifier};
use super::events::AuditEvent;
use palisade_db::FromRow;

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("database: {0}")]
    Db(#[from] tokio_postgres::Error),
    /// A row that does not read as an audit event.
    #[error("audit row: {0}")]
    Row(#[from] palisade_db::DbError),
    #[error("no tenant with slug `{0}`")]
    UnknownTenant(String),
    #[error("corrupt audit row: {0}")]
    Corrupt(&'static str),
}

/// The verdict on one chain.
#[derive(Debug)]
pub struct ChainReport {
    pub chain_id: Uuid,
    /// `tenant <slug>`, `platform`, or `chain <id> (tenant deleted)`.
    pub label: String,
    pub checked: u64,
    /// The first broken link: its sequence number and what is wrong.
    pub broken: Option<(i64, Break)>,
    /// Events recorded but not yet linked by the sealer (not yet covered by the chain).
    pub pending: i64,
}

/// Links with their events; a link whose event is gone has NULLs on the event side (`e.id` is NULL).
const LINKS: &str = "select l.chain_id, l.seq, e.tenant_id, e.table_name, e.op, e.row_key, e.actor_user_id, \
     e.actor_kind, e.actor_role, e.purpose, e.correlation_id, e.lead_id, e.owner_id, e.private, l.occurred_at, \
     e.before, e.after, e.before::text as before_text, e.after::text as after_text, \
     e.redacted_at is not null as redacted, e.content_hash, l.hash, l.event_id, e.id \
     from audit.chain_links l left join audit.events e on e.id = l.event_id and e.occurred_at = l.occurred_at";

/// Events that are neither linked nor pending: their queue entry was removed before the sealer ran.
const UNLINKED: &str = "select e.chain_id, min(e.id) as event_id from audit.events e \
     where not exists (select from audit.chain_links l where l.event_id = e.id and l.occurred_at = e.occurred_at) \
       and not exists (select from audit.pending p where p.event_id = e.id) group by e.chain_id";

/// `Ok(None)` for a link whose event is missing.
fn link(row: &tokio_postgres::Row) -> Result<Result<Link, i64>, VerifyError> {
    let event_id: i64 = row.try_get("event_id")?;
    // `e.id`: NULL when the left join found no event.
    if row.try_get::<_, Option<i64>>("id")?.is_none() {
        return Ok(Err(event_id));
    }
    Ok(Ok(Link {
        chain_id: row.try_get("chain_id")?,
        seq: row.try_get("seq")?,
        tenant_id: row.try_get("tenant_id")?,
        event: AuditEvent::from_row(row)?,
        before_text: row.try_get("before_text")?,
        after_text: row.try_get("after_text")?,
        content_hash: row.try_get("content_hash")?,
        hash: row.try_get("hash")?,
    }))
}

/// `sql` selects `chain_id, seq, hash`.
async fn pairs<C: tokio_postgres::GenericClient>(
    client: &C,
    sql: &str,
) -> Result<BTreeMap<Uuid, (i64, Vec<u8>)>, VerifyError> {
    let rows = client.query(sql, &[]).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("chain_id")?, (r.try_get("seq")?, r.try_get("hash")?))))
        .collect()
}

fn to_hash(bytes: &[u8]) -> Result<Hash, VerifyError> {
    bytes
        .try_into()
        .map_err(|_| VerifyError::Corrupt("a stored hash is not 32 bytes"))
}

/// Recomputes every chain (or one tenant's) from the stored events, anchors and heads.
pub async fn verify<C: tokio_postgres::GenericClient>(
    client: &C,
    tenant_slug: Option<&str>,
) -> Result<Vec<ChainReport>, VerifyError> {
    let names: BTreeMap<Uuid, String> = client
        .query("select id, slug from app.tenants", &[])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("slug")?)))
        .collect::<Result<_, VerifyError>>()?;
    let only = match tenant_slug {
        None => None,
        Some(slug) => match names.iter().find(|(_, s)| s.as_str() == slug) {
            Some((id, _)) => Some(*id),
            None => return Err(VerifyError::UnknownTenant(slug.to_owned())),
        },
    };
    let heads = pairs(client, "select chain_id, seq, hash from audit.chain_heads").await?;
    let anchors = pairs(client, "select chain_id, seq, hash from audit.chain_anchors").await?;
    let label = |chain: &Uuid| match names.get(chain) {
        Some(slug) => format!("tenant {slug}"),
        None if chain.is_nil() => "platform".to_owned(),
        None => format!("chain {chain} (tenant deleted)"),
    };
    let new_verifier = |chain: &Uuid| -> Result<Verifier, VerifyError> {
        Ok(Verifier::new(match anchors.get(chain) {
            Some((seq, hash)) => Some((*seq, to_hash(hash)?)),
            None => None,
        }))
    };

    let (sql, params): (String, Vec<Uuid>) = match only {
        Some(id) => (
            format!("{LINKS} where l.chain_id = $1 order by l.chain_id, l.seq"),
            vec![id],
        ),
        None => (format!("{LINKS} order by l.chain_id, l.seq"), vec![]),
    };
    let unlinked: BTreeMap<Uuid, i64> = client
        .query(UNLINKED, &[])
        .await?
        .iter()
        .map(|r| Ok((r.try_get("chain_id")?, r.try_get("event_id")?)))
        .collect::<Result<_, VerifyError>>()?;
    let pending: BTreeMap<Uuid, i64> = client
        .query(
            "select e.chain_id, count(*) as pending from audit.pending p \
             join audit.events e on e.id = p.event_id and e.occurred_at = p.occurred_at group by e.chain_id",
            &[],
        )
        .await?
        .iter()
        .map(|r| Ok((r.try_get("chain_id")?, r.try_get("pending")?)))
        .collect::<Result<_, VerifyError>>()?;
    let stream = client.query_raw(&sql, params.iter()).await?;
    futures::pin_mut!(stream);
    let mut results: BTreeMap<Uuid, super::chain::Outcome> = BTreeMap::new();
    let mut current: Option<(Uuid, Verifier)> = None;
    while let Some(row) = stream.try_next().await? {
        let chain: Uuid = row.try_get("chain_id")?;
        if current.as_ref().is_none_or(|(c, _)| *c != chain) {
            if let Some((c, v)) = current.take() {
                results.insert(c, v.finish(heads.get(&c).cloned()));
            }
            current = Some((chain, new_verifier(&chain)?));
        }
        if let Some((_, v)) = current.as_mut() {
            match link(&row)? {
                Ok(l) => v.push(&l),
                Err(event_id) => v.fail(row.try_get("seq")?, Break::MissingEvent { event_id }),
            }
        }
    }
    if let Some((c, v)) = current.take() {
        results.insert(c, v.finish(heads.get(&c).cloned()));
    }
    // Chains whose head exists but whose events are all gone.
    for (chain, head) in &heads {
        if only.is_some_and(|o| o != *chain) || results.contains_key(chain) {
            continue;
        }
        results.insert(*chain, new_verifier(chain)?.finish(Some(head.clone())));
    }
    for (chain, event_id) in &unlinked {
        if only.is_some_and(|o| o != *chain) {
            continue;
        }
        let outcome = results.entry(*chain).or_insert(super::chain::Outcome {
            checked: 0,
            broken: None,
        });
        if outcome.broken.is_none() {
            outcome.broken = Some((0, Break::Unlinked { event_id: *event_id }));
        }
    }
    Ok(results
        .into_iter()
        .map(|(chain_id, outcome)| ChainReport {
            chain_id,
            label: label(&chain_id),
            checked: outcome.checked,
            broken: outcome.broken,
            pending: pending.get(&chain_id).copied().unwrap_or(0),
        })
        .collect())
}
