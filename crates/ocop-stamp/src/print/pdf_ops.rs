//! A minimal content-stream writer. `pdf_writer::Content` would do, but it
//! writes full-precision floats and writes 2-byte glyph ids as octal-escaped
//! literal strings; a 10,000-label sheet has millions of numbers, so short
//! fixed-point numbers and hex strings keep it small and fast.

use super::qr::QrMatrix;

pub(crate) struct Ops {
    pub buf: Vec<u8>,
}

impl Ops {
    pub(crate) fn with_capacity(n: usize) -> Ops {
        Ops {
            buf: Vec::with_capacity(n),
        }
    }

    pub(crate) fn clear(&mut self) {
        self.buf.clear();
    }

    /// Raw operators and names, e.g. `b"q\n"`.
    pub(crate) fn raw(&mut self, s: &[u8]) -> &mut Ops {
        self.buf.extend_from_slice(s);
        self
    }

    pub(crate) fn int(&mut self, v: usize) -> &mut Ops {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut v = v;
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&digits[i..]);
        self.buf.push(b' ');
        self
    }

    /// `v` with at most two decimals: 0.01 mm is far below printer dots.
    pub(crate) fn num(&mut self, v: f32) -> &mut Ops {
        self.fixed(v, 100)
    }

    /// `v` with at most four decimals, for scale factors that multiply.
    pub(crate) fn num4(&mut self, v: f32) -> &mut Ops {
        self.fixed(v, 10_000)
    }

    fn fixed(&mut self, v: f32, scale: u32) -> &mut Ops {
        debug_assert!(v.is_finite(), "non-finite coordinate in a PDF");
        let scaled = (f64::from(v) * f64::from(scale)).round() as i64;
        if scaled < 0 {
            self.buf.push(b'-');
        }
        let scaled = scaled.unsigned_abs();
        let (whole, mut frac) = (scaled / u64::from(scale), scaled % u64::from(scale));
        self.int(whole as usize);
        if frac != 0 {
            self.buf.pop(); // the space after the integer part
            self.buf.push(b'.');
            let mut div = scale / 10;
            while frac != 0 {
                self.buf.push(b'0' + (frac / u64::from(div)) as u8);
                frac %= u64::from(div);
                div /= 10;
            }
            self.buf.push(b' ');
        }
        self
    }

    /// The dark modules of `qr` as one fill of horizontal runs, a module
    /// `module` wide, its top-left corner at (`left`, `top`) in the current
    /// y-up space; drawn in module units with y downwards, so the runs are
    /// short integers.
    pub(crate) fn qr(&mut self, qr: &QrMatrix, module: f32, left: f32, top: f32) -> &mut Ops {
        self.raw(b"q ").num4(module).raw(b"0 0 ").num4(-module);
        self.num(left).num(top).raw(b"cm\n");
        for (x, y, len) in qr.dark_runs() {
            self.int(x).int(y).int(len).raw(b"1 re\n");
        }
        self.raw(b"f Q\n")
    }

    /// A hex string of 2-byte glyph ids followed by `Tj`.
    pub(crate) fn show_hex(&mut self, cids: &[u8]) -> &mut Ops {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        self.buf.push(b'<');
        for &b in cids {
            self.buf.push(HEX[usize::from(b >> 4)]);
            self.buf.push(HEX[usize::from(b & 15)]);
        }
        self.buf.extend_from_slice(b"> Tj\n");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Ops)) -> String {
        let mut ops = Ops::with_capacity(16);
        f(&mut ops);
        String::from_utf8(ops.buf).unwrap()
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(
            text(|o| {
                o.num(12.0);
            }),
            "12 "
        );
        assert_eq!(
            text(|o| {
                o.num(12.345);
            }),
            "12.35 "
        );
        assert_eq!(
            text(|o| {
                o.num(0.05);
            }),
            "0.05 "
        );
        assert_eq!(
            text(|o| {
                o.num(-3.1);
            }),
            "-3.1 "
        );
        assert_eq!(
            text(|o| {
                o.num(-0.001);
            }),
            "0 "
        );
        assert_eq!(
            text(|o| {
                o.num4(2.834_645_7);
            }),
            "2.8346 "
        );
        assert_eq!(
            text(|o| {
                o.num4(0.5003);
            }),
            "0.5003 "
        );
        assert_eq!(
            text(|o| {
                o.int(0).int(1234).raw(b"re\n");
            }),
            "0 1234 re\n"
        );
        assert_eq!(
            text(|o| {
                o.show_hex(&[0, 1, 0xAB, 0xCD]);
            }),
            "<0001ABCD> Tj\n"
        );
    }
}
