//! The standard a producer declares its product conforms to (tiêu chuẩn công bố áp dụng).
//!
//! The yearly plan requires every OCOP product to have one, and the consumer page shows it.

use crate::text::excerpt;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardKind {
    /// Tiêu chuẩn cơ sở: the producer's own standard, the usual case for small producers.
    Tccs,
    /// Tiêu chuẩn Việt Nam: a national standard.
    Tcvn,
    /// Quy chuẩn kỹ thuật quốc gia: a mandatory national technical regulation.
    Qcvn,
    /// Quy chuẩn kỹ thuật địa phương: a province's technical regulation.
    Qcdp,
    /// An ISO international standard.
    Iso,
    /// A Codex Alimentarius food standard.
    Codex,
}

impl StandardKind {
    pub const ALL: [StandardKind; 6] = [
        StandardKind::Tccs,
        StandardKind::Tcvn,
        StandardKind::Qcvn,
        StandardKind::Qcdp,
        StandardKind::Iso,
        StandardKind::Codex,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StandardKind::Tccs => "tccs",
            StandardKind::Tcvn => "tcvn",
            StandardKind::Qcvn => "qcvn",
            StandardKind::Qcdp => "qcdp",
            StandardKind::Iso => "iso",
            StandardKind::Codex => "codex",
        }
    }

    /// The prefix as printed in official documents.
    pub fn prefix(self) -> &'static str {
        match self {
            StandardKind::Tccs => "TCCS",
            StandardKind::Tcvn => "TCVN",
            StandardKind::Qcvn => "QCVN",
            StandardKind::Qcdp => "QCĐP",
            StandardKind::Iso => "ISO",
            StandardKind::Codex => "CODEX",
        }
    }
}

impl fmt::Display for StandardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Prefixes in the order they are tried. QCDP is how QCĐP comes out of keyboards without Vietnamese
/// input; it names the same kind.
const PREFIXES: [(&str, StandardKind); 7] = [
    ("TCCS", StandardKind::Tccs),
    ("TCVN", StandardKind::Tcvn),
    ("QCVN", StandardKind::Qcvn),
    ("QCĐP", StandardKind::Qcdp),
    ("QCDP", StandardKind::Qcdp),
    ("ISO", StandardKind::Iso),
    ("CODEX", StandardKind::Codex),
];

pub const MIN_STANDARD_CHARS: usize = 4;
pub const MAX_STANDARD_CHARS: usize = 120;

/// A declared standard such as "TCCS 01:2024/HTXCDH" or "QCVN 8-2:2011/BYT": a known kind prefix,
/// upper-cased, then the rest exactly as the producer typed it (issuer suffixes vary too much to
/// normalize safely).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StandardCode {
    code: String,
    kind: StandardKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadStandardCode {
    #[error("the applicable standard is empty: write its kind and number, e.g. TCCS 01:2024/HTXCDH or TCVN 5251:2015")]
    Empty,
    #[error("the applicable standard has {chars} characters but must have {MIN_STANDARD_CHARS} to {MAX_STANDARD_CHARS}: write only its kind and number, e.g. TCVN 5251:2015")]
    Length { chars: usize },
    #[error("the applicable standard contains a line break or another control character: write it on one line")]
    ControlCharacter,
    #[error("`{0}` does not start with a known kind of standard: start with TCCS, TCVN, QCVN, QCĐP (or QCDP), ISO or CODEX, e.g. TCCS 01:2024/HTXCDH")]
    UnknownKind(String),
    #[error(
        "`{0}` has no number: write the standard's number after its kind, e.g. TCVN 5251:2015"
    )]
    MissingNumber(String),
}

impl StandardCode {
    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn kind(&self) -> StandardKind {
        self.kind
    }
}

impl FromStr for StandardCode {
    type Err = BadStandardCode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.is_empty() {
            return Err(BadStandardCode::Empty);
        }
        let chars = t.chars().count();
        if !(MIN_STANDARD_CHARS..=MAX_STANDARD_CHARS).contains(&chars) {
            return Err(BadStandardCode::Length { chars });
        }
        if t.chars().any(char::is_control) {
            return Err(BadStandardCode::ControlCharacter);
        }
        for (prefix, kind) in PREFIXES {
            let head_len: usize = t
                .chars()
                .take(prefix.chars().count())
                .map(char::len_utf8)
                .sum();
            let (head, rest) = t.split_at(head_len);
            if head.to_uppercase() != prefix {
                continue;
            }
            // "ISOLATION 1" is not an ISO standard: the kind must end where a word would.
            if rest.starts_with(char::is_alphabetic) {
                break;
            }
            if !rest.chars().any(|c| c.is_ascii_digit()) {
                return Err(BadStandardCode::MissingNumber(excerpt(t)));
            }
            return Ok(StandardCode {
                code: format!("{prefix}{rest}"),
                kind,
            });
        }
        Err(BadStandardCode::UnknownKind(excerpt(t)))
    }
}

impl TryFrom<String> for StandardCode {
    type Error = BadStandardCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<StandardCode> for String {
    fn from(c: StandardCode) -> String {
        c.code
    }
}

impl fmt::Display for StandardCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> StandardCode {
        s.parse().unwrap()
    }

    #[test]
    fn accepts_each_kind() {
        let cases = [
            (
                "TCCS 01:2024/HTXCDH",
                "TCCS 01:2024/HTXCDH",
                StandardKind::Tccs,
            ),
            ("TCVN 5251:2015", "TCVN 5251:2015", StandardKind::Tcvn),
            ("QCVN 8-2:2011/BYT", "QCVN 8-2:2011/BYT", StandardKind::Qcvn),
            ("QCĐP 01:2020/QN", "QCĐP 01:2020/QN", StandardKind::Qcdp),
            ("qcđp 01:2020/QN", "QCĐP 01:2020/QN", StandardKind::Qcdp),
            ("QCDP 01:2020/QN", "QCDP 01:2020/QN", StandardKind::Qcdp),
            ("ISO 22000:2018", "ISO 22000:2018", StandardKind::Iso),
            ("iso22000", "ISO22000", StandardKind::Iso),
            (
                "Codex Stan 12-1981",
                "CODEX Stan 12-1981",
                StandardKind::Codex,
            ),
            (
                "  tccs 02:2025/htx  ",
                "TCCS 02:2025/htx",
                StandardKind::Tccs,
            ),
        ];
        for (input, code, kind) in cases {
            let c = parse(input);
            assert_eq!(c.as_str(), code, "{input}");
            assert_eq!(c.kind(), kind, "{input}");
            assert_eq!(parse(c.as_str()), c);
        }
    }

    #[test]
    fn rejects_with_the_reason() {
        assert_eq!("  ".parse::<StandardCode>(), Err(BadStandardCode::Empty));
        assert_eq!(
            "ISO".parse::<StandardCode>(),
            Err(BadStandardCode::Length { chars: 3 })
        );
        let long = format!("TCVN {}", "1".repeat(200));
        assert!(matches!(
            long.parse::<StandardCode>(),
            Err(BadStandardCode::Length { chars: 205 })
        ));
        assert_eq!(
            "TCVN 5251:\n2015".parse::<StandardCode>(),
            Err(BadStandardCode::ControlCharacter)
        );
        for bad in [
            "HACCP 2020",
            "ISOLATION 1",
            "TC 01:2024",
            "Tiêu chuẩn 01",
            "5251:2015",
        ] {
            assert!(
                matches!(
                    bad.parse::<StandardCode>(),
                    Err(BadStandardCode::UnknownKind(_))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            "TCCS cơ sở".parse::<StandardCode>(),
            Err(BadStandardCode::MissingNumber(_))
        ));
        let msg = "HACCP 2020"
            .parse::<StandardCode>()
            .unwrap_err()
            .to_string();
        for prefix in ["TCCS", "TCVN", "QCVN", "QCĐP", "ISO", "CODEX"] {
            assert!(msg.contains(prefix), "{msg}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "🍵🍵🍵🍵",
            "ĐĐĐĐ",
            "\u{0301}\u{0301}\u{0301}\u{0301}",
            "Q",
            "QCĐ",
        ] {
            assert!(s.parse::<StandardCode>().is_err(), "{s}");
        }
        assert!("x".repeat(100_000).parse::<StandardCode>().is_err());
    }

    #[test]
    fn serde_uses_the_string_form() {
        let c: StandardCode = serde_json::from_str("\"tcvn 5251:2015\"").unwrap();
        assert_eq!(c.kind(), StandardKind::Tcvn);
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"TCVN 5251:2015\"");
        assert!(serde_json::from_str::<StandardCode>("\"HACCP\"").is_err());
        for k in StandardKind::ALL {
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
        }
    }
}
