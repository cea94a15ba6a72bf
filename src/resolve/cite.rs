//! Citations: `[@key]`, `[@key, p. 3]` and `[@key1; @key2]` in the notes and the editorial
//! sections, checked against the bibliography, rendered in place with a CSL style (hayagriva)
//! and gathered in a generated **Bibliography** at the end of the book.
//!
//! Citations are rendered in reading order: a section's text up to each note mark, then that
//! note, so that a note style gives the full form at a work's first citation and the short
//! form afterwards. Each rendered item links to its entry (`#bib-N`).

use crate::bibliography::Bibliography;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::{Block, Edition, Inline, Link, Role, Section, Style};
use crate::source::{SourceMap, Span};
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{FontStyle, FontWeight, IndependentStyle, LocaleCode};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Entry, LocatorPayload, SpecificLocator,
};
use std::collections::BTreeMap;

/// The style used when `design.citation-style` is not given.
pub const DEFAULT_STYLE: &str = "chicago-notes";

/// One cited work within a citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteItem {
    pub key: String,
    /// Byte range of `@key` within the citation's text.
    pub key_range: std::ops::Range<usize>,
    /// The locator as written, e.g. `p. 3`.
    pub locator: Option<String>,
}

/// A citation found in a text: its byte range (brackets included) and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: std::ops::Range<usize>,
    pub items: Vec<CiteItem>,
}

/// Every well-formed citation in `text`, in order. A bracket that does not hold `@key`
/// items separated by `;` is left as text.
pub fn find(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[@").map(|i| i + from) {
        match parse_at(text, i) {
            Some(found) => {
                from = found.range.end;
                out.push(found);
            }
            None => from = i + 2,
        }
    }
    out
}

/// The citation opening at `text[start..]` (which begins with `[@`).
fn parse_at(text: &str, start: usize) -> Option<Found> {
    let close = text[start..].find(']')? + start;
    let inner = &text[start + 1..close];
    if inner.contains('[') {
        return None;
    }
    let mut items = Vec::new();
    let mut offset = start + 1;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let body = part.trim();
        let rest = body.strip_prefix('@')?;
        let key_len = rest
            .find(|c: char| !(c.is_alphanumeric() || "_-:./".contains(c)))
            .unwrap_or(rest.len());
        let key = rest[..key_len].trim_end_matches(['.', ':']);
        if key.is_empty() {
            return None;
        }
        let after = rest[key.len()..].trim();
        let locator = match after.strip_prefix(',') {
            Some(l) if !l.trim().is_empty() => Some(l.trim().to_owned()),
            Some(_) => return None,
            None if after.is_empty() => None,
            None => return None,
        };
        let key_start = offset + lead;
        items.push(CiteItem {
            key: key.to_owned(),
            key_range: key_start..key_start + 1 + key.len(),
            locator,
        });
        offset += part.len() + 1;
    }
    Some(Found {
        range: start..close + 1,
        items,
    })
}

/// A locator as written → its CSL kind and the value: `p. 3`, `pp. 3–5`, `ch. 2`, `§ 4`, …;
/// a bare number is a page; anything else is shown as written.
fn locator(text: &str) -> (Locator, &str) {
    const LABELS: &[(&str, Locator)] = &[
        ("pp.", Locator::Page),
        ("p.", Locator::Page),
        ("chap.", Locator::Chapter),
        ("ch.", Locator::Chapter),
        ("sec.", Locator::Section),
        ("§§", Locator::Section),
        ("§", Locator::Section),
        ("para.", Locator::Paragraph),
        ("¶", Locator::Paragraph),
        ("ll.", Locator::Line),
        ("l.", Locator::Line),
        ("vol.", Locator::Volume),
        ("fol.", Locator::Folio),
        ("col.", Locator::Column),
        ("n.", Locator::Note),
    ];
    for (label, kind) in LABELS {
        if let Some(rest) = text.strip_prefix(label) {
            let rest = rest.trim_start();
            if !rest.is_empty() {
                return (*kind, rest);
            }
        }
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        (Locator::Page, text)
    } else {
        (Locator::Custom, text)
    }
}

/// A work of a citation with its locator (kind and value), ready for hayagriva.
type CitedEntry<'a> = (&'a Entry, Option<(Locator, &'a str)>);

/// Whose text holds a citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Owner {
    Section(usize),
    Note(usize),
}

/// A citation found, with what is needed to render it.
struct Site {
    owner: Owner,
    items: Vec<CiteItem>,
    note_number: Option<usize>,
}

/// Checks every citation against the bibliography, renders them in place and appends the
/// Bibliography to `edition`. Problems go to `diags`; on error the edition is left as is.
pub fn apply(
    edition: &mut Edition,
    bibliography: Option<&Bibliography>,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) {
    let choice = edition.meta.design.citation_style.clone();
    let sites = collect(edition, bibliography, sources, diags);
    let Some(bibliography) = bibliography else {
        return;
    };
    // Entries never cited.
    for (key, span) in &bibliography.keys {
        if !sites.iter().any(|s| s.items.iter().any(|i| &i.key == key)) {
            diags.push(
                Diagnostic::warning(format!("`{key}` is in the bibliography but never cited"))
                    .at(*span, "never cited")
                    .hint(format!(
                        "cite it with `[@{key}]` in a note or an editorial section, or remove it"
                    )),
            );
        }
    }
    let Some(style) = style(choice.as_ref(), diags) else {
        return;
    };
    if sites.is_empty() || diags.has_errors() {
        return;
    }
    let locales = hayagriva::archive::locales();
    let locale = Some(LocaleCode(edition.meta.language.clone()));
    let entries: Vec<Vec<CitedEntry>> = sites
        .iter()
        .map(|site| {
            site.items
                .iter()
                .filter_map(|item| {
                    let entry = bibliography.library.get(&item.key)?;
                    Some((entry, item.locator.as_deref().map(locator)))
                })
                .collect()
        })
        .collect();
    let mut driver = BibliographyDriver::new();
    for (site, items) in sites.iter().zip(&entries) {
        let items = items
            .iter()
            .map(|(entry, loc)| {
                CitationItem::with_locator(
                    *entry,
                    loc.map(|(kind, value)| SpecificLocator(kind, LocatorPayload::Str(value))),
                )
            })
            .collect();
        driver.citation(CitationRequest::new(
            items,
            &style,
            locale.clone(),
            &locales,
            site.note_number,
        ));
    }
    let rendered = driver.finish(BibliographyRequest::new(&style, locale, &locales));
    let Some(list) = rendered.bibliography else {
        let name = choice.as_ref().map_or(DEFAULT_STYLE, |(s, _)| s.as_str());
        let mut d = Diagnostic::error(format!("the citation style `{name}` makes no bibliography"))
            .hint(
                "choose a style with a bibliography, e.g. `chicago-notes` or `chicago-author-date`",
            );
        if let Some((_, span)) = &choice {
            d = d.at(*span, "no bibliography");
        }
        diags.push(d);
        return;
    };
    // Entry ids in bibliography order.
    let ids: BTreeMap<&str, String> = list
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| (item.key.as_str(), format!("bib-{}", n + 1)))
        .collect();
    // The rendered citations, by owner and position within the owner.
    let mut by_owner: BTreeMap<Owner, Vec<Vec<Inline>>> = BTreeMap::new();
    for (site, citation) in sites.iter().zip(&rendered.citations) {
        let targets: Vec<Option<Link>> = site
            .items
            .iter()
            .map(|i| ids.get(i.key.as_str()).map(|id| Link::Place(id.clone())))
            .collect();
        let span = bibliography.span_of(&site.items[0].key).unwrap_or_default();
        let inlines = citation_inlines(&citation.citation, &targets, span);
        by_owner.entry(site.owner).or_default().push(inlines);
    }
    for (owner, mut list) in by_owner {
        list.reverse();
        let blocks = match owner {
            Owner::Section(i) => &mut edition.sections[i].blocks,
            Owner::Note(i) => &mut edition.notes[i].body,
        };
        replace(blocks, &mut list);
    }
    // The Bibliography.
    let whole = Span::new(bibliography.file, 0, 0);
    let heading = edition
        .meta
        .labels
        .get(crate::labels::Label::Bibliography)
        .to_owned();
    let mut blocks = vec![Block::Heading {
        level: 1,
        content: vec![text_run(&heading, Style::default(), None, whole)],
    }];
    for item in &list.items {
        let span = bibliography.span_of(&item.key).unwrap_or(whole);
        let mut content = Vec::new();
        if let Some(first) = &item.first_field {
            push_child(first, Style::default(), None, span, &mut content);
            content.push(text_run(" ", Style::default(), None, span));
        }
        push_children(&item.content, Style::default(), None, span, &mut content);
        blocks.push(Block::Entry {
            id: ids[item.key.as_str()].clone(),
            content,
        });
    }
    edition.sections.push(Section {
        role: Role::Back,
        file_name: crate::bibliography::YAML_NAME.replace(".yaml", ""),
        title: heading,
        witness: None,
        language: None,
        numbers: vec![None; blocks.len()],
        blocks,
    });
}

/// The style named by `design.citation-style`, or the default.
fn style(choice: Option<&(String, Span)>, diags: &mut Diagnostics) -> Option<IndependentStyle> {
    let name = choice.map_or(DEFAULT_STYLE, |(s, _)| s.as_str());
    let Some(archived) = ArchivedStyle::by_name(name) else {
        let names: Vec<&str> = ArchivedStyle::all()
            .iter()
            .flat_map(|s| s.names().iter().copied())
            .collect();
        let mut d = Diagnostic::error(format!("unknown citation style `{name}`"));
        if let Some((_, span)) = choice {
            d = d.at(*span, "citation-style");
        }
        d = match did_you_mean(name, &names) {
            Some(s) => d.hint(format!("did you mean `{s}`?")),
            None => d.hint("the bundled styles include chicago-notes, chicago-author-date, apa, mla, modern-humanities-research-association-notes and ieee; see docs/format.md"),
        };
        diags.push(d);
        return None;
    };
    match archived.get() {
        hayagriva::citationberg::Style::Independent(style) => Some(style),
        hayagriva::citationberg::Style::Dependent(_) => {
            let mut d =
                Diagnostic::error(format!("the citation style `{name}` cannot be used alone"));
            if let Some((_, span)) = choice {
                d = d.at(*span, "citation-style");
            }
            diags.push(d.hint("choose another bundled style, e.g. `chicago-notes`"));
            None
        }
    }
}

/// Every citation in reading order, checked against the bibliography.
fn collect(
    edition: &Edition,
    bibliography: Option<&Bibliography>,
    sources: &SourceMap,
    diags: &mut Diagnostics,
) -> Vec<Site> {
    let keys: Vec<&str> = bibliography
        .map(|b| b.keys.iter().map(|(k, _)| k.as_str()).collect())
        .unwrap_or_default();
    let mut sites = Vec::new();
    let mut check = |owner: Owner, note_number: Option<usize>, inlines: &[Inline]| {
        for inline in inlines {
            let Inline::Text { text, span, .. } = inline else {
                continue;
            };
            for found in find(text) {
                let mut ok = true;
                for item in &found.items {
                    if keys.contains(&item.key.as_str()) {
                        continue;
                    }
                    ok = false;
                    let at = locate(sources, *span, text, item);
                    let mut d = Diagnostic::error(format!("unknown citation key `@{}`", item.key))
                        .at(at, "not in the bibliography");
                    d = match (bibliography, did_you_mean(&item.key, &keys)) {
                        (None, _) => d.hint(format!(
                            "list the works cited in `{}` (or `{}`) in the project's folder",
                            crate::bibliography::YAML_NAME,
                            crate::bibliography::BIB_NAME
                        )),
                        (Some(_), Some(s)) => d.hint(format!("did you mean `@{s}`?")),
                        (Some(_), None) => {
                            d.hint("add the work to the bibliography under this key")
                        }
                    };
                    diags.push(d);
                }
                if ok {
                    sites.push(Site {
                        owner,
                        items: found.items,
                        note_number,
                    });
                }
            }
        }
    };
    for (s, section) in edition.sections.iter().enumerate() {
        let mut order = 0;
        super::for_each_text_block(&section.blocks, &mut order, &mut |_, content| {
            check(Owner::Section(s), None, content);
            for inline in content {
                if let Inline::NoteRef { index } = inline {
                    let note = &edition.notes[*index];
                    let mut order = 0;
                    let mut inner: Vec<&[Inline]> = Vec::new();
                    super::for_each_text_block(&note.body, &mut order, &mut |_, c| inner.push(c));
                    for c in inner {
                        check(Owner::Note(*index), Some(note.number), c);
                    }
                }
            }
        });
    }
    sites
}

/// The span of `@key` in the source: exact when the run's text is the source's, else the
/// first `@key` within the run's span, else the run's span.
fn locate(sources: &SourceMap, span: Span, text: &str, item: &CiteItem) -> Span {
    let source = &sources.get(span.file).text;
    let Some(slice) = source.get(span.start..span.end) else {
        return span;
    };
    let needle = format!("@{}", item.key);
    if slice == text {
        return Span::new(
            span.file,
            span.start + item.key_range.start,
            span.start + item.key_range.end,
        );
    }
    match slice.find(&needle) {
        Some(i) => Span::new(span.file, span.start + i, span.start + i + needle.len()),
        None => span,
    }
}

/// Replaces each citation in the text blocks with the next of `rendered` (kept reversed).
fn replace(blocks: &mut [Block], rendered: &mut Vec<Vec<Inline>>) {
    let mut order = 0;
    super::for_each_text_block_mut(blocks, &mut order, &mut |_, content| {
        if !content
            .iter()
            .any(|i| matches!(i, Inline::Text { text, .. } if text.contains("[@")))
        {
            return;
        }
        let mut out = Vec::with_capacity(content.len());
        for inline in content.drain(..) {
            let Inline::Text {
                text,
                style,
                link,
                span,
            } = &inline
            else {
                out.push(inline);
                continue;
            };
            let found = find(text);
            if found.is_empty() {
                out.push(inline);
                continue;
            }
            let mut from = 0;
            for f in found {
                if f.range.start > from {
                    out.push(text_run(
                        &text[from..f.range.start],
                        *style,
                        link.clone(),
                        *span,
                    ));
                }
                if let Some(mut runs) = rendered.pop() {
                    // The style's closing full stop gives way to the editor's punctuation.
                    let next = text[f.range.end..].chars().next();
                    if next.is_some_and(|c| ".,;:!?".contains(c)) {
                        if let Some(Inline::Text { text, .. }) = runs.last_mut() {
                            if text.ends_with('.') {
                                text.pop();
                            }
                        }
                    }
                    out.extend(runs);
                }
                from = f.range.end;
            }
            if from < text.len() {
                out.push(text_run(&text[from..], *style, link.clone(), *span));
            }
        }
        *content = out;
    });
}

fn text_run(text: &str, style: Style, link: Option<Link>, span: Span) -> Inline {
    Inline::Text {
        text: text.to_owned(),
        style,
        link,
        span,
    }
}

/// A rendered citation as inline runs, each item's part linking to its entry.
fn citation_inlines(children: &ElemChildren, targets: &[Option<Link>], span: Span) -> Vec<Inline> {
    let mut out = Vec::new();
    push_cited(children, Style::default(), None, targets, span, &mut out);
    // A style that does not mark its items: the whole citation links to the first work.
    if !out
        .iter()
        .any(|i| matches!(i, Inline::Text { link: Some(_), .. }))
    {
        for inline in &mut out {
            if let Inline::Text { link, .. } = inline {
                link.clone_from(&targets[0]);
            }
        }
    }
    out
}

fn push_cited(
    children: &ElemChildren,
    style: Style,
    link: Option<&Link>,
    targets: &[Option<Link>],
    span: Span,
    out: &mut Vec<Inline>,
) {
    for child in &children.0 {
        match child {
            ElemChild::Elem(elem) => {
                let link = match elem.meta {
                    Some(hayagriva::ElemMeta::Entry(i)) => {
                        targets.get(i).and_then(|t| t.as_ref()).or(link)
                    }
                    _ => link,
                };
                push_cited(&elem.children, style, link, targets, span, out);
            }
            other => push_child(other, style, link, span, out),
        }
    }
}

fn push_children(
    children: &ElemChildren,
    style: Style,
    link: Option<&Link>,
    span: Span,
    out: &mut Vec<Inline>,
) {
    for child in &children.0 {
        push_child(child, style, link, span, out);
    }
}

fn push_child(
    child: &ElemChild,
    style: Style,
    link: Option<&Link>,
    span: Span,
    out: &mut Vec<Inline>,
) {
    let styled = |f: &hayagriva::Formatting| Style {
        italic: style.italic || f.font_style == FontStyle::Italic,
        bold: style.bold || f.font_weight == FontWeight::Bold,
        code: false,
        strike: style.strike,
    };
    let mut push = |text: &str, style: Style, link: Option<&Link>| {
        if text.is_empty() {
            return;
        }
        // Runs of one style and link are merged.
        if let Some(Inline::Text {
            text: last,
            style: s,
            link: l,
            ..
        }) = out.last_mut()
        {
            if *s == style && l.as_ref() == link {
                last.push_str(text);
                return;
            }
        }
        out.push(text_run(text, style, link.cloned(), span));
    };
    match child {
        ElemChild::Text(t) => push(&t.text, styled(&t.formatting), link),
        ElemChild::Markup(m) => push(m, style, link),
        // A web address in an entry stays a web link; in a citation it links to the entry.
        ElemChild::Link { text, url } => {
            let web = Link::web(url);
            push(&text.text, styled(&text.formatting), link.or(web.as_ref()))
        }
        ElemChild::Elem(elem) => push_children(&elem.children, style, link, span, out),
        ElemChild::Transparent { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_citations() {
        let f = find("See [@melville] and [@a; @b, p. 3]. Not [this] nor [@].");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].items[0].key, "melville");
        assert_eq!(f[0].range, 4..15);
        assert_eq!(f[1].items.len(), 2);
        assert_eq!(f[1].items[1].key, "b");
        assert_eq!(f[1].items[1].locator.as_deref(), Some("p. 3"));
        let text = "x [@a; @b, p. 3]";
        let r = &f[1].items[1].key_range;
        assert_eq!(&"See [@melville] and [@a; @b, p. 3]"[r.clone()], "@b");
        assert_eq!(find(text).len(), 1);
        assert!(find("mail [@ me]").is_empty());
        assert!(find("[@a b]").is_empty());
    }

    #[test]
    fn locators() {
        assert_eq!(locator("p. 3"), (Locator::Page, "3"));
        assert_eq!(locator("pp. 3–5"), (Locator::Page, "3–5"));
        assert_eq!(locator("12"), (Locator::Page, "12"));
        assert_eq!(locator("§ 4"), (Locator::Section, "4"));
        assert_eq!(locator("chap. 2"), (Locator::Chapter, "2"));
        assert_eq!(locator("frontispiece"), (Locator::Custom, "frontispiece"));
    }
}
