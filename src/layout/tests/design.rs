//! The `design:` keys, each seen on the laid-out pages: type size and leading, the notes'
//! size, margins (one- and two-sided), running heads, paragraphs and paper.

use super::{options, synthetic};
use crate::layout::geometry::Geometry;
use crate::layout::{lay_out, Document, Item, Paper};
use crate::model::{Design, Margins, Paragraphs};

fn set(design: Design) -> (Document, Geometry) {
    let edition = synthetic(2, 14, 3);
    let paper = design.paper.unwrap_or_default();
    let g = Geometry::designed(paper, &design).unwrap();
    let document = lay_out(
        &edition,
        &crate::layout::LayoutOptions {
            design,
            ..options(paper)
        },
    )
    .unwrap();
    (document, g)
}

/// `(x, y, size)` of the first run of each line of page `i` (runs grouped by baseline).
fn line_starts(document: &Document, i: usize) -> Vec<(f32, f32, f32)> {
    let mut starts: Vec<(f32, f32, f32)> = Vec::new();
    let page = &document.pages[i];
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            if super::is_margin_number(page, run) {
                continue;
            }
            match starts.iter_mut().find(|s| (s.1 - run.y).abs() < 0.01) {
                Some(s) => s.0 = s.0.min(run.x),
                None => starts.push((run.x, run.y, run.size)),
            }
        }
    }
    starts
}

/// Pages of the witnesses' bodies (past the title page, the contents and the introduction).
fn body_pages(document: &Document) -> std::ops::Range<usize> {
    3..document.pages.len() - 1
}

fn sizes(document: &Document) -> Vec<f32> {
    let mut sizes: Vec<f32> = document
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.size),
            _ => None,
        })
        .collect();
    sizes.sort_by(f32::total_cmp);
    sizes.dedup();
    sizes
}

fn approx(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.05
}

#[test]
fn size_and_leading_set_the_body_text() {
    let (default, _) = set(Design::default());
    assert!(sizes(&default).contains(&11.0));
    let (document, g) = set(Design {
        size: Some(12.5),
        leading: Some(17.0),
        ..Design::default()
    });
    assert!(sizes(&document).contains(&12.5) && !sizes(&document).contains(&11.0));
    let page = body_pages(&document).start + 1;
    let mut body: Vec<f32> = line_starts(&document, page)
        .into_iter()
        .filter(|s| s.2 == 12.5 && s.1 > g.top && s.1 < g.bottom())
        .map(|s| s.1)
        .collect();
    body.sort_by(f32::total_cmp);
    let steps: Vec<f32> = body.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        steps.iter().filter(|&&d| approx(d, 17.0)).count() > 10,
        "{steps:?}"
    );
}

#[test]
fn notes_size_sets_the_notes() {
    let (default, _) = set(Design::default());
    assert!(sizes(&default).contains(&9.0), "{:?}", sizes(&default));
    let (document, _) = set(Design {
        notes_size: Some(7.5),
        ..Design::default()
    });
    assert!(sizes(&document).contains(&7.5) && !sizes(&document).contains(&9.0));
}

#[test]
fn margins_set_the_text_block_and_its_measure() {
    let inch = 72.0;
    let (document, g) = set(Design {
        margins: Margins {
            inner: Some(inch),
            outer: Some(inch),
            top: Some(inch),
            bottom: Some(inch),
        },
        ..Design::default()
    });
    assert!(approx(g.measure, 595.28 - 2.0 * inch));
    for i in body_pages(&document) {
        let starts = line_starts(&document, i);
        let left = starts.iter().map(|s| s.0).fold(f32::MAX, f32::min);
        assert!(approx(left, inch), "page {i}: {left}");
        // Nothing runs past the right margin (a run's text is at least one glyph wide).
        let page = &document.pages[i];
        for item in &page.items {
            if let Item::Glyphs(run) = item {
                if super::is_margin_number(page, run) {
                    continue;
                }
                let last = run.glyphs.last().map_or(0.0, |g| g.x);
                assert!(run.x + last < 595.28 - inch, "page {i}: {run:?}");
            }
        }
        // The body begins an inch down: the running head stands above it.
        let first_body = starts.iter().filter(|s| s.1 > inch).map(|s| s.1);
        assert!(first_body.fold(f32::MAX, f32::min) < inch + 2.0 * g.leading);
    }
}

#[test]
fn two_sided_margins_mirror_versos_and_their_running_heads() {
    let (inner, outer) = (90.0, 50.0);
    let (document, g) = set(Design {
        margins: Margins {
            inner: Some(inner),
            outer: Some(outer),
            ..Margins::default()
        },
        ..Design::default()
    });
    let mut heads = [0, 0];
    for i in body_pages(&document) {
        let starts = line_starts(&document, i);
        let left = starts.iter().map(|s| s.0).fold(f32::MAX, f32::min);
        // Page i + 1 is a verso when even.
        let expected = if (i + 1) % 2 == 0 { outer } else { inner };
        assert!(approx(left, expected), "page {}: {left}", i + 1);
        // The running head is centred over the page's own text block.
        if let Some(head) = starts.iter().find(|s| s.1 < g.top) {
            assert!(head.0 > expected && head.0 < expected + g.measure / 2.0);
            heads[(i + 1) % 2] += 1;
        }
    }
    assert!(
        heads[0] > 1 && heads[1] > 1,
        "running heads on versos and rectos: {heads:?}"
    );
}

#[test]
fn running_heads_can_be_turned_off() {
    let heads = |document: &Document, g: &Geometry| {
        body_pages(document)
            .flat_map(|i| line_starts(document, i))
            .filter(|s| s.1 < g.top)
            .count()
    };
    let (on, g) = set(Design::default());
    assert!(heads(&on, &g) > 3);
    let (off, g) = set(Design {
        running_heads: Some(false),
        ..Design::default()
    });
    assert_eq!(heads(&off, &g), 0);
}

#[test]
fn spaced_paragraphs_have_no_indent_and_space_between() {
    let indented = |document: &Document, g: &Geometry| {
        body_pages(document)
            .flat_map(|i| line_starts(document, i))
            .filter(|s| s.2 == g.size && approx(s.0, g.left + g.size * 1.2))
            .count()
    };
    let (indent, g) = set(Design::default());
    assert!(indented(&indent, &g) > 5);
    let (spaced, g2) = set(Design {
        paragraphs: Some(Paragraphs::Spaced),
        ..Design::default()
    });
    assert_eq!(indented(&spaced, &g2), 0);
    // Half a line between paragraphs: steps of one and a half lines between body lines.
    let spaces = |document: &Document, g: &Geometry| {
        body_pages(document)
            .map(|i| {
                let mut ys: Vec<f32> = line_starts(document, i)
                    .into_iter()
                    .filter(|s| s.2 == g.size && s.1 > g.top && s.1 < g.bottom())
                    .map(|s| s.1)
                    .collect();
                ys.sort_by(f32::total_cmp);
                ys.windows(2)
                    .filter(|w| approx(w[1] - w[0], g.leading * 1.5))
                    .count()
            })
            .sum::<usize>()
    };
    assert_eq!(spaces(&indent, &g), 0);
    assert!(spaces(&spaced, &g2) > 5);
}

#[test]
fn paper_sets_the_page_and_the_type_follows_it() {
    let (document, g) = set(Design {
        paper: Some(Paper::Royal),
        ..Design::default()
    });
    let page = &document.pages[0];
    assert!(approx(page.width, 442.21) && approx(page.height, 663.31));
    assert_eq!(g.size, 9.5);
    let custom = Paper::parse("170x240mm").unwrap();
    let (document, _) = set(Design {
        paper: Some(custom),
        ..Design::default()
    });
    assert!(approx(document.pages[0].width, 170.0 * 72.0 / 25.4));
}

#[test]
fn margins_that_leave_no_room_are_an_error() {
    let design = Design {
        margins: Margins {
            inner: Some(280.0),
            outer: Some(280.0),
            ..Margins::default()
        },
        ..Design::default()
    };
    let err = Geometry::designed(Paper::A4, &design).unwrap_err();
    assert!(err.contains("too small"), "{err}");
}

/// The German fixture's long compounds break at German pattern points.
#[test]
fn german_text_is_hyphenated_with_german_patterns() {
    use crate::layout::hyphenate::{word_breaks, Lang};
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/multilingual");
    let edition = crate::check(&root).edition.expect("the fixture checks");
    let options = crate::layout::LayoutOptions::for_edition(&edition, None, Default::default());
    let document = lay_out(&edition, &options).unwrap();
    // The introduction's lines, as text, in order.
    let page = document
        .pages
        .iter()
        .find(|p| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Glyphs(r) if r.text.contains("Silbentrennung")))
        })
        .unwrap();
    let mut lines: Vec<(f32, String)> = Vec::new();
    for item in &page.items {
        if let Item::Glyphs(run) = item {
            match lines.iter_mut().find(|l| (l.0 - run.y).abs() < 0.01) {
                Some(l) => l.1.push_str(&format!(" {}", run.text)),
                None => lines.push((run.y, run.text.clone())),
            }
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut cuts = 0;
    for pair in lines.windows(2) {
        let Some(head) = pair[0].1.trim_end().strip_suffix('-') else {
            continue;
        };
        let head = head.rsplit(' ').next().unwrap().trim();
        let tail = pair[1].1.trim_start().split(' ').next().unwrap();
        let word = format!("{head}{tail}");
        let at = head.len() as u32;
        let german = word_breaks(&word, Lang::German);
        assert!(
            german.iter().any(|b| b.at == at),
            "{head}-{tail} is a German break"
        );
        cuts += 1;
    }
    assert!(cuts >= 2, "the compounds are hyphenated: {lines:?}");
}
