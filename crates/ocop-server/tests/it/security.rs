//! The penetration test's findings: one section per finding, each test written to fail on the
//! code the pen test saw.

use crate::support::{csrf_of, problem, spawn_app, TestApp, PASSWORD};
use serde_json::{json, Value};
use std::io::Write;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// ---------------------------------------------------------------------------------------------
// Plumbing

async fn post(app: &TestApp, token: Option<&str>, path: &str, body: Value) -> reqwest::Response {
    let mut r = app.api().post(app.url(path)).json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap()
}

/// The JSON of an answer that must have the given status.
async fn answered(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body = r.text().await.unwrap();
    assert_eq!(got, status, "{body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

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

/// Signs in through the form of `form_path` (which sets the form's cookie), asking to go to
/// `next` afterwards.
async fn sign_in_to(
    app: &TestApp,
    b: &reqwest::Client,
    form_path: &str,
    (email, password): (&str, &str),
    next: &str,
) -> reqwest::Response {
    let (_, form) = page(b, app, form_path).await;
    b.post(app.url("/sign-in"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", csrf_of(&form).as_str()),
            ("next", next),
        ])
        .send()
        .await
        .unwrap()
}

/// A producer's product with a lot of 500, a batch of 100 whose first 50 are activated for the
/// lot and 40–44 of those voided: serials first..first+39 and first+45..first+49 are genuine.
struct Shelf {
    token: String,
    lot: i64,
    first: i64,
}

async fn shelf(app: &TestApp) -> Shelf {
    let (user, token) = app.caller("producer").await;
    let org = user.organization_id.unwrap();
    let p = answered(
        post(
            app,
            Some(&token),
            "/api/v1/products",
            json!({"organization_id": org, "name": "Chè xanh Đường Hoa", "criteria_set": 11}),
        )
        .await,
        201,
    )
    .await;
    let product = p["id"].as_i64().unwrap();
    let lot = answered(
        post(
            app,
            Some(&token),
            "/api/v1/lots",
            json!({"product_id": product, "code": "L-2026-11",
            "produced_on": "2026-11-01", "expires_on": "2099-11-01", "quantity": 500}),
        )
        .await,
        201,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let b = answered(
        post(
            app,
            Some(&token),
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 100}),
        )
        .await,
        201,
    )
    .await;
    let (batch, first) = (
        b["id"].as_i64().unwrap(),
        b["first_serial"].as_i64().unwrap(),
    );
    answered(
        post(
            app,
            Some(&token),
            &format!("/api/v1/stamp-batches/{batch}/activations"),
            json!({"from_serial": first, "to_serial": first + 49, "lot_id": lot}),
        )
        .await,
        201,
    )
    .await;
    answered(
        post(
            app,
            Some(&token),
            &format!("/api/v1/stamp-batches/{batch}/voids"),
            json!({"from_serial": first + 40, "to_serial": first + 44, "reason": "cuộn tem bị mất cắp"}),
        )
        .await,
        201,
    )
    .await;
    Shelf { token, lot, first }
}

fn signer(app: &TestApp) -> ocop_stamp::Signer<'_> {
    app.state.codes.signer(app.state.current_kid).unwrap()
}

fn code(app: &TestApp, serial: i64) -> String {
    signer(app).code(serial as u64).unwrap().grouped()
}

fn pin(app: &TestApp, serial: i64) -> String {
    signer(app).pin(serial as u64).unwrap().to_string()
}

async fn check_pin(app: &TestApp, serial: i64, typed: &str) -> Value {
    answered(
        post(
            app,
            None,
            &format!("/api/v1/verify/{}/pin", code(app, serial)),
            json!({"pin": typed}),
        )
        .await,
        200,
    )
    .await
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

// ---------------------------------------------------------------------------------------------
// 2. High — a PIN check of a void, not-activated or recalled stamp said "genuine"

#[tokio::test]
async fn a_pin_check_answers_with_the_stamps_verdict() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let genuine = check_pin(&app, s.first, &pin(&app, s.first)).await;
    assert_eq!(
        (genuine["verdict"].as_str(), genuine["result"].as_str()),
        (Some("genuine"), Some("first_check")),
        "{genuine}"
    );
    assert!(genuine["text"].as_str().unwrap().contains("Tem thật"));

    // A stolen roll has its codes and its PINs: the right PIN proves nothing for a void stamp,
    // nor for one that was never put on goods.
    for (serial, verdict) in [(s.first + 40, "void"), (s.first + 70, "not_activated")] {
        let r = check_pin(&app, serial, &pin(&app, serial)).await;
        assert_eq!(r["verdict"], verdict, "{r}");
        assert_ne!(r["result"], "first_check", "{r}");
        assert!(!r["text"].as_str().unwrap().contains("Tem thật"), "{r}");
    }

    // A recalled lot's stamp is genuine, but its goods must not be used: the answer says so.
    answered(
        post(
            &app,
            Some(&s.token),
            &format!("/api/v1/lots/{}/recall", s.lot),
            json!({"reason": "Phát hiện nhiễm khuẩn"}),
        )
        .await,
        200,
    )
    .await;
    let r = check_pin(&app, s.first + 1, &pin(&app, s.first + 1)).await;
    assert_eq!(r["verdict"], "recalled", "{r}");
    let said = r["text"].as_str().unwrap();
    assert!(
        !said.contains("Tem thật") && said.contains("thu hồi"),
        "{r}"
    );
    let english: Value = app
        .api()
        .post(app.url(&format!("/api/v1/verify/{}/pin", code(&app, s.first + 40))))
        .header("cookie", "ocop_lang=en")
        .json(&json!({"pin": pin(&app, s.first + 40)}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !english["text"].as_str().unwrap().contains("Genuine"),
        "{english}"
    );

    // The consumer page's form answers the same.
    let shopper = app.browser();
    let void_code = code(&app, s.first + 41);
    let (_, html) = page(&shopper, &app, &format!("/S/{void_code}")).await;
    let r = shopper
        .post(app.url(&format!("/S/{void_code}/pin")))
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("pin", pin(&app, s.first + 41).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(!html.contains("Tem thật"), "{html}");
    assert!(html.contains("data-verdict=\"void\""), "{html}");
    assert!(!html.contains("tone-ok"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// 3. Medium — open redirect

#[tokio::test]
async fn sign_in_and_language_switch_go_back_only_to_this_site() {
    let app = spawn_app().await;
    let user = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    for next in [
        "/\t/evil.example/phish",
        "/\\evil.example",
        "//evil.example",
        "/\r\nX-Injected: 1",
        "https://evil.example/",
        "/%09/evil.example",
    ] {
        let r = sign_in_to(
            &app,
            &app.browser(),
            "/sign-in",
            (&user.email, PASSWORD),
            next,
        )
        .await;
        assert_eq!(r.status(), 303, "{next:?}");
        let location = r.headers()["location"].to_str().unwrap();
        assert!(
            location == "/" || (location.starts_with('/') && !location.starts_with("//")),
            "{next:?} went to {location:?}"
        );
        assert!(
            !location
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\'),
            "{location:?}"
        );
        assert!(r.headers().get("x-injected").is_none());
    }
    // The pen test's exact requests.
    let r = sign_in_to(
        &app,
        &app.browser(),
        "/sign-in?next=/%09/evil.example/phish",
        (&user.email, PASSWORD),
        "/\t/evil.example/phish",
    )
    .await;
    assert_eq!(r.headers()["location"], "/");
    for query in [
        "next=/%09/evil.example/phish",
        "next=/%0d%0aX-Injected:%201",
        "next=%2F%2Fevil.example",
    ] {
        let r = app
            .api()
            .get(app.url(&format!("/lang/en?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{query}");
        assert_eq!(r.headers()["location"], "/", "{query}");
        assert!(r.headers().get("x-injected").is_none());
    }
    // A path of this site is kept.
    let r = app
        .api()
        .get(app.url("/lang/en?next=/registry/products%3Fq%3D1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/registry/products?q=1");
}
