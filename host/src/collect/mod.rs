//! Collectors: one module per AWS service, each turning one account × region
//! into inventory records and collection errors.
//!
//! Every API call goes through [`RegionContext::call`], which applies the run's
//! global concurrency cap, the account-region concurrency cap and the
//! account-region request-rate cap, and counts the call. Collectors never fail:
//! whatever they cannot read becomes a [`CollectionError`] row.

pub mod kms;

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_config::SdkConfig;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::aws::AwsError;
use crate::inventory::{CollectionError, KmsKey, Scope};

/// An AWS service keyaudit collects. The name is the same string everywhere:
/// config, CLI, `collection_errors.service` and rule metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    Kms,
}

impl Service {
    /// Every service, in collection order.
    pub const ALL: &[Service] = &[Service::Kms];

    /// The service's name in config, output and rules.
    pub fn name(self) -> &'static str {
        match self {
            Service::Kms => "kms",
        }
    }

    /// Collects this service in one account and region.
    pub async fn collect(self, ctx: &RegionContext) -> Inventory {
        match self {
            Service::Kms => kms::collect(ctx).await,
        }
    }
}

/// Records collected from some scope, and what could not be collected.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Inventory {
    pub kms_keys: Vec<KmsKey>,
    pub errors: Vec<CollectionError>,
}

impl Inventory {
    /// Moves every record of `other` into `self`.
    pub fn extend(&mut self, other: Inventory) {
        self.kms_keys.extend(other.kms_keys);
        self.errors.extend(other.errors);
    }
}

/// One page of a paginated API: its items and the marker of the next page
/// (`None` on the last page).
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// Counters shared by the whole run, read by progress and the summary.
#[derive(Debug, Default)]
pub struct CallStats {
    pub api_calls: AtomicU64,
    pub api_errors: AtomicU64,
}

/// Run-wide limits shared by every account-region.
#[derive(Debug, Clone)]
pub struct SharedLimits {
    pub global_requests: Arc<Semaphore>,
    pub stats: Arc<CallStats>,
    pub per_region_concurrency: usize,
    pub per_region_rate: NonZeroU32,
}

/// Everything a collector needs for one account and region.
pub struct RegionContext {
    pub scope: Scope,
    /// SDK configuration with the account's assumed-role credentials and this region.
    pub sdk: SdkConfig,
    limits: SharedLimits,
    region_requests: Semaphore,
    rate: DefaultDirectRateLimiter,
}

impl RegionContext {
    pub fn new(scope: Scope, sdk: SdkConfig, limits: SharedLimits) -> Self {
        let region_requests = Semaphore::new(limits.per_region_concurrency);
        let rate = RateLimiter::direct(Quota::per_second(limits.per_region_rate));
        Self { scope, sdk, limits, region_requests, rate }
    }

    /// How many requests this account-region may have in flight.
    pub fn concurrency(&self) -> usize {
        self.limits.per_region_concurrency
    }

    /// Makes one API call within the run's limits. The SDK retries throttling
    /// and transient errors inside `send` with exponential backoff.
    pub async fn call<T, Fut>(&self, send: impl FnOnce() -> Fut) -> Result<T, AwsError>
    where
        Fut: Future<Output = Result<T, AwsError>>,
    {
        // Semaphores are never closed, so acquire cannot fail; if it ever did,
        // proceeding unthrottled is better than losing the call.
        let _global = self.limits.global_requests.acquire().await.ok();
        let _region = self.region_requests.acquire().await.ok();
        self.rate.until_ready().await;
        self.limits.stats.api_calls.fetch_add(1, Ordering::Relaxed);
        let result = send().await;
        if result.is_err() {
            self.limits.stats.api_errors.fetch_add(1, Ordering::Relaxed);
        }
        result
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
        loop {
            let previous = marker.clone();
            match self.call(|| page(marker.take())).await {
                Ok(Page { items: batch, next }) => {
                    items.extend(batch);
                    // A service that repeats its marker would loop for ever.
                    match next {
                        Some(next) if Some(&next) != previous.as_ref() => marker = Some(next),
                        _ => return (items, None),
                    }
                }
                Err(err) => return (items, Some(err)),
            }
        }
    }

    /// A collection error in this account and region.
    pub fn error(&self, service: Service, api: &str, resource_id: Option<&str>, err: AwsError) -> CollectionError {
        tracing::warn!(
            account = %self.scope.account_id,
            region = %self.scope.region,
            api,
            resource = resource_id.unwrap_or(""),
            code = %err.code,
            "collection error: {}",
            err.message
        );
        self.scope.error(service.name(), api, resource_id.map(str::to_owned), err.code, err.message)
    }
}
