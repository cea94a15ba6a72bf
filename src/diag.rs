//! Diagnostics as values: every problem found in an edition, with its span and hints.
//!
//! Stages push [`Diagnostic`]s into a [`Diagnostics`] list and carry on, so that one run
//! reports every problem; only the command-line edge renders them, with [`render`].

use crate::source::{SourceMap, Span};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

/// How bad a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for problems with no text to point at (a missing folder).
    pub span: Option<Span>,
    /// A short label under the caret.
    pub label: String,
    /// Further places worth showing (e.g. the closest passage to an anchor not found).
    pub related: Vec<(Span, String)>,
    /// What to do about it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: String::new(),
            related: Vec::new(),
            hints: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.span = Some(span);
        self.label = label.into();
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The problems found so far, in the order found.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// The diagnostic pushed last, to add a hint that only the caller knows.
    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        self.list.last_mut()
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.list.len() - self.error_count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// The errors alone, for `--quiet`.
    pub fn errors_only(&self) -> Diagnostics {
        let mut out = Diagnostics::default();
        for d in self.iter().filter(|d| d.is_error()) {
            out.push(d.clone());
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Orders problems by file and position, errors and warnings interleaved, so that the
    /// report reads top to bottom; problems without a file come first.
    pub fn sort(&mut self) {
        self.list
            .sort_by_key(|d| d.span.map(|s| (s.file.0 + 1, s.start)).unwrap_or((0, 0)));
    }
}

/// Renders diagnostics rustc-style: `error: message`, `--> file:line:col`, the source line with
/// a caret under the span, then the hints. `color` adds ANSI colours for a terminal.
pub fn render(diagnostics: &Diagnostics, sources: &SourceMap, color: bool) -> String {
    let mut files = SimpleFiles::new();
    for (_, file) in sources.files() {
        files.add(file.name.clone(), file.text.clone());
    }
    let config = term::Config {
        chars: term::Chars::ascii(),
        ..term::Config::default()
    };
    let mut out = String::new();
    for d in diagnostics.iter() {
        let rendered = to_codespan(d);
        let text = if color {
            let mut buf = Vec::new();
            let mut writer = term::termcolor::Ansi::new(&mut buf);
            term::emit_to_write_style(&mut writer, &config, &files, &rendered)
                .map(|_| String::from_utf8_lossy(&buf).into_owned())
        } else {
            term::emit_into_string(&config, &files, &rendered)
        };
        match text {
            Ok(text) => out.push_str(&text),
            // A span past the end of its file: still say what is wrong.
            Err(_) => out.push_str(&format!("{}: {}\n", severity_word(d), d.message)),
        }
    }
    out
}

fn severity_word(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_codespan(d: &Diagnostic) -> cs::Diagnostic<usize> {
    let base = match d.severity {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let mut labels = Vec::new();
    if let Some(span) = d.span {
        labels.push(cs::Label::primary(span.file.0, span.start..span.end).with_message(&d.label));
    }
    for (span, label) in &d.related {
        labels.push(cs::Label::secondary(span.file.0, span.start..span.end).with_message(label));
    }
    base.with_message(&d.message)
        .with_labels(labels)
        .with_notes(d.hints.iter().map(|h| format!("help: {h}")).collect())
}

/// The closest of `candidates` to `word` by edit distance, if close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

/// Like [`did_you_mean`], but letter case costs nothing: sigla such as `BL` and `BA` differ in
/// case from a typo such as `Bl` more often than in letters. Ties go to the closer spelling.
pub fn did_you_mean_ignoring_case<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let folded = edit_distance(&lower, &c.to_lowercase());
            (folded, edit_distance(word, c), *c)
        })
        .filter(|(d, _, c)| *d <= (c.chars().count().max(3) / 3).max(1))
        .min()
        .map(|(_, _, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["sigil", "title", "byline", "source-sha256"];
        assert_eq!(did_you_mean("sigl", &keys), Some("sigil"));
        assert_eq!(did_you_mean("source-sha", &keys), Some("source-sha256"));
        assert_eq!(did_you_mean("colour", &keys), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(did_you_mean_ignoring_case("Bl", &["BA", "BL"]), Some("BL"));
        assert_eq!(did_you_mean_ignoring_case("b", &["A", "B"]), Some("B"));
        assert_eq!(did_you_mean_ignoring_case("BX", &["BA", "BL"]), Some("BA"));
    }

    #[test]
    fn rendering_names_file_line_and_column_with_a_caret() {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(
            "footnotes.yaml".into(),
            "footnotes.yaml".into(),
            "notes:\n  - id: Bad Id\n".into(),
        ));
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error("note id `Bad Id` is not valid")
                .at(
                    Span::new(id, 15, 21),
                    "use lowercase letters, digits and `-`",
                )
                .hint("write it as `bad-id`"),
        );
        let text = render(&diags, &sources, false);
        assert!(
            text.contains("error: note id `Bad Id` is not valid"),
            "{text}"
        );
        assert!(text.contains("footnotes.yaml:2:9"), "{text}");
        assert!(text.contains("^^^^^^"), "{text}");
        assert!(text.contains("help: write it as `bad-id`"), "{text}");
    }
}
