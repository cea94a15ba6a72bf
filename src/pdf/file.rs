//! The PDF file as it is written: a header, indirect objects in the order they are
//! finished, then the cross-reference table and trailer. Objects are written with
//! `pdf-writer`'s typed writers, each into a chunk of its own, and go to the output as soon
//! as they are made; only their offsets are kept, so memory does not grow with the file.

use std::io::{self, Write};

use pdf_writer::{Chunk, Ref, Settings};

/// A PDF being written to `W`.
pub struct PdfFile<W: Write> {
    out: W,
    /// Bytes written so far: the offset of the next object.
    position: u64,
    /// Offset of each object by number (index 0 is object 1); `None` while reserved only.
    offsets: Vec<Option<u64>>,
}

/// A chunk for one object, written compactly.
pub fn chunk() -> Chunk {
    Chunk::with_settings(Settings { pretty: false })
}

impl<W: Write> PdfFile<W> {
    /// Starts a PDF 1.7 file: the header, and a comment of high bytes marking it as binary.
    pub fn new(out: W) -> io::Result<PdfFile<W>> {
        let mut file = PdfFile {
            out,
            position: 0,
            offsets: Vec::new(),
        };
        file.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(file)
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.position += bytes.len() as u64;
        Ok(())
    }

    /// A number for an object to be written later (objects may refer to it before).
    pub fn reserve(&mut self) -> Ref {
        self.offsets.push(None);
        Ref::new(self.offsets.len() as i32)
    }

    /// Writes `chunk`, which holds one object under a number reserved before (its offset is
    /// the chunk's start).
    fn write_chunk(&mut self, chunk: &Chunk) -> io::Result<()> {
        let mut refs = chunk.refs();
        let (Some(id), None) = (refs.next(), refs.next()) else {
            return Err(io::Error::other("a PDF chunk must hold exactly one object"));
        };
        let slot = &mut self.offsets[id.get() as usize - 1];
        debug_assert!(slot.is_none(), "object {} written twice", id.get());
        *slot = Some(self.position);
        self.raw(chunk.as_bytes())
    }

    /// Writes the object `id` (reserved before) that `write` puts into a fresh chunk.
    pub fn object(&mut self, id: Ref, write: impl FnOnce(&mut Chunk)) -> io::Result<()> {
        let mut chunk = chunk();
        write(&mut chunk);
        debug_assert!(chunk.refs().eq([id]), "the chunk holds object {}", id.get());
        self.write_chunk(&chunk)
    }

    /// Writes an object under a new number and returns it.
    pub fn add(&mut self, write: impl FnOnce(&mut Chunk, Ref)) -> io::Result<Ref> {
        let id = self.reserve();
        self.object(id, |chunk| write(chunk, id))?;
        Ok(id)
    }

    /// Writes the cross-reference table and the trailer (`root`, `info`, `id`) and returns
    /// the output. Every reserved number must have been written by now.
    pub fn finish(mut self, root: Ref, info: Ref, id: &[u8]) -> io::Result<W> {
        let missing: Vec<u32> = (1..)
            .zip(&self.offsets)
            .filter(|(_, offset)| offset.is_none())
            .map(|(n, _)| n)
            .collect();
        if !missing.is_empty() {
            return Err(io::Error::other(format!(
                "PDF objects reserved but never written: {missing:?}"
            )));
        }
        let xref_at = self.position;
        let mut table = Vec::with_capacity(20 * (self.offsets.len() + 1) + 128);
        write!(
            table,
            "xref\n0 {}\n0000000000 65535 f \n",
            self.offsets.len() + 1
        )?;
        for offset in self.offsets.iter().flatten() {
            writeln!(table, "{offset:010} 00000 n ")?;
        }
        let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
        write!(
            table,
            "trailer\n<</Size {} /Root {} 0 R /Info {} 0 R /ID [<{hex}> <{hex}>]>>\nstartxref\n{xref_at}\n%%EOF\n",
            self.offsets.len() + 1,
            root.get(),
            info.get(),
        )?;
        self.raw(&table)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_in_the_table_point_at_their_objects() {
        let mut file = PdfFile::new(Vec::new()).unwrap();
        let later = file.reserve();
        let first = file.add(|c, id| c.indirect(id).primitive(7)).unwrap();
        let stream = file.add(|c, id| {
            c.stream(id, b"q Q");
        });
        let stream = stream.unwrap();
        file.object(later, |c| {
            c.indirect(later)
                .dict()
                .pair(pdf_writer::Name(b"Kid"), first);
        })
        .unwrap();
        let bytes = file.finish(later, stream, &[1, 2]).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let table = &text[text.find("xref\n").unwrap()..];
        let offsets: Vec<usize> = table
            .lines()
            .skip(3)
            .take(3)
            .map(|l| l[..10].parse().unwrap())
            .collect();
        for (n, offset) in (1..).zip(offsets) {
            assert!(
                bytes[offset..].starts_with(format!("{n} 0 obj\n").as_bytes()),
                "{n}"
            );
        }
        let startxref: usize = text.lines().rev().nth(1).unwrap().parse().unwrap();
        assert!(bytes[startxref..].starts_with(b"xref\n0 4\n"));
        assert!(text.contains("stream\nq Q\nendstream"), "{text}");
        assert!(text.contains("/ID [<0102> <0102>]"));
    }

    #[test]
    fn a_reserved_object_never_written_is_an_error() {
        let mut file = PdfFile::new(Vec::new()).unwrap();
        let root = file.reserve();
        let info = file.add(|c, id| c.indirect(id).primitive(1)).unwrap();
        assert!(file.finish(root, info, &[]).is_err());
    }
}
