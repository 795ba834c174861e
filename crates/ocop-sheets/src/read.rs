//! Reading an uploaded `.xlsx` workbook.
//!
//! The sheet is streamed cell by cell (never expanded into a dense grid, which a crafted file
//! with one cell in A1 and one in XFD1048576 would make enormous), only the mapped columns are
//! kept, and reading stops as soon as the row limit is passed.

use crate::fold;
use crate::{Column, SheetError};
use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx, XlsxError};
use std::collections::HashMap;
use std::io::Cursor;
use unicode_normalization::UnicodeNormalization;

/// The most data rows [`read_xlsx`] accepts: a province's list of producers or products fits
/// well within it, and it bounds the memory and time an upload can take.
pub const MAX_ROWS: usize = 20_000;

/// The header row must be among the first this many non-empty rows (a title block above it is
/// common).
const HEADER_SEARCH_ROWS: usize = 30;

/// One data row of an uploaded sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The 1-based row number people see in Excel, for messages like "row 7: …".
    pub row: usize,
    /// The row's non-empty cells by column key: trimmed text in Unicode NFC; numbers without a
    /// trailing ".0" (5700100256 reads "5700100256"; 6946 stays "6946", so the caller pads
    /// codes); dates as YYYY-MM-DD (with " HH:MM:SS" when there is a time of day); TRUE/FALSE;
    /// error cells as Excel shows them ("#N/A"). Empty cells are absent.
    pub cells: HashMap<&'static str, String>,
}

impl SheetRow {
    /// The cell of column `key`, if it is not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.cells.get(key).map(String::as_str)
    }
}

/// Reads the first visible worksheet of an uploaded workbook, with at most [`MAX_ROWS`] data
/// rows. See [`read_xlsx_with_limit`].
pub fn read_xlsx(bytes: &[u8], columns: &[Column]) -> Result<Vec<SheetRow>, SheetError> {
    read_xlsx_with_limit(bytes, columns, MAX_ROWS)
}

/// Reads the first visible worksheet of an uploaded workbook.
///
/// The header row is the first row in which cells match at least two of `columns` (or all of
/// them when there are fewer), comparing each cell with the column's header and key after
/// [`fold`]ing both, so "TÊN TỔ CHỨC", "ten to chuc" and "name" all find
/// `Column { key: "name", header: "Tên tổ chức", .. }`. A trailing "*" or "(*)", which some
/// offices use to mark required columns, is ignored. Cells that match no column (such as "STT")
/// are ignored, and so are rows above the header.
///
/// Every later row with at least one non-empty cell in a matched column is returned, in sheet
/// order, with its spreadsheet row number. More than `max_rows` such rows is an error.
pub fn read_xlsx_with_limit(
    bytes: &[u8],
    columns: &[Column],
    max_rows: usize,
) -> Result<Vec<SheetRow>, SheetError> {
    let mut workbook = open(bytes)?;
    let sheet = first_worksheet(&workbook)?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(damaged)?;
    let mut parser = Parser::new(&sheet, columns, max_rows);
    let mut current: Option<u32> = None;
    let mut pending: Vec<(u32, String)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(damaged)? {
        let (row, col) = cell.get_position();
        if current != Some(row) {
            if let Some(done) = current {
                parser.finish_row(done, std::mem::take(&mut pending))?;
            }
            current = Some(row);
        }
        if !parser.wants(col) {
            continue;
        }
        if let Some(text) = cell_text(cell.get_value()) {
            pending.push((col, text));
        }
    }
    if let Some(done) = current {
        parser.finish_row(done, pending)?;
    }
    parser.finish()
}

/// Turns the rows of a sheet, in order, into [`SheetRow`]s.
struct Parser<'a> {
    sheet: &'a str,
    columns: &'a [Column],
    /// Folded header and key of each column, in the order of `columns`.
    folded: Vec<(String, String)>,
    max_rows: usize,
    /// Non-empty rows looked at while searching for the header.
    searched: usize,
    /// Sheet column index to column key, once the header row is found.
    header: Option<HashMap<u32, &'static str>>,
    rows: Vec<SheetRow>,
}

impl<'a> Parser<'a> {
    fn new(sheet: &'a str, columns: &'a [Column], max_rows: usize) -> Parser<'a> {
        Parser {
            sheet,
            columns,
            folded: columns
                .iter()
                .map(|c| (fold(c.header), fold(c.key)))
                .collect(),
            max_rows,
            searched: 0,
            header: None,
            rows: Vec::new(),
        }
    }

    /// Whether the cells of sheet column `col` are worth reading.
    fn wants(&self, col: u32) -> bool {
        self.header.as_ref().is_none_or(|h| h.contains_key(&col))
    }

    /// Takes the non-empty cells of 0-based sheet row `row`.
    fn finish_row(&mut self, row: u32, cells: Vec<(u32, String)>) -> Result<(), SheetError> {
        if cells.is_empty() {
            return Ok(());
        }
        let row_number = row as usize + 1;
        let Some(header) = &self.header else {
            self.searched += 1;
            if let Some(header) = self.match_header(row_number, &cells)? {
                self.header = Some(header);
            } else if self.searched >= HEADER_SEARCH_ROWS {
                return Err(self.no_header());
            }
            return Ok(());
        };
        let cells: HashMap<&'static str, String> = cells
            .into_iter()
            .filter_map(|(col, text)| header.get(&col).map(|key| (*key, text)))
            .collect();
        if cells.is_empty() {
            return Ok(());
        }
        if self.rows.len() >= self.max_rows {
            return Err(SheetError::TooManyRows {
                limit: self.max_rows,
            });
        }
        self.rows.push(SheetRow {
            row: row_number,
            cells,
        });
        Ok(())
    }

    /// The column mapping if `cells` form the header row.
    fn match_header(
        &self,
        row_number: usize,
        cells: &[(u32, String)],
    ) -> Result<Option<HashMap<u32, &'static str>>, SheetError> {
        let mut found: Vec<(u32, usize, &str)> = Vec::new();
        for (col, text) in cells {
            let title = header_title(text);
            if let Some(index) = self
                .folded
                .iter()
                .position(|(h, k)| *h == title || *k == title)
            {
                found.push((*col, index, text));
            }
        }
        let mut seen = vec![false; self.columns.len()];
        let mut duplicate = None;
        for (_, index, text) in &found {
            if std::mem::replace(&mut seen[*index], true) && duplicate.is_none() {
                duplicate = Some(text.to_string());
            }
        }
        let matched = seen.iter().filter(|s| **s).count();
        if matched == 0 || matched < self.columns.len().min(2) {
            return Ok(None);
        }
        if let Some(header) = duplicate {
            return Err(SheetError::DuplicateColumn {
                header,
                header_row: row_number,
            });
        }
        let missing: Vec<&'static str> = self
            .columns
            .iter()
            .zip(&seen)
            .filter(|(column, seen)| column.required && !**seen)
            .map(|(column, _)| column.header)
            .collect();
        if !missing.is_empty() {
            return Err(SheetError::MissingColumns {
                header_row: row_number,
                missing,
            });
        }
        Ok(Some(
            found
                .into_iter()
                .map(|(col, index, _)| (col, self.columns[index].key))
                .collect(),
        ))
    }

    fn no_header(&self) -> SheetError {
        SheetError::NoHeaderRow {
            sheet: self.sheet.to_string(),
            searched: HEADER_SEARCH_ROWS,
            expected: self.columns.iter().map(|c| c.header).collect(),
        }
    }

    fn finish(self) -> Result<Vec<SheetRow>, SheetError> {
        if self.header.is_none() && !self.columns.is_empty() {
            return Err(self.no_header());
        }
        Ok(self.rows)
    }
}

/// A header cell folded for matching, without a trailing required-mark "*" or "(*)".
fn header_title(text: &str) -> String {
    let folded = fold(text);
    let title = folded.strip_suffix("(*)").unwrap_or(&folded);
    title.trim_end_matches(['*', ' ']).to_string()
}

type Workbook<'b> = Xlsx<Cursor<&'b [u8]>>;

/// The start of every ZIP file with at least one entry, which an .xlsx is.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The start of an OLE compound file: Excel 97-2003 .xls, and also an encrypted .xlsx.
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn open(bytes: &[u8]) -> Result<Workbook<'_>, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError::EmptyFile);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(match Xlsx::new(Cursor::new(bytes)) {
            Err(XlsxError::Password) => SheetError::Encrypted,
            _ => SheetError::NotXlsx {
                found: "an old Excel 97-2003 workbook (.xls)",
            },
        });
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(SheetError::NotXlsx {
            found: sniff(bytes),
        });
    }
    // Other formats that are ZIP files too. Entry names are stored uncompressed.
    let head = &bytes[..bytes.len().min(200)];
    if contains(
        head,
        b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
    ) {
        return Err(SheetError::NotXlsx {
            found: "an OpenDocument spreadsheet (.ods)",
        });
    }
    if contains(bytes, b"xl/workbook.bin") {
        return Err(SheetError::NotXlsx {
            found: "an Excel binary workbook (.xlsb)",
        });
    }
    if contains(bytes, b"word/document.xml") {
        return Err(SheetError::NotXlsx {
            found: "a Word document",
        });
    }
    // Before the reader inflates anything.
    crate::archive::check(bytes)?;
    Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => SheetError::Encrypted,
        _ if !contains(bytes, b"xl/") => SheetError::NotXlsx {
            found: "a ZIP archive",
        },
        e => damaged(e),
    })
}

/// What a file that is not a ZIP archive looks like, for [`SheetError::NotXlsx`].
fn sniff(bytes: &[u8]) -> &'static str {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    if head.starts_with(b"%PDF") {
        "a PDF document"
    } else if contains(&lower, b"<html") || contains(&lower, b"<table") {
        // Some systems export an HTML table under an .xls name.
        "a web page (HTML)"
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        // Excel's "Unicode Text" is UTF-16 with a byte-order mark.
        "a text file"
    } else if is_text(head) {
        "a text or CSV file"
    } else {
        "of an unknown type"
    }
}

/// Whether `head` (the start of a file) is UTF-8 text without control characters other than
/// tab, line ends and form feed.
fn is_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(_) => head.len(),
        // A character cut at the end of `head` is fine.
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(_) => return false,
    };
    head[..valid]
        .iter()
        .all(|b| *b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn damaged(e: XlsxError) -> SheetError {
    SheetError::Damaged {
        reason: e.to_string(),
    }
}

/// The first visible worksheet (what Excel shows when the file opens, in the usual case), or
/// the first worksheet if all are hidden.
fn first_worksheet(workbook: &Workbook<'_>) -> Result<String, SheetError> {
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
        .ok_or(SheetError::NoSheet)
}

/// The text of a cell, or `None` when it is empty.
fn cell_text(value: &DataRef<'_>) -> Option<String> {
    let text = match value {
        DataRef::Empty => return None,
        DataRef::String(s) => text_value(s)?,
        DataRef::SharedString(s) => text_value(s)?,
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(true) => "TRUE".to_string(),
        DataRef::Bool(false) => "FALSE".to_string(),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::DateTimeIso(s) => iso_text(s.trim()),
        DataRef::DurationIso(s) => s.trim().to_string(),
        DataRef::Error(e) => e.to_string(),
    };
    (!text.is_empty()).then_some(text)
}

/// Trimmed, and composed (NFC) so that text typed with decomposed accents compares equal.
fn text_value(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else if unicode_normalization::is_nfc(s) {
        Some(s.to_string())
    } else {
        Some(s.nfc().collect())
    }
}

/// A number as Excel shows it in a General cell: at most 15 significant digits (so a stored
/// 0.30000000000000004 reads "0.3"), whole numbers without ".0", never an exponent.
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let f: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if f.fract() == 0.0 && f.abs() < 1e15 {
        // Exact: whole and below 2^53.
        (f as i64).to_string()
    } else {
        f.to_string()
    }
}

/// A date cell as YYYY-MM-DD, with " HH:MM:SS" when it has a time of day; a time alone as
/// HH:MM:SS; a duration as hours:MM:SS.
fn datetime_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        let seconds = (dt.as_f64() * 86_400.0).round() as i64;
        let sign = if seconds < 0 { "-" } else { "" };
        let s = seconds.abs();
        return format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    }
    let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
    let time = format!("{hour:02}:{minute:02}:{second:02}");
    if (0.0..1.0).contains(&dt.as_f64()) {
        return time;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if (hour, minute, second) == (0, 0, 0) {
        date
    } else {
        format!("{date} {time}")
    }
}

/// An ISO 8601 date cell (`t="d"`): "2025-07-01T00:00:00" reads "2025-07-01".
fn iso_text(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time)) if time.chars().all(|c| matches!(c, '0' | ':' | '.')) => {
            date.to_string()
        }
        Some((date, time)) => format!("{date} {time}"),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(5_700_100_256.0), "5700100256");
        assert_eq!(number_text(6946.0), "6946");
        assert_eq!(number_text(-5.0), "-5");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(0.000_001), "0.000001");
    }

    #[test]
    fn dates_read_as_iso() {
        let date = |v| ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&date(45658.0)), "2025-01-01");
        assert_eq!(datetime_text(&date(45658.5)), "2025-01-01 12:00:00");
        assert_eq!(datetime_text(&date(0.75)), "18:00:00");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&duration), "36:00:00");
        assert_eq!(iso_text("2025-07-01T00:00:00"), "2025-07-01");
        assert_eq!(iso_text("2025-07-01T08:30:00"), "2025-07-01 08:30:00");
        assert_eq!(iso_text("2025-07-01"), "2025-07-01");
    }

    #[test]
    fn cell_text_trims_composes_and_drops_blanks() {
        assert_eq!(
            cell_text(&DataRef::SharedString("  Tên  ")),
            Some("Tên".into())
        );
        assert_eq!(
            cell_text(&DataRef::String("Te\u{302}\u{301}n".into())),
            Some("Tến".into())
        );
        assert_eq!(cell_text(&DataRef::SharedString(" \u{a0} ")), None);
        assert_eq!(cell_text(&DataRef::Empty), None);
        assert_eq!(cell_text(&DataRef::Int(42)), Some("42".into()));
        assert_eq!(cell_text(&DataRef::Bool(true)), Some("TRUE".into()));
        assert_eq!(
            cell_text(&DataRef::Error(calamine::CellErrorType::NA)),
            Some("#N/A".into())
        );
    }

    #[test]
    fn header_titles_ignore_required_marks() {
        assert_eq!(header_title("Tên tổ chức *"), "ten to chuc");
        assert_eq!(header_title("Tên tổ chức (*)"), "ten to chuc");
        assert_eq!(header_title("MÃ SỐ THUẾ*"), "ma so thue");
    }

    #[test]
    fn sniffs_what_a_wrong_file_is() {
        assert_eq!(sniff(b"ten,ma\r\nA,1\r\n"), "a text or CSV file");
        assert_eq!(sniff("Tên,Mã\n".as_bytes()), "a text or CSV file");
        assert_eq!(sniff(b"<html><body><table>"), "a web page (HTML)");
        assert_eq!(sniff(b"%PDF-1.7"), "a PDF document");
        assert_eq!(sniff(&[0xFF, 0xFE, b'a', 0]), "a text file");
        assert_eq!(sniff(&[0, 1, 2, 3, 0xFF]), "of an unknown type");
    }
}
