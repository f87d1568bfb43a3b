//! What every collector shares: the account-region context through which
//! each API call is made, and marker pagination. Collectors themselves live
//! with their kind, under `kinds/`.
//!
//! Every API call goes through [`RegionContext::call`]: each attempt, retries
//! included, takes the run's global concurrency cap, the account-region
//! concurrency cap and the account-region request-rate cap, and is counted.
//! A throttled attempt makes the whole account-region wait out its backoff
//! before its next request, so keyaudit slows down where AWS asks it to.
//! Collectors never fail: whatever they cannot read becomes a
//! [`CollectionError`] row.

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use aws_config::SdkConfig;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use crate::aws::{AwsError, ErrorKind, RetryPolicy, with_retries};
use crate::inventory::{CollectionError, Scope};

/// One page of a paginated API: its items and the marker of the next page
/// (`None` on the last page).
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Counters shared by the whole run, read by progress and the summary.
#[derive(Debug, Default)]
pub struct CallStats {
    /// Requests sent, every attempt counted.
    pub api_calls: AtomicU64,
    /// Attempts that were retries.
    pub api_retries: AtomicU64,
    /// Calls that failed after their last attempt.
    pub api_errors: AtomicU64,
}

/// Run-wide limits shared by every account-region.
#[derive(Debug, Clone)]
pub struct SharedLimits {
    pub global_requests: Arc<Semaphore>,
    pub stats: Arc<CallStats>,
    pub per_region_concurrency: usize,
    pub per_region_rate: NonZeroU32,
    pub retry: RetryPolicy,
    /// How much of CloudTrail's event history to read per account-region.
    pub key_events: EventWindow,
}

/// How much of CloudTrail's event history a scan reads per account-region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventWindow {
    /// Days back from the start of the collection.
    pub days: u32,
    /// Pages read at most; more means the window is truncated.
    pub max_pages: u32,
}

impl Default for EventWindow {
    fn default() -> Self {
        Self { days: 30, max_pages: 20 }
    }
}

/// Everything a collector needs for one account and region.
pub struct RegionContext {
    pub scope: Scope,
    /// SDK configuration with the account's assumed-role credentials and this region.
    pub sdk: SdkConfig,
    limits: SharedLimits,
    region_requests: Semaphore,
    rate: DefaultDirectRateLimiter,
    /// No request of this account-region starts before this instant: set by
    /// a throttled attempt to its backoff.
    cooldown: Mutex<Option<Instant>>,
}

impl RegionContext {
    pub fn new(scope: Scope, sdk: SdkConfig, limits: SharedLimits) -> Self {
        let region_requests = Semaphore::new(limits.per_region_concurrency);
        // No bursts: requests are spaced evenly, so any one-second window
        // holds at most the rate (plus the one at its edge).
        let rate = RateLimiter::direct(Quota::per_second(limits.per_region_rate).allow_burst(NonZeroU32::MIN));
        Self { scope, sdk, limits, region_requests, rate, cooldown: Mutex::new(None) }
    }

    /// How much of CloudTrail's event history to read.
    pub fn key_events(&self) -> EventWindow {
        self.limits.key_events
    }

    /// How many requests this account-region may have in flight.
    pub fn concurrency(&self) -> usize {
        self.limits.per_region_concurrency
    }

    /// Makes one API call within the run's limits, retrying throttling and
    /// transient failures up to the configured attempts; every attempt waits
    /// for the account-region's cool-down, its concurrency caps and its rate
    /// limiter.
    pub async fn call<T, Fut>(&self, mut send: impl FnMut() -> Fut) -> Result<T, AwsError>
    where
        Fut: Future<Output = Result<T, AwsError>>,
    {
        let stats = &self.limits.stats;
        let result = with_retries(&self.limits.retry, |attempt| {
            let request = send();
            async move {
                self.wait_for_cooldown().await;
                // Semaphores are never closed, so acquire cannot fail; if it
                // ever did, proceeding unthrottled is better than losing the call.
                let _global = self.limits.global_requests.acquire().await.ok();
                let _region = self.region_requests.acquire().await.ok();
                self.rate.until_ready().await;
                stats.api_calls.fetch_add(1, Ordering::Relaxed);
                if attempt > 1 {
                    stats.api_retries.fetch_add(1, Ordering::Relaxed);
                }
                let result = request.await;
                if let Err(err) = &result
                    && err.kind() == ErrorKind::Throttled
                {
                    self.cool_down(attempt);
                }
                result
            }
        })
        .await;
        if result.is_err() {
            stats.api_errors.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    /// Holds this account-region's next requests back after a throttled attempt.
    fn cool_down(&self, attempt: u32) {
        let until = Instant::now() + self.limits.retry.backoff(attempt);
        let mut cooldown = self.cooldown.lock().unwrap_or_else(PoisonError::into_inner);
        if cooldown.is_none_or(|current| current < until) {
            *cooldown = Some(until);
        }
    }

    async fn wait_for_cooldown(&self) {
        let until = *self.cooldown.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(until) = until {
            tokio::time::sleep_until(until.into()).await;
        }
    }

    /// Calls a marker-paginated API until the last page. Returns every item
    /// read, and the error that stopped it early, if any: pages read before a
    /// failure are kept.
    pub async fn paginate<T, Fut>(&self, mut page: impl FnMut(Option<String>) -> Fut) -> (Vec<T>, Option<AwsError>)
    where
        Fut: Future<Output = Result<Page<T>, AwsError>>,
    {
        let mut items = Vec::new();
        let mut marker: Option<String> = None;
        let mut seen = rustc_hash::FxHashSet::default();
        loop {
            let previous = marker.clone();
            match self.call(|| page(previous.clone())).await {
                Ok(Page { items: batch, next }) => {
                    items.extend(batch);
                    match next {
                        None => return (items, None),
                        // A service that repeats a marker would loop for ever:
                        // what follows it is unknown.
                        Some(next) if !seen.insert(next.clone()) => {
                            let message =
                                format!("the service repeated the page marker {next:?}; later pages were not read");
                            return (items, Some(AwsError::new("PaginationLoop", message)));
                        }
                        Some(next) => marker = Some(next),
                    }
                }
                Err(err) => return (items, Some(err)),
            }
        }
    }

    /// A collection error in this account and region. An error that really
    /// came from another API (a credentials refresh) is recorded under it.
    pub fn error(&self, service: &str, api: &str, resource_id: Option<&str>, err: AwsError) -> CollectionError {
        let api = err.api.unwrap_or(api);
        tracing::warn!(
            account = %self.scope.account_id,
            region = %self.scope.region,
            api,
            resource = resource_id.unwrap_or(""),
            code = %err.code,
            "collection error: {}",
            err.message
        );
        let message =
            if err.attempts > 1 { format!("{} (after {} attempts)", err.message, err.attempts) } else { err.message };
        self.scope.error(service, api, resource_id.map(str::to_owned), err.code, message)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    fn context(max_attempts: u32) -> RegionContext {
        let scope = Scope {
            run_id: "r".into(),
            partition: "aws".into(),
            account_id: "111122223333".into(),
            account_name: "a".into(),
            ou_path: "Root".into(),
            org_id: "o-1".into(),
            region: "us-east-1".into(),
        };
        let limits = SharedLimits {
            global_requests: Arc::new(Semaphore::new(4)),
            stats: Arc::new(CallStats::default()),
            per_region_concurrency: 2,
            per_region_rate: NonZeroU32::new(1000).unwrap(),
            retry: RetryPolicy {
                max_attempts,
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(2),
            },
            key_events: EventWindow::default(),
        };
        RegionContext::new(scope, SdkConfig::builder().build(), limits)
    }

    /// What the service answers for one call: the marker it expects, and the page or error.
    type Answer = (Option<&'static str>, Result<Page<u32>, AwsError>);

    /// A page source: what the service answers for each marker, in order of calls.
    fn pages(answers: Vec<Answer>) -> impl FnMut(Option<String>) -> std::future::Ready<Result<Page<u32>, AwsError>> {
        let answers = Mutex::new(answers.into_iter());
        move |marker| {
            let (expected, answer) = answers.lock().unwrap().next().expect("no more pages were asked for");
            assert_eq!(marker.as_deref(), expected, "asked for the page after the right marker");
            std::future::ready(answer)
        }
    }

    fn page(items: &[u32], next: Option<&str>) -> Result<Page<u32>, AwsError> {
        Ok(Page { items: items.to_vec(), next: next.map(str::to_owned) })
    }

    #[tokio::test]
    async fn pages_are_read_to_the_end_and_a_throttled_page_is_retried() {
        let ctx = context(3);
        let source = pages(vec![
            (None, page(&[1, 2], Some("a"))),
            (Some("a"), Err(AwsError::new("ThrottlingException", "slow down"))),
            (Some("a"), page(&[3], Some("b"))),
            (Some("b"), page(&[4], None)),
        ]);
        let (items, error) = ctx.paginate(source).await;
        assert_eq!((items, error), (vec![1, 2, 3, 4], None));
        assert_eq!(ctx.limits.stats.api_calls.load(Ordering::Relaxed), 4, "every attempt counted");
        assert_eq!(ctx.limits.stats.api_retries.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn a_failure_on_page_three_keeps_the_pages_before_it() {
        let ctx = context(2);
        let denied = || Err(AwsError::new("AccessDeniedException", "no"));
        let source =
            pages(vec![(None, page(&[1], Some("a"))), (Some("a"), page(&[2], Some("b"))), (Some("b"), denied())]);
        let (items, error) = ctx.paginate(source).await;
        assert_eq!(items, [1, 2]);
        assert_eq!(error.map(|e| e.code), Some("AccessDeniedException".to_owned()), "the gap is an error");
    }

    #[tokio::test]
    async fn a_repeated_marker_stops_with_an_error_not_a_loop() {
        let ctx = context(2);
        let source = pages(vec![
            (None, page(&[1], Some("a"))),
            (Some("a"), page(&[2], Some("b"))),
            (Some("b"), page(&[3], Some("a"))),
        ]);
        let (items, error) = ctx.paginate(source).await;
        assert_eq!(items, [1, 2, 3]);
        let error = error.expect("a repeated marker is an error: later pages are unknown");
        assert_eq!(error.code, "PaginationLoop");
        assert!(error.message.contains("\"a\""), "{}", error.message);
    }
}
