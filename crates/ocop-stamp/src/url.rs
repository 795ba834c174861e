//! What the QR holds. Upper case throughout so the QR encodes in alphanumeric mode and stays
//! small (a 30-character host fits version 3); hosts and schemes ignore case, and the server
//! answers `/S/` as well as `/s/`.

use crate::code::StampCode;

/// `{PUBLIC_URL}/S/{CODE}`.
pub fn stamp_url(public_url: &str, code: &StampCode) -> String {
    let mut url = String::with_capacity(public_url.len() + 20);
    push_base(&mut url, public_url);
    url.push_str("/S/");
    url.push_str(&code.to_string());
    url
}

/// GS1 Digital Link form for products with a GTIN: `{PUBLIC_URL}/01/{GTIN-14}/21/{CODE}`.
/// `gtin14` must already be the checked 14-digit form.
pub fn digital_link_url(public_url: &str, gtin14: &str, code: &StampCode) -> String {
    let mut url = String::with_capacity(public_url.len() + 40);
    push_base(&mut url, public_url);
    url.push_str("/01/");
    url.push_str(gtin14);
    url.push_str("/21/");
    url.push_str(&code.to_string());
    url
}

fn push_base(url: &mut String, public_url: &str) {
    url.extend(
        public_url
            .trim_end_matches('/')
            .chars()
            .map(|c| c.to_ascii_uppercase()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_without_a_double_slash() {
        let code = StampCode::parse("6KFKS7G07T753H27").unwrap();
        assert_eq!(
            stamp_url("https://ocop.quangninh.gov.vn/", &code),
            "HTTPS://OCOP.QUANGNINH.GOV.VN/S/6KFKS7G07T753H27"
        );
        assert_eq!(
            digital_link_url("https://ocop.vn", "08935000000015", &code),
            "HTTPS://OCOP.VN/01/08935000000015/21/6KFKS7G07T753H27"
        );
    }
}
