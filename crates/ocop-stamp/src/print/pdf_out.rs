//! Streams PDF objects to a writer as they are made, so a sheet of 100,000
//! labels never sits in memory whole; `pdf_writer::Pdf` would buffer the
//! entire file. Keeps the byte offsets for the cross-reference table.

use std::io::{self, Write};

use pdf_writer::{Chunk, Ref};

pub(crate) struct PdfOut<W: Write> {
    out: W,
    written: u64,
    /// Byte offset of object `i` at index `i - 1`; `None` until written.
    offsets: Vec<Option<u64>>,
}

impl<W: Write> PdfOut<W> {
    pub(crate) fn new(out: W) -> io::Result<Self> {
        let mut pdf = PdfOut {
            out,
            written: 0,
            offsets: Vec::new(),
        };
        // The binary comment tells transfer tools the file is not text.
        pdf.put(b"%PDF-1.7\n%\x80\x80\x80\x80\n")?;
        Ok(pdf)
    }

    pub(crate) fn alloc(&mut self) -> Ref {
        self.offsets.push(None);
        Ref::new(self.offsets.len() as i32)
    }

    /// Writes the one object `id` that `build` adds to a fresh chunk.
    pub(crate) fn object(&mut self, id: Ref, build: impl FnOnce(&mut Chunk)) -> io::Result<()> {
        let mut chunk = Chunk::new();
        build(&mut chunk);
        debug_assert!(
            chunk.refs().eq([id]),
            "one object per chunk, and the right one"
        );
        let slot = &mut self.offsets[id.get() as usize - 1];
        debug_assert!(slot.is_none(), "object {} written twice", id.get());
        *slot = Some(self.written);
        self.put(chunk.as_bytes())
    }

    /// Writes the cross-reference table and trailer.
    pub(crate) fn finish(mut self, catalog: Ref, info: Ref) -> io::Result<()> {
        let xref_at = self.written;
        let mut table = Vec::with_capacity(64 + 20 * (self.offsets.len() + 1));
        write!(
            table,
            "xref\n0 {}\n0000000000 65535 f\r\n",
            self.offsets.len() + 1
        )?;
        for (i, offset) in self.offsets.iter().enumerate() {
            let offset = offset.ok_or_else(|| {
                io::Error::other(format!(
                    "PDF object {} was allocated but never written",
                    i + 1
                ))
            })?;
            write!(table, "{offset:010} 00000 n\r\n")?;
        }
        write!(
            table,
            "trailer\n<<\n  /Size {}\n  /Root {} 0 R\n  /Info {} 0 R\n>>\nstartxref\n{xref_at}\n%%EOF\n",
            self.offsets.len() + 1,
            catalog.get(),
            info.get()
        )?;
        self.put(&table)?;
        self.out.flush()
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

/// zlib-wrapped deflate, what `/FlateDecode` expects. Level 6 is where
/// the size stops shrinking noticeably for QR paths.
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
