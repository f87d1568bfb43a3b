//! Progress for people at a terminal (a bar with accounts, API calls and
//! errors), and one log line per account for batch runs.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::collect::CallStats;
use crate::summary::AccountSummary;

/// Reports how a scan is going.
pub struct Progress {
    bar: Option<ProgressBar>,
    stats: Mutex<Option<Arc<CallStats>>>,
}

impl Progress {
    /// A progress bar on stderr when `interactive`, log lines otherwise.
    pub fn new(interactive: bool) -> Self {
        let bar = interactive.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} accounts  {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        Self { bar, stats: Mutex::new(None) }
    }

    /// The scan of `total` accounts begins.
    pub fn start(&self, total: u64, stats: Arc<CallStats>) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.enable_steady_tick(Duration::from_millis(200));
        }
        if let Ok(mut slot) = self.stats.lock() {
            *slot = Some(stats);
        }
    }

    /// One account is finished.
    pub fn account_done(&self, account: &AccountSummary) {
        let (calls, errors) = self
            .stats
            .lock()
            .ok()
            .and_then(|s| {
                s.as_ref().map(|s| (s.api_calls.load(Ordering::Relaxed), s.api_errors.load(Ordering::Relaxed)))
            })
            .unwrap_or_default();
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.set_message(format!("{calls} API calls  {errors} errors"));
            }
            None => tracing::info!(
                account = %account.account_id,
                resources = ?account.resources,
                errors = account.collection_errors,
                api_calls = calls,
                "account scanned"
            ),
        }
    }

    /// The scan is over; clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
