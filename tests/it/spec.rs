//! Every example of the CommonMark and GFM specifications, and of pulldown-cmark's footnote,
//! table and strikethrough specifications (copies under `tests/specs/`), as the body of a
//! witness: each is either refused by `check` with a location in its manuscript file, or it
//! builds and the text of its EPUB chapter (tags stripped) has the words of the spec's
//! expected HTML. So no construct reaches a reader as markup, and none is dropped.
//!
//! Each specification is one edition with one witness per example, checked once; a failure
//! lists every example that went wrong, by its number and line in the spec file.

use crate::epub::archive::{epub_bytes, fonts};
use crate::harness::{repo, Scratch};
use std::path::Path;
use variorum::epub::EpubOptions;

/// One example of a specification.
struct Example {
    /// Its number in its file, from 1.
    number: usize,
    /// The line of its opening fence.
    line: usize,
    markdown: String,
    html: String,
}

/// The examples of a spec file: Markdown, a line `.`, the expected HTML, between a fence of
/// 32 backquotes followed by ` example` and a closing fence; `→` stands for a tab.
fn examples(text: &str) -> Vec<Example> {
    let fence = "`".repeat(32);
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        if !(line.starts_with(&fence) && line[fence.len()..].trim_start().starts_with("example")) {
            continue;
        }
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for (_, line) in lines.by_ref() {
            if line == fence {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let target = if in_html { &mut html } else { &mut markdown };
            target.push_str(&line.replace('→', "\t"));
            target.push('\n');
        }
        out.push(Example {
            number: out.len() + 1,
            line: i + 1,
            markdown,
            html,
        });
    }
    out
}

/// The words of an (X)HTML fragment: tags removed (block tags part words), entities decoded.
fn words(html: &str) -> Vec<String> {
    const BLOCKS: &[&str] = &[
        "p",
        "li",
        "td",
        "th",
        "tr",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "table",
        "thead",
        "tbody",
        "div",
        "figure",
        "figcaption",
        "section",
        "aside",
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if BLOCKS.contains(&name.to_ascii_lowercase().as_str()) {
            text.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    decode(&text)
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Decodes the character references HTML writers use (`&amp;`, `&#35;`, `&#x22;`, …).
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The file of example `n`.
fn file_name(n: usize) -> String {
    format!("{n:04}.md")
}

/// Writes an edition with one witness per example.
fn write_edition(root: &Path, examples: &[&Example]) {
    let manuscript = root.join("manuscript");
    std::fs::create_dir_all(&manuscript).unwrap();
    std::fs::write(
        root.join("footnotes.yaml"),
        "edition:\n  title: Specification examples\n  editor: The tests\n  language: en\n  \
         identifier: urn:uuid:00000000-0000-4000-8000-000000000013\n  date: 2026-12-01\n\nnotes: []\n",
    )
    .unwrap();
    for example in examples {
        let n = example.number;
        std::fs::write(
            manuscript.join(file_name(n)),
            format!(
                "---\nsigil: W{n}\ntitle: \"Example {n}\"\nprovenance: \"The specification.\"\n---\n\n{}",
                example.markdown
            ),
        )
        .unwrap();
    }
}

/// The text of a witness chapter's body: what follows its header, up to its section's end,
/// without the citable paragraph numbers (furniture, like note marks).
fn chapter_body(xhtml: &str) -> String {
    let start = xhtml.find("</header>").map_or(0, |i| i + "</header>".len());
    let end = xhtml[start..]
        .find("</section>")
        .map_or(xhtml.len(), |i| start + i);
    let mut body = String::with_capacity(end - start);
    let mut rest = &xhtml[start..end];
    const NUMBER: &str = "<span class=\"para-number\">";
    while let Some(at) = rest.find(NUMBER) {
        body.push_str(&rest[..at]);
        let after = &rest[at..];
        rest = after
            .find("</span>")
            .map_or("", |close| &after[close + "</span>".len()..]);
    }
    body.push_str(rest);
    body
}

/// Runs every example of `spec` (a file of `tests/specs/`); returns the failures, one line
/// each, and how many examples were refused.
fn run(spec: &str) -> (Vec<String>, usize, usize) {
    let text = std::fs::read_to_string(repo().join("tests/specs").join(spec)).unwrap();
    let examples = examples(&text);
    assert!(!examples.is_empty(), "no examples in {spec}");
    let scratch = Scratch::new("spec");
    let all = scratch.path().join("all");
    write_edition(&all, &examples.iter().collect::<Vec<_>>());
    let checked = variorum::check(&all);
    let mut failures = Vec::new();
    let mut refused = std::collections::BTreeSet::new();
    for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
        let file = d.span.map(|s| checked.sources.get(s.file).name.clone());
        let example = file.as_deref().and_then(|f| {
            examples
                .iter()
                .find(|e| f.ends_with(&format!("manuscript/{}", file_name(e.number))))
        });
        match example {
            Some(e) => {
                refused.insert(e.number);
            }
            None => failures.push(format!(
                "{spec}: an error not located in an example's file: {} ({file:?})",
                d.message
            )),
        }
    }
    let built: Vec<&Example> = examples
        .iter()
        .filter(|e| !refused.contains(&e.number))
        .collect();
    let project = scratch.path().join("built");
    write_edition(&project, &built);
    let checked = variorum::check(&project);
    let Some(edition) = checked.edition else {
        let report = variorum::diag::render(&checked.diagnostics, &checked.sources, false);
        failures.push(format!(
            "{spec}: the examples that were not refused do not check:\n{report}"
        ));
        return (failures, refused.len(), examples.len());
    };
    let options = EpubOptions {
        fonts: fonts(&project),
        ..Default::default()
    };
    let bytes = epub_bytes(&edition, &options);
    let entries: std::collections::HashMap<String, Vec<u8>> =
        crate::epub::archive::entries(&bytes).into_iter().collect();
    for example in built {
        let n = example.number;
        let name = format!("OEBPS/witness-w{n}.xhtml");
        let Some(xhtml) = entries.get(&name) else {
            failures.push(format!(
                "{spec} example {n} (line {}): no {name}",
                example.line
            ));
            continue;
        };
        let xhtml = String::from_utf8_lossy(xhtml);
        let got = words(&chapter_body(&xhtml));
        let want = words(&example.html);
        if got != want {
            failures.push(format!(
                "{spec} example {n} (line {}): {:?}\n  expected words: {want:?}\n  EPUB words:     {got:?}",
                example.line, example.markdown
            ));
        }
    }
    (failures, refused.len(), examples.len())
}

/// Examples whose expected HTML Variorum is right to differ from, with the reason.
const KNOWN: &[(&str, usize, &str)] = &[(
    "gfm-spec.txt",
    352,
    "expects an older CommonMark's reading of `* a *`; pulldown-cmark follows the newer rule",
)];

fn check_spec(spec: &str) {
    let (failures, refused, total) = run(spec);
    let is_known = |f: &str| {
        KNOWN
            .iter()
            .any(|(s, n, _)| *s == spec && f.starts_with(&format!("{spec} example {n} ")))
    };
    let (known, failures): (Vec<String>, Vec<String>) =
        failures.into_iter().partition(|f| is_known(f));
    eprintln!("{spec}: {total} examples, {refused} refused with a location");
    assert!(
        failures.is_empty(),
        "{} of {total} examples of {spec} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // A known difference that no longer shows is to be taken off the list.
    let expected = KNOWN.iter().filter(|(s, _, _)| *s == spec).count();
    assert_eq!(
        known.len(),
        expected,
        "the known differences of {spec} changed: {known:?}"
    );
}

#[test]
fn commonmark_spec_examples_render_or_are_refused() {
    check_spec("commonmark-spec.txt");
}

#[test]
fn gfm_spec_examples_render_or_are_refused() {
    check_spec("gfm-spec.txt");
}

#[test]
fn footnote_spec_examples_render_or_are_refused() {
    check_spec("ext-footnotes.txt");
}

#[test]
fn table_spec_examples_render_or_are_refused() {
    check_spec("ext-table.txt");
}

#[test]
fn strikethrough_spec_examples_render_or_are_refused() {
    check_spec("ext-strikethrough.txt");
}

#[test]
fn spec_files_are_read_into_examples() {
    let text = "x\n```````````````````````````````` example\na→b\n.\n<p>a\tb</p>\n````````````````````````````````\n";
    let examples = examples(text);
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].markdown, "a\tb\n");
    assert_eq!(words(&examples[0].html), ["a", "b"]);
    assert_eq!(words("<td>a</td><td>b&amp;c</td>"), ["a", "b&c"]);
    assert_eq!(words("f<em>o</em>o"), ["foo"]);
}
