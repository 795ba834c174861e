use crate::support::{problem, spawn_app};
use serde_json::{json, Value};

#[tokio::test]
async fn certificates_are_recorded_by_whom_they_belong_to_and_stars_show_while_valid() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let (_, central) = app.caller("central").await;
    let (_, officer) = app.caller("officer").await;
    let c = app.api();
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let mut ids = Vec::new();
    for (name, status) in [
        ("Chè xanh Đường Hoa", "active"),
        ("Chè cũ", "active"),
        ("Chè nháp", "draft"),
    ] {
        let p: Value = c
            .post(app.url("/api/v1/products"))
            .bearer_auth(&admin)
            .json(&json!({"organization_id": org, "name": name, "criteria_set": 11, "status": status}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(p["id"].as_i64().unwrap());
    }
    let record = |token: &str, id: i64, body: Value| {
        c.post(app.url(&format!("/api/v1/products/{id}/certificates")))
            .bearer_auth(token.to_string())
            .json(&body)
            .send()
    };
    let today = chrono::Utc::now().date_naive();
    let recent = (today - chrono::Duration::days(100)).to_string();
    let r = record(&admin, ids[0], json!({"number": "QN-001", "stars": 4, "decision_number": "12/QĐ-UBND", "decided_on": recent})).await.unwrap();
    assert_eq!(r.status(), 201);
    let cert: Value = r.json().await.unwrap();
    assert_eq!(cert["valid"], true);
    let expected =
        ocop_domain::certificate::expiry(today - chrono::Duration::days(100)).to_string();
    assert_eq!(cert["expires_on"], expected, "36 months by default");
    let r = record(&admin, ids[1], json!({"number": "QN-002", "stars": 3, "decision_number": "7/QĐ-UBND", "decided_on": "2019-01-01"})).await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["valid"], false);

    for (token, body, status, code) in [
        (
            &admin,
            json!({"number": "QN-003", "stars": 5, "decision_number": "1", "decided_on": recent}),
            403,
            "forbidden",
        ),
        (
            &officer,
            json!({"number": "QN-004", "stars": 3, "decision_number": "1", "decided_on": recent}),
            403,
            "forbidden",
        ),
        (
            &admin,
            json!({"number": "QN-005", "stars": 2, "decision_number": "1", "decided_on": recent}),
            422,
            "invalid_stars",
        ),
        (
            &admin,
            json!({"number": "QN-001", "stars": 3, "decision_number": "1", "decided_on": recent}),
            409,
            "certificate_number_taken",
        ),
    ] {
        let r = record(token, ids[1], body.clone()).await.unwrap();
        assert_eq!(r.status(), status, "{body}");
        assert_eq!(problem(r).await["code"], code, "{body}");
    }
    assert_eq!(record(&central, ids[1], json!({"number": "TW-5", "stars": 5, "decision_number": "99/QĐ-TTg", "decided_on": "2018-01-01", "expires_on": "2021-01-01"})).await.unwrap().status(), 201);

    // The public catalog: no sign-in, active products only, stars only while valid.
    let page = c.get(app.url("/catalog?q=che")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Chè xanh Đường Hoa") && html.contains("Chè cũ"));
    assert!(!html.contains("Chè nháp"), "drafts are not public");
    assert!(html.contains("★★★★"), "the valid 4-star certificate shows");
    assert!(!html.contains("★★★★★"), "the expired 5-star one does not");
    assert!(html.contains("Xã Đường Hoa, Quảng Ninh"));
    assert!(html.len() < 30_000, "a light page: {} bytes", html.len());
    let certified = c
        .get(app.url("/catalog?certified=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(certified.contains("Chè xanh Đường Hoa") && !certified.contains("Chè cũ"));
    let none = c
        .get(app.url("/catalog?q=nuoc+mam"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(none.contains("0 sản phẩm"));
}
