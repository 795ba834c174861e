//! Demo data for `ocop demo`: Quảng Ninh, where OCOP began, with a few of its producers and
//! one user of every role. Loaded only into an empty database.

use crate::error::Fatal;
use crate::users::{self, Requester, UserInput};
use ocop_domain::OrganizationKind;
use ocop_store::{OrganizationFields, Store};

/// Every demo user signs in with this password.
pub const DEMO_PASSWORD: &str = "ocop-demo-2026";

pub struct DemoSignIn {
    pub email: &'static str,
    pub role: &'static str,
    pub name: &'static str,
}

const ORGANIZATIONS: &[(&str, OrganizationKind, &str, &str)] = &[
    (
        "HTX Chè Đường Hoa",
        OrganizationKind::Cooperative,
        "06946",
        "Thôn Tân Hoa, xã Đường Hoa",
    ),
    (
        "Công ty CP Nước mắm Cái Rồng",
        OrganizationKind::Enterprise,
        "06994",
        "Khu 7, đặc khu Vân Đồn",
    ),
    (
        "Hộ kinh doanh Ba kích Ba Chẽ",
        OrganizationKind::Household,
        "06970",
        "Thôn Làng Dạ, xã Ba Chẽ",
    ),
    (
        "HTX Miến dong Bình Liêu",
        OrganizationKind::Cooperative,
        "06838",
        "Thôn Bản Chuông, xã Bình Liêu",
    ),
    (
        "Trang trại Gà Tiên Yên",
        OrganizationKind::Farm,
        "06862",
        "Thôn Khe Tiên, xã Tiên Yên",
    ),
];

struct DemoUser {
    email: &'static str,
    name: &'static str,
    role: &'static str,
    locality: Option<&'static str>,
    /// Index into [`ORGANIZATIONS`], for producers.
    organization: Option<usize>,
}

const USERS: &[DemoUser] = &[
    DemoUser {
        email: "central@ocop.demo",
        name: "Nguyễn Văn Trung",
        role: "central",
        locality: None,
        organization: None,
    },
    DemoUser {
        email: "admin@quangninh.ocop.demo",
        name: "Trần Thị Hạnh",
        role: "admin",
        locality: Some("22"),
        organization: None,
    },
    DemoUser {
        email: "officer.duonghoa@quangninh.ocop.demo",
        name: "Lê Văn Hòa",
        role: "officer",
        locality: Some("06946"),
        organization: None,
    },
    DemoUser {
        email: "officer.dongtrieu@quangninh.ocop.demo",
        name: "Phạm Thị Thu",
        role: "officer",
        locality: Some("07093"),
        organization: None,
    },
    DemoUser {
        email: "evaluator@quangninh.ocop.demo",
        name: "Đỗ Minh Đức",
        role: "evaluator",
        locality: Some("22"),
        organization: None,
    },
    DemoUser {
        email: "evaluator2@quangninh.ocop.demo",
        name: "Ngô Thị Mai",
        role: "evaluator",
        locality: Some("22"),
        organization: None,
    },
    DemoUser {
        email: "producer@cheduonghoa.ocop.demo",
        name: "Hoàng Thị Lan",
        role: "producer",
        locality: None,
        organization: Some(0),
    },
    DemoUser {
        email: "inspector@quangninh.ocop.demo",
        name: "Vũ Quốc Khánh",
        role: "inspector",
        locality: Some("22"),
        organization: None,
    },
];

/// (organization index, name, criteria set, GTIN, certificate: stars, number, decided on)
type DemoProduct = (
    usize,
    &'static str,
    i64,
    Option<&'static str>,
    Option<(i32, &'static str, &'static str)>,
);

const PRODUCTS: &[DemoProduct] = &[
    (
        0,
        "Chè xanh Đường Hoa",
        11,
        Some("8935001234562"),
        Some((4, "QN-OCOP-2025-0141", "2025-06-20")),
    ),
    (
        0,
        "Trà hoa vàng Đường Hoa",
        12,
        None,
        Some((3, "QN-OCOP-2024-0088", "2024-09-12")),
    ),
    (
        1,
        "Nước mắm Cái Rồng 35 độ đạm",
        9,
        None,
        Some((5, "TW-OCOP-2023-0012", "2023-12-28")),
    ),
    (1, "Nước mắm cốt nhĩ Vân Đồn", 9, None, None),
    (
        2,
        "Rượu ba kích Ba Chẽ",
        14,
        None,
        Some((4, "QN-OCOP-2022-0031", "2022-05-10")),
    ),
    (
        3,
        "Miến dong Bình Liêu",
        6,
        None,
        Some((4, "QN-OCOP-2025-0150", "2025-07-01")),
    ),
    (
        4,
        "Gà đồi Tiên Yên",
        2,
        None,
        Some((3, "QN-OCOP-2025-0163", "2025-08-15")),
    ),
];

/// Loads the demo data if the database has no users; returns the sign-ins it created.
pub async fn load(store: &dyn Store, kid: u32) -> Result<Option<Vec<DemoSignIn>>, Fatal> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    let mut org_ids = Vec::new();
    for (name, kind, commune, address) in ORGANIZATIONS {
        let commune_code = commune
            .parse()
            .map_err(|_| Fatal::new("bad demo commune"))?;
        let new = OrganizationFields {
            name: name.to_string(),
            kind: *kind,
            commune: commune_code,
            province: "22".parse().map_err(|_| Fatal::new("bad demo province"))?,
            tax_code: None,
            address: Some(address.to_string()),
            representative: None,
            phone: None,
            email: None,
            gln: None,
            food_safety_signed_on: None,
        };
        let audit = Requester::Operator.audit(
            "organization_created",
            Some(&new.province),
            serde_json::json!({"demo": true}),
        );
        org_ids.push(store.create_organization(&new, &audit).await?.id);
    }
    let mut sign_ins = Vec::new();
    for u in USERS {
        let input = UserInput {
            email: u.email.to_string(),
            name: u.name.to_string(),
            role: u.role.to_string(),
            locality: u.locality.map(str::to_string),
            organization_id: u.organization.map(|i| org_ids[i]),
        };
        users::create(store, Requester::Operator, input, DEMO_PASSWORD).await?;
        sign_ins.push(DemoSignIn {
            email: u.email,
            role: u.role,
            name: u.name,
        });
    }
    let mut product_ids = Vec::new();
    for (i, (org, name, set, gtin, certificate)) in PRODUCTS.iter().enumerate() {
        let input = crate::registry::products::ProductInput {
            organization_id: Some(org_ids[*org]),
            name: Some(name.to_string()),
            criteria_set: Some(*set),
            gtin: gtin.map(str::to_string),
            standard_code: Some(format!("TCCS {:02}:2025/OCOP-QN", set)),
            status: Some("active".into()),
            key_level: Some("province".into()),
            ..Default::default()
        };
        let product = crate::registry::products::create(store, Requester::Operator, &input).await?;
        product_ids.push(product.id);
        if let Some((stars, number, decided)) = certificate {
            let decided_on: chrono::NaiveDate =
                decided.parse().map_err(|_| Fatal::new("bad demo date"))?;
            let new = ocop_store::NewCertificate {
                product_id: product.id,
                number: number.to_string(),
                stars: *stars,
                decision_number: format!("{}/QĐ-UBND", 1000 + product.id),
                decided_on,
                expires_on: ocop_domain::certificate::expiry(decided_on),
                recorded_by: None,
            };
            let audit = Requester::Operator.audit(
                "certificate_recorded",
                None,
                serde_json::json!({"demo": true}),
            );
            store.record_certificate(&new, &audit).await?;
        }
        if i < 2 {
            stamps(store, product.id, kid).await?;
        }
    }
    crate::demo_evaluation::load(store, &product_ids, crate::present::today_in_vietnam()).await?;
    Ok(Some(sign_ins))
}

pub fn print_sign_ins(loaded: Option<&[DemoSignIn]>) {
    match loaded {
        Some(list) => {
            println!(
                "demo data loaded: Quảng Ninh (province 22), {} organizations, {} products (public catalog at /catalog)",
                ORGANIZATIONS.len(),
                PRODUCTS.len()
            );
            // The recognized dossier is the demo's first; its certificate is dated today.
            let year = chrono::Datelike::year(&crate::present::today_in_vietnam());
            println!(
                "the 2026 OCOP cycle: ideas and a plan, a council of two, a dossier recognized 4★ \
                 (certificate check at /certificates/OCOP-22-{year}-00001), one in its round, one draft"
            );
            println!("sign in with any of these (password: {DEMO_PASSWORD}):");
            for s in list {
                println!("  {:<10} {:<42} {}", s.role, s.email, s.name);
            }
        }
        None => println!("the database already has users: demo data not loaded (use a new --database-url for a fresh demo)"),
    }
}

/// Two lots and a batch of stamps, partly activated and partly voided, so the stamp pages
/// have something to show.
async fn stamps(store: &dyn Store, product_id: i64, kid: u32) -> Result<(), Fatal> {
    use crate::stamps::{self, LotInput, RangeInput};
    use ocop_domain::stamps::RangeKind;
    let by = Requester::Operator;
    let day = |s: &str| {
        s.parse::<chrono::NaiveDate>()
            .map_err(|_| Fatal::new("bad demo date"))
    };
    let mut lots = Vec::new();
    for (code, produced, expires, quantity) in [
        ("L-2026-10", "2026-10-05", "2027-10-05", 500),
        ("L-2026-11", "2026-11-10", "2027-11-10", 800),
    ] {
        let input = LotInput {
            product_id,
            code: code.into(),
            produced_on: day(produced)?,
            expires_on: Some(day(expires)?),
            quantity,
            area_code: Some("VN-QN-VT-0042".into()),
            notes: None,
        };
        lots.push(stamps::create_lot(store, by, &input).await?);
    }
    let batch = stamps::issue_batch(store, by, product_id, 2_000, kid).await?;
    let first = batch.first_serial;
    let ranges = [
        (
            RangeKind::Activated,
            first,
            first + 499,
            Some(lots[0].id),
            None,
        ),
        (
            RangeKind::Activated,
            first + 500,
            first + 799,
            Some(lots[1].id),
            None,
        ),
        (
            RangeKind::Voided,
            first + 1_950,
            first + 1_999,
            None,
            Some("Cuộn tem bị ướt khi vận chuyển".to_string()),
        ),
    ];
    for (kind, from_serial, to_serial, lot_id, reason) in ranges {
        let input = RangeInput {
            kind,
            from_serial,
            to_serial,
            lot_id,
            reason,
        };
        stamps::record_range(store, by, batch.id, &input).await?;
    }
    Ok(())
}
