//! Target 2: Markdown into the model, from arbitrary text and from generated documents with
//! nesting, emphasis, links, escapes, entities and Unicode (combining marks included).

use super::{config, diagnostics_are_well_formed, long_run, span_is_valid};
use proptest::prelude::*;
use variorum::model::{Block, Inline};
use variorum::source::SourceMap;

/// Every run of text points inside its file.
pub fn spans_are_valid(blocks: &[Block], sources: &SourceMap) -> Result<(), TestCaseError> {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => {
                for inline in content {
                    if let Inline::Text { span, .. } = inline {
                        span_is_valid(*span, sources).map_err(TestCaseError::fail)?;
                    }
                }
            }
            Block::Quote(inner) => spans_are_valid(inner, sources)?,
            Block::List { items, .. } => {
                for item in items {
                    spans_are_valid(item, sources)?;
                }
            }
            // Tables and timelines are generated, never written in Markdown.
            Block::Code(_) | Block::Rule | Block::Table { .. } | Block::Timeline(_) => {}
        }
    }
    Ok(())
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "the",
            "letter",
            "1988",
            "Gorbachev",
            "café",
            "cafe\u{301}",
            "q\u{307}",
            "Iran’s",
            "“quoted”",
            "\"straight\"",
            "Эрик",
            "██",
            "□",
            "مسکو",
            "e\u{301}\u{323}",
            "a\u{200d}b",
            "\u{feff}",
            "x\u{300}\u{300}\u{300}\u{300}",
            "&amp;",
            "&#x301;",
            "&nbsp;",
            "&bogus;",
            "\\*",
            "\\_",
            "\\[",
            "\\<",
            "\\\\",
            "<",
            ">",
            "*",
            "_",
            "`",
            "~",
            "|",
            "!",
            "#",
        ])
        .prop_map(str::to_owned),
        "\\PC{1,6}",
    ]
}

fn url() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "https://example.org/a",
        "#",
        "",
        "../../etc/passwd",
        "/etc/passwd",
        "file:///x",
        "mailto:a@b.c",
        "javascript:alert(1)",
        "https://example.org/a b",
        "<https://x.y>",
        "data:text/html,x",
        "C:\\x",
        "\\\\server\\x",
    ])
    .prop_map(str::to_owned)
}

/// Inline Markdown, nested.
fn inline() -> impl Strategy<Value = String> {
    let leaf = prop::collection::vec(word(), 1..4).prop_map(|w| w.join(" "));
    leaf.prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|s| format!("*{s}*")),
            inner.clone().prop_map(|s| format!("**{s}**")),
            inner.clone().prop_map(|s| format!("_{s}_")),
            (inner.clone(), url()).prop_map(|(s, u)| format!("[{s}]({u})")),
            (inner.clone(), url()).prop_map(|(s, u)| format!("![{s}]({u})")),
            inner.clone().prop_map(|s| format!("`{s}`")),
            inner.clone().prop_map(|s| format!("<{s}>")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}\\\n{b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a}  \n{b}")),
            prop::collection::vec(inner, 1..4).prop_map(|v| v.join(" ")),
        ]
    })
}

/// Block Markdown, nested: paragraphs, headings, quotes, lists, code, rules.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => inline(),
        1 => (1usize..8, inline()).prop_map(|(n, s)| format!("{} {s}", "#".repeat(n))),
        1 => inline().prop_map(|s| format!("```\n{s}\n```")),
        1 => inline().prop_map(|s| format!("    {s}")),
        1 => Just("---".to_owned()),
        1 => inline().prop_map(|s| format!("{s}\n===")),
        1 => Just("[ref]: ../secret\n\n[x][ref]".to_owned()),
    ];
    leaf.prop_recursive(6, 48, 4, |inner| {
        let indent = |s: &str, first: &str, rest: &str| {
            s.lines()
                .enumerate()
                .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { rest }))
                .collect::<Vec<_>>()
                .join("\n")
        };
        prop_oneof![
            inner.clone().prop_map(move |s| indent(&s, "> ", "> ")),
            inner.clone().prop_map(move |s| indent(&s, "- ", "  ")),
            inner.clone().prop_map(move |s| indent(&s, "1. ", "   ")),
            inner.clone().prop_map(move |s| indent(&s, "* ", "")),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.join("\n\n")),
            prop::collection::vec(inner, 1..3).prop_map(|v| v.join("\n")),
        ]
    })
}

fn markdown_input() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => document(),
        1 => "\\PC{0,300}",
        1 => "[ \\n>*_\\[\\]()!<`#\\\\&;a-c1.\\-]{0,300}",
    ]
}

/// A witness file with `body` after its front matter.
fn property(body: String) -> Result<(), TestCaseError> {
    let file = format!("---\nsigil: A\ntitle: T\n---\n{body}\n");
    super::yaml::manuscript_property(file.as_bytes())
}

/// A note's text: the same parser, with every span the whole YAML value.
fn note_property(body: String) -> Result<(), TestCaseError> {
    let yaml = format!(
        "edition:\n  title: T\n  editor: E\n  language: en\n  identifier: x\n  date: 2026-01-01\nnotes:\n  - id: a\n    witness: A\n    anchor: x\n    kind: gloss\n    text: {:?}\n",
        body
    );
    let mut sources = SourceMap::default();
    let mut diags = variorum::diag::Diagnostics::default();
    let file = variorum::files::add_bytes(
        "footnotes.yaml".into(),
        std::path::Path::new("footnotes.yaml"),
        yaml.as_bytes(),
        &mut sources,
        &mut diags,
    );
    if let Some(file) = file {
        let text = &sources.get(file).text;
        let origin = variorum::manuscript::markdown::Origin {
            file,
            base: 0,
            whole: Some(variorum::source::Span::new(file, 0, text.len())),
        };
        let blocks = variorum::manuscript::markdown::parse(&body, origin, &mut diags);
        spans_are_valid(&blocks, &sources)?;
    }
    diagnostics_are_well_formed(&diags, &sources)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn markdown_never_panics(body in markdown_input()) {
        property(body)?;
    }

    #[test]
    fn note_markdown_never_panics(body in markdown_input()) {
        note_property(body)?;
    }
}

#[test]
#[ignore = "long run: FUZZ_SECONDS (default 600)"]
fn long_markdown() {
    long_run("markdown", markdown_input(), property);
}
