//! Where the QR and the text lines go inside one label, shared by the SVG
//! stamp and the PDF sheet so both look alike. Millimetres, y downwards
//! from the label's top-left corner.

use std::borrow::Cow;

use super::font::Font;
use super::Label;

/// Line height as a multiple of the font size.
pub(crate) const LEAD: f32 = 1.25;
/// The PIN line is taller: its frame needs room above and below the digits.
const PIN_LEAD: f32 = 1.75;
/// Frame padding around the PIN text, in ems, each side.
const PIN_PAD: f32 = 0.3;
/// Distance from the top of a line to its baseline, in ems; DejaVu's
/// ascender is 0.93 em.
pub(crate) const ASCENT: f32 = 0.95;
/// Smallest text that office laser printers still render legibly (4.5 pt).
const MIN_FONT: f32 = 1.6;
/// The text size a label aims for, as a share of its shorter side: the
/// QR gets what is left once the text has this much room.
const TEXT_SHARE: f32 = 0.075;
/// The least share of the cell's shorter inner side the QR gets.
const QR_MIN_SHARE: f32 = 0.6;
/// Text larger than 10 pt only wastes label space.
const MAX_FONT: f32 = 3.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    Name,
    Code,
    Stars,
    Pin,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextLine<'a> {
    pub kind: LineKind,
    pub text: Cow<'a, str>,
    /// Left end of the text.
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placement<'a> {
    /// The QR square including its quiet zone.
    pub qr: Rect,
    pub lines: Vec<TextLine<'a>>,
    /// The scratch-off frame around the PIN line.
    pub pin_box: Option<Rect>,
}

pub(crate) fn stars_text(stars: u8) -> String {
    let mut s = String::from("OCOP ");
    s.extend(std::iter::repeat_n('★', usize::from(stars.min(5))));
    s
}

pub(crate) fn pin_text(pin: &str) -> String {
    format!("PIN: {pin}")
}

/// Lays out `label` in a `w` × `h` mm cell: the QR takes the largest square
/// that leaves the text lines readable, beside it in wide cells and below
/// it in tall ones.
pub(crate) fn place<'a>(label: &Label<'a>, w: f32, h: f32) -> Placement<'a> {
    let font = Font::get();
    let pad = (w.min(h) * 0.05).clamp(0.8, 3.0);
    let (iw, ih) = (w - 2.0 * pad, h - 2.0 * pad);

    let code = label.code_display;
    let (code_a, code_b) = split_code(code);
    let code_em = font.width_em(code);
    let half_em = font.width_em(code_a).max(font.width_em(code_b));
    let stars = label.stars.map(stars_text);
    // Sized for five stars so that every label on a sheet has the same line.
    let stars_em = if stars.is_some() {
        font.width_em(&stars_text(5))
    } else {
        0.0
    };
    let pin = label.pin.map(pin_text);
    let pin_em = pin
        .as_deref()
        .map_or(0.0, |p| font.width_em(p) + 2.0 * PIN_PAD);
    let slots = |code_lines: f32| {
        LEAD * (1.0 + code_lines + f32::from(u8::from(stars.is_some())))
            + if pin.is_some() { PIN_LEAD } else { 0.0 }
    };

    let aim = (w.min(h) * TEXT_SHARE).clamp(MIN_FONT, MAX_FONT);
    let min_text_em = half_em.max(pin_em).max(stars_em);
    let side_right = ih.min(iw - aim * min_text_em);
    let below_code_lines = if code_em * aim <= iw { 1.0 } else { 2.0 };
    let side_below = iw.min(ih - aim * slots(below_code_lines));
    let beside = side_right >= side_below;
    // In the smallest cells the text cannot be legible anyway; the QR,
    // which is what gets scanned, keeps most of the cell.
    let floor = QR_MIN_SHARE * iw.min(ih);
    let (side_right, side_below) = (side_right.max(floor), side_below.max(floor));

    let (qr, text) = if beside {
        let side = side_right;
        let qr = Rect {
            x: pad,
            y: pad + (ih - side) / 2.0,
            w: side,
            h: side,
        };
        (
            qr,
            Rect {
                x: pad + side,
                y: pad,
                w: iw - side,
                h: ih,
            },
        )
    } else {
        let side = side_below;
        let qr = Rect {
            x: pad + (iw - side) / 2.0,
            y: pad,
            w: side,
            h: side,
        };
        (
            qr,
            Rect {
                x: pad,
                y: pad + side,
                w: iw,
                h: ih - side,
            },
        )
    };

    // One code line reads better; split only when that buys clearly larger text.
    let size_for = |code_lines: f32, line_em: f32| {
        (text.h / slots(code_lines))
            .min(text.w / line_em)
            .min(MAX_FONT)
    };
    let (one, two) = (size_for(1.0, code_em), size_for(2.0, half_em));
    let (size, split) = if one >= 0.9 * two {
        (one, false)
    } else {
        (two, true)
    };

    let mut lines = Vec::with_capacity(6);
    let y = text.y + (text.h - slots(if split { 2.0 } else { 1.0 }) * size) / 2.0;
    let mut y = y.max(text.y);
    let centre = !beside;
    let mut push = |kind, text_: Cow<'a, str>, line_size: f32, y: f32| {
        let width = font.width_em(&text_) * line_size;
        let x = if centre {
            text.x + (text.w - width) / 2.0
        } else {
            text.x
        };
        lines.push(TextLine {
            kind,
            text: text_,
            x,
            baseline: y + ASCENT * line_size,
            size: line_size,
        });
    };

    // The name may shrink a little before it is cut.
    let name_em = font.width_em(label.product_name);
    let name_size = size.min((text.w / name_em).max(size * 0.7));
    let name = font.fit(label.product_name, text.w / name_size);
    push(LineKind::Name, name, name_size, y);
    y += LEAD * size;
    if split {
        push(LineKind::Code, Cow::Borrowed(code_a), size, y);
        y += LEAD * size;
        push(LineKind::Code, Cow::Borrowed(code_b), size, y);
    } else {
        push(LineKind::Code, Cow::Borrowed(code), size, y);
    }
    y += LEAD * size;
    if let Some(stars) = stars {
        let s = size.min(text.w / stars_em);
        push(LineKind::Stars, Cow::Owned(stars), s, y);
        y += LEAD * size;
    }
    let mut pin_box = None;
    if let Some(pin) = pin {
        let s = size.min(text.w / pin_em);
        let frame_w = pin_em * s;
        let frame_h = 1.5 * s;
        let frame_y = y + (PIN_LEAD * size - frame_h) / 2.0;
        let frame_x = if centre {
            text.x + (text.w - frame_w) / 2.0
        } else {
            text.x
        };
        pin_box = Some(Rect {
            x: frame_x,
            y: frame_y,
            w: frame_w,
            h: frame_h,
        });
        // Centre the digits' cap height (0.73 em) in the frame.
        let baseline = frame_y + (frame_h + 0.73 * s) / 2.0;
        lines.push(TextLine {
            kind: LineKind::Pin,
            text: Cow::Owned(pin),
            x: frame_x + PIN_PAD * s,
            baseline,
            size: s,
        });
    }
    Placement { qr, lines, pin_box }
}

/// Splits `6KFK-S7G0-7T75-3H27` at the dash nearest its middle.
fn split_code(code: &str) -> (&str, &str) {
    let mid = code.len() / 2;
    let at = code
        .match_indices('-')
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(mid))
        .unwrap_or_else(|| {
            (0..=mid)
                .rev()
                .find(|&i| code.is_char_boundary(i))
                .unwrap_or(0)
        });
    let (a, b) = code.split_at(at);
    (a, b.strip_prefix('-').unwrap_or(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label() -> Label<'static> {
        Label {
            qr_content: "HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27",
            code_display: "6KFK-S7G0-7T75-3H27",
            product_name: "Cà phê Đông Triều",
            stars: Some(4),
            pin: Some("12345678"),
        }
    }

    fn inside(r: Rect, w: f32, h: f32) -> bool {
        r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= w + 1e-3 && r.y + r.h <= h + 1e-3
    }

    #[test]
    fn wide_cells_put_the_text_beside_the_qr() {
        let (w, h) = (38.0, 21.3);
        let p = place(&label(), w, h);
        assert!(inside(p.qr, w, h));
        assert!(p.qr.w > 18.0, "{:?}", p.qr);
        for line in &p.lines {
            assert!(line.x >= p.qr.x + p.qr.w - 1e-3, "{line:?}");
            let width = Font::get().width_em(&line.text) * line.size;
            assert!(line.x + width <= w, "{line:?}");
            assert!(line.baseline <= h, "{line:?}");
            assert!(line.size >= 1.6, "{line:?}");
        }
        assert!(inside(p.pin_box.unwrap(), w, h));
        let kinds: Vec<_> = p.lines.iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(kinds, [Name, Code, Code, Stars, Pin]);
    }

    #[test]
    fn tall_cells_put_the_text_below_the_qr() {
        let (w, h) = (40.0, 50.0);
        let p = place(&label(), w, h);
        assert!(p.qr.w > 28.0, "{:?}", p.qr);
        for line in &p.lines {
            assert!(line.baseline > p.qr.y + p.qr.h, "{line:?}");
            assert!(line.baseline < h, "{line:?}");
        }
        assert_eq!(p.lines[1].text, "6KFK-S7G0-7T75-3H27");
        assert_eq!(p.lines[0].text, "Cà phê Đông Triều");
    }

    #[test]
    fn no_stars_and_no_pin_leave_no_lines() {
        let mut l = label();
        l.stars = None;
        l.pin = None;
        let p = place(&l, 47.5, 27.7);
        assert!(p.pin_box.is_none());
        assert!(p
            .lines
            .iter()
            .all(|l| matches!(l.kind, LineKind::Name | LineKind::Code)));
    }

    #[test]
    fn everything_stays_inside_any_allowed_cell() {
        let mut odd = label();
        odd.product_name = "";
        odd.code_display = "";
        for l in [label(), odd] {
            for w in (15..=210).step_by(7) {
                for h in (15..=297).step_by(11) {
                    let (w, h) = (w as f32, h as f32);
                    let p = place(&l, w, h);
                    assert!(inside(p.qr, w, h) && p.qr.w > 5.0, "{w}x{h}: {:?}", p.qr);
                    for line in &p.lines {
                        let width = Font::get().width_em(&line.text) * line.size;
                        assert!(
                            line.size.is_finite() && line.size > 0.5,
                            "{w}x{h}: {line:?}"
                        );
                        assert!(
                            line.x >= 0.0 && line.x + width <= w + 1e-3,
                            "{w}x{h}: {line:?}"
                        );
                        assert!(
                            line.baseline > 0.0 && line.baseline <= h,
                            "{w}x{h}: {line:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn splits_codes_at_the_middle_dash() {
        assert_eq!(
            split_code("6KFK-S7G0-7T75-3H27"),
            ("6KFK-S7G0", "7T75-3H27")
        );
        assert_eq!(split_code("ABCDEF"), ("ABC", "DEF"));
        assert_eq!(stars_text(4), "OCOP ★★★★");
    }
}
