//! `/api/v1/lots` and `/api/v1/stamp-batches`: who may do what, the range rules as answers, and
//! exports that carry the codes the key file derives.

use crate::support::{problem, spawn_app, TestApp};
use reqwest::Response;
use serde_json::{json, Value};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Response {
    app.api()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Response {
    app.api()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn created(r: Response) -> Value {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

async fn refused(r: Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status(), status);
    let p = problem(r).await;
    assert_eq!(p["code"], code, "{p}");
    p
}

/// A producer with a product of its own organization (in commune 06946, Quảng Ninh).
async fn producer_with_product(app: &TestApp) -> (String, i64, i64) {
    let (user, token) = app.caller("producer").await;
    let org = user.organization_id.unwrap();
    // GTINs are unique: only the first product of a test gets one.
    let gtin = (app.state.store.count_users().await.unwrap() == 1).then_some("8935001234562");
    let p = created(
        post(
            app,
            &token,
            "/api/v1/products",
            json!({"organization_id": org, "name": "Chè xanh Đường Hoa", "criteria_set": 11, "gtin": gtin}),
        )
        .await,
    )
    .await;
    (token, p["id"].as_i64().unwrap(), org)
}

fn lot_body(product: i64, code: &str, quantity: i64) -> Value {
    json!({"product_id": product, "code": code, "produced_on": "2026-11-01", "expires_on": "2027-11-01",
        "quantity": quantity, "area_code": "VN-QN-0001"})
}

#[tokio::test]
async fn a_producer_orders_activates_voids_and_exports() {
    let app = spawn_app().await;
    let (token, product, _) = producer_with_product(&app).await;
    let lot = created(
        post(
            &app,
            &token,
            "/api/v1/lots",
            lot_body(product, "L-2026-11", 300),
        )
        .await,
    )
    .await;
    assert_eq!(lot["code"], "L-2026-11");
    assert_eq!(lot["stamped"], 0);
    let batch = created(
        post(
            &app,
            &token,
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 1000}),
        )
        .await,
    )
    .await;
    let (id, first) = (
        batch["id"].as_i64().unwrap(),
        batch["first_serial"].as_i64().unwrap(),
    );
    assert_eq!(batch["count"], 1000);
    assert_eq!(batch["last_serial"], first + 999);
    let path = |tail: &str| format!("/api/v1/stamp-batches/{id}{tail}");
    let lot_id = lot["id"].as_i64().unwrap();
    let act = created(
        post(
            &app,
            &token,
            &path("/activations"),
            json!({"from_serial": first, "to_serial": first + 199, "lot_id": lot_id}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (act["kind"].as_str(), act["lot_code"].as_str()),
        (Some("activated"), Some("L-2026-11"))
    );
    created(
        post(
            &app,
            &token,
            &path("/voids"),
            json!({"from_serial": first + 150, "to_serial": first + 249, "reason": "cuộn bị rách"}),
        )
        .await,
    )
    .await;

    // The refusals name the serials and the way out.
    let p = refused(
        post(
            &app,
            &token,
            &path("/activations"),
            json!({"from_serial": first + 240, "to_serial": first + 260, "lot_id": lot_id}),
        )
        .await,
        422,
        "range_voided",
    )
    .await;
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("{}–{}", first + 240, first + 249)),
        "{p}"
    );
    refused(
        post(
            &app,
            &token,
            &path("/activations"),
            json!({"from_serial": first + 990, "to_serial": first + 1000, "lot_id": lot_id}),
        )
        .await,
        422,
        "range_outside_batch",
    )
    .await;
    refused(
        post(
            &app,
            &token,
            &path("/activations"),
            json!({"from_serial": first + 300, "to_serial": first + 600, "lot_id": lot_id}),
        )
        .await,
        422,
        "range_beyond_lot",
    )
    .await;
    refused(
        post(
            &app,
            &token,
            &path("/voids"),
            json!({"from_serial": first + 500, "to_serial": first + 510, "reason": " "}),
        )
        .await,
        422,
        "void_reason_missing",
    )
    .await;
    refused(
        post(
            &app,
            &token,
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 10_000_001}),
        )
        .await,
        422,
        "invalid_count",
    )
    .await;
    refused(
        post(&app, &token, "/api/v1/lots", json!({"product_id": product, "code": "L-2026-11", "produced_on": "2026-11-01", "quantity": 5})).await,
        409,
        "lot_code_taken",
    )
    .await;
    refused(
        post(&app, &token, "/api/v1/lots", json!({"product_id": product, "code": "L2", "produced_on": "2026-11-01", "expires_on": "2026-01-01", "quantity": 5})).await,
        422,
        "invalid_lot",
    )
    .await;

    // The batch, its picture and the lots' coverage.
    let detail: Value = get(&app, &token, &path("")).await.json().await.unwrap();
    assert_eq!(
        (
            detail["issued"].as_i64(),
            detail["activated"].as_i64(),
            detail["voided"].as_i64()
        ),
        (Some(750), Some(150), Some(100))
    );
    let states: Vec<&str> = detail["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["activated", "voided", "issued"]);
    let lots: Value = get(&app, &token, &format!("/api/v1/lots?product_id={product}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lots["items"][0]["stamped"], 150);
    assert_eq!(lots["coverage"]["units"], 300);
    assert_eq!(lots["lots_covered_percent"], 0);
    let batches: Value = get(
        &app,
        &token,
        &format!("/api/v1/stamp-batches?product_id={product}"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(batches.as_array().unwrap().len(), 1);

    // CSV streams the codes the key file derives; PINs only when asked, and audited.
    let r = get(&app, &token, &path("/export?format=csv")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1001);
    assert_eq!(lines[0], "serial,code,url");
    let signer = app.state.codes.signer(app.state.current_kid).unwrap();
    let code = signer.code(first as u64).unwrap();
    assert_eq!(
        lines[1],
        format!(
            "{first},{},{}/S/{code}",
            code.grouped(),
            app.base.to_uppercase()
        )
    );
    let csv = get(
        &app,
        &token,
        &path(&format!(
            "/export?format=csv&with_pin=true&from={}&to={}",
            first + 5,
            first + 6
        )),
    )
    .await
    .text()
    .await
    .unwrap();
    let pin = signer.pin(first as u64 + 5).unwrap();
    assert_eq!(
        csv.lines().nth(1).unwrap().rsplit(',').next().unwrap(),
        pin.to_string()
    );
    let log = app
        .state
        .store
        .audit_log(&ocop_store::AuditFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        log.iter().any(|e| e.action == "stamp_pins_exported"),
        "PIN exports are audited"
    );

    // Digital Link form for a product with a GTIN; PDF, SVG and PNG.
    let csv = get(
        &app,
        &token,
        &path(&format!("/export?format=csv&link=gs1&to={first}")),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        csv.contains(&format!("/01/08935001234562/21/{code}")),
        "{csv}"
    );
    let pdf = get(
        &app,
        &token,
        &path(&format!(
            "/export?format=pdf&layout=5x13&with_pin=true&to={}",
            first + 99
        )),
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let svg = get(&app, &token, &path("/export?format=svg"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("Chè xanh Đường Hoa") && svg.contains(&code.grouped()),
        "{svg}"
    );
    let png = get(&app, &token, &path("/export?format=png"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    refused(
        get(&app, &token, &path("/export?format=svg&to=99999999")).await,
        422,
        "range_outside_batch",
    )
    .await;
    refused(
        get(&app, &token, &path("/export?format=pdf&layout=9x99")).await,
        422,
        "invalid_layout",
    )
    .await;
    refused(
        get(&app, &token, &path("/export?format=doc")).await,
        422,
        "invalid_format",
    )
    .await;
}

#[tokio::test]
async fn only_those_who_may_change_the_product_order_or_export() {
    let app = spawn_app().await;
    let (token, product, _) = producer_with_product(&app).await;
    let batch = created(
        post(
            &app,
            &token,
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 10}),
        )
        .await,
    )
    .await;
    let id = batch["id"].as_i64().unwrap();

    // Officers of the commune and admins of the province act for producers.
    for role in ["officer", "admin", "central"] {
        let (_, t) = app.caller(role).await;
        created(
            post(
                &app,
                &t,
                "/api/v1/stamp-batches",
                json!({"product_id": product, "count": 1}),
            )
            .await,
        )
        .await;
        assert_eq!(
            get(
                &app,
                &t,
                &format!("/api/v1/stamp-batches/{id}/export?format=csv")
            )
            .await
            .status(),
            200,
            "{role}"
        );
    }
    // Inspectors read but neither order nor export.
    let (_, inspector) = app.caller("inspector").await;
    assert_eq!(
        get(&app, &inspector, &format!("/api/v1/stamp-batches/{id}"))
            .await
            .status(),
        200
    );
    refused(
        post(
            &app,
            &inspector,
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 1}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    refused(
        get(
            &app,
            &inspector,
            &format!("/api/v1/stamp-batches/{id}/export?format=csv"),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    refused(
        post(&app, &inspector, "/api/v1/lots", lot_body(product, "L9", 5)).await,
        403,
        "forbidden",
    )
    .await;
    // Council members do not see the register at all.
    let (_, evaluator) = app.caller("evaluator").await;
    assert_eq!(
        get(&app, &evaluator, &format!("/api/v1/stamp-batches/{id}"))
            .await
            .status(),
        403
    );
    // Another organization's producer and another commune's officer do not even learn it exists.
    let (_, stranger) = app.caller("producer").await;
    refused(
        get(&app, &stranger, &format!("/api/v1/stamp-batches/{id}")).await,
        404,
        "not_found",
    )
    .await;
    refused(
        post(
            &app,
            &stranger,
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 1}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    refused(
        post(
            &app,
            &stranger,
            &format!("/api/v1/stamp-batches/{id}/voids"),
            json!({"from_serial": 1, "to_serial": 1, "reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let far = app
        .user("officer-far@test.vn", "officer", Some("07093"), None)
        .await;
    let far_token = app.token(&far.email).await;
    refused(
        get(
            &app,
            &far_token,
            &format!("/api/v1/stamp-batches/{id}/export?format=csv"),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // A lot of another product cannot take these stamps.
    let (other_token, other_product, _) = producer_with_product(&app).await;
    let other_lot = created(
        post(
            &app,
            &other_token,
            "/api/v1/lots",
            lot_body(other_product, "L1", 5),
        )
        .await,
    )
    .await;
    refused(
        post(
            &app,
            &token,
            &format!("/api/v1/stamp-batches/{id}/activations"),
            json!({"from_serial": batch["first_serial"], "to_serial": batch["first_serial"], "lot_id": other_lot["id"]}),
        )
        .await,
        422,
        "lot_other_product",
    )
    .await;
    // No token at all.
    assert_eq!(
        app.api()
            .get(app.url(&format!("/api/v1/stamp-batches/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    // Bad JSON is a problem, not a crash.
    refused(
        post(
            &app,
            &token,
            "/api/v1/stamp-batches",
            json!({"product_id": product}),
        )
        .await,
        422,
        "invalid_body",
    )
    .await;
}

#[tokio::test]
async fn a_million_stamp_csv_streams() {
    let app = spawn_app().await;
    let (token, product, _) = producer_with_product(&app).await;
    let batch = created(
        post(
            &app,
            &token,
            "/api/v1/stamp-batches",
            json!({"product_id": product, "count": 1_000_000}),
        )
        .await,
    )
    .await;
    let mut r = get(
        &app,
        &token,
        &format!("/api/v1/stamp-batches/{}/export?format=csv", batch["id"]),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.content_length().is_none(),
        "streamed, not sized in memory first"
    );
    let (mut bytes, mut newlines) = (0usize, 0usize);
    while let Some(chunk) = r.chunk().await.unwrap() {
        bytes += chunk.len();
        newlines += chunk.iter().filter(|&&b| b == b'\n').count();
    }
    assert_eq!(newlines, 1_000_001);
    assert!(bytes > 50_000_000);
}
