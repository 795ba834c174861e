//! The OCOP certificate as a one-page A4 landscape PDF, for the issuer to
//! print on an office printer, sign and stamp (DESIGN §2 "Certificates").
//!
//! Reuses the label sheet's machinery: the streamed PDF writer, the
//! embedded DejaVu Sans subset (so Vietnamese extracts and searches
//! correctly) and the QR encoder. Layout is millimetres, y downwards from
//! the page's top-left corner, flipped only when operators are written.

use std::io::Write;

use chrono::NaiveDate;
use pdf_writer::{Finish, Name, Rect as PdfRect};

use super::layout::{A4_HEIGHT_MM, A4_WIDTH_MM};
use super::pdf_font::{FontRefs, FontSubset};
use super::pdf_ops::Ops;
use super::pdf_out::{deflate, PdfOut};
use super::qr::{QrMatrix, QUIET_ZONE};
use super::sheet::{write_document, PT};
use super::PrintError;
use page::{lay_out, Page, QR, STAR_RADIUS};

#[path = "certificate_page.rs"]
mod page;

/// Landscape: the long side of A4 across.
pub const PAGE_WIDTH_MM: f32 = A4_HEIGHT_MM;
pub const PAGE_HEIGHT_MM: f32 = A4_WIDTH_MM;
/// Office printers cannot print the outer 4–6 mm; the border stays well clear.
const BORDER_INSET: f32 = 10.0;
const INNER_INSET: f32 = 12.5;
/// Dark red: a modest accent that still prints dark on a mono printer.
const ACCENT: &[u8] = b"0.62 0.11 0.11";

/// What the certificate states; see [`write_certificate_pdf`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CertificateDoc<'a> {
    /// Certificate number, e.g. `QN-2026-0012`.
    pub number: &'a str,
    /// Star rating: 3, 4 or 5; lower ratings get no certificate.
    pub stars: u8,
    pub product_name: &'a str,
    /// `Province-Commune-Sequence-Year`, e.g. `22-06946-001-2026`.
    pub product_code: &'a str,
    /// e.g. "Bộ sản phẩm 4: Chè và các sản phẩm từ chè".
    pub criteria_set: &'a str,
    pub producer_name: &'a str,
    pub producer_address: &'a str,
    /// The council members' mean total, 0 to 100; `None` for a certificate recorded from an
    /// earlier decision without its score (the line is left out).
    pub score: Option<f64>,
    /// e.g. `1234/QĐ-UBND`.
    pub decision_number: &'a str,
    pub decision_date: NaiveDate,
    /// Who recognised the product, e.g. "UBND tỉnh Quảng Ninh".
    pub issuer: &'a str,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// The public page that tells whether the certificate still stands.
    pub check_url: &'a str,
}

/// Writes `doc` as a one-page A4 landscape PDF into `out`. Long texts shrink
/// and wrap (and, past all reason, end in "…") but never leave the border.
pub fn write_certificate_pdf<W: Write>(doc: &CertificateDoc, out: W) -> Result<(), PrintError> {
    check(doc)?;
    let qr = QrMatrix::new(doc.check_url)?;
    let page_layout = lay_out(doc);
    let mut font = FontSubset::new();
    let ops = deflate(&render(&page_layout, &qr, &mut font));

    let mut pdf = PdfOut::new(out)?;
    let (catalog, pages, info) = (pdf.alloc(), pdf.alloc(), pdf.alloc());
    let (content, page) = (pdf.alloc(), pdf.alloc());
    let font_refs = FontRefs::alloc(&mut pdf);
    pdf.object(content, |c| {
        c.stream(content, &ops)
            .filter(pdf_writer::Filter::FlateDecode);
    })?;
    pdf.object(page, |c| {
        let mut p = c.page(page);
        p.parent(pages)
            .media_box(PdfRect::new(
                0.0,
                0.0,
                PAGE_WIDTH_MM * PT,
                PAGE_HEIGHT_MM * PT,
            ))
            .contents(content);
        p.resources().fonts().pair(Name(b"F"), font_refs.font);
        p.finish();
    })?;
    font.write(&mut pdf, font_refs)?;
    let title = format!("Giấy chứng nhận sản phẩm OCOP {}", doc.number);
    write_document(&mut pdf, catalog, pages, info, &[page], &title)?;
    pdf.finish(catalog, info)?;
    Ok(())
}

/// Refuses what must not be printed on an official paper.
fn check(doc: &CertificateDoc) -> Result<(), PrintError> {
    let fail = |why: String| Err(PrintError::Certificate(why));
    if doc.number.trim().is_empty() {
        return fail("the certificate number is empty".into());
    }
    if doc.product_name.trim().is_empty() {
        return fail("the product name is empty".into());
    }
    if doc.check_url.trim().is_empty() {
        return fail("the check URL for the QR code is empty".into());
    }
    let Some(band) = [50.0, 70.0, 90.0].get(usize::from(doc.stars.wrapping_sub(3))) else {
        return fail(format!(
            "{} stars: only 3, 4 and 5-star products get a certificate",
            doc.stars
        ));
    };
    // A rating needs its score band (≥50 / ≥70 / ≥90); below it the
    // caller has mixed up two results.
    if let Some(score) = doc.score.filter(|s| !(*band..=100.0).contains(s)) {
        return fail(format!(
            "score {score} does not fit {} stars: use {band} to 100",
            doc.stars
        ));
    }
    if doc.valid_until <= doc.valid_from {
        return fail(format!(
            "valid until {} is not after valid from {}",
            dmy(doc.valid_until),
            dmy(doc.valid_from)
        ));
    }
    Ok(())
}

fn dmy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Vietnamese writes a decimal comma: 78,50.
fn score_text(score: f64) -> String {
    format!("{score:.2}").replace('.', ",")
}

/// The content stream, in mm from the bottom-left corner (`y` flips here).
fn render(page: &Page, qr: &QrMatrix, font: &mut FontSubset) -> Vec<u8> {
    let h = PAGE_HEIGHT_MM;
    let mut ops = Ops::with_capacity(16 * 1024);
    ops.num4(PT).raw(b"0 0 ").num4(PT).raw(b"0 0 cm\n");
    ops.raw(ACCENT).raw(b" RG ").raw(ACCENT).raw(b" rg\n");
    // The double border: a firm outer line and a hairline inside it.
    for (inset, width) in [(BORDER_INSET, 0.6), (INNER_INSET, 0.2)] {
        ops.num(width).raw(b"w ").num(inset).num(inset);
        ops.num(PAGE_WIDTH_MM - 2.0 * inset)
            .num(h - 2.0 * inset)
            .raw(b"re S\n");
    }
    // Five-pointed stars, inner radius 0.382 of the outer one.
    for &(cx, cy) in &page.stars {
        for i in 0..10 {
            let r = if i % 2 == 0 {
                STAR_RADIUS
            } else {
                STAR_RADIUS * 0.382
            };
            let a = (-90.0 + 36.0 * i as f32).to_radians();
            ops.num(cx + r * a.cos()).num(h - cy - r * a.sin());
            ops.raw(if i == 0 { b"m " } else { b"l " });
        }
        ops.raw(b"h\n");
    }
    ops.raw(b"f\n0 G 0 g 0.25 w ");
    let (x0, x1, y) = page.rule;
    ops.num(x0)
        .num(h - y)
        .raw(b"m ")
        .num(x1)
        .num(h - y)
        .raw(b"l S\n");

    // The QR's own quiet zone, 4 modules, is inside the reserved square.
    let module = QR.w / (qr.width() + 2 * QUIET_ZONE) as f32;
    let quiet = QUIET_ZONE as f32 * module;
    ops.qr(qr, module, QR.x + quiet, h - QR.y - quiet);

    // One BT/ET per line, so text extraction puts each on its own line.
    let mut cids = Vec::with_capacity(256);
    let mut accent = false;
    for t in &page.texts {
        if t.accent != accent {
            accent = t.accent;
            ops.raw(if accent { ACCENT } else { b"0 0 0" })
                .raw(b" rg\n");
        }
        ops.raw(b"BT /F ").num(t.size).raw(b"Tf ");
        ops.num(t.x).num(h - t.baseline).raw(b"Td ");
        cids.clear();
        font.encode(&t.text, &mut cids);
        ops.show_hex(&cids).raw(b"ET\n");
    }
    ops.buf
}

#[cfg(test)]
#[path = "certificate_tests.rs"]
mod tests;
