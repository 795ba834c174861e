//! Importing organizations and products from a spreadsheet: a dry run that reports every bad
//! row with its row number and reason, then an all-or-nothing commit of the same file.

use super::sheets::{self, ORGANIZATION_COLUMNS, PRODUCT_COLUMNS};
use super::{organizations, products};
use crate::error::{unprocessable, Problem};
use crate::users::Requester;
use chrono::Datelike;
use ocop_store::{OrganizationFields, ProductFields, Store};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Organizations,
    Products,
}

impl ImportKind {
    pub fn parse(s: &str) -> Result<ImportKind, Problem> {
        match s {
            "organizations" => Ok(ImportKind::Organizations),
            "products" => Ok(ImportKind::Products),
            _ => Err(crate::error::not_found(
                "import kind (use organizations or products)",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Organizations => "organizations",
            ImportKind::Products => "products",
        }
    }

    pub fn columns(self) -> &'static [ocop_sheets::Column] {
        match self {
            ImportKind::Organizations => ORGANIZATION_COLUMNS,
            ImportKind::Products => PRODUCT_COLUMNS,
        }
    }

    pub fn template(self) -> Result<Vec<u8>, Problem> {
        let (name, example) = match self {
            ImportKind::Organizations => ("To chuc", sheets::ORGANIZATION_EXAMPLE),
            ImportKind::Products => ("San pham", sheets::PRODUCT_EXAMPLE),
        };
        ocop_sheets::template_xlsx(name, self.columns(), example).map_err(|e| {
            tracing::error!(error = %e, "template failed");
            crate::error::internal()
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    /// The spreadsheet row (1 is the first row of the sheet).
    pub row: usize,
    /// The column key, e.g. `commune_code`.
    pub field: String,
    /// The column as the sheet heads it, e.g. "Mã xã".
    pub column: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Data rows read from the sheet.
    pub rows: usize,
    pub errors: Vec<RowError>,
    /// Whether the rows were written (only when asked and there was no error).
    pub committed: bool,
    /// Ids of the records created by a commit.
    pub created: Vec<i64>,
    /// The SHA-256 of the file, to commit a checked upload without sending it again.
    pub file: String,
}

enum Prepared {
    Organizations(Vec<OrganizationFields>),
    Products(Vec<ProductFields>),
}

fn row_error(kind: ImportKind, row: usize, p: &Problem) -> RowError {
    let field = p.field.unwrap_or("row").to_string();
    let column = kind
        .columns()
        .iter()
        .find(|c| c.key == field)
        .map(|c| c.header.to_string())
        .unwrap_or_default();
    RowError {
        row,
        field,
        column,
        code: p.code.to_string(),
        message: p.detail.clone(),
    }
}

fn sheet_problem(e: ocop_sheets::SheetError) -> Problem {
    unprocessable("file", e.code(), e.to_string())
}

/// Checks every row; returns the report and, when all is well, the records to write.
async fn check(
    store: &dyn Store,
    by: Requester<'_>,
    kind: ImportKind,
    bytes: &[u8],
) -> Result<(ImportReport, Option<Prepared>), Problem> {
    let rows = ocop_sheets::read_xlsx(bytes, kind.columns()).map_err(sheet_problem)?;
    let mut errors = Vec::new();
    let mut report = |row: usize, p: Problem| errors.push(row_error(kind, row, &p));
    let prepared = match kind {
        ImportKind::Organizations => {
            let mut out = Vec::with_capacity(rows.len());
            let mut tax_codes: HashMap<String, usize> = HashMap::new();
            for r in &rows {
                match organizations::checked(store, by, &sheets::organization_input(r)).await {
                    Ok(f) => {
                        if let Some(t) = &f.tax_code {
                            if let Some(first) = tax_codes.insert(t.clone(), r.row) {
                                report(
                                    r.row,
                                    unprocessable(
                                        "tax_code",
                                        "duplicate_in_sheet",
                                        format!("tax code {t} is also on row {first}"),
                                    ),
                                );
                                continue;
                            }
                            if store.organization_by_tax_code(t).await?.is_some() {
                                report(r.row, unprocessable("tax_code", "tax_code_taken", format!("an organization with tax code {t} is already registered")));
                                continue;
                            }
                        }
                        out.push(f);
                    }
                    Err(p) if p.status >= 500 => return Err(p),
                    Err(p) => report(r.row, p),
                }
            }
            Prepared::Organizations(out)
        }
        ImportKind::Products => {
            let mut out = Vec::with_capacity(rows.len());
            let mut gtins: HashMap<String, usize> = HashMap::new();
            for r in &rows {
                let org_id = match (r.get("organization_id"), sheets::organization_tax_code(r)) {
                    (Some(id), _) => match id.trim().parse::<i64>() {
                        Ok(id) => Some(id),
                        Err(_) => {
                            report(
                                r.row,
                                unprocessable(
                                    "organization_id",
                                    "unknown_organization",
                                    format!("`{id}` is not an organization id"),
                                ),
                            );
                            continue;
                        }
                    },
                    (None, Some(tax)) => match store.organization_by_tax_code(&tax).await? {
                        Some(o) => Some(o.id),
                        None => {
                            report(
                                r.row,
                                unprocessable(
                                    "organization_tax_code",
                                    "unknown_organization",
                                    format!("no organization is registered with tax code {tax}"),
                                ),
                            );
                            continue;
                        }
                    },
                    (None, None) => {
                        report(
                            r.row,
                            unprocessable(
                                "organization_tax_code",
                                "required",
                                "give the organization's tax code or id",
                            ),
                        );
                        continue;
                    }
                };
                let input = match sheets::product_input(r, org_id) {
                    Ok(i) => i,
                    Err((field, message)) => {
                        report(r.row, unprocessable(field, "invalid_criteria_set", message));
                        continue;
                    }
                };
                match products::checked(store, by, &input).await {
                    Ok(f) => {
                        if let Some(g) = &f.gtin {
                            if let Some(first) = gtins.insert(g.clone(), r.row) {
                                report(
                                    r.row,
                                    unprocessable(
                                        "gtin",
                                        "duplicate_in_sheet",
                                        format!("GTIN {g} is also on row {first}"),
                                    ),
                                );
                                continue;
                            }
                            if store.product_by_gtin(g).await?.is_some() {
                                report(
                                    r.row,
                                    unprocessable(
                                        "gtin",
                                        "gtin_taken",
                                        format!("another product already carries GTIN {g}"),
                                    ),
                                );
                                continue;
                            }
                        }
                        out.push(f);
                    }
                    Err(p) if p.status >= 500 => return Err(p),
                    Err(p) => report(r.row, p),
                }
            }
            Prepared::Products(out)
        }
    };
    let report = ImportReport {
        kind,
        rows: rows.len(),
        committed: false,
        created: Vec::new(),
        file: crate::files::sha256_hex(bytes),
        errors,
    };
    let ok = report.errors.is_empty() && report.rows > 0;
    Ok((report, ok.then_some(prepared)))
}

/// Checks a sheet and, if asked and every row is good, writes all of its rows in one transaction.
pub async fn run(
    store: &dyn Store,
    by: Requester<'_>,
    kind: ImportKind,
    bytes: &[u8],
    commit: bool,
) -> Result<ImportReport, Problem> {
    // Before the sheet is unpacked: a role that may not change the register gets nothing read.
    super::require_edit(by)?;
    let (mut report, prepared) = check(store, by, kind, bytes).await?;
    if report.rows == 0 {
        return Err(unprocessable(
            "file",
            "empty_sheet",
            "the sheet has a header row but no data rows",
        ));
    }
    let (true, Some(prepared)) = (commit, prepared) else {
        return Ok(report);
    };
    let province = match by {
        Requester::Actor(a, _) => a.province.clone(),
        Requester::Operator => None,
    };
    let audit = by.audit(
        match kind {
            ImportKind::Organizations => "organizations_imported",
            ImportKind::Products => "products_imported",
        },
        province.as_ref(),
        serde_json::json!({"rows": report.rows, "file_sha256": report.file}),
    );
    report.created = match prepared {
        Prepared::Organizations(rows) => store.import_organizations(&rows, &audit).await?,
        Prepared::Products(rows) => {
            store
                .import_products(&rows, chrono::Utc::now().year(), &audit)
                .await?
        }
    };
    report.committed = true;
    Ok(report)
}
