//! `GET /api/v1/audit`: the audit log, for central users and a province's admins.

use super::extract::ApiQuery;
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::{forbidden, ApiError};
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use ocop_domain::access::Capability;
use ocop_store::{AuditFilter, AuditRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub province_code: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<AuditRecord> for AuditView {
    fn from(r: AuditRecord) -> Self {
        AuditView {
            id: r.id,
            at: r.at,
            actor_id: r.actor_id,
            actor: r.actor_label,
            action: r.action,
            target: r.target,
            province_code: r.province_code,
            details: r.details,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries older than this id (paging back in time).
    pub before: Option<i64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// The filter an actor may read: everything for central, its province for an admin.
pub fn scoped_filter(
    actor: &ocop_domain::Actor,
    before: Option<i64>,
    limit: i64,
) -> Result<AuditFilter, crate::error::Problem> {
    if !actor.may(Capability::ViewAuditLog) {
        return Err(forbidden(
            "only central and provincial admins read the audit log",
        ));
    }
    Ok(AuditFilter {
        province: actor.province.clone(),
        before_id: before,
        limit,
    })
}

/// Newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditView>), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
pub async fn list_audit(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditView>>, ApiError> {
    let filter = scoped_filter(&caller.actor, q.before, q.limit.unwrap_or(100))?;
    let records = state.store.audit_log(&filter).await?;
    Ok(Json(records.into_iter().map(AuditView::from).collect()))
}
