//! Search folding for Vietnamese text.
//!
//! Shoppers and officers often type without tone marks ("nuoc mam" for "nước mắm"), and the same
//! word can arrive precomposed (NFC) or decomposed (NFD) depending on the keyboard. Folding both the
//! stored names and the query to one plain form lets a search match either way.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds `s` for searching: no diacritics, đ → d, lower case, single spaces, trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Starting "in a space" drops leading whitespace without a second pass.
    let mut in_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                in_space = true;
            }
            continue;
        }
        in_space = false;
        // đ has no decomposition in Unicode, so NFD leaves it alone; Vietnamese readers treat it as d.
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The words of a folded query, so that a search can require every one of them.
pub fn search_terms(q: &str) -> Vec<String> {
    fold(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// At most 40 characters of `s`, for echoing user input in an error message: a pasted page of
/// text should not turn into a page-long error.
pub(crate) fn excerpt(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_product_names() {
        assert_eq!(fold("Cà phê Đông Triều"), "ca phe dong trieu");
        assert_eq!(fold("Nước mắm Cái Rồng"), "nuoc mam cai rong");
        assert_eq!(fold("Miến dong Bình Liêu"), "mien dong binh lieu");
        assert_eq!(fold("ĐẶC SẢN Quảng Ninh"), "dac san quang ninh");
    }

    #[test]
    fn nfc_and_nfd_spellings_fold_equal() {
        let nfc: String = "Trường".nfc().collect();
        let nfd: String = "Trường".nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(fold(&nfc), fold(&nfd));
        assert_eq!(fold(&nfd), "truong");
    }

    #[test]
    fn folds_spreadsheet_headers() {
        assert_eq!(fold("  TÊN  TỔ\nCHỨC "), "ten to chuc");
        assert_eq!(fold("Mã\u{a0}số thuế"), "ma so thue");
        assert_eq!(fold("Te\u{302}\u{301}n"), fold("Tến"));
        assert_eq!(fold("tax_code"), "tax_code");
        assert_eq!(fold(" \t "), "");
    }

    #[test]
    fn collapses_and_trims_whitespace() {
        assert_eq!(fold("  HTX   Chè  "), "htx che");
        assert_eq!(fold("a\t\n b\u{00A0}c"), "a b c");
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
        assert_eq!(fold("\u{0301}\u{0323}"), "");
        assert_eq!(fold("茶 🍵"), "茶 🍵");
        let long = "Ạ ".repeat(100_000);
        assert_eq!(fold(&long).len(), 2 * 100_000 - 1);
    }

    #[test]
    fn query_splits_into_folded_words() {
        assert_eq!(
            search_terms("  Nước  MẮM cái-rồng "),
            vec!["nuoc", "mam", "cai-rong"]
        );
        assert!(search_terms("").is_empty());
        assert!(search_terms(" \t ").is_empty());
    }

    #[test]
    fn excerpts_cut_on_character_boundaries() {
        assert_eq!(excerpt("ngắn"), "ngắn");
        let cut = excerpt(&"ữ".repeat(100));
        assert_eq!(cut.chars().count(), 41);
        assert!(cut.ends_with('…'));
    }
}
