//! Spreadsheet input and output for ocop: provincial offices keep their lists of producers and
//! products in Excel, so imports read `.xlsx` and exports write `.xlsx` or CSV.
//!
//! - [`write_xlsx`] and [`write_csv`] export a [`Table`] (every cell is text, so tax codes like
//!   "0100109106" and commune codes like "06946" keep their leading zeros).
//! - [`template_xlsx`] builds an import template: the header row, an example row, and a
//!   "Hướng dẫn" (guide) sheet describing each column.
//! - [`read_xlsx`] reads the first sheet of an uploaded workbook, finds the header row by
//!   matching titles case- and diacritic-insensitively, and returns the data rows. What the
//!   workbook may unpack to is checked first ([`archive`]): an upload cannot make the reader
//!   inflate gigabytes.
//!
//! Every text cell that a spreadsheet program could take for a formula is guarded on export;
//! see [`needs_formula_guard`] for the rule.
//!
//! ```
//! use ocop_sheets::{read_xlsx, write_xlsx, Column, Table};
//!
//! const COLUMNS: [Column; 2] = [
//!     Column::required("name", "Tên tổ chức"),
//!     Column::required("tax_code", "Mã số thuế").with_note("10 hoặc 13 chữ số"),
//! ];
//! let table = Table {
//!     columns: COLUMNS.to_vec(),
//!     rows: vec![vec!["HTX Chè Tân Cương".into(), "0100109106".into()]],
//! };
//! let bytes = write_xlsx("Chủ thể OCOP", &table)?;
//! let rows = read_xlsx(&bytes, &COLUMNS)?;
//! assert_eq!(rows[0].row, 2);
//! assert_eq!(rows[0].get("tax_code"), Some("0100109106"));
//! # Ok::<(), ocop_sheets::SheetError>(())
//! ```

pub mod archive;
mod csv;
mod error;
mod guard;
mod read;
mod write;

pub use crate::csv::write_csv;
pub use crate::error::SheetError;
pub use crate::guard::needs_formula_guard;
pub use crate::read::{read_xlsx, read_xlsx_with_limit, SheetRow, MAX_ROWS};
pub use crate::write::{template_xlsx, write_xlsx, GUIDE_SHEET};
/// Header matching folds like the register's search: one fold for the workspace.
pub use ocop_domain::text::fold;

/// One column of a sheet: a stable machine key and the header people see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Stable machine key, e.g. `"tax_code"`; also accepted as a header on import.
    pub key: &'static str,
    /// The title people see in the header row, e.g. `"Mã số thuế"`.
    pub header: &'static str,
    /// Whether an import must have this column (whether each row must fill it is the caller's
    /// rule; the template's guide sheet says "Bắt buộc: Có").
    pub required: bool,
    /// Guidance for the template's guide sheet, e.g. `"10 hoặc 13 chữ số"`.
    pub note: &'static str,
}

impl Column {
    /// A required column without a note.
    pub const fn required(key: &'static str, header: &'static str) -> Column {
        Column {
            key,
            header,
            required: true,
            note: "",
        }
    }

    /// An optional column without a note.
    pub const fn optional(key: &'static str, header: &'static str) -> Column {
        Column {
            key,
            header,
            required: false,
            note: "",
        }
    }

    /// The same column with a note for the template's guide sheet.
    pub const fn with_note(self, note: &'static str) -> Column {
        Column { note, ..self }
    }
}

/// A table to export: headers from `columns`, cells as text.
///
/// Each row lines up with `columns`: a row shorter than `columns` leaves the remaining cells
/// empty, and cells beyond `columns.len()` are not written. Empty strings are empty cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}
