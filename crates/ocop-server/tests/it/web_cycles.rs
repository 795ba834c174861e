//! The yearly cycle's pages over HTTP: an office opens the cycle, a producer submits an idea,
//! an officer returns it with a reason, the producer resubmits, the idea is accepted, a plan
//! follows it and receives a loan; states read in Vietnamese and English; refusals are
//! friendly and scopes hold.

use crate::support::{csrf_of, spawn_app, TestApp, PASSWORD};
use chrono::{Datelike, Duration, Utc};

async fn page(b: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = b.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Posts a form with the CSRF token of `from_page`; returns the status, the redirect target
/// and the body.
async fn submit(
    b: &reqwest::Client,
    app: &TestApp,
    from_page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let (status, html) = page(b, app, from_page).await;
    assert_eq!(status, 200, "{from_page}: {html}");
    let csrf = csrf_of(&html);
    let mut form = vec![("csrf", csrf.as_str())];
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

async fn browser_for(app: &TestApp, email: &str) -> reqwest::Client {
    let b = app.browser();
    let r = app.sign_in(&b, email, PASSWORD).await;
    assert_eq!(r.status().as_u16(), 303, "{email} signs in");
    b
}

/// The id at the end of a redirect such as `/ideas/7?done=submitted`.
fn id_in(location: &str, prefix: &str) -> i64 {
    let rest = location
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("{location} does not start with {prefix}"));
    rest.split('?').next().unwrap().parse().unwrap()
}

/// The rows of a cycle's lists: how many times a title appears as a link.
fn listed(html: &str, title: &str) -> bool {
    html.contains(&format!(">{title}</a>"))
}

#[tokio::test]
async fn the_yearly_cycle_from_idea_to_loan() {
    let app = spawn_app().await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let other_org = app.organization("HTX Nước Mắm Cái Rồng", "06946").await;
    app.user("admin@qn.vn", "admin", Some("22"), None).await;
    app.user("officer@qn.vn", "officer", Some("06946"), None)
        .await;
    app.user("producer@qn.vn", "producer", None, Some(org))
        .await;
    app.user("other@qn.vn", "producer", None, Some(other_org))
        .await;
    app.user("inspector@qn.vn", "inspector", Some("22"), None)
        .await;
    app.user("evaluator@qn.vn", "evaluator", Some("22"), None)
        .await;

    // The office opens the year's cycle, now in its second step (ideas).
    let admin = browser_for(&app, "admin@qn.vn").await;
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let d = |days: i64| (today + Duration::days(days)).to_string();
    let year = today.year().to_string();
    let (s1, s2, s3, s4, s5, s6) = (d(-30), d(-5), d(30), d(60), d(90), d(120));
    let open = [
        ("year", year.as_str()),
        ("theme", "Đặc sản gắn với du lịch"),
        ("step1", &s1),
        ("step2", &s2),
        ("step3", &s3),
        ("step4", &s4),
        ("step5", &s5),
        ("step6", &s6),
    ];
    let (status, location, _) = submit(&admin, &app, "/cycles", "/cycles", &open).await;
    assert_eq!(status, 303);
    let cycle = id_in(&location, "/cycles/");
    let cycle_page = format!("/cycles/{cycle}");
    let (_, html) = page(&admin, &app, &location).await;
    assert!(html.contains("Đã mở chu trình."), "{html}");
    let (_, html) = page(&admin, &app, "/cycles").await;
    assert!(
        html.contains("Đặc sản gắn với du lịch") && html.contains("Quảng Ninh"),
        "{html}"
    );
    for step in [
        "Tuyên truyền, hướng dẫn",
        "Nhận ý tưởng sản phẩm",
        "Nhận kế hoạch kinh doanh",
        "Triển khai kế hoạch",
        "Đánh giá và xếp hạng",
        "Xúc tiến thương mại",
    ] {
        assert!(html.contains(step), "{step}");
    }
    assert!(
        html.contains(r#"aria-current="step" class="current" data-step="2""#),
        "today is in step 2: {html}"
    );
    assert_eq!(html.matches(r#"aria-current="step""#).count(), 1);

    // A second cycle for the same year is refused beside the form, in Vietnamese.
    let (status, _, html) = submit(&admin, &app, "/cycles", "/cycles", &open).await;
    assert_eq!(status, 409);
    assert!(
        html.contains("Tỉnh này đã có chu trình cho năm này."),
        "{html}"
    );
    // Steps out of order, too.
    let mut disorder = open.to_vec();
    disorder[0] = ("year", "2099");
    disorder[3] = ("step2", &s1);
    disorder[2] = ("step1", &s2);
    let (status, _, html) = submit(&admin, &app, "/cycles", "/cycles", &disorder).await;
    assert_eq!(status, 422);
    assert!(html.contains("phải theo đúng thứ tự"), "{html}");

    // The producer submits an idea for its own organization.
    let producer = browser_for(&app, "producer@qn.vn").await;
    let (_, html) = page(&producer, &app, &cycle_page).await;
    assert!(
        html.contains("HTX Chè Đường Hoa") && html.contains("idea-form"),
        "{html}"
    );
    let (status, location, _) = submit(
        &producer,
        &app,
        &cycle_page,
        &format!("/cycles/{cycle}/ideas"),
        &[
            ("title", "Trà hoa vàng"),
            ("summary", "Trà từ hoa vàng trồng dưới tán rừng."),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let idea = id_in(&location, "/ideas/");
    let idea_page = format!("/ideas/{idea}");
    let (_, html) = page(&producer, &app, &location).await;
    assert!(
        html.contains("Đang chờ xét") && html.contains("Trà hoa vàng"),
        "{html}"
    );
    assert!(!html.contains("screen-form"), "producers do not screen");

    // The officer returns it: without a reason, a friendly refusal; with one, done.
    let officer = browser_for(&app, "officer@qn.vn").await;
    let screening = format!("/ideas/{idea}/screening");
    let (status, _, html) = submit(
        &officer,
        &app,
        &idea_page,
        &screening,
        &[("decision", "return"), ("reason", "  ")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Hãy ghi lý do khi trả lại hoặc từ chối"),
        "{html}"
    );
    assert!(html.contains("Đang chờ xét"), "still waiting: {html}");
    let reason = "Bổ sung nguồn nguyên liệu tại xã.";
    let (status, location, _) = submit(
        &officer,
        &app,
        &idea_page,
        &screening,
        &[("decision", "return"), ("reason", reason)],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("{idea_page}?done=screened").as_str())
    );

    // The producer reads the reason and resubmits.
    let (_, html) = page(&producer, &app, &idea_page).await;
    assert!(
        html.contains("Đã trả lại") && html.contains(reason),
        "{html}"
    );
    assert!(html.contains("resubmit-form"), "{html}");
    let (status, _, _) = submit(
        &producer,
        &app,
        &idea_page,
        &format!("/ideas/{idea}/resubmission"),
        &[
            ("title", "Trà hoa vàng Ba Chẽ"),
            ("summary", "Nguyên liệu hoa vàng của các hộ trong xã."),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&producer, &app, &idea_page).await;
    assert!(
        !html.contains(reason),
        "the old reason no longer holds: {html}"
    );
    assert!(
        html.contains("Trà hoa vàng Ba Chẽ") && html.contains("Đang chờ xét"),
        "{html}"
    );

    // A producer never screens, even its own idea: a message on the page, nothing changed.
    let (status, _, html) = submit(
        &producer,
        &app,
        &idea_page,
        &screening,
        &[("decision", "accept"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        html.contains("Vai trò của bạn không làm được việc này"),
        "{html}"
    );
    assert!(html.contains("Đang chờ xét"), "{html}");

    // The officer accepts.
    let (status, _, _) = submit(
        &officer,
        &app,
        &idea_page,
        &screening,
        &[("decision", "accept"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&producer, &app, &idea_page).await;
    assert!(
        html.contains("Đã chấp nhận") && html.contains("plan-for-idea"),
        "{html}"
    );

    // The producer submits a plan for the idea, chosen already on the form.
    let prefilled = format!("/cycles/{cycle}?idea={idea}");
    let (_, html) = page(&producer, &app, &prefilled).await;
    assert!(
        html.contains(&format!(
            r#"<option value="{idea}" selected>Trà hoa vàng Ba Chẽ"#
        )),
        "{html}"
    );
    let idea_id = idea.to_string();
    let (status, location, _) = submit(
        &producer,
        &app,
        &prefilled,
        &format!("/cycles/{cycle}/plans"),
        &[
            ("idea_id", &idea_id),
            ("title", "Kế hoạch trà hoa vàng 2026"),
            ("summary", "Xưởng sấy, bao bì và tem truy xuất."),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let plan = id_in(&location, "/plans/");
    let plan_page = format!("/plans/{plan}");
    let (_, html) = page(&producer, &app, &plan_page).await;
    assert!(
        html.contains(&format!(r#"href="/ideas/{idea}" id="idea-link""#)),
        "{html}"
    );

    // The office accepts it and records a loan, written the Vietnamese way.
    let (status, _, _) = submit(
        &admin,
        &app,
        &plan_page,
        &format!("/plans/{plan}/screening"),
        &[("decision", "accept"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 303);
    let support = format!("/plans/{plan}/support");
    let (status, _, html) = submit(
        &admin,
        &app,
        &plan_page,
        &support,
        &[
            ("kind", "loan"),
            ("description", "Vay ưu đãi mua máy sấy"),
            ("amount_vnd", "50,00"),
            ("given_on", "2026-05-01"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Số tiền viết bằng chữ số"), "{html}");
    assert!(
        html.contains("Vay ưu đãi mua máy sấy"),
        "what was typed stays: {html}"
    );
    let (status, _, _) = submit(
        &admin,
        &app,
        &plan_page,
        &support,
        &[
            ("kind", "loan"),
            ("description", "Vay ưu đãi mua máy sấy"),
            ("amount_vnd", "50.000.000"),
            ("given_on", "2026-05-01"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&producer, &app, &plan_page).await;
    assert!(
        html.contains("Đã chấp nhận") && html.contains("Vay vốn"),
        "{html}"
    );
    assert!(
        html.contains("50.000.000 ₫") && html.contains("01/05/2026"),
        "{html}"
    );
    assert!(
        !html.contains("support-form"),
        "producers do not record support"
    );

    // The cycle counts and filters by state.
    let (_, html) = page(&admin, &app, &cycle_page).await;
    assert!(
        html.contains("Đã chấp nhận (2)") && html.contains("Đã trả lại (0)"),
        "{html}"
    );
    let (_, html) = page(&admin, &app, &format!("{cycle_page}?state=submitted")).await;
    assert!(!listed(&html, "Trà hoa vàng Ba Chẽ"), "{html}");
    let (_, html) = page(&admin, &app, &format!("{cycle_page}?state=accepted")).await;
    assert!(listed(&html, "Trà hoa vàng Ba Chẽ") && listed(&html, "Kế hoạch trà hoa vàng 2026"));

    // And in English.
    let r = producer
        .get(app.url(&format!("/lang/en?next={plan_page}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let (_, html) = page(&producer, &app, &plan_page).await;
    assert!(html.contains("Accepted") && html.contains("Loan"), "{html}");
    assert!(html.contains("Support given to the plan"), "{html}");
    let (_, html) = page(&producer, &app, &cycle_page).await;
    assert!(
        html.contains("Product ideas") && html.contains("Trade promotion"),
        "{html}"
    );
    assert!(html.contains("Accepted (2)"), "{html}");
}

#[tokio::test]
async fn scopes_and_refusals() {
    let app = spawn_app().await;
    let org = app.organization("HTX Chè Đường Hoa", "06946").await;
    let other_org = app.organization("HTX Nước Mắm Cái Rồng", "06946").await;
    app.user("central@ocop.vn", "central", None, None).await;
    app.user("producer@qn.vn", "producer", None, Some(org))
        .await;
    app.user("other@qn.vn", "producer", None, Some(other_org))
        .await;
    app.user("inspector@qn.vn", "inspector", Some("22"), None)
        .await;
    app.user("evaluator@qn.vn", "evaluator", Some("22"), None)
        .await;
    app.user("officer@qn.vn", "officer", Some("06946"), None)
        .await;

    // Central users name the province; without one, a friendly message.
    let central = browser_for(&app, "central@ocop.vn").await;
    let (_, html) = page(&central, &app, "/cycles").await;
    assert!(html.contains(r#"name="province_code""#), "{html}");
    let steps = [
        ("year", "2026"),
        ("theme", "Chu trình thử"),
        ("step1", "2026-01-01"),
        ("step2", "2026-02-01"),
        ("step3", "2026-04-01"),
        ("step4", "2026-06-01"),
        ("step5", "2026-08-01"),
        ("step6", "2026-10-01"),
    ];
    let (status, _, html) = submit(&central, &app, "/cycles", "/cycles", &steps).await;
    assert_eq!(status, 422);
    assert!(html.contains("Hãy chọn tỉnh của chu trình."), "{html}");
    let mut with_province = steps.to_vec();
    with_province.push(("province_code", "22"));
    let (status, location, _) = submit(&central, &app, "/cycles", "/cycles", &with_province).await;
    assert_eq!(status, 303);
    let cycle = id_in(&location, "/cycles/");
    let cycle_page = format!("/cycles/{cycle}");

    // The officer submits an idea for an organization of its commune.
    let officer = browser_for(&app, "officer@qn.vn").await;
    let (_, html) = page(&officer, &app, &cycle_page).await;
    assert!(html.contains("HTX Nước Mắm Cái Rồng") && html.contains("HTX Chè Đường Hoa"));
    let (status, _, html) = submit(
        &officer,
        &app,
        &cycle_page,
        &format!("/cycles/{cycle}/ideas"),
        &[
            ("organization_id", ""),
            ("title", "Chè"),
            ("summary", "Chè"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Hãy chọn tổ chức kinh tế"), "{html}");
    let org_id = org.to_string();
    let (status, location, _) = submit(
        &officer,
        &app,
        &cycle_page,
        &format!("/cycles/{cycle}/ideas"),
        &[
            ("organization_id", &org_id),
            ("title", "Chè búp"),
            ("summary", "Chè búp sấy."),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let idea = id_in(&location, "/ideas/");
    let idea_page = format!("/ideas/{idea}");

    // A producer of another organization neither sees nor reaches it.
    let other = browser_for(&app, "other@qn.vn").await;
    let (status, html) = page(&other, &app, &idea_page).await;
    assert_eq!(status, 404, "{html}");
    assert!(html.contains("Không tìm thấy"), "a friendly page: {html}");
    let (status, _) = page(&other, &app, &format!("/plans/{idea}")).await;
    assert_eq!(status, 404);
    let (status, html) = page(&other, &app, "/ideas/abc").await;
    assert_eq!(status, 404);
    assert!(html.contains("Không tìm thấy"), "{html}");
    let (_, html) = page(&other, &app, &cycle_page).await;
    assert!(!listed(&html, "Chè búp"), "{html}");
    let (status, _, _) = submit(
        &other,
        &app,
        &cycle_page,
        &format!("/ideas/{idea}/resubmission"),
        &[("title", "x"), ("summary", "y")],
    )
    .await;
    assert_eq!(status, 404);
    // Its own producer does see it.
    let producer = browser_for(&app, "producer@qn.vn").await;
    let (status, html) = page(&producer, &app, &cycle_page).await;
    assert_eq!(status, 200);
    assert!(listed(&html, "Chè búp"), "{html}");

    // An inspector reads but cannot submit: no form, and a refusal on the page.
    let inspector = browser_for(&app, "inspector@qn.vn").await;
    let (_, html) = page(&inspector, &app, &cycle_page).await;
    assert!(
        listed(&html, "Chè búp") && !html.contains("idea-form"),
        "{html}"
    );
    let (status, _, html) = submit(
        &inspector,
        &app,
        &cycle_page,
        &format!("/cycles/{cycle}/ideas"),
        &[
            ("organization_id", &org_id),
            ("title", "Mực"),
            ("summary", "Mực"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        html.contains("Vai trò của bạn không làm được việc này"),
        "{html}"
    );
    let (_, html) = page(&inspector, &app, &idea_page).await;
    assert!(!html.contains("screen-form"), "{html}");

    // A council member does not work in the cycle at all.
    let evaluator = browser_for(&app, "evaluator@qn.vn").await;
    let (status, html) = page(&evaluator, &app, "/cycles").await;
    assert_eq!(status, 403);
    assert!(html.contains("Bạn không có quyền"), "{html}");
    let (status, _, _) = submit(
        &evaluator,
        &app,
        "/account",
        &format!("/cycles/{cycle}/ideas"),
        &[
            ("organization_id", &org_id),
            ("title", "Mực"),
            ("summary", "Mực"),
        ],
    )
    .await;
    assert_eq!(status, 404);

    // A form without its CSRF token is refused, and nothing is created.
    let r = producer
        .post(app.url(&format!("/cycles/{cycle}/ideas")))
        .form(&[("title", "Không token"), ("summary", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.text().await.unwrap().contains("Biểu mẫu đã hết hạn"));
    let (_, html) = page(&producer, &app, &cycle_page).await;
    assert!(!listed(&html, "Không token"), "{html}");

    // A plan may only follow an accepted idea.
    let idea_id = idea.to_string();
    let (status, _, html) = submit(
        &producer,
        &app,
        &cycle_page,
        &format!("/cycles/{cycle}/plans"),
        &[
            ("idea_id", &idea_id),
            ("title", "Kế hoạch"),
            ("summary", "Kế hoạch"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("ý tưởng đã chọn chưa được chấp nhận"),
        "{html}"
    );
    // Screening twice is refused with the state explained.
    let screening = format!("/ideas/{idea}/screening");
    let reject = [("decision", "reject"), ("reason", "Trùng sản phẩm đã có")];
    let (status, _, _) = submit(&officer, &app, &idea_page, &screening, &reject).await;
    assert_eq!(status, 303);
    let (_, html) = page(&producer, &app, &idea_page).await;
    assert!(
        html.contains("Đã từ chối") && html.contains("Trùng sản phẩm đã có"),
        "{html}"
    );
    assert!(
        !html.contains("resubmit-form"),
        "a rejected idea is not resubmitted"
    );
    let (status, _, html) = submit(&officer, &app, &idea_page, &screening, &reject).await;
    assert_eq!(status, 409);
    assert!(
        html.contains("Không thực hiện được ở trạng thái hiện tại"),
        "{html}"
    );
}
