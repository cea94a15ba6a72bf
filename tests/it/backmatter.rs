//! The back matter end to end: citations checked and rendered with a CSL style, and the
//! generated Bibliography in both outputs, on the fixture editions `backmatter`
//! (`bibliography.yaml`, the default style) and `backmatter-bib` (`bibliography.bib`,
//! `chicago-author-date`).

use crate::epub::archive::{epub, fixture, parse, text_without_marks, xhtml};
use crate::harness::{build, copy_dir, edition, fold, repo, Scratch};
use crate::validators::{epubcheck, run};
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::Style;
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};
use std::path::{Path, PathBuf};
use variorum::model::{plain_text, Block};

/// The fixture's bibliography as hayagriva reads it on its own.
fn library(root: &Path) -> hayagriva::Library {
    let yaml = root.join("bibliography.yaml");
    if yaml.is_file() {
        hayagriva::io::from_yaml_str(&std::fs::read_to_string(yaml).unwrap()).unwrap()
    } else {
        let bib = std::fs::read_to_string(root.join("bibliography.bib")).unwrap();
        hayagriva::io::from_biblatex_str(&bib).unwrap()
    }
}

/// The bibliography the style gives for every entry of `library`, rendered by hayagriva
/// directly, as plain text, in the style's order.
fn expected_entries(library: &hayagriva::Library, style: &str) -> Vec<String> {
    let Style::Independent(style) = ArchivedStyle::by_name(style).unwrap().get() else {
        panic!("a dependent style")
    };
    let locales = hayagriva::archive::locales();
    let mut driver = BibliographyDriver::new();
    for entry in library.iter() {
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(entry)],
            &style,
            &locales,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(&style, None, &locales));
    rendered
        .bibliography
        .unwrap()
        .items
        .iter()
        .map(|item| {
            let mut s = String::new();
            item.content
                .write_buf(&mut s, hayagriva::BufWriteFormat::Plain)
                .unwrap();
            fold(&s)
        })
        .collect()
}

/// The entries of the generated Bibliography, as plain text.
fn bibliography_entries(root: &Path) -> Vec<(String, String)> {
    let edition = edition(root);
    let section = edition
        .sections
        .iter()
        .find(|s| s.title == "Bibliography")
        .expect("a Bibliography section");
    section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Entry { id, content } => Some((id.clone(), fold(&plain_text(content)))),
            _ => None,
        })
        .collect()
}

#[test]
fn the_bibliography_lists_every_cited_work_as_the_style_formats_it() {
    for (name, style) in [
        ("backmatter", "chicago-notes"),
        ("backmatter-bib", "chicago-author-date"),
    ] {
        let root = fixture(name);
        let entries = bibliography_entries(&root);
        let expected = expected_entries(&library(&root), style);
        // Every entry of the fixtures' bibliographies is cited.
        assert_eq!(entries.len(), 4, "{name}");
        let texts: Vec<&str> = entries.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, expected, "{name}");
        for title in [
            "The Great Fire of London in 1666",
            "The Diary of Samuel Pepys",
        ] {
            assert!(texts.iter().any(|t| t.contains(title)), "{name}: {title}");
        }
    }
}

#[test]
fn citations_are_rendered_in_place_and_link_to_their_entries() {
    let root = fixture("backmatter");
    let docs = xhtml(&epub(&root));
    let (bib_file, bib_text) = docs
        .iter()
        .find(|(_, t)| t.contains("<p class=\"entry\""))
        .expect("a page with the Bibliography");
    let bib = parse(bib_text);
    let ids: Vec<String> = bib
        .descendants()
        .filter(|n| n.has_tag_name("p") && n.attribute("class") == Some("entry"))
        .map(|n| n.attribute("id").unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 4);
    let mut links = 0;
    for (name, text) in &docs {
        assert!(
            !text.contains("[@"),
            "{name}: a citation is left unrendered"
        );
        let doc = parse(text);
        for a in doc
            .descendants()
            .filter(|n| n.has_tag_name("a") && n.attribute("class") == Some("cite"))
        {
            links += 1;
            let href = a.attribute("href").unwrap();
            let (file, id) = href.split_once('#').unwrap();
            assert_eq!(file, bib_file.as_str(), "{href}");
            assert!(ids.iter().any(|i| i == id), "{href}");
            assert!(!text_without_marks(a).trim().is_empty());
        }
    }
    // Eight citations of nine works-in-citations (two citations name two works each).
    assert!(links >= 9, "{links} citation links");
    // A note style: the first citation of a work is its full form, later ones are short.
    let edition = edition(&root);
    let notes: Vec<String> = edition
        .notes
        .iter()
        .map(|n| {
            let mut out = Vec::new();
            crate::harness::block_texts(&n.body, &mut out);
            out.join(" ")
        })
        .collect();
    let intro = fold(&plain_text(match &edition.sections[0].blocks[2] {
        Block::Paragraph(c) => c,
        other => panic!("{other:?}"),
    }));
    assert!(
        intro.contains("George Bell & Sons"),
        "first citation of Pepys is in full: {intro}"
    );
    let later = notes.iter().find(|n| n.starts_with("A detail")).unwrap();
    assert!(
        later.contains("Pepys, The Diary of Samuel Pepys; compare")
            && !later.contains("George Bell")
            && !later.contains(".."),
        "a later citation is short: {later}"
    );
}

/// A copy of a fixture with the repository's fonts, ready to build.
fn buildable(name: &str, scratch: &Scratch) -> PathBuf {
    let project = scratch.path().join(name);
    copy_dir(&fixture(name), &project);
    copy_dir(&repo().join("fonts"), &project.join("fonts"));
    project
}

#[test]
fn both_outputs_show_the_same_bibliography_and_the_epub_validates() {
    for name in ["backmatter", "backmatter-bib"] {
        let scratch = Scratch::new("backmatter");
        let project = buildable(name, &scratch);
        let out = scratch.path().join("out");
        let built = build(&project, &out);
        assert_eq!(built.code, Some(0), "{}", built.stderr);
        let file = |ext: &str| {
            std::fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == ext))
                .unwrap()
        };
        let epub_path = file("epub");
        if let Err(report) = epubcheck(&epub_path) {
            panic!("{name}: epubcheck: {report}");
        }
        let pdf = file("pdf");
        let Some((ok, text)) = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
        else {
            continue;
        };
        assert!(ok);
        let text = fold(&text);
        for (_, entry) in bibliography_entries(&project) {
            // Words of each entry, in order, as the PDF's text gives them (lines may break
            // and hyphenate anywhere, so each word is looked up on its own).
            for word in entry.split(' ').filter(|w| w.len() > 3 && !w.contains('-')) {
                assert!(
                    text.contains(word),
                    "{name}: `{word}` of `{entry}` is not in the PDF"
                );
            }
        }
        assert!(
            !text.contains("[@"),
            "{name}: a citation is left unrendered in the PDF"
        );
    }
}
