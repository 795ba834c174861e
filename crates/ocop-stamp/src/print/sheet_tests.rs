use lopdf::{Document, Object};

use super::*;
use crate::print::OwnedLabel;

const NAMES: [&str; 3] = ["Cà phê Đông Triều", "Nước mắm Cái Rồng", "ƯƠ ỳ ữ ặ"];

/// Label `i` as a caller would derive it from a serial: 16-character code,
/// upper-case URL, 8-digit PIN.
pub(crate) fn label(i: u64) -> OwnedLabel {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66_D1CE_4E5B;
    let code: String = (0..16)
        .map(|_| {
            x = x.rotate_left(5).wrapping_mul(0x2545_F491_4F6C_DD1D);
            char::from(ALPHABET[(x >> 59) as usize])
        })
        .collect();
    let display = [&code[0..4], &code[4..8], &code[8..12], &code[12..16]].join("-");
    OwnedLabel {
        qr_content: format!("HTTPS://OCOP.QUANGNINH.GOV.VN/S/{code}"),
        code_display: display,
        product_name: NAMES[(i % 3) as usize].to_owned(),
        stars: Some(3 + (i % 3) as u8),
        pin: Some(format!("{:08}", x % 100_000_000)),
    }
}

fn sheet(layout: &str, count: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let layout = Layout::parse(layout).unwrap();
    write_pdf(
        &mut out,
        &layout,
        "Nhãn OCOP",
        (0..count).map(label),
        &mut |_| {},
    )
    .unwrap();
    out
}

#[test]
fn page_count_is_labels_over_cells_rounded_up() {
    for (layout, count, pages) in [
        ("5x13", 1, 1),
        ("5x13", 65, 1),
        ("5x13", 66, 2),
        ("3x8", 49, 3),
    ] {
        let doc = Document::load_mem(&sheet(layout, count)).unwrap();
        assert_eq!(doc.get_pages().len(), pages, "{count} labels at {layout}");
    }
}

#[test]
fn font_is_embedded_as_a_subset_with_a_unicode_map() {
    let doc = Document::load_mem(&sheet("4x10", 3)).unwrap();
    let mut font_files = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object
            .as_dict()
            .or_else(|_| object.as_stream().map(|s| &s.dict))
        else {
            continue;
        };
        if dict.has(b"FontFile2") {
            font_files += 1;
            let stream = doc
                .get_object(dict.get(b"FontFile2").unwrap().as_reference().unwrap())
                .unwrap();
            let subset = stream.as_stream().unwrap().decompressed_content().unwrap();
            assert!(subset.len() < 60_000, "subset is {} bytes", subset.len());
            ttf_parser::Face::parse(&subset, 0).expect("the subset is a valid TrueType font");
            let name = dict.get(b"FontName").unwrap().as_name().unwrap();
            assert!(name.ends_with(b"+DejaVuSans") && name[..6].iter().all(u8::is_ascii_uppercase));
        }
        if dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0") {
            assert_eq!(
                dict.get(b"Encoding").unwrap().as_name().unwrap(),
                b"Identity-H"
            );
            assert!(dict.has(b"ToUnicode"));
        }
    }
    assert_eq!(font_files, 1);
}

#[test]
fn text_extracts_with_vietnamese_names_codes_and_pins() {
    let doc = Document::load_mem(&sheet("5x13", 3)).unwrap();
    let text = doc.extract_text(&[1]).unwrap();
    let first = label(0);
    // 5x13 cells are narrow: long names are cut, with "…".
    assert!(text.contains("Nước mắm Cái…"), "{text:?}");
    assert!(text.contains("ƯƠ ỳ ữ ặ"), "{text:?}");
    assert!(text.contains("Cà phê Đông"), "{text:?}");
    assert!(text.contains(&first.code_display[..9]), "{text:?}");
    assert!(
        text.contains(&format!("PIN: {}", first.pin.unwrap())),
        "{text:?}"
    );
    assert!(text.contains("OCOP ★★★"), "{text:?}");

    let wide = Document::load_mem(&sheet("3x8", 3))
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    for name in NAMES {
        assert!(wide.contains(name), "{name:?} missing from {wide:?}");
    }
}

#[test]
fn title_and_print_scaling_are_set() {
    let doc = Document::load_mem(&sheet("4x10", 1)).unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let title = doc.get_dictionary(info).unwrap().get(b"Title").unwrap();
    assert_eq!(lopdf::decode_text_string(title).unwrap(), "Nhãn OCOP");
    let catalog = doc.catalog().unwrap();
    let prefs = catalog
        .get(b"ViewerPreferences")
        .unwrap()
        .as_dict()
        .unwrap();
    assert_eq!(
        prefs.get(b"PrintScaling").unwrap().as_name().unwrap(),
        b"None"
    );
}

#[test]
fn progress_counts_labels_page_by_page() {
    let mut seen = Vec::new();
    let layout = Layout::parse("4x10").unwrap();
    write_pdf(
        std::io::sink(),
        &layout,
        "t",
        (0..95).map(label),
        &mut |n| seen.push(n),
    )
    .unwrap();
    assert_eq!(seen, [40, 80, 95]);
}

#[test]
fn borrowed_labels_work_too() {
    let owned = label(7);
    let labels = [owned.label(), owned.label()];
    let mut out = Vec::new();
    write_pdf(
        &mut out,
        &Layout::default(),
        "t",
        labels.iter(),
        &mut |_| {},
    )
    .unwrap();
    assert!(out.starts_with(b"%PDF-1.7"));
    assert!(out.ends_with(b"%%EOF\n"));
}

#[test]
fn labels_without_stars_or_pin() {
    let mut l = label(1);
    l.stars = None;
    l.pin = None;
    let mut out = Vec::new();
    write_pdf(&mut out, &Layout::default(), "t", [l], &mut |_| {}).unwrap();
    let text = Document::load_mem(&out)
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    assert!(!text.contains("PIN") && !text.contains("OCOP"), "{text:?}");
}

#[test]
fn errors_say_what_is_wrong() {
    let none: [OwnedLabel; 0] = [];
    let err = write_pdf(std::io::sink(), &Layout::default(), "t", none, &mut |_| {}).unwrap_err();
    assert!(matches!(err, PrintError::NoLabels), "{err}");

    let bad = Layout {
        columns: 30,
        ..Layout::default()
    };
    let err = write_pdf(std::io::sink(), &bad, "t", [label(0)], &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("use 1 to 20"), "{err}");

    let mut long = label(0);
    long.qr_content = "A".repeat(5000);
    let err = write_pdf(
        std::io::sink(),
        &Layout::default(),
        "t",
        [long],
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("shorten the URL"), "{err}");
}

/// The product bar is 10,000 labels in at most 10 MB (1,000 bytes a
/// label); the bench measures the full run, this keeps the suite fast.
#[test]
fn five_hundred_labels_stay_within_the_size_budget() {
    let pdf = sheet("5x13", 500);
    let per_label = pdf.len() / 500;
    assert!(
        per_label <= 1_000,
        "{} bytes, {per_label} bytes a label",
        pdf.len()
    );
    assert!(QrMatrix::new(&label(0).qr_content).unwrap().version() <= 3);
}
