//! Card numbers never reach storage: the database's check (`ctx.has_unmasked_card`, migration 0014)
//! gives the same answer as the Rust masking rule on thousands of generated texts, refuses an
//! unmasked card from any writer, and the domain layer masks before writing.
use palisade_core::crm::interactions::{self, Channel, Direction, NewInteraction};
use palisade_crypto::cards::{has_unmasked_card, luhn, mask_cards};
use palisade_db::DbError;
use palisade_testkit::{test_db, Who};

/// A small deterministic generator (no test flakiness, no extra dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn luhn_complete(prefix: &str) -> String {
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|c| luhn(c.as_bytes()))
        .unwrap()
}

/// Texts of digit groups, separators, letters and punctuation; a third get a Luhn-valid number
/// inserted somewhere (often merging with the digits around it, which is the interesting case).
fn corpus(count: usize) -> Vec<String> {
    let mut rng = Lcg(0x5eed);
    let pieces = [" ", "-", " - ", "  ", "    ", "a", ".", "/", ",", "--", "x "];
    (0..count)
        .map(|i| {
            let mut text = String::new();
            for _ in 0..rng.next(8) + 1 {
                let digits = rng.next(10) + 1;
                for _ in 0..digits {
                    text.push(char::from(b'0' + rng.next(10) as u8));
                }
                text.push_str(pieces[rng.next(pieces.len() as u64) as usize]);
            }
            if i % 3 == 0 {
                let len = 12 + rng.next(7);
                let prefix: String = (0..len).map(|_| char::from(b'0' + rng.next(10) as u8)).collect();
                let card = luhn_complete(&prefix);
                let at = rng.next(text.len() as u64 + 1) as usize;
                let at = (0..=at).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(0);
                text.insert_str(at, &card);
            }
            text
        })
        .collect()
}

#[tokio::test]
async fn the_database_and_the_masking_code_agree_on_what_is_a_card_number() {
    let t = test_db().await;
    let su = t.superuser().await;
    let texts = corpus(3000);
    let rows = su
        .query(
            "select s, ctx.has_unmasked_card(s), ctx.has_unmasked_card(m) \
             from unnest($1::text[], $2::text[]) as x(s, m)",
            &[
                &texts,
                &texts
                    .iter()
                    .map(|s| mask_cards(s).into_owned())
                    .collect::<Vec<_>>(),
            ],
        )
        .await
        .unwrap();
    let mut cards = 0;
    for row in &rows {
        let text: String = row.get(0);
        let in_sql: bool = row.get(1);
        assert_eq!(in_sql, has_unmasked_card(&text), "{text:?}");
        assert!(!row.get::<_, bool>(2), "masked text still holds a card: {text:?}");
        cards += usize::from(in_sql);
    }
    assert_eq!(rows.len(), 3000);
    assert!(
        cards > 300 && cards < 2700,
        "the corpus has both kinds: {cards} with a card"
    );
}

#[tokio::test]
async fn an_unmasked_card_is_refused_whoever_writes_it_and_the_domain_masks_first() {
    let t = test_db().await;
    let w = &t.world;
    let rep = w.principal(Who::RepA1).unwrap();
    let mut tx = t.db.user(&rep).await.unwrap();
    let err = tx
        .execute(
            "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
             values ($1, gen_random_uuid(), $2, $3, 'note', 'internal', 'card 4111-1111-1111-1111 ok')",
            &[w.tenant_a.as_uuid(), &w.lead_a1, w.rep_a1.as_uuid()],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DbError::Check { constraint } if constraint == "interactions_body_no_card"),
        "{err:?}"
    );
    drop(tx);
    // Every writer is held to it, even the superuser, on every free-text column.
    let su = t.superuser().await;
    for (table, sql) in [
        ("drafts", "insert into app.drafts (tenant_id, id, owner_id, channel, body) values ($1, gen_random_uuid(), $2, 'sms', '5555 5555 5555 4444')"),
        ("coaching", "insert into app.coaching_observations (tenant_id, id, owner_id, category, observation) values ($1, gen_random_uuid(), $2, 'x', 'read 378282246310005 aloud')"),
    ] {
        let err = su.execute(sql, &[w.tenant_a.as_uuid(), w.rep_a1.as_uuid()]).await.unwrap_err();
        assert_eq!(err.code(), Some(&tokio_postgres::error::SqlState::CHECK_VIOLATION), "{table}");
    }

    // Through the domain layer the same body is stored masked.
    let mut tx = t.db.user(&rep).await.unwrap();
    let created = interactions::create(
        &mut tx,
        w.tenant_a,
        rep.user_id,
        &NewInteraction {
            lead_id: w.lead_a1,
            channel: Channel::Note,
            direction: Direction::Internal,
            body: Some("card 4111-1111-1111-1111 ok".into()),
            occurred_at: None,
            advised: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(created.body.as_deref(), Some("card ****-****-****-1111 ok"));
}
