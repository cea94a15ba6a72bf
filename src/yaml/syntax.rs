//! YAML syntax errors made helpful: the parser's message in plain words, the line that is really
//! at fault (the parser often notices a problem a line late), and a hint drawn from the
//! indentation of that line and the one above.

use crate::diag::Diagnostic;
use crate::source::{FileId, SourceFile, Span};

/// The diagnostic for a parser error at byte `at` of `source`, whose YAML is `start..end`.
pub(super) fn error(
    file: FileId,
    source: &SourceFile,
    start: usize,
    end: usize,
    at: usize,
    info: &str,
) -> Diagnostic {
    let text = &source.text[..end];
    let kind = Kind::of(info);
    if let Some(d) = misplaced_line(file, text, start, at.min(end), kind) {
        return d;
    }
    let at = match kind {
        // The parser reports these where it gave up, often a blank line or the end; the line at
        // fault is the last one with something on it.
        Kind::Indentation | Kind::ExpectedKeyValue => {
            first_non_space(text, last_content_line(text, start, at.min(end)))
        }
        _ => at.min(end),
    };
    let line = line_at(text, at);
    let above = line_above(text, start, line.start);
    let span = match kind {
        Kind::Indentation | Kind::ExpectedKeyValue => {
            Span::new(file, at, line.end.max(at + usize::from(at < text.len())))
        }
        _ => Span::new(file, at, token_end(text, at)),
    };
    let d = Diagnostic::error(format!("YAML syntax error: {}", kind.describe(info)))
        .at(span, kind.label());
    match kind {
        Kind::Colon => d.hint(
            "a value that contains `: ` must be in quotes, e.g. `text: \"Note: …\"`; for a long text write `text: |` and the text on the next lines, indented",
        ),
        Kind::Quote => d.hint(
            "end the quoted value with its closing quote; a quoted value that runs over several lines must indent them more than its key",
        ),
        Kind::Flow => d.hint(
            "a `[` or `{` opened on this line or above is not closed; to write a `[` or `{` as text, put the whole value in quotes",
        ),
        Kind::BadCharacter => d.hint(
            "a value that begins with `@`, `` ` ``, `%` or `|` must be in quotes: `\"…\"`",
        ),
        Kind::Indentation | Kind::ExpectedKeyValue | Kind::Other => {
            d.hint(indentation_hint(text, line, above))
        }
    }
}

/// The two indentation mistakes the parser reports in misleading terms, told plainly: a key
/// indented deeper than the keys beside it (the parser reads it as the value above running on,
/// and complains of a `: ` in it), and a block scalar's line not indented under its key (the
/// parser takes the block as empty and stumbles a line or more later).
fn misplaced_line(
    file: FileId,
    text: &str,
    start: usize,
    at: usize,
    kind: Kind,
) -> Option<Diagnostic> {
    let number = |at: usize| text[..at].matches('\n').count() + 1;
    let content = |line: Line| {
        let from = first_non_space(text, line.start);
        Span::new(file, from, line.end.max(from + 1).min(text.len().max(from)))
    };
    match kind {
        Kind::Colon => {
            let line = line_at(text, at);
            let here = line.text(text);
            let key = key_of(here)?;
            let key_start = line.start + indent(here);
            // The `: ` complained of must be the one that ends this line's own key.
            if here.trim_start().starts_with("- ") || at != key_start + key.len() {
                return None;
            }
            let above = line_above(text, start, line.start)?;
            let prev = above.text(text);
            let prev_key = key_of(prev)?;
            let prev_col = prev.find(prev_key)?;
            if opens_value_below(prev) || indent(here) <= prev_col {
                return None;
            }
            let extra = indent(here) - prev_col;
            Some(
                Diagnostic::error("YAML syntax error: this line is indented deeper than its siblings")
                    .at(content(line), "indented too deep")
                    .hint(format!(
                        "`{key}:` is indented by {} spaces but `{prev_key}:` on the line above by {prev_col}; the keys of one note must line up exactly: remove {extra} space{}",
                        indent(here),
                        if extra == 1 { "" } else { "s" }
                    )),
            )
        }
        Kind::ExpectedKeyValue | Kind::Indentation | Kind::Other => {
            let line = line_at(text, last_content_line(text, start, at));
            let mut first = None;
            let mut cur = if key_of(line.text(text)).is_some() {
                line_above(text, start, line.start)
            } else {
                Some(line)
            };
            while let Some(l) = cur {
                let t = l.text(text);
                if key_of(t).is_some() || t.trim_start().starts_with('-') {
                    break;
                }
                first = Some(l);
                cur = line_above(text, start, l.start);
            }
            let (opener, first) = (cur?, first?);
            let open = opener.text(text);
            let key = key_of(open)?;
            let key_col = open.find(key)?;
            let block = opens_value_below(open) && !open.trim_end().ends_with(':');
            if !block || indent(first.text(text)) > key_col {
                return None;
            }
            let indicator = open.trim_end().rsplit(' ').next().unwrap_or("|");
            Some(
                Diagnostic::error(format!(
                    "YAML syntax error: the text of `{key}: {indicator}` is not indented under `{key}`"
                ))
                .at(content(first), "not indented")
                .hint(format!(
                    "a block scalar's lines must be indented under its key: indent the lines after `{key}: {indicator}` (line {}) by at least {} spaces",
                    number(opener.start),
                    key_col + 2
                )),
            )
        }
        _ => None,
    }
}

/// The kinds of parser error that call for different advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An unquoted `: ` inside a value.
    Colon,
    /// A quoted scalar that does not close.
    Quote,
    /// An unclosed `[` or `{`.
    Flow,
    /// A character that cannot begin a value.
    BadCharacter,
    /// A line that does not line up with the structure around it.
    Indentation,
    /// A line with no `key:` where one was expected.
    ExpectedKeyValue,
    Other,
}

impl Kind {
    fn of(info: &str) -> Kind {
        if info.contains("mapping values are not allowed") {
            Kind::Colon
        } else if info.contains("quoted scalar") {
            Kind::Quote
        } else if info.contains("flow") {
            Kind::Flow
        } else if info.contains("cannot start any token") {
            Kind::BadCharacter
        } else if info.contains("simple key expect ':'")
            || info.contains("could not find expected ':'")
        {
            Kind::ExpectedKeyValue
        } else if info.contains("did not find expected") || info.contains("indentation") {
            Kind::Indentation
        } else {
            Kind::Other
        }
    }

    fn describe(self, info: &str) -> String {
        match self {
            Kind::Colon => "`: ` inside a value that is not in quotes".into(),
            Kind::Quote => "a quoted value is not closed".into(),
            Kind::Flow => "a `[` or `{` is not closed".into(),
            Kind::BadCharacter => "a value begins with a character YAML reserves".into(),
            Kind::Indentation => "this line does not line up with the lines above".into(),
            Kind::ExpectedKeyValue => "expected a `key: value` line".into(),
            Kind::Other => info.to_owned(),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Colon => "second `:` here",
            Kind::Quote => "quote opened here",
            Kind::Flow => "the parser stopped here",
            Kind::BadCharacter => "reserved character",
            Kind::Indentation => "mis-indented",
            Kind::ExpectedKeyValue => "no `key:` on this line",
            Kind::Other => "here",
        }
    }
}

/// A line's byte range, without its newline.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

impl Line {
    fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

fn line_at(text: &str, at: usize) -> Line {
    let at = crate::source::floor_char_boundary(text, at);
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    Line { start, end }
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The start of the last line at or before `at` (not before `start`) with content on it.
fn last_content_line(text: &str, start: usize, at: usize) -> usize {
    let mut line = line_at(text, at);
    loop {
        if !is_blank_or_comment(line.text(text)) || line.start <= start {
            return line.start.max(start);
        }
        line = line_at(text, line.start - 1);
    }
}

/// The nearest line above `line_start` (not before `start`) with content on it.
fn line_above(text: &str, start: usize, line_start: usize) -> Option<Line> {
    let mut at = line_start;
    while at > start {
        let line = line_at(text, at - 1);
        if !is_blank_or_comment(line.text(text)) {
            return Some(line);
        }
        at = line.start;
    }
    None
}

fn first_non_space(text: &str, line_start: usize) -> usize {
    let rest = &text[line_start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    line_start + (rest[..line_len].len() - rest[..line_len].trim_start().len())
}

fn token_end(text: &str, at: usize) -> usize {
    let rest = &text[at.min(text.len())..];
    let len = rest
        .find(char::is_whitespace)
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    at + len
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The key of a `key:` line, when the line is one (list dash allowed before it).
fn key_of(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    let colon = t.find(':')?;
    let key = &t[..colon];
    let after = &t[colon + 1..];
    (!key.is_empty()
        && !key.contains(char::is_whitespace)
        && (after.is_empty() || after.starts_with(' ')))
    .then_some(key)
}

/// Whether a `key:` line leaves its value to the lines below (`key:`, `key: |`, `key: >`).
fn opens_value_below(line: &str) -> bool {
    let t = line.trim_end();
    key_of(line).is_some()
        && (t.ends_with(':')
            || ["|", ">", "|-", ">-", "|+", ">+"]
                .iter()
                .any(|s| t.ends_with(&format!(": {s}"))))
}

/// Advice from comparing the indentation of the faulty line with the line above it.
fn indentation_hint(text: &str, line: Line, above: Option<Line>) -> String {
    let here = line.text(text);
    let Some(above) = above else {
        return "check the indentation and quoting of this line".into();
    };
    let prev = above.text(text);
    let (i_here, i_prev) = (indent(here), indent(prev));
    let number = |at: usize| text[..at].matches('\n').count() + 1;
    if opens_value_below(prev) && i_here <= i_prev {
        let key = key_of(prev).unwrap_or("the key");
        let key_col = prev.find(key).unwrap_or(i_prev);
        return format!(
            "the value of `{key}:` (line {}) must be indented more than `{key}`: indent this line by at least {} spaces",
            number(above.start),
            key_col + 2
        );
    }
    match (key_of(here), key_of(prev)) {
        (Some(key), Some(_)) if i_here != i_prev => {
            let prev_key_col = if prev.trim_start().starts_with("- ") {
                i_prev + 2
            } else {
                i_prev
            };
            format!(
                "`{key}:` is indented by {i_here} spaces but the line above by {prev_key_col}; the keys of one mapping (one note) must line up exactly"
            )
        }
        (None, _) => "this line has no `key:`; if it continues the value above, indent it more than that value's key, or put the value in quotes".into(),
        _ => "check the indentation and quoting of this line and the one above".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(yaml: &str) -> Diagnostic {
        let file = SourceFile::new("t.yaml".into(), "t.yaml".into(), yaml.into());
        let mut diags = crate::diag::Diagnostics::default();
        let node = super::super::parse(FileId(0), &file, 0, yaml.len(), &mut diags);
        assert!(node.is_none(), "{yaml} parsed");
        let d = diags.iter().next().unwrap().clone();
        d
    }

    fn line_of(yaml: &str, d: &Diagnostic) -> usize {
        yaml[..d.span.unwrap().start].matches('\n').count() + 1
    }

    #[test]
    fn unindented_block_text_is_blamed_on_its_own_line() {
        let yaml = "notes:\n  - id: a\n    text: |\n    Some words.\n";
        let d = diag(yaml);
        assert_eq!(line_of(yaml, &d), 4, "{d:?}");
        assert!(d.hints[0].contains("indented under its key"), "{d:?}");
        assert!(d.hints[0].contains("at least 6 spaces"), "{d:?}");
    }

    #[test]
    fn a_key_out_of_line_names_both_indentations() {
        let yaml = "notes:\n  - id: a\n    anchor: x\n   kind: gloss\n";
        let d = diag(yaml);
        assert_eq!(line_of(yaml, &d), 4, "{d:?}");
        assert!(
            d.hints[0].contains("indented by 3 spaces but the line above by 4"),
            "{d:?}"
        );
        let yaml = "notes:\n  - id: a\n    anchor: x\n  kind: gloss\n";
        assert!(diag(yaml).hints[0].contains("by 2 spaces but the line above by 4"));
    }

    #[test]
    fn a_key_indented_too_deep_is_not_a_colon_to_quote() {
        let yaml = "notes:\n  - id: a\n    anchor: x y\n     kind: gloss\n    text: t\n";
        let d = diag(yaml);
        assert_eq!(line_of(yaml, &d), 4, "{d:?}");
        assert!(d.message.contains("deeper than its siblings"), "{d:?}");
        assert!(d.hints[0].contains("by 5 spaces but `anchor:`"), "{d:?}");
        assert!(d.hints[0].contains("remove 1 space"), "{d:?}");
        // A real colon inside a value still asks for quotes.
        let yaml = "notes:\n  - id: a\n    text: Note: x\n";
        assert!(diag(yaml).hints[0].contains("in quotes"));
    }

    #[test]
    fn an_unindented_block_line_before_the_next_note_is_blamed_on_itself() {
        let yaml = "notes:\n  - id: a\n    text: |\n    Some words.\n  - id: b\n    text: t\n";
        let d = diag(yaml);
        assert_eq!(line_of(yaml, &d), 4, "{d:?}");
        assert!(d.message.contains("not indented under `text`"), "{d:?}");
        assert!(d.hints[0].contains("block scalar's lines must be indented under its key"));
        assert!(
            d.hints[0].contains("(line 3) by at least 6 spaces"),
            "{d:?}"
        );
    }

    #[test]
    fn colons_quotes_and_brackets_get_their_own_advice() {
        assert!(diag("text: Note: this\n").hints[0].contains("in quotes"));
        assert!(diag("a: \"open\n").message.contains("not closed"));
        assert!(diag("a: {b: c\nd: e\n")
            .message
            .contains("`{` is not closed"));
    }
}
