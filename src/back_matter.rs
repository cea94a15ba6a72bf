//! `index:` and `events:` in `footnotes.yaml`, as written: the entries of the generated Index
//! (a heading, its kind, the forms to find in the texts) and the events of the Chronology
//! (a record date and each witness's dating, anchored like a note). Checked for shape here,
//! found in the texts by [`crate::resolve::index`] and [`crate::resolve::chronology`].

use crate::apparatus::Located;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{IndexKind, PartialDate};
use crate::source::Span;
use crate::yaml::{field, Node, Value};

const INDEX_KEYS: &[&str] = &["name", "kind", "forms", "note"];
const INDEX_KINDS: &[&str] = &["person", "place", "work", "subject"];
const EVENT_KEYS: &[&str] = &["id", "label", "date", "source", "readings"];
const READING_KEYS: &[&str] = &["date", "anchor", "before", "after", "occurrence"];

/// An entry of `index:` as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawIndexEntry {
    pub name: Located,
    pub kind: IndexKind,
    /// The spellings to find, as written (normalised when searched for).
    pub forms: Vec<Located>,
    pub note: Option<Located>,
}

/// An event of `events:` as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    pub id: Located,
    pub label: Located,
    /// The date the record gives.
    pub date: (PartialDate, Span),
    /// A citation key of the bibliography.
    pub source: Option<Located>,
    /// Each witness's dating, in the order written.
    pub readings: Vec<RawDating>,
}

/// How one witness dates an event, and where it says so.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDating {
    pub sigil: Located,
    pub date: (PartialDate, Span),
    pub anchor: Located,
    pub before: Option<Located>,
    pub after: Option<Located>,
    /// Which occurrence of the anchor (1-based) when it occurs more than once.
    pub occurrence: Option<(usize, Span)>,
}

/// Reads `index:`; entries with problems are reported and left out.
pub(crate) fn read_index(node: &Node, diags: &mut Diagnostics) -> Vec<RawIndexEntry> {
    let Some(items) = node.as_sequence("`index`", diags) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| read_index_entry(item, diags))
        .collect()
}

fn read_index_entry(node: &Node, diags: &mut Diagnostics) -> Option<RawIndexEntry> {
    let entries = node.as_mapping("an index entry", INDEX_KEYS, diags)?;
    let errors = diags.error_count();
    let name = required(&entries, node, "name", "an index entry", diags);
    let kind = required(&entries, node, "kind", "an index entry", diags).and_then(|k| {
        let kind = parse_index_kind(&k.text);
        if kind.is_none() {
            let d =
                Diagnostic::error(format!("unknown index kind `{}`", k.text)).at(k.span, "kind");
            diags.push(match did_you_mean(&k.text, INDEX_KINDS) {
                Some(s) => d.hint(format!("did you mean `{s}`?")),
                None => d.hint(format!("the kinds are {}", INDEX_KINDS.join(", "))),
            });
        }
        kind
    });
    let forms = match field(&entries, "forms") {
        None => {
            diags
                .push(missing(node, &entries, "forms", "an index entry").hint(
                    "add `forms: [Pepys, Samuel Pepys]`, the spellings to find in the texts",
                ));
            None
        }
        Some(list) => read_forms(list, diags),
    };
    let note = text(&entries, "note", diags);
    if diags.error_count() > errors {
        return None;
    }
    Some(RawIndexEntry {
        name: name?,
        kind: kind?,
        forms: forms?,
        note,
    })
}

fn read_forms(node: &Node, diags: &mut Diagnostics) -> Option<Vec<Located>> {
    let items = node.as_sequence("`forms`", diags)?;
    let mut forms = Vec::new();
    for item in items {
        let text = item.as_text("a form", diags)?;
        if text.trim().is_empty() {
            diags.push(
                Diagnostic::error("an index form is empty")
                    .at(item.span, "empty")
                    .hint("write the spelling to find, or remove the item"),
            );
            return None;
        }
        forms.push(Located {
            text,
            span: item.span,
        });
    }
    if forms.is_empty() {
        diags.push(
            Diagnostic::error("an index entry has no forms")
                .at(node.span, "no forms")
                .hint("list the spellings to find in the texts, e.g. `[Pepys, Samuel Pepys]`"),
        );
        return None;
    }
    Some(forms)
}

fn parse_index_kind(text: &str) -> Option<IndexKind> {
    Some(match text.to_ascii_lowercase().as_str() {
        "person" => IndexKind::Person,
        "place" => IndexKind::Place,
        "work" => IndexKind::Work,
        "subject" => IndexKind::Subject,
        _ => return None,
    })
}

/// Reads `events:`; events with problems are reported and left out.
pub(crate) fn read_events(node: &Node, diags: &mut Diagnostics) -> Vec<RawEvent> {
    let Some(items) = node.as_sequence("`events`", diags) else {
        return Vec::new();
    };
    let events: Vec<RawEvent> = items
        .iter()
        .filter_map(|item| read_event(item, diags))
        .collect();
    for (i, event) in events.iter().enumerate() {
        if let Some(first) = events[..i].iter().find(|e| e.id.text == event.id.text) {
            diags.push(
                Diagnostic::error(format!("two events have the id `{}`", event.id.text))
                    .at(event.id.span, "again here")
                    .related(first.id.span, "first here")
                    .hint("give each event an id of its own"),
            );
        }
    }
    events
}

fn read_event(node: &Node, diags: &mut Diagnostics) -> Option<RawEvent> {
    let entries = node.as_mapping("an event", EVENT_KEYS, diags)?;
    let errors = diags.error_count();
    let id = required(&entries, node, "id", "an event", diags);
    if let Some(id) = &id {
        let valid = !id.text.is_empty()
            && id
                .text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            diags.push(
                Diagnostic::error(format!("event id `{}` is not valid", id.text))
                    .at(id.span, "id")
                    .hint("use lowercase letters, digits and `-` only, e.g. `letter-delivered`"),
            );
        }
    }
    let label = required(&entries, node, "label", "an event", diags);
    let date = required(&entries, node, "date", "an event", diags).and_then(|d| date(&d, diags));
    let source = text(&entries, "source", diags);
    let readings = match field(&entries, "readings") {
        None => Some(Vec::new()),
        Some(n) => read_datings(n, diags),
    };
    if diags.error_count() > errors {
        return None;
    }
    Some(RawEvent {
        id: id?,
        label: label?,
        date: date?,
        source,
        readings: readings?,
    })
}

fn read_datings(node: &Node, diags: &mut Diagnostics) -> Option<Vec<RawDating>> {
    let Value::Mapping(entries) = &node.value else {
        diags.push(
            Diagnostic::error(format!(
                "`readings` of an event should be a mapping from sigil to its dating, found {}",
                node.kind_name()
            ))
            .at(node.span, "readings")
            .hint("write one entry per witness, e.g. `A: { date: 1666-09-02, anchor: about three in the morning }`"),
        );
        return None;
    };
    let mut out: Vec<RawDating> = Vec::new();
    for (key, value) in entries {
        if let Some(first) = out.iter().find(|d| d.sigil.text == key.name) {
            diags.push(
                Diagnostic::error(format!("`{}` dates one event twice", key.name))
                    .at(key.span, "again here")
                    .related(first.sigil.span, "first here")
                    .hint("keep one dating per witness"),
            );
            continue;
        }
        let what = format!("the dating of `{}`", key.name);
        let Some(fields) = value.as_mapping(&what, READING_KEYS, diags) else {
            continue;
        };
        let errors = diags.error_count();
        let date = required(&fields, value, "date", &what, diags).and_then(|d| date(&d, diags));
        let anchor = required(&fields, value, "anchor", &what, diags);
        if let Some(a) = anchor.as_ref().filter(|a| a.text.trim().is_empty()) {
            diags.push(
                Diagnostic::error("the dating's `anchor` is empty")
                    .at(a.span, "empty")
                    .hint("quote the words of the witness that give the date"),
            );
        }
        let before = text(&fields, "before", diags);
        let after = text(&fields, "after", diags);
        let occurrence =
            text(&fields, "occurrence", diags).and_then(|o| match o.text.trim().parse::<usize>() {
                Ok(n) if n >= 1 => Some((n, o.span)),
                _ => {
                    diags.push(
                        Diagnostic::error(format!(
                            "`occurrence` should be 1, 2, 3, …, found `{}`",
                            o.text
                        ))
                        .at(o.span, "occurrence")
                        .hint("count the anchor's occurrences in the witness from 1"),
                    );
                    None
                }
            });
        if diags.error_count() > errors {
            continue;
        }
        if let (Some(date), Some(anchor)) = (date, anchor) {
            out.push(RawDating {
                sigil: Located {
                    text: key.name.clone(),
                    span: key.span,
                },
                date,
                anchor,
                before,
                after,
                occurrence,
            });
        }
    }
    Some(out)
}

/// A partial ISO date (`1666`, `1666-09`, `1666-09-02`), or a located error.
fn date(value: &Located, diags: &mut Diagnostics) -> Option<(PartialDate, Span)> {
    match PartialDate::parse(value.text.trim()) {
        Some(d) => Some((d, value.span)),
        None => {
            diags.push(
                Diagnostic::error(format!("`{}` is not an ISO date", value.text))
                    .at(value.span, "not a date")
                    .hint("write the year, the year and month, or the full date: `1666`, `1666-09`, `1666-09-02`"),
            );
            None
        }
    }
}

/// A text field that must be present.
fn required(
    entries: &[(&crate::yaml::Key, &Node)],
    node: &Node,
    key: &str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Located> {
    if field(entries, key).is_none() {
        diags.push(missing(node, entries, key, what).hint(format!("add `{key}:` to it")));
        return None;
    }
    text(entries, key, diags)
}

/// A text field, if present.
fn text(
    entries: &[(&crate::yaml::Key, &Node)],
    key: &str,
    diags: &mut Diagnostics,
) -> Option<Located> {
    let n = field(entries, key)?;
    Some(Located {
        text: n.as_text(&format!("`{key}`"), diags)?,
        span: n.span,
    })
}

fn missing(
    node: &Node,
    entries: &[(&crate::yaml::Key, &Node)],
    key: &str,
    what: &str,
) -> Diagnostic {
    let at = entries.first().map_or(node.span, |(k, _)| k.span);
    Diagnostic::error(format!("{what} is missing `{key}`")).at(at, "here")
}
