//! A stamp's QR as a PNG, for pasting into packaging artwork and for chat
//! apps that do not take SVG.

use super::qr::{QrMatrix, QUIET_ZONE};
use super::PrintError;

/// 64 px modules make a version-3 QR 2368 px wide, enough for a poster.
pub const MAX_MODULE_PX: u32 = 64;

/// The QR of `content` with a 4-module quiet zone, `module_px` pixels per
/// module, as a 1-bit greyscale PNG (a few hundred bytes).
pub fn qr_png(content: &str, module_px: u32) -> Result<Vec<u8>, PrintError> {
    if module_px == 0 || module_px > MAX_MODULE_PX {
        return Err(PrintError::ModulePx(module_px));
    }
    let qr = QrMatrix::new(content)?;
    let modules = qr.width() + 2 * QUIET_ZONE;
    let px = module_px as usize;
    let side = modules * px;
    let row_bytes = side.div_ceil(8);

    let mut pixels = vec![0xffu8; row_bytes * side];
    for y in 0..qr.width() {
        let top = (y + QUIET_ZONE) * px;
        let (first, rest) = pixels[top * row_bytes..(top + px) * row_bytes].split_at_mut(row_bytes);
        for x in (0..qr.width()).filter(|&x| qr.is_dark(x, y)) {
            let left = (x + QUIET_ZONE) * px;
            for col in left..left + px {
                // 1-bit greyscale: 0 is black, leftmost pixel in the high bit.
                first[col / 8] &= !(0x80 >> (col % 8));
            }
        }
        // A module is `px` pixel rows of the same pattern.
        for row in rest.chunks_exact_mut(row_bytes) {
            row.copy_from_slice(first);
        }
    }

    let mut out = Vec::with_capacity(256 + pixels.len() / 8);
    let side = side as u32;
    let mut encoder = ::png::Encoder::new(&mut out, side, side);
    encoder.set_color(::png::ColorType::Grayscale);
    encoder.set_depth(::png::BitDepth::One);
    let png_err = |e: ::png::EncodingError| PrintError::Png(e.to_string());
    let mut writer = encoder.write_header().map_err(png_err)?;
    writer.write_image_data(&pixels).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27";

    #[test]
    fn png_decodes_to_the_qr_with_its_quiet_zone() {
        let bytes = qr_png(URL, 3).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let qr = QrMatrix::new(URL).unwrap();
        let side = (qr.width() + 8) * 3;

        let mut decoder = ::png::Decoder::new(std::io::Cursor::new(&bytes));
        decoder.set_transformations(::png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width as usize, info.height as usize), (side, side));
        assert_eq!(info.color_type, ::png::ColorType::Grayscale);
        // Expanded to 8 bits: check every module's centre pixel.
        for y in 0..qr.width() + 8 {
            for x in 0..qr.width() + 8 {
                let px = buf[(y * 3 + 1) * info.line_size + x * 3 + 1];
                let dark = x >= 4 && y >= 4 && qr.is_dark(x - 4, y - 4);
                assert_eq!(px == 0, dark, "module {x},{y}");
            }
        }
    }

    #[test]
    fn module_size_is_checked() {
        assert!(matches!(qr_png(URL, 0), Err(PrintError::ModulePx(0))));
        let msg = qr_png(URL, 65).unwrap_err().to_string();
        assert!(msg.contains("1 to 64 pixels"), "{msg}");
    }
}
