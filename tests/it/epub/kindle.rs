//! The Kindle route: Calibre's `ebook-convert` turns the seed edition's EPUB into AZW3 (what
//! Send-to-Kindle and readers' own conversions make of it) and back into EPUB; the cover,
//! every note with its link back to its mark, and the contents survive the round trip.
//!
//! Calibre is too large for CI, so this test is ignored there; run it with
//! `cargo test --release --test it kindle -- --ignored` where `ebook-convert` is installed
//! (Debian `calibre`).

use super::archive::{cover, entries, epub};
use crate::harness::{edition, fold, repo, Scratch};
use crate::validators::run;
use std::collections::BTreeMap;

#[test]
#[ignore = "needs Calibre (`ebook-convert`); see the module docs"]
fn the_seed_survives_calibre_to_azw3_and_back() {
    let scratch = Scratch::new("kindle");
    let dir = scratch.path();
    let root = repo();
    let edition = edition(root);
    let original = dir.join("seed.epub");
    std::fs::write(&original, epub(root)).unwrap();
    let azw3 = dir.join("seed.azw3");
    let back = dir.join("back.epub");
    for (from, to) in [(&original, &azw3), (&azw3, &back)] {
        let Some((ok, log)) = run(
            "ebook-convert",
            &[from.to_str().unwrap(), to.to_str().unwrap()],
        ) else {
            return;
        };
        assert!(ok, "ebook-convert {} failed:\n{log}", from.display());
    }
    let files: BTreeMap<String, Vec<u8>> = entries(&std::fs::read(&back).unwrap())
        .into_iter()
        .collect();

    // The cover: the OPF's `<meta name="cover">` names an image of the cover's size.
    let (_, opf) = files
        .iter()
        .find(|(name, _)| name.ends_with(".opf"))
        .expect("an OPF");
    let opf = String::from_utf8_lossy(opf).into_owned();
    let doc = roxmltree::Document::parse(&opf).unwrap();
    let cover_id = doc
        .descendants()
        .find(|n| n.has_tag_name("meta") && n.attribute("name") == Some("cover"))
        .and_then(|n| n.attribute("content"))
        .expect("the OPF names its cover");
    let href = doc
        .descendants()
        .find(|n| n.has_tag_name("item") && n.attribute("id") == Some(cover_id))
        .and_then(|n| n.attribute("href"))
        .expect("the cover is in the manifest");
    let image = files
        .iter()
        .find(|(name, _)| name.ends_with(href))
        .map(|(_, bytes)| bytes)
        .expect("the cover image is in the archive");
    let (width, height) = image_size(image).expect("a PNG or JPEG cover");
    // Calibre scales the cover down (to 741 × 1186 here); it keeps ours if the proportions
    // are those of 1600 × 2560, where a cover Calibre generates would be 3 : 4.
    let ratio = width as f64 / height as f64;
    assert!(
        (ratio - 1600.0 / 2560.0).abs() < 0.01 && width >= 600,
        "the cover is Variorum's, not one Calibre made: {width} × {height}"
    );
    let ours = cover(&edition, root);
    assert_eq!(image_size(&ours.bytes), Some((1600, 2560)));

    // Every note: its mark links to the note, the note links back to the mark.
    let pages: Vec<(String, String)> = files
        .iter()
        .filter(|(name, _)| name.ends_with(".html") || name.ends_with(".xhtml"))
        .map(|(name, bytes)| (name.clone(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let docs: Vec<(String, roxmltree::Document)> = pages
        .iter()
        .map(|(name, text)| (name.clone(), super::archive::parse(text)))
        .collect();
    let find = |from: &str, href: &str| -> Option<(usize, roxmltree::NodeId)> {
        let (file, id) = href.split_once('#')?;
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let file = if file.is_empty() {
            from.to_owned()
        } else if dir.is_empty() {
            file.to_owned()
        } else {
            format!("{dir}/{file}")
        };
        let (k, (_, doc)) = docs.iter().enumerate().find(|(_, (n, _))| *n == file)?;
        let node = doc.descendants().find(|n| n.attribute("id") == Some(id))?;
        Some((k, node.id()))
    };
    let mut survived = vec![false; edition.notes.len()];
    for (k, (name, doc)) in docs.iter().enumerate() {
        for mark in doc.descendants().filter(|n| n.has_tag_name("a")) {
            let Some(number) = text(mark).trim().parse::<usize>().ok() else {
                continue;
            };
            let Some(note) = number.checked_sub(1).and_then(|i| edition.notes.get(i)) else {
                continue;
            };
            let Some((nk, nid)) = mark.attribute("href").and_then(|h| find(name, h)) else {
                continue;
            };
            let target = docs[nk].1.get_node(nid).unwrap();
            // The note's element, or the element the link lands in, holds the note's text.
            let holder = target
                .ancestors()
                .find(|n| fold(&text(*n)).contains(&fold(&note.lemma)))
                .unwrap_or(target);
            let back = holder
                .descendants()
                .filter(|n| n.has_tag_name("a"))
                .any(|a| {
                    a.attribute("href")
                        .and_then(|h| find(&docs[nk].0, h))
                        .is_some_and(|(bk, bid)| {
                            bk == k
                                && doc
                                    .get_node(bid)
                                    .is_some_and(|b| mark.ancestors().any(|m| m == b))
                        })
                });
            if back && fold(&text(holder)).contains(&fold(&note.lemma)) {
                survived[number - 1] = true;
            }
        }
    }
    let lost: Vec<usize> = (1..=survived.len()).filter(|n| !survived[n - 1]).collect();
    assert!(lost.is_empty(), "notes that lost their links: {lost:?}");

    // The contents: every section's title is in the table of contents.
    let (_, ncx) = files
        .iter()
        .find(|(name, _)| name.ends_with(".ncx"))
        .expect("an NCX");
    let ncx = roxmltree::Document::parse(std::str::from_utf8(ncx).unwrap()).unwrap();
    let toc: Vec<String> = ncx
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| fold(&text(n)))
        .collect();
    for section in &edition.sections {
        let title = fold(&section.title);
        assert!(
            toc.iter().any(|t| t.contains(&title)),
            "`{title}` is missing from the contents: {toc:?}"
        );
    }
}

fn text(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().unwrap_or_default())
        .collect()
}

/// The pixel size of a PNG or JPEG.
fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.starts_with(b"\x89PNG") {
        let be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
        return Some((be(16)?, be(20)?));
    }
    let mut at = 2;
    while at + 9 < bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let height = u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]);
            let width = u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]);
            return Some((width.into(), height.into()));
        }
        at += 2 + length;
    }
    None
}
