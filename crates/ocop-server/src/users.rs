//! Creating and changing users: one path for the CLI, the API and the web UI, so the same
//! checks (input, scope, authorization, audit) apply everywhere.

use crate::auth::password;
use crate::error::{forbidden, not_found, unprocessable, Problem};
use chrono::Utc;
use ocop_domain::access::{Place, ScopeError};
use ocop_domain::user::InvalidInput;
use ocop_domain::{Actor, Email, LocalityCode, LocalityKind, Password, PersonName, Role, Scope};
use ocop_store::{AuditEntry, NewUser, Store, User, UserPlacement, UserUpdate};

/// Who asks for a change: a signed-in actor, or the operator at the command line (who holds
/// the database itself and so is not checked against a scope).
#[derive(Clone, Copy)]
pub enum Requester<'a> {
    Actor(&'a Actor, &'a str),
    Operator,
}

impl Requester<'_> {
    /// The acting user, when there is one (the CLI operator is none).
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Requester::Actor(a, _) => Some(a.user_id),
            Requester::Operator => None,
        }
    }

    pub fn audit(
        &self,
        action: &'static str,
        province: Option<&LocalityCode>,
        details: serde_json::Value,
    ) -> AuditEntry {
        let (actor_id, actor_label) = match self {
            Requester::Actor(a, email) => (Some(a.user_id), email.to_string()),
            Requester::Operator => (None, "cli".to_string()),
        };
        AuditEntry {
            at: Utc::now(),
            actor_id,
            actor_label,
            action,
            target: String::new(),
            province_code: province.map(|p| p.to_string()),
            details,
        }
    }

    fn check(&self, role: Role, place: &Place) -> Result<(), Problem> {
        match self {
            Requester::Operator => Ok(()),
            Requester::Actor(actor, _) if actor.may_administer(role, place) => Ok(()),
            Requester::Actor(..) => Err(forbidden(format!(
                "you may not manage a {role} user in this locality"
            ))),
        }
    }
}

/// Raw input as it arrives from a form, a JSON body or the command line.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    pub role: String,
    pub locality: Option<String>,
    pub organization_id: Option<i64>,
}

pub fn invalid(e: InvalidInput) -> Problem {
    match e {
        InvalidInput::Email(_) => unprocessable("email", "invalid_email", e.to_string()),
        InvalidInput::Name => unprocessable("name", "invalid_name", e.to_string()),
        InvalidInput::PasswordTooShort | InvalidInput::PasswordTooLong => {
            unprocessable("password", "weak_password", e.to_string())
        }
    }
}

fn scope_problem(e: ScopeError) -> Problem {
    let field = match e {
        ScopeError::NeedsOrganization | ScopeError::OrganizationNotAllowed(_) => "organization_id",
        _ => "locality",
    };
    unprocessable(field, "invalid_scope", e.to_string())
}

pub fn parse_role(s: &str) -> Result<Role, Problem> {
    s.parse::<Role>()
        .map_err(|e| unprocessable("role", "unknown_role", e.to_string()))
}

/// Checks role × scope and fills in the province and commune the user works in.
async fn place(
    store: &dyn Store,
    role: Role,
    locality: Option<&str>,
    organization_id: Option<i64>,
) -> Result<UserPlacement, Problem> {
    let locality: Option<LocalityCode> = match locality.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse()
                .map_err(|e: ocop_domain::locality::BadLocalityCode| {
                    unprocessable("locality", "invalid_locality", e.to_string())
                })?,
        ),
        None => None,
    };
    let scope = Scope::for_role(role, locality.as_ref(), organization_id).map_err(scope_problem)?;
    let mut placement = UserPlacement {
        locality: locality.clone(),
        organization_id,
        ..Default::default()
    };
    match scope {
        Scope::Nation => {}
        Scope::Province(code) | Scope::Commune(code) => {
            let found = store.locality(&code).await?.ok_or_else(|| {
                unprocessable(
                    "locality",
                    "unknown_locality",
                    format!("there is no locality with code {code}"),
                )
            })?;
            match found.kind {
                LocalityKind::Province => placement.province = Some(code),
                LocalityKind::Commune => {
                    placement.province = found.parent;
                    placement.commune = Some(code);
                }
            }
        }
        Scope::Organization(id) => {
            let org = store.organization(id).await?.ok_or_else(|| {
                unprocessable(
                    "organization_id",
                    "unknown_organization",
                    format!("there is no organization with id {id}"),
                )
            })?;
            placement.province = org.province_code.parse().ok();
            placement.commune = org.commune_code.parse().ok();
        }
    }
    Ok(placement)
}

pub fn place_of(p: &UserPlacement) -> Place {
    Place {
        province: p.province.clone(),
        commune: p.commune.clone(),
    }
}

pub fn place_of_user(u: &User) -> Place {
    Place {
        province: u.province_code.as_deref().and_then(|s| s.parse().ok()),
        commune: u.commune_code.as_deref().and_then(|s| s.parse().ok()),
    }
}

pub async fn create(
    store: &dyn Store,
    by: Requester<'_>,
    input: UserInput,
    password: &str,
) -> Result<User, Problem> {
    let email: Email = input.email.parse().map_err(invalid)?;
    let name: PersonName = input.name.parse().map_err(invalid)?;
    let role = parse_role(&input.role)?;
    let password = Password::new(password).map_err(invalid)?;
    let placement = place(
        store,
        role,
        input.locality.as_deref(),
        input.organization_id,
    )
    .await?;
    by.check(role, &place_of(&placement))?;
    let hash = password::hash(password).await?;
    let audit = by.audit(
        "user_created",
        placement.province.as_ref(),
        serde_json::json!({"email": email.as_str(), "role": role, "locality": placement.locality, "organization_id": placement.organization_id}),
    );
    let new = NewUser {
        email,
        name,
        role,
        placement,
        password_hash: hash,
    };
    Ok(store.create_user(&new, &audit).await?)
}

/// Changes to a user; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    /// `Some(None)` clears the locality.
    pub locality: Option<Option<String>>,
    pub organization_id: Option<Option<i64>>,
    pub disabled: Option<bool>,
}

pub async fn update(
    store: &dyn Store,
    by: Requester<'_>,
    id: i64,
    changes: UserChanges,
) -> Result<User, Problem> {
    let current = visible_user(store, by, id).await?;
    let name: PersonName = changes
        .name
        .as_deref()
        .unwrap_or(&current.name)
        .parse()
        .map_err(invalid)?;
    let role = match &changes.role {
        Some(r) => parse_role(r)?,
        None => current.role,
    };
    let locality = changes
        .locality
        .clone()
        .unwrap_or(current.locality_code.clone());
    let organization_id = changes.organization_id.unwrap_or(current.organization_id);
    let disabled = changes.disabled.unwrap_or(current.disabled);
    if let Requester::Actor(actor, _) = by {
        if actor.user_id == id && (disabled || role != current.role) {
            return Err(forbidden("you cannot disable or demote your own account")
                .with_code("cannot_disable_self"));
        }
    }
    let placement = place(store, role, locality.as_deref(), organization_id).await?;
    by.check(role, &place_of(&placement))?;
    let action = match (current.disabled, disabled) {
        (false, true) => "user_disabled",
        (true, false) => "user_enabled",
        _ => "user_updated",
    };
    let audit = by.audit(
        action,
        placement.province.as_ref(),
        serde_json::json!({
            "before": {"name": current.name, "role": current.role, "locality": current.locality_code, "organization_id": current.organization_id, "disabled": current.disabled},
            "after": {"name": name.as_str(), "role": role, "locality": placement.locality, "organization_id": placement.organization_id, "disabled": disabled},
        }),
    );
    let update = UserUpdate {
        name,
        role,
        placement,
        disabled,
    };
    Ok(store.update_user(id, &update, &audit).await?)
}

/// A user the requester may see and manage; others are "not found" so ids do not leak.
pub async fn visible_user(store: &dyn Store, by: Requester<'_>, id: i64) -> Result<User, Problem> {
    let user = store.user(id).await?.ok_or_else(|| not_found("user"))?;
    match by {
        Requester::Operator => Ok(user),
        Requester::Actor(actor, _) if actor.may_administer(user.role, &place_of_user(&user)) => {
            Ok(user)
        }
        Requester::Actor(actor, _) if !actor.may(ocop_domain::access::Capability::ManageUsers) => {
            Err(forbidden("only central and provincial admins manage users"))
        }
        Requester::Actor(..) => Err(not_found("user")),
    }
}

/// Sets a new temporary password and returns it; every session of the user ends.
pub async fn reset_password(
    store: &dyn Store,
    by: Requester<'_>,
    id: i64,
) -> Result<String, Problem> {
    let user = visible_user(store, by, id).await?;
    let temporary = crate::auth::secrets::new_token("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect::<String>();
    let hash = password::hash(Password::new(&temporary).map_err(invalid)?).await?;
    let province: Option<LocalityCode> = user.province_code.as_deref().and_then(|s| s.parse().ok());
    let audit = by.audit(
        "password_reset",
        province.as_ref(),
        serde_json::json!({"email": user.email}),
    );
    store.set_password_hash(id, &hash, &audit).await?;
    Ok(temporary)
}

/// Changes one's own password after checking the current one.
pub async fn change_own_password(
    store: &dyn Store,
    actor: &Actor,
    email: &str,
    current: &str,
    new: &str,
) -> Result<(), Problem> {
    let new = Password::new(new).map_err(invalid)?;
    let stored = store.user_credentials(email).await?.map(|(_, h)| h);
    if !password::verify(Password::attempt(current), stored).await {
        return Err(unprocessable(
            "current_password",
            "wrong_password",
            "the current password is wrong",
        ));
    }
    let hash = password::hash(new).await?;
    let audit = Requester::Actor(actor, email).audit(
        "password_changed",
        actor.province.as_ref(),
        serde_json::json!({}),
    );
    store
        .set_password_hash(actor.user_id, &hash, &audit)
        .await?;
    Ok(())
}
