//! Loading `manuscript/*.md`: front matter and Markdown into [`Section`]s with spans, plus the
//! checks that need only the manuscript (duplicate sigla, source digests).

pub mod front_matter;
pub mod markdown;

use crate::diag::{Diagnostic, Diagnostics};
use crate::files::read_text;
use crate::model::{Block, HeaderField, Inline, Section, Style};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use front_matter::FieldSpans;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// A section as loaded, with the spans later checks point at.
#[derive(Debug, Clone)]
pub struct LoadedSection {
    pub section: Section,
    pub spans: FieldSpans,
}

/// The manuscript as loaded.
#[derive(Debug, Clone, Default)]
pub struct Manuscript {
    /// Sections in reading order: front, witnesses, back.
    pub sections: Vec<LoadedSection>,
    /// Whether every `.md` file could be read into a section. When not, a witness may be
    /// missing only because its file was unreadable, and later stages say less about it.
    pub complete: bool,
}

/// Reads every `.md` file of `root/manuscript` in file-name order, then orders the sections
/// front, witnesses, back (file-name order within each group).
pub fn load(root: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Manuscript {
    let dir = root.join("manuscript");
    if !dir.exists() {
        diags.push(
            Diagnostic::error(format!("no `manuscript/` folder in `{}`", root.display()))
                .hint("an edition keeps its texts in `manuscript/*.md`; run `variorum check` in the edition's folder or give its path"),
        );
        return Manuscript::default();
    }
    let mut paths = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect::<Vec<_>>(),
        Err(e) => {
            diags.push(
                Diagnostic::error(format!(
                    "cannot read the manuscript folder `{}`: {e}",
                    dir.display()
                ))
                .hint("check that `manuscript` is a folder you may read"),
            );
            return Manuscript::default();
        }
    };
    paths.sort();
    if paths.is_empty() {
        diags.push(
            Diagnostic::error(format!("`{}` holds no `.md` files", dir.display()))
                .hint("add one Markdown file per witness or section"),
        );
    }
    let mut sections: Vec<LoadedSection> = paths
        .iter()
        .filter_map(|path| load_file(root, path, sources, diags))
        .collect();
    let complete = !paths.is_empty() && sections.len() == paths.len();
    sections.sort_by_key(|s| s.section.role);
    check_unique_sigla(&sections, diags);
    for s in &sections {
        check_source_digest(root, s, diags);
    }
    Manuscript { sections, complete }
}

fn load_file(
    root: &Path,
    path: &Path,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Option<LoadedSection> {
    let file = read_text(root, path, sources, diags)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_section(file, sources.get(file), file_name, diags)
}

/// Reads one manuscript file, already loaded as `file`: front matter, then the Markdown body.
pub fn read_section(
    file: FileId,
    source: &SourceFile,
    file_name: String,
    diags: &mut Diagnostics,
) -> Option<LoadedSection> {
    let split = front_matter::split(file, source, diags)?;
    let front = front_matter::read(file, source, split, diags)?;
    let origin = markdown::Origin {
        file,
        base: split.body,
        whole: None,
    };
    let body = markdown::parse(&source.text[split.body..], origin, diags);
    let (title, title_span) = front.title.unwrap_or_default();
    let mut blocks = vec![Block::Heading {
        level: 1,
        content: plain_run(&title, title_span),
    }];
    if let Some(w) = &front.witness {
        let lines = [
            (HeaderField::Subtitle, &w.subtitle, front.spans.subtitle),
            (HeaderField::Byline, &w.byline, front.spans.byline),
            (HeaderField::Dateline, &w.dateline, front.spans.dateline),
        ];
        for (field, value, span) in lines {
            if let (Some(value), Some(span)) = (value, span) {
                blocks.push(Block::HeaderLine {
                    field,
                    content: plain_run(value, span),
                });
            }
        }
    }
    blocks.extend(body);
    Some(LoadedSection {
        section: Section {
            role: front.role,
            file_name,
            title,
            witness: front.witness,
            blocks,
        },
        spans: front.spans,
    })
}

fn plain_run(text: &str, span: Span) -> Vec<Inline> {
    vec![Inline::Text {
        text: text.to_owned(),
        style: Style::default(),
        link: None,
        span,
    }]
}

fn check_unique_sigla(sections: &[LoadedSection], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &LoadedSection> = HashMap::new();
    for s in sections {
        let Some(w) = &s.section.witness else {
            continue;
        };
        let first = seen.get(w.sigil.as_str()).copied();
        if first.is_none() {
            seen.insert(&w.sigil, s);
        }
        if let (Some(first), Some(span)) = (first, s.spans.sigil) {
            let mut d = Diagnostic::error(format!("sigil `{}` is used by two witnesses", w.sigil))
                .at(span, "used again here")
                .hint("give each witness its own sigil");
            if let Some(first_span) = first.spans.sigil {
                d = d.related(first_span, "first used here");
            }
            diags.push(d);
        }
    }
}

/// Recomputes the digest of `sources/<source>` when that file is there.
fn check_source_digest(root: &Path, s: &LoadedSection, diags: &mut Diagnostics) {
    let Some(w) = &s.section.witness else { return };
    let Some(name) = &w.source else { return };
    let span = s.spans.source.unwrap_or(s.spans.whole);
    if name.contains(['/', '\\']) || name.starts_with('.') {
        diags.push(
            Diagnostic::error(format!(
                "`source: {name}` must be a file name in `sources/`"
            ))
            .at(span, "not a plain file name")
            .hint("keep the source file in the edition's `sources/` folder and give its name only"),
        );
        return;
    }
    let path = root.join("sources").join(name);
    let Ok(bytes) = std::fs::read(&path) else {
        diags.push(
            Diagnostic::warning(format!(
                "source file `sources/{name}` was not found; its digest was not checked"
            ))
            .at(span, "source"),
        );
        return;
    };
    let actual = hex(&Sha256::digest(&bytes));
    match (&w.source_sha256, s.spans.source_sha256) {
        (Some(recorded), Some(digest_span)) if !recorded.eq_ignore_ascii_case(&actual) => {
            diags.push(
                Diagnostic::error(format!("the digest of `sources/{name}` does not match"))
                    .at(digest_span, "recorded digest")
                    .hint(format!("the file's SHA-256 is {actual}; if the source changed on purpose, record the new digest and review the transcription")),
            );
        }
        (None, _) => diags.push(
            Diagnostic::warning(format!(
                "no `source-sha256` is recorded for `sources/{name}`"
            ))
            .at(span, "source")
            .hint(format!("add `source-sha256: {actual}`")),
        ),
        _ => {}
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
