//! The register of economic organizations and products: one path for the API, the web UI and
//! spreadsheet imports, so the same checks (input, scope, authorization, audit) apply everywhere.

pub mod documents;
pub mod imports;
pub mod organizations;
pub mod products;
pub mod sheets;

use crate::error::{forbidden, unprocessable, Problem};
use crate::users::Requester;
use chrono::NaiveDate;
use ocop_domain::access::{Capability, Place};
use ocop_domain::{Actor, LocalityCode, Role};

/// What part of the register an actor sees: its province, its commune, or its organization.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    pub province: Option<LocalityCode>,
    pub commune: Option<LocalityCode>,
    pub organization_id: Option<i64>,
}

pub fn reach(actor: &Actor) -> Result<Reach, Problem> {
    if !actor.may(Capability::ReadRegistry) {
        return Err(forbidden(
            "council members see products through their assigned dossiers",
        ));
    }
    Ok(match actor.role {
        Role::Central => Reach::default(),
        Role::Producer => Reach {
            organization_id: actor.organization_id.or(Some(-1)),
            ..Reach::default()
        },
        _ => Reach {
            province: actor.province.clone(),
            commune: actor.commune.clone(),
            organization_id: None,
        },
    })
}

/// The commune to list: the one asked for, within the reach. `Err(())` when the two disagree,
/// which means nothing is visible (an officer asking for another commune).
#[allow(clippy::result_unit_err)]
pub fn narrow(
    reach: Option<LocalityCode>,
    asked: Option<LocalityCode>,
) -> Result<Option<LocalityCode>, ()> {
    match (reach, asked) {
        (Some(r), Some(a)) if r != a => Err(()),
        (r, a) => Ok(r.or(a)),
    }
}

pub fn require_edit(by: Requester<'_>) -> Result<(), Problem> {
    match by {
        Requester::Operator => Ok(()),
        Requester::Actor(a, _) if a.may(Capability::EditRegistry) => Ok(()),
        Requester::Actor(..) => Err(forbidden(
            "your role may read the register but not change it",
        )),
    }
}

/// Whether the requester may see (and, with `require_edit`, change) a record of this
/// organization at this place.
pub fn within(by: Requester<'_>, place: &Place, organization_id: i64) -> bool {
    match by {
        Requester::Operator => true,
        Requester::Actor(a, _) => a.reaches(place, organization_id),
    }
}

pub fn place(province: &str, commune: &str) -> Place {
    Place {
        province: province.parse().ok(),
        commune: commune.parse().ok(),
    }
}

/// A trimmed, non-empty optional text.
pub fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// An optional text of bounded length.
pub fn bounded(
    v: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, Problem> {
    match text(v) {
        Some(s) if s.chars().count() > max => Err(unprocessable(
            field,
            "too_long",
            format!("{field} has more than {max} characters"),
        )),
        other => Ok(other),
    }
}

/// An optional ISO date (YYYY-MM-DD); spreadsheets also give DD/MM/YYYY, which offices type.
pub fn date(v: &Option<String>, field: &'static str) -> Result<Option<NaiveDate>, Problem> {
    let Some(s) = text(v) else { return Ok(None) };
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&s, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| {
            unprocessable(
                field,
                "invalid_date",
                format!("{field} `{s}` is not a date: write it as 2026-03-31 or 31/03/2026"),
            )
        })
}

/// Parses an optional value with `FromStr`, naming the field in the error.
pub fn parsed<T: std::str::FromStr>(
    v: &Option<String>,
    field: &'static str,
    code: &'static str,
) -> Result<Option<T>, Problem>
where
    T::Err: std::fmt::Display,
{
    match text(v) {
        Some(s) => s
            .parse::<T>()
            .map(Some)
            .map_err(|e| unprocessable(field, code, e.to_string())),
        None => Ok(None),
    }
}

/// Parses a required value.
pub fn required<T: std::str::FromStr>(
    v: &Option<String>,
    field: &'static str,
    code: &'static str,
) -> Result<T, Problem>
where
    T::Err: std::fmt::Display,
{
    parsed(v, field, code)?
        .ok_or_else(|| unprocessable(field, "required", format!("{field} is required")))
}

/// Applies a JSON merge patch (RFC 7386, one level) to an input: absent keys keep their value,
/// `null` clears it. Unknown keys are refused so that a typo is not silently ignored.
pub fn merge_patch<T: serde::Serialize + serde::de::DeserializeOwned>(
    current: &T,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<T, Problem> {
    let mut base = match serde_json::to_value(current) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => return Err(crate::error::internal()),
    };
    for (key, value) in patch {
        if !base.contains_key(&key) {
            return Err(unprocessable(
                "body",
                "unknown_field",
                format!("`{key}` is not a field of this record"),
            ));
        }
        base.insert(key, value);
    }
    serde_json::from_value(serde_json::Value::Object(base)).map_err(|e| {
        unprocessable(
            "body",
            "invalid_body",
            format!("the changes do not fit the record: {e}"),
        )
    })
}
