//! One conformance suite, run against SQLite always and PostgreSQL when
//! `OCOP_TEST_POSTGRES_URL` is set (CI sets it).

use chrono::{Duration, Utc};
use ocop_domain::registry::{KeyLevel, ProductStatus};
use ocop_domain::{LocalityCode, OrganizationKind, Role};
use ocop_store::*;
use std::sync::Arc;

#[path = "conformance/evaluation.rs"]
mod evaluation;
use evaluation::*;

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
    organizations_are_searched_without_diacritics_and_moved,
    products_get_codes_in_sequence_per_commune_and_year,
    products_are_searched_without_diacritics_and_filtered,
    product_updates_and_conflicts,
    imports_are_all_or_nothing,
    documents_are_attached_to_their_owner,
    the_catalog_shows_stars_only_while_a_certificate_is_valid,
    lots_are_unique_per_product,
    batches_take_one_row_and_fresh_serials,
    ranges_follow_the_rules_and_count_towards_lots,
    concurrent_activations_never_overfill_a_lot,
    scans_add_up_per_stamp_and_place,
    pins_are_checked_once_and_lock,
    recalls_alerts_and_reports,
    cycles_ideas_and_plans_are_screened,
    a_dossier_goes_from_draft_to_a_certificate,
    rounds_must_fit_the_dossier,
    dossier_lists_page_count_and_follow_councils,
);

fn org_fields(name: &str, commune: &str) -> OrganizationFields {
    OrganizationFields {
        name: name.into(),
        kind: OrganizationKind::Cooperative,
        commune: code(commune),
        province: code("22"),
        tax_code: None,
        address: Some("Thôn 1".into()),
        representative: Some("Nguyễn Văn A".into()),
        phone: Some("0912345678".into()),
        email: None,
        gln: None,
        food_safety_signed_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
    }
}

fn product_fields(organization_id: i64, name: &str, criteria_set: i32) -> ProductFields {
    ProductFields {
        organization_id,
        name: name.into(),
        criteria_set,
        description: None,
        gtin: None,
        standard_code: Some("TCCS 01:2026/HTX".into()),
        standard_declared_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 15),
        food_safety_certificate: None,
        food_safety_expires_on: None,
        key_level: None,
        status: ProductStatus::Active,
    }
}

async fn org(s: &dyn Store, name: &str, commune: &str) -> i64 {
    s.create_organization(
        &org_fields(name, commune),
        &audit("organization_created", Some("22")),
    )
    .await
    .unwrap()
    .id
}

fn all_products() -> ProductFilter {
    ProductFilter {
        limit: 100,
        ..Default::default()
    }
}

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
            &OrganizationFields {
                tax_code: Some("5701234567".into()),
                ..org_fields("HTX Chè Đường Hoa", "06946")
            },
            &audit("organization_created", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(s.organization(org.id).await.unwrap().unwrap(), org);
    let in_22 = OrganizationFilter {
        province: Some(code("22")),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(s.organizations(&in_22).await.unwrap().total, 1);
    let in_01 = OrganizationFilter {
        province: Some(code("01")),
        limit: 50,
        ..Default::default()
    };
    assert!(s.organizations(&in_01).await.unwrap().items.is_empty());
    let dup = s
        .create_organization(
            &OrganizationFields {
                tax_code: Some("5701234567".into()),
                ..org_fields("Other", "06946")
            },
            &audit("organization_created", None),
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict("tax_code"))),
        "{dup:?}"
    );
    let bad = s
        .create_organization(
            &OrganizationFields {
                commune: code("99999"),
                ..org_fields("Ghost", "06946")
            },
            &audit("organization_created", None),
        )
        .await;
    assert!(
        matches!(bad, Err(StoreError::MissingReference(_))),
        "{bad:?}"
    );
}

async fn organizations_are_searched_without_diacritics_and_moved(s: &dyn Store) {
    seed(s).await;
    let tea = org(s, "HTX Chè Đường Hoa", "06946").await;
    org(s, "Công ty CP Nước mắm Cái Rồng", "06994").await;
    let q = |q: &str| OrganizationFilter {
        q: Some(q.into()),
        limit: 10,
        ..Default::default()
    };
    let found = s.organizations(&q("nuoc MAM")).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.items[0].name, "Công ty CP Nước mắm Cái Rồng");
    assert_eq!(
        s.organizations(&q("che duong")).await.unwrap().items[0].id,
        tea
    );
    assert_eq!(s.organizations(&q("chè")).await.unwrap().total, 1);
    assert_eq!(s.organizations(&q("xyz")).await.unwrap().total, 0);
    let p = s
        .create_product(
            &product_fields(tea, "Chè xanh", 11),
            2026,
            &audit("product_created", None),
        )
        .await
        .unwrap();
    let moved = s
        .update_organization(
            tea,
            &org_fields("HTX Chè Đường Hoa", "06931"),
            &audit("organization_updated", None),
        )
        .await
        .unwrap();
    assert_eq!(moved.commune_code, "06931");
    let p = s.product(p.id).await.unwrap().unwrap();
    assert_eq!(
        p.commune_code, "06931",
        "products follow their organization"
    );
    assert_eq!(p.code, "22-06946-001-2026", "the code stays as issued");
    assert!(matches!(
        s.update_organization(
            9999,
            &org_fields("X", "06946"),
            &audit("organization_updated", None)
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

async fn products_get_codes_in_sequence_per_commune_and_year(s: &dyn Store) {
    seed(s).await;
    let a = org(s, "HTX Chè Đường Hoa", "06946").await;
    let b = org(s, "Hộ Nguyễn Văn B", "06946").await;
    let c = org(s, "HTX Miến dong Bình Liêu", "06838").await;
    let add = |o: i64, year: i32| async move {
        s.create_product(
            &product_fields(o, "Sản phẩm", 11),
            year,
            &audit("product_created", None),
        )
        .await
        .unwrap()
        .code
    };
    assert_eq!(add(a, 2026).await, "22-06946-001-2026");
    assert_eq!(
        add(b, 2026).await,
        "22-06946-002-2026",
        "the sequence is per commune, not organization"
    );
    assert_eq!(add(c, 2026).await, "22-06838-001-2026");
    assert_eq!(
        add(a, 2027).await,
        "22-06946-001-2027",
        "each year starts again"
    );
    let unknown = s
        .create_product(
            &product_fields(424242, "X", 11),
            2026,
            &audit("product_created", None),
        )
        .await;
    assert!(
        matches!(unknown, Err(StoreError::MissingReference("organization"))),
        "{unknown:?}"
    );
    // Concurrent registrations in one commune all get distinct codes.
    let mut handles = Vec::new();
    for i in 0..8 {
        let fields = product_fields(if i % 2 == 0 { a } else { b }, "Song song", 11);
        handles.push(async move {
            s.create_product(&fields, 2028, &audit("product_created", None))
                .await
        });
    }
    let codes: std::collections::HashSet<String> = futures_join_all(handles)
        .await
        .into_iter()
        .map(|r| r.unwrap().code)
        .collect();
    assert_eq!(codes.len(), 8);
    assert!(codes.contains("22-06946-008-2028"));
}

/// Polls all futures to completion concurrently without another dependency.
async fn futures_join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = (0..set.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.unwrap()).collect()
}

async fn products_are_searched_without_diacritics_and_filtered(s: &dyn Store) {
    seed(s).await;
    let tea = org(s, "HTX Chè Đường Hoa", "06946").await;
    let sauce = org(s, "Công ty CP Nước mắm Cái Rồng", "06994").await;
    for (o, name, set) in [
        (tea, "Cà phê Đông Triều", 13),
        (tea, "Chè xanh Đường Hoa", 11),
        (sauce, "Nước mắm Cái Rồng 35 độ đạm", 9),
        (sauce, "Nước mắm cốt nhĩ", 9),
    ] {
        s.create_product(
            &product_fields(o, name, set),
            2026,
            &audit("product_created", None),
        )
        .await
        .unwrap();
    }
    let q = |q: &str| ProductFilter {
        q: Some(q.into()),
        ..all_products()
    };
    let names = |p: Page<Product>| p.items.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(
        names(s.products(&q("ca phe")).await.unwrap()),
        vec!["Cà phê Đông Triều"]
    );
    assert_eq!(names(s.products(&q("NUOC mam")).await.unwrap()).len(), 2);
    assert_eq!(
        names(s.products(&q("mắm nhĩ")).await.unwrap()),
        vec!["Nước mắm cốt nhĩ"]
    );
    assert_eq!(
        names(s.products(&q("35 dam")).await.unwrap()),
        vec!["Nước mắm Cái Rồng 35 độ đạm"]
    );
    assert_eq!(s.products(&q("tra sua")).await.unwrap().total, 0);
    assert_eq!(
        s.products(&q("100%_")).await.unwrap().total,
        0,
        "wildcards are literal"
    );
    let by_commune = ProductFilter {
        commune: Some(code("06994")),
        ..all_products()
    };
    assert_eq!(s.products(&by_commune).await.unwrap().total, 2);
    let by_sets = ProductFilter {
        criteria_sets: vec![11, 13],
        ..all_products()
    };
    assert_eq!(s.products(&by_sets).await.unwrap().total, 2);
    let by_org = ProductFilter {
        organization_id: Some(tea),
        q: Some("che".into()),
        ..all_products()
    };
    assert_eq!(
        names(s.products(&by_org).await.unwrap()),
        vec!["Chè xanh Đường Hoa"]
    );
    let drafts = ProductFilter {
        status: Some(ProductStatus::Draft),
        ..all_products()
    };
    assert_eq!(s.products(&drafts).await.unwrap().total, 0);
    let page = s
        .products(&ProductFilter {
            limit: 3,
            offset: 2,
            ..all_products()
        })
        .await
        .unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.items.len(), 2);
    let searched_page = |offset| ProductFilter {
        q: Some("nuoc mam".into()),
        limit: 1,
        offset,
        ..all_products()
    };
    let second = s.products(&searched_page(1)).await.unwrap();
    assert_eq!(
        (second.items.len(), second.total),
        (1, 2),
        "a searched page counts all matches"
    );
    let beyond = s.products(&searched_page(5)).await.unwrap();
    assert_eq!(
        (beyond.items.len(), beyond.total),
        (0, 2),
        "past the last match the total is still right"
    );
    let first = s
        .products(&ProductFilter {
            limit: 1,
            ..all_products()
        })
        .await
        .unwrap();
    assert_eq!(
        first.items[0].name, "Cà phê Đông Triều",
        "ordered by name without diacritics"
    );
    assert_eq!(first.items[0].organization_name, "HTX Chè Đường Hoa");
}

async fn product_updates_and_conflicts(s: &dyn Store) {
    seed(s).await;
    let a = org(s, "HTX A", "06946").await;
    let b = org(s, "HTX B", "06838").await;
    let mut f = product_fields(a, "Miến dong", 6);
    f.gtin = Some("08935001234562".into());
    let p = s
        .create_product(&f, 2026, &audit("product_created", None))
        .await
        .unwrap();
    assert_eq!(
        s.product_by_gtin("08935001234562")
            .await
            .unwrap()
            .unwrap()
            .id,
        p.id
    );
    assert!(s.product_by_gtin("08935001234579").await.unwrap().is_none());
    let mut other = product_fields(a, "Miến khác", 6);
    other.gtin = f.gtin.clone();
    let clash = s
        .create_product(&other, 2026, &audit("product_created", None))
        .await;
    assert!(
        matches!(clash, Err(StoreError::Conflict("gtin"))),
        "{clash:?}"
    );
    let mut changed = f.clone();
    changed.organization_id = b;
    changed.name = "Miến dong Bình Liêu".into();
    changed.key_level = Some(KeyLevel::Province);
    changed.status = ProductStatus::Suspended;
    let u = s
        .update_product(p.id, &changed, &audit("product_updated", None))
        .await
        .unwrap();
    assert_eq!(
        (
            u.commune_code.as_str(),
            u.organization_id,
            u.key_level,
            u.status
        ),
        (
            "06838",
            b,
            Some(KeyLevel::Province),
            ProductStatus::Suspended
        )
    );
    assert_eq!(u.code, p.code);
    let found = s
        .products(&ProductFilter {
            q: Some("binh lieu".into()),
            ..all_products()
        })
        .await
        .unwrap();
    assert_eq!(found.total, 1, "the search index follows renames");
    changed.organization_id = 777;
    assert!(matches!(
        s.update_product(p.id, &changed, &audit("product_updated", None))
            .await,
        Err(StoreError::MissingReference("organization"))
    ));
    assert!(matches!(
        s.update_product(999, &f, &audit("product_updated", None))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn imports_are_all_or_nothing(s: &dyn Store) {
    seed(s).await;
    let good = vec![
        org_fields("HTX Một", "06946"),
        org_fields("HTX Hai", "06838"),
    ];
    let ids = s
        .import_organizations(&good, &audit("organizations_imported", Some("22")))
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let bad = vec![
        org_fields("HTX Ba", "06946"),
        OrganizationFields {
            commune: code("99999"),
            ..org_fields("HTX Bốn", "06946")
        },
    ];
    assert!(s
        .import_organizations(&bad, &audit("organizations_imported", None))
        .await
        .is_err());
    let all = OrganizationFilter {
        limit: 50,
        ..Default::default()
    };
    assert_eq!(
        s.organizations(&all).await.unwrap().total,
        2,
        "nothing of the failed import remains"
    );

    let products = vec![
        product_fields(ids[0], "Chè", 11),
        product_fields(ids[1], "Miến", 6),
    ];
    let pids = s
        .import_products(&products, 2026, &audit("products_imported", None))
        .await
        .unwrap();
    assert_eq!(pids.len(), 2);
    let broken = vec![
        product_fields(ids[0], "Chè 2", 11),
        product_fields(999_999, "Ma", 6),
    ];
    assert!(s
        .import_products(&broken, 2026, &audit("products_imported", None))
        .await
        .is_err());
    assert_eq!(s.products(&all_products()).await.unwrap().total, 2);
    let next = s
        .create_product(
            &product_fields(ids[0], "Chè 3", 11),
            2026,
            &audit("product_created", None),
        )
        .await
        .unwrap();
    assert_eq!(
        next.code, "22-06946-002-2026",
        "a failed import uses up no sequence numbers"
    );
}

async fn documents_are_attached_to_their_owner(s: &dyn Store) {
    seed(s).await;
    let o = org(s, "HTX A", "06946").await;
    let new = NewDocument {
        owner_kind: OwnerKind::Organization,
        owner_id: o,
        purpose: "food_safety_commitment".into(),
        file_name: "cam-ket.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: 1234,
        sha256: "ab".repeat(32),
        created_by: None,
    };
    let d = s
        .add_document(&new, &audit("document_added", Some("22")))
        .await
        .unwrap();
    assert_eq!(s.document(d.id).await.unwrap().unwrap(), d);
    assert_eq!(
        s.documents(OwnerKind::Organization, o).await.unwrap(),
        vec![d]
    );
    assert!(s.documents(OwnerKind::Product, o).await.unwrap().is_empty());
}

async fn the_catalog_shows_stars_only_while_a_certificate_is_valid(s: &dyn Store) {
    seed(s).await;
    let o = org(s, "HTX Chè Đường Hoa", "06946").await;
    let add = |name: &'static str, status: ProductStatus| async move {
        let mut f = product_fields(o, name, 11);
        f.status = status;
        s.create_product(&f, 2026, &audit("product_created", None))
            .await
            .unwrap()
            .id
    };
    let tea = add("Chè xanh Đường Hoa", ProductStatus::Active).await;
    let old = add("Chè cũ", ProductStatus::Active).await;
    add("Chè nháp", ProductStatus::Draft).await;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let cert = |product_id, number: &str, stars, decided_on, expires_on| NewCertificate {
        product_id,
        number: number.into(),
        stars,
        decision_number: "123/QĐ-UBND".into(),
        decided_on,
        expires_on,
        recorded_by: None,
    };
    s.record_certificate(
        &cert(tea, "QN-2025-001", 4, day(2025, 6, 1), day(2028, 6, 1)),
        &audit("certificate_recorded", None),
    )
    .await
    .unwrap();
    s.record_certificate(
        &cert(old, "QN-2020-007", 3, day(2020, 1, 1), day(2023, 1, 1)),
        &audit("certificate_recorded", None),
    )
    .await
    .unwrap();
    let dup = s
        .record_certificate(
            &cert(old, "QN-2020-007", 3, day(2020, 1, 1), day(2023, 1, 1)),
            &audit("certificate_recorded", None),
        )
        .await;
    assert!(
        matches!(dup, Err(StoreError::Conflict("number"))),
        "{dup:?}"
    );
    assert_eq!(s.certificates(tea).await.unwrap().len(), 1);

    let on = |today| CatalogFilter {
        today: Some(today),
        limit: 50,
        ..Default::default()
    };
    let page = s.catalog(&on(day(2026, 11, 28))).await.unwrap();
    assert_eq!(page.total, 2, "drafts are not in the catalog");
    let stars: Vec<_> = page
        .items
        .iter()
        .map(|e| (e.name.as_str(), e.stars))
        .collect();
    assert_eq!(
        stars,
        vec![("Chè cũ", None), ("Chè xanh Đường Hoa", Some(4))],
        "expired stars are not shown"
    );
    assert_eq!(page.items[1].commune_name, "Xã Đường Hoa");
    assert_eq!(page.items[1].province_name, "Quảng Ninh");
    let later = s.catalog(&on(day(2028, 6, 2))).await.unwrap();
    assert!(
        later.items.iter().all(|e| e.stars.is_none()),
        "stars disappear the day after expiry"
    );
    let certified = s
        .catalog(&CatalogFilter {
            certified_only: true,
            ..on(day(2026, 11, 28))
        })
        .await
        .unwrap();
    assert_eq!(certified.total, 1);
    let by_stars = |n| ProductFilter {
        stars: Some(n),
        today: Some(day(2026, 11, 28)),
        ..all_products()
    };
    assert_eq!(s.products(&by_stars(4)).await.unwrap().total, 1);
    assert_eq!(
        s.products(&by_stars(3)).await.unwrap().total,
        0,
        "an expired certificate gives no stars"
    );
    let searched = s
        .catalog(&CatalogFilter {
            q: Some("che xanh".into()),
            ..on(day(2026, 11, 28))
        })
        .await
        .unwrap();
    assert_eq!(searched.items.len(), 1);
    assert_eq!(searched.items[0].product_id, tea);
}

async fn product(s: &dyn Store) -> i64 {
    seed(s).await;
    let o = org(s, "HTX Chè Đường Hoa", "06946").await;
    s.create_product(
        &product_fields(o, "Chè xanh", 11),
        2026,
        &audit("product_created", None),
    )
    .await
    .unwrap()
    .id
}

fn new_lot(product_id: i64, code: &str, quantity: i64) -> NewLot {
    NewLot {
        product_id,
        code: code.into(),
        produced_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        expires_on: chrono::NaiveDate::from_ymd_opt(2027, 11, 1),
        quantity,
        area_code: Some("VN-QN-0001".into()),
        notes: None,
        created_by: None,
    }
}

async fn batch(s: &dyn Store, product_id: i64, count: i64) -> StampBatch {
    s.issue_batch(
        &NewBatch {
            product_id,
            kid: 1,
            count,
            created_by: None,
        },
        &audit("stamp_batch_issued", Some("22")),
    )
    .await
    .unwrap()
}

fn activation(batch_id: i64, from: i64, to: i64, lot_id: i64) -> NewRange {
    NewRange {
        batch_id,
        kind: ocop_domain::stamps::RangeKind::Activated,
        from_serial: from,
        to_serial: to,
        lot_id: Some(lot_id),
        reason: None,
        created_by: None,
    }
}

fn void(batch_id: i64, from: i64, to: i64, reason: &str) -> NewRange {
    NewRange {
        batch_id,
        kind: ocop_domain::stamps::RangeKind::Voided,
        from_serial: from,
        to_serial: to,
        lot_id: None,
        reason: Some(reason.into()),
        created_by: None,
    }
}

async fn lots_are_unique_per_product(s: &dyn Store) {
    let p = product(s).await;
    let lot = s
        .create_lot(
            &new_lot(p, "L-2026-11", 500),
            &audit("lot_created", Some("22")),
        )
        .await
        .unwrap();
    assert_eq!(lot.code, "L-2026-11");
    assert_eq!(lot.stamped, 0);
    assert_eq!(lot.area_code.as_deref(), Some("VN-QN-0001"));
    let again = s
        .create_lot(&new_lot(p, "L-2026-11", 5), &audit("lot_created", None))
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict("lot code"))),
        "{again:?}"
    );
    let orphan = s
        .create_lot(&new_lot(9999, "L", 5), &audit("lot_created", None))
        .await;
    assert!(
        matches!(orphan, Err(StoreError::MissingReference("product"))),
        "{orphan:?}"
    );
    s.create_lot(&new_lot(p, "L-2026-12", 5), &audit("lot_created", None))
        .await
        .unwrap();
    assert_eq!(s.lots(p).await.unwrap().len(), 2);
    assert_eq!(s.lot(lot.id).await.unwrap(), Some(lot));
}

async fn batches_take_one_row_and_fresh_serials(s: &dyn Store) {
    let p = product(s).await;
    let a = batch(s, p, 1000).await;
    assert_eq!((a.first_serial, a.count, a.last_serial()), (1, 1000, 1000));
    // Ten million stamps are one row like any other batch.
    let b = batch(s, p, ocop_domain::stamps::MAX_BATCH).await;
    assert_eq!(b.first_serial, 1001);
    let c = batch(s, p, 1).await;
    assert_eq!(c.first_serial, 1001 + ocop_domain::stamps::MAX_BATCH);
    assert_eq!(
        s.stamp_batches(p).await.unwrap(),
        vec![c.clone(), b.clone(), a.clone()]
    );
    assert_eq!(s.batch_holding(1).await.unwrap(), Some(a.clone()));
    assert_eq!(s.batch_holding(1000).await.unwrap(), Some(a));
    assert_eq!(s.batch_holding(1001).await.unwrap(), Some(b.clone()));
    assert_eq!(s.batch_holding(b.last_serial()).await.unwrap(), Some(b));
    assert_eq!(s.batch_holding(c.last_serial() + 1).await.unwrap(), None);
    assert_eq!(s.batch_holding(0).await.unwrap(), None);
    let orphan = s
        .issue_batch(
            &NewBatch {
                product_id: 4242,
                kid: 1,
                count: 5,
                created_by: None,
            },
            &audit("stamp_batch_issued", None),
        )
        .await;
    assert!(
        matches!(orphan, Err(StoreError::MissingReference("product"))),
        "{orphan:?}"
    );
    // A refused batch does not use up serials.
    assert_eq!(batch(s, p, 1).await.first_serial, c.first_serial + 1);
    // Concurrent orders never share a serial.
    let mut handles = Vec::new();
    for _ in 0..6 {
        handles.push(async move { batch(s, p, 10).await });
    }
    let mut firsts: Vec<i64> = futures_join_all(handles)
        .await
        .iter()
        .map(|b| b.first_serial)
        .collect();
    firsts.sort_unstable();
    assert!(firsts.windows(2).all(|w| w[1] - w[0] == 10), "{firsts:?}");
}

async fn ranges_follow_the_rules_and_count_towards_lots(s: &dyn Store) {
    use ocop_domain::stamps::{RangeKind, RangeRefusal};
    let p = product(s).await;
    let lot = s
        .create_lot(&new_lot(p, "L1", 100), &audit("lot_created", None))
        .await
        .unwrap();
    let b = batch(s, p, 200).await;
    let a = s
        .record_range(
            &activation(b.id, 1, 60, lot.id),
            &audit("stamps_activated", None),
        )
        .await
        .unwrap();
    assert_eq!(
        (a.kind, a.lot_code.as_deref()),
        (RangeKind::Activated, Some("L1"))
    );
    assert_eq!(s.lot(lot.id).await.unwrap().unwrap().stamped, 60);
    // Voiding part of an activated range frees room in the lot.
    s.record_range(
        &void(b.id, 51, 70, "cuộn bị rách"),
        &audit("stamps_voided", None),
    )
    .await
    .unwrap();
    assert_eq!(s.lot(lot.id).await.unwrap().unwrap().stamped, 50);
    let refused = |r: Result<StampRange, StoreError>| match r {
        Err(StoreError::Range(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let why = refused(
        s.record_range(
            &activation(b.id, 65, 80, lot.id),
            &audit("stamps_activated", None),
        )
        .await,
    );
    assert_eq!(why, RangeRefusal::Voided { from: 65, to: 70 });
    let why = refused(
        s.record_range(
            &activation(b.id, 190, 210, lot.id),
            &audit("stamps_activated", None),
        )
        .await,
    );
    assert!(matches!(
        why,
        RangeRefusal::OutsideBatch {
            first: 1,
            last: 200,
            ..
        }
    ));
    let why = refused(
        s.record_range(
            &activation(b.id, 71, 121, lot.id),
            &audit("stamps_activated", None),
        )
        .await,
    );
    assert!(
        matches!(why, RangeRefusal::BeyondLot { room: 50, .. }),
        "{why:?}"
    );
    let why = refused(
        s.record_range(&void(b.id, 60, 60, "again"), &audit("stamps_voided", None))
            .await,
    );
    assert_eq!(why, RangeRefusal::AlreadyVoided { from: 60, to: 60 });
    s.record_range(
        &activation(b.id, 71, 120, lot.id),
        &audit("stamps_activated", None),
    )
    .await
    .unwrap();
    assert_eq!(s.lot(lot.id).await.unwrap().unwrap().stamped, 100);
    let ranges = s.stamp_ranges(b.id).await.unwrap();
    assert_eq!(
        ranges
            .iter()
            .map(|r| (r.from_serial, r.to_serial))
            .collect::<Vec<_>>(),
        vec![(1, 60), (51, 70), (71, 120)]
    );
    assert_eq!(ranges[1].reason.as_deref(), Some("cuộn bị rách"));
    // A lot of another product cannot take this batch's stamps.
    let other = s
        .create_product(
            &product_fields(org(s, "HTX Khác", "06838").await, "Miến", 11),
            2026,
            &audit("product_created", None),
        )
        .await
        .unwrap();
    let other_lot = s
        .create_lot(&new_lot(other.id, "L1", 100), &audit("lot_created", None))
        .await
        .unwrap();
    let why = refused(
        s.record_range(
            &activation(b.id, 150, 160, other_lot.id),
            &audit("stamps_activated", None),
        )
        .await,
    );
    assert_eq!(why, RangeRefusal::OtherProduct);
    let missing = s
        .record_range(
            &activation(9999, 1, 2, lot.id),
            &audit("stamps_activated", None),
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    // Refusals wrote nothing, not even an audit entry.
    assert_eq!(s.stamp_ranges(b.id).await.unwrap().len(), 3);
}

async fn concurrent_activations_never_overfill_a_lot(s: &dyn Store) {
    let p = product(s).await;
    let lot = s
        .create_lot(&new_lot(p, "L1", 30), &audit("lot_created", None))
        .await
        .unwrap();
    let b1 = batch(s, p, 100).await;
    let b2 = batch(s, p, 100).await;
    // Six activations of ten stamps each over two batches race for a lot of thirty units.
    let mut handles = Vec::new();
    for i in 0..6i64 {
        let (b, first) = if i % 2 == 0 {
            (&b1, b1.first_serial)
        } else {
            (&b2, b2.first_serial)
        };
        let from = first + (i / 2) * 10;
        let range = activation(b.id, from, from + 9, lot.id);
        handles.push(async move {
            s.record_range(&range, &audit("stamps_activated", None))
                .await
        });
    }
    let results = futures_join_all(handles).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 3, "{results:?}");
    assert_eq!(s.lot(lot.id).await.unwrap().unwrap().stamped, 30);
}

fn scan(
    serial: Option<i64>,
    product_id: Option<i64>,
    place: &str,
    at: chrono::DateTime<Utc>,
) -> NewScan {
    NewScan {
        serial,
        product_id,
        verdict: if serial.is_some() {
            "genuine"
        } else {
            "unknown"
        },
        first_scan: false,
        place: place.into(),
        latitude: None,
        longitude: None,
        at,
    }
}

async fn scans_add_up_per_stamp_and_place(s: &dyn Store) {
    let p = product(s).await;
    let b = batch(s, p, 100).await;
    let t0 = Utc::now() - Duration::days(1);
    let t1 = Utc::now();
    assert_eq!(s.stamp_activity(5).await.unwrap(), Activity::default());
    let mut first = scan(Some(5), Some(p), "aa", t0);
    first.first_scan = true;
    s.record_scans(&[
        first,
        scan(Some(5), Some(p), "aa", t1),
        scan(Some(6), Some(p), "bb", t1),
        scan(None, None, "zz", t1),
    ])
    .await
    .unwrap();
    assert_eq!(
        s.stamp_totals(&[5, 6, 77]).await.unwrap(),
        vec![
            ActivityAfter {
                serial: 5,
                scans: 2,
                places: 1
            },
            ActivityAfter {
                serial: 6,
                scans: 1,
                places: 1
            }
        ]
    );
    s.record_scans(&[scan(Some(5), Some(p), "cc", t1)])
        .await
        .unwrap();
    assert_eq!(
        s.stamp_totals(&[5]).await.unwrap(),
        vec![ActivityAfter {
            serial: 5,
            scans: 3,
            places: 2
        }]
    );
    // A place's quote is data, not SQL.
    s.record_scans(&[scan(Some(6), Some(p), "o'clock", t1)])
        .await
        .unwrap();
    assert_eq!(s.stamp_totals(&[6]).await.unwrap()[0].places, 2);
    let a = s.stamp_activity(5).await.unwrap();
    assert_eq!((a.scans, a.places), (3, 2));
    assert_eq!(a.first_at.unwrap().timestamp(), t0.timestamp());
    assert_eq!(s.unknown_scans_from("zz", t0).await.unwrap(), 1);
    assert_eq!(s.unknown_scans_from("aa", t0).await.unwrap(), 0);
    let days = s.scan_days(p, t0 - Duration::days(1)).await.unwrap();
    assert_eq!(days.iter().map(|d| d.scans).sum::<i64>(), 5);
    assert_eq!(days.iter().map(|d| d.first_scans).sum::<i64>(), 1);
    // A big batch goes in chunks under the parameter limits.
    let many: Vec<NewScan> = (0..1200)
        .map(|i| {
            scan(
                Some(b.first_serial + i % 100),
                Some(p),
                &format!("p{i}"),
                t1,
            )
        })
        .collect();
    s.record_scans(&many).await.unwrap();
    let serials: Vec<i64> = (0..100).map(|i| b.first_serial + i).collect();
    assert_eq!(s.stamp_totals(&serials).await.unwrap().len(), 100);
}

async fn pins_are_checked_once_and_lock(s: &dyn Store) {
    use ocop_domain::verify::{PinOutcome, Verdict};
    const G: Verdict = Verdict::Genuine;
    let now = Utc::now();
    assert_eq!(
        s.check_pin(7, G, false, now).await.unwrap(),
        PinOutcome::WrongPin { attempts_left: 4 }
    );
    assert_eq!(
        s.check_pin(7, G, true, now).await.unwrap(),
        PinOutcome::FirstCheck
    );
    match s.check_pin(7, G, true, now).await.unwrap() {
        PinOutcome::AlreadyChecked { first_checked_at } => {
            assert_eq!(first_checked_at.timestamp(), now.timestamp())
        }
        other => panic!("{other:?}"),
    }
    assert!(s.stamp_activity(7).await.unwrap().pin_reused);
    for _ in 0..4 {
        s.check_pin(8, G, false, now).await.unwrap();
    }
    assert_eq!(
        s.check_pin(8, G, false, now).await.unwrap(),
        PinOutcome::Locked
    );
    assert_eq!(
        s.check_pin(8, G, true, now).await.unwrap(),
        PinOutcome::Locked
    );
    assert_eq!(s.stamp_activity(8).await.unwrap().pin_wrong, 5);
    // A void stamp's PIN is not checked, nor counted.
    assert_eq!(
        s.check_pin(9, Verdict::Void, true, now).await.unwrap(),
        PinOutcome::NotInUse
    );
    assert_eq!(
        s.stamp_activity(9).await.unwrap().pin_first_checked_at,
        None
    );
}

async fn recalls_alerts_and_reports(s: &dyn Store) {
    let p = product(s).await;
    let lot = s
        .create_lot(&new_lot(p, "L1", 10), &audit("lot_created", None))
        .await
        .unwrap();
    let b = batch(s, p, 10).await;
    s.record_range(
        &activation(b.id, b.first_serial, b.first_serial + 4, lot.id),
        &audit("stamps_activated", None),
    )
    .await
    .unwrap();
    let recalled = s
        .recall_lot(lot.id, "nhiễm khuẩn", &audit("lot_recalled", Some("22")))
        .await
        .unwrap();
    assert!(recalled.recalled_at.is_some());
    assert_eq!(recalled.recall_reason.as_deref(), Some("nhiễm khuẩn"));
    assert!(matches!(
        s.recall_lot(999, "x", &audit("lot_recalled", None)).await,
        Err(StoreError::NotFound)
    ));
    let card = s.batch_card(b.id).await.unwrap().unwrap();
    assert_eq!(card.product.name, "Chè xanh");
    assert_eq!(card.product.province_name, "Quảng Ninh");
    assert_eq!(card.ranges.len(), 1);
    assert!(card.lots[0].recalled_at.is_some());
    assert_eq!(s.batch_card(999).await.unwrap(), None);

    let alert = |key: &str| NewAlert {
        dedupe_key: key.into(),
        kind: "many_scans",
        serial: Some(b.first_serial),
        product_id: Some(p),
        province_code: Some("22".into()),
        details: serde_json::json!({"scans": 60}),
    };
    assert_eq!(
        s.raise_alerts(&[alert("many_scans:1"), alert("many_scans:1")])
            .await
            .unwrap(),
        1,
        "one alert per cause"
    );
    assert_eq!(
        s.raise_alerts(&[alert("many_scans:1"), alert("many_places:1")])
            .await
            .unwrap(),
        1
    );
    let mine = WatchFilter {
        province: Some("22".into()),
        limit: 50,
        ..Default::default()
    };
    let list = s.alerts(&mine).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].product_name.as_deref(), Some("Chè xanh"));
    let elsewhere = WatchFilter {
        province: Some("01".into()),
        limit: 50,
        ..Default::default()
    };
    assert!(s.alerts(&elsewhere).await.unwrap().is_empty());
    let seen = s
        .set_alert_state(list[0].id, "seen", &audit("alert_seen", Some("22")))
        .await
        .unwrap();
    assert_eq!(seen.state, "seen");
    let new_only = WatchFilter {
        state: Some("new".into()),
        ..mine.clone()
    };
    assert_eq!(s.alerts(&new_only).await.unwrap().len(), 1);

    let report = s
        .create_report(&NewReport {
            code: "6KFKS7G07T753H27".into(),
            serial: Some(b.first_serial),
            product_id: Some(p),
            province_code: Some("22".into()),
            what: "Tem in mờ, giá rẻ bất thường".into(),
            place: Some("Chợ Hạ Long".into()),
            contact: None,
            photo_hash: None,
            photo_type: None,
        })
        .await
        .unwrap();
    assert_eq!(report.product_name.as_deref(), Some("Chè xanh"));
    let by_org = WatchFilter {
        organization_id: Some(card.product.organization_id),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.reports(&by_org).await.unwrap(), vec![report.clone()]);
    assert_eq!(s.report(report.id + 1000).await.unwrap(), None);
    assert_eq!(s.report(report.id).await.unwrap(), Some(report));
    let other_org = WatchFilter {
        organization_id: Some(999),
        limit: 10,
        ..Default::default()
    };
    assert!(s.reports(&other_org).await.unwrap().is_empty());
}
