//! AWS plumbing shared by every stage: the base SDK configuration (endpoint,
//! timeouts), keyaudit's own retries, and the reduction of any SDK error to a
//! code and a one-line message that can be stored as a `collection_errors` row.
//!
//! Retries are ours, not the SDK's: the SDK's standard retry mode draws on a
//! retry quota shared per region, which runs dry under sustained throttling
//! (most throttled requests were then tried once), and it retries inside the
//! call, past any rate limiter around it. [`with_retries`] makes exactly
//! `max_attempts` attempts of every retryable failure, each of which the
//! caller can pace (collectors send every attempt through their rate limiter).

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::result::SdkError;
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
    /// A named profile: its credentials are used, before the environment's.
    pub profile: Option<String>,
    /// Attempts per request; throttling and transient errors back off exponentially.
    pub max_attempts: u32,
}

/// How often and how patiently a request is tried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The backoff ceiling before the second attempt; it doubles with each
    /// attempt up to `max_backoff`, and the wait is drawn below it (full jitter).
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// The policy a configuration asks for.
    pub fn new(max_attempts: u32) -> Self {
        Self {
            max_attempts: max_attempts.max(1),
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// How long to wait after failed attempt number `attempt` (from 1).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.initial_backoff.saturating_mul(1 << attempt.saturating_sub(1).min(16)).min(self.max_backoff);
        // Full jitter: anywhere below the ceiling, so that the accounts and
        // regions throttled together do not all come back at once.
        let fraction = (jitter() >> 11) as f64 / (1u64 << 53) as f64;
        ceiling.mul_f64(fraction)
    }
}

/// A number that differs from call to call (not for cryptography).
fn jitter() -> u64 {
    thread_local!(static STATE: std::cell::Cell<u64> = std::cell::Cell::new(
        std::collections::hash_map::RandomState::new().build_hasher().finish() | 1
    ));
    STATE.with(|state| {
        // xorshift64*
        let mut x = state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    })
}

/// Makes attempts of `attempt` (given its number, from 1) until one succeeds,
/// fails for good, or `policy.max_attempts` were made; waits
/// [`RetryPolicy::backoff`] between them. Returns the last error, with the
/// number of attempts made in `attempts`.
pub async fn with_retries<T, Fut>(policy: &RetryPolicy, mut attempt: impl FnMut(u32) -> Fut) -> Result<T, AwsError>
where
    Fut: Future<Output = Result<T, AwsError>>,
{
    let mut number = 1;
    loop {
        match attempt(number).await {
            Ok(value) => return Ok(value),
            Err(mut err) if !err.is_retryable() || number >= policy.max_attempts => {
                err.attempts = number;
                return Err(err);
            }
            Err(err) => {
                tracing::debug!(attempt = number, code = %err.code, "retrying after: {}", err.message);
                tokio::time::sleep(policy.backoff(number)).await;
                number += 1;
            }
        }
    }
}

/// Loads credentials and settings the way the AWS CLI does (environment,
/// profiles, SSO, container and instance roles), then applies `settings`.
pub async fn base_config(settings: &AwsSettings) -> SdkConfig {
    // keyaudit retries itself (`with_retries`); S3 uploads set their own.
    let retry = RetryConfig::disabled();
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
    if let Some(profile) = &settings.profile {
        // As the AWS CLI's --profile: this profile's credentials, even when
        // the environment has some.
        let credentials = aws_config::profile::ProfileFileCredentialsProvider::builder().profile_name(profile).build();
        loader = loader.profile_name(profile).credentials_provider(credentials);
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
    /// or `Timeout` / `ConnectionError` / `NoCredentials` / `ClientError` for
    /// failures before a response.
    pub code: String,
    /// One line.
    pub message: String,
    /// The API that really failed, when it is not the one called: a call
    /// whose credentials could not be refreshed failed at `sts:AssumeRole`.
    pub api: Option<&'static str>,
    /// How many attempts were made (1 when it was not retried).
    pub attempts: u32,
}

/// What kind of failure an [`AwsError`] is, for messages and retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// AWS asked us to slow down.
    Throttled,
    /// The caller may not do this.
    Denied,
    /// No answer: connection refused or reset, DNS, timeout.
    Unreachable,
    /// A server-side fault (5xx) that may pass.
    ServerFault,
    /// No credentials could be found.
    NoCredentials,
    /// Anything else: a bad request, a missing resource, …
    Other,
}

/// Error codes AWS services use for throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "HTTP 429",
];

/// Error codes of server-side faults worth another try.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "InternalServerError",
    "InternalServerException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "KMSInternalException",
    "DependencyTimeoutException",
    "HTTP 500",
    "HTTP 502",
    "HTTP 503",
    "HTTP 504",
];

impl AwsError {
    /// An error with a code and message, tried once.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), api: None, attempts: 1 }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        let code = self.code.as_str();
        if THROTTLING_CODES.contains(&code) {
            ErrorKind::Throttled
        } else if TRANSIENT_CODES.contains(&code) {
            ErrorKind::ServerFault
        } else if matches!(code, "Timeout" | "ConnectionError" | "ResponseError") {
            ErrorKind::Unreachable
        } else if code == "NoCredentials" {
            ErrorKind::NoCredentials
        } else if code.contains("AccessDenied")
            || matches!(code, "HTTP 403" | "UnauthorizedOperation" | "AuthorizationError" | "AuthFailure")
        {
            ErrorKind::Denied
        } else {
            ErrorKind::Other
        }
    }

    /// Whether another attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        self.api.is_none()
            && matches!(self.kind(), ErrorKind::Throttled | ErrorKind::ServerFault | ErrorKind::Unreachable)
    }

    /// What happened, in words, for one-line messages: "throttled (ThrottlingException) after 8 attempts".
    pub fn describe(&self) -> String {
        let tries = if self.attempts > 1 { format!(" after {} attempts", self.attempts) } else { String::new() };
        let what = match self.kind() {
            ErrorKind::Throttled => "throttled",
            ErrorKind::Denied => "access denied",
            ErrorKind::Unreachable => "no answer",
            ErrorKind::ServerFault => "server error",
            ErrorKind::NoCredentials => "no credentials",
            ErrorKind::Other => "failed",
        };
        format!("{what} ({}){tries}: {}", self.code, self.message)
    }

    /// Reduces any SDK error to a code and a one-line message.
    pub fn from_sdk<E, R>(err: &SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: HasStatus + std::fmt::Debug + 'static,
    {
        if let Some(found) = credentials_failure(err) {
            return found;
        }
        match err {
            SdkError::ServiceError(service) => {
                let status = service.raw().status_code();
                let meta = service.err();
                let code = meta.code().map(str::to_owned).unwrap_or_else(|| format!("HTTP {status}"));
                let message =
                    meta.message().map(one_line).unwrap_or_else(|| format!("HTTP {status} with no error message"));
                Self::new(code, message)
            }
            SdkError::TimeoutError(_) => Self::new("Timeout", chain_message(err)),
            SdkError::DispatchFailure(_) => Self::new("ConnectionError", chain_message(err)),
            // An error status whose body is no AWS error (a proxy's or a
            // stand-in's HTML page): the status is the code, as for a bare status.
            SdkError::ResponseError(response) if response.raw().status_code() >= 400 => {
                let status = response.raw().status_code();
                Self::new(format!("HTTP {status}"), format!("HTTP {status} with an answer that is not an AWS error"))
            }
            SdkError::ResponseError(_) => Self::new("ResponseError", chain_message(err)),
            _ => Self::new("ClientError", chain_message(err)),
        }
    }
}

/// A credentials provider's failure, found in an error's source chain: the
/// audit role could not be assumed again, or there are no credentials at all.
fn credentials_failure(err: &(dyn std::error::Error + 'static)) -> Option<AwsError> {
    use aws_credential_types::provider::error::CredentialsError;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if let Some(assume) = current.downcast_ref::<crate::credentials::AssumeRoleFailed>() {
            return Some(AwsError { api: Some(crate::inventory::ASSUME_ROLE_API), ..assume.0.clone() });
        }
        if let Some(CredentialsError::CredentialsNotLoaded(_)) = current.downcast_ref::<CredentialsError>() {
            return Some(AwsError::new(
                "NoCredentials",
                "no AWS credentials found (environment, AWS_PROFILE, SSO, container or instance role)",
            ));
        }
        source = current.source();
    }
    None
}

/// An error's chain of causes as one line, each cause once, at most 300 bytes.
fn chain_message(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        let text = one_line(&current.to_string());
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = current.source();
    }
    let mut message = parts.join(": ");
    if message.len() > 300 {
        let mut end = 300;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
        message.push('…');
    }
    message
}

/// `text` on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`with_retries`] for a plain SDK call: `send` makes the request.
pub async fn retry_sdk<T, E, Fut>(policy: &RetryPolicy, mut send: impl FnMut() -> Fut) -> Result<T, AwsError>
where
    Fut: Future<Output = Result<T, SdkError<E, aws_smithy_runtime_api::http::Response>>>,
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    with_retries(policy, |_| {
        let request = send();
        async move { request.await.aws() }
    })
    .await
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
/// floats (`…302.938` may parse as `…302.937999`). The float's error is
/// dropped first by rounding to the microsecond, as other SDKs parse, so a
/// value with more decimals (`….6945`) rounds half up the same way.
pub fn millis(dt: &aws_smithy_types::DateTime) -> Option<i64> {
    let micros = (i64::from(dt.subsec_nanos()) + 500) / 1000;
    let rounded_millis = (micros + 500) / 1000;
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
    fn error_kinds_decide_retries() {
        assert_eq!(AwsError::new("ThrottlingException", "Rate exceeded").kind(), ErrorKind::Throttled);
        assert_eq!(AwsError::new("TooManyRequestsException", "").kind(), ErrorKind::Throttled);
        assert_eq!(AwsError::new("HTTP 503", "").kind(), ErrorKind::ServerFault);
        assert_eq!(AwsError::new("HTTP 403", "").kind(), ErrorKind::Denied);
        assert_eq!(AwsError::new("AccessDeniedException", "").kind(), ErrorKind::Denied);
        assert!(AwsError::new("ConnectionError", "reset").is_retryable());
        assert!(!AwsError::new("NotFoundException", "").is_retryable());
        let refresh = AwsError { api: Some("sts:AssumeRole"), ..AwsError::new("Throttling", "") };
        assert!(!refresh.is_retryable(), "credentials are retried where they are refreshed");
    }

    #[test]
    fn a_failed_credentials_refresh_is_attributed_to_sts_and_missing_credentials_are_named() {
        use aws_credential_types::provider::error::CredentialsError;
        let throttled =
            AwsError::new("Throttling", "assuming arn:aws:iam::111122223333:role/KeyAuditRole: Rate exceeded");
        // The SDK wraps a provider's failure in its own errors; the cause is found down the chain.
        let refresh = CredentialsError::provider_error(crate::credentials::AssumeRoleFailed(throttled.clone()));
        let wrapped = std::io::Error::other(refresh);
        let found = credentials_failure(&wrapped).expect("found in the chain");
        assert_eq!(found.api, Some("sts:AssumeRole"));
        assert_eq!(
            (found.code.as_str(), found.message.as_str()),
            (throttled.code.as_str(), throttled.message.as_str())
        );

        let none = CredentialsError::not_loaded("no providers in chain provided credentials");
        let found = credentials_failure(&none).expect("missing credentials are recognised");
        assert_eq!(found.kind(), ErrorKind::NoCredentials);
        assert!(!found.message.contains('{'), "one readable line: {}", found.message);
    }

    #[test]
    fn backoff_stays_under_its_doubling_ceiling() {
        let policy = RetryPolicy::new(8);
        for attempt in 1..10 {
            let ceiling = Duration::from_millis(200 * (1 << (attempt - 1))).min(Duration::from_secs(20));
            for _ in 0..50 {
                assert!(policy.backoff(attempt) <= ceiling);
            }
        }
    }

    #[tokio::test]
    async fn with_retries_makes_exactly_max_attempts() {
        let policy = RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(1),
        };
        let mut made = 0;
        let result: Result<(), AwsError> = with_retries(&policy, |_| {
            made += 1;
            async { Err(AwsError::new("ThrottlingException", "slow down")) }
        })
        .await;
        assert_eq!(made, 4);
        assert_eq!(result.unwrap_err().attempts, 4);
        let mut made = 0;
        let result: Result<(), AwsError> = with_retries(&policy, |_| {
            made += 1;
            async { Err(AwsError::new("ValidationException", "bad")) }
        })
        .await;
        assert_eq!((made, result.unwrap_err().attempts), (1, 1), "not retried");
    }

    #[test]
    fn millis_round_float_seconds() {
        let dt = aws_smithy_types::DateTime::from_secs_f64(1_795_476_302.938);
        assert_eq!(millis(&dt), Some(1_795_476_302_938));
        assert_eq!(millis(&aws_smithy_types::DateTime::from_secs(-1)), Some(-1000));
        // A half millisecond that a float holds as a hair less rounds up, as botocore's does.
        let half = aws_smithy_types::DateTime::from_secs_f64(1_796_322_786.694_5);
        assert!(half.subsec_nanos() < 694_500_000, "the float is a hair short: {}", half.subsec_nanos());
        assert_eq!(millis(&half), Some(1_796_322_786_695));
    }
}
