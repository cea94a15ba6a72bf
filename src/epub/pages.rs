//! The generated pages and the reading order: cover, title page, contents, then the
//! edition's parts (front sections, Witnesses, the witnesses' chapters, Points of divergence,
//! back sections).

use super::text::{Markup, PageBreak};
use super::xhtml::{chapter, document};
use super::{Book, Page, PageKind, CONTENTS, COVER, DIVERGENCES, TITLE_PAGE, WITNESSES};
use crate::labels::Label;
use crate::model::{Link, Part, Witness};
use crate::page_list::PageStart;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// A page of the book, before it is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PageSource {
    Cover,
    TitlePage,
    Contents,
    /// The chapter of a manuscript section, by index.
    Section(usize),
    Witnesses,
    Divergences,
}

/// Every page in reading order: cover, title page, contents, then the edition's parts
/// ([`crate::model::Edition::parts`]).
pub(crate) fn reading_order(book: &Book) -> Vec<PageSource> {
    let mut order = vec![
        PageSource::Cover,
        PageSource::TitlePage,
        PageSource::Contents,
    ];
    order.extend(book.edition.parts().into_iter().map(|part| match part {
        Part::Section(index) => PageSource::Section(index),
        Part::Witnesses => PageSource::Witnesses,
        Part::Divergences => PageSource::Divergences,
    }));
    order
}

/// A page's entry in the contents.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    file: String,
    title: String,
    headings: Vec<(String, String)>,
}

/// The contents' entries: every page after the contents, rendered (in parallel) for its title
/// and headings and then dropped.
pub(crate) fn listings(book: &Book, order: &[PageSource]) -> Vec<Listing> {
    let after = order
        .iter()
        .position(|&p| p == PageSource::Contents)
        .map_or(0, |at| at + 1);
    order[after..]
        .par_iter()
        .map(|&source| {
            let page = render(book, source, &[], Vec::new());
            Listing {
                file: page.file,
                title: page.title,
                headings: page.headings,
            }
        })
        .collect()
}

/// Renders one page, marking where the pages `breaks` of the print edition begin in it;
/// the contents lists `listings`.
pub(crate) fn render(
    book: &Book,
    source: PageSource,
    listings: &[Listing],
    breaks: Vec<PageBreak>,
) -> Page {
    let m = Markup::with_breaks(book, breaks);
    match source {
        PageSource::Cover => cover(book, m),
        PageSource::TitlePage => title_page(book, m),
        PageSource::Contents => contents(book, listings, m),
        PageSource::Section(index) => chapter(book, index, m.into_breaks()),
        PageSource::Witnesses => witnesses(book, m),
        PageSource::Divergences => divergences(book, m),
    }
}

/// The document a page of the print edition begins in.
pub(crate) fn source_of(start: &PageStart) -> PageSource {
    match *start {
        PageStart::Cover => PageSource::Cover,
        PageStart::TitlePage => PageSource::TitlePage,
        PageStart::Contents { .. } => PageSource::Contents,
        PageStart::Text { section, .. } | PageStart::SectionEnd { section } => {
            PageSource::Section(section)
        }
        PageStart::Witnesses { .. } => PageSource::Witnesses,
        PageStart::Divergences { .. } | PageStart::DivergencesEnd => PageSource::Divergences,
    }
}

fn page(book: &Book, file: &str, title: &str, kind: PageKind, body_type: &str, m: Markup) -> Page {
    Page {
        file: file.to_owned(),
        title: title.to_owned(),
        kind,
        xhtml: document(&book.edition.meta.language, title, body_type, &m.out),
        headings: m.headings,
        page_breaks: m.placed,
    }
}

/// The cover image with its text alternative; without an image, title, subtitle and editor.
fn cover(book: &Book, mut m: Markup) -> Page {
    let meta = &book.edition.meta;
    if let Some(image) = book.cover {
        m.raw("<section epub:type=\"cover\" class=\"cover-image\">\n");
        m.remaining_page_breaks();
        m.raw("<img role=\"doc-cover\" src=\"");
        m.attr(image.file());
        m.raw("\" alt=\"");
        m.attr(&image.alt);
        m.raw("\"/>\n</section>\n");
        return page(book, COVER, "Cover", PageKind::Cover, "frontmatter", m);
    }
    m.raw("<section epub:type=\"cover\" class=\"cover\" aria-labelledby=\"title\">\n");
    m.remaining_page_breaks();
    m.plain_title("book-title", &meta.title);
    if let Some(subtitle) = &meta.subtitle {
        m.element("p", "book-subtitle", subtitle);
    }
    m.element("p", "book-editor", &meta.editor);
    m.raw("</section>\n");
    page(
        book,
        COVER,
        book.edition.meta.labels.get(Label::Cover),
        PageKind::Cover,
        "frontmatter",
        m,
    )
}

/// Title, subtitle, editor, the edition's date and identifier.
fn title_page(book: &Book, mut m: Markup) -> Page {
    let meta = &book.edition.meta;
    m.raw("<section epub:type=\"titlepage\" class=\"title-page\" aria-labelledby=\"title\">\n");
    m.remaining_page_breaks();
    m.plain_title("book-title", &meta.title);
    if let Some(subtitle) = &meta.subtitle {
        m.element("p", "book-subtitle", subtitle);
    }
    if let Some(sigla) = &meta.selection {
        m.element("p", "selection", &meta.labels.selection(sigla));
    }
    m.raw("<p class=\"book-editor\"><span class=\"label\">Edited by </span>");
    m.text(&meta.editor);
    m.raw("</p>\n<p class=\"colophon\">Edition of <time datetime=\"");
    let date = meta.date.to_string();
    m.attr(&date);
    m.raw("\">");
    m.text(&crate::labels::human_date(&date, &meta.language));
    m.raw("</time><br/>");
    m.text(&meta.identifier);
    m.raw("</p>\n</section>\n");
    page(
        book,
        TITLE_PAGE,
        book.edition.meta.labels.get(Label::TitlePage),
        PageKind::TitlePage,
        "frontmatter",
        m,
    )
}

/// The contents, in reading order, with the sections' subheadings.
fn contents(book: &Book, pages: &[Listing], mut m: Markup) -> Page {
    m.raw("<nav epub:type=\"toc\" role=\"doc-toc\" aria-labelledby=\"title\">\n");
    m.page_breaks(|start| matches!(start, PageStart::Contents { entry: 0 }));
    m.plain_title("", book.edition.meta.labels.get(Label::Contents));
    m.raw("<ol>\n");
    // The print contents' entries, counted as they are here: each page, then its headings.
    let mut entry = 0;
    let mut entry_breaks = |m: &mut Markup| {
        entry += 1;
        m.page_breaks(|start| matches!(*start, PageStart::Contents { entry: e } if e <= entry));
    };
    for p in pages {
        m.raw("<li>");
        entry_breaks(&mut m);
        m.link(&p.file, &p.title);
        if !p.headings.is_empty() {
            m.raw("\n<ol>\n");
            for (id, title) in &p.headings {
                m.raw("<li>");
                entry_breaks(&mut m);
                m.link(&format!("{}#{id}", p.file), title);
                m.raw("</li>\n");
            }
            m.raw("</ol>\n");
        }
        m.raw("</li>\n");
    }
    m.raw("</ol>\n");
    m.remaining_page_breaks();
    m.raw("</nav>\n");
    page(
        book,
        CONTENTS,
        book.edition.meta.labels.get(Label::Contents),
        PageKind::Contents,
        "frontmatter",
        m,
    )
}

/// The sigla table: who, where, when, from which file; then each transcription's provenance.
fn witnesses(book: &Book, mut m: Markup) -> Page {
    m.raw("<section aria-labelledby=\"title\">\n");
    m.page_breaks(|start| matches!(start, PageStart::Witnesses { row: 0 }));
    m.plain_title("", book.edition.meta.labels.get(Label::Witnesses));
    m.raw("<table class=\"sigla\">\n<caption>The witnesses, their sigla and their sources</caption>\n<thead>\n<tr>");
    for head in [
        "Sigil",
        "Title",
        "Author and byline",
        "Publisher",
        "Date",
        "Description",
        "Source file and SHA-256",
    ] {
        m.raw("<th scope=\"col\">");
        m.text(head);
        m.raw("</th>");
    }
    m.raw("</tr>\n</thead>\n<tbody>\n");
    let mut row = 0;
    for (i, section) in book.edition.sections.iter().enumerate() {
        if let Some(w) = &section.witness {
            row += 1;
            witness_row(&mut m, w, book.section_file(i), row);
        }
    }
    m.raw("</tbody>\n</table>\n");
    let described: Vec<&Witness> = book
        .edition
        .witnesses()
        .map(|(_, w)| w)
        .filter(|w| w.provenance.is_some())
        .collect();
    if !described.is_empty() {
        m.raw("<h2 id=\"h-1\">Provenance of the transcriptions</h2>\n<dl class=\"provenance-list\">\n");
        for w in described {
            m.element("dt", "", &w.sigil);
            m.element("dd", "", w.provenance.as_deref().unwrap_or_default());
        }
        m.raw("</dl>\n");
    }
    m.remaining_page_breaks();
    m.raw("</section>\n");
    page(
        book,
        WITNESSES,
        book.edition.meta.labels.get(Label::Witnesses),
        PageKind::Witnesses,
        "frontmatter",
        m,
    )
}

/// The row of witness `w`, the `row`th of the table.
fn witness_row(m: &mut Markup, w: &Witness, file: &str, row: usize) {
    m.raw("<tr id=\"witness-");
    m.attr(&w.sigil);
    m.raw("\"><th scope=\"row\">");
    m.page_breaks(|start| matches!(*start, PageStart::Witnesses { row: r } if r <= row));
    m.link(file, &w.sigil);
    m.raw("</th>\n<td>");
    m.link(file, &w.title);
    if let Some(subtitle) = &w.subtitle {
        m.raw("<br/>");
        m.element_inline("span", "subtitle", subtitle);
    }
    m.raw("</td>\n<td>");
    let mut any = false;
    if let Some(author) = &w.author {
        m.text(author);
        any = true;
    }
    if let Some(byline) = &w.byline {
        if any {
            m.raw("<br/>");
        }
        m.element_inline("span", "byline", byline);
        any = true;
    }
    if !any {
        none(m);
    }
    m.raw("</td>\n<td>");
    match &w.publisher {
        Some(p) => m.text(p),
        None => none(m),
    }
    m.raw("</td>\n<td>");
    match (&w.dateline, &w.published) {
        (None, None) => none(m),
        (dateline, published) => {
            if let Some(d) = dateline {
                m.element_inline("span", "dateline", d);
            }
            if let Some(p) = published {
                if dateline.is_some() {
                    m.raw("<br/>");
                }
                m.raw("<time datetime=\"");
                m.attr(p);
                m.raw("\">");
                m.text(&crate::labels::human_date(p, &m.book.edition.meta.language));
                m.raw("</time>");
            }
        }
    }
    m.raw("</td>\n<td>");
    description(m, w, "<br/>");
    m.raw("</td>\n<td>");
    match &w.source {
        Some(source) => m.element_inline("code", "", source),
        None => none(m),
    }
    if let Some(sha) = &w.source_sha256 {
        m.raw("<br/>");
        m.element_inline("code", "hash", sha);
    }
    m.raw("</td></tr>\n");
}

/// The witness's descriptive fields (repository, shelfmark, …), each labelled, `separator`
/// between them; the mark of an empty cell when it has none.
pub(crate) fn description(m: &mut Markup, w: &Witness, separator: &str) {
    let fields = w.description();
    if fields.is_empty() {
        none(m);
    }
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            m.raw(separator);
        }
        m.raw("<span class=\"label\">");
        m.text(field.label);
        m.raw(": </span>");
        if let Some(Link::Web(url)) = &field.link {
            m.link(url, field.value);
        } else {
            m.text(field.value);
        }
    }
}

/// The mark of an empty cell.
fn none(m: &mut Markup) {
    m.raw("<span class=\"none\">—</span>");
}

/// One synoptic table per chapter carrying notes with readings: a row per note, a column per
/// witness read in that chapter's notes. Rows link to their notes, which link back.
fn divergences(book: &Book, mut m: Markup) -> Page {
    let edition = book.edition;
    m.raw("<section epub:type=\"appendix\" role=\"doc-appendix\" aria-labelledby=\"title\">\n");
    m.page_breaks(|start| matches!(start, PageStart::Divergences { note: None }));
    m.plain_title("", book.edition.meta.labels.get(Label::PointsOfDivergence));
    let groups: Vec<(usize, Vec<usize>)> = book
        .notes_by_section
        .iter()
        .enumerate()
        .map(|(s, notes)| {
            let with: Vec<usize> = notes
                .iter()
                .copied()
                .filter(|&n| !edition.notes[n].readings.is_empty())
                .collect();
            (s, with)
        })
        .filter(|(_, notes)| !notes.is_empty())
        .collect();
    if groups.is_empty() {
        m.raw("<p>No note of this edition records the witnesses’ readings.</p>\n");
    } else {
        m.raw("<p>How each witness gives the points the notes discuss, grouped by the text that carries the note. A note’s number leads to the note; a sigil leads to the witness.</p>\n");
    }
    let sigla: Vec<&str> = edition.witnesses().map(|(_, w)| w.sigil.as_str()).collect();
    let order: HashMap<&str, usize> = sigla.iter().enumerate().map(|(i, s)| (*s, i)).collect();
    for (section, notes) in &groups {
        let title = &edition.sections[*section];
        let heading = match &title.witness {
            Some(w) => format!(
                "{} {} — {}",
                book.edition.meta.labels.get(Label::NotesOn),
                w.sigil,
                title.title
            ),
            None => format!(
                "{} {}",
                book.edition.meta.labels.get(Label::NotesOn),
                title.title
            ),
        };
        let columns: BTreeSet<usize> = notes
            .iter()
            .flat_map(|&n| &edition.notes[n].readings)
            .filter_map(|r| order.get(r.sigil.as_str()).copied())
            .collect();
        let read: Vec<&str> = columns.into_iter().map(|i| sigla[i]).collect();
        m.raw("<table class=\"divergences\">\n<caption>");
        m.text(&heading);
        m.raw("</caption>\n<thead>\n<tr><th scope=\"col\">Note</th>");
        for sigil in &read {
            m.raw("<th scope=\"col\">");
            m.link(&book.witness_href(sigil), sigil);
            m.raw("</th>");
        }
        m.raw("</tr>\n</thead>\n<tbody>\n");
        for &n in notes {
            let note = &edition.notes[n];
            m.raw(&format!(
                "<tr id=\"divergence-{}\"><th scope=\"row\">",
                note.number
            ));
            m.page_breaks(|start| {
                matches!(*start, PageStart::Divergences { note: Some(n) } if n <= note.number)
            });
            m.link(&book.note_href(n), &note.mark);
            m.raw("</th>");
            for sigil in &read {
                m.raw("<td>");
                match note.readings.iter().find(|r| r.sigil == *sigil) {
                    Some(r) => m.inlines(&r.content),
                    None => none(&mut m),
                }
                m.raw("</td>");
            }
            m.raw("</tr>\n");
        }
        m.raw("</tbody>\n</table>\n");
    }
    m.remaining_page_breaks();
    m.raw("</section>\n");
    page(
        book,
        DIVERGENCES,
        book.edition.meta.labels.get(Label::PointsOfDivergence),
        PageKind::Divergences,
        "backmatter",
        m,
    )
}
