//! `/api/v1/lots` and `/api/v1/stamp-batches`: production lots, stamp orders, activations,
//! voids and exports.

use super::extract::{ApiJson, ApiPath, ApiQuery};
use crate::app::AppState;
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::stamps::{self, export, LotInput, RangeInput};
use crate::users::Requester;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::stamps::{Coverage, RangeKind, Segment};
use ocop_store::{Lot, StampBatch, StampRange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn requester(caller: &ApiUser) -> Requester<'_> {
    Requester::Actor(&caller.actor, &caller.user.email)
}

#[derive(Serialize, ToSchema)]
pub struct LotView {
    pub id: i64,
    pub product_id: i64,
    pub code: String,
    pub produced_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub quantity: i64,
    pub area_code: Option<String>,
    pub notes: Option<String>,
    /// Stamps activated for this lot and not voided.
    pub stamped: i64,
    pub created_at: DateTime<Utc>,
}

impl From<Lot> for LotView {
    fn from(l: Lot) -> Self {
        LotView {
            id: l.id,
            product_id: l.product_id,
            code: l.code,
            produced_on: l.produced_on,
            expires_on: l.expires_on,
            quantity: l.quantity,
            area_code: l.area_code,
            notes: l.notes,
            stamped: l.stamped,
            created_at: l.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLot {
    pub product_id: i64,
    /// The lot code printed on the goods.
    pub code: String,
    /// YYYY-MM-DD
    pub produced_on: NaiveDate,
    /// YYYY-MM-DD; leave out for goods that do not expire (handicrafts).
    pub expires_on: Option<NaiveDate>,
    /// Units in the lot: at most this many stamps can be activated for it.
    pub quantity: i64,
    /// Raw-material or planting area code.
    pub area_code: Option<String>,
    pub notes: Option<String>,
}

/// Records a production lot of a product.
#[utoipa::path(post, path = "/api/v1/lots", tag = "stamps", request_body = CreateLot, security(("bearer" = [])),
    responses((status = 201, body = LotView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_lot(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<CreateLot>,
) -> Result<(StatusCode, Json<LotView>), ApiError> {
    let input = LotInput {
        product_id: body.product_id,
        code: body.code,
        produced_on: body.produced_on,
        expires_on: body.expires_on,
        quantity: body.quantity,
        area_code: body.area_code,
        notes: body.notes,
    };
    let lot = stamps::create_lot(&*state.store, requester(&caller), &input).await?;
    Ok((StatusCode::CREATED, Json(lot.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductParam {
    /// The product whose lots or batches to list.
    pub product_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LotList {
    pub items: Vec<LotView>,
    #[schema(value_type = Object)]
    pub coverage: Coverage,
    /// Percent of lots with as many activated stamps as units.
    pub lots_covered_percent: i64,
}

/// The lots of a product and how far stamps cover them.
#[utoipa::path(get, path = "/api/v1/lots", tag = "stamps", params(ProductParam), security(("bearer" = [])),
    responses((status = 200, body = LotList), (status = 404, body = crate::error::Problem)))]
pub async fn list_lots(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<ProductParam>,
) -> Result<Json<LotList>, ApiError> {
    stamps::product(&*state.store, requester(&caller), q.product_id, false).await?;
    let (lots, coverage) = stamps::lots_with_coverage(&*state.store, q.product_id).await?;
    Ok(Json(LotList {
        items: lots.into_iter().map(Into::into).collect(),
        lots_covered_percent: coverage.lots_percent(),
        coverage,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct BatchView {
    pub id: i64,
    pub product_id: i64,
    pub kid: i32,
    pub first_serial: i64,
    pub last_serial: i64,
    pub count: i64,
    pub created_at: DateTime<Utc>,
}

impl From<StampBatch> for BatchView {
    fn from(b: StampBatch) -> Self {
        BatchView {
            last_serial: b.last_serial(),
            id: b.id,
            product_id: b.product_id,
            kid: b.kid,
            first_serial: b.first_serial,
            count: b.count,
            created_at: b.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueBatch {
    pub product_id: i64,
    /// 1 to 10,000,000 stamps.
    pub count: i64,
}

/// Orders a batch of stamps: fresh serials, one row however many.
#[utoipa::path(post, path = "/api/v1/stamp-batches", tag = "stamps", request_body = IssueBatch, security(("bearer" = [])),
    responses((status = 201, body = BatchView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn issue_batch(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<IssueBatch>,
) -> Result<(StatusCode, Json<BatchView>), ApiError> {
    let b = stamps::issue_batch(
        &*state.store,
        requester(&caller),
        body.product_id,
        body.count,
        state.current_kid,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(b.into())))
}

/// The stamp batches of a product, newest first.
#[utoipa::path(get, path = "/api/v1/stamp-batches", tag = "stamps", params(ProductParam), security(("bearer" = [])),
    responses((status = 200, body = Vec<BatchView>), (status = 404, body = crate::error::Problem)))]
pub async fn list_batches(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<ProductParam>,
) -> Result<Json<Vec<BatchView>>, ApiError> {
    stamps::product(&*state.store, requester(&caller), q.product_id, false).await?;
    let batches = state.store.stamp_batches(q.product_id).await?;
    Ok(Json(batches.into_iter().map(Into::into).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct RangeView {
    pub id: i64,
    pub batch_id: i64,
    /// `activated` or `voided`.
    pub kind: &'static str,
    pub from_serial: i64,
    pub to_serial: i64,
    pub lot_id: Option<i64>,
    pub lot_code: Option<String>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<StampRange> for RangeView {
    fn from(r: StampRange) -> Self {
        RangeView {
            id: r.id,
            batch_id: r.batch_id,
            kind: r.kind.as_str(),
            from_serial: r.from_serial,
            to_serial: r.to_serial,
            lot_id: r.lot_id,
            lot_code: r.lot_code,
            reason: r.reason,
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BatchDetail {
    #[serde(flatten)]
    pub batch: BatchView,
    /// Stamps not yet bound to a lot (nor voided).
    pub issued: i64,
    pub activated: i64,
    pub voided: i64,
    pub ranges: Vec<RangeView>,
    /// The batch split into consecutive stretches: issued, activated per lot, voided.
    #[schema(value_type = Vec<Object>)]
    pub segments: Vec<Segment>,
}

/// A batch with its ranges and the picture of its stretches.
#[utoipa::path(get, path = "/api/v1/stamp-batches/{id}", tag = "stamps", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = BatchDetail), (status = 404, body = crate::error::Problem)))]
pub async fn get_batch(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BatchDetail>, ApiError> {
    let (b, _) = stamps::batch(&*state.store, requester(&caller), id, false).await?;
    let o = stamps::overview(&*state.store, b).await?;
    Ok(Json(BatchDetail {
        batch: o.batch.into(),
        issued: o.issued,
        activated: o.activated,
        voided: o.voided,
        ranges: o.ranges.into_iter().map(Into::into).collect(),
        segments: o.segments,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Activate {
    pub from_serial: i64,
    pub to_serial: i64,
    /// The lot the stamps are stuck on.
    pub lot_id: i64,
}

/// Activates serials `from..=to` of the batch by binding them to a lot.
#[utoipa::path(post, path = "/api/v1/stamp-batches/{id}/activations", tag = "stamps", params(("id" = i64, Path)), request_body = Activate, security(("bearer" = [])),
    responses((status = 201, body = RangeView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn activate(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Activate>,
) -> Result<(StatusCode, Json<RangeView>), ApiError> {
    let input = RangeInput {
        kind: RangeKind::Activated,
        from_serial: body.from_serial,
        to_serial: body.to_serial,
        lot_id: Some(body.lot_id),
        reason: None,
    };
    let r = stamps::record_range(&*state.store, requester(&caller), id, &input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Void {
    pub from_serial: i64,
    pub to_serial: i64,
    /// Damaged, lost, stolen roll…
    pub reason: String,
}

/// Voids serials `from..=to` of the batch; activated ones too (a stolen roll).
#[utoipa::path(post, path = "/api/v1/stamp-batches/{id}/voids", tag = "stamps", params(("id" = i64, Path)), request_body = Void, security(("bearer" = [])),
    responses((status = 201, body = RangeView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn void(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<Void>,
) -> Result<(StatusCode, Json<RangeView>), ApiError> {
    let input = RangeInput {
        kind: RangeKind::Voided,
        from_serial: body.from_serial,
        to_serial: body.to_serial,
        lot_id: None,
        reason: Some(body.reason),
    };
    let r = stamps::record_range(&*state.store, requester(&caller), id, &input).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv (printing houses), pdf (A4 label sheets), svg or png (one stamp)
    pub format: String,
    /// Add the PIN column / box (an audited action).
    #[serde(default)]
    pub with_pin: bool,
    /// Labels per A4 page for PDF, COLUMNSxROWS, e.g. 3x8, 4x10 (default), 5x13.
    pub layout: Option<String>,
    /// First serial (default: the batch's first).
    pub from: Option<i64>,
    /// Last serial (default: the batch's last; for svg/png the same as `from`).
    pub to: Option<i64>,
    /// `gs1` for GS1 Digital Link URLs in the QR (products with a GTIN).
    pub link: Option<String>,
}

impl ExportQuery {
    pub fn request(&self) -> Result<export::ExportRequest, crate::error::Problem> {
        let digital_link = match self.link.as_deref().map(str::trim) {
            None | Some("") | Some("stamp") => false,
            Some("gs1") => true,
            Some(other) => {
                return Err(crate::error::unprocessable(
                    "link",
                    "invalid_link",
                    format!("`{other}` is not a link form: use stamp (default) or gs1"),
                ))
            }
        };
        Ok(export::ExportRequest {
            format: export::Format::parse(&self.format)?,
            with_pin: self.with_pin,
            layout: self.layout.clone(),
            from: self.from,
            to: self.to,
            digital_link,
        })
    }
}

/// Exports the batch's stamps (CSV streamed), or one stamp as SVG/PNG.
#[utoipa::path(get, path = "/api/v1/stamp-batches/{id}/export", tag = "stamps", params(("id" = i64, Path), ExportQuery), security(("bearer" = [])),
    responses((status = 200, description = "the file", content_type = "text/csv"), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn export_batch(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let req = q.request()?;
    let prepared =
        export::prepare(&*state.store, &state.codes, requester(&caller), id, &req).await?;
    Ok(stamps::respond::respond(&state, prepared).await?)
}
