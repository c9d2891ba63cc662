//! What the reps own: CRM records and their private records (drafts, coaching, voice samples and the
//! voice-drafting opt-in they need).
use palisade_core::crm::{deals, interactions, leads};
use palisade_core::private::{self, coaching, drafts, voice, voice_consent};
use palisade_crypto::{KeyId, Keyring};
use palisade_db::{Db, Purpose, TenantId, Tx, UserId};
use uuid::Uuid;

use super::people::People;
use super::user_tx;

/// The records one rep owns.
#[derive(Clone, Copy, Debug)]
pub(super) struct Owned {
    pub lead: Uuid,
    pub deal: Uuid,
    pub interaction: Uuid,
    pub draft: Uuid,
    pub voice: Uuid,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct ByRep {
    pub a1: Owned,
    pub a2: Owned,
    pub b1: Owned,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Coaching {
    pub a1: Uuid,
    pub a2: Uuid,
    pub b1: Uuid,
}

pub(super) async fn seed_rep_records(db: &Db, p: &People) -> ByRep {
    // Fixture leads have no phone number, so these keys seal nothing; servers have their own.
    let keys = Keyring::parse(&Keyring::generate_text(&KeyId::parse("fixture").unwrap())).unwrap();
    ByRep {
        a1: seed_owned(db, p.rep_a1, p.tenant_a, &keys).await,
        a2: seed_owned(db, p.rep_a2, p.tenant_a, &keys).await,
        b1: seed_owned(db, p.rep_b1, p.tenant_b, &keys).await,
    }
}

/// Everything a rep owns, created as that rep in one transaction.
async fn seed_owned(db: &Db, rep: UserId, tenant: TenantId, keys: &Keyring) -> Owned {
    let mut tx = user_tx(db, rep, Some(tenant)).await;
    let lead = create_lead(&mut tx, tenant, rep, keys).await;
    let deal = create_deal(&mut tx, tenant, rep, lead).await;
    let interaction = create_inbound_text(&mut tx, tenant, rep, lead).await;
    let draft = create_draft(&mut tx, tenant, rep, lead).await;
    let opt_in = voice_consent::OptIn {
        text_version: "voice-v1".into(),
    };
    assert!(voice_consent::opt_in(&mut tx, tenant, rep, &opt_in)
        .await
        .unwrap());
    let voice = create_voice_sample(&mut tx, tenant, rep).await;
    tx.commit().await.unwrap();
    Owned {
        lead,
        deal,
        interaction,
        draft,
        voice,
    }
}

async fn create_lead(tx: &mut Tx, tenant: TenantId, rep: UserId, keys: &Keyring) -> Uuid {
    let lead = leads::create(
        tx,
        tenant,
        rep,
        &leads::NewLead {
            name: "Lead".into(),
            email: Some("lead@x.test".into()),
            phone: None,
            status: None,
            source: None,
            owner_id: None,
        },
        palisade_core::phone::PhoneKeys {
            seal: keys,
            index: keys,
        },
    )
    .await
    .unwrap();
    lead.id
}

async fn create_deal(tx: &mut Tx, tenant: TenantId, rep: UserId, lead: Uuid) -> Uuid {
    let deal = deals::create(
        tx,
        tenant,
        rep,
        &deals::NewDeal {
            lead_id: lead,
            title: "Deal".into(),
            stage: Some(deals::Stage::Proposal),
            amount_cents: Some(10_000),
            currency: None,
            product: Some("Term life".into()),
            owner_id: None,
        },
    )
    .await
    .unwrap();
    deal.id
}

async fn create_inbound_text(tx: &mut Tx, tenant: TenantId, rep: UserId, lead: Uuid) -> Uuid {
    let interaction = interactions::create(
        tx,
        tenant,
        rep,
        &interactions::NewInteraction {
            lead_id: lead,
            // An inbound text (a lead may be sent a reply to HELP within an hour of one).
            channel: interactions::Channel::Sms,
            direction: interactions::Direction::Inbound,
            body: Some("Is the quote ready?".into()),
            occurred_at: None,
            advised: false,
        },
    )
    .await
    .unwrap();
    interaction.id
}

async fn create_draft(tx: &mut Tx, tenant: TenantId, rep: UserId, lead: Uuid) -> Uuid {
    let draft = private::create::<drafts::Draft>(
        tx,
        tenant,
        rep,
        &drafts::NewDraft {
            lead_id: Some(lead),
            channel: drafts::DraftChannel::Email,
            subject: Some("Follow-up".into()),
            body: "Private draft".into(),
        },
    )
    .await
    .unwrap();
    draft.id
}

async fn create_voice_sample(tx: &mut Tx, tenant: TenantId, rep: UserId) -> Uuid {
    let sample = private::create::<voice::VoiceSample>(
        tx,
        tenant,
        rep,
        &voice::NewVoiceSample {
            label: "Intro".into(),
            storage_key: "voice/intro.wav".into(),
            duration_ms: 5000,
            transcript: Some("Hello".into()),
        },
    )
    .await
    .unwrap();
    sample.id
}

/// manager_a's note on rep_a1's lead.
pub(super) async fn seed_manager_note(db: &Db, p: &People, lead_a1: Uuid) -> Uuid {
    let mut tx = user_tx(db, p.manager_a, Some(p.tenant_a)).await;
    let i = interactions::create(
        &mut tx,
        p.tenant_a,
        p.manager_a,
        &interactions::NewInteraction {
            lead_id: lead_a1,
            channel: interactions::Channel::Note,
            direction: interactions::Direction::Internal,
            body: Some("Manager note".into()),
            occurred_at: None,
            advised: false,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    i.id
}

pub(super) async fn seed_coaching(db: &Db, p: &People) -> Coaching {
    Coaching {
        a1: seed_assistant_coaching(db, p.tenant_a, p.rep_a1).await,
        a2: seed_own_note(db, p.rep_a2, p.tenant_a).await,
        b1: seed_own_note(db, p.rep_b1, p.tenant_b).await,
    }
}

fn observation(text: &str) -> coaching::NewObservation {
    coaching::NewObservation {
        lead_id: None,
        category: "talk-ratio".into(),
        observation: text.into(),
    }
}

/// rep_a1's coaching comes from the assistant (service context: insert only).
async fn seed_assistant_coaching(db: &Db, tenant: TenantId, rep: UserId) -> Uuid {
    let mut tx = db.service(tenant, Purpose::Assistant).await.unwrap();
    let id = coaching::record_for_member(&mut tx, tenant, rep, &observation("AI: slow down"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn seed_own_note(db: &Db, rep: UserId, tenant: TenantId) -> Uuid {
    let mut tx = user_tx(db, rep, Some(tenant)).await;
    let o = private::create::<coaching::Observation>(&mut tx, tenant, rep, &observation("my note"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    o.id
}
