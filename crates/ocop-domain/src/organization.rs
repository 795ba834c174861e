//! Economic organizations: the producers of OCOP products.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    Enterprise,
    Cooperative,
    CooperativeGroup,
    Household,
    Farm,
}

impl OrganizationKind {
    pub const ALL: [OrganizationKind; 5] = [
        OrganizationKind::Enterprise,
        OrganizationKind::Cooperative,
        OrganizationKind::CooperativeGroup,
        OrganizationKind::Household,
        OrganizationKind::Farm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganizationKind::Enterprise => "enterprise",
            OrganizationKind::Cooperative => "cooperative",
            OrganizationKind::CooperativeGroup => "cooperative_group",
            OrganizationKind::Household => "household",
            OrganizationKind::Farm => "farm",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown organization kind `{0}`: use enterprise, cooperative, cooperative_group, household or farm")]
pub struct UnknownOrganizationKind(pub String);

impl FromStr for OrganizationKind {
    type Err = UnknownOrganizationKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrganizationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| UnknownOrganizationKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in OrganizationKind::ALL {
            assert_eq!(k.as_str().parse::<OrganizationKind>(), Ok(k));
        }
        assert!("company".parse::<OrganizationKind>().is_err());
    }
}
