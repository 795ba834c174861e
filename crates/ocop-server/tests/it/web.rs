use crate::support::{csrf_of, spawn_app, PASSWORD};

#[tokio::test]
async fn sign_in_home_and_sign_out() {
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let b = app.browser();

    let page = b.get(app.url("/sign-in")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let pre_cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(pre_cookie.iter().any(|c| c.starts_with("ocop_pre=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Lax")));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<html lang=\"vi\">") && html.contains("Mật khẩu"),
        "Vietnamese by default"
    );

    let wrong = app.sign_in(&b, &admin.email, "not the password").await;
    assert_eq!(wrong.status(), 401);
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("Thư điện tử hoặc mật khẩu không đúng."),
        "{html}"
    );
    let unknown = app.sign_in(&b, "nobody@qn.gov.vn", PASSWORD).await;
    assert_eq!(
        unknown.status(),
        401,
        "the same answer for an unknown e-mail"
    );

    let ok = app.sign_in(&b, &admin.email, PASSWORD).await;
    assert_eq!(ok.status(), 303);
    let cookies: Vec<String> = ok
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("ocop_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "no Secure flag on plain http");

    let home = b
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Xin chào, Người dùng admin"), "{home}");
    assert!(home.contains("Quản trị tỉnh"));
    assert!(home.contains("Quảng Ninh"), "the scope by name: {home}");
    assert!(home.contains("/admin/users"));

    let csrf = csrf_of(&home);
    let out = b
        .post(app.url("/sign-out"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let home = b
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!home.contains("Xin chào"), "signed out");
    assert!(home.contains("/sign-in"));
}

#[tokio::test]
async fn sessions_are_new_at_every_sign_in() {
    let app = spawn_app().await;
    let user = app
        .user("an@qn.gov.vn", "officer", Some("06946"), None)
        .await;
    let session_of = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("ocop_session="))
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    let a = session_of(&app.sign_in(&app.browser(), &user.email, PASSWORD).await);
    let b = session_of(&app.sign_in(&app.browser(), &user.email, PASSWORD).await);
    assert_ne!(a, b);
    // A planted (or stale) session cookie is never upgraded: signing in sets a new token.
    let planted = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = "ocop_session=attacker-chosen";
    let page = planted
        .get(app.url("/sign-in"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = planted
        .post(app.url("/sign-in"))
        .header("cookie", cookie)
        .form(&[
            ("email", user.email.as_str()),
            ("password", PASSWORD),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let fresh = session_of(&r);
    assert_ne!(fresh, cookie);
    assert!(fresh.len() > 40);
}

#[tokio::test]
async fn forms_need_a_csrf_token_from_this_site() {
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let b = app.browser();

    let page = b
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = b
        .post(app.url("/sign-in"))
        .form(&[("email", admin.email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no token");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Biểu mẫu đã hết hạn"),
        "a friendly page: {html}"
    );
    let r = b
        .post(app.url("/sign-in"))
        .header("origin", "https://evil.example")
        .form(&[
            ("email", admin.email.as_str()),
            ("password", PASSWORD),
            ("csrf", &csrf_of(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "cross-site origin");

    assert_eq!(app.sign_in(&b, &admin.email, PASSWORD).await.status(), 303);
    let form = [
        ("email", "x@qn.gov.vn"),
        ("name", "X"),
        ("role", "officer"),
        ("locality", "06946"),
        ("password", PASSWORD),
        ("csrf", "forged"),
    ];
    let r = b
        .post(app.url("/admin/users"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(
        app.state
            .store
            .user_credentials("x@qn.gov.vn")
            .await
            .unwrap()
            .is_none(),
        "nothing written"
    );
    let r = b.post(app.url("/sign-out")).send().await.unwrap();
    assert_eq!(r.status(), 403, "even signing out needs the token");
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited() {
    let app = spawn_app().await;
    let user = app
        .user("lan@qn.gov.vn", "officer", Some("06946"), None)
        .await;
    let b = app.browser();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            app.sign_in(&b, &user.email, "wrong password!")
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(statuses[11], 429);
    let limited = app.sign_in(&b, &user.email, PASSWORD).await;
    assert_eq!(limited.status(), 429, "even the right password waits");
    assert_eq!(limited.headers()["retry-after"], "60");
    assert!(limited.text().await.unwrap().contains("chờ một phút"));
}

#[tokio::test]
async fn admin_creates_a_user_in_the_browser_flow() {
    let app = spawn_app().await;
    let admin = app.user("hanh@qn.gov.vn", "admin", Some("22"), None).await;
    let org = app.organization("HTX Miến dong Bình Liêu", "06838").await;
    let b = app.browser();
    app.sign_in(&b, &admin.email, PASSWORD).await;
    let form = b
        .get(app.url("/admin/users/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("HTX Miến dong Bình Liêu"),
        "the organization is offered"
    );
    assert!(
        form.contains("Xã Bình Liêu"),
        "communes of the province are offered"
    );
    assert!(
        !form.contains("value=\"central\""),
        "an admin cannot grant central"
    );
    let csrf = csrf_of(&form);

    let bad = b
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "thu@qn.gov.vn"),
            ("name", "Phạm Thị Thu"),
            ("role", "officer"),
            ("locality", "22"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Vai trò và địa bàn không khớp"), "{html}");
    assert!(
        html.contains("value=\"Phạm Thị Thu\""),
        "what was typed is kept"
    );

    let ok = b
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "lan@htx.vn"),
            ("name", "Hoàng Thị Lan"),
            ("role", "producer"),
            ("locality", ""),
            ("organization_id", &org.to_string()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let location = ok.headers()["location"].to_str().unwrap().to_string();
    let page = b
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Đã tạo người dùng."));
    let (lan, _) = app
        .state
        .store
        .user_credentials("lan@htx.vn")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lan.organization_id, Some(org));
    assert_eq!(lan.commune_code.as_deref(), Some("06838"));

    let list = b
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Hoàng Thị Lan"));
    let audit = b
        .get(app.url("/admin/audit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        audit.contains("user_created") && audit.contains("lan@htx.vn"),
        "{audit}"
    );

    // Disable the new user from the edit form.
    let edit = b
        .get(app.url(&format!("/admin/users/{}", lan.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = b
        .post(app.url(&format!("/admin/users/{}", lan.id)))
        .form(&[
            ("csrf", csrf_of(&edit).as_str()),
            ("name", "Hoàng Thị Lan"),
            ("role", "producer"),
            ("locality", ""),
            ("organization_id", &org.to_string()),
            ("disabled", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        app.state
            .store
            .user(lan.id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
}

#[tokio::test]
async fn pages_are_guarded_by_role_and_sign_in() {
    let app = spawn_app().await;
    let anon = app.browser();
    let r = anon.get(app.url("/admin/users")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/sign-in?next=%2Fadmin%2Fusers");

    for role in ["officer", "evaluator", "producer", "inspector"] {
        let (user, _) = app.caller(role).await;
        let b = app.browser();
        assert_eq!(
            app.sign_in(&b, &user.email, PASSWORD).await.status(),
            303,
            "{role}"
        );
        for path in [
            "/admin/users",
            "/admin/users/new",
            "/admin/audit",
            &format!("/admin/users/{}", user.id),
        ] {
            let r = b.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 403, "{role} {path}");
            assert!(
                r.text().await.unwrap().contains("Bạn không có quyền"),
                "{role} {path}"
            );
        }
        let home = b
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !home.contains("href=\"/admin/users\""),
            "{role} is not offered user management"
        );
    }
}

#[tokio::test]
async fn language_switch_headers_and_assets() {
    let app = spawn_app().await;
    let b = app.browser();
    let r = b
        .get(app.url("/lang/en?next=/sign-in"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/sign-in");
    let html = b
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Password"));
    let r = b
        .get(app.url("/lang/vi?next=https://evil.example"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/", "no open redirect");

    let page = b.get(app.url("/")).send().await.unwrap();
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("referrer-policy"));
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script"), "no inline script");
    assert!(
        !html.contains("http://") || !html.contains("cdn"),
        "no third-party assets"
    );

    let css = b.get(app.url("/assets/app.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let missing = b.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Không tìm thấy"));
}

#[tokio::test]
async fn own_password_change_ends_the_session() {
    let app = spawn_app().await;
    let user = app
        .user("duc@qn.gov.vn", "evaluator", Some("22"), None)
        .await;
    let b = app.browser();
    app.sign_in(&b, &user.email, PASSWORD).await;
    let page = b
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let wrong = b
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", "nope nope nope"),
            ("new", "a brand new passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let ok = b
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", PASSWORD),
            ("new", "a brand new passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    assert_eq!(
        b.get(app.url("/account")).send().await.unwrap().status(),
        303,
        "signed out"
    );
    assert_eq!(
        app.sign_in(&app.browser(), &user.email, "a brand new passphrase")
            .await
            .status(),
        303
    );
}
