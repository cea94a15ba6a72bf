//! `footnotes.yaml`: the edition's metadata and the notes as written, before anchoring.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::files::{self, Read};
use crate::model::{Accessibility, CoverPath, EditionMeta, NoteKind};
use crate::source::{char_span, FileId, SourceFile, SourceMap, Span};
use crate::yaml::{self, field, Key, Node, Value};
use std::collections::BTreeMap;
use std::path::Path;

const TOP_KEYS: &[&str] = &["edition", "notes", "index", "events"];
const EDITION_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "editor",
    "language",
    "identifier",
    "date",
    "accessibility",
    "cover",
    "design",
    "labels",
];
const ACCESSIBILITY_KEYS: &[&str] = &["certified-by", "certifier-credential"];
const NOTE_KEYS: &[&str] = &[
    "id",
    "witness",
    "section",
    "anchor",
    "before",
    "after",
    "occurrence",
    "kind",
    "text",
    "readings",
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
    /// The sigil of the witness the note is on (`witness: A`), or, when `on` is
    /// [`NoteOn::Section`], the name of the section (`section: 00-introduction`).
    pub witness: Located,
    pub on: NoteOn,
    pub anchor: Located,
    pub before: Option<Located>,
    pub after: Option<Located>,
    /// `occurrence: N`: the N-th match of the anchor (in its context), counted from 1, and
    /// where it was written.
    pub occurrence: Option<(usize, Span)>,
    pub kind: NoteKind,
    pub text: Located,
    /// `sigil → reading`, in the order written.
    pub readings: Vec<(Located, Located)>,
    /// The whole `- id: …` item.
    pub span: Span,
}

/// What a note attaches to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteOn {
    /// A witness, by its sigil.
    #[default]
    Witness,
    /// A section that is not a witness, by its manuscript file's name without `.md`.
    Section,
}

/// The apparatus file as read.
#[derive(Debug, Clone)]
pub struct Apparatus {
    pub file: FileId,
    pub meta: Option<EditionMeta>,
    pub notes: Vec<RawNote>,
    /// `index:`, the entries of the generated Index.
    pub index: Vec<crate::back_matter::RawIndexEntry>,
    /// `events:`, the events of the generated Chronology.
    pub events: Vec<crate::back_matter::RawEvent>,
}

/// Reads `root/footnotes.yaml`, reporting every problem it can find in one pass.
pub fn load(root: &Path, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<Apparatus> {
    let file = read_file(root).register(sources, diags)?;
    read(file, sources.get(file), diags)
}

/// `footnotes.yaml` read and checked as text, not yet in a [`SourceMap`]: reading can so run
/// alongside the manuscript's, while the file gets its id in a fixed order.
#[derive(Debug)]
pub struct File(Result<Read, Box<Diagnostic>>);

/// Reads and checks `root/footnotes.yaml` as text; see [`File::register`].
pub fn read_file(root: &Path) -> File {
    let path = root.join("footnotes.yaml");
    if !path.exists() {
        return File(Err(Box::new(
            Diagnostic::error(format!("no `footnotes.yaml` in `{}`", root.display()))
                .hint("an edition needs `footnotes.yaml` with an `edition:` block (and `notes:`)"),
        )));
    }
    File(Ok(files::read(root, &path)))
}

impl File {
    /// Adds the file to `sources` and reports its problems; its id when it can be parsed.
    pub fn register(self, sources: &mut SourceMap, diags: &mut Diagnostics) -> Option<FileId> {
        match self.0 {
            Ok(read) => read.register(sources, diags),
            Err(d) => {
                diags.push(*d);
                None
            }
        }
    }
}

/// Reads the apparatus from the text of `footnotes.yaml`, already loaded as `file`.
pub fn read(file: FileId, source: &SourceFile, diags: &mut Diagnostics) -> Option<Apparatus> {
    // Problems of the file as a whole are shown at its first character.
    let whole = char_span(file, &source.text, 0);
    let errors_before = diags.error_count();
    let Some(root_node) = yaml::parse_file(file, source, diags) else {
        if diags.error_count() == errors_before {
            diags.push(
                Diagnostic::error("`footnotes.yaml` is empty")
                    .at(whole, "empty file")
                    .hint("start it with `edition:` (title, editor, language, identifier, date) and `notes:`"),
            );
        }
        return None;
    };
    let (top, unknown) = root_node.as_mapping_lenient("`footnotes.yaml`", TOP_KEYS, diags)?;
    // Note keys at the top level were dedented out of the note above them.
    let (strays, unknown): (Vec<&Key>, Vec<&Key>) = unknown
        .into_iter()
        .partition(|k| NOTE_KEYS.contains(&k.name.as_str()));
    for key in unknown {
        diags.push(yaml::unknown_key(key, "`footnotes.yaml`", TOP_KEYS));
    }
    let meta = match top.iter().find(|(k, _)| k.name == "edition") {
        Some((key, node)) => read_meta(key, node, diags),
        None => {
            diags.push(
                Diagnostic::error("`footnotes.yaml` has no `edition:` block")
                    .at(whole, "here")
                    .hint("add `edition:` with `title`, `editor`, `language`, `identifier` and `date`"),
            );
            None
        }
    };
    let items = field(&top, "notes")
        .and_then(|n| n.as_sequence("`notes`", diags))
        .unwrap_or_default();
    let mut notes = Vec::new();
    let mut claimed: Vec<&Key> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let mut nearby = Nearby::default();
        // Keys left out of this note may have slipped into a next item of their own, or been
        // dedented to the top level after the last note.
        let next = items.get(i + 1).and_then(|n| orphan_keys(n, &items[i]));
        if let Some(keys) = &next {
            nearby.next_item = keys.clone();
        }
        if i + 1 == items.len() {
            nearby.top_level = strays
                .iter()
                .copied()
                .filter(|k| k.span.start > items[i].span.start)
                .collect();
        }
        if let Some(note) = read_note(&items[i], &nearby, &mut claimed, diags) {
            notes.push(note);
        }
        i += if next.is_some() { 2 } else { 1 };
    }
    for key in strays {
        if !claimed.iter().any(|c| std::ptr::eq(*c, key)) {
            diags.push(
                Diagnostic::error(format!(
                    "`{}` is a key of a note, outside any note",
                    key.name
                ))
                .at(key.span, "not inside a note")
                .hint(format!(
                    "indent `{}:` to line up with the keys of the note it belongs to",
                    key.name
                )),
            );
        }
    }
    check_unique_ids(&notes, diags);
    let index = field(&top, "index")
        .map(|n| crate::back_matter::read_index(n, diags))
        .unwrap_or_default();
    let events = field(&top, "events")
        .map(|n| crate::back_matter::read_events(n, diags))
        .unwrap_or_default();
    Some(Apparatus {
        file,
        meta,
        notes,
        index,
        events,
    })
}

/// Keys near a note that may be the ones it lacks.
#[derive(Default)]
struct Nearby<'a> {
    /// Keys of the next `- ` item, when that item is no note of its own.
    next_item: Vec<&'a Key>,
    /// Note keys found at the top level of the file, after this note.
    top_level: Vec<&'a Key>,
}

/// The keys of `item` when it has no `id` and every key it has is one `previous` lacks: the
/// editor began a line of the previous note with `- `.
fn orphan_keys<'a>(item: &'a Node, previous: &Node) -> Option<Vec<&'a Key>> {
    let (Value::Mapping(keys), Value::Mapping(prev)) = (&item.value, &previous.value) else {
        return None;
    };
    let lacks = |name: &str| {
        NOTE_KEYS.contains(&name) && name != "id" && !prev.iter().any(|(k, _)| k.name == name)
    };
    (!keys.is_empty() && keys.iter().all(|(k, _)| lacks(&k.name)))
        .then(|| keys.iter().map(|(k, _)| k).collect())
}

fn read_meta(key: &Key, node: &Node, diags: &mut Diagnostics) -> Option<EditionMeta> {
    let entries = node.as_mapping("`edition`", EDITION_KEYS, diags)?;
    let required = ["title", "editor", "language", "identifier", "date"];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| field(&entries, k).is_none())
        .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(format!("`edition` is missing {}", list_of_keys(&missing)))
                .at(key.span, "edition")
                .hint(format!(
                    "add {} under `edition:`, lined up with its other keys",
                    list_of_keys(&with_values(&missing))
                )),
        );
    }
    let mut text = |key: &str| -> Option<(String, Span)> {
        let n = field(&entries, key)?;
        Some((n.as_text(&format!("`edition.{key}`"), diags)?, n.span))
    };
    let title = text("title");
    let editor = text("editor");
    let language = text("language");
    let identifier = text("identifier");
    let date = text("date");
    let subtitle = text("subtitle").map(|(s, _)| s);
    let cover = text("cover").map(|(path, span)| CoverPath { path, span });
    let labels = language
        .as_ref()
        .filter(|(lang, _)| is_language_tag(lang))
        .map(|(lang, span)| crate::labels::read(lang, *span, field(&entries, "labels"), diags))
        .unwrap_or_default();
    let design = field(&entries, "design")
        .map(|n| crate::design::read(n, diags))
        .unwrap_or_default();
    if let Some((lang, span)) = &language {
        if !is_language_tag(lang) {
            diags.push(
                Diagnostic::error(format!("`{lang}` is not a BCP 47 language tag"))
                    .at(*span, "language")
                    .hint("write e.g. `en`, `en-GB` or `fa-IR`"),
            );
        }
    }
    let date = date.map(|(d, span)| {
        let parsed = (d.len() == 10 && crate::manuscript::front_matter::is_iso_date(&d))
            .then(|| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .flatten();
        parsed.unwrap_or_else(|| {
            diags.push(
                Diagnostic::error(format!("`edition.date: {d}` is not a full ISO date"))
                    .at(span, "date")
                    .hint("write `YYYY-MM-DD`"),
            );
            // A stand-in, so that the notes are still resolved and their problems reported
            // in this run; the error keeps the edition from being built.
            chrono::NaiveDate::default()
        })
    });
    let accessibility = field(&entries, "accessibility")
        .map(|n| read_accessibility(n, diags))
        .unwrap_or_default();
    Some(EditionMeta {
        title: title?.0,
        subtitle,
        editor: editor?.0,
        language: language?.0,
        identifier: identifier?.0,
        date: date?,
        accessibility,
        cover,
        design,
        labels,
        selection: None,
    })
}

/// `edition.accessibility`; a credential without anyone certified is refused.
fn read_accessibility(node: &Node, diags: &mut Diagnostics) -> Accessibility {
    let Some(entries) = node.as_mapping("`edition.accessibility`", ACCESSIBILITY_KEYS, diags)
    else {
        return Accessibility::default();
    };
    let mut text = |key: &str| {
        let n = field(&entries, key)?;
        Some((
            n.as_text(&format!("`edition.accessibility.{key}`"), diags)?,
            n.span,
        ))
    };
    let certified_by = text("certified-by").map(|(t, _)| t);
    let credential = text("certifier-credential");
    if let (None, Some((_, span))) = (&certified_by, &credential) {
        diags.push(
            Diagnostic::error("a certifier's credential without `certified-by`")
                .at(*span, "credential of nobody")
                .hint("add `certified-by:` naming who evaluated the edition, or remove the credential"),
        );
    }
    Accessibility {
        certified_by,
        certifier_credential: credential.map(|(t, _)| t),
    }
}

/// `key: …` for each key, for hints.
fn with_values(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| format!("{k}: …")).collect()
}

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b` and `c` ``.
fn list_of_keys(keys: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{}`", k.as_ref())).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

fn read_note<'a>(
    node: &Node,
    nearby: &Nearby<'a>,
    claimed: &mut Vec<&'a Key>,
    diags: &mut Diagnostics,
) -> Option<RawNote> {
    let Some((entries, unknown)) = node.as_mapping_lenient("a note", NOTE_KEYS, diags) else {
        if let Some(d) = diags.last_mut() {
            d.hints.push("each note is a `- ` item of `key: value` lines (`id`, `witness`, `anchor`, `kind`, `text`); a `- ` line that is not a note is probably mis-indented".into());
        }
        return None;
    };
    let errors_before = diags.error_count();
    // A misspelt key is reported with its suggestion; the key it suggests is then not also
    // reported missing.
    let mut suggested = Vec::new();
    for key in unknown {
        suggested.extend(did_you_mean(&key.name, NOTE_KEYS));
        diags.push(yaml::unknown_key(key, "a note", NOTE_KEYS));
    }
    let on_section = field(&entries, "section").is_some();
    if let (Some(w), Some(s)) = (field(&entries, "witness"), field(&entries, "section")) {
        diags.push(
            Diagnostic::error("a note has both `witness` and `section`")
                .at(s.span, "section")
                .related(w.span, "witness")
                .hint("a note attaches to one place: a witness (`witness: A`) or a section that is not a witness (`section: 00-introduction`)"),
        );
    }
    let missing: Vec<&str> = ["id", "witness", "anchor", "kind", "text"]
        .into_iter()
        .filter(|k| !(on_section && *k == "witness"))
        .filter(|k| field(&entries, k).is_none() && !suggested.contains(k))
        .collect();
    if !missing.is_empty() {
        diags.push(missing_keys(node, &entries, &missing, nearby, claimed));
    }
    let mut text_of = |key: &str| -> Option<Located> {
        let n = field(&entries, key)?;
        Some(Located {
            text: n.as_text(&format!("the note's `{key}`"), diags)?,
            span: n.span,
        })
    };
    let id = text_of("id");
    let witness = text_of(if on_section { "section" } else { "witness" });
    let anchor = text_of("anchor");
    let before = text_of("before");
    let after = text_of("after");
    let kind = text_of("kind");
    let text = text_of("text");
    let occurrence = text_of("occurrence").and_then(|n| {
        let parsed = n.text.trim().parse::<usize>().ok().filter(|&k| k >= 1);
        if parsed.is_none() {
            diags.push(
                Diagnostic::error(format!(
                    "`occurrence: {}` is not a whole number from 1",
                    n.text
                ))
                .at(n.span, "occurrence")
                .hint("write `occurrence: 2` for the anchor's second match in the witness"),
            );
        }
        parsed.map(|k| (k, n.span))
    });
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
                    .hint(format!(
                        "use lowercase letters, digits and `-` only, e.g. `{}`",
                        suggest_id(&id.text)
                    )),
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
        on: if on_section {
            NoteOn::Section
        } else {
            NoteOn::Witness
        },
        anchor: anchor?,
        before,
        after,
        occurrence,
        kind: kind?,
        text: text?,
        readings: readings.unwrap_or_default(),
        span: node.span,
    })
}

/// "note `x` is missing `kind` and `text`", pointing at the note's first key and at any of the
/// missing keys found mis-indented nearby.
fn missing_keys<'a>(
    node: &Node,
    entries: &[(&Key, &Node)],
    missing: &[&str],
    nearby: &Nearby<'a>,
    claimed: &mut Vec<&'a Key>,
) -> Diagnostic {
    let name = match field(entries, "id").map(|n| &n.value) {
        Some(Value::Scalar { text, .. }) if !text.is_empty() => format!("note `{text}`"),
        _ => "a note".to_owned(),
    };
    let at = entries.first().map_or(
        Span::new(node.span.file, node.span.start, node.span.start),
        |(k, _)| k.span,
    );
    let mut d = Diagnostic::error(format!("{name} is missing {}", list_of_keys(missing)))
        .at(at, "this note");
    let slipped: Vec<&Key> = nearby
        .next_item
        .iter()
        .copied()
        .filter(|k| missing.contains(&k.name.as_str()))
        .collect();
    let dedented: Vec<&Key> = nearby
        .top_level
        .iter()
        .copied()
        .filter(|k| missing.contains(&k.name.as_str()))
        .collect();
    if let Some(first) = slipped.first() {
        for k in &slipped {
            d = d.related(k.span, "in an item of its own");
        }
        d = d.hint(format!(
            "`- ` begins a new note: remove the `- ` before `{}:` and line it up with the keys of this note",
            first.name
        ));
    }
    if let Some(first) = dedented.first() {
        for k in &dedented {
            d = d.related(k.span, "outside the note");
            claimed.push(k);
        }
        d = d.hint(format!(
            "`{}:` is not indented under the note; line it up with the note's other keys",
            first.name
        ));
    }
    if slipped.is_empty() && dedented.is_empty() {
        d = d.hint(format!(
            "add {} to the note, lined up with its other keys",
            list_of_keys(&with_values(missing))
        ));
    }
    d
}

/// A valid id close to `id`: lowercase, runs of other characters as `-`.
fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "a-letter-date".to_owned()
    } else {
        out.to_owned()
    }
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
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for (key, value) in entries {
        let Some(text) = value.as_text(&format!("the reading of `{}`", key.name), diags) else {
            continue;
        };
        if let Some(first) = seen.get(key.name.as_str()) {
            diags.push(
                Diagnostic::error(format!("`{}` has two readings in one note", key.name))
                    .at(key.span, "again here")
                    .related(*first, "first here")
                    .hint("keep one reading per witness; if both are variants, say so in the note's text"),
            );
            continue;
        }
        seen.insert(&key.name, key.span);
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

/// A note's kind, in any letter case (`Gloss` is `gloss`).
fn parse_kind(text: &str) -> Option<NoteKind> {
    Some(match text.to_ascii_lowercase().as_str() {
        "discrepancy" => NoteKind::Discrepancy,
        "provenance" => NoteKind::Provenance,
        "emendation" => NoteKind::Emendation,
        "correction" => NoteKind::Correction,
        "gloss" => NoteKind::Gloss,
        _ => return None,
    })
}

fn check_unique_ids(notes: &[RawNote], diags: &mut Diagnostics) {
    let mut first_use: BTreeMap<&str, Span> = BTreeMap::new();
    for note in notes {
        if let Some(first) = first_use.get(note.id.text.as_str()) {
            diags.push(
                Diagnostic::error(format!("note id `{}` is used twice", note.id.text))
                    .at(note.id.span, "used again here")
                    .related(*first, "first used here")
                    .hint("give each note its own id"),
            );
        } else {
            first_use.insert(&note.id.text, note.id.span);
        }
    }
}

/// A loose check of BCP 47 shape: a 2–3 letter language, then subtags of 1–8 alphanumerics.
pub(crate) fn is_language_tag(tag: &str) -> bool {
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
        let meta = app.meta.unwrap();
        assert_eq!(meta.title, "T");
        assert_eq!(meta.date.to_string(), "2026-01-02");
        assert_eq!(app.notes[0].readings.len(), 2);
        assert_eq!(app.notes[0].kind, NoteKind::Gloss);
    }

    #[test]
    fn an_impossible_edition_date_is_an_error_and_the_notes_are_still_read() {
        for bad in ["2026-02-30", "2026-1-2", "2026"] {
            let text = EDITION.replace("2026-01-02", bad)
                + "notes:\n  - id: a\n    witness: A\n    anchor: x\n    kind: gloss\n    text: T.\n";
            let (app, d, _) = load_text(&text);
            assert!(
                d.iter()
                    .any(|d| d.message.contains("is not a full ISO date")),
                "{bad}: {d:?}"
            );
            let app = app.unwrap();
            assert!(app.meta.is_some(), "{bad}: the notes can still be resolved");
            assert_eq!(app.notes.len(), 1);
        }
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
            "the note's `anchor` is empty",
            "note id `c` is used twice",
        ];
        for e in expect {
            assert!(messages.iter().any(|m| m == e), "{e}: {messages:#?}");
        }
    }

    #[test]
    fn note_keys_outside_notes_are_named_as_such() {
        let text = format!("kind: gloss\n{EDITION}notes:\n  - id: a\n    witness: A\n    anchor: x\n    kind: gloss\n    text: t\n");
        let (_, d, _) = load_text(&text);
        let messages: Vec<_> = d.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            messages,
            vec!["`kind` is a key of a note, outside any note"]
        );
    }

    /// Found by the YAML property test (tests/it/fuzz/yaml.rs): a file whose first
    /// character takes several bytes got a span that cut it, which could not be rendered.
    #[test]
    fn problems_of_the_whole_file_point_at_a_whole_character() {
        let (_, d, sources) = load_text("\u{bae}\u{349}K: x\n");
        let d = d
            .iter()
            .find(|d| d.message.contains("no `edition:`"))
            .unwrap();
        let span = d.span.unwrap();
        let text = &sources.get(span.file).text;
        assert_eq!(&text[span.start..span.end], "\u{bae}");
    }

    #[test]
    fn empty_file_and_wrong_types() {
        let (_, d, _) = load_text("");
        assert!(d.iter().any(|d| d.message.contains("empty")));
        let (_, d, _) = load_text(&format!("{EDITION}notes: 3\n"));
        assert!(d.iter().any(|d| d.message.contains("should be a list")));
    }
}
