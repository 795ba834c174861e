use crate::support::{problem, spawn_app, PASSWORD};
use serde_json::{json, Value};

const ROLES: [&str; 6] = [
    "central",
    "admin",
    "officer",
    "evaluator",
    "producer",
    "inspector",
];

#[tokio::test]
async fn api_needs_a_valid_token() {
    let app = spawn_app().await;
    let c = app.api();
    let none = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(problem(none).await["code"], "unauthorized");
    let garbage = c
        .get(app.url("/api/v1/me"))
        .bearer_auth("ocop_not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 401);
    let (user, token) = app.caller("officer").await;
    let me: Value = c
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"], user.id);
    assert_eq!(me["role"], "officer");
    assert_eq!(me["province_code"], "22");
    assert_eq!(me["commune_code"], "06946");
}

#[tokio::test]
async fn admin_manages_users_of_its_province_only() {
    let app = spawn_app().await;
    let c = app.api();
    let (admin, token) = app.caller("admin").await;
    let created = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"email": "Thu@QN.gov.vn", "name": "Phạm Thị Thu", "role": "officer", "locality": "7093", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let officer: Value = created.json().await.unwrap();
    assert_eq!(officer["email"], "thu@qn.gov.vn");
    assert_eq!(officer["locality_code"], "07093");
    assert_eq!(officer["province_code"], "22");
    let id = officer["id"].as_i64().unwrap();

    let dup = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"email": "thu@qn.gov.vn", "name": "X", "role": "officer", "locality": "07093", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), 409);
    assert_eq!(problem(dup).await["code"], "email_taken");

    for (body, status, code, field) in [
        (
            json!({"email": "a@qn.vn", "name": "A", "role": "boss", "password": PASSWORD}),
            422,
            "unknown_role",
            "role",
        ),
        (
            json!({"email": "a@qn.vn", "name": "A", "role": "officer", "locality": "22", "password": PASSWORD}),
            422,
            "invalid_scope",
            "locality",
        ),
        (
            json!({"email": "a@qn.vn", "name": "A", "role": "officer", "locality": "x", "password": PASSWORD}),
            422,
            "invalid_locality",
            "locality",
        ),
        (
            json!({"email": "a@qn.vn", "name": "A", "role": "officer", "locality": "99999", "password": PASSWORD}),
            422,
            "unknown_locality",
            "locality",
        ),
        (
            json!({"email": "a@qn.vn", "name": "A", "role": "producer", "organization_id": 999, "password": PASSWORD}),
            422,
            "unknown_organization",
            "organization_id",
        ),
        (
            json!({"email": "not-an-email", "name": "A", "role": "admin", "locality": "22", "password": PASSWORD}),
            422,
            "invalid_email",
            "email",
        ),
        (
            json!({"email": "a@qn.vn", "name": "A", "role": "admin", "locality": "22", "password": "short"}),
            422,
            "weak_password",
            "password",
        ),
    ] {
        let r = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), status, "{body}");
        let p = problem(r).await;
        assert_eq!(p["code"], code, "{body}");
        assert_eq!(p["field"], field, "{body}");
    }

    // Outside its province, or a central user: refused, and nothing written.
    for body in [
        json!({"email": "hn@x.vn", "name": "A", "role": "officer", "locality": "00070", "password": PASSWORD}),
        json!({"email": "c@x.vn", "name": "A", "role": "central", "password": PASSWORD}),
        json!({"email": "a2@x.vn", "name": "A", "role": "admin", "locality": "01", "password": PASSWORD}),
    ] {
        let r = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{body}");
        assert_eq!(problem(r).await["code"], "forbidden");
    }
    let list: Vec<Value> = c
        .get(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 2, "admin and the officer: {list:?}");

    // A user of another province is invisible to this admin.
    let other = app.user("hanoi@x.vn", "officer", Some("00070"), None).await;
    let r = c
        .get(app.url(&format!("/api/v1/users/{}", other.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .patch(app.url(&format!("/api/v1/users/{}", other.id)))
        .bearer_auth(&token)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Moving its officer to another province is refused too.
    let r = c
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .json(&json!({"locality": "00070"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    // Cannot lock itself out.
    let r = c
        .patch(app.url(&format!("/api/v1/users/{}", admin.id)))
        .bearer_auth(&token)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(problem(r).await["code"], "cannot_disable_self");

    // Unknown fields and broken JSON are clear 4xx, not 500.
    let r = c
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .json(&json!({"colour": "green"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "invalid_body");
    let r = c
        .get(app.url("/api/v1/users/abc"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn disabling_and_resetting_end_access() {
    let app = spawn_app().await;
    let c = app.api();
    let (_, admin) = app.caller("admin").await;
    let (officer, officer_token) = app.caller("officer").await;
    let url = app.url(&format!("/api/v1/users/{}", officer.id));

    let changed: Value = c
        .patch(&url)
        .bearer_auth(&admin)
        .json(&json!({"name": "Lê Văn Hòa", "role": "inspector", "locality": "22"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["role"], "inspector");
    assert_eq!(changed["commune_code"], Value::Null);

    let reset: Value = c
        .post(app.url(&format!("/api/v1/users/{}/password-reset", officer.id)))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let temporary = reset["temporary_password"].as_str().unwrap();
    assert!(temporary.len() >= 10);
    let browser = app.browser();
    assert_eq!(
        app.sign_in(&browser, &officer.email, temporary)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.sign_in(&app.browser(), &officer.email, PASSWORD)
            .await
            .status(),
        401
    );

    let r = c
        .patch(&url)
        .bearer_auth(&admin)
        .json(&json!({"disabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        c.get(app.url("/api/v1/me"))
            .bearer_auth(&officer_token)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let home = browser
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains("Lê Văn Hòa"),
        "a disabled user's session has ended"
    );
    assert_eq!(
        app.sign_in(&app.browser(), &officer.email, temporary)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn roles_without_user_management_are_denied() {
    let app = spawn_app().await;
    let c = app.api();
    let (target, _) = app.caller("officer").await;
    for role in ROLES.iter().filter(|r| !matches!(**r, "central" | "admin")) {
        let (_, token) = app.caller(role).await;
        let list = c
            .get(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(list.status(), 403, "{role} lists users");
        let create = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&token)
            .json(&json!({"email": format!("new-{role}@x.vn"), "name": "N", "role": "officer", "locality": "06946", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(create.status(), 403, "{role} creates users");
        let read = c
            .get(app.url(&format!("/api/v1/users/{}", target.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), 403, "{role} reads a user");
        let patch = c
            .patch(app.url(&format!("/api/v1/users/{}", target.id)))
            .bearer_auth(&token)
            .json(&json!({"disabled": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(patch.status(), 403, "{role} changes a user");
        let reset = c
            .post(app.url(&format!("/api/v1/users/{}/password-reset", target.id)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), 403, "{role} resets a password");
        let audit = c
            .get(app.url("/api/v1/audit"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(audit.status(), 403, "{role} reads the audit log");
    }
    assert!(
        !app.state
            .store
            .user(target.id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
}

#[tokio::test]
async fn central_manages_everywhere_and_audit_is_scoped() {
    let app = spawn_app().await;
    let c = app.api();
    let (_, central) = app.caller("central").await;
    let (_, admin) = app.caller("admin").await;
    for body in [
        json!({"email": "hn-admin@x.vn", "name": "Hà Nội", "role": "admin", "locality": "01", "password": PASSWORD}),
        json!({"email": "c2@x.vn", "name": "Trung ương 2", "role": "central", "password": PASSWORD}),
        json!({"email": "qn-off@x.vn", "name": "Quảng Ninh", "role": "officer", "locality": "06946", "password": PASSWORD}),
    ] {
        let r = c
            .post(app.url("/api/v1/users"))
            .bearer_auth(&central)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{body}");
    }
    let all: Vec<Value> = c
        .get(app.url("/api/v1/audit"))
        .bearer_auth(&central)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let creations: Vec<_> = all
        .iter()
        .filter(|e| e["action"] == "user_created")
        .collect();
    assert!(creations.len() >= 5, "{all:?}");
    assert!(all
        .iter()
        .any(|e| e["actor"] == "cli" && e["action"] == "api_token_created"));
    let qn: Vec<Value> = c
        .get(app.url("/api/v1/audit"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!qn.is_empty());
    assert!(
        qn.iter().all(|e| e["province_code"] == "22"),
        "an admin sees only its province: {qn:?}"
    );
    assert!(qn.iter().any(|e| e["details"]["email"] == "qn-off@x.vn"));
    let page: Vec<Value> = c
        .get(app.url("/api/v1/audit?limit=1"))
        .bearer_auth(&central)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
}
