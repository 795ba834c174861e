use lopdf::content::{Content, Operation};
use lopdf::{Document, Object};

use super::page::{wrap, CAPTION, NAME_BAND, NAME_TOP};
use super::*;
use crate::print::font::Font;

const URL: &str = "https://ocop.example.vn/certificates/QN-2026-0012";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample() -> CertificateDoc<'static> {
    CertificateDoc {
        number: "QN-2026-0012",
        stars: 4,
        product_name: "Chè xanh Đông Triều",
        product_code: "22-06946-001-2026",
        criteria_set: "Bộ sản phẩm 4: Chè và các sản phẩm từ chè",
        producer_name: "Hợp tác xã Chè Đông Triều",
        producer_address: "Phường Mạo Khê, tỉnh Quảng Ninh",
        score: Some(78.5),
        decision_number: "1234/QĐ-UBND",
        decision_date: date(2026, 3, 15),
        issuer: "UBND tỉnh Quảng Ninh",
        valid_from: date(2026, 3, 15),
        valid_until: date(2029, 3, 15),
        check_url: URL,
    }
}

fn pdf(doc: &CertificateDoc) -> Document {
    let mut out = Vec::new();
    write_certificate_pdf(doc, &mut out).unwrap();
    Document::load_mem(&out).unwrap()
}

fn operations(pdf: &Document) -> Vec<Operation> {
    let page = *pdf.get_pages().get(&1).unwrap();
    Content::decode(&pdf.get_page_content(page))
        .unwrap()
        .operations
}

fn f(o: &Object) -> f32 {
    o.as_float().unwrap()
}

#[test]
fn one_landscape_a4_page() {
    let pdf = pdf(&sample());
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), 1);
    let page = pdf.get_dictionary(pages[&1]).unwrap();
    let media = page.get(b"MediaBox").and_then(Object::as_array).unwrap();
    let media: Vec<f32> = media.iter().map(f).collect();
    assert_eq!(media[..2], [0.0, 0.0]);
    assert!(
        (media[2] - 841.89).abs() < 0.1 && (media[3] - 595.28).abs() < 0.1,
        "{media:?}"
    );
}

#[test]
fn text_extracts_with_diacritics_intact() {
    let text = pdf(&sample()).extract_text(&[1]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
        "Chương trình Mỗi xã một sản phẩm",
        "Chè xanh Đông Triều",
        "Số: QN-2026-0012",
        "Hạng 4 sao",
        "Mã sản phẩm: 22-06946-001-2026",
        "Bộ tiêu chí: Bộ sản phẩm 4: Chè và các sản phẩm từ chè",
        "Chủ thể sản xuất: Hợp tác xã Chè Đông Triều",
        "Địa chỉ: Phường Mạo Khê, tỉnh Quảng Ninh",
        "Điểm đánh giá: 78,50",
        "Theo Quyết định số 1234/QĐ-UBND ngày 15/03/2026 của UBND tỉnh Quảng Ninh",
        "Có giá trị từ 15/03/2026 đến 15/03/2029",
        "Quét để kiểm tra giấy chứng nhận",
    ] {
        assert!(lines.contains(&want), "{want:?} missing from {lines:#?}");
    }
}

#[test]
fn draws_one_vector_star_per_rating_step() {
    for stars in 3..=5 {
        let score = [55.0, 75.0, 95.0][usize::from(stars - 3)];
        let doc = CertificateDoc {
            stars,
            score: Some(score),
            ..sample()
        };
        let pdf = pdf(&doc);
        // Each star is one closed ten-point path; nothing else closes paths.
        let closed = operations(&pdf)
            .iter()
            .filter(|o| o.operator == "h")
            .count();
        assert_eq!(closed, usize::from(stars));
        let text = pdf.extract_text(&[1]).unwrap();
        assert!(text.contains(&format!("Hạng {stars} sao")), "{text}");
    }
}

/// Rebuilds the QR from the page's own rectangles (the block whose `cm`
/// flips y) and reads it with an independent decoder.
#[test]
fn the_printed_qr_decodes_to_the_check_url() {
    let ops = operations(&pdf(&sample()));
    let start = ops
        .iter()
        .position(|o| o.operator == "cm" && f(&o.operands[3]) < 0.0)
        .expect("a QR block");
    let mut runs = Vec::new();
    for o in ops[start + 1..].iter().take_while(|o| o.operator != "Q") {
        if o.operator == "re" {
            let v: Vec<usize> = o.operands.iter().map(|x| f(x) as usize).collect();
            assert_eq!(v[3], 1, "runs are one module high");
            runs.push((v[0], v[1], v[2]));
        }
    }
    let width = runs.iter().map(|r| r.0 + r.2).max().unwrap();
    let (px, quiet) = (4, QUIET_ZONE);
    let side = (width + 2 * quiet) * px;
    let dark = |x: usize, y: usize| {
        let (mx, my) = ((x / px).wrapping_sub(quiet), (y / px).wrapping_sub(quiet));
        runs.iter()
            .any(|&(rx, ry, len)| ry == my && (rx..rx + len).contains(&mx))
    };
    let pixel = |x, y| if dark(x, y) { 0 } else { 255 };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, pixel);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR symbol");
    assert_eq!(grids[0].decode().unwrap().1, URL);
}

/// The error for `sample()` changed by `change`, which must be ours.
fn rejected(change: impl FnOnce(&mut CertificateDoc<'static>)) -> String {
    let mut doc = sample();
    change(&mut doc);
    let err = write_certificate_pdf(&doc, std::io::sink()).unwrap_err();
    assert!(matches!(err, PrintError::Certificate(_)), "{err:?}");
    err.to_string()
}

#[test]
fn refuses_what_must_not_be_certified() {
    let msg = rejected(|d| d.number = " ");
    assert!(msg.contains("certificate number is empty"), "{msg}");
    let msg = rejected(|d| d.product_name = "");
    assert!(msg.contains("product name is empty"), "{msg}");
    for stars in [0, 1, 2, 6, 255] {
        let msg = rejected(|d| d.stars = stars);
        assert!(msg.contains("only 3, 4 and 5-star"), "{msg}");
    }
    let msg = rejected(|d| d.stars = 5);
    assert!(
        msg.contains("score 78.5 does not fit 5 stars: use 90 to 100"),
        "{msg}"
    );
    rejected(|d| d.score = Some(f64::NAN));
    rejected(|d| d.score = Some(100.5));
    let msg = rejected(|d| d.valid_until = date(2026, 3, 1));
    assert!(msg.contains("not after valid from 15/03/2026"), "{msg}");
    rejected(|d| d.check_url = "");
}

/// Every text run's extent, from the PDF's own font widths, in mm:
/// `(left, right, baseline, size)`.
fn text_boxes(pdf: &Document) -> Vec<(f32, f32, f32, f32)> {
    let page = *pdf.get_pages().get(&1).unwrap();
    let fonts = pdf.get_page_fonts(page).unwrap();
    let cid_font = fonts[b"F".as_slice()]
        .get(b"DescendantFonts")
        .unwrap()
        .as_array()
        .unwrap()[0]
        .as_reference()
        .unwrap();
    let w = pdf
        .get_dictionary(cid_font)
        .unwrap()
        .get(b"W")
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(w[0].as_i64().unwrap(), 0, "widths start at CID 0");
    let widths: Vec<f32> = w[1].as_array().unwrap().iter().map(f).collect();
    let ops = operations(pdf);
    assert_eq!(ops[0].operator, "cm", "millimetre space first");
    assert!((f(&ops[0].operands[0]) - PT).abs() < 1e-3);
    let (mut size, mut at, mut boxes) = (0.0, (0.0, 0.0), Vec::new());
    for o in &ops {
        match o.operator.as_str() {
            "Tf" => size = f(&o.operands[1]),
            "Td" => at = (f(&o.operands[0]), f(&o.operands[1])),
            "Tj" => {
                let cids = o.operands[0].as_str().unwrap().chunks(2);
                let em: f32 = cids
                    .map(|c| widths[usize::from(u16::from_be_bytes([c[0], c[1]]))])
                    .sum();
                boxes.push((at.0, at.0 + em / 1000.0 * size, at.1, size));
            }
            _ => {}
        }
    }
    boxes
}

/// A 200-character product name, words and diacritics as real ones have.
fn long_name() -> String {
    let name = "Chè xanh Đông Triều thượng hạng ".repeat(7);
    let name = name[..name.char_indices().nth(200).unwrap().0].trim_end();
    assert_eq!(name.chars().count(), 200);
    name.to_owned()
}

#[test]
fn long_texts_stay_inside_the_border_and_apart() {
    let name = &long_name();
    let address = "Thôn Đồng Tâm, xã Tràng Lương, tỉnh Quảng Ninh, Việt Nam; ".repeat(6);
    let nameless = "Ư".repeat(600);
    for product_name in [name, &nameless, "Trà"] {
        let doc = CertificateDoc {
            product_name,
            producer_name: &address,
            producer_address: &address,
            criteria_set: &address,
            issuer: &address,
            ..sample()
        };
        let boxes = text_boxes(&pdf(&doc));
        let (lo, hi) = (INNER_INSET + 1.0, PAGE_WIDTH_MM - INNER_INSET - 1.0);
        for &(left, right, baseline, size) in &boxes {
            assert!(
                left >= lo && right <= hi,
                "x {left}..{right} outside {lo}..{hi}"
            );
            let (bottom, top) = (baseline - 0.25 * size, baseline + size);
            assert!(
                bottom >= lo && top <= PAGE_HEIGHT_MM - lo,
                "y {bottom}..{top}"
            );
            assert!(size >= CAPTION.min - 1e-3, "{size} mm text is too small");
        }
        // No two lines overlap, the QR included (taken as a text-like box).
        let qr_bottom = PAGE_HEIGHT_MM - QR.y - QR.h;
        let qr = (QR.x, QR.x + QR.w, qr_bottom, qr_bottom + QR.h);
        let ink = |&(l, r, b, s): &(f32, f32, f32, f32)| (l, r, b - 0.2 * s, b + 0.9 * s);
        let all: Vec<_> = boxes.iter().map(ink).chain([qr]).collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let apart = a.1 <= b.0 || b.1 <= a.0 || a.3 <= b.2 || b.3 <= a.2;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }
}

#[test]
fn a_200_character_name_shrinks_and_wraps_but_loses_nothing() {
    let name = &long_name();
    let page = lay_out(&CertificateDoc {
        product_name: name,
        ..sample()
    });
    let band: Vec<&str> = page
        .texts
        .iter()
        .filter(|t| (NAME_TOP..NAME_TOP + NAME_BAND).contains(&t.baseline))
        .map(|t| t.text.as_str())
        .collect();
    assert!(band.len() > 1, "{band:?}");
    assert_eq!(&band.join(" "), name);
}

#[test]
fn wrap_breaks_at_spaces_and_inside_overlong_words() {
    let font = Font::get();
    assert_eq!(wrap(font, "Chè  xanh", 100.0), ["Chè xanh"]);
    let lines = wrap(font, "Chè xanh Đông Triều", 5.0);
    assert_eq!(lines.join(" "), "Chè xanh Đông Triều");
    assert!(lines.len() > 1 && lines.iter().all(|l| font.width_em(l) <= 5.0));
    let lines = wrap(font, &"Ư".repeat(40), 3.0);
    assert!(lines.len() > 1 && lines.iter().all(|l| font.width_em(l) <= 3.0));
    assert_eq!(score_text(78.5), "78,50");
    assert_eq!(score_text(90.0), "90,00");
}
