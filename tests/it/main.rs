//! The integration tests of `variorum`, in one crate: the binary over fixture editions (broken
//! and valid), file and output-folder failures, atomic outputs, pathological inputs, property
//! tests ("fuzzing") of the loaders and of anchoring, the EPUB and the PDF checked end to end
//! (with external validators where installed), and the seed edition this repository ships.
//!
//! `cargo test --release --test it <module>::` runs one module, e.g. `epub::` or `fuzz::`.

mod apparatus;
mod authoring;
mod backmatter;
mod determinism;
mod epub;
mod fixtures;
mod fonts;
mod fuzz;
mod harness;
mod index;
mod languages;
mod lines;
mod output;
mod pathological;
mod pdf;
mod seed;
mod serve;
mod spec;
mod tagged;
mod text;
mod validators;
