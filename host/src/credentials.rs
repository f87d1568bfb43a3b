//! Credentials per account: STS `AssumeRole` into the audit role, once per
//! account, and again only when the session is about to expire. The only
//! module that calls STS.
//!
//! keyaudit assumes the role itself, up front (so an account it cannot enter
//! is known before collection starts), and hands the SDK a provider that
//! returns those credentials until shortly before they expire. A refresh that
//! fails surfaces in the failing call's error as `sts:AssumeRole` (see
//! [`AssumeRoleFailed`]), not as the API that was being called.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_sts::Client as StsClient;

use crate::aws::{AwsError, AwsResultExt, RetryPolicy, with_retries};
use crate::config::RoleConfig;

/// Credentials this close to expiry are renewed before use.
const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Who keyaudit runs as, from `sts:GetCallerIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account_id: String,
    pub arn: String,
}

/// Asks STS who the base credentials belong to. Also the first request of a
/// run, so a wrong endpoint or missing credentials fail here, once, clearly.
pub async fn caller_identity(sdk: &SdkConfig, retry: &RetryPolicy) -> Result<Caller, AwsError> {
    let client = StsClient::new(sdk);
    let out = with_retries(retry, |_| async { client.get_caller_identity().send().await.aws() }).await?;
    Ok(Caller {
        account_id: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
    })
}

/// The audit role's ARN in `account_id`.
pub fn role_arn(partition: &str, account_id: &str, role: &RoleConfig) -> String {
    format!("arn:{partition}:iam::{account_id}:role/{}", role.name)
}

/// An `sts:AssumeRole` failure carried through the SDK's credentials chain,
/// so that the failing call's error names STS rather than its own API.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AssumeRoleFailed(pub AwsError);

/// Assumes the audit role in one account, with retries.
#[derive(Debug)]
struct AuditRole {
    sts: StsClient,
    role_arn: String,
    role: RoleConfig,
    retry: RetryPolicy,
    /// Counts every AssumeRole attempt, for the run's call statistics.
    calls: Arc<AtomicU64>,
}

impl AuditRole {
    async fn assume(&self) -> Result<Credentials, AwsError> {
        let out = with_retries(&self.retry, |_| {
            self.calls.fetch_add(1, Ordering::Relaxed);
            let mut request = self
                .sts
                .assume_role()
                .role_arn(&self.role_arn)
                .role_session_name(&self.role.session_name)
                .duration_seconds(i32::try_from(self.role.duration_seconds).unwrap_or(i32::MAX));
            if let Some(external_id) = &self.role.external_id {
                request = request.external_id(external_id);
            }
            async move { request.send().await.aws() }
        })
        .await
        .map_err(|err| AwsError { message: format!("assuming {}: {}", self.role_arn, err.message), ..err })?;
        let Some(issued) = out.credentials() else {
            return Err(AwsError::new(
                "InvalidResponse",
                format!("assuming {}: STS returned no credentials", self.role_arn),
            ));
        };
        let expiry = SystemTime::try_from(*issued.expiration()).ok();
        Ok(Credentials::new(
            issued.access_key_id(),
            issued.secret_access_key(),
            Some(issued.session_token().to_owned()),
            expiry,
            "keyaudit-audit-role",
        ))
    }
}

/// The SDK's view of one account's credentials: the session assumed up
/// front, renewed when it nears expiry.
#[derive(Debug)]
struct AuditRoleProvider {
    role: AuditRole,
    current: tokio::sync::Mutex<Credentials>,
}

impl AuditRoleProvider {
    async fn credentials(&self) -> provider::Result {
        let mut current = self.current.lock().await;
        let fresh = current.expiry().is_none_or(|expiry| {
            expiry.duration_since(SystemTime::now()).is_ok_and(|left| left > REFRESH_BEFORE_EXPIRY)
        });
        if !fresh {
            *current =
                self.role.assume().await.map_err(|err| CredentialsError::provider_error(AssumeRoleFailed(err)))?;
        }
        Ok(current.clone())
    }
}

impl ProvideCredentials for AuditRoleProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(self.credentials())
    }
}

/// An SDK configuration whose credentials come from assuming the audit role
/// in `account_id`: assumed once here, renewed only near expiry.
pub async fn assume_role(
    base: &SdkConfig,
    partition: &str,
    account_id: &str,
    role: &RoleConfig,
    retry: &RetryPolicy,
    calls: Arc<AtomicU64>,
) -> Result<SdkConfig, AwsError> {
    let role = AuditRole {
        sts: StsClient::new(base),
        role_arn: role_arn(partition, account_id, role),
        role: role.clone(),
        retry: *retry,
        calls,
    };
    let first = role.assume().await?;
    let provider = AuditRoleProvider { role, current: tokio::sync::Mutex::new(first) };
    Ok(base.to_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build())
}
