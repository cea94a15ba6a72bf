//! YAML with spans: a small node tree built from the parser's events, so that every value can
//! be located, and typed accessors that report unknown keys and wrong types as diagnostics.
//!
//! Front matter and `footnotes.yaml` are read through this module. Aliases are refused (they
//! buy an editor nothing and open the door to "billion laughs" expansion), nesting is capped,
//! and tabs in indentation are reported before the parser sees them.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::source::{FileId, SourceFile, Span};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

mod syntax;

/// Deeper nesting than this is refused: no edition needs it, and it bounds the work.
const MAX_DEPTH: usize = 32;

/// A YAML value with the span of its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar; `plain` is false for quoted and block scalars (so `"null"` stays a string).
    Scalar {
        text: String,
        plain: bool,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<(Key, Node)>),
}

/// A mapping key with its own span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// Parses `text[start..end]` of `file` (the whole file, or a front matter block inside it).
/// Returns `None` (with diagnostics pushed) when the YAML cannot be read at all.
pub fn parse(
    file: FileId,
    source: &SourceFile,
    start: usize,
    end: usize,
    diags: &mut Diagnostics,
) -> Option<Node> {
    parse_nested(file, source, start, end, 0, diags)
}

/// Parses a whole file, giving exactly what [`parse`] gives. A long file whose last top-level
/// key holds a block list (the apparatus's `notes:`) is parsed in pieces on several threads,
/// cut before items of that list: the YAML scanner is the slowest step of a check, and on its
/// own it would leave the other cores idle. When any piece does not parse cleanly (a cut may
/// then have fallen inside a quoted text), the file is parsed again in one go, so that every
/// problem is found and reported as the one-go parse reports it.
pub fn parse_file(file: FileId, source: &SourceFile, diags: &mut Diagnostics) -> Option<Node> {
    const PIECE_BYTES: usize = 256 * 1024;
    parse_in_pieces(file, source, PIECE_BYTES)
        .or_else(|| parse(file, source, 0, source.text.len(), diags))
}

/// [`parse_file`]'s parse in pieces of about `piece_bytes`; `None` when the file is short, has
/// no such list, or when a piece reports any problem.
fn parse_in_pieces(file: FileId, source: &SourceFile, piece_bytes: usize) -> Option<Node> {
    use rayon::prelude::*;
    let text = source.text.as_str();
    let (head_end, key, cuts) = list_cuts(text, piece_bytes)?;
    let clean = |start: usize, end: usize, depth: usize| {
        let mut diags = Diagnostics::default();
        let node = parse_nested(file, source, start, end, depth, &mut diags);
        node.filter(|_| diags.is_empty())
    };
    let mut bounds: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    bounds.push((*cuts.last()?, text.len()));
    let (head, pieces) = rayon::join(
        || clean(0, head_end, 0),
        || {
            bounds
                .par_iter()
                // Items of a list under a top-level key are two levels deep.
                .map(|&(start, end)| clean(start, end, 2))
                .collect::<Option<Vec<Node>>>()
        },
    );
    let (mut head, pieces) = (head?, pieces?);
    // An empty value takes its position, and the end of what holds it, from the token after
    // it, which a cut can move into the next piece; a block scalar (`|`, `>`) with no lines
    // at the end of a piece reads as a line break. A file with any empty value, or with a
    // piece that ends in a block scalar with no lines, is parsed in one go.
    let ends_in_block_scalar = |piece: &Node| {
        let leaf = last_leaf(piece);
        matches!(&leaf.value, Value::Scalar { text, plain: false } if text.trim_matches('\n').is_empty())
            && !matches!(text.as_bytes().get(leaf.span.start), Some(b'"' | b'\''))
    };
    if pieces.iter().any(has_empty_value)
        || pieces[..pieces.len().saturating_sub(1)]
            .iter()
            .any(ends_in_block_scalar)
    {
        return None;
    }
    let mut items = Vec::new();
    let mut list_start = None;
    for piece in pieces {
        let Value::Sequence(piece_items) = piece.value else {
            return None;
        };
        list_start.get_or_insert(piece.span.start);
        items.extend(piece_items);
    }
    let list_start = list_start?;
    let list_end = items
        .last()
        .map_or(list_start, |n| n.span.end)
        .max(list_start);
    let Value::Mapping(entries) = &mut head.value else {
        return None;
    };
    // The head ends with the key, its value left empty.
    let (last_key, value) = entries.last_mut()?;
    if last_key.name != key
        || !matches!(&value.value, Value::Scalar { text, plain: true } if text.is_empty())
    {
        return None;
    }
    *value = Node {
        span: Span::new(file, list_start, list_end),
        value: Value::Sequence(items),
    };
    head.span.end = list_end.max(head.span.start);
    Some(head)
}

/// Whether `node` holds an empty value anywhere (`key:` or `-` with nothing after, or a block
/// scalar with no lines).
fn has_empty_value(node: &Node) -> bool {
    match &node.value {
        Value::Scalar { text, .. } => text.is_empty(),
        Value::Sequence(items) => items.iter().any(has_empty_value),
        Value::Mapping(entries) => entries.iter().any(|(_, v)| has_empty_value(v)),
    }
}

/// The last scalar in `node`, depth first (`node` itself when it has nothing in it).
fn last_leaf(node: &Node) -> &Node {
    let last = match &node.value {
        Value::Scalar { .. } => None,
        Value::Sequence(items) => items.last(),
        Value::Mapping(entries) => entries.last().map(|(_, v)| v),
    };
    last.map_or(node, last_leaf)
}

/// Where a long file can be cut: `(end of the head, the key, start of each piece)`. The head
/// runs up to the first item of the list that the last top-level key (`key:` alone on its
/// line) holds; every later line is indented (or blank, or a comment), and pieces begin at
/// lines that start an item of that list (`- ` at the first item's indentation).
fn list_cuts(text: &str, piece_bytes: usize) -> Option<(usize, &str, Vec<usize>)> {
    if text.len() < 2 * piece_bytes {
        return None;
    }
    let mut key_line = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(|c: char| c != ' ' && c != '#' && c != '\n') {
            key_line = Some((offset, line));
        }
        offset += line.len();
    }
    let (key_at, line) = key_line?;
    let key = line.trim_end().strip_suffix(':')?;
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let mut cuts = Vec::new();
    let mut prefix: Option<String> = None;
    let mut offset = key_at + line.len();
    let mut next_cut = 0;
    for line in text[offset..].split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let content = line.trim_start_matches(' ');
        if prefix.is_none() {
            if content.trim().is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = line.len() - content.len();
            if indent == 0 || !content.starts_with("- ") {
                return None;
            }
            prefix = Some(format!("{}- ", " ".repeat(indent)));
        }
        if at >= next_cut && prefix.as_deref().is_some_and(|p| line.starts_with(p)) {
            cuts.push(at);
            next_cut = at + piece_bytes;
        }
    }
    let head_end = *cuts.first()?;
    (cuts.len() > 1).then_some((head_end, key, cuts))
}

/// [`parse`] of a piece whose nodes are `depth` levels deep in the file.
fn parse_nested(
    file: FileId,
    source: &SourceFile,
    start: usize,
    end: usize,
    depth: usize,
    diags: &mut Diagnostics,
) -> Option<Node> {
    let text = &source.text[start..end];
    let first_line = source.line_col(start).0 - 1;
    if let Some(d) = find_tab_indentation(file, text, start) {
        diags.push(d);
        return None;
    }
    let locate = |m: &Marker| {
        // The parser counts lines from 1 and columns from 0 in characters.
        source.offset_of(first_line + m.line().saturating_sub(1), m.col())
    };
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(pair) => pair,
            Err(e) => {
                let at = locate(e.marker());
                diags.push(syntax::error(file, source, start, end, at, e.info()));
                return None;
            }
        };
        let at = locate(&mark);
        let node = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                continue
            }
            Event::Alias(_) => {
                diags.push(
                    Diagnostic::error("YAML aliases (`*name`) are not supported")
                        .at(Span::new(file, at, end_of_token(&source.text, at)), "alias")
                        .hint("write the value out in full instead of `*name`; aliases can also expand without bound (\"billion laughs\")"),
                );
                return None;
            }
            Event::Scalar(text, style, anchor, _) => {
                if anchor != 0 {
                    diags.push(anchor_error(file, &source.text, at));
                    return None;
                }
                let span = scalar_span(file, &source.text, at, &text, end);
                Node {
                    span,
                    value: Value::Scalar {
                        text,
                        plain: style == TScalarStyle::Plain,
                    },
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if anchor != 0 {
                    diags.push(anchor_error(file, &source.text, at));
                    return None;
                }
                if depth + stack.len() >= MAX_DEPTH {
                    let one = source.text[at..].chars().next().map_or(0, char::len_utf8);
                    diags.push(
                        Diagnostic::error(format!("YAML nested deeper than {MAX_DEPTH} levels"))
                            .at(Span::new(file, at, at + one), "too deep")
                            .hint("flatten the structure; Variorum never needs this depth"),
                    );
                    return None;
                }
                let mapping = matches!(event, Event::MappingStart(..));
                stack.push(Frame {
                    start: at,
                    mapping,
                    items: Vec::new(),
                    pending_key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = stack.pop().expect("parser balances start and end events");
                let end_at = frame
                    .items
                    .last()
                    .map(|(_, n)| n.span.end)
                    .unwrap_or(frame.start)
                    .max(frame.start);
                let value = if frame.mapping {
                    Value::Mapping(
                        frame
                            .items
                            .into_iter()
                            .map(|(k, n)| (k.expect("mapping entries have keys"), n))
                            .collect(),
                    )
                } else {
                    Value::Sequence(frame.items.into_iter().map(|(_, n)| n).collect())
                };
                Node {
                    span: Span::new(file, frame.start, end_at),
                    value,
                }
            }
        };
        match stack.last_mut() {
            None => {
                root = Some(node);
            }
            Some(frame) if frame.mapping => match frame.pending_key.take() {
                None => match node.value {
                    Value::Scalar { text, .. } => {
                        // The parser marks a block mapping's start after its first key.
                        if frame.items.is_empty() {
                            frame.start = frame.start.min(node.span.start);
                        }
                        frame.pending_key = Some(Key {
                            name: text,
                            span: node.span,
                        })
                    }
                    _ => {
                        diags.push(
                            Diagnostic::error("a mapping key must be a plain word")
                                .at(node.span, "complex key"),
                        );
                        return None;
                    }
                },
                Some(key) => {
                    // An empty value is marked where the next token starts, often on a later
                    // line; its key is the place to point at.
                    let node = match &node.value {
                        Value::Scalar { text, plain: true } if text.is_empty() => Node {
                            span: key.span,
                            ..node
                        },
                        _ => node,
                    };
                    frame.items.push((Some(key), node));
                }
            },
            Some(frame) => frame.items.push((None, node)),
        }
    }
    root
}

fn anchor_error(file: FileId, text: &str, at: usize) -> Diagnostic {
    Diagnostic::error("YAML anchors (`&name`) are not supported")
        .at(Span::new(file, at, end_of_token(text, at)), "anchor")
        .hint("remove the `&name` anchor and write every value out in full")
}

struct Frame {
    start: usize,
    mapping: bool,
    items: Vec<(Option<Key>, Node)>,
    pending_key: Option<Key>,
}

/// A scalar's span: its literal text where it stands as written, else the rest of its line.
fn scalar_span(file: FileId, text: &str, at: usize, value: &str, limit: usize) -> Span {
    let rest = &text[at.min(text.len())..limit.max(at).min(text.len())];
    if !value.is_empty() && rest.starts_with(value) {
        return Span::new(file, at, at + value.len());
    }
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = rest[..line_end].trim_end();
    // At least one whole character, so that the caret has something to stand under.
    let first = rest.chars().next().map_or(0, char::len_utf8);
    Span::new(file, at, at + line.len().max(first))
}

fn end_of_token(text: &str, at: usize) -> usize {
    let rest = &text[at.min(text.len())..];
    let len = rest
        .find(|c: char| c.is_whitespace())
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    at + len
}

fn find_tab_indentation(file: FileId, text: &str, base: usize) -> Option<Diagnostic> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let indent = &line[..line.len() - line.trim_start().len()];
        if let Some(tab) = indent.find('\t') {
            let at = base + offset + tab;
            return Some(
                Diagnostic::error("a tab is used for indentation")
                    .at(Span::new(file, at, at + 1), "tab")
                    .hint("YAML indentation must use spaces; replace the tab with spaces"),
            );
        }
        offset += line.len();
    }
    None
}

impl Node {
    /// A short word for the kind of value, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar { text, plain } if *plain && is_null(text) => "nothing",
            Value::Scalar { .. } => "text",
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
        }
    }

    /// The text of a scalar, or a located "expected text" error.
    pub fn as_text(&self, what: &str, diags: &mut Diagnostics) -> Option<String> {
        match &self.value {
            Value::Scalar { text, plain } if !(*plain && is_null(text)) => Some(text.clone()),
            _ => {
                diags.push(type_error(self, what, "text"));
                None
            }
        }
    }

    /// The entries of a mapping whose keys must be among `allowed`; unknown and repeated keys
    /// are reported (with a suggestion) and left out.
    pub fn as_mapping(
        &self,
        what: &str,
        allowed: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<Vec<(&Key, &Node)>> {
        let (entries, unknown) = self.as_mapping_lenient(what, allowed, diags)?;
        for key in unknown {
            diags.push(unknown_key(key, what, allowed));
        }
        Some(entries)
    }

    /// Like [`Node::as_mapping`], but unknown keys are returned for the caller to report.
    pub fn as_mapping_lenient(
        &self,
        what: &str,
        allowed: &[&str],
        diags: &mut Diagnostics,
    ) -> Option<(Entries<'_>, Vec<&Key>)> {
        let Value::Mapping(entries) = &self.value else {
            diags.push(type_error(self, what, "a mapping of `key: value` lines"));
            return None;
        };
        let mut seen: Vec<&Key> = Vec::new();
        let mut out = Vec::new();
        let mut unknown = Vec::new();
        for (key, node) in entries {
            if !allowed.contains(&key.name.as_str()) {
                unknown.push(key);
                continue;
            }
            if let Some(first) = seen.iter().find(|k| k.name == key.name) {
                diags.push(
                    Diagnostic::error(format!("key `{}` is given twice in {what}", key.name))
                        .at(key.span, "repeated here")
                        .related(first.span, "first given here")
                        .hint("keep one of them; a mis-indented line can also cause this"),
                );
                continue;
            }
            seen.push(key);
            out.push((key, node));
        }
        Some((out, unknown))
    }

    /// The items of a sequence, or a located "expected a list" error.
    pub fn as_sequence(&self, what: &str, diags: &mut Diagnostics) -> Option<&[Node]> {
        match &self.value {
            Value::Sequence(items) => Some(items),
            Value::Scalar { text, plain } if *plain && is_null(text) => Some(&[]),
            _ => {
                diags.push(type_error(self, what, "a list of `- ` items"));
                None
            }
        }
    }
}

/// The checked entries of a mapping, in the order written.
pub type Entries<'a> = Vec<(&'a Key, &'a Node)>;

/// Looks up `name` among mapping entries.
pub fn field<'a>(entries: &[(&'a Key, &'a Node)], name: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find(|(k, _)| k.name == name)
        .map(|(_, node)| *node)
}

/// "unknown key" with a did-you-mean suggestion, or the list of keys when none is close.
pub fn unknown_key(key: &Key, what: &str, allowed: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(format!("unknown key `{}` in {what}", key.name))
        .at(key.span, "unknown key");
    match did_you_mean(&key.name, allowed) {
        Some(s) => d.hint(format!("did you mean `{s}`?")),
        None => d.hint(format!(
            "the keys of {what} are {}",
            allowed
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn type_error(node: &Node, what: &str, expected: &str) -> Diagnostic {
    let found = node.kind_name();
    let d = Diagnostic::error(format!("{what} should be {expected}, found {found}"))
        .at(node.span, format!("expected {expected}"));
    match (found, expected) {
        ("nothing", _) => d.hint("give a value after the colon; if the value is on the next lines, indent them more than the key"),
        (_, "text") => d.hint("to write text that begins with `[`, `{`, `-`, `&` or `*`, put it in quotes: `\"…\"`"),
        (_, e) if e.starts_with("a list") => d.hint("write each item on its own line, beginning with `- `, indented under the key"),
        _ => d.hint("write its `key: value` lines on the next lines, indented under it"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Option<Node>, Diagnostics, SourceFile) {
        let file = SourceFile::new("t.yaml".into(), "t.yaml".into(), text.into());
        let mut diags = Diagnostics::default();
        let node = parse(FileId(0), &file, 0, text.len(), &mut diags);
        (node, diags, file)
    }

    #[test]
    fn spans_point_at_values() {
        let (node, diags, file) = parse_str("a: one\nb:\n  - \"two\"\n");
        assert!(diags.is_empty());
        let node = node.unwrap();
        let mut d = Diagnostics::default();
        let map = node.as_mapping("test", &["a", "b"], &mut d).unwrap();
        let a = field(&map, "a").unwrap();
        assert_eq!(&file.text[a.span.start..a.span.end], "one");
        let b = field(&map, "b").unwrap().as_sequence("b", &mut d).unwrap();
        assert_eq!(file.line_col(b[0].span.start), (3, 5));
    }

    #[test]
    fn unknown_keys_get_suggestions() {
        let (node, _, _) = parse_str("sigl: A\n");
        let mut d = Diagnostics::default();
        node.unwrap().as_mapping("front matter", &["sigil"], &mut d);
        let msg = d.iter().next().unwrap();
        assert!(msg.message.contains("unknown key `sigl`"));
        assert_eq!(msg.hints, vec!["did you mean `sigil`?"]);
    }

    #[test]
    fn aliases_tabs_and_syntax_errors_are_located() {
        let (node, d, _) = parse_str("a: &x [1]\nb: *x\n");
        assert!(node.is_none() && d.has_errors());
        let (node, d, file) = parse_str("a:\n\t- b\n");
        assert!(node.is_none());
        let span = d.iter().next().unwrap().span.unwrap();
        assert_eq!(file.line_col(span.start), (2, 1));
        let (node, d, _) = parse_str("a: [1, 2\n");
        assert!(node.is_none() && d.has_errors());
    }

    /// Found by the YAML property test (tests/it/fuzz/yaml.rs): a value on a line that
    /// begins with U+2028 (white space to Rust, not to YAML) got a one-byte span inside it.
    #[test]
    fn spans_never_cut_a_character() {
        let (node, _, file) = parse_str("\u{2028} \ne\n");
        let span = node.unwrap().span;
        assert!(file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end));
        assert!(span.end > span.start);
    }

    #[test]
    fn null_is_not_text_but_quoted_null_is() {
        let (node, _, _) = parse_str("a:\nb: \"null\"\n");
        let node = node.unwrap();
        let mut d = Diagnostics::default();
        let map = node.as_mapping("t", &["a", "b"], &mut d).unwrap();
        assert!(field(&map, "a").unwrap().as_text("`a`", &mut d).is_none());
        assert_eq!(
            field(&map, "b").unwrap().as_text("`b`", &mut d).as_deref(),
            Some("null")
        );
        assert!(d.iter().next().unwrap().message.contains("found nothing"));
    }

    /// The parse in pieces gives the very tree of the parse in one go, or nothing.
    #[test]
    fn pieces_parse_like_one_go() {
        let seed = include_str!("../footnotes.yaml");
        let mut samples = vec![seed.to_owned()];
        if let Ok(path) = std::env::var("VARIORUM_YAML_SAMPLE") {
            samples.push(std::fs::read_to_string(path).unwrap());
        }
        // A quoted text with a line that looks like an item: the cut inside it must not count.
        samples.push(format!(
            "{seed}  - id: x\n    text: \"a\n  - id: y\n    b\"\n    kind: gloss\n"
        ));
        for text in samples {
            let (whole, _, file) = parse_str(&text);
            for piece_bytes in [64, 1000, 4096] {
                let pieces = parse_in_pieces(FileId(0), &file, piece_bytes);
                if let Some(pieces) = pieces {
                    assert_eq!(Some(pieces), whole, "pieces of {piece_bytes} bytes");
                }
            }
        }
        let (_, _, file) = parse_str(seed);
        assert!(parse_in_pieces(FileId(0), &file, 1000).is_some());
    }

    /// Lines of an apparatus-like file: list items under `notes:` whose values take the forms
    /// that make cutting hard (quoted and block texts holding lines that look like items,
    /// flow collections, anchors, comments, tabs), some lines then shifted, dropped or added.
    fn apparatus_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        // Mostly values that parse, so that many files do, and some that do not.
        let good = proptest::sample::select(vec![
            "plain words",
            "\"quoted: text\"",
            "'single ''quoted'''",
            "|\n        block\n\n        - id: fake",
            ">-\n        folded\n\n        text",
            "|+\n        kept\n\n",
            "|-\n        stripped\n",
            ">\n\n        after a blank\n\n\n",
            "{k: v, l: [1, 2]}",
            "x # comment",
            "é ◌́ end",
        ]);
        let bad = proptest::sample::select(vec![
            "\"open\n  - id: fake\n    text: \"",
            "'open\n  - id: fake\n'",
            "|\n      block\n  - id: fake\n      more",
            "[a, \"b\n  - c\"]",
            "&a anchored",
            "*a",
            "\ttabbed",
            "\u{2028} end",
        ]);
        let value = prop_oneof![19 => good, 1 => bad];
        let item = (0u32..1000, value.clone(), value).prop_map(|(id, text, reading)| {
            format!("  - id: n{id}\n    text: {text}\n    readings:\n      A: {reading}\n")
        });
        let edits = proptest::collection::vec((0usize..400, 0u8..4), 0..2);
        (proptest::collection::vec(item, 1..24), edits).prop_map(|(items, edits)| {
            let text = format!("edition:\n  title: T\nnotes:\n{}", items.concat());
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            for (at, edit) in edits {
                let at = at % lines.len();
                match edit {
                    0 => lines[at].insert(0, ' '),
                    1 => {
                        if lines[at].starts_with(' ') {
                            lines[at].remove(0);
                        }
                    }
                    2 => {
                        lines.remove(at);
                    }
                    _ => lines.insert(at, "  - ".to_owned()),
                }
                if lines.is_empty() {
                    lines.push(String::new());
                }
            }
            lines.join("\n") + "\n"
        })
    }

    proptest::proptest! {
        /// On any file, the parse in pieces is the parse in one go, or nothing (and then
        /// [`parse_file`] parses in one go).
        #[test]
        fn pieces_parse_like_one_go_on_mangled_files(text in apparatus_like(), piece in 16usize..200) {
            let (whole, diags, file) = parse_str(&text);
            if let Some(pieces) = parse_in_pieces(FileId(0), &file, piece) {
                proptest::prop_assert!(diags.is_empty(), "pieces hid a problem: {:?}", diags);
                proptest::prop_assert_eq!(Some(pieces), whole);
            }
        }
    }
}
