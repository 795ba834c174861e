//! Council members' answers to a score sheet, as they arrive in JSON (the CLI's answers file,
//! the API's body, a saved score sheet):
//!
//! `{"members":[{"1.1":2, "6.1":{"option":1,"stop":true}, "8":{"case":0,"option":1},
//!   "2.4":{"points":1}}, …], "disqualified_if":[0]}`
//!
//! A bare number is the 0-based index of the chosen option. `stop` records that the
//! criterion's stop rule applies (e.g. foreign matter found). `disqualified_if` lists the set's
//! disqualification conditions (0-based) that the council found. Checking answers against a
//! set's rubric is [`super::scoring`]'s job; this only reads the shape.

use super::scoring::ScoreError;
use serde_json::Value;
use std::collections::BTreeMap;

/// What one member chose on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Option(usize),
    CaseOption {
        case: usize,
        option: usize,
    },
    /// For a criterion whose source lists no options.
    Points(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub pick: Pick,
    /// The criterion's stop rule applies.
    pub stop: bool,
}

impl Answer {
    pub fn option(i: usize) -> Answer {
        Answer {
            pick: Pick::Option(i),
            stop: false,
        }
    }
}

/// One member's answers, by criterion code.
pub type MemberSheet = BTreeMap<String, Answer>;

/// The members' sheets and the disqualification conditions found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub members: Vec<MemberSheet>,
    pub disqualified_if: Vec<usize>,
}

impl Answers {
    pub fn from_json(v: &Value) -> Result<Answers, ScoreError> {
        let shape = |why: &str| ScoreError::Shape(why.to_string());
        let obj = v
            .as_object()
            .ok_or_else(|| shape("the answers must be an object with a \"members\" list"))?;
        if let Some(k) = obj
            .keys()
            .find(|k| !matches!(k.as_str(), "members" | "disqualified_if"))
        {
            return Err(shape(&format!(
                "unknown field \"{k}\": use \"members\" and \"disqualified_if\""
            )));
        }
        let members = obj
            .get("members")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                shape("\"members\" must be a list with one object per council member")
            })?;
        let members = members
            .iter()
            .enumerate()
            .map(|(i, m)| member_sheet(i + 1, m))
            .collect::<Result<Vec<_>, _>>()?;
        let disqualified_if = match obj.get("disqualified_if") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .map(|x| {
                    index(x).ok_or_else(|| {
                        shape("\"disqualified_if\" must list condition numbers from 0")
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(shape(
                    "\"disqualified_if\" must be a list of condition numbers",
                ))
            }
        };
        Ok(Answers {
            members,
            disqualified_if,
        })
    }
}

fn index(v: &Value) -> Option<usize> {
    v.as_u64().and_then(|n| usize::try_from(n).ok())
}

fn member_sheet(member: usize, v: &Value) -> Result<MemberSheet, ScoreError> {
    let obj = v.as_object().ok_or_else(|| {
        ScoreError::Shape(format!(
            "member {member}: answers must be an object of criterion code to answer"
        ))
    })?;
    obj.iter()
        .map(|(code, a)| {
            Ok((
                code.clone(),
                answer(a).map_err(|why| ScoreError::BadAnswer {
                    member,
                    criterion: code.clone(),
                    why: why.to_string(),
                })?,
            ))
        })
        .collect()
}

const FORMS: &str = "give an option number from 0, {\"case\":0,\"option\":1}, or {\"points\":1} where the source lists no options";

fn answer(v: &Value) -> Result<Answer, &'static str> {
    if let Some(i) = index(v) {
        return Ok(Answer::option(i));
    }
    let obj = v.as_object().ok_or(FORMS)?;
    if obj
        .keys()
        .any(|k| !matches!(k.as_str(), "option" | "case" | "points" | "stop"))
    {
        return Err("unknown field: use \"option\", \"case\", \"points\" and \"stop\"");
    }
    let field = |k: &str| match obj.get(k) {
        None => Ok(None),
        Some(x) => index(x).map(Some).ok_or(FORMS),
    };
    let pick = match (field("option")?, field("case")?, field("points")?) {
        (Some(option), None, None) => Pick::Option(option),
        (Some(option), Some(case), None) => Pick::CaseOption { case, option },
        (None, None, Some(p)) => Pick::Points(u32::try_from(p).map_err(|_| FORMS)?),
        _ => return Err(FORMS),
    };
    let stop = match obj.get("stop") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("\"stop\" must be true or false"),
    };
    Ok(Answer { pick, stop })
}
