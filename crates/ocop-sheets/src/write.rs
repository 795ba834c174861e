//! XLSX export and import templates.

use crate::guard::needs_formula_guard;
use crate::{Column, SheetError, Table};
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The name of the template's second sheet, which describes the columns.
pub const GUIDE_SHEET: &str = "Hướng dẫn";

/// Column widths in Excel's character units: wide enough for the header and the longest value,
/// within these bounds (long notes and addresses wrap or overflow instead).
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

const HEADER_FILL: u32 = 0xDDEBF7;
const REQUIRED_FILL: u32 = 0xFCE4D6;
const EXAMPLE_COLOR: u32 = 0x595959;

/// Writes `table` as a one-sheet workbook named `sheet_name`: a bold header row that stays in
/// view when scrolling, with a filter, columns sized to their contents, and every cell written
/// as a string, so codes keep their leading zeros and nothing is evaluated. Text that could be
/// taken for a formula also gets Excel's "quote prefix" style (see [`needs_formula_guard`]).
///
/// `sheet_name` is made into a valid Excel sheet name: `[ ] : * ? / \` become `-`, and it is
/// cut to 31 characters.
pub fn write_xlsx(sheet_name: &str, table: &Table) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name_from(sheet_name, "Sheet1"))?;
    let width = table.columns.len();
    let cells = Cells::new(None);
    let headers = Cells::new(Some(header_format(HEADER_FILL)));
    for (c, column) in table.columns.iter().enumerate() {
        headers.write(sheet, 0, col(c)?, column.header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = row_number(r + 1)?;
        for (c, text) in row.iter().take(width).enumerate() {
            cells.write(sheet, r, col(c)?, text)?;
        }
    }
    if width > 0 {
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, row_number(table.rows.len())?, col(width - 1)?)?;
        for (c, column) in table.columns.iter().enumerate() {
            let values = table.rows.iter().filter_map(|row| row.get(c));
            set_width(sheet, c, column.header, values.map(String::as_str))?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// Builds an import template: sheet `sheet_name` holds the header row (required columns
/// shaded orange) and `example` as row 2 in grey italics; every column is formatted as Text,
/// so that what people type there, such as "0100109106" or "06946", keeps its leading zeros.
/// The second sheet, [`GUIDE_SHEET`], lists each column's letter, header, whether it is
/// required and its note, followed by short instructions in Vietnamese.
///
/// `example` lines up with `columns` (missing cells stay empty, extra ones are not written).
pub fn template_xlsx(
    sheet_name: &str,
    columns: &[Column],
    example: &[&str],
) -> Result<Vec<u8>, SheetError> {
    let mut name = sheet_name_from(sheet_name, "Dữ liệu");
    if fold_name(&name) == fold_name(GUIDE_SHEET) {
        name = "Dữ liệu".to_string();
    }
    let mut workbook = Workbook::new();

    let sheet = workbook.add_worksheet();
    sheet.set_name(name.as_str())?;
    // Built-in number format 49 is Excel's "Text" (@).
    let text = Format::new().set_num_format_index(49);
    let optional_header = Cells::new(Some(header_format(HEADER_FILL)));
    let required_header = Cells::new(Some(header_format(REQUIRED_FILL)));
    let example_cells = Cells::new(Some(
        text.clone()
            .set_italic()
            .set_font_color(Color::RGB(EXAMPLE_COLOR)),
    ));
    for (c, column) in columns.iter().enumerate() {
        let header = if column.required {
            &required_header
        } else {
            &optional_header
        };
        header.write(sheet, 0, col(c)?, column.header)?;
        if let Some(value) = example.get(c) {
            example_cells.write(sheet, 1, col(c)?, value)?;
        }
        sheet.set_column_format(col(c)?, &text)?;
        set_width(sheet, c, column.header, example.get(c).copied())?;
    }
    if !columns.is_empty() {
        sheet.set_freeze_panes(1, 0)?;
    }

    let guide = workbook.add_worksheet();
    guide.set_name(GUIDE_SHEET)?;
    write_guide(guide, &name, columns)?;

    Ok(workbook.save_to_buffer()?)
}

fn write_guide(
    guide: &mut Worksheet,
    sheet_name: &str,
    columns: &[Column],
) -> Result<(), SheetError> {
    let headers = Cells::new(Some(header_format(HEADER_FILL)));
    let cells = Cells::new(Some(Format::new().set_text_wrap()));
    for (c, title) in ["Cột", "Tiêu đề cột", "Bắt buộc", "Ghi chú"]
        .iter()
        .enumerate()
    {
        headers.write(guide, 0, col(c)?, title)?;
    }
    for (i, column) in columns.iter().enumerate() {
        let r = row_number(i + 1)?;
        cells.write(guide, r, 0, &column_letter(i))?;
        cells.write(guide, r, 1, column.header)?;
        cells.write(guide, r, 2, if column.required { "Có" } else { "Không" })?;
        cells.write(guide, r, 3, column.note)?;
    }
    guide.set_freeze_panes(1, 0)?;
    guide.set_column_width(0, 6)?;
    set_width(guide, 1, "Tiêu đề cột", columns.iter().map(|c| c.header))?;
    guide.set_column_width(2, 10)?;
    set_width(guide, 3, "Ghi chú", columns.iter().map(|c| c.note))?;

    let first = row_number(columns.len() + 2)?;
    let bold = Cells::new(Some(Format::new().set_bold()));
    let plain = Cells::new(None);
    bold.write(guide, first, 0, "Cách điền")?;
    let lines = [
        format!("Dòng 1 của trang tính «{sheet_name}» là tiêu đề cột: giữ nguyên, không đổi tên."),
        "Dòng 2 là dòng ví dụ: hãy xóa hoặc ghi đè trước khi tải tệp lên.".to_string(),
        "Mỗi dòng tiếp theo là một bản ghi; cột bắt buộc (tiêu đề tô màu cam) không được để trống."
            .to_string(),
        "Có thể thêm cột khác (ví dụ STT): hệ thống bỏ qua các cột không có trong bảng trên."
            .to_string(),
        "Các ô đã được định dạng Văn bản để giữ số 0 ở đầu mã số (mã số thuế, mã xã).".to_string(),
        "Lưu tệp dưới dạng Excel Workbook (.xlsx) rồi tải lên.".to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        plain.write(guide, first + 1 + row_number(i)?, 0, line)?;
    }
    Ok(())
}

/// Writes text cells with one base style, adding Excel's quote prefix to text that could be
/// taken for a formula.
struct Cells {
    base: Option<Format>,
    guarded: Format,
}

impl Cells {
    fn new(base: Option<Format>) -> Cells {
        let guarded = base.clone().unwrap_or_default().set_quote_prefix();
        Cells { base, guarded }
    }

    /// Writes `text` as a string; an empty string leaves the cell empty.
    fn write(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        text: &str,
    ) -> Result<(), XlsxError> {
        if text.is_empty() {
            return Ok(());
        }
        if needs_formula_guard(text) {
            sheet.write_string_with_format(row, col, text, &self.guarded)?;
        } else if let Some(base) = &self.base {
            sheet.write_string_with_format(row, col, text, base)?;
        } else {
            sheet.write_string(row, col, text)?;
        }
        Ok(())
    }
}

fn header_format(fill: u32) -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(fill))
}

/// Sets column `c` as wide as its widest line (header counted bold, so one wider), within
/// [`MIN_WIDTH`]..=[`MAX_WIDTH`].
fn set_width<'a>(
    sheet: &mut Worksheet,
    c: usize,
    header: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> Result<(), SheetError> {
    let widest = values
        .into_iter()
        .map(display_width)
        .fold(display_width(header) + 1, usize::max);
    let width = (widest + 2).clamp(MIN_WIDTH, MAX_WIDTH);
    // At most 62, so the conversion is exact.
    sheet.set_column_width(col(c)?, width as f64)?;
    Ok(())
}

/// The width of the longest line of `text` in characters, not counting combining marks.
fn display_width(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().filter(|c| !is_combining_mark(*c)).count())
        .max()
        .unwrap_or(0)
}

/// A valid Excel sheet name: NFC, no `[ ] : * ? / \`, no apostrophe at either end, at most 31
/// characters, not blank and not the reserved "History".
fn sheet_name_from(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .nfc()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let cut: String = cleaned
        .trim()
        .trim_matches('\'')
        .trim()
        .chars()
        .take(31)
        .collect();
    let cut = cut.trim_end().trim_end_matches('\'').trim_end();
    if cut.is_empty() || cut.eq_ignore_ascii_case("history") {
        fallback.to_string()
    } else {
        cut.to_string()
    }
}

fn fold_name(name: &str) -> String {
    crate::fold(name)
}

/// "A" for 0, "Z" for 25, "AA" for 26.
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn col(index: usize) -> Result<u16, SheetError> {
    u16::try_from(index).map_err(|_| too_big())
}

fn row_number(index: usize) -> Result<u32, SheetError> {
    u32::try_from(index).map_err(|_| too_big())
}

fn too_big() -> SheetError {
    SheetError::from(XlsxError::RowColumnLimitError)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_valid() {
        assert_eq!(sheet_name_from("Chủ thể OCOP", "x"), "Chủ thể OCOP");
        assert_eq!(
            sheet_name_from("Sản phẩm 2024/2025 [Quảng Ninh]", "x"),
            "Sản phẩm 2024-2025 -Quảng Ninh-"
        );
        assert_eq!(sheet_name_from("'quoted'", "x"), "quoted");
        assert_eq!(sheet_name_from("   ", "Sheet1"), "Sheet1");
        assert_eq!(sheet_name_from("History", "Sheet1"), "Sheet1");
        let long = sheet_name_from("Danh sách chủ thể tham gia chương trình OCOP", "x");
        assert_eq!(long.chars().count(), 31);
        // Decomposed Vietnamese is composed first, so it does not use up the length.
        assert_eq!(sheet_name_from("Te\u{302}\u{301}n", "x"), "Tến");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn widths_count_characters_not_bytes() {
        assert_eq!(display_width("Tên tổ chức"), 11);
        assert_eq!(display_width("Te\u{302}\u{301}n"), 3);
        assert_eq!(display_width("ngắn\ndòng dài hơn"), 12);
        assert_eq!(display_width(""), 0);
    }
}
