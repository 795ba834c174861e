//! A criteria set's rubric as a form: the producer's Form 02 and a council member's score
//! sheet show the same criteria, options, star-minimum markers and stop rules, and read the
//! same fields back into the answers JSON `ocop_domain::criteria::answers` reads.
//!
//! Field names per criterion `X`: `a:X` the chosen option (`3`, or `1-2` for case 1, option 2),
//! `p:X` the points where the source lists no options, `s:X` the stop rule applies, `e:X` the
//! evidence.

use crate::error::{unprocessable, Problem};
use crate::i18n::Tr;
use ocop_domain::criteria::{AnswerOption, Choice, Criterion, Rubric};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// One criterion's answer as typed (or as saved).
#[derive(Default, Clone)]
pub struct Typed {
    pub choice: String,
    pub points: String,
    pub stop: bool,
    pub evidence: String,
}

pub type TypedSheet = HashMap<String, Typed>;

/// The saved answers (`{"1.1": 2, "8": {"case":0,"option":1}, …}`) and evidence as typed values.
pub fn typed_from_json(answers: Option<&Value>, evidence: Option<&Value>) -> TypedSheet {
    let mut out = TypedSheet::new();
    if let Some(Value::Object(m)) = answers {
        for (code, a) in m {
            let t = out.entry(code.clone()).or_default();
            match a {
                Value::Number(n) => t.choice = n.to_string(),
                Value::Object(o) => {
                    let num = |k: &str| o.get(k).and_then(Value::as_u64);
                    match (num("case"), num("option"), num("points")) {
                        (Some(c), Some(i), _) => t.choice = format!("{c}-{i}"),
                        (None, Some(i), _) => t.choice = i.to_string(),
                        (_, _, Some(p)) => t.points = p.to_string(),
                        _ => {}
                    }
                    t.stop = o.get("stop").and_then(Value::as_bool).unwrap_or(false);
                }
                _ => {}
            }
        }
    }
    if let Some(Value::Object(m)) = evidence {
        for (code, e) in m {
            if let Some(text) = e.as_str() {
                out.entry(code.clone()).or_default().evidence = text.to_string();
            }
        }
    }
    out
}

/// The form's fields as typed values.
pub fn typed_from_pairs(pairs: &[(String, String)]) -> TypedSheet {
    let mut out = TypedSheet::new();
    for (k, v) in pairs {
        let Some((kind, code)) = k.split_once(':') else {
            continue;
        };
        let t = || Typed::default();
        match kind {
            "a" => out.entry(code.to_string()).or_insert_with(t).choice = v.trim().to_string(),
            "p" => out.entry(code.to_string()).or_insert_with(t).points = v.trim().to_string(),
            "s" => out.entry(code.to_string()).or_insert_with(t).stop = !v.is_empty(),
            "e" => out.entry(code.to_string()).or_insert_with(t).evidence = v.clone(),
            _ => {}
        }
    }
    out
}

fn has_stop_rule(c: &Criterion) -> bool {
    c.has_stop_rule || c.stop_if_zero
}

fn bad(code: &str, why: &str) -> Problem {
    unprocessable(
        "answers",
        "invalid_answers",
        format!("criterion {code}: {why}"),
    )
}

/// The answers JSON of the typed values, in the rubric's order; unanswered criteria are left
/// out (a draft may be partial: the service says what a hand-in still lacks).
pub fn answers_json(r: &Rubric, typed: &TypedSheet) -> Result<Value, Problem> {
    let mut out = Map::new();
    for c in r.criteria() {
        let Some(t) = typed.get(&c.code) else {
            continue;
        };
        let stop = t.stop && has_stop_rule(c);
        let mut pick = match &c.choice {
            Choice::Options { .. } if !t.choice.is_empty() => {
                let i: u64 = t
                    .choice
                    .parse()
                    .map_err(|_| bad(&c.code, "choose one of the options"))?;
                json!({ "option": i })
            }
            Choice::Cases { .. } if !t.choice.is_empty() => {
                let (case, option) = t
                    .choice
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
                    .ok_or_else(|| bad(&c.code, "choose one of the options"))?;
                json!({ "case": case, "option": option })
            }
            Choice::Points if !t.points.is_empty() => {
                let p: u64 = t.points.parse().map_err(|_| {
                    bad(
                        &c.code,
                        &format!("the points are a whole number from 0 to {}", c.max_points),
                    )
                })?;
                json!({ "points": p })
            }
            _ => continue,
        };
        if stop {
            pick["stop"] = Value::Bool(true);
        } else if let Some(i) = pick.get("option").filter(|_| pick.get("case").is_none()) {
            // The plain form, as answers files write it.
            pick = i.clone();
        }
        out.insert(c.code.clone(), pick);
    }
    Ok(Value::Object(out))
}

/// The evidence texts that are not empty.
pub fn evidence_json(r: &Rubric, typed: &TypedSheet) -> Value {
    let mut out = Map::new();
    for c in r.criteria() {
        if let Some(t) = typed.get(&c.code) {
            if !t.evidence.trim().is_empty() {
                out.insert(c.code.clone(), Value::String(t.evidence.trim().to_string()));
            }
        }
    }
    Value::Object(out)
}

fn chosen<'a>(c: &'a Criterion, t: &Typed) -> Option<&'a AnswerOption> {
    match &c.choice {
        Choice::Options { options } => options.get(t.choice.parse::<usize>().ok()?),
        Choice::Cases { cases } => {
            let (a, b) = t.choice.split_once('-')?;
            cases
                .get(a.parse::<usize>().ok()?)?
                .options
                .get(b.parse::<usize>().ok()?)
        }
        Choice::Points => None,
    }
}

/// The points the typed answers give so far (a guide while filling; the result is the
/// council's consolidated mean).
pub fn provisional_total(r: &Rubric, typed: &TypedSheet) -> u32 {
    r.criteria()
        .filter_map(|c| {
            let t = typed.get(&c.code)?;
            match &c.choice {
                Choice::Points => t.points.parse::<u32>().ok().map(|p| p.min(c.max_points)),
                _ => chosen(c, t).map(|o| o.counted(c.max_points)),
            }
        })
        .sum()
}

/// How many criteria have an answer.
pub fn answered(r: &Rubric, typed: &TypedSheet) -> usize {
    r.criteria()
        .filter(|c| {
            typed.get(&c.code).is_some_and(|t| match &c.choice {
                Choice::Points => !t.points.is_empty(),
                _ => chosen(c, t).is_some(),
            })
        })
        .count()
}

pub struct OptionView {
    pub value: String,
    /// Unique on the page, for the label.
    pub id: String,
    pub text: String,
    pub points: u32,
    /// "tối thiểu 4★"
    pub marker: Option<String>,
    pub checked: bool,
}

pub struct OptionGroup {
    /// The case's name (set 26); none for a plain criterion.
    pub label: Option<String>,
    pub options: Vec<OptionView>,
}

pub struct CriterionView {
    pub code: String,
    /// An HTML id: `c-6-1-2`.
    pub anchor: String,
    /// The section heading, on the first criterion of a section.
    pub section: Option<String>,
    pub name: String,
    pub max_points: u32,
    pub description: String,
    pub note: String,
    /// The source lists no options: points from 0 to the maximum.
    pub points_only: bool,
    pub groups: Vec<OptionGroup>,
    pub points: String,
    pub stop_rule: bool,
    pub stop: bool,
    pub evidence: String,
    /// The refusal names this criterion.
    pub invalid: bool,
}

pub struct PartView {
    pub code: String,
    pub name: String,
    pub max_points: u32,
    pub criteria: Vec<CriterionView>,
}

pub fn anchor(code: &str) -> String {
    format!("c-{}", code.replace('.', "-"))
}

fn option_view(tr: Tr, c: &Criterion, value: String, o: &AnswerOption, t: &Typed) -> OptionView {
    OptionView {
        id: format!("{}-o{}", anchor(&c.code), value),
        checked: t.choice == value,
        value,
        text: o.text.clone(),
        points: o.counted(c.max_points),
        marker: o
            .min_for_stars
            .map(|n| format!("{} {}", tr.t("sheet.min_for"), super::stars(i64::from(n)))),
    }
}

/// The rubric with the typed values in place; `invalid` is the criterion a refusal named.
pub fn parts(tr: Tr, r: &Rubric, typed: &TypedSheet, invalid: Option<&str>) -> Vec<PartView> {
    let empty = Typed::default();
    let mut last_section = String::new();
    r.parts
        .iter()
        .map(|p| PartView {
            code: p.code.clone(),
            name: p.name.clone(),
            max_points: p.max_points,
            criteria: p
                .criteria
                .iter()
                .map(|c| {
                    let t = typed.get(&c.code).unwrap_or(&empty);
                    let groups = match &c.choice {
                        Choice::Options { options } => vec![OptionGroup {
                            label: None,
                            options: options
                                .iter()
                                .enumerate()
                                .map(|(i, o)| option_view(tr, c, i.to_string(), o, t))
                                .collect(),
                        }],
                        Choice::Cases { cases } => cases
                            .iter()
                            .enumerate()
                            .map(|(ci, case)| OptionGroup {
                                label: Some(case.name.clone()),
                                options: case
                                    .options
                                    .iter()
                                    .enumerate()
                                    .map(|(i, o)| option_view(tr, c, format!("{ci}-{i}"), o, t))
                                    .collect(),
                            })
                            .collect(),
                        Choice::Points => Vec::new(),
                    };
                    let section = (c.section != last_section).then(|| c.section.clone());
                    last_section = c.section.clone();
                    CriterionView {
                        code: c.code.clone(),
                        anchor: anchor(&c.code),
                        section,
                        name: c.name.clone(),
                        max_points: c.max_points,
                        description: c.description.clone().unwrap_or_default(),
                        note: c.note.clone().unwrap_or_default(),
                        points_only: matches!(c.choice, Choice::Points),
                        groups,
                        points: t.points.clone(),
                        stop_rule: has_stop_rule(c),
                        stop: t.stop,
                        evidence: t.evidence.clone(),
                        invalid: invalid == Some(c.code.as_str()),
                    }
                })
                .collect(),
        })
        .collect()
}

/// "1.2 – Nguồn nguyên liệu", for messages that name a criterion.
pub fn criterion_label(r: &Rubric, code: &str) -> String {
    match r.criterion(code) {
        Some(c) => format!("{code} – {}", c.name),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn typed_fields_become_the_answers_forms_and_back() {
        let set1 = ocop_domain::criteria::rubric(1).unwrap();
        let typed = typed_from_pairs(&pairs(&[
            ("a:1.1", "2"),
            ("s:1.1", "on"),
            ("a:2.1", "1"),
            ("s:2.1", "on"),
            ("a:1.2", "0"),
            ("p:2.4", "1"),
            ("e:1.2", " Hợp đồng "),
            ("a:9.9", "1"),
            ("csrf", "x"),
        ]));
        let answers = answers_json(set1, &typed).unwrap();
        assert_eq!(
            answers,
            json!({"1.1": 2, "1.2": 0, "2.1": {"option": 1, "stop": true}, "2.4": {"points": 1}}),
            "a stop only where the criterion has a stop rule"
        );
        assert_eq!(evidence_json(set1, &typed), json!({"1.2": "Hợp đồng"}));
        let back = typed_from_json(Some(&answers), None);
        assert_eq!(back["2.1"].choice, "1");
        assert!(back["2.1"].stop && !back["1.1"].stop);
        assert_eq!(back["2.4"].points, "1");
        assert_eq!(answered(set1, &back), 4);

        let set26 = ocop_domain::criteria::rubric(26).unwrap();
        let typed = typed_from_pairs(&pairs(&[("a:8", "1-0")]));
        assert_eq!(
            answers_json(set26, &typed).unwrap(),
            json!({"8": {"case": 1, "option": 0}})
        );
        let e = answers_json(set1, &typed_from_pairs(&pairs(&[("p:2.4", "x")]))).unwrap_err();
        assert!(e.detail.contains("criterion 2.4"), "{}", e.detail);
    }

    #[test]
    fn the_provisional_total_counts_what_is_answered() {
        let set1 = ocop_domain::criteria::rubric(1).unwrap();
        let c = set1.criterion("1.1").unwrap();
        let best = match &c.choice {
            Choice::Options { options } => options.last().unwrap().counted(c.max_points),
            _ => unreachable!(),
        };
        let n = match &c.choice {
            Choice::Options { options } => options.len() - 1,
            _ => unreachable!(),
        };
        let typed = typed_from_pairs(&pairs(&[("a:1.1", &n.to_string()), ("p:2.4", "99")]));
        let max_24 = set1.criterion("2.4").unwrap().max_points;
        assert_eq!(provisional_total(set1, &typed), best + max_24);
    }
}
