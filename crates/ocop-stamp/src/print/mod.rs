//! Printing stamps: the QR matrix, one stamp as SVG or PNG, and A4 label
//! sheets as PDF for office printers (household producers print their own).
//!
//! Everything here renders into memory or into an `impl Write`; nothing
//! touches files, databases or the network. The one font, DejaVu Sans, is
//! compiled in so that Vietnamese text renders the same on every machine.

pub mod certificate;
mod font;
pub mod layout;
mod pdf_font;
mod pdf_ops;
mod pdf_out;
mod place;
pub mod png;
pub mod qr;
mod qr_mask;
pub mod sheet;
pub mod svg;

pub use self::certificate::{write_certificate_pdf, CertificateDoc};
pub use self::layout::{Layout, Margins};
pub use self::png::qr_png;
pub use self::qr::QrMatrix;
pub use self::sheet::write_pdf;
pub use self::svg::{qr_svg, stamp_svg};

/// What one label (one stamp) shows. Borrowed so that a caller generating
/// thousands of labels from serials needs only one label's strings at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label<'a> {
    /// What the QR encodes, e.g. `HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27`.
    pub qr_content: &'a str,
    /// The code as people read it, e.g. `6KFK-S7G0-7T75-3H27`.
    pub code_display: &'a str,
    /// The product's short name; cut with "…" where it does not fit.
    pub product_name: &'a str,
    /// OCOP star rating (3 to 5 in the programme); `None` prints no rating.
    pub stars: Option<u8>,
    /// The PIN printed in a box for a scratch-off sticker; `None` prints no box.
    pub pin: Option<&'a str>,
}

/// Anything [`write_pdf`] can print a label from: a borrowed [`Label`] or an
/// [`OwnedLabel`] made on the fly from a serial number.
pub trait LabelSource {
    fn label(&self) -> Label<'_>;
}

impl LabelSource for Label<'_> {
    fn label(&self) -> Label<'_> {
        *self
    }
}

impl<T: LabelSource + ?Sized> LabelSource for &T {
    fn label(&self) -> Label<'_> {
        (**self).label()
    }
}

/// A label that owns its strings, for iterators that build each label from
/// a serial number (an iterator cannot lend out borrows of its own items).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnedLabel {
    pub qr_content: String,
    pub code_display: String,
    pub product_name: String,
    pub stars: Option<u8>,
    pub pin: Option<String>,
}

impl LabelSource for OwnedLabel {
    fn label(&self) -> Label<'_> {
        Label {
            qr_content: &self.qr_content,
            code_display: &self.code_display,
            product_name: &self.product_name,
            stars: self.stars,
            pin: self.pin.as_deref(),
        }
    }
}

/// Why a QR, a stamp image or a label sheet could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("layout {0:?} is not COLUMNSxROWS: write it like \"4x10\" or \"5x13\"")]
    LayoutSyntax(String),
    #[error("{0} columns per page is not allowed: use 1 to {max}", max = layout::MAX_COLUMNS)]
    Columns(u32),
    #[error("{0} rows per page is not allowed: use 1 to {max}", max = layout::MAX_ROWS)]
    Rows(u32),
    #[error(
        "margin or gap of {0} mm is not allowed: use 0 to {max} mm",
        max = layout::MAX_MARGIN_MM
    )]
    Margin(f32),
    #[error(
        "{columns}x{rows} labels on A4 would be {width_mm:.1} x {height_mm:.1} mm, \
         smaller than the {min} mm minimum: use fewer columns or rows, or smaller margins and gaps",
        min = layout::MIN_LABEL_MM
    )]
    LabelTooSmall {
        columns: u8,
        rows: u8,
        width_mm: f32,
        height_mm: f32,
    },
    #[error(
        "QR content of {0} bytes is too long for a QR code (level M holds at most 2331 bytes, \
         4296 upper-case letters and digits): shorten the URL"
    )]
    QrTooLong(usize),
    #[error("QR encoding failed: {0}")]
    Qr(String),
    #[error("cannot print the certificate: {0}")]
    Certificate(String),
    #[error("nothing to print: the label list is empty")]
    NoLabels,
    #[error("a QR module must be 1 to {max} pixels, not {0}", max = png::MAX_MODULE_PX)]
    ModulePx(u32),
    #[error("the embedded font could not be subset for the PDF: {0}")]
    Font(String),
    #[error("PNG encoding failed: {0}")]
    Png(String),
    #[error("writing the output failed: {0}")]
    Io(#[from] std::io::Error),
}
