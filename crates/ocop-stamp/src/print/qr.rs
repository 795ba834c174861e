//! The QR matrix of a stamp URL, at error-correction level M.

use qrcode::bits::Bits;
use qrcode::canvas::Canvas;
use qrcode::types::QrError;
use qrcode::{EcLevel, Version};

use super::qr_mask::best_masked;
use super::PrintError;

/// Light modules around the symbol that ISO/IEC 18004 asks for.
pub const QUIET_ZONE: usize = 4;

/// A QR symbol's modules, row by row; `true` is dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    version: i16,
    width: usize,
    modules: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `content` at level M in the smallest version that holds it.
    pub fn new(content: &str) -> Result<QrMatrix, PrintError> {
        let bits = if content.bytes().all(is_alphanumeric) {
            alphanumeric_bits(content.as_bytes())
        } else {
            // Lower case or other bytes: let the encoder split the content
            // into the cheapest mix of modes.
            qrcode::bits::encode_auto(content.as_bytes(), EcLevel::M)
        }
        .map_err(|e| qr_error(e, content.len()))?;
        // What `QrCode::with_bits` does, but with our own mask scoring.
        let version = bits.version();
        let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)
            .map_err(|e| qr_error(e, content.len()))?;
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &ec);
        let width = version.width() as usize;
        let modules = best_masked(&canvas, width);
        let version = match version {
            Version::Normal(v) | Version::Micro(v) => v,
        };
        Ok(QrMatrix {
            version,
            width,
            modules,
        })
    }

    /// The QR version, 1 (21×21 modules) to 40.
    pub fn version(&self) -> i16 {
        self.version
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Whether the module in column `x`, row `y` is dark; out of range is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.modules[y * self.width + x]
    }

    /// Horizontal runs of dark modules as `(x, y, length)`, row by row, so
    /// renderers draw a few hundred rectangles instead of one per module.
    pub fn dark_runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.modules
            .chunks_exact(self.width)
            .enumerate()
            .flat_map(|(y, row)| {
                let mut x = 0;
                std::iter::from_fn(move || {
                    while x < row.len() && !row[x] {
                        x += 1;
                    }
                    if x == row.len() {
                        return None;
                    }
                    let start = x;
                    while x < row.len() && row[x] {
                        x += 1;
                    }
                    Some((start, y, x - start))
                })
            })
    }
}

/// The QR alphanumeric set: 0-9, A-Z, space and `$%*+-./:`.
fn is_alphanumeric(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b' ' | b'$' | b'%' | b'*' | b'+' | b'-' | b'.' | b'/' | b':')
}

/// Stamp URLs are upper case on purpose: one alphanumeric segment takes
/// 5.5 bits a character instead of 8, which keeps a 30-character host at
/// version 3. Tries versions upwards because the length field grows with it.
fn alphanumeric_bits(data: &[u8]) -> Result<Bits, QrError> {
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        match bits
            .push_alphanumeric_data(data)
            .and_then(|()| bits.push_terminator(EcLevel::M))
        {
            Ok(()) => return Ok(bits),
            Err(QrError::DataTooLong) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(QrError::DataTooLong)
}

fn qr_error(e: QrError, len: usize) -> PrintError {
    match e {
        QrError::DataTooLong => PrintError::QrTooLong(len),
        other => PrintError::Qr(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST_30: &str = "OCOP.QUANGNINH.GOV.VN.EXAMPLE1";

    #[test]
    fn thirty_character_host_is_version_3_or_smaller() {
        assert_eq!(HOST_30.len(), 30);
        let url = format!("HTTPS://{HOST_30}/S/6KFKS7G07T753H27");
        let qr = QrMatrix::new(&url).unwrap();
        assert!(qr.version() <= 3, "version {}", qr.version());
        assert_eq!(qr.width(), 17 + 4 * qr.version() as usize);
    }

    #[test]
    fn upper_case_url_uses_alphanumeric_mode() {
        // 60 characters fit version 3-M only in alphanumeric mode (byte
        // mode holds 42 bytes there).
        let url = format!("HTTPS://{HOST_30}/S/6KFKS7G07T753H27");
        assert_eq!(url.len(), 57);
        assert_eq!(QrMatrix::new(&url).unwrap().version(), 3);
        let lower = url.to_lowercase();
        assert!(QrMatrix::new(&lower).unwrap().version() > 3);
    }

    #[test]
    fn lower_case_content_still_encodes() {
        let qr = QrMatrix::new("https://ocop.example/s/6kfks7g07t753h27?x=1").unwrap();
        assert!(qr.version() >= 1);
        // Finder pattern: top-left corner is dark, the separator light.
        assert!(qr.is_dark(0, 0));
        assert!(!qr.is_dark(7, 0));
        assert!(!qr.is_dark(qr.width(), 0));
    }

    /// Decodes `qr` with an independent reader, from a 4-pixel-per-module
    /// bitmap with the quiet zone.
    pub(crate) fn decode(qr: &QrMatrix) -> String {
        let px = 4;
        let side = (qr.width() + 2 * QUIET_ZONE) * px;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (
                (x / px).wrapping_sub(QUIET_ZONE),
                (y / px).wrapping_sub(QUIET_ZONE),
            );
            if qr.is_dark(mx, my) {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one QR symbol");
        grids[0].decode().expect("the symbol decodes").1
    }

    #[test]
    fn an_independent_reader_decodes_what_was_encoded() {
        for content in [
            "HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27",
            "HTTPS://OCOP.QUANGNINH.GOV.VN.EXAMPLE1/S/00000000000000ZZ",
            "https://ocop.example/s/6kfks7g07t753h27?lang=vi",
            "Nước mắm",
        ] {
            assert_eq!(decode(&QrMatrix::new(content).unwrap()), content);
        }
    }

    #[test]
    fn too_long_content_says_so() {
        let long = "A".repeat(5000);
        let err = QrMatrix::new(&long).unwrap_err();
        assert!(matches!(err, PrintError::QrTooLong(5000)), "{err}");
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let qr = QrMatrix::new("HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27").unwrap();
        let mut seen = vec![false; qr.width() * qr.width()];
        for (x, y, len) in qr.dark_runs() {
            for i in x..x + len {
                assert!(!seen[y * qr.width() + i]);
                seen[y * qr.width() + i] = true;
            }
        }
        for y in 0..qr.width() {
            for x in 0..qr.width() {
                assert_eq!(seen[y * qr.width() + x], qr.is_dark(x, y));
            }
        }
    }
}
