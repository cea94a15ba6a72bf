//! The `variorum` binary: parse the command line, call the library, print diagnostics, exit.

mod cli;
mod progress;

/// mimalloc rather than the system allocator: layout and export make many short-lived
/// allocations on several threads, where glibc's per-thread arenas hold on to freed memory
/// (a long edition's peak memory was about a third higher) and spend more time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{CommandFactory, Parser};
use std::io::IsTerminal;
use std::process::ExitCode;
use variorum::model::Timestamp;
use variorum::{BuildOptions, Built, Checked};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let quiet = cli.quiet;
    let source_date_epoch = match source_date_epoch(std::env::var_os("SOURCE_DATE_EPOCH")) {
        Ok(epoch) => epoch,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = |args: cli::BuildArgs| BuildOptions {
        source_date_epoch,
        out: args.out,
        only: args
            .only
            .map(|sigla| sigla.iter().map(|s| s.trim().to_owned()).collect()),
        paper: args.paper,
        format: args.format.map(Into::into),
        system_fonts: args.system_fonts,
        pdf_standards: args.pdf_standard.unwrap_or_default(),
    };
    match cli.command {
        cli::Command::New { dir } => match variorum::new::create(&dir) {
            Ok(files) => {
                if !quiet {
                    eprintln!(
                        "wrote a new edition into {} ({} files); try `variorum build {}`",
                        dir.display(),
                        files.len(),
                        dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}\n  = help: {}", e.hint());
                ExitCode::from(1)
            }
        },
        cli::Command::Check { dir } => {
            let checked = variorum::check(&dir);
            report(&checked, quiet);
            if checked.diagnostics.has_errors() {
                return ExitCode::from(1);
            }
            if let Some(edition) = checked.edition.as_ref().filter(|_| !quiet) {
                eprintln!(
                    "checked {}: {}, {}",
                    dir.display(),
                    counted(edition.witnesses().count(), "witness", "witnesses"),
                    counted(edition.notes.len(), "note", "notes")
                );
            }
            ExitCode::SUCCESS
        }
        cli::Command::Build { dir, build } => {
            let options = options(build);
            let progress = progress::Progress::start(quiet);
            let built = variorum::build_observed(&dir, &options, &|stage| progress.stage(stage));
            progress.finish();
            if built_report(&built, quiet) {
                ExitCode::SUCCESS
            } else {
                eprintln!("nothing was written; earlier outputs are untouched");
                ExitCode::from(1)
            }
        }
        cli::Command::Watch { dir, build } => {
            let result =
                variorum::serve::watch(&dir, &options(build), &|built| run_report(built, quiet));
            exit_on(result)
        }
        cli::Command::Serve { dir, port, build } => {
            let result = variorum::serve::serve(&dir, &options(build), port, &|built| {
                run_report(built, quiet)
            });
            exit_on(result)
        }
        cli::Command::Completions { shell } => {
            let mut command = cli::Cli::command();
            clap_complete::generate(
                clap_complete::Shell::from(shell),
                &mut command,
                "variorum",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        cli::Command::Man => {
            let man = clap_mangen::Man::new(cli::Cli::command());
            match man.render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// The diagnostics of a build and the files it wrote; whether it succeeded.
fn built_report(built: &Built, quiet: bool) -> bool {
    report(&built.checked, quiet);
    if built.checked.diagnostics.has_errors() {
        return false;
    }
    if !quiet {
        for path in &built.written {
            eprintln!("wrote {}", path.display());
        }
    }
    true
}

/// One run of `watch` or `serve`: its diagnostics, then what became of the outputs.
fn run_report(built: &Built, quiet: bool) {
    if !built_report(built, quiet) {
        eprintln!("the last good outputs are kept; waiting for the next change");
    }
}

/// The exit of `watch` and `serve`, which return only when they cannot go on.
fn exit_on(result: Result<(), variorum::serve::ServeError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}\n  = help: {}", e.hint());
            ExitCode::from(1)
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

/// Prints every diagnostic and a count to standard error; errors only when `quiet`.
fn report(checked: &Checked, quiet: bool) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let errors_only;
    let diags = if quiet {
        errors_only = checked.diagnostics.errors_only();
        if errors_only.is_empty() {
            return;
        }
        &errors_only
    } else {
        &checked.diagnostics
    };
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
