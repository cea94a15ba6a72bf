//! The cover of a real build: the seed's generated cover as the EPUB's `cover-image` and the
//! PDF's first page, the editor's own image when `edition.cover` names one, `design.pdf-cover:
//! false`, and `--format` writing one output only.

use super::archive::{entries, entry_text, fixture};
use crate::harness::{build_succeeding, copy_dir, copy_seed, repo, CreationOrder, Scratch};
use crate::validators::run;
use std::path::Path;

/// `build DIR --out OUT [extra…]`, which must succeed; the files written, by name.
fn build(project: &Path, out: &Path, extra: &[&str]) -> Vec<String> {
    build_succeeding(project, out, extra)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// The manifest's cover image: its archive name and bytes.
fn cover_image(epub: &[u8]) -> (String, Vec<u8>) {
    let opf = entry_text(epub, "OEBPS/content.opf");
    let doc = roxmltree::Document::parse(&opf).unwrap();
    let item = doc
        .descendants()
        .find(|n| n.has_tag_name("item") && n.attribute("properties") == Some("cover-image"))
        .unwrap_or_else(|| panic!("no cover-image in the manifest:\n{opf}"));
    let id = item.attribute("id").unwrap();
    assert!(
        doc.descendants().any(|n| n.has_tag_name("meta")
            && n.attribute("name") == Some("cover")
            && n.attribute("content") == Some(id)),
        "no <meta name=\"cover\"> for EPUB 2 readers:\n{opf}"
    );
    let name = format!("OEBPS/{}", item.attribute("href").unwrap());
    let bytes = entries(epub)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no {name} in the archive"));
    (name, bytes)
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// `pdfimages -list`'s rows: (page, width, height).
fn pdf_images(pdf: &Path) -> Option<Vec<(usize, u32, u32)>> {
    let (ok, out) = run("pdfimages", &["-list", pdf.to_str().unwrap()])?;
    assert!(ok, "{out}");
    Some(
        out.lines()
            .skip(2)
            .filter_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                Some((
                    f.first()?.parse().ok()?,
                    f.get(3)?.parse().ok()?,
                    f.get(4)?.parse().ok()?,
                ))
            })
            .collect(),
    )
}

#[test]
fn the_seed_has_its_generated_cover_in_both_outputs_the_same_every_build() {
    let scratch = Scratch::new("cover-seed");
    let project = scratch.path().join("seed");
    copy_seed(&project, CreationOrder::ByName);
    let first = scratch.path().join("one");
    let second = scratch.path().join("two");
    let names = build(&project, &first, &[]);
    build(&project, &second, &[]);
    let epub_name = names.iter().find(|n| n.ends_with(".epub")).unwrap();
    let pdf_name = names.iter().find(|n| n.ends_with(".pdf")).unwrap();
    for name in [epub_name, pdf_name] {
        let a = std::fs::read(first.join(name)).unwrap();
        let b = std::fs::read(second.join(name)).unwrap();
        assert!(a == b, "{name}: two builds differ");
    }
    let epub = std::fs::read(first.join(epub_name)).unwrap();
    let (name, image) = cover_image(&epub);
    assert_eq!(name, "OEBPS/cover.png");
    assert_eq!(png_size(&image), (1600, 2560));
    let page = entry_text(&epub, "OEBPS/cover.xhtml");
    assert!(
        page.contains("<img role=\"doc-cover\" src=\"cover.png\" alt=\"Cover: "),
        "{page}"
    );
    if let Some(images) = pdf_images(&first.join(pdf_name)) {
        assert_eq!(
            images,
            vec![(1, 1600, 2560)],
            "the cover is the PDF's first page"
        );
    }
    // The cover page is the image alone; the title page follows it.
    let pdf = first.join(pdf_name);
    let page = |n: &str| run("pdftotext", &["-f", n, "-l", n, pdf.to_str().unwrap(), "-"]);
    if let (Some((_, cover)), Some((_, title))) = (page("1"), page("2")) {
        assert!(cover.trim().is_empty(), "the cover page has text: {cover}");
        let edition = crate::harness::edition(&project);
        assert!(
            title.contains(&edition.meta.title),
            "page 2 is the title page:\n{title}"
        );
    }
}

#[test]
fn the_editors_cover_replaces_it_and_pdf_cover_false_leaves_it_out_of_the_pdf() {
    let scratch = Scratch::new("cover-editor");
    let project = scratch.path().join("edition");
    copy_dir(&fixture("editors-cover"), &project);
    copy_dir(&repo().join("fonts"), &project.join("fonts"));
    let out = scratch.path().join("out");
    let names = build(&project, &out, &[]);
    let epub_name = names.iter().find(|n| n.ends_with(".epub")).unwrap();
    let epub = std::fs::read(out.join(epub_name)).unwrap();
    let (_, image) = cover_image(&epub);
    let given = std::fs::read(project.join("figures/cover.png")).unwrap();
    assert!(
        image == given,
        "the EPUB's cover is the editor's image, unchanged"
    );
    let pdf = names.iter().find(|n| n.ends_with(".pdf")).unwrap();
    if let Some(images) = pdf_images(&out.join(pdf)) {
        assert!(images.is_empty(), "design.pdf-cover: false: {images:?}");
    }
}

#[test]
fn format_writes_one_output_only() {
    let scratch = Scratch::new("cover-format");
    let project = scratch.path().join("edition");
    copy_dir(&fixture("small"), &project);
    copy_dir(&repo().join("fonts"), &project.join("fonts"));
    let epub = build(
        &project,
        &scratch.path().join("epub"),
        &["--format", "epub"],
    );
    assert_eq!(epub, vec!["a-small-test-edition.epub".to_owned()]);
    let pdf = build(&project, &scratch.path().join("pdf"), &["--format", "pdf"]);
    assert_eq!(pdf, vec!["a-small-test-edition.pdf".to_owned()]);
    let both = build(&project, &scratch.path().join("both"), &[]);
    assert_eq!(both.len(), 2, "{both:?}");
}
