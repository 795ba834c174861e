//! Registering and changing economic organizations.

use super::{bounded, date, parsed, require_edit, required, within};
use crate::error::{not_found, unprocessable, Problem};
use crate::users::Requester;
use ocop_domain::access::Capability;
use ocop_domain::gs1::Gln;
use ocop_domain::registry::{OrganizationName, PhoneNumber, TaxCode};
use ocop_domain::{Email, LocalityCode, LocalityKind, OrganizationKind};
use ocop_store::{Organization, OrganizationFields, Store};

/// An organization as typed into a form, a JSON body or a spreadsheet row.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct OrganizationInput {
    pub name: Option<String>,
    /// enterprise, cooperative, cooperative_group, household or farm
    pub kind: Option<String>,
    /// 5-digit commune code
    pub commune_code: Option<String>,
    pub tax_code: Option<String>,
    pub address: Option<String>,
    pub representative: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// GS1 Global Location Number (13 digits), optional
    pub gln: Option<String>,
    /// YYYY-MM-DD
    pub food_safety_signed_on: Option<String>,
}

impl OrganizationInput {
    pub fn of(o: &Organization) -> OrganizationInput {
        OrganizationInput {
            name: Some(o.name.clone()),
            kind: Some(o.kind.as_str().to_string()),
            commune_code: Some(o.commune_code.clone()),
            tax_code: o.tax_code.clone(),
            address: o.address.clone(),
            representative: o.representative.clone(),
            phone: o.phone.clone(),
            email: o.email.clone(),
            gln: o.gln.clone(),
            food_safety_signed_on: o.food_safety_signed_on.map(|d| d.to_string()),
        }
    }
}

/// Checks every field and finds the commune's province.
pub async fn fields(
    store: &dyn Store,
    input: &OrganizationInput,
) -> Result<OrganizationFields, Problem> {
    let name: OrganizationName = required(&input.name, "name", "invalid_name")?;
    let kind: OrganizationKind = required(&input.kind, "kind", "invalid_kind")?;
    let commune: LocalityCode = required(&input.commune_code, "commune_code", "invalid_locality")?;
    let place = store.locality(&commune).await?;
    let province = match place {
        Some(l) if l.kind == LocalityKind::Commune => l.parent,
        _ => None,
    }
    .ok_or_else(|| {
        unprocessable(
            "commune_code",
            "unknown_locality",
            format!("there is no commune with code {commune}"),
        )
    })?;
    Ok(OrganizationFields {
        name: name.as_str().to_string(),
        kind,
        commune,
        province,
        tax_code: parsed::<TaxCode>(&input.tax_code, "tax_code", "invalid_tax_code")?
            .map(|t| t.to_string()),
        address: bounded(&input.address, "address", 500)?,
        representative: bounded(&input.representative, "representative", 200)?,
        phone: parsed::<PhoneNumber>(&input.phone, "phone", "invalid_phone")?
            .map(|p| p.to_string()),
        email: parsed::<Email>(&input.email, "email", "invalid_email")?.map(|e| e.to_string()),
        gln: parsed::<Gln>(&input.gln, "gln", "invalid_gln")?.map(|g| g.to_string()),
        food_safety_signed_on: date(&input.food_safety_signed_on, "food_safety_signed_on")?,
    })
}

fn audit_details(f: &OrganizationFields) -> serde_json::Value {
    serde_json::json!({"name": f.name, "kind": f.kind, "commune_code": f.commune, "tax_code": f.tax_code})
}

fn tax_code_taken(p: Problem) -> Problem {
    if p.code == "conflict" {
        return crate::error::conflict(
            "tax_code_taken",
            "an organization with this tax code is already registered",
        )
        .with_field("tax_code");
    }
    p
}

/// The fields of a new organization, checked and within the requester's reach.
pub async fn checked(
    store: &dyn Store,
    by: Requester<'_>,
    input: &OrganizationInput,
) -> Result<OrganizationFields, Problem> {
    require_edit(by)?;
    if let Requester::Actor(a, _) = by {
        if !a.may(Capability::RegisterOrganizations) {
            return Err(crate::error::forbidden(
                "a producer changes its own organization but registers no others",
            ));
        }
    }
    let f = fields(store, input).await?;
    if !within(
        by,
        &super::place(f.province.as_str(), f.commune.as_str()),
        -1,
    ) {
        return Err(
            crate::error::forbidden(format!("commune {} is outside your area", f.commune))
                .with_field("commune_code"),
        );
    }
    Ok(f)
}

pub async fn create(
    store: &dyn Store,
    by: Requester<'_>,
    input: &OrganizationInput,
) -> Result<Organization, Problem> {
    let f = checked(store, by, input).await?;
    let audit = by.audit("organization_created", Some(&f.province), audit_details(&f));
    store
        .create_organization(&f, &audit)
        .await
        .map_err(|e| tax_code_taken(e.into()))
}

/// An organization the requester may see; others are "not found" so ids do not leak.
pub async fn visible(
    store: &dyn Store,
    by: Requester<'_>,
    id: i64,
) -> Result<Organization, Problem> {
    if let Requester::Actor(a, _) = by {
        super::reach(a)?;
    }
    let o = store
        .organization(id)
        .await?
        .ok_or_else(|| not_found("organization"))?;
    if within(by, &super::place(&o.province_code, &o.commune_code), o.id) {
        Ok(o)
    } else {
        Err(not_found("organization"))
    }
}

pub async fn update(
    store: &dyn Store,
    by: Requester<'_>,
    id: i64,
    input: &OrganizationInput,
) -> Result<Organization, Problem> {
    let current = visible(store, by, id).await?;
    require_edit(by)?;
    let f = fields(store, input).await?;
    // The new place must be within reach too: nobody moves a record out of their own area.
    if !within(
        by,
        &super::place(f.province.as_str(), f.commune.as_str()),
        id,
    ) {
        return Err(
            crate::error::forbidden(format!("commune {} is outside your area", f.commune))
                .with_field("commune_code"),
        );
    }
    if let Requester::Actor(a, _) = by {
        if !a.may(Capability::RegisterOrganizations) && f.commune.as_str() != current.commune_code {
            return Err(crate::error::forbidden(
                "ask the commune office to record a move to another commune",
            )
            .with_field("commune_code"));
        }
    }
    let audit = by.audit(
        "organization_updated",
        Some(&f.province),
        serde_json::json!({"before": audit_details(&fields_of(&current)?), "after": audit_details(&f)}),
    );
    store
        .update_organization(id, &f, &audit)
        .await
        .map_err(|e| tax_code_taken(e.into()))
}

fn fields_of(o: &Organization) -> Result<OrganizationFields, Problem> {
    Ok(OrganizationFields {
        name: o.name.clone(),
        kind: o.kind,
        commune: o
            .commune_code
            .parse()
            .map_err(|_| crate::error::internal())?,
        province: o
            .province_code
            .parse()
            .map_err(|_| crate::error::internal())?,
        tax_code: o.tax_code.clone(),
        address: o.address.clone(),
        representative: o.representative.clone(),
        phone: o.phone.clone(),
        email: o.email.clone(),
        gln: o.gln.clone(),
        food_safety_signed_on: o.food_safety_signed_on,
    })
}
