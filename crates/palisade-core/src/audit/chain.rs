//! The audit hash chain, recomputed independently of the database (migration 0007's sealer writes
//! it):
//!
//! `hash_n = sha256(hash_{n-1} || utf8(meta_n) || content_hash_n)`, `hash_0` = 32 zero bytes, where
//! `meta_n` frames each field as `<length in characters>:<value>` (`~` for NULL) and
//! `content_hash_n = sha256(utf8(before_text || "\n" || after_text))` (NULL as the empty string).
//!
//! Redacted events keep their content hash, so the chain still verifies; only their content can no
//! longer be checked against it.
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::events::AuditEvent;

pub type Hash = [u8; 32];

pub const GENESIS: Hash = [0; 32];

/// Everything the chain hash covers: the link (`audit.chain_links`) and its event — the same
/// [`AuditEvent`] the API shows — with the event's content as PostgreSQL prints it, which is what
/// the content hash covers.
#[derive(Debug, Clone)]
pub struct Link {
    pub chain_id: Uuid,
    pub seq: i64,
    pub tenant_id: Option<Uuid>,
    pub event: AuditEvent,
    /// `before::text` and `after::text`; `None` when NULL.
    pub before_text: Option<String>,
    pub after_text: Option<String>,
    pub content_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

fn frame(out: &mut String, value: Option<&str>) {
    match value {
        None => out.push('~'),
        Some(v) => {
            out.push_str(&v.chars().count().to_string());
            out.push(':');
            out.push_str(v);
        }
    }
}

impl Link {
    pub fn meta_text(&self) -> String {
        let uuid = |u: Option<Uuid>| u.map(|u| u.to_string());
        let e = &self.event;
        let mut out = String::with_capacity(512);
        frame(&mut out, Some(&self.seq.to_string()));
        frame(&mut out, Some(&e.id.to_string()));
        frame(&mut out, Some(&self.chain_id.to_string()));
        frame(&mut out, uuid(self.tenant_id).as_deref());
        frame(&mut out, Some(&e.table));
        frame(&mut out, Some(&e.op));
        frame(&mut out, Some(&e.row_key));
        frame(&mut out, uuid(e.actor_user_id).as_deref());
        frame(&mut out, Some(&e.actor_kind));
        frame(&mut out, e.actor_role.as_deref());
        frame(&mut out, e.purpose.as_deref());
        frame(&mut out, e.correlation_id.as_deref());
        frame(&mut out, uuid(e.lead_id).as_deref());
        frame(&mut out, uuid(e.owner_id).as_deref());
        frame(&mut out, Some(if e.private { "t" } else { "f" }));
        // Microseconds since the Unix epoch: PostgreSQL keeps timestamps to the microsecond.
        frame(&mut out, Some(&e.occurred_at.timestamp_micros().to_string()));
        out
    }

    pub fn computed_content_hash(&self) -> Hash {
        let mut h = Sha256::new();
        h.update(self.before_text.as_deref().unwrap_or("").as_bytes());
        h.update(b"\n");
        h.update(self.after_text.as_deref().unwrap_or("").as_bytes());
        h.finalize().into()
    }

    /// The hash this link must carry after `prev`.
    pub fn computed_hash(&self, prev: &Hash) -> Hash {
        let mut h = Sha256::new();
        h.update(prev);
        h.update(self.meta_text().as_bytes());
        h.update(&self.content_hash);
        h.finalize().into()
    }
}

/// Why a chain does not verify, at the first link that fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// A link points at an event that no longer exists (the event was deleted).
    MissingEvent { event_id: i64 },
    /// An event is neither linked nor queued for linking (its queue entry was removed).
    Unlinked { event_id: i64 },
    /// A sequence number is missing or repeated (a link was deleted or inserted).
    Sequence { expected: i64, found: i64 },
    /// The content no longer matches its hash (before/after were altered).
    Content,
    /// The link's hash does not follow from the previous one (metadata or hashes were altered).
    Hash,
    /// The chain ends before its recorded head (events were removed from the end).
    Head { head_seq: i64, last_seq: i64 },
    /// The head's hash differs from the last event's hash.
    HeadHash,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingEvent { event_id } => write!(f, "event {event_id} is linked but missing (deleted)"),
            Self::Unlinked { event_id } => {
                write!(f, "event {event_id} is neither linked nor waiting to be linked")
            }
            Self::Sequence { expected, found } => {
                write!(
                    f,
                    "expected seq {expected}, found {found} (events missing or inserted)"
                )
            }
            Self::Content => write!(f, "content does not match its hash (before/after altered)"),
            Self::Hash => write!(
                f,
                "hash does not follow from the previous link (metadata or hash altered)"
            ),
            Self::Head { head_seq, last_seq } => {
                write!(
                    f,
                    "chain head is at seq {head_seq} but the last event is seq {last_seq}"
                )
            }
            Self::HeadHash => write!(f, "chain head hash differs from the last event's hash"),
        }
    }
}

/// Walks one chain in sequence order, starting after an anchor (or the genesis).
#[derive(Debug)]
pub struct Verifier {
    anchored: bool,
    prev: Hash,
    next_seq: i64,
    broken: Option<(i64, Break)>,
    checked: u64,
}

impl Verifier {
    /// `anchor`: the last (seq, hash) of events dropped by retention, if any.
    pub fn new(anchor: Option<(i64, Hash)>) -> Self {
        let anchored = anchor.is_some();
        let (seq, prev) = anchor.unwrap_or((0, GENESIS));
        Self {
            anchored,
            prev,
            next_seq: seq + 1,
            broken: None,
            checked: 0,
        }
    }

    /// Feeds the next link. After the first break, later links are ignored.
    pub fn push(&mut self, link: &Link) {
        if self.broken.is_some() {
            return;
        }
        // Links at or below the anchor are older than the verified starting point: a month boundary can
        // leave one (sealed after a newer event, recorded in the older month) in a kept partition.
        if link.seq < self.next_seq && self.anchored {
            return;
        }
        self.checked += 1;
        if link.seq != self.next_seq {
            self.broken = Some((
                link.seq,
                Break::Sequence {
                    expected: self.next_seq,
                    found: link.seq,
                },
            ));
            return;
        }
        // A redacted event must really be blank: the flag is not covered by the chain, so it cannot be
        // allowed to excuse altered content.
        let content_ok = if link.event.redacted {
            link.before_text.is_none() && link.after_text.is_none()
        } else {
            link.computed_content_hash().as_slice() == link.content_hash.as_slice()
        };
        if !content_ok {
            self.broken = Some((link.seq, Break::Content));
            return;
        }
        let expected = link.computed_hash(&self.prev);
        if expected.as_slice() != link.hash.as_slice() {
            self.broken = Some((link.seq, Break::Hash));
            return;
        }
        self.prev = expected;
        self.next_seq += 1;
    }

    /// Records a break found outside the hash arithmetic (a link whose event is missing).
    pub fn fail(&mut self, seq: i64, why: Break) {
        if self.broken.is_none() {
            self.checked += 1;
            self.broken = Some((seq, why));
        }
    }

    /// Compares the end of the chain with its recorded head and returns the first break, if any.
    pub fn finish(mut self, head: Option<(i64, Vec<u8>)>) -> Outcome {
        if self.broken.is_none() {
            if let Some((head_seq, head_hash)) = head {
                let last_seq = self.next_seq - 1;
                if head_seq != last_seq {
                    self.broken = Some((last_seq + 1, Break::Head { head_seq, last_seq }));
                } else if head_hash.as_slice() != self.prev.as_slice() && last_seq > 0 {
                    self.broken = Some((last_seq, Break::HeadHash));
                }
            }
        }
        Outcome {
            checked: self.checked,
            broken: self.broken,
        }
    }
}

#[derive(Debug)]
pub struct Outcome {
    pub checked: u64,
    /// The sequence number where the chain first breaks, and why.
    pub broken: Option<(i64, Break)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(seq: i64, prev: &Hash) -> (Link, Hash) {
        let mut l = Link {
            chain_id: Uuid::nil(),
            seq,
            tenant_id: None,
            event: AuditEvent {
                id: seq * 10,
                table: "leads".into(),
                op: "INSERT".into(),
                row_key: format!("k{seq}"),
                actor_user_id: None,
                actor_kind: "system".into(),
                actor_role: None,
                purpose: Some("a|b:c".into()),
                correlation_id: None,
                lead_id: None,
                owner_id: None,
                private: false,
                before: None,
                after: None,
                redacted: false,
                occurred_at: chrono::DateTime::from_timestamp_micros(1_700_000_000_000_000 + seq).unwrap(),
            },
            before_text: None,
            after_text: Some(format!("{{\"n\": {seq}}}")),
            content_hash: vec![],
            hash: vec![],
        };
        l.content_hash = l.computed_content_hash().to_vec();
        let h = l.computed_hash(prev);
        l.hash = h.to_vec();
        (l, h)
    }

    fn chain(n: i64) -> Vec<Link> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|s| {
                let (l, h) = link(s, &prev);
                prev = h;
                l
            })
            .collect()
    }

    fn verify(links: &[Link]) -> Outcome {
        let mut v = Verifier::new(None);
        for l in links {
            v.push(l);
        }
        let last = links.last().map(|l| (l.seq, l.hash.clone()));
        v.finish(last)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let out = verify(&chain(5));
        assert_eq!(out.checked, 5);
        assert_eq!(out.broken, None);
    }

    #[test]
    fn framing_is_unambiguous() {
        let (a, _) = link(1, &GENESIS);
        let mut b = a.clone();
        b.event.purpose = Some("a".into());
        b.event.correlation_id = Some("b:c".into());
        assert_ne!(a.meta_text(), b.meta_text());
        assert!(a.meta_text().contains("5:a|b:c"));
    }

    #[test]
    fn every_kind_of_tampering_is_found_at_its_link() {
        let mut links = chain(5);
        links[2].after_text = Some("{\"n\": 99}".into());
        assert_eq!(verify(&links).broken, Some((3, Break::Content)));

        let mut links = chain(5);
        links[1].event.actor_kind = "user".into();
        assert_eq!(verify(&links).broken, Some((2, Break::Hash)));

        let mut links = chain(5);
        links.remove(3);
        assert!(matches!(
            verify(&links).broken,
            Some((
                5,
                Break::Sequence {
                    expected: 4,
                    found: 5
                }
            ))
        ));

        let links = chain(5);
        let mut v = Verifier::new(None);
        for l in &links[..4] {
            v.push(l);
        }
        let out = v.finish(Some((5, links[4].hash.clone())));
        assert!(matches!(
            out.broken,
            Some((
                5,
                Break::Head {
                    head_seq: 5,
                    last_seq: 4
                }
            ))
        ));
    }

    #[test]
    fn redaction_keeps_the_chain_verifiable() {
        let mut links = chain(3);
        links[1].before_text = None;
        links[1].after_text = None;
        links[1].event.redacted = true;
        assert_eq!(verify(&links).broken, None);
    }

    #[test]
    fn a_redaction_flag_does_not_excuse_altered_content() {
        let mut links = chain(3);
        links[1].after_text = Some("{\"n\": 99}".into());
        links[1].event.redacted = true;
        assert_eq!(verify(&links).broken, Some((2, Break::Content)));
    }

    #[test]
    fn an_anchor_starts_the_chain_after_dropped_links() {
        let links = chain(6);
        let mut anchor = [0u8; 32];
        anchor.copy_from_slice(&links[2].hash);
        let mut v = Verifier::new(Some((3, anchor)));
        // A straggler below the anchor left in a kept partition is skipped, not a break.
        v.push(&links[1]);
        for l in &links[3..] {
            v.push(l);
        }
        assert_eq!(v.finish(Some((6, links[5].hash.clone()))).broken, None);
    }
}
