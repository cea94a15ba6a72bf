//! Layout invariants on the seed edition and on a long edition made from it (its witnesses
//! set many times over): every note starts on its mark's page, no glyph lies outside the
//! text block or the note area, folios are consecutive, one outline entry per section. And a
//! text snapshot of the seed edition's pages.

use std::collections::HashMap;
use std::path::Path;

use super::options;
use crate::layout::geometry::Geometry;
use crate::layout::{lay_out, Document, Item, Paper};
use crate::model::{Block, Edition, Inline, Role};

/// Checks every invariant of a laid-out edition, naming the first broken one.
pub(super) fn assert_layout_invariants(edition: &Edition, document: &Document, paper: Paper) {
    let pages = destination_pages(document);
    notes_start_on_their_marks_pages(edition, &pages);
    glyphs_stay_in_the_text_block_or_the_note_area(document, &Geometry::new(paper));
    for (i, page) in document.pages.iter().enumerate() {
        assert_eq!(page.folio, (i + 1).to_string(), "folio of page {}", i + 1);
    }
    one_outline_entry_per_section(edition, document, &pages);
    line_numbers_count_the_lines_of_each_witness(edition, document, &Geometry::new(paper));
}

/// The page index of every destination (the first, if a name repeats).
fn destination_pages(document: &Document) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for (i, page) in document.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Destination(d) = item {
                out.entry(d.name.as_str()).or_insert(i);
            }
        }
    }
    out
}

fn notes_start_on_their_marks_pages(edition: &Edition, pages: &HashMap<&str, usize>) {
    for note in &edition.notes {
        let mark = pages.get(format!("mark-{}", note.number).as_str());
        let start = pages.get(format!("note-{}", note.number).as_str());
        assert!(mark.is_some(), "the mark of note {} is set", note.number);
        assert_eq!(
            mark, start,
            "note {} starts on its mark's page",
            note.number
        );
    }
}

/// Every glyph's box (an ascent of 0.75 em, a descent of 0.25 em) lies inside the text
/// block, body glyphs above the note rules and each register's glyphs between its rule and
/// the next one down (the apparatus above the footnotes); only the running head, the folio
/// and the paragraph numbers stand outside, on their own baselines or their lines'.
fn glyphs_stay_in_the_text_block_or_the_note_area(document: &Document, g: &Geometry) {
    for (p, page) in document.pages.iter().enumerate() {
        let folio = p + 1;
        let is_note_rule = |r: &crate::layout::Rule| {
            (r.x - g.left).abs() < 0.01 && (r.width - g.measure * 0.3).abs() < 0.01
        };
        let mut rules: Vec<f32> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Rule(r) if is_note_rule(r) => Some(r.y),
                _ => None,
            })
            .collect();
        rules.sort_by(f32::total_cmp);
        // The band a run must lie in: the body's above the first rule, a register's from
        // its rule to the next.
        let band = |rule: Option<f32>| match rule {
            None => (
                f32::NEG_INFINITY,
                rules.first().copied().unwrap_or(f32::INFINITY),
            ),
            Some(r) => (
                r,
                rules
                    .iter()
                    .copied()
                    .find(|&y| y > r)
                    .unwrap_or(f32::INFINITY),
            ),
        };
        let margin_numbers = margin_number_baselines(page, g);
        let mut register: Option<f32> = None;
        for item in &page.items {
            let run = match item {
                Item::Rule(r) => {
                    if is_note_rule(r) {
                        register = Some(r.y);
                    }
                    continue;
                }
                Item::Glyphs(run) => run,
                Item::Link(_) | Item::Destination(_) | Item::Image { .. } => continue,
            };
            let furniture =
                (run.y - g.head_baseline).abs() < 0.5 || (run.y - g.foot_baseline).abs() < 0.5;
            if furniture && (run.y < g.top || run.y > g.bottom()) {
                continue;
            }
            let outside = run.x + 0.01 < g.left || run.x > g.left + g.measure;
            if outside
                && margin_numbers
                    .iter()
                    .any(|(n, y)| *n == run.text && (run.y - y).abs() < 0.5)
            {
                continue;
            }
            // Line numbers: checked by `line_numbers_count_the_lines_of_each_witness`.
            if is_printed_line_number(run, g) {
                continue;
            }
            let face = &document.fonts[run.font.0 as usize];
            let em = face.units_per_em as f32;
            for glyph in &run.glyphs {
                let left = run.x + glyph.x;
                let right = left + face.advance(glyph.id) as f32 / em * run.size;
                let baseline = run.y - glyph.y;
                assert!(
                    left >= g.left - 0.01 && right <= g.left + g.measure + 0.5,
                    "page {folio}: {:?} runs out of the measure ({left}..{right})",
                    run.text
                );
                assert!(
                    baseline - 0.75 * run.size >= g.top - 0.5
                        && baseline + 0.25 * run.size <= g.bottom() + 0.5,
                    "page {folio}: {:?} lies above or below the text block (y {baseline})",
                    run.text
                );
            }
            let (top, bottom) = band(register);
            assert!(
                run.y > top && run.y < bottom,
                "page {folio}: {:?} at y {} lies outside its band ({top}..{bottom}): body and \
                 registers overlap",
                run.text,
                run.y
            );
        }
    }
}

/// Whether `run` stands where a line number would: digits, page furniture, outside the
/// text block.
fn is_printed_line_number(run: &crate::layout::GlyphRun, g: &Geometry) -> bool {
    let outside = run.x + 0.01 < g.left || run.x > g.left + g.measure;
    outside
        && run.tag == crate::layout::Tag::Artifact
        && !run.text.is_empty()
        && run.text.chars().all(|c| c.is_ascii_digit())
        && run.y > g.top
        && run.y < g.bottom()
}

/// A line of a witness's text on a page: its section and baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TextLine {
    page: usize,
    section: usize,
    baseline: f32,
}

/// The lines of the witnesses' numbered paragraphs, in reading order, told from the
/// structure tags of their runs (their section, a block with a paragraph number, no note);
/// superscript marks and their commas, above the baseline, do not count.
fn witness_text_lines(edition: &Edition, document: &Document, g: &Geometry) -> Vec<TextLine> {
    let mut out: Vec<TextLine> = Vec::new();
    for (p, page) in document.pages.iter().enumerate() {
        let mut lines: Vec<TextLine> = Vec::new();
        for item in &page.items {
            let Item::Glyphs(run) = item else { continue };
            let crate::layout::Tag::Content(path) = &run.tag else {
                continue;
            };
            let (Some(sect), Some(block)) = (path.first(), path.get(1)) else {
                continue;
            };
            let section = sect.index as usize;
            let numbered = edition.sections.get(section).is_some_and(|s| {
                s.role == Role::Witness
                    && s.numbers
                        .get(block.index as usize)
                        .copied()
                        .flatten()
                        .is_some()
            });
            let in_note = path.iter().any(|s| {
                matches!(
                    s.role,
                    crate::layout::Role::Note | crate::layout::Role::Reference
                )
            });
            let superscript = run.size < g.size * 0.8;
            if !numbered || in_note || superscript || sect.role != crate::layout::Role::Sect {
                continue;
            }
            if !lines
                .iter()
                .any(|l| l.section == section && (l.baseline - run.y).abs() < 0.5)
            {
                lines.push(TextLine {
                    page: p,
                    section,
                    baseline: run.y,
                });
            }
        }
        lines.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
        out.extend(lines);
    }
    out
}

/// With `design.line-numbers: N`, the inner margin prints the number of every N-th line of
/// each witness's text (counted afresh in each witness, headings and header left out) on
/// that line's baseline, and no other number; an apparatus entry keyed by lines names, last,
/// the line its lemma ends on (where its mark is). Without line numbers, none is printed.
fn line_numbers_count_the_lines_of_each_witness(
    edition: &Edition,
    document: &Document,
    g: &Geometry,
) {
    let printed: Vec<(usize, &crate::layout::GlyphRun)> = document
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| {
            page.items.iter().filter_map(move |i| match i {
                Item::Glyphs(run) if is_printed_line_number(run, g) => Some((p, run)),
                _ => None,
            })
        })
        .filter(|(p, run)| {
            // Paragraph numbers stand in the outer margin beside their paragraphs' first
            // lines; anything else there is a line number.
            !margin_number_baselines(&document.pages[*p], g)
                .iter()
                .any(|(n, y)| *n == run.text && (run.y - y).abs() < 0.5)
        })
        .collect();
    let Some(step) = edition.line_numbers() else {
        assert!(
            printed.is_empty(),
            "line numbers printed although off: {printed:?}"
        );
        return;
    };
    let lines = witness_text_lines(edition, document, g);
    // Each line's number in its witness.
    let mut numbers = Vec::with_capacity(lines.len());
    for (k, line) in lines.iter().enumerate() {
        let restart = k == 0 || lines[k - 1].section != line.section;
        numbers.push(if restart { 1 } else { numbers[k - 1] + 1 });
    }
    let mut found = 0;
    for (k, line) in lines.iter().enumerate() {
        let n: u32 = numbers[k];
        let here: Vec<&str> = printed
            .iter()
            .filter(|(p, run)| *p == line.page && (run.y - line.baseline).abs() < 0.5)
            .map(|(_, run)| run.text.as_str())
            .collect();
        if n.is_multiple_of(step) {
            assert_eq!(
                here,
                [n.to_string()],
                "page {}: line {n} of section {} is numbered",
                line.page + 1,
                line.section
            );
            found += 1;
        } else {
            assert!(
                here.is_empty(),
                "page {}: line {n} carries the number {here:?}",
                line.page + 1
            );
        }
    }
    assert_eq!(
        found,
        printed.len(),
        "every line number stands beside its line"
    );
    // In the inner margin: left of a recto's text block, right of a verso's.
    for (p, run) in &printed {
        let verso = (p + 1).is_multiple_of(2);
        let left = if verso { g.verso_left } else { g.left };
        assert!(
            if verso {
                run.x > left + g.measure
            } else {
                run.x < left
            },
            "page {}: line number {} in the outer margin",
            p + 1,
            run.text
        );
    }
    if edition.notes_mode() != crate::model::NotesMode::Apparatus {
        return;
    }
    let marks = destination_places(document, "mark-");
    let mut keyed = 0;
    for (index, note) in edition.notes.iter().enumerate() {
        if !edition.is_unmarked(index) {
            continue;
        }
        let Some(key) = entry_key(document, index) else {
            panic!("note {} has an apparatus entry", note.number);
        };
        let Some((first, last)) = parse_key(&key) else {
            continue;
        };
        let (page, top) = marks[&note.number.to_string()];
        let line = lines
            .iter()
            .position(|l| l.page == page && l.baseline > top && l.baseline < top + g.leading * 1.5)
            .unwrap_or_else(|| panic!("note {}: its mark is on no numbered line", note.number));
        assert_eq!(
            last, numbers[line],
            "note {}: keyed `{key}`, its lemma ends on line {}",
            note.number, numbers[line]
        );
        assert!(
            first <= last && last - first <= 4,
            "note {}: `{key}`",
            note.number
        );
        keyed += 1;
    }
    assert!(keyed > 0, "some apparatus entry is keyed by its lines");
}

/// The page and top of each destination named `{prefix}{name}`, by `name`.
fn destination_places(document: &Document, prefix: &str) -> HashMap<String, (usize, f32)> {
    let mut out = HashMap::new();
    for (p, page) in document.pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Destination(d) = item {
                if let Some(name) = d.name.strip_prefix(prefix) {
                    out.entry(name.to_owned()).or_insert((p, d.y));
                }
            }
        }
    }
    out
}

/// The text of the first run of note `index`'s lines: an apparatus entry's key.
fn entry_key(document: &Document, index: usize) -> Option<String> {
    let note = crate::layout::Step::new(crate::layout::Role::Note, index);
    document
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .find_map(|item| match item {
            Item::Glyphs(run) => match &run.tag {
                crate::layout::Tag::Content(path)
                    if path
                        .iter()
                        .any(|s| s.role == note.role && s.index == note.index) =>
                {
                    Some(run.text.clone())
                }
                _ => None,
            },
            _ => None,
        })
}

/// The lines of a key, `12` or `12–13`; `None` for a paragraph's or a witness's key.
fn parse_key(key: &str) -> Option<(u32, u32)> {
    match key.split_once('\u{2013}') {
        Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
        None => key.parse().ok().map(|n| (n, n)),
    }
}

/// The number and baseline of every paragraph that begins on the page, from its
/// destination (`p-A-12` on its first line): where the furniture sets its margin number.
fn margin_number_baselines(page: &crate::layout::Page, g: &Geometry) -> Vec<(String, f32)> {
    page.items
        .iter()
        .filter_map(|item| match item {
            Item::Destination(d) if d.name.starts_with("p-") => {
                let (_, n) = d.name.rsplit_once('-')?;
                Some((n.to_owned(), d.y + (g.leading + 0.62 * g.size) / 2.0))
            }
            _ => None,
        })
        .collect()
}

fn one_outline_entry_per_section(
    edition: &Edition,
    document: &Document,
    pages: &HashMap<&str, usize>,
) {
    let mut entries: HashMap<&str, usize> = HashMap::new();
    for entry in &document.outline {
        *entries.entry(entry.destination.as_str()).or_default() += 1;
        assert!(
            pages.contains_key(entry.destination.as_str()),
            "outline entry {:?} points nowhere",
            entry.title
        );
    }
    for (i, section) in edition.sections.iter().enumerate() {
        let name = format!("section-{i}");
        assert_eq!(
            entries.get(name.as_str()),
            Some(&1),
            "one outline entry for {}",
            section.file_name
        );
        let entry = document.outline.iter().find(|e| e.destination == name);
        assert_eq!(entry.map(|e| e.level), Some(0), "{}", section.file_name);
    }
}

/// The edition of this repository.
fn seed() -> Edition {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::check(root)
        .edition
        .expect("the seed edition checks clean")
}

/// The edition with its witness sections set `copies` times over: copy `k` of witness `A`
/// is witness `A{k}`, with copies of A's notes (ids `{id}-{k}`, readings under the copies'
/// sigla), numbered on through the book. Front and back sections stay once.
pub(super) fn replicate(edition: &Edition, copies: usize) -> Edition {
    let n = edition.notes.len();
    assert!(
        edition
            .notes
            .iter()
            .all(|note| edition.sections[note.section].role == Role::Witness),
        "notes are anchored in witnesses"
    );
    let by_role = |role: Role| edition.sections.iter().filter(move |s| s.role == role);
    let mut sections: Vec<_> = by_role(Role::Front).cloned().collect();
    let mut notes = Vec::with_capacity(n * copies);
    let mut moved = vec![0; edition.sections.len()];
    for k in 1..=copies {
        let marks: Vec<Option<usize>> = (0..n).map(|i| Some((k - 1) * n + i)).collect();
        let sigil = |s: &str| format!("{s}{k}");
        for (s, section) in edition.sections.iter().enumerate() {
            if section.role != Role::Witness {
                continue;
            }
            let mut copy = section.clone();
            copy.file_name = format!("{k:04}-{}", section.file_name);
            copy.title = format!("{} (copy {k})", section.title);
            if let Some(w) = &mut copy.witness {
                w.sigil = sigil(&w.sigil);
            }
            crate::select::renumber_marks(&mut copy.blocks, &marks);
            moved[s] = sections.len();
            sections.push(copy);
        }
        for note in &edition.notes {
            let mut copy = note.clone();
            copy.id = format!("{}-{k}", note.id);
            copy.number = notes.len() + 1;
            copy.section = moved[note.section];
            copy.witness = sigil(&note.witness);
            for reading in &mut copy.readings {
                reading.sigil = sigil(&reading.sigil);
            }
            crate::select::renumber_marks(&mut copy.body, &marks);
            notes.push(copy);
        }
    }
    sections.extend(by_role(Role::Back).cloned());
    Edition {
        meta: edition.meta.clone(),
        sections,
        notes,
    }
}

#[test]
fn the_seed_edition_keeps_the_layout_invariants() {
    let edition = seed();
    for paper in [Paper::A4, Paper::A5, Paper::Letter] {
        let document = lay_out(&edition, &options(paper)).unwrap();
        assert_layout_invariants(&edition, &document, paper);
    }
}

#[test]
fn a_long_edition_keeps_the_layout_invariants() {
    // Hundreds of pages in a debug build, thousands of notes in a release build.
    let copies = if cfg!(debug_assertions) { 6 } else { 60 };
    let seed = seed();
    let edition = replicate(&seed, copies);
    assert_eq!(edition.notes.len(), seed.notes.len() * copies);
    for paper in [Paper::A4, Paper::A5] {
        let document = lay_out(&edition, &options(paper)).unwrap();
        assert!(
            document.pages.len() > copies * 15,
            "{} pages",
            document.pages.len()
        );
        assert_layout_invariants(&edition, &document, paper);
    }
}

/// An edition in apparatus mode (`design.notes: apparatus`).
fn in_apparatus_mode(mut edition: Edition) -> Edition {
    edition.meta.design.notes = Some(crate::model::NotesMode::Apparatus);
    crate::model::mark_labels(&mut edition.notes, crate::model::NotesMode::Apparatus);
    edition
}

#[test]
fn the_seed_in_apparatus_mode_keeps_the_layout_invariants() {
    let edition = in_apparatus_mode(seed());
    assert!(edition.notes.iter().any(|n| n.kind.is_critical()));
    assert!(edition.notes.iter().any(|n| !n.kind.is_critical()));
    for paper in [Paper::A4, Paper::A5, Paper::Letter] {
        let document = lay_out(&edition, &options(paper)).unwrap();
        assert_layout_invariants(&edition, &document, paper);
        // Pages with both registers exist, the apparatus above the footnotes.
        let g = Geometry::new(paper);
        let note_rules = |page: &crate::layout::Page| {
            page.items
                .iter()
                .filter(|i| {
                    matches!(i, Item::Rule(r) if (r.x - g.left).abs() < 0.01
                        && (r.width - g.measure * 0.3).abs() < 0.01)
                })
                .count()
        };
        let both = document.pages.iter().filter(|p| note_rules(p) == 2).count();
        assert!(both > 0, "some page holds both registers on {paper:?}");
    }
}

#[test]
fn a_long_edition_in_apparatus_mode_keeps_the_layout_invariants() {
    let copies = if cfg!(debug_assertions) { 4 } else { 30 };
    let edition = in_apparatus_mode(replicate(&seed(), copies));
    let document = lay_out(&edition, &options(Paper::A4)).unwrap();
    assert_layout_invariants(&edition, &document, Paper::A4);
    // And with every fifth line numbered, on smaller paper.
    let edition = with_line_numbers(edition, 5);
    let document = lay_out(&edition, &designed(&edition, Paper::A5)).unwrap();
    assert_layout_invariants(&edition, &document, Paper::A5);
}

/// The options for `edition` on `paper`, with its design.
pub(super) fn designed(edition: &Edition, paper: Paper) -> crate::layout::LayoutOptions {
    let mut options = options(paper);
    options.design = edition.meta.design.clone();
    options
}

/// An edition with `design.line-numbers: step`.
pub(super) fn with_line_numbers(mut edition: Edition, step: u32) -> Edition {
    edition.meta.design.line_numbers = Some(step);
    edition
}

#[test]
fn the_seed_with_line_numbers_keeps_the_layout_invariants_in_both_modes() {
    for edition in [seed(), in_apparatus_mode(seed())] {
        let edition = with_line_numbers(edition, 5);
        for paper in [Paper::A4, Paper::A5, Paper::Letter] {
            let document = lay_out(&edition, &designed(&edition, paper)).unwrap();
            assert_layout_invariants(&edition, &document, paper);
        }
    }
}

#[test]
fn replicated_witnesses_call_their_own_copies_of_the_notes() {
    let seed = seed();
    let edition = replicate(&seed, 3);
    let witnesses = seed.witnesses().count();
    assert_eq!(edition.witnesses().count(), witnesses * 3);
    let mut marks = Vec::new();
    for (s, section) in edition.sections.iter().enumerate() {
        note_refs(&section.blocks, &mut |index| marks.push((s, index)));
    }
    // Every note is called once, in number order, from its own section.
    let order: Vec<usize> = marks.iter().map(|&(_, i)| i).collect();
    assert_eq!(order, (0..edition.notes.len()).collect::<Vec<_>>());
    for (s, index) in marks {
        let note = &edition.notes[index];
        assert_eq!(note.section, s, "note {}", note.id);
        assert_eq!(note.number, index + 1);
        let sigil = &edition.sections[s].witness.as_ref().unwrap().sigil;
        assert_eq!(&note.witness, sigil);
    }
}

/// Calls `found` with the note index of every mark in `blocks`, in reading order.
fn note_refs(blocks: &[Block], found: &mut dyn FnMut(usize)) {
    crate::model::walk_inlines(blocks, &mut |content| {
        for inline in content {
            if let Inline::NoteRef { index } = inline {
                found(*index);
            }
        }
    });
}

/// The seed edition's pages as text, compared with `tests/snapshots/seed-layout.txt`;
/// `UPDATE_SNAPSHOTS=1` rewrites the file. It changes whenever the apparatus or the
/// typesetting does: review the difference, then update.
#[test]
fn the_seed_layout_matches_its_snapshot() {
    let document = lay_out(&seed(), &options(Paper::A4)).unwrap();
    let dump = crate::layout::dump(&document);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/seed-layout.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &dump).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run with UPDATE_SNAPSHOTS=1 to write it",
            path.display()
        )
    });
    if expected != dump {
        let (line, (want, got)) = expected
            .lines()
            .chain(std::iter::repeat(""))
            .zip(dump.lines().chain(std::iter::repeat("")))
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .expect("texts that differ differ in some line");
        panic!(
            "the seed layout differs from {} at line {}:\n  snapshot: {want}\n  now:      {got}\n\
             review the change, then run with UPDATE_SNAPSHOTS=1 to accept it",
            path.display(),
            line + 1
        );
    }
}
