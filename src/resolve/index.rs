//! The generated Index: every form of every `index:` entry found in the edition's texts with
//! the anchoring rules (NFC, folded white space, quotes alike, word boundaries; the longest
//! form wins where forms overlap), each occurrence made a named place
//! ([`Inline::Target`]), and an **Index** part listing them, one part per kind.

use super::anchor::{self, at_word_boundaries};
use crate::back_matter::RawIndexEntry;
use crate::diag::{Diagnostic, Diagnostics};
use crate::labels::Label;
use crate::model::{Block, Edition, IndexKind, Inline, PlaceRef, Role, Section, Style};
use crate::source::Span;
use std::collections::BTreeMap;

/// The Index's [`Section::file_name`].
pub const FILE_NAME: &str = "index";

/// Where one form was found.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Occurrence {
    entry: usize,
    section: usize,
    /// The text block's number within its section (0 is the title).
    block: usize,
    target: String,
}

/// Finds the forms of `entries` in the sections of `edition` (run before any part is
/// generated, and before citations are rendered: what the editor wrote is indexed, and a
/// citation `[@key]` never is), marks every occurrence, and returns the Index, to be put at
/// the end of the book. Problems go to `diags`.
pub fn apply(
    edition: &mut Edition,
    entries: &[RawIndexEntry],
    diags: &mut Diagnostics,
) -> Option<Section> {
    if entries.is_empty() {
        return None;
    }
    let forms = distinct_forms(entries, diags)?;
    let patterns: Vec<&str> = forms.iter().map(|f| f.text.as_str()).collect();
    let automaton = match aho_corasick::AhoCorasick::new(&patterns) {
        Ok(a) => a,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!("the index forms cannot be searched for: {e}"))
                    .hint("shorten the longest forms"),
            );
            return None;
        }
    };
    let mut found = vec![0usize; forms.len()];
    let mut occurrences = Vec::new();
    for s in 0..edition.sections.len() {
        let blocks = super::text_blocks(&edition.sections[s].blocks);
        let mut inserts: BTreeMap<usize, Vec<(usize, Inline)>> = BTreeMap::new();
        for block in &blocks {
            let hay = block.norm.text.as_str();
            let citations: Vec<std::ops::Range<usize>> = super::cite::find(hay)
                .into_iter()
                .map(|c| c.range)
                .collect();
            let matches = longest_matches(&automaton, hay, &patterns);
            for (form, start, end) in matches {
                if citations.iter().any(|c| start < c.end && c.start < end) {
                    continue;
                }
                found[form] += 1;
                let target = format!("ix-{}", occurrences.len() + 1);
                let (raw_start, _) = block.norm.raw_range(start, end);
                inserts
                    .entry(block.order)
                    .or_default()
                    .push((raw_start, Inline::Target { id: target.clone() }));
                occurrences.push(Occurrence {
                    entry: forms[form].entry,
                    section: s,
                    block: block.order,
                    target,
                });
            }
        }
        let mut order = 0;
        super::for_each_text_block_mut(
            &mut edition.sections[s].blocks,
            &mut order,
            &mut |order, content| {
                if let Some(list) = inserts.remove(&order) {
                    super::insert_inlines(content, list);
                }
            },
        );
    }
    for (form, count) in forms.iter().zip(&found) {
        if *count == 0 {
            diags.push(
                Diagnostic::warning(format!(
                    "the index form `{}` is found nowhere in the texts",
                    form.text
                ))
                .at(form.span, "not found")
                .hint("a form quotes the texts exactly (after folding quotes, white space and Unicode forms), on word boundaries; correct it or remove it"),
            );
        }
    }
    Some(index_section(edition, entries, &occurrences))
}

/// A form to search for: normalised, with its entry and where it is written.
struct Form {
    text: String,
    entry: usize,
    span: Span,
}

/// Every form of every entry, normalised; a form given by two entries (or twice by one) is
/// an error, and then there is nothing to search for.
fn distinct_forms(entries: &[RawIndexEntry], diags: &mut Diagnostics) -> Option<Vec<Form>> {
    let mut forms: Vec<Form> = Vec::new();
    let mut ok = true;
    for (e, entry) in entries.iter().enumerate() {
        for form in &entry.forms {
            let text = anchor::normalize(&form.text);
            if let Some(first) = forms.iter().find(|f| f.text == text) {
                ok = false;
                let d = if first.entry == e {
                    Diagnostic::error(format!(
                        "the form `{text}` is given twice in the index entry `{}`",
                        entry.name.text
                    ))
                    .at(form.span, "again here")
                    .related(first.span, "first here")
                    .hint("remove one of them")
                } else {
                    Diagnostic::error(format!(
                        "the index entries `{}` and `{}` share the form `{text}`",
                        entries[first.entry].name.text, entry.name.text
                    ))
                    .at(form.span, "second entry's form")
                    .related(first.span, "first entry's form")
                    .hint("a form must say which entry it belongs to: make it longer (`Samuel Pepys`) in one entry, or merge the entries")
                };
                diags.push(d);
                continue;
            }
            forms.push(Form {
                text,
                entry: e,
                span: form.span,
            });
        }
    }
    ok.then_some(forms)
}

/// The occurrences of the forms in `hay` as `(form, start, end)`, in order: at word
/// boundaries, and where occurrences overlap, the longest one (the earlier when as long).
fn longest_matches(
    automaton: &aho_corasick::AhoCorasick,
    hay: &str,
    patterns: &[&str],
) -> Vec<(usize, usize, usize)> {
    let mut all: Vec<(usize, usize, usize)> = automaton
        .find_overlapping_iter(hay)
        .filter(|m| at_word_boundaries(hay, m.start(), m.end(), patterns[m.pattern().as_usize()]))
        .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
        .collect();
    // Longest first, then leftmost: each is kept unless it overlaps one kept already.
    all.sort_by_key(|&(_, start, end)| (std::cmp::Reverse(end - start), start));
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    for m in all {
        if !kept.iter().any(|k| m.1 < k.2 && k.1 < m.2) {
            kept.push(m);
        }
    }
    kept.sort_by_key(|&(_, start, _)| start);
    kept
}

/// The Index: a part per kind of entry, each entry followed by its occurrences, grouped by
/// section in reading order, each group under the witness's sigil (or the section's title).
fn index_section(
    edition: &Edition,
    entries: &[RawIndexEntry],
    occurrences: &[Occurrence],
) -> Section {
    let labels = &edition.meta.labels;
    let heading = labels.get(Label::Index).to_owned();
    let span = entries[0].name.span;
    let text = |t: &str, italic: bool| Inline::Text {
        text: t.to_owned(),
        style: Style {
            italic,
            ..Style::default()
        },
        link: None,
        span,
    };
    let mut blocks = vec![Block::Heading {
        level: 1,
        content: vec![text(&heading, false)],
    }];
    let mut by_entry: Vec<Vec<&Occurrence>> = vec![Vec::new(); entries.len()];
    for o in occurrences {
        by_entry[o.entry].push(o);
    }
    let kinds = [
        (IndexKind::Person, Label::IndexOfPersons),
        (IndexKind::Place, Label::IndexOfPlaces),
        (IndexKind::Work, Label::IndexOfWorks),
        (IndexKind::Subject, Label::IndexOfSubjects),
    ];
    for (kind, label) in kinds {
        let mut listed: Vec<usize> = (0..entries.len())
            .filter(|&e| entries[e].kind == kind && !by_entry[e].is_empty())
            .collect();
        if listed.is_empty() {
            continue;
        }
        listed.sort_by_cached_key(|&e| (entries[e].name.text.to_lowercase(), e));
        blocks.push(Block::Heading {
            level: 2,
            content: vec![text(labels.get(label), false)],
        });
        for e in listed {
            let entry = &entries[e];
            let mut content = vec![Inline::Text {
                text: entry.name.text.trim().to_owned(),
                style: Style::default(),
                link: None,
                span: entry.name.span,
            }];
            if let Some(note) = &entry.note {
                content.push(text(", ", false));
                content.push(Inline::Text {
                    text: note.text.trim().to_owned(),
                    style: Style {
                        italic: true,
                        ..Style::default()
                    },
                    link: None,
                    span: note.span,
                });
            }
            let mut groups: Vec<(usize, Vec<PlaceRef>)> = Vec::new();
            for o in &by_entry[e] {
                let place = PlaceRef {
                    target: o.target.clone(),
                    label: format!("¶{}", o.block + 1),
                };
                match groups.last_mut() {
                    Some((s, refs)) if *s == o.section => refs.push(place),
                    _ => groups.push((o.section, vec![place])),
                }
            }
            for (g, (s, refs)) in groups.into_iter().enumerate() {
                content.push(text(if g == 0 { ", " } else { "; " }, false));
                let section = &edition.sections[s];
                let name = section
                    .witness
                    .as_ref()
                    .map_or(section.title.as_str(), |w| w.sigil.as_str());
                content.push(text(name, true));
                content.push(text(" ", false));
                content.push(Inline::PlaceRefs(refs));
            }
            blocks.push(Block::Entry {
                id: format!("index-{}", e + 1),
                content,
            });
        }
    }
    Section {
        role: Role::Back,
        language: None,
        file_name: FILE_NAME.into(),
        title: heading,
        witness: None,
        blocks,
        numbers: Vec::new(),
    }
}

/// Restricts the Index `section` to the places `kept` says are still in the book (a
/// handout's): references to others are dropped, then the groups and entries left empty.
pub fn restrict(section: &mut Section, kept: &dyn Fn(&str) -> bool) {
    section.blocks.retain_mut(|block| {
        let Block::Entry { content, .. } = block else {
            return true;
        };
        // An entry is its heading, then groups of a separator, a label, a space and the
        // references.
        let mut i = 0;
        while i < content.len() {
            if let Inline::PlaceRefs(refs) = &mut content[i] {
                refs.retain(|r| kept(&r.target));
                if refs.is_empty() && i >= 3 {
                    content.drain(i - 3..=i);
                    i -= 3;
                    continue;
                }
            }
            i += 1;
        }
        let first_group = content
            .iter()
            .position(|inline| matches!(inline, Inline::PlaceRefs(_)))
            .and_then(|at| at.checked_sub(3));
        match first_group {
            Some(at) => {
                if let Inline::Text { text, .. } = &mut content[at] {
                    ", ".clone_into(text);
                }
                true
            }
            None => false,
        }
    });
    // Kinds left without entries lose their heading.
    let mut i = 1;
    while i < section.blocks.len() {
        let heading = matches!(section.blocks[i], Block::Heading { level: 2, .. });
        let empty = section
            .blocks
            .get(i + 1)
            .is_none_or(|b| matches!(b, Block::Heading { .. }));
        if heading && empty {
            section.blocks.remove(i);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_form_wins_and_words_stay_whole() {
        let patterns = ["Pepys", "Samuel Pepys", "Sam", "Lane"];
        let automaton = aho_corasick::AhoCorasick::new(patterns).unwrap();
        let hay = "Samuel Pepys met Sam in Seething Lane; Pepysian Lanes.";
        let found: Vec<&str> = longest_matches(&automaton, hay, &patterns)
            .into_iter()
            .map(|(_, s, e)| &hay[s..e])
            .collect();
        assert_eq!(found, ["Samuel Pepys", "Sam", "Lane"]);
    }
}
