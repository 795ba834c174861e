//! The dossier's forms as JSON: Form 02 (the producer's self-assessment with evidence per
//! criterion) and Form 03 (the commune's report), checked against the product's criteria set.

use crate::error::{unprocessable, Problem};
use ocop_domain::criteria::{self, Answers};
use serde_json::{json, Map, Value};

const EVIDENCE_MAX: usize = 2_000;

/// Form 02 is `{"answers":{…}, "evidence":{"1.1":"…"}}`. `complete` requires every criterion
/// answered (as a council sheet would be) — needed to submit, not to save a draft.
pub fn check_self_assessment(form: &Value, set: i32, complete: bool) -> Result<(), Problem> {
    let bad = |why: String| unprocessable("self_assessment", "invalid_self_assessment", why);
    let obj = form.as_object().ok_or_else(|| {
        bad("the self-assessment is an object with \"answers\" and \"evidence\"".into())
    })?;
    if let Some(k) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "answers" | "evidence"))
    {
        return Err(bad(format!(
            "unknown field \"{k}\": use \"answers\" and \"evidence\""
        )));
    }
    let rubric = criteria::rubric(i64::from(set)).map_err(|e| bad(e.to_string()))?;
    let answers = obj.get("answers").cloned().unwrap_or_else(|| json!({}));
    check_sheet(&answers, set, complete)
        .map_err(|e| bad(e.replace("member 1, ", "").replace("member 1 ", "you ")))?;
    if let Some(evidence) = obj.get("evidence") {
        let map = evidence
            .as_object()
            .ok_or_else(|| bad("\"evidence\" maps criterion codes to what shows it, e.g. {\"1.1\":\"Hợp đồng thu mua\"}".into()))?;
        for (code, text) in map {
            if rubric.criterion(code).is_none() {
                return Err(bad(format!(
                    "evidence for criterion \"{code}\", which set {set} does not have"
                )));
            }
            let ok = text
                .as_str()
                .is_some_and(|t| t.chars().count() <= EVIDENCE_MAX);
            if !ok {
                return Err(bad(format!("the evidence for criterion {code} is text of at most {EVIDENCE_MAX} characters")));
            }
        }
    }
    Ok(())
}

/// One member's answers on set `set`; `complete` scores them, which names what is missing.
pub fn check_sheet(answers: &Value, set: i32, complete: bool) -> Result<(), String> {
    let parsed = Answers::from_json(&json!({ "members": [answers] })).map_err(|e| e.to_string())?;
    let rubric = criteria::rubric(i64::from(set)).map_err(|e| e.to_string())?;
    if complete {
        criteria::score(rubric, &parsed).map_err(|e| e.to_string())?;
    } else if let Some(code) = parsed.members[0]
        .keys()
        .find(|c| rubric.criterion(c).is_none())
    {
        return Err(format!("set {set} has no criterion \"{code}\""));
    }
    Ok(())
}

/// Form 03's fields: what the commune vouches for.
pub const COMMUNE_FIELDS: [(&str, &str); 4] = [
    ("local_origin", "nguồn gốc địa phương của sản phẩm"),
    ("raw_materials", "nguồn nguyên liệu"),
    ("local_labour", "sử dụng lao động địa phương"),
    ("idea_origin", "nguồn gốc ý tưởng sản phẩm"),
];

/// Form 03 needs each field's text; `notes` is optional.
pub fn commune_report(fields: &Map<String, Value>) -> Result<Value, Problem> {
    let mut out = Map::new();
    for (key, label) in COMMUNE_FIELDS {
        let text = fields
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("");
        if text.is_empty() || text.chars().count() > EVIDENCE_MAX {
            return Err(unprocessable(
                "report",
                "invalid_commune_report",
                format!("Form 03 needs \"{key}\" ({label}), at most {EVIDENCE_MAX} characters"),
            ));
        }
        out.insert(key.into(), Value::String(text.into()));
    }
    if let Some(notes) = fields.get("notes").and_then(Value::as_str) {
        out.insert(
            "notes".into(),
            Value::String(notes.trim().chars().take(EVIDENCE_MAX).collect()),
        );
    }
    if let Some(k) = fields
        .keys()
        .find(|k| k.as_str() != "notes" && !COMMUNE_FIELDS.iter().any(|(f, _)| f == k))
    {
        return Err(unprocessable(
            "report",
            "invalid_commune_report",
            format!("unknown field \"{k}\" in Form 03"),
        ));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_may_be_partial_but_a_submission_is_complete() {
        let draft = json!({"answers": {"1.1": 2}, "evidence": {"1.1": "Hợp đồng"}});
        assert!(check_self_assessment(&draft, 1, false).is_ok());
        let e = check_self_assessment(&draft, 1, true).unwrap_err();
        assert!(
            e.detail.contains("you did not answer criterion 1.2"),
            "{}",
            e.detail
        );
        let e = check_self_assessment(&json!({"answers": {"9.9": 0}}), 1, false).unwrap_err();
        assert!(e.detail.contains("no criterion \"9.9\""), "{}", e.detail);
        let e = check_self_assessment(&json!({"evidence": {"9.9": "x"}}), 1, false).unwrap_err();
        assert!(e.detail.contains("9.9"));
        assert!(check_self_assessment(&json!({"other": 1}), 1, false).is_err());
    }

    #[test]
    fn form_03_needs_its_four_answers() {
        let mut m = Map::new();
        for (k, _) in COMMUNE_FIELDS {
            m.insert(k.into(), json!(" có "));
        }
        assert_eq!(commune_report(&m).unwrap()["local_origin"], "có");
        m.remove("local_labour");
        assert!(commune_report(&m)
            .unwrap_err()
            .detail
            .contains("local_labour"));
    }
}
