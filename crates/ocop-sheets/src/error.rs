//! What can go wrong with a spreadsheet, worded for the office worker who uploaded it.

/// An import or export failure. The messages say what is wrong and how to fix it; [`code`]
/// gives a stable snake_case name for API problems and translations.
///
/// [`code`]: SheetError::code
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file is empty: choose the workbook again and upload it")]
    EmptyFile,

    /// `found` describes what the file looks like, e.g. "an old Excel 97-2003 workbook (.xls)".
    #[error(
        "the file is {found}, not an Excel workbook (.xlsx): open it in Excel and save it with \
         File > Save As > \"Excel Workbook (.xlsx)\", then upload the new file"
    )]
    NotXlsx { found: &'static str },

    #[error(
        "the workbook is protected with a password: open it in Excel, remove the password \
         (File > Info > Protect Workbook > Encrypt with Password, then clear it), save it and \
         upload it again"
    )]
    Encrypted,

    #[error(
        "the workbook could not be read ({reason}): open it in Excel, save it again as \
         \"Excel Workbook (.xlsx)\" and upload the new file"
    )]
    Damaged { reason: String },

    #[error("the workbook has no worksheet: put the data on the first sheet and upload it again")]
    NoSheet,

    #[error(
        "no header row found on sheet \"{sheet}\": one of the first {searched} rows must hold the \
         column titles {}; download the import template to see the expected layout",
        quoted(.expected)
    )]
    NoHeaderRow {
        sheet: String,
        searched: usize,
        expected: Vec<&'static str>,
    },

    #[error(
        "{} missing: add {} to the header row (row {header_row}) and fill it in",
        missing_subject(.missing),
        quoted(.missing)
    )]
    MissingColumns {
        header_row: usize,
        missing: Vec<&'static str>,
    },

    #[error(
        "the column \"{header}\" appears twice in the header row (row {header_row}): delete or \
         rename one of them so that each column appears once"
    )]
    DuplicateColumn { header: String, header_row: usize },

    #[error(
        "the sheet has more than {limit} data rows: split it into files of at most {limit} rows \
         each and upload them one by one"
    )]
    TooManyRows { limit: usize },

    /// `why` says which limit of [`crate::archive`] the part passes, e.g. "over 100 times the
    /// 9,000 bytes it takes in the file".
    #[error(
        "the workbook's part {part} unpacks to {unpacked} bytes, {why}: a list of producers or \
         products is far smaller. Copy the data into the import template (or a new workbook), \
         save it and upload that file"
    )]
    TooLarge {
        part: String,
        unpacked: u64,
        why: String,
    },

    /// Building a workbook failed; this is a fault of the program, not of the user.
    #[error("could not create the Excel file: {reason}")]
    Write { reason: String },
}

impl SheetError {
    /// A stable snake_case name for the error, for API problem codes and translations.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::EmptyFile => "sheet_empty_file",
            SheetError::NotXlsx { .. } => "sheet_not_xlsx",
            SheetError::Encrypted => "sheet_encrypted",
            SheetError::Damaged { .. } => "sheet_damaged",
            SheetError::NoSheet => "sheet_no_worksheet",
            SheetError::NoHeaderRow { .. } => "sheet_no_header_row",
            SheetError::MissingColumns { .. } => "sheet_missing_columns",
            SheetError::DuplicateColumn { .. } => "sheet_duplicate_column",
            SheetError::TooManyRows { .. } => "sheet_too_many_rows",
            SheetError::TooLarge { .. } => "sheet_too_large",
            SheetError::Write { .. } => "sheet_write_failed",
        }
    }
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        SheetError::Write {
            reason: e.to_string(),
        }
    }
}

/// `"A", "B", "C"`
fn quoted(headers: &[&str]) -> String {
    headers
        .iter()
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn missing_subject(missing: &[&str]) -> &'static str {
    if missing.len() == 1 {
        "a required column is"
    } else {
        "required columns are"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_columns() {
        let one = SheetError::MissingColumns {
            header_row: 3,
            missing: vec!["Mã số thuế"],
        };
        assert_eq!(
            one.to_string(),
            "a required column is missing: add \"Mã số thuế\" to the header row (row 3) and fill it in"
        );
        let two = SheetError::MissingColumns {
            header_row: 1,
            missing: vec!["Tên tổ chức", "Mã số thuế"],
        };
        assert!(two
            .to_string()
            .starts_with("required columns are missing: add \"Tên tổ chức\", \"Mã số thuế\""));
        let none = SheetError::NoHeaderRow {
            sheet: "Sheet1".into(),
            searched: 30,
            expected: vec!["Tên tổ chức", "Mã số thuế"],
        };
        assert!(none.to_string().contains("\"Tên tổ chức\", \"Mã số thuế\""));
        assert_eq!(none.code(), "sheet_no_header_row");
    }
}
