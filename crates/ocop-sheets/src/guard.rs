//! Guarding exported text against spreadsheet-formula injection.
//!
//! Excel, LibreOffice and Google Sheets take a typed value (and a CSV field) that starts with
//! `=`, `+`, `-` or `@` as a formula, and some also after a leading tab or carriage return. A
//! producer's name such as `=HYPERLINK("http://…","Bấm vào đây")` or `+cmd|' /C calc'!A0` would
//! then run when an officer opens the export.
//!
//! The rule (one predicate, [`needs_formula_guard`], used by both exports):
//!
//! - Text starting with `=`, `@`, tab or carriage return is always guarded.
//! - Text starting with `+` or `-` is guarded unless every character is a digit, a space or one
//!   of `. , + - ( ) /`. Without letters, quotes, `!`, `|`, `:` or `$` such text can name no
//!   function, cell, sheet or external program, so at worst it is arithmetic on constants. This
//!   keeps ordinary values untouched: `-5`, `-1.234,5`, `+84 912 345 678`,
//!   `+84 (0)912-345-678`, a lone `-` meaning "none". A dash used as a bullet before words
//!   (`- Đạt chuẩn`) is guarded, because `-` followed by letters can be a formula.
//!
//! How each export guards:
//!
//! - CSV has no cell types, so a guarded value is written with a leading `'`, which Excel and
//!   LibreOffice read as "this is text" and do not show. The CSV file therefore differs from
//!   the data by that one character; that is the price of opening it safely.
//! - XLSX cells are always written as strings (`write_string`), which never become formulas,
//!   so the value is kept exactly (an exported file imports back unchanged). A guarded cell
//!   also gets the cell style "quote prefix", the flag Excel itself sets when someone types
//!   `'=…`: the cell shows the text without a quote, and stays text if someone edits it
//!   (F2, Enter), which would otherwise turn it into a live formula.

/// Whether `text` could be taken for a formula by a spreadsheet program and must be guarded on
/// export. See the module documentation for the rule.
pub fn needs_formula_guard(text: &str) -> bool {
    match text.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !text.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, ' ' | '.' | ',' | '+' | '-' | '(' | ')' | '/')
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::needs_formula_guard;

    #[test]
    fn formulas_are_guarded() {
        for text in [
            "=1+1",
            "=HYPERLINK(\"http://example.com\",\"Bấm vào đây\")",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "-SUM(A1:A3)",
            "@SUM(A1)",
            "\t=1+1",
            "\r=1+1",
            "+A1",
            "-1.5e3",
            "- Đạt chuẩn",
            "=",
            "@",
        ] {
            assert!(needs_formula_guard(text), "{text:?} must be guarded");
        }
    }

    #[test]
    fn ordinary_values_are_left_alone() {
        for text in [
            "",
            "-5",
            "-1.234,5",
            "+84 912 345 678",
            "+84 (0)912-345-678",
            "-",
            "--",
            "+",
            "0100109106",
            "06946",
            "Hợp tác xã Chè Tân Cương",
            "a=b",
            " =1+1",
            "2025-07-01",
            "22-06946-001-2026",
            "5 sao",
        ] {
            assert!(!needs_formula_guard(text), "{text:?} must not be guarded");
        }
    }
}
