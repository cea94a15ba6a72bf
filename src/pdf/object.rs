//! PDF objects and their serialization (ISO 32000-1, section 7.3): the few kinds Variorum
//! writes, each written straight to the output as it is made, so that no object outlives
//! its serialization.

use std::borrow::Cow;
use std::io::{self, Write};

/// An indirect object's number (generation 0: we never update files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId(pub u32);

/// A direct PDF object.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Bool(bool),
    Integer(i64),
    /// Written with at most three decimals.
    Real(f32),
    /// A name, without its slash; bytes outside `!`..`~` and delimiters are escaped.
    Name(Cow<'static, str>),
    /// A string written as a literal `( )`.
    Literal(Vec<u8>),
    /// A string written in hexadecimal `< >`.
    Hex(Vec<u8>),
    Array(Vec<Object>),
    Dictionary(Dictionary),
    Reference(ObjectId),
}

/// A dictionary: keys (names, without the slash) in the order they were set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dictionary(Vec<(Cow<'static, str>, Object)>);

impl Dictionary {
    pub fn new() -> Dictionary {
        Dictionary(Vec::new())
    }

    /// Sets `key`, replacing an earlier value.
    pub fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Object>) {
        let key = key.into();
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// [`Dictionary::set`], for building in one expression.
    pub fn with(mut self, key: impl Into<Cow<'static, str>>, value: impl Into<Object>) -> Self {
        self.set(key, value);
        self
    }
}

impl<K: Into<Cow<'static, str>>, V: Into<Object>> FromIterator<(K, V)> for Dictionary {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut dict = Dictionary::new();
        for (k, v) in iter {
            dict.set(k, v);
        }
        dict
    }
}

/// A static string is a name: `"Page"` is `/Page`.
impl From<&'static str> for Object {
    fn from(name: &'static str) -> Object {
        Object::Name(Cow::Borrowed(name))
    }
}

impl From<i64> for Object {
    fn from(value: i64) -> Object {
        Object::Integer(value)
    }
}

impl From<i32> for Object {
    fn from(value: i32) -> Object {
        Object::Integer(value.into())
    }
}

impl From<f32> for Object {
    fn from(value: f32) -> Object {
        Object::Real(value)
    }
}

impl From<bool> for Object {
    fn from(value: bool) -> Object {
        Object::Bool(value)
    }
}

impl From<ObjectId> for Object {
    fn from(id: ObjectId) -> Object {
        Object::Reference(id)
    }
}

impl From<Dictionary> for Object {
    fn from(dict: Dictionary) -> Object {
        Object::Dictionary(dict)
    }
}

impl From<Vec<Object>> for Object {
    fn from(items: Vec<Object>) -> Object {
        Object::Array(items)
    }
}

impl Object {
    /// A name made at run time.
    pub fn name(name: impl Into<String>) -> Object {
        Object::Name(Cow::Owned(name.into()))
    }

    /// Serializes the object.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Object::Bool(b) => out.write_all(if *b { b"true" } else { b"false" }),
            Object::Integer(i) => write!(out, "{i}"),
            Object::Real(r) => {
                let mut s = String::new();
                super::content::push_num(&mut s, if r.is_finite() { *r } else { 0.0 });
                out.write_all(s.as_bytes())
            }
            Object::Name(name) => write_name(out, name),
            Object::Literal(bytes) => write_literal(out, bytes),
            Object::Hex(bytes) => {
                out.write_all(b"<")?;
                for b in bytes {
                    write!(out, "{b:02X}")?;
                }
                out.write_all(b">")
            }
            Object::Array(items) => {
                out.write_all(b"[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b" ")?;
                    }
                    item.write_to(out)?;
                }
                out.write_all(b"]")
            }
            Object::Dictionary(dict) => dict.write_to(out),
            Object::Reference(id) => write!(out, "{} 0 R", id.0),
        }
    }
}

impl Dictionary {
    /// Serializes the dictionary as `<</Key value ...>>`.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(b"<<")?;
        for (key, value) in &self.0 {
            write_name(out, key)?;
            out.write_all(b" ")?;
            value.write_to(out)?;
        }
        out.write_all(b">>")
    }
}

/// `/name`, with `#xx` escapes for bytes that may not appear in a name as they are.
pub fn write_name(out: &mut impl Write, name: &str) -> io::Result<()> {
    out.write_all(b"/")?;
    for &b in name.as_bytes() {
        if b"()<>[]{}/%#".contains(&b) || !(b'!'..=b'~').contains(&b) {
            write!(out, "#{b:02X}")?;
        } else {
            out.write_all(&[b])?;
        }
    }
    Ok(())
}

/// `(text)`, with parentheses, backslashes and carriage returns escaped.
fn write_literal(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(b"(")?;
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => out.write_all(&[b'\\', b])?,
            b'\r' => out.write_all(b"\\r")?,
            _ => out.write_all(&[b])?,
        }
    }
    out.write_all(b")")
}

/// A PDF text string: literal when printable ASCII, else UTF-16BE with a byte order mark.
pub fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::Literal(text.as_bytes().to_vec())
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_be_bytes());
        }
        Object::Hex(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serialized(object: &Object) -> String {
        let mut out = Vec::new();
        object.write_to(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn objects_serialize_as_the_standard_spells_them() {
        let dict = Dictionary::new()
            .with("Type", "Page")
            .with(
                "MediaBox",
                vec![0.into(), 0.into(), 595.276f32.into(), 841.89f32.into()],
            )
            .with("Parent", ObjectId(3))
            .with("Open", true)
            .with("Title", text_string("A (b) \\ c"));
        assert_eq!(
            serialized(&dict.into()),
            "<</Type /Page/MediaBox [0 0 595.276 841.89]/Parent 3 0 R/Open true/Title (A \\(b\\) \\\\ c)>>"
        );
        assert_eq!(serialized(&Object::name("a b/c#")), "/a#20b#2Fc#23");
        assert_eq!(serialized(&text_string("é")), "<FEFF00E9>");
        assert_eq!(serialized(&Object::Real(f32::NAN)), "0");
        assert_eq!(serialized(&Object::Real(-0.5)), "-0.5");
    }

    #[test]
    fn setting_a_key_again_replaces_its_value() {
        let mut dict = Dictionary::new().with("A", 1);
        dict.set("A", 2);
        assert_eq!(serialized(&dict.into()), "<</A 2>>");
    }
}
