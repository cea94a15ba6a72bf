//! Resolving: anchor every note in its witness, check every reference and every quotation in
//! a reading, number the notes in reading order and the witnesses' paragraphs, and put the
//! notes' marks into the text, giving the [`Edition`].

pub mod anchor;
pub mod chronology;
pub mod cite;
pub mod index;
pub mod links;

use crate::apparatus::{Apparatus, NoteOn, RawNote};
use crate::diag::{did_you_mean_ignoring_case, Diagnostic, Diagnostics};
use crate::manuscript::markdown::{self, Origin};
use crate::manuscript::{LoadedSection, Manuscript};
use crate::model::{Block, Edition, EditionMeta, Inline, Note, NoteKind, Reading};
use crate::source::Span;
use anchor::NormText;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A block holding inline text (heading, header line, paragraph), found by its preorder
/// number within its section.
struct TextBlock {
    order: usize,
    /// The block's text as transcribed, note marks left out.
    raw: String,
    norm: NormText,
    /// Raw start offset of each inline run, and the run's span for pointing at passages.
    runs: Vec<(usize, Option<Span>)>,
}

/// A note's text and readings, parsed from Markdown.
type ParsedNote = (Vec<Block>, Vec<Vec<Inline>>);

/// Where a note's mark goes: section, text block, raw offset in that block's text (and
/// where its lemma starts, before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct MarkAt {
    section: usize,
    order: usize,
    offset: usize,
    start: usize,
}

/// A placed note: where its mark goes, its index in the apparatus, and its lemma (the
/// witness's text at the anchor).
struct Placed {
    at: MarkAt,
    note: usize,
    lemma: String,
}

/// A passage a reading quotes, to be found in the reading's witness: a quotation, or a
/// piece of one between ellipses.
struct Quoted {
    /// The note and the sigil whose reading quotes it.
    note: usize,
    sigil: String,
    /// Normalised.
    text: String,
    /// The quotation in `footnotes.yaml`.
    span: Span,
}

/// Anchors and numbers the notes. Returns the edition when no errors were found.
pub fn resolve(
    manuscript: Manuscript,
    apparatus: Apparatus,
    meta: EditionMeta,
    diags: &mut Diagnostics,
) -> Option<Edition> {
    let Manuscript { sections, complete } = manuscript;
    let sigla: Vec<&str> = sections
        .iter()
        .filter_map(|s| s.section.witness.as_ref().map(|w| w.sigil.as_str()))
        .collect();
    let by_sigil: BTreeMap<&str, usize> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.section.witness.as_ref().map(|w| (w.sigil.as_str(), i)))
        .collect();
    // Parsed up front (in parallel, problems reported in note order), so that problems in the
    // notes' Markdown are reported with the rest.
    let (parsed, parse_diags): (Vec<ParsedNote>, Vec<Diagnostics>) = apparatus
        .notes
        .par_iter()
        .map(|note| {
            let mut diags = Diagnostics::default();
            (parse_note_text(note, &meta.language, &mut diags), diags)
        })
        .unzip();
    for d in parse_diags {
        diags.extend(d);
    }
    // Notes grouped by the section of their witness, so each witness is indexed once and
    // its index dropped before the next.
    let mut by_section: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut quoted: BTreeMap<usize, Vec<Quoted>> = BTreeMap::new();
    for (i, note) in apparatus.notes.iter().enumerate() {
        // A sigil not found may belong to a file that could not be read: that file's error
        // is the one to fix first.
        if complete {
            check_readings(note, &by_sigil, &sigla, diags);
        }
        let found = match note.on {
            NoteOn::Witness => find_witness(&by_sigil, note, &sigla, complete, diags),
            NoteOn::Section => find_section(&sections, note, complete, diags),
        };
        if let Some(section) = found {
            by_section.entry(section).or_default().push(i);
        }
        for (sigil, reading) in &note.readings {
            let Some(&section) = by_sigil.get(sigil.text.as_str()) else {
                continue;
            };
            for (text, span) in quotations(reading) {
                quoted.entry(section).or_default().push(Quoted {
                    note: i,
                    sigil: sigil.text.clone(),
                    text,
                    span,
                });
                by_section.entry(section).or_default();
            }
        }
    }
    // Sections are anchored in parallel, each on its own; their outcomes are then taken in
    // section order, as one pass over the sections would give them.
    let by_section: Vec<(usize, Vec<usize>)> = by_section.into_iter().collect();
    let anchored: Vec<Anchored> = by_section
        .par_iter()
        .map(|(section, indices)| {
            let quoted = quoted.get(section).map_or(&[][..], Vec::as_slice);
            anchor_section(
                *section,
                &sections[*section],
                indices,
                &apparatus.notes,
                quoted,
            )
        })
        .collect();
    let mut placed: Vec<Placed> = Vec::new();
    let mut suggestions = SUGGESTIONS;
    for ((section, _), anchored) in by_section.iter().zip(anchored) {
        placed.extend(anchored.placed);
        // Built again only for a closest-passage search, at most `SUGGESTIONS` times.
        let mut blocks: Option<Vec<TextBlock>> = None;
        for problem in anchored.problems {
            match problem {
                Problem::Ready(d) => diags.push(d),
                Problem::NotFound {
                    anchor,
                    diag,
                    subject,
                } => {
                    let suggest = suggestions > 0;
                    suggestions = suggestions.saturating_sub(1);
                    diags.push(match diag {
                        NotFound::Complete(d) => d,
                        NotFound::NeedsHints(d) if suggest => {
                            let blocks = blocks
                                .get_or_insert_with(|| text_blocks(&sections[*section].section.blocks));
                            closest_passage(d, &anchor, blocks, subject)
                        }
                        NotFound::NeedsHints(d) => d.hint(format!("{} (after folding quotes, white space and Unicode forms); so many failed that no closest passage was searched for", subject.rule())),
                    });
                }
            }
        }
    }
    warn_missing_provenance(&sections, &apparatus, diags);
    if diags.has_errors() {
        return None;
    }
    placed.sort_by_key(|p| (p.at, p.note));
    // Sections are in reading order, so a witness's section index orders the readings.
    let witness_index: BTreeMap<String, usize> = by_sigil
        .iter()
        .map(|(sigil, i)| ((*sigil).to_owned(), *i))
        .collect();
    let witness_order = |sigil: &str| witness_index.get(sigil).copied();
    let mut sections: Vec<_> = sections.into_iter().map(|s| s.section).collect();
    // The citable numbers, and for each text block (by section and order) the number of the
    // paragraph it belongs to.
    let mut paragraph_of: Vec<Vec<Option<u32>>> = Vec::with_capacity(sections.len());
    for section in &mut sections {
        section.numbers = crate::model::paragraph_numbers(section.role, &section.blocks);
        let mut by_order = Vec::new();
        let mut order = 0;
        for (block, number) in section.blocks.iter().zip(&section.numbers) {
            for_each_text_block(std::slice::from_ref(block), &mut order, &mut |_, _| {
                by_order.push(*number)
            });
        }
        paragraph_of.push(by_order);
    }
    let mut parsed: Vec<Option<_>> = parsed.into_iter().map(Some).collect();
    let notes: Vec<Note> = placed
        .iter_mut()
        .enumerate()
        .map(|(index, p)| {
            let (body, readings) = parsed[p.note].take().unwrap_or_default();
            let mut note = build_note(
                &apparatus.notes[p.note],
                index,
                p.at.section,
                body,
                readings,
                &witness_order,
            );
            note.lemma = std::mem::take(&mut p.lemma);
            note.paragraph = paragraph_of[p.at.section]
                .get(p.at.order)
                .copied()
                .flatten();
            note
        })
        .collect();
    let mut notes = notes;
    crate::model::mark_labels(&mut notes, meta.design.notes.unwrap_or_default());
    // Where each note's mark goes (after its anchor) and where its lemma begins, by block.
    let mut marks: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    let mut lemmas: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    for (index, p) in placed.iter().enumerate() {
        let block = (p.at.section, p.at.order);
        marks.entry(block).or_default().push((p.at.offset, index));
        lemmas.entry(block).or_default().push((p.at.start, index));
    }
    // Editorial sections' quotes in the conventions of their language.
    for section in sections.iter_mut().filter(|s| s.witness.is_none()) {
        let language = section.language.as_deref().unwrap_or(&meta.language);
        markdown::localise_quotes(&mut section.blocks, language);
    }
    for (i, section) in sections.iter_mut().enumerate() {
        let mut order = 0;
        for_each_text_block_mut(&mut section.blocks, &mut order, &mut |order, content| {
            insert_marks(
                content,
                marks.get(&(i, order)).map_or(&[], Vec::as_slice),
                lemmas.get(&(i, order)).map_or(&[], Vec::as_slice),
            );
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

fn find_witness(
    by_sigil: &BTreeMap<&str, usize>,
    note: &RawNote,
    sigla: &[&str],
    complete: bool,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let found = by_sigil.get(note.witness.text.as_str()).copied();
    if found.is_none() && complete {
        diags.push(unknown_sigil(&note.witness.text, note.witness.span, sigla));
    }
    found
}

/// The section a note with `section: name` is on: the one whose manuscript file is
/// `name.md`, when it is not a witness (a witness's notes name its sigil).
fn find_section(
    sections: &[LoadedSection],
    note: &RawNote,
    complete: bool,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let name = note.witness.text.trim();
    let name = name.strip_suffix(".md").unwrap_or(name);
    let found = sections
        .iter()
        .position(|s| s.section.file_name.strip_suffix(".md") == Some(name));
    match found.map(|i| (i, &sections[i].section.witness)) {
        Some((i, None)) => Some(i),
        Some((_, Some(w))) => {
            diags.push(
                Diagnostic::error(format!("`{name}` is a witness, not a section"))
                    .at(note.witness.span, "a witness")
                    .hint(format!(
                        "a note on a witness names its sigil: write `witness: {}`",
                        w.sigil
                    )),
            );
            None
        }
        None if complete => {
            let names: Vec<&str> = sections
                .iter()
                .filter(|s| s.section.witness.is_none())
                .filter_map(|s| s.section.file_name.strip_suffix(".md"))
                .collect();
            let d = Diagnostic::error(format!("no section is called `{name}`"))
                .at(note.witness.span, "unknown section");
            diags.push(match did_you_mean_ignoring_case(name, &names) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None if names.is_empty() => d.hint("the edition has no sections besides its witnesses; a section is a manuscript file without a `sigil`"),
                None => d.hint(format!("a section is named by its manuscript file without `.md`: {}", names.join(", "))),
            });
            None
        }
        None => None,
    }
}

/// Where a note is, in messages: `witness A` or `section `00-introduction``.
fn place(note: &RawNote) -> String {
    match note.on {
        NoteOn::Witness => format!("witness {}", note.witness.text),
        NoteOn::Section => format!("section `{}`", note.witness.text),
    }
}

fn unknown_sigil(sigil: &str, span: Span, sigla: &[&str]) -> Diagnostic {
    let d =
        Diagnostic::error(format!("no witness has the sigil `{sigil}`")).at(span, "unknown sigil");
    match did_you_mean_ignoring_case(sigil, sigla) {
        Some(s) if sigil.len() > 1 || s.eq_ignore_ascii_case(sigil) => {
            d.hint(format!("did you mean `{s}`?"))
        }
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

/// Anchors that are not found get a search for the closest passage, which costs a pass over
/// the witness each; past this many, they are reported without one.
const SUGGESTIONS: usize = 100;

/// What anchoring the notes of one section gives.
struct Anchored {
    /// Every note placed.
    placed: Vec<Placed>,
    /// The problems, in note order.
    problems: Vec<Problem>,
}

/// A problem found while anchoring a section.
enum Problem {
    Ready(Diagnostic),
    /// A note's anchor (`anchor`, normalised) was not found. Every such problem
    /// uses up one of the [`SUGGESTIONS`], so which ones get a closest-passage search is
    /// decided when the sections' outcomes are taken in order.
    NotFound {
        anchor: String,
        diag: NotFound,
        subject: Subject,
    },
}

/// What was not found in a witness: a note's anchor, or a passage a reading quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Anchor,
    Quotation,
}

impl Subject {
    /// The rule the passage breaks, for a hint.
    fn rule(self) -> &'static str {
        match self {
            Subject::Anchor => "an anchor quotes the witness exactly",
            Subject::Quotation => {
                "a reading's quotation (its text in quotation marks) quotes its witness exactly"
            }
        }
    }
}

/// Anchors the notes `indices` (in order) of `notes` in `loaded`, section number `section`.
/// The section's searchable text is built here and dropped on return, so that only the
/// sections being anchored at the moment hold one.
fn anchor_section(
    section: usize,
    loaded: &LoadedSection,
    indices: &[usize],
    notes: &[RawNote],
    quoted: &[Quoted],
) -> Anchored {
    let blocks = &text_blocks(&loaded.section.blocks);
    let mut out = Anchored {
        placed: Vec::new(),
        problems: Vec::new(),
    };
    let texts: Vec<&str> = blocks.iter().map(|b| b.norm.text.as_str()).collect();
    check_quotations(&loaded.section, quoted, notes, &texts, &mut out.problems);
    let anchors: Vec<String> = indices
        .iter()
        .map(|&i| anchor::normalize(&notes[i].anchor.text))
        .collect();
    let mut distinct: Vec<String> = anchors.iter().filter(|a| !a.is_empty()).cloned().collect();
    distinct.sort();
    distinct.dedup();
    let hits = anchor::find_many(&texts, &distinct);
    for (&i, anchor) in indices.iter().zip(anchors) {
        // Empty anchors were reported when the apparatus was read.
        let Ok(k) = distinct.binary_search(&anchor) else {
            continue;
        };
        match anchor_note(&notes[i], anchor, blocks, &hits[k]) {
            Ok((order, (start, offset), lemma)) => out.placed.push(Placed {
                at: MarkAt {
                    section,
                    order,
                    offset,
                    start,
                },
                note: i,
                lemma,
            }),
            Err(problem) => out.problems.push(*problem),
        }
    }
    out
}

/// Finds the one place the note's anchor designates: `(block order, raw range, lemma)`.
/// `hits` are the anchor's occurrences without regard to `before`/`after`.
fn anchor_note(
    note: &RawNote,
    anchor: String,
    blocks: &[TextBlock],
    hits: &anchor::Hits,
) -> Result<(usize, (usize, usize), String), Box<Problem>> {
    let before = note.before.as_ref().map(|b| anchor::normalize(&b.text));
    let after = note.after.as_ref().map(|a| anchor::normalize(&a.text));
    let before = before.as_deref().filter(|b| !b.is_empty());
    let after = after.as_deref().filter(|a| !a.is_empty());
    // `occurrence: N` needs the N-th match; otherwise a few show where an ambiguous one is.
    let kept = note.occurrence.map_or(3, |(n, _)| n.max(3));
    let (count, first) = if before.is_none() && after.is_none() && kept <= hits.first.len() {
        (hits.count, hits.first.clone())
    } else {
        // Only the blocks that hold the anchor at all are searched again with the context.
        let mut count = 0;
        let mut first = Vec::new();
        for &b in &hits.blocks {
            for (s, e) in anchor::occurrences(&blocks[b].norm.text, &anchor, before, after) {
                count += 1;
                if first.len() < kept {
                    first.push((b, s, e));
                }
            }
        }
        (count, first)
    };
    let placed_at = |&(b, s, e): &(usize, usize, usize)| {
        let block: &TextBlock = &blocks[b];
        let (raw_start, raw_end) = block.norm.raw_range(s, e);
        let lemma = block.raw[raw_start..raw_end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        (block.order, (raw_start, raw_end), lemma)
    };
    if let Some((n, span)) = note.occurrence {
        if count > 0 {
            return match first.get(n - 1) {
                Some(hit) => Ok(placed_at(hit)),
                None => Err(Box::new(Problem::Ready(
                    Diagnostic::error(format!(
                        "note `{}` asks for occurrence {n} of its anchor, which occurs {count} {} in witness {}",
                        note.id.text,
                        if count == 1 { "time" } else { "times" },
                        note.witness.text
                    ))
                    .at(span, "out of range")
                    .hint(if count == 1 {
                        "remove `occurrence:`; the anchor is unique".to_owned()
                    } else {
                        format!("give a number from 1 to {count}; `occurrence` counts the matches (in their `before:`/`after:` context) in reading order")
                    }),
                ))),
            };
        }
    }
    match (count, first.as_slice()) {
        (1, [hit]) => Ok(placed_at(hit)),
        (0, _) => {
            let has_context = before.is_some() || after.is_some();
            let diag = not_found(note, blocks, hits, has_context);
            Err(Box::new(Problem::NotFound {
                anchor,
                diag,
                subject: Subject::Anchor,
            }))
        }
        (many, first) => {
            let mut d = Diagnostic::error(format!(
                "the anchor of note `{}` occurs {} times in {}",
                note.id.text,
                many,
                place(note)
            ))
            .at(note.anchor.span, "ambiguous anchor")
            .hint("add `before:` or `after:` with the words just before or after the intended occurrence, or `occurrence: N` for the N-th (identical paragraphs)");
            for (b, s, e) in first.iter().take(3) {
                if let Some(span) = passage_span(&blocks[*b], *s, *e) {
                    d = d.related(span, "occurs here");
                }
            }
            Err(Box::new(Problem::Ready(d)))
        }
    }
}

/// The error for an anchor not found.
enum NotFound {
    /// The anchor occurs, only not in its context.
    Complete(Diagnostic),
    /// Still to be completed by [`closest_passage`], or by a hint that no search was made.
    NeedsHints(Diagnostic),
}

/// The error for an anchor not found.
fn not_found(
    note: &RawNote,
    blocks: &[TextBlock],
    hits: &anchor::Hits,
    has_context: bool,
) -> NotFound {
    let mut d = Diagnostic::error(format!(
        "the anchor of note `{}` is not in {}",
        note.id.text,
        place(note)
    ))
    .at(note.anchor.span, "not found");
    if has_context && hits.count > 0 {
        for (b, s, e) in &hits.first {
            if let Some(span) = passage_span(&blocks[*b], *s, *e) {
                d = d.related(span, "the anchor alone occurs here");
            }
        }
        return NotFound::Complete(d.hint("the anchor occurs, but not with this `before:`/`after:`; they must quote the words right next to it in the same paragraph"));
    }
    NotFound::NeedsHints(d)
}

/// Completes a [`not_found`] error with a search of the witness's `blocks` for the passage
/// closest to the anchor.
fn closest_passage(
    mut d: Diagnostic,
    anchor: &str,
    blocks: &[TextBlock],
    subject: Subject,
) -> Diagnostic {
    let joined: String = blocks
        .iter()
        .map(|b| b.norm.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if !anchor::occurrences(&joined, anchor, None, None).is_empty() {
        return d.hint(match subject {
            Subject::Anchor => "the anchor runs across two paragraphs or headings; a note attaches within one block, so shorten it",
            Subject::Quotation => "the quotation runs across two paragraphs or headings; quote each part in quotation marks of its own",
        });
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
    d.hint(format!(
        "{} (after folding quotes, white space and Unicode forms)",
        subject.rule()
    ))
}

/// The passages a reading quotes: each text in double quotation marks (straight or curly),
/// cut at ellipses (`…`, `...`, the editor's elisions), normalised, each with the span of
/// the reading in `footnotes.yaml`. Square brackets are quoted as they are: in a witness
/// they are the witness's own.
fn quotations(reading: &crate::apparatus::Located) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut rest = reading.text.as_str();
    while let Some(open) = rest.find(['"', '\u{201C}']) {
        let after_open = &rest[open..];
        let after_open = &after_open[after_open.chars().next().map_or(1, char::len_utf8)..];
        let Some(close) = after_open.find(['"', '\u{201D}']) else {
            break;
        };
        let quote = &after_open[..close];
        let span = reading.span;
        for part in quote.split('\u{2026}').flat_map(|p| p.split("...")) {
            let norm = anchor::normalize(part);
            if !norm.is_empty() {
                out.push((norm, span));
            }
        }
        let after_close = &after_open[close..];
        rest = &after_close[after_close.chars().next().map_or(1, char::len_utf8)..];
    }
    out
}

/// Checks that every passage `quoted` from this section's witness occurs in it; a passage
/// that does not becomes a problem to be completed with the closest passage.
fn check_quotations(
    section: &crate::model::Section,
    quoted: &[Quoted],
    notes: &[RawNote],
    texts: &[&str],
    problems: &mut Vec<Problem>,
) {
    if quoted.is_empty() {
        return;
    }
    let mut distinct: Vec<String> = quoted.iter().map(|q| q.text.clone()).collect();
    distinct.sort();
    distinct.dedup();
    let hits = anchor::find_many(texts, &distinct);
    let sigil = section.witness.as_ref().map_or("", |w| w.sigil.as_str());
    for q in quoted {
        let found = distinct
            .binary_search(&q.text)
            .is_ok_and(|k| hits[k].count > 0);
        if found {
            continue;
        }
        let d = Diagnostic::error(format!(
            "the reading of {} in note `{}` quotes “{}”, which is not in witness {sigil}",
            q.sigil, notes[q.note].id.text, q.text
        ))
        .at(q.span, "quotation not in the witness");
        problems.push(Problem::NotFound {
            anchor: q.text.clone(),
            diag: NotFound::NeedsHints(d),
            subject: Subject::Quotation,
        });
    }
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
    let provenanced: std::collections::HashSet<&str> = apparatus
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Provenance && n.on == NoteOn::Witness)
        .map(|n| n.witness.text.as_str())
        .collect();
    for s in sections {
        let Some(w) = &s.section.witness else {
            continue;
        };
        if !provenanced.contains(w.sigil.as_str()) && w.provenance.is_none() {
            diags.push(
                Diagnostic::warning(format!("witness {} has no provenance", w.sigil))
                    .at(s.spans.sigil.unwrap_or(s.spans.whole), "witness")
                    .hint("add `provenance: …` to its front matter, or a `kind: provenance` note, saying who published or wrote it, when, and from what source"),
            );
        }
    }
}

/// The note's text and readings parsed from Markdown; problems are reported in the YAML.
fn parse_note_text(
    raw: &RawNote,
    language: &str,
    diags: &mut Diagnostics,
) -> (Vec<Block>, Vec<Vec<Inline>>) {
    let origin = |span: Span, editorial: bool| Origin {
        file: span.file,
        base: span.start,
        whole: Some(span),
        editorial,
    };
    let mut body = markdown::parse(&raw.text.text, origin(raw.text.span, true), diags);
    markdown::localise_quotes(&mut body, language);
    crate::model::figures_mut(&mut body, &mut |figure| {
        diags.push(
            Diagnostic::error(format!("a note cannot hold the figure `{}`", figure.path))
                .at(figure.span, "figure")
                .hint("put the figure in a manuscript file, beside the text it shows"),
        );
    });
    if contains_table(&body) {
        diags.push(
            Diagnostic::error(format!("the text of note `{}` holds a table", raw.id.text))
                .at(raw.text.span, "table in a note")
                .hint("a note is set in a footnote, too narrow for a table: put the table in a manuscript file (an introduction or an appendix, `role: back`) and refer to it, or write its rows as sentences; if the pipes are the note's own text, escape them as `\\|`"),
        );
    }
    let readings = raw
        .readings
        .iter()
        .map(|(_, text)| inline_only(markdown::parse(&text.text, origin(text.span, false), diags)))
        .collect();
    (body, readings)
}

/// Whether `blocks` hold a table, in a quote or a list included.
fn contains_table(blocks: &[Block]) -> bool {
    blocks.iter().any(|block| match block {
        Block::Table(_) => true,
        Block::Quote(inner) => contains_table(inner),
        Block::List { items, .. } => items.iter().any(|item| contains_table(item)),
        _ => false,
    })
}

fn build_note(
    raw: &RawNote,
    index: usize,
    section: usize,
    body: Vec<Block>,
    readings: Vec<Vec<Inline>>,
    witness_order: &dyn Fn(&str) -> Option<usize>,
) -> Note {
    let mut readings: Vec<Reading> = raw
        .readings
        .iter()
        .zip(readings)
        .map(|((sigil, _), content)| Reading {
            sigil: sigil.text.clone(),
            content,
        })
        .collect();
    readings.sort_by_key(|r| witness_order(&r.sigil));
    Note {
        id: raw.id.text.clone(),
        number: index + 1,
        kind: raw.kind,
        section,
        witness: match raw.on {
            NoteOn::Witness => raw.witness.text.clone(),
            NoteOn::Section => String::new(),
        },
        lemma: anchor::normalize(&raw.anchor.text),
        mark: String::new(),
        paragraph: None,
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
    crate::model::walk_inlines_mut(blocks, &mut |content| {
        visit(*order, content);
        *order += 1;
    });
}

/// Visits every block with inline content, in reading order, numbering them from `order`.
fn for_each_text_block<'a>(
    blocks: &'a [Block],
    order: &mut usize,
    visit: &mut dyn FnMut(usize, &'a [Inline]),
) {
    crate::model::walk_inlines(blocks, &mut |content| {
        visit(*order, content);
        *order += 1;
    });
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
                Inline::NoteRef { .. }
                | Inline::LemmaStart { .. }
                | Inline::Target { .. }
                | Inline::PlaceRefs(_) => {}
            }
        }
        out.push(TextBlock {
            order,
            norm: NormText::new(&raw),
            raw,
            runs,
        });
    });
    out
}

/// Inserts note marks and the starts of their lemmata at raw offsets of a block's text;
/// `marks` and `starts` are `(offset, note index)`. At one offset a mark comes before a
/// lemma that starts there, and marks keep their numbering order.
fn insert_marks(content: &mut Vec<Inline>, marks: &[(usize, usize)], starts: &[(usize, usize)]) {
    if marks.is_empty() && starts.is_empty() {
        return;
    }
    let mut all: Vec<(usize, bool, usize)> = marks
        .iter()
        .map(|&(offset, index)| (offset, false, index))
        .chain(starts.iter().map(|&(offset, index)| (offset, true, index)))
        .collect();
    all.sort_unstable();
    let inlines = all
        .into_iter()
        .map(|(offset, start, index)| match start {
            false => (offset, Inline::NoteRef { index }),
            true => (offset, Inline::LemmaStart { index }),
        })
        .collect();
    insert_inlines(content, inlines);
}

/// Inserts zero-width inlines (note marks, targets) at raw offsets of a block's text, in the
/// order of `list` (sorted by offset). One at the end of a run goes right after it. One pass
/// over the runs, however many are inserted.
pub(crate) fn insert_inlines(content: &mut Vec<Inline>, list: Vec<(usize, Inline)>) {
    debug_assert!(list.windows(2).all(|w| w[0].0 <= w[1].0));
    let count = list.len();
    let mut marks = list.into_iter().peekable();
    let mut out = Vec::with_capacity(content.len() + 2 * count);
    let mut raw = 0;
    for inline in std::mem::take(content) {
        let len = raw_len(&inline);
        let end = raw + len;
        match inline {
            Inline::Text {
                text,
                style,
                link,
                span,
            } if len > 0 => {
                // A run whose text is its source's, byte for byte, is cut with its span;
                // another (escapes, entities) keeps its whole span in each piece.
                let exact = span.end - span.start == len;
                let piece = |from: usize, to: usize| Inline::Text {
                    text: text[from..to].to_owned(),
                    style,
                    link: link.clone(),
                    span: if exact {
                        Span::new(span.file, span.start + from, span.start + to)
                    } else {
                        span
                    },
                };
                let mut cut = 0;
                while let Some((offset, mark)) = marks.next_if(|(offset, _)| *offset <= end) {
                    let at = ceil_char_boundary(&text, offset.saturating_sub(raw));
                    if at > cut {
                        out.push(piece(cut, at));
                        cut = at;
                    }
                    out.push(mark);
                }
                if cut < len {
                    out.push(piece(cut, len));
                }
            }
            other => {
                out.push(other);
                if len > 0 {
                    while let Some((_, mark)) = marks.next_if(|(offset, _)| *offset <= end) {
                        out.push(mark);
                    }
                }
            }
        }
        raw = end;
    }
    out.extend(marks.map(|(_, mark)| mark));
    *content = out;
}

/// The length an inline adds to its block's raw text (see [`text_blocks`]).
fn raw_len(inline: &Inline) -> usize {
    match inline {
        Inline::Text { text, .. } => text.len(),
        Inline::LineBreak => 1,
        Inline::NoteRef { .. }
        | Inline::LemmaStart { .. }
        | Inline::Target { .. }
        | Inline::PlaceRefs(_) => 0,
    }
}

/// Rounds a byte offset up to a char boundary of `text` (at most its length).
fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests;
