//! Synthetic register data for load tests (`ocop bench-data`): realistic Vietnamese names, so
//! that searches like "ca phe" or "nuoc mam" match the share of rows they would in real life.

use crate::error::Fatal;
use crate::users::Requester;
use ocop_domain::registry::ProductStatus;
use ocop_domain::{LocalityKind, OrganizationKind};
use ocop_store::{OrganizationFields, ProductFields, Store};
use std::io::Write;

const PRODUCTS: &[(&str, i32)] = &[
    ("Chè", 11),
    ("Trà hoa vàng", 12),
    ("Cà phê", 13),
    ("Nước mắm", 9),
    ("Miến dong", 6),
    ("Mật ong", 4),
    ("Rượu", 14),
    ("Gạo", 3),
    ("Bánh gai", 6),
    ("Mực khô", 8),
    ("Chả mực", 8),
    ("Gà đồi", 2),
    ("Sá sùng", 8),
    ("Dầu sở", 7),
    ("Ba kích", 20),
    ("Nấm hương", 7),
    ("Tinh dầu quế", 20),
    ("Gốm", 21),
    ("Hoa lan", 23),
];
const QUALITIES: &[&str] = &[
    "",
    "xanh",
    "đặc biệt",
    "truyền thống",
    "hữu cơ",
    "thượng hạng",
    "loại 1",
    "sạch",
    "cổ truyền",
];

/// Chunks keep each transaction short; an interrupted run leaves whole chunks only.
const CHUNK: usize = 5_000;

fn progress(label: &str, done: usize, total: usize) {
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "\r{label}: {done}/{total} ({}%)",
        done * 100 / total.max(1)
    );
    if done == total {
        let _ = writeln!(err);
    }
}

pub async fn fill(store: &dyn Store, organizations: usize, products: usize) -> Result<(), Fatal> {
    let communes: Vec<_> = store
        .localities(Some(&"22".parse().expect("static code")))
        .await?
        .into_iter()
        .filter(|l| l.kind == LocalityKind::Commune)
        .collect();
    let audit = Requester::Operator.audit(
        "bench_data_loaded",
        None,
        serde_json::json!({"organizations": organizations, "products": products}),
    );
    let mut org_ids = Vec::with_capacity(organizations);
    for start in (0..organizations).step_by(CHUNK) {
        let rows: Vec<_> = (start..(start + CHUNK).min(organizations))
            .map(|i| {
                let commune = &communes[i % communes.len()];
                OrganizationFields {
                    name: format!(
                        "HTX {} {} {}",
                        PRODUCTS[i % PRODUCTS.len()].0,
                        commune
                            .name
                            .trim_start_matches("Xã ")
                            .trim_start_matches("Phường "),
                        i
                    ),
                    kind: OrganizationKind::ALL[i % OrganizationKind::ALL.len()],
                    commune: commune.code.clone(),
                    province: "22".parse().expect("static code"),
                    tax_code: None,
                    address: None,
                    representative: None,
                    phone: None,
                    email: None,
                    gln: None,
                    food_safety_signed_on: None,
                }
            })
            .collect();
        org_ids.extend(store.import_organizations(&rows, &audit).await?);
        progress("organizations", org_ids.len(), organizations);
    }
    if org_ids.is_empty() {
        return Err(Fatal::new("--organizations must be at least 1"));
    }
    let mut done = 0;
    for start in (0..products).step_by(CHUNK) {
        let rows: Vec<_> = (start..(start + CHUNK).min(products))
            .map(|i| {
                let (base, set) = PRODUCTS[(i * 7) % PRODUCTS.len()];
                let quality = QUALITIES[(i / 3) % QUALITIES.len()];
                ProductFields {
                    organization_id: org_ids[i % org_ids.len()],
                    name: format!("{base} {quality} {}", i % 997)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                    criteria_set: set,
                    description: None,
                    gtin: None,
                    standard_code: None,
                    standard_declared_on: None,
                    food_safety_certificate: None,
                    food_safety_expires_on: None,
                    key_level: None,
                    status: if i % 10 == 0 {
                        ProductStatus::Draft
                    } else {
                        ProductStatus::Active
                    },
                }
            })
            .collect();
        done += store.import_products(&rows, 2026, &audit).await?.len();
        progress("products", done, products);
    }
    store.refresh_statistics().await?;
    println!("loaded {organizations} organizations and {products} products");
    Ok(())
}
