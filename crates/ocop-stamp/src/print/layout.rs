//! How labels tile an A4 page.

use std::fmt;
use std::str::FromStr;

use super::PrintError;

pub const A4_WIDTH_MM: f32 = 210.0;
pub const A4_HEIGHT_MM: f32 = 297.0;
pub const MAX_COLUMNS: u8 = 20;
pub const MAX_ROWS: u8 = 40;
/// Below this a phone camera no longer reads the QR reliably once the text
/// has taken its share of the label.
pub const MIN_LABEL_MM: f32 = 15.0;
pub const MAX_MARGIN_MM: f32 = 50.0;

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

impl Margins {
    pub const fn uniform(mm: f32) -> Margins {
        Margins {
            top: mm,
            right: mm,
            bottom: mm,
            left: mm,
        }
    }
}

impl From<f32> for Margins {
    fn from(mm: f32) -> Margins {
        Margins::uniform(mm)
    }
}

/// A grid of equal labels on A4 portrait. Cells touch (`gap_mm` 0) by
/// default so one cut separates two labels; the cell size follows from the
/// page, the margins and the gaps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub columns: u8,
    pub rows: u8,
    pub margin_mm: Margins,
    pub gap_mm: f32,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            columns: 4,
            rows: 10,
            margin_mm: Margins::uniform(10.0),
            gap_mm: 0.0,
        }
    }
}

impl Layout {
    /// A `columns` × `rows` grid with the default margins and gaps.
    pub fn new(columns: u8, rows: u8) -> Result<Layout, PrintError> {
        let layout = Layout {
            columns,
            rows,
            ..Layout::default()
        };
        layout.validate()?;
        Ok(layout)
    }

    /// Parses `COLUMNSxROWS` such as `5x13`, `5X13` or `4×10`.
    pub fn parse(spec: &str) -> Result<Layout, PrintError> {
        let syntax = || PrintError::LayoutSyntax(spec.to_owned());
        let (cols, rows) = spec.trim().split_once(['x', 'X', '×']).ok_or_else(syntax)?;
        let number = |s: &str| -> Result<u32, PrintError> {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(syntax());
            }
            // Huge numbers are out of range, not a syntax error.
            Ok(s.parse().unwrap_or(u32::MAX))
        };
        let (cols, rows) = (number(cols)?, number(rows)?);
        if cols == 0 || cols > u32::from(MAX_COLUMNS) {
            return Err(PrintError::Columns(cols));
        }
        if rows == 0 || rows > u32::from(MAX_ROWS) {
            return Err(PrintError::Rows(rows));
        }
        Layout::new(cols as u8, rows as u8)
    }

    /// Checks what the public fields allow but a printer does not.
    pub fn validate(&self) -> Result<(), PrintError> {
        if self.columns == 0 || self.columns > MAX_COLUMNS {
            return Err(PrintError::Columns(self.columns.into()));
        }
        if self.rows == 0 || self.rows > MAX_ROWS {
            return Err(PrintError::Rows(self.rows.into()));
        }
        let m = self.margin_mm;
        for mm in [m.top, m.right, m.bottom, m.left, self.gap_mm] {
            if !(0.0..=MAX_MARGIN_MM).contains(&mm) {
                return Err(PrintError::Margin(mm));
            }
        }
        let (width_mm, height_mm) = self.label_size_mm();
        if width_mm < MIN_LABEL_MM || height_mm < MIN_LABEL_MM {
            return Err(PrintError::LabelTooSmall {
                columns: self.columns,
                rows: self.rows,
                width_mm,
                height_mm,
            });
        }
        Ok(())
    }

    /// One label's width and height in millimetres.
    pub fn label_size_mm(&self) -> (f32, f32) {
        let m = self.margin_mm;
        let (c, r) = (f32::from(self.columns), f32::from(self.rows));
        let w = (A4_WIDTH_MM - m.left - m.right - (c - 1.0) * self.gap_mm) / c;
        let h = (A4_HEIGHT_MM - m.top - m.bottom - (r - 1.0) * self.gap_mm) / r;
        (w, h)
    }

    pub fn labels_per_page(&self) -> usize {
        usize::from(self.columns) * usize::from(self.rows)
    }

    /// Top-left corner of the `index`-th label on a page, in millimetres
    /// from the page's top-left; labels fill rows left to right.
    pub(crate) fn cell_origin_mm(&self, index: usize) -> (f32, f32) {
        let (w, h) = self.label_size_mm();
        let col = (index % usize::from(self.columns)) as f32;
        let row = (index / usize::from(self.columns)) as f32;
        (
            self.margin_mm.left + col * (w + self.gap_mm),
            self.margin_mm.top + row * (h + self.gap_mm),
        )
    }
}

impl FromStr for Layout {
    type Err = PrintError;
    fn from_str(s: &str) -> Result<Layout, PrintError> {
        Layout::parse(s)
    }
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.columns, self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_sheets() {
        for (spec, c, r) in [
            ("5x13", 5, 13),
            ("5X13", 5, 13),
            ("3x8", 3, 8),
            (" 4x10 ", 4, 10),
            ("4×10", 4, 10),
        ] {
            let l = Layout::parse(spec).unwrap();
            assert_eq!((l.columns, l.rows), (c, r), "{spec}");
            assert_eq!(l.margin_mm, Margins::uniform(10.0));
        }
        assert_eq!("5x13".parse::<Layout>().unwrap().to_string(), "5x13");
    }

    #[test]
    fn default_is_4x10_with_10mm_margins() {
        let l = Layout::default();
        assert_eq!((l.columns, l.rows), (4, 10));
        let (w, h) = l.label_size_mm();
        assert!(
            (w - 47.5).abs() < 0.01 && (h - 27.7).abs() < 0.01,
            "{w}x{h}"
        );
        assert!(l.validate().is_ok());
    }

    #[test]
    fn five_by_thirteen_cells_are_wide_and_low() {
        let (w, h) = Layout::parse("5x13").unwrap().label_size_mm();
        assert!((w - 38.0).abs() < 0.01 && (h - 21.3).abs() < 0.1, "{w}x{h}");
    }

    #[test]
    fn rejects_bad_layouts_saying_what_is_allowed() {
        let msg = |s: &str| Layout::parse(s).unwrap_err().to_string();
        assert!(msg("5by13").contains("COLUMNSxROWS"), "{}", msg("5by13"));
        assert!(msg("x13").contains("COLUMNSxROWS"));
        assert!(msg("-1x13").contains("COLUMNSxROWS"));
        assert!(msg("0x13").contains("use 1 to 20"), "{}", msg("0x13"));
        assert!(msg("21x10").contains("21 columns"));
        assert!(msg("99999999999x10").contains("use 1 to 20"));
        assert!(msg("4x0").contains("use 1 to 40"));
        assert!(msg("4x41").contains("41 rows"));
        let small = msg("13x10");
        assert!(small.contains("smaller than the 15 mm minimum"), "{small}");
        assert!(small.contains("14.6 x 27.7 mm"), "{small}");
        let mut l = Layout {
            gap_mm: -1.0,
            ..Layout::default()
        };
        assert!(l
            .validate()
            .unwrap_err()
            .to_string()
            .contains("use 0 to 50 mm"));
        l.gap_mm = f32::NAN;
        assert!(l.validate().is_err());
    }

    #[test]
    fn cells_fill_rows_left_to_right() {
        let l = Layout::default();
        assert_eq!(l.cell_origin_mm(0), (10.0, 10.0));
        let (x, y) = l.cell_origin_mm(5);
        assert!((x - 57.5).abs() < 1e-4 && (y - 37.7).abs() < 1e-4);
    }
}
