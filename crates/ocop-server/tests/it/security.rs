//! The penetration test's findings: one section per finding, each test written to fail on the
//! code the pen test saw.

use crate::support::{csrf_of, problem, spawn_app, TestApp, PASSWORD};
use serde_json::Value;
use std::io::Write;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ---------------------------------------------------------------------------------------------
// Plumbing

/// A refusal: its status and its stable code.
async fn refused(r: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status, "expected {status} {code}");
    let p = problem(r).await;
    assert_eq!(p["code"], code, "{p}");
    p
}

async fn page(b: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = b.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let b = app.browser();
    assert_eq!(app.sign_in(&b, email, PASSWORD).await.status(), 303);
    b
}

// ---------------------------------------------------------------------------------------------
// 1. High — decompression bomb

/// An .xlsx of a few hundred kilobytes whose shared strings inflate to `inflated` bytes: one
/// string of that many "A"s, which the sheet's only cell shows.
fn bomb_xlsx(inflated: usize) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(inflated > u32::MAX as usize);
    let parts: [(&str, &str); 5] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        (
            "xl/worksheets/sheet1.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#,
        ),
    ];
    for (name, xml) in parts {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
    }
    zip.start_file("xl/sharedStrings.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#)
        .unwrap();
    let chunk = vec![b'A'; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(chunk.len());
        zip.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    zip.write_all(b"</t></si></sst>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn an_import_refuses_a_decompression_bomb_before_inflating_it() {
    let app = spawn_app().await;
    let bomb = bomb_xlsx(160 << 20);
    assert!(bomb.len() < 2 << 20, "a small file: {} bytes", bomb.len());
    let import = |token: String, bomb: Vec<u8>| {
        app.api()
            .post(app.url("/api/v1/imports/organizations"))
            .bearer_auth(token)
            .header("content-type", XLSX)
            .body(bomb)
            .send()
    };
    // Roles that may not import are refused before the body is read at all.
    let (_, evaluator) = app.caller("evaluator").await;
    refused(
        import(evaluator, bomb.clone()).await.unwrap(),
        403,
        "forbidden",
    )
    .await;
    // Those who may import get a clear 422, not gigabytes of shared strings in memory.
    let (admin, token) = app.caller("admin").await;
    let p = refused(
        import(token, bomb.clone()).await.unwrap(),
        422,
        "sheet_too_large",
    )
    .await;
    assert_eq!(p["field"], "file");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("xl/sharedStrings.xml"),
        "{p}"
    );

    // The web import page says so in the visitor's language.
    let b = signed_in(&app, &admin.email).await;
    let (_, form) = page(&b, &app, "/registry/import").await;
    let upload = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&form))
        .text("kind", "organizations")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bomb)
                .file_name("to-chuc.xlsx")
                .mime_str(XLSX)
                .unwrap(),
        );
    let r = b
        .post(app.url("/registry/import"))
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("giải nén ra quá lớn"), "{html}");
}
