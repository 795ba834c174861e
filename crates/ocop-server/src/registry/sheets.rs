//! The spreadsheet form of the register: one set of columns for the import template, the
//! import itself and the exports, so an export can be corrected and imported again. Sheets are
//! for Vietnamese offices, so headers and labels are Vietnamese; imports also accept the
//! machine words (`cooperative`, `active`).

use super::organizations::OrganizationInput;
use super::products::ProductInput;
use ocop_domain::registry::{KeyLevel, ProductStatus, TaxCode};
use ocop_domain::OrganizationKind;
use ocop_sheets::{Column, SheetRow, Table};
use ocop_store::{Organization, Product};

pub const ORGANIZATION_COLUMNS: &[Column] = &[
    Column::required("name", "Tên tổ chức"),
    Column::required("kind", "Loại hình").with_note("Doanh nghiệp, Hợp tác xã, Tổ hợp tác, Hộ kinh doanh hoặc Trang trại"),
    Column::required("commune_code", "Mã xã").with_note("Mã xã/phường 5 chữ số theo danh mục 2025, ví dụ 06946"),
    Column::optional("tax_code", "Mã số thuế").with_note("10 chữ số, 10 chữ số-3 chữ số cho chi nhánh, hoặc số định danh 12 chữ số của hộ kinh doanh"),
    Column::optional("address", "Địa chỉ"),
    Column::optional("representative", "Người đại diện"),
    Column::optional("phone", "Điện thoại"),
    Column::optional("email", "Thư điện tử"),
    Column::optional("gln", "GLN").with_note("Mã địa điểm toàn cầu GS1, 13 chữ số (nếu có)"),
    Column::optional("food_safety_signed_on", "Ngày ký cam kết ATTP").with_note("Ngày dạng 2026-03-31 hoặc 31/03/2026"),
];

pub const PRODUCT_COLUMNS: &[Column] = &[
    Column::optional("organization_id", "Mã tổ chức (ID)")
        .with_note("Mã tổ chức trong hệ thống; hoặc điền cột Mã số thuế tổ chức"),
    Column::optional("organization_tax_code", "Mã số thuế tổ chức"),
    Column::required("name", "Tên sản phẩm"),
    Column::required("criteria_set", "Bộ tiêu chí")
        .with_note("Số bộ tiêu chí từ 1 đến 26 (Quyết định 26/2026/QĐ-TTg)"),
    Column::optional("description", "Mô tả"),
    Column::optional("gtin", "GTIN").with_note("Mã số mã vạch 8, 12, 13 hoặc 14 chữ số (nếu có)"),
    Column::optional("standard_code", "Tiêu chuẩn công bố")
        .with_note("Ví dụ TCCS 01:2026/HTX, TCVN 5251:2015"),
    Column::optional("standard_declared_on", "Ngày công bố"),
    Column::optional("food_safety_certificate", "Số GCN ATTP"),
    Column::optional("food_safety_expires_on", "Hạn GCN ATTP"),
    Column::optional("key_level", "Cấp sản phẩm chủ lực")
        .with_note("Xã, Tỉnh hoặc Quốc gia (nếu có)"),
    Column::optional("status", "Trạng thái")
        .with_note("Nháp, Đang hoạt động, Tạm dừng hoặc Ngừng sản xuất (mặc định Nháp)"),
];

pub const ORGANIZATION_EXAMPLE: &[&str] = &[
    "HTX Chè Đường Hoa",
    "Hợp tác xã",
    "06946",
    "5701234567",
    "Thôn Tân Hoa, xã Đường Hoa",
    "Hoàng Văn Tâm",
    "0912345678",
    "htx@cheduonghoa.vn",
    "",
    "2026-03-01",
];

pub const PRODUCT_EXAMPLE: &[&str] = &[
    "",
    "5701234567",
    "Chè xanh Đường Hoa",
    "11",
    "Chè búp sao tay",
    "8935001234562",
    "TCCS 01:2026/HTXCDH",
    "2026-01-15",
    "123/2025/ATTP-CNĐK",
    "2028-12-31",
    "Tỉnh",
    "Đang hoạt động",
];

pub fn kind_label(k: OrganizationKind) -> &'static str {
    match k {
        OrganizationKind::Enterprise => "Doanh nghiệp",
        OrganizationKind::Cooperative => "Hợp tác xã",
        OrganizationKind::CooperativeGroup => "Tổ hợp tác",
        OrganizationKind::Household => "Hộ kinh doanh",
        OrganizationKind::Farm => "Trang trại",
    }
}

pub fn status_label(s: ProductStatus) -> &'static str {
    match s {
        ProductStatus::Draft => "Nháp",
        ProductStatus::Active => "Đang hoạt động",
        ProductStatus::Suspended => "Tạm dừng",
        ProductStatus::Discontinued => "Ngừng sản xuất",
    }
}

pub fn key_level_label(k: KeyLevel) -> &'static str {
    match k {
        KeyLevel::Commune => "Xã",
        KeyLevel::Province => "Tỉnh",
        KeyLevel::National => "Quốc gia",
    }
}

/// Reads a Vietnamese label (any case or accents) or the machine word, and gives the machine
/// word; anything else is passed through for the normal parser to refuse with its message.
fn unlabel<T: Copy>(
    v: Option<&str>,
    all: &[T],
    label: fn(T) -> &'static str,
    word: fn(T) -> &'static str,
    also: &[(&str, T)],
) -> Option<String> {
    let v = v?.trim();
    let f = ocop_domain::text::fold(v);
    let found = all
        .iter()
        .copied()
        .find(|k| ocop_domain::text::fold(label(*k)) == f || word(*k) == f)
        .or_else(|| also.iter().find(|(a, _)| *a == f).map(|(_, k)| *k));
    Some(
        found
            .map(|k| word(k).to_string())
            .unwrap_or_else(|| v.to_string()),
    )
}

fn cell(row: &SheetRow, key: &str) -> Option<String> {
    row.get(key).map(str::to_string)
}

/// A tax code as a sheet gives it. Typed into a numeric cell, a code loses its leading 0: the
/// 10-digit codes of provinces 01–09 (0100109106 reads 100109106) and households' 12-digit
/// personal numbers, which all start with 0 (their first three digits are the province of
/// birth, 001–096). No tax code has 9 or 11 digits, so those get their 0 back.
fn tax_code_cell(row: &SheetRow, key: &str) -> Option<String> {
    let v = row.get(key)?;
    let dropped_zero = matches!(v.len(), 9 | 11) && v.bytes().all(|b| b.is_ascii_digit());
    Some(if dropped_zero {
        format!("0{v}")
    } else {
        v.to_string()
    })
}

/// The tax code a product row names its organization by, in the register's form when it is a
/// tax code at all ("5702 111 222" finds 5702111222).
pub fn organization_tax_code(row: &SheetRow) -> Option<String> {
    let t = tax_code_cell(row, "organization_tax_code")?;
    Some(t.parse::<TaxCode>().map(String::from).unwrap_or(t))
}

pub fn organization_input(row: &SheetRow) -> OrganizationInput {
    OrganizationInput {
        name: cell(row, "name"),
        kind: unlabel(
            row.get("kind"),
            &OrganizationKind::ALL,
            kind_label,
            OrganizationKind::as_str,
            &[
                ("htx", OrganizationKind::Cooperative),
                ("tht", OrganizationKind::CooperativeGroup),
                ("ho san xuat", OrganizationKind::Household),
                ("cong ty", OrganizationKind::Enterprise),
            ],
        ),
        // Spreadsheets drop leading zeros from codes typed as numbers: "6946" means "06946".
        commune_code: cell(row, "commune_code"),
        tax_code: tax_code_cell(row, "tax_code"),
        address: cell(row, "address"),
        representative: cell(row, "representative"),
        phone: cell(row, "phone"),
        email: cell(row, "email"),
        gln: cell(row, "gln"),
        food_safety_signed_on: cell(row, "food_safety_signed_on"),
    }
}

/// The product fields of a row; the organization is resolved by the caller.
pub fn product_input(
    row: &SheetRow,
    organization_id: Option<i64>,
) -> Result<ProductInput, (&'static str, String)> {
    let criteria_set = match row.get("criteria_set") {
        Some(v) => Some(v.trim().parse::<i64>().map_err(|_| {
            (
                "criteria_set",
                format!("`{v}` is not a criteria set number: write a number from 1 to 26"),
            )
        })?),
        None => None,
    };
    Ok(ProductInput {
        organization_id,
        name: cell(row, "name"),
        criteria_set,
        description: cell(row, "description"),
        gtin: cell(row, "gtin"),
        standard_code: cell(row, "standard_code"),
        standard_declared_on: cell(row, "standard_declared_on"),
        food_safety_certificate: cell(row, "food_safety_certificate"),
        food_safety_expires_on: cell(row, "food_safety_expires_on"),
        key_level: unlabel(
            row.get("key_level"),
            &KeyLevel::ALL,
            key_level_label,
            KeyLevel::as_str,
            &[],
        ),
        status: unlabel(
            row.get("status"),
            &ProductStatus::ALL,
            status_label,
            ProductStatus::as_str,
            &[("hoat dong", ProductStatus::Active)],
        ),
    })
}

fn export_columns(first: &[Column], rest: &[Column]) -> Vec<Column> {
    first.iter().chain(rest.iter()).copied().collect()
}

const ID: Column = Column::optional("id", "ID");

pub fn organizations_table(items: &[Organization]) -> Table {
    let rows = items
        .iter()
        .map(|o| {
            vec![
                o.id.to_string(),
                o.name.clone(),
                kind_label(o.kind).to_string(),
                o.commune_code.clone(),
                o.tax_code.clone().unwrap_or_default(),
                o.address.clone().unwrap_or_default(),
                o.representative.clone().unwrap_or_default(),
                o.phone.clone().unwrap_or_default(),
                o.email.clone().unwrap_or_default(),
                o.gln.clone().unwrap_or_default(),
                o.food_safety_signed_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    Table {
        columns: export_columns(&[ID], ORGANIZATION_COLUMNS),
        rows,
    }
}

pub fn products_table(items: &[Product]) -> Table {
    const EXTRA: &[Column] = &[
        Column::optional("code", "Mã sản phẩm OCOP"),
        Column::optional("organization_name", "Tên tổ chức"),
        Column::optional("group", "Nhóm sản phẩm"),
    ];
    let rows = items
        .iter()
        .map(|p| {
            let group = ocop_domain::criteria::criteria_set(i64::from(p.criteria_set))
                .map(|s| s.group.clone())
                .unwrap_or_default();
            vec![
                p.id.to_string(),
                p.code.clone(),
                p.organization_name.clone(),
                group,
                p.organization_id.to_string(),
                String::new(),
                p.name.clone(),
                p.criteria_set.to_string(),
                p.description.clone().unwrap_or_default(),
                p.gtin.clone().unwrap_or_default(),
                p.standard_code.clone().unwrap_or_default(),
                p.standard_declared_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                p.food_safety_certificate.clone().unwrap_or_default(),
                p.food_safety_expires_on
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                p.key_level
                    .map(key_level_label)
                    .unwrap_or_default()
                    .to_string(),
                status_label(p.status).to_string(),
            ]
        })
        .collect();
    Table {
        columns: export_columns(&[ID], &export_columns(EXTRA, PRODUCT_COLUMNS)),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_fill_every_column() {
        assert_eq!(ORGANIZATION_EXAMPLE.len(), ORGANIZATION_COLUMNS.len());
        assert_eq!(PRODUCT_EXAMPLE.len(), PRODUCT_COLUMNS.len());
    }

    fn row(cells: &[(&'static str, &str)]) -> SheetRow {
        SheetRow {
            row: 2,
            cells: cells.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        }
    }

    #[test]
    fn tax_codes_get_back_the_zero_a_numeric_cell_drops() {
        let tax = |v: &str| organization_input(&row(&[("tax_code", v)])).tax_code;
        assert_eq!(tax("100109106").as_deref(), Some("0100109106"));
        assert_eq!(tax("22089001234").as_deref(), Some("022089001234"));
        assert_eq!(tax("5702111222").as_deref(), Some("5702111222"));
        assert_eq!(
            tax("5702 111 222").as_deref(),
            Some("5702 111 222"),
            "the parser packs it"
        );
        assert_eq!(
            tax("12345").as_deref(),
            Some("12345"),
            "the parser refuses it"
        );
        let named = |v: &str| organization_tax_code(&row(&[("organization_tax_code", v)]));
        assert_eq!(named("5702 111 222").as_deref(), Some("5702111222"));
        assert_eq!(named("100109106").as_deref(), Some("0100109106"));
        assert_eq!(named("HTX").as_deref(), Some("HTX"));
    }

    #[test]
    fn labels_and_words_are_both_read() {
        let k = |v| {
            unlabel(
                Some(v),
                &OrganizationKind::ALL,
                kind_label,
                OrganizationKind::as_str,
                &[("htx", OrganizationKind::Cooperative)],
            )
        };
        assert_eq!(k("Hợp tác xã").as_deref(), Some("cooperative"));
        assert_eq!(k("HOP TAC XA").as_deref(), Some("cooperative"));
        assert_eq!(k("HTX").as_deref(), Some("cooperative"));
        assert_eq!(k("farm").as_deref(), Some("farm"));
        assert_eq!(
            k("Công ty lớn").as_deref(),
            Some("Công ty lớn"),
            "unknown values reach the parser, which names them"
        );
    }
}
