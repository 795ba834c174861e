//! The label-sheet bar: 10,000 labels (5x13, PIN, version-3 QR each) in at
//! most 5 s and 10 MB. One iteration is a whole sheet run, so few samples.
//!
//! cargo bench -p ocop-stamp --bench labels

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ocop_stamp::print::{write_pdf, Layout, OwnedLabel, QrMatrix};

const N: u64 = 10_000;
const MAX_BYTES: usize = 10_000_000;

/// Random-looking codes and PINs, as the real ones are: QR patterns and
/// digits that repeat would flatter the compression.
fn label(i: u64) -> OwnedLabel {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66_D1CE_4E5B;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let code: String = (0..16)
        .map(|_| char::from(ALPHABET[(next() >> 59) as usize]))
        .collect();
    OwnedLabel {
        qr_content: format!("HTTPS://OCOP.QUANGNINH.GOV.VN/S/{code}"),
        code_display: format!(
            "{}-{}-{}-{}",
            &code[..4],
            &code[4..8],
            &code[8..12],
            &code[12..]
        ),
        product_name: "Nước mắm Cái Rồng".to_owned(),
        stars: Some(4),
        pin: Some(format!("{:08}", next() % 100_000_000)),
    }
}

fn sheet(out: &mut Vec<u8>) {
    out.clear();
    let layout = Layout::parse("5x13").unwrap();
    write_pdf(
        &mut *out,
        &layout,
        "Tem OCOP",
        (0..N).map(label),
        &mut |_| {},
    )
    .unwrap();
}

fn labels(c: &mut Criterion) {
    assert_eq!(QrMatrix::new(&label(0).qr_content).unwrap().version(), 3);
    let mut out = Vec::with_capacity(MAX_BYTES);
    sheet(&mut out);
    eprintln!(
        "labels/pdf_5x13_10k: {} bytes ({:.2} MB, {} bytes a label, {} pages)",
        out.len(),
        out.len() as f64 / 1e6,
        out.len() as u64 / N,
        N.div_ceil(65)
    );
    assert!(
        out.len() <= MAX_BYTES,
        "{} bytes is over the 10 MB bar",
        out.len()
    );

    let mut g = c.benchmark_group("labels");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(N));
    g.bench_function("pdf_5x13_10k", |b| {
        b.iter(|| {
            sheet(&mut out);
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, labels);
criterion_main!(benches);
