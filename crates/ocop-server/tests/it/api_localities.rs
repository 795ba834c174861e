use crate::support::{problem, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn health_metrics_and_localities() {
    let app = spawn_app().await;
    let c = app.api();
    assert_eq!(
        c.get(app.url("/healthz")).send().await.unwrap().status(),
        200
    );

    let provinces: Vec<Value> = c
        .get(app.url("/api/v1/localities"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(provinces.len(), 34);
    let qn: Vec<Value> = c
        .get(app.url("/api/v1/localities?parent=22"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(qn.len(), 54);
    assert!(qn
        .iter()
        .all(|l| l["parent_code"] == "22" && l["kind"] == "commune"));
    let one: Value = c
        .get(app.url("/api/v1/localities/07093"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["name"], "Phường Đông Triều");

    let missing = c
        .get(app.url("/api/v1/localities?parent=99"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(problem(missing).await["code"], "not_found");
    let bad = c
        .get(app.url("/api/v1/localities?parent=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let body = problem(bad).await;
    assert_eq!(body["code"], "invalid_locality");
    assert_eq!(body["field"], "parent");

    let nowhere = c.get(app.url("/api/v1/nowhere")).send().await.unwrap();
    assert_eq!(nowhere.status(), 404);
    assert_eq!(problem(nowhere).await["code"], "not_found");

    let metrics = c.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    assert!(
        text.contains(
            "ocop_http_requests_total{method=\"GET\",route=\"/api/v1/localities\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(
        text.contains("ocop_http_request_duration_seconds_bucket"),
        "{text}"
    );
}
