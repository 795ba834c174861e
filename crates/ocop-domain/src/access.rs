//! Who may do what, where: every permission is role × locality scope (DESIGN §1).

use crate::locality::{LocalityCode, LocalityKind};
use crate::role::Role;
use serde::Serialize;

/// The signed-in person (or API token holder) on whose behalf a request runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    /// The province the actor works in (`None` only for `central`).
    pub province: Option<LocalityCode>,
    /// Set when the actor's scope is one commune.
    pub commune: Option<LocalityCode>,
    /// Set for producers: the one economic organization they act for.
    pub organization_id: Option<i64>,
}

/// Where a record belongs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub province: Option<LocalityCode>,
    pub commune: Option<LocalityCode>,
}

/// What a role may do at all; whether it may do it *here* is [`Actor::covers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    ManageUsers,
    ViewAuditLog,
    /// See organizations and products (within scope).
    ReadRegistry,
    /// Register and change organizations and products (within scope).
    EditRegistry,
    /// Register new economic organizations and move them between communes: the offices and
    /// commune officers (a producer changes only its own organization, in place).
    RegisterOrganizations,
    /// Recall a lot of a product in reach: its producer, officers, offices and market
    /// inspectors (not council members).
    RecallLots,
}

/// The locality a user's scope is pinned to, as recorded on the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Nation,
    Province(LocalityCode),
    Commune(LocalityCode),
    Organization(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("a central user works nation-wide: leave the locality and organization empty")]
    CentralHasNoLocality,
    #[error("a {0} needs a province code as its locality (e.g. --locality 22)")]
    NeedsProvince(Role),
    #[error("an officer needs a commune code as its locality (e.g. --locality 07093)")]
    NeedsCommune,
    #[error("an inspector needs a province or commune code as its locality")]
    NeedsLocality,
    #[error("a producer needs the organization it works for (--organization ID) and no locality")]
    NeedsOrganization,
    #[error("only producers belong to an organization: leave the organization empty for a {0}")]
    OrganizationNotAllowed(Role),
}

impl Scope {
    /// Checks that a role is given the kind of scope it works in.
    pub fn for_role(
        role: Role,
        locality: Option<&LocalityCode>,
        organization_id: Option<i64>,
    ) -> Result<Scope, ScopeError> {
        let kind = locality.map(LocalityCode::kind);
        if organization_id.is_some() && role != Role::Producer {
            return Err(ScopeError::OrganizationNotAllowed(role));
        }
        match (role, kind, organization_id) {
            (Role::Central, None, None) => Ok(Scope::Nation),
            (Role::Central, _, _) => Err(ScopeError::CentralHasNoLocality),
            (Role::Admin | Role::Evaluator, Some(LocalityKind::Province), _) => Ok(
                Scope::Province(locality.cloned().expect("kind implies a code")),
            ),
            (Role::Admin | Role::Evaluator, _, _) => Err(ScopeError::NeedsProvince(role)),
            (Role::Officer, Some(LocalityKind::Commune), _) => Ok(Scope::Commune(
                locality.cloned().expect("kind implies a code"),
            )),
            (Role::Officer, _, _) => Err(ScopeError::NeedsCommune),
            (Role::Inspector, Some(LocalityKind::Province), _) => Ok(Scope::Province(
                locality.cloned().expect("kind implies a code"),
            )),
            (Role::Inspector, Some(LocalityKind::Commune), _) => Ok(Scope::Commune(
                locality.cloned().expect("kind implies a code"),
            )),
            (Role::Inspector, None, _) => Err(ScopeError::NeedsLocality),
            (Role::Producer, None, Some(id)) => Ok(Scope::Organization(id)),
            (Role::Producer, _, _) => Err(ScopeError::NeedsOrganization),
        }
    }
}

impl Actor {
    pub fn may(&self, capability: Capability) -> bool {
        match capability {
            Capability::ManageUsers | Capability::ViewAuditLog => {
                matches!(self.role, Role::Central | Role::Admin)
            }
            // Council members see products through the dossiers assigned to them, not the
            // register.
            Capability::ReadRegistry => self.role != Role::Evaluator,
            Capability::EditRegistry => matches!(
                self.role,
                Role::Central | Role::Admin | Role::Officer | Role::Producer
            ),
            Capability::RegisterOrganizations => {
                matches!(self.role, Role::Central | Role::Admin | Role::Officer)
            }
            Capability::RecallLots => self.role != Role::Evaluator,
        }
    }

    /// Whether a record of this organization at this place is within the actor's reach:
    /// its locality scope, or (for a producer) its own organization.
    pub fn reaches(&self, place: &Place, organization_id: i64) -> bool {
        self.covers(place) || self.organization_id == Some(organization_id)
    }

    /// Whether a place lies inside the actor's locality scope.
    pub fn covers(&self, place: &Place) -> bool {
        if self.role == Role::Central {
            return true;
        }
        if self.organization_id.is_some() {
            // A producer's reach is its organization, checked by id, never a whole place.
            return false;
        }
        match (&self.commune, &self.province) {
            (Some(commune), _) => place.commune.as_ref() == Some(commune),
            (None, Some(province)) => place.province.as_ref() == Some(province),
            (None, None) => false,
        }
    }

    /// Whether the actor may give a user this role at all: an admin gives any but `central`.
    pub fn may_grant(&self, role: Role) -> bool {
        self.may(Capability::ManageUsers) && (self.role == Role::Central || role != Role::Central)
    }

    /// Whether the actor may create or change a user with this role living at this place.
    /// An admin manages its own province's users but never creates `central` users; only
    /// `central` manages admins of other provinces.
    pub fn may_administer(&self, target_role: Role, target: &Place) -> bool {
        self.may_grant(target_role) && self.covers(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> LocalityCode {
        s.parse().unwrap()
    }

    fn actor(role: Role, province: Option<&str>, commune: Option<&str>) -> Actor {
        Actor {
            user_id: 1,
            role,
            province: province.map(code),
            commune: commune.map(code),
            organization_id: None,
        }
    }

    fn place(province: &str, commune: Option<&str>) -> Place {
        Place {
            province: Some(code(province)),
            commune: commune.map(code),
        }
    }

    #[test]
    fn scopes_follow_roles() {
        let p = code("22");
        let c = code("07093");
        assert_eq!(
            Scope::for_role(Role::Central, None, None),
            Ok(Scope::Nation)
        );
        assert_eq!(
            Scope::for_role(Role::Central, Some(&p), None),
            Err(ScopeError::CentralHasNoLocality)
        );
        assert_eq!(
            Scope::for_role(Role::Admin, Some(&p), None),
            Ok(Scope::Province(p.clone()))
        );
        assert!(Scope::for_role(Role::Admin, Some(&c), None).is_err());
        assert_eq!(
            Scope::for_role(Role::Officer, Some(&c), None),
            Ok(Scope::Commune(c.clone()))
        );
        assert_eq!(
            Scope::for_role(Role::Officer, Some(&p), None),
            Err(ScopeError::NeedsCommune)
        );
        assert!(Scope::for_role(Role::Inspector, Some(&c), None).is_ok());
        assert_eq!(
            Scope::for_role(Role::Inspector, None, None),
            Err(ScopeError::NeedsLocality)
        );
        assert_eq!(
            Scope::for_role(Role::Producer, None, Some(7)),
            Ok(Scope::Organization(7))
        );
        assert_eq!(
            Scope::for_role(Role::Producer, Some(&c), Some(7)),
            Err(ScopeError::NeedsOrganization)
        );
        assert_eq!(
            Scope::for_role(Role::Officer, Some(&c), Some(7)),
            Err(ScopeError::OrganizationNotAllowed(Role::Officer))
        );
    }

    #[test]
    fn coverage_is_by_province_or_commune() {
        let admin = actor(Role::Admin, Some("22"), None);
        assert!(admin.covers(&place("22", Some("07093"))));
        assert!(admin.covers(&place("22", None)));
        assert!(!admin.covers(&place("01", Some("00070"))));
        let officer = actor(Role::Officer, Some("22"), Some("07093"));
        assert!(officer.covers(&place("22", Some("07093"))));
        assert!(!officer.covers(&place("22", Some("07090"))));
        assert!(!officer.covers(&place("22", None)));
        let central = actor(Role::Central, None, None);
        assert!(central.covers(&Place::default()));
        let mut producer = actor(Role::Producer, Some("22"), Some("07093"));
        producer.organization_id = Some(3);
        assert!(!producer.covers(&place("22", Some("07093"))));
    }

    #[test]
    fn registry_reach_is_scope_or_own_organization() {
        let here = place("22", Some("06946"));
        let mut producer = actor(Role::Producer, Some("22"), Some("06946"));
        producer.organization_id = Some(3);
        assert!(producer.reaches(&here, 3));
        assert!(
            !producer.reaches(&here, 4),
            "a neighbour's organization is not its own"
        );
        let officer = actor(Role::Officer, Some("22"), Some("06946"));
        assert!(officer.reaches(&here, 4));
        assert!(!officer.reaches(&place("22", Some("06838")), 4));
        let evaluator = actor(Role::Evaluator, Some("22"), None);
        assert!(!evaluator.may(Capability::ReadRegistry));
        let inspector = actor(Role::Inspector, Some("22"), None);
        assert!(
            inspector.may(Capability::ReadRegistry) && !inspector.may(Capability::EditRegistry)
        );
        for role in [Role::Central, Role::Admin, Role::Officer, Role::Producer] {
            assert!(
                actor(role, Some("22"), None).may(Capability::EditRegistry),
                "{role}"
            );
        }
    }

    #[test]
    fn only_central_and_admins_manage_users_and_admins_stay_home() {
        let admin = actor(Role::Admin, Some("22"), None);
        assert!(admin.may_administer(Role::Officer, &place("22", Some("07093"))));
        assert!(admin.may_administer(Role::Admin, &place("22", None)));
        assert!(!admin.may_administer(Role::Officer, &place("01", Some("00070"))));
        assert!(!admin.may_administer(Role::Central, &Place::default()));
        let central = actor(Role::Central, None, None);
        assert!(central.may_administer(Role::Central, &Place::default()));
        for role in [
            Role::Officer,
            Role::Evaluator,
            Role::Producer,
            Role::Inspector,
        ] {
            let someone = actor(role, Some("22"), Some("07093"));
            assert!(!someone.may(Capability::ManageUsers), "{role}");
            assert!(!someone.may(Capability::ViewAuditLog), "{role}");
            assert!(
                !someone.may_administer(Role::Producer, &place("22", Some("07093"))),
                "{role}"
            );
        }
    }
}
