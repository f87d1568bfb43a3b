//! Credentials per account: STS `AssumeRole` into the audit role, refreshed by
//! the SDK's identity cache before the session expires, so long runs never
//! use stale credentials. The only module that calls STS.

use std::time::Duration;

use aws_config::SdkConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sdk_sts::Client as StsClient;

use crate::aws::{AwsError, AwsResultExt};

type AssumeRoleSdkError = aws_smithy_runtime_api::client::result::SdkError<
    aws_sdk_sts::operation::assume_role::AssumeRoleError,
    aws_smithy_runtime_api::http::Response,
>;
use crate::config::RoleConfig;

/// Who keyaudit runs as, from `sts:GetCallerIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account_id: String,
    pub arn: String,
}

/// Asks STS who the base credentials belong to. Also the first request of a
/// run, so a wrong endpoint or missing credentials fail here, once, clearly.
pub async fn caller_identity(sdk: &SdkConfig) -> Result<Caller, AwsError> {
    // Few attempts: an unreachable endpoint should fail in seconds, not minutes.
    let config = aws_sdk_sts::config::Builder::from(sdk)
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(2))
        .build();
    let out = StsClient::from_conf(config).get_caller_identity().send().await.aws()?;
    Ok(Caller {
        account_id: out.account().unwrap_or_default().to_owned(),
        arn: out.arn().unwrap_or_default().to_owned(),
    })
}

/// The audit role's ARN in `account_id`.
pub fn role_arn(partition: &str, account_id: &str, role: &RoleConfig) -> String {
    format!("arn:{partition}:iam::{account_id}:role/{}", role.name)
}

/// An SDK configuration whose credentials come from assuming the audit role in
/// `account_id`. The role is assumed once here, so that an account we cannot
/// enter is known before any collection starts.
pub async fn assume_role(
    base: &SdkConfig,
    partition: &str,
    account_id: &str,
    role: &RoleConfig,
) -> Result<SdkConfig, AwsError> {
    let arn = role_arn(partition, account_id, role);
    let mut builder = AssumeRoleProvider::builder(&arn)
        .session_name(&role.session_name)
        .session_length(Duration::from_secs(u64::from(role.duration_seconds)))
        .configure(base);
    if let Some(external_id) = &role.external_id {
        builder = builder.external_id(external_id);
    }
    let provider = builder.build().await;
    provider.provide_credentials().await.map_err(|err| {
        use std::error::Error;
        // The provider wraps the STS error; unwrap it for its code and message.
        let sts_error = err.source().and_then(|source| source.downcast_ref::<AssumeRoleSdkError>());
        let reduced = match sts_error {
            Some(sdk_error) => AwsError::from_sdk(sdk_error),
            None => AwsError { code: "AssumeRoleFailed".to_owned(), message: err.to_string() },
        };
        AwsError { code: reduced.code, message: format!("assuming {arn}: {}", reduced.message) }
    })?;
    Ok(base.to_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build())
}
