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
use super::object::{text_string, Dictionary, Object, ObjectId};
use crate::layout::{Role, Step};

/// What an element holds, in reading order.
enum Kid {
    Content {
        page: ObjectId,
        mcid: u32,
    },
    Element(usize),
    Annotation {
        page: ObjectId,
        annotation: ObjectId,
    },
}

struct Element {
    step: Step,
    parent: usize,
    kids: Vec<Kid>,
    /// Notes, read after the kids.
    notes: Vec<usize>,
    /// The index of the page it first appears on.
    first_page: usize,
    id: ObjectId,
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
        page_id: ObjectId,
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
        page_id: ObjectId,
        annotation: ObjectId,
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
    pub fn write<W: Write>(&mut self, file: &mut PdfFile<W>, pages: usize) -> io::Result<ObjectId> {
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

        let mut ids: Vec<(String, ObjectId)> = Vec::new();
        for (index, element) in self.elements.iter().enumerate() {
            let mut kids: Vec<Object> =
                Vec::with_capacity(element.kids.len() + element.notes.len());
            for kid in &element.kids {
                kids.push(match kid {
                    Kid::Content { page, mcid } => Dictionary::new()
                        .with("Type", "MCR")
                        .with("Pg", *page)
                        .with("MCID", i64::from(*mcid))
                        .into(),
                    Kid::Element(e) => self.elements[*e].id.into(),
                    Kid::Annotation { page, annotation } => Dictionary::new()
                        .with("Type", "OBJR")
                        .with("Pg", *page)
                        .with("Obj", *annotation)
                        .into(),
                });
            }
            kids.extend(element.notes.iter().map(|&n| self.elements[n].id.into()));
            let mut dict = Dictionary::new().with("Type", "StructElem");
            if index == 0 {
                dict.set("S", "Document");
                dict.set("P", root);
            } else {
                dict.set("S", Object::name(element.step.role.name()));
                dict.set("P", self.elements[element.parent].id);
            }
            dict.set("K", kids);
            let step = &element.step;
            if let Some(lang) = &step.lang {
                dict.set("Lang", text_string(lang));
            }
            if let Some(alt) = &step.alt {
                dict.set("Alt", text_string(alt));
            }
            match step.role {
                Role::Th { column } => dict.set(
                    "A",
                    Dictionary::new()
                        .with("O", "Table")
                        .with("Scope", if column { "Column" } else { "Row" }),
                ),
                Role::Note => {
                    let id = format!("note-{}", step.index);
                    dict.set("ID", Object::Literal(id.clone().into_bytes()));
                    ids.push((id, element.id));
                }
                _ => {}
            }
            file.write(element.id, &dict.into())?;
        }

        // Each page's MCIDs, then each annotation, to their elements.
        let mut nums: Vec<Object> = Vec::new();
        for (page, elements) in self.page_content.iter().enumerate() {
            if elements.is_empty() {
                continue;
            }
            let refs: Vec<Object> = elements
                .iter()
                .map(|&e| self.elements[e].id.into())
                .collect();
            let array = file.add(&Object::Array(refs))?;
            nums.push((page as i64).into());
            nums.push(array.into());
        }
        for (k, &element) in self.annotations.iter().enumerate() {
            nums.push(((pages + k) as i64).into());
            nums.push(self.elements[element].id.into());
        }
        let parent_tree = file.add(&Dictionary::new().with("Nums", nums).into())?;
        let mut root_dict = Dictionary::new()
            .with("Type", "StructTreeRoot")
            .with("K", self.elements[0].id)
            .with("ParentTree", parent_tree)
            .with("ParentTreeNextKey", (pages + self.annotations.len()) as i64);
        if !ids.is_empty() {
            ids.sort();
            let names: Vec<Object> = ids
                .into_iter()
                .flat_map(|(id, element)| [Object::Literal(id.into_bytes()), element.into()])
                .collect();
            root_dict.set("IDTree", Dictionary::new().with("Names", names));
        }
        file.write(root, &root_dict.into())?;
        Ok(root)
    }
}
