//! The stamp pages: a product's lots and batches, a batch's picture, activations, voids and
//! downloads through forms, within each role's reach.

use crate::support::{csrf_of, spawn_app, TestApp, PASSWORD};
use ocop_server::registry::products::ProductInput;
use ocop_server::stamps::{self, LotInput};
use ocop_server::users::Requester;
use ocop_store::StampBatch;

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

/// Posts a form with the page's CSRF token; returns the status and the body.
async fn submit(
    b: &reqwest::Client,
    app: &TestApp,
    from_page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let (_, html) = page(b, app, from_page).await;
    let csrf = csrf_of(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = post(b, app, path, &form).await;
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

async fn product(app: &TestApp, organization: i64, name: &str) -> i64 {
    let input = ProductInput {
        organization_id: Some(organization),
        name: Some(name.into()),
        criteria_set: Some(11),
        status: Some("active".into()),
        ..Default::default()
    };
    ocop_server::registry::products::create(&*app.state.store, Requester::Operator, &input)
        .await
        .unwrap()
        .id
}

async fn lot(app: &TestApp, product_id: i64, code: &str, quantity: i64) -> i64 {
    let input = LotInput {
        product_id,
        code: code.into(),
        produced_on: "2026-03-01".parse().unwrap(),
        expires_on: None,
        quantity,
        area_code: None,
        notes: None,
    };
    stamps::create_lot(&*app.state.store, Requester::Operator, &input)
        .await
        .unwrap()
        .id
}

async fn batch(app: &TestApp, product_id: i64, count: i64) -> StampBatch {
    stamps::issue_batch(
        &*app.state.store,
        Requester::Operator,
        product_id,
        count,
        app.state.current_kid,
    )
    .await
    .unwrap()
}

/// A signed-in browser of a new user of the role; producers get their own organization.
async fn signed_in(app: &TestApp, role: &str) -> (reqwest::Client, ocop_store::User) {
    let (user, _) = app.caller(role).await;
    let b = app.browser();
    assert_eq!(app.sign_in(&b, &user.email, PASSWORD).await.status(), 303);
    (b, user)
}

async fn signed_in_as(app: &TestApp, user: &ocop_store::User) -> reqwest::Client {
    let b = app.browser();
    assert_eq!(app.sign_in(&b, &user.email, PASSWORD).await.status(), 303);
    b
}

/// The CSP forbids inline styles and scripts: the pages must need none.
fn no_inline_style_or_script(html: &str) {
    assert!(!html.contains(" style="), "an inline style attribute");
    assert!(!html.contains("<script"), "an inline script");
}

#[tokio::test]
async fn a_producer_records_lots_orders_stamps_activates_and_voids() {
    let app = spawn_app().await;
    let (b, me) = signed_in(&app, "producer").await;
    let p = product(&app, me.organization_id.unwrap(), "Chè xanh Đường Hoa").await;

    let (_, product_page) = page(&b, &app, &format!("/registry/products/{p}")).await;
    assert!(
        product_page.contains(&format!("href=\"/registry/products/{p}/stamps\""))
            && product_page.contains("Tem &#38; lô sản xuất"),
        "the product links its stamps page: {product_page}"
    );

    let stamps_path = format!("/registry/products/{p}/stamps");
    let (status, html) = page(&b, &app, &stamps_path).await;
    assert_eq!(status, 200);
    no_inline_style_or_script(&html);
    assert!(html.contains("Chưa có lô sản xuất nào.") && html.contains("Chưa có đợt tem nào."));
    assert!(html.contains("id=\"lot-form\"") && html.contains("id=\"batch-form\""));
    assert!(html.contains("<meter id=\"coverage-lots\""), "{html}");

    // Two lots: dates from the calendar, quantities grouped as Vietnamese write them.
    let (status, location, _) = submit(
        &b,
        &app,
        &stamps_path,
        &format!("/registry/products/{p}/lots"),
        &[
            ("code", "L-2026-01"),
            ("produced_on", "2026-03-01"),
            ("expires_on", "2027-03-01"),
            ("quantity", "1.000"),
            ("area_code", "VT-DH-01"),
            ("notes", "Vụ xuân"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("{stamps_path}?done=lot#lots"));
    let (status, _, _) = submit(
        &b,
        &app,
        &stamps_path,
        &format!("/registry/products/{p}/lots"),
        &[
            ("code", "L-2026-02"),
            ("produced_on", "15/03/2026"),
            ("quantity", "200"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&b, &app, &format!("{stamps_path}?done=lot")).await;
    assert!(html.contains("Đã thêm lô sản xuất."), "{html}");
    assert!(
        html.contains("L-2026-01") && html.contains("01/03/2026") && html.contains("01/03/2027")
    );
    assert!(html.contains("VT-DH-01") && html.contains("Vụ xuân"));
    assert!(
        html.contains("15/03/2026") && html.contains(">1.000<"),
        "{html}"
    );

    // A batch of a thousand stamps: its own page comes next.
    let (status, location, _) = submit(
        &b,
        &app,
        &stamps_path,
        &format!("/registry/products/{p}/stamp-batches"),
        &[("count", "1000")],
    )
    .await;
    assert_eq!(status, 303);
    let batch_id: i64 = location
        .trim_start_matches("/stamp-batches/")
        .trim_end_matches("?done=batch")
        .parse()
        .unwrap_or_else(|_| panic!("{location}"));
    let f = app
        .state
        .store
        .stamp_batch(batch_id)
        .await
        .unwrap()
        .unwrap()
        .first_serial;
    let batch_path = format!("/stamp-batches/{batch_id}");
    let (status, html) = page(&b, &app, &location).await;
    assert_eq!(status, 200);
    no_inline_style_or_script(&html);
    assert!(html.contains("Đã cấp đợt tem mới."), "{html}");
    assert!(html.contains(&format!("{f}–{}", f + 999)));
    assert!(
        html.contains(&format!(
            "<title>Số sê-ri {f}–{} (1.000 tem): Chưa kích hoạt</title>",
            f + 999
        )),
        "one issued stretch: {html}"
    );
    assert!(html.contains("id=\"activate-form\"") && html.contains("id=\"void-form\""));
    assert!(html.contains("L-2026-01 — còn nhận 1.000 tem"), "{html}");
    assert!(html.contains(&format!(
        "href=\"/stamp-batches/{batch_id}/export?format=csv\""
    )));

    let lots = app.state.store.lots(p).await.unwrap();
    let id_of = |code: &str| lots.iter().find(|l| l.code == code).unwrap().id.to_string();
    let s = |n: i64| (f + n).to_string();
    for (path, fields) in [
        (
            "activations",
            vec![
                ("from_serial", s(0)),
                ("to_serial", s(299)),
                ("lot_id", id_of("L-2026-01")),
            ],
        ),
        (
            "activations",
            vec![
                ("from_serial", s(300)),
                ("to_serial", s(399)),
                ("lot_id", id_of("L-2026-02")),
            ],
        ),
        (
            "voids",
            vec![
                ("from_serial", s(400)),
                ("to_serial", s(409)),
                ("reason", "Cuộn tem bị rách".to_string()),
            ],
        ),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, location, body) = submit(
            &b,
            &app,
            &batch_path,
            &format!("{batch_path}/{path}"),
            &fields,
        )
        .await;
        assert_eq!(status, 303, "{path}: {body}");
        assert!(location.starts_with(&format!("{batch_path}?done=")));
    }

    let (_, html) = page(&b, &app, &format!("{batch_path}?done=voided")).await;
    assert!(html.contains("Đã hủy tem."));
    // The picture: a stretch per lot in two greens, the voided ones hatched, the rest grey.
    assert!(
        html.contains("<rect class=\"seg activated-a\" x=\"0.000%\""),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<title>Số sê-ri {}–{} (300 tem): lô L-2026-01</title>",
        s(0),
        s(299)
    )));
    assert!(html.contains(&format!(
        "<title>Số sê-ri {}–{} (100 tem): lô L-2026-02</title>",
        s(300),
        s(399)
    )));
    assert!(html.contains("class=\"seg activated-b\""));
    assert!(html.contains(&format!(
        "fill=\"url(#hatch-{batch_id})\"><title>Số sê-ri {}–{} (10 tem): Đã hủy</title>",
        s(400),
        s(409)
    )));
    assert!(html.contains(&format!(
        "<title>Số sê-ri {}–{} (590 tem): Chưa kích hoạt</title>",
        s(410),
        s(999)
    )));
    assert!(html.contains("class=\"count-issued\">590<"));
    assert!(html.contains("class=\"count-activated\">400<"));
    assert!(html.contains("class=\"count-voided\">10<"));
    // The ranges recorded, newest or oldest, with their lot or reason.
    assert!(html.contains("Cuộn tem bị rách") && html.contains("<strong>L-2026-02</strong>"));
    assert!(html.contains("L-2026-01 — còn nhận 700 tem"));

    // The product's page: coverage and the small picture of the batch.
    let (_, html) = page(&b, &app, &stamps_path).await;
    assert!(
        html.contains("<strong>0</strong> / 2 lô (0%)"),
        "no lot fully stamped: {html}"
    );
    assert!(
        html.contains("<strong>400</strong> / 1.200 (33%)"),
        "{html}"
    );
    assert!(html.contains(&format!("id=\"hatch-{batch_id}\"")));
    assert!(html.contains(&format!("href=\"/stamp-batches/{batch_id}\"")));

    // Each change is in the audit log, under the producer's name.
    let log = app
        .state
        .store
        .audit_log(&ocop_store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    for action in [
        "lot_created",
        "stamp_batch_issued",
        "stamps_activated",
        "stamps_voided",
    ] {
        assert!(
            log.iter()
                .any(|e| e.action == action && e.actor_label == me.email),
            "{action}"
        );
    }
}

#[tokio::test]
async fn refusals_are_explained_beside_the_form_with_what_was_typed() {
    let app = spawn_app().await;
    let (b, me) = signed_in(&app, "producer").await;
    let p = product(&app, me.organization_id.unwrap(), "Chè xanh Đường Hoa").await;
    let l = lot(&app, p, "L-100", 100).await.to_string();
    let bt = batch(&app, p, 1000).await;
    let f = bt.first_serial;
    let s = |n: i64| (f + n).to_string();
    let batch_path = format!("/stamp-batches/{}", bt.id);
    let (status, _, _) = submit(
        &b,
        &app,
        &batch_path,
        &format!("{batch_path}/voids"),
        &[
            ("from_serial", &s(150)),
            ("to_serial", &s(155)),
            ("reason", "Hỏng"),
        ],
    )
    .await;
    assert_eq!(status, 303);

    let activate = format!("{batch_path}/activations");
    // Voided stamps are named.
    let (status, _, html) = submit(
        &b,
        &app,
        &batch_path,
        &activate,
        &[
            ("from_serial", &s(100)),
            ("to_serial", &s(160)),
            ("lot_id", &l),
        ],
    )
    .await;
    assert_eq!(status, 422);
    no_inline_style_or_script(&html);
    assert!(
        html.contains("Các tem này đã bị hủy nên không thể kích hoạt."),
        "{html}"
    );
    assert!(html.contains(&format!(
        "<span id=\"error-serials\">{}–{}</span>",
        s(150),
        s(155)
    )));
    assert!(html.contains(&format!("serials {}–{} were voided", s(150), s(155))));
    assert!(
        html.contains(&format!("value=\"{}\"", s(100)))
            && html.contains(&format!("value=\"{}\"", s(160)))
    );
    assert!(html.contains(&format!("<option value=\"{l}\" selected>")));

    let coffee = product(&app, me.organization_id.unwrap(), "Cà phê Đông Triều").await;
    let other = lot(&app, coffee, "C-1", 10).await.to_string();
    // The fields sent, then what the page says in Vietnamese and in the English detail.
    type Case<'a> = (Vec<(&'a str, String)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![
                ("from_serial", s(0)),
                ("to_serial", s(5)),
                ("lot_id", other.clone()),
            ],
            "Lô sản xuất này thuộc sản phẩm khác.",
            "another product",
        ),
        (
            vec![
                ("from_serial", s(0)),
                ("to_serial", s(149)),
                ("lot_id", l.clone()),
            ],
            "Lô sản xuất không đủ sản phẩm",
            "at most 100 more",
        ),
        (
            vec![
                ("from_serial", s(10)),
                ("to_serial", s(5)),
                ("lot_id", l.clone()),
            ],
            "Số đầu lớn hơn số cuối",
            "backwards",
        ),
        (
            vec![
                ("from_serial", s(990)),
                ("to_serial", s(1010)),
                ("lot_id", l.clone()),
            ],
            "không nằm trọn trong đợt tem",
            "not all in this batch",
        ),
        (
            vec![
                ("from_serial", "một trăm".into()),
                ("to_serial", s(5)),
                ("lot_id", l.clone()),
            ],
            "Hãy nhập một số nguyên",
            "from_serial",
        ),
        (
            vec![
                ("from_serial", s(0)),
                ("to_serial", s(5)),
                ("lot_id", String::new()),
            ],
            "trường bắt buộc",
            "choose the lot",
        ),
        (
            vec![
                ("from_serial", s(0)),
                ("to_serial", String::new()),
                ("lot_id", l.clone()),
            ],
            "trường bắt buộc",
            "to_serial is required",
        ),
    ];
    for (fields, vi, en) in cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, html) = submit(&b, &app, &batch_path, &activate, &fields).await;
        assert_eq!(status, 422, "{fields:?}");
        assert!(html.contains(vi) && html.contains(en), "{fields:?}: {html}");
        assert!(
            html.contains("aria-invalid=\"true\""),
            "the field at fault is marked"
        );
    }
    // Stamps activated once are not activated again.
    let (status, _, _) = submit(
        &b,
        &app,
        &batch_path,
        &activate,
        &[("from_serial", &s(0)), ("to_serial", &s(9)), ("lot_id", &l)],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, html) = submit(
        &b,
        &app,
        &batch_path,
        &activate,
        &[
            ("from_serial", &s(5)),
            ("to_serial", &s(20)),
            ("lot_id", &l),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("đã được kích hoạt cho một lô sản xuất"));
    assert!(html.contains(&format!(
        "<span id=\"error-serials\">{}–{}</span>",
        s(5),
        s(9)
    )));

    // Voids need a reason, and are not recorded twice.
    let voids = format!("{batch_path}/voids");
    let (status, _, html) = submit(
        &b,
        &app,
        &batch_path,
        &voids,
        &[
            ("from_serial", &s(20)),
            ("to_serial", &s(30)),
            ("reason", "  "),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Hãy ghi lý do hủy tem"), "{html}");
    assert!(html.contains("id=\"void-reason\"") && html.contains("aria-invalid=\"true\""));
    let (status, _, html) = submit(
        &b,
        &app,
        &batch_path,
        &voids,
        &[
            ("from_serial", &s(155)),
            ("to_serial", &s(170)),
            ("reason", "Mất"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Các tem này đã bị hủy trước đó."), "{html}");
    assert!(html.contains("value=\"Mất\""));
    assert_eq!(
        app.state.store.stamp_ranges(bt.id).await.unwrap().len(),
        2,
        "only the void and the one activation were recorded"
    );

    // The lot form.
    let stamps_path = format!("/registry/products/{p}/stamps");
    let lots = format!("/registry/products/{p}/lots");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![
                ("code", "L-100"),
                ("produced_on", "2026-03-01"),
                ("quantity", "5"),
            ],
            "Sản phẩm đã có lô mang mã này",
        ),
        (
            vec![
                ("code", "L-101"),
                ("produced_on", "31/02/2026"),
                ("quantity", "5"),
            ],
            "Ngày không hợp lệ",
        ),
        (
            vec![
                ("code", "L-101"),
                ("produced_on", "2026-03-01"),
                ("expires_on", "2026-02-01"),
                ("quantity", "5"),
            ],
            "Hạn sử dụng không được trước ngày sản xuất.",
        ),
        (
            vec![
                ("code", "L-101"),
                ("produced_on", "2026-03-01"),
                ("quantity", "nhiều"),
            ],
            "Hãy nhập một số nguyên",
        ),
        (
            vec![
                ("code", "L-101"),
                ("produced_on", "2026-03-01"),
                ("quantity", "0"),
            ],
            "Số lượng sản phẩm phải là số nguyên từ 1",
        ),
        (
            vec![
                ("code", " "),
                ("produced_on", "2026-03-01"),
                ("quantity", "5"),
            ],
            "Mã lô không được để trống",
        ),
        (
            vec![("code", "L-101"), ("produced_on", ""), ("quantity", "5")],
            "trường bắt buộc",
        ),
    ];
    for (fields, vi) in cases {
        let (status, _, html) = submit(&b, &app, &stamps_path, &lots, &fields).await;
        assert_eq!(status, 422, "{fields:?}");
        assert!(html.contains(vi), "{fields:?}: {html}");
        assert!(
            html.contains("<details class=\"edit\" open>"),
            "the form is open"
        );
        let code = fields[0].1;
        if !code.trim().is_empty() {
            assert!(
                html.contains(&format!("value=\"{code}\"")),
                "typed values kept"
            );
        }
    }
    assert_eq!(
        app.state.store.lots(p).await.unwrap().len(),
        1,
        "no lot written"
    );

    // The batch form.
    let batches = format!("/registry/products/{p}/stamp-batches");
    for (count, vi) in [
        ("0", "Mỗi đợt có từ 1 đến 10.000.000 tem."),
        ("20.000.000", "Mỗi đợt có từ 1 đến 10.000.000 tem."),
        ("1,5", "Hãy nhập một số nguyên"),
        ("", "trường bắt buộc"),
    ] {
        let (status, _, html) = submit(&b, &app, &stamps_path, &batches, &[("count", count)]).await;
        assert_eq!(status, 422, "{count}");
        assert!(html.contains(vi), "{count}: {html}");
        assert!(html.contains(&format!("id=\"batch-count\" name=\"count\" required inputmode=\"numeric\" value=\"{count}\" aria-invalid=\"true\"")), "{html}");
    }
    assert_eq!(app.state.store.stamp_batches(p).await.unwrap().len(), 1);

    // Downloads with bad input come back to the batch page.
    for (query, vi) in [
        (
            "format=pdf&layout=9x99&from=&to=",
            "Bố cục trang không hợp lệ",
        ),
        (
            "format=pdf&layout=4x10&from=abc&to=",
            "Hãy nhập một số nguyên",
        ),
        ("format=doc", "Định dạng xuất không hợp lệ"),
    ] {
        let (status, html) = page(&b, &app, &format!("{batch_path}/export?{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert!(
            html.contains(vi) && html.contains("id=\"downloads\""),
            "{query}: {html}"
        );
    }
    let (status, html) = page(
        &b,
        &app,
        &format!("{batch_path}/export?format=pdf&from={}&to={}", s(5), s(2)),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("không nằm trọn trong đợt tem")
            && html.contains(&format!("value=\"{}\"", s(5)))
    );

    // In English too.
    let r = b.get(app.url("/lang/en?next=/")).send().await.unwrap();
    assert!(r.status().is_redirection());
    let (status, _, html) = submit(
        &b,
        &app,
        &batch_path,
        &activate,
        &[
            ("from_serial", &s(10)),
            ("to_serial", &s(5)),
            ("lot_id", &l),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("The first serial is after the last"),
        "{html}"
    );
    assert!(html.contains("Activate stamps") && html.contains("Void these stamps"));
}

#[tokio::test]
async fn inspectors_read_and_others_out_of_reach_find_nothing() {
    let app = spawn_app().await;
    let here = app.organization("HTX Chè Đường Hoa", "06946").await;
    let p = product(&app, here, "Chè xanh Đường Hoa").await;
    let l = lot(&app, p, "L-2026-07", 500).await.to_string();
    let bt = batch(&app, p, 300).await;
    let f = bt.first_serial;
    let stamps_path = format!("/registry/products/{p}/stamps");
    let batch_path = format!("/stamp-batches/{}", bt.id);
    let (from, to) = (f.to_string(), (f + 9).to_string());
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/registry/products/{p}/lots"),
            vec![
                ("code", "L-X"),
                ("produced_on", "2026-03-01"),
                ("quantity", "5"),
            ],
        ),
        (
            format!("/registry/products/{p}/stamp-batches"),
            vec![("count", "10")],
        ),
        (
            format!("{batch_path}/activations"),
            vec![("from_serial", &from), ("to_serial", &to), ("lot_id", &l)],
        ),
        (
            format!("{batch_path}/voids"),
            vec![
                ("from_serial", &from),
                ("to_serial", &to),
                ("reason", "Mất"),
            ],
        ),
    ];

    // The province's inspector reads everything and changes nothing.
    let (inspector, _) = signed_in(&app, "inspector").await;
    let (status, html) = page(&inspector, &app, &stamps_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("L-2026-07") && html.contains(&format!("id=\"hatch-{}\"", bt.id)));
    assert!(!html.contains("id=\"lot-form\"") && !html.contains("id=\"batch-form\""));
    let (status, html) = page(&inspector, &app, &batch_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("class=\"seg issued\""));
    assert!(
        !html.contains("id=\"activate-form\"")
            && !html.contains("id=\"void-form\"")
            && !html.contains("id=\"downloads\""),
        "{html}"
    );
    for (path, fields) in &posts {
        let (status, _, html) = submit(&inspector, &app, &batch_path, path, fields).await;
        assert_eq!(status, 403, "{path}");
        assert!(html.contains("Bạn không có quyền"), "{html}");
    }
    let (status, _) = page(&inspector, &app, &format!("{batch_path}/export?format=csv")).await;
    assert_eq!(status, 403);

    // The commune's officer may change them.
    let (officer, _) = signed_in(&app, "officer").await;
    let (status, html) = page(&officer, &app, &batch_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"activate-form\"") && html.contains("id=\"downloads\""));

    // Another commune's officer and another organization's producer find nothing.
    let there = app
        .organization("Công ty CP Nước mắm Cái Rồng", "06994")
        .await;
    let other_officer = app
        .user("can-bo@vandon.vn", "officer", Some("06994"), None)
        .await;
    let other_producer = app
        .user("chu-the@cairong.vn", "producer", None, Some(there))
        .await;
    for user in [&other_officer, &other_producer] {
        let b = signed_in_as(&app, user).await;
        for path in [
            stamps_path.clone(),
            batch_path.clone(),
            format!("{batch_path}/export?format=pdf"),
        ] {
            let (status, html) = page(&b, &app, &path).await;
            assert_eq!(status, 404, "{} {path}", user.email);
            assert!(html.contains("Không tìm thấy"), "{html}");
        }
        let (_, home) = page(&b, &app, "/").await;
        for (path, fields) in &posts {
            let mut form = vec![("csrf", csrf_of(&home))];
            form.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
            let r = b.post(app.url(path)).form(&form).send().await.unwrap();
            assert_eq!(r.status(), 404, "{} {path}", user.email);
        }
    }
    assert!(app
        .state
        .store
        .stamp_ranges(bt.id)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(app.state.store.lots(p).await.unwrap().len(), 1);
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let (b, me) = signed_in(&app, "producer").await;
    let p = product(&app, me.organization_id.unwrap(), "Chè xanh Đường Hoa").await;
    let l = lot(&app, p, "L-1", 100).await.to_string();
    let bt = batch(&app, p, 100).await;
    let from = bt.first_serial.to_string();
    for (path, fields) in [
        (
            format!("/registry/products/{p}/lots"),
            vec![
                ("code", "L-2"),
                ("produced_on", "2026-03-01"),
                ("quantity", "5"),
            ],
        ),
        (
            format!("/registry/products/{p}/stamp-batches"),
            vec![("count", "10")],
        ),
        (
            format!("/stamp-batches/{}/activations", bt.id),
            vec![
                ("from_serial", from.as_str()),
                ("to_serial", from.as_str()),
                ("lot_id", l.as_str()),
            ],
        ),
        (
            format!("/stamp-batches/{}/voids", bt.id),
            vec![
                ("from_serial", from.as_str()),
                ("to_serial", from.as_str()),
                ("reason", "Mất"),
            ],
        ),
    ] {
        let r = post(&b, &app, &path, &fields).await;
        assert_eq!(r.status(), 403, "{path}: no token");
        let mut forged = fields.clone();
        forged.push(("csrf", "forged-token"));
        let r = post(&b, &app, &path, &forged).await;
        assert_eq!(r.status(), 403, "{path}: a forged token");
        assert!(r.text().await.unwrap().contains("Biểu mẫu đã hết hạn"));
    }
    assert_eq!(app.state.store.lots(p).await.unwrap().len(), 1);
    assert_eq!(app.state.store.stamp_batches(p).await.unwrap().len(), 1);
    assert!(app
        .state
        .store
        .stamp_ranges(bt.id)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn downloads_are_pdf_sheets_csv_rows_and_single_stamps() {
    let app = spawn_app().await;
    let (b, me) = signed_in(&app, "producer").await;
    let p = product(&app, me.organization_id.unwrap(), "Chè xanh Đường Hoa").await;
    let bt = batch(&app, p, 50).await;
    let f = bt.first_serial;
    let export = format!("/stamp-batches/{}/export", bt.id);

    // The PDF form as a browser sends it: empty fields and all.
    let r = b
        .get(app.url(&format!("{export}?format=pdf&layout=3x8&from=&to=")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"tem-"));
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let doc = lopdf::Document::load_mem(&pdf).expect("a PDF that parses");
    assert_eq!(doc.get_pages().len(), 3, "50 labels at 24 a page");

    // Part of the batch, with the PINs ticked.
    let r = b
        .get(app.url(&format!(
            "{export}?format=pdf&layout=4x10&with_pin=on&from={}&to={}",
            f + 10,
            f + 19
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc = lopdf::Document::load_mem(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(doc.get_pages().len(), 1);

    let csv = b
        .get(app.url(&format!("{export}?format=csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "serial,code,url");
    assert_eq!(lines.len(), 51);
    assert!(lines[1].starts_with(&format!("{f},")));

    let csv = b
        .get(app.url(&format!("{export}?format=csv&with_pin=true")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("serial,code,url,pin\n"));

    let svg = b
        .get(app.url(&format!("{export}?format=svg")))
        .send()
        .await
        .unwrap();
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let png = b
        .get(app.url(&format!("{export}?format=png")))
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(png.bytes().await.unwrap().starts_with(b"\x89PNG"));

    // Exports with PINs are audited apart.
    let log = app
        .state
        .store
        .audit_log(&ocop_store::AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let count = |action: &str| log.iter().filter(|e| e.action == action).count();
    assert_eq!(
        count("stamp_pins_exported"),
        2,
        "the PDF and the CSV with PINs"
    );
    assert_eq!(count("stamps_exported"), 4);

    // The batch page offers them.
    let (_, html) = page(&b, &app, &format!("/stamp-batches/{}", bt.id)).await;
    for link in [
        "?format=csv\"",
        "?format=csv&amp;with_pin=true\"",
        "?format=svg\"",
        "?format=png\"",
    ] {
        assert!(
            html.contains(&format!("href=\"{export}{link}")),
            "{link}: {html}"
        );
    }
    assert!(html.contains("id=\"pin-warning\"") && html.contains("ghi vào nhật ký"));
    assert!(html.contains("<option value=\"4x10\" selected>4 × 10</option>"));
}
