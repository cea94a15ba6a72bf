//! The `design:` map under `edition:` in `footnotes.yaml`: the page the editor chooses.
//!
//! Every key is optional. A key is one entry of [`KEYS`] and one arm of the match in
//! [`read`]; the value readers below ([`length`], [`choice`], …) give each a located error
//! for a bad value, and unknown keys get "did you mean".

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{parse_length, Design, NotesMode, Paper, Paragraphs};
use crate::yaml::Node;

/// The keys of `edition.design`, in the order the documentation gives them.
pub(crate) const KEYS: &[&str] = &[
    "font",
    "size",
    "leading",
    "paper",
    "margins",
    "inner",
    "outer",
    "top",
    "bottom",
    "notes-size",
    "running-heads",
    "paragraphs",
    "pdf-cover",
    "citation-style",
    "notes",
    "line-numbers",
];

/// Reads `edition.design`; a bad value is reported and left at its default.
pub(crate) fn read(node: &Node, diags: &mut Diagnostics) -> Design {
    let mut design = Design::default();
    let Some(entries) = node.as_mapping("`edition.design`", KEYS, diags) else {
        return design;
    };
    for (key, value) in entries {
        let what = format!("`design.{}`", key.name);
        let d = &mut design;
        match key.name.as_str() {
            "citation-style" => {
                d.citation_style = value
                    .as_text(&what, diags)
                    .map(|name| (name.trim().to_owned(), value.span))
            }
            "font" => {
                d.font = value
                    .as_text(&what, diags)
                    .map(|name| (name.trim().to_owned(), value.span))
            }
            "size" => d.size = length(value, &what, 4.0, 72.0, diags),
            "leading" => d.leading = length(value, &what, 4.0, 100.0, diags),
            "notes-size" => d.notes_size = length(value, &what, 4.0, 72.0, diags),
            "paper" => d.paper = paper(value, &what, diags),
            "margins" => {
                let all = length(value, &what, 0.0, 720.0, diags);
                let m = &mut d.margins;
                m.inner = m.inner.or(all);
                m.outer = m.outer.or(all);
                m.top = m.top.or(all);
                m.bottom = m.bottom.or(all);
            }
            // A side given on its own wins over `margins`, wherever it is written.
            "inner" => d.margins.inner = length(value, &what, 0.0, 720.0, diags),
            "outer" => d.margins.outer = length(value, &what, 0.0, 720.0, diags),
            "top" => d.margins.top = length(value, &what, 0.0, 720.0, diags),
            "bottom" => d.margins.bottom = length(value, &what, 0.0, 720.0, diags),
            "running-heads" => d.running_heads = switch(value, &what, diags),
            "pdf-cover" => d.pdf_cover = switch(value, &what, diags),
            "paragraphs" => {
                d.paragraphs = choice(
                    value,
                    &what,
                    &[
                        ("indent", Paragraphs::Indent),
                        ("spaced", Paragraphs::Spaced),
                    ],
                    diags,
                )
            }
            "notes" => {
                d.notes = choice(
                    value,
                    &what,
                    &[
                        ("footnotes", NotesMode::Footnotes),
                        ("apparatus", NotesMode::Apparatus),
                    ],
                    diags,
                )
            }
            "line-numbers" => d.line_numbers = whole_number(value, &what, LINE_STEPS, diags),
            _ => unreachable!("as_mapping keeps only the keys of KEYS"),
        }
    }
    design
}

/// A length (`11`, `11pt`, `2cm`, `18mm`, `0.75in`) between `min` and `max` points.
pub(crate) fn length(
    node: &Node,
    what: &str,
    min: f32,
    max: f32,
    diags: &mut Diagnostics,
) -> Option<f32> {
    let text = node.as_text(what, diags)?;
    match parse_length(&text) {
        Some(v) if (min..=max).contains(&v) => Some(v),
        Some(_) => {
            diags.push(
                Diagnostic::error(format!(
                    "{what}: `{text}` is out of range ({min} to {max} points)"
                ))
                .at(node.span, "out of range")
                .hint(format!("give a length between {min}pt and {max}pt")),
            );
            None
        }
        None => {
            diags.push(
                Diagnostic::error(format!("{what}: `{text}` is not a length"))
                    .at(node.span, "not a length")
                    .hint("write a number with a unit: `11pt`, `2cm`, `18mm` or `0.75in` (a bare number is points)"),
            );
            None
        }
    }
}

/// The steps `design.line-numbers` may take: every line to every hundredth.
pub(crate) const LINE_STEPS: std::ops::RangeInclusive<u32> = 1..=100;

/// A whole number in `range` (`line-numbers: 5`).
pub(crate) fn whole_number(
    node: &Node,
    what: &str,
    range: std::ops::RangeInclusive<u32>,
    diags: &mut Diagnostics,
) -> Option<u32> {
    let text = node.as_text(what, diags)?;
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    let (min, max) = (range.start(), range.end());
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        if let Some(n) = trimmed.parse::<u32>().ok().filter(|n| range.contains(n)) {
            return Some(n);
        }
        diags.push(
            Diagnostic::error(format!(
                "{what}: `{trimmed}` is out of range ({min} to {max})"
            ))
            .at(node.span, "out of range")
            .hint(format!(
                "give a whole number from {min} to {max}: `5` numbers every fifth line"
            )),
        );
        return None;
    }
    diags.push(
        Diagnostic::error(format!("{what}: `{trimmed}` is not a whole number"))
            .at(node.span, "not a whole number")
            .hint(format!(
                "write how often a line is numbered, a whole number from {min} to {max}: `5` numbers every fifth line"
            )),
    );
    None
}

/// A paper name or `WIDTHxHEIGHT` with units.
pub(crate) fn paper(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<Paper> {
    let text = node.as_text(what, diags)?;
    let paper = Paper::parse(&text);
    if paper.is_none() {
        let mut d = Diagnostic::error(format!("{what}: `{text}` is not a paper size"))
            .at(node.span, "unknown paper");
        let names = ["a4", "letter", "a5", "b5", "royal"];
        if let Some(s) = crate::diag::did_you_mean(&text.to_ascii_lowercase(), &names) {
            d = d.hint(format!("did you mean `{s}`?"));
        }
        diags.push(d.hint(
            "write `a4`, `letter`, `a5`, `b5`, `royal`, or a size such as `170x240mm` or `6in x 9in`",
        ));
    }
    paper
}

/// `on`/`off` (also `true`/`false`, `yes`/`no`).
pub(crate) fn switch(node: &Node, what: &str, diags: &mut Diagnostics) -> Option<bool> {
    choice(
        node,
        what,
        &[
            ("on", true),
            ("off", false),
            ("true", true),
            ("false", false),
            ("yes", true),
            ("no", false),
        ],
        diags,
    )
}

/// One of a few words (any case), with "did you mean" for a near miss.
pub(crate) fn choice<T: Copy>(
    node: &Node,
    what: &str,
    options: &[(&str, T)],
    diags: &mut Diagnostics,
) -> Option<T> {
    let text = node.as_text(what, diags)?;
    let lower = text.trim().to_lowercase();
    if let Some((_, v)) = options.iter().find(|(name, _)| *name == lower) {
        return Some(*v);
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    let mut d = Diagnostic::error(format!("{what}: `{text}` is not one of its values"))
        .at(node.span, "unknown value");
    if let Some(s) = crate::diag::did_you_mean(&lower, &names) {
        d = d.hint(format!("did you mean `{s}`?"));
    }
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    diags.push(d.hint(format!("write one of {}", listed.join(", "))));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    fn design(yaml: &str) -> (Design, Diagnostics) {
        let file = SourceFile::new("f.yaml".into(), "f.yaml".into(), yaml.into());
        let mut diags = Diagnostics::default();
        let node = crate::yaml::parse(FileId(0), &file, 0, yaml.len(), &mut diags).unwrap();
        (read(&node, &mut diags), diags)
    }

    #[test]
    fn every_key_is_read() {
        let (d, diags) = design(
            "font: Liberation Serif\nsize: 10.5pt\nleading: 14\npaper: ROYAL\nmargins: 2cm\n\
             inner: 20mm\nnotes-size: 8\nrunning-heads: off\nparagraphs: spaced\n\
             notes: Apparatus\nline-numbers: 5\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            d.font.as_ref().map(|f| f.0.as_str()),
            Some("Liberation Serif")
        );
        assert_eq!(
            (d.size, d.leading, d.notes_size),
            (Some(10.5), Some(14.0), Some(8.0))
        );
        assert_eq!(d.paper, Some(Paper::Royal));
        let cm2 = 72.0 / 2.54 * 2.0;
        assert!((d.margins.inner.unwrap() - 20.0 * 72.0 / 25.4).abs() < 0.01);
        assert!((d.margins.outer.unwrap() - cm2).abs() < 0.01);
        assert_eq!(d.running_heads, Some(false));
        assert_eq!(d.paragraphs, Some(Paragraphs::Spaced));
        assert_eq!(d.notes, Some(NotesMode::Apparatus));
        assert_eq!(d.line_numbers, Some(5));
    }

    #[test]
    fn line_numbers_take_a_whole_number_from_1_to_100() {
        for (value, expected) in [("1", Some(1)), ("100", Some(100)), ("+10", Some(10))] {
            let (d, diags) = design(&format!("line-numbers: {value}\n"));
            assert!(diags.is_empty(), "{value}: {diags:?}");
            assert_eq!(d.line_numbers, expected);
        }
        for (value, message) in [
            ("0", "`0` is out of range (1 to 100)"),
            ("-5", "`-5` is out of range (1 to 100)"),
            ("101", "`101` is out of range (1 to 100)"),
            ("99999999999999999999", "is out of range (1 to 100)"),
            ("five", "`five` is not a whole number"),
            ("2.5", "`2.5` is not a whole number"),
        ] {
            let (d, diags) = design(&format!("line-numbers: {value}\n"));
            assert_eq!(d.line_numbers, None, "{value}");
            let all: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
            assert!(
                all.len() == 1 && all[0].contains(message),
                "{value}: {all:?}"
            );
            assert!(diags.iter().all(|d| d.span.is_some()));
        }
    }

    #[test]
    fn papers_by_name_and_size() {
        assert_eq!(Paper::parse("Letter"), Some(Paper::Letter));
        assert_eq!(Paper::parse("b5"), Some(Paper::B5));
        let Some(Paper::Custom { width, height }) = Paper::parse("6in x 9in") else {
            panic!()
        };
        assert_eq!((width, height), (432.0, 648.0));
        let Some(Paper::Custom { width, .. }) = Paper::parse("170x240mm") else {
            panic!()
        };
        assert!((width - 481.9).abs() < 0.1);
        assert_eq!(Paper::parse("a3"), None);
        assert_eq!(Paper::parse("1x1mm"), None);
    }

    #[test]
    fn bad_values_and_unknown_keys_are_located_with_suggestions() {
        let (d, diags) = design("size: big\npaper: leter\nparagraphs: indnet\nleadin: 3\n");
        assert_eq!(d, Design::default());
        let all: Vec<String> = diags
            .iter()
            .map(|d| format!("{} | {}", d.message, d.hints.join(" ")))
            .collect();
        assert_eq!(all.len(), 4, "{all:?}");
        let has = |s: &str| all.iter().any(|m| m.contains(s));
        assert!(has("`design.size`: `big` is not a length"), "{all:?}");
        assert!(has("`leter` is not a paper size | did you mean `letter`?"));
        assert!(has(
            "`indnet` is not one of its values | did you mean `indent`?"
        ));
        assert!(all
            .iter()
            .any(|m| m.contains("unknown key `leadin`") && m.contains("`leading`")));
        assert!(diags.iter().all(|d| d.span.is_some()));
        let (_, diags) = design("size: 200\n");
        assert!(diags
            .iter()
            .next()
            .unwrap()
            .message
            .contains("out of range"));
    }
}
