//! Links to places of the book (`[see](#name)`), checked once the book is complete: a name
//! the book has no place of (no entry of the Bibliography, no named place in the text) makes
//! the link unfollowable, its words plain text, with a warning naming it. Every other link
//! target was decided when its text was read.

use crate::diag::Diagnostics;
use crate::manuscript::markdown::unfollowable_link;
use crate::model::{for_each_inline, walk_inlines_mut, Block, Edition, Inline, Link, Unfollowable};
use std::collections::HashSet;

/// Turns every link to a place the book does not have into an unfollowable one, warning
/// once for each such link (a link's words may be several runs).
pub fn check_places(edition: &mut Edition, diags: &mut Diagnostics) {
    let names = place_names(edition);
    let mut check = |content: &mut Vec<Inline>| {
        let mut previous: Option<Link> = None;
        for inline in content.iter_mut() {
            let Inline::Text { link, span, .. } = inline else {
                previous = None;
                continue;
            };
            if let Some(Link::Place(name)) = link.as_ref() {
                if !names.contains(name.as_str()) {
                    let lost = Link::Unfollowable {
                        target: format!("#{name}"),
                        why: Unfollowable::NoSuchPlace,
                    };
                    if previous.as_ref() != Some(&lost) {
                        diags.push(unfollowable_link(
                            &format!("#{name}"),
                            Unfollowable::NoSuchPlace,
                            *span,
                        ));
                    }
                    *link = Some(lost);
                }
            }
            previous.clone_from(link);
        }
    };
    for section in &mut edition.sections {
        walk_inlines_mut(&mut section.blocks, &mut check);
    }
    for note in &mut edition.notes {
        walk_inlines_mut(&mut note.body, &mut check);
        for reading in &mut note.readings {
            check(&mut reading.content);
        }
    }
}

/// The names of the book's places: its entries' ids and its named places' (owned, since
/// the walk that checks the links changes the book).
fn place_names(edition: &Edition) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut add = |blocks: &[Block]| {
        collect_entries(blocks, &mut names);
        for_each_inline(blocks, &mut |inline| {
            if let Inline::Target { id } = inline {
                names.insert(id.clone());
            }
        });
    };
    for section in &edition.sections {
        add(&section.blocks);
    }
    for note in &edition.notes {
        add(&note.body);
    }
    names
}

fn collect_entries(blocks: &[Block], names: &mut HashSet<String>) {
    for block in blocks {
        match block {
            Block::Entry { id, .. } => {
                names.insert(id.clone());
            }
            Block::Quote(inner) => collect_entries(inner, names),
            Block::List { items, .. } => items.iter().for_each(|i| collect_entries(i, names)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Role, Section, Style};
    use crate::source::{FileId, Span};

    fn run(text: &str, link: Option<Link>, at: usize) -> Inline {
        Inline::Text {
            text: text.into(),
            style: Style::default(),
            link,
            span: Span::new(FileId(0), at, at + text.len()),
        }
    }

    #[test]
    fn a_link_to_a_name_the_book_lacks_is_plain_with_one_warning() {
        let place = |n: &str| Some(Link::Place(n.into()));
        let mut edition = crate::resolve::tests::edition_with(vec![Section {
            role: Role::Front,
            language: None,
            file_name: "00-intro.md".into(),
            title: "Intro".into(),
            witness: None,
            blocks: vec![
                Block::Paragraph(vec![
                    Inline::Target { id: "here".into() },
                    run("to ", place("here"), 0),
                    run("nowhere ", place("nowhere"), 3),
                    run("at all", place("nowhere"), 11),
                ]),
                Block::Entry {
                    id: "smith".into(),
                    content: vec![run("Smith", place("smith"), 20)],
                },
            ],
            numbers: vec![None, None],
        }]);
        let mut diags = Diagnostics::default();
        check_places(&mut edition, &mut diags);
        assert_eq!(diags.warning_count(), 1, "{diags:?}");
        assert!(diags.iter().next().unwrap().message.contains("`#nowhere`"));
        let Block::Paragraph(runs) = &edition.sections[0].blocks[0] else {
            panic!()
        };
        assert!(matches!(
            &runs[1],
            Inline::Text {
                link: Some(Link::Place(_)),
                ..
            }
        ));
        for lost in &runs[2..] {
            assert!(matches!(
                lost,
                Inline::Text {
                    link: Some(Link::Unfollowable {
                        why: Unfollowable::NoSuchPlace,
                        ..
                    }),
                    ..
                }
            ));
        }
        let Block::Entry { content, .. } = &edition.sections[0].blocks[1] else {
            panic!()
        };
        assert!(matches!(
            &content[0],
            Inline::Text {
                link: Some(Link::Place(_)),
                ..
            }
        ));
    }
}
