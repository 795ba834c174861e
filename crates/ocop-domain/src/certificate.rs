//! OCOP certificates: who recognizes which stars, and how long a certificate lasts (DESIGN §2).

use crate::access::{Actor, Place};
use crate::role::Role;
use chrono::{Months, NaiveDate};

/// A certificate is valid for 36 months from its decision.
pub const VALIDITY_MONTHS: u32 = 36;

pub fn expiry(decided_on: NaiveDate) -> NaiveDate {
    decided_on
        .checked_add_months(Months::new(VALIDITY_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

crate::named_enum! {
    /// Where a certificate stands on a day: only a valid one shows its stars (an expired or
    /// revoked product must stop showing them).
    pub enum Standing("certificate standing") {
        Valid = "valid",
        Expired = "expired",
        Revoked = "revoked",
        NotYetValid = "not_yet_valid",
    }
}

pub fn standing(
    decided_on: NaiveDate,
    expires_on: NaiveDate,
    revoked: bool,
    today: NaiveDate,
) -> Standing {
    match () {
        _ if revoked => Standing::Revoked,
        _ if today < decided_on => Standing::NotYetValid,
        _ if today > expires_on => Standing::Expired,
        _ => Standing::Valid,
    }
}

/// Whether stars from a certificate may be shown on a given day.
pub fn shows_stars(
    decided_on: NaiveDate,
    expires_on: NaiveDate,
    revoked: bool,
    today: NaiveDate,
) -> bool {
    standing(decided_on, expires_on, revoked, today) == Standing::Valid
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateRefused {
    #[error("only 3, 4 and 5 stars are certified: 1–2 star results get no certificate")]
    Stars,
    #[error("only the central council recognizes 5-star products")]
    FiveStarsAreCentral,
    #[error("only the province's OCOP office or the central office records certificates")]
    Role,
    #[error("the product is outside your province")]
    Place,
}

/// The province certifies 3★ and 4★ products of its own; only the central level certifies 5★.
pub fn may_record(actor: &Actor, stars: i32, product: &Place) -> Result<(), CertificateRefused> {
    if !(3..=5).contains(&stars) {
        return Err(CertificateRefused::Stars);
    }
    authority(actor, stars, product)
}

/// Revocation belongs to the authority that recognizes such stars: the province for its 3★
/// and 4★ products, the central office for 5★ (and any).
pub fn may_revoke(actor: &Actor, stars: i32, product: &Place) -> Result<(), CertificateRefused> {
    authority(actor, stars, product)
}

fn authority(actor: &Actor, stars: i32, product: &Place) -> Result<(), CertificateRefused> {
    match actor.role {
        Role::Central => Ok(()),
        Role::Admin if stars == 5 => Err(CertificateRefused::FiveStarsAreCentral),
        Role::Admin if actor.covers(product) => Ok(()),
        Role::Admin => Err(CertificateRefused::Place),
        _ => Err(CertificateRefused::Role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn certificates_last_36_months() {
        assert_eq!(expiry(d(2025, 6, 1)), d(2028, 6, 1));
        assert_eq!(expiry(d(2024, 2, 29)), d(2027, 2, 28));
        assert!(shows_stars(
            d(2025, 6, 1),
            d(2028, 6, 1),
            false,
            d(2028, 6, 1)
        ));
        assert!(!shows_stars(
            d(2025, 6, 1),
            d(2028, 6, 1),
            false,
            d(2028, 6, 2)
        ));
        assert!(!shows_stars(
            d(2025, 6, 1),
            d(2028, 6, 1),
            true,
            d(2026, 1, 1)
        ));
        assert!(!shows_stars(
            d(2025, 6, 1),
            d(2028, 6, 1),
            false,
            d(2025, 5, 31)
        ));
    }

    #[test]
    fn provinces_certify_three_and_four_stars_central_five() {
        let qn = Place {
            province: Some("22".parse().unwrap()),
            commune: Some("06946".parse().unwrap()),
        };
        let hn = Place {
            province: Some("01".parse().unwrap()),
            commune: None,
        };
        let admin = Actor {
            user_id: 1,
            role: Role::Admin,
            province: Some("22".parse().unwrap()),
            commune: None,
            organization_id: None,
        };
        assert_eq!(may_record(&admin, 4, &qn), Ok(()));
        assert_eq!(
            may_record(&admin, 5, &qn),
            Err(CertificateRefused::FiveStarsAreCentral)
        );
        assert_eq!(may_record(&admin, 3, &hn), Err(CertificateRefused::Place));
        assert_eq!(may_record(&admin, 2, &qn), Err(CertificateRefused::Stars));
        let central = Actor {
            role: Role::Central,
            province: None,
            ..admin.clone()
        };
        assert_eq!(may_record(&central, 5, &hn), Ok(()));
        assert_eq!(may_revoke(&admin, 4, &qn), Ok(()));
        assert_eq!(
            may_revoke(&admin, 5, &qn),
            Err(CertificateRefused::FiveStarsAreCentral)
        );
        assert_eq!(may_revoke(&admin, 3, &hn), Err(CertificateRefused::Place));
        assert_eq!(may_revoke(&central, 5, &qn), Ok(()));
        let officer = Actor {
            role: Role::Officer,
            ..admin
        };
        assert_eq!(may_record(&officer, 3, &qn), Err(CertificateRefused::Role));
        assert_eq!(may_revoke(&officer, 3, &qn), Err(CertificateRefused::Role));
    }
}
