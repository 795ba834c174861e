//! The level at which a product is listed as a key product (sản phẩm chủ lực).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Each level keeps its own key-product list, and the yearly plan sets capacity targets per list,
/// so one product may sit on the commune's list before it reaches the province's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyLevel {
    Commune,
    Province,
    National,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown key-product level `{0}`: use commune, province or national")]
pub struct UnknownKeyLevel(pub String);

impl KeyLevel {
    pub const ALL: [KeyLevel; 3] = [KeyLevel::Commune, KeyLevel::Province, KeyLevel::National];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyLevel::Commune => "commune",
            KeyLevel::Province => "province",
            KeyLevel::National => "national",
        }
    }
}

impl FromStr for KeyLevel {
    type Err = UnknownKeyLevel;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        KeyLevel::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| UnknownKeyLevel(crate::text::excerpt(s)))
    }
}

impl fmt::Display for KeyLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_round_trip() {
        for k in KeyLevel::ALL {
            assert_eq!(k.as_str().parse::<KeyLevel>(), Ok(k));
            assert_eq!(k.to_string(), k.as_str());
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(serde_json::from_str::<KeyLevel>(&json).unwrap(), k);
        }
        assert_eq!(" national ".parse::<KeyLevel>(), Ok(KeyLevel::National));
    }

    #[test]
    fn rejects_others() {
        for bad in ["", "Province", "district", "tỉnh", "🍵"] {
            assert!(bad.parse::<KeyLevel>().is_err(), "{bad}");
        }
        let err = "x".repeat(100_000).parse::<KeyLevel>().unwrap_err();
        assert!(err.to_string().len() < 300);
    }
}
