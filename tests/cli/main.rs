//! Integration tests of `variorum`: the binary over fixture editions (broken and valid), file and
//! output-folder failures, atomic outputs, pathological inputs, and property tests ("fuzzing")
//! of the loaders and of anchoring.

mod fixtures;
mod fonts;
mod fuzz;
mod harness;
mod output;
mod pathological;
