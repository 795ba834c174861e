//! Where everything goes on the certificate: millimetres, y downwards from
//! the page's top-left corner. Pure, so tests can check positions without
//! a PDF; `render` in the parent module turns this into operators.

use super::super::font::Font;
use super::super::place::{Rect, ASCENT, LEAD};
use super::{dmy, score_text, CertificateDoc, PAGE_WIDTH_MM};

/// Centred text column inside the inner border, with some air.
const COLUMN: Col = Col::new(20.0, 257.0, true);
/// The details, left-aligned, stop short of the QR.
const DETAILS: Col = Col::new(30.0, 195.0, false);
/// The QR square, quiet zone included, right of the details.
pub(super) const QR: Rect = Rect {
    x: 233.0,
    y: 126.0,
    w: 44.0,
    h: 44.0,
};
pub(super) const STAR_RADIUS: f32 = 5.5;
const STAR_PITCH: f32 = 13.0;
/// The product name's band: fixed, so nothing below moves with its length.
pub(super) const NAME_TOP: f32 = 64.0;
pub(super) const NAME_BAND: f32 = 30.0;

// Sizes in mm: 4.2 mm is 12 pt, 3.2 mm (9 pt) is the least for reading a
// framed paper at arm's length; only the QR caption goes smaller.
const HEADING: Style = Style::new(4.2, 3.2, false);
const TITLE: Style = Style::new(10.0, 5.0, true);
const SUBTITLE: Style = Style::new(5.3, 3.2, false);
const NAME: Style = Style::new(11.0, 4.5, false);
const BODY: Style = Style::new(4.4, 3.2, false);
pub(super) const CAPTION: Style = Style::new(3.2, 2.5, false);

/// A text column: left edge, width, and whether lines are centred in it.
#[derive(Clone, Copy)]
struct Col {
    x: f32,
    w: f32,
    centred: bool,
}

impl Col {
    const fn new(x: f32, w: f32, centred: bool) -> Col {
        Col { x, w, centred }
    }
}

/// Font size in mm as wanted, how far it may shrink, and the accent colour.
#[derive(Clone, Copy)]
pub(super) struct Style {
    size: f32,
    pub(super) min: f32,
    accent: bool,
}

impl Style {
    const fn new(size: f32, min: f32, accent: bool) -> Style {
        Style { size, min, accent }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Text {
    pub(super) text: String,
    pub(super) x: f32,
    pub(super) baseline: f32,
    pub(super) size: f32,
    pub(super) accent: bool,
}

/// Everything on the page but the border and the QR's modules.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) texts: Vec<Text>,
    /// Star centres.
    pub(super) stars: Vec<(f32, f32)>,
    /// The short rule under the motto: left, right, y.
    pub(super) rule: (f32, f32, f32),
}

/// Lays out a checked `doc` (3 to 5 stars).
pub(super) fn lay_out(doc: &CertificateDoc) -> Page {
    let mut p = Page::default();
    let mut y = 18.0;
    y += p.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", y, HEADING);
    y += p.line("Độc lập - Tự do - Hạnh phúc", y, HEADING);
    let motto = p
        .texts
        .last()
        .map_or(0.0, |t| t.size * Font::get().width_em(&t.text));
    let left = (PAGE_WIDTH_MM - motto) / 2.0;
    p.rule = (left, left + motto, y + 0.8);
    y += 6.0;
    y += p.line("GIẤY CHỨNG NHẬN SẢN PHẨM OCOP", y, TITLE);
    y += p.line("Chương trình Mỗi xã một sản phẩm", y, SUBTITLE);
    p.line(&format!("Số: {}", doc.number), y, BODY);

    // Two lines fit at full size; longer names shrink, centred in the band.
    let before = p.texts.len();
    let used = p.block(doc.product_name, COLUMN, NAME_TOP, NAME_BAND, NAME);
    for t in &mut p.texts[before..] {
        t.baseline += (NAME_BAND - used) / 2.0;
    }
    let first = (PAGE_WIDTH_MM - STAR_PITCH * f32::from(doc.stars - 1)) / 2.0;
    p.stars = (0..doc.stars)
        .map(|i| (first + STAR_PITCH * f32::from(i), 102.0))
        .collect();
    p.line(&format!("Hạng {} sao", doc.stars), 110.0, SUBTITLE);

    let decision = format!(
        "Theo Quyết định số {} ngày {} của {}",
        doc.decision_number,
        dmy(doc.decision_date),
        doc.issuer
    );
    let (from, until) = (dmy(doc.valid_from), dmy(doc.valid_until));
    let details: Vec<String> = [
        Some(format!("Mã sản phẩm: {}", doc.product_code)),
        Some(format!("Bộ tiêu chí: {}", doc.criteria_set)),
        Some(format!("Chủ thể sản xuất: {}", doc.producer_name)),
        Some(format!("Địa chỉ: {}", doc.producer_address)),
        doc.score
            .map(|s| format!("Điểm đánh giá: {}", score_text(s))),
        Some(decision),
        Some(format!("Có giá trị từ {from} đến {until}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Each item may take two lines at the smallest size; seven such items
    // still end above the inner border (the bounds test checks it).
    let mut y = QR.y;
    for item in &details {
        y += p.block(item, DETAILS, y, 2.0 * LEAD * BODY.min, BODY) + 1.6;
    }
    let caption = Col::new(QR.x - 6.0, QR.w + 12.0, true);
    let text = "Quét để kiểm tra giấy chứng nhận";
    p.block(
        text,
        caption,
        QR.y + QR.h + 1.5,
        LEAD * CAPTION.size,
        CAPTION,
    );
    p
}

impl Page {
    /// One centred line across the page, shrunk if it must.
    fn line(&mut self, text: &str, top: f32, style: Style) -> f32 {
        self.block(text, COLUMN, top, LEAD * style.size, style)
    }

    /// Places `text` in `col` from `top` at the largest size down to
    /// `style.min` whose wrapped lines fit in `height`; at the smallest size
    /// what still does not fit is cut with "…". Returns the height used.
    fn block(&mut self, text: &str, col: Col, top: f32, height: f32, style: Style) -> f32 {
        let font = Font::get();
        let mut size = style.size;
        let mut lines = wrap(font, text, col.w / size);
        while lines.len() as f32 * LEAD * size > height && size > style.min {
            size = (size * 0.95).max(style.min);
            lines = wrap(font, text, col.w / size);
        }
        let room = ((height / (LEAD * size) + 1e-3) as usize).max(1);
        if lines.len() > room {
            let rest = lines.split_off(room - 1).join(" ");
            lines.push(font.fit(&rest, col.w / size).into_owned());
        }
        let used = lines.len() as f32 * LEAD * size;
        for (i, text) in lines.into_iter().enumerate() {
            let spare = col.w - font.width_em(&text) * size;
            let x = col.x + if col.centred { spare / 2.0 } else { 0.0 };
            let baseline = top + (i as f32 * LEAD + ASCENT) * size;
            let accent = style.accent;
            self.texts.push(Text {
                text,
                x,
                baseline,
                size,
                accent,
            });
        }
        used
    }
}

/// Greedy word wrap to `max_em`; a word wider than a line (a long code or
/// a name without spaces) is broken between characters.
pub(super) fn wrap(font: &Font, text: &str, max_em: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let sep = if line.is_empty() { "" } else { " " };
        if font.width_em(&line) + font.width_em(sep) + font.width_em(word) <= max_em {
            line.push_str(sep);
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if !line.is_empty() && font.width_em(&line) + font.advance(font.glyph(c)) > max_em {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
