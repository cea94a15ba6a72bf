//! Archive normalisation: `epub-builder`'s `ZipLibrary` stamps every entry with the current
//! time, so the zip is rewritten entry by entry into the output, with the edition's date as
//! timestamp, fixed permissions and a fixed order (`mimetype` first and stored, then
//! `META-INF/container.xml`, then every other entry by name), applying
//! [`super::package::fix_entry`] on the way. Entries that need no correction are copied still
//! compressed, so nothing is deflated twice. (`epub-builder`'s trait for other zip writers is
//! private, so its in-memory archive of compressed pages cannot be avoided.)

use super::EpubError;
use crate::model::{EditionMeta, Timestamp};
use chrono::{Datelike, Timelike};
use std::io::{Cursor, Read, Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// A correction applied to an entry: `(metadata, entry name, bytes) -> bytes`.
pub(crate) type FixEntry<'a> =
    &'a dyn Fn(&EditionMeta, &str, Vec<u8>) -> Result<Vec<u8>, EpubError>;

/// The archive `packed`, rewritten reproducibly into `out`. The entries named in `fixed` are
/// inflated, passed through `fix` and deflated again; the others are copied compressed as they
/// are.
pub(crate) fn normalise<W: Write + Seek>(
    packed: &[u8],
    meta: &EditionMeta,
    modified: Timestamp,
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
    let time = zip_time(modified);
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

/// `time` as a zip timestamp, which holds 1980 to 2107 to the even second: earlier and later
/// times take the first or last it can hold.
fn zip_time(time: Timestamp) -> DateTime {
    // Each field of a valid date fits its `u8`.
    let field = |n: u32| u8::try_from(n).unwrap_or(0);
    let stamp = match u16::try_from(time.year()) {
        Ok(year @ 1980..=2107) => DateTime::from_date_and_time(
            year,
            field(time.month()),
            field(time.day()),
            field(time.hour()),
            field(time.minute()),
            field(time.second()),
        ),
        Ok(2108..) => DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58),
        _ => DateTime::from_date_and_time(1980, 1, 1, 0, 0, 0),
    };
    stamp.unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::zip_time;

    fn fields(seconds: i64) -> (u16, u8, u8, u8, u8, u8) {
        let t = zip_time(chrono::DateTime::from_timestamp(seconds, 0).unwrap());
        (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        )
    }

    #[test]
    fn zip_times_keep_the_time_to_the_even_second_and_clamp_the_year() {
        // 2000-02-29T12:00:05Z: zip keeps two-second steps.
        assert_eq!(fields(951_825_605), (2000, 2, 29, 12, 0, 4));
        // 1970 is before the first zip year; 9999 after the last.
        assert_eq!(fields(0), (1980, 1, 1, 0, 0, 0));
        assert_eq!(fields(253_402_300_799), (2107, 12, 31, 23, 59, 58));
    }
}
