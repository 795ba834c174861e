//! `spawn_app()` and friends.

use ocop_domain::OrganizationKind;
use ocop_server::users::{Requester, UserInput};
use ocop_server::{AppState, Config};
use ocop_store::{DatabaseUrl, OrganizationFields, User};
use std::net::SocketAddr;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

/// A database URL for a new, empty database on the backend under test.
pub async fn fresh_database(dir: &std::path::Path) -> DatabaseUrl {
    match ocop_store::testing::postgres_server() {
        Some(server) => ocop_store::testing::fresh_postgres(&server)
            .await
            .expect("PostgreSQL test database"),
        None => format!("sqlite://{}", dir.join("test.db").display())
            .parse()
            .unwrap(),
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db_url = fresh_database(dir.path()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let options = ocop_server::cli::GlobalOptions {
        database_url: db_url.redacted(),
        key_file: dir.path().join("keys.json"),
        data_dir: dir.path().join("data"),
        public_url: Some(format!("http://{addr}")),
        rate_limit_per_minute: 0,
        scan_alert_threshold: 50,
        place_alert_threshold: 5,
    };
    let config = Config::from_options(&options, None).unwrap();
    let store = ocop_server::commands::open_store(&config).await.unwrap();
    let (keys, _) = ocop_server::keyfile::load_or_create(&config.key_file).unwrap();
    let state = AppState::new(store, config, &keys);
    tokio::spawn(ocop_server::commands::serve_on(listener, state.clone()));
    TestApp {
        base: format!("http://{addr}"),
        state,
        _dir: dir,
    }
}

/// An app whose public checks (scans, PINs, reports) are limited to `rate_limit_per_minute`
/// per network.
pub async fn spawn_app_with(rate_limit_per_minute: u32) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db_url = fresh_database(dir.path()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let options = ocop_server::cli::GlobalOptions {
        database_url: db_url.redacted(),
        key_file: dir.path().join("keys.json"),
        data_dir: dir.path().join("data"),
        public_url: Some(format!("http://{addr}")),
        rate_limit_per_minute,
        scan_alert_threshold: 50,
        place_alert_threshold: 5,
    };
    let config = Config::from_options(&options, None).unwrap();
    let store = ocop_server::commands::open_store(&config).await.unwrap();
    let (keys, _) = ocop_server::keyfile::load_or_create(&config.key_file).unwrap();
    let state = AppState::new(store, config, &keys);
    tokio::spawn(ocop_server::commands::serve_on(listener, state.clone()));
    TestApp {
        base: format!("http://{addr}"),
        state,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn organization(&self, name: &str, commune: &str) -> i64 {
        let commune: ocop_domain::LocalityCode = commune.parse().unwrap();
        let province = self
            .state
            .store
            .locality(&commune)
            .await
            .unwrap()
            .unwrap()
            .parent
            .unwrap();
        let new = OrganizationFields {
            name: name.into(),
            kind: OrganizationKind::Cooperative,
            commune,
            province,
            tax_code: None,
            address: None,
            representative: None,
            phone: None,
            email: None,
            gln: None,
            food_safety_signed_on: None,
        };
        let audit = Requester::Operator.audit("organization_created", None, serde_json::json!({}));
        self.state
            .store
            .create_organization(&new, &audit)
            .await
            .unwrap()
            .id
    }

    pub async fn user(
        &self,
        email: &str,
        role: &str,
        locality: Option<&str>,
        organization: Option<i64>,
    ) -> User {
        let input = UserInput {
            email: email.into(),
            name: format!("Người dùng {role}"),
            role: role.into(),
            locality: locality.map(str::to_string),
            organization_id: organization,
        };
        ocop_server::users::create(&*self.state.store, Requester::Operator, input, PASSWORD)
            .await
            .unwrap()
    }

    pub async fn token(&self, email: &str) -> String {
        ocop_server::commands::create_token(&*self.state.store, email, "test")
            .await
            .unwrap()
    }

    /// A user of the role, with an API token.
    pub async fn caller(&self, role: &str) -> (User, String) {
        let (locality, org) = match role {
            "central" => (None, None),
            "admin" | "evaluator" | "inspector" => (Some("22"), None),
            "officer" => (Some("06946"), None),
            "producer" => (
                None,
                Some(self.organization("HTX Chè Đường Hoa", "06946").await),
            ),
            other => panic!("unknown role {other}"),
        };
        let email = format!(
            "{role}-{}@test.vn",
            self.state.store.count_users().await.unwrap()
        );
        let user = self.user(&email, role, locality, org).await;
        let token = self.token(&email).await;
        (user, token)
    }

    pub fn api(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    /// Signs in through the web form; returns the response to the POST.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/sign-in"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        client
            .post(self.url("/sign-in"))
            .form(&[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
    }
}

/// The CSRF token in a rendered form.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf field in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub async fn problem(response: reqwest::Response) -> serde_json::Value {
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "errors are problem+json"
    );
    response.json().await.unwrap()
}

/// The best answer to every criterion of a set, as an answers file writes it.
pub fn best_answers(set: i64) -> serde_json::Map<String, serde_json::Value> {
    use ocop_domain::criteria::{rubric, Choice};
    let r = rubric(set).unwrap();
    r.criteria()
        .map(|c| {
            let top = |o: &[ocop_domain::criteria::AnswerOption]| {
                (0..o.len())
                    .max_by_key(|&i| o[i].counted(c.max_points))
                    .unwrap()
            };
            let answer = match &c.choice {
                Choice::Options { options } => serde_json::json!(top(options)),
                Choice::Cases { cases } => {
                    serde_json::json!({"case": 0, "option": top(&cases[0].options)})
                }
                Choice::Points => serde_json::json!({"points": c.max_points}),
            };
            (c.code.clone(), answer)
        })
        .collect()
}
