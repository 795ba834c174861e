//! Findings from use (issue 11): what offices and operators ran into, each kept fixed.

use crate::support::{fresh_database, spawn_app};
use serde_json::{json, Value};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

/// `ocop serve` on its own database and port, with the given key file.
fn start_server(dir: &std::path::Path, db: &str, key_file: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_ocop"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("OCOP_DATABASE_URL", db)
        .env("OCOP_KEY_FILE", key_file)
        .env("OCOP_DATA_DIR", dir.join("data"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The address a server prints once it listens, or its stderr if it stopped first.
fn address_of(child: &mut Child) -> Result<String, String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.strip_prefix("ocop is running at ") {
                let _ = tx.send(rest.split('/').nth(2).unwrap_or_default().to_string());
                return;
            }
        }
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(address) => Ok(address),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
            }
            Err(stderr)
        }
    }
}

/// Two servers started at once on a key file that does not exist yet: both come up, and both
/// accept a code signed with the one key file left on disk (a forgery would be refused on the
/// key file alone, before any database look-up, as `bad_tag`).
#[tokio::test]
async fn two_servers_started_at_once_share_one_new_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("keys.json");
    let mut dbs = Vec::new();
    for name in ["a", "b"] {
        let own = dir.path().join(name);
        std::fs::create_dir(&own).unwrap();
        dbs.push((own.clone(), fresh_database(&own).await.redacted()));
    }
    let mut servers: Vec<Child> = dbs
        .iter()
        .map(|(own, db)| start_server(own, db, &key_file))
        .collect();
    let addresses: Vec<Result<String, String>> = servers.iter_mut().map(address_of).collect();
    let ring = ocop_stamp::KeyRing::from_json(&std::fs::read_to_string(&key_file).unwrap());
    let code = ocop_stamp::CodeBook::new(ring.as_ref().unwrap())
        .code(1, 424_242)
        .unwrap()
        .grouped();
    let mut answers = Vec::new();
    for address in addresses.iter().flatten() {
        let url = format!("http://{address}/api/v1/verify/{code}");
        let v: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        answers.push(v["reasons"][0]["code"].clone());
    }
    for server in &mut servers {
        let _ = server.kill();
        let _ = server.wait();
    }
    let started: Vec<&String> = addresses.iter().filter_map(|a| a.as_ref().ok()).collect();
    assert_eq!(started.len(), 2, "both servers start: {addresses:?}");
    assert_eq!(answers, ["no_batch", "no_batch"], "both read the same keys");
}

/// Writes a header (or any row of text cells) from column A.
fn titles(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, titles: &[&str]) {
    for (c, title) in titles.iter().enumerate() {
        sheet.write_string(row, c as u16, *title).unwrap();
    }
}

async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// An office's own list of producers, as Excel makes it: a title above the header, an "TT"
/// column, headers in capitals, codes and phone numbers typed as numbers (so Excel drops their
/// leading 0, and the + of +84), a tax code written in groups, and a date typed as a date.
fn office_sheet() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_string(0, 0, "DANH SÁCH CHỦ THỂ OCOP XÃ ĐƯỜNG HOA NĂM 2026")
        .unwrap();
    titles(
        sheet,
        2,
        &[
            "TT",
            "TÊN TỔ CHỨC",
            "LOẠI HÌNH",
            "MÃ XÃ",
            "MÃ SỐ THUẾ",
            "ĐIỆN THOẠI",
            "NGÀY KÝ CAM KẾT ATTP",
        ],
    );
    // 0912 345 679 typed as a number; the tax code in groups as on the registration.
    sheet.write_number(3, 0, 1).unwrap();
    sheet.write_string(3, 1, "HTX Chè Đường Hoa").unwrap();
    sheet.write_string(3, 2, "Hợp tác xã").unwrap();
    sheet.write_number(3, 3, 6946).unwrap();
    sheet.write_string(3, 4, "5702 111 222").unwrap();
    sheet.write_number(3, 5, 912_345_679).unwrap();
    sheet.write_number_with_format(3, 6, 46082, &date).unwrap();
    // A household's 12-digit personal number and +84 203 3845 678, both typed as numbers.
    sheet.write_number(4, 0, 2).unwrap();
    sheet
        .write_string(4, 1, "Hộ kinh doanh Lê Văn Nam")
        .unwrap();
    sheet.write_string(4, 2, "Hộ kinh doanh").unwrap();
    sheet.write_number(4, 3, 6946).unwrap();
    sheet.write_number(4, 4, 22_089_001_234.0).unwrap();
    sheet.write_number(4, 5, 842_033_845_678.0).unwrap();
    // A Hà Nội tax code (0100109106) typed as a number; a mobile typed with its 0 and dots.
    sheet.write_number(5, 0, 3).unwrap();
    sheet
        .write_string(5, 1, "Công ty CP Nông sản Thủ đô")
        .unwrap();
    sheet.write_string(5, 2, "Doanh nghiệp").unwrap();
    sheet.write_string(5, 3, "06946").unwrap();
    sheet.write_number(5, 4, 100_109_106).unwrap();
    sheet.write_string(5, 5, "0388.123.456").unwrap();
    workbook.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_offices_own_sheet_with_numeric_phones_and_grouped_tax_codes_imports() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let c = app.api();
    let import = |body: Vec<u8>, what: &'static str, commit: bool| {
        c.post(app.url(&format!("/api/v1/imports/{what}?commit={commit}")))
            .bearer_auth(&admin)
            .body(body)
    };

    let dry = import(office_sheet(), "organizations", false)
        .send()
        .await
        .unwrap();
    assert_eq!(dry.status(), 200);
    let dry: Value = dry.json().await.unwrap();
    assert_eq!(dry["rows"], 3, "{dry}");
    assert_eq!(dry["errors"], json!([]), "{dry}");
    let done = import(office_sheet(), "organizations", true)
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 201);

    let listed = json_of(
        c.get(app.url("/api/v1/organizations?commune=06946"))
            .bearer_auth(&admin),
    )
    .await;
    let mut got: Vec<(String, String, String)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or_default().to_string();
            (s("name"), s("tax_code"), s("phone"))
        })
        .collect();
    got.sort();
    let want = |n: &str, t: &str, p: &str| (n.to_string(), t.to_string(), p.to_string());
    assert_eq!(
        got,
        [
            want("Công ty CP Nông sản Thủ đô", "0100109106", "0388123456"),
            want("HTX Chè Đường Hoa", "5702111222", "0912345679"),
            want("Hộ kinh doanh Lê Văn Nam", "022089001234", "02033845678"),
        ]
    );

    // The office's product list names the organization by its tax code, grouped as well.
    let products = {
        use rust_xlsxwriter::Workbook;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        titles(
            sheet,
            0,
            &["TT", "MÃ SỐ THUẾ TỔ CHỨC", "TÊN SẢN PHẨM", "BỘ TIÊU CHÍ"],
        );
        sheet.write_number(1, 0, 1).unwrap();
        sheet.write_string(1, 1, "5702 111 222").unwrap();
        sheet.write_string(1, 2, "Chè xanh Đường Hoa").unwrap();
        sheet.write_number(1, 3, 11).unwrap();
        sheet.write_number(2, 0, 2).unwrap();
        sheet.write_number(2, 1, 100_109_106).unwrap();
        sheet.write_string(2, 2, "Gạo nếp cái hoa vàng").unwrap();
        sheet.write_number(2, 3, 1).unwrap();
        workbook.save_to_buffer().unwrap()
    };
    let dry = json_of(import(products, "products", false)).await;
    assert_eq!(dry["rows"], 2, "{dry}");
    assert_eq!(dry["errors"], json!([]), "{dry}");

    // Still refused: what cannot be a Vietnamese number or tax code, with its row and column.
    let bad = {
        use rust_xlsxwriter::Workbook;
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        titles(
            sheet,
            0,
            &[
                "Tên tổ chức",
                "Loại hình",
                "Mã xã",
                "Mã số thuế",
                "Điện thoại",
            ],
        );
        for (r, (tax, phone)) in [
            ("5702 111 223", 612_345_678.0),
            ("5702 11 223", 912_345_670.0),
        ]
        .iter()
        .enumerate()
        {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, format!("HTX {r}")).unwrap();
            sheet.write_string(r, 1, "Hợp tác xã").unwrap();
            sheet.write_string(r, 2, "06946").unwrap();
            sheet.write_string(r, 3, *tax).unwrap();
            sheet.write_number(r, 4, *phone).unwrap();
        }
        workbook.save_to_buffer().unwrap()
    };
    let dry = json_of(import(bad, "organizations", false)).await;
    let errors: Vec<(i64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        errors,
        [(2, "invalid_phone"), (3, "invalid_tax_code")],
        "{dry}"
    );
}

/// Every parameter the OpenAPI document places in the path is in the path's template; the
/// rest (filters, `commit`, `format`, …) are query parameters.
#[tokio::test]
async fn openapi_puts_query_parameters_in_the_query() {
    let app = spawn_app().await;
    let doc = json_of(app.api().get(app.url("/api/openapi.json"))).await;
    let mut misplaced = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for p in operation["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap();
                let templated = path.contains(&format!("{{{name}}}"));
                if (p["in"] == "path") != templated {
                    misplaced.push(format!("{method} {path} {name} in {}", p["in"]));
                }
            }
        }
    }
    assert_eq!(misplaced, Vec::<String>::new());
    let commit = doc["paths"]["/api/v1/imports/{kind}"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "commit")
        .cloned();
    assert_eq!(
        commit.map(|p| (p["in"].clone(), p["required"].clone())),
        Some((json!("query"), json!(false)))
    );
}
