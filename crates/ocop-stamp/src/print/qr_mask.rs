//! Mask selection for QR symbols. The `qrcode` crate scores the eight masks
//! with a boxed closure per module, which made QR encoding 85 % of the time
//! of a 10,000-label sheet. This scores them with the ISO/IEC 18004 §7.8.3
//! penalty rules on rows and columns packed into integers: module-by-module
//! scoring of random-looking data mispredicts a branch every few modules.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::Color;

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// Applies each mask to `canvas` (data drawn, not yet masked) and returns
/// the modules of the one with the lowest penalty, first one on ties.
pub(crate) fn best_masked(canvas: &Canvas, width: usize) -> Vec<bool> {
    let mut best: Option<(u32, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let modules: Vec<bool> = masked
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let score = penalty(&modules, width);
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            best = Some((score, modules));
        }
    }
    best.map(|(_, m)| m).unwrap_or_default()
}

/// Total penalty: N1 = 3, N2 = 3, N3 = 40, N4 = 10.
pub(crate) fn penalty(m: &[bool], w: usize) -> u32 {
    if (7..=BITS_MAX_WIDTH).contains(&w) {
        penalty_bits(m, w)
    } else {
        penalty_scalar(m, w)
    }
}

/// Widths up to version 25 fit a `u128` with the 11 modules of look-ahead
/// that the finder rule needs.
const BITS_MAX_WIDTH: usize = 117;

fn penalty_bits(m: &[bool], w: usize) -> u32 {
    let mut rows = [0u128; BITS_MAX_WIDTH];
    let mut cols = [0u128; BITS_MAX_WIDTH];
    for (y, row) in m.chunks_exact(w).enumerate() {
        for (x, &dark) in row.iter().enumerate() {
            rows[y] |= u128::from(dark) << x;
            cols[x] |= u128::from(dark) << y;
        }
    }
    let (rows, cols) = (&rows[..w], &cols[..w]);
    let pairs = (1u128 << (w - 1)) - 1;
    let mut score: u32 = rows
        .iter()
        .chain(cols)
        .map(|&line| line_bits(line, w))
        .sum();
    for pair in rows.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        score += 3 * (!(a ^ (a >> 1)) & !(b ^ (b >> 1)) & !(a ^ b) & pairs).count_ones();
    }
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let deviation = (dark as usize * 100 / m.len()).abs_diff(50) / 5;
    score + 10 * deviation as u32
}

/// Rules 1 and 3 for one line, bit `i` being module `i` (1 = dark).
fn line_bits(r: u128, w: usize) -> u32 {
    // Bit i: modules i and i+1 are alike. Bit s of `five`: s..s+4 alike.
    let eq = !(r ^ (r >> 1)) & ((1u128 << (w - 1)) - 1);
    let five = eq & (eq >> 1) & (eq >> 2) & (eq >> 3);
    // A run of L >= 5 has L-4 such windows and one start: (L-4) + 2 = 3 + (L-5).
    let starts = five & (!(eq << 1) | 1);
    let runs = five.count_ones() + 2 * starts.count_ones();

    // Outside the symbol is light: bits past `w` of `light` are already 1,
    // the `| n` fills in those before module 0.
    let light = !r;
    let finder = r & (light >> 1) & (r >> 2) & (r >> 3) & (r >> 4) & (light >> 5) & (r >> 6);
    let finder = finder & ((1u128 << (w - 6)) - 1);
    let after = (light >> 7) & (light >> 8) & (light >> 9) & (light >> 10);
    let before = (light << 1 | 1) & (light << 2 | 3) & (light << 3 | 7) & (light << 4 | 15);
    runs + 40 * (finder & (after | before)).count_ones()
}

fn penalty_scalar(m: &[bool], w: usize) -> u32 {
    let mut columns = vec![false; m.len()];
    for (y, row) in m.chunks_exact(w).enumerate() {
        for (x, &d) in row.iter().enumerate() {
            columns[x * w + y] = d;
        }
    }
    let mut score: u32 = m
        .chunks_exact(w)
        .chain(columns.chunks_exact(w))
        .map(line_penalty)
        .sum();
    for pair in m.chunks_exact(w).collect::<Vec<_>>().windows(2) {
        let (a, b) = (pair[0], pair[1]);
        for x in 0..w - 1 {
            if a[x] == a[x + 1] && b[x] == a[x] && b[x + 1] == a[x] {
                score += 3;
            }
        }
    }
    let dark = m.iter().filter(|&&d| d).count();
    let deviation = (dark * 100 / m.len()).abs_diff(50) / 5;
    score + 10 * deviation as u32
}

/// Rules 1 and 3 along one row or column: runs of five or more modules of
/// one colour, and finder-like 1:1:3:1:1 patterns with four light modules
/// on either side (outside the symbol counts as light).
fn line_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut run = 1;
    for pair in line.windows(2) {
        if pair[0] == pair[1] {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    if run >= 5 {
        score += run - 2;
    }
    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let light = |s: &[bool]| s.iter().all(|&d| !d);
    for (start, window) in line.windows(7).enumerate() {
        if window == FINDER {
            let before = &line[start.saturating_sub(4)..start];
            let after = &line[(start + 7).min(line.len())..(start + 11).min(line.len())];
            if light(before) || light(after) {
                score += 40;
            }
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_five_or_more_cost_three_plus_the_excess() {
        let line = [
            true, true, true, true, true, true, false, true, false, false,
        ];
        assert_eq!(line_penalty(&line), 4);
    }

    #[test]
    fn finder_lookalikes_cost_forty() {
        let line = [
            false, false, false, false, true, false, true, true, true, false, true, false,
        ];
        assert_eq!(line_penalty(&line), 40);
        // Without four light modules on either side it is no lookalike.
        let line = [
            true, false, true, false, true, true, true, false, true, true, false, true,
        ];
        assert_eq!(line_penalty(&line), 0);
    }

    #[test]
    fn packed_and_scalar_scoring_agree() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        for w in [21, 25, 29, 45, 101, 117] {
            for density in [1, 2, 3] {
                let m: Vec<bool> = (0..w * w)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        // Denser and sparser matrices have long runs and finders.
                        (x % 4) < density
                    })
                    .collect();
                assert_eq!(penalty_bits(&m, w), penalty_scalar(&m, w), "width {w}");
            }
        }
        let light = vec![false; 21 * 21];
        assert_eq!(penalty_bits(&light, 21), penalty_scalar(&light, 21));
    }

    #[test]
    fn balance_and_blocks() {
        // All dark 3×3: rows and columns have no run of five, four 2×2
        // blocks, 100 % dark is 10 steps of 5 % off balance.
        let m = [true; 9];
        assert_eq!(penalty_scalar(&m, 3), 4 * 3 + 100);
    }
}
