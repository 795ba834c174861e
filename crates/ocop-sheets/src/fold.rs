//! Folding text for comparisons that ignore case, diacritics and spacing.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for matching: canonical decomposition (NFD), combining marks removed, `đ`/`Đ` to
/// `d`, lowercase, runs of whitespace (including non-breaking spaces and line breaks inside a
/// cell) collapsed to one space, and no leading or trailing space.
///
/// `fold("  Tên  tổ\nCHỨC ")` is `"ten to chuc"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            // Đ/đ have no decomposition: the bar is part of the letter.
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_vietnamese_case_and_spacing() {
        assert_eq!(fold("Tên tổ chức"), "ten to chuc");
        assert_eq!(fold("  TÊN  TỔ\nCHỨC "), "ten to chuc");
        assert_eq!(fold("Địa chỉ"), "dia chi");
        assert_eq!(fold("ĐƯỜNG"), "duong");
        assert_eq!(fold("Mã\u{a0}số thuế"), "ma so thue");
        // Decomposed input (as some Vietnamese keyboards type it) folds the same way.
        assert_eq!(fold("Te\u{302}\u{301}n"), fold("Tến"));
        assert_eq!(fold("tax_code"), "tax_code");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" \t "), "");
    }
}
