//! The council's consolidated result as the dossier page shows it, read from the JSON stored
//! in `Dossier::result` (the shape of [`crate::evaluation::score::ScoreView`]).

use super::rubric::criterion_label;
use crate::i18n::Tr;
use ocop_domain::criteria::Rubric;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Stored {
    total: f64,
    band_stars: u8,
    stars: Option<u8>,
    unmet_minimums: Vec<StoredUnmet>,
    stopped: bool,
    stop_criterion: Option<String>,
    disqualified: Vec<String>,
    recognized_by: Option<String>,
    member_totals: Vec<u32>,
    parts: BTreeMap<String, f64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StoredUnmet {
    criterion: String,
    level: u8,
}

pub struct ResultView {
    pub total: String,
    pub band_stars: String,
    /// "★★★★", or empty when not ranked.
    pub stars: String,
    pub star_count: u8,
    /// "1.5 – … : tối thiểu 4★"
    pub unmet: Vec<String>,
    pub stopped: Option<String>,
    pub disqualified: Vec<String>,
    /// Who recognizes it, in words.
    pub recognized_by: &'static str,
    /// (member, total)
    pub members: Vec<(String, u32)>,
    /// (part, mean)
    pub parts: Vec<(String, String)>,
}

/// Two decimals, with the visitor's decimal mark.
pub fn points(tr: Tr, v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if tr.lang() == "vi" {
        s.replace('.', ",")
    } else {
        s
    }
}

impl ResultView {
    /// `names` are the handed-in sheets' members in council order, when the viewer may see them.
    pub fn of(
        tr: Tr,
        json: &serde_json::Value,
        rubric: Option<&Rubric>,
        names: &[String],
    ) -> ResultView {
        let s: Stored = serde_json::from_value(json.clone()).unwrap_or_default();
        let label = |code: &str| match rubric {
            Some(r) => criterion_label(r, code),
            None => code.to_string(),
        };
        ResultView {
            total: points(tr, s.total),
            band_stars: super::stars(i64::from(s.band_stars)),
            stars: s
                .stars
                .map(|n| super::stars(i64::from(n)))
                .unwrap_or_default(),
            star_count: s.stars.unwrap_or(0),
            unmet: s
                .unmet_minimums
                .iter()
                .map(|u| {
                    format!(
                        "{}: {} {}",
                        label(&u.criterion),
                        tr.t("sheet.min_for"),
                        super::stars(i64::from(u.level))
                    )
                })
                .collect(),
            stopped: s
                .stopped
                .then(|| s.stop_criterion.as_deref().map(label).unwrap_or_default()),
            disqualified: s.disqualified,
            recognized_by: match s.recognized_by.as_deref() {
                Some("central") => tr.t("dossier.result.by_central"),
                Some("province") => tr.t("dossier.result.by_province"),
                _ => tr.t("dossier.result.not_recognizable"),
            },
            members: s
                .member_totals
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let name = names
                        .get(i)
                        .filter(|_| names.len() == s.member_totals.len())
                        .cloned()
                        .unwrap_or_else(|| format!("{} {}", tr.t("round.member_word"), i + 1));
                    (name, *t)
                })
                .collect(),
            parts: s
                .parts
                .iter()
                .map(|(p, m)| (p.clone(), points(tr, *m)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_stored_result_reads_in_words() {
        let json = serde_json::json!({
            "total": 78.5, "band_stars": 4, "stars": 3,
            "unmet_minimums": [{"criterion": "1.1", "level": 4}],
            "stopped": false, "stop_criterion": null, "disqualified": [],
            "recognizable": true, "recognized_by": "province",
            "member_totals": [80, 77], "parts": {"A": 30.5, "B": 20, "C": 28}
        });
        let r1 = ocop_domain::criteria::rubric(1).unwrap();
        let v = ResultView::of(Tr(Lang::Vi), &json, Some(r1), &["An".into(), "Bình".into()]);
        assert_eq!(v.total, "78,5");
        assert_eq!(v.stars, "★★★");
        assert_eq!(v.band_stars, "★★★★");
        assert!(
            v.unmet[0].starts_with("1.1 – Nguồn gốc sản phẩm"),
            "{}",
            v.unmet[0]
        );
        assert!(v.unmet[0].ends_with("★★★★"));
        assert_eq!(v.members[1], ("Bình".to_string(), 77));
        assert_eq!(v.parts[0], ("A".to_string(), "30,5".to_string()));
        let v = ResultView::of(Tr(Lang::En), &json, None, &[]);
        assert_eq!(v.total, "78.5");
        assert_eq!(v.members[0].0, "Member 1");
    }
}
