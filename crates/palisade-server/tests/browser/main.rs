//! Journeys in a real browser (headless Chromium through chromedriver): each role signs in with the
//! magic link from the development mailbox, does its job, and sees the result; no page breaks its
//! Content-Security-Policy; forms work from the keyboard.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed setup fails the test"
)]
mod assistant;
mod chrome;
mod journeys;
mod operators;
