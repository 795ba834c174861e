//! One stamp as SVG, for the web page that previews a stamp and for
//! producers who lay out their own packaging.

use std::fmt::Write as _;

use super::place::place;
use super::qr::{QrMatrix, QUIET_ZONE};
use super::{Label, PrintError};

/// A stamp's size in millimetres: a QR about 3 cm wide with text below.
pub const STAMP_WIDTH_MM: f32 = 40.0;
pub const STAMP_HEIGHT_MM: f32 = 50.0;

const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

/// Just the QR, with its 4-module quiet zone, one user unit per module;
/// scale it with CSS.
pub fn qr_svg(content: &str) -> Result<String, PrintError> {
    let qr = QrMatrix::new(content)?;
    let n = qr.width() + 2 * QUIET_ZONE;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/>"
    );
    push_qr_path(&mut svg, &qr, "");
    svg.push_str("</svg>");
    Ok(svg)
}

/// A 40 × 50 mm stamp: QR, product name, code, star rating and PIN box.
pub fn stamp_svg(label: &Label) -> Result<String, PrintError> {
    let qr = QrMatrix::new(label.qr_content)?;
    let (w, h) = (STAMP_WIDTH_MM, STAMP_HEIGHT_MM);
    let p = place(label, w, h);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" \
         viewBox=\"0 0 {w} {h}\"><rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>"
    );
    let module = p.qr.w / (qr.width() + 2 * QUIET_ZONE) as f32;
    let transform = format!(
        " transform=\"translate({} {}) scale({})\" shape-rendering=\"crispEdges\"",
        r(p.qr.x + QUIET_ZONE as f32 * module),
        r(p.qr.y + QUIET_ZONE as f32 * module),
        r4(module)
    );
    push_qr_path(&mut svg, &qr, &transform);
    if let Some(b) = p.pin_box {
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#000\" \
             stroke-width=\"0.2\"/>",
            r(b.x),
            r(b.y),
            r(b.w),
            r(b.h)
        );
    }
    for line in &p.lines {
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" font-family=\"{FONT_FAMILY}\" font-size=\"{}\">",
            r(line.x),
            r(line.baseline),
            r(line.size),
        );
        escape_into(&mut svg, &line.text);
        svg.push_str("</text>");
    }
    svg.push_str("</svg>");
    Ok(svg)
}

/// All dark modules as ONE path of merged horizontal runs: a few hundred
/// rectangles instead of one per module, and no hairline seams between
/// them when a browser anti-aliases.
fn push_qr_path(svg: &mut String, qr: &QrMatrix, attrs: &str) {
    let _ = write!(svg, "<path{attrs} fill=\"#000\" d=\"");
    // The bare QR has no transform, so the quiet zone offsets its modules.
    let offset = if attrs.is_empty() { QUIET_ZONE } else { 0 };
    for (x, y, len) in qr.dark_runs() {
        let _ = write!(svg, "M{} {}h{len}v1h-{len}z", x + offset, y + offset);
    }
    svg.push_str("\"/>");
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// Millimetres to 0.01 mm: finer than any printer and keeps the SVG short.
fn r(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn r4(v: f32) -> f32 {
    (v * 10000.0).round() / 10000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label() -> Label<'static> {
        Label {
            qr_content: "HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27",
            code_display: "6KFK-S7G0-7T75-3H27",
            product_name: "Nước mắm <Cái Rồng> & \"Hạ Long\"",
            stars: Some(4),
            pin: Some("12345678"),
        }
    }

    #[test]
    fn stamp_has_one_qr_path_the_texts_and_the_pin_box() {
        let svg = stamp_svg(&label()).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40mm\""));
        assert!(svg.contains("viewBox=\"0 0 40 50\""));
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains("6KFK-S7G0-7T75-3H27"));
        assert!(svg.contains("OCOP ★★★★<"));
        assert!(svg.contains("PIN: 12345678"));
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
        // Escaped, with the diacritics left as UTF-8.
        assert!(svg.contains("Nước mắm &lt;Cái"), "{svg}");
        assert!(!svg.contains("<Cái"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn no_stars_and_no_pin_are_left_out() {
        let mut l = label();
        l.stars = None;
        l.pin = None;
        let svg = stamp_svg(&l).unwrap();
        assert!(!svg.contains("OCOP"));
        assert!(!svg.contains("PIN"));
        assert_eq!(svg.matches("<rect").count(), 1);
    }

    #[test]
    fn qr_svg_draws_every_dark_module_once() {
        let content = "HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27";
        let svg = qr_svg(content).unwrap();
        let qr = QrMatrix::new(content).unwrap();
        let n = qr.width() + 8;
        assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")));
        let dark: usize = qr.dark_runs().map(|(_, _, len)| len).sum();
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        let drawn: usize = d
            .split('h')
            .skip(1)
            .step_by(2)
            .map(|s| s.split('v').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(drawn, dark);
        // The top-left finder starts after the quiet zone.
        assert!(svg.contains("d=\"M4 4h7v1h-7z"), "{svg}");
    }
}
