use crate::support::{problem, spawn_app, TestApp};
use chrono::Datelike;
use serde_json::{json, Value};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.api()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.api()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.api()
        .patch(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn expect_problem(r: reqwest::Response, status: u16, code: &str, field: Option<&str>) {
    assert_eq!(r.status(), status);
    let p = problem(r).await;
    assert_eq!(p["code"], code, "{p}");
    if let Some(f) = field {
        assert_eq!(p["field"], f, "{p}");
    }
}

fn year() -> i32 {
    chrono::Utc::now().year()
}

#[tokio::test]
async fn organizations_and_products_are_registered_with_checked_fields() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let r = post(&app, &admin, "/api/v1/organizations", json!({
        "name": "HTX Chè Đường Hoa", "kind": "cooperative", "commune_code": "6946", "tax_code": "5701234567",
        "address": "Thôn Tân Hoa", "representative": "Hoàng Văn Tâm", "phone": "+84 912 345 678",
        "email": "HTX@cheduonghoa.vn", "food_safety_signed_on": "2026-03-01"
    })).await;
    assert_eq!(r.status(), 201);
    let org: Value = r.json().await.unwrap();
    assert_eq!(org["commune_code"], "06946");
    assert_eq!(org["province_code"], "22");
    assert_eq!(org["phone"], "0912345678");
    assert_eq!(org["email"], "htx@cheduonghoa.vn");
    let org_id = org["id"].as_i64().unwrap();

    for (body, status, code, field) in [
        (
            json!({"name": "X", "kind": "cooperative", "commune_code": "99999"}),
            422,
            "unknown_locality",
            "commune_code",
        ),
        (
            json!({"name": "X", "kind": "cooperative", "commune_code": "22"}),
            422,
            "unknown_locality",
            "commune_code",
        ),
        (
            json!({"name": "X", "kind": "company", "commune_code": "06946"}),
            422,
            "invalid_kind",
            "kind",
        ),
        (
            json!({"kind": "farm", "commune_code": "06946"}),
            422,
            "required",
            "name",
        ),
        (
            json!({"name": "X", "kind": "farm", "commune_code": "06946", "tax_code": "12345"}),
            422,
            "invalid_tax_code",
            "tax_code",
        ),
        (
            json!({"name": "X", "kind": "farm", "commune_code": "06946", "phone": "12"}),
            422,
            "invalid_phone",
            "phone",
        ),
        (
            json!({"name": "X", "kind": "farm", "commune_code": "06946", "food_safety_signed_on": "soon"}),
            422,
            "invalid_date",
            "food_safety_signed_on",
        ),
        (
            json!({"name": "X", "kind": "farm", "commune_code": "06946", "tax_code": "5701234567"}),
            409,
            "tax_code_taken",
            "tax_code",
        ),
    ] {
        expect_problem(
            post(&app, &admin, "/api/v1/organizations", body.clone()).await,
            status,
            code,
            Some(field),
        )
        .await;
    }

    let r = post(&app, &admin, "/api/v1/products", json!({
        "organization_id": org_id, "name": "Chè xanh Đường Hoa", "criteria_set": 11, "gtin": "8935001234562",
        "standard_code": "tccs 01:2026/HTXCDH", "standard_declared_on": "2026-01-15", "key_level": "province", "status": "active",
        "description": "Chè búp tươi sao tay"
    })).await;
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["code"], format!("22-06946-001-{}", year()));
    assert_eq!(p["gtin"], "08935001234562");
    assert_eq!(p["standard_code"], "TCCS 01:2026/HTXCDH");
    assert_eq!(p["group"], "Chè");
    assert_eq!(p["organization_name"], "HTX Chè Đường Hoa");
    let second: Value = post(
        &app,
        &admin,
        "/api/v1/products",
        json!({"organization_id": org_id, "name": "Chè vàng", "criteria_set": 11}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(second["code"], format!("22-06946-002-{}", year()));
    assert_eq!(second["status"], "draft");

    for (body, status, code, field) in [
        (
            json!({"organization_id": org_id, "name": "X", "criteria_set": 27}),
            422,
            "invalid_criteria_set",
            "criteria_set",
        ),
        (
            json!({"organization_id": org_id, "name": "X", "criteria_set": 0}),
            422,
            "invalid_criteria_set",
            "criteria_set",
        ),
        (
            json!({"organization_id": org_id, "name": "X", "criteria_set": 11, "gtin": "8935001234567"}),
            422,
            "invalid_gtin",
            "gtin",
        ),
        (
            json!({"organization_id": org_id, "name": "X", "criteria_set": 11, "standard_code": "ABC 1"}),
            422,
            "invalid_standard",
            "standard_code",
        ),
        (
            json!({"organization_id": 9999, "name": "X", "criteria_set": 11}),
            422,
            "unknown_organization",
            "organization_id",
        ),
        (
            json!({"organization_id": org_id, "name": "X", "criteria_set": 11, "gtin": "8935001234562"}),
            409,
            "gtin_taken",
            "gtin",
        ),
        (
            json!({"organization_id": org_id, "name": "X", "criteria_set": 11, "status": "sold"}),
            422,
            "invalid_status",
            "status",
        ),
    ] {
        expect_problem(
            post(&app, &admin, "/api/v1/products", body.clone()).await,
            status,
            code,
            Some(field),
        )
        .await;
    }

    // PATCH: absent keeps, null clears, unknown fields are refused.
    let id = p["id"].as_i64().unwrap();
    let changed: Value = patch(
        &app,
        &admin,
        &format!("/api/v1/products/{id}"),
        json!({"gtin": null, "name": "Chè xanh thượng hạng"}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(changed["gtin"], Value::Null);
    assert_eq!(changed["name"], "Chè xanh thượng hạng");
    assert_eq!(changed["standard_code"], "TCCS 01:2026/HTXCDH");
    expect_problem(
        patch(
            &app,
            &admin,
            &format!("/api/v1/products/{id}"),
            json!({"colour": "green"}),
        )
        .await,
        422,
        "unknown_field",
        None,
    )
    .await;
    let r = patch(
        &app,
        &admin,
        &format!("/api/v1/organizations/{org_id}"),
        json!({"representative": "Lê Thị Mai"}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["representative"],
        "Lê Thị Mai"
    );

    let sets: Vec<Value> = get(&app, &admin, "/api/v1/criteria-sets")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sets.len(), 26);
    let nine: Value = app
        .api()
        .get(app.url("/api/v1/criteria-sets/9"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nine["group"], "Gia vị");
    assert_eq!(
        app.api()
            .get(app.url("/api/v1/criteria-sets/27"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn search_ignores_diacritics_and_filters() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let tea = app.organization("HTX Chè Đường Hoa", "06946").await;
    let sauce = app
        .organization("Công ty CP Nước mắm Cái Rồng", "06994")
        .await;
    for (org, name, set) in [
        (tea, "Cà phê Đông Triều", 13),
        (tea, "Chè xanh Đường Hoa", 11),
        (sauce, "Nước mắm Cái Rồng", 9),
        (sauce, "Nước mắm cốt nhĩ", 9),
    ] {
        let r = post(
            &app,
            &admin,
            "/api/v1/products",
            json!({"organization_id": org, "name": name, "criteria_set": set, "status": "active"}),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let names = |v: Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let found: Value = get(&app, &admin, "/api/v1/products?q=ca%20phe")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(found), vec!["Cà phê Đông Triều"]);
    let found: Value = get(&app, &admin, "/api/v1/products?q=nuoc+mam")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 2);
    let found: Value = get(&app, &admin, "/api/v1/products?group=Ch%C3%A8")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(found), vec!["Chè xanh Đường Hoa"]);
    let found: Value = get(&app, &admin, "/api/v1/products?commune=06994&limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 2);
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let orgs: Value = get(&app, &admin, "/api/v1/organizations?q=nuoc%20mam")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(orgs["items"][0]["name"], "Công ty CP Nước mắm Cái Rồng");
    expect_problem(
        get(&app, &admin, "/api/v1/products?group=Kem").await,
        422,
        "invalid_group",
        Some("group"),
    )
    .await;
    expect_problem(
        get(&app, &admin, "/api/v1/products?status=old").await,
        422,
        "invalid_status",
        Some("status"),
    )
    .await;
}

#[tokio::test]
async fn each_role_sees_and_changes_only_its_part_of_the_register() {
    let app = spawn_app().await;
    let (_, admin) = app.caller("admin").await;
    let here = app.organization("HTX Chè Đường Hoa", "06946").await;
    let there = app.organization("HTX Miến dong Bình Liêu", "06838").await;
    let hanoi = app.organization("HTX Bát Tràng", "00070").await;
    let mut ids = Vec::new();
    for (org, name) in [(here, "Chè xanh"), (there, "Miến dong"), (hanoi, "Gốm")] {
        let r: Value = post(
            &app,
            &admin,
            "/api/v1/products",
            json!({"organization_id": org, "name": name, "criteria_set": 11}),
        )
        .await
        .json()
        .await
        .unwrap();
        ids.push(r["id"].as_i64());
    }
    assert_eq!(
        ids[2], None,
        "an admin cannot register a product in another province"
    );
    let (central_user, central) = app.caller("central").await;
    let _ = central_user;
    let r: Value = post(
        &app,
        &central,
        "/api/v1/products",
        json!({"organization_id": hanoi, "name": "Gốm", "criteria_set": 21}),
    )
    .await
    .json()
    .await
    .unwrap();
    let hanoi_product = r["id"].as_i64().unwrap();
    let here_product = ids[0].unwrap();
    let there_product = ids[1].unwrap();

    // The officer of 06946 (the caller helper puts officers there).
    let (_, officer) = app.caller("officer").await;
    let list: Value = get(&app, &officer, "/api/v1/products")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(
        get(&app, &officer, &format!("/api/v1/products/{there_product}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        get(&app, &officer, &format!("/api/v1/organizations/{there}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        get(&app, &officer, "/api/v1/products?commune=06838")
            .await
            .json::<Value>()
            .await
            .unwrap()["total"],
        0
    );
    expect_problem(
        post(
            &app,
            &officer,
            "/api/v1/organizations",
            json!({"name": "HTX Mới", "kind": "farm", "commune_code": "06838"}),
        )
        .await,
        403,
        "forbidden",
        Some("commune_code"),
    )
    .await;
    assert_eq!(
        post(
            &app,
            &officer,
            "/api/v1/organizations",
            json!({"name": "HTX Mới", "kind": "farm", "commune_code": "06946"})
        )
        .await
        .status(),
        201
    );
    expect_problem(
        patch(
            &app,
            &officer,
            &format!("/api/v1/organizations/{here}"),
            json!({"commune_code": "06838"}),
        )
        .await,
        403,
        "forbidden",
        Some("commune_code"),
    )
    .await;

    // Admin of province 22 sees both communes but not Hà Nội.
    let list: Value = get(&app, &admin, "/api/v1/products")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
    assert_eq!(
        get(&app, &admin, &format!("/api/v1/products/{hanoi_product}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        get(&app, &central, "/api/v1/products")
            .await
            .json::<Value>()
            .await
            .unwrap()["total"],
        3
    );

    // A producer (of a fresh "HTX Chè Đường Hoa" organization made by the helper) sees only its own.
    let (producer_user, producer) = app.caller("producer").await;
    let own_org = producer_user.organization_id.unwrap();
    assert_eq!(
        get(&app, &producer, "/api/v1/products")
            .await
            .json::<Value>()
            .await
            .unwrap()["total"],
        0
    );
    assert_eq!(
        get(&app, &producer, &format!("/api/v1/products/{here_product}"))
            .await
            .status(),
        404
    );
    let mine = post(
        &app,
        &producer,
        "/api/v1/products",
        json!({"organization_id": own_org, "name": "Chè của tôi", "criteria_set": 11}),
    )
    .await;
    assert_eq!(mine.status(), 201);
    let mine: Value = mine.json().await.unwrap();
    assert_eq!(
        patch(
            &app,
            &producer,
            &format!("/api/v1/products/{}", mine["id"]),
            json!({"description": "Ngon"})
        )
        .await
        .status(),
        200
    );
    expect_problem(
        post(
            &app,
            &producer,
            "/api/v1/products",
            json!({"organization_id": here, "name": "X", "criteria_set": 11}),
        )
        .await,
        422,
        "unknown_organization",
        Some("organization_id"),
    )
    .await;
    assert_eq!(
        patch(
            &app,
            &producer,
            &format!("/api/v1/products/{here_product}"),
            json!({"name": "Hijack"})
        )
        .await
        .status(),
        404
    );
    expect_problem(
        post(
            &app,
            &producer,
            "/api/v1/organizations",
            json!({"name": "Khác", "kind": "farm", "commune_code": "06946"}),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        patch(
            &app,
            &producer,
            &format!("/api/v1/organizations/{own_org}"),
            json!({"phone": "0912345678"})
        )
        .await
        .status(),
        200
    );
    expect_problem(
        patch(
            &app,
            &producer,
            &format!("/api/v1/organizations/{own_org}"),
            json!({"commune_code": "06838"}),
        )
        .await,
        403,
        "forbidden",
        Some("commune_code"),
    )
    .await;

    // Inspectors read; evaluators do not use the register.
    let (_, inspector) = app.caller("inspector").await;
    assert_eq!(
        get(
            &app,
            &inspector,
            &format!("/api/v1/products/{here_product}")
        )
        .await
        .status(),
        200
    );
    expect_problem(
        patch(
            &app,
            &inspector,
            &format!("/api/v1/products/{here_product}"),
            json!({"name": "X"}),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    expect_problem(
        post(
            &app,
            &inspector,
            "/api/v1/organizations",
            json!({"name": "X", "kind": "farm", "commune_code": "06946"}),
        )
        .await,
        403,
        "forbidden",
        None,
    )
    .await;
    let (_, evaluator) = app.caller("evaluator").await;
    expect_problem(
        get(&app, &evaluator, "/api/v1/products").await,
        403,
        "forbidden",
        None,
    )
    .await;
    expect_problem(
        get(&app, &evaluator, &format!("/api/v1/organizations/{here}")).await,
        403,
        "forbidden",
        None,
    )
    .await;
    assert_eq!(
        app.api()
            .get(app.url("/api/v1/products"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let unchanged: Value = get(&app, &admin, &format!("/api/v1/products/{here_product}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["name"], "Chè xanh");
}
