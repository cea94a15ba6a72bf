//! The structure tree of a tagged PDF, built from the layout's tags as pages are written.
//!
//! Each page's content is cut into marked-content sequences, one per run of items with the
//! same tag: artifacts are marked `/Artifact`, content gets a marked-content id (MCID) and
//! becomes a kid of the element its path ends in. Elements are made the first time a path
//! names them and join their parent's kids then, so the order of kids is the order of the
//! text; a `Note` joins after the rest of its parent's content (the paragraph that calls it
//! is read whole first). The document's top elements are ordered by the page they start on
//! (the title page and the contents are set last but come first).
//!
//! The tree is written part by part: the layout sets each part of the book (a section, a
//! generated page) on pages of its own, so once content of another top-level element comes,
//! the open one is complete and its elements are written and forgotten. Only the top-level
//! elements, each page's parent-tree array and each annotation's element stay until the end.
//! Content that comes back to a part already written is refused (the layout would have
//! interleaved two parts).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::sync::Arc;

use super::file::PdfFile;
use crate::layout::{Role, Step};
use pdf_writer::types::TableHeaderScope;
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Name, Ref, Str, TextStr};

/// What an element holds, in reading order (notes last).
enum Kid {
    Content { page: Ref, mcid: u32 },
    Element(u32),
    Note(u32),
    Annotation { page: Ref, annotation: Ref },
}

struct Element {
    step: Step,
    /// The parent's index among the open elements (0: the document).
    parent: u32,
    kids: Vec<Kid>,
    id: Ref,
}

/// The structure tree being gathered.
pub(crate) struct Tree {
    /// The `Document` element's object.
    document: Ref,
    /// The open part's elements; element 0 stands for the `Document` (its kids unused).
    open: Vec<Element>,
    children: HashMap<(u32, Step), u32>,
    /// The last path looked up and its element: consecutive runs share paths.
    last: Option<(Arc<[Step]>, u32)>,
    /// The top-level element of the open part.
    open_part: Option<Step>,
    /// The parts written, and those still open: their first page and object.
    parts: Vec<(usize, Ref)>,
    written: HashSet<Step>,
    /// Each page's parent-tree array of its MCIDs' elements, by page index.
    page_arrays: Vec<(usize, Ref)>,
    /// Each annotation's element, in the order of their `StructParent` keys (after the
    /// pages').
    annotations: Vec<Ref>,
    /// Each note's element, for the ID tree.
    note_ids: Vec<(u32, Ref)>,
}

impl Tree {
    pub fn new<W: Write>(file: &mut PdfFile<W>) -> Tree {
        let document = file.reserve();
        Tree {
            document,
            open: vec![Element {
                step: Step::new(Role::Sect, 0),
                parent: 0,
                kids: Vec::new(),
                id: document,
            }],
            children: HashMap::new(),
            last: None,
            open_part: None,
            parts: Vec::new(),
            written: HashSet::new(),
            page_arrays: Vec::new(),
            annotations: Vec::new(),
            note_ids: Vec::new(),
        }
    }

    /// The element `path` ends in, made (with the elements above it) if new; a path into
    /// another part than the open one closes the open part first.
    fn element<W: Write>(
        &mut self,
        path: &Arc<[Step]>,
        page: usize,
        file: &mut PdfFile<W>,
    ) -> io::Result<u32> {
        if let Some((last, element)) = &self.last {
            if Arc::ptr_eq(last, path) || **last == **path {
                return Ok(*element);
            }
        }
        let Some(top) = path.first() else {
            return Err(io::Error::other("content with an empty structure path"));
        };
        if self.open_part.as_ref() != Some(top) {
            self.close_part(file)?;
            if self.written.contains(top) {
                return Err(io::Error::other(format!(
                    "page {}: content for a part of the book already written ({} {})",
                    page + 1,
                    top.role.name(),
                    top.index
                )));
            }
            self.open_part = Some(top.clone());
        }
        let mut at = 0u32;
        for step in path.iter() {
            at = match self.children.get(&(at, step.clone())) {
                Some(&child) => child,
                None => {
                    let child = self.open.len() as u32;
                    let id = file.reserve();
                    self.open.push(Element {
                        step: step.clone(),
                        parent: at,
                        kids: Vec::new(),
                        id,
                    });
                    self.children.insert((at, step.clone()), child);
                    match step.role {
                        _ if at == 0 => self.parts.push((page, id)),
                        Role::Note => {
                            self.open[at as usize].kids.push(Kid::Note(child));
                            self.note_ids.push((step.index, id));
                        }
                        _ => self.open[at as usize].kids.push(Kid::Element(child)),
                    }
                    child
                }
            };
        }
        self.last = Some((path.clone(), at));
        Ok(at)
    }

    /// The MCIDs of page `page` (the page object `page_id`), in order, for the elements
    /// their paths end in; writes the page's parent-tree array.
    pub fn page<W: Write>(
        &mut self,
        paths: &[Arc<[Step]>],
        page: usize,
        page_id: Ref,
        file: &mut PdfFile<W>,
    ) -> io::Result<()> {
        let mut parents = Vec::with_capacity(paths.len());
        for (mcid, path) in paths.iter().enumerate() {
            let element = self.element(path, page, file)?;
            let element = &mut self.open[element as usize];
            element.kids.push(Kid::Content {
                page: page_id,
                mcid: mcid as u32,
            });
            parents.push(element.id);
        }
        if !parents.is_empty() {
            let array = file.add(|c, id| {
                c.indirect(id).array().items(parents);
            })?;
            self.page_arrays.push((page, array));
        }
        Ok(())
    }

    /// An annotation of page `page` for the element `path` ends in (a `Link`); returns its
    /// number among the annotations (its `StructParent` key is counted after the pages').
    pub fn annotation<W: Write>(
        &mut self,
        path: &Arc<[Step]>,
        page: usize,
        page_id: Ref,
        annotation: Ref,
        file: &mut PdfFile<W>,
    ) -> io::Result<usize> {
        let element = self.element(path, page, file)?;
        let element = &mut self.open[element as usize];
        element.kids.push(Kid::Annotation {
            page: page_id,
            annotation,
        });
        self.annotations.push(element.id);
        Ok(self.annotations.len() - 1)
    }

    /// Writes the open part's elements and forgets them.
    fn close_part<W: Write>(&mut self, file: &mut PdfFile<W>) -> io::Result<()> {
        let Some(top) = self.open_part.take() else {
            return Ok(());
        };
        let elements = &self.open;
        for element in &elements[1..] {
            let step = &element.step;
            let parent = elements[element.parent as usize].id;
            file.object(element.id, |c| {
                let mut e = c.struct_element(element.id);
                e.custom_kind(Name(step.role.name().as_bytes()))
                    .parent(parent);
                if let Some(lang) = step.lang() {
                    e.lang(TextStr(lang));
                }
                if let Some(alt) = step.alt() {
                    e.alt(TextStr(alt));
                }
                if step.role == Role::Note {
                    e.id(Str(note_id(step.index).as_bytes()));
                }
                if let Role::Th { column } = step.role {
                    let scope = match column {
                        true => TableHeaderScope::Column,
                        false => TableHeaderScope::Row,
                    };
                    e.attributes().push().table().scope(scope);
                }
                let mut kids = e.children();
                for kid in &element.kids {
                    match kid {
                        Kid::Content { page, mcid } => {
                            kids.marked_content_ref()
                                .marked_content_id(*mcid as i32)
                                .page(*page);
                        }
                        Kid::Element(k) => {
                            kids.struct_element(elements[*k as usize].id);
                        }
                        Kid::Annotation { page, annotation } => {
                            kids.object_ref().page(*page).object(*annotation);
                        }
                        Kid::Note(_) => {}
                    }
                }
                for kid in &element.kids {
                    if let Kid::Note(k) = kid {
                        kids.struct_element(elements[*k as usize].id);
                    }
                }
            })?;
        }
        self.open.truncate(1);
        self.children.clear();
        self.last = None;
        self.written.insert(top);
        Ok(())
    }

    /// Writes the last part, the document element, the parent tree and the structure tree
    /// root; `pages` is the number of pages (annotation keys follow theirs). Returns the
    /// root.
    pub fn write<W: Write>(&mut self, file: &mut PdfFile<W>, pages: usize) -> io::Result<Ref> {
        self.close_part(file)?;
        let root = file.reserve();
        let document = self.document;
        // The document's parts in the order of their pages.
        self.parts.sort_by_key(|&(first_page, _)| first_page);
        let parts = &self.parts;
        file.object(document, |c| {
            let mut e = c.struct_element(document);
            e.custom_kind(Name(b"Document")).parent(root);
            let mut kids = e.children();
            for &(_, part) in parts {
                kids.struct_element(part);
            }
        })?;

        // Each page's MCIDs, then each annotation, to their elements.
        let mut nums: Vec<(i32, Ref)> = self
            .page_arrays
            .iter()
            .map(|&(page, array)| (page as i32, array))
            .collect();
        nums.sort_by_key(|&(key, _)| key);
        for (k, &element) in self.annotations.iter().enumerate() {
            nums.push(((pages + k) as i32, element));
        }
        let next_key = (pages + self.annotations.len()) as i32;
        let mut ids: Vec<(String, Ref)> = self
            .note_ids
            .iter()
            .map(|&(index, element)| (note_id(index), element))
            .collect();
        ids.sort();
        file.object(root, |c| {
            let mut tree = c.indirect(root).start::<StructTreeRoot>();
            tree.child(document).parent_tree_next_key(next_key);
            let mut parents = tree.parent_tree();
            let mut entries = parents.nums();
            for (key, value) in nums {
                entries.insert(key, value);
            }
            drop(entries);
            drop(parents);
            if !ids.is_empty() {
                let mut names = tree.id_tree();
                let mut entries = names.names();
                for (id, element) in &ids {
                    entries.insert(Str(id.as_bytes()), *element);
                }
            }
        })?;
        Ok(root)
    }
}

/// The ID of note `index`'s element (its destination's name).
fn note_id(index: u32) -> String {
    format!("note-{index}")
}
