//! One conformance suite, run against SQLite always and PostgreSQL when
//! `OCOP_TEST_POSTGRES_URL` is set (CI sets it).

use chrono::{Duration, Utc};
use ocop_domain::{LocalityCode, OrganizationKind, Role};
use ocop_store::*;
use std::sync::Arc;

struct Db {
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url: DatabaseUrl = format!("sqlite://{}", dir.path().join("t.db").display())
        .parse()
        .unwrap();
    Db {
        store: connect(&url).await.unwrap(),
        _dir: Some(dir),
    }
}

async fn postgres() -> Option<Db> {
    let server = testing::postgres_server()?;
    let url = testing::fresh_postgres(&server).await.unwrap();
    Some(Db {
        store: connect(&url).await.unwrap(),
        _dir: None,
    })
}

/// Generates `sqlite::name` and `postgres::name` for each suite function.
macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $name() { let db = super::sqlite().await; super::$name(&*db.store).await; })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $name() {
                match super::postgres().await {
                    Some(db) => super::$name(&*db.store).await,
                    None => eprintln!("OCOP_TEST_POSTGRES_URL not set: PostgreSQL run skipped"),
                }
            })*
        }
    };
}

conformance!(
    localities_seed_once_and_list_by_parent,
    users_are_created_found_and_unique,
    a_failed_write_leaves_nothing_behind,
    updates_and_disabling_end_sessions_and_tokens,
    sessions_expire_and_end,
    api_tokens_are_found_by_hash_and_revoked,
    audit_log_filters_by_province_and_pages,
    organizations_are_created_and_listed,
);

fn code(s: &str) -> LocalityCode {
    s.parse().unwrap()
}

fn audit(action: &'static str, province: Option<&str>) -> AuditEntry {
    AuditEntry {
        at: Utc::now(),
        actor_id: None,
        actor_label: "test".into(),
        action,
        target: String::new(),
        province_code: province.map(str::to_string),
        details: serde_json::json!({"why": "test"}),
    }
}

async fn seed(s: &dyn Store) {
    s.seed_localities(&ocop_domain::locality::national_localities())
        .await
        .unwrap();
}

fn officer(email: &str) -> NewUser {
    NewUser {
        email: email.parse().unwrap(),
        name: "Trần Thị Lan".parse().unwrap(),
        role: Role::Officer,
        placement: UserPlacement {
            locality: Some(code("07093")),
            province: Some(code("22")),
            commune: Some(code("07093")),
            organization_id: None,
        },
        password_hash: "$argon2id$fake".into(),
    }
}

async fn localities_seed_once_and_list_by_parent(s: &dyn Store) {
    let all = ocop_domain::locality::national_localities();
    assert_eq!(s.seed_localities(&all).await.unwrap(), 3355);
    assert_eq!(
        s.seed_localities(&all).await.unwrap(),
        0,
        "seeding twice adds nothing"
    );
    assert_eq!(s.count_localities().await.unwrap(), 3355);
    assert_eq!(s.localities(None).await.unwrap().len(), 34);
    let qn = s.localities(Some(&code("22"))).await.unwrap();
    assert_eq!(qn.len(), 54);
    assert!(qn.iter().any(|l| l.name == "Phường Đông Triều"));
    let dt = s.locality(&code("07093")).await.unwrap().unwrap();
    assert_eq!(dt.parent, Some(code("22")));
    assert!(s.locality(&code("99")).await.unwrap().is_none());
}

async fn users_are_created_found_and_unique(s: &dyn Store) {
    seed(s).await;
    let u = s
        .create_user(
            &officer("lan@qn.gov.vn"),
            &audit("user_created", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(u.role, Role::Officer);
    assert_eq!(u.commune_code.as_deref(), Some("07093"));
    assert!(!u.disabled);
    assert_eq!(s.user(u.id).await.unwrap().unwrap(), u);
    let (found, hash) = s.user_credentials("lan@qn.gov.vn").await.unwrap().unwrap();
    assert_eq!(found.id, u.id);
    assert_eq!(hash, "$argon2id$fake");
    assert!(s
        .user_credentials("nobody@qn.gov.vn")
        .await
        .unwrap()
        .is_none());
    let dup = s
        .create_user(&officer("lan@qn.gov.vn"), &audit("user_created", None))
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict("email"))), "{dup:?}");
    assert_eq!(s.count_users().await.unwrap(), 1);
    let in_22 = s
        .users(&UserFilter {
            province: Some(code("22")),
        })
        .await
        .unwrap();
    assert_eq!(in_22.len(), 1);
    assert!(s
        .users(&UserFilter {
            province: Some(code("01"))
        })
        .await
        .unwrap()
        .is_empty());
}

async fn a_failed_write_leaves_nothing_behind(s: &dyn Store) {
    seed(s).await;
    let mut producer = officer("ghost@qn.gov.vn");
    producer.role = Role::Producer;
    producer.placement.organization_id = Some(424242);
    let err = s
        .create_user(&producer, &audit("user_created", None))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::MissingReference(_)), "{err:?}");
    assert_eq!(s.count_users().await.unwrap(), 0);
    let log = s
        .audit_log(&AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        log.is_empty(),
        "no audit entry for a write that did not happen: {log:?}"
    );
}

async fn updates_and_disabling_end_sessions_and_tokens(s: &dyn Store) {
    seed(s).await;
    let u = s
        .create_user(&officer("an@qn.gov.vn"), &audit("user_created", None))
        .await
        .unwrap();
    let later = Utc::now() + Duration::hours(1);
    s.create_session("h1", u.id, later).await.unwrap();
    s.create_api_token(u.id, "script", "t1", &audit("token_created", None))
        .await
        .unwrap();
    let mut update = UserUpdate {
        name: "Nguyễn Văn An".parse().unwrap(),
        role: Role::Inspector,
        placement: UserPlacement {
            locality: Some(code("22")),
            province: Some(code("22")),
            ..Default::default()
        },
        disabled: false,
    };
    let changed = s
        .update_user(u.id, &update, &audit("user_updated", None))
        .await
        .unwrap();
    assert_eq!(changed.role, Role::Inspector);
    assert_eq!(changed.commune_code, None);
    assert!(s.session_user("h1", Utc::now()).await.unwrap().is_some());
    update.disabled = true;
    s.update_user(u.id, &update, &audit("user_disabled", None))
        .await
        .unwrap();
    assert!(s.session_user("h1", Utc::now()).await.unwrap().is_none());
    assert!(s.token_user("t1").await.unwrap().is_none());
    assert!(matches!(
        s.update_user(9999, &update, &audit("user_updated", None))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn sessions_expire_and_end(s: &dyn Store) {
    seed(s).await;
    let u = s
        .create_user(&officer("ha@qn.gov.vn"), &audit("user_created", None))
        .await
        .unwrap();
    let now = Utc::now();
    s.create_session("live", u.id, now + Duration::hours(8))
        .await
        .unwrap();
    s.create_session("old", u.id, now - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(s.session_user("live", now).await.unwrap().unwrap().id, u.id);
    assert!(s.session_user("old", now).await.unwrap().is_none());
    assert_eq!(s.purge_sessions(now).await.unwrap(), 1);
    s.delete_session("live").await.unwrap();
    assert!(s.session_user("live", now).await.unwrap().is_none());
    s.create_session("again", u.id, now + Duration::hours(8))
        .await
        .unwrap();
    s.set_password_hash(u.id, "$argon2id$new", &audit("password_reset", None))
        .await
        .unwrap();
    assert!(
        s.session_user("again", now).await.unwrap().is_none(),
        "a new password ends sessions"
    );
    assert_eq!(
        s.user_credentials("ha@qn.gov.vn").await.unwrap().unwrap().1,
        "$argon2id$new"
    );
}

async fn api_tokens_are_found_by_hash_and_revoked(s: &dyn Store) {
    seed(s).await;
    let u = s
        .create_user(&officer("binh@qn.gov.vn"), &audit("user_created", None))
        .await
        .unwrap();
    let t = s
        .create_api_token(u.id, "export", "hash-a", &audit("token_created", None))
        .await
        .unwrap();
    assert_eq!(s.token_user("hash-a").await.unwrap().unwrap().id, u.id);
    assert!(s.token_user("hash-b").await.unwrap().is_none());
    assert_eq!(s.api_tokens(u.id).await.unwrap(), vec![t.clone()]);
    s.revoke_api_token(u.id, t.id, &audit("token_revoked", None))
        .await
        .unwrap();
    assert!(s.token_user("hash-a").await.unwrap().is_none());
    assert!(matches!(
        s.revoke_api_token(u.id, t.id, &audit("token_revoked", None))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn audit_log_filters_by_province_and_pages(s: &dyn Store) {
    seed(s).await;
    s.create_user(&officer("a@qn.gov.vn"), &audit("user_created", Some("22")))
        .await
        .unwrap();
    s.create_user(&officer("b@qn.gov.vn"), &audit("user_created", Some("01")))
        .await
        .unwrap();
    s.create_user(&officer("c@qn.gov.vn"), &audit("user_created", Some("22")))
        .await
        .unwrap();
    let all = s
        .audit_log(&AuditFilter {
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(all[0].id > all[1].id, "newest first");
    assert_eq!(all[0].details, serde_json::json!({"why": "test"}));
    assert!(all[0].target.starts_with("user:"));
    let qn = s
        .audit_log(&AuditFilter {
            province: Some(code("22")),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(qn.len(), 2);
    let page2 = s
        .audit_log(&AuditFilter {
            before_id: Some(all[0].id),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page2.len(), 1);
    assert_eq!(page2[0].id, all[1].id);
}

async fn organizations_are_created_and_listed(s: &dyn Store) {
    seed(s).await;
    let org = s
        .create_organization(
            &NewOrganization {
                name: "HTX Chè Đường Hoa".into(),
                kind: OrganizationKind::Cooperative,
                commune: code("06946"),
                province: code("22"),
                tax_code: Some("5701234567".into()),
                address: None,
            },
            &audit("organization_created", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(s.organization(org.id).await.unwrap().unwrap(), org);
    assert_eq!(s.organizations(Some(&code("22"))).await.unwrap().len(), 1);
    assert!(s.organizations(Some(&code("01"))).await.unwrap().is_empty());
    let bad = s
        .create_organization(
            &NewOrganization {
                name: "Ghost".into(),
                kind: OrganizationKind::Farm,
                commune: code("99999"),
                province: code("22"),
                tax_code: None,
                address: None,
            },
            &audit("organization_created", None),
        )
        .await;
    assert!(
        matches!(bad, Err(StoreError::MissingReference(_))),
        "{bad:?}"
    );
}
