//! Source files held in memory, byte spans into them, and byte → line:column lookup.

use std::path::{Path, PathBuf};

/// Identifies a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub usize);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end }
    }
}

/// One loaded file: its path relative to the project and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path shown in messages, relative to the project root (`manuscript/10-a.md`).
    pub name: String,
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(name: String, path: PathBuf, text: String) -> SourceFile {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name,
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// Byte offset of a 0-based line and 0-based character column (clamped to the text).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line) else {
            return self.text.len();
        };
        // Only the first `col` characters are looked at, not the whole line: the YAML reader
        // locates every token this way, and an apparatus's lines can be long.
        let rest = &self.text[start..];
        for (n, (i, c)) in rest.char_indices().enumerate() {
            if n == col || c == '\n' {
                return start + i;
            }
        }
        start + rest.len()
    }
}

/// The span of the character at byte `at` of `text` (empty at the end of the text), for
/// problems that point at one place.
pub fn char_span(file: FileId, text: &str, at: usize) -> Span {
    let at = floor_char_boundary(text, at);
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    Span::new(file, at, at + len)
}

/// Rounds a byte offset down to a char boundary.
pub(crate) fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// All files read for one edition, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    /// A display name for a path under `root`, with forward slashes.
    pub fn display_name(root: &Path, path: &Path) -> String {
        let rel = path.strip_prefix(root).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("f".into(), "f".into(), "ab\nдва x\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, 5));
        assert_eq!(f.offset_of(1, 4), x);
        // Past the end of a line, the line's end; past the last line, the text's end.
        assert_eq!(f.offset_of(0, 7), 2);
        assert_eq!(f.offset_of(1, 99), f.text.len() - 1);
        assert_eq!(f.offset_of(2, 0), f.text.len());
        assert_eq!(f.offset_of(5, 0), f.text.len());
    }
}
