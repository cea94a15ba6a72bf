//! The print edition's page numbers in the EPUB, checked against the PDF of the same build
//! with `pdftotext`: one page-break marker per PDF page, in order, each between words (never
//! in a note mark), the text before the marker of page N ending with the words that end
//! page N − 1 of the PDF and the text after it beginning with the words that begin page N;
//! the nav's page-list listing every marker; the accessibility metadata naming the PDF
//! edition and its paper. On the seed, a fixture, A5 paper and a handout (`--only`).

use super::archive::{entries, entry_text, fixture, parse};
use crate::harness::{build_succeeding, copy_seed, output, repo, CreationOrder, Scratch};
use crate::validators::{epubcheck, run};
use std::path::{Path, PathBuf};

/// Builds `project` with `extra` arguments into `out`; the EPUB's bytes and the PDF's path.
fn build(project: &Path, out: &Path, extra: &[&str]) -> (Vec<u8>, PathBuf) {
    let files = build_succeeding(project, out, extra);
    (
        std::fs::read(output(&files, "epub")).unwrap(),
        output(&files, "pdf"),
    )
}

/// A word of a PDF page as `pdftotext -bbox-layout` gives it.
struct PdfWord {
    text: String,
    height: f32,
}

/// The words of each PDF page, in pdftotext's reading order; `None` without poppler.
fn pdf_pages(pdf: &Path) -> Option<Vec<Vec<PdfWord>>> {
    let (ok, info) = run("pdfinfo", &[pdf.to_str().unwrap()])?;
    assert!(ok, "{info}");
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count");
    let mut pages = Vec::new();
    for k in 1..=count {
        let k = k.to_string();
        let (ok, xml) = run(
            "pdftotext",
            &[
                "-bbox-layout",
                "-f",
                &k,
                "-l",
                &k,
                pdf.to_str().unwrap(),
                "-",
            ],
        )?;
        assert!(ok, "pdftotext failed on page {k}");
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(&xml, options)
            .expect("pdftotext's XHTML parses");
        let number = |n: &roxmltree::Node, a: &str| -> f32 {
            n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        };
        let words = doc
            .descendants()
            .filter(|n| n.has_tag_name("word"))
            .map(|n| PdfWord {
                text: n.text().unwrap_or_default().to_owned(),
                height: number(&n, "yMax") - number(&n, "yMin"),
            })
            .collect();
        pages.push(words);
    }
    Some(pages)
}

/// The height of the body text's words: the largest height that at least a sixth of all the
/// words have (footnotes, running heads, folios, margin numbers and marks are smaller;
/// headings larger, and rarer).
fn body_height(pages: &[Vec<PdfWord>]) -> f32 {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    let total = pages.iter().map(Vec::len).sum::<usize>();
    for word in pages.iter().flatten() {
        *counts
            .entry((word.height * 10.0).round() as i32)
            .or_default() += 1;
    }
    let common = counts
        .iter()
        .filter(|(_, &n)| n * 6 >= total)
        .map(|(&h, _)| h)
        .max()
        .expect("some words are common");
    common as f32 / 10.0
}

/// A page's text in the body's type or larger: what the ebook's running text holds (the
/// running head, folio, margin numbers, note marks and the footnotes are smaller).
fn main_words(page: &[PdfWord], body: f32) -> Vec<String> {
    page.iter()
        .filter(|w| w.height >= body * 0.97)
        .map(|w| w.text.clone())
        .collect()
}

/// Letters and digits only, lowercased, superscript digits (note marks) dropped: words
/// compared without their punctuation, which pdftotext and the XHTML space differently.
fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric() && !"⁰¹²³⁴⁵⁶⁷⁸⁹".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a marker sees in the ebook: the text of its document before it and after it, and
/// whether it stands between words.
struct Marker {
    label: String,
    file: String,
    before: String,
    after: String,
    /// The character before the marker is a space, or nothing precedes it in its block.
    between_words: bool,
    in_note_mark: bool,
}

/// The page-break markers of the EPUB in reading order (the spine's).
fn markers(epub: &[u8]) -> Vec<Marker> {
    let opf = entry_text(epub, "OEBPS/content.opf");
    let doc = roxmltree::Document::parse(&opf).unwrap();
    let href = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("item") && n.attribute("id") == Some(id))
            .and_then(|n| n.attribute("href"))
            .unwrap()
            .to_owned()
    };
    let spine: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| href(n.attribute("idref").unwrap()))
        .collect();
    let mut out = Vec::new();
    for file in spine {
        let text = entry_text(epub, &format!("OEBPS/{file}"));
        let doc = parse(&text);
        // The running text with a private-use character where each marker stands.
        let mut flat = String::new();
        let mut found: Vec<(String, bool)> = Vec::new();
        let body = doc.descendants().find(|n| n.has_tag_name("body")).unwrap();
        walk(body, &mut flat, &mut found, false);
        let pieces: Vec<&str> = flat.split('\u{E000}').collect();
        for (k, (label, in_mark)) in found.into_iter().enumerate() {
            let before: String = pieces[..=k].concat();
            let after: String = pieces[k + 1..].concat();
            let between_words = before
                .chars()
                .last()
                .is_none_or(|c| c.is_whitespace() || c == '\n');
            out.push(Marker {
                label,
                file: file.clone(),
                before,
                after,
                between_words,
                in_note_mark: in_mark,
            });
        }
    }
    out
}

/// The text under `node` as a reader reads it: note marks, their separators and paragraph
/// numbers left out, block elements on lines of their own, and the notes (at the end of a
/// chapter) left out.
fn walk(node: roxmltree::Node, flat: &mut String, found: &mut Vec<(String, bool)>, in_mark: bool) {
    for child in node.children() {
        if child.is_text() {
            if !in_mark {
                flat.push_str(child.text().unwrap_or_default());
            }
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let class = child.attribute("class").unwrap_or_default();
        let pagebreak = child
            .attributes()
            .any(|a| a.name() == "type" && a.value() == "pagebreak");
        if pagebreak {
            flat.push('\u{E000}');
            found.push((child.attribute("aria-label").unwrap().to_owned(), in_mark));
            continue;
        }
        if class == "notes" || class == "para-number" {
            continue;
        }
        let mark = in_mark || class == "noteref" || class == "noteref-sep";
        let block = matches!(
            child.tag_name().name(),
            "p" | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "li"
                | "tr"
                | "td"
                | "th"
                | "div"
                | "section"
                | "header"
                | "figure"
                | "figcaption"
                | "blockquote"
                | "caption"
                | "dt"
                | "dd"
        );
        if block {
            flat.push('\n');
        }
        walk(child, flat, found, mark);
        if block {
            flat.push('\n');
        }
    }
}

/// The chapters of sections (the documents whose running text the layout sets as lines of
/// the body type); generated pages (cover, title page, contents, tables) are laid out
/// differently in print.
fn is_chapter(file: &str) -> bool {
    ["witness-", "front-", "back-"]
        .iter()
        .any(|p| file.starts_with(p))
}

/// Checks the markers of one build against its PDF; returns the number of page boundaries
/// compared word for word.
fn check_pages(name: &str, epub: &[u8], pdf: &Path) -> Option<usize> {
    let pages = pdf_pages(pdf)?;
    let body = body_height(&pages);
    let markers = markers(epub);
    // One marker per PDF page, in order: the cover's label, then the page numbers.
    let cover = pages[0].is_empty();
    let expected: Vec<String> = (0..pages.len())
        .map(|i| match (cover, i) {
            (true, 0) => "Cover".to_owned(),
            (true, i) => i.to_string(),
            (false, i) => (i + 1).to_string(),
        })
        .collect();
    let labels: Vec<&str> = markers.iter().map(|m| m.label.as_str()).collect();
    assert_eq!(
        labels, expected,
        "{name}: the markers are not the PDF's pages"
    );
    // The nav lists them all, in order, each linking to its marker.
    let nav = entry_text(epub, "OEBPS/nav.xhtml");
    let nav_doc = parse(&nav);
    let list = nav_doc
        .descendants()
        .find(|n| {
            n.has_tag_name("nav")
                && n.attributes()
                    .any(|a| a.name() == "type" && a.value() == "page-list")
        })
        .unwrap_or_else(|| panic!("{name}: no page-list in the nav"));
    assert_eq!(list.attribute("role"), Some("doc-pagelist"));
    assert!(
        list.attribute("aria-label").is_some(),
        "{name}: the page-list has no name"
    );
    let links: Vec<(String, String)> = list
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            (
                a.attribute("href").unwrap().to_owned(),
                a.text().unwrap().to_owned(),
            )
        })
        .collect();
    let wanted: Vec<(String, String)> = markers
        .iter()
        .map(|m| (format!("{}#page-{}", m.file, m.label), m.label.clone()))
        .collect();
    assert_eq!(
        links, wanted,
        "{name}: the page-list does not list the markers"
    );

    let mut compared = 0;
    for (i, marker) in markers.iter().enumerate() {
        assert!(
            !marker.in_note_mark,
            "{name}: page {} in a note mark",
            marker.label
        );
        assert!(
            marker.between_words,
            "{name}: page {} begins inside a word: …{}",
            marker.label,
            tail(&marker.before, 60)
        );
        if i == 0 || !is_chapter(&marker.file) {
            continue;
        }
        let before_words = letters(&marker.before);
        let previous = main_words(&pages[i - 1], body);
        let this = main_words(&pages[i], body);
        if before_words.is_empty() {
            // The page opens its document: the print page before it ends another part.
            assert!(
                markers[i - 1].file != marker.file,
                "{name}: page {} begins before the text of {}",
                marker.label,
                marker.file
            );
            continue;
        }
        // The words that end page N − 1, a word hyphenated across the break rejoined with
        // its end on page N (the marker then stands after the whole word).
        let mut last: Vec<String> = previous.iter().rev().take(4).rev().cloned().collect();
        let mut skip_first = 0;
        if let Some(end) = last.last_mut() {
            if end.ends_with('-') && !end.ends_with("--") {
                end.pop();
                end.push_str(this.first().map(String::as_str).unwrap_or_default());
                skip_first = 1;
            }
        }
        let ending = letters(&last.concat());
        assert!(
            !ending.is_empty() && before_words.ends_with(&ending),
            "{name}: the text before page {} ends …{} but PDF page {} ends {:?}",
            marker.label,
            tail(&marker.before, 80),
            markers[i - 1].label,
            last
        );
        let opening = letters(
            &this
                .iter()
                .skip(skip_first)
                .take(4)
                .cloned()
                .collect::<String>(),
        );
        assert!(
            letters(&marker.after).starts_with(&opening),
            "{name}: the text after page {} begins {}… but the PDF page begins {:?}",
            marker.label,
            head(&marker.after, 80),
            this.iter().take(5).collect::<Vec<_>>()
        );
        compared += 1;
    }
    // The metadata says so, naming the PDF edition and its paper.
    let opf = entry_text(epub, "OEBPS/content.opf");
    for feature in ["printPageNumbers", "pageBreakMarkers"] {
        assert!(
            opf.contains(&format!(
                "<meta property=\"schema:accessibilityFeature\">{feature}</meta>"
            )),
            "{name}: no accessibilityFeature {feature}"
        );
    }
    Some(compared)
}

fn tail(text: &str, n: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars[chars.len().saturating_sub(n)..]
        .iter()
        .collect::<String>()
        .replace('\n', "⏎")
}

fn head(text: &str, n: usize) -> String {
    text.chars().take(n).collect::<String>().replace('\n', "⏎")
}

/// The `pageBreakSource` the OPF gives.
fn page_break_source(epub: &[u8]) -> String {
    let opf = entry_text(epub, "OEBPS/content.opf");
    let start = opf
        .find("<meta property=\"pageBreakSource\">")
        .expect("a pageBreakSource")
        + "<meta property=\"pageBreakSource\">".len();
    let end = opf[start..].find("</meta>").unwrap() + start;
    opf[start..end].to_owned()
}

#[test]
fn the_seed_carries_its_pdf_pages() {
    let scratch = Scratch::new("page-list-seed");
    let (epub, pdf) = build(repo(), &scratch.path().join("out"), &[]);
    let Some(compared) = check_pages("seed", &epub, &pdf) else {
        return;
    };
    eprintln!("seed: {compared} page boundaries inside a text compared");
    assert!(compared >= 20, "only {compared} page boundaries compared");
    assert_eq!(
        page_break_source(&epub),
        "The Letter to Gorbachev, PDF edition, A4 (210 × 297 mm)"
    );
    let file = scratch.path().join("seed.epub");
    std::fs::write(&file, &epub).unwrap();
    if let Err(report) = epubcheck(&file) {
        panic!("{report}");
    }
    // A5 paginates differently; the EPUB follows.
    let (a5, pdf) = build(repo(), &scratch.path().join("a5"), &["--paper", "a5"]);
    let compared = check_pages("seed on A5", &a5, &pdf).unwrap_or_default();
    eprintln!("seed on A5: {compared} page boundaries inside a text compared");
    assert!(
        compared >= 30,
        "only {compared} page boundaries compared on A5"
    );
    assert!(markers(&a5).len() > markers(&epub).len());
    assert_eq!(
        page_break_source(&a5),
        "The Letter to Gorbachev, PDF edition, A5 (148 × 210 mm)"
    );
}

#[test]
fn fixtures_carry_their_pdf_pages_on_a4_and_a5() {
    let scratch = Scratch::new("page-list-fixture");
    let mut compared = 0;
    for name in ["gettysburg", "backmatter", "multilingual", "small"] {
        let project = fixture(name);
        let (a4, pdf) = build(&project, &scratch.path().join(name), &[]);
        let Some(count) = check_pages(name, &a4, &pdf) else {
            return;
        };
        eprintln!("{name}: {count} page boundaries inside a text compared");
        compared += count;
    }
    let project = fixture("gettysburg");
    let (a4, _) = build(&project, &scratch.path().join("a4"), &[]);
    let (a5, pdf) = build(&project, &scratch.path().join("a5"), &["--paper", "a5"]);
    let count = check_pages("gettysburg on A5", &a5, &pdf).unwrap_or_default();
    eprintln!("gettysburg on A5: {count} page boundaries inside a text compared");
    compared += count;
    assert!(
        compared >= 2,
        "only {compared} page boundaries inside a text compared"
    );
    assert!(page_break_source(&a5).ends_with("A5 (148 × 210 mm)"));
    let pages = |epub: &[u8]| markers(epub).len();
    assert!(pages(&a5) > pages(&a4), "A5 has more pages than A4");
}

#[test]
fn a_handout_carries_its_own_pdf_pages() {
    let scratch = Scratch::new("page-list-handout");
    let (epub, pdf) = build(repo(), &scratch.path().join("out"), &["--only", "A,C"]);
    let Some(_) = check_pages("handout A, C", &epub, &pdf) else {
        return;
    };
    assert!(
        page_break_source(&epub).ends_with("handout of witnesses A, C"),
        "{}",
        page_break_source(&epub)
    );
}

/// `--format epub` lays the edition out all the same: the EPUB is the one both formats give.
#[test]
fn an_epub_built_alone_is_the_same_file() {
    let scratch = Scratch::new("page-list-alone");
    let project = scratch.path().join("seed");
    copy_seed(&project, CreationOrder::ByName);
    let (both, _) = build(&project, &scratch.path().join("both"), &[]);
    let files = build_succeeding(
        &project,
        &scratch.path().join("alone"),
        &["--format", "epub"],
    );
    let alone = output(&files, "epub");
    let alone = std::fs::read(alone).unwrap();
    assert!(entries(&alone).len() > 5);
    assert!(alone == both, "the EPUB differs when built alone");
}
