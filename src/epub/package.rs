//! Packaging with `epub-builder`: metadata (Dublin Core, dates from the edition, EPUB
//! Accessibility 1.1), the pages in reading order with their landmarks, then the stylesheet
//! and the fonts; `epub-builder` writes the OPF, the nav document and the NCX.
//!
//! Where `epub-builder` 0.8.3 falls short, [`fix_entry`] corrects its output by hand, each
//! correction checked so that a change in a later version fails loudly rather than silently:
//! - its OPF template gives `dc:language` and `dc:creator` the same `id` (epubcheck RSC-005):
//!   the language gets its own id;
//! - it marks every creator as author (`aut`); the edition's creator is its editor (`edt`);
//! - it writes the identifier as a `urn:uuid:`; the edition's own identifier is put back
//!   (for any other form of identifier a UUID derived from it keeps the build reproducible);
//! - its OPF's `<package>` has no `xml:lang`: the edition's language is added;
//! - its nav template has no `lang`, and its two `nav` elements neither the ARIA role that
//!   matches `epub:type="toc"` nor names that tell them apart (DAISY Ace's
//!   `epub-type-has-matching-role` and `landmark-unique`): they are added;
//! - its NCX has no `dtb:uid`, a fixed `dtb:depth` of 1, and the contents' name as title:
//!   the identifier, the real depth and the book's title are put in.
//!
//! Its own trait for extra metadata is private, so only `<meta>` elements can be added; they
//! carry the accessibility metadata.

use super::fonts::EmbeddedFont;
use super::{xml, CoverImage, EpubError, Page, PageKind};
use crate::model::{Edition, EditionMeta, Timestamp};
use crate::page_list::PageList;
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, TocElement, ZipLibrary,
};
use sha2::{Digest, Sha256};

/// The label of the nav document's landmarks (each `nav` needs a name of its own).
const LANDMARKS_NAME: &str = "Landmarks";

/// The book being packaged by `epub-builder`, into a zip in memory (timestamps not yet
/// fixed; see [`super::archive`]).
pub(crate) struct Package {
    builder: EpubBuilder<ZipLibrary>,
    /// Whether a witness's chapter has been added (the first is the `bodymatter` landmark).
    witness_seen: bool,
}

impl Package {
    /// Starts the book with its metadata.
    pub(crate) fn start(
        edition: &Edition,
        cover: Option<&CoverImage>,
        page_list: Option<&PageList>,
        modified: Timestamp,
    ) -> Result<Self, EpubError> {
        let meta = &edition.meta;
        let zip = ZipLibrary::new().map_err(package_error)?;
        let builder = EpubBuilder::new(zip).map_err(package_error)?;
        let mut package = Package {
            builder,
            witness_seen: false,
        };
        let builder = &mut package.builder;
        builder.epub_version(EpubVersion::V33);
        builder.set_title(meta.title.as_str());
        builder.add_author(meta.editor.as_str());
        builder.add_language(meta.language.as_str());
        builder.set_generator("Variorum");
        builder.set_toc_name(meta.labels.get(crate::labels::Label::Contents));
        if let Some(subtitle) = &meta.subtitle {
            builder.add_description(subtitle.as_str());
        }
        builder.set_modified_date(modified);
        builder.set_publication_date(meta.midnight());
        builder.set_uuid(identifier_uuid(&meta.identifier));
        if let Some(cover) = cover {
            // The manifest item with `properties="cover-image"`, and `<meta name="cover">`.
            builder
                .add_cover_image(cover.file(), cover.bytes.as_slice(), cover.media_type())
                .map_err(package_error)?;
        }
        for (property, value) in accessibility(edition, cover.is_some(), page_list) {
            // `epub-builder` writes the content of these elements as given: escape it here.
            builder.add_metadata_opf(Box::new(MetadataOpfV3::new(
                property.to_owned(),
                xml::text(&value),
            )));
        }
        Ok(package)
    }

    /// Adds the figures' images, each under its name in the archive.
    pub(crate) fn add_figures(
        &mut self,
        figures: &[(String, std::sync::Arc<crate::layout::ImageData>)],
    ) -> Result<(), EpubError> {
        for (file, image) in figures {
            let media_type = match image.format {
                crate::layout::ImageFormat::Png => "image/png",
                crate::layout::ImageFormat::Jpeg => "image/jpeg",
            };
            self.builder
                .add_resource(file.as_str(), image.bytes.as_slice(), media_type)
                .map_err(package_error)?;
        }
        Ok(())
    }

    /// Adds the next page in reading order.
    pub(crate) fn add(&mut self, page: &Page) -> Result<(), EpubError> {
        let first_witness = page.kind == PageKind::Witness && !self.witness_seen;
        self.witness_seen |= page.kind == PageKind::Witness;
        let mut content =
            EpubContent::new(page.file.as_str(), page.xhtml.as_bytes()).title(page.title.as_str());
        if let Some(reftype) = landmark(page.kind, first_witness) {
            content = content.reftype(reftype);
        }
        for (id, title) in &page.headings {
            content = content.child(TocElement::new(
                format!("{}#{id}", page.file),
                title.as_str(),
            ));
        }
        self.builder
            .add_content(content)
            .map(drop)
            .map_err(package_error)
    }

    /// Adds an image of the book's own making (a timeline's SVG).
    pub(crate) fn add_image(
        &mut self,
        file: &str,
        bytes: &[u8],
        media_type: &str,
    ) -> Result<(), EpubError> {
        self.builder
            .add_resource(file, bytes, media_type)
            .map(drop)
            .map_err(package_error)
    }

    /// Adds the stylesheet and the fonts, then the OPF, nav and NCX: the zip.
    pub(crate) fn finish(
        mut self,
        stylesheet: &str,
        fonts: &[EmbeddedFont],
    ) -> Result<Vec<u8>, EpubError> {
        self.builder
            .stylesheet(stylesheet.as_bytes())
            .map_err(package_error)?;
        for font in fonts {
            self.builder
                .add_resource(&font.href, font.data.as_slice(), font.media_type)
                .map_err(package_error)?;
        }
        let mut zip = Vec::new();
        self.builder.generate(&mut zip).map_err(package_error)?;
        Ok(zip)
    }
}

fn package_error(e: epub_builder::Error) -> EpubError {
    EpubError::Package(e.to_string())
}

/// The landmark a page stands for, if any.
fn landmark(kind: PageKind, first_witness: bool) -> Option<ReferenceType> {
    match kind {
        PageKind::Cover => Some(ReferenceType::Cover),
        PageKind::TitlePage => Some(ReferenceType::TitlePage),
        PageKind::Contents => Some(ReferenceType::Toc),
        PageKind::Witness if first_witness => Some(ReferenceType::Text),
        _ => None,
    }
}

/// The UUID of a `urn:uuid:` identifier, or one derived from any other identifier.
fn identifier_uuid(identifier: &str) -> uuid::Uuid {
    let trimmed = identifier.trim();
    let bare = trimmed
        .get(..9)
        .filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))
        .map_or(trimmed, |_| &trimmed[9..]);
    uuid::Uuid::parse_str(bare).unwrap_or_else(|_| {
        let digest = Sha256::digest(identifier.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    })
}

/// EPUB Accessibility 1.1 metadata, as `(property, value)`; with the print edition's page
/// numbers, the features they give and the edition they come from (`pageBreakSource`).
fn accessibility(
    edition: &Edition,
    cover: bool,
    page_list: Option<&PageList>,
) -> Vec<(&'static str, String)> {
    let mut list = vec![
        ("schema:accessMode", "textual".to_owned()),
        ("schema:accessModeSufficient", "textual".to_owned()),
    ];
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        list.push(("schema:accessibilityFeature", feature.to_owned()));
    }
    if page_list.is_some() {
        for feature in ["printPageNumbers", "pageBreakMarkers"] {
            list.push(("schema:accessibilityFeature", feature.to_owned()));
        }
    }
    list.push(("schema:accessibilityHazard", "none".to_owned()));
    let figures = edition.sections.iter().any(|s| {
        s.blocks
            .iter()
            .any(|b| matches!(b, crate::model::Block::Figure(_)))
    });
    if figures {
        list.insert(1, ("schema:accessMode", "visual".to_owned()));
    }
    let images = match (cover, figures) {
        (_, true) => {
            "Every image (the cover and the figures) is described by its text alternative; \
             there are no sounds and no time limits."
        }
        (true, false) => {
            "The one image is the cover, described by its text alternative; there are no other \
             images, no sounds and no time limits."
        }
        (false, false) => "There are no images, sounds or time limits.",
    };
    list.push((
        "schema:accessibilitySummary",
        format!(
            "A critical edition of {} witnesses: every text is a titled chapter with \
             headings, the notes are linked footnotes with links back to their marks, and the \
             tables of witnesses and of their readings have captions and header cells. {images}",
            edition.witnesses().count()
        ),
    ));
    list.push((
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.1 Level AA".to_owned(),
    ));
    if let Some(pages) = page_list {
        list.push(("pageBreakSource", pages.source.clone()));
    }
    // Only someone who evaluated the edition certifies it; nobody is named by default.
    let accessibility = &edition.meta.accessibility;
    if let Some(who) = &accessibility.certified_by {
        list.push(("a11y:certifiedBy", who.clone()));
        if let Some(credential) = &accessibility.certifier_credential {
            list.push(("a11y:certifierCredential", credential.clone()));
        }
    }
    list
}

/// The nav document's `page-list`: a link to each page-break marker placed, as
/// `(file, label)`, in order.
pub(crate) fn page_list_nav(placed: &[(String, String)]) -> String {
    let mut nav = format!(
        "<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" aria-label=\"{PAGE_LIST_NAME}\" hidden=\"hidden\">\n<ol>\n"
    );
    for (file, label) in placed {
        let href = format!("{file}#{}", super::text::pagebreak_id(label));
        nav.push_str(&format!(
            "<li><a href=\"{}\">{}</a></li>\n",
            xml::attr(&href),
            xml::text(label)
        ));
    }
    nav.push_str("</ol>\n</nav>\n");
    nav
}

/// The label of the nav document's page list.
const PAGE_LIST_NAME: &str = "Pages of the print edition";

/// The entries [`fix_entry`] corrects.
pub(crate) const FIXED: &[&str] = &["OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/toc.ncx"];

/// Corrects `epub-builder`'s output for one archive entry (see the module docs), and adds
/// `page_list`, the page-list `nav`, to the nav document.
pub(crate) fn fix_entry(
    meta: &EditionMeta,
    name: &str,
    bytes: Vec<u8>,
    page_list: Option<&str>,
) -> Result<Vec<u8>, EpubError> {
    let fix = |doc: String, from: &str, to: &str| -> Result<String, EpubError> {
        if doc.contains(from) {
            Ok(doc.replacen(from, to, 1))
        } else {
            Err(EpubError::Package(format!(
                "`{name}` from epub-builder lacks `{from}`; its templates changed"
            )))
        }
    };
    let text = || String::from_utf8(bytes.clone()).map_err(|e| EpubError::Package(e.to_string()));
    let fixed = match name {
        "OEBPS/content.opf" => {
            let doc = fix(
                text()?,
                "<dc:language id=\"epub-creator-",
                "<dc:language id=\"epub-language-",
            )?;
            let doc = fix(
                doc,
                "scheme=\"marc:relators\">aut</meta>",
                "scheme=\"marc:relators\">edt</meta>",
            )?;
            let lang = xml::attr(&meta.language);
            let doc = fix(
                doc,
                "<package version=\"3.0\" ",
                &format!("<package version=\"3.0\" xml:lang=\"{lang}\" "),
            )?;
            replace_identifier(doc, &meta.identifier)?
        }
        "OEBPS/nav.xhtml" => {
            let lang = xml::attr(&meta.language);
            let doc = fix(
                text()?,
                "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
                &format!("xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">"),
            )?;
            let doc = fix(
                doc,
                "<nav epub:type = \"toc\" id=\"toc\">",
                "<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-title\">",
            )?;
            let doc = fix(
                doc,
                "<nav epub:type = \"landmarks\">",
                &format!("<nav epub:type=\"landmarks\" aria-label=\"{LANDMARKS_NAME}\">"),
            )?;
            match page_list {
                Some(nav) => fix(doc, "</body>", &format!("{nav}</body>"))?,
                None => doc,
            }
        }
        "OEBPS/toc.ncx" => {
            let doc = text()?;
            let depth = ncx_depth(&doc);
            let doc = fix(
                doc,
                "<meta name=\"dtb:depth\" content=\"1\" />",
                &format!(
                    "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{depth}\" />",
                    xml::attr(&meta.identifier)
                ),
            )?;
            fix(
                doc,
                &format!(
                    "<docTitle>\n    <text>{}</text>",
                    xml::text(meta.labels.get(crate::labels::Label::Contents))
                ),
                &format!("<docTitle>\n    <text>{}</text>", xml::text(&meta.title)),
            )?
        }
        _ => return Ok(bytes),
    };
    Ok(fixed.into_bytes())
}

/// How deeply the NCX's navigation points nest.
fn ncx_depth(doc: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = doc;
    while let Some(at) = rest.find("navPoint") {
        let closing = rest[..at].ends_with("</");
        let opening = rest[..at].ends_with('<');
        if opening {
            depth += 1;
            deepest = deepest.max(depth);
        } else if closing {
            depth = depth.saturating_sub(1);
        }
        rest = &rest[at + "navPoint".len()..];
    }
    deepest.max(1)
}

/// Puts the edition's identifier into the OPF's `dc:identifier`.
fn replace_identifier(doc: String, identifier: &str) -> Result<String, EpubError> {
    const OPEN: &str = "<dc:identifier id=\"epub-id-1\">";
    let start = doc.find(OPEN).map(|s| s + OPEN.len());
    let end = start.and_then(|s| doc[s..].find("</dc:identifier>").map(|e| s + e));
    match (start, end) {
        (Some(s), Some(e)) => Ok(format!(
            "{}{}{}",
            &doc[..s],
            xml::text(identifier),
            &doc[e..]
        )),
        _ => Err(EpubError::Package(
            "the OPF from epub-builder has no `dc:identifier`; its templates changed".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_give_stable_uuids() {
        let u = "urn:uuid:5e1d7c1e-8a51-4f0c-9d57-2b4f3b7a1989";
        assert_eq!(identifier_uuid(u).to_string(), &u[9..]);
        let isbn = identifier_uuid("isbn:978-0-00-000000-0");
        assert_eq!(isbn, identifier_uuid("isbn:978-0-00-000000-0"));
        assert_ne!(isbn, identifier_uuid("isbn:978-0-00-000000-1"));
    }

    #[test]
    fn ncx_depth_counts_nesting() {
        let flat = "<navPoint id=\"1\"></navPoint><navPoint id=\"2\"></navPoint>";
        assert_eq!(ncx_depth(flat), 1);
        let nested = "<navPoint><navPoint></navPoint></navPoint><navPoint></navPoint>";
        assert_eq!(ncx_depth(nested), 2);
    }

    #[test]
    fn a_changed_template_is_an_error_not_a_silent_miss() {
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
        let odd = b"<package><dc:language>en</dc:language></package>".to_vec();
        assert!(fix_entry(&meta, "OEBPS/content.opf", odd, None).is_err());
        let other = b"anything".to_vec();
        assert_eq!(
            fix_entry(&meta, "OEBPS/x.xhtml", other.clone(), None).unwrap(),
            other
        );
    }
}
