//! Exporting a batch's stamps: CSV for printing houses, A4 label sheets as PDF, one stamp as SVG
//! or PNG. Checks and the audit entry come first (`prepare`); the writing itself is blocking
//! work (`Export::write`) that the API streams and the CLI writes to a file.

use super::{batch, valid_stars};
use crate::error::{unprocessable, Problem};
use crate::users::Requester;
use ocop_stamp::print::{self, Layout};
use ocop_stamp::{CodeBook, LinkForm, StampRun};
use ocop_store::Store;
use std::io::Write;

/// A PDF is built in memory; this bounds one file (about 20 MB). Print a bigger batch in parts
/// with `from`/`to`.
pub const MAX_PDF_LABELS: i64 = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Pdf,
    Svg,
    Png,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, Problem> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "pdf" => Ok(Format::Pdf),
            "svg" => Ok(Format::Svg),
            "png" => Ok(Format::Png),
            other => Err(unprocessable(
                "format",
                "invalid_format",
                format!("`{other}` is not an export format: use csv, pdf, svg or png"),
            )),
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Svg => "image/svg+xml",
            Format::Png => "image/png",
        }
    }

    pub fn extension(&self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Pdf => "pdf",
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// What the requester asked for; `from`/`to` default to the whole batch (one stamp — the
/// first — for SVG and PNG).
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    pub with_pin: bool,
    pub layout: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// GS1 Digital Link URLs in the QR (products with a GTIN only).
    pub digital_link: bool,
}

/// A checked, authorized and audited export, ready to write.
#[derive(Debug, Clone)]
pub struct Export {
    pub format: Format,
    pub kid: u32,
    pub from: u64,
    pub to: u64,
    pub with_pin: bool,
    pub layout: Layout,
    pub link: LinkForm,
    pub product_name: String,
    pub stars: Option<u8>,
    pub file_name: String,
}

pub async fn prepare(
    store: &dyn Store,
    codes: &CodeBook,
    by: Requester<'_>,
    batch_id: i64,
    req: &ExportRequest,
) -> Result<Export, Problem> {
    // Codes are printing authority: only those who may change the product export them.
    let (b, p) = batch(store, by, batch_id, true).await?;
    let single = matches!(req.format, Format::Svg | Format::Png);
    let from = req.from.unwrap_or(b.first_serial);
    let to = req
        .to
        .unwrap_or(if single { from } else { b.last_serial() });
    if from < b.first_serial || to > b.last_serial() || from > to {
        return Err(unprocessable(
            "from",
            "range_outside_batch",
            format!(
                "serials {from}–{to} are not a range of this batch, which holds {}–{}",
                b.first_serial,
                b.last_serial()
            ),
        ));
    }
    if single && from != to {
        return Err(unprocessable(
            "to",
            "one_stamp_only",
            "SVG and PNG show one stamp: give one serial (from = to), or export PDF or CSV for many",
        ));
    }
    if req.format == Format::Pdf && to - from + 1 > MAX_PDF_LABELS {
        return Err(unprocessable(
            "to",
            "pdf_too_large",
            format!(
                "one PDF holds at most {MAX_PDF_LABELS} labels: print serials {from}–{} first, then the rest with from/to",
                from + MAX_PDF_LABELS - 1
            ),
        ));
    }
    let layout = match req
        .layout
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(spec) => Layout::parse(spec)
            .map_err(|e| unprocessable("layout", "invalid_layout", e.to_string()))?,
        None => Layout::default(),
    };
    let link = match (req.digital_link, &p.gtin) {
        (false, _) => LinkForm::Stamp,
        (true, Some(gtin)) => LinkForm::DigitalLink {
            gtin14: gtin.clone(),
        },
        (true, None) => return Err(unprocessable(
            "link",
            "no_gtin",
            "the GS1 Digital Link form needs the product's GTIN: record it on the product first",
        )),
    };
    let kid = u32::try_from(b.kid).unwrap_or(0);
    if codes.signer(kid).is_err() {
        return Err(Problem::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "key_missing",
            format!(
                "this server's key file has no key {kid} for this batch: restart it with the current key file after `ocop keys rotate`"
            ),
        ));
    }
    let entry = by.audit(
        if req.with_pin {
            "stamp_pins_exported"
        } else {
            "stamps_exported"
        },
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"product": p.code, "batch": b.id, "from": from, "to": to,
            "format": req.format.extension(), "with_pin": req.with_pin}),
    );
    store.record_audit(&entry).await?;
    Ok(Export {
        format: req.format,
        kid,
        from: from as u64,
        to: to as u64,
        with_pin: req.with_pin,
        layout,
        link,
        stars: valid_stars(store, p.id).await?,
        file_name: format!(
            "tem-{}-lo{}-{from}-{to}.{}",
            p.code,
            b.id,
            req.format.extension()
        ),
        product_name: p.name,
    })
}

impl Export {
    pub fn len(&self) -> u64 {
        self.to - self.from + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// Writes the export; `progress` hears how many stamps are done. Blocking: run it off the
    /// async runtime.
    pub fn write(
        &self,
        codes: &CodeBook,
        public_url: &str,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(u64),
    ) -> Result<(), ExportError> {
        let signer = codes
            .signer(self.kid)
            .map_err(|e| ExportError::Other(e.to_string()))?;
        let run = StampRun::new(signer, public_url, &self.link, self.from, self.to)
            .map_err(|e| ExportError::Other(e.to_string()))?;
        match self.format {
            Format::Csv => run.write_csv(out, self.with_pin, progress)?,
            Format::Pdf => {
                let title = format!("{} — tem OCOP {}–{}", self.product_name, self.from, self.to);
                print::write_pdf(
                    out,
                    &self.layout,
                    &title,
                    run.labels(&self.product_name, self.stars, self.with_pin),
                    progress,
                )?;
            }
            Format::Svg => {
                let label = run.label(self.from, &self.product_name, self.stars, self.with_pin);
                out.write_all(print::stamp_svg(&print::LabelSource::label(&label))?.as_bytes())?;
            }
            Format::Png => {
                let label = run.label(self.from, &self.product_name, self.stars, self.with_pin);
                out.write_all(&print::qr_png(&label.qr_content, 8)?)?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Print(#[from] print::PrintError),
    #[error("{0}")]
    Other(String),
}
