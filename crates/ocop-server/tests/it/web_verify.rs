//! The consumer page `/S/{code}` (verdicts, JSON by Accept, weight, PIN and report forms,
//! rate limit), recalls and scan figures on a product's stamp page, and the watch pages.

use crate::support::{csrf_of, spawn_app, spawn_app_with, TestApp, PASSWORD};
use ocop_domain::stamps::RangeKind;
use ocop_server::registry::products::ProductInput;
use ocop_server::stamps::{self, LotInput, RangeInput};
use ocop_server::users::Requester;
use ocop_store::User;
use serde_json::Value;
use std::collections::BTreeSet;

/// A producer's active product with a lot, a batch of 100 whose first 50 are activated on the
/// lot, and serials 40–44 of those voided.
pub struct Shelf {
    pub producer: User,
    pub product: i64,
    pub lot: i64,
    pub first: i64,
}

pub async fn shelf(app: &TestApp) -> Shelf {
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let producer = app
        .user("lan@cheduonghoa.vn", "producer", None, Some(org))
        .await;
    let input = ProductInput {
        organization_id: Some(org),
        name: Some("Chè xanh Đường Hoa".into()),
        criteria_set: Some(11),
        status: Some("active".into()),
        ..Default::default()
    };
    let product =
        ocop_server::registry::products::create(&*app.state.store, Requester::Operator, &input)
            .await
            .unwrap()
            .id;
    let lot = stamps::create_lot(
        &*app.state.store,
        Requester::Operator,
        &LotInput {
            product_id: product,
            code: "L-2026-11".into(),
            produced_on: "2026-11-01".parse().unwrap(),
            expires_on: Some("2099-11-01".parse().unwrap()),
            quantity: 500,
            area_code: None,
            notes: None,
        },
    )
    .await
    .unwrap()
    .id;
    let batch = stamps::issue_batch(
        &*app.state.store,
        Requester::Operator,
        product,
        100,
        app.state.current_kid,
    )
    .await
    .unwrap();
    let first = batch.first_serial;
    let range = |kind, from, to, lot_id, reason: Option<&str>| RangeInput {
        kind,
        from_serial: from,
        to_serial: to,
        lot_id,
        reason: reason.map(str::to_string),
    };
    stamps::record_range(
        &*app.state.store,
        Requester::Operator,
        batch.id,
        &range(RangeKind::Activated, first, first + 49, Some(lot), None),
    )
    .await
    .unwrap();
    stamps::record_range(
        &*app.state.store,
        Requester::Operator,
        batch.id,
        &range(
            RangeKind::Voided,
            first + 40,
            first + 44,
            None,
            Some("rách"),
        ),
    )
    .await
    .unwrap();
    Shelf {
        producer,
        product,
        lot,
        first,
    }
}

/// The code printed on the stamp of a serial, `XXXX-XXXX-XXXX-XXXX`.
pub fn code(app: &TestApp, serial: i64) -> String {
    app.state
        .codes
        .signer(app.state.current_kid)
        .unwrap()
        .code(serial as u64)
        .unwrap()
        .grouped()
}

pub fn pin(app: &TestApp, serial: i64) -> String {
    app.state
        .codes
        .signer(app.state.current_kid)
        .unwrap()
        .pin(serial as u64)
        .unwrap()
        .to_string()
}

/// A PIN that is not the stamp's.
fn wrong_pin(right: &str, n: u32) -> String {
    let mut guess = format!("{:08}", n);
    if guess == right {
        guess = format!("{:08}", n + 100);
    }
    guess
}

async fn get(c: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn verdict_of(html: &str) -> &str {
    let marker = "data-verdict=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no verdict in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap()
}

/// The CSP forbids inline styles and scripts: the pages must need none.
fn no_inline_style_or_script(html: &str) {
    assert!(!html.contains(" style="), "an inline style attribute");
    assert!(!html.contains("<script"), "a script");
}

async fn signed_in(app: &TestApp, user: &User) -> reqwest::Client {
    let b = app.browser();
    assert_eq!(app.sign_in(&b, &user.email, PASSWORD).await.status(), 303);
    b
}

/// Posts a PIN through the consumer page's form, as a shopper's browser does.
async fn post_pin(c: &reqwest::Client, app: &TestApp, code: &str, typed: &str) -> (u16, String) {
    let (_, page) = get(c, app, &format!("/S/{code}")).await;
    let csrf = csrf_of(&page);
    let r = c
        .post(app.url(&format!("/S/{code}/pin")))
        .form(&[("csrf", csrf.as_str()), ("pin", typed)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_genuine_stamp_shows_its_product_and_counts_its_scans() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let genuine = code(&app, s.first);

    let r = shopper
        .get(app.url(&format!("/S/{genuine}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("ocop_pre="),
        "the public forms' CSRF token is bound to a pre-session cookie"
    );
    let html = r.text().await.unwrap();
    no_inline_style_or_script(&html);
    assert_eq!(verdict_of(&html), "genuine");
    assert!(html.contains("class=\"verdict tone-ok\""));
    assert!(html.contains("Tem thật"), "the verdict in Vietnamese");
    assert!(html.contains("data-reason=\"registered\""));
    assert!(html.contains("<h2 id=\"product-name\">Chè xanh Đường Hoa</h2>"));
    assert!(
        html.contains("id=\"no-certificate\"") && !html.contains("id=\"stars\""),
        "no certificate, no stars"
    );
    assert!(html.contains("HTX Chè Đường Hoa") && html.contains("Quảng Ninh"));
    assert!(html.contains("L-2026-11") && html.contains("01/11/2026"));
    assert!(html.contains("01/11/2099"), "the expiry date");
    assert!(html.contains("id=\"scan-count\">1</strong>"), "{html}");
    assert!(html.contains(&format!("id=\"stamp-code\">{genuine}<")));
    assert!(
        html.contains(&format!("action=\"/S/{}/pin\"", genuine.replace('-', "")))
            && html.contains("inputmode=\"numeric\""),
        "the PIN form"
    );
    assert!(
        html.contains("enctype=\"multipart/form-data\""),
        "the report form"
    );
    assert!(
        html.contains("href=\"/lang/en?next="),
        "the language switch comes back here"
    );

    // Under 30 KB with its stylesheet, without the photo.
    let css = shopper
        .get(app.url("/assets/app.css"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        html.len() + css.len() < 30_000,
        "page {} + stylesheet {} bytes",
        html.len(),
        css.len()
    );

    // Any case, hyphens or not: the count goes on.
    let (status, again) = get(
        &shopper,
        &app,
        &format!("/s/{}", genuine.replace('-', "").to_lowercase()),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(verdict_of(&again), "genuine");
    assert!(again.contains("id=\"scan-count\">2</strong>"));
    let (_, third) = get(&shopper, &app, &format!("/S/{}", genuine.to_lowercase())).await;
    assert!(third.contains("id=\"scan-count\">3</strong>"));
    // The GS1 Digital Link form is printed only for products with a GTIN; this one has none, so
    // no such link to it is ours (`api_verify` checks the matching GTIN).
    let (status, gs1) = get(
        &shopper,
        &app,
        &format!("/01/08935001234562/21/{}", genuine.replace('-', "")),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(verdict_of(&gs1), "unknown");

    // In English on request.
    let en = shopper
        .get(app.url(&format!("/S/{genuine}")))
        .header("cookie", "ocop_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("Genuine stamp") && en.contains("This stamp has been scanned"));

    // The product's stamp page counts them: one first scan, three repeats (the wrong link
    // is not the product's scan).
    let b = signed_in(&app, &s.producer).await;
    let (_, stamps_page) = get(
        &b,
        &app,
        &format!("/registry/products/{}/stamps", s.product),
    )
    .await;
    no_inline_style_or_script(&stamps_page);
    assert!(
        stamps_page.contains("id=\"scan-total\">4<"),
        "{stamps_page}"
    );
    assert!(stamps_page.contains("id=\"scan-first\">1<"));
    assert!(stamps_page.contains("id=\"scan-repeat\">3<"));
    assert!(stamps_page.contains("id=\"scan-chart\""));
    assert!(
        stamps_page.contains("class=\"scan-first\"")
            && stamps_page.contains("class=\"scan-repeat\"")
    );
}

/// Every key path of a JSON value: `product.name`, `reasons[].code`, …
fn key_paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{prefix}{k}");
                out.insert(path.clone());
                key_paths(v, &format!("{path}."), out);
            }
        }
        Value::Array(items) => {
            for item in items {
                key_paths(item, &format!("{}[].", prefix.trim_end_matches('.')), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn json_by_accept_header_is_the_apis_object() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let genuine = code(&app, s.first + 3);
    let r = app
        .api()
        .get(app.url(&format!("/S/{genuine}")))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let page: Value = r.json().await.unwrap();
    let api: Value = app
        .api()
        .get(app.url(&format!("/api/v1/verify/{genuine}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
    key_paths(&page, "", &mut a);
    key_paths(&api, "", &mut b);
    assert_eq!(a, b, "the same keys");
    assert_eq!(page["verdict"], "genuine");
    assert_eq!(page["scans"]["count"], 1);
    assert_eq!(api["scans"]["count"], 2);
    for key in [
        "verdict",
        "verdict_text",
        "reasons",
        "code",
        "product",
        "producer",
        "lot",
        "certificate",
    ] {
        assert_eq!(page[key], api[key], "{key}");
    }
    // The GS1 form and a malformed code answer JSON too.
    let v: Value = app
        .api()
        .get(app.url("/S/not-a-code"))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (v["verdict"].as_str(), v["reasons"][0]["code"].as_str()),
        (Some("unknown"), Some("malformed"))
    );
}

#[tokio::test]
async fn malformed_forged_and_unissued_codes_say_unknown() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let genuine = code(&app, s.first);
    let mut forged: Vec<char> = genuine.chars().collect();
    forged[0] = if forged[0] == 'Z' { 'Y' } else { 'Z' };
    let forged: String = forged.into_iter().collect();
    for (path, reason) in [
        ("/S/not-a-code".to_string(), "malformed"),
        ("/S/%3Cb%3E..%2F".to_string(), "malformed"),
        (format!("/S/{forged}"), "bad_tag"),
        (format!("/S/{}", code(&app, 999_999)), "no_batch"),
    ] {
        let (status, html) = get(&shopper, &app, &path).await;
        assert_eq!(status, 200, "{path}");
        no_inline_style_or_script(&html);
        assert_eq!(verdict_of(&html), "unknown", "{path}");
        assert!(html.contains("class=\"verdict tone-bad\""));
        assert!(
            html.contains(&format!("data-reason=\"{reason}\"")),
            "{path}: {html}"
        );
        assert!(html.contains("Không phải tem của hệ thống"));
        assert!(
            !html.contains("id=\"pin-form\""),
            "no PIN for codes not ours"
        );
        assert!(
            !html.contains("id=\"scans\""),
            "no counts for codes not ours"
        );
        assert!(
            html.contains("id=\"report-form\"") && html.contains("<details class=\"edit\" open>"),
            "the report form is open"
        );
        assert!(!html.contains("<b>"), "what was typed is escaped");
    }
}

#[tokio::test]
async fn not_activated_void_and_recalled_stamps_say_so() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let (_, html) = get(&shopper, &app, &format!("/S/{}", code(&app, s.first + 70))).await;
    assert_eq!(verdict_of(&html), "not_activated");
    assert!(html.contains("tone-bad") && html.contains("Tem chưa được kích hoạt"));
    assert!(
        html.contains("Chè xanh Đường Hoa"),
        "a real stamp names its product"
    );
    let (_, html) = get(&shopper, &app, &format!("/S/{}", code(&app, s.first + 42))).await;
    assert_eq!(verdict_of(&html), "void");
    assert!(html.contains("Tem đã bị hủy"));

    let producer = &s.producer;
    ocop_server::verify::watch::recall(
        &app.state,
        Requester::Operator,
        &ocop_server::auth::extract::actor_of(producer),
        s.lot,
        "Phát hiện nhiễm khuẩn",
    )
    .await
    .unwrap();
    let (_, html) = get(&shopper, &app, &format!("/S/{}", code(&app, s.first))).await;
    assert_eq!(verdict_of(&html), "recalled");
    assert!(html.contains("Lô hàng đã bị thu hồi"));
    assert!(html.contains("id=\"recall-reason\">Phát hiện nhiễm khuẩn<"));
}

#[tokio::test]
async fn pins_through_the_form_lock_after_five_wrong_and_alert_the_right_people() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let (c, right) = (code(&app, s.first + 1), pin(&app, s.first + 1));

    let (status, html) = post_pin(&shopper, &app, &c, &right).await;
    assert_eq!(status, 200);
    no_inline_style_or_script(&html);
    assert!(html.contains("data-result=\"first_check\"") && html.contains("tone-ok"));
    assert!(html.contains("đây là lần kiểm tra PIN đầu tiên"));
    let (_, html) = post_pin(&shopper, &app, &c, &right).await;
    assert!(html.contains("data-result=\"already_checked\"") && html.contains("tone-warn"));
    assert!(
        html.contains("id=\"pin-first-checked\""),
        "the first check's date"
    );
    assert!(html.contains("sao chép"));
    // The next shopper is warned.
    let (_, page) = get(&shopper, &app, &format!("/S/{c}")).await;
    assert_eq!(verdict_of(&page), "suspicious");
    assert!(page.contains("tone-warn") && page.contains("data-reason=\"pin_reused\""));

    // Not 8 digits: said beside the form.
    let (status, html) = post_pin(&shopper, &app, &c, "12ab").await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"pin-error\"") && html.contains("8 chữ số"));

    // Brute force: four wrong PINs leave fewer tries, the fifth locks, the right one no longer opens.
    let (c2, right2) = (code(&app, s.first + 2), pin(&app, s.first + 2));
    for (n, left) in (1..=4).zip([4, 3, 2, 1]) {
        let (status, html) = post_pin(&shopper, &app, &c2, &wrong_pin(&right2, n)).await;
        assert_eq!(status, 200);
        assert!(html.contains("data-result=\"wrong_pin\""), "{html}");
        assert!(
            html.contains(&format!("id=\"pin-attempts-left\">{left}<")),
            "{left} left"
        );
        assert!(html.contains("id=\"pin-form\""), "the form again");
    }
    let (_, html) = post_pin(&shopper, &app, &c2, &wrong_pin(&right2, 5)).await;
    assert!(html.contains("data-result=\"locked\""));
    assert!(html.contains("đã bị khóa sau 5 lần nhập sai"));
    let (_, html) = post_pin(&shopper, &app, &c2, &right2).await;
    assert!(
        html.contains("data-result=\"locked\""),
        "locked for the right PIN too"
    );

    // The producer and the province's inspector see the alert; another province's admin does not.
    let b = signed_in(&app, &s.producer).await;
    let (_, home) = get(&b, &app, "/").await;
    assert!(home.contains("id=\"nav-alerts\"") && home.contains("id=\"nav-reports\""));
    let (status, alerts) = get(&b, &app, "/watch/alerts").await;
    assert_eq!(status, 200);
    no_inline_style_or_script(&alerts);
    assert!(alerts.contains("data-kind=\"pin_locked\"") && alerts.contains("Kiểm tra PIN bị khóa"));
    assert!(alerts.contains("data-kind=\"pin_reused\""));
    assert!(alerts.contains(&(s.first + 2).to_string()), "the serial");
    let (inspector, _) = app.caller("inspector").await;
    let i = signed_in(&app, &inspector).await;
    let (_, seen_by_inspector) = get(&i, &app, "/watch/alerts").await;
    assert!(seen_by_inspector.contains("data-kind=\"pin_locked\""));
    let hanoi = app
        .user("admin-hn@test.vn", "admin", Some("01"), None)
        .await;
    let h = signed_in(&app, &hanoi).await;
    let (status, other) = get(&h, &app, "/watch/alerts").await;
    assert_eq!(status, 200);
    assert!(other.contains("id=\"no-alerts\"") && !other.contains("pin_locked"));
    let (evaluator, _) = app.caller("evaluator").await;
    let e = signed_in(&app, &evaluator).await;
    assert_eq!(get(&e, &app, "/watch/alerts").await.0, 403);
    assert_eq!(get(&e, &app, "/watch/reports").await.0, 403);
    let (_, evaluator_home) = get(&e, &app, "/").await;
    assert!(!evaluator_home.contains("id=\"nav-alerts\""));

    // The inspector marks it seen; the producer's "seen" list has it; Hà Nội cannot touch it.
    let locked = app
        .state
        .store
        .alerts(&ocop_store::WatchFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.kind == "pin_locked")
        .unwrap();
    let csrf = csrf_of(&other);
    let r = h
        .post(app.url(&format!("/watch/alerts/{}", locked.id)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("state", "closed"),
            ("back", "/watch/alerts"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let csrf = csrf_of(&seen_by_inspector);
    let r = i
        .post(app.url(&format!("/watch/alerts/{}", locked.id)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("state", "seen"),
            ("back", "/watch/alerts?state=new"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/watch/alerts?state=new&done=1#alert-{}", locked.id).as_str()
    );
    let (_, seen) = get(&b, &app, "/watch/alerts?state=seen").await;
    assert!(seen.contains(&format!(
        "id=\"alert-{}\" data-kind=\"pin_locked\" data-state=\"seen\"",
        locked.id
    )));
    assert!(
        !seen.contains("data-kind=\"pin_reused\""),
        "only seen alerts"
    );
    assert_eq!(get(&b, &app, "/watch/alerts?state=gone").await.0, 422);
}

/// Bytes that read as a PNG (the service checks the signature).
fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(&[0u8; 64]);
    b
}

async fn post_report(
    c: &reqwest::Client,
    app: &TestApp,
    code: &str,
    what: &str,
    photo: Option<Vec<u8>>,
) -> (u16, String) {
    let (_, page) = get(c, app, &format!("/S/{code}")).await;
    let csrf = csrf_of(&page);
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("what", what.to_string())
        .text("place", "Chợ Hạ Long 1")
        .text("contact", "0912 345 678");
    if let Some(bytes) = photo {
        form = form.part(
            "photo",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("tem-gia.png")
                .mime_str("image/png")
                .unwrap(),
        );
    }
    let r = c
        .post(app.url(&format!("/S/{code}/report")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_report_with_a_photo_reaches_the_producer_only() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let c = code(&app, s.first + 42);

    let (status, html) = post_report(&shopper, &app, &c, " ", None).await;
    assert_eq!(status, 422, "nothing said");
    assert!(
        html.contains("id=\"report-error\"") && html.contains("0912 345 678"),
        "typed kept"
    );
    let (status, html) = post_report(
        &shopper,
        &app,
        &c,
        "Bao bì in mờ, giá rẻ bất thường",
        Some(png()),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    no_inline_style_or_script(&html);
    assert!(html.contains("id=\"report-thanks\"") && html.contains("Cảm ơn bạn"));

    let b = signed_in(&app, &s.producer).await;
    let (status, reports) = get(&b, &app, "/watch/reports").await;
    assert_eq!(status, 200);
    no_inline_style_or_script(&reports);
    assert!(reports.contains("Bao bì in mờ, giá rẻ bất thường"));
    assert!(reports.contains("Chợ Hạ Long 1") && reports.contains("0912 345 678"));
    assert!(reports.contains(&c.replace('-', "")) || reports.contains(&c));
    let id = app
        .state
        .store
        .reports(&ocop_store::WatchFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id;
    assert!(reports.contains(&format!("href=\"/watch/reports/{id}/photo\"")));
    let r = b
        .get(app.url(&format!("/watch/reports/{id}/photo")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), png());

    // Outsiders: another organization's producer, another province, a council member, nobody.
    let (stranger, _) = app.caller("producer").await;
    let x = signed_in(&app, &stranger).await;
    let (_, theirs) = get(&x, &app, "/watch/reports").await;
    assert!(theirs.contains("id=\"no-reports\""));
    assert_eq!(
        get(&x, &app, &format!("/watch/reports/{id}/photo")).await.0,
        404
    );
    let hanoi = app
        .user("admin-hn@test.vn", "admin", Some("01"), None)
        .await;
    let h = signed_in(&app, &hanoi).await;
    assert_eq!(
        get(&h, &app, &format!("/watch/reports/{id}/photo")).await.0,
        404
    );
    let (evaluator, _) = app.caller("evaluator").await;
    let e = signed_in(&app, &evaluator).await;
    assert_eq!(
        get(&e, &app, &format!("/watch/reports/{id}/photo")).await.0,
        403
    );
    let r = app
        .browser()
        .get(app.url(&format!("/watch/reports/{id}/photo")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "sent to sign in");
    // The province's inspector sees it.
    let (inspector, _) = app.caller("inspector").await;
    let i = signed_in(&app, &inspector).await;
    assert_eq!(
        get(&i, &app, &format!("/watch/reports/{id}/photo")).await.0,
        200
    );
}

#[tokio::test]
async fn a_recall_through_the_stamp_page_shows_on_the_next_scan() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let genuine = code(&app, s.first + 5);
    let (_, html) = get(&shopper, &app, &format!("/S/{genuine}")).await;
    assert_eq!(verdict_of(&html), "genuine");

    let b = signed_in(&app, &s.producer).await;
    let stamps_path = format!("/registry/products/{}/stamps", s.product);
    let (_, page) = get(&b, &app, &stamps_path).await;
    assert!(page.contains(&format!("id=\"recall-form-{}\"", s.lot)));
    let csrf = csrf_of(&page);
    let recall_path = format!("/registry/lots/{}/recall", s.lot);

    // No grounds: explained beside the lot's form.
    let r = b
        .post(app.url(&recall_path))
        .form(&[("csrf", csrf.as_str()), ("reason", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"form-error\"") && html.contains("Hãy ghi lý do thu hồi"));
    assert!(html.contains("<details class=\"recall\" open>"));

    // Without the form's token: refused.
    let r = b
        .post(app.url(&recall_path))
        .form(&[("reason", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let r = b
        .post(app.url(&recall_path))
        .form(&[("csrf", csrf.as_str()), ("reason", "Phát hiện nhiễm khuẩn")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("{stamps_path}?done=recalled#lot-{}", s.lot).as_str()
    );
    let (_, page) = get(&b, &app, &format!("{stamps_path}?done=recalled")).await;
    assert!(page.contains("Đã thu hồi lô sản xuất."), "the notice");
    assert!(page.contains(&format!("id=\"lot-{}-recalled\">Đã thu hồi<", s.lot)));
    assert!(page.contains("Phát hiện nhiễm khuẩn"));
    assert!(!page.contains(&format!("id=\"recall-form-{}\"", s.lot)));

    // At once, on this server.
    let (_, html) = get(&shopper, &app, &format!("/S/{genuine}")).await;
    assert_eq!(verdict_of(&html), "recalled");
    assert!(html.contains("id=\"recall-reason\">Phát hiện nhiễm khuẩn<"));

    // Twice: said so. Another organization's producer: not found.
    let r = b
        .post(app.url(&recall_path))
        .form(&[("csrf", csrf.as_str()), ("reason", "again")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("đã được thu hồi"), "{body}");
    let (stranger, _) = app.caller("producer").await;
    let x = signed_in(&app, &stranger).await;
    let (_, home) = get(&x, &app, "/").await;
    let r = x
        .post(app.url(&recall_path))
        .form(&[("csrf", csrf_of(&home).as_str()), ("reason", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn over_the_rate_limit_shoppers_get_a_friendly_page() {
    let app = spawn_app_with(3).await;
    let s = shelf(&app).await;
    let shopper = app.browser();
    let c = code(&app, s.first);
    for _ in 0..3 {
        assert_eq!(get(&shopper, &app, &format!("/S/{c}")).await.0, 200);
    }
    let r = shopper
        .get(app.url(&format!("/S/{c}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    let html = r.text().await.unwrap();
    assert!(html.contains("Bạn đã thử quá nhiều lần"), "{html}");
    assert!(
        html.contains("<html lang=\"vi\">"),
        "a page, not a bare status"
    );
    let r = app
        .api()
        .get(app.url(&format!("/S/{c}")))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(crate::support::problem(r).await["code"], "rate_limited");
}

#[tokio::test]
async fn public_forms_without_their_token_are_refused() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let c = code(&app, s.first);
    let right = pin(&app, s.first);
    // No cookie, no token.
    let r = app
        .browser()
        .post(app.url(&format!("/S/{c}/pin")))
        .form(&[("pin", right.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Biểu mẫu đã hết hạn"));
    // The page's cookie but a token made up.
    let shopper = app.browser();
    get(&shopper, &app, &format!("/S/{c}")).await;
    let r = shopper
        .post(app.url(&format!("/S/{c}/pin")))
        .form(&[("pin", right.as_str()), ("csrf", "made-up")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let form = reqwest::multipart::Form::new().text("what", "x");
    let r = shopper
        .post(app.url(&format!("/S/{c}/report")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The refused attempts did not use the PIN up.
    let (_, html) = post_pin(&shopper, &app, &c, &right).await;
    assert!(html.contains("data-result=\"first_check\""));
}

#[tokio::test]
async fn stars_show_with_a_valid_certificate() {
    let app = spawn_app().await;
    let s = shelf(&app).await;
    let (_, central) = app.caller("central").await;
    let decided = (chrono::Utc::now().date_naive() - chrono::Duration::days(100)).to_string();
    let r = app
        .api()
        .post(app.url(&format!("/api/v1/products/{}/certificates", s.product)))
        .bearer_auth(&central)
        .json(&serde_json::json!({"number": "QN-001", "stars": 4, "decision_number": "12/QĐ-UBND", "decided_on": decided}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let (_, html) = get(&app.browser(), &app, &format!("/S/{}", code(&app, s.first))).await;
    assert!(
        html.contains("id=\"stars\">★★★★ <span class=\"muted\">4 sao</span>"),
        "{html}"
    );
    assert!(html.contains("id=\"certificate\"") && html.contains("QN-001"));
    assert!(!html.contains("id=\"no-certificate\""));
}
