//! The personal-data registry: every table Palisade keeps, every column classified, and how each
//! row is reached from a subject — a lead (someone the tenant talks to) or a person (someone who
//! signs in). Subject export and erasure read this list, and a catalog test
//! (`tests/db/privacy_registry.rs`) fails when a migration adds a table or a column it does not
//! classify, so nothing personal can be added without deciding how it is found and erased.
//! docs/privacy.md explains the choices.

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A person's name, or a label a person may have chosen.
    Name,
    /// An email address in plain text.
    Email,
    /// A phone number sealed with AES-GCM: readable only with the keyring.
    SealedPhone,
    /// A keyed blind index of a phone number or an email (per tenant and key): not reversible, but
    /// it singles the person out.
    BlindIndex,
    /// Free text a person wrote or said, or that was written about them.
    FreeText,
    /// The id of a person (a user, member, owner or actor).
    PersonId,
    /// The id of a lead.
    LeadId,
    /// An IP address or a user agent.
    NetworkTrace,
    /// A JSON document that may embed any of the above.
    Json,
    /// A credential or its digest (secret, token, code, password hash). Never exported.
    Credential,
    /// An id a provider or an identity issuer gave the person or their message.
    ExternalId,
    /// Where a person is (a time zone).
    Location,
}

/// How rows of a table are found from a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// The lead's own row (`app.leads`).
    LeadRow,
    /// Rows of the lead's tenant whose column holds the lead's id.
    Lead(&'static str),
    /// The person's own row (`app.users`).
    PersonRow,
    /// Rows whose column holds the person's user id (in every tenant they belong to).
    Person(&'static str),
    /// Rows of the tenant whose column holds one of the subject's blind indexes (every key's).
    Index(&'static str),
    /// Rows whose column holds the subject's email, compared in lower case.
    Email(&'static str),
    /// Rows of the person's sessions (the column holds an `auth.sessions` id).
    Session(&'static str),
}

/// What erasing a subject does to the rows a path finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erasure {
    /// The rows are deleted.
    Delete,
    /// The rows stay for the tenant (what the person did as a member: their notes, deals, sends),
    /// attributed to the person's row, which is itself de-identified.
    Deidentify,
    /// The content is blanked in place; the row and its hash stay, so the audit chains still verify.
    Redact,
    /// The rows are kept, with the reason (law, evidence, or the promise never to message the
    /// person again).
    Keep(&'static str),
}

/// One table: its personal columns with their kind, every other column by name, and the paths from a
/// subject with what erasure does to what each finds.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    pub name: &'static str,
    pub personal: &'static [(&'static str, Kind)],
    pub other: &'static [&'static str],
    pub paths: &'static [(Path, Erasure)],
    /// Rep-private: the owner's alone (DESIGN §3). A company export leaves it out; the owner's own
    /// export includes it.
    pub rep_private: bool,
}

impl Table {
    pub fn kind_of(&self, column: &str) -> Option<Kind> {
        self.personal.iter().find(|(c, _)| *c == column).map(|(_, k)| *k)
    }
}

mod app;
mod audit_auth;

pub use audit_auth::NO_PERSONAL_DATA;

/// Every table that holds personal data. Tables that hold none are in [`NO_PERSONAL_DATA`].
pub fn tables() -> impl Iterator<Item = &'static Table> {
    app::TABLES.iter().chain(audit_auth::TABLES)
}

/// The table called `name` (schema-qualified).
pub fn table(name: &str) -> Option<&'static Table> {
    tables().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_table_is_listed_once_and_no_column_twice() {
        let mut names = BTreeSet::new();
        for name in tables()
            .map(|t| t.name)
            .chain(NO_PERSONAL_DATA.iter().map(|(t, _)| *t))
        {
            assert!(names.insert(name), "{name} is listed twice");
        }
        for t in tables() {
            let mut columns = BTreeSet::new();
            for c in t.personal.iter().map(|(c, _)| *c).chain(t.other.iter().copied()) {
                assert!(columns.insert(c), "{}.{c} is listed twice", t.name);
            }
        }
    }

    #[test]
    fn every_path_names_a_listed_column_that_holds_what_the_path_compares() {
        for t in tables() {
            for (path, _) in t.paths {
                let (column, expected): (&str, &[Kind]) = match path {
                    Path::LeadRow => ("id", &[Kind::LeadId]),
                    Path::PersonRow => ("id", &[Kind::PersonId]),
                    Path::Lead(c) => (c, &[Kind::LeadId]),
                    Path::Person(c) => (c, &[Kind::PersonId]),
                    Path::Index(c) => (c, &[Kind::BlindIndex]),
                    Path::Email(c) => (c, &[Kind::Email]),
                    Path::Session(c) => {
                        assert!(t.other.contains(c), "{}.{c} is not listed", t.name);
                        continue;
                    }
                };
                let kind = t.kind_of(column);
                assert!(
                    kind.is_some_and(|k| expected.contains(&k)),
                    "{}: {path:?} reads {column}, which the registry lists as {kind:?}",
                    t.name
                );
            }
        }
    }

    #[test]
    fn only_the_rows_themselves_are_reached_as_rows() {
        for t in tables() {
            for (path, _) in t.paths {
                match path {
                    Path::LeadRow => assert_eq!(t.name, "app.leads"),
                    Path::PersonRow => assert_eq!(t.name, "app.users"),
                    _ => {}
                }
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
}
