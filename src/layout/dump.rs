//! A plain-text dump of laid-out pages (runs with positions, rules, links, destinations) for
//! snapshot tests and debugging.

use std::fmt::Write;

use super::{Document, Item, LinkTarget};

/// Renders every page as lines of text: one line per glyph run, rule, link and destination,
/// with positions in points rounded to a tenth, in drawing order.
pub fn dump(document: &Document) -> String {
    let mut out = String::new();
    for (i, page) in document.pages.iter().enumerate() {
        let _ = writeln!(
            out,
            "page {} folio {} ({:.1}×{:.1})",
            i + 1,
            page.folio,
            page.width,
            page.height
        );
        for item in &page.items {
            let tag = super::structure::tag_of(item).map(tag_name);
            let _ = match item {
                Item::Glyphs(run) => writeln!(
                    out,
                    "  text {:.1},{:.1} {} {:.1}pt {:?}",
                    run.x, run.y, document.fonts[run.font.0 as usize].name, run.size, run.text
                ),
                Item::Rule(rule) => writeln!(
                    out,
                    "  rule {:.1},{:.1} w{:.1} t{:.2}",
                    rule.x, rule.y, rule.width, rule.thickness
                ),
                Item::Link(link) => {
                    let target = match &link.target {
                        LinkTarget::Internal(name) => format!("#{name}"),
                        LinkTarget::Uri(uri) => uri.clone(),
                    };
                    writeln!(
                        out,
                        "  link {:.1},{:.1} {:.1}×{:.1} -> {target}",
                        link.rect.x, link.rect.y, link.rect.width, link.rect.height
                    )
                }
                Item::Destination(d) => writeln!(out, "  dest {:.1},{:.1} {}", d.x, d.y, d.name),
                Item::Image {
                    x,
                    y,
                    width,
                    height,
                    image,
                    alt,
                    ..
                } => writeln!(
                    out,
                    "  image {x:.1},{y:.1} {width:.1}×{height:.1} {:?} {}×{} {alt:?}",
                    image.format, image.pixel_width, image.pixel_height
                ),
            };
            if let Some(tag) = tag {
                // The item's line ends with its place in the structure.
                out.pop();
                let _ = writeln!(out, " | {tag}");
            }
        }
    }
    for entry in &document.outline {
        let _ = writeln!(
            out,
            "outline {}{} -> #{}",
            "  ".repeat(entry.level as usize),
            entry.title,
            entry.destination
        );
    }
    out
}

/// A tag as the path of its elements' types (`Sect/L/LI/LBody/P`), or `artifact`.
fn tag_name(tag: &super::Tag) -> String {
    match tag {
        super::Tag::Artifact => "artifact".into(),
        super::Tag::Content(path) if path.is_empty() => "untagged".into(),
        super::Tag::Content(path) => {
            let names: Vec<&str> = path.iter().map(|s| s.role.name()).collect();
            let rooted = if tag.is_rooted() { "" } else { "…/" };
            format!("{rooted}{}", names.join("/"))
        }
    }
}
