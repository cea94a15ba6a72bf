//! Numbered lines (`design.line-numbers`) read back from the PDF with poppler: the numbers in
//! the inner margin count each witness's lines, apparatus entries are keyed by the lines
//! their lemmata run over, the numbers never come between the words of a line in the
//! extracted text, and footnotes are numbered without gaps in both outputs in apparatus
//! mode. The edition is `tests/fixtures/valid/second-inaugural` (three witnesses, A5).

use crate::epub::archive::{fixture, xhtml};
use crate::harness::{build_succeeding, output, Scratch};
use crate::validators::run;
use std::path::{Path, PathBuf};

/// A word as `pdftotext -bbox` places it (points, origin at the top left).
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub text: String,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
}

impl Word {
    fn height(&self) -> f32 {
        self.y_max - self.y_min
    }

    fn middle(&self) -> f32 {
        (self.y_min + self.y_max) / 2.0
    }

    fn is_number(&self) -> bool {
        !self.text.is_empty() && self.text.chars().all(|c| c.is_ascii_digit())
    }
}

/// The words of every page, with each page's height; `None` without poppler outside CI.
pub(crate) fn words_by_page(pdf: &Path) -> Option<Vec<(f32, Vec<Word>)>> {
    let (ok, out) = run("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"])?;
    assert!(ok, "{out}");
    let attribute = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages = Vec::new();
    for line in out.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push((attribute(line, "height"), Vec::new()));
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>').unwrap();
            let text = text.strip_suffix("</word>").unwrap();
            let text = text
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            pages.last_mut().unwrap().1.push(Word {
                text,
                x_min: attribute(tag, "xMin"),
                y_min: attribute(tag, "yMin"),
                x_max: attribute(tag, "xMax"),
                y_max: attribute(tag, "yMax"),
            });
        }
    }
    Some(pages)
}

/// A page's body text cut into rows, and the numbers printed in its inner margin.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Rows of body-size words, top to bottom.
    pub rows: Vec<Vec<Word>>,
    /// `(row index, number)` for each number beside a row in the inner margin.
    pub line_numbers: Vec<(usize, u32)>,
    /// The line-number words themselves.
    pub number_words: Vec<Word>,
}

/// The most common word height of the whole document: the body type's.
fn body_height(pages: &[(f32, Vec<Word>)]) -> f32 {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for (_, words) in pages {
        for w in words {
            *counts
                .entry((w.height() * 10.0).round() as i32)
                .or_default() += 1;
        }
    }
    let (height, _) = counts.into_iter().max_by_key(|(_, n)| *n).unwrap();
    height as f32 / 10.0
}

/// Cuts each page into body rows and inner-margin numbers: numbers outside the text block
/// (whose edges are those of the body rows of the whole document) on the inner side. The
/// page's folio (the number lowest on it) says recto or verso: a recto's inner margin is on
/// its left.
pub(crate) fn read_pages(pages: &[(f32, Vec<Word>)]) -> Vec<Page> {
    let body = body_height(pages);
    let mut out: Vec<Page> = pages
        .iter()
        .map(|(_, words)| {
            let mut page = Page::default();
            let mut body_words: Vec<&Word> = words
                .iter()
                .filter(|w| (w.height() - body).abs() < 0.3)
                .collect();
            body_words.sort_by(|a, b| {
                a.y_max
                    .total_cmp(&b.y_max)
                    .then(a.x_min.total_cmp(&b.x_min))
            });
            for w in body_words {
                match page.rows.last_mut() {
                    Some(row) if (row[0].y_max - w.y_max).abs() < 1.0 => row.push(w.clone()),
                    _ => page.rows.push(vec![w.clone()]),
                }
            }
            page
        })
        .collect();
    let all = || out.iter().flat_map(|p| p.rows.iter().flatten());
    let left = all().map(|w| w.x_min).fold(f32::INFINITY, f32::min);
    let right = all().map(|w| w.x_max).fold(f32::NEG_INFINITY, f32::max);
    for (page, (_, words)) in out.iter_mut().zip(pages) {
        let Some(folio) = words
            .iter()
            .filter(|w| w.is_number())
            .max_by(|a, b| a.y_min.total_cmp(&b.y_min))
        else {
            continue;
        };
        let recto = folio.text.parse::<u32>().unwrap() % 2 == 1;
        for w in words
            .iter()
            .filter(|w| w.is_number() && w.height() < body * 0.9)
        {
            let inner = if recto {
                w.x_max < left - 1.0
            } else {
                w.x_min > right + 1.0
            };
            if !inner {
                continue;
            }
            let row = page.rows.iter().position(|r| {
                let (top, bottom) = (r[0].y_min, r[0].y_max);
                w.middle() > top && w.middle() < bottom
            });
            let row = row.unwrap_or_else(|| panic!("line number {} beside no line", w.text));
            page.line_numbers.push((row, w.text.parse().unwrap()));
            page.number_words.push(w.clone());
        }
    }
    out
}

impl Page {
    /// The number of row `k`, counted from the nearest numbered row of the page.
    fn number_of(&self, k: usize) -> Option<u32> {
        let (row, n) = self
            .line_numbers
            .iter()
            .min_by_key(|(row, _)| row.abs_diff(k))?;
        let n = *n as i64 + k as i64 - *row as i64;
        (n > 0).then_some(n as u32)
    }

    /// The row numbered `n`.
    fn row_numbered(&self, n: u32) -> Option<usize> {
        (0..self.rows.len()).find(|&k| self.number_of(k) == Some(n))
    }

    /// The text of rows `from..=to`, words joined by spaces and words broken by a hyphen at
    /// the end of a row joined again.
    fn text(&self, from: usize, to: usize) -> String {
        let mut out = String::new();
        for row in &self.rows[from..=to] {
            for w in row {
                if !out.is_empty() && !out.ends_with('-') {
                    out.push(' ');
                } else if out.ends_with('-') {
                    out.pop();
                }
                out.push_str(&w.text);
            }
        }
        out
    }
}

fn pdftotext_page(pdf: &Path, page: usize) -> String {
    let n = (page + 1).to_string();
    let args = [
        "-f",
        &n,
        "-l",
        &n,
        "-enc",
        "UTF-8",
        pdf.to_str().unwrap(),
        "-",
    ];
    let (ok, out) = run("pdftotext", &args).expect("pdftotext ran once already");
    assert!(ok, "{out}");
    out
}

/// An apparatus entry's head as the PDF's text gives it: `12 lemma] A;` or `12–13 …`.
#[derive(Debug)]
struct Entry {
    first: u32,
    last: u32,
    lemma: String,
}

fn entries(text: &str) -> Vec<Entry> {
    text.lines()
        .filter_map(|line| {
            let (key, rest) = line.split_once(' ')?;
            let (lemma, after) = rest.split_once("] ")?;
            let sigil = after.split_once(';')?.0;
            if sigil.len() != 1 || !sigil.chars().all(|c| c.is_ascii_uppercase()) {
                return None;
            }
            let (first, last) = match key.split_once('\u{2013}') {
                Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
                None => (key.parse().ok()?, key.parse().ok()?),
            };
            Some(Entry {
                first,
                last,
                lemma: lemma.to_owned(),
            })
        })
        .collect()
}

/// Builds the fixture into the scratch folder; returns the EPUB and the PDF.
fn build(scratch: &Scratch) -> (PathBuf, PathBuf) {
    let out = scratch.path().join("out");
    let files = build_succeeding(&fixture("second-inaugural"), &out, &[]);
    (output(&files, "epub"), output(&files, "pdf"))
}

#[test]
fn entries_are_keyed_by_the_lines_their_lemmata_run_over() {
    let scratch = Scratch::new("lines-keys");
    let (_, pdf) = build(&scratch);
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    let pages = read_pages(&words);
    let (mut checked, mut ranges, mut numbered_pages) = (0, 0, 0);
    for (p, page) in pages.iter().enumerate() {
        if page.line_numbers.is_empty() {
            continue;
        }
        numbered_pages += 1;
        // Every fifth line, in order, one row apart per line.
        for pair in page.line_numbers.windows(2) {
            let ((r0, n0), (r1, n1)) = (pair[0], pair[1]);
            assert_eq!(n1, n0 + 5, "page {}: {n0} then {n1}", p + 1);
            assert_eq!(
                r1,
                r0 + 5,
                "page {}: lines {n0} and {n1} five rows apart",
                p + 1
            );
        }
        assert!(page.line_numbers.iter().all(|(_, n)| n % 5 == 0));
        let text = pdftotext_page(&pdf, p);
        for entry in entries(&text) {
            let (Some(from), Some(to)) = (
                page.row_numbered(entry.first),
                page.row_numbered(entry.last),
            ) else {
                panic!("page {}: {entry:?} names a line not on its page", p + 1);
            };
            let (start, end) = match entry.lemma.split_once(" \u{2026} ") {
                Some((a, b)) => (a.to_owned(), b.to_owned()),
                None => (entry.lemma.clone(), entry.lemma.clone()),
            };
            let first_word = start.split(' ').next().unwrap();
            let last_word = end.rsplit(' ').next().unwrap();
            let span = page.text(from, to);
            let (Some(a), Some(b)) = (span.find(&start), span.rfind(&end)) else {
                panic!(
                    "page {}: {entry:?}: the lemma is not on lines {}–{}: {span}",
                    p + 1,
                    entry.first,
                    entry.last
                );
            };
            assert!(a <= b, "{entry:?}");
            // It begins on the first line named and ends on the last.
            assert!(
                page.text(from, from).contains(first_word)
                    || page.rows[from].last().is_some_and(|w| w.text.ends_with('-')
                        && first_word.starts_with(w.text.trim_end_matches('-'))),
                "page {}: {entry:?}: line {} does not hold `{first_word}`: {}",
                p + 1,
                entry.first,
                page.text(from, from)
            );
            assert!(
                page.text(to, to).contains(last_word)
                    || (to > 0
                        && page.rows[to - 1]
                            .last()
                            .is_some_and(|w| w.text.ends_with('-'))
                        && last_word.ends_with(page.rows[to][0].text.as_str())),
                "page {}: {entry:?}: line {} does not hold `{last_word}`: {}",
                p + 1,
                entry.last,
                page.text(to, to)
            );
            if to > from {
                // A whole lemma is not on fewer lines than the key says.
                if start == end {
                    assert!(!page.text(from, to - 1).contains(&start), "{entry:?}");
                    assert!(!page.text(from + 1, to).contains(&start), "{entry:?}");
                }
                ranges += 1;
            }
            checked += 1;
        }
    }
    assert!(
        numbered_pages >= 3,
        "the witnesses' pages carry line numbers"
    );
    assert!(checked >= 8, "{checked} entries checked");
    assert!(ranges >= 1, "a lemma over two lines gives a range");
}

/// `text` without the superscript digits of note marks.
fn without_marks(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{B9}' | '\u{B2}' | '\u{B3}' | '\u{2070}'..='\u{2079}'))
        .collect()
}

#[test]
fn line_numbers_never_come_between_the_words_of_a_line() {
    let scratch = Scratch::new("lines-order");
    let (_, pdf) = build(&scratch);
    let Some(words) = words_by_page(&pdf) else {
        return;
    };
    let pages = read_pages(&words);
    let mut rows = 0;
    for (p, page) in pages.iter().enumerate() {
        if page.line_numbers.is_empty() {
            continue;
        }
        let text = pdftotext_page(&pdf, p);
        // Compared without white space (pdftotext sets none before a full stop that follows
        // a mark), so that a number coming between two words would show.
        let folded: String = without_marks(&text).split_whitespace().collect();
        for (k, row) in page.rows.iter().enumerate() {
            // The row's whole words: not a piece broken at a hyphen, which pdftotext joins.
            let broken_before = k > 0
                && page.rows[k - 1]
                    .last()
                    .is_some_and(|w| w.text.ends_with('-'));
            let mut inner: Vec<&str> = row.iter().map(|w| w.text.as_str()).collect();
            if inner.last().is_some_and(|w| w.ends_with('-')) {
                inner.pop();
            }
            if broken_before && !inner.is_empty() {
                inner.remove(0);
            }
            if inner.len() < 2 {
                continue;
            }
            let line = without_marks(&inner.concat());
            assert!(
                folded.contains(&line),
                "page {}: the words of a line are parted in the text: {line}",
                p + 1
            );
            rows += 1;
        }
        // The numbers stand on lines of their own in the extracted text.
        for (_, n) in &page.line_numbers {
            assert!(
                text.lines().any(|l| l.trim() == n.to_string()),
                "page {}: line number {n} is run into the text",
                p + 1
            );
        }
    }
    assert!(rows > 50, "{rows} lines checked");
}

#[test]
fn footnotes_are_numbered_without_gaps_in_both_outputs_in_apparatus_mode() {
    let scratch = Scratch::new("lines-footnotes");
    let (epub, pdf) = build(&scratch);
    // The EPUB: numbered marks 1, 2, 3, … for the discursive notes, lettered a, b, c, … for
    // the critical ones, each series without a gap, in reading order.
    let pages = xhtml(&std::fs::read(&epub).unwrap());
    let mut numbers = Vec::new();
    let mut letters = Vec::new();
    for page in pages.values() {
        for piece in page.split("class=\"noteref\"").skip(1) {
            let mark = piece.split_once('>').unwrap().1.split_once('<').unwrap().0;
            if mark.chars().all(|c| c.is_ascii_digit()) {
                numbers.push(mark.parse::<usize>().unwrap());
            } else {
                letters.push(mark.to_owned());
            }
        }
    }
    // The fixture's 15 notes: 6 discursive, 9 critical.
    assert_eq!(numbers, (1..=6).collect::<Vec<_>>(), "numbered marks");
    let expected: Vec<String> = ('a'..='i').map(String::from).collect();
    assert_eq!(letters, expected, "lettered marks");
    // The PDF: the footnotes' numbers (`3 gloss. …`), in order, are the EPUB's.
    let Some((ok, text)) = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]) else {
        return;
    };
    assert!(ok, "{text}");
    let kinds = ["gloss. ", "provenance. "];
    let footnotes: Vec<usize> = text
        .lines()
        .filter_map(|l| {
            let (n, rest) = l.split_once(' ')?;
            kinds
                .iter()
                .any(|k| rest.starts_with(k))
                .then(|| n.parse().ok())?
        })
        .collect();
    assert_eq!(
        footnotes, numbers,
        "the PDF numbers the same footnotes the same way"
    );
    // And its marks are those numbers as superscripts, in order.
    let marks: Vec<usize> = text
        .chars()
        .filter_map(|c| match c {
            '\u{B9}' => Some(1),
            '\u{B2}' => Some(2),
            '\u{B3}' => Some(3),
            '\u{2074}'..='\u{2079}' => Some(c as usize - 0x2070),
            _ => None,
        })
        .collect();
    assert_eq!(marks, numbers, "the marks in the PDF's text");
}
