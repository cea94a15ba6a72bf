//! The EPUB renderer end to end, on the seed edition and the fixture editions: epubcheck,
//! well-formed documents whose links all resolve, every word of every witness and note kept,
//! notes linked both ways, metadata, reproducible bytes, snapshots, fonts, speed.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --release --test it epub::` rewrites `tests/snapshots/`.

mod ace;
pub mod archive;
mod cover;
mod kindle;
mod page_list;
mod scale;

use crate::harness::{block_texts, edition, fold, repo, Scratch};
use crate::validators::epubcheck;
use archive::*;
use std::collections::{BTreeMap, BTreeSet};
use variorum::model::{plain_text, Edition};

const OPS: &str = "http://www.idpf.org/2007/ops";

#[test]
fn epubcheck_finds_nothing() {
    let scratch = Scratch::new("epub-epubcheck");
    let dir = scratch.path();
    let mut failures = Vec::new();
    for root in all_projects() {
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        let file = dir.join(format!("{name}.epub"));
        std::fs::write(&file, epub(&root)).unwrap();
        match epubcheck(&file) {
            Ok(true) => eprintln!("epubcheck: {name}: 0 fatals / 0 errors / 0 warnings"),
            Ok(false) => return,
            Err(report) => failures.push(report),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every XHTML document parses as XML and every internal link names an existing file and id.
#[test]
fn documents_are_well_formed_and_links_resolve() {
    for root in all_projects() {
        let docs = xhtml(&epub(&root));
        let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        let mut links = Vec::new();
        for (name, text) in &docs {
            eprintln!("parsing {}: {name}", root.display());
            let doc = parse(text);
            let root_el = doc.root_element();
            assert!(root_el.attribute("lang").is_some(), "{name} has no lang");
            let set = ids.entry(name.as_str()).or_default();
            for node in doc.descendants().filter(|n| n.is_element()) {
                if let Some(id) = node.attribute("id") {
                    assert!(set.insert(id.to_owned()), "{name}: duplicate id `{id}`");
                }
                if let Some(href) = node.attribute("href") {
                    links.push((name.clone(), href.to_owned()));
                }
            }
        }
        for (from, href) in links {
            if href.starts_with("https://")
                || href.starts_with("http://")
                || href.starts_with("mailto:")
            {
                continue;
            }
            if href.ends_with(".css") {
                continue;
            }
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let file = if file.is_empty() { from.as_str() } else { file };
            let target = ids
                .get(file)
                .unwrap_or_else(|| panic!("{from}: link to missing `{href}`"));
            assert!(
                fragment.is_empty() || target.contains(fragment),
                "{from}: no id for `{href}`"
            );
        }
    }
}

/// The text of all documents (marks left out) holds every block of every section, and each
/// note's aside holds every block of its text and every reading.
#[test]
fn every_word_of_witnesses_and_notes_is_kept() {
    for root in all_projects() {
        let edition = edition(&root);
        let docs = xhtml(&epub(&root));
        let parsed: Vec<(String, String)> =
            docs.iter().map(|(n, t)| (n.clone(), t.clone())).collect();
        let mut all_text = String::new();
        let mut asides: BTreeMap<String, String> = BTreeMap::new();
        for (_, text) in &parsed {
            let doc = parse(text);
            all_text.push_str(&text_without_marks(doc.root_element()));
            all_text.push(' ');
            for aside in doc.descendants().filter(|n| n.has_tag_name("aside")) {
                asides.insert(
                    aside.attribute("id").unwrap_or_default().to_owned(),
                    text_without_marks(aside),
                );
            }
        }
        let mut expected = Vec::new();
        for section in &edition.sections {
            block_texts(&section.blocks, &mut expected);
        }
        for text in expected.iter().filter(|t| !t.is_empty()) {
            assert!(
                all_text.contains(text.as_str()),
                "{}: text missing from the EPUB: {text}",
                root.display()
            );
        }
        let words: BTreeSet<&str> = all_text.split_whitespace().collect();
        for word in expected.iter().flat_map(|t| t.split_whitespace()) {
            assert!(
                words.contains(word),
                "{}: word missing: {word}",
                root.display()
            );
        }
        for note in &edition.notes {
            let aside = &asides[&format!("note-{}", note.number)];
            let mut texts = Vec::new();
            block_texts(&note.body, &mut texts);
            texts.extend(note.readings.iter().map(|r| fold(&plain_text(&r.content))));
            for text in texts.iter().filter(|t| !t.is_empty()) {
                assert!(
                    aside.contains(text.as_str()),
                    "note {}: missing {text:?} in {aside:?}",
                    note.number
                );
            }
        }
    }
}

/// Each mark links to its note in the same document; each note starts with a backlink to its
/// mark, labels its kind, has at least 9 characters after the backlink, and, with readings,
/// links to its row of divergences, which links back.
#[test]
fn notes_and_marks_link_both_ways() {
    for root in all_projects() {
        let edition = edition(&root);
        let docs = xhtml(&epub(&root));
        // The Points of divergence are a part of the book when a note gives readings.
        let readings = edition.notes.iter().any(|n| !n.readings.is_empty());
        assert_eq!(
            docs.contains_key("divergences.xhtml"),
            readings,
            "{}",
            root.display()
        );
        let divergences = docs.get("divergences.xhtml").map(|t| parse(t));
        let mut seen = 0;
        for (name, text) in &docs {
            let doc = parse(text);
            for aside in doc.descendants().filter(|n| n.has_tag_name("aside")) {
                seen += 1;
                let id = aside.attribute("id").unwrap();
                let number: usize = id.trim_start_matches("note-").parse().unwrap();
                let note = &edition.notes[number - 1];
                assert_eq!(aside.attribute((OPS, "type")), Some("footnote"));
                assert_eq!(aside.attribute("role"), Some("doc-footnote"));
                let first = aside.descendants().find(|n| n.has_tag_name("a")).unwrap();
                assert_eq!(
                    first.attribute("role"),
                    Some("doc-backlink"),
                    "{name} {id}: backlink first"
                );
                assert_eq!(
                    first.attribute("href"),
                    Some(format!("#ref-{number}").as_str())
                );
                let mark = doc
                    .descendants()
                    .find(|n| n.attribute("id") == Some(&format!("ref-{number}")))
                    .unwrap_or_else(|| panic!("{name}: no mark for note {number}"));
                assert_eq!(mark.attribute((OPS, "type")), Some("noteref"));
                assert_eq!(mark.attribute("role"), Some("doc-noteref"));
                assert_eq!(mark.attribute("href"), Some(format!("#{id}").as_str()));
                // The mark and the note show the note's mark: its number, or in apparatus
                // mode its own count (discursive notes) or letter (critical ones).
                assert_eq!(
                    mark.text(),
                    Some(note.mark.as_str()),
                    "note {number}'s mark"
                );
                let whole = text_without_marks(aside);
                let after = whole.strip_prefix(&note.mark).unwrap().trim_start();
                assert!(
                    after.chars().count() >= 9,
                    "note {number}: {after:?} is too short"
                );
                // In apparatus mode a critical note opens as its entry does: reference, lemma.
                let head = if edition.notes_mode() == variorum::model::NotesMode::Apparatus
                    && note.kind.is_critical()
                {
                    edition.reference(note)
                } else {
                    edition.meta.labels.kind(note.kind).to_owned()
                };
                assert!(
                    after.starts_with(&head),
                    "note {number} shows {head:?} first: {after:?}"
                );
                let row = divergences.as_ref().and_then(|d| {
                    d.descendants()
                        .find(|n| n.attribute("id") == Some(&format!("divergence-{number}")))
                });
                assert_eq!(
                    row.is_some(),
                    !note.readings.is_empty(),
                    "note {number}: row iff readings"
                );
                if let Some(row) = row {
                    let back = row.descendants().find(|n| n.has_tag_name("a")).unwrap();
                    assert_eq!(
                        back.attribute("href"),
                        Some(format!("{name}#{id}").as_str())
                    );
                    let to_row = format!("divergences.xhtml#divergence-{number}");
                    assert!(aside
                        .descendants()
                        .any(|n| n.attribute("href") == Some(&to_row)));
                    for r in &note.readings {
                        let href = format!("witnesses.xhtml#witness-{}", r.sigil);
                        assert!(aside
                            .descendants()
                            .any(|n| n.attribute("href") == Some(&href)));
                    }
                }
            }
        }
        assert_eq!(
            seen,
            edition.notes.len(),
            "{}: one aside per note",
            root.display()
        );
    }
}

fn opf_of(root: &std::path::Path) -> String {
    entry_text(&epub(root), "OEBPS/content.opf")
}

#[test]
fn reading_order_nav_and_landmarks() {
    let bytes = epub(&fixture("small"));
    let opf = entry_text(&bytes, "OEBPS/content.opf");
    let doc = parse(&opf);
    let spine: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .map(|n| n.attribute("idref").unwrap())
        .collect();
    let expected = [
        "cover",
        "title",
        "contents",
        "front-1",
        "witnesses",
        "witness-a",
        "witness-b",
        "divergences",
        "back-1",
    ]
    .map(|f| format!("id_{f}.xhtml"));
    assert_eq!(spine, expected);
    assert!(opf.contains("<spine toc=\"ncx\""), "the NCX is declared");
    let nav = entry_text(&bytes, "OEBPS/nav.xhtml");
    let nav_doc = parse(&nav);
    let types: Vec<&str> = nav_doc
        .descendants()
        .filter_map(|n| n.attribute((OPS, "type")))
        .collect();
    for wanted in ["toc", "landmarks", "cover", "titlepage", "bodymatter"] {
        assert!(types.contains(&wanted), "nav lacks `{wanted}`: {types:?}");
    }
    assert!(
        nav.contains("witness-b.xhtml#h-1"),
        "subheadings are in the contents"
    );
}

#[test]
fn metadata_comes_from_the_edition_never_the_clock() {
    let root = fixture("small");
    let opf = opf_of(&root);
    for wanted in [
        "<dc:title>A Small Test Edition</dc:title>",
        ">Fixture Editors</dc:creator>",
        ">en</dc:language>",
        ">urn:uuid:0b6a3c1e-2f4d-4e5a-9b7c-8d9e0f1a2b3c</dc:identifier>",
        "<meta property=\"dcterms:modified\">2026-01-15T00:00:00Z</meta>",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>",
        "schema:accessMode\">textual",
        "schema:accessModeSufficient\">textual",
        "schema:accessibilityFeature\">structuralNavigation",
        "schema:accessibilityFeature\">tableOfContents",
        "schema:accessibilityHazard\">none",
        "schema:accessibilitySummary\">",
    ] {
        assert!(opf.contains(wanted), "the OPF lacks {wanted}:\n{opf}");
    }
    let ids: Vec<&str> = opf
        .split("id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let unique: BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "OPF ids are unique: {ids:?}");
    // Any identifier, not only a UUID, is kept as given.
    assert!(opf_of(&fixture("minimal")).contains(">isbn:978-0-00-000000-0</dc:identifier>"));
    let ncx = entry_text(&epub(&root), "OEBPS/toc.ncx");
    assert!(ncx.contains(
        "<meta name=\"dtb:uid\" content=\"urn:uuid:0b6a3c1e-2f4d-4e5a-9b7c-8d9e0f1a2b3c\" />"
    ));
    assert!(
        ncx.contains("<text>A Small Test Edition</text>\n  </docTitle>"),
        "{ncx}"
    );
    // SOURCE_DATE_EPOCH (as the caller passes it) sets `dcterms:modified` and the zip
    // timestamps (to the even second), not the edition's own date.
    let edition = variorum::check(&root).edition.unwrap();
    let options = variorum::epub::EpubOptions {
        modified: chrono::DateTime::from_timestamp(951_825_605, 0), // 2000-02-29T12:00:05Z
        ..Default::default()
    };
    let bytes = epub_bytes(&edition, &options);
    let opf = entry_text(&bytes, "OEBPS/content.opf");
    assert!(
        opf.contains("dcterms:modified\">2000-02-29T12:00:05Z<"),
        "{opf}"
    );
    assert!(
        opf.contains(&format!(
            "<dc:date>{}T00:00:00Z</dc:date>",
            edition.meta.date
        )),
        "{opf}"
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    for i in 0..archive.len() {
        let time = archive.by_index(i).unwrap().last_modified().unwrap();
        assert_eq!((time.year(), time.month(), time.day()), (2000, 2, 29));
        assert_eq!((time.hour(), time.minute(), time.second()), (12, 0, 4));
    }
}

#[test]
fn archive_starts_with_a_stored_mimetype_and_builds_are_identical() {
    let root = repo();
    let first = epub(root);
    assert_eq!(first, epub(root), "two builds give the same bytes");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&first)).unwrap();
    let mimetype = archive.by_index(0).unwrap();
    assert_eq!(mimetype.name(), "mimetype");
    assert_eq!(mimetype.compression(), zip::CompressionMethod::Stored);
    drop(mimetype);
    assert_eq!(entries(&first)[0].1, b"application/epub+zip");
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        assert!(
            file.extra_data().is_none_or(|x| x.is_empty()),
            "{} has extra fields",
            file.name()
        );
    }
    assert_eq!(entries(&first)[1].0, "META-INF/container.xml");
    // Through `variorum build`, twice, into two folders.
    let scratch = Scratch::new("epub-twice");
    let dir = scratch.path();
    let mut files = Vec::new();
    for run in ["one", "two"] {
        if run == "two" {
            // Zip times have a 2-second grain: a clock leaking into the archive would show.
            std::thread::sleep(std::time::Duration::from_millis(2100));
        }
        let options = variorum::BuildOptions {
            out: Some(dir.join(run)),
            ..Default::default()
        };
        let built = variorum::build(root, &options);
        let report =
            variorum::diag::render(&built.checked.diagnostics, &built.checked.sources, false);
        let epub = built
            .written
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "epub"))
            .unwrap_or_else(|| panic!("no EPUB written:\n{report}"))
            .clone();
        assert_eq!(epub.file_name().unwrap(), "the-letter-to-gorbachev.epub");
        files.push(std::fs::read(epub).unwrap());
    }
    assert_eq!(files[0], files[1]);
    assert_eq!(files[0], first, "build writes what epub::write returns");
}

#[test]
fn snapshots_of_a_chapter_the_nav_and_the_opf() {
    let bytes = epub(&fixture("small"));
    snapshot(
        "small-witness-a.xhtml",
        &entry_text(&bytes, "OEBPS/witness-a.xhtml"),
    );
    snapshot(
        "small-front-1.xhtml",
        &entry_text(&bytes, "OEBPS/front-1.xhtml"),
    );
    snapshot("small-nav.xhtml", &entry_text(&bytes, "OEBPS/nav.xhtml"));
    snapshot(
        "small-content.opf",
        &entry_text(&bytes, "OEBPS/content.opf"),
    );
}

/// The seed's fonts are embedded as subsets that still draw every character of the text with
/// the original glyph's advance.
#[test]
fn subset_fonts_cover_the_text() {
    let root = repo();
    let fonts = fonts(root);
    assert!(
        !fonts.faces().is_empty() || std::env::var("CI").is_err(),
        "the seed ships fonts"
    );
    let bytes = epub(root);
    let docs = xhtml(&bytes);
    let mut used = BTreeSet::new();
    for text in docs.values() {
        let doc = parse(text);
        used.extend(
            doc.descendants()
                .filter_map(|n| n.text())
                .flat_map(|t| t.chars())
                .filter(|c| !c.is_whitespace()),
        );
    }
    let embedded = entries(&bytes);
    for face in fonts.faces() {
        let original = ttf_parser::Face::parse(&face.data, face.index).unwrap();
        let name = format!("OEBPS/fonts/{}.ttf", face.name);
        let Some((_, data)) = embedded.iter().find(|(n, _)| *n == name) else {
            continue; // a fallback face with nothing to draw
        };
        assert!(data.len() < face.data.len(), "{name} is subset");
        let subset = ttf_parser::Face::parse(data, 0).unwrap();
        let primary = face.family == fonts.faces()[0].family;
        for &c in &used {
            let Some(old) = original.glyph_index(c) else {
                continue;
            };
            match subset.glyph_index(c) {
                Some(new) => assert_eq!(
                    subset.glyph_hor_advance(new),
                    original.glyph_hor_advance(old),
                    "{name} {c:?}"
                ),
                None => assert!(!primary, "{name} lost {c:?}"),
            }
        }
    }
    let css = entry_text(&bytes, "OEBPS/stylesheet.css");
    assert_eq!(
        css.matches("@font-face").count(),
        embedded
            .iter()
            .filter(|(n, _)| n.contains("/fonts/"))
            .count()
    );
}

/// A long edition renders whole: every note of every copy becomes an aside. (Its speed is
/// measured by the benchmarks, not asserted here.)
#[test]
fn a_hundred_copies_render_every_note() {
    let seed = edition(repo());
    let big: Edition = scale::copies(&seed, 100);
    let options = variorum::epub::EpubOptions {
        fonts: fonts(repo()),
        modified: None,
        cover: None,
        extra_css: None,
    };
    let bytes = epub_bytes(&big, &options);
    let asides: usize = xhtml(&bytes)
        .values()
        .map(|page| page.matches("epub:type=\"footnote\"").count())
        .sum();
    assert_eq!(asides, big.notes.len());
}

/// Nobody is said to have certified the edition's accessibility unless the editor names who
/// did, in `edition.accessibility`.
#[test]
fn certification_is_claimed_only_when_someone_is_named() {
    let opf = opf_of(&fixture("small"));
    assert!(!opf.contains("a11y:certifiedBy"), "{opf}");
    assert!(!opf.contains("a11y:certifierCredential"), "{opf}");
    let scratch = Scratch::new("epub-certified");
    let project = crate::harness::valid_copy(&scratch);
    let apparatus = project.join("footnotes.yaml");
    let yaml = std::fs::read_to_string(&apparatus).unwrap().replacen(
        "edition:\r\n",
        "edition:\r\n  accessibility:\r\n    certified-by: Accessible Books & Co\r\n    certifier-credential: DAISY Ace Partner\r\n",
        1,
    );
    std::fs::write(&apparatus, yaml).unwrap();
    let opf = opf_of(&project);
    assert!(
        opf.contains("<meta property=\"a11y:certifiedBy\">Accessible Books &amp; Co</meta>"),
        "{opf}"
    );
    assert!(
        opf.contains("<meta property=\"a11y:certifierCredential\">DAISY Ace Partner</meta>"),
        "{opf}"
    );
}
