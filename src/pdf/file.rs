//! The PDF file as it is written: a header, indirect objects in the order they are
//! finished, then the cross-reference table and trailer. Objects go to the output as soon
//! as they are made; only their offsets are kept, so memory does not grow with the file.

use std::io::{self, Write};

use super::object::{Dictionary, Object, ObjectId};

/// A PDF being written to `W`.
pub struct PdfFile<W: Write> {
    out: W,
    /// Bytes written so far: the offset of the next object.
    position: u64,
    /// Offset of each object by number (index 0 is object 1); `None` while reserved only.
    offsets: Vec<Option<u64>>,
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
    pub fn reserve(&mut self) -> ObjectId {
        self.offsets.push(None);
        ObjectId(self.offsets.len() as u32)
    }

    /// Writes object `id`, reserved before, with its body written by `body`.
    fn object_with(
        &mut self,
        id: ObjectId,
        body: impl FnOnce(&mut Counting<&mut W>) -> io::Result<()>,
    ) -> io::Result<()> {
        let slot = &mut self.offsets[id.0 as usize - 1];
        debug_assert!(slot.is_none(), "object {} written twice", id.0);
        *slot = Some(self.position);
        let mut out = Counting {
            inner: &mut self.out,
            written: 0,
        };
        writeln!(out, "{} 0 obj", id.0)?;
        body(&mut out)?;
        out.write_all(b"\nendobj\n")?;
        self.position += out.written;
        Ok(())
    }

    /// Writes `object` under the reserved number `id`.
    pub fn write(&mut self, id: ObjectId, object: &Object) -> io::Result<()> {
        self.object_with(id, |out| object.write_to(out))
    }

    /// Writes `object` under a new number.
    pub fn add(&mut self, object: &Object) -> io::Result<ObjectId> {
        let id = self.reserve();
        self.write(id, object)?;
        Ok(id)
    }

    /// Writes a dictionary whose entries come from an iterator, without building it first
    /// (the catalog's named destinations run to hundreds of thousands).
    pub fn add_dictionary_from<I>(&mut self, entries: I) -> io::Result<ObjectId>
    where
        I: IntoIterator<Item = (String, Object)>,
    {
        let id = self.reserve();
        self.object_with(id, |out| {
            out.write_all(b"<<")?;
            for (key, value) in entries {
                super::object::write_name(out, &key)?;
                out.write_all(b" ")?;
                value.write_to(out)?;
            }
            out.write_all(b">>")
        })?;
        Ok(id)
    }

    /// Writes a stream: `dict` gains its `/Length`; `bytes` are written as they are (any
    /// `/Filter` is the caller's).
    pub fn add_stream(&mut self, mut dict: Dictionary, bytes: &[u8]) -> io::Result<ObjectId> {
        dict.set("Length", bytes.len() as i64);
        let id = self.reserve();
        self.object_with(id, |out| {
            dict.write_to(out)?;
            out.write_all(b"\nstream\n")?;
            out.write_all(bytes)?;
            out.write_all(b"\nendstream")
        })?;
        Ok(id)
    }

    /// Writes the cross-reference table and the trailer (`root`, `info`, `id`) and returns
    /// the output. Every reserved number must have been written by now.
    pub fn finish(mut self, root: ObjectId, info: ObjectId, id: &[u8]) -> io::Result<W> {
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
        let mut table = Vec::with_capacity(20 * (self.offsets.len() + 1) + 64);
        write!(
            table,
            "xref\n0 {}\n0000000000 65535 f \n",
            self.offsets.len() + 1
        )?;
        for offset in self.offsets.iter().flatten() {
            writeln!(table, "{offset:010} 00000 n ")?;
        }
        table.extend_from_slice(b"trailer\n");
        Dictionary::new()
            .with("Size", self.offsets.len() as i64 + 1)
            .with("Root", root)
            .with("Info", info)
            .with(
                "ID",
                vec![Object::Hex(id.to_vec()), Object::Hex(id.to_vec())],
            )
            .write_to(&mut table)?;
        write!(table, "\nstartxref\n{xref_at}\n%%EOF\n")?;
        self.raw(&table)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A writer that counts what passes through it.
pub struct Counting<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_in_the_table_point_at_their_objects() {
        let mut file = PdfFile::new(Vec::new()).unwrap();
        let later = file.reserve();
        let first = file.add(&Object::Integer(7)).unwrap();
        let stream = file.add_stream(Dictionary::new(), b"q Q").unwrap();
        file.write(later, &Dictionary::new().with("Kid", first).into())
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
        assert!(text.contains("<</Length 3>>\nstream\nq Q\nendstream"));
        assert!(text.contains("/ID [<0102> <0102>]"));
    }

    #[test]
    fn a_reserved_object_never_written_is_an_error() {
        let mut file = PdfFile::new(Vec::new()).unwrap();
        let root = file.reserve();
        let info = file.add(&Object::Integer(1)).unwrap();
        assert!(file.finish(root, info, &[]).is_err());
    }
}
