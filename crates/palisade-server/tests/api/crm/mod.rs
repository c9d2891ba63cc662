//! Customer work: consent and messages both ways, delivery, templates, lead phone numbers.
mod delivery;
mod inbound_texts;
mod messaging;
mod phones;
mod templates;
