//! The small harness every test here uses: run the built `variorum`, normalise what it prints,
//! compare with a snapshot file, scratch folders that clean up after themselves, and the
//! repository's editions (the seed and the fixtures) checked into their model.

use std::path::{Path, PathBuf};
use std::process::Command;
use variorum::model::{plain_text, Block, Edition};

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stderr: String,
}

/// Runs `variorum` with `args`, with no `SOURCE_DATE_EPOCH` or colour settings inherited.
pub fn variorum<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    variorum_with_epoch(args, None)
}

/// Runs `variorum` with `args` and `SOURCE_DATE_EPOCH` set to `epoch` (unset for `None`).
fn variorum_with_epoch<I, S>(args: I, epoch: Option<&str>) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = Command::new(env!("CARGO_BIN_EXE_variorum"));
    command
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR");
    if let Some(epoch) = epoch {
        command.env("SOURCE_DATE_EPOCH", epoch);
    }
    let output = command.output().expect("the variorum binary runs");
    Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `variorum build <project> --out <out>`.
pub fn build(project: &Path, out: &Path) -> Run {
    build_with_epoch(project, out, None)
}

/// Runs `variorum build <project> --out <out> [extra…]`, which must succeed; the files it
/// wrote into `out`, sorted.
pub fn build_succeeding(project: &Path, out: &Path, extra: &[&str]) -> Vec<PathBuf> {
    let mut args = vec![
        "build",
        project.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let run = variorum(args);
    assert_eq!(run.code, Some(0), "build failed:\n{}", run.stderr);
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The one of `files` whose extension is `ext`.
pub fn output(files: &[PathBuf], ext: &str) -> PathBuf {
    files
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == ext))
        .cloned()
        .unwrap_or_else(|| panic!("no .{ext} written among {files:?}"))
}

/// Runs `variorum build <project> --out <out>` with `SOURCE_DATE_EPOCH` set to `epoch`.
pub fn build_with_epoch(project: &Path, out: &Path, epoch: Option<&str>) -> Run {
    variorum_with_epoch(
        [Path::new("build"), project, Path::new("--out"), out],
        epoch,
    )
}

/// The repository, which is also the seed edition's project.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's `tests/fixtures` folder.
pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// A copy of a valid fixture edition in a scratch folder, so a test may break or extend it.
pub fn valid_copy(scratch: &Scratch) -> PathBuf {
    let project = scratch.path().join("edition");
    copy_dir(&fixtures().join("valid/robust-crlf"), &project);
    project
}

/// The checked edition of a project; fails the test on any error.
pub fn edition(root: &Path) -> Edition {
    let checked = variorum::check(root);
    let report = variorum::diag::render(&checked.diagnostics, &checked.sources, false);
    checked
        .edition
        .unwrap_or_else(|| panic!("{} does not check:\n{report}", root.display()))
}

/// The plain text of every block with inline content (and of code blocks), white space folded,
/// one string per block.
pub fn block_texts(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Heading { content, .. }
            | Block::HeaderLine { content, .. }
            | Block::Paragraph(content)
            | Block::Entry { content, .. } => out.push(fold(&plain_text(content))),
            Block::Quote(inner) => block_texts(inner, out),
            Block::List { items, .. } => items.iter().for_each(|i| block_texts(i, out)),
            Block::Code(code) => out.push(fold(code)),
            Block::Rule => {}
            Block::Table(table) => std::iter::once(&table.header)
                .chain(&table.rows)
                .flatten()
                .for_each(|cell| out.push(fold(&plain_text(cell)))),
            Block::Figure(figure) => out.push(fold(&plain_text(&figure.caption))),
            Block::ChronologyTable { head, rows } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    out.push(fold(&plain_text(cell)));
                }
            }
            Block::Timeline(_) => {}
        }
    }
}

/// Runs of white space folded to one space, ends trimmed.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sub-folders of `dir`, sorted by name.
pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Replaces the absolute path of a fixture (and of a scratch folder) by stable names, so that
/// snapshots do not depend on where the repository is checked out.
pub fn normalise(text: &str, replacements: &[(&Path, &str)]) -> String {
    let mut out = text.to_owned();
    for (path, name) in replacements {
        out = out.replace(&path.display().to_string(), name);
    }
    out
}

/// Compares `actual` with the snapshot at `path`; with `UPDATE_SNAPSHOTS=1` in the
/// environment, rewrites the snapshot instead. Returns a description of the mismatch.
pub fn compare_snapshot(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(path, actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return Ok(());
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{} differs (run with UPDATE_SNAPSHOTS=1 to accept):\n{}",
            path.display(),
            line_diff(&expected, actual)
        ))
    }
}

/// A plain line diff: `-` expected, `+` actual, for the lines that differ by position.
fn line_diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = String::new();
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("{:>4} - {x}\n", i + 1));
                }
                if let Some(y) = y {
                    out.push_str(&format!("{:>4} + {y}\n", i + 1));
                }
            }
        }
    }
    out
}

/// A scratch folder under the system's temporary folder, removed when dropped.
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// A new, empty scratch folder; `tag` makes its name readable when something is left over.
    pub fn new(tag: &str) -> Scratch {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("variorum-test-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a scratch folder can be created");
        Scratch { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to `rel` inside the folder, creating parent folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent folders can be created");
        }
        std::fs::write(&path, bytes).expect("a scratch file can be written");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Restore permissions a test may have taken away, so the folder can be removed.
        restore_permissions(&self.path);
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(unix)]
fn restore_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for path in files_under(dir) {
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644));
    }
}

#[cfg(not(unix))]
fn restore_permissions(_dir: &Path) {}

/// Every file (not folder) under `dir`, recursively, sorted; empty when `dir` does not exist.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every file under `dir` with its bytes, paths relative to `dir`, sorted.
pub fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("a file just listed can be read");
            (p.strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// In which order [`copy_seed`] creates the files.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CreationOrder {
    ByName,
    Reversed,
}

/// Copies the repository's edition (its apparatus, manuscript, sources and fonts) to `to`,
/// creating the files in name order or in the opposite order, so that a file system listing
/// files in creation order lists the two copies differently.
pub fn copy_seed(to: &Path, order: CreationOrder) {
    let repo = repo();
    let mut files = vec![repo.join("footnotes.yaml")];
    for dir in ["manuscript", "sources", "fonts"] {
        files.extend(files_under(&repo.join(dir)));
    }
    files.sort();
    if order == CreationOrder::Reversed {
        files.reverse();
    }
    for file in files {
        let target = to.join(file.strip_prefix(repo).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).expect("an edition file can be copied");
    }
}

/// Copies the folder `from` to `to` recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the copy's folder can be created");
    for entry in std::fs::read_dir(from)
        .expect("the folder can be listed")
        .flatten()
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a file can be copied");
        }
    }
}
