//! DejaVu Sans, compiled in: Vietnamese needs precomposed letters such as
//! Ư, Đ and ặ, which the PDF base-14 fonts lack, and label layout must not
//! depend on what fonts the server happens to have.

use std::borrow::Cow;
use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId};

pub(crate) static DEJAVU_SANS: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// The PostScript name written into PDFs.
pub(crate) const POSTSCRIPT_NAME: &str = "DejaVuSans";

/// Drawn in place of characters the font lacks, so that a stray emoji in a
/// product name shows up as something rather than as an empty box.
const FALLBACK: char = '?';

pub(crate) const ELLIPSIS: char = '…';

pub(crate) struct Font {
    face: Face<'static>,
    per_em: f32,
}

impl Font {
    pub(crate) fn get() -> &'static Font {
        static FONT: OnceLock<Font> = OnceLock::new();
        FONT.get_or_init(|| {
            let face = Face::parse(DEJAVU_SANS, 0).expect("the embedded DejaVu Sans parses");
            let per_em = f32::from(face.units_per_em());
            Font { face, per_em }
        })
    }

    pub(crate) fn face(&self) -> &Face<'static> {
        &self.face
    }

    /// The glyph for `c`, or the fallback glyph when the font lacks it.
    pub(crate) fn glyph(&self, c: char) -> GlyphId {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index(FALLBACK))
            .unwrap_or(GlyphId(0))
    }

    pub(crate) fn has_char(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// Horizontal advance in ems.
    pub(crate) fn advance(&self, glyph: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)) / self.per_em
    }

    /// Width of `text` in ems; no kerning, as the PDF and SVG draw it.
    pub(crate) fn width_em(&self, text: &str) -> f32 {
        // `sum()` of no floats is -0.0, and dividing by that flips signs.
        text.chars()
            .fold(0.0, |w, c| w + self.advance(self.glyph(c)))
    }

    /// `text` itself if it is at most `max_em` wide, else its longest prefix
    /// that fits with "…" appended.
    pub(crate) fn fit<'t>(&self, text: &'t str, max_em: f32) -> Cow<'t, str> {
        if self.width_em(text) <= max_em {
            return Cow::Borrowed(text);
        }
        let budget = max_em - self.advance(self.glyph(ELLIPSIS));
        let mut used = 0.0;
        let mut end = 0;
        for (i, c) in text.char_indices() {
            used += self.advance(self.glyph(c));
            if used > budget {
                break;
            }
            end = i + c.len_utf8();
        }
        let mut cut = text[..end].trim_end().to_owned();
        cut.push(ELLIPSIS);
        Cow::Owned(cut)
    }

    /// Font-unit scale factor to PDF glyph space (thousandths of an em).
    pub(crate) fn to_thousandths(&self, units: f32) -> f32 {
        units * 1000.0 / self.per_em
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_vietnamese_and_the_label_symbols() {
        let font = Font::get();
        for c in "Cà phê Đông Triều Nước mắm Cái Rồng ƯƠ ỳ ữ ặ ★…".chars()
        {
            assert!(font.has_char(c), "DejaVu Sans lacks {c:?}");
        }
    }

    #[test]
    fn fit_keeps_short_text_and_cuts_long_text_with_an_ellipsis() {
        let font = Font::get();
        assert_eq!(font.fit("Cà phê", 10.0), "Cà phê");
        let cut = font.fit("Nước mắm Cái Rồng", 4.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(font.width_em(&cut) <= 4.0);
        assert!(cut.starts_with("Nước"));
        // Nothing fits: the ellipsis alone says something was there.
        assert_eq!(font.fit("Cà phê", 0.1), "…");
    }

    #[test]
    fn missing_characters_fall_back() {
        let font = Font::get();
        assert_eq!(font.glyph('漢'), font.glyph('?'));
    }
}
