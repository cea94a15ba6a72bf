//! The generated Index and Chronology end to end, on the fixture edition `backmatter`: every
//! occurrence of every form, counted here independently from the manuscript files; the PDF
//! Index's page numbers checked against `pdftotext`, page by page; the EPUB's links; the
//! Chronology's table, its timeline (SVG with a text alternative, and the PDF's figure).

use crate::epub::archive::{entries, epub, fixture, parse, xhtml};
use crate::harness::{build, copy_dir, edition, fold, repo, Scratch};
use crate::validators::run;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use variorum::model::{plain_text, Block, Inline, Section};

/// The fixture's `index:` as plain data: `(name, note, forms)`, read here with a YAML parser
/// of its own.
fn index_entries(root: &Path) -> Vec<(String, Option<String>, Vec<String>)> {
    let text = std::fs::read_to_string(root.join("footnotes.yaml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    docs[0]["index"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["note"].as_str().map(str::to_owned),
                e["forms"]
                    .as_vec()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

/// The body of each manuscript file (front matter and citations `[@…]` left out, white
/// space folded), by file name.
fn manuscript_bodies(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("manuscript")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        let mut plain = String::new();
        let mut rest = body;
        while let Some(i) = rest.find("[@") {
            plain.push_str(&rest[..i]);
            rest = &rest[i + rest[i..].find(']').unwrap() + 1..];
        }
        plain.push_str(rest);
        out.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            fold(&plain),
        );
    }
    out
}

/// How often each entry's forms occur in `text`: scanning from the left, the longest form
/// that matches on word boundaries is taken and the scan goes on after it.
fn count(text: &str, entries: &[(String, Option<String>, Vec<String>)]) -> Vec<usize> {
    let mut forms: Vec<(&str, usize)> = entries
        .iter()
        .enumerate()
        .flat_map(|(e, (_, _, forms))| forms.iter().map(move |f| (f.as_str(), e)))
        .collect();
    forms.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
    let mut counts = vec![0; entries.len()];
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut at = 0;
    while at < text.len() {
        let before = text[..at].chars().next_back();
        let found = forms.iter().find(|(f, _)| {
            text[at..].starts_with(f) && !word(before) && !word(text[at + f.len()..].chars().next())
        });
        match found {
            Some((f, e)) => {
                counts[*e] += 1;
                at += f.len();
            }
            None => at += text[at..].chars().next().unwrap().len_utf8(),
        }
    }
    counts
}

/// The Index section of an edition.
fn index_section(sections: &[Section]) -> &Section {
    sections
        .iter()
        .find(|s| s.file_name == "index")
        .expect("an Index")
}

/// The Index's entries as `(heading text, references of each group)`, in order.
fn listed(section: &Section) -> Vec<(String, Vec<(String, usize)>)> {
    section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Entry { content, .. } => Some(content),
            _ => None,
        })
        .map(|content| {
            let mut groups = Vec::new();
            let mut label = String::new();
            for inline in content {
                match inline {
                    Inline::Text { text, style, .. } if style.italic => label = text.clone(),
                    Inline::PlaceRefs(refs) => groups.push((label.clone(), refs.len())),
                    _ => {}
                }
            }
            (plain_text(content), groups)
        })
        .collect()
}

#[test]
fn the_index_lists_every_occurrence_of_each_form() {
    let root = fixture("backmatter");
    let entries = index_entries(&root);
    assert!(entries.len() >= 5);
    let edition = edition(&root);
    let bodies = manuscript_bodies(&root);
    let listed = listed(index_section(&edition.sections));
    assert_eq!(
        listed.len(),
        entries.len(),
        "every entry occurs, so every entry is listed"
    );
    for (name, _, _) in &entries {
        let (_, groups) = listed
            .iter()
            .find(|(text, _)| text.starts_with(name.as_str()))
            .unwrap_or_else(|| panic!("`{name}` is not in the Index"));
        let e = entries.iter().position(|(n, _, _)| n == name).unwrap();
        // Per section: the independent count in its file against the Index's references.
        for section in edition
            .sections
            .iter()
            .filter(|s| bodies.contains_key(&s.file_name))
        {
            let expected = count(&bodies[&section.file_name], &entries)[e];
            let label = section
                .witness
                .as_ref()
                .map_or(section.title.clone(), |w| w.sigil.clone());
            let got = groups
                .iter()
                .find(|(l, _)| *l == label)
                .map_or(0, |(_, n)| *n);
            assert_eq!(got, expected, "`{name}` in {}", section.file_name);
        }
    }
    let total: usize = listed
        .iter()
        .flat_map(|(_, g)| g.iter().map(|(_, n)| n))
        .sum();
    assert!(total >= 20, "{total} occurrences");
}

#[test]
fn the_epub_index_links_to_each_occurrence() {
    let root = fixture("backmatter");
    let book = epub(&root);
    let docs = xhtml(&book);
    let entries = index_entries(&root);
    let (_, index) = docs
        .iter()
        .find(|(_, t)| t.contains("id=\"index-1\""))
        .expect("the Index page");
    let doc = parse(index);
    let mut links = 0;
    for p in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("entry"))
    {
        let text = fold(
            &p.descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect::<String>(),
        );
        let (_, _, forms) = entries
            .iter()
            .find(|(name, _, _)| text.starts_with(name.as_str()))
            .unwrap_or_else(|| panic!("an entry for no name: {text}"));
        for a in p.descendants().filter(|n| n.has_tag_name("a")) {
            links += 1;
            let (file, id) = a.attribute("href").unwrap().split_once('#').unwrap();
            let target = &docs[file];
            // The place is an empty span right before the form.
            let marker = format!("<span id=\"{id}\"></span>");
            let at = target
                .find(&marker)
                .unwrap_or_else(|| panic!("no {marker} in {file}"));
            let mut after = &target[at + marker.len()..];
            // Other places may begin there too (a passage the Chronology dates).
            while let Some(rest) = after.strip_prefix("<span id=\"") {
                after = &rest[rest.find("></span>").unwrap() + "></span>".len()..];
            }
            // Editorial text is set with typographic apostrophes; forms match either.
            let after = after.replace('\u{2019}', "'");
            assert!(
                forms
                    .iter()
                    .any(|f| after.starts_with(&f.replace('\u{2019}', "'"))),
                "{file}#{id} is not at a form of `{text}`: {}",
                &after[..after.len().min(40)]
            );
        }
    }
    assert!(links >= 15, "{links} links");
}

/// The text of each page of a PDF, by `pdftotext` (pages end with a form feed).
fn pdf_pages(pdf: &Path) -> Option<Vec<String>> {
    let (ok, text) = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])?;
    assert!(ok);
    Some(text.split('\u{c}').map(str::to_owned).collect())
}

/// The fixture built into a scratch folder: the PDF and the EPUB.
fn built(scratch: &Scratch, paper: Option<&str>) -> (PathBuf, PathBuf) {
    let project = scratch.path().join("backmatter");
    copy_dir(&fixture("backmatter"), &project);
    copy_dir(&repo().join("fonts"), &project.join("fonts"));
    let out = scratch.path().join("out");
    let run = match paper {
        None => build(&project, &out),
        Some(paper) => crate::harness::variorum([
            "build",
            project.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--paper",
            paper,
        ]),
    };
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let file = |ext: &str| {
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap()
    };
    (file("pdf"), file("epub"))
}

/// A page's text with its lines joined (words hyphenated at a line's end joined again).
fn joined(page: &str) -> String {
    fold(&page.replace("-\n", ""))
}

#[test]
fn the_pdf_index_gives_the_pages_where_the_forms_occur() {
    for paper in [None, Some("a5")] {
        let scratch = Scratch::new("index-pdf");
        let (pdf, _) = built(&scratch, paper);
        let Some(pages) = pdf_pages(&pdf) else { return };
        let entries = index_entries(&fixture("backmatter"));
        // Page i of the PDF (from 0, the cover) carries folio i.
        let folio = |i: usize| {
            pages[i]
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_owned())
        };
        let line = |p: &str, text: &str| p.lines().any(|l| l.trim() == text);
        let first = pages
            .iter()
            .position(|p| line(p, "Index") && line(p, "Persons") && !line(p, "Contents"))
            .expect("the Index's first page");
        // The Index's lines without its folios, white space folded within each.
        let text = pages[first..]
            .iter()
            .map(|p| {
                let lines: Vec<String> = p
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(fold)
                    .collect();
                lines[..lines.len().saturating_sub(1)].join("\n")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut starts: Vec<(usize, usize)> = entries
            .iter()
            .enumerate()
            .map(|(e, (name, note, _))| {
                let heading = match note {
                    Some(n) => format!("{name}, {n}"),
                    None => name.clone(),
                };
                // Each entry begins a line.
                let at = text
                    .find(&format!("\n{heading}, "))
                    .unwrap_or_else(|| panic!("`{heading}` is not in the PDF's Index: {text}"));
                (at + 1 + heading.len(), e)
            })
            .collect();
        starts.sort();
        let mut checked = 0;
        for (k, &(start, e)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(text.len(), |s| s.0);
            let segment = &text[start..end];
            let numbers = page_numbers(segment);
            assert!(
                !numbers.is_empty(),
                "no pages for `{}`: {segment}",
                entries[e].0
            );
            for n in numbers {
                // The page prints folio n (its last line, or, when paragraph numbers in
                // the margin come after it in pdftotext's order, one line of its own).
                assert!(
                    folio(n).as_deref() == Some(n.to_string().as_str())
                        || line(&pages[n], &n.to_string()),
                    "page {n}"
                );
                let page = joined(&pages[n]);
                assert!(
                    entries[e].2.iter().any(|f| page
                        .replace('\u{2019}', "'")
                        .contains(&f.replace('\u{2019}', "'"))),
                    "{paper:?}: page {n} has no form of `{}`",
                    entries[e].0
                );
                checked += 1;
            }
        }
        assert!(checked >= 15, "{checked} page references");
    }
}

/// The page numbers of an Index entry's text: `4, 6–8` gives 4, 6, 7, 8.
fn page_numbers(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_digit()) {
        rest = &rest[i..];
        let len = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let first: usize = rest[..len].parse().unwrap();
        rest = &rest[len..];
        if let Some(after) = rest.strip_prefix('\u{2013}') {
            let len = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let last: usize = after[..len].parse().unwrap();
            out.extend(first..=last);
            rest = &after[len..];
        } else {
            out.push(first);
        }
    }
    out
}

/// The fixture's event labels, as written.
fn event_labels(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("footnotes.yaml")).unwrap();
    let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
    docs[0]["events"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|e| e["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_chronology_has_a_table_and_a_described_timeline_in_the_epub() {
    let root = fixture("backmatter");
    let labels = event_labels(&root);
    assert!(labels.len() >= 3);
    let book = epub(&root);
    let docs = xhtml(&book);
    let (_, page) = docs
        .iter()
        .find(|(_, t)| t.contains("class=\"timeline\""))
        .expect("the Chronology page");
    let doc = parse(page);
    let img = doc
        .descendants()
        .find(|n| n.has_tag_name("img"))
        .expect("the timeline's image");
    assert!(!img.attribute("alt").unwrap_or("").trim().is_empty());
    let described = img.attribute("aria-describedby").unwrap();
    let table = doc
        .descendants()
        .find(|n| n.has_tag_name("table") && n.attribute("id") == Some(described))
        .expect("the table that describes the figure");
    let rows: Vec<_> = table
        .descendants()
        .filter(|n| n.has_tag_name("tbody"))
        .flat_map(|b| b.children().filter(|n| n.has_tag_name("tr")))
        .collect();
    assert_eq!(rows.len(), labels.len());
    let table_text: String = table
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    for label in &labels {
        assert!(table_text.contains(label.as_str()), "{label}");
    }
    // Each witness's dating links to the passage that gives it.
    let mut passages = 0;
    for a in table
        .descendants()
        .filter(|n| n.has_tag_name("a") && n.attribute("class") == Some("place"))
    {
        let (file, id) = a.attribute("href").unwrap().split_once('#').unwrap();
        assert!(
            docs[file].contains(&format!("<span id=\"{id}\"></span>")),
            "{file}#{id}"
        );
        passages += 1;
    }
    assert_eq!(passages, 7, "the fixture's seven datings");
    // The image is well-formed SVG, with a title, and shows every event.
    let src = img.attribute("src").unwrap();
    let svg = entries(&book)
        .into_iter()
        .find(|(name, _)| *name == format!("OEBPS/{src}"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .expect("the SVG in the archive");
    let svg_doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let root_el = svg_doc.root_element();
    assert_eq!(root_el.tag_name().name(), "svg");
    let title = root_el
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or("");
    assert!(!title.trim().is_empty());
    let drawn: Vec<&str> = svg_doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for label in &labels {
        assert!(drawn.iter().any(|t| t.ends_with(label.as_str())), "{label}");
    }
}

#[test]
fn the_pdf_draws_the_timeline_on_a_page_with_the_event_labels() {
    let scratch = Scratch::new("chronology-pdf");
    let (pdf, _) = built(&scratch, Some("a5"));
    let Some(pages) = pdf_pages(&pdf) else { return };
    let labels = event_labels(&fixture("backmatter"));
    // The figure's page: its rows are labelled `N. label`, its axis with dates.
    let page = pages
        .iter()
        .map(|p| joined(p))
        .find(|p| p.contains(&format!(". {}", labels[0])))
        .expect("the timeline's page");
    for label in &labels {
        assert!(
            page.contains(&format!(". {label}")),
            "`{label}` is not on the timeline's page: {page}"
        );
    }
    assert!(page.contains("1666-09-02"), "{page}");
    let edition = edition(&fixture("backmatter"));
    assert!(edition
        .sections
        .iter()
        .any(|s| s.blocks.iter().any(|b| matches!(b, Block::Timeline(_)))));
}
