//! Cost of the at-rest primitives, per operation: sealing and opening a phone-sized and an
//! integration-sized value, and computing a blind index. `bench/run` includes the figures in
//! BENCHMARKS.md.
#![allow(clippy::unwrap_used, reason = "benchmark setup")]
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use palisade_crypto::{Binding, IndexScope, KeyId, Keyring};

fn keyring() -> Keyring {
    Keyring::parse(&Keyring::generate_text(&KeyId::parse("bench").unwrap())).unwrap()
}

fn primitives(c: &mut Criterion) {
    let ring = keyring();
    let binding = Binding {
        table: "app.leads",
        column: "phone_sealed",
        tenant: Some([7; 16]),
        row: &[9; 16],
    };
    let phone = b"+14155550100";
    let secrets = br#"{"auth_token":"0123456789abcdef0123456789abcdef"}"#;
    let sealed_phone = ring.seal(phone, &binding);
    let sealed_secrets = ring.seal(secrets, &binding);
    let scope = IndexScope {
        tenant: [7; 16],
        column: "app.leads",
    };
    c.bench_function("seal phone (12 B)", |b| {
        b.iter(|| ring.seal(black_box(phone), &binding))
    });
    c.bench_function("open phone (12 B)", |b| {
        b.iter(|| ring.open(black_box(&sealed_phone), &binding).unwrap())
    });
    c.bench_function("seal secrets (52 B)", |b| {
        b.iter(|| ring.seal(black_box(secrets), &binding))
    });
    c.bench_function("open secrets (52 B)", |b| {
        b.iter(|| ring.open(black_box(&sealed_secrets), &binding).unwrap())
    });
    c.bench_function("blind index (phone)", |b| {
        b.iter(|| ring.blind_index(&scope, black_box(phone)))
    });
    c.bench_function("mask cards (200 B, one card)", |b| {
        let text = "Thanks for calling. The card on file is 4111 1111 1111 1111, expiring 12/27; \
                    we will charge the premium of $1,250.00 on 2025-03-31 as agreed, order 12345678.";
        b.iter(|| palisade_crypto::cards::mask_cards(black_box(text)).len())
    });
}

criterion_group!(benches, primitives);
criterion_main!(benches);
