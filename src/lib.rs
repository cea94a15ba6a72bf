//! Variorum builds annotated critical editions.
//!
//! The pipeline, one module a stage:
//! 1. **load**: [`manuscript`] reads `manuscript/*.md` (front matter and Markdown) and
//!    [`apparatus`] reads `footnotes.yaml`, both into values with source spans;
//! 2. **resolve**: [`resolve`] anchors every note in its witness, checks the quotations of its
//!    readings, numbers the notes in reading order and the witnesses' paragraphs, and gives
//!    the [`model::Edition`]; [`select`] cuts a handout (`--only`) from it;
//! 3. **render**: [`cover`] draws the cover both outputs show; [`typeset`] has `layout`
//!    set the pages and streams them to `pdf`, which serializes them, noting where each
//!    page begins ([`page_list`]); `epub` writes the ebook, with the print edition's page
//!    numbers.
//!
//! Problems are collected as [`diag::Diagnostic`] values and rendered once, by the caller.

pub mod apparatus;
pub mod back_matter;
pub mod bibliography;
pub mod cover;
pub(crate) mod design;
pub mod diag;
pub mod epub;
#[doc(hidden)]
pub mod files;
pub mod fonts;
pub mod labels;
pub mod layout;
pub mod manuscript;
pub mod model;
pub mod new;
pub mod output;
pub mod page_list;
pub mod pdf;
pub mod resolve;
pub mod select;
pub mod serve;
pub mod source;
pub mod timeline;
pub mod typeset;
pub(crate) mod yaml;

use diag::Diagnostics;
use model::Edition;
use source::SourceMap;
use std::path::{Path, PathBuf};

/// The outcome of loading and resolving a project.
#[derive(Debug)]
pub struct Checked {
    /// Every file read, for rendering the diagnostics.
    pub sources: SourceMap,
    pub diagnostics: Diagnostics,
    /// The edition, when no errors were found.
    pub edition: Option<Edition>,
}

/// Loads the project at `root`, anchors every note and reports every problem found.
pub fn check(root: &Path) -> Checked {
    let mut sources = SourceMap::default();
    let mut diagnostics = Diagnostics::default();
    let (manuscript, apparatus) = load(root, &mut sources, &mut diagnostics);
    let bibliography = bibliography::load(root, &mut sources, &mut diagnostics);
    let edition = apparatus.and_then(|mut apparatus| {
        let meta = apparatus.meta.take()?;
        let index_entries = std::mem::take(&mut apparatus.index);
        let events = std::mem::take(&mut apparatus.events);
        let mut edition = resolve::resolve(manuscript, apparatus, meta, &mut diagnostics)?;
        // The editor's texts are indexed before anything is generated or rendered into them.
        let index = resolve::index::apply(&mut edition, &index_entries, &mut diagnostics);
        // The Chronology's table cites its sources: it is made before citations are rendered.
        resolve::chronology::apply(&mut edition, &events, &mut diagnostics);
        // A bibliography that could not be read has been reported; citations wait for it.
        if let Some(bibliography) = &bibliography {
            resolve::cite::apply(
                &mut edition,
                bibliography.as_ref(),
                &sources,
                &mut diagnostics,
            );
        }
        // The Index comes last.
        edition.sections.extend(index);
        // Every place is known now: links to names the book lacks are plain text.
        resolve::links::check_places(&mut edition, &mut diagnostics);
        Some(edition)
    });
    // The editor's cover image is checked with the rest, so that `check` passing means the
    // build shows it.
    if let Some(path) = edition.as_ref().and_then(|e| e.meta.cover.as_ref()) {
        if let Err(d) = cover::editors_image(root, path) {
            diagnostics.push(*d);
        }
    }
    if let Some(edition) = &edition {
        warn_unhyphenated(edition, &mut diagnostics);
    }
    diagnostics.sort();
    let edition = edition.filter(|_| !diagnostics.has_errors());
    Checked {
        sources,
        diagnostics,
        edition,
    }
}

/// One warning for each language of the edition that Variorum has no hyphenation patterns
/// for: its text is set unhyphenated.
fn warn_unhyphenated(edition: &Edition, diagnostics: &mut Diagnostics) {
    let mut languages: Vec<&str> = vec![edition.meta.language.as_str()];
    for i in 0..edition.sections.len() {
        let language = edition.language_of(i);
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    for language in languages {
        if !layout::has_hyphenation(language) {
            diagnostics.push(
                diag::Diagnostic::warning(format!(
                    "no hyphenation patterns for the language `{language}`; its text is set without hyphenation"
                ))
                .hint("patterns are built in for en, de, fr, es, it and ru"),
            );
        }
    }
}

/// The load stage: the manuscript and the apparatus, read and parsed side by side (the
/// apparatus's YAML is the longest single task, the manuscript's files spread over the other
/// threads). The result, file ids and problems included, is that of loading the manuscript,
/// then the apparatus, one after the other: ids are handed out between reading and parsing,
/// and each side's problems are collected apart and then reported in that order.
fn load(
    root: &Path,
    sources: &mut SourceMap,
    diagnostics: &mut Diagnostics,
) -> (manuscript::Manuscript, Option<apparatus::Apparatus>) {
    let (manuscript_files, apparatus_file) = rayon::join(
        || manuscript::read_files(root),
        || apparatus::read_file(root),
    );
    let manuscript_files = manuscript_files.register(sources);
    let mut apparatus_diagnostics = Diagnostics::default();
    let apparatus_file = apparatus_file.register(sources, &mut apparatus_diagnostics);
    let sources = &*sources;
    let (manuscript, apparatus) = rayon::join(
        || manuscript_files.parse(root, sources, diagnostics),
        || {
            let file = apparatus_file?;
            apparatus::read(file, sources.get(file), &mut apparatus_diagnostics)
        },
    );
    diagnostics.extend(apparatus_diagnostics);
    (manuscript, apparatus)
}

/// What `variorum build` needs beyond the project itself.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// `SOURCE_DATE_EPOCH`: when set, the time of every timestamp in the outputs; otherwise
    /// they take midnight of the edition's date. The edition's own date, as printed on its
    /// title pages, is never replaced.
    pub source_date_epoch: Option<model::Timestamp>,
    /// The output folder; `out/` inside the project when `None`.
    pub out: Option<PathBuf>,
    /// A handout: only these witnesses (by sigil), their notes and their readings.
    pub only: Option<Vec<String>>,
    /// The PDF's paper size (`--paper`), over the edition's `design.paper`.
    pub paper: Option<layout::Paper>,
    /// Add the machine's installed fonts to the font set (`--system-fonts`).
    pub system_fonts: bool,
    /// Only this output; both when `None`.
    pub format: Option<Format>,
    /// The standards the PDF is written to meet (`--pdf-standard`; PDF/UA-1 by default).
    pub pdf_standards: pdf::Standards,
}

/// One of the outputs `build` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Epub,
    Pdf,
}

/// The outcome of a build: the check's report plus any rendering problems, and the files
/// written (none when anything went wrong).
#[derive(Debug)]
pub struct Built {
    pub checked: Checked,
    pub written: Vec<PathBuf>,
}

/// The stages of a build, as reported to an observer (the binary's progress bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Loading and resolving the edition.
    Checking,
    /// Writing the EPUB and the PDF.
    Writing,
}

/// Checks the project, then writes every output beside its final place and moves them all
/// into place only when every one is complete.
pub fn build(root: &Path, options: &BuildOptions) -> Built {
    build_observed(root, options, &|_| {})
}

/// [`build`], telling `observe` as each stage begins.
pub fn build_observed(
    root: &Path,
    options: &BuildOptions,
    observe: &(dyn Fn(Stage) + Sync),
) -> Built {
    observe(Stage::Checking);
    let checked = check(root);
    observe(Stage::Writing);
    build_checked(root, options, checked)
}

/// The edition to write: the whole of it, or the handout `--only` asks for.
pub fn selected<'a>(
    full: &'a Edition,
    options: &BuildOptions,
) -> Result<std::borrow::Cow<'a, Edition>, Box<diag::Diagnostic>> {
    let Some(sigla) = &options.only else {
        return Ok(std::borrow::Cow::Borrowed(full));
    };
    select::only(full, sigla)
        .map(std::borrow::Cow::Owned)
        .map_err(|unknown| {
            let sigla: Vec<&str> = full.witnesses().map(|(_, w)| w.sigil.as_str()).collect();
            let mut d = diag::Diagnostic::error(format!(
                "`--only` names no witness {}",
                unknown.join(", ")
            ));
            for u in &unknown {
                if let Some(s) = diag::did_you_mean_ignoring_case(u, &sigla) {
                    d = d.hint(format!("did you mean `{s}` for `{u}`?"));
                }
            }
            Box::new(d.hint(format!("the witnesses are {}", sigla.join(", "))))
        })
}

/// The second half of [`build`]: writes the outputs of an edition already checked.
pub fn build_checked(root: &Path, options: &BuildOptions, mut checked: Checked) -> Built {
    let built = |checked: &Checked| -> Result<Vec<PathBuf>, Box<diag::Diagnostic>> {
        let Some(full) = &checked.edition else {
            return Ok(Vec::new());
        };
        let edition = selected(full, options)?;
        let out = options.out.clone().unwrap_or_else(|| root.join("out"));
        let dir = output::prepare_dir(root, &out)?;
        let staging = output::Staging::new(&dir);
        write_outputs(&edition, root, options, &checked.sources, &staging)?;
        staging.commit()
    };
    let written = match built(&checked) {
        Ok(written) => written,
        Err(d) => {
            checked.diagnostics.push(*d);
            checked.edition = None;
            Vec::new()
        }
    };
    Built { checked, written }
}

/// Writes the outputs of the edition (both, or the one `options.format` names) into
/// `staging`, each streamed as it is made, the EPUB on a thread of its own beside the PDF.
/// The EPUB carries the PDF's page numbers: it plans its pages while the edition is laid
/// out, then waits for the page list, which the layout hands over as soon as every page is
/// set. An EPUB built alone is laid out all the same (the PDF is not written), so that it is
/// the same file whichever outputs are asked for. Should both fail, the PDF's problem is
/// reported.
fn write_outputs(
    edition: &Edition,
    root: &Path,
    options: &BuildOptions,
    sources: &SourceMap,
    staging: &output::Staging,
) -> Result<(), Box<diag::Diagnostic>> {
    let slug = select::file_stem(edition);
    let fonts = std::sync::Arc::new(read_fonts(root, edition, options.system_fonts)?);
    let cover = cover::cover(&edition.meta, root, &fonts)?;
    let typeset_options = typeset::TypesetOptions {
        fonts: fonts.clone(),
        paper: options.paper,
        modified: options.source_date_epoch,
        standards: options.pdf_standards,
        cover: edition
            .meta
            .design
            .pdf_cover
            .unwrap_or(true)
            .then(|| (cover.image.clone(), cover.alt.clone())),
    };
    let (send, receive) = std::sync::mpsc::channel::<page_list::PageList>();
    // Dropped with the typesetting, sent or not: the EPUB never waits for a layout that
    // failed.
    let paginated = move |pages| {
        // The EPUB's side is gone only when it failed; its problem is reported.
        let _ = send.send(pages);
    };
    let typeset_error = |e| Box::new(typeset_diagnostic(e, sources));
    let write_pdf = |paginated| {
        staging.write(&format!("{slug}.pdf"), |out| {
            typeset::typeset(edition, &typeset_options, Some(out), paginated)
                .map(drop)
                .map_err(typeset_error)
        })
    };
    let lay_out = |paginated| {
        typeset::typeset(edition, &typeset_options, None::<std::io::Sink>, paginated)
            .map(drop)
            .map_err(typeset_error)
    };
    let write_epub = || {
        staging.write(&format!("{slug}.epub"), |out| {
            write_epub(
                edition,
                root,
                options,
                fonts.clone(),
                &cover,
                move || receive.recv().ok(),
                out,
            )
        })
    };
    if options.format == Some(Format::Pdf) {
        return write_pdf(paginated);
    }
    std::thread::scope(|scope| {
        let epub = scope.spawn(write_epub);
        let pdf = match options.format {
            Some(Format::Epub) => lay_out(paginated),
            _ => write_pdf(paginated),
        };
        let epub = epub
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        pdf.and(epub)
    })
}

/// Writes the EPUB of `edition` (already selected) into `out`; `page_list` gives the print
/// edition's pagination when the EPUB is ready for it (`None`: no page numbers).
pub fn write_epub<W: std::io::Write + std::io::Seek>(
    edition: &Edition,
    root: &Path,
    options: &BuildOptions,
    fonts: std::sync::Arc<fonts::FontSet>,
    cover: &cover::Cover,
    page_list: impl FnOnce() -> Option<page_list::PageList>,
    out: &mut W,
) -> Result<(), Box<diag::Diagnostic>> {
    let epub_error =
        |e: epub::EpubError| Box::new(diag::Diagnostic::error(e.to_string()).hint(e.hint()));
    let extra_css = match std::fs::read(root.join("epub.css")) {
        Ok(bytes) => Some(String::from_utf8(bytes).map_err(|_| {
            Box::new(
                diag::Diagnostic::error("`epub.css` is not UTF-8 text")
                    .hint("save the stylesheet as UTF-8"),
            )
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Box::new(diag::Diagnostic::error(format!(
                "cannot read `epub.css`: {e}"
            ))))
        }
    };
    let options = epub::EpubOptions {
        fonts,
        extra_css,
        modified: options.source_date_epoch,
        cover: Some(epub::CoverImage {
            bytes: cover.image.bytes.clone(),
            jpeg: cover.image.format == layout::ImageFormat::Jpeg,
            alt: cover.alt.clone(),
        }),
    };
    epub::write_paged(edition, &options, page_list, out).map_err(epub_error)
}

/// The build's font set, read once for both outputs, with the family `design.font` names.
pub(crate) fn read_fonts(
    root: &Path,
    edition: &Edition,
    system: bool,
) -> Result<fonts::FontSet, Box<diag::Diagnostic>> {
    let set = fonts::FontSet::load(root, system).map_err(|e| {
        Box::new(diag::Diagnostic::error(e.to_string()).hint(
            "replace the file with a TrueType or OpenType font (.ttf, .otf, .ttc), or remove it from `fonts/`",
        ))
    })?;
    if let Some((name, span)) = &edition.meta.design.font {
        if let Err(families) = set.find_family(name) {
            let d = diag::Diagnostic::error(format!("no font family `{name}`"))
                .at(*span, "not among the fonts");
            let d = match diag::did_you_mean(name, &families) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d,
            };
            return Err(Box::new(d.hint(format!(
                "the families are {} (add the family's files to `fonts/`; a face is known by the family in its name table, not its file name)",
                families.join(", ")
            ))));
        }
    }
    Ok(set)
}

/// A typesetting problem as a diagnostic.
fn typeset_diagnostic(error: typeset::TypesetError, sources: &SourceMap) -> diag::Diagnostic {
    match error {
        typeset::TypesetError::Layout(e) => layout_diagnostic(e, sources),
        typeset::TypesetError::Standard {
            message,
            span,
            hint,
        } => {
            let d = diag::Diagnostic::error(message);
            match span {
                Some(span) => d.at(span, "here"),
                None => d,
            }
            .hint(hint)
        }
        typeset::TypesetError::Write(e) => diag::Diagnostic::error(format!("cannot write the PDF: {e}"))
            .hint("check that the output folder is writable and the disk is not full; the previous outputs are untouched"),
    }
}

/// A layout problem as a diagnostic, pointing at the very character no font covers.
fn layout_diagnostic(error: layout::LayoutError, sources: &SourceMap) -> diag::Diagnostic {
    let message = error.to_string();
    match error {
        layout::LayoutError::UncoveredCharacter {
            character,
            span: Some(span),
            ..
        } => {
            let text = &sources.get(span.file).text;
            let at = text
                .get(span.start..span.end)
                .and_then(|run| run.find(character))
                .map(|i| {
                    let start = span.start + i;
                    source::Span::new(span.file, start, start + character.len_utf8())
                })
                .unwrap_or(span);
            let (script, font) = fonts::script_and_suggestion(character);
            diag::Diagnostic::error(message)
                .at(at, format!("no font has this {script} character"))
                .hint(format!(
                    "add a font that covers {script} to `fonts/`, such as {font}, or replace the character"
                ))
        }
        _ => diag::Diagnostic::error(message),
    }
}

/// A file-name stem from a title: lowercase ASCII letters and digits joined by `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "edition".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs() {
        assert_eq!(
            super::slug("The Letter to Gorbachev"),
            "the-letter-to-gorbachev"
        );
        assert_eq!(super::slug("«Письмо»"), "edition");
        assert_eq!(super::slug("A: b -- c!"), "a-b-c");
    }
}
