//! The registry's own consistency; `tests/db/privacy_registry.rs` checks it against the database.
use std::collections::BTreeSet;

use super::*;

#[test]
fn every_table_is_listed_once_and_no_column_twice() {
    let mut names = BTreeSet::new();
    for name in tables()
        .map(|t| t.name)
        .chain(NO_PERSONAL_DATA.iter().map(|t| t.name))
    {
        assert!(names.insert(name), "{name} is listed twice");
    }
    for (table, columns) in listed_columns() {
        let mut seen = BTreeSet::new();
        for c in columns {
            assert!(seen.insert(c), "{table}.{c} is listed twice");
        }
    }
}

/// The column a path compares, with the kinds it may hold (None: any listed column).
fn compared(path: Path) -> (&'static str, Option<&'static [Kind]>) {
    match path {
        Path::LeadRow => ("id", Some(&[Kind::LeadId])),
        Path::PersonRow => ("id", Some(&[Kind::PersonId])),
        Path::Lead(c) | Path::LeadList(c) => (c, Some(&[Kind::LeadId])),
        Path::Person(c) => (c, Some(&[Kind::PersonId])),
        Path::LeadIndex(c) | Path::PersonIndex(c) => (c, Some(&[Kind::BlindIndex])),
        Path::LeadEmail(c) | Path::PersonEmail(c) => (c, Some(&[Kind::Email])),
        Path::Session(c) | Path::AuditOfPerson(c) => (c, None),
        Path::AuditOfInvitation => ("after", Some(&[Kind::Json])),
    }
}

#[test]
fn every_path_compares_a_listed_column_of_the_right_kind() {
    for t in tables() {
        for (path, _) in t.paths {
            let (column, kinds) = compared(*path);
            let listed = t.kind_of(column).is_some() || t.other.contains(&column);
            assert!(listed, "{}: {path:?} reads {column}, which is not listed", t.name);
            if let Some(kinds) = kinds {
                let kind = t.kind_of(column);
                assert!(
                    kind.is_some_and(|k| kinds.contains(&k)),
                    "{}: {path:?} reads {column}, which the registry lists as {kind:?}",
                    t.name
                );
            }
        }
    }
}

#[test]
fn rows_and_audit_paths_belong_to_their_table() {
    for t in tables() {
        for (path, _) in t.paths {
            match path {
                Path::LeadRow => assert_eq!(t.name, "app.leads"),
                Path::PersonRow => assert_eq!(t.name, "app.users"),
                Path::AuditOfPerson(_) | Path::AuditOfInvitation => assert_eq!(t.name, "audit.events"),
                Path::Session(_) => assert!(t.name.starts_with("auth."), "{}: {path:?}", t.name),
                _ => {}
            }
        }
    }
}

#[test]
fn every_id_and_email_column_is_reached() {
    for t in tables() {
        for (column, kind) in t.personal {
            if !matches!(kind, Kind::LeadId | Kind::PersonId | Kind::Email) {
                continue;
            }
            assert!(
                t.paths.iter().any(|(p, _)| compared(*p).0 == *column),
                "{}.{column} holds a {kind:?} but no path reads it: export and erasure would miss it",
                t.name
            );
        }
    }
}

/// A number or an email may be a lead's in one tenant and a member's somewhere else: a lead's
/// address must never reach a member's private or sign-in rows. (A rep's drafts and coaching about a
/// lead are reached by the lead's id, and go with the lead.)
#[test]
fn a_lead_s_address_never_reaches_a_person_s_rows() {
    for t in tables().filter(|t| t.rep_private || t.name.starts_with("auth.")) {
        for (path, _) in t.paths {
            assert!(
                path.subject() == Subject::Person || matches!(path, Path::Lead(_)) && t.rep_private,
                "{}: {path:?}",
                t.name
            );
        }
    }
}

#[test]
fn rep_private_rows_go_with_their_owner() {
    for t in tables().filter(|t| t.rep_private) {
        assert!(
            t.paths
                .iter()
                .any(|(p, e)| *p == Path::Person("owner_id") && *e == Erasure::Delete),
            "{} is rep-private: erasing its owner must delete it",
            t.name
        );
    }
}
