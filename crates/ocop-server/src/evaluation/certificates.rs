//! Certificates issued from recognition: the public check (stars only while valid), the
//! printable PDF, revocation with its grounds, and the expiry notices offices must send.

use super::Caller;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use crate::registry;
use chrono::NaiveDate;
use ocop_domain::evaluation::CertificateNotice;
use ocop_domain::{Actor, Role};
use ocop_store::{Certificate, CertificateFilter, Organization, Product, Store};

/// A certificate with what its check page and PDF print.
pub struct CertificateCard {
    pub certificate: Certificate,
    pub product: Product,
    pub organization: Organization,
    /// The council's mean total when a dossier here issued it.
    pub score: Option<f64>,
    pub issuer: String,
    pub valid: bool,
}

pub async fn card(
    store: &dyn Store,
    number: &str,
    today: NaiveDate,
) -> Result<CertificateCard, Problem> {
    let number = number.trim();
    let certificate = store
        .certificate_by_number(number)
        .await?
        .ok_or_else(|| not_found("certificate"))?;
    let product = store
        .product(certificate.product_id)
        .await?
        .ok_or_else(|| not_found("certificate"))?;
    let organization = store
        .organization(product.organization_id)
        .await?
        .ok_or_else(|| not_found("certificate"))?;
    let score = store.certificate_score(certificate.id).await?;
    let issuer = if certificate.stars == 5 {
        "Bộ Nông nghiệp và Môi trường".to_string()
    } else {
        let code: Option<ocop_domain::LocalityCode> = product.province_code.parse().ok();
        let place = match code {
            Some(c) => store.locality(&c).await?,
            None => None,
        };
        match place {
            Some(l) => province_council(&l.division, &l.name),
            None => "Ủy ban nhân dân tỉnh".to_string(),
        }
    };
    let valid = certificate.shows_stars(today);
    Ok(CertificateCard {
        certificate,
        product,
        organization,
        score,
        issuer,
        valid,
    })
}

/// The provincial people's committee that recognizes 3★ and 4★: "tỉnh" + "Quảng Ninh" →
/// "Ủy ban nhân dân tỉnh Quảng Ninh"; a centrally run city is "thành phố" (the national list
/// names such cities "Thành phố Hà Nội" and provinces bare).
fn province_council(division: &str, name: &str) -> String {
    let kind = division.replace(" trung ương", "");
    let name = ["Thành phố ", "Tỉnh "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name);
    format!("Ủy ban nhân dân {kind} {name}")
}

/// The printable certificate (A4 landscape) with a QR to its public check.
pub fn pdf(card: &CertificateCard, check_url: &str) -> Result<Vec<u8>, Problem> {
    let c = &card.certificate;
    let set = ocop_domain::criteria::criteria_set(i64::from(card.product.criteria_set))
        .map(|s| format!("Bộ sản phẩm {}: {}", s.number, s.name))
        .unwrap_or_default();
    let stars = u8::try_from(c.stars).unwrap_or(0);
    let address = card.organization.address.clone().unwrap_or_default();
    let doc = ocop_stamp::print::CertificateDoc {
        number: &c.number,
        stars,
        product_name: &card.product.name,
        product_code: &card.product.code,
        criteria_set: &set,
        producer_name: &card.organization.name,
        producer_address: &address,
        score: card.score,
        decision_number: &c.decision_number,
        decision_date: c.decided_on,
        issuer: &card.issuer,
        valid_from: c.decided_on,
        valid_until: c.expires_on,
        check_url,
    };
    let mut out = Vec::new();
    ocop_stamp::print::write_certificate_pdf(&doc, &mut out)
        .map_err(|e| unprocessable("certificate", "cannot_print", e.to_string()))?;
    Ok(out)
}

pub async fn revoke(
    store: &dyn Store,
    who: Caller<'_>,
    id: i64,
    grounds: &str,
    on: NaiveDate,
) -> Result<Certificate, Problem> {
    let c = store
        .certificate(id)
        .await?
        .ok_or_else(|| not_found("certificate"))?;
    let p = store
        .product(c.product_id)
        .await?
        .ok_or_else(|| not_found("certificate"))?;
    let place = registry::place(&p.province_code, &p.commune_code);
    if !who.actor.reaches(&place, p.organization_id) && who.actor.role != Role::Central {
        return Err(not_found("certificate"));
    }
    if ocop_domain::certificate::may_revoke(who.actor, c.stars, &place).is_err() {
        return Err(forbidden("the authority that recognized the product revokes its certificate: the province for 3★ and 4★, the central office for 5★"));
    }
    let grounds = grounds.trim();
    if grounds.is_empty() || grounds.chars().count() > 2_000 {
        return Err(unprocessable(
            "grounds",
            "required",
            "state the grounds of the revocation decision (at most 2,000 characters)",
        ));
    }
    let audit = who.by().audit(
        "certificate_revoked",
        p.province_code.parse().ok().as_ref(),
        serde_json::json!({"number": c.number, "grounds": grounds}),
    );
    Ok(store.revoke_certificate(id, on, grounds, &audit).await?)
}

/// The notices due today for certificates within the caller's reach: those expiring within
/// 30 days, and those whose re-evaluation window (180 to 120 days before expiry) is open. A
/// producer sees its own, an officer its commune's, an office its province's.
pub async fn notices(
    store: &dyn Store,
    actor: &Actor,
    today: NaiveDate,
) -> Result<Vec<(Certificate, CertificateNotice)>, Problem> {
    // Notices follow the register's reach (council members work through their rounds).
    let reach = registry::reach(actor)?;
    let filter = CertificateFilter {
        province: reach.province.map(|p| p.to_string()),
        commune: reach.commune.map(|c| c.to_string()),
        organization_id: reach.organization_id,
        from: today,
        to: today + chrono::Days::new(ocop_domain::evaluation::NOTICE_HORIZON_DAYS),
    };
    Ok(store
        .certificates_expiring(&filter)
        .await?
        .into_iter()
        .filter_map(|c| ocop_domain::evaluation::notice(c.expires_on, today).map(|n| (c, n)))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn provincial_committees_are_named_as_decisions_name_them() {
        assert_eq!(
            super::province_council("tỉnh", "Quảng Ninh"),
            "Ủy ban nhân dân tỉnh Quảng Ninh"
        );
        assert_eq!(
            super::province_council("thành phố trung ương", "Thành phố Hà Nội"),
            "Ủy ban nhân dân thành phố Hà Nội"
        );
    }
}
