//! Any edition's text (#13) on the `gettysburg` fixture, three copies of Lincoln's address:
//! a table, a figure with its caption, a deletion, code spans, a witness with its own heading,
//! a thematic break, a note on the introduction and two marks after one word. It builds and
//! validates, its pages and chapters match their snapshots, and the contents, the nav and
//! the PDF outline list the same parts in the same order. The `web-capture` fixture, a
//! captured page, keeps the words of links that lead nowhere as plain text in both outputs.

use crate::epub::archive::{entry_text, epub, fixture, parse, snapshot};
use crate::harness::{build, edition, Scratch};
use crate::validators::{epubcheck, run};
use std::path::PathBuf;

fn gettysburg() -> PathBuf {
    fixture("gettysburg")
}

#[test]
fn gettysburg_builds_and_passes_the_validators() {
    let scratch = Scratch::new("gettysburg");
    let out = scratch.path().join("out");
    let built = build(&gettysburg(), &out);
    assert_eq!(built.code, Some(0), "{}", built.stderr);
    let file = |ext: &str| {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap_or_else(|| panic!("no .{ext} written"))
    };
    let (epub_file, pdf) = (file("epub"), file("pdf"));
    if let Err(report) = epubcheck(&epub_file) {
        panic!("epubcheck:\n{report}");
    }
    let pdf = pdf.to_str().unwrap();
    if let Some((ok, report)) = run("qpdf", &["--check", pdf]) {
        assert!(ok && !report.contains("WARNING"), "{report}");
    }
    if let Some((ok, report)) = run("pdffonts", &[pdf]) {
        assert!(ok, "{report}");
        for line in report.lines().skip(2) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            let n = columns.len();
            assert!(
                n >= 5 && columns[n - 5] == "yes" && columns[n - 4] == "yes",
                "a font is not embedded and subset: {line}"
            );
        }
    }
    if let Some((ok, text)) = run("pdftotext", &[pdf, "-"]) {
        assert!(ok, "{text}");
        let folded = crate::harness::fold(&text);
        // The deletion's words are still text; the table's cells, the caption, the heading
        // of the Bliss copy and the human dates are set.
        for expected in [
            "We are met to dedicate here",
            "Nicolay N November 1863 Library of Congress",
            "The first leaf (a drawing made for this fixture, not a facsimile)",
            "Address delivered at the dedication of the Cemetery at Gettysburg.",
            "22 November 2026",
            "The White House · March 1864",
            "God⁶,⁷",
        ] {
            assert!(
                folded.contains(expected),
                "`{expected}` is not in:\n{folded}"
            );
        }
        // Editorial text gets typographic punctuation; witness text keeps its own.
        assert!(
            folded.contains("“typographic” quotes – and dashes –"),
            "{folded}"
        );
        assert!(
            folded.contains("that \"all men are created equal\""),
            "{folded}"
        );
        assert!(
            folded.contains("we can not dedicate -- we can not"),
            "{folded}"
        );
    }
}

#[test]
fn gettysburg_chapters_and_pages_match_their_snapshots() {
    let bytes = epub(&gettysburg());
    for (snapshot_name, entry) in [
        ("gettysburg-front-1.xhtml", "OEBPS/front-1.xhtml"),
        ("gettysburg-witness-n.xhtml", "OEBPS/witness-n.xhtml"),
        ("gettysburg-witness-h.xhtml", "OEBPS/witness-h.xhtml"),
        ("gettysburg-witness-b.xhtml", "OEBPS/witness-b.xhtml"),
        ("gettysburg-nav.xhtml", "OEBPS/nav.xhtml"),
    ] {
        snapshot(snapshot_name, &entry_text(&bytes, entry));
    }
    let opf = entry_text(&bytes, "OEBPS/content.opf");
    assert!(
        opf.contains("href=\"figures/figure-1.png\"") && opf.contains("image/png"),
        "the figure is in the manifest:\n{opf}"
    );
    let edition = edition(&gettysburg());
    let document =
        variorum::layout::lay_out(&edition, &variorum::layout::LayoutOptions::default()).unwrap();
    snapshot("gettysburg-layout.txt", &variorum::layout::dump(&document));
}

/// `(level, title)` of every entry of a nav or contents list, from its `<ol>`.
fn list_entries(node: roxmltree::Node, level: u8, out: &mut Vec<(u8, String)>) {
    for li in node.children().filter(|n| n.has_tag_name("li")) {
        if let Some(a) = li.children().find(|n| n.has_tag_name("a")) {
            let title: String = a
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            out.push((level, title.trim().to_owned()));
        }
        for ol in li.children().filter(|n| n.has_tag_name("ol")) {
            list_entries(ol, level + 1, out);
        }
    }
}

/// The entries of the first `<ol>` under the element with `id`, from the contents on.
fn entries_from_contents(xhtml: &str, id: &str, contents: &str) -> Vec<(u8, String)> {
    let doc = parse(xhtml);
    let root = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no #{id}"));
    let ol = root
        .descendants()
        .find(|n| n.has_tag_name("ol"))
        .expect("a list");
    let mut out = Vec::new();
    list_entries(ol, 0, &mut out);
    let at = out.iter().position(|(_, t)| t == contents).unwrap_or(0);
    out.split_off(at)
}

#[test]
fn contents_nav_and_outline_list_the_same_parts_in_the_same_order() {
    for root in [
        gettysburg(),
        fixture("backmatter"),
        crate::harness::repo().into(),
    ] {
        let edition = edition(&root);
        let contents = edition
            .meta
            .labels
            .get(variorum::labels::Label::Contents)
            .to_owned();
        let document =
            variorum::layout::lay_out(&edition, &variorum::layout::LayoutOptions::default())
                .unwrap();
        let outline: Vec<(u8, String)> = document
            .outline
            .iter()
            .map(|e| (e.level, e.title.clone()))
            .collect();
        let bytes = epub(&root);
        let nav = entries_from_contents(&entry_text(&bytes, "OEBPS/nav.xhtml"), "toc", &contents);
        assert_eq!(nav, outline, "{}: the nav and the outline", root.display());
        // The EPUB's contents page lists what follows it.
        let mut page = vec![(0, contents.clone())];
        let xhtml = entry_text(&bytes, "OEBPS/contents.xhtml");
        let doc = parse(&xhtml);
        let ol = doc
            .descendants()
            .find(|n| n.has_tag_name("ol"))
            .expect("the contents list");
        list_entries(ol, 0, &mut page);
        assert_eq!(
            page,
            outline,
            "{}: the contents and the outline",
            root.display()
        );
    }
}

/// The words of the links a capture keeps that cannot be followed, as the page shows them.
const UNFOLLOWED: [&str; 9] = [
    "Home",
    "About",
    "Contact",
    "Skip to the text",
    "the password file",
    "file:///etc/shadow",
    "Back to the top",
    "Print this page",
    "the archive",
];

#[test]
fn links_that_cannot_be_followed_are_plain_text_in_both_outputs_and_web_links_stay() {
    let root = fixture("web-capture");
    let bytes = epub(&root);
    let mut anchors = Vec::new();
    let mut text = String::new();
    for name in ["OEBPS/front-1.xhtml", "OEBPS/witness-w.xhtml"] {
        let xhtml = entry_text(&bytes, name);
        let doc = parse(&xhtml);
        for a in doc.descendants().filter(|n| n.has_tag_name("a")) {
            let words: String = a
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            anchors.push((words, a.attribute("href").unwrap_or("").to_owned()));
        }
        text.push_str(&crate::harness::fold(
            &doc.descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect::<String>(),
        ));
    }
    for words in UNFOLLOWED {
        assert!(text.contains(words), "`{words}` is not in the EPUB: {text}");
        assert!(
            !anchors.iter().any(|(w, _)| w.contains(words)),
            "`{words}` is a link in the EPUB: {anchors:?}"
        );
    }
    assert!(
        text.contains("Home · About · Contact · Skip to the text"),
        "{text}"
    );
    for web in [
        ("the example domain", "https://example.org/reading-room"),
        (
            "the page that explains both",
            "https://example.org/catalogues",
        ),
    ] {
        assert!(
            anchors.iter().any(|(w, h)| w == web.0 && h == web.1),
            "{web:?} is not a link: {anchors:?}"
        );
    }
    let scratch = Scratch::new("web-capture");
    let pdf = crate::tagged::build_pdf(&root, &scratch, &[]);
    if let Some((ok, pdf_text)) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]) {
        assert!(ok);
        let folded = crate::harness::fold(&pdf_text);
        for words in UNFOLLOWED {
            assert!(folded.contains(words), "`{words}` is not in the PDF");
        }
    }
    if let Some(report) = crate::tagged::structure(&pdf) {
        // Only web addresses are link annotations: the page's, in the introduction, the
        // witness's header and the Witnesses table, and the one the article links to.
        let mut uris = report.values("link_uri");
        uris.sort_unstable();
        uris.dedup();
        assert_eq!(
            uris,
            [
                "https://example.org/catalogues",
                "https://example.org/reading-room"
            ]
        );
    }
}

#[test]
fn web_capture_pages_and_chapter_match_their_snapshots_with_breaks_and_a_smaller_wide_table() {
    let root = fixture("web-capture");
    let bytes = epub(&root);
    let chapter = entry_text(&bytes, "OEBPS/witness-w.xhtml");
    // Both section breaks are there, as the EPUB's ornament.
    assert_eq!(chapter.matches("<hr/>").count(), 2, "{chapter}");
    snapshot("web-capture-witness-w.xhtml", &chapter);
    let edition = edition(&root);
    let options = variorum::layout::LayoutOptions::default();
    let document = variorum::layout::lay_out(&edition, &options).unwrap();
    // The two ornaments, each its own line of the body; the table's cells smaller than the
    // notes' type (a table this wide would not fit at it), but no smaller than 75% of it.
    let runs: Vec<&variorum::layout::GlyphRun> = document
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            variorum::layout::Item::Glyphs(run) => Some(run),
            _ => None,
        })
        .collect();
    let ornaments = runs.iter().filter(|r| r.text == "*\u{2003}*\u{2003}*");
    assert_eq!(ornaments.count(), 2);
    let cell = runs
        .iter()
        .find(|r| r.text == "Manuscripts")
        .expect("the table");
    let note = runs
        .iter()
        .find(|r| r.text.contains("the capture was made"))
        .expect("note 3");
    assert!(
        cell.size < note.size - 0.1 && cell.size >= note.size * 0.75 - 0.01,
        "cells at {} pt, notes at {} pt",
        cell.size,
        note.size
    );
    snapshot("web-capture-layout.txt", &variorum::layout::dump(&document));
}
