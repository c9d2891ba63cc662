//! Company export in the database: every table is exported or left out for a stated reason; an
//! admin's export (user context, row-level security) and an operator's (service context, purpose
//! `company_export`) hold exactly the same rows; neither holds a member's private rows or a
//! credential; and nothing else can read what purpose `company_export` opens.
use std::collections::{BTreeMap, BTreeSet};

use futures::StreamExt;
use palisade_core::phone::PhoneKeys;
use palisade_core::privacy::company_export::{self, Format, Opener, EXCLUDED, EXPORTED};
use palisade_core::privacy::registry;
use palisade_crypto::{KeyId, Keyring};
use palisade_db::{Purpose, TenantId, Tx};
use palisade_testkit::{test_db, Who};

fn keyring(id: &str) -> Keyring {
    Keyring::parse(&Keyring::generate_text(&KeyId::parse(id).unwrap())).unwrap()
}

#[test]
fn every_table_is_exported_or_left_out_for_a_reason() {
    let listed: BTreeSet<&str> = registry::listed_columns().map(|(t, _)| t).collect();
    let exported: BTreeSet<&str> = EXPORTED.iter().map(|t| t.name).collect();
    let excluded: BTreeSet<&str> = EXCLUDED.iter().map(|(t, _)| *t).collect();
    assert_eq!(exported.len(), EXPORTED.len(), "a table exported twice");
    assert!(
        exported.is_disjoint(&excluded),
        "exported and excluded: {:?}",
        exported.intersection(&excluded)
    );
    let decided: BTreeSet<&str> = exported.union(&excluded).copied().collect();
    assert_eq!(
        decided, listed,
        "every table of the registry is exported or excluded, and no other"
    );
    for table in registry::tables().filter(|t| t.rep_private) {
        assert!(
            excluded.contains(table.name),
            "{} is rep-private: not in a company export",
            table.name
        );
    }
    let files: BTreeSet<&str> = EXPORTED.iter().map(|t| t.file).collect();
    assert_eq!(files.len(), EXPORTED.len(), "two tables with one file name");
}

/// Every exported table read in `tx`, as JSON lines, by file name.
async fn export_all(mut tx: Tx, tenant: TenantId, keys: &Keyring) -> BTreeMap<&'static str, Vec<String>> {
    company_export::prepare(&mut tx, None).await.unwrap();
    let opener = Opener {
        keys: PhoneKeys {
            seal: keys,
            index: keys,
        },
        tenant,
    };
    let mut out = BTreeMap::new();
    for table in EXPORTED {
        let plan = company_export::plan(&mut tx, table).await.unwrap();
        let (mut chunks, received) = futures::channel::mpsc::channel(4);
        let (rows, bytes) = tokio::join!(
            async {
                let rows = company_export::write(&mut tx, &plan, Format::Jsonl, opener, &mut chunks).await;
                drop(chunks);
                rows.unwrap_or_else(|e| panic!("{}: {e}", table.name))
            },
            received.map(|c| c.unwrap().to_vec()).concat(),
        );
        let text = String::from_utf8(bytes).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        assert_eq!(lines.len() as u64, rows, "{}: one line per row", table.name);
        lines.sort();
        out.insert(table.file, lines);
    }
    tx.commit().await.unwrap();
    out
}

#[tokio::test]
async fn admins_and_operators_export_the_same_rows_and_never_a_private_one() {
    let t = test_db().await;
    let w = &t.world;
    let keys = keyring("k1");
    let admin = w.principal(Who::AdminA).unwrap();
    let by_admin = export_all(
        t.db.user(&admin).await.unwrap().snapshot().unwrap(),
        w.tenant_a,
        &keys,
    )
    .await;
    let service =
        t.db.service(w.tenant_a, Purpose::CompanyExport)
            .await
            .unwrap()
            .snapshot()
            .unwrap();
    let by_operator = export_all(service, w.tenant_a, &keys).await;
    assert_eq!(
        by_admin, by_operator,
        "the operator's export holds exactly the admin's rows"
    );

    let everything = by_operator
        .values()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for t in [
        "leads",
        "deals",
        "interactions",
        "memberships",
        "audit_events",
        "users",
    ] {
        assert!(!by_operator[t].is_empty(), "{t} exported");
    }
    // A rep's drafts, coaching and voice samples appear nowhere, not even in the audit trail.
    for private in [
        w.draft_a1,
        w.draft_a2,
        w.coaching_a1,
        w.coaching_a2,
        w.voice_a1,
        w.voice_a2,
    ] {
        assert!(
            !everything.contains(&private.to_string()),
            "a rep-private row was exported"
        );
    }
    // Nothing of tenant B.
    for other in [
        w.tenant_b.to_string(),
        w.lead_b1.to_string(),
        w.admin_b.to_string(),
    ] {
        assert!(
            !everything.contains(&other),
            "tenant B's data in tenant A's export"
        );
    }
    // No credential or blind index (the audit trail shows only that one was set).
    let tables = by_operator.iter().filter(|(file, _)| **file != "audit_events");
    let rows = tables
        .flat_map(|(_, lines)| lines)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    let audit = by_operator["audit_events"].join("\n");
    for column in [
        "secret_sealed",
        "token_hash",
        "phone_index",
        "email_index",
        "address_index",
        "phone_sealed",
        "content_hash",
        "code_sha256",
    ] {
        assert!(!rows.contains(&format!("\"{column}\"")), "{column} exported");
        let named = audit.matches(&format!("\"{column}\"")).count();
        let hidden = audit.matches(&format!("\"{column}\": \"[sealed]\"")).count()
            + audit.matches(&format!("\"{column}\": null")).count();
        assert_eq!(named, hidden, "{column} in the trail");
    }
    assert!(by_operator["outbound_messages"]
        .iter()
        .all(|l| l.contains("\"member_id\":null")));
    assert!(by_operator["audit_events"]
        .iter()
        .all(|l| l.contains("\"private\":false")));
    assert!(!by_operator["users"]
        .iter()
        .any(|l| l.contains(&w.removed_a.to_string())));
}

#[tokio::test]
async fn the_export_purpose_opens_nothing_to_other_purposes_or_tenants() {
    let t = test_db().await;
    let w = &t.world;
    let count = async |purpose: Purpose, sql: &str| -> i64 {
        let mut tx = t.db.service(w.tenant_a, purpose).await.unwrap();
        let n: i64 = tx.query_one(sql, &[]).await.unwrap().get(0);
        tx.rollback().await.unwrap();
        n
    };
    for sql in [
        "select count(*) from app.users",
        "select count(*) from audit.events",
        "select count(*) from audit.access_events",
        "select count(*) from app.invitations",
    ] {
        assert_eq!(count(Purpose::Webhook, sql).await, 0, "{sql} as a webhook");
        assert!(count(Purpose::CompanyExport, sql).await > 0, "{sql} as an export");
    }
    let tenant_b = format!(
        "select count(*) from audit.events where tenant_id = '{}'",
        w.tenant_b
    );
    assert_eq!(count(Purpose::CompanyExport, &tenant_b).await, 0);
    // The slug lookup is for the export purpose alone.
    let mut tx = t.db.system(Purpose::Webhook).await.unwrap();
    assert!(tx.query("select app.tenant_for_export('a')", &[]).await.is_err());
}
