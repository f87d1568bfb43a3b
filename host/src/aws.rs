//! AWS plumbing shared by every stage: the base SDK configuration (endpoint,
//! retries, timeouts) and the reduction of any SDK error to a code and message
//! that can be stored as a `collection_errors` row.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// The region used when none is configured or found in the environment.
pub const DEFAULT_HOME_REGION: &str = "us-east-1";

/// How keyaudit talks to AWS.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    /// Overrides AWS's endpoints (and `AWS_ENDPOINT_URL`) for every service.
    pub endpoint_url: Option<String>,
    /// Region for global calls; falls back to the environment, then us-east-1.
    pub home_region: Option<String>,
    /// Attempts per request; throttling and transient errors back off exponentially.
    pub max_attempts: u32,
}

impl AwsSettings {
    /// The settings a configuration asks for.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self {
            endpoint_url: config.endpoint_url.clone(),
            home_region: config.home_region.clone(),
            max_attempts: config.limits.max_attempts,
        }
    }
}

/// Loads credentials and settings the way the AWS CLI does (environment,
/// profiles, SSO, container and instance roles), then applies `settings`.
pub async fn base_config(settings: &AwsSettings) -> SdkConfig {
    let retry = RetryConfig::standard()
        .with_max_attempts(settings.max_attempts)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(20));
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(5))
        .operation_attempt_timeout(Duration::from_secs(30))
        .operation_timeout(Duration::from_secs(180))
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).retry_config(retry).timeout_config(timeouts);
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(region) = &settings.home_region {
        loader = loader.region(Region::new(region.clone()));
    }
    let config = loader.load().await;
    if config.region().is_none() {
        return config.into_builder().region(Region::from_static(DEFAULT_HOME_REGION)).build();
    }
    config
}

/// A copy of `config` that sends requests to `region`.
pub fn in_region(config: &SdkConfig, region: &str) -> SdkConfig {
    config.to_builder().region(Region::new(region.to_owned())).build()
}

/// An AWS call's failure, reduced to what a report needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AwsError {
    /// The service's error code, or `HTTP <status>` when the service gave none,
    /// or `Timeout` / `ConnectionError` / `ClientError` for failures before a response.
    pub code: String,
    pub message: String,
}

impl AwsError {
    /// Reduces any SDK error to a code and a one-line message.
    pub fn from_sdk<E, R>(err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: HasStatus + std::fmt::Debug,
    {
        match err {
            SdkError::ServiceError(service) => {
                let status = service.raw().status_code();
                let meta = service.err();
                let code = meta.code().map(str::to_owned).unwrap_or_else(|| format!("HTTP {status}"));
                let message =
                    meta.message().map(str::to_owned).unwrap_or_else(|| format!("HTTP {status} with no error message"));
                Self { code, message }
            }
            SdkError::TimeoutError(_) => Self { code: "Timeout".into(), message: DisplayErrorContext(err).to_string() },
            SdkError::DispatchFailure(_) => {
                Self { code: "ConnectionError".into(), message: DisplayErrorContext(err).to_string() }
            }
            SdkError::ResponseError(_) => {
                Self { code: "ResponseError".into(), message: DisplayErrorContext(err).to_string() }
            }
            _ => Self { code: "ClientError".into(), message: DisplayErrorContext(err).to_string() },
        }
    }
}

/// The HTTP status of a raw response, for errors that carry no error code
/// (some endpoints answer a denied request with a bare 403).
pub trait HasStatus {
    fn status_code(&self) -> u16;
}

impl HasStatus for aws_smithy_runtime_api::http::Response {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

/// Shorthand: convert an SDK result into an [`AwsError`] result.
pub trait AwsResultExt<T> {
    fn aws(self) -> Result<T, AwsError>;
}

impl<T, E> AwsResultExt<T> for Result<T, SdkError<E, aws_smithy_runtime_api::http::Response>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    fn aws(self) -> Result<T, AwsError> {
        self.map_err(|e| AwsError::from_sdk(&e))
    }
}

/// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), defaulting to `aws`.
pub fn partition_of(arn: &str) -> &str {
    arn.split(':').nth(1).filter(|p| !p.is_empty()).unwrap_or("aws")
}

/// Converts an SDK timestamp to epoch milliseconds, rounded to the nearest
/// millisecond: AWS sends epoch seconds with three decimals, which arrive as
/// floats (`…302.938` may parse as `…302.937999`).
pub fn millis(dt: &aws_smithy_types::DateTime) -> Option<i64> {
    let rounded_millis = i64::from(dt.subsec_nanos()).checked_add(500_000)? / 1_000_000;
    dt.secs().checked_mul(1000)?.checked_add(rounded_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_from_arn() {
        assert_eq!(partition_of("arn:aws-cn:iam::123456789012:user/x"), "aws-cn");
        assert_eq!(partition_of("garbage"), "aws");
    }

    #[test]
    fn millis_round_float_seconds() {
        let dt = aws_smithy_types::DateTime::from_secs_f64(1_795_476_302.938);
        assert_eq!(millis(&dt), Some(1_795_476_302_938));
        assert_eq!(millis(&aws_smithy_types::DateTime::from_secs(-1)), Some(-1000));
    }
}
