//! The register's web pages: organizations and products listed, registered and changed through
//! forms, within each role's reach.

use crate::support::{csrf_of, spawn_app, TestApp, PASSWORD};
use chrono::Datelike;
use ocop_server::registry::products::ProductInput;
use ocop_server::users::Requester;

async fn page(b: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = b.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(
    b: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    b.post(app.url(path)).form(form).send().await.unwrap()
}

/// A product registered behind the scenes, as an office import would.
async fn product(app: &TestApp, organization: i64, name: &str, set: i64) -> i64 {
    let input = ProductInput {
        organization_id: Some(organization),
        name: Some(name.into()),
        criteria_set: Some(set),
        status: Some("active".into()),
        ..Default::default()
    };
    ocop_server::registry::products::create(&*app.state.store, Requester::Operator, &input)
        .await
        .unwrap()
        .id
}

async fn signed_in(app: &TestApp, role: &str) -> reqwest::Client {
    let (user, _) = app.caller(role).await;
    let b = app.browser();
    assert_eq!(app.sign_in(&b, &user.email, PASSWORD).await.status(), 303);
    b
}

#[tokio::test]
async fn admin_registers_an_organization_and_a_product_through_the_forms() {
    let app = spawn_app().await;
    let b = signed_in(&app, "admin").await;

    let (status, home) = page(&b, &app, "/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("Sổ đăng ký") && home.contains("href=\"/registry/products\""),
        "the register in the navigation: {home}"
    );
    let (status, list) = page(&b, &app, "/registry/organizations").await;
    assert_eq!(status, 200);
    assert!(list.contains("Đăng ký tổ chức kinh tế") && list.contains("Nhập từ Excel"));

    let (_, form) = page(&b, &app, "/registry/organizations/new").await;
    assert!(form.contains("Xã Đường Hoa"), "the province's communes");
    assert!(form.contains("Hợp tác xã") && form.contains("Hộ kinh doanh"));
    assert!(form.contains("type=\"date\""));
    let r = post(
        &b,
        &app,
        "/registry/organizations",
        &[
            ("csrf", &csrf_of(&form)),
            ("name", "HTX Chè Đường Hoa"),
            ("kind", "cooperative"),
            ("commune_code", "06946"),
            ("tax_code", "5701234567"),
            ("address", "Thôn Tân Hoa"),
            ("representative", "Hoàng Văn Tâm"),
            ("phone", "0912 345 678"),
            ("email", "htx@cheduonghoa.vn"),
            ("gln", ""),
            ("food_safety_signed_on", "2026-03-01"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/registry/organizations/") && location.ends_with("?saved=1"));
    let (_, org_page) = page(&b, &app, &location).await;
    assert!(org_page.contains("Đã lưu."), "{org_page}");
    assert!(org_page.contains("HTX Chè Đường Hoa") && org_page.contains("0912345678"));
    assert!(
        org_page.contains("01/03/2026"),
        "the date as offices write it"
    );
    assert!(
        org_page.contains("enctype=\"multipart/form-data\""),
        "an upload form"
    );
    let org_id: i64 = location
        .trim_start_matches("/registry/organizations/")
        .trim_end_matches("?saved=1")
        .parse()
        .unwrap();
    assert!(org_page.contains(&format!("/registry/products/new?organization_id={org_id}")));

    // A typo in the edit form: the stored record stays, the typed values come back.
    let r = post(
        &b,
        &app,
        &format!("/registry/organizations/{org_id}"),
        &[
            ("csrf", &csrf_of(&org_page)),
            ("name", "HTX Chè Đường Hoa Tân Hoa"),
            ("kind", "cooperative"),
            ("commune_code", "06946"),
            ("tax_code", "12345"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Mã số thuế không hợp lệ"), "{html}");
    assert!(html.contains("value=\"HTX Chè Đường Hoa Tân Hoa\""));
    assert!(
        html.contains("<details class=\"edit\" open>"),
        "the form is open"
    );

    let (_, form) = page(
        &b,
        &app,
        &format!("/registry/products/new?organization_id={org_id}"),
    )
    .await;
    assert!(form.contains(&format!(
        "<option value=\"{org_id}\" selected>HTX Chè Đường Hoa"
    )));
    assert!(form.contains("11. Chè tươi, chè chế biến (Chè)"), "{form}");
    assert!(form.contains("Ngừng sản xuất") && form.contains("Cấp quốc gia"));
    let r = post(
        &b,
        &app,
        "/registry/products",
        &[
            ("csrf", &csrf_of(&form)),
            ("organization_id", &org_id.to_string()),
            ("name", "Chè xanh Đường Hoa"),
            ("criteria_set", "11"),
            ("description", "Chè búp tươi sao tay"),
            ("gtin", "8935001234562"),
            ("standard_code", "TCCS 01:2026/HTX"),
            ("standard_declared_on", "2026-02-01"),
            ("food_safety_certificate", "123/2026/ATTP"),
            ("food_safety_expires_on", "2029-02-01"),
            ("key_level", "province"),
            ("status", "active"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (_, product_page) = page(&b, &app, &location).await;
    let code = format!("22-06946-001-{}", chrono::Utc::now().year());
    assert!(
        product_page.contains(&format!("<strong id=\"product-code\">{code}</strong>")),
        "{product_page}"
    );
    assert!(product_page.contains("Đang hoạt động") && product_page.contains("Cấp tỉnh"));
    assert!(
        product_page.contains("Hồ sơ công bố tiêu chuẩn"),
        "upload purposes"
    );

    let (_, list) = page(&b, &app, "/registry/products").await;
    assert!(list.contains(&code) && list.contains("Chè xanh Đường Hoa"));
    let (_, org_page) = page(&b, &app, &format!("/registry/organizations/{org_id}")).await;
    assert!(
        org_page.contains(&code),
        "the organization lists its products"
    );
}

#[tokio::test]
async fn a_bad_gtin_is_explained_in_vietnamese_and_the_typed_values_kept() {
    let app = spawn_app().await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let b = signed_in(&app, "admin").await;
    let (_, form) = page(&b, &app, "/registry/products/new").await;
    let r = post(
        &b,
        &app,
        "/registry/products",
        &[
            ("csrf", &csrf_of(&form)),
            ("organization_id", &org.to_string()),
            ("name", "Chè xanh Đường Hoa"),
            ("criteria_set", "11"),
            ("gtin", "8935001234567"),
            ("status", "draft"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Mã số mã vạch (GTIN) không hợp lệ"), "{html}");
    assert!(html.contains("value=\"Chè xanh Đường Hoa\""));
    assert!(html.contains("value=\"8935001234567\" aria-invalid=\"true\""));
    assert!(html.contains(&format!("<option value=\"{org}\" selected>")));
    assert!(html.contains("<option value=\"11\" selected>"));
    assert_eq!(
        app.state
            .store
            .products(&Default::default())
            .await
            .unwrap()
            .total,
        0,
        "nothing written"
    );

    // A missing required field is named as such.
    let r = post(
        &b,
        &app,
        "/registry/products",
        &[
            ("csrf", &csrf_of(&form)),
            ("organization_id", &org.to_string()),
            ("name", "Chè vàng"),
            ("criteria_set", ""),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("trường bắt buộc"));
}

#[tokio::test]
async fn search_without_diacritics_finds_products_in_the_list_page() {
    let app = spawn_app().await;
    let tea = app.organization("HTX Chè Đường Hoa", "06946").await;
    let sauce = app
        .organization("Công ty CP Nước mắm Cái Rồng", "06994")
        .await;
    product(&app, tea, "Cà phê Đông Triều", 13).await;
    product(&app, tea, "Chè xanh Đường Hoa", 11).await;
    product(&app, sauce, "Nước mắm Cái Rồng", 9).await;
    let b = signed_in(&app, "admin").await;

    let (status, html) = page(&b, &app, "/registry/products?q=ca+phe").await;
    assert_eq!(status, 200);
    assert!(html.contains("Cà phê Đông Triều"), "{html}");
    assert!(!html.contains("Nước mắm Cái Rồng") && !html.contains("Chè xanh"));
    assert!(
        html.contains("value=\"ca phe\""),
        "the search box keeps the words"
    );
    assert!(html.contains("href=\"/registry/products.xlsx?q=ca+phe\""));
    assert!(html.contains("href=\"/registry/products.csv?q=ca+phe\""));

    let (_, html) = page(&b, &app, "/registry/products?group=Ch%C3%A8&commune=06946").await;
    assert!(html.contains("Chè xanh Đường Hoa") && !html.contains("Cà phê Đông Triều"));
    assert!(html.contains("<option value=\"Chè\" selected>"));
    let (_, html) = page(&b, &app, "/registry/organizations?q=nuoc+mam").await;
    assert!(html.contains("Công ty CP Nước mắm Cái Rồng") && !html.contains("HTX Chè"));
    assert!(html.contains("Đặc khu Vân Đồn"), "the commune by name");
}

#[tokio::test]
async fn lists_page_by_fifty_keeping_the_query() {
    let app = spawn_app().await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    for i in 0..51 {
        product(&app, org, &format!("Chè số {i:02}"), 11).await;
    }
    let b = signed_in(&app, "admin").await;
    let (_, first) = page(&b, &app, "/registry/products?q=che&status=active").await;
    assert!(first.contains("Tổng số: 51"), "{first}");
    assert!(first.contains("href=\"/registry/products?q=che&#38;status=active&#38;offset=50\""));
    assert!(!first.contains("id=\"prev-page\""));
    let (_, second) = page(&b, &app, "/registry/products?q=che&status=active&offset=50").await;
    assert!(second.contains("Chè số 50") && !second.contains("Chè số 00"));
    assert!(second.contains("id=\"prev-page\"") && !second.contains("id=\"next-page\""));
}

#[tokio::test]
async fn officers_keep_to_their_commune_and_inspectors_only_read() {
    let app = spawn_app().await;
    let here = app.organization("HTX Chè Đường Hoa", "06946").await;
    let there = app
        .organization("Công ty CP Nước mắm Cái Rồng", "06994")
        .await;
    let tea = product(&app, here, "Chè xanh Đường Hoa", 11).await;
    let sauce = product(&app, there, "Nước mắm Cái Rồng", 9).await;

    let officer = signed_in(&app, "officer").await;
    let (_, list) = page(&officer, &app, "/registry/products").await;
    assert!(list.contains("Chè xanh Đường Hoa") && !list.contains("Nước mắm"));
    let (status, html) = page(&officer, &app, &format!("/registry/products/{sauce}")).await;
    assert_eq!(status, 404);
    assert!(html.contains("Không tìm thấy"), "the friendly page: {html}");
    let (status, html) = page(&officer, &app, &format!("/registry/products/{tea}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"product-form\""),
        "an officer edits its commune's products"
    );
    let (_, form) = page(&officer, &app, "/registry/organizations/new").await;
    assert!(
        form.contains("<option value=\"06946\" selected>Xã Đường Hoa</option>")
            && !form.contains("Vân Đồn"),
        "only its commune: {form}"
    );

    let inspector = signed_in(&app, "inspector").await;
    let (status, html) = page(&inspector, &app, &format!("/registry/products/{sauce}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Nước mắm Cái Rồng"));
    assert!(!html.contains("id=\"product-form\"") && !html.contains("multipart/form-data"));
    let (_, html) = page(
        &inspector,
        &app,
        &format!("/registry/organizations/{there}"),
    )
    .await;
    assert!(!html.contains("id=\"organization-form\"") && !html.contains("id=\"new-product\""));
    let (_, list) = page(&inspector, &app, "/registry/organizations").await;
    assert!(!list.contains("id=\"new-organization\"") && list.contains("Xuất Excel"));
    let (status, _) = page(&inspector, &app, "/registry/products/new").await;
    assert_eq!(status, 403);
    let r = post(
        &inspector,
        &app,
        &format!("/registry/products/{sauce}"),
        &[
            ("csrf", &csrf_of(&html)),
            ("organization_id", &there.to_string()),
            ("name", "Đổi tên"),
            ("criteria_set", "9"),
        ],
    )
    .await;
    assert_eq!(r.status(), 403);

    let producer = signed_in(&app, "producer").await;
    let (status, _) = page(&producer, &app, "/registry/organizations/new").await;
    assert_eq!(status, 403, "producers register no organizations");
    let (status, form) = page(&producer, &app, "/registry/products/new").await;
    assert_eq!(status, 200);
    assert!(
        form.contains("selected>HTX Chè Đường Hoa</option>") && !form.contains("Nước mắm"),
        "its own organization, chosen already: {form}"
    );
}

#[tokio::test]
async fn evaluators_do_not_see_the_register() {
    let app = spawn_app().await;
    let b = signed_in(&app, "evaluator").await;
    for path in [
        "/registry/products",
        "/registry/organizations",
        "/registry/products/new",
    ] {
        let (status, html) = page(&b, &app, path).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Bạn không có quyền"), "{html}");
    }
    let (_, home) = page(&b, &app, "/").await;
    assert!(!home.contains("/registry/"), "no register links: {home}");
}

#[tokio::test]
async fn the_upload_form_attaches_a_document_listed_on_the_page() {
    let app = spawn_app().await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let b = signed_in(&app, "officer").await;
    let path = format!("/registry/organizations/{org}");
    let (_, html) = page(&b, &app, &path).await;
    let form_at = html.find("enctype=\"multipart/form-data\"").unwrap();
    assert!(
        html[form_at..].find("name=\"csrf\"") < html[form_at..].find("name=\"purpose\""),
        "the token comes first, so the server checks it before reading the file"
    );
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf_of(&html[form_at..]))
        .text("purpose", "food_safety_commitment")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7\n%cam ket\n".to_vec())
                .file_name("cam-ket.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        );
    let r = b
        .post(app.url(&format!("{path}/documents")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = page(&b, &app, &location).await;
    assert!(html.contains("Đã tải tệp lên."), "{html}");
    assert!(html.contains("cam-ket.pdf") && html.contains("Bản cam kết an toàn thực phẩm"));
    assert!(html.contains("href=\"/documents/"));
}
