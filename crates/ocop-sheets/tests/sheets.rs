//! Whole-workbook tests: the workbooks are built here with rust_xlsxwriter, as an office's
//! Excel would save them, and read back with `read_xlsx` (and with calamine or zip where the
//! file itself is checked).

use calamine::{Data, Reader, Xlsx};
use ocop_sheets::{
    read_xlsx, read_xlsx_with_limit, template_xlsx, write_csv, write_xlsx, Column, SheetError,
    SheetRow, Table, GUIDE_SHEET,
};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

const COLUMNS: [Column; 5] = [
    Column::required("name", "Tên tổ chức"),
    Column::required("tax_code", "Mã số thuế"),
    Column::optional("commune", "Mã xã").with_note("5 chữ số, ví dụ 06946"),
    Column::optional("phone", "Điện thoại"),
    Column::optional("note", "Ghi chú"),
];

fn table(rows: &[[&str; 5]]) -> Table {
    Table {
        columns: COLUMNS.to_vec(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect(),
    }
}

fn row(number: usize, cells: &[(&'static str, &str)]) -> SheetRow {
    SheetRow {
        row: number,
        cells: cells.iter().map(|(k, v)| (*k, v.to_string())).collect(),
    }
}

/// The entries of an .xlsx (a ZIP archive) as text.
fn unzip(bytes: &[u8]) -> HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entries = HashMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        entries.insert(file.name().unwrap().to_string(), text);
    }
    entries
}

fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    workbook.sheet_names()
}

/// Every non-empty cell of a sheet as (1-based row, 0-based column, text).
fn sheet_cells(bytes: &[u8], sheet: &str) -> Vec<(usize, usize, String)> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    range
        .cells()
        .filter(|(_, _, v)| !matches!(v, Data::Empty))
        .map(|(r, c, v)| (r + 1 + range.start().unwrap().0 as usize, c, v.to_string()))
        .collect()
}

#[test]
fn xlsx_round_trip_keeps_every_cell() {
    let rows = [
        [
            "Hợp tác xã Chè Tân Cương",
            "0100109106",
            "06946",
            "+84 912 345 678",
            "Sản phẩm: chè búp, trà xanh",
        ],
        ["Công ty TNHH Đặc sản Hạ Long", "5700100256", "", "", ""],
        [
            "Hộ kinh doanh Nguyễn Văn Ấn",
            "0312345678-001",
            "07093",
            "0912345678",
            "dòng 1\ndòng 2",
        ],
        [
            "=HYPERLINK(\"http://x\",\"y\")",
            "-5",
            "@SUM(A1)",
            "-",
            "- Đạt chuẩn 4 sao",
        ],
    ];
    let bytes = write_xlsx("Chủ thể OCOP", &table(&rows)).unwrap();
    assert_eq!(sheet_names(&bytes), ["Chủ thể OCOP"]);
    let read = read_xlsx(&bytes, &COLUMNS).unwrap();
    let expected: Vec<SheetRow> = rows
        .iter()
        .enumerate()
        .map(|(i, cells)| SheetRow {
            row: i + 2,
            cells: COLUMNS
                .iter()
                .zip(cells)
                .filter(|(_, v)| !v.is_empty())
                .map(|(c, v)| (c.key, v.to_string()))
                .collect(),
        })
        .collect();
    assert_eq!(read, expected);
    assert_eq!(read[1].get("commune"), None, "empty cells are absent");
}

#[test]
fn xlsx_export_is_styled_and_never_holds_a_formula() {
    let rows = [
        [
            "=1+1",
            "0100109106",
            "+cmd|' /C calc'!A0",
            "+84 912 345 678",
            "-5",
        ],
        ["HTX", "0200000000", "06946", "", ""],
    ];
    let bytes = write_xlsx("Danh sách", &table(&rows)).unwrap();
    let entries = unzip(&bytes);
    let sheet = &entries["xl/worksheets/sheet1.xml"];
    let styles = &entries["xl/styles.xml"];
    assert!(!sheet.contains("<f>"), "no formula: {sheet}");
    assert!(sheet.contains("state=\"frozen\""), "header row frozen");
    assert!(
        sheet.contains("<autoFilter ref=\"A1:E3\""),
        "filter on the table"
    );
    assert!(sheet.contains("<col "), "column widths set");
    assert!(styles.contains("<b/>"), "bold header");
    assert!(
        styles.contains("quotePrefix=\"1\""),
        "guarded cells keep text when edited"
    );
    // Every value is a string cell (shared string, t="s"), numbers included.
    assert!(!sheet.contains("<c r=\"B2\"><v>"), "codes are not numbers");
    let shared = &entries["xl/sharedStrings.xml"];
    assert!(shared.contains("0100109106"));
    // Only the guarded cells carry the quote-prefix style, and they keep their exact text.
    let read = read_xlsx(&bytes, &COLUMNS).unwrap();
    assert_eq!(read[0].get("name"), Some("=1+1"));
    assert_eq!(read[0].get("commune"), Some("+cmd|' /C calc'!A0"));
    assert_eq!(read[0].get("phone"), Some("+84 912 345 678"));
    assert_eq!(read[0].get("note"), Some("-5"));
}

#[test]
fn empty_table_and_odd_sheet_names() {
    let empty = Table {
        columns: COLUMNS.to_vec(),
        rows: vec![],
    };
    let bytes = write_xlsx("Sản phẩm 2024/2025", &empty).unwrap();
    assert_eq!(sheet_names(&bytes), ["Sản phẩm 2024-2025"]);
    assert_eq!(read_xlsx(&bytes, &COLUMNS).unwrap(), vec![]);
    let no_columns = write_xlsx("", &Table::default()).unwrap();
    assert_eq!(sheet_names(&no_columns), ["Sheet1"]);
}

/// A sheet as offices make them: a title, a blank row, a header with an "STT" column,
/// titles in capitals or without accents or as keys, numbers and dates typed as such, blank
/// rows in between and pre-numbered empty rows at the end.
fn office_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_string(0, 0, "DANH SÁCH CHỦ THỂ OCOP NĂM 2025")
        .unwrap();
    for (c, title) in [
        "STT",
        "TÊN TỔ CHỨC (*)",
        "ma so thue",
        "Người đại diện",
        "commune",
        "Ngày",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, c as u16, *title).unwrap();
    }
    sheet.write_number(3, 0, 1).unwrap();
    sheet
        .write_string(3, 1, "  HTX Nông sản Đông Triều ")
        .unwrap();
    sheet.write_number(3, 2, 5_700_100_256.0).unwrap();
    sheet.write_string(3, 3, "Nguyễn Thị Hoa").unwrap();
    sheet.write_number(3, 4, 6946).unwrap();
    sheet.write_number_with_format(3, 5, 45658, &date).unwrap();
    // Rows 5 and 6 (0-based 4 and 5) are blank.
    sheet.write_number(6, 0, 2).unwrap();
    sheet.write_string(6, 1, "Công ty CP Yến sào").unwrap();
    sheet.write_string(6, 2, "0100109106").unwrap();
    sheet.write_string(6, 4, "06946").unwrap();
    // A row with only an unknown column filled is not data.
    sheet.write_string(7, 3, "Trần Văn Bình").unwrap();
    for r in 8..20u32 {
        sheet.write_number(r, 0, f64::from(r - 5)).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn header_found_below_a_title_and_matched_loosely() {
    let columns = [
        Column::required("name", "Tên tổ chức"),
        Column::required("tax_code", "Mã số thuế"),
        Column::optional("commune", "Mã xã"),
        Column::optional("since", "Ngày thành lập"),
        Column::optional("date", "ngay"),
    ];
    let rows = read_xlsx(&office_workbook(), &columns).unwrap();
    assert_eq!(
        rows,
        vec![
            row(
                4,
                &[
                    ("name", "HTX Nông sản Đông Triều"),
                    ("tax_code", "5700100256"),
                    ("commune", "6946"),
                    ("date", "2025-01-01"),
                ]
            ),
            row(
                7,
                &[
                    ("name", "Công ty CP Yến sào"),
                    ("tax_code", "0100109106"),
                    ("commune", "06946"),
                ]
            ),
        ]
    );
}

#[test]
fn missing_required_column_is_named() {
    let columns = [
        Column::required("name", "Tên tổ chức"),
        Column::required("tax_code", "Mã số thuế"),
        Column::required("address", "Địa chỉ"),
        Column::required("province", "Tỉnh"),
    ];
    let err = read_xlsx(&office_workbook(), &columns).unwrap_err();
    assert_eq!(
        err,
        SheetError::MissingColumns {
            header_row: 3,
            missing: vec!["Địa chỉ", "Tỉnh"],
        }
    );
    assert_eq!(err.code(), "sheet_missing_columns");
    assert!(err.to_string().contains("\"Địa chỉ\", \"Tỉnh\""), "{err}");
}

#[test]
fn no_header_row_lists_the_expected_headers() {
    let columns = [
        Column::required("product", "Tên sản phẩm"),
        Column::required("stars", "Hạng sao"),
    ];
    let err = read_xlsx(&office_workbook(), &columns).unwrap_err();
    let SheetError::NoHeaderRow {
        sheet, expected, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(sheet, "Sheet1");
    assert_eq!(expected, &["Tên sản phẩm", "Hạng sao"]);
    assert!(err.to_string().contains("\"Tên sản phẩm\", \"Hạng sao\""));

    // An empty sheet has no header row either.
    let mut workbook = Workbook::new();
    workbook.add_worksheet();
    let empty = workbook.save_to_buffer().unwrap();
    assert!(matches!(
        read_xlsx(&empty, &columns),
        Err(SheetError::NoHeaderRow { .. })
    ));
}

#[test]
fn a_column_given_twice_is_an_error() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, title) in ["Tên tổ chức", "Mã số thuế", "MÃ SỐ THUẾ"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    assert_eq!(
        read_xlsx(&bytes, &COLUMNS),
        Err(SheetError::DuplicateColumn {
            header: "MÃ SỐ THUẾ".into(),
            header_row: 1,
        })
    );
}

#[test]
fn row_limit() {
    let rows = [
        ["a", "1", "", "", ""],
        ["b", "2", "", "", ""],
        ["c", "3", "", "", ""],
    ];
    let bytes = write_xlsx("x", &table(&rows)).unwrap();
    assert_eq!(read_xlsx_with_limit(&bytes, &COLUMNS, 3).unwrap().len(), 3);
    let err = read_xlsx_with_limit(&bytes, &COLUMNS, 2).unwrap_err();
    assert_eq!(err, SheetError::TooManyRows { limit: 2 });
    assert!(err.to_string().contains("at most 2 rows"));
}

#[test]
fn reads_the_first_visible_worksheet() {
    let mut workbook = Workbook::new();
    workbook
        .add_worksheet()
        .set_name("Cũ")
        .unwrap()
        .write_string(0, 0, "bỏ qua")
        .unwrap()
        .set_hidden(true);
    let sheet = workbook.add_worksheet().set_name("Mới").unwrap();
    sheet.write_string(0, 0, "name").unwrap();
    sheet.write_string(0, 1, "tax_code").unwrap();
    sheet.write_string(1, 0, "HTX").unwrap();
    sheet.set_active(true);
    let bytes = workbook.save_to_buffer().unwrap();
    assert_eq!(
        read_xlsx(&bytes, &COLUMNS).unwrap(),
        vec![row(2, &[("name", "HTX")])]
    );
}

#[test]
fn files_that_are_not_xlsx_are_refused_with_a_reason() {
    let not_xlsx = |bytes: &[u8]| match read_xlsx(bytes, &COLUMNS) {
        Err(SheetError::NotXlsx { found }) => found,
        other => panic!("{other:?}"),
    };
    assert_eq!(read_xlsx(b"", &COLUMNS), Err(SheetError::EmptyFile));
    let csv = write_csv(&table(&[["HTX", "0100109106", "", "", ""]]));
    assert_eq!(not_xlsx(&csv), "a text or CSV file");
    assert_eq!(
        not_xlsx(b"<html><table><tr><td>1</td></tr></table>"),
        "a web page (HTML)"
    );
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    assert_eq!(not_xlsx(&ole), "an old Excel 97-2003 workbook (.xls)");
    let message = SheetError::NotXlsx {
        found: "an old Excel 97-2003 workbook (.xls)",
    }
    .to_string();
    assert!(message.contains("save it with File > Save As > \"Excel Workbook (.xlsx)\""));

    // Pseudo-random bytes, deterministic.
    let mut x: u32 = 0x9E37_79B9;
    let random: Vec<u8> = (0..10_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect();
    assert_eq!(not_xlsx(&random), "of an unknown type");

    // A ZIP archive that is not a workbook.
    let mut zipped = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut zipped);
    writer
        .start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    writer.write_all(b"xin chao").unwrap();
    writer.finish().unwrap();
    assert_eq!(not_xlsx(zipped.get_ref()), "a ZIP archive");
}

#[test]
fn damaged_workbooks_are_errors_not_panics() {
    let bytes = write_xlsx("x", &table(&[["HTX", "0100109106", "06946", "", ""]])).unwrap();
    for len in [4, 100, bytes.len() / 2, bytes.len() - 1] {
        let err = read_xlsx(&bytes[..len], &COLUMNS).unwrap_err();
        assert!(
            matches!(err, SheetError::Damaged { .. } | SheetError::NotXlsx { .. }),
            "{len}: {err:?}"
        );
    }
    // Flip bytes all over the file: any answer will do, but no panic.
    let step = (bytes.len() / 300).max(1);
    for i in (0..bytes.len()).step_by(step) {
        let mut broken = bytes.clone();
        broken[i] ^= 0x5A;
        let _ = read_xlsx(&broken, &COLUMNS);
    }
}

#[test]
fn template_has_header_example_and_guide() {
    let example = ["HTX Chè Tân Cương", "0100109106", "06946", "", "Ví dụ"];
    let bytes = template_xlsx("Chủ thể", &COLUMNS, &example).unwrap();
    assert_eq!(sheet_names(&bytes), ["Chủ thể", GUIDE_SHEET]);

    let data = sheet_cells(&bytes, "Chủ thể");
    let headers: Vec<&str> = data
        .iter()
        .filter(|(r, _, _)| *r == 1)
        .map(|(_, _, v)| v.as_str())
        .collect();
    assert_eq!(headers, COLUMNS.map(|c| c.header));
    // The example row reads back like any data row, leading zeros kept.
    assert_eq!(
        read_xlsx(&bytes, &COLUMNS).unwrap(),
        vec![row(
            2,
            &[
                ("name", "HTX Chè Tân Cương"),
                ("tax_code", "0100109106"),
                ("commune", "06946"),
                ("note", "Ví dụ"),
            ]
        )]
    );

    let guide = sheet_cells(&bytes, GUIDE_SHEET);
    let line = |r: usize| -> Vec<&str> {
        guide
            .iter()
            .filter(|(row, _, _)| *row == r)
            .map(|(_, _, v)| v.as_str())
            .collect()
    };
    assert_eq!(line(1), ["Cột", "Tiêu đề cột", "Bắt buộc", "Ghi chú"]);
    assert_eq!(line(2), ["A", "Tên tổ chức", "Có"]);
    assert_eq!(line(4), ["C", "Mã xã", "Không", "5 chữ số, ví dụ 06946"]);
    assert_eq!(line(8), ["Cách điền"]);
    assert!(line(9)[0].contains("«Chủ thể»"));

    // Columns are formatted as Text (built-in number format 49, "@") for what people type.
    let entries = unzip(&bytes);
    assert!(entries["xl/styles.xml"].contains("<xf numFmtId=\"49\""));
    assert!(entries["xl/worksheets/sheet1.xml"].contains("<col min=\"1\" max=\"1\" width="));
}

#[test]
fn template_with_a_short_example_and_the_guide_name_taken() {
    let bytes = template_xlsx(GUIDE_SHEET, &COLUMNS, &["chỉ tên"]).unwrap();
    assert_eq!(sheet_names(&bytes), ["Dữ liệu", GUIDE_SHEET]);
    assert_eq!(
        read_xlsx(&bytes, &COLUMNS).unwrap(),
        vec![row(2, &[("name", "chỉ tên")])]
    );
}

/// The unpacking limits leave room for the largest sheet an office may send: every row
/// different, or every row alike (which packs far better).
#[test]
fn a_full_sheet_is_within_the_unpacking_limits() {
    let varied: Vec<[String; 5]> = (0..ocop_sheets::MAX_ROWS)
        .map(|i| {
            [
                format!("Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp số {i}"),
                format!("{:010}", 5_700_100_000u64 + i as u64),
                format!("{:05}", 6_946 + i % 300),
                format!("0912 {:06}", i),
                format!(
                    "Thôn {i}, xã Đường Hoa, tỉnh Quảng Ninh — sản phẩm chè, mật ong và miến dong"
                ),
            ]
        })
        .collect();
    let alike: Vec<[String; 5]> = (0..ocop_sheets::MAX_ROWS)
        .map(|_| {
            [
                "HTX".into(),
                "0100109106".into(),
                "06946".into(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    for rows in [varied, alike] {
        let table = Table {
            columns: COLUMNS.to_vec(),
            rows: rows.iter().map(|r| r.to_vec()).collect(),
        };
        let bytes = write_xlsx("x", &table).unwrap();
        assert_eq!(
            read_xlsx(&bytes, &COLUMNS).unwrap().len(),
            ocop_sheets::MAX_ROWS
        );
    }
}
