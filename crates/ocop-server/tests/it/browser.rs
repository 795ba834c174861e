//! Browser journeys in headless Chromium, driven through chromedriver (Debian's `chromium`
//! and `chromium-driver`). Skipped with a note when they are not installed, unless
//! `OCOP_REQUIRE_BROWSER=1` (set by .ci/run) makes a missing browser a failure.

use crate::support::{spawn_app, PASSWORD};
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Driver {
    process: Child,
    _profile: tempfile::TempDir,
    client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn find(candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

async fn driver() -> Option<Driver> {
    let chromedriver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    let chromium = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
    let (Some(chromedriver), Some(chromium)) = (chromedriver, chromium) else {
        if std::env::var_os("OCOP_REQUIRE_BROWSER").is_some() {
            panic!(
                "chromium and chromedriver are required (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!("chromium/chromedriver not installed: browser journey skipped");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut process = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=412,915",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
        {
            return Some(Driver {
                process,
                _profile: profile,
                client,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = process.kill();
    let _ = process.wait();
    panic!("chromedriver did not start on port {port}");
}

/// The text of the first element matching `css`, waiting for it to appear. A page that is
/// replaced between finding the element and reading it (a stale element) is read again.
async fn text_of(c: &Client, css: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        match c.find(Locator::Css(css)).await {
            Ok(e) => match e.text().await {
                Ok(t) => return t,
                Err(err) => last = err.to_string(),
            },
            Err(err) => last = err.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: {last}");
}

#[tokio::test]
async fn sign_in_journey_on_a_phone_sized_window() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let c = &d.client;

    c.goto(&app.url("/admin/users")).await.unwrap();
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("/sign-in?next="),
        "sent to sign in first"
    );

    // A wrong password first.
    c.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys(&admin.email)
        .await
        .unwrap();
    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("wrong password")
        .await
        .unwrap();
    c.find(Locator::Id("sign-in-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(text_of(c, "#sign-in-error").await.contains("không đúng"));

    c.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Id("sign-in-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Back where we were going: the user list (waiting for the new page, not reading the old).
    wait_for_text(c, "h1", "Người dùng").await;

    c.goto(&app.url("/")).await.unwrap();
    assert!(text_of(c, "#welcome").await.contains("Người dùng admin"));
    assert_eq!(text_of(c, "#role").await, "Quản trị tỉnh");

    // English, then sign out.
    c.find(Locator::Css("a.lang"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "#role", "Provincial admin").await;
    c.find(Locator::Css("form.inline button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notice = text_of(c, "p.notice").await;
    assert_eq!(notice, "You have signed out.");
    c.goto(&app.url("/")).await.unwrap();
    assert!(
        c.find(Locator::Id("welcome")).await.is_err(),
        "no longer signed in"
    );
    d.client.clone().close().await.unwrap();
}

async fn type_into(c: &Client, id: &str, text: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn choose(c: &Client, id: &str, value: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .select_by_value(value)
        .await
        .unwrap();
}

#[tokio::test]
async fn registering_and_finding_a_product_on_a_phone() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let c = &d.client;

    c.goto(&app.url("/sign-in")).await.unwrap();
    type_into(c, "email", &admin.email).await;
    type_into(c, "password", PASSWORD).await;
    click(c, "sign-in-submit").await;
    assert!(text_of(c, "#welcome").await.contains("Người dùng admin"));

    // Organization: from the navigation to its new page.
    click(c, "nav-organizations").await;
    wait_for_text(c, "h1", "Tổ chức kinh tế").await;
    click(c, "new-organization").await;
    type_into(c, "name", "HTX Cà phê Đông Triều").await;
    choose(c, "kind", "cooperative").await;
    choose(c, "commune_code", "06946").await;
    type_into(c, "phone", "0912 345 678").await;
    click(c, "save-organization").await;
    assert_eq!(text_of(c, "#notice").await, "Đã lưu.");
    assert_eq!(
        text_of(c, "#organization-name").await,
        "HTX Cà phê Đông Triều"
    );

    // Product: registered from the organization's page, which chose the organization already.
    click(c, "new-product").await;
    type_into(c, "name", "Cà phê Đông Triều").await;
    choose(c, "criteria_set", "13").await;
    choose(c, "status", "active").await;
    click(c, "save-product").await;
    let code = text_of(c, "#product-code").await;
    assert!(code.starts_with("22-06946-001-"), "{code}");

    // Found again without diacritics.
    click(c, "nav-products").await;
    type_into(c, "q", "ca phe dong trieu").await;
    click(c, "search").await;
    wait_for_url(c, "q=ca+phe+dong+trieu").await;
    let link = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::LinkText("Cà phê Đông Triều"))
        .await
        .expect("the product is listed");
    link.click().await.unwrap();
    assert_eq!(text_of(c, "#product-code").await, code);
    d.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn importing_a_sheet_with_one_bad_row() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let c = &d.client;
    let files = tempfile::tempdir().unwrap();
    let bad = files.path().join("to-chuc-loi.xlsx");
    let good = files.path().join("to-chuc.xlsx");
    std::fs::write(&bad, crate::web_import::organizations_sheet("99999")).unwrap();
    std::fs::write(&good, crate::web_import::organizations_sheet("06994")).unwrap();

    c.goto(&app.url("/registry/import")).await.unwrap();
    type_into(c, "email", &admin.email).await;
    type_into(c, "password", PASSWORD).await;
    click(c, "sign-in-submit").await;
    wait_for_text(c, "h1", "Nhập dữ liệu từ Excel").await;

    choose(c, "kind", "organizations").await;
    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(bad.to_str().unwrap())
        .await
        .unwrap();
    click(c, "import-check").await;
    assert!(text_of(c, "#import-rejected").await.contains("1"));
    let table = text_of(c, "#import-errors").await;
    assert!(
        table.contains("3") && table.contains("Mã xã"),
        "row 3, column Mã xã: {table}"
    );

    c.find(Locator::Id("file"))
        .await
        .unwrap()
        .send_keys(good.to_str().unwrap())
        .await
        .unwrap();
    click(c, "import-check").await;
    text_of(c, "#import-ready").await;
    click(c, "import-commit").await;
    assert!(text_of(c, "#import-done").await.contains("3"));
    c.goto(&app.url("/registry/organizations?q=nuoc+mam"))
        .await
        .unwrap();
    assert!(text_of(c, "main").await.contains("Nước mắm Cái Rồng"));
    d.client.clone().close().await.unwrap();
}

/// Waits until an element's text is `expected`: just after a form is sent, the old page may
/// still show an element with the same id.
/// A click starts a navigation; the URL changes when the new page arrives, not at once.
async fn wait_for_url(c: &Client, needle: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        last = c.current_url().await.unwrap().to_string();
        if last.contains(needle) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser stayed at {last}, never reaching a URL with {needle}");
}

async fn wait_for_text(c: &Client, css: &str, expected: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            if let Ok(t) = e.text().await {
                if t == expected {
                    return;
                }
                last = t;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: {last:?} and not {expected:?}");
}

#[tokio::test]
async fn a_producer_stamps_a_lot_and_prints_the_labels_on_a_phone() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let producer = app
        .user("lan@cheduonghoa.vn", "producer", None, Some(org))
        .await;
    let input = ocop_server::registry::products::ProductInput {
        organization_id: Some(org),
        name: Some("Chè xanh Đường Hoa".into()),
        criteria_set: Some(11),
        status: Some("active".into()),
        ..Default::default()
    };
    let product = ocop_server::registry::products::create(
        &*app.state.store,
        ocop_server::users::Requester::Operator,
        &input,
    )
    .await
    .unwrap();
    let c = &d.client;

    c.goto(&app.url(&format!("/registry/products/{}", product.id)))
        .await
        .unwrap();
    type_into(c, "email", &producer.email).await;
    type_into(c, "password", PASSWORD).await;
    click(c, "sign-in-submit").await;
    assert_eq!(text_of(c, "#product-code").await, product.code);
    click(c, "stamps-link").await;
    wait_for_text(c, "h1", "Tem & lô sản xuất").await;

    // A lot: the form is open while the product has none. The date field's typing depends on
    // the browser's locale, so its value is set the way the calendar would.
    type_into(c, "lot-code", "L-2026-01").await;
    c.execute(
        "document.getElementById('lot-produced_on').value = '2026-03-01'",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "lot-quantity", "500").await;
    click(c, "create-lot").await;
    wait_for_text(c, "#notice", "Đã thêm lô sản xuất.").await;
    assert!(text_of(c, "#lots-table").await.contains("L-2026-01"));

    // A batch of a hundred stamps, then its page.
    c.find(Locator::Css("#batches details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(c, "batch-count", "100").await;
    click(c, "issue-batch").await;
    wait_for_text(c, "#notice", "Đã cấp đợt tem mới.").await;
    let serials = text_of(c, "#batch-serials").await;
    let (first, last) = serials.split_once('–').unwrap();
    let (first, last): (i64, i64) = (first.parse().unwrap(), last.parse().unwrap());
    assert_eq!(last - first, 99);

    // Half of it goes on the lot.
    let lot = app.state.store.lots(product.id).await.unwrap()[0].id;
    type_into(c, "activate-from", &first.to_string()).await;
    type_into(c, "activate-to", &(first + 49).to_string()).await;
    choose(c, "activate-lot", &lot.to_string()).await;
    click(c, "activate-submit").await;
    wait_for_text(c, "#notice", "Đã kích hoạt tem.").await;
    assert_eq!(text_of(c, ".count-activated").await, "50");
    assert_eq!(text_of(c, ".count-issued").await, "50");
    let green = c
        .find(Locator::Css("#picture rect.seg.activated-a"))
        .await
        .expect("the activated stretch is drawn");
    assert_eq!(
        green.attr("width").await.unwrap().as_deref(),
        Some("50.000%")
    );

    // The PDF download, fetched with the browser's session.
    choose(c, "pdf-layout", "3x8").await;
    let action = c
        .find(Locator::Id("pdf-form"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap();
    let cookies: Vec<String> = c
        .get_all_cookies()
        .await
        .unwrap()
        .iter()
        .map(|k| format!("{}={}", k.name(), k.value()))
        .collect();
    let r = reqwest::Client::new()
        .get(app.url(&format!("{action}?format=pdf&layout=3x8&from=&to=")))
        .header("cookie", cookies.join("; "))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    let doc = lopdf::Document::load_mem(&pdf).expect("the download is a PDF");
    assert!(!doc.get_pages().is_empty());
    assert_eq!(doc.get_pages().len(), 5, "100 labels at 24 a page");

    // The product's page counts the stamped units.
    click(c, "back-to-stamps").await;
    assert!(text_of(c, "#coverage-units-text")
        .await
        .contains("50 / 500 (10%)"));
    d.client.clone().close().await.unwrap();
}

/// Saves a screenshot when `OCOP_SCREENSHOTS` names a directory (to look at the pages).
async fn screenshot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("OCOP_SCREENSHOTS") {
        let png = c.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test]
async fn a_shopper_scans_a_genuine_stamp_then_an_unknown_code_on_a_phone() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let s = crate::web_verify::shelf(&app).await;
    let c = &d.client;

    // What the phone's camera opens: the URL in the QR, upper case.
    let code = crate::web_verify::code(&app, s.first).replace('-', "");
    c.goto(&app.url(&format!("/S/{code}"))).await.unwrap();
    assert_eq!(text_of(c, "#verdict-text").await, "Tem thật");
    let verdict = c.find(Locator::Id("verdict")).await.unwrap();
    assert_eq!(
        verdict.attr("data-verdict").await.unwrap().as_deref(),
        Some("genuine")
    );
    assert!(verdict
        .attr("class")
        .await
        .unwrap()
        .unwrap()
        .contains("tone-ok"));
    assert_eq!(text_of(c, "#product-name").await, "Chè xanh Đường Hoa");
    assert_eq!(text_of(c, "#scan-count").await, "1");
    assert!(text_of(c, "#producer").await.contains("Quảng Ninh"));
    screenshot(c, "verify-genuine").await;

    // In English, and the count goes on.
    c.find(Locator::Css("a.lang"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "#verdict-text", "Genuine stamp").await;
    assert_eq!(text_of(c, "#scan-count").await, "2");
    c.find(Locator::Css("a.lang"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_text(c, "#verdict-text", "Tem thật").await;

    // A code that is not ours.
    c.goto(&app.url("/S/ABCD-EFGH-JKMN-PQRS")).await.unwrap();
    assert_eq!(
        text_of(c, "#verdict-text").await,
        "Không phải tem của hệ thống"
    );
    assert_eq!(
        c.find(Locator::Id("verdict"))
            .await
            .unwrap()
            .attr("data-verdict")
            .await
            .unwrap()
            .as_deref(),
        Some("unknown")
    );
    assert!(
        c.find(Locator::Id("pin-form")).await.is_err(),
        "no PIN for a code not ours"
    );
    assert!(
        c.find(Locator::Id("report-what"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "the report form is open"
    );
    screenshot(c, "verify-unknown").await;
    d.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_shopper_checks_the_pin_twice_on_a_phone() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let s = crate::web_verify::shelf(&app).await;
    let c = &d.client;
    let code = crate::web_verify::code(&app, s.first + 7);
    let pin = crate::web_verify::pin(&app, s.first + 7);

    c.goto(&app.url(&format!("/S/{code}"))).await.unwrap();
    type_into(c, "pin-input", &pin).await;
    click(c, "pin-submit").await;
    wait_for_text(
        c,
        "#pin-text",
        "Tem thật — đây là lần kiểm tra PIN đầu tiên.",
    )
    .await;
    screenshot(c, "verify-pin-first").await;

    click(c, "back-to-stamp").await;
    wait_for_text(c, "#scan-count", "2").await;
    type_into(c, "pin-input", &pin).await;
    click(c, "pin-submit").await;
    let text = text_of(c, "#pin-result").await;
    assert!(text.contains("đã được kiểm tra trước đây"), "{text}");
    assert!(!text_of(c, "#pin-first-checked").await.is_empty());
    screenshot(c, "verify-pin-again").await;

    // The stamp now warns the next shopper.
    click(c, "back-to-stamp").await;
    wait_for_text(c, "#verdict-text", "Tem thật nhưng có dấu hiệu bị sao chép").await;
    d.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_producer_recalls_a_lot_and_the_next_scan_says_recalled() {
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let s = crate::web_verify::shelf(&app).await;
    let c = &d.client;
    let code = crate::web_verify::code(&app, s.first + 3);
    // Two shoppers' scans first: the stamp page draws them.
    for _ in 0..2 {
        let r = reqwest::get(app.url(&format!("/S/{code}"))).await.unwrap();
        assert_eq!(r.status(), 200);
    }

    c.goto(&app.url(&format!("/registry/products/{}/stamps", s.product)))
        .await
        .unwrap();
    type_into(c, "email", &s.producer.email).await;
    type_into(c, "password", PASSWORD).await;
    click(c, "sign-in-submit").await;
    wait_for_text(c, "h1", "Tem & lô sản xuất").await;
    assert_eq!(text_of(c, "#scan-total").await, "2");
    assert_eq!(text_of(c, "#scan-repeat").await, "1");
    c.find(Locator::Id("scan-chart")).await.expect("the chart");
    c.set_window_size(412, 2400).await.unwrap();
    screenshot(c, "stamps-with-scans").await;
    c.set_window_size(412, 915).await.unwrap();
    click(c, &format!("recall-open-{}", s.lot)).await;
    type_into(
        c,
        &format!("recall-reason-{}", s.lot),
        "Phát hiện nhiễm khuẩn",
    )
    .await;
    click(c, &format!("recall-{}", s.lot)).await;
    wait_for_text(c, "#notice", "Đã thu hồi lô sản xuất.").await;
    assert_eq!(
        text_of(c, &format!("#lot-{}-recalled", s.lot)).await,
        "Đã thu hồi"
    );
    screenshot(c, "stamps-recalled").await;

    c.goto(&app.url(&format!("/S/{code}"))).await.unwrap();
    assert_eq!(text_of(c, "#verdict-text").await, "Lô hàng đã bị thu hồi");
    assert_eq!(text_of(c, "#recall-reason").await, "Phát hiện nhiễm khuẩn");
    screenshot(c, "verify-recalled").await;
    d.client.clone().close().await.unwrap();
}

/// Signs out (by forgetting the session) and signs in as `email` on the way to `path`.
async fn sign_in_at(c: &Client, app: &crate::support::TestApp, path: &str, email: &str) {
    c.delete_all_cookies().await.unwrap();
    c.goto(&app.url(path)).await.unwrap();
    wait_for_url(c, "/sign-in").await;
    type_into(c, "email", email).await;
    type_into(c, "password", PASSWORD).await;
    click(c, "sign-in-submit").await;
    wait_for_url(c, path).await;
}

/// The id of the radio button (or points box) that gives this answer on the sheet.
fn answer_input(code: &str, answer: &serde_json::Value) -> (String, Option<String>) {
    let anchor = format!("c-{}", code.replace('.', "-"));
    match answer {
        serde_json::Value::Number(n) => (format!("{anchor}-o{n}"), None),
        serde_json::Value::Object(o) if o.contains_key("points") => {
            (format!("{anchor}-points"), Some(o["points"].to_string()))
        }
        serde_json::Value::Object(o) => (format!("{anchor}-o{}-{}", o["case"], o["option"]), None),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn a_dossier_goes_from_form_02_to_a_certificate_pdf_with_a_council_of_two() {
    use crate::web_dossiers as ev;
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let fx = ev::fixture(&app).await;
    let c = &d.client;
    // Form 02 is mostly filled in already; criterion 1.2 is answered in the browser.
    let mut form = ev::four_star_answers(1);
    form.remove("1.2");
    let id = ev::open(&app, &fx, &form).await;
    let here = format!("/dossiers/{id}");

    sign_in_at(
        c,
        &app,
        &format!("{here}/self-assessment"),
        &fx.producer.email,
    )
    .await;
    wait_for_text(c, "h1", "Phiếu tự đánh giá (Mẫu 02)").await;
    click(c, "c-1-2-o0").await;
    type_into(c, "c-1-2-evidence", "Tem truy xuất nguồn gốc trên từng hũ").await;
    screenshot(c, "dossier-form02").await;
    click(c, "form02-submit").await;
    wait_for_text(c, "#notice", "Đã nộp hồ sơ.").await;
    assert_eq!(
        text_of(c, "#dossier-state").await,
        "Đã nộp, chờ xã kiểm tra"
    );

    // The commune vouches for its part.
    sign_in_at(c, &app, &here, &fx.officer.email).await;
    for (field, text) in [
        ("report-local_origin", "Sản phẩm của xã Đường Hoa"),
        ("report-raw_materials", "Mật ong từ rừng Ba Chẽ"),
        ("report-local_labour", "15 lao động địa phương"),
        ("report-idea_origin", "Ý tưởng của hợp tác xã"),
    ] {
        type_into(c, field, text).await;
    }
    click(c, "step-commune-check").await;
    wait_for_text(c, "#notice", "Đã xác nhận và chuyển hồ sơ lên tỉnh.").await;

    // The office names the council (chair and secretary) and assigns the dossier.
    sign_in_at(c, &app, "/rounds", &fx.admin.email).await;
    type_into(c, "round-name", "Đợt 1 năm 2026").await;
    let held_by = (ocop_server::present::today_in_vietnam() + chrono::Days::new(30))
        .format("%Y-%m-%d")
        .to_string();
    c.execute(
        &format!("document.getElementById('round-held-by').value = '{held_by}'"),
        vec![],
    )
    .await
    .unwrap();
    choose(c, "user-0", &fx.chair.id.to_string()).await;
    choose(c, "role-0", "chair").await;
    choose(c, "user-1", &fx.secretary.id.to_string()).await;
    choose(c, "role-1", "secretary").await;
    click(c, "create-round").await;
    wait_for_text(c, "#notice", "Đã thành lập đợt đánh giá.").await;
    let round = c.current_url().await.unwrap().path().to_string();
    let round_id = round.trim_start_matches("/rounds/").to_string();
    c.goto(&app.url(&here)).await.unwrap();
    choose(c, "assign-round", &round_id).await;
    click(c, "step-assign").await;
    wait_for_text(c, "#notice", "Đã giao hồ sơ cho đợt đánh giá.").await;

    // Each member hands in the sheet drafted earlier; the secretary consolidates.
    for member in [&fx.chair, &fx.secretary] {
        ev::hand_in(&app, member, id, &ev::four_star_answers(1), false).await;
        sign_in_at(c, &app, &format!("{here}/sheet"), &member.email).await;
        click(c, "sheet-submit").await;
        wait_for_text(c, "#notice", "Đã nộp phiếu chấm.").await;
    }
    c.goto(&app.url(&here)).await.unwrap();
    assert_eq!(
        text_of(c, "#consolidate-progress").await,
        "2 trong 2 thành viên đã nộp phiếu"
    );
    click(c, "step-consolidate").await;
    wait_for_text(c, "#notice", "Đã tổng hợp kết quả.").await;
    assert_eq!(text_of(c, "#result-stars").await, "★★★★");
    c.set_window_size(412, 2600).await.unwrap();
    screenshot(c, "dossier-result").await;
    c.set_window_size(412, 915).await.unwrap();

    // The office recognizes it; the certificate's PDF names the product.
    sign_in_at(c, &app, &here, &fx.admin.email).await;
    assert_eq!(text_of(c, "#recognize-stars").await, "★★★★");
    type_into(c, "decision-number", "1234/QĐ-UBND").await;
    click(c, "step-recognize").await;
    wait_for_text(
        c,
        "#notice",
        "Đã ghi quyết định công nhận và cấp giấy chứng nhận.",
    )
    .await;
    let pdf = c
        .find(Locator::Id("certificate-pdf"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let r = reqwest::get(app.url(&pdf)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let doc = lopdf::Document::load_mem(&r.bytes().await.unwrap()).expect("a PDF");
    let text = doc.extract_text(&[1]).unwrap();
    assert!(text.contains(ev::PRODUCT), "{text}");
    assert!(text.contains("Hạng 4 sao"), "{text}");
    click(c, "certificate-link").await;
    wait_for_text(c, "#certificate-status", "Còn hiệu lực").await;
    screenshot(c, "certificate-valid").await;
    d.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn an_evaluator_scores_and_hands_in_a_sheet_on_a_phone() {
    use crate::web_dossiers as ev;
    let Some(d) = driver().await else { return };
    let app = spawn_app().await;
    let fx = ev::fixture(&app).await;
    let (id, _) = ev::in_round(&app, &fx).await;
    let c = &d.client;
    c.set_window_size(412, 915).await.unwrap();
    let sheet = format!("/dossiers/{id}/sheet");
    sign_in_at(c, &app, &sheet, &fx.chair.email).await;
    wait_for_text(c, "h1", "Phiếu chấm điểm").await;
    assert_eq!(text_of(c, "#seat").await, "Chủ tịch");

    // Large tap targets, and nothing wider than the phone.
    let (_, _, width, height) = c
        .find(Locator::Css("label.ev-choice"))
        .await
        .unwrap()
        .rectangle()
        .await
        .unwrap();
    assert!(height >= 44.0 && width <= 412.0, "{width}×{height}");
    let fits = c
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fits, serde_json::json!(true), "no sideways scrolling");
    assert!(text_of(c, "#part-A").await.contains("tối thiểu ★★★"));

    // Half the answers, a draft; then the rest, handed in.
    let answers = ev::four_star_answers(1);
    let (first, rest) = answers
        .iter()
        .enumerate()
        .partition::<Vec<_>, _>(|(i, _)| *i < 16);
    for (_, (code, a)) in &first {
        let (input, points) = answer_input(code, a);
        match points {
            Some(p) => type_into(c, &input, &p).await,
            None => click(c, &input).await,
        }
    }
    click(c, "sheet-save").await;
    wait_for_text(c, "#notice", "Đã lưu nháp phiếu chấm.").await;
    assert_eq!(text_of(c, "#sheet-answered").await, "16");
    for (_, (code, a)) in &rest {
        let (input, points) = answer_input(code, a);
        match points {
            Some(p) => type_into(c, &input, &p).await,
            None => click(c, &input).await,
        }
    }
    type_into(c, "sheet-notes", "Bao bì cần ghi rõ hạn sử dụng").await;
    screenshot(c, "sheet-filled").await;
    click(c, "sheet-submit").await;
    wait_for_text(c, "#notice", "Đã nộp phiếu chấm.").await;
    assert!(text_of(c, "#sheet-locked")
        .await
        .starts_with("Phiếu đã nộp ngày"));
    let radio = c.find(Locator::Id("c-1-1-o0")).await.unwrap();
    assert_eq!(
        radio.attr("disabled").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(c.find(Locator::Id("sheet-submit")).await.is_err(), "locked");
    screenshot(c, "sheet-handed-in").await;

    let saved = app
        .state
        .store
        .score_sheets(id, fx_round(&app, id).await)
        .await
        .unwrap();
    let mine = saved.iter().find(|s| s.user_id == fx.chair.id).unwrap();
    assert!(mine.submitted_at.is_some());
    assert_eq!(mine.answers, serde_json::Value::Object(answers));
    assert_eq!(mine.notes.as_deref(), Some("Bao bì cần ghi rõ hạn sử dụng"));
    d.client.clone().close().await.unwrap();
}

async fn fx_round(app: &crate::support::TestApp, dossier: i64) -> i64 {
    app.state
        .store
        .dossier(dossier)
        .await
        .unwrap()
        .unwrap()
        .round_id
        .unwrap()
}
