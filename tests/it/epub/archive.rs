//! The EPUB tests' part of the harness: the EPUBs of the seed and the fixture editions, and
//! reading them back — the archive's entries, XHTML documents, their text.

use crate::harness::{compare_snapshot, edition, fixtures, fold, repo, subdirs};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use variorum::epub::{CoverImage, EpubOptions};
use variorum::fonts::FontSet;
use variorum::model::Edition;
use variorum::page_list::PageList;
use variorum::typeset::TypesetOptions;

/// A fixture edition under `tests/fixtures/valid/`.
pub fn fixture(name: &str) -> PathBuf {
    fixtures().join("valid").join(name)
}

/// Every project the tests build: the seed edition and each fixture.
pub fn all_projects() -> Vec<PathBuf> {
    let mut out = vec![repo().to_path_buf()];
    out.extend(
        subdirs(&fixtures().join("valid"))
            .into_iter()
            .filter(|p| p.join("footnotes.yaml").is_file()),
    );
    out
}

/// The project's font set: its `fonts/` folder, when it has one, and the built-in faces.
pub fn fonts(root: &Path) -> std::sync::Arc<FontSet> {
    std::sync::Arc::new(FontSet::load(root, false).expect("fonts load"))
}

/// The EPUB of a project as `build` writes it: with its generated cover (set in the
/// repository's fonts when the project has none) and the page numbers of its PDF.
pub fn epub(root: &Path) -> Vec<u8> {
    let edition = edition(root);
    let cover = cover(&edition, root);
    let options = EpubOptions {
        fonts: fonts(root),
        modified: None,
        cover: Some(cover.clone()),
        extra_css: None,
    };
    let pages = page_list(&edition, root, &cover);
    let mut out = std::io::Cursor::new(Vec::new());
    variorum::epub::write_paged(&edition, &options, || Some(pages), &mut out)
        .expect("the EPUB is written");
    out.into_inner()
}

/// The pagination of a project's PDF, its cover first unless its design leaves it out.
pub fn page_list(edition: &Edition, root: &Path, cover: &CoverImage) -> PageList {
    let be = |at: usize| u32::from_be_bytes(cover.bytes[at..at + 4].try_into().unwrap());
    let image = variorum::layout::ImageData {
        bytes: cover.bytes.clone(),
        format: variorum::layout::ImageFormat::Png,
        pixel_width: be(16),
        pixel_height: be(20),
    };
    let options = TypesetOptions {
        fonts: fonts(root),
        cover: edition
            .meta
            .design
            .pdf_cover
            .unwrap_or(true)
            .then(|| (std::sync::Arc::new(image), cover.alt.clone())),
        ..Default::default()
    };
    let mut pages = None;
    variorum::typeset::typeset(edition, &options, None::<std::io::Sink>, |p| {
        pages = Some(p)
    })
    .expect("the edition lays out");
    pages.expect("the layout gives its pages")
}

/// The generated cover of a project's edition, drawn once per project and test run.
pub fn cover(edition: &Edition, root: &Path) -> CoverImage {
    static COVERS: std::sync::Mutex<BTreeMap<PathBuf, CoverImage>> =
        std::sync::Mutex::new(BTreeMap::new());
    if let Some(cover) = COVERS.lock().unwrap().get(root) {
        return cover.clone();
    }
    let fonts = FontSet::load(root, false).expect("the fonts load");
    let image = variorum::cover::typographic(&edition.meta, &fonts).expect("a cover");
    let cover = CoverImage {
        bytes: image.bytes,
        jpeg: false,
        alt: variorum::cover::alt_text(&edition.meta),
    };
    COVERS
        .lock()
        .unwrap()
        .insert(root.to_path_buf(), cover.clone());
    cover
}

/// The EPUB of an edition, in memory.
pub fn epub_bytes(edition: &Edition, options: &EpubOptions) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    variorum::epub::write(edition, options, &mut out).expect("the EPUB is written");
    out.into_inner()
}

/// The archive's entries by name, in archive order.
pub fn entries(epub: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().to_owned(), bytes)
        })
        .collect()
}

/// The XHTML documents of an EPUB, by file name inside `OEBPS/`.
pub fn xhtml(epub: &[u8]) -> BTreeMap<String, String> {
    entries(epub)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".xhtml"))
        .map(|(name, bytes)| {
            (
                name.trim_start_matches("OEBPS/").to_owned(),
                String::from_utf8(bytes).expect("UTF-8"),
            )
        })
        .collect()
}

/// One entry's text.
pub fn entry_text(epub: &[u8], name: &str) -> String {
    let (_, bytes) = entries(epub)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no `{name}` in the EPUB"));
    String::from_utf8(bytes).unwrap()
}

/// Parses an XHTML document (which has a `<!DOCTYPE html>`).
pub fn parse(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

/// Text content of an element, note marks left out, white space folded.
pub fn text_without_marks(node: roxmltree::Node) -> String {
    let mut out = String::new();
    collect_text(node, &mut out);
    fold(&out)
}

fn collect_text(node: roxmltree::Node, out: &mut String) {
    for child in node.children() {
        if child.is_text() {
            out.push_str(child.text().unwrap_or_default());
        } else if child.is_element() {
            // A mark, or the comma between two marks after one word.
            let is_mark = child.attribute(("http://www.idpf.org/2007/ops", "type"))
                == Some("noteref")
                || child.attribute("class") == Some("noteref-sep");
            // A paragraph's citable number, furniture like a mark.
            let is_number = child.attribute("class") == Some("para-number");
            if !is_mark && !is_number {
                collect_text(child, out);
            }
            if child.tag_name().name() == "br" {
                out.push(' ');
            }
        }
    }
}

/// Compares `actual` with `tests/snapshots/<name>`, or rewrites it with `UPDATE_SNAPSHOTS=1`.
pub fn snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if let Err(mismatch) = compare_snapshot(&path, actual) {
        panic!("snapshot {name}: {mismatch}");
    }
}
