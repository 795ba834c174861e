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
