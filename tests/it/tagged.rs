//! The tagged PDF (PDF/UA-1 by default, PDF/A on request), read from outside with pikepdf
//! (`tests/pdf/structure.py`) and poppler: the structure tree's elements on the seed and on
//! fixture editions with tables, lists, quotes, figures and other languages; no drawing
//! outside marked content; note marks that copy as superscripts; the standards' metadata.

use std::path::{Path, PathBuf};

use crate::harness::{build_succeeding, copy_dir, fixtures, output, repo, variorum, Scratch};
use crate::validators::{missing, run};

/// What `tests/pdf/structure.py` reports on a PDF: one fact per line, a key and a value.
pub(crate) struct Report(Vec<(String, String)>);

impl Report {
    pub(crate) fn value(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn values(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// How many structure elements of type `kind` the tree has.
    pub(crate) fn count(&self, kind: &str) -> usize {
        self.values("count")
            .iter()
            .find_map(|v| v.strip_prefix(kind)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or(0)
    }
}

/// The report on a PDF; `None` (after a loud message) when pikepdf is missing outside CI.
pub(crate) fn structure(pdf: &Path) -> Option<Report> {
    let script = repo().join("tests/pdf/structure.py");
    let (ok, out) = run(
        "python3",
        &[script.to_str().unwrap(), pdf.to_str().unwrap()],
    )?;
    if !ok && out.contains("No module named 'pikepdf'") {
        missing(
            "pikepdf",
            "tagged-PDF structure checks",
            "pip install pikepdf",
        );
        return None;
    }
    assert!(ok, "structure.py failed on {}:\n{out}", pdf.display());
    let facts = out
        .lines()
        .map(|l| match l.split_once(' ') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect();
    Some(Report(facts))
}

/// Builds the PDF of the edition at `project` into a scratch folder with extra arguments;
/// returns its path.
pub(crate) fn build_pdf(project: &Path, scratch: &Scratch, args: &[&str]) -> PathBuf {
    let out = scratch.path().join("out");
    let args: Vec<&str> = ["--format", "pdf"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    output(&build_succeeding(project, &out, &args), "pdf")
}

/// The checks every tagged PDF passes.
fn assert_tagged(report: &Report, lang: &str) {
    assert_eq!(report.value("marked"), Some("true"), "/MarkInfo /Marked");
    assert_eq!(report.value("lang"), Some(lang), "/Lang");
    assert_eq!(report.value("display_doc_title"), Some("true"));
    assert_eq!(report.value("pdfua_part"), Some("1"), "XMP pdfuaid:part");
    assert!(report.value("title").is_some(), "XMP dc:title");
    let untagged = report.values("untagged");
    assert!(
        untagged.is_empty(),
        "drawing outside marked content: {untagged:?}"
    );
    let tree = report.values("tree_error");
    assert!(
        tree.is_empty(),
        "the structure tree disagrees with the pages: {tree:?}"
    );
    let annotations = report.values("annotation_untagged");
    assert!(
        annotations.is_empty(),
        "annotations without /StructParent or /Contents: {annotations:?}"
    );
    let scopes = report.values("th_scope");
    assert!(
        scopes.iter().all(|s| *s == "/Column"),
        "every header cell has its scope: {scopes:?}"
    );
    assert_eq!(report.count("Document"), 1);
    assert!(report.count("H1") >= 2, "a heading per part");
}

#[test]
fn the_seed_pdf_is_tagged_with_a_note_per_note_and_headings_per_section() {
    let scratch = Scratch::new("tagged-seed");
    let pdf = build_pdf(repo(), &scratch, &[]);
    let Some(report) = structure(&pdf) else {
        return;
    };
    assert_tagged(&report, "en");
    let edition = crate::harness::edition(repo());
    assert_eq!(report.count("Note"), edition.notes.len(), "a Note per note");
    assert_eq!(
        report.values("note_id").len(),
        edition.notes.len(),
        "each Note has an /ID"
    );
    assert_eq!(
        report.count("Reference"),
        edition.notes.len(),
        "a Reference per mark"
    );
    // A section per manuscript section, plus the title page, the contents, the witnesses
    // and the points of divergence; each opens with its H1.
    assert_eq!(report.count("Sect"), edition.sections.len() + 4);
    assert_eq!(report.count("H1"), report.count("Sect"));
    assert!(report.count("TOCI") >= edition.sections.len());
    assert!(
        report.count("TH") >= 2 && report.count("TD") > 10,
        "the tables"
    );
    // Reading order: the title page, then the contents, then the first section.
    let order = report.values("order");
    let first = |kind: &str| order.iter().position(|k| *k == kind).unwrap();
    assert!(first("TOC") < first("Note"), "contents before the body");
    // A note comes after the paragraph that calls it: every Note follows a Reference.
    let mut open_references = 0usize;
    for kind in &order {
        match *kind {
            "Reference" => open_references += 1,
            "Note" => {
                assert!(open_references > 0, "a Note before any mark: {order:?}");
                open_references -= 1;
            }
            _ => {}
        }
    }
}

#[test]
fn fixture_editions_tag_tables_figures_lists_quotes_and_languages() {
    let scratch = Scratch::new("tagged-fixtures");
    let fixtures = fixtures().join("valid");
    // A table, a figure with its text alternative, witnesses with their own headings.
    let pdf = build_pdf(&fixtures.join("gettysburg"), &scratch, &[]);
    let Some(report) = structure(&pdf) else {
        return;
    };
    assert_tagged(&report, "en");
    assert!(
        report.count("Table") >= 3,
        "the introduction's, witnesses', divergences'"
    );
    assert!(report.count("TH") >= 4);
    let alts = report.values("element_alt");
    assert!(
        alts.iter()
            .any(|a| a.starts_with("Figure ") && a.contains("ruled lines of writing")),
        "the figure's alt text: {alts:?}"
    );
    assert_eq!(report.count("Caption"), 1, "the figure's caption");
    // Notes on the introduction and on witnesses alike, each called by its mark.
    let notes = crate::harness::edition(&fixtures.join("gettysburg"))
        .notes
        .len();
    assert_eq!(report.count("Note"), notes, "a Note per note");
    assert_eq!(report.count("Reference"), notes, "a Reference per mark");
    assert!(report.count("H2") >= 1, "the Bliss copy's own heading");

    let scratch = Scratch::new("tagged-small");
    let pdf = build_pdf(&fixtures.join("small"), &scratch, &[]);
    let report = structure(&pdf).unwrap();
    assert_tagged(&report, "en");
    for kind in [
        "L",
        "LI",
        "Lbl",
        "LBody",
        "BlockQuote",
        "Link",
        "H2",
        "Code",
    ] {
        assert!(
            report.count(kind) > 0,
            "no {kind}: {:?}",
            report.values("count")
        );
    }
    assert_eq!(report.count("LI"), report.count("LBody"));
    assert_eq!(report.count("L"), 2, "a bulleted and a numbered list");

    let scratch = Scratch::new("tagged-multilingual");
    let pdf = build_pdf(&fixtures.join("multilingual"), &scratch, &[]);
    let report = structure(&pdf).unwrap();
    let langs = report.values("element_lang");
    // The edition is in German; its Russian and Persian witnesses say so.
    for lang in ["fa", "ru"] {
        assert!(
            langs.contains(&format!("Sect {lang}").as_str()),
            "a Sect in `{lang}`: {langs:?}"
        );
    }
}

#[test]
fn line_numbers_are_artifacts() {
    let scratch = Scratch::new("tagged-lines");
    let pdf = build_pdf(&fixtures().join("valid/second-inaugural"), &scratch, &[]);
    let Some(report) = structure(&pdf) else {
        return;
    };
    assert_tagged(&report, "en");
    let Some(words) = crate::lines::words_by_page(&pdf) else {
        return;
    };
    // Where artifact text starts: page, x, y (PDF coordinates, from the bottom).
    let artifacts: Vec<(usize, f32, f32)> = report
        .values("artifact_text")
        .iter()
        .map(|v| {
            let mut parts = v.split(' ');
            let mut next = || parts.next().unwrap().parse::<f32>().unwrap();
            (next() as usize, next(), next())
        })
        .collect();
    let pages = crate::lines::read_pages(&words);
    let mut numbers = 0;
    for (p, page) in pages.iter().enumerate() {
        let height = words[p].0;
        for w in &page.number_words {
            let artifact = artifacts.iter().any(|&(page, x, y)| {
                page == p + 1
                    && (x - w.x_min).abs() < 0.5
                    && y > height - w.y_max
                    && y < height - w.y_min
            });
            assert!(
                artifact,
                "page {}: line number {} is not drawn as an artifact",
                p + 1,
                w.text
            );
            numbers += 1;
        }
    }
    assert!(numbers >= 20, "{numbers} line numbers found");
}

/// The superscript digits a mark copies as.
fn superscript(number: usize) -> String {
    number
        .to_string()
        .chars()
        .map(|c| match c {
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            d => char::from_u32(0x2070 + d.to_digit(10).unwrap()).unwrap(),
        })
        .collect()
}

#[test]
fn a_note_mark_never_fuses_with_the_number_it_follows() {
    let scratch = Scratch::new("tagged-marks");
    let pdf = build_pdf(repo(), &scratch, &[]);
    let Some((ok, text)) = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]) else {
        return;
    };
    assert!(ok, "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let edition = crate::harness::edition(repo());
    let mut checked = 0;
    for note in &edition.notes {
        let Some(last) = note.lemma.split_whitespace().last() else {
            continue;
        };
        // The mark follows the lemma's last word, its full stop included.
        if !last
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .ends_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        checked += 1;
        let fused = format!("{last}{}", note.number);
        let marked = format!("{last}{}", superscript(note.number));
        assert!(
            !flat.contains(&fused),
            "note {}: `{fused}` in the text",
            note.number
        );
        assert!(
            flat.contains(&marked),
            "note {}: no `{marked}` in the text",
            note.number
        );
    }
    assert!(
        checked >= 3,
        "the seed has notes on dates ({checked} checked)"
    );
}

#[test]
fn pdf_a_2b_writes_its_identification_and_an_output_intent() {
    let scratch = Scratch::new("tagged-pdfa");
    let pdf = build_pdf(repo(), &scratch, &["--pdf-standard", "ua-1,a-2b"]);
    let Some(report) = structure(&pdf) else {
        return;
    };
    assert_tagged(&report, "en");
    assert_eq!(report.value("pdfa_part"), Some("2"));
    assert_eq!(report.value("pdfa_conformance"), Some("B"));
    assert_eq!(report.values("output_intent"), ["/GTS_PDFA1 profile"]);
    if let Some((ok, out)) = run("qpdf", &["--check", pdf.to_str().unwrap()]) {
        assert!(ok && !out.contains("WARNING"), "{out}");
    }

    // PDF/A alone claims no PDF/UA; `none` claims nothing.
    let scratch = Scratch::new("tagged-pdfa-only");
    let pdf = build_pdf(repo(), &scratch, &["--pdf-standard", "a-2b"]);
    let report = structure(&pdf).unwrap();
    assert_eq!(report.value("pdfa_part"), Some("2"));
    assert!(report.value("pdfua_part").is_none());
    let scratch = Scratch::new("tagged-none");
    let pdf = build_pdf(repo(), &scratch, &["--pdf-standard", "none"]);
    let report = structure(&pdf).unwrap();
    assert!(report.value("pdfua_part").is_none());
    assert!(report.value("pdfa_part").is_none());
    assert!(report.values("output_intent").is_empty());
}

#[test]
fn a_standard_the_content_cannot_meet_is_refused_by_name() {
    // Unknown or conflicting standards: a usage error.
    for bad in ["a-4", "ua-1,a-2b,a-3b"] {
        let run = variorum(["build", "--pdf-standard", bad]);
        assert_eq!(run.code, Some(2), "{bad}: {}", run.stderr);
        assert!(run.stderr.contains("--pdf-standard"), "{}", run.stderr);
    }
    // A CMYK JPEG cannot be described by PDF/A's sRGB output intent: refused, at the figure.
    let scratch = Scratch::new("tagged-cmyk");
    let project = scratch.path().join("edition");
    copy_dir(&fixtures().join("valid/gettysburg"), &project);
    std::fs::copy(
        repo().join("tests/pdf/cmyk-leaf.jpg"),
        project.join("figures/leaf-cmyk.jpg"),
    )
    .unwrap();
    let witness = project.join("manuscript/10-nicolay.md");
    let text = std::fs::read_to_string(&witness).unwrap();
    std::fs::write(
        &witness,
        text.replace("figures/leaf-1.png", "figures/leaf-cmyk.jpg"),
    )
    .unwrap();
    let out = scratch.path().join("out");
    let refused = variorum([
        "build",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--pdf-standard",
        "a-2b",
    ]);
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("PDF/A-2b: the figure `figures/leaf-cmyk.jpg` is a CMYK JPEG"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("10-nicolay.md:9:1"),
        "{}",
        refused.stderr
    );
    assert!(!out
        .join("the-gettysburg-address-in-three-copies.pdf")
        .exists());
    // Without PDF/A the same edition builds.
    let built = variorum([
        "build",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(built.code, Some(0), "{}", built.stderr);
}
