//! The command line: clap types, kept out of the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Builds annotated critical editions: an EPUB 3 ebook and a typeset PDF from Markdown
/// witnesses and a YAML apparatus.
#[derive(Debug, Parser)]
#[command(name = "variorum", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the edition, anchor every note and report every problem (exit 1 if any error).
    Check {
        /// The edition's folder (holding `manuscript/` and `footnotes.yaml`).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check the edition, then write the EPUB and the PDF into the output folder.
    Build {
        /// The edition's folder (holding `manuscript/` and `footnotes.yaml`).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the outputs (default: `out/` in the edition's folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Make a handout of some witnesses only, by sigil: `--only A,C`.
        #[arg(long, value_delimiter = ',')]
        only: Option<Vec<String>>,
    },
}
