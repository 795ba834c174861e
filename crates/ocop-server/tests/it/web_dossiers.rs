//! The evaluation pages: dossiers with Form 01–03 and every step, score sheets, rounds and
//! certificates, within each role's reach, in Vietnamese and English.

use crate::support::{best_answers, csrf_of, spawn_app, TestApp, PASSWORD};
use ocop_domain::criteria::{self, Answers, Choice};
use ocop_domain::evaluation::{CouncilRole, DossierKind};
use ocop_server::auth::extract::actor_of;
use ocop_server::evaluation::dossiers::{self, StepInput};
use ocop_server::evaluation::{rounds, Caller};
use ocop_server::users::Requester;
use ocop_store::User;
use serde_json::{json, Map, Value};

pub type AnswerMap = Map<String, Value>;

/// The people of one province's evaluation and one product.
pub struct Fx {
    pub producer: User,
    pub other_producer: User,
    pub officer: User,
    pub admin: User,
    pub chair: User,
    pub secretary: User,
    pub outsider: User,
    pub product: i64,
}

pub const PRODUCT: &str = "Cải ngồng Đường Hoa";

pub async fn fixture(app: &TestApp) -> Fx {
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let other = app.organization("HTX Nước mắm Cái Rồng", "06946").await;
    let input = ocop_server::registry::products::ProductInput {
        organization_id: Some(org),
        name: Some(PRODUCT.into()),
        criteria_set: Some(1),
        status: Some("active".into()),
        ..Default::default()
    };
    let product =
        ocop_server::registry::products::create(&*app.state.store, Requester::Operator, &input)
            .await
            .unwrap()
            .id;
    let chair = evaluator(app, "chu-tich@qn.gov.vn", "Trần Chủ Tịch").await;
    let secretary = evaluator(app, "thu-ky@qn.gov.vn", "Lê Thư Ký").await;
    let outsider = evaluator(app, "ngoai@qn.gov.vn", "Phạm Ngoài").await;
    Fx {
        producer: app
            .user("lan@cheduonghoa.vn", "producer", None, Some(org))
            .await,
        other_producer: app
            .user("ba@cairong.vn", "producer", None, Some(other))
            .await,
        officer: app
            .user("xa@duonghoa.gov.vn", "officer", Some("06946"), None)
            .await,
        admin: app.user("ocop@qn.gov.vn", "admin", Some("22"), None).await,
        chair,
        secretary,
        outsider,
        product,
    }
}

/// A council member of province 22, told apart by name on the pages.
pub async fn evaluator(app: &TestApp, email: &str, name: &str) -> User {
    let input = ocop_server::users::UserInput {
        email: email.into(),
        name: name.into(),
        role: "evaluator".into(),
        locality: Some("22".into()),
        organization_id: None,
    };
    ocop_server::users::create(&*app.state.store, Requester::Operator, input, PASSWORD)
        .await
        .unwrap()
}

fn today() -> chrono::NaiveDate {
    ocop_server::present::today_in_vietnam()
}

/// Takes a step through the service, as `user`.
pub async fn step(app: &TestApp, user: &User, id: i64, input: StepInput) {
    let actor = actor_of(user);
    let who = Caller {
        actor: &actor,
        email: &user.email,
    };
    dossiers::step(&*app.state.store, who, id, input, today())
        .await
        .unwrap_or_else(|p| panic!("{}: {}", p.code, p.detail));
}

/// A dossier opened by the producer with Form 02 answered as given.
pub async fn open(app: &TestApp, fx: &Fx, answers: &AnswerMap) -> i64 {
    let actor = actor_of(&fx.producer);
    let by = Requester::Actor(&actor, &fx.producer.email);
    let form = json!({"answers": answers, "evidence": {"1.1": "Hợp đồng thu mua mật ong"}});
    dossiers::create(
        &*app.state.store,
        by,
        fx.product,
        DossierKind::FirstTime,
        form,
        today(),
    )
    .await
    .unwrap()
    .id
}

pub fn report() -> StepInput {
    let mut m = Map::new();
    for k in [
        "local_origin",
        "raw_materials",
        "local_labour",
        "idea_origin",
    ] {
        m.insert(k.into(), json!("Xác nhận của xã"));
    }
    StepInput::CommuneCheck(m)
}

/// A round of the province with the chair and the secretary.
pub async fn round(app: &TestApp, fx: &Fx) -> i64 {
    let actor = actor_of(&fx.admin);
    let who = Caller {
        actor: &actor,
        email: &fx.admin.email,
    };
    let members = vec![
        (fx.chair.id, CouncilRole::Chair),
        (fx.secretary.id, CouncilRole::Secretary),
    ];
    let held_by = today() + chrono::Days::new(60);
    rounds::create(&*app.state.store, who, false, "Đợt 1", held_by, members)
        .await
        .unwrap()
        .id
}

/// A dossier filed, checked by the commune and assigned to a new round.
pub async fn in_round(app: &TestApp, fx: &Fx) -> (i64, i64) {
    let id = open(app, fx, &best_answers(1)).await;
    step(app, &fx.producer, id, StepInput::Submit).await;
    step(app, &fx.officer, id, report()).await;
    let r = round(app, fx).await;
    step(app, &fx.admin, id, StepInput::Assign { round_id: r }).await;
    (id, r)
}

pub async fn hand_in(app: &TestApp, user: &User, id: i64, answers: &AnswerMap, submit: bool) {
    let actor = actor_of(user);
    let who = Caller {
        actor: &actor,
        email: &user.email,
    };
    dossiers::save_sheet(
        &*app.state.store,
        who,
        id,
        Value::Object(answers.clone()),
        None,
        submit,
    )
    .await
    .unwrap_or_else(|p| panic!("{}: {}", p.code, p.detail));
}

/// Answers on set `set` that reach 4★ (a total from 70 to below 90, every 3★ and 4★ minimum
/// met): the province recognizes them.
pub fn four_star_answers(set: i64) -> AnswerMap {
    let r = criteria::rubric(set).unwrap();
    let score = |a: &AnswerMap| {
        let answers = Answers::from_json(&json!({ "members": [a] })).unwrap();
        criteria::score(r, &answers).unwrap()
    };
    let mut answers = best_answers(set);
    for c in r.criteria() {
        if score(&answers).total < 90.0 {
            break;
        }
        let Choice::Options { options } = &c.choice else {
            continue;
        };
        if c.stop_if_zero {
            continue;
        }
        let pts = |i: usize| options[i].counted(c.max_points);
        let least = options
            .iter()
            .filter(|o| o.min_for_stars.is_some_and(|l| l <= 4))
            .map(|o| o.counted(c.max_points))
            .min()
            .unwrap_or(0);
        let pick = (0..options.len())
            .filter(|&i| pts(i) >= least)
            .min_by_key(|&i| pts(i))
            .unwrap();
        let before = answers.insert(c.code.clone(), json!(pick));
        if score(&answers).total < 70.0 {
            answers.insert(c.code.clone(), before.unwrap());
        }
    }
    assert_eq!(score(&answers).stars, Some(4), "4★ answers on set {set}");
    answers
}

/// The form fields of a sheet (or Form 02) that give these answers.
pub fn fields(answers: &AnswerMap) -> Vec<(String, String)> {
    answers
        .iter()
        .map(|(code, a)| match a {
            Value::Number(n) => (format!("a:{code}"), n.to_string()),
            Value::Object(o) if o.contains_key("points") => {
                (format!("p:{code}"), o["points"].to_string())
            }
            Value::Object(o) => (
                format!("a:{code}"),
                format!("{}-{}", o["case"], o["option"]),
            ),
            other => panic!("{other}"),
        })
        .collect()
}

async fn signed_in(app: &TestApp, user: &User) -> reqwest::Client {
    let b = app.browser();
    let r = app.sign_in(&b, &user.email, PASSWORD).await;
    assert_eq!(r.status(), 303, "signed in");
    b
}

async fn english(app: &TestApp, b: &reqwest::Client) {
    let r = b.get(app.url("/lang/en?next=/")).send().await.unwrap();
    assert!(r.status().is_redirection());
}

async fn page(b: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = b.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Posts a form with the CSRF token of `from_page`; returns the status, location and body.
async fn submit(
    b: &reqwest::Client,
    app: &TestApp,
    from_page: &str,
    path: &str,
    fields: &[(String, String)],
) -> (u16, String, String) {
    let (_, html) = page(b, app, from_page).await;
    let mut form = vec![("csrf".to_string(), csrf_of(&html))];
    form.extend_from_slice(fields);
    let r = b.post(app.url(path)).form(&form).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn state_of(app: &TestApp, id: i64) -> String {
    let d = app.state.store.dossier(id).await.unwrap().unwrap();
    d.state.as_str().to_string()
}

#[tokio::test]
async fn a_producer_opens_fills_and_files_a_dossier_and_others_cannot_see_it() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let b = signed_in(&app, &fx.producer).await;

    let (s, html) = page(&b, &app, "/evaluation").await;
    assert_eq!(s, 200);
    assert!(html.contains("id=\"nav-evaluation\"") && html.contains("Đánh giá OCOP"));
    assert!(html.contains("href=\"/cycles\"") && !html.contains("/rounds"));

    let new = format!("/dossiers/new?product_id={}", fx.product);
    let (s, html) = page(&b, &app, &new).await;
    assert_eq!(s, 200);
    assert!(html.contains(PRODUCT));
    let product = fx.product.to_string();
    let (s, location, _) = submit(
        &b,
        &app,
        &new,
        "/dossiers/new",
        &pairs(&[("product_id", &product), ("kind", "upgrade")]),
    )
    .await;
    assert_eq!(s, 422, "an upgrade needs a certificate");
    assert!(location.is_empty());
    let (s, location, _) = submit(
        &b,
        &app,
        &new,
        "/dossiers/new",
        &pairs(&[("product_id", &product), ("kind", "first_time")]),
    )
    .await;
    assert_eq!(s, 303);
    assert!(
        location.ends_with("/self-assessment?done=created"),
        "{location}"
    );
    let id: i64 = location.split('/').nth(2).unwrap().parse().unwrap();
    let form02 = format!("/dossiers/{id}/self-assessment");
    let (_, html) = page(&b, &app, &location).await;
    assert!(html.contains("Phiếu tự đánh giá (Mẫu 02)") && html.contains("Đã lập hồ sơ."));
    assert!(html.contains("name=\"e:1.1\""), "evidence per criterion");

    // Everything but 1.2, then "save and file": the page names the criterion.
    let mut answers = best_answers(1);
    answers.remove("1.2");
    let mut f = fields(&answers);
    f.push(("e:1.1".into(), "Hợp đồng thu mua".into()));
    f.push(("then".into(), "submit".into()));
    let (s, _, html) = submit(&b, &app, &form02, &form02, &f).await;
    assert_eq!(s, 422);
    assert!(html.contains("Chưa trả lời tiêu chí 1.2"), "{html}");
    assert!(html.contains("ev-criterion ev-invalid\" id=\"c-1-2\""));
    assert_eq!(state_of(&app, id).await, "draft");
    let d = app.state.store.dossier(id).await.unwrap().unwrap();
    assert_eq!(
        d.self_assessment["evidence"]["1.1"], "Hợp đồng thu mua",
        "saved"
    );

    // A CSRF-less post changes nothing.
    let r = b
        .post(app.url(&format!("/dossiers/{id}/step/submit")))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("Biểu mẫu đã hết hạn"));
    assert_eq!(state_of(&app, id).await, "draft");

    let mut f = fields(&best_answers(1));
    f.push(("then".into(), "submit".into()));
    let (s, location, _) = submit(&b, &app, &form02, &form02, &f).await;
    assert_eq!(
        (s, location.as_str()),
        (303, &*format!("/dossiers/{id}?done=submit"))
    );
    let (_, html) = page(&b, &app, &location).await;
    assert!(html.contains("Đã nộp hồ sơ.") && html.contains("Đã nộp, chờ xã kiểm tra"));
    assert!(html.contains("id=\"commune-due\""));
    assert!(!html.contains("step/submit"), "no second filing");
    let (_, html) = page(&b, &app, &form02).await;
    assert!(html.contains("id=\"form02-readonly\"") && !html.contains("form02-form"));

    // Another organization's producer learns nothing; the commune sees it waiting.
    let other = signed_in(&app, &fx.other_producer).await;
    let (s, _) = page(&other, &app, &format!("/dossiers/{id}")).await;
    assert_eq!(s, 404);
    let (s, _) = page(&other, &app, &form02).await;
    assert_eq!(s, 404);
    let (_, html) = page(&other, &app, "/dossiers").await;
    assert!(!html.contains(PRODUCT));
    let officer = signed_in(&app, &fx.officer).await;
    let (_, html) = page(&officer, &app, "/dossiers?state=submitted").await;
    assert!(html.contains(PRODUCT));
    let (_, html) = page(&officer, &app, "/evaluation").await;
    assert!(html.contains("id=\"waiting-count\">1<"), "{html}");
}

#[tokio::test]
async fn the_commune_checks_and_refusals_are_explained_on_the_page_in_english() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let id = open(&app, &fx, &best_answers(1)).await;
    step(&app, &fx.producer, id, StepInput::Submit).await;
    let b = signed_in(&app, &fx.officer).await;
    english(&app, &b).await;
    let here = format!("/dossiers/{id}");
    let (_, html) = page(&b, &app, &here).await;
    assert!(html.contains("Filed, waiting for the commune"));
    assert!(html.contains("id=\"form-commune-check\""));

    let check = format!("/dossiers/{id}/step/commune-check");
    let mut typed = pairs(&[
        ("local_origin", "Xã Đường Hoa"),
        ("raw_materials", "Rừng Ba Chẽ"),
        ("local_labour", "12 lao động"),
        ("idea_origin", ""),
    ]);
    let (s, _, html) = submit(&b, &app, &here, &check, &typed).await;
    assert_eq!(s, 422);
    assert!(
        html.contains("report (Form 03) needs all four answers."),
        "{html}"
    );
    assert!(html.contains("Rừng Ba Chẽ"), "what was typed stays");
    typed[3].1 = "Chủ thể".into();
    let (s, location, _) = submit(&b, &app, &here, &check, &typed).await;
    assert_eq!(
        (s, location.as_str()),
        (303, &*format!("{here}?done=commune-check"))
    );
    let (_, html) = page(&b, &app, &location).await;
    assert!(html.contains("Checked and forwarded to the province."));
    assert!(html.contains("Rừng Ba Chẽ"), "Form 03 shown");

    // The commune no longer returns it: refused in words, not a 500.
    let ret = format!("/dossiers/{id}/step/return");
    let due = (today() + chrono::Days::new(10)).to_string();
    let f = pairs(&[("reason", "Thiếu ảnh"), ("due_on", &due)]);
    let (s, _, html) = submit(&b, &app, &here, &ret, &f).await;
    assert_eq!(s, 409);
    assert!(
        html.contains("This step cannot be taken in the dossier"),
        "{html}"
    );
    let (s, _, _) = submit(&b, &app, &here, &format!("/dossiers/{id}/step/fly"), &f).await;
    assert_eq!(s, 404);

    // The office returns it, with a due date after today.
    let admin = signed_in(&app, &fx.admin).await;
    let past = (today() - chrono::Days::new(1)).to_string();
    let (s, _, html) = submit(
        &admin,
        &app,
        &here,
        &ret,
        &pairs(&[("reason", "Thiếu ảnh sản phẩm"), ("due_on", &past)]),
    )
    .await;
    assert_eq!(s, 422);
    assert!(
        html.contains("Hạn bổ sung phải là một ngày sau hôm nay.")
            && html.contains("Thiếu ảnh sản phẩm")
    );
    let (s, _, _) = submit(
        &admin,
        &app,
        &here,
        &ret,
        &pairs(&[("reason", "Thiếu ảnh sản phẩm"), ("due_on", &due)]),
    )
    .await;
    assert_eq!(s, 303);
    let producer = signed_in(&app, &fx.producer).await;
    let (_, html) = page(&producer, &app, &here).await;
    assert!(html.contains("Trả lại để bổ sung") && html.contains("Thiếu ảnh sản phẩm"));
    assert!(html.contains("id=\"step-submit\""), "it may be filed again");
}

#[tokio::test]
async fn council_members_score_on_their_sheets_and_the_secretary_consolidates() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let id = open(&app, &fx, &best_answers(1)).await;
    step(&app, &fx.producer, id, StepInput::Submit).await;
    step(&app, &fx.officer, id, report()).await;

    // The office names a round; a council with two chairs is explained.
    let admin = signed_in(&app, &fx.admin).await;
    let (_, html) = page(&admin, &app, "/rounds").await;
    assert!(html.contains("Trần Chủ Tịch") && !html.contains("lan@cheduonghoa.vn"));
    let held = (today() + chrono::Days::new(30)).to_string();
    let (chair, secretary) = (fx.chair.id.to_string(), fx.secretary.id.to_string());
    let mut f = pairs(&[
        ("name", "Đợt 1 năm 2026"),
        ("held_by", &held),
        ("user_0", &chair),
        ("role_0", "chair"),
        ("user_1", &secretary),
        ("role_1", "chair"),
        ("user_2", ""),
        ("role_2", "member"),
    ]);
    let (s, _, html) = submit(&admin, &app, "/rounds", "/rounds", &f).await;
    assert_eq!(s, 422);
    assert!(html.contains("đúng một chủ tịch và một thư ký"));
    f[5].1 = "secretary".into();
    let (s, location, _) = submit(&admin, &app, "/rounds", "/rounds", &f).await;
    assert_eq!(s, 303);
    let round: i64 = location
        .trim_start_matches("/rounds/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let here = format!("/dossiers/{id}");
    let (s, _, _) = submit(
        &admin,
        &app,
        &here,
        &format!("/dossiers/{id}/step/assign"),
        &pairs(&[("round_id", &round.to_string())]),
    )
    .await;
    assert_eq!(s, 303);

    // Only the council reaches the sheet.
    let sheet = format!("/dossiers/{id}/sheet");
    let outsider = signed_in(&app, &fx.outsider).await;
    assert_eq!(page(&outsider, &app, &sheet).await.0, 404);
    assert_eq!(page(&outsider, &app, &here).await.0, 404);
    assert_eq!(page(&admin, &app, &sheet).await.0, 403);

    let chair_b = signed_in(&app, &fx.chair).await;
    let (_, html) = page(&chair_b, &app, &format!("/rounds/{round}")).await;
    assert!(html.contains(&format!("href=\"/dossiers/{id}/sheet\"")));
    let (s, html) = page(&chair_b, &app, &sheet).await;
    assert_eq!(s, 200);
    assert!(
        html.contains("tối thiểu ★★★") && html.contains("Nộp phiếu") && html.contains("Lưu nháp")
    );
    assert!(
        html.contains("name=\"s:2.1\""),
        "a stop rule box where the rubric has one"
    );
    assert!(!html.contains("name=\"s:1.1\""), "and none elsewhere");
    assert!(
        html.contains("Giả mạo hồ sơ"),
        "the disqualification conditions"
    );

    let mut partial = best_answers(1);
    partial.remove("2.1");
    let mut f = fields(&partial);
    f.push(("action".into(), "submit".into()));
    let (s, _, html) = submit(&chair_b, &app, &sheet, &sheet, &f).await;
    assert_eq!(s, 422);
    assert!(html.contains("Chưa trả lời tiêu chí 2.1"), "{html}");
    f.pop();
    f.push(("action".into(), "save".into()));
    f.push(("notes".into(), "Sản phẩm tốt".into()));
    let (s, location, _) = submit(&chair_b, &app, &sheet, &sheet, &f).await;
    assert_eq!(
        (s, location.as_str()),
        (303, &*format!("{sheet}?done=saved"))
    );
    let (_, html) = page(&chair_b, &app, &location).await;
    assert!(html.contains("Đã lưu nháp") && html.contains("Sản phẩm tốt"));

    // The secretary cannot consolidate before every sheet is in.
    let sec_b = signed_in(&app, &fx.secretary).await;
    let (_, html) = page(&sec_b, &app, &here).await;
    assert!(html.contains("0 trong 2 thành viên đã nộp phiếu"), "{html}");
    let consolidate = format!("/dossiers/{id}/step/consolidate");
    let (s, _, html) = submit(&sec_b, &app, &here, &consolidate, &[]).await;
    assert_eq!(s, 422);
    assert!(html.contains("Chưa đủ phiếu"));

    let mut f = fields(&best_answers(1));
    f.push(("action".into(), "submit".into()));
    let (s, _, _) = submit(&chair_b, &app, &sheet, &sheet, &f).await;
    assert_eq!(s, 303);
    let (_, html) = page(&chair_b, &app, &sheet).await;
    assert!(html.contains("id=\"sheet-locked\"") && !html.contains("id=\"sheet-form\""));
    hand_in(&app, &fx.secretary, id, &four_star_answers(1), true).await;

    let (_, html) = page(&sec_b, &app, &here).await;
    assert!(html.contains("2 trong 2 thành viên đã nộp phiếu"));
    let (s, location, _) = submit(&sec_b, &app, &here, &consolidate, &pairs(&[("dq", "0")])).await;
    assert_eq!(s, 303, "the secretary consolidates");
    let (_, html) = page(&sec_b, &app, &location).await;
    assert!(
        html.contains("Hồ sơ bị loại") && html.contains("Không xếp hạng"),
        "{html}"
    );
    assert!(
        html.contains("Trần Chủ Tịch"),
        "each member's total by name"
    );
    assert_eq!(state_of(&app, id).await, "scored");
    let (_, html) = page(&admin, &app, &format!("/rounds/{round}")).await;
    assert!(
        html.contains("id=\"round-ranking\""),
        "the round ranks its results"
    );
    assert!(
        html.contains("Không xếp hạng"),
        "a disqualified dossier is listed unranked"
    );
    let r = admin
        .get(app.url(&format!("/rounds/{round}/ranking.xlsx")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"), "an .xlsx file");
    let (s, csv) = page(&admin, &app, &format!("/rounds/{round}/ranking.csv")).await;
    assert_eq!(s, 200);
    assert!(
        csv.contains(PRODUCT) && csv.contains("Không xếp hạng"),
        "{csv}"
    );
    let (s, _) = page(&admin, &app, &format!("/rounds/{round}/ranking.pdf")).await;
    assert_eq!(s, 422, "only xlsx and csv");

    // Not ranked: the office declines it, and may not recognize it.
    let (_, html) = page(&admin, &app, &here).await;
    assert!(html.contains("id=\"step-decline\"") && !html.contains("id=\"step-recognize\""));
    let (s, _, _) = submit(
        &admin,
        &app,
        &here,
        &format!("/dossiers/{id}/step/decline"),
        &[],
    )
    .await;
    assert_eq!(s, 303);
    assert_eq!(state_of(&app, id).await, "not_recognized");
}

#[tokio::test]
async fn a_five_star_result_is_forwarded_not_recognized_by_the_province() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let (id, _) = in_round(&app, &fx).await;
    for u in [&fx.chair, &fx.secretary] {
        hand_in(&app, u, id, &best_answers(1), true).await;
    }
    let admin = signed_in(&app, &fx.admin).await;
    english(&app, &admin).await;
    let here = format!("/dossiers/{id}");
    let (s, location, _) = submit(
        &admin,
        &app,
        &here,
        &format!("/dossiers/{id}/step/consolidate"),
        &[],
    )
    .await;
    assert_eq!(s, 303, "the office consolidates too");
    let (_, html) = page(&admin, &app, &location).await;
    assert!(html.contains("The central level (5 stars)") && html.contains("★★★★★"));
    assert!(html.contains("id=\"step-forward\"") && !html.contains("id=\"step-recognize\""));
    let day = today().to_string();
    let (s, _, html) = submit(
        &admin,
        &app,
        &here,
        &format!("/dossiers/{id}/step/recognize"),
        &pairs(&[("decision_number", "1/QĐ"), ("decided_on", &day)]),
    )
    .await;
    assert_eq!(s, 409, "only the central level recognizes 5★");
    assert!(
        html.contains("only the central council recognizes"),
        "{html}"
    );
    let (s, location, _) = submit(
        &admin,
        &app,
        &here,
        &format!("/dossiers/{id}/step/forward"),
        &[],
    )
    .await;
    assert_eq!(s, 303);
    let (_, html) = page(&admin, &app, &location).await;
    assert!(html.contains("Forwarded to the central council."));
    assert_eq!(state_of(&app, id).await, "forwarded");
}

#[tokio::test]
async fn a_certificate_shows_its_stars_only_while_valid() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let (id, _) = in_round(&app, &fx).await;
    for u in [&fx.chair, &fx.secretary] {
        hand_in(&app, u, id, &four_star_answers(1), true).await;
    }
    step(
        &app,
        &fx.secretary,
        id,
        StepInput::Consolidate {
            disqualified_if: vec![],
        },
    )
    .await;

    let admin = signed_in(&app, &fx.admin).await;
    let here = format!("/dossiers/{id}");
    let (_, html) = page(&admin, &app, &here).await;
    assert!(html.contains("id=\"recognize-stars\">★★★★<"), "{html}");
    assert!(!html.contains("step-forward"), "4★ stays in the province");
    let day = today().to_string();
    let (s, location, _) = submit(
        &admin,
        &app,
        &here,
        &format!("/dossiers/{id}/step/recognize"),
        &pairs(&[("decision_number", "1234/QĐ-UBND"), ("decided_on", &day)]),
    )
    .await;
    assert_eq!(s, 303);
    let (_, html) = page(&admin, &app, &location).await;
    let at = html.find("id=\"certificate-number\">").unwrap() + "id=\"certificate-number\">".len();
    let number = html[at..].split('<').next().unwrap().to_string();
    let check = format!("/certificates/{number}");

    // Anyone checks it, without signing in.
    let public = reqwest::Client::new();
    let (s, html) = page(&public, &app, &check).await;
    assert_eq!(s, 200);
    assert!(html.contains("Còn hiệu lực") && html.contains("★★★★") && html.contains(PRODUCT));
    let json: Value = public
        .get(app.url(&check))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (json["status"].as_str(), json["stars"].as_i64()),
        (Some("valid"), Some(4))
    );
    let r = public
        .get(app.url(&format!("{check}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let doc = lopdf::Document::load_mem(&r.bytes().await.unwrap()).unwrap();
    assert!(doc.extract_text(&[1]).unwrap().contains(PRODUCT));
    assert_eq!(
        page(&public, &app, "/certificates/OCOP-00-0000-00000")
            .await
            .0,
        404
    );

    // The producer may not revoke; the office explains empty grounds, then revokes.
    let producer = signed_in(&app, &fx.producer).await;
    let (_, html) = page(&producer, &app, &check).await;
    assert!(!html.contains("revoke-form"));
    let revoke = format!("{check}/revoke");
    let (s, _, _) = submit(
        &producer,
        &app,
        &check,
        &revoke,
        &pairs(&[("grounds", "x")]),
    )
    .await;
    assert_eq!(s, 403);
    let (_, html) = page(&admin, &app, &check).await;
    assert!(html.contains("id=\"revoke-form\""));
    let (s, _, html) = submit(&admin, &app, &check, &revoke, &pairs(&[("grounds", " ")])).await;
    assert_eq!(s, 422);
    assert!(
        html.contains("Hãy ghi căn cứ của quyết định thu hồi"),
        "{html}"
    );
    let (s, location, _) = submit(
        &admin,
        &app,
        &check,
        &revoke,
        &pairs(&[("grounds", "Sử dụng sai nhãn OCOP")]),
    )
    .await;
    assert_eq!(s, 303);
    let (_, html) = page(&admin, &app, &location).await;
    assert!(html.contains("Đã thu hồi giấy chứng nhận."));

    let (_, html) = page(&public, &app, &check).await;
    assert!(html.contains("Đã bị thu hồi") && html.contains("Sử dụng sai nhãn OCOP"));
    assert!(!html.contains('★'), "no stars once revoked");
    let en = reqwest::Client::new()
        .get(app.url(&check))
        .header("cookie", "ocop_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("Revoked") && !en.contains('★'));
    let json: Value = public
        .get(app.url(&check))
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["status"], "revoked");
    assert!(json["stars"].is_null());
    let r = public
        .get(app.url(&format!("{check}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 410);
    assert!(!r.text().await.unwrap().contains('★'));
    let (_, html) = page(&admin, &app, &here).await;
    assert!(html.contains("Không còn hiệu lực") && !html.contains("certificate-pdf"));

    let (s, html) = page(&admin, &app, "/certificates/expiring").await;
    assert_eq!(s, 200);
    assert!(html.contains("Không có giấy chứng nhận nào sắp hết hạn."));
    assert_eq!(
        page(&producer, &app, "/certificates/expiring").await.0,
        200,
        "a producer reads its own notices"
    );
}

#[tokio::test]
async fn certificate_notices_reach_the_producer_and_its_offices() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let today = today();
    // One certificate expires in 10 days, another is 150 days from expiry (re-evaluation window).
    for (number, days_left) in [("QN-EXP-10", 10), ("QN-EXP-150", 150)] {
        let expires_on = today + chrono::Days::new(days_left);
        let new = ocop_store::NewCertificate {
            product_id: fx.product,
            number: number.into(),
            stars: 4,
            decision_number: "1/QĐ-UBND".into(),
            decided_on: expires_on - chrono::Months::new(36),
            expires_on,
            recorded_by: None,
        };
        let audit = Requester::Operator.audit("certificate_recorded", None, json!({}));
        app.state
            .store
            .record_certificate(&new, &audit)
            .await
            .unwrap();
    }
    for user in [&fx.producer, &fx.officer, &fx.admin] {
        let b = signed_in(&app, user).await;
        let (s, html) = page(&b, &app, "/certificates/expiring").await;
        assert_eq!(s, 200);
        assert!(
            html.contains("QN-EXP-10") && html.contains("data-notice=\"expires_soon\""),
            "{}",
            user.email
        );
        assert!(
            html.contains("QN-EXP-150") && html.contains("data-notice=\"reevaluation_open\""),
            "{}",
            user.email
        );
    }
    let b = signed_in(&app, &fx.other_producer).await;
    let (_, html) = page(&b, &app, "/certificates/expiring").await;
    assert!(
        !html.contains("QN-EXP-10"),
        "another producer's notices stay its own"
    );
    let b = signed_in(&app, &fx.chair).await;
    assert_eq!(page(&b, &app, "/certificates/expiring").await.0, 403);
}

#[tokio::test]
async fn evidence_files_are_uploaded_on_form_02_and_downloaded_by_those_who_see_the_dossier() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let id = open(&app, &fx, &best_answers(1)).await;
    let b = signed_in(&app, &fx.producer).await;
    let (status, html) = page(&b, &app, &format!("/dossiers/{id}/self-assessment")).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"no-evidence\""), "no files yet");
    let csrf = csrf_of(&html);
    let pdf: &'static [u8] = b"%PDF-1.4\n% hop dong\n";
    let upload = |csrf: String| {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .text("criterion", "1.1")
            .part(
                "file",
                reqwest::multipart::Part::bytes(pdf).file_name("hợp đồng thu mua.pdf"),
            );
        b.post(app.url(&format!("/dossiers/{id}/evidence")))
            .multipart(form)
            .send()
    };
    let r = upload("wrong".into()).await.unwrap();
    assert_eq!(
        r.status(),
        403,
        "a multipart form still needs its CSRF token"
    );
    let r = upload(csrf).await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, html) = page(
        &b,
        &app,
        &format!("/dossiers/{id}/self-assessment?done=evidence"),
    )
    .await;
    assert!(html.contains("hợp đồng thu mua.pdf"), "the file is listed");
    assert!(html.contains("Đã tải lên tệp minh chứng."));
    let files = app.state.store.evidence(id).await.unwrap();
    assert_eq!(files.len(), 1);
    let link = format!("/dossiers/{id}/evidence/{}", files[0].id);
    let r = b.get(app.url(&link)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), pdf);
    let stranger = signed_in(&app, &fx.other_producer).await;
    let (status, _) = page(&stranger, &app, &link).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_criteria_sets_are_readable_with_their_source_oddities() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let b = signed_in(&app, &fx.producer).await;
    let (status, html) = page(&b, &app, "/criteria").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tương, nước mắm, gia vị dạng lỏng khác"));
    let (status, html) = page(&b, &app, "/criteria/4").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"source-flags\""),
        "set 4's oddities are shown"
    );
    assert!(
        html.contains("13"),
        "the option worth 13 in the source is named"
    );
    assert!(
        html.contains("Giả mạo hồ sơ"),
        "the disqualification conditions are listed"
    );
    let (status, _) = page(&b, &app, "/criteria/27").await;
    assert_eq!(status, 404);
    let (status, _) = page(&b, &app, "/criteria/x").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_public_certificate_check_is_rate_limited_per_network() {
    let app = crate::support::spawn_app_with(2).await;
    let fx = fixture(&app).await;
    let decided_on = today();
    let new = ocop_store::NewCertificate {
        product_id: fx.product,
        number: "QN-RATE-1".into(),
        stars: 3,
        decision_number: "5/QĐ-UBND".into(),
        decided_on,
        expires_on: ocop_domain::certificate::expiry(decided_on),
        recorded_by: None,
    };
    let audit = Requester::Operator.audit("certificate_recorded", None, json!({}));
    app.state
        .store
        .record_certificate(&new, &audit)
        .await
        .unwrap();
    let c = reqwest::Client::new();
    let url = app.url("/certificates/QN-RATE-1");
    assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
    assert_eq!(
        c.get(format!("{url}/pdf")).send().await.unwrap().status(),
        200
    );
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(
        r.status(),
        429,
        "the third check from one network within a minute"
    );
    assert!(
        r.text().await.unwrap().contains("<html"),
        "a friendly page, not a bare status"
    );
    let r = c
        .get(&url)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn a_dossiers_page_shows_its_history_by_name() {
    let app = spawn_app().await;
    let fx = fixture(&app).await;
    let id = open(&app, &fx, &best_answers(1)).await;
    step(&app, &fx.producer, id, StepInput::Submit).await;
    step(&app, &fx.officer, id, report()).await;
    let b = signed_in(&app, &fx.producer).await;
    let (_, html) = page(&b, &app, &format!("/dossiers/{id}")).await;
    let history = &html[html.find("id=\"history\"").expect("a history section")..];
    let opened = history.find("Lập hồ sơ (Mẫu 01)").unwrap();
    let filed = history.find("Nộp hồ sơ").unwrap();
    let checked = history.find("Xã kiểm tra, xác nhận (Mẫu 03)").unwrap();
    assert!(opened < filed && filed < checked, "oldest first");
    assert!(
        history.contains(&fx.officer.name),
        "who checked it, by name"
    );
    assert!(
        !history.contains(&fx.officer.email),
        "never the e-mail address"
    );
}
