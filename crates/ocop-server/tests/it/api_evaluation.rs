//! The criteria sets' rubric and scoring over the API; later the cycle, dossiers and councils.

use crate::support::{best_answers, problem, spawn_app};
use serde_json::json;

#[tokio::test]
async fn a_sets_rubric_shows_its_options_markers_and_source_oddities() {
    let app = spawn_app().await;
    let set: serde_json::Value = reqwest::get(app.url("/api/v1/criteria-sets/4"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(set["number"], 4);
    assert_eq!(set["parts"].as_array().unwrap().len(), 3);
    let criteria = set["parts"][0]["criteria"].as_array().unwrap();
    let c12 = criteria.iter().find(|c| c["code"] == "1.2").unwrap();
    assert_eq!(c12["choice"]["kind"], "options");
    assert!(
        c12["choice"]["options"][0]["points"].is_null(),
        "a blank cell stays blank"
    );
    assert!(set["source_flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f.as_str().unwrap().contains("13")));
    assert_eq!(set["disqualified_if"].as_array().unwrap().len(), 3);
    let c15 = criteria.iter().find(|c| c["code"] == "1.5").unwrap();
    assert_eq!(c15["choice"]["options"][3]["min_for_stars"], 5);

    let r = reqwest::get(app.url("/api/v1/criteria-sets/27"))
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn scoring_over_the_api_gives_the_clis_result_and_names_bad_criteria() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let score = |set: i64, body: serde_json::Value| {
        client
            .post(app.url(&format!("/api/v1/criteria-sets/{set}/score")))
            .json(&body)
            .send()
    };
    let mut weaker = best_answers(1);
    weaker.insert("1.5".into(), json!(0));
    weaker.insert("6.1".into(), json!({"option": 2, "stop": true}));
    let r = score(1, json!({"members": [best_answers(1), weaker]}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let s: serde_json::Value = r.json().await.unwrap();
    assert_eq!(s["stopped"], true);
    assert_eq!(s["stop_criterion"], "6.1");
    assert!(s["stars"].is_null());
    assert_eq!(s["recognizable"], false);

    let r = score(
        1,
        json!({"members": [best_answers(1), best_answers(1)], "disqualified_if": [0]}),
    )
    .await
    .unwrap();
    let s: serde_json::Value = r.json().await.unwrap();
    assert_eq!(s["disqualified"], json!(["Giả mạo hồ sơ"]));
    assert!(s["stars"].is_null());

    let r = score(1, json!({"members": [{"1.1": 9}]})).await.unwrap();
    assert_eq!(r.status(), 422);
    let p = problem(r).await;
    assert_eq!(p["code"], "invalid_answers");
    assert!(
        p["detail"].as_str().unwrap().contains("criterion 1.1"),
        "{p}"
    );
    let r = score(27, json!({"members": []})).await.unwrap();
    assert_eq!(r.status(), 404);
    let r = client
        .post(app.url("/api/v1/criteria-sets/1/score"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

// ---- the cycle and the procedure over the API ----

struct Api<'a> {
    app: &'a crate::support::TestApp,
    client: reqwest::Client,
}

impl Api<'_> {
    async fn call(
        &self,
        method: &str,
        token: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let url = self.app.url(path);
        let req = match method {
            "GET" => self.client.get(url),
            "PUT" => self.client.put(url),
            _ => self.client.post(url),
        }
        .bearer_auth(token);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }
    async fn ok(
        &self,
        method: &str,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let (s, v) = self.call(method, token, path, Some(body)).await;
        assert!(s == 200 || s == 201, "{method} {path}: {s} {v}");
        v
    }
}

#[tokio::test]
async fn ideas_and_plans_are_screened_and_supported() {
    let app = spawn_app().await;
    let api = Api {
        app: &app,
        client: reqwest::Client::new(),
    };
    let (_, admin) = app.caller("admin").await;
    let (_, officer) = app.caller("officer").await;
    let (_, producer) = app.caller("producer").await;
    let (_, inspector) = app.caller("inspector").await;
    let steps = json!([
        "2026-01-05",
        "2026-02-01",
        "2026-03-01",
        "2026-04-01",
        "2026-06-01",
        "2026-09-01"
    ]);
    let (s, _) = api
        .call(
            "POST",
            &producer,
            "/api/v1/cycles",
            Some(json!({"year": 2026, "theme": "x", "steps": steps})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, p) = api.call("POST", &admin, "/api/v1/cycles", Some(json!({"year": 2026, "theme": "Chè", "steps": ["2026-02-01", "2026-01-01", "2026-03-01", "2026-04-01", "2026-06-01", "2026-09-01"]}))).await;
    assert_eq!((s, p["code"].as_str()), (422, Some("invalid_steps")));
    let cycle = api
        .ok(
            "POST",
            &admin,
            "/api/v1/cycles",
            json!({"year": 2026, "theme": "Sản phẩm chủ lực", "steps": steps}),
        )
        .await;
    let (s, _) = api
        .call(
            "POST",
            &admin,
            "/api/v1/cycles",
            Some(json!({"year": 2026, "theme": "again", "steps": steps})),
        )
        .await;
    assert_eq!(s, 409);
    let cid = cycle["id"].as_i64().unwrap();

    let idea = api
        .ok(
            "POST",
            &producer,
            &format!("/api/v1/cycles/{cid}/ideas"),
            json!({"title": "Trà hoa vàng", "summary": "Túi lọc"}),
        )
        .await;
    let iid = idea["id"].as_i64().unwrap();
    let (s, _) = api
        .call(
            "POST",
            &inspector,
            &format!("/api/v1/cycles/{cid}/ideas"),
            Some(json!({"organization_id": idea["organization_id"], "title": "x", "summary": "y"})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = api
        .call(
            "POST",
            &producer,
            &format!("/api/v1/ideas/{iid}/screening"),
            Some(json!({"decision": "accept"})),
        )
        .await;
    assert_eq!(s, 403, "a producer does not screen its own idea");
    let (s, p) = api
        .call(
            "POST",
            &officer,
            &format!("/api/v1/ideas/{iid}/screening"),
            Some(json!({"decision": "return"})),
        )
        .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("reason")));
    let returned = api
        .ok(
            "POST",
            &officer,
            &format!("/api/v1/ideas/{iid}/screening"),
            json!({"decision": "return", "reason": "Nêu rõ vùng nguyên liệu"}),
        )
        .await;
    assert_eq!(returned["state"], "returned");
    api.ok(
        "POST",
        &producer,
        &format!("/api/v1/ideas/{iid}/resubmission"),
        json!({"title": "Trà hoa vàng Ba Chẽ", "summary": "Vùng nguyên liệu 20 ha"}),
    )
    .await;
    let accepted = api
        .ok(
            "POST",
            &officer,
            &format!("/api/v1/ideas/{iid}/screening"),
            json!({"decision": "accept"}),
        )
        .await;
    assert_eq!(accepted["state"], "accepted");

    let plan = api
        .ok(
            "POST",
            &producer,
            &format!("/api/v1/cycles/{cid}/plans"),
            json!({"idea_id": iid, "title": "Kế hoạch 2026", "summary": "Vay vốn, bao bì"}),
        )
        .await;
    let pid = plan["id"].as_i64().unwrap();
    let (s, _) = api
        .call(
            "POST",
            &officer,
            &format!("/api/v1/plans/{pid}/support"),
            Some(json!({"kind": "loan", "description": "Vay", "given_on": "2026-05-01"})),
        )
        .await;
    assert_eq!(s, 409, "support waits for acceptance");
    api.ok(
        "POST",
        &admin,
        &format!("/api/v1/plans/{pid}/screening"),
        json!({"decision": "accept"}),
    )
    .await;
    api.ok("POST", &officer, &format!("/api/v1/plans/{pid}/support"), json!({"kind": "loan", "description": "Vay ưu đãi", "amount_vnd": 50_000_000, "given_on": "2026-05-01"})).await;
    let (_, plan) = api
        .call("GET", &producer, &format!("/api/v1/plans/{pid}"), None)
        .await;
    assert_eq!(plan["support"][0]["amount_vnd"], 50_000_000);
    let (_, list) = api
        .call("GET", &officer, "/api/v1/ideas?state=accepted", None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Another province's office sees none of it.
    let other = app
        .user("admin-hn@test.vn", "admin", Some("01"), None)
        .await;
    let other = app.token(&other.email).await;
    let (s, _) = api
        .call("GET", &other, &format!("/api/v1/ideas/{iid}"), None)
        .await;
    assert_eq!(s, 404);
    let (_, cycles) = api.call("GET", &other, "/api/v1/cycles", None).await;
    assert!(cycles.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_dossier_goes_from_submission_to_a_certificate_and_its_revocation() {
    let app = spawn_app().await;
    let api = Api {
        app: &app,
        client: reqwest::Client::new(),
    };
    let (_, admin) = app.caller("admin").await;
    let (_, officer) = app.caller("officer").await;
    let (producer_user, producer) = app.caller("producer").await;
    let (chair, chair_token) = app.caller("evaluator").await;
    let (secretary, secretary_token) = app.caller("evaluator").await;
    let (_, outsider) = app.caller("evaluator").await;
    let product = api
        .ok("POST", &producer, "/api/v1/products", json!({"organization_id": producer_user.organization_id, "name": "Rau cải Đường Hoa", "criteria_set": 1}))
        .await;
    let pid = product["id"].as_i64().unwrap();

    let (s, p) = api
        .call(
            "POST",
            &producer,
            "/api/v1/dossiers",
            Some(json!({"product_id": pid, "kind": "upgrade"})),
        )
        .await;
    assert_eq!((s, p["field"].as_str()), (422, Some("kind")), "{p}");
    let d = api.ok("POST", &producer, "/api/v1/dossiers", json!({"product_id": pid, "kind": "first_time", "self_assessment": {"answers": {"1.1": 2}}})).await;
    let id = d["id"].as_i64().unwrap();
    let (s, p) = api
        .call(
            "POST",
            &producer,
            &format!("/api/v1/dossiers/{id}/submit"),
            None,
        )
        .await;
    assert_eq!(s, 422, "an incomplete Form 02 is not submitted: {p}");
    assert!(
        p["detail"].as_str().unwrap().contains("criterion 1.2"),
        "{p}"
    );
    api.ok(
        "PUT",
        &producer,
        &format!("/api/v1/dossiers/{id}/self-assessment"),
        json!({"answers": best_answers(1), "evidence": {"1.1": "Hợp đồng thu mua"}}),
    )
    .await;
    let d = api
        .ok(
            "POST",
            &producer,
            &format!("/api/v1/dossiers/{id}/submit"),
            json!({}),
        )
        .await;
    assert_eq!(d["state"], "submitted");
    assert!(d["commune_due_on"].is_string());

    let (s, _) = api
        .call(
            "POST",
            &producer,
            &format!("/api/v1/dossiers/{id}/commune-check"),
            Some(json!({"report": {}})),
        )
        .await;
    assert_eq!(s, 422);
    let report = json!({"local_origin": "Trồng tại xã", "raw_materials": "Tại chỗ", "local_labour": "12 lao động", "idea_origin": "Hộ dân"});
    let (s, _) = api
        .call(
            "POST",
            &producer,
            &format!("/api/v1/dossiers/{id}/commune-check"),
            Some(json!({"report": report})),
        )
        .await;
    assert_eq!(s, 403, "the producer does not check its own dossier");
    api.ok(
        "POST",
        &officer,
        &format!("/api/v1/dossiers/{id}/commune-check"),
        json!({"report": report}),
    )
    .await;

    let round = api
        .ok("POST", &admin, "/api/v1/rounds", json!({"name": "Đợt 2/2026", "held_by": "2026-12-30",
            "members": [{"user_id": chair.id, "role": "chair"}, {"user_id": secretary.id, "role": "secretary"}]}))
        .await;
    let rid = round["id"].as_i64().unwrap();
    let (s, _) = api
        .call(
            "POST",
            &producer,
            &format!("/api/v1/dossiers/{id}/assign"),
            Some(json!({"round_id": rid})),
        )
        .await;
    assert_eq!(s, 403);
    let d = api
        .ok(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/assign"),
            json!({"round_id": rid}),
        )
        .await;
    assert_eq!(
        (d["state"].as_str(), d["council_size"].as_u64()),
        (Some("in_round"), Some(2))
    );

    // Sheets: the outsider is not on the council; members hand in; the result waits for all.
    let (s, _) = api
        .call(
            "PUT",
            &outsider,
            &format!("/api/v1/dossiers/{id}/score-sheet"),
            Some(json!({"answers": {}})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, p) = api
        .call(
            "PUT",
            &chair_token,
            &format!("/api/v1/dossiers/{id}/score-sheet"),
            Some(json!({"answers": {"1.1": 2}, "submit": true})),
        )
        .await;
    assert_eq!(s, 422, "an incomplete sheet is not handed in: {p}");
    api.ok(
        "PUT",
        &chair_token,
        &format!("/api/v1/dossiers/{id}/score-sheet"),
        json!({"answers": best_answers(1), "submit": true}),
    )
    .await;
    let (s, _) = api
        .call(
            "PUT",
            &chair_token,
            &format!("/api/v1/dossiers/{id}/score-sheet"),
            Some(json!({"answers": best_answers(1)})),
        )
        .await;
    assert_eq!(s, 409, "a handed-in sheet no longer changes");
    let (s, p) = api
        .call(
            "POST",
            &secretary_token,
            &format!("/api/v1/dossiers/{id}/consolidate"),
            None,
        )
        .await;
    assert_eq!(s, 422, "{p}");
    let mut weaker = best_answers(1);
    weaker.insert("1.5".into(), json!(1));
    api.ok(
        "PUT",
        &secretary_token,
        &format!("/api/v1/dossiers/{id}/score-sheet"),
        json!({"answers": weaker, "notes": "Thiếu chứng nhận", "submit": true}),
    )
    .await;
    let (_, own) = api
        .call(
            "GET",
            &chair_token,
            &format!("/api/v1/dossiers/{id}/score-sheets"),
            None,
        )
        .await;
    assert_eq!(
        own.as_array().unwrap().len(),
        2,
        "the chair sees every sheet"
    );
    let (s, _) = api
        .call(
            "POST",
            &chair_token,
            &format!("/api/v1/dossiers/{id}/consolidate"),
            None,
        )
        .await;
    assert_eq!(s, 403, "the secretary consolidates, not the chair");
    let d = api
        .ok(
            "POST",
            &secretary_token,
            &format!("/api/v1/dossiers/{id}/consolidate"),
            json!({}),
        )
        .await;
    assert_eq!(d["state"], "scored");
    assert_eq!(
        (d["total"].as_f64(), d["stars"].as_i64()),
        (Some(99.0), Some(4)),
        "{d}"
    );
    assert_eq!(
        d["result"]["unmet_minimums"],
        json!([{"criterion": "1.5", "level": 5}])
    );

    let (s, _) = api
        .call(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/forward"),
            None,
        )
        .await;
    assert_eq!(s, 409, "only a 5★ result is forwarded");
    let (_, ranking) = api
        .call(
            "GET",
            &admin,
            &format!("/api/v1/rounds/{rid}/ranking"),
            None,
        )
        .await;
    assert_eq!(
        ranking,
        json!([{"rank": 1, "dossier_id": id, "product_name": "Rau cải Đường Hoa", "organization_name": "HTX Chè Đường Hoa",
        "state": "scored", "total": 99.0, "stars": 4, "recognized_by": "province"}])
    );
    let (s, _) = api
        .call(
            "GET",
            &producer,
            &format!("/api/v1/rounds/{rid}/ranking"),
            None,
        )
        .await;
    assert_eq!(s, 404, "producers do not see councils' rankings");
    let d = api
        .ok(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/recognize"),
            json!({"decision_number": "1234/QĐ-UBND", "decided_on": "2026-11-20"}),
        )
        .await;
    assert_eq!(d["state"], "recognized");
    let certs: serde_json::Value = api
        .call(
            "GET",
            &producer,
            &format!("/api/v1/products/{pid}/certificates"),
            None,
        )
        .await
        .1;
    let cert = &certs[0];
    assert_eq!(
        (cert["stars"].as_i64(), cert["valid"].as_bool()),
        (Some(4), Some(true))
    );
    assert_eq!(cert["expires_on"], "2029-11-20");
    let cid = cert["id"].as_i64().unwrap();

    let (s, _) = api
        .call(
            "POST",
            &producer,
            &format!("/api/v1/certificates/{cid}/revocation"),
            Some(json!({"grounds": "x"})),
        )
        .await;
    assert_eq!(s, 403);
    let revoked = api
        .ok(
            "POST",
            &admin,
            &format!("/api/v1/certificates/{cid}/revocation"),
            json!({"grounds": "Không còn đáp ứng tiêu chí"}),
        )
        .await;
    assert_eq!(revoked["valid"], false);
    let (s, _) = api
        .call(
            "POST",
            &admin,
            &format!("/api/v1/certificates/{cid}/revocation"),
            Some(json!({"grounds": "again"})),
        )
        .await;
    assert_eq!(s, 409);

    // Another province's admin learns nothing of the dossier.
    let other = app
        .user("admin-hn2@test.vn", "admin", Some("01"), None)
        .await;
    let other = app.token(&other.email).await;
    let (s, _) = api
        .call("GET", &other, &format!("/api/v1/dossiers/{id}"), None)
        .await;
    assert_eq!(s, 404);
    let (_, mine) = api
        .call("GET", &secretary_token, "/api/v1/dossiers", None)
        .await;
    assert_eq!(
        (
            mine["items"].as_array().unwrap().len(),
            mine["total"].as_i64()
        ),
        (1, Some(1)),
        "an evaluator lists the dossiers of its rounds"
    );
    let (_, none) = api.call("GET", &outsider, "/api/v1/dossiers", None).await;
    assert_eq!(none, json!({"items": [], "total": 0}));
    let (s, page) = api
        .call("GET", &admin, "/api/v1/dossiers?limit=1&offset=1", None)
        .await;
    assert_eq!(
        (
            s,
            page["total"].as_i64(),
            page["items"].as_array().map(Vec::len)
        ),
        (200, Some(1), Some(0))
    );
    let (s, _) = api
        .call("GET", &admin, "/api/v1/dossiers?state=lost", None)
        .await;
    assert_eq!(s, 422);
}

/// Hands in `answers` for each member token, then consolidates as the last (the secretary).
async fn score_in_round(
    api: &Api<'_>,
    id: i64,
    members: &[&str],
    answers: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Value {
    for t in members {
        api.ok(
            "PUT",
            t,
            &format!("/api/v1/dossiers/{id}/score-sheet"),
            json!({"answers": answers, "submit": true}),
        )
        .await;
    }
    api.ok(
        "POST",
        members[members.len() - 1],
        &format!("/api/v1/dossiers/{id}/consolidate"),
        json!({}),
    )
    .await
}

#[tokio::test]
async fn five_stars_are_recognized_only_by_the_central_council() {
    let app = spawn_app().await;
    let api = Api {
        app: &app,
        client: reqwest::Client::new(),
    };
    let (_, admin) = app.caller("admin").await;
    let (_, officer) = app.caller("officer").await;
    let (producer_user, producer) = app.caller("producer").await;
    let (chair, chair_t) = app.caller("evaluator").await;
    let (secretary, secretary_t) = app.caller("evaluator").await;
    let (c1, c1_t) = app.caller("central").await;
    let (c2, c2_t) = app.caller("central").await;
    let product = api.ok("POST", &producer, "/api/v1/products", json!({"organization_id": producer_user.organization_id, "name": "Mật ong Ba Chẽ", "criteria_set": 1})).await;
    let form = json!({"answers": best_answers(1)});
    let d = api
        .ok(
            "POST",
            &producer,
            "/api/v1/dossiers",
            json!({"product_id": product["id"], "kind": "first_time", "self_assessment": form}),
        )
        .await;
    let id = d["id"].as_i64().unwrap();
    api.ok(
        "POST",
        &producer,
        &format!("/api/v1/dossiers/{id}/submit"),
        json!({}),
    )
    .await;
    let report =
        json!({"local_origin": "a", "raw_materials": "b", "local_labour": "c", "idea_origin": "d"});
    api.ok(
        "POST",
        &officer,
        &format!("/api/v1/dossiers/{id}/commune-check"),
        json!({"report": report}),
    )
    .await;
    let seats = |a: i64, b: i64| json!([{"user_id": a, "role": "chair"}, {"user_id": b, "role": "secretary"}]);
    let round = api.ok("POST", &admin, "/api/v1/rounds", json!({"name": "Tỉnh", "held_by": "2026-12-30", "members": seats(chair.id, secretary.id)})).await;
    api.ok(
        "POST",
        &admin,
        &format!("/api/v1/dossiers/{id}/assign"),
        json!({"round_id": round["id"]}),
    )
    .await;
    let d = score_in_round(&api, id, &[&chair_t, &secretary_t], &best_answers(1)).await;
    assert_eq!(
        (d["stars"].as_i64(), d["result"]["recognized_by"].as_str()),
        (Some(5), Some("central"))
    );

    let (s, p) = api
        .call(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/recognize"),
            Some(json!({"decision_number": "1/QĐ", "decided_on": "2026-11-20"})),
        )
        .await;
    assert_eq!(s, 409, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("central"));
    let (s, _) = api.call("POST", &admin, "/api/v1/rounds", Some(json!({"name": "TW", "held_by": "2027-03-30", "central": true, "members": seats(c1.id, c2.id)}))).await;
    assert_eq!(s, 403, "a province does not name the central council");
    let d = api
        .ok(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/forward"),
            json!({}),
        )
        .await;
    assert_eq!(d["state"], "forwarded");

    let central = api.ok("POST", &c1_t, "/api/v1/rounds", json!({"name": "Trung ương 1/2027", "held_by": "2027-03-30", "central": true, "members": seats(c1.id, c2.id)})).await;
    let (s, _) = api
        .call(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/assign"),
            Some(json!({"round_id": central["id"]})),
        )
        .await;
    assert_eq!(s, 403, "central rounds are the central office's");
    api.ok(
        "POST",
        &c1_t,
        &format!("/api/v1/dossiers/{id}/assign"),
        json!({"round_id": central["id"]}),
    )
    .await;
    let d = score_in_round(&api, id, &[&c1_t, &c2_t], &best_answers(1)).await;
    assert_eq!(
        (d["state"].as_str(), d["stars"].as_i64()),
        (Some("scored"), Some(5))
    );
    let (s, _) = api
        .call(
            "POST",
            &admin,
            &format!("/api/v1/dossiers/{id}/recognize"),
            Some(json!({"decision_number": "2/QĐ", "decided_on": "2027-03-30"})),
        )
        .await;
    assert_eq!(s, 409);
    let d = api
        .ok(
            "POST",
            &c1_t,
            &format!("/api/v1/dossiers/{id}/recognize"),
            json!({"decision_number": "125/QĐ-BNNMT", "decided_on": "2027-03-30"}),
        )
        .await;
    assert_eq!(d["state"], "recognized");
    let (_, certs) = api
        .call(
            "GET",
            &producer,
            &format!("/api/v1/products/{}/certificates", product["id"]),
            None,
        )
        .await;
    assert_eq!(certs[0]["stars"], 5);
}

#[tokio::test]
async fn evidence_files_are_attached_per_criterion_and_read_by_the_council() {
    let app = spawn_app().await;
    let api = Api {
        app: &app,
        client: reqwest::Client::new(),
    };
    let (_, inspector) = app.caller("inspector").await;
    let (producer_user, producer) = app.caller("producer").await;
    let (_, outsider) = app.caller("evaluator").await;
    let product = api
        .ok("POST", &producer, "/api/v1/products", json!({"organization_id": producer_user.organization_id, "name": "Rau Đường Hoa", "criteria_set": 1}))
        .await;
    let d = api
        .ok("POST", &producer, "/api/v1/dossiers", json!({"product_id": product["id"], "kind": "first_time", "self_assessment": {"answers": best_answers(1)}}))
        .await;
    let id = d["id"].as_i64().unwrap();
    let upload = |token: &str, criterion: &str, bytes: &'static [u8]| {
        let form = reqwest::multipart::Form::new()
            .text("criterion", criterion.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("chứng nhận VietGAP.pdf"),
            );
        api.client
            .post(app.url(&format!("/api/v1/dossiers/{id}/evidence")))
            .bearer_auth(token)
            .multipart(form)
            .send()
    };
    let pdf: &'static [u8] = b"%PDF-1.4\n% VietGAP\n";
    let r = upload(&producer, "1.2", pdf).await.unwrap();
    assert_eq!(r.status(), 201);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (e["criterion"].as_str(), e["content_type"].as_str()),
        (Some("1.2"), Some("application/pdf"))
    );
    let r = upload(&producer, "9.9", pdf).await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(problem(r).await["detail"].as_str().unwrap().contains("9.9"));
    let r = upload(&producer, "1.2", b"<html>not evidence</html>")
        .await
        .unwrap();
    assert_eq!(
        (
            r.status().as_u16(),
            problem(r).await["code"].as_str().map(str::to_string)
        ),
        (422, Some("file_type".into()))
    );
    let r = upload(&inspector, "1.2", pdf).await.unwrap();
    assert_eq!(r.status(), 403);
    let r = upload(&outsider, "1.2", pdf).await.unwrap();
    assert_eq!(
        r.status(),
        404,
        "an evaluator off the council does not see the dossier"
    );

    let url = e["url"].as_str().unwrap();
    let r = api
        .client
        .get(app.url(url))
        .bearer_auth(&producer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), pdf);
    let r = api
        .client
        .get(app.url(url))
        .bearer_auth(&outsider)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    api.ok(
        "POST",
        &producer,
        &format!("/api/v1/dossiers/{id}/submit"),
        json!({}),
    )
    .await;
    let r = upload(&producer, "1.2", pdf).await.unwrap();
    assert_eq!(r.status(), 409, "Form 02 is closed once filed");
    let (_, list) = api
        .call(
            "GET",
            &producer,
            &format!("/api/v1/dossiers/{id}/evidence"),
            None,
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn certificate_notices_over_the_api() {
    let app = spawn_app().await;
    let api = Api {
        app: &app,
        client: reqwest::Client::new(),
    };
    let (producer_user, producer) = app.caller("producer").await;
    let (_, evaluator) = app.caller("evaluator").await;
    let product = api
        .ok("POST", &producer, "/api/v1/products", json!({"organization_id": producer_user.organization_id, "name": "Miến dong", "criteria_set": 6}))
        .await;
    let today = ocop_server::present::today_in_vietnam();
    let expires_on = today + chrono::Days::new(140);
    let new = ocop_store::NewCertificate {
        product_id: product["id"].as_i64().unwrap(),
        number: "QN-NOTICE-1".into(),
        stars: 3,
        decision_number: "9/QĐ-UBND".into(),
        decided_on: expires_on - chrono::Months::new(36),
        expires_on,
        recorded_by: None,
    };
    let audit =
        ocop_server::users::Requester::Operator.audit("certificate_recorded", None, json!({}));
    app.state
        .store
        .record_certificate(&new, &audit)
        .await
        .unwrap();
    let (s, list) = api
        .call("GET", &producer, "/api/v1/certificates/expiring", None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(list[0]["notice"], "reevaluation_open");
    assert_eq!(list[0]["certificate"]["number"], "QN-NOTICE-1");
    assert_eq!(
        list[0]["reevaluation_until"],
        json!((expires_on - chrono::Days::new(120)).to_string())
    );
    let (s, _) = api
        .call("GET", &evaluator, "/api/v1/certificates/expiring", None)
        .await;
    assert_eq!(s, 403);
}
