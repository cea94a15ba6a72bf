//! Target 3: anchoring. Random witness paragraphs (quotes straight and curly, NFC and NFD,
//! combining marks, white space of every kind) and anchors cut from them or made up.
//!
//! Properties: an anchor cut from the text at word boundaries is always found, however its
//! quotes, white space and Unicode form differ; wherever a mark is placed, the text before it
//! ends with the anchor's normalised text; the linear-time search finds exactly what a naive
//! search finds.

use super::{config, long_run};
use proptest::prelude::*;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;
use variorum::apparatus::{Apparatus, Located, RawNote};
use variorum::diag::Diagnostics;
use variorum::manuscript::Manuscript;
use variorum::model::{plain_text, Block, EditionMeta, Inline, NoteKind};
use variorum::resolve::anchor::{normalize, occurrences, NormText};
use variorum::source::{SourceMap, Span};

/// Words that Markdown leaves as they are, so the witness's text is exactly the words.
const WORDS: &[&str] = &[
    "On",
    "January",
    "1,",
    "1988,",
    "1988",
    "the",
    "Ayatollah",
    "wrote",
    "to",
    "Gorbachev.",
    "café",
    "cafe\u{301}",
    "Iran's",
    "Iran\u{2019}s",
    "\"letter\"",
    "\u{201c}letter\u{201d}",
    "q\u{307}",
    "Ñandú",
    "N\u{303}andu\u{301}",
    "s\u{323}\u{307}",
    "s\u{307}\u{323}",
    "\u{1e69}",
    "—",
    "…",
    "x",
    "Эрик",
    "██",
    "(a)",
    "it's",
    "it\u{2019}s",
    "Å",
    "A\u{30a}",
    "\u{212b}",
    "ﬁ",
    "e\u{301}\u{301}",
    "'",
    "\u{2018}",
    "1",
    "a",
    "aa",
];

const SEPARATORS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\t", "\u{a0}", "  \n", "\u{2003}",
];

/// A paragraph: its words and the separator after each.
#[derive(Debug, Clone)]
struct Paragraph {
    words: Vec<(&'static str, &'static str)>,
}

impl Paragraph {
    fn text(&self) -> String {
        let mut out = String::new();
        for (i, (w, sep)) in self.words.iter().enumerate() {
            out.push_str(w);
            if i + 1 < self.words.len() {
                out.push_str(sep);
            }
        }
        out
    }
}

fn paragraph() -> impl Strategy<Value = Paragraph> {
    prop::collection::vec(
        (
            prop::sample::select(WORDS),
            prop::sample::select(SEPARATORS),
        ),
        1..40,
    )
    .prop_map(|words| Paragraph { words })
}

/// How an editor's anchor may differ from the witness without being wrong.
#[derive(Debug, Clone, Copy)]
struct Variation {
    form: u8,
    quotes: u8,
    space: &'static str,
}

fn variation() -> impl Strategy<Value = Variation> {
    (
        0u8..3,
        0u8..3,
        prop::sample::select(vec![" ", "  ", "\n", " \n  "]),
    )
        .prop_map(|(form, quotes, space)| Variation {
            form,
            quotes,
            space,
        })
}

fn vary(words: &[(&str, &str)], v: Variation) -> String {
    let joined = words
        .iter()
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join(v.space);
    let formed: String = match v.form {
        0 => joined,
        1 => joined.nfd().collect(),
        _ => joined.nfc().collect(),
    };
    match v.quotes {
        0 => formed,
        1 => formed
            .replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201c}', '\u{201d}'], "\""),
        _ => formed.replace('\'', "\u{2019}").replace('"', "\u{201d}"),
    }
}

/// How an anchor is made for a case.
#[derive(Debug, Clone)]
enum AnchorCase {
    /// Words `from..=to` of the paragraph, varied.
    Cut {
        from: usize,
        to: usize,
        variation: Variation,
    },
    /// Characters `from..to` of the paragraph's text, as they stand.
    Slice { from: usize, to: usize },
    /// Made-up text.
    Free(String),
}

fn anchor_case() -> impl Strategy<Value = AnchorCase> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>(), variation())
            .prop_map(|(from, to, variation)| AnchorCase::Cut { from, to, variation }),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(from, to)| AnchorCase::Slice { from, to }),
        1 => prop::collection::vec(prop::sample::select(WORDS), 1..4)
            .prop_map(|w| AnchorCase::Free(w.join(" "))),
    ]
}

fn located(text: &str) -> Located {
    Located {
        text: text.to_owned(),
        span: Span::default(),
    }
}

/// Resolves one note with `anchor` in a witness whose body is `body`.
fn resolve(body: &str, anchor: &str) -> (Option<variorum::model::Edition>, Diagnostics) {
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let file = format!("---\nsigil: A\ntitle: Title\n---\n\n{body}\n");
    let id = variorum::files::add_bytes(
        "a.md".into(),
        Path::new("a.md"),
        file.as_bytes(),
        &mut sources,
        &mut diags,
    )
    .expect("the witness is valid UTF-8");
    let section =
        variorum::manuscript::read_section(id, sources.get(id), "a.md".into(), &mut diags)
            .expect("the witness has valid front matter");
    assert!(
        diags.is_empty(),
        "the generated witness is valid: {diags:?}"
    );
    let note = RawNote {
        id: located("a"),
        witness: located("A"),
        on: variorum::apparatus::NoteOn::Witness,
        anchor: located(anchor),
        before: None,
        after: None,
        occurrence: None,
        kind: NoteKind::Provenance,
        text: located("A note."),
        readings: Vec::new(),
        span: Span::default(),
    };
    let apparatus = Apparatus {
        file: id,
        meta: None,
        notes: vec![note],
        index: Vec::new(),
        events: Vec::new(),
    };
    let meta = EditionMeta {
        title: "T".into(),
        subtitle: None,
        editor: "E".into(),
        language: "en".into(),
        identifier: "x".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        accessibility: Default::default(),
        cover: None,
        design: Default::default(),
        labels: Default::default(),
        selection: None,
    };
    let manuscript = Manuscript {
        sections: vec![section],
        complete: true,
    };
    let edition = variorum::resolve::resolve(manuscript, apparatus, meta, &mut diags);
    (edition, diags)
}

/// The plain text before the first note mark of the first block that has one.
fn text_before_mark(blocks: &[Block]) -> Option<String> {
    for block in blocks {
        if let Block::Paragraph(content) | Block::Heading { content, .. } = block {
            if let Some(at) = content
                .iter()
                .position(|i| matches!(i, Inline::NoteRef { .. }))
            {
                return Some(plain_text(&content[..at]));
            }
        }
    }
    None
}

fn property((para, case): (Paragraph, AnchorCase)) -> Result<(), TestCaseError> {
    let body = para.text();
    let n = para.words.len();
    let (anchor, must_be_found) = match &case {
        AnchorCase::Cut {
            from,
            to,
            variation,
        } => {
            let (a, b) = (from % n, to % n);
            let (a, b) = (a.min(b), a.max(b));
            (vary(&para.words[a..=b], *variation), true)
        }
        AnchorCase::Slice { from, to } => {
            let chars: Vec<(usize, char)> = body.char_indices().collect();
            let (a, b) = (from % (chars.len() + 1), to % (chars.len() + 1));
            let (a, b) = (a.min(b), a.max(b));
            let start = chars.get(a).map_or(body.len(), |c| c.0);
            let end = chars.get(b).map_or(body.len(), |c| c.0);
            (body[start..end].to_owned(), false)
        }
        AnchorCase::Free(text) => (text.clone(), false),
    };
    if normalize(&anchor).is_empty() {
        return Ok(());
    }
    let (edition, diags) = resolve(&body, &anchor);
    let not_found = diags
        .iter()
        .any(|d| d.message.contains("is not in witness"));
    if must_be_found {
        prop_assert!(
            !not_found,
            "anchor {anchor:?} not found in {body:?}: {diags:?}"
        );
    }
    if let Some(edition) = edition {
        let before = text_before_mark(&edition.sections[0].blocks)
            .ok_or_else(|| TestCaseError::fail("no mark was placed"))?;
        prop_assert!(
            normalize(&before).ends_with(&normalize(&anchor)),
            "mark after {before:?}, anchor {anchor:?}, body {body:?}"
        );
    }
    Ok(())
}

/// The search as first written: quadratic, but obviously right.
fn naive(
    hay: &str,
    anchor: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Vec<(usize, usize)> {
    let word = |c: char| c.is_alphanumeric();
    let mut found = Vec::new();
    if anchor.is_empty() {
        return found;
    }
    for (start, _) in hay.char_indices() {
        if !hay[start..].starts_with(anchor) {
            continue;
        }
        let end = start + anchor.len();
        let starts_word = anchor.chars().next().is_some_and(word);
        let ends_word = anchor.chars().next_back().is_some_and(word);
        let combining = |c: char| unicode_normalization::char::canonical_combining_class(c) != 0;
        let boundary = (!starts_word || !hay[..start].chars().next_back().is_some_and(word))
            && (!ends_word || !hay[end..].chars().next().is_some_and(word))
            && !hay[start..].chars().next().is_some_and(combining)
            && !hay[end..].chars().next().is_some_and(combining);
        if boundary
            && before.is_none_or(|b| hay[..start].trim_end().ends_with(b))
            && after.is_none_or(|a| hay[end..].trim_start().starts_with(a))
        {
            found.push((start, end));
        }
    }
    found
}

fn small_text() -> impl Strategy<Value = String> {
    "[ab .\u{301}é]{0,40}"
}

fn search_property(
    (hay, anchor, before, after): (String, String, Option<String>, Option<String>),
) -> Result<(), TestCaseError> {
    let hay = NormText::new(&hay).text;
    let before = before.map(|b| normalize(&b)).filter(|b| !b.is_empty());
    let after = after.map(|a| normalize(&a)).filter(|a| !a.is_empty());
    let anchor = normalize(&anchor);
    prop_assert_eq!(
        occurrences(&hay, &anchor, before.as_deref(), after.as_deref()),
        naive(&hay, &anchor, before.as_deref(), after.as_deref())
    );
    Ok(())
}

fn search_input() -> impl Strategy<Value = (String, String, Option<String>, Option<String>)> {
    (
        small_text(),
        "[ab .\u{301}é]{1,4}",
        prop::option::of("[ab .]{0,3}"),
        prop::option::of("[ab .]{0,3}"),
    )
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn anchors_are_found_and_marked_after_their_text(input in (paragraph(), anchor_case())) {
        property(input)?;
    }

    #[test]
    fn the_linear_search_finds_what_a_naive_one_finds(input in search_input()) {
        search_property(input)?;
    }
}

#[test]
#[ignore = "long run: FUZZ_SECONDS (default 600)"]
fn long_anchor() {
    long_run(
        "anchor",
        prop_oneof![
            3 => (paragraph(), anchor_case()).prop_map(|x| (Some(x), None)),
            1 => search_input().prop_map(|x| (None, Some(x))),
        ],
        |(a, s)| match (a, s) {
            (Some(a), _) => property(a),
            (_, Some(s)) => search_property(s),
            _ => Ok(()),
        },
    );
}
