use crate::support::{problem, spawn_app};
use ocop_server::registry::sheets::{ORGANIZATION_COLUMNS, PRODUCT_COLUMNS};
use serde_json::Value;

fn sheet(columns: &[ocop_sheets::Column], rows: &[&[&str]]) -> Vec<u8> {
    let table = ocop_sheets::Table {
        columns: columns.to_vec(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect(),
    };
    ocop_sheets::write_xlsx("Sheet1", &table).unwrap()
}

#[tokio::test]
async fn imports_report_bad_rows_then_commit_all_or_nothing() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let c = app.api();

    let t = c
        .get(app.url("/api/v1/imports/organizations/template"))
        .send()
        .await
        .unwrap();
    assert_eq!(t.status(), 200);
    assert_eq!(t.headers()["content-type"], ocop_server::api::sheets::XLSX);
    let template = t.bytes().await.unwrap();
    let example = ocop_sheets::read_xlsx(&template, ORGANIZATION_COLUMNS).unwrap();
    assert_eq!(example[0].get("name"), Some("HTX Chè Đường Hoa"));

    let orgs = |bad_commune: &str| {
        sheet(
            ORGANIZATION_COLUMNS,
            &[
                &[
                    "HTX Chè Đường Hoa",
                    "Hợp tác xã",
                    "06946",
                    "5701234567",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "2026-03-01",
                ],
                &[
                    "Nước mắm Cái Rồng",
                    "Doanh nghiệp",
                    bad_commune,
                    "5709876543",
                    "",
                    "",
                    "0203 3845 678",
                    "",
                    "",
                    "",
                ],
                &[
                    "Hộ Ba kích",
                    "Hộ kinh doanh",
                    "6970",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "31/12/2025",
                ],
            ],
        )
    };
    let url = app.url("/api/v1/imports/organizations");
    let dry: Value = c
        .post(&url)
        .bearer_auth(&admin)
        .body(orgs("99999"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dry["rows"], 3);
    assert_eq!(dry["committed"], false);
    let errors = dry["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{dry}");
    assert_eq!(
        errors[0]["row"], 3,
        "row 1 is the header, so the second data row is row 3"
    );
    assert_eq!(errors[0]["field"], "commune_code");
    assert_eq!(errors[0]["column"], "Mã xã");

    let refused = c
        .post(format!("{url}?commit=true"))
        .bearer_auth(&admin)
        .body(orgs("99999"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let p = problem(refused).await;
    assert_eq!(p["code"], "import_rejected");
    assert_eq!(p["errors"][0]["row"], 3);
    let listed: Value = c
        .get(app.url("/api/v1/organizations"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["total"], 0, "nothing was written");

    let done = c
        .post(format!("{url}?commit=true"))
        .bearer_auth(&admin)
        .body(orgs("06994"))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 201);
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["created"].as_array().unwrap().len(), 3);
    let again: Value = c
        .post(&url)
        .bearer_auth(&admin)
        .body(orgs("06994"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        again["errors"][0]["code"], "tax_code_taken",
        "importing twice is caught"
    );

    // Products by the organization's tax code; a bad criteria set and a duplicate GTIN are rows 3 and 4.
    let products = sheet(
        PRODUCT_COLUMNS,
        &[
            &[
                "",
                "5701234567",
                "Chè xanh Đường Hoa",
                "11",
                "",
                "8935001234562",
                "TCCS 01:2026/HTX",
                "",
                "",
                "",
                "Tỉnh",
                "Đang hoạt động",
            ],
            &[
                "",
                "5709876543",
                "Nước mắm 35 độ đạm",
                "30",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "",
                "5701234567",
                "Chè vàng",
                "11",
                "",
                "8935001234562",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "",
                "0000000000",
                "Không ai",
                "11",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    );
    let dry: Value = c
        .post(app.url("/api/v1/imports/products"))
        .bearer_auth(&admin)
        .body(products)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows: Vec<(i64, String)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "invalid_criteria_set".into()),
            (4, "duplicate_in_sheet".into()),
            (5, "unknown_organization".into())
        ],
        "{dry}"
    );

    let not_xlsx = c
        .post(&url)
        .bearer_auth(&admin)
        .body("name,kind\nA,farm\n")
        .send()
        .await
        .unwrap();
    assert_eq!(not_xlsx.status(), 422);
    assert_eq!(problem(not_xlsx).await["field"], "file");
    // A role that may not change the register is refused before its sheet is read.
    let (_, inspector) = app.caller("inspector").await;
    let denied = c
        .post(&url)
        .bearer_auth(&inspector)
        .body(orgs("06994"))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    assert_eq!(problem(denied).await["code"], "forbidden");
}

#[tokio::test]
async fn exports_are_xlsx_or_csv_and_neutralize_formulas() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let c = app.api();
    let tea = app
        .organization("=HYPERLINK(\"http://evil\")", "06946")
        .await;
    for name in ["Cà phê Đông Triều", "Chè xanh"] {
        let r = c
            .post(app.url("/api/v1/products"))
            .bearer_auth(&admin)
            .json(&serde_json::json!({"organization_id": tea, "name": name, "criteria_set": 13, "status": "active"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let csv = c
        .get(app.url("/api/v1/products/export?format=csv&q=ca+phe"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".csv"));
    let bytes = csv.bytes().await.unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 2, "header and the one match: {text}");
    assert!(text.contains("Cà phê Đông Triều"));
    assert!(
        text.contains("'=HYPERLINK"),
        "formulas are neutralized: {text}"
    );

    let xlsx = c
        .get(app.url("/api/v1/products/export"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        xlsx.headers()["content-type"],
        ocop_server::api::sheets::XLSX
    );
    let rows = ocop_sheets::read_xlsx(&xlsx.bytes().await.unwrap(), PRODUCT_COLUMNS).unwrap();
    let mut names: Vec<_> = rows
        .iter()
        .map(|r| r.get("name").unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, vec!["Chè xanh", "Cà phê Đông Triều"]);
    assert_eq!(rows[0].get("status"), Some("Đang hoạt động"));

    let orgs = c
        .get(app.url("/api/v1/organizations/export?format=xlsx"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let rows = ocop_sheets::read_xlsx(&orgs.bytes().await.unwrap(), ORGANIZATION_COLUMNS).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].get("commune_code"),
        Some("06946"),
        "codes keep their leading zero"
    );
    let bad = c
        .get(app.url("/api/v1/organizations/export?format=pdf"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let (_, evaluator) = app.caller("evaluator").await;
    assert_eq!(
        c.get(app.url("/api/v1/products/export"))
            .bearer_auth(&evaluator)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
