//! `/registry/products/{id}/stamps` and `/stamp-batches/{id}`: a product's production lots and
//! stamp batches, the picture of each batch, activations, voids and downloads.
//!
//! Every check and rule lives in [`crate::stamps`]; these handlers turn typed text into its
//! inputs and its answers into pages.

use super::registry_common::{self as common, requester, Choice};
use super::{render, Nav};
use crate::api::stamps::ExportQuery;
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::WebUser;
use crate::error::{unprocessable, Problem, WebError};
use crate::i18n::{Lang, Tr};
use crate::stamps::{self, export, BatchOverview, LotInput, RangeInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use ocop_domain::stamps::{Coverage, RangeKind, Segment, Stretch, MAX_BATCH};
use ocop_store::{Lot, Product, ScanDay, StampRange};
use serde::Deserialize;
use std::collections::HashMap;

/// The PDF layouts offered in the download form (labels across × down an A4 page).
const LAYOUTS: [&str; 3] = ["3x8", "4x10", "5x13"];
const DEFAULT_LAYOUT: &str = "4x10";

// ---------------------------------------------------------------------------------------------
// Typed input

/// A whole number as typed. Spaces, and dots or commas grouping thousands as Vietnamese and
/// English write them ("10.000", "10,000"), are allowed; empty is `None`.
fn whole(v: &str, field: &'static str) -> Result<Option<i64>, Problem> {
    let s: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = if grouped(&s) {
        s.replace(['.', ','], "")
    } else {
        s
    };
    digits.parse::<i64>().map(Some).map_err(|_| {
        unprocessable(
            field,
            "invalid_number",
            format!("{field} `{}` is not a whole number", v.trim()),
        )
    })
}

/// Digits grouped by threes with one kind of separator: `1.000.000`, `10,000`.
fn grouped(s: &str) -> bool {
    let sep = match (s.contains('.'), s.contains(',')) {
        (true, false) => '.',
        (false, true) => ',',
        _ => return false,
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    (1..=3).contains(&first.len()) && digits(first) && parts.all(|p| p.len() == 3 && digits(p))
}

fn required_whole(v: &str, field: &'static str) -> Result<i64, Problem> {
    whole(v, field)?.ok_or_else(|| unprocessable(field, "required", format!("{field} is required")))
}

/// The new-lot form, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LotForm {
    code: String,
    produced_on: String,
    expires_on: String,
    quantity: String,
    area_code: String,
    notes: String,
}

impl LotForm {
    fn input(&self, product_id: i64) -> Result<LotInput, Problem> {
        let produced_on = crate::registry::date(&Some(self.produced_on.clone()), "produced_on")?
            .ok_or_else(|| unprocessable("produced_on", "required", "produced_on is required"))?;
        Ok(LotInput {
            product_id,
            code: self.code.clone(),
            produced_on,
            expires_on: crate::registry::date(&Some(self.expires_on.clone()), "expires_on")?,
            quantity: required_whole(&self.quantity, "quantity")?,
            area_code: Some(self.area_code.clone()),
            notes: Some(self.notes.clone()),
        })
    }
}

/// The order-a-batch form.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct BatchForm {
    count: String,
}

/// The activate and void forms: serials, and the lot or the reason.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RangeForm {
    from_serial: String,
    to_serial: String,
    lot_id: String,
    reason: String,
}

impl RangeForm {
    fn input(&self, kind: RangeKind) -> Result<RangeInput, Problem> {
        let from_serial = required_whole(&self.from_serial, "from_serial")?;
        let to_serial = required_whole(&self.to_serial, "to_serial")?;
        Ok(match kind {
            RangeKind::Activated => RangeInput {
                kind,
                from_serial,
                to_serial,
                lot_id: whole(&self.lot_id, "lot_id")?,
                reason: None,
            },
            RangeKind::Voided => RangeInput {
                kind,
                from_serial,
                to_serial,
                lot_id: None,
                reason: Some(self.reason.clone()),
            },
        })
    }
}

/// The download links and form, as sent: every value a string, so that whatever a browser
/// sends (an empty field, a ticked box's `on`) gets a friendly answer.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DownloadForm {
    format: String,
    with_pin: String,
    layout: String,
    from: String,
    to: String,
    link: String,
}

impl DownloadForm {
    fn with_pin(&self) -> bool {
        matches!(
            self.with_pin.trim().to_ascii_lowercase().as_str(),
            "true" | "on" | "1" | "yes"
        )
    }

    fn request(&self) -> Result<export::ExportRequest, Problem> {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        ExportQuery {
            format: self.format.clone(),
            with_pin: self.with_pin(),
            layout: text(&self.layout),
            from: whole(&self.from, "from")?,
            to: whole(&self.to, "to")?,
            link: text(&self.link),
        }
        .request()
    }
}

// ---------------------------------------------------------------------------------------------
// What the pages show

/// A refusal shown beside the form that caused it, with what was typed kept.
pub struct StampError {
    /// Which form: `lot`, `batch`, `activate`, `void` or `download`.
    pub form: &'static str,
    pub message: &'static str,
    /// The serials the refusal names, when it names some.
    pub serials: Option<String>,
    /// The service's English detail, for support.
    pub detail: String,
    pub field: Option<&'static str>,
}

/// Bad input and refused ranges are explained beside the form (422); anything else (not
/// allowed, not found, server trouble) becomes the error page.
fn refusal(tr: Tr, form: &'static str, problem: Problem) -> Result<StampError, WebError> {
    if problem.status != 422 && problem.status != 409 {
        return Err(WebError(problem));
    }
    // A field-specific text first ("the expiry date is before…"), then the code's.
    let message = problem
        .field
        .and_then(|f| tr.get(&format!("problem.{}.{f}", problem.code)))
        .unwrap_or_else(|| tr.problem(problem.code));
    Ok(StampError {
        form,
        message,
        serials: problem
            .code
            .starts_with("range_")
            .then(|| serials_in(&problem.detail))
            .flatten(),
        detail: problem.detail,
        field: problem.field,
    })
}

/// The first `from–to` in a refusal's detail: the serials at fault.
fn serials_in(detail: &str) -> Option<String> {
    let at = detail.find('–')?;
    let (before, after) = (&detail[..at], &detail[at + '–'.len_utf8()..]);
    let from_len = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    let from = &before[before.len() - from_len..];
    let to: String = after.chars().take_while(char::is_ascii_digit).collect();
    (!from.is_empty() && !to.is_empty()).then(|| format!("{from}–{to}"))
}

/// A count as people read it: `1.234.567` in Vietnamese, `1,234,567` in English.
fn num(tr: Tr, n: i64) -> String {
    let sep = if tr.lang() == "vi" { '.' } else { ',' };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Vietnam's time (UTC+7 all year).
fn when(t: DateTime<Utc>) -> String {
    let vn = FixedOffset::east_opt(7 * 3600).expect("a valid offset");
    t.with_timezone(&vn).format("%d/%m/%Y %H:%M").to_string()
}

pub struct CoverageView {
    pub lots: String,
    pub lots_covered: String,
    pub lots_percent: i64,
    pub units: String,
    pub units_stamped: String,
    pub units_percent: i64,
    /// For `<meter>`: `max` must be above `min`, even with nothing to cover yet.
    pub lots_max: i64,
    pub lots_value: i64,
    pub units_max: i64,
    pub units_value: i64,
}

impl CoverageView {
    fn of(tr: Tr, c: &Coverage) -> CoverageView {
        CoverageView {
            lots: num(tr, c.lots),
            lots_covered: num(tr, c.lots_covered),
            lots_percent: c.lots_percent(),
            units: num(tr, c.units),
            units_stamped: num(tr, c.units_stamped),
            units_percent: c.units_percent(),
            lots_max: c.lots.max(1),
            lots_value: c.lots_covered,
            units_max: c.units.max(1),
            units_value: c.units_stamped,
        }
    }
}

pub struct LotRow {
    pub id: i64,
    pub code: String,
    pub produced_on: String,
    pub expires_on: String,
    pub quantity: String,
    pub stamped: String,
    pub percent: i64,
    pub meter_max: i64,
    pub meter_value: i64,
    pub full: bool,
    pub area_code: String,
    pub notes: String,
    /// When the lot was recalled (Vietnam time), and the grounds shoppers read.
    pub recalled: Option<String>,
    pub recall_reason: String,
}

impl LotRow {
    fn of(tr: Tr, l: &Lot) -> LotRow {
        let stamped = l.stamped.min(l.quantity);
        LotRow {
            id: l.id,
            code: l.code.clone(),
            produced_on: crate::present::date(l.produced_on),
            expires_on: crate::present::maybe_date(l.expires_on),
            quantity: num(tr, l.quantity),
            stamped: num(tr, l.stamped),
            percent: ocop_domain::stamps::percent(stamped, l.quantity),
            meter_max: l.quantity.max(1),
            meter_value: stamped,
            full: l.stamped >= l.quantity,
            area_code: l.area_code.clone().unwrap_or_default(),
            notes: l.notes.clone().unwrap_or_default(),
            recalled: l.recalled_at.map(when),
            recall_reason: l.recall_reason.clone().unwrap_or_default(),
        }
    }
}

/// One stretch of a batch in its picture.
pub struct Bar {
    /// Percent of the width, as SVG attributes.
    pub x: String,
    pub width: String,
    pub class: &'static str,
    pub voided: bool,
    pub title: String,
}

/// A batch drawn as one horizontal bar: issued, activated (by lot) and voided stretches.
pub struct Picture {
    /// Unique on the page: the hatching pattern is named after it.
    pub id: i64,
    pub height: u32,
    pub label: String,
    pub bars: Vec<Bar>,
}

/// Each segment gets a share of the width proportional to its length, but at least a sliver
/// so that a single voided stamp in a large batch is still seen.
fn widths(lengths: &[i64]) -> Vec<f64> {
    let n = lengths.len() as f64;
    if lengths.is_empty() {
        return vec![];
    }
    let min = (100.0 / n).min(0.5);
    let total: i64 = lengths.iter().sum();
    let rest = 100.0 - min * n;
    lengths
        .iter()
        .map(|&l| min + rest * (l as f64) / (total.max(1) as f64))
        .collect()
}

fn picture(tr: Tr, id: i64, height: u32, segments: &[Segment]) -> Picture {
    let sizes = widths(&segments.iter().map(|s| s.range.len()).collect::<Vec<_>>());
    // Two greens, so that lots side by side differ; a lot keeps its shade along the bar.
    let mut shades: HashMap<&str, usize> = HashMap::new();
    let mut previous: Option<(&str, usize)> = None;
    let mut x = 0.0;
    let mut bars = Vec::with_capacity(segments.len());
    for (s, w) in segments.iter().zip(sizes) {
        let serials = format!(
            "{} {}–{} ({} {})",
            tr.t("stamps.serials"),
            s.range.from,
            s.range.to,
            num(tr, s.range.len()),
            tr.t(if s.range.len() == 1 {
                "stamps.stamp_unit"
            } else {
                "stamps.stamps_unit"
            })
        );
        let (class, voided, state) = match &s.stretch {
            Stretch::Issued => {
                previous = None;
                ("issued", false, tr.t("stamps.state.issued").to_string())
            }
            Stretch::Voided => {
                previous = None;
                ("voided", true, tr.t("stamps.state.voided").to_string())
            }
            Stretch::Activated { lot } => {
                let next = shades.len() % 2;
                let shade = *shades.entry(lot.as_str()).or_insert(match previous {
                    Some((p, shade)) if p != lot => 1 - shade,
                    _ => next,
                });
                previous = Some((lot.as_str(), shade));
                (
                    if shade == 0 {
                        "activated-a"
                    } else {
                        "activated-b"
                    },
                    false,
                    format!("{} {lot}", tr.t("stamps.lot_word")),
                )
            }
        };
        bars.push(Bar {
            x: format!("{x:.3}"),
            width: format!("{w:.3}"),
            class,
            voided,
            title: format!("{serials}: {state}"),
        });
        x += w;
    }
    Picture {
        id,
        height,
        label: format!("{} #{id}", tr.t("stamps.picture")),
        bars,
    }
}

pub struct BatchRow {
    pub id: i64,
    pub first: i64,
    pub last: i64,
    pub count: String,
    pub created: String,
    pub issued: String,
    pub activated: String,
    pub voided: String,
    pub picture: Picture,
}

impl BatchRow {
    fn of(tr: Tr, o: &BatchOverview, height: u32) -> BatchRow {
        BatchRow {
            id: o.batch.id,
            first: o.batch.first_serial,
            last: o.batch.last_serial(),
            count: num(tr, o.batch.count),
            created: when(o.batch.created_at),
            issued: num(tr, o.issued),
            activated: num(tr, o.activated),
            voided: num(tr, o.voided),
            picture: picture(tr, o.batch.id, height, &o.segments),
        }
    }
}

pub struct RangeRow {
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub from: i64,
    pub to: i64,
    pub count: String,
    pub lot: String,
    pub reason: String,
    pub when: String,
}

impl RangeRow {
    fn of(tr: Tr, r: &StampRange) -> RangeRow {
        RangeRow {
            kind: r.kind.as_str(),
            kind_label: tr.t(&format!("stamps.kind.{}", r.kind.as_str())),
            from: r.from_serial,
            to: r.to_serial,
            count: num(tr, r.to_serial - r.from_serial + 1),
            lot: r.lot_code.clone().unwrap_or_default(),
            reason: r.reason.clone().unwrap_or_default(),
            when: when(r.created_at),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scan figures: the product's scans per day over the last 30 days

/// Days in the scan chart, today (in Vietnam) the last.
const CHART_DAYS: i64 = 30;
/// The chart's drawing box: a bar of 8 units in every 10, 100 units high.
const CHART_STEP: i64 = 10;
const CHART_HEIGHT: f64 = 100.0;

/// One day in the chart: first scans at the bottom, repeat scans on top.
pub struct ScanBar {
    pub x: i64,
    pub first_y: String,
    pub first_h: String,
    pub repeat_y: String,
    pub repeat_h: String,
    pub first: bool,
    pub repeat: bool,
    pub title: String,
}

pub struct ScanChart {
    pub bars: Vec<ScanBar>,
    pub width: i64,
    pub total: String,
    pub first: String,
    pub repeat: String,
    /// The highest day: the top of the scale.
    pub max: String,
    pub from: String,
    pub to: String,
    pub label: String,
    pub any: bool,
}

/// The first moment of the chart's first day, midnight in Vietnam (UTC+7).
fn since_30_days() -> DateTime<Utc> {
    let first_day = crate::present::today_in_vietnam() - chrono::Duration::days(CHART_DAYS - 1);
    let midnight = first_day.and_hms_opt(0, 0, 0).expect("midnight exists");
    DateTime::<Utc>::from_naive_utc_and_offset(midnight - chrono::Duration::hours(7), Utc)
}

fn scan_chart(tr: Tr, days: &[ScanDay]) -> ScanChart {
    let today = crate::present::today_in_vietnam();
    let first_day = today - chrono::Duration::days(CHART_DAYS - 1);
    let by_day: HashMap<NaiveDate, &ScanDay> = days.iter().map(|d| (d.day, d)).collect();
    let series: Vec<(NaiveDate, i64, i64)> = (0..CHART_DAYS)
        .map(|i| {
            let d = first_day + chrono::Duration::days(i);
            let (scans, firsts) = by_day
                .get(&d)
                .map(|s| (s.scans, s.first_scans))
                .unwrap_or((0, 0));
            let firsts = firsts.clamp(0, scans.max(0));
            (d, firsts, scans.max(0) - firsts)
        })
        .collect();
    let max = series.iter().map(|(_, f, r)| f + r).max().unwrap_or(0);
    let scale = CHART_HEIGHT / max.max(1) as f64;
    let (mut total_first, mut total_repeat) = (0, 0);
    let bars = series
        .iter()
        .enumerate()
        .map(|(i, (d, f, r))| {
            total_first += f;
            total_repeat += r;
            let fh = *f as f64 * scale;
            let rh = *r as f64 * scale;
            ScanBar {
                x: i as i64 * CHART_STEP + 1,
                first_y: format!("{:.2}", CHART_HEIGHT - fh),
                first_h: format!("{fh:.2}"),
                repeat_y: format!("{:.2}", CHART_HEIGHT - fh - rh),
                repeat_h: format!("{rh:.2}"),
                first: *f > 0,
                repeat: *r > 0,
                title: format!(
                    "{}: {} {} ({} {}, {} {})",
                    d.format("%d/%m/%Y"),
                    num(tr, f + r),
                    tr.t("scans.unit"),
                    tr.t("scans.first"),
                    num(tr, *f),
                    tr.t("scans.repeat"),
                    num(tr, *r)
                ),
            }
        })
        .collect();
    ScanChart {
        bars,
        width: CHART_DAYS * CHART_STEP,
        total: num(tr, total_first + total_repeat),
        first: num(tr, total_first),
        repeat: num(tr, total_repeat),
        max: num(tr, max),
        from: first_day.format("%d/%m").to_string(),
        to: today.format("%d/%m").to_string(),
        label: tr.t("scans.chart").to_string(),
        any: total_first + total_repeat > 0,
    }
}

fn notice(tr: Tr, done: Option<&str>) -> Option<&'static str> {
    match done? {
        "lot" => Some(tr.t("stamps.done.lot")),
        "batch" => Some(tr.t("stamps.done.batch")),
        "activated" => Some(tr.t("stamps.done.activated")),
        "voided" => Some(tr.t("stamps.done.voided")),
        "recalled" => Some(tr.t("stamps.done.recalled")),
        _ => None,
    }
}

fn with_status(response: Response, error: bool) -> Response {
    let mut response = response;
    if error {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

fn may_edit(me: &WebUser) -> bool {
    crate::registry::require_edit(requester(me)).is_ok()
}

// ---------------------------------------------------------------------------------------------
// The product's stamp page

#[derive(Template)]
#[template(path = "stamps_product.html")]
struct ProductStampsPage {
    tr: Tr,
    nav: Nav,
    product: Product,
    coverage: CoverageView,
    lots: Vec<LotRow>,
    batches: Vec<BatchRow>,
    can_edit: bool,
    lot_form: LotForm,
    batch_form: BatchForm,
    max_batch: String,
    error: Option<StampError>,
    notice: Option<&'static str>,
    /// May recall lots (everyone who reaches the product but council members; the service
    /// decides).
    can_recall: bool,
    /// The lot whose recall was refused, and the grounds typed.
    recall_lot: Option<i64>,
    recall_form: RecallForm,
    scans: ScanChart,
}

impl ProductStampsPage {
    fn error_in(&self, form: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.form == form)
    }

    /// The recall form of this lot was refused.
    fn recall_refused(&self, lot: &i64) -> bool {
        self.recall_lot == Some(*lot) && self.error_in("recall")
    }

    fn invalid(&self, form: &str, field: &str) -> bool {
        self.error
            .as_ref()
            .is_some_and(|e| e.form == form && e.field == Some(field))
    }
}

async fn product_page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    product: Product,
) -> Result<ProductStampsPage, WebError> {
    let (lots, coverage) = stamps::lots_with_coverage(&*state.store, product.id).await?;
    let mut batches = Vec::new();
    for b in state.store.stamp_batches(product.id).await? {
        let o = stamps::overview(&*state.store, b).await?;
        batches.push(BatchRow::of(tr, &o, 24));
    }
    let scans = scan_chart(
        tr,
        &state.store.scan_days(product.id, since_30_days()).await?,
    );
    Ok(ProductStampsPage {
        tr,
        nav: Nav::for_user(me, &format!("/registry/products/{}/stamps", product.id)),
        coverage: CoverageView::of(tr, &coverage),
        lots: lots.iter().map(|l| LotRow::of(tr, l)).collect(),
        batches,
        can_edit: may_edit(me),
        lot_form: LotForm::default(),
        batch_form: BatchForm::default(),
        max_batch: num(tr, MAX_BATCH),
        error: None,
        notice: None,
        can_recall: me.actor.may(ocop_domain::access::Capability::RecallLots),
        recall_lot: None,
        recall_form: RecallForm::default(),
        scans,
        product,
    })
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn product_stamps(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let product = stamps::product(&*state.store, requester(&me), id, false).await?;
    let mut page = product_page(&state, &me, tr, product).await?;
    page.notice = notice(tr, q.done.as_deref());
    Ok(render(&page))
}

pub async fn create_lot(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<LotForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let by = requester(&me);
    // Out of reach or read-only: the error page, whatever was typed.
    let product = stamps::product(&*state.store, by, id, true).await?;
    let result = match form.input(id) {
        Ok(input) => stamps::create_lot(&*state.store, by, &input).await,
        Err(p) => Err(p),
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/registry/products/{id}/stamps?done=lot#lots")).into_response(),
        ),
        Err(p) => {
            let error = refusal(tr, "lot", p)?;
            let mut page = product_page(&state, &me, tr, product).await?;
            page.lot_form = form;
            page.error = Some(error);
            Ok(with_status(render(&page), true))
        }
    }
}

pub async fn issue_batch(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<BatchForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let by = requester(&me);
    let product = stamps::product(&*state.store, by, id, true).await?;
    let result = match required_whole(&form.count, "count") {
        Ok(count) => stamps::issue_batch(&*state.store, by, id, count, state.current_kid).await,
        Err(p) => Err(p),
    };
    match result {
        // Next come the downloads and activations: the new batch's own page.
        Ok(b) => Ok(Redirect::to(&format!("/stamp-batches/{}?done=batch", b.id)).into_response()),
        Err(p) => {
            let error = refusal(tr, "batch", p)?;
            let mut page = product_page(&state, &me, tr, product).await?;
            page.batch_form = form;
            page.error = Some(error);
            Ok(with_status(render(&page), true))
        }
    }
}

/// The recall form of a lot.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RecallForm {
    reason: String,
}

/// Recalls a lot: every stamp of it says "recalled" at once. The service decides who may.
pub async fn recall_lot(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RecallForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let by = requester(&me);
    let problem = match crate::verify::watch::recall(&state, by, &me.actor, id, &form.reason).await
    {
        Ok(lot) => {
            return Ok(Redirect::to(&format!(
                "/registry/products/{}/stamps?done=recalled#lot-{}",
                lot.product_id, lot.id
            ))
            .into_response())
        }
        Err(p) => p,
    };
    // Missing grounds or a lot already recalled are explained beside the form.
    let error = refusal(tr, "recall", problem)?;
    let lot = state
        .store
        .lot(id)
        .await?
        .ok_or_else(|| crate::error::not_found("lot"))?;
    let product = stamps::product(&*state.store, by, lot.product_id, false).await?;
    let mut page = product_page(&state, &me, tr, product).await?;
    page.error = Some(error);
    page.recall_lot = Some(id);
    page.recall_form = form;
    Ok(with_status(render(&page), true))
}

// ---------------------------------------------------------------------------------------------
// A batch's page

#[derive(Template)]
#[template(path = "stamps_batch.html")]
struct BatchPage {
    tr: Tr,
    nav: Nav,
    product: Product,
    batch: BatchRow,
    ranges: Vec<RangeRow>,
    lots: Vec<Choice>,
    can_edit: bool,
    activate: RangeForm,
    void: RangeForm,
    download: DownloadForm,
    layouts: Vec<Choice>,
    pdf_max: String,
    error: Option<StampError>,
    notice: Option<&'static str>,
}

impl BatchPage {
    fn error_in(&self, form: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.form == form)
    }

    fn invalid(&self, form: &str, field: &str) -> bool {
        self.error
            .as_ref()
            .is_some_and(|e| e.form == form && e.field == Some(field))
    }

    /// The PDF form's box is ticked again after a refusal.
    fn pdf_with_pin(&self) -> bool {
        self.download.format == "pdf" && self.download.with_pin()
    }
}

async fn batch_page(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    batch_id: i64,
    activate: RangeForm,
    void: RangeForm,
    download: DownloadForm,
) -> Result<BatchPage, WebError> {
    let (b, product) = stamps::batch(&*state.store, requester(me), batch_id, false).await?;
    let o = stamps::overview(&*state.store, b).await?;
    let (lots, _) = stamps::lots_with_coverage(&*state.store, product.id).await?;
    let lots = common::choices(
        lots.iter().map(|l| {
            let room = (l.quantity - l.stamped).max(0);
            (
                l.id.to_string(),
                format!(
                    "{} — {} {} {}",
                    l.code,
                    tr.t("stamps.room"),
                    num(tr, room),
                    tr.t("stamps.stamps_unit")
                ),
            )
        }),
        &activate.lot_id,
    );
    let layout = match download.layout.trim() {
        "" => DEFAULT_LAYOUT,
        l => l,
    };
    Ok(BatchPage {
        tr,
        nav: Nav::for_user(me, &format!("/stamp-batches/{batch_id}")),
        batch: BatchRow::of(tr, &o, 40),
        ranges: o.ranges.iter().map(|r| RangeRow::of(tr, r)).collect(),
        lots,
        can_edit: may_edit(me),
        activate,
        void,
        layouts: common::choices(LAYOUTS.map(|l| (l, l.replace('x', " × "))), layout),
        download,
        pdf_max: num(tr, export::MAX_PDF_LABELS),
        error: None,
        notice: None,
        product,
    })
}

pub async fn batch(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let d = RangeForm::default;
    let mut page = batch_page(&state, &me, tr, id, d(), d(), DownloadForm::default()).await?;
    page.notice = notice(tr, q.done.as_deref());
    Ok(render(&page))
}

async fn record(
    state: &AppState,
    me: &WebUser,
    tr: Tr,
    id: i64,
    kind: RangeKind,
    form: RangeForm,
) -> Result<Response, WebError> {
    let by = requester(me);
    // Out of reach or read-only: the error page, whatever was typed.
    stamps::batch(&*state.store, by, id, true).await?;
    let result = match form.input(kind) {
        Ok(input) => stamps::record_range(&*state.store, by, id, &input).await,
        Err(p) => Err(p),
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/stamp-batches/{id}?done={}", kind.as_str())).into_response(),
        ),
        Err(p) => {
            let d = RangeForm::default;
            let (name, activate, void) = match kind {
                RangeKind::Activated => ("activate", form, d()),
                RangeKind::Voided => ("void", d(), form),
            };
            let error = refusal(tr, name, p)?;
            let mut page =
                batch_page(state, me, tr, id, activate, void, DownloadForm::default()).await?;
            page.error = Some(error);
            Ok(with_status(render(&page), true))
        }
    }
}

pub async fn activate(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RangeForm>,
) -> Result<Response, WebError> {
    record(&state, &me, Tr(lang), id, RangeKind::Activated, form).await
}

pub async fn void(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RangeForm>,
) -> Result<Response, WebError> {
    record(&state, &me, Tr(lang), id, RangeKind::Voided, form).await
}

/// The batch's codes for the signed-in user: the same checks, audit and writing as the API.
pub async fn download(
    State(state): State<AppState>,
    me: WebUser,
    lang: Lang,
    Path(id): Path<i64>,
    Query(form): Query<DownloadForm>,
) -> Result<Response, WebError> {
    let tr = Tr(lang);
    let by = requester(&me);
    let prepared = match form.request() {
        Ok(req) => export::prepare(&*state.store, &state.codes, by, id, &req).await,
        Err(p) => Err(p),
    };
    let problem = match prepared {
        Ok(export) => return Ok(stamps::respond::respond(&state, export).await?),
        Err(p) => p,
    };
    // Bad input is explained on the batch page; a refusal of who may export is the error page.
    if problem.status == 422 {
        stamps::batch(&*state.store, by, id, true).await?;
    }
    let error = refusal(tr, "download", problem)?;
    let d = RangeForm::default;
    let mut page = batch_page(&state, &me, tr, id, d(), d(), form).await?;
    page.error = Some(error);
    Ok(with_status(render(&page), true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use ocop_domain::stamps::SerialRange;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(whole(" 1 500 ", "count").unwrap(), Some(1500));
        assert_eq!(whole("10.000", "count").unwrap(), Some(10_000));
        assert_eq!(whole("10,000,000", "count").unwrap(), Some(10_000_000));
        assert_eq!(whole("", "count").unwrap(), None);
        for bad in ["1.5", "abc", "1.0000", "99999999999999999999", "1,000.000"] {
            let p = whole(bad, "count").unwrap_err();
            assert_eq!(
                (p.status, p.code, p.field),
                (422, "invalid_number", Some("count")),
                "{bad}"
            );
        }
        assert_eq!(
            required_whole(" ", "to_serial").unwrap_err().code,
            "required"
        );
    }

    #[test]
    fn counts_read_in_the_visitors_language() {
        assert_eq!(num(Tr(Lang::Vi), 1_234_567), "1.234.567");
        assert_eq!(num(Tr(Lang::En), 1_234_567), "1,234,567");
        assert_eq!(num(Tr(Lang::En), 999), "999");
        assert_eq!(num(Tr(Lang::Vi), -1000), "-1.000");
    }

    #[test]
    fn refusals_name_their_serials() {
        assert_eq!(
            serials_in("serials 150–155 were voided and cannot be activated").as_deref(),
            Some("150–155")
        );
        assert_eq!(serials_in("the range is backwards: 5 is after 3"), None);
    }

    #[test]
    fn every_stretch_is_seen_and_the_bar_is_full() {
        let seg = |from, to, stretch| Segment {
            range: SerialRange { from, to },
            stretch,
        };
        let lot = |l: &str| Stretch::Activated { lot: l.into() };
        let segments = vec![
            seg(1, 500_000, lot("L-01")),
            seg(500_001, 500_001, Stretch::Voided),
            seg(500_002, 600_000, lot("L-02")),
            seg(600_001, 700_000, lot("L-01")),
            seg(700_001, 10_000_000, Stretch::Issued),
        ];
        let p = picture(Tr(Lang::En), 7, 24, &segments);
        let w: Vec<f64> = p.bars.iter().map(|b| b.width.parse().unwrap()).collect();
        assert!(w.iter().all(|w| *w >= 0.5), "{w:?}");
        assert!((w.iter().sum::<f64>() - 100.0).abs() < 0.01);
        let classes: Vec<_> = p.bars.iter().map(|b| b.class).collect();
        assert_eq!(
            classes,
            [
                "activated-a",
                "voided",
                "activated-b",
                "activated-a",
                "issued"
            ]
        );
        assert_eq!(p.bars[1].title, "Serials 500001–500001 (1 stamp): Voided");
        assert!(
            p.bars[0].title.ends_with(": lot L-01"),
            "{}",
            p.bars[0].title
        );
        assert!(p.bars[1].voided && !p.bars[0].voided);
    }

    #[test]
    fn the_scan_chart_stacks_first_and_repeat_scans_over_30_days() {
        let today = crate::present::today_in_vietnam();
        let days = vec![
            ScanDay {
                day: today,
                scans: 10,
                first_scans: 4,
            },
            ScanDay {
                day: today - chrono::Duration::days(29),
                scans: 5,
                first_scans: 5,
            },
        ];
        let c = scan_chart(Tr(Lang::En), &days);
        assert_eq!(c.bars.len(), 30);
        assert_eq!(
            (c.total.as_str(), c.first.as_str(), c.repeat.as_str()),
            ("15", "9", "6")
        );
        assert_eq!(c.max, "10");
        let last = c.bars.last().unwrap();
        assert_eq!(
            (last.first_h.as_str(), last.repeat_h.as_str()),
            ("40.00", "60.00")
        );
        assert_eq!(last.repeat_y, "0.00", "the highest day fills the height");
        assert!(
            last.title
                .ends_with(": 10 scans (First scans 4, Repeat scans 6)"),
            "{}",
            last.title
        );
        assert!(c.bars[0].first && !c.bars[0].repeat);
        assert!(!c.bars[1].first && !c.bars[1].repeat);
        let empty = scan_chart(Tr(Lang::Vi), &[]);
        assert!(!empty.any);
        assert_eq!(empty.bars[0].first_h, "0.00");
    }

    #[test]
    fn many_tiny_stretches_still_fit() {
        let segments: Vec<Segment> = (0..1000)
            .map(|i| Segment {
                range: SerialRange {
                    from: i + 1,
                    to: i + 1,
                },
                stretch: Stretch::Issued,
            })
            .collect();
        let p = picture(Tr(Lang::Vi), 1, 24, &segments);
        let total: f64 = p.bars.iter().map(|b| b.width.parse::<f64>().unwrap()).sum();
        assert!((total - 100.0).abs() < 0.1, "{total}");
    }
}
