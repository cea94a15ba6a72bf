//! Navigation: named destinations, link annotations, and the outline nested by level in
//! reading order.

use std::collections::BTreeMap;
use std::io::{self, Write};

use pdf_writer::types::{ActionType, AnnotationFlags, AnnotationType};
use pdf_writer::writers::Annotation;
use pdf_writer::{Name, Rect, Ref, Str, TextStr};

use super::file::PdfFile;
use crate::layout::{Item, LinkArea, LinkTarget, OutlineEntry, Page};

/// Where a destination is: page object and point in PDF coordinates.
pub(crate) struct Place {
    page: Ref,
    x: f32,
    y: f32,
}

/// Adds the destinations of `page` (the page object `id`) to `out`; the first place given
/// a name keeps it.
pub(crate) fn add_destinations(out: &mut BTreeMap<String, Place>, page: &Page, id: Ref) {
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

/// Writes the catalog's `/Dests` dictionary, entry by entry, and returns its object.
pub(crate) fn write_dests<W: Write>(
    pdf: &mut PdfFile<W>,
    destinations: &BTreeMap<String, Place>,
) -> io::Result<Ref> {
    pdf.add(|c, id| {
        let mut dests = c.destinations(id);
        for (name, place) in destinations {
            dests
                .insert(Name(name.as_bytes()))
                .page(place.page)
                .xyz(place.x, place.y, None);
        }
    })
}

/// Gives a link annotation (its area and reserved object) its key in the parent tree.
pub(crate) type RegisterLink<'a, W> =
    dyn FnMut(&mut PdfFile<W>, &LinkArea, Ref) -> io::Result<i32> + 'a;

/// Writes the link annotations of a page `height` high and returns references to them;
/// `register` gives each annotation (by its number) its key in the structure's parent
/// tree. Links to unknown names are dropped. Each annotation holds what a tagged, archival
/// PDF asks: its structure key, a description of where it goes (`/Contents`), the print
/// flag, no border.
pub(crate) fn links<W: Write>(
    pdf: &mut PdfFile<W>,
    height: f32,
    areas: &[LinkArea],
    destinations: &BTreeMap<String, Place>,
    register: &mut RegisterLink<'_, W>,
) -> io::Result<Vec<Ref>> {
    let mut out = Vec::with_capacity(areas.len());
    for link in areas {
        let r = &link.rect;
        let rect = Rect::new(r.x, height - r.y - r.height, r.x + r.width, height - r.y);
        let description = match &link.target {
            LinkTarget::Internal(name) if !destinations.contains_key(name) => continue,
            LinkTarget::Internal(name) => describe(name),
            LinkTarget::Uri(uri) => uri.clone(),
        };
        let id = pdf.reserve();
        let parent = register(pdf, link, id)?;
        pdf.object(id, |c| {
            let mut annotation = c.indirect(id).start::<Annotation>();
            annotation
                .subtype(AnnotationType::Link)
                .rect(rect)
                .border(0.0, 0.0, 0.0, None)
                .flags(AnnotationFlags::PRINT)
                .struct_parent(parent)
                .contents(TextStr(&description));
            match &link.target {
                LinkTarget::Internal(name) => {
                    annotation.pair(Name(b"Dest"), Name(name.as_bytes()));
                }
                LinkTarget::Uri(uri) => {
                    annotation
                        .action()
                        .action_type(ActionType::Uri)
                        .uri(Str(uri.as_bytes()));
                }
            }
        })?;
        out.push(id);
    }
    Ok(out)
}

/// Where a link to the named place `name` goes, in words a screen reader can say.
fn describe(name: &str) -> String {
    if let Some(n) = name.strip_prefix("note-") {
        format!("Note {n}")
    } else if let Some(n) = name.strip_prefix("mark-") {
        format!("Back to the mark of note {n}")
    } else if let Some(rest) = name.strip_prefix("p-") {
        format!("Paragraph {}", rest.replacen('-', " ", 1))
    } else {
        format!("Go to {}", name.replace('-', " "))
    }
}

/// Writes the outline tree; entries keep their order, a deeper level nests under the entry
/// before it. Returns the outline root, if there are entries.
pub(crate) fn outline<W: Write>(
    pdf: &mut PdfFile<W>,
    outline: &[OutlineEntry],
    destinations: &BTreeMap<String, Place>,
) -> io::Result<Option<Ref>> {
    let entries: Vec<_> = outline
        .iter()
        .filter(|e| destinations.contains_key(&e.destination))
        .collect();
    if entries.is_empty() {
        return Ok(None);
    }
    let root = pdf.reserve();
    let ids: Vec<Ref> = entries.iter().map(|_| pdf.reserve()).collect();
    // Children of each entry (index + 1; 0 is the root): the entries whose nearest earlier
    // entry of a lower level it is.
    let mut parents = Vec::with_capacity(entries.len());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len() + 1];
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|&p| entries[p].level >= entry.level)
        {
            stack.pop();
        }
        let parent = stack.last().map_or(0, |&p| p + 1);
        parents.push(parent);
        children[parent].push(i);
        stack.push(i);
    }
    // Position of each entry among its siblings.
    let mut position = vec![0; entries.len()];
    for siblings in &children {
        for (at, &i) in siblings.iter().enumerate() {
            position[i] = at;
        }
    }
    for (i, entry) in entries.iter().enumerate() {
        let siblings = &children[parents[i]];
        let at = position[i];
        let parent = if parents[i] == 0 {
            root
        } else {
            ids[parents[i] - 1]
        };
        let kids = &children[i + 1];
        pdf.object(ids[i], |c| {
            let mut item = c.outline_item(ids[i]);
            item.title(TextStr(&entry.title))
                .parent(parent)
                .dest_name(Name(entry.destination.as_bytes()));
            if at > 0 {
                item.prev(ids[siblings[at - 1]]);
            }
            if let Some(&next) = siblings.get(at + 1) {
                item.next(ids[next]);
            }
            if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
                item.first(ids[first])
                    .last(ids[last])
                    .count(-(kids.len() as i32));
            }
        })?;
    }
    let top = &children[0];
    pdf.object(root, |c| {
        c.outline(root)
            .first(ids[top[0]])
            .last(ids[*top.last().expect("entries exist")])
            .count(top.len() as i32);
    })?;
    Ok(Some(root))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Destination;
    use std::collections::HashMap;

    /// The body of each object in a serialized file, by number.
    fn objects(bytes: &[u8]) -> HashMap<u32, String> {
        let text = String::from_utf8_lossy(bytes);
        text.split("endobj")
            .filter_map(|chunk| {
                let (head, body) = chunk.split_once(" 0 obj\n")?;
                let number = head.rsplit('\n').next()?.trim().parse().ok()?;
                Some((number, body.to_owned()))
            })
            .collect()
    }

    /// The object number after `/key ` in `body`, for `/key N 0 R`.
    fn reference(body: &str, key: &str) -> Option<u32> {
        let at = body.find(&format!("/{key} "))? + key.len() + 2;
        body[at..].split(' ').next()?.parse().ok()
    }

    fn title(objects: &HashMap<u32, String>, id: u32) -> String {
        let body = &objects[&id];
        let at = body.find("/Title").unwrap() + 6;
        let at = at + body[at..].find('(').unwrap() + 1;
        body[at..body[at..].find(')').unwrap() + at].to_owned()
    }

    fn chain(objects: &HashMap<u32, String>, parent: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut next = reference(&objects[&parent], "First");
        while let Some(id) = next {
            out.push(id);
            next = reference(&objects[&id], "Next");
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
        let mut pdf = PdfFile::new(Vec::new()).unwrap();
        let mut destinations = BTreeMap::new();
        for _ in 0..3 {
            let id = pdf.add(|c, id| c.indirect(id).primitive(0)).unwrap();
            add_destinations(&mut destinations, &page, id);
        }
        let root = outline(&mut pdf, &entries, &destinations).unwrap().unwrap();
        let info = pdf.add(|c, id| c.indirect(id).primitive(0)).unwrap();
        let objects = objects(&pdf.finish(root, info, &[]).unwrap());
        let top: Vec<String> = chain(&objects, root.get() as u32)
            .into_iter()
            .map(|id| title(&objects, id))
            .collect();
        assert_eq!(top, ["Zeta", "Alpha", "Gamma"]);
        let alpha = chain(&objects, root.get() as u32)[1];
        let kids: Vec<String> = chain(&objects, alpha)
            .into_iter()
            .map(|id| title(&objects, id))
            .collect();
        assert_eq!(kids, ["Beta part"]);
        assert!(objects[&alpha].contains("/Count -1"));
        assert!(objects[&(root.get() as u32)].contains("/Count 3"));
    }
}
