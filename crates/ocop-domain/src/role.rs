//! The roles of DESIGN §1. Their string forms are a contract (CLI, API, database).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The national coordination office: everything, everywhere.
    Central,
    /// A province's OCOP office.
    Admin,
    /// A commune officer.
    Officer,
    /// A council member.
    Evaluator,
    /// A user of one economic organization.
    Producer,
    /// Market surveillance.
    Inspector,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Central,
        Role::Admin,
        Role::Officer,
        Role::Evaluator,
        Role::Producer,
        Role::Inspector,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Central => "central",
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Evaluator => "evaluator",
            Role::Producer => "producer",
            Role::Inspector => "inspector",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`: use one of central, admin, officer, evaluator, producer, inspector")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_role() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Admin ".parse::<Role>(), Ok(Role::Admin));
    }

    #[test]
    fn unknown_role_names_the_choices() {
        let err = "boss".parse::<Role>().unwrap_err().to_string();
        assert!(err.contains("boss") && err.contains("inspector"), "{err}");
    }
}
