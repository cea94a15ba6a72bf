//! Setting a whole book. The body is cut into tasks (sections, pieces of the tables) that
//! are shaped and broken into lines in parallel, a window of tasks at a time; each part
//! is then paged in reading order as soon as it is complete, its pages finished with
//! running heads and folios and handed on. The contents, whose length depends on the
//! entries only, are counted first and set last, once the body's page numbers are known.
//! So a long edition is never held whole, and the output does not depend on the number
//! of threads.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rayon::prelude::*;

use super::blocks::{self, Flow, Task};
use super::fonts::FontBook;
use super::footnotes::{self, NoteLines};
use super::geometry::Geometry;
use super::shape::{Shaper, ShaperPool};
use super::tables::Tables;
use super::{furniture, pages, FontFace, Item, LayoutError, LayoutOptions, OutlineEntry, Page};
use crate::model::Edition;

/// Pages as they are finished: `(index, page)`, the index counting from 0 in book order.
pub type PageBatch = Vec<(usize, Page)>;

/// Lays out editions on one paper with the bundled faces.
pub struct Typesetter {
    book: FontBook,
    geometry: Geometry,
}

impl Typesetter {
    /// Loads the faces from the project's `fonts/` folder.
    pub fn new(options: &LayoutOptions) -> Result<Typesetter, LayoutError> {
        Ok(Typesetter {
            book: FontBook::load(&options.fonts_dir)?,
            geometry: Geometry::designed(options.paper, &options.design)
                .map_err(LayoutError::Design)?,
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
        let mut shaper = Shaper::new(&self.book);
        let tables = Tables::new(edition, g);
        let entries = blocks::entries(edition, &tables);
        let title = &edition.meta.title;

        // 1. How many pages the contents take, hence where the body starts. A problem in
        // the entries is reported after the body's, which locate it in its source.
        let mut deferred = None;
        let contents_count = match furniture::contents_pages(&entries, &|_| None, g, &mut shaper) {
            Ok(pages) => pages.len(),
            Err(e) => {
                deferred = Some(e);
                1
            }
        };

        // 2. The body, task by task, part by part.
        let wanted: HashSet<&str> = entries.iter().map(|e| e.destination.as_str()).collect();
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
        for (w, chunk) in tasks.chunks(window).enumerate() {
            let set: Vec<Result<(Flow, NoteLines), LayoutError>> =
                chunk.par_iter().map(|task| body.set(task)).collect();
            let mut batch = PageBatch::new();
            for (k, result) in set.into_iter().enumerate() {
                let (flow, notes) = result?;
                part.extend(flow);
                part_notes.append(notes);
                if !tasks.get(w * window + k + 1).is_none_or(Task::opens_part) {
                    continue;
                }
                for page in pages::paginate(&mut part, &mut part_notes, g) {
                    for item in &page.frame.items {
                        match item {
                            Item::Destination(d) if wanted.contains(d.name.as_str()) => {
                                places.entry(d.name.clone()).or_insert(index);
                            }
                            _ => {}
                        }
                    }
                    let head = (!page.opener).then_some(page.running_head.as_str());
                    let page = furniture::finish(page.frame, head, index, g, title, &mut shaper)?;
                    batch.push((index, page));
                    index += 1;
                }
                part.clear();
                part_notes = NoteLines::default();
            }
            sink(batch);
        }
        if let Some(e) = deferred {
            return Err(e);
        }

        // 3. The title page and the contents, with the body's page numbers.
        let front = furniture::title_page(edition, g, &mut shaper)?;
        let mut batch = vec![(0, furniture::finish(front, None, 0, g, title, &mut shaper)?)];
        let folio = |name: &str| places.get(name).map(|i| i + 1);
        let contents = furniture::contents_pages(&entries, &folio, g, &mut shaper)?;
        assert_eq!(
            contents.len(),
            contents_count,
            "the contents fill as many pages whatever their numbers"
        );
        for (i, page) in contents.into_iter().enumerate() {
            let head = (!page.opener).then_some(page.running_head.as_str());
            let page = furniture::finish(page.frame, head, 1 + i, g, title, &mut shaper)?;
            batch.push((1 + i, page));
        }
        sink(batch);

        let mut outline = vec![OutlineEntry {
            title: "Contents".into(),
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
    /// A task's lines, and the lines of the notes it calls.
    fn set(&self, task: &Task) -> Result<(Flow, NoteLines), LayoutError> {
        self.pool.with(|shaper| {
            let notes = match task {
                Task::Section(s) => footnotes::set_notes(
                    self.edition,
                    self.notes[*s].clone(),
                    self.geometry,
                    shaper,
                )?,
                Task::WitnessRows(_) | Task::DivergencePanel(_) => NoteLines::default(),
            };
            let flow = blocks::set_task(self.edition, self.tables, task, self.geometry, shaper)?;
            Ok((flow, notes))
        })
    }
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
