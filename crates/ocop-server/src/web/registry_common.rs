//! What the register's pages share: the communes in reach, select options, paging, product rows,
//! documents and form errors.

use crate::app::AppState;
use crate::auth::WebUser;
use crate::error::{Problem, WebError};
use crate::i18n::Tr;
use crate::present;
use crate::users::Requester;
use axum::http::StatusCode;
use ocop_domain::access::Capability;
use ocop_domain::registry::{KeyLevel, ProductStatus};
use ocop_domain::{Locality, OrganizationKind};
use ocop_store::{OwnerKind, Product};
use std::collections::HashMap;

/// Rows per list page: enough to scan, small enough for a cheap phone.
pub const PAGE: i64 = 50;

pub fn requester(me: &WebUser) -> Requester<'_> {
    Requester::Actor(&me.actor, &me.user.email)
}

pub fn may_edit(me: &WebUser) -> bool {
    me.actor.may(Capability::EditRegistry)
}

/// Producers change their own organization but register no others (nor import lists).
pub fn may_register_organizations(me: &WebUser) -> bool {
    me.actor.may(Capability::RegisterOrganizations)
}

/// One `<option>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options under an `<optgroup>` label; the label is left out when there is only one group.
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

pub fn choices<V: Into<String>, L: Into<String>>(
    items: impl IntoIterator<Item = (V, L)>,
    selected: &str,
) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(v, l)| {
            let value = v.into();
            Choice {
                selected: value == selected.trim(),
                value,
                label: l.into(),
            }
        })
        .collect()
}

pub fn kinds(tr: Tr, selected: &str) -> Vec<Choice> {
    choices(
        OrganizationKind::ALL.map(|k| (k.as_str(), tr.t(&format!("kind.{}", k.as_str())))),
        selected,
    )
}

pub fn statuses(tr: Tr, selected: &str) -> Vec<Choice> {
    choices(
        ProductStatus::ALL.map(|s| (s.as_str(), status_label(tr, s))),
        selected,
    )
}

pub fn key_levels(tr: Tr, selected: &str) -> Vec<Choice> {
    choices(
        KeyLevel::ALL.map(|k| (k.as_str(), key_level_label(tr, k))),
        selected,
    )
}

pub fn status_label(tr: Tr, s: ProductStatus) -> &'static str {
    tr.t(&format!("status.{}", s.as_str()))
}

pub fn key_level_label(tr: Tr, k: KeyLevel) -> &'static str {
    tr.t(&format!("key_level.{}", k.as_str()))
}

/// The communes a user may file records in, by province. Central users get the whole country
/// (grouped, so the long list stays usable); producers only their organization's commune.
pub async fn communes_in_reach(
    state: &AppState,
    me: &WebUser,
) -> Result<Vec<(String, Vec<Locality>)>, WebError> {
    let store = &state.store;
    let actor = &me.actor;
    let single = |l: Option<Locality>| vec![(String::new(), l.into_iter().collect::<Vec<_>>())];
    if let Some(id) = actor.organization_id {
        // A producer's place is its organization's, which may have moved since the account
        // was made: ask it, not the account.
        let org = store.organization(id).await?;
        let place = match org.and_then(|o| o.commune_code.parse().ok()) {
            Some(code) => store.locality(&code).await?,
            None => None,
        };
        return Ok(single(place));
    }
    if let Some(commune) = &actor.commune {
        return Ok(single(store.locality(commune).await?));
    }
    if let Some(province) = &actor.province {
        return Ok(vec![(
            String::new(),
            store.localities(Some(province)).await?,
        )]);
    }
    let mut groups = Vec::new();
    for p in store.localities(None).await? {
        let communes = store.localities(Some(&p.code)).await?;
        groups.push((p.name, communes));
    }
    Ok(groups)
}

/// The communes of a `<select>`, by province.
pub struct CommuneChoices {
    pub groups: Vec<ChoiceGroup>,
}

impl CommuneChoices {
    /// Several provinces: show them as `<optgroup>`s.
    pub fn grouped(&self) -> bool {
        self.groups.len() > 1
    }

    /// More than one commune: a filter is worth showing.
    pub fn several(&self) -> bool {
        self.groups.iter().map(|g| g.choices.len()).sum::<usize>() > 1
    }
}

pub fn commune_choices(groups: &[(String, Vec<Locality>)], selected: &str) -> CommuneChoices {
    let groups = groups
        .iter()
        .map(|(label, communes)| ChoiceGroup {
            label: label.clone(),
            choices: choices(
                communes
                    .iter()
                    .map(|l| (l.code.as_str().to_string(), l.name.clone())),
                selected,
            ),
        })
        .collect();
    CommuneChoices { groups }
}

pub fn commune_names(groups: &[(String, Vec<Locality>)]) -> HashMap<String, String> {
    groups
        .iter()
        .flat_map(|(_, ls)| ls.iter())
        .map(|l| (l.code.as_str().to_string(), l.name.clone()))
        .collect()
}

/// A commune's name, or its code when it is not among the names at hand.
pub async fn commune_name(state: &AppState, code: &str) -> Result<String, WebError> {
    let place = match code.parse() {
        Ok(c) => state.store.locality(&c).await?,
        Err(_) => None,
    };
    Ok(place.map(|l| l.name).unwrap_or_else(|| code.to_string()))
}

/// An encoded query string of the non-empty pairs, for links that keep the filters.
pub fn query_string(pairs: &[(&str, &Option<String>)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

/// A lenient page offset: a mangled one shows the first page rather than an error.
pub fn offset(v: &Option<String>) -> i64 {
    v.as_deref()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
        .max(0)
}

/// "Previous/next" links that keep the query.
pub struct Pager {
    pub total: i64,
    pub from: i64,
    pub to: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new(path: &str, query: &str, offset: i64, shown: usize, total: i64) -> Pager {
        let link = |o: i64| {
            let sep = if query.is_empty() { "" } else { "&" };
            format!("{path}?{query}{sep}offset={o}")
        };
        let to = offset + shown as i64;
        Pager {
            total,
            from: if shown == 0 { 0 } else { offset + 1 },
            to,
            prev: (offset > 0).then(|| link((offset - PAGE).max(0))),
            next: (to < total).then(|| link(to)),
        }
    }
}

/// A product in a list.
pub struct ProductRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub group: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub key_level: &'static str,
}

impl ProductRow {
    pub fn of(tr: Tr, p: Product) -> ProductRow {
        ProductRow {
            id: p.id,
            group: ocop_domain::criteria::criteria_set(i64::from(p.criteria_set))
                .map(|s| s.group.clone())
                .unwrap_or_default(),
            status: p.status.as_str(),
            status_label: status_label(tr, p.status),
            key_level: p.key_level.map(|k| key_level_label(tr, k)).unwrap_or(""),
            code: p.code,
            name: p.name,
            organization_id: p.organization_id,
            organization_name: p.organization_name,
        }
    }
}

pub struct DocumentRow {
    pub id: i64,
    pub purpose: String,
    pub file_name: String,
    pub size: String,
    pub date: String,
}

/// A record's documents and where its upload form posts.
pub struct Documents {
    pub rows: Vec<DocumentRow>,
    pub action: String,
    pub purposes: Vec<Choice>,
}

pub async fn documents(
    state: &AppState,
    tr: Tr,
    owner: OwnerKind,
    id: i64,
    purposes: &[&str],
) -> Result<Documents, WebError> {
    let rows = state
        .store
        .documents(owner, id)
        .await?
        .into_iter()
        .map(|d| DocumentRow {
            id: d.id,
            // Purposes another part adds later show as they are until they get a text.
            purpose: tr
                .get(&format!("purpose.{}", d.purpose))
                .map(str::to_string)
                .unwrap_or(d.purpose),
            file_name: d.file_name,
            size: format!("{} KB", (d.size_bytes + 1023) / 1024),
            date: present::day_of(d.created_at),
        })
        .collect();
    let kind = match owner {
        OwnerKind::Organization => "organizations",
        OwnerKind::Product => "products",
    };
    Ok(Documents {
        rows,
        action: format!("/registry/{kind}/{id}/documents"),
        purposes: choices(
            purposes
                .iter()
                .map(|p| (p.to_string(), tr.t(&format!("purpose.{p}")))),
            "",
        ),
    })
}

/// A problem shown beside the form that caused it.
pub struct FormError {
    pub message: &'static str,
    pub detail: String,
    pub field: Option<&'static str>,
}

/// Bad or clashing input (422, 409) is explained beside the form with what was typed kept;
/// anything else (not allowed, not found, server trouble) becomes the error page.
pub fn form_error(tr: Tr, problem: Problem) -> Result<(FormError, StatusCode), WebError> {
    if problem.status != 422 && problem.status != 409 {
        return Err(WebError(problem));
    }
    let status = problem.status();
    Ok((
        FormError {
            message: tr.problem(problem.code),
            detail: problem.detail,
            field: problem.field,
        },
        status,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_keeps_the_query() {
        let p = Pager::new("/registry/products", "q=ca+phe", 50, 50, 120);
        assert_eq!(p.from, 51);
        assert_eq!(p.to, 100);
        assert_eq!(
            p.prev.as_deref(),
            Some("/registry/products?q=ca+phe&offset=0")
        );
        assert_eq!(
            p.next.as_deref(),
            Some("/registry/products?q=ca+phe&offset=100")
        );
        let last = Pager::new("/x", "", 100, 20, 120);
        assert_eq!(last.next, None);
        assert_eq!(last.prev.as_deref(), Some("/x?offset=50"));
    }

    #[test]
    fn query_strings_skip_empty_values() {
        let q = Some("cà phê".to_string());
        let empty = Some(" ".to_string());
        assert_eq!(
            query_string(&[("q", &q), ("commune", &empty), ("kind", &None)]),
            "q=c%C3%A0+ph%C3%AA"
        );
        assert_eq!(offset(&Some("abc".into())), 0);
        assert_eq!(offset(&Some("-5".into())), 0);
        assert_eq!(offset(&Some("100".into())), 100);
    }
}
