//! The edition's cover, one image for both outputs: the editor's own (`edition.cover`, a
//! JPEG or PNG inside the project, checked) or a typographic cover composed here as SVG
//! (title, subtitle and editor in the edition's text face) and rendered by `resvg` with the
//! project's fonts only, never the system's: 1600 × 2560 pixels, the same bytes every time.

use std::path::{Component, Path};
use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use crate::diag::Diagnostic;
use crate::fonts::FontSet;
use crate::layout::{ImageData, ImageFormat};
use crate::model::{CoverPath, EditionMeta};
use crate::source::Span;

/// The generated cover's size in pixels: the proportions (1 : 1.6) and size e-book shops ask
/// for.
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 2560;
/// The least an editor's image may measure on its long side.
pub const MIN_LONG_SIDE: u32 = 1400;

/// The text block's width on the generated cover, in pixels.
const MEASURE: f32 = 1240.0;
const INK: &str = "#2b211c";
const ACCENT: &str = "#7a2e1f";
const PAPER: &str = "#f4eee3";

/// The cover: the image and its text alternative.
#[derive(Debug, Clone)]
pub struct Cover {
    pub image: Arc<ImageData>,
    pub alt: String,
}

/// The edition's cover: the editor's image when `edition.cover` names one, otherwise the
/// generated one, set in the build's fonts.
pub fn cover(meta: &EditionMeta, root: &Path, fonts: &FontSet) -> Result<Cover, Box<Diagnostic>> {
    let image = match &meta.cover {
        Some(path) => editors_image(root, path)?,
        None => typographic(meta, fonts)?,
    };
    Ok(Cover {
        image: Arc::new(image),
        alt: alt_text(meta),
    })
}

/// What the cover says, for readers who cannot see it.
pub fn alt_text(meta: &EditionMeta) -> String {
    let mut alt = format!("Cover: {}", meta.title);
    if let Some(subtitle) = &meta.subtitle {
        alt.push_str(". ");
        alt.push_str(subtitle);
    }
    alt.push_str(". ");
    alt.push_str(&meta.editor);
    alt
}

/// Reads and checks the editor's cover image: a path inside the project, to a JPEG or PNG of
/// at least [`MIN_LONG_SIDE`] pixels on its long side.
pub fn editors_image(root: &Path, cover: &CoverPath) -> Result<ImageData, Box<Diagnostic>> {
    let image = project_image(
        root,
        &cover.path,
        cover.span,
        &ImageUse {
            noun: "the cover",
            key: "cover",
            example: "`cover: figures/cover.jpg`",
            missing: "put the image in the project (e.g. `figures/cover.jpg`), or remove `cover:` to get the generated cover",
        },
    )?;
    let (width, height) = (image.pixel_width, image.pixel_height);
    if width.max(height) < MIN_LONG_SIDE {
        return Err(Box::new(
            Diagnostic::error(format!(
                "the cover `{}` is {width} × {height} pixels, too small for e-book shops",
                cover.path
            ))
            .at(cover.span, "too small")
            .hint(format!(
                "use an image of at least {MIN_LONG_SIDE} pixels on its long side ({WIDTH} × {HEIGHT} is best)"
            )),
        ));
    }
    Ok(image)
}

/// What an image of the project is for, in the messages about it.
pub struct ImageUse<'a> {
    /// `the cover`, `the figure`.
    pub noun: &'a str,
    /// What it is labelled at its span.
    pub key: &'a str,
    /// How to write a path, as an example.
    pub example: &'a str,
    /// The hint when the file is missing or unreadable.
    pub missing: &'a str,
}

/// Reads an image the edition names by a path relative to the project (`written` at `span`):
/// a JPEG or PNG inside the project, never reached through a link out of it.
pub fn project_image(
    root: &Path,
    written: &str,
    span: Span,
    what: &ImageUse,
) -> Result<ImageData, Box<Diagnostic>> {
    let noun = what.noun;
    let refuse = |message: String, label: &str, hint: &str| {
        Box::new(
            Diagnostic::error(message)
                .at(span, label)
                .hint(hint.to_owned()),
        )
    };
    if written.contains("://") {
        return Err(refuse(
            format!("{noun} `{written}` is a web address; images are not fetched"),
            "web address",
            &format!(
                "save the image in the project and give its path from the project's folder, e.g. {}",
                what.example
            ),
        ));
    }
    let relative = Path::new(written);
    let inside = !written.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(refuse(
            format!("{noun} `{written}` is not a path inside the project"),
            "outside the project",
            &format!(
                "give a path relative to the project's folder, e.g. {}",
                what.example
            ),
        ));
    }
    let path = root.join(relative);
    let escapes = match (path.canonicalize(), root.canonicalize()) {
        (Ok(file), Ok(root)) => !file.starts_with(root),
        _ => false,
    };
    if escapes {
        return Err(refuse(
            format!("{noun} `{written}` leads outside the project"),
            "a link out of the project",
            "copy the image into the project instead of linking to it",
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_owned(),
            _ => e.to_string(),
        };
        refuse(
            format!("cannot read {noun} `{written}`: {why}"),
            &format!("{} image", what.key),
            what.missing,
        )
    })?;
    let format = match imagesize::image_type(&bytes) {
        Ok(imagesize::ImageType::Jpeg) => ImageFormat::Jpeg,
        Ok(imagesize::ImageType::Png) => ImageFormat::Png,
        _ => {
            return Err(refuse(
                format!("{noun} `{written}` is not a JPEG or PNG image"),
                "not JPEG or PNG",
                &format!("save {noun} as a JPEG or PNG"),
            ))
        }
    };
    let size = imagesize::blob_size(&bytes).map_err(|e| {
        refuse(
            format!("{noun} `{written}` cannot be read as an image: {e}"),
            "unreadable image",
            &format!("save {noun} again as a JPEG or PNG"),
        )
    })?;
    Ok(ImageData {
        bytes,
        format,
        pixel_width: size.width as u32,
        pixel_height: size.height as u32,
    })
}

/// The build's fonts, for the cover: the text family (`design.font`'s, else the default)
/// first, then the set's other families as fallbacks.
struct Fonts {
    db: usvg::fontdb::Database,
    /// Families in order of preference, the text face first.
    families: Vec<String>,
    /// The text face's regular file, for measuring lines.
    regular: Arc<Vec<u8>>,
}

fn fonts(set: &FontSet, chosen: Option<&str>) -> Result<Fonts, Box<Diagnostic>> {
    let text_family = chosen
        .and_then(|name| set.find_family(name).ok())
        .unwrap_or(crate::fonts::DEFAULT_FAMILY);
    let regular = set
        .style_of(text_family, false, false)
        .or_else(|| set.faces().first())
        .ok_or_else(|| {
            Box::new(
                Diagnostic::error("no font to set the cover in")
                    .hint("add a font to `fonts/`, or give your own image with `edition.cover`"),
            )
        })?;
    let mut db = usvg::fontdb::Database::new();
    for face in set.faces() {
        db.load_font_source(usvg::fontdb::Source::Binary(face.data.clone()));
    }
    let mut families = vec![regular.family.clone()];
    families.extend(
        set.families()
            .into_iter()
            .filter(|f| *f != regular.family)
            .map(str::to_owned),
    );
    Ok(Fonts {
        db,
        families,
        regular: regular.data.clone(),
    })
}

/// Lines of at most [`MEASURE`] pixels at `size`, breaking between words; the size shrinks
/// until every word fits and the lines are no more than `max_lines`.
fn wrap(
    text: &str,
    face: &ttf_parser::Face,
    mut size: f32,
    max_lines: usize,
) -> (Vec<String>, f32) {
    let per_em = f32::from(face.units_per_em());
    let width = |s: &str, size: f32| -> f32 {
        s.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(per_em * 0.5, f32::from)
            })
            .sum::<f32>()
            * size
            / per_em
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    loop {
        let mut lines: Vec<String> = Vec::new();
        for word in &words {
            match lines.last_mut() {
                Some(line) if width(&format!("{line} {word}"), size) <= MEASURE => {
                    line.push(' ');
                    line.push_str(word);
                }
                _ => lines.push((*word).to_owned()),
            }
        }
        let fits = lines.len() <= max_lines && lines.iter().all(|l| width(l, size) <= MEASURE);
        if fits || size < 24.0 {
            return (lines, size);
        }
        size *= 0.9;
    }
}

/// The SVG of the typographic cover: a framed page, the title large and centred, a rule,
/// the subtitle in italic, the editor at the foot.
fn compose(meta: &EditionMeta, fonts: &Fonts) -> String {
    let face = ttf_parser::Face::parse(&fonts.regular, 0).expect("parsed once already");
    let family: Vec<String> = fonts
        .families
        .iter()
        .map(|f| format!("'{}'", f.replace('\'', "")))
        .collect();
    let family = escape(&family.join(", "));
    let lang = escape(&meta.language);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" xml:lang=\"{lang}\" font-family=\"{family}\">\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{PAPER}\"/>\n\
         <rect x=\"90\" y=\"90\" width=\"1420\" height=\"2380\" fill=\"none\" stroke=\"{ACCENT}\" stroke-width=\"8\"/>\n\
         <rect x=\"118\" y=\"118\" width=\"1364\" height=\"2324\" fill=\"none\" stroke=\"{ACCENT}\" stroke-width=\"2\"/>\n"
    );
    let block = |svg: &mut String,
                 text: &str,
                 size: f32,
                 max_lines: usize,
                 top: f32,
                 italic: bool|
     -> f32 {
        let (lines, size) = wrap(text, &face, size, max_lines);
        let leading = size * 1.2;
        let style = if italic { " font-style=\"italic\"" } else { "" };
        for (i, line) in lines.iter().enumerate() {
            let y = top + size + leading * i as f32;
            svg.push_str(&format!(
                "<text x=\"800\" y=\"{y:.1}\" font-size=\"{size:.1}\" text-anchor=\"middle\" fill=\"{INK}\"{style}>{}</text>\n",
                escape(line)
            ));
        }
        top + size + leading * (lines.len().max(1) - 1) as f32 + size * 0.4
    };
    let title_end = block(&mut svg, &meta.title, 150.0, 5, 640.0, false);
    let mut subtitle_top = title_end + 110.0;
    if meta.subtitle.is_some() {
        let rule = title_end + 70.0;
        svg.push_str(&format!(
            "<rect x=\"650\" y=\"{:.1}\" width=\"300\" height=\"4\" fill=\"{ACCENT}\"/>\n",
            rule - 2.0
        ));
        subtitle_top = rule + 70.0;
    }
    if let Some(subtitle) = &meta.subtitle {
        block(&mut svg, subtitle, 84.0, 4, subtitle_top, true);
    }
    block(&mut svg, &meta.editor, 72.0, 2, 2120.0, false);
    svg.push_str("</svg>\n");
    svg
}

/// Renders the typographic cover as a PNG of [`WIDTH`] × [`HEIGHT`] pixels.
pub fn typographic(meta: &EditionMeta, set: &FontSet) -> Result<ImageData, Box<Diagnostic>> {
    let chosen = meta.design.font.as_ref().map(|(name, _)| name.as_str());
    let fonts = fonts(set, chosen)?;
    let svg = compose(meta, &fonts);
    let mut options = usvg::Options {
        font_family: fonts.families[0].clone(),
        ..usvg::Options::default()
    };
    *options.fontdb_mut() = fonts.db;
    let failed = |what: String| {
        Box::new(
            Diagnostic::error(format!("cannot draw the cover: {what}")).hint(
                "this is a bug in Variorum; please report it with the edition that triggers it",
            ),
        )
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| failed(e.to_string()))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or_else(|| failed("no pixmap".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap.encode_png().map_err(|e| failed(e.to_string()))?;
    Ok(ImageData {
        bytes,
        format: ImageFormat::Png,
        pixel_width: WIDTH,
        pixel_height: HEIGHT,
    })
}

/// Text for XML: `&`, `<`, `>` and quotes escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> EditionMeta {
        EditionMeta {
            title: "The Letter & the <Spirit> of a Very Long Title Indeed".into(),
            subtitle: Some("Five witnesses, 2011–2017".into()),
            editor: "Variorum editors".into(),
            language: "en".into(),
            identifier: "x".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            accessibility: Default::default(),
            cover: None,
            design: Default::default(),
            labels: Default::default(),
            selection: None,
        }
    }

    /// The built-in faces: a project with no `fonts/` folder still gets its cover.
    fn fonts_dir() -> FontSet {
        FontSet::built_in()
    }

    #[test]
    fn the_generated_cover_is_a_png_of_the_shops_size_and_the_same_every_time() {
        let first = typographic(&meta(), &fonts_dir()).unwrap();
        assert_eq!((first.pixel_width, first.pixel_height), (WIDTH, HEIGHT));
        assert_eq!(first.format, ImageFormat::Png);
        let size = imagesize::blob_size(&first.bytes).unwrap();
        assert_eq!((size.width, size.height), (1600, 2560));
        let second = typographic(&meta(), &fonts_dir()).unwrap();
        assert!(first.bytes == second.bytes, "two renderings differ");
        // Text was drawn: the cover is not a blank page with a frame.
        let pixmap = tiny_skia::Pixmap::decode_png(&first.bytes).unwrap();
        let ink = pixmap
            .pixels()
            .iter()
            .filter(|p| p.red() < 80 && p.green() < 60)
            .count();
        assert!(ink > 20_000, "only {ink} dark pixels");
    }

    #[test]
    fn the_svg_escapes_the_text_and_wraps_long_titles() {
        let fonts = fonts(&fonts_dir(), None).unwrap();
        assert_eq!(fonts.families[0], "EB Garamond");
        let svg = compose(&meta(), &fonts);
        assert!(svg.contains("The Letter &amp; the"), "{svg}");
        assert!(svg.contains("&lt;Spirit&gt; of"), "{svg}");
        assert!(svg.matches("font-size=\"150.0\"").count() >= 2, "{svg}");
        assert!(
            svg.contains("font-style=\"italic\">Five witnesses"),
            "{svg}"
        );
        roxmltree::Document::parse(&svg).expect("well-formed SVG");
    }
}
