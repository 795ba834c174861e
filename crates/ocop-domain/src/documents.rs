//! Files attached to organizations and products: what they are for, and what we accept.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A document larger than this is refused: a scanned certificate or a product photo fits easily,
/// and uploads over slow rural links should not tie up the server.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentPurpose {
    /// The organization's signed food-safety commitment.
    FoodSafetyCommitment,
    /// A product's declared applicable standard (hồ sơ công bố tiêu chuẩn).
    Standard,
    /// A product's food-safety certificate.
    FoodSafetyCertificate,
    Photo,
    Other,
}

/// What a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentOwner {
    Organization,
    Product,
}

impl DocumentPurpose {
    pub const ALL: [DocumentPurpose; 5] = [
        DocumentPurpose::FoodSafetyCommitment,
        DocumentPurpose::Standard,
        DocumentPurpose::FoodSafetyCertificate,
        DocumentPurpose::Photo,
        DocumentPurpose::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentPurpose::FoodSafetyCommitment => "food_safety_commitment",
            DocumentPurpose::Standard => "standard",
            DocumentPurpose::FoodSafetyCertificate => "food_safety_certificate",
            DocumentPurpose::Photo => "photo",
            DocumentPurpose::Other => "other",
        }
    }

    /// Which purposes make sense for which owner.
    pub fn fits(self, owner: DocumentOwner) -> bool {
        match self {
            DocumentPurpose::FoodSafetyCommitment => owner == DocumentOwner::Organization,
            DocumentPurpose::Standard | DocumentPurpose::FoodSafetyCertificate => {
                owner == DocumentOwner::Product
            }
            DocumentPurpose::Photo | DocumentPurpose::Other => true,
        }
    }
}

impl fmt::Display for DocumentPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown document purpose `{0}`: use food_safety_commitment, standard, food_safety_certificate, photo or other")]
pub struct UnknownPurpose(pub String);

impl FromStr for DocumentPurpose {
    type Err = UnknownPurpose;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentPurpose::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| UnknownPurpose(s.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadDocument {
    #[error("the file is empty")]
    Empty,
    #[error("the file has {0} bytes; at most 10 MB are accepted: scan at a lower resolution or compress the PDF")]
    TooLarge(usize),
    #[error("only PDF, JPEG, PNG and WebP files are accepted: save or export the document as PDF")]
    UnsupportedType,
}

/// The content type of an upload, read from its first bytes rather than trusted from the
/// browser, so that a renamed HTML or script file is never served back as a document.
pub fn sniff(bytes: &[u8]) -> Result<&'static str, BadDocument> {
    if bytes.is_empty() {
        return Err(BadDocument::Empty);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(BadDocument::TooLarge(bytes.len()));
    }
    if bytes.starts_with(b"%PDF-") {
        Ok("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok("image/png")
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok("image/webp")
    } else {
        Err(BadDocument::UnsupportedType)
    }
}

/// A file name safe to show and to put in a download header: no path, no control or quote
/// characters, at most 120 characters; never empty.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>'))
        .take(120)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "tai-lieu".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_accepted_types_and_refuses_others() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0]), Ok("image/jpeg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Ok("image/png")
        );
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Ok("image/webp"));
        assert_eq!(sniff(b"<html><script>"), Err(BadDocument::UnsupportedType));
        assert_eq!(sniff(b""), Err(BadDocument::Empty));
        let big = vec![b'%'; MAX_DOCUMENT_BYTES + 1];
        assert!(matches!(sniff(&big), Err(BadDocument::TooLarge(_))));
    }

    #[test]
    fn purposes_fit_their_owners() {
        assert!(DocumentPurpose::FoodSafetyCommitment.fits(DocumentOwner::Organization));
        assert!(!DocumentPurpose::FoodSafetyCommitment.fits(DocumentOwner::Product));
        assert!(DocumentPurpose::Standard.fits(DocumentOwner::Product));
        assert!(DocumentPurpose::Photo.fits(DocumentOwner::Organization));
        for p in DocumentPurpose::ALL {
            assert_eq!(p.as_str().parse::<DocumentPurpose>(), Ok(p));
        }
        assert!("invoice".parse::<DocumentPurpose>().is_err());
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            clean_file_name("C:\\scan\\Giấy chứng nhận.pdf"),
            "Giấy chứng nhận.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name(""), "tai-lieu");
        assert_eq!(clean_file_name(".htaccess"), "htaccess");
    }
}
