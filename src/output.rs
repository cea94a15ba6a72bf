//! Writing outputs safely: the output folder is checked against the project's sources, and
//! every file is written to a temporary name in its folder and renamed into place only when
//! all outputs are ready, so a failed build never leaves a half-written or missing file.

use crate::diag::Diagnostic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Folders of a project that outputs must never go into.
const PROTECTED: &[&str] = &["manuscript", "sources", "fonts", "src", ".git"];

/// Checks that `out` is a safe output folder for the project at `root` and creates it.
pub fn prepare_dir(root: &Path, out: &Path) -> Result<PathBuf, Box<Diagnostic>> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    if out_abs == root_abs {
        return Err(Box::new(
            Diagnostic::error(format!(
                "refusing to write outputs into the edition's own folder `{}`",
                out.display()
            ))
            .hint("write them to a folder of their own, e.g. `--out out`"),
        ));
    }
    for name in PROTECTED {
        let protected = root_abs.join(name);
        if out_abs.starts_with(&protected) {
            return Err(Box::new(
                Diagnostic::error(format!(
                    "refusing to write outputs inside `{name}/`, which holds the edition's sources"
                ))
                .hint("choose another `--out` folder, e.g. `out`"),
            ));
        }
    }
    std::fs::create_dir_all(&out_abs).map_err(|e| {
        Box::new(
            Diagnostic::error(format!(
                "cannot create the output folder `{}`: {e}",
                out.display()
            ))
            .hint("check the path and your permissions, or choose another `--out`"),
        )
    })?;
    Ok(out_abs)
}

/// Writes every `(file name, bytes)` into `dir` atomically as a set: all are first written to
/// temporary files; only when all succeeded are they renamed into place. On failure the
/// temporary files are removed and the previous outputs are left untouched.
pub fn write_all(
    dir: &Path,
    outputs: &[(String, Vec<u8>)],
) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (name, bytes) in outputs {
        let target = dir.join(name);
        let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
        if let Err(e) = write_file(&temp, bytes) {
            let _ = std::fs::remove_file(&temp);
            for (t, _) in &temps {
                let _ = std::fs::remove_file(t);
            }
            return Err(Box::new(
                Diagnostic::error(format!("cannot write `{}`: {e}", target.display()))
                    .hint("check that the output folder is writable and the disk is not full; the previous outputs are untouched"),
            ));
        }
        temps.push((temp, target));
    }
    let mut written = Vec::new();
    for (temp, target) in temps {
        std::fs::rename(&temp, &target).map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            Box::new(Diagnostic::error(format!(
                "cannot move the new `{}` into place: {e}",
                target.display()
            )))
        })?;
        written.push(target);
    }
    Ok(written)
}

fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// An absolute, lexically normalised path (`.` and `..` folded) without touching the disk, so
/// that a folder not yet created can still be compared.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let joined = joined.canonicalize().unwrap_or(joined);
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_project(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("variorum-out-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("manuscript")).unwrap();
        dir
    }

    #[test]
    fn refuses_the_root_and_the_manuscript() {
        let root = temp_project("refuse");
        assert!(prepare_dir(&root, &root).is_err());
        assert!(prepare_dir(&root, &root.join("manuscript")).is_err());
        assert!(prepare_dir(&root, &root.join("manuscript/deeper/../x")).is_err());
        assert!(prepare_dir(&root, &root.join("out/../manuscript")).is_err());
        assert!(prepare_dir(&root, &root.join("out")).is_ok());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let root = temp_project("write-fail");
        let out = prepare_dir(&root, &root.join("out")).unwrap();
        write_all(&out, &[("a.epub".into(), b"old".to_vec())]).unwrap();
        // A folder where the temporary file of the second output would go makes it fail.
        let blocked = format!(".b.pdf.tmp-{}", std::process::id());
        std::fs::create_dir_all(out.join(&blocked)).unwrap();
        let result = write_all(
            &out,
            &[
                ("a.epub".into(), b"new".to_vec()),
                ("b.pdf".into(), b"new".to_vec()),
            ],
        );
        assert!(result.is_err());
        assert_eq!(std::fs::read(out.join("a.epub")).unwrap(), b"old");
        std::fs::remove_dir(out.join(&blocked)).unwrap();
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.epub")]);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn writes_replace_files_whole() {
        let root = temp_project("write");
        let out = prepare_dir(&root, &root.join("out")).unwrap();
        write_all(&out, &[("a.epub".into(), b"one".to_vec())]).unwrap();
        write_all(&out, &[("a.epub".into(), b"two".to_vec())]).unwrap();
        assert_eq!(std::fs::read(out.join("a.epub")).unwrap(), b"two");
        let leftovers = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files are left behind");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
