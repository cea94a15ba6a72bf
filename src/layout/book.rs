//! Setting a whole book. The body is cut into tasks (sections, pieces of the tables) that
//! are shaped and broken into lines in parallel, a window of tasks at a time; each part
//! is then paged in reading order as its pieces come (a page once the lines after it
//! cannot change it, the rest when the part is complete), its pages finished with running
//! heads and folios and handed on. The contents, whose length depends on the
//! entries only, are counted first and set last, once the body's page numbers are known.
//! So a long edition is never held whole, and the output does not depend on the number
//! of threads.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::blocks::{self, Flow, Task};
use super::fonts::FontBook;
use super::footnotes::{self, NoteLines};
use super::geometry::Geometry;
use super::shape::{Shaper, ShaperPool};
use super::tables::Tables;
use super::{furniture, pages, FontFace, Item, LayoutError, LayoutOptions, OutlineEntry, Page};
use crate::model::Edition;
use crate::page_list::PageStart;

/// Pages as they are finished: `(index, page)`, the index counting from 0 in book order.
pub type PageBatch = Vec<(usize, Page)>;

/// Lays out editions on one paper with the bundled faces.
pub struct Typesetter {
    book: FontBook,
    geometry: Geometry,
    cover: Option<(std::sync::Arc<super::ImageData>, String)>,
}

impl Typesetter {
    /// Loads the faces from the project's `fonts/` folder.
    pub fn new(options: &LayoutOptions) -> Result<Typesetter, LayoutError> {
        Ok(Typesetter {
            book: FontBook::new(&options.fonts, &text_family(options)?)?,
            geometry: Geometry::designed(options.paper, &options.design)
                .map_err(LayoutError::Design)?,
            cover: options.cover.clone(),
        })
    }

    /// The faces pages draw with, in [`super::FontId`] order.
    pub fn fonts(&self) -> &[FontFace] {
        &self.book.faces
    }

    /// Sets every page of `edition` and hands them to `sink` in batches: the body pages in
    /// order as their parts are done, then the title page and the contents. Returns the
    /// outline.
    pub fn set(
        &self,
        edition: &Edition,
        sink: &mut dyn FnMut(PageBatch),
    ) -> Result<Vec<OutlineEntry>, LayoutError> {
        let g = &self.geometry;
        // With a cover, it is the first page and every other page moves one on; folios do
        // not count it.
        let first = usize::from(self.cover.is_some());
        if let Some((image, alt)) = &self.cover {
            sink(vec![(0, furniture::cover_page(image, alt, g))]);
        }
        let mut shaper = Shaper::new(&self.book);
        let tables = Tables::new(edition, g);
        let entries = blocks::entries(edition, &tables);
        let title = &edition.meta.title;
        let contents_title = edition.meta.labels.get(crate::labels::Label::Contents);

        // 1. How many pages the contents take, hence where the body starts. A problem in
        // the entries is reported after the body's, which locate it in its source.
        let mut deferred = None;
        let contents_count =
            match furniture::contents_pages(&entries, contents_title, &|_| None, g, &mut shaper) {
                Ok(pages) => pages.len(),
                Err(e) => {
                    deferred = Some(e);
                    1
                }
            };

        // 2. The body, task by task, part by part. A section that refers to places by their
        // pages (the Index) is set when its turn comes, with the pages of the places so far.
        let referring = referring_sections(edition);
        let mut wanted: HashSet<&str> = entries.iter().map(|e| e.destination.as_str()).collect();
        for &s in &referring {
            crate::model::for_each_inline(&edition.sections[s].blocks, &mut |inline| {
                if let crate::model::Inline::PlaceRefs(refs) = inline {
                    wanted.extend(refs.iter().map(|r| r.target.as_str()));
                }
            });
        }
        let deferred_task = |task: &Task| matches!(task, Task::Section(s) if referring.contains(s));
        let mut places: HashMap<String, usize> = HashMap::new();
        let mut index = 1 + contents_count;
        let body = Body {
            edition,
            tables: &tables,
            geometry: g,
            notes: note_ranges(edition),
            pool: ShaperPool::new(&self.book),
        };
        let tasks = blocks::tasks(edition, &tables);
        let window = rayon::current_num_threads().max(1) * 4;
        let (mut part, mut part_notes) = (Flow::new(), NoteLines::default());
        let mut pager = pages::Pager::default();
        let mut last_start = PageStart::TitlePage;
        for (w, chunk) in tasks.chunks(window).enumerate() {
            let set: Vec<Result<(Flow, NoteLines), LayoutError>> = chunk
                .par_iter()
                .map(|task| match deferred_task(task) {
                    true => Ok((Flow::new(), NoteLines::default())),
                    false => body.set(task, &|_| None),
                })
                .collect();
            let mut batch = PageBatch::new();
            for (k, result) in set.into_iter().enumerate() {
                let (flow, notes) = match deferred_task(&chunk[k]) {
                    true => body.set(&chunk[k], &|name| places.get(name).map(|i| i + 1))?,
                    false => result?,
                };
                part.extend(flow);
                part_notes.append(notes);
                // The part is paged as it grows (a long table is never held whole), and
                // finished when the next task opens another part.
                let complete = tasks.get(w * window + k + 1).is_none_or(Task::opens_part);
                // A page holding only notes continued from the page before begins where the
                // part's text ends.
                let section = match chunk[k] {
                    Task::Section(s) => Some(s),
                    _ => None,
                };
                let mut failed = None;
                pager.pages(&mut part, &mut part_notes, g, complete, &mut |page| {
                    if failed.is_some() {
                        return;
                    }
                    let start = page
                        .start
                        .clone()
                        .or_else(|| section.map(|section| PageStart::SectionEnd { section }))
                        .unwrap_or_else(|| last_start.clone());
                    last_start = start.clone();
                    for item in &page.frame.items {
                        match item {
                            Item::Destination(d) if wanted.contains(d.name.as_str()) => {
                                places.entry(d.name.clone()).or_insert(index);
                            }
                            _ => {}
                        }
                    }
                    let head = (!page.opener).then_some(page.running_head.as_str());
                    match furniture::finish(
                        page.frame,
                        &page.line_numbers,
                        head,
                        index,
                        start,
                        g,
                        title,
                        &mut shaper,
                    ) {
                        Ok(page) => batch.push((first + index, page)),
                        Err(e) => failed = Some(e),
                    }
                    index += 1;
                });
                if let Some(e) = failed {
                    return Err(e);
                }
                if complete {
                    part.clear();
                    part_notes = NoteLines::default();
                    pager = pages::Pager::default();
                }
            }
            sink(batch);
        }
        if let Some(e) = deferred {
            return Err(e);
        }

        // 3. The title page and the contents, with the body's page numbers.
        let front = furniture::title_page(edition, g, &mut shaper)?;
        let mut batch = vec![(
            first,
            furniture::finish(
                front,
                &[],
                None,
                0,
                PageStart::TitlePage,
                g,
                title,
                &mut shaper,
            )?,
        )];
        let folio = |name: &str| places.get(name).map(|i| i + 1);
        let contents = furniture::contents_pages(&entries, contents_title, &folio, g, &mut shaper)?;
        assert_eq!(
            contents.len(),
            contents_count,
            "the contents fill as many pages whatever their numbers"
        );
        for (i, page) in contents.into_iter().enumerate() {
            let head = (!page.opener).then_some(page.running_head.as_str());
            let start = page.start.unwrap_or(PageStart::Contents { entry: 0 });
            let page =
                furniture::finish(page.frame, &[], head, 1 + i, start, g, title, &mut shaper)?;
            batch.push((first + 1 + i, page));
        }
        sink(batch);

        let mut outline = vec![OutlineEntry {
            title: contents_title.into(),
            level: 0,
            destination: "contents".into(),
        }];
        outline.extend(entries.into_iter().map(|e| OutlineEntry {
            title: e.title,
            level: e.level,
            destination: e.destination,
        }));
        Ok(outline)
    }
}

/// The family `design.font` names (any case), or the default one.
fn text_family(options: &LayoutOptions) -> Result<String, LayoutError> {
    match &options.design.font {
        None => Ok(crate::fonts::DEFAULT_FAMILY.to_owned()),
        Some((name, _)) => options
            .fonts
            .find_family(name)
            .map(str::to_owned)
            .map_err(|families| {
                LayoutError::Design(format!(
                    "no font family `{name}`; the families are {}",
                    families.join(", ")
                ))
            }),
    }
}

/// What setting a task needs; shared by the threads.
struct Body<'a> {
    edition: &'a Edition,
    tables: &'a Tables<'a>,
    geometry: &'a Geometry,
    /// The notes of each section.
    notes: Vec<Range<usize>>,
    pool: ShaperPool<'a>,
}

impl Body<'_> {
    /// A task's lines, and the lines of the notes it calls; `folio` gives the printed page
    /// number of a named place.
    fn set(
        &self,
        task: &Task,
        folio: &dyn Fn(&str) -> Option<usize>,
    ) -> Result<(Flow, NoteLines), LayoutError> {
        self.pool.with(|shaper| {
            // The text first: an apparatus entry is keyed to the lines of its lemma.
            let (flow, calls) = blocks::set_task(
                self.edition,
                self.tables,
                task,
                self.geometry,
                shaper,
                folio,
            )?;
            let notes = match task {
                Task::Section(s) => {
                    let mut notes = footnotes::set_notes(
                        self.edition,
                        self.notes[*s].clone(),
                        &calls.lemma_lines,
                        self.geometry,
                        shaper,
                    )?;
                    let section = Arc::from([blocks::section_step(self.edition, *s)]);
                    notes.root(&calls.callers, &section);
                    notes
                }
                Task::WitnessRows(_) | Task::DivergencePanel(_) => NoteLines::default(),
            };
            Ok((flow, notes))
        })
    }
}

/// The sections that refer to places by their pages ([`crate::model::Inline::PlaceRefs`]).
fn referring_sections(edition: &Edition) -> Vec<usize> {
    (0..edition.sections.len())
        .filter(|&s| {
            let mut refers = false;
            crate::model::for_each_inline(&edition.sections[s].blocks, &mut |inline| {
                refers |= matches!(inline, crate::model::Inline::PlaceRefs(_));
            });
            refers
        })
        .collect()
}

/// The notes of each section: notes are numbered in reading order, so each section's are
/// consecutive.
fn note_ranges(edition: &Edition) -> Vec<Range<usize>> {
    let mut ranges = vec![0..0; edition.sections.len()];
    for (i, note) in edition.notes.iter().enumerate() {
        let range = &mut ranges[note.section];
        if range.start == range.end {
            *range = i..i + 1;
        } else {
            assert_eq!(range.end, i, "the notes of a section are consecutive");
            range.end = i + 1;
        }
    }
    ranges
}
