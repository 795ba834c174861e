//! Code + PIN derivation per stamp: the export and verification paths both pay this.

use chrono::Utc;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ocop_stamp::{CodeBook, KeyRing, StampCode};
use std::hint::black_box;

fn book() -> CodeBook {
    CodeBook::new(&KeyRing::first([42u8; 32], Utc::now()))
}

fn derive(c: &mut Criterion) {
    let book = book();
    let signer = book.signer(1).unwrap();
    let mut g = c.benchmark_group("derive");
    const N: u64 = 10_000;
    g.throughput(Throughput::Elements(N));
    g.bench_function("code_and_pin_10k", |b| {
        b.iter(|| {
            for serial in 1_000_000..1_000_000 + N {
                black_box(signer.code(serial).unwrap().to_chars());
                black_box(signer.pin(serial).unwrap().to_digits());
            }
        })
    });
    g.bench_function("parse_and_check_10k", |b| {
        let codes: Vec<String> = (1..=N).map(|s| signer.code(s).unwrap().grouped()).collect();
        b.iter_batched(
            || codes.clone(),
            |codes| {
                for text in &codes {
                    let code = StampCode::parse(text).unwrap();
                    let serial = book.serial_of(&code);
                    black_box(book.tag_matches(1, serial, &code));
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, derive);
criterion_main!(benches);
