//! The citable, checkable apparatus (#15) end to end: paragraph numbers and the apparatus
//! mode in both outputs, quotations in readings checked against their witnesses,
//! `occurrence`, the manuscript keys of the front matter, and `--only` handouts.

use crate::epub::archive::{entry_text, fixture, xhtml};
use crate::harness::{copy_seed, edition, files_under, variorum, CreationOrder, Scratch};
use crate::validators::run;
use std::path::{Path, PathBuf};

/// `variorum build <project> --out <out> [extra…]`, which must succeed.
fn build_ok(project: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "build".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    let run = variorum(args);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.stderr
}

/// The seed, copied into `scratch`, with `design.notes: apparatus` when `apparatus`.
fn seed_copy(scratch: &Scratch, apparatus: bool) -> PathBuf {
    let project = scratch.path().join("seed");
    copy_seed(&project, CreationOrder::ByName);
    if apparatus {
        let yaml = project.join("footnotes.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        let text = text.replacen(
            "\n  date: 2026-11-22\n",
            "\n  date: 2026-11-22\n  design:\n    notes: apparatus\n",
            1,
        );
        assert!(text.contains("notes: apparatus"));
        std::fs::write(&yaml, text).unwrap();
    }
    project
}

fn pdftotext(pdf: &Path) -> Option<String> {
    let (ok, out) = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])?;
    assert!(ok, "{out}");
    Some(out)
}

fn output(out: &Path, ext: &str) -> PathBuf {
    files_under(out)
        .into_iter()
        .find(|f| f.extension().is_some_and(|e| e == ext))
        .unwrap_or_else(|| panic!("no .{ext} in {}", out.display()))
}

#[test]
fn the_seed_builds_in_both_note_modes_with_numbered_paragraphs() {
    let scratch = Scratch::new("apparatus-modes");
    for apparatus in [false, true] {
        let project = seed_copy(&scratch, apparatus);
        let out = scratch.path().join(format!("out-{apparatus}"));
        build_ok(&project, &out, &[]);
        let pages = xhtml(&std::fs::read(output(&out, "epub")).unwrap());
        let chapter_a = pages
            .iter()
            .find(|(_, x)| x.contains("id=\"p-A-1\""))
            .map(|(_, x)| x)
            .expect("witness A's first paragraph has the id p-A-1");
        for n in 1..=5 {
            assert!(chapter_a.contains(&format!("id=\"p-A-{n}\"")), "p-A-{n}");
        }
        assert!(chapter_a.contains("<span class=\"para-number\">1</span>"));
        // Every note shows its lemma, the witness's own text, and its kind.
        assert!(chapter_a.contains("<span class=\"lemma\">On January 1, 1988</span>]"));
        let Some(text) = pdftotext(&output(&out, "pdf")) else {
            continue;
        };
        // `12 lemma] A; …` in apparatus mode; `1 discrepancy. lemma] …` as footnotes.
        let entry = regex_lite_entry(&text, apparatus);
        assert!(
            entry.is_some(),
            "no {} entry in the PDF text",
            if apparatus { "apparatus" } else { "footnote" }
        );
        if apparatus {
            assert!(
                text.contains("1 On January 1, 1988] A; "),
                "the first entry is keyed by paragraph 1"
            );
            assert!(text
                .lines()
                .any(|l| l.starts_with("2 ") && l.contains("] A")));
        } else {
            assert!(text.contains("1 discrepancy. On January 1, 1988]"));
            assert!(text.contains("Readings: A \"On January 1, 1988\""));
        }
    }
}

/// A line of the PDF's text that begins an apparatus entry (`12 lemma] A`) or a footnote
/// with its lemma (`1 kind. lemma]`).
fn regex_lite_entry(text: &str, apparatus: bool) -> Option<&str> {
    text.lines().find(|line| {
        let Some((number, rest)) = line.split_once(' ') else {
            return false;
        };
        let keyed = !number.is_empty() && number.chars().all(|c| c.is_ascii_digit());
        let lemma = match rest.split_once("] ") {
            Some((_, after)) if apparatus => after.starts_with(char::is_uppercase),
            Some((before, _)) => before.contains(". "),
            None => false,
        };
        keyed && lemma
    })
}

#[test]
fn a_quotation_changed_by_one_character_is_refused_at_its_reading() {
    let scratch = Scratch::new("apparatus-reading");
    let project = seed_copy(&scratch, false);
    let yaml = project.join("footnotes.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let reading = "'\"In January 1988\"'";
    let at = text.find(reading).expect("the seed quotes B");
    let line = text[..at].lines().count();
    let column = at - text[..at].rfind('\n').unwrap();
    std::fs::write(&yaml, text.replacen(reading, "'\"In Januari 1988\"'", 1)).unwrap();
    let run = variorum([Path::new("check"), &project]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the reading of B in note `a-letter-date` quotes “In Januari 1988”"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("footnotes.yaml:{line}:{column}")),
        "located at the reading, {line}:{column}: {}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("the closest passage is “In January 1988”"));
}

#[test]
fn occurrence_picks_the_second_of_two_identical_paragraphs() {
    let edition = edition(&fixture("anchor-occurrence"));
    let note = edition
        .notes
        .iter()
        .find(|n| n.id == "l-signature")
        .unwrap();
    let numbers = &edition.sections[note.section].numbers;
    assert_eq!(note.paragraph, numbers.iter().flatten().last().copied());
    assert_eq!(note.paragraph, Some(4));
    assert_eq!(note.lemma, "Abraham Lincoln.");
}

#[test]
fn the_manuscript_keys_show_in_both_outputs_without_warnings() {
    let scratch = Scratch::new("apparatus-manuscripts");
    let out = scratch.path().join("out");
    let stderr = build_ok(&fixture("manuscripts"), &out, &[]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let epub = std::fs::read(output(&out, "epub")).unwrap();
    let witnesses = entry_text(&epub, "OEBPS/witnesses.xhtml");
    let nicolay = entry_text(&epub, "OEBPS/witness-n.xhtml");
    let pdf = pdftotext(&output(&out, "pdf"));
    for shown in [
        "Repository",
        "Library of Congress, Manuscript Division",
        "Shelfmark",
        "Abraham Lincoln Papers, Nicolay copy",
        "Written",
        "1863-11",
        "Hand",
        "Material",
        "Extent",
        "2 leaves",
        "Language",
        "en-US",
        "Captured from",
        "https://www.loc.gov/exhibits/gettysburg-address/",
        "Accessed",
        "2026-02-01",
    ] {
        assert!(witnesses.contains(shown), "Witnesses page: {shown}");
        assert!(nicolay.contains(shown), "N's header: {shown}");
        if let Some(pdf) = &pdf {
            assert!(pdf.contains(shown), "PDF: {shown}");
        }
    }
    assert!(witnesses.contains("Archived copy"));
    // The apparatus mode of this fixture: entries keyed by N's paragraphs.
    if let Some(pdf) = &pdf {
        assert!(
            pdf.contains("2 have hallowed it] N; \"have consecrated it\" B;"),
            "{pdf}"
        );
    }
}

#[test]
fn only_writes_a_handout_of_its_own_beside_the_full_edition() {
    let scratch = Scratch::new("apparatus-only");
    let project = seed_copy(&scratch, false);
    let out = scratch.path().join("out");
    build_ok(&project, &out, &[]);
    let full: Vec<(PathBuf, Vec<u8>)> = files_under(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(&f).unwrap()))
        .collect();
    assert_eq!(full.len(), 2);
    build_ok(&project, &out, &["--only", "c, a"]);
    for (path, bytes) in &full {
        assert_eq!(
            &std::fs::read(path).unwrap(),
            bytes,
            "{} untouched",
            path.display()
        );
    }
    let handout = out.join("the-letter-to-gorbachev-A-C.epub");
    assert!(handout.exists(), "{:?}", files_under(&out));
    assert!(out.join("the-letter-to-gorbachev-A-C.pdf").exists());
    let identifier = |epub: &[u8]| {
        let opf = entry_text(epub, "OEBPS/content.opf");
        let start = opf.find("<dc:identifier").unwrap();
        let end = start + opf[start..].find("</dc:identifier>").unwrap();
        opf[start..end].to_owned()
    };
    let full_epub = &full
        .iter()
        .find(|(p, _)| p.extension().is_some_and(|e| e == "epub"))
        .unwrap()
        .1;
    let handout_bytes = std::fs::read(&handout).unwrap();
    assert_ne!(identifier(full_epub), identifier(&handout_bytes));
    let title_page = xhtml(&handout_bytes)
        .into_values()
        .find(|x| x.contains("class=\"title-page\""))
        .unwrap();
    assert!(
        title_page.contains("Witnesses A and C only"),
        "{title_page}"
    );
    // The same selection gives the same identifier again.
    let again = scratch.path().join("again");
    build_ok(&project, &again, &["--only", "A,C"]);
    let again = std::fs::read(again.join("the-letter-to-gorbachev-A-C.epub")).unwrap();
    assert_eq!(identifier(&again), identifier(&handout_bytes));
    // An unknown sigil gets a suggestion.
    let run = variorum([
        "build".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--only".as_ref(),
        "A,CC".as_ref(),
    ]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("`--only` names no witness CC"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `C`"), "{}", run.stderr);
}
