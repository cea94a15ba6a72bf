//! Archive normalisation: `epub-builder`'s `ZipLibrary` stamps every entry with the current
//! time, so the zip is rewritten entry by entry into the output, with the edition's date as
//! timestamp, fixed permissions and a fixed order (`mimetype` first and stored, then
//! `META-INF/container.xml`, then every other entry by name), applying
//! [`super::package::fix_entry`] on the way. Entries that need no correction are copied still
//! compressed, so nothing is deflated twice. (`epub-builder`'s trait for other zip writers is
//! private, so its in-memory archive of compressed pages cannot be avoided.)

use super::EpubError;
use crate::model::EditionMeta;
use std::io::{Cursor, Read, Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// A correction applied to an entry: `(metadata, entry name, bytes) -> bytes`.
pub(crate) type FixEntry = fn(&EditionMeta, &str, Vec<u8>) -> Result<Vec<u8>, EpubError>;

/// The archive `packed`, rewritten reproducibly into `out`. The entries named in `fixed` are
/// inflated, passed through `fix` and deflated again; the others are copied compressed as they
/// are.
pub(crate) fn normalise<W: Write + Seek>(
    packed: &[u8],
    meta: &EditionMeta,
    fixed: &[&str],
    fix: FixEntry,
    out: &mut W,
) -> Result<(), EpubError> {
    let mut archive = ZipArchive::new(Cursor::new(packed)).map_err(archive_error)?;
    let mut names: Vec<String> = archive
        .file_names()
        .filter(|n| !n.ends_with('/'))
        .map(str::to_owned)
        .collect();
    names.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    if names.first().map(String::as_str) != Some("mimetype") {
        return Err(EpubError::Archive(
            "epub-builder wrote no `mimetype`".into(),
        ));
    }
    let time = timestamp(&meta.date);
    let mut writer = ZipWriter::new(out);
    for name in &names {
        let mut file = archive.by_name(name).map_err(archive_error)?;
        let stored = name == "mimetype";
        if stored && file.compression() != CompressionMethod::Stored {
            return Err(EpubError::Archive(
                "the `mimetype` entry is compressed".into(),
            ));
        }
        if !fixed.contains(&name.as_str()) {
            writer
                .raw_copy_file_touch(file, time, Some(PERMISSIONS))
                .map_err(archive_error)?;
            continue;
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        file.read_to_end(&mut bytes)
            .map_err(|e| EpubError::Archive(e.to_string()))?;
        drop(file);
        let bytes = fix(meta, name, bytes)?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(PERMISSIONS);
        writer
            .start_file(name.as_str(), options)
            .map_err(archive_error)?;
        writer.write_all(&bytes).map_err(write_error)?;
    }
    writer.finish().map(drop).map_err(archive_error)
}

/// Permissions of every entry (`rw-r--r--`), whoever builds.
const PERMISSIONS: u32 = 0o644;

/// Entries that must come first, in this order.
fn rank(name: &str) -> u8 {
    match name {
        "mimetype" => 0,
        "META-INF/container.xml" => 1,
        _ => 2,
    }
}

/// Midnight of the edition's date, within the range a zip timestamp can hold.
fn timestamp(date: &str) -> DateTime {
    let mut parts = date.split('-').map(|p| p.parse::<u16>().unwrap_or(1));
    let year = parts.next().unwrap_or(1980).clamp(1980, 2107);
    let month = parts.next().unwrap_or(1).clamp(1, 12) as u8;
    let day = parts.next().unwrap_or(1).clamp(1, 31) as u8;
    DateTime::from_date_and_time(year, month, day, 0, 0, 0)
        .or_else(|_| DateTime::from_date_and_time(year, month, 1, 0, 0, 0))
        .unwrap_or_default()
}

/// A zip error; an I/O error is the output's, as the archive read is in memory.
fn archive_error(e: zip::result::ZipError) -> EpubError {
    match e {
        zip::result::ZipError::Io(e) => write_error(e),
        other => EpubError::Archive(other.to_string()),
    }
}

fn write_error(e: std::io::Error) -> EpubError {
    EpubError::Write(e.to_string())
}
