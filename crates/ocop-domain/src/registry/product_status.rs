//! Where a product stands in the registry, independent of its OCOP stars.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Stars and certificates have their own life cycle; this status only says whether the producer
/// may present the product, which is what the public catalog and stamp issuing look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Being entered by the producer or an officer; not public and no stamps may be issued.
    Draft,
    /// On sale and public; stamps may be issued.
    Active,
    /// Temporarily withdrawn by the authorities (for instance during an inspection or a recall):
    /// hidden from the catalog, no new stamps, but it may return to active.
    Suspended,
    /// No longer made; kept so that stamps already on the market still resolve to a product.
    Discontinued,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown product status `{0}`: use draft, active, suspended or discontinued")]
pub struct UnknownProductStatus(pub String);

impl ProductStatus {
    pub const ALL: [ProductStatus; 4] = [
        ProductStatus::Draft,
        ProductStatus::Active,
        ProductStatus::Suspended,
        ProductStatus::Discontinued,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Active => "active",
            ProductStatus::Suspended => "suspended",
            ProductStatus::Discontinued => "discontinued",
        }
    }
}

impl FromStr for ProductStatus {
    type Err = UnknownProductStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProductStatus::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| UnknownProductStatus(crate::text::excerpt(s)))
    }
}

impl fmt::Display for ProductStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in ProductStatus::ALL {
            assert_eq!(s.as_str().parse::<ProductStatus>(), Ok(s));
            assert_eq!(s.to_string(), s.as_str());
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
            assert_eq!(serde_json::from_str::<ProductStatus>(&json).unwrap(), s);
        }
    }

    #[test]
    fn rejects_others() {
        for bad in ["", "Active", "deleted", "đang bán", "🍵"] {
            assert!(bad.parse::<ProductStatus>().is_err(), "{bad}");
        }
        let err = "x".repeat(100_000).parse::<ProductStatus>().unwrap_err();
        assert!(err.to_string().len() < 300);
    }
}
