//! The YAML front matter of a manuscript file: which section it is and, for a witness, its
//! provenance.

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Role, Witness};
use crate::source::{FileId, SourceFile, Span};
use crate::yaml::{self, field, Node};

const KEYS: &[&str] = &[
    "sigil",
    "role",
    "title",
    "subtitle",
    "byline",
    "author",
    "publisher",
    "dateline",
    "published",
    "source",
    "source-sha256",
    "provenance",
    "language",
    "repository",
    "shelfmark",
    "written",
    "hand",
    "material",
    "extent",
    "url",
    "accessed",
    "archived",
];

/// Keys that only a witness may carry.
const WITNESS_KEYS: &[&str] = &[
    "byline",
    "author",
    "publisher",
    "dateline",
    "published",
    "source",
    "source-sha256",
    "provenance",
    "repository",
    "shelfmark",
    "written",
    "hand",
    "material",
    "extent",
    "url",
    "accessed",
    "archived",
];

/// Where the front matter and the body lie in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the fences.
    pub yaml: (usize, usize),
    /// Everything after the closing fence.
    pub body: usize,
}

/// Finds the `---` fences. Reports a missing or unclosed front matter.
pub fn split(file: FileId, source: &SourceFile, diags: &mut Diagnostics) -> Option<Split> {
    let text = source.text.as_str();
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text == "---").then_some(""))
    else {
        let end = text.find('\n').unwrap_or(text.len()).min(80);
        let end = crate::source::floor_char_boundary(text, end);
        diags.push(
            Diagnostic::error(format!("`{}` has no front matter", source.name))
                .at(Span::new(file, 0, end), "expected `---` on the first line")
                .hint("begin the file with `---`, then `sigil: A` and `title: …` (or `role: front`), then `---`"),
        );
        return None;
    };
    let yaml_start = text.len() - after_open.len();
    let mut offset = yaml_start;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n').trim_end();
        if bare == "---" || bare == "..." {
            return Some(Split {
                yaml: (yaml_start, offset),
                body: offset + line.len(),
            });
        }
        offset += line.len();
    }
    diags.push(
        Diagnostic::error(format!(
            "the front matter of `{}` is not closed",
            source.name
        ))
        .at(Span::new(file, 0, 3), "opened here")
        .hint("add a line `---` after the last front matter key"),
    );
    None
}

/// The section's description read from its front matter.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub role: Role,
    pub title: Option<(String, Span)>,
    pub witness: Option<Witness>,
    /// The section's own language (BCP 47), when it is not the edition's.
    pub language: Option<String>,
    pub spans: FieldSpans,
}

/// Spans of the fields that later checks point at.
#[derive(Debug, Clone, Default)]
pub struct FieldSpans {
    pub sigil: Option<Span>,
    pub subtitle: Option<Span>,
    pub byline: Option<Span>,
    pub dateline: Option<Span>,
    pub source: Option<Span>,
    pub source_sha256: Option<Span>,
    /// The front matter's opening `---`, for problems with no better place.
    pub whole: Span,
}

/// Reads the front matter YAML at `split.yaml`.
pub fn read(
    file: FileId,
    source: &SourceFile,
    split: Split,
    diags: &mut Diagnostics,
) -> Option<FrontMatter> {
    let (start, end) = split.yaml;
    // The opening `---`: problems of the front matter as a whole are shown there.
    let whole = Span::new(file, 0, 3);
    let node = yaml::parse(file, source, start, end, diags)?;
    let what = "front matter";
    let entries = node.as_mapping(what, KEYS, diags)?;
    let text = |key: &str, diags: &mut Diagnostics| -> Option<(String, Span)> {
        let node = field(&entries, key)?;
        let value = node.as_text(&format!("`{key}`"), diags)?;
        Some((value, node.span))
    };
    let mut spans = FieldSpans {
        whole,
        ..FieldSpans::default()
    };
    let title = text("title", diags);
    let language = text("language", diags).and_then(|(tag, span)| {
        if crate::apparatus::is_language_tag(&tag) {
            Some(tag)
        } else {
            diags.push(
                Diagnostic::error(format!("`{tag}` is not a BCP 47 language tag"))
                    .at(span, "language")
                    .hint("write e.g. `en`, `de`, `ru` or `fa-IR`"),
            );
            None
        }
    });
    let sigil = text("sigil", diags);
    let role = text("role", diags);
    if title.is_none() && field(&entries, "title").is_none() {
        diags.push(
            Diagnostic::error(format!("`{}` has no `title`", source.name))
                .at(whole, "front matter")
                .hint("add `title: …` to the front matter"),
        );
    }
    let role = match (&sigil, role) {
        (Some(_), None) => Role::Witness,
        (Some(_), Some((r, _))) if r == "witness" => Role::Witness,
        (Some(_), Some((r, span))) => {
            diags.push(
                Diagnostic::error(format!("a witness cannot have `role: {r}`"))
                    .at(span, "role")
                    .hint("remove `role`, or remove `sigil` if this is not a witness"),
            );
            Role::Witness
        }
        (None, Some((r, span))) => {
            match r.as_str() {
                "front" => Role::Front,
                "back" => Role::Back,
                _ => {
                    diags.push(
                    Diagnostic::error(format!("unknown role `{r}`"))
                        .at(span, "role")
                        .hint("a section is `role: front` or `role: back`; a witness has a `sigil`"),
                );
                    Role::Front
                }
            }
        }
        (None, None) => {
            if field(&entries, "sigil").is_none() {
                diags.push(
                    Diagnostic::error(format!("`{}` is neither a witness nor a section", source.name))
                        .at(whole, "front matter")
                        .hint("give a witness `sigil: A`, or give an introduction `role: front` (back matter `role: back`)"),
                );
            }
            Role::Front
        }
    };
    if role != Role::Witness {
        for (key, _) in &entries {
            if WITNESS_KEYS.contains(&key.name.as_str()) {
                diags.push(
                    Diagnostic::error(format!("`{}` belongs to witnesses only", key.name))
                        .at(key.span, "not a witness")
                        .hint("add a `sigil` to make this file a witness, or remove the key"),
                );
            }
        }
        return Some(FrontMatter {
            role,
            title,
            witness: None,
            language,
            spans,
        });
    }
    let (sigil, sigil_span) = sigil?;
    spans.sigil = Some(sigil_span);
    if !valid_sigil(&sigil) {
        diags.push(
            Diagnostic::error(format!("sigil `{sigil}` is not valid"))
                .at(sigil_span, "sigil")
                .hint("a sigil is a capital letter, optionally followed by letters or digits (`A`, `B2`)"),
        );
    }
    let mut optional = |key: &str, span_slot: Option<&mut Option<Span>>| {
        let (value, span) = text(key, diags)?;
        if let Some(slot) = span_slot {
            *slot = Some(span);
        }
        Some(value)
    };
    let subtitle = optional("subtitle", Some(&mut spans.subtitle));
    let byline = optional("byline", Some(&mut spans.byline));
    let dateline = optional("dateline", Some(&mut spans.dateline));
    let source_name = optional("source", Some(&mut spans.source));
    let source_sha256 = optional("source-sha256", Some(&mut spans.source_sha256));
    let author = optional("author", None);
    let publisher = optional("publisher", None);
    let provenance = optional("provenance", None);
    let repository = optional("repository", None);
    let shelfmark = optional("shelfmark", None);
    let hand = optional("hand", None);
    let material = optional("material", None);
    let extent = optional("extent", None);
    let url = field(&entries, "url").and_then(|n| checked_url(n, "url", diags));
    let archived = field(&entries, "archived").and_then(|n| checked_url(n, "archived", diags));
    let published = field(&entries, "published").and_then(|n| checked_date(n, "published", diags));
    let written = field(&entries, "written").and_then(|n| checked_date(n, "written", diags));
    let accessed = field(&entries, "accessed").and_then(|n| checked_date(n, "accessed", diags));
    if let (Some(digest), Some(span)) = (&source_sha256, spans.source_sha256) {
        if digest.len() != 64 || !digest.chars().all(|c| c.is_ascii_hexdigit()) {
            diags.push(
                Diagnostic::error("`source-sha256` is not a SHA-256 digest")
                    .at(span, "expected 64 hexadecimal digits")
                    .hint("compute it with `sha256sum sources/FILE`"),
            );
        }
    }
    let witness = Witness {
        sigil,
        title: title.as_ref().map(|(t, _)| t.clone()).unwrap_or_default(),
        subtitle,
        byline,
        author,
        publisher,
        dateline,
        published,
        source: source_name,
        source_sha256,
        provenance,
        repository,
        shelfmark,
        written,
        hand,
        material,
        extent,
        url,
        accessed,
        archived,
        language: language.clone(),
    };
    Some(FrontMatter {
        role,
        title,
        witness: Some(witness),
        language,
        spans,
    })
}

fn valid_sigil(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && s.len() <= 8
}

/// `published`, `written`, `accessed`: an ISO date, possibly partial (`2016`, `2016-12`,
/// `2016-12-31`).
fn checked_date(node: &Node, key: &str, diags: &mut Diagnostics) -> Option<String> {
    let text = node.as_text(&format!("`{key}`"), diags)?;
    if is_iso_date(&text) {
        Some(text)
    } else {
        let hint = if key == "published" {
            "write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; put the date as printed in `dateline`"
        } else {
            "write `YYYY`, `YYYY-MM` or `YYYY-MM-DD`"
        };
        diags.push(
            Diagnostic::error(format!("`{key}: {text}` is not an ISO date"))
                .at(node.span, "date")
                .hint(hint),
        );
        None
    }
}

/// `url`, `archived`: a web address (`http://` or `https://`), shown as a link.
fn checked_url(node: &Node, key: &str, diags: &mut Diagnostics) -> Option<String> {
    let text = node.as_text(&format!("`{key}`"), diags)?;
    let text = text.trim().to_owned();
    let web = ["http://", "https://"]
        .iter()
        .any(|scheme| text.len() > scheme.len() && text.starts_with(scheme))
        && !text.contains(char::is_whitespace);
    if web {
        Some(text)
    } else {
        diags.push(
            Diagnostic::error(format!("`{key}: {text}` is not a web address"))
                .at(node.span, "address")
                .hint("write the full address, beginning `https://` or `http://`"),
        );
        None
    }
}

/// Whether `text` is `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a real month and day.
pub fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => number(y, 4).is_some(),
        [y, m] => number(y, 4).is_some() && number(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => match (number(y, 4), number(m, 2), number(d, 2)) {
            (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => {
                d >= 1 && d <= days_in_month(y, m)
            }
            _ => false,
        },
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> (Option<FrontMatter>, Diagnostics, SourceFile) {
        let file = SourceFile::new("m.md".into(), "m.md".into(), text.into());
        let mut diags = Diagnostics::default();
        let fm =
            split(FileId(0), &file, &mut diags).and_then(|s| read(FileId(0), &file, s, &mut diags));
        (fm, diags, file)
    }

    #[test]
    fn witness_front_matter_is_read() {
        let (fm, d, _) = front("---\nsigil: A\ntitle: \"T: x\"\npublished: 2016-12\n---\nBody\n");
        assert!(d.is_empty(), "{d:?}");
        let fm = fm.unwrap();
        assert_eq!(fm.role, Role::Witness);
        let w = fm.witness.unwrap();
        assert_eq!((w.sigil.as_str(), w.title.as_str()), ("A", "T: x"));
        assert_eq!(w.published.as_deref(), Some("2016-12"));
    }

    #[test]
    fn errors_are_located_in_the_markdown_file() {
        let (_, d, file) = front("---\nsigil: A\ntitle: T\npublished: 2016-13-01\n---\n");
        let span = d.iter().next().unwrap().span.unwrap();
        assert_eq!(file.line_col(span.start), (4, 12));
        let (_, d, file) = front("---\nsigil: A\ntitle: [unclosed\n---\n");
        let span = d.iter().next().unwrap().span.unwrap();
        assert!(file.line_col(span.start).0 >= 3, "{d:?}");
    }

    #[test]
    fn missing_and_unclosed_front_matter() {
        let (_, d, _) = front("# Just a heading\n");
        assert!(d.iter().next().unwrap().message.contains("no front matter"));
        let (_, d, _) = front("---\nsigil: A\ntitle: T\n");
        assert!(d.iter().next().unwrap().message.contains("not closed"));
    }

    #[test]
    fn sections_need_a_role_and_no_witness_keys() {
        let (_, d, _) = front("---\ntitle: T\n---\n");
        assert!(d.has_errors());
        let (_, d, _) = front("---\nrole: front\ntitle: T\nbyline: X\n---\n");
        assert!(d.iter().any(|d| d.message.contains("witnesses only")));
        let (fm, d, _) = front("---\nrole: back\ntitle: T\n---\n");
        assert!(d.is_empty());
        assert_eq!(fm.unwrap().role, Role::Back);
    }

    #[test]
    fn manuscript_keys_are_read_and_checked() {
        let (fm, d, _) = front("---\nsigil: A\ntitle: T\nrepository: British Library\nshelfmark: Add MS 4291\nwritten: 1792-03\nhand: autograph\nmaterial: paper\nextent: 4 leaves\nurl: https://example.org/a\naccessed: 2026-01-02\narchived: https://web.archive.org/x\n---\n");
        assert!(d.is_empty(), "{d:?}");
        let w = fm.unwrap().witness.unwrap();
        assert_eq!(w.repository.as_deref(), Some("British Library"));
        assert_eq!(w.shelfmark.as_deref(), Some("Add MS 4291"));
        assert_eq!(w.written.as_deref(), Some("1792-03"));
        assert_eq!(w.accessed.as_deref(), Some("2026-01-02"));
        assert_eq!(w.archived.as_deref(), Some("https://web.archive.org/x"));
        let (_, d, file) =
            front("---\nsigil: A\ntitle: T\nwritten: March 1792\nurl: example.org\n---\n");
        let at = |message: &str| {
            let d = d.iter().find(|d| d.message == message).expect(message);
            file.line_col(d.span.unwrap().start)
        };
        assert_eq!(d.iter().count(), 2, "{d:?}");
        assert_eq!(at("`written: March 1792` is not an ISO date"), (4, 10));
        assert_eq!(at("`url: example.org` is not a web address"), (5, 6));
        let (_, d, _) = front("---\nrole: front\ntitle: T\nshelfmark: X\n---\n");
        assert!(d.iter().any(|d| d.message.contains("witnesses only")));
    }

    #[test]
    fn iso_dates() {
        for ok in ["2016", "2016-12", "2016-02-29", "2000-02-29"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in [
            "16",
            "2016-1",
            "2017-02-29",
            "1900-02-29",
            "2016-12-32",
            "Dec 2016",
        ] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
