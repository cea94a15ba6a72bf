//! The chapters: one XHTML document per manuscript section, its notes at the end, and the
//! document skeleton every page shares.

use super::text::{Markup, PageBreak};
use super::xml;
use super::{Book, Page, PageKind, STYLESHEET};
use crate::labels::Label;
use crate::model::{Block, HeaderField, Note, NotesMode, Role, Section};
use crate::page_list::PageStart;

/// A complete XHTML document around `body` (which holds the `<body>` content).
pub(crate) fn document(lang: &str, title: &str, body_type: &str, body: &str) -> String {
    let dir = if crate::labels::is_right_to_left(lang) {
        " dir=\"rtl\""
    } else {
        ""
    };
    let lang = xml::attr(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\"{dir}>\n\
         <head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET}\"/>\n</head>\n\
         <body epub:type=\"{body_type}\">\n{body}</body>\n</html>\n",
        xml::text(title),
    )
}

/// `epub:type` of the body for a section's role.
pub(crate) fn matter(role: Role) -> &'static str {
    match role {
        Role::Front => "frontmatter",
        Role::Witness => "bodymatter",
        Role::Back => "backmatter",
    }
}

/// The chapter of section `index`: its header, its text, then its notes; the pages of the
/// print edition that begin in it marked where they begin.
pub(crate) fn chapter(book: &Book, index: usize, breaks: Vec<PageBreak>) -> Page {
    let section = &book.edition.sections[index];
    let mut m = Markup::with_breaks(book, breaks);
    m.raw("<section epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"title\">\n");
    // A page that begins with the section begins before its header.
    m.page_breaks(|start| {
        matches!(
            start,
            PageStart::Text {
                block: 0,
                word: 0,
                ..
            }
        )
    });
    let body_start = header(&mut m, section);
    m.numbered_blocks(
        body_start,
        &section.blocks[body_start..],
        section.numbers.get(body_start..).unwrap_or_default(),
        section.witness.as_ref().map(|w| w.sigil.as_str()),
    );
    // Pages that begin after the text (notes continued overleaf) begin at its end.
    m.remaining_page_breaks();
    m.raw("</section>\n");
    let notes = &book.notes_by_section[index];
    if !notes.is_empty() {
        let label = xml::text(book.edition.meta.labels.get(Label::Notes));
        m.raw(&format!(
            "<section class=\"notes\" aria-labelledby=\"notes-title\">\n<h2 id=\"notes-title\">{label}</h2>\n"
        ));
        for &n in notes {
            note(&mut m, &book.edition.notes[n]);
        }
        m.raw("</section>\n");
    }
    let title = section.listed_title();
    let kind = match section.role {
        Role::Front => PageKind::Front,
        Role::Witness => PageKind::Witness,
        Role::Back => PageKind::Back,
    };
    Page {
        file: book.section_file(index).to_owned(),
        xhtml: document(
            book.edition.language_of(index),
            &title,
            matter(section.role),
            &m.out,
        ),
        title,
        kind,
        headings: m.headings,
        page_breaks: m.placed,
    }
}

/// Writes the title and, for a witness, its subtitle and provenance block (byline, dateline,
/// publisher). Returns the index of the first body block.
fn header(m: &mut Markup, section: &Section) -> usize {
    m.raw("<header>\n");
    if let Some(w) = &section.witness {
        m.raw("<p class=\"sigil\">Witness ");
        m.text(&w.sigil);
        m.raw("</p>\n");
    }
    let start = section.header_len();
    let mut provenance: Vec<(usize, HeaderField, &[crate::model::Inline])> = Vec::new();
    for (i, block) in section.blocks[..start].iter().enumerate() {
        match block {
            Block::Heading { content, .. } => {
                m.enter_block(i);
                m.heading(1, content);
            }
            Block::HeaderLine {
                field: HeaderField::Subtitle,
                content,
            } => {
                m.enter_block(i);
                m.raw("<p class=\"subtitle\" role=\"doc-subtitle\">");
                m.inlines(content);
                m.raw("</p>\n");
            }
            Block::HeaderLine { field, content } => provenance.push((i, *field, content)),
            _ => {}
        }
    }
    if start == 0 {
        // A section always opens with its title; keep the document titled regardless.
        m.plain_title("", &section.title);
    }
    let publisher = section
        .witness
        .as_ref()
        .and_then(|w| w.publisher.as_deref());
    let described = section
        .witness
        .as_ref()
        .filter(|w| !w.description().is_empty());
    if !provenance.is_empty() || publisher.is_some() || described.is_some() {
        m.raw("<div class=\"provenance\">\n");
        for (i, field, content) in provenance {
            m.enter_block(i);
            let class = match field {
                HeaderField::Byline => "byline",
                HeaderField::Dateline => "dateline",
                HeaderField::Subtitle => "subtitle",
            };
            m.paragraph(class, content);
        }
        if let Some(publisher) = publisher {
            let label = xml::text(m.book.edition.meta.labels.get(Label::PublishedBy));
            m.raw(&format!(
                "<p class=\"publisher\"><span class=\"label\">{label} </span>"
            ));
            m.text(publisher);
            m.raw("</p>\n");
        }
        if let Some(w) = described {
            m.raw("<p class=\"description\">");
            super::pages::description(m, w, " · ");
            m.raw("</p>\n");
        }
        m.raw("</div>\n");
    }
    m.raw("</header>\n");
    start
}

/// A note as a footnote aside: the backlink to its mark first (so readers that gather notes
/// keep them apart), the kind, the lemma, the text, then the readings.
fn note(m: &mut Markup, note: &Note) {
    let n = note.number;
    m.raw(&format!(
        "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"note-{n}\" class=\"note\">\n"
    ));
    let edition = m.book.edition;
    let kind = xml::text(edition.meta.labels.kind(note.kind));
    let lemma = xml::text(&note.lemma);
    let backlink = format!(
        "<a class=\"backlink\" role=\"doc-backlink\" href=\"#ref-{n}\">{}</a> ",
        note.mark
    );
    if edition.notes_mode() == NotesMode::Apparatus && note.kind.is_critical() {
        let short = xml::text(&note.short_lemma());
        apparatus_entry(m, note, &backlink, &kind, &short);
        m.raw("</aside>\n");
        return;
    }
    let head = format!(
        "{backlink}<span class=\"note-kind\">{kind}</span> <span class=\"lemma\">{lemma}</span>] "
    );
    match note.body.split_first() {
        Some((Block::Paragraph(first), rest)) => {
            m.raw("<p class=\"note-head\">");
            m.raw(&head);
            m.inlines(first);
            m.raw("</p>\n");
            m.blocks(rest);
        }
        _ => {
            m.raw("<p class=\"note-head\">");
            m.raw(&head);
            m.raw("</p>\n");
            m.blocks(&note.body);
        }
    }
    if !note.readings.is_empty() {
        readings(m, note);
    }
    m.raw("</aside>\n");
}

/// A critical note in apparatus mode, as the PDF's apparatus gives it: its reference
/// (witness and paragraph, linking to the paragraph), `lemma] W`, each other reading
/// followed by its sigil, then the kind and the text.
fn apparatus_entry(m: &mut Markup, note: &Note, backlink: &str, kind: &str, lemma: &str) {
    m.raw("<p class=\"note-head\">");
    m.raw(backlink);
    let reference = xml::text(&m.book.edition.reference(note));
    match note.paragraph {
        Some(p) => {
            let href = format!("#{}", super::text::paragraph_id(&note.witness, p));
            m.raw("<a class=\"reference\" href=\"");
            m.attr(&href);
            m.raw(&format!("\">{reference}</a> "));
        }
        None => m.raw(&format!("<span class=\"reference\">{reference}</span> ")),
    }
    m.raw(&format!("<span class=\"lemma\">{lemma}</span>] "));
    sigil_link(m, &note.witness);
    for reading in note.apparatus_readings() {
        m.raw("; ");
        m.inlines(&reading.content);
        m.raw(" ");
        sigil_link(m, &reading.sigil);
    }
    m.raw(&format!("; <span class=\"note-kind\">{kind}</span> "));
    match note.body.split_first() {
        Some((Block::Paragraph(first), rest)) => {
            m.inlines(first);
            m.raw("</p>\n");
            m.blocks(rest);
        }
        _ => {
            m.raw("</p>\n");
            m.blocks(&note.body);
        }
    }
    if !note.readings.is_empty() {
        m.raw("<p class=\"readings\"><a class=\"compare\" href=\"");
        m.attr(&m.book.divergence_href(note.number));
        m.raw("\">Compare the witnesses</a>.</p>\n");
    }
}

/// A sigil linking to its witness's row on the Witnesses page.
fn sigil_link(m: &mut Markup, sigil: &str) {
    m.raw("<a class=\"sigil\" href=\"");
    m.attr(&m.book.witness_href(sigil));
    m.raw("\">");
    m.text(sigil);
    m.raw("</a>");
}

/// The witnesses' readings of the point, each sigil linking to the Witnesses page, and a link
/// to the note's row among the points of divergence.
fn readings(m: &mut Markup, note: &Note) {
    let label = xml::text(m.book.edition.meta.labels.get(Label::Readings));
    m.raw(&format!(
        "<p class=\"readings\"><span class=\"label\">{label}: </span>"
    ));
    for (i, reading) in note.readings.iter().enumerate() {
        if i > 0 {
            m.raw("; ");
        }
        sigil_link(m, &reading.sigil);
        m.raw(" ");
        m.inlines(&reading.content);
    }
    m.raw(". <a class=\"compare\" href=\"");
    m.attr(&m.book.divergence_href(note.number));
    m.raw("\">Compare the witnesses</a>.</p>\n");
}
