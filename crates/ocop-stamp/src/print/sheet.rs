//! A4 label sheets as PDF: one stamp per cell, vector QR, embedded font.
//!
//! Written page by page into the output, so memory stays flat however
//! many labels come through the iterator.

use std::io::Write;

use pdf_writer::writers::{Catalog, DocumentInfo, Resources};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, TextStr};

use super::layout::{Layout, A4_HEIGHT_MM, A4_WIDTH_MM};
use super::pdf_font::{FontRefs, FontSubset};
use super::pdf_ops::Ops;
use super::pdf_out::{deflate, PdfOut};
use super::place::place;
use super::qr::QrMatrix;
use super::{Label, LabelSource, PrintError};

/// Points per millimetre.
pub(crate) const PT: f32 = 72.0 / 25.4;
/// Quiet zone on sheets, in modules. Phones read 2 reliably, and on a
/// 21 mm label the two extra modules a side are worth more as QR size; the
/// cell padding adds white beyond it.
pub const SHEET_QUIET_ZONE: usize = 2;
/// Line width of the PIN frame, in mm.
const FRAME_MM: f32 = 0.2;
const FONT: &[u8] = b"/F";
const GRID: &[u8] = b"/G";

/// Writes `labels` as A4 pages of `layout` into `out`.
///
/// `labels` is consumed lazily, so a caller can derive each label from a
/// serial number on the fly. `progress` is told how many labels are done
/// after each page. Fails on an invalid layout, an empty label list or a
/// QR content that does not fit a QR code; on error the output holds a
/// partial file.
pub fn write_pdf<W, I>(
    out: W,
    layout: &Layout,
    title: &str,
    labels: I,
    progress: &mut dyn FnMut(u64),
) -> Result<(), PrintError>
where
    W: Write,
    I: IntoIterator,
    I::Item: LabelSource,
{
    layout.validate()?;
    let mut labels = labels.into_iter().peekable();
    if labels.peek().is_none() {
        return Err(PrintError::NoLabels);
    }

    let mut pdf = PdfOut::new(out)?;
    let catalog = pdf.alloc();
    let pages = pdf.alloc();
    let info = pdf.alloc();
    let resources = pdf.alloc();
    let grid = pdf.alloc();
    let font_refs = FontRefs::alloc(&mut pdf);

    pdf.object(resources, |c| {
        let mut res = c.indirect(resources).start::<Resources>();
        res.fonts().pair(Name(&FONT[1..]), font_refs.font);
        res.x_objects().pair(Name(&GRID[1..]), grid);
        res.finish();
    })?;
    let grid_ops = deflate(&cut_guides(layout));
    pdf.object(grid, |c| {
        c.form_xobject(grid, &grid_ops)
            .bbox(Rect::new(0.0, 0.0, A4_WIDTH_MM * PT, A4_HEIGHT_MM * PT))
            .filter(Filter::FlateDecode);
    })?;

    let mut painter = Painter::new(layout);
    let mut page_refs = Vec::new();
    let mut done = 0u64;
    let per_page = layout.labels_per_page();
    loop {
        painter.ops.clear();
        painter.ops.raw(GRID).raw(b" Do\n");
        let mut on_page = 0;
        for (slot, source) in (&mut labels).take(per_page).enumerate() {
            painter.label(slot, &source.label())?;
            on_page += 1;
        }
        if on_page == 0 {
            break;
        }
        let content = pdf.alloc();
        let page = pdf.alloc();
        let compressed = deflate(&painter.ops.buf);
        pdf.object(content, |c| {
            c.stream(content, &compressed).filter(Filter::FlateDecode);
        })?;
        pdf.object(page, |c| {
            c.page(page)
                .parent(pages)
                .media_box(Rect::new(0.0, 0.0, A4_WIDTH_MM * PT, A4_HEIGHT_MM * PT))
                .contents(content)
                .pair(Name(b"Resources"), resources);
        })?;
        page_refs.push(page);
        done += on_page as u64;
        progress(done);
        if on_page < per_page {
            break;
        }
    }

    painter.font.write(&mut pdf, font_refs)?;
    write_document(&mut pdf, catalog, pages, info, &page_refs, title)?;
    pdf.finish(catalog, info)?;
    Ok(())
}

pub(crate) fn write_document<W: Write>(
    pdf: &mut PdfOut<W>,
    catalog: Ref,
    pages: Ref,
    info: Ref,
    page_refs: &[Ref],
    title: &str,
) -> std::io::Result<()> {
    pdf.object(pages, |c| {
        c.pages(pages)
            .kids(page_refs.iter().copied())
            .count(page_refs.len() as i32);
    })?;
    pdf.object(catalog, |c| {
        let mut cat = c.indirect(catalog).start::<Catalog>();
        cat.pages(pages);
        // Labels only line up with the sheet if printed at 100 %.
        cat.viewer_preferences()
            .display_doc_title(true)
            .pair(Name(b"PrintScaling"), Name(b"None"));
        cat.finish();
    })?;
    pdf.object(info, |c| {
        c.indirect(info)
            .start::<DocumentInfo>()
            .title(TextStr(title))
            .producer(TextStr("ocop"));
    })
}

/// Light grey cell borders for the guillotine, identical on every page and
/// so drawn once as a form.
fn cut_guides(layout: &Layout) -> Vec<u8> {
    let (w, h) = layout.label_size_mm();
    let mut ops = Ops::with_capacity(64 * layout.labels_per_page());
    ops.num4(PT)
        .raw(b"0 0 ")
        .num4(PT)
        .raw(b"0 0 cm\n0.75 G\n0.1 w\n");
    for slot in 0..layout.labels_per_page() {
        let (x, top) = layout.cell_origin_mm(slot);
        ops.num(x)
            .num(A4_HEIGHT_MM - top - h)
            .num(w)
            .num(h)
            .raw(b"re\n");
    }
    ops.raw(b"S\n");
    ops.buf
}

/// Draws labels into one page's content stream, collecting the glyphs.
struct Painter<'l> {
    layout: &'l Layout,
    cell: (f32, f32),
    ops: Ops,
    font: FontSubset,
    cids: Vec<u8>,
}

impl<'l> Painter<'l> {
    fn new(layout: &'l Layout) -> Painter<'l> {
        Painter {
            layout,
            cell: layout.label_size_mm(),
            // About 2.5 kB of operators per label before compression.
            ops: Ops::with_capacity(2560 * layout.labels_per_page()),
            font: FontSubset::new(),
            cids: Vec::with_capacity(64),
        }
    }

    /// One label in cell `slot`, in a coordinate system of millimetres
    /// from the cell's bottom-left corner, so every label's operators are
    /// the same but for the QR and the strings, which deflate rewards.
    fn label(&mut self, slot: usize, label: &Label) -> Result<(), PrintError> {
        let qr = QrMatrix::new(label.qr_content)?;
        let (w, h) = self.cell;
        let p = place(label, w, h);
        let (x, top) = self.layout.cell_origin_mm(slot);
        let ops = &mut self.ops;
        ops.raw(b"q ").num4(PT).raw(b"0 0 ").num4(PT);
        ops.num(x * PT)
            .num((A4_HEIGHT_MM - top - h) * PT)
            .raw(b"cm\n");

        // The QR: module units, y downwards, one fill for all its runs.
        let module = p.qr.w / (qr.width() + 2 * SHEET_QUIET_ZONE) as f32;
        let quiet = SHEET_QUIET_ZONE as f32 * module;
        ops.qr(&qr, module, p.qr.x + quiet, h - p.qr.y - quiet);

        if let Some(b) = p.pin_box {
            ops.num(FRAME_MM).raw(b"w ");
            ops.num(b.x)
                .num(h - b.y - b.h)
                .num(b.w)
                .num(b.h)
                .raw(b"re S\n");
        }

        ops.raw(b"BT\n");
        for line in &p.lines {
            ops.raw(FONT).raw(b" ").num(line.size).raw(b"Tf 1 0 0 1 ");
            ops.num(line.x).num(h - line.baseline).raw(b"Tm ");
            self.cids.clear();
            self.font.encode(&line.text, &mut self.cids);
            ops.show_hex(&self.cids);
        }
        ops.raw(b"ET Q\n");
        Ok(())
    }
}

#[cfg(test)]
#[path = "sheet_tests.rs"]
mod tests;
