//! The progress bar of `variorum build`: on standard error, only when it is a terminal, and
//! only once the build has taken more than a second (a short build prints nothing extra).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::mpsc;
use std::time::Duration;
use variorum::Stage;

/// How long a build runs before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

/// A progress bar that appears after [`DELAY`], or a no-op when standard error is not a
/// terminal or `--quiet` was given.
pub struct Progress {
    bar: Option<ProgressBar>,
    done: Option<mpsc::Sender<()>>,
    shower: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    pub fn start(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                done: None,
                shower: None,
            };
        }
        let bar = ProgressBar::with_draw_target(Some(2), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:24}] {msg} ({elapsed})") {
            bar.set_style(style.progress_chars("=> "));
        }
        let (done, finished) = mpsc::channel::<()>();
        let shown = bar.clone();
        let shower = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(DELAY) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar: Some(bar),
            done: Some(done),
            shower: Some(shower),
        }
    }

    /// A stage begins.
    pub fn stage(&self, stage: Stage) {
        if let Some(bar) = &self.bar {
            let (position, message) = match stage {
                Stage::Checking => (0, "checking the edition"),
                Stage::Writing => (1, "writing the EPUB and the PDF"),
            };
            bar.set_position(position);
            bar.set_message(message);
        }
    }

    /// The build is over: the bar, if shown, is cleared.
    pub fn finish(mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(shower) = self.shower.take() {
            let _ = shower.join();
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
