//! The `variorum` binary: parse the command line, call the library, print diagnostics, exit.

mod cli;

/// mimalloc rather than the system allocator: layout and export make many short-lived
/// allocations on several threads, where glibc's per-thread arenas hold on to freed memory
/// (a long edition's peak memory was about a third higher) and spend more time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;
use variorum::model::Timestamp;
use variorum::{BuildOptions, Checked};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let source_date_epoch = match source_date_epoch(std::env::var_os("SOURCE_DATE_EPOCH")) {
        Ok(epoch) => epoch,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        cli::Command::Check { dir } => {
            let checked = variorum::check(&dir);
            report(&checked);
            if checked.diagnostics.has_errors() {
                return ExitCode::from(1);
            }
            if let Some(edition) = &checked.edition {
                eprintln!(
                    "checked {}: {}, {}",
                    dir.display(),
                    counted(edition.witnesses().count(), "witness", "witnesses"),
                    counted(edition.notes.len(), "note", "notes")
                );
            }
            ExitCode::SUCCESS
        }
        cli::Command::Build {
            dir,
            out,
            only,
            paper,
        } => {
            let options = BuildOptions {
                source_date_epoch,
                out,
                only,
                paper,
            };
            let built = variorum::build(&dir, &options);
            report(&built.checked);
            if built.checked.diagnostics.has_errors() {
                eprintln!("nothing was written; earlier outputs are untouched");
                return ExitCode::from(1);
            }
            for path in &built.written {
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
    }
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970) as a time: `None` when unset or empty, an error
/// message when it is not a whole number of seconds (the reproducible-builds convention is to
/// stop rather than fall back to the clock or to a date the user did not ask for).
fn source_date_epoch(value: Option<std::ffi::OsString>) -> Result<Option<Timestamp>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    if text.is_empty() {
        return Ok(None);
    }
    /// 9999-12-31T23:59:59Z, the last time every output format can hold.
    const LAST: i64 = 253_402_300_799;
    let time = text
        .parse::<i64>()
        .ok()
        .filter(|&seconds| text.bytes().all(|b| b.is_ascii_digit()) && seconds <= LAST)
        .and_then(|seconds| Timestamp::from_timestamp(seconds, 0));
    match time {
        Some(time) => Ok(Some(time)),
        None => Err(format!(
            "SOURCE_DATE_EPOCH is `{text}`, not a whole number of seconds from 1970 to 9999\n\
             help: set it to digits only (e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`) or unset it"
        )),
    }
}

/// `n` and the noun in the number it needs: `1 note`, `2 notes`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints every diagnostic and a count to standard error.
fn report(checked: &Checked) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let diags = &checked.diagnostics;
    eprint!("{}", variorum::diag::render(diags, &checked.sources, color));
    if !diags.is_empty() {
        eprintln!(
            "{} error{}, {} warning{}",
            diags.error_count(),
            if diags.error_count() == 1 { "" } else { "s" },
            diags.warning_count(),
            if diags.warning_count() == 1 { "" } else { "s" },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{counted, source_date_epoch};

    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(counted(1, "witness", "witnesses"), "1 witness");
        assert_eq!(counted(0, "note", "notes"), "0 notes");
        assert_eq!(counted(70, "note", "notes"), "70 notes");
    }

    #[test]
    fn source_date_epoch_is_digits_or_unset() {
        let read = |v: &str| source_date_epoch(Some(v.into())).map(|t| t.map(|t| t.timestamp()));
        assert_eq!(source_date_epoch(None), Ok(None));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("0"), Ok(Some(0)));
        assert_eq!(read("1700000000"), Ok(Some(1_700_000_000)));
        assert_eq!(read("253402300799"), Ok(Some(253_402_300_799)));
        for bad in [
            "abc",
            " 17",
            "17 ",
            "-5",
            "+5",
            "1.5",
            "253402300800",
            "99999999999999999999",
        ] {
            let message = read(bad).unwrap_err();
            assert!(message.contains(&format!("`{bad}`")), "{message}");
        }
    }
}
