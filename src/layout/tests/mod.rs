//! Layout tests on synthetic editions built in memory: line breaking, footnote placement,
//! the text block, folios and the outline; the invariants on the seed edition and a long
//! edition made from it are in `invariants`.

mod design;
mod invariants;

use super::geometry::Geometry;
use super::{lay_out, Document, Item, LayoutError, LayoutOptions, Paper};
use crate::model::{
    Block, Edition, EditionMeta, HeaderField, Inline, Note, NoteKind, Reading, Role, Section,
    Style, Witness,
};
use crate::source::Span;

const WORDS: &[&str] = &[
    "the",
    "letter",
    "was",
    "addressed",
    "to",
    "Mikhail",
    "Gorbachev",
    "and",
    "its",
    "witnesses",
    "disagree",
    "about",
    "extraordinary",
    "circumstances",
    "of",
    "publication",
    "in",
    "a",
    "newspaper",
    "which",
    "reprinted",
    "characteristically",
    "unreliable",
    "transcription",
    "with",
    "several",
    "omissions",
    "hyphenation",
    "editorial",
    "interpretation",
    "office",
    "affliction",
    "Горбачеву",
    "письмо",
    "█████",
    "□",
    "documentary",
    "evidence",
    "suggests",
];

/// A small deterministic generator of text.
struct Words(u64);

impl Words {
    fn next(&mut self) -> &'static str {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        WORDS[((self.0 >> 33) % WORDS.len() as u64) as usize]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.next()).collect();
        s[0] = "The";
        s.join(" ") + "."
    }
}

pub(crate) fn text(t: &str) -> Inline {
    Inline::Text {
        text: t.to_string(),
        style: Style::default(),
        link: None,
        span: Span::default(),
    }
}

/// An edition of `witnesses` witnesses with `paragraphs` paragraphs each, and a note after
/// every `note_every`-th sentence.
pub(crate) fn synthetic(witnesses: usize, paragraphs: usize, note_every: usize) -> Edition {
    let mut words = Words(7);
    let mut sections = vec![Section {
        role: Role::Front,
        language: None,
        file_name: "00-intro.md".into(),
        title: "Introduction".into(),
        witness: None,
        blocks: vec![
            Block::Heading {
                level: 1,
                content: vec![text("Introduction")],
            },
            Block::Paragraph(vec![text(&words.sentence(60))]),
        ],
        numbers: vec![None, None],
    }];
    let mut notes = Vec::new();
    let sigla: Vec<String> = (0..witnesses)
        .map(|i| ((b'A' + i as u8) as char).to_string())
        .collect();
    for (w, sigil) in sigla.iter().enumerate() {
        let title = format!("Letter {sigil}");
        let mut blocks = vec![
            Block::Heading {
                level: 1,
                content: vec![text(&title)],
            },
            Block::HeaderLine {
                field: HeaderField::Byline,
                content: vec![text("By V█████ W█████")],
            },
            Block::HeaderLine {
                field: HeaderField::Dateline,
                content: vec![text("January 1, 1988")],
            },
        ];
        let mut count = 0;
        for p in 0..paragraphs {
            let mut content = Vec::new();
            for _ in 0..(3 + p % 4) {
                let n = 6 + (words.0 >> 40) as usize % 14;
                content.push(text(&format!("{} ", words.sentence(n))));
                count += 1;
                if count % note_every == 0 {
                    let index = notes.len();
                    content.push(Inline::NoteRef { index });
                    let length = 8 + (index * 7) % 60;
                    notes.push(Note {
                        id: format!("n{index}"),
                        number: index + 1,
                        mark: (index + 1).to_string(),
                        kind: NoteKind::Discrepancy,
                        section: w + 1,
                        witness: sigil.clone(),
                        lemma: "x".into(),
                        paragraph: Some(p as u32 + 1),
                        body: vec![Block::Paragraph(vec![text(&words.sentence(length))])],
                        readings: sigla
                            .iter()
                            .map(|s| Reading {
                                sigil: s.clone(),
                                content: vec![text(&words.sentence(3))],
                            })
                            .collect(),
                    });
                }
            }
            blocks.push(Block::Paragraph(content));
            if p % 7 == 3 {
                blocks.push(Block::Heading {
                    level: 2,
                    content: vec![text("A part")],
                });
            }
        }
        sections.push(Section {
            role: Role::Witness,
            language: None,
            file_name: format!("1{w}-{sigil}.md"),
            title,
            witness: Some(Witness {
                sigil: sigil.clone(),
                title: format!("Letter {sigil}"),
                byline: Some("By V█████ W█████".into()),
                publisher: Some("A Newspaper".into()),
                dateline: Some("January 1, 1988".into()),
                source: Some(format!("00{w}.txt")),
                source_sha256: Some("ab".repeat(32)),
                ..Witness::default()
            }),
            numbers: crate::model::paragraph_numbers(Role::Witness, &blocks),
            blocks,
        });
    }
    Edition {
        meta: EditionMeta {
            title: "The Letter to Gorbachev".into(),
            subtitle: Some("Five witnesses".into()),
            editor: "Variorum editors".into(),
            language: "en".into(),
            identifier: "urn:uuid:test".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            accessibility: Default::default(),
            cover: None,
            design: Default::default(),
            labels: Default::default(),
            selection: None,
        },
        sections,
        notes,
    }
}

pub(crate) fn options(paper: Paper) -> LayoutOptions {
    LayoutOptions {
        paper,
        ..Default::default()
    }
}

/// Whether `run` is the margin number of a paragraph beginning on `page`: the page furniture
/// set beside the line that carries the paragraph's destination (`p-A-12`).
pub(super) fn is_margin_number(page: &crate::layout::Page, run: &crate::layout::GlyphRun) -> bool {
    !run.text.is_empty()
        && run.text.chars().all(|c| c.is_ascii_digit())
        && page.items.iter().any(|i| {
            matches!(i, Item::Destination(d)
                if d.name.starts_with("p-")
                    && d.name.rsplit_once('-').is_some_and(|(_, n)| n == run.text)
                    && run.y > d.y
                    && run.y < d.y + 40.0)
        })
}

/// The page index holding each destination.
fn destination_page(document: &Document, name: &str) -> Option<usize> {
    document.place_pages().get(name).copied()
}

#[test]
fn references_to_places_give_the_pages_the_places_landed_on() {
    let mut edition = synthetic(3, 40, 5);
    // Named places at the start of paragraphs throughout the witnesses, and a back section
    // that refers to them all by their pages.
    let mut refs = Vec::new();
    for (s, section) in edition.sections.iter_mut().enumerate().skip(1) {
        for (b, block) in section.blocks.iter_mut().enumerate().step_by(9) {
            if let Block::Paragraph(content) = block {
                let id = format!("place-{s}-{b}");
                content.insert(0, Inline::Target { id: id.clone() });
                refs.push(crate::model::PlaceRef {
                    target: id,
                    label: String::new(),
                });
            }
        }
    }
    assert!(refs.len() >= 10);
    edition.sections.push(Section {
        role: Role::Back,
        language: None,
        file_name: "index".into(),
        title: "Index".into(),
        witness: None,
        blocks: vec![Block::Entry {
            id: "entry".into(),
            content: vec![Inline::PlaceRefs(refs.clone())],
        }],
        numbers: Vec::new(),
    });
    let document = lay_out(&edition, &options(Paper::A5)).unwrap();
    let places = document.place_pages();
    let mut folios: Vec<usize> = refs.iter().map(|r| places[r.target.as_str()] + 1).collect();
    folios.dedup();
    // The printed list, ranges collapsed, is on the last page.
    let last = document.pages.last().unwrap();
    let printed: String = last
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut expected = String::new();
    let mut i = 0;
    while i < folios.len() {
        let mut j = i;
        while j + 1 < folios.len() && folios[j + 1] == folios[j] + 1 {
            j += 1;
        }
        if i > 0 {
            expected.push_str(", ");
        }
        expected.push_str(&folios[i].to_string());
        if j > i {
            expected.push_str(&format!("\u{2013}{}", folios[j]));
        }
        i = j + 1;
    }
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    assert!(
        squeeze(&printed).contains(&squeeze(&expected)),
        "expected {expected} in {printed}"
    );
    // Each number links to its place.
    let links = last
        .items
        .iter()
        .filter(|i| matches!(i, Item::Link(l) if matches!(&l.target, super::LinkTarget::Internal(t) if t.starts_with("place-"))))
        .count();
    assert!(links >= folios.len().min(2), "{links} links");
}

#[test]
fn every_note_begins_on_the_page_of_its_mark_when_notes_are_dense() {
    let edition = synthetic(3, 60, 2);
    assert!(edition.notes.len() > 300, "{}", edition.notes.len());
    let document = lay_out(&edition, &options(Paper::A5)).unwrap();
    invariants::assert_layout_invariants(&edition, &document, Paper::A5);
}

#[test]
fn a_long_note_continues_on_the_next_page() {
    let mut edition = synthetic(1, 30, 50);
    let long = vec![text(&"zyzzyva ".repeat(900))];
    edition.notes[0].body = vec![Block::Paragraph(long)];
    let document = lay_out(&edition, &options(Paper::A4)).unwrap();
    let pages: Vec<usize> = document
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.items
                .iter()
                .any(|i| matches!(i, Item::Glyphs(r) if r.text.contains("zyzzyva")))
        })
        .map(|(i, _)| i)
        .collect();
    assert!(pages.len() >= 2, "{pages:?}");
    assert_eq!(Some(pages[0]), destination_page(&document, "mark-1"));
    assert!(pages.windows(2).all(|w| w[1] == w[0] + 1));
}

#[test]
fn paragraphs_are_justified_hyphenated_and_end_ragged() {
    let fonts = super::fonts::tests::book();
    let mut shaper = super::shape::Shaper::new(&fonts);
    let mut words = Words(11);
    let text: String = (0..40).map(|_| words.sentence(12) + " ").collect();
    let style = super::paragraph::ParStyle {
        size: 11.0,
        leading: 14.0,
        width: 300.0,
        indent: 13.0,
        align: super::paragraph::Align::Justify,
        hyphenate: Some(super::hyphenate::Lang::English),
        emphasis: Style::default(),
        rtl: false,
    };
    let pieces = [super::paragraph::Piece::plain(text, Style::default())];
    let lines = super::paragraph::set_paragraph(&pieces, &style, &mut shaper, "test").unwrap();
    assert!(lines.len() > 20);
    let right_edges: Vec<f32> = lines
        .iter()
        .map(|line| {
            line.frame
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Glyphs(run) => {
                        let face = fonts.face(run.font);
                        let g = run.glyphs.last()?;
                        Some(
                            run.x
                                + g.x
                                + face.advance(g.id) as f32 / face.units_per_em as f32 * run.size,
                        )
                    }
                    _ => None,
                })
                .fold(0.0, f32::max)
        })
        .collect();
    for (n, edge) in right_edges.iter().enumerate() {
        assert!(*edge <= 300.0 + 0.5, "line {n} overfull: {edge}");
    }
    let body = &right_edges[..right_edges.len() - 1];
    let justified = body.iter().filter(|e| (**e - 300.0).abs() < 0.5).count();
    assert_eq!(justified, body.len(), "lines justified: {right_edges:?}");
    // The last line keeps natural spaces: its gaps are the space width.
    let space = shaper.shape(" ", super::fonts::REGULAR).unwrap().width * 11.0;
    // Every glyph of the last line as (left, right), in order.
    let mut glyphs: Vec<(f32, f32)> = Vec::new();
    for item in &lines.last().unwrap().frame.items {
        if let Item::Glyphs(run) = item {
            let face = fonts.face(run.font);
            for g in &run.glyphs {
                let left = run.x + g.x;
                let advance = face.advance(g.id) as f32 / face.units_per_em as f32 * run.size;
                glyphs.push((left, left + advance));
            }
        }
    }
    let gaps: Vec<f32> = glyphs.windows(2).map(|p| p[1].0 - p[0].1).collect();
    let spaces: Vec<f32> = gaps.iter().copied().filter(|&g| g > space * 0.5).collect();
    assert!(spaces.len() >= 2, "the last line has several words");
    for gap in spaces {
        assert!(gap < space + 0.3, "last line gap {gap} > space {space}");
    }
    let hyphenated = lines
        .iter()
        .filter(|l| {
            l.frame
                .items
                .iter()
                .any(|i| matches!(i, Item::Glyphs(r) if r.text.ends_with('-')))
        })
        .count();
    assert!(hyphenated > 0, "hyphenation is used");
}

#[test]
fn synthetic_editions_keep_the_layout_invariants() {
    // Fallback glyphs, Cyrillic, headings, long notes; on every paper.
    let edition = synthetic(3, 25, 3);
    for paper in [Paper::A4, Paper::A5, Paper::Letter] {
        let document = lay_out(&edition, &options(paper)).unwrap();
        invariants::assert_layout_invariants(&edition, &document, paper);
    }
}

#[test]
fn a_handout_sets_only_its_witnesses_notes_and_columns() {
    let edition = synthetic(3, 6, 4);
    let handout = crate::select::only(&edition, &["B".into()]).unwrap();
    let document = lay_out(&handout, &options(Paper::A4)).unwrap();
    // Sections are numbered in the handout: the introduction, then B.
    let titles: Vec<&str> = document
        .outline
        .iter()
        .filter(|e| e.level == 0)
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(
        titles,
        [
            "Contents",
            "Introduction",
            "Witnesses",
            "B — Letter B",
            "Points of divergence"
        ]
    );
    // B's notes, renumbered from 1, each on its mark's page; no other note.
    let count = edition.notes.iter().filter(|n| n.witness == "B").count();
    assert!(count > 5);
    assert_eq!(handout.notes.len(), count);
    for number in 1..=count {
        let mark = destination_page(&document, &format!("mark-{number}"));
        assert!(mark.is_some(), "mark {number}");
        assert_eq!(mark, destination_page(&document, &format!("note-{number}")));
    }
    assert!(destination_page(&document, &format!("note-{}", count + 1)).is_none());
    // The divergence table has one reading column, B's.
    let start = destination_page(&document, "divergence").unwrap();
    let headers: Vec<&str> = document.pages[start]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) if ["A", "B", "C"].contains(&r.text.as_str()) => Some(r.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(headers, ["B"]);
}

#[test]
fn an_uncovered_character_is_a_located_error() {
    let mut edition = synthetic(1, 2, 100);
    let span = Span::new(crate::source::FileId(3), 10, 14);
    edition.sections[1]
        .blocks
        .push(Block::Paragraph(vec![Inline::Text {
            text: "smile \u{1F600}".into(),
            style: Style::default(),
            link: None,
            span,
        }]));
    match lay_out(&edition, &options(Paper::A4)) {
        Err(LayoutError::UncoveredCharacter {
            character,
            span: Some(s),
            context,
        }) => {
            assert_eq!(character, '\u{1F600}');
            assert_eq!(s, span);
            assert!(context.contains("10-A.md"), "{context}");
        }
        other => panic!("expected an uncovered character error, got {other:?}"),
    }
}

#[test]
fn dump_lists_runs_with_positions() {
    let edition = synthetic(1, 2, 3);
    let document = lay_out(&edition, &options(Paper::A4)).unwrap();
    let dump = super::dump(&document);
    assert!(dump.starts_with("page 1 folio 1"));
    assert!(dump.contains("EBGaramond-Regular"));
    assert!(dump.contains("DejaVuSerif"), "the fallback face draws █");
    assert!(dump.contains("outline Contents -> #contents"));
}

#[test]
fn a_table_repeats_its_header_on_every_page_it_spans() {
    let edition = synthetic(3, 40, 2);
    let document = lay_out(&edition, &options(Paper::A5)).unwrap();
    let start = destination_page(&document, "divergence").unwrap();
    let table_pages: Vec<&super::Page> = document.pages[start..]
        .iter()
        .filter(|p| {
            p.items.iter().any(|i| matches!(i, Item::Link(l) if matches!(&l.target, super::LinkTarget::Internal(t) if t.starts_with("note-"))))
        })
        .collect();
    assert!(table_pages.len() >= 3, "{} pages", table_pages.len());
    for page in table_pages {
        let header = page
            .items
            .iter()
            .any(|i| matches!(i, Item::Glyphs(r) if r.text == "Note"));
        assert!(header, "page {} lacks the header row", page.folio);
    }
}

#[test]
fn no_heading_is_left_at_the_foot_of_a_page() {
    let edition = synthetic(3, 40, 3);
    for paper in [Paper::A4, Paper::A5] {
        let g = Geometry::new(paper);
        let document = lay_out(&edition, &options(paper)).unwrap();
        let mut headings = 0;
        for page in &document.pages {
            // Body runs: in the text block at body size or larger (notes are smaller).
            let lowest = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Glyphs(r)
                        if r.size >= g.size - 0.01 && r.y > g.top && r.y < g.bottom() =>
                    {
                        Some(r)
                    }
                    _ => None,
                })
                .max_by(|a, b| a.y.total_cmp(&b.y));
            let heading_size = g.size * 1.1;
            headings += page
                .items
                .iter()
                .filter(|i| matches!(i, Item::Glyphs(r) if r.text == "A part" && (r.size - heading_size).abs() < 0.01))
                .count();
            if let Some(run) = lowest {
                assert!(
                    (run.size - heading_size).abs() > 0.01,
                    "page {}: a heading ends the page ({:?})",
                    page.folio,
                    run.text
                );
            }
        }
        assert!(headings > 10, "the edition has headings");
    }
}

#[test]
fn a_section_break_is_a_centred_ornament_never_left_at_the_foot_of_a_page() {
    let mut edition = synthetic(3, 40, 3);
    let mut breaks = 0;
    for section in edition.sections.iter_mut().filter(|s| s.witness.is_some()) {
        let header = section.header_len();
        let mut i = header + 2;
        while i < section.blocks.len() {
            section.blocks.insert(i, Block::Rule);
            section.numbers.insert(i, None);
            breaks += 1;
            i += 3;
        }
    }
    for paper in [Paper::A4, Paper::A5] {
        let g = Geometry::new(paper);
        let document = lay_out(&edition, &options(paper)).unwrap();
        let is_ornament = |r: &super::GlyphRun| r.text == super::blocks::SECTION_BREAK;
        let mut drawn = 0;
        for page in &document.pages {
            let body = |i: &&Item| matches!(i, Item::Glyphs(r) if r.size >= g.size - 0.01 && r.y > g.top && r.y < g.bottom());
            for item in page.items.iter().filter(body) {
                let Item::Glyphs(run) = item else { continue };
                if is_ornament(run) {
                    drawn += 1;
                    // Centred in the measure, and content (a paragraph), not furniture.
                    let width = run.glyphs.last().unwrap().x;
                    let middle = run.x + width / 2.0 - g.left;
                    assert!((middle - g.measure / 2.0).abs() < g.size, "{middle}");
                    assert!(
                        matches!(&run.tag, super::Tag::Content(path) if path.last().unwrap().role == super::structure::Role::P)
                    );
                }
            }
            let lowest = page
                .items
                .iter()
                .filter(body)
                .filter_map(|i| match i {
                    Item::Glyphs(r) => Some(r),
                    _ => None,
                })
                .max_by(|a, b| a.y.total_cmp(&b.y));
            if let Some(run) = lowest {
                assert!(
                    !is_ornament(run),
                    "page {}: a section break ends the page",
                    page.folio
                );
            }
        }
        assert_eq!(drawn, breaks, "every break is drawn once");
    }
}

/// The link areas of a document with a URI target, with their page index.
fn uri_areas(document: &Document) -> Vec<(usize, super::LinkArea)> {
    document
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| page.items.iter().map(move |i| (p, i)))
        .filter_map(|(p, i)| match i {
            Item::Link(l) if matches!(l.target, super::LinkTarget::Uri(_)) => Some((p, l.clone())),
            _ => None,
        })
        .collect()
}

fn linked(text: &str, target: &str) -> Inline {
    Inline::Text {
        text: text.into(),
        style: Style::default(),
        link: Some(crate::model::Link::classify(target)),
        span: Span::default(),
    }
}

#[test]
fn links_in_the_text_become_link_areas_and_lost_links_plain_text() {
    let mut edition = synthetic(1, 1, 100);
    edition.sections[1].blocks.push(Block::Paragraph(vec![
        text("See "),
        linked("the source", "https://example.org/letter"),
        text(" and "),
        linked("the source", "#"),
        text(" and "),
        linked("the site", "/about"),
        text("."),
    ]));
    let document = lay_out(&edition, &options(Paper::A4)).unwrap();
    let areas = uri_areas(&document);
    // One area over both words of the link; the lost link has none.
    assert_eq!(areas.len(), 1, "{areas:?}");
    let area = &areas[0].1;
    assert_eq!(
        area.target,
        super::LinkTarget::Uri("https://example.org/letter".into())
    );
    let runs: Vec<&super::GlyphRun> = document.pages[areas[0].0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(r) if r.y > area.rect.y && r.y < area.rect.y + area.rect.height => Some(r),
            _ => None,
        })
        .collect();
    // The area runs from the left of `the` to the right of `source`, not beyond `and`. The
    // link is its own run (its own element in the structure); `and` is in the next.
    let at = |word: &str| {
        let run = runs.iter().find(|r| r.text.contains(word)).unwrap();
        let byte = run.text.find(word).unwrap();
        run.x
            + run
                .glyphs
                .iter()
                .find(|g| g.text.0 as usize == byte)
                .unwrap()
                .x
    };
    let link = runs.iter().find(|r| r.text.contains("the source")).unwrap();
    assert!(!link.text.contains("and"), "the link is a run of its own");
    assert!(
        (area.rect.x - at("the source")).abs() < 0.01,
        "starts at `the`"
    );
    let right = area.rect.x + area.rect.width;
    assert!(
        right > at("source") && right < at("and"),
        "ends after `source`"
    );
}

#[test]
fn a_link_broken_across_lines_has_one_area_per_line() {
    let mut edition = synthetic(1, 1, 100);
    let words = "a long link text that runs over several lines of the paragraph ".repeat(6);
    edition.sections[1].blocks.push(Block::Paragraph(vec![
        text("Before "),
        linked(&words, "https://example.org/long"),
        text(" after, "),
        linked("elsewhere", "https://example.org/other"),
        text(" and "),
        linked("here", "https://example.org/long"),
        text("."),
    ]));
    let document = lay_out(&edition, &options(Paper::A4)).unwrap();
    let areas = uri_areas(&document);
    let long: Vec<&super::LinkArea> = areas
        .iter()
        .map(|(_, a)| a)
        .filter(|a| a.target == super::LinkTarget::Uri("https://example.org/long".into()))
        .collect();
    // Several lines, and a separate area for the second link to the same address.
    let mut lines: Vec<f32> = long.iter().map(|a| a.rect.y).collect();
    lines.dedup();
    assert!(lines.len() >= 4, "{lines:?}");
    assert_eq!(long.len(), lines.len() + 1, "one area per line: {long:?}");
    let g = Geometry::new(Paper::A4);
    for area in &long[1..long.len() - 2] {
        assert!(
            area.rect.x <= g.left + 0.01
                && area.rect.x + area.rect.width >= g.left + g.measure - 1.0,
            "a full line of the link is covered: {area:?}"
        );
    }
}

#[test]
fn the_layout_does_not_depend_on_the_number_of_threads() {
    let edition = synthetic(4, 20, 3);
    let dump_with = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| super::dump(&lay_out(&edition, &options(Paper::A5)).unwrap()))
    };
    let one = dump_with(1);
    assert!(one.lines().filter(|l| l.starts_with("page ")).count() > 20);
    assert_eq!(one, dump_with(3));
}

/// Pieces of `text`, one per word, each linked to `#w<n>` (its place in the text), so that
/// the link areas show where each word was set.
fn linked_words(text: &str) -> Vec<super::paragraph::Piece> {
    let words: Vec<&str> = text.split(' ').collect();
    words
        .iter()
        .enumerate()
        .map(|(n, word)| super::paragraph::Piece::Text {
            text: if n + 1 < words.len() {
                format!("{word} ")
            } else {
                word.to_string()
            },
            style: Style::default(),
            link: Some(super::LinkTarget::Internal(format!("w{n}"))),
            span: None,
        })
        .collect()
}

/// The left edge of each word of `linked_words`, by its number.
fn word_lefts(line: &super::paragraph::Line) -> Vec<f32> {
    let mut lefts: Vec<(usize, f32)> = line
        .frame
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link(area) => match &area.target {
                super::LinkTarget::Internal(name) => {
                    Some((name[1..].parse().unwrap(), area.rect.x))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    lefts.sort_by_key(|w| w.0);
    lefts.into_iter().map(|w| w.1).collect()
}

fn par_style(rtl: bool) -> super::paragraph::ParStyle {
    super::paragraph::ParStyle {
        size: 11.0,
        leading: 14.0,
        width: 300.0,
        indent: 0.0,
        align: super::paragraph::Align::Justify,
        hyphenate: None,
        emphasis: Style::default(),
        rtl,
    }
}

#[test]
fn right_to_left_paragraphs_start_at_the_right_and_keep_latin_names_in_order() {
    let fonts = super::fonts::tests::book();
    let mut shaper = super::shape::Shaper::new(&fonts);
    // "This preface Edward Eastwick translated into English." with a Latin name inside.
    let pieces = linked_words("این دیباچه را Edward Eastwick به انگلیسی برگرداند.");
    let lines =
        super::paragraph::set_paragraph(&pieces, &par_style(true), &mut shaper, "t").unwrap();
    assert_eq!(lines.len(), 1);
    let x = word_lefts(&lines[0]);
    assert_eq!(x.len(), 8, "{x:?}");
    // Persian words from the right, the name left to right, then Persian again.
    assert!(x[0] > x[1] && x[1] > x[2], "{x:?}");
    assert!(
        x[2] > x[4] && x[3] < x[4],
        "Edward before Eastwick, both left of را: {x:?}"
    );
    assert!(x[3] > x[5] && x[5] > x[6] && x[6] > x[7], "{x:?}");
    // A last line is flush right, ragged on the left.
    assert!(x[7] > 40.0, "{x:?}");
    let first_right = lines[0]
        .frame
        .items
        .iter()
        .find_map(|i| match i {
            Item::Link(a) if a.target == super::LinkTarget::Internal("w0".into()) => {
                Some(a.rect.x + a.rect.width)
            }
            _ => None,
        })
        .unwrap();
    assert!((first_right - 300.0).abs() < 0.5, "{first_right}");
    // Each word's run holds its text in reading order; its full stop is drawn at its left.
    let runs: Vec<&str> = lines[0]
        .frame
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Glyphs(run) => Some(run.text.as_str()),
            _ => None,
        })
        .collect();
    assert!(runs.contains(&"دیباچه"), "{runs:?}");
    let last = shaper.shape("برگرداند.", super::fonts::REGULAR).unwrap();
    assert_eq!(last.glyphs[0].cluster, "برگرداند".len() as u32);

    // In a left-to-right paragraph the Persian run still reads right to left.
    let lines =
        super::paragraph::set_paragraph(&pieces, &par_style(false), &mut shaper, "t").unwrap();
    let x = word_lefts(&lines[0]);
    assert!(x[0] > x[1] && x[1] > x[2], "{x:?}");
    assert!(x[2] < x[3] && x[3] < x[4] && x[4] < x[7], "{x:?}");
    assert!(x[5] > x[6] && x[6] > x[7], "{x:?}");
    assert!(
        x.iter().copied().fold(f32::MAX, f32::min) < 0.5,
        "starts at the left: {x:?}"
    );
}
