//! Reading the project's text files: UTF-8 checked, BOM dropped, CRLF folded, NUL refused.

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use std::path::Path;

/// Reads `path` as text into `sources`. Problems are reported and `None` returned; a file that
/// is not UTF-8 is still added (lossily) so that the report can show where it goes wrong.
pub fn read_text(
    root: &Path,
    path: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<FileId> {
    read(root, path).register(sources, diags)
}

/// Adds the bytes of a file named `name` to `sources` as text, with the checks of
/// [`read_text`]: UTF-8 required, BOM dropped, CRLF and CR folded to LF, NUL refused.
pub fn add_bytes(
    name: String,
    path: &Path,
    bytes: &[u8],
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<FileId> {
    prepare(name, path, bytes).register(sources, diags)
}

/// A file read and checked, not yet given its [`FileId`]. Reading and checking (the costly
/// part: I/O, UTF-8 validation, line index) can so run on any thread, while the ids are
/// handed out afterwards in a fixed order, so that they never depend on thread timing.
#[derive(Debug)]
pub struct Read(ReadOutcome);

#[derive(Debug)]
enum ReadOutcome {
    Text(SourceFile),
    Unreadable(Diagnostic),
    /// Added lossily, reported at the first bad byte.
    NotUtf8 {
        file: SourceFile,
        at: usize,
    },
    /// Added with NULs shown as `␀`, reported at the first one.
    Nul {
        file: SourceFile,
        at: usize,
    },
}

/// Reads and checks `path` (under `root`, for its display name) without adding it anywhere.
pub fn read(root: &Path, path: &Path) -> Read {
    let name = SourceMap::display_name(root, path);
    match std::fs::read(path) {
        Ok(bytes) => prepare(name, path, &bytes),
        Err(e) => Read(ReadOutcome::Unreadable(read_error(&name, path, &e))),
    }
}

/// Checks the bytes of a file named `name` as text without adding it anywhere.
pub fn prepare(name: String, path: &Path, bytes: &[u8]) -> Read {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // Added lossily so the report can show the line; the text before the first bad
            // byte is unchanged by the conversion, so the offset still points at it.
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            return Read(ReadOutcome::NotUtf8 {
                file: SourceFile::new(name, path.to_owned(), lossy),
                at: e.valid_up_to(),
            });
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    if let Some(at) = text.find('\0') {
        // Shown as a visible symbol, so that the report's caret has something to stand under;
        // the offsets before the first NUL are unchanged.
        let shown = text.replace('\0', "\u{2400}");
        return Read(ReadOutcome::Nul {
            file: SourceFile::new(name, path.to_owned(), shown),
            at,
        });
    }
    Read(ReadOutcome::Text(SourceFile::new(
        name,
        path.to_owned(),
        text,
    )))
}

impl Read {
    /// Adds the file to `sources` and reports its problems. Returns its id when its text can
    /// be used.
    pub fn register(self, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<FileId> {
        match self.0 {
            ReadOutcome::Text(file) => Some(sources.add(file)),
            ReadOutcome::Unreadable(d) => {
                diags.push(d);
                None
            }
            ReadOutcome::NotUtf8 { file, at } => {
                let name = file.name.clone();
                let id = sources.add(file);
                diags.push(
                    Diagnostic::error(format!(
                        "`{name}` is not valid UTF-8 (first bad byte at offset {at})"
                    ))
                    .at(Span::new(id, at, at + '\u{FFFD}'.len_utf8()), "not UTF-8")
                    .hint("save the file as UTF-8"),
                );
                None
            }
            ReadOutcome::Nul { file, at } => {
                let name = file.name.clone();
                let id = sources.add(file);
                diags.push(
                    Diagnostic::error(format!("`{name}` contains a NUL byte (shown as `\u{2400}`)"))
                        .at(Span::new(id, at, at + '\u{2400}'.len_utf8()), "NUL byte")
                        .hint("remove the NUL character; it is never part of a text (the file may be binary or saved as UTF-16)"),
                );
                None
            }
        }
    }
}

/// Why a file could not be read, and what to do about it.
fn read_error(name: &str, path: &Path, e: &std::io::Error) -> Diagnostic {
    if path.is_dir() {
        return Diagnostic::error(format!("`{name}` is a folder, not a file"))
            .hint("every `.md` entry of `manuscript/` is read as a witness or section: rename the folder or move it out");
    }
    let d = Diagnostic::error(format!("cannot read `{name}`: {e}"));
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            d.hint(format!("make the file readable, e.g. `chmod u+r {name}`"))
        }
        std::io::ErrorKind::NotFound => {
            d.hint("the file disappeared while the edition was read; run the command again")
        }
        _ => d.hint("check that the file exists and that you may read it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> (Option<FileId>, SourceMap, Diagnostics) {
        let dir = std::env::temp_dir().join(format!(
            "variorum-files-{}-{}",
            std::process::id(),
            bytes.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.md");
        std::fs::write(&path, bytes).unwrap();
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::default();
        let id = read_text(&dir, &path, &mut sources, &mut diags);
        std::fs::remove_dir_all(&dir).unwrap();
        (id, sources, diags)
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let (id, sources, diags) = read(b"\xEF\xBB\xBFa\r\nb\r\n");
        assert!(diags.is_empty());
        assert_eq!(sources.get(id.unwrap()).text, "a\nb\n");
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let (id, _, diags) = read(b"abc\xFFdef and more");
        assert!(id.is_none());
        let d = diags.iter().next().unwrap();
        assert!(d.message.contains("offset 3"), "{}", d.message);
        assert_eq!(d.span.unwrap().start, 3);
    }

    #[test]
    fn nul_bytes_are_refused() {
        let (id, _, diags) = read(b"ab\0c with some more");
        assert!(id.is_none());
        let d = diags.iter().next().unwrap();
        assert_eq!(d.span.unwrap().start, 2);
        assert_eq!(d.span.unwrap().end, 2 + '\u{2400}'.len_utf8());
    }
}
