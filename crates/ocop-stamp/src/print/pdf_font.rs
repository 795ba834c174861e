//! DejaVu Sans embedded as a subset: a Type0 font with Identity-H encoding
//! over a CIDFontType2, so any of the font's glyphs (all of Vietnamese) can
//! be drawn, with a ToUnicode map so text copies and searches correctly.
//!
//! Which glyphs are needed is only known once every label is drawn, so the
//! page streams encode text as the subset's new glyph ids as they go and the
//! font objects are written last.

use std::collections::HashMap;
use std::io::Write;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use super::font::{Font, DEJAVU_SANS, POSTSCRIPT_NAME};
use super::pdf_out::{deflate, PdfOut};
use super::PrintError;

/// The font's objects; `font` is what page resources point at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FontRefs {
    pub font: Ref,
    cid_font: Ref,
    descriptor: Ref,
    to_unicode: Ref,
    file: Ref,
}

impl FontRefs {
    pub(crate) fn alloc<W: Write>(pdf: &mut PdfOut<W>) -> FontRefs {
        FontRefs {
            font: pdf.alloc(),
            cid_font: pdf.alloc(),
            descriptor: pdf.alloc(),
            to_unicode: pdf.alloc(),
            file: pdf.alloc(),
        }
    }
}

pub(crate) struct FontSubset {
    font: &'static Font,
    remapper: GlyphRemapper,
    /// char → CID (the glyph's id in the subset).
    cids: HashMap<char, u16>,
    /// Indexed by CID: the character it stands for and its advance in ems.
    glyphs: Vec<(char, f32)>,
}

impl FontSubset {
    pub(crate) fn new() -> FontSubset {
        FontSubset {
            font: Font::get(),
            remapper: GlyphRemapper::new(),
            cids: HashMap::new(),
            // CID 0 is .notdef, which the remapper always keeps.
            glyphs: vec![('\u{FFFD}', 0.0)],
        }
    }

    /// Appends `text` as 2-byte big-endian CIDs, what Identity-H reads.
    pub(crate) fn encode(&mut self, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            let cid = match self.cids.get(&c) {
                Some(&cid) => cid,
                None => self.add(c),
            };
            out.extend_from_slice(&cid.to_be_bytes());
        }
    }

    fn add(&mut self, c: char) -> u16 {
        let glyph = self.font.glyph(c);
        let cid = self.remapper.remap(glyph.0);
        if usize::from(cid) == self.glyphs.len() {
            // A missing character is drawn as '?' and should copy as '?'.
            let shown = if self.font.has_char(c) { c } else { '?' };
            self.glyphs.push((shown, self.font.advance(glyph)));
        }
        self.cids.insert(c, cid);
        cid
    }

    /// Writes the subset font and its dictionaries.
    pub(crate) fn write<W: Write>(
        &self,
        pdf: &mut PdfOut<W>,
        refs: FontRefs,
    ) -> Result<(), PrintError> {
        let subset = subsetter::subset(DEJAVU_SANS, 0, &self.remapper)
            .map_err(|e| PrintError::Font(e.to_string()))?;
        let base = format!("{}+{POSTSCRIPT_NAME}", self.subset_tag());
        let base = Name(base.as_bytes());
        let face = self.font.face();
        let k = |v: i16| self.font.to_thousandths(f32::from(v)).round();

        pdf.object(refs.font, |c| {
            c.type0_font(refs.font)
                .base_font(base)
                .encoding_predefined(Name(b"Identity-H"))
                .descendant_font(refs.cid_font)
                .to_unicode(refs.to_unicode);
        })?;
        pdf.object(refs.cid_font, |c| {
            let mut cid = c.cid_font(refs.cid_font);
            cid.subtype(CidFontType::Type2)
                .base_font(base)
                .system_info(SystemInfo {
                    registry: Str(b"Adobe"),
                    ordering: Str(b"Identity"),
                    supplement: 0,
                })
                .font_descriptor(refs.descriptor)
                .default_width(0.0)
                // The subsetter makes CIDs equal to the subset's glyph ids.
                .cid_to_gid_map_predefined(Name(b"Identity"));
            cid.widths()
                .consecutive(0, self.glyphs.iter().map(|&(_, em)| (em * 1000.0).round()));
            cid.finish();
        })?;
        pdf.object(refs.descriptor, |c| {
            let bbox = face.global_bounding_box();
            c.font_descriptor(refs.descriptor)
                .name(base)
                .flags(FontFlags::SYMBOLIC)
                .bbox(Rect::new(
                    k(bbox.x_min),
                    k(bbox.y_min),
                    k(bbox.x_max),
                    k(bbox.y_max),
                ))
                .italic_angle(0.0)
                .ascent(k(face.ascender()))
                .descent(k(face.descender()))
                .cap_height(k(face.capital_height().unwrap_or(face.ascender())))
                .stem_v(80.0)
                .font_file2(refs.file);
        })?;

        let mut cmap = UnicodeCmap::new(
            Name(b"OCOP-UCS"),
            SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"UCS"),
                supplement: 0,
            },
        );
        for (cid, &(c, _)) in self.glyphs.iter().enumerate().skip(1) {
            cmap.pair(cid as u16, c);
        }
        let cmap = deflate(cmap.finish().as_slice());
        pdf.object(refs.to_unicode, |c| {
            c.stream(refs.to_unicode, &cmap).filter(Filter::FlateDecode);
        })?;

        let file = deflate(&subset);
        pdf.object(refs.file, |c| {
            c.stream(refs.file, &file)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Length1"), subset.len() as i32);
        })?;
        Ok(())
    }

    /// Six capital letters naming this subset, as PDF requires for subset
    /// fonts; derived from the glyph set so the output is reproducible.
    fn subset_tag(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for gid in self.remapper.remapped_gids() {
            for b in gid.to_le_bytes() {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
        }
        (0..6)
            .map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_characters_share_a_cid_and_cids_count_up_from_one() {
        let mut subset = FontSubset::new();
        let mut out = Vec::new();
        subset.encode("Đồ Đồ", &mut out);
        assert_eq!(out, [0, 1, 0, 2, 0, 3, 0, 1, 0, 2]);
        assert_eq!(
            subset.glyphs.iter().map(|g| g.0).collect::<String>(),
            "\u{FFFD}Đồ "
        );
    }

    #[test]
    fn missing_characters_copy_as_question_marks() {
        let mut subset = FontSubset::new();
        let mut out = Vec::new();
        subset.encode("漢?", &mut out);
        assert_eq!(out, [0, 1, 0, 1]);
        assert_eq!(subset.glyphs[1].0, '?');
    }
}
