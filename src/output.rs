//! Writing outputs safely: the output folder is checked against the project's sources, and
//! every file is written to a temporary name in its folder and renamed into place only when
//! all outputs are ready, so a failed build never leaves a half-written or missing file.

use crate::diag::Diagnostic;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// Outputs being written as a set: each goes to a temporary file in the output folder; only
/// [`Staging::commit`] renames them into place, and a staging dropped before that removes
/// its temporary files, leaving the previous outputs untouched.
pub struct Staging {
    dir: PathBuf,
    /// `(temporary file, final path)` of each output written so far (outputs may be written
    /// from several threads at once).
    files: Mutex<Vec<(PathBuf, PathBuf)>>,
}

impl Staging {
    pub fn new(dir: &Path) -> Staging {
        Staging {
            dir: dir.to_path_buf(),
            files: Mutex::new(Vec::new()),
        }
    }

    /// Writes the output `name` through `write`, buffered, into a temporary file, which is
    /// flushed to disk before this returns.
    pub fn write(
        &self,
        name: &str,
        write: impl FnOnce(&mut BufWriter<File>) -> Result<(), Box<Diagnostic>>,
    ) -> Result<(), Box<Diagnostic>> {
        let target = self.dir.join(name);
        let temp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
        let cannot_write = |e: std::io::Error| {
            Box::new(
                Diagnostic::error(format!("cannot write `{}`: {e}", target.display()))
                    .hint("check that the output folder is writable and the disk is not full; the previous outputs are untouched"),
            )
        };
        let file = File::create(&temp).map_err(cannot_write)?;
        // Recorded at once, so that the file is removed whatever happens next.
        self.files().push((temp, target.clone()));
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| cannot_write(e.into_error()))?;
        file.sync_all().map_err(cannot_write)
    }

    /// Renames every output into place, by name; returns their paths. Should a rename fail,
    /// the temporary files not yet renamed are removed (by `Drop`).
    pub fn commit(self) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
        let mut files = self.files();
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let mut written = Vec::new();
        while !files.is_empty() {
            let (temp, target) = &files[0];
            if let Err(e) = std::fs::rename(temp, target) {
                return Err(Box::new(Diagnostic::error(format!(
                    "cannot move the new `{}` into place: {e}",
                    target.display()
                ))));
            }
            let (_, target) = files.remove(0);
            written.push(target);
        }
        Ok(written)
    }
}

impl Staging {
    /// The list of files, even if a thread panicked while holding it.
    fn files(&self) -> std::sync::MutexGuard<'_, Vec<(PathBuf, PathBuf)>> {
        self.files
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (temp, _) in self.files().iter() {
            let _ = std::fs::remove_file(temp);
        }
    }
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
    use std::io::Write;

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

    /// Writes every `(name, bytes)` as one staged set.
    fn write_all(dir: &Path, outputs: &[(&str, &[u8])]) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
        let staging = Staging::new(dir);
        for (name, bytes) in outputs {
            staging.write(name, |out| {
                out.write_all(bytes)
                    .map_err(|e| Box::new(Diagnostic::error(e.to_string())))
            })?;
        }
        staging.commit()
    }

    #[test]
    fn a_failed_write_changes_nothing() {
        let root = temp_project("write-fail");
        let out = prepare_dir(&root, &root.join("out")).unwrap();
        write_all(&out, &[("a.epub", b"old")]).unwrap();
        // A folder where the temporary file of the second output would go makes it fail.
        let blocked = format!(".b.pdf.tmp-{}", std::process::id());
        std::fs::create_dir_all(out.join(&blocked)).unwrap();
        let result = write_all(&out, &[("a.epub", b"new"), ("b.pdf", b"new")]);
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
        write_all(&out, &[("a.epub", b"one")]).unwrap();
        write_all(&out, &[("a.epub", b"two")]).unwrap();
        assert_eq!(std::fs::read(out.join("a.epub")).unwrap(), b"two");
        let leftovers = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary files are left behind");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_writer_that_fails_midway_leaves_no_file() {
        let root = temp_project("writer-fail");
        let out = prepare_dir(&root, &root.join("out")).unwrap();
        write_all(&out, &[("b.pdf", b"old")]).unwrap();
        let staging = Staging::new(&out);
        let result = staging.write("b.pdf", |out| {
            out.write_all(b"half").unwrap();
            Err(Box::new(Diagnostic::error("layout failed")))
        });
        assert!(result.is_err());
        drop(staging);
        assert_eq!(std::fs::read(out.join("b.pdf")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn outputs_written_from_two_threads_land_in_name_order() {
        let root = temp_project("threads");
        let out = prepare_dir(&root, &root.join("out")).unwrap();
        let staging = Staging::new(&out);
        let write = |name: &str| {
            staging.write(name, |out| {
                out.write_all(name.as_bytes())
                    .map_err(|e| Box::new(Diagnostic::error(e.to_string())))
            })
        };
        std::thread::scope(|scope| {
            let second = scope.spawn(|| write("b.pdf"));
            write("a.epub").unwrap();
            second.join().unwrap().unwrap();
        });
        let written = staging.commit().unwrap();
        assert_eq!(written, vec![out.join("a.epub"), out.join("b.pdf")]);
        assert_eq!(std::fs::read(out.join("b.pdf")).unwrap(), b"b.pdf");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
