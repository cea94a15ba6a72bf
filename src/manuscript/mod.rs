//! Loading `manuscript/*.md`: front matter and Markdown into [`Section`]s with spans, plus the
//! checks that need only the manuscript (duplicate sigla, source digests).

pub mod front_matter;
pub mod markdown;

use crate::diag::{Diagnostic, Diagnostics};
use crate::files::{self, Read};
use crate::model::{Block, HeaderField, Inline, Section, Style};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use front_matter::FieldSpans;
use rayon::prelude::*;
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
    read_files(root)
        .register(sources)
        .parse(root, sources, diags)
}

/// The manuscript's files, read and checked as text (in parallel), not yet in a
/// [`SourceMap`]. Loading is split in three steps ([`read_files`], [`Files::register`],
/// [`Added::parse`]) so that the costly ones can run on several threads, alongside the
/// apparatus, while file ids are handed out in one fixed order.
#[derive(Debug)]
pub struct Files {
    /// Problems of the folder itself, reported before those of its files.
    diags: Diagnostics,
    /// `(file name, what was read)` in file-name order.
    files: Vec<(String, Read)>,
}

/// The manuscript's files in a [`SourceMap`], ready to be parsed.
#[derive(Debug)]
pub struct Added {
    diags: Diagnostics,
    /// `(file name, id when its text can be used, its reading problems)` in file-name order.
    files: Vec<(String, Option<FileId>, Diagnostics)>,
}

/// Reads every `.md` file of `root/manuscript` (in parallel), in file-name order.
pub fn read_files(root: &Path) -> Files {
    let mut diags = Diagnostics::default();
    let dir = root.join("manuscript");
    if !dir.exists() {
        diags.push(
            Diagnostic::error(format!("no `manuscript/` folder in `{}`", root.display()))
                .hint("an edition keeps its texts in `manuscript/*.md`; run `variorum check` in the edition's folder or give its path"),
        );
        return Files {
            diags,
            files: Vec::new(),
        };
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
            return Files {
                diags,
                files: Vec::new(),
            };
        }
    };
    paths.sort();
    if paths.is_empty() {
        diags.push(
            Diagnostic::error(format!("`{}` holds no `.md` files", dir.display()))
                .hint("add one Markdown file per witness or section"),
        );
    }
    let files = paths
        .par_iter()
        .map(|path| {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (file_name, files::read(root, path))
        })
        .collect();
    Files { diags, files }
}

impl Files {
    /// Adds the files to `sources` in file-name order; their problems are kept for
    /// [`Added::parse`] to report in that order.
    pub fn register(self, sources: &mut SourceMap) -> Added {
        let files = self
            .files
            .into_iter()
            .map(|(file_name, read)| {
                let mut diags = Diagnostics::default();
                let id = read.register(sources, &mut diags);
                (file_name, id, diags)
            })
            .collect();
        Added {
            diags: self.diags,
            files,
        }
    }
}

impl Added {
    /// Parses every file into a section (in parallel) and runs the checks that need only the
    /// manuscript. Problems are reported in the order that reading the files one by one
    /// gives: file by file, each file's reading problems before its parsing problems.
    pub fn parse(self, root: &Path, sources: &SourceMap, diags: &mut Diagnostics) -> Manuscript {
        diags.extend(self.diags);
        let total = self.files.len();
        let parsed: Vec<(Option<LoadedSection>, Diagnostics, Diagnostics)> = self
            .files
            .into_par_iter()
            .map(|(file_name, id, read_diags)| {
                let mut section_diags = Diagnostics::default();
                let section = id.and_then(|id| {
                    read_section(id, sources.get(id), file_name, &mut section_diags)
                });
                (section, read_diags, section_diags)
            })
            .collect();
        let mut sections = Vec::with_capacity(total);
        for (section, read_diags, section_diags) in parsed {
            diags.extend(read_diags);
            diags.extend(section_diags);
            sections.extend(section);
        }
        let complete = total > 0 && sections.len() == total;
        sections.sort_by_key(|s| s.section.role);
        check_unique_sigla(&sections, diags);
        // Each digest reads and hashes a source file: done in parallel, reported in order.
        let digests: Vec<Option<Diagnostic>> = sections
            .par_iter()
            .map(|s| check_source_digest(root, s))
            .collect();
        for d in digests.into_iter().flatten() {
            diags.push(d);
        }
        let figures: Vec<Diagnostics> = sections
            .par_iter_mut()
            .map(|s| read_figures(root, &mut s.section.blocks))
            .collect();
        for d in figures {
            diags.extend(d);
        }
        Manuscript { sections, complete }
    }
}

/// Reads the image of every figure of `blocks` from the project; what cannot be read is
/// reported at the figure.
fn read_figures(root: &Path, blocks: &mut [Block]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    crate::model::figures_mut(blocks, &mut |figure| {
        let image = crate::cover::project_image(
            root,
            &figure.path,
            figure.span,
            &crate::cover::ImageUse {
                noun: "the figure",
                key: "figure",
                example: "`![…](figures/leaf-1.png)`",
                missing: "put the image in the project (e.g. `figures/leaf-1.png`) and give its path from the project's folder",
            },
        );
        match image {
            Ok(image) => figure.image = Some(std::sync::Arc::new(image)),
            Err(d) => diags.push(*d),
        }
    });
    diags
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
        editorial: front.role != crate::model::Role::Witness,
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
            language: front.language,
            file_name,
            title,
            witness: front.witness,
            blocks,
            // Numbered when the edition is resolved.
            numbers: Vec::new(),
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

/// Recomputes the digest of `sources/<source>` when that file is there; the problem found, if
/// any.
fn check_source_digest(root: &Path, s: &LoadedSection) -> Option<Diagnostic> {
    let w = s.section.witness.as_ref()?;
    let name = w.source.as_ref()?;
    let span = s.spans.source.unwrap_or(s.spans.whole);
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Some(
            Diagnostic::error(format!(
                "`source: {name}` must be a file name in `sources/`"
            ))
            .at(span, "not a plain file name")
            .hint("keep the source file in the edition's `sources/` folder and give its name only"),
        );
    }
    let path = root.join("sources").join(name);
    let Ok(bytes) = std::fs::read(&path) else {
        return Some(
            Diagnostic::warning(format!(
                "source file `sources/{name}` was not found; its digest was not checked"
            ))
            .at(span, "source"),
        );
    };
    let actual = hex(&Sha256::digest(&bytes));
    match (&w.source_sha256, s.spans.source_sha256) {
        (Some(recorded), Some(digest_span)) if !recorded.eq_ignore_ascii_case(&actual) => Some(
            Diagnostic::error(format!("the digest of `sources/{name}` does not match"))
                .at(digest_span, "recorded digest")
                .hint(format!("the file's SHA-256 is {actual}; if the source changed on purpose, record the new digest and review the transcription")),
        ),
        (None, _) => Some(
            Diagnostic::warning(format!(
                "no `source-sha256` is recorded for `sources/{name}`"
            ))
            .at(span, "source")
            .hint(format!("add `source-sha256: {actual}`")),
        ),
        _ => None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
