//! Rows of a batch for printing houses (`serial,code,url[,pin]`) and labels for sheets, made one
//! serial at a time so that a ten-million-stamp batch never sits in memory.

use crate::code::StampCode;
use crate::derive::{DeriveError, Signer};
use crate::print::OwnedLabel;
use std::io::{self, Write};

/// Which URL form the QR carries (DESIGN §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkForm {
    /// `{PUBLIC_URL}/S/{CODE}`
    Stamp,
    /// `{PUBLIC_URL}/01/{GTIN-14}/21/{CODE}` for products with a GTIN.
    DigitalLink { gtin14: String },
}

/// The stamps `from..=to` of one batch, as they will be printed.
#[derive(Clone)]
pub struct StampRun<'a> {
    signer: Signer<'a>,
    /// Everything before the code in the QR URL, upper-cased.
    prefix: String,
    pub from: u64,
    pub to: u64,
}

impl<'a> StampRun<'a> {
    pub fn new(
        signer: Signer<'a>,
        public_url: &str,
        link: &LinkForm,
        from: u64,
        to: u64,
    ) -> Result<Self, DeriveError> {
        // Derive the ends now so a bad range fails before any output is written.
        signer.code(from)?;
        signer.code(to)?;
        let base: String = public_url
            .trim_end_matches('/')
            .chars()
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let prefix = match link {
            LinkForm::Stamp => format!("{base}/S/"),
            LinkForm::DigitalLink { gtin14 } => format!("{base}/01/{gtin14}/21/"),
        };
        Ok(StampRun {
            signer,
            prefix,
            from,
            to,
        })
    }

    pub fn len(&self) -> u64 {
        (self.to + 1).saturating_sub(self.from)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn url(&self, code: &StampCode) -> String {
        let mut url = String::with_capacity(self.prefix.len() + 16);
        url.push_str(&self.prefix);
        url.push_str(&code.to_string());
        url
    }

    /// CSV with a header, one row per stamp. `progress` hears the rows written so far, every
    /// 8,192 rows and at the end.
    pub fn write_csv<W: Write>(
        &self,
        out: W,
        with_pin: bool,
        progress: &mut dyn FnMut(u64),
    ) -> io::Result<()> {
        let mut out = io::BufWriter::with_capacity(1 << 16, out);
        out.write_all(if with_pin {
            b"serial,code,url,pin\n"
        } else {
            b"serial,code,url\n"
        })?;
        let mut line = Vec::with_capacity(128);
        let mut digits = [0u8; 20];
        for (i, serial) in (self.from..=self.to).enumerate() {
            // The range was checked in `new`, so derivation cannot fail here.
            let code = self.signer.code(serial).map_err(io::Error::other)?;
            let chars = code.to_chars();
            line.clear();
            line.extend_from_slice(decimal(serial, &mut digits));
            line.push(b',');
            for (k, chunk) in chars.chunks(4).enumerate() {
                if k > 0 {
                    line.push(b'-');
                }
                line.extend_from_slice(chunk);
            }
            line.push(b',');
            line.extend_from_slice(self.prefix.as_bytes());
            line.extend_from_slice(&chars);
            if with_pin {
                line.push(b',');
                let pin = self.signer.pin(serial).map_err(io::Error::other)?;
                line.extend_from_slice(&pin.to_digits());
            }
            line.push(b'\n');
            out.write_all(&line)?;
            if (i + 1) % 8192 == 0 {
                progress(i as u64 + 1);
            }
        }
        out.flush()?;
        progress(self.len());
        Ok(())
    }

    /// One label per stamp, for `print::write_pdf`.
    pub fn labels<'s>(
        &'s self,
        product_name: &'s str,
        stars: Option<u8>,
        with_pin: bool,
    ) -> impl Iterator<Item = OwnedLabel> + 's {
        (self.from..=self.to).map(move |serial| self.label(serial, product_name, stars, with_pin))
    }

    pub fn label(
        &self,
        serial: u64,
        product_name: &str,
        stars: Option<u8>,
        with_pin: bool,
    ) -> OwnedLabel {
        // Serials come from the checked range; a failure would mean a logic error upstream.
        let code = self.signer.code(serial).unwrap_or(StampCode::new(0, 0));
        OwnedLabel {
            qr_content: self.url(&code),
            code_display: code.grouped(),
            product_name: product_name.to_string(),
            stars,
            pin: with_pin
                .then(|| self.signer.pin(serial).ok().map(|p| p.to_string()))
                .flatten(),
        }
    }
}

fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::tests::vector_book;

    #[test]
    fn csv_rows_carry_the_design_vectors() {
        let book = vector_book();
        let run = StampRun::new(
            book.signer(1).unwrap(),
            "https://ocop.vn/",
            &LinkForm::Stamp,
            1,
            2,
        )
        .unwrap();
        let mut out = Vec::new();
        let mut heard = Vec::new();
        run.write_csv(&mut out, true, &mut |n| heard.push(n))
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "serial,code,url,pin\n\
             1,6KFK-S7G0-7T75-3H27,HTTPS://OCOP.VN/S/6KFKS7G07T753H27,32312692\n\
             2,RZ9R-YFR7-P77K-CFFW,HTTPS://OCOP.VN/S/RZ9RYFR7P77KCFFW,66285518\n"
        );
        assert_eq!(heard, vec![2]);
        let mut out = Vec::new();
        run.write_csv(&mut out, false, &mut |_| {}).unwrap();
        assert!(String::from_utf8(out).unwrap().starts_with(
            "serial,code,url\n1,6KFK-S7G0-7T75-3H27,HTTPS://OCOP.VN/S/6KFKS7G07T753H27\n"
        ));
    }

    #[test]
    fn digital_link_labels_and_bad_ranges() {
        let book = vector_book();
        let link = LinkForm::DigitalLink {
            gtin14: "08935000000015".into(),
        };
        let run = StampRun::new(
            book.signer(1).unwrap(),
            "https://ocop.vn",
            &link,
            1000,
            1000,
        )
        .unwrap();
        let labels: Vec<_> = run.labels("Chè xanh", Some(4), true).collect();
        assert_eq!(labels.len(), 1);
        assert_eq!(
            labels[0].qr_content,
            "HTTPS://OCOP.VN/01/08935000000015/21/S2DXDMFGH58G4995"
        );
        assert_eq!(labels[0].code_display, "S2DX-DMFG-H58G-4995");
        assert_eq!(labels[0].pin.as_deref(), Some("60920889"));
        assert!(StampRun::new(book.signer(1).unwrap(), "x", &LinkForm::Stamp, 1, 1 << 40).is_err());
        assert_eq!(decimal(0, &mut [0; 20]), b"0");
        assert_eq!(decimal(u64::MAX, &mut [0; 20]), b"18446744073709551615");
    }
}
