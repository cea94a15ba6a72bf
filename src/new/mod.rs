//! `variorum new`: a small, complete edition to start from, written into an empty folder.
//!
//! The template's files live beside this module (`template/`) as real files, compiled in. No
//! fonts are written: the built-in font set (`crate::fonts`) serves a project without `fonts/`.

use std::fmt;
use std::path::{Path, PathBuf};

/// The template: each file's path inside the new edition and its bytes.
const FILES: &[(&str, &[u8])] = &[
    ("README.md", include_bytes!("template/README.md")),
    ("footnotes.yaml", include_bytes!("template/footnotes.yaml")),
    (
        "manuscript/00-introduction.md",
        include_bytes!("template/manuscript/00-introduction.md"),
    ),
    (
        "manuscript/01-wordsworth-1807.md",
        include_bytes!("template/manuscript/01-wordsworth-1807.md"),
    ),
    (
        "manuscript/02-wordsworth-1815.md",
        include_bytes!("template/manuscript/02-wordsworth-1815.md"),
    ),
    (
        "sources/wordsworth-1807.txt",
        include_bytes!("template/sources/wordsworth-1807.txt"),
    ),
    (
        "sources/wordsworth-1815.txt",
        include_bytes!("template/sources/wordsworth-1815.txt"),
    ),
];

/// Why a new edition could not be written.
#[derive(Debug)]
pub enum NewError {
    /// The folder exists and holds something.
    NotEmpty(PathBuf),
    /// The path exists and is not a folder.
    NotAFolder(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::NotEmpty(p) => write!(f, "`{}` is not empty", p.display()),
            NewError::NotAFolder(p) => write!(f, "`{}` exists and is not a folder", p.display()),
            NewError::Io(p, e) => write!(f, "cannot write `{}`: {e}", p.display()),
        }
    }
}

impl NewError {
    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            NewError::NotEmpty(_) | NewError::NotAFolder(_) => {
                "give the name of a folder that does not exist yet, or of an empty one; nothing was written"
            }
            NewError::Io(..) => "check that the folder is writable and the disk is not full",
        }
    }
}

/// Writes the template edition into `dir`, which must not exist or be empty, and returns the
/// paths written (relative to `dir`).
pub fn create(dir: &Path) -> Result<Vec<&'static str>, NewError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(NewError::NotEmpty(dir.to_owned()));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(_) if dir.exists() => return Err(NewError::NotAFolder(dir.to_owned())),
        Err(e) => return Err(NewError::Io(dir.to_owned(), e)),
    }
    for (path, bytes) in FILES {
        let target = dir.join(path);
        let parent = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| NewError::Io(parent.to_owned(), e))?;
        std::fs::write(&target, bytes).map_err(|e| NewError::Io(target.clone(), e))?;
    }
    Ok(FILES.iter().map(|(path, _)| *path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("variorum-new-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn writes_a_fresh_folder_and_refuses_a_full_one() {
        let dir = scratch("fresh");
        let written = create(&dir).unwrap();
        assert!(written.contains(&"footnotes.yaml"));
        assert!(dir.join("manuscript/01-wordsworth-1807.md").is_file());
        assert!(matches!(create(&dir), Err(NewError::NotEmpty(_))));
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        create(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_template_edition_checks_clean() {
        let dir = scratch("check");
        create(&dir).unwrap();
        let checked = crate::check(&dir);
        let edition = checked.edition.as_ref().expect("the template has errors");
        assert_eq!(
            checked.diagnostics.warning_count(),
            0,
            "{:?}",
            checked.diagnostics
        );
        assert_eq!(edition.witnesses().count(), 2);
        let kinds: std::collections::BTreeSet<_> = edition
            .notes
            .iter()
            .map(|n| format!("{:?}", n.kind))
            .collect();
        assert_eq!(kinds.len(), 5, "a note of each kind: {kinds:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
