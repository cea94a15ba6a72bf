//! Watching an edition's sources: `manuscript/`, `footnotes.yaml`, `fonts/` and the
//! bibliography, through `notify`, with events debounced so that one save is one rebuild.

use super::ServeError;
use notify::RecursiveMode;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long the sources must stay still before a rebuild: an editor's save is often several
/// writes and renames.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Whether a changed path (relative to the edition's folder) is one of its sources.
fn is_source(relative: &Path) -> bool {
    let mut parts = relative.components();
    let Some(first) = parts.next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    let alone = parts.next().is_none();
    first == "manuscript"
        || first == "fonts"
        || first == "sources"
        || (alone && (first == "footnotes.yaml" || first.starts_with("bibliography.")))
}

/// Calls `run` once, then again after every change to the sources of the edition at `root`.
/// The output folder is not watched (unless it is inside a source folder, which `build`
/// refuses). Returns only when watching fails.
pub(super) fn on_change(root: &Path, mut run: impl FnMut()) -> Result<(), ServeError> {
    let watch_error = |e: notify::Error| ServeError::Watch(root.to_owned(), e.to_string());
    let (events, changes) = mpsc::channel();
    let mut debouncer =
        notify_debouncer_mini::new_debouncer(DEBOUNCE, events).map_err(watch_error)?;
    // The folder itself, not recursively (`footnotes.yaml`, the bibliography, and source
    // folders created later), and each source folder that exists, recursively.
    debouncer
        .watcher()
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(watch_error)?;
    let mut watched = Vec::new();
    let mut watch_folders = |debouncer: &mut notify_debouncer_mini::Debouncer<_>| {
        for folder in ["manuscript", "fonts", "sources"] {
            let path = root.join(folder);
            if !watched.contains(&folder)
                && path.is_dir()
                && debouncer
                    .watcher()
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                watched.push(folder);
            }
        }
    };
    watch_folders(&mut debouncer);
    let mut last = fingerprint(root);
    run();
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let within = |path: &Path| {
        [root, canonical.as_path()]
            .iter()
            .any(|r| path.strip_prefix(r).is_ok_and(is_source))
    };
    for batch in changes {
        let Ok(batch) = batch else {
            continue;
        };
        let relevant = batch.iter().any(|event| {
            within(&event.path)
                || std::fs::canonicalize(&event.path).is_ok_and(|path| within(&path))
        });
        // Reading the sources is an event too (an open, an access): rebuild only when what
        // the sources hold on disk has changed.
        let now = fingerprint(root);
        if relevant && now != last {
            last = now;
            watch_folders(&mut debouncer);
            run();
        }
    }
    Ok(())
}

/// The sources' paths, sizes and modification times, in a fixed order.
fn fingerprint(root: &Path) -> Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            if !is_source(relative) {
                continue;
            }
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => stack.push(path),
                Ok(meta) => out.push((path, meta.len(), meta.modified().ok())),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::is_source;
    use std::path::Path;

    #[test]
    fn sources_are_told_from_outputs() {
        for source in [
            "manuscript/a.md",
            "manuscript",
            "footnotes.yaml",
            "fonts/X-Regular.ttf",
            "bibliography.yaml",
            "sources/a.html",
        ] {
            assert!(is_source(Path::new(source)), "{source}");
        }
        for other in [
            "out/edition.pdf",
            "README.md",
            "out",
            "notes/footnotes.yaml",
        ] {
            assert!(!is_source(Path::new(other)), "{other}");
        }
    }
}
