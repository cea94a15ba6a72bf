//! Property tests standing in for fuzzing (cargo-fuzz needs a nightly compiler): no input
//! reaches a panic, every diagnostic points inside its file, and anchoring keeps its promises.
//!
//! `cargo test` runs a modest number of cases per target. The `#[ignore]`d `long_*` tests run
//! one target for `FUZZ_SECONDS` (default 600) and report how many cases ran and the slowest:
//! `FUZZ_SECONDS=600 cargo test --release --test it long_yaml -- --ignored --nocapture`.
//! Their findings, and how long they ran, are recorded in `README.md` beside them.

mod anchor;
mod markdown;
mod yaml;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::time::{Duration, Instant};
use variorum::diag::{self, Diagnostics};
use variorum::source::{SourceMap, Span};

/// Cases per property in a normal test run; `PROPTEST_CASES` overrides it.
pub fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default_cases);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Every diagnostic's spans lie inside their files, on character boundaries, and the report
/// renders.
pub fn diagnostics_are_well_formed(
    diags: &Diagnostics,
    sources: &SourceMap,
) -> Result<(), TestCaseError> {
    for d in diags.iter() {
        let spans = d.span.iter().chain(d.related.iter().map(|(s, _)| s));
        for span in spans {
            span_is_valid(*span, sources)
                .map_err(|why| TestCaseError::fail(format!("{why} in {d:?}")))?;
        }
    }
    let text = diag::render(diags, sources, false);
    if !diags.is_empty() && text.is_empty() {
        return Err(TestCaseError::fail("diagnostics rendered as nothing"));
    }
    Ok(())
}

pub fn span_is_valid(span: Span, sources: &SourceMap) -> Result<(), String> {
    if sources.files().all(|(id, _)| id != span.file) {
        return Err(format!("span {span:?} names no file"));
    }
    let text = &sources.get(span.file).text;
    if span.start > span.end || span.end > text.len() {
        return Err(format!(
            "span {span:?} outside a file of {} bytes",
            text.len()
        ));
    }
    if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return Err(format!("span {span:?} cuts a character"));
    }
    Ok(())
}

/// Runs `property` on values of `strategy` for `FUZZ_SECONDS` (default 600), in batches, and
/// prints how many cases ran and the slowest one's time. Panics with the shrunk input on the
/// first failure.
pub fn long_run<S>(
    name: &str,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug + Clone,
{
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let mut cases = 0u64;
    let mut slowest = (Duration::ZERO, String::new());
    while Instant::now() < deadline {
        let tree = strategy
            .new_tree(&mut runner)
            .expect("the strategy makes a value");
        let value = tree.current();
        let started = Instant::now();
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| property(value.clone())));
        let took = started.elapsed();
        if took > slowest.0 {
            let mut shown = format!("{value:?}");
            shown.truncate(300);
            slowest = (took, shown);
        }
        cases += 1;
        let failed = !matches!(result, Ok(Ok(())));
        if failed {
            // Shrink with proptest's own runner, which reports the minimal failing input.
            let mut shrinker = TestRunner::new(Config {
                failure_persistence: None,
                cases: 1,
                max_shrink_iters: 100_000,
                ..Config::default()
            });
            let outcome = shrinker.run_one(tree, |v| {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| property(v))) {
                    Ok(r) => r,
                    Err(_) => Err(TestCaseError::fail("panicked")),
                }
            });
            panic!("{name}: failure after {cases} cases: {outcome:?}");
        }
    }
    eprintln!(
        "{name}: {cases} cases in {seconds} s, no failure; slowest case {:?}: {}",
        slowest.0, slowest.1
    );
}
