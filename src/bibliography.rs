//! The works the edition cites: `bibliography.yaml` (Hayagriva's YAML) or `bibliography.bib`
//! (BibLaTeX), read with `hayagriva`, every problem located in the file.

use crate::diag::{Diagnostic, Diagnostics};
use crate::files;
use crate::source::{char_span, FileId, SourceFile, SourceMap, Span};
use std::path::Path;

/// The two names a bibliography file may have, in the project's root.
pub const YAML_NAME: &str = "bibliography.yaml";
pub const BIB_NAME: &str = "bibliography.bib";

/// The bibliography as read: hayagriva's library and where each entry's key is written.
#[derive(Debug, Clone)]
pub struct Bibliography {
    pub file: FileId,
    pub library: hayagriva::Library,
    /// Each entry's key and the span of that key in the file, in the file's order.
    pub keys: Vec<(String, Span)>,
}

impl Bibliography {
    /// The span of `key`'s entry, for diagnostics.
    pub fn span_of(&self, key: &str) -> Option<Span> {
        self.keys.iter().find(|(k, _)| k == key).map(|(_, s)| *s)
    }
}

/// Reads the project's bibliography, if it has one. Problems are reported in `diags`;
/// `Some(None)` means there is no bibliography file, `None` that it could not be read.
pub fn load(
    root: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<Option<Bibliography>> {
    let yaml = root.join(YAML_NAME);
    let bib = root.join(BIB_NAME);
    let (path, yaml_format) = match (yaml.exists(), bib.exists()) {
        (false, false) => return Some(None),
        (true, false) => (yaml, true),
        (false, true) => (bib, false),
        (true, true) => {
            let file = files::read_text(root, &bib, sources, diags)?;
            diags.push(
                Diagnostic::error(format!("both `{YAML_NAME}` and `{BIB_NAME}` are present"))
                    .at(
                        char_span(file, &sources.get(file).text, 0),
                        "second bibliography",
                    )
                    .hint("keep the works cited in one file: remove or rename one of them"),
            );
            return None;
        }
    };
    let file = files::read_text(root, &path, sources, diags)?;
    let source = sources.get(file);
    let parsed = if yaml_format {
        read_yaml(file, source, diags)
    } else {
        read_bib(file, source, diags)
    }?;
    let keys = parsed
        .keys()
        .map(|key| (key.to_owned(), key_span(file, source, key, yaml_format)))
        .collect();
    Some(Some(Bibliography {
        file,
        library: parsed,
        keys,
    }))
}

fn read_yaml(
    file: FileId,
    source: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<hayagriva::Library> {
    if source.text.trim().is_empty() {
        diags.push(
            Diagnostic::error(format!("`{YAML_NAME}` is empty"))
                .at(char_span(file, &source.text, 0), "empty file")
                .hint("list the works cited, each as `key:` with `type`, `title`, `author`, `date`, …; or remove the file"),
        );
        return None;
    }
    match hayagriva::io::from_yaml_str(&source.text) {
        Ok(library) => Some(library),
        Err(e) => {
            let at = e.location().map_or(0, |l| {
                crate::source::floor_char_boundary(&source.text, l.index())
            });
            let message = e.to_string();
            // serde_yaml appends " at line L column C"; the caret says it.
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_owned();
            diags.push(
                Diagnostic::error(format!("`{YAML_NAME}` is not a Hayagriva bibliography: {message}"))
                    .at(char_span(file, &source.text, at), "here")
                    .hint("each work is `key:` followed by its fields, indented: `type: book`, `title: …`, `author: Surname, Given`, `date: 1901-05`; see docs/format.md"),
            );
            None
        }
    }
}

fn read_bib(
    file: FileId,
    source: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<hayagriva::Library> {
    match hayagriva::io::from_biblatex_str(&source.text) {
        Ok(library) => Some(library),
        Err(errors) => {
            for e in errors {
                let (range, message) = match &e {
                    hayagriva::io::BibLaTeXError::Parse(p) => (p.span.clone(), p.kind.to_string()),
                    hayagriva::io::BibLaTeXError::Type(t) => (t.span.clone(), t.kind.to_string()),
                };
                let start = crate::source::floor_char_boundary(&source.text, range.start);
                let end = crate::source::floor_char_boundary(&source.text, range.end).max(start);
                let span = if end > start {
                    Span::new(file, start, end)
                } else {
                    char_span(file, &source.text, start)
                };
                diags.push(
                    Diagnostic::error(format!("`{BIB_NAME}` cannot be read: {message}"))
                        .at(span, "here")
                        .hint("each entry is `@type{key, field = {value}, …}`; check the braces and commas around here"),
                );
            }
            None
        }
    }
}

/// Where `key` is written: `key:` at the start of a line (YAML) or `{key,` (BibLaTeX); the
/// file's first character when it cannot be found.
fn key_span(file: FileId, source: &SourceFile, key: &str, yaml: bool) -> Span {
    let text = &source.text;
    let found = if yaml {
        let mut offset = 0;
        let mut found = None;
        for line in text.split_inclusive('\n') {
            let bare = line.strip_prefix(key).filter(|rest| rest.starts_with(':'));
            let quoted = ["\"", "'"].iter().find_map(|q| {
                line.strip_prefix(q)
                    .and_then(|l| l.strip_prefix(key))
                    .filter(|rest| rest.starts_with(q))
                    .map(|_| q.len())
            });
            if bare.is_some() || quoted.is_some() {
                let start = offset + quoted.unwrap_or(0);
                found = Some(start);
                break;
            }
            offset += line.len();
        }
        found
    } else {
        text.match_indices(key)
            .find(|(i, _)| {
                let before = text[..*i].trim_end();
                let after = text[i + key.len()..].trim_start();
                before.ends_with('{') && after.starts_with(',')
            })
            .map(|(i, _)| i)
    };
    match found {
        Some(start) => Span::new(file, start, start + key.len()),
        None => char_span(file, text, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(name: &str, text: &str) -> (SourceMap, Diagnostics, Option<Option<Bibliography>>) {
        // One folder per call: tests run side by side and share file names.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "variorum-bib-{}-{call}-{}",
            std::process::id(),
            name.replace('.', "-")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), text).unwrap();
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::default();
        let bib = load(&dir, &mut sources, &mut diags);
        std::fs::remove_dir_all(&dir).unwrap();
        (sources, diags, bib)
    }

    #[test]
    fn yaml_keys_are_located() {
        let text = "melville:\n  type: book\n  title: Moby-Dick\n  author: Melville, Herman\n  date: 1851\n";
        let (_, diags, bib) = load_text(YAML_NAME, text);
        assert!(diags.is_empty(), "{diags:?}");
        let bib = bib.unwrap().unwrap();
        assert_eq!(bib.keys[0].0, "melville");
        assert_eq!((bib.keys[0].1.start, bib.keys[0].1.end), (0, 8));
    }

    #[test]
    fn yaml_syntax_error_is_located_in_the_file() {
        let text = "melville:\n  type: book\n  title: [Moby-Dick\n";
        let (sources, diags, bib) = load_text(YAML_NAME, text);
        assert!(bib.is_none());
        let d = diags.iter().next().unwrap();
        let span = d.span.unwrap();
        let (line, _) = sources.get(span.file).line_col(span.start);
        assert!(line >= 3, "{d:?}");
    }

    #[test]
    fn bib_keys_and_errors() {
        let text = "@book{melville,\n  title = {Moby-Dick},\n  author = {Melville, Herman},\n  date = {1851},\n}\n";
        let (_, diags, bib) = load_text(BIB_NAME, text);
        assert!(diags.is_empty(), "{diags:?}");
        let bib = bib.unwrap().unwrap();
        assert_eq!(bib.keys[0].1.start, 6);
        let (_, diags, bib) = load_text(BIB_NAME, "@book{melville,\n  title = {Moby-Dick,\n");
        assert!(bib.is_none());
        assert!(diags.has_errors());
    }
}
