//! What an uploaded workbook may unpack to, checked on the ZIP's central directory before
//! anything is inflated.
//!
//! An .xlsx is a ZIP archive, and deflate packs a run of one byte about a thousand to one: a
//! 1 MB upload whose `xl/sharedStrings.xml` inflates to 1 GiB would otherwise be unpacked into
//! memory by the reader (shared strings are held whole). The central directory states each
//! part's packed and unpacked size, and the `zip` crate (the one calamine reads with) stops
//! with an error as soon as a part inflates past its stated size — so bounding the stated
//! sizes bounds the work, even for an archive that lies about them.

use crate::SheetError;
use std::io::Cursor;

/// The most one part may unpack to. A sheet of [`crate::MAX_ROWS`] rows with every column of
/// the register filled is about a fifth of this.
pub const MAX_PART_BYTES: u64 = 64 << 20;
/// The most all parts together may unpack to.
pub const MAX_WORKBOOK_BYTES: u64 = 200 << 20;
/// How much larger than its packed size a part may unpack to. Spreadsheet XML packs about ten
/// to one (a repetitive sheet perhaps fifty); a thousand to one is a run of one byte.
pub const MAX_RATIO: u64 = 100;
/// Below this a part may pack as well as it likes (a few repeated tags pack very well).
const RATIO_FROM_BYTES: u64 = 1 << 20;
/// Workbooks have tens of parts; a pictures-heavy one hundreds.
pub const MAX_PARTS: usize = 10_000;

/// Refuses an archive whose parts would unpack to more than the limits allow.
///
/// An archive whose central directory cannot be read is left to the reader, which reads the
/// same directory with the same crate and so fails on it before inflating anything; its error
/// says best what the file is.
pub(crate) fn check(bytes: &[u8]) -> Result<(), SheetError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > MAX_PARTS {
        return Err(SheetError::TooLarge {
            part: format!("{} parts", archive.len()),
            unpacked: 0,
            why: format!("more than the {MAX_PARTS} parts a workbook may have"),
        });
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(part) = archive.by_index_raw(i) else {
            return Ok(());
        };
        let (size, packed) = (part.size(), part.compressed_size());
        let name = || part.name().map(|n| n.into_owned()).unwrap_or_default();
        if size > MAX_PART_BYTES {
            return Err(SheetError::TooLarge {
                part: name(),
                unpacked: size,
                why: format!(
                    "more than the {} MB one part may have",
                    MAX_PART_BYTES >> 20
                ),
            });
        }
        if size >= RATIO_FROM_BYTES && size > packed.saturating_mul(MAX_RATIO) {
            return Err(SheetError::TooLarge {
                part: name(),
                unpacked: size,
                why: format!("over {MAX_RATIO} times the {packed} bytes it takes in the file"),
            });
        }
        total = total.saturating_add(size);
        if total > MAX_WORKBOOK_BYTES {
            return Err(SheetError::TooLarge {
                part: name(),
                unpacked: total,
                why: format!(
                    "counting the parts before it, more than the {} MB a workbook may unpack to",
                    MAX_WORKBOOK_BYTES >> 20
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An archive of parts, each `(name, bytes)`, packed with `method`.
    fn archive(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
        archive(parts, zip::CompressionMethod::Deflated)
    }

    fn too_large(bytes: &[u8]) -> (String, String) {
        match check(bytes) {
            Err(SheetError::TooLarge { part, why, .. }) => (part, why),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_part_that_packs_a_thousand_to_one_is_refused() {
        let run = vec![b'A'; 8 << 20];
        let bomb = zipped(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/sharedStrings.xml", &run),
        ]);
        assert!(bomb.len() < 100_000);
        let (part, why) = too_large(&bomb);
        assert_eq!(part, "xl/sharedStrings.xml");
        assert!(why.contains("100 times"), "{why}");
        // Small parts pack as well as they like.
        assert_eq!(check(&zipped(&[("a.xml", &vec![b' '; 500_000])])), Ok(()));
    }

    #[test]
    fn a_part_or_a_workbook_over_its_size_is_refused() {
        // Stored parts: only the size limits apply.
        let stored = |parts: &[(&str, &[u8])]| archive(parts, zip::CompressionMethod::Stored);
        let big = vec![b'x'; (MAX_PART_BYTES + 1) as usize];
        let (part, why) = too_large(&stored(&[("xl/worksheets/sheet1.xml", &big)]));
        assert_eq!(part, "xl/worksheets/sheet1.xml");
        assert!(why.contains("64 MB"), "{why}");
        let part = &big[..60 << 20];
        let (part, why) = too_large(&stored(&[
            ("p0.xml", part),
            ("p1.xml", part),
            ("p2.xml", part),
            ("p3.xml", part),
        ]));
        assert_eq!(part, "p3.xml");
        assert!(why.contains("200 MB"), "{why}");
    }

    #[test]
    fn a_central_directory_that_understates_a_part_stops_the_reader_at_its_word() {
        // The directory says 1,000 bytes; the part inflates to 8 MB.
        let mut bytes = zipped(&[("xl/sharedStrings.xml", &vec![b'A'; 8 << 20])]);
        let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&1000u32.to_le_bytes());
        assert_eq!(check(&bytes), Ok(()), "the stated sizes are within bounds");
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut out = Vec::new();
        let stopped = match archive.by_index(0) {
            Ok(mut part) => std::io::Read::read_to_end(&mut part, &mut out).is_err(),
            Err(_) => true,
        };
        assert!(stopped);
        assert!(out.len() <= 1000 + 64 * 1024, "read {} bytes", out.len());
    }

    #[test]
    fn archives_it_cannot_read_are_left_to_the_reader() {
        assert_eq!(check(b"PK\x03\x04 not really"), Ok(()));
    }
}
