//! The generated Chronology: each `events:` entry's datings anchored in their witnesses
//! exactly like notes (an anchor, `before`/`after`, or which `occurrence`), each anchored
//! passage made a named place ([`Inline::Target`]), and a **Chronology** part: a table
//! (event, the record's date and source, each witness's dating linked to its passage) and
//! the timeline figure it describes.

use super::anchor;
use crate::back_matter::{RawDating, RawEvent};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::labels::Label;
use crate::model::{Block, Edition, Inline, Link, Role, Section, Style, Timeline, TimelineEvent};
use crate::source::Span;
use std::collections::BTreeMap;

/// Anchors the datings of `events` in the witnesses of `edition` and appends the
/// Chronology. Problems go to `diags`; with any, nothing is appended.
pub fn apply(edition: &mut Edition, events: &[RawEvent], diags: &mut Diagnostics) {
    if events.is_empty() {
        return;
    }
    let errors = diags.error_count();
    let by_sigil: BTreeMap<&str, usize> = edition
        .sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.witness.as_ref().map(|w| (w.sigil.as_str(), i)))
        .collect();
    let sigla: Vec<&str> = by_sigil.keys().copied().collect();
    let mut blocks: BTreeMap<usize, Vec<super::TextBlock>> = BTreeMap::new();
    // `(section, block order, raw offset, target)` of every dating anchored.
    let mut places: Vec<(usize, usize, usize, String)> = Vec::new();
    for event in events {
        for dating in &event.readings {
            let Some(&section) = by_sigil.get(dating.sigil.text.as_str()) else {
                let d = Diagnostic::error(format!(
                    "event `{}` is dated by `{}`, which is no witness",
                    event.id.text, dating.sigil.text
                ))
                .at(dating.sigil.span, "unknown sigil");
                diags.push(match did_you_mean(&dating.sigil.text, &sigla) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint(format!("the witnesses are {}", sigla.join(", "))),
                });
                continue;
            };
            let text = blocks
                .entry(section)
                .or_insert_with(|| super::text_blocks(&edition.sections[section].blocks));
            match locate(event, dating, text) {
                Ok((order, offset)) => {
                    places.push((section, order, offset, target(event, dating)));
                }
                Err(d) => diags.push(*d),
            }
        }
    }
    if diags.error_count() > errors {
        return;
    }
    // The places, section by section, block by block, in order.
    places.sort();
    let mut by_section: BTreeMap<usize, BTreeMap<usize, Vec<(usize, Inline)>>> = BTreeMap::new();
    for (section, order, offset, id) in places {
        by_section
            .entry(section)
            .or_default()
            .entry(order)
            .or_default()
            .push((offset, Inline::Target { id }));
    }
    for (section, mut inserts) in by_section {
        let mut order = 0;
        super::for_each_text_block_mut(
            &mut edition.sections[section].blocks,
            &mut order,
            &mut |order, content| {
                if let Some(list) = inserts.remove(&order) {
                    super::insert_inlines(content, list);
                }
            },
        );
    }
    let section = chronology_section(edition, events);
    edition.sections.push(section);
}

/// The id of the place where a witness dates an event.
fn target(event: &RawEvent, dating: &RawDating) -> String {
    format!(
        "event-{}-{}",
        event.id.text,
        dating.sigil.text.to_ascii_lowercase()
    )
}

/// The one passage the dating's anchor designates: `(block order, raw start offset)`.
fn locate(
    event: &RawEvent,
    dating: &RawDating,
    blocks: &[super::TextBlock],
) -> Result<(usize, usize), Box<Diagnostic>> {
    let anchor = anchor::normalize(&dating.anchor.text);
    let before = dating.before.as_ref().map(|b| anchor::normalize(&b.text));
    let after = dating.after.as_ref().map(|a| anchor::normalize(&a.text));
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        for (s, e) in anchor::occurrences(
            &block.norm.text,
            &anchor,
            before.as_deref(),
            after.as_deref(),
        ) {
            found.push((b, s, e));
        }
    }
    let what = format!(
        "the anchor of event `{}` in witness {}",
        event.id.text, dating.sigil.text
    );
    let chosen = match (dating.occurrence, found.len()) {
        (Some((n, _)), count) if n <= count => found[n - 1],
        (Some((n, span)), count) => {
            return Err(Box::new(
                Diagnostic::error(format!("{what} occurs {count} times, not {n}"))
                    .at(span, "no such occurrence")
                    .related(dating.anchor.span, "the anchor")
                    .hint(format!(
                        "`occurrence` counts the anchor's places in the witness: 1 to {count}"
                    )),
            ))
        }
        (None, 1) => found[0],
        (None, 0) => {
            let d = Diagnostic::error(format!("{what} is not in the witness"))
                .at(dating.anchor.span, "not found");
            return Err(Box::new(super::closest_passage(
                d,
                &anchor,
                blocks,
                super::Subject::Anchor,
            )));
        }
        (None, count) => {
            let mut d = Diagnostic::error(format!("{what} occurs {count} times"))
                .at(dating.anchor.span, "ambiguous anchor")
                .hint("add `before:` or `after:` with the words next to the intended place, or `occurrence: N`");
            for (b, s, e) in found.iter().take(3) {
                if let Some(span) = super::passage_span(&blocks[*b], *s, *e) {
                    d = d.related(span, "occurs here");
                }
            }
            return Err(Box::new(d));
        }
    };
    let (b, s, e) = chosen;
    let (raw_start, _) = blocks[b].norm.raw_range(s, e);
    Ok((blocks[b].order, raw_start))
}

/// The Chronology: its title, the table, and the timeline the table describes.
fn chronology_section(edition: &Edition, events: &[RawEvent]) -> Section {
    let labels = &edition.meta.labels;
    let heading = labels.get(Label::Chronology).to_owned();
    let span = events[0].id.span;
    let run = |t: &str, link: Option<Link>, span: Span| Inline::Text {
        text: t.to_owned(),
        style: Style::default(),
        link,
        span,
    };
    // The witnesses that date any event, in the book's order.
    let sigla: Vec<String> = edition
        .witnesses()
        .map(|(_, w)| w.sigil.clone())
        .filter(|s| {
            events
                .iter()
                .any(|e| e.readings.iter().any(|d| d.sigil.text == *s))
        })
        .collect();
    let mut order: Vec<&RawEvent> = events.iter().collect();
    order.sort_by_key(|e| e.date.0);
    let mut head = vec![
        vec![run("", None, span)],
        vec![run(labels.get(Label::Event), None, span)],
        vec![run(labels.get(Label::RecordDate), None, span)],
    ];
    head.extend(sigla.iter().map(|s| vec![run(s, None, span)]));
    let mut rows = Vec::new();
    let mut timeline = Vec::new();
    for (n, event) in order.iter().enumerate() {
        let key = (n + 1).to_string();
        let mut record = vec![run(&event.date.0.to_string(), None, event.date.1)];
        if let Some(source) = &event.source {
            // Rendered with the edition's citation style, like any citation.
            record.push(run(
                &format!(" [@{}]", source.text.trim()),
                None,
                source.span,
            ));
        }
        let mut row = vec![
            vec![run(&key, None, span)],
            vec![run(event.label.text.trim(), None, event.label.span)],
            record,
        ];
        let mut datings = Vec::new();
        for sigil in &sigla {
            match event.readings.iter().find(|d| d.sigil.text == *sigil) {
                Some(dating) => {
                    let link = Some(Link::Place(target(event, dating)));
                    row.push(vec![run(&dating.date.0.to_string(), link, dating.date.1)]);
                    datings.push((sigil.clone(), dating.date.0));
                }
                None => row.push(vec![run("—", None, span)]),
            }
        }
        rows.push(row);
        timeline.push(TimelineEvent {
            key,
            label: event.label.text.trim().to_owned(),
            record: event.date.0,
            datings,
        });
    }
    let blocks = vec![
        Block::Heading {
            level: 1,
            content: vec![run(&heading, None, span)],
        },
        Block::ChronologyTable { head, rows },
        Block::Timeline(Timeline {
            id: "chronology".into(),
            alt: format!("{heading}: a timeline of the events in the table"),
            legend: (
                labels.get(Label::RecordDate).to_owned(),
                labels.get(Label::Witnesses).to_owned(),
            ),
            sigla,
            events: timeline,
        }),
    ];
    Section {
        role: Role::Back,
        language: None,
        file_name: "chronology".into(),
        title: heading,
        witness: None,
        blocks,
        numbers: Vec::new(),
    }
}
