//! Target 1: front matter and `footnotes.yaml`, from arbitrary bytes and from valid documents
//! mutated line by line (indentation shifted, lines dropped, doubled or swapped, YAML's special
//! characters inserted, the text cut short).

use super::{config, diagnostics_are_well_formed, long_run};
use proptest::prelude::*;
use std::path::Path;
use variorum::diag::Diagnostics;
use variorum::source::SourceMap;

const FOOTNOTES: &str = "edition:
  title: A Test Edition
  subtitle: \"Five witnesses: 2011\u{2013}2017\"
  editor: The Variorum editors
  language: en
  identifier: urn:x-variorum:test
  date: 2026-11-22
notes:
  - id: a-date
    witness: A
    anchor: On January 1, 1988
    before: \"\"
    after: the Ayatollah
    kind: discrepancy
    text: |
      The witnesses disagree on the *year*.

      See [the letter](https://example.org).
    readings:
      A: January 1, 1988
      B: \"January 1989\"
  - id: b-prov
    witness: B
    anchor: 'it''s'
    kind: provenance
    text: >
      Folded
      text.
";

const MANUSCRIPT: &str = "---
sigil: A
title: \"Glasnost 1988: Historic Moment\"
byline: Written by Eric Walberg
published: 2016-12-31
source: letter.txt
source-sha256: 838123be1b95080ddba8bd23b5728da0bc85566d041160a23669cc9f07bdd48f
provenance: >-
  A capture.
---

On January 1, 1988, the Ayatollah wrote.
";

/// One edit of a document's lines.
#[derive(Debug, Clone)]
enum Mutation {
    Indent {
        line: usize,
        by: i8,
    },
    Drop {
        line: usize,
    },
    Double {
        line: usize,
    },
    Swap {
        line: usize,
    },
    Insert {
        line: usize,
        column: usize,
        text: &'static str,
    },
    Truncate {
        at: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop::sample::select(vec![
        ":", ": ", "- ", "-", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!x ", "|", ">", "'",
        "\"", "#", "%", "@", "`", "\t", "\n", "\r\n", "\u{feff}", "\0", "? ", ",", "\\", "---\n",
        "...\n", "\u{301}", "\u{2028}", "é", "  ",
    ]);
    prop_oneof![
        (any::<usize>(), -4i8..=4).prop_map(|(line, by)| Mutation::Indent { line, by }),
        any::<usize>().prop_map(|line| Mutation::Drop { line }),
        any::<usize>().prop_map(|line| Mutation::Double { line }),
        any::<usize>().prop_map(|line| Mutation::Swap { line }),
        (any::<usize>(), any::<usize>(), special)
            .prop_map(|(line, column, text)| Mutation::Insert { line, column, text }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(doc: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = doc.lines().map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *m {
            Mutation::Indent { line, by } => {
                let l = &mut lines[line % n];
                if by > 0 {
                    l.insert_str(0, &" ".repeat(by as usize));
                } else {
                    let strip = l.len() - l.trim_start_matches(' ').len();
                    l.drain(..strip.min(by.unsigned_abs() as usize));
                }
            }
            Mutation::Drop { line } => {
                lines.remove(line % n);
            }
            Mutation::Double { line } => {
                let l = lines[line % n].clone();
                lines.insert(line % n, l);
            }
            Mutation::Swap { line } => lines.swap(line % n, (line + 1) % n),
            Mutation::Insert { line, column, text } => {
                let l = &mut lines[line % n];
                let mut at = column % (l.len() + 1);
                while !l.is_char_boundary(at) {
                    at -= 1;
                }
                l.insert_str(at, text);
            }
            Mutation::Truncate { at } => {
                let mut joined = lines.join("\n");
                let mut at = at % (joined.len() + 1);
                while !joined.is_char_boundary(at) {
                    at -= 1;
                }
                joined.truncate(at);
                lines = joined.lines().map(str::to_owned).collect();
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Reads `bytes` as `footnotes.yaml`: no panic, and well-formed diagnostics.
fn footnotes_property(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let path = Path::new("footnotes.yaml");
    if let Some(file) = variorum::files::add_bytes(
        "footnotes.yaml".into(),
        path,
        bytes,
        &mut sources,
        &mut diags,
    ) {
        let apparatus = variorum::apparatus::read(file, sources.get(file), &mut diags);
        if let Some(apparatus) = apparatus {
            for note in &apparatus.notes {
                prop_assert!(!note.id.text.is_empty());
                super::span_is_valid(note.anchor.span, &sources).map_err(TestCaseError::fail)?;
            }
        }
    }
    diagnostics_are_well_formed(&diags, &sources)
}

/// Reads `bytes` as a manuscript file: front matter, then Markdown.
pub fn manuscript_property(bytes: &[u8]) -> Result<(), TestCaseError> {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let path = Path::new("manuscript/a.md");
    if let Some(file) = variorum::files::add_bytes(
        "manuscript/a.md".into(),
        path,
        bytes,
        &mut sources,
        &mut diags,
    ) {
        let section =
            variorum::manuscript::read_section(file, sources.get(file), "a.md".into(), &mut diags);
        if let Some(section) = section {
            super::markdown::spans_are_valid(&section.section.blocks, &sources)?;
        }
    }
    diagnostics_are_well_formed(&diags, &sources)
}

/// YAML text: valid documents mutated, or arbitrary text, or arbitrary bytes.
fn yaml_input(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(mutation(), 0..8).prop_map(move |m| apply(base, &m).into_bytes()),
        1 => "\\PC{0,200}".prop_map(String::into_bytes),
        1 => "[ \\n\\t:\\-\\[\\]{}&*!|>'\"#a-c0-9]{0,200}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ]
}

fn front_matter_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(mutation(), 0..8).prop_map(|m| apply(MANUSCRIPT, &m).into_bytes()),
        1 => "---\\n[ \\n\\t:\\-\\[\\]{}&*!|>'\"#a-z0-9]{0,120}\\n---\\n\\PC{0,60}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..200),
    ]
}

/// Both targets as one strategy for the long run: `(is_footnotes, bytes)`.
fn any_yaml() -> impl Strategy<Value = (bool, Vec<u8>)> {
    prop_oneof![
        yaml_input(FOOTNOTES).prop_map(|b| (true, b)),
        front_matter_input().prop_map(|b| (false, b)),
    ]
}

fn either(input: (bool, Vec<u8>)) -> Result<(), TestCaseError> {
    if input.0 {
        footnotes_property(&input.1)
    } else {
        manuscript_property(&input.1)
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn footnotes_never_panic(bytes in yaml_input(FOOTNOTES)) {
        footnotes_property(&bytes)?;
    }

    #[test]
    fn front_matter_never_panics(bytes in front_matter_input()) {
        manuscript_property(&bytes)?;
    }
}

#[test]
fn the_unmutated_documents_are_valid() {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let file = variorum::files::add_bytes(
        "footnotes.yaml".into(),
        Path::new("footnotes.yaml"),
        FOOTNOTES.as_bytes(),
        &mut sources,
        &mut diags,
    )
    .unwrap();
    let apparatus = variorum::apparatus::read(file, sources.get(file), &mut diags).unwrap();
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(apparatus.notes.len(), 2);
    assert_eq!(apparatus.notes[1].anchor.text, "it's");
    let file = variorum::files::add_bytes(
        "a.md".into(),
        Path::new("a.md"),
        MANUSCRIPT.as_bytes(),
        &mut sources,
        &mut diags,
    )
    .unwrap();
    let section =
        variorum::manuscript::read_section(file, sources.get(file), "a.md".into(), &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(section.unwrap().section.witness.unwrap().sigil, "A");
}

#[test]
#[ignore = "long run: FUZZ_SECONDS (default 600)"]
fn long_yaml() {
    long_run("yaml", any_yaml(), either);
}
