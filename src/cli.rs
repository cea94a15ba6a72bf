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
        /// The PDF's paper size, over the edition's `design.paper` (default a4): a4, letter,
        /// a5, b5, royal, or WIDTHxHEIGHT with units (170x240mm); margins and type size
        /// follow it unless the design sets them.
        #[arg(long, value_parser = parse_paper)]
        paper: Option<variorum::layout::Paper>,
    },
}

/// A paper size as the command line takes it: a name in any case or `WIDTHxHEIGHT`.
fn parse_paper(text: &str) -> Result<variorum::layout::Paper, String> {
    variorum::layout::Paper::parse(text).ok_or_else(|| {
        format!("`{text}` is not a paper size: write a4, letter, a5, b5, royal, or a size such as 170x240mm or 6in x 9in")
    })
}
