use crate::support::{csrf_of, spawn_app, PASSWORD};
use ocop_server::registry::sheets::ORGANIZATION_COLUMNS;

pub fn organizations_sheet(bad_commune: &str) -> Vec<u8> {
    let rows: Vec<Vec<String>> = [
        ["HTX Chè Đường Hoa", "Hợp tác xã", "06946"],
        ["Nước mắm Cái Rồng", "Doanh nghiệp", bad_commune],
        ["Hộ Ba kích", "Hộ kinh doanh", "06970"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect();
    let table = ocop_sheets::Table {
        columns: ORGANIZATION_COLUMNS.to_vec(),
        rows,
    };
    ocop_sheets::write_xlsx("To chuc", &table).unwrap()
}

fn upload(csrf: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("kind", "organizations")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("to-chuc.xlsx"),
        )
}

#[tokio::test]
async fn an_import_with_a_bad_row_is_reported_and_a_good_one_committed() {
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let b = app.browser();
    app.sign_in(&b, &admin.email, PASSWORD).await;
    let page = b
        .get(app.url("/registry/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Nhập dữ liệu từ Excel"), "{page}");
    let csrf = csrf_of(&page);

    let r = b
        .post(app.url("/registry/import"))
        .multipart(upload(&csrf, organizations_sheet("99999")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"import-rejected\""), "{html}");
    assert!(
        html.contains("<td>3</td><td>Mã xã</td>"),
        "the bad row by number and column: {html}"
    );
    assert!(
        !html.contains("import-commit"),
        "no commit button while rows are bad"
    );

    let r = b
        .post(app.url("/registry/import"))
        .multipart(upload(&csrf, organizations_sheet("06994")))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"import-ready\""), "{html}");
    let marker = "name=\"file\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let file = &html[start..start + 64];
    let done = b
        .post(app.url("/registry/import/commit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "organizations"),
            ("file", file),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("id=\"import-done\""), "{done}");
    let filter = ocop_store::OrganizationFilter {
        limit: 10,
        ..Default::default()
    };
    assert_eq!(
        app.state.store.organizations(&filter).await.unwrap().total,
        3
    );

    let not_xlsx = b
        .post(app.url("/registry/import"))
        .multipart(upload(&csrf, b"a,b\n1,2".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(not_xlsx.status(), 422);
    assert!(not_xlsx.text().await.unwrap().contains("Excel"));
    let forged = b
        .post(app.url("/registry/import"))
        .multipart(upload("forged", organizations_sheet("06994")))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let xlsx = b
        .get(app.url("/registry/organizations.xlsx?q=nuoc"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let rows = ocop_sheets::read_xlsx(&xlsx.bytes().await.unwrap(), ORGANIZATION_COLUMNS).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get("name"), Some("Nước mắm Cái Rồng"));

    let (inspector, _) = app.caller("inspector").await;
    let ib = app.browser();
    app.sign_in(&ib, &inspector.email, PASSWORD).await;
    assert_eq!(
        ib.get(app.url("/registry/import"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
