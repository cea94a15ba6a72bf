//! Navigation: named destinations, link annotations, and the outline nested by level in
//! reading order.

use std::collections::BTreeMap;

use lopdf::{dictionary, Dictionary, Document as Pdf, Object, ObjectId, StringFormat};

use super::text_string;
use crate::layout::{Document, Item, LinkTarget, Page};

/// Where a destination is: page object and point in PDF coordinates.
pub(crate) struct Place {
    page: ObjectId,
    x: f32,
    y: f32,
}

/// Every destination of the document by name (the first wins if a name repeats).
pub(crate) fn destinations(document: &Document, page_ids: &[ObjectId]) -> BTreeMap<String, Place> {
    let mut out = BTreeMap::new();
    for (page, &id) in document.pages.iter().zip(page_ids) {
        for item in &page.items {
            if let Item::Destination(d) = item {
                out.entry(d.name.clone()).or_insert(Place {
                    page: id,
                    x: d.x,
                    y: page.height - d.y,
                });
            }
        }
    }
    out
}

fn explicit(place: &Place) -> Object {
    Object::Array(vec![
        Object::Reference(place.page),
        Object::Name(b"XYZ".to_vec()),
        Object::Real(place.x),
        Object::Real(place.y),
        Object::Integer(0),
    ])
}

/// The catalog's `/Dests` dictionary.
pub(crate) fn dests_dictionary(destinations: &BTreeMap<String, Place>) -> Dictionary {
    destinations
        .iter()
        .map(|(name, place)| (name.clone(), explicit(place)))
        .collect()
}

/// The link annotations of a page, as references. Links to unknown names are dropped.
pub(crate) fn links(
    pdf: &mut Pdf,
    page: &Page,
    destinations: &BTreeMap<String, Place>,
) -> Vec<Object> {
    let mut out = Vec::new();
    for item in &page.items {
        let Item::Link(link) = item else { continue };
        let r = &link.rect;
        let rect = vec![
            Object::Real(r.x),
            Object::Real(page.height - r.y - r.height),
            Object::Real(r.x + r.width),
            Object::Real(page.height - r.y),
        ];
        let mut annotation = dictionary! {
            "Type" => "Annot",
            "Subtype" => "Link",
            "Rect" => rect,
            "Border" => vec![0.into(), 0.into(), 0.into()],
        };
        match &link.target {
            LinkTarget::Internal(name) => {
                if !destinations.contains_key(name) {
                    continue;
                }
                annotation.set("Dest", Object::Name(name.as_bytes().to_vec()));
            }
            LinkTarget::Uri(uri) => {
                annotation.set(
                    "A",
                    dictionary! {
                        "S" => "URI",
                        "URI" => Object::String(uri.as_bytes().to_vec(), StringFormat::Literal),
                    },
                );
            }
        }
        out.push(Object::Reference(pdf.add_object(annotation)));
    }
    out
}

/// Writes the outline tree; entries keep their order, a deeper level nests under the entry
/// before it. Returns the outline root, if there are entries.
pub(crate) fn outline(
    pdf: &mut Pdf,
    document: &Document,
    destinations: &BTreeMap<String, Place>,
) -> Option<ObjectId> {
    let entries: Vec<_> = document
        .outline
        .iter()
        .filter(|e| destinations.contains_key(&e.destination))
        .collect();
    if entries.is_empty() {
        return None;
    }
    let root = pdf.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| pdf.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry of a lower level, else the root.
    let mut parents = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&p| entries[p].level >= entry.level)
        {
            stack.pop();
        }
        parents.push(stack.last().copied());
        stack.push(i);
    }
    let children = |parent: Option<usize>| -> Vec<usize> {
        (0..entries.len())
            .filter(|&i| parents[i] == parent)
            .collect()
    };
    for (i, entry) in entries.iter().enumerate() {
        let siblings = children(parents[i]);
        let at = siblings
            .iter()
            .position(|&s| s == i)
            .expect("an entry is its parent's child");
        let mut dict = dictionary! {
            "Title" => text_string(&entry.title),
            "Parent" => parents[i].map_or(root, |p| ids[p]),
            "Dest" => Object::Name(entry.destination.as_bytes().to_vec()),
        };
        if at > 0 {
            dict.set("Prev", ids[siblings[at - 1]]);
        }
        if let Some(&next) = siblings.get(at + 1) {
            dict.set("Next", ids[next]);
        }
        let kids = children(Some(i));
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            dict.set("First", ids[first]);
            dict.set("Last", ids[last]);
            dict.set("Count", -(kids.len() as i64));
        }
        pdf.objects.insert(ids[i], Object::Dictionary(dict));
    }
    let top = children(None);
    pdf.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "Outlines",
            "First" => ids[top[0]],
            "Last" => ids[*top.last().expect("entries exist")],
            "Count" => top.len() as i64,
        }),
    );
    Some(root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Destination, OutlineEntry};

    fn title(pdf: &Pdf, id: ObjectId) -> String {
        let dict = pdf.get_dictionary(id).unwrap();
        match dict.get(b"Title").unwrap() {
            Object::String(bytes, _) => String::from_utf8_lossy(bytes).into_owned(),
            other => panic!("{other:?}"),
        }
    }

    fn chain(pdf: &Pdf, parent: ObjectId) -> Vec<ObjectId> {
        let mut out = Vec::new();
        let mut next = pdf
            .get_dictionary(parent)
            .unwrap()
            .get(b"First")
            .ok()
            .cloned();
        while let Some(Object::Reference(id)) = next {
            out.push(id);
            next = pdf.get_dictionary(id).unwrap().get(b"Next").ok().cloned();
        }
        out
    }

    #[test]
    fn the_outline_nests_by_level_in_reading_order() {
        // Later sections on earlier pages, and titles out of alphabetical order: the outline
        // must still follow the list.
        let names = [
            ("Zeta", 0, 2),
            ("Alpha", 0, 0),
            ("Beta part", 1, 1),
            ("Gamma", 0, 0),
        ];
        let page = crate::layout::Page {
            width: 100.0,
            height: 100.0,
            folio: "1".into(),
            items: names
                .iter()
                .map(|(t, _, _)| {
                    crate::layout::Item::Destination(Destination {
                        name: t.to_string(),
                        x: 0.0,
                        y: 0.0,
                    })
                })
                .collect(),
        };
        let document = Document {
            fonts: Vec::new(),
            pages: vec![page.clone(), page.clone(), page],
            outline: names
                .iter()
                .map(|(t, level, _)| OutlineEntry {
                    title: t.to_string(),
                    level: *level,
                    destination: t.to_string(),
                })
                .collect(),
        };
        let mut pdf = Pdf::with_version("1.7");
        let pages: Vec<ObjectId> = (0..3).map(|_| pdf.new_object_id()).collect();
        let destinations = destinations(&document, &pages);
        let root = outline(&mut pdf, &document, &destinations).unwrap();
        let top: Vec<String> = chain(&pdf, root)
            .into_iter()
            .map(|id| title(&pdf, id))
            .collect();
        assert_eq!(top, ["Zeta", "Alpha", "Gamma"]);
        let alpha = chain(&pdf, root)[1];
        let kids: Vec<String> = chain(&pdf, alpha)
            .into_iter()
            .map(|id| title(&pdf, id))
            .collect();
        assert_eq!(kids, ["Beta part"]);
    }
}
