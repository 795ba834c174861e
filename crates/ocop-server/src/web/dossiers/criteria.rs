//! `/criteria` and `/criteria/{n}`: the 26 criteria sets and each set's score sheet to read —
//! every criterion, option, star marker and stop rule, the disqualification conditions, and the
//! oddities of the source transcript as the data file flags them (kept as the source has them;
//! the sheet counts a blank cell as 0 and an option above its criterion's maximum as the maximum).

use super::rubric::{self, PartView, TypedSheet};
use crate::auth::WebUser;
use crate::error::{not_found, WebError};
use crate::i18n::{Lang, Tr};
use crate::web::{render, Nav};
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use ocop_domain::criteria::{self, CriteriaSetInfo};

#[derive(Template)]
#[template(path = "criteria_sets.html")]
struct SetsPage {
    tr: Tr,
    nav: Nav,
    sets: &'static [CriteriaSetInfo],
}

#[derive(Template)]
#[template(path = "criteria_set.html")]
struct SetPage {
    tr: Tr,
    nav: Nav,
    set: &'static CriteriaSetInfo,
    parts: Vec<PartView>,
    disqualified_if: &'static [String],
    source_flags: &'static [String],
    /// What `sheet_criteria.html` expects: a read-only sheet without evidence or stop boxes.
    readonly: bool,
    evidence: bool,
    stops: bool,
}

pub async fn list(me: WebUser, lang: Lang) -> Response {
    render(&SetsPage {
        tr: Tr(lang),
        nav: Nav::for_user(&me, "/criteria"),
        sets: criteria::criteria_sets(),
    })
}

pub async fn show(me: WebUser, lang: Lang, Path(n): Path<String>) -> Result<Response, WebError> {
    let missing = || WebError(not_found("criteria set"));
    let n: i64 = n.parse().map_err(|_| missing())?;
    let set = criteria::criteria_set(n).map_err(|_| missing())?;
    let r = criteria::rubric(n).map_err(|_| missing())?;
    let tr = Tr(lang);
    Ok(render(&SetPage {
        tr,
        nav: Nav::for_user(&me, &format!("/criteria/{n}")),
        set,
        parts: rubric::parts(tr, r, &TypedSheet::new(), None),
        disqualified_if: &r.disqualified_if,
        source_flags: &r.source_flags,
        readonly: true,
        evidence: false,
        stops: false,
    }))
}
