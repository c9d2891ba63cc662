//! Writing back: a deal made in Palisade goes to HubSpot once (a retry after a lost answer updates
//! the same deal), with its contact; a marked interaction becomes one note even when the answer to
//! its creation was lost; when both sides changed a deal, HubSpot's version wins.
use palisade_core::crm::deals::{self, NewDeal};
use palisade_core::crm_sync::outbox;
use palisade_testkit::{HubspotFailure, Who};

use crate::common::{setup, Setup};

/// A HubSpot contact synced in as a lead of tenant A, owned by rep-a1; returns (contact, lead).
async fn synced_lead(s: &Setup) -> (u64, uuid::Uuid) {
    let rep = s.fake.add_owner("rep-a1@a.test");
    let c = s.fake.add(
        "contacts",
        &[
            ("firstname", "Writer"),
            ("email", "writer@example.com"),
            ("hubspot_owner_id", &rep.to_string()),
        ],
    );
    s.connect().await;
    s.run_to_end().await;
    let lead = s
        .text(&format!(
            "select id::text from app.leads where tenant_id = $1 and hubspot_id = {c}"
        ))
        .await
        .unwrap();
    (c, lead.parse().unwrap())
}

async fn new_deal(s: &Setup, lead: uuid::Uuid, title: &str) -> uuid::Uuid {
    let w = &s.t.world;
    let rep = w.principal(Who::RepA1).unwrap();
    let mut tx = s.t.db.user(&rep).await.unwrap();
    let input = NewDeal {
        lead_id: lead,
        title: title.into(),
        stage: None,
        amount_cents: Some(99_900),
        currency: None,
        product: None,
        owner_id: None,
    };
    let deal = deals::create(&mut tx, w.tenant_a, rep.user_id, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    deal.id
}

#[tokio::test]
async fn a_deal_made_here_reaches_hubspot_once_with_its_contact_even_when_the_answer_is_lost() {
    let s = setup().await;
    let (contact, lead) = synced_lead(&s).await;
    let deal = new_deal(&s, lead, "Home policy").await;
    // HubSpot writes the deal but the answer never arrives.
    s.fake.fail(HubspotFailure {
        lost_answer: true,
        ..HubspotFailure::new("/deals/batch/upsert", 502)
    });
    s.run().await.unwrap();
    s.run().await.unwrap();
    let in_hubspot: Vec<_> = s
        .fake
        .records("deals")
        .into_iter()
        .filter(|(_, p)| p.get("palisade_deal_id") == Some(&deal.to_string()))
        .collect();
    assert_eq!(in_hubspot.len(), 1, "one deal, however many attempts");
    let (id, props) = &in_hubspot[0];
    assert_eq!(props["dealname"], "Home policy");
    assert_eq!(props["amount"], "999.00");
    assert_eq!(props["dealstage"], "appointmentscheduled");
    assert_eq!(s.fake.associated("deals", *id, "contacts"), vec![contact]);
    let linked = s
        .text(&format!(
            "select hubspot_id::text from app.deals where tenant_id = $1 and id = '{deal}'"
        ))
        .await;
    assert_eq!(linked.unwrap(), id.to_string());
    assert!(
        s.scalar("select records_out from app.crm_sync_runs where tenant_id = $1")
            .await
            >= 1
    );

    // A change here updates that deal; the sync's own write of the link queued nothing more.
    let rep = s.t.world.principal(Who::RepA1).unwrap();
    let mut tx = s.t.db.user(&rep).await.unwrap();
    let patch = deals::DealPatch {
        title: Some("Home policy, renewed".into()),
        ..Default::default()
    };
    deals::update(
        &mut tx,
        s.t.world.tenant_a,
        palisade_db::DealId::from_uuid(deal),
        &patch,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    s.run().await.unwrap();
    assert_eq!(s.fake.records("deals")[id]["dealname"], "Home policy, renewed");
    assert_eq!(s.fake.records("deals").len(), 1);
    assert_eq!(
        s.scalar("select count(*) from app.crm_outbox where tenant_id = $1 and status = 'pending'")
            .await,
        0
    );
}

#[tokio::test]
async fn when_both_sides_change_a_deal_hubspot_wins() {
    let s = setup().await;
    let (contact, _) = synced_lead(&s).await;
    let d = s.fake.add(
        "deals",
        &[("dealname", "Original"), ("dealstage", "qualifiedtobuy")],
    );
    s.fake.associate("deals", d, "contacts", contact);
    s.run_to_end().await;
    let deal: uuid::Uuid = s
        .text(&format!(
            "select id::text from app.deals where tenant_id = $1 and hubspot_id = {d}"
        ))
        .await
        .unwrap()
        .parse()
        .unwrap();
    // Palisade changes it, then HubSpot does.
    let manager = s.t.world.principal(Who::ManagerA).unwrap();
    let mut tx = s.t.db.user(&manager).await.unwrap();
    let patch = deals::DealPatch {
        title: Some("Ours".into()),
        ..Default::default()
    };
    deals::update(
        &mut tx,
        s.t.world.tenant_a,
        palisade_db::DealId::from_uuid(deal),
        &patch,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    s.fake.update("deals", d, &[("dealname", "Theirs")]);
    s.run().await.unwrap();
    assert_eq!(
        s.fake.records("deals")[&d]["dealname"],
        "Theirs",
        "HubSpot's change was not overwritten"
    );
    let title = s
        .text(&format!(
            "select title from app.deals where tenant_id = $1 and id = '{deal}'"
        ))
        .await;
    assert_eq!(title.unwrap(), "Theirs", "and it came in");
}

#[tokio::test]
async fn a_marked_interaction_becomes_one_note_even_when_the_answer_is_lost() {
    let s = setup().await;
    let (contact, lead) = synced_lead(&s).await;
    let w = &s.t.world;
    let rep = w.principal(Who::RepA1).unwrap();
    let su = s.t.superuser().await;
    let interaction: uuid::Uuid = su
        .query_one(
            "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
             values ($1, gen_random_uuid(), $2, $3, 'call', 'outbound', 'Talked <about> renewal') returning id",
            &[w.tenant_a.as_uuid(), &lead, w.rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    let mut tx = s.t.db.user(&rep).await.unwrap();
    outbox::mark_interaction(&mut tx, w.tenant_a, rep.user_id, interaction)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Marking twice is refused.
    let mut tx = s.t.db.user(&rep).await.unwrap();
    let again = outbox::mark_interaction(&mut tx, w.tenant_a, rep.user_id, interaction).await;
    assert!(
        matches!(
            again,
            Err(palisade_core::CoreError::Conflict {
                code: "already_marked",
                ..
            })
        ),
        "{again:?}"
    );
    drop(tx);

    s.fake.fail(HubspotFailure {
        lost_answer: true,
        ..HubspotFailure::new("/crm/v3/objects/notes", 502)
    });
    s.run().await.unwrap();
    su.execute(
        "update app.crm_outbox set not_before = now() where tenant_id = $1",
        &[w.tenant_a.as_uuid()],
    )
    .await
    .unwrap();
    s.run().await.unwrap();
    let notes = s.fake.records("notes");
    assert_eq!(notes.len(), 1, "the retry found the note the lost answer made");
    let (id, note) = notes.iter().next().unwrap();
    assert!(
        note["hs_note_body"].contains("Talked &lt;about&gt; renewal"),
        "{}",
        note["hs_note_body"]
    );
    assert_eq!(s.fake.associated("notes", *id, "contacts"), vec![contact]);
    let mut tx = s.t.db.user(&rep).await.unwrap();
    let mark = outbox::marked_interaction(&mut tx, w.tenant_a, interaction)
        .await
        .unwrap();
    assert_eq!(mark.status, "done");
    assert_eq!(mark.remote_id, Some(*id as i64));
}

#[tokio::test]
async fn a_lead_erased_here_does_not_come_back_from_hubspot() {
    let s = setup().await;
    let (contact, lead) = synced_lead(&s).await;
    let w = &s.t.world;
    let admin = w.principal(Who::AdminA).unwrap();
    // An admin erases the lead (HubSpot keeps its contact: GDPR deletes are off).
    let mut tx = s.t.db.user(&admin).await.unwrap();
    let request = palisade_core::privacy::erasure::SubjectRequest {
        phone: None,
        email: None,
        lead_id: Some(lead),
    };
    let resolved =
        palisade_core::privacy::erasure::resolve(&mut tx, w.tenant_a, &request, s.syncer.phone_keys())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let mut tx =
        s.t.db
            .service(w.tenant_a, palisade_db::Purpose::Erasure)
            .await
            .unwrap();
    let id = palisade_core::privacy::erasure::start(
        &mut tx,
        w.tenant_a,
        palisade_core::privacy::erasure::Requester::Admin(admin.user_id),
        &resolved,
    )
    .await
    .unwrap();
    while palisade_core::privacy::erasure::work::step(&mut tx, w.tenant_a, id)
        .await
        .unwrap()
        != palisade_core::privacy::erasure::work::Step::Idle
    {}
    tx.commit().await.unwrap();
    let q = "select count(*) from app.leads where tenant_id = $1 and email = 'writer@example.com'";
    assert_eq!(s.scalar(q).await, 0);
    // The contact changes in HubSpot — even its address, which the erasure's suppression names —
    // and a full backfill runs again: no lead comes back (the contact's tombstone).
    s.fake
        .update("contacts", contact, &[("email", "renamed-writer@example.com")]);
    s.t.superuser()
        .await
        .execute("delete from app.crm_sync_cursors", &[])
        .await
        .unwrap();
    s.run_to_end().await;
    let renamed =
        "select count(*) from app.leads where tenant_id = $1 and email = 'renamed-writer@example.com'";
    assert_eq!(s.scalar(renamed).await, 0);
    assert_eq!(s.scalar(q).await, 0, "erased here, not recreated from HubSpot");
    assert!(
        s.scalar("select skipped from app.crm_sync_cursors where tenant_id = $1 and object = 'contacts'")
            .await
            >= 1
    );
}
