//! Registering and changing products.

use super::{bounded, date, parsed, require_edit, required, within};
use crate::error::{not_found, unprocessable, Problem};
use crate::users::Requester;
use chrono::Datelike;
use ocop_domain::gs1::Gtin;
use ocop_domain::registry::{KeyLevel, ProductName, ProductStatus, StandardCode};
use ocop_store::{Product, ProductFields, Store};

/// A product as typed into a form, a JSON body or a spreadsheet row.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ProductInput {
    pub organization_id: Option<i64>,
    pub name: Option<String>,
    /// 1–26: the OCOP criteria set, which fixes the product's sector and group
    pub criteria_set: Option<i64>,
    pub description: Option<String>,
    /// GTIN-8/12/13/14 with a valid check digit, optional
    pub gtin: Option<String>,
    /// The declared applicable standard, e.g. "TCCS 01:2026/HTX"
    pub standard_code: Option<String>,
    /// YYYY-MM-DD
    pub standard_declared_on: Option<String>,
    /// Number of the food-safety certificate
    pub food_safety_certificate: Option<String>,
    /// YYYY-MM-DD
    pub food_safety_expires_on: Option<String>,
    /// commune, province or national
    pub key_level: Option<String>,
    /// draft, active, suspended or discontinued (default draft)
    pub status: Option<String>,
}

impl ProductInput {
    pub fn of(p: &Product) -> ProductInput {
        ProductInput {
            organization_id: Some(p.organization_id),
            name: Some(p.name.clone()),
            criteria_set: Some(i64::from(p.criteria_set)),
            description: p.description.clone(),
            gtin: p.gtin.clone(),
            standard_code: p.standard_code.clone(),
            standard_declared_on: p.standard_declared_on.map(|d| d.to_string()),
            food_safety_certificate: p.food_safety_certificate.clone(),
            food_safety_expires_on: p.food_safety_expires_on.map(|d| d.to_string()),
            key_level: p.key_level.map(|k| k.as_str().to_string()),
            status: Some(p.status.as_str().to_string()),
        }
    }
}

/// Checks every field; the organization must exist and be within the requester's reach.
pub async fn fields(
    store: &dyn Store,
    by: Requester<'_>,
    input: &ProductInput,
) -> Result<ProductFields, Problem> {
    let organization_id = input.organization_id.ok_or_else(|| {
        unprocessable("organization_id", "required", "organization_id is required")
    })?;
    let name: ProductName = required(&input.name, "name", "invalid_name")?;
    let criteria_set = input.criteria_set.ok_or_else(|| {
        unprocessable(
            "criteria_set",
            "required",
            "criteria_set is required: a number from 1 to 26",
        )
    })?;
    ocop_domain::criteria::criteria_set(criteria_set)
        .map_err(|e| unprocessable("criteria_set", "invalid_criteria_set", e.to_string()))?;
    let org = super::organizations::visible(store, by, organization_id)
        .await
        .map_err(|p| {
            if p.status == 404 {
                unprocessable(
                    "organization_id",
                    "unknown_organization",
                    format!("there is no organization with id {organization_id} in your area"),
                )
            } else {
                p
            }
        })?;
    Ok(ProductFields {
        organization_id: org.id,
        name: name.as_str().to_string(),
        criteria_set: criteria_set as i32,
        description: bounded(&input.description, "description", 5000)?,
        gtin: parsed::<Gtin>(&input.gtin, "gtin", "invalid_gtin")?
            .map(|g| g.as_gtin14().to_string()),
        standard_code: parsed::<StandardCode>(
            &input.standard_code,
            "standard_code",
            "invalid_standard",
        )?
        .map(|s| s.to_string()),
        standard_declared_on: date(&input.standard_declared_on, "standard_declared_on")?,
        food_safety_certificate: bounded(
            &input.food_safety_certificate,
            "food_safety_certificate",
            100,
        )?,
        food_safety_expires_on: date(&input.food_safety_expires_on, "food_safety_expires_on")?,
        key_level: parsed::<KeyLevel>(&input.key_level, "key_level", "invalid_key_level")?,
        status: parsed::<ProductStatus>(&input.status, "status", "invalid_status")?
            .unwrap_or(ProductStatus::Draft),
    })
}

fn audit_details(f: &ProductFields) -> serde_json::Value {
    serde_json::json!({"name": f.name, "organization_id": f.organization_id, "criteria_set": f.criteria_set, "gtin": f.gtin, "status": f.status})
}

fn gtin_taken(p: Problem) -> Problem {
    if p.code == "conflict" {
        return crate::error::conflict("gtin_taken", "another product already carries this GTIN")
            .with_field("gtin");
    }
    p
}

/// The fields of a new product, checked and within the requester's reach.
pub async fn checked(
    store: &dyn Store,
    by: Requester<'_>,
    input: &ProductInput,
) -> Result<ProductFields, Problem> {
    require_edit(by)?;
    fields(store, by, input).await
}

pub async fn create(
    store: &dyn Store,
    by: Requester<'_>,
    input: &ProductInput,
) -> Result<Product, Problem> {
    let f = checked(store, by, input).await?;
    let org = store
        .organization(f.organization_id)
        .await?
        .ok_or_else(|| not_found("organization"))?;
    let audit = by.audit(
        "product_created",
        org.province_code.parse().ok().as_ref(),
        audit_details(&f),
    );
    let year = chrono::Utc::now().year();
    store
        .create_product(&f, year, &audit)
        .await
        .map_err(|e| gtin_taken(e.into()))
}

/// A product the requester may see; others are "not found" so ids do not leak.
pub async fn visible(store: &dyn Store, by: Requester<'_>, id: i64) -> Result<Product, Problem> {
    if let Requester::Actor(a, _) = by {
        super::reach(a)?;
    }
    let p = store
        .product(id)
        .await?
        .ok_or_else(|| not_found("product"))?;
    if within(
        by,
        &super::place(&p.province_code, &p.commune_code),
        p.organization_id,
    ) {
        Ok(p)
    } else {
        Err(not_found("product"))
    }
}

pub async fn update(
    store: &dyn Store,
    by: Requester<'_>,
    id: i64,
    input: &ProductInput,
) -> Result<Product, Problem> {
    let current = visible(store, by, id).await?;
    require_edit(by)?;
    let f = fields(store, by, input).await?;
    let audit = by.audit(
        "product_updated",
        current.province_code.parse().ok().as_ref(),
        serde_json::json!({"code": current.code, "before": audit_details(&fields_of(&current)), "after": audit_details(&f)}),
    );
    store
        .update_product(id, &f, &audit)
        .await
        .map_err(|e| gtin_taken(e.into()))
}

fn fields_of(p: &Product) -> ProductFields {
    ProductFields {
        organization_id: p.organization_id,
        name: p.name.clone(),
        criteria_set: p.criteria_set,
        description: p.description.clone(),
        gtin: p.gtin.clone(),
        standard_code: p.standard_code.clone(),
        standard_declared_on: p.standard_declared_on,
        food_safety_certificate: p.food_safety_certificate.clone(),
        food_safety_expires_on: p.food_safety_expires_on,
        key_level: p.key_level,
        status: p.status,
    }
}
