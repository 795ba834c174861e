use crate::support::{problem, spawn_app};
use serde_json::{json, Value};

fn pdf(size: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.7\n".to_vec();
    b.resize(size.max(9), b'x');
    b
}

fn form(purpose: &str, name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("purpose", purpose.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        )
}

#[tokio::test]
async fn documents_are_checked_stored_and_served_only_within_reach() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let c = app.api();
    let url = app.url(&format!("/api/v1/organizations/{org}/documents"));

    // A 2 MB scan goes through (above the general 1 MB body limit).
    let r = c
        .post(&url)
        .bearer_auth(&admin)
        .multipart(form(
            "food_safety_commitment",
            "Cam kết ATTP.pdf",
            pdf(2 * 1024 * 1024),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["content_type"], "application/pdf");
    assert_eq!(doc["file_name"], "Cam kết ATTP.pdf");
    assert_eq!(doc["size_bytes"], 2 * 1024 * 1024);
    assert_eq!(doc["sha256"].as_str().unwrap().len(), 64);

    for (purpose, name, bytes, code) in [
        (
            "photo",
            "x.html",
            b"<html><script>alert(1)</script>".to_vec(),
            "file_type",
        ),
        ("photo", "empty.pdf", Vec::new(), "file_empty"),
        ("standard", "s.pdf", pdf(100), "invalid_purpose"),
        ("invoice", "s.pdf", pdf(100), "invalid_purpose"),
        ("photo", "big.pdf", pdf(11 * 1024 * 1024), "file_too_large"),
    ] {
        let r = c
            .post(&url)
            .bearer_auth(&admin)
            .multipart(form(purpose, name, bytes))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert_eq!(
            status,
            if code == "file_too_large" { 413 } else { 422 },
            "{name}"
        );
        assert_eq!(problem(r).await["code"], code, "{name}");
    }
    let list: Vec<Value> = c
        .get(&url)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1, "failed uploads left nothing behind");

    let download = app.url(doc["url"].as_str().unwrap());
    let r = c.get(&download).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(r.bytes().await.unwrap().len(), 2 * 1024 * 1024);

    // Outside the record's reach, the document does not exist.
    let hanoi_admin = app.user("hn@x.vn", "admin", Some("01"), None).await;
    let hn_token = app.token(&hanoi_admin.email).await;
    assert_eq!(
        c.get(&download)
            .bearer_auth(&hn_token)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        c.get(&url)
            .bearer_auth(&hn_token)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let (_, inspector) = app.caller("inspector").await;
    assert_eq!(
        c.get(&download)
            .bearer_auth(&inspector)
            .send()
            .await
            .unwrap()
            .status(),
        200,
        "inspectors read"
    );
    let r = c
        .post(&url)
        .bearer_auth(&inspector)
        .multipart(form("photo", "p.pdf", pdf(10)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "but do not upload");
    assert_eq!(c.get(&download).send().await.unwrap().status(), 401);

    // Products take their own purposes.
    let product: Value = c
        .post(app.url("/api/v1/products"))
        .bearer_auth(&admin)
        .json(&json!({"organization_id": org, "name": "Chè xanh", "criteria_set": 11}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0].to_vec();
    let r = c
        .post(app.url(&format!("/api/v1/products/{}/documents", product["id"])))
        .bearer_auth(&admin)
        .multipart(form("photo", "che.png", png))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.json::<Value>().await.unwrap()["content_type"],
        "image/png"
    );
}
