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
//! Only the elements and their kids are kept until the end; they are small beside the
//! pages, which are written as they come.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use super::file::PdfFile;
use crate::layout::{Role, Step};
use pdf_writer::types::TableHeaderScope;
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Name, Ref, Str, TextStr};

/// What an element holds, in reading order.
enum Kid {
    Content { page: Ref, mcid: u32 },
    Element(usize),
    Annotation { page: Ref, annotation: Ref },
}

struct Element {
    step: Step,
    parent: usize,
    kids: Vec<Kid>,
    /// Notes, read after the kids.
    notes: Vec<usize>,
    /// The index of the page it first appears on.
    first_page: usize,
    id: Ref,
}

/// The structure tree being gathered.
pub(crate) struct Tree {
    /// Element 0 is the `Document`.
    elements: Vec<Element>,
    children: HashMap<(usize, Step), usize>,
    /// The last path looked up and its element: consecutive runs share paths.
    last: Option<(Arc<[Step]>, usize)>,
    /// For each page index, the element of each of its MCIDs.
    page_content: Vec<Vec<usize>>,
    /// Each annotation's element, in the order of their `StructParent` keys (after the
    /// pages').
    annotations: Vec<usize>,
}

impl Tree {
    pub fn new<W: Write>(file: &mut PdfFile<W>) -> Tree {
        Tree {
            elements: vec![Element {
                step: Step::new(Role::Sect, 0),
                parent: 0,
                kids: Vec::new(),
                notes: Vec::new(),
                first_page: 0,
                id: file.reserve(),
            }],
            children: HashMap::new(),
            last: None,
            page_content: Vec::new(),
            annotations: Vec::new(),
        }
    }

    /// The element `path` ends in, made (with the elements above it) if new.
    fn element<W: Write>(
        &mut self,
        path: &Arc<[Step]>,
        page: usize,
        file: &mut PdfFile<W>,
    ) -> usize {
        if let Some((last, element)) = &self.last {
            if Arc::ptr_eq(last, path) || **last == **path {
                return *element;
            }
        }
        let mut at = 0;
        for step in path.iter() {
            at = match self.children.get(&(at, step.clone())) {
                Some(&child) => child,
                None => {
                    let child = self.elements.len();
                    self.elements.push(Element {
                        step: step.clone(),
                        parent: at,
                        kids: Vec::new(),
                        notes: Vec::new(),
                        first_page: page,
                        id: file.reserve(),
                    });
                    self.children.insert((at, step.clone()), child);
                    match step.role {
                        Role::Note => self.elements[at].notes.push(child),
                        _ => self.elements[at].kids.push(Kid::Element(child)),
                    }
                    child
                }
            };
        }
        self.last = Some((path.clone(), at));
        at
    }

    /// A new marked-content sequence of page `page` (the page object `page_id`) for the
    /// element `path` ends in; returns its MCID.
    pub fn content<W: Write>(
        &mut self,
        path: &Arc<[Step]>,
        page: usize,
        page_id: Ref,
        file: &mut PdfFile<W>,
    ) -> u32 {
        let element = self.element(path, page, file);
        if self.page_content.len() <= page {
            self.page_content.resize_with(page + 1, Vec::new);
        }
        let mcids = &mut self.page_content[page];
        let mcid = mcids.len() as u32;
        mcids.push(element);
        self.elements[element].kids.push(Kid::Content {
            page: page_id,
            mcid,
        });
        mcid
    }

    /// An annotation of page `page` for the element `path` ends in (a `Link`); returns its
    /// `StructParent` key, counted after the pages' keys.
    pub fn annotation<W: Write>(
        &mut self,
        path: &Arc<[Step]>,
        page: usize,
        page_id: Ref,
        annotation: Ref,
        file: &mut PdfFile<W>,
    ) -> usize {
        let element = self.element(path, page, file);
        self.elements[element].kids.push(Kid::Annotation {
            page: page_id,
            annotation,
        });
        self.annotations.push(element);
        self.annotations.len() - 1
    }

    /// Writes the elements, the parent tree and the structure tree root; `pages` is the
    /// number of pages (annotation keys follow theirs). Returns the root.
    pub fn write<W: Write>(&mut self, file: &mut PdfFile<W>, pages: usize) -> io::Result<Ref> {
        let root = file.reserve();
        // The document's parts in the order of their pages.
        let mut top: Vec<usize> = self.elements[0]
            .kids
            .iter()
            .filter_map(|k| match k {
                Kid::Element(e) => Some(*e),
                _ => None,
            })
            .collect();
        top.sort_by_key(|&e| self.elements[e].first_page);
        self.elements[0].kids = top.into_iter().map(Kid::Element).collect();

        let mut ids: Vec<(String, Ref)> = Vec::new();
        for (index, element) in self.elements.iter().enumerate() {
            let step = &element.step;
            let note_id =
                (index != 0 && step.role == Role::Note).then(|| format!("note-{}", step.index));
            if let Some(id) = &note_id {
                ids.push((id.clone(), element.id));
            }
            let elements = &self.elements;
            file.object(element.id, |c| {
                let mut e = c.struct_element(element.id);
                if index == 0 {
                    e.custom_kind(Name(b"Document")).parent(root);
                } else {
                    e.custom_kind(Name(step.role.name().as_bytes()))
                        .parent(elements[element.parent].id);
                }
                if let Some(lang) = &step.lang {
                    e.lang(TextStr(lang));
                }
                if let Some(alt) = &step.alt {
                    e.alt(TextStr(alt));
                }
                if let Some(id) = &note_id {
                    e.id(Str(id.as_bytes()));
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
                            kids.struct_element(elements[*k].id);
                        }
                        Kid::Annotation { page, annotation } => {
                            kids.object_ref().page(*page).object(*annotation);
                        }
                    }
                }
                for &note in &element.notes {
                    kids.struct_element(elements[note].id);
                }
            })?;
        }

        // Each page's MCIDs, then each annotation, to their elements.
        let mut nums: Vec<(i32, Ref)> = Vec::new();
        for (page, elements) in self.page_content.iter().enumerate() {
            if elements.is_empty() {
                continue;
            }
            let refs: Vec<Ref> = elements.iter().map(|&e| self.elements[e].id).collect();
            let array = file.add(|c, id| {
                c.indirect(id).array().items(refs);
            })?;
            nums.push((page as i32, array));
        }
        for (k, &element) in self.annotations.iter().enumerate() {
            nums.push(((pages + k) as i32, self.elements[element].id));
        }
        let document = self.elements[0].id;
        let next_key = (pages + self.annotations.len()) as i32;
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
