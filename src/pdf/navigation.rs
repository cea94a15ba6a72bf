//! Navigation: named destinations, link annotations, and the outline nested by level in
//! reading order.

use std::collections::BTreeMap;

use lopdf::{dictionary, Dictionary, Document as Pdf, Object, ObjectId, StringFormat};

use super::text_string;
use crate::layout::{Item, LinkArea, LinkTarget, OutlineEntry, Page};

/// Where a destination is: page object and point in PDF coordinates.
pub(crate) struct Place {
    page: ObjectId,
    x: f32,
    y: f32,
}

/// Adds the destinations of `page` (the page object `id`) to `out`; the first place given
/// a name keeps it.
pub(crate) fn add_destinations(out: &mut BTreeMap<String, Place>, page: &Page, id: ObjectId) {
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

/// The link annotations of a page `height` high, as references; `border` is the shared
/// `[0 0 0]` border array. Links to unknown names are dropped. A long edition has hundreds
/// of thousands of links, so each annotation holds only what it needs (no `/Type`, which
/// is optional).
pub(crate) fn links(
    pdf: &mut Pdf,
    height: f32,
    areas: &[LinkArea],
    destinations: &BTreeMap<String, Place>,
    border: ObjectId,
) -> Vec<Object> {
    let mut out = Vec::with_capacity(areas.len());
    for link in areas {
        let r = &link.rect;
        let rect = vec![
            Object::Real(r.x),
            Object::Real(height - r.y - r.height),
            Object::Real(r.x + r.width),
            Object::Real(height - r.y),
        ];
        let target = match &link.target {
            LinkTarget::Internal(name) => {
                if !destinations.contains_key(name) {
                    continue;
                }
                ("Dest", Object::Name(name.as_bytes().to_vec()))
            }
            LinkTarget::Uri(uri) => (
                "A",
                Object::Dictionary(dictionary! {
                    "S" => "URI",
                    "URI" => Object::String(uri.as_bytes().to_vec(), StringFormat::Literal),
                }),
            ),
        };
        let annotation: Dictionary = [
            ("Subtype", Object::Name(b"Link".to_vec())),
            ("Rect", Object::Array(rect)),
            ("Border", Object::Reference(border)),
            target,
        ]
        .into_iter()
        .collect();
        out.push(Object::Reference(pdf.add_object(annotation)));
    }
    out
}

/// Writes the outline tree; entries keep their order, a deeper level nests under the entry
/// before it. Returns the outline root, if there are entries.
pub(crate) fn outline(
    pdf: &mut Pdf,
    outline: &[OutlineEntry],
    destinations: &BTreeMap<String, Place>,
) -> Option<ObjectId> {
    let entries: Vec<_> = outline
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
    use crate::layout::Destination;

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
        let entries: Vec<OutlineEntry> = names
            .iter()
            .map(|(t, level, _)| OutlineEntry {
                title: t.to_string(),
                level: *level,
                destination: t.to_string(),
            })
            .collect();
        let mut pdf = Pdf::with_version("1.7");
        let mut destinations = BTreeMap::new();
        for _ in 0..3 {
            let id = pdf.new_object_id();
            add_destinations(&mut destinations, &page, id);
        }
        let root = outline(&mut pdf, &entries, &destinations).unwrap();
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
