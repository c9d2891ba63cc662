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

/// Whose data a path finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Someone a tenant talks to, within that tenant.
    Lead,
    /// Someone who signs in, in every tenant they belong to.
    Person,
}

/// How rows of a table are found from a subject. A lead's paths stay inside the lead's tenant, and
/// a lead's address never reaches a person's rows (nor the reverse): the same number or email may
/// belong to a lead in one tenant and to a member elsewhere, and erasing one must not touch the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// The lead's own row (`app.leads`).
    LeadRow,
    /// Rows of the lead's tenant whose column holds the lead's id.
    Lead(&'static str),
    /// Rows of the lead's tenant whose array column lists the lead's id among others.
    LeadList(&'static str),
    /// Rows of the lead's tenant whose column holds one of the lead's blind indexes (every key's).
    LeadIndex(&'static str),
    /// Rows of the lead's tenant whose column holds the lead's email, compared in lower case.
    LeadEmail(&'static str),
    /// The person's own row (`app.users`).
    PersonRow,
    /// Rows whose column holds the person's user id.
    Person(&'static str),
    /// Rows whose column holds one of the blind indexes of a member's verified phone.
    PersonIndex(&'static str),
    /// Rows whose column holds the person's email, compared in lower case.
    PersonEmail(&'static str),
    /// Rows of the person's sessions (the column holds an `auth.sessions` id).
    Session(&'static str),
    /// Audit events of the person's own rows (users, memberships, platform administrators): the
    /// column holds the row's key, which is the person's id.
    AuditOfPerson(&'static str),
    /// Audit events of invitations sent to the person's email (their content names it).
    AuditOfInvitation,
}

impl Path {
    pub fn subject(self) -> Subject {
        match self {
            Self::LeadRow | Self::Lead(_) | Self::LeadList(_) | Self::LeadIndex(_) | Self::LeadEmail(_) => {
                Subject::Lead
            }
            _ => Subject::Person,
        }
    }
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
    /// The column is set to null; the row stays (a setting that named the person).
    Clear,
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
    /// Rep-private: the owner's alone (DESIGN §1.2). A company export leaves it out; the owner's own
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

/// A table that holds no personal data: every column, and why.
#[derive(Clone, Copy, Debug)]
pub struct Impersonal {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub why: &'static str,
}

pub use audit_auth::NO_PERSONAL_DATA;

/// Every table that holds personal data. Tables that hold none are in [`NO_PERSONAL_DATA`].
pub fn tables() -> impl Iterator<Item = &'static Table> {
    app::TABLES.iter().chain(audit_auth::TABLES)
}

/// Every listed table, personal or not, with every column the registry names for it.
pub fn listed_columns() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    let personal = tables().map(|t| {
        let columns = t.personal.iter().map(|(c, _)| *c).chain(t.other.iter().copied());
        (t.name, columns.collect())
    });
    personal.chain(NO_PERSONAL_DATA.iter().map(|t| (t.name, t.columns.to_vec())))
}

#[cfg(test)]
mod tests;
