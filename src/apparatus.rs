//! `footnotes.yaml`: the edition's metadata and the notes as written, before anchoring.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::files::read_text;
use crate::model::{EditionMeta, NoteKind};
use crate::source::{FileId, SourceMap, Span};
use crate::yaml::{self, field, Node};
use std::collections::hash_map::{Entry, HashMap};
use std::path::Path;

const TOP_KEYS: &[&str] = &["edition", "notes"];
const EDITION_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "editor",
    "language",
    "identifier",
    "date",
];
const NOTE_KEYS: &[&str] = &[
    "id", "witness", "anchor", "before", "after", "kind", "text", "readings",
];
const KINDS: &[&str] = &[
    "discrepancy",
    "provenance",
    "emendation",
    "correction",
    "gloss",
];

/// A value from the YAML with the span it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub text: String,
    pub span: Span,
}

/// A note as written in `footnotes.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawNote {
    pub id: Located,
    pub witness: Located,
    pub anchor: Located,
    pub before: Option<Located>,
    pub after: Option<Located>,
    pub kind: NoteKind,
    pub text: Located,
    /// `sigil → reading`, in the order written.
    pub readings: Vec<(Located, Located)>,
    /// The whole `- id: …` item.
    pub span: Span,
}

/// The apparatus file as read.
#[derive(Debug, Clone)]
pub struct Apparatus {
    pub file: FileId,
    pub meta: Option<EditionMeta>,
    pub notes: Vec<RawNote>,
}

/// Reads `root/footnotes.yaml`, reporting every problem it can find in one pass.
pub fn load(root: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<Apparatus> {
    let path = root.join("footnotes.yaml");
    if !path.exists() {
        diags.push(
            Diagnostic::error(format!("no `footnotes.yaml` in `{}`", root.display()))
                .hint("an edition needs `footnotes.yaml` with an `edition:` block (and `notes:`)"),
        );
        return None;
    }
    let file = read_text(root, &path, sources, diags)?;
    let source = sources.get(file);
    let whole = Span::new(file, 0, source.text.len().min(1));
    let Some(root_node) = yaml::parse(file, source, 0, source.text.len(), diags) else {
        if !diags.has_errors() {
            diags.push(
                Diagnostic::error("`footnotes.yaml` is empty")
                    .at(whole, "empty file")
                    .hint("start it with `edition:` (title, editor, language, identifier, date) and `notes:`"),
            );
        }
        return None;
    };
    let top = root_node.as_mapping("`footnotes.yaml`", TOP_KEYS, diags)?;
    let meta = match field(&top, "edition") {
        Some(node) => read_meta(node, diags),
        None => {
            diags.push(
                Diagnostic::error("`footnotes.yaml` has no `edition:` block")
                    .at(whole, "here")
                    .hint("add `edition:` with `title`, `editor`, `language`, `identifier` and `date`"),
            );
            None
        }
    };
    let mut notes = Vec::new();
    if let Some(list) = field(&top, "notes").and_then(|n| n.as_sequence("`notes`", diags)) {
        for item in list {
            if let Some(note) = read_note(item, diags) {
                notes.push(note);
            }
        }
    }
    check_unique_ids(&notes, diags);
    Some(Apparatus { file, meta, notes })
}

fn read_meta(node: &Node, diags: &mut Diagnostics) -> Option<EditionMeta> {
    let entries = node.as_mapping("`edition`", EDITION_KEYS, diags)?;
    let mut required = |key: &str| -> Option<(String, Span)> {
        match field(&entries, key) {
            Some(n) => Some((n.as_text(&format!("`edition.{key}`"), diags)?, n.span)),
            None => {
                diags.push(
                    Diagnostic::error(format!("`edition` has no `{key}`"))
                        .at(node.span, "edition")
                        .hint(format!("add `{key}: …` under `edition:`")),
                );
                None
            }
        }
    };
    let title = required("title");
    let editor = required("editor");
    let language = required("language");
    let identifier = required("identifier");
    let date = required("date");
    let subtitle = field(&entries, "subtitle").and_then(|n| n.as_text("`edition.subtitle`", diags));
    if let Some((lang, span)) = &language {
        if !is_language_tag(lang) {
            diags.push(
                Diagnostic::error(format!("`{lang}` is not a BCP 47 language tag"))
                    .at(*span, "language")
                    .hint("write e.g. `en`, `en-GB` or `fa-IR`"),
            );
        }
    }
    if let Some((d, span)) = &date {
        if d.len() != 10 || !crate::manuscript::front_matter::is_iso_date(d) {
            diags.push(
                Diagnostic::error(format!("`edition.date: {d}` is not a full ISO date"))
                    .at(*span, "date")
                    .hint("write `YYYY-MM-DD`"),
            );
        }
    }
    Some(EditionMeta {
        title: title?.0,
        subtitle,
        editor: editor?.0,
        language: language?.0,
        identifier: identifier?.0,
        date: date?.0,
    })
}

fn read_note(node: &Node, diags: &mut Diagnostics) -> Option<RawNote> {
    let entries = node.as_mapping("a note", NOTE_KEYS, diags)?;
    let errors_before = diags.error_count();
    let mut text_of = |key: &str, required: bool| -> Option<Located> {
        match field(&entries, key) {
            Some(n) => Some(Located {
                text: n.as_text(&format!("the note's `{key}`"), diags)?,
                span: n.span,
            }),
            None if required => {
                diags.push(
                    Diagnostic::error(format!("a note has no `{key}`"))
                        .at(
                            Span::new(node.span.file, node.span.start, node.span.start + 1),
                            "this note",
                        )
                        .hint(format!("add `{key}: …` to the note")),
                );
                None
            }
            None => None,
        }
    };
    let id = text_of("id", true);
    let witness = text_of("witness", true);
    let anchor = text_of("anchor", true);
    let before = text_of("before", false);
    let after = text_of("after", false);
    let kind = text_of("kind", true);
    let text = text_of("text", true);
    let readings = field(&entries, "readings").and_then(|n| read_readings(n, diags));
    if let Some(id) = &id {
        if id.text.is_empty()
            || !id
                .text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            diags.push(
                Diagnostic::error(format!("note id `{}` is not valid", id.text))
                    .at(id.span, "id")
                    .hint("use lowercase letters, digits and `-` only, e.g. `a-letter-date`"),
            );
        }
    }
    for (what, value, hint) in [
        (
            "anchor",
            &anchor,
            "quote the words of the witness the note attaches to",
        ),
        ("text", &text, "write the note"),
    ] {
        if let Some(value) = value.as_ref().filter(|v| v.text.trim().is_empty()) {
            diags.push(
                Diagnostic::error(format!("the note's `{what}` is empty"))
                    .at(value.span, "empty")
                    .hint(hint),
            );
        }
    }
    let kind = kind.and_then(|k| {
        let parsed = parse_kind(&k.text);
        if parsed.is_none() {
            let mut d =
                Diagnostic::error(format!("unknown note kind `{}`", k.text)).at(k.span, "kind");
            d = match did_you_mean(&k.text, KINDS) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("the kinds are {}", KINDS.join(", "))),
            };
            diags.push(d);
        }
        parsed
    });
    if diags.error_count() > errors_before {
        return None;
    }
    Some(RawNote {
        id: id?,
        witness: witness?,
        anchor: anchor?,
        before,
        after,
        kind: kind?,
        text: text?,
        readings: readings.unwrap_or_default(),
        span: node.span,
    })
}

fn read_readings(node: &Node, diags: &mut Diagnostics) -> Option<Vec<(Located, Located)>> {
    let crate::yaml::Value::Mapping(entries) = &node.value else {
        diags.push(
            Diagnostic::error(format!(
                "`readings` should be a mapping from sigil to reading, found {}",
                node.kind_name()
            ))
            .at(node.span, "readings")
            .hint("write one line per witness, e.g. `A: \"January 1, 1988\"`"),
        );
        return None;
    };
    let mut out: Vec<(Located, Located)> = Vec::new();
    for (key, value) in entries {
        let Some(text) = value.as_text(&format!("the reading of `{}`", key.name), diags) else {
            continue;
        };
        if let Some((first, _)) = out.iter().find(|(k, _)| k.text == key.name) {
            diags.push(
                Diagnostic::error(format!("`{}` has two readings in one note", key.name))
                    .at(key.span, "again here")
                    .related(first.span, "first here"),
            );
            continue;
        }
        out.push((
            Located {
                text: key.name.clone(),
                span: key.span,
            },
            Located {
                text,
                span: value.span,
            },
        ));
    }
    Some(out)
}

fn parse_kind(text: &str) -> Option<NoteKind> {
    Some(match text {
        "discrepancy" => NoteKind::Discrepancy,
        "provenance" => NoteKind::Provenance,
        "emendation" => NoteKind::Emendation,
        "correction" => NoteKind::Correction,
        "gloss" => NoteKind::Gloss,
        _ => return None,
    })
}

fn check_unique_ids(notes: &[RawNote], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, &RawNote> = HashMap::new();
    for note in notes {
        if let Entry::Occupied(first) = seen.entry(&note.id.text) {
            let first = first.get();
            diags.push(
                Diagnostic::error(format!("note id `{}` is used twice", note.id.text))
                    .at(note.id.span, "used again here")
                    .related(first.id.span, "first used here")
                    .hint("give each note its own id"),
            );
        } else {
            seen.insert(&note.id.text, note);
        }
    }
}

/// A loose check of BCP 47 shape: a 2–3 letter language, then subtags of 1–8 alphanumerics.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()))
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> (Option<Apparatus>, Diagnostics, SourceMap) {
        let dir = std::env::temp_dir().join(format!(
            "variorum-app-{}-{}",
            std::process::id(),
            text.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("footnotes.yaml"), text).unwrap();
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::default();
        let app = load(&dir, &mut sources, &mut diags);
        std::fs::remove_dir_all(&dir).unwrap();
        (app, diags, sources)
    }

    const EDITION: &str = "edition:\n  title: T\n  editor: E\n  language: en\n  identifier: urn:x\n  date: 2026-01-02\n";

    #[test]
    fn reads_meta_and_notes() {
        let text = format!("{EDITION}notes:\n  - id: a-1\n    witness: A\n    anchor: some words\n    kind: gloss\n    text: A gloss.\n    readings:\n      A: one\n      B: two\n");
        let (app, d, _) = load_text(&text);
        assert!(d.is_empty(), "{d:?}");
        let app = app.unwrap();
        assert_eq!(app.meta.unwrap().title, "T");
        assert_eq!(app.notes[0].readings.len(), 2);
        assert_eq!(app.notes[0].kind, NoteKind::Gloss);
    }

    #[test]
    fn every_problem_in_one_run() {
        let text = format!("{EDITION}notes:\n  - id: Bad\n    witness: A\n    anchor: x\n    kind: glos\n    text: t\n  - id: b\n    witnes: A\n    anchor: \"\"\n    kind: gloss\n    text: t\n  - id: c\n    witness: A\n    anchor: y\n    kind: gloss\n    text: t\n  - id: c\n    witness: A\n    anchor: z\n    kind: gloss\n    text: t\n");
        let (_, d, _) = load_text(&text);
        let messages: Vec<_> = d.iter().map(|d| d.message.clone()).collect();
        let expect = [
            "note id `Bad` is not valid",
            "unknown note kind `glos`",
            "unknown key `witnes` in a note",
            "a note has no `witness`",
            "the note's `anchor` is empty",
            "note id `c` is used twice",
        ];
        for e in expect {
            assert!(messages.iter().any(|m| m == e), "{e}: {messages:#?}");
        }
    }

    #[test]
    fn empty_file_and_wrong_types() {
        let (_, d, _) = load_text("");
        assert!(d.iter().any(|d| d.message.contains("empty")));
        let (_, d, _) = load_text(&format!("{EDITION}notes: 3\n"));
        assert!(d.iter().any(|d| d.message.contains("should be a list")));
    }
}
