//! What the HubSpot sync keeps in the database (migration 0044): the tenant's connection and its
//! sealed tokens ([`connection`]), the sync's lease and health ([`runs`]), where reading stopped
//! ([`cursors`]), records written into leads and deals ([`links`]), and what goes back to HubSpot
//! ([`outbox`]). The HTTP side is `palisade-hubspot`'s.
pub mod connection;
pub mod cursors;
pub mod links;
pub mod outbox;
pub mod pushed;
pub mod runs;
