//! The standard fixture, seeded once into the template through the same code paths the product uses.
//!
//! Tenant A: admin_a, manager_a, rep_a1, rep_a2, and removed_a (a former rep). Tenant B: admin_b and
//! rep_b1. Each rep owns one lead, one deal, one interaction, one draft, one coaching observation and
//! one voice sample; manager_a logged one more interaction on rep_a1's lead. admin_b is also a
//! platform admin.
mod ai;
mod crm;
mod messaging;
mod people;
mod platform;
mod records;
mod sign_in;

use palisade_db::connect::{connect_once, Target};
use palisade_db::{ContextRole, Db, Principal, TenantId, Tx, UserId};
use uuid::Uuid;

use people::People;
use records::{ByRep, Coaching};
use sign_in::Sessions;

/// An identity of the policy and HTTP matrices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Who {
    RepA1,
    RepA2,
    ManagerA,
    AdminA,
    AdminB,
    /// Removed from tenant A, still holding a token scoped to it.
    RemovedA,
    ServiceA,
    ReportingA,
    Auth,
    /// The service context acting for no tenant (`Db::system`): platform jobs.
    System,
}

impl Who {
    pub const ALL: [Who; 10] = [
        Who::RepA1,
        Who::RepA2,
        Who::ManagerA,
        Who::AdminA,
        Who::AdminB,
        Who::RemovedA,
        Who::ServiceA,
        Who::ReportingA,
        Who::Auth,
        Who::System,
    ];
}

#[derive(Clone, Debug)]
pub struct World {
    pub tenant_a: TenantId,
    pub tenant_b: TenantId,
    pub admin_a: UserId,
    pub manager_a: UserId,
    pub rep_a1: UserId,
    pub rep_a2: UserId,
    pub removed_a: UserId,
    pub admin_b: UserId,
    pub rep_b1: UserId,
    pub lead_a1: Uuid,
    pub lead_a2: Uuid,
    pub lead_b1: Uuid,
    pub deal_a1: Uuid,
    pub deal_a2: Uuid,
    pub deal_b1: Uuid,
    pub interaction_a1: Uuid,
    /// Logged by manager_a on rep_a1's lead.
    pub interaction_a1m: Uuid,
    pub interaction_a2: Uuid,
    pub interaction_b1: Uuid,
    pub draft_a1: Uuid,
    pub draft_a2: Uuid,
    pub draft_b1: Uuid,
    /// Written by the assistant (service context) for rep_a1.
    pub coaching_a1: Uuid,
    pub coaching_a2: Uuid,
    pub coaching_b1: Uuid,
    pub voice_a1: Uuid,
    pub voice_a2: Uuid,
    pub voice_b1: Uuid,
    /// Declared by admin_b (a platform admin), affecting tenant A.
    pub incident: Uuid,
    /// rep_a1's browser session; its cookie secret hashes to `sha256('fixture-session-a1')`.
    pub session_a1: Uuid,
    /// rep_a2's API session: refresh token `fixture-refresh-a2` was used (rotated) once, and
    /// `fixture-refresh-a2-next` is live.
    pub session_a2: Uuid,
    /// Message templates: tenant A's (SMS, marketing, by manager_a) and tenant B's.
    pub template_a: Uuid,
    pub template_b: Uuid,
}

/// SHA-256 of a fixture secret, as the sign-in functions expect it.
pub fn fixture_hash(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

async fn user_tx(db: &Db, user: UserId, tenant: Option<TenantId>) -> Tx {
    db.user(&Principal {
        user_id: user,
        tenant_id: tenant,
    })
    .await
    .unwrap()
}

impl World {
    /// The database context of `who`: (role, user id, tenant id), as the context statement takes them.
    pub fn context(&self, who: Who) -> (ContextRole, Option<UserId>, Option<TenantId>) {
        let a = Some(self.tenant_a);
        match who {
            Who::RepA1 => (ContextRole::User, Some(self.rep_a1), a),
            Who::RepA2 => (ContextRole::User, Some(self.rep_a2), a),
            Who::ManagerA => (ContextRole::User, Some(self.manager_a), a),
            Who::AdminA => (ContextRole::User, Some(self.admin_a), a),
            Who::AdminB => (ContextRole::User, Some(self.admin_b), Some(self.tenant_b)),
            Who::RemovedA => (ContextRole::User, Some(self.removed_a), a),
            Who::ServiceA => (ContextRole::Service, None, a),
            Who::ReportingA => (ContextRole::Reporting, None, a),
            Who::Auth => (ContextRole::Auth, None, None),
            Who::System => (ContextRole::Service, None, None),
        }
    }

    /// The person behind a user identity and the tenant their token is scoped to.
    pub fn principal(&self, who: Who) -> Option<Principal> {
        match self.context(who) {
            (ContextRole::User, Some(user_id), tenant_id) => Some(Principal { user_id, tenant_id }),
            _ => None,
        }
    }

    /// Seeds the fixture. The steps run in this order, each committing before the next, so that
    /// ids, timestamps and sequences come out as the tests expect.
    pub(crate) async fn seed(db: &Db, admin: &Target) -> World {
        let people = people::seed_tenants_and_people(db).await;
        let owned = records::seed_rep_records(db, &people).await;
        let interaction_a1m = records::seed_manager_note(db, &people, owned.a1.lead).await;
        let coaching = records::seed_coaching(db, &people).await;

        // What has no product path, or stands in for sealed secrets, is written as the superuser.
        let su = connect_once(admin).await.unwrap();
        platform::grant_platform_admin(&su, &people).await;
        let incident = platform::seed_platform_records(db, &people).await;
        let sessions = sign_in::seed_sessions(db).await;
        sign_in::seed_second_factor(&su, &people).await;
        sign_in::seed_password(&su, &people).await;
        messaging::seed_integrations(&su, &people).await;
        ai::seed_ai(&su, &people, &owned).await;
        crm::seed_crm(&su, &people, &owned).await;
        messaging::seed_member_phones(&su, &people).await;
        platform::seed_key_check(&su).await;
        messaging::seed_lead_contacts(&su, &owned).await;
        messaging::seed_consent_and_messages(&su, &people, &owned).await;
        let templates = messaging::seed_templates(&su, &people).await;
        sign_in::seed_oidc_identities(&su, &people).await;

        Seeded {
            people,
            owned,
            interaction_a1m,
            coaching,
            incident,
            sessions,
            templates,
        }
        .into_world()
    }
}

/// Everything `World::seed` created, step by step, before it becomes a `World`.
struct Seeded {
    people: People,
    owned: ByRep,
    interaction_a1m: Uuid,
    coaching: Coaching,
    incident: Uuid,
    sessions: Sessions,
    templates: (Uuid, Uuid),
}

impl Seeded {
    fn into_world(self) -> World {
        let People {
            tenant_a,
            tenant_b,
            admin_a,
            manager_a,
            rep_a1,
            rep_a2,
            removed_a,
            admin_b,
            rep_b1,
        } = self.people;
        let ByRep { a1, a2, b1 } = self.owned;
        World {
            tenant_a,
            tenant_b,
            admin_a,
            manager_a,
            rep_a1,
            rep_a2,
            removed_a,
            admin_b,
            rep_b1,
            lead_a1: a1.lead,
            lead_a2: a2.lead,
            lead_b1: b1.lead,
            deal_a1: a1.deal,
            deal_a2: a2.deal,
            deal_b1: b1.deal,
            interaction_a1: a1.interaction,
            interaction_a1m: self.interaction_a1m,
            interaction_a2: a2.interaction,
            interaction_b1: b1.interaction,
            draft_a1: a1.draft,
            draft_a2: a2.draft,
            draft_b1: b1.draft,
            coaching_a1: self.coaching.a1,
            coaching_a2: self.coaching.a2,
            coaching_b1: self.coaching.b1,
            voice_a1: a1.voice,
            voice_a2: a2.voice,
            voice_b1: b1.voice,
            incident: self.incident,
            session_a1: self.sessions.a1,
            session_a2: self.sessions.a2,
            template_a: self.templates.0,
            template_b: self.templates.1,
        }
    }
}
