//! `/api/v1/users` and `/api/v1/me`: user management for central users and provincial admins.

use super::extract::{ApiJson, ApiPath};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{forbidden, ApiError};
use crate::users::{self as service, Requester, UserChanges, UserInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use ocop_domain::access::Capability;
use ocop_store::{User, UserFilter};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// central, admin, officer, evaluator, producer or inspector
    pub role: String,
    pub locality_code: Option<String>,
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    pub organization_id: Option<i64>,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role.as_str().to_string(),
            locality_code: u.locality_code,
            province_code: u.province_code,
            commune_code: u.commune_code,
            organization_id: u.organization_id,
            disabled: u.disabled,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserBody {
    pub email: String,
    pub name: String,
    pub role: String,
    /// Province (2 digits) or commune (5 digits); none for central and producers.
    pub locality: Option<String>,
    /// Producers only: the organization they work for.
    pub organization_id: Option<i64>,
    /// At least 10 characters.
    pub password: String,
}

/// Absent keeps a field; `null` clears `locality` or `organization_id`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserBody {
    pub name: Option<String>,
    pub role: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub locality: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub organization_id: Option<Option<i64>>,
    pub disabled: Option<bool>,
}

/// Tells a JSON `null` (clear) from an absent key (keep).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Serialize, ToSchema)]
pub struct PasswordResetView {
    /// Shown once; give it to the user, who should change it.
    pub temporary_password: String,
}

fn requester(caller: &ApiUser) -> Requester<'_> {
    Requester::Actor(&caller.actor, &caller.user.email)
}

/// The calling user.
#[utoipa::path(get, path = "/api/v1/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = crate::error::Problem)))]
pub async fn me(caller: ApiUser) -> Json<UserView> {
    Json(caller.user.into())
}

/// Users the caller manages: all for central, the province's for an admin.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
pub async fn list_users(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<UserView>>, ApiError> {
    if !caller.actor.may(Capability::ManageUsers) {
        return Err(forbidden("only central and provincial admins manage users").into());
    }
    let filter = UserFilter {
        province: caller.actor.province.clone(),
    };
    let users = state.store.users(&filter).await?;
    Ok(Json(users.into_iter().map(UserView::from).collect()))
}

/// Creates a user. Admins create users of their own province only, and never `central` ones.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = CreateUserBody,
    responses((status = 201, body = UserView), (status = 403, body = crate::error::Problem),
        (status = 409, description = "e-mail taken", body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<CreateUserBody>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    if !caller.actor.may(Capability::ManageUsers) {
        return Err(forbidden("only central and provincial admins manage users").into());
    }
    let input = UserInput {
        email: body.email,
        name: body.name,
        role: body.role,
        locality: body.locality,
        organization_id: body.organization_id,
    };
    let user = service::create(&*state.store, requester(&caller), input, &body.password).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// One user the caller manages.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    Ok(Json(
        service::visible_user(&*state.store, requester(&caller), id)
            .await?
            .into(),
    ))
}

/// Changes name, role, scope or disables a user. Disabling ends its sessions and tokens.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UpdateUserBody,
    responses((status = 200, body = UserView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_user(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateUserBody>,
) -> Result<Json<UserView>, ApiError> {
    let changes = UserChanges {
        name: body.name,
        role: body.role,
        locality: body.locality,
        organization_id: body.organization_id,
        disabled: body.disabled,
    };
    Ok(Json(
        service::update(&*state.store, requester(&caller), id, changes)
            .await?
            .into(),
    ))
}

/// Gives the user a new temporary password; its sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = PasswordResetView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PasswordResetView>, ApiError> {
    let temporary_password = service::reset_password(&*state.store, requester(&caller), id).await?;
    Ok(Json(PasswordResetView { temporary_password }))
}
