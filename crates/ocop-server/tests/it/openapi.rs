//! The OpenAPI document is snapshot-tested so that it cannot drift silently.
//! After an intended change: `UPDATE_SNAPSHOTS=1 cargo test -p ocop-server --test it openapi`.

use crate::support::spawn_app;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[tokio::test]
async fn served_document_matches_the_snapshot() {
    let app = spawn_app().await;
    let served = app
        .api()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    let served: serde_json::Value = served.json().await.unwrap();
    assert_eq!(
        served["openapi"].as_str().unwrap().chars().next(),
        Some('3')
    );

    let current = ocop_server::openapi::document_json();
    assert_eq!(
        served,
        serde_json::from_str::<serde_json::Value>(&current).unwrap()
    );
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(SNAPSHOT, format!("{current}\n")).unwrap();
    }
    let snapshot = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        snapshot.trim_end() == current.trim_end(),
        "the OpenAPI document changed: review it, then run UPDATE_SNAPSHOTS=1 cargo test -p ocop-server --test it openapi"
    );
}

#[test]
fn every_api_route_is_described_with_its_errors() {
    let doc: serde_json::Value =
        serde_json::from_str(&ocop_server::openapi::document_json()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for expected in [
        "/api/v1/localities",
        "/api/v1/localities/{code}",
        "/api/v1/me",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/users/{id}/password-reset",
        "/api/v1/audit",
    ] {
        assert!(
            paths.contains_key(expected),
            "{expected} missing from the OpenAPI document"
        );
    }
    for (path, ops) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for (method, op) in ops.as_object().unwrap() {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
        }
    }
}
