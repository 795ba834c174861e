//! `/api/v1/verify`: verdicts for every kind of code, PIN checks, recalls at once, alerts and
//! reports in the right hands, and every answered scan recorded.

use crate::support::{problem, spawn_app, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

struct Stamped {
    token: String,
    product: i64,
    lot: i64,
    batch: i64,
    first: i64,
}

async fn post(app: &TestApp, token: Option<&str>, path: &str, body: Value) -> reqwest::Response {
    let mut r = app.api().post(app.url(path)).json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap()
}

async fn get_json(app: &TestApp, token: Option<&str>, path: &str) -> Value {
    let mut r = app.api().get(app.url(path));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

/// A producer's product with a lot, a batch of 100 whose first 50 are activated, and 41–45 void.
async fn stamped(app: &TestApp) -> Stamped {
    let (user, token) = app.caller("producer").await;
    let org = user.organization_id.unwrap();
    let p: Value = post(
        app,
        Some(&token),
        "/api/v1/products",
        json!({"organization_id": org, "name": "Chè xanh Đường Hoa", "criteria_set": 11}),
    )
    .await
    .json()
    .await
    .unwrap();
    let product = p["id"].as_i64().unwrap();
    let lot: Value = post(app, Some(&token), "/api/v1/lots", json!({"product_id": product, "code": "L-2026-11", "produced_on": "2026-11-01", "expires_on": "2099-11-01", "quantity": 500}))
        .await
        .json()
        .await
        .unwrap();
    let b: Value = post(
        app,
        Some(&token),
        "/api/v1/stamp-batches",
        json!({"product_id": product, "count": 100}),
    )
    .await
    .json()
    .await
    .unwrap();
    let (batch, first) = (
        b["id"].as_i64().unwrap(),
        b["first_serial"].as_i64().unwrap(),
    );
    let lot = lot["id"].as_i64().unwrap();
    let r = post(
        app,
        Some(&token),
        &format!("/api/v1/stamp-batches/{batch}/activations"),
        json!({"from_serial": first, "to_serial": first + 49, "lot_id": lot}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let r = post(
        app,
        Some(&token),
        &format!("/api/v1/stamp-batches/{batch}/voids"),
        json!({"from_serial": first + 40, "to_serial": first + 44, "reason": "rách"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    Stamped {
        token,
        product,
        lot,
        batch,
        first,
    }
}

fn code(app: &TestApp, serial: i64) -> String {
    app.state
        .codes
        .signer(app.state.current_kid)
        .unwrap()
        .code(serial as u64)
        .unwrap()
        .grouped()
}

fn pin(app: &TestApp, serial: i64) -> String {
    app.state
        .codes
        .signer(app.state.current_kid)
        .unwrap()
        .pin(serial as u64)
        .unwrap()
        .to_string()
}

async fn verify(app: &TestApp, code: &str) -> Value {
    get_json(app, None, &format!("/api/v1/verify/{code}")).await
}

#[tokio::test]
async fn every_kind_of_code_gets_its_verdict() {
    let app = spawn_app().await;
    let s = stamped(&app).await;
    let genuine = code(&app, s.first);
    let v = verify(&app, &genuine).await;
    assert_eq!(v["verdict"], "genuine", "{v}");
    assert_eq!(v["reasons"][0]["code"], "registered");
    assert_eq!(v["product"]["name"], "Chè xanh Đường Hoa");
    assert_eq!(
        v["product"]["stars"],
        Value::Null,
        "no certificate, no stars"
    );
    assert_eq!(v["producer"]["province"], "Quảng Ninh");
    assert_eq!(v["lot"]["code"], "L-2026-11");
    assert_eq!(v["lot"]["expires_on"], "2099-11-01");
    assert_eq!(v["scans"]["count"], 1);
    let first_at = v["scans"]["first_at"].clone();
    // Any case, hyphens or not; the count goes on and the first time stays.
    let typed = genuine.replace('-', "").to_lowercase();
    let again = verify(&app, &typed).await;
    assert_eq!(again["scans"]["count"], 2);
    assert_eq!(again["scans"]["first_at"], first_at);
    assert_eq!(again["code"], genuine);

    assert_eq!(
        verify(&app, &code(&app, s.first + 60)).await["verdict"],
        "not_activated"
    );
    assert_eq!(
        verify(&app, &code(&app, s.first + 42)).await["verdict"],
        "void"
    );
    let mut forged: Vec<char> = genuine.chars().collect();
    forged[0] = if forged[0] == 'Z' { 'Y' } else { 'Z' };
    let v = verify(&app, &forged.iter().collect::<String>()).await;
    assert_eq!(
        (v["verdict"].as_str(), v["reasons"][0]["code"].as_str()),
        (Some("unknown"), Some("bad_tag"))
    );
    assert_eq!(v["product"], Value::Null);
    let v = verify(&app, "not-a-code").await;
    assert_eq!(
        (v["verdict"].as_str(), v["reasons"][0]["code"].as_str()),
        (Some("unknown"), Some("malformed"))
    );
    // A serial never issued, with a valid tag: made with the key but outside any batch.
    let unissued = code(&app, 999_999);
    assert_eq!(
        verify(&app, &unissued).await["reasons"][0]["code"],
        "no_batch"
    );

    // English on request (the language cookie).
    let en: Value = app
        .api()
        .get(app.url(&format!("/api/v1/verify/{genuine}")))
        .header("cookie", "ocop_lang=en")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(en["verdict_text"], "Genuine stamp");

    // A recall through the API shows on the very next scan.
    let r = post(
        &app,
        Some(&s.token),
        &format!("/api/v1/lots/{}/recall", s.lot),
        json!({"reason": "Phát hiện nhiễm khuẩn"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v = verify(&app, &genuine).await;
    assert_eq!(v["verdict"], "recalled");
    assert_eq!(v["lot"]["recall_reason"], "Phát hiện nhiễm khuẩn");
    let r = post(
        &app,
        Some(&s.token),
        &format!("/api/v1/lots/{}/recall", s.lot),
        json!({"reason": "again"}),
    )
    .await;
    assert_eq!(problem(r).await["code"], "lot_already_recalled");

    // Every answered scan of the product was recorded: genuine ×3 (one in English), not
    // activated, void, recalled.
    let days = get_json(
        &app,
        Some(&s.token),
        &format!("/api/v1/products/{}/scans", s.product),
    )
    .await;
    let total: i64 = days
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["scans"].as_i64().unwrap())
        .sum();
    let firsts: i64 = days
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["first_scans"].as_i64().unwrap())
        .sum();
    assert_eq!((total, firsts), (6, 3));
}

#[tokio::test]
async fn pins_are_accepted_once_and_lock_with_an_alert() {
    let app = spawn_app().await;
    let s = stamped(&app).await;
    let (c, right) = (code(&app, s.first + 1), pin(&app, s.first + 1));
    let check = |typed: String| {
        let app = &app;
        let c = c.clone();
        async move {
            post(
                app,
                None,
                &format!("/api/v1/verify/{c}/pin"),
                json!({"pin": typed}),
            )
            .await
        }
    };
    let wrong = if right == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let r: Value = check(wrong.into()).await.json().await.unwrap();
    assert_eq!(
        (r["result"].as_str(), r["attempts_left"].as_i64()),
        (Some("wrong_pin"), Some(4))
    );
    let r: Value = check(format!("{} {}", &right[..4], &right[4..]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["result"], "first_check");
    let r: Value = check(right.clone()).await.json().await.unwrap();
    assert_eq!(r["result"], "already_checked");
    assert!(r["first_checked_at"].is_string());
    assert!(r["text"].as_str().unwrap().contains("sao chép"));
    // The stamp is now suspicious to the next shopper.
    let v = verify(&app, &c).await;
    assert_eq!(v["verdict"], "suspicious");
    assert_eq!(v["reasons"][0]["code"], "pin_reused");

    // Brute force: five wrong PINs lock the check, even for the right PIN afterwards.
    let (c2, right2) = (code(&app, s.first + 2), pin(&app, s.first + 2));
    let mut last = Value::Null;
    for guess in 0..5 {
        let g = format!("{:08}", guess);
        if g == right2 {
            continue;
        }
        last = post(
            &app,
            None,
            &format!("/api/v1/verify/{c2}/pin"),
            json!({"pin": g}),
        )
        .await
        .json()
        .await
        .unwrap();
    }
    assert_eq!(last["result"], "locked");
    let r: Value = post(
        &app,
        None,
        &format!("/api/v1/verify/{c2}/pin"),
        json!({"pin": right2}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["result"], "locked");

    // Bad input and codes that are not ours.
    let r = post(
        &app,
        None,
        &format!("/api/v1/verify/{c}/pin"),
        json!({"pin": "12ab"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert_eq!(problem(r).await["code"], "invalid_pin");
    let r = post(
        &app,
        None,
        "/api/v1/verify/ZZZZZZZZZZZZZZZZ/pin",
        json!({"pin": "12345678"}),
    )
    .await;
    assert_eq!(r.status(), 404);

    // The producer and the province's inspector see the alerts; another province does not.
    let alerts = get_json(&app, Some(&s.token), "/api/v1/alerts").await;
    let kinds: Vec<&str> = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"pin_reused") && kinds.contains(&"pin_locked"),
        "{kinds:?}"
    );
    let (_, inspector) = app.caller("inspector").await;
    assert_eq!(
        get_json(&app, Some(&inspector), "/api/v1/alerts")
            .await
            .as_array()
            .unwrap()
            .len(),
        kinds.len()
    );
    let hanoi = app
        .user("admin-hn@test.vn", "admin", Some("01"), None)
        .await;
    let hanoi = app.token(&hanoi.email).await;
    assert!(get_json(&app, Some(&hanoi), "/api/v1/alerts")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let id = alerts[0]["id"].as_i64().unwrap();
    let r = post(
        &app,
        Some(&hanoi),
        &format!("/api/v1/alerts/{id}"),
        json!({"state": "closed"}),
    )
    .await;
    assert_eq!(r.status(), 404);
    let r: Value = post(
        &app,
        Some(&inspector),
        &format!("/api/v1/alerts/{id}"),
        json!({"state": "seen"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(r["state"], "seen");
    let r = post(
        &app,
        Some(&inspector),
        &format!("/api/v1/alerts/{id}"),
        json!({"state": "gone"}),
    )
    .await;
    assert_eq!(problem(r).await["code"], "invalid_state");
    let seen = get_json(&app, Some(&s.token), "/api/v1/alerts?state=seen").await;
    assert_eq!(seen.as_array().unwrap().len(), 1);
    let (_, evaluator) = app.caller("evaluator").await;
    let r = app
        .api()
        .get(app.url("/api/v1/alerts"))
        .bearer_auth(&evaluator)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn scans_of_stamps_off_the_shelf_raise_alerts_and_shoppers_report() {
    let app = spawn_app().await;
    let s = stamped(&app).await;
    assert_eq!(
        verify(&app, &code(&app, s.first + 70)).await["verdict"],
        "not_activated"
    );
    assert_eq!(
        verify(&app, &code(&app, s.first + 43)).await["verdict"],
        "void"
    );
    // The writer raises alerts just after answering.
    let mut kinds = Vec::new();
    for _ in 0..50 {
        let alerts = get_json(&app, Some(&s.token), "/api/v1/alerts").await;
        kinds = alerts
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["kind"].as_str().unwrap().to_string())
            .collect();
        if kinds.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    kinds.sort();
    assert_eq!(kinds, ["scan_not_activated", "scan_void"]);

    // A shopper reports a suspected fake without signing in.
    let r = post(&app, None, "/api/v1/reports", json!({"code": code(&app, s.first), "what": "Bao bì in mờ, giá rẻ bất thường", "place": "Chợ Hạ Long 1"})).await;
    assert_eq!(r.status(), 201);
    let r = post(
        &app,
        None,
        "/api/v1/reports",
        json!({"code": "", "what": "x"}),
    )
    .await;
    assert_eq!(problem(r).await["code"], "report_code_missing");
    let r = post(
        &app,
        None,
        "/api/v1/reports",
        json!({"code": "ABC", "what": " "}),
    )
    .await;
    assert_eq!(problem(r).await["code"], "report_what_missing");
    let reports = get_json(&app, Some(&s.token), "/api/v1/reports").await;
    assert_eq!(reports.as_array().unwrap().len(), 1);
    assert_eq!(reports[0]["product_name"], "Chè xanh Đường Hoa");
    assert_eq!(reports[0]["place"], "Chợ Hạ Long 1");
    let (_, stranger) = app.caller("producer").await;
    assert!(get_json(&app, Some(&stranger), "/api/v1/reports")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    // Recalls: not by another organization's producer, nor without grounds.
    let r = post(
        &app,
        Some(&stranger),
        &format!("/api/v1/lots/{}/recall", s.lot),
        json!({"reason": "x"}),
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = post(
        &app,
        Some(&s.token),
        &format!("/api/v1/lots/{}/recall", s.lot),
        json!({"reason": " "}),
    )
    .await;
    assert_eq!(problem(r).await["code"], "recall_reason_missing");
    let _ = s.batch;
}

#[tokio::test]
async fn verification_is_rate_limited_per_network_with_a_retry_time() {
    let app = crate::support::spawn_app_with(3).await;
    for _ in 0..3 {
        let r = app
            .api()
            .get(app.url("/api/v1/verify/ABCD"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let r = app
        .api()
        .get(app.url("/api/v1/verify/ABCD"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "60");
    assert_eq!(problem(r).await["code"], "rate_limited");
    // PIN checks share the budget: guessing cannot go on by switching endpoints.
    let r = post(
        &app,
        None,
        "/api/v1/verify/ABCD/pin",
        json!({"pin": "12345678"}),
    )
    .await;
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn a_digital_link_must_carry_the_products_gtin() {
    let app = spawn_app().await;
    let (user, token) = app.caller("producer").await;
    let org = user.organization_id.unwrap();
    let p: Value = post(&app, Some(&token), "/api/v1/products", json!({"organization_id": org, "name": "Nước mắm Cái Rồng", "criteria_set": 11, "gtin": "8935001234562"}))
        .await
        .json()
        .await
        .unwrap();
    let b: Value = post(
        &app,
        Some(&token),
        "/api/v1/stamp-batches",
        json!({"product_id": p["id"], "count": 5}),
    )
    .await
    .json()
    .await
    .unwrap();
    let c = code(&app, b["first_serial"].as_i64().unwrap()).replace('-', "");
    let scan = |path: String| {
        let app = &app;
        async move {
            let r = app
                .api()
                .get(app.url(&path))
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{path}");
            r.json::<Value>().await.unwrap()
        }
    };
    // The printed form: GTIN-14 with its leading zero; GTIN-13 is the same key.
    for gtin in ["08935001234562", "8935001234562"] {
        let v = scan(format!("/01/{gtin}/21/{c}")).await;
        assert_eq!(v["verdict"], "not_activated", "{gtin}: {v}");
        assert_eq!(v["product"]["name"], "Nước mắm Cái Rồng");
    }
    // A genuine code under another GTIN was not printed by us.
    for gtin in ["08935001234579", "12345"] {
        let v = scan(format!("/01/{gtin}/21/{c}")).await;
        assert_eq!(v["verdict"], "unknown", "{gtin}: {v}");
        assert_eq!(v["reasons"][0]["code"], "gtin_mismatch");
        assert_eq!(
            v["product"],
            Value::Null,
            "nothing about the product under a wrong link"
        );
    }
}
