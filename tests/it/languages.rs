//! Fonts, languages and generated words on fixture editions, end to end: the built-in faces
//! of a project without `fonts/`, a project family chosen by `design.font`, and an edition in
//! German with German, Russian and Persian witnesses.

use crate::epub::archive::{entries, entry_text, epub, fixture, xhtml};
use crate::harness::{build, files_under, Scratch};
use crate::validators::run;
use std::path::{Path, PathBuf};

/// Builds a fixture into a scratch folder: its (EPUB, PDF) paths.
fn built(name: &str, scratch: &Scratch) -> (PathBuf, PathBuf) {
    let out = scratch.path().join("out");
    let run = build(&fixture(name), &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let files = files_under(&out);
    let with = |ext: &str| {
        files
            .iter()
            .find(|f| f.extension().is_some_and(|e| e == ext))
            .cloned()
            .unwrap()
    };
    (with("epub"), with("pdf"))
}

/// `pdffonts` rows as (name, emb, sub, uni), or `None` when it is not installed.
fn pdffonts(pdf: &Path) -> Option<Vec<(String, [String; 3])>> {
    let (ok, out) = run("pdffonts", &[pdf.to_str().unwrap()])?;
    assert!(ok, "{out}");
    Some(
        out.lines()
            .skip(2)
            .map(|row| {
                let cols: Vec<&str> = row.split_whitespace().collect();
                let n = cols.len();
                let flags = [n - 5, n - 4, n - 3].map(|i| cols[i].to_owned());
                (cols[0].to_owned(), flags)
            })
            .collect(),
    )
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let (ok, out) = run("pdftotext", &[pdf.to_str().unwrap(), "-"])?;
    assert!(ok, "{out}");
    Some(out)
}

#[test]
fn a_project_without_fonts_embeds_the_built_in_faces() {
    let project = fixture("small");
    assert!(!project.join("fonts").exists(), "the fixture has no fonts/");
    let scratch = Scratch::new("small-fonts");
    let (epub_path, pdf) = built("small", &scratch);
    if let Some(rows) = pdffonts(&pdf) {
        assert!(
            rows.iter().any(|(n, _)| n.ends_with("+EBGaramond-Regular")),
            "{rows:?}"
        );
        for (name, flags) in &rows {
            assert_eq!(flags, &["yes", "yes", "yes"].map(String::from), "{name}");
            assert_eq!(name.chars().nth(6), Some('+'), "subset tag: {name}");
        }
    }
    let bytes = std::fs::read(epub_path).unwrap();
    let css = entry_text(&bytes, "OEBPS/stylesheet.css");
    assert!(css.contains("font-family: \"EB Garamond\""), "{css}");
}

#[test]
fn design_font_names_a_project_family_known_by_its_name_table() {
    let scratch = Scratch::new("liberation");
    let (epub_path, pdf) = built("liberation", &scratch);
    if let Some(rows) = pdffonts(&pdf) {
        let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.iter().any(|n| n.ends_with("+LiberationSerif")),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.ends_with("+LiberationSerif-Italic")),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n.contains("EBGaramond")), "{names:?}");
    }
    let bytes = std::fs::read(epub_path).unwrap();
    let css = entry_text(&bytes, "OEBPS/stylesheet.css");
    assert!(
        css.contains("body { font-family: \"Liberation Serif\""),
        "the text family comes first: {css}"
    );
    let fonts: Vec<String> = entries(&bytes)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("OEBPS/fonts/"))
        .collect();
    assert!(
        fonts.contains(&"OEBPS/fonts/LiberationSerif.ttf".to_owned()),
        "{fonts:?}"
    );
}

#[test]
fn chapters_carry_their_language_and_persian_runs_right_to_left() {
    let bytes = epub(&fixture("multilingual"));
    let docs = xhtml(&bytes);
    let html_tag = |needle: &str| -> String {
        let (_, text) = docs
            .iter()
            .find(|(_, t)| t.contains(needle))
            .unwrap_or_else(|| panic!("a chapter holds {needle}"));
        let start = text.find("<html").unwrap();
        text[start..start + text[start..].find('>').unwrap()].to_owned()
    };
    let persian = html_tag("منت خدای را");
    assert!(
        persian.contains("lang=\"fa\"") && persian.contains("xml:lang=\"fa\""),
        "{persian}"
    );
    assert!(persian.contains("dir=\"rtl\""), "{persian}");
    let russian = html_tag("чудное мгновенье");
    assert!(
        russian.contains("lang=\"ru\"") && !russian.contains("dir="),
        "{russian}"
    );
    assert!(html_tag("Wie froh bin ich").contains("lang=\"de\""));
    let scratch = Scratch::new("multilingual");
    let (_, pdf) = built("multilingual", &scratch);
    if let Some(text) = pdftotext(&pdf) {
        for word in ["منت", "خدای", "گلستان", "Eastwick", "мгновенье", "Werther"]
        {
            assert!(text.contains(word), "{word} in:\n{text}");
        }
        // Set right to left, the Persian words come out in reading order (pdftotext adds
        // directional embedding marks around runs, which are not the text's).
        let plain: String = text
            .chars()
            .filter(|c| !('\u{202A}'..='\u{202E}').contains(c))
            .collect();
        for phrase in [
            "منت خدای را عز و جل",
            "فرو می\u{200C}رود ممد حیات",
            "به انگلیسی برگرداند.",
        ] {
            assert!(plain.contains(phrase), "{phrase} in:\n{plain}");
        }
    }
}

#[test]
fn a_german_edition_gets_german_headings_and_labels_override_one() {
    let bytes = epub(&fixture("multilingual"));
    let all: String = xhtml(&bytes).into_values().collect();
    for word in [
        "Inhaltsverzeichnis",
        "Textzeugen",
        "Abweichungen",
        "Anmerkungen",
        "Herkunft",
    ] {
        assert!(all.contains(word), "EPUB: {word}");
    }
    assert!(!all.contains(">Contents<") && !all.contains("Points of divergence"));
    assert!(
        !all.contains(">Inhalt<"),
        "the override replaces the built-in word"
    );
    let scratch = Scratch::new("multilingual-pdf");
    let (_, pdf) = built("multilingual", &scratch);
    if let Some(text) = pdftotext(&pdf) {
        for word in [
            "Inhaltsverzeichnis",
            "Textzeugen",
            "Abweichungen",
            "Textzeuge A",
            "Sigle",
        ] {
            assert!(text.contains(word), "PDF: {word}");
        }
        assert!(!text.contains("Contents") && !text.contains("Points of divergence"));
    }
}
