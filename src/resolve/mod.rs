//! Resolving: anchor every note in its witness, check every reference, number the notes in
//! reading order and put their marks into the text, giving the [`Edition`].

pub mod anchor;

use crate::apparatus::{Apparatus, RawNote};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::manuscript::markdown::{self, Origin};
use crate::manuscript::LoadedSection;
use crate::model::{Block, Edition, EditionMeta, Inline, Note, NoteKind, Reading};
use crate::source::Span;
use anchor::NormText;
use std::collections::BTreeMap;

/// A block holding inline text (heading, header line, paragraph), found by its preorder
/// number within its section.
struct TextBlock {
    order: usize,
    norm: NormText,
    /// Raw start offset of each inline run, and the run's span for pointing at passages.
    runs: Vec<(usize, Option<Span>)>,
}

/// A witness's text blocks, and their normalised texts joined by `\n` for one search a note.
struct WitnessText {
    blocks: Vec<TextBlock>,
    joined: String,
    /// Where each block's text starts in `joined`.
    starts: Vec<usize>,
}

impl WitnessText {
    fn new(blocks: Vec<TextBlock>) -> WitnessText {
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(blocks.len());
        for block in &blocks {
            starts.push(joined.len());
            joined.push_str(&block.norm.text);
            joined.push('\n');
        }
        WitnessText {
            blocks,
            joined,
            starts,
        }
    }

    /// Occurrences as `(block index, start, end)` with offsets inside the block's text.
    fn find(
        &self,
        anchor: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Vec<(usize, usize, usize)> {
        anchor::occurrences(&self.joined, &self.starts, anchor, before, after)
            .into_iter()
            .map(|(s, e)| {
                let b = self.starts.partition_point(|&x| x <= s) - 1;
                (b, s - self.starts[b], e - self.starts[b])
            })
            .collect()
    }
}

/// Where a note's mark goes: section, text block, raw offset in that block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct MarkAt {
    section: usize,
    order: usize,
    offset: usize,
}

/// Anchors and numbers the notes. Returns the edition when no errors were found.
pub fn resolve(
    sections: Vec<LoadedSection>,
    apparatus: Apparatus,
    meta: EditionMeta,
    diags: &mut Diagnostics,
) -> Option<Edition> {
    let sigla: Vec<&str> = sections
        .iter()
        .filter_map(|s| s.section.witness.as_ref().map(|w| w.sigil.as_str()))
        .collect();
    let by_sigil: BTreeMap<&str, usize> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.section.witness.as_ref().map(|w| (w.sigil.as_str(), i)))
        .collect();
    // Notes grouped by the section of their witness, so each witness is indexed once and
    // its index dropped before the next.
    let mut by_section: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, note) in apparatus.notes.iter().enumerate() {
        check_readings(note, &by_sigil, &sigla, diags);
        match by_sigil.get(note.witness.text.as_str()) {
            Some(&section) => by_section.entry(section).or_default().push(i),
            None => diags.push(unknown_sigil(&note.witness.text, note.witness.span, &sigla)),
        }
    }
    let mut placed: Vec<(MarkAt, usize, &RawNote)> = Vec::new();
    for (&section, note_indices) in &by_section {
        let texts = WitnessText::new(text_blocks(&sections[section].section.blocks));
        for &i in note_indices {
            let note = &apparatus.notes[i];
            if let Some((order, offset)) = anchor_note(note, &texts, diags) {
                placed.push((
                    MarkAt {
                        section,
                        order,
                        offset,
                    },
                    i,
                    note,
                ));
            }
        }
    }
    warn_missing_provenance(&sections, &apparatus, diags);
    if diags.has_errors() {
        return None;
    }
    placed.sort_by_key(|(at, i, _)| (*at, *i));
    let witness_order = |sigil: &str| sigla.iter().position(|s| *s == sigil);
    let notes: Vec<Note> = placed
        .iter()
        .enumerate()
        .map(|(index, (at, _, raw))| build_note(raw, index, at.section, &witness_order, diags))
        .collect();
    let mut marks: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    for (index, (at, _, _)) in placed.iter().enumerate() {
        marks
            .entry((at.section, at.order))
            .or_default()
            .push((at.offset, index));
    }
    let mut sections: Vec<_> = sections.into_iter().map(|s| s.section).collect();
    for (i, section) in sections.iter_mut().enumerate() {
        let mut order = 0;
        for_each_text_block_mut(&mut section.blocks, &mut order, &mut |order, content| {
            if let Some(list) = marks.get(&(i, order)) {
                insert_marks(content, list);
            }
        });
    }
    if diags.has_errors() {
        return None;
    }
    Some(Edition {
        meta,
        sections,
        notes,
    })
}

fn unknown_sigil(sigil: &str, span: Span, sigla: &[&str]) -> Diagnostic {
    let d =
        Diagnostic::error(format!("no witness has the sigil `{sigil}`")).at(span, "unknown sigil");
    match did_you_mean(sigil, sigla) {
        Some(s) if sigil.len() > 1 => d.hint(format!("did you mean `{s}`?")),
        _ if sigla.is_empty() => {
            d.hint("the edition has no witnesses; give a manuscript file a `sigil`")
        }
        _ => d.hint(format!("the witnesses are {}", sigla.join(", "))),
    }
}

fn check_readings(
    note: &RawNote,
    by_sigil: &BTreeMap<&str, usize>,
    sigla: &[&str],
    diags: &mut Diagnostics,
) {
    for (sigil, _) in &note.readings {
        if !by_sigil.contains_key(sigil.text.as_str()) {
            diags.push(unknown_sigil(&sigil.text, sigil.span, sigla));
        }
    }
}

/// Finds the one place the note's anchor designates: `(block order, raw end offset)`.
fn anchor_note(
    note: &RawNote,
    witness: &WitnessText,
    diags: &mut Diagnostics,
) -> Option<(usize, usize)> {
    let blocks = &witness.blocks;
    let anchor = anchor::normalize(&note.anchor.text);
    if anchor.is_empty() {
        return None; // reported when the apparatus was read
    }
    let before = note.before.as_ref().map(|b| anchor::normalize(&b.text));
    let after = note.after.as_ref().map(|a| anchor::normalize(&a.text));
    let hits = witness.find(
        &anchor,
        before.as_deref().filter(|b| !b.is_empty()),
        after.as_deref().filter(|a| !a.is_empty()),
    );
    match hits.as_slice() {
        [(b, s, e)] => {
            let (_, raw_end) = blocks[*b].norm.raw_range(*s, *e);
            Some((blocks[*b].order, raw_end))
        }
        [] => {
            diags.push(not_found(
                note,
                &anchor,
                witness,
                before.is_some() || after.is_some(),
            ));
            None
        }
        many => {
            let mut d = Diagnostic::error(format!(
                "the anchor of note `{}` occurs {} times in witness {}",
                note.id.text,
                many.len(),
                note.witness.text
            ))
            .at(note.anchor.span, "ambiguous anchor")
            .hint("add `before:` or `after:` with the words just before or after the intended occurrence");
            for (b, s, e) in many.iter().take(3) {
                if let Some(span) = passage_span(&blocks[*b], *s, *e) {
                    d = d.related(span, "occurs here");
                }
            }
            diags.push(d);
            None
        }
    }
}

fn not_found(note: &RawNote, anchor: &str, witness: &WitnessText, has_context: bool) -> Diagnostic {
    let blocks = &witness.blocks;
    let mut d = Diagnostic::error(format!(
        "the anchor of note `{}` is not in witness {}",
        note.id.text, note.witness.text
    ))
    .at(note.anchor.span, "not found");
    let without_context = !witness.find(anchor, None, None).is_empty();
    if has_context && without_context {
        return d.hint("the anchor occurs, but not with this `before:`/`after:`; check that they quote the words right next to it in the same paragraph");
    }
    let run_on = witness.joined.replace('\n', " ");
    if !anchor::occurrences(&run_on, &[0], anchor, None, None).is_empty() {
        return d.hint("the anchor runs across two paragraphs or headings; a note attaches within one block, so shorten it");
    }
    let best = blocks
        .iter()
        .filter(|b| b.norm.text.len().saturating_mul(anchor.len().min(200)) < 50_000_000)
        .filter_map(|b| anchor::closest(&b.norm.text, anchor).map(|c| (c, b)))
        .min_by_key(|((dist, _, _), _)| *dist);
    if let Some(((_, s, e), block)) = best {
        let passage = &block.norm.text[s..e];
        d = d.hint(format!("the closest passage is “{passage}”"));
        if let Some(span) = passage_span(block, s, e) {
            d = d.related(span, "closest passage");
        }
    }
    d.hint("an anchor quotes the witness exactly (after folding quotes, white space and Unicode forms)")
}

/// The file span behind a normalised range of a block, when its runs map onto the file.
fn passage_span(block: &TextBlock, start: usize, end: usize) -> Option<Span> {
    let (raw_start, raw_end) = block.norm.raw_range(start, end);
    let run = block
        .runs
        .partition_point(|(s, _)| *s <= raw_start)
        .saturating_sub(1);
    let (run_start, span) = block.runs.get(run)?;
    let span = (*span)?;
    let from = span.start + (raw_start - run_start);
    let to = (from + (raw_end - raw_start)).min(span.end);
    // Escapes and entities make raw text and file differ; fall back to the whole run.
    if from <= to && to <= span.end {
        Some(Span::new(span.file, from, to))
    } else {
        Some(span)
    }
}

fn warn_missing_provenance(
    sections: &[LoadedSection],
    apparatus: &Apparatus,
    diags: &mut Diagnostics,
) {
    for s in sections {
        let Some(w) = &s.section.witness else {
            continue;
        };
        let has = apparatus
            .notes
            .iter()
            .any(|n| n.witness.text == w.sigil && n.kind == NoteKind::Provenance);
        if !has {
            diags.push(
                Diagnostic::warning(format!("witness {} has no provenance note", w.sigil))
                    .at(s.spans.sigil.unwrap_or(s.spans.whole), "witness")
                    .hint("add a `kind: provenance` note saying who published it, when, and from what source"),
            );
        }
    }
}

fn build_note(
    raw: &RawNote,
    index: usize,
    section: usize,
    witness_order: &dyn Fn(&str) -> Option<usize>,
    diags: &mut Diagnostics,
) -> Note {
    let origin = |span: Span| Origin {
        file: span.file,
        base: span.start,
        whole: Some(span),
    };
    let body = markdown::parse(&raw.text.text, origin(raw.text.span), diags);
    let mut readings: Vec<Reading> = raw
        .readings
        .iter()
        .map(|(sigil, text)| Reading {
            sigil: sigil.text.clone(),
            content: inline_only(markdown::parse(&text.text, origin(text.span), diags)),
        })
        .collect();
    readings.sort_by_key(|r| witness_order(&r.sigil));
    Note {
        id: raw.id.text.clone(),
        number: index + 1,
        kind: raw.kind,
        section,
        witness: raw.witness.text.clone(),
        anchor: anchor::normalize(&raw.anchor.text),
        body,
        readings,
    }
}

/// The inline content of Markdown that should be a single line.
fn inline_only(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut order = 0;
    let mut blocks = blocks;
    for_each_text_block_mut(&mut blocks, &mut order, &mut |_, content| {
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        out.append(content);
    });
    out
}

/// Visits every block with inline content, in reading order, numbering them from `order`.
fn for_each_text_block_mut(
    blocks: &mut [Block],
    order: &mut usize,
    visit: &mut dyn FnMut(usize, &mut Vec<Inline>),
) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content) => {
                visit(*order, content);
                *order += 1;
            }
            Block::Quote(inner) => for_each_text_block_mut(inner, order, visit),
            Block::List { items, .. } => {
                for item in items {
                    for_each_text_block_mut(item, order, visit);
                }
            }
            Block::Code(_) | Block::Rule => {}
        }
    }
}

/// Visits every block with inline content, in reading order, numbering them from `order`.
fn for_each_text_block<'a>(
    blocks: &'a [Block],
    order: &mut usize,
    visit: &mut dyn FnMut(usize, &'a [Inline]),
) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content) => {
                visit(*order, content);
                *order += 1;
            }
            Block::Quote(inner) => for_each_text_block(inner, order, visit),
            Block::List { items, .. } => {
                for item in items {
                    for_each_text_block(item, order, visit);
                }
            }
            Block::Code(_) | Block::Rule => {}
        }
    }
}

/// The searchable text of every text block of a section.
fn text_blocks(blocks: &[Block]) -> Vec<TextBlock> {
    let mut out = Vec::new();
    let mut order = 0;
    for_each_text_block(blocks, &mut order, &mut |order, content| {
        let mut raw = String::new();
        let mut runs = Vec::new();
        for inline in content {
            match inline {
                Inline::Text { text, span, .. } => {
                    runs.push((raw.len(), Some(*span)));
                    raw.push_str(text);
                }
                Inline::LineBreak => {
                    runs.push((raw.len(), None));
                    raw.push('\n');
                }
                Inline::NoteRef { .. } => {}
            }
        }
        out.push(TextBlock {
            order,
            norm: NormText::new(&raw),
            runs,
        });
    });
    out
}

/// Inserts note marks at raw offsets of a block's text; `list` is `(offset, note index)`.
fn insert_marks(content: &mut Vec<Inline>, list: &[(usize, usize)]) {
    let mut sorted = list.to_vec();
    // From the last offset back, so earlier offsets stay valid; notes at one offset keep
    // their numbering order.
    sorted.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    for (offset, index) in sorted {
        let mut raw = 0;
        let mut at = content.len();
        for (i, inline) in content.iter().enumerate() {
            let len = match inline {
                Inline::Text { text, .. } => text.len(),
                Inline::LineBreak => 1,
                Inline::NoteRef { .. } => 0,
            };
            if raw + len >= offset && len > 0 {
                at = i;
                break;
            }
            raw += len;
        }
        let split = offset - raw;
        let mark = Inline::NoteRef { index };
        match content.get_mut(at) {
            Some(Inline::Text {
                text,
                style,
                link,
                span,
            }) if split < text.len() => {
                let tail = Inline::Text {
                    text: text.split_off(split),
                    style: *style,
                    link: link.clone(),
                    span: *span,
                };
                content.splice(at + 1..at + 1, [mark, tail]);
            }
            // Right after the run, before any marks of higher number placed at this offset.
            Some(_) => content.insert(at + 1, mark),
            None => content.push(mark),
        }
    }
}

#[cfg(test)]
mod tests;
