//! CSV export: UTF-8 with a byte-order mark (so that Excel detects UTF-8 and shows Vietnamese
//! text correctly), CRLF line ends and RFC 4180 quoting.

use crate::guard::needs_formula_guard;
use crate::Table;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes `table` as CSV: the headers of its columns, then its rows (see [`Table`] for rows
/// shorter or longer than the columns). Text that could be taken for a formula gets a leading
/// `'` (see [`needs_formula_guard`]).
pub fn write_csv(table: &Table) -> Vec<u8> {
    let width = table.columns.len();
    let mut out = Vec::with_capacity(BOM.len() + 64 * (table.rows.len() + 1) * width.max(1));
    out.extend_from_slice(BOM);
    let headers = table.columns.iter().map(|c| c.header);
    write_record(&mut out, headers);
    for row in &table.rows {
        let cells = (0..width).map(|i| row.get(i).map_or("", String::as_str));
        write_record(&mut out, cells);
    }
    out
}

fn write_record<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_field(out, cell);
    }
    out.extend_from_slice(b"\r\n");
}

fn write_field(out: &mut Vec<u8>, text: &str) {
    let guard = needs_formula_guard(text);
    let quote = text.contains([',', '"', '\r', '\n']);
    if quote {
        out.push(b'"');
    }
    if guard {
        out.push(b'\'');
    }
    if quote {
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Column;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            columns: vec![
                Column::required("name", "Tên tổ chức"),
                Column::optional("tax_code", "Mã số thuế"),
            ],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    fn csv(rows: &[&[&str]]) -> String {
        let bytes = write_csv(&table(rows));
        assert!(bytes.starts_with(BOM), "the BOM comes first");
        String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap()
    }

    #[test]
    fn bom_headers_and_crlf() {
        assert_eq!(
            csv(&[&["HTX Chè Tân Cương", "0100109106"]]),
            "Tên tổ chức,Mã số thuế\r\nHTX Chè Tân Cương,0100109106\r\n"
        );
        assert_eq!(csv(&[]), "Tên tổ chức,Mã số thuế\r\n");
    }

    #[test]
    fn rfc4180_quoting() {
        assert_eq!(
            csv(&[&["Công ty A, chi nhánh B", "Rượu \"Ba Kích\""]]),
            "Tên tổ chức,Mã số thuế\r\n\"Công ty A, chi nhánh B\",\"Rượu \"\"Ba Kích\"\"\"\r\n"
        );
        assert_eq!(
            csv(&[&["dòng 1\ndòng 2", "a\r\nb"]]),
            "Tên tổ chức,Mã số thuế\r\n\"dòng 1\ndòng 2\",\"a\r\nb\"\r\n"
        );
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_cut() {
        assert_eq!(
            csv(&[&["chỉ tên"], &["a", "b", "thừa"], &[]]),
            "Tên tổ chức,Mã số thuế\r\nchỉ tên,\r\na,b\r\n,\r\n"
        );
    }

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(
            csv(&[&["=1+1", "@SUM(A1)"], &["+cmd|' /C calc'!A0", "\t=2"]]),
            "Tên tổ chức,Mã số thuế\r\n'=1+1,'@SUM(A1)\r\n'+cmd|' /C calc'!A0,'\t=2\r\n"
        );
        // Guarded and quoted: the quote mark goes inside the quotes.
        assert_eq!(
            csv(&[&["=HYPERLINK(\"http://x\",\"y\")", "\r=1"]]),
            "Tên tổ chức,Mã số thuế\r\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'\r=1\"\r\n"
        );
    }

    #[test]
    fn numbers_and_phones_are_not_mangled() {
        assert_eq!(
            csv(&[&["-5", "+84 912 345 678"], &["-", "06946"]]),
            "Tên tổ chức,Mã số thuế\r\n-5,+84 912 345 678\r\n-,06946\r\n"
        );
    }
}
