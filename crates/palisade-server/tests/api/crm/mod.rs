//! Customer work: consent and messages both ways, delivery, templates, lead phone numbers.
mod delivery;
mod messaging;
mod phones;
mod templates;
