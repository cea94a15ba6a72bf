//! The font set: every face a build may draw with, read once per build and served to both
//! the EPUB (subset and embedded) and the layout (shaped, then subset and embedded in the PDF).
//!
//! Three sources, in this order:
//! 1. the project's `fonts/` folder: any `.ttf`, `.otf` or `.ttc` file, whatever its name;
//!    each face is known by the family and style in its own `name` table;
//! 2. with `--system-fonts` only, the fonts installed on the machine (`fontdb`);
//! 3. the built-in faces compiled into the binary ([`BUILT_IN`]): EB Garamond (four styles),
//!    DejaVu Serif (wide Latin, Greek, Cyrillic and symbols), Noto Naskh Arabic, Noto Serif
//!    Hebrew and DejaVu Sans Mono.
//!
//! A project face with the very bytes of a built-in one is that built-in face. The text family
//! is `design.font` (EB Garamond by default); [`FontSet::chain`] gives the fallback order for
//! the characters it lacks: the other project families in file-name order, the system ones,
//! then the built-in ones in the order above.

use std::path::Path;
use std::sync::Arc;

/// One face of a font file.
#[derive(Clone)]
pub struct Face {
    /// The family, from the `name` table (typographic family, else family).
    pub family: String,
    pub bold: bool,
    pub italic: bool,
    /// A name for the face in outputs (`EBGaramond-Regular`): the PostScript name.
    pub name: String,
    /// Where it comes from: `fonts/…` for a project file, `built-in` or a system path.
    pub origin: String,
    pub built_in: bool,
    /// The whole font file, and the index of the face in it (non-zero in a collection).
    pub data: Arc<Vec<u8>>,
    pub index: u32,
    pub monospace: bool,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("family", &self.family)
            .field("name", &self.name)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Face {
    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        ttf_parser::Face::parse(&self.data, self.index)
            .ok()
            .and_then(|f| f.glyph_index(c))
            .is_some()
    }
}

/// A face that cannot be read, located at its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontError {
    /// The file, relative to the project (`fonts/Body.ttf`), or the folder.
    pub file: String,
    pub reason: String,
}

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read the font `{}`: {}", self.file, self.reason)
    }
}

impl std::error::Error for FontError {}

/// The faces compiled into the binary: (PostScript name, file bytes), in fallback order.
const BUILT_IN: &[(&str, &[u8])] = &[
    (
        "EBGaramond-Regular",
        include_bytes!("../fonts/EBGaramond-Regular.ttf"),
    ),
    (
        "EBGaramond-Italic",
        include_bytes!("../fonts/EBGaramond-Italic.ttf"),
    ),
    (
        "EBGaramond-Bold",
        include_bytes!("../fonts/EBGaramond-Bold.ttf"),
    ),
    (
        "EBGaramond-BoldItalic",
        include_bytes!("../fonts/EBGaramond-BoldItalic.ttf"),
    ),
    ("DejaVuSerif", include_bytes!("../fonts/DejaVuSerif.ttf")),
    (
        "NotoNaskhArabic-Regular",
        include_bytes!("../fonts/NotoNaskhArabic-Regular.ttf"),
    ),
    (
        "NotoSerifHebrew-Regular",
        include_bytes!("../fonts/NotoSerifHebrew-Regular.ttf"),
    ),
    (
        "DejaVuSansMono",
        include_bytes!("../fonts/DejaVuSansMono.ttf"),
    ),
];

/// The text family when the design names none.
pub const DEFAULT_FAMILY: &str = "EB Garamond";

/// Every face of a build, project faces first, built-in ones last.
#[derive(Debug, Clone)]
pub struct FontSet {
    faces: Vec<Face>,
}

impl Default for FontSet {
    fn default() -> FontSet {
        FontSet::built_in()
    }
}

impl FontSet {
    /// The built-in faces alone.
    pub fn built_in() -> FontSet {
        let faces = BUILT_IN
            .iter()
            .map(|(name, bytes)| {
                let mut face = read_face(Arc::new(bytes.to_vec()), 0, "built-in")
                    .expect("the built-in faces are valid fonts");
                face.name = (*name).to_owned();
                face.built_in = true;
                face
            })
            .collect();
        FontSet { faces }
    }

    /// The faces of the project at `root` (its `fonts/` folder, when it has one), the system's
    /// when `system` is set, and the built-in ones.
    pub fn load(root: &Path, system: bool) -> Result<FontSet, FontError> {
        let built_in = FontSet::built_in();
        let mut faces = Vec::new();
        let dir = root.join("fonts");
        if dir.is_dir() {
            let folder_error = |e: std::io::Error| FontError {
                file: "fonts/".into(),
                reason: e.to_string(),
            };
            let mut names = Vec::new();
            for entry in std::fs::read_dir(&dir).map_err(folder_error)? {
                let name = entry.map_err(folder_error)?.file_name();
                let name = name.to_string_lossy().into_owned();
                if is_font_file(&name) && !name.starts_with('.') {
                    names.push(name);
                }
            }
            names.sort();
            for name in names {
                let origin = format!("fonts/{name}");
                let data = std::fs::read(dir.join(&name)).map_err(|e| FontError {
                    file: origin.clone(),
                    reason: e.to_string(),
                })?;
                let data = Arc::new(data);
                if built_in.faces.iter().any(|b| b.data == data) {
                    continue;
                }
                faces.extend(read_file(data, &origin)?);
            }
        }
        if system {
            faces.extend(system_faces());
        }
        faces.extend(built_in.faces);
        Ok(FontSet { faces })
    }

    /// Every face, project faces first.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// The families, in fallback order, each once.
    pub fn families(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for face in &self.faces {
            if !out.contains(&face.family.as_str()) {
                out.push(&face.family);
            }
        }
        out
    }

    /// The face of `family` in a style: the exact style, else the nearest one it has
    /// (bold italic → bold → italic → regular).
    pub fn style_of(&self, family: &str, bold: bool, italic: bool) -> Option<&Face> {
        let of_family = || self.faces.iter().filter(|f| f.family == family);
        let wanted = [
            (bold, italic),
            (bold, false),
            (false, italic),
            (false, false),
        ];
        wanted
            .iter()
            .find_map(|&(b, i)| of_family().find(|f| f.bold == b && f.italic == i))
            .or_else(|| of_family().next())
    }

    /// The text family's faces in the order regular, italic, bold, bold italic (a style the
    /// family lacks takes its nearest face), then the fallback faces: the regular face of
    /// every other family, in the set's order. Indices into [`FontSet::faces`].
    pub fn chain(&self, text_family: &str) -> Vec<usize> {
        let index = |face: &Face| {
            self.faces
                .iter()
                .position(|f| std::ptr::eq(f, face))
                .expect("the face is in the set")
        };
        let mut out: Vec<usize> = [(false, false), (false, true), (true, false), (true, true)]
            .iter()
            .filter_map(|&(b, i)| self.style_of(text_family, b, i).map(index))
            .collect();
        for family in self.families() {
            if family != text_family {
                if let Some(face) = self.style_of(family, false, false) {
                    out.push(index(face));
                }
            }
        }
        out
    }

    /// The family `design.font` names (case-insensitive), or the nearest names for a hint.
    pub fn find_family(&self, name: &str) -> Result<&str, Vec<&str>> {
        let families = self.families();
        families
            .iter()
            .find(|f| f.eq_ignore_ascii_case(name))
            .copied()
            .ok_or(families)
    }
}

fn is_font_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".ttf", ".otf", ".ttc", ".otc"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Every face of a file (several in a collection).
fn read_file(data: Arc<Vec<u8>>, origin: &str) -> Result<Vec<Face>, FontError> {
    let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
    (0..count)
        .map(|index| read_face(data.clone(), index, origin))
        .collect()
}

fn read_face(data: Arc<Vec<u8>>, index: u32, origin: &str) -> Result<Face, FontError> {
    let face = ttf_parser::Face::parse(&data, index).map_err(|e| FontError {
        file: origin.to_owned(),
        reason: format!("not a TrueType or OpenType font ({e})"),
    })?;
    let name = |id: u16| {
        face.names()
            .into_iter()
            .filter(|n| n.name_id == id)
            .find_map(|n| n.to_string())
            .filter(|s| !s.trim().is_empty())
    };
    use ttf_parser::name_id;
    let family = name(name_id::TYPOGRAPHIC_FAMILY)
        .or_else(|| name(name_id::FAMILY))
        .ok_or_else(|| FontError {
            file: origin.to_owned(),
            reason: "the font's name table gives no family name".into(),
        })?;
    let bold = face.is_bold() || face.weight().to_number() >= 600;
    let italic = face.is_italic() || face.is_oblique();
    let style = match (bold, italic) {
        (false, false) => "Regular",
        (false, true) => "Italic",
        (true, false) => "Bold",
        (true, true) => "BoldItalic",
    };
    let postscript = name(name_id::POST_SCRIPT_NAME)
        .unwrap_or_else(|| format!("{}-{style}", family.replace(' ', "")));
    let postscript: String = postscript
        .chars()
        .filter(|c| c.is_ascii_graphic() && !"[](){}<>/%#".contains(*c))
        .collect();
    Ok(Face {
        family: family.trim().to_owned(),
        bold,
        italic,
        name: postscript,
        origin: origin.to_owned(),
        built_in: false,
        monospace: face.is_monospaced(),
        data,
        index,
    })
}

/// The machine's fonts (`--system-fonts`); faces that cannot be read are passed over, as
/// they are no part of the project.
fn system_faces() -> Vec<Face> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let mut paths: Vec<(std::path::PathBuf, u32)> = db
        .faces()
        .filter_map(|f| match &f.source {
            fontdb::Source::File(path) => Some((path.clone(), f.index)),
            _ => None,
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut last: Option<(std::path::PathBuf, Arc<Vec<u8>>)> = None;
    for (path, index) in paths {
        let data = match &last {
            Some((p, d)) if *p == path => d.clone(),
            _ => match std::fs::read(&path) {
                Ok(d) => Arc::new(d),
                Err(_) => continue,
            },
        };
        last = Some((path.clone(), data.clone()));
        if let Ok(face) = read_face(data, index, &path.display().to_string()) {
            out.push(face);
        }
    }
    out
}

/// The Unicode script of `c`, by name, and a font family that covers it, for the message
/// about a character no face has.
pub fn script_and_suggestion(c: char) -> (String, String) {
    use unicode_script::UnicodeScript;
    let script = c.script();
    let name = script.full_name().replace('_', " ");
    let suggestion = match script {
        unicode_script::Script::Han
        | unicode_script::Script::Hiragana
        | unicode_script::Script::Katakana => "Noto Serif CJK".to_owned(),
        unicode_script::Script::Hangul => "Noto Serif CJK KR".to_owned(),
        unicode_script::Script::Common | unicode_script::Script::Unknown => {
            if ('\u{1F300}'..='\u{1FAFF}').contains(&c) || ('\u{2600}'..='\u{27BF}').contains(&c) {
                "Noto Emoji".to_owned()
            } else {
                "Noto Sans Symbols 2".to_owned()
            }
        }
        _ => format!("Noto Serif {name} or Noto Sans {name}"),
    };
    (name, suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_faces_are_known_by_their_names() {
        let set = FontSet::built_in();
        assert_eq!(
            set.families(),
            vec![
                "EB Garamond",
                "DejaVu Serif",
                "Noto Naskh Arabic",
                "Noto Serif Hebrew",
                "DejaVu Sans Mono"
            ]
        );
        let bi = set.style_of("EB Garamond", true, true).unwrap();
        assert_eq!(bi.name, "EBGaramond-BoldItalic");
        // A style the family lacks takes its nearest face.
        assert_eq!(
            set.style_of("DejaVu Serif", true, true).unwrap().name,
            "DejaVuSerif"
        );
        assert_eq!(set.chain("EB Garamond"), vec![0, 1, 2, 3, 4, 5, 6, 7]);
        assert!(set.faces()[7].monospace);
        assert!(set.faces()[5].covers('ف') && set.faces()[6].covers('א'));
    }

    #[test]
    fn a_project_without_fonts_has_the_built_in_set_and_junk_is_located() {
        let dir = std::env::temp_dir().join(format!("variorum-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(
            FontSet::load(&dir, false).unwrap().faces().len(),
            BUILT_IN.len()
        );
        std::fs::create_dir_all(dir.join("fonts")).unwrap();
        std::fs::write(dir.join("fonts/Body.TTF"), b"not a font").unwrap();
        std::fs::write(dir.join("fonts/README.txt"), b"ignored").unwrap();
        let err = FontSet::load(&dir, false).unwrap_err();
        assert_eq!(err.file, "fonts/Body.TTF");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn scripts_are_named_with_a_font_to_try() {
        assert_eq!(script_and_suggestion('क').0, "Devanagari");
        assert!(script_and_suggestion('क')
            .1
            .contains("Noto Serif Devanagari"));
        assert_eq!(script_and_suggestion('漢').1, "Noto Serif CJK");
    }
}
